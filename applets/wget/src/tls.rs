//! HTTPS: rustls with the ring provider, certificates verified against the system's CA bundle.
//!
//! Trust anchors, first found wins: `--ca-certificate FILE` (then only that file), else
//! `$SSL_CERT_FILE`, else `$SSL_CERT_DIR` (every PEM file in it), else the usual bundle paths
//! of Debian/Alpine, Fedora/RHEL, openSUSE and BSD-likes, else the directory /etc/ssl/certs.
//! No compiled-in roots (webpki-roots): an image without a CA bundle gets a clear error, not
//! a stale list.

use std::io;
use std::net::TcpStream;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use crate::net::Conn;

const BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/ssl/cert.pem",
];
const CERT_DIR: &str = "/etc/ssl/certs";

/// 2021-01-01: a clock before this has not been set (a router at boot says 1970).
const CLOCK_FLOOR: u64 = 1_609_459_200;

pub struct Tls {
    config: Arc<ClientConfig>,
}

fn add_pem(roots: &mut RootCertStore, data: &[u8]) -> usize {
    let certs = CertificateDer::pem_slice_iter(data).filter_map(|c| c.ok());
    roots.add_parsable_certificates(certs).0
}

fn load_file(roots: &mut RootCertStore, path: &std::path::Path) -> io::Result<usize> {
    let data = std::fs::read(path)?;
    Ok(add_pem(roots, &data))
}

fn load_dir(roots: &mut RootCertStore, dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in rd.flatten() {
        let p = e.path();
        if p.is_file() {
            n += load_file(roots, &p).unwrap_or(0);
        }
    }
    n
}

fn system_roots() -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    if let Some(f) = std::env::var_os("SSL_CERT_FILE") {
        let p = std::path::Path::new(&f);
        load_file(&mut roots, p)
            .map_err(|e| format!("{}: {}", p.display(), rbox_common::err::reason(&e)))?;
    } else if let Some(d) = std::env::var_os("SSL_CERT_DIR") {
        for d in std::env::split_paths(&d) {
            load_dir(&mut roots, &d);
        }
    } else {
        for b in BUNDLES {
            if let Ok(n) = load_file(&mut roots, std::path::Path::new(b)) {
                if n > 0 {
                    break;
                }
            }
        }
        if roots.is_empty() {
            load_dir(&mut roots, std::path::Path::new(CERT_DIR));
        }
    }
    if roots.is_empty() {
        return Err(
            "no CA certificates found (install a CA bundle, or set SSL_CERT_FILE, \
                    or use --ca-certificate FILE)"
                .into(),
        );
    }
    Ok(roots)
}

#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end: &CertificateDer<'_>,
        _inter: &[CertificateDer<'_>],
        _name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

impl Tls {
    /// Builds the client configuration once per run.
    pub fn new(check: bool, ca_file: Option<&std::ffi::OsStr>) -> Result<Tls, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?;
        let config = if check {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            check_clock(now)?;
            let roots = match ca_file {
                Some(f) => {
                    let mut r = RootCertStore::empty();
                    let p = std::path::Path::new(f);
                    let n = load_file(&mut r, p).map_err(|e| {
                        format!("{}: {}", p.display(), rbox_common::err::reason(&e))
                    })?;
                    if n == 0 {
                        return Err(format!("{}: no certificates in it", p.display()));
                    }
                    r
                }
                None => system_roots()?,
            };
            builder.with_root_certificates(roots).with_no_client_auth()
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
                .with_no_client_auth()
        };
        let mut config = config;
        // We speak HTTP/1.1 only; saying so keeps ALPN-strict servers from guessing.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
        })
    }

    /// The TLS handshake over `tcp` for `host` (SNI for names; IP addresses are checked
    /// against the certificate's IP SANs).
    pub fn connect(&self, tcp: TcpStream, host: &str) -> Result<Conn, String> {
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| format!("invalid TLS server name '{host}'"))?;
        let conn = ClientConnection::new(self.config.clone(), name).map_err(|e| e.to_string())?;
        let mut s = StreamOwned::new(conn, tcp);
        while s.conn.is_handshaking() {
            if let Err(e) = s.conn.complete_io(&mut s.sock) {
                return Err(explain(&e, host));
            }
        }
        Ok(Conn::Tls(Box::new(s)))
    }
}

/// Refuses to check certificates against a clock that was never set (a router at boot says
/// 1970): every certificate would look "not yet valid", which misleads.
fn check_clock(now: u64) -> Result<(), String> {
    if now < CLOCK_FLOOR {
        return Err("the system clock is not set (it is before 2021): \
                    certificates cannot be checked; set the clock \
                    or use --no-check-certificate"
            .into());
    }
    Ok(())
}

/// Words a handshake failure, naming the certificate's problem.
fn explain(e: &io::Error, host: &str) -> String {
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
    let Some(err) = inner else {
        if crate::net::is_timeout(e) {
            return "TLS handshake timed out".into();
        }
        return format!("TLS handshake failed: {}", rbox_common::err::reason(e));
    };
    let why = match err {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "certificate has expired".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "certificate is not yet valid".to_string()
            }
            CertificateError::UnknownIssuer => {
                "certificate is not trusted (self-signed, or issued by an unknown CA)".to_string()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!("certificate is not valid for '{host}'")
            }
            CertificateError::BadSignature => "certificate has a bad signature".to_string(),
            CertificateError::BadEncoding => "certificate is malformed".to_string(),
            CertificateError::Revoked => "certificate has been revoked".to_string(),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                "certificate is not for TLS servers".to_string()
            }
            other => format!("bad certificate: {other:?}"),
        },
        other => other.to_string(),
    };
    format!("TLS error from {host}: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_clock() {
        assert!(check_clock(0)
            .unwrap_err()
            .contains("system clock is not set"));
        assert!(check_clock(86400 * 365).is_err());
        assert!(check_clock(1_800_000_000).is_ok());
    }
}
