//! The account tools: adduser, addgroup, deluser, delgroup, passwd, chpasswd.
//!
//! Six fronts on one database module ([`db`]): every change is computed in memory from the
//! files read under the lock, then committed with the crash-safe protocol described there.
//! The interface is BusyBox 1.36's (options, defaults, id ranges, name rules, messages);
//! beyond BusyBox every tool takes `-R DIR` / `--root DIR` to edit `DIR/etc/*` and create
//! homes under `DIR` (never following a symlink out of `DIR`), and `-u`/`-g` accept ids above
//! 60000.
//!
//! Deviations from BusyBox, on purpose:
//! - the default hash is SHA-512 (`$6$`), not DES;
//! - `deluser` also drops the user from the member lists in `/etc/gshadow`;
//! - `/etc/shadow` is created when it is missing but `/etc/passwd` already points to it
//!   (some entry has `x` as its password), instead of silently keeping no shadow line;
//! - `deluser --remove-home` removes the home only when it is a directory owned by the user
//!   and not `/` or a system directory;
//! - names are always checked (BusyBox's FEATURE_CHECK_NAMES, off in its default config), and
//!   `:` or a newline in GECOS, home or shell is refused: either would corrupt the file;
//! - `-u`/`-g` accept ids above 60000;
//! - the lock on `/etc/.pwd.lock` is waited for without lckpwdf's 15 s limit (a stuck holder
//!   shows as a hang, never as a lost update).
//!
//! Privileges: adduser, addgroup, deluser, delgroup and chpasswd need root, or `--root` on a
//! directory the caller owns. passwd lets an ordinary user (through a setuid-root rbox)
//! change their own password; it makes that decision itself, so the applet table may mark it
//! `Suid::Maybe` (with `Suid::Require` the front refuses a non-setuid caller even for a
//! `--root` of its own).

use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

mod crypt;
mod db;
mod home;

pub mod addgroup;
pub mod adduser;
pub mod chpasswd;
pub mod deluser;
pub mod passwd;

pub mod delgroup {
    //! `delgroup [USER] GROUP`: shares deluser's code.
    pub use crate::deluser::DELGROUP_USAGE as USAGE;

    pub fn main(argv: Vec<std::ffi::OsString>) -> i32 {
        crate::deluser::run(argv, false)
    }
}

/// BusyBox's words for a caller without the privileges.
pub(crate) const NOT_ROOT: &str = "permission denied (are you root?)";

/// First and last automatically chosen ids (BusyBox's defaults).
pub(crate) const FIRST_SYSTEM_ID: u32 = 100;
pub(crate) const LAST_SYSTEM_ID: u32 = 999;
pub(crate) const LAST_ID: u32 = 60000;

pub(crate) fn msg(applet: &str, parts: &[&[u8]]) {
    rbox_common::err::report(applet, parts);
}

/// Where the databases and homes live: `/` or the `--root` directory.
pub(crate) struct Root {
    /// None for the running system.
    pub dir: Option<PathBuf>,
}

impl Root {
    pub fn new(dir: Option<&OsStr>) -> Root {
        Root {
            dir: dir.map(PathBuf::from),
        }
    }

    /// The path shown in messages for a path inside the root (`/etc/passwd` or
    /// `DIR/etc/passwd`).
    pub fn show(&self, inner: &[u8]) -> Vec<u8> {
        match &self.dir {
            None => inner.to_vec(),
            Some(d) => {
                let mut v = d.as_os_str().as_bytes().to_vec();
                while v.len() > 1 && v.ends_with(b"/") {
                    v.pop();
                }
                if !inner.starts_with(b"/") {
                    v.push(b'/');
                }
                v.extend_from_slice(inner);
                v
            }
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.as_deref().unwrap_or(Path::new("/"))
    }

    /// May the caller edit this root? Root may; with `--root`, so may the owner of the
    /// directory. Prints BusyBox's message otherwise.
    pub fn allowed(&self, applet: &str) -> bool {
        // SAFETY: plain id queries.
        let euid = unsafe { libc::geteuid() };
        if euid == 0 {
            return true;
        }
        if let Some(d) = &self.dir {
            use std::os::unix::fs::MetadataExt;
            if std::fs::metadata(d).is_ok_and(|m| m.uid() == euid) {
                return true;
            }
        }
        msg(applet, &[NOT_ROOT.as_bytes()]);
        false
    }
}

/// BusyBox's FEATURE_CHECK_NAMES rules: letters, digits and `_` anywhere; `-` and `.` except
/// first; `$` only last (Samba machine accounts); shorter than 256 bytes. Prints BusyBox's
/// message for the first offence.
pub(crate) fn name_ok(applet: &str, name: &[u8]) -> bool {
    for (i, &c) in name.iter().enumerate() {
        let ok = c == b'_'
            || c.is_ascii_alphanumeric()
            || (i > 0 && (c == b'-' || c == b'.' || (c == b'$' && i + 1 == name.len())));
        if !ok {
            let m = format!("illegal character with code {c} at position {i}");
            msg(applet, &[m.as_bytes()]);
            return false;
        }
    }
    if name.is_empty() {
        // BusyBox looks at the terminating NUL of an empty name.
        msg(applet, &[b"illegal character with code 0 at position 0"]);
        return false;
    }
    if name.len() >= 256 {
        msg(applet, &[b"name is too long"]);
        return false;
    }
    true
}

/// A decimal id for `-u`/`-g`: any 32-bit value but -1 (rbox allows ids above 60000).
pub(crate) fn parse_id_arg(applet: &str, s: &OsStr) -> Option<u32> {
    match rbox_common::passwd::parse_id(s.as_bytes()) {
        Some(n) if n != u32::MAX => Some(n),
        _ => {
            let mut m = b"invalid number '".to_vec();
            m.extend_from_slice(s.as_bytes());
            m.push(b'\'');
            msg(applet, &[&m]);
            None
        }
    }
}

/// The usage error BusyBox gives (`bb_show_usage`): the usage text on stderr, status 1.
pub(crate) fn usage_error(applet: &str, usage: &str) -> i32 {
    use std::io::Write;
    let text = format!("Usage: {applet} {usage}\n");
    let _ = std::io::stderr().write_all(text.as_bytes());
    1
}

pub(crate) fn getopt_error(applet: &str, usage: &str, e: &rbox_common::getopt::Error) -> i32 {
    msg(applet, &[e.to_string().as_bytes()]);
    usage_error(applet, usage)
}

pub(crate) fn cstr(b: &[u8]) -> Option<CString> {
    CString::new(b).ok()
}

/// Days since the epoch, for shadow's "last change" field (never 0: it means "change now").
pub(crate) fn today() -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (secs / 86400).max(1)
}

