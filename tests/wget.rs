//! wget against servers the tests start on 127.0.0.1 / [::1]: small Rust servers (which can
//! misbehave on purpose), Python's ssl for HTTPS (certificates made with the openssl CLI in
//! the test's temp dir) and pyftpdlib for FTP. Differential checks against BusyBox (built
//! from Debian's source) and GNU wget compare statuses and the files produced.
//!
//! Needs: python3, openssl (Debian), pyftpdlib (pip), script (util-linux), GNU wget.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Farm;

// ---------------------------------------------------------------- test servers

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Req {
    head: String,
    body: Vec<u8>,
}

impl Req {
    fn line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }
    fn path(&self) -> &str {
        self.line().split(' ').nth(1).unwrap_or("")
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// What the server does with a request.
enum Act {
    /// Send these bytes and close.
    Send(Vec<u8>),
    /// Send these bytes, then reset the connection (RST).
    Reset(Vec<u8>),
    /// Send these bytes, then hold the connection open without sending more.
    Stall(Vec<u8>),
    /// Close without a response.
    Close,
}

struct Srv {
    port: u16,
    v6: bool,
    reqs: Arc<Mutex<Vec<Req>>>,
}

impl Srv {
    fn url(&self, path: &str) -> String {
        if self.v6 {
            format!("http://[::1]:{}{path}", self.port)
        } else {
            format!("http://127.0.0.1:{}{path}", self.port)
        }
    }
    fn requests(&self) -> Vec<Req> {
        self.reqs.lock().unwrap().clone()
    }
}

fn read_request(s: &mut TcpStream) -> Option<Req> {
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut buf = Vec::new();
    let mut b = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut b).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&b[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut req = Req {
        head,
        body: buf[end..].to_vec(),
    };
    let len: usize = req
        .header("Content-Length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while req.body.len() < len {
        let n = s.read(&mut b).ok()?;
        if n == 0 {
            break;
        }
        req.body.extend_from_slice(&b[..n]);
    }
    Some(req)
}

fn reset(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let l = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt with a linger struct that lives across the call.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&l as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A server on 127.0.0.1 (or [::1]) that answers each request with `h(request, index)`.
fn serve_on<F>(addr: &str, h: F) -> Option<Srv>
where
    F: Fn(&Req, usize) -> Act + Send + Sync + 'static,
{
    let l = TcpListener::bind(addr).ok()?;
    let port = l.local_addr().ok()?.port();
    let reqs = Arc::new(Mutex::new(Vec::new()));
    let r2 = reqs.clone();
    let h = Arc::new(h);
    std::thread::spawn(move || {
        // Bounded: a test makes a handful of requests.
        for conn in l.incoming().take(200) {
            let Ok(mut s) = conn else { continue };
            let reqs = r2.clone();
            let h = h.clone();
            std::thread::spawn(move || {
                let Some(req) = read_request(&mut s) else {
                    return;
                };
                let n = {
                    let mut v = reqs.lock().unwrap();
                    v.push(req.clone());
                    v.len() - 1
                };
                match h(&req, n) {
                    Act::Send(b) => {
                        let _ = s.write_all(&b);
                        let _ = s.shutdown(Shutdown::Write);
                        // Drain so the close is orderly (no RST for unread data).
                        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                        let mut sink = [0u8; 1024];
                        while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
                    }
                    Act::Reset(b) => {
                        let _ = s.write_all(&b);
                        std::thread::sleep(Duration::from_millis(100));
                        reset(&s);
                    }
                    Act::Stall(b) => {
                        let _ = s.write_all(&b);
                        std::thread::sleep(Duration::from_secs(6));
                    }
                    Act::Close => {}
                }
            });
        }
    });
    Some(Srv {
        port,
        v6: addr.starts_with('['),
        reqs,
    })
}

fn serve<F>(h: F) -> Srv
where
    F: Fn(&Req, usize) -> Act + Send + Sync + 'static,
{
    serve_on("127.0.0.1:0", h).unwrap()
}

fn ok(body: &[u8]) -> Act {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    Act::Send(v)
}

fn raw(s: &[u8]) -> Act {
    Act::Send(s.to_vec())
}

/// A server that serves `files` (path -> content) and 404 for anything else; HEAD too.
fn files(list: &[(&str, &[u8])]) -> Srv {
    let list: Vec<(String, Vec<u8>)> = list
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_vec()))
        .collect();
    serve(move |r, _| {
        let head = r.line().starts_with("HEAD ");
        match list.iter().find(|(p, _)| p == r.path()) {
            Some((_, c)) if head => {
                raw(format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", c.len()).as_bytes())
            }
            Some((_, c)) => ok(c),
            None if head => raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n"),
            None => raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot here!\n"),
        }
    })
}

// ---------------------------------------------------------------- helpers

fn farm() -> Option<&'static Farm> {
    common::applet("wget")
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("wget-test")
        .tempdir()
        .unwrap()
}

fn run_in(f: &Farm, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = f.cmd("wget");
    c.args(args).current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = common::run(&mut c);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "wget panicked: {err}");
    out
}

