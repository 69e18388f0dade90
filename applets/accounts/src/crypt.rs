//! Password hashing with the C library's crypt(3) (musl implements DES, MD5, SHA-256 and
//! SHA-512 crypt in libc itself; glibc hosts link libcrypt), random salts from getrandom(2),
//! and reading a password without echo.

use std::ffi::{c_char, CStr};

#[cfg_attr(target_env = "gnu", link(name = "crypt"))]
extern "C" {
    fn crypt(key: *const c_char, salt: *const c_char) -> *mut c_char;
}

const SALT_CHARS: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The algorithm names BusyBox accepts: a name starting with `d` is DES, `sha512` is SHA-512,
/// another name starting with `s` is SHA-256, anything else MD5 (case-insensitive).
pub fn salt_prefix(algo: &[u8]) -> (&'static str, usize) {
    match algo.first().map(|c| c | 0x20) {
        Some(b'd') => ("", 2),
        Some(b's') if algo.eq_ignore_ascii_case(b"sha512") => ("$6$", 16),
        Some(b's') => ("$5$", 16),
        _ => ("$1$", 8),
    }
}

fn random(buf: &mut [u8]) -> bool {
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: pointer and length of the unfilled part of a live buffer.
        let n = unsafe { libc::getrandom(buf[got..].as_mut_ptr().cast(), buf.len() - got, 0) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return false;
        }
        got += n as usize;
    }
    true
}

pub fn make_salt(algo: &[u8]) -> Option<Vec<u8>> {
    let (prefix, len) = salt_prefix(algo);
    let mut r = vec![0u8; len];
    if !random(&mut r) {
        return None;
    }
    let mut s = prefix.as_bytes().to_vec();
    s.extend(r.iter().map(|b| SALT_CHARS[usize::from(b & 63)]));
    Some(s)
}

/// crypt(3) of `key` with `salt` (a salt or a whole hash); None when the C library refuses.
/// A key is cut at its first NUL, as C sees it.
pub fn hash(key: &[u8], salt: &[u8]) -> Option<Vec<u8>> {
    let key = key.split(|&b| b == 0).next().unwrap_or(&[]);
    let k = crate::cstr(key)?;
    let s = crate::cstr(salt)?;
    // SAFETY: NUL-terminated inputs; crypt returns NULL or a pointer to a static buffer,
    // copied out at once (the applet is single-threaded).
    let out = unsafe { crypt(k.as_ptr(), s.as_ptr()) };
    if out.is_null() {
        return None;
    }
    // SAFETY: crypt returned a NUL-terminated string.
    let v = unsafe { CStr::from_ptr(out) }.to_bytes().to_vec();
    if v.is_empty() || v.starts_with(b"*") {
        return None;
    }
    Some(v)
}

/// A new hash of `key` with a fresh salt for `algo`.
pub fn new_hash(key: &[u8], algo: &[u8]) -> Option<Vec<u8>> {
    hash(key, &make_salt(algo)?)
}

/// Overwrites a secret before it is freed.
pub fn wipe(v: &mut Vec<u8>) {
    for b in v.iter_mut() {
        // SAFETY: a volatile write into a live byte, so it is not optimised away.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    v.clear();
}

/// Prints `prompt` on stdout and reads one line from stdin, with echo off when stdin is a
/// terminal; then a newline is printed, as BusyBox does. None at end of input or on error.
/// Reads one byte at a time so that the next prompt's line stays in stdin.
pub fn ask(prompt: &str) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut so = std::io::stdout();
    // SAFETY: a zeroed termios is a valid out-parameter.
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd 0 and a valid out-pointer.
    let tty = unsafe { libc::tcgetattr(0, &mut old) } == 0;
    if tty {
        let mut t = old;
        t.c_lflag &= !(libc::ECHO | libc::ECHOE | libc::ECHOK | libc::ECHONL);
        // SAFETY: fd 0 and a valid termios.
        unsafe {
            libc::tcflush(0, libc::TCIFLUSH);
            libc::tcsetattr(0, libc::TCSANOW, &t);
        }
    }
    // After the flush: what is typed once the prompt shows must not be discarded.
    let _ = so.write_all(prompt.as_bytes());
    let _ = so.flush();
    let mut line = Vec::new();
    let mut ok = true;
    loop {
        let mut c = 0u8;
        // SAFETY: reads one byte into a live byte.
        let n = unsafe { libc::read(0, (&mut c as *mut u8).cast(), 1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            ok = false;
            break;
        }
        if n == 0 {
            ok = !line.is_empty();
            break;
        }
        if c == b'\n' || c == b'\r' {
            break;
        }
        line.push(c);
        if line.len() >= 0xfff {
            break;
        }
    }
    if tty {
        // SAFETY: fd 0 and the saved termios.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &old) };
    }
    let _ = so.write_all(b"\n");
    let _ = so.flush();
    if ok {
        Some(line)
    } else {
        wipe(&mut line);
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn algorithms() {
        for (a, p) in [
            ("sha512", "$6$"),
            ("SHA256", "$5$"),
            ("md5", "$1$"),
            ("x", "$1$"),
        ] {
            let h = new_hash(b"secret", a.as_bytes()).unwrap();
            assert!(h.starts_with(p.as_bytes()), "{a}");
            assert_eq!(hash(b"secret", &h).unwrap(), h);
            assert_ne!(hash(b"Secret", &h).unwrap(), h);
        }
        let h = new_hash(b"secret", b"des").unwrap();
        assert_eq!(h.len(), 13);
        assert_eq!(hash(b"secret", &h).unwrap(), h);
    }
}
