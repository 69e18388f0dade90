//! The HTTP/1.1 response side: status line, headers (bounded), and the body framing
//! (Content-Length, chunked, or until close). Generic over `BufRead` so it is unit-tested and
//! fuzzed without a socket.

use std::io::{self, BufRead};

/// Longest status or header line accepted, and most header lines: a server that sends more
/// is broken or hostile, and memory stays bounded.
pub const MAX_LINE: usize = 16 * 1024;
pub const MAX_HEADERS: usize = 256;

#[derive(Debug)]
pub enum Error {
    Io(io::Error),
    /// The connection closed or sent garbage before the headers ended.
    NoResponse,
    LineTooLong,
    TooManyHeaders,
    BadChunk,
    BadLength,
    /// The body ended before Content-Length bytes or the last chunk.
    Short,
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

#[derive(Debug, Default)]
pub struct Response {
    /// The status line without CR LF (shown verbatim in errors, as BusyBox does).
    pub line: Vec<u8>,
    pub code: u16,
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }
}

/// Reads one line up to LF; the line is returned without CR LF. `Ok(None)` at EOF before
/// any byte.
pub fn read_line<R: BufRead>(r: &mut R) -> Result<Option<Vec<u8>>, Error> {
    let mut line = Vec::new();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            if line.is_empty() {
                return Ok(None);
            }
            return Err(Error::NoResponse);
        }
        let (take, done) = match memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > MAX_LINE {
            return Err(Error::LineTooLong);
        }
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

fn memchr(c: u8, s: &[u8]) -> Option<usize> {
    s.iter().position(|&x| x == c)
}

/// Reads a status line and headers. Interim 1xx responses are skipped. `show` receives each
/// line as it arrives (for `-S`).
pub fn read_response<R: BufRead>(
    r: &mut R,
    show: &mut dyn FnMut(&[u8]),
) -> Result<Response, Error> {
    loop {
        let line = read_line(r)?.ok_or(Error::NoResponse)?;
        show(&line);
        let code = parse_status(&line).ok_or(Error::NoResponse)?;
        let mut resp = Response {
            line,
            code,
            headers: Vec::new(),
        };
        loop {
            let h = read_line(r)?.ok_or(Error::NoResponse)?;
            show(&h);
            if h.is_empty() {
                break;
            }
            if resp.headers.len() >= MAX_HEADERS {
                return Err(Error::TooManyHeaders);
            }
            if (h[0] == b' ' || h[0] == b'\t') && !resp.headers.is_empty() {
                // Obsolete line folding: a continuation of the previous value.
                if let Some(last) = resp.headers.last_mut() {
                    last.1.push(b' ');
                    last.1.extend_from_slice(crate::url::trim(&h));
                }
                continue;
            }
            let Some(colon) = memchr(b':', &h) else {
                continue;
            };
            let name = crate::url::trim(&h[..colon]).to_vec();
            let value = crate::url::trim(&h[colon + 1..]).to_vec();
            resp.headers.push((name, value));
        }
        if (100..200).contains(&code) {
            continue;
        }
        return Ok(resp);
    }
}

/// `HTTP/1.x NNN ...` -> NNN.
pub fn parse_status(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let sp = memchr(b' ', rest)?;
    let rest = &rest[sp + 1..];
    if rest.len() < 3 || !rest[..3].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if rest.len() > 3 && rest[3] != b' ' {
        return None;
    }
    let c = u16::from(rest[0] - b'0') * 100
        + u16::from(rest[1] - b'0') * 10
        + u16::from(rest[2] - b'0');
    Some(c)
}

/// A decimal u64 with nothing else (Content-Length).
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.iter().try_fold(0u64, |a, &c| {
        a.checked_mul(10)?.checked_add(u64::from(c - b'0'))
    })
}

/// How the body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    None,
    Length(u64),
    Chunked,
    Close,
}

/// Picks the framing from the response (chunked wins over Content-Length, RFC 9112).
pub fn framing(resp: &Response, head: bool) -> Result<Framing, Error> {
    if head || resp.code == 204 || resp.code == 304 {
        return Ok(Framing::None);
    }
    if let Some(te) = resp.header("Transfer-Encoding") {
        if te
            .split(|&c| c == b',')
            .any(|t| crate::url::trim(t).eq_ignore_ascii_case(b"chunked"))
        {
            return Ok(Framing::Chunked);
        }
    }
    match resp.header("Content-Length") {
        Some(v) => parse_u64(v).map(Framing::Length).ok_or(Error::BadLength),
        None => Ok(Framing::Close),
    }
}

/// Reads the body with the given framing; `read` returns 0 only at its proper end and an
/// error for a body cut short.
pub struct Body<R> {
    pub inner: R,
    framing: Framing,
    /// Bytes left in the current chunk (chunked) or in the body (length).
    left: u64,
    done: bool,
}

