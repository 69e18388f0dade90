//! adduser, addgroup, deluser, delgroup, passwd, chpasswd: always against a temporary root
//! (`-R DIR`) or a chroot / mount namespace of a temporary rootfs, never the machine's /etc.
//!
//! Expected files are written by hand from BusyBox's documented behaviour, or come from the
//! reference BusyBox run in a chroot (differential tests). Normalisation for the comparisons
//! (one helper, [`norm`]): shadow's day count becomes `DAY`, password hashes keep only their
//! `$id$` prefix.
mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Farm;

const APPLETS: [&str; 6] = [
    "adduser", "addgroup", "deluser", "delgroup", "passwd", "chpasswd",
];

fn farm() -> Option<&'static Farm> {
    for a in APPLETS {
        common::applet(a)?;
    }
    Some(common::rbox())
}

const PASSWD: &str =
    "root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP: &str = "root:x:0:\nusers:x:100:\nnogroup:x:65534:\n";
const SHADOW: &str = "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n";
const GSHADOW: &str = "root:*::\nusers:*::\nnogroup:*::\n";

/// A temporary root with /etc holding the four databases, /etc/skel and /home.
struct Root {
    dir: tempfile::TempDir,
}

impl Root {
    fn new() -> Root {
        Root::with(PASSWD, GROUP, Some(SHADOW), Some(GSHADOW))
    }

    fn with(passwd: &str, group: &str, shadow: Option<&str>, gshadow: Option<&str>) -> Root {
        let dir = tempfile::Builder::new()
            .prefix("rbox-acc")
            .tempdir()
            .unwrap();
        let etc = dir.path().join("etc");
        fs::create_dir_all(etc.join("skel/.config")).unwrap();
        fs::create_dir_all(dir.path().join("home")).unwrap();
        fs::write(etc.join("skel/.profile"), "export PS1='$ '\n").unwrap();
        fs::write(etc.join("skel/.config/app"), "x\n").unwrap();
        std::os::unix::fs::symlink(".profile", etc.join("skel/.shrc")).unwrap();
        fs::write(etc.join("passwd"), passwd).unwrap();
        fs::write(etc.join("group"), group).unwrap();
        if let Some(s) = shadow {
            fs::write(etc.join("shadow"), s).unwrap();
            fs::set_permissions(etc.join("shadow"), fs::Permissions::from_mode(0o640)).unwrap();
        }
        if let Some(s) = gshadow {
            fs::write(etc.join("gshadow"), s).unwrap();
            fs::set_permissions(etc.join("gshadow"), fs::Permissions::from_mode(0o640)).unwrap();
        }
        Root { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn etc(&self, f: &str) -> String {
        fs::read_to_string(self.path().join("etc").join(f)).unwrap_or_else(|_| "<missing>".into())
    }

    fn p(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Runs `applet -R ROOT ARGS` with `input` on stdin.
    fn run(&self, f: &Farm, applet: &str, args: &[&str], input: &str) -> Out {
        let mut c = f.cmd(applet);
        c.arg("-R").arg(self.path()).args(args);
        Out::from(common::run_with_input(&mut c, input.as_bytes()))
    }

    fn ok(&self, f: &Farm, applet: &str, args: &[&str]) {
        let o = self.run(f, applet, args, "");
        assert_eq!(o.code, 0, "{applet} {args:?}: {o:?}");
    }
}

#[derive(Debug)]
struct Out {
    out: String,
    err: String,
    code: i32,
}

impl From<std::process::Output> for Out {
    fn from(o: std::process::Output) -> Out {
        Out {
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }
}

fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86400
}

/// The one normalisation: shadow day counts become DAY, hashes keep only `$id$`.
fn norm(file: &str, text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut f: Vec<String> = line.split(':').map(String::from).collect();
        if (file == "shadow" || file == "passwd") && f.len() > 2 {
            let p = &f[1];
            if p.len() > 3 && !["x", "*", "!"].contains(&p.as_str()) {
                let id = if p.starts_with('$') {
                    p.split('$').nth(1).unwrap_or("").to_string()
                } else {
                    "des".into()
                };
                f[1] = format!(
                    "HASH-{id}{}",
                    if p.starts_with('!') { "-locked" } else { "" }
                );
            }
        }
        if file == "shadow"
            && f.len() == 9
            && f[2].chars().all(|c| c.is_ascii_digit())
            && !f[2].is_empty()
        {
            let d: u64 = f[2].parse().unwrap();
            if d + 2 >= today() {
                f[2] = "DAY".into();
            }
        }
        out.push_str(&f.join(":"));
        out.push('\n');
    }
    out
}

/// Does `hash` verify `password` with the system's crypt (Python's crypt module, else
/// openssl for the SHA and MD5 formats)?
fn verifies(password: &str, hash: &str) -> bool {
    let py = Command::new("python3")
        .args([
            "-W",
            "ignore",
            "-c",
            "import crypt,sys; print(crypt.crypt(sys.argv[1], sys.argv[2]))",
            password,
            hash,
        ])
        .output();
    if let Ok(o) = py {
        if o.status.success() {
            return String::from_utf8_lossy(&o.stdout).trim() == hash;
        }
    }
    let parts: Vec<&str> = hash.split('$').collect();
    let flag = match parts.get(1) {
        Some(&"6") => "-6",
        Some(&"5") => "-5",
        Some(&"1") => "-1",
        _ => panic!("cannot verify {hash}"),
    };
    let o = Command::new("openssl")
        .args(["passwd", flag, "-salt", parts[2], password])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).trim() == hash
}

fn shadow_hash(r: &Root, user: &str) -> String {
    let s = r.etc("shadow");
    let line = s
        .lines()
        .find(|l| l.starts_with(&format!("{user}:")))
        .unwrap()
        .to_string();
    line.split(':').nth(1).unwrap().to_string()
}

fn line_of(text: &str, name: &str) -> Option<String> {
    text.lines()
        .find(|l| l.starts_with(&format!("{name}:")))
        .map(String::from)
}

// ---------------------------------------------------------------------------------------
// adduser

#[test]
fn adduser_defaults() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "bob"]);
    // No $SHELL in the test environment: the caller's (root's) shell from the root's passwd.
    assert_eq!(
        r.etc("passwd"),
        format!("{PASSWD}bob:x:1000:1000:Linux User,,,:/home/bob:/bin/ash\n")
    );
    assert_eq!(r.etc("group"), format!("{GROUP}bob:x:1000:\n"));
    assert_eq!(
        r.etc("shadow"),
        format!("{SHADOW}bob:!:{}:0:99999:7:::\n", today())
    );
    assert_eq!(r.etc("gshadow"), format!("{GSHADOW}bob:!::\n"));
    let home = r.p("home/bob");
    let m = fs::metadata(&home).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o2755, 1000, 1000));
    assert_eq!(
        fs::read_to_string(home.join(".profile")).unwrap(),
        "export PS1='$ '\n"
    );
    assert_eq!(fs::read_to_string(home.join(".config/app")).unwrap(), "x\n");
    assert_eq!(
        fs::read_link(home.join(".shrc")).unwrap(),
        Path::new(".profile")
    );
    for p in [".profile", ".config", ".config/app", ".shrc"] {
        let m = fs::symlink_metadata(home.join(p)).unwrap();
        assert_eq!((m.uid(), m.gid()), (1000, 1000), "{p}");
    }
    // Backups of the replaced files, as BusyBox keeps them.
    assert_eq!(r.etc("passwd-"), PASSWD);
    assert_eq!(r.etc("group-"), GROUP);
    // $SHELL wins over the caller's shell.
    let mut c = f.cmd("adduser");
    c.env("SHELL", "/bin/zsh")
        .arg("-R")
        .arg(r.path())
        .args(["-D", "-H", "al"]);
    assert_eq!(common::run(&mut c).status.code(), Some(0));
    assert!(r
        .etc("passwd")
        .contains("al:x:1001:1001:Linux User,,,:/home/al:/bin/zsh\n"));
    assert!(!r.p("home/al").exists(), "-H creates no home");
}

