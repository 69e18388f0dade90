//! tar: round trips with GNU tar (both directions, every compressor), listings against GNU
//! tar and BusyBox, options, and a corpus of hostile archives that must not write outside
//! the target directory.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tar() -> Option<&'static common::Farm> {
    common::applet("tar")
}

fn gnu_tar() -> Option<PathBuf> {
    common::system_program("tar")
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "failed: status {:?}\nstdout: {}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn run(c: &mut Command) -> Output {
    common::run(c)
}

fn rtar(f: &common::Farm, dir: &Path, args: &[&str]) -> Output {
    let mut c = f.cmd("tar");
    c.args(args).current_dir(dir);
    run(&mut c)
}

fn gtar(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new("/bin/tar");
    c.args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    run(&mut c)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn touch_at(p: &Path, secs: i64) {
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    let t = [
        libc::timespec {
            tv_sec: secs,
            tv_nsec: 0,
        },
        libc::timespec {
            tv_sec: secs,
            tv_nsec: 0,
        },
    ];
    unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            t.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o640) }, 0);
}

fn long(n: usize, c: char) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// A tree with every member type, long and non-UTF-8 names, empty directories.
fn make_tree(root: &Path) {
    let t = root.join("t");
    fs::create_dir_all(t.join("sub/deeper")).unwrap();
    fs::create_dir_all(t.join("empty")).unwrap();
    fs::write(t.join("file"), b"hello\n").unwrap();
    fs::write(t.join("sub/big"), vec![7u8; 200_000]).unwrap();
    fs::write(t.join("sub/zero"), b"").unwrap();
    fs::hard_link(t.join("file"), t.join("hard")).unwrap();
    std::os::unix::fs::symlink("file", t.join("sym")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/target", t.join("dangling")).unwrap();
    std::os::unix::fs::symlink(long(150, 'T'), t.join("longlink")).unwrap();
    mkfifo(&t.join("fifo"));
    if unsafe { libc::geteuid() } == 0 {
        // Devices, as root only (every reader here runs as root too).
        for (n, kind, maj, min) in [("chr", libc::S_IFCHR, 1, 3), ("blk", libc::S_IFBLK, 7, 200)] {
            let c = std::ffi::CString::new(t.join(n).as_os_str().as_bytes()).unwrap();
            assert_eq!(
                unsafe { libc::mknod(c.as_ptr(), kind | 0o640, libc::makedev(maj, min)) },
                0
            );
        }
    }
    fs::write(t.join("exec"), b"#!/bin/sh\n").unwrap();
    fs::set_permissions(t.join("exec"), fs::Permissions::from_mode(0o751)).unwrap();
    // Names of 99, 100, 101, 155 and 256+ bytes (as member names, "t/" included).
    for n in [97, 98, 99, 153] {
        fs::write(t.join(long(n, 'a')), b"x").unwrap();
    }
    // A hard link whose target name is over 100 bytes (pax linkpath / GNU 'K').
    fs::hard_link(t.join(long(153, 'a')), t.join("hardlong")).unwrap();
    let mut p = t.join(long(90, 'd'));
    fs::create_dir_all(&p).unwrap();
    p = p.join(long(100, 'e'));
    fs::create_dir_all(&p).unwrap();
    fs::write(p.join(long(70, 'f')), b"deep").unwrap();
    fs::write(t.join(long(200, 'g')), b"long leaf").unwrap();
    // Non-UTF-8.
    fs::write(t.join(OsStr::from_bytes(b"bad\xff\xfename")), b"bytes").unwrap();
    fs::create_dir_all(t.join("ro")).unwrap();
    fs::write(t.join("ro/inside"), b"r").unwrap();
    fs::set_permissions(t.join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    // Fixed times, children before parents so the parents keep theirs.
    let mut all = Vec::new();
    walk(&t, &mut all);
    all.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    for (i, p) in all.iter().enumerate() {
        touch_at(p, 1_600_000_000 + i as i64);
    }
    touch_at(&t, 1_500_000_000);
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    out.push(p.to_path_buf());
    let md = fs::symlink_metadata(p).unwrap();
    if md.is_dir() {
        let mut kids: Vec<_> = fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        kids.sort();
        for k in kids {
            walk(&k, out);
        }
    }
}

/// What a tree holds, for comparisons: type, mode, size, content, link target, mtime,
/// hard-link groups.
fn snapshot(root: &Path) -> Vec<String> {
    let mut all = Vec::new();
    walk(root, &mut all);
    let mut inodes: std::collections::HashMap<u64, String> = Default::default();
    let mut out = Vec::new();
    for p in all {
        let rel = p.strip_prefix(root).unwrap();
        let rels = format!("{:?}", rel.as_os_str());
        let md = fs::symlink_metadata(&p).unwrap();
        let ft = md.file_type();
        let mut s = format!("{rels} mode={:o}", md.mode());
        use std::os::unix::fs::FileTypeExt;
        if ft.is_char_device() || ft.is_block_device() {
            s += &format!(" rdev={:x}", md.rdev());
        }
        if ft.is_symlink() {
            s += &format!(" -> {:?}", fs::read_link(&p).unwrap());
        } else if ft.is_file() {
            let data = fs::read(&p).unwrap();
            s += &format!(
                " size={} sum={}",
                data.len(),
                data.iter().map(|&b| b as u64).sum::<u64>()
            );
            if md.nlink() > 1 {
                let first = inodes.entry(md.ino()).or_insert_with(|| rels.clone());
                s += &format!(" linkgroup={first}");
            }
        }
        if !ft.is_symlink() && rel.as_os_str() != "" {
            s += &format!(" mtime={}", md.mtime());
        }
        out.push(s);
    }
    out
}

fn assert_same_tree(a: &Path, b: &Path) {
    compare_trees(snapshot(a), snapshot(b));
}

/// BusyBox does not restore directory times (creating the contents changes them).
fn assert_same_tree_but_dir_times(a: &Path, b: &Path) {
    let strip = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|l| {
                if l.contains(" mode=40") {
                    l.split(" mtime=").next().unwrap().to_string()
                } else {
                    l
                }
            })
            .collect()
    };
    compare_trees(strip(snapshot(a)), strip(snapshot(b)));
}

fn compare_trees(sa: Vec<String>, sb: Vec<String>) {
    assert_eq!(
        sa.len(),
        sb.len(),
        "different entry counts:\n{sa:#?}\n{sb:#?}"
    );
    for (x, y) in sa.iter().zip(sb.iter()) {
        assert_eq!(x, y);
    }
}

const COMPRESSORS: &[(&str, &str)] = &[
    ("", "tar"),
    ("-z", "tar.gz"),
    ("-j", "tar.bz2"),
    ("-J", "tar.xz"),
    ("--zstd", "tar.zst"),
];

fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("rbox-tar")
        .tempdir()
        .unwrap()
}

