//! How a team store's connection is protected: TLS through rustls, the
//! server's certificate always verified (its chain up to a trusted
//! authority, and the host name it is issued for), as a newsroom's IT
//! expects of a connection that carries passwords and sealed identities.
//!
//! The URL says what is wanted, with libpq's names:
//!
//! | `sslmode=` | the connection |
//! | --- | --- |
//! | `disable` | plain, never TLS |
//! | `prefer` | TLS when the server offers it (verified: an untrusted certificate is refused, never a fall back to plain, not even on the next host or address tried), plain when it does not |
//! | `require` (also `verify-full`, `verify-ca`) | TLS, verified, or no connection |
//! | not written | `require` for a server on another machine; `disable` for this one (`localhost`, `127.0.0.0/8`, `::1`, a Unix socket, and every `hostaddr` a loopback address), whose traffic never crosses a network |
//!
//! libpq's `require` does not verify the certificate; Factdesk's always does
//! (as libpq's `verify-full`): a connection an active attacker can take over
//! is not one to send a review over. Not writing `sslmode` for a remote
//! server is `require`, so a misconfigured server is refused rather than
//! silently talked to in plaintext.
//!
//! The trusted authorities are the system's (what the newsroom's IT installs
//! in `/etc/ssl/certs`), or only those of the PEM file `sslrootcert=/path/ca.pem`
//! names (libpq's name; the `PGSSLROOTCERT` variable when the URL names none;
//! `sslrootcert=system` is the system's). That file must be the user's or
//! root's and writable by its owner only: whoever can change it chooses
//! which server this computer trusts.

use crate::store::StoreError;
use postgres::config::{Host, SslMode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, RootCertStore};
use std::future::Future;
use std::net::IpAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::Socket;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The variable naming the trusted CA file when the URL names none (libpq's).
pub const ROOT_CERT_VARIABLE: &str = "PGSSLROOTCERT";

/// What the connection string asks of TLS (libpq's `sslmode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain, never TLS.
    Disable,
    /// TLS, verified, when the server offers it; plain when it does not.
    Prefer,
    /// TLS, verified, or no connection.
    Require,
}

/// Which authorities a server's certificate must chain up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustedAuthorities {
    /// The system's (`/etc/ssl/certs` and the like).
    System,
    /// Only those of this PEM file (`sslrootcert`, `PGSSLROOTCERT`).
    File(PathBuf),
}

impl std::fmt::Display for TrustedAuthorities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System => f.write_str("the system's trusted certificate authorities"),
            Self::File(path) => write!(f, "the CA file {}", path.display()),
        }
    }
}

/// The TLS part of a team store's location.
#[derive(Clone, Debug)]
pub struct TlsSettings {
    /// What the connection asks, the default applied.
    pub mode: TlsMode,
    /// Whom the server's certificate must be signed by.
    pub trusted: TrustedAuthorities,
}

/// The URL without the TLS parameters `postgres` does not know (or knows
/// with other meanings), and those parameters: `sslmode`, `sslrootcert`.
pub(super) struct SplitUrl {
    pub(super) url: String,
    /// The other parameters, as written (`hostaddr=…`, `connect_timeout=…`).
    kept: Vec<String>,
    mode: Option<TlsMode>,
    mode_written: Option<&'static str>,
    root_cert: Option<String>,
}

/// Takes `sslmode` and `sslrootcert` out of the URL's query: `postgres`
/// refuses `sslrootcert` and `verify-full`, and its `require` would not
/// verify anything. A bad value is refused without quoting the URL.
pub(super) fn split_url(url: &str) -> Result<SplitUrl, StoreError> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, query),
        None => {
            return Ok(SplitUrl {
                url: url.to_owned(),
                kept: Vec::new(),
                mode: None,
                mode_written: None,
                root_cert: None,
            })
        }
    };
    let mut kept = Vec::new();
    let (mut mode, mut mode_written, mut root_cert) = (None, None, None);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                let (parsed, name) = parse_mode(&percent_decode(value)?)?;
                (mode, mode_written) = (Some(parsed), Some(name));
            }
            "sslrootcert" => root_cert = Some(percent_decode(value)?),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    let kept = kept.into_iter().map(str::to_owned).collect();
    Ok(SplitUrl { url, kept, mode, mode_written, root_cert })
}

