//! `export readonly local unset set shift getopts let`

use super::{err, lossy, parse_int, quote_all as quote};
use crate::env::OPTION_NAMES;
use crate::shell::{Flow, Res, Shell};
use crate::syntax::lex::is_name;

fn print_vars(sh: &mut Shell, prefix: &str, pick: fn(&crate::env::Var) -> bool) {
    let mut v: Vec<(Vec<u8>, Option<Vec<u8>>)> = sh
        .vars
        .map
        .iter()
        .filter(|(_, v)| pick(v))
        .map(|(k, v)| (k.clone(), v.val.clone()))
        .collect();
    v.sort();
    for (k, val) in v {
        sh.out.extend_from_slice(prefix.as_bytes());
        sh.out.extend_from_slice(&k);
        if let Some(val) = val {
            sh.out.push(b'=');
            sh.out.extend_from_slice(&quote(&val));
        }
        sh.out.push(b'\n');
    }
}

fn set_attr(sh: &mut Shell, a: &[Vec<u8>], name: &str, export: bool) -> Res {
    let mut i = 1;
    let mut unexport = false;
    let mut print = false;
    while i < a.len() && a[i].first() == Some(&b'-') {
        if a[i] == b"--" {
            i += 1;
            break;
        }
        for &c in &a[i][1..] {
            match c {
                b'n' if export => unexport = true,
                b'p' => print = true,
                _ => {
                    err(sh, name, &format!("illegal option -{}", c as char));
                    return Err(Flow::Exit(2));
                }
            }
        }
        i += 1;
    }
    if i >= a.len() {
        let _ = print;
        if export {
            print_vars(sh, "export ", |v| v.export);
        } else {
            print_vars(sh, "readonly ", |v| v.readonly);
        }
        return Ok(0);
    }
    for arg in &a[i..] {
        let (n, val) = match arg.iter().position(|&c| c == b'=') {
            Some(e) => (&arg[..e], Some(&arg[e + 1..])),
            None => (&arg[..], None),
        };
        if !is_name(n) {
            err(sh, name, &format!("{}: bad variable name", lossy(n)));
            return Err(Flow::Exit(2));
        }
        if let Some(v) = val {
            if sh.set_var(n, v).is_err() {
                return Err(Flow::Exit(2));
            }
        }
        let e = sh.vars.map.entry(n.to_vec()).or_default();
        if export {
            e.export = !unexport;
        } else {
            e.readonly = true;
        }
    }
    Ok(0)
}

pub fn export(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    set_attr(sh, a, "export", true)
}

pub fn readonly(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    set_attr(sh, a, "readonly", false)
}

pub fn local(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if sh.func_depth == 0 {
        err(sh, "local", "not in a function");
        return Err(Flow::Exit(2));
    }
    for arg in &a[1..] {
        let (n, val) = match arg.iter().position(|&c| c == b'=') {
            Some(e) => (&arg[..e], Some(&arg[e + 1..])),
            None => (&arg[..], None),
        };
        if n == b"-" {
            continue;
        }
        if !is_name(n) {
            err(sh, "local", &format!("{}: bad variable name", lossy(n)));
            return Err(Flow::Exit(2));
        }
        sh.vars.save_in_frame(n);
        match val {
            Some(v) => {
                if sh.set_var(n, v).is_err() {
                    return Err(Flow::Exit(2));
                }
            }
            None => {
                // ash: `local x` starts unset (dash keeps the outer value)
                if let Some(v) = sh.vars.map.get_mut(n) {
                    if !v.readonly {
                        v.val = None;
                    }
                }
            }
        }
    }
    Ok(0)
}

pub fn unset(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut funcs = false;
    let mut i = 1;
    while i < a.len() && a[i].first() == Some(&b'-') && a[i].len() > 1 {
        for &c in &a[i][1..] {
            match c {
                b'f' => funcs = true,
                b'v' => funcs = false,
                _ => {
                    err(sh, "unset", &format!("illegal option -{}", c as char));
                    return Err(Flow::Exit(2));
                }
            }
        }
        i += 1;
    }
    let mut st = 0;
    for n in &a[i..] {
        if funcs {
            sh.funcs.remove(n);
        } else if sh.vars.unset(n).is_err() {
            err(sh, "unset", &format!("{}: is read only", lossy(n)));
            st = 1;
        } else if n == b"PATH" {
            sh.hash.clear();
        }
    }
    Ok(st)
}

