//! The archive reader: header blocks to [`Entry`] values, with GNU long names and links,
//! pax local and global records, old GNU and pax sparse maps. Memory is bounded: extension
//! data is capped, member data is streamed, a size field is only a counter.

use crate::header::{self, Entry, BLOCK};
use crate::io::Input;
use std::io;

/// Longest GNU long name / pax header accepted (a name longer than this is hostile).
const MAX_EXT: u64 = 1 << 20;
/// Most sparse segments accepted in one member.
const MAX_SPARSE: usize = 1 << 20;

pub struct Reader {
    pub input: Input,
    global: Vec<(Vec<u8>, Vec<u8>)>,
    /// Bytes of member data (as stored) not yet consumed, and the padding after them.
    left: u64,
    pad: u64,
    pub seen_any: bool,
}

pub fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

impl Reader {
    pub fn new(input: Input) -> Reader {
        Reader {
            input,
            global: Vec::new(),
            left: 0,
            pad: 0,
            seen_any: false,
        }
    }

    fn read_block(&mut self, b: &mut [u8; BLOCK]) -> io::Result<bool> {
        self.input.read_exact_or_eof(b)
    }

    fn read_ext(&mut self, size: u64) -> io::Result<Vec<u8>> {
        if size > MAX_EXT {
            return Err(bad("extended header too long"));
        }
        let mut v = vec![0u8; size as usize];
        if !self.input.read_exact_or_eof(&mut v)? && size > 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short read"));
        }
        self.input.skip(pad_of(size))?;
        Ok(v)
    }

    /// Skips whatever is left of the current member.
    pub fn skip_rest(&mut self) -> io::Result<()> {
        let n = self.left.saturating_add(self.pad);
        self.left = 0;
        self.pad = 0;
        self.input.skip(n)
    }

    pub fn chunk(&mut self, max: u64) -> io::Result<&[u8]> {
        let want = max.min(self.left);
        let c = self.input.chunk(want)?;
        self.left -= c.len() as u64;
        Ok(c)
    }

    pub fn copy_to_fd(&mut self, fd: i32, n: u64) -> io::Result<()> {
        let n = n.min(self.left);
        let mut done = 0;
        let r = self.input.copy_to_fd(fd, n, &mut done);
        self.left -= done.min(self.left);
        r
    }

    /// Reads the member data into `w` (to stdout, to a command).
    pub fn data_to(&mut self, w: &mut dyn io::Write) -> io::Result<()> {
        while self.left > 0 {
            let c = self.chunk(1 << 20)?;
            w.write_all(c)?;
        }
        Ok(())
    }

    /// The next member, or None at the end of the archive.
    pub fn next(&mut self) -> io::Result<Option<Entry>> {
        self.skip_rest()?;
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut b = [0u8; BLOCK];
        loop {
            if !self.read_block(&mut b)? {
                // An empty archive is an error (BusyBox: "short read"); one that ends
                // without its zero blocks is accepted, as GNU tar and BusyBox do.
                if !self.seen_any {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short read"));
                }
                return Ok(None);
            }
            if header::is_zero(&b) {
                return Ok(None);
            }
            let raw = match header::parse_raw(&b) {
                Ok(r) => r,
                Err(header::BadHeader::Checksum) => {
                    return Err(bad("invalid tar header checksum"));
                }
                Err(header::BadHeader::Field) => return Err(bad("invalid tar header")),
            };
            self.seen_any = true;
            match raw.typeflag {
                header::GNU_LONGNAME => {
                    let mut v = self.read_ext(raw.size)?;
                    trim_nul(&mut v);
                    long_name = Some(v);
                    continue;
                }
                header::GNU_LONGLINK => {
                    let mut v = self.read_ext(raw.size)?;
                    trim_nul(&mut v);
                    long_link = Some(v);
                    continue;
                }
                header::PAX_LOCAL | header::PAX_GLOBAL | b'X' => {
                    let v = self.read_ext(raw.size)?;
                    let mut recs = Vec::new();
                    if !header::pax_records(&v, |k, val| recs.push((k.to_vec(), val.to_vec()))) {
                        return Err(bad("malformed extended header"));
                    }
                    if raw.typeflag == header::PAX_GLOBAL {
                        // A later value replaces an earlier one; the total stays bounded.
                        for (k, v) in recs {
                            self.global.retain(|(gk, _)| *gk != k);
                            self.global.push((k, v));
                        }
                        let total: usize = self.global.iter().map(|(k, v)| k.len() + v.len()).sum();
                        if total as u64 > MAX_EXT {
                            return Err(bad("extended header too long"));
                        }
                    } else {
                        pax.extend(recs);
                        let total: usize = pax.iter().map(|(k, v)| k.len() + v.len()).sum();
                        if total as u64 > MAX_EXT {
                            return Err(bad("extended header too long"));
                        }
                    }
                    continue;
                }
                _ => {}
            }
            let mut e = Entry {
                name: raw.name,
                link: raw.link,
                kind: match raw.typeflag {
                    0 | header::REG | header::CONTIG | header::GNU_SPARSE => header::REG,
                    // GNU dumpdir: a directory with a listing we do not need.
                    b'D' => header::DIR,
                    t => t,
                },
                mode: raw.mode,
                uid: raw.uid,
                gid: raw.gid,
                size: raw.size,
                mtime: raw.mtime,
                uname: raw.uname,
                gname: raw.gname,
                devmajor: raw.devmajor,
                devminor: raw.devminor,
                ..Entry::default()
            };
            // Old-style (v7) directories end with a slash and have type '0' or '\0'.
            if e.kind == header::REG && raw.typeflag != header::GNU_SPARSE && e.name.ends_with(b"/")
            {
                e.kind = header::DIR;
            }
            let mut stored = raw.size;
            if raw.typeflag == header::GNU_SPARSE {
                let mut map = Vec::new();
                let push = |m: &mut Vec<(u64, u64)>, ent: &[u8]| -> io::Result<()> {
                    let off = header::parse_num(&ent[..12]);
                    let len = header::parse_num(&ent[12..24]);
                    if let (Some(o), Some(l)) = (off, len) {
                        if ent.iter().any(|&c| c != 0) {
                            if o < 0 || l < 0 {
                                return Err(bad("invalid sparse map"));
                            }
                            m.push((o as u64, l as u64));
                        }
                    }
                    Ok(())
                };
                for i in 0..4 {
                    let a = 386 + i * 24;
                    push(&mut map, &b[a..a + 24])?;
                }
                let real = header::parse_num(&b[483..495]).unwrap_or(0).max(0) as u64;
                let mut ext = b[482] != 0;
                while ext {
                    let mut x = [0u8; BLOCK];
                    if !self.read_block(&mut x)? {
                        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "short read"));
                    }
                    for i in 0..21 {
                        push(&mut map, &x[i * 24..i * 24 + 24])?;
                    }
                    if map.len() > MAX_SPARSE {
                        return Err(bad("sparse map too long"));
                    }
                    ext = x[504] != 0;
                }
                e.size = real;
                e.sparse = Some(map);
            }
            // Extensions, global first then local (local wins).
            let global = std::mem::take(&mut self.global);
            let mut sp = SparsePax::default();
            for (k, v) in global.iter().chain(pax.iter()) {
                apply_pax(&mut e, &mut stored, &mut sp, k, v)?;
            }
            self.global = global;
            if let Some(n) = long_name {
                e.name = n;
            }
            if let Some(l) = long_link {
                e.link = l;
            }
            if let Some(n) = sp.name.take() {
                e.name = n;
            }
            self.left = stored;
            self.pad = pad_of(stored);
            if sp.major == Some(1) {
                // Sparse 1.0: the map is at the start of the data, as decimal lines.
                let map = self.read_sparse10()?;
                e.sparse = Some(map);
                if let Some(r) = sp.realsize {
                    e.size = r;
                }
            } else if let Some(map) = sp.map {
                e.sparse = Some(map);
                if let Some(r) = sp.realsize {
                    e.size = r;
                }
            }
            if let Some(map) = &e.sparse {
                let total: u64 = map.iter().fold(0u64, |a, s| a.saturating_add(s.1));
                if total != self.left {
                    return Err(bad("invalid sparse map"));
                }
                if map
                    .iter()
                    .any(|&(o, l)| o.checked_add(l).is_none_or(|end| end > e.size))
                {
                    return Err(bad("invalid sparse map"));
                }
            } else if matches!(e.kind, header::REG) {
                e.size = stored;
            }
            if e.kind != header::REG && e.sparse.is_none() {
                // Links, directories and devices carry no data we use; a size is skipped.
                if e.kind == header::LINK || e.kind == header::SYMLINK || e.kind == header::DIR {
                    e.size = 0;
                }
            }
            if e.name.is_empty() {
                return Err(bad("invalid tar header"));
            }
            return Ok(Some(e));
        }
    }

    fn read_sparse10(&mut self) -> io::Result<Vec<(u64, u64)>> {
        let mut consumed = 0u64;
        let mut line = Vec::new();
        let mut next_num = |r: &mut Reader| -> io::Result<u64> {
            line.clear();
            loop {
                if r.left == 0 {
                    return Err(bad("invalid sparse map"));
                }
                let c = r.chunk(1)?;
                let ch = c.first().copied().unwrap_or(b'\n');
                consumed += 1;
                if ch == b'\n' {
                    break;
                }
                if line.len() > 24 {
                    return Err(bad("invalid sparse map"));
                }
                line.push(ch);
            }
            header::parse_dec(&line).ok_or_else(|| bad("invalid sparse map"))
        };
        let n = next_num(self)? as usize;
        if n > MAX_SPARSE {
            return Err(bad("sparse map too long"));
        }
        let mut map = Vec::with_capacity(n);
        for _ in 0..n {
            let o = next_num(self)?;
            let l = next_num(self)?;
            map.push((o, l));
        }
        let p = pad_of(consumed);
        if p > self.left {
            return Err(bad("invalid sparse map"));
        }
        self.input.skip(p)?;
        self.left -= p;
        Ok(map)
    }
}

