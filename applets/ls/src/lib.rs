//! ls: list directory contents.
//!
//! References: BusyBox 1.35 `ls` for every option it has (output bytes, widths, messages,
//! exit statuses); GNU coreutils `ls` for the options only GNU has (`-b -q -N -m -o -f -U -G
//! -B -I --hide --sort --time --time-style --si --block-size --indicator-style --file-type
//! -Z`). Long listings always use BusyBox's fixed column widths, also with GNU's options.
//!
//! Where POSIX wins over BusyBox (portable scripts notice):
//! - Without a quoting option, names go to a non-terminal as they are. BusyBox writes `?` for
//!   every control byte, invalid UTF-8 byte and character past U+02FF even into a pipe, so
//!   `ls | grep 日本` finds nothing; POSIX allows `-q` only as the default on a terminal.
//!   On a terminal we print exactly what BusyBox prints.
//!
//! Deviations, on purpose:
//! - `LS_COLORS` is parsed as GNU dircolors defines it (BusyBox only looks whether it is set);
//!   without it, BusyBox's colour table is used. `NO_COLOR` (non-empty) turns off the
//!   default colouring and `--color=auto`; `--color=always` still colours.
//! - `-L` does not loop forever on a symlink cycle: a directory already being listed is
//!   reported and skipped, as GNU does.
//!
//! Speed: directories are read with getdents64 into a 64 KiB buffer, names kept in one arena
//! per directory, and an entry is stat'ed (fstatat relative to the directory fd) only when
//! the output needs more than its name and d_type.

mod color;
pub mod time;
pub mod util;

use rbox_common::err;
use rbox_common::getopt::{Getopt, HasArg, Item, LongOpt};
use rbox_common::io::Out;
use rbox_common::passwd::Names;
use std::cmp::Ordering;
use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStrExt;

pub const USAGE: &str =
    "[-1AaCxdLHRFplinshrSXvctukgoGQqbNmfUBZ] [-w WIDTH] [-T N] [-I PATTERN] [FILE]...

List the files named, or the contents of the directories named (default .)

\t-1\tOne name per line
\t-a\tShow names starting with . too
\t-A\tAs -a, but not . and ..
\t-C\tNames in columns, down then across
\t-x\tNames in columns, across then down
\t-m\tNames separated by commas
\t-d\tList directories themselves, not their contents
\t-L\tFollow every symlink
\t-H\tFollow symlinks named on the command line
\t-R\tDescend into subdirectories
\t-p\tMark directories with /
\t-F\tMark types with one of */=@|
\t-l\tLong listing
\t-g\tLong listing without owner
\t-o\tLong listing without group
\t-G\tNo group in long listings
\t-n\tNumeric user and group ids (long listing)
\t-i\tShow inode numbers
\t-s\tShow allocated blocks (KiB)
\t-c\tUse status change time (sort by it without -l)
\t-u\tUse access time (sort by it without -l)
\t--full-time\tFull date and time
\t--time-style=STYLE\tfull-iso, long-iso, iso or +FORMAT
\t--time=WORD\tatime, ctime, mtime or birth
\t-h\tSizes as 1K 243M 2G
\t--si\tSizes in powers of 1000
\t--block-size=SIZE\tScale sizes by SIZE
\t--group-directories-first\tDirectories before files
\t-S\tSort by size
\t-X\tSort by extension
\t-v\tSort by version
\t-t\tSort by time
\t-U\tDo not sort
\t-f\tAs -aU, without colours or long listing
\t--sort=WORD\tnone, size, time, version, extension or name
\t-r\tReverse the order
\t-B\tHide names ending in ~
\t-I PAT\tHide names matching PAT
\t--hide=PAT\tHide names matching PAT unless -a or -A
\t-Q\tPut names in double quotes
\t-q\tShow non-printable characters as ?
\t-b\tShow non-printable characters as C escapes
\t-N\tShow names as they are
\t--indicator-style=WORD\tnone, slash, file-type or classify
\t--file-type\tAs -F, without *
\t-Z\tShow the security context (?)
\t-k\tBlocks in KiB (the default)
\t-T N\tIgnored
\t-w N\tWidth of the output
\t--color[=WHEN]\tColour the names: always, never or auto";

const SHORT: &str = "Cadi1lgnsxAkFpRQctuSXrvLHhT:w:bqNmofUGBI:Z";

const O_FULL_TIME: u32 = 256;
const O_DIRS_FIRST: u32 = 257;
const O_COLOR: u32 = 258;
const O_HIDE: u32 = 259;
const O_SORT: u32 = 260;
const O_TIME: u32 = 261;
const O_TIME_STYLE: u32 = 262;
const O_SI: u32 = 263;
const O_BLOCK_SIZE: u32 = 264;
const O_INDICATOR: u32 = 265;
const O_FILE_TYPE: u32 = 266;
const O_FORMAT: u32 = 267;
const O_SHOW_CTRL: u32 = 268;
const O_CLASSIFY: u32 = 269;

const fn c(ch: u8) -> u32 {
    ch as u32
}

