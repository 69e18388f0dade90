//! Dispatch, help, lists and the applet start-up sequence (privileges, help, flush).

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use rbox_common::applet::{self, lookup_name, Applet};
use rbox_common::err;
use rbox_common::Suid;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn run(argv: Vec<OsString>) -> i32 {
    let argv0 = argv.first().map(|a| a.as_bytes()).unwrap_or(b"rbox");
    let name = lookup_name(argv0);
    if name.starts_with(b"rbox") {
        return front(argv);
    }
    run_applet(name.to_vec(), argv)
}

fn run_applet(name: Vec<u8>, argv: Vec<OsString>) -> i32 {
    let Some(a) = applet::find(&name) else {
        return not_found(&name);
    };
    if argv.len() == 2 && argv[1] == "--help" && !a.help_is_operand {
        return print_usage(a);
    }
    if let Err(msg) = set_privileges(a) {
        err::report(a.name, &[msg.as_bytes()]);
        return 1;
    }
    let status = (a.main)(argv);
    flush_std(a.name, status)
}

fn not_found(name: &[u8]) -> i32 {
    err::report(&String::from_utf8_lossy(name), &[b"applet not found"]);
    127
}

/// Rust's own stdout is line-buffered and never flushed at exit without the runtime's
/// clean-up: flush it here and report a failure (ENOSPC, EPIPE) as the applet's.
fn flush_std(name: &str, status: i32) -> i32 {
    match std::io::stdout().flush() {
        Ok(()) => status,
        Err(e) => {
            err::report(name, &[b"write error", err::reason(&e).as_bytes()]);
            if status == 0 {
                1
            } else {
                status
            }
        }
    }
}

/// A setuid or setgid rbox gives its borrowed ids up before any applet that has no use for
/// them, so that the bit never turns `sh` into a root shell.
fn set_privileges(a: &Applet) -> Result<(), &'static str> {
    // SAFETY: plain id queries and changes; no memory is shared.
    unsafe {
        let (uid, euid, gid, egid) = (
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
        );
        match a.suid {
            Suid::Require if euid != 0 => return Err("must be run as root"),
            Suid::Drop if uid != euid || gid != egid => {
                if euid == 0 && libc::setgroups(0, std::ptr::null()) != 0 {
                    return Err("can't drop privileges");
                }
                if libc::setresgid(gid, gid, gid) != 0 || libc::setresuid(uid, uid, uid) != 0 {
                    return Err("can't drop privileges");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn print_usage(a: &Applet) -> i32 {
    let sep = if a.usage.starts_with('\n') { "" } else { " " };
    let text = format!(
        "rbox {VERSION} multi-call binary.\n\nUsage: {}{sep}{}\n",
        a.name, a.usage
    );
    write_stdout("rbox", text.as_bytes())
}

fn write_stdout(name: &str, b: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(b).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) => {
            err::report(name, &[b"write error", err::reason(&e).as_bytes()]);
            1
        }
    }
}

fn help() -> String {
    let mut s = format!(
        "rbox {VERSION} multi-call binary: the userland of a small Linux system in one file.\n\
         \n\
         Usage: rbox [APPLET [ARGUMENTS]...]\n\
         \x20  or: rbox --list[-full]\n\
         \x20  or: rbox --install [-s] [-f] [--root ROOT] [DIR]\n\
         \x20  or: rbox --help [APPLET]\n\
         \x20  or: rbox --version\n\
         \x20  or: APPLET [ARGUMENTS]...\n\
         \n\
         \trbox runs the applet named by the link it was called through, or by its first\n\
         \targument. --install links every applet into DIR, or to its standard path under\n\
         \tROOT (default /): hard links, or symlinks with -s; -f replaces BusyBox's links.\n\
         \n\
         Currently defined applets:\n"
    );
    let mut line = String::from("\t");
    for (i, a) in applet::table().iter().enumerate() {
        let sep = if i + 1 < applet::table().len() {
            ", "
        } else {
            ""
        };
        if line.len() + a.name.len() + sep.len() > 78 {
            s.push_str(line.trim_end());
            s.push('\n');
            line = String::from("\t");
        }
        line.push_str(a.name);
        line.push_str(sep);
    }
    s.push_str(&line);
    s.push('\n');
    s
}

fn front(argv: Vec<OsString>) -> i32 {
    let Some(first) = argv.get(1) else {
        return write_stdout("rbox", help().as_bytes());
    };
    match first.as_bytes() {
        b"--help" => match argv.get(2) {
            None => write_stdout("rbox", help().as_bytes()),
            Some(name) => match applet::find(lookup_name(name.as_bytes())) {
                Some(a) => print_usage(a),
                None => not_found(name.as_bytes()),
            },
        },
        b"--version" => {
            let names: Vec<&str> = applet::table().iter().map(|a| a.name).collect();
            let text = format!("rbox {VERSION}\napplets: {}\n", names.join(" "));
            write_stdout("rbox", text.as_bytes())
        }
        b"--list" | b"--list-full" => {
            let full = first == "--list-full";
            let mut s = String::new();
            for a in applet::table() {
                if full {
                    s.push_str(a.dir.as_str());
                    s.push('/');
                }
                s.push_str(a.name);
                s.push('\n');
            }
            write_stdout("rbox", s.as_bytes())
        }
        b"--install" => crate::install::main(&argv),
        _ => {
            let argv: Vec<OsString> = argv.into_iter().skip(1).collect();
            let name = lookup_name(argv[0].as_bytes()).to_vec();
            if name.starts_with(b"rbox") {
                return front(argv);
            }
            run_applet(name, argv)
        }
    }
}
