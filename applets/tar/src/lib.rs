//! tar: create, extract and list archives (ustar, pax, GNU, v7), gzip/bzip2/xz/lzma/zstd
//! in-process.
//!
//! Reference: BusyBox tar for its options, output and messages (`tv` prints seconds, a hard
//! link lists as `-> target`); GNU tar for the options only it has (`--exclude` matching,
//! `--sort=name`, `--owner`, `--mode`, `--mtime`, `--format=gnu`, `--zstd`).
//!
//! Written format: ustar, with a pax extended header (`x`) only for a member ustar cannot
//! hold (name over 256 bytes or not splittable, link target over 100, size of 8 GiB or more,
//! ids over 2097151, times before 1970 or after 2242, long user or group names). GNU tar,
//! bsdtar and BusyBox all read this; `--format=gnu` writes GNU `L`/`K` long names and
//! base-256 numbers instead, `--format=ustar` refuses what ustar cannot hold.
//! Archives are padded to GNU's 10240-byte records. A file with holes (SEEK_DATA/SEEK_HOLE)
//! is stored sparse without asking: pax sparse 1.0 (GNU's `--sparse-version=1.0`, read by
//! GNU tar and bsdtar), old GNU `S` headers with `--format=gnu`. Compression and
//! decompression run on a second thread, as GNU tar's compressor child runs beside it.
//!
//! Listing: `tv` uses the names stored in the archive even with `--numeric-owner`, and
//! `cvv` prints names only, as BusyBox does.
//!
//! Deviations: a member name with a `..` component is skipped with a warning and exit 1
//! (GNU's rule; BusyBox strips the prefix instead). A wildcard operand that matched members
//! is not reported "not found in archive" (BusyBox 1.35 does, looking the operand up among
//! the matched names); every operand that matched nothing is reported, not only the first.
//! Directory times are restored after their contents (BusyBox leaves them at "now").
//! `RBOX_TAR_NO_OPENAT2=1` forces the openat2-less resolver (for tests of old kernels).

mod create;
mod extract;
mod header;
mod io;
mod read;

use crate::io::{Comp, Input, Output};
use rbox_common::err;
use rbox_common::getopt::{Getopt, HasArg, Item, LongOpt};
use rbox_common::io::Out;
use std::ffi::{CString, OsStr, OsString};
use std::io::Write as _;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

const A: &str = "tar";

pub const USAGE: &str =
    "c|x|t [-zjJaOvkmophvv] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...

Create, extract or list files from a tar archive

\tc\tCreate an archive
\tx\tExtract from an archive
\tt\tList the contents of an archive
\t-f FILE\tArchive file ('-' for stdin or stdout)
\t-C DIR\tChange to DIR first (when creating, also between FILEs)
\t-v\tVerbose: list names (-vv or tv: long listing)
\t-O\tExtract file contents to stdout
\t-k\tKeep existing files: do not replace them
\t-m\tDo not restore modification times
\t-o\tDo not restore owners
\t-p\tRestore permissions exactly (the default for root)
\t-h\tArchive what symlinks point to
\t-T FILE\tRead names to archive or extract from FILE
\t-X FILE\tRead exclusion patterns from FILE
\t-z\tgzip compression
\t-j\tbzip2 compression
\t-J\txz compression
\t-a\tCompression from the archive's suffix
\t--zstd\tzstd compression
\t--lzma\tlzma compression
\t--exclude PATTERN\tSkip names matching PATTERN
\t--overwrite\tOverwrite existing files in place
\t--strip-components N\tDrop N leading name components when extracting
\t--no-recursion\tDo not descend into directories
\t--numeric-owner\tUse numeric ids, not user and group names
\t--same-owner\tRestore owners (the default for root)
\t--no-same-permissions\tApply the umask, drop setuid and setgid bits
\t--to-command CMD\tPipe each file to CMD (TAR_* in its environment)
\t--owner NAME[:ID]\tOwner of members when creating
\t--group NAME[:ID]\tGroup of members when creating
\t--mode MODE\tMode of members when creating (chmod style)
\t--mtime DATE\tModification time of members when creating (@SECS, date or file)
\t--sort=name\tArchive directory contents in name order
\t--format FMT\tpax (default), ustar or gnu
\t--xattrs\tArchive and restore extended attributes (pax records)
\t--no-overwrite-dir\tKeep the mode and times of existing directories
\t-S\tAccepted: files with holes are always archived sparse
\t--version\tPrint version";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Pax,
    Ustar,
    Gnu,
}

pub enum Op {
    Chdir(Vec<u8>),
    Name(Vec<u8>),
}

