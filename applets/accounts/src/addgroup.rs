//! `addgroup [-g GID] [-S] [-R DIR] [USER] GROUP`: a new group, or a user added to a group's
//! members (in `/etc/gshadow` too when it exists).
//!
//! Ids as BusyBox: the first free gid from 1000 (from 100 up to 999 with `-S`) up to 60000;
//! `-g` takes any id (also above 60000, beyond BusyBox) and fails if it is taken.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use rbox_common::getopt::{HasArg, LongOpt};

use crate::db::{text, Db, GROUP, GSHADOW};
use crate::{in_use, look, msg, unknown};

pub const USAGE: &str = "[-g GID] [-S] [-R DIR] [USER] GROUP

Add a group, or add USER to the members of GROUP

\t-g GID\tGroup id
\t-S\tSystem group (id below 1000)
\t-R DIR\tEdit DIR/etc instead of /etc";

const LONG: &[LongOpt] = &[
    LongOpt::new("gid", HasArg::Required, b'g' as u32),
    LongOpt::new("system", HasArg::No, b'S' as u32),
    LongOpt::new("root", HasArg::Required, b'R' as u32),
];

/// Adds a group: BusyBox's name and id checks, then `NAME:x:GID:` in /etc/group and
/// `NAME:!::` in /etc/gshadow when that exists.
pub(crate) fn new_group(
    db: &mut Db,
    applet: &str,
    name: &[u8],
    gid: Option<u32>,
    system: bool,
) -> bool {
    if look::group(db, name).is_some() {
        in_use(applet, "group", name);
        return false;
    }
    let used = look::gid_used(db);
    let gid = match gid {
        Some(g) if used.contains(&g) => {
            in_use(applet, "gid", g.to_string().as_bytes());
            return false;
        }
        Some(g) => g,
        None => {
            let (first, last) = if system {
                (crate::FIRST_SYSTEM_ID, crate::LAST_SYSTEM_ID)
            } else {
                (crate::LAST_SYSTEM_ID + 1, crate::LAST_ID)
            };
            match (first..=last).find(|g| !used.contains(g)) {
                Some(g) => g,
                None => {
                    msg(applet, &[b"no gids left"]);
                    return false;
                }
            }
        }
    };
    let mut line = name.to_vec();
    line.extend_from_slice(format!(":x:{gid}:").as_bytes());
    let Some(g) = db.edit(GROUP) else {
        return false;
    };
    text::append(g, &line);
    if db.exists(GSHADOW) {
        let mut line = name.to_vec();
        line.extend_from_slice(b":!::");
        if let Some(gs) = db.edit(GSHADOW) {
            text::append(gs, &line);
        }
    }
    true
}

/// Adds `user` to `group`'s members (nothing if already there).
pub(crate) fn add_member(db: &mut Db, applet: &str, user: &[u8], group: &[u8]) -> bool {
    if look::user(db, user).is_none() {
        unknown(applet, "user", user);
        return false;
    }
    let Some(g) = look::group(db, group) else {
        unknown(applet, "group", group);
        return false;
    };
    if g.member_names().any(|m| m == user) {
        return true;
    }
    let Some(gr) = db.edit(GROUP) else {
        return false;
    };
    text::add_member(gr, group, user);
    if db.exists(GSHADOW) {
        let shown = db.shown(b"gshadow");
        if let Some(gs) = db.edit(GSHADOW) {
            if text::add_member(gs, group, user) == 0 {
                let mut m = b"can't find ".to_vec();
                m.extend_from_slice(group);
                m.extend_from_slice(b" in ");
                m.extend_from_slice(&shown);
                msg(applet, &[&m]);
            }
        }
    }
    true
}

pub fn main(argv: Vec<OsString>) -> i32 {
    const A: &str = "addgroup";
    let args = match crate::parse(A, USAGE, &argv, "g:SR:", LONG) {
        Ok(a) => a,
        Err(s) => return s,
    };
    let ops = &args.operands;
    if ops.is_empty() || ops.len() > 2 || (ops.len() == 2 && args.has(b'g')) {
        return crate::usage_error(A, USAGE);
    }
    if !args.root.allowed(A) {
        return 1;
    }
    let gid = match args.arg(b'g') {
        Some(g) => match crate::parse_id_arg(A, g) {
            Some(g) => Some(g),
            None => return 1,
        },
        None => None,
    };
    if ops.len() == 1 && !crate::name_ok(A, ops[0].as_bytes()) {
        return 1;
    }
    let Some(mut db) = Db::open(A, &args.root) else {
        return 1;
    };
    let ok = if ops.len() == 2 {
        add_member(&mut db, A, ops[0].as_bytes(), ops[1].as_bytes())
    } else {
        new_group(&mut db, A, ops[0].as_bytes(), gid, args.has(b'S'))
    };
    if ok && db.commit() {
        0
    } else {
        1
    }
}
