//! ls: differential tests against the reference BusyBox (BusyBox's options) and GNU ls
//! (GNU-only options), on a fixture with every file type, plus pseudo-terminal tests.
//!
//! Normalisations: none for BusyBox (byte-exact stdout and status). GNU long listings are
//! compared token by token (`tokens`), since every long format uses BusyBox's column widths.
mod common;

use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use common::{Farm, Result as Res};

const OLD: i64 = 981_173_106; // 2001-02-03 04:05:06 UTC
const PRE_1970: i64 = -312_000_000; // 1960
const FUTURE_YEARS: i64 = 10 * 365 * 86400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn set_time(p: &Path, secs: i64) {
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    let ts = [
        libc::timespec {
            tv_sec: secs as libc::time_t,
            tv_nsec: 0,
        },
        libc::timespec {
            tv_sec: secs as libc::time_t,
            tv_nsec: 0,
        },
    ];
    // SAFETY: c is NUL-terminated, ts has two entries.
    let r = unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            ts.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    assert_eq!(r, 0, "utimensat {}", p.display());
}

fn chown(p: &Path, uid: u32, gid: u32) {
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: c is NUL-terminated.
    unsafe { libc::lchown(c.as_ptr(), uid, gid) };
}

fn mknod(p: &Path, mode: u32, maj: u32, min: u32) -> bool {
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: c is NUL-terminated.
    unsafe { libc::mknod(c.as_ptr(), mode, libc::makedev(maj, min)) == 0 }
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The fixture: every file type, special bits, a sparse 5 GiB file, odd owners, old, recent,
/// future and pre-1970 times; plain ASCII names unless `odd_names`.
fn fixture(odd_names: bool) -> tempfile::TempDir {
    fixture_for(odd_names, false)
}

/// `for_gnu`: no owner whose name is longer than 8 bytes (BusyBox truncates it, GNU not).
fn fixture_for(odd_names: bool, for_gnu: bool) -> tempfile::TempDir {
    let t = tempfile::Builder::new()
        .prefix("rbox-ls")
        .tempdir()
        .unwrap();
    let d = t.path();
    let w = |n: &str, data: &[u8]| std::fs::write(d.join(n), data).unwrap();
    w("file", b"hello\n");
    w("exe", b"#!/bin/sh\n");
    chmod(&d.join("exe"), 0o755);
    w("suid", b"x");
    chmod(&d.join("suid"), 0o4755);
    w("sgid", b"x");
    chmod(&d.join("sgid"), 0o2644);
    w("mid.dat", &vec![b'x'; 1536]);
    w("k100", &vec![b'y'; 100_000]);
    w(".hidden", b"");
    w("backup~", b"");
    w("a.tar.gz", b"");
    w("b.c", b"1234");
    for n in ["v10", "v9", "v1.2", "v1.10", "noext"] {
        w(n, b"");
    }
    let big = std::fs::File::create(d.join("big")).unwrap();
    big.set_len(5 << 30).unwrap();
    drop(big);
    std::fs::create_dir(d.join("dir")).unwrap();
    std::fs::create_dir(d.join("dir/sub")).unwrap();
    std::fs::create_dir(d.join("dir/sub/deeper")).unwrap();
    std::fs::write(d.join("dir/inner"), b"abc").unwrap();
    std::fs::write(d.join("dir/sub/leaf"), b"").unwrap();
    std::fs::write(d.join("dir/.dot"), b"").unwrap();
    std::fs::create_dir(d.join("empty")).unwrap();
    std::fs::create_dir(d.join("sticky")).unwrap();
    chmod(&d.join("sticky"), 0o1777);
    std::fs::create_dir(d.join("sticky2")).unwrap();
    chmod(&d.join("sticky2"), 0o1754);
    std::os::unix::fs::symlink("file", d.join("link")).unwrap();
    std::os::unix::fs::symlink("dir", d.join("dirlink")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    std::os::unix::fs::symlink("loop2", d.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", d.join("loop2")).unwrap();
    std::os::unix::fs::symlink("exe", d.join("exelink")).unwrap();
    let fifo = CString::new(d.join("fifo").as_os_str().as_bytes()).unwrap();
    // SAFETY: NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let sock = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    drop(sock);
    // Devices need root; without it the fixture simply lacks them.
    mknod(&d.join("chardev"), libc::S_IFCHR | 0o620, 4, 64);
    mknod(&d.join("blockdev"), libc::S_IFBLK | 0o660, 259, 1234);
    w("nobody_owns", b"");
    chown(&d.join("nobody_owns"), 54321, 54321);
    if !for_gnu {
        w("longname_owner", b"");
        chown(&d.join("longname_owner"), 998, 998);
    }
    w("daemon_owned", b"");
    chown(&d.join("daemon_owned"), 1, 1);
    w("recent", b"");
    w("future", b"");
    w("pre1970", b"");
    if odd_names {
        for n in [
            &b"new\nline"[..],
            b"tab\there",
            b"sp ace",
            b"\xff\xfe",
            "caf\u{e9}".as_bytes(),
            "snow\u{2603}".as_bytes(),
            b"back\\slash",
            b"dq\"x",
            b"sq'x",
            b"del\x7f",
        ] {
            std::fs::write(d.join(OsStr::from_bytes(n)), b"").unwrap();
        }
    }
    // Fixed times everywhere, then the special ones; directories last.
    let now = now();
    for e in walk(d) {
        set_time(&e, OLD);
    }
    set_time(&d.join("recent"), now - 86400);
    set_time(&d.join("future"), now + FUTURE_YEARS);
    set_time(&d.join("pre1970"), PRE_1970);
    set_time(&d.join("b.c"), OLD + 60);
    set_time(&d.join("k100"), OLD + 120);
    set_atime(&d.join("v9"), now - 100, OLD);
    set_time(d, OLD);
    t
}

fn set_atime(p: &Path, atime: i64, mtime: i64) {
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    let ts = [
        libc::timespec {
            tv_sec: atime as libc::time_t,
            tv_nsec: 0,
        },
        libc::timespec {
            tv_sec: mtime as libc::time_t,
            tv_nsec: 0,
        },
    ];
    // SAFETY: c is NUL-terminated, ts has two entries.
    let r = unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), 0) };
    assert_eq!(r, 0);
}

