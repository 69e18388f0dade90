//! Display width of characters: a small wcwidth (East Asian wide and fullwidth ranges, the
//! common emoji blocks, combining marks), enough for a line editor to place its cursor.
//! Bytes that are not UTF-8 show as `?`, control characters as `^X`.

/// Zero-width ranges (combining marks, joiners, variation selectors).
const ZERO: &[(u32, u32)] = &[
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05BD),
    (0x05BF, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x0900, 0x0902),
    (0x093C, 0x093C),
    (0x0941, 0x0948),
    (0x094D, 0x094D),
    (0x0E31, 0x0E31),
    (0x0E34, 0x0E3A),
    (0x0E47, 0x0E4E),
    (0x1160, 0x11FF),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x20D0, 0x20FF),
    (0x302A, 0x302D),
    (0x3099, 0x309A),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0xFEFF, 0xFEFF),
    (0x1F3FB, 0x1F3FF),
    (0xE0000, 0xE0FFF),
];

/// Two-column ranges.
const WIDE: &[(u32, u32)] = &[
    (0x1100, 0x115F),
    (0x231A, 0x231B),
    (0x2329, 0x232A),
    (0x23E9, 0x23EC),
    (0x23F0, 0x23F0),
    (0x23F3, 0x23F3),
    (0x25FD, 0x25FE),
    (0x2614, 0x2615),
    (0x2648, 0x2653),
    (0x267F, 0x267F),
    (0x2693, 0x2693),
    (0x26A1, 0x26A1),
    (0x26AA, 0x26AB),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26CE, 0x26CE),
    (0x26D4, 0x26D4),
    (0x26EA, 0x26EA),
    (0x26F2, 0x26F5),
    (0x26FA, 0x26FD),
    (0x2705, 0x2705),
    (0x270A, 0x270B),
    (0x2728, 0x2728),
    (0x274C, 0x274E),
    (0x2753, 0x2757),
    (0x2795, 0x2797),
    (0x27B0, 0x27BF),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B55),
    (0x2E80, 0x3029),
    (0x302E, 0x303E),
    (0x3041, 0x3098),
    (0x309B, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60),
    (0xFFE0, 0xFFE6),
    (0x16FE0, 0x16FE4),
    (0x17000, 0x18CFF),
    (0x1B000, 0x1B2FF),
    (0x1F004, 0x1F004),
    (0x1F0CF, 0x1F0CF),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F200, 0x1F251),
    (0x1F300, 0x1F320),
    (0x1F32D, 0x1F335),
    (0x1F337, 0x1F37C),
    (0x1F37E, 0x1F393),
    (0x1F3A0, 0x1F3CA),
    (0x1F3CF, 0x1F3D3),
    (0x1F3E0, 0x1F3F0),
    (0x1F3F4, 0x1F3F4),
    (0x1F3F8, 0x1F3FA),
    (0x1F400, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F7E0, 0x1F7EB),
    (0x1F90C, 0x1F9FF),
    (0x1FA70, 0x1FAFF),
    (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
];

