//! wget: download files over HTTP, HTTPS and FTP.
//!
//! Reference: BusyBox wget for every option it has (messages, exit status 1 on any failure,
//! the refusal to overwrite an existing file unless `-O` names it); GNU wget for the options
//! only GNU has (`-t`, `-nv`, `-nc`, `--max-redirect`, `--user`, `--password`,
//! `--ca-certificate`, `-4`/`-6`). Exit status: 0 on success, 1 on any failure (GNU's finer
//! codes 2-8 are not given: BusyBox's scripts test for non-zero).
//!
//! Deliberate differences from BusyBox, each for safety or correctness:
//! - The output is written to a temporary file beside the target and renamed into place when
//!   complete (not with `-c`, `-O -`, a non-regular or symlinked `-O` target, or one `-O` file
//!   shared by several URLs): a failed download leaves no partial file and never clobbers the
//!   previous one. With `-c` the partial file stays, and a later `-c` completes it.
//! - Certificates are verified (BusyBox's TLS does not check them); `--no-check-certificate`
//!   turns that off with a warning.
//! - Malformed responses are errors: an invalid chunk size, a header line over 16 KiB, more
//!   than 256 header lines (BusyBox accepts some of these silently).
//! - `-c` on a file the server says is complete (416) succeeds, as GNU wget does.
//! - Proxies: `http_proxy` is read in lower case only (curl's rule: a CGI program's
//!   `HTTP_PROXY` comes from a request header); `https_proxy`/`HTTPS_PROXY` are used and
//!   tunnel with CONNECT; `no_proxy`/`NO_PROXY` are honoured.
//! - The progress bar is redrawn on a terminal only (at most 5 times a second); elsewhere one
//!   final line is printed (BusyBox prints one a second). Its format is BusyBox's (no rate).
//! - Several URLs: the first failure stops the run, as BusyBox does.
//! - A relative `Location` (`../x`, `x`, `?q`) is resolved per RFC 3986 (BusyBox takes it for
//!   a host name); a redirect is followed at most 15 times (`--max-redirect N`).
//! - Credentials (URL `user:pass@`, `--user`/`--password`, custom `Authorization`/`Cookie`)
//!   go to the first origin only, never to another host, port or scheme a redirect names.
//! - `--ca-certificate FILE` replaces the system's CA bundle (curl's `--cacert`), so a test
//!   or a private deployment trusts exactly what it names.
//! - FTP: the anonymous password is `anonymous@`; `-S` shows the dialogue as BusyBox does, a
//!   real password masked; the 226 reply is awaited before the file is kept.
//! - `-T 0` and `-t 0` mean no limit (GNU); a failed try is retried only for network errors
//!   (connect, timeout, cut-off body), after 1, 2, ... 10 seconds.

mod cleanup;
mod ftp;
mod http;
mod net;
mod progress;
#[cfg(feature = "https")]
mod tls;
mod url;

use std::ffi::{OsStr, OsString};
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rbox_common::getopt::{Getopt, HasArg, Item, LongOpt};

use net::{Conn, Family};
use url::{Scheme, Url, UrlError};

pub const USAGE: &str = "[-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header 'NAME: VALUE']
\t[--post-data STR | --post-file FILE] [-Y on/off] [--no-check-certificate]
\t[--ca-certificate FILE] [-P DIR] [-U AGENT] [-T SEC] [-t TRIES] [--max-redirect N]
\t[--user USER] [--password PASS] [-nv] [-nc] [-4|-6] URL...

Download files over HTTP, HTTPS or FTP

\t--spider\tCheck that the URL exists (HEAD), download nothing
\t--header STR\tSend the header STR ('Name: value'); replaces a default of that name
\t--post-data STR\tSend STR with the POST method
\t--post-file FILE\tSend FILE with the POST method
\t--no-check-certificate\tDo not verify the server's certificate
\t--ca-certificate FILE\tTrust the CA certificates in FILE (PEM) instead of the system's
\t--max-redirect N\tFollow at most N redirections
\t--user USER, --password PASS\tCredentials for basic authentication and FTP
\t-c\t\tContinue a partial download
\t-q\t\tQuiet
\t-nv\t\tPrint errors and one line per download only
\t-nc\t\tDo not download a file that already exists
\t-P DIR\t\tSave into DIR
\t-S\t\tShow the server's response headers
\t-T SEC\t\tTimeout for name lookup, connecting and every read (default 900)
\t-t TRIES\tTry network failures TRIES times (default 1)
\t-O FILE\t\tSave to FILE ('-' for standard output)
\t-o LOGFILE\tWrite messages to LOGFILE
\t-U STR\t\tUser-Agent header
\t-Y on/off\tUse proxies from the environment
\t-4, -6\t\tConnect over IPv4 or IPv6 only";

const APPLET: &str = "wget";

const OPT_SPIDER: u32 = 256;
const OPT_HEADER: u32 = 257;
const OPT_POST_DATA: u32 = 258;
const OPT_POST_FILE: u32 = 259;
const OPT_NO_CHECK: u32 = 260;
const OPT_CA: u32 = 261;
const OPT_MAX_REDIR: u32 = 262;
const OPT_USER: u32 = 263;
const OPT_PASSWORD: u32 = 264;
const OPT_NV: u32 = 265;
const OPT_NC: u32 = 266;
const OPT_VERSION: u32 = 267;
const OPT_IGNORED: u32 = 268;
const OPT_IGNORED_ARG: u32 = 269;
const OPT_NO_PROXY: u32 = 270;

