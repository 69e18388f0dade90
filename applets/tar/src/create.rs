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

/// The data segments of a file with holes (SEEK_DATA/SEEK_HOLE); None when it has none
/// or the file system cannot tell. A hole at the end is marked by an empty last segment,
/// as GNU tar writes it.
fn data_map(fd: i32, size: u64) -> Option<Vec<(u64, u64)>> {
    let mut map = Vec::new();
    let mut pos: u64 = 0;
    while pos < size {
        // SAFETY: plain lseek calls on our own fd.
        let data = unsafe { libc::lseek(fd, pos as libc::off_t, libc::SEEK_DATA) };
        if data < 0 {
            break; // ENXIO: only a hole is left.
        }
        let hole = unsafe { libc::lseek(fd, data, libc::SEEK_HOLE) };
        if hole < 0 {
            return None;
        }
        let (d, h) = (data as u64, (hole as u64).min(size));
        if h > d {
            map.push((d, h - d));
        }
        pos = h.max(d + 1);
        if map.len() > 1 << 20 {
            return None;
        }
    }
    // SAFETY: as above.
    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };
    if map.len() == 1 && map[0] == (0, size) {
        return None;
    }
    if map.last().is_none_or(|&(o, l)| o + l < size) {
        map.push((size, 0));
    }
    Some(map)
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
    /// Data segments of a sparse file.
    pub sparse: Option<&'b [(u64, u64)]>,
    /// Extended attributes (`--xattrs`), written as SCHILY.xattr pax records.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The extended attributes of `path` (not following a symlink).
