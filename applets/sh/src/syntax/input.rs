//! Where the parser's bytes come from: a string, a whole file, or a descriptor read so that
//! the shell never consumes input past the command it is about to run.

use crate::sys;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Everything is in `buf`.
    Mem,
    /// A pipe or other unseekable descriptor: one byte per read.
    Byte,
    /// A seekable descriptor: read in chunks, seek back before running a command.
    Chunk,
    /// A terminal: a line per read, with a prompt on stderr.
    Tty,
}

struct Pushed {
    text: Vec<u8>,
    pos: usize,
    alias: Vec<u8>,
}

pub struct Input {
    buf: Vec<u8>,
    pos: usize,
    fd: i32,
    mode: Mode,
    eof: bool,
    pub line: u32,
    pushed: Vec<Pushed>,
    pub ps1: Vec<u8>,
    pub ps2: Vec<u8>,
    pub at_start: bool,
    /// `set -v`: the input consumed, to echo on stderr.
    pub record: Option<Vec<u8>>,
    /// The alias text just used up ended in a blank: check the next word for an alias too.
    pub alias_blank: bool,
    /// Prompting input that is not a terminal (`sh -i` on a pipe): one byte per read, so
    /// that nothing past the command is consumed, and a prompt at each line start.
    lines: bool,
    /// The last byte read ended a line.
    bol: bool,
    #[cfg(feature = "interactive")]
    pub tty: Option<Box<crate::interactive::Interactive>>,
    #[cfg(feature = "interactive")]
    pub interrupted: bool,
}

impl Input {
    fn with(buf: Vec<u8>, fd: i32, mode: Mode) -> Input {
        Input {
            buf,
            pos: 0,
            fd,
            mode,
            eof: mode == Mode::Mem,
            line: 1,
            pushed: Vec::new(),
            ps1: Vec::new(),
            ps2: Vec::new(),
            at_start: true,
            record: None,
            alias_blank: false,
            lines: false,
            bol: true,
            #[cfg(feature = "interactive")]
            tty: None,
            #[cfg(feature = "interactive")]
            interrupted: false,
        }
    }

    pub fn mem(b: Vec<u8>) -> Input {
        Input::with(b, -1, Mode::Mem)
    }

    pub fn fd(fd: i32) -> Input {
        let mode = if sys::isatty(fd) {
            Mode::Tty
        } else if sys::lseek(fd, 0, libc::SEEK_CUR) >= 0 {
            Mode::Chunk
        } else {
            Mode::Byte
        };
        Input::with(Vec::new(), fd, mode)
    }

    pub fn is_tty(&self) -> bool {
        self.mode == Mode::Tty
    }

    /// An interactive shell (`-i`) reading a pipe or a file: prompts on stderr as on a
    /// terminal, as POSIX asks, reading a line at a time.
    pub fn prompt_anyway(&mut self) {
        if matches!(self.mode, Mode::Byte | Mode::Chunk) {
            self.sync();
            self.mode = Mode::Tty;
            self.lines = true;
        }
    }

    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        let mut tmp = [0u8; 65536];
        let want = match self.mode {
            Mode::Mem => return false,
            Mode::Byte => 1,
            Mode::Chunk => 65536,
            #[cfg(feature = "interactive")]
            Mode::Tty if self.tty.is_some() || self.interrupted => {
                if self.interrupted {
                    return false;
                }
                let first = self.at_start;
                self.at_start = false;
                let Some(t) = self.tty.as_mut() else {
                    return false;
                };
                return match t.next_line(first) {
                    crate::interactive::Line::Text(l) => {
                        // An empty line is no command: the next prompt is PS1 again.
                        if first && l == b"\n" {
                            self.at_start = true;
                        }
                        self.buf.extend_from_slice(&l);
                        true
                    }
                    crate::interactive::Line::Eof => {
                        self.eof = true;
                        false
                    }
                    crate::interactive::Line::Interrupted => {
                        self.interrupted = true;
                        false
                    }
                };
            }
            Mode::Tty => {
                if self.bol {
                    let p = if self.at_start { &self.ps1 } else { &self.ps2 };
                    let _ = sys::write_all(2, p);
                    self.at_start = false;
                }
                if self.lines {
                    1
                } else {
                    4096
                }
            }
        };
        loop {
            match sys::read(self.fd, &mut tmp[..want]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.bol = !self.lines || tmp[n - 1] == b'\n';
                    self.buf.extend_from_slice(&tmp[..n]);
                    return true;
                }
                Err(libc::EINTR) => continue,
                Err(_) => {
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        loop {
            if let Some(p) = self.pushed.last() {
                if p.pos < p.text.len() {
                    return Some(p.text[p.pos]);
                }
                if matches!(p.text.last(), Some(b' ' | b'\t')) {
                    self.alias_blank = true;
                }
                self.pushed.pop();
                continue;
            }
            if self.pos < self.buf.len() {
                return Some(self.buf[self.pos]);
            }
            if !self.fill() {
                return None;
            }
        }
    }

    /// The byte after the next one (for `\` newline and two-byte operators).
    pub fn peek2(&mut self) -> Option<u8> {
        self.peek()?;
        if let Some(p) = self.pushed.last() {
            if p.pos + 1 < p.text.len() {
                return Some(p.text[p.pos + 1]);
            }
            return None;
        }
        while self.pos + 1 >= self.buf.len() {
            if !self.fill() {
                return None;
            }
        }
        Some(self.buf[self.pos + 1])
    }

    #[inline]
    pub fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        if let Some(p) = self.pushed.last_mut() {
            p.pos += 1;
        } else {
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
            if let Some(r) = &mut self.record {
                r.push(c);
            }
        }
        Some(c)
    }

    pub fn push_alias(&mut self, name: &[u8], text: &[u8]) {
        self.pushed.push(Pushed {
            text: text.to_vec(),
            pos: 0,
            alias: name.to_vec(),
        });
    }

    pub fn alias_active(&self, name: &[u8]) -> bool {
        self.pushed.iter().any(|p| p.alias == name)
    }

    /// True when the last alias text ended in a blank (the next word is checked for aliases).
    pub fn in_alias(&self) -> bool {
        !self.pushed.is_empty()
    }

    /// After ^C or a refused ^D at a prompt: forget the partial command's input.
    #[cfg(feature = "interactive")]
    pub fn reset_after_interrupt(&mut self) {
        self.eof = false;
        self.buf.clear();
        self.pos = 0;
        self.pushed.clear();
        self.at_start = true;
    }

    /// Before running a command: give unread input back to the descriptor.
    pub fn sync(&mut self) {
        if self.mode == Mode::Chunk && self.pos < self.buf.len() {
            let back = (self.buf.len() - self.pos) as i64;
            if sys::lseek(self.fd, -back, libc::SEEK_CUR) >= 0 {
                self.buf.clear();
                self.pos = 0;
            }
        }
        self.at_start = true;
    }

    /// Only blanks, comments and newlines remain (memory input): lets `sh -c` exec the last
    /// command in place.
    pub fn rest_is_empty(&self) -> bool {
        if self.mode != Mode::Mem || !self.pushed.is_empty() {
            return false;
        }
        let mut i = self.pos;
        let b = &self.buf;
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' => i += 1,
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1
                    }
                }
                _ => return false,
            }
        }
        true
    }
}
