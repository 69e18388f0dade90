//! The editor driven by key bytes against a model terminal: what the screen shows afterwards.

use super::complete::{Completer, EnvCompleter};
use super::history::History;
use super::lineedit::{Core, ReadResult};
use super::width;

/// A VT100-ish screen: deferred autowrap, wide characters, the cursor and erase sequences
/// the editor uses. It grows downward instead of scrolling.
pub struct Screen {
    pub cols: usize,
    pub rows: Vec<Vec<String>>,
    pub r: usize,
    pub c: usize,
    pending: bool,
    pub bells: usize,
}

impl Screen {
    pub fn new(cols: usize) -> Screen {
        Screen {
            cols,
            rows: vec![vec![String::new(); cols]],
            r: 0,
            c: 0,
            pending: false,
            bells: 0,
        }
    }

    fn row(&mut self, r: usize) -> &mut Vec<String> {
        while self.rows.len() <= r {
            self.rows.push(vec![String::new(); self.cols]);
        }
        &mut self.rows[r]
    }

    fn put(&mut self, s: &str, w: usize) {
        if w == 0 {
            // Combining mark: onto the previous cell.
            let (r, c) = (self.r, self.c.saturating_sub(1));
            self.row(r)[c].push_str(s);
            return;
        }
        if self.pending || self.c + w > self.cols {
            self.r += 1;
            self.c = 0;
            self.pending = false;
        }
        let (r, c) = (self.r, self.c);
        let row = self.row(r);
        row[c] = s.to_string();
        if w == 2 && c + 1 < row.len() {
            row[c + 1] = "\0".into();
        }
        self.c += w;
        if self.c >= self.cols {
            self.c = self.cols - 1;
            self.pending = true;
        }
    }

    fn num(p: &[u8], d: usize) -> usize {
        std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    }

    pub fn feed(&mut self, b: &[u8]) {
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\r' => {
                    self.c = 0;
                    self.pending = false;
                }
                b'\n' => {
                    self.r += 1;
                    self.row(self.r);
                    self.pending = false;
                }
                7 => self.bells += 1,
                8 => {
                    self.c = self.c.saturating_sub(1);
                    self.pending = false;
                }
                0x1b if b.get(i + 1) == Some(&b'[') => {
                    let mut e = i + 2;
                    while e < b.len() && !(0x40..=0x7e).contains(&b[e]) {
                        e += 1;
                    }
                    let p = &b[i + 2..e.min(b.len())];
                    let f = b.get(e).copied().unwrap_or(0);
                    self.pending = false;
                    match f {
                        b'A' => self.r = self.r.saturating_sub(Self::num(p, 1)),
                        b'B' => self.r += Self::num(p, 1),
                        b'C' => self.c = (self.c + Self::num(p, 1)).min(self.cols - 1),
                        b'D' => self.c = self.c.saturating_sub(Self::num(p, 1)),
                        b'H' => {
                            self.r = 0;
                            self.c = 0;
                        }
                        b'J' => {
                            if p == b"2" {
                                self.rows = vec![vec![String::new(); self.cols]];
                            } else {
                                let (r, c) = (self.r, self.c);
                                let cols = self.cols;
                                let row = self.row(r);
                                for x in row.iter_mut().take(cols).skip(c) {
                                    x.clear();
                                }
                                self.rows.truncate(r + 1);
                            }
                        }
                        b'K' => {
                            let (r, c) = (self.r, self.c);
                            for x in self.row(r).iter_mut().skip(c) {
                                x.clear();
                            }
                        }
                        _ => {}
                    }
                    i = e + 1;
                    continue;
                }
                0..=0x1f => {}
                _ => {
                    let (n, cp) = width::decode(b, i);
                    let s = String::from_utf8_lossy(&b[i..i + n]).into_owned();
                    self.put(&s, cp.map_or(1, width::wcwidth));
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// The screen's rows as text, trailing blanks removed, trailing empty rows dropped.
    pub fn text(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                let s: String = r
                    .iter()
                    .map(|c| {
                        if c.is_empty() {
                            " "
                        } else if c == "\0" {
                            ""
                        } else {
                            c
                        }
                    })
                    .collect();
                s.trim_end().to_string()
            })
            .collect();
        while v.last().is_some_and(|s| s.is_empty()) && v.len() > self.r + 1 {
            v.pop();
        }
        v
    }
}

