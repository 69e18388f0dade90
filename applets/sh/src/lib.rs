//! The rbox shell: a POSIX shell in the BusyBox ash tradition.
//!
//! Layout (after yash-rs): `syntax` (input, tokens, parser, tree), `expand` (word expansion,
//! arithmetic, patterns), `exec` (commands, pipelines, redirections), `builtins` (a module
//! per group), `env` (variables, options, signals), `shell` (state, top-level loop) and `sys`
//! (every libc call). See README.md for where ash and dash differ and which we follow.

#![allow(
    clippy::result_unit_err,
    clippy::should_implement_trait,
    clippy::collapsible_match
)]

pub mod builtins;
pub mod env;
pub mod exec;
pub mod expand;
#[cfg(feature = "interactive")]
pub mod interactive;
pub mod shell;
pub mod syntax;
pub mod sys;

use shell::{Flow, Shell};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use syntax::input::Input;
use syntax::Parser;

pub const USAGE: &str = "[-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]

Run a POSIX shell script: a string with -c, a FILE, or commands from stdin.

\t-c\tRun the commands in SCRIPT; ARG0 becomes $0
\t-s\tRead commands from stdin (the default without FILE)
\t-i\tInteractive
\t-l\tLogin shell: read /etc/profile and $HOME/.profile first
\t-e\tExit when a command fails (errexit)
\t-u\tUsing an unset variable is an error (nounset)
\t-x\tPrint commands as they run (xtrace)
\t-v\tPrint input as it is read (verbose)
\t-n\tRead commands without running them (noexec)
\t-f\tNo pathname expansion (noglob)
\t-C\tDo not overwrite files with > (noclobber)
\t-a\tExport every variable assigned (allexport)
\t-o OPT\tSet an option by name (also pipefail)";

pub fn main(argv: Vec<OsString>) -> i32 {
    let args: Vec<Vec<u8>> = argv.into_iter().map(|a| a.into_vec()).collect();
    let mut sh = Shell::new();
    let arg0 = args.first().cloned().unwrap_or_else(|| b"sh".to_vec());
    let mut login = arg0.first() == Some(&b'-');
    if args
        .iter()
        .skip(1)
        .take_while(|a| a.first() == Some(&b'-'))
        .any(|a| a == b"-l" || a == b"--login")
    {
        login = true;
    }
    let args: Vec<Vec<u8>> = args
        .into_iter()
        .enumerate()
        .filter(|(i, a)| !(*i > 0 && (a == b"--login")))
        .map(|(_, a)| a)
        .collect();
    let rest = match builtins::vars::parse_options(&mut sh, &args, 1, true) {
        Ok(Some(r)) => r,
        Ok(None) => Vec::new(),
        Err(_) => return 2,
    };
    sh.arg0 = arg0.clone();
    let mut parser;
    if sh.opts.cmdstring {
        let Some(cmd) = rest.first() else {
            let _ = sys::write_all(2, b"sh: -c requires an argument\n");
            return 2;
        };
        if let Some(a0) = rest.get(1) {
            sh.arg0 = a0.clone();
            // ash then names errors after it, with line numbers, as for a script
            sh.script = Some(a0.clone());
        }
        sh.pos = rest.iter().skip(2).cloned().collect();
        parser = Parser::new(Input::mem(cmd.clone()));
        // ash counts the lines of a -c string from 0
        parser.input.line = 0;
    } else if !sh.opts.stdin && !rest.is_empty() {
        let file = rest[0].clone();
        use std::os::unix::ffi::OsStrExt;
        let data = match std::fs::read(std::ffi::OsStr::from_bytes(&file)) {
            Ok(d) => d,
            Err(e) => {
                let msg = format!(
                    "sh: can't open '{}': {}\n",
                    String::from_utf8_lossy(&file),
                    sys::strerror(e.raw_os_error().unwrap_or(0))
                );
                let _ = sys::write_all(2, msg.as_bytes());
                return if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
            }
        };
        sh.arg0 = file.clone();
        sh.script = Some(file);
        sh.pos = rest[1..].to_vec();
        parser = Parser::new(Input::mem(data));
    } else {
        sh.opts.stdin = true;
        sh.pos = rest;
        parser = Parser::new(Input::fd(0));
        if parser.input.is_tty() && sys::isatty(2) {
            sh.opts.interactive = true;
        } else if sh.opts.interactive {
            parser.input.prompt_anyway();
        }
    }
    if sh.opts.interactive {
        sys::set_signal(libc::SIGINT, sys::Disp::Catch);
        sys::set_signal(libc::SIGQUIT, sys::Disp::Ignore);
        sys::set_signal(libc::SIGTERM, sys::Disp::Ignore);
    }
    if login {
        for f in [b"/etc/profile".to_vec(), {
            let mut h = sh.vars.get(b"HOME").unwrap_or(b"").to_vec();
            h.extend_from_slice(b"/.profile");
            h
        }] {
            if sys::stat(&f).is_some() {
                let a = vec![b".".to_vec(), f];
                if let Err(Flow::Exit(s)) = builtins::control::dot(&mut sh, &a) {
                    sh.exit(s);
                }
            }
        }
    }
    if sh.opts.interactive {
        if let Some(env) = sh.vars.get(b"ENV").map(|e| e.to_vec()) {
            if let Ok(e) = sh.expand_single(&syntax::ast::Word::lit(&env)) {
                if sys::stat(&e).is_some() {
                    let _ = builtins::control::dot(&mut sh, &[b".".to_vec(), e]);
                }
            }
        }
    }
    #[cfg(feature = "interactive")]
    if sh.opts.interactive && sys::isatty(0) && sys::isatty(2) {
        let mut t = Box::new(interactive::Interactive::new(0, 2));
        shell::sync_tty(&mut sh, &mut t);
        t.editor.history.load();
        sh.tty = Some(t);
        // Job control is on by default in an interactive shell on a terminal.
        sh.opts.monitor = true;
        if interactive::jobs::init_shell(2) {
            sh.tty_fd = 2;
        } else {
            sh.opts.monitor = false;
        }
    }
    let st = match sh.run_parser(&mut parser, true) {
        Ok(s) => s,
        Err(Flow::Exit(s)) => s,
        Err(_) => sh.status,
    };
    sh.exit(st)
}
