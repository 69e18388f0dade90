//! Word expansion in POSIX order: tilde, parameters, command substitution, arithmetic, field
//! splitting, pathname expansion, quote removal.

pub mod arith;
pub mod pattern;

use crate::shell::{Flow, Shell};
use crate::syntax::ast::*;

/// Per-byte flags while a word is being expanded.
const QUOTED: u8 = 1;
/// From an unquoted expansion: subject to field splitting.
const SPLIT: u8 = 2;

#[derive(Default)]
struct Field {
    b: Vec<u8>,
    f: Vec<u8>,
    /// Has a quoted part (so an empty result is still a field).
    quoted: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Fields: split and glob.
    Fields,
    /// One string, no splitting, no globbing (assignments, here-documents, case words).
    Single,
    /// One string as an escaped pattern.
    Pattern,
}

struct Acc {
    done: Vec<Field>,
    cur: Field,
    mode: Mode,
    /// Inside the word of an unquoted `${v:-word}` or `${v:+word}`: its text is split too.
    in_param: u32,
}

impl Acc {
    fn push(&mut self, s: &[u8], flag: u8) {
        self.cur.b.extend_from_slice(s);
        if self.mode != Mode::Single {
            self.cur.f.extend(std::iter::repeat_n(flag, s.len()));
        }
    }
    fn brk(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.done.push(f);
    }
}

fn is_ifs_ws(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n'
}

pub type ExpResult<T> = Result<T, Flow>;

impl Shell {
    /// Expands command words into fields.
    pub fn expand_words(&mut self, words: &[Word]) -> ExpResult<Vec<Vec<u8>>> {
        let mut out = Vec::with_capacity(words.len());
        for w in words {
            // Fast path: a plain literal without wildcards.
            if let [Part::Lit(s)] = w.parts.as_slice() {
                if s.first() != Some(&b'~') && (self.opts.noglob || !pattern::has_magic(s)) {
                    out.push(s.clone());
                    continue;
                }
            }
            // Fast paths: `$name` whose value needs no splitting or globbing, and `"$name"`.
            match w.parts.as_slice() {
                [Part::Param(p)] => {
                    if let (PName::Var(n), POp::Plain) = (&p.name, &p.op) {
                        if let Some(v) = self.vars.get(n) {
                            let ifs = self.vars.get(b"IFS").unwrap_or(b" \t\n");
                            if !v.is_empty()
                                && !v.iter().any(|c| ifs.contains(c))
                                && (self.opts.noglob || !pattern::has_magic(v))
                                && !v.contains(&b'\\')
                            {
                                out.push(v.to_vec());
                                continue;
                            }
                        }
                    }
                }
                [Part::DQuote(inner)] => {
                    if let [Part::Param(p)] = inner.as_slice() {
                        if let (PName::Var(n), POp::Plain) = (&p.name, &p.op) {
                            if let Some(v) = self.vars.get(n) {
                                out.push(v.to_vec());
                                continue;
                            }
                        }
                    }
                }
                _ => {}
            }
            self.expand_fields(w, &mut out)?;
        }
        Ok(out)
    }

    fn expand_fields(&mut self, w: &Word, out: &mut Vec<Vec<u8>>) -> ExpResult<()> {
        let mut acc = Acc {
            done: Vec::new(),
            cur: Field::default(),
            mode: Mode::Fields,
            in_param: 0,
        };
        self.expand_parts(&w.parts, false, &mut acc, true)?;
        acc.brk();
        let ifs: Vec<u8> = self
            .vars
            .get(b"IFS")
            .map(|s| s.to_vec())
            .unwrap_or(b" \t\n".to_vec());
        for f in acc.done {
            let pieces = split_field(f, &ifs);
            for (b, fl) in pieces {
                self.glob_field(b, fl, out);
            }
        }
        Ok(())
    }

    fn glob_field(&mut self, b: Vec<u8>, fl: Vec<u8>, out: &mut Vec<Vec<u8>>) {
        if self.opts.noglob {
            out.push(b);
            return;
        }
        let magic = b.iter().zip(fl.iter()).enumerate().any(|(i, (&c, &f))| {
            f & QUOTED == 0 && (c == b'*' || c == b'?' || (c == b'[' && b[i + 1..].contains(&b']')))
        });
        if !magic {
            out.push(b);
            return;
        }
        let mut pat = Vec::with_capacity(b.len() + 4);
        for (&c, &f) in b.iter().zip(fl.iter()) {
            if (f & QUOTED != 0 && matches!(c, b'*' | b'?' | b'[' | b']' | b'\\'))
                || (c == b'\\' && f & QUOTED == 0 && f & SPLIT != 0)
            {
                pat.push(b'\\');
            }
            pat.push(c);
        }
        let m = pattern::glob(&pat);
        if m.is_empty() {
            out.push(b);
        } else {
            out.extend(m);
        }
    }

