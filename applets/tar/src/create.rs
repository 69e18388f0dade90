//! Creating archives: walking the operands, one header (plus a pax or GNU long-name header
//! where ustar cannot hold a value) and the data for each, hard links found by device and
//! inode, the archive itself skipped.

use crate::header::{self, BLOCK};
use crate::io::Output;
use crate::{Format, Opts};
use rbox_common::err;
use std::collections::HashMap;
use std::ffi::{CString, OsStr};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const A: &str = "tar";

pub struct Creator<'a> {
    o: &'a Opts,
    pub out: Output,
    links: HashMap<(u64, u64), Vec<u8>>,
    pub archive: Option<(u64, u64)>,
    names: rbox_common::passwd::Names,
    pub status: i32,
    warned_slash: bool,
    pub listing: crate::Listing,
}

fn lstat(path: &[u8], follow: bool) -> io::Result<libc::stat> {
    let c = CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: valid C string; st is written by the kernel.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let r = if follow {
            libc::stat(c.as_ptr(), &mut st)
        } else {
            libc::lstat(c.as_ptr(), &mut st)
        };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(st)
    }
}

/// What goes into one header.
pub struct Meta<'b> {
    pub name: &'b [u8],
    pub link: &'b [u8],
    pub kind: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub uname: Vec<u8>,
    pub gname: Vec<u8>,
    pub major: u32,
    pub minor: u32,
}

