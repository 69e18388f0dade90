//! Version comparison and size formatting.

use std::cmp::Ordering;

/// strverscmp(3): like a byte comparison, except that digit runs compare as numbers, and a
/// run with leading zeros as a fraction ("000" < "00" < "01" < "010" < "09" < "0" < "1").
pub fn verscmp(a: &[u8], b: &[u8]) -> Ordering {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        Normal,
        Int,
        Frac,
        Zero,
    }
    let mut st = S::Normal;
    let mut i = 0;
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    loop {
        let (c1, c2) = (at(a, i), at(b, i));
        if c1 != c2 {
            break;
        }
        if c1 == 0 {
            return Ordering::Equal;
        }
        st = match (st, c1) {
            (S::Normal, b'0') => S::Zero,
            (S::Normal, b'1'..=b'9') => S::Int,
            (S::Int, b'0'..=b'9') => S::Int,
            (S::Zero, b'0') => S::Zero,
            (S::Zero, b'1'..=b'9') => S::Frac,
            (S::Frac, b'0'..=b'9') => S::Frac,
            _ => S::Normal,
        };
        i += 1;
    }
    let (c1, c2) = (at(a, i), at(b, i));
    let (d1, d2) = (c1.is_ascii_digit(), c2.is_ascii_digit());
    let cmp = c1.cmp(&c2);
    let len = || {
        let r1 = a[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let r2 = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        r1.cmp(&r2).then(cmp)
    };
    match st {
        S::Normal => {
            if d1 && d2 && c1 != b'0' && c2 != b'0' {
                len()
            } else {
                cmp
            }
        }
        S::Int => match (d1, d2) {
            (true, true) => len(),
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => cmp,
        },
        S::Frac => cmp,
        S::Zero => match (d1, d2) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => cmp,
        },
    }
}

/// BusyBox's human-readable size: powers of 1024, one rounded decimal once scaled
/// ("512", "1.5K", "243.0M"); with `frac == false` no decimal ("4K").
pub fn bb_human(mut val: u64, frac_digit: bool) -> String {
    if val == 0 {
        return "0".into();
    }
    const UNITS: &[u8] = b"\0KMGTPEZY";
    let mut u = 0;
    let mut frac = 0u64;
    while val >= 1024 {
        u += 1;
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    let mut s = String::new();
    if !frac_digit {
        if frac >= 5 {
            val += 1;
        }
        s.push_str(&val.to_string());
        if u > 0 {
            s.push(UNITS[u] as char);
        }
        return s;
    }
    s.push_str(&val.to_string());
    if u > 0 {
        s.push('.');
        s.push_str(&frac.to_string());
        s.push(UNITS[u] as char);
    }
    s
}

/// GNU's human_readable() with ceiling rounding and autoscale: `base` 1024 ("1.5K", "12K") or
/// 1000 (`--si`: "1.6k").
pub fn gnu_human(n: u64, base: u64) -> String {
    let mut amt = n;
    let mut tenths = 0u64;
    let mut rounding = 0u64;
    let mut exp = 0usize;
    if amt >= base {
        while amt >= base && exp < 8 {
            let r10 = (amt % base) * 10 + tenths;
            let r2 = (r10 % base) * 2 + (rounding >> 1);
            amt /= base;
            tenths = r10 / base;
            rounding = if r2 < base {
                u64::from(r2 != 0)
            } else {
                2 + u64::from(base < r2)
            };
            exp += 1;
        }
    }
    let mut frac: Option<u64> = None;
    if exp > 0 && amt < 10 {
        if rounding > 0 {
            tenths += 1;
            rounding = 0;
            if tenths == 10 {
                amt += 1;
                tenths = 0;
            }
        }
        if amt < 10 {
            frac = Some(tenths);
            tenths = 0;
            rounding = 0;
        }
    }
    if exp > 0 && tenths + rounding > 0 {
        amt += 1;
        if amt == base && exp < 8 {
            exp += 1;
            amt = 1;
            frac = Some(0);
        }
    }
    let mut s = amt.to_string();
    if let Some(f) = frac {
        s.push('.');
        s.push_str(&f.to_string());
    }
    if exp > 0 {
        let letter = if base == 1000 && exp == 1 {
            'k'
        } else {
            b"BKMGTPEZY"[exp] as char
        };
        s.push(letter);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order() {
        let v = ["000", "00", "01", "010", "09", "0", "1", "9", "10"];
        for w in v.windows(2) {
            assert_eq!(
                verscmp(w[0].as_bytes(), w[1].as_bytes()),
                Ordering::Less,
                "{w:?}"
            );
            assert_eq!(verscmp(w[1].as_bytes(), w[0].as_bytes()), Ordering::Greater);
        }
        assert_eq!(verscmp(b"a2", b"a10"), Ordering::Less);
        assert_eq!(verscmp(b"file-1.2.10", b"file-1.2.9"), Ordering::Greater);
        assert_eq!(verscmp(b"abc", b"abc"), Ordering::Equal);
        assert_eq!(verscmp(b"a", b"b"), Ordering::Less);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(bb_human(0, true), "0");
        assert_eq!(bb_human(1023, true), "1023");
        assert_eq!(bb_human(1024, true), "1.0K");
        assert_eq!(bb_human(1536, true), "1.5K");
        assert_eq!(bb_human(4096, false), "4K");
        assert_eq!(gnu_human(1023, 1024), "1023");
        assert_eq!(gnu_human(1024, 1024), "1.0K");
        assert_eq!(gnu_human(1025, 1024), "1.1K");
        assert_eq!(gnu_human(10 * 1024 + 1, 1024), "11K");
        assert_eq!(gnu_human(1000, 1000), "1.0k");
        assert_eq!(gnu_human(1_048_575, 1024), "1.0M");
        assert_eq!(gnu_human(5 << 30, 1024), "5.0G");
    }
}