fn walk(d: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        if md.is_dir() {
            v.extend(walk(&p));
        }
        v.push(p);
    }
    v
}

fn run_in(farm: &Farm, args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Res {
    let mut c = farm.cmd("ls");
    c.args(args).current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    Res::from(common::run(&mut c))
}

/// Ours and BusyBox's give the same stdout and status for `args`, and (when `base` is given)
/// the output differs from the run with `base`: the option does something.
fn bb_case(
    ours: &Farm,
    bb: &Farm,
    dir: &Path,
    args: &[&str],
    base: Option<&[&str]>,
    env: &[(&str, &str)],
) {
    let a = run_in(ours, args, dir, env);
    let b = run_in(bb, args, dir, env);
    assert_eq!(
        a, b,
        "ls {args:?} env {env:?}: rbox (left) differs from busybox (right)"
    );
    if let Some(base) = base {
        let c = run_in(ours, base, dir, env);
        assert_ne!(
            a.stdout, c.stdout,
            "ls {args:?} prints the same as ls {base:?}: the option shows no effect"
        );
    }
}

#[test]
fn busybox_options_each_show_an_effect() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(false);
    let d = t.path();
    let cases: &[(&[&str], &[&str])] = &[
        (&["-1"], &["-C"]),
        (&["-A"], &[]),
        (&["-a"], &["-A"]),
        (&["-C"], &[]),
        (&["-x"], &["-C"]),
        (&["-d"], &[]),
        (&["-d", "dir"], &["dir"]),
        (&["-F"], &[]),
        (&["-p"], &[]),
        (&["-l"], &[]),
        (&["-g"], &["-l"]),
        (&["-n"], &["-l"]),
        (&["-i"], &[]),
        (&["-s"], &[]),
        (&["-k", "-s"], &["-k"]),
        (&["-lh"], &["-l"]),
        (&["-R"], &[]),
        (&["-r"], &[]),
        (&["-S"], &[]),
        (&["-t"], &[]),
        (&["-X"], &[]),
        (&["-v"], &[]),
        (&["-c"], &["-t"]),
        (&["-u"], &["-t"]),
        (&["-lc"], &["-l"]),
        (&["-lu"], &["-l"]),
        (&["-Q"], &[]),
        (&["-L", "-l"], &["-l"]),
        (&["-H", "-l", "dirlink", "link"], &["-l", "dirlink", "link"]),
        (&["-w", "40", "-C"], &["-C"]),
        (&["-T", "4", "-C", "-w", "40"], &["-C"]),
        (&["--full-time"], &["-l"]),
        (&["--group-directories-first"], &[]),
        (&["--color=always"], &[]),
        (&["--color=always", "-l"], &["-l"]),
        (&["--color=always", "-C"], &["-C"]),
        (&["--color=always", "-lF"], &["-lF"]),
        (&["--color=yes", "-x"], &["-x"]),
        (&["--color=force"], &[]),
    ];
    for (args, base) in cases {
        bb_case(ours, bb, d, args, Some(base), &[]);
    }
}

