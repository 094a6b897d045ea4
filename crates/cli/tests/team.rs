//! The team store on the command line, against a real PostgreSQL server (a
//! throwaway cluster, one database per test: crates/test-postgres): `team
//! init`, a reviewed copy of the seed draft moved with `migrate-store` and its
//! trail read back identical from the server, passwords kept off argv, clear
//! errors for a server that is not there and for backups (a team store is backed up with `pg_dump`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

/// Runs factdesk in `dir` with `db` as --db (if any) and `stdin`; (success, stdout, stderr).
fn factdesk(dir: &Path, db: Option<&str>, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write as _;
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.current_dir(dir).env_remove("FACTDESK_DB").env_remove("FACTDESK_PASSPHRASE_FILE").env("USER", "ana");
    if let Some(db) = db {
        command.arg("--db").arg(db);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run factdesk");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let output = child.wait_with_output().expect("run factdesk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(dir: &Path, db: Option<&str>, args: &[&str]) -> String {
    let (ok, out, err) = factdesk(dir, db, args, "");
    assert!(ok, "factdesk {args:?} failed: {err}");
    out
}

fn fails(dir: &Path, db: Option<&str>, args: &[&str]) -> String {
    let (ok, out, err) = factdesk(dir, db, args, "");
    assert!(!ok, "factdesk {args:?} should have failed: {out}");
    err
}

#[test]
fn team_init_creates_the_schema_and_audit_verify_reads_the_server() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = test_postgres::database();
    let out = ok(tmp.path(), None, &["team", "init", &db.url]);
    // The newest PostgreSQL migration this build carries (not a number written here, which every new one broke).
    let schema = format!("schema {}", factdesk_core::store::postgres::embedded_migrations().len());
    assert!(out.contains("team store ready") && out.contains(&schema) && out.contains("factdesk"), "{out}");
    // Again: nothing to do, still fine.
    ok(tmp.path(), None, &["team", "init", &db.url]);
    let out = ok(tmp.path(), Some(&db.url), &["audit", "verify"]);
    assert!(out.contains("audit trail intact: 0 entries"), "{out}");
}

#[test]
fn a_password_in_the_url_is_refused_and_never_repeated() {
    let tmp = tempfile::tempdir().expect("tmp");
    let url = "postgres://ana:Secret-Pw-91@127.0.0.1:5999/desk";
    for args in [&["team", "init", url][..], &["migrate-store", "--from", "x.db", "--to", url][..]] {
        let err = fails(tmp.path(), None, args);
        assert!(err.contains("password in the database URL is refused") && err.contains(".pgpass"), "{err}");
        assert!(!err.contains("Secret-Pw-91"), "{err}");
    }
    let err = fails(tmp.path(), Some(url), &["audit", "verify"]);
    assert!(!err.contains("Secret-Pw-91") && err.contains("refused"), "{err}");
    // Through the environment as well.
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .current_dir(tmp.path())
        .env("FACTDESK_DB", url)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && err.contains("refused") && !err.contains("Secret-Pw-91"), "{err}");
}

#[test]
fn a_server_that_is_not_there_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let url = format!("postgres://ana@127.0.0.1:{port}/desk");
    for err in [fails(tmp.path(), None, &["team", "init", &url]), fails(tmp.path(), Some(&url), &["audit", "verify"])] {
        assert!(
            err.contains(&format!("cannot reach the PostgreSQL server at postgres://ana@127.0.0.1:{port}/desk")),
            "{err}"
        );
        assert!(!err.contains("SELECT") && !err.contains("panicked") && err.lines().count() == 1, "{err}");
    }
    let db = test_postgres::database();
    let err = fails(tmp.path(), Some(&db.url), &["audit", "verify"]);
    assert!(err.contains("not a Factdesk team store yet") && err.contains("factdesk team init"), "{err}");
}

#[test]
fn commands_run_on_the_server_and_write_no_file_while_backup_says_why_not() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("a.md"), "# A\n\nText.").expect("write");
    let db = test_postgres::database();
    ok(tmp.path(), None, &["team", "init", &db.url]);
    let d = desk.to_str().expect("utf-8");
    assert!(ok(tmp.path(), Some(&db.url), &["scan", d]).contains("a.md"));
    let claim = ok(tmp.path(), Some(&db.url), &["claim", "add", d, "a.md", "--quote", "Text."]);
    let claims = ok(tmp.path(), Some(&db.url), &["claims", d, "a.md", "--json"]);
    assert!(claims.contains(&format!("\"id\": {claim}")) || claims.contains(&format!("\"id\":{claim}")), "{claims}");
    // Search runs on the server's own full-text index (the search suite runs whole on both engines).
    let hits = ok(tmp.path(), Some(&db.url), &["search", d, "text", "--json"]);
    assert!(hits.contains("\"claim\"") && hits.contains("\"draft\""), "{hits}");
    let err = fails(tmp.path(), Some(&db.url), &["backup", "-o", tmp.path().join("b.age").to_str().expect("utf-8")]);
    assert!(err.contains("use pg_dump"), "{err}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("ls").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("desk")], "no file named after the URL");
}

