//! Running the tree: lists, pipelines, compound commands, simple commands, functions.

pub mod redir;

use crate::builtins;
use crate::expand::pattern;
use crate::shell::{Flow, Job, Res, Shell, TRAP_ERR};
use crate::syntax::ast::*;
use crate::sys;
use std::rc::Rc;

const MAX_FUNC_DEPTH: u32 = 1000;

/// What a command name resolves to.
pub enum Found {
    Special(builtins::Builtin),
    Function(Rc<Command>),
    Builtin(builtins::Builtin),
    External(Vec<u8>),
    NotFound,
}

impl Shell {
    pub fn run_list(&mut self, l: &List, exec: bool) -> Res {
        let mut st = self.status;
        let n = l.items.len();
        for (i, ao) in l.items.iter().enumerate() {
            if self.opts.noexec && !self.opts.interactive {
                break;
            }
            st = self.run_and_or(ao, exec && i + 1 == n)?;
            self.status = st;
            self.run_traps()?;
        }
        Ok(st)
    }

    fn run_and_or(&mut self, ao: &AndOr, exec: bool) -> Res {
        if ao.background {
            return self.run_background(ao);
        }
        let mut st;
        if ao.rest.is_empty() {
            st = self.run_pipeline(&ao.first, exec)?;
        } else {
            self.errexit_off += 1;
            let r = self.run_pipeline(&ao.first, false);
            self.errexit_off -= 1;
            st = r?;
            let last = ao.rest.len() - 1;
            for (i, (op, p)) in ao.rest.iter().enumerate() {
                self.status = st;
                let run = match op {
                    AndOrOp::And => st == 0,
                    AndOrOp::Or => st != 0,
                };
                if !run {
                    continue;
                }
                if i < last {
                    self.errexit_off += 1;
                    let r = self.run_pipeline(p, false);
                    self.errexit_off -= 1;
                    st = r?;
                } else {
                    st = self.run_pipeline(p, exec)?;
                }
            }
            self.status = st;
            return self.after_command(st, false);
        }
        self.status = st;
        self.after_command(st, ao.first.bang)
    }

    /// `set -e` and the ERR trap after a command that is not a condition.
    fn after_command(&mut self, st: i32, bang: bool) -> Res {
        if st != 0 && !bang && self.errexit_off == 0 {
            if let Some(t) = self.traps[TRAP_ERR].clone() {
                if !self.in_trap {
                    self.in_trap = true;
                    let r = self.eval_str(&t);
                    self.in_trap = false;
                    self.status = st;
                    r?;
                }
            }
            if self.opts.errexit {
                return Err(Flow::Exit(st));
            }
        }
        Ok(st)
    }

    fn run_background(&mut self, ao: &AndOr) -> Res {
        self.flush_out();
        #[cfg(feature = "interactive")]
        let jc = self.jc();
        match sys::fork() {
            Ok(0) => {
                #[cfg(feature = "interactive")]
                if jc {
                    crate::interactive::jobs::child_setup(0, false, self.tty_fd);
                }
                self.enter_subshell();
                if !self.opts.monitor {
                    sys::set_signal(libc::SIGINT, sys::Disp::Ignore);
                    sys::set_signal(libc::SIGQUIT, sys::Disp::Ignore);
                    if let Ok(fd) = sys::open(b"/dev/null", libc::O_RDONLY, 0) {
                        let _ = sys::dup2(fd, 0);
                        sys::close(fd);
                    }
                }
                let mut fg = ao.clone();
                fg.background = false;
                let st = match self.run_and_or(&fg, true) {
                    Ok(s) => s,
                    Err(Flow::Exit(s)) => s,
                    Err(_) => self.status,
                };
                self.exit(st)
            }
            Ok(pid) => {
                self.last_bg = pid;
                self.jobs.push(Job { pid, status: None });
                #[cfg(feature = "interactive")]
                if jc {
                    // SAFETY: the child's group, set on both sides of the fork.
                    unsafe { libc::setpgid(pid, pid) };
                    let mut text = Vec::new();
                    for (i, c) in ao.first.cmds.iter().enumerate() {
                        if i > 0 {
                            text.extend_from_slice(b" | ");
                        }
                        text.extend(crate::shell::cmd_text(c));
                    }
                    if !ao.rest.is_empty() {
                        text.extend_from_slice(b" ...");
                    }
                    self.jobtab.add(pid, vec![(pid, text)]);
                }
                Ok(0)
            }
            Err(e) => {
                self.error(&format!("can't fork: {}", sys::strerror(e)));
                Ok(2)
            }
        }
    }

