//! The shell's state and its top-level loop.

use crate::env::{FxMap, Opts, Vars};
use crate::syntax::ast::Command;
use crate::syntax::input::Input;
use crate::syntax::{Aliases, Parser};
use crate::sys;
use std::rc::Rc;

/// Non-local control flow out of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Exit(i32),
    Return(i32),
    Break(u32),
    Continue(u32),
}

pub type Res = Result<i32, Flow>;

pub const TRAP_ERR: usize = 65;

pub struct Job {
    pub pid: i32,
    pub status: Option<i32>,
}

pub struct Shell {
    pub vars: Vars,
    pub funcs: FxMap<Vec<u8>, Rc<Command>>,
    pub aliases: Aliases,
    pub pos: Vec<Vec<u8>>,
    pub arg0: Vec<u8>,
    pub opts: Opts,
    pub status: i32,
    pub traps: Vec<Option<Vec<u8>>>,
    pub last_bg: i32,
    pub jobs: Vec<Job>,
    /// Children reaped while waiting for another one: (pid, status).
    pub reaped: Vec<(i32, i32)>,
    /// getopts: (OPTIND it last set, position inside that argument).
    pub getopt_state: (usize, usize),
    /// Names of the functions running, innermost last (`$FUNCNAME`).
    pub funcnames: Vec<Vec<u8>>,
    /// The `exit` builtin ran (an interactive shell leaves only then, not on errors).
    pub exit_requested: bool,
    /// Nesting of variables evaluated as arithmetic expressions.
    pub arith_depth: u32,
    pub hash: FxMap<Vec<u8>, Vec<u8>>,
    pub func_depth: u32,
    pub loop_depth: u32,
    pub eval_depth: u32,
    pub subshell: bool,
    /// Script file name for error messages with line numbers.
    pub script: Option<Vec<u8>>,
    pub lineno: u32,
    /// >0 inside a condition: `set -e` does not apply.
    pub errexit_off: u32,
    pub self_id: Option<(u64, u64)>,
    pub rootpid: i32,
    pub cmdsub_status: Option<i32>,
    pub in_trap: bool,
    /// `$?` before the running trap action (what a bare `exit` in a trap uses).
    pub trap_status: Option<i32>,
    pub exiting: bool,
    pub start_time: i64,
    pub random: u32,
    /// Signals ignored when the shell started: traps cannot change them.
    pub ignored_at_start: u64,
    /// Builtin output, written to fd 1 when the builtin returns.
    pub out: Vec<u8>,
}

impl Shell {
    pub fn new() -> Shell {
        let mut sh = Shell {
            vars: Vars::default(),
            funcs: FxMap::default(),
            aliases: Rc::new(Default::default()),
            pos: Vec::new(),
            arg0: b"sh".to_vec(),
            opts: Opts::default(),
            status: 0,
            traps: vec![None; 66],
            last_bg: 0,
            jobs: Vec::new(),
            reaped: Vec::new(),
            getopt_state: (0, 1),
            funcnames: Vec::new(),
            exit_requested: false,
            arith_depth: 0,
            hash: FxMap::default(),
            func_depth: 0,
            loop_depth: 0,
            eval_depth: 0,
            subshell: false,
            script: None,
            lineno: 0,
            errexit_off: 0,
            self_id: sys::self_exe_id(),
            rootpid: sys::getpid(),
            cmdsub_status: None,
            in_trap: false,
            trap_status: None,
            exiting: false,
            start_time: sys::time_now(),
            random: sys::getpid() as u32 ^ (sys::time_now() as u32),
            ignored_at_start: 0,
            out: Vec::new(),
        };
        use std::os::unix::ffi::OsStrExt;
        for (k, v) in std::env::vars_os() {
            let k = k.as_bytes();
            if crate::syntax::lex::is_name(k) {
                let _ = sh.vars.set(k, v.as_bytes(), true);
            }
        }
        if sh.vars.get(b"IFS").is_some() {
            let _ = sh.vars.set(b"IFS", b" \t\n", false);
        }
        for (k, v) in [
            (&b"PS1"[..], &b"$ "[..]),
            (b"PS2", b"> "),
            (b"PS4", b"+ "),
            (b"OPTIND", b"1"),
        ] {
            if k == b"PS1" && sys::geteuid() == 0 {
                let _ = sh.vars.set(k, b"# ", false);
                continue;
            }
            let _ = sh.vars.set(k, v, false);
        }
        if sh.vars.get(b"HOSTNAME").is_none() {
            if let Some(h) = sys::hostname() {
                let _ = sh.vars.set(b"HOSTNAME", &h, false);
            }
        }
        let ppid = sys::getppid().to_string();
        let _ = sh.vars.set(b"PPID", ppid.as_bytes(), false);
        if let Some(cwd) = sys::getcwd() {
            let pwd_ok = sh
                .vars
                .get(b"PWD")
                .and_then(|p| {
                    let a = sys::stat(p)?;
                    let b = sys::stat(b".")?;
                    Some(p.first() == Some(&b'/') && a.dev == b.dev && a.ino == b.ino)
                })
                .unwrap_or(false);
            if !pwd_ok {
                let _ = sh.vars.set(b"PWD", &cwd, true);
            }
        }
        let lvl = sh
            .vars
            .get(b"SHLVL")
            .and_then(|s| std::str::from_utf8(s).ok()?.parse::<i64>().ok())
            .unwrap_or(0)
            + 1;
        let _ = sh.vars.set(b"SHLVL", lvl.to_string().as_bytes(), true);
        for (_, n) in crate::env::SIGNALS {
            if sys::signal_ignored(*n) && *n < 64 {
                sh.ignored_at_start |= 1 << n;
            }
        }
        sh
    }

