//! The team store over TLS, on real PostgreSQL servers: one with `ssl = on`
//! presenting a certificate signed by a CA made at run time (see
//! `test_postgres::tls`), and the shared test server, whose ssl is off. The
//! server's word on each connection comes from `pg_stat_ssl`.

use factdesk_core::store::postgres::tls::TlsMode;
use factdesk_core::store::postgres::{PgLocation, PgStore, StoreListener};
use factdesk_core::store::StoreError;
use std::path::Path;
use std::time::{Duration, Instant};

fn location(url: &str) -> PgLocation {
    url.parse().expect("test URL")
}

/// `url` with TLS parameters added.
fn with(url: &str, parameters: &str) -> String {
    format!("{url}?{parameters}")
}

/// What the server says of the connections named `application` on `url`'s database.
fn server_says_ssl(url: &str, application: &str) -> Vec<bool> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect by hand");
    client
        .query(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
             WHERE a.application_name = $1 AND a.datname = current_database()",
            &[&application],
        )
        .expect("pg_stat_ssl")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn require_with_the_newsrooms_ca_connects_encrypted_and_the_server_says_so() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", server.ca_file.display()));
    let mut store = PgStore::init(&location(&tls_url)).expect("init over TLS");
    assert!(store.encrypted(), "the client made a TLS handshake");
    assert!(store.schema_version().expect("schema") > 0);
    assert_eq!(server_says_ssl(&url, "factdesk"), vec![true], "pg_stat_ssl for this connection");
    // The location keeps its TLS parameters: the window remembers a team store by this text.
    let remembered = store.location().to_string();
    assert!(remembered.contains("sslmode=require") && remembered.contains("sslrootcert="), "{remembered}");
    let again = PgStore::connect(&location(&remembered)).expect("the remembered text connects again");
    assert!(again.encrypted());
}

#[test]
fn prefer_uses_verified_tls_when_offered_and_plain_when_not() {
    let server = test_postgres::tls::server();
    let url = server.database();
    drop(PgStore::init(&location(&url)).expect("init"));
    let store =
        PgStore::connect(&location(&with(&url, &format!("sslmode=prefer&sslrootcert={}", server.ca_file.display()))))
            .expect("prefer with the CA");
    assert!(store.encrypted());
    drop(store);

    let plain = test_postgres::database();
    drop(PgStore::init(&location(&plain.url)).expect("init on the server without TLS"));
    let store = PgStore::connect(&location(&with(&plain.url, "sslmode=prefer"))).expect("prefer, no TLS offered");
    assert!(!store.encrypted());
}

#[test]
fn disable_and_this_machine_by_default_stay_plain() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let store = PgStore::init(&location(&with(&url, "sslmode=disable"))).expect("disable on a TLS server");
    assert!(!store.encrypted());
    assert_eq!(server_says_ssl(&url, "factdesk"), vec![false]);
    drop(store);
    // 127.0.0.1 without sslmode: the traffic never leaves this machine.
    let store = PgStore::connect(&location(&url)).expect("local default");
    assert!(!store.encrypted());
}

#[test]
fn an_untrusted_certificate_is_refused_naming_the_host_and_the_ca_file() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", server.other_ca_file.display()));
    let Err(error) = PgStore::init(&location(&tls_url)) else { panic!("an untrusted certificate was accepted") };
    assert!(matches!(error, StoreError::CertificateNotTrusted { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("127.0.0.1"), "names the host: {message}");
    assert!(message.contains(&server.other_ca_file.display().to_string()), "names the CA file: {message}");
    assert!(message.contains("not signed by a trusted certificate authority"), "{message}");

    // The system's authorities know nothing of the newsroom's CA either.
    let Err(error) = PgStore::init(&location(&with(&url, "sslmode=require"))) else { panic!("accepted") };
    assert!(error.to_string().contains("the system's trusted certificate authorities"), "{error}");
}

#[test]
fn a_certificate_for_another_host_name_is_refused() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let port = server.address.rsplit(':').next().expect("port");
    let name = url.rsplit('/').next().expect("database");
    // The name is checked, not the address: hostaddr reaches the same server under a name it is not certified for.
    let wrong = format!(
        "postgres://factdesk@wrong.newsroom.test:{port}/{name}?hostaddr=127.0.0.1&sslrootcert={}",
        server.ca_file.display()
    );
    let Err(error) = PgStore::init(&location(&wrong)) else { panic!("a certificate for another name was accepted") };
    let message = error.to_string();
    assert!(message.contains("not issued for the host name wrong.newsroom.test"), "{message}");

    // The name it is certified for, on another machine as far as the URL says: TLS by default, and it connects.
    let right = format!(
        "postgres://factdesk@db.newsroom.test:{port}/{name}?hostaddr=127.0.0.1&sslrootcert={}",
        server.ca_file.display()
    );
    let store = PgStore::init(&location(&right)).expect("db.newsroom.test over TLS by default");
    assert!(store.encrypted());
}

