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
    #[cfg(feature = "interactive")]
    pub tty: Option<Box<crate::interactive::Interactive>>,
    #[cfg(feature = "interactive")]
    pub jobtab: crate::interactive::jobs::JobTable,
    /// The terminal for job control; -1 without job control.
    #[cfg(feature = "interactive")]
    pub tty_fd: i32,
    /// The terminal modes the shell runs commands with (read before each prompt), put back
    /// when a foreground job stops or is killed.
    #[cfg(feature = "interactive")]
    pub tty_modes: Option<libc::termios>,
    /// `exit` said "You have stopped jobs." once already.
    #[cfg(feature = "interactive")]
    pub stopped_warned: bool,
    /// Children reaped by the `set -b` notifier while the editor waited: (pid, status).
    #[cfg(feature = "interactive")]
    pub reaped_early: std::rc::Rc<std::cell::RefCell<Vec<(i32, i32)>>>,
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
            #[cfg(feature = "interactive")]
            tty: None,
            #[cfg(feature = "interactive")]
            jobtab: crate::interactive::jobs::JobTable::new(),
            #[cfg(feature = "interactive")]
            tty_fd: -1,
            #[cfg(feature = "interactive")]
            tty_modes: None,
            #[cfg(feature = "interactive")]
            stopped_warned: false,
            #[cfg(feature = "interactive")]
            reaped_early: Default::default(),
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
            // The prompts come from the environment when it has them, as in ash and dash;
            // OPTIND always starts at 1.
            if k != b"OPTIND" && sh.vars.get(k).is_some() {
                continue;
            }
            let v = if k == b"PS1" && sys::geteuid() == 0 {
                &b"# "[..]
            } else {
                v
            };
            let _ = sh.vars.set(k, v, false);
        }
        // Without PATH in the environment, ash's default, exported as BusyBox does.
        if sh.vars.get(b"PATH").is_none() {
            let _ = sh.vars.set(b"PATH", b"/sbin:/usr/sbin:/bin:/usr/bin", true);
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
        #[cfg(feature = "interactive")]
        let mut eofs = 0;
        loop {
            p.aliases = self.aliases.clone();
            if p.input.is_tty() {
                p.input.ps1 = self.vars.get(b"PS1").unwrap_or(b"").to_vec();
                p.input.ps2 = self.vars.get(b"PS2").unwrap_or(b"").to_vec();
            }
            if self.opts.verbose {
                p.input.record = Some(Vec::new());
            }
            #[cfg(feature = "interactive")]
            if top && self.jc() {
                self.notify_jobs();
                self.tty_modes = crate::interactive::jobs::get_modes(self.tty_fd);
            }
            #[cfg(feature = "interactive")]
            if top {
                if let Some(mut t) = self.tty.take() {
                    sync_tty(self, &mut t);
                    p.input.tty = Some(t);
                }
            }
            let parsed = p.next_command();
            #[cfg(feature = "interactive")]
            {
                if let Some(mut t) = p.input.tty.take() {
                    t.editor.on_sigchld = None;
                    self.tty = Some(t);
                    self.take_early_reaped();
                }
                if std::mem::take(&mut p.input.interrupted) {
                    self.status = 130;
                    p.reset();
                    continue;
                }
            }
            if let Some(r) = p.input.record.take() {
                self.flush_out();
                let _ = sys::write_all(2, &r);
            }
            let cmd = match parsed {
                Ok(Some(c)) => c,
                #[cfg(feature = "interactive")]
                Ok(None) if top && self.tty.is_some() => {
                    // End of input (^D) at the terminal, as ash: stopped jobs are warned
                    // about once, ignoreeof refuses (50 times at most), else a newline.
                    let warn = self.jc() && self.jobtab.has_stopped() && !self.stopped_warned;
                    if warn {
                        self.stopped_warned = true;
                        let _ = sys::write_all(2, b"You have stopped jobs.\n");
                    } else if self.opts.ignoreeof && eofs < 50 {
                        eofs += 1;
                        let _ = sys::write_all(2, b"\nUse \"exit\" to leave shell.\n");
                    } else {
                        let _ = sys::write_all(2, b"\n");
                        break;
                    }
                    p.reset();
                    continue;
                }
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
        #[cfg(feature = "interactive")]
        {
            self.tty = None;
            self.tty_fd = -1;
            self.jobtab = crate::interactive::jobs::JobTable::new();
        }
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

#[cfg(feature = "interactive")]
impl crate::interactive::prompt::PromptEnv for Shell {
    fn var(&self, name: &[u8]) -> Option<Vec<u8>> {
        self.vars.get(name).map(<[u8]>::to_vec)
    }
}

#[cfg(feature = "interactive")]
pub fn sync_tty(sh: &mut Shell, t: &mut crate::interactive::Interactive) {
    use crate::interactive::prompt::expand_ps;
    t.ps1 = expand_ps(&sh.prompt_value(b"PS1"), sh);
    t.ps2 = expand_ps(&sh.prompt_value(b"PS2"), sh);
    let n = &mut t.names;
    n.commands.clear();
    n.commands.extend(
        crate::builtins::TABLE
            .iter()
            .map(|b| b.name.as_bytes().to_vec()),
    );
    n.commands.extend(sh.funcs.keys().cloned());
    n.commands.extend(sh.aliases.keys().cloned());
    n.vars = sh
        .vars
        .map
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.val.clone()?)))
        .collect();
    t.editor.history.configure(
        sh.vars.get(b"HISTFILE"),
        sh.vars.get(b"HOME"),
        sh.vars.get(b"HISTSIZE"),
        sh.vars.get(b"HISTFILESIZE"),
    );
    t.editor.set_vi(sh.opts.vi);
    t.editor.on_sigchld = sh.sigchld_notifier();
    t.editor.dumb = sh.vars.get(b"TERM") == Some(&b"dumb"[..]);
}