pub fn set(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() == 1 {
        let mut v: Vec<(Vec<u8>, Vec<u8>)> = sh
            .vars
            .map
            .iter()
            .filter_map(|(k, v)| v.val.as_ref().map(|x| (k.clone(), x.clone())))
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
    match parse_options(sh, a, 1, false) {
        Ok(Some(rest)) => {
            sh.pos = rest;
            Ok(0)
        }
        Ok(None) => Ok(0),
        Err(false) => Ok(1),
        Err(true) => Err(Flow::Exit(2)),
    }
}

/// Parses `-e +x -o name --` options from `a[start..]`. Returns Some(positional params) when
/// they were given (`--` or non-option words). With `invocation`, stops at the first operand.
pub fn parse_options(
    sh: &mut Shell,
    a: &[Vec<u8>],
    start: usize,
    invocation: bool,
) -> Result<Option<Vec<Vec<u8>>>, bool> {
    let mut i = start;
    while i < a.len() {
        let arg = &a[i];
        if arg == b"--" {
            return Ok(Some(a[i + 1..].to_vec()));
        }
        if arg == b"-" || arg == b"+" {
            sh.opts.xtrace = false;
            sh.opts.verbose = false;
            return Ok(Some(a[i + 1..].to_vec()));
        }
        let on = match arg.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if arg.len() == 1 {
            break;
        }
        for &c in &arg[1..] {
            if c == b'o' {
                i += 1;
                match a.get(i) {
                    None => {
                        print_o(sh, on);
                    }
                    Some(n) => {
                        let name = lossy(n);
                        match sh.opts.flag(&name) {
                            Some(f) => *f = on,
                            None => {
                                err(sh, "set", &format!("illegal option -o {name}"));
                                return Err(false);
                            }
                        }
                    }
                }
                continue;
            }
            if invocation && matches!(c, b'c' | b's' | b'i' | b'l') {
                match c {
                    b'c' => sh.opts.cmdstring = on,
                    b's' => sh.opts.stdin = on,
                    b'i' => sh.opts.interactive = on,
                    _ => {}
                }
                continue;
            }
            match sh.opts.letter(c) {
                Some(f) => *f = on,
                None => {
                    if invocation {
                        let _ = crate::sys::write_all(
                            2,
                            format!("sh: -{}: invalid option\n", c as char).as_bytes(),
                        );
                    } else {
                        err(sh, "set", &format!("illegal option -{}", c as char));
                    }
                    return Err(true);
                }
            }
        }
        i += 1;
    }
    if invocation {
        return Ok(Some(a[i..].to_vec()));
    }
    if i < a.len() {
        Ok(Some(a[i..].to_vec()))
    } else {
        Ok(None)
    }
}

fn print_o(sh: &mut Shell, human: bool) {
    let mut o = sh.opts;
    for (name, _) in OPTION_NAMES {
        let on = o.flag(name).map(|f| *f).unwrap_or(false);
        if human {
            sh.out.extend_from_slice(
                format!("{:<16}{}\n", name, if on { "on" } else { "off" }).as_bytes(),
            );
        } else {
            sh.out.extend_from_slice(
                format!("set {}o {}\n", if on { '-' } else { '+' }, name).as_bytes(),
            );
        }
    }
}

pub fn shift(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let n = match a.get(1) {
        None => 1,
        Some(s) => match parse_int(s) {
            Some(n) if n >= 0 => n as usize,
            _ => {
                err(sh, "shift", &format!("Illegal number: {}", lossy(s)));
                return Err(Flow::Exit(2));
            }
        },
    };
    if n > sh.pos.len() {
        // ash says nothing here
        return Ok(1);
    }
    sh.pos.drain(..n);
    Ok(0)
}

pub fn let_(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() < 2 {
        err(sh, "let", "expression expected");
        return Ok(1);
    }
    let mut v = 0;
    for e in &a[1..] {
        v = sh.arith(e)?;
    }
    Ok((v == 0) as i32)
}

pub fn getopts(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() < 3 {
        err(sh, "getopts", "usage: getopts optstring var [arg]");
        return Ok(2);
    }
    let optstr = a[1].clone();
    let var = a[2].clone();
    let args: Vec<Vec<u8>> = if a.len() > 3 {
        a[3..].to_vec()
    } else {
        sh.pos.clone()
    };
    let silent = optstr.first() == Some(&b':');
    let optind = sh
        .vars
        .get(b"OPTIND")
        .and_then(parse_int)
        .unwrap_or(1)
        .max(1) as usize;
    // Position inside a cluster of options, kept in a private variable like ash's optoff.
    let (last_ind, mut sub) = sh.getopt_state;
    if sub < 1 {
        sub = 1;
    }
    if last_ind != optind {
        sub = 1;
    }
    let done = |sh: &mut Shell, ind: usize| -> Res {
        let _ = sh.set_var(&var, b"?");
        let _ = sh.vars.set(b"OPTIND", ind.to_string().as_bytes(), false);
        let _ = sh.vars.unset(b"OPTARG");
        Ok(1)
    };
    let idx = optind - 1;
    if idx >= args.len() {
        return done(sh, optind);
    }
    let cur = &args[idx];
    if sub >= cur.len() {
        // the arguments changed under the same OPTIND
        sub = 1;
    }
    if sub == 1 {
        if cur.len() < 2 || cur[0] != b'-' {
            return done(sh, optind);
        }
        if cur == b"--" {
            return done(sh, optind + 1);
        }
    }
    let c = cur[sub];
    let mut next_ind = optind;
    let mut next_sub = sub + 1;
    if next_sub >= cur.len() {
        next_ind += 1;
        next_sub = 1;
    }
    let pos = optstr.iter().position(|&x| x == c && x != b':');
    let mut st = 0;
    match pos {
        None => {
            if silent {
                let _ = sh.vars.set(b"OPTARG", &[c], false);
            } else {
                let _ = sh.vars.unset(b"OPTARG");
                sh.flush_out();
                let _ =
                    crate::sys::write_all(2, format!("Illegal option -{}\n", c as char).as_bytes());
                let _ = st;
            }
            let _ = sh.set_var(&var, b"?");
        }
        Some(p) => {
            if optstr.get(p + 1) == Some(&b':') {
                if next_sub != 1 {
                    let _ = sh.vars.set(b"OPTARG", &cur[sub + 1..], false);
                    next_ind += 1;
                    next_sub = 1;
                } else if let Some(arg) = args.get(next_ind - 1) {
                    let _ = sh.vars.set(b"OPTARG", arg, false);
                    next_ind += 1;
                } else {
                    if silent {
                        let _ = sh.vars.set(b"OPTARG", &[c], false);
                        let _ = sh.set_var(&var, b":");
                    } else {
                        let _ = sh.vars.unset(b"OPTARG");
                        sh.flush_out();
                        let _ = crate::sys::write_all(
                            2,
                            format!(
                                "No arg for -{} option
",
                                c as char
                            )
                            .as_bytes(),
                        );
                        let _ = sh.set_var(&var, b"?");
                    }
                    st = 0;
                    let _ = sh
                        .vars
                        .set(b"OPTIND", next_ind.to_string().as_bytes(), false);
                    sh.getopt_state = (next_ind, next_sub);
                    return Ok(st);
                }
            } else {
                let _ = sh.vars.unset(b"OPTARG");
            }
            let _ = sh.set_var(&var, &[c]);
        }
    }
    let _ = sh
        .vars
        .set(b"OPTIND", next_ind.to_string().as_bytes(), false);
    sh.getopt_state = (next_ind, next_sub);
    Ok(st)
}
