//! `test` and `[`: POSIX primaries, `-a -o ! ( )` and the argument-count rules.

use super::{err, err_bb, lossy};
use crate::shell::{Res, Shell};
use crate::sys;

pub fn test(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    run(sh, &a[1..], "test")
}

pub fn bracket(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.last().map(|s| s.as_slice()) != Some(b"]") {
        err(sh, "[", "missing ]");
        return Ok(2);
    }
    run(sh, &a[1..a.len() - 1], "[")
}

pub fn dbracket(sh: &mut Shell, _a: &[Vec<u8>]) -> Res {
    err(sh, "[[", "syntax error");
    Ok(2)
}

fn run(sh: &mut Shell, args: &[Vec<u8>], name: &str) -> Res {
    let mut p = T { a: args, i: 0 };
    match p.eval_top() {
        Ok(v) => Ok((!v) as i32),
        Err(m) => {
            let _ = name;
            err_bb(sh, &m);
            Ok(2)
        }
    }
}

struct T<'a> {
    a: &'a [Vec<u8>],
    i: usize,
}

pub fn unary_op(op: &[u8]) -> bool {
    matches!(
        op,
        b"-b"
            | b"-c"
            | b"-d"
            | b"-e"
            | b"-f"
            | b"-g"
            | b"-h"
            | b"-L"
            | b"-k"
            | b"-n"
            | b"-p"
            | b"-r"
            | b"-s"
            | b"-S"
            | b"-t"
            | b"-u"
            | b"-w"
            | b"-x"
            | b"-z"
            | b"-O"
            | b"-G"
    )
}

pub fn binary_op(op: &[u8]) -> bool {
    matches!(
        op,
        b"=" | b"=="
            | b"!="
            | b"-eq"
            | b"-ne"
            | b"-lt"
            | b"-le"
            | b"-gt"
            | b"-ge"
            | b"-nt"
            | b"-ot"
            | b"-ef"
            | b"<"
            | b">"
    )
}

fn int(s: &[u8]) -> Result<i64, String> {
    let t = s.trim_ascii();
    std::str::from_utf8(t)
        .ok()
        .and_then(|x| x.parse::<i64>().ok())
        .ok_or_else(|| format!("{}: bad number", lossy(s)))
}

pub fn unary(op: &[u8], x: &[u8]) -> Result<bool, String> {
    let st = || sys::stat(x);
    let ty = |t: u32| st().is_some_and(|s| s.mode & libc::S_IFMT == t);
    Ok(match op {
        b"-n" => !x.is_empty(),
        b"-z" => x.is_empty(),
        b"-e" => st().is_some(),
        b"-f" => ty(libc::S_IFREG),
        b"-d" => ty(libc::S_IFDIR),
        b"-b" => ty(libc::S_IFBLK),
        b"-c" => ty(libc::S_IFCHR),
        b"-p" => ty(libc::S_IFIFO),
        b"-S" => ty(libc::S_IFSOCK),
        b"-h" | b"-L" => sys::lstat(x).is_some_and(|s| s.mode & libc::S_IFMT == libc::S_IFLNK),
        b"-s" => st().is_some_and(|s| s.size > 0),
        b"-g" => st().is_some_and(|s| s.mode & libc::S_ISGID != 0),
        b"-u" => st().is_some_and(|s| s.mode & libc::S_ISUID != 0),
        b"-k" => st().is_some_and(|s| s.mode & libc::S_ISVTX != 0),
        b"-r" => sys::access(x, libc::R_OK),
        b"-w" => sys::access(x, libc::W_OK),
        b"-x" => sys::access(x, libc::X_OK),
        b"-O" => st().is_some_and(|s| s.uid == sys::geteuid()),
        b"-G" => st().is_some(),
        b"-t" => sys::isatty(int(x)? as i32),
        _ => return Err(format!("{}: unknown operand", lossy(op))),
    })
}

