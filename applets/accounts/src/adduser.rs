//! `adduser [OPTIONS] USER [GROUP]`: a new user (passwd, shadow, a private group, a home
//! with the skeleton), or, with two operands and no options, an existing user added to an
//! existing group.
//!
//! As BusyBox: GECOS `Linux User,,,`; home `/home/USER`; shell `$SHELL`, else the caller's
//! shell, else `/bin/sh`; `-S` means no password, group `nogroup` unless `-G` and shell
//! `/bin/false` unless `-s`. The uid is the first free one from 1000 (from 100 up to 999 with
//! `-S`) up to 60000 which, when a private group is made, is also a free gid. `-G GROUP` adds
//! the user to GROUP's members too. Without `-D` the password is then asked for, as `passwd`
//! does. Beyond BusyBox: `-u` above 60000; `:` and newlines refused in GECOS, home and shell.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

use rbox_common::getopt::{HasArg, LongOpt};

use crate::db::{text, Db, PASSWD, SHADOW};
use crate::{addgroup, in_use, look, msg, unknown};

pub const USAGE: &str = "[OPTIONS] USER [GROUP]

Add a user, or add USER to GROUP

\t-h DIR\t\tHome directory
\t-g GECOS\tGECOS field
\t-s SHELL\tLogin shell
\t-G GRP\t\tPrimary group (USER is added to its members)
\t-S\t\tSystem user (id below 1000, no password)
\t-D\t\tDo not set a password
\t-H\t\tDo not create the home directory
\t-u UID\t\tUser id
\t-k SKEL\t\tSkeleton directory (/etc/skel)
\t-R DIR\t\tEdit DIR/etc and create the home under DIR";

const LONG: &[LongOpt] = &[
    LongOpt::new("home", HasArg::Required, b'h' as u32),
    LongOpt::new("gecos", HasArg::Required, b'g' as u32),
    LongOpt::new("shell", HasArg::Required, b's' as u32),
    LongOpt::new("ingroup", HasArg::Required, b'G' as u32),
    LongOpt::new("disabled-password", HasArg::No, b'D' as u32),
    LongOpt::new("empty-password", HasArg::No, b'D' as u32),
    LongOpt::new("system", HasArg::No, b'S' as u32),
    LongOpt::new("no-create-home", HasArg::No, b'H' as u32),
    LongOpt::new("uid", HasArg::Required, b'u' as u32),
    LongOpt::new("skel", HasArg::Required, b'k' as u32),
    LongOpt::new("root", HasArg::Required, b'R' as u32),
];

const A: &str = "adduser";