#[test]
fn adduser_options() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    fs::create_dir_all(r.p("opt/skel2")).unwrap();
    fs::write(r.p("opt/skel2/hello"), "hi\n").unwrap();
    fs::create_dir_all(r.p("srv")).unwrap();
    r.ok(
        f,
        "adduser",
        &[
            "-D",
            "-h",
            "/srv/web",
            "-g",
            "Web Server",
            "-s",
            "/bin/bash",
            "-u",
            "2000",
            "-k",
            "/opt/skel2",
            "web",
        ],
    );
    assert_eq!(
        line_of(&r.etc("passwd"), "web").unwrap(),
        "web:x:2000:2000:Web Server:/srv/web:/bin/bash"
    );
    assert_eq!(fs::read_to_string(r.p("srv/web/hello")).unwrap(), "hi\n");
    assert!(!r.p("srv/web/.profile").exists());
    // Long forms.
    r.ok(
        f,
        "adduser",
        &[
            "--disabled-password",
            "--home",
            "/srv/db",
            "--gecos",
            "DB",
            "--shell",
            "/bin/dash",
            "--uid",
            "2001",
            "--ingroup",
            "users",
            "--no-create-home",
            "db",
        ],
    );
    assert_eq!(
        line_of(&r.etc("passwd"), "db").unwrap(),
        "db:x:2001:100:DB:/srv/db:/bin/dash"
    );
    assert_eq!(line_of(&r.etc("group"), "users").unwrap(), "users:x:100:db");
    assert_eq!(line_of(&r.etc("gshadow"), "users").unwrap(), "users:*::db");
    assert!(
        line_of(&r.etc("group"), "db").is_none(),
        "-G makes no private group"
    );
    assert!(!r.p("srv/db").exists());
    r.ok(
        f,
        "adduser",
        &["--empty-password", "--system", "--skel", "/opt/skel2", "sv"],
    );
    assert_eq!(fs::read_to_string(r.p("home/sv/hello")).unwrap(), "hi\n");
    // -G with a user in the group already, and an unknown group.
    let o = r.run(f, "adduser", &["-D", "-G", "nosuch", "x1"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "adduser: unknown group nosuch\n")
    );
    // A named skeleton that is missing is reported; the default one silently skipped.
    fs::remove_dir_all(r.p("etc/skel")).unwrap();
    r.ok(f, "adduser", &["-D", "quiet"]);
    let o = r.run(f, "adduser", &["-D", "-k", "/nope", "loud"], "");
    assert_eq!(o.code, 0);
    assert!(o.err.contains("/nope: No such file or directory"), "{o:?}");
    // An existing home is given to the user with mode 02755.
    fs::create_dir_all(r.p("home/old")).unwrap();
    fs::write(r.p("home/old/keep"), "k").unwrap();
    r.ok(f, "adduser", &["-D", "old"]);
    let m = fs::metadata(r.p("home/old")).unwrap();
    let uid: u32 = line_of(&r.etc("passwd"), "old")
        .unwrap()
        .split(':')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid()), (0o2755, uid));
    assert_eq!(fs::read_to_string(r.p("home/old/keep")).unwrap(), "k");
}

#[test]
fn adduser_system() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    // -S: no password asked (stdin is empty), group nogroup, shell /bin/false, ids from 100.
    r.ok(f, "adduser", &["-S", "svc"]);
    assert_eq!(
        line_of(&r.etc("passwd"), "svc").unwrap(),
        "svc:x:100:65534:Linux User,,,:/home/svc:/bin/false"
    );
    assert_eq!(
        line_of(&r.etc("group"), "nogroup").unwrap(),
        "nogroup:x:65534:svc"
    );
    r.ok(f, "addgroup", &["-S", "app"]);
    r.ok(f, "adduser", &["-S", "-G", "app", "-s", "/bin/sh", "app"]);
    assert_eq!(line_of(&r.etc("group"), "app").unwrap(), "app:x:101:app");
    assert_eq!(
        line_of(&r.etc("passwd"), "app").unwrap(),
        "app:x:101:101:Linux User,,,:/home/app:/bin/sh"
    );
    // Without nogroup, -S fails as BusyBox does.
    let r2 = Root::with(PASSWD, "root:x:0:\n", Some(SHADOW), None);
    let o = r2.run(f, "adduser", &["-S", "svc"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "adduser: unknown group nogroup\n")
    );
    assert_eq!(r2.etc("passwd"), PASSWD);
}

#[test]
fn adduser_ids() {
    let Some(f) = farm() else { return };
    // gid 1000 taken: the private group needs uid == gid, so 1001.
    let r = Root::with(
        PASSWD,
        &format!("{GROUP}taken:x:1000:\n"),
        Some(SHADOW),
        None,
    );
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    assert!(r.etc("passwd").contains("bob:x:1001:1001:"));
    assert!(r.etc("group").ends_with("bob:x:1001:\n"));
    // With -G the gid does not matter: 1000 is free as a uid.
    r.ok(f, "adduser", &["-D", "-H", "-G", "users", "carl"]);
    assert!(r.etc("passwd").contains("carl:x:1000:100:"));
    let o = r.run(f, "adduser", &["-D", "-u", "1000", "dave"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "adduser: uid '1000' in use\n")
    );
    let o = r.run(f, "adduser", &["-D", "bob"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "adduser: user 'bob' in use\n")
    );
    let o = r.run(f, "adduser", &["-D", "taken"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "adduser: group 'taken' in use\n")
    );
    // Beyond BusyBox: an explicit id above 60000.
    r.ok(f, "adduser", &["-D", "-H", "-u", "70000", "ldap"]);
    assert!(r.etc("passwd").contains("ldap:x:70000:70000:"));
    let o = r.run(f, "adduser", &["-D", "-u", "x1", "e"], "");
    assert_eq!(o.code, 1);
    // System range exhausted.
    let mut p = String::from(PASSWD);
    for u in 100..=999 {
        p.push_str(&format!("s{u}:x:{u}:65534::/:/bin/false\n"));
    }
    let r = Root::with(&p, GROUP, None, None);
    let o = r.run(f, "adduser", &["-S", "-H", "more"], "");
    assert_eq!((o.code, o.err.as_str()), (1, "adduser: no uids left\n"));
    assert_eq!(r.etc("passwd"), p);
}

#[test]
fn name_checks() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    for (name, msg) in [
        ("a:b", "illegal character with code 58 at position 1"),
        ("a,b", "illegal character with code 44 at position 1"),
        ("-x", "illegal character with code 45 at position 0"),
        (".x", "illegal character with code 46 at position 0"),
        ("$", "illegal character with code 36 at position 0"),
        ("a$b", "illegal character with code 36 at position 1"),
        ("a\nb", "illegal character with code 10 at position 1"),
        ("a b", "illegal character with code 32 at position 1"),
    ] {
        for applet in ["adduser", "addgroup"] {
            let o = r.run(
                f,
                applet,
                ["-D", "--", name]
                    .split_at(if applet == "adduser" { 0 } else { 1 })
                    .1,
                "",
            );
            assert_eq!(
                (o.code, o.err.clone()),
                (1, format!("{applet}: {msg}\n")),
                "{applet} {name:?}"
            );
        }
    }
    let long = "a".repeat(256);
    let o = r.run(f, "adduser", &["-D", &long], "");
    assert_eq!((o.code, o.err.as_str()), (1, "adduser: name is too long\n"));
    assert_eq!(r.etc("passwd"), PASSWD);
    assert_eq!(r.etc("group"), GROUP);
    for ok in ["a-b.c_d", "m$", "_x", "9x", &"b".repeat(255)] {
        r.ok(f, "adduser", &["-D", "-H", ok]);
    }
    // ':' in other fields would break the file: refused.
    let o = r.run(f, "adduser", &["-D", "-g", "a:b", "gg"], "");
    assert_eq!(o.code, 1);
    assert!(line_of(&r.etc("passwd"), "gg").is_none());
}

#[test]
fn adduser_to_group_and_passwd_prompt() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    r.ok(f, "addgroup", &["wheel"]);
    r.ok(f, "adduser", &["bob", "wheel"]);
    r.ok(f, "adduser", &["bob", "wheel"]);
    assert_eq!(
        line_of(&r.etc("group"), "wheel").unwrap(),
        "wheel:x:1001:bob"
    );
    assert_eq!(line_of(&r.etc("gshadow"), "wheel").unwrap(), "wheel:!::bob");
    let o = r.run(f, "adduser", &["nobob", "wheel"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "addgroup: unknown user nobob\n")
    );
    let o = r.run(f, "adduser", &["bob", "nowheel"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "addgroup: unknown group nowheel\n")
    );
    // Without -D the password is asked as passwd does.
    let o = r.run(f, "adduser", &["-H", "pat"], "Secret#99x\nSecret#99x\n");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        o.out,
        "Changing password for pat\nNew password: \nRetype password: \n"
    );
    assert_eq!(o.err, "passwd: password for pat changed by root\n");
    let h = shadow_hash(&r, "pat");
    assert!(h.starts_with("$6$") && verifies("Secret#99x", &h), "{h}");
    // End of input: the user exists, without a password, and adduser fails as BusyBox's.
    let o = r.run(f, "adduser", &["-H", "nopw"], "");
    assert_eq!(o.code, 1);
    assert_eq!(o.err, "passwd: password for nopw is unchanged\n");
    assert_eq!(shadow_hash(&r, "nopw"), "!");
}