#[cfg(feature = "interactive")]
impl Shell {
    /// A prompt variable after parameter, command and arithmetic expansion, as ash does
    /// before the prompt escapes; `$?` is left as it was, and a failed expansion shows
    /// the text unexpanded.
    fn prompt_value(&mut self, name: &[u8]) -> Vec<u8> {
        let raw = self.vars.get(name).unwrap_or(b"").to_vec();
        if !raw.iter().any(|&c| c == b'$' || c == b'`') {
            return raw;
        }
        let Some(w) = crate::syntax::Parser::parse_prompt(&raw) else {
            return raw;
        };
        let status = self.status;
        let r = self.expand_single(&w);
        self.status = status;
        r.unwrap_or(raw)
    }

    /// What `fg` and `bg` drive: this shell's terminal and its own modes.
    pub fn job_control(&self) -> crate::interactive::jobs::SysControl {
        crate::interactive::jobs::SysControl {
            tty: self.tty_fd,
            modes: self.tty_modes,
        }
    }

    /// Job control applies here: `set -m`, a terminal, not in a subshell.
    pub fn jc(&self) -> bool {
        self.opts.monitor && self.tty_fd >= 0 && !self.subshell
    }

    /// A single forked child as a foreground job of its own: its process group (set on
    /// both sides of the fork) gets the terminal, then it is waited for as a job.
    pub fn wait_fg_child(&mut self, pid: i32, text: Vec<u8>) -> i32 {
        // SAFETY: setpgid on our own child, as the child does itself.
        unsafe { libc::setpgid(pid, pid) };
        crate::interactive::jobs::give_terminal(self.tty_fd, pid);
        self.wait_fg_job(pid, vec![(pid, text)])
    }

    /// Waits for a foreground job under job control: done, or stopped (then kept in the
    /// table and reported, as ash does on ^Z). The terminal comes back to the shell.
    pub fn wait_fg_job(&mut self, pgid: i32, procs: Vec<(i32, Vec<u8>)>) -> i32 {
        use crate::interactive::jobs;
        let id = self.jobtab.add(pgid, procs);
        let st = jobs::wait_job(&mut self.jobtab, id);
        // SAFETY: getpgrp cannot fail.
        jobs::give_terminal(self.tty_fd, unsafe { libc::getpgrp() });
        if let Some(j) = self.jobtab.get_mut(id) {
            jobs::reclaim_modes(self.tty_fd, self.tty_modes.as_ref(), j);
            if let jobs::ProcState::Signaled(sig, _) = j.state() {
                self.report_signal(sig);
            }
        }
        let running_or_stopped = self.jobtab.get(id).is_some_and(|j| !j.done());
        if !running_or_stopped {
            self.jobtab.remove(id);
        } else {
            let mut o = b"\n".to_vec();
            self.jobtab.format(id, false, &mut o);
            if let Some(j) = self.jobtab.get_mut(id) {
                j.notified = true;
            }
            self.flush_out();
            let _ = sys::write_all(2, &o);
        }
        st
    }

    /// What `set -b` reaped and reported while the editor waited: recorded, not repeated.
    pub fn take_early_reaped(&mut self) {
        let early = std::mem::take(&mut *self.reaped_early.borrow_mut());
        if !early.is_empty() {
            for (pid, st) in early {
                self.record_wait(pid, st);
            }
            self.jobtab.notify(&mut Vec::new());
        }
    }

    /// A wait status reaped outside `wait_for`: into the job table and `$!`'s records.
    fn record_wait(&mut self, pid: i32, st: i32) {
        self.jobtab.update(pid, st);
        if !libc::WIFSTOPPED(st) && !libc::WIFCONTINUED(st) {
            let s = sys::status_of(st);
            if let Some(j) = self.jobs.iter_mut().find(|j| j.pid == pid) {
                j.status = Some(s);
            } else {
                self.reaped.push((pid, s));
            }
        }
    }