fn field_ok(what: &str, v: &[u8]) -> bool {
    if v.iter().any(|&b| b == b':' || b == b'\n') {
        msg(A, &[format!("invalid character in {what}").as_bytes()]);
        return false;
    }
    true
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = match crate::parse(A, USAGE, &argv, "h:g:s:G:DSHu:k:R:", LONG) {
        Ok(a) => a,
        Err(s) => return s,
    };
    let ops = &args.operands;
    if ops.is_empty() || ops.len() > 2 {
        return crate::usage_error(A, USAGE);
    }
    if !args.root.allowed(A) {
        return 1;
    }
    let name = ops[0].as_bytes();
    if args.opts.is_empty() && ops.len() == 2 {
        // BusyBox runs `addgroup USER GROUP`, whose words these are.
        let Some(mut db) = Db::open("addgroup", &args.root) else {
            return 1;
        };
        let ok = addgroup::add_member(&mut db, "addgroup", name, ops[1].as_bytes());
        return if ok && db.commit() { 0 } else { 1 };
    }
    let uid_arg = match args.arg(b'u') {
        Some(u) => match crate::parse_id_arg(A, u) {
            Some(u) => Some(u),
            None => return 1,
        },
        None => None,
    };
    if !crate::name_ok(A, name) {
        return 1;
    }
    let system = args.has(b'S');
    let no_pass = system || args.has(b'D');
    let gecos = args
        .arg(b'g')
        .map_or(&b"Linux User,,,"[..], OsStr::as_bytes);
    let mut home = name.to_vec();
    home.splice(0..0, b"/home/".iter().copied());
    let home = args.arg(b'h').map_or(home, |h| h.as_bytes().to_vec());
    let usegroup: Option<&[u8]> = match args.arg(b'G') {
        Some(g) => Some(g.as_bytes()),
        None if system => Some(b"nogroup"),
        None => None,
    };
    let Some(mut db) = Db::open(A, &args.root) else {
        return 1;
    };
    let env_shell = std::env::var_os("SHELL").filter(|s| !s.is_empty());
    let shell: Vec<u8> = match args.arg(b's') {
        Some(s) => s.as_bytes().to_vec(),
        None if system => b"/bin/false".to_vec(),
        None => match env_shell {
            Some(s) => s.as_bytes().to_vec(),
            None => {
                // SAFETY: plain id query.
                let me = unsafe { libc::getuid() };
                rbox_common::passwd::lines(db.get(PASSWD))
                    .filter_map(rbox_common::passwd::Passwd::parse)
                    .find(|p| p.uid == me && !p.shell.is_empty())
                    .map_or(b"/bin/sh".to_vec(), |p| p.shell.to_vec())
            }
        },
    };
    if !(field_ok("GECOS", gecos) && field_ok("home directory", &home) && field_ok("shell", &shell))
    {
        return 1;
    }
    let gid = match usegroup {
        Some(g) => match look::group(&db, g) {
            Some(gr) => Some(gr.gid),
            None => {
                unknown(A, "group", g);
                return 1;
            }
        },
        None => None,
    };
    if look::user(&db, name).is_some() {
        in_use(A, "user", name);
        return 1;
    }
    let uids = look::uid_used(&db);
    let gids = if gid.is_none() {
        look::gid_used(&db)
    } else {
        Default::default()
    };
    let taken = |u: &u32| uids.contains(u) || (gid.is_none() && gids.contains(u));
    let uid = match uid_arg {
        Some(u) if taken(&u) => {
            in_use(A, "uid", u.to_string().as_bytes());
            return 1;
        }
        Some(u) => u,
        None => {
            let (first, last) = if system {
                (crate::FIRST_SYSTEM_ID, crate::LAST_SYSTEM_ID)
            } else {
                (crate::LAST_SYSTEM_ID + 1, crate::LAST_ID)
            };
            match (first..=last).find(|u| !taken(u)) {
                Some(u) => u,
                None => {
                    msg(A, &[b"no uids left"]);
                    return 1;
                }
            }
        }
    };
    let gid_final = gid.unwrap_or(uid);
    if gid.is_none() && look::group(&db, name).is_some() {
        in_use(A, "group", name);
        return 1;
    }
    // Shadow is in use when the file exists, or when passwd already defers to it.
    let shadow_in_use = db.exists(SHADOW)
        || rbox_common::passwd::lines(db.get(PASSWD))
            .filter_map(rbox_common::passwd::Passwd::parse)
            .any(|p| p.passwd == b"x");
    let mut line = name.to_vec();
    line.extend_from_slice(format!(":x:{uid}:{gid_final}:").as_bytes());
    for (i, f) in [gecos, &home, &shell].into_iter().enumerate() {
        if i > 0 {
            line.push(b':');
        }
        line.extend_from_slice(f);
    }
    let Some(p) = db.edit(PASSWD) else {
        return 1;
    };
    text::append(p, &line);
    if shadow_in_use {
        let mut line = name.to_vec();
        line.extend_from_slice(format!(":!:{}:0:99999:7:::", crate::today()).as_bytes());
        if let Some(s) = db.edit(SHADOW) {
            text::append(s, &line);
        }
    }
    let ok = match usegroup {
        Some(g) => addgroup::add_member(&mut db, "addgroup", name, g),
        None => addgroup::new_group(&mut db, "addgroup", name, Some(uid), false),
    };
    if !ok || !db.commit() {
        return 1;
    }
    drop(db);
    if !args.has(b'H') {
        let skel = args.arg(b'k').map_or(&b"/etc/skel"[..], OsStr::as_bytes);
        for (path, e) in
            crate::home::create(&args.root, &home, uid, gid_final, skel, args.has(b'k'))
        {
            rbox_common::err::report_os(A, &path, &e);
        }
    }
    if no_pass {
        return 0;
    }
    let mut pa: Vec<OsString> = vec!["passwd".into()];
    if let Some(d) = &args.root.dir {
        pa.push("-R".into());
        pa.push(d.clone().into_os_string());
    }
    pa.push("--".into());
    pa.push(ops[0].clone());
    crate::passwd::main(pa)
}