pub struct Opts {
    pub verbose: u8,
    pub to_stdout: bool,
    pub keep_old: bool,
    pub overwrite: bool,
    pub no_mtime: bool,
    pub same_owner: Option<bool>,
    pub same_perms: Option<bool>,
    pub numeric_owner: bool,
    pub deref: bool,
    pub no_recursion: bool,
    pub strip: usize,
    pub to_command: Option<OsString>,
    pub owner: Option<(Option<Vec<u8>>, u64)>,
    pub group: Option<(Option<Vec<u8>>, u64)>,
    pub mode: Option<Vec<ModeClause>>,
    pub mtime: Option<i64>,
    pub sort_name: bool,
    pub format: Format,
    pub xattrs: bool,
    pub no_overwrite_dir: bool,
    pub excludes: Vec<Vec<u8>>,
}

impl Opts {
    /// GNU's default exclusion rules: a pattern matches the whole name or any tail of it
    /// after a `/`, wildcards match `/`, and a match on a directory covers what it holds.
    pub fn excluded(&self, name: &[u8]) -> bool {
        if self.excludes.is_empty() {
            return false;
        }
        let name = name.strip_suffix(b"/").unwrap_or(name);
        let Ok(cn) = CString::new(name) else {
            return false;
        };
        for p in &self.excludes {
            let Ok(cp) = CString::new(&p[..]) else {
                continue;
            };
            let mut off = 0;
            loop {
                // SAFETY: both are valid C strings; off is within cn.
                let r =
                    unsafe { libc::fnmatch(cp.as_ptr(), cn.as_ptr().add(off), FNM_LEADING_DIR) };
                if r == 0 {
                    return true;
                }
                match name[off..].iter().position(|&c| c == b'/') {
                    Some(i) => off += i + 1,
                    None => break,
                }
            }
        }
        false
    }

    /// The name a member is extracted under: leading `/` stripped, then `--strip-components`.
    /// None when nothing is left.
    pub fn member_name(&self, name: &[u8]) -> Option<Vec<u8>> {
        let mut n = name;
        while let Some(r) = n.strip_prefix(b"/") {
            n = r;
        }
        for _ in 0..self.strip {
            let i = n.iter().position(|&c| c == b'/')?;
            n = &n[i + 1..];
            while let Some(r) = n.strip_prefix(b"/") {
                n = r;
            }
        }
        if n.is_empty() {
            return None;
        }
        Some(n.to_vec())
    }

    pub fn apply_mode(&self, mode: u32) -> u32 {
        match &self.mode {
            Some(m) => apply_mode_clauses(m, mode),
            None => mode,
        }
    }
}

const FNM_LEADING_DIR: libc::c_int = 0x8;

// ---- --mode ----

#[derive(Clone, Debug)]
pub enum ModeClause {
    Abs(u32),
    Sym {
        who: u32,
        op: u8,
        perm: u32,
        cap_x: bool,
    },
}

fn parse_mode(s: &[u8]) -> Option<Vec<ModeClause>> {
    if !s.is_empty() && s.iter().all(|c| (b'0'..=b'7').contains(c)) {
        let v = u32::from_str_radix(std::str::from_utf8(s).ok()?, 8).ok()?;
        return (v <= 0o7777).then(|| vec![ModeClause::Abs(v)]);
    }
    let mut out = Vec::new();
    for clause in s.split(|&c| c == b',') {
        let mut i = 0;
        let mut who = 0;
        while i < clause.len() && b"ugoa".contains(&clause[i]) {
            who |= match clause[i] {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                _ => 0o7777,
            };
            i += 1;
        }
        if i >= clause.len() {
            return None;
        }
        while i < clause.len() {
            let op = clause[i];
            if !b"+-=".contains(&op) {
                return None;
            }
            i += 1;
            let mut perm = 0;
            let mut cap_x = false;
            while i < clause.len() && b"rwxXst".contains(&clause[i]) {
                perm |= match clause[i] {
                    b'r' => 0o444,
                    b'w' => 0o222,
                    b'x' => 0o111,
                    b'X' => {
                        cap_x = true;
                        0
                    }
                    b's' => 0o6000,
                    _ => 0o1000,
                };
                i += 1;
            }
            out.push(ModeClause::Sym {
                who,
                op,
                perm,
                cap_x,
            });
        }
    }
    Some(out)
}

fn apply_mode_clauses(m: &[ModeClause], mut mode: u32) -> u32 {
    for c in m {
        match *c {
            ModeClause::Abs(v) => mode = v,
            ModeClause::Sym {
                who,
                op,
                perm,
                cap_x,
            } => {
                let who = if who == 0 { 0o7777 } else { who };
                let mut p = perm;
                if cap_x && mode & 0o111 != 0 {
                    p |= 0o111;
                }
                let p = p & who;
                match op {
                    b'+' => mode |= p,
                    b'-' => mode &= !p,
                    _ => mode = (mode & !(who & 0o777)) | p,
                }
            }
        }
    }
    mode & 0o7777
}

// ---- dates (--mtime) ----

