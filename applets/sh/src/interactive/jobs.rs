//! Job control: the job table, job ids, `jobs`, `fg`, `bg`, notifications, and the process
//! group and terminal hand-over helpers. The exec side (a process group per pipeline under
//! `set -m`) is wired by the shell (INTEGRATION.md).
//!
//! Output follows ash: `[N]C  STATUS                     COMMAND` with the command at
//! column 33, C being `+` (current job), `-` (previous) or a space; `jobs -l` adds each
//! process id and puts each pipeline stage on its own line; `jobs -p` prints process group
//! ids. Jobs are listed most recently used first, as ash does. Status words come from the
//! C library's strsignal (musl: "Stopped", "Stopped (signal)", "Terminated", "Killed"),
//! `Done`, `Done(N)`, `Running`.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcState {
    Running,
    Stopped(i32),
    Exited(i32),
    Signaled(i32, bool),
}

impl ProcState {
    /// From a waitpid(2) status.
    pub fn from_wait(st: i32) -> ProcState {
        if libc::WIFSTOPPED(st) {
            ProcState::Stopped(libc::WSTOPSIG(st))
        } else if libc::WIFSIGNALED(st) {
            ProcState::Signaled(libc::WTERMSIG(st), libc::WCOREDUMP(st))
        } else if libc::WIFCONTINUED(st) {
            ProcState::Running
        } else {
            ProcState::Exited(libc::WEXITSTATUS(st))
        }
    }