pub struct Rig {
    pub core: Core,
    pub hist: History,
    pub scr: Screen,
    pub result: Option<ReadResult>,
}

impl Rig {
    pub fn new(cols: usize, prompt: &str) -> Rig {
        let mut r = Rig {
            core: Core::new(cols),
            hist: History::new(),
            scr: Screen::new(cols),
            result: None,
        };
        r.core.begin(prompt.as_bytes(), &r.hist);
        r.flush();
        r
    }

    fn flush(&mut self) {
        let o = std::mem::take(&mut self.core.out);
        self.scr.feed(&o);
    }

    pub fn keys_with(&mut self, k: &[u8], c: &mut dyn Completer) -> &mut Self {
        for &b in k {
            if let Some(r) = self.core.feed(b, &mut self.hist, c) {
                self.result = Some(r);
            }
            self.flush();
        }
        // A lone ESC at the end: the driver's timeout.
        if self.core.dec.pending_esc() {
            if let Some(r) = self.core.timeout(&mut self.hist, c) {
                self.result = Some(r);
            }
            self.flush();
        }
        self
    }

    pub fn keys(&mut self, k: &[u8]) -> &mut Self {
        self.keys_with(k, &mut EnvCompleter)
    }

    pub fn buf(&self) -> String {
        String::from_utf8_lossy(&self.core.buf).into_owned()
    }

    pub fn cursor(&self) -> (usize, usize) {
        (self.scr.r, self.scr.c)
    }

    /// Asserts the model's idea of the screen and cursor matches what was drawn.
    pub fn check(&self, lines: &[&str], cursor: (usize, usize)) {
        assert_eq!(self.scr.text(), lines, "screen");
        assert_eq!(self.cursor(), cursor, "cursor");
    }

    pub fn restart(&mut self, prompt: &str) {
        self.result = None;
        self.scr = Screen::new(self.scr.cols);
        self.core.begin(prompt.as_bytes(), &self.hist);
        self.flush();
    }
}

fn line(r: &Rig) -> Option<&ReadResult> {
    r.result.as_ref()
}

#[test]
fn typing_and_enter() {
    let mut r = Rig::new(80, "$ ");
    r.keys(b"echo hi");
    r.check(&["$ echo hi"], (0, 9));
    r.keys(b"\r");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"echo hi".to_vec())));
    assert_eq!(r.scr.r, 1);
}

#[test]
fn prompt_after_partial_output_starts_a_new_row() {
    let mut r = Rig::new(20, "$ ");
    r.scr = Screen::new(20);
    r.scr.feed(b"foo");
    r.core.begin(b"$ ", &r.hist);
    let o = std::mem::take(&mut r.core.out);
    r.scr.feed(&o);
    r.check(&["foo", "$"], (1, 2));
}

#[test]
fn emacs_motion_and_kill() {
    let mut r = Rig::new(80, "$ ");
    r.keys(b"hello world\x01X");
    r.check(&["$ Xhello world"], (0, 3));
    r.keys(b"\x05\x02\x02\x0b");
    r.check(&["$ Xhello wor"], (0, 12));
    r.keys(b"\x01\x19");
    assert_eq!(r.buf(), "ldXhello wor");
    r.keys(b"\x05\x17");
    assert_eq!(r.buf(), "ldXhello ");
    r.keys(b"\x17");
    assert_eq!(r.buf(), "");
    r.keys(b"one two three\x1bb\x1bb");
    r.check(&["$ one two three"], (0, 6));
    r.keys(b"\x1bd");
    assert_eq!(r.buf(), "one  three");
    r.keys(b"\x1bf");
    assert_eq!(r.core.pos, 10);
    r.keys(b"\x15");
    assert_eq!(r.buf(), "");
    r.keys(b"abc\x1b[D\x1b[D\x1b[3~");
    assert_eq!(r.buf(), "ac");
    r.keys(b"\x1b[H\x1b[C\x7f");
    assert_eq!((r.buf().as_str(), r.core.pos), ("c", 0));
    r.keys(b"\x1b[F\x1b[1~\x1b[4~\x1bOH");
    assert_eq!(r.core.pos, 0);
    r.keys(b"\x1b[1;5C");
    assert_eq!(r.core.pos, 1);
}