#[test]
fn round_trip_rbox_to_gnu_and_back() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    make_tree(w.path());
    for (flag, ext) in COMPRESSORS {
        let arch = w.path().join(format!("r.{ext}"));
        let arch_s = arch.to_str().unwrap();
        let mut args = vec!["-c"];
        if !flag.is_empty() {
            args.push(flag);
        }
        args.extend(["-f", arch_s, "t"]);
        ok(&rtar(f, w.path(), &args));
        // rbox -> rbox
        let o1 = w.path().join(format!("x-rbox-{ext}"));
        fs::create_dir(&o1).unwrap();
        ok(&rtar(
            f,
            w.path(),
            &["-x", "-f", arch_s, "-C", o1.to_str().unwrap()],
        ));
        assert_same_tree(&w.path().join("t"), &o1.join("t"));
        // rbox -> GNU
        let o2 = w.path().join(format!("x-gnu-{ext}"));
        fs::create_dir(&o2).unwrap();
        ok(&gtar(
            w.path(),
            &["-x", "-f", arch_s, "-C", o2.to_str().unwrap()],
        ));
        assert_same_tree(&w.path().join("t"), &o2.join("t"));
        // GNU -> rbox, both GNU formats
        for fmt in ["--format=gnu", "--format=posix"] {
            let g = w.path().join(format!("g.{ext}"));
            let mut a = vec!["-c", fmt];
            if !flag.is_empty() {
                a.push(flag);
            }
            a.extend(["-f", g.to_str().unwrap(), "t"]);
            ok(&gtar(w.path(), &a));
            let o3 = w.path().join(format!("x-from-gnu-{ext}{fmt}"));
            fs::create_dir(&o3).unwrap();
            // Detection by magic: no compression flag given.
            ok(&rtar(
                f,
                w.path(),
                &["-x", "-f", g.to_str().unwrap(), "-C", o3.to_str().unwrap()],
            ));
            assert_same_tree(&w.path().join("t"), &o3.join("t"));
        }
    }
}

#[test]
fn gnu_format_option_writes_gnu_headers() {
    let Some(f) = tar() else { return };
    let w = scratch();
    make_tree(w.path());
    ok(&rtar(f, w.path(), &["cf", "g.tar", "--format=gnu", "t"]));
    ok(&rtar(f, w.path(), &["cf", "p.tar", "t"]));
    let g = fs::read(w.path().join("g.tar")).unwrap();
    let p = fs::read(w.path().join("p.tar")).unwrap();
    assert_eq!(&g[257..265], b"ustar  \0");
    assert_eq!(&p[257..265], b"ustar\x0000");
    assert!(g.windows(13).any(|x| x == b"././@LongLink"));
    assert!(!p.windows(13).any(|x| x == b"././@LongLink"));
    let o = w.path().join("o");
    fs::create_dir(&o).unwrap();
    ok(&gtar(w.path(), &["xf", "g.tar", "-C", "o"]));
    assert_same_tree(&w.path().join("t"), &o.join("t"));
}

#[test]
fn listing_matches_gnu_names_and_busybox_long() {
    let Some(f) = tar() else { return };
    let w = scratch();
    make_tree(w.path());
    ok(&gtar(w.path(), &["cf", "g.tar", "--format=gnu", "t"]));
    let ours = rtar(f, w.path(), &["tf", "g.tar"]);
    let gnu = gtar(w.path(), &["tf", "g.tar", "--quoting-style=literal"]);
    ok(&ours);
    assert_eq!(ours.stdout, gnu.stdout);
    // Long listing against BusyBox (seconds, `-> target` for links).
    if let Some((ours, bb)) = common::pair("tar") {
        for args in [
            &["tvf", "g.tar"][..],
            &["-tvf", "g.tar", "--numeric-owner"],
            &["tf", "g.tar", "t/sub"],
        ] {
            common::same_as_busybox(ours, bb, "tar", args, w.path());
        }
        let _ = ours;
    }
}

#[test]
fn verbose_levels() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::write(w.path().join("d/a"), b"abc").unwrap();
    touch_at(&w.path().join("d/a"), 0);
    let o = rtar(f, w.path(), &["cvf", "a.tar", "d"]);
    ok(&o);
    assert_eq!(stdout(&o), "d/\nd/a\n");
    // Archive on stdout: the names go to stderr.
    let o = rtar(f, w.path(), &["cvf", "-", "d/a"]);
    assert_eq!(stderr(&o), "d/a\n");
    let o = rtar(f, w.path(), &["tf", "a.tar"]);
    assert_eq!(stdout(&o), "d/\nd/a\n");
    let o = rtar(f, w.path(), &["tvf", "a.tar", "d/a"]);
    let line = stdout(&o);
    assert!(line.starts_with("-rw-r--r-- "), "{line}");
    assert!(
        line.ends_with("        3 1970-01-01 00:00:00 d/a\n"),
        "{line}"
    );
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    let o = rtar(f, &x, &["xvf", "../a.tar"]);
    assert_eq!(stdout(&o), "d/\nd/a\n");
    let o = rtar(f, &x, &["-xvvf", "../a.tar", "d/a"]);
    assert_eq!(stdout(&o), line);
}

#[test]
fn old_style_and_dash_forms() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::write(w.path().join("d/a"), b"abc").unwrap();
    ok(&rtar(f, w.path(), &["czf", "a.tgz", "d"]));
    assert_eq!(
        &fs::read(w.path().join("a.tgz")).unwrap()[..2],
        &[0x1f, 0x8b]
    );
    // `tar cf - dir | tar xzf -`-style pipelines.
    let o = rtar(f, w.path(), &["cf", "-", "d"]);
    ok(&o);
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    let mut c = f.cmd("tar");
    c.args(["-xvf", "-"]).current_dir(&x);
    let o2 = common::run_with_input(&mut c, &o.stdout);
    ok(&o2);
    assert_eq!(fs::read(x.join("d/a")).unwrap(), b"abc");
    for args in [
        &["xzf", "../a.tgz"][..],
        &["-xvzf", "../a.tgz"],
        &["-x", "-f", "../a.tgz"],
        &["--extract", "--file=../a.tgz"],
    ] {
        fs::remove_dir_all(x.join("d")).unwrap();
        ok(&rtar(f, &x, args));
        assert_eq!(fs::read(x.join("d/a")).unwrap(), b"abc", "{args:?}");
    }
}

#[test]
fn member_operands_and_not_found() {
    let Some(f) = tar() else { return };
    let w = scratch();
    for p in ["d/a.txt", "d/b.txt", "d/s/c.txt", "e/x"] {
        fs::create_dir_all(w.path().join(p).parent().unwrap()).unwrap();
        fs::write(w.path().join(p), p).unwrap();
    }
    ok(&rtar(
        f,
        w.path(),
        &["cf", "a.tar", "--sort=name", "d", "e"],
    ));
    let o = rtar(f, w.path(), &["tf", "a.tar", "d/s"]);
    assert_eq!(stdout(&o), "d/s/\nd/s/c.txt\n");
    let o = rtar(f, w.path(), &["tf", "a.tar", "d/*.txt"]);
    assert_eq!(stdout(&o), "d/a.txt\nd/b.txt\n");
    let o = rtar(f, w.path(), &["tf", "a.tar", "e/", "nope"]);
    assert_eq!(stdout(&o), "e/\ne/x\n");
    assert_eq!(stderr(&o), "tar: nope: not found in archive\n");
    assert_eq!(o.status.code(), Some(1));
    if let Some((ours, bb)) = common::pair("tar") {
        // Not with wildcards: BusyBox reports a wildcard operand that matched as "not found"
        // (it looks the operand up among the matched names); we do not copy that.
        for args in [
            &["tf", "a.tar", "d/s", "nope"][..],
            &["tf", "a.tar", "d"],
            &["tf", "a.tar", "e/x", "d/"],
        ] {
            common::same_as_busybox(ours, bb, "tar", args, w.path());
        }
    }
}