    /// The shell status ($?) this state gives.
    pub fn status(self) -> i32 {
        match self {
            ProcState::Running => 0,
            ProcState::Exited(n) => n,
            ProcState::Stopped(s) | ProcState::Signaled(s, _) => 128 + s,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Proc {
    pub pid: i32,
    pub cmd: Vec<u8>,
    pub state: ProcState,
}

#[derive(Clone, Debug)]
pub struct Job {
    pub id: usize,
    pub pgid: i32,
    pub procs: Vec<Proc>,
    /// The state change was reported (notification or `jobs`).
    pub notified: bool,
    /// Saved terminal modes of a stopped job (restored by `fg`), if the shell keeps them.
    pub tmodes: Option<libc::termios>,
}

impl Job {
    /// Running while any process runs; stopped while any is stopped; else done, with the
    /// last process's state.
    pub fn state(&self) -> ProcState {
        if self.procs.iter().any(|p| p.state == ProcState::Running) {
            return ProcState::Running;
        }
        if let Some(p) = self
            .procs
            .iter()
            .find(|p| matches!(p.state, ProcState::Stopped(_)))
        {
            return p.state;
        }
        self.procs.last().map_or(ProcState::Exited(0), |p| p.state)
    }

    pub fn done(&self) -> bool {
        matches!(self.state(), ProcState::Exited(_) | ProcState::Signaled(..))
    }

    /// The pipeline's text: the stages joined with ` | `.
    pub fn cmd(&self) -> Vec<u8> {
        let mut o = Vec::new();
        for (i, p) in self.procs.iter().enumerate() {
            if i > 0 {
                o.extend_from_slice(b" | ");
            }
            o.extend_from_slice(&p.cmd);
        }
        o
    }
}

fn signame(sig: i32) -> String {
    // SAFETY: strsignal returns a static (or thread-local) C string.
    unsafe {
        let p = libc::strsignal(sig);
        if p.is_null() {
            return format!("Signal {sig}");
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// The status word `jobs` shows.
pub fn status_text(s: ProcState) -> String {
    match s {
        ProcState::Running => "Running".into(),
        ProcState::Exited(0) => "Done".into(),
        ProcState::Exited(n) => format!("Done({n})"),
        ProcState::Stopped(sig) => signame(sig),
        ProcState::Signaled(sig, core) => {
            let mut t = signame(sig);
            if core {
                t.push_str(" (core dumped)");
            }
            t
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum JobIdError {
    NoSuchJob,
    /// `%%`, `%+`, `%-` (or no argument) and no such job: ash says "No current job".
    NoCurrent,
    Ambiguous,
}

#[derive(Clone, Default)]
pub struct JobTable {
    jobs: Vec<Job>,
    /// Job ids, most recently used first: [0] is the current job, [1] the previous.
    order: Vec<usize>,
}

impl JobTable {
    pub fn new() -> JobTable {
        JobTable::default()
    }

    /// Records a new job (a pipeline started in the background, or one that stopped);
    /// it becomes the current job. Ids are the lowest free number from 1.
    pub fn add(&mut self, pgid: i32, procs: Vec<(i32, Vec<u8>)>) -> usize {
        let mut id = 1;
        while self.jobs.iter().any(|j| j.id == id) {
            id += 1;
        }
        self.jobs.push(Job {
            id,
            pgid,
            procs: procs
                .into_iter()
                .map(|(pid, cmd)| Proc {
                    pid,
                    cmd,
                    state: ProcState::Running,
                })
                .collect(),
            notified: false,
            tmodes: None,
        });
        self.order.insert(0, id);
        id
    }

    pub fn get(&self, id: usize) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }

    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.order.iter().filter_map(|&id| self.get(id))
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn remove(&mut self, id: usize) -> Option<Job> {
        self.order.retain(|&i| i != id);
        let k = self.jobs.iter().position(|j| j.id == id)?;
        Some(self.jobs.remove(k))
    }

    /// Makes `id` the current job.
    pub fn set_current(&mut self, id: usize) {
        if self.get(id).is_some() {
            self.order.retain(|&i| i != id);
            self.order.insert(0, id);
        }
    }

    pub fn current(&self) -> Option<usize> {
        self.order.first().copied()
    }

    pub fn previous(&self) -> Option<usize> {
        self.order.get(1).copied()
    }

    /// True when some job is stopped (`exit` warns once).
    pub fn has_stopped(&self) -> bool {
        self.jobs
            .iter()
            .any(|j| matches!(j.state(), ProcState::Stopped(_)))
    }

    /// Records a waitpid result; returns the job the process belongs to.
    pub fn update(&mut self, pid: i32, wait_status: i32) -> Option<usize> {
        let st = ProcState::from_wait(wait_status);
        for j in &mut self.jobs {
            if let Some(p) = j.procs.iter_mut().find(|p| p.pid == pid) {
                if p.state != st {
                    p.state = st;
                    j.notified = false;
                }
                let id = j.id;
                if matches!(st, ProcState::Stopped(_)) {
                    self.set_current(id);
                }
                return Some(id);
            }
        }
        None
    }

    /// Marks every process of a job running again (after SIGCONT).
    pub fn mark_running(&mut self, id: usize) {
        if let Some(j) = self.get_mut(id) {
            for p in &mut j.procs {
                if let ProcState::Stopped(_) = p.state {
                    p.state = ProcState::Running;
                }
            }
        }
    }

    /// Parses a job id: `%n`, `%+` `%%` `%` (current), `%-` (previous), `%string` (command
    /// starts with), `%?string` (command contains); without `%`, a process id.
    pub fn find(&self, spec: &[u8]) -> Result<usize, JobIdError> {
        let Some(rest) = spec.strip_prefix(b"%") else {
            let pid = std::str::from_utf8(spec)
                .ok()
                .and_then(|s| s.parse::<i32>().ok())
                .ok_or(JobIdError::NoSuchJob)?;
            return self
                .jobs
                .iter()
                .find(|j| j.procs.iter().any(|p| p.pid == pid))
                .map(|j| j.id)
                .ok_or(JobIdError::NoSuchJob);
        };
        match rest {
            b"" | b"+" | b"%" => self.current().ok_or(JobIdError::NoCurrent),
            b"-" => self.previous().ok_or(JobIdError::NoCurrent),
            _ if rest.iter().all(u8::is_ascii_digit) => {
                let n: usize = std::str::from_utf8(rest)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or(JobIdError::NoSuchJob)?;
                self.get(n).map(|j| j.id).ok_or(JobIdError::NoSuchJob)
            }
            _ => {
                let (sub, pat) = match rest.strip_prefix(b"?") {
                    Some(p) => (true, p),
                    None => (false, rest),
                };
                let mut found = None;
                for id in &self.order {
                    let Some(j) = self.get(*id) else { continue };
                    let c = j.cmd();
                    let hit = if sub {
                        !pat.is_empty() && c.windows(pat.len()).any(|w| w == pat)
                    } else {
                        c.starts_with(pat)
                    };
                    if hit {
                        if found.is_some() {
                            return Err(JobIdError::Ambiguous);
                        }
                        found = Some(j.id);
                    }
                }
                found.ok_or(JobIdError::NoSuchJob)
            }
        }
    }

    fn mark(&self, id: usize) -> char {
        if self.current() == Some(id) {
            '+'
        } else if self.previous() == Some(id) {
            '-'
        } else {
            ' '
        }
    }

    /// One job as `jobs` shows it (long: with process ids, one line per stage).
    pub fn format(&self, id: usize, long: bool, out: &mut Vec<u8>) {
        let Some(j) = self.get(id) else { return };
        let mut line = format!("[{}]{}  ", j.id, self.mark(id));
        if long {
            for (i, p) in j.procs.iter().enumerate() {
                if i > 0 {
                    line = "      ".into();
                }
                let _ = write!(line, "{:5} ", p.pid);
                if i == 0 {
                    line.push_str(&status_text(j.state()));
                }
                pad(&mut line, 33);
                out.extend_from_slice(line.as_bytes());
                if i > 0 {
                    out.extend_from_slice(b"| ");
                }
                out.extend_from_slice(&p.cmd);
                out.push(b'\n');
            }
        } else {
            line.push_str(&status_text(j.state()));
            pad(&mut line, 33);
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(&j.cmd());
            out.push(b'\n');
        }
    }

    /// Reports jobs that changed state since last told (before a prompt, or at once under
    /// `set -b`), and forgets the finished ones.
    pub fn notify(&mut self, out: &mut Vec<u8>) {
        let ids: Vec<usize> = self
            .jobs()
            .filter(|j| !j.notified && j.state() != ProcState::Running)
            .map(|j| j.id)
            .collect();
        // Oldest first, as they happened.
        for &id in ids.iter().rev() {
            self.format(id, false, out);
            if let Some(j) = self.get_mut(id) {
                j.notified = true;
            }
        }
        self.forget_done();
    }

    /// Drops finished jobs that were reported.
    pub fn forget_done(&mut self) {
        let gone: Vec<usize> = self
            .jobs
            .iter()
            .filter(|j| j.done() && j.notified)
            .map(|j| j.id)
            .collect();
        for id in gone {
            self.remove(id);
        }
    }
}

fn pad(s: &mut String, col: usize) {
    while s.len() < col {
        s.push(' ');
    }
    if !s.ends_with(' ') {
        s.push(' ');
    }
}

/// What `fg` and `bg` need from the system (the shell's own implementation, or
/// [`SysControl`]).
pub trait JobControl {
    /// Sends SIGCONT to the job's process group.
    fn continue_job(&mut self, pgid: i32) -> bool {
        // SAFETY: a signal to a process group.
        unsafe { libc::kill(-pgid, libc::SIGCONT) == 0 }
    }
    /// Gives the terminal to `pgid`.
    fn foreground(&mut self, pgid: i32);
    /// Takes the terminal back for the shell.
    fn reclaim(&mut self);
    /// Writes to the shell's stdout (1) or stderr (2) at once (fg prints before it waits).
    fn print(&mut self, fd: i32, b: &[u8]) {
        super::term::write_all(fd, b);
    }
    /// Waits until job `id` is done or stopped, recording states in `t`; returns `$?`.
    fn wait_job(&mut self, t: &mut JobTable, id: usize) -> i32 {
        wait_job(t, id)
    }
    /// Before a stopped job goes on in the foreground: its saved terminal modes back.
    fn resume_modes(&mut self, _j: &Job) {}
    /// After a foreground job stopped or died of a signal: a stopped job's modes kept for
    /// `fg`, the shell's own modes put back (a stopped editor leaves the terminal raw).
    fn reclaim_modes(&mut self, _j: &mut Job) {}
}

/// The terminal modes of `fd`, if it is a terminal.
pub fn get_modes(fd: i32) -> Option<libc::termios> {
    // SAFETY: a zeroed termios is a valid out-parameter.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: tcgetattr on a descriptor with a valid out-pointer.
    (fd >= 0 && unsafe { libc::tcgetattr(fd, &mut t) } == 0).then_some(t)
}

/// Sets the terminal modes of `fd` once pending output is written.
pub fn set_modes(fd: i32, t: &libc::termios) {
    // SAFETY: tcsetattr on a descriptor with a valid termios.
    unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, t) };
}

/// [`JobControl::reclaim_modes`] for a job that has just stopped or died of a signal.
pub fn reclaim_modes(tty: i32, shell: Option<&libc::termios>, j: &mut Job) {
    match j.state() {
        ProcState::Stopped(_) => j.tmodes = get_modes(tty),
        ProcState::Signaled(..) => {}
        _ => return,
    }
    if let Some(m) = shell {
        set_modes(tty, m);
    }
}

/// Waits until every process of a job has finished or stopped (waitpid with WUNTRACED on
/// each process still running), updating the table; returns the job's status.
pub fn wait_job(t: &mut JobTable, id: usize) -> i32 {
    loop {
        let Some(j) = t.get(id) else { return 127 };
        let Some(pid) = j
            .procs
            .iter()
            .find(|p| p.state == ProcState::Running)
            .map(|p| p.pid)
        else {
            break;
        };
        let mut st = 0;
        // SAFETY: waitpid on a child.
        let r = unsafe { libc::waitpid(pid, &mut st, libc::WUNTRACED) };
        if r < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            // Not our child (any more): count it as done.
            t.update(pid, 0);
            continue;
        }
        // A stop (^Z) reaches every process of the group: go on until each one has
        // stopped or ended, so the job is reported once, as stopped.
        t.update(r, st);
    }
    t.get(id).map_or(127, |j| j.state().status())
}

/// Job control against the real terminal `fd` (the shell's stderr or /dev/tty).
pub struct SysControl {
    pub tty: i32,
    /// The shell's own terminal modes, put back when a job stops.
    pub modes: Option<libc::termios>,
}

impl JobControl for SysControl {
    fn resume_modes(&mut self, j: &Job) {
        if let Some(m) = j.tmodes.as_ref() {
            set_modes(self.tty, m);
        }
    }
    fn reclaim_modes(&mut self, j: &mut Job) {
        reclaim_modes(self.tty, self.modes.as_ref(), j);
    }
    fn foreground(&mut self, pgid: i32) {
        give_terminal(self.tty, pgid);
    }
    fn reclaim(&mut self) {
        // SAFETY: getpgrp cannot fail.
        give_terminal(self.tty, unsafe { libc::getpgrp() });
    }
}

/// tcsetpgrp with SIGTTOU blocked (a background caller would otherwise be stopped).
pub fn give_terminal(fd: i32, pgid: i32) -> bool {
    // SAFETY: signal mask calls on valid sets; tcsetpgrp on a descriptor.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTTOU);
        libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old);
        let r = libc::tcsetpgrp(fd, pgid);
        libc::sigprocmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        r == 0
    }
}

/// Start-up of job control in an interactive shell: wait until we are in the foreground
/// (stopping ourselves with SIGTTIN as POSIX shells do), ignore TSTP/TTIN/TTOU, put the shell
/// in its own process group and take the terminal. Returns false (no job control, and no
/// error message needed) when `fd` is not a terminal.
pub fn init_shell(fd: i32) -> bool {
    // SAFETY: process-group and signal calls on our own process.
    unsafe {
        if libc::isatty(fd) != 1 {
            return false;
        }
        loop {
            let fg = libc::tcgetpgrp(fd);
            if fg < 0 {
                return false;
            }
            if fg == libc::getpgrp() {
                break;
            }
            libc::kill(-libc::getpgrp(), libc::SIGTTIN);
        }
        for s in [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU] {
            libc::signal(s, libc::SIG_IGN);
        }
        let pid = libc::getpid();
        if libc::getpgrp() != pid {
            libc::setpgid(0, pid);
        }
        give_terminal(fd, pid)
    }
}

/// In a forked child of a pipeline under `set -m` (called by both parent and child, as the
/// race requires): join process group `pgid` (0: start one, the first stage), take the
/// terminal if the job runs in the foreground, and restore the default dispositions of the
/// job-control signals the shell ignores.
pub fn child_setup(pgid: i32, foreground: bool, tty: i32) {
    // SAFETY: process-group and signal calls on our own process.
    unsafe {
        libc::setpgid(0, pgid);
        if foreground {
            give_terminal(tty, libc::getpgrp());
        }
        for s in [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU] {
            libc::signal(s, libc::SIG_DFL);
        }
    }
}

fn err(out: &mut Vec<u8>, cmd: &str, spec: &[u8], e: JobIdError) {
    out.extend_from_slice(b"sh: ");
    out.extend_from_slice(cmd.as_bytes());
    out.extend_from_slice(b": ");
    if e == JobIdError::NoCurrent {
        out.extend_from_slice(b"No current job\n");
        return;
    }
    out.extend_from_slice(spec);
    out.extend_from_slice(match e {
        JobIdError::Ambiguous => b": ambiguous\n",
        _ => b": no such job\n",
    });
}

/// `jobs [-lp] [JOB]...`: stdout into `out`, messages into `err_out`.
pub fn jobs_builtin(
    args: &[Vec<u8>],
    t: &mut JobTable,
    out: &mut Vec<u8>,
    err_out: &mut Vec<u8>,
) -> i32 {
    let mut long = false;
    let mut pids = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'l' => long = true,
                b'p' => pids = true,
                _ => {
                    err_out.extend_from_slice(
                        format!("sh: jobs: illegal option -{}\n", c as char).as_bytes(),
                    );
                    return 2;
                }
            }
        }
        i += 1;
    }
    let mut ids = Vec::new();
    let mut st = 0;
    if i >= args.len() {
        ids = t.jobs().map(|j| j.id).collect();
    } else {
        for a in &args[i..] {
            match t.find(a) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    err(err_out, "jobs", a, e);
                    st = 1;
                }
            }
        }
    }
    for id in ids {
        if pids {
            if let Some(j) = t.get(id) {
                out.extend_from_slice(format!("{}\n", j.pgid).as_bytes());
            }
        } else {
            t.format(id, long, out);
        }
        if let Some(j) = t.get_mut(id) {
            j.notified = true;
        }
    }
    t.forget_done();
    st
}

