//! Tokens: operators, words (with their quoting and expansions parsed), here-document bodies.

use super::ast::*;
use super::input::Input;
use super::{PResult, Parser, SyntaxError};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    AndIf,
    OrIf,
    DSemi,
    SemiAmp,
    Amp,
    Semi,
    Pipe,
    LParen,
    RParen,
    Redir(ROp, bool),
}

#[derive(Debug, Clone)]
pub enum Tok {
    Word(Word),
    IoNum(i32),
    Op(Op),
    Newline,
    Eof,
}

impl Tok {
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => {
                let mut s = Vec::new();
                flat(&w.parts, &mut s);
                String::from_utf8_lossy(&s).into_owned()
            }
            Tok::IoNum(n) => n.to_string(),
            Tok::Newline => "newline".into(),
            Tok::Eof => "end of file".into(),
            Tok::Op(o) => match o {
                Op::AndIf => "&&",
                Op::OrIf => "||",
                Op::DSemi => ";;",
                Op::SemiAmp => ";&",
                Op::Amp => "&",
                Op::Semi => ";",
                Op::Pipe => "|",
                Op::LParen => "(",
                Op::RParen => ")",
                Op::Redir(r, dash) => match r {
                    ROp::In => "<",
                    ROp::Out => ">",
                    ROp::Clobber => ">|",
                    ROp::Append => ">>",
                    ROp::ReadWrite => "<>",
                    ROp::DupIn => "<&",
                    ROp::DupOut => ">&",
                    ROp::Here if *dash => "<<-",
                    ROp::Here => "<<",
                    ROp::HereStr => "<<<",
                    ROp::OutErr => "&>",
                },
            }
            .into(),
        }
    }
}

/// The literal text of parts, quotes removed (here-document delimiters, messages).
pub fn flat(parts: &[Part], out: &mut Vec<u8>) -> bool {
    let mut quoted = false;
    for p in parts {
        match p {
            Part::Lit(s) => out.extend_from_slice(s),
            Part::Quoted(s) => {
                quoted = true;
                out.extend_from_slice(s)
            }
            Part::DQuote(v) => {
                quoted = true;
                flat(v, out);
            }
            Part::Tilde(s) => {
                out.push(b'~');
                out.extend_from_slice(s)
            }
            Part::Param(p) => {
                out.push(b'$');
                match &p.name {
                    PName::Var(n) => out.extend_from_slice(n),
                    PName::Pos(n) => out.extend_from_slice(n.to_string().as_bytes()),
                    PName::Special(c) => out.push(*c),
                }
            }
            Part::CmdSub(_) => out.extend_from_slice(b"$(...)"),
            Part::Arith(_) => out.extend_from_slice(b"$((...))"),
        }
    }
    quoted
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Unquoted,
    DQuote,
    /// Inside ${...}: stop at `}` (and `/` for a pattern, `:` for an offset).
    ParamWord {
        dq: bool,
        slash: bool,
        colon: bool,
        sq: bool,
    },
    Arith,
    Heredoc,
}

pub fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
pub fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
pub fn is_name(s: &[u8]) -> bool {
    !s.is_empty() && is_name_start(s[0]) && s.iter().all(|&c| is_name_char(c))
}

fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn push_lit(parts: &mut Parts, c: u8, quoted: bool) {
    if quoted {
        if let Some(Part::Quoted(s)) = parts.last_mut() {
            s.push(c);
            return;
        }
        let mut v = Vec::with_capacity(16);
        v.push(c);
        parts.push(Part::Quoted(v));
    } else {
        if let Some(Part::Lit(s)) = parts.last_mut() {
            s.push(c);
            return;
        }
        let mut v = Vec::with_capacity(16);
        v.push(c);
        parts.push(Part::Lit(v));
    }
}

impl Parser {
    fn inp(&mut self) -> &mut Input {
        &mut self.input
    }

