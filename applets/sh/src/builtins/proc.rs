//! `exec kill trap wait times ulimit umask`

use super::{err, err_bb, lossy, parse_int, quote};
use crate::env::{sig_name, sig_number, SIGNALS};
use crate::shell::{Flow, Res, Shell};
use crate::syntax::ast::{Part, Simple, Word};
use crate::sys;

pub fn exec(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut i = 1;
    let mut argv0: Option<Vec<u8>> = None;
    while i < a.len() && a[i].first() == Some(&b'-') {
        if a[i] == b"--" {
            i += 1;
            break;
        }
        if a[i] == b"-a" {
            argv0 = a.get(i + 1).cloned();
            i += 2;
            continue;
        }
        break;
    }
    if i >= a.len() {
        return Ok(0);
    }
    let mut argv = a[i..].to_vec();
    let name = argv[0].clone();
    let path = if name.contains(&b'/') {
        Some(name.clone())
    } else {
        sh.path_search(&name)
    };
    let Some(path) = path else {
        err(sh, "exec", &format!("{}: not found", lossy(&name)));
        return Err(Flow::Exit(127));
    };
    if let Some(a0) = argv0 {
        argv[0] = a0;
    }
    sh.flush_out();
    let env = sh.vars.environ();
    for sig in 1..64 {
        if let Some(t) = &sh.traps[sig] {
            if !t.is_empty() {
                sys::set_signal(sig as i32, sys::Disp::Default);
            }
        }
    }
    let e = sys::execve(&path, &argv, &env);
    if e == libc::ENOENT {
        err(sh, "exec", &format!("{}: not found", lossy(&name)));
    } else {
        err(
            sh,
            "exec",
            &format!("{}: {}", lossy(&name), sys::strerror(e)),
        );
    }
    Err(Flow::Exit(if e == libc::ENOENT { 127 } else { 126 }))
}

pub fn kill(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut sig = libc::SIGTERM;
    let mut i = 1;
    if a.len() < 2 {
        err_bb(sh, "usage: kill [-s SIG | -SIG] PID...");
        return Ok(1);
    }
    if a[1] == b"-l" || a[1] == b"-L" {
        if a.len() == 2 {
            for (n, k) in SIGNALS {
                sh.out.extend_from_slice(format!("{k:2}) {n}\n").as_bytes());
            }
            return Ok(0);
        }
        for x in &a[2..] {
            match parse_int(x) {
                Some(n) => {
                    let n = if n > 128 { n - 128 } else { n };
                    match sig_name(n as i32) {
                        Some(s) => {
                            sh.out.extend_from_slice(s.as_bytes());
                            sh.out.push(b'\n');
                        }
                        None => {
                            err_bb(sh, &format!("bad signal name '{}'", lossy(x)));
                            return Ok(1);
                        }
                    }
                }
                None => match sig_number(x) {
                    Some(n) => {
                        sh.out.extend_from_slice(n.to_string().as_bytes());
                        sh.out.push(b'\n');
                    }
                    None => {
                        err_bb(sh, &format!("bad signal name '{}'", lossy(x)));
                        return Ok(1);
                    }
                },
            }
        }
        return Ok(0);
    }
    if a[1] == b"-s" || a[1] == b"-n" {
        let Some(s) = a.get(2).and_then(|x| sig_number(x)) else {
            err_bb(sh, "bad signal name");
            return Ok(1);
        };
        sig = s;
        i = 3;
    } else if a[1].len() > 1 && a[1][0] == b'-' && a[1] != b"--" {
        match sig_number(&a[1][1..]) {
            Some(s) => sig = s,
            None => {
                err_bb(sh, &format!("bad signal name '{}'", lossy(&a[1][1..])));
                return Ok(1);
            }
        }
        i = 2;
    } else if a[1] == b"--" {
        i = 2;
    }
    let mut st = 0;
    for x in &a[i..] {
        let pid = if x.first() == Some(&b'%') {
            let n = parse_int(&x[1..]).unwrap_or(0);
            sh.jobs.get((n - 1).max(0) as usize).map(|j| j.pid as i64)
        } else {
            parse_int(x)
        };
        match pid {
            Some(p) => {
                if let Err(e) = sys::kill(p as i32, sig) {
                    err_bb(sh, &format!("can't kill pid {}: {}", p, sys::strerror(e)));
                    st = 1;
                }
            }
            None => {
                err_bb(sh, &format!("invalid number '{}'", lossy(x)));
                st = 1;
            }
        }
    }
    Ok(st)
}

