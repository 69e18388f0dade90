//! Colours. Without `LS_COLORS` (or with it empty or "none") the colours are BusyBox's fixed
//! table (`ESC[bold;colourm name ESC[m`); with `LS_COLORS` set they follow GNU dircolors
//! semantics: GNU's built-in defaults overridden by the two-letter keys and `*suffix` entries.

/// Indicator keys, in GNU's order.
pub const KEYS: [&[u8; 2]; 24] = [
    b"lc", b"rc", b"ec", b"rs", b"no", b"fi", b"di", b"ln", b"pi", b"so", b"bd", b"cd", b"mi",
    b"or", b"ex", b"do", b"su", b"sg", b"st", b"ow", b"tw", b"ca", b"mh", b"cl",
];
pub const LC: usize = 0;
pub const RC: usize = 1;
pub const EC: usize = 2;
pub const RS: usize = 3;
pub const FI: usize = 5;
pub const DI: usize = 6;
pub const LN: usize = 7;
pub const PI: usize = 8;
pub const SO: usize = 9;
pub const BD: usize = 10;
pub const CD: usize = 11;
pub const MI: usize = 12;
pub const OR: usize = 13;
pub const EX: usize = 14;
pub const SU: usize = 16;
pub const SG: usize = 17;
pub const ST: usize = 18;
pub const OW: usize = 19;
pub const TW: usize = 20;

pub struct Gnu {
    pub ind: Vec<Option<Vec<u8>>>,
    /// (suffix, sequence), in LS_COLORS order; later entries win.
    pub ext: Vec<(Vec<u8>, Vec<u8>)>,
    pub link_target: bool,
}

impl Gnu {
    /// Parses LS_COLORS over GNU's defaults; None if it is malformed.
    pub fn parse(s: &[u8]) -> Option<Gnu> {
        let defaults: [Option<&[u8]>; 24] = [
            Some(b"\x1b["),
            Some(b"m"),
            None,
            Some(b"0"),
            None,
            None,
            Some(b"01;34"),
            Some(b"01;36"),
            Some(b"33"),
            Some(b"01;35"),
            Some(b"01;33"),
            Some(b"01;33"),
            None,
            None,
            Some(b"01;32"),
            Some(b"01;35"),
            Some(b"37;41"),
            Some(b"30;43"),
            Some(b"37;44"),
            Some(b"34;42"),
            Some(b"30;42"),
            None,
            None,
            Some(b"\x1b[K"),
        ];
        let mut g = Gnu {
            ind: defaults.iter().map(|d| d.map(|v| v.to_vec())).collect(),
            ext: Vec::new(),
            link_target: false,
        };
        for item in s.split(|&b| b == b':') {
            if item.is_empty() {
                continue;
            }
            let eq = item.iter().position(|&b| b == b'=')?;
            let (key, val) = (&item[..eq], &item[eq + 1..]);
            let val = unescape(val)?;
            if let Some(suffix) = key.strip_prefix(b"*") {
                g.ext.push((unescape(suffix)?, val));
            } else if key.len() == 2 {
                let k = KEYS.iter().position(|k| &k[..] == key)?;
                if k == LN && val == b"target" {
                    g.link_target = true;
                    continue;
                }
                g.ind[k] = Some(val);
            } else {
                return None;
            }
        }
        Some(g)
    }

    pub fn is_set(&self, k: usize) -> bool {
        match &self.ind[k] {
            Some(v) => !v.is_empty() && v != b"0" && v != b"00",
            None => false,
        }
    }

    /// The sequence for a file: `mode` its (lstat or, for a link target, stat) mode, 0 if
    /// unknown; `link_ok` whether a symlink's target exists; `nlink` for `mh`.
    pub fn pick(
        &self,
        name: &[u8],
        mode: u32,
        link_ok: bool,
        nlink: u64,
        missing: bool,
    ) -> Option<&[u8]> {
        let fmt = mode & libc::S_IFMT;
        let k = if missing && self.is_set(MI) {
            MI
        } else if mode == 0 {
            OR
        } else {
            match fmt {
                libc::S_IFREG => {
                    if mode & libc::S_ISUID != 0 && self.is_set(SU) {
                        SU
                    } else if mode & libc::S_ISGID != 0 && self.is_set(SG) {
                        SG
                    } else if mode & 0o111 != 0 && self.is_set(EX) {
                        EX
                    } else if nlink > 1 && self.is_set(22) {
                        22
                    } else {
                        FI
                    }
                }
                libc::S_IFDIR => {
                    if mode & libc::S_ISVTX != 0 && mode & 0o002 != 0 && self.is_set(TW) {
                        TW
                    } else if mode & 0o002 != 0 && self.is_set(OW) {
                        OW
                    } else if mode & libc::S_ISVTX != 0 && self.is_set(ST) {
                        ST
                    } else {
                        DI
                    }
                }
                libc::S_IFLNK => {
                    if !link_ok && (self.link_target || self.is_set(OR)) {
                        OR
                    } else {
                        LN
                    }
                }
                libc::S_IFIFO => PI,
                libc::S_IFSOCK => SO,
                libc::S_IFBLK => BD,
                libc::S_IFCHR => CD,
                _ => OR,
            }
        };
        if k == FI {
            if let Some(seq) = self.ext_match(name) {
                return Some(seq);
            }
        }
        self.ind[k].as_deref()
    }

