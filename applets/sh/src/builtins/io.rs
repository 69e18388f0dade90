//! `echo printf read`

use super::{err, err_bb, lossy};
use crate::shell::{Res, Shell};
use crate::sys;

/// Backslash escapes of `echo -e` and `%b`; returns false at `\c` (stop output).
fn escapes(s: &[u8], out: &mut Vec<u8>, echo: bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let d = s[i];
        i += 1;
        match d {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return false,
            b'e' => out.push(27),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0'..=b'7' => {
                let mut v = 0u32;
                let mut n = 0;
                let mut j = if d == b'0' && echo { i } else { i - 1 };
                while n < 3 && j < s.len() && (b'0'..=b'7').contains(&s[j]) {
                    v = v * 8 + (s[j] - b'0') as u32;
                    j += 1;
                    n += 1;
                }
                i = j;
                out.push(v as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < s.len() && s[i].is_ascii_hexdigit() {
                    v = v * 16 + (s[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            _ => {
                out.push(b'\\');
                out.push(d);
            }
        }
    }
    true
}

pub fn echo(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut i = 1;
    let mut nl = true;
    let mut esc = false;
    while i < a.len() {
        let s = &a[i];
        if s.len() < 2 || s[0] != b'-' || !s[1..].iter().all(|c| b"neE".contains(c)) {
            break;
        }
        for &c in &s[1..] {
            match c {
                b'n' => nl = false,
                b'e' => esc = true,
                _ => esc = false,
            }
        }
        i += 1;
    }
    let mut out = std::mem::take(&mut sh.out);
    for (k, s) in a[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if esc {
            if !escapes(s, &mut out, true) {
                sh.out = out;
                return Ok(0);
            }
        } else {
            out.extend_from_slice(s);
        }
    }
    if nl {
        out.push(b'\n');
    }
    sh.out = out;
    Ok(0)
}

fn num_arg(sh: &mut Shell, s: &[u8], st: &mut i32) -> i64 {
    if s.is_empty() {
        return 0;
    }
    if (s[0] == b'\'' || s[0] == b'"') && s.len() >= 2 {
        return s[1] as i64;
    }
    let t = s.trim_ascii();
    let (neg, d) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let ds = std::str::from_utf8(d).unwrap_or("");
    let r = if let Some(h) = ds.strip_prefix("0x").or_else(|| ds.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if ds.len() > 1 && ds.starts_with('0') {
        u64::from_str_radix(&ds[1..], 8).ok()
    } else {
        ds.parse::<u64>().ok()
    };
    match r {
        Some(v) => {
            let v = v as i64;
            if neg {
                v.wrapping_neg()
            } else {
                v
            }
        }
        None => {
            // leading digits, then an error
            let mut v: i64 = 0;
            for c in d {
                if !c.is_ascii_digit() {
                    break;
                }
                v = v.wrapping_mul(10).wrapping_add((c - b'0') as i64);
            }
            err_bb(sh, &format!("invalid number '{}'", lossy(s)));
            *st = 1;
            let _ = (v, neg);
            0
        }
    }
}

pub fn printf(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut i = 1;
    if a.get(1).map(|s| s.as_slice()) == Some(b"--") {
        i = 2;
    }
    let Some(fmt) = a.get(i).cloned() else {
        err_bb(sh, "usage: printf FORMAT [ARGUMENT...]");
        return Ok(2);
    };
    let args = &a[i + 1..];
    let mut ai = 0;
    let mut st = 0;
    let mut out = Vec::new();
    loop {
        let mut j = 0;
        let f = &fmt;
        while j < f.len() {
            let c = f[j];
            if c == b'\\' {
                let start = j;
                j += 1;
                if j < f.len() {
                    if (b'0'..=b'7').contains(&f[j]) {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3 && j < f.len() && (b'0'..=b'7').contains(&f[j]) {
                            v = v * 8 + (f[j] - b'0') as u32;
                            j += 1;
                            n += 1;
                        }
                        out.push(v as u8);
                    } else if f[j] == b'c' {
                        sh.out.extend_from_slice(&out);
                        return Ok(st);
                    } else if f[j] == b'x' {
                        let e = (j + 1..f.len().min(j + 3))
                            .take_while(|&k| f[k].is_ascii_hexdigit())
                            .last()
                            .map(|k| k + 1)
                            .unwrap_or(j + 1);
                        escapes(&f[start..e], &mut out, false);
                        j = e;
                    } else {
                        escapes(&f[start..j + 1], &mut out, false);
                        j += 1;
                    }
                } else {
                    out.push(b'\\');
                }
                continue;
            }
            if c != b'%' {
                out.push(c);
                j += 1;
                continue;
            }
            j += 1;
            if j < f.len() && f[j] == b'%' {
                out.push(b'%');
                j += 1;
                continue;
            }
            let spec_start = j;
            while j < f.len() && b"-+ #0".contains(&f[j]) {
                j += 1;
            }
            let mut spec: Vec<u8> = f[spec_start..j].to_vec();
            // width
            if j < f.len() && f[j] == b'*' {
                let w = args.get(ai).map(|s| num_arg(sh, s, &mut st)).unwrap_or(0);
                ai += 1;
                spec.extend_from_slice(w.to_string().as_bytes());
                j += 1;
            } else {
                while j < f.len() && f[j].is_ascii_digit() {
                    spec.push(f[j]);
                    j += 1;
                }
            }
            if j < f.len() && f[j] == b'.' {
                spec.push(b'.');
                j += 1;
                if j < f.len() && f[j] == b'*' {
                    let w = args.get(ai).map(|s| num_arg(sh, s, &mut st)).unwrap_or(0);
                    ai += 1;
                    spec.extend_from_slice(w.to_string().as_bytes());
                    j += 1;
                } else {
                    while j < f.len() && f[j].is_ascii_digit() {
                        spec.push(f[j]);
                        j += 1;
                    }
                }
            }
            while j < f.len() && b"hlLqjzt".contains(&f[j]) {
                j += 1;
            }
            let Some(&conv) = f.get(j) else {
                err_bb(sh, &format!("%{}: invalid format", lossy(&spec)));
                sh.out.extend_from_slice(&out);
                return Ok(1);
            };
            j += 1;
            let arg = args.get(ai).cloned();
            if !matches!(conv, b'%') {
                ai += 1;
            }
            let spec_s = lossy(&spec);
            // A width or precision beyond int range: C's printf fails, so does ash's.
            if spec_s
                .split(|c: char| !c.is_ascii_digit())
                .any(|n| n.len() > 10 || n.parse::<u64>().unwrap_or(0) > i32::MAX as u64)
            {
                st = 1;
                continue;
            }
            match conv {
                b's' | b'b' => {
                    let mut v = arg.unwrap_or_default();
                    let mut stop = false;
                    if conv == b'b' {
                        let mut o = Vec::new();
                        stop = !escapes(&v, &mut o, true);
                        v = o;
                    }
                    out.extend_from_slice(&pad_str(&v, &spec_s));
                    if stop {
                        sh.out.extend_from_slice(&out);
                        return Ok(st);
                    }
                }
                b'c' => {
                    let v = arg.unwrap_or_default();
                    let c = if v.is_empty() { &b"\0"[..] } else { &v[..1] };
                    out.extend_from_slice(&pad_str(c, &spec_s));
                }
                b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                    let n = arg.map(|s| num_arg(sh, &s, &mut st)).unwrap_or(0);
                    out.extend_from_slice(&fmt_int(n, &spec_s, conv));
                }
                b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
                    let s = arg.unwrap_or_default();
                    let v: f64 = lossy(&s).trim().parse().unwrap_or_else(|_| {
                        if !s.is_empty() {
                            err_bb(sh, &format!("invalid number '{}'", lossy(&s)));
                            st = 1;
                        }
                        0.0
                    });
                    out.extend_from_slice(&fmt_float(v, &spec_s, conv));
                }
                _ => {
                    err_bb(sh, &format!("%{}: invalid format", lossy(&[conv])));
                    sh.out.extend_from_slice(&out);
                    return Ok(1);
                }
            }
        }
        if ai == 0 || ai >= args.len() {
            break;
        }
    }
    sh.out.extend_from_slice(&out);
    Ok(st)
}

struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

fn parse_spec(s: &str) -> Spec {
    let mut sp = Spec {
        left: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: 0,
        prec: None,
    };
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b"-+ #0".contains(&b[i]) {
        match b[i] {
            b'-' => sp.left = true,
            b'+' => sp.plus = true,
            b' ' => sp.space = true,
            b'#' => sp.alt = true,
            _ => sp.zero = true,
        }
        i += 1;
    }
    let ws = i;
    if i < b.len() && b[i] == b'-' {
        sp.left = true;
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    sp.width = s[ws..i].trim_start_matches('-').parse().unwrap_or(0);
    if s[ws..i].starts_with('-') {
        sp.left = true;
    }
    if i < b.len() && b[i] == b'.' {
        sp.prec = Some(s[i + 1..].trim_start_matches('-').parse().unwrap_or(0));
    }
    sp
}

fn pad(body: Vec<u8>, sp: &Spec, zero_ok: bool) -> Vec<u8> {
    if body.len() >= sp.width {
        return body;
    }
    let n = sp.width - body.len();
    if sp.left {
        let mut v = body;
        v.extend(std::iter::repeat_n(b' ', n));
        v
    } else if sp.zero && zero_ok {
        let sign = matches!(body.first(), Some(b'-' | b'+' | b' '));
        let mut v = Vec::new();
        let mut rest = &body[..];
        if sign {
            v.push(body[0]);
            rest = &body[1..];
        }
        if rest.starts_with(b"0x") || rest.starts_with(b"0X") {
            v.extend_from_slice(&rest[..2]);
            rest = &rest[2..];
        }
        v.extend(std::iter::repeat_n(b'0', n));
        v.extend_from_slice(rest);
        v
    } else {
        let mut v: Vec<u8> = std::iter::repeat_n(b' ', n).collect();
        v.extend_from_slice(&body);
        v
    }
}

fn pad_str(s: &[u8], spec: &str) -> Vec<u8> {
    let sp = parse_spec(spec);
    let s = match sp.prec {
        Some(p) if p < s.len() => &s[..p],
        _ => s,
    };
    pad(s.to_vec(), &sp, false)
}

fn fmt_int(n: i64, spec: &str, conv: u8) -> Vec<u8> {
    let sp = parse_spec(spec);
    let mut digits = match conv {
        b'o' => format!("{:o}", n as u64),
        b'u' => format!("{}", n as u64),
        b'x' => format!("{:x}", n as u64),
        b'X' => format!("{:X}", n as u64),
        _ => format!("{}", n.unsigned_abs()),
    };
    if let Some(p) = sp.prec {
        if p == 0 && n == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut body = String::new();
    if matches!(conv, b'd' | b'i') {
        if n < 0 {
            body.push('-');
        } else if sp.plus {
            body.push('+');
        } else if sp.space {
            body.push(' ');
        }
    }
    if sp.alt && n != 0 {
        match conv {
            b'o' if !digits.starts_with('0') => body.push('0'),
            b'x' => body.push_str("0x"),
            b'X' => body.push_str("0X"),
            _ => {}
        }
    }
    body.push_str(&digits);
    pad(body.into_bytes(), &sp, sp.prec.is_none())
}

fn fmt_float(v: f64, spec: &str, conv: u8) -> Vec<u8> {
    let sp = parse_spec(spec);
    let p = sp.prec.unwrap_or(6);
    let mut s = match conv {
        b'f' | b'F' => format!("{:.*}", p, v),
        b'e' | b'E' => {
            let s = format!("{:.*e}", p, v);
            // Rust: 1.5e2 ; C: 1.5e+02
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let ev: i32 = e.parse().unwrap_or(0);
            format!("{}e{}{:02}", m, if ev < 0 { '-' } else { '+' }, ev.abs())
        }
        _ => {
            // %g
            let p = if p == 0 { 1 } else { p };
            if v == 0.0 {
                "0".to_string()
            } else {
                let exp = v.abs().log10().floor() as i32;
                if exp < -4 || exp >= p as i32 {
                    let s = format!("{:.*e}", p - 1, v);
                    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                    let m = if sp.alt || !m.contains('.') {
                        m.to_string()
                    } else {
                        m.trim_end_matches('0').trim_end_matches('.').to_string()
                    };
                    let ev: i32 = e.parse().unwrap_or(0);
                    format!("{}e{}{:02}", m, if ev < 0 { '-' } else { '+' }, ev.abs())
                } else {
                    let dec = (p as i32 - 1 - exp).max(0) as usize;
                    let s = format!("{:.*}", dec, v);
                    if s.contains('.') && !sp.alt {
                        s.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        s
                    }
                }
            }
        }
    };
    if conv.is_ascii_uppercase() {
        s = s.to_uppercase();
    }
    if v >= 0.0 {
        if sp.plus {
            s.insert(0, '+');
        } else if sp.space {
            s.insert(0, ' ');
        }
    }
    pad(s.into_bytes(), &sp, true)
}

/// Bytes for `read`: one per read(2) from pipes and terminals (never consume past the line),
/// chunks from seekable files with the unused rest given back by lseek.
struct ByteSrc {
    fd: i32,
    buf: Vec<u8>,
    pos: usize,
    chunked: bool,
}

impl ByteSrc {
    fn new(fd: i32, may_chunk: bool) -> ByteSrc {
        let chunked = may_chunk && !sys::isatty(fd) && sys::lseek(fd, 0, libc::SEEK_CUR) >= 0;
        ByteSrc {
            fd,
            buf: Vec::new(),
            pos: 0,
            chunked,
        }
    }

    fn next(&mut self) -> Result<Option<u8>, i32> {
        if self.pos < self.buf.len() {
            self.pos += 1;
            return Ok(Some(self.buf[self.pos - 1]));
        }
        let mut tmp = [0u8; 512];
        let want = if self.chunked { tmp.len() } else { 1 };
        let n = sys::read(self.fd, &mut tmp[..want])?;
        if n == 0 {
            return Ok(None);
        }
        self.buf.clear();
        self.buf.extend_from_slice(&tmp[..n]);
        self.pos = 1;
        Ok(Some(self.buf[0]))
    }

    fn finish(&mut self) {
        let rest = self.buf.len() - self.pos;
        if rest > 0 {
            sys::lseek(self.fd, -(rest as i64), libc::SEEK_CUR);
        }
        self.buf.clear();
        self.pos = 0;
    }
}

pub fn read(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut raw = false;
    let mut prompt: Option<Vec<u8>> = None;
    let mut timeout: Option<f64> = None;
    let mut nchars: Option<usize> = None;
    let mut silent = false;
    let mut delim = b'\n';
    let mut fd = 0;
    let mut i = 1;
    while i < a.len() && a[i].first() == Some(&b'-') && a[i].len() > 1 {
        if a[i] == b"--" {
            i += 1;
            break;
        }
        let s = a[i].clone();
        let mut k = 1;
        while k < s.len() {
            let c = s[k];
            k += 1;
            let mut optarg = || -> Option<Vec<u8>> {
                if k < s.len() {
                    let v = s[k..].to_vec();
                    k = s.len();
                    Some(v)
                } else {
                    i += 1;
                    a.get(i).cloned()
                }
            };
            match c {
                b'r' => raw = true,
                b's' => silent = true,
                b'p' => prompt = optarg(),
                b't' => timeout = optarg().and_then(|v| lossy(&v).parse().ok()),
                b'n' => nchars = optarg().and_then(|v| lossy(&v).parse().ok()),
                b'd' => delim = optarg().and_then(|v| v.first().copied()).unwrap_or(0),
                b'u' => fd = optarg().and_then(|v| lossy(&v).parse().ok()).unwrap_or(0),
                _ => {
                    err(sh, "read", &format!("illegal option -{}", c as char));
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let names: Vec<Vec<u8>> = if i < a.len() {
        a[i..].to_vec()
    } else {
        vec![b"REPLY".to_vec()]
    };
    if let Some(p) = &prompt {
        if sys::isatty(0) {
            let _ = sys::write_all(2, p);
        }
    }
    let saved_tty = if silent { sys::tty_noecho(fd) } else { None };
    let mut line: Vec<u8> = Vec::new();
    // (byte, was escaped)
    let mut esc_mask: Vec<bool> = Vec::new();
    let mut st = 0;
    // -t bounds the whole read, not each byte; on timeout ash leaves the variables alone and
    // returns 1.
    let deadline = timeout
        .map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t.clamp(0.0, 1e9)));
    let mut timed_out = false;
    let mut src = ByteSrc::new(fd, deadline.is_none());
    loop {
        if let Some(n) = nchars {
            if line.len() >= n {
                break;
            }
        }
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(std::time::Instant::now());
            let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
            if left.is_zero() || !sys::poll_in(fd, ms) {
                timed_out = true;
                break;
            }
        }
        let c = match src.next() {
            Ok(None) => {
                st = 1;
                break;
            }
            Ok(Some(c)) => c,
            Err(libc::EINTR) => {
                if sh.run_traps().is_err() {
                    st = 1;
                    break;
                }
                continue;
            }
            Err(_) => {
                st = 1;
                break;
            }
        };
        if c == delim {
            break;
        }
        if c == 0 {
            // NUL bytes are dropped, as ash does (a shell string cannot hold them).
            continue;
        }
        if c == b'\\' && !raw {
            match src.next() {
                Ok(Some(d)) => {
                    if d == b'\n' {
                        continue;
                    }
                    line.push(d);
                    esc_mask.push(true);
                }
                _ => {
                    st = 1;
                    break;
                }
            }
            continue;
        }
        line.push(c);
        esc_mask.push(false);
    }
    src.finish();
    if let Some(t) = saved_tty {
        sys::tty_restore(fd, &t);
    }
    if timed_out {
        return Ok(1);
    }
    if i >= a.len() {
        // No names: REPLY gets the line as read, blanks and all.
        if sh.set_var(b"REPLY", &line).is_err() {
            return Ok(2);
        }
        return Ok(st);
    }
    // split into the variables
    let ifs = sh
        .vars
        .get(b"IFS")
        .map(|s| s.to_vec())
        .unwrap_or(b" \t\n".to_vec());
    let is_ifs = |k: usize| !esc_mask[k] && ifs.contains(&line[k]);
    let is_ws = |k: usize| is_ifs(k) && matches!(line[k], b' ' | b'\t' | b'\n');
    let mut k = 0;
    let n = line.len();
    while k < n && is_ws(k) {
        k += 1;
    }
    for (vi, name) in names.iter().enumerate() {
        let last = vi + 1 == names.len();
        let mut val = Vec::new();
        if last {
            // the rest, minus trailing IFS whitespace
            let mut end = n;
            while end > k && is_ws(end - 1) {
                end -= 1;
            }
            // one trailing non-whitespace delimiter is removed when it ends the line
            let rest = &line[k..end];
            let mut v = rest.to_vec();
            if end > k && is_ifs(end - 1) && !is_ws(end - 1) {
                // if there is only one field left, the trailing delimiter is dropped
                let inner_delims = (k..end - 1).any(&is_ifs);
                if !inner_delims {
                    v.pop();
                }
            }
            val = v;
        } else {
            while k < n && !is_ifs(k) {
                val.push(line[k]);
                k += 1;
            }
            // skip one delimiter (with surrounding whitespace)
            while k < n && is_ws(k) {
                k += 1;
            }
            if k < n && is_ifs(k) && !is_ws(k) {
                k += 1;
                while k < n && is_ws(k) {
                    k += 1;
                }
            }
        }
        if sh.set_var(name, &val).is_err() {
            return Ok(2);
        }
    }
    Ok(st)
}
