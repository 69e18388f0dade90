//! The multi-call front: dispatch, help, lists, --install.
mod common;

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::Path;
use std::process::Command;

use common::{rbox, rbox_bin, run};

fn rbox_cmd() -> Command {
    let mut c = Command::new(rbox_bin());
    rbox().env(&mut c);
    c
}

fn out(c: &mut Command) -> (String, String, i32) {
    let o = run(c);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

fn list() -> Vec<String> {
    let (o, _, st) = out(rbox_cmd().arg("--list"));
    assert_eq!(st, 0);
    o.lines().map(String::from).collect()
}

#[test]
fn list_is_sorted_and_has_true_false() {
    let l = list();
    let mut sorted = l.clone();
    sorted.sort();
    assert_eq!(l, sorted);
    assert!(l.contains(&"true".to_string()) && l.contains(&"false".to_string()));
}

#[test]
fn list_full_uses_busybox_directories() {
    let (o, _, st) = out(rbox_cmd().arg("--list-full"));
    assert_eq!(st, 0);
    let lines: Vec<&str> = o.lines().collect();
    assert_eq!(lines.len(), list().len());
    let expect = [
        ("true", "bin/true"),
        ("false", "bin/false"),
        ("sh", "bin/sh"),
        ("ls", "bin/ls"),
        ("tar", "bin/tar"),
        ("wget", "usr/bin/wget"),
        ("adduser", "usr/sbin/adduser"),
        ("addgroup", "usr/sbin/addgroup"),
        ("deluser", "usr/sbin/deluser"),
        ("delgroup", "usr/sbin/delgroup"),
        ("passwd", "usr/bin/passwd"),
        ("chpasswd", "usr/sbin/chpasswd"),
    ];
    let l = list();
    for (name, path) in expect {
        if l.iter().any(|a| a == name) {
            assert!(lines.contains(&path), "{path} missing from --list-full");
        }
    }
    // Same directories as the reference BusyBox for every applet both have.
    if let Some(bb) = common::ref_busybox() {
        let b = Command::new(bb).arg("--list-full").output().unwrap();
        let b = String::from_utf8_lossy(&b.stdout).into_owned();
        for line in &lines {
            let name = line.rsplit('/').next().unwrap();
            if let Some(theirs) = b.lines().find(|l| l.rsplit('/').next() == Some(name)) {
                assert_eq!(*line, theirs, "install dir of {name}");
            }
        }
    } else {
        common::skip("reference busybox not built: --list-full directories not compared");
    }
}

#[test]
fn dispatch_by_link_and_by_argument() {
    let f = rbox();
    assert_eq!(run(&mut f.cmd("true")).status.code(), Some(0));
    assert_eq!(run(&mut f.cmd("false")).status.code(), Some(1));
    assert_eq!(run(rbox_cmd().arg("true")).status.code(), Some(0));
    assert_eq!(run(rbox_cmd().arg("false")).status.code(), Some(1));
    // A path as the applet name: its basename counts.
    assert_eq!(
        run(rbox_cmd().arg("/some/where/false")).status.code(),
        Some(1)
    );
    // The front called as rbox-ANYTHING is still the front.
    let dir = tempfile::tempdir().unwrap();
    let alias = dir.path().join("rbox-x86_64");
    symlink(rbox_bin(), &alias).unwrap();
    let (o, _, st) = out(Command::new(&alias).arg("--list"));
    assert_eq!((o.lines().count(), st), (list().len(), 0));
    assert_eq!(
        run(Command::new(&alias).arg("false")).status.code(),
        Some(1)
    );
    // `rbox rbox false` is the front again, then false.
    assert_eq!(
        run(rbox_cmd().args(["rbox", "false"])).status.code(),
        Some(1)
    );
}

#[test]
fn leading_dash_is_ignored_for_lookup() {
    let dir = tempfile::tempdir().unwrap();
    let login = dir.path().join("-false");
    symlink(rbox_bin(), &login).unwrap();
    assert_eq!(run(&mut Command::new(&login)).status.code(), Some(1));
    // argv[0] "-false" given directly, as login(1) does.
    use std::os::unix::process::CommandExt;
    let mut c = Command::new(rbox_bin());
    c.arg0("-true");
    assert_eq!(run(&mut c).status.code(), Some(0));
    let mut c = Command::new(rbox_bin());
    c.arg0("-false");
    assert_eq!(run(&mut c).status.code(), Some(1));
}

#[test]
fn unknown_applet_is_127() {
    let (o, e, st) = out(rbox_cmd().arg("no-such-applet"));
    assert_eq!(
        (o.as_str(), e.as_str(), st),
        ("", "no-such-applet: applet not found\n", 127)
    );
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("frobnicate");
    symlink(rbox_bin(), &l).unwrap();
    let (_, e, st) = out(&mut Command::new(&l));
    assert_eq!((e.as_str(), st), ("frobnicate: applet not found\n", 127));
    let (_, e, st) = out(rbox_cmd().args(["--help", "nope"]));
    assert_eq!((e.as_str(), st), ("nope: applet not found\n", 127));
}

#[test]
fn same_statuses_as_busybox_for_unknown_and_trivial() {
    let Some(bb) = common::ref_busybox() else {
        common::skip("reference busybox not built");
        return;
    };
    for args in [
        &["no-such-applet"][..],
        &["true"],
        &["false"],
        &["true", "--help"],
        &["false", "--help"],
    ] {
        let a = run(rbox_cmd().args(args));
        let b = run(Command::new(&bb).args(args));
        assert_eq!(a.status.code(), b.status.code(), "{args:?}");
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
}

#[test]
fn help_forms() {
    let (o, _, st) = out(&mut rbox_cmd());
    assert_eq!(st, 0);
    assert!(o.starts_with("rbox "), "{o}");
    assert!(o.contains("Currently defined applets:"));
    for a in list() {
        assert!(o.contains(&a), "help lacks {a}");
    }
    let (o2, _, st) = out(rbox_cmd().arg("--help"));
    assert_eq!((o2, st), (o, 0));
    // true and false take --help as an operand (BusyBox).
    let f = rbox();
    let (o, _, st) = out(f.cmd("false").arg("--help"));
    assert_eq!((o.as_str(), st), ("", 1));
    let (o, _, st) = out(f.cmd("true").arg("--help"));
    assert_eq!((o.as_str(), st), ("", 0));
    // `rbox --help APPLET` prints the usage even for those.
    let (o, _, st) = out(rbox_cmd().args(["--help", "false"]));
    assert_eq!(st, 0);
    assert!(o.contains("Usage: false"), "{o}");
    // Every other applet: `APPLET --help` prints its usage and exits 0.
    for a in list() {
        if ["true", "false", "echo", "test", "[", "[["].contains(&a.as_str()) {
            continue;
        }
        let (o, _, st) = out(f.cmd(&a).arg("--help"));
        assert_eq!(st, 0, "{a} --help");
        assert!(o.contains(&format!("Usage: {a}")), "{a} --help: {o}");
    }
}

#[test]
fn version_names_applets() {
    let (o, _, st) = out(rbox_cmd().arg("--version"));
    assert_eq!(st, 0);
    assert!(o.starts_with(&format!("rbox {}\n", env!("CARGO_PKG_VERSION"))));
    for a in list() {
        assert!(o.split_whitespace().any(|w| w == a), "--version lacks {a}");
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (x, y) = (fs::metadata(a).unwrap(), fs::metadata(b).unwrap());
    (x.dev(), x.ino()) == (y.dev(), y.ino())
}

#[test]
fn install_flat_symlinks_and_hardlinks() {
    let bin = rbox_bin();
    let d = tempfile::tempdir().unwrap();
    // Hard links (default): same inode as the binary, when on the same file system.
    let exe = d.path().join("rbox");
    // Copied by cp, not fs::copy: a write fd open in this multi-threaded harness leaks into
    // children forked meanwhile by other tests, and exec then fails with ETXTBSY.
    assert!(Command::new("cp")
        .arg(&bin)
        .arg(&exe)
        .status()
        .unwrap()
        .success());
    let hard = d.path().join("hard");
    let st = Command::new(&exe)
        .args(["--install"])
        .arg(&hard)
        .status()
        .unwrap();
    assert!(st.success());
    let sym = d.path().join("sym");
    let st = Command::new(&exe)
        .args(["--install", "-s"])
        .arg(&sym)
        .status()
        .unwrap();
    assert!(st.success());
    for a in list() {
        let h = hard.join(&a);
        assert!(!fs::symlink_metadata(&h).unwrap().file_type().is_symlink());
        assert!(same_file(&h, &exe), "{a}");
        let s = sym.join(&a);
        assert_eq!(fs::read_link(&s).unwrap(), exe.canonicalize().unwrap());
    }
    assert_eq!(
        Command::new(hard.join("false")).status().unwrap().code(),
        Some(1)
    );
    assert_eq!(
        Command::new(sym.join("false")).status().unwrap().code(),
        Some(1)
    );
    // Re-running is safe and changes nothing.
    let st = Command::new(&exe)
        .args(["--install", "-s"])
        .arg(&sym)
        .status()
        .unwrap();
    assert!(st.success());
    // Switching kinds replaces our own links.
    let st = Command::new(&exe)
        .args(["--install"])
        .arg(&sym)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(!fs::symlink_metadata(sym.join("true"))
        .unwrap()
        .file_type()
        .is_symlink());
    // No temporary files left behind.
    for e in fs::read_dir(&sym).unwrap() {
        let n = e.unwrap().file_name();
        assert!(list().iter().any(|a| *a == *n.to_string_lossy()), "{n:?}");
    }
}

#[test]
fn install_under_root_makes_relative_links_into_the_image() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("img");
    let st = Command::new(rbox_bin())
        .args(["--install", "-s", "--root"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(st.success());
    // The binary is copied into the image, and every link leads there relatively.
    assert!(root.join("bin/rbox").is_file());
    let (o, _, _) = out(rbox_cmd().arg("--list-full"));
    for line in o.lines() {
        let link = root.join(line);
        let target = fs::read_link(&link).unwrap();
        assert!(target.is_relative(), "{line} -> {}", target.display());
        let expected = if line.starts_with("bin/") {
            "rbox".to_string()
        } else if line.starts_with("usr/") {
            "../../bin/rbox".to_string()
        } else {
            "../bin/rbox".to_string()
        };
        assert_eq!(target.to_str().unwrap(), expected, "{line}");
        assert!(same_file(&link, &root.join("bin/rbox")));
    }
    assert_eq!(
        Command::new(root.join("bin/false"))
            .status()
            .unwrap()
            .code(),
        Some(1)
    );
    // Hard links under the root point at the image's binary, not the host's.
    let root2 = d.path().join("img2");
    let st = Command::new(rbox_bin())
        .args(["--install", "--root"])
        .arg(&root2)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(same_file(&root2.join("bin/true"), &root2.join("bin/rbox")));
    assert!(!same_file(&root2.join("bin/true"), &rbox_bin()));
    // --root and DIR together are a usage error.
    let st = Command::new(rbox_bin())
        .args(["--install", "--root"])
        .arg(&root2)
        .arg(d.path())
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));
}

#[test]
fn install_never_overwrites_foreign_files_but_f_replaces_busybox() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("bin");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("true"), b"#!/bin/sh\necho mine\n").unwrap();
    // A BusyBox symlink and a BusyBox binary copy.
    let fake_bb = d.path().join("busybox");
    fs::write(
        &fake_bb,
        b"\x7fELF....BusyBox v1.36.1 (2024) multi-call binary",
    )
    .unwrap();
    symlink(&fake_bb, dir.join("false")).unwrap();
    let (_, e, st) = out(Command::new(rbox_bin()).args(["--install", "-s"]).arg(&dir));
    assert_eq!(st, 1, "{e}");
    assert!(e.contains("true") && e.contains("not replaced"), "{e}");
    assert_eq!(
        fs::read(dir.join("true")).unwrap(),
        b"#!/bin/sh\necho mine\n"
    );
    assert_eq!(fs::read_link(dir.join("false")).unwrap(), fake_bb);
    // -f replaces BusyBox's link but still not the foreign script.
    let (_, e, st) = out(Command::new(rbox_bin())
        .args(["--install", "-s", "-f"])
        .arg(&dir));
    assert_eq!(st, 1, "{e}");
    assert_eq!(
        fs::read(dir.join("true")).unwrap(),
        b"#!/bin/sh\necho mine\n"
    );
    assert_eq!(
        fs::read_link(dir.join("false")).unwrap(),
        rbox_bin().canonicalize().unwrap()
    );
    // A regular file that is a BusyBox binary is replaced by -f too.
    fs::remove_file(dir.join("true")).unwrap();
    fs::copy(&fake_bb, dir.join("true")).unwrap();
    let (_, e, st) = out(Command::new(rbox_bin()).args(["--install", "-f"]).arg(&dir));
    assert_eq!(st, 0, "{e}");
    assert!(same_file(&dir.join("true"), &rbox_bin()) || fs::read_link(dir.join("true")).is_ok());
}

