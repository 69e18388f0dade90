//! `: true false . source eval exit return break continue alias unalias command type hash`

use super::{err, lossy, parse_int, quote_all as quote};
use crate::exec::Found;
use crate::shell::{Flow, Res, Shell};
use crate::syntax::input::Input;
use crate::syntax::Parser;
use std::rc::Rc;

pub fn colon(_: &mut Shell, _: &[Vec<u8>]) -> Res {
    Ok(0)
}

pub fn fals(_: &mut Shell, _: &[Vec<u8>]) -> Res {
    Ok(1)
}

pub fn eval(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() < 2 {
        return Ok(0);
    }
    let s = a[1..].join(&b' ');
    sh.status = 0;
    sh.eval_str(&s)
}

pub fn dot(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let Some(name) = a.get(1) else {
        err(sh, ".", "filename argument required");
        return Err(Flow::Exit(2));
    };
    let path = if name.contains(&b'/') {
        name.clone()
    } else {
        let mut found = None;
        let p = sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
        for d in p.split(|&c| c == b':') {
            let mut f = if d.is_empty() {
                Vec::new()
            } else {
                [d, b"/"].concat()
            };
            f.extend_from_slice(name);
            if crate::sys::stat(&f).is_some_and(|s| s.mode & libc::S_IFMT == libc::S_IFREG) {
                found = Some(f);
                break;
            }
        }
        found.unwrap_or_else(|| name.clone())
    };
    use std::os::unix::ffi::OsStrExt;
    let data = match std::fs::read(std::ffi::OsStr::from_bytes(&path)) {
        Ok(d) => d,
        Err(_) => {
            sh.error(&format!("{}: not found", lossy(name)));
            return Err(Flow::Exit(2));
        }
    };
    if sh.eval_depth > 100 {
        sh.error(".: nesting too deep");
        return Err(Flow::Exit(2));
    }
    sh.eval_depth += 1;
    let saved_pos = if a.len() > 2 {
        Some(std::mem::replace(&mut sh.pos, a[2..].to_vec()))
    } else {
        None
    };
    let mut p = Parser::new(Input::mem(data));
    let saved_line = sh.lineno;
    let r = sh.run_parser(&mut p, false);
    sh.lineno = saved_line;
    if let Some(s) = saved_pos {
        sh.pos = s;
    }
    sh.eval_depth -= 1;
    match r {
        Err(Flow::Return(s)) if sh.func_depth == 0 => Ok(s),
        other => other,
    }
}

pub fn exit(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let st = match a.get(1) {
        Some(s) => match parse_int(s) {
            Some(n) => (n & 255) as i32,
            None => {
                err(sh, "exit", &format!("Illegal number: {}", lossy(s)));
                2
            }
        },
        None => sh.trap_status.unwrap_or(sh.status),
    };
    sh.exit_requested = true;
    Err(Flow::Exit(st))
}

pub fn ret(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let st = match a.get(1) {
        Some(s) => match parse_int(s) {
            Some(n) => (n & 255) as i32,
            None => {
                err(sh, "return", &format!("Illegal number: {}", lossy(s)));
                return Err(Flow::Exit(2));
            }
        },
        None => sh.status,
    };
    Err(Flow::Return(st))
}

fn loop_count(sh: &mut Shell, a: &[Vec<u8>], name: &str) -> Result<u32, Flow> {
    match a.get(1) {
        None => Ok(1),
        Some(s) => match parse_int(s) {
            Some(n) if n > 0 => Ok(n.min(u32::MAX as i64) as u32),
            _ => {
                err(sh, name, &format!("Illegal number: {}", lossy(s)));
                Err(Flow::Exit(2))
            }
        },
    }
}

pub fn brk(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let n = loop_count(sh, a, "break")?;
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    Err(Flow::Break(n.min(sh.loop_depth)))
}

