//! The command line on a team store over TLS, against a real PostgreSQL
//! server with `ssl = on` (its certificate signed by a CA made at run time:
//! `test_postgres::tls`): a whole round of commands with
//! `--db 'postgresql://…?sslmode=require&sslrootcert=…'`, and the clear
//! one-line errors for an untrusted certificate and a server without TLS.

use std::path::Path;
use std::process::Command;

/// Runs factdesk in `dir` with `db` as --db (if any); (success, stdout, stderr).
fn factdesk(dir: &Path, db: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command
        .current_dir(dir)
        .env_remove("FACTDESK_DB")
        .env_remove("FACTDESK_PASSPHRASE_FILE")
        .env_remove("PGSSLROOTCERT")
        .env("USER", "ana");
    if let Some(db) = db {
        command.arg("--db").arg(db);
    }
    let output = command.args(args).output().expect("run factdesk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(dir: &Path, db: Option<&str>, args: &[&str]) -> String {
    let (ok, out, err) = factdesk(dir, db, args);
    assert!(ok, "factdesk {args:?} failed: {err}");
    out
}

fn fails(dir: &Path, db: Option<&str>, args: &[&str]) -> String {
    let (ok, out, err) = factdesk(dir, db, args);
    assert!(!ok, "factdesk {args:?} should have failed: {out}");
    err
}

/// `url` (postgres://…) written as postgresql://… with TLS parameters.
fn tls_url(url: &str, parameters: &str) -> String {
    format!("postgresql://{}?{parameters}", url.trim_start_matches("postgres://"))
}

#[test]
fn claims_on_a_team_store_over_tls_with_the_newsrooms_ca() {
    let server = test_postgres::tls::server();
    let database = server.database();
    let url = tls_url(&database, &format!("sslmode=require&sslrootcert={}", server.ca_file.display()));
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("a.md"), "# A\n\nThe ministry spent 50 billion on the embassy.").expect("write");

    let out = ok(tmp.path(), None, &["team", "init", &url]);
    assert!(out.contains("team store ready") && out.contains("encrypted (TLS"), "{out}");
    assert!(!out.contains("not encrypted"), "{out}");
    let d = desk.to_str().expect("utf-8");
    assert!(ok(tmp.path(), Some(&url), &["scan", d]).contains("a.md"));
    let claim = ok(tmp.path(), Some(&url), &["claim", "add", d, "a.md", "--quote", "spent 50 billion"]);
    let claims = ok(tmp.path(), Some(&url), &["claims", d, "a.md", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&claims).expect("claims --json");
    let text = listed.to_string();
    assert!(text.contains(&format!("\"id\":{claim}")) && text.contains("spent 50 billion"), "{text}");
    assert!(ok(tmp.path(), Some(&url), &["audit", "verify"]).contains("audit trail intact"));

    // The same server in plaintext, asked for: it works, and says so.
    let out = ok(tmp.path(), None, &["team", "init", &tls_url(&database, "sslmode=disable")]);
    assert!(out.contains("the connection is not encrypted"), "{out}");
}

#[test]
fn an_untrusted_certificate_and_a_server_without_tls_are_refused_in_one_clear_line() {
    let server = test_postgres::tls::server();
    let tmp = tempfile::tempdir().expect("tmp");
    let other_ca = server.other_ca_file.display().to_string();
    let url = tls_url(&server.database(), &format!("sslmode=require&sslrootcert={other_ca}"));
    let err = fails(tmp.path(), None, &["team", "init", &url]);
    assert!(err.contains("not signed by a trusted certificate authority") && err.contains(&other_ca), "{err}");
    assert!(err.contains("127.0.0.1") && err.lines().count() == 1 && !err.contains("panicked"), "{err}");

    let err = fails(
        tmp.path(),
        Some(&tls_url(&server.database(), "sslmode=require&sslrootcert=/nonexistent/ca.pem")),
        &["audit", "verify"],
    );
    assert!(err.contains("cannot use the CA file /nonexistent/ca.pem"), "{err}");

    let plain = test_postgres::database();
    let err = fails(tmp.path(), None, &["team", "init", &tls_url(&plain.url, "sslmode=require")]);
    assert!(err.contains("does not offer TLS") && err.contains("sslmode=disable"), "{err}");
}

#[test]
fn pgsslrootcert_names_the_newsrooms_ca_when_the_url_does_not() {
    let server = test_postgres::tls::server();
    let tmp = tempfile::tempdir().expect("tmp");
    let url = tls_url(&server.database(), "sslmode=require");
    let run = |ca: &Path| {
        Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .current_dir(tmp.path())
            .env_remove("FACTDESK_DB")
            .env("PGSSLROOTCERT", ca)
            .args(["team", "init", &url])
            .output()
            .expect("run factdesk")
    };
    let trusted = run(&server.ca_file);
    let out = String::from_utf8_lossy(&trusted.stdout);
    assert!(trusted.status.success(), "{}", String::from_utf8_lossy(&trusted.stderr));
    assert!(out.contains("encrypted (TLS"), "{out}");
    let untrusted = run(&server.other_ca_file);
    let err = String::from_utf8_lossy(&untrusted.stderr);
    assert!(!untrusted.status.success() && err.contains(&server.other_ca_file.display().to_string()), "{err}");
}