    /// Prints `sh: msg` (or `script: line N: msg`).
    pub fn error(&mut self, msg: &str) {
        self.flush_out();
        let mut s = Vec::new();
        match &self.script {
            Some(n) => {
                s.extend_from_slice(n);
                s.extend_from_slice(format!(": line {}: ", self.lineno).as_bytes());
            }
            None => {
                s.extend_from_slice(&self.arg0);
                s.extend_from_slice(b": ");
            }
        }
        s.extend_from_slice(msg.as_bytes());
        s.push(b'\n');
        let _ = sys::write_all(2, &s);
    }

    pub fn flush_out(&mut self) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let r = sys::write_all(1, &self.out);
        self.out.clear();
        r.is_ok()
    }

    pub fn get_var(&mut self, n: &[u8]) -> Option<Vec<u8>> {
        if let Some(v) = self.vars.get(n) {
            return Some(v.to_vec());
        }
        match n {
            b"LINENO" => Some(self.lineno.to_string().into_bytes()),
            b"FUNCNAME" => self.funcnames.last().cloned(),
            b"RANDOM" => {
                self.random = self.random.wrapping_mul(1103515245).wrapping_add(12345);
                Some(((self.random >> 16) & 0x7fff).to_string().into_bytes())
            }
            b"SECONDS" => Some((sys::time_now() - self.start_time).to_string().into_bytes()),
            _ => None,
        }
    }

    /// Sets a variable, with the read-only error message.
    pub fn set_var(&mut self, n: &[u8], v: &[u8]) -> Result<(), ()> {
        let export = self.opts.allexport;
        if self.vars.set(n, v, export).is_err() {
            self.error(&format!("{}: is read only", String::from_utf8_lossy(n)));
            return Err(());
        }
        if n == b"PATH" {
            self.hash.clear();
        }
        Ok(())
    }

    /// Runs commands from a parser until its input ends or the shell exits.
    pub fn run_parser(&mut self, p: &mut Parser, top: bool) -> Res {
        let mut status = 0;
        // The previous command's tree is freed only after the next one is parsed: musl's
        // allocator then reuses its memory instead of unmapping and mapping it again.
        let mut _keep: Option<crate::syntax::ast::List> = None;
        loop {
            p.aliases = self.aliases.clone();
            if p.input.is_tty() {
                p.input.ps1 = self.vars.get(b"PS1").unwrap_or(b"").to_vec();
                p.input.ps2 = self.vars.get(b"PS2").unwrap_or(b"").to_vec();
            }
            if self.opts.verbose {
                p.input.record = Some(Vec::new());
            }
            let parsed = p.next_command();
            if let Some(r) = p.input.record.take() {
                self.flush_out();
                let _ = sys::write_all(2, &r);
            }
            let cmd = match parsed {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    self.lineno = e.line;
                    if p.input.is_tty() {
                        self.error(&e.msg);
                        self.status = 2;
                        continue;
                    }
                    self.error(&e.msg);
                    return Err(Flow::Exit(2));
                }
            };
            p.input.sync();
            if self.opts.noexec && !self.opts.interactive {
                _keep = Some(cmd);
                continue;
            }
            let exec = top && self.opts.cmdstring && p.input.rest_is_empty();
            match self.run_list(&cmd, exec) {
                Ok(s) => status = s,
                Err(Flow::Exit(s))
                    if top && self.opts.interactive && !self.exit_requested && !self.subshell =>
                {
                    // An error in an interactive shell ends the command, not the shell.
                    status = s;
                }
                Err(Flow::Exit(s)) => return Err(Flow::Exit(s)),
                Err(f) => {
                    if !top {
                        return Err(f);
                    }
                    status = match f {
                        Flow::Return(s) => s,
                        _ => self.status,
                    };
                    if let Flow::Return(_) = f {
                        self.status = status;
                        break;
                    }
                }
            }
            self.status = status;
            _keep = Some(cmd);
        }
        Ok(status)
    }

    /// Parses and runs a string (eval, traps).
    pub fn eval_str(&mut self, s: &[u8]) -> Res {
        if self.eval_depth > 100 {
            self.error("eval: nesting too deep");
            return Ok(2);
        }
        self.eval_depth += 1;
        let mut p = Parser::new(Input::mem(s.to_vec()));
        p.input.line = self.lineno;
        let saved_script = self.script.clone();
        let r = self.run_parser(&mut p, false);
        self.script = saved_script;
        self.eval_depth -= 1;
        r
    }

    /// Runs pending signal traps.
    pub fn run_traps(&mut self) -> Result<(), Flow> {
        if !sys::ANY_PENDING.load(std::sync::atomic::Ordering::Relaxed) || self.in_trap {
            return Ok(());
        }
        let p = sys::take_pending();
        for sig in 1..64 {
            if p & (1u64 << sig) != 0 {
                if let Some(cmd) = self.traps[sig].clone() {
                    let saved = self.status;
                    self.in_trap = true;
                    let outer = self.trap_status.replace(saved);
                    let r = self.eval_str(&cmd);
                    self.trap_status = outer;
                    self.in_trap = false;
                    self.status = saved;
                    r?;
                }
            }
        }
        Ok(())
    }

    /// Leaves the shell: EXIT trap once, flush, _exit.
    pub fn exit(&mut self, status: i32) -> ! {
        self.status = status;
        let _ = self.run_traps();
        if let Some(t) = self.traps[0].take() {
            if !self.exiting {
                self.exiting = true;
                let keep = self.status;
                self.trap_status = Some(keep);
                match self.eval_str(&t) {
                    Err(Flow::Exit(s)) => self.status = s,
                    _ => self.status = keep,
                }
            }
        }
        self.flush_out();
        sys::exit_now(self.status)
    }

    /// Is any trap action set (then the shell must stay to run it, not exec in place)?
    pub fn has_traps(&self) -> bool {
        self.traps
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| !t.is_empty()))
    }

    /// After a fork: what a subshell resets.
    pub fn enter_subshell(&mut self) {
        self.subshell = true;
        self.jobs.clear();
        self.traps[0] = None;
        self.traps[TRAP_ERR] = None;
        for sig in 1..64 {
            if let Some(t) = &self.traps[sig] {
                if !t.is_empty() {
                    self.traps[sig] = None;
                    sys::set_signal(sig as i32, sys::Disp::Default);
                }
            }
        }
        sys::take_pending();
    }
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new()
    }
}

