//! The write side of the account database: locked, atomic, recoverable.
//!
//! # Protocol
//! 1. Lock: `etc/.pwd.lock` is opened (created 0600) and write-locked with `fcntl(F_SETLKW)`,
//!    the lock glibc's `lckpwdf(3)` and shadow's tools (useradd, passwd) take. Every rbox
//!    account tool holds it from before reading until after the last rename, so concurrent
//!    runs serialise.
//! 2. Recover what a killed run left (see below).
//! 3. Read `group`, `gshadow`, `shadow`, `passwd` and write-lock each one (`fcntl`, the lock
//!    BusyBox takes on the file itself). The applet edits the contents in memory; lines it does
//!    not understand are kept byte for byte.
//! 4. Commit, for each changed file in the order group, gshadow, shadow, passwd: hard-link the
//!    current file to the backup `FILE-`; write the new contents to `FILE.rbox-new` (created
//!    exclusively, given the old file's mode and owner) and fsync it.
//! 5. Write the journal `.rbox-accounts.journal.new` (the list of files), fsync it and rename
//!    it to `.rbox-accounts.journal`: this rename is the commit point.
//! 6. Rename each `FILE.rbox-new` over `FILE` in the same order (where rename fails with EBUSY,
//!    a bind-mounted file, or the running system's file is a symlink: rewrite `FILE` in place
//!    under the lock, fsync it, then remove the temp file); fsync the directory; remove the
//!    journal.
//!
//! # Recovery
//! Every run, under the lock, before reading: an `.rbox-accounts.journal` means a run was
//! killed after its commit point: each listed `FILE.rbox-new` still present is complete
//! (fsynced before the journal existed) and is installed as in step 6, then the journal is
//! removed (rolled forward). Without a journal, any `FILE.rbox-new` or `.journal.new` is an
//! uncommitted run's and is deleted (rolled back). So each file is always either before or
//! after, and the set of files is made consistent by the next run.
//!
//! # Kill injection (tests)
//! `RBOX_ACCOUNTS_CRASH_AT=N` makes the process `_exit(86)` just before its Nth write,
//! fsync, link, unlink or rename step (counted from 1), so tests can stop a run at every
//! step, not only at random. It is kept in release builds (the tests run against them) and
//! is harmless there: it does exactly what a kill at that moment does, which the protocol
//! survives, and which the caller could do anyway (even to a setuid `passwd`, whose real uid
//! is the caller's).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use crate::{msg, Root};

pub const GROUP: usize = 0;
pub const GSHADOW: usize = 1;
pub const SHADOW: usize = 2;
pub const PASSWD: usize = 3;
pub const NAMES: [&str; 4] = ["group", "gshadow", "shadow", "passwd"];
const TEMP: &str = ".rbox-new";
const JOURNAL: &str = ".rbox-accounts.journal";
const JOURNAL_NEW: &str = ".rbox-accounts.journal.new";
const JOURNAL_HEAD: &[u8] = b"rbox-accounts journal 1\n";

/// The kill-injection hook (see the module documentation).
pub(crate) fn step() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::OnceLock;
    static AT: OnceLock<u32> = OnceLock::new();
    static N: AtomicU32 = AtomicU32::new(0);
    let at = *AT.get_or_init(|| {
        std::env::var_os("RBOX_ACCOUNTS_CRASH_AT")
            .and_then(|v| v.to_str().and_then(|s| s.parse().ok()))
            .unwrap_or(0)
    });
    if at != 0 && N.fetch_add(1, Ordering::Relaxed) + 1 == at {
        // SAFETY: ends the process at once, as a kill would.
        unsafe { libc::_exit(86) };
    }
}

