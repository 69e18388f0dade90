//! Archive byte streams: the input (detecting and undoing compression from the magic bytes)
//! and the output (compressing, padding to GNU's 10240-byte records), both over raw fds with
//! large buffers, `copy_file_range` between plain files, `lseek` to skip data in a plain file.

use std::io::{self, Read, Write};
use std::os::fd::RawFd;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

const IN_BUF: usize = 256 * 1024;
const OUT_BUF: usize = 256 * 1024;
pub const RECORD: u64 = 10240;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Comp {
    None,
    Gzip,
    Bzip2,
    Xz,
    Lzma,
    Zstd,
    Compress,
}

impl Comp {
    pub fn name(self) -> &'static str {
        match self {
            Comp::None => "none",
            Comp::Gzip => "gzip",
            Comp::Bzip2 => "bzip2",
            Comp::Xz => "xz",
            Comp::Lzma => "lzma",
            Comp::Zstd => "zstd",
            Comp::Compress => "compress",
        }
    }

    /// From the archive name's suffix (`-a`).
    pub fn from_suffix(name: &[u8]) -> Comp {
        let ends = |s: &[u8]| name.ends_with(s);
        if ends(b".gz") || ends(b".tgz") || ends(b".taz") {
            Comp::Gzip
        } else if ends(b".bz2") || ends(b".tbz") || ends(b".tbz2") || ends(b".tz2") {
            Comp::Bzip2
        } else if ends(b".xz") || ends(b".txz") {
            Comp::Xz
        } else if ends(b".lzma") || ends(b".tlz") {
            Comp::Lzma
        } else if ends(b".zst") || ends(b".tzst") {
            Comp::Zstd
        } else if ends(b".Z") || ends(b".taZ") {
            Comp::Compress
        } else {
            Comp::None
        }
    }

    pub fn from_magic(b: &[u8]) -> Comp {
        if b.starts_with(&[0x1f, 0x8b]) {
            Comp::Gzip
        } else if b.starts_with(b"BZh") {
            Comp::Bzip2
        } else if b.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Comp::Xz
        } else if b.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Comp::Zstd
        } else if b.starts_with(&[0x1f, 0x9d]) {
            Comp::Compress
        } else if b.len() >= 13 && b[0] == 0x5d && b[1] == 0 && !looks_like_tar(b) {
            Comp::Lzma
        } else {
            Comp::None
        }
    }
}

fn looks_like_tar(b: &[u8]) -> bool {
    match <&[u8; 512]>::try_from(b.get(..512).unwrap_or(&[])) {
        Ok(h) => super::header::checksum_ok(h),
        Err(_) => false,
    }
}

fn unsupported(c: Comp) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{} support is not compiled in", c.name()),
    )
}

/// A raw file descriptor as Read and Write (not closed on drop unless owned).
pub struct Fd {
    pub fd: RawFd,
    pub owned: bool,
}

impl Read for Fd {
    fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
        loop {
            // SAFETY: the pointer and length come from a live slice.
            let n = unsafe { libc::read(self.fd, b.as_mut_ptr().cast(), b.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}

impl Write for Fd {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: the pointer and length come from a live slice.
            let n = unsafe { libc::write(self.fd, b.as_ptr().cast(), b.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: we own this descriptor.
            unsafe { libc::close(self.fd) };
        }
    }
}

pub fn is_regular(fd: RawFd) -> bool {
    // SAFETY: fstat writes into a zeroed struct we own.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFREG
    }
}

/// The most memory the xz and lzma decoders may take: a header asking for a larger
/// dictionary (up to 4 GiB) is an error, not an allocation. `xz -9` needs 65 MiB.
#[cfg(feature = "xz")]
const LZMA_MEMLIMIT: u64 = 512 << 20;

fn decoder(c: Comp, src: Box<dyn Read + Send>) -> io::Result<Box<dyn Read + Send>> {
    Ok(match c {
        Comp::None => src,
        #[cfg(feature = "gzip")]
        Comp::Gzip => Box::new(flate2::read::MultiGzDecoder::new(src)),
        #[cfg(feature = "bzip2")]
        Comp::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(src)),
        #[cfg(feature = "xz")]
        Comp::Xz => {
            let flags = liblzma::stream::CONCATENATED;
            let s = liblzma::stream::Stream::new_stream_decoder(LZMA_MEMLIMIT, flags)
                .map_err(io::Error::other)?;
            Box::new(liblzma::read::XzDecoder::new_stream(src, s))
        }
        #[cfg(feature = "xz")]
        Comp::Lzma => {
            let s = liblzma::stream::Stream::new_lzma_decoder(LZMA_MEMLIMIT)
                .map_err(io::Error::other)?;
            Box::new(liblzma::read::XzDecoder::new_stream(src, s))
        }
        #[cfg(feature = "zstd")]
        Comp::Zstd => Box::new(zstd::stream::read::Decoder::new(src)?),
        #[allow(unreachable_patterns)]
        c => return Err(unsupported(c)),
    })
}

/// A decompressor on a thread of its own, handing over filled buffers (at most three in
/// flight, so memory stays bounded).
struct ChanReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    back: Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    done: bool,
}

