//! `chpasswd [-em] [-c ALG] [-R DIR]`: `user:password` lines on stdin.
//!
//! As BusyBox: each password is hashed (SHA-512 by default, BusyBox's is DES; `-m` MD5,
//! `-c ALG` des/md5/sha256/sha512) unless `-e` says the lines already hold hashes; it goes to
//! the user's shadow line (with today's change day) or to /etc/passwd. The first bad line
//! (no `:`, an unknown user) stops the run with status 1, the lines before it applied.
//! `-R DIR` edits DIR/etc (BusyBox chroots into DIR). Beyond BusyBox: an `-e` hash holding `:`
//! is refused instead of corrupting the file.

use std::ffi::OsString;
use std::io::Read;

use rbox_common::getopt::{HasArg, LongOpt};

use crate::crypt::{new_hash, wipe};
use crate::db::Db;
use crate::{look, msg};

pub const USAGE: &str = "[-em] [-c ALG] [-R DIR]

Set passwords from user:password lines on stdin

\t-e\tThe passwords are already hashed
\t-m\tHash with MD5
\t-c ALG\tHash: des, md5, sha256, sha512 (default sha512)
\t-R DIR\tEdit DIR/etc instead of /etc";

const LONG: &[LongOpt] = &[
    LongOpt::new("encrypted", HasArg::No, b'e' as u32),
    LongOpt::new("md5", HasArg::No, b'm' as u32),
    LongOpt::new("crypt-method", HasArg::Required, b'c' as u32),
    LongOpt::new("root", HasArg::Required, b'R' as u32),
];
const A: &str = "chpasswd";

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = match crate::parse(A, USAGE, &argv, "emc:R:", LONG) {
        Ok(a) => a,
        Err(s) => return s,
    };
    let n = [b'e', b'm', b'c'].iter().filter(|&&c| args.has(c)).count();
    // Operands are ignored, as BusyBox does.
    if n > 1 {
        return crate::usage_error(A, USAGE);
    }
    if !args.root.allowed(A) {
        return 1;
    }
    let algo: &[u8] = if args.has(b'm') {
        b"md5"
    } else {
        use std::os::unix::ffi::OsStrExt;
        args.arg(b'c').map_or(&b"sha512"[..], |a| a.as_bytes())
    };
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut input) {
        rbox_common::err::report_os(A, b"standard input", &e);
        return 1;
    }
    let Some(mut db) = Db::open(A, &args.root) else {
        wipe(&mut input);
        return 1;
    };
    let mut done = Vec::new();
    let mut fail = None;
    for line in rbox_common::passwd::lines(&input) {
        let Some(i) = line.iter().position(|&b| b == b':') else {
            fail = Some(b"missing new password".to_vec());
            break;
        };
        let (name, pass) = (&line[..i], &line[i + 1..]);
        if look::user(&db, name).is_none() {
            let mut m = b"unknown user ".to_vec();
            m.extend_from_slice(name);
            fail = Some(m);
            break;
        }
        let hashed = if args.has(b'e') {
            if pass.contains(&b':') {
                let mut m = b"invalid encrypted password for ".to_vec();
                m.extend_from_slice(name);
                fail = Some(m);
                break;
            }
            pass.to_vec()
        } else {
            match new_hash(pass, algo) {
                Some(h) => h,
                None => {
                    let mut m = b"can't hash the password for ".to_vec();
                    m.extend_from_slice(name);
                    fail = Some(m);
                    break;
                }
            }
        };
        if !crate::passwd::store(&mut db, name, &hashed) {
            let mut m = b"an error occurred updating password for ".to_vec();
            m.extend_from_slice(name);
            fail = Some(m);
            break;
        }
        let mut m = b"password for '".to_vec();
        m.extend_from_slice(name);
        m.extend_from_slice(b"' changed");
        done.push(m);
    }
    wipe(&mut input);
    // Messages come after the commit, so none claims a change that was not written; in
    // BusyBox's order (the error that stopped the run last).
    if !db.commit() {
        return 1;
    }
    for m in &done {
        msg(A, &[m]);
    }
    match fail {
        Some(m) => {
            msg(A, &[&m]);
            1
        }
        None => 0,
    }
}
