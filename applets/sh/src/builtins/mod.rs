//! The builtins: a table, and a module per group.

pub mod cond;
pub mod control;
pub mod dir;
pub mod io;
pub mod proc;
pub mod test;
pub mod vars;

use crate::shell::{Res, Shell};

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
    b("break", control::brk, true),
    b("cd", dir::cd, false),
    b("chdir", dir::cd, false),
    b("command", control::command, false),
    b("continue", control::cont, true),
    b("echo", io::echo, false),
    b("eval", control::eval, true),
    b("exec", proc::exec, true),
    b("exit", control::exit, true),
    b("export", vars::export, true),
    b("false", control::fals, false),
    b("getopts", vars::getopts, false),
    b("hash", control::hash, false),
    b("kill", proc::kill, false),
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
    b("wait", proc::wait, false),
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

#[cfg(test)]
mod tests {
    #[test]
    fn table_sorted() {
        for w in super::TABLE.windows(2) {
            assert!(w[0].name < w[1].name, "{} {}", w[0].name, w[1].name);
        }
    }
}