fn parse_date(s: &[u8]) -> Option<i64> {
    if let Some(n) = s.strip_prefix(b"@") {
        return std::str::from_utf8(n).ok()?.trim().parse().ok();
    }
    if s.starts_with(b"/") || s.starts_with(b".") {
        let c = CString::new(s).ok()?;
        // SAFETY: valid C string; st written by the kernel.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::stat(c.as_ptr(), &mut st) == 0 {
                return Some(st.st_mtime);
            }
        }
        return None;
    }
    let t = std::str::from_utf8(s).ok()?.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (t, ""),
    };
    let d: Vec<&str> = date.split('-').collect();
    if d.len() != 3 {
        return None;
    }
    let tm_parts: Vec<&str> = if time.is_empty() {
        vec![]
    } else {
        time.split(':').collect()
    };
    if tm_parts.len() > 3 || tm_parts.len() == 1 {
        return None;
    }
    let num = |x: &str| x.parse::<i32>().ok();
    // SAFETY: a zeroed tm is valid; mktime reads and normalizes it.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        tm.tm_year = num(d[0])? - 1900;
        tm.tm_mon = num(d[1])? - 1;
        tm.tm_mday = num(d[2])?;
        if !tm_parts.is_empty() {
            tm.tm_hour = num(tm_parts[0])?;
            tm.tm_min = num(tm_parts[1])?;
            if tm_parts.len() == 3 {
                tm.tm_sec = num(tm_parts[2].split('.').next()?)?;
            }
        }
        tm.tm_isdst = -1;
        let r = libc::mktime(&mut tm);
        Some(r)
    }
}

// ---- listing ----

/// Listing output. As in BusyBox, `--numeric-owner` does not change it: the names stored
/// in the archive are shown, the ids only where no name is stored.
pub struct Listing {
    pub out: Out,
    pub verbose: u8,
}

fn mode_string(kind: u8, mode: u32) -> [u8; 10] {
    let mut s = *b"----------";
    s[0] = match kind {
        header::DIR => b'd',
        header::SYMLINK => b'l',
        header::CHR => b'c',
        header::BLK => b'b',
        header::FIFO => b'p',
        _ => b'-',
    };
    let rwx = b"rwxrwxrwx";
    for i in 0..9 {
        if mode & (0o400 >> i) != 0 {
            s[i + 1] = rwx[i];
        }
    }
    let special = |s: &mut [u8; 10], bit: u32, pos: usize, c: u8| {
        if mode & bit != 0 {
            s[pos] = if s[pos] == b'-' {
                c.to_ascii_uppercase()
            } else {
                c
            };
        }
    };
    special(&mut s, 0o4000, 3, b's');
    special(&mut s, 0o2000, 6, b's');
    special(&mut s, 0o1000, 9, b't');
    s
}

impl Listing {
    pub fn new(out: Out, verbose: u8) -> Listing {
        Listing { out, verbose }
    }

    #[allow(clippy::too_many_arguments)]
    fn long(
        &mut self,
        kind: u8,
        mode: u32,
        user: &[u8],
        uid: u64,
        group: &[u8],
        gid: u64,
        size: u64,
        mtime: i64,
        name: &[u8],
        link: &[u8],
    ) {
        let o = &mut self.out;
        o.put(&mode_string(kind, mode));
        o.byte(b' ');
        if user.is_empty() {
            o.put(uid.to_string().as_bytes());
        } else {
            o.put(user);
        }
        o.byte(b'/');
        if group.is_empty() {
            o.put(gid.to_string().as_bytes());
        } else {
            o.put(group);
        }
        // SAFETY: a zeroed tm is valid; localtime_r fills it.
        let tm = unsafe {
            let mut tm: libc::tm = std::mem::zeroed();
            let t = mtime as _;
            libc::localtime_r(&t, &mut tm);
            tm
        };
        // Written into the buffer directly: no String per line.
        let _ = write!(
            o,
            " {:9} {:04}-{:02}-{:02} {:02}:{:02}:{:02} ",
            size,
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        );
        o.put(name);
        if !link.is_empty() {
            o.put(b" -> ");
            o.put(link);
        }
        o.byte(b'\n');
    }

    /// A member read from an archive, at the given verbosity (1: name, 2: long).
    pub fn entry(&mut self, e: &header::Entry, name: &[u8], level: u8) {
        if level >= 2 {
            let link = if e.kind == header::SYMLINK || e.kind == header::LINK {
                &e.link[..]
            } else {
                b""
            };
            self.long(
                e.kind, e.mode, &e.uname, e.uid, &e.gname, e.gid, e.size, e.mtime, name, link,
            );
        } else {
            self.out.put(name);
            self.out.byte(b'\n');
        }
    }

    /// A member just archived: its name with -v (BusyBox prints names also with -vv).
    pub fn created(&mut self, m: &create::Meta) {
        if self.verbose >= 1 {
            self.out.put(m.name);
            self.out.byte(b'\n');
        }
    }
}

// ---- member operands ----