static LONG: &[LongOpt] = &[
    LongOpt::new("continue", HasArg::No, b'c' as u32),
    LongOpt::new("quiet", HasArg::No, b'q' as u32),
    LongOpt::new("output-document", HasArg::Required, b'O' as u32),
    LongOpt::new("output-file", HasArg::Required, b'o' as u32),
    LongOpt::new("directory-prefix", HasArg::Required, b'P' as u32),
    LongOpt::new("server-response", HasArg::No, b'S' as u32),
    LongOpt::new("timeout", HasArg::Required, b'T' as u32),
    LongOpt::new("tries", HasArg::Required, b't' as u32),
    LongOpt::new("user-agent", HasArg::Required, b'U' as u32),
    LongOpt::new("proxy", HasArg::Required, b'Y' as u32),
    LongOpt::new("no-proxy", HasArg::No, OPT_NO_PROXY),
    LongOpt::new("inet4-only", HasArg::No, b'4' as u32),
    LongOpt::new("inet6-only", HasArg::No, b'6' as u32),
    LongOpt::new("spider", HasArg::No, OPT_SPIDER),
    LongOpt::new("header", HasArg::Required, OPT_HEADER),
    LongOpt::new("post-data", HasArg::Required, OPT_POST_DATA),
    LongOpt::new("post-file", HasArg::Required, OPT_POST_FILE),
    LongOpt::new("no-check-certificate", HasArg::No, OPT_NO_CHECK),
    LongOpt::new("ca-certificate", HasArg::Required, OPT_CA),
    LongOpt::new("max-redirect", HasArg::Required, OPT_MAX_REDIR),
    LongOpt::new("user", HasArg::Required, OPT_USER),
    LongOpt::new("password", HasArg::Required, OPT_PASSWORD),
    LongOpt::new("no-verbose", HasArg::No, OPT_NV),
    LongOpt::new("no-clobber", HasArg::No, OPT_NC),
    LongOpt::new("version", HasArg::No, OPT_VERSION),
    // Accepted and ignored, as BusyBox does, so that scripts written for GNU keep working.
    LongOpt::new("passive-ftp", HasArg::No, OPT_IGNORED),
    LongOpt::new("no-cache", HasArg::No, OPT_IGNORED),
    LongOpt::new("no-parent", HasArg::No, OPT_IGNORED),
    LongOpt::new("no-host-directories", HasArg::No, OPT_IGNORED),
    LongOpt::new("verbose", HasArg::No, OPT_IGNORED),
    LongOpt::new("retry-connrefused", HasArg::No, OPT_IGNORED),
    LongOpt::new("no-dns-cache", HasArg::No, OPT_IGNORED),
    LongOpt::new("progress", HasArg::Required, OPT_IGNORED_ARG),
    LongOpt::new("secure-protocol", HasArg::Required, OPT_IGNORED_ARG),
    LongOpt::new("waitretry", HasArg::Required, OPT_IGNORED_ARG),
    LongOpt::new("wait", HasArg::Required, OPT_IGNORED_ARG),
];

/// A failure: the message (without "wget: ") and whether another try may help.
#[derive(Debug)]
pub(crate) struct Fail {
    msg: Vec<u8>,
    retry: bool,
}

impl Fail {
    fn new(m: impl Into<Vec<u8>>) -> Fail {
        Fail {
            msg: m.into(),
            retry: false,
        }
    }
    fn net(m: impl Into<Vec<u8>>) -> Fail {
        Fail {
            msg: m.into(),
            retry: true,
        }
    }
}

type Res<T> = Result<T, Fail>;

#[derive(Default)]
struct Opts {
    cont: bool,
    quiet: bool,
    out: Option<OsString>,
    log: Option<OsString>,
    prefix: Option<OsString>,
    show_resp: bool,
    timeout: Duration,
    tries: u32,
    agent: Vec<u8>,
    no_proxy: bool,
    headers: Vec<Vec<u8>>,
    post: Option<Vec<u8>>,
    spider: bool,
    no_check: bool,
    ca: Option<OsString>,
    max_redirect: u32,
    user: Option<Vec<u8>>,
    password: Option<Vec<u8>>,
    nv: bool,
    nc: bool,
    family: Option<Family>,
}

/// Where the messages go: stderr, or the `-o` log file.
struct Log {
    file: Option<File>,
}

impl Log {
    fn write(&mut self, b: &[u8]) {
        match &mut self.file {
            Some(f) => {
                let _ = f.write_all(b);
            }
            None => {
                let _ = io::stderr().write_all(b);
            }
        }
    }
}

pub(crate) struct Ctx {
    o: Opts,
    log: Log,
    #[cfg(feature = "https")]
    tls: Option<tls::Tls>,
    /// The `-O FILE` shared by several URLs, opened once.
    shared: Option<File>,
    nurls: usize,
}

