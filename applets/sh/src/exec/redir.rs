//! Redirections, with save/restore for builtins, functions and compound commands.

use crate::shell::{Flow, Shell};
use crate::syntax::ast::{ROp, Redir};
use crate::sys;

/// Descriptors to put back: (fd, saved copy or -1 when it was closed).
pub type Saved = Vec<(i32, i32)>;

impl Shell {
    fn save_fd(fd: i32, saved: &mut Option<&mut Saved>) {
        if let Some(s) = saved {
            if s.iter().any(|(f, _)| *f == fd) {
                return;
            }
            let copy = if sys::fd_valid(fd) {
                sys::dup_high(fd).unwrap_or(-1)
            } else {
                -1
            };
            s.push((fd, copy));
        }
    }

    fn here_fd(&mut self, body: &[u8]) -> Result<i32, String> {
        let (r, w) = sys::pipe().map_err(sys::strerror)?;
        if body.len() <= 4096 {
            let _ = sys::write_all(w, body);
            sys::close(w);
            return Ok(r);
        }
        match sys::fork() {
            Ok(0) => {
                sys::close(r);
                sys::set_signal(libc::SIGPIPE, sys::Disp::Default);
                let _ = sys::write_all(w, body);
                sys::exit_now(0);
            }
            Ok(_) => {
                sys::close(w);
                Ok(r)
            }
            Err(e) => Err(sys::strerror(e)),
        }
    }

    /// Applies redirections; on error prints the message and returns Err(status 1) after
    /// undoing nothing (the caller restores `saved`).
    pub fn redirect(
        &mut self,
        redirs: &[Redir],
        mut saved: Option<&mut Saved>,
    ) -> Result<bool, Flow> {
        for r in redirs {
            let fd = r.fd;
            let newfd = match r.op {
                ROp::Here => {
                    let doc = r
                        .here
                        .as_ref()
                        .map(|d| d.body.borrow().clone())
                        .unwrap_or_default();
                    let body = self.expand_single(&doc)?;
                    match self.here_fd(&body) {
                        Ok(f) => f,
                        Err(m) => {
                            self.error(&m);
                            return Ok(false);
                        }
                    }
                }
                ROp::HereStr => {
                    let mut body = self.expand_single(&r.target)?;
                    body.push(b'\n');
                    match self.here_fd(&body) {
                        Ok(f) => f,
                        Err(m) => {
                            self.error(&m);
                            return Ok(false);
                        }
                    }
                }
                ROp::DupIn | ROp::DupOut => {
                    let t = self.expand_single(&r.target)?;
                    if t == b"-" {
                        Self::save_fd(fd, &mut saved);
                        sys::close(fd);
                        continue;
                    }
                    let n = std::str::from_utf8(&t)
                        .ok()
                        .and_then(|s| s.parse::<i32>().ok());
                    match n {
                        Some(n) => {
                            if n == fd {
                                continue;
                            }
                            if !sys::fd_valid(n) {
                                self.error(&format!("{n}: Bad file descriptor"));
                                return Ok(false);
                            }
                            Self::save_fd(fd, &mut saved);
                            let _ = sys::dup2(n, fd);
                            continue;
                        }
                        None if r.op == ROp::DupOut && fd == 1 => {
                            // `>&file` as `&>file`
                            let Some(f) = self.open_target(&t, ROp::Out) else {
                                return Ok(false);
                            };
                            Self::save_fd(1, &mut saved);
                            Self::save_fd(2, &mut saved);
                            let _ = sys::dup2(f, 1);
                            let _ = sys::dup2(f, 2);
                            sys::close(f);
                            continue;
                        }
                        None => {
                            self.error(&format!("{}: bad number", String::from_utf8_lossy(&t)));
                            return Ok(false);
                        }
                    }
                }
                op => {
                    let t = self.expand_single(&r.target)?;
                    match self.open_target(&t, op) {
                        Some(f) => f,
                        None => return Ok(false),
                    }
                }
            };
            if r.op == ROp::OutErr {
                Self::save_fd(1, &mut saved);
                Self::save_fd(2, &mut saved);
                let _ = sys::dup2(newfd, 1);
                let _ = sys::dup2(newfd, 2);
                sys::close(newfd);
                continue;
            }
            Self::save_fd(fd, &mut saved);
            if newfd == fd {
                sys::set_cloexec(fd, false);
            } else {
                if let Err(e) = sys::dup2(newfd, fd) {
                    sys::close(newfd);
                    self.error(&format!("{fd}: {}", sys::strerror(e)));
                    return Ok(false);
                }
                sys::close(newfd);
            }
        }
        Ok(true)
    }

    fn open_target(&mut self, t: &[u8], op: ROp) -> Option<i32> {
        let name = String::from_utf8_lossy(t).into_owned();
        let (flags, create) = match op {
            ROp::In => (libc::O_RDONLY, false),
            ROp::Out | ROp::OutErr => {
                if self.opts.noclobber {
                    if let Some(st) = sys::stat(t) {
                        if st.mode & libc::S_IFMT == libc::S_IFREG {
                            self.error(&format!("can't create {name}: File exists"));
                            return None;
                        }
                    }
                }
                (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, true)
            }
            ROp::Clobber => (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, true),
            ROp::Append => (libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND, true),
            ROp::ReadWrite => (libc::O_RDWR | libc::O_CREAT, true),
            _ => (libc::O_RDONLY, false),
        };
        match sys::open(t, flags, 0o666) {
            Ok(f) => Some(f),
            Err(e) => {
                // ash's own words for the common case
                if create {
                    let why = if e == libc::ENOENT {
                        "nonexistent directory".to_string()
                    } else {
                        sys::strerror(e)
                    };
                    self.error(&format!("can't create {name}: {why}"));
                } else {
                    let why = if e == libc::ENOENT {
                        "no such file".to_string()
                    } else {
                        sys::strerror(e)
                    };
                    self.error(&format!("can't open {name}: {why}"));
                }
                None
            }
        }
    }

    pub fn restore(&mut self, saved: Saved) {
        self.flush_out();
        for (fd, copy) in saved.into_iter().rev() {
            if copy >= 0 {
                let _ = sys::dup2(copy, fd);
                sys::close(copy);
            } else {
                sys::close(fd);
            }
        }
    }
}