impl ChanReader {
    fn spawn(mut dec: Box<dyn Read + Send>) -> io::Result<ChanReader> {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(2);
        let (back, brx) = channel::<Vec<u8>>();
        std::thread::Builder::new().spawn(move || loop {
            let mut buf = brx.try_recv().unwrap_or_default();
            buf.resize(IN_BUF, 0);
            let mut n = 0;
            let mut err = None;
            while n < buf.len() {
                match dec.read(&mut buf[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            buf.truncate(n);
            let end = n == 0 || err.is_some();
            if n > 0 && tx.send(Ok(buf)).is_err() {
                return;
            }
            if end {
                let _ = tx.send(match err {
                    Some(e) => Err(e),
                    None => Ok(Vec::new()),
                });
                return;
            }
        })?;
        Ok(ChanReader {
            rx,
            back,
            cur: Vec::new(),
            pos: 0,
            done: false,
        })
    }
}

impl Read for ChanReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.cur.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(v)) if v.is_empty() => self.done = true,
                Ok(Ok(v)) => {
                    let old = std::mem::replace(&mut self.cur, v);
                    let _ = self.back.send(old);
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Err(io::Error::other("decompressor failed"));
                }
            }
        }
        let k = (self.cur.len() - self.pos).min(out.len());
        out[..k].copy_from_slice(&self.cur[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// The archive being read, after decompression.
pub struct Input {
    src: Box<dyn Read>,
    /// Set when the archive is an uncompressed regular file: data can be skipped with lseek
    /// and copied with copy_file_range.
    raw: Option<RawFd>,
    _keep: Option<Fd>,
    /// copy_file_range has not failed yet.
    cfr: bool,
    /// The size of the plain archive file, once asked.
    raw_size: Option<u64>,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
}

impl Input {
    /// Opens the archive on `fd`, undoing whatever compression its first bytes show.
    pub fn open(fd: RawFd, owned: bool) -> io::Result<Input> {
        let raw = is_regular(fd).then_some(fd);
        let mut i = Input::from_read(Box::new(Fd { fd, owned: false }), raw, true)?;
        i._keep = Some(Fd { fd, owned });
        Ok(i)
    }

    /// An archive from any reader; `raw` is its fd when it is a plain file; `threaded` runs
    /// a decompressor on a thread of its own (not when fuzzing: one thread per input).
    pub fn from_read(
        mut src: Box<dyn Read + Send>,
        raw: Option<RawFd>,
        threaded: bool,
    ) -> io::Result<Input> {
        let mut head = vec![0u8; 512];
        let mut n = 0;
        while n < head.len() {
            let k = match src.read(&mut head[n..]) {
                Ok(k) => k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if k == 0 {
                break;
            }
            n += k;
        }
        head.truncate(n);
        let comp = Comp::from_magic(&head);
        if comp == Comp::None {
            let mut buf = vec![0u8; IN_BUF];
            buf[..n].copy_from_slice(&head);
            return Ok(Input {
                src,
                raw,
                _keep: None,
                cfr: true,
                raw_size: None,
                buf,
                pos: 0,
                len: n,
            });
        }
        let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(src));
        Ok(Input {
            src: if threaded {
                Box::new(ChanReader::spawn(decoder(comp, chained)?)?)
            } else {
                decoder(comp, chained)?
            },
            raw: None,
            _keep: None,
            cfr: false,
            raw_size: None,
            buf: vec![0u8; IN_BUF],
            pos: 0,
            len: 0,
        })
    }

    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.len {
            return Ok(true);
        }
        self.pos = 0;
        self.len = 0;
        loop {
            match self.src.read(&mut self.buf) {
                Ok(n) => {
                    self.len = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads exactly `out.len()` bytes; Ok(false) at a clean end before the first byte,
    /// UnexpectedEof in the middle.
    pub fn read_exact_or_eof(&mut self, out: &mut [u8]) -> io::Result<bool> {
        let mut got = 0;
        while got < out.len() {
            if !self.fill()? {
                if got == 0 {
                    return Ok(false);
                }
                return Err(short_read());
            }
            let k = (self.len - self.pos).min(out.len() - got);
            out[got..got + k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
            self.pos += k;
            got += k;
        }
        Ok(true)
    }

    /// Up to `max` bytes from the buffer (refilled when empty).
    pub fn chunk(&mut self, max: u64) -> io::Result<&[u8]> {
        if !self.fill()? {
            return Err(short_read());
        }
        let k = ((self.len - self.pos) as u64).min(max) as usize;
        let s = &self.buf[self.pos..self.pos + k];
        self.pos += k;
        Ok(s)
    }

    pub fn skip(&mut self, mut n: u64) -> io::Result<()> {
        let k = ((self.len - self.pos) as u64).min(n) as usize;
        self.pos += k;
        n -= k as u64;
        if n == 0 {
            return Ok(());
        }
        if let Some(fd) = self.raw {
            // SAFETY: plain lseek on our descriptor.
            let cur = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
            if self.raw_size.is_none() {
                // SAFETY: fstat into a zeroed struct we own.
                self.raw_size = Some(unsafe {
                    let mut st: libc::stat = std::mem::zeroed();
                    if libc::fstat(fd, &mut st) == 0 {
                        st.st_size as u64
                    } else {
                        0
                    }
                });
            }
            let end = self.raw_size.unwrap_or(0);
            if cur >= 0 && (cur as u64).saturating_add(n) <= end {
                // SAFETY: as above.
                let r = unsafe { libc::lseek(fd, n as libc::off_t, libc::SEEK_CUR) };
                if r >= 0 {
                    return Ok(());
                }
            } else if cur >= 0 {
                return Err(short_read());
            }
        }
        while n > 0 {
            let k = self.chunk(n)?.len() as u64;
            n -= k;
        }
        Ok(())
    }

    /// Copies `n` bytes of member data to `out`, with copy_file_range where both ends allow.
    /// `done` counts what was consumed from the archive, also when writing fails.
    pub fn copy_to_fd(&mut self, out: RawFd, mut n: u64, done: &mut u64) -> io::Result<()> {
        let mut w = Fd {
            fd: out,
            owned: false,
        };
        while n > 0 && self.pos < self.len {
            let c = self.chunk(n)?;
            let k = c.len() as u64;
            *done += k;
            n -= k;
            w.write_all(c)?;
        }
        if let (Some(fd), true) = (self.raw, self.cfr) {
            while n > 0 {
                let want = n.min(1 << 30) as usize;
                // SAFETY: null offsets: the kernel uses and advances the file offsets.
                let r = unsafe {
                    libc::copy_file_range(
                        fd,
                        std::ptr::null_mut(),
                        out,
                        std::ptr::null_mut(),
                        want,
                        0,
                    )
                };
                if r > 0 {
                    n -= r as u64;
                    *done += r as u64;
                    continue;
                }
                if r == 0 {
                    return Err(short_read());
                }
                // EXDEV, ENOSYS, EINVAL...: plain copies from now on.
                self.cfr = false;
                break;
            }
        }
        while n > 0 {
            let c = self.chunk(n)?;
            let k = c.len() as u64;
            *done += k;
            n -= k;
            w.write_all(c)?;
        }
        Ok(())
    }
}

pub fn short_read() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "short read")
}

/// A compressor, run on a thread of its own so that compression overlaps reading files
/// (GNU tar gets the same overlap from its gzip child process).
enum Enc {
    /// Keeps the enum inhabited-looking when no compressor is compiled in.
    #[allow(dead_code)]
    Never(std::convert::Infallible),
    #[cfg(feature = "gzip")]
    Gz(flate2::write::GzEncoder<Fd>),
    #[cfg(feature = "bzip2")]
    Bz(bzip2::write::BzEncoder<Fd>),
    #[cfg(feature = "xz")]
    Xz(liblzma::write::XzEncoder<Fd>),
    #[cfg(feature = "zstd")]
    Zstd(zstd::stream::write::Encoder<'static, Fd>),
}

impl Enc {
    fn w(&mut self) -> &mut dyn Write {
        match self {
            Enc::Never(n) => match *n {},
            #[cfg(feature = "gzip")]
            Enc::Gz(e) => e,
            #[cfg(feature = "bzip2")]
            Enc::Bz(e) => e,
            #[cfg(feature = "xz")]
            Enc::Xz(e) => e,
            #[cfg(feature = "zstd")]
            Enc::Zstd(e) => e,
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Enc::Never(n) => match n {},
            #[cfg(feature = "gzip")]
            Enc::Gz(e) => e.finish().map(drop),
            #[cfg(feature = "bzip2")]
            Enc::Bz(e) => e.finish().map(drop),
            #[cfg(feature = "xz")]
            Enc::Xz(e) => e.finish().map(drop),
            #[cfg(feature = "zstd")]
            Enc::Zstd(e) => e.finish().map(drop),
        }
    }
}

struct Worker {
    tx: Option<SyncSender<Vec<u8>>>,
    back: Receiver<Vec<u8>>,
    handle: Option<JoinHandle<io::Result<()>>>,
}

impl Worker {
    #[allow(dead_code)]
    fn spawn(mut enc: Enc) -> io::Result<Worker> {
        let (tx, rx) = sync_channel::<Vec<u8>>(2);
        let (btx, back) = channel::<Vec<u8>>();
        let handle = std::thread::Builder::new().spawn(move || {
            for buf in rx {
                enc.w().write_all(&buf)?;
                let _ = btx.send(buf);
            }
            enc.finish()
        })?;
        Ok(Worker {
            tx: Some(tx),
            back,
            handle: Some(handle),
        })
    }

    fn join(&mut self) -> io::Result<()> {
        self.tx = None;
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(io::Error::other("compressor failed")),
            None => Ok(()),
        }
    }

    /// Hands `buf` to the compressor and leaves an empty buffer in its place.
    fn send(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        let mut fresh = self
            .back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(OUT_BUF));
        fresh.clear();
        let full = std::mem::replace(buf, fresh);
        let sent = match &self.tx {
            Some(tx) => tx.send(full).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The compressor stopped: its error says why.
        match self.join() {
            Err(e) => Err(e),
            Ok(()) => Err(io::Error::other("compressor stopped")),
        }
    }
}

enum Sink {
    Plain(Fd),
    #[allow(dead_code)]
    Thread(Worker),
}

/// The archive being written.
pub struct Output {
    sink: Sink,
    buf: Vec<u8>,
    total: u64,
    plain_fd: Option<RawFd>,
}

impl Output {
    pub fn new(fd: RawFd, owned: bool, comp: Comp) -> io::Result<Output> {
        #[allow(unused_variables)]
        let f = || Fd { fd, owned };
        let enc = match comp {
            Comp::None => None,
            #[cfg(feature = "gzip")]
            Comp::Gzip => Some(Enc::Gz(flate2::write::GzEncoder::new(
                f(),
                flate2::Compression::default(),
            ))),
            #[cfg(feature = "bzip2")]
            Comp::Bzip2 => Some(Enc::Bz(bzip2::write::BzEncoder::new(
                f(),
                bzip2::Compression::best(),
            ))),
            #[cfg(feature = "xz")]
            Comp::Xz => Some(Enc::Xz(liblzma::write::XzEncoder::new(f(), 6))),
            #[cfg(feature = "xz")]
            Comp::Lzma => {
                let opts = liblzma::stream::LzmaOptions::new_preset(6).map_err(io::Error::other)?;
                let s =
                    liblzma::stream::Stream::new_lzma_encoder(&opts).map_err(io::Error::other)?;
                Some(Enc::Xz(liblzma::write::XzEncoder::new_stream(f(), s)))
            }
            #[cfg(feature = "zstd")]
            Comp::Zstd => Some(Enc::Zstd(zstd::stream::write::Encoder::new(f(), 3)?)),
            #[allow(unreachable_patterns)]
            c => return Err(unsupported(c)),
        };
        let sink = match enc {
            None => Sink::Plain(f()),
            #[allow(unreachable_code)]
            Some(e) => Sink::Thread(Worker::spawn(e)?),
        };
        Ok(Output {
            plain_fd: (comp == Comp::None).then_some(fd),
            sink,
            buf: Vec::with_capacity(OUT_BUF),
            total: 0,
        })
    }

    pub fn put(&mut self, mut b: &[u8]) -> io::Result<()> {
        self.total += b.len() as u64;
        while !b.is_empty() {
            if self.buf.len() >= OUT_BUF {
                self.flush_buf()?;
            }
            let k = (OUT_BUF - self.buf.len()).min(b.len());
            self.buf.extend_from_slice(&b[..k]);
            b = &b[k..];
        }
        Ok(())
    }

    pub fn zeros(&mut self, mut n: u64) -> io::Result<()> {
        const Z: [u8; 4096] = [0; 4096];
        while n > 0 {
            let k = n.min(Z.len() as u64) as usize;
            self.put(&Z[..k])?;
            n -= k as u64;
        }
        Ok(())
    }

    /// Pads the member data just written to a block boundary.
    pub fn pad_block(&mut self) -> io::Result<()> {
        let r = self.total % 512;
        if r != 0 {
            self.zeros(512 - r)?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        match &mut self.sink {
            Sink::Plain(f) => {
                let r = f.write_all(&self.buf);
                self.buf.clear();
                r
            }
            Sink::Thread(w) => w.send(&mut self.buf),
        }
    }

    /// Copies up to `n` bytes from `src` into the archive; returns how many (less at EOF).
    /// The outer error is a write error (fatal); the inner one a read error of `src`.
    pub fn copy_from_fd(&mut self, src: RawFd, n: u64) -> io::Result<Result<u64, io::Error>> {
        let mut done = 0u64;
        if let Some(out) = self.plain_fd {
            if n >= 64 * 1024 {
                self.flush_buf()?;
                while done < n {
                    let want = (n - done).min(1 << 30) as usize;
                    // SAFETY: null offsets: the kernel uses and advances the file offsets.
                    let r = unsafe {
                        libc::copy_file_range(
                            src,
                            std::ptr::null_mut(),
                            out,
                            std::ptr::null_mut(),
                            want,
                            0,
                        )
                    };
                    if r > 0 {
                        done += r as u64;
                        self.total += r as u64;
                        continue;
                    }
                    if r == 0 {
                        return Ok(Ok(done));
                    }
                    // A pipe, an old kernel...: plain copies from now on.
                    self.plain_fd = None;
                    break;
                }
            }
        }
        let mut f = Fd {
            fd: src,
            owned: false,
        };
        while done < n {
            if self.buf.len() == OUT_BUF {
                self.flush_buf()?;
            }
            let room = (OUT_BUF - self.buf.len()) as u64;
            let want = room.min(n - done) as usize;
            let l = self.buf.len();
            self.buf.resize(l + want, 0);
            let r = f.read(&mut self.buf[l..]);
            let k = match r {
                Ok(k) => k,
                Err(e) => {
                    self.buf.truncate(l);
                    return Ok(Err(e));
                }
            };
            self.buf.truncate(l + k);
            if k == 0 {
                break;
            }
            done += k as u64;
            self.total += k as u64;
        }
        Ok(Ok(done))
    }

    /// Two zero blocks, padding to a full record, then the compressor's trailer.
    pub fn finish(mut self) -> io::Result<()> {
        self.zeros(1024)?;
        let r = self.total % RECORD;
        if r != 0 {
            self.zeros(RECORD - r)?;
        }
        self.flush_buf()?;
        match &mut self.sink {
            Sink::Plain(_) => Ok(()),
            Sink::Thread(w) => w.join(),
        }
    }
}