fn wget(f: &Farm, dir: &Path, args: &[&str]) -> Output {
    run_in(f, dir, args, &[])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn status(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The names in a directory, sorted.
fn listing(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

// ---------------------------------------------------------------- basics

#[test]
fn downloads_with_name_from_url_and_busybox_messages() {
    let Some(f) = farm() else { return };
    let s = files(&[("/dir/a.txt", b"hello\n")]);
    let d = tmp();
    let o = wget(f, d.path(), &[&s.url("/dir/a.txt")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("a.txt")), b"hello\n");
    assert_eq!(listing(d.path()), ["a.txt"]);
    // BusyBox's messages, byte for byte (not a terminal: one final progress line).
    let port = s.port;
    let want = format!(
        "Connecting to 127.0.0.1:{port} (127.0.0.1:{port})\nsaving to 'a.txt'\n\
         a.txt                100% |********************************|     6  0:00:00 ETA\n\
         'a.txt' saved\n"
    );
    assert_eq!(stderr(&o), want);
    let r = &s.requests()[0];
    assert_eq!(r.line(), "GET /dir/a.txt HTTP/1.1");
    assert_eq!(r.header("Host").unwrap(), format!("127.0.0.1:{port}"));
    assert_eq!(r.header("User-Agent").unwrap(), "Wget");
    assert_eq!(r.header("Connection").unwrap(), "close");
}

#[test]
fn same_files_and_status_as_busybox() {
    let Some((ours, bb)) = common::pair("wget") else {
        return;
    };
    let s = files(&[("/", b"<html>\n"), ("/x/f.tar", b"tar!"), ("/q", b"query")]);
    let cases: Vec<Vec<String>> = vec![
        vec![s.url("/")],
        vec![s.url("/x/f.tar")],
        vec![s.url("/q?a=1&b=2")],
        vec![s.url("/missing")],
        vec!["-O".into(), "named".into(), s.url("/x/f.tar")],
        vec!["-q".into(), s.url("/x/f.tar")],
        vec!["--spider".into(), s.url("/x/f.tar")],
        vec!["--spider".into(), s.url("/nope")],
        vec!["gopher://127.0.0.1/x".into()],
        vec!["-O".into(), "-".into(), s.url("/q")],
    ];
    for args in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (d1, d2) = (tmp(), tmp());
        let o1 = wget(ours, d1.path(), &a);
        let o2 = wget(bb, d2.path(), &a);
        assert_eq!(
            status(&o1),
            status(&o2),
            "{a:?}: {} / {}",
            stderr(&o1),
            stderr(&o2)
        );
        assert_eq!(o1.stdout, o2.stdout, "{a:?}");
        assert_eq!(listing(d1.path()), listing(d2.path()), "{a:?}");
        for n in listing(d1.path()) {
            assert_eq!(
                read(d1.path().join(&n)),
                read(d2.path().join(&n)),
                "{a:?} {n}"
            );
        }
    }
}

#[test]
fn same_file_names_and_success_as_gnu_wget() {
    let Some(f) = farm() else { return };
    let Some(gnu) = common::system_program("wget") else {
        return;
    };
    let s = files(&[("/", b"<html>\n"), ("/x/f.tar", b"tar!"), ("/q", b"query")]);
    for path in ["/", "/x/f.tar", "/q?a=1", "/missing"] {
        let (d1, d2) = (tmp(), tmp());
        let o1 = wget(f, d1.path(), &[&s.url(path)]);
        let mut c = Command::new(&gnu);
        f.env(&mut c);
        c.arg("-q").arg(s.url(path)).current_dir(d2.path());
        let o2 = common::run(&mut c);
        assert_eq!(o1.status.success(), o2.status.success(), "{path}");
        assert_eq!(listing(d1.path()), listing(d2.path()), "{path}");
    }
}

#[test]
fn refuses_to_overwrite_an_existing_file_unless_o_names_it() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a.txt", b"new\n")]);
    let d = tmp();
    std::fs::write(d.path().join("a.txt"), "old\n").unwrap();
    let o = wget(f, d.path(), &[&s.url("/a.txt")]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: can't open 'a.txt': File exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d.path().join("a.txt")), b"old\n");
    assert_eq!(listing(d.path()), ["a.txt"], "no temporary file left");
    let o = wget(f, d.path(), &["-O", "a.txt", &s.url("/a.txt")]);
    assert_eq!(status(&o), 0);
    assert_eq!(read(d.path().join("a.txt")), b"new\n");
    if let Some((_, bb)) = common::pair("wget") {
        let d2 = tmp();
        std::fs::write(d2.path().join("a.txt"), "old\n").unwrap();
        let o = wget(bb, d2.path(), &[&s.url("/a.txt")]);
        assert_eq!(status(&o), 1, "busybox refuses too");
    }
}

#[test]
fn output_to_stdout_and_quiet() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"data")]);
    let d = tmp();
    let o = wget(f, d.path(), &["-O", "-", &s.url("/a")]);
    assert_eq!((status(&o), o.stdout.as_slice()), (0, &b"data"[..]));
    assert!(stderr(&o).contains("writing to stdout\n"));
    assert!(stderr(&o).ends_with("written to stdout\n"));
    let o = wget(f, d.path(), &["-q", "-O", "-", &s.url("/a")]);
    assert_eq!(
        (o.stdout.as_slice(), stderr(&o).as_str()),
        (&b"data"[..], "")
    );
    assert!(listing(d.path()).is_empty());
}

#[test]
fn server_response_headers_with_s() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| raw(b"HTTP/1.1 200 OK\r\nX-Test: yes\r\nContent-Length: 1\r\n\r\nz"));
    let d = tmp();
    let o = wget(f, d.path(), &["-q", "-S", "-O", "-", &s.url("/")]);
    assert_eq!(
        stderr(&o),
        "  HTTP/1.1 200 OK\n  X-Test: yes\n  Content-Length: 1\n  \n"
    );
    let o = wget(f, d.path(), &["-q", "-O", "-", &s.url("/")]);
    assert_eq!(stderr(&o), "");
}

#[test]
fn spider_sends_head_and_saves_nothing() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"data")]);
    let d = tmp();
    let o = wget(f, d.path(), &["--spider", &s.url("/a")]);
    assert_eq!(status(&o), 0);
    assert!(stderr(&o).contains("remote file exists"));
    assert_eq!(s.requests()[0].line(), "HEAD /a HTTP/1.1");
    let o = wget(f, d.path(), &["--spider", &s.url("/b")]);
    assert_eq!(status(&o), 1);
    assert!(listing(d.path()).is_empty());
}

#[test]
fn not_found_with_body_is_an_error_and_creates_nothing() {
    let Some(f) = farm() else { return };
    let s = files(&[]);
    let d = tmp();
    let o = wget(f, d.path(), &[&s.url("/x.bin")]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: server returned error: HTTP/1.1 404 Not Found\n"),
        "{}",
        stderr(&o)
    );
    assert!(listing(d.path()).is_empty());
    // -O names an existing file: a failed download leaves it alone.
    std::fs::write(d.path().join("keep"), "precious").unwrap();
    let o = wget(f, d.path(), &["-O", "keep", &s.url("/x.bin")]);
    assert_eq!(status(&o), 1);
    assert_eq!(read(d.path().join("keep")), b"precious");
}

#[test]
fn prefix_dir_and_logfile() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a.txt", b"A")]);
    let d = tmp();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    let o = wget(f, d.path(), &["-P", "sub", "-o", "log", &s.url("/a.txt")]);
    assert_eq!(status(&o), 0);
    assert_eq!(stderr(&o), "", "messages go to the log");
    assert_eq!(read(d.path().join("sub/a.txt")), b"A");
    let log = String::from_utf8(read(d.path().join("log"))).unwrap();
    assert!(log.contains("saving to 'sub/a.txt'\n"), "{log}");
    assert!(log.ends_with("'sub/a.txt' saved\n"), "{log}");
    assert!(!log.contains('|'), "no progress bar in the log: {log}");
    // Errors go to the log too.
    let o = wget(f, d.path(), &["-o", "log2", &s.url("/zz")]);
    assert_eq!((status(&o), stderr(&o).as_str()), (1, ""));
    let log = String::from_utf8(read(d.path().join("log2"))).unwrap();
    assert!(log.contains("server returned error"), "{log}");
}

#[test]
fn no_clobber_and_no_verbose() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a.txt", b"new")]);
    let d = tmp();
    std::fs::write(d.path().join("a.txt"), "old").unwrap();
    let o = wget(f, d.path(), &["-nc", &s.url("/a.txt")]);
    assert_eq!(status(&o), 0);
    assert!(stderr(&o).contains("File 'a.txt' already there; not retrieving."));
    assert!(s.requests().is_empty(), "-nc must not even connect");
    assert_eq!(read(d.path().join("a.txt")), b"old");
    let o = wget(f, d.path(), &["-nv", "-O", "b", &s.url("/a.txt")]);
    assert_eq!(status(&o), 0);
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains(&format!(" URL:{} [3/3] -> \"b\" [1]", s.url("/a.txt"))),
        "{e}"
    );
}

#[test]
fn user_agent_headers_and_overrides() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"x")]);
    let d = tmp();
    let o = wget(
        f,
        d.path(),
        &[
            "-q",
            "-O",
            "-",
            "-U",
            "agent/1",
            "--header",
            "X-One: 1",
            "--header",
            "Host: virtual.example",
            &s.url("/a"),
        ],
    );
    assert_eq!(status(&o), 0);
    let r = &s.requests()[0];
    assert_eq!(r.header("User-Agent").unwrap(), "agent/1");
    assert_eq!(r.header("X-One").unwrap(), "1");
    assert_eq!(r.header("Host").unwrap(), "virtual.example");
    assert_eq!(
        r.head.matches("Host:").count(),
        1,
        "the default Host is replaced"
    );
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "-", "--header", "User-Agent: h", &s.url("/a")],
    );
    assert_eq!(status(&o), 0);
    let r = &s.requests()[1];
    assert_eq!(r.header("User-Agent").unwrap(), "h");
    assert_eq!(r.head.matches("User-Agent:").count(), 1);
}