fn parse_num(s: &OsStr) -> Option<u64> {
    http::parse_u64(s.as_bytes())
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = argv.get(1..).unwrap_or(&[]);
    let mut o = Opts {
        timeout: Duration::from_secs(900),
        tries: 1,
        agent: b"Wget".to_vec(),
        max_redirect: 15,
        ..Opts::default()
    };
    let mut urls: Vec<&OsStr> = Vec::new();
    let mut post_file: Option<OsString> = None;
    for item in Getopt::new(args, "cqO:o:P:ST:t:U:Y:n::46", LONG) {
        let (code, arg) = match item {
            Ok(Item::Operand(u)) => {
                urls.push(u);
                continue;
            }
            Ok(Item::Opt(c, a)) => (c, a),
            Err(e) => {
                rbox_common::err::report_msg(APPLET, &e.to_string());
                return usage();
            }
        };
        let a = arg.unwrap_or_default();
        match code {
            c if c == u32::from(b'c') => o.cont = true,
            c if c == u32::from(b'q') => o.quiet = true,
            c if c == u32::from(b'O') => o.out = Some(a.to_os_string()),
            c if c == u32::from(b'o') => o.log = Some(a.to_os_string()),
            c if c == u32::from(b'P') => o.prefix = Some(a.to_os_string()),
            c if c == u32::from(b'S') => o.show_resp = true,
            c if c == u32::from(b'T') => {
                // GNU accepts fractions; BusyBox whole seconds. 0 means no timeout (GNU).
                let secs = a.to_str().and_then(|s| s.parse::<f64>().ok());
                match secs {
                    Some(s) if s.is_finite() && s >= 0.0 => {
                        o.timeout = if s == 0.0 {
                            Duration::from_secs(86400 * 365)
                        } else {
                            Duration::from_secs_f64(s.min(1e9))
                        }
                    }
                    _ => return bad_number(a),
                }
            }
            c if c == u32::from(b't') => match parse_num(a) {
                // GNU: 0 means no limit.
                Some(0) => o.tries = u32::MAX,
                Some(n) => o.tries = u32::try_from(n).unwrap_or(u32::MAX),
                None if a == "inf" => o.tries = u32::MAX,
                None => return bad_number(a),
            },
            c if c == u32::from(b'U') => o.agent = a.as_bytes().to_vec(),
            c if c == u32::from(b'Y') => o.no_proxy = a.as_bytes().eq_ignore_ascii_case(b"off"),
            c if c == u32::from(b'n') => match a.as_bytes() {
                b"v" => o.nv = true,
                b"c" => o.nc = true,
                _ => {} // -nH, -np, -nd ...: accepted and ignored, as BusyBox does.
            },
            c if c == u32::from(b'4') => o.family = Some(Family::V4),
            c if c == u32::from(b'6') => o.family = Some(Family::V6),
            OPT_NO_PROXY => o.no_proxy = true,
            OPT_SPIDER => o.spider = true,
            OPT_HEADER => o.headers.push(a.as_bytes().to_vec()),
            OPT_POST_DATA => o.post = Some(a.as_bytes().to_vec()),
            OPT_POST_FILE => post_file = Some(a.to_os_string()),
            OPT_NO_CHECK => o.no_check = true,
            OPT_CA => o.ca = Some(a.to_os_string()),
            OPT_MAX_REDIR => match parse_num(a) {
                Some(n) => o.max_redirect = u32::try_from(n).unwrap_or(u32::MAX),
                None => return bad_number(a),
            },
            OPT_USER => o.user = Some(a.as_bytes().to_vec()),
            OPT_PASSWORD => o.password = Some(a.as_bytes().to_vec()),
            OPT_NV => o.nv = true,
            OPT_NC => o.nc = true,
            OPT_VERSION => {
                let mut out = rbox_common::io::Out::stdout();
                out.put(b"wget (rbox) ");
                out.put(env!("CARGO_PKG_VERSION").as_bytes());
                #[cfg(feature = "https")]
                out.put(b" +https");
                #[cfg(not(feature = "https"))]
                out.put(b" -https");
                out.put(b"\n");
                return out.finish(APPLET, 0);
            }
            _ => {} // ignored options
        }
    }
    if urls.is_empty() {
        return usage();
    }
    let log = match &o.log {
        Some(p) => match OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(p)
        {
            Ok(f) => Log { file: Some(f) },
            Err(e) => {
                rbox_common::err::report(
                    APPLET,
                    &[
                        format!("can't open '{}'", p.to_string_lossy()).as_bytes(),
                        rbox_common::err::reason(&e).as_bytes(),
                    ],
                );
                return 1;
            }
        },
        None => Log { file: None },
    };
    if let Some(pf) = post_file {
        match std::fs::read(&pf) {
            Ok(d) => o.post = Some(d),
            Err(e) => {
                rbox_common::err::report(
                    APPLET,
                    &[
                        format!("can't open '{}'", pf.to_string_lossy()).as_bytes(),
                        rbox_common::err::reason(&e).as_bytes(),
                    ],
                );
                return 1;
            }
        }
    }
    let mut ctx = Ctx {
        o,
        log,
        #[cfg(feature = "https")]
        tls: None,
        shared: None,
        nurls: urls.len(),
    };
    for u in urls {
        if let Err(f) = ctx.fetch(u.as_bytes()) {
            ctx.error(&f.msg);
            return 1;
        }
    }
    if let Some(f) = ctx.shared.take() {
        if let Err(e) = f.sync_data().and(Ok(())) {
            ctx.error(format!("write error: {}", rbox_common::err::reason(&e)).as_bytes());
            return 1;
        }
    }
    0
}

/// Runs the response parser and body decoder over `data` as if a server had sent it: the
/// entry point of the fuzz target (applets/wget/fuzz). Never panics, whatever the input.
#[doc(hidden)]
pub fn fuzz_response(data: &[u8]) {
    let mut r = io::BufReader::with_capacity(97, data);
    let Ok(resp) = http::read_response(&mut r, &mut |_| {}) else {
        return;
    };
    let _ = resp
        .header("Location")
        .map(|l| Url::parse(b"http://h/a/b").map(|u| u.join(l)));
    let Ok(framing) = http::framing(&resp, false) else {
        return;
    };
    let mut body = http::Body::new(r, framing);
    let mut buf = [0u8; 61];
    while let Ok(n) = body.read_body(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

fn usage() -> i32 {
    let _ = io::stderr().write_all(format!("Usage: wget {USAGE}\n").as_bytes());
    1
}

fn bad_number(a: &OsStr) -> i32 {
    rbox_common::err::report_msg(APPLET, &format!("invalid number '{}'", a.to_string_lossy()));
    1
}

fn b64(data: &[u8]) -> Vec<u8> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for ch in data.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63]);
        out.push(T[(n >> 12) as usize & 63]);
        out.push(if ch.len() > 1 {
            T[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if ch.len() > 2 {
            T[n as usize & 63]
        } else {
            b'='
        });
    }
    out
}

fn basic(user: &[u8], pass: &[u8]) -> Vec<u8> {
    let mut up = user.to_vec();
    up.push(b':');
    up.extend_from_slice(pass);
    let mut v = b"Basic ".to_vec();
    v.extend_from_slice(&b64(&up));
    v
}

fn q(p: &[u8]) -> String {
    format!("'{}'", String::from_utf8_lossy(p))
}

/// Where a download goes.
#[derive(Clone)]
enum Target {
    Stdout,
    /// A file; `named` when `-O` chose it (then an existing file is replaced).
    File {
        path: PathBuf,
        named: bool,
    },
}