#[test]
fn busybox_combinations() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(false);
    let d = t.path();
    let combos: &[&[&str]] = &[
        &["-la"],
        &["-ltr"],
        &["-lhS"],
        &["-1R"],
        &["-lnd"],
        &["-lnd", "dir", "file", "."],
        &["-CF"],
        &["-xF"],
        &["-lR"],
        &["-laR", "dir"],
        &["-lL"],
        &["-LR"],
        &["-lH"],
        &["-lis"],
        &["-Cis"],
        &["-Cs"],
        &["-Ci"],
        &["-ls", "-h"],
        &["-lS", "-r"],
        &["-ltu"],
        &["-ltc"],
        &["-lt", "-S"],
        &["-lS", "-t"],
        &["-tr"],
        &["-Xr"],
        &["-vr"],
        &["-lAp"],
        &["-1F"],
        &["-lF"],
        &["-lFL"],
        &["-gn"],
        &["-ng"],
        &["-l1"],
        &["-1l"],
        &["-lC"],
        &["-Cl"],
        &["-Cx"],
        &["-xC"],
        &["-1x"],
        &["-x1"],
        &["-HL", "-l"],
        &["-LH", "-l"],
        &["-dR"],
        &["-Rd"],
        &["-lQ"],
        &["-CQ"],
        &["-l", "--group-directories-first", "-r"],
        &["--group-directories-first", "-S"],
        &["-la", "--full-time", "-t"],
        &["-w", "0", "-C"],
        &["-w", "1", "-x"],
        &["-w", "200", "-x"],
        &["-w", "1000", "-C"],
        &["-R", "dir/"],
        &["-R", "./dir"],
        &["-R", "dir", "empty", "file", "link"],
        &["dir", "empty"],
        &["file", "link", "dirlink"],
        &["-l", "file", "link", "dirlink", "dangling"],
        &["-F", "file", "link", "dirlink", "exe"],
        &["-p", "dirlink"],
        &["-s", "dir", "file"],
        &["-l", "empty"],
        &["-ls", "empty", "dir"],
        &["--color=always", "-la", "dir", "file"],
        &["--color=always", "-lL"],
        &["--color=always", "-Ls"],
        &["--color=always", "-lR"],
        &["--color=never", "-l"],
        &["--color=auto", "-l"],
        &["--color=no"],
        &["--color=bogus"],
        &["-l", "--color", "-F"],
        &["-lh", "big", "k100", "mid.dat", "b.c", "file"],
    ];
    for args in combos {
        bb_case(ours, bb, d, args, None, &[]);
    }
}

#[test]
fn busybox_version_sort() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = tempfile::Builder::new()
        .prefix("rbox-ls")
        .tempdir()
        .unwrap();
    let d = t.path();
    for n in [
        "000", "00", "01", "010", "09", "0", "1", "9", "10", "a2", "a10", "a02", "a1b", "a1",
        "x1.2.10", "x1.2.9", "x1.10", "x1.9a", "x01.1", "y", "y0", "y00", "y.1", "y-1",
    ] {
        std::fs::write(d.join(n), b"").unwrap();
    }
    bb_case(ours, bb, d, &["-v"], Some(&[][..]), &[]);
    bb_case(ours, bb, d, &["-vr"], Some(&["-v"][..]), &[]);
    bb_case(ours, bb, d, &["-X"], None, &[]);
}

