//! Interactive use of the shell: line editing, history, completion, prompts, job control.
//!
//! Everything here sits behind the `interactive` feature and is a self-contained API the
//! shell calls (INTEGRATION.md says how):
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

pub use complete::{Completer, EnvCompleter};
pub use history::History;
pub use lineedit::{LineEditor, ReadResult};

#[cfg(test)]
mod tests;

/// A test entry the shell does not call: an editor loop on stdin/stderr that prints each
/// line it reads to stdout as `[line]`, for the pseudo-terminal tests. argv[1] (if any) is
/// the prompt; `-o vi` selects vi mode; HISTFILE etc. come from the environment.
pub fn lineedit_demo(argv: &[Vec<u8>]) -> i32 {
    let mut ed = LineEditor::new(0, 2);
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