#[test]
fn post_data_and_post_file() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| ok(b"done"));
    let d = tmp();
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "-", "--post-data", "a=1&b=2", &s.url("/p")],
    );
    assert_eq!(status(&o), 0);
    let r = &s.requests()[0];
    assert_eq!(r.line(), "POST /p HTTP/1.1");
    assert_eq!(r.body, b"a=1&b=2");
    assert_eq!(r.header("Content-Length").unwrap(), "7");
    assert_eq!(
        r.header("Content-Type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    std::fs::write(d.path().join("body"), b"file\x00body").unwrap();
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "-", "--post-file", "body", &s.url("/p")],
    );
    assert_eq!(status(&o), 0);
    assert_eq!(s.requests()[1].body, b"file\x00body");
    let o = wget(
        f,
        d.path(),
        &["-q", "--post-file", "nonexistent", &s.url("/p")],
    );
    assert_eq!(status(&o), 1);
}

#[test]
fn basic_auth_from_url_and_options() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"x")]);
    let d = tmp();
    let url = format!("http://us%65r:p%40ss@127.0.0.1:{}/a", s.port);
    let o = wget(f, d.path(), &["-q", "-O", "-", &url]);
    assert_eq!(status(&o), 0);
    // base64("user:p@ss")
    assert_eq!(
        s.requests()[0].header("Authorization").unwrap(),
        "Basic dXNlcjpwQHNz"
    );
    let o = wget(
        f,
        d.path(),
        &[
            "-q",
            "-O",
            "-",
            "--user",
            "u",
            "--password",
            "pw",
            &s.url("/a"),
        ],
    );
    assert_eq!(status(&o), 0);
    assert_eq!(
        s.requests()[1].header("Authorization").unwrap(),
        "Basic dTpwdw=="
    );
    let o = wget(f, d.path(), &["-q", "-O", "-", &s.url("/a")]);
    assert_eq!(status(&o), 0);
    assert_eq!(s.requests()[2].header("Authorization"), None);
}

#[test]
fn chunked_body() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| {
        raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n")
    });
    let d = tmp();
    let o = wget(f, d.path(), &["-O", "out", &s.url("/")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("out")), b"hello, world");
}

#[test]
fn body_until_close_without_length() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| raw(b"HTTP/1.0 200 OK\r\n\r\nno length here"));
    let d = tmp();
    let o = wget(f, d.path(), &["-q", "-O", "-", &s.url("/")]);
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"no length here"[..])
    );
}

// ---------------------------------------------------------------- redirects

fn redirect(code: u16, loc: &str) -> Act {
    raw(format!("HTTP/1.1 {code} Moved\r\nLocation: {loc}\r\nContent-Length: 0\r\n\r\n").as_bytes())
}

#[test]
fn redirects_relative_and_absolute_keep_the_original_name() {
    let Some(f) = farm() else { return };
    let s = serve(|r, _| match r.path() {
        "/start/file.bin" => redirect(301, "../next/other"),
        "/next/other" => redirect(302, "/final"),
        "/final" => ok(b"arrived"),
        "/abs/file.bin" => redirect(301, "/final"),
        _ => raw(b"HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n"),
    });
    let d = tmp();
    let o = wget(f, d.path(), &[&s.url("/start/file.bin")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    // BusyBox and GNU name the file after the URL asked for.
    assert_eq!(read(d.path().join("file.bin")), b"arrived");
    let paths: Vec<String> = s.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths, ["/start/file.bin", "/next/other", "/final"]);
    // BusyBox takes a relative Location with "../" for a host name: compare on an
    // absolute-path one.
    if let Some((_, bb)) = common::pair("wget") {
        let (d1, d2) = (tmp(), tmp());
        let o1 = wget(f, d1.path(), &[&s.url("/abs/file.bin")]);
        let o2 = wget(bb, d2.path(), &[&s.url("/abs/file.bin")]);
        assert_eq!((status(&o1), status(&o2)), (0, 0));
        assert_eq!(listing(d1.path()), listing(d2.path()));
        assert_eq!(
            read(d1.path().join("file.bin")),
            read(d2.path().join("file.bin"))
        );
    }
}

#[test]
fn redirect_method_rules() {
    let Some(f) = farm() else { return };
    let s = serve(|r, _| match r.path() {
        "/303" => redirect(303, "/end"),
        "/302" => redirect(302, "/end"),
        "/307" => redirect(307, "/end"),
        "/308" => redirect(308, "/end"),
        _ => ok(b"end"),
    });
    let d = tmp();
    for (p, method, body) in [
        ("/303", "GET", ""),
        ("/302", "GET", ""),
        ("/307", "POST", "k=v"),
        ("/308", "POST", "k=v"),
    ] {
        let before = s.requests().len();
        let o = wget(
            f,
            d.path(),
            &["-q", "-O", "-", "--post-data", "k=v", &s.url(p)],
        );
        assert_eq!(status(&o), 0);
        let r = &s.requests()[before + 1];
        assert_eq!(r.line(), format!("{method} /end HTTP/1.1"), "{p}");
        assert_eq!(r.body, body.as_bytes(), "{p}");
    }
    // HEAD stays HEAD.
    let before = s.requests().len();
    let o = wget(f, d.path(), &["--spider", &s.url("/303")]);
    assert_eq!(status(&o), 0);
    assert_eq!(s.requests()[before + 1].line(), "HEAD /end HTTP/1.1");
}

#[test]
fn redirect_loop_limit_and_max_redirect() {
    let Some(f) = farm() else { return };
    let s = serve(|r, _| match r.path() {
        "/loop" => redirect(302, "/loop"),
        "/1" => redirect(302, "/2"),
        "/2" => redirect(302, "/3"),
        _ => ok(b"three"),
    });
    let d = tmp();
    let o = wget(f, d.path(), &["-O", "x", &s.url("/loop")]);
    assert_eq!(status(&o), 1);
    assert!(stderr(&o).contains("wget: too many redirections\n"));
    assert!(s.requests().len() <= 21, "bounded: {}", s.requests().len());
    assert!(listing(d.path()).is_empty());
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "-", "--max-redirect", "1", &s.url("/1")],
    );
    assert_eq!(status(&o), 1, "two redirects, one allowed");
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "-", "--max-redirect", "2", &s.url("/1")],
    );
    assert_eq!((status(&o), o.stdout.as_slice()), (0, &b"three"[..]));
}

#[test]
fn redirect_to_an_unsupported_scheme() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| redirect(301, "gopher://127.0.0.1/x"));
    let d = tmp();
    let o = wget(f, d.path(), &[&s.url("/a")]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: not an http or ftp url: gopher://127.0.0.1/x\n"),
        "{}",
        stderr(&o)
    );
    assert!(listing(d.path()).is_empty());
}