#[test]
fn usage_errors() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    for (applet, args) in [
        ("adduser", &[][..]),
        ("adduser", &["a", "b", "c"][..]),
        ("addgroup", &[][..]),
        ("addgroup", &["-g", "5", "u", "g"][..]),
        ("deluser", &["a", "b"][..]),
        ("delgroup", &["a", "b", "c"][..]),
        ("passwd", &["a", "b"][..]),
        ("passwd", &["-l"][..]),
        ("chpasswd", &["-e", "-m"][..]),
        ("chpasswd", &["-m", "-c", "sha512"][..]),
        ("chpasswd", &["-e", "-c", "md5"][..]),
        ("adduser", &["-Z", "x"][..]),
    ] {
        let o = r.run(f, applet, args, "");
        assert_eq!(o.code, 1, "{applet} {args:?}");
        assert!(
            o.err.contains(&format!("Usage: {applet} ")),
            "{applet} {args:?}: {o:?}"
        );
    }
    let o = common::run(f.cmd("adduser").arg("--help"));
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("-R DIR"));
}

// ---------------------------------------------------------------------------------------
// addgroup

#[test]
fn addgroup_all() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "addgroup", &["g1"]);
    r.ok(f, "addgroup", &["-S", "s1"]);
    r.ok(f, "addgroup", &["--system", "s2"]);
    r.ok(f, "addgroup", &["-g", "4242", "g2"]);
    r.ok(f, "addgroup", &["--gid", "90000", "g3"]);
    assert_eq!(
        r.etc("group"),
        format!("{GROUP}g1:x:1000:\ns1:x:101:\ns2:x:102:\ng2:x:4242:\ng3:x:90000:\n")
    );
    assert_eq!(
        r.etc("gshadow"),
        format!("{GSHADOW}g1:!::\ns1:!::\ns2:!::\ng2:!::\ng3:!::\n")
    );
    let o = r.run(f, "addgroup", &["g1"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "addgroup: group 'g1' in use\n")
    );
    let o = r.run(f, "addgroup", &["-g", "4242", "g9"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "addgroup: gid '4242' in use\n")
    );
    // Members, in gshadow too; a group missing from gshadow is reported, not fatal.
    r.ok(f, "adduser", &["-D", "-H", "ann"]);
    r.ok(f, "adduser", &["-D", "-H", "ben"]);
    r.ok(f, "addgroup", &["ann", "g1"]);
    r.ok(f, "addgroup", &["ben", "g1"]);
    r.ok(f, "addgroup", &["ben", "g1"]);
    assert_eq!(line_of(&r.etc("group"), "g1").unwrap(), "g1:x:1000:ann,ben");
    assert_eq!(line_of(&r.etc("gshadow"), "g1").unwrap(), "g1:!::ann,ben");
    fs::write(
        r.p("etc/group"),
        format!("{}lone:x:7000:\n", r.etc("group")),
    )
    .unwrap();
    let o = r.run(f, "addgroup", &["ann", "lone"], "");
    assert_eq!(o.code, 0);
    assert_eq!(
        o.err,
        format!(
            "addgroup: can't find lone in {}/etc/gshadow\n",
            r.path().display()
        )
    );
    assert_eq!(line_of(&r.etc("group"), "lone").unwrap(), "lone:x:7000:ann");
    // Without gshadow nothing is created.
    let r = Root::with(PASSWD, GROUP, Some(SHADOW), None);
    r.ok(f, "addgroup", &["g1"]);
    assert_eq!(r.etc("gshadow"), "<missing>");
    let mut g = String::from(GROUP);
    for i in 100..=999 {
        g.push_str(&format!("s{i}:x:{i}:\n"));
    }
    let r = Root::with(PASSWD, &g, None, None);
    let o = r.run(f, "addgroup", &["-S", "more"], "");
    assert_eq!((o.code, o.err.as_str()), (1, "addgroup: no gids left\n"));
}

// ---------------------------------------------------------------------------------------
// deluser, delgroup

#[test]
fn deluser_all() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "bob"]);
    r.ok(f, "adduser", &["-D", "-H", "amy"]);
    r.ok(f, "addgroup", &["bob", "users"]);
    r.ok(f, "addgroup", &["amy", "users"]);
    r.ok(f, "addgroup", &["bob", "amy"]);
    r.ok(f, "deluser", &["bob"]);
    assert!(line_of(&r.etc("passwd"), "bob").is_none());
    assert!(line_of(&r.etc("shadow"), "bob").is_none());
    assert!(
        line_of(&r.etc("group"), "bob").is_none(),
        "same-named group deleted"
    );
    assert!(line_of(&r.etc("gshadow"), "bob").is_none());
    assert_eq!(
        line_of(&r.etc("group"), "users").unwrap(),
        "users:x:100:amy"
    );
    assert_eq!(line_of(&r.etc("gshadow"), "users").unwrap(), "users:*::amy");
    assert_eq!(line_of(&r.etc("group"), "amy").unwrap(), "amy:x:1001:");
    assert!(r.p("home/bob").exists(), "home kept without --remove-home");
    let o = r.run(f, "deluser", &["bob"], "");
    assert_eq!((o.code, o.err.as_str()), (1, "deluser: unknown user bob\n"));
    // A same-named group that is someone's primary group stays (BusyBox's message, status 1).
    r.ok(f, "adduser", &["-D", "-H", "-G", "amy", "cat"]);
    let o = r.run(f, "deluser", &["amy"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (
            1,
            "deluser: 'cat' still has 'amy' as their primary group!\n"
        )
    );
    assert!(line_of(&r.etc("passwd"), "amy").is_none());
    assert!(line_of(&r.etc("group"), "amy").is_some());
}

#[test]
fn deluser_remove_home_safety() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "bob"]);
    fs::create_dir_all(r.p("home/bob/sub/deeper")).unwrap();
    fs::write(r.p("home/bob/sub/deeper/f"), "x").unwrap();
    // A symlink inside the home is removed, not followed.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("precious"), "p").unwrap();
    std::os::unix::fs::symlink(outside.path(), r.p("home/bob/link")).unwrap();
    r.ok(f, "deluser", &["--remove-home", "bob"]);
    assert!(!r.p("home/bob").exists());
    assert!(outside.path().join("precious").exists());
    // Not owned by the user: kept.
    r.ok(f, "adduser", &["-D", "-H", "-h", "/srv/other", "ann"]);
    fs::create_dir_all(r.p("srv/other")).unwrap();
    let o = r.run(f, "deluser", &["--remove-home", "ann"], "");
    assert_eq!(o.code, 1);
    assert!(o.err.contains("not owned by the user"), "{o:?}");
    assert!(r.p("srv/other").exists());
    assert!(
        line_of(&r.etc("passwd"), "ann").is_none(),
        "the account still goes"
    );
    // System directories, even when owned by the user.
    for (i, home) in ["/", "/etc", "/usr/", "/home", "/var/lib"]
        .iter()
        .enumerate()
    {
        let name = format!("sys{i}");
        let uid = format!("{}", 4000 + i);
        r.ok(
            f,
            "adduser",
            &["-D", "-H", "-u", &uid, "-G", "root", "-h", home, &name],
        );
        let dir = r.path().join(home.trim_start_matches('/'));
        fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::chown(&dir, Some(4000 + i as u32), None).unwrap();
        let o = r.run(f, "deluser", &["--remove-home", &name], "");
        assert_eq!(o.code, 1, "{home}");
        assert!(o.err.contains("system directory"), "{o:?}");
        assert!(dir.exists() && r.p("etc/passwd").exists());
    }
    assert!(r.p("home").exists() && r.p("etc").exists());
    // A home that is a symlink to a directory owned by the user is not followed.
    r.ok(f, "adduser", &["-D", "-H", "-h", "/home/ln", "dan"]);
    let target = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(target.path(), r.p("home/ln")).unwrap();
    let o = r.run(f, "deluser", &["--remove-home", "dan"], "");
    assert_eq!(o.code, 0);
    assert!(target.path().exists());
    // A missing home is fine.
    r.ok(f, "adduser", &["-D", "-H", "eve"]);
    r.ok(f, "deluser", &["--remove-home", "eve"]);
}