pub fn trap(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    if a.len() == 1 || (a.len() == 2 && a[1] == b"-p") {
        for n in 0..sh.traps.len() {
            if let Some(t) = sh.traps[n].clone() {
                let name = match n {
                    0 => "EXIT".to_string(),
                    crate::shell::TRAP_ERR => "ERR".to_string(),
                    n => sig_name(n as i32)
                        .map(|s| s.to_string())
                        .unwrap_or(n.to_string()),
                };
                sh.out.extend_from_slice(b"trap -- ");
                sh.out.extend_from_slice(&quote_always(&t));
                sh.out.push(b' ');
                sh.out.extend_from_slice(name.as_bytes());
                sh.out.push(b'\n');
            }
        }
        return Ok(0);
    }
    let mut i = 1;
    if a[i] == b"--" {
        i += 1;
    }
    let Some(first) = a.get(i) else {
        return trap(sh, &a[..1]);
    };
    // `trap N...` (first is a signal number) resets
    let (action, sigs): (Option<Vec<u8>>, &[Vec<u8>]) =
        if first == b"-" || (first.iter().all(|c| c.is_ascii_digit()) && !first.is_empty()) {
            if first == b"-" {
                (None, &a[i + 1..])
            } else {
                (None, &a[i..])
            }
        } else {
            (Some(first.clone()), &a[i + 1..])
        };
    let mut st = 0;
    for s in sigs {
        let n = if s.eq_ignore_ascii_case(b"ERR") {
            crate::shell::TRAP_ERR as i32
        } else {
            match sig_number(s) {
                Some(n) => n,
                None => {
                    err(
                        sh,
                        "trap",
                        &format!("{}: invalid signal specification", lossy(s)),
                    );
                    st = 1;
                    continue;
                }
            }
        };
        let idx = n as usize;
        if n > 0 && n < 64 && sh.ignored_at_start & (1 << n) != 0 && !sh.opts.interactive {
            continue;
        }
        if n == libc::SIGKILL || n == libc::SIGSTOP {
            sh.traps[idx] = action.clone();
            continue;
        }
        sh.traps[idx] = action.clone();
        if n > 0 && n < 64 {
            match &action {
                None => sys::set_signal(n, sys::Disp::Default),
                Some(t) if t.is_empty() => sys::set_signal(n, sys::Disp::Ignore),
                Some(_) => sys::set_signal(n, sys::Disp::Catch),
            }
        }
    }
    Ok(st)
}

fn quote_always(s: &[u8]) -> Vec<u8> {
    let q = quote(s);
    if q.first() == Some(&b'\'') {
        q
    } else {
        [b"'", s, b"'"].concat()
    }
}

/// The lowest-numbered signal caught and not yet handled.
fn pending_signal() -> i32 {
    let m = sys::PENDING.load(std::sync::atomic::Ordering::SeqCst);
    if m == 0 {
        0
    } else {
        m.trailing_zeros() as i32
    }
}