/// An open output: the file written and what to do with it at the end.
struct Sink {
    /// Standard output is borrowed (never closed); every other file is owned.
    file: std::mem::ManuallyDrop<File>,
    /// The temporary name, renamed to `dest` on success and removed on failure.
    tmp: Option<PathBuf>,
    dest: PathBuf,
    /// Replace an existing `dest` (named by -O) or refuse to (name from the URL).
    replace: bool,
    stdout: bool,
    closed: bool,
    /// Removes `tmp` if a signal ends wget (declared last: dropped after the file is gone).
    _guard: Option<cleanup::Guard>,
}

impl Sink {
    fn write_all(&mut self, b: &[u8]) -> io::Result<()> {
        self.file.write_all(b)
    }

    /// Closes the file, reporting close()'s error.
    fn close(&mut self) -> io::Result<()> {
        use std::os::fd::IntoRawFd;
        if self.stdout || self.closed {
            return Ok(());
        }
        self.closed = true;
        // SAFETY: taken once (closed is set), never used again; Drop skips it.
        let f = unsafe { std::mem::ManuallyDrop::take(&mut self.file) };
        let fd = f.into_raw_fd();
        // SAFETY: fd is ours, closed exactly once.
        if unsafe { libc::close(fd) } != 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EINTR) {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Commits a complete download.
    fn commit(mut self) -> Result<(), Fail> {
        let Some(tmp) = self.tmp.take() else {
            return Ok(());
        };
        if self.replace {
            std::fs::rename(&tmp, &self.dest).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Fail::new(format!(
                    "can't rename to {}: {}",
                    q(self.dest.as_os_str().as_bytes()),
                    rbox_common::err::reason(&e)
                ))
            })
        } else {
            // link() refuses to replace: an existing file (made while we downloaded) is kept.
            match std::fs::hard_link(&tmp, &self.dest) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&tmp);
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(Fail::new(format!(
                        "can't open {}: File exists",
                        q(self.dest.as_os_str().as_bytes())
                    )))
                }
                Err(_) => {
                    // A file system without hard links: check, then rename.
                    if std::fs::symlink_metadata(&self.dest).is_ok() {
                        let _ = std::fs::remove_file(&tmp);
                        return Err(Fail::new(format!(
                            "can't open {}: File exists",
                            q(self.dest.as_os_str().as_bytes())
                        )));
                    }
                    std::fs::rename(&tmp, &self.dest).map_err(|e| {
                        let _ = std::fs::remove_file(&tmp);
                        Fail::new(format!(
                            "can't open {}: {}",
                            q(self.dest.as_os_str().as_bytes()),
                            rbox_common::err::reason(&e)
                        ))
                    })
                }
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(t) = self.tmp.take() {
            let _ = std::fs::remove_file(t);
        }
        if !self.stdout && !self.closed {
            // SAFETY: dropped once, here, and never used after.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.file) };
        }
    }
}

fn stdout_file() -> File {
    use std::os::fd::FromRawFd;
    // SAFETY: fd 1 stays open for the process; the File is forgotten, never closed (Sink).
    unsafe { File::from_raw_fd(1) }
}