    /// Expands to one string: no field splitting, no pathname expansion.
    pub fn expand_single(&mut self, w: &Word) -> ExpResult<Vec<u8>> {
        if let [Part::Lit(s)] = w.parts.as_slice() {
            if s.first() != Some(&b'~') {
                return Ok(s.clone());
            }
        }
        let mut acc = Acc {
            done: Vec::new(),
            cur: Field::default(),
            mode: Mode::Single,
            in_param: 0,
        };
        self.expand_parts(&w.parts, false, &mut acc, true)?;
        Ok(acc.cur.b)
    }

    /// An assignment's value: tilde after `=` and `:` too.
    pub fn expand_assign(&mut self, w: &Word) -> ExpResult<Vec<u8>> {
        match w.parts.as_slice() {
            [Part::Lit(s)] => {
                if !s.contains(&b'~') {
                    return Ok(s.clone());
                }
            }
            [Part::Param(p)] if matches!(p.op, POp::Plain) && !self.opts.nounset => {
                if let PName::Var(_) | PName::Pos(_) = p.name {
                    return Ok(self.param_value(&p.name).unwrap_or_default());
                }
            }
            [Part::Param(p)] if !self.opts.nounset => {
                // ${name#lit} ${name%%lit} ...: no copies but the result.
                if let (PName::Var(n), POp::RSuffix(long, w) | POp::RPrefix(long, w)) =
                    (&p.name, &p.op)
                {
                    if let [Part::Lit(pat)] = w.parts.as_slice() {
                        let v = self.vars.get(n).unwrap_or(b"");
                        let suffix = matches!(p.op, POp::RSuffix(..));
                        return Ok(remove(v, pat, suffix, *long).to_vec());
                    }
                }
            }
            [Part::Arith(a)] => {
                if let [Part::Lit(e)] = a.parts.as_slice() {
                    let v = match arith::eval(e, self) {
                        Ok(v) => v,
                        Err(m) => {
                            self.error(&m);
                            return Err(Flow::Exit(2));
                        }
                    };
                    return Ok(v.to_string().into_bytes());
                }
            }
            _ => {}
        }
        let mut acc = Acc {
            done: Vec::new(),
            cur: Field::default(),
            mode: Mode::Single,
            in_param: 0,
        };
        for (i, p) in w.parts.iter().enumerate() {
            if let Part::Lit(s) = p {
                // tilde at start or after ':'
                let mut seg_start = true;
                let mut j = 0;
                while j < s.len() {
                    if s[j] == b'~' && seg_start && (i == 0 || j > 0) {
                        let end = s[j..]
                            .iter()
                            .position(|&c| c == b'/' || c == b':')
                            .map(|e| j + e)
                            .unwrap_or(s.len());
                        let at_end_of_word = end < s.len() || i + 1 == w.parts.len();
                        if at_end_of_word {
                            if let Some(h) = self.tilde(&s[j + 1..end]) {
                                acc.push(&h, QUOTED);
                                j = end;
                                seg_start = false;
                                continue;
                            }
                        }
                    }
                    seg_start = s[j] == b':';
                    acc.push(&s[j..j + 1], 0);
                    j += 1;
                }
            } else {
                self.expand_parts(std::slice::from_ref(p), false, &mut acc, false)?;
            }
        }
        Ok(acc.cur.b)
    }

    /// Expands to an escaped pattern (quoted characters are literal).
    pub fn expand_pattern(&mut self, w: &Word) -> ExpResult<Vec<u8>> {
        let mut acc = Acc {
            done: Vec::new(),
            cur: Field::default(),
            mode: Mode::Pattern,
            in_param: 0,
        };
        self.expand_parts(&w.parts, false, &mut acc, true)?;
        let mut pat = Vec::with_capacity(acc.cur.b.len());
        for (&c, &f) in acc.cur.b.iter().zip(acc.cur.f.iter()) {
            if f & QUOTED != 0 && matches!(c, b'*' | b'?' | b'[' | b']' | b'\\') {
                pat.push(b'\\');
            }
            pat.push(c);
        }
        Ok(pat)
    }