    fn ext_match(&self, name: &[u8]) -> Option<&[u8]> {
        let exact = self.ext.iter().rev().find(|(s, _)| name.ends_with(s));
        if let Some((_, v)) = exact {
            return Some(v);
        }
        self.ext
            .iter()
            .rev()
            .find(|(s, _)| {
                name.len() >= s.len() && name[name.len() - s.len()..].eq_ignore_ascii_case(s)
            })
            .map(|(_, v)| v.as_slice())
    }
}

/// dircolors escapes: `\a \b \e \f \n \r \t \v \? \_ \\ \^ \NNN \xHH` and `^X`.
fn unescape(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' => {
                i += 1;
                let c = *s.get(i)?;
                match c {
                    b'0'..=b'7' => {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                            v = v * 8 + u32::from(s[i] - b'0');
                            i += 1;
                            n += 1;
                        }
                        out.push(v as u8);
                        continue;
                    }
                    b'x' => {
                        i += 1;
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 2 && i < s.len() && s[i].is_ascii_hexdigit() {
                            v = v * 16 + (s[i] as char).to_digit(16).unwrap_or(0);
                            i += 1;
                            n += 1;
                        }
                        out.push(v as u8);
                        continue;
                    }
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'e' => out.push(27),
                    b'f' => out.push(12),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'v' => out.push(11),
                    b'?' => out.push(127),
                    b'_' => out.push(b' '),
                    other => out.push(other),
                }
                i += 1;
            }
            b'^' => {
                i += 1;
                let c = *s.get(i)?;
                match c {
                    b'@'..=b'~' => out.push(c & 0x1f),
                    b'?' => out.push(127),
                    _ => return None,
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// BusyBox's colour for a mode: (attribute, foreground); mode 0 means "stat failed".
pub fn bb(mode: u32) -> (u8, u8) {
    const FG: [u8; 16] = [
        31, 35, 35, 37, 34, 37, 35, 35, 0, 37, 36, 37, 35, 37, 37, 32,
    ];
    const AT: [u8; 16] = [1, 0, 1, 7, 1, 7, 1, 7, 0, 7, 1, 7, 1, 7, 7, 1];
    let idx = if mode & libc::S_IFMT == libc::S_IFREG && mode & 0o111 != 0 {
        15
    } else {
        ((mode >> 12) & 15) as usize
    };
    (AT[idx], FG[idx])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dircolors() {
        let g = Gnu::parse(b"di=01;34:ln=target:*.tar=01;31:ex=\\e[1m:or=^[x")
            .unwrap_or_else(|| panic!());
        assert_eq!(g.ind[DI].as_deref(), Some(&b"01;34"[..]));
        assert!(g.link_target);
        assert_eq!(g.ind[EX].as_deref(), Some(&b"\x1b[1m"[..]));
        assert_eq!(g.ind[OR].as_deref(), Some(&b"\x1bx"[..]));
        assert_eq!(
            g.pick(b"a.TAR", libc::S_IFREG | 0o644, true, 1, false),
            Some(&b"01;31"[..])
        );
        assert!(Gnu::parse(b"xx").is_none());
        assert!(Gnu::parse(b"zz=1").is_none());
    }

    #[test]
    fn hostile_ls_colors_do_not_panic() {
        for s in [
            &b"\\"[..],
            b"^",
            b"*",
            b"=",
            b"di=\\x",
            b"lc=\\777",
            b"di=^",
            b"di=^\x01",
            b"*=:",
            b"::::",
            b"di=\\",
            b"\xff\xfe=1",
            b"ln=target:or=",
            b"*.a=1:*.A=2:*.a=3",
        ] {
            if let Some(g) = Gnu::parse(s) {
                let _ = g.pick(b"x.a", libc::S_IFREG | 0o644, true, 1, false);
                let _ = g.pick(b"", 0, false, 0, true);
                let _ = g.pick(b"l", libc::S_IFLNK | 0o777, false, 1, false);
            }
        }
        // Later suffix entries win; the exact case is preferred.
        let g = Gnu::parse(b"*.a=1:*.A=2:*.a=3").unwrap_or_else(|| panic!());
        assert_eq!(
            g.pick(b"x.a", libc::S_IFREG | 0o644, true, 1, false),
            Some(&b"3"[..])
        );
        assert_eq!(
            g.pick(b"x.A", libc::S_IFREG | 0o644, true, 1, false),
            Some(&b"2"[..])
        );
    }

    #[test]
    fn busybox_table() {
        assert_eq!(bb(libc::S_IFDIR | 0o755), (1, 34));
        assert_eq!(bb(libc::S_IFREG | 0o755), (1, 32));
        assert_eq!(bb(libc::S_IFREG | 0o644), (0, 0));
        assert_eq!(bb(0), (1, 31));
    }
}