fn read_xattrs(path: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(c) = CString::new(path) else {
        return out;
    };
    let mut names = vec![0u8; 4096];
    // SAFETY: valid C string and buffer of the given length.
    let n = unsafe { libc::llistxattr(c.as_ptr(), names.as_mut_ptr().cast(), names.len()) };
    if n <= 0 {
        return out;
    }
    names.truncate(n as usize);
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let Ok(cn) = CString::new(name) else { continue };
        let mut val = vec![0u8; 65536];
        // SAFETY: valid C strings and buffer.
        let k =
            unsafe { libc::lgetxattr(c.as_ptr(), cn.as_ptr(), val.as_mut_ptr().cast(), val.len()) };
        if k >= 0 {
            val.truncate(k as usize);
            out.push((name.to_vec(), val));
        }
    }
    out
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
        let mut sparse: Option<Vec<(u64, u64)>> = None;
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
            // Fewer blocks than the size needs: look for holes.
            if self.o.format != Format::Ustar && (st.st_blocks as u64) * 512 < size {
                if let Some(f) = &file {
                    use std::os::fd::AsRawFd;
                    sparse = data_map(f.as_raw_fd(), size);
                }
            }
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
            sparse: sparse.as_deref(),
            xattrs: if self.o.xattrs {
                read_xattrs(path)
            } else {
                Vec::new()
            },
        };
        if !self.write_header(&meta)? {
            return Ok(());
        }
        self.listing.created(&meta);
        if let Some(f) = file {
            use std::os::fd::AsRawFd;
            let fd = f.as_raw_fd();
            let segments = match &sparse {
                Some(map) => map.clone(),
                None => vec![(0, size)],
            };
            for (off, len) in segments {
                if sparse.is_some() {
                    // SAFETY: plain lseek on our own fd.
                    unsafe { libc::lseek(fd, off as libc::off_t, libc::SEEK_SET) };
                }
                let got = match self.out.copy_from_fd(fd, len)? {
                    Ok(g) => g,
                    Err(e) => {
                        err::report(A, &[path, err::reason(&e).as_bytes()]);
                        self.status = 1;
                        0
                    }
                };
                if got < len {
                    let mut m = path.to_vec();
                    m.extend_from_slice(
                        format!(": file shrank by {} bytes; padding with zeros", len - got)
                            .as_bytes(),
                    );
                    err::report(A, &[&m]);
                    self.status = 1;
                    self.out.zeros(len - got)?;
                }
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
        // A sparse file: pax format 1.0 (the map leads the data) or old GNU 'S' headers.
        let mut size = m.size;
        let mut map_text = Vec::new();
        let mut sparse_name = Vec::new();
        let name: &[u8] = match m.sparse {
            Some(map) => {
                let data: u64 = map.iter().map(|s| s.1).sum();
                size = data;
                if !gnu {
                    map_text.extend_from_slice(format!("{}\n", map.len()).as_bytes());
                    for (o, l) in map {
                        map_text.extend_from_slice(format!("{o}\n{l}\n").as_bytes());
                    }
                    let padded = map_text.len().div_ceil(BLOCK) * BLOCK;
                    map_text.resize(padded, 0);
                    size = data + padded as u64;
                    header::pax_record(&mut pax, b"GNU.sparse.major", b"1");
                    header::pax_record(&mut pax, b"GNU.sparse.minor", b"0");
                    header::pax_record(&mut pax, b"GNU.sparse.name", m.name);
                    header::pax_record(
                        &mut pax,
                        b"GNU.sparse.realsize",
                        m.size.to_string().as_bytes(),
                    );
                    let base = match m.name.iter().rposition(|&c| c == b'/') {
                        Some(i) => &m.name[i + 1..],
                        None => m.name,
                    };
                    sparse_name.extend_from_slice(b"GNUSparseFile.0/");
                    sparse_name.extend_from_slice(&base[..base.len().min(80)]);
                    &sparse_name
                } else {
                    m.name
                }
            }
            None => m.name,
        };
        if !gnu {
            for (k, v) in &m.xattrs {
                let mut key = b"SCHILY.xattr.".to_vec();
                key.extend_from_slice(k);
                header::pax_record(&mut pax, &key, v);
            }
        }
        // Name.
        match header::ustar_split(name) {
            Some((prefix, name)) if !gnu || prefix.is_empty() => {
                header::put_str(&mut h, 0, 100, name);
                header::put_str(&mut h, 345, 500, prefix);
            }
            _ => {
                if gnu {
                    self.gnu_long(header::GNU_LONGNAME, name)?;
                } else {
                    header::pax_record(&mut pax, b"path", name);
                }
                header::put_str(&mut h, 0, 100, name);
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
        num(&mut h, &mut pax, 124, 136, size as i64, b"size");
        num(&mut h, &mut pax, 136, 148, m.mtime, b"mtime");
        h[156] = m.kind;
        let mut ext_blocks: Vec<[u8; BLOCK]> = Vec::new();
        if let (true, Some(map)) = (gnu, m.sparse) {
            h[156] = header::GNU_SPARSE;
            header::put_num(&mut h, 483, 495, m.size as i64, true);
            let mut it = map.iter();
            for i in 0..4 {
                if let Some(&(o, l)) = it.next() {
                    header::put_num(&mut h, 386 + i * 24, 398 + i * 24, o as i64, true);
                    header::put_num(&mut h, 398 + i * 24, 410 + i * 24, l as i64, true);
                }
            }
            let rest: Vec<_> = it.collect();
            for (ci, chunk) in rest.chunks(21).enumerate() {
                let mut x = [0u8; BLOCK];
                for (i, &&(o, l)) in chunk.iter().enumerate() {
                    header::put_num(&mut x, i * 24, i * 24 + 12, o as i64, true);
                    header::put_num(&mut x, i * 24 + 12, i * 24 + 24, l as i64, true);
                }
                if (ci + 1) * 21 < rest.len() {
                    x[504] = 1;
                }
                ext_blocks.push(x);
            }
            if !ext_blocks.is_empty() {
                h[482] = 1;
            }
        }
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
        for x in &ext_blocks {
            self.out.put(x)?;
        }
        self.out.put(&map_text)?;
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