impl<R: BufRead> Body<R> {
    pub fn new(inner: R, framing: Framing) -> Self {
        let left = match framing {
            Framing::Length(n) => n,
            _ => 0,
        };
        Body {
            inner,
            framing,
            left,
            done: matches!(framing, Framing::None | Framing::Length(0)),
        }
    }

    fn chunk_size(&mut self) -> Result<u64, Error> {
        let line = read_line(&mut self.inner)?.ok_or(Error::Short)?;
        let hex = match memchr(b';', &line) {
            Some(i) => &line[..i],
            None => &line[..],
        };
        let hex = crate::url::trim(hex);
        if hex.is_empty() || hex.len() > 15 {
            return Err(Error::BadChunk);
        }
        let mut n = 0u64;
        for &c in hex {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(Error::BadChunk),
            };
            n = n * 16 + u64::from(d);
        }
        Ok(n)
    }

    pub fn read_body(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        match self.framing {
            Framing::None => Ok(0),
            Framing::Close => Ok(self.inner.read(buf)?),
            Framing::Length(_) => {
                let want = buf
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(Error::Short);
                }
                self.left -= n as u64;
                if self.left == 0 {
                    self.done = true;
                }
                Ok(n)
            }
            Framing::Chunked => {
                if self.left == 0 {
                    let n = self.chunk_size()?;
                    if n == 0 {
                        // Trailers up to the empty line.
                        let mut count = 0;
                        loop {
                            match read_line(&mut self.inner)? {
                                None => break,
                                Some(l) if l.is_empty() => break,
                                Some(_) => {
                                    count += 1;
                                    if count > MAX_HEADERS {
                                        return Err(Error::TooManyHeaders);
                                    }
                                }
                            }
                        }
                        self.done = true;
                        return Ok(0);
                    }
                    self.left = n;
                }
                let want = buf
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(Error::Short);
                }
                self.left -= n as u64;
                if self.left == 0 {
                    // The CR LF after the chunk's data.
                    match read_line(&mut self.inner)? {
                        Some(l) if l.is_empty() => {}
                        None => return Err(Error::Short),
                        Some(_) => return Err(Error::BadChunk),
                    }
                }
                Ok(n)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(b: &[u8]) -> Result<(Response, Vec<u8>), Error> {
        let mut r = io::BufReader::new(b);
        let resp = read_response(&mut r, &mut |_| {})?;
        let f = framing(&resp, false)?;
        let mut body = Body::new(r, f);
        let mut out = Vec::new();
        let mut buf = [0u8; 3];
        loop {
            let n = body.read_body(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        Ok((resp, out))
    }

    #[test]
    fn length_and_chunked() {
        let (r, b) = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloXX").unwrap();
        assert_eq!((r.code, b.as_slice()), (200, &b"hello"[..]));
        let (_, b) = parse(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b\r\nabcd\r\nA\r\n0123456789\r\n0\r\nX: y\r\n\r\n",
        )
        .unwrap();
        assert_eq!(b, b"abcd0123456789");
        let (_, b) = parse(b"HTTP/1.0 200 OK\nX: y\n\nuntil close").unwrap();
        assert_eq!(b, b"until close");
    }

    #[test]
    fn bad_ones() {
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"),
            Err(Error::Short)
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err(Error::BadChunk)
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"),
            Err(Error::BadChunk)
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n"),
            Err(Error::BadChunk)
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nX: y\r\n"),
            Err(Error::NoResponse)
        ));
        assert!(matches!(parse(b"garbage\r\n\r\n"), Err(Error::NoResponse)));
        assert!(matches!(parse(b""), Err(Error::NoResponse)));
        let mut long = b"HTTP/1.1 200 OK\r\nX: ".to_vec();
        long.extend(std::iter::repeat_n(b'a', 100_000));
        assert!(matches!(parse(&long), Err(Error::LineTooLong)));
        let mut many = b"HTTP/1.1 200 OK\r\n".to_vec();
        for _ in 0..1000 {
            many.extend_from_slice(b"X: y\r\n");
        }
        many.extend_from_slice(b"\r\n");
        assert!(matches!(parse(&many), Err(Error::TooManyHeaders)));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
            Err(Error::BadLength)
        ));
    }

    #[test]
    fn status() {
        assert_eq!(parse_status(b"HTTP/1.1 404 Not Found"), Some(404));
        assert_eq!(parse_status(b"HTTP/1.1 200"), Some(200));
        assert_eq!(parse_status(b"HTTP/1.1 2000"), None);
        assert_eq!(parse_status(b"ICY 200 OK"), None);
        assert_eq!(parse_u64(b"18446744073709551615"), None);
        assert_eq!(parse_u64(b"123"), Some(123));
    }
}