fn cpath(s: &[u8]) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(s).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn check(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

pub(crate) fn openat(dir: RawFd, name: &[u8], flags: i32, mode: u32) -> io::Result<OwnedFd> {
    let c = cpath(name)?;
    // SAFETY: valid C string; the returned fd is owned by the OwnedFd.
    let fd = check(unsafe { libc::openat(dir, c.as_ptr(), flags | libc::O_CLOEXEC, mode) })?;
    // SAFETY: fd was just opened and is ours.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn unlinkat(dir: RawFd, name: &[u8]) -> io::Result<()> {
    let c = cpath(name)?;
    // SAFETY: valid C string.
    check(unsafe { libc::unlinkat(dir, c.as_ptr(), 0) }).map(drop)
}

fn unlink_quiet(dir: RawFd, name: &[u8]) -> io::Result<()> {
    match unlinkat(dir, name) {
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(()),
        r => r,
    }
}

fn renameat(dir: RawFd, from: &[u8], to: &[u8]) -> io::Result<()> {
    let (a, b) = (cpath(from)?, cpath(to)?);
    // SAFETY: valid C strings.
    check(unsafe { libc::renameat(dir, a.as_ptr(), dir, b.as_ptr()) }).map(drop)
}

fn fsync(fd: RawFd) -> io::Result<()> {
    step();
    // SAFETY: plain syscall on an fd we hold.
    check(unsafe { libc::fsync(fd) }).map(drop)
}

pub(crate) fn write_all(fd: RawFd, mut b: &[u8]) -> io::Result<()> {
    while !b.is_empty() {
        // SAFETY: pointer and length from a live slice.
        let n = unsafe { libc::write(fd, b.as_ptr().cast(), b.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Err(io::Error::from_raw_os_error(libc::EIO));
        }
        b = &b[n as usize..];
    }
    Ok(())
}

pub(crate) fn read_fd(fd: RawFd) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        // SAFETY: pointer and length from a live buffer.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Ok(v);
        }
        v.extend_from_slice(&buf[..n as usize]);
    }
}

fn lstat_at(dir: RawFd, name: &[u8]) -> io::Result<libc::stat> {
    let c = cpath(name)?;
    // SAFETY: zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid C string and out-pointer.
    check(unsafe { libc::fstatat(dir, c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) })?;
    Ok(st)
}