/// `fg [JOB]`: prints the command (through [`JobControl::print`], before waiting), continues
/// the job in the foreground and waits for it; a job that stops again is reported.
pub fn fg_builtin(
    args: &[Vec<u8>],
    t: &mut JobTable,
    ctl: &mut dyn JobControl,
    err_out: &mut Vec<u8>,
) -> i32 {
    let spec = args.get(1).cloned().unwrap_or_else(|| b"%%".to_vec());
    let id = match t.find(&spec) {
        Ok(id) => id,
        Err(e) => {
            err(err_out, "fg", &spec, e);
            return 1;
        }
    };
    let Some(j) = t.get(id) else { return 1 };
    let pgid = j.pgid;
    let mut text = j.cmd();
    text.push(b'\n');
    ctl.print(1, &text);
    ctl.resume_modes(j);
    t.set_current(id);
    ctl.foreground(pgid);
    t.mark_running(id);
    ctl.continue_job(pgid);
    let st = ctl.wait_job(t, id);
    ctl.reclaim();
    if let Some(j) = t.get_mut(id) {
        ctl.reclaim_modes(j);
        if j.done() {
            j.notified = true;
        } else {
            // Stopped again: tell at once, as ^Z does.
            let mut o = b"\n".to_vec();
            j.notified = true;
            t.format(id, false, &mut o);
            ctl.print(2, &o);
        }
    }
    t.forget_done();
    st
}

