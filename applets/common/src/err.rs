//! Error reporting in BusyBox's form: `applet: object: reason` on stderr, one write per line.

use std::io::{self, Write};

/// The text of an OS error without Rust's " (os error N)" suffix, as strerror(3) gives it.
pub fn reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(_) => {
            let s = e.to_string();
            match s.rfind(" (os error ") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
        None => e.to_string(),
    }
}

/// Writes `applet: part: part...` and a newline to stderr as one write, so lines from
/// processes sharing stderr do not interleave. Errors writing to stderr are ignored: there is
/// nowhere left to report them.
pub fn report(applet: &str, parts: &[&[u8]]) {
    let mut line = Vec::with_capacity(64);
    line.extend_from_slice(applet.as_bytes());
    for p in parts {
        line.extend_from_slice(b": ");
        line.extend_from_slice(p);
    }
    line.push(b'\n');
    let _ = io::stderr().write_all(&line);
}

/// `applet: object: strerror` for an OS error on an object (file name, URL, user).
pub fn report_os(applet: &str, object: &[u8], e: &io::Error) {
    report(applet, &[object, reason(e).as_bytes()]);
}

/// `applet: message` for a plain message.
pub fn report_msg(applet: &str, msg: &str) {
    report(applet, &[msg.as_bytes()]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_drops_os_error_suffix() {
        let e = io::Error::from_raw_os_error(libc::ENOENT);
        assert_eq!(reason(&e), "No such file or directory");
        let e = io::Error::other("short read");
        assert_eq!(reason(&e), "short read");
    }
}
