//! Tar headers: the 512-byte block layouts (v7, ustar, old GNU), numeric fields (octal and
//! base-256), pax extended records, and the encoder for what we write.

pub const BLOCK: usize = 512;

// Member types (the typeflag byte).
pub const REG: u8 = b'0';
pub const LINK: u8 = b'1';
pub const SYMLINK: u8 = b'2';
pub const CHR: u8 = b'3';
pub const BLK: u8 = b'4';
pub const DIR: u8 = b'5';
pub const FIFO: u8 = b'6';
pub const CONTIG: u8 = b'7';
pub const GNU_LONGNAME: u8 = b'L';
pub const GNU_LONGLINK: u8 = b'K';
pub const GNU_SPARSE: u8 = b'S';
pub const PAX_LOCAL: u8 = b'x';
pub const PAX_GLOBAL: u8 = b'g';

/// One member as the reader resolved it (long names, pax records and sparse maps applied).
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    /// Normalized typeflag: REG (also for '7' and old '\0'), LINK, SYMLINK, CHR, BLK, DIR, FIFO.
    pub kind: u8,
    /// Permission bits (07777).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// The member's logical size (for a sparse file, its real size).
    pub size: u64,
    pub mtime: i64,
    pub mtime_nsec: u32,
    pub atime: Option<(i64, u32)>,
    pub uname: Vec<u8>,
    pub gname: Vec<u8>,
    pub devmajor: u32,
    pub devminor: u32,
    /// Sparse map: (offset, length) of each data segment, stored one after the other.
    pub sparse: Option<Vec<(u64, u64)>>,
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Parses a numeric field: octal (with leading spaces or NULs, ended by a space or NUL) or
/// GNU base-256 (high bit of the first byte set; 0xff first byte: negative).
pub fn parse_num(f: &[u8]) -> Option<i64> {
    let first = *f.first()?;
    if first & 0x80 != 0 {
        let neg = first == 0xff;
        let mut v: i128 = if neg { -1 } else { i128::from(first & 0x7f) };
        for &b in &f[1..] {
            v = v.checked_mul(256)?.checked_add(i128::from(b))?;
            if v > i128::from(i64::MAX) || v < i128::from(i64::MIN) {
                return None;
            }
        }
        return i64::try_from(v).ok();
    }
    let mut i = 0;
    while i < f.len() && (f[i] == b' ' || f[i] == 0) {
        i += 1;
    }
    let mut v: i64 = 0;
    let mut any = false;
    while i < f.len() && (b'0'..=b'7').contains(&f[i]) {
        v = v.checked_mul(8)?.checked_add(i64::from(f[i] - b'0'))?;
        i += 1;
        any = true;
    }
    // What follows the digits must be a terminator.
    if i < f.len() && f[i] != b' ' && f[i] != 0 {
        return None;
    }
    if !any {
        // An all-blank field is zero (v7 archives leave some empty).
        return Some(0);
    }
    Some(v)
}

fn field(h: &[u8], a: usize, b: usize) -> &[u8] {
    let f = &h[a..b];
    match f.iter().position(|&c| c == 0) {
        Some(i) => &f[..i],
        None => f,
    }
}

pub fn checksum_ok(h: &[u8; BLOCK]) -> bool {
    let Some(stored) = parse_num(&h[148..156]) else {
        return false;
    };
    let mut u: i64 = 0;
    let mut s: i64 = 0;
    for (i, &b) in h.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        u += i64::from(b);
        s += i64::from(b as i8);
    }
    stored == u || stored == s
}

pub fn is_zero(h: &[u8; BLOCK]) -> bool {
    h.iter().all(|&b| b == 0)
}

/// What a raw header block says, before extensions are applied.
pub struct Raw {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub uname: Vec<u8>,
    pub gname: Vec<u8>,
    pub devmajor: u32,
    pub devminor: u32,
}

pub enum BadHeader {
    Checksum,
    Field,
}