/// BusyBox's rule: the pattern is matched (fnmatch, no flags) against the name cut after as
/// many components as the pattern has, so `dir` selects everything under `dir/`.
fn member_matches(pat: &[u8], name: &[u8]) -> bool {
    let slashes = pat.iter().filter(|&&c| c == b'/').count();
    let mut seen = 0;
    let mut cut = name.len();
    for (i, &c) in name.iter().enumerate() {
        if c == b'/' {
            if seen == slashes {
                cut = i;
                break;
            }
            seen += 1;
        }
    }
    let (Ok(p), Ok(n)) = (CString::new(pat), CString::new(&name[..cut])) else {
        return false;
    };
    // SAFETY: valid C strings.
    unsafe { libc::fnmatch(p.as_ptr(), n.as_ptr(), 0) == 0 }
}

fn read_list(path: &OsStr) -> std::io::Result<Vec<Vec<u8>>> {
    let data = if path == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v)?;
        v
    } else {
        std::fs::read(path)?
    };
    Ok(data
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| l.to_vec())
        .collect())
}

// ---- options ----

const O_ZSTD: u32 = 256;
const O_LZMA: u32 = 257;
const O_OVERWRITE: u32 = 258;
const O_SAME_OWNER: u32 = 259;
const O_NO_SAME_PERMS: u32 = 260;
const O_NUMERIC: u32 = 261;
const O_EXCLUDE: u32 = 262;
const O_STRIP: u32 = 263;
const O_NO_RECURSION: u32 = 264;
const O_TO_COMMAND: u32 = 265;
const O_OWNER: u32 = 266;
const O_GROUP: u32 = 267;
const O_MODE: u32 = 268;
const O_MTIME: u32 = 269;
const O_SORT: u32 = 270;
const O_FORMAT: u32 = 271;
const O_VERSION: u32 = 272;
const O_RECURSION: u32 = 273;
const O_XATTRS: u32 = 274;
const O_NO_XATTRS: u32 = 275;
const O_NO_OVERWRITE_DIR: u32 = 276;
/// Options whose behaviour is always on here: accepted so GNU-style scripts run.
const O_ALWAYS: u32 = 277;

const SHORT: &str = "cxtf:C:vOkmophT:X:zjJaS";

const LONG: &[LongOpt] = &[
    LongOpt::new("create", HasArg::No, b'c' as u32),
    LongOpt::new("extract", HasArg::No, b'x' as u32),
    LongOpt::new("get", HasArg::No, b'x' as u32),
    LongOpt::new("list", HasArg::No, b't' as u32),
    LongOpt::new("file", HasArg::Required, b'f' as u32),
    LongOpt::new("directory", HasArg::Required, b'C' as u32),
    LongOpt::new("verbose", HasArg::No, b'v' as u32),
    LongOpt::new("to-stdout", HasArg::No, b'O' as u32),
    LongOpt::new("keep-old-files", HasArg::No, b'k' as u32),
    LongOpt::new("touch", HasArg::No, b'm' as u32),
    LongOpt::new("no-same-owner", HasArg::No, b'o' as u32),
    LongOpt::new("same-owner", HasArg::No, O_SAME_OWNER),
    LongOpt::new("same-permissions", HasArg::No, b'p' as u32),
    LongOpt::new("preserve-permissions", HasArg::No, b'p' as u32),
    LongOpt::new("no-same-permissions", HasArg::No, O_NO_SAME_PERMS),
    LongOpt::new("numeric-owner", HasArg::No, O_NUMERIC),
    LongOpt::new("dereference", HasArg::No, b'h' as u32),
    LongOpt::new("files-from", HasArg::Required, b'T' as u32),
    LongOpt::new("exclude-from", HasArg::Required, b'X' as u32),
    LongOpt::new("exclude", HasArg::Required, O_EXCLUDE),
    LongOpt::new("gzip", HasArg::No, b'z' as u32),
    LongOpt::new("gunzip", HasArg::No, b'z' as u32),
    LongOpt::new("bzip2", HasArg::No, b'j' as u32),
    LongOpt::new("xz", HasArg::No, b'J' as u32),
    LongOpt::new("zstd", HasArg::No, O_ZSTD),
    LongOpt::new("lzma", HasArg::No, O_LZMA),
    LongOpt::new("auto-compress", HasArg::No, b'a' as u32),
    LongOpt::new("overwrite", HasArg::No, O_OVERWRITE),
    LongOpt::new("strip-components", HasArg::Required, O_STRIP),
    LongOpt::new("no-recursion", HasArg::No, O_NO_RECURSION),
    LongOpt::new("recursion", HasArg::No, O_RECURSION),
    LongOpt::new("to-command", HasArg::Required, O_TO_COMMAND),
    LongOpt::new("owner", HasArg::Required, O_OWNER),
    LongOpt::new("group", HasArg::Required, O_GROUP),
    LongOpt::new("mode", HasArg::Required, O_MODE),
    LongOpt::new("mtime", HasArg::Required, O_MTIME),
    LongOpt::new("sort", HasArg::Required, O_SORT),
    LongOpt::new("format", HasArg::Required, O_FORMAT),
    LongOpt::new("xattrs", HasArg::No, O_XATTRS),
    LongOpt::new("no-xattrs", HasArg::No, O_NO_XATTRS),
    LongOpt::new("no-overwrite-dir", HasArg::No, O_NO_OVERWRITE_DIR),
    LongOpt::new("version", HasArg::No, O_VERSION),
    // Always on: holes are always detected, directory attributes always set last, existing
    // symlinks to directories always kept; no unknown-keyword warnings to silence.
    LongOpt::new("sparse", HasArg::No, b'S' as u32),
    LongOpt::new("delay-directory-restore", HasArg::No, O_ALWAYS),
    LongOpt::new("keep-directory-symlink", HasArg::No, O_ALWAYS),
    LongOpt::new("warning", HasArg::Required, O_ALWAYS),
    // Member operands are always patterns (BusyBox's rule).
    LongOpt::new("wildcards", HasArg::No, O_ALWAYS),
];