#[test]
fn file_is_the_archive() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::write(w.path().join("d/a"), b"abc").unwrap();
    let o = rtar(f, w.path(), &["cf", "d/self.tar", "d"]);
    assert_eq!(
        stderr(&o),
        "tar: d/self.tar: file is the archive; skipping\n"
    );
    ok(&o);
    let o = rtar(f, w.path(), &["tf", "d/self.tar"]);
    assert_eq!(stdout(&o), "d/\nd/a\n");
}

#[test]
fn to_stdout_keep_old_overwrite() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("a"), b"new\n").unwrap();
    fs::write(w.path().join("b"), b"bee\n").unwrap();
    ok(&rtar(f, w.path(), &["cf", "a.tar", "a", "b"]));
    let o = rtar(f, w.path(), &["xOf", "a.tar"]);
    assert_eq!(o.stdout, b"new\nbee\n");
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    fs::write(x.join("a"), b"old\n").unwrap();
    let o = rtar(f, &x, &["xkf", "../a.tar"]);
    assert_eq!(fs::read(x.join("a")).unwrap(), b"old\n");
    assert_eq!(fs::read(x.join("b")).unwrap(), b"bee\n");
    assert_eq!(stderr(&o), "tar: can't open 'a': File exists\n");
    assert_eq!(o.status.code(), Some(1));
    // Default: replaced by a new file (a hard link to the old one keeps the old data).
    fs::hard_link(x.join("a"), x.join("alias")).unwrap();
    ok(&rtar(f, &x, &["xf", "../a.tar"]));
    assert_eq!(fs::read(x.join("a")).unwrap(), b"new\n");
    assert_eq!(fs::read(x.join("alias")).unwrap(), b"old\n");
    // --overwrite writes into the existing file.
    fs::write(x.join("a"), b"old\n").unwrap();
    fs::remove_file(x.join("alias")).unwrap();
    fs::hard_link(x.join("a"), x.join("alias")).unwrap();
    ok(&rtar(f, &x, &["xf", "../a.tar", "--overwrite"]));
    assert_eq!(fs::read(x.join("alias")).unwrap(), b"new\n");
}

#[test]
fn strip_components_exclude_files_from() {
    let Some(f) = tar() else { return };
    let w = scratch();
    for p in [
        "top/a/one.c",
        "top/a/two.o",
        "top/b/three.c",
        "top/b/skip/x.c",
    ] {
        fs::create_dir_all(w.path().join(p).parent().unwrap()).unwrap();
        fs::write(w.path().join(p), p).unwrap();
    }
    ok(&rtar(f, w.path(), &["cf", "a.tar", "--sort=name", "top"]));
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    ok(&rtar(f, &x, &["xf", "../a.tar", "--strip-components=2"]));
    assert!(x.join("one.c").exists() && x.join("skip/x.c").exists() && !x.join("top").exists());
    // --exclude, GNU rules: unanchored, a directory match covers its contents.
    let o = rtar(
        f,
        w.path(),
        &[
            "cf",
            "-",
            "--sort=name",
            "--exclude",
            "*.o",
            "--exclude=skip",
            "top",
        ],
    );
    ok(&o);
    let mut c = f.cmd("tar");
    c.args(["tf", "-"]);
    let l = common::run_with_input(&mut c, &o.stdout);
    assert_eq!(
        stdout(&l),
        "top/\ntop/a/\ntop/a/one.c\ntop/b/\ntop/b/three.c\n"
    );
    // The same exclusion on extraction, from a file (-X).
    fs::write(w.path().join("ex"), "*.c\n").unwrap();
    let l = rtar(f, w.path(), &["tf", "a.tar", "-X", "ex"]);
    assert_eq!(
        stdout(&l),
        "top/\ntop/a/\ntop/a/two.o\ntop/b/\ntop/b/skip/\n"
    );
    // -T: names to archive from a file; --no-recursion.
    fs::write(w.path().join("list"), "top/a/one.c\ntop/b\n").unwrap();
    let o = rtar(
        f,
        w.path(),
        &["cf", "t.tar", "-T", "list", "--no-recursion"],
    );
    ok(&o);
    let l = rtar(f, w.path(), &["tf", "t.tar"]);
    assert_eq!(stdout(&l), "top/a/one.c\ntop/b/\n");
}

#[test]
fn chdir_between_operands() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::create_dir_all(w.path().join("p/q")).unwrap();
    fs::write(w.path().join("p/q/f1"), b"1").unwrap();
    fs::create_dir_all(w.path().join("r")).unwrap();
    fs::write(w.path().join("r/f2"), b"2").unwrap();
    ok(&rtar(
        f,
        w.path(),
        &["cf", "a.tar", "-C", "p", "q", "-C", "../r", "f2"],
    ));
    let l = rtar(f, w.path(), &["tf", "a.tar"]);
    assert_eq!(stdout(&l), "q/\nq/f1\nf2\n");
    let g = gtar(w.path(), &["tf", "a.tar"]);
    assert_eq!(g.stdout, l.stdout);
}

#[test]
fn owner_group_mode_mtime_sort() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    for n in ["c", "a", "b"] {
        fs::write(w.path().join("d").join(n), n).unwrap();
    }
    ok(&rtar(
        f,
        w.path(),
        &[
            "cf",
            "a.tar",
            "--owner=alice:1234",
            "--group=5678",
            "--mode=go-rwx,u+x",
            "--mtime=@86400",
            "--sort=name",
            "d",
        ],
    ));
    let g = gtar(w.path(), &["tvf", "a.tar", "--numeric-owner"]);
    assert_eq!(
        stdout(&g),
        "drwx------ 1234/5678         0 1970-01-02 00:00 d/\n\
         -rwx------ 1234/5678         1 1970-01-02 00:00 d/a\n\
         -rwx------ 1234/5678         1 1970-01-02 00:00 d/b\n\
         -rwx------ 1234/5678         1 1970-01-02 00:00 d/c\n"
    );
    let g = gtar(w.path(), &["tvf", "a.tar"]);
    assert!(stdout(&g).contains("alice/5678"), "{}", stdout(&g));
    // Reproducible: the same command twice gives the same bytes.
    ok(&rtar(
        f,
        w.path(),
        &[
            "cf",
            "b.tar",
            "--owner=alice:1234",
            "--group=5678",
            "--mode=go-rwx,u+x",
            "--mtime=@86400",
            "--sort=name",
            "d",
        ],
    ));
    assert_eq!(
        fs::read(w.path().join("a.tar")).unwrap(),
        fs::read(w.path().join("b.tar")).unwrap()
    );
    ok(&rtar(
        f,
        w.path(),
        &["cf", "c.tar", "--mtime=1970-01-03 00:00:00", "d/a"],
    ));
    let g = gtar(w.path(), &["tvf", "c.tar"]);
    assert!(
        stdout(&g).contains("1970-01-03 00:00 d/a"),
        "{}",
        stdout(&g)
    );
}

