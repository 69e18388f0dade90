//! Buffered output that reports its errors.
//!
//! `Out` writes to a file descriptor through one large buffer and never writes in its
//! destructor: every applet calls [`Out::finish`] and turns its error into a message and a
//! status, so a full disk (ENOSPC) or a closed pipe is reported, not lost.

use std::io::{self, Write};
use std::os::fd::RawFd;

const BUF: usize = 64 * 1024;

pub struct Out {
    fd: RawFd,
    buf: Vec<u8>,
    err: Option<io::Error>,
}

impl Out {
    /// Standard output.
    pub fn stdout() -> Self {
        Out::to_fd(1)
    }

    pub fn to_fd(fd: RawFd) -> Self {
        Out {
            fd,
            buf: Vec::with_capacity(BUF),
            err: None,
        }
    }

    /// Appends bytes; the first write error is kept and reported by [`Out::finish`], and later
    /// output is dropped.
    #[inline]
    pub fn put(&mut self, b: &[u8]) {
        if self.buf.len() + b.len() > BUF {
            self.flush_buf();
            if b.len() > BUF {
                self.raw_write(b);
                return;
            }
        }
        self.buf.extend_from_slice(b);
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        if self.buf.len() == BUF {
            self.flush_buf();
        }
        self.buf.push(b);
    }

    fn raw_write(&mut self, mut b: &[u8]) {
        if self.err.is_some() {
            return;
        }
        while !b.is_empty() {
            // SAFETY: the pointer and length come from a live slice.
            let n = unsafe { libc::write(self.fd, b.as_ptr().cast(), b.len()) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                self.err = Some(e);
                return;
            }
            b = &b[n as usize..];
        }
    }

    fn flush_buf(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        self.raw_write(&buf);
        self.buf = buf;
        self.buf.clear();
    }

    /// Writes out what is buffered; the first error met since the start, if any.
    pub fn flush(&mut self) -> io::Result<()> {
        self.flush_buf();
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Flushes and reports a failure as `applet: write error: reason`; returns `status`
    /// unchanged on success, 1 on failure.
    pub fn finish(mut self, applet: &str, status: i32) -> i32 {
        match self.flush() {
            Ok(()) => status,
            Err(e) => {
                crate::err::report(applet, &[b"write error", crate::err::reason(&e).as_bytes()]);
                1
            }
        }
    }
}

impl Write for Out {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.put(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Out::flush(self)
    }
}