#[test]
fn install_usage_errors() {
    let (_, e, st) = out(rbox_cmd().args(["--install", "--bogus"]));
    assert_eq!(st, 1);
    assert!(e.contains("--bogus"), "{e}");
    let (_, _, st) = out(rbox_cmd().args(["--install", "a", "b"]));
    assert_eq!(st, 1);
}

#[test]
fn binary_is_static_when_built_for_musl() {
    // Only meaningful for the release binary CI tests (RBOX_BIN); the debug one is dynamic.
    if std::env::var_os("RBOX_BIN").is_none() {
        return;
    }
    let data = fs::read(rbox_bin()).unwrap();
    assert_eq!(&data[..4], b"\x7fELF");
    // No PT_INTERP: an ELF64 program header table scan.
    let phoff = u64::from_le_bytes(data[32..40].try_into().unwrap()) as usize;
    let phentsize = u16::from_le_bytes(data[54..56].try_into().unwrap()) as usize;
    let phnum = u16::from_le_bytes(data[56..58].try_into().unwrap()) as usize;
    for i in 0..phnum {
        let p_type = u32::from_le_bytes(data[phoff + i * phentsize..][..4].try_into().unwrap());
        assert_ne!(
            p_type, 3,
            "PT_INTERP present: the binary is dynamically linked"
        );
        assert_ne!(
            p_type, 2,
            "PT_DYNAMIC present: the binary is dynamically linked"
        );
    }
}