#[test]
fn credentials_are_not_forwarded_to_another_host() {
    let Some(f) = farm() else { return };
    let other = files(&[("/t", b"target")]);
    let target = other.url("/t");
    let s = serve(move |r, _| match r.path() {
        "/same" => redirect(302, "/end"),
        "/end" => ok(b"same host"),
        _ => redirect(302, &target),
    });
    let d = tmp();
    for args in [
        vec!["--user", "u", "--password", "p"],
        vec!["--header", "Authorization: Basic Zm9vOmJhcg=="],
        vec![
            "--header",
            "Authorization: Basic Zm9vOmJhcg==",
            "--header",
            "Cookie: session=1",
        ],
    ] {
        let mut a = vec!["-q", "-O", "-"];
        a.extend(&args);
        let url = s.url("/away");
        a.push(&url);
        let o = wget(f, d.path(), &a);
        assert_eq!((status(&o), o.stdout.as_slice()), (0, &b"target"[..]));
        assert!(s
            .requests()
            .last()
            .unwrap()
            .header("Authorization")
            .is_some());
        assert_eq!(
            other.requests().last().unwrap().header("Authorization"),
            None
        );
        assert_eq!(other.requests().last().unwrap().header("Cookie"), None);
        if args.contains(&"Cookie: session=1") {
            let first = s.requests().last().unwrap().header("Cookie");
            assert_eq!(first.as_deref(), Some("session=1"));
        }
    }
    let url = format!("http://u:p@127.0.0.1:{}/away", s.port);
    let o = wget(f, d.path(), &["-q", "-O", "-", &url]);
    assert_eq!(status(&o), 0);
    assert_eq!(
        other.requests().last().unwrap().header("Authorization"),
        None
    );
    // A redirect on the same host keeps them.
    let url = format!("http://u:p@127.0.0.1:{}/same", s.port);
    let o = wget(f, d.path(), &["-q", "-O", "-", &url]);
    assert_eq!((status(&o), o.stdout.as_slice()), (0, &b"same host"[..]));
    assert_eq!(
        s.requests()
            .last()
            .unwrap()
            .header("Authorization")
            .unwrap(),
        "Basic dTpw"
    );
}

// ---------------------------------------------------------------- bad servers

/// Runs wget -O out against a bad server with `out` already holding "precious": the run
/// must fail with `msg`, leave `out` alone and leave no temporary file.
fn bad_server(act: fn() -> Act, extra: &[&str], msg: &str) {
    let Some(f) = farm() else { return };
    let s = serve(move |_, _| act());
    let d = tmp();
    std::fs::write(d.path().join("out"), "precious").unwrap();
    let url = s.url("/f");
    let mut args = extra.to_vec();
    args.extend(["-O", "out", &url]);
    let t = std::time::Instant::now();
    let o = wget(f, d.path(), &args);
    assert_eq!(status(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains(msg), "want {msg:?}, got {}", stderr(&o));
    assert_eq!(read(d.path().join("out")), b"precious");
    assert_eq!(listing(d.path()), ["out"]);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    // A name from the URL: nothing is created.
    let d = tmp();
    let o = wget(f, d.path(), &[extra, &[url.as_str()]].concat());
    assert_eq!(status(&o), 1);
    assert!(listing(d.path()).is_empty(), "{:?}", listing(d.path()));
}

#[test]
fn bad_short_body() {
    bad_server(
        || raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"),
        &[],
        "wget: connection closed prematurely\n",
    );
}

#[test]
fn bad_reset_mid_body() {
    bad_server(
        || Act::Reset(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".to_vec()),
        &[],
        "wget: connection closed prematurely\n",
    );
}

#[test]
fn bad_stalled_server_times_out() {
    bad_server(
        || Act::Stall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".to_vec()),
        &["-T", "1"],
        "wget: download timed out\n",
    );
}

#[test]
fn bad_stall_before_headers_times_out() {
    bad_server(
        || Act::Stall(Vec::new()),
        &["-T", "1"],
        "wget: download timed out\n",
    );
}

#[test]
fn bad_headers_without_end() {
    bad_server(
        || raw(b"HTTP/1.1 200 OK\r\nX: y\r\n"),
        &[],
        "wget: error getting response\n",
    );
}

#[test]
fn bad_no_response() {
    bad_server(|| Act::Close, &[], "wget: error getting response\n");
}

#[test]
fn bad_garbage_status_line() {
    bad_server(
        || raw(b"SSH-2.0-OpenSSH\r\n\r\n"),
        &[],
        "wget: error getting response\n",
    );
}

#[test]
fn bad_ten_megabyte_header_line() {
    bad_server(
        || {
            let mut v = b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec();
            v.resize(v.len() + 10 * 1024 * 1024, b'a');
            v.extend_from_slice(b"\r\n\r\nbody");
            raw(&v)
        },
        &[],
        "wget: response header line too long\n",
    );
}

#[test]
fn bad_chunk_sizes() {
    for body in [
        &b"zz\r\nabc\r\n0\r\n\r\n"[..],
        b"-1\r\n",
        b"fffffffffffffffffff\r\nx",
        b"3\r\nabcdef\r\n0\r\n\r\n",
    ] {
        let Some(f) = farm() else { return };
        let mut v = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        v.extend_from_slice(body);
        let s = serve(move |_, _| raw(&v));
        let d = tmp();
        std::fs::write(d.path().join("out"), "precious").unwrap();
        let o = wget(f, d.path(), &["-O", "out", &s.url("/")]);
        assert_eq!(status(&o), 1);
        assert!(
            stderr(&o).contains("wget: bad chunk length in response"),
            "{}",
            stderr(&o)
        );
        assert_eq!(read(d.path().join("out")), b"precious");
    }
}

#[test]
fn bad_chunked_body_cut_short() {
    bad_server(
        || raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"),
        &[],
        "wget: connection closed prematurely\n",
    );
}

#[test]
fn bad_content_length() {
    bad_server(
        || raw(b"HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\nabc"),
        &[],
        "wget: bad Content-Length in response\n",
    );
}

#[test]
fn connection_refused() {
    let Some(f) = farm() else { return };
    // A port that was free a moment ago.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = tmp();
    let o = wget(f, d.path(), &[&format!("http://127.0.0.1:{port}/x")]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: can't connect to remote host (127.0.0.1): Connection refused\n")
    );
    if let Some((_, bb)) = common::pair("wget") {
        let o2 = wget(bb, d.path(), &[&format!("http://127.0.0.1:{port}/x")]);
        assert_eq!(stderr(&o), stderr(&o2));
    }
}

#[test]
fn bad_urls() {
    let Some(f) = farm() else { return };
    let d = tmp();
    for u in [
        "http://[::1/",
        "http://h:99999/",
        "http:///x",
        "http://h:8x/",
    ] {
        let o = wget(f, d.path(), &[u]);
        assert_eq!(status(&o), 1, "{u}");
    }
    let o = wget(f, d.path(), &["nonsense"]);
    assert_eq!(status(&o), 1);
    assert!(stderr(&o).contains("wget: not an http or ftp url: nonsense"));
    let o = wget(f, d.path(), &[]);
    assert_eq!(status(&o), 1, "no URL: usage");
    assert!(stderr(&o).starts_with("Usage: wget"));
}

#[test]
fn tries_retry_network_failures() {
    let Some(f) = farm() else { return };
    let s = serve(|_, n| {
        if n == 0 {
            Act::Close
        } else {
            ok(b"second time")
        }
    });
    let d = tmp();
    let o = wget(f, d.path(), &["-q", "-t", "2", "-O", "-", &s.url("/")]);
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"second time"[..]),
        "{}",
        stderr(&o)
    );
    let s = serve(|_, n| {
        if n == 0 {
            Act::Close
        } else {
            ok(b"second time")
        }
    });
    let o = wget(f, d.path(), &["-q", "-O", "-", &s.url("/")]);
    assert_eq!(status(&o), 1, "one try by default");
    // A 404 is not retried.
    let s = files(&[]);
    let o = wget(f, d.path(), &["-q", "-t", "3", "-O", "-", &s.url("/")]);
    assert_eq!(status(&o), 1);
    assert_eq!(s.requests().len(), 1);
}

// ---------------------------------------------------------------- -c