fn create_tmp(dest: &Path) -> io::Result<(File, PathBuf)> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = dest.file_name().unwrap_or(OsStr::new("wget"));
    let pid = std::process::id();
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for i in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut name = OsString::from(".");
        let b = base.as_bytes();
        name.push(OsStr::from_bytes(&b[..b.len().min(200)]));
        name.push(format!(".{pid:x}{:x}{i}.part", nanos & 0xffff));
        let p = dir.join(name);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&p)
        {
            Ok(f) => return Ok((f, p)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The parts of a request that change across redirects.
struct Req {
    url: Url,
    method: &'static str,
    body: Option<Vec<u8>>,
    /// Credentials and custom Authorization go to the first origin only.
    same_origin: bool,
}

impl Ctx {
    fn say(&mut self, msg: &[u8]) {
        if self.o.quiet || self.o.nv {
            return;
        }
        let mut v = msg.to_vec();
        v.push(b'\n');
        self.log.write(&v);
    }

    fn error(&mut self, msg: &[u8]) {
        let mut v = b"wget: ".to_vec();
        v.extend_from_slice(msg);
        v.push(b'\n');
        self.log.write(&v);
    }

    #[cfg_attr(not(feature = "https"), allow(dead_code))]
    fn warn(&mut self, msg: &str) {
        if !self.o.quiet {
            self.error(format!("warning: {msg}").as_bytes());
        }
    }

    fn target_for(&self, url: &Url) -> Target {
        match &self.o.out {
            Some(o) if o == "-" => Target::Stdout,
            Some(o) => Target::File {
                path: PathBuf::from(o),
                named: true,
            },
            None => {
                let name = OsString::from_vec(url.file_name());
                let path = match &self.o.prefix {
                    Some(p) => Path::new(p).join(name),
                    None => PathBuf::from(name),
                };
                Target::File { path, named: false }
            }
        }
    }

    fn fetch(&mut self, arg: &[u8]) -> Res<()> {
        let url = match Url::parse(arg) {
            Ok(u) => u,
            Err(UrlError::Scheme) => {
                return Err(Fail::new(format!(
                    "not an http or ftp url: {}",
                    String::from_utf8_lossy(arg)
                )))
            }
            Err(UrlError::Bad) => {
                return Err(Fail::new(format!("bad URL {}", q(arg))));
            }
        };
        if url.scheme == Scheme::Https && !cfg!(feature = "https") {
            return Err(Fail::new("HTTPS support is not compiled in"));
        }
        let target = self.target_for(&url);
        if self.o.nc && !self.o.spider {
            if let Target::File { path, .. } = &target {
                if std::fs::symlink_metadata(path).is_ok() {
                    let m = format!(
                        "File {} already there; not retrieving.",
                        q(path.as_os_str().as_bytes())
                    );
                    if !self.o.quiet {
                        let mut v = m.into_bytes();
                        v.push(b'\n');
                        self.log.write(&v);
                    }
                    return Ok(());
                }
            }
        }
        let mut attempt = 1;
        loop {
            match self.attempt(&url, &target) {
                Ok(()) => return Ok(()),
                Err(f) if f.retry && attempt < self.o.tries => {
                    self.error(&f.msg);
                    std::thread::sleep(Duration::from_secs(u64::from(attempt.min(10))));
                    attempt += 1;
                }
                Err(f) => return Err(f),
            }
        }
    }

    /// The proxy for `url` from the environment, unless `-Y off` or `no_proxy` says no.
    fn proxy_for(&self, url: &Url) -> Res<Option<Url>> {
        if self.o.no_proxy {
            return Ok(None);
        }
        let var = match url.scheme {
            Scheme::Http => std::env::var_os("http_proxy"),
            Scheme::Https => {
                std::env::var_os("https_proxy").or_else(|| std::env::var_os("HTTPS_PROXY"))
            }
            Scheme::Ftp => std::env::var_os("ftp_proxy"),
        };
        let Some(p) = var.filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let np = std::env::var_os("no_proxy").or_else(|| std::env::var_os("NO_PROXY"));
        if let Some(np) = np {
            if no_proxy_match(np.as_bytes(), &url.host, url.port) {
                return Ok(None);
            }
        }
        let pb = p.as_bytes();
        let parsed = if url::find(pb, b"://").is_some() {
            Url::parse(pb)
        } else {
            Url::parse_rest(Scheme::Http, pb)
        };
        match parsed {
            Ok(u) if u.scheme == Scheme::Http => Ok(Some(u)),
            _ => Err(Fail::new(format!(
                "unsupported proxy {} (only http:// proxies)",
                q(pb)
            ))),
        }
    }

    /// Connects to `host:port`, printing BusyBox's "Connecting to" line.
    fn dial(&mut self, host: &str, port: u16, shown: &str) -> Res<std::net::TcpStream> {
        let fam = self.o.family.unwrap_or(Family::Any);
        let addrs = net::resolve(host, port, fam, self.o.timeout).map_err(Fail::net)?;
        self.say(format!("Connecting to {shown} ({})", net::show(&addrs[0])).as_bytes());
        net::connect(&addrs, self.o.timeout).map_err(|e| {
            let ip = addrs[0].ip();
            let r = if net::is_timeout(&e) {
                "Connection timed out".to_string()
            } else {
                rbox_common::err::reason(&e)
            };
            if ip.is_ipv4() {
                Fail::net(format!("can't connect to remote host ({ip}): {r}"))
            } else {
                Fail::net(format!("can't connect to remote host: {r}"))
            }
        })
    }

    /// Opens a connection for `url`: directly, through an HTTP proxy (`true`: the request
    /// then names the absolute URL), or through a CONNECT tunnel with TLS on top.
    fn open(&mut self, url: &Url) -> Res<(Conn, Option<Url>)> {
        let proxy = self.proxy_for(url)?;
        let tcp = match &proxy {
            Some(p) => self.dial(&p.host, p.port, &p.host_port())?,
            None => self.dial(&url.host, url.port, &url.host_port())?,
        };
        if url.scheme != Scheme::Https {
            return Ok((Conn::Tcp(tcp), proxy));
        }
        #[cfg(feature = "https")]
        {
            let mut tcp = tcp;
            if let Some(p) = &proxy {
                self.tunnel(&mut tcp, url, p)?;
            }
            if self.tls.is_none() {
                if self.o.no_check {
                    self.warn("not checking server certificates (--no-check-certificate)");
                }
                let t = tls::Tls::new(!self.o.no_check, self.o.ca.as_deref()).map_err(Fail::new)?;
                self.tls = Some(t);
            }
            let Some(t) = &self.tls else {
                return Err(Fail::new("TLS setup failed"));
            };
            let conn = t.connect(tcp, &url.host).map_err(Fail::new)?;
            Ok((conn, None))
        }
        #[cfg(not(feature = "https"))]
        {
            drop(tcp);
            Err(Fail::new("HTTPS support is not compiled in"))
        }
    }

    /// CONNECT host:port through an HTTP proxy.
    #[cfg(feature = "https")]
    fn tunnel(&mut self, tcp: &mut std::net::TcpStream, url: &Url, p: &Url) -> Res<()> {
        let auth = url.authority();
        let mut req = format!("CONNECT {auth} HTTP/1.1\r\nHost: {auth}\r\n").into_bytes();
        if let Some(u) = &p.user {
            req.extend_from_slice(b"Proxy-Authorization: ");
            req.extend_from_slice(&basic(u, p.pass.as_deref().unwrap_or(b"")));
            req.extend_from_slice(b"\r\n");
        }
        req.extend_from_slice(b"\r\n");
        tcp.write_all(&req).map_err(|e| self.io_fail(&e))?;
        use std::io::Read;
        // Read the reply a byte at a time: nothing after it may be consumed (TLS follows).
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && !head.ends_with(b"\n\n") {
            match tcp.read(&mut b) {
                Ok(0) => return Err(Fail::net("error getting response from proxy")),
                Ok(_) => head.push(b[0]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_fail(&e)),
            }
            if head.len() > http::MAX_LINE * 4 {
                return Err(Fail::new("proxy response too long"));
            }
        }
        let line_end = head
            .iter()
            .position(|&c| c == b'\r' || c == b'\n')
            .unwrap_or(0);
        let line = &head[..line_end];
        if self.o.show_resp {
            let mut v = Vec::new();
            for l in head.split(|&c| c == b'\n') {
                let l = l.strip_suffix(b"\r").unwrap_or(l);
                v.extend_from_slice(b"  ");
                v.extend_from_slice(l);
                v.push(b'\n');
            }
            v.pop();
            self.log.write(&v);
        }
        match http::parse_status(line) {
            Some(c) if (200..300).contains(&c) => Ok(()),
            _ => Err(Fail::new([&b"proxy refused CONNECT: "[..], line].concat())),
        }
    }

    fn io_fail(&self, e: &io::Error) -> Fail {
        if net::is_timeout(e) {
            Fail::net("download timed out")
        } else {
            Fail::net(format!(
                "error talking to server: {}",
                rbox_common::err::reason(e)
            ))
        }
    }

    fn request(&self, req: &Req, proxy: Option<&Url>, range: u64, orig: &Url) -> Vec<u8> {
        let url = &req.url;
        let mut r = Vec::with_capacity(256);
        r.extend_from_slice(req.method.as_bytes());
        r.push(b' ');
        if proxy.is_some() {
            r.extend_from_slice(&url.to_bytes());
        } else {
            r.extend_from_slice(&url.path);
        }
        r.extend_from_slice(b" HTTP/1.1\r\n");
        let user_has = |name: &str| {
            self.o.headers.iter().any(|h| {
                let n = h
                    .iter()
                    .position(|&c| c == b':')
                    .map_or(&h[..], |i| &h[..i]);
                url::trim(n).eq_ignore_ascii_case(name.as_bytes())
            })
        };
        let mut add = |name: &str, value: &[u8]| {
            if !user_has(name) {
                r.extend_from_slice(name.as_bytes());
                r.extend_from_slice(b": ");
                r.extend_from_slice(value);
                r.extend_from_slice(b"\r\n");
            }
        };
        add("Host", url.host_port().as_bytes());
        add("User-Agent", &self.o.agent);
        let creds = match (&url.user, req.same_origin) {
            (Some(u), _) => Some((u.clone(), url.pass.clone().unwrap_or_default())),
            (None, true) => match (&orig.user, &self.o.user) {
                (Some(u), _) => Some((u.clone(), orig.pass.clone().unwrap_or_default())),
                (None, Some(u)) => Some((u.clone(), self.o.password.clone().unwrap_or_default())),
                (None, None) => None,
            },
            (None, false) => None,
        };
        if let Some((u, p)) = creds {
            add("Authorization", &basic(&u, &p));
        }
        if let Some(p) = proxy {
            if let Some(u) = &p.user {
                add(
                    "Proxy-Authorization",
                    &basic(u, p.pass.as_deref().unwrap_or(b"")),
                );
            }
        }
        add("Connection", b"close");
        if range > 0 {
            add("Range", format!("bytes={range}-").as_bytes());
        }
        if let Some(b) = &req.body {
            add("Content-Type", b"application/x-www-form-urlencoded");
            add("Content-Length", b.len().to_string().as_bytes());
        }
        for h in &self.o.headers {
            // A custom Authorization or Cookie is a credential too: it stays with the first
            // origin (curl's rule).
            let n = url::trim(
                h.iter()
                    .position(|&c| c == b':')
                    .map_or(&h[..], |i| &h[..i]),
            );
            if !req.same_origin
                && (n.eq_ignore_ascii_case(b"authorization") || n.eq_ignore_ascii_case(b"cookie"))
            {
                continue;
            }
            if h.contains(&b'\n') || h.contains(&b'\r') {
                continue;
            }
            r.extend_from_slice(h);
            r.extend_from_slice(b"\r\n");
        }
        r.extend_from_slice(b"\r\n");
        if let Some(b) = &req.body {
            r.extend_from_slice(b);
        }
        r
    }

    fn attempt(&mut self, orig: &Url, target: &Target) -> Res<()> {
        let method = if self.o.spider {
            "HEAD"
        } else if self.o.post.is_some() {
            "POST"
        } else {
            "GET"
        };
        let mut req = Req {
            url: orig.clone(),
            method,
            body: self.o.post.clone(),
            same_origin: true,
        };
        // -c: the size already there.
        let resume = self.resume_size(target);
        let mut redirects = 0u32;
        loop {
            let (conn, proxy) = self.open(&req.url)?;
            if req.url.scheme == Scheme::Ftp && proxy.is_none() {
                let Some(tcp) = conn.into_tcp() else {
                    return Err(Fail::new("ftp over TLS is not supported"));
                };
                return ftp::fetch(self, tcp, &req.url, target, resume, req.same_origin);
            }
            let mut conn = BufReader::with_capacity(64 * 1024, conn);
            let bytes = self.request(&req, proxy.as_ref(), resume, orig);
            conn.get_mut()
                .write_all(&bytes)
                .map_err(|e| self.io_fail(&e))?;
            let _ = conn.get_mut().flush();
            let show = self.o.show_resp;
            let mut shown = Vec::new();
            let resp = http::read_response(&mut conn, &mut |l: &[u8]| {
                if show {
                    shown.extend_from_slice(b"  ");
                    shown.extend_from_slice(l);
                    shown.push(b'\n');
                }
            });
            if !shown.is_empty() {
                self.log.write(&shown);
            }
            let resp = resp.map_err(|e| self.http_fail(e))?;
            let code = resp.code;
            if matches!(code, 301 | 302 | 303 | 307 | 308) {
                if let Some(loc) = resp.header("Location") {
                    redirects += 1;
                    if redirects > self.o.max_redirect {
                        return Err(Fail::new("too many redirections"));
                    }
                    let next = match req.url.join(loc) {
                        Ok(u) => u,
                        Err(UrlError::Scheme) => {
                            return Err(Fail::new(format!(
                                "not an http or ftp url: {}",
                                String::from_utf8_lossy(loc)
                            )))
                        }
                        Err(UrlError::Bad) => {
                            return Err(Fail::new(format!("bad redirect URL {}", q(loc))))
                        }
                    };
                    if next.scheme == Scheme::Https && !cfg!(feature = "https") {
                        return Err(Fail::new("HTTPS support is not compiled in"));
                    }
                    if !next.same_origin(orig) {
                        req.same_origin = false;
                    }
                    // RFC 9110 15.4: 301/302 may and 303 must turn POST into GET; 307/308
                    // keep the method and body. HEAD stays HEAD.
                    if req.method != "HEAD"
                        && (code == 303 || ((code == 301 || code == 302) && req.method == "POST"))
                    {
                        req.method = "GET";
                        req.body = None;
                    }
                    req.url = next;
                    continue;
                }
            }
            if code == 416 && resume > 0 {
                // The file is already complete (GNU's reading; BusyBox fails).
                if let Target::File { path, .. } = target {
                    let m = format!("{} is already complete", q(path.as_os_str().as_bytes()));
                    self.say(m.as_bytes());
                }
                return Ok(());
            }
            if !(200..300).contains(&code) {
                return Err(Fail::new(
                    [&b"server returned error: "[..], &resp.line].concat(),
                ));
            }
            if self.o.spider {
                self.say(b"remote file exists");
                return Ok(());
            }
            let framing = http::framing(&resp, false).map_err(|e| self.http_fail(e))?;
            let mut beg = 0;
            if code == 206 && resume > 0 {
                // Content-Range must start where our file ends.
                if let Some(cr) = resp.header("Content-Range") {
                    let start = cr
                        .strip_prefix(b"bytes ")
                        .and_then(|r| r.split(|&c| c == b'-').next())
                        .and_then(|s| http::parse_u64(url::trim(s)));
                    if start != Some(resume) {
                        return Err(Fail::new([&b"bad Content-Range: "[..], cr].concat()));
                    }
                }
                beg = resume;
            }
            let len = match framing {
                http::Framing::Length(n) => n,
                _ => 0,
            };
            let total = if len > 0 { beg.saturating_add(len) } else { 0 };
            let mut sink = self.open_sink(target, resume > 0, beg)?;
            let mut body = http::Body::new(conn, framing);
            let r = self.transfer(&mut sink, beg, total, &mut |buf: &mut [u8]| {
                body.read_body(buf)
            });
            return self.finish(sink, r, orig, beg, total);
        }
    }

    fn http_fail(&self, e: http::Error) -> Fail {
        match e {
            http::Error::Io(e) if net::is_timeout(&e) => Fail::net("download timed out"),
            http::Error::Io(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::BrokenPipe
                        | io::ErrorKind::UnexpectedEof
                ) =>
            {
                Fail::net("connection closed prematurely")
            }
            http::Error::Io(e) => {
                Fail::net(format!("read error: {}", rbox_common::err::reason(&e)))
            }
            http::Error::NoResponse => Fail::net("error getting response"),
            http::Error::LineTooLong => Fail::new("response header line too long"),
            http::Error::TooManyHeaders => Fail::new("too many response headers"),
            http::Error::BadChunk => Fail::new("bad chunk length in response"),
            http::Error::BadLength => Fail::new("bad Content-Length in response"),
            http::Error::Short => Fail::net("connection closed prematurely"),
        }
    }

    fn resume_size(&self, target: &Target) -> u64 {
        if !self.o.cont || self.o.spider {
            return 0;
        }
        match target {
            Target::Stdout => 0,
            Target::File { path, .. } => std::fs::metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map_or(0, |m| m.len()),
        }
    }

    /// Opens the output. `resuming`: -c with a partial file (append from `beg`; 0 means the
    /// server sent the whole file, which then replaces the partial one).
    fn open_sink(&mut self, target: &Target, resuming: bool, beg: u64) -> Res<Sink> {
        let (path, named) = match target {
            Target::Stdout => {
                self.say(b"writing to stdout");
                return Ok(Sink {
                    file: std::mem::ManuallyDrop::new(stdout_file()),
                    tmp: None,
                    dest: PathBuf::from("-"),
                    replace: true,
                    stdout: true,
                    closed: false,
                    _guard: None,
                });
            }
            Target::File { path, named } => (path.clone(), *named),
        };
        let cant = |e: &io::Error| {
            Fail::new(format!(
                "can't open {}: {}",
                q(path.as_os_str().as_bytes()),
                rbox_common::err::reason(e)
            ))
        };
        if named && self.nurls > 1 {
            // One -O file for several URLs: opened once, every download appended.
            if self.shared.is_none() {
                let f = OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(!self.o.cont)
                    .append(self.o.cont)
                    .open(&path)
                    .map_err(|e| cant(&e))?;
                self.shared = Some(f);
            }
            let Some(f) = &self.shared else {
                return Err(Fail::new("internal error"));
            };
            let file = f.try_clone().map_err(|e| cant(&e))?;
            self.say(format!("saving to {}", q(path.as_os_str().as_bytes())).as_bytes());
            return Ok(Sink {
                file: std::mem::ManuallyDrop::new(file),
                tmp: None,
                dest: path,
                replace: true,
                stdout: false,
                closed: false,
                _guard: None,
            });
        }
        let sink = if self.o.cont {
            // -c writes in place, so an interrupted download can be continued.
            let f = OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o666)
                .open(&path)
                .map_err(|e| cant(&e))?;
            let regular = f.metadata().is_ok_and(|m| m.is_file());
            if regular && (!resuming || beg == 0) {
                f.set_len(0).map_err(|e| cant(&e))?;
            }
            Sink {
                file: std::mem::ManuallyDrop::new(f),
                tmp: None,
                dest: path.clone(),
                replace: true,
                stdout: false,
                closed: false,
                _guard: None,
            }
        } else {
            let meta = std::fs::symlink_metadata(&path);
            match meta {
                Ok(_) if !named => {
                    return Err(Fail::new(format!(
                        "can't open {}: File exists",
                        q(path.as_os_str().as_bytes())
                    )))
                }
                Ok(m) if !m.file_type().is_file() || m.file_type().is_symlink() => {
                    // A device (/dev/null), FIFO or symlink named by -O: written in place.
                    let f = OpenOptions::new()
                        .write(true)
                        .truncate(true)
                        .open(&path)
                        .map_err(|e| cant(&e))?;
                    Sink {
                        file: std::mem::ManuallyDrop::new(f),
                        tmp: None,
                        dest: path.clone(),
                        replace: true,
                        stdout: false,
                        closed: false,
                        _guard: None,
                    }
                }
                _ => {
                    let (f, tmp) = create_tmp(&path).map_err(|e| cant(&e))?;
                    let guard = cleanup::arm(&tmp);
                    Sink {
                        file: std::mem::ManuallyDrop::new(f),
                        tmp: Some(tmp),
                        dest: path.clone(),
                        replace: named,
                        stdout: false,
                        closed: false,
                        _guard: guard,
                    }
                }
            }
        };
        self.say(format!("saving to {}", q(path.as_os_str().as_bytes())).as_bytes());
        Ok(sink)
    }

    /// Copies the body to the sink with the progress meter.
    fn transfer(
        &mut self,
        sink: &mut Sink,
        beg: u64,
        total: u64,
        read: &mut dyn FnMut(&mut [u8]) -> Result<usize, http::Error>,
    ) -> Result<u64, Fail> {
        let show = !self.o.quiet && !self.o.nv && self.log.file.is_none();
        let name = match sink.stdout {
            true => b"-".to_vec(),
            false => sink
                .dest
                .file_name()
                .map_or_else(|| b"-".to_vec(), |n| n.as_bytes().to_vec()),
        };
        let mut prog = show.then(|| progress::Progress::new(&name, beg, total));
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0u64;
        let mut err = |b: &[u8]| {
            let _ = io::stderr().write_all(b);
        };
        let res = loop {
            let n = match read(&mut buf) {
                Ok(0) => break Ok(got),
                Ok(n) => n,
                Err(http::Error::Io(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(self.http_fail(e)),
            };
            if let Err(e) = sink.write_all(&buf[..n]) {
                break Err(Fail::new(format!(
                    "write error: {}",
                    rbox_common::err::reason(&e)
                )));
            }
            got += n as u64;
            if let Some(p) = &mut prog {
                p.update(&mut err, got);
            }
        };
        if let Some(p) = &mut prog {
            if res.is_ok() || p_is_tty() {
                p.finish(&mut err, got);
            }
        }
        res
    }

    fn finish(&mut self, mut sink: Sink, r: Res<u64>, orig: &Url, beg: u64, total: u64) -> Res<()> {
        let got = r?;
        let stdout = sink.stdout;
        let dest = sink.dest.clone();
        if !stdout {
            // No fsync (curl and both wgets do none; it would halve the speed to disk), but
            // close() is checked: NFS and quota errors can surface only there.
            sink.close()
                .map_err(|e| Fail::new(format!("write error: {}", rbox_common::err::reason(&e))))?;
        }
        sink.commit()?;
        if stdout {
            self.say(b"written to stdout");
        } else {
            self.say(format!("{} saved", q(dest.as_os_str().as_bytes())).as_bytes());
        }
        if self.o.nv && !self.o.quiet {
            let size = beg.saturating_add(got);
            let tot = if total > 0 { total } else { size };
            let mut line = format!("{} URL:", now_string()).into_bytes();
            line.extend_from_slice(&orig.to_bytes());
            line.extend_from_slice(format!(" [{size}/{tot}] -> \"").as_bytes());
            line.extend_from_slice(if stdout {
                b"-"
            } else {
                dest.as_os_str().as_bytes()
            });
            line.extend_from_slice(b"\" [1]\n");
            self.log.write(&line);
        }
        Ok(())
    }
}

fn p_is_tty() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(2) == 1 }
}

/// Local time as GNU's -nv line shows it: `YYYY-MM-DD HH:MM:SS`.
fn now_string() -> String {
    // SAFETY: time and localtime_r fill plain structures we own.
    unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&t, &mut tm);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        )
    }
}