pub fn wait(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    sh.flush_out();
    let mut args = &a[1..];
    let mut any = false;
    if args.first().map(|s| s.as_slice()) == Some(b"-n") {
        any = true;
        args = &args[1..];
    }
    if any && args.is_empty() {
        // the next job to finish
        if let Some(i) = sh.jobs.iter().position(|j| j.status.is_some()) {
            let j = sh.jobs.remove(i);
            return Ok(j.status.unwrap_or(0));
        }
        if sh.jobs.is_empty() {
            return Ok(127);
        }
        loop {
            match sys::waitpid(-1, 0) {
                Ok((p, s)) => {
                    if let Some(i) = sh.jobs.iter().position(|j| j.pid == p) {
                        sh.jobs.remove(i);
                        return Ok(sys::status_of(s));
                    }
                }
                Err(libc::EINTR) => {
                    let sig = pending_signal();
                    sh.run_traps()?;
                    return Ok(128 + sig);
                }
                Err(_) => return Ok(127),
            }
        }
    }
    if args.is_empty() {
        let pids: Vec<i32> = sh
            .jobs
            .iter()
            .filter(|j| j.status.is_none())
            .map(|j| j.pid)
            .collect();
        for p in pids {
            loop {
                match sys::waitpid(p, 0) {
                    Ok(_) => break,
                    Err(libc::EINTR) => {
                        if sys::ANY_PENDING.load(std::sync::atomic::Ordering::Relaxed) {
                            let sig = pending_signal();
                            sh.run_traps()?;
                            return Ok(128 + sig);
                        }
                        continue;
                    }
                    Err(_) => break,
                }
            }
        }
        sh.jobs.clear();
        return Ok(0);
    }
    let mut st = 0;
    for x in args {
        let pid = if x.first() == Some(&b'%') {
            parse_int(&x[1..])
                .and_then(|n| sh.jobs.get((n - 1).max(0) as usize).map(|j| j.pid as i64))
        } else {
            parse_int(x)
        };
        let Some(pid) = pid else {
            err(sh, "wait", &format!("invalid number '{}'", lossy(x)));
            st = 2;
            continue;
        };
        let pid = pid as i32;
        if let Some(i) = sh.jobs.iter().position(|j| j.pid == pid) {
            st = match sh.jobs[i].status {
                Some(s) => s,
                None => match sh.wait_pid(pid, true) {
                    Some(s) => s,
                    None => {
                        // A trapped signal: its trap runs now, the job stays waitable.
                        let sig = pending_signal();
                        sh.run_traps()?;
                        return Ok(128 + sig);
                    }
                },
            };
            if let Some(i) = sh.jobs.iter().position(|j| j.pid == pid) {
                sh.jobs.remove(i);
            }
        } else {
            st = 127;
        }
    }
    Ok(st)
}

pub fn times(sh: &mut Shell, _a: &[Vec<u8>]) -> Res {
    let t = sys::times();
    let f = |s: f64| format!("{}m{:.6}s", (s / 60.0) as u64, s % 60.0);
    let line = format!("{} {}\n{} {}\n", f(t[0]), f(t[1]), f(t[2]), f(t[3]));
    sh.out.extend_from_slice(line.as_bytes());
    Ok(0)
}

const LIMITS: &[(u8, i32, &str, u64)] = &[
    (
        b'c',
        libc::RLIMIT_CORE as i32,
        "core file size (blocks)",
        512,
    ),
    (b'd', libc::RLIMIT_DATA as i32, "data seg size (kb)", 1024),
    (b'e', libc::RLIMIT_NICE as i32, "scheduling priority", 1),
    (b'f', libc::RLIMIT_FSIZE as i32, "file size (blocks)", 512),
    (b'i', libc::RLIMIT_SIGPENDING as i32, "pending signals", 1),
    (
        b'l',
        libc::RLIMIT_MEMLOCK as i32,
        "max locked memory (kb)",
        1024,
    ),
    (b'm', libc::RLIMIT_RSS as i32, "max memory size (kb)", 1024),
    (b'n', libc::RLIMIT_NOFILE as i32, "open files", 1),
    (
        b'q',
        libc::RLIMIT_MSGQUEUE as i32,
        "POSIX message queues (bytes)",
        1,
    ),
    (b'r', libc::RLIMIT_RTPRIO as i32, "real-time priority", 1),
    (b's', libc::RLIMIT_STACK as i32, "stack size (kb)", 1024),
    (b't', libc::RLIMIT_CPU as i32, "cpu time (seconds)", 1),
    (b'u', libc::RLIMIT_NPROC as i32, "max user processes", 1),
    (b'v', libc::RLIMIT_AS as i32, "virtual memory (kb)", 1024),
    (b'x', libc::RLIMIT_LOCKS as i32, "file locks", 1),
];

