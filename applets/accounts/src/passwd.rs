//! `passwd [-a ALG] [-dlu] [-R DIR] [USER]`: change, delete, lock or unlock a password.
//!
//! As BusyBox: root may change any password without the old one; an ordinary user (through a
//! setuid-root rbox) changes only their own, giving the old one first, and cannot change a
//! locked one. The new password is asked twice on the terminal with echo off, or read as two
//! lines from stdin when it is not a terminal. `-l`/`-u`/`-d` are root's only. The hash is
//! SHA-512 crypt unless `-a` says otherwise (des, md5, sha256, sha512; BusyBox defaults to
//! DES). A user with a shadow line gets the hash there (and its change day) and `x` in
//! /etc/passwd; otherwise the hash goes to /etc/passwd. Passwords never appear in messages.
//!
//! With `-R DIR` the caller must be root or own DIR; a setuid rbox gives its borrowed ids up
//! first in that case, so it never edits a root the caller could not edit.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use rbox_common::getopt::{HasArg, LongOpt};
use rbox_common::passwd::{lines, Passwd, Shadow};

use crate::crypt::{ask, hash, new_hash, wipe};
use crate::db::{text, Db, PASSWD, SHADOW};
use crate::{look, msg, unknown};

pub const USAGE: &str = "[-a ALG] [-dlu] [-R DIR] [USER]

Change USER's password (default: your own)

\t-a ALG\tHash: des, md5, sha256, sha512 (default sha512)
\t-d\tEmpty the password
\t-l\tLock the account
\t-u\tUnlock the account
\t-R DIR\tEdit DIR/etc instead of /etc";

const LONG: &[LongOpt] = &[LongOpt::new("root", HasArg::Required, b'R' as u32)];
const A: &str = "passwd";

fn with_name(pre: &str, name: &[u8], post: &str) -> Vec<u8> {
    let mut m = pre.as_bytes().to_vec();
    m.extend_from_slice(name);
    m.extend_from_slice(post.as_bytes());
    m
}

fn println(b: &[u8]) {
    use std::io::Write;
    let mut o = std::io::stdout();
    let _ = o.write_all(b);
    let _ = o.write_all(b"\n");
    let _ = o.flush();
}

/// Asks for the old (when `check` holds a hash), then the new password twice; the new hash,
/// or None after BusyBox's message.
fn new_password(old_hash: Option<&[u8]>, algo: &[u8]) -> Option<Vec<u8>> {
    if let Some(h) = old_hash {
        let mut old = ask("Old password: ")?;
        let ok = hash(&old, h).is_some_and(|x| x == h);
        wipe(&mut old);
        if !ok {
            std::thread::sleep(std::time::Duration::from_secs(3));
            println(b"Incorrect password");
            return None;
        }
    }
    let mut new = ask("New password: ")?;
    let Some(mut again) = ask("Retype password: ") else {
        wipe(&mut new);
        return None;
    };
    let r = if new != again {
        println(b"Passwords don't match");
        None
    } else {
        new_hash(&new, algo)
    };
    wipe(&mut new);
    wipe(&mut again);
    r
}