pub fn cont(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let n = loop_count(sh, a, "continue")?;
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    Err(Flow::Continue(n.min(sh.loop_depth)))
}

pub fn alias(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() == 1 {
        let mut v: Vec<_> = sh
            .aliases
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        for (k, val) in v {
            sh.out.extend_from_slice(&k);
            sh.out.push(b'=');
            sh.out.extend_from_slice(&quote(&val));
            sh.out.push(b'\n');
        }
        return Ok(0);
    }
    let mut st = 0;
    for arg in &a[1..] {
        if let Some(eq) = arg.iter().position(|&c| c == b'=') {
            Rc::make_mut(&mut sh.aliases).insert(arg[..eq].to_vec(), arg[eq + 1..].to_vec());
        } else if let Some(v) = sh.aliases.get(arg).cloned() {
            sh.out.extend_from_slice(arg);
            sh.out.push(b'=');
            sh.out.extend_from_slice(&quote(&v));
            sh.out.push(b'\n');
        } else {
            err(sh, "alias", &format!("{}: not found", lossy(arg)));
            st = 1;
        }
    }
    Ok(st)
}

pub fn unalias(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.get(1).map(|s| s.as_slice()) == Some(b"-a") {
        Rc::make_mut(&mut sh.aliases).clear();
        return Ok(0);
    }
    let mut st = 0;
    for arg in &a[1..] {
        if Rc::make_mut(&mut sh.aliases).remove(arg).is_none() {
            err(sh, "unalias", &format!("{}: not found", lossy(arg)));
            st = 1;
        }
    }
    Ok(st)
}

pub fn hash(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() == 1 {
        // In the order of ash's 31-bucket table (its hash of the name), as ash and dash print
        // it; names sharing a bucket by name (ash: by insertion).
        let bucket = |n: &[u8]| {
            let first = u32::from(n.first().copied().unwrap_or(0)) << 4;
            n.iter().fold(first, |h, &c| h.wrapping_add(u32::from(c))) % 31
        };
        let mut v: Vec<_> = sh.hash.iter().map(|(k, p)| (bucket(k), k, p)).collect();
        v.sort();
        let v: Vec<Vec<u8>> = v.into_iter().map(|(_, _, p)| p.clone()).collect();
        for p in v {
            sh.out.extend_from_slice(&p);
            sh.out.push(b'\n');
        }
        return Ok(0);
    }
    let mut st = 0;
    for arg in &a[1..] {
        if arg == b"-r" {
            sh.hash.clear();
            continue;
        }
        if super::find(arg).is_some() || sh.funcs.contains_key(arg) {
            continue;
        }
        sh.hash.remove(arg);
        if sh.path_search(arg).is_none() {
            err(sh, "hash", &format!("{}: not found", lossy(arg)));
            st = 1;
        }
    }
    Ok(st)
}

