//! Name resolution and connections, each bounded by the `-T` timeout, and the stream type
//! that carries plain TCP or TLS.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

/// Resolves `host` (a name or a literal). getaddrinfo cannot be interrupted, so a name lookup
/// runs in a helper thread and is abandoned when `timeout` passes.
pub fn resolve(
    host: &str,
    port: u16,
    family: Family,
    timeout: Duration,
) -> Result<Vec<SocketAddr>, String> {
    let bad = || format!("bad address '{host}'");
    let addrs: Vec<SocketAddr> = if let Ok(ip) = host.parse::<IpAddr>() {
        vec![SocketAddr::new(ip, port)]
    } else {
        let (tx, rx) = mpsc::channel();
        let h = host.to_string();
        let spawned = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let r = (h.as_str(), port)
                    .to_socket_addrs()
                    .map(|i| i.collect::<Vec<_>>());
                let _ = tx.send(r);
            });
        if spawned.is_err() {
            return Err(bad());
        }
        match rx.recv_timeout(timeout) {
            Ok(Ok(v)) => v,
            Ok(Err(_)) => return Err(bad()),
            Err(_) => return Err(format!("timed out resolving '{host}'")),
        }
    };
    let v: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| match family {
            Family::Any => true,
            Family::V4 => a.is_ipv4(),
            Family::V6 => a.is_ipv6(),
        })
        .collect();
    if v.is_empty() {
        return Err(bad());
    }
    Ok(v)
}

/// `ip:port` as BusyBox prints an address (`[::1]:80` for IPv6).
pub fn show(a: &SocketAddr) -> String {
    a.to_string()
}

/// Connects to the first address that answers; the read and write timeouts are set to
/// `timeout`, so every later read is bounded too.
pub fn connect(addrs: &[SocketAddr], timeout: Duration) -> io::Result<TcpStream> {
    let mut last = io::Error::from(io::ErrorKind::AddrNotAvailable);
    for a in addrs {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => {
                s.set_read_timeout(Some(timeout))?;
                s.set_write_timeout(Some(timeout))?;
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A connection: plain TCP, or TLS over TCP.
pub enum Conn {
    Tcp(TcpStream),
    #[cfg(feature = "https")]
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Conn {
    /// The plain TCP stream, if this is not TLS.
    pub fn into_tcp(self) -> Option<TcpStream> {
        match self {
            Conn::Tcp(s) => Some(s),
            #[cfg(feature = "https")]
            Conn::Tls(_) => None,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.read(buf),
            #[cfg(feature = "https")]
            Conn::Tls(s) => match s.read(buf) {
                // A server that closes without close_notify: the body framing (length or
                // chunks) decides whether data is missing, as curl and wget do.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                r => r,
            },
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.write(buf),
            #[cfg(feature = "https")]
            Conn::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.flush(),
            #[cfg(feature = "https")]
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// Whether an I/O error is a timeout (SO_RCVTIMEO gives EAGAIN).
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