    pub(super) fn skip_blanks(&mut self) {
        loop {
            match self.inp().peek() {
                Some(b' ') | Some(b'\t') => {
                    self.inp().next();
                }
                Some(b'\\') if self.inp().peek2() == Some(b'\n') => {
                    self.inp().next();
                    self.inp().next();
                }
                Some(b'#') => {
                    while let Some(c) = self.inp().peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.inp().next();
                    }
                }
                _ => break,
            }
        }
    }

    /// Reads the next token from the input.
    pub(super) fn lex(&mut self) -> PResult<Tok> {
        self.skip_blanks();
        let c = match self.inp().peek() {
            None => return Ok(Tok::Eof),
            Some(c) => c,
        };
        let op = |p: &mut Parser, o: Op, n: usize| {
            for _ in 0..n {
                p.input.next();
            }
            Ok(Tok::Op(o))
        };
        match c {
            b'\n' => {
                self.inp().next();
                self.read_heredocs()?;
                Ok(Tok::Newline)
            }
            b';' => match self.inp().peek2() {
                Some(b';') => op(self, Op::DSemi, 2),
                Some(b'&') => op(self, Op::SemiAmp, 2),
                _ => op(self, Op::Semi, 1),
            },
            b'&' => match self.inp().peek2() {
                Some(b'&') => op(self, Op::AndIf, 2),
                Some(b'>') => op(self, Op::Redir(ROp::OutErr, false), 2),
                _ => op(self, Op::Amp, 1),
            },
            b'|' => match self.inp().peek2() {
                Some(b'|') => op(self, Op::OrIf, 2),
                _ => op(self, Op::Pipe, 1),
            },
            b'(' => op(self, Op::LParen, 1),
            b')' => op(self, Op::RParen, 1),
            b'<' => {
                self.inp().next();
                match self.inp().peek() {
                    Some(b'<') => {
                        self.inp().next();
                        match self.inp().peek() {
                            Some(b'<') => op(self, Op::Redir(ROp::HereStr, false), 1),
                            Some(b'-') => op(self, Op::Redir(ROp::Here, true), 1),
                            _ => op(self, Op::Redir(ROp::Here, false), 0),
                        }
                    }
                    Some(b'&') => op(self, Op::Redir(ROp::DupIn, false), 1),
                    Some(b'>') => op(self, Op::Redir(ROp::ReadWrite, false), 1),
                    _ => op(self, Op::Redir(ROp::In, false), 0),
                }
            }
            b'>' => {
                self.inp().next();
                match self.inp().peek() {
                    Some(b'>') => op(self, Op::Redir(ROp::Append, false), 1),
                    Some(b'&') => op(self, Op::Redir(ROp::DupOut, false), 1),
                    Some(b'|') => op(self, Op::Redir(ROp::Clobber, false), 1),
                    _ => op(self, Op::Redir(ROp::Out, false), 0),
                }
            }
            _ => {
                let parts = self.parse_parts(Ctx::Unquoted)?;
                if let [Part::Lit(s)] = parts.as_slice() {
                    if s.len() < 10 && s.iter().all(|c| c.is_ascii_digit()) {
                        if let Some(b'<' | b'>') = self.inp().peek() {
                            let n = std::str::from_utf8(s)
                                .ok()
                                .and_then(|x| x.parse().ok())
                                .unwrap_or(0);
                            return Ok(Tok::IoNum(n));
                        }
                    }
                }
                Ok(Tok::Word(Word { parts }))
            }
        }
    }

    fn err_eof(&self, what: &str) -> SyntaxError {
        self.error(format!("syntax error: {what}"))
    }

    /// Parses the parts of one word in context `ctx`, stopping before the terminator.
    pub(super) fn parse_parts(&mut self, ctx: Ctx) -> PResult<Parts> {
        self.enter()?;
        let r = self.parse_parts_inner(ctx);
        self.depth -= 1;
        r
    }

    fn parse_parts_inner(&mut self, ctx: Ctx) -> PResult<Parts> {
        let mut parts = Parts::default();
        let quoted_ctx = matches!(ctx, Ctx::DQuote | Ctx::Heredoc);
        let mut depth = 0i32;
        loop {
            let c = match self.inp().peek() {
                None => match ctx {
                    Ctx::Unquoted | Ctx::Heredoc => break,
                    Ctx::DQuote => return Err(self.err_eof("unterminated quoted string")),
                    Ctx::ParamWord { .. } => return Err(self.err_eof("missing '}'")),
                    Ctx::Arith => return Err(self.err_eof("missing '))'")),
                },
                Some(c) => c,
            };
            match ctx {
                Ctx::Unquoted if is_meta(c) => break,
                Ctx::DQuote if c == b'"' => break,
                Ctx::ParamWord { slash, colon, .. } => {
                    if c == b'}' || (slash && c == b'/') || (colon && c == b':') {
                        break;
                    }
                }
                Ctx::Arith => {
                    if c == b'(' {
                        depth += 1;
                    } else if c == b')' {
                        if depth == 0 {
                            if self.inp().peek2() == Some(b')') {
                                break;
                            }
                            return Err(self.err_eof("missing '))'"));
                        }
                        depth -= 1;
                    }
                }
                _ => {}
            }
            match c {
                b'\\' => {
                    self.inp().next();
                    match self.inp().peek() {
                        None => push_lit(&mut parts, b'\\', quoted_ctx),
                        Some(b'\n') => {
                            self.inp().next();
                        }
                        Some(d) => {
                            let special = match ctx {
                                Ctx::DQuote => matches!(d, b'$' | b'`' | b'"' | b'\\'),
                                Ctx::ParamWord {
                                    dq: true, sq: true, ..
                                } => true,
                                Ctx::ParamWord { dq: true, .. } => {
                                    matches!(d, b'$' | b'`' | b'"' | b'\\' | b'}')
                                }
                                Ctx::Heredoc | Ctx::Arith => matches!(d, b'$' | b'`' | b'\\'),
                                _ => true,
                            };
                            if special {
                                self.inp().next();
                                push_lit(&mut parts, d, true);
                            } else {
                                push_lit(&mut parts, b'\\', true);
                            }
                        }
                    }
                }
                b'\''
                    if matches!(
                        ctx,
                        Ctx::Unquoted
                            | Ctx::ParamWord { dq: false, .. }
                            | Ctx::ParamWord { sq: true, .. }
                    ) =>
                {
                    self.inp().next();
                    let mut s = Vec::new();
                    loop {
                        match self.inp().next() {
                            None => return Err(self.err_eof("unterminated quoted string")),
                            Some(b'\'') => break,
                            Some(d) => s.push(d),
                        }
                    }
                    parts.push(Part::Quoted(s));
                }
                b'"' if matches!(ctx, Ctx::Unquoted | Ctx::ParamWord { .. } | Ctx::Arith) => {
                    self.inp().next();
                    let inner = self.parse_parts(Ctx::DQuote)?;
                    self.inp().next();
                    parts.push(Part::DQuote(inner.to_vec()));
                }
                b'$' => {
                    self.inp().next();
                    self.parse_dollar(&mut parts, ctx, quoted_ctx)?;
                }
                b'`' => {
                    self.inp().next();
                    let l = self.parse_backquote(matches!(ctx, Ctx::DQuote))?;
                    parts.push(Part::CmdSub(Rc::new(l)));
                }
                _ => {
                    self.inp().next();
                    push_lit(&mut parts, c, quoted_ctx);
                }
            }
        }
        Ok(parts)
    }

    fn parse_dollar(&mut self, parts: &mut Parts, ctx: Ctx, quoted: bool) -> PResult<()> {
        let c = match self.inp().peek() {
            None => {
                push_lit(parts, b'$', quoted);
                return Ok(());
            }
            Some(c) => c,
        };
        match c {
            b'(' => {
                self.inp().next();
                if self.inp().peek() == Some(b'(') {
                    self.inp().next();
                    let inner = self.parse_parts(Ctx::Arith)?;
                    self.inp().next();
                    self.inp().next();
                    parts.push(Part::Arith(Box::new(Word { parts: inner })));
                } else {
                    let l = self.parse_subst_list()?;
                    parts.push(Part::CmdSub(Rc::new(l)));
                }
            }
            b'{' => {
                self.inp().next();
                let p = self.parse_brace_param(quoted)?;
                parts.push(Part::Param(Box::new(p)));
            }
            b'\'' if ctx == Ctx::Unquoted => {
                self.inp().next();
                let s = self.parse_dollar_single()?;
                parts.push(Part::Quoted(s));
            }
            b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' | b'0'..=b'9' => {
                self.inp().next();
                let name = if c.is_ascii_digit() && c != b'0' {
                    PName::Pos((c - b'0') as usize)
                } else {
                    PName::Special(c)
                };
                parts.push(Part::Param(Box::new(Param {
                    name,
                    op: POp::Plain,
                })));
            }
            c if is_name_start(c) => {
                let mut n = Vec::new();
                while let Some(d) = self.inp().peek() {
                    if !is_name_char(d) {
                        break;
                    }
                    n.push(d);
                    self.inp().next();
                }
                parts.push(Part::Param(Box::new(Param {
                    name: PName::Var(n),
                    op: POp::Plain,
                })));
            }
            _ => push_lit(parts, b'$', quoted),
        }
        Ok(())
    }

    fn parse_dollar_single(&mut self) -> PResult<Vec<u8>> {
        let mut s = Vec::new();
        loop {
            let c = match self.inp().next() {
                None => return Err(self.err_eof("unterminated quoted string")),
                Some(c) => c,
            };
            if c == b'\'' {
                break;
            }
            if c != b'\\' {
                s.push(c);
                continue;
            }
            let d = match self.inp().next() {
                None => return Err(self.err_eof("unterminated quoted string")),
                Some(d) => d,
            };
            match d {
                b'a' => s.push(7),
                b'b' => s.push(8),
                b'e' | b'E' => s.push(27),
                b'f' => s.push(12),
                b'n' => s.push(b'\n'),
                b'r' => s.push(b'\r'),
                b't' => s.push(b'\t'),
                b'v' => s.push(11),
                b'\\' | b'\'' | b'"' | b'?' => s.push(d),
                b'c' => {
                    if let Some(e) = self.inp().next() {
                        s.push(e & 0x1f);
                    }
                }
                b'0'..=b'7' => {
                    let mut v = (d - b'0') as u32;
                    for _ in 0..2 {
                        match self.inp().peek() {
                            Some(e @ b'0'..=b'7') => {
                                self.inp().next();
                                v = v * 8 + (e - b'0') as u32;
                            }
                            _ => break,
                        }
                    }
                    s.push(v as u8);
                }
                b'x' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 2 {
                        match self.inp().peek() {
                            Some(e) if e.is_ascii_hexdigit() => {
                                self.inp().next();
                                v = v * 16 + (e as char).to_digit(16).unwrap_or(0);
                                n += 1;
                            }
                            _ => break,
                        }
                    }
                    if n == 0 {
                        s.extend_from_slice(b"\\x");
                    } else {
                        s.push(v as u8);
                    }
                }
                b'u' | b'U' => {
                    let max = if d == b'u' { 4 } else { 8 };
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < max {
                        match self.inp().peek() {
                            Some(e) if e.is_ascii_hexdigit() => {
                                self.inp().next();
                                v = v * 16 + (e as char).to_digit(16).unwrap_or(0);
                                n += 1;
                            }
                            _ => break,
                        }
                    }
                    let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                    let mut b = [0u8; 4];
                    s.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
                _ => {
                    s.push(b'\\');
                    s.push(d);
                }
            }
        }
        Ok(s)
    }

    fn parse_brace_param(&mut self, dq: bool) -> PResult<Param> {
        let bad = |p: &Parser| p.error("syntax error: bad substitution".to_string());
        let mut length = false;
        if self.inp().peek() == Some(b'#') {
            match self.inp().peek2() {
                Some(b'}') => {
                    self.inp().next();
                    self.inp().next();
                    return Ok(Param {
                        name: PName::Special(b'#'),
                        op: POp::Plain,
                    });
                }
                Some(c) if is_name_char(c) || b"@*#?-$!".contains(&c) => {
                    self.inp().next();
                    length = true;
                }
                _ => {}
            }
        }
        let c = self.inp().peek().ok_or_else(|| bad(self))?;
        let name = if c.is_ascii_digit() {
            let mut n = 0usize;
            while let Some(d @ b'0'..=b'9') = self.inp().peek() {
                self.inp().next();
                n = n.saturating_mul(10).saturating_add((d - b'0') as usize);
            }
            if n == 0 {
                PName::Special(b'0')
            } else {
                PName::Pos(n)
            }
        } else if is_name_start(c) {
            let mut n = Vec::new();
            while let Some(d) = self.inp().peek() {
                if !is_name_char(d) {
                    break;
                }
                n.push(d);
                self.inp().next();
            }
            PName::Var(n)
        } else if b"@*#?-$!".contains(&c) {
            self.inp().next();
            PName::Special(c)
        } else {
            return Err(bad(self));
        };
        let pw = |p: &mut Parser, slash: bool, colon: bool| -> PResult<Word> {
            Ok(Word {
                parts: p.parse_parts(Ctx::ParamWord {
                    dq,
                    slash,
                    colon,
                    sq: false,
                })?,
            })
        };
        let pat = |p: &mut Parser, slash: bool| -> PResult<Word> {
            Ok(Word {
                parts: p.parse_parts(Ctx::ParamWord {
                    dq,
                    slash,
                    colon: false,
                    sq: true,
                })?,
            })
        };
        let c = self
            .inp()
            .next()
            .ok_or_else(|| self.err_eof("missing '}'"))?;
        if length {
            if c != b'}' {
                return Err(bad(self));
            }
            return Ok(Param {
                name,
                op: POp::Length,
            });
        }
        let op = match c {
            b'}' => {
                return Ok(Param {
                    name,
                    op: POp::Plain,
                })
            }
            b':' => match self.inp().peek() {
                Some(b'-') => {
                    self.inp().next();
                    POp::Default(true, pw(self, false, false)?)
                }
                Some(b'=') => {
                    self.inp().next();
                    POp::Assign(true, pw(self, false, false)?)
                }
                Some(b'?') => {
                    self.inp().next();
                    POp::Error(true, pw(self, false, false)?)
                }
                Some(b'+') => {
                    self.inp().next();
                    POp::Alt(true, pw(self, false, false)?)
                }
                _ => {
                    let off = pw(self, false, true)?;
                    let len = if self.inp().peek() == Some(b':') {
                        self.inp().next();
                        Some(pw(self, false, false)?)
                    } else {
                        None
                    };
                    POp::Substr(off, len)
                }
            },
            b'-' => POp::Default(false, pw(self, false, false)?),
            b'=' => POp::Assign(false, pw(self, false, false)?),
            b'?' => POp::Error(false, pw(self, false, false)?),
            b'+' => POp::Alt(false, pw(self, false, false)?),
            b'%' => {
                let long = self.inp().peek() == Some(b'%');
                if long {
                    self.inp().next();
                }
                POp::RSuffix(long, pat(self, false)?)
            }
            b'#' => {
                let long = self.inp().peek() == Some(b'#');
                if long {
                    self.inp().next();
                }
                POp::RPrefix(long, pat(self, false)?)
            }
            b'/' => {
                let mut all = false;
                let mut anchor = 0;
                match self.inp().peek() {
                    Some(b'/') => {
                        all = true;
                        self.inp().next();
                    }
                    Some(b'#') => {
                        anchor = 1;
                        self.inp().next();
                    }
                    Some(b'%') => {
                        anchor = 2;
                        self.inp().next();
                    }
                    _ => {}
                }
                let pat = pat(self, true)?;
                let rep = if self.inp().peek() == Some(b'/') {
                    self.inp().next();
                    pw(self, false, false)?
                } else {
                    Word::default()
                };
                POp::Replace(all, anchor, pat, rep)
            }
            _ => return Err(bad(self)),
        };
        match self.inp().next() {
            Some(b'}') => Ok(Param { name, op }),
            _ => Err(self.err_eof("missing '}'")),
        }
    }

    fn parse_backquote(&mut self, dq: bool) -> PResult<List> {
        let mut text = Vec::new();
        loop {
            let c = match self.inp().next() {
                None => return Err(self.err_eof("unterminated quoted string")),
                Some(c) => c,
            };
            match c {
                b'`' => break,
                b'\\' => match self.inp().peek() {
                    Some(d) if d == b'$' || d == b'`' || d == b'\\' || (dq && d == b'"') => {
                        self.inp().next();
                        text.push(d);
                    }
                    Some(b'\n') => {
                        self.inp().next();
                    }
                    _ => text.push(b'\\'),
                },
                _ => text.push(c),
            }
        }
        let mut sub = self.sub_parser(text);
        let l = sub.parse_all()?;
        Ok(l)
    }

    /// `$( ... )`: a list parsed from the same input up to the closing `)`.
    fn parse_subst_list(&mut self) -> PResult<List> {
        self.enter()?;
        let saved = self.peeked.take();
        let l = self.compound_list()?;
        match self.take()? {
            Tok::Op(Op::RParen) => {}
            t => return Err(self.unexpected(&t, Some(")"))),
        }
        self.peeked = saved;
        self.depth -= 1;
        Ok(l)
    }

    /// Reads the bodies of the here-documents whose operators were on the line just ended.
    pub(super) fn read_heredocs(&mut self) -> PResult<()> {
        let pending = std::mem::take(&mut self.pending);
        for (doc, delim, strip) in pending {
            let mut body = Vec::new();
            loop {
                let mut line = Vec::new();
                let mut got = false;
                while let Some(c) = self.inp().next() {
                    got = true;
                    if c == b'\n' {
                        break;
                    }
                    line.push(c);
                }
                let mut l: &[u8] = &line;
                if strip {
                    while let Some(b'\t') = l.first() {
                        l = &l[1..];
                    }
                }
                if l == delim.as_slice() || !got {
                    break;
                }
                body.extend_from_slice(l);
                body.push(b'\n');
            }
            let w = if doc.quoted {
                Word {
                    parts: Parts::One(Part::Quoted(body)),
                }
            } else {
                let mut sub = self.sub_parser(body);
                Word {
                    parts: sub.parse_parts(Ctx::Heredoc)?,
                }
            };
            *doc.body.borrow_mut() = w;
        }
        Ok(())
    }
}