const LONG: &[LongOpt] = &[
    LongOpt::new("all", HasArg::No, c(b'a')),
    LongOpt::new("almost-all", HasArg::No, c(b'A')),
    LongOpt::new("escape", HasArg::No, c(b'b')),
    LongOpt::new("ignore-backups", HasArg::No, c(b'B')),
    LongOpt::new("color", HasArg::Optional, O_COLOR),
    LongOpt::new("colour", HasArg::Optional, O_COLOR),
    LongOpt::new("directory", HasArg::No, c(b'd')),
    LongOpt::new("classify", HasArg::Optional, O_CLASSIFY),
    LongOpt::new("file-type", HasArg::No, O_FILE_TYPE),
    LongOpt::new("format", HasArg::Required, O_FORMAT),
    LongOpt::new("full-time", HasArg::No, O_FULL_TIME),
    LongOpt::new("group-directories-first", HasArg::No, O_DIRS_FIRST),
    LongOpt::new("no-group", HasArg::No, c(b'G')),
    LongOpt::new("human-readable", HasArg::No, c(b'h')),
    LongOpt::new("si", HasArg::No, O_SI),
    LongOpt::new("dereference-command-line", HasArg::No, c(b'H')),
    LongOpt::new("dereference", HasArg::No, c(b'L')),
    LongOpt::new("hide", HasArg::Required, O_HIDE),
    LongOpt::new("ignore", HasArg::Required, c(b'I')),
    LongOpt::new("indicator-style", HasArg::Required, O_INDICATOR),
    LongOpt::new("inode", HasArg::No, c(b'i')),
    LongOpt::new("kibibytes", HasArg::No, c(b'k')),
    LongOpt::new("literal", HasArg::No, c(b'N')),
    LongOpt::new("numeric-uid-gid", HasArg::No, c(b'n')),
    LongOpt::new("hide-control-chars", HasArg::No, c(b'q')),
    LongOpt::new("show-control-chars", HasArg::No, O_SHOW_CTRL),
    LongOpt::new("quote-name", HasArg::No, c(b'Q')),
    LongOpt::new("reverse", HasArg::No, c(b'r')),
    LongOpt::new("recursive", HasArg::No, c(b'R')),
    LongOpt::new("size", HasArg::No, c(b's')),
    LongOpt::new("sort", HasArg::Required, O_SORT),
    LongOpt::new("time", HasArg::Required, O_TIME),
    LongOpt::new("time-style", HasArg::Required, O_TIME_STYLE),
    LongOpt::new("tabsize", HasArg::Required, c(b'T')),
    LongOpt::new("width", HasArg::Required, c(b'w')),
    LongOpt::new("context", HasArg::No, c(b'Z')),
    LongOpt::new("block-size", HasArg::Required, O_BLOCK_SIZE),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// No quoting option: Bb on a terminal, Literal otherwise (POSIX).
    Default,
    /// BusyBox: non-printable characters as `?`, valid UTF-8 up to U+02FF kept.
    Bb,
    /// BusyBox -Q: as Bb, in double quotes with `"` and `\` escaped.
    BbQ,
    /// GNU -q: `?` for what the locale cannot print.
    Hide,
    /// GNU -b: C escapes.
    Escape,
    /// GNU -N: bytes as they are.
    Literal,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ind {
    None,
    Slash,
    FileType,
    Classify,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeSel {
    M,
    C,
    A,
    Birth,
}

#[derive(Clone, PartialEq, Eq)]
enum Style {
    Bb,
    Fmt(Vec<u8>, Vec<u8>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Size {
    Plain,
    Bb,
    Gnu(u64),
    Block(u64, &'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ColorWhen {
    Default,
    Always,
    Never,
    Auto,
}

struct Opts {
    a: bool,
    aa: bool,
    d: bool,
    i: bool,
    s: bool,
    rec: bool,
    l: bool,
    one: bool,
    cc: bool,
    x: bool,
    m: bool,
    n: bool,
    g: bool,
    o: bool,
    gg: bool,
    ff: bool,
    p: bool,
    ind: Option<Ind>,
    quote: Quote,
    time: TimeSel,
    time_given: bool,
    ss: bool,
    t: bool,
    /// --sort=time (GNU): nanoseconds count.
    tns: bool,
    v: bool,
    xx: bool,
    u_none: bool,
    r: bool,
    follow: bool,
    follow_cmd: bool,
    h: bool,
    size: Size,
    width: Option<usize>,
    full_time: bool,
    style: Option<Style>,
    dirs_first: bool,
    color: ColorWhen,
    z: bool,
    ignore: Vec<CString>,
    hide: Vec<CString>,
    backups: bool,
}

/// A listed file. The name lives in the arena (followed by a NUL for system calls).
#[derive(Clone, Copy, Default)]
struct Ent {
    off: u32,
    len: u32,
    /// lstat or stat mode (or from d_type when not stat'ed).
    mode: u32,
    /// The mode from lstat, when known (0 otherwise).
    lmode: u32,
    ino: u64,
    nlink: u64,
    uid: u32,
    gid: u32,
    size: i64,
    blocks: i64,
    rdev: u64,
    sec: i64,
    nsec: u32,
}

enum Colors {
    None,
    Bb,
    Gnu(Box<color::Gnu>),
}

struct Ls {
    o: Opts,
    out: Out,
    names: Names,
    clock: time::Clock,
    status: i32,
    /// Width for -C/-x (BusyBox: terminal width less one, or -w).
    width: usize,
    /// Width for -m (GNU: terminal width, or -w).
    line_len: usize,
    colors: Colors,
    gnu_color_used: std::cell::Cell<bool>,
    utf8: bool,
    dbuf: Vec<u8>,
    line: Vec<u8>,
    /// (dev, ino) of directories being listed, for -L cycles.
    active: Vec<(u64, u64)>,
    /// A write error met while flushing early (before an error message).
    werr: Option<std::io::Error>,
    /// The last owner and group looked up, with the text shown for them.
    ucache: (Option<u32>, Vec<u8>),
    gcache: (Option<u32>, Vec<u8>),
}

fn usage_error(msg: &str) -> i32 {
    err::report_msg("ls", msg);
    eprintln!("{USAGE}");
    1
}

fn env_nonempty(name: &str) -> Option<Vec<u8>> {
    std::env::var_os(name).map(|v| v.as_bytes().to_vec())
}

fn isatty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

fn term_dumb() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// BusyBox's terminal width: the window size of stdin, overridden by COLUMNS; 80 when
/// neither gives a value in 2..30000.
fn terminal_width() -> usize {
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes a winsize.
    let ok = unsafe { libc::ioctl(0, libc::TIOCGWINSZ, &mut ws) } == 0 && ws.ws_row != 0;
    let mut v: i64 = if ok { ws.ws_col as i64 } else { 0 };
    if let Some(s) = std::env::var_os("COLUMNS") {
        v = atoi(s.as_bytes());
    }
    if v <= 1 || v >= 30000 {
        80
    } else {
        v as usize
    }
}

fn atoi(s: &[u8]) -> i64 {
    let s = s.trim_ascii_start();
    let (neg, d) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &b in d.iter().take_while(|b| b.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

fn utf8_locale() -> bool {
    for var in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let Some(v) = std::env::var_os(var) {
            if v.is_empty() {
                continue;
            }
            let v = v.as_bytes().to_ascii_lowercase();
            return v.windows(5).any(|w| w == b"utf-8") || v.windows(4).any(|w| w == b"utf8");
        }
    }
    false
}

fn c_time_locale() -> bool {
    for var in ["LC_ALL", "LC_TIME", "LANG"] {
        if let Some(v) = std::env::var_os(var) {
            if !v.is_empty() {
                return v == "C" || v == "POSIX";
            }
        }
    }
    true
}

/// `--block-size=SIZE`: a number with an optional unit (K, KB, KiB, M, ...).
fn parse_block_size(s: &[u8]) -> Option<Size> {
    match s {
        b"human-readable" => return Some(Size::Gnu(1024)),
        b"si" => return Some(Size::Gnu(1000)),
        _ => {}
    }
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let num: u64 = if digits == 0 {
        1
    } else {
        std::str::from_utf8(&s[..digits]).ok()?.parse().ok()?
    };
    let unit = &s[digits..];
    let (mult, suffix): (u64, &'static str) = match unit {
        b"" => (1, ""),
        _ => {
            const L: &[u8] = b"KMGTPEZY";
            let pos = L.iter().position(|&c| c == unit[0].to_ascii_uppercase())? as u32;
            let (base, sfx): (u64, &[&'static str]) = match &unit[1..] {
                b"" => (1024, &["K", "M", "G", "T", "P", "E", "Z", "Y"]),
                b"iB" => (
                    1024,
                    &["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"],
                ),
                b"B" => (1000, &["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]),
                _ => return None,
            };
            (base.checked_pow(pos + 1)?, sfx[pos as usize])
        }
    };
    let bs = num.checked_mul(mult)?;
    if bs == 0 {
        return None;
    }
    Some(Size::Block(bs, if digits == 0 { suffix } else { "" }))
}

fn match_word(arg: &[u8], words: &[(&str, u8)]) -> Option<u8> {
    if let Some((_, v)) = words.iter().find(|(w, _)| w.as_bytes() == arg) {
        return Some(*v);
    }
    let mut hits = words
        .iter()
        .filter(|(w, _)| !arg.is_empty() && w.as_bytes().starts_with(arg));
    let first = hits.next()?;
    if hits.all(|(_, v)| *v == first.1) {
        Some(first.1)
    } else {
        None
    }
}

fn bad_arg(arg: &[u8], opt: &str) -> i32 {
    err::report(
        "ls",
        &[format!(
            "invalid argument '{}' for '--{opt}'",
            String::from_utf8_lossy(arg)
        )
        .as_bytes()],
    );
    2
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = argv.get(1..).unwrap_or(&[]);
    let mut o = Opts {
        a: false,
        aa: false,
        d: false,
        i: false,
        s: false,
        rec: false,
        l: false,
        one: false,
        cc: false,
        x: false,
        m: false,
        n: false,
        g: false,
        o: false,
        gg: false,
        ff: false,
        p: false,
        ind: None,
        quote: Quote::Default,
        time: TimeSel::M,
        time_given: false,
        ss: false,
        t: false,
        tns: false,
        v: false,
        xx: false,
        u_none: false,
        r: false,
        follow: false,
        follow_cmd: false,
        h: false,
        size: Size::Plain,
        width: None,
        full_time: false,
        style: None,
        dirs_first: false,
        color: ColorWhen::Default,
        z: false,
        ignore: Vec::new(),
        hide: Vec::new(),
        backups: false,
    };
    let mut operands: Vec<&std::ffi::OsStr> = Vec::new();
    for item in Getopt::new(args, SHORT, LONG) {
        let (code, val) = match item {
            Ok(Item::Operand(s)) => {
                operands.push(s);
                continue;
            }
            Ok(Item::Opt(code, val)) => (code, val),
            Err(e) => return usage_error(&e.to_string()),
        };
        let vb = val.map(|v| v.as_bytes()).unwrap_or(b"");
        match code {
            x if x == c(b'C') => {
                o.cc = true;
                o.x = false;
                o.l = false;
                o.one = false;
                o.m = false;
            }
            x if x == c(b'x') => {
                o.x = true;
                o.cc = false;
                o.l = false;
                o.one = false;
                o.m = false;
            }
            x if x == c(b'l') => {
                o.l = true;
                o.x = false;
                o.cc = false;
                o.m = false;
            }
            x if x == c(b'1') => {
                o.one = true;
                o.cc = false;
                o.x = false;
                o.m = false;
            }
            x if x == c(b'm') => {
                o.m = true;
                o.l = false;
                o.cc = false;
                o.x = false;
                o.one = false;
            }
            x if x == c(b'a') => o.a = true,
            x if x == c(b'A') => o.aa = true,
            x if x == c(b'd') => o.d = true,
            x if x == c(b'i') => o.i = true,
            x if x == c(b'n') => {
                o.n = true;
                o.l = true;
            }
            x if x == c(b'g') => {
                o.g = true;
                o.l = true;
            }
            x if x == c(b'o') => {
                o.o = true;
                o.l = true;
            }
            x if x == c(b'G') => o.gg = true,
            x if x == c(b's') => o.s = true,
            x if x == c(b'k') => {}
            x if x == c(b'F') => {
                o.ff = true;
                o.ind = None;
            }
            x if x == c(b'p') => {
                o.p = true;
                o.ind = None;
            }
            x if x == c(b'R') => o.rec = true,
            x if x == c(b'Q') => o.quote = Quote::BbQ,
            x if x == c(b'q') => o.quote = Quote::Hide,
            x if x == c(b'b') => o.quote = Quote::Escape,
            x if x == c(b'N') => o.quote = Quote::Literal,
            O_SHOW_CTRL => o.quote = Quote::Literal,
            x if x == c(b'c') => {
                o.time = TimeSel::C;
                o.time_given = true;
            }
            x if x == c(b'u') => {
                o.time = TimeSel::A;
                o.time_given = true;
            }
            x if x == c(b't') => {
                o.t = true;
                o.ss = false;
                o.u_none = false;
            }
            x if x == c(b'S') => {
                o.ss = true;
                o.t = false;
                o.u_none = false;
            }
            x if x == c(b'X') => {
                o.xx = true;
                o.u_none = false;
            }
            x if x == c(b'v') => {
                o.v = true;
                o.u_none = false;
            }
            x if x == c(b'U') => {
                o.u_none = true;
                o.t = false;
                o.ss = false;
                o.v = false;
                o.xx = false;
            }
            x if x == c(b'f') => {
                o.a = true;
                o.u_none = true;
                o.t = false;
                o.ss = false;
                o.v = false;
                o.xx = false;
                o.l = false;
                o.n = false;
                o.g = false;
                o.o = false;
                o.s = false;
                o.full_time = false;
                o.color = ColorWhen::Never;
            }
            x if x == c(b'r') => o.r = true,
            x if x == c(b'L') => {
                o.follow = true;
                o.follow_cmd = false;
            }
            x if x == c(b'H') => {
                o.follow_cmd = true;
                o.follow = false;
            }
            x if x == c(b'h') => {
                o.h = true;
                o.size = Size::Bb;
            }
            x if x == c(b'T') => {}
            x if x == c(b'w') => {
                if vb.is_empty() || !vb.iter().all(|b| b.is_ascii_digit()) || vb.len() > 10 {
                    err::report(
                        "ls",
                        &[format!("invalid number '{}'", String::from_utf8_lossy(vb)).as_bytes()],
                    );
                    return 1;
                }
                let w = atoi(vb);
                if w > i32::MAX as i64 {
                    err::report(
                        "ls",
                        &[format!("number {} is not in 0..2147483647 range", w).as_bytes()],
                    );
                    return 1;
                }
                o.width = Some(w as usize);
            }
            x if x == c(b'B') => o.backups = true,
            x if x == c(b'I') => match CString::new(vb) {
                Ok(p) => o.ignore.push(p),
                Err(_) => return bad_arg(vb, "ignore"),
            },
            O_HIDE => match CString::new(vb) {
                Ok(p) => o.hide.push(p),
                Err(_) => return bad_arg(vb, "hide"),
            },
            x if x == c(b'Z') => o.z = true,
            O_FULL_TIME => {
                o.full_time = true;
                o.l = true;
            }
            O_DIRS_FIRST => o.dirs_first = true,
            O_COLOR => {
                o.color = match val {
                    None => ColorWhen::Always,
                    Some(_) if vb.first() == Some(&b'n') => ColorWhen::Never,
                    Some(_) => {
                        const W: &[(&str, u8)] = &[
                            ("always", 0),
                            ("yes", 0),
                            ("force", 0),
                            ("auto", 1),
                            ("tty", 1),
                            ("if-tty", 1),
                        ];
                        // BusyBox: the first word the argument is a prefix of; no match
                        // leaves the default.
                        match W.iter().find(|(w, _)| w.as_bytes().starts_with(vb)) {
                            Some((_, 0)) => ColorWhen::Always,
                            Some(_) => ColorWhen::Auto,
                            None => o.color,
                        }
                    }
                }
            }
            O_SORT => {
                const W: &[(&str, u8)] = &[
                    ("none", 0),
                    ("time", 1),
                    ("size", 2),
                    ("extension", 3),
                    ("version", 4),
                    ("name", 5),
                ];
                let w = match match_word(vb, W) {
                    Some(w) => w,
                    None => return bad_arg(vb, "sort"),
                };
                o.u_none = w == 0;
                o.t = w == 1;
                o.tns = w == 1;
                o.ss = w == 2;
                o.xx = w == 3;
                o.v = w == 4;
            }
            O_TIME => {
                const W: &[(&str, u8)] = &[
                    ("atime", 0),
                    ("access", 0),
                    ("use", 0),
                    ("ctime", 1),
                    ("status", 1),
                    ("mtime", 2),
                    ("modification", 2),
                    ("birth", 3),
                    ("creation", 3),
                ];
                // A GNU-only option: GNU's sort by time counts nanoseconds.
                o.tns = true;
                o.time = match match_word(vb, W) {
                    Some(0) => TimeSel::A,
                    Some(1) => TimeSel::C,
                    Some(2) => TimeSel::M,
                    Some(3) => TimeSel::Birth,
                    _ => return bad_arg(vb, "time"),
                };
            }
            O_TIME_STYLE => {
                let mut s = vb;
                if let Some(rest) = s.strip_prefix(b"posix-") {
                    // GNU: in the POSIX locale a posix- style is the locale's default.
                    if c_time_locale() {
                        s = b"locale";
                    } else {
                        s = rest;
                    }
                }
                o.style = Some(if let Some(f) = s.strip_prefix(b"+") {
                    match f.iter().position(|&b| b == b'\n') {
                        Some(i) => Style::Fmt(f[..i].to_vec(), f[i + 1..].to_vec()),
                        None => Style::Fmt(f.to_vec(), f.to_vec()),
                    }
                } else {
                    match s {
                        b"full-iso" => Style::Fmt(
                            b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
                            b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
                        ),
                        b"long-iso" => {
                            Style::Fmt(b"%Y-%m-%d %H:%M".to_vec(), b"%Y-%m-%d %H:%M".to_vec())
                        }
                        b"iso" => Style::Fmt(b"%Y-%m-%d ".to_vec(), b"%m-%d %H:%M".to_vec()),
                        b"locale" => Style::Bb,
                        _ => return bad_arg(vb, "time-style"),
                    }
                });
            }
            O_SI => {
                o.size = Size::Gnu(1000);
            }
            O_BLOCK_SIZE => match parse_block_size(vb) {
                Some(s) => o.size = s,
                None => {
                    err::report(
                        "ls",
                        &[format!(
                            "invalid --block-size argument '{}'",
                            String::from_utf8_lossy(vb)
                        )
                        .as_bytes()],
                    );
                    return 2;
                }
            },
            O_INDICATOR => {
                const W: &[(&str, u8)] =
                    &[("none", 0), ("slash", 1), ("file-type", 2), ("classify", 3)];
                let i = match match_word(vb, W) {
                    Some(i) => i,
                    None => return bad_arg(vb, "indicator-style"),
                };
                o.ind = Some([Ind::None, Ind::Slash, Ind::FileType, Ind::Classify][i as usize]);
            }
            O_FILE_TYPE => o.ind = Some(Ind::FileType),
            O_CLASSIFY => {
                const W: &[(&str, u8)] = &[
                    ("always", 0),
                    ("yes", 0),
                    ("force", 0),
                    ("never", 1),
                    ("no", 1),
                    ("none", 1),
                    ("auto", 2),
                    ("tty", 2),
                    ("if-tty", 2),
                ];
                let w = match val {
                    None => 0,
                    Some(_) => match match_word(vb, W) {
                        Some(w) => w,
                        None => return bad_arg(vb, "classify"),
                    },
                };
                if w == 0 || (w == 2 && isatty(1)) {
                    o.ff = true;
                    o.ind = None;
                } else {
                    o.ff = false;
                }
            }
            O_FORMAT => {
                const W: &[(&str, u8)] = &[
                    ("across", 0),
                    ("horizontal", 0),
                    ("commas", 1),
                    ("long", 2),
                    ("verbose", 2),
                    ("single-column", 3),
                    ("vertical", 4),
                ];
                let w = match match_word(vb, W) {
                    Some(w) => w,
                    None => return bad_arg(vb, "format"),
                };
                o.x = w == 0;
                o.m = w == 1;
                o.l = w == 2;
                o.one = w == 3;
                o.cc = w == 4;
            }
            _ => {}
        }
    }
    // -d cancels -R; without -l, -c and -u sort by their time.
    if o.d {
        o.rec = false;
    }
    if !o.l && o.time_given && !o.u_none {
        o.t = true;
    }
    if o.quote == Quote::Default {
        o.quote = if isatty(1) { Quote::Bb } else { Quote::Literal };
    }
    if !(o.l || o.one || o.x || o.cc || o.m) {
        if isatty(1) {
            o.cc = true;
        } else {
            o.one = true;
        }
    }
    let tw = terminal_width();
    let width = o.width.unwrap_or(tw - 1);
    let line_len = o.width.unwrap_or(tw);
    // Colours: BusyBox colours a terminal by default unless TERM=dumb or LS_COLORS is set
    // to "" or "none".
    let ls_colors = env_nonempty("LS_COLORS");
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let lsc_ok = match &ls_colors {
        None => true,
        Some(v) => !v.is_empty() && v != b"none",
    };
    let show = match o.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !no_color && !term_dumb() && isatty(1),
        ColorWhen::Default => !no_color && !term_dumb() && lsc_ok && isatty(1),
    };
    let colors = if !show {
        Colors::None
    } else {
        match &ls_colors {
            Some(v) if !v.is_empty() && v != b"none" => match color::Gnu::parse(v) {
                Some(g) => Colors::Gnu(Box::new(g)),
                None => {
                    err::report_msg("ls", "unparsable value for LS_COLORS environment variable");
                    Colors::None
                }
            },
            _ => Colors::Bb,
        }
    };
    let mut ls = Ls {
        o,
        out: Out::stdout(),
        names: Names::new(),
        clock: time::Clock::new(),
        status: 0,
        width,
        line_len,
        colors,
        gnu_color_used: std::cell::Cell::new(false),
        utf8: utf8_locale(),
        dbuf: Vec::new(),
        line: Vec::with_capacity(256),
        active: Vec::new(),
        werr: None,
        ucache: (None, Vec::new()),
        gcache: (None, Vec::new()),
    };
    let dot = std::ffi::OsStr::new(".");
    if operands.is_empty() {
        operands.push(dot);
    }
    ls.run(&operands);
    ls.finish_colors();
    let st = ls.status;
    if let Some(e) = ls.werr.take() {
        let _ = ls.out.flush();
        err::report("ls", &[b"write error", err::reason(&e).as_bytes()]);
        return 1;
    }
    ls.out.finish("ls", st)
}

fn mode_from_dtype(t: u8) -> u32 {
    match t {
        libc::DT_DIR => libc::S_IFDIR,
        libc::DT_REG => libc::S_IFREG,
        libc::DT_LNK => libc::S_IFLNK,
        libc::DT_FIFO => libc::S_IFIFO,
        libc::DT_SOCK => libc::S_IFSOCK,
        libc::DT_CHR => libc::S_IFCHR,
        libc::DT_BLK => libc::S_IFBLK,
        _ => 0,
    }
}

fn is_dir(m: u32) -> bool {
    m & libc::S_IFMT == libc::S_IFDIR
}

fn join(path: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(path.len() + name.len() + 1);
    v.extend_from_slice(path);
    if path.last() != Some(&b'/') {
        v.push(b'/');
    }
    let mut n = name;
    while let Some(r) = n.strip_prefix(b"/") {
        n = r;
    }
    v.extend_from_slice(n);
    v
}

fn errno() -> std::io::Error {
    std::io::Error::last_os_error()
}

/// fstatat into an entry; false with errno set on failure.
fn stat_into(
    e: &mut Ent,
    at: i32,
    cname: *const libc::c_char,
    follow: bool,
    tsel: TimeSel,
) -> bool {
    // SAFETY: st is plain data written by fstatat; cname is NUL-terminated.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    if unsafe { libc::fstatat(at, cname, &mut st, flags) } != 0 {
        return false;
    }
    fill(e, &st, tsel);
    if !follow {
        e.lmode = e.mode;
    }
    if tsel == TimeSel::Birth {
        birth_time(e, at, cname, flags);
    }
    true
}

/// --time=birth: the creation time from statx(2) (raw system call: older musl has no
/// wrapper); the status change time where the file system does not record it.
fn birth_time(e: &mut Ent, at: i32, cname: *const libc::c_char, flags: i32) {
    // SAFETY: stx is plain data the kernel fills; cname is NUL-terminated.
    let mut stx: libc::statx = unsafe { std::mem::zeroed() };
    let r = unsafe {
        libc::syscall(
            libc::SYS_statx,
            at,
            cname,
            flags,
            libc::STATX_BTIME,
            &mut stx as *mut libc::statx,
        )
    };
    if r == 0 && stx.stx_mask & libc::STATX_BTIME != 0 {
        e.sec = stx.stx_btime.tv_sec;
        e.nsec = stx.stx_btime.tv_nsec;
    }
}

#[allow(clippy::unnecessary_cast)] // the field types differ between targets
fn fill(e: &mut Ent, st: &libc::stat, tsel: TimeSel) {
    e.mode = st.st_mode;
    e.ino = st.st_ino;
    e.nlink = st.st_nlink as u64;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    e.size = st.st_size;
    e.blocks = st.st_blocks;
    e.rdev = st.st_rdev;
    let (s, n) = match tsel {
        TimeSel::M => (st.st_mtime, st.st_mtime_nsec),
        TimeSel::A => (st.st_atime, st.st_atime_nsec),
        TimeSel::C | TimeSel::Birth => (st.st_ctime, st.st_ctime_nsec),
    };
    e.sec = s;
    e.nsec = n as u32;
}

/// Bytes of the name at `e` in `arena`.
fn nm<'a>(arena: &'a [u8], e: &Ent) -> &'a [u8] {
    &arena[e.off as usize..(e.off + e.len) as usize]
}

struct Listing<'a> {
    arena: &'a [u8],
    /// Directory fd the names are relative to, or AT_FDCWD for operands.
    at: i32,
    /// The directory's path (for messages), None for operands.
    path: Option<&'a [u8]>,
}

impl Ls {
    /// Reports `obj: reason` after what is already listed (BusyBox flushes stdout first).
    fn flush_keep(&mut self) {
        if let Err(e) = self.out.flush() {
            self.werr.get_or_insert(e);
        }
    }

    fn fail(&mut self, obj: &[u8], e: &std::io::Error) {
        self.flush_keep();
        err::report_os("ls", obj, e);
        self.status = 1;
    }

    fn stat_need(&self) -> bool {
        let o = &self.o;
        o.l || o.s || o.i || o.t || o.ss || o.follow || matches!(self.colors, Colors::Gnu(_))
    }

    fn indicator(&self) -> Ind {
        if let Some(i) = self.o.ind {
            return i;
        }
        if self.o.ff {
            Ind::Classify
        } else if self.o.p {
            Ind::Slash
        } else {
            Ind::None
        }
    }

    fn run(&mut self, operands: &[&std::ffi::OsStr]) {
        let follow_cmd = !(self.o.l || self.o.i || self.o.s || self.o.ff) || self.o.follow_cmd;
        let mut arena: Vec<u8> = Vec::new();
        let mut ents: Vec<Ent> = Vec::new();
        for op in operands {
            let b = op.as_bytes();
            let off = arena.len() as u32;
            arena.extend_from_slice(b);
            arena.push(0);
            let mut e = Ent {
                off,
                len: b.len() as u32,
                ..Ent::default()
            };
            let follow = self.o.follow || follow_cmd;
            let p = arena[off as usize..].as_ptr().cast();
            if !stat_into(&mut e, libc::AT_FDCWD, p, follow, self.o.time) {
                let er = errno();
                self.fail(b, &er);
                arena.truncate(off as usize);
                continue;
            }
            ents.push(e);
        }
        if ents.is_empty() {
            return;
        }
        let show_dirname = operands.len() > 1;
        let lst = Listing {
            arena: &arena,
            at: libc::AT_FDCWD,
            path: None,
        };
        if self.o.d {
            self.sort(&mut ents, &arena);
            self.display(&ents, &lst);
            return;
        }
        let mut files: Vec<Ent> = ents.iter().filter(|e| !is_dir(e.mode)).copied().collect();
        let mut dirs: Vec<Ent> = ents.iter().filter(|e| is_dir(e.mode)).copied().collect();
        if !files.is_empty() {
            self.sort(&mut files, &arena);
            self.display(&files, &lst);
        }
        if !dirs.is_empty() {
            self.sort(&mut dirs, &arena);
            let paths: Vec<Vec<u8>> = dirs.iter().map(|e| nm(&arena, e).to_vec()).collect();
            self.dirs(paths, files.is_empty(), show_dirname);
        }
    }

    fn dirs(&mut self, paths: Vec<Vec<u8>>, mut first: bool, show: bool) {
        for path in paths {
            if show || self.o.rec {
                if !first {
                    self.out.byte(b'\n');
                }
                first = false;
                self.out.put(&path);
                self.out.put(b":\n");
            }
            self.one_dir(&path);
        }
    }

    fn one_dir(&mut self, path: &[u8]) {
        let mut arena: Vec<u8> = Vec::new();
        let mut ents: Vec<Ent> = Vec::new();
        let cpath = match CString::new(path) {
            Ok(c) => c,
            Err(_) => return,
        };
        // SAFETY: cpath is NUL-terminated.
        let fd = unsafe {
            libc::open(
                cpath.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        let mut key = None;
        if fd < 0 {
            let e = errno();
            let mut msg = b"can't open '".to_vec();
            msg.extend_from_slice(path);
            msg.push(b'\'');
            self.fail(&msg, &e);
        } else {
            if self.o.follow && self.o.rec {
                let mut st: libc::stat = unsafe { std::mem::zeroed() };
                // SAFETY: fd is open; st is plain data.
                if unsafe { libc::fstat(fd, &mut st) } == 0 {
                    let k = (st.st_dev, st.st_ino);
                    if self.active.contains(&k) {
                        let mut msg = path.to_vec();
                        msg.extend_from_slice(b": not listing already-listed directory");
                        self.flush_keep();
                        err::report("ls", &[&msg]);
                        self.status = 1;
                        // SAFETY: fd is ours.
                        unsafe { libc::close(fd) };
                        return;
                    }
                    self.active.push(k);
                    key = Some(k);
                }
            }
            self.read_dir(fd, path, &mut arena, &mut ents);
        }
        let lst = Listing {
            arena: &arena,
            at: if fd >= 0 { fd } else { libc::AT_FDCWD },
            path: Some(path),
        };
        if self.o.l || self.o.s {
            self.total(&ents);
        }
        if !ents.is_empty() {
            self.sort(&mut ents, &arena);
            self.display(&ents, &lst);
        }
        if fd >= 0 {
            // SAFETY: fd is ours.
            unsafe { libc::close(fd) };
        }
        if self.o.rec && !ents.is_empty() {
            let subs: Vec<Vec<u8>> = ents
                .iter()
                .filter(|e| {
                    let n = nm(&arena, e);
                    is_dir(e.mode) && n != b"." && n != b".."
                })
                .map(|e| join(path, nm(&arena, e)))
                .collect();
            drop(ents);
            drop(arena);
            if !subs.is_empty() {
                self.dirs(subs, false, true);
            }
        }
        if let Some(k) = key {
            self.active.retain(|x| *x != k);
        }
    }

    fn keep(&self, name: &[u8]) -> bool {
        let o = &self.o;
        if name.first() == Some(&b'.') {
            if !(o.a || o.aa) {
                return false;
            }
            if !o.a && (name == b"." || name == b"..") {
                return false;
            }
        }
        if o.backups && name.last() == Some(&b'~') {
            return false;
        }
        if !o.ignore.is_empty() || !(o.hide.is_empty() || o.a || o.aa) {
            let cn = match CString::new(name) {
                Ok(c) => c,
                Err(_) => return true,
            };
            let pats = o.ignore.iter().chain(if o.a || o.aa {
                [].iter()
            } else {
                o.hide.iter()
            });
            for p in pats {
                // SAFETY: both are NUL-terminated.
                if unsafe { fnmatch(p.as_ptr(), cn.as_ptr(), FNM_PERIOD) } == 0 {
                    return false;
                }
            }
        }
        true
    }

    fn read_dir(&mut self, fd: i32, path: &[u8], arena: &mut Vec<u8>, ents: &mut Vec<Ent>) {
        if self.dbuf.len() < 64 * 1024 {
            self.dbuf = vec![0u8; 64 * 1024];
        }
        let need_stat = self.stat_need();
        let ind = self.indicator();
        let bb_color = matches!(self.colors, Colors::Bb);
        let need_type = self.o.rec || ind != Ind::None || bb_color || self.o.dirs_first;
        let mut buf = std::mem::take(&mut self.dbuf);
        loop {
            // SAFETY: buf is writable for its length.
            let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
            if n <= 0 {
                if n < 0 {
                    let e = errno();
                    self.fail(path, &e);
                }
                break;
            }
            let n = n as usize;
            let mut pos = 0;
            while pos + 19 <= n {
                let reclen = u16::from_ne_bytes([buf[pos + 16], buf[pos + 17]]) as usize;
                if reclen == 0 || pos + reclen > n {
                    break;
                }
                let dtype = buf[pos + 18];
                let ino = u64::from_ne_bytes(buf[pos..pos + 8].try_into().unwrap_or([0; 8]));
                let rec = &buf[pos + 19..pos + reclen];
                let nlen = rec.iter().position(|&b| b == 0).unwrap_or(rec.len());
                let name = &rec[..nlen];
                pos += reclen;
                if !self.keep(name) {
                    continue;
                }
                let off = arena.len() as u32;
                arena.extend_from_slice(name);
                arena.push(0);
                let mut e = Ent {
                    off,
                    len: nlen as u32,
                    ino,
                    mode: mode_from_dtype(dtype),
                    ..Ent::default()
                };
                if !self.o.follow {
                    e.lmode = e.mode;
                }
                let want = need_stat
                    || (need_type && e.mode == 0)
                    || (e.mode == libc::S_IFREG && (ind == Ind::Classify || bb_color));
                if want {
                    let p = arena[off as usize..].as_ptr().cast();
                    if !stat_into(&mut e, fd, p, self.o.follow, self.o.time) {
                        let er = errno();
                        self.fail(&join(path, name), &er);
                        arena.truncate(off as usize);
                        continue;
                    }
                }
                ents.push(e);
            }
        }
        self.dbuf = buf;
    }

    fn sort(&self, ents: &mut [Ent], arena: &[u8]) {
        let o = &self.o;
        if o.u_none {
            return;
        }
        let by_name = !(o.dirs_first || o.ss || o.t || o.v || o.xx);
        if by_name {
            if o.r {
                ents.sort_unstable_by(|a, b| nm(arena, b).cmp(nm(arena, a)));
            } else {
                ents.sort_unstable_by(|a, b| nm(arena, a).cmp(nm(arena, b)));
            }
            return;
        }
        ents.sort_unstable_by(|a, b| {
            let ord = self.cmp(a, b, arena);
            if o.r {
                ord.reverse()
            } else {
                ord
            }
        });
    }

    fn cmp(&self, a: &Ent, b: &Ent, arena: &[u8]) -> Ordering {
        let o = &self.o;
        if o.dirs_first {
            let d = is_dir(b.mode).cmp(&is_dir(a.mode));
            if d != Ordering::Equal {
                return d;
            }
        }
        let (na, nb) = (nm(arena, a), nm(arena, b));
        let d = if o.ss {
            b.size.cmp(&a.size)
        } else if o.t {
            if o.tns {
                (b.sec, b.nsec).cmp(&(a.sec, a.nsec))
            } else {
                b.sec.cmp(&a.sec)
            }
        } else if o.v {
            util::verscmp(na, nb)
        } else if o.xx {
            let ea = na
                .iter()
                .position(|&c| c == b'.')
                .map_or(&[][..], |i| &na[i..]);
            let eb = nb
                .iter()
                .position(|&c| c == b'.')
                .map_or(&[][..], |i| &nb[i..]);
            ea.cmp(eb)
        } else {
            Ordering::Equal
        };
        d.then_with(|| na.cmp(nb))
    }

    fn total(&mut self, ents: &[Ent]) {
        let sum: u64 = ents.iter().map(|e| e.blocks.max(0) as u64).sum();
        let mut s = b"total ".to_vec();
        match self.o.size {
            Size::Bb => {
                let h = util::bb_human(((sum + 1) >> 1) * 1024, false);
                s.extend_from_slice(format!("{h:<7}").as_bytes());
            }
            Size::Gnu(base) => s.extend_from_slice(util::gnu_human(sum * 512, base).as_bytes()),
            Size::Block(bs, sfx) => {
                s.extend_from_slice((sum * 512).div_ceil(bs).to_string().as_bytes());
                s.extend_from_slice(sfx.as_bytes());
            }
            Size::Plain => s.extend_from_slice(((sum + 1) >> 1).to_string().as_bytes()),
        }
        s.push(b'\n');
        self.out.put(&s);
    }

    /// The display form of a name (quoting per mode) into `buf`; returns its width.
    fn quote(&self, name: &[u8], buf: &mut Vec<u8>) -> usize {
        match self.o.quote {
            Quote::Literal => {
                buf.extend_from_slice(name);
                // Columns: one per character, not per UTF-8 continuation byte.
                name.iter().filter(|&&b| b & 0xc0 != 0x80).count()
            }
            Quote::Bb | Quote::Default => bb_printable(name, buf),
            Quote::BbQ => {
                let mut tmp = Vec::with_capacity(name.len());
                let w = bb_printable(name, &mut tmp);
                buf.push(b'"');
                let mut extra = 2;
                for &b in &tmp {
                    if b == b'"' || b == b'\\' {
                        buf.push(b'\\');
                        extra += 1;
                    }
                    buf.push(b);
                }
                buf.push(b'"');
                w + extra
            }
            Quote::Hide => gnu_quote(name, buf, false, self.utf8),
            Quote::Escape => gnu_quote(name, buf, true, self.utf8),
        }
    }

    fn append_char(&self, mode: u32) -> Option<u8> {
        let ind = self.indicator();
        if ind == Ind::None {
            return None;
        }
        let fmt = mode & libc::S_IFMT;
        if fmt == libc::S_IFDIR {
            return Some(b'/');
        }
        if ind == Ind::Slash {
            return None;
        }
        if fmt == libc::S_IFREG && mode & 0o111 != 0 {
            return (ind == Ind::Classify).then_some(b'*');
        }
        match fmt {
            libc::S_IFIFO => Some(b'|'),
            libc::S_IFLNK => Some(b'@'),
            libc::S_IFSOCK => Some(b'='),
            _ => None,
        }
    }

    fn target_mode(&self, at: i32, cname: *const libc::c_char) -> u32 {
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: cname is NUL-terminated, st plain data.
        if unsafe { libc::fstatat(at, cname, &mut st, 0) } == 0 {
            st.st_mode
        } else {
            0
        }
    }

    fn lstat_mode(&self, at: i32, cname: *const libc::c_char) -> u32 {
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        if unsafe { libc::fstatat(at, cname, &mut st, libc::AT_SYMLINK_NOFOLLOW) } == 0 {
            st.st_mode
        } else {
            0
        }
    }

    fn color_start(
        &mut self,
        line: &mut Vec<u8>,
        name: &[u8],
        mode: u32,
        nlink: u64,
        link_ok: bool,
        missing: bool,
    ) -> bool {
        match &self.colors {
            Colors::None => false,
            Colors::Bb => {
                let (a, f) = color::bb(mode);
                line.extend_from_slice(b"\x1b[");
                time::push_pad(line, i64::from(a), 0, b' ');
                line.push(b';');
                time::push_pad(line, i64::from(f), 0, b' ');
                line.push(b'm');
                true
            }
            Colors::Gnu(g) => {
                let seq = match g.pick(name, mode, link_ok, nlink, missing) {
                    Some(s) => s,
                    None => return false,
                };
                let lc = g.ind[color::LC].as_deref().unwrap_or(b"");
                let rc = g.ind[color::RC].as_deref().unwrap_or(b"");
                if !self.gnu_color_used.replace(true) {
                    match &g.ind[color::EC] {
                        Some(ec) => line.extend_from_slice(ec),
                        None => {
                            line.extend_from_slice(lc);
                            line.extend_from_slice(g.ind[color::RS].as_deref().unwrap_or(b""));
                            line.extend_from_slice(rc);
                        }
                    }
                }
                line.extend_from_slice(lc);
                line.extend_from_slice(seq);
                line.extend_from_slice(rc);
                true
            }
        }
    }

    fn color_end(&self, line: &mut Vec<u8>) {
        match &self.colors {
            Colors::None => {}
            Colors::Bb => line.extend_from_slice(b"\x1b[m"),
            Colors::Gnu(g) => match &g.ind[color::EC] {
                Some(ec) => line.extend_from_slice(ec),
                None => {
                    line.extend_from_slice(g.ind[color::LC].as_deref().unwrap_or(b""));
                    line.extend_from_slice(g.ind[color::RS].as_deref().unwrap_or(b""));
                    line.extend_from_slice(g.ind[color::RC].as_deref().unwrap_or(b""));
                }
            },
        }
    }

    fn finish_colors(&mut self) {
        if let Colors::Gnu(g) = &self.colors {
            if self.gnu_color_used.get() {
                let lc = g.ind[color::LC].as_deref().unwrap_or(b"");
                let rc = g.ind[color::RC].as_deref().unwrap_or(b"");
                if !(lc == b"\x1b[" && rc == b"m") {
                    let mut v = lc.to_vec();
                    v.extend_from_slice(rc);
                    self.out.put(&v);
                }
            }
        }
    }

    fn size_str(&self, v: u64, line: &mut Vec<u8>, plain_w: usize) {
        let s = match self.o.size {
            Size::Plain => {
                time::push_pad(line, v as i64, plain_w, b' ');
                line.push(b' ');
                return;
            }
            Size::Bb => util::bb_human(v, true),
            Size::Gnu(base) => util::gnu_human(v, base),
            Size::Block(bs, sfx) => {
                let mut s = v.div_ceil(bs).to_string();
                s.push_str(sfx);
                s
            }
        };
        let w = if matches!(self.o.size, Size::Block(..)) {
            plain_w
        } else {
            7
        };
        for _ in s.len()..w {
            line.push(b' ');
        }
        line.extend_from_slice(s.as_bytes());
        line.push(b' ');
    }

    /// One entry as BusyBox's display_single prints it; returns the columns used.
    fn single(&mut self, e: &Ent, lst: &Listing, line: &mut Vec<u8>) -> usize {
        let name = nm(lst.arena, e);
        let cname: *const libc::c_char = lst.arena[e.off as usize..].as_ptr().cast();
        let mut column = 0usize;
        let o_l = self.o.l;
        let is_link = e.mode & libc::S_IFMT == libc::S_IFLNK;
        let mut target: Option<Vec<u8>> = None;
        if o_l && is_link {
            let mut buf = vec![0u8; 256];
            loop {
                // SAFETY: buf is writable for its length; cname NUL-terminated.
                let n =
                    unsafe { libc::readlinkat(lst.at, cname, buf.as_mut_ptr().cast(), buf.len()) };
                if n < 0 {
                    let er = errno();
                    let full = match lst.path {
                        Some(p) => join(p, name),
                        None => name.to_vec(),
                    };
                    let mut m = full;
                    m.extend_from_slice(b": cannot read link");
                    self.flush_keep();
                    err::report_os("ls", &m, &er);
                    break;
                }
                let n = n as usize;
                if n < buf.len() {
                    buf.truncate(n);
                    target = Some(buf);
                    break;
                }
                let l = buf.len() * 2;
                buf.resize(l, 0);
            }
        }
        let start = line.len();
        if self.o.i {
            time::push_pad(line, e.ino as i64, 7, b' ');
            line.push(b' ');
        }
        if self.o.s {
            match self.o.size {
                Size::Gnu(_) | Size::Block(..) => {
                    let v = e.blocks.max(0) as u64 * 512;
                    let s = match self.o.size {
                        Size::Gnu(base) => util::gnu_human(v, base),
                        Size::Block(bs, sfx) => format!("{}{}", v.div_ceil(bs), sfx),
                        _ => String::new(),
                    };
                    for _ in s.len()..6 {
                        line.push(b' ');
                    }
                    line.extend_from_slice(s.as_bytes());
                    line.push(b' ');
                }
                _ => {
                    time::push_pad(line, e.blocks.max(0) >> 1, 6, b' ');
                    line.push(b' ');
                }
            }
        }
        if self.o.z && !o_l {
            line.extend_from_slice(b"? ");
        }
        if o_l {
            mode_string(e.mode, line);
            line.push(b' ');
            time::push_pad(line, e.nlink as i64, 4, b' ');
            line.push(b' ');
            let show_owner = !self.o.g;
            let show_group = !(self.o.o || self.o.gg);
            if self.o.n {
                if show_owner {
                    let start = line.len();
                    time::push_pad(line, i64::from(e.uid), 0, b' ');
                    pad_to(line, start, 8);
                }
                if show_group {
                    let start = line.len();
                    time::push_pad(line, i64::from(e.gid), 0, b' ');
                    pad_to(line, start, 8);
                }
            } else {
                if show_owner {
                    if self.ucache.0 != Some(e.uid) {
                        let n = match self.names.user(e.uid) {
                            Some(n) => n.to_vec(),
                            None => e.uid.to_string().into_bytes(),
                        };
                        self.ucache = (Some(e.uid), n);
                    }
                    pad_right(line, &self.ucache.1, 8, 8);
                }
                if show_group {
                    if self.gcache.0 != Some(e.gid) {
                        let n = match self.names.group_name(e.gid) {
                            Some(n) => n.to_vec(),
                            None => e.gid.to_string().into_bytes(),
                        };
                        self.gcache = (Some(e.gid), n);
                    }
                    pad_right(line, &self.gcache.1, 8, 8);
                }
            }
            if self.o.z {
                line.extend_from_slice(b"? ");
            }
            let fmt = e.mode & libc::S_IFMT;
            if fmt == libc::S_IFBLK || fmt == libc::S_IFCHR {
                time::push_pad(line, libc::major(e.rdev) as i64, 4, b' ');
                line.extend_from_slice(b", ");
                time::push_pad(line, libc::minor(e.rdev) as i64, 3, b' ');
                line.push(b' ');
            } else {
                self.size_str(e.size.max(0) as u64, line, 9);
            }
            self.date(e, line);
        }
        column += line.len() - start;
        // The name, coloured by its lstat mode.
        let colored = if matches!(self.colors, Colors::None) {
            false
        } else {
            let mut lm = e.lmode;
            if lm == 0 {
                lm = self.lstat_mode(lst.at, cname);
            }
            let (link_ok, missing) = if lm & libc::S_IFMT == libc::S_IFLNK {
                match &self.colors {
                    Colors::Gnu(g) if g.link_target || g.is_set(color::OR) => {
                        let tm = self.target_mode(lst.at, cname);
                        if g.link_target && tm != 0 {
                            lm = tm;
                        }
                        (tm != 0, false)
                    }
                    _ => (true, false),
                }
            } else {
                (true, false)
            };
            self.color_start(line, name, lm, e.nlink, link_ok, missing)
        };
        column += self.quote(name, line);
        if colored {
            self.color_end(line);
        }
        let mut append = self.append_char(e.mode);
        if let Some(t) = target {
            line.extend_from_slice(b" -> ");
            let want_mode = self.indicator() != Ind::None || !matches!(self.colors, Colors::None);
            let mut colored = false;
            if want_mode {
                // GNU stats a link target for its colour only when LS_COLORS needs it.
                let gnu_skip = match &self.colors {
                    Colors::Gnu(g) => {
                        !(g.link_target
                            || g.is_set(color::OR)
                            || g.is_set(color::MI)
                            || matches!(self.indicator(), Ind::FileType | Ind::Classify))
                    }
                    _ => false,
                };
                let tm = if gnu_skip {
                    0
                } else {
                    self.target_mode(lst.at, cname)
                };
                append = self.append_char(tm);
                let missing = tm == 0;
                colored = match &self.colors {
                    Colors::None => false,
                    Colors::Bb => self.color_start(line, &t, tm, 1, true, false),
                    Colors::Gnu(_) => self.color_start(line, &t, tm, 1, !missing, missing),
                };
            }
            column += self.quote(&t, line) + 4;
            if colored {
                self.color_end(line);
            }
        }
        if let Some(a) = append {
            line.push(a);
            column += 1;
        }
        column
    }

    fn date(&mut self, e: &Ent, line: &mut Vec<u8>) {
        match &self.o.style {
            Some(Style::Fmt(old, recent)) => {
                let f = if time::gnu_recent(self.clock.now, e.sec) {
                    recent
                } else {
                    old
                };
                time::strftime(line, f, e.sec, e.nsec);
                line.push(b' ');
            }
            _ => {
                let tm = self.clock.local(e.sec);
                if self.o.full_time {
                    time::bb_full(line, &tm);
                } else {
                    time::bb_date(line, &tm, time::bb_recent(self.clock.now, e.sec));
                }
            }
        }
    }

    /// Width of a name as the column layout counts it (BusyBox: the quoted name only).
    fn name_width(&self, name: &[u8], scratch: &mut Vec<u8>) -> usize {
        scratch.clear();
        self.quote(name, scratch)
    }

    fn display(&mut self, ents: &[Ent], lst: &Listing) {
        let mut line = std::mem::take(&mut self.line);
        if self.o.m && !self.o.l {
            self.commas(ents, lst, &mut line);
            self.line = line;
            return;
        }
        let one = self.o.l || self.o.one;
        if one {
            for e in ents {
                line.clear();
                self.single(e, lst, &mut line);
                line.push(b'\n');
                self.out.put(&line);
            }
            self.line = line;
            return;
        }
        let mut scratch = Vec::new();
        let mut cw = 0usize;
        for e in ents {
            cw = cw.max(self.name_width(nm(lst.arena, e), &mut scratch));
        }
        cw += 2
            + if self.o.z { 2 } else { 0 }
            + if self.o.i { 8 } else { 0 }
            + if self.o.s { 5 } else { 0 };
        let (rows, cols) = layout(ents.len(), cw, self.width);
        for row in 0..rows {
            line.clear();
            let mut column: usize = 0;
            let mut nexttab: usize = 0;
            // Columns past the last name print nothing; do not walk them (-w 2147483647).
            for nc in 0..cols.min(ents.len()) {
                let i = if self.o.x {
                    row * cols + nc
                } else {
                    nc * rows + row
                };
                if i >= ents.len() {
                    continue;
                }
                if column > 0 {
                    let pad = nexttab.wrapping_sub(column) as u32 as i32;
                    line.extend(std::iter::repeat_n(b' ', pad.unsigned_abs() as usize));
                    column = nexttab;
                }
                nexttab = column.wrapping_add(cw);
                let w = self.single(&ents[i], lst, &mut line);
                column = column.wrapping_add(w);
            }
            line.push(b'\n');
            self.out.put(&line);
        }
        self.line = line;
    }

    /// GNU's -m: "a, b, c" wrapped before the line length.
    fn commas(&mut self, ents: &[Ent], lst: &Listing, line: &mut Vec<u8>) {
        let mut pos = 0usize;
        let ll = self.line_len;
        for (idx, e) in ents.iter().enumerate() {
            line.clear();
            let w = self.single(e, lst, line);
            if idx != 0 {
                if ll == 0 || pos + w + 2 < ll {
                    pos += 2;
                    self.out.put(b", ");
                } else {
                    pos = 0;
                    self.out.put(b",\n");
                }
            }
            self.out.put(line);
            pos += w;
        }
        if !ents.is_empty() {
            self.out.byte(b'\n');
        }
    }
}

/// For the fuzz target (applets/ls/fuzz): every parser of untrusted bytes, none may panic.
#[doc(hidden)]
pub fn fuzz_parse(data: &[u8]) {
    if let Some(g) = color::Gnu::parse(data) {
        for mode in [
            0,
            libc::S_IFREG | 0o4755,
            libc::S_IFDIR | 0o1777,
            libc::S_IFLNK | 0o777,
            libc::S_IFIFO,
        ] {
            let _ = g.pick(data, mode, false, 2, true);
            let _ = g.pick(data, mode, true, 1, false);
        }
    }
    let mut buf = Vec::new();
    let _ = bb_printable(data, &mut buf);
    let _ = gnu_quote(data, &mut buf, true, true);
    let _ = gnu_quote(data, &mut buf, false, false);
    let half = data.len() / 2;
    let _ = util::verscmp(&data[..half], &data[half..]);
    let _ = parse_block_size(data);
}

/// BusyBox's column layout: `cols` names of width `cw` fit in `width`; rows rounded up.
/// Returns (rows, cols).
pub fn layout(n: usize, cw: usize, width: usize) -> (usize, usize) {
    let cols = width.checked_div(cw).unwrap_or(0);
    if cols > 1 {
        (n.div_ceil(cols), cols)
    } else {
        (n, 1)
    }
}

fn pad_to(line: &mut Vec<u8>, start: usize, w: usize) {
    while line.len() - start < w {
        line.push(b' ');
    }
    line.push(b' ');
}

fn pad_right(line: &mut Vec<u8>, s: &[u8], w: usize, max: usize) {
    let s = &s[..s.len().min(max)];
    line.extend_from_slice(s);
    for _ in s.len()..w {
        line.push(b' ');
    }
    line.push(b' ');
}

fn mode_string(mode: u32, line: &mut Vec<u8>) {
    const TYPES: &[u8; 16] = b"?pc?d?b?-?l?s???";
    line.push(TYPES[((mode >> 12) & 15) as usize]);
    for (i, shift) in [6u32, 3, 0].iter().enumerate() {
        let bits = (mode >> shift) & 7;
        line.push(if bits & 4 != 0 { b'r' } else { b'-' });
        line.push(if bits & 2 != 0 { b'w' } else { b'-' });
        let special = mode & (0o4000 >> i) != 0;
        let x = bits & 1 != 0;
        line.push(match (special, x, i) {
            (false, true, _) => b'x',
            (false, false, _) => b'-',
            (true, true, 2) => b't',
            (true, false, 2) => b'T',
            (true, true, _) => b's',
            (true, false, _) => b'S',
        });
    }
}

/// BusyBox's printable form: valid UTF-8 characters U+0020..U+007E and U+00A0..U+02FF as they
/// are, anything else (control characters, invalid bytes, wider characters) as `?`.
fn bb_printable(name: &[u8], buf: &mut Vec<u8>) -> usize {
    if name.iter().all(|&b| (b' '..0x7f).contains(&b)) {
        buf.extend_from_slice(name);
        return name.len();
    }
    let mut w = 0;
    let mut i = 0;
    while i < name.len() {
        let c = name[i];
        if c < 0x80 {
            buf.push(if (b' '..0x7f).contains(&c) { c } else { b'?' });
            i += 1;
            w += 1;
            continue;
        }
        // Leading ones give the length; a stray continuation byte is one bad character.
        let start = i;
        let mut n = 0;
        let mut cc = c;
        while cc & 0x80 != 0 && n < 6 {
            cc <<= 1;
            n += 1;
        }
        i += 1;
        let mut ok = n > 1;
        let mut v: u32 = u32::from(cc) >> n;
        if ok {
            for _ in 1..n {
                match name.get(i) {
                    Some(&b) if b & 0xc0 == 0x80 => {
                        v = (v << 6) | u32::from(b & 0x3f);
                        i += 1;
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        if ok && v > 0x7f && (0xa0..=0x2ff).contains(&v) {
            buf.extend_from_slice(&name[start..i]);
        } else {
            buf.push(b'?');
        }
        w += 1;
    }
    w
}

/// GNU's `-q` (`escape == false`) and `-b` (escape) quoting: what the locale prints as it is,
/// the rest as `?` or C escapes (`\n`, `\ `, `\\`, `\ooo`).
fn gnu_quote(name: &[u8], buf: &mut Vec<u8>, escape: bool, utf8: bool) -> usize {
    let mut w = 0;
    let mut i = 0;
    while i < name.len() {
        let c = name[i];
        if utf8 && c >= 0x80 {
            if let Some(len) = utf8_len(&name[i..]) {
                let s = &name[i..i + len];
                let printable = std::str::from_utf8(s)
                    .ok()
                    .and_then(|s| s.chars().next())
                    .is_some_and(|ch| !ch.is_control());
                if printable {
                    buf.extend_from_slice(s);
                    w += 1;
                    i += len;
                    continue;
                }
            }
        }
        i += 1;
        if (b' '..0x7f).contains(&c) {
            if escape && (c == b'\\' || c == b' ') {
                buf.push(b'\\');
                w += 1;
            }
            buf.push(c);
            w += 1;
            continue;
        }
        if !escape {
            buf.push(b'?');
            w += 1;
            continue;
        }
        let e = match c {
            7 => Some(b'a'),
            8 => Some(b'b'),
            12 => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            11 => Some(b'v'),
            _ => None,
        };
        buf.push(b'\\');
        match e {
            Some(e) => {
                buf.push(e);
                w += 2;
            }
            None => {
                buf.push(b'0' + (c >> 6));
                buf.push(b'0' + ((c >> 3) & 7));
                buf.push(b'0' + (c & 7));
                w += 4;
            }
        }
    }
    w
}

fn utf8_len(s: &[u8]) -> Option<usize> {
    let n = match s[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    if s.len() < n {
        return None;
    }
    std::str::from_utf8(&s[..n]).ok().map(|_| n)
}

const FNM_PERIOD: libc::c_int = 4;
extern "C" {
    fn fnmatch(pat: *const libc::c_char, s: *const libc::c_char, flags: libc::c_int)
        -> libc::c_int;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_layout() {
        // 10 names of width 8 (+2) in 79 columns: 7 columns, 2 rows.
        assert_eq!(layout(10, 10, 79), (2, 7));
        // Too wide for two columns: one per line.
        assert_eq!(layout(3, 50, 79), (3, 1));
        assert_eq!(layout(0, 10, 79), (0, 7));
        assert_eq!(layout(5, 10, 0), (5, 1));
        assert_eq!(layout(7, 10, 30), (3, 3));
    }

    #[test]
    fn mode_strings() {
        let mut v = Vec::new();
        mode_string(libc::S_IFDIR | 0o1777, &mut v);
        assert_eq!(v, b"drwxrwxrwt");
        v.clear();
        mode_string(libc::S_IFREG | 0o6644, &mut v);
        assert_eq!(v, b"-rwSr-Sr--");
        v.clear();
        mode_string(libc::S_IFREG | 0o4755, &mut v);
        assert_eq!(v, b"-rwsr-xr-x");
    }

    #[test]
    fn printable_names() {
        let mut v = Vec::new();
        assert_eq!(bb_printable(b"a\nb", &mut v), 3);
        assert_eq!(v, b"a?b");
        v.clear();
        assert_eq!(bb_printable("é\u{ff}\u{2603}".as_bytes(), &mut v), 3);
        assert_eq!(v, "é\u{ff}?".as_bytes());
        v.clear();
        bb_printable(b"\xff\xfe\xc3", &mut v);
        assert_eq!(v, b"???");
        v.clear();
        gnu_quote(b"a b\n\\\x7f", &mut v, true, false);
        assert_eq!(v, b"a\\ b\\n\\\\\\177");
    }

    #[test]
    fn block_sizes() {
        assert!(matches!(
            parse_block_size(b"K"),
            Some(Size::Block(1024, "K"))
        ));
        assert!(matches!(
            parse_block_size(b"1M"),
            Some(Size::Block(1_048_576, ""))
        ));
        assert!(matches!(
            parse_block_size(b"KB"),
            Some(Size::Block(1000, "kB"))
        ));
        assert!(parse_block_size(b"0").is_none());
        assert!(parse_block_size(b"Q").is_none());
    }
}
