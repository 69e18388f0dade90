//! `deluser [--remove-home] USER` and `delgroup [USER] GROUP`.
//!
//! deluser removes USER's passwd and shadow lines, drops USER from every group's member list
//! (in /etc/gshadow too, beyond BusyBox), then deletes the group named like the user unless
//! it is still someone's primary group (BusyBox's message and status 1 then). With
//! `--remove-home` the home goes too, but only when it is a directory owned by the user and
//! not `/` or a system directory. delgroup refuses to delete a group that is some user's
//! primary group; `delgroup USER GROUP` removes a member.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use rbox_common::getopt::{HasArg, LongOpt};
use rbox_common::passwd::{lines, Passwd};

use crate::db::{text, Db, GROUP, GSHADOW, PASSWD, SHADOW};
use crate::{look, msg, unknown};

pub const USAGE: &str = "[--remove-home] [-R DIR] USER

Delete USER from the system

\t--remove-home\tAlso remove the home directory (if owned by USER)
\t-R DIR\t\tEdit DIR/etc instead of /etc";

pub const DELGROUP_USAGE: &str = "[-R DIR] [USER] GROUP

Delete GROUP, or remove USER from the members of GROUP

\t-R DIR\tEdit DIR/etc instead of /etc";

const LONG_DELUSER: &[LongOpt] = &[
    LongOpt::new("remove-home", HasArg::No, 1),
    LongOpt::new("root", HasArg::Required, b'R' as u32),
];
const LONG_DELGROUP: &[LongOpt] = &[LongOpt::new("root", HasArg::Required, b'R' as u32)];

pub fn main(argv: Vec<OsString>) -> i32 {
    run(argv, true)
}

fn cant_find(applet: &str, what: &[u8], file: &[u8]) {
    let mut m = b"can't find ".to_vec();
    m.extend_from_slice(what);
    m.extend_from_slice(b" in ");
    m.extend_from_slice(file);
    msg(applet, &[&m]);
}

/// Deletes group `name` unless some user has it as primary group (message, false).
fn del_group(db: &mut Db, applet: &str, name: &[u8], gid: u32) -> bool {
    if let Some(p) = lines(db.get(PASSWD))
        .filter_map(Passwd::parse)
        .find(|p| p.gid == gid)
    {
        let mut m = b"'".to_vec();
        m.extend_from_slice(p.name);
        m.extend_from_slice(b"' still has '");
        m.extend_from_slice(name);
        m.extend_from_slice(b"' as their primary group!");
        msg(applet, &[&m]);
        return false;
    }
    if let Some(g) = db.edit(GROUP) {
        text::remove(g, name);
    }
    if db.exists(GSHADOW) {
        if let Some(g) = db.edit(GSHADOW) {
            text::remove(g, name);
        }
    }
    true
}

pub(crate) fn run(argv: Vec<OsString>, deluser: bool) -> i32 {
    let (applet, usage, long) = if deluser {
        ("deluser", USAGE, LONG_DELUSER)
    } else {
        ("delgroup", DELGROUP_USAGE, LONG_DELGROUP)
    };
    let args = match crate::parse(applet, usage, &argv, "R:", long) {
        Ok(a) => a,
        Err(s) => return s,
    };
    let ops = &args.operands;
    if ops.is_empty() || ops.len() > 2 || (deluser && ops.len() == 2) {
        return crate::usage_error(applet, usage);
    }
    if !args.root.allowed(applet) {
        return 1;
    }
    let Some(mut db) = Db::open(applet, &args.root) else {
        return 1;
    };
    let mut status = 0;
    let mut home = None;
    if deluser {
        let name = ops[0].as_bytes();
        let Some(p) = look::user(&db, name) else {
            unknown(applet, "user", name);
            return 1;
        };
        home = Some((p.dir.to_vec(), p.uid));
        if let Some(f) = db.edit(PASSWD) {
            text::remove(f, name);
        }
        if db.exists(SHADOW) {
            if let Some(f) = db.edit(SHADOW) {
                text::remove(f, name);
            }
        }
        let shown = db.shown(b"group");
        if let Some(f) = db.edit(GROUP) {
            // BusyBox's words when the user was in no member list.
            if text::del_member(f, None, name, 4) == 0 {
                cant_find(applet, name, &shown);
            }
        }
        if db.exists(GSHADOW) {
            if let Some(f) = db.edit(GSHADOW) {
                text::del_member(f, None, name, 4);
            }
        }
        if let Some(gid) = look::group(&db, name).map(|g| g.gid) {
            if !del_group(&mut db, applet, name, gid) {
                status = 1;
            }
        }
    } else {
        let group = ops[ops.len() - 1].as_bytes();
        let Some(gid) = look::group(&db, group).map(|g| g.gid) else {
            unknown(applet, "group", group);
            return 1;
        };
        if ops.len() == 2 {
            let member = ops[0].as_bytes();
            for f in [GROUP, GSHADOW] {
                if f == GSHADOW && !db.exists(GSHADOW) {
                    continue;
                }
                let shown = db.shown(crate::db::NAMES[f].as_bytes());
                if let Some(d) = db.edit(f) {
                    if text::del_member(d, Some(group), member, 4) == 0 {
                        cant_find(applet, member, &shown);
                    }
                }
            }
        } else if !del_group(&mut db, applet, group, gid) {
            return 1;
        }
    }
    if !db.commit() {
        return 1;
    }
    drop(db);
    if let (true, Some((dir, uid))) = (args.has(1), home) {
        if let Err(why) = crate::home::remove(&args.root, &dir, uid) {
            let shown = args.root.show(&dir);
            msg(applet, &[&shown, why.as_bytes()]);
            status = 1;
        }
    }
    status
}
