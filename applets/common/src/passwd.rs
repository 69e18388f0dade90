//! The read side of `/etc/passwd`, `/etc/group` and `/etc/shadow`.
//!
//! Static musl has no NSS, so every applet that maps ids to names (ls, tar) or edits accounts
//! goes through this one parser. Lines are kept as the bytes they were: a line that does not
//! parse (a comment, a NIS `+` entry, a malformed line) is skipped by lookups but never
//! altered, so a writer built on [`lines`] preserves it byte for byte.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

/// Splits a database file into lines without their `\n`; a last line without one counts.
pub fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let empty = data.is_empty();
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    data.split(|&b| b == b'\n').filter(move |_| !empty)
}

fn fields<const N: usize>(line: &[u8]) -> Option<[&[u8]; N]> {
    let mut out: [&[u8]; N] = [&[]; N];
    let mut it = line.split(|&b| b == b':');
    for slot in out.iter_mut() {
        *slot = it.next()?;
    }
    it.next().is_none().then_some(out)
}

/// A decimal id as the databases hold it: digits only, fits in 32 bits.
pub fn parse_id(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter()
        .try_fold(0u64, |n, &d| Some(n * 10 + u64::from(d - b'0')))
        .and_then(|n| u32::try_from(n).ok())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Passwd<'a> {
    pub name: &'a [u8],
    pub passwd: &'a [u8],
    pub uid: u32,
    pub gid: u32,
    pub gecos: &'a [u8],
    pub dir: &'a [u8],
    pub shell: &'a [u8],
}

