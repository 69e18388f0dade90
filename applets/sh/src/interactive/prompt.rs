//! Prompt escapes, as ash's "fancy prompt" expands them in PS1, PS2 and PS4.
//!
//! Order (as in ash): the shell first does parameter, command and arithmetic expansion on
//! the prompt variable's value, then [`expand_ps`] replaces the backslash escapes in the
//! result. So `PS1='\w $(date +%s)\$ '` runs `date` and shows the directory.
//!
//! | escape | becomes |
//! | --- | --- |
//! | `\u` | user name (euid, from /etc/passwd; the uid number if not found) |
//! | `\h` `\H` | host name up to the first `.`; the whole host name |
//! | `\w` `\W` | current directory with `$HOME` shown as `~`; its last component |
//! | `\$` | `#` for root, `$` for others |
//! | `\t` `\T` `\@` `\A` | time: 24h HH:MM:SS, 12h HH:MM:SS, 12h HH:MM am/pm, 24h HH:MM |
//! | `\n` `\r` `\e` `\a` `\\` | newline, carriage return, escape, bell, backslash |
//! | `\[` `\]` | start/end of non-printing text: bytes 0x01 and 0x02, which the editor strips |
//! | `\nnn` | the byte with octal value nnn |
//! | `\!` | the history number of the next line |
//!
//! Any other backslash sequence is kept as it is.

use std::os::unix::ffi::OsStrExt;

/// What the escapes read. Only `var` is required; the rest default to the system.
pub trait PromptEnv {
    /// A shell variable (HOME and PWD are asked for).
    fn var(&self, name: &[u8]) -> Option<Vec<u8>>;
    fn euid(&self) -> u32 {
        // SAFETY: geteuid cannot fail.
        unsafe { libc::geteuid() }
    }
    fn user(&self) -> Vec<u8> {
        let uid = self.euid();
        let data =
            rbox_common::passwd::read(std::path::Path::new("/"), "/etc/passwd").unwrap_or_default();
        for l in rbox_common::passwd::lines(&data) {
            if let Some(p) = rbox_common::passwd::Passwd::parse(l) {
                if p.uid == uid {
                    return p.name.to_vec();
                }
            }
        }
        uid.to_string().into_bytes()
    }
    fn hostname(&self) -> Vec<u8> {
        let mut b = [0u8; 256];
        // SAFETY: b is writable and its length is passed.
        let r = unsafe { libc::gethostname(b.as_mut_ptr().cast(), b.len()) };
        if r != 0 {
            return b"?".to_vec();
        }
        let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        b[..n].to_vec()
    }
    fn cwd(&self) -> Vec<u8> {
        if let Some(p) = self.var(b"PWD").filter(|p| p.first() == Some(&b'/')) {
            return p;
        }
        std::env::current_dir()
            .map(|p| p.as_os_str().as_bytes().to_vec())
            .unwrap_or_default()
    }
    /// Local time (hours, minutes, seconds).
    fn now(&self) -> (u32, u32, u32) {
        // SAFETY: localtime_r fills a zeroed tm from a valid time_t.
        unsafe {
            let t = libc::time(std::ptr::null_mut());
            let mut tm: libc::tm = std::mem::zeroed();
            libc::localtime_r(&t, &mut tm);
            (tm.tm_hour as u32, tm.tm_min as u32, tm.tm_sec as u32)
        }
    }
    fn history_number(&self) -> usize {
        1
    }
}

fn two(o: &mut Vec<u8>, n: u32) {
    o.push(b'0' + (n / 10 % 10) as u8);
    o.push(b'0' + (n % 10) as u8);
}