/// `bg [JOB]...`: continues stopped jobs in the background, printing `[N] command`.
pub fn bg_builtin(
    args: &[Vec<u8>],
    t: &mut JobTable,
    ctl: &mut dyn JobControl,
    out: &mut Vec<u8>,
    err_out: &mut Vec<u8>,
) -> i32 {
    let specs: Vec<Vec<u8>> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        vec![b"%%".to_vec()]
    };
    let mut st = 0;
    for spec in specs {
        match t.find(&spec) {
            Ok(id) => {
                let Some(j) = t.get(id) else { continue };
                let pgid = j.pgid;
                out.extend_from_slice(format!("[{}] ", id).as_bytes());
                out.extend_from_slice(&j.cmd());
                out.push(b'\n');
                t.mark_running(id);
                ctl.continue_job(pgid);
            }
            Err(e) => {
                err(err_out, "bg", &spec, e);
                st = 1;
            }
        }
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> JobTable {
        let mut t = JobTable::new();
        t.add(100, vec![(100, b"sleep 100".to_vec())]);
        t.add(
            200,
            vec![(200, b"sleep 200".to_vec()), (201, b"cat".to_vec())],
        );
        t.add(300, vec![(300, b"vi notes".to_vec())]);
        t
    }

    #[test]
    fn job_ids() {
        let t = table();
        assert_eq!(t.find(b"%1"), Ok(1));
        assert_eq!(t.find(b"%+"), Ok(3));
        assert_eq!(t.find(b"%%"), Ok(3));
        assert_eq!(t.find(b"%"), Ok(3));
        assert_eq!(t.find(b"%-"), Ok(2));
        assert_eq!(t.find(b"%vi"), Ok(3));
        assert_eq!(t.find(b"%sleep"), Err(JobIdError::Ambiguous));
        assert_eq!(t.find(b"%?cat"), Ok(2));
        assert_eq!(t.find(b"%?200"), Ok(2));
        assert_eq!(t.find(b"%?zzz"), Err(JobIdError::NoSuchJob));
        assert_eq!(t.find(b"%4"), Err(JobIdError::NoSuchJob));
        assert_eq!(t.find(b"201"), Ok(2));
        assert_eq!(t.find(b"x"), Err(JobIdError::NoSuchJob));
        assert_eq!(JobTable::new().find(b"%+"), Err(JobIdError::NoCurrent));
    }

    #[test]
    fn listing_like_ash() {
        let mut t = table();
        let mut o = Vec::new();
        let mut e = Vec::new();
        jobs_builtin(&[b"jobs".to_vec()], &mut t, &mut o, &mut e);
        assert_eq!(
            String::from_utf8_lossy(&o),
            "[3]+  Running                    vi notes\n\
             [2]-  Running                    sleep 200 | cat\n\
             [1]   Running                    sleep 100\n"
        );
        o.clear();
        jobs_builtin(
            &[b"jobs".to_vec(), b"-l".to_vec(), b"%2".to_vec()],
            &mut t,
            &mut o,
            &mut e,
        );
        assert_eq!(
            String::from_utf8_lossy(&o),
            "[2]-    200 Running              sleep 200\n        \
             201                      | cat\n"
        );
        o.clear();
        jobs_builtin(&[b"jobs".to_vec(), b"-p".to_vec()], &mut t, &mut o, &mut e);
        assert_eq!(o, b"300\n200\n100\n");
        jobs_builtin(&[b"jobs".to_vec(), b"%sl".to_vec()], &mut t, &mut o, &mut e);
        assert_eq!(e, b"sh: jobs: %sl: ambiguous\n");
    }

    #[test]
    fn states_and_notifications() {
        let mut t = table();
        // Job 1 stopped by SIGTSTP: 0x7f | sig << 8; becomes current.
        t.update(100, 0x7f | (libc::SIGTSTP << 8));
        assert_eq!(t.current(), Some(1));
        assert_eq!(t.previous(), Some(3));
        assert!(t.has_stopped());
        // Job 2: first stage killed by TERM, last exits 3.
        t.update(200, libc::SIGTERM);
        assert_eq!(t.get(2).map(|j| j.state()), Some(ProcState::Running));
        t.update(201, 3 << 8);
        assert_eq!(t.get(2).map(|j| j.state()), Some(ProcState::Exited(3)));
        let mut o = Vec::new();
        t.notify(&mut o);
        let s = String::from_utf8_lossy(&o).into_owned();
        assert!(
            s.contains("[2]   Done(3)                    sleep 200 | cat\n"),
            "{s}"
        );
        assert!(s.contains("[1]+  Stopped"), "{s}");
        assert!(t.get(2).is_none());
        o.clear();
        t.notify(&mut o);
        assert!(o.is_empty());
        assert_eq!(
            ProcState::from_wait(libc::SIGKILL).status(),
            128 + libc::SIGKILL
        );
        assert_eq!(status_text(ProcState::Exited(0)), "Done");
        // A new job takes the lowest free id.
        assert_eq!(t.add(1, vec![(1, b"x".to_vec())]), 2);
    }

    struct Fake {
        conts: Vec<i32>,
        fg: Vec<i32>,
    }
    impl JobControl for Fake {
        fn continue_job(&mut self, pgid: i32) -> bool {
            self.conts.push(pgid);
            true
        }
        fn foreground(&mut self, pgid: i32) {
            self.fg.push(pgid);
        }
        fn reclaim(&mut self) {
            self.fg.push(0);
        }
        fn print(&mut self, _fd: i32, _b: &[u8]) {}
        fn wait_job(&mut self, t: &mut JobTable, id: usize) -> i32 {
            let pids: Vec<i32> = t
                .get(id)
                .map(|j| j.procs.iter().map(|p| p.pid).collect())
                .unwrap_or_default();
            for p in pids {
                t.update(p, 0);
            }
            0
        }
    }

    #[test]
    fn bg_and_fg() {
        let mut t = table();
        t.update(100, 0x7f | (libc::SIGSTOP << 8));
        let mut f = Fake {
            conts: vec![],
            fg: vec![],
        };
        let (mut o, mut e) = (Vec::new(), Vec::new());
        assert_eq!(
            bg_builtin(&[b"bg".to_vec()], &mut t, &mut f, &mut o, &mut e),
            0
        );
        assert_eq!(o, b"[1] sleep 100\n");
        assert_eq!(f.conts, [100]);
        assert_eq!(t.get(1).map(|j| j.state()), Some(ProcState::Running));
        assert_eq!(
            fg_builtin(&[b"fg".to_vec(), b"%2".to_vec()], &mut t, &mut f, &mut e),
            0
        );
        assert_eq!(f.fg, [200, 0]);
        assert!(t.get(2).is_none());
        assert_eq!(
            fg_builtin(&[b"fg".to_vec(), b"%9".to_vec()], &mut t, &mut f, &mut e),
            1
        );
        assert_eq!(e, b"sh: fg: %9: no such job\n");
        e.clear();
        let mut empty = JobTable::new();
        assert_eq!(fg_builtin(&[b"fg".to_vec()], &mut empty, &mut f, &mut e), 1);
        assert_eq!(e, b"sh: fg: No current job\n");
    }
}