/// A blocking whole-file write lock (`fcntl(F_SETLKW)`), released when the fd closes.
fn lock_fd(fd: RawFd) -> io::Result<()> {
    // SAFETY: a zeroed flock is valid; fields set below.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as _;
    fl.l_whence = libc::SEEK_SET as _;
    loop {
        // SAFETY: valid fd and flock.
        if unsafe { libc::fcntl(fd, libc::F_SETLKW, &fl) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

pub struct Slot {
    /// The contents as read (None: the file does not exist).
    pub orig: Option<Vec<u8>>,
    /// The contents to write.
    pub data: Option<Vec<u8>>,
    _fd: Option<OwnedFd>,
    mode: u32,
    uid: u32,
    gid: u32,
}

pub struct Db {
    pub applet: &'static str,
    etc: OwnedFd,
    /// Under `--root`: symlinks are refused rather than followed.
    confined: bool,
    etc_shown: Vec<u8>,
    _lock: OwnedFd,
    pub slots: [Slot; 4],
}

impl Db {
    /// Opens and locks the database under `root`, completing or undoing a killed run first.
    /// Prints the error and returns None on failure.
    pub fn open(applet: &'static str, root: &Root) -> Option<Db> {
        let etc_shown = root.show(b"/etc");
        let fail = |what: &[u8], e: io::Error| {
            rbox_common::err::report_os(applet, what, &e);
        };
        let etc = match &root.dir {
            None => openat(
                libc::AT_FDCWD,
                b"/etc",
                libc::O_RDONLY | libc::O_DIRECTORY,
                0,
            ),
            Some(d) => openat(
                libc::AT_FDCWD,
                d.as_os_str().as_bytes(),
                libc::O_RDONLY | libc::O_DIRECTORY,
                0,
            )
            .and_then(|r| {
                openat(
                    r.as_raw_fd(),
                    b"etc",
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                    0,
                )
            }),
        };
        let etc = match etc {
            Ok(f) => f,
            Err(e) => {
                let e = if e.raw_os_error() == Some(libc::ELOOP)
                    || (root.dir.is_some() && e.raw_os_error() == Some(libc::ENOTDIR))
                {
                    io::Error::other("not a directory inside the root (symlink refused)")
                } else {
                    e
                };
                fail(&etc_shown, e);
                return None;
            }
        };
        let lock = openat(
            etc.as_raw_fd(),
            b".pwd.lock",
            libc::O_WRONLY | libc::O_CREAT | libc::O_NOFOLLOW,
            0o600,
        )
        .and_then(|f| lock_fd(f.as_raw_fd()).map(|()| f));
        let lock = match lock {
            Ok(f) => f,
            Err(e) => {
                let mut p = etc_shown.clone();
                p.extend_from_slice(b"/.pwd.lock");
                fail(&p, e);
                return None;
            }
        };
        let empty = || Slot {
            orig: None,
            data: None,
            _fd: None,
            mode: 0,
            uid: 0,
            gid: 0,
        };
        let mut db = Db {
            applet,
            etc,
            confined: root.dir.is_some(),
            etc_shown,
            _lock: lock,
            slots: [empty(), empty(), empty(), empty()],
        };
        if let Err((name, e)) = db.recover() {
            fail(&db.shown(&name), e);
            return None;
        }
        for (i, name) in NAMES.iter().enumerate() {
            if let Err(e) = db.load(i) {
                fail(&db.shown(name.as_bytes()), e);
                return None;
            }
        }
        Some(db)
    }

    /// The path of a file for messages.
    pub fn shown(&self, name: &[u8]) -> Vec<u8> {
        let mut p = self.etc_shown.clone();
        p.push(b'/');
        p.extend_from_slice(name);
        p
    }

    fn load(&mut self, i: usize) -> io::Result<()> {
        let mut flags = libc::O_RDWR;
        if self.confined {
            flags |= libc::O_NOFOLLOW;
        }
        let fd = match openat(self.etc.as_raw_fd(), NAMES[i].as_bytes(), flags, 0) {
            Ok(fd) => fd,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                let private = i == SHADOW || i == GSHADOW;
                let s = &mut self.slots[i];
                s.mode = if private { 0o600 } else { 0o644 };
                // SAFETY: plain id queries.
                (s.uid, s.gid) = unsafe { (libc::geteuid(), libc::getegid()) };
                return Ok(());
            }
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(io::Error::other("is a symlink (refused under --root)"))
            }
            Err(e) => return Err(e),
        };
        lock_fd(fd.as_raw_fd())?;
        // SAFETY: zeroed stat is a valid out-parameter.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: valid fd and out-pointer.
        check(unsafe { libc::fstat(fd.as_raw_fd(), &mut st) })?;
        let data = read_fd(fd.as_raw_fd())?;
        let s = &mut self.slots[i];
        s.mode = st.st_mode & 0o7777;
        s.uid = st.st_uid;
        s.gid = st.st_gid;
        s.orig = Some(data.clone());
        s.data = Some(data);
        s._fd = Some(fd);
        Ok(())
    }

    /// The contents of a file (empty when missing).
    pub fn get(&self, i: usize) -> &[u8] {
        self.slots[i].data.as_deref().unwrap_or(&[])
    }

    pub fn exists(&self, i: usize) -> bool {
        self.slots[i].data.is_some()
    }

    /// The contents to edit; for passwd and group a missing file is an error (BusyBox's
    /// "can't open" message), for the shadow files the caller checks [`Db::exists`] first.
    pub fn edit(&mut self, i: usize) -> Option<&mut Vec<u8>> {
        if self.slots[i].data.is_none() {
            if i == SHADOW || i == GSHADOW {
                self.slots[i].data = Some(Vec::new());
            } else {
                let mut m = b"can't open '".to_vec();
                m.extend_from_slice(&self.shown(NAMES[i].as_bytes()));
                m.push(b'\'');
                msg(
                    self.applet,
                    &[
                        &m,
                        rbox_common::err::reason(&io::Error::from_raw_os_error(libc::ENOENT))
                            .as_bytes(),
                    ],
                );
                return None;
            }
        }
        self.slots[i].data.as_mut()
    }

    /// Is a rename over `name` impossible, so it must be rewritten in place?
    fn in_place(&self, name: &[u8]) -> io::Result<bool> {
        match lstat_at(self.etc.as_raw_fd(), name) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFLNK => {
                if self.confined {
                    Err(io::Error::other("is a symlink (refused under --root)"))
                } else {
                    Ok(true)
                }
            }
            _ => Ok(false),
        }
    }

    /// Puts `name.rbox-new` in place of `name`: rename, or in-place rewrite where the rename
    /// is refused (EBUSY) or the file is a symlink on the running system.
    fn install(&self, name: &[u8]) -> io::Result<()> {
        let dir = self.etc.as_raw_fd();
        let mut tmp = name.to_vec();
        tmp.extend_from_slice(TEMP.as_bytes());
        if !self.in_place(name)? {
            step();
            match renameat(dir, &tmp, name) {
                Ok(()) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {}
                Err(e) => return Err(e),
            }
        }
        let src = openat(dir, &tmp, libc::O_RDONLY | libc::O_NOFOLLOW, 0)?;
        let data = read_fd(src.as_raw_fd())?;
        let dst = openat(dir, name, libc::O_WRONLY, 0)?;
        step();
        write_all(dst.as_raw_fd(), &data)?;
        step();
        // SAFETY: plain syscall on an fd we hold.
        check(unsafe { libc::ftruncate(dst.as_raw_fd(), data.len() as libc::off_t) })?;
        fsync(dst.as_raw_fd())?;
        step();
        unlinkat(dir, &tmp)
    }

    /// Completes (journal present) or undoes (no journal) a killed run.
    fn recover(&self) -> Result<(), (Vec<u8>, io::Error)> {
        let dir = self.etc.as_raw_fd();
        fn with(n: &[u8]) -> impl FnOnce(io::Error) -> (Vec<u8>, io::Error) + '_ {
            move |e| (n.to_vec(), e)
        }
        unlink_quiet(dir, JOURNAL_NEW.as_bytes()).map_err(with(JOURNAL_NEW.as_bytes()))?;
        let journal = match openat(
            dir,
            JOURNAL.as_bytes(),
            libc::O_RDONLY | libc::O_NOFOLLOW,
            0,
        ) {
            Ok(fd) => Some(read_fd(fd.as_raw_fd()).map_err(with(JOURNAL.as_bytes()))?),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => return Err((JOURNAL.as_bytes().to_vec(), e)),
        };
        if let Some(j) = journal {
            if let Some(body) = j
                .strip_prefix(JOURNAL_HEAD)
                .and_then(|b| b.strip_suffix(b"end\n"))
            {
                for name in rbox_common::passwd::lines(body) {
                    if !NAMES.iter().any(|n| n.as_bytes() == name) {
                        continue;
                    }
                    let mut tmp = name.to_vec();
                    tmp.extend_from_slice(TEMP.as_bytes());
                    if lstat_at(dir, &tmp).is_ok() {
                        self.install(name).map_err(with(name))?;
                    }
                }
                fsync(dir).map_err(with(b"."))?;
            }
            step();
            unlinkat(dir, JOURNAL.as_bytes()).map_err(with(JOURNAL.as_bytes()))?;
        }
        for n in NAMES {
            let mut tmp = n.as_bytes().to_vec();
            tmp.extend_from_slice(TEMP.as_bytes());
            unlink_quiet(dir, &tmp).map_err(with(&tmp))?;
        }
        Ok(())
    }

    /// Writes every changed file with the protocol above. Prints the error on failure.
    pub fn commit(&mut self) -> bool {
        let changed: Vec<usize> = (0..4)
            .filter(|&i| self.slots[i].data.is_some() && self.slots[i].data != self.slots[i].orig)
            .collect();
        if changed.is_empty() {
            return true;
        }
        let dir = self.etc.as_raw_fd();
        for &i in &changed {
            let name = NAMES[i].as_bytes();
            if let Err(e) = self.prepare(i) {
                let mut tmp = name.to_vec();
                tmp.extend_from_slice(TEMP.as_bytes());
                for &j in &changed {
                    let mut t = NAMES[j].as_bytes().to_vec();
                    t.extend_from_slice(TEMP.as_bytes());
                    let _ = unlink_quiet(dir, &t);
                }
                rbox_common::err::report_os(self.applet, &self.shown(name), &e);
                return false;
            }
        }
        let mut journal = JOURNAL_HEAD.to_vec();
        for &i in &changed {
            journal.extend_from_slice(NAMES[i].as_bytes());
            journal.push(b'\n');
        }
        journal.extend_from_slice(b"end\n");
        let r = (|| {
            let fd = openat(
                dir,
                JOURNAL_NEW.as_bytes(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NOFOLLOW,
                0o600,
            )?;
            step();
            write_all(fd.as_raw_fd(), &journal)?;
            fsync(fd.as_raw_fd())?;
            step();
            renameat(dir, JOURNAL_NEW.as_bytes(), JOURNAL.as_bytes())?;
            fsync(dir)
        })();
        if let Err(e) = r {
            let _ = self.recover();
            rbox_common::err::report_os(self.applet, &self.shown(JOURNAL.as_bytes()), &e);
            return false;
        }
        // Committed: from here a failure is completed by the next run.
        for &i in &changed {
            let name = NAMES[i].as_bytes();
            if let Err(e) = self.install(name) {
                rbox_common::err::report_os(self.applet, &self.shown(name), &e);
                return false;
            }
        }
        let r = fsync(dir).and_then(|()| {
            step();
            unlinkat(dir, JOURNAL.as_bytes())
        });
        if let Err(e) = r {
            rbox_common::err::report_os(self.applet, &self.shown(JOURNAL.as_bytes()), &e);
            return false;
        }
        for &i in &changed {
            let s = &mut self.slots[i];
            s.orig = s.data.clone();
        }
        true
    }

    /// Backup `FILE-` and the complete, fsynced `FILE.rbox-new`.
    fn prepare(&self, i: usize) -> io::Result<()> {
        let dir = self.etc.as_raw_fd();
        let name = NAMES[i].as_bytes();
        let s = &self.slots[i];
        if s.orig.is_some() {
            let mut bak = name.to_vec();
            bak.push(b'-');
            step();
            let ok = unlink_quiet(dir, &bak).is_ok() && {
                let (a, b) = (cpath(name)?, cpath(&bak)?);
                step();
                // SAFETY: valid C strings.
                unsafe { libc::linkat(dir, a.as_ptr(), dir, b.as_ptr(), 0) == 0 }
            };
            if !ok {
                let mut m = b"warning: can't create backup copy '".to_vec();
                m.extend_from_slice(&self.shown(&bak));
                m.push(b'\'');
                let e = io::Error::last_os_error();
                msg(self.applet, &[&m, rbox_common::err::reason(&e).as_bytes()]);
            }
        }
        let mut tmp = name.to_vec();
        tmp.extend_from_slice(TEMP.as_bytes());
        unlink_quiet(dir, &tmp)?;
        let fd = openat(
            dir,
            &tmp,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
            0o600,
        )?;
        let raw = fd.as_raw_fd();
        // SAFETY: plain syscalls on an fd we hold. The owner can only be given by root; a
        // caller editing its own --root keeps the files as its own.
        unsafe {
            libc::fchown(raw, s.uid, s.gid);
            check(libc::fchmod(raw, s.mode))?;
        }
        let data = s.data.as_deref().unwrap_or(&[]);
        let half = data.len() / 2;
        step();
        write_all(raw, &data[..half])?;
        step();
        write_all(raw, &data[half..])?;
        fsync(raw)
    }
}