impl<'a> Creator<'a> {
    pub fn new(o: &'a Opts, out: Output, listing: crate::Listing) -> Creator<'a> {
        Creator {
            o,
            out,
            links: HashMap::new(),
            archive: None,
            names: rbox_common::passwd::Names::new(),
            status: 0,
            warned_slash: false,
            listing,
        }
    }

    fn archive_name(&mut self, path: &[u8]) -> Vec<u8> {
        let mut p = path;
        let mut stripped: &[u8] = b"";
        loop {
            if let Some(r) = p.strip_prefix(b"/") {
                p = r;
                stripped = b"/";
            } else if let Some(r) = p.strip_prefix(b"../") {
                p = r;
                stripped = b"../";
            } else if p == b".." {
                p = b".";
                stripped = b"../";
            } else {
                break;
            }
        }
        if !stripped.is_empty() && !self.warned_slash {
            self.warned_slash = true;
            let mut m = b"removing leading '".to_vec();
            m.extend_from_slice(stripped);
            m.extend_from_slice(b"' from member names");
            err::report(A, &[&m]);
        }
        if p.is_empty() {
            return b"/".to_vec();
        }
        p.to_vec()
    }

    /// Adds `path` and, for a directory, what it holds.
    pub fn add(&mut self, path: &[u8]) -> io::Result<()> {
        if self.o.excluded(path) {
            return Ok(());
        }
        let st = match lstat(path, self.o.deref) {
            Ok(st) => st,
            Err(e) => {
                err::report(A, &[path, err::reason(&e).as_bytes()]);
                self.status = 1;
                return Ok(());
            }
        };
        let id = (st.st_dev, st.st_ino);
        if self.archive == Some(id) {
            err::report(A, &[path, b"file is the archive; skipping"]);
            return Ok(());
        }
        let fmt = st.st_mode & libc::S_IFMT;
        let mut name = self.archive_name(path);
        let mut meta_link = Vec::new();
        let mut kind = match fmt {
            libc::S_IFREG => header::REG,
            libc::S_IFDIR => header::DIR,
            libc::S_IFLNK => header::SYMLINK,
            libc::S_IFCHR => header::CHR,
            libc::S_IFBLK => header::BLK,
            libc::S_IFIFO => header::FIFO,
            _ => {
                err::report(A, &[path, b"socket ignored"]);
                return Ok(());
            }
        };
        let mut size = 0;
        if kind == header::DIR {
            if !name.ends_with(b"/") {
                name.push(b'/');
            }
        } else if kind == header::SYMLINK {
            meta_link = std::fs::read_link(OsStr::from_bytes(path))
                .map(|p| p.into_os_string().into_vec())
                .unwrap_or_default();
        } else if st.st_nlink > 1 {
            if let Some(first) = self.links.get(&(id.0, id.1)) {
                kind = header::LINK;
                meta_link = first.clone();
            } else {
                self.links.insert((id.0, id.1), name.clone());
            }
        }
        let mut file = None;
        if kind == header::REG {
            match std::fs::File::open(OsStr::from_bytes(path)) {
                Ok(f) => file = Some(f),
                Err(e) => {
                    let mut m = b"can't open '".to_vec();
                    m.extend_from_slice(path);
                    m.push(b'\'');
                    err::report(A, &[&m, err::reason(&e).as_bytes()]);
                    self.status = 1;
                    return Ok(());
                }
            }
            size = st.st_size as u64;
        }
        let (uid, gid, uname, gname) = self.owner(&st);
        let meta = Meta {
            name: &name,
            link: &meta_link,
            kind,
            mode: self.o.apply_mode(st.st_mode & 0o7777),
            uid,
            gid,
            size,
            mtime: self.o.mtime.unwrap_or(st.st_mtime),
            uname,
            gname,
            major: libc::major(st.st_rdev),
            minor: libc::minor(st.st_rdev),
        };
        if !self.write_header(&meta)? {
            return Ok(());
        }
        self.listing.created(&meta);
        if let Some(f) = file {
            use std::os::fd::AsRawFd;
            let got = match self.out.copy_from_fd(f.as_raw_fd(), size) {
                Ok(g) => g,
                Err(e) if e.raw_os_error().is_some() && e.raw_os_error() != Some(libc::EPIPE) => {
                    // A read error: the output is fine; keep the archive consistent.
                    err::report(A, &[path, err::reason(&e).as_bytes()]);
                    self.status = 1;
                    0
                }
                Err(e) => return Err(e),
            };
            if got < size {
                let mut m = path.to_vec();
                m.extend_from_slice(
                    format!(": file shrank by {} bytes; padding with zeros", size - got).as_bytes(),
                );
                err::report(A, &[&m]);
                self.status = 1;
                self.out.zeros(size - got)?;
            }
            self.out.pad_block()?;
        }
        if kind == header::DIR && !self.o.no_recursion {
            let rd = match std::fs::read_dir(OsStr::from_bytes(path)) {
                Ok(rd) => rd,
                Err(e) => {
                    err::report(A, &[path, err::reason(&e).as_bytes()]);
                    self.status = 1;
                    return Ok(());
                }
            };
            let mut kids: Vec<Vec<u8>> = Vec::new();
            for d in rd {
                match d {
                    Ok(d) => kids.push(d.file_name().into_vec()),
                    Err(e) => {
                        err::report(A, &[path, err::reason(&e).as_bytes()]);
                        self.status = 1;
                    }
                }
            }
            if self.o.sort_name {
                kids.sort();
            }
            for k in kids {
                let mut p = path.to_vec();
                if !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(&k);
                self.add(&p)?;
            }
        }
        Ok(())
    }

    fn owner(&mut self, st: &libc::stat) -> (u64, u64, Vec<u8>, Vec<u8>) {
        let mut uid = u64::from(st.st_uid);
        let mut gid = u64::from(st.st_gid);
        let mut uname = None;
        let mut gname = None;
        if let Some((n, id)) = &self.o.owner {
            uid = *id;
            uname = n.clone();
        }
        if let Some((n, id)) = &self.o.group {
            gid = *id;
            gname = n.clone();
        }
        if self.o.numeric_owner {
            return (uid, gid, Vec::new(), Vec::new());
        }
        let uname = match uname {
            Some(n) => n,
            None => self
                .names
                .user(uid as u32)
                .map(|n| n.to_vec())
                .unwrap_or_default(),
        };
        let gname = match gname {
            Some(n) => n,
            None => self
                .names
                .group_name(gid as u32)
                .map(|n| n.to_vec())
                .unwrap_or_default(),
        };
        (uid, gid, uname, gname)
    }

    /// Writes the header(s) for one member; false if it cannot be represented (ustar).
    pub fn write_header(&mut self, m: &Meta) -> io::Result<bool> {
        let gnu = self.o.format == Format::Gnu;
        let mut h = [0u8; BLOCK];
        let mut pax: Vec<u8> = Vec::new();
        // Name.
        match header::ustar_split(m.name) {
            Some((prefix, name)) if !gnu || prefix.is_empty() => {
                header::put_str(&mut h, 0, 100, name);
                header::put_str(&mut h, 345, 500, prefix);
            }
            _ => {
                if gnu {
                    self.gnu_long(header::GNU_LONGNAME, m.name)?;
                } else {
                    header::pax_record(&mut pax, b"path", m.name);
                }
                header::put_str(&mut h, 0, 100, m.name);
            }
        }
        if !header::put_str(&mut h, 157, 257, m.link) {
            if gnu {
                self.gnu_long(header::GNU_LONGLINK, m.link)?;
            } else {
                header::pax_record(&mut pax, b"linkpath", m.link);
            }
        }
        header::put_num(&mut h, 100, 108, i64::from(m.mode), gnu);
        let num = |h: &mut [u8; BLOCK], pax: &mut Vec<u8>, a, b, v: i64, key: &[u8]| {
            if !header::put_num(h, a, b, v, gnu) {
                header::pax_record(pax, key, v.to_string().as_bytes());
            }
        };
        num(&mut h, &mut pax, 108, 116, m.uid as i64, b"uid");
        num(&mut h, &mut pax, 116, 124, m.gid as i64, b"gid");
        num(&mut h, &mut pax, 124, 136, m.size as i64, b"size");
        num(&mut h, &mut pax, 136, 148, m.mtime, b"mtime");
        h[156] = m.kind;
        if gnu {
            h[257..265].copy_from_slice(b"ustar  \0");
        } else {
            h[257..263].copy_from_slice(b"ustar\0");
            h[263..265].copy_from_slice(b"00");
        }
        if !header::put_str(&mut h, 265, 297, &m.uname) && !gnu {
            header::pax_record(&mut pax, b"uname", &m.uname);
        }
        if !header::put_str(&mut h, 297, 329, &m.gname) && !gnu {
            header::pax_record(&mut pax, b"gname", &m.gname);
        }
        if m.kind == header::CHR || m.kind == header::BLK {
            header::put_num(&mut h, 329, 337, i64::from(m.major), gnu);
            header::put_num(&mut h, 337, 345, i64::from(m.minor), gnu);
        } else if !gnu {
            header::put_num(&mut h, 329, 337, 0, false);
            header::put_num(&mut h, 337, 345, 0, false);
        }
        header::set_checksum(&mut h);
        if !pax.is_empty() {
            if self.o.format == Format::Ustar {
                let mut msg = m.name.to_vec();
                msg.extend_from_slice(b": can't be represented in ustar format; not dumped");
                err::report(A, &[&msg]);
                self.status = 1;
                return Ok(false);
            }
            let mut x = [0u8; BLOCK];
            let base = m.name.trim_ascii_end();
            let base = base.strip_suffix(b"/").unwrap_or(base);
            let base = match base.iter().rposition(|&c| c == b'/') {
                Some(i) => &base[i + 1..],
                None => base,
            };
            let mut xn = b"PaxHeaders/".to_vec();
            xn.extend_from_slice(&base[..base.len().min(80)]);
            header::put_str(&mut x, 0, 100, &xn);
            header::put_num(&mut x, 100, 108, 0o644, false);
            header::put_num(&mut x, 108, 116, 0, false);
            header::put_num(&mut x, 116, 124, 0, false);
            header::put_num(&mut x, 124, 136, pax.len() as i64, false);
            header::put_num(&mut x, 136, 148, m.mtime.max(0), false);
            x[156] = header::PAX_LOCAL;
            x[257..263].copy_from_slice(b"ustar\0");
            x[263..265].copy_from_slice(b"00");
            header::set_checksum(&mut x);
            self.out.put(&x)?;
            self.out.put(&pax)?;
            self.out.pad_block()?;
        }
        self.out.put(&h)?;
        Ok(true)
    }

    fn gnu_long(&mut self, kind: u8, s: &[u8]) -> io::Result<()> {
        let mut h = [0u8; BLOCK];
        header::put_str(&mut h, 0, 100, b"././@LongLink");
        header::put_num(&mut h, 100, 108, 0o644, true);
        header::put_num(&mut h, 108, 116, 0, true);
        header::put_num(&mut h, 116, 124, 0, true);
        header::put_num(&mut h, 124, 136, s.len() as i64 + 1, true);
        header::put_num(&mut h, 136, 148, 0, true);
        h[156] = kind;
        h[257..265].copy_from_slice(b"ustar  \0");
        header::put_str(&mut h, 265, 297, b"root");
        header::put_str(&mut h, 297, 329, b"root");
        header::set_checksum(&mut h);
        self.out.put(&h)?;
        self.out.put(s)?;
        self.out.put(&[0])?;
        self.out.pad_block()
    }
}
