//! The terminal: raw mode with a guard that restores it, window size, and the signals the
//! line editor cares about while it waits for a key.
//!
//! Raw mode turns ISIG off, so ^C, ^Z and ^\ arrive as bytes and never as signals. Signals
//! sent by others (kill -INT, -TERM, -HUP, -TSTP, SIGCONT after a SIGSTOP, SIGWINCH) are
//! caught by a handler that only records them; the handler is installed without SA_RESTART,
//! so the blocked read() returns EINTR and the editor acts on the record: it puts the
//! terminal back before the process stops or dies, and redraws after it continues.

use std::sync::atomic::{AtomicU64, Ordering};

pub type Fd = i32;

static PENDING: AtomicU64 = AtomicU64::new(0);

extern "C" fn note(sig: libc::c_int) {
    if (0..64).contains(&sig) {
        PENDING.fetch_or(1 << sig, Ordering::SeqCst);
    }
}

/// Takes the set of signals recorded since the last call (bit n = signal n).
pub fn take_signals() -> u64 {
    PENDING.swap(0, Ordering::SeqCst)
}

/// The signals the editor watches while it reads.
pub const WATCHED: [i32; 6] = [
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGTSTP,
    libc::SIGCONT,
    libc::SIGWINCH,
];

/// The previous dispositions of [`WATCHED`], put back when dropped. A signal that was
/// ignored stays ignored (an interactive shell ignores TERM and TSTP itself).
pub struct SignalGuard {
    old: Vec<(i32, libc::sigaction)>,
}

impl SignalGuard {
    /// Catches [`WATCHED`] and `extra` (SIGCHLD for `set -b`).
    pub fn install(extra: &[i32]) -> SignalGuard {
        let mut old = Vec::new();
        for &sig in WATCHED.iter().chain(extra) {
            // SAFETY: plain sigaction calls with zeroed, then filled, structures; the handler
            // only touches an atomic.
            unsafe {
                let mut prev: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut prev) != 0 {
                    continue;
                }
                if prev.sa_sigaction == libc::SIG_IGN {
                    continue;
                }
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = note as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut sa.sa_mask);
                sa.sa_flags = 0; // no SA_RESTART: read() must return EINTR
                if libc::sigaction(sig, &sa, std::ptr::null_mut()) == 0 {
                    old.push((sig, prev));
                }
            }
        }
        SignalGuard { old }
    }

    /// Puts one signal's old disposition back (before re-raising it).
    pub fn restore_one(&mut self, sig: i32) {
        if let Some(i) = self.old.iter().position(|(s, _)| *s == sig) {
            let (s, a) = self.old.remove(i);
            // SAFETY: restores a disposition read by sigaction above.
            unsafe { libc::sigaction(s, &a, std::ptr::null_mut()) };
        }
    }

    /// Installs the recording handler again for `sig` (after a stop and continue).
    pub fn reinstall(&mut self, sig: i32) {
        if self.old.iter().any(|(s, _)| *s == sig) {
            return;
        }
        // SAFETY: as in install.
        unsafe {
            let mut prev: libc::sigaction = std::mem::zeroed();
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = note as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(sig, &sa, &mut prev) == 0 {
                self.old.push((sig, prev));
            }
        }
    }

    pub fn watches(&self, sig: i32) -> bool {
        self.old.iter().any(|(s, _)| *s == sig)
    }
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        for (s, a) in self.old.drain(..) {
            // SAFETY: restores a disposition read by sigaction.
            unsafe { libc::sigaction(s, &a, std::ptr::null_mut()) };
        }
    }
}

/// The watched signals blocked except while the editor waits in [`wait_input`] (so none
/// slips in between the check of the pending set and the wait); the old mask comes back
/// when dropped.
pub struct MaskGuard {
    old: libc::sigset_t,
}

