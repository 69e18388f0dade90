//! The builtins: a table, and a module per group.

pub mod cond;
pub mod control;
pub mod dir;
pub mod io;
pub mod proc;
pub mod test;
pub mod vars;

use crate::shell::{Res, Shell};
#[cfg(feature = "interactive")]
use crate::sys;

pub type Func = fn(&mut Shell, &[Vec<u8>]) -> Res;

#[derive(Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub func: Func,
    /// POSIX special builtin (assignments persist, errors exit a script).
    pub special: bool,
}

const fn b(name: &'static str, func: Func, special: bool) -> Builtin {
    Builtin {
        name,
        func,
        special,
    }
}

/// Sorted by name.
pub static TABLE: &[Builtin] = &[
    b(".", control::dot, true),
    b(":", control::colon, true),
    b("[", test::bracket, false),
    b("[[", test::dbracket, false),
    b("alias", control::alias, false),
    #[cfg(feature = "interactive")]
    b("bg", bg, false),
    b("break", control::brk, true),
    b("cd", dir::cd, false),
    b("chdir", dir::cd, false),
    b("command", control::command, false),
    b("continue", control::cont, true),
    b("echo", io::echo, false),
    b("eval", control::eval, true),
    b("exec", proc::exec, true),
    #[cfg(not(feature = "interactive"))]
    b("exit", control::exit, true),
    #[cfg(feature = "interactive")]
    b("exit", exit, true),
    b("export", vars::export, true),
    b("false", control::fals, false),
    #[cfg(feature = "interactive")]
    b("fg", fg, false),
    b("getopts", vars::getopts, false),
    b("hash", control::hash, false),
    #[cfg(feature = "interactive")]
    b("history", history, false),
    #[cfg(feature = "interactive")]
    b("jobs", jobs, false),
    #[cfg(not(feature = "interactive"))]
    b("kill", proc::kill, false),
    #[cfg(feature = "interactive")]
    b("kill", kill, false),
    b("let", vars::let_, false),
    b("local", vars::local, true),
    b("printf", io::printf, false),
    b("pwd", dir::pwd, false),
    b("read", io::read, false),
    b("readonly", vars::readonly, true),
    b("return", control::ret, true),
    b("set", vars::set, true),
    b("shift", vars::shift, true),
    b("source", control::dot, true),
    b("test", test::test, false),
    b("times", proc::times, true),
    b("trap", proc::trap, true),
    b("true", control::colon, false),
    b("type", control::type_, false),
    b("ulimit", proc::ulimit, false),
    b("umask", proc::umask, false),
    b("unalias", control::unalias, false),
    b("unset", vars::unset, true),
    #[cfg(not(feature = "interactive"))]
    b("wait", proc::wait, false),
    #[cfg(feature = "interactive")]
    b("wait", wait, false),
];

pub fn find(name: &[u8]) -> Option<Builtin> {
    TABLE
        .binary_search_by(|b| b.name.as_bytes().cmp(name))
        .ok()
        .map(|i| TABLE[i])
}

/// Quotes a value for reuse as shell input (set, export -p, xtrace, alias).
pub fn quote(s: &[u8]) -> Vec<u8> {
    if !s.is_empty()
        && s.iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"_-./=+:,%@^".contains(&c))
    {
        return s.to_vec();
    }
    let mut v = vec![b'\''];
    for &c in s {
        if c == b'\'' {
            v.extend_from_slice(b"'\"'\"'");
        } else {
            v.push(c);
        }
    }
    v.push(b'\'');
    v
}

/// Always single-quoted (set, export -p, readonly -p, alias listings, as ash prints them).
pub fn quote_all(s: &[u8]) -> Vec<u8> {
    let mut v = vec![b'\''];
    for &c in s {
        if c == b'\'' {
            v.extend_from_slice(b"'\"'\"'");
        } else {
            v.push(c);
        }
    }
    v.push(b'\'');
    v
}

/// `name: msg` error from a builtin.
/// ash's own builtins say `sh: NAME: line N: msg` (the script's name for `sh`).
pub fn err(sh: &mut Shell, name: &str, msg: &str) {
    sh.flush_out();
    let mut s = Vec::new();
    let prefix = sh.script.as_deref().unwrap_or(&sh.arg0).to_vec();
    s.extend_from_slice(&prefix);
    s.extend_from_slice(format!(": {name}: line {}: {msg}\n", sh.lineno).as_bytes());
    let _ = crate::sys::write_all(2, &s);
}

/// The builtins BusyBox shares with its applets (printf, test, kill) say `sh: msg`.
pub fn err_bb(sh: &mut Shell, msg: &str) {
    sh.flush_out();
    let _ = crate::sys::write_all(2, format!("sh: {msg}\n").as_bytes());
}