#[test]
fn delgroup_all() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "addgroup", &["g1"]);
    r.ok(f, "adduser", &["-D", "-H", "ann"]);
    r.ok(f, "addgroup", &["ann", "g1"]);
    r.ok(f, "addgroup", &["ann", "users"]);
    r.ok(f, "delgroup", &["ann", "g1"]);
    assert_eq!(line_of(&r.etc("group"), "g1").unwrap(), "g1:x:1000:");
    assert_eq!(line_of(&r.etc("gshadow"), "g1").unwrap(), "g1:!::");
    let o = r.run(f, "delgroup", &["ann", "g1"], "");
    let root = r.path().display();
    assert_eq!(o.code, 0);
    assert_eq!(
        o.err,
        format!("delgroup: can't find ann in {root}/etc/group\ndelgroup: can't find ann in {root}/etc/gshadow\n")
    );
    r.ok(f, "delgroup", &["g1"]);
    assert!(line_of(&r.etc("group"), "g1").is_none());
    assert!(line_of(&r.etc("gshadow"), "g1").is_none());
    let o = r.run(f, "delgroup", &["ann"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (
            1,
            "delgroup: 'ann' still has 'ann' as their primary group!\n"
        )
    );
    let o = r.run(f, "delgroup", &["nope"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "delgroup: unknown group nope\n")
    );
    assert_eq!(
        line_of(&r.etc("group"), "users").unwrap(),
        "users:x:100:ann"
    );
}

// ---------------------------------------------------------------------------------------
// passwd, chpasswd

#[test]
fn passwd_root() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    let o = r.run(f, "passwd", &["bob"], "Tr0ub4dor&3\nTr0ub4dor&3\n");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        o.out,
        "Changing password for bob\nNew password: \nRetype password: \n"
    );
    assert_eq!(o.err, "passwd: password for bob changed by root\n");
    let h = shadow_hash(&r, "bob");
    assert!(h.starts_with("$6$") && verifies("Tr0ub4dor&3", &h), "{h}");
    assert!(!o.out.contains("Tr0ub") && !o.err.contains("Tr0ub"));
    for (alg, prefix) in [("md5", "$1$"), ("sha256", "$5$"), ("sha512", "$6$")] {
        let o = r.run(f, "passwd", &["-a", alg, "bob"], "Zz9!zz9!Q\nZz9!zz9!Q\n");
        assert_eq!(o.code, 0, "{o:?}");
        let h = shadow_hash(&r, "bob");
        assert!(
            h.starts_with(prefix) && verifies("Zz9!zz9!Q", &h),
            "{alg} {h}"
        );
    }
    let o = r.run(f, "passwd", &["-a", "des", "bob"], "Zz9!zz9!Q\nZz9!zz9!Q\n");
    assert_eq!(o.code, 0);
    let h = shadow_hash(&r, "bob");
    assert_eq!(h.len(), 13);
    // Weak passwords: reported, accepted for root, as BusyBox.
    let o = r.run(f, "passwd", &["bob"], "abc\nabc\n");
    assert_eq!(o.code, 0);
    assert_eq!(
        o.out,
        "Changing password for bob\nNew password: \nBad password: too short\nRetype password: \n"
    );
    let o = r.run(f, "passwd", &["bob"], "Abcdef12#x\nAbcdef12#y\n");
    assert_eq!(o.code, 1);
    assert!(o.out.ends_with("Passwords don't match\n"));
    assert_eq!(o.err, "passwd: password for bob is unchanged\n");
    // The shadow day field is updated, passwd keeps x.
    assert!(line_of(&r.etc("passwd"), "bob")
        .unwrap()
        .starts_with("bob:x:"));
    // -l, -u, -d.
    let before = shadow_hash(&r, "bob");
    r.ok(f, "passwd", &["-l", "bob"]);
    assert_eq!(shadow_hash(&r, "bob"), format!("!{before}"));
    let o = r.run(f, "passwd", &["-l", "bob"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "passwd: password for bob is already locked\n")
    );
    r.ok(f, "passwd", &["-u", "bob"]);
    assert_eq!(shadow_hash(&r, "bob"), before);
    let o = r.run(f, "passwd", &["-u", "bob"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "passwd: password for bob is already unlocked\n")
    );
    r.ok(f, "passwd", &["-d", "bob"]);
    assert_eq!(shadow_hash(&r, "bob"), "");
    let o = r.run(f, "passwd", &["nobody1"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "passwd: unknown user nobody1\n")
    );
    // No shadow file: the hash goes to /etc/passwd.
    let r = Root::with(
        "root:x:0:0::/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n",
        GROUP,
        None,
        None,
    );
    let o = r.run(f, "passwd", &["u"], "Abcdef12#x\nAbcdef12#x\n");
    assert_eq!(o.code, 0);
    let line = line_of(&r.etc("passwd"), "u").unwrap();
    let h = line.split(':').nth(1).unwrap();
    assert!(verifies("Abcdef12#x", h));
    assert_eq!(r.etc("shadow"), "<missing>");
}

#[test]
fn chpasswd_all() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "-H", "a1"]);
    r.ok(f, "adduser", &["-D", "-H", "a2"]);
    let o = r.run(f, "chpasswd", &[], "a1:pw one\na2:pw:two\n");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        o.err,
        "chpasswd: password for 'a1' changed\nchpasswd: password for 'a2' changed\n"
    );
    let (h1, h2) = (shadow_hash(&r, "a1"), shadow_hash(&r, "a2"));
    assert!(h1.starts_with("$6$") && verifies("pw one", &h1));
    assert!(verifies("pw:two", &h2));
    assert_ne!(h1, shadow_hash(&r, "a2"));
    let day = today().to_string();
    assert_eq!(
        line_of(&r.etc("shadow"), "a1")
            .unwrap()
            .split(':')
            .nth(2)
            .unwrap(),
        day
    );
    r.ok_input(f, "chpasswd", &["-m"], "a1:m\n");
    assert!(shadow_hash(&r, "a1").starts_with("$1$") && verifies("m", &shadow_hash(&r, "a1")));
    r.ok_input(f, "chpasswd", &["--md5"], "a1:m\n");
    assert!(shadow_hash(&r, "a1").starts_with("$1$"));
    r.ok_input(f, "chpasswd", &["-c", "sha256"], "a1:s\n");
    assert!(shadow_hash(&r, "a1").starts_with("$5$") && verifies("s", &shadow_hash(&r, "a1")));
    r.ok_input(f, "chpasswd", &["--crypt-method", "des"], "a1:d\n");
    assert_eq!(shadow_hash(&r, "a1").len(), 13);
    r.ok_input(f, "chpasswd", &["-e"], "a1:$1$abc$xyz\n");
    assert_eq!(shadow_hash(&r, "a1"), "$1$abc$xyz");
    r.ok_input(f, "chpasswd", &["--encrypted"], "a1:!\n");
    assert_eq!(shadow_hash(&r, "a1"), "!");
    let o = r.run(f, "chpasswd", &[], "a1:z\nnocolon\na2:y\n");
    assert_eq!(
        (o.code, o.err.as_str()),
        (
            1,
            "chpasswd: password for 'a1' changed\nchpasswd: missing new password\n"
        )
    );
    assert!(
        verifies("z", &shadow_hash(&r, "a1")),
        "lines before the error are applied"
    );
    let o = r.run(f, "chpasswd", &[], "zz:y\n");
    assert_eq!((o.code, o.err.as_str()), (1, "chpasswd: unknown user zz\n"));
    let kept = shadow_hash(&r, "a1");
    let o = r.run(f, "chpasswd", &["-e"], "a1:a:b\n");
    assert_eq!(o.code, 1);
    assert_eq!(shadow_hash(&r, "a1"), kept);
}