/// The mode and its name as written (one of the known ones).
fn parse_mode(value: &str) -> Result<(TlsMode, &'static str), StoreError> {
    match value {
        "disable" => Ok((TlsMode::Disable, "disable")),
        "prefer" => Ok((TlsMode::Prefer, "prefer")),
        // Factdesk's `require` verifies the chain and the host name: what libpq calls verify-full.
        "require" => Ok((TlsMode::Require, "require")),
        "verify-ca" => Ok((TlsMode::Require, "verify-ca")),
        "verify-full" => Ok((TlsMode::Require, "verify-full")),
        other => Err(StoreError::BadUrl(format!(
            "sslmode={other} is not known; write sslmode=disable, prefer or require (require verifies the server's certificate)"
        ))),
    }
}

/// Escapes what would end or break a query value.
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn percent_decode(value: &str) -> Result<String, StoreError> {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let byte = value
                .get(at + 1..at + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| StoreError::BadUrl("a TLS parameter holds a broken %-escape".into()))?;
            decoded.push(byte);
            at += 3;
        } else {
            decoded.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| StoreError::BadUrl("a TLS parameter is not UTF-8".into()))
}

impl SplitUrl {
    /// The URL's parameters as written, `key=value`, for the location's
    /// text: a connection made again from that text goes to the same place
    /// the same way (`hostaddr`, `connect_timeout`, `channel_binding`…).
    /// The hosts, ports, user and database are the text's own parts, so
    /// those parameters are left to them; TLS's values are %-escaped again.
    pub(super) fn written(&self) -> Vec<String> {
        const IN_THE_TEXT_ITSELF: [&str; 4] = ["host", "port", "user", "dbname"];
        let mut written: Vec<String> = self
            .kept
            .iter()
            .filter(|pair| !IN_THE_TEXT_ITSELF.contains(&pair.split_once('=').map_or(pair.as_str(), |(key, _)| key)))
            .cloned()
            .collect();
        if let Some(mode) = self.mode_written {
            written.push(format!("sslmode={mode}"));
        }
        if let Some(path) = &self.root_cert {
            written.push(format!("sslrootcert={}", percent_encode(path)));
        }
        written
    }

    /// The settings for a server at `hosts` (reached at `addresses` when
    /// the URL gives `hostaddr`), the defaults applied: `require` unless
    /// every host is this machine, and every address too (a `hostaddr` is
    /// where the connection goes, whatever the name says).
    pub(super) fn settings(&self, hosts: &[Host], addresses: &[IpAddr]) -> TlsSettings {
        let local = hosts.iter().all(is_this_machine) && addresses.iter().all(IpAddr::is_loopback);
        let mode = self.mode.unwrap_or(if local { TlsMode::Disable } else { TlsMode::Require });
        let root_cert =
            self.root_cert.clone().or_else(|| std::env::var(ROOT_CERT_VARIABLE).ok()).filter(|path| !path.is_empty());
        let trusted = match root_cert {
            None => TrustedAuthorities::System,
            Some(name) if name == "system" => TrustedAuthorities::System,
            Some(path) => TrustedAuthorities::File(PathBuf::from(path)),
        };
        TlsSettings { mode, trusted }
    }
}

