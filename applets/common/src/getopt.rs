//! Option parsing with POSIX getopt(3) semantics and GNU getopt_long(3) extensions.
//!
//! Why our own and not clap: clap adds 120-196 KB to a static binary (README.md, "Size"),
//! its messages and its treatment of `-fVALUE`, bundles and abbreviations differ from the
//! getopt(3) that BusyBox's applets are built on, and every applet would pay for it. This
//! parser is a few KB and reproduces glibc's messages, which are what BusyBox prints.
//!
//! Rules:
//! - `-abc` bundles; `-fVALUE` and `-f VALUE` for an option that takes an argument; `a::`
//!   marks an optional argument, which must be attached (`-aVALUE`).
//! - `--name`, `--name=VALUE`, `--name VALUE` (required arguments only); any unambiguous
//!   prefix of a long name is accepted, as getopt_long does.
//! - `--` ends the options; a lone `-` is an operand.
//! - [`Mode::Permute`] (GNU, BusyBox's default): operands and options may be mixed.
//!   [`Mode::Posix`]: the first operand ends the options (sh, env, a leading `+` in getopt).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    Optional,
}

/// A long option; `code` is what the parser reports for it, usually the matching short
/// option's character, or a value >= 256 for a long-only option.
#[derive(Clone, Copy, Debug)]
pub struct LongOpt {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub code: u32,
}

impl LongOpt {
    pub const fn new(name: &'static str, has_arg: HasArg, code: u32) -> Self {
        LongOpt {
            name,
            has_arg,
            code,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Permute,
    Posix,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// An option by code, with its argument if it has one.
    Opt(u32, Option<&'a OsStr>),
    Operand(&'a OsStr),
}

/// A usage error, displayed as glibc's getopt words it (`invalid option -- 'x'`).
#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    Invalid(u8),
    MissingArg(u8),
    UnknownLong(OsString),
    AmbiguousLong(OsString),
    LongMissingArg(&'static str),
    LongNoArg(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(c) => write!(f, "invalid option -- '{}'", char::from(*c)),
            Error::MissingArg(c) => {
                write!(f, "option requires an argument -- '{}'", char::from(*c))
            }
            Error::UnknownLong(s) => write!(f, "unrecognized option '{}'", s.to_string_lossy()),
            Error::AmbiguousLong(s) => write!(f, "option '{}' is ambiguous", s.to_string_lossy()),
            Error::LongMissingArg(n) => write!(f, "option '--{n}' requires an argument"),
            Error::LongNoArg(n) => write!(f, "option '--{n}' doesn't allow an argument"),
        }
    }
}

/// Parses `args` (argv without argv[0]). Iterate to get options and operands in order.
pub struct Getopt<'a> {
    args: &'a [OsString],
    idx: usize,
    /// Position inside a bundle of short options (0: not inside one).
    sub: usize,
    short: &'static [u8],
    long: &'static [LongOpt],
    mode: Mode,
    only_operands: bool,
}

impl<'a> Getopt<'a> {
    /// `short` is a getopt(3) option string ("ab:c::").
    pub fn new(args: &'a [OsString], short: &'static str, long: &'static [LongOpt]) -> Self {
        Getopt {
            args,
            idx: 0,
            sub: 0,
            short: short.as_bytes(),
            long,
            mode: Mode::Permute,
            only_operands: false,
        }
    }

    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The arguments not yet looked at (after an error or to stop early).
    pub fn rest(&self) -> &'a [OsString] {
        let i = if self.sub > 0 { self.idx + 1 } else { self.idx };
        &self.args[i.min(self.args.len())..]
    }

    fn short_spec(&self, c: u8) -> Option<HasArg> {
        if c == b':' || c == b'+' || c == b'-' {
            return None;
        }
        let i = self.short.iter().position(|&x| x == c)?;
        let s = &self.short[i + 1..];
        Some(match (s.first(), s.get(1)) {
            (Some(b':'), Some(b':')) => HasArg::Optional,
            (Some(b':'), _) => HasArg::Required,
            _ => HasArg::No,
        })
    }

    fn next_short(&mut self) -> Result<Item<'a>, Error> {
        let arg = self.args[self.idx].as_bytes();
        let c = arg[self.sub];
        self.sub += 1;
        let at_end = self.sub >= arg.len();
        let spec = self.short_spec(c);
        let rest = &arg[self.sub..];
        let finish = |g: &mut Self| {
            g.sub = 0;
            g.idx += 1;
        };
        match spec {
            None => {
                if at_end {
                    finish(self);
                }
                Err(Error::Invalid(c))
            }
            Some(HasArg::No) => {
                if at_end {
                    finish(self);
                }
                Ok(Item::Opt(c.into(), None))
            }
            Some(HasArg::Optional) => {
                finish(self);
                let v = (!rest.is_empty()).then(|| OsStr::from_bytes(rest));
                Ok(Item::Opt(c.into(), v))
            }
            Some(HasArg::Required) => {
                finish(self);
                if !rest.is_empty() {
                    return Ok(Item::Opt(c.into(), Some(OsStr::from_bytes(rest))));
                }
                match self.args.get(self.idx) {
                    Some(v) => {
                        self.idx += 1;
                        Ok(Item::Opt(c.into(), Some(v.as_os_str())))
                    }
                    None => Err(Error::MissingArg(c)),
                }
            }
        }
    }

