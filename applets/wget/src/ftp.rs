//! FTP downloads as BusyBox wget does them: login (anonymous or user:pass@), TYPE I, SIZE,
//! passive mode (EPSV, then PASV), REST for -c, RETR. A reply other than the expected one
//! stops with the server's line verbatim.

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::ffi::OsStrExt;

use crate::http::{read_line, Error as HErr};
use crate::url::{percent_decode, Url};
use crate::{Ctx, Fail, Res, Target};

struct Control {
    r: BufReader<TcpStream>,
    last: Vec<u8>,
    /// The anonymous login's password is shown by -S; a real one is masked.
    anonymous: bool,
}

impl Control {
    /// Reads a reply (multi-line `NNN-` ... `NNN `) and returns its code; the last line is
    /// kept for messages.
    fn reply(&mut self, ctx: &mut Ctx) -> Res<u16> {
        loop {
            let line = match read_line(&mut self.r) {
                Ok(Some(l)) => l,
                Ok(None) | Err(HErr::NoResponse) => {
                    return Err(Fail::net("connection closed prematurely"))
                }
                Err(e) => return Err(ctx.http_fail(e)),
            };
            if ctx.o.show_resp {
                // BusyBox shows the FTP dialogue unindented.
                let mut v = line.clone();
                v.push(b'\n');
                ctx.log.write(&v);
            }
            if line.len() >= 4 && line[..3].iter().all(u8::is_ascii_digit) && line[3] == b' ' {
                let c = line[..3]
                    .iter()
                    .fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
                self.last = line;
                return Ok(c);
            }
            if line.len() == 3 && line.iter().all(u8::is_ascii_digit) {
                let c = line.iter().fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
                self.last = line;
                return Ok(c);
            }
        }
    }

    fn cmd(&mut self, ctx: &mut Ctx, cmd: &[u8]) -> Res<u16> {
        if ctx.o.show_resp {
            let mut v = b"--> ".to_vec();
            if cmd.starts_with(b"PASS ") && !self.anonymous {
                v.extend_from_slice(b"PASS ****");
            } else {
                v.extend_from_slice(cmd);
            }
            v.extend_from_slice(b"\n\n");
            ctx.log.write(&v);
        }
        let mut v = cmd.to_vec();
        v.extend_from_slice(b"\r\n");
        if let Err(e) = self.r.get_mut().write_all(&v) {
            return Err(ctx.io_fail(&e));
        }
        self.reply(ctx)
    }

    /// BusyBox's wording: `ftp login: LINE`, `bad response to RETR: LINE`, else
    /// `unexpected server response to CMD: LINE`.
    fn fail(&self, what: &str) -> Fail {
        let mut m = match what {
            "USER" | "PASS" => b"ftp login: ".to_vec(),
            "RETR" => b"bad response to RETR: ".to_vec(),
            _ => format!("unexpected server response to {what}: ").into_bytes(),
        };
        m.extend_from_slice(&self.last);
        Fail::new(m)
    }
}

/// Port from an EPSV reply: `229 Entering Extended Passive Mode (|||6446|)`.
fn epsv_port(line: &[u8]) -> Option<u16> {
    let open = line.iter().position(|&c| c == b'(')?;
    let rest = &line[open + 1..];
    let d = *rest.first()?;
    let parts: Vec<&[u8]> = rest.split(|&c| c == d).collect();
    let p = parts.get(3)?;
    std::str::from_utf8(p).ok()?.parse().ok()
}

/// Port from a PASV reply: `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`. The address in
/// the reply is ignored (the control connection's peer is used, as curl does), so a server
/// cannot point us elsewhere.
fn pasv_port(line: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(line.get(4..)?).ok()?;
    let nums: Vec<u16> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    if nums.len() < 6 {
        return None;
    }
    let (p1, p2) = (nums[nums.len() - 2], nums[nums.len() - 1]);
    if p1 > 255 || p2 > 255 {
        return None;
    }
    Some(p1 * 256 + p2)
}