impl Root {
    fn ok_input(&self, f: &Farm, applet: &str, args: &[&str], input: &str) {
        let o = self.run(f, applet, args, input);
        assert_eq!(o.code, 0, "{applet} {args:?}: {o:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Integrity

#[test]
fn unparsed_lines_preserved() {
    let Some(f) = farm() else { return };
    let passwd = "# comment: keep\nroot:x:0:0:root:/root:/bin/sh\n+@nis::::::\n-bad\nbroken:line\n\n\tweird:x:1:2:3\r\n\u{ff}:x:5:5::/:/bin/sh\nzed:x:77:77::/:/bin/sh";
    let group = "# g\nroot:x:0:\n+:::\nbad group line\nusers:x:100:zed,,bob\nnogroup:x:65534:";
    let r = Root::with(
        passwd,
        group,
        Some("# s\nroot:*:1::::::\nodd\n"),
        Some("+\nroot:*::\n"),
    );
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    assert_eq!(
        r.etc("passwd"),
        format!("{passwd}\nbob:x:1000:1000:Linux User,,,:/home/bob:/bin/sh\n")
    );
    assert_eq!(r.etc("group"), format!("{group}\nbob:x:1000:\n"));
    r.ok(f, "deluser", &["bob"]);
    // Deleting bob took him from users' member list, kept the empty member and all else.
    assert_eq!(r.etc("passwd"), format!("{passwd}\n"));
    assert_eq!(
        r.etc("group"),
        format!("{}\n", group.replace("zed,,bob", "zed,"))
    );
    assert_eq!(r.etc("shadow"), "# s\nroot:*:1::::::\nodd\n");
    assert_eq!(r.etc("gshadow"), "+\nroot:*::\n");
}

#[test]
fn mode_and_owner_kept() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    let sh = r.p("etc/shadow");
    std::os::unix::fs::chown(&sh, Some(0), Some(42)).unwrap();
    fs::set_permissions(&sh, fs::Permissions::from_mode(0o640)).unwrap();
    fs::set_permissions(r.p("etc/passwd"), fs::Permissions::from_mode(0o644)).unwrap();
    let ino = fs::metadata(&sh).unwrap().ino();
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    let m = fs::metadata(&sh).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o640, 0, 42));
    assert_ne!(m.ino(), ino, "replaced by rename");
    assert_eq!(
        fs::metadata(r.p("etc/passwd")).unwrap().mode() & 0o7777,
        0o644
    );
    assert_eq!(
        fs::metadata(r.p("etc/shadow-")).unwrap().ino(),
        ino,
        "backup is the old file"
    );
    // No temp files or journal left behind.
    let names: Vec<String> = fs::read_dir(r.p("etc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("rbox")), "{names:?}");
}

#[test]
fn shadow_created_only_when_in_use() {
    let Some(f) = farm() else { return };
    // passwd defers to shadow (x) but shadow is missing: created, private.
    let r = Root::with(PASSWD, GROUP, None, None);
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    assert_eq!(r.etc("shadow"), format!("bob:!:{}:0:99999:7:::\n", today()));
    assert_eq!(
        fs::metadata(r.p("etc/shadow")).unwrap().mode() & 0o777,
        0o600
    );
    // Passwords in passwd itself: no shadow.
    let r = Root::with("root::0:0::/root:/bin/sh\n", GROUP, None, None);
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    assert_eq!(r.etc("shadow"), "<missing>");
}

#[test]
fn root_symlinks_refused() {
    let Some(f) = farm() else { return };
    let outside = Root::new();
    let r = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.p("etc"), r.path().join("etc")).unwrap();
    let mut c = f.cmd("adduser");
    c.arg("-R").arg(r.path()).args(["-D", "bob"]);
    let o = Out::from(common::run(&mut c));
    assert_eq!(o.code, 1);
    assert!(o.err.contains("symlink refused"), "{o:?}");
    assert_eq!(outside.etc("passwd"), PASSWD);
    // /home a symlink out of the root: the account is made, the home is not.
    let r = Root::new();
    let away = tempfile::tempdir().unwrap();
    fs::remove_dir(r.p("home")).unwrap();
    std::os::unix::fs::symlink(away.path(), r.p("home")).unwrap();
    let o = r.run(f, "adduser", &["-D", "bob"], "");
    assert!(o.err.contains("home/bob"), "{o:?}");
    assert_eq!(fs::read_dir(away.path()).unwrap().count(), 0);
    // A database file that is a symlink is refused too.
    let r = Root::new();
    fs::remove_file(r.p("etc/shadow")).unwrap();
    std::os::unix::fs::symlink(outside.p("etc/shadow"), r.p("etc/shadow")).unwrap();
    let o = r.run(f, "adduser", &["-D", "-H", "bob"], "");
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(outside.etc("shadow"), SHADOW);
}

#[test]
fn concurrency_50_adduser() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    let mut kids = Vec::new();
    for i in 0..50 {
        let mut c = f.cmd("adduser");
        c.arg("-R").arg(r.path()).args(["-D", &format!("user{i}")]);
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        kids.push(c.spawn().unwrap());
    }
    for k in kids {
        let o = k.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (p, g, s, gs) = (
        r.etc("passwd"),
        r.etc("group"),
        r.etc("shadow"),
        r.etc("gshadow"),
    );
    let mut uids = std::collections::HashSet::new();
    for i in 0..50 {
        let name = format!("user{i}");
        let lines: Vec<&str> = p
            .lines()
            .filter(|l| l.starts_with(&format!("{name}:")))
            .collect();
        assert_eq!(lines.len(), 1, "{name}");
        let uid = lines[0].split(':').nth(2).unwrap();
        assert!(uids.insert(uid.to_string()), "uid {uid} twice");
        assert_eq!(
            g.lines()
                .filter(|l| *l == format!("{name}:x:{uid}:"))
                .count(),
            1
        );
        assert_eq!(
            s.lines()
                .filter(|l| l.starts_with(&format!("{name}:!:")))
                .count(),
            1
        );
        assert_eq!(
            gs.lines().filter(|l| *l == format!("{name}:!::")).count(),
            1
        );
        assert!(r.p(&format!("home/{name}")).is_dir());
    }
    assert_eq!(p.lines().count(), 52);
}

/// The state of the four files.
fn snapshot(r: &Path) -> [String; 4] {
    ["group", "gshadow", "shadow", "passwd"]
        .map(|n| fs::read_to_string(r.join("etc").join(n)).unwrap_or_default())
}

/// Copies a root's /etc into a fresh root.
fn clone_root(src: &Root) -> Root {
    let r = Root::new();
    for n in ["group", "gshadow", "shadow", "passwd"] {
        fs::copy(src.p(&format!("etc/{n}")), r.p(&format!("etc/{n}"))).unwrap();
    }
    r
}

/// Kills `applet ARGS` at every write, fsync, link, unlink and rename step in turn (the
/// hook RBOX_ACCOUNTS_CRASH_AT), checks that each file is then as before or as
/// after, and that the next run completes or undoes the change as a whole.
fn kill_everywhere(f: &Farm, setup: &Root, applet: &str, args: &[&str], after: [String; 4]) {
    let before = snapshot(setup.path());
    let mut n = 1;
    loop {
        let r = clone_root(setup);
        let mut c = f.cmd(applet);
        c.env("RBOX_ACCOUNTS_CRASH_AT", n.to_string())
            .arg("-R")
            .arg(r.path())
            .args(args);
        let o = Out::from(common::run(&mut c));
        assert!(
            n > 1 || o.code == 86,
            "the kill-injection hook did not fire: {o:?}"
        );
        let now = snapshot(r.path());
        for i in 0..4 {
            assert!(
                now[i] == before[i] || now[i] == after[i],
                "step {n}: file {i} torn:\n{}",
                now[i]
            );
        }
        if o.code != 86 {
            assert_eq!(o.code, 0, "{o:?}");
            assert_eq!(now, after);
            break;
        }
        // The next run (any tool; this one fails on purpose after opening the database)
        // completes or undoes the killed one.
        let o2 = r.run(f, "delgroup", &["no-such-group"], "");
        assert_eq!(o2.code, 1);
        let fixed = snapshot(r.path());
        assert!(
            fixed == before || fixed == after,
            "step {n}: inconsistent after recovery: {fixed:?}"
        );
        let leftovers: Vec<String> = fs::read_dir(r.p("etc"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("rbox"))
            .collect();
        assert!(leftovers.is_empty(), "step {n}: {leftovers:?}");
        n += 1;
        assert!(n < 200);
    }
    assert!(n > 15, "only {n} steps seen");
}

#[test]
fn kill_injection_adduser() {
    let Some(f) = farm() else { return };
    let setup = Root::new();
    let d = today();
    let after = [
        format!("{GROUP}bob:x:1000:\n"),
        format!("{GSHADOW}bob:!::\n"),
        format!("{SHADOW}bob:!:{d}:0:99999:7:::\n"),
        format!("{PASSWD}bob:x:1000:1000:Linux User,,,:/home/bob:/bin/ash\n"),
    ];
    kill_everywhere(f, &setup, "adduser", &["-D", "-H", "bob"], after);
}

#[test]
fn kill_injection_deluser() {
    let Some(f) = farm() else { return };
    let setup = Root::new();
    setup.ok(f, "adduser", &["-D", "-H", "bob"]);
    setup.ok(f, "addgroup", &["bob", "users"]);
    let after = [
        GROUP.to_string(),
        GSHADOW.to_string(),
        SHADOW.to_string(),
        PASSWD.to_string(),
    ];
    kill_everywhere(f, &setup, "deluser", &["bob"], after);
}

/// Runs a shell script as root in a new mount namespace (`unshare -m`), or None when that is
/// not possible here.
fn in_mount_ns(script: &str) -> Option<Out> {
    let unshare = Path::new("/usr/bin/unshare");
    if !unshare.exists() {
        common::skip("unshare not installed");
        return None;
    }
    let o = Command::new(unshare)
        .args(["-m", "sh", "-c", "true"])
        .output()
        .ok()?;
    if !o.status.success() {
        common::skip("unshare -m not permitted here");
        return None;
    }
    Some(Out::from(
        Command::new(unshare)
            .args(["-m", "sh", "-ec", script])
            .output()
            .unwrap(),
    ))
}

#[test]
fn bind_mounted_passwd_rewritten_in_place() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    // As in a Kubernetes pod: /etc/passwd is a bind mount, rename over it gives EBUSY.
    let src = tempfile::tempdir().unwrap();
    fs::write(src.path().join("passwd"), PASSWD).unwrap();
    let script = format!(
        "mount --bind {src}/passwd {root}/etc/passwd\nSHELL= {add} -R {root} -D -H bob\ncat {root}/etc/passwd",
        src = src.path().display(),
        root = r.path().display(),
        add = f.path("adduser").display()
    );
    let Some(o) = in_mount_ns(&script) else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    let want = format!("{PASSWD}bob:x:1000:1000:Linux User,,,:/home/bob:/bin/ash\n");
    assert_eq!(o.out, want);
    // The mount's source file got the change in place.
    assert_eq!(fs::read_to_string(src.path().join("passwd")).unwrap(), want);
    assert!(r.etc("group").contains("bob:x:1000:"));
}

// ---------------------------------------------------------------------------------------
// Privileges

/// Runs a command as uid/gid 65534 (nobody) with setpriv, or None.
fn as_nobody(f: &Farm, applet: &str, args: &[&std::ffi::OsStr], input: &str) -> Option<Out> {
    let setpriv = common::system_program("setpriv")?;
    let mut c = Command::new(setpriv);
    f.env(&mut c);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(f.path(applet))
        .args(args);
    Some(Out::from(common::run_with_input(&mut c, input.as_bytes())))
}

#[test]
fn non_root_refused() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    // The farm's links live in a temp dir readable by all.
    let p = r.path().as_os_str();
    for applet in ["adduser", "addgroup", "deluser", "delgroup", "chpasswd"] {
        let args: Vec<&std::ffi::OsStr> = vec!["-R".as_ref(), p, "x".as_ref()];
        let args = if applet == "chpasswd" {
            &args[..2]
        } else {
            &args[..]
        };
        let Some(o) = as_nobody(f, applet, args, "") else {
            return;
        };
        assert_eq!(
            (o.code, o.err.as_str()),
            (
                1,
                format!("{applet}: permission denied (are you root?)\n").as_str()
            ),
            "{applet}"
        );
    }
    assert_eq!(r.etc("passwd"), PASSWD);
    // A root the caller owns may be edited; the home's owner cannot be set, which is said.
    let mine = Root::new();
    let walk = |p: &Path| {
        for e in walkdir(p) {
            std::os::unix::fs::lchown(&e, Some(65534), Some(65534)).unwrap();
        }
    };
    walk(mine.path());
    let args: Vec<&std::ffi::OsStr> = vec![
        "-R".as_ref(),
        mine.path().as_os_str(),
        "-D".as_ref(),
        "bob".as_ref(),
    ];
    let Some(o) = as_nobody(f, "adduser", &args, "") else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.err.contains("home/bob: Operation not permitted"), "{o:?}");
    assert!(mine.etc("passwd").contains("bob:x:1000:1000:"));
    assert!(
        mine.p("home/bob/.config/app").exists(),
        "skeleton copied all the same"
    );
    let args: Vec<&std::ffi::OsStr> = vec!["-R".as_ref(), mine.path().as_os_str()];
    let Some(o) = as_nobody(f, "chpasswd", &args, "bob:pw\n") else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    assert!(verifies("pw", &shadow_hash(&mine, "bob")));
    // passwd too: the owner of the root acts as its root (no old password, -l allowed).
    let args: Vec<&std::ffi::OsStr> = vec!["-R".as_ref(), mine.path().as_os_str(), "bob".as_ref()];
    let Some(o) = as_nobody(f, "passwd", &args, "N3w!Secret\nN3w!Secret\n") else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    assert!(verifies("N3w!Secret", &shadow_hash(&mine, "bob")));
    let args: Vec<&std::ffi::OsStr> = vec![
        "-R".as_ref(),
        mine.path().as_os_str(),
        "-l".as_ref(),
        "bob".as_ref(),
    ];
    let Some(o) = as_nobody(f, "passwd", &args, "") else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    assert!(shadow_hash(&mine, "bob").starts_with("!$6$"));
    // ... but not a root owned by someone else.
    let args: Vec<&std::ffi::OsStr> = vec![
        "-R".as_ref(),
        r.path().as_os_str(),
        "-d".as_ref(),
        "root".as_ref(),
    ];
    let Some(o) = as_nobody(f, "passwd", &args, "") else {
        return;
    };
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(r.etc("shadow"), SHADOW);
}