fn takes_arg(c: u8) -> bool {
    matches!(c, b'f' | b'C' | b'T' | b'X')
}

/// `tar xzf F` and `tar cf - dir`: a first argument without a dash is a bundle of letters,
/// each letter that takes an argument consuming the next argument in turn.
fn expand_old_style(args: &[OsString]) -> Vec<OsString> {
    let Some(first) = args.first() else {
        return Vec::new();
    };
    let b = first.as_bytes();
    if b.is_empty() || b[0] == b'-' {
        return args.to_vec();
    }
    let mut out = Vec::new();
    let mut next = 1;
    let mut tail_args = Vec::new();
    for &c in b {
        out.push(OsString::from_vec(vec![b'-', c]));
        if takes_arg(c) {
            if let Some(a) = args.get(next) {
                out.push(a.clone());
                next += 1;
            }
        }
    }
    tail_args.extend_from_slice(&args[next.min(args.len())..]);
    // Operands after the bundle must not be taken for options of the bundle.
    out.extend(tail_args);
    out
}

fn usage_error(msg: &str) -> i32 {
    if !msg.is_empty() {
        err::report_msg(A, msg);
    }
    eprintln!("{USAGE}");
    1
}

fn owner_spec(v: &[u8], group: bool) -> Option<(Option<Vec<u8>>, u64)> {
    let v = v.strip_prefix(b"+").unwrap_or(v);
    let (name, id) = match v.iter().position(|&c| c == b':') {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    if let Some(id) = id {
        return Some((
            Some(name.to_vec()),
            rbox_common::passwd::parse_id(id)?.into(),
        ));
    }
    if let Some(n) = rbox_common::passwd::parse_id(name) {
        return Some((None, n.into()));
    }
    let mut names = rbox_common::passwd::Names::new();
    let id = if group {
        names.gid(name)
    } else {
        names.uid(name)
    }?;
    Some((Some(name.to_vec()), id.into()))
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = expand_old_style(argv.get(1..).unwrap_or(&[]));
    let mut mode = 0u8;
    let mut file: Option<OsString> = None;
    let mut comp: Option<Comp> = None;
    let mut auto = false;
    let mut ops: Vec<Op> = Vec::new();
    let mut from_files: Vec<OsString> = Vec::new();
    let mut o = Opts {
        verbose: 0,
        to_stdout: false,
        keep_old: false,
        overwrite: false,
        no_mtime: false,
        same_owner: None,
        same_perms: None,
        numeric_owner: false,
        deref: false,
        no_recursion: false,
        strip: 0,
        to_command: None,
        owner: None,
        group: None,
        mode: None,
        mtime: None,
        sort_name: false,
        format: Format::Pax,
        xattrs: false,
        no_overwrite_dir: false,
        excludes: Vec::new(),
    };
    for it in Getopt::new(&args, SHORT, LONG) {
        let (c, v) = match it {
            Ok(Item::Opt(c, v)) => (c, v),
            Ok(Item::Operand(p)) => {
                ops.push(Op::Name(p.as_bytes().to_vec()));
                continue;
            }
            Err(e) => return usage_error(&e.to_string()),
        };
        let val = v.unwrap_or_default();
        match c {
            0x63 | 0x78 | 0x74 => {
                let m = c as u8;
                if mode != 0 && mode != m {
                    return usage_error("only one of c, x, t may be given");
                }
                mode = m;
            }
            0x66 => file = Some(val.to_os_string()),
            0x43 => ops.push(Op::Chdir(val.as_bytes().to_vec())),
            0x76 => o.verbose = o.verbose.saturating_add(1),
            0x4f => o.to_stdout = true,
            0x6b => o.keep_old = true,
            0x6d => o.no_mtime = true,
            0x6f => o.same_owner = Some(false),
            0x70 => o.same_perms = Some(true),
            0x68 => o.deref = true,
            0x54 => from_files.push(val.to_os_string()),
            0x58 => match read_list(val) {
                Ok(l) => o.excludes.extend(l),
                Err(e) => {
                    err::report_os(A, val.as_bytes(), &e);
                    return 1;
                }
            },
            0x7a => comp = Some(Comp::Gzip),
            0x6a => comp = Some(Comp::Bzip2),
            0x4a => comp = Some(Comp::Xz),
            0x61 => auto = true,
            O_ZSTD => comp = Some(Comp::Zstd),
            O_LZMA => comp = Some(Comp::Lzma),
            O_OVERWRITE => o.overwrite = true,
            O_SAME_OWNER => o.same_owner = Some(true),
            O_NO_SAME_PERMS => o.same_perms = Some(false),
            O_NUMERIC => o.numeric_owner = true,
            O_EXCLUDE => o.excludes.push(val.as_bytes().to_vec()),
            O_STRIP => match val.to_str().and_then(|s| s.parse().ok()) {
                Some(n) => o.strip = n,
                None => return usage_error(&format!("invalid number '{}'", val.to_string_lossy())),
            },
            O_NO_RECURSION => o.no_recursion = true,
            O_RECURSION => o.no_recursion = false,
            O_TO_COMMAND => o.to_command = Some(val.to_os_string()),
            O_OWNER | O_GROUP => match owner_spec(val.as_bytes(), c == O_GROUP) {
                Some(s) if c == O_OWNER => o.owner = Some(s),
                Some(s) => o.group = Some(s),
                None => {
                    let what = if c == O_OWNER { "user" } else { "group" };
                    err::report(A, &[val.as_bytes(), format!("invalid {what}").as_bytes()]);
                    return 1;
                }
            },
            O_MODE => match parse_mode(val.as_bytes()) {
                Some(m) => o.mode = Some(m),
                None => {
                    err::report(A, &[val.as_bytes(), b"invalid mode"]);
                    return 1;
                }
            },
            O_MTIME => match parse_date(val.as_bytes()) {
                Some(t) => o.mtime = Some(t),
                None => {
                    err::report(A, &[val.as_bytes(), b"invalid date"]);
                    return 1;
                }
            },
            O_SORT => match val.as_bytes() {
                b"name" => o.sort_name = true,
                b"none" => o.sort_name = false,
                _ => {
                    return usage_error(&format!("invalid sort order '{}'", val.to_string_lossy()))
                }
            },
            O_FORMAT => {
                o.format = match val.as_bytes() {
                    b"gnu" | b"oldgnu" => Format::Gnu,
                    b"ustar" => Format::Ustar,
                    b"pax" | b"posix" => Format::Pax,
                    _ => {
                        return usage_error(&format!(
                            "invalid archive format '{}'",
                            val.to_string_lossy()
                        ))
                    }
                }
            }
            O_XATTRS => o.xattrs = true,
            O_NO_XATTRS => o.xattrs = false,
            O_NO_OVERWRITE_DIR => o.no_overwrite_dir = true,
            0x53 | O_ALWAYS => {}
            O_VERSION => {
                let mut out = Out::stdout();
                out.put(concat!("tar (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes());
                return out.finish(A, 0);
            }
            _ => return usage_error("unknown option"),
        }
    }
    for f in &from_files {
        match read_list(f) {
            Ok(l) => ops.extend(l.into_iter().map(Op::Name)),
            Err(e) => {
                err::report_os(A, f.as_bytes(), &e);
                return 1;
            }
        }
    }
    let file = file.filter(|f| f != "-");
    if auto && comp.is_none() {
        if let Some(f) = &file {
            let c = Comp::from_suffix(f.as_bytes());
            if c != Comp::None {
                comp = Some(c);
            }
        }
    }
    match mode {
        b'c' => create(&o, file, comp.unwrap_or(Comp::None), ops),
        b'x' | b't' => read_archive(&o, mode == b'x', file, ops),
        _ => usage_error(""),
    }
}

/// Reads a whole archive from memory the way `tar t` does (every header, every data byte):
/// the entry point of the fuzz target (`applets/tar/fuzz`). Errors are fine; panics,
/// hangs and allocations that follow a size field are not.
pub fn fuzz_read(data: &[u8]) -> usize {
    let src: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(data.to_vec()));
    let Ok(input) = Input::from_read(src, None, false) else {
        return 0;
    };
    let mut r = read::Reader::new(input);
    let mut n = 0;
    while let Ok(Some(e)) = r.next() {
        n += e.name.len() + e.link.len();
        if r.data_to(&mut std::io::sink()).is_err() {
            break;
        }
    }
    n
}

fn chdir(d: &[u8]) -> std::io::Result<()> {
    std::env::set_current_dir(OsStr::from_bytes(d))
}

fn open_file(path: &OsStr, write: bool) -> std::io::Result<i32> {
    let c = CString::new(path.as_bytes())
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let flags = if write {
        libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC
    } else {
        libc::O_RDONLY
    };
    // SAFETY: valid C string; the result is checked.
    let fd = unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, 0o666) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(fd)
}

fn create(o: &Opts, file: Option<OsString>, comp: Comp, ops: Vec<Op>) -> i32 {
    if !ops.iter().any(|op| matches!(op, Op::Name(_))) {
        err::report_msg(A, "empty archive");
        return 1;
    }
    let (fd, owned) = match &file {
        Some(f) => match open_file(f, true) {
            Ok(fd) => (fd, true),
            Err(e) => {
                let mut m = b"can't open '".to_vec();
                m.extend_from_slice(f.as_bytes());
                m.push(b'\'');
                err::report(A, &[&m, err::reason(&e).as_bytes()]);
                return 1;
            }
        },
        None => (1, false),
    };
    // SAFETY: fstat on an open fd into a zeroed struct.
    let archive_id = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        (libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFREG)
            .then_some((st.st_dev, st.st_ino))
    };
    let out = match Output::new(fd, owned, comp) {
        Ok(out) => out,
        Err(e) => {
            err::report_msg(A, &err::reason(&e));
            return 1;
        }
    };
    let list_out = if file.is_none() {
        Out::to_fd(2)
    } else {
        Out::stdout()
    };
    let mut c = create::Creator::new(o, out, Listing::new(list_out, o.verbose));
    c.archive = archive_id;
    let mut fatal = false;
    for op in &ops {
        let r = match op {
            Op::Chdir(d) => chdir(d).inspect_err(|e| {
                let mut m = b"can't change directory to '".to_vec();
                m.extend_from_slice(d);
                m.push(b'\'');
                err::report(A, &[&m, err::reason(e).as_bytes()]);
            }),
            Op::Name(n) => c.add(n).inspect_err(|e| {
                err::report(A, &[b"write error", err::reason(e).as_bytes()]);
            }),
        };
        if r.is_err() {
            fatal = true;
            break;
        }
    }
    let mut status = c.status;
    let create::Creator { out, listing, .. } = c;
    if !fatal {
        if let Err(e) = out.finish() {
            err::report(A, &[b"write error", err::reason(&e).as_bytes()]);
            fatal = true;
        }
    }
    if fatal {
        status = 1;
    } else if status != 0 {
        err::report_msg(A, "error exit delayed from previous errors");
    }
    listing.out.finish(A, status)
}

