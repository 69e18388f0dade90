//! Home directories: created with the skeleton copied in, removed safely. Every path is
//! walked from the root with `openat`, one component at a time; under `--root` no symlink is
//! followed, so nothing outside the root is ever touched.

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use crate::db::{openat, read_fd, write_all};
use crate::Root;

fn check(r: libc::c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn c(s: &[u8]) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(s).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn nofollow(root: &Root) -> i32 {
    if root.dir.is_some() {
        libc::O_NOFOLLOW
    } else {
        0
    }
}

fn open_root(root: &Root) -> io::Result<OwnedFd> {
    openat(
        libc::AT_FDCWD,
        root.path().as_os_str().as_bytes(),
        libc::O_RDONLY | libc::O_DIRECTORY,
        0,
    )
}

/// The directory holding the last component of `path` (taken inside the root) and that
/// component. `..` is refused, and under `--root` so is every symlink on the way.
pub fn parent<'a>(root: &Root, path: &'a [u8]) -> io::Result<(OwnedFd, &'a [u8])> {
    let comps: Vec<&[u8]> = path
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .collect();
    if comps.iter().any(|c| *c == b"..") || comps.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // Under --root even a relative path stays inside the root.
    let mut dir = if path.starts_with(b"/") || root.dir.is_some() {
        open_root(root)?
    } else {
        openat(libc::AT_FDCWD, b".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?
    };
    let (last, inner) = comps
        .split_last()
        .ok_or(io::Error::from_raw_os_error(libc::EINVAL))?;
    for comp in inner {
        dir = openat(
            dir.as_raw_fd(),
            comp,
            libc::O_RDONLY | libc::O_DIRECTORY | nofollow(root),
            0,
        )?;
    }
    Ok((dir, last))
}

fn lstat_at(dir: RawFd, name: &[u8]) -> io::Result<libc::stat> {
    let n = c(name)?;
    // SAFETY: zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid C string and out-pointer.
    check(unsafe { libc::fstatat(dir, n.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) })?;
    Ok(st)
}

/// The entries of a directory fd (without `.` and `..`).
fn entries(dir: RawFd) -> io::Result<Vec<Vec<u8>>> {
    // SAFETY: dup of an fd we hold; fdopendir takes the duplicate.
    let fd = unsafe { libc::dup(dir) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd is a fresh directory fd owned by the DIR stream from here on.
    let d = unsafe { libc::fdopendir(fd) };
    if d.is_null() {
        let e = io::Error::last_os_error();
        // SAFETY: fdopendir failed, so fd is still ours to close.
        unsafe { libc::close(fd) };
        return Err(e);
    }
    // SAFETY: rewind the shared offset so a reused fd lists from the start.
    unsafe { libc::rewinddir(d) };
    let mut v = Vec::new();
    loop {
        // SAFETY: d is a valid DIR stream.
        let e = unsafe { libc::readdir(d) };
        if e.is_null() {
            break;
        }
        // SAFETY: d_name is NUL-terminated inside the returned entry.
        let name = unsafe { CStr::from_ptr((*e).d_name.as_ptr()) }.to_bytes();
        if name != b"." && name != b".." {
            v.push(name.to_vec());
        }
    }
    // SAFETY: closes the stream and its fd.
    unsafe { libc::closedir(d) };
    Ok(v)
}

/// Copies the tree in `src` into `dst`, every new entry owned by `uid:gid`. Stops at the
/// first error.
fn copy_tree(src: RawFd, dst: RawFd, uid: u32, gid: u32) -> io::Result<()> {
    for name in entries(src)? {
        let st = lstat_at(src, &name)?;
        let n = c(&name)?;
        let mode = st.st_mode & 0o7777;
        match st.st_mode & libc::S_IFMT {
            libc::S_IFDIR => {
                // SAFETY: valid C string.
                check(unsafe { libc::mkdirat(dst, n.as_ptr(), 0o700) })?;
                let s = openat(
                    src,
                    &name,
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                    0,
                )?;
                let d = openat(
                    dst,
                    &name,
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                    0,
                )?;
                copy_tree(s.as_raw_fd(), d.as_raw_fd(), uid, gid)?;
                // SAFETY: plain syscalls on an fd we hold. Ownership can fail for a caller
                // who is not root (a --root of its own): the home's own chown reports that.
                unsafe {
                    libc::fchown(d.as_raw_fd(), uid, gid);
                    check(libc::fchmod(d.as_raw_fd(), mode))?;
                }
            }
            libc::S_IFREG => {
                let s = openat(src, &name, libc::O_RDONLY | libc::O_NOFOLLOW, 0)?;
                let d = openat(
                    dst,
                    &name,
                    libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
                    0o600,
                )?;
                write_all(d.as_raw_fd(), &read_fd(s.as_raw_fd())?)?;
                // SAFETY: plain syscalls on an fd we hold. Ownership can fail for a caller
                // who is not root (a --root of its own): the home's own chown reports that.
                unsafe {
                    libc::fchown(d.as_raw_fd(), uid, gid);
                    check(libc::fchmod(d.as_raw_fd(), mode))?;
                }
            }
            libc::S_IFLNK => {
                let mut buf = vec![0u8; 4096];
                // SAFETY: valid C string and buffer.
                let len = unsafe {
                    libc::readlinkat(src, n.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
                };
                if len < 0 {
                    return Err(io::Error::last_os_error());
                }
                buf.truncate(len as usize);
                let t = c(&buf)?;
                // SAFETY: valid C strings.
                unsafe {
                    check(libc::symlinkat(t.as_ptr(), dst, n.as_ptr()))?;
                    libc::fchownat(dst, n.as_ptr(), uid, gid, libc::AT_SYMLINK_NOFOLLOW);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Outcome of [`create`] worth a message: (path shown, error).
pub type Failure = (Vec<u8>, io::Error);

/// BusyBox's home set-up: a new directory gets the skeleton (errors reported only when the
/// skeleton was named with `-k`), then the home is given to `uid:gid` with mode 02755,
/// whether it was new or not.
pub fn create(
    root: &Root,
    home: &[u8],
    uid: u32,
    gid: u32,
    skel: &[u8],
    skel_named: bool,
) -> Vec<Failure> {
    let mut fails = Vec::new();
    let shown = root.show(home);
    let (dir, last) = match parent(root, home) {
        Ok(p) => p,
        Err(e) => {
            fails.push((shown, e));
            return fails;
        }
    };
    let Ok(n) = c(last) else {
        fails.push((shown, io::Error::from_raw_os_error(libc::EINVAL)));
        return fails;
    };
    // SAFETY: valid C string; the umask is restored below.
    let old_mask = unsafe { libc::umask(0) };
    // SAFETY: valid C string.
    let made = unsafe { libc::mkdirat(dir.as_raw_fd(), n.as_ptr(), 0o755) } == 0;
    let mkdir_err = (!made).then(io::Error::last_os_error);
    let h = openat(
        dir.as_raw_fd(),
        last,
        libc::O_RDONLY | libc::O_DIRECTORY | nofollow(root),
        0,
    );
    if made {
        if let Ok(h) = &h {
            let r = parent(root, skel).and_then(|(sd, sl)| {
                openat(
                    sd.as_raw_fd(),
                    sl,
                    libc::O_RDONLY | libc::O_DIRECTORY | nofollow(root),
                    0,
                )
            });
            let r = r.and_then(|s| copy_tree(s.as_raw_fd(), h.as_raw_fd(), uid, gid));
            if let Err(e) = r {
                if skel_named {
                    fails.push((root.show(skel), e));
                }
            }
        }
    }
    let r = match (mkdir_err, h) {
        (Some(e), _) if e.raw_os_error() != Some(libc::EEXIST) => Err(e),
        (_, Err(e)) => Err(e),
        // SAFETY: plain syscalls on an fd we hold.
        (_, Ok(h)) => unsafe {
            check(libc::fchown(h.as_raw_fd(), uid, gid))
                .and_then(|()| check(libc::fchmod(h.as_raw_fd(), 0o2755)))
        },
    };
    if let Err(e) = r {
        fails.push((shown, e));
    }
    // SAFETY: restores the caller's umask.
    unsafe { libc::umask(old_mask) };
    fails
}

/// Directories `deluser --remove-home` never removes.
const SYSTEM: &[&[u8]] = &[
    b"",
    b"bin",
    b"boot",
    b"dev",
    b"etc",
    b"home",
    b"lib",
    b"lib32",
    b"lib64",
    b"libx32",
    b"media",
    b"mnt",
    b"opt",
    b"proc",
    b"root",
    b"run",
    b"sbin",
    b"srv",
    b"sys",
    b"tmp",
    b"usr",
    b"var",
    b"nonexistent",
    b"usr/bin",
    b"usr/lib",
    b"usr/local",
    b"usr/sbin",
    b"usr/share",
    b"var/lib",
    b"var/log",
    b"var/spool",
    b"var/tmp",
    b"var/empty",
    b"var/run",
];

/// Removes the home `path` of `uid` if it is safe: an absolute path, not a system directory,
/// a real directory (not a symlink) owned by `uid`. Err(reason) when refused or failed;
/// Ok(false) when there is nothing to remove.
pub fn remove(root: &Root, path: &[u8], uid: u32) -> Result<bool, String> {
    let norm: Vec<&[u8]> = path
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .collect();
    let joined = norm.join(&b'/');
    if !path.starts_with(b"/") || SYSTEM.contains(&&joined[..]) || norm.contains(&&b".."[..]) {
        return Err("is a system directory or not absolute, not removed".into());
    }
    let (dir, last) = match parent(root, path) {
        Ok(p) => p,
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(false),
        Err(e) => return Err(rbox_common::err::reason(&e)),
    };
    let st = match lstat_at(dir.as_raw_fd(), last) {
        Ok(st) => st,
        Err(_) => return Ok(false),
    };
    if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
        // BusyBox too removes only directories (a home of /dev/null stays).
        return Ok(false);
    }
    if st.st_uid != uid {
        return Err("not owned by the user, not removed".into());
    }
    remove_tree(dir.as_raw_fd(), last).map_err(|e| rbox_common::err::reason(&e))?;
    Ok(true)
}

fn remove_tree(parent: RawFd, name: &[u8]) -> io::Result<()> {
    let d = openat(
        parent,
        name,
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
        0,
    )?;
    for e in entries(d.as_raw_fd())? {
        let st = lstat_at(d.as_raw_fd(), &e)?;
        if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
            remove_tree(d.as_raw_fd(), &e)?;
        } else {
            let n = c(&e)?;
            // SAFETY: valid C string.
            check(unsafe { libc::unlinkat(d.as_raw_fd(), n.as_ptr(), 0) })?;
        }
    }
    let n = c(name)?;
    // SAFETY: valid C string.
    check(unsafe { libc::unlinkat(parent, n.as_ptr(), libc::AT_REMOVEDIR) })
}
