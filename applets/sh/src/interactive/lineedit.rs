//! The line editor.
//!
//! [`Core`] is a pure state machine: bytes from the keyboard go in ([`Core::feed`]), the
//! buffer, the cursor and the bytes to write to the terminal ([`Core::out`]) come out; it
//! never touches a file descriptor, so the tests drive it with byte strings and a small
//! screen model. [`LineEditor`] is the thin driver around it: raw mode, signals, reads.
//!
//! Drawing: after a change the editor moves to the prompt's first row, rewrites the prompt
//! and the line and clears the rest of the screen (`ESC [ J`), then moves the cursor back.
//! Positions come from simulating the terminal's wrapping with character widths (wide
//! characters wrap early when they do not fit in the last column); when the text ends
//! exactly at the right margin a space and a carriage return force the pending wrap, so the
//! terminal and the model always agree. Typing at the end of a line that does not wrap
//! writes just the character.

use super::complete::{self, Completer};
use super::history::History;
use super::term;
use super::vi;
use super::width::{self, decode, next_boundary, prev_boundary};

/// What [`LineEditor::read_line`] returns. A line comes without its newline.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadResult {
    Line(Vec<u8>),
    /// ^D on an empty line, or end of input.
    Eof,
    /// ^C, or SIGINT while reading: the caller discards the command and prompts again.
    Interrupted,
}

/// A decoded key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable character (one UTF-8 sequence, or a single byte that is not UTF-8).
    Text(Vec<u8>),
    /// A control byte: 0x00..0x1F and 0x7F.
    Ctrl(u8),
    /// ESC followed by a byte (Alt-x); in vi mode, Esc then the byte.
    Meta(u8),
    /// ESC alone.
    Esc,
    Up,
    Down,
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Delete,
    Other,
}

impl Key {
    /// The key a single byte stands for.
    pub fn of_byte(b: u8) -> Key {
        if b < 0x20 || b == 0x7f {
            Key::Ctrl(b)
        } else {
            Key::Text(vec![b])
        }
    }
}

/// Turns bytes into keys: escape sequences (CSI and SS3), UTF-8 sequences.
#[derive(Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    /// True while an escape sequence is incomplete (the driver then waits briefly and calls
    /// [`Decoder::timeout`] if nothing follows: a lone ESC).
    pub fn pending_esc(&self) -> bool {
        self.buf.first() == Some(&0x1b)
    }

    pub fn timeout(&mut self) -> Option<Key> {
        if self.buf.is_empty() {
            return None;
        }
        let esc = self.buf.len() == 1 && self.buf[0] == 0x1b;
        let b = std::mem::take(&mut self.buf);
        if esc {
            Some(Key::Esc)
        } else if b[0] == 0x1b {
            Some(Key::Other)
        } else {
            Some(Key::Text(b))
        }
    }

    pub fn feed(&mut self, b: u8) -> Vec<Key> {
        let mut keys = Vec::new();
        self.feed_into(b, &mut keys);
        keys
    }

    fn feed_into(&mut self, b: u8, keys: &mut Vec<Key>) {
        if self.buf.is_empty() {
            match b {
                0x1b => self.buf.push(b),
                0..=0x1f | 0x7f => keys.push(Key::Ctrl(b)),
                0x20..=0x7e => keys.push(Key::Text(vec![b])),
                0xc2..=0xf4 => self.buf.push(b),
                _ => keys.push(Key::Text(vec![b])),
            }
            return;
        }
        if self.buf[0] == 0x1b {
            if self.buf.len() == 1 {
                match b {
                    b'[' | b'O' => self.buf.push(b),
                    0x1b => keys.push(Key::Esc), // keep the new ESC pending
                    _ => {
                        self.buf.clear();
                        keys.push(Key::Meta(b));
                    }
                }
                return;
            }
            self.buf.push(b);
            let intro = self.buf[1];
            let done = if intro == b'O' {
                true
            } else {
                (0x40..=0x7e).contains(&b)
            };
            if done {
                let seq = std::mem::take(&mut self.buf);
                keys.push(csi(&seq[2..], intro));
            } else if self.buf.len() > 32 {
                // Too long to mean anything: keep waiting for its final byte, dropping it.
                self.buf.truncate(2);
            }
            return;
        }
        // Inside a UTF-8 sequence.
        if b & 0xc0 == 0x80 {
            self.buf.push(b);
            let need = match self.buf[0] {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            if self.buf.len() == need {
                keys.push(Key::Text(std::mem::take(&mut self.buf)));
            }
        } else {
            // Broken sequence: its bytes stand alone, then the new byte starts afresh.
            for x in std::mem::take(&mut self.buf) {
                keys.push(Key::Text(vec![x]));
            }
            self.feed_into(b, keys);
        }
    }
}