/// Line editing that keeps every byte it does not change.
pub mod text {
    /// What to do with a line.
    pub enum Edit {
        Keep,
        Drop,
        Replace(Vec<u8>),
    }

    /// Rewrites `data` line by line; returns how many lines were dropped or replaced. A last
    /// line without a newline keeps lacking one.
    pub fn edit(data: &mut Vec<u8>, mut f: impl FnMut(&[u8]) -> Edit) -> usize {
        let mut out = Vec::with_capacity(data.len() + 64);
        let mut n = 0;
        let mut rest: &[u8] = data;
        while !rest.is_empty() {
            let (line, nl, next) = match memchr(b'\n', rest) {
                Some(i) => (&rest[..i], true, &rest[i + 1..]),
                None => (rest, false, &rest[rest.len()..]),
            };
            match f(line) {
                Edit::Keep => {
                    out.extend_from_slice(line);
                    if nl {
                        out.push(b'\n');
                    }
                }
                Edit::Drop => n += 1,
                Edit::Replace(l) => {
                    n += 1;
                    out.extend_from_slice(&l);
                    if nl {
                        out.push(b'\n');
                    }
                }
            }
            rest = next;
        }
        *data = out;
        n
    }

    fn memchr(c: u8, s: &[u8]) -> Option<usize> {
        s.iter().position(|&b| b == c)
    }