/// A host whose connections never leave this machine.
fn is_this_machine(host: &Host) -> bool {
    match host {
        Host::Tcp(name) => {
            let bare = name.trim_start_matches('[').trim_end_matches(']');
            bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        Host::Unix(_) => true,
    }
}

impl TlsSettings {
    /// `postgres`' own mode for this one.
    pub(super) fn ssl_mode(&self) -> SslMode {
        match self.mode {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            TlsMode::Require => SslMode::Require,
        }
    }

    /// A TLS connector trusting these authorities, which records whether a
    /// handshake was made, or why it cannot be built (a bad CA file).
    pub(super) fn connector(&self) -> Result<RecordedTls, StoreError> {
        let roots = self.roots()?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| StoreError::TlsSetup(error.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(RecordedTls { inner: MakeRustlsConnect::new(config), attempts: Arc::default() })
    }

    fn roots(&self) -> Result<RootCertStore, StoreError> {
        let mut roots = RootCertStore::empty();
        match &self.trusted {
            TrustedAuthorities::File(path) => {
                let bad = |reason: String| StoreError::BadCaFile { path: path.clone(), reason };
                // Opened once, and that very file checked and read: a path looked at and then opened again
                // could be swapped in between. A missing or unreadable file gets the system's own words.
                let file = open_ca_file(path).map_err(bad)?;
                let metadata = file.metadata().map_err(|error| bad(error.to_string()))?;
                #[cfg(unix)]
                refuse_a_ca_file_others_could_change(&metadata).map_err(bad)?;
                let certificates = CertificateDer::pem_reader_iter(std::io::BufReader::new(file))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|error| bad(pem_reason(&error)))?;
                if certificates.is_empty() {
                    return Err(bad("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()));
                }
                for certificate in certificates {
                    roots
                        .add(certificate)
                        .map_err(|error| bad(format!("a certificate in it is not usable: {error}")))?;
                }
            }
            TrustedAuthorities::System => {
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
                if roots.is_empty() {
                    return Err(StoreError::TlsSetup(format!(
                        "this system has no trusted certificate authorities to check the server's certificate with; \
                         name your newsroom's CA file with sslrootcert=/path/ca.pem in the URL (or {ROOT_CERT_VARIABLE})"
                    )));
                }
            }
        }
        Ok(roots)
    }
}

/// Opens a CA file for reading, refusing a symbolic link as its last name:
/// the mode and owner checked are the file's own, not a link's that anyone
/// who owns the folder it points into could repoint.
fn open_ca_file(path: &std::path::Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|error| {
        #[cfg(unix)]
        if error.raw_os_error() == Some(libc::ELOOP) {
            return "it is a symbolic link; name the CA file itself".to_owned();
        }
        error.to_string()
    })
}

/// A CA file decides whom the connection trusts: one that someone else can
/// write (group or others, or owned by another user than this one or root)
/// could be made to trust their server. Refused, as a password file others
/// can read is (`PgLocation::password`).
#[cfg(unix)]
fn refuse_a_ca_file_others_could_change(metadata: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let mode = metadata.mode();
    if mode & 0o022 != 0 {
        return Err(format!(
            "others can change it (mode {:o}), so they could choose whom this computer trusts; make it writable by you only (chmod go-w)",
            mode & 0o777
        ));
    }
    let me = rustix::process::geteuid().as_raw();
    let owner = metadata.uid();
    if owner != me && owner != 0 {
        return Err(format!(
            "it belongs to another user (uid {owner}), who could choose whom this computer trusts; it must be yours or root's"
        ));
    }
    Ok(())
}

fn pem_reason(error: &rustls::pki_types::pem::Error) -> String {
    match error {
        rustls::pki_types::pem::Error::Io(error) => error.to_string(),
        other => format!("it is not a PEM file of certificates ({other:?})"),
    }
}

/// rustls for `postgres`, noting whether a handshake was completed: in
/// `prefer` mode only the client knows for sure whether its connection is
/// encrypted (a server's own word could come from whoever sits between).
///
/// `postgres` may make several attempts with one connector (each host of the
/// URL, each address a name resolves to), asking it for a handshake on each
/// ([`MakeTlsConnect::make_tls_connect`] is called once the attempt's socket
/// is open): each attempt starts unencrypted, so the one that ends up
/// connected decides. Once a handshake has failed (a certificate not trusted,
/// a broken handshake), every later attempt fails too: under `prefer`, the
/// next address answering "no TLS" could be whoever refused to show a good
/// certificate, now asking for the password in plaintext.
#[derive(Clone)]
pub(super) struct RecordedTls {
    inner: MakeRustlsConnect,
    attempts: Arc<Attempts>,
}

/// What the attempts of one connection made of TLS.
#[derive(Default)]
struct Attempts {
    /// Whether the latest attempt completed a verified handshake.
    encrypted: AtomicBool,
    /// The first handshake that failed, which refuses every later attempt.
    refused: Mutex<Option<rustls::Error>>,
}

impl Attempts {
    fn refused(&self) -> Option<rustls::Error> {
        // A poisoned lock only means a panic elsewhere: what it holds is still the refusal.
        self.refused.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl RecordedTls {
    /// Whether the connection made with this connector is encrypted.
    pub(super) fn encrypted(&self) -> bool {
        self.attempts.encrypted.load(Ordering::SeqCst)
    }

    /// Why a handshake failed on one of the attempts, if one did: the reason
    /// the connection was refused, whatever the last attempt's own error.
    pub(super) fn refused(&self) -> Option<rustls::Error> {
        self.attempts.refused()
    }
}

type RustlsConnect = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
type RustlsStream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;

impl MakeTlsConnect<Socket> for RecordedTls {
    type Stream = RustlsStream;
    type TlsConnect = RecordedConnect;
    type Error = std::io::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RecordedConnect, Self::Error> {
        // A new attempt: not encrypted until its own handshake completes.
        self.attempts.encrypted.store(false, Ordering::SeqCst);
        if let Some(refusal) = self.attempts.refused() {
            return Err(std::io::Error::other(refusal));
        }
        let inner = MakeTlsConnect::<Socket>::make_tls_connect(&mut self.inner, domain)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error))?;
        Ok(RecordedConnect { inner, attempts: Arc::clone(&self.attempts) })
    }
}

/// One handshake of [`RecordedTls`].
pub(super) struct RecordedConnect {
    inner: RustlsConnect,
    attempts: Arc<Attempts>,
}

impl TlsConnect<Socket> for RecordedConnect {
    type Stream = RustlsStream;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<RustlsStream, std::io::Error>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        let handshake = self.inner.connect(stream);
        let attempts = self.attempts;
        Box::pin(async move {
            match handshake.await {
                Ok(stream) => {
                    attempts.encrypted.store(true, Ordering::SeqCst);
                    Ok(stream)
                }
                Err(error) => {
                    // tokio-rustls hands rustls' error over inside the io::Error.
                    if let Some(refusal) = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                        let mut refused = attempts.refused.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        refused.get_or_insert_with(|| refusal.clone());
                    }
                    Err(error)
                }
            }
        })
    }
}