#[test]
fn transpose() {
    let mut r = Rig::new(80, "$ ");
    r.keys(b"ab\x14");
    assert_eq!(r.buf(), "ba");
    r.keys(b"c\x01\x06\x14");
    assert_eq!((r.buf().as_str(), r.core.pos), ("abc", 2));
    let mut r = Rig::new(80, "$ ");
    r.keys("x中".as_bytes());
    r.keys(b"\x14");
    assert_eq!(r.buf(), "中x");
}

#[test]
fn ctrl_d_c_and_eof() {
    let mut r = Rig::new(80, "$ ");
    r.keys(b"ab\x01\x04");
    assert_eq!(r.buf(), "b");
    assert_eq!(line(&r), None);
    r.keys(b"\x03");
    assert_eq!(line(&r), Some(&ReadResult::Interrupted));
    r.check(&["$ b^C", ""], (1, 0));
    r.restart("$ ");
    r.keys(b"\x04");
    assert_eq!(line(&r), Some(&ReadResult::Eof));
}

#[test]
fn long_lines_wrap() {
    let mut r = Rig::new(10, "$ ");
    r.keys(b"abcdefgh");
    // Exactly full: the cursor goes to the next row.
    r.check(&["$ abcdefgh", ""], (1, 0));
    r.keys(b"ijklmnopqrstu");
    r.check(&["$ abcdefgh", "ijklmnopqr", "stu"], (2, 3));
    r.keys(b"\x01");
    r.check(&["$ abcdefgh", "ijklmnopqr", "stu"], (0, 2));
    r.keys(b"X");
    r.check(&["$ Xabcdefg", "hijklmnopq", "rstu"], (0, 3));
    r.keys(b"\x05\x7f\x7f\x7f\x7f");
    r.check(&["$ Xabcdefg", "hijklmnopq", ""], (2, 0));
    r.keys(b"\x7f");
    r.check(&["$ Xabcdefg", "hijklmnop"], (1, 9));
    r.keys(b"\x15");
    r.check(&["$"], (0, 2));
}

#[test]
fn wide_and_combining() {
    let mut r = Rig::new(10, "$ ");
    r.keys("中中中中".as_bytes());
    r.check(&["$ 中中中中", ""], (1, 0));
    r.keys(b"x");
    r.check(&["$ 中中中中", "x"], (1, 1));
    // A wide character that does not fit in the last column wraps early.
    let mut r = Rig::new(10, "$ a");
    r.keys("中中中中".as_bytes());
    r.check(&["$ a中中中", "中"], (1, 2));
    r.keys(b"\x02");
    assert_eq!(r.cursor(), (1, 0));
    r.keys(b"\x02");
    r.check(&["$ a中中中", "中"], (0, 7));
    let mut r = Rig::new(80, "> ");
    r.keys("e\u{301}x".as_bytes());
    r.check(&["> e\u{301}x"], (0, 4));
    r.keys(b"\x02\x02");
    assert_eq!(r.core.pos, 0);
    // Not UTF-8, and control characters.
    let mut r = Rig::new(80, "$ ");
    r.keys(b"a\xff\x16\x01b");
    r.check(&["$ a?^Ab"], (0, 7));
    assert_eq!(r.core.buf, b"a\xff\x01b");
}

#[test]
fn prompt_with_escapes_and_newline() {
    let mut r = Rig::new(20, "\x01\x1b[1m\x02top\n\x1b[0m> ");
    r.keys(b"abc\x02");
    r.check(&["top", "> abc"], (1, 4));
    r.keys(b"\x0c");
    r.check(&["top", "> abc"], (1, 4));
}

#[test]
fn prompt_line_exactly_as_wide_as_the_terminal() {
    let mut r = Rig::new(10, "0123456789\n$ ");
    r.keys(b"ab");
    r.check(&["0123456789", "$ ab"], (1, 4));
    r.keys(b"\x01");
    r.check(&["0123456789", "$ ab"], (1, 2));
}

#[test]
fn history_up_down() {
    let mut r = Rig::new(80, "$ ");
    r.hist.add(b"first");
    r.hist.add(b"second");
    r.restart("$ ");
    r.keys(b"new\x1b[A");
    r.check(&["$ second"], (0, 8));
    r.keys(b"\x10");
    assert_eq!(r.buf(), "first");
    let bells = r.scr.bells;
    r.keys(b"\x1b[A");
    assert_eq!(r.scr.bells, bells + 1);
    r.keys(b"\x1b[B\x0e");
    r.check(&["$ new"], (0, 5));
}