    /// Appends a line (and the missing newline of the last one).
    pub fn append(data: &mut Vec<u8>, line: &[u8]) {
        if !data.is_empty() && !data.ends_with(b"\n") {
            data.push(b'\n');
        }
        data.extend_from_slice(line);
        data.push(b'\n');
    }

    /// Does the line belong to `name` (starts with `name:`, as BusyBox matches)?
    pub fn is_entry(line: &[u8], name: &[u8]) -> bool {
        line.len() > name.len() && line.starts_with(name) && line[name.len()] == b':'
    }

    /// Removes every line of `name`.
    pub fn remove(data: &mut Vec<u8>, name: &[u8]) -> usize {
        edit(data, |l| {
            if is_entry(l, name) {
                Edit::Drop
            } else {
                Edit::Keep
            }
        })
    }

    /// Replaces field `idx` (0-based) of `name`'s lines; with `day`, field 2 too (shadow's
    /// last change).
    pub fn set_field(
        data: &mut Vec<u8>,
        name: &[u8],
        idx: usize,
        value: &[u8],
        day: Option<u64>,
    ) -> usize {
        edit(data, |l| {
            if !is_entry(l, name) {
                return Edit::Keep;
            }
            let mut fields: Vec<&[u8]> = l.split(|&b| b == b':').collect();
            if fields.len() <= idx {
                return Edit::Keep;
            }
            fields[idx] = value;
            let d;
            if let Some(day) = day {
                if fields.len() > 2 {
                    d = day.to_string();
                    fields[2] = d.as_bytes();
                }
            }
            Edit::Replace(fields.join(&b':'))
        })
    }