/// `no_proxy` matching: `*`, a host, a domain suffix (`.example.com` or `example.com` also
/// covers subdomains), optionally with `:port`; IPv6 literals with or without brackets.
fn no_proxy_match(list: &[u8], host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    for entry in list.split(|&c| c == b',' || c == b' ' || c == b'\t') {
        let e = url::trim(entry);
        if e.is_empty() {
            continue;
        }
        if e == b"*" {
            return true;
        }
        let e = String::from_utf8_lossy(e).to_ascii_lowercase();
        // Split off a port: "[::1]:8080", "host:8080"; a bare IPv6 address has no port.
        let (name, eport) = if let Some(rest) = e.strip_prefix('[') {
            match rest.split_once(']') {
                Some((h, p)) => (h.to_string(), p.strip_prefix(':').map(str::to_string)),
                None => (rest.to_string(), None),
            }
        } else if e.matches(':').count() == 1 {
            let (h, p) = e.split_once(':').unwrap_or((&e, ""));
            (h.to_string(), Some(p.to_string()))
        } else {
            (e.clone(), None)
        };
        if let Some(p) = eport {
            if p.parse::<u16>().ok() != Some(port) {
                continue;
            }
        }
        let name = name.trim_start_matches("*.").trim_start_matches('.');
        if name.is_empty() {
            continue;
        }
        if host == name || host.ends_with(&format!(".{name}")) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(b64(b"user:pass"), b"dXNlcjpwYXNz");
        assert_eq!(b64(b"a"), b"YQ==");
        assert_eq!(b64(b"ab"), b"YWI=");
        assert_eq!(b64(b""), b"");
    }

    #[test]
    fn no_proxy() {
        assert!(no_proxy_match(b"*", "x", 80));
        assert!(no_proxy_match(b"example.com", "a.example.com", 80));
        assert!(no_proxy_match(b".example.com", "example.com", 80));
        assert!(!no_proxy_match(b"example.com", "badexample.com", 80));
        assert!(no_proxy_match(b"a, b:8080", "b", 8080));
        assert!(!no_proxy_match(b"b:8080", "b", 80));
        assert!(no_proxy_match(b"[::1]:81", "::1", 81));
        assert!(no_proxy_match(b"::1", "::1", 81));
        assert!(no_proxy_match(b"127.0.0.1", "127.0.0.1", 1));
        assert!(!no_proxy_match(b"", "x", 80));
    }
}