fn csi(body: &[u8], intro: u8) -> Key {
    let Some((&last, params)) = body.split_last() else {
        return Key::Other;
    };
    let modified = params.contains(&b';') && params.last().is_some_and(|&m| m != b'1');
    match (last, params) {
        (b'A', _) => Key::Up,
        (b'B', _) => Key::Down,
        (b'C', _) if modified => Key::WordRight,
        (b'D', _) if modified => Key::WordLeft,
        (b'C', _) => Key::Right,
        (b'D', _) => Key::Left,
        (b'H', _) => Key::Home,
        (b'F', _) => Key::End,
        (b'~', b"1") | (b'~', b"7") => Key::Home,
        (b'~', b"4") | (b'~', b"8") => Key::End,
        (b'~', b"3") => Key::Delete,
        _ if intro == b'O' => Key::Other,
        _ => Key::Other,
    }
}

/// The terminal cursor as the editor models it: row relative to the prompt's first row.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Pen {
    row: usize,
    col: usize,
    wrapped: bool,
}

impl Pen {
    fn put(&mut self, w: usize, cols: usize) {
        self.wrapped = false;
        if w == 0 {
            return;
        }
        if self.col + w > cols && self.col > 0 {
            self.row += 1;
            self.col = 0;
        }
        self.col += w;
        if self.col >= cols {
            self.row += 1;
            self.col = 0;
            self.wrapped = true;
        }
    }
}

struct Search {
    query: Vec<u8>,
    at: Option<usize>,
    orig: Vec<u8>,
    orig_pos: usize,
    failed: bool,
}

/// The editing state of one line.
pub struct Core {
    pub buf: Vec<u8>,
    /// Cursor: a byte offset on a character boundary.
    pub pos: usize,
    pub cols: usize,
    /// Bytes for the terminal, taken by the driver after each key.
    pub out: Vec<u8>,
    pub(super) prompt: Vec<u8>,
    pub(super) kill: Vec<u8>,
    row: usize,
    end: Pen,
    pub(super) hist: usize,
    saved: Vec<u8>,
    search: Option<Search>,
    tabs: u8,
    quoted: bool,
    pub(super) dec: Decoder,
    pub vi: bool,
    pub(super) vi_st: vi::State,
    /// The terminal's erase character (VERASE), besides DEL and ^H.
    pub erase: u8,
}

impl Default for Core {
    fn default() -> Self {
        Core::new(80)
    }
}

fn num(o: &mut Vec<u8>, n: usize) {
    o.extend_from_slice(n.to_string().as_bytes());
}

impl Core {
    pub fn new(cols: usize) -> Core {
        Core {
            buf: Vec::new(),
            pos: 0,
            cols: cols.max(1),
            out: Vec::new(),
            prompt: Vec::new(),
            kill: Vec::new(),
            row: 0,
            end: Pen::default(),
            hist: 0,
            saved: Vec::new(),
            search: None,
            tabs: 0,
            quoted: false,
            dec: Decoder::default(),
            vi: false,
            vi_st: vi::State::default(),
            erase: 0x7f,
        }
    }