/// Puts `pass` for `name` into shadow (with today's change day), and `x` or `pass` into
/// passwd, as BusyBox's passwd and chpasswd do. False when the user has no line at all.
pub(crate) fn store(db: &mut Db, name: &[u8], pass: &[u8]) -> bool {
    let mut in_shadow = false;
    if db.exists(SHADOW) {
        if let Some(s) = db.edit(SHADOW) {
            in_shadow = text::set_field(s, name, 1, pass, Some(crate::today())) > 0;
        }
    }
    let p = if in_shadow { &b"x"[..] } else { pass };
    match db.edit(PASSWD) {
        Some(f) => text::set_field(f, name, 1, p, None) > 0 || in_shadow,
        None => false,
    }
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = match crate::parse(A, USAGE, &argv, "a:ludR:", LONG) {
        Ok(a) => a,
        Err(s) => return s,
    };
    // SAFETY: plain id queries.
    let (me, euid, gid) = unsafe { (libc::getuid(), libc::geteuid(), libc::getgid()) };
    let lud = args.has(b'l') || args.has(b'u') || args.has(b'd');
    if args.operands.len() > 1 || (lud && (args.operands.is_empty() || (me != 0 && args.root.dir.is_none()))) {
        return crate::usage_error(A, USAGE);
    }
    let privileged = if me == 0 {
        true
    } else if args.root.dir.is_some() {
        // A setuid rbox edits a --root only with the caller's own ids.
        // SAFETY: plain id changes.
        let dropped = unsafe {
            (euid != me && libc::setgroups(0, std::ptr::null()) != 0 && euid == 0)
                || libc::setresgid(gid, gid, gid) != 0
                || libc::setresuid(me, me, me) != 0
        };
        if dropped || !args.root.allowed(A) {
            return 1;
        }
        true
    } else if euid != 0 {
        msg(A, &[crate::NOT_ROOT.as_bytes()]);
        return 1;
    } else {
        false
    };
    let algo = args.arg(b'a').map_or(&b"sha512"[..], |a| a.as_bytes());
    let Some(mut db) = Db::open(A, &args.root) else {
        return 1;
    };
    let myname: Vec<u8> = match lines(db.get(PASSWD))
        .filter_map(Passwd::parse)
        .find(|p| p.uid == me)
    {
        Some(p) => p.name.to_vec(),
        None if privileged => me.to_string().into_bytes(),
        None => {
            msg(A, &[format!("unknown uid {me}").as_bytes()]);
            return 1;
        }
    };
    let name: Vec<u8> = args
        .operands
        .first()
        .map_or(myname.clone(), |o| o.as_bytes().to_vec());
    let Some(pw) = look::user(&db, &name) else {
        unknown(A, "user", &name);
        return 1;
    };
    if !privileged && pw.uid != me {
        let mut m = myname.clone();
        m.extend_from_slice(&with_name(" can't change password for ", &name, ""));
        msg(A, &[&m]);
        return 1;
    }
    let mut current = pw.passwd.to_vec();
    if db.exists(SHADOW) {
        match lines(db.get(SHADOW))
            .filter_map(Shadow::parse)
            .find(|s| s.name == &name[..])
        {
            Some(s) => current = s.passwd.to_vec(),
            None => {
                let mut m = with_name("no record of ", &name, " in ");
                m.extend_from_slice(&db.shown(b"shadow"));
                m.extend_from_slice(b", using ");
                m.extend_from_slice(&db.shown(b"passwd"));
                msg(A, &[&m]);
            }
        }
    }
    let locked = current.starts_with(b"!");
    let newp: Vec<u8> = if !lud {
        if !privileged && locked {
            msg(A, &[&with_name("can't change locked password for ", &name, "")]);
            return 1;
        }
        println(&with_name("Changing password for ", &name, ""));
        // The lock is not held while a person types.
        drop(db);
        let old = (!privileged && !current.is_empty()).then_some(&current[..]);
        let Some(h) = new_password(old, algo) else {
            msg(A, &[&with_name("password for ", &name, " is unchanged")]);
            return 1;
        };
        db = match Db::open(A, &args.root) {
            Some(d) => d,
            None => return 1,
        };
        h
    } else if args.has(b'l') {
        if locked {
            msg(A, &[&with_name("password for ", &name, " is already locked")]);
            return 1;
        }
        let mut v = b"!".to_vec();
        v.extend_from_slice(&current);
        v
    } else if args.has(b'u') {
        if !locked {
            msg(A, &[&with_name("password for ", &name, " is already unlocked")]);
            return 1;
        }
        current[1..].to_vec()
    } else {
        Vec::new()
    };
    if !store(&mut db, &name, &newp) || !db.commit() {
        msg(A, &[b"can't update password file"]);
        return 1;
    }
    let mut m = with_name("password for ", &name, " changed by ");
    m.extend_from_slice(&myname);
    msg(A, &[&m]);
    0
}