fn read_archive(o: &Opts, extract: bool, file: Option<OsString>, ops: Vec<Op>) -> i32 {
    let mut pats: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut dir: Option<Vec<u8>> = None;
    for op in ops {
        match op {
            Op::Chdir(d) => dir = Some(d),
            Op::Name(mut n) => {
                if n.len() > 1 && n.ends_with(b"/") {
                    n.pop();
                }
                pats.push((n, false));
            }
        }
    }
    let (fd, owned) = match &file {
        Some(f) => match open_file(f, false) {
            Ok(fd) => (fd, true),
            Err(e) => {
                let mut m = b"can't open '".to_vec();
                m.extend_from_slice(f.as_bytes());
                m.push(b'\'');
                err::report(A, &[&m, err::reason(&e).as_bytes()]);
                return 1;
            }
        },
        None => (0, false),
    };
    if let Some(d) = &dir {
        if let Err(e) = chdir(d) {
            let mut m = b"can't change directory to '".to_vec();
            m.extend_from_slice(d);
            m.push(b'\'');
            err::report(A, &[&m, err::reason(&e).as_bytes()]);
            return 1;
        }
    }
    let input = match Input::open(fd, owned) {
        Ok(i) => i,
        Err(e) => {
            err::report_msg(A, &err::reason(&e));
            return 1;
        }
    };
    let mut r = read::Reader::new(input);
    // Verbosity: `t` lists long with -v; `x` prints names with -v, long with -vv.
    let level = if extract {
        o.verbose
    } else {
        o.verbose.saturating_add(1)
    };
    // With -O the names share stdout with the data, as in BusyBox.
    let mut listing = Listing::new(Out::stdout(), level);
    let mut ex = None;
    if extract && !o.to_stdout && o.to_command.is_none() {
        match extract::Extractor::new(o) {
            Ok(x) => ex = Some(x),
            Err(e) => {
                err::report_os(A, b".", &e);
                return 1;
            }
        }
    }
    let mut status = 0;
    let mut warned = false;
    loop {
        let e = match r.next() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(e) => {
                err::report_msg(A, &err::reason(&e));
                status = 1;
                break;
            }
        };
        if e.name.starts_with(b"/") && !warned {
            warned = true;
            err::report_msg(A, "removing leading '/' from member names");
        }
        let shown = {
            let mut n = &e.name[..];
            while n.len() > 1 && n.starts_with(b"/") {
                n = &n[1..];
            }
            n.strip_prefix(b"/").unwrap_or(n)
        };
        // A GNU volume label is not a member.
        if shown.is_empty() || e.kind == b'V' {
            continue;
        }
        if !pats.is_empty() {
            let mut any = false;
            for (p, hit) in pats.iter_mut() {
                if member_matches(p, shown) {
                    *hit = true;
                    any = true;
                }
            }
            if !any {
                continue;
            }
        }
        if o.excluded(shown) {
            continue;
        }
        if !extract {
            listing.entry(&e, shown, level);
            continue;
        }
        let Some(name) = o.member_name(&e.name) else {
            continue;
        };
        if level > 0 {
            listing.entry(&e, shown, level);
        }
        let res = if let Some(x) = ex.as_mut() {
            x.member(&mut r, &e, &name)
        } else if e.kind == header::REG {
            if let Some(cmd) = &o.to_command {
                // SAFETY: setting a signal disposition; restored right after.
                let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
                let st = extract::to_command(cmd, &mut r, &e, &name);
                // SAFETY: as above.
                unsafe { libc::signal(libc::SIGPIPE, old) };
                match st {
                    Ok(0) => Ok(()),
                    Ok(n) => {
                        let mut m = b"'".to_vec();
                        m.extend_from_slice(cmd.as_bytes());
                        m.extend_from_slice(format!("' returned status {n}").as_bytes());
                        err::report(A, &[&m]);
                        status = 1;
                        break;
                    }
                    Err(e) => Err(e),
                }
            } else {
                r.data_to(&mut listing.out)
            }
        } else {
            Ok(())
        };
        if let Err(e) = res {
            err::report_msg(A, &err::reason(&e));
            status = 1;
            break;
        }
    }
    if let Some(x) = ex.as_mut() {
        x.finish();
        status |= x.status;
    }
    for (p, hit) in &pats {
        if !hit {
            err::report(A, &[p, b"not found in archive"]);
            status = 1;
        }
    }
    listing.out.finish(A, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Opts {
        Opts {
            verbose: 0,
            to_stdout: false,
            keep_old: false,
            overwrite: false,
            no_mtime: false,
            same_owner: None,
            same_perms: None,
            numeric_owner: false,
            deref: false,
            no_recursion: false,
            strip: 0,
            to_command: None,
            owner: None,
            group: None,
            mode: None,
            mtime: None,
            sort_name: false,
            format: Format::Pax,
            xattrs: false,
            no_overwrite_dir: false,
            excludes: Vec::new(),
        }
    }

    #[test]
    fn member_operands() {
        assert!(member_matches(b"d", b"d/"));
        assert!(member_matches(b"d", b"d/x/y"));
        assert!(!member_matches(b"d", b"dd/x"));
        assert!(member_matches(b"d/*.c", b"d/a.c"));
        assert!(!member_matches(b"d/*.c", b"d/s/a.c"));
        assert!(member_matches(b"*", b"any/thing"));
    }

    #[test]
    fn exclusion_is_unanchored() {
        let mut o = opts();
        o.excludes = vec![b"*.o".to_vec(), b"skip".to_vec()];
        assert!(o.excluded(b"a/b/c.o"));
        assert!(o.excluded(b"top/skip/x"));
        assert!(o.excluded(b"top/skip/"));
        assert!(!o.excluded(b"top/skipper"));
        assert!(!o.excluded(b"a.c"));
    }

    #[test]
    fn strip_and_names() {
        let mut o = opts();
        assert_eq!(o.member_name(b"//a/b"), Some(b"a/b".to_vec()));
        o.strip = 1;
        assert_eq!(o.member_name(b"a/b/c"), Some(b"b/c".to_vec()));
        assert_eq!(o.member_name(b"a"), None);
        assert_eq!(o.member_name(b"a/"), None);
    }

    #[test]
    fn modes() {
        let m = parse_mode(b"go-rwx,u+x").unwrap_or_default();
        assert_eq!(apply_mode_clauses(&m, 0o644), 0o700);
        let m = parse_mode(b"a+X").unwrap_or_default();
        assert_eq!(apply_mode_clauses(&m, 0o644), 0o644);
        assert_eq!(apply_mode_clauses(&m, 0o744), 0o755);
        let m = parse_mode(b"u=rw,o=").unwrap_or_default();
        assert_eq!(apply_mode_clauses(&m, 0o777), 0o670);
        assert!(parse_mode(b"0755").is_some());
        assert!(parse_mode(b"17777").is_none());
        assert!(parse_mode(b"u*x").is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date(b"@86400"), Some(86400));
        assert_eq!(parse_date(b"@-5"), Some(-5));
        assert!(parse_date(b"yesterday").is_none());
    }

    #[test]
    fn old_style_bundles() {
        let a: Vec<OsString> = ["xzf", "F", "m"].iter().map(OsString::from).collect();
        let e = expand_old_style(&a);
        assert_eq!(e, ["-x", "-z", "-f", "F", "m"].map(OsString::from));
        let a: Vec<OsString> = ["cfC", "F", "D", "x"].iter().map(OsString::from).collect();
        assert_eq!(
            expand_old_style(&a),
            ["-c", "-f", "F", "-C", "D", "x"].map(OsString::from)
        );
        let a: Vec<OsString> = ["-xf", "F"].iter().map(OsString::from).collect();
        assert_eq!(expand_old_style(&a), a);
    }
}