/// The store's error for a connection that failed over TLS: the server has
/// no TLS though it is required, or its certificate is not trusted (naming
/// the host and the authorities it was checked against). `None` when the
/// failure is not TLS's.
pub(super) fn tls_failure(
    error: &postgres::Error,
    server: &str,
    host: &str,
    settings: &TlsSettings,
) -> Option<StoreError> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if current.to_string() == "server does not support TLS" {
            return Some(StoreError::TlsNotOffered { server: server.to_owned() });
        }
        // tokio-rustls hands rustls' error over inside an io::Error, whose `source` skips it.
        let rustls_error = current.downcast_ref::<rustls::Error>().or_else(|| {
            current
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::get_ref)
                .and_then(|inner| inner.downcast_ref())
        });
        if let Some(refusal) = rustls_error {
            return Some(handshake_failure(refusal, server, host, settings));
        }
        cause = current.source();
    }
    None
}

/// The store's error for a handshake rustls refused: the certificate is not
/// trusted (naming the host and the authorities), or the handshake broke.
pub(super) fn handshake_failure(
    refusal: &rustls::Error,
    server: &str,
    host: &str,
    settings: &TlsSettings,
) -> StoreError {
    match refusal {
        rustls::Error::InvalidCertificate(problem) => StoreError::CertificateNotTrusted {
            server: server.to_owned(),
            reason: certificate_reason(problem, host),
            trusted: settings.trusted.to_string(),
        },
        other => StoreError::TlsHandshake { server: server.to_owned(), reason: other.to_string() },
    }
}

