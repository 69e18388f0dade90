//! URLs as wget needs them: `scheme://[user[:pass]@]host[:port][/path][?query][#frag]`,
//! with IPv6 literals in brackets. Bytes in, bytes out: a path is never forced through UTF-8.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
    Ftp,
}

impl Scheme {
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
            Scheme::Ftp => 21,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ftp => "ftp",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    pub user: Option<Vec<u8>>,
    pub pass: Option<Vec<u8>>,
    /// Host without brackets (an IPv6 literal is bare here).
    pub host: String,
    pub port: u16,
    /// Whether the URL spelled out the port (then Host: and messages show it).
    pub explicit_port: bool,
    /// Path and query, always starting with '/', fragment removed, unsafe bytes escaped.
    pub path: Vec<u8>,
    /// The path as given (before escaping), for the output file name: a URL with raw
    /// non-UTF-8 bytes names the file with those bytes.
    pub raw_path: Vec<u8>,
}

/// Why a URL was refused; the caller words the message.
#[derive(Debug, PartialEq, Eq)]
pub enum UrlError {
    /// Not http, https or ftp (BusyBox: "not an http or ftp url").
    Scheme,
    /// Bad host or port.
    Bad,
}

fn hexval(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes %XX escapes (user names and passwords in URLs).
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(h), Some(l)) = (hexval(s[i + 1]), hexval(s[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// Escapes the bytes a request line cannot carry (controls, space, non-ASCII) as GNU does.
fn escape_path(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    for &c in p {
        if c <= b' ' || c >= 0x7f || c == b'"' || c == b'<' || c == b'>' {
            out.extend_from_slice(format!("%{c:02X}").as_bytes());
        } else {
            out.push(c);
        }
    }
    out
}

impl Url {
    pub fn parse(s: &[u8]) -> Result<Url, UrlError> {
        let sep = find(s, b"://").ok_or(UrlError::Scheme)?;
        let scheme = match s[..sep].to_ascii_lowercase().as_slice() {
            b"http" => Scheme::Http,
            b"https" => Scheme::Https,
            b"ftp" => Scheme::Ftp,
            _ => return Err(UrlError::Scheme),
        };
        Url::parse_rest(scheme, &s[sep + 3..])
    }

    /// Parses what follows `scheme://`.
    pub fn parse_rest(scheme: Scheme, rest: &[u8]) -> Result<Url, UrlError> {
        let end = rest
            .iter()
            .position(|&c| c == b'/' || c == b'?' || c == b'#')
            .unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let tail = match tail.iter().position(|&c| c == b'#') {
            Some(i) => &tail[..i],
            None => tail,
        };
        let mut path = Vec::with_capacity(tail.len() + 1);
        if tail.first() != Some(&b'/') {
            path.push(b'/');
        }
        path.extend_from_slice(tail);
        let (user, pass, hostport) = match authority.iter().rposition(|&c| c == b'@') {
            Some(at) => {
                let ui = &authority[..at];
                let (u, p) = match ui.iter().position(|&c| c == b':') {
                    Some(c) => (&ui[..c], Some(percent_decode(&ui[c + 1..]))),
                    None => (ui, None),
                };
                (Some(percent_decode(u)), p, &authority[at + 1..])
            }
            None => (None, None, authority),
        };
        let (host, portstr) = if hostport.first() == Some(&b'[') {
            let close = hostport
                .iter()
                .position(|&c| c == b']')
                .ok_or(UrlError::Bad)?;
            let h = &hostport[1..close];
            let after = &hostport[close + 1..];
            let port = match after.first() {
                None => None,
                Some(b':') => Some(&after[1..]),
                Some(_) => return Err(UrlError::Bad),
            };
            let h = std::str::from_utf8(h).map_err(|_| UrlError::Bad)?;
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(UrlError::Bad);
            }
            (h.to_string(), port)
        } else {
            let (h, port) = match hostport.iter().rposition(|&c| c == b':') {
                Some(c) => (&hostport[..c], Some(&hostport[c + 1..])),
                None => (hostport, None),
            };
            let h = std::str::from_utf8(h).map_err(|_| UrlError::Bad)?;
            if h.bytes()
                .any(|c| c <= b' ' || c == b'/' || c == b'[' || c == b']')
            {
                return Err(UrlError::Bad);
            }
            (h.to_string(), port)
        };
        if host.is_empty() {
            return Err(UrlError::Bad);
        }
        let (port, explicit_port) = match portstr {
            None => (scheme.default_port(), false),
            Some(b"") => (scheme.default_port(), false),
            Some(p) => {
                let p = std::str::from_utf8(p).map_err(|_| UrlError::Bad)?;
                if !p.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(UrlError::Bad);
                }
                (p.parse::<u16>().map_err(|_| UrlError::Bad)?, true)
            }
        };
        Ok(Url {
            scheme,
            user,
            pass,
            host,
            port,
            explicit_port,
            path: escape_path(&path),
            raw_path: path,
        })
    }

    pub fn is_v6(&self) -> bool {
        self.host.contains(':')
    }

    /// `host[:port]` as the Host header and BusyBox's messages show it.
    pub fn host_port(&self) -> String {
        let h = if self.is_v6() {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        // A port written in the URL stays, even the default one, as BusyBox shows it.
        if self.explicit_port {
            format!("{h}:{}", self.port)
        } else {
            h
        }
    }

    /// `host:port` always (CONNECT's target).
    #[cfg_attr(not(feature = "https"), allow(dead_code))]
    pub fn authority(&self) -> String {
        if self.is_v6() {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL without credentials, for messages and proxy requests.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = format!("{}://{}", self.scheme.name(), self.host_port()).into_bytes();
        v.extend_from_slice(&self.path);
        v
    }

    /// The same origin for credentials: scheme, host and port.
    pub fn same_origin(&self, o: &Url) -> bool {
        self.scheme == o.scheme && self.host.eq_ignore_ascii_case(&o.host) && self.port == o.port
    }

    /// The last path component (before the query), or `index.html` when it is empty: the
    /// output name BusyBox gives. BusyBox keeps the query in the name; so do we.
    pub fn file_name(&self) -> Vec<u8> {
        let p = &self.raw_path;
        let name = match p.iter().rposition(|&c| c == b'/') {
            Some(i) => &p[i + 1..],
            None => &p[..],
        };
        if name.is_empty() {
            b"index.html".to_vec()
        } else {
            name.to_vec()
        }
    }

    /// Resolves a Location header against this URL (absolute, scheme-relative,
    /// absolute-path and relative references).
    pub fn join(&self, loc: &[u8]) -> Result<Url, UrlError> {
        let loc = trim(loc);
        if find(loc, b"://").is_some_and(|i| loc[..i].iter().all(|c| c.is_ascii_alphanumeric())) {
            return Url::parse(loc);
        }
        if let Some(rest) = loc.strip_prefix(b"//") {
            return Url::parse_rest(self.scheme, rest);
        }
        let mut base = self.clone();
        base.user = None;
        base.pass = None;
        let loc = match loc.iter().position(|&c| c == b'#') {
            Some(i) => &loc[..i],
            None => loc,
        };
        let path = if loc.first() == Some(&b'/') {
            loc.to_vec()
        } else if loc.first() == Some(&b'?') {
            let q = self
                .path
                .iter()
                .position(|&c| c == b'?')
                .unwrap_or(self.path.len());
            let mut v = self.path[..q].to_vec();
            v.extend_from_slice(loc);
            v
        } else {
            let q = self
                .path
                .iter()
                .position(|&c| c == b'?')
                .unwrap_or(self.path.len());
            let dir = self.path[..q]
                .iter()
                .rposition(|&c| c == b'/')
                .map_or(0, |i| i + 1);
            let mut v = self.path[..dir].to_vec();
            v.extend_from_slice(loc);
            v
        };
        base.raw_path = remove_dots(&path);
        base.path = escape_path(&base.raw_path);
        // Credentials of the original URL stay with the same origin only.
        base.user = self.user.clone();
        base.pass = self.pass.clone();
        Ok(base)
    }
}

/// RFC 3986 dot-segment removal on the path part (the query is left alone).
fn remove_dots(p: &[u8]) -> Vec<u8> {
    let q = p.iter().position(|&c| c == b'?').unwrap_or(p.len());
    let (path, query) = p.split_at(q);
    let mut segs: Vec<&[u8]> = Vec::new();
    let parts: Vec<&[u8]> = path.split(|&c| c == b'/').collect();
    let n = parts.len();
    for (i, s) in parts.into_iter().enumerate() {
        match s {
            b"." => {
                if i == n - 1 {
                    segs.push(b"");
                }
            }
            b".." => {
                if segs.len() > 1 {
                    segs.pop();
                }
                if i == n - 1 {
                    segs.push(b"");
                }
            }
            _ => segs.push(s),
        }
    }
    let mut out = segs.join(&b'/');
    if out.first() != Some(&b'/') {
        out.insert(0, b'/');
    }
    out.extend_from_slice(query);
    out
}

pub fn trim(s: &[u8]) -> &[u8] {
    let a = s
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(s.len());
    let b = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(a, |i| i + 1);
    &s[a..b.max(a)]
}

pub fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    h.windows(n.len()).position(|w| w == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn basics() {
        let x = u("http://a.b/c/d.txt?x=1#frag");
        assert_eq!(x.host, "a.b");
        assert_eq!(x.port, 80);
        assert_eq!(x.path, b"/c/d.txt?x=1");
        assert_eq!(x.file_name(), b"d.txt?x=1");
        assert_eq!(u("https://h").path, b"/");
        assert_eq!(u("https://h").port, 443);
        assert_eq!(u("http://h/").file_name(), b"index.html");
        assert_eq!(u("HTTP://h:8080").host_port(), "h:8080");
    }

    #[test]
    fn ipv6_and_userinfo() {
        let x = u("http://us%40er:p%3Aw@[::1]:8080/x");
        assert_eq!(x.host, "::1");
        assert_eq!(x.port, 8080);
        assert_eq!(x.user.as_deref(), Some(&b"us@er"[..]));
        assert_eq!(x.pass.as_deref(), Some(&b"p:w"[..]));
        assert_eq!(x.host_port(), "[::1]:8080");
        assert_eq!(x.authority(), "[::1]:8080");
        assert!(Url::parse(b"http://[zz]/").is_err());
        assert!(Url::parse(b"http://[::1/").is_err());
        assert!(Url::parse(b"http://h:99999/").is_err());
        assert!(Url::parse(b"http://h:8a/").is_err());
        assert!(Url::parse(b"http:///x").is_err());
        assert_eq!(Url::parse(b"gopher://x/"), Err(UrlError::Scheme));
        assert_eq!(Url::parse(b"x"), Err(UrlError::Scheme));
    }

    #[test]
    fn joins() {
        let b = u("http://u:p@h:81/a/b/c?q");
        assert_eq!(b.join(b"/x").unwrap().path, b"/x");
        assert_eq!(b.join(b"d").unwrap().path, b"/a/b/d");
        assert_eq!(b.join(b"../d").unwrap().path, b"/a/d");
        assert_eq!(b.join(b"?z").unwrap().path, b"/a/b/c?z");
        let o = b.join(b"//other/y").unwrap();
        assert_eq!((o.host.as_str(), o.path.as_slice()), ("other", &b"/y"[..]));
        assert_eq!(o.user, None);
        let o = b.join(b"https://o:8443/z").unwrap();
        assert_eq!(o.scheme, Scheme::Https);
        assert_eq!(b.join(b"gopher://x").unwrap_err(), UrlError::Scheme);
        assert_eq!(b.join(b"/x").unwrap().user.as_deref(), Some(&b"u"[..]));
    }

    #[test]
    fn escapes() {
        assert_eq!(u("http://h/a b").path, b"/a%20b");
        let x = Url::parse(b"http://h/a\xff").unwrap();
        assert_eq!(x.path, b"/a%FF");
        assert_eq!(x.file_name(), b"a\xff");
    }
}
