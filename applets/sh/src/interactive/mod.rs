//! Interactive use of the shell: line editing, history, completion, prompts, job control.
//!
//! Everything here sits behind the `interactive` feature and is a self-contained API the
//! shell calls (INTEGRATION.md says how it is wired):
//! - [`LineEditor`] reads a line from a terminal with emacs or vi keys, history and
//!   completion, and falls back to plain reading when input is not a terminal;
//! - [`History`] keeps lines in memory and in `$HISTFILE`; [`history::history_builtin`];
//! - [`Completer`] is what the shell tells completion (its builtins, functions, aliases,
//!   variables); file names, `~user`, applets and `$PATH` are handled here;
//! - [`prompt::expand_ps`] expands ash's backslash escapes in PS1/PS2/PS4;
//! - [`jobs`]: the job table, job ids, `jobs`/`fg`/`bg`, terminal hand-over.

pub mod complete;
pub mod history;
pub mod jobs;
pub mod lineedit;
pub mod prompt;
pub mod term;
pub mod vi;
pub mod width;

pub use complete::{Completer, EnvCompleter, Snapshot};
pub use history::History;
pub use lineedit::{LineEditor, ReadResult};

#[cfg(test)]
mod tests;

/// One line for the parser from [`Interactive::next_line`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line with its `\n` (kept in history).
    Text(Vec<u8>),
    Eof,
    /// ^C: throw away the command being read (all its lines) and prompt with PS1 again.
    Interrupted,
}

/// The interactive shell's terminal side in one place: the editor (with its history), the
/// names completion offers, and the prompts. The shell sets `names`, `ps1` and `ps2` before
/// it parses a command and the parser's terminal input calls
/// [`Interactive::next_line`].
pub struct Interactive {
    pub editor: LineEditor,
    pub names: Snapshot,
    /// Prompts ready to show: parameter expansion by the shell, then [`prompt::expand_ps`].
    pub ps1: Vec<u8>,
    pub ps2: Vec<u8>,
}

impl Interactive {
    /// Keys on `fd_in` (0), drawing on `fd_out` (2, as ash).
    pub fn new(fd_in: i32, fd_out: i32) -> Interactive {
        Interactive {
            editor: LineEditor::new(fd_in, fd_out),
            names: Snapshot::default(),
            ps1: b"$ ".to_vec(),
            ps2: b"> ".to_vec(),
        }
    }

    /// Reads the first (`first`: PS1) or a continuation (PS2) line of a command.
    pub fn next_line(&mut self, first: bool) -> Line {
        let prompt = if first { &self.ps1 } else { &self.ps2 };
        match self.editor.read_line(prompt, &mut self.names) {
            ReadResult::Line(mut l) => {
                self.editor.history.add(&l);
                l.push(b'\n');
                Line::Text(l)
            }
            ReadResult::Eof => Line::Eof,
            ReadResult::Interrupted => Line::Interrupted,
        }
    }
}

/// A test entry the shell does not call: an editor loop on stdin/stderr that prints each
/// line it reads to stdout as `[line]`, for the pseudo-terminal tests. argv[1] (if any) is
/// the prompt; `-o vi` selects vi mode; HISTFILE etc. come from the environment.
pub fn lineedit_demo(argv: &[Vec<u8>]) -> i32 {
    let mut ed = LineEditor::new(0, 2);
    ed.dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let mut prompt = b"$ ".to_vec();
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == b"-o" && argv.get(i + 1).is_some_and(|v| v == b"vi") {
            ed.set_vi(true);
            i += 2;
            continue;
        }
        prompt = a.clone();
        i += 1;
    }
    let env = |n: &str| std::env::var_os(n).map(std::os::unix::ffi::OsStringExt::into_vec);
    ed.history.configure(
        env("HISTFILE").as_deref(),
        env("HOME").as_deref(),
        env("HISTSIZE").as_deref(),
        env("HISTFILESIZE").as_deref(),
    );
    ed.history.load();
    if std::env::var_os("RBOX_LINEEDIT_NOTIFY").is_some() {
        // A background child, and `set -b` style notification when it ends.
        // SAFETY: the child only sleeps briefly and exits.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            // SAFETY: plain calls in the child, which then leaves at once.
            unsafe {
                libc::usleep(500_000);
                libc::_exit(0);
            }
        }
        ed.on_sigchld = Some(Box::new(move || {
            let mut st = 0;
            // SAFETY: reaping our own child.
            if unsafe { libc::waitpid(pid, &mut st, libc::WNOHANG) } == pid {
                let mut t = jobs::JobTable::new();
                let id = t.add(pid, vec![(pid, b"sleep 0.5".to_vec())]);
                t.update(pid, st);
                let mut o = Vec::new();
                t.format(id, false, &mut o);
                return o;
            }
            Vec::new()
        }));
    }
    let mut c = EnvCompleter;
    loop {
        match ed.read_line(&prompt, &mut c) {
            ReadResult::Line(l) => {
                ed.history.add(&l);
                let mut o = b"[".to_vec();
                o.extend_from_slice(&l);
                o.extend_from_slice(b"]\n");
                term::write_all(1, &o);
                if l == b"exit" {
                    return 0;
                }
            }
            ReadResult::Interrupted => term::write_all(1, b"[^C]\n"),
            ReadResult::Eof => {
                term::write_all(1, b"[EOF]\n");
                return 0;
            }
        }
    }
}