/// `report` (a Markdown export) with the minute it was generated replaced by `<generated>`: the file's copy and the
/// server's are exported moments apart, and a run crossing a minute read 05:33 on one side and 05:34 on the other.
/// The CLI takes "now" from the system clock and has no way to pin it, so only that time is taken out; every other
/// line is compared as it is. Panics unless the report names its time where the writer puts it.
fn without_generation_time(report: &str) -> String {
    let mut replaced = 0;
    let lines: Vec<String> = report
        .lines()
        .map(|line| {
            for prefix in ["| Report | ", "Generated "] {
                let Some(rest) = line.strip_prefix(prefix) else { continue };
                let Some((time, after)) = rest.split_once(" by ") else { continue };
                // Only a time as the report writes it ("2 Dec 2026, 05:33 UTC"), never any other text.
                if chrono::NaiveDateTime::parse_from_str(time, "%d %b %Y, %H:%M UTC").is_ok() {
                    replaced += 1;
                    return format!("{prefix}<generated> by {after}");
                }
            }
            line.to_owned()
        })
        .collect();
    assert_eq!(replaced, 2, "the report's generation time, in its details and its last line: {report}");
    lines.join("\n")
}

#[test]
fn migrate_store_moves_a_reviewed_desk_with_its_trail_unchanged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("seed draft");
    std::fs::write(desk.join("kabul-embassy.txt"), &kabul).expect("copy");
    let file = tmp.path().join("factdesk.db");
    let sqlite = file.to_str().expect("utf-8");
    let d = desk.to_str().expect("utf-8");
    let draft = "kabul-embassy.txt";
    let run = |args: &[&str]| ok(tmp.path(), Some(sqlite), args);

    // A review of the seed draft: claims, an unnamed source with its confidential side,
    // evidence, notes, the editor's note and status changes.
    let meet = run(&["claim", "add", d, draft, "--quote", "Taliban leaders meet at the Chinese embassy every day"]);
    let mine =
        run(&["claim", "add", d, draft, "--quote", "a Chinese and Taliban Delegation recently visited the mine"]);
    let (added, source, err) = factdesk(
        tmp.path(),
        Some(sqlite),
        &["source", "add", d, "--descriptor", "sources in Kabul", "--kind", "unnamed", "--identity", "-"],
        "Name Withheld, ministry driver\n",
    );
    assert!(added, "{err}");
    run(&["claim", "link", &meet, &source, "--role", "attributed"]);
    run(&["evidence", "add", &mine, "--kind", "document", "--reference", "visit.pdf", "--summary", "Visitor log"]);
    run(&["claim", "set", &mine, "--status", "corroborated"]);
    run(&["note", "add", "--claim", &meet, "--text", "Can anyone else place them there?"]);
    run(&["note", "add", "--draft", d, draft, "--text", "Headline overstates what we can show."]);
    run(&["editor-note", d, draft, "--set", "This report relies on sources who are not named."]);
    run(&["status", d, draft, "needs-work"]);
    // What the desk shows on its file: the same on the server after the move.
    let views = |run: &dyn Fn(&[&str]) -> String| {
        [
            run(&["claims", d, draft, "--json"]),
            run(&["check", d, draft, "--json"]),
            without_generation_time(&run(&["export", d, draft, "--format", "md"])),
            run(&["audit", "verify"]).lines().next().unwrap_or_default().to_owned(),
        ]
    };
    let mut on_file = views(&run);
    // On the file the changes were made before a reviewer's name was set, so its report says the name is this
    // computer's login; on the server the same name is a login of the server's: the only line meant to differ.
    on_file[2] =
        on_file[2].replace(" (this computer's login: changes recorded on this computer before a name was set)", "");
    let trail = run(&["audit", "log", "--json"]);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&trail).expect("json");
    assert!(entries.len() >= 8, "{trail}");

    let db = test_postgres::database();
    ok(tmp.path(), None, &["team", "init", &db.url]);
    let out = ok(tmp.path(), None, &["migrate-store", "--from", sqlite, "--to", &db.url]);
    assert!(out.contains("as in the file") && !out.contains("DIFFERS"), "{out}");
    let verified = ok(tmp.path(), Some(&db.url), &["audit", "verify"]);
    assert!(verified.contains(&format!("audit trail intact: {} entries", entries.len())), "{verified}");
    assert_eq!(ok(tmp.path(), Some(&db.url), &["audit", "log", "--json"]), trail, "the same trail, hashes and all");
    let on_server = views(&|args: &[&str]| ok(tmp.path(), Some(&db.url), args));
    for (what, (file, server)) in ["claims --json", "check --json", "the Markdown report", "audit verify"]
        .iter()
        .zip(on_file.iter().zip(&on_server))
    {
        assert_eq!(server, file, "{what} differs on the server");
    }
    assert!(on_server[3].starts_with("audit trail intact"), "{}", on_server[3]);

    // The identity went as stored (this desk has no vault: as its file keeps it), and only to the server.
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let identity: Option<String> =
        client.query_one("SELECT identity FROM source_confidential", &[]).expect("row").get(0);
    assert_eq!(identity.as_deref(), Some("Name Withheld, ministry driver"));
    assert!(!out.contains("Name Withheld"));

    // Into a store that already holds the desk: refused.
    let err = fails(tmp.path(), None, &["migrate-store", "--from", sqlite, "--to", &db.url]);
    assert!(err.contains("already holds"), "{err}");
    // From a file that is not there: refused, and not created.
    let err = fails(tmp.path(), None, &["migrate-store", "--from", "missing.db", "--to", &db.url]);
    assert!(err.contains("no Factdesk database at missing.db") && !tmp.path().join("missing.db").exists(), "{err}");
}