fn walkdir(p: &Path) -> Vec<PathBuf> {
    let mut v = vec![p.to_path_buf()];
    if fs::symlink_metadata(p).unwrap().is_dir() {
        for e in fs::read_dir(p).unwrap() {
            v.extend(walkdir(&e.unwrap().path()));
        }
    }
    v
}

/// A temporary rootfs holding `exe` (and, for a dynamically linked one, its libraries) as
/// /bin/EXE_NAME, with the test databases.
fn rootfs(exe: &Path, name: &str) -> Root {
    let r = Root::new();
    fs::create_dir_all(r.p("bin")).unwrap();
    fs::copy(exe, r.p("bin").join(name)).unwrap();
    if let Ok(o) = Command::new("ldd").arg(exe).output() {
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            let lib = line
                .split_whitespace()
                .find(|w| w.starts_with('/'))
                .map(PathBuf::from);
            if let Some(lib) = lib {
                let dst = r.path().join(lib.strip_prefix("/").unwrap());
                fs::create_dir_all(dst.parent().unwrap()).unwrap();
                fs::copy(&lib, &dst).unwrap();
            }
        }
    }
    r
}

#[test]
fn passwd_setuid_own_password_in_chroot() {
    let Some(_f) = farm() else { return };
    let r = rootfs(&common::rbox_bin(), "rbox");
    let bin = r.p("bin/rbox");
    std::os::unix::fs::chown(&bin, Some(0), Some(0)).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o4755)).unwrap();
    std::os::unix::fs::symlink("rbox", r.p("bin/passwd")).unwrap();
    fs::write(
        r.p("etc/passwd"),
        format!("{PASSWD}joe:x:1000:1000::/home/joe:/bin/sh\nann:x:1001:1001::/:/bin/sh\n"),
    )
    .unwrap();
    let old_hash = Command::new("openssl")
        .args(["passwd", "-6", "-salt", "saltsalt", "OldPass#1"])
        .output()
        .unwrap();
    let old_hash = String::from_utf8_lossy(&old_hash.stdout).trim().to_string();
    fs::write(
        r.p("etc/shadow"),
        format!("{SHADOW}joe:{old_hash}:19000:0:99999:7:::\nann:!:1:0:99999:7:::\n"),
    )
    .unwrap();
    let chroot = |user: &str, args: &[&str], input: &str| {
        let mut c = Command::new(chroot_bin());
        c.env_clear()
            .env("PATH", "/bin")
            .arg(format!("--userspec={user}"))
            .arg(r.path())
            .arg("/bin/passwd")
            .args(args);
        Out::from(common::run_with_input(&mut c, input.as_bytes()))
    };
    let probe = chroot("1000:1000", &["-x"], "");
    if probe.err.contains("Operation not permitted") || probe.code == 125 || probe.code == 126 {
        common::skip("chroot --userspec or setuid not usable here");
        return;
    }
    // Another user's password: refused.
    let o = chroot("1000:1000", &["ann"], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "passwd: joe can't change password for ann\n")
    );
    // Lock options are root's.
    let o = chroot("1000:1000", &["-l", "joe"], "");
    assert_eq!(o.code, 1);
    // Wrong old password.
    let o = chroot("1000:1000", &[], "wrong\n");
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(
        o.out,
        "Changing password for joe\nOld password: \nIncorrect password\n"
    );
    // Weak new password: refused for a user.
    let o = chroot("1000:1000", &[], "OldPass#1\nabc\n");
    assert_eq!(o.code, 1);
    assert!(o.out.contains("Bad password: too short"));
    let o = chroot("1000:1000", &[], "OldPass#1\nN3w!Secret\nN3w!Secret\n");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.err, "passwd: password for joe changed by joe\n");
    assert!(verifies("N3w!Secret", &shadow_hash(&r, "joe")));
    // A locked password cannot be changed by its user.
    let o = chroot("1001:1001", &[], "");
    assert_eq!(
        (o.code, o.err.as_str()),
        (1, "passwd: can't change locked password for ann\n")
    );
    // The front refuses the applet without setuid.
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    let o = chroot("1000:1000", &[], "");
    assert_eq!(o.code, 1);
}