#[test]
fn auto_compress_and_detection() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("a"), b"data").unwrap();
    let magics: &[(&str, &[u8])] = &[
        ("a.tar.gz", &[0x1f, 0x8b]),
        ("a.tbz2", b"BZh"),
        ("a.txz", &[0xfd, b'7', b'z', b'X', b'Z']),
        ("a.tar.zst", &[0x28, 0xb5, 0x2f, 0xfd]),
        ("a.tar.lzma", &[0x5d, 0]),
    ];
    for (name, magic) in magics {
        ok(&rtar(f, w.path(), &["caf", name, "a"]));
        assert!(
            fs::read(w.path().join(name)).unwrap().starts_with(magic),
            "{name}"
        );
        let l = rtar(f, w.path(), &["tf", name]);
        ok(&l);
        assert_eq!(stdout(&l), "a\n");
        // A wrong flag does not matter: the magic decides.
        let l = rtar(f, w.path(), &["tzf", name]);
        assert_eq!(stdout(&l), "a\n", "{name}");
    }
    let plain = rtar(f, w.path(), &["cf", "p.tar", "a"]);
    ok(&plain);
    assert_eq!(
        fs::metadata(w.path().join("p.tar")).unwrap().len() % 10240,
        0
    );
}

/// Concatenated compressed streams decompress as one archive.
#[test]
fn concatenated_streams() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("a"), vec![1u8; 3000]).unwrap();
    fs::write(w.path().join("b"), b"b").unwrap();
    ok(&gtar(
        w.path(),
        &["cf", "p.tar", "--format=ustar", "a", "b"],
    ));
    let data = fs::read(w.path().join("p.tar")).unwrap();
    // Header of a (512) + its data (3072): split before b's header.
    let (one, two) = data.split_at(512 + 3072);
    for (prog, arg) in [
        ("gzip", "-c"),
        ("bzip2", "-c"),
        ("xz", "-c"),
        ("zstd", "-c"),
    ] {
        let Some(p) = common::system_program(prog) else {
            continue;
        };
        let mut all = Vec::new();
        for part in [one, two] {
            let mut c = Command::new(&p);
            c.arg(arg);
            let o = common::run_with_input(&mut c, part);
            ok(&o);
            all.extend(o.stdout);
        }
        fs::write(w.path().join("c"), &all).unwrap();
        let l = rtar(f, w.path(), &["tf", "c"]);
        ok(&l);
        assert_eq!(stdout(&l), "a\nb\n", "{prog}");
    }
}

#[test]
fn to_command_environment() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("f"), b"12345").unwrap();
    fs::set_permissions(w.path().join("f"), fs::Permissions::from_mode(0o640)).unwrap();
    ok(&rtar(
        f,
        w.path(),
        &["cf", "a.tar", "--owner=7", "--group=8", "f"],
    ));
    let o = rtar(
        f,
        w.path(),
        &[
            "xf",
            "a.tar",
            "--to-command",
            "echo $TAR_FILETYPE $TAR_MODE $TAR_FILENAME $TAR_SIZE $TAR_UID $TAR_GID; wc -c",
        ],
    );
    ok(&o);
    assert_eq!(
        stdout(&o).split_whitespace().collect::<Vec<_>>(),
        ["f", "100640", "f", "5", "7", "8", "5"]
    );
    // A command that does not read its input: the next member still reaches the next one.
    fs::write(w.path().join("big"), vec![1u8; 1 << 20]).unwrap();
    ok(&rtar(f, w.path(), &["cf", "b.tar", "big", "f"]));
    let o = rtar(
        f,
        w.path(),
        &["xf", "b.tar", "--to-command=echo $TAR_FILENAME"],
    );
    ok(&o);
    assert_eq!(stdout(&o), "big\nf\n");
    let o = rtar(f, w.path(), &["xf", "a.tar", "--to-command=exit 3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("returned status 3"), "{}", stderr(&o));
}

#[test]
fn version() {
    let Some(f) = tar() else { return };
    let o = rtar(f, Path::new("/"), &["--version"]);
    ok(&o);
    assert!(stdout(&o).starts_with("tar (rbox) "));
}

#[test]
fn sparse_from_gnu() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    let p = w.path().join("sp");
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut fh = fs::File::create(&p).unwrap();
        fh.write_all(b"start").unwrap();
        fh.seek(SeekFrom::Start(5 << 30)).unwrap();
        fh.write_all(b"middle").unwrap();
        fh.set_len(10 << 30).unwrap();
    }
    for fmt in [
        &["--format=gnu"][..],
        &["--format=posix", "--sparse-version=0.0"],
        &["--format=posix", "--sparse-version=0.1"],
        &["--format=posix", "--sparse-version=1.0"],
    ] {
        let mut a = vec!["-cSf", "s.tar"];
        a.extend_from_slice(fmt);
        a.push("sp");
        ok(&gtar(w.path(), &a));
        assert!(fs::metadata(w.path().join("s.tar")).unwrap().len() < 1 << 20);
        let x = w.path().join("x");
        let _ = fs::remove_dir_all(&x);
        fs::create_dir(&x).unwrap();
        let l = rtar(f, w.path(), &["tvf", "s.tar"]);
        ok(&l);
        assert!(
            stdout(&l).contains(" 10737418240 "),
            "{fmt:?}: {}",
            stdout(&l)
        );
        ok(&rtar(f, &x, &["xf", "../s.tar"]));
        let md = fs::metadata(x.join("sp")).unwrap();
        assert_eq!(md.len(), 10 << 30);
        assert!(
            md.blocks() < 1024,
            "{fmt:?}: not sparse on disk: {} blocks",
            md.blocks()
        );
        use std::io::{Read, Seek, SeekFrom};
        let mut fh = fs::File::open(x.join("sp")).unwrap();
        let mut b = [0u8; 6];
        fh.read_exact(&mut b[..5]).unwrap();
        assert_eq!(&b[..5], b"start");
        fh.seek(SeekFrom::Start(5 << 30)).unwrap();
        fh.read_exact(&mut b).unwrap();
        assert_eq!(&b, b"middle");
    }
}

// ---------------------------------------------------------------------------------------
// Hostile archives. Each is hand-built, extracted into w/target, and must leave w/outside
// (the sentinel directory) untouched.

fn octal(f: &mut [u8], v: u64) {
    let s = format!("{:0w$o}", v, w = f.len() - 1);
    f[..s.len()].copy_from_slice(s.as_bytes());
}

fn raw_header(name: &[u8], kind: u8, size: u64, link: &[u8]) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
    octal(&mut h[100..108], 0o644);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    if size < 1 << 33 {
        octal(&mut h[124..136], size);
    } else {
        h[124] = 0x80;
        h[128..136].copy_from_slice(&size.to_be_bytes());
    }
    octal(&mut h[136..148], 1_000_000_000);
    h[156] = kind;
    h[157..157 + link.len()].copy_from_slice(link);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    h
}

struct Arch(Vec<u8>);

impl Arch {
    fn new() -> Arch {
        Arch(Vec::new())
    }
    fn member(mut self, name: &[u8], kind: u8, data: &[u8], link: &[u8]) -> Arch {
        self.0
            .extend_from_slice(&raw_header(name, kind, data.len() as u64, link));
        self.0.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.0.extend(std::iter::repeat_n(0, pad));
        self
    }
    fn file(self, name: &str, data: &[u8]) -> Arch {
        self.member(name.as_bytes(), b'0', data, b"")
    }
    fn pax(self, recs: &[(&str, &str)]) -> Arch {
        let mut body = Vec::new();
        for (k, v) in recs {
            let base = k.len() + v.len() + 3;
            let mut len = base + 1;
            while base + len.to_string().len() != len {
                len = base + len.to_string().len();
            }
            body.extend_from_slice(format!("{len} {k}={v}\n").as_bytes());
        }
        self.member(b"PaxHeaders/x", b'x', &body, b"")
    }
    fn end(mut self) -> Vec<u8> {
        self.0.extend(std::iter::repeat_n(0, 1024));
        self.0
    }
}

