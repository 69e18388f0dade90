//! Command history: in memory, and in `$HISTFILE` (default `~/.ash_history`).
//!
//! Several shells may share one file. Each new line is appended with one `write` on a
//! descriptor opened with `O_APPEND`, under an exclusive `flock`, so lines never interleave
//! and none is lost. The file is cut down to `HISTFILESIZE` lines when it is loaded, in
//! place under the same lock (a rename would leave a shell that is waiting for the lock
//! appending to the replaced file). A shell sees the lines other shells saved when it
//! starts; later ones show after `history -r`.
//!
//! Sizes: `HISTSIZE` lines in memory, `HISTFILESIZE` in the file (default: HISTSIZE), 255
//! when unset as in BusyBox's default build; 0 keeps nothing.

use std::ffi::CString;

pub const DEFAULT_SIZE: usize = 255;

pub struct History {
    lines: Vec<Vec<u8>>,
    max: usize,
    file: Option<Vec<u8>>,
    file_max: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new()
    }
}

fn parse_size(v: Option<&[u8]>) -> Option<usize> {
    let v = v?;
    let s = std::str::from_utf8(v).ok()?.trim();
    s.parse::<usize>().ok().map(|n| n.min(1 << 20))
}

struct Locked {
    fd: i32,
}

impl Locked {
    fn open(path: &[u8], flags: i32) -> Option<Locked> {
        let c = CString::new(path).ok()?;
        // SAFETY: c is a valid C string; flock on our own descriptor.
        unsafe {
            let fd = libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, 0o600);
            if fd < 0 {
                return None;
            }
            while libc::flock(fd, libc::LOCK_EX) != 0 {
                if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                    break;
                }
            }
            Some(Locked { fd })
        }
    }

    fn read_all(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            // SAFETY: buf is writable.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            if n <= 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n as usize]);
        }
    }

    fn write(&self, data: &[u8]) -> bool {
        let mut d = data;
        while !d.is_empty() {
            // SAFETY: d is a valid slice.
            let n = unsafe { libc::write(self.fd, d.as_ptr().cast(), d.len()) };
            if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            if n <= 0 {
                return false;
            }
            d = &d[n as usize..];
        }
        true
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        // SAFETY: closing our descriptor releases the lock.
        unsafe { libc::close(self.fd) };
    }
}

impl History {
    pub fn new() -> History {
        History {
            lines: Vec::new(),
            max: DEFAULT_SIZE,
            file: None,
            file_max: DEFAULT_SIZE,
        }
    }

    /// Takes the shell's variables: HISTFILE (None: `$HOME/.ash_history`; empty: no file),
    /// HOME, HISTSIZE, HISTFILESIZE. Call before the first prompt and when they change.
    pub fn configure(
        &mut self,
        histfile: Option<&[u8]>,
        home: Option<&[u8]>,
        histsize: Option<&[u8]>,
        histfilesize: Option<&[u8]>,
    ) {
        self.max = parse_size(histsize).unwrap_or(DEFAULT_SIZE);
        self.file_max = parse_size(histfilesize)
            .or(parse_size(histsize))
            .unwrap_or(DEFAULT_SIZE);
        self.file = match histfile {
            Some(b"") => None,
            Some(f) => Some(f.to_vec()),
            None => home.filter(|h| !h.is_empty()).map(|h| {
                let mut p = h.to_vec();
                if p.last() != Some(&b'/') {
                    p.push(b'/');
                }
                p.extend_from_slice(b".ash_history");
                p
            }),
        };
        self.trim_memory();
    }

    pub fn file(&self) -> Option<&[u8]> {
        self.file.as_deref()
    }

    fn trim_memory(&mut self) {
        if self.lines.len() > self.max {
            let cut = self.lines.len() - self.max;
            self.lines.drain(..cut);
        }
    }

    /// Loads the file (the lines before the ones already in memory) and cuts the file down
    /// to HISTFILESIZE lines.
    pub fn load(&mut self) {
        let Some(path) = self.file.clone() else {
            return;
        };
        let Some(f) = Locked::open(&path, libc::O_RDWR) else {
            return;
        };
        let data = f.read_all();
        let mut lines: Vec<&[u8]> = data
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() > self.file_max {
            lines.drain(..lines.len() - self.file_max);
            let mut keep = Vec::with_capacity(data.len());
            for l in &lines {
                keep.extend_from_slice(l);
                keep.push(b'\n');
            }
            // SAFETY: our descriptor; the lock is held.
            unsafe {
                libc::ftruncate(f.fd, 0);
                libc::lseek(f.fd, 0, libc::SEEK_SET);
            }
            f.write(&keep);
        }
        let mut all: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
        all.append(&mut self.lines);
        self.lines = all;
        self.trim_memory();
    }

    /// Remembers a line read from the terminal (each line of a multi-line command on its
    /// own, as ash does); empty lines and a repeat of the last line are not kept. The line
    /// goes to the file at once.
    pub fn add(&mut self, line: &[u8]) {
        for l in line.split(|&b| b == b'\n') {
            if l.is_empty() || self.lines.last().is_some_and(|p| p == l) {
                continue;
            }
            if self.max > 0 {
                self.lines.push(l.to_vec());
                self.trim_memory();
            }
            self.append_file(l);
        }
    }