    fn next_long(&mut self) -> Result<Item<'a>, Error> {
        let arg = &self.args[self.idx];
        self.idx += 1;
        let body = &arg.as_bytes()[2..];
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(i) => (&body[..i], Some(OsStr::from_bytes(&body[i + 1..]))),
            None => (body, None),
        };
        let opt = match self.long.iter().find(|o| o.name.as_bytes() == name) {
            Some(o) => o,
            None => {
                let mut cands = self
                    .long
                    .iter()
                    .filter(|o| o.name.as_bytes().starts_with(name));
                match (cands.next(), cands.next()) {
                    (Some(o), None) => o,
                    (Some(a), Some(b)) => {
                        // Abbreviations of aliases that report the same code are not ambiguous.
                        if a.code == b.code && cands.all(|o| o.code == a.code) {
                            a
                        } else {
                            return Err(Error::AmbiguousLong(arg.clone()));
                        }
                    }
                    _ => return Err(Error::UnknownLong(arg.clone())),
                }
            }
        };
        match (opt.has_arg, value) {
            (HasArg::No, Some(_)) => Err(Error::LongNoArg(opt.name)),
            (HasArg::No, None) | (HasArg::Optional, _) => Ok(Item::Opt(opt.code, value)),
            (HasArg::Required, Some(v)) => Ok(Item::Opt(opt.code, Some(v))),
            (HasArg::Required, None) => match self.args.get(self.idx) {
                Some(v) => {
                    self.idx += 1;
                    Ok(Item::Opt(opt.code, Some(v.as_os_str())))
                }
                None => Err(Error::LongMissingArg(opt.name)),
            },
        }
    }
}

impl<'a> Iterator for Getopt<'a> {
    type Item = Result<Item<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.sub > 0 {
            return Some(self.next_short());
        }
        let arg = self.args.get(self.idx)?.as_bytes();
        if self.only_operands || arg.len() < 2 || arg[0] != b'-' {
            if self.mode == Mode::Posix {
                self.only_operands = true;
            }
            self.idx += 1;
            return Some(Ok(Item::Operand(self.args[self.idx - 1].as_os_str())));
        }
        if arg == b"--" {
            self.idx += 1;
            self.only_operands = true;
            return self.next();
        }
        if arg[1] == b'-' && !self.long.is_empty() {
            return Some(self.next_long());
        }
        self.sub = 1;
        Some(self.next_short())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    fn run(v: &[&str], short: &'static str, long: &'static [LongOpt], mode: Mode) -> String {
        let a = args(v);
        let mut out = Vec::new();
        for it in Getopt::new(&a, short, long).mode(mode) {
            out.push(match it {
                Ok(Item::Opt(c, None)) => format!("{c}"),
                Ok(Item::Opt(c, Some(v))) => format!("{c}={}", v.to_string_lossy()),
                Ok(Item::Operand(o)) => format!("[{}]", o.to_string_lossy()),
                Err(e) => format!("!{e}"),
            });
        }
        out.join(" ")
    }