#[test]
fn install_hard_links_across_file_systems_fall_back_to_symlinks() {
    // /dev/shm is a tmpfs: a different file system from the binary's, where one exists.
    let shm = Path::new("/dev/shm");
    let Ok(m) = fs::metadata(shm) else {
        common::skip("/dev/shm missing");
        return;
    };
    if m.dev() == fs::metadata(rbox_bin()).unwrap().dev() {
        common::skip("/dev/shm is on the binary's file system");
        return;
    }
    let d = tempfile::tempdir_in(shm).unwrap();
    let (_, e, st) = out(Command::new(rbox_bin()).arg("--install").arg(d.path()));
    assert_eq!(st, 0, "{e}");
    assert!(e.contains("other file system"), "{e}");
    let t = d.path().join("true");
    assert_eq!(
        fs::read_link(&t).unwrap(),
        rbox_bin().canonicalize().unwrap()
    );
    assert_eq!(Command::new(&t).status().unwrap().code(), Some(0));
}

/// A setuid-root copy of rbox run by an unprivileged user: `sh` (and every applet that is not
/// marked setuid) runs with the caller's ids only, so the bit never gives a root shell.
#[test]
fn setuid_bit_is_dropped_before_ordinary_applets() {
    use std::os::unix::fs::PermissionsExt;
    let f = rbox();
    if !f.has("sh") {
        return;
    }
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root to make a setuid-root copy");
        return;
    }
    let Some(setpriv) = common::system_program("setpriv") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: a zeroed statvfs is a valid out-parameter; the path is NUL-terminated.
    let nosuid = unsafe {
        let mut v: libc::statvfs = std::mem::zeroed();
        let p = std::ffi::CString::new(d.path().as_os_str().as_encoded_bytes()).unwrap();
        libc::statvfs(p.as_ptr(), &mut v) == 0 && v.f_flag & libc::ST_NOSUID != 0
    };
    if nosuid {
        common::skip("the temporary directory is on a nosuid mount");
        return;
    }
    let copy = d.path().join("rbox");
    fs::copy(rbox_bin(), &copy).unwrap();
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o4755)).unwrap();
    let as_nobody = |args: &[&str]| {
        let mut c = Command::new(&setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&copy)
            .args(args);
        out(&mut c)
    };
    // What `sh` hands to a child: effective and real ids alike.
    let (o, e, st) = as_nobody(&["sh", "-c", "exec /usr/bin/id -u; "]);
    assert_eq!((o.as_str(), st), ("65534\n", 0), "{e}");
    let (o, _, _) = as_nobody(&[
        "sh",
        "-c",
        "/usr/bin/id -ru; /usr/bin/id -g; /usr/bin/id -G",
    ]);
    assert_eq!(o, "65534\n65534\n65534\n");
    // ls as well.
    let (_, e, st) = as_nobody(&["ls", "/root"]);
    assert_ne!(st, 0, "ls read /root through the setuid bit");
    assert!(e.contains("Permission denied"), "{e}");
}