pub fn parse_raw(h: &[u8; BLOCK]) -> Result<Raw, BadHeader> {
    if !checksum_ok(h) {
        return Err(BadHeader::Checksum);
    }
    let magic = &h[257..263];
    let ustar = magic == b"ustar\0";
    let gnu = &h[257..265] == b"ustar  \0";
    let num = |a, b| parse_num(&h[a..b]).ok_or(BadHeader::Field);
    let mut name = field(h, 0, 100).to_vec();
    if ustar && h[345] != 0 {
        let prefix = field(h, 345, 500);
        let mut p = prefix.to_vec();
        p.push(b'/');
        p.extend_from_slice(&name);
        name = p;
    }
    let size = num(124, 136)?;
    let mode = num(100, 108)?;
    let uid = num(108, 116)?;
    let gid = num(116, 124)?;
    let mtime = num(136, 148)?;
    let typeflag = h[156];
    let (devmajor, devminor) = if ustar || gnu {
        (
            parse_num(&h[329..337]).unwrap_or(0),
            parse_num(&h[337..345]).unwrap_or(0),
        )
    } else {
        (0, 0)
    };
    if size < 0 {
        return Err(BadHeader::Field);
    }
    Ok(Raw {
        name,
        link: field(h, 157, 257).to_vec(),
        typeflag,
        mode: (mode & 0o7777) as u32,
        uid: uid.max(0) as u64,
        gid: gid.max(0) as u64,
        size: size as u64,
        mtime,
        uname: if ustar || gnu {
            field(h, 265, 297).to_vec()
        } else {
            Vec::new()
        },
        gname: if ustar || gnu {
            field(h, 297, 329).to_vec()
        } else {
            Vec::new()
        },
        devmajor: devmajor.clamp(0, u32::MAX.into()) as u32,
        devminor: devminor.clamp(0, u32::MAX.into()) as u32,
    })
}

/// Parses pax records `LEN KEY=VALUE\n`; calls `f(key, value)` for each. False on a
/// malformed record.
pub fn pax_records(mut data: &[u8], mut f: impl FnMut(&[u8], &[u8])) -> bool {
    while !data.is_empty() {
        if data.iter().all(|&b| b == 0) {
            break;
        }
        let Some(sp) = data.iter().position(|&b| b == b' ') else {
            return false;
        };
        let Some(len) = std::str::from_utf8(&data[..sp])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return false;
        };
        if len <= sp + 1 || len > data.len() || data[len - 1] != b'\n' {
            return false;
        }
        let rec = &data[sp + 1..len - 1];
        let Some(eq) = rec.iter().position(|&b| b == b'=') else {
            return false;
        };
        f(&rec[..eq], &rec[eq + 1..]);
        data = &data[len..];
    }
    true
}

/// A pax time value `SECONDS[.FRACTION]` (possibly negative).
pub fn parse_pax_time(v: &[u8]) -> Option<(i64, u32)> {
    let s = std::str::from_utf8(v).ok()?;
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    };
    let secs: i64 = int.parse().ok()?;
    let mut ns: u32 = 0;
    let mut digits = 0;
    for c in frac.bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        if digits < 9 {
            ns = ns * 10 + u32::from(c - b'0');
            digits += 1;
        }
    }
    while digits < 9 {
        ns *= 10;
        digits += 1;
    }
    if int.starts_with('-') && ns > 0 {
        return Some((secs.checked_sub(1)?, 1_000_000_000 - ns));
    }
    Some((secs, ns))
}

pub fn parse_dec(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.parse().ok()
}

// ---- encoding ----

/// Writes `v` as octal digits NUL-terminated into `f` if it fits; false otherwise.
fn put_octal(f: &mut [u8], v: u64) -> bool {
    let digits = f.len() - 1;
    if digits < 22 && v >> (3 * digits) != 0 {
        return false;
    }
    let mut x = v;
    for i in (0..digits).rev() {
        f[i] = b'0' + (x & 7) as u8;
        x >>= 3;
    }
    f[digits] = 0;
    true
}

/// GNU base-256 for values octal cannot hold.
fn put_base256(f: &mut [u8], v: i64) {
    let mut x = v;
    for i in (1..f.len()).rev() {
        f[i] = (x & 0xff) as u8;
        x >>= 8;
    }
    f[0] = if v < 0 { 0xff } else { 0x80 };
}

