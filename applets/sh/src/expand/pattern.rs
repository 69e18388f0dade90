//! Shell pattern matching (fnmatch semantics) on bytes. Patterns are escaped: `\c` is a literal
//! `c`, so quoted characters from the word never act as wildcards.

fn class_match(name: &[u8], c: u8) -> bool {
    match name {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (32..127).contains(&c),
        b"graph" => (33..127).contains(&c),
        b"cntrl" => c < 32 || c == 127,
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Matches a bracket expression starting at p[i] == '['. Returns (matched, index after `]`),
/// or None when the bracket is not closed (then `[` is literal).
fn bracket(p: &[u8], i: usize, c: u8) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let mut neg = false;
    if j < p.len() && (p[j] == b'!' || p[j] == b'^') {
        neg = true;
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        if j >= p.len() {
            return None;
        }
        let mut lo = p[j];
        if lo == b']' && !first {
            return Some((matched != neg, j + 1));
        }
        first = false;
        if lo == b'[' && j + 1 < p.len() && p[j + 1] == b':' {
            if let Some(end) = p[j + 2..].windows(2).position(|w| w == b":]") {
                let name = &p[j + 2..j + 2 + end];
                if class_match(name, c) {
                    matched = true;
                }
                j = j + 2 + end + 2;
                continue;
            }
        }
        if lo == b'\\' && j + 1 < p.len() {
            j += 1;
            lo = p[j];
        }
        j += 1;
        if j + 1 < p.len() && p[j] == b'-' && p[j + 1] != b']' {
            let mut hi = p[j + 1];
            j += 2;
            if hi == b'\\' && j < p.len() {
                hi = p[j];
                j += 1;
            }
            if lo <= c && c <= hi {
                matched = true;
            }
        } else if lo == c {
            matched = true;
        }
    }
}

/// Does the whole of `s` match the pattern `p`?
pub fn pmatch(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            let ok = match p[pi] {
                b'*' => {
                    while pi < p.len() && p[pi] == b'*' {
                        pi += 1;
                    }
                    if pi == p.len() {
                        return true;
                    }
                    star = Some((pi, si));
                    continue;
                }
                b'?' => {
                    if si < s.len() {
                        pi += 1;
                        si += 1;
                        true
                    } else {
                        false
                    }
                }
                b'[' => {
                    if si < s.len() {
                        match bracket(p, pi, s[si]) {
                            Some((true, np)) => {
                                pi = np;
                                si += 1;
                                true
                            }
                            Some((false, _)) => false,
                            None => {
                                if s[si] == b'[' {
                                    pi += 1;
                                    si += 1;
                                    true
                                } else {
                                    false
                                }
                            }
                        }
                    } else {
                        false
                    }
                }
                c => {
                    let (lit, w) = if c == b'\\' && pi + 1 < p.len() {
                        (p[pi + 1], 2)
                    } else {
                        (c, 1)
                    };
                    if si < s.len() && s[si] == lit {
                        pi += w;
                        si += 1;
                        true
                    } else {
                        false
                    }
                }
            };
            if ok {
                continue;
            }
        } else if si == s.len() {
            return true;
        }
        match star {
            Some((sp, ss)) if ss < s.len() => {
                star = Some((sp, ss + 1));
                pi = sp;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

/// Does the (escaped) pattern contain an unescaped wildcard? A `[` counts only when a `]`
/// closes it.
pub fn has_magic(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if p[i + 1..].contains(&b']') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Removes the escaping backslashes.
pub fn unescape(p: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        v.push(p[i]);
        i += 1;
    }
    v
}

/// Pathname expansion of an escaped pattern: sorted matches, or empty when nothing matched.
pub fn glob(p: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let (start, rest) = if p.first() == Some(&b'/') {
        (b"/".to_vec(), &p[1..])
    } else {
        (Vec::new(), p)
    };
    let comps: Vec<&[u8]> = rest.split(|&c| c == b'/').collect();
    walk(start, &comps, &mut out);
    out.sort();
    out
}

fn walk(prefix: Vec<u8>, comps: &[&[u8]], out: &mut Vec<Vec<u8>>) {
    let Some((c, rest)) = comps.split_first() else {
        out.push(prefix);
        return;
    };
    if c.is_empty() {
        // `a//b` or a trailing slash
        let mut np = prefix;
        if !rest.is_empty() || !np.ends_with(b"/") {
            np.push(b'/');
        }
        if rest.is_empty() {
            if crate::sys::stat(&np).is_some_and(|s| s.mode & libc::S_IFMT == libc::S_IFDIR) {
                out.push(np);
            }
            return;
        }
        walk(np, rest, out);
        return;
    }
    let join = |name: &[u8]| {
        let mut np = prefix.clone();
        if !np.is_empty() && !np.ends_with(b"/") {
            np.push(b'/');
        }
        np.extend_from_slice(name);
        np
    };
    if !has_magic(c) {
        let np = join(&unescape(c));
        if rest.is_empty() {
            if crate::sys::lstat(&np).is_some() {
                out.push(np);
            }
        } else {
            walk(np, rest, out);
        }
        return;
    }
    let dir = if prefix.is_empty() {
        b".".to_vec()
    } else {
        prefix.clone()
    };
    let Some(mut names) = crate::sys::read_dir(&dir) else {
        return;
    };
    if c.first() == Some(&b'.') {
        names.push(b".".to_vec());
        names.push(b"..".to_vec());
    }
    names.sort();
    let dot_ok = c.first() == Some(&b'.') || c.starts_with(b"\\.");
    for n in names {
        if n.first() == Some(&b'.') && !dot_ok {
            continue;
        }
        if pmatch(c, &n) {
            let np = join(&n);
            if rest.is_empty() {
                out.push(np);
            } else if crate::sys::stat(&np).is_some_and(|s| s.mode & libc::S_IFMT == libc::S_IFDIR)
            {
                walk(np, rest, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(pmatch(b"*", b""));
        assert!(pmatch(b"a*c", b"abbbc"));
        assert!(!pmatch(b"a*c", b"abbb"));
        assert!(pmatch(b"?", b"x"));
        assert!(pmatch(b"[a-c]x", b"bx"));
        assert!(!pmatch(b"[!a-c]x", b"bx"));
        assert!(pmatch(b"[^a-c]x", b"dx"));
        assert!(pmatch(b"[]]", b"]"));
        assert!(pmatch(b"[[:digit:]]*", b"1abc"));
        assert!(pmatch(b"\\*", b"*"));
        assert!(!pmatch(b"\\*", b"a"));
        assert!(pmatch(b"[", b"["));
        assert!(pmatch(b"*.txt", b"a.b.txt"));
        assert!(pmatch(b"a*b*c", b"aXbYbZc"));
    }
}