    /// Starts a new line: shows the prompt.
    pub fn begin(&mut self, prompt: &[u8], hist: &History) {
        self.buf.clear();
        self.pos = 0;
        self.prompt = prompt.to_vec();
        self.row = 0;
        self.hist = hist.len();
        self.saved.clear();
        self.search = None;
        self.tabs = 0;
        self.quoted = false;
        self.dec = Decoder::default();
        self.vi_st = vi::State::default();
        // If output left the cursor inside a line (`printf foo`), a line's worth of spaces
        // wraps to a fresh row and "\r" comes back to its start: "foo" stays visible and
        // the prompt starts at column 0, where the layout needs it. At column 0 the spaces
        // just fill the row (the wrap stays pending) and "\r" returns to it.
        self.out.resize(self.out.len() + self.cols, b' ');
        self.out.push(b'\r');
        self.refresh();
    }

    /// Feeds one byte; Some when the line is finished.
    pub fn feed(&mut self, b: u8, hist: &mut History, c: &mut dyn Completer) -> Option<ReadResult> {
        if self.quoted && !self.dec.pending_esc() {
            self.quoted = false;
            self.insert(&[b]);
            return None;
        }
        for k in self.dec.feed(b) {
            if let Some(r) = self.key(k, hist, c) {
                return Some(r);
            }
        }
        None
    }

    /// The escape timeout passed with nothing after ESC.
    pub fn timeout(&mut self, hist: &mut History, c: &mut dyn Completer) -> Option<ReadResult> {
        let k = self.dec.timeout()?;
        self.key(k, hist, c)
    }

    /// The terminal changed width.
    pub fn resize(&mut self, cols: usize) {
        let cols = cols.max(1);
        if cols == self.cols {
            return;
        }
        // The terminal re-wrapped (or not) the old rows; guess where the cursor is now,
        // go to the prompt's first row and draw everything again below.
        let (_, cur, _) = self.layout(cols);
        self.cols = cols;
        self.row = cur.row;
        self.refresh();
    }

    /// Draws prompt and line again from scratch (after ^L, SIGCONT, a listing).
    pub fn redraw(&mut self) {
        self.refresh();
    }

    pub fn key(&mut self, k: Key, hist: &mut History, c: &mut dyn Completer) -> Option<ReadResult> {
        if k != Key::Ctrl(b'\t') {
            self.tabs = 0;
        }
        if self.search.is_some() {
            match self.search_key(k, hist) {
                Ok(()) => return None,
                Err(k) => return self.key(k, hist, c),
            }
        }
        if self.vi {
            return vi::key(self, k, hist, c);
        }
        self.emacs(k, hist, c)
    }

    /// The keys both modes share (vi insert mode is emacs without the meta keys).
    pub(super) fn emacs(
        &mut self,
        k: Key,
        hist: &mut History,
        c: &mut dyn Completer,
    ) -> Option<ReadResult> {
        match k {
            Key::Text(t) => self.insert(&t),
            Key::Ctrl(b'\r') | Key::Ctrl(b'\n') => return Some(self.accept()),
            Key::Ctrl(3) => return Some(self.interrupt()),
            Key::Ctrl(4) => {
                if self.buf.is_empty() {
                    return Some(ReadResult::Eof);
                }
                self.delete_char();
            }
            Key::Ctrl(1) | Key::Home => self.move_to(0),
            Key::Ctrl(5) | Key::End => self.move_to(self.buf.len()),
            Key::Ctrl(2) | Key::Left => self.move_to(width::prev_cluster(&self.buf, self.pos)),
            Key::Ctrl(6) | Key::Right => self.move_to(width::next_cluster(&self.buf, self.pos)),
            Key::Ctrl(0x0b) => {
                self.kill = self.buf.split_off(self.pos);
                self.refresh();
            }
            Key::Ctrl(0x15) => {
                self.kill = self.buf.drain(..self.pos).collect();
                self.pos = 0;
                self.refresh();
            }
            Key::Ctrl(0x17) => {
                let mut s = self.pos;
                while s > 0 && self.buf[s - 1] == b' ' {
                    s -= 1;
                }
                while s > 0 && self.buf[s - 1] != b' ' {
                    s -= 1;
                }
                self.kill_range(s, self.pos);
            }
            Key::Ctrl(0x19) => {
                let k = self.kill.clone();
                self.insert(&k);
            }
            Key::Ctrl(0x0c) => {
                self.out.extend_from_slice(b"\x1b[H\x1b[2J");
                self.row = 0;
                self.refresh();
            }
            Key::Ctrl(0x14) => self.transpose(),
            Key::Ctrl(8) => self.backspace(),
            Key::Ctrl(b) if b == 0x7f || b == self.erase => self.backspace(),
            Key::Delete => self.delete_char(),
            Key::Ctrl(0x10) | Key::Up => self.history_move(hist, true),
            Key::Ctrl(0x0e) | Key::Down => self.history_move(hist, false),
            Key::Ctrl(0x12) => self.search_start(),
            Key::Ctrl(b'\t') => {
                self.tabs = self.tabs.saturating_add(1);
                self.complete(c);
            }
            Key::Ctrl(0x16) => self.quoted = true,
            Key::Meta(b'b') | Key::WordLeft => self.move_to(self.word_left(self.pos)),
            Key::Meta(b'f') | Key::WordRight => self.move_to(self.word_right(self.pos)),
            Key::Meta(b'd') => self.kill_range(self.pos, self.word_right(self.pos)),
            Key::Meta(0x7f) | Key::Meta(8) => self.kill_range(self.word_left(self.pos), self.pos),
            _ => self.beep(),
        }
        None
    }