    pub fn run_pipeline(&mut self, p: &Pipeline, exec: bool) -> Res {
        if p.bang {
            self.errexit_off += 1;
        }
        let r = self.run_pipeline_inner(p, exec && !p.bang);
        if p.bang {
            self.errexit_off -= 1;
        }
        let st = r?;
        Ok(if p.bang { (st == 0) as i32 } else { st })
    }

    fn run_pipeline_inner(&mut self, p: &Pipeline, exec: bool) -> Res {
        if p.cmds.len() == 1 {
            return self.run_command(&p.cmds[0], exec);
        }
        self.run_pipeline_multi(p)
    }

    /// A pipeline of several commands. Out of line: a function calling itself recurses
    /// through run_pipeline_inner, whose frame should stay small.
    #[inline(never)]
    fn run_pipeline_multi(&mut self, p: &Pipeline) -> Res {
        self.flush_out();
        let n = p.cmds.len();
        let mut prev = -1;
        let mut pids = Vec::with_capacity(n);
        #[cfg(feature = "interactive")]
        let jc = self.jc();
        #[cfg(feature = "interactive")]
        let mut pgid = 0;
        for (i, c) in p.cmds.iter().enumerate() {
            let last = i + 1 == n;
            let (r, w) = if last {
                (-1, -1)
            } else {
                match sys::pipe() {
                    Ok(x) => x,
                    Err(e) => {
                        self.error(&format!("can't create pipe: {}", sys::strerror(e)));
                        break;
                    }
                }
            };
            // As ash's prehash: the parent looks the stage's command up just before its fork,
            // so the `hash` table remembers it (the stage's own lookup dies with it).
            if let Command::Simple(s) = c {
                if let Some(name) = s.words.first().and_then(|w| w.as_lit()) {
                    if !name.is_empty() && !name.contains(&b'/') {
                        let name = name.to_vec();
                        let _ = self.find_command(&name, true);
                    }
                }
            }
            match sys::fork() {
                Ok(0) => {
                    #[cfg(feature = "interactive")]
                    if jc {
                        crate::interactive::jobs::child_setup(pgid, true, self.tty_fd);
                    }
                    self.enter_subshell();
                    if prev >= 0 {
                        let _ = sys::dup2(prev, 0);
                        sys::close(prev);
                    }
                    if w >= 0 {
                        let _ = sys::dup2(w, 1);
                        sys::close(w);
                        sys::close(r);
                    }
                    let st = match self.run_command(c, true) {
                        Ok(s) => s,
                        Err(Flow::Exit(s)) => s,
                        Err(_) => self.status,
                    };
                    self.exit(st)
                }
                Ok(pid) => {
                    pids.push(pid);
                    #[cfg(feature = "interactive")]
                    if jc {
                        if pgid == 0 {
                            pgid = pid;
                            crate::interactive::jobs::give_terminal(self.tty_fd, pgid);
                        }
                        // SAFETY: as the child does; whoever runs first wins.
                        unsafe { libc::setpgid(pid, pgid) };
                    }
                }
                Err(e) => {
                    self.error(&format!("can't fork: {}", sys::strerror(e)));
                }
            }
            if prev >= 0 {
                sys::close(prev);
            }
            if w >= 0 {
                sys::close(w);
            }
            prev = r;
        }
        if prev >= 0 {
            sys::close(prev);
        }
        #[cfg(feature = "interactive")]
        if jc && pgid > 0 {
            let procs = pids
                .iter()
                .zip(&p.cmds)
                .map(|(&pid, c)| (pid, crate::shell::cmd_text(c)))
                .collect();
            return Ok(self.wait_fg_job(pgid, procs));
        }
        let mut st = 0;
        let mut fail = 0;
        for pid in pids {
            st = self.wait_for(pid);
            if st != 0 {
                fail = st;
            }
        }
        Ok(if self.opts.pipefail { fail } else { st })
    }