#[test]
fn reverse_search() {
    let mut r = Rig::new(80, "$ ");
    for l in ["make test", "ls -l", "make install", "cd /tmp"] {
        r.hist.add(l.as_bytes());
    }
    r.restart("$ ");
    r.keys(b"\x12mak");
    r.check(&["(reverse-i-search)`mak': make install"], (0, 25));
    r.keys(b"\x12");
    assert_eq!(r.buf(), "make test");
    r.keys(b"\x12");
    r.check(&["(failed reverse-i-search)`mak': make test"], (0, 32));
    r.keys(b"\x05");
    r.check(&["$ make test"], (0, 11));
    r.keys(b" -j\r");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"make test -j".to_vec())));
    // ^G gives the original line back.
    r.restart("$ ");
    r.keys(b"orig\x12ls\x07");
    r.check(&["$ orig"], (0, 6));
    // Enter accepts the match.
    r.keys(b"\x15\x12cd\r");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"cd /tmp".to_vec())));
}

#[test]
fn completion_on_screen() {
    let d = std::env::temp_dir().join(format!("rbox-le-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::create_dir_all(d.join("some dir"));
    for f in ["alpha", "alpine", "beta"] {
        let _ = std::fs::write(d.join(f), b"");
    }
    let dir = d.to_string_lossy().into_owned();
    let mut r = Rig::new(80, "$ ");
    let mut c = EnvCompleter;
    r.keys_with(format!("cat {dir}/al\t").as_bytes(), &mut c);
    assert_eq!(r.buf(), format!("cat {dir}/alp"));
    // The Tab after one that made progress lists, as in BusyBox.
    r.keys_with(b"\t", &mut c);
    let t = r.scr.text();
    assert_eq!(t[1], "alpha   alpine");
    assert_eq!(t[2], format!("$ cat {dir}/alp"));
    r.keys_with(b"h\t", &mut c);
    assert_eq!(r.buf(), format!("cat {dir}/alpha "));
    r.keys_with(format!("{dir}/so\t").as_bytes(), &mut c);
    assert_eq!(r.buf(), format!("cat {dir}/alpha {dir}/some\\ dir/"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn resize_redraws() {
    let mut r = Rig::new(20, "$ ");
    r.keys(b"0123456789abcdef");
    r.check(&["$ 0123456789abcdef"], (0, 18));
    // The terminal narrows to 10 and (like xterm) does not reflow: the model screen is
    // redrawn from the prompt's row.
    r.scr.cols = 10;
    for row in &mut r.scr.rows {
        row.truncate(10);
    }
    r.scr.c = 9;
    r.core.resize(10);
    let o = std::mem::take(&mut r.core.out);
    r.scr.feed(&o);
    assert_eq!(r.scr.text(), ["$ 01234567", "89abcdef"]);
    assert_eq!(r.cursor(), (1, 8));
}

#[test]
fn vi_mode() {
    let mut r = Rig::new(80, "$ ");
    r.core.vi = true;
    r.keys(b"echo hello world\x1b");
    assert_eq!(r.core.pos, 15);
    r.keys(b"0w");
    assert_eq!(r.core.pos, 5);
    r.keys(b"dw");
    assert_eq!(r.buf(), "echo world");
    r.keys(b"u");
    assert_eq!(r.buf(), "echo hello world");
    r.keys(b"cwbye\x1b");
    assert_eq!(r.buf(), "echo bye world");
    r.keys(b"$x");
    assert_eq!(r.buf(), "echo bye worl");
    r.keys(b"0fwD");
    assert_eq!(r.buf(), "echo bye ");
    r.keys(b"Athere\x1b");
    assert_eq!(r.buf(), "echo bye there");
    r.keys(b"02x");
    assert_eq!(r.buf(), "ho bye there");
    r.keys(b"P");
    assert_eq!(r.buf(), "echo bye there");
    r.keys(b"w~");
    assert_eq!(r.buf(), "echo Bye there");
    r.keys(b"0rE");
    assert_eq!(r.buf(), "Echo Bye there");
    r.keys(b"d$");
    assert_eq!(r.buf(), "");
    r.keys(b"ione two three\x1b");
    r.keys(b"02wdb");
    assert_eq!(r.buf(), "one three");
    r.keys(b"ccnew\x1b");
    assert_eq!(r.buf(), "new");
    r.keys(b"\r");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"new".to_vec())));
    r.hist.add(b"older");
    r.restart("$ ");
    r.keys(b"x\x1bk");
    assert_eq!(r.buf(), "older");
    r.keys(b"j");
    assert_eq!(r.buf(), "x");
    r.keys(b"I#\x1b\r");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"#x".to_vec())));
}

