//! Tab completion: which word the cursor is in, what it could become, and how to write it
//! back quoted.
//!
//! - In command position (first word, after `; | & && || ( $(` and reserved words like
//!   `then`, after assignments): builtins, functions and aliases (from the shell through
//!   [`Completer`]), the applets compiled in, executables on `$PATH`.
//! - `$NA` / `${NA`: variable names.
//! - `~us` (no slash yet): user names from `/etc/passwd`, completed to `~user/`.
//! - Anything else: file names, relative to the directory part of the word, which may
//!   start with `~/`, `~user/` or `$VAR/` (written back as typed).
//!
//! The word is written back quoted in the style it was started in: backslashes by default,
//! or inside the `'` or `"` the user opened (closed again once the name is complete). A
//! completed directory gets a `/`, anything else a space.

use super::width;
use std::os::unix::ffi::OsStrExt;

/// What the shell knows that completion needs. Every method has a default, so a shell
/// implements only what it has.
pub trait Completer {
    /// Builtins, functions and aliases whose names start with `prefix`.
    fn commands(&mut self, _prefix: &[u8], _out: &mut Vec<Vec<u8>>) {}
    /// Shell variable names starting with `prefix`.
    fn variables(&mut self, _prefix: &[u8], _out: &mut Vec<Vec<u8>>) {}
    /// A variable's value (PATH, HOME and `$VAR/` prefixes are looked up).
    fn var(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        std::env::var_os(std::ffi::OsStr::from_bytes(name)).map(|v| v.as_bytes().to_vec())
    }
    /// (name, home directory) of the users whose names start with `prefix`.
    fn users(&mut self, prefix: &[u8], out: &mut Vec<(Vec<u8>, Vec<u8>)>) {
        let data =
            rbox_common::passwd::read(std::path::Path::new("/"), "/etc/passwd").unwrap_or_default();
        for l in rbox_common::passwd::lines(&data) {
            if let Some(p) = rbox_common::passwd::Passwd::parse(l) {
                if p.name.starts_with(prefix) {
                    out.push((p.name.to_vec(), p.dir.to_vec()));
                }
            }
        }
    }
    /// Include the applets compiled into this binary among command names.
    fn applets(&self) -> bool {
        true
    }
}