fn certificate_reason(problem: &CertificateError, host: &str) -> String {
    match problem {
        CertificateError::UnknownIssuer => {
            format!("the certificate {host} presented is not signed by a trusted certificate authority")
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!("the certificate presented is not issued for the host name {host}")
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            format!("the certificate {host} presented has expired")
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            format!("the certificate {host} presented is not valid yet (check this computer's clock)")
        }
        CertificateError::Revoked => format!("the certificate {host} presented is revoked"),
        other => format!("the certificate {host} presented was refused ({other:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> TlsSettings {
        let split = split_url(url).expect("split");
        let config: postgres::Config = split.url.parse().expect("parse");
        split.settings(config.get_hosts(), config.get_hostaddrs())
    }

    #[test]
    fn a_remote_server_requires_tls_unless_the_url_says_otherwise() {
        assert_eq!(settings("postgres://ana@db.newsroom.example/desk").mode, TlsMode::Require);
        assert_eq!(settings("postgres://ana@db.newsroom.example/desk?sslmode=prefer").mode, TlsMode::Prefer);
        assert_eq!(settings("postgres://ana@db.newsroom.example/desk?sslmode=disable").mode, TlsMode::Disable);
        assert_eq!(settings("postgres://ana@10.0.0.5/desk").mode, TlsMode::Require);
    }

    #[test]
    fn this_machine_stays_plain_unless_the_url_asks_for_tls() {
        assert_eq!(settings("postgres://ana@localhost/desk").mode, TlsMode::Disable);
        assert_eq!(settings("postgres://ana@127.0.0.1:5433/desk").mode, TlsMode::Disable);
        assert_eq!(settings("postgres://ana@[::1]:5433/desk").mode, TlsMode::Disable);
        assert_eq!(settings("postgres://ana@127.0.0.1/desk?sslmode=require").mode, TlsMode::Require);
        assert_eq!(settings("postgres://ana@127.0.0.1/desk?sslmode=verify-full").mode, TlsMode::Require);
        assert_eq!(settings("postgres://ana@localhost/desk?hostaddr=127.0.0.1").mode, TlsMode::Disable);
    }

    #[test]
    fn sslrootcert_is_taken_out_of_the_url_and_decoded() {
        let split = split_url("postgres://ana@db/desk?sslrootcert=%2Fetc%2Fnews%20room%2Fca.pem&connect_timeout=3")
            .expect("split");
        assert_eq!(split.url, "postgres://ana@db/desk?connect_timeout=3");
        assert_eq!(split.root_cert.as_deref(), Some("/etc/news room/ca.pem"));
        let config: postgres::Config = split.url.parse().expect("what is left parses");
        assert_eq!(
            split.settings(config.get_hosts(), config.get_hostaddrs()).trusted,
            TrustedAuthorities::File(PathBuf::from("/etc/news room/ca.pem"))
        );
    }

    #[test]
    fn an_unknown_sslmode_is_refused_by_name() {
        let Err(error) = split_url("postgres://ana@db/desk?sslmode=allow") else { panic!("allow accepted") };
        assert!(error.to_string().contains("sslmode=allow is not known"), "{error}");
    }
}
