//! The seam to the operating system: every libc call the shell makes goes through here.
#![allow(unsafe_code)]

use std::ffi::CString;

pub type Fd = i32;

pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// The C library's message for an errno value, as BusyBox prints it.
pub fn strerror(e: i32) -> String {
    // SAFETY: strerror returns a pointer to a static string.
    unsafe {
        let p = libc::strerror(e);
        if p.is_null() {
            return format!("error {e}");
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

pub fn cstr(b: &[u8]) -> CString {
    let v: Vec<u8> = b.iter().copied().filter(|&c| c != 0).collect();
    CString::new(v).unwrap_or_default()
}

pub fn write_all(fd: Fd, mut b: &[u8]) -> Result<(), i32> {
    while !b.is_empty() {
        // SAFETY: pointer and length come from a live slice.
        let n = unsafe { libc::write(fd, b.as_ptr().cast(), b.len()) };
        if n < 0 {
            let e = errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        b = &b[n as usize..];
    }
    Ok(())
}

pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, i32> {
    // SAFETY: pointer and length come from a live mutable slice.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(errno());
    }
    Ok(n as usize)
}

pub fn read_all(fd: Fd, out: &mut Vec<u8>) {
    let mut buf = [0u8; 8192];
    loop {
        match read(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(libc::EINTR) => continue,
            Err(_) => break,
        }
    }
}

pub fn open(path: &[u8], flags: i32, mode: u32) -> Result<Fd, i32> {
    let c = cstr(path);
    loop {
        // SAFETY: c is a valid NUL-terminated string.
        let fd = unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, mode) };
        if fd < 0 {
            let e = errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        return Ok(fd);
    }
}

pub fn close(fd: Fd) {
    // SAFETY: closing a descriptor number has no memory-safety effect.
    unsafe {
        libc::close(fd);
    }
}

pub fn dup2(a: Fd, b: Fd) -> Result<(), i32> {
    // SAFETY: plain descriptor operation.
    if unsafe { libc::dup2(a, b) } < 0 {
        Err(errno())
    } else {
        Ok(())
    }
}

/// Duplicates `fd` to a descriptor >= 10, close-on-exec (to save it across a redirection).
pub fn dup_high(fd: Fd) -> Result<Fd, i32> {
    // SAFETY: plain descriptor operation.
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
    if r < 0 {
        Err(errno())
    } else {
        Ok(r)
    }
}

pub fn fd_valid(fd: Fd) -> bool {
    // SAFETY: plain descriptor query.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

pub fn set_cloexec(fd: Fd, on: bool) {
    // SAFETY: plain descriptor operation.
    unsafe {
        libc::fcntl(fd, libc::F_SETFD, if on { libc::FD_CLOEXEC } else { 0 });
    }
}

pub fn pipe() -> Result<(Fd, Fd), i32> {
    let mut p = [0i32; 2];
    // SAFETY: p has room for two descriptors.
    if unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(errno());
    }
    Ok((p[0], p[1]))
}

pub fn fork() -> Result<i32, i32> {
    // SAFETY: the shell is single-threaded; the child continues with its own copy.
    let r = unsafe { libc::fork() };
    if r < 0 {
        Err(errno())
    } else {
        Ok(r)
    }
}

pub fn exit_now(status: i32) -> ! {
    // SAFETY: ends the process without running Rust destructors (a forked child).
    unsafe { libc::_exit(status) }
}

pub fn getpid() -> i32 {
    // SAFETY: no arguments.
    unsafe { libc::getpid() }
}

pub fn getppid() -> i32 {
    // SAFETY: no arguments.
    unsafe { libc::getppid() }
}

/// waitpid; returns (pid, raw status) or None (no child / error other than EINTR when `retry`).
pub fn waitpid(pid: i32, flags: i32) -> Result<(i32, i32), i32> {
    let mut st = 0;
    // SAFETY: st is a valid out pointer.
    let r = unsafe { libc::waitpid(pid, &mut st, flags) };
    if r < 0 {
        Err(errno())
    } else {
        Ok((r, st))
    }
}

/// A wait status as the shell reports it: exit code, or 128+signal.
pub fn status_of(st: i32) -> i32 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else if libc::WIFSIGNALED(st) {
        128 + libc::WTERMSIG(st)
    } else {
        st & 0xff
    }
}

pub fn execve(path: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> i32 {
    let p = cstr(path);
    let a: Vec<CString> = argv.iter().map(|s| cstr(s)).collect();
    let e: Vec<CString> = env.iter().map(|s| cstr(s)).collect();
    let mut ap: Vec<*const libc::c_char> = a.iter().map(|c| c.as_ptr()).collect();
    ap.push(std::ptr::null());
    let mut ep: Vec<*const libc::c_char> = e.iter().map(|c| c.as_ptr()).collect();
    ep.push(std::ptr::null());
    // SAFETY: all pointers are valid NUL-terminated strings, arrays NULL-terminated.
    unsafe {
        libc::execve(p.as_ptr(), ap.as_ptr(), ep.as_ptr());
    }
    errno()
}

/// Starts `path` with posix_spawn (musl: clone with CLONE_VM | CLONE_VFORK, so no page
/// tables are copied and nothing of the shell is touched in the child). The child inherits
/// descriptors, the signal mask and ignored signals, as after fork; caught signals are reset
/// by the exec. Err is the exec's errno.
pub fn spawn(path: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> Result<i32, i32> {
    let p = cstr(path);
    let a: Vec<CString> = argv.iter().map(|s| cstr(s)).collect();
    let e: Vec<CString> = env.iter().map(|s| cstr(s)).collect();
    let mut ap: Vec<*mut libc::c_char> = a.iter().map(|c| c.as_ptr().cast_mut()).collect();
    ap.push(std::ptr::null_mut());
    let mut ep: Vec<*mut libc::c_char> = e.iter().map(|c| c.as_ptr().cast_mut()).collect();
    ep.push(std::ptr::null_mut());
    let mut pid: libc::pid_t = 0;
    // SAFETY: valid NUL-terminated strings in NULL-terminated arrays that outlive the call;
    // posix_spawn does not write through them; no file actions or attributes.
    let r = unsafe {
        libc::posix_spawn(
            &mut pid,
            p.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            ap.as_ptr(),
            ep.as_ptr(),
        )
    };
    if r == 0 {
        Ok(pid)
    } else {
        Err(r)
    }
}

pub struct Stat {
    pub mode: u32,
    pub dev: u64,
    pub ino: u64,
    pub uid: u32,
    pub size: i64,
    pub mtime: i64,
}

fn conv(st: &libc::stat) -> Stat {
    Stat {
        mode: st.st_mode,
        dev: st.st_dev,
        ino: st.st_ino,
        uid: st.st_uid,
        size: st.st_size,
        mtime: st.st_mtime,
    }
}

pub fn stat(path: &[u8]) -> Option<Stat> {
    let c = cstr(path);
    // SAFETY: zeroed stat is a valid out buffer; c is NUL-terminated.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::stat(c.as_ptr(), &mut st) == 0 {
            Some(conv(&st))
        } else {
            None
        }
    }
}

pub fn lstat(path: &[u8]) -> Option<Stat> {
    let c = cstr(path);
    // SAFETY: as in stat.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::lstat(c.as_ptr(), &mut st) == 0 {
            Some(conv(&st))
        } else {
            None
        }
    }
}