#[test]
fn continue_with_range_206() {
    let Some(f) = farm() else { return };
    let s = serve(|r, _| {
        match r.header("Range").as_deref() {
        Some("bytes=3-") => raw(
            b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 3-5/6\r\nContent-Length: 3\r\n\r\ndef",
        ),
        _ => ok(b"abcdef"),
    }
    });
    let d = tmp();
    std::fs::write(d.path().join("f"), "abc").unwrap();
    let o = wget(f, d.path(), &["-c", &s.url("/f")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("f")), b"abcdef");
    assert_eq!(s.requests()[0].header("Range").unwrap(), "bytes=3-");
    // Without -c: no Range, and the existing file is refused (BusyBox).
    let o = wget(f, d.path(), &[&s.url("/f")]);
    assert_eq!(status(&o), 1);
    assert_eq!(s.requests()[1].header("Range"), None);
    if let Some((_, bb)) = common::pair("wget") {
        let d2 = tmp();
        std::fs::write(d2.path().join("f"), "abc").unwrap();
        let o = wget(bb, d2.path(), &["-c", &s.url("/f")]);
        assert_eq!(status(&o), 0);
        assert_eq!(read(d2.path().join("f")), b"abcdef");
    }
}

#[test]
fn continue_when_server_ignores_range_restarts() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| ok(b"whole file"));
    let d = tmp();
    std::fs::write(d.path().join("f"), "xyz").unwrap();
    let o = wget(f, d.path(), &["-c", &s.url("/f")]);
    assert_eq!(status(&o), 0);
    assert_eq!(read(d.path().join("f")), b"whole file");
}

#[test]
fn continue_on_a_complete_file_416() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| raw(b"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n"));
    let d = tmp();
    std::fs::write(d.path().join("f"), "done").unwrap();
    let o = wget(f, d.path(), &["-c", &s.url("/f")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("'f' is already complete"));
    assert_eq!(read(d.path().join("f")), b"done");
}

#[test]
fn continue_resumes_a_partial_file_left_by_a_failure() {
    let Some(f) = farm() else { return };
    let s = serve(|r, _| {
        match r.header("Range").as_deref() {
        Some("bytes=3-") => raw(
            b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 3-5/6\r\nContent-Length: 3\r\n\r\ndef",
        ),
        _ => raw(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc"),
    }
    });
    let d = tmp();
    let o = wget(f, d.path(), &["-c", "-O", "f", &s.url("/f")]);
    assert_eq!(status(&o), 1);
    assert!(stderr(&o).contains("connection closed prematurely"));
    assert_eq!(
        read(d.path().join("f")),
        b"abc",
        "-c keeps the partial file"
    );
    let o = wget(f, d.path(), &["-c", "-O", "f", &s.url("/f")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("f")), b"abcdef");
}

#[test]
fn continue_rejects_a_wrong_content_range() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| {
        raw(b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-5/6\r\nContent-Length: 6\r\n\r\nabcdef")
    });
    let d = tmp();
    std::fs::write(d.path().join("f"), "abc").unwrap();
    let o = wget(f, d.path(), &["-c", &s.url("/f")]);
    assert_eq!(status(&o), 1);
    assert_eq!(read(d.path().join("f")), b"abc");
}

// ---------------------------------------------------------------- IPv6, -4/-6

#[test]
fn ipv6_literal_urls_and_family_options() {
    let Some(f) = farm() else { return };
    let Some(s) = serve_on("[::1]:0", |_, _| ok(b"six")) else {
        common::skip("no IPv6 loopback");
        return;
    };
    let d = tmp();
    let o = wget(f, d.path(), &["-O", "-", &s.url("/")]);
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"six"[..]),
        "{}",
        stderr(&o)
    );
    let port = s.port;
    assert!(stderr(&o).starts_with(&format!("Connecting to [::1]:{port} ([::1]:{port})\n")));
    assert_eq!(
        s.requests()[0].header("Host").unwrap(),
        format!("[::1]:{port}")
    );
    let o = wget(f, d.path(), &["-6", "-q", "-O", "-", &s.url("/")]);
    assert_eq!(status(&o), 0);
    let o = wget(f, d.path(), &["-4", "-q", "-O", "-", &s.url("/")]);
    assert_eq!(status(&o), 1, "-4 refuses an IPv6 address");
    let s4 = files(&[("/", b"four")]);
    let o = wget(f, d.path(), &["-6", "-q", "-O", "-", &s4.url("/")]);
    assert_eq!(status(&o), 1, "-6 refuses an IPv4 address");
}

// ---------------------------------------------------------------- several URLs

#[test]
fn several_urls_and_one_output_file() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"A"), ("/b", b"B")]);
    let d = tmp();
    let o = wget(f, d.path(), &["-q", &s.url("/a"), &s.url("/b")]);
    assert_eq!(status(&o), 0);
    assert_eq!(listing(d.path()), ["a", "b"]);
    let o = wget(
        f,
        d.path(),
        &["-q", "-O", "both", &s.url("/a"), &s.url("/b")],
    );
    assert_eq!(status(&o), 0);
    assert_eq!(read(d.path().join("both")), b"AB");
    // The first failure stops the run (BusyBox).
    let d = tmp();
    let o = wget(f, d.path(), &["-q", &s.url("/nope"), &s.url("/b")]);
    assert_eq!(status(&o), 1);
    assert!(listing(d.path()).is_empty());
}

// ---------------------------------------------------------------- proxies

/// A proxy that records what it gets: GETs are answered by the proxy itself, CONNECTs are
/// tunnelled to the target.
fn proxy() -> Srv {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let reqs = Arc::new(Mutex::new(Vec::new()));
    let r2 = reqs.clone();
    std::thread::spawn(move || {
        for conn in l.incoming().take(100) {
            let Ok(mut c) = conn else { continue };
            let reqs = r2.clone();
            std::thread::spawn(move || {
                let Some(req) = read_request(&mut c) else {
                    return;
                };
                reqs.lock().unwrap().push(req.clone());
                let line = req.line().to_string();
                if let Some(rest) = line.strip_prefix("CONNECT ") {
                    let target = rest.split(' ').next().unwrap_or("").to_string();
                    let Ok(up) = TcpStream::connect(&target) else {
                        let _ = c.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                        return;
                    };
                    let _ = c.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                    let (mut a, mut b) = (c.try_clone().unwrap(), up.try_clone().unwrap());
                    let (mut c2, mut up2) = (c, up);
                    let t = std::thread::spawn(move || {
                        let _ = std::io::copy(&mut a, &mut up2);
                        let _ = up2.shutdown(Shutdown::Write);
                    });
                    let _ = std::io::copy(&mut b, &mut c2);
                    let _ = c2.shutdown(Shutdown::Write);
                    let _ = t.join();
                } else {
                    let body = b"from proxy";
                    let _ = c.write_all(
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len())
                            .as_bytes(),
                    );
                    let _ = c.write_all(body);
                }
            });
        }
    });
    Srv {
        port,
        v6: false,
        reqs,
    }
}

