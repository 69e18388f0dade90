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

/// Case-insensitive: is one of `a` (or `a` reversed) and `b` inside the other?
fn similar(a: &[u8], b: &[u8]) -> bool {
    let lower = |s: &[u8]| s.to_ascii_lowercase();
    let inside = |h: &[u8], n: &[u8]| n.is_empty() || h.windows(n.len()).any(|w| w == n);
    let (a, b) = (lower(a), lower(b));
    let r: Vec<u8> = a.iter().rev().copied().collect();
    inside(&a, &b) || inside(&b, &a) || inside(&r, &b) || inside(&b, &r)
}

/// BusyBox's weak-password rules (FEATURE_PASSWD_WEAK_CHECK, minimum length 6): why `new`
/// is weak, or None.
fn weakness(old: Option<&[u8]>, new: &[u8], name: &[u8], gecos: &[u8]) -> Option<&'static str> {
    const MIN: usize = 6;
    if new.len() < MIN {
        return Some("too short");
    }
    if similar(new, name) {
        return Some("similar to username");
    }
    if !gecos.is_empty() && similar(new, gecos) {
        return Some("similar to gecos");
    }
    let mut host = [0u8; 256];
    // SAFETY: pointer and length of a live buffer.
    if unsafe { libc::gethostname(host.as_mut_ptr().cast(), host.len() - 1) } == 0 {
        let end = host.iter().position(|&b| b == 0).unwrap_or(0);
        if similar(new, &host[..end]) {
            return Some("similar to hostname");
        }
    }
    let mut classes = 0u8;
    for &c in new {
        classes |= match c {
            b'a'..=b'z' => 1,
            b'A'..=b'Z' => 2,
            b'0'..=b'9' => 4,
            _ => 8,
        };
        if 2 * new.iter().filter(|&&x| x == c).count() >= new.len() {
            return Some("too many similar characters");
        }
    }
    if new.len() < MIN + 8 - 2 * classes.count_ones() as usize {
        return Some("too weak");
    }
    if old.is_some_and(|o| !o.is_empty() && similar(new, o)) {
        return Some("similar to old password");
    }
    None
}

/// Asks for the old (when `old_hash` is given), then the new password twice; the new hash,
/// or None after BusyBox's message. A weak password is reported, and refused unless
/// `privileged`.
fn new_password(
    old_hash: Option<&[u8]>,
    algo: &[u8],
    pw: (&[u8], &[u8]),
    privileged: bool,
) -> Option<Vec<u8>> {
    let mut old = None;
    if let Some(h) = old_hash {
        let mut o = ask("Old password: ")?;
        let ok = hash(&o, h).is_some_and(|x| x == h);
        if !ok {
            wipe(&mut o);
            std::thread::sleep(std::time::Duration::from_secs(3));
            println(b"Incorrect password");
            return None;
        }
        old = Some(o);
    }
    let Some(mut new) = ask("New password: ") else {
        old.as_mut().map(wipe);
        return None;
    };
    let weak = weakness(old.as_deref(), &new, pw.0, pw.1);
    old.as_mut().map(wipe);
    if let Some(why) = weak {
        println(format!("Bad password: {why}").as_bytes());
        if !privileged {
            wipe(&mut new);
            return None;
        }
    }
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
    if args.operands.len() > 1
        || (lud && (args.operands.is_empty() || (me != 0 && args.root.dir.is_none())))
    {
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
    let gecos = pw.gecos.to_vec();
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
            msg(
                A,
                &[&with_name("can't change locked password for ", &name, "")],
            );
            return 1;
        }
        println(&with_name("Changing password for ", &name, ""));
        // The lock is not held while a person types.
        drop(db);
        let old = (!privileged && !current.is_empty()).then_some(&current[..]);
        let Some(h) = new_password(old, algo, (&name, &gecos), privileged) else {
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
            msg(
                A,
                &[&with_name("password for ", &name, " is already locked")],
            );
            return 1;
        }
        let mut v = b"!".to_vec();
        v.extend_from_slice(&current);
        v
    } else if args.has(b'u') {
        if !locked {
            msg(
                A,
                &[&with_name("password for ", &name, " is already unlocked")],
            );
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords() {
        let w = |new: &str| weakness(None, new.as_bytes(), b"johndoe", b"John Doe");
        assert_eq!(w("abc"), Some("too short"));
        assert_eq!(w("xJohnDoe1!"), Some("similar to username"));
        assert_eq!(w("eodnhoj#1A"), Some("similar to username"));
        assert_eq!(w("aaaaab1!"), Some("too many similar characters"));
        assert_eq!(w("qwerty123"), Some("too weak"));
        assert_eq!(w("}(^#rrSX3S*22"), None);
        assert_eq!(
            weakness(Some(b"Zq8#Lm2!pQ"), b"Zq8#Lm2!pQx", b"a", b""),
            Some("similar to old password")
        );
    }
}
