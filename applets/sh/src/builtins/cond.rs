//! `[[ ... ]]`: words are expanded without splitting or globbing; the right side of `==` and
//! `!=` is a pattern, `=~` an extended regular expression (POSIX regcomp).

use super::test::{binary, binary_op, unary, unary_op};
use crate::expand::pattern::pmatch;
use crate::shell::{Flow, Res, Shell};
use crate::syntax::ast::CondTok;

struct C<'a> {
    t: &'a [CondTok],
    i: usize,
}

pub fn run(sh: &mut Shell, toks: &[CondTok]) -> Res {
    let mut c = C { t: toks, i: 0 };
    match c.or(sh) {
        Ok(v) if c.i == toks.len() => Ok((!v) as i32),
        Ok(_) => {
            sh.error("[[: syntax error");
            Ok(2)
        }
        Err(Ok(m)) => {
            sh.error(&format!("[[: {m}"));
            Ok(2)
        }
        Err(Err(f)) => Err(f),
    }
}

type R = Result<bool, Result<String, Flow>>;

fn word_lit(t: Option<&CondTok>) -> Option<&[u8]> {
    match t {
        Some(CondTok::Word(w)) => w.as_lit(),
        _ => None,
    }
}

impl<'a> C<'a> {
    fn or(&mut self, sh: &mut Shell) -> R {
        let mut v = self.and(sh)?;
        while let Some(CondTok::Or) = self.t.get(self.i) {
            self.i += 1;
            if v {
                self.skip_and(sh)?;
            } else {
                v = self.and(sh)?;
            }
        }
        Ok(v)
    }
    fn skip_and(&mut self, sh: &mut Shell) -> R {
        // evaluate for syntax only, without side effects is hard; evaluate normally
        self.and(sh)
    }
    fn and(&mut self, sh: &mut Shell) -> R {
        let mut v = self.not(sh)?;
        while let Some(CondTok::And) = self.t.get(self.i) {
            self.i += 1;
            let r = self.not(sh)?;
            v = v && r;
        }
        Ok(v)
    }
    fn not(&mut self, sh: &mut Shell) -> R {
        if let Some(CondTok::Not) = self.t.get(self.i) {
            self.i += 1;
            return Ok(!self.not(sh)?);
        }
        self.prim(sh)
    }
    fn word(&mut self, sh: &mut Shell) -> Result<Vec<u8>, Result<String, Flow>> {
        match self.t.get(self.i) {
            Some(CondTok::Word(w)) => {
                self.i += 1;
                sh.expand_single(w).map_err(Err)
            }
            _ => Err(Ok("syntax error".into())),
        }
    }
    fn prim(&mut self, sh: &mut Shell) -> R {
        if let Some(CondTok::LParen) = self.t.get(self.i) {
            self.i += 1;
            let v = self.or(sh)?;
            match self.t.get(self.i) {
                Some(CondTok::RParen) => self.i += 1,
                _ => return Err(Ok("syntax error".into())),
            }
            return Ok(v);
        }
        // unary
        if let Some(op) = word_lit(self.t.get(self.i)) {
            if unary_op(op) && matches!(self.t.get(self.i + 1), Some(CondTok::Word(_))) {
                let op = op.to_vec();
                self.i += 1;
                let x = self.word(sh)?;
                return unary(&op, &x).map_err(Ok);
            }
        }
        let l = self.word(sh)?;
        let op: Vec<u8> = match self.t.get(self.i) {
            Some(CondTok::Lt) => b"<".to_vec(),
            Some(CondTok::Gt) => b">".to_vec(),
            Some(CondTok::Word(w)) => match w.as_lit() {
                Some(o) if binary_op(o) || o == b"=~" => o.to_vec(),
                _ => return Err(Ok("syntax error".into())),
            },
            _ => return Ok(!l.is_empty()),
        };
        self.i += 1;
        match op.as_slice() {
            b"==" | b"=" | b"!=" => {
                let Some(CondTok::Word(w)) = self.t.get(self.i) else {
                    return Err(Ok("syntax error".into()));
                };
                self.i += 1;
                let p = sh.expand_pattern(w).map_err(Err)?;
                let m = pmatch(&p, &l);
                Ok(if op == b"!=" { !m } else { m })
            }
            b"=~" => {
                let r = self.word(sh)?;
                Ok(regex_match(&l, &r))
            }
            _ => {
                let r = self.word(sh)?;
                binary(&l, &op, &r).map_err(Ok)
            }
        }
    }
}

#[allow(unsafe_code)]
fn regex_match(s: &[u8], re: &[u8]) -> bool {
    let cre = crate::sys::cstr(re);
    let cs = crate::sys::cstr(s);
    // SAFETY: regex_t is initialised by regcomp before use and freed after.
    unsafe {
        let mut r: libc::regex_t = std::mem::zeroed();
        if libc::regcomp(&mut r, cre.as_ptr(), libc::REG_EXTENDED | libc::REG_NOSUB) != 0 {
            return false;
        }
        let m = libc::regexec(&r, cs.as_ptr(), 0, std::ptr::null_mut(), 0) == 0;
        libc::regfree(&mut r);
        m
    }
}
