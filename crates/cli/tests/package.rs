//! What the package installs beside the binary, and what an upgrade says:
//! the version line, the manual page, the shell completions, the notice when
//! a newer Factdesk upgrades an older database.

use std::path::Path;
use std::process::{Command, Output};

fn factdesk(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.arg("--db").arg(db).env_remove("FACTDESK_DB");
    command
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn migrations() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

#[test]
fn version_names_the_release_and_the_database_schema() {
    let tmp = tempfile::tempdir().expect("tmp");
    let line = stdout(&factdesk(&tmp.path().join("f.db")).arg("--version").output().expect("run"));
    let schema = migrations().len();
    assert_eq!(line.trim(), format!("factdesk {} (database schema {schema})", env!("CARGO_PKG_VERSION")));
    assert!(!tmp.path().join("f.db").exists(), "--version opens no database");
}

#[test]
fn completions_for_bash_zsh_and_fish_know_the_subcommands() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (shell, marker) in
        [("bash", "complete -F _factdesk"), ("zsh", "#compdef factdesk"), ("fish", "complete -c factdesk")]
    {
        let script = stdout(&factdesk(&tmp.path().join("f.db")).args(["completions", shell]).output().expect("run"));
        assert!(script.contains(marker), "{shell}: {}", &script[..script.len().min(200)]);
        for command in ["scan", "claim", "export", "vault", "backup"] {
            assert!(script.contains(command), "{shell} completion lacks {command}");
        }
    }
    let refused = factdesk(&tmp.path().join("f.db")).args(["completions", "tcsh"]).output().expect("run");
    assert!(!refused.status.success());
}

#[test]
fn the_manual_page_documents_every_command_and_where_the_data_lives() {
    let tmp = tempfile::tempdir().expect("tmp");
    let page = stdout(&factdesk(&tmp.path().join("f.db")).arg("manual").output().expect("run"));
    assert!(page.starts_with(".ie") || page.contains(".TH factdesk 1"), "{}", &page[..page.len().min(300)]);
    for heading in [".SH \"FACTDESK SCAN\"", ".SH \"FACTDESK CLAIM ADD\"", ".SH \"FACTDESK VAULT INIT\"", ".SH FILES"] {
        assert!(page.contains(heading), "the manual lacks {heading}");
    }
    assert!(page.contains("factdesk.db"), "FILES names the database");
}

#[test]
fn opening_an_older_database_upgrades_it_after_a_backup_and_says_where_the_backup_is() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    {
        // The database as the previous release left it: every migration but the newest.
        let conn = rusqlite::Connection::open(&db).expect("db");
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .expect("bookkeeping");
        let files = migrations();
        for (version, file) in (1_i64..).zip(&files[..files.len() - 1]) {
            let sql = std::fs::read_to_string(file).expect("sql");
            conn.execute_batch(&sql).expect("apply");
            let stem = file.file_stem().and_then(|s| s.to_str()).expect("name");
            let name = stem.split_once('_').expect("NNNN_name").1;
            let sha = factdesk_core::ingest::hex_sha256(sql.as_bytes());
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z')",
                rusqlite::params![version, name, sha],
            )
            .expect("record");
            conn.pragma_update(None, "user_version", version).expect("version");
        }
    }
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("desk");
    std::fs::write(desk.join("a.txt"), "Officials said the embassy closed.").expect("draft");
    let first = factdesk(&db).arg("scan").arg(&desk).output().expect("run");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let said = String::from_utf8_lossy(&first.stderr);
    let known = migrations().len();
    assert!(said.contains(&format!("upgraded the database from schema {} to {known}", known - 1)), "{said}");
    let backups = tmp.path().join("backups");
    let backup = std::fs::read_dir(&backups).expect("backups folder").next().expect("one backup").expect("entry");
    assert!(said.contains(&backup.path().display().to_string()), "the notice names the backup: {said}");
    let again = factdesk(&db).arg("scan").arg(&desk).output().expect("run");
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stderr).contains("upgraded"), "told once, at the upgrade");
}