#[test]
fn a_server_without_tls_is_refused_when_tls_is_required_also_by_default_for_another_machine() {
    let plain = test_postgres::database();
    let Err(error) = PgStore::init(&location(&with(&plain.url, "sslmode=require"))) else { panic!("went plain") };
    assert!(matches!(error, StoreError::TlsNotOffered { .. }), "{error:?}");
    assert!(error.to_string().contains("does not offer TLS"), "{error}");

    // A host name that is not this machine, without sslmode: TLS is required, the server has none.
    let address = plain.url.trim_start_matches("postgres://factdesk@").split('/').next().expect("address");
    let port = address.rsplit(':').next().expect("port");
    let remote = format!("postgres://factdesk@db.newsroom.test:{port}/{}?hostaddr=127.0.0.1", plain.name);
    let Err(error) = PgStore::init(&location(&remote)) else { panic!("a remote server went plain by default") };
    assert!(matches!(error, StoreError::TlsNotOffered { .. }), "{error:?}");
}

#[test]
fn a_bad_ca_file_is_named_and_no_password_is_ever_in_an_error() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let missing = location(&with(&url, "sslmode=require&sslrootcert=/nonexistent/newsroom-ca.pem"))
        .with_password("s3cret-password");
    let Err(error) = PgStore::init(&missing) else { panic!("a missing CA file was accepted") };
    assert!(matches!(error, StoreError::BadCaFile { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("/nonexistent/newsroom-ca.pem"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");

    let tmp = tempfile::tempdir().expect("tmp");
    let not_pem = tmp.path().join("ca.pem");
    std::fs::write(&not_pem, "this is not a certificate\n").expect("write");
    let garbage = location(&with(&url, &format!("sslmode=require&sslrootcert={}", not_pem.display())))
        .with_password("s3cret-password");
    let Err(error) = PgStore::init(&garbage) else { panic!("a CA file without certificates was accepted") };
    assert!(error.to_string().contains("holds no PEM certificate"), "{error}");

    let untrusted = location(&with(&url, &format!("sslmode=require&sslrootcert={}", server.other_ca_file.display())))
        .with_password("s3cret-password");
    let Err(error) = PgStore::init(&untrusted) else { panic!("accepted") };
    assert!(!error.to_string().contains("s3cret") && !format!("{error:?}").contains("s3cret"), "{error:?}");
}

#[test]
fn the_listen_connection_is_encrypted_too() {
    let server = test_postgres::tls::server();
    let url = server.database();
    let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", server.ca_file.display()));
    let own = PgStore::init(&location(&tls_url)).expect("init over TLS");
    let listener = StoreListener::start(location(&tls_url), own.backend(), || {}).expect("listener");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !listener.listening() {
        assert!(Instant::now() < deadline, "the listener never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server_says_ssl(&url, "factdesk-listener"), vec![true], "pg_stat_ssl for the LISTEN connection");
    drop(listener);
}

/// A URL trying the TLS server first, then the shared plain server, for the
/// database `plain_name` (which exists only on the plain one): the first
/// attempt ends after its TLS handshake, the second is answered "no TLS".
fn tls_then_plain(tls_address: &str, plain_url: &str, plain_name: &str, parameters: &str) -> String {
    let plain_address = plain_url.trim_start_matches("postgres://factdesk@").split('/').next().expect("address");
    format!("postgres://factdesk@{tls_address},{plain_address}/{plain_name}?{parameters}")
}

/// Connects with `sslmode=prefer`, trusting the CA file `ca`, to a URL
/// trying the TLS server first, then the shared plain server, whose database
/// holds the store: what the connection gave, and that database (kept while
/// the test looks at it). The two tests below differ only in `ca`.
fn prefer_over(ca: &Path) -> (Result<PgStore, StoreError>, test_postgres::TestDatabase) {
    let server = test_postgres::tls::server();
    let plain = test_postgres::database();
    drop(PgStore::init(&location(&plain.url)).expect("init on the server without TLS"));
    let parameters = format!("sslmode=prefer&sslrootcert={}", ca.display());
    let url = tls_then_plain(&server.address, &plain.url, &plain.name, &parameters);
    (PgStore::connect(&location(&url)), plain)
}

#[test]
fn a_plain_connection_after_an_encrypted_attempt_is_not_called_encrypted() {
    let (store, plain) = prefer_over(&test_postgres::tls::server().ca_file);
    let store = store.expect("the second host, plain");
    let sessions = server_says_ssl(&plain.url, "factdesk");
    assert!(!sessions.is_empty() && sessions.iter().all(|ssl| !ssl), "the session is plain: {sessions:?}");
    assert!(!store.encrypted(), "a plain session shown as encrypted");
}

#[test]
fn prefer_never_goes_plain_after_a_certificate_was_refused_on_another_attempt() {
    let (store, _plain) = prefer_over(&test_postgres::tls::server().other_ca_file);
    let Err(error) = store else { panic!("went plain after an untrusted certificate") };
    assert!(matches!(error, StoreError::CertificateNotTrusted { .. }), "{error:?}");
}

#[test]
fn the_listen_connection_requires_tls_when_the_store_connection_was_encrypted() {
    let server = test_postgres::tls::server();
    let url = server.database();
    drop(PgStore::init(&location(&url)).expect("init"));
    let prefer = with(&url, &format!("sslmode=prefer&sslrootcert={}", server.ca_file.display()));
    let store = PgStore::connect(&location(&prefer)).expect("prefer over TLS");
    assert!(store.encrypted());
    // What the listener (and any connection made again) is given: TLS, or no connection.
    assert_eq!(store.location().tls().mode, TlsMode::Require);
    assert!(store.location().to_string().contains("sslmode=prefer"), "the remembered text is as written");
}

#[test]
fn a_hostaddr_on_another_machine_requires_tls_whatever_the_host_name() {
    assert_eq!(location("postgres://ana@localhost/desk?hostaddr=198.51.100.7").tls().mode, TlsMode::Require);
    assert_eq!(location("postgres://ana@127.0.0.1/desk?hostaddr=198.51.100.7").tls().mode, TlsMode::Require);
    assert_eq!(
        location("postgres://ana@localhost,127.0.0.1/desk?hostaddr=127.0.0.1,198.51.100.7").tls().mode,
        TlsMode::Require
    );
    assert_eq!(location("postgres://ana@localhost/desk?hostaddr=127.0.0.1").tls().mode, TlsMode::Disable);
    // The remembered text keeps the address: a connection made again goes to the same machine.
    let remembered = location("postgres://ana@localhost/desk?hostaddr=198.51.100.7&connect_timeout=4").to_string();
    assert!(remembered.contains("hostaddr=198.51.100.7") && remembered.contains("connect_timeout=4"), "{remembered}");
    assert_eq!(location(&remembered).tls().mode, TlsMode::Require);
}

#[test]
fn a_ca_file_others_can_change_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let server = test_postgres::tls::server();
    let url = server.database();
    let tmp = tempfile::tempdir().expect("tmp");
    let ca = tmp.path().join("ca.pem");
    std::fs::copy(&server.ca_file, &ca).expect("copy the CA");
    for mode in [0o664, 0o646] {
        std::fs::set_permissions(&ca, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", ca.display()));
        let Err(error) = PgStore::init(&location(&tls_url)) else { panic!("a CA file others can write was used") };
        assert!(matches!(error, StoreError::BadCaFile { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&ca.display().to_string()) && message.contains("others can change it"), "{message}");
    }
    std::fs::set_permissions(&ca, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", ca.display()));
    assert!(PgStore::init(&location(&tls_url)).expect("readable by all, writable by its owner").encrypted());

    // Another user's file (only root can give one away: elsewhere this part has nothing to try).
    let theirs = tmp.path().join("theirs.pem");
    std::fs::copy(&server.ca_file, &theirs).expect("copy the CA");
    if std::os::unix::fs::chown(&theirs, Some(65534), None).is_ok() {
        let tls_url = with(&url, &format!("sslmode=require&sslrootcert={}", theirs.display()));
        let Err(error) = PgStore::connect(&location(&tls_url)) else { panic!("another user's CA file was used") };
        assert!(error.to_string().contains("belongs to another user (uid 65534)"), "{error}");
    }
}