#[test]
fn http_proxy_from_environment() {
    let Some(f) = farm() else { return };
    let p = proxy();
    let direct = files(&[("/x", b"direct")]);
    let d = tmp();
    let purl = format!("http://pu:pp@127.0.0.1:{}", p.port);
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", &direct.url("/x")],
        &[("http_proxy", &purl)],
    );
    assert_eq!((status(&o), o.stdout.as_slice()), (0, &b"from proxy"[..]));
    let r = &p.requests()[0];
    assert_eq!(r.line(), format!("GET {} HTTP/1.1", direct.url("/x")));
    assert_eq!(r.header("Proxy-Authorization").unwrap(), "Basic cHU6cHA=");
    // Upper-case HTTP_PROXY is not read (a CGI program's header could set it).
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", &direct.url("/x")],
        &[("HTTP_PROXY", &purl)],
    );
    assert_eq!(o.stdout, b"direct");
    // -Y off, no_proxy and NO_PROXY bypass it.
    let o = run_in(
        f,
        d.path(),
        &["-q", "-Y", "off", "-O", "-", &direct.url("/x")],
        &[("http_proxy", &purl)],
    );
    assert_eq!(o.stdout, b"direct");
    for (var, val) in [
        ("no_proxy", "example.com,127.0.0.1"),
        ("NO_PROXY", "*"),
        ("no_proxy", &format!("127.0.0.1:{}", direct.port)),
    ] {
        let o = run_in(
            f,
            d.path(),
            &["-q", "-O", "-", &direct.url("/x")],
            &[("http_proxy", &purl), (var, val)],
        );
        assert_eq!(o.stdout, b"direct", "{var}={val}");
    }
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", &direct.url("/x")],
        &[("http_proxy", &purl), ("no_proxy", "127.0.0.1:1")],
    );
    assert_eq!(o.stdout, b"from proxy", "a no_proxy entry for another port");
    // A proxy without a scheme is taken as http://.
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", &direct.url("/x")],
        &[("http_proxy", &format!("127.0.0.1:{}", p.port))],
    );
    assert_eq!(o.stdout, b"from proxy");
}

// ---------------------------------------------------------------- progress on a terminal

#[test]
fn progress_bar_on_a_terminal() {
    let Some(f) = farm() else { return };
    let Some(script) = common::system_program("script") else {
        return;
    };
    let body = vec![b'x'; 300_000];
    let s = files(&[("/big.bin", &body)]);
    let d = tmp();
    let cmd = format!(
        "stty cols 100; {} -O /dev/null {}",
        f.path("wget").display(),
        s.url("/big.bin")
    );
    let mut c = Command::new(script);
    f.env(&mut c);
    c.args(["-qec", &cmd, "/dev/null"]).current_dir(d.path());
    let o = common::run(&mut c);
    assert_eq!(status(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // Redrawn in place with \r, a bar 100 - 48 columns wide, BusyBox's size format.
    let want = format!(
        "\rnull                 100% |{}|  292k  0:00:00 ETA",
        "*".repeat(52)
    );
    assert!(out.contains(&want), "{out:?}");
    // Quiet: nothing at all.
    let cmd = format!(
        "{} -q -O /dev/null {}",
        f.path("wget").display(),
        s.url("/big.bin")
    );
    let mut c = Command::new("script");
    f.env(&mut c);
    c.args(["-qec", &cmd, "/dev/null"]).current_dir(d.path());
    let o = common::run(&mut c);
    assert_eq!(status(&o), 0);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}

// ---------------------------------------------------------------- HTTPS

fn has_https(f: &Farm) -> bool {
    let o = common::run(f.cmd("wget").arg("--version"));
    String::from_utf8_lossy(&o.stdout).contains("+https")
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A test PKI: a CA, and server certificates signed by it with chosen names and dates.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        Pki::named("rbox test CA")
    }

    fn named(cn: &str) -> Pki {
        let dir = tmp();
        let p = dir.path();
        openssl(
            p,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "3650",
                "-subj",
                &format!("/CN={cn}"),
            ],
        );
        std::fs::create_dir(p.join("db")).unwrap();
        std::fs::write(p.join("db/index.txt"), "").unwrap();
        std::fs::write(p.join("db/serial"), "01\n").unwrap();
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Issues `name.crt`/`name.key` for `sans` ("DNS:localhost,IP:127.0.0.1"), valid from
    /// `start` to `end` (openssl ca dates, YYYYMMDDHHMMSSZ), signed by the CA (or
    /// self-signed with `self_signed`).
    fn issue(&self, name: &str, sans: &str, start: &str, end: &str, self_signed: bool) {
        let p = self.dir.path();
        let cnf = format!(
            "[ca]\ndefault_ca = d\n[d]\ndir = .\ndatabase = db/index.txt\nserial = db/serial\n\
             new_certs_dir = db\ndefault_md = sha256\npolicy = p\nunique_subject = no\n\
             [p]\ncommonName = supplied\n[ext]\nbasicConstraints = CA:FALSE\n\
             keyUsage = digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = {sans}\n"
        );
        std::fs::write(p.join(format!("{name}.cnf")), cnf).unwrap();
        let key = format!("{name}.key");
        let csr = format!("{name}.csr");
        let crt = format!("{name}.crt");
        let cnf = format!("{name}.cnf");
        openssl(
            p,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &csr,
                "-subj",
                "/CN=test server",
            ],
        );
        let mut args = vec![
            "ca",
            "-batch",
            "-config",
            &cnf,
            "-in",
            &csr,
            "-out",
            &crt,
            "-startdate",
            start,
            "-enddate",
            end,
            "-extensions",
            "ext",
        ];
        if self_signed {
            args.extend(["-selfsign", "-keyfile", &key]);
        } else {
            args.extend(["-cert", "ca.crt", "-keyfile", "ca.key"]);
        }
        openssl(p, &args);
    }
}

struct Py {
    child: Child,
    port: u16,
}

impl Drop for Py {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a helper script from tests/wget/ that prints its port.
fn python(script: &str, args: &[&Path]) -> Option<Py> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/wget")
        .join(script);
    let mut child = Command::new("python3")
        .arg(path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut out = child.stdout.take()?;
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while out.read(&mut b).ok()? == 1 && b[0] != b'\n' {
        line.push(b[0]);
    }
    let port = String::from_utf8_lossy(&line).trim().parse().ok();
    match port {
        Some(port) => Some(Py { child, port }),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    }
}

const GOOD_FROM: &str = "20200101000000Z";
const GOOD_TO: &str = "20991231000000Z";

fn https_setup() -> Option<(&'static Farm, Pki, tempfile::TempDir)> {
    let f = farm()?;
    if !has_https(f) {
        // Built without wget-https: an https URL says so clearly.
        let d = tmp();
        let o = wget(f, d.path(), &["https://127.0.0.1:1/x"]);
        assert_eq!(status(&o), 1);
        assert!(
            stderr(&o).contains("wget: HTTPS support is not compiled in"),
            "{}",
            stderr(&o)
        );
        return None;
    }
    common::system_program("openssl")?;
    let pki = Pki::new();
    let www = tmp();
    std::fs::write(www.path().join("secret.txt"), "tls works\n").unwrap();
    Some((f, pki, www))
}

fn https_server(pki: &Pki, name: &str, www: &Path) -> Py {
    let (crt, key) = (
        pki.path(&format!("{name}.crt")),
        pki.path(&format!("{name}.key")),
    );
    python("https_server.py", &[&crt, &key, www]).expect("https server (python3 ssl)")
}

#[test]
fn https_verified_downloads() {
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue(
        "good",
        "DNS:localhost,IP:127.0.0.1",
        GOOD_FROM,
        GOOD_TO,
        false,
    );
    let srv = https_server(&pki, "good", www.path());
    let ca = pki.path("ca.crt");
    let ca = ca.to_str().unwrap();
    let d = tmp();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("https://{host}:{}/secret.txt", srv.port);
        let o = wget(
            f,
            d.path(),
            &["-q", "-O", "-", "--ca-certificate", ca, &url],
        );
        assert_eq!(
            (status(&o), o.stdout.as_slice()),
            (0, &b"tls works\n"[..]),
            "{}",
            stderr(&o)
        );
        let o = run_in(
            f,
            d.path(),
            &["-q", "-O", "-", &url],
            &[("SSL_CERT_FILE", ca)],
        );
        assert_eq!(o.stdout, b"tls works\n", "SSL_CERT_FILE: {}", stderr(&o));
    }
    // SNI: the name for "localhost", none for an address.
    let sni = String::from_utf8(read(www.path().join(".sni"))).unwrap();
    assert_eq!(
        sni.lines().collect::<Vec<_>>(),
        ["None", "None", "localhost", "localhost"]
    );
    // The system bundle does not know our CA.
    let url = format!("https://127.0.0.1:{}/secret.txt", srv.port);
    let o = wget(f, d.path(), &["-O", "out", &url]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("certificate is not trusted"),
        "{}",
        stderr(&o)
    );
    assert!(listing(d.path()).is_empty());
    // A CA directory (SSL_CERT_DIR).
    let cadir = tmp();
    std::fs::copy(pki.path("ca.crt"), cadir.path().join("ca.pem")).unwrap();
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", &url],
        &[("SSL_CERT_DIR", cadir.path().to_str().unwrap())],
    );
    assert_eq!(o.stdout, b"tls works\n", "{}", stderr(&o));
    // A missing CA file.
    let o = wget(
        f,
        d.path(),
        &["-q", "--ca-certificate", "/nonexistent.pem", &url],
    );
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("/nonexistent.pem: No such file or directory"),
        "{}",
        stderr(&o)
    );
    // No CA bundle at all.
    let empty = tmp();
    let o = run_in(
        f,
        d.path(),
        &["-q", &url],
        &[("SSL_CERT_DIR", empty.path().to_str().unwrap())],
    );
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("no CA certificates found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn https_tls12_and_tls13() {
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue("good", "IP:127.0.0.1", GOOD_FROM, GOOD_TO, false);
    let (crt, key) = (pki.path("good.crt"), pki.path("good.key"));
    let ca = pki.path("ca.crt");
    let d = tmp();
    for v in ["tls12", "tls13"] {
        let srv = python("https_server.py", &[&crt, &key, www.path(), Path::new(v)]).unwrap();
        let url = format!("https://127.0.0.1:{}/secret.txt", srv.port);
        let o = wget(
            f,
            d.path(),
            &[
                "-q",
                "-O",
                "-",
                "--ca-certificate",
                ca.to_str().unwrap(),
                &url,
            ],
        );
        assert_eq!(
            (status(&o), o.stdout.as_slice()),
            (0, &b"tls works\n"[..]),
            "{v}: {}",
            stderr(&o)
        );
    }
}