impl<'a> Passwd<'a> {
    /// `name:passwd:uid:gid:gecos:dir:shell`; None for anything else.
    pub fn parse(line: &'a [u8]) -> Option<Self> {
        let [name, passwd, uid, gid, gecos, dir, shell] = fields::<7>(line)?;
        if name.is_empty() || name[0] == b'+' || name[0] == b'-' || name[0] == b'#' {
            return None;
        }
        Some(Passwd {
            name,
            passwd,
            uid: parse_id(uid)?,
            gid: parse_id(gid)?,
            gecos,
            dir,
            shell,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group<'a> {
    pub name: &'a [u8],
    pub passwd: &'a [u8],
    pub gid: u32,
    /// The comma-separated member list as written.
    pub members: &'a [u8],
}

impl<'a> Group<'a> {
    /// `name:passwd:gid:members`; None for anything else.
    pub fn parse(line: &'a [u8]) -> Option<Self> {
        let [name, passwd, gid, members] = fields::<4>(line)?;
        if name.is_empty() || name[0] == b'+' || name[0] == b'-' || name[0] == b'#' {
            return None;
        }
        Some(Group {
            name,
            passwd,
            gid: parse_id(gid)?,
            members,
        })
    }

    pub fn member_names(&self) -> impl Iterator<Item = &'a [u8]> {
        self.members.split(|&b| b == b',').filter(|m| !m.is_empty())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shadow<'a> {
    pub name: &'a [u8],
    pub passwd: &'a [u8],
    /// lastchg, min, max, warn, inactive, expire, reserved: kept as text (often empty).
    pub rest: [&'a [u8]; 7],
}

impl<'a> Shadow<'a> {
    pub fn parse(line: &'a [u8]) -> Option<Self> {
        let [name, passwd, a, b, c, d, e, f, g] = fields::<9>(line)?;
        if name.is_empty() || name[0] == b'+' || name[0] == b'-' || name[0] == b'#' {
            return None;
        }
        Some(Shadow {
            name,
            passwd,
            rest: [a, b, c, d, e, f, g],
        })
    }
}

/// Reads a database file under `root` (`/` for the running system).
pub fn read(root: &Path, file: &str) -> io::Result<Vec<u8>> {
    std::fs::read(db_path(root, file))
}

pub fn db_path(root: &Path, file: &str) -> PathBuf {
    root.join(file.trim_start_matches('/'))
}

/// Id-to-name and name-to-id lookups for listing tools, loaded once, first match wins as with
/// getpwuid(3). A missing or unreadable file simply has no names.
#[derive(Default)]
pub struct Names {
    passwd: Option<Vec<u8>>,
    group: Option<Vec<u8>>,
    users: HashMap<u32, Option<Box<[u8]>>>,
    groups: HashMap<u32, Option<Box<[u8]>>>,
}

impl Names {
    pub fn new() -> Self {
        Names::default()
    }

    fn passwd(&mut self) -> &[u8] {
        self.passwd
            .get_or_insert_with(|| read(Path::new("/"), "etc/passwd").unwrap_or_default())
    }

    fn group(&mut self) -> &[u8] {
        self.group
            .get_or_insert_with(|| read(Path::new("/"), "etc/group").unwrap_or_default())
    }

    pub fn user(&mut self, uid: u32) -> Option<&[u8]> {
        if !self.users.contains_key(&uid) {
            let name = lines(self.passwd())
                .filter_map(Passwd::parse)
                .find(|p| p.uid == uid)
                .map(|p| p.name.into());
            self.users.insert(uid, name);
        }
        self.users.get(&uid).and_then(|n| n.as_deref())
    }

    pub fn group_name(&mut self, gid: u32) -> Option<&[u8]> {
        if !self.groups.contains_key(&gid) {
            let name = lines(self.group())
                .filter_map(Group::parse)
                .find(|g| g.gid == gid)
                .map(|g| g.name.into());
            self.groups.insert(gid, name);
        }
        self.groups.get(&gid).and_then(|n| n.as_deref())
    }

    pub fn uid(&mut self, name: &[u8]) -> Option<u32> {
        lines(self.passwd())
            .filter_map(Passwd::parse)
            .find(|p| p.name == name)
            .map(|p| p.uid)
    }

    pub fn gid(&mut self, name: &[u8]) -> Option<u32> {
        lines(self.group())
            .filter_map(Group::parse)
            .find(|g| g.name == name)
            .map(|g| g.gid)
    }

    /// The full record of a user by name (home directory for `~user`, shell).
    pub fn user_by_name(&mut self, name: &[u8]) -> Option<Passwd<'_>> {
        lines(self.passwd())
            .filter_map(Passwd::parse)
            .find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines() {
        let p = Passwd::parse(b"root:x:0:0:root:/root:/bin/sh").unwrap();
        assert_eq!(
            (p.name, p.uid, p.gid, p.dir),
            (&b"root"[..], 0, 0, &b"/root"[..])
        );
        assert!(Passwd::parse(b"root:x:0:0:root:/root").is_none());
        assert!(Passwd::parse(b"root:x:0:0:root:/root:/bin/sh:extra").is_none());
        assert!(Passwd::parse(b"x:x:-1:0:::").is_none());
        assert!(Passwd::parse(b"x:x:4294967296:0:::").is_none());
        assert!(Passwd::parse(b"+nis::::::").is_none());
        assert!(Passwd::parse(b"").is_none());
        let p = Passwd::parse(b"\xff:x:4294967295:1:::").unwrap();
        assert_eq!((p.name, p.uid), (&b"\xff"[..], u32::MAX));
    }

    #[test]
    fn group_members() {
        let g = Group::parse(b"wheel:x:10:root,,bob").unwrap();
        assert_eq!(
            g.member_names().collect::<Vec<_>>(),
            vec![&b"root"[..], b"bob"]
        );
        assert!(Group::parse(b"wheel:x:10").is_none());
    }

    #[test]
    fn shadow_fields() {
        let s = Shadow::parse(b"bob:!:19000:0:99999:7:::").unwrap();
        assert_eq!(s.rest[0], b"19000");
        assert!(Shadow::parse(b"bob:!:19000").is_none());
    }

    #[test]
    fn lines_keep_bytes() {
        let v: Vec<_> = lines(b"a\n\n#c\nlast").collect();
        assert_eq!(v, vec![&b"a"[..], b"", b"#c", b"last"]);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n").count(), 1);
    }
}
