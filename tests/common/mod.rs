//! The integration-test harness: runs the built rbox through applet links in a temporary
//! directory, with a controlled environment, and runs reference programs the same way for
//! differential tests.
//!
//! - The binary under test is `$RBOX_BIN` (what `scripts/test` and CI set: the static release
//!   build), else the one Cargo built for this test run.
//! - [`Farm`] installs the links once per test binary with `rbox --install -s`.
//! - The reference BusyBox is `$RBOX_REF_BUSYBOX`, else `/opt/rbox-ref/busybox` (built from
//!   Debian's source by `.ci/setup`); its links go into a farm of their own, so `busybox ls`
//!   is called as `ls` exactly like ours.
//! - A test whose applet is not compiled in, or whose reference is missing, skips with a
//!   message on stderr; with `RBOX_NO_SKIP=1` (CI's full profile) a skip is a failure.
//! - Environment: `LC_ALL=C`, `TZ=UTC`, `HOME` a temp dir, `PATH` = the farm then the system.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub fn rbox_bin() -> PathBuf {
    match std::env::var_os("RBOX_BIN") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_BIN_EXE_rbox")),
    }
}

pub fn ref_busybox() -> Option<PathBuf> {
    let p = std::env::var_os("RBOX_REF_BUSYBOX")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/rbox-ref/busybox"));
    p.exists().then_some(p)
}

/// Skips the calling test (returns true) with a message, or fails it under RBOX_NO_SKIP=1.
pub fn skip(why: &str) -> bool {
    if std::env::var_os("RBOX_NO_SKIP").is_some_and(|v| v == "1") {
        panic!("test would skip, and RBOX_NO_SKIP=1: {why}");
    }
    eprintln!("SKIPPED: {why}");
    true
}

/// A directory of applet links (`rbox --install -s`) with a private HOME and scratch space.
pub struct Farm {
    pub dir: tempfile::TempDir,
    pub bin: PathBuf,
    pub home: PathBuf,
    applets: Vec<String>,
}

impl Farm {
    fn install(exe: &Path, args: &[&str]) -> Farm {
        let dir = tempfile::Builder::new()
            .prefix("rbox-farm")
            .tempdir()
            .unwrap();
        let bin = dir.path().join("bin");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let st = Command::new(exe).args(args).arg(&bin).status().unwrap();
        assert!(st.success(), "{} {:?} failed", exe.display(), args);
        let list = Command::new(exe).arg("--list").output().unwrap();
        let applets = String::from_utf8_lossy(&list.stdout)
            .lines()
            .map(String::from)
            .collect();
        Farm {
            dir,
            bin,
            home,
            applets,
        }
    }

    pub fn has(&self, applet: &str) -> bool {
        self.applets.iter().any(|a| a == applet)
    }

    /// The path of an applet's link.
    pub fn path(&self, applet: &str) -> PathBuf {
        self.bin.join(applet)
    }

    /// A command for `applet` through its link, with the controlled environment.
    pub fn cmd(&self, applet: &str) -> Command {
        let mut c = Command::new(self.path(applet));
        self.env(&mut c);
        c
    }

    pub fn env(&self, c: &mut Command) {
        let path = format!(
            "{}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            self.bin.display()
        );
        c.env_clear()
            .env("PATH", path)
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env("HOME", &self.home)
            .env("TERM", "dumb")
            .stdin(Stdio::null());
    }
}

/// rbox's farm, installed once per test binary.
pub fn rbox() -> &'static Farm {
    static F: OnceLock<Farm> = OnceLock::new();
    F.get_or_init(|| Farm::install(&rbox_bin(), &["--install", "-s"]))
}

/// The reference BusyBox's farm, or None (after a skip message) when it is not built.
pub fn busybox() -> Option<&'static Farm> {
    static F: OnceLock<Option<Farm>> = OnceLock::new();
    F.get_or_init(|| ref_busybox().map(|bb| Farm::install(&bb, &["--install", "-s"])))
        .as_ref()
}

/// rbox's farm if `applet` is compiled in; otherwise None after a skip message.
pub fn applet(applet: &str) -> Option<&'static Farm> {
    let f = rbox();
    if f.has(applet) {
        Some(f)
    } else {
        skip(&format!(
            "applet {applet} is not compiled into {}",
            rbox_bin().display()
        ));
        None
    }
}

/// Both farms for a differential test, or None after a skip message.
pub fn pair(applet: &str) -> Option<(&'static Farm, &'static Farm)> {
    let ours = self::applet(applet)?;
    match busybox() {
        Some(bb) if bb.has(applet) => Some((ours, bb)),
        _ => {
            skip(&format!(
                "reference busybox with {applet} not found (run .ci/setup)"
            ));
            None
        }
    }
}

/// A system program for differential tests (dash, GNU tar, curl ...), or None after a skip.
pub fn system_program(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return Some(p);
        }
    }
    skip(&format!(
        "reference program {name} not installed (run .ci/setup)"
    ));
    None
}

/// Runs a command to completion with `input` on stdin.
pub fn run_with_input(c: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = feeder.join();
    out
}

pub fn run(c: &mut Command) -> Output {
    run_with_input(c, b"")
}

/// What a differential test compares: stdout and the exit status.
#[derive(Debug, PartialEq, Eq)]
pub struct Result {
    pub stdout: String,
    pub status: Option<i32>,
}

impl From<Output> for Result {
    fn from(o: Output) -> Self {
        Result {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            status: o.status.code(),
        }
    }
}

/// Runs `applet ARGS` in `cwd` through both farms and asserts the same stdout and status.
pub fn same_as_busybox(ours: &Farm, bb: &Farm, applet: &str, args: &[&str], cwd: &Path) {
    let mut a = ours.cmd(applet);
    a.args(args).current_dir(cwd);
    let mut b = bb.cmd(applet);
    b.args(args).current_dir(cwd);
    let (ra, rb) = (Result::from(run(&mut a)), Result::from(run(&mut b)));
    assert_eq!(
        ra, rb,
        "{applet} {args:?}: rbox (left) differs from busybox (right)"
    );
}

/// Bytes of an OsStr, for building arguments that are not UTF-8.
pub fn bytes(s: &OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}
