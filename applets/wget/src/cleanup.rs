//! Removes the temporary download file when SIGINT, SIGTERM or SIGHUP ends wget, so an
//! interrupted download leaves nothing behind (as a failed one does). A signal that was
//! ignored on entry (nohup) stays ignored. Only wget's own process state is touched, and
//! only while a temporary file exists: the guard restores the previous handlers.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicPtr, Ordering};

static TMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(sig: libc::c_int) {
    let p = TMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
    // SAFETY: unlink, signal and raise are async-signal-safe; p is a NUL-terminated path
    // that stays allocated while the guard lives (the handler only runs then).
    unsafe {
        if !p.is_null() {
            libc::unlink(p);
        }
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

pub struct Guard {
    old: [libc::sighandler_t; 3],
    ptr: *mut libc::c_char,
}

/// Arms the handlers for `path` until the guard is dropped.
pub fn arm(path: &Path) -> Option<Guard> {
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    let ptr = c.into_raw();
    TMP.store(ptr, Ordering::SeqCst);
    let mut old = [libc::SIG_DFL; 3];
    for (i, &sig) in SIGNALS.iter().enumerate() {
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        old[i] = unsafe { libc::signal(sig, on_signal as extern "C" fn(libc::c_int) as usize) };
        if old[i] == libc::SIG_IGN {
            // SAFETY: puts back the disposition inherited from the parent.
            unsafe { libc::signal(sig, libc::SIG_IGN) };
        }
    }
    Some(Guard { old, ptr })
}

impl Drop for Guard {
    fn drop(&mut self) {
        TMP.store(std::ptr::null_mut(), Ordering::SeqCst);
        for (i, &sig) in SIGNALS.iter().enumerate() {
            if self.old[i] != libc::SIG_ERR {
                // SAFETY: restores the disposition saved by arm().
                unsafe { libc::signal(sig, self.old[i]) };
            }
        }
        // SAFETY: ptr came from CString::into_raw in arm() and is freed once, here.
        drop(unsafe { CString::from_raw(self.ptr) });
    }
}