struct Hostile {
    w: tempfile::TempDir,
}

impl Hostile {
    fn new() -> Hostile {
        let w = scratch();
        fs::create_dir(w.path().join("target")).unwrap();
        fs::create_dir(w.path().join("outside")).unwrap();
        fs::write(w.path().join("outside/sentinel"), b"precious").unwrap();
        Hostile { w }
    }
    fn outside(&self) -> String {
        self.w.path().join("outside").to_str().unwrap().to_string()
    }
    /// Extracts `data` with and without openat2; returns the outputs.
    fn extract(&self, f: &common::Farm, data: &[u8], extra: &[&str]) -> Vec<Output> {
        let mut outs = Vec::new();
        for no2 in [false, true] {
            let t = self.w.path().join("target");
            let _ = fs::remove_dir_all(&t);
            fs::create_dir(&t).unwrap();
            let mut c = f.cmd("tar");
            c.arg("-xf").arg("-").args(extra).current_dir(&t);
            if no2 {
                c.env("RBOX_TAR_NO_OPENAT2", "1");
            }
            outs.push(common::run_with_input(&mut c, data));
            self.check();
        }
        outs
    }
    fn check(&self) {
        let o = self.w.path().join("outside");
        let names: Vec<_> = fs::read_dir(&o)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("sentinel")],
            "something was written outside"
        );
        assert_eq!(fs::read(o.join("sentinel")).unwrap(), b"precious");
        let md = fs::metadata(o.join("sentinel")).unwrap();
        assert_eq!(md.nlink(), 1, "sentinel got a hard link");
        assert_eq!(md.mode() & 0o7777, 0o644);
    }
    fn target(&self) -> PathBuf {
        self.w.path().join("target")
    }
}

#[test]
fn hostile_dotdot_members_refused() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let a = Arch::new()
        .file("../outside/evil", b"x")
        .file("a/../../outside/evil2", b"x")
        .file("ok", b"fine")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("../outside/evil: member name contains '..'"),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read(h.target().join("ok")).unwrap(), b"fine");
    }
}

#[test]
fn hostile_absolute_names_stay_inside() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let abs = format!("{}/evil", h.outside());
    let a = Arch::new().file(&abs, b"x").end();
    for o in h.extract(f, &a, &[]) {
        ok(&o);
        assert!(stderr(&o).contains("removing leading '/' from member names"));
        assert!(h.target().join(abs.trim_start_matches('/')).exists());
    }
}

#[test]
fn hostile_pax_path_with_dotdot() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let a = Arch::new()
        .pax(&[("path", "../outside/evil")])
        .file("innocent", b"x")
        .pax(&[("linkpath", "../outside/sentinel")])
        .member(b"hl", b'1', b"", b"innocent")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1));
        assert!(!h.target().join("innocent").exists());
        assert!(!h.target().join("hl").exists());
    }
}

#[test]
fn hostile_symlink_then_file() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let sentinel = format!("{}/sentinel", h.outside());
    let outside = h.outside();
    // The link itself, then a file of the same name: the file replaces the link.
    let a = Arch::new()
        .member(b"l", b'2', b"", sentinel.as_bytes())
        .file("l", b"evil")
        .end();
    for o in h.extract(f, &a, &[]) {
        ok(&o);
        assert_eq!(fs::read(h.target().join("l")).unwrap(), b"evil");
    }
    // A file through the link.
    let a = Arch::new()
        .member(b"d", b'2', b"", outside.as_bytes())
        .file("d/evil", b"evil")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    // Relative escape, with --overwrite too.
    let a = Arch::new()
        .member(b"r", b'2', b"", b"../outside/sentinel")
        .file("r", b"evil")
        .end();
    for o in h.extract(f, &a, &["--overwrite"]) {
        ok(&o);
    }
    // Chained links.
    let a = Arch::new()
        .member(b"a", b'2', b"", b"b")
        .member(b"b", b'2', b"", b"../outside")
        .file("a/evil", b"evil")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1));
    }
}

#[test]
fn hostile_symlink_then_directory() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let outside = h.outside();
    let a = Arch::new()
        .member(b"d", b'2', b"", outside.as_bytes())
        .member(b"d/", b'5', b"", b"")
        .file("d/evil", b"evil")
        .end();
    for _o in h.extract(f, &a, &[]) {
        // The directory replaced the link: what follows lands inside.
        assert!(fs::symlink_metadata(h.target().join("d")).unwrap().is_dir());
    }
    let a = Arch::new()
        .member(b"d", b'2', b"", outside.as_bytes())
        .member(b"d/sub/", b'5', b"", b"")
        .file("d/sub/evil", b"evil")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1));
    }
}

#[test]
fn hostile_hard_links() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let sentinel = format!("{}/sentinel", h.outside());
    let a = Arch::new()
        .member(b"h1", b'1', b"", sentinel.as_bytes())
        .member(b"h2", b'1', b"", b"../outside/sentinel")
        .member(b"s", b'2', b"", h.outside().as_bytes())
        .member(b"h3", b'1', b"", b"s/sentinel")
        .member(b"h4", b'1', b"", b"/etc/shadow")
        .end();
    for o in h.extract(f, &a, &[]) {
        assert_eq!(o.status.code(), Some(1));
        for n in ["h1", "h2", "h3", "h4"] {
            assert!(!h.target().join(n).exists(), "{n}");
        }
    }
}