pub fn ulimit(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut hard = false;
    let mut soft = false;
    let mut all = false;
    let mut which = b'f';
    let mut val: Option<Vec<u8>> = None;
    for x in &a[1..] {
        if x.first() == Some(&b'-') && x.len() > 1 {
            for &c in &x[1..] {
                match c {
                    b'H' => hard = true,
                    b'S' => soft = true,
                    b'a' => all = true,
                    c if LIMITS.iter().any(|l| l.0 == c) => which = c,
                    _ => {
                        sh.flush_out();
                        let _ = sys::write_all(
                            2,
                            format!("ulimit: invalid option -- '{}'\n", c as char).as_bytes(),
                        );
                        return Ok(2);
                    }
                }
            }
        } else {
            val = Some(x.clone());
        }
    }
    let show = |sh: &mut Shell, l: &(u8, i32, &str, u64), prefix: bool| {
        let (s, h) = sys::getrlimit(l.1);
        let v = if hard && !soft { h } else { s };
        if prefix {
            sh.out
                .extend_from_slice(format!("{:<32}(-{}) ", l.2, l.0 as char).as_bytes());
        }
        if v == libc::RLIM_INFINITY {
            sh.out.extend_from_slice(b"unlimited\n");
        } else {
            sh.out
                .extend_from_slice(format!("{}\n", v / l.3).as_bytes());
        }
    };
    if all {
        for l in LIMITS {
            show(sh, l, true);
        }
        return Ok(0);
    }
    let Some(l) = LIMITS.iter().find(|l| l.0 == which) else {
        return Ok(2);
    };
    match val {
        None => {
            show(sh, l, false);
            Ok(0)
        }
        Some(v) => {
            let n = if v == b"unlimited" {
                libc::RLIM_INFINITY
            } else {
                match parse_int(&v) {
                    Some(n) if n >= 0 => (n as u64).saturating_mul(l.3),
                    _ => {
                        err(sh, "ulimit", &format!("bad number: {}", lossy(&v)));
                        return Ok(1);
                    }
                }
            };
            let (mut s, mut h) = sys::getrlimit(l.1);
            if hard || !soft {
                h = n;
            }
            if soft || !hard {
                s = n;
            }
            if !hard && !soft {
                // both, like ash
            }
            if let Err(e) = sys::setrlimit(l.1, s, h) {
                err(
                    sh,
                    "ulimit",
                    &format!("error setting limit ({})", sys::strerror(e)),
                );
                return Ok(1);
            }
            Ok(0)
        }
    }
}

pub fn umask(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut sym = false;
    let mut i = 1;
    if a.get(1).map(|s| s.as_slice()) == Some(b"-S") {
        sym = true;
        i = 2;
    }
    let cur = sys::umask(0);
    sys::umask(cur);
    let Some(m) = a.get(i) else {
        if sym {
            let perm = !cur & 0o777;
            let part = |shift: u32| {
                let b = (perm >> shift) & 7;
                let mut s = String::new();
                if b & 4 != 0 {
                    s.push('r');
                }
                if b & 2 != 0 {
                    s.push('w');
                }
                if b & 1 != 0 {
                    s.push('x');
                }
                s
            };
            let line = format!("u={},g={},o={}\n", part(6), part(3), part(0));
            sh.out.extend_from_slice(line.as_bytes());
        } else {
            sh.out
                .extend_from_slice(format!("{:04o}\n", cur).as_bytes());
        }
        return Ok(0);
    };
    if m.iter().all(|c| (b'0'..=b'7').contains(c)) && !m.is_empty() {
        let v = u32::from_str_radix(&lossy(m), 8).unwrap_or(0);
        sys::umask(v & 0o777);
        return Ok(0);
    }
    // symbolic: applies to the permission mask (complement of umask)
    let mut perm = !cur & 0o777;
    for clause in m.split(|&c| c == b',') {
        let mut j = 0;
        let mut who = 0u32;
        while j < clause.len() && b"ugoa".contains(&clause[j]) {
            who |= match clause[j] {
                b'u' => 0o700,
                b'g' => 0o070,
                b'o' => 0o007,
                _ => 0o777,
            };
            j += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if j >= clause.len() || !b"+-=".contains(&clause[j]) {
            err(sh, "umask", &format!("invalid mode '{}'", lossy(m)));
            return Ok(1);
        }
        let op = clause[j];
        j += 1;
        let mut bits = 0u32;
        while j < clause.len() {
            bits |= match clause[j] {
                b'r' => 0o444,
                b'w' => 0o222,
                b'x' => 0o111,
                _ => {
                    err(sh, "umask", &format!("invalid mode '{}'", lossy(m)));
                    return Ok(1);
                }
            };
            j += 1;
        }
        bits &= who;
        match op {
            b'+' => perm |= bits,
            b'-' => perm &= !bits,
            _ => perm = (perm & !who) | bits,
        }
    }
    sys::umask(!perm & 0o777);
    Ok(0)
}

// keep the imports used when features change
#[allow(dead_code)]
fn _unused(_: Simple, _: Word, _: Part) {}