// ---------------------------------------------------------------------------------------
// Differential: the same sequences with the reference BusyBox in a chroot.

fn chroot_bin() -> PathBuf {
    ["/usr/sbin/chroot", "/usr/bin/chroot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("chroot"))
}

fn bb_rootfs() -> Option<Root> {
    let bb = common::ref_busybox();
    let Some(bb) = bb else {
        common::skip("reference busybox not found (run .ci/setup)");
        return None;
    };
    let r = rootfs(&bb, "busybox");
    let o = Command::new(chroot_bin())
        .arg(r.path())
        .args(["/bin/busybox", "--install", "-s", "/bin"])
        .output()
        .ok()?;
    if !o.status.success() {
        common::skip("chroot not permitted here");
        return None;
    }
    Some(r)
}

/// BusyBox's deluser leaves the user in /etc/gshadow's member lists (rbox removes it, a
/// documented deviation): drop members that no longer exist before comparing.
fn drop_deleted_members(gshadow: &str, passwd: &str) -> String {
    let users: Vec<&str> = passwd.lines().filter_map(|l| l.split(':').next()).collect();
    let mut out = String::new();
    for line in gshadow.lines() {
        let mut f: Vec<String> = line.split(':').map(String::from).collect();
        if f.len() == 4 {
            let kept: Vec<&str> = f[3].split(',').filter(|m| users.contains(m)).collect();
            f[3] = kept.join(",");
        }
        out.push_str(&f.join(":"));
        out.push('\n');
    }
    out
}

fn differential(script: &[(&str, &[&str], &str)]) {
    let Some(f) = farm() else { return };
    let Some(bb) = bb_rootfs() else { return };
    let ours = Root::new();
    for (applet, args, input) in script {
        let a = ours.run(f, applet, args, input);
        let mut c = Command::new(chroot_bin());
        c.env_clear()
            .env("PATH", "/bin")
            .env("SHELL", "/bin/ash")
            .arg(bb.path())
            .arg(format!("/bin/{applet}"))
            .args(*args);
        let b = Out::from(common::run_with_input(&mut c, input.as_bytes()));
        assert_eq!(
            a.code, b.code,
            "{applet} {args:?}: rbox {a:?} busybox {b:?}"
        );
        assert_eq!(
            a.err.replace(&ours.path().display().to_string(), ""),
            b.err,
            "{applet} {args:?}"
        );
        assert_eq!(a.out, b.out, "{applet} {args:?}");
    }
    for n in ["passwd", "group", "shadow", "gshadow"] {
        let mut theirs = bb.etc(n);
        if n == "gshadow" {
            theirs = drop_deleted_members(&theirs, &bb.etc("passwd"));
        }
        assert_eq!(
            norm(n, &ours.etc(n)),
            norm(n, &theirs),
            "{n} after {script:?}"
        );
    }
    for h in ["home/bob", "home/svc", "home/app"] {
        let (a, b) = (fs::metadata(ours.p(h)).ok(), fs::metadata(bb.p(h)).ok());
        assert_eq!(
            a.map(|m| (m.mode(), m.uid(), m.gid())),
            b.map(|m| (m.mode(), m.uid(), m.gid())),
            "{h}"
        );
    }
}

#[test]
fn differential_adduser_addgroup() {
    differential(&[
        ("addgroup", &["-S", "app"], ""),
        ("adduser", &["-S", "-G", "app", "app"], ""),
        ("adduser", &["-S", "svc"], ""),
        ("adduser", &["-D", "-s", "/bin/ash", "bob"], ""),
        ("addgroup", &["grp"], ""),
        ("addgroup", &["-g", "5000", "g5"], ""),
        ("addgroup", &["bob", "grp"], ""),
        ("addgroup", &["bob", "grp"], ""),
        ("adduser", &["bob", "users"], ""),
        (
            "adduser",
            &[
                "-D", "-H", "-u", "3000", "-g", "Three", "-h", "/x", "-s", "/bin/ash", "u3",
            ],
            "",
        ),
        (
            "adduser",
            &["-D", "-H", "-G", "g5", "-s", "/bin/ash", "u4"],
            "",
        ),
        ("adduser", &["-D", "-u", "3000", "dup"], ""),
        ("adduser", &["-D", "bob"], ""),
        ("addgroup", &["grp"], ""),
        ("addgroup", &["-g", "5000", "g6"], ""),
        ("adduser", &["-D", "-G", "nosuch", "x"], ""),
        ("addgroup", &["nouser", "grp"], ""),
        ("addgroup", &["bob", "nogrp"], ""),
    ]);
}

#[test]
fn differential_deluser_delgroup() {
    differential(&[
        ("adduser", &["-D", "-s", "/bin/ash", "bob"], ""),
        ("adduser", &["-D", "-H", "-s", "/bin/ash", "amy"], ""),
        ("addgroup", &["amy", "users"], ""),
        ("addgroup", &["grp"], ""),
        ("addgroup", &["amy", "grp"], ""),
        ("delgroup", &["amy", "grp"], ""),
        ("delgroup", &["amy", "grp"], ""),
        ("delgroup", &["grp"], ""),
        ("delgroup", &["amy"], ""),
        ("delgroup", &["nogrp"], ""),
        ("deluser", &["amy"], ""),
        ("deluser", &["amy"], ""),
        ("deluser", &["--remove-home", "bob"], ""),
    ]);
}

#[test]
fn differential_passwd_chpasswd() {
    differential(&[
        ("adduser", &["-D", "-H", "-s", "/bin/ash", "bob"], ""),
        ("adduser", &["-D", "-H", "-s", "/bin/ash", "amy"], ""),
        (
            "passwd",
            &["-a", "sha512", "bob"],
            "Xy7#kq!Lmw2\nXy7#kq!Lmw2\n",
        ),
        ("passwd", &["bob"], "Xy7#kq!Lmw2\nXy7#kq!Lmw3\n"),
        ("passwd", &["bob"], ""),
        ("passwd", &["-l", "bob"], ""),
        ("passwd", &["-l", "bob"], ""),
        ("passwd", &["-u", "bob"], ""),
        ("passwd", &["-u", "bob"], ""),
        ("passwd", &["-d", "amy"], ""),
        ("passwd", &["nobody2"], ""),
        ("chpasswd", &["-c", "sha256"], "amy:one\nbob:two\n"),
        ("chpasswd", &["-m"], "amy:one\n"),
        ("chpasswd", &["-e"], "bob:$1$abc$def\n"),
        ("chpasswd", &[], "amy\n"),
        ("chpasswd", &[], "zed:x\n"),
    ]);
}

/// The tools on the running system's paths (no `-R`): inside a chroot of a temporary rootfs
/// holding rbox and its links.
#[test]
fn real_paths_in_chroot() {
    let Some(_f) = farm() else { return };
    let r = rootfs(&common::rbox_bin(), "rbox");
    for a in APPLETS {
        std::os::unix::fs::symlink("rbox", r.p("bin").join(a)).unwrap();
    }
    let run = |args: &[&str], input: &str| {
        let mut c = Command::new(chroot_bin());
        c.env_clear().env("PATH", "/bin").arg(r.path()).args(args);
        Out::from(common::run_with_input(&mut c, input.as_bytes()))
    };
    let probe = run(&["/bin/rbox", "--list"], "");
    if probe.code != 0 {
        common::skip("chroot not permitted here");
        return;
    }
    let o = run(&["/bin/adduser", "-D", "bob"], "");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        line_of(&r.etc("passwd"), "bob").unwrap(),
        "bob:x:1000:1000:Linux User,,,:/home/bob:/bin/ash"
    );
    assert_eq!(fs::metadata(r.p("home/bob")).unwrap().uid(), 1000);
    assert_eq!(
        fs::read_to_string(r.p("home/bob/.profile")).unwrap(),
        "export PS1='$ '\n"
    );
    let o = run(&["/bin/chpasswd"], "bob:s3cret\n");
    assert_eq!(o.code, 0, "{o:?}");
    assert!(verifies("s3cret", &shadow_hash(&r, "bob")));
    let o = run(&["/bin/addgroup", "bob", "users"], "");
    assert_eq!(o.code, 0);
    let o = run(&["/bin/deluser", "--remove-home", "bob"], "");
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(r.etc("passwd"), PASSWD);
    assert_eq!(r.etc("group"), GROUP);
    assert_eq!(r.etc("gshadow"), GSHADOW);
    assert!(!r.p("home/bob").exists());
    // On the running system a database that is a symlink is followed and rewritten in place.
    fs::rename(r.p("etc/group"), r.p("etc/group.real")).unwrap();
    std::os::unix::fs::symlink("group.real", r.p("etc/group")).unwrap();
    let o = run(&["/bin/addgroup", "g1"], "");
    assert_eq!(o.code, 0, "{o:?}");
    assert!(fs::symlink_metadata(r.p("etc/group"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(r.etc("group.real"), format!("{GROUP}g1:x:1000:\n"));
}

/// The lock is glibc's lckpwdf(3) lock (shadow's tools take it): while another process holds
/// a write lock on /etc/.pwd.lock, adduser waits.
#[test]
fn waits_for_lckpwdf_lock() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    let lock = r.p("etc/.pwd.lock");
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); \
             print('locked', flush=True); time.sleep(1.5)",
        ])
        .arg(&lock)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "locked\n");
    let t = std::time::Instant::now();
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    let waited = t.elapsed();
    holder.wait().unwrap();
    assert!(
        waited >= std::time::Duration::from_millis(1000),
        "did not wait: {waited:?}"
    );
    assert!(r.etc("passwd").contains("bob:x:1000:"));
}

