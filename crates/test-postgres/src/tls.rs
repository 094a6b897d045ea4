//! A real PostgreSQL server with `ssl = on`, for the tests of the team store
//! over TLS: its own throwaway cluster (the shared test server has ssl off),
//! presenting a certificate signed by a certificate authority made here at
//! run time, as a newsroom's IT would run its own.
//!
//! ```no_run
//! let server = test_postgres::tls::server();
//! let url = server.database();
//! println!("{url}?sslmode=require&sslrootcert={}", server.ca_file.display());
//! ```

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The host names (and address) the server's certificate is issued for.
pub const CERTIFIED_NAMES: [&str; 3] = ["localhost", "db.newsroom.test", "127.0.0.1"];

/// A running server with ssl on, and the files its tests need.
pub struct TlsServer {
    /// Its maintenance database's URL, as the superuser `factdesk`, trusted on 127.0.0.1.
    pub url: String,
    /// The certificate authority that signed the server's certificate (PEM).
    pub ca_file: PathBuf,
    /// Another authority, which signed nothing the server presents (PEM).
    pub other_ca_file: PathBuf,
    /// `host:port` of the server.
    pub address: String,
}

static SERVER: OnceLock<TlsServer> = OnceLock::new();
static NEXT_DATABASE: AtomicU32 = AtomicU32::new(1);

/// The TLS server of this test process, started on first use; stopped and
/// deleted with its folder (its certificates and CA files with it) once the
/// process has exited.
///
/// # Panics
/// When it cannot be started (PostgreSQL not installed).
pub fn server() -> &'static TlsServer {
    SERVER.get_or_init(start)
}

impl TlsServer {
    /// A fresh, empty database on this server; its URL as the superuser `factdesk`, without TLS parameters.
    ///
    /// # Panics
    /// When the server refuses.
    pub fn database(&self) -> String {
        let name = format!("factdesk_tls_{}_{}", std::process::id(), NEXT_DATABASE.fetch_add(1, Ordering::Relaxed));
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to {}: {e:?}", self.url));
        client.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap_or_else(|e| panic!("create {name}: {e}"));
        format!("postgres://factdesk@{}/{name}", self.address)
    }
}

fn authority(name: &str) -> (CertificateParams, KeyPair, String) {
    let key = KeyPair::generate().expect("CA key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let pem = params.self_signed(&key).expect("CA certificate").pem();
    (params, key, pem)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn start() -> TlsServer {
    let (ca_params, ca_key, ca_pem) = authority("Newsroom test CA");
    let (_, _, other_ca_pem) = authority("Some other CA");
    let server_key = KeyPair::generate().expect("server key");
    let mut server_params =
        CertificateParams::new(CERTIFIED_NAMES.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>())
            .expect("server params");
    server_params.distinguished_name.push(DnType::CommonName, "db.newsroom.test");
    let server_cert =
        server_params.signed_by(&server_key, &Issuer::new(ca_params, ca_key)).expect("server certificate");

    // The server's files pass through a staging folder the script copies them from, then go.
    let staging = std::env::temp_dir().join(format!("factdesk-tls-staging-{}", std::process::id()));
    std::fs::create_dir_all(&staging).expect("staging folder");
    let (cert, key) = (staging.join("server.crt"), staging.join("server.key"));
    write(&cert, &server_cert.pem());
    write(&key, &server_key.serialize_pem());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-test-cluster.sh");
    let output = Command::new(script)
        .arg("start")
        .arg(std::process::id().to_string())
        .arg(&cert)
        .arg(&key)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {script}: {e:?}"));
    let _ = std::fs::remove_dir_all(&staging);
    assert!(
        output.status.success(),
        "could not start a test PostgreSQL server with TLS: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let url = lines.next().expect("the server's URL").trim().to_owned();
    let folder = PathBuf::from(lines.next().expect("the cluster's folder").trim());
    let ca_file = folder.join("ca.pem");
    let other_ca_file = folder.join("other-ca.pem");
    write(&ca_file, &ca_pem);
    write(&other_ca_file, &other_ca_pem);
    let address = url.trim_start_matches("postgres://factdesk@").split('/').next().unwrap_or_default().to_owned();
    TlsServer { url, ca_file, other_ca_file, address }
}