#[test]
fn vi_escape_then_command_fast() {
    // ESC followed at once by a command byte (typed quickly or pasted) is not Alt-x.
    let mut r = Rig::new(80, "$ ");
    r.core.vi = true;
    r.keys(b"abc\x1bhx");
    assert_eq!(r.buf(), "ac");
}

#[test]
fn quoted_insert_and_typeahead() {
    let mut r = Rig::new(80, "$ ");
    r.keys(b"a\x16\x09b");
    assert_eq!(r.core.buf, b"a\tb");
    r.keys(b"\rnext");
    assert_eq!(line(&r), Some(&ReadResult::Line(b"a\tb".to_vec())));
}

#[test]
fn key_decoder() {
    use super::lineedit::{Decoder, Key};
    let mut d = Decoder::default();
    let mut all = Vec::new();
    for &b in b"a\x1b[1;5D\x1b[3~\x1bOA\x1bb\x1b\x1b[B\xc3\xa9\xe4\xb8x\x7f" {
        all.extend(d.feed(b));
    }
    assert_eq!(
        all,
        [
            Key::Text(b"a".to_vec()),
            Key::WordLeft,
            Key::Delete,
            Key::Up,
            Key::Meta(b'b'),
            Key::Esc,
            Key::Down,
            Key::Text("é".as_bytes().to_vec()),
            Key::Text(vec![0xe4]),
            Key::Text(vec![0xb8]),
            Key::Text(b"x".to_vec()),
            Key::Ctrl(0x7f),
        ]
    );
    d.feed(0x1b);
    assert!(d.pending_esc());
    assert_eq!(d.timeout(), Some(Key::Esc));
    // An over-long or unknown sequence is dropped, not typed.
    for &b in b"\x1b[99;99;99;99;99;99z" {
        assert!(d.feed(b).iter().all(|k| *k == Key::Other));
    }
}

#[test]
fn random_keys_never_panic() {
    // A small xorshift: any byte sequence, in both modes, at odd widths.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let alphabet: &[u8] = b"ab \t\x01\x02\x03\x04\x05\x06\x08\x0b\x0c\x0e\x10\x12\x14\x15\x16\x17\x19\x1b[]ODC~13;5hjklwbexXdcyprfFtT0$^~uiaAIsSCD#\xc3\xa9\xe4\xb8\xad\xff\r\x7f";
    for round in 0..40 {
        // (Width 1 cannot show a wide character at all.)
        let cols = 2 + (next() % 30) as usize;
        let mut r = Rig::new(cols, if round % 3 == 0 { "p\n> " } else { "$ " });
        r.core.vi = round % 2 == 1;
        for l in ["echo one", "ls -l", "中文"] {
            r.hist.add(l.as_bytes());
        }
        let mut base = r.scr.r - r.core.cursor_pos().0;
        let mut prev_esc = false;
        let mut hist_keys: Vec<u8> = Vec::new();
        for _ in 0..600 {
            let b = alphabet[(next() % alphabet.len() as u64) as usize];
            hist_keys.push(b);
            r.keys(&[b]);
            assert!(r.core.pos <= r.core.buf.len());
            if r.result.is_some() {
                r.restart("$ ");
                base = r.scr.r - r.core.cursor_pos().0;
                hist_keys.clear();
                continue;
            }
            let (row, col) = r.core.cursor_pos();
            // Tab may list, ^L clears: the prompt moves; otherwise the screen's cursor must
            // be where the model puts it.
            if b == b'\t' || b == 0x0c || (prev_esc && r.core.vi) {
                base = r.scr.r.saturating_sub(row);
            } else if !r.core.dec.pending_esc() {
                assert_eq!(
                    (r.scr.r - base, r.scr.c),
                    (row, col),
                    "cols {cols} vi {} keys {:?} buf {:?} screen {:?}",
                    r.core.vi,
                    String::from_utf8_lossy(&hist_keys),
                    r.buf(),
                    r.scr.text()
                );
            }
            prev_esc = b == 0x1b;
        }
    }
}
