//! Safe extraction. Everything happens relative to an `O_PATH` fd of the target directory:
//! parents are resolved with `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)`, or, where
//! the kernel or a seccomp profile refuses openat2 (ENOSYS, EPERM), by our own
//! component-by-component walk with `O_NOFOLLOW` that resolves pre-existing symlinks inside
//! the root the same way. Members are created with `O_EXCL | O_NOFOLLOW` / `mkdirat` /
//! `symlinkat` / `linkat` on the resolved parent, so nothing is written through a symlink.
//! A path through a symlink that the archive itself created is refused; names with `..` are
//! refused; leading `/` is stripped. Directory modes and times are applied at the end,
//! deepest first, so read-only directories extract.

use crate::header::{self, Entry};
use crate::read::Reader;
use crate::Opts;
use rbox_common::err;
use std::collections::HashSet;
use std::ffi::CString;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

const A: &str = "tar";

struct DirFix {
    path: Vec<u8>,
    mode: u32,
    uid: u32,
    gid: u32,
    chown: bool,
    mtime: (i64, u32),
    atime: Option<(i64, u32)>,
}

pub struct Extractor<'a> {
    o: &'a Opts,
    root: OwnedFd,
    openat2: bool,
    made_links: HashSet<Vec<u8>>,
    dirs: Vec<DirFix>,
    cache: Option<(Vec<u8>, OwnedFd)>,
    is_root: bool,
    umask: u32,
    names: rbox_common::passwd::Names,
    /// The last user and group name looked up (archives repeat the same few).
    ucache: (Vec<u8>, Option<u32>),
    gcache: (Vec<u8>, Option<u32>),
    pub status: i32,
}

fn cstr(b: &[u8]) -> io::Result<CString> {
    CString::new(b).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn last_err() -> io::Error {
    io::Error::last_os_error()
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(last_err())
    } else {
        Ok(r)
    }
}

fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

fn own(fd: libc::c_int) -> OwnedFd {
    // SAFETY: fd was just returned by a successful open and is owned by nobody else.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

fn openat(dir: RawFd, name: &[u8], flags: i32, mode: u32) -> io::Result<OwnedFd> {
    let c = cstr(name)?;
    loop {
        // SAFETY: c is a valid C string; the result is checked.
        let fd = unsafe { libc::openat(dir, c.as_ptr(), flags | libc::O_CLOEXEC, mode) };
        if fd >= 0 {
            return Ok(own(fd));
        }
        let e = last_err();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}
const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
const RESOLVE_IN_ROOT: u64 = 0x10;

fn openat2_in_root(root: RawFd, path: &[u8], flags: i32) -> io::Result<OwnedFd> {
    let c = cstr(path)?;
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u64,
        mode: 0,
        resolve: RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    loop {
        // SAFETY: valid C string and a properly laid out open_how of the given size.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                root,
                c.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if fd >= 0 {
            return Ok(own(fd as libc::c_int));
        }
        let e = last_err();
        if !matches!(errno(&e), libc::EINTR | libc::EAGAIN) {
            return Err(e);
        }
    }
}

/// Splits a member name into components; None if a component is `..`.
pub fn components(name: &[u8]) -> Option<Vec<&[u8]>> {
    let mut v = Vec::new();
    for c in name.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return None,
            c => v.push(c),
        }
    }
    Some(v)
}

fn join(c: &[&[u8]]) -> Vec<u8> {
    c.join(&b'/')
}

fn ts(t: (i64, u32)) -> libc::timespec {
    libc::timespec {
        tv_sec: t.0 as _,
        tv_nsec: t.1 as _,
    }
}