#[derive(Default)]
struct SparsePax {
    major: Option<u64>,
    realsize: Option<u64>,
    name: Option<Vec<u8>>,
    map: Option<Vec<(u64, u64)>>,
    pending_off: Option<u64>,
}

fn apply_pax(
    e: &mut Entry,
    stored: &mut u64,
    sp: &mut SparsePax,
    k: &[u8],
    v: &[u8],
) -> io::Result<()> {
    let num = |v: &[u8]| header::parse_dec(v).ok_or_else(|| bad("malformed extended header"));
    match k {
        b"path" => e.name = v.to_vec(),
        b"linkpath" => e.link = v.to_vec(),
        b"size" => {
            *stored = num(v)?;
            e.size = *stored;
        }
        b"uid" => e.uid = num(v)?,
        b"gid" => e.gid = num(v)?,
        b"uname" => e.uname = v.to_vec(),
        b"gname" => e.gname = v.to_vec(),
        b"mtime" => {
            if let Some((s, ns)) = header::parse_pax_time(v) {
                e.mtime = s;
                e.mtime_nsec = ns;
            }
        }
        b"atime" => e.atime = header::parse_pax_time(v),
        b"GNU.sparse.major" => sp.major = header::parse_dec(v),
        b"GNU.sparse.realsize" | b"GNU.sparse.size" => sp.realsize = header::parse_dec(v),
        b"GNU.sparse.name" => sp.name = Some(v.to_vec()),
        b"GNU.sparse.offset" => sp.pending_off = Some(num(v)?),
        b"GNU.sparse.numbytes" => {
            let off = sp
                .pending_off
                .take()
                .ok_or_else(|| bad("invalid sparse map"))?;
            let m = sp.map.get_or_insert_with(Vec::new);
            if m.len() >= MAX_SPARSE {
                return Err(bad("sparse map too long"));
            }
            m.push((off, num(v)?));
        }
        b"GNU.sparse.map" => {
            let mut m = Vec::new();
            let parts: Vec<&[u8]> = v.split(|&c| c == b',').filter(|p| !p.is_empty()).collect();
            if !parts.len().is_multiple_of(2) || parts.len() / 2 > MAX_SPARSE {
                return Err(bad("invalid sparse map"));
            }
            for p in parts.chunks(2) {
                m.push((num(p[0])?, num(p[1])?));
            }
            sp.map = Some(m);
        }
        _ => {
            if let Some(name) = k.strip_prefix(b"SCHILY.xattr.") {
                e.xattrs.push((name.to_vec(), v.to_vec()));
            }
        }
    }
    Ok(())
}

fn trim_nul(v: &mut Vec<u8>) {
    if let Some(i) = v.iter().position(|&c| c == 0) {
        v.truncate(i);
    }
}

pub fn pad_of(n: u64) -> u64 {
    (BLOCK as u64 - n % BLOCK as u64) % BLOCK as u64
}
