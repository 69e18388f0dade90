//! `rbox --install [-s] [-f] [--root ROOT] [DIR]`: lays down the links that make every applet
//! callable by name.
//!
//! - With DIR, every link goes flat into DIR; otherwise each goes to its standard directory
//!   (`bin`, `sbin`, `usr/bin`, `usr/sbin`) under ROOT (default `/`), created as needed.
//! - Hard links by default, symlinks with `-s`. A hard link across file systems (EXDEV) falls
//!   back to a symlink, with a warning.
//! - Without `--root`, links point at the running executable (`/proc/self/exe`, else an
//!   absolute argv[0]). With `--root`, they point at the binary's place inside the image,
//!   `/bin/rbox`: symlinks are relative (`../../bin/rbox`), so they resolve inside the image
//!   whether it is mounted at ROOT or booted; the running binary is copied to `ROOT/bin/rbox`
//!   if nothing is there yet.
//! - Safe to re-run: a link that already leads to this binary is left (or turned into the
//!   requested kind); anything else is reported and left alone, making the status 1, unless
//!   `-f` is given and it is BusyBox's (a symlink to a `busybox*` file, or a BusyBox binary),
//!   which is replaced: the migration path of an existing image. Replacement is atomic
//!   (new link beside the old, then rename).

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rbox_common::applet;
use rbox_common::err;

struct Opts {
    symlink: bool,
    force: bool,
    root: Option<PathBuf>,
    dir: Option<PathBuf>,
}

fn usage_error(msg: &str) -> i32 {
    err::report("rbox", &[msg.as_bytes()]);
    err::report(
        "rbox",
        &[b"usage: rbox --install [-s] [-f] [--root ROOT] [DIR]"],
    );
    1
}

pub fn main(argv: &[OsString]) -> i32 {
    let mut o = Opts {
        symlink: false,
        force: false,
        root: None,
        dir: None,
    };
    let mut it = argv.iter().skip(2);
    while let Some(a) = it.next() {
        match a.as_bytes() {
            b"-s" => o.symlink = true,
            b"-f" => o.force = true,
            b"-sf" | b"-fs" => {
                o.symlink = true;
                o.force = true
            }
            b"--root" => match it.next() {
                Some(r) => o.root = Some(PathBuf::from(r)),
                None => return usage_error("option '--root' requires an argument"),
            },
            b if b.starts_with(b"--root=") => {
                o.root = Some(PathBuf::from(OsString::from_vec(b[7..].to_vec())))
            }
            b if b.starts_with(b"-") && b.len() > 1 => {
                return usage_error(&format!("unknown option '{}'", a.to_string_lossy()))
            }
            _ if o.dir.is_none() => o.dir = Some(PathBuf::from(a)),
            _ => return usage_error("more than one DIR"),
        }
    }
    if o.root.is_some() && o.dir.is_some() {
        return usage_error("--root and DIR exclude each other");
    }
    let exe = match current_exe(argv) {
        Some(p) => p,
        None => {
            err::report("rbox", &[b"can't find my own executable (no /proc?)"]);
            return 1;
        }
    };
    let (source, in_image) = match &o.root {
        Some(root) => match image_binary(&exe, root) {
            Ok(p) => (p, true),
            Err(e) => {
                err::report_os("rbox", root.join("bin/rbox").as_os_str().as_bytes(), &e);
                return 1;
            }
        },
        None => (exe, false),
    };
    let src_meta = match fs::metadata(&source) {
        Ok(m) => m,
        Err(e) => {
            err::report_os("rbox", source.as_os_str().as_bytes(), &e);
            return 1;
        }
    };
    let root = o.root.clone().unwrap_or_else(|| PathBuf::from("/"));
    let mut status = 0;
    for a in applet::table() {
        let (dir, target) = match &o.dir {
            Some(d) => (d.clone(), source.clone()),
            None if in_image => {
                let t = format!("{}bin/rbox", a.dir.to_root());
                let t = if a.dir == rbox_common::InstallDir::Bin {
                    "rbox".into()
                } else {
                    t
                };
                (root.join(a.dir.as_str()), PathBuf::from(t))
            }
            None => (root.join(a.dir.as_str()), source.clone()),
        };
        if let Err(e) = fs::create_dir_all(&dir) {
            err::report_os("rbox", dir.as_os_str().as_bytes(), &e);
            status = 1;
            continue;
        }
        let dest = dir.join(a.name);
        if let Err(msg) = install_one(&o, &source, &src_meta, &target, &dest) {
            err::report("rbox", &[dest.as_os_str().as_bytes(), msg.as_bytes()]);
            status = 1;
        }
    }
    status
}