impl MaskGuard {
    pub fn block(extra: &[i32]) -> MaskGuard {
        // SAFETY: signal-set calls on zeroed sets.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &s in WATCHED.iter().chain(extra) {
                libc::sigaddset(&mut set, s);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            MaskGuard { old }
        }
    }

    /// Runs `f` with the mask as it was before (to stop or die by a re-raised signal).
    pub fn unblocked(&self, f: impl FnOnce()) {
        // SAFETY: restores and re-applies masks read above.
        unsafe {
            let mut cur: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, &mut cur);
            f();
            libc::pthread_sigmask(libc::SIG_SETMASK, &cur, std::ptr::null_mut());
        }
    }

    /// Waits until `fd` is readable (true), `ms` passed (false; -1 waits for ever) or a
    /// signal came (Err(EINTR)); the watched signals are deliverable only meanwhile.
    pub fn wait_input(&self, fd: Fd, ms: i32) -> Result<bool, i32> {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ts = libc::timespec {
            tv_sec: (ms.max(0) / 1000) as libc::time_t,
            tv_nsec: ((ms.max(0) % 1000) * 1_000_000) as libc::c_long,
        };
        let tsp = if ms < 0 {
            std::ptr::null()
        } else {
            &ts as *const _
        };
        // SAFETY: one valid pollfd, a valid or null timespec, a valid mask.
        let r = unsafe { libc::ppoll(&mut p, 1, tsp, &self.old) };
        if r < 0 {
            Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
        } else {
            Ok(r > 0)
        }
    }
}

impl Drop for MaskGuard {
    fn drop(&mut self) {
        // SAFETY: restores the mask read in block().
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut()) };
    }
}

/// The terminal's modes as found, restored when dropped (every return path of the editor).
pub struct RawGuard {
    fd: Fd,
    orig: libc::termios,
    raw: bool,
}

pub fn get_attr(fd: Fd) -> Option<libc::termios> {
    // SAFETY: tcgetattr fills the zeroed structure or fails.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(fd, &mut t) == 0).then_some(t)
    }
}

pub fn set_attr(fd: Fd, t: &libc::termios) -> bool {
    loop {
        // SAFETY: t is a valid termios.
        let r = unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, t) };
        if r == 0 {
            return true;
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return false;
        }
    }
}

/// The raw variant of `t`: no echo, no canonical mode, no signals from keys, no flow
/// control (so ^S ^Q reach the editor as in ash), 8-bit input, output processing kept so
/// "\n" still returns the carriage.
pub fn make_raw(t: &libc::termios) -> libc::termios {
    let mut r = *t;
    r.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ECHONL | libc::ISIG | libc::IEXTEN);
    r.c_iflag &= !(libc::IXON | libc::ICRNL | libc::INLCR | libc::IGNCR | libc::ISTRIP);
    r.c_cc[libc::VMIN] = 1;
    r.c_cc[libc::VTIME] = 0;
    r
}

impl RawGuard {
    /// Raw mode on `fd`, or None when it is not a terminal.
    pub fn enter(fd: Fd) -> Option<RawGuard> {
        let orig = get_attr(fd)?;
        let mut g = RawGuard {
            fd,
            orig,
            raw: false,
        };
        g.raw_again();
        Some(g)
    }

    /// The modes as found (the erase and EOF characters the user configured).
    pub fn orig(&self) -> &libc::termios {
        &self.orig
    }

    pub fn restore(&mut self) {
        if self.raw {
            set_attr(self.fd, &self.orig);
            self.raw = false;
        }
    }

    /// Raw mode again (after SIGCONT: whoever ran in between may have changed the modes).
    pub fn raw_again(&mut self) {
        if let Some(now) = get_attr(self.fd) {
            // Keep what the user changed with stty meanwhile, except what raw mode needs.
            if !self.raw {
                self.orig = now;
            }
        }
        self.raw = set_attr(self.fd, &make_raw(&self.orig));
    }
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        self.restore();
    }
}

/// The terminal's width in columns (COLUMNS or 80 when the kernel does not know).
pub fn width(fd: Fd) -> usize {
    // SAFETY: TIOCGWINSZ fills a winsize.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 {
            return ws.ws_col as usize;
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c > 0)
        .unwrap_or(80)
}

pub fn isatty(fd: Fd) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// Writes everything, retrying on EINTR; errors are dropped (the terminal went away).
pub fn write_all(fd: Fd, mut b: &[u8]) {
    while !b.is_empty() {
        // SAFETY: b is a valid slice.
        let n = unsafe { libc::write(fd, b.as_ptr().cast(), b.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return;
        }
        if n == 0 {
            return;
        }
        b = &b[n as usize..];
    }
}

/// One read: Ok(n) with n = 0 at end of file, Err(errno).
pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, i32> {
    // SAFETY: buf is a valid writable slice.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    } else {
        Ok(n as usize)
    }
}

pub fn raise(sig: i32) {
    // SAFETY: raise on our own process.
    unsafe {
        libc::raise(sig);
    }
}