fn bad_cert(
    name: &str,
    sans: &str,
    from: &str,
    to: &str,
    self_signed: bool,
    host: &str,
    msg: &str,
) {
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue(name, sans, from, to, self_signed);
    let srv = https_server(&pki, name, www.path());
    let ca = pki.path("ca.crt");
    let d = tmp();
    let url = format!("https://{host}:{}/secret.txt", srv.port);
    let o = wget(
        f,
        d.path(),
        &["--ca-certificate", ca.to_str().unwrap(), &url],
    );
    assert_eq!(status(&o), 1);
    assert!(stderr(&o).contains(msg), "want {msg:?}: {}", stderr(&o));
    assert!(listing(d.path()).is_empty());
    // --no-check-certificate downloads anyway, with a warning.
    let o = wget(f, d.path(), &["--no-check-certificate", "-O", "-", &url]);
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"tls works\n"[..]),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("wget: warning: not checking"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn https_expired_certificate() {
    bad_cert(
        "expired",
        "IP:127.0.0.1",
        "20200101000000Z",
        "20200201000000Z",
        false,
        "127.0.0.1",
        "certificate has expired",
    );
}

#[test]
fn https_not_yet_valid_certificate() {
    bad_cert(
        "future",
        "IP:127.0.0.1",
        "20900101000000Z",
        "20910101000000Z",
        false,
        "127.0.0.1",
        "certificate is not yet valid",
    );
}

#[test]
fn https_self_signed_certificate() {
    bad_cert(
        "self",
        "IP:127.0.0.1",
        GOOD_FROM,
        GOOD_TO,
        true,
        "127.0.0.1",
        "certificate is not trusted",
    );
}

#[test]
fn https_name_mismatch() {
    bad_cert(
        "wrongname",
        "DNS:example.org",
        GOOD_FROM,
        GOOD_TO,
        false,
        "localhost",
        "certificate is not valid for 'localhost'",
    );
}

#[test]
fn https_ip_mismatch() {
    bad_cert(
        "wrongip",
        "DNS:localhost,IP:127.0.0.2",
        GOOD_FROM,
        GOOD_TO,
        false,
        "127.0.0.1",
        "certificate is not valid for '127.0.0.1'",
    );
}

#[test]
fn https_untrusted_chain() {
    // Signed by a CA that is not the one we trust.
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue("good", "IP:127.0.0.1", GOOD_FROM, GOOD_TO, false);
    let srv = https_server(&pki, "good", www.path());
    let other = Pki::named("another CA");
    let d = tmp();
    let url = format!("https://127.0.0.1:{}/secret.txt", srv.port);
    let ca = other.path("ca.crt");
    let o = wget(
        f,
        d.path(),
        &["--ca-certificate", ca.to_str().unwrap(), &url],
    );
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("certificate is not trusted"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn https_bad_signature() {
    // Issued by a CA with the trusted CA's name but another key: the signature cannot check.
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue("good", "IP:127.0.0.1", GOOD_FROM, GOOD_TO, false);
    let srv = https_server(&pki, "good", www.path());
    let impostor = Pki::new();
    let d = tmp();
    let url = format!("https://127.0.0.1:{}/secret.txt", srv.port);
    let ca = impostor.path("ca.crt");
    let o = wget(
        f,
        d.path(),
        &["--ca-certificate", ca.to_str().unwrap(), &url],
    );
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("certificate has a bad signature"),
        "{}",
        stderr(&o)
    );
    assert!(listing(d.path()).is_empty());
}

#[test]
fn https_through_a_connect_proxy() {
    let Some((f, pki, www)) = https_setup() else {
        return;
    };
    pki.issue(
        "good",
        "DNS:localhost,IP:127.0.0.1",
        GOOD_FROM,
        GOOD_TO,
        false,
    );
    let srv = https_server(&pki, "good", www.path());
    let p = proxy();
    let d = tmp();
    let ca = pki.path("ca.crt");
    let url = format!("https://localhost:{}/secret.txt", srv.port);
    let purl = format!("http://a:b@127.0.0.1:{}/", p.port);
    for var in ["https_proxy", "HTTPS_PROXY"] {
        let o = run_in(
            f,
            d.path(),
            &[
                "-q",
                "-O",
                "-",
                "--ca-certificate",
                ca.to_str().unwrap(),
                &url,
            ],
            &[(var, &purl)],
        );
        assert_eq!(
            (status(&o), o.stdout.as_slice()),
            (0, &b"tls works\n"[..]),
            "{}",
            stderr(&o)
        );
        let r = p.requests().last().unwrap().clone();
        assert_eq!(r.line(), format!("CONNECT localhost:{} HTTP/1.1", srv.port));
        assert_eq!(r.header("Proxy-Authorization").unwrap(), "Basic YTpi");
    }
}

// ---------------------------------------------------------------- FTP

fn have_pyftpdlib() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import pyftpdlib"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        common::skip("pyftpdlib not installed (pip install pyftpdlib)");
    }
    ok
}

fn ftp_server(root: &Path) -> Option<Py> {
    if !have_pyftpdlib() {
        return None;
    }
    python("ftp_server.py", &[root])
}