/// On a terminal the password is read with echo off: run passwd on a pseudo-terminal
/// (Python's pty module) and check the typed password never comes back.
#[test]
fn passwd_on_a_terminal_does_not_echo() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    r.ok(f, "adduser", &["-D", "-H", "bob"]);
    let script = r#"
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-R", sys.argv[2], "bob"])
out = b""
def until(s):
    global out
    deadline = time.time() + 10
    while s not in out and time.time() < deadline:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
until(b"New password: ")
os.write(fd, b"Pty#Secret9\n")
until(b"Retype password: ")
os.write(fd, b"Pty#Secret9\n")
until(b"changed by")
if b"changed by" not in out:
    os.kill(pid, 9)
_, st = os.waitpid(pid, 0)
try:
    while True:
        d = os.read(fd, 1024)
        if not d:
            break
        out += d
except OSError:
    pass
sys.stdout.write(out.decode("latin-1"))
sys.exit(os.waitstatus_to_exitcode(st))
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(f.path("passwd"))
        .arg(r.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("Changing password for bob"), "{out}");
    assert!(
        out.contains("New password: ") && out.contains("Retype password: "),
        "{out}"
    );
    assert!(!out.contains("Pty#Secret9"), "password echoed: {out}");
    assert!(verifies("Pty#Secret9", &shadow_hash(&r, "bob")));
}

#[test]
fn long_root_option_and_relative_paths() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    let mut c = f.cmd("addgroup");
    c.arg("--root").arg(r.path()).arg("g1");
    assert_eq!(common::run(&mut c).status.code(), Some(0));
    let mut c = f.cmd("adduser");
    c.arg(format!("--root={}", r.path().display()))
        .args(["-D", "-h", "rel/home", "bob"]);
    let cwd = tempfile::tempdir().unwrap();
    fs::create_dir_all(r.p("rel")).unwrap();
    fs::create_dir_all(cwd.path().join("rel")).unwrap();
    c.current_dir(cwd.path());
    let o = Out::from(common::run(&mut c));
    assert_eq!(o.code, 0, "{o:?}");
    assert!(r.etc("group").contains("g1:x:1000:\n"));
    assert!(
        r.p("rel/home/.profile").exists(),
        "a relative home stays under the root"
    );
    assert!(!cwd.path().join("rel/home").exists());
    for applet in ["deluser", "delgroup", "passwd", "chpasswd"] {
        let mut c = f.cmd(applet);
        c.arg("--root").arg(r.path());
        match applet {
            "deluser" => c.arg("bob"),
            "delgroup" => c.arg("g1"),
            "passwd" => c.args(["-d", "root"]),
            _ => &mut c,
        };
        let o = Out::from(common::run_with_input(&mut c, b"root:pw\n"));
        assert_eq!(o.code, 0, "{applet}: {o:?}");
    }
    assert!(verifies("pw", &shadow_hash(&r, "root")));
    assert!(line_of(&r.etc("passwd"), "bob").is_none());
    assert!(line_of(&r.etc("group"), "g1").is_none());
}

/// Kill injection on the in-place path: /etc/passwd bind-mounted (rename gives EBUSY). A kill
/// during the in-place rewrite may leave passwd torn for a moment, but the journal was
/// committed before it started, so the next run always completes the change.
#[test]
fn kill_injection_bind_mounted() {
    let Some(f) = farm() else { return };
    let r = Root::new();
    let work = tempfile::tempdir().unwrap();
    let (pristine, src, out) = (
        work.path().join("p"),
        work.path().join("s"),
        work.path().join("o"),
    );
    for d in [&pristine, &src, &out] {
        fs::create_dir_all(d).unwrap();
    }
    for n in ["group", "gshadow", "shadow", "passwd"] {
        fs::copy(r.p(&format!("etc/{n}")), pristine.join(n)).unwrap();
    }
    let script = format!(
        r#"
for n in $(seq 1 80); do
  cp {p}/group {p}/gshadow {p}/shadow {root}/etc/
  cp {p}/passwd {src}/passwd
  mount --bind {src}/passwd {root}/etc/passwd
  rc=0
  SHELL= RBOX_ACCOUNTS_CRASH_AT=$n {add} -R {root} -D -H bob || rc=$?
  echo $rc > {out}/$n.rc
  {delgroup} -R {root} no-such-group 2>/dev/null || true
  for f in group gshadow shadow passwd; do cat {root}/etc/$f; echo --; done > {out}/$n.fixed
  ls -a {root}/etc > {out}/$n.ls
  umount {root}/etc/passwd
  [ $rc = 86 ] || break
done
"#,
        p = pristine.display(),
        src = src.display(),
        root = r.path().display(),
        out = out.display(),
        add = f.path("adduser").display(),
        delgroup = f.path("delgroup").display(),
    );
    let Some(o) = in_mount_ns(&script) else {
        return;
    };
    assert_eq!(o.code, 0, "{o:?}");
    let d = today();
    let before = format!("{GROUP}--\n{GSHADOW}--\n{SHADOW}--\n{PASSWD}--\n");
    let after = format!(
        "{GROUP}bob:x:1000:\n--\n{GSHADOW}bob:!::\n--\n{SHADOW}bob:!:{d}:0:99999:7:::\n--\n\
         {PASSWD}bob:x:1000:1000:Linux User,,,:/home/bob:/bin/ash\n--\n"
    );
    let mut n = 1;
    let mut in_place_steps = 0;
    loop {
        let rc = fs::read_to_string(out.join(format!("{n}.rc"))).unwrap();
        let fixed = fs::read_to_string(out.join(format!("{n}.fixed"))).unwrap();
        let ls = fs::read_to_string(out.join(format!("{n}.ls"))).unwrap();
        assert!(fixed == before || fixed == after, "step {n}: {fixed}");
        assert!(!ls.contains("rbox"), "step {n}: leftovers {ls}");
        if rc.trim() != "86" {
            assert_eq!(rc.trim(), "0");
            assert_eq!(fixed, after);
            break;
        }
        if fixed == after {
            in_place_steps += 1;
        }
        n += 1;
    }
    assert!(
        n > 15 && in_place_steps > 3,
        "{n} steps, {in_place_steps} after the commit point"
    );
    // The bind mount's source has the final contents.
    assert!(fs::read_to_string(src.join("passwd"))
        .unwrap()
        .contains("bob:x:1000:"));
}

#[test]
fn non_utf8_fields() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let Some(f) = farm() else { return };
    let r = Root::new();
    fs::create_dir_all(r.p("srv")).unwrap();
    let mut c = f.cmd("adduser");
    c.arg("-R")
        .arg(r.path())
        .args(["-D", "-g"])
        .arg(OsStr::from_bytes(b"Jos\xe9 \xff"))
        .arg("-h")
        .arg(OsStr::from_bytes(b"/srv/h\xff"))
        .arg("jose");
    let o = Out::from(common::run(&mut c));
    assert_eq!(o.code, 0, "{o:?}");
    let p = fs::read(r.p("etc/passwd")).unwrap();
    assert!(p.ends_with(b"jose:x:1000:1000:Jos\xe9 \xff:/srv/h\xff:/bin/ash\n"));
    assert!(r
        .path()
        .join(OsStr::from_bytes(b"srv/h\xff/.profile"))
        .exists());
    // A non-UTF-8 name is refused by the name rules, with its byte in the message.
    let mut c = f.cmd("addgroup");
    c.arg("-R").arg(r.path()).arg(OsStr::from_bytes(b"g\xff"));
    let o = Out::from(common::run(&mut c));
    assert_eq!(
        (o.code, o.err.as_str()),
        (
            1,
            "addgroup: illegal character with code 255 at position 1\n"
        )
    );
    r.ok(f, "deluser", &["--remove-home", "jose"]);
    assert!(!r.path().join(OsStr::from_bytes(b"srv/h\xff")).exists());
}