pub fn lossy(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

pub fn parse_int(s: &[u8]) -> Option<i64> {
    let t = std::str::from_utf8(s).ok()?.trim();
    t.parse::<i64>().ok()
}

#[cfg(feature = "interactive")]
fn history(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let Some(t) = sh.tty.as_mut() else {
        return Ok(0);
    };
    Ok(crate::interactive::history::history_builtin(
        args,
        &mut t.editor.history,
        &mut sh.out,
    ))
}

#[cfg(feature = "interactive")]
fn jobs(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut err = Vec::new();
    let st = crate::interactive::jobs::jobs_builtin(args, &mut sh.jobtab, &mut sh.out, &mut err);
    sh.flush_out();
    let _ = crate::sys::write_all(2, &err);
    Ok(st)
}

#[cfg(feature = "interactive")]
fn fg(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut err = Vec::new();
    let mut ctl = sh.job_control();
    sh.flush_out();
    let st = crate::interactive::jobs::fg_builtin(args, &mut sh.jobtab, &mut ctl, &mut err);
    let _ = crate::sys::write_all(2, &err);
    Ok(st)
}

#[cfg(feature = "interactive")]
fn bg(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut err = Vec::new();
    let mut ctl = sh.job_control();
    let st =
        crate::interactive::jobs::bg_builtin(args, &mut sh.jobtab, &mut ctl, &mut sh.out, &mut err);
    sh.flush_out();
    let _ = crate::sys::write_all(2, &err);
    Ok(st)
}

/// `exit` in an interactive shell with stopped jobs: warn once, as ash does.
#[cfg(feature = "interactive")]
fn exit(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if sh.jc() && sh.jobtab.has_stopped() && !sh.stopped_warned {
        sh.stopped_warned = true;
        sh.flush_out();
        let _ = crate::sys::write_all(2, b"You have stopped jobs.\n");
        return Ok(1);
    }
    control::exit(sh, args)
}

/// `kill %job` under job control: the job's process group (and SIGCONT after TERM or HUP
/// to a stopped job, so it can act on it); other operands go to the plain `kill`.
#[cfg(feature = "interactive")]
fn kill(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if !sh.jc() || !a.iter().skip(1).any(|x| x.first() == Some(&b'%')) {
        return proc::kill(sh, a);
    }
    let (sig, i) = match a.get(1).map(|x| x.as_slice()) {
        Some(b"-s") | Some(b"-n") => (a.get(2).and_then(|x| crate::env::sig_number(x)), 3),
        Some(b"--") => (Some(libc::SIGTERM), 2),
        Some(x) if x.len() > 1 && x[0] == b'-' => (crate::env::sig_number(&x[1..]), 2),
        _ => (Some(libc::SIGTERM), 1),
    };
    let Some(sig) = sig else {
        return proc::kill(sh, a);
    };
    let mut rest = a[..i.min(a.len())].to_vec();
    let mut st = 0;
    for x in a.iter().skip(i) {
        if x.first() != Some(&b'%') {
            rest.push(x.clone());
            continue;
        }
        let job = sh.jobtab.find(x).ok().and_then(|id| sh.jobtab.get(id));
        match job {
            Some(j) => {
                let stopped = matches!(j.state(), crate::interactive::jobs::ProcState::Stopped(_));
                if let Err(e) = sys::kill(-j.pgid, sig) {
                    err_bb(
                        sh,
                        &format!("can't kill pid -{}: {}", j.pgid, sys::strerror(e)),
                    );
                    st = 1;
                } else if stopped && (sig == libc::SIGTERM || sig == libc::SIGHUP) {
                    let _ = sys::kill(-j.pgid, libc::SIGCONT);
                }
            }
            None => {
                err_bb(sh, &format!("kill: {}: no such job", lossy(x)));
                st = 1;
            }
        }
    }
    if rest.len() > i {
        st |= proc::kill(sh, &rest)?;
    }
    Ok(st)
}

/// `wait %job` under job control: waits for the job's last process.
#[cfg(feature = "interactive")]
fn wait(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if !sh.jc() {
        return proc::wait(sh, a);
    }
    let mut args = Vec::with_capacity(a.len());
    for x in a {
        if x.first() == Some(&b'%') {
            let pid = sh
                .jobtab
                .find(x)
                .ok()
                .and_then(|id| sh.jobtab.get(id))
                .and_then(|j| j.procs.last().map(|p| p.pid));
            match pid {
                Some(p) => args.push(p.to_string().into_bytes()),
                None => {
                    err_bb(sh, &format!("wait: {}: no such job", lossy(x)));
                    return Ok(127);
                }
            }
        } else {
            args.push(x.clone());
        }
    }
    proc::wait(sh, &args)
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_sorted() {
        for w in super::TABLE.windows(2) {
            assert!(w[0].name < w[1].name, "{} {}", w[0].name, w[1].name);
        }
    }
}