#[test]
fn pre_existing_symlinks_keep_working() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let a = Arch::new()
        .member(b"var/", b'5', b"", b"")
        .file("var/run/pidfile", b"1")
        .end();
    for no2 in [false, true] {
        let t = h.target();
        let _ = fs::remove_dir_all(&t);
        fs::create_dir_all(t.join("var")).unwrap();
        fs::create_dir_all(t.join("run")).unwrap();
        std::os::unix::fs::symlink("/run", t.join("var/run")).unwrap();
        let mut c = f.cmd("tar");
        c.args(["-xf", "-"]).current_dir(&t);
        if no2 {
            c.env("RBOX_TAR_NO_OPENAT2", "1");
        }
        ok(&common::run_with_input(&mut c, &a));
        // The absolute link resolves inside the target, as under a chroot.
        assert_eq!(fs::read(t.join("run/pidfile")).unwrap(), b"1");
        assert!(fs::symlink_metadata(t.join("var/run"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[test]
fn hostile_corrupt_and_truncated() {
    let Some(f) = tar() else { return };
    let h = Hostile::new();
    let good = Arch::new()
        .file("first", b"kept")
        .file("second", &[5u8; 5000])
        .end();
    // Truncated in the middle of the second member's data.
    let cut = &good[..512 + 512 + 512 + 1000];
    for o in h.extract(f, cut, &[]) {
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(stderr(&o), "tar: short read\n");
        assert_eq!(fs::read(h.target().join("first")).unwrap(), b"kept");
    }
    // Bad checksum.
    let mut bad = good.clone();
    bad[1024 + 10] ^= 1;
    for o in h.extract(f, &bad, &[]) {
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(stderr(&o), "tar: invalid tar header checksum\n");
    }
    // A 1 TB size field: no allocation, a clean error.
    let mut huge = raw_header(b"huge", b'0', 1 << 40, b"").to_vec();
    huge.extend_from_slice(&[1u8; 4096]);
    for o in h.extract(f, &huge, &[]) {
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(stderr(&o), "tar: short read\n");
    }
    let mut c = f.cmd("tar");
    c.args(["-tvf", "-"]);
    let o = common::run_with_input(&mut c, &huge);
    assert_eq!(o.status.code(), Some(1));
    // A 1 TB GNU long name: refused before any allocation.
    let ln = raw_header(b"././@LongLink", b'L', 1 << 40, b"").to_vec();
    let o = common::run_with_input(&mut c, &ln);
    assert_eq!(o.status.code(), Some(1));
    // Garbage and compressed garbage.
    for junk in [
        &b"this is not a tar archive at all"[..],
        &[0x1f, 0x8b, 8, 0, 1, 2, 3],
    ] {
        let o = common::run_with_input(&mut c, junk);
        assert_eq!(o.status.code(), Some(1));
        assert!(!stderr(&o).contains("panicked"));
    }
}

fn setpriv() -> Option<PathBuf> {
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    ["/usr/bin/setpriv", "/bin/setpriv"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn as_nobody(f: &common::Farm, dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let sp = setpriv().unwrap();
    let mut c = Command::new(sp);
    f.env(&mut c);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(f.path("tar"))
        .args(args)
        .current_dir(dir);
    common::run_with_input(&mut c, input)
}

#[test]
fn devices_only_as_root_and_modes() {
    let Some(f) = tar() else { return };
    if setpriv().is_none() {
        common::skip("needs root and setpriv (util-linux) to test non-root extraction");
        return;
    }
    let w = scratch();
    let mut dev = raw_header(b"null", b'3', 0, b"");
    octal(&mut dev[329..337], 1);
    octal(&mut dev[337..345], 3);
    dev[148..156].copy_from_slice(b"        ");
    let sum: u32 = dev.iter().map(|&b| b as u32).sum();
    dev[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut suid = raw_header(b"suid", b'0', 1, b"");
    octal(&mut suid[100..108], 0o4777);
    suid[148..156].copy_from_slice(b"        ");
    let sum: u32 = suid.iter().map(|&b| b as u32).sum();
    suid[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut a = dev.to_vec();
    a.extend_from_slice(&suid);
    a.extend_from_slice(b"x");
    a.extend(std::iter::repeat_n(0, 511 + 1024));
    let t = w.path().join("t");
    fs::create_dir(&t).unwrap();
    fs::set_permissions(&t, fs::Permissions::from_mode(0o777)).unwrap();
    // Non-root: no device; umask applied, setuid dropped.
    let o = as_nobody(f, &t, &["-xf", "-"], &a);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("can't create node null"),
        "{}",
        stderr(&o)
    );
    assert!(!t.join("null").exists());
    assert_eq!(fs::metadata(t.join("suid")).unwrap().mode() & 0o7777, 0o755);
    fs::remove_file(t.join("suid")).unwrap();
    // Non-root with -p: the mode as stored.
    let o = as_nobody(f, &t, &["-xpf", "-"], &a);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        fs::metadata(t.join("suid")).unwrap().mode() & 0o7777,
        0o4777
    );
    fs::remove_file(t.join("suid")).unwrap();
    // Root: the device is made, permissions kept exactly.
    let mut c = f.cmd("tar");
    c.args(["-xf", "-"]).current_dir(&t);
    ok(&common::run_with_input(&mut c, &a));
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(t.join("null"))
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(
        fs::metadata(t.join("suid")).unwrap().mode() & 0o7777,
        0o4777
    );
    // --no-same-permissions as root: like non-root.
    fs::remove_file(t.join("suid")).unwrap();
    let mut c = f.cmd("tar");
    c.args(["-xf", "-", "--no-same-permissions"])
        .current_dir(&t);
    common::run_with_input(&mut c, &a);
    assert_eq!(fs::metadata(t.join("suid")).unwrap().mode() & 0o7777, 0o755);
}

#[test]
fn ownership_as_root() {
    let Some(f) = tar() else { return };
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root");
        return;
    }
    let w = scratch();
    fs::write(w.path().join("f"), b"x").unwrap();
    ok(&rtar(
        f,
        w.path(),
        &[
            "cf",
            "a.tar",
            "--owner=4321",
            "--group=8765",
            "--numeric-owner",
            "f",
        ],
    ));
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    ok(&rtar(f, &x, &["xf", "../a.tar"]));
    let md = fs::metadata(x.join("f")).unwrap();
    assert_eq!((md.uid(), md.gid()), (4321, 8765));
    fs::remove_file(x.join("f")).unwrap();
    ok(&rtar(f, &x, &["xof", "../a.tar"]));
    let md = fs::metadata(x.join("f")).unwrap();
    assert_eq!((md.uid(), md.gid()), (0, 0));
    // -m: the mtime is not restored.
    fs::remove_file(x.join("f")).unwrap();
    ok(&rtar(f, w.path(), &["cf", "old.tar", "--mtime=@1000", "f"]));
    ok(&rtar(f, &x, &["xmf", "../old.tar"]));
    assert!(fs::metadata(x.join("f")).unwrap().mtime() > 1000);
    fs::remove_file(x.join("f")).unwrap();
    ok(&rtar(f, &x, &["xf", "../old.tar"]));
    assert_eq!(fs::metadata(x.join("f")).unwrap().mtime(), 1000);
}

#[test]
fn nonroot_round_trip_readonly_dirs() {
    let Some(f) = tar() else { return };
    if setpriv().is_none() {
        common::skip("needs root and setpriv (util-linux)");
        return;
    }
    let w = scratch();
    fs::set_permissions(w.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let a = Arch::new()
        .member(b"ro/", b'5', b"", b"")
        .file("ro/f", b"x")
        .end();
    // Make ro/ mode 0555 in the archive.
    let mut a = a;
    octal(&mut a[100..108], 0o555);
    a[148..156].copy_from_slice(b"        ");
    let sum: u32 = a[..512].iter().map(|&b| b as u32).sum();
    a[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let o = as_nobody(f, w.path(), &["-xf", "-"], &a);
    ok(&o);
    assert_eq!(fs::read(w.path().join("ro/f")).unwrap(), b"x");
    assert_eq!(
        fs::metadata(w.path().join("ro")).unwrap().mode() & 0o777,
        0o555
    );
}

#[test]
fn busybox_archives_extract() {
    let Some(f) = tar() else { return };
    let Some((_, bb)) = common::pair("tar") else {
        return;
    };
    let w = scratch();
    make_tree(w.path());
    let mut c = bb.cmd("tar");
    c.args(["cf", "bb.tar", "t"]).current_dir(w.path());
    ok(&run(&mut c));
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    ok(&rtar(f, &x, &["xf", "../bb.tar"]));
    assert_same_tree(&w.path().join("t"), &x.join("t"));
    // And ours extract with BusyBox.
    ok(&rtar(f, w.path(), &["cf", "r.tar", "t"]));
    let y = w.path().join("y");
    fs::create_dir(&y).unwrap();
    let mut c = bb.cmd("tar");
    c.args(["xf", "../r.tar"]).current_dir(&y);
    ok(&run(&mut c));
    assert_same_tree_but_dir_times(&w.path().join("t"), &y.join("t"));
}

fn bsdtar(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new("/usr/bin/bsdtar");
    c.args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    run(&mut c)
}

/// bsdtar (Debian's libarchive-tools) reads ours and we read its, for each compressor.
#[test]
fn round_trip_bsdtar() {
    let Some(f) = tar() else { return };
    if common::system_program("bsdtar").is_none() {
        return;
    }
    let w = scratch();
    make_tree(w.path());
    for (flag, ext) in COMPRESSORS {
        let ours = format!("r.{ext}");
        let theirs = format!("b.{ext}");
        let mut a = vec!["-c"];
        if !flag.is_empty() {
            a.push(flag);
        }
        let mut ra = a.clone();
        ra.extend(["-f", &ours, "t"]);
        ok(&rtar(f, w.path(), &ra));
        let mut ba = a.clone();
        ba.extend(["-f", &theirs, "t"]);
        ok(&bsdtar(w.path(), &ba));
        let o1 = w.path().join(format!("bsd-x-{ext}"));
        fs::create_dir(&o1).unwrap();
        ok(&bsdtar(&o1, &["-x", "-f", &format!("../{ours}")]));
        assert_same_tree(&w.path().join("t"), &o1.join("t"));
        let o2 = w.path().join(format!("rbox-x-{ext}"));
        fs::create_dir(&o2).unwrap();
        ok(&rtar(f, &o2, &["-x", "-f", &format!("../{theirs}")]));
        assert_same_tree(&w.path().join("t"), &o2.join("t"));
    }
}

fn make_sparse(p: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let mut fh = fs::File::create(p).unwrap();
    fh.write_all(b"start").unwrap();
    fh.seek(SeekFrom::Start(5 << 30)).unwrap();
    fh.write_all(b"middle").unwrap();
    fh.set_len(10 << 30).unwrap();
}

fn check_sparse(p: &Path, what: &str) {
    use std::io::{Read, Seek, SeekFrom};
    let md = fs::metadata(p).unwrap();
    assert_eq!(md.len(), 10 << 30, "{what}");
    assert!(
        md.blocks() < 1024,
        "{what}: not sparse on disk: {} blocks",
        md.blocks()
    );
    let mut fh = fs::File::open(p).unwrap();
    let mut b = [0u8; 6];
    fh.read_exact(&mut b[..5]).unwrap();
    assert_eq!(&b[..5], b"start");
    fh.seek(SeekFrom::Start(5 << 30)).unwrap();
    fh.read_exact(&mut b).unwrap();
    assert_eq!(&b, b"middle", "{what}");
}

/// A 10 GiB sparse file: archived as a sparse member (pax 1.0 by default, old GNU 'S' with
/// --format=gnu), extracted sparse by GNU tar, bsdtar and us.
#[test]
fn sparse_round_trip() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    make_sparse(&w.path().join("sp"));
    for fmt in ["--format=pax", "--format=gnu"] {
        ok(&rtar(f, w.path(), &["-cf", "s.tar", fmt, "sp"]));
        assert!(
            fs::metadata(w.path().join("s.tar")).unwrap().len() < 1 << 20,
            "{fmt}"
        );
        let l = gtar(w.path(), &["tvf", "s.tar"]);
        ok(&l);
        assert!(
            stdout(&l).contains(" 10737418240 "),
            "{fmt}: {}",
            stdout(&l)
        );
        assert!(stdout(&l).ends_with(" sp\n"), "{fmt}: {}", stdout(&l));
        type Reader<'a> = Box<dyn Fn(&Path) -> Output + 'a>;
        let mut readers: Vec<(&str, Reader)> = vec![
            ("gnu", Box::new(|d: &Path| gtar(d, &["xf", "../s.tar"]))),
            ("rbox", Box::new(|d: &Path| rtar(f, d, &["xf", "../s.tar"]))),
        ];
        if Path::new("/usr/bin/bsdtar").exists() {
            readers.push((
                "bsdtar",
                Box::new(|d: &Path| bsdtar(d, &["xf", "../s.tar"])),
            ));
        }
        for (who, x) in readers {
            let d = w.path().join("x");
            let _ = fs::remove_dir_all(&d);
            fs::create_dir(&d).unwrap();
            ok(&x(&d));
            check_sparse(&d.join("sp"), &format!("{fmt} read by {who}"));
        }
    }
}

/// Inputs the fuzzer (applets/tar/fuzz) found: each must end with a message and status 1,
/// within a bounded address space, without a panic.
#[test]
fn fuzz_regressions() {
    let Some(f) = tar() else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tar");
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if !p
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("fuzz-")
        {
            continue;
        }
        n += 1;
        let mut c = Command::new("/bin/sh");
        f.env(&mut c);
        c.arg("-c")
            .arg("ulimit -v 1000000; exec tar tvf \"$1\"")
            .arg("sh")
            .arg(&p);
        let o = run(&mut c);
        assert_eq!(o.status.code(), Some(1), "{}: {}", p.display(), stderr(&o));
        assert!(
            stderr(&o).starts_with("tar: "),
            "{}: {}",
            p.display(),
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{}", p.display());
    }
    assert!(n > 0);
}

/// What ustar cannot hold goes into pax records that GNU tar reads: big ids, times before
/// 1970, long user and group names.
#[test]
fn pax_records_for_what_ustar_cannot_hold() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    fs::write(w.path().join("f"), b"x").unwrap();
    let user = long(40, 'u');
    let owner = format!("--owner={user}:3000000");
    ok(&rtar(
        f,
        w.path(),
        &[
            "cf",
            "a.tar",
            &owner,
            "--group=4000000",
            "--mtime=@-100",
            "f",
        ],
    ));
    let g = gtar(w.path(), &["tvf", "a.tar", "--numeric-owner"]);
    ok(&g);
    assert_eq!(
        stdout(&g),
        "-rw-r--r-- 3000000/4000000   1 1969-12-31 23:58 f\n"
    );
    let g = gtar(w.path(), &["tvf", "a.tar"]);
    assert!(
        stdout(&g).starts_with(&format!("-rw-r--r-- {user}/4000000 ")),
        "{}",
        stdout(&g)
    );
    // Without the need, no pax header at all.
    ok(&rtar(f, w.path(), &["cf", "b.tar", "f"]));
    assert_eq!(fs::read(w.path().join("b.tar")).unwrap()[156], b'0');
    // --format=gnu uses base-256 numbers instead.
    ok(&rtar(
        f,
        w.path(),
        &[
            "cf",
            "c.tar",
            "--format=gnu",
            "--owner=3000000",
            "--mtime=@-100",
            "f",
        ],
    ));
    let c = fs::read(w.path().join("c.tar")).unwrap();
    assert_eq!(c[156], b'0');
    assert_eq!(c[108] & 0x80, 0x80);
    let g = gtar(w.path(), &["tvf", "c.tar", "--numeric-owner"]);
    assert!(
        stdout(&g).starts_with("-rw-r--r-- 3000000/"),
        "{}",
        stdout(&g)
    );
    assert!(stdout(&g).contains(" 1969-12-31 23:58 f"), "{}", stdout(&g));
}

/// v7 and old GNU headers from GNU tar.
#[test]
fn reads_v7_oldgnu_ustar() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::write(w.path().join("d/a"), b"abc").unwrap();
    std::os::unix::fs::symlink("a", w.path().join("d/l")).unwrap();
    for fmt in ["v7", "oldgnu", "ustar", "gnu", "posix"] {
        let a = format!("{fmt}.tar");
        ok(&gtar(
            w.path(),
            &["cf", &a, &format!("--format={fmt}"), "d"],
        ));
        let ours = rtar(f, w.path(), &["tf", &a]);
        ok(&ours);
        assert_eq!(ours.stdout, gtar(w.path(), &["tf", &a]).stdout, "{fmt}");
        let x = w.path().join(format!("x-{fmt}"));
        fs::create_dir(&x).unwrap();
        ok(&rtar(f, &x, &["xf", &format!("../{a}")]));
        assert_same_tree(&w.path().join("d"), &x.join("d"));
    }
}

#[test]
fn dereference_and_files_from_on_extract() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("target"), b"content").unwrap();
    std::os::unix::fs::symlink("target", w.path().join("link")).unwrap();
    ok(&rtar(f, w.path(), &["cf", "a.tar", "link"]));
    ok(&rtar(f, w.path(), &["chf", "h.tar", "link"]));
    let l = rtar(f, w.path(), &["tvf", "a.tar"]);
    assert!(stdout(&l).starts_with("lrwxrwxrwx"), "{}", stdout(&l));
    let l = rtar(f, w.path(), &["tvf", "h.tar"]);
    assert!(stdout(&l).starts_with("-rw-r--r--"), "{}", stdout(&l));
    assert!(stdout(&l).contains(" 7 "), "{}", stdout(&l));
    // -T names the members to extract.
    ok(&rtar(f, w.path(), &["cf", "two.tar", "target", "link"]));
    fs::write(w.path().join("want"), "link\n").unwrap();
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    ok(&rtar(f, &x, &["xf", "../two.tar", "-T", "../want"]));
    assert!(fs::symlink_metadata(x.join("link")).is_ok());
    assert!(!x.join("target").exists());
}

/// Small behaviours checked against BusyBox: an empty archive is a short read, a missing
/// archive, an empty create, -O. (With -vO both print names and data on stdout, but
/// BusyBox's order on a pipe is an artefact of its stdio buffering: not compared.)
#[test]
fn busybox_differential_edges() {
    let Some((ours, bb)) = common::pair("tar") else {
        return;
    };
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::write(w.path().join("d/a"), b"abc\n").unwrap();
    fs::write(w.path().join("empty"), b"").unwrap();
    let mut c = Command::new("/bin/tar");
    c.args(["cf", "a.tar", "d"]).current_dir(w.path());
    ok(&run(&mut c));
    for args in [
        &["cvvf", "new.tar", "d"][..],
        &["xvvf", "a.tar"],
        &["tf", "empty"],
        &["tf", "missing"],
        &["cf", "new.tar"],
        &["xOf", "a.tar", "d/a"],
    ] {
        common::same_as_busybox(ours, bb, "tar", args, w.path());
        let mut a = ours.cmd("tar");
        a.args(args).current_dir(w.path());
        let mut b = bb.cmd("tar");
        b.args(args).current_dir(w.path());
        assert_eq!(stderr(&run(&mut a)), stderr(&run(&mut b)), "{args:?}");
    }
}

/// A member that cannot be written (here: over RLIMIT_FSIZE) is reported, and the members
/// after it still extract: the archive position is kept.
#[test]
fn write_error_keeps_going() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::write(w.path().join("big"), vec![3u8; 300_000]).unwrap();
    fs::write(w.path().join("small"), b"ok").unwrap();
    ok(&rtar(f, w.path(), &["cf", "a.tar", "big", "small"]));
    let x = w.path().join("x");
    fs::create_dir(&x).unwrap();
    for input in ["a.tar", "-"] {
        let mut c = Command::new("/bin/sh");
        f.env(&mut c);
        c.arg("-c")
            .arg("trap '' XFSZ; ulimit -f 200; exec tar xf \"$1\" < ../a.tar")
            .arg("sh")
            .arg(if input == "-" {
                "-".to_string()
            } else {
                format!("../{input}")
            })
            .current_dir(&x);
        let o = run(&mut c);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(stderr(&o), "tar: big: File too large\n");
        assert_eq!(fs::read(x.join("small")).unwrap(), b"ok");
        fs::remove_file(x.join("small")).unwrap();
    }
}

fn getxattr(p: &Path, name: &str) -> Option<Vec<u8>> {
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    let n = std::ffi::CString::new(name).unwrap();
    let mut buf = vec![0u8; 256];
    let k = unsafe { libc::lgetxattr(c.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    (k >= 0).then(|| {
        buf.truncate(k as usize);
        buf
    })
}

/// --xattrs: SCHILY.xattr records both ways, with GNU tar.
#[test]
fn xattrs_with_gnu() {
    let Some(f) = tar() else { return };
    if gnu_tar().is_none() {
        return;
    }
    let w = scratch();
    let p = w.path().join("f");
    fs::write(&p, b"x").unwrap();
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    let r = unsafe {
        libc::setxattr(
            c.as_ptr(),
            c"user.test".as_ptr(),
            b"value".as_ptr().cast(),
            5,
            0,
        )
    };
    if r != 0 {
        common::skip("the file system of the temp dir has no user xattrs");
        return;
    }
    ok(&gtar(
        w.path(),
        &["cf", "g.tar", "--format=posix", "--xattrs", "f"],
    ));
    ok(&rtar(f, w.path(), &["cf", "r.tar", "--xattrs", "f"]));
    for (arch, reader) in [("g.tar", "rbox"), ("r.tar", "gnu"), ("r.tar", "rbox")] {
        for with in [true, false] {
            let x = w.path().join(format!("x-{arch}-{reader}-{with}"));
            fs::create_dir(&x).unwrap();
            let mut args = vec!["xf", arch];
            if with {
                args.push("--xattrs");
            }
            let a = format!("../{arch}");
            args[1] = &a;
            if reader == "rbox" {
                ok(&rtar(f, &x, &args));
            } else {
                ok(&gtar(&x, &args));
            }
            let got = getxattr(&x.join("f"), "user.test");
            assert_eq!(
                got.as_deref(),
                with.then_some(&b"value"[..]),
                "{arch} by {reader}, --xattrs {with}"
            );
        }
    }
}

/// Existing directories take the archive's mode, unless --no-overwrite-dir.
#[test]
fn existing_directories() {
    let Some(f) = tar() else { return };
    let w = scratch();
    fs::create_dir(w.path().join("d")).unwrap();
    fs::set_permissions(w.path().join("d"), fs::Permissions::from_mode(0o751)).unwrap();
    ok(&rtar(f, w.path(), &["cf", "a.tar", "d"]));
    for (opt, want) in [(None, 0o751), (Some("--no-overwrite-dir"), 0o700)] {
        let x = w.path().join("x");
        let _ = fs::remove_dir_all(&x);
        fs::create_dir_all(x.join("d")).unwrap();
        fs::set_permissions(x.join("d"), fs::Permissions::from_mode(0o700)).unwrap();
        let mut args = vec!["xf", "../a.tar"];
        args.extend(opt);
        ok(&rtar(f, &x, &args));
        assert_eq!(
            fs::metadata(x.join("d")).unwrap().mode() & 0o7777,
            want,
            "{opt:?}"
        );
    }
}

/// Endless extension headers: an error once they pass a bound, not a growing allocation.
#[test]
fn hostile_endless_extension_headers() {
    let Some(f) = tar() else { return };
    let rec = "x".repeat(900);
    let mut a = Arch::new();
    for _ in 0..2000 {
        a = a.pax(&[("comment", &rec)]);
    }
    let data = a.file("f", b"x").end();
    let mut c = f.cmd("tar");
    c.args(["tf", "-"]);
    let o = common::run_with_input(&mut c, &data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "tar: extended header too long\n");
}