pub fn fstat(fd: Fd) -> Option<Stat> {
    // SAFETY: as in stat.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) == 0 {
            Some(conv(&st))
        } else {
            None
        }
    }
}

pub fn access(path: &[u8], mode: i32) -> bool {
    let c = cstr(path);
    // SAFETY: c is NUL-terminated.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

pub fn isatty(fd: Fd) -> bool {
    // SAFETY: plain descriptor query.
    unsafe { libc::isatty(fd) == 1 }
}

pub fn lseek(fd: Fd, off: i64, whence: i32) -> i64 {
    // SAFETY: plain descriptor operation.
    unsafe { libc::lseek(fd, off, whence) }
}

pub fn chdir(path: &[u8]) -> Result<(), i32> {
    let c = cstr(path);
    // SAFETY: c is NUL-terminated.
    if unsafe { libc::chdir(c.as_ptr()) } < 0 {
        Err(errno())
    } else {
        Ok(())
    }
}

pub fn getcwd() -> Option<Vec<u8>> {
    std::env::current_dir().ok().map(|p| {
        use std::os::unix::ffi::OsStringExt;
        p.into_os_string().into_vec()
    })
}

pub fn umask(m: u32) -> u32 {
    // SAFETY: no pointers.
    unsafe { libc::umask(m as libc::mode_t) as u32 }
}

pub fn kill(pid: i32, sig: i32) -> Result<(), i32> {
    // SAFETY: no pointers.
    if unsafe { libc::kill(pid, sig) } < 0 {
        Err(errno())
    } else {
        Ok(())
    }
}

/// Lists a directory's entry names (without . and ..).
pub fn read_dir(path: &[u8]) -> Option<Vec<Vec<u8>>> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let p = if path.is_empty() { &b"."[..] } else { path };
    let rd = std::fs::read_dir(std::ffi::OsStr::from_bytes(p)).ok()?;
    let mut v = Vec::new();
    for e in rd.flatten() {
        v.push(e.file_name().into_vec());
    }
    Some(v)
}