#[test]
fn busybox_errors_and_statuses() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(false);
    let d = t.path();
    for args in [
        &["nope"][..],
        &["nope", "file"],
        &["file", "nope", "dir", "zzz"],
        &["-l", "dangling"],
        &["dangling"],
        &["loop1"],
        &["-l", "loop1"],
        &["-L"],
        &["-lL", "dir", "loop1"],
        &["-w", "abc"],
        &["-w"],
        &["-y"],
        &["--bogus"],
    ] {
        bb_case(ours, bb, d, args, None, &[]);
    }
    // The message for a missing operand: BusyBox's form.
    let mut c = ours.cmd("ls");
    c.arg("nope").current_dir(d);
    let o = common::run(&mut c);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(o.stderr, b"ls: nope: No such file or directory\n");
    // Errors come in order with the listing (stdout flushed before each message).
    let mut c = ours.cmd("ls");
    c.args(["-1", "-L", "."]).current_dir(d);
    let o = common::run(&mut c);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ls: ./dangling: No such file or directory"),
        "{err}"
    );
}

#[test]
fn busybox_odd_names() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(true);
    let d = t.path();
    for args in [
        &["-Q"][..],
        &["-CQ"],
        &["-xQ", "-w", "60"],
        &["-lQ"],
        &["-1FQ"],
    ] {
        bb_case(ours, bb, d, args, None, &[]);
        bb_case(ours, bb, d, args, None, &[("LC_ALL", "C.UTF-8")]);
    }
}

/// POSIX: without -q, names go to a pipe as they are (BusyBox would print '?' for
/// non-printable bytes and for characters past U+02FF; on a terminal we do as it does).
#[test]
fn names_to_a_pipe_are_literal() {
    let Some(ours) = common::applet("ls") else {
        return;
    };
    let t = fixture_for(true, true);
    let d = t.path();
    gnu_case(ours, d, &[], &["-Q"], false, &[]);
    gnu_case(ours, d, &["-1F"], &["-1"], false, &[]);
    gnu_case(ours, d, &["-l"], &["-lQ"], true, &[]);
    let mut c = ours.cmd("ls");
    c.current_dir(d);
    let o = common::run(&mut c);
    for n in [
        &b"new\nline\n"[..],
        b"\n\xff\xfe\n",
        "snow\u{2603}\n".as_bytes(),
    ] {
        assert!(o.stdout.windows(n.len()).any(|w| w == n), "{n:?}");
    }
}

#[test]
fn busybox_environment() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(false);
    let d = t.path();
    bb_case(
        ours,
        bb,
        d,
        &["-C"],
        Some(&["-C"][..]).filter(|_| false),
        &[("COLUMNS", "40")],
    );
    bb_case(ours, bb, d, &["-x"], None, &[("COLUMNS", "1")]);
    bb_case(ours, bb, d, &["-x"], None, &[("COLUMNS", "200")]);
    bb_case(ours, bb, d, &["-l"], None, &[("TZ", "America/New_York")]);
    bb_case(ours, bb, d, &["-l"], None, &[("TZ", "Asia/Kolkata")]);
    bb_case(
        ours,
        bb,
        d,
        &["--full-time"],
        None,
        &[("TZ", "Australia/Lord_Howe")],
    );
    bb_case(
        ours,
        bb,
        d,
        &["--full-time"],
        None,
        &[("TZ", "EST+5EDT,M3.2.0/2,M11.1.0/2")],
    );
    bb_case(ours, bb, d, &["-l"], None, &[("TZ", "<+0330>-3:30")]);
    // The local time zone really applies.
    let a = run_in(ours, &["--full-time", "file"], d, &[("TZ", "Asia/Kolkata")]);
    assert!(
        a.stdout.contains("2001-02-03 09:35:06 +0530"),
        "{}",
        a.stdout
    );
}