    const LONG: &[LongOpt] = &[
        LongOpt::new("color", HasArg::Optional, 300),
        LongOpt::new("colour", HasArg::Optional, 300),
        LongOpt::new("file", HasArg::Required, b'f' as u32),
        LongOpt::new("full-time", HasArg::No, 301),
        LongOpt::new("all", HasArg::No, b'a' as u32),
    ];

    #[test]
    fn bundles_and_attached_values() {
        assert_eq!(run(&["-la", "x"], "laf:", &[], Mode::Permute), "108 97 [x]");
        assert_eq!(run(&["-afFILE"], "laf:", &[], Mode::Permute), "97 102=FILE");
        assert_eq!(
            run(&["-f", "F", "-l"], "laf:", &[], Mode::Permute),
            "102=F 108"
        );
        assert_eq!(
            run(&["-af"], "laf:", &[], Mode::Permute),
            "97 !option requires an argument -- 'f'"
        );
    }

    #[test]
    fn operands_and_terminators() {
        assert_eq!(
            run(&["x", "-l", "--", "-a", "-"], "la", &[], Mode::Permute),
            "[x] 108 [-a] [-]"
        );
        assert_eq!(run(&["x", "-l"], "la", &[], Mode::Posix), "[x] [-l]");
        assert_eq!(run(&["-", "-l"], "la", &[], Mode::Posix), "[-] [-l]");
    }

    #[test]
    fn errors_match_glibc_words() {
        assert_eq!(
            run(&["-lz"], "la", &[], Mode::Permute),
            "108 !invalid option -- 'z'"
        );
        assert_eq!(
            run(&["--bogus"], "la", LONG, Mode::Permute),
            "!unrecognized option '--bogus'"
        );
        assert_eq!(
            run(&["--f"], "la", LONG, Mode::Permute),
            "!option '--f' is ambiguous"
        );
        assert_eq!(
            run(&["--all=1"], "a", LONG, Mode::Permute),
            "!option '--all' doesn't allow an argument"
        );
        assert_eq!(
            run(&["--file"], "a", LONG, Mode::Permute),
            "!option '--file' requires an argument"
        );
    }

    #[test]
    fn long_options() {
        assert_eq!(run(&["--color"], "", LONG, Mode::Permute), "300");
        assert_eq!(run(&["--col=never"], "", LONG, Mode::Permute), "300=never");
        assert_eq!(run(&["--color", "x"], "", LONG, Mode::Permute), "300 [x]");
        assert_eq!(run(&["--fi", "F"], "", LONG, Mode::Permute), "102=F");
        assert_eq!(run(&["--file=a=b"], "", LONG, Mode::Permute), "102=a=b");
        assert_eq!(run(&["--full"], "", LONG, Mode::Permute), "301");
    }

    #[test]
    fn optional_short_argument_must_be_attached() {
        assert_eq!(run(&["-c", "x"], "c::", &[], Mode::Permute), "99 [x]");
        assert_eq!(run(&["-cx"], "c::", &[], Mode::Permute), "99=x");
    }

    #[test]
    fn rest_after_stop() {
        let a = args(&["-l", "x", "y"]);
        let mut g = Getopt::new(&a, "l", &[]).mode(Mode::Posix);
        assert_eq!(g.next(), Some(Ok(Item::Opt(b'l'.into(), None))));
        assert_eq!(g.rest(), &a[1..]);
    }
}