    /// Adds `member` to the last field (the member list) of `group`'s lines.
    pub fn add_member(data: &mut Vec<u8>, group: &[u8], member: &[u8]) -> usize {
        edit(data, |l| {
            if !is_entry(l, group) {
                return Edit::Keep;
            }
            let mut v = l.to_vec();
            if !v.ends_with(b":") {
                v.push(b',');
            }
            v.extend_from_slice(member);
            Edit::Replace(v)
        })
    }

    /// Removes `member` from the member list of `group`'s lines, or of every line with at
    /// least `min_fields` fields when `group` is None. Unchanged lines stay as they were.
    pub fn del_member(
        data: &mut Vec<u8>,
        group: Option<&[u8]>,
        member: &[u8],
        min_fields: usize,
    ) -> usize {
        edit(data, |l| {
            match group {
                Some(g) if !is_entry(l, g) => return Edit::Keep,
                None if l.iter().filter(|&&b| b == b':').count() + 1 < min_fields
                    || l.starts_with(b"#")
                    || l.starts_with(b"+")
                    || l.starts_with(b"-") =>
                {
                    return Edit::Keep
                }
                _ => {}
            }
            let Some(i) = l.iter().rposition(|&b| b == b':') else {
                return Edit::Keep;
            };
            let list = &l[i + 1..];
            if !list.split(|&b| b == b',').any(|m| m == member) {
                return Edit::Keep;
            }
            let mut v = l[..=i].to_vec();
            let kept: Vec<&[u8]> = list
                .split(|&b| b == b',')
                .filter(|m| *m != member)
                .collect();
            v.extend_from_slice(&kept.join(&b','));
            Edit::Replace(v)
        })
    }

    #[cfg(test)]
    #[allow(clippy::unwrap_used)]
    mod tests {
        use super::*;

        #[test]
        fn edits_keep_other_bytes() {
            let mut d = b"# c\n+nis\r\nbob:x:1:\nbad line\nbobby:x:2:bob\nlast".to_vec();
            assert_eq!(add_member(&mut d, b"bob", b"al"), 1);
            assert_eq!(d, b"# c\n+nis\r\nbob:x:1:al\nbad line\nbobby:x:2:bob\nlast");
            assert_eq!(del_member(&mut d, None, b"bob", 4), 1);
            assert_eq!(d, b"# c\n+nis\r\nbob:x:1:al\nbad line\nbobby:x:2:\nlast");
            assert_eq!(remove(&mut d, b"bob"), 1);
            append(&mut d, b"new:x:3:");
            assert_eq!(d, b"# c\n+nis\r\nbad line\nbobby:x:2:\nlast\nnew:x:3:\n");
            assert_eq!(set_field(&mut d, b"new", 1, b"!", Some(5)), 1);
            assert_eq!(d, b"# c\n+nis\r\nbad line\nbobby:x:2:\nlast\nnew:!:5:\n");
        }

        #[test]
        fn del_member_middle() {
            let mut d = b"g:x:1:a,b,c\n".to_vec();
            del_member(&mut d, Some(b"g"), b"b", 4);
            assert_eq!(d, b"g:x:1:a,c\n");
            del_member(&mut d, Some(b"g"), b"a", 4);
            del_member(&mut d, Some(b"g"), b"c", 4);
            assert_eq!(d, b"g:x:1:\n");
        }
    }
}