// ---- signals ----

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub static PENDING: AtomicU64 = AtomicU64::new(0);
pub static ANY_PENDING: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    if (0..64).contains(&sig) {
        PENDING.fetch_or(1u64 << sig, Ordering::SeqCst);
        ANY_PENDING.store(true, Ordering::SeqCst);
    }
}

pub enum Disp {
    Default,
    Ignore,
    Catch,
}

pub fn set_signal(sig: i32, d: Disp) {
    // SAFETY: sigaction with a zeroed struct and a valid handler.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = match d {
            Disp::Default => libc::SIG_DFL,
            Disp::Ignore => libc::SIG_IGN,
            Disp::Catch => on_signal as extern "C" fn(libc::c_int) as usize,
        };
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = 0;
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// Was this signal ignored when the shell started?
pub fn signal_ignored(sig: i32) -> bool {
    // SAFETY: query only.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old);
        old.sa_sigaction == libc::SIG_IGN
    }
}

pub fn take_pending() -> u64 {
    ANY_PENDING.store(false, Ordering::SeqCst);
    PENDING.swap(0, Ordering::SeqCst)
}

pub fn times() -> [f64; 4] {
    // SAFETY: tms is a valid out buffer.
    unsafe {
        let mut t: libc::tms = std::mem::zeroed();
        libc::times(&mut t);
        let hz = libc::sysconf(libc::_SC_CLK_TCK) as f64;
        [
            t.tms_utime as f64 / hz,
            t.tms_stime as f64 / hz,
            t.tms_cutime as f64 / hz,
            t.tms_cstime as f64 / hz,
        ]
    }
}

pub fn getrlimit(res: i32) -> (u64, u64) {
    // SAFETY: rl is a valid out buffer.
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(res as _, &mut rl);
        (rl.rlim_cur as u64, rl.rlim_max as u64)
    }
}

pub fn setrlimit(res: i32, soft: u64, hard: u64) -> Result<(), i32> {
    let rl = libc::rlimit {
        rlim_cur: soft as _,
        rlim_max: hard as _,
    };
    // SAFETY: rl is valid.
    if unsafe { libc::setrlimit(res as _, &rl) } < 0 {
        Err(errno())
    } else {
        Ok(())
    }
}

pub fn geteuid() -> u32 {
    // SAFETY: no arguments.
    unsafe { libc::geteuid() }
}

pub fn time_now() -> i64 {
    // SAFETY: null pointer allowed.
    unsafe { libc::time(std::ptr::null_mut()) as i64 }
}

/// Waits until fd is readable or the timeout (ms) passes; true when readable.
pub fn poll_in(fd: Fd, ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: p is valid for one entry.
    unsafe { libc::poll(&mut p, 1, ms) > 0 }
}

/// Terminal echo off/on for `read -s`; returns the saved settings.
pub fn tty_noecho(fd: Fd) -> Option<libc::termios> {
    // SAFETY: t is a valid out buffer.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return None;
        }
        let old = t;
        t.c_lflag &= !libc::ECHO;
        libc::tcsetattr(fd, libc::TCSANOW, &t);
        Some(old)
    }
}

pub fn tty_restore(fd: Fd, t: &libc::termios) {
    // SAFETY: t is a valid termios.
    unsafe {
        libc::tcsetattr(fd, libc::TCSANOW, t);
    }
}

pub fn self_exe_id() -> Option<(u64, u64)> {
    stat(b"/proc/self/exe").map(|s| (s.dev, s.ino))
}

pub fn hostname() -> Option<Vec<u8>> {
    let mut buf = [0u8; 256];
    // SAFETY: buf is writable for its length.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return None;
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Some(buf[..n].to_vec())
}

/// The C library's description of a signal ("Killed", "Terminated").
pub fn signal_text(sig: i32) -> String {
    // SAFETY: strsignal returns a pointer to a string that stays valid until the next call.
    unsafe {
        let p = libc::strsignal(sig);
        if p.is_null() {
            return format!("Signal {sig}");
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}