    /// Waits for one child, noting the statuses of background jobs reaped meanwhile.
    pub fn wait_for(&mut self, pid: i32) -> i32 {
        self.wait_pid(pid, false).unwrap_or(127)
    }

    /// Waits for a child; with `trappable`, a trapped signal ends the wait (None), as POSIX
    /// asks of the `wait` builtin.
    pub fn wait_pid(&mut self, pid: i32, trappable: bool) -> Option<i32> {
        if let Some(j) = self.jobs.iter().find(|j| j.pid == pid) {
            if let Some(s) = j.status {
                return Some(s);
            }
        }
        if let Some(i) = self.reaped.iter().position(|r| r.0 == pid) {
            return Some(self.reaped.swap_remove(i).1);
        }
        loop {
            // A trapped signal that came before the wait blocked ends it as well.
            if trappable && sys::ANY_PENDING.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            match sys::waitpid(-1, 0) {
                Ok((p, st)) => {
                    let s = sys::status_of(st);
                    if p == pid {
                        if libc::WIFSIGNALED(st) {
                            self.report_signal(libc::WTERMSIG(st));
                        }
                        return Some(s);
                    }
                    if let Some(j) = self.jobs.iter_mut().find(|j| j.pid == p) {
                        j.status = Some(s);
                    } else {
                        if self.reaped.len() >= 1024 {
                            self.reaped.remove(0);
                        }
                        self.reaped.push((p, s));
                    }
                }
                Err(libc::EINTR)
                    if trappable && sys::ANY_PENDING.load(std::sync::atomic::Ordering::Relaxed) =>
                {
                    return None
                }
                Err(libc::EINTR) => continue,
                Err(_) => return Some(127),
            }
        }
    }

    pub fn run_command(&mut self, c: &Command, exec: bool) -> Res {
        match c {
            Command::Simple(s) => self.run_simple(s, exec),
            Command::FuncDef(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                Ok(0)
            }
            Command::Compound(cc, redirs) => {
                if redirs.is_empty() {
                    return self.run_compound(cc, exec);
                }
                let mut saved = Vec::new();
                let ok = match self.redirect(redirs, Some(&mut saved)) {
                    Ok(ok) => ok,
                    Err(f) => {
                        self.restore(saved);
                        return Err(f);
                    }
                };
                if !ok {
                    self.restore(saved);
                    return Ok(1);
                }
                let r = self.run_compound(cc, false);
                self.restore(saved);
                r
            }
        }
    }