/// Sets a numeric field: octal if it fits; otherwise base-256 when `gnu`, else false (the
/// caller adds a pax record and leaves the field at its octal maximum... or zero).
pub fn put_num(h: &mut [u8; BLOCK], a: usize, b: usize, v: i64, gnu: bool) -> bool {
    if v >= 0 && put_octal(&mut h[a..b], v as u64) {
        return true;
    }
    if gnu {
        put_base256(&mut h[a..b], v);
        return true;
    }
    put_octal(&mut h[a..b], 0);
    false
}

pub fn put_str(h: &mut [u8; BLOCK], a: usize, b: usize, s: &[u8]) -> bool {
    if s.len() > b - a {
        h[a..b].copy_from_slice(&s[..b - a]);
        return false;
    }
    h[a..a + s.len()].copy_from_slice(s);
    true
}

pub fn set_checksum(h: &mut [u8; BLOCK]) {
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let mut f = [0u8; 8];
    put_octal(&mut f[..7], u64::from(sum));
    f[7] = b' ';
    h[148..156].copy_from_slice(&f);
}

/// Splits a long name into ustar (prefix, name): prefix <= 155, name <= 100, at a '/'.
pub fn ustar_split(name: &[u8]) -> Option<(&[u8], &[u8])> {
    if name.len() <= 100 {
        return Some((b"", name));
    }
    if name.len() > 256 {
        return None;
    }
    // The earliest slash that leaves the name part at most 100 bytes.
    let start = name.len().saturating_sub(101);
    for i in start..name.len().min(156) {
        if name[i] == b'/' && i > 0 && name.len() - i - 1 <= 100 && name.len() - i - 1 > 0 {
            return Some((&name[..i], &name[i + 1..]));
        }
    }
    None
}

/// Appends one pax record, computing its self-including length.
pub fn pax_record(out: &mut Vec<u8>, key: &[u8], val: &[u8]) {
    let body = key.len() + val.len() + 3; // ' ' '=' '\n'
    let mut len = body + 1;
    loop {
        let d = len.to_string().len();
        if body + d == len {
            break;
        }
        len = body + d;
    }
    out.extend_from_slice(len.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(key);
    out.push(b'=');
    out.extend_from_slice(val);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_num(b"0000644\0"), Some(0o644));
        assert_eq!(parse_num(b"  644 \0"), Some(0o644));
        assert_eq!(parse_num(b"\0\0\0\0"), Some(0));
        assert_eq!(parse_num(b"12x"), None);
        let mut f = [0u8; 12];
        put_base256(&mut f, 1 << 40);
        assert_eq!(parse_num(&f), Some(1 << 40));
        put_base256(&mut f, -5);
        assert_eq!(parse_num(&f), Some(-5));
        assert_eq!(
            parse_num(&[0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            None
        );
    }

    #[test]
    fn pax() {
        let mut v = Vec::new();
        pax_record(&mut v, b"path", b"a");
        assert_eq!(v, b"9 path=a\n");
        v.clear();
        pax_record(&mut v, b"path", &[b'x'; 93]);
        assert_eq!(&v[..4], b"103 ");
        assert_eq!(v.len(), 103);
        let mut got = Vec::new();
        assert!(pax_records(b"9 path=a\n12 uid=1234\n", |k, val| got
            .push((k.to_vec(), val.to_vec()))));
        assert_eq!(got.len(), 2);
        assert!(!pax_records(b"99 path=a\n", |_, _| ()));
        assert_eq!(parse_pax_time(b"1.5"), Some((1, 500_000_000)));
        assert_eq!(parse_pax_time(b"-1.5"), Some((-2, 500_000_000)));
        assert_eq!(parse_pax_time(b"-9223372036854775808.5"), None);
    }

    #[test]
    fn split() {
        let n = [b'a'; 100];
        assert!(ustar_split(&n).is_some());
        let mut n = vec![b'd'; 60];
        n.push(b'/');
        n.extend_from_slice(&[b'f'; 90]);
        assert_eq!(ustar_split(&n).map(|(p, _)| p.len()), Some(60));
        assert!(ustar_split(&[b'x'; 101]).is_none());
    }
}