    fn append_file(&self, l: &[u8]) {
        let Some(path) = &self.file else {
            return;
        };
        if self.file_max == 0 {
            return;
        }
        if let Some(f) = Locked::open(path, libc::O_WRONLY | libc::O_APPEND | libc::O_CREAT) {
            let mut rec = Vec::with_capacity(l.len() + 1);
            rec.extend_from_slice(l);
            rec.push(b'\n');
            f.write(&rec);
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn get(&self, i: usize) -> &[u8] {
        self.lines.get(i).map_or(&[], |l| l.as_slice())
    }

    pub fn lines(&self) -> &[Vec<u8>] {
        &self.lines
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }
}

/// The `history` builtin: `history` lists every line as ash does (`%4d %s`, numbered from
/// 0), `history N` the last N; `-c` forgets the lines in memory, `-r` reads the file again
/// (lines other shells saved since).
pub fn history_builtin(args: &[Vec<u8>], h: &mut History, out: &mut Vec<u8>) -> i32 {
    let mut last = None;
    for a in args.iter().skip(1) {
        match a.as_slice() {
            b"-c" => {
                h.clear();
                return 0;
            }
            b"-r" => {
                h.clear();
                h.load();
                return 0;
            }
            b"--" => {}
            n => match parse_size(Some(n)) {
                Some(k) => last = Some(k),
                None => {
                    out.extend_from_slice(b"history: ");
                    out.extend_from_slice(n);
                    out.extend_from_slice(b": numeric argument required\n");
                    return 2;
                }
            },
        }
    }
    let from = last.map_or(0, |k| h.len().saturating_sub(k));
    for (i, l) in h.lines().iter().enumerate().skip(from) {
        let n = format!("{i:4} ");
        out.extend_from_slice(n.as_bytes());
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn tmp() -> (std::path::PathBuf, Vec<u8>) {
        let d = std::env::temp_dir().join(format!(
            "rbox-hist-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::create_dir_all(&d);
        let f = d.join("h");
        let _ = std::fs::remove_file(&f);
        let p = f.as_os_str().as_bytes().to_vec();
        (d, p)
    }

    #[test]
    fn add_skips_empty_and_repeats() {
        let mut h = History::new();
        h.add(b"ls");
        h.add(b"ls");
        h.add(b"");
        h.add(b"echo a\necho b");
        assert_eq!(
            h.lines(),
            &[b"ls".to_vec(), b"echo a".to_vec(), b"echo b".to_vec()]
        );
    }

    #[test]
    fn sizes() {
        let mut h = History::new();
        h.configure(Some(b""), None, Some(b"2"), None);
        for l in [&b"a"[..], b"b", b"c"] {
            h.add(l);
        }
        assert_eq!(h.lines(), &[b"b".to_vec(), b"c".to_vec()]);
        let mut out = Vec::new();
        history_builtin(&[b"history".to_vec()], &mut h, &mut out);
        assert_eq!(out, b"   0 b\n   1 c\n");
        out.clear();
        history_builtin(&[b"history".to_vec(), b"1".to_vec()], &mut h, &mut out);
        assert_eq!(out, b"   1 c\n");
        h.configure(Some(b"x"), None, None, None);
        assert_eq!(h.file(), Some(&b"x"[..]));
        h.configure(None, Some(b"/home/u"), None, None);
        assert_eq!(h.file(), Some(&b"/home/u/.ash_history"[..]));
    }

    #[test]
    fn file_round_trip_and_trim() {
        let (d, p) = tmp();
        let mut a = History::new();
        a.configure(Some(&p), None, None, Some(b"3"));
        for l in [&b"one"[..], b"two", b"three", b"four"] {
            a.add(l);
        }
        let mut b = History::new();
        b.configure(Some(&p), None, None, Some(b"3"));
        b.load();
        assert_eq!(
            b.lines(),
            &[b"two".to_vec(), b"three".to_vec(), b"four".to_vec()]
        );
        assert_eq!(
            std::fs::read(d.join("h")).unwrap_or_default(),
            b"two\nthree\nfour\n"
        );
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let (d, p) = tmp();
        // Threads open the file on their own: flock locks belong to the open file.
        let mut kids = Vec::new();
        for k in 0..4 {
            let p = p.clone();
            kids.push(std::thread::spawn(move || {
                let mut h = History::new();
                h.configure(Some(&p), None, Some(b"1000"), None);
                for i in 0..200 {
                    h.add(format!("shell{k} line {i} {}", "x".repeat(300)).as_bytes());
                }
            }));
        }
        for t in kids {
            let _ = t.join();
        }
        let data = std::fs::read(d.join("h")).unwrap_or_default();
        let lines: Vec<&[u8]> = data
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), 800);
        for l in &lines {
            assert!(l.starts_with(b"shell") && l.ends_with(&[b'x'; 300]));
        }
        let _ = std::fs::remove_dir_all(d);
    }
}