    pub(super) fn beep(&mut self) {
        self.out.push(7);
    }

    fn is_word(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
    }

    pub(super) fn word_left(&self, mut i: usize) -> usize {
        while i > 0 && !Self::is_word(self.buf[i - 1]) {
            i -= 1;
        }
        while i > 0 && Self::is_word(self.buf[i - 1]) {
            i -= 1;
        }
        i
    }

    pub(super) fn word_right(&self, mut i: usize) -> usize {
        let n = self.buf.len();
        while i < n && !Self::is_word(self.buf[i]) {
            i += 1;
        }
        while i < n && Self::is_word(self.buf[i]) {
            i += 1;
        }
        i
    }

    pub(super) fn kill_range(&mut self, a: usize, b: usize) {
        if a >= b {
            return;
        }
        self.kill = self.buf.drain(a..b).collect();
        self.pos = a;
        self.refresh();
    }

    pub(super) fn move_to(&mut self, p: usize) {
        let p = p.min(self.buf.len());
        if p != self.pos {
            self.pos = p;
            self.refresh();
        }
    }

    pub fn insert(&mut self, t: &[u8]) {
        if t.is_empty() {
            return;
        }
        let at_end = self.pos == self.buf.len();
        self.buf.splice(self.pos..self.pos, t.iter().copied());
        self.pos += t.len();
        let w = width::str_width(t);
        // Fast path: typing at the end of a line that does not wrap (whole characters only:
        // a lone byte may join the one before it into a character).
        if at_end
            && self.search.is_none()
            && self.end.col + w < self.cols
            && !self.end.wrapped
            && std::str::from_utf8(t).is_ok()
        {
            let mut i = 0;
            while i < t.len() {
                let (n, _) = width::show(t, i, &mut self.out);
                i += n;
            }
            self.end.col += w;
            return;
        }
        self.refresh();
    }

    pub(super) fn backspace(&mut self) {
        if self.pos == 0 {
            self.beep();
            return;
        }
        let p = prev_boundary(&self.buf, self.pos);
        self.buf.drain(p..self.pos);
        self.pos = p;
        self.refresh();
    }

    pub(super) fn delete_char(&mut self) {
        if self.pos >= self.buf.len() {
            self.beep();
            return;
        }
        let n = next_boundary(&self.buf, self.pos);
        self.buf.drain(self.pos..n);
        self.refresh();
    }

    fn transpose(&mut self) {
        if self.pos == 0 || self.buf.len() < 2 {
            self.beep();
            return;
        }
        let mut p = self.pos;
        if p == self.buf.len() {
            p = prev_boundary(&self.buf, p);
        }
        let a = prev_boundary(&self.buf, p);
        let e = next_boundary(&self.buf, p);
        let first = self.buf[a..p].to_vec();
        let second = self.buf[p..e].to_vec();
        let mut swapped = second;
        swapped.extend_from_slice(&first);
        self.buf.splice(a..e, swapped);
        self.pos = e;
        self.refresh();
    }