    fn tilde(&self, user: &[u8]) -> Option<Vec<u8>> {
        if user.is_empty() {
            return self.vars.get(b"HOME").map(|h| h.to_vec());
        }
        let data = std::fs::read("/etc/passwd").ok()?;
        for line in data.split(|&c| c == b'\n') {
            let f: Vec<&[u8]> = line.split(|&c| c == b':').collect();
            if f.len() >= 6 && f[0] == user {
                return Some(f[5].to_vec());
            }
        }
        None
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        quoted: bool,
        acc: &mut Acc,
        word_start: bool,
    ) -> ExpResult<()> {
        for (i, p) in parts.iter().enumerate() {
            match p {
                Part::Lit(s) => {
                    if i == 0 && word_start && !quoted && s.first() == Some(&b'~') {
                        let end = s.iter().position(|&c| c == b'/').unwrap_or(s.len());
                        if end < s.len() || parts.len() == 1 {
                            if let Some(h) = self.tilde(&s[1..end]) {
                                acc.push(&h, QUOTED);
                                acc.push(&s[end..], if quoted { QUOTED } else { 0 });
                                continue;
                            }
                        }
                    }
                    let flag = if quoted {
                        QUOTED
                    } else if acc.in_param > 0 {
                        SPLIT
                    } else {
                        0
                    };
                    acc.push(s, flag)
                }
                Part::Quoted(s) => {
                    acc.cur.quoted = true;
                    acc.push(s, QUOTED)
                }
                Part::Tilde(u) => {
                    let h = self.tilde(u).unwrap_or_else(|| {
                        let mut v = b"~".to_vec();
                        v.extend_from_slice(u);
                        v
                    });
                    acc.push(&h, QUOTED)
                }
                Part::DQuote(inner) => {
                    let only_at = inner.len() == 1
                        && matches!(&inner[0], Part::Param(p) if p.name == PName::Special(b'@') && matches!(p.op, POp::Plain));
                    if !only_at {
                        acc.cur.quoted = true;
                    }
                    self.expand_parts(inner, true, acc, false)?;
                }
                Part::Param(pp) => self.expand_param(pp, quoted, acc)?,
                Part::CmdSub(l) => {
                    let v = self.command_subst(l)?;
                    acc.push(&v, if quoted { QUOTED } else { SPLIT });
                }
                Part::Arith(w) => {
                    let s = self.expand_single(w)?;
                    let v = self.arith(&s)?;
                    acc.push(
                        v.to_string().as_bytes(),
                        if quoted { QUOTED } else { SPLIT },
                    );
                }
            }
        }
        Ok(())
    }

    pub fn arith(&mut self, s: &[u8]) -> ExpResult<i64> {
        match arith::eval(s, self) {
            Ok(v) => Ok(v),
            Err(m) => {
                self.error(&m);
                Err(Flow::Exit(2))
            }
        }
    }

    /// A parameter's value (None when unset). `$@`/`$*` joined by spaces.
    pub fn param_value(&mut self, n: &PName) -> Option<Vec<u8>> {
        match n {
            PName::Var(v) => self.get_var(v),
            PName::Pos(i) => self.pos.get(*i - 1).cloned(),
            PName::Special(c) => Some(match c {
                b'@' | b'*' => {
                    if self.pos.is_empty() {
                        return if *c == b'@' { None } else { Some(Vec::new()) };
                    }
                    self.pos.join(&b' ')
                }
                b'#' => self.pos.len().to_string().into_bytes(),
                b'?' => self.status.to_string().into_bytes(),
                b'-' => self.opts.dash(),
                b'$' => self.rootpid.to_string().into_bytes(),
                b'!' => {
                    if self.last_bg == 0 {
                        return None;
                    }
                    self.last_bg.to_string().into_bytes()
                }
                b'0' => self.arg0.clone(),
                _ => return None,
            }),
        }
    }

    fn name_str(n: &PName) -> Vec<u8> {
        match n {
            PName::Var(v) => v.clone(),
            PName::Pos(i) => i.to_string().into_bytes(),
            PName::Special(c) => vec![*c],
        }
    }