    fn run_compound(&mut self, c: &Compound, exec: bool) -> Res {
        match c {
            Compound::Brace(l) => self.run_list(l, exec),
            Compound::Subshell(l) => {
                if exec && !self.has_traps() {
                    self.enter_subshell();
                    return self.run_list(l, true);
                }
                self.flush_out();
                #[cfg(feature = "interactive")]
                let jc = self.jc();
                match sys::fork() {
                    Ok(0) => {
                        // Under job control the subshell is a job of its own, as ash makes it.
                        #[cfg(feature = "interactive")]
                        if jc {
                            crate::interactive::jobs::child_setup(0, true, self.tty_fd);
                        }
                        self.enter_subshell();
                        let st = match self.run_list(l, true) {
                            Ok(s) => s,
                            Err(Flow::Exit(s)) => s,
                            Err(_) => self.status,
                        };
                        self.exit(st)
                    }
                    #[cfg(feature = "interactive")]
                    Ok(pid) if jc => {
                        let mut text = b"(".to_vec();
                        crate::shell::deparse::list(l, &mut text);
                        text.push(b')');
                        Ok(self.wait_fg_child(pid, text))
                    }
                    Ok(pid) => Ok(self.wait_for(pid)),
                    Err(e) => {
                        self.error(&format!("can't fork: {}", sys::strerror(e)));
                        Ok(2)
                    }
                }
            }
            Compound::If(arms, els) => {
                for (cond, body) in arms {
                    self.errexit_off += 1;
                    let r = self.run_list(cond, false);
                    self.errexit_off -= 1;
                    if r? == 0 {
                        return self.run_list(body, exec);
                    }
                }
                match els {
                    Some(e) => self.run_list(e, exec),
                    None => Ok(0),
                }
            }
            Compound::While(until, cond, body) => {
                let mut st = 0;
                self.loop_depth += 1;
                let r = loop {
                    self.errexit_off += 1;
                    let r = self.run_list(cond, false);
                    self.errexit_off -= 1;
                    let c = match r {
                        Ok(c) => c,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(st);
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                            continue;
                        }
                        Err(f) => break Err(f),
                    };
                    if (c == 0) == *until {
                        break Ok(st);
                    }
                    match self.run_list(body, false) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(self.status);
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                            st = self.status;
                        }
                        Err(f) => break Err(f),
                    }
                };
                self.loop_depth -= 1;
                r
            }
            Compound::For(name, words, body) => {
                let items = match words {
                    Some(w) => self.expand_words(w)?,
                    None => self.pos.clone(),
                };
                let mut st = 0;
                self.loop_depth += 1;
                let mut r = Ok(0);
                for it in items {
                    if self.set_var(name, &it).is_err() {
                        r = Err(Flow::Exit(2));
                        break;
                    }
                    match self.run_list(body, false) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                r = Err(Flow::Break(n - 1));
                                break;
                            }
                            st = self.status;
                            break;
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                r = Err(Flow::Continue(n - 1));
                                break;
                            }
                            st = self.status;
                        }
                        Err(f) => {
                            r = Err(f);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                r?;
                Ok(st)
            }
            Compound::Case(w, items) => {
                let s = self.expand_single(w)?;
                let mut i = 0;
                while i < items.len() {
                    let mut m = false;
                    for p in &items[i].pats {
                        let pat = self.expand_pattern(p)?;
                        if pattern::pmatch(&pat, &s) {
                            m = true;
                            break;
                        }
                    }
                    if m {
                        let mut st;
                        loop {
                            st = self.run_list(&items[i].body, exec && !items[i].fallthrough)?;
                            if !items[i].fallthrough || i + 1 >= items.len() {
                                break;
                            }
                            i += 1;
                        }
                        return Ok(st);
                    }
                    i += 1;
                }
                Ok(0)
            }
            Compound::Cond(toks, line) => {
                self.lineno = *line;
                builtins::cond::run(self, toks)
            }
        }
    }

    /// Resolves a command name.
    pub fn find_command(&mut self, name: &[u8], use_funcs: bool) -> Found {
        if name.contains(&b'/') {
            return Found::External(name.to_vec());
        }
        if let Some(b) = builtins::find(name) {
            if b.special {
                return Found::Special(b);
            }
        }
        if use_funcs {
            if let Some(f) = self.funcs.get(name) {
                return Found::Function(f.clone());
            }
        }
        if let Some(b) = builtins::find(name) {
            return Found::Builtin(b);
        }
        match self.path_search(name) {
            Some(p) => Found::External(p),
            None => Found::NotFound,
        }
    }

    pub fn path_search(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        if let Some(p) = self.hash.get(name) {
            return Some(p.clone());
        }
        // Without PATH, ash finds nothing.
        let path = self.vars.get(b"PATH")?.to_vec();
        for dir in path.split(|&c| c == b':') {
            let mut p = Vec::with_capacity(dir.len() + name.len() + 1);
            if dir.is_empty() {
                p.extend_from_slice(name);
            } else {
                p.extend_from_slice(dir);
                p.push(b'/');
                p.extend_from_slice(name);
            }
            if let Some(st) = sys::stat(&p) {
                if st.mode & libc::S_IFMT == libc::S_IFREG && sys::access(&p, libc::X_OK) {
                    self.hash.insert(name.to_vec(), p.clone());
                    return Some(p);
                }
            }
        }
        None
    }

    fn xtrace(&mut self, s: &Simple, argv: &[Vec<u8>], assigns: &[(Vec<u8>, Vec<u8>)]) {
        let ps4 = self.vars.get(b"PS4").unwrap_or(b"+ ").to_vec();
        let mut line = ps4;
        let _ = s;
        let mut first = true;
        for (n, v) in assigns {
            if !first {
                line.push(b' ');
            }
            first = false;
            line.extend_from_slice(n);
            line.push(b'=');
            line.extend_from_slice(&builtins::quote(v));
        }
        for a in argv {
            if !first {
                line.push(b' ');
            }
            first = false;
            line.extend_from_slice(&builtins::quote(a));
        }
        line.push(b'\n');
        self.flush_out();
        let _ = sys::write_all(2, &line);
    }

    fn run_simple(&mut self, s: &Simple, exec: bool) -> Res {
        self.lineno = s.line;
        self.cmdsub_status = None;
        let decl = matches!(
            s.words.first().and_then(|w| w.as_lit()),
            Some(b"export" | b"readonly" | b"local")
        );
        let argv = if decl {
            self.expand_decl(&s.words)?
        } else {
            self.expand_words(&s.words)?
        };
        if argv.is_empty() {
            for a in &s.assigns {
                let v = self.expand_assign(&a.value)?;
                if self.opts.xtrace {
                    self.xtrace(s, &[], &[(a.name.clone(), v.clone())]);
                }
                if self.set_var(&a.name, &v).is_err() {
                    return Err(Flow::Exit(2));
                }
            }
        }
        let mut assigns = Vec::with_capacity(s.assigns.len());
        if !argv.is_empty() {
            for a in &s.assigns {
                let v = self.expand_assign(&a.value)?;
                assigns.push((a.name.clone(), v));
            }
            if self.opts.xtrace {
                self.xtrace(s, &argv, &assigns);
            }
        }
        if argv.is_empty() {
            let st = self.cmdsub_status.unwrap_or(0);
            if !s.redirs.is_empty() {
                let mut saved = Vec::new();
                let ok = self.redirect(&s.redirs, Some(&mut saved));
                self.restore(saved);
                if !ok? {
                    return Ok(1);
                }
            }
            return Ok(st);
        }
        let found = self.find_command(&argv[0], true);
        match found {
            Found::Special(b) => {
                if b.name == "exec" && argv.len() == 1 {
                    for (n, v) in &assigns {
                        if self.set_var(n, v).is_err() {
                            return Err(Flow::Exit(2));
                        }
                    }
                    return match self.redirect(&s.redirs, None)? {
                        true => Ok(0),
                        false => Err(Flow::Exit(1)),
                    };
                }
                for (n, v) in &assigns {
                    if self.set_var(n, v).is_err() {
                        return Err(Flow::Exit(2));
                    }
                }
                self.run_builtin(b, &argv, &s.redirs, true)
            }
            Found::Builtin(b) => {
                if assigns.is_empty() {
                    return self.run_builtin(b, &argv, &s.redirs, false);
                }
                self.vars.push_frame();
                for (n, v) in &assigns {
                    self.vars.save_in_frame(n);
                    let _ = self.vars.set(n, v, true);
                }
                let r = self.run_builtin(b, &argv, &s.redirs, false);
                self.vars.pop_frame();
                r
            }
            Found::Function(body) => {
                let mut saved = Vec::new();
                match self.redirect(&s.redirs, Some(&mut saved)) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.restore(saved);
                        return Ok(1);
                    }
                    Err(f) => {
                        self.restore(saved);
                        return Err(f);
                    }
                }
                self.vars.push_frame();
                for (n, v) in &assigns {
                    self.vars.save_in_frame(n);
                    let _ = self.vars.set(n, v, true);
                }
                let r = self.call_function(&body, &argv);
                self.vars.pop_frame();
                self.restore(saved);
                r
            }
            Found::External(path) => self.run_external(&path, &argv, &assigns, &s.redirs, exec),
            Found::NotFound => {
                // The message goes where the command's stderr would have gone.
                let mut saved = Vec::new();
                let ok = self.redirect(&s.redirs, Some(&mut saved));
                if let Ok(true) = ok {
                    self.error(&format!("{}: not found", String::from_utf8_lossy(&argv[0])));
                }
                self.restore(saved);
                ok?;
                Ok(127)
            }
        }
    }

    /// Words of a declaration utility (export, readonly, local): `NAME=value` arguments are
    /// expanded like assignments (no field splitting, tilde after = and :), as ash does.
    fn expand_decl(&mut self, words: &[Word]) -> Result<Vec<Vec<u8>>, Flow> {
        let mut out = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                if let Some(a) = crate::syntax::as_assign(w) {
                    let mut v = a.name.clone();
                    v.push(b'=');
                    v.extend(self.expand_assign(&a.value)?);
                    out.push(v);
                    continue;
                }
            }
            out.extend(self.expand_words(std::slice::from_ref(w))?);
        }
        Ok(out)
    }

    fn run_builtin(
        &mut self,
        b: builtins::Builtin,
        argv: &[Vec<u8>],
        redirs: &[Redir],
        special: bool,
    ) -> Res {
        if redirs.is_empty() {
            let r = (b.func)(self, argv);
            if !self.flush_builtin(b.name) {
                return Ok(1);
            }
            return r;
        }
        let mut saved = Vec::new();
        match self.redirect(redirs, Some(&mut saved)) {
            Ok(true) => {}
            Ok(false) => {
                self.restore(saved);
                if special && !self.opts.interactive {
                    return Err(Flow::Exit(1));
                }
                return Ok(1);
            }
            Err(f) => {
                self.restore(saved);
                return Err(f);
            }
        }
        let r = (b.func)(self, argv);
        let ok = self.flush_builtin(b.name);
        self.restore(saved);
        if !ok {
            return Ok(1);
        }
        r
    }

    /// Writes a builtin's output; echo reports a failed write as ash does.
    fn flush_builtin(&mut self, name: &str) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let r = sys::write_all(1, &self.out);
        self.out.clear();
        match r {
            Ok(()) => true,
            Err(e) => {
                if name == "echo" {
                    let m = format!("sh: write error: {}\n", sys::strerror(e));
                    let _ = sys::write_all(2, m.as_bytes());
                }
                false
            }
        }
    }

    pub fn call_function(&mut self, body: &Rc<Command>, argv: &[Vec<u8>]) -> Res {
        if self.func_depth >= MAX_FUNC_DEPTH {
            self.error("function nesting too deep");
            return Err(Flow::Exit(2));
        }
        self.func_depth += 1;
        let saved_pos = std::mem::replace(&mut self.pos, argv[1..].to_vec());
        let saved_loop = std::mem::replace(&mut self.loop_depth, 0);
        self.vars.push_frame();
        self.funcnames.push(argv[0].clone());
        let r = self.run_command(body, false);
        self.funcnames.pop();
        self.vars.pop_frame();
        self.loop_depth = saved_loop;
        self.pos = saved_pos;
        self.func_depth -= 1;
        match r {
            Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(self.status),
            other => other,
        }
    }

    fn child_exec(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
        assigns: &[(Vec<u8>, Vec<u8>)],
        redirs: &[Redir],
    ) -> ! {
        match self.redirect(redirs, None) {
            Ok(true) => {}
            Ok(false) => self.exit(1),
            Err(Flow::Exit(s)) => self.exit(s),
            Err(_) => self.exit(1),
        }
        for (n, v) in assigns {
            let _ = self.vars.set(n, v, true);
        }
        for sig in 1..64 {
            if let Some(t) = &self.traps[sig] {
                if !t.is_empty() {
                    sys::set_signal(sig as i32, sys::Disp::Default);
                }
            }
        }
        if self.opts.interactive {
            // What the interactive shell ignores for itself, its commands get back.
            for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
                if self.ignored_at_start & (1 << sig) == 0 && self.traps[sig as usize].is_none() {
                    sys::set_signal(sig, sys::Disp::Default);
                }
            }
        }
        // An applet of this very binary: run it in this process, no exec.
        if let (Some(id), Some(st)) = (self.self_id, sys::stat(path)) {
            if (st.dev, st.ino) == id {
                let base = path.rsplit(|&c| c == b'/').next().unwrap_or(path);
                if let Some(a) = rbox_common::applet::find(base) {
                    use std::os::unix::ffi::OsStringExt;
                    let args: Vec<std::ffi::OsString> = argv
                        .iter()
                        .map(|a| std::ffi::OsString::from_vec(a.clone()))
                        .collect();
                    use std::os::unix::ffi::OsStrExt;
                    let old: Vec<std::ffi::OsString> =
                        std::env::vars_os().map(|(k, _)| k).collect();
                    for k in old {
                        std::env::remove_var(k);
                    }
                    for kv in self.vars.environ() {
                        if let Some(eq) = kv.iter().position(|&c| c == b'=') {
                            if eq > 0 {
                                std::env::set_var(
                                    std::ffi::OsStr::from_bytes(&kv[..eq]),
                                    std::ffi::OsStr::from_bytes(&kv[eq + 1..]),
                                );
                            }
                        }
                    }
                    sys::set_signal(libc::SIGPIPE, sys::Disp::Default);
                    let st = (a.main)(args);
                    sys::exit_now(st);
                }
            }
        }
        let env = self.vars.environ();
        let e = sys::execve(path, argv, &env);
        if e == libc::ENOEXEC {
            // No #!: a shell script.
            if let Ok(data) =
                std::fs::read(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(path))
            {
                self.enter_subshell();
                self.funcs.clear();
                self.arg0 = path.to_vec();
                self.pos = argv[1..].to_vec();
                self.script = Some(path.to_vec());
                let mut p = crate::syntax::Parser::new(crate::syntax::input::Input::mem(data));
                let st = match self.run_parser(&mut p, true) {
                    Ok(s) => s,
                    Err(Flow::Exit(s)) => s,
                    Err(_) => self.status,
                };
                self.exit(st);
            }
        }
        let st = self.exec_failed(&argv[0], e);
        self.exit(st)
    }

    fn run_external(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
        assigns: &[(Vec<u8>, Vec<u8>)],
        redirs: &[Redir],
        exec: bool,
    ) -> Res {
        self.flush_out();
        if exec && !self.has_traps() {
            self.child_exec(path, argv, assigns, redirs);
        }
        // One stat decides both the in-process applet and the spawn below.
        let own = self.is_self(path);
        // An applet of this binary that the table marks safe to run in-process (NOFORK).
        if assigns.is_empty() && own {
            if let Some(a) = Self::nofork_applet(path) {
                let mut saved = Vec::new();
                match self.redirect(redirs, Some(&mut saved)) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.restore(saved);
                        return Ok(1);
                    }
                    Err(f) => {
                        self.restore(saved);
                        return Err(f);
                    }
                }
                use std::os::unix::ffi::OsStringExt;
                let args: Vec<std::ffi::OsString> = argv
                    .iter()
                    .map(|a| std::ffi::OsString::from_vec(a.clone()))
                    .collect();
                let st = (a.main)(args);
                self.restore(saved);
                return Ok(st);
            }
        }
        #[cfg(feature = "interactive")]
        let jc = self.jc();
        #[cfg(not(feature = "interactive"))]
        let jc = false;
        // The plain case, most commands of a script: no redirections, no assignments, no job
        // control, not this binary: posix_spawn, which copies no page tables (fork+exec of a
        // small program ~15% faster). Anything else, and a file exec rejects as ENOEXEC (a
        // script without #!), goes through fork and child_exec.
        if redirs.is_empty() && assigns.is_empty() && !jc && !self.opts.interactive && !own {
            let env = self.vars.environ();
            match sys::spawn(path, argv, &env) {
                Ok(pid) => {
                    let st = self.wait_for(pid);
                    return Ok(st);
                }
                Err(e) if e != libc::ENOEXEC => {
                    if !argv[0].contains(&b'/') {
                        self.hash.remove(&argv[0]);
                    }
                    return Ok(self.exec_failed(&argv[0], e));
                }
                Err(_) => {}
            }
        }
        match sys::fork() {
            Ok(0) => {
                #[cfg(feature = "interactive")]
                if jc {
                    crate::interactive::jobs::child_setup(0, true, self.tty_fd);
                }
                self.subshell = true;
                self.child_exec(path, argv, assigns, redirs)
            }
            Ok(pid) => {
                #[cfg(feature = "interactive")]
                let st = if jc {
                    self.wait_fg_child(pid, argv.join(&b' '))
                } else {
                    self.wait_for(pid)
                };
                #[cfg(not(feature = "interactive"))]
                let st = self.wait_for(pid);
                if st == 127 || st == 126 {
                    // the child reported; the hash entry may be stale
                    if !argv[0].contains(&b'/') {
                        self.hash.remove(&argv[0]);
                    }
                }
                Ok(st)
            }
            Err(e) => {
                self.error(&format!("can't fork: {}", sys::strerror(e)));
                Ok(2)
            }
        }
    }

    /// As ash: say how a waited-for child or foreground job died, unless by ^C or a closed
    /// pipe.
    pub fn report_signal(&mut self, sig: i32) {
        if sig != libc::SIGINT && sig != libc::SIGPIPE {
            self.flush_out();
            let mut m = sys::signal_text(sig).into_bytes();
            m.push(b'\n');
            let _ = sys::write_all(2, &m);
        }
    }

    /// The message and status for a command that could not be executed (errno `e`).
    fn exec_failed(&mut self, name: &[u8], e: i32) -> i32 {
        let name = String::from_utf8_lossy(name);
        if e == libc::ENOENT {
            self.error(&format!("{name}: not found"));
            return 127;
        }
        self.error(&format!("{name}: {}", sys::strerror(e)));
        126
    }

    /// `path` is this very rbox binary (its applets then run in the forked child).
    fn is_self(&self, path: &[u8]) -> bool {
        match (self.self_id, sys::stat(path)) {
            (Some(id), Some(st)) => (st.dev, st.ino) == id,
            _ => false,
        }
    }

    /// The applet `path` names, when the table marks it safe to run in-process (NOFORK);
    /// the caller has checked that `path` is this binary.
    fn nofork_applet(path: &[u8]) -> Option<&'static rbox_common::Applet> {
        let base = path.rsplit(|&c| c == b'/').next().unwrap_or(path);
        rbox_common::applet::find(base).filter(|a| a.nofork)
    }

    /// `$(...)`: the list's output with trailing newlines removed.
    pub fn command_subst(&mut self, l: &List) -> Result<Vec<u8>, Flow> {
        self.flush_out();
        let (r, w) = match sys::pipe() {
            Ok(x) => x,
            Err(e) => {
                self.error(&format!("can't create pipe: {}", sys::strerror(e)));
                return Ok(Vec::new());
            }
        };
        match sys::fork() {
            Ok(0) => {
                sys::close(r);
                let _ = sys::dup2(w, 1);
                sys::close(w);
                self.enter_subshell();
                let st = match self.run_list(l, true) {
                    Ok(s) => s,
                    Err(Flow::Exit(s)) => s,
                    Err(_) => self.status,
                };
                self.exit(st)
            }
            Ok(pid) => {
                sys::close(w);
                let mut out = Vec::new();
                sys::read_all(r, &mut out);
                sys::close(r);
                let st = self.wait_for(pid);
                self.cmdsub_status = Some(st);
                self.status = st;
                while out.last() == Some(&b'\n') {
                    out.pop();
                }
                Ok(out)
            }
            Err(e) => {
                sys::close(r);
                sys::close(w);
                self.error(&format!("can't fork: {}", sys::strerror(e)));
                Ok(Vec::new())
            }
        }
    }
}