/// Replaces the backslash escapes of an (already parameter-expanded) prompt.
pub fn expand_ps(ps: &[u8], env: &dyn PromptEnv) -> Vec<u8> {
    let mut o = Vec::with_capacity(ps.len() + 16);
    let mut i = 0;
    while i < ps.len() {
        let b = ps[i];
        if b != b'\\' || i + 1 >= ps.len() {
            o.push(b);
            i += 1;
            continue;
        }
        let e = ps[i + 1];
        i += 2;
        match e {
            b'u' => o.extend_from_slice(&env.user()),
            b'h' => {
                let h = env.hostname();
                let n = h.iter().position(|&c| c == b'.').unwrap_or(h.len());
                o.extend_from_slice(&h[..n]);
            }
            b'H' => o.extend_from_slice(&env.hostname()),
            b'w' | b'W' => {
                let cwd = env.cwd();
                let home = env.var(b"HOME").filter(|h| h.len() > 1);
                let tilde = home.as_ref().and_then(|h| {
                    let h = h.strip_suffix(b"/").unwrap_or(h);
                    let rest = cwd.strip_prefix(h)?;
                    (rest.is_empty() || rest[0] == b'/').then_some(rest)
                });
                if e == b'w' {
                    match tilde {
                        Some(rest) => {
                            o.push(b'~');
                            o.extend_from_slice(rest);
                        }
                        None => o.extend_from_slice(&cwd),
                    }
                } else if tilde.is_some_and(|r| r.is_empty()) {
                    o.push(b'~');
                } else if cwd == b"/" {
                    o.push(b'/');
                } else {
                    let c = cwd.strip_suffix(b"/").unwrap_or(&cwd);
                    let s = c.iter().rposition(|&x| x == b'/').map_or(0, |k| k + 1);
                    o.extend_from_slice(&c[s..]);
                }
            }
            b'$' => o.push(if env.euid() == 0 { b'#' } else { b'$' }),
            b't' | b'T' | b'@' | b'A' => {
                let (h, m, s) = env.now();
                let h12 = if h % 12 == 0 { 12 } else { h % 12 };
                match e {
                    b't' => {
                        two(&mut o, h);
                        o.push(b':');
                        two(&mut o, m);
                        o.push(b':');
                        two(&mut o, s);
                    }
                    b'T' => {
                        two(&mut o, h12);
                        o.push(b':');
                        two(&mut o, m);
                        o.push(b':');
                        two(&mut o, s);
                    }
                    b'@' => {
                        two(&mut o, h12);
                        o.push(b':');
                        two(&mut o, m);
                        o.extend_from_slice(if h < 12 { b" AM" } else { b" PM" });
                    }
                    _ => {
                        two(&mut o, h);
                        o.push(b':');
                        two(&mut o, m);
                    }
                }
            }
            b'n' => o.push(b'\n'),
            b'r' => o.push(b'\r'),
            b'e' => o.push(0x1b),
            b'a' => o.push(7),
            b'\\' => o.push(b'\\'),
            b'[' => o.push(1),
            b']' => o.push(2),
            b'!' => o.extend_from_slice(env.history_number().to_string().as_bytes()),
            b'0'..=b'7' => {
                let mut v: u32 = (e - b'0') as u32;
                let mut k = 0;
                while k < 2 && i < ps.len() && (b'0'..=b'7').contains(&ps[i]) {
                    v = v * 8 + (ps[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                o.push(v as u8);
            }
            _ => {
                o.push(b'\\');
                o.push(e);
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    struct T {
        root: bool,
        cwd: &'static str,
        hour: u32,
    }
    impl PromptEnv for T {
        fn var(&self, n: &[u8]) -> Option<Vec<u8>> {
            (n == b"HOME").then(|| b"/home/ann".to_vec())
        }
        fn euid(&self) -> u32 {
            if self.root {
                0
            } else {
                1000
            }
        }
        fn user(&self) -> Vec<u8> {
            b"ann".to_vec()
        }
        fn hostname(&self) -> Vec<u8> {
            b"box.example.org".to_vec()
        }
        fn cwd(&self) -> Vec<u8> {
            self.cwd.as_bytes().to_vec()
        }
        fn now(&self) -> (u32, u32, u32) {
            (self.hour, 5, 9)
        }
    }

    fn x(ps: &str, t: &T) -> String {
        String::from_utf8_lossy(&expand_ps(ps.as_bytes(), t)).into_owned()
    }

    #[test]
    fn escapes() {
        let t = T {
            root: false,
            cwd: "/home/ann/src/rbox",
            hour: 14,
        };
        assert_eq!(x("\\u@\\h:\\w\\$ ", &t), "ann@box:~/src/rbox$ ");
        assert_eq!(x("\\H \\W", &t), "box.example.org rbox");
        assert_eq!(x("\\t|\\T|\\@|\\A", &t), "14:05:09|02:05:09|02:05 PM|14:05");
        assert_eq!(x("a\\nb\\r\\e\\a\\\\", &t), "a\nb\r\x1b\x07\\");
        assert_eq!(x("\\[\\e[1m\\]x", &t), "\x01\x1b[1m\x02x");
        assert_eq!(x("\\101\\0411\\q\\", &t), "A!1\\q\\");
        let r = T {
            root: true,
            cwd: "/",
            hour: 0,
        };
        assert_eq!(x("\\w \\W \\$ \\@", &r), "/ / # 12:05 AM");
        let h = T {
            root: false,
            cwd: "/home/ann",
            hour: 12,
        };
        assert_eq!(x("\\w \\W \\T", &h), "~ ~ 12:05:09");
        let o = T {
            root: false,
            cwd: "/home/anna",
            hour: 1,
        };
        assert_eq!(x("\\w", &o), "/home/anna");
    }
}