impl<'a> Extractor<'a> {
    pub fn new(o: &'a Opts) -> io::Result<Extractor<'a>> {
        let root = openat(libc::AT_FDCWD, b".", libc::O_PATH | libc::O_DIRECTORY, 0)?;
        // SAFETY: umask is always successful; we set it back at once.
        let umask = unsafe {
            let m = libc::umask(0);
            libc::umask(m);
            m
        } as u32;
        // SAFETY: geteuid cannot fail.
        let is_root = unsafe { libc::geteuid() } == 0;
        Ok(Extractor {
            o,
            root,
            openat2: std::env::var_os("RBOX_TAR_NO_OPENAT2").is_none(),
            made_links: HashSet::new(),
            dirs: Vec::new(),
            cache: None,
            is_root,
            umask,
            names: rbox_common::passwd::Names::new(),
            ucache: (Vec::new(), None),
            gcache: (Vec::new(), None),
            status: 0,
        })
    }

    fn fail(&mut self, name: &[u8], what: &str, e: &io::Error) {
        let mut m = Vec::new();
        m.extend_from_slice(what.as_bytes());
        m.extend_from_slice(name);
        err::report(A, &[&m, err::reason(e).as_bytes()]);
        self.status = 1;
    }

    /// True if a proper prefix of `c` (or all of it when `whole`) is a symlink this archive made.
    fn through_made_link(&self, c: &[&[u8]], whole: bool) -> bool {
        if self.made_links.is_empty() {
            return false;
        }
        let n = if whole {
            c.len()
        } else {
            c.len().saturating_sub(1)
        };
        let mut p = Vec::new();
        for (i, comp) in c.iter().enumerate().take(n) {
            if i > 0 {
                p.push(b'/');
            }
            p.extend_from_slice(comp);
            if self.made_links.contains(&p) {
                return true;
            }
        }
        false
    }

    /// The directory holding the last component of `c`, creating missing parents if asked.
    /// The fd stays owned by the extractor (valid until the next call).
    fn parent(&mut self, c: &[&[u8]], create: bool) -> io::Result<RawFd> {
        let dirs = &c[..c.len().saturating_sub(1)];
        if dirs.is_empty() {
            return Ok(self.root.as_raw_fd());
        }
        let path = join(dirs);
        if let Some((p, fd)) = &self.cache {
            if *p == path {
                return Ok(fd.as_raw_fd());
            }
        }
        let fd = self.resolve_dir(dirs, create)?;
        let raw = fd.as_raw_fd();
        self.cache = Some((path, fd));
        Ok(raw)
    }

    fn resolve_dir(&mut self, dirs: &[&[u8]], create: bool) -> io::Result<OwnedFd> {
        let flags = libc::O_PATH | libc::O_DIRECTORY;
        if self.openat2 {
            match openat2_in_root(self.root.as_raw_fd(), &join(dirs), flags) {
                Ok(fd) => return Ok(fd),
                Err(e) if matches!(errno(&e), libc::ENOSYS | libc::EPERM) => {
                    self.openat2 = false;
                }
                Err(e) if errno(&e) == libc::ENOENT && create => {
                    // Create what is missing, one level at a time, each resolved in the root.
                    for i in 1..=dirs.len() {
                        match openat2_in_root(self.root.as_raw_fd(), &join(&dirs[..i]), flags) {
                            Ok(_) => {}
                            Err(e) if errno(&e) == libc::ENOENT => {
                                let up = if i == 1 {
                                    dup(self.root.as_raw_fd())?
                                } else {
                                    openat2_in_root(
                                        self.root.as_raw_fd(),
                                        &join(&dirs[..i - 1]),
                                        flags,
                                    )?
                                };
                                mkdir(up.as_raw_fd(), dirs[i - 1], 0o777)?;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    return openat2_in_root(self.root.as_raw_fd(), &join(dirs), flags);
                }
                Err(e) => return Err(e),
            }
        }
        self.walk(dirs, create)
    }

    /// Component-by-component resolution inside the root with O_NOFOLLOW; pre-existing
    /// symlinks are followed by hand, with `/` and `..` clamped to the root.
    fn walk(&self, dirs: &[&[u8]], create: bool) -> io::Result<OwnedFd> {
        let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW;
        let mut stack: Vec<OwnedFd> = Vec::new();
        let mut pending: Vec<Vec<u8>> = dirs.iter().rev().map(|c| c.to_vec()).collect();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            match &comp[..] {
                b"" | b"." => continue,
                b".." => {
                    stack.pop();
                    continue;
                }
                _ => {}
            }
            let cur = stack
                .last()
                .map_or(self.root.as_raw_fd(), |f| f.as_raw_fd());
            match openat(cur, &comp, flags, 0) {
                Ok(fd) => {
                    stack.push(fd);
                    continue;
                }
                Err(e) if errno(&e) == libc::ENOENT && create => {
                    mkdir(cur, &comp, 0o777)?;
                    stack.push(openat(cur, &comp, flags, 0)?);
                    continue;
                }
                Err(e) if matches!(errno(&e), libc::ENOTDIR | libc::ELOOP) => {
                    let target = match readlinkat(cur, &comp) {
                        Some(t) => t,
                        None => return Err(e),
                    };
                    hops += 1;
                    if hops > 40 {
                        return Err(io::Error::from_raw_os_error(libc::ELOOP));
                    }
                    if target.starts_with(b"/") {
                        stack.clear();
                    }
                    for t in target.split(|&b| b == b'/').rev() {
                        pending.push(t.to_vec());
                    }
                }
                Err(e) => return Err(e),
            }
        }
        match stack.pop() {
            Some(fd) => Ok(fd),
            None => dup(self.root.as_raw_fd()),
        }
    }

    fn uid_gid(&mut self, e: &Entry) -> (u32, u32) {
        let mut uid = e.uid as u32;
        let mut gid = e.gid as u32;
        if !self.o.numeric_owner {
            if !e.uname.is_empty() {
                if self.ucache.0 != e.uname {
                    self.ucache = (e.uname.clone(), self.names.uid(&e.uname));
                }
                if let Some(u) = self.ucache.1 {
                    uid = u;
                }
            }
            if !e.gname.is_empty() {
                if self.gcache.0 != e.gname {
                    self.gcache = (e.gname.clone(), self.names.gid(&e.gname));
                }
                if let Some(g) = self.gcache.1 {
                    gid = g;
                }
            }
        }
        (uid, gid)
    }

    fn want_chown(&self) -> bool {
        match self.o.same_owner {
            Some(v) => v,
            None => self.is_root,
        }
    }

    /// The permission bits a member gets.
    fn perms(&self, mode: u32) -> u32 {
        let keep = match self.o.same_perms {
            Some(v) => v,
            None => self.is_root,
        };
        if keep {
            mode & 0o7777
        } else {
            mode & 0o1777 & !self.umask
        }
    }

    /// Processes one member (the reader is positioned at its data).
    pub fn member(&mut self, r: &mut Reader, e: &Entry, name: &[u8]) -> io::Result<()> {
        let Some(c) = components(name) else {
            let mut m = name.to_vec();
            m.extend_from_slice(b": member name contains '..'");
            err::report(A, &[&m]);
            self.status = 1;
            return Ok(());
        };
        if c.is_empty() {
            return Ok(());
        }
        if self.through_made_link(&c, false) {
            let mut m = name.to_vec();
            m.extend_from_slice(b": refusing to extract through a symlink from the archive");
            err::report(A, &[&m]);
            self.status = 1;
            return Ok(());
        }
        let path = join(&c);
        let pfd = match self.parent(&c, true) {
            Ok(p) => p,
            Err(er) => {
                self.fail(&path, "can't create directory for ", &er);
                return Ok(());
            }
        };
        let Some(base) = c.last().copied() else {
            return Ok(());
        };
        let res = match e.kind {
            header::DIR => self.dir(pfd, base, &path, e),
            header::SYMLINK => self.symlink(pfd, base, &path, e),
            header::LINK => self.hardlink(pfd, base, &path, e),
            header::CHR | header::BLK | header::FIFO => self.node(pfd, base, &path, e),
            _ => self.file(r, pfd, base, &path, e),
        };
        if let Err(er) = res {
            // Errors on data are fatal (the stream position is lost); others are reported.
            if er.kind() == io::ErrorKind::UnexpectedEof || er.kind() == io::ErrorKind::InvalidData
            {
                return Err(er);
            }
            let what = match e.kind {
                header::DIR => "can't make dir ",
                header::SYMLINK => "can't create symlink ",
                header::LINK => "can't create hardlink ",
                header::CHR | header::BLK | header::FIFO => "can't create node ",
                _ => "can't open ",
            };
            self.fail(&path, what, &er);
        }
        Ok(())
    }

    /// Removes what is in the way of a new member (an empty directory too).
    fn remove(&mut self, pfd: RawFd, base: &[u8]) -> io::Result<()> {
        let c = cstr(base)?;
        // SAFETY: valid C string.
        if unsafe { libc::unlinkat(pfd, c.as_ptr(), 0) } == 0 {
            return Ok(());
        }
        let e = last_err();
        if matches!(errno(&e), libc::EISDIR | libc::EPERM) {
            self.cache = None;
            // SAFETY: as above.
            return cvt(unsafe { libc::unlinkat(pfd, c.as_ptr(), libc::AT_REMOVEDIR) }).map(drop);
        }
        if errno(&e) == libc::ENOENT {
            return Ok(());
        }
        Err(e)
    }

    fn forget(&mut self, path: &[u8]) {
        if self.made_links.remove(path) {
            self.cache = None;
        }
    }

    fn file(
        &mut self,
        r: &mut Reader,
        pfd: RawFd,
        base: &[u8],
        path: &[u8],
        e: &Entry,
    ) -> io::Result<()> {
        let perm = self.perms(e.mode);
        let excl = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW;
        let fd = if self.o.overwrite {
            match openat(
                pfd,
                base,
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NOFOLLOW,
                perm & 0o777,
            ) {
                Ok(fd) => fd,
                Err(_) => {
                    self.remove(pfd, base)?;
                    openat(pfd, base, excl, perm & 0o777)?
                }
            }
        } else {
            match openat(pfd, base, excl, perm & 0o777) {
                Ok(fd) => fd,
                Err(er) if errno(&er) == libc::EEXIST && !self.o.keep_old => {
                    self.remove(pfd, base)?;
                    openat(pfd, base, excl, perm & 0o777)?
                }
                Err(er) => {
                    // -k: report and go on; the data is skipped by the caller.
                    let mut m = b"can't open '".to_vec();
                    m.extend_from_slice(path);
                    m.push(b'\'');
                    err::report(A, &[&m, err::reason(&er).as_bytes()]);
                    self.status = 1;
                    return Ok(());
                }
            }
        };
        self.forget(path);
        let f = fd.as_raw_fd();
        let res = match &e.sparse {
            Some(map) => (|| {
                for &(off, len) in map {
                    // SAFETY: plain lseek on our own fd.
                    if unsafe { libc::lseek(f, off as libc::off_t, libc::SEEK_SET) } < 0 {
                        return Err(last_err());
                    }
                    r.copy_to_fd(f, len)?;
                }
                // SAFETY: as above.
                cvt(unsafe { libc::ftruncate(f, e.size as libc::off_t) }).map(drop)
            })(),
            None => r.copy_to_fd(f, e.size),
        };
        if let Err(er) = res {
            // A broken archive ends the run; a failed write (ENOSPC) is this member's.
            if matches!(
                er.kind(),
                io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData
            ) {
                return Err(er);
            }
            err::report(A, &[path, err::reason(&er).as_bytes()]);
            self.status = 1;
            return Ok(());
        }
        if self.o.xattrs {
            for (k, v) in &e.xattrs {
                if let Ok(k) = cstr(k) {
                    // SAFETY: valid C string and slice.
                    unsafe { libc::fsetxattr(f, k.as_ptr(), v.as_ptr().cast(), v.len(), 0) };
                }
            }
        }
        let forced = self.o.overwrite;
        self.attrs_fd(f, e, perm, forced)
    }

    fn attrs_fd(&mut self, f: RawFd, e: &Entry, perm: u32, force_chmod: bool) -> io::Result<()> {
        let chown = self.want_chown();
        if chown {
            let (u, g) = self.uid_gid(e);
            // SAFETY: plain syscall on our fd.
            unsafe { libc::fchown(f, u, g) };
        }
        if force_chmod || chown && perm & 0o6000 != 0 || perm != perm & 0o777 & !self.umask {
            // SAFETY: as above.
            unsafe { libc::fchmod(f, perm) };
        }
        if !self.o.no_mtime {
            let t = [
                ts(e.atime.unwrap_or((e.mtime, e.mtime_nsec))),
                ts((e.mtime, e.mtime_nsec)),
            ];
            // SAFETY: t is a valid array of two timespecs.
            unsafe { libc::futimens(f, t.as_ptr()) };
        }
        Ok(())
    }

    fn dir(&mut self, pfd: RawFd, base: &[u8], path: &[u8], e: &Entry) -> io::Result<()> {
        let perm = self.perms(e.mode);
        match mkdir(pfd, base, 0o700 | (perm & 0o777)) {
            Ok(()) => {}
            Err(er) if errno(&er) == libc::EEXIST => {
                let st = fstatat(pfd, base)?;
                let fmt = st.st_mode & libc::S_IFMT;
                let is_made_link = self.made_links.contains(path);
                if fmt == libc::S_IFLNK && !is_made_link {
                    // A pre-existing symlink to a directory (/var/run -> /run) stays.
                    return Ok(());
                }
                if fmt != libc::S_IFDIR {
                    self.remove(pfd, base)?;
                    self.forget(path);
                    mkdir(pfd, base, 0o700 | (perm & 0o777))?;
                } else if self.o.no_overwrite_dir {
                    return Ok(());
                }
            }
            Err(er) => return Err(er),
        }
        let (uid, gid) = self.uid_gid(e);
        self.dirs.push(DirFix {
            path: path.to_vec(),
            mode: perm,
            uid,
            gid,
            chown: self.want_chown(),
            mtime: (e.mtime, e.mtime_nsec),
            atime: e.atime,
        });
        Ok(())
    }

    fn symlink(&mut self, pfd: RawFd, base: &[u8], path: &[u8], e: &Entry) -> io::Result<()> {
        let t = cstr(&e.link)?;
        let b = cstr(base)?;
        // SAFETY: valid C strings.
        if unsafe { libc::symlinkat(t.as_ptr(), pfd, b.as_ptr()) } != 0 {
            let er = last_err();
            if errno(&er) != libc::EEXIST || self.o.keep_old {
                return Err(er);
            }
            self.remove(pfd, base)?;
            // SAFETY: as above.
            cvt(unsafe { libc::symlinkat(t.as_ptr(), pfd, b.as_ptr()) })?;
        }
        self.made_links.insert(path.to_vec());
        self.cache = None;
        if self.want_chown() {
            let (u, g) = self.uid_gid(e);
            // SAFETY: valid C string.
            unsafe { libc::fchownat(pfd, b.as_ptr(), u, g, libc::AT_SYMLINK_NOFOLLOW) };
        }
        if !self.o.no_mtime {
            let t = [
                ts(e.atime.unwrap_or((e.mtime, e.mtime_nsec))),
                ts((e.mtime, e.mtime_nsec)),
            ];
            // SAFETY: valid C string and timespec array.
            unsafe { libc::utimensat(pfd, b.as_ptr(), t.as_ptr(), libc::AT_SYMLINK_NOFOLLOW) };
        }
        Ok(())
    }

    fn hardlink(&mut self, pfd: RawFd, base: &[u8], path: &[u8], e: &Entry) -> io::Result<()> {
        let target = self.o.member_name(&e.link);
        let tc = match target.as_deref().and_then(components) {
            Some(tc) if !tc.is_empty() => tc,
            _ => {
                let mut m = path.to_vec();
                m.extend_from_slice(b": hard link target '");
                m.extend_from_slice(&e.link);
                m.extend_from_slice(b"' is outside the archive");
                err::report(A, &[&m]);
                self.status = 1;
                return Ok(());
            }
        };
        if self.through_made_link(&tc, false) {
            return Err(io::Error::from_raw_os_error(libc::ELOOP));
        }
        if join(&tc) == path {
            return Ok(());
        }
        // The member's own parent must outlive the lookup of the target's.
        let own_parent = dup(pfd)?;
        let pfd = own_parent.as_raw_fd();
        let tp = dup(self.parent(&tc, false)?)?;
        let tb = cstr(tc.last().copied().unwrap_or(b"."))?;
        let b = cstr(base)?;
        // SAFETY: valid C strings and fds.
        if unsafe { libc::linkat(tp.as_raw_fd(), tb.as_ptr(), pfd, b.as_ptr(), 0) } != 0 {
            let er = last_err();
            if errno(&er) != libc::EEXIST || self.o.keep_old {
                return Err(er);
            }
            self.remove(pfd, base)?;
            // SAFETY: as above.
            cvt(unsafe { libc::linkat(tp.as_raw_fd(), tb.as_ptr(), pfd, b.as_ptr(), 0) })?;
        }
        self.forget(path);
        Ok(())
    }

    fn node(&mut self, pfd: RawFd, base: &[u8], path: &[u8], e: &Entry) -> io::Result<()> {
        let fmt = match e.kind {
            header::CHR => libc::S_IFCHR,
            header::BLK => libc::S_IFBLK,
            _ => libc::S_IFIFO,
        };
        if fmt != libc::S_IFIFO && !self.is_root {
            return Err(io::Error::from_raw_os_error(libc::EPERM));
        }
        let perm = self.perms(e.mode);
        let dev = libc::makedev(e.devmajor, e.devminor);
        let b = cstr(base)?;
        // SAFETY: valid C string.
        if unsafe { libc::mknodat(pfd, b.as_ptr(), fmt | (perm & 0o777), dev) } != 0 {
            let er = last_err();
            if errno(&er) != libc::EEXIST || self.o.keep_old {
                return Err(er);
            }
            self.remove(pfd, base)?;
            // SAFETY: as above.
            cvt(unsafe { libc::mknodat(pfd, b.as_ptr(), fmt | (perm & 0o777), dev) })?;
        }
        self.forget(path);
        // Attributes through an O_PATH-free open would block on a fifo: use the *at calls.
        if self.want_chown() {
            let (u, g) = self.uid_gid(e);
            // SAFETY: valid C string.
            unsafe { libc::fchownat(pfd, b.as_ptr(), u, g, libc::AT_SYMLINK_NOFOLLOW) };
        }
        if perm != perm & 0o777 & !self.umask || perm & 0o7000 != 0 {
            // SAFETY: valid C string; the node was just made by us, not a symlink.
            unsafe { libc::fchmodat(pfd, b.as_ptr(), perm, 0) };
        }
        if !self.o.no_mtime {
            let t = [
                ts(e.atime.unwrap_or((e.mtime, e.mtime_nsec))),
                ts((e.mtime, e.mtime_nsec)),
            ];
            // SAFETY: valid C string and timespec array.
            unsafe { libc::utimensat(pfd, b.as_ptr(), t.as_ptr(), libc::AT_SYMLINK_NOFOLLOW) };
        }
        Ok(())
    }

    /// Applies directory modes, owners and times, deepest first.
    pub fn finish(&mut self) {
        self.cache = None;
        let dirs = std::mem::take(&mut self.dirs);
        for d in dirs.iter().rev() {
            let Some(c) = components(&d.path) else {
                continue;
            };
            if self.through_made_link(&c, true) {
                continue;
            }
            let Ok(p) = self.parent(&c, false) else {
                continue;
            };
            let Some(base) = c.last() else { continue };
            let Ok(fd) = openat(
                p.as_raw_fd(),
                base,
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                0,
            ) else {
                continue;
            };
            let f = fd.as_raw_fd();
            // SAFETY: plain syscalls on our own fd.
            unsafe {
                if d.chown {
                    libc::fchown(f, d.uid, d.gid);
                }
                libc::fchmod(f, d.mode);
                if !self.o.no_mtime {
                    let t = [ts(d.atime.unwrap_or(d.mtime)), ts(d.mtime)];
                    libc::futimens(f, t.as_ptr());
                }
            }
        }
    }
}

fn dup(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC on a valid fd.
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    cvt(r).map(own)
}

fn mkdir(dir: RawFd, name: &[u8], mode: u32) -> io::Result<()> {
    let c = cstr(name)?;
    // SAFETY: valid C string.
    cvt(unsafe { libc::mkdirat(dir, c.as_ptr(), mode) }).map(drop)
}

fn fstatat(dir: RawFd, name: &[u8]) -> io::Result<libc::stat> {
    let c = cstr(name)?;
    // SAFETY: valid C string; st is written by the kernel.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        cvt(libc::fstatat(
            dir,
            c.as_ptr(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        ))?;
        Ok(st)
    }
}

fn readlinkat(dir: RawFd, name: &[u8]) -> Option<Vec<u8>> {
    let c = cstr(name).ok()?;
    let mut buf = vec![0u8; 4096];
    // SAFETY: valid C string and buffer.
    let n = unsafe { libc::readlinkat(dir, c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return None;
    }
    buf.truncate(n as usize);
    Some(buf)
}

/// Feeds a member to `sh -c CMD` with BusyBox's TAR_* environment.
pub fn to_command(
    cmd: &std::ffi::OsStr,
    r: &mut Reader,
    e: &Entry,
    name: &[u8],
) -> io::Result<i32> {
    use std::os::unix::ffi::OsStrExt;
    use std::process::{Command, Stdio};
    let os = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_os_string();
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(cmd).stdin(Stdio::piped());
    c.env("TAR_FILETYPE", "f")
        .env("TAR_MODE", format!("{:o}", e.mode | libc::S_IFREG))
        .env("TAR_FILENAME", os(name))
        .env("TAR_REALNAME", os(name))
        .env("TAR_UNAME", os(&e.uname))
        .env("TAR_GNAME", os(&e.gname))
        .env("TAR_SIZE", e.size.to_string())
        .env("TAR_UID", e.uid.to_string())
        .env("TAR_GID", e.gid.to_string());
    let mut child = c.spawn()?;
    let mut res = Ok(());
    if let Some(mut stdin) = child.stdin.take() {
        res = r.data_to(&mut stdin);
        let _ = stdin.flush();
    }
    let st = child.wait()?;
    match res {
        Err(er) if er.kind() == io::ErrorKind::BrokenPipe => {}
        Err(er) => return Err(er),
        Ok(()) => {}
    }
    Ok(st.code().unwrap_or(128))
}