    fn expand_param(&mut self, pp: &Param, quoted: bool, acc: &mut Acc) -> ExpResult<()> {
        let flag = if quoted { QUOTED } else { SPLIT };
        let is_list = matches!(pp.name, PName::Special(b'@') | PName::Special(b'*'));
        if is_list && matches!(pp.op, POp::Plain) {
            let star = pp.name == PName::Special(b'*');
            if quoted && star {
                let sep: Vec<u8> = match self.vars.get(b"IFS") {
                    Some(s) => s.first().map(|c| vec![*c]).unwrap_or_default(),
                    None => b" ".to_vec(),
                };
                let joined = self.pos.join(&sep[..]);
                acc.push(&joined, QUOTED);
                return Ok(());
            }
            let params = self.pos.clone();
            for (i, a) in params.iter().enumerate() {
                if i > 0 {
                    if acc.mode == Mode::Fields {
                        acc.brk();
                        if quoted {
                            acc.cur.quoted = true;
                        }
                    } else {
                        acc.push(b" ", flag);
                    }
                } else if quoted {
                    acc.cur.quoted = true;
                }
                acc.push(a, flag);
            }
            return Ok(());
        }
        let val = self.param_value(&pp.name);
        let set = |v: &Option<Vec<u8>>, colon: bool| match v {
            None => false,
            Some(s) => !(colon && s.is_empty()),
        };
        match &pp.op {
            POp::Plain => match val {
                Some(v) => acc.push(&v, flag),
                None => {
                    if self.opts.nounset && !is_list && pp.name != PName::Special(b'!') {
                        return Err(self.unset_error(&pp.name));
                    }
                }
            },
            POp::Length => {
                let n = if is_list {
                    self.pos.len()
                } else {
                    match &val {
                        Some(v) => v.len(),
                        None => {
                            if self.opts.nounset {
                                return Err(self.unset_error(&pp.name));
                            }
                            0
                        }
                    }
                };
                acc.push(n.to_string().as_bytes(), flag);
            }
            POp::Default(colon, w) => {
                if set(&val, *colon) {
                    if is_list && !quoted {
                        let p = Param {
                            name: pp.name.clone(),
                            op: POp::Plain,
                        };
                        return self.expand_param(&p, quoted, acc);
                    }
                    if is_list && quoted && pp.name == PName::Special(b'@') {
                        let p = Param {
                            name: pp.name.clone(),
                            op: POp::Plain,
                        };
                        return self.expand_param(&p, quoted, acc);
                    }
                    acc.push(&val.unwrap_or_default(), flag);
                } else {
                    acc.in_param += 1;
                    let r = self.expand_parts(&w.parts, quoted, acc, !quoted);
                    acc.in_param -= 1;
                    r?;
                }
            }
            POp::Assign(colon, w) => {
                if set(&val, *colon) {
                    acc.push(&val.unwrap_or_default(), flag);
                } else {
                    let v = self.expand_single(w)?;
                    match &pp.name {
                        PName::Var(n) => {
                            if self.set_var(n, &v).is_err() {
                                return Err(Flow::Exit(2));
                            }
                        }
                        other => {
                            let n = Self::name_str(other);
                            self.error(&format!(
                                "{}: bad variable name",
                                String::from_utf8_lossy(&n)
                            ));
                            return Err(Flow::Exit(2));
                        }
                    }
                    acc.push(&v, flag);
                }
            }
            POp::Error(colon, w) => {
                if set(&val, *colon) {
                    acc.push(&val.unwrap_or_default(), flag);
                } else {
                    let msg = self.expand_single(w)?;
                    let n = Self::name_str(&pp.name);
                    let m = if msg.is_empty() {
                        if *colon && val.is_some() {
                            "parameter null or not set".to_string()
                        } else {
                            "parameter not set".to_string()
                        }
                    } else {
                        String::from_utf8_lossy(&msg).into_owned()
                    };
                    self.error(&format!("{}: {}", String::from_utf8_lossy(&n), m));
                    return Err(Flow::Exit(2));
                }
            }
            POp::Alt(colon, w) => {
                if set(&val, *colon) {
                    acc.in_param += 1;
                    let r = self.expand_parts(&w.parts, quoted, acc, !quoted);
                    acc.in_param -= 1;
                    r?;
                }
            }
            POp::RSuffix(long, w) | POp::RPrefix(long, w) => {
                let v = match val {
                    Some(v) => v,
                    None => {
                        if self.opts.nounset {
                            return Err(self.unset_error(&pp.name));
                        }
                        Vec::new()
                    }
                };
                let pat = self.expand_pattern(w)?;
                let suffix = matches!(pp.op, POp::RSuffix(..));
                let r = remove(&v, &pat, suffix, *long);
                acc.push(r, flag);
            }
            POp::Substr(off, len) => {
                let v = val.unwrap_or_default();
                let o = self.expand_single(off)?;
                let mut o = self.arith(&o)?;
                let n = v.len() as i64;
                if o < 0 {
                    o += n;
                    if o < 0 {
                        o = 0;
                    }
                }
                let o = o.min(n);
                let mut end = n;
                if let Some(l) = len {
                    let l = self.expand_single(l)?;
                    let l = self.arith(&l)?;
                    end = if l < 0 {
                        (n + l).max(o)
                    } else {
                        (o + l).min(n)
                    };
                }
                acc.push(&v[o as usize..end.max(o) as usize], flag);
            }
            POp::Replace(all, anchor, p, r) => {
                let v = val.unwrap_or_default();
                let pat = self.expand_pattern(p)?;
                let rep = self.expand_single(r)?;
                let out = replace(&v, &pat, &rep, *all, *anchor);
                acc.push(&out, flag);
            }
        }
        Ok(())
    }