    pub(super) fn accept(&mut self) -> ReadResult {
        self.search = None;
        self.pos = self.buf.len();
        self.refresh();
        self.out.extend_from_slice(b"\r\n");
        self.row = 0;
        ReadResult::Line(self.buf.clone())
    }

    pub(super) fn interrupt(&mut self) -> ReadResult {
        self.search = None;
        self.pos = self.buf.len();
        self.refresh();
        self.out.extend_from_slice(b"^C\r\n");
        self.row = 0;
        ReadResult::Interrupted
    }

    pub(super) fn history_move(&mut self, hist: &History, up: bool) {
        if up {
            if self.hist == 0 || hist.is_empty() {
                self.beep();
                return;
            }
            if self.hist >= hist.len() {
                self.saved = self.buf.clone();
                self.hist = hist.len();
            }
            self.hist -= 1;
            self.buf = hist.get(self.hist).to_vec();
        } else {
            if self.hist >= hist.len() {
                self.beep();
                return;
            }
            self.hist += 1;
            self.buf = if self.hist == hist.len() {
                self.saved.clone()
            } else {
                hist.get(self.hist).to_vec()
            };
        }
        self.pos = self.buf.len();
        self.refresh();
    }

    // ---- ^R ----

    fn search_start(&mut self) {
        self.search = Some(Search {
            query: Vec::new(),
            at: None,
            orig: self.buf.clone(),
            orig_pos: self.pos,
            failed: false,
        });
        self.refresh();
    }