#[test]
fn ftp_downloads() {
    let Some(f) = farm() else { return };
    let root = tmp();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(root.path().join("f.bin"), &data).unwrap();
    let Some(srv) = ftp_server(root.path()) else {
        return;
    };
    let d = tmp();
    let url = format!("ftp://127.0.0.1:{}/f.bin", srv.port);
    let o = wget(f, d.path(), &[&url]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("f.bin")), data);
    // Logged in as a user.
    let url2 = format!("ftp://user:secret@127.0.0.1:{}/f.bin", srv.port);
    let o = wget(f, d.path(), &["-q", "-O", "u.bin", &url2]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("u.bin")), data);
    let o = wget(
        f,
        d.path(),
        &[
            "-q",
            "-O",
            "-",
            "--user",
            "user",
            "--password",
            "secret",
            &url,
        ],
    );
    assert_eq!(o.stdout, data);
    // A bad password: the server's reply verbatim.
    let bad = format!("ftp://user:wrong@127.0.0.1:{}/f.bin", srv.port);
    let o = wget(f, d.path(), &["-q", "-O", "x", &bad]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: ftp login: 530 "),
        "{}",
        stderr(&o)
    );
    // A missing file.
    let url3 = format!("ftp://127.0.0.1:{}/nope.bin", srv.port);
    let o = wget(f, d.path(), &[&url3]);
    assert_eq!(status(&o), 1);
    assert!(
        stderr(&o).contains("wget: bad response to RETR: 550 "),
        "{}",
        stderr(&o)
    );
    assert!(!d.path().join("nope.bin").exists());
    // -c with REST.
    std::fs::write(d.path().join("part.bin"), &data[..12345]).unwrap();
    let o = wget(f, d.path(), &["-c", "-S", "-O", "part.bin", &url]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--> REST 12345\n\n350 "),
        "REST was sent: {}",
        stderr(&o)
    );
    assert_eq!(read(d.path().join("part.bin")), data);
    // -c on a complete file.
    let o = wget(f, d.path(), &["-c", "-O", "part.bin", &url]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(read(d.path().join("part.bin")), data);
    // An HTTP redirect to FTP: --user stays with the HTTP host, FTP logs in anonymously.
    let to = url.clone();
    let s = serve(move |_, _| redirect(302, &to));
    let o = wget(
        f,
        d.path(),
        &[
            "-S",
            "-O",
            "r.bin",
            "--user",
            "user",
            "--password",
            "secret",
            &s.url("/r"),
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--> USER anonymous\n"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d.path().join("r.bin")), data);
    // Same files and statuses as BusyBox.
    if let Some((_, bb)) = common::pair("wget") {
        for u in [&url, &url3] {
            let (d1, d2) = (tmp(), tmp());
            let o1 = wget(f, d1.path(), &[u]);
            let o2 = wget(bb, d2.path(), &[u]);
            assert_eq!(status(&o1), status(&o2), "{u}");
            assert_eq!(listing(d1.path()), listing(d2.path()), "{u}");
        }
    }
}

#[test]
fn ftp_through_ftp_proxy() {
    let Some(f) = farm() else { return };
    let p = proxy();
    let d = tmp();
    let o = run_in(
        f,
        d.path(),
        &["-q", "-O", "-", "ftp://files.example/pub/x.tar"],
        &[("ftp_proxy", &format!("http://127.0.0.1:{}", p.port))],
    );
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"from proxy"[..]),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        p.requests()[0].line(),
        "GET ftp://files.example/pub/x.tar HTTP/1.1"
    );
}

// ---------------------------------------------------------------- misc

#[test]
fn ignored_options_are_accepted() {
    let Some(f) = farm() else { return };
    let s = files(&[("/a", b"x")]);
    let d = tmp();
    let o = wget(
        f,
        d.path(),
        &[
            "-q",
            "-nH",
            "-np",
            "--no-cache",
            "--passive-ftp",
            "-O",
            "-",
            &s.url("/a"),
        ],
    );
    assert_eq!(
        (status(&o), o.stdout.as_slice()),
        (0, &b"x"[..]),
        "{}",
        stderr(&o)
    );
    let o = wget(f, d.path(), &["--version"]);
    assert_eq!(status(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("wget (rbox)"));
    let o = wget(f, d.path(), &["--bogus", &s.url("/a")]);
    assert_eq!(status(&o), 1);
}

#[test]
fn non_utf8_output_name() {
    use std::os::unix::ffi::OsStrExt;
    let Some(f) = farm() else { return };
    let s = files(&[("/caf%E9", b"bytes")]);
    let d = tmp();
    let o = wget(f, d.path(), &["-q", &s.url("/caf%E9")]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    // BusyBox keeps the escape in the name; so do we.
    assert_eq!(listing(d.path()), ["caf%E9"]);
    // A URL with a raw non-UTF-8 byte: sent escaped, saved under the raw name.
    let raw = format!("http://127.0.0.1:{}/caf", s.port);
    let mut arg = raw.into_bytes();
    arg.push(0xe9);
    let mut c = f.cmd("wget");
    c.arg("-q")
        .arg(std::ffi::OsStr::from_bytes(&arg))
        .current_dir(d.path());
    let o = common::run(&mut c);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        read(d.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"))),
        b"bytes"
    );
    let name = std::ffi::OsStr::from_bytes(b"out\xff");
    let mut c = f.cmd("wget");
    c.arg("-q")
        .arg("-O")
        .arg(name)
        .arg(s.url("/caf%E9"))
        .current_dir(d.path());
    let o = common::run(&mut c);
    assert_eq!(status(&o), 0);
    assert_eq!(read(d.path().join(name)), b"bytes");
}

#[test]
fn connect_timeout() {
    use std::os::fd::AsRawFd;
    let Some(f) = farm() else { return };
    // A listener whose backlog is full: the kernel drops further SYNs, so connect() hangs.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    // SAFETY: listen() on our own socket, lowering its backlog.
    unsafe { libc::listen(l.as_raw_fd(), 0) };
    let addr = l.local_addr().unwrap();
    let mut fill = Vec::new();
    for _ in 0..4 {
        if let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            fill.push(s);
        }
    }
    let d = tmp();
    let t = std::time::Instant::now();
    let o = wget(f, d.path(), &["-T", "1", &format!("http://{addr}/x")]);
    assert_eq!(status(&o), 1);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert!(
        stderr(&o).contains("can't connect to remote host (127.0.0.1): Connection timed out"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn interrupted_download_leaves_no_temporary_file() {
    let Some(f) = farm() else { return };
    let s = serve(|_, _| Act::Stall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".to_vec()));
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let d = tmp();
        let mut c = f.cmd("wget");
        c.args(["-q", "-T", "20", &s.url("/big")])
            .current_dir(d.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = c.spawn().unwrap();
        // Wait until the temporary file exists, then signal.
        let t = std::time::Instant::now();
        while listing(d.path()).is_empty() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            listing(d.path()).len(),
            1,
            "a temporary file while downloading"
        );
        // SAFETY: signals our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, sig) };
        let st = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(st.signal(), Some(sig), "dies by the signal");
        assert!(listing(d.path()).is_empty(), "{:?}", listing(d.path()));
    }
}

#[test]
fn ftp_over_ipv6() {
    let Some(f) = farm() else { return };
    if TcpListener::bind("[::1]:0").is_err() {
        common::skip("no IPv6 loopback");
        return;
    }
    let root = tmp();
    std::fs::write(root.path().join("six.txt"), "over v6\n").unwrap();
    if !have_pyftpdlib() {
        return;
    }
    let Some(srv) = python("ftp_server.py", &[root.path(), Path::new("::1")]) else {
        panic!("ftp server on ::1 did not start");
    };
    let d = tmp();
    let url = format!("ftp://[::1]:{}/six.txt", srv.port);
    let o = wget(f, d.path(), &["-S", &url]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("--> EPSV\n"), "{}", stderr(&o));
    assert_eq!(read(d.path().join("six.txt")), b"over v6\n");
}