    /// Under `set -b`, while the editor waits for a key: SIGCHLD reaps into a copy of the
    /// job table, whose report the editor shows above the line at once; the statuses are
    /// kept for the real table (`notify_jobs`, before the next prompt).
    fn sigchld_notifier(&self) -> Option<Box<dyn FnMut() -> Vec<u8>>> {
        if !self.opts.notify || !self.jc() {
            return None;
        }
        let mut table = self.jobtab.clone();
        let early = self.reaped_early.clone();
        Some(Box::new(move || {
            while let Some((pid, st)) = reap_nohang() {
                table.update(pid, st);
                early.borrow_mut().push((pid, st));
            }
            let mut o = Vec::new();
            table.notify(&mut o);
            o
        }))
    }

    /// Before a prompt: reap what ended or stopped in the background and say so.
    pub fn notify_jobs(&mut self) {
        self.take_early_reaped();
        while let Some((pid, st)) = reap_nohang() {
            self.record_wait(pid, st);
        }
        let mut o = Vec::new();
        self.jobtab.notify(&mut o);
        if !o.is_empty() {
            self.flush_out();
            let _ = sys::write_all(2, &o);
        }
    }
}

/// One child that ended, stopped or continued, without blocking.
#[cfg(feature = "interactive")]
fn reap_nohang() -> Option<(i32, i32)> {
    let mut st = 0;
    // SAFETY: reaping our children without blocking.
    let pid = unsafe {
        libc::waitpid(
            -1,
            &mut st,
            libc::WNOHANG | libc::WUNTRACED | libc::WCONTINUED,
        )
    };
    (pid > 0).then_some((pid, st))
}

/// The text `jobs` shows for a command (words as written, quotes removed).
#[cfg(feature = "interactive")]
pub fn cmd_text(c: &crate::syntax::ast::Command) -> Vec<u8> {
    let mut o = Vec::new();
    deparse::command(c, &mut o);
    o
}

/// Command text for `jobs` from the tree, as ash prints it back (words without redirections
/// or assignments; case arms and `[[ ]]` shortened to `...`).
#[cfg(feature = "interactive")]
pub mod deparse {
    use crate::syntax::ast::{AndOrOp, Command, Compound, List, Pipeline, Word};

    fn words(ws: &[Word], o: &mut Vec<u8>) {
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                o.push(b' ');
            }
            crate::syntax::lex::flat(w.parts.as_slice(), o);
        }
    }

    pub fn list(l: &List, o: &mut Vec<u8>) {
        for (i, ao) in l.items.iter().enumerate() {
            if i > 0 {
                o.extend_from_slice(b"; ");
            }
            pipeline(&ao.first, o);
            for (op, p) in &ao.rest {
                o.extend_from_slice(if *op == AndOrOp::And {
                    b" && "
                } else {
                    b" || "
                });
                pipeline(p, o);
            }
            if ao.background {
                o.extend_from_slice(b" &");
            }
        }
    }

    fn pipeline(p: &Pipeline, o: &mut Vec<u8>) {
        if p.bang {
            o.extend_from_slice(b"! ");
        }
        for (i, c) in p.cmds.iter().enumerate() {
            if i > 0 {
                o.extend_from_slice(b" | ");
            }
            command(c, o);
        }
    }

    pub fn command(c: &Command, o: &mut Vec<u8>) {
        match c {
            Command::Simple(s) => words(&s.words, o),
            Command::FuncDef(name, body) => {
                o.extend_from_slice(name);
                o.extend_from_slice(b"() ");
                command(body, o);
            }
            Command::Compound(c, _) => match &**c {
                Compound::Brace(l) => {
                    o.extend_from_slice(b"{ ");
                    list(l, o);
                    o.extend_from_slice(b"; }");
                }
                Compound::Subshell(l) => {
                    o.push(b'(');
                    list(l, o);
                    o.push(b')');
                }
                Compound::If(arms, els) => {
                    for (i, (cond, body)) in arms.iter().enumerate() {
                        o.extend_from_slice(if i == 0 { b"if " } else { b"; elif " });
                        list(cond, o);
                        o.extend_from_slice(b"; then ");
                        list(body, o);
                    }
                    if let Some(e) = els {
                        o.extend_from_slice(b"; else ");
                        list(e, o);
                    }
                    o.extend_from_slice(b"; fi");
                }
                Compound::While(until, cond, body) => {
                    o.extend_from_slice(if *until { b"until " } else { b"while " });
                    list(cond, o);
                    o.extend_from_slice(b"; do ");
                    list(body, o);
                    o.extend_from_slice(b"; done");
                }
                Compound::For(name, ws, body) => {
                    o.extend_from_slice(b"for ");
                    o.extend_from_slice(name);
                    if let Some(ws) = ws {
                        o.extend_from_slice(b" in ");
                        words(ws, o);
                    }
                    o.extend_from_slice(b"; do ");
                    list(body, o);
                    o.extend_from_slice(b"; done");
                }
                Compound::Case(w, _) => {
                    o.extend_from_slice(b"case ");
                    words(std::slice::from_ref(w), o);
                    o.extend_from_slice(b" in ...; esac");
                }
                Compound::Cond(..) => o.extend_from_slice(b"[[ ... ]]"),
            },
        }
    }
}