fn current_exe(argv: &[OsString]) -> Option<PathBuf> {
    if let Ok(p) = fs::read_link("/proc/self/exe") {
        if p.is_absolute() && p.exists() {
            return Some(p);
        }
    }
    let a0 = PathBuf::from(argv.first()?);
    a0.is_absolute().then_some(a0)
}

/// The binary inside the image at ROOT/bin/rbox; the running one is copied there (atomically)
/// when it is missing.
fn image_binary(exe: &Path, root: &Path) -> io::Result<PathBuf> {
    let bin = root.join("bin");
    let dest = bin.join("rbox");
    if fs::symlink_metadata(&dest).is_ok() {
        return Ok(dest);
    }
    fs::create_dir_all(&bin)?;
    let tmp = bin.join(".rbox.new");
    let _ = fs::remove_file(&tmp);
    fs::copy(exe, &tmp)?;
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))?;
    fs::File::open(&tmp)?.sync_all()?;
    fs::rename(&tmp, &dest)?;
    Ok(dest)
}

fn install_one(
    o: &Opts,
    source: &Path,
    src: &fs::Metadata,
    target: &Path,
    dest: &Path,
) -> Result<(), String> {
    match fs::symlink_metadata(dest) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return make_link(o, source, target, dest),
        Err(e) => return Err(err::reason(&e)),
        Ok(m) => {
            let ours = fs::metadata(dest)
                .map(|t| t.dev() == src.dev() && t.ino() == src.ino())
                .unwrap_or(false);
            if ours {
                let is_link = m.file_type().is_symlink();
                if o.symlink && is_link && fs::read_link(dest).ok().as_deref() == Some(target) {
                    return Ok(());
                }
                if !o.symlink && !is_link {
                    return Ok(());
                }
            } else if !(o.force && is_busybox(dest, &m)) {
                return Err(if o.force {
                    "exists and is not BusyBox's, not replaced".into()
                } else {
                    "exists, not replaced (-f replaces BusyBox's links)".into()
                });
            }
        }
    }
    make_link(o, source, target, dest)
}

/// Creates the link beside `dest` and renames it over, so `dest` is never missing.
fn make_link(o: &Opts, source: &Path, target: &Path, dest: &Path) -> Result<(), String> {
    let mut tmp_name = OsString::from(".");
    tmp_name.push(dest.file_name().unwrap_or_default());
    tmp_name.push(".rbox-new");
    let tmp = dest.with_file_name(tmp_name);
    let _ = fs::remove_file(&tmp);
    let made = if o.symlink {
        std::os::unix::fs::symlink(target, &tmp)
    } else {
        match fs::hard_link(source, &tmp) {
            Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
                err::report(
                    "rbox",
                    &[
                        dest.as_os_str().as_bytes(),
                        b"other file system, made a symlink",
                    ],
                );
                std::os::unix::fs::symlink(target, &tmp)
            }
            r => r,
        }
    };
    made.and_then(|()| fs::rename(&tmp, dest)).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        err::reason(&e)
    })
}

/// BusyBox's: a symlink to a file named `busybox*`, or a file that is a BusyBox binary.
fn is_busybox(path: &Path, m: &fs::Metadata) -> bool {
    if m.file_type().is_symlink() {
        return fs::read_link(path)
            .ok()
            .and_then(|t| t.file_name().map(|n| n.as_bytes().starts_with(b"busybox")))
            .unwrap_or(false);
    }
    if !m.is_file() {
        return false;
    }
    let Ok(f) = fs::File::open(path) else {
        return false;
    };
    let mut data = Vec::new();
    if f.take(16 << 20).read_to_end(&mut data).is_err() {
        return false;
    }
    const MARK: &[u8] = b"BusyBox v";
    data.windows(MARK.len()).any(|w| w == MARK)
}