pub(crate) fn fetch(
    ctx: &mut Ctx,
    tcp: TcpStream,
    url: &Url,
    target: &Target,
    resume: u64,
    same_origin: bool,
) -> Res<()> {
    // --user/--password belong to the URL given, not to a host a redirect named.
    let opt_user = if same_origin {
        ctx.o.user.clone()
    } else {
        None
    };
    let opt_pass = if same_origin {
        ctx.o.password.clone()
    } else {
        None
    };
    let peer = tcp.peer_addr().map_err(|e| ctx.io_fail(&e))?;
    let mut c = Control {
        r: BufReader::new(tcp),
        last: Vec::new(),
        anonymous: url.user.is_none() && opt_user.is_none(),
    };
    if c.reply(ctx)? != 220 {
        return Err(c.fail("connect"));
    }
    let user = url
        .user
        .clone()
        .or_else(|| opt_user.clone())
        .unwrap_or_else(|| b"anonymous".to_vec());
    let pass = if url.user.is_some() {
        url.pass.clone().unwrap_or_default()
    } else if opt_user.is_some() {
        opt_pass.unwrap_or_default()
    } else {
        b"anonymous@".to_vec()
    };
    if user.contains(&b'\n')
        || user.contains(&b'\r')
        || pass.contains(&b'\n')
        || pass.contains(&b'\r')
    {
        return Err(Fail::new("bad user name or password"));
    }
    let mut cmd = b"USER ".to_vec();
    cmd.extend_from_slice(&user);
    match c.cmd(ctx, &cmd)? {
        230 => {}
        331 => {
            let mut cmd = b"PASS ".to_vec();
            cmd.extend_from_slice(&pass);
            match c.cmd(ctx, &cmd)? {
                230 | 202 => {}
                _ => return Err(c.fail("PASS")),
            }
        }
        _ => return Err(c.fail("USER")),
    }
    if c.cmd(ctx, b"TYPE I")? != 200 {
        return Err(c.fail("TYPE I"));
    }
    // The path relative to the login directory, as BusyBox sends it.
    let q = url
        .path
        .iter()
        .position(|&x| x == b'?')
        .unwrap_or(url.path.len());
    let path = percent_decode(url.path.get(1..q).unwrap_or(b""));
    if path.contains(&b'\n') || path.contains(&b'\r') || path.is_empty() {
        return Err(Fail::new("bad FTP path"));
    }
    let mut size_cmd = b"SIZE ".to_vec();
    size_cmd.extend_from_slice(&path);
    let mut total = 0u64;
    if c.cmd(ctx, &size_cmd)? == 213 {
        total = c
            .last
            .get(4..)
            .and_then(|s| crate::http::parse_u64(crate::url::trim(s)))
            .unwrap_or(0);
    } else if ctx.o.spider {
        return Err(c.fail("SIZE"));
    }
    if ctx.o.spider {
        ctx.say(b"remote file exists");
        return Ok(());
    }
    if resume > 0 && total > 0 && resume >= total {
        if let Target::File { path, .. } = target {
            let m = format!(
                "{} is already complete",
                crate::q(path.as_os_str().as_bytes())
            );
            ctx.say(m.as_bytes());
        }
        return Ok(());
    }
    let port = if c.cmd(ctx, b"EPSV")? == 229 {
        epsv_port(&c.last).ok_or_else(|| c.fail("EPSV"))?
    } else if c.cmd(ctx, b"PASV")? == 227 {
        pasv_port(&c.last).ok_or_else(|| c.fail("PASV"))?
    } else {
        return Err(c.fail("PASV"));
    };
    let data_addr = SocketAddr::new(peer.ip(), port);
    let data = crate::net::connect(&[data_addr], ctx.o.timeout).map_err(|e| {
        Fail::net(format!(
            "can't connect to remote host ({}): {}",
            peer.ip(),
            rbox_common::err::reason(&e)
        ))
    })?;
    let mut beg = 0;
    if resume > 0 {
        let cmd = format!("REST {resume}");
        if c.cmd(ctx, cmd.as_bytes())? != 350 {
            return Err(c.fail("REST"));
        }
        beg = resume;
    }
    let mut cmd = b"RETR ".to_vec();
    cmd.extend_from_slice(&path);
    match c.cmd(ctx, &cmd)? {
        125 | 150 => {}
        _ => return Err(c.fail("RETR")),
    }
    let mut sink = ctx.open_sink(target, resume > 0, beg)?;
    let mut data = data;
    let expect = total.saturating_sub(beg);
    let mut got = 0u64;
    let r = ctx.transfer(&mut sink, beg, total, &mut |buf: &mut [u8]| {
        let n = data.read(buf).map_err(HErr::Io)?;
        got += n as u64;
        if n == 0 && expect > 0 && got < expect {
            return Err(HErr::Short);
        }
        Ok(n)
    });
    drop(data);
    let r = match r {
        Ok(n) => match c.reply(ctx)? {
            226 | 250 => Ok(n),
            _ => Err(c.fail("RETR")),
        },
        Err(e) => Err(e),
    };
    // No QUIT: closing the control connection ends the session (BusyBox sends none either).
    ctx.finish(sink, r, url, beg, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passive_replies() {
        assert_eq!(
            epsv_port(b"229 Entering Extended Passive Mode (|||6446|)"),
            Some(6446)
        );
        assert_eq!(epsv_port(b"229 bad"), None);
        assert_eq!(
            pasv_port(b"227 Entering Passive Mode (127,0,0,1,25,26)."),
            Some(25 * 256 + 26)
        );
        assert_eq!(pasv_port(b"227 (1,2,3)"), None);
        assert_eq!(pasv_port(b"227 (127,0,0,1,999,1)"), None);
    }
}