impl crate::expand::arith::ArithEnv for Shell {
    fn get_var(&mut self, name: &[u8]) -> Result<i64, String> {
        match self.vars.get(name) {
            Some(v) => {
                if v.is_empty() {
                    return Ok(0);
                }
                match crate::expand::arith::var_value(v) {
                    Ok(n) => Ok(n),
                    Err(_) => {
                        // A variable holding an expression: evaluate it, within limits.
                        if self.arith_depth >= 32 {
                            return Err("expression recursion loop detected".into());
                        }
                        let v = v.to_vec();
                        self.arith_depth += 1;
                        let r = crate::expand::arith::eval(&v, self);
                        self.arith_depth -= 1;
                        r
                    }
                }
            }
            None => {
                if self.opts.nounset {
                    return Err(format!(
                        "{}: parameter not set",
                        String::from_utf8_lossy(name)
                    ));
                }
                match Shell::get_var(self, name) {
                    Some(v) => crate::expand::arith::var_value(&v),
                    None => Ok(0),
                }
            }
        }
    }
    fn set_var(&mut self, name: &[u8], v: i64) -> Result<(), String> {
        let mut buf = itoa(v);
        let export = self.opts.allexport;
        if self.vars.set(name, buf.as_mut_slice(), export).is_err() {
            return Err(format!("{}: is read only", String::from_utf8_lossy(name)));
        }
        Ok(())
    }
}

pub fn itoa(v: i64) -> Vec<u8> {
    v.to_string().into_bytes()
}