/// Parsed command line: options in order (code, argument), operands, and `--root`.
pub(crate) struct Args {
    pub opts: Vec<(u32, Option<OsString>)>,
    pub operands: Vec<OsString>,
    pub root: Root,
}

impl Args {
    pub fn has(&self, c: u8) -> bool {
        self.opts.iter().any(|(o, _)| *o == u32::from(c))
    }

    /// The last argument of option `c`.
    pub fn arg(&self, c: u8) -> Option<&OsStr> {
        self.opts
            .iter()
            .rev()
            .find(|(o, _)| *o == u32::from(c))
            .and_then(|(_, a)| a.as_deref())
    }
}

/// Parses argv (with argv[0]); `-R DIR`/`--root DIR` are added by the caller's tables.
/// Err(status) after a usage message.
pub(crate) fn parse(
    applet: &str,
    usage: &str,
    argv: &[OsString],
    short: &'static str,
    long: &'static [rbox_common::getopt::LongOpt],
) -> Result<Args, i32> {
    use rbox_common::getopt::{Getopt, Item};
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut root = None;
    for it in Getopt::new(argv.get(1..).unwrap_or(&[]), short, long) {
        match it {
            Ok(Item::Opt(c, a)) if c == u32::from(b'R') => root = a.map(OsStr::to_os_string),
            Ok(Item::Opt(c, a)) => opts.push((c, a.map(OsStr::to_os_string))),
            Ok(Item::Operand(o)) => operands.push(o.to_os_string()),
            Err(e) => return Err(getopt_error(applet, usage, &e)),
        }
    }
    Ok(Args {
        opts,
        operands,
        root: Root::new(root.as_deref()),
    })
}

/// Lookups on the current contents of the database.
pub(crate) mod look {
    use crate::db::{Db, GROUP, PASSWD};
    use rbox_common::passwd::{lines, Group, Passwd};

    pub fn user<'a>(db: &'a Db, name: &[u8]) -> Option<Passwd<'a>> {
        lines(db.get(PASSWD))
            .filter_map(Passwd::parse)
            .find(|p| p.name == name)
    }

    pub fn group<'a>(db: &'a Db, name: &[u8]) -> Option<Group<'a>> {
        lines(db.get(GROUP))
            .filter_map(Group::parse)
            .find(|g| g.name == name)
    }

    pub fn uid_used(db: &Db) -> std::collections::HashSet<u32> {
        lines(db.get(PASSWD))
            .filter_map(Passwd::parse)
            .map(|p| p.uid)
            .collect()
    }

    pub fn gid_used(db: &Db) -> std::collections::HashSet<u32> {
        lines(db.get(GROUP))
            .filter_map(Group::parse)
            .map(|g| g.gid)
            .collect()
    }
}

/// `applet: WHAT 'NAME' in use` (BusyBox's words for a taken name or id).
pub(crate) fn in_use(applet: &str, what: &str, name: &[u8]) {
    let mut m = format!("{what} '").into_bytes();
    m.extend_from_slice(name);
    m.extend_from_slice(b"' in use");
    msg(applet, &[&m]);
}

/// `applet: unknown user NAME` / `unknown group NAME`.
pub(crate) fn unknown(applet: &str, what: &str, name: &[u8]) {
    let mut m = format!("unknown {what} ").into_bytes();
    m.extend_from_slice(name);
    msg(applet, &[&m]);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["bob", "a-b.c_d", "m$", "_x", "9"] {
            assert!(name_ok("t", ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-x", ".x", "$", "a$b", "a:b", "a,b", "a\nb", "\u{e9}"] {
            assert!(!name_ok("t", bad.as_bytes()), "{bad:?}");
        }
        assert!(name_ok("t", &[b'a'; 255]));
        assert!(!name_ok("t", &[b'a'; 256]));
    }

    #[test]
    fn root_paths() {
        let r = Root::new(Some(OsStr::new("/tmp/r/")));
        assert_eq!(r.show(b"/etc"), b"/tmp/r/etc");
        assert_eq!(Root::new(None).show(b"/etc"), b"/etc");
    }
}