/// GNU ls with the same controlled environment.
fn gnu(farm: &Farm, args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Option<Res> {
    let ls = common::system_program("ls")?;
    let mut c = Command::new(ls);
    farm.env(&mut c);
    c.args(args).current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    Some(Res::from(common::run(&mut c)))
}

fn tokens(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn gnu_case(
    ours: &Farm,
    dir: &Path,
    args: &[&str],
    base: &[&str],
    by_tokens: bool,
    env: &[(&str, &str)],
) {
    let Some(g) = gnu(ours, args, dir, env) else {
        return;
    };
    let a = run_in(ours, args, dir, env);
    if by_tokens {
        assert_eq!(
            (tokens(&a.stdout), a.status),
            (tokens(&g.stdout), g.status),
            "ls {args:?}: rbox (left) differs from GNU (right)"
        );
    } else {
        assert_eq!(a, g, "ls {args:?}: rbox (left) differs from GNU (right)");
    }
    let b = run_in(ours, base, dir, env);
    assert_ne!(
        a.stdout, b.stdout,
        "ls {args:?} shows no effect over {base:?}"
    );
}

#[test]
fn gnu_only_options() {
    let Some(ours) = common::applet("ls") else {
        return;
    };
    let t = fixture_for(false, true);
    let d = t.path();
    let exact: &[(&[&str], &[&str])] = &[
        (&["-B"], &[]),
        (&["--ignore-backups"], &[]),
        (&["-I", "v*"], &[]),
        (&["--ignore=*.c"], &[]),
        (&["-a", "-I", ".*"], &["-a"]),
        (&["--hide=v*"], &[]),
        (&["-A", "--hide=v*", "-I", "b*"], &["-A", "--hide=v*"]),
        (
            &["-U", "-d", "file", "dir", "exe"],
            &["-d", "file", "dir", "exe"],
        ),
        (&["--sort=size"], &[]),
        (&["--sort=time"], &[]),
        (&["--sort=version"], &[]),
        (
            &["--sort=extension", "-d", "a.tar.gz", "b.c", "noext"],
            &["-d", "a.tar.gz", "b.c", "noext"],
        ),
        (&["--sort=none", "-d", "v9", "file"], &["-d", "v9", "file"]),
        (
            &["-f", "-d", "file", "dir", "exe"],
            &["-d", "file", "dir", "exe"],
        ),
        (&["--indicator-style=slash"], &[]),
        (&["--indicator-style=file-type"], &[]),
        (&["--indicator-style=classify"], &[]),
        (&["--file-type"], &[]),
        (&["-F", "--indicator-style=none"], &["-F"]),
        (&["-m"], &[]),
        (&["-m", "-w", "40"], &["-m"]),
        (&["-mF", "-w", "50"], &["-m", "-w", "50"]),
        (&["-m", "-w", "0"], &["-m"]),
        (&["--format=commas"], &[]),
        (
            &["-w", "60", "-C", "--format=single-column"],
            &["-w", "60", "-C"],
        ),
        (&["-Z"], &[]),
        (&["-Zd", "file", "dir"], &["-d", "file", "dir"]),
        (&["-r", "--sort=size"], &["--sort=size"]),
    ];
    for (args, base) in exact {
        gnu_case(ours, d, args, base, false, &[]);
    }
    // Long listings keep BusyBox's widths: compare field by field.
    let long: &[(&[&str], &[&str])] = &[
        (&["-o"], &["-l"]),
        (&["-lG"], &["-l"]),
        (&["-og"], &["-l"]),
        (&["-ln", "-o"], &["-ln"]),
        (&["-l", "--time-style=long-iso"], &["-l"]),
        (&["-l", "--time-style=full-iso"], &["-l"]),
        (&["-l", "--time-style=iso"], &["-l"]),
        (&["-l", "--time-style=+%Y/%j %s"], &["-l"]),
        (&["-l", "--time-style=+%F%n%T"], &["-l"]),
        (
            &["-l", "--time-style=posix-long-iso"],
            &["-l", "--time-style=long-iso"],
        ),
        (&["-l", "--si"], &["-l"]),
        (&["-l", "--block-size=K"], &["-l"]),
        (&["-l", "--block-size=1M"], &["-l"]),
        (&["-l", "--block-size=human-readable"], &["-l"]),
        (&["-ls", "--block-size=K"], &["-ls"]),
        (&["-lZ"], &["-l"]),
        (&["-l", "--time=ctime", "-d", "file"], &["-l", "-d", "file"]),
        (
            &["-l", "--time=atime", "--sort=time"],
            &["-l", "--sort=time"],
        ),
        (&["-lt", "--time=birth"], &["-lt"]),
        (&["-t", "--time=ctime"], &["-t"]),
        (&["-fl", "-d", "file", "dir"], &["-l", "-d", "file", "dir"]),
    ];
    for (args, base) in long {
        gnu_case(ours, d, args, base, true, &[]);
    }
}

#[test]
fn gnu_quoting() {
    let Some(ours) = common::applet("ls") else {
        return;
    };
    let t = fixture_for(true, true);
    let d = t.path();
    for args in [
        &["-b"][..],
        &["--escape"],
        &["-q"],
        &["--hide-control-chars"],
        &["-N"],
    ] {
        gnu_case(ours, d, args, &["-Q"], false, &[]);
    }
    gnu_case(ours, d, &["-b"], &["-N"], false, &[("LC_ALL", "C.UTF-8")]);
    gnu_case(ours, d, &["-q"], &["-N"], false, &[("LC_ALL", "C.UTF-8")]);
    // -N never mangles bytes.
    let a = run_in(ours, &["-N"], d, &[]);
    assert!(a.stdout.contains("new\nline"));
    let mut c = ours.cmd("ls");
    c.arg("-N").current_dir(d);
    let o = common::run(&mut c);
    assert!(o.stdout.windows(3).any(|w| w == b"\n\xff\xfe"));
}

#[test]
fn gnu_ls_colors() {
    let Some(ours) = common::applet("ls") else {
        return;
    };
    let t = fixture_for(false, true);
    let d = t.path();
    let lsc = "di=01;34:ln=01;36:ex=01;32:*.tar.gz=01;31:*.C=35:or=40;31;01:pi=33:so=01;35:su=37;41:sg=30;43:tw=30;42:st=37;44";
    let env = [("LS_COLORS", lsc)];
    gnu_case(ours, d, &["--color=always"], &[], false, &env);
    gnu_case(ours, d, &["--color=always", "-F"], &["-F"], false, &env);
    gnu_case(ours, d, &["--color=always", "-l"], &["-l"], true, &env);
    let env = [("LS_COLORS", "ln=target:di=1:mi=05;31")];
    gnu_case(ours, d, &["--color=always", "-l"], &["-l"], true, &env);
    gnu_case(ours, d, &["--color=always"], &[], false, &env);
    let env = [("LS_COLORS", "rs=1:ec=\\e[0;m:lc=\\e[:rc=m:fi=\\x31")];
    gnu_case(ours, d, &["--color=always", "-l"], &["-l"], true, &env);
    // NO_COLOR turns off the automatic colours but not --color=always.
    let a = run_in(ours, &["--color=always"], d, &[("NO_COLOR", "1")]);
    assert!(a.stdout.contains('\x1b'));
    let a = run_in(ours, &["--color=auto"], d, &[("NO_COLOR", "1")]);
    assert!(!a.stdout.contains('\x1b'));
}

/// Runs `sh -c SCRIPT` inside a pseudo-terminal through util-linux `script`; returns the
/// terminal's bytes with CR LF turned into LF.
fn in_pty(farm: &Farm, script_body: &str, cwd: &Path, env: &[(&str, &str)]) -> Option<Vec<u8>> {
    let script = common::system_program("script")?;
    let mut c = Command::new(script);
    farm.env(&mut c);
    c.args(["-qec", script_body, "/dev/null"]).current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = common::run(&mut c);
    let mut out = Vec::with_capacity(o.stdout.len());
    let mut i = 0;
    while i < o.stdout.len() {
        if o.stdout[i] == b'\r' && o.stdout.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(o.stdout[i]);
        i += 1;
    }
    Some(out)
}

#[test]
fn terminal_behaviour() {
    let Some((ours, bb)) = common::pair("ls") else {
        return;
    };
    let t = fixture(true);
    let d = t.path();
    let ls_of = |f: &Farm| f.path("ls").display().to_string();
    for (body, env) in [
        ("stty cols 60 rows 20; {} ", vec![("TERM", "xterm")]),
        ("stty cols 100 rows 20; {} ", vec![("TERM", "xterm")]),
        ("stty cols 60 rows 20; {} ", vec![("TERM", "dumb")]),
        ("stty cols 60 rows 20; {} -l", vec![("TERM", "xterm")]),
        ("stty cols 60 rows 20; {} -x", vec![("TERM", "dumb")]),
        (
            "stty cols 60 rows 20; {} -F",
            vec![("TERM", "xterm"), ("LS_COLORS", "none")],
        ),
        (
            "stty cols 60 rows 20; {} --color=auto",
            vec![("TERM", "xterm"), ("LS_COLORS", "")],
        ),
        ("stty cols 60 rows 20; {} -Q | cat", vec![("TERM", "xterm")]),
    ] {
        let a = in_pty(ours, &body.replace("{}", &ls_of(ours)), d, &env);
        let b = in_pty(bb, &body.replace("{}", &ls_of(bb)), d, &env);
        let (Some(a), Some(b)) = (a, b) else {
            return;
        };
        assert_eq!(
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b),
            "pty {body} {env:?}: rbox (left) differs from busybox (right)"
        );
    }
    // What a person sees: columns (several names on a line), colours by default, a control
    // character shown as '?'.
    let a = in_pty(
        ours,
        &format!("stty cols 80 rows 20; {}", ls_of(ours)),
        d,
        &[("TERM", "xterm")],
    )
    .unwrap_or_default();
    let s = String::from_utf8_lossy(&a);
    assert!(s.contains("\x1b[1;34mdir\x1b[m"), "{s:?}");
    assert!(s.contains("new?line"), "{s:?}");
    assert!(s.lines().count() < 30, "{s:?}");
    let a = in_pty(
        ours,
        &format!("stty cols 80 rows 20; {}", ls_of(ours)),
        d,
        &[("TERM", "dumb")],
    )
    .unwrap_or_default();
    assert!(!a.contains(&0x1b));
    // Into a pipe, even from a terminal, the names are written as they are (POSIX).
    let a = in_pty(
        ours,
        &format!("{} | cat", ls_of(ours)),
        d,
        &[("TERM", "xterm")],
    )
    .unwrap_or_default();
    let n = b"tab\there\n";
    assert!(a.windows(n.len()).any(|w| w == n), "{a:?}");
}

/// Unreadable directories, as an unprivileged user (setpriv from util-linux): BusyBox's
/// message, the rest still listed, status 1.
#[test]
fn unreadable_directories() {
    let Some(_) = common::pair("ls") else {
        return;
    };
    let Some(setpriv) = common::system_program("setpriv") else {
        return;
    };
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("unreadable_directories: needs root to switch users; not run");
        return;
    }
    let Some(bb) = common::ref_busybox() else {
        return;
    };
    let t = tempfile::Builder::new()
        .prefix("rbox-ls")
        .tempdir()
        .unwrap();
    let d = t.path();
    chmod(d, 0o755);
    for (sub, exe) in [("r", common::rbox_bin()), ("b", bb)] {
        std::fs::create_dir(d.join(sub)).unwrap();
        chmod(&d.join(sub), 0o755);
        std::os::unix::fs::symlink(exe, d.join(sub).join("ls")).unwrap();
    }
    let data = d.join("data");
    std::fs::create_dir_all(data.join("locked/inner")).unwrap();
    std::fs::create_dir_all(data.join("open")).unwrap();
    std::fs::write(data.join("open/f"), b"").unwrap();
    chmod(&data, 0o755);
    chmod(&data.join("locked"), 0o700);
    for e in walk(&data) {
        set_time(&e, OLD);
    }
    let run = |sub: &str, args: &[&str]| {
        let mut c = Command::new(&setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(d.join(sub).join("ls"))
            .args(args)
            .current_dir(&data)
            .env_clear()
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env("PATH", "/usr/bin:/bin");
        let o = common::run(&mut c);
        (o.stdout, o.stderr, o.status.code())
    };
    for args in [
        &[][..],
        &["-R"],
        &["-lR"],
        &["locked", "open"],
        &["-l", "locked"],
    ] {
        let a = run("r", args);
        let b = run("b", args);
        assert_eq!(
            (
                String::from_utf8_lossy(&a.0),
                String::from_utf8_lossy(&a.1),
                a.2
            ),
            (
                String::from_utf8_lossy(&b.0),
                String::from_utf8_lossy(&b.1),
                b.2
            ),
            "ls {args:?} as nobody: rbox (left) differs from busybox (right)"
        );
    }
    let a = run("r", &["-R"]);
    assert_eq!(a.2, Some(1));
    assert_eq!(
        String::from_utf8_lossy(&a.1),
        "ls: can't open './locked': Permission denied\n"
    );
}