/// What the shell knows, copied before a prompt: the parser reads lines without access to
/// the shell, so the shell fills this in (cheap: names only) each time it prompts.
#[derive(Default, Clone)]
pub struct Snapshot {
    /// Builtins, function and alias names.
    pub commands: Vec<Vec<u8>>,
    /// Set variables: (name, value).
    pub vars: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Completer for Snapshot {
    fn commands(&mut self, prefix: &[u8], out: &mut Vec<Vec<u8>>) {
        out.extend(
            self.commands
                .iter()
                .filter(|n| n.starts_with(prefix))
                .cloned(),
        );
    }
    fn variables(&mut self, prefix: &[u8], out: &mut Vec<Vec<u8>>) {
        out.extend(
            self.vars
                .iter()
                .filter(|(n, _)| n.starts_with(prefix))
                .map(|(n, _)| n.clone()),
        );
    }
    fn var(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

/// A completer that knows only the process environment (tests, a shell without hooks).
pub struct EnvCompleter;
impl Completer for EnvCompleter {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Verbatim,
    Backslash,
    Single,
    Double,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cand {
    /// The whole word, unquoted, as it would be after completion.
    pub word: Vec<u8>,
    /// What a listing shows.
    pub show: Vec<u8>,
    /// A directory (gets `/`, stays open for more).
    pub dir: bool,
}

#[derive(Debug)]
pub struct Completion {
    /// Where the replacement starts in the line (it ends at the cursor).
    pub start: usize,
    /// The word as typed, unquoted: every candidate starts with it.
    pub word: Vec<u8>,
    pub cands: Vec<Cand>,
    style: Style,
    /// Leading bytes written as they are (`~user`, `$VAR`).
    lit: usize,
    /// Closes a `${` variable.
    brace: bool,
}

const SPECIAL: &[u8] = b" \t\n\\'\"$`&;|<>()*?[]!{}";
const RESERVED: &[&[u8]] = &[
    b"if", b"then", b"else", b"elif", b"do", b"while", b"until", b"!", b"{", b"time", b"exec",
    b"command", b"sudo", b"nohup", b"env", b"builtin",
];

impl Completion {
    /// The text that replaces `start..cursor` when candidate `i` is the only one.
    pub fn insertion(&self, i: usize) -> Vec<u8> {
        let Some(c) = self.cands.get(i) else {
            return Vec::new();
        };
        let mut t = self.quote(&c.word, !c.dir);
        if self.style == Style::Verbatim {
            if self.brace {
                t.push(b'}');
            }
        } else if !c.dir {
            t.push(b' ');
        }
        t
    }

    /// `text` (an unquoted word) written in the completion's quoting style; `close` ends an
    /// opened quote.
    pub fn quote(&self, text: &[u8], close: bool) -> Vec<u8> {
        let lit = self.lit.min(text.len());
        let (head, body) = text.split_at(lit);
        let mut o = head.to_vec();
        match self.style {
            Style::Verbatim => o.extend_from_slice(body),
            Style::Backslash => {
                for (k, &b) in body.iter().enumerate() {
                    let first = k == 0 && lit == 0;
                    if SPECIAL.contains(&b) || (first && (b == b'~' || b == b'#')) {
                        o.push(b'\\');
                    }
                    o.push(b);
                }
            }
            Style::Single => {
                o.push(b'\'');
                for &b in body {
                    if b == b'\'' {
                        o.extend_from_slice(b"'\\''");
                    } else {
                        o.push(b);
                    }
                }
                if close {
                    o.push(b'\'');
                }
            }
            Style::Double => {
                o.push(b'"');
                for &b in body {
                    if matches!(b, b'"' | b'\\' | b'$' | b'`') {
                        o.push(b'\\');
                    }
                    o.push(b);
                }
                if close {
                    o.push(b'"');
                }
            }
        }
        o
    }

    /// The longest start all candidates share (unquoted).
    pub fn common_prefix(&self) -> Vec<u8> {
        let Some(first) = self.cands.first() else {
            return Vec::new();
        };
        let mut n = first.word.len();
        for c in &self.cands[1..] {
            n = n.min(
                first
                    .word
                    .iter()
                    .zip(&c.word)
                    .take_while(|(a, b)| a == b)
                    .count(),
            );
        }
        // Never cut a UTF-8 sequence in half.
        while n > 0 && n < first.word.len() && first.word[n] & 0xc0 == 0x80 {
            n -= 1;
        }
        first.word[..n].to_vec()
    }

    /// The candidates in columns, as `ls` does, for a terminal `cols` wide.
    pub fn listing(&self, cols: usize) -> Vec<u8> {
        columns(
            &self
                .cands
                .iter()
                .map(|c| c.show.clone())
                .collect::<Vec<_>>(),
            cols,
        )
    }
}

/// Lays names out in columns, filled top to bottom, two spaces apart.
pub fn columns(names: &[Vec<u8>], cols: usize) -> Vec<u8> {
    let w = names.iter().map(|n| width::str_width(n)).max().unwrap_or(0) + 2;
    let ncols = (cols / w).max(1);
    let nrows = names.len().div_ceil(ncols);
    let mut o = Vec::new();
    for r in 0..nrows {
        let mut c = 0;
        while let Some(n) = names.get(r + c * nrows) {
            o.extend_from_slice(n);
            let last = c + 1 == ncols || names.get(r + (c + 1) * nrows).is_none();
            if !last {
                o.resize(o.len() + w - width::str_width(n), b' ');
            }
            c += 1;
        }
        o.push(b'\n');
    }
    o
}

/// Where the word at `pos` starts and how it is quoted.
struct Scan {
    start: usize,
    word: Vec<u8>,
    style: Style,
    cmd: bool,
    /// The command name of the simple command the word is an argument of.
    command: Vec<u8>,
    /// Raw offset and unquoted offset of the last unquoted `$` of the word.
    dollar: Option<(usize, usize)>,
}

fn scan(buf: &[u8], pos: usize) -> Scan {
    let line = &buf[..pos.min(buf.len())];
    let mut s = Scan {
        start: 0,
        word: Vec::new(),
        style: Style::Backslash,
        cmd: true,
        command: Vec::new(),
        dollar: None,
    };
    let mut in_word = false;
    let mut first_style = Style::Backslash;
    let mut quote: Option<u8> = None;
    let mut raw_word: Vec<u8> = Vec::new();
    let mut i = 0;
    let mut next_cmd = true;
    while i < line.len() {
        let b = line[i];
        if !in_word {
            if b == b' ' || b == b'\t' {
                i += 1;
                continue;
            }
            in_word = true;
            s.start = i;
            s.word.clear();
            s.dollar = None;
            raw_word.clear();
            s.cmd = next_cmd;
            first_style = Style::Backslash;
        }
        match quote {
            Some(b'\'') => {
                if b == b'\'' {
                    quote = None;
                } else {
                    s.word.push(b);
                }
            }
            Some(_) => match b {
                b'"' => quote = None,
                b'\\' if i + 1 < line.len() => {
                    i += 1;
                    s.word.push(line[i]);
                }
                b'$' => {
                    s.dollar = Some((i, s.word.len()));
                    s.word.push(b);
                }
                _ => s.word.push(b),
            },
            None => match b {
                b'\'' | b'"' => {
                    if raw_word.is_empty() {
                        first_style = if b == b'\'' {
                            Style::Single
                        } else {
                            Style::Double
                        };
                    }
                    quote = Some(b);
                }
                b'\\' if i + 1 < line.len() => {
                    i += 1;
                    s.word.push(line[i]);
                }
                b'$' => {
                    s.dollar = Some((i, s.word.len()));
                    s.word.push(b);
                }
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'`' => {
                    let w = std::mem::take(&mut s.word);
                    next_cmd = match b {
                        b' ' | b'\t' => {
                            s.cmd
                                && (RESERVED.contains(&w.as_slice())
                                    || (!w.is_empty()
                                        && w.contains(&b'=')
                                        && w[0] != b'='
                                        && w.iter()
                                            .take_while(|&&c| c != b'=')
                                            .all(|&c| c.is_ascii_alphanumeric() || c == b'_')))
                        }
                        b'<' | b'>' => false,
                        b')' => false,
                        _ => true,
                    };
                    if w.is_empty() && (b == b' ' || b == b'\t') {
                        next_cmd = s.cmd;
                    }
                    if s.cmd && !next_cmd && (b == b' ' || b == b'\t') {
                        s.command = w;
                    } else if next_cmd {
                        s.command.clear();
                    }
                    in_word = false;
                    raw_word.clear();
                    s.dollar = None;
                    i += 1;
                    continue;
                }
                _ => s.word.push(b),
            },
        }
        raw_word.push(b);
        i += 1;
    }
    if !in_word {
        s.start = pos.min(buf.len());
        s.word.clear();
        s.cmd = next_cmd;
        s.dollar = None;
    } else {
        s.style = first_style;
    }
    s
}

fn is_name(b: &[u8]) -> bool {
    b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Finds what the word at `pos` in `buf` can become.
pub fn complete(buf: &[u8], pos: usize, c: &mut dyn Completer) -> Completion {
    let s = scan(buf, pos);
    let mut out = Completion {
        start: s.start,
        word: s.word.clone(),
        cands: Vec::new(),
        style: s.style,
        lit: 0,
        brace: false,
    };
    // $VAR and ${VAR
    if let Some((raw, at)) = s.dollar {
        let after = &s.word[at + 1..];
        let (brace, name) = match after.strip_prefix(b"{") {
            Some(n) => (true, n),
            None => (false, after),
        };
        if is_name(name) && !name.first().is_some_and(u8::is_ascii_digit) {
            let mut names = Vec::new();
            c.variables(name, &mut names);
            names.sort();
            names.dedup();
            out.start = raw;
            out.style = Style::Verbatim;
            out.brace = brace;
            out.word = s.word[at..].to_vec();
            let lead = if brace { &b"${"[..] } else { &b"$"[..] };
            for n in names {
                let mut w = lead.to_vec();
                w.extend_from_slice(&n);
                out.cands.push(Cand {
                    word: w,
                    show: n,
                    dir: false,
                });
            }
            return out;
        }
    }
    let word = s.word.clone();
    // ~user
    if s.style == Style::Backslash && word.first() == Some(&b'~') && !word.contains(&b'/') {
        let mut users = Vec::new();
        c.users(&word[1..], &mut users);
        users.sort();
        users.dedup_by(|a, b| a.0 == b.0);
        out.lit = usize::MAX;
        for (n, _) in users {
            let mut w = b"~".to_vec();
            w.extend_from_slice(&n);
            w.push(b'/');
            out.cands.push(Cand {
                word: w,
                show: n,
                dir: true,
            });
        }
        return out;
    }
    if s.cmd && !word.contains(&b'/') {
        let mut names = Vec::new();
        c.commands(&word, &mut names);
        if c.applets() {
            for a in rbox_common::applet::table() {
                if a.name.as_bytes().starts_with(&word) {
                    names.push(a.name.as_bytes().to_vec());
                }
            }
        }
        if let Some(path) = c.var(b"PATH") {
            for d in path.split(|&b| b == b':') {
                let d = if d.is_empty() { &b"."[..] } else { d };
                path_commands(d, &word, &mut names);
            }
        }
        names.sort();
        names.dedup();
        for n in names {
            out.cands.push(Cand {
                word: n.clone(),
                show: n,
                dir: false,
            });
        }
        return out;
    }
    // File names.
    let slash = word.iter().rposition(|&b| b == b'/');
    let (dir_part, prefix) = match slash {
        Some(k) => (&word[..=k], &word[k + 1..]),
        None => (&b""[..], &word[..]),
    };
    let mut dir = dir_part.to_vec();
    if s.style == Style::Backslash && dir.first() == Some(&b'~') {
        let end = dir.iter().position(|&b| b == b'/').unwrap_or(dir.len());
        let user = &dir[1..end];
        let home = if user.is_empty() {
            c.var(b"HOME")
        } else {
            let mut u = Vec::new();
            c.users(user, &mut u);
            u.into_iter().find(|(n, _)| n == user).map(|(_, h)| h)
        };
        if let Some(h) = home {
            out.lit = end;
            let mut d = h;
            d.extend_from_slice(&dir[end..]);
            dir = d;
        }
    } else if dir.first() == Some(&b'$') && s.style != Style::Single {
        let end = dir.iter().position(|&b| b == b'/').unwrap_or(dir.len());
        let name = &dir[1..end];
        let name = name
            .strip_prefix(b"{")
            .and_then(|n| n.strip_suffix(b"}"))
            .unwrap_or(name);
        if is_name(name) {
            if let Some(v) = c.var(name) {
                out.lit = end;
                let mut d = v;
                d.extend_from_slice(&dir[end..]);
                dir = d;
            }
        }
    }
    // `cd` and `pushd` take directories only (as BusyBox completes them).
    let dirs_only = s.command == b"cd" || s.command == b"pushd";
    let look = if dir.is_empty() {
        b".".to_vec()
    } else {
        dir.clone()
    };
    let Ok(rd) = std::fs::read_dir(std::ffi::OsStr::from_bytes(&look)) else {
        return out;
    };
    let mut found = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let n = name.as_bytes();
        if !n.starts_with(prefix) || (n.first() == Some(&b'.') && prefix.first() != Some(&b'.')) {
            continue;
        }
        let mut full = dir.clone();
        full.extend_from_slice(n);
        let is_dir =
            std::fs::metadata(std::ffi::OsStr::from_bytes(&full)).is_ok_and(|m| m.is_dir());
        if (s.cmd || dirs_only) && !is_dir && !(s.cmd && executable(&full)) {
            continue;
        }
        let mut w = dir_part.to_vec();
        w.extend_from_slice(n);
        let mut show = n.to_vec();
        if is_dir {
            w.push(b'/');
            show.push(b'/');
        }
        found.push(Cand {
            word: w,
            show,
            dir: is_dir,
        });
    }
    found.sort_by(|a, b| a.word.cmp(&b.word));
    out.cands = found;
    out
}

fn executable(p: &[u8]) -> bool {
    let Ok(c) = std::ffi::CString::new(p) else {
        return false;
    };
    // SAFETY: c is a valid C string.
    unsafe { libc::access(c.as_ptr(), libc::X_OK) == 0 }
}

/// Adds the executables in directory `d` whose names start with `prefix`.
pub fn path_commands(d: &[u8], prefix: &[u8], out: &mut Vec<Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(std::ffi::OsStr::from_bytes(d)) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let n = name.as_bytes();
        if !n.starts_with(prefix) {
            continue;
        }
        let mut full = d.to_vec();
        full.push(b'/');
        full.extend_from_slice(n);
        let is_file =
            std::fs::metadata(std::ffi::OsStr::from_bytes(&full)).is_ok_and(|m| m.is_file());
        if is_file && executable(&full) {
            out.push(n.to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub struct Fake {
        pub path: Vec<u8>,
        pub home: Vec<u8>,
    }
    impl Completer for Fake {
        fn commands(&mut self, p: &[u8], out: &mut Vec<Vec<u8>>) {
            for n in [&b"echo"[..], b"export", b"exit", b"myfunc"] {
                if n.starts_with(p) {
                    out.push(n.to_vec());
                }
            }
        }
        fn variables(&mut self, p: &[u8], out: &mut Vec<Vec<u8>>) {
            for n in [&b"HOME"[..], b"HOSTNAME", b"PATH"] {
                if n.starts_with(p) {
                    out.push(n.to_vec());
                }
            }
        }
        fn var(&mut self, n: &[u8]) -> Option<Vec<u8>> {
            match n {
                b"PATH" => Some(self.path.clone()),
                b"HOME" => Some(self.home.clone()),
                _ => None,
            }
        }
        fn users(&mut self, p: &[u8], out: &mut Vec<(Vec<u8>, Vec<u8>)>) {
            for (n, h) in [(&b"root"[..], &b"/root"[..]), (b"rob", b"/home/rob")] {
                if n.starts_with(p) {
                    out.push((n.to_vec(), h.to_vec()));
                }
            }
        }
        fn applets(&self) -> bool {
            false
        }
    }

    fn words(c: &Completion) -> Vec<String> {
        c.cands
            .iter()
            .map(|c| String::from_utf8_lossy(&c.word).into_owned())
            .collect()
    }

    fn fixture() -> (tempdir::Dir, Fake) {
        let d = tempdir::Dir::new();
        let p = d.path.clone();
        for f in ["my file", "my$dollar", "alpha", "alpine", "it's"] {
            std::fs::write(p.join(f), b"").unwrap_or(());
        }
        let _ = std::fs::create_dir(p.join("sub dir"));
        let _ = std::fs::create_dir(p.join("bin"));
        std::fs::write(p.join("bin/mytool"), b"#!/bin/sh\n").unwrap_or(());
        std::fs::write(p.join("bin/notexec"), b"").unwrap_or(());
        use std::os::unix::fs::PermissionsExt;
        let _ =
            std::fs::set_permissions(p.join("bin/mytool"), std::fs::Permissions::from_mode(0o755));
        let mut path = p.as_os_str().as_bytes().to_vec();
        path.extend_from_slice(b"/bin");
        let home = p.as_os_str().as_bytes().to_vec();
        (d, Fake { path, home })
    }

    pub mod tempdir {
        pub struct Dir {
            pub path: std::path::PathBuf,
        }
        impl Dir {
            pub fn new() -> Dir {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let path =
                    std::env::temp_dir().join(format!("rbox-complete-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&path);
                let _ = std::fs::create_dir_all(&path);
                Dir { path }
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.path);
            }
        }
    }

    fn at(d: &tempdir::Dir, line: &str, f: &mut Fake) -> Completion {
        // Make the words absolute by prefixing the temp dir where asked with @.
        let dir = d.path.to_string_lossy().into_owned() + "/";
        let line = line.replace('@', &dir);
        let mut r = complete(line.as_bytes(), line.len(), f);
        for c in &mut r.cands {
            if let Some(rest) = c.word.strip_prefix(dir.as_bytes()) {
                let mut w = b"@".to_vec();
                w.extend_from_slice(rest);
                c.word = w;
            }
        }
        r
    }

    #[test]
    fn commands_and_path() {
        let (d, mut f) = fixture();
        let r = at(&d, "ex", &mut f);
        assert_eq!(words(&r), ["exit", "export"]);
        assert_eq!(r.common_prefix(), b"ex");
        let r = at(&d, "ls; my", &mut f);
        assert_eq!(words(&r), ["myfunc", "mytool"]);
        let r = at(&d, "echo my", &mut f);
        assert!(words(&r).is_empty(), "{:?}", words(&r)); // not command position, no such file here
        let r = at(&d, "if myt", &mut f);
        assert_eq!(words(&r), ["mytool"]);
        assert_eq!(r.insertion(0), b"mytool ");
        let r = at(&d, "X=1 myt", &mut f);
        assert_eq!(words(&r), ["mytool"]);
    }

    #[test]
    fn files_with_quoting() {
        let (d, mut f) = fixture();
        let r = at(&d, "cat @my", &mut f);
        assert_eq!(words(&r), ["@my file", "@my$dollar"]);
        let dir = d.path.to_string_lossy().into_owned() + "/";
        let w = format!("{dir}my file");
        assert_eq!(
            String::from_utf8_lossy(&r.quote(w.as_bytes(), true)),
            format!("{dir}my\\ file")
        );
        let r = at(&d, "cat @my\\ ", &mut f);
        assert_eq!(words(&r), ["@my file"]);
        let r = at(&d, "cat @it", &mut f);
        assert_eq!(r.insertion(0), b"@it\\'s ");
        let r = at(&d, "cat '@it", &mut f);
        assert_eq!(r.insertion(0), b"'@it'\\''s' ");
        let r = at(&d, "cat \"@my$", &mut f);
        // "$" in double quotes starts a variable name.
        assert_eq!(words(&r), ["$HOME", "$HOSTNAME", "$PATH"]);
        let r = at(&d, "cat @su", &mut f);
        assert_eq!(r.insertion(0), b"@sub\\ dir/");
        let r = at(&d, "cat @alp", &mut f);
        assert_eq!(r.common_prefix(), b"@alp");
        assert_eq!(r.listing(80), b"alpha   alpine\n");
    }

    #[test]
    fn cd_takes_directories() {
        let (d, mut f) = fixture();
        let r = at(&d, "cd @", &mut f);
        assert_eq!(words(&r), ["@bin/", "@sub dir/"]);
        let r = at(&d, "ls; cd @s", &mut f);
        assert_eq!(r.insertion(0), b"@sub\\ dir/");
        let r = at(&d, "echo @b", &mut f);
        assert_eq!(words(&r), ["@bin/"]);
        let r = at(&d, "echo @i", &mut f);
        assert_eq!(words(&r), ["@it's"]);
    }

    #[test]
    fn tilde_and_vars() {
        let (d, mut f) = fixture();
        let r = at(&d, "cd ~r", &mut f);
        assert_eq!(words(&r), ["~rob/", "~root/"]);
        let r = at(&d, "cd ~roo", &mut f);
        assert_eq!(r.insertion(0), b"~root/");
        let r = at(&d, "cat ~/my\\ f", &mut f);
        assert_eq!(words(&r), ["~/my file"]);
        assert_eq!(r.insertion(0), b"~/my\\ file ");
        let r = at(&d, "cat $HOME/al", &mut f);
        assert_eq!(words(&r), ["$HOME/alpha", "$HOME/alpine"]);
        let r = at(&d, "echo $HO", &mut f);
        assert_eq!(words(&r), ["$HOME", "$HOSTNAME"]);
        assert_eq!(r.start, 5);
        let r = at(&d, "echo ${PA", &mut f);
        assert_eq!(r.insertion(0), b"${PATH}");
    }

    #[test]
    fn snapshot_from_the_shell() {
        let (d, _) = fixture();
        let mut s = Snapshot {
            commands: vec![b"cd".to_vec(), b"mkfn".to_vec()],
            vars: vec![
                (
                    b"PATH".to_vec(),
                    [d.path.as_os_str().as_bytes(), b"/bin"].concat(),
                ),
                (b"PS1".to_vec(), b"$ ".to_vec()),
            ],
        };
        let r = complete(b"m", 1, &mut s);
        let w: Vec<_> = r.cands.iter().map(|c| c.word.clone()).collect();
        assert!(
            w.contains(&b"mkfn".to_vec()) && w.contains(&b"mytool".to_vec()),
            "{w:?}"
        );
        let r = complete(b"echo $P", 7, &mut s);
        assert_eq!(r.cands.len(), 2);
    }

    #[test]
    fn columns_layout() {
        let names: Vec<Vec<u8>> = ["a", "bb", "ccc", "d", "e"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        assert_eq!(columns(&names, 12), b"a    d\nbb   e\nccc\n");
        assert_eq!(columns(&names, 80), b"a    bb   ccc  d    e\n");
    }
}