pub fn binary(l: &[u8], op: &[u8], r: &[u8]) -> Result<bool, String> {
    Ok(match op {
        b"=" | b"==" => l == r,
        b"!=" => l != r,
        b"<" => l < r,
        b">" => l > r,
        b"-eq" => int(l)? == int(r)?,
        b"-ne" => int(l)? != int(r)?,
        b"-lt" => int(l)? < int(r)?,
        b"-le" => int(l)? <= int(r)?,
        b"-gt" => int(l)? > int(r)?,
        b"-ge" => int(l)? >= int(r)?,
        b"-nt" | b"-ot" => {
            let a = sys::stat(l).map(|s| s.mtime);
            let b = sys::stat(r).map(|s| s.mtime);
            match (a, b, op) {
                (Some(x), Some(y), b"-nt") => x > y,
                (Some(x), Some(y), _) => x < y,
                (Some(_), None, b"-nt") => true,
                (None, Some(_), b"-ot") => true,
                _ => false,
            }
        }
        b"-ef" => match (sys::stat(l), sys::stat(r)) {
            (Some(x), Some(y)) => x.dev == y.dev && x.ino == y.ino,
            _ => false,
        },
        _ => return Err(format!("{}: unknown operand", lossy(op))),
    })
}

impl<'a> T<'a> {
    fn left(&self) -> usize {
        self.a.len() - self.i
    }
    fn cur(&self) -> Option<&'a [u8]> {
        self.a.get(self.i).map(|s| s.as_slice())
    }

    fn eval_top(&mut self) -> Result<bool, String> {
        // POSIX rules by argument count
        let a = self.a;
        match a.len() {
            0 => return Ok(false),
            1 => return Ok(!a[0].is_empty()),
            2 => {
                if a[0] == b"!" {
                    return Ok(a[1].is_empty());
                }
                if unary_op(&a[0]) {
                    return unary(&a[0], &a[1]);
                }
                if binary_op(&a[1]) {
                    return Err(format!("{}: argument expected", lossy(&a[1])));
                }
                return Err(format!("{}: unknown operand", lossy(&a[0])));
            }
            3 => {
                if binary_op(&a[1]) {
                    return binary(&a[0], &a[1], &a[2]);
                }
                if a[0] == b"!" {
                    self.i = 1;
                    let mut t = T { a: &a[1..], i: 0 };
                    return t.eval_top().map(|v| !v);
                }
                if a[0] == b"(" && a[2] == b")" {
                    return Ok(!a[1].is_empty());
                }
            }
            4 => {
                if a[0] == b"!" {
                    let mut t = T { a: &a[1..], i: 0 };
                    return t.eval_top().map(|v| !v);
                }
                if a[0] == b"(" && a[3] == b")" {
                    let mut t = T { a: &a[1..3], i: 0 };
                    return t.eval_top();
                }
            }
            _ => {}
        }
        let v = self.or()?;
        if self.i < self.a.len() {
            return Err(format!("{}: unknown operand", lossy(&self.a[self.i])));
        }
        Ok(v)
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.cur() == Some(b"-o") {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.cur() == Some(b"-a") {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.cur() == Some(b"!") && self.left() > 1 {
            self.i += 1;
            return Ok(!self.not()?);
        }
        self.prim()
    }

    fn prim(&mut self) -> Result<bool, String> {
        let Some(c) = self.cur() else {
            return Err("argument expected".into());
        };
        if c == b"(" && self.left() > 1 {
            self.i += 1;
            let v = self.or()?;
            if self.cur() != Some(b")") {
                return Err("closing paren expected".into());
            }
            self.i += 1;
            return Ok(v);
        }
        if self.left() >= 3 && binary_op(&self.a[self.i + 1]) {
            let (l, op, r) = (&self.a[self.i], &self.a[self.i + 1], &self.a[self.i + 2]);
            self.i += 3;
            return binary(l, op, r);
        }
        if unary_op(c) && self.left() >= 2 {
            let x = &self.a[self.i + 1];
            self.i += 2;
            return unary(c, x);
        }
        self.i += 1;
        Ok(!c.is_empty())
    }
}