    fn unset_error(&mut self, n: &PName) -> Flow {
        let n = Self::name_str(n);
        self.error(&format!(
            "{}: parameter not set",
            String::from_utf8_lossy(&n)
        ));
        Flow::Exit(2)
    }
}

fn remove<'a>(v: &'a [u8], pat: &[u8], suffix: bool, long: bool) -> &'a [u8] {
    let n = v.len();
    if suffix {
        let range: Box<dyn Iterator<Item = usize>> = if long {
            Box::new(0..=n)
        } else {
            Box::new((0..=n).rev())
        };
        for i in range {
            if pattern::pmatch(pat, &v[i..]) {
                return &v[..i];
            }
        }
    } else {
        let range: Box<dyn Iterator<Item = usize>> = if long {
            Box::new((0..=n).rev())
        } else {
            Box::new(0..=n)
        };
        for i in range {
            if pattern::pmatch(pat, &v[..i]) {
                return &v[i..];
            }
        }
    }
    v
}

fn replace(v: &[u8], pat: &[u8], rep: &[u8], all: bool, anchor: u8) -> Vec<u8> {
    let n = v.len();
    match anchor {
        1 => {
            for e in (0..=n).rev() {
                if pattern::pmatch(pat, &v[..e]) {
                    let mut o = rep.to_vec();
                    o.extend_from_slice(&v[e..]);
                    return o;
                }
            }
            return v.to_vec();
        }
        2 => {
            for s in 0..=n {
                if pattern::pmatch(pat, &v[s..]) {
                    let mut o = v[..s].to_vec();
                    o.extend_from_slice(rep);
                    return o;
                }
            }
            return v.to_vec();
        }
        _ => {}
    }
    if pat.is_empty() {
        return v.to_vec();
    }
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    let mut done = false;
    while i < n {
        if !done {
            let mut matched = None;
            for e in (i + 1..=n).rev() {
                if pattern::pmatch(pat, &v[i..e]) {
                    matched = Some(e);
                    break;
                }
            }
            if let Some(e) = matched {
                out.extend_from_slice(rep);
                i = e;
                if !all {
                    done = true;
                }
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// IFS field splitting of one raw field: (bytes, flags) of each resulting field.
fn split_field(f: Field, ifs: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let Field { b, f: fl, quoted } = f;
    let splittable = |i: usize| fl[i] & SPLIT != 0 && ifs.contains(&b[i]);
    if !fl.iter().any(|x| x & SPLIT != 0) || ifs.is_empty() {
        if b.is_empty() && !quoted {
            return Vec::new();
        }
        return vec![(b, fl)];
    }
    let mut out = Vec::new();
    let n = b.len();
    let mut i = 0;
    let mut cur = Vec::new();
    let mut curf = Vec::new();
    // A field is started by any non-delimiter byte, or a quoted empty part.
    let mut started = false;
    while i < n && splittable(i) && is_ifs_ws(b[i]) {
        i += 1;
    }
    while i < n {
        if splittable(i) {
            out.push((std::mem::take(&mut cur), std::mem::take(&mut curf)));
            started = false;
            if is_ifs_ws(b[i]) {
                while i < n && splittable(i) && is_ifs_ws(b[i]) {
                    i += 1;
                }
                if i < n && splittable(i) && !is_ifs_ws(b[i]) {
                    i += 1;
                    while i < n && splittable(i) && is_ifs_ws(b[i]) {
                        i += 1;
                    }
                }
            } else {
                i += 1;
                while i < n && splittable(i) && is_ifs_ws(b[i]) {
                    i += 1;
                }
            }
            continue;
        }
        cur.push(b[i]);
        curf.push(fl[i]);
        started = true;
        i += 1;
    }
    if started || (out.is_empty() && quoted) {
        out.push((cur, curf));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Command;
    use crate::syntax::{input::Input, Parser};

    /// Expands the words of `echo ...` in a fresh shell (no fork: no command substitution).
    fn fields(sh: &mut Shell, line: &str) -> Vec<String> {
        let mut p = Parser::new(Input::mem(line.as_bytes().to_vec()));
        let l = p.parse_all().unwrap();
        let Command::Simple(s) = &l.items[0].first.cmds[0] else {
            panic!("not simple")
        };
        sh.expand_words(&s.words[1..])
            .unwrap()
            .into_iter()
            .map(|f| String::from_utf8(f).unwrap())
            .collect()
    }

    #[test]
    fn expansion_without_forking() {
        let mut sh = Shell::new();
        sh.vars.set(b"v", b"a  b", false).unwrap();
        sh.vars.set(b"p", b"/x/y.tar.gz", false).unwrap();
        sh.pos = vec![b"1 2".to_vec(), b"".to_vec(), b"3".to_vec()];
        assert_eq!(fields(&mut sh, "echo $v \"$v\""), ["a", "b", "a  b"]);
        assert_eq!(fields(&mut sh, "echo \"$@\""), ["1 2", "", "3"]);
        assert_eq!(fields(&mut sh, "echo $@"), ["1", "2", "3"]);
        assert_eq!(fields(&mut sh, "echo \"$*\""), ["1 2  3"]);
        assert_eq!(
            fields(&mut sh, "echo ${p##*/} ${p%%.*} ${#p}"),
            ["y.tar.gz", "/x/y", "11"]
        );
        assert_eq!(
            fields(&mut sh, "echo ${u:-d e} \"${u:-d e}\""),
            ["d", "e", "d e"]
        );
        assert_eq!(fields(&mut sh, "echo $((1+2*3)) x$((7%4))y"), ["7", "x3y"]);
        assert_eq!(
            fields(&mut sh, "echo ${v/a/X} ${p//[.]/_}"),
            ["X", "b", "/x/y_tar_gz"]
        );
        assert_eq!(fields(&mut sh, "echo '$v' \\$v"), ["$v", "$v"]);
        sh.vars.set(b"IFS", b":", false).unwrap();
        sh.vars.set(b"c", b"a::b:", false).unwrap();
        assert_eq!(fields(&mut sh, "echo $c"), ["a", "", "b"]);
    }

    fn split(s: &[u8], ifs: &[u8]) -> Vec<Vec<u8>> {
        let f = Field {
            b: s.to_vec(),
            f: vec![SPLIT; s.len()],
            quoted: false,
        };
        split_field(f, ifs).into_iter().map(|x| x.0).collect()
    }

    #[test]
    fn ifs_rules() {
        assert_eq!(
            split(b"  a  b ", b" \t\n"),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
        assert_eq!(
            split(b"a::b", b":"),
            vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()]
        );
        assert_eq!(split(b":a", b":"), vec![b"".to_vec(), b"a".to_vec()]);
        assert_eq!(split(b"a:", b":"), vec![b"a".to_vec()]);
        assert_eq!(split(b"a : b", b" :"), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(split(b"", b" "), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn remove_and_replace() {
        assert_eq!(remove(b"a.b.c", b"*.", false, false), b"b.c");
        assert_eq!(remove(b"a.b.c", b"*.", false, true), b"c");
        assert_eq!(remove(b"a.b.c", b".*", true, false), b"a.b");
        assert_eq!(remove(b"a.b.c", b".*", true, true), b"a");
        assert_eq!(replace(b"aXbXc", b"X", b"-", false, 0), b"a-bXc");
        assert_eq!(replace(b"aXbXc", b"X", b"-", true, 0), b"a-b-c");
        assert_eq!(replace(b"abc", b"a", b"-", false, 1), b"-bc");
        assert_eq!(replace(b"abc", b"c", b"-", false, 2), b"ab-");
    }
}