    fn search_run(&mut self, hist: &History, below: usize) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        if s.query.is_empty() {
            s.failed = false;
            return;
        }
        for i in (0..below.min(hist.len())).rev() {
            let e = hist.get(i);
            if let Some(off) = e.windows(s.query.len()).rposition(|w| w == s.query) {
                s.at = Some(i);
                s.failed = false;
                self.buf = e.to_vec();
                self.pos = off;
                return;
            }
        }
        s.failed = true;
    }

    /// Ok when the key was a search key; Err(key) when it ends the search and must be
    /// handled as an ordinary key.
    fn search_key(&mut self, k: Key, hist: &History) -> Result<(), Key> {
        let Some(s) = self.search.as_mut() else {
            return Err(k);
        };
        match k {
            Key::Text(t) => {
                s.query.extend_from_slice(&t);
                let below = s.at.map_or(hist.len(), |i| i + 1);
                self.search_run(hist, below);
            }
            Key::Ctrl(0x12) => {
                let below = s.at.unwrap_or(hist.len());
                if s.query.is_empty() {
                    // ^R ^R: the last search again, as bash does.
                } else {
                    self.search_run(hist, below);
                }
            }
            Key::Ctrl(8) | Key::Ctrl(0x7f) => {
                let n = prev_boundary(&s.query, s.query.len());
                s.query.truncate(n);
                s.at = None;
                if s.query.is_empty() {
                    self.buf = s.orig.clone();
                    self.pos = s.orig_pos;
                    s.failed = false;
                } else {
                    self.search_run(hist, hist.len());
                }
            }
            Key::Ctrl(7) | Key::Ctrl(3) => {
                self.buf = s.orig.clone();
                self.pos = s.orig_pos;
                self.search = None;
                if k == Key::Ctrl(3) {
                    return Err(k);
                }
            }
            Key::Esc => {
                let at = s.at;
                self.search = None;
                if let Some(i) = at {
                    self.hist = i;
                }
            }
            k => {
                let at = s.at;
                self.search = None;
                if let Some(i) = at {
                    self.hist = i;
                }
                self.refresh();
                return Err(k);
            }
        }
        self.refresh();
        Ok(())
    }

    // ---- completion ----

    fn complete(&mut self, c: &mut dyn Completer) {
        let r = complete::complete(&self.buf, self.pos, c);
        match r.cands.len() {
            0 => self.beep(),
            1 => {
                let text = r.insertion(0);
                self.replace(r.start, &text);
            }
            _ => {
                let lcp = r.common_prefix();
                if lcp.len() > r.word.len() {
                    let text = r.quote(&lcp, false);
                    self.replace(r.start, &text);
                } else if self.tabs >= 2 {
                    self.list(&r.listing(self.cols));
                } else {
                    self.beep();
                }
            }
        }
    }

    fn replace(&mut self, start: usize, text: &[u8]) {
        let start = start.min(self.pos);
        self.buf.splice(start..self.pos, text.iter().copied());
        self.pos = start + text.len();
        self.refresh();
    }

    /// Shows text below the line (a completion listing), then the prompt and line again.
    pub fn list(&mut self, text: &[u8]) {
        let p = self.pos;
        self.pos = self.buf.len();
        self.refresh();
        self.pos = p;
        self.out.extend_from_slice(b"\r\n");
        for &b in text {
            if b == b'\n' {
                self.out.extend_from_slice(b"\r\n");
            } else {
                self.out.push(b);
            }
        }
        self.row = 0;
        self.refresh();
    }

    // ---- drawing ----

    fn shown_prompt(&self) -> Vec<u8> {
        match &self.search {
            None => self.prompt.clone(),
            Some(s) => {
                let mut p = Vec::new();
                if s.failed {
                    p.extend_from_slice(b"(failed reverse-i-search)`");
                } else {
                    p.extend_from_slice(b"(reverse-i-search)`");
                }
                p.extend_from_slice(&s.query);
                p.extend_from_slice(b"': ");
                p
            }
        }
    }

    /// Writes the prompt into `o`, moving the pen: text between \x01 and \x02 and escape
    /// sequences take no room.
    fn draw_prompt(p: &[u8], cols: usize, pen: &mut Pen, o: &mut Vec<u8>) {
        let mut i = 0;
        while i < p.len() {
            let b = p[i];
            match b {
                1 => {
                    let e = p[i + 1..]
                        .iter()
                        .position(|&x| x == 2)
                        .map_or(p.len(), |k| i + 1 + k);
                    o.extend_from_slice(&p[i + 1..e]);
                    i = e + 1;
                    continue;
                }
                2 => {}
                0x1b => {
                    let mut e = i + 1;
                    if p.get(e) == Some(&b'[') {
                        e += 1;
                        while e < p.len() && !(0x40..=0x7e).contains(&p[e]) {
                            e += 1;
                        }
                    }
                    let e = (e + 1).min(p.len());
                    o.extend_from_slice(&p[i..e]);
                    i = e;
                    continue;
                }
                b'\n' => {
                    o.extend_from_slice(b"\r\n");
                    // After a line that filled the row exactly the terminal is still on it
                    // (the wrap is pending): the newline makes the row change the model
                    // already counted.
                    if !pen.wrapped {
                        pen.row += 1;
                    }
                    pen.col = 0;
                    pen.wrapped = false;
                }
                b'\r' => {
                    o.push(b'\r');
                    pen.col = 0;
                }
                0..=0x1f | 0x7f => o.push(b),
                _ => {
                    let (n, cp) = decode(p, i);
                    o.extend_from_slice(&p[i..i + n]);
                    pen.put(cp.map_or(1, width::wcwidth), cols);
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// Draws into a scratch vector: (end of text, cursor position, bytes).
    fn layout(&self, cols: usize) -> (Pen, Pen, Vec<u8>) {
        let mut o = Vec::new();
        let mut pen = Pen::default();
        Self::draw_prompt(&self.shown_prompt(), cols, &mut pen, &mut o);
        let mut cur = pen;
        let mut i = 0;
        while i < self.buf.len() {
            let at = o.len();
            let (n, w) = width::show(&self.buf, i, &mut o);
            // "^X" for a control character is two narrow cells, which wrap separately.
            let caret = w == 2 && o.len() - at == 2 && o[at] == b'^';
            if i == self.pos {
                cur = pen;
                if !caret && w > 0 && pen.col + w > cols && pen.col > 0 {
                    // A wide character that wraps early: the cursor shows on it.
                    cur = Pen {
                        row: pen.row + 1,
                        col: 0,
                        wrapped: false,
                    };
                }
            }
            if caret {
                pen.put(1, cols);
                pen.put(1, cols);
            } else {
                pen.put(w, cols);
            }
            i += n;
        }
        if self.pos >= self.buf.len() {
            cur = pen;
        }
        (pen, cur, o)
    }

    /// Where the cursor is, as (row from the prompt's first row, column).
    pub fn cursor_pos(&self) -> (usize, usize) {
        let (_, cur, _) = self.layout(self.cols);
        (cur.row, cur.col)
    }

    pub(super) fn refresh(&mut self) {
        let (end, cur, text) = self.layout(self.cols);
        let o = &mut self.out;
        if self.row > 0 {
            o.extend_from_slice(b"\x1b[");
            num(o, self.row);
            o.push(b'A');
        }
        o.push(b'\r');
        o.extend_from_slice(&text);
        if end.wrapped {
            o.extend_from_slice(b" \r");
        }
        o.extend_from_slice(b"\x1b[J");
        if end.row > cur.row {
            o.extend_from_slice(b"\x1b[");
            num(o, end.row - cur.row);
            o.push(b'A');
        }
        if end.col != cur.col || end.row != cur.row {
            o.push(b'\r');
            if cur.col > 0 {
                o.extend_from_slice(b"\x1b[");
                num(o, cur.col);
                o.push(b'C');
            }
        }
        self.row = cur.row;
        self.end = if end == cur {
            end
        } else {
            // Not at the end: the fast path must not be taken.
            Pen {
                wrapped: true,
                ..end
            }
        };
    }
}

/// The line editor on a terminal: `fd_in` for keys, `fd_out` for drawing (the shell passes
/// 0 and 2, as ash draws on stderr).
pub struct LineEditor {
    fd_in: term::Fd,
    fd_out: term::Fd,
    pub history: History,
    pub core: Core,
    /// Bytes read past the end of the last line (typed ahead or pasted).
    ahead: Vec<u8>,
    /// `set -b`: called when SIGCHLD arrives while the editor waits; the text it returns
    /// (job notifications) shows below the line, then prompt and line are drawn again.
    pub on_sigchld: Option<Box<dyn FnMut() -> Vec<u8>>>,
    /// No editing even on a terminal (the shell sets this for TERM=dumb, as bash does):
    /// the terminal's own line discipline edits, the prompt is written as it is.
    pub dumb: bool,
}

impl LineEditor {
    pub fn new(fd_in: term::Fd, fd_out: term::Fd) -> LineEditor {
        LineEditor {
            fd_in,
            fd_out,
            history: History::new(),
            core: Core::new(80),
            ahead: Vec::new(),
            on_sigchld: None,
            dumb: false,
        }
    }

    /// `set -o vi` / `set -o emacs`.
    pub fn set_vi(&mut self, on: bool) {
        self.core.vi = on;
    }

    /// True when keys come from a terminal (the editor is used; otherwise lines are read
    /// plainly).
    pub fn is_terminal(&self) -> bool {
        term::isatty(self.fd_in)
    }

    /// Reads one line, showing `prompt` (already expanded, see prompt::expand_ps). For a
    /// continuation line pass PS2. The line comes without its newline.
    pub fn read_line(&mut self, prompt: &[u8], ctx: &mut dyn Completer) -> ReadResult {
        if self.dumb {
            return self.read_plain(prompt);
        }
        let Some(mut raw) = term::RawGuard::enter(self.fd_in) else {
            return self.read_plain(prompt);
        };
        let extra: &[i32] = if self.on_sigchld.is_some() {
            &[libc::SIGCHLD]
        } else {
            &[]
        };
        let mut sig = term::SignalGuard::install(extra);
        let mask = term::MaskGuard::block(extra);
        self.core.erase = raw.orig().c_cc[libc::VERASE];
        self.core.cols = term::width(self.fd_out);
        self.core.begin(prompt, &self.history);
        let mut ahead = std::mem::take(&mut self.ahead);
        let mut buf = [0u8; 256];
        loop {
            self.flush();
            let r = self.signals(&mut raw, &mut sig, &mask);
            self.flush();
            if let Some(r) = r {
                return r;
            }
            let mut chunk: Vec<u8> = Vec::new();
            if !ahead.is_empty() {
                chunk = std::mem::take(&mut ahead);
            } else {
                let ms = if self.core.dec.pending_esc() { 100 } else { -1 };
                match mask.wait_input(self.fd_in, ms) {
                    Ok(true) => {}
                    Ok(false) => {
                        if let Some(r) = self.core.timeout(&mut self.history, ctx) {
                            self.flush();
                            return r;
                        }
                        continue;
                    }
                    Err(libc::EINTR) | Err(libc::EAGAIN) => continue,
                    Err(_) => return ReadResult::Eof,
                }
                match term::read(self.fd_in, &mut buf) {
                    Ok(0) => {
                        drop(raw);
                        return if self.core.buf.is_empty() {
                            ReadResult::Eof
                        } else {
                            ReadResult::Line(std::mem::take(&mut self.core.buf))
                        };
                    }
                    Ok(n) => chunk.extend_from_slice(&buf[..n]),
                    Err(libc::EINTR) | Err(libc::EAGAIN) => continue,
                    Err(_) => return ReadResult::Eof,
                }
            }
            for (i, &b) in chunk.iter().enumerate() {
                if let Some(r) = self.core.feed(b, &mut self.history, ctx) {
                    self.ahead = chunk[i + 1..].to_vec();
                    self.flush();
                    return r;
                }
            }
        }
    }

    fn flush(&mut self) {
        if !self.core.out.is_empty() {
            term::write_all(self.fd_out, &self.core.out);
            self.core.out.clear();
        }
    }

    fn signals(
        &mut self,
        raw: &mut term::RawGuard,
        sig: &mut term::SignalGuard,
        mask: &term::MaskGuard,
    ) -> Option<ReadResult> {
        let s = term::take_signals();
        if s == 0 {
            return None;
        }
        let has = |n: i32| s & (1u64 << n) != 0;
        if has(libc::SIGWINCH) {
            self.core.resize(term::width(self.fd_out));
        }
        if has(libc::SIGCHLD) {
            if let Some(f) = self.on_sigchld.as_mut() {
                let text = f();
                if !text.is_empty() {
                    self.core.list(&text);
                }
            }
        }
        if has(libc::SIGTSTP) {
            raw.restore();
            self.flush();
            sig.restore_one(libc::SIGTSTP);
            mask.unblocked(|| term::raise(libc::SIGTSTP));
            // Continued.
            sig.reinstall(libc::SIGTSTP);
            raw.raw_again();
            self.core.cols = term::width(self.fd_out);
            self.core.redraw();
        } else if has(libc::SIGCONT) {
            raw.raw_again();
            self.core.cols = term::width(self.fd_out);
            self.core.redraw();
        }
        if has(libc::SIGINT) {
            return Some(self.core.interrupt());
        }
        for fatal in [libc::SIGTERM, libc::SIGHUP] {
            if has(fatal) {
                raw.restore();
                self.flush();
                sig.restore_one(fatal);
                mask.unblocked(|| term::raise(fatal));
                return Some(ReadResult::Eof);
            }
        }
        None
    }

    /// Not a terminal: show the prompt, read up to a newline one byte at a time (so that
    /// nothing past the line is consumed from a shared descriptor).
    fn read_plain(&mut self, prompt: &[u8]) -> ReadResult {
        let shown: Vec<u8> = prompt
            .iter()
            .copied()
            .filter(|&b| b != 1 && b != 2)
            .collect();
        term::write_all(self.fd_out, &shown);
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match term::read(self.fd_in, &mut b) {
                Ok(0) => {
                    return if line.is_empty() {
                        ReadResult::Eof
                    } else {
                        ReadResult::Line(line)
                    }
                }
                Ok(_) if b[0] == b'\n' => return ReadResult::Line(line),
                Ok(_) => line.push(b[0]),
                Err(libc::EINTR) => {
                    if term::take_signals() & (1 << libc::SIGINT) != 0 {
                        return ReadResult::Interrupted;
                    }
                }
                Err(_) => return ReadResult::Eof,
            }
        }
    }
}