fn in_table(t: &[(u32, u32)], c: u32) -> bool {
    t.binary_search_by(|&(lo, hi)| {
        if hi < c {
            std::cmp::Ordering::Less
        } else if lo > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// Columns a printable code point takes: 0, 1 or 2.
pub fn wcwidth(c: u32) -> usize {
    if c < 0x300 {
        return 1;
    }
    if in_table(ZERO, c) {
        0
    } else if in_table(WIDE, c) {
        2
    } else {
        1
    }
}

/// Decodes the character at `b[i]`: its length in bytes and its code point, or None for a
/// byte that does not start a valid UTF-8 sequence (length 1 then).
pub fn decode(b: &[u8], i: usize) -> (usize, Option<u32>) {
    let Some(&c0) = b.get(i) else {
        return (0, None);
    };
    let (n, init) = match c0 {
        0..=0x7F => return (1, Some(c0 as u32)),
        0xC2..=0xDF => (2, (c0 & 0x1F) as u32),
        0xE0..=0xEF => (3, (c0 & 0x0F) as u32),
        0xF0..=0xF4 => (4, (c0 & 0x07) as u32),
        _ => return (1, None),
    };
    let mut cp = init;
    for k in 1..n {
        match b.get(i + k) {
            Some(&c) if c & 0xC0 == 0x80 => cp = (cp << 6) | (c & 0x3F) as u32,
            _ => return (1, None),
        }
    }
    let ok = match n {
        3 => cp >= 0x800 && !(0xD800..=0xDFFF).contains(&cp),
        4 => (0x10000..=0x10FFFF).contains(&cp),
        _ => true,
    };
    if ok {
        (n, Some(cp))
    } else {
        (1, None)
    }
}

/// The start of the character before byte offset `i`.
pub fn prev_boundary(b: &[u8], i: usize) -> usize {
    if i == 0 {
        return 0;
    }
    for j in i.saturating_sub(4)..i {
        if let (n, Some(_)) = decode(b, j) {
            if n == i - j {
                return j;
            }
        }
    }
    i - 1
}

/// The end of the character at byte offset `i`.
pub fn next_boundary(b: &[u8], i: usize) -> usize {
    if i >= b.len() {
        return b.len();
    }
    i + decode(b, i).0.max(1)
}

fn zero_width_at(b: &[u8], i: usize) -> bool {
    matches!(decode(b, i), (_, Some(c)) if c >= 0x300 && wcwidth(c) == 0)
}

/// The start of the character before `i`, skipping combining marks (what the cursor
/// moves over).
pub fn prev_cluster(b: &[u8], i: usize) -> usize {
    let mut p = prev_boundary(b, i);
    while p > 0 && zero_width_at(b, p) {
        p = prev_boundary(b, p);
    }
    p
}

/// The end of the character at `i` with the combining marks after it.
pub fn next_cluster(b: &[u8], i: usize) -> usize {
    let mut p = next_boundary(b, i);
    while p < b.len() && zero_width_at(b, p) {
        p = next_boundary(b, p);
    }
    p
}

/// How the character at `b[i]` shows: (bytes it takes in `b`, width, what to print).
pub fn show(b: &[u8], i: usize, out: &mut Vec<u8>) -> (usize, usize) {
    let (n, cp) = decode(b, i);
    match cp {
        Some(c) if c < 0x20 || c == 0x7F => {
            out.push(b'^');
            out.push(if c == 0x7F { b'?' } else { c as u8 + 0x40 });
            (n, 2)
        }
        Some(c) if (0x80..0xA0).contains(&c) => {
            out.push(b'?');
            (n, 1)
        }
        Some(c) => {
            out.extend_from_slice(&b[i..i + n]);
            (n, wcwidth(c))
        }
        None => {
            out.push(b'?');
            (1, 1)
        }
    }
}

/// Width of a string as [`show`] prints it.
pub fn str_width(b: &[u8]) -> usize {
    let mut i = 0;
    let mut w = 0;
    let mut sink = Vec::new();
    while i < b.len() {
        sink.clear();
        let (n, cw) = show(b, i, &mut sink);
        i += n;
        w += cw;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(wcwidth('a' as u32), 1);
        assert_eq!(wcwidth('é' as u32), 1);
        assert_eq!(wcwidth('\u{301}' as u32), 0);
        assert_eq!(wcwidth('中' as u32), 2);
        assert_eq!(wcwidth('😀' as u32), 2);
        assert_eq!(wcwidth('ｱ' as u32), 1); // halfwidth katakana
        assert_eq!(str_width("a中é".as_bytes()), 4);
        assert_eq!(str_width(b"\x01\xff"), 3);
    }

    #[test]
    fn boundaries() {
        let s = "a中\u{1F600}b".as_bytes();
        assert_eq!(next_boundary(s, 0), 1);
        assert_eq!(next_boundary(s, 1), 4);
        assert_eq!(next_boundary(s, 4), 8);
        assert_eq!(prev_boundary(s, 9), 8);
        assert_eq!(prev_boundary(s, 8), 4);
        assert_eq!(prev_boundary(s, 4), 1);
        assert_eq!(prev_boundary(b"a\xff\xfe", 3), 2);
        assert_eq!(prev_boundary(b"a\x80", 2), 1);
    }
}