/// Describes a name for `type` and `command -v/-V`.
fn describe(sh: &mut Shell, name: &[u8], verbose: bool) -> bool {
    if let Some(v) = sh.aliases.get(name).cloned() {
        if verbose {
            sh.out.extend_from_slice(name);
            sh.out.extend_from_slice(b" is an alias for ");
            sh.out.extend_from_slice(&v);
        } else {
            sh.out.extend_from_slice(b"alias ");
            sh.out.extend_from_slice(name);
            sh.out.push(b'=');
            sh.out.extend_from_slice(&quote(&v));
        }
        sh.out.push(b'\n');
        return true;
    }
    if crate::syntax::lex::is_name(name)
        && matches!(
            name,
            b"if"
                | b"then"
                | b"else"
                | b"elif"
                | b"fi"
                | b"do"
                | b"done"
                | b"case"
                | b"esac"
                | b"while"
                | b"until"
                | b"for"
                | b"in"
                | b"function"
        )
        || name == b"{"
        || name == b"}"
        || name == b"!"
    {
        sh.out.extend_from_slice(name);
        if verbose {
            sh.out.extend_from_slice(b" is a shell keyword");
        }
        sh.out.push(b'\n');
        return true;
    }
    let found = sh.find_command(name, true);
    let what: Vec<u8> = match found {
        Found::Special(_) => {
            if !verbose {
                name.to_vec()
            } else {
                [name, b" is a special shell builtin"].concat()
            }
        }
        Found::Builtin(_) => {
            if !verbose {
                name.to_vec()
            } else {
                [name, b" is a shell builtin"].concat()
            }
        }
        Found::Function(_) => {
            if !verbose {
                name.to_vec()
            } else {
                [name, b" is a function"].concat()
            }
        }
        Found::External(p) => {
            if name.contains(&b'/') && crate::sys::stat(&p).is_none() {
                if verbose {
                    sh.error(&format!("{}: not found", lossy(name)));
                }
                return false;
            }
            if !verbose {
                p
            } else {
                [name, b" is ", &p].concat()
            }
        }
        Found::NotFound => {
            if verbose {
                sh.out.extend_from_slice(name);
                sh.out.extend_from_slice(b": not found\n");
            }
            return false;
        }
    };
    sh.out.extend_from_slice(&what);
    sh.out.push(b'\n');
    true
}

pub fn type_(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut st = 0;
    for n in &a[1..] {
        if !describe(sh, n, true) {
            st = 127;
        }
    }
    Ok(st)
}

pub fn command(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut i = 1;
    let (mut v, mut vv, mut p) = (false, false, false);
    while i < a.len() && a[i].first() == Some(&b'-') && a[i].len() > 1 {
        if a[i] == b"--" {
            i += 1;
            break;
        }
        for &c in &a[i][1..] {
            match c {
                b'v' => v = true,
                b'V' => vv = true,
                b'p' => p = true,
                _ => {
                    err(sh, "command", &format!("-{}: invalid option", c as char));
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    if i >= a.len() {
        return Ok(0);
    }
    if v || vv {
        let mut st = 0;
        for n in &a[i..] {
            if !describe(sh, n, vv) {
                st = 127;
            }
        }
        return Ok(st);
    }
    let argv = &a[i..];
    let saved_path = if p {
        let old = sh.vars.get(b"PATH").map(|s| s.to_vec());
        let _ = sh
            .vars
            .set(b"PATH", b"/bin:/usr/bin:/sbin:/usr/sbin", false);
        sh.hash.clear();
        Some(old)
    } else {
        None
    };
    let r = match sh.find_command(&argv[0], false) {
        Found::Special(b) | Found::Builtin(b) => (b.func)(sh, argv),
        Found::External(path) => {
            let w: Vec<crate::syntax::ast::Word> = argv
                .iter()
                .map(|s| crate::syntax::ast::Word {
                    parts: crate::syntax::ast::Parts::One(crate::syntax::ast::Part::Quoted(
                        s.clone(),
                    )),
                })
                .collect();
            let _ = path;
            let simple = crate::syntax::ast::Simple {
                assigns: Vec::new(),
                words: w,
                redirs: Vec::new(),
                line: sh.lineno,
            };
            // Run through the normal path with functions bypassed: names are quoted words,
            // and a function of the same name is hidden by find_command(false) above.
            let saved = sh.funcs.remove(&argv[0]);
            let r = sh.run_command(&crate::syntax::ast::Command::Simple(simple), false);
            if let Some(f) = saved {
                sh.funcs.insert(argv[0].clone(), f);
            }
            r
        }
        Found::Function(_) | Found::NotFound => {
            sh.error(&format!("{}: not found", lossy(&argv[0])));
            Ok(127)
        }
    };
    if let Some(old) = saved_path {
        match old {
            Some(o) => {
                let _ = sh.vars.set(b"PATH", &o, false);
            }
            None => {
                let _ = sh.vars.unset(b"PATH");
            }
        }
        sh.hash.clear();
    }
    r
}
