//! Durability on real SQLite files: the audit head file and what `verify`
//! finds against it and the current rows, rotating online backups (before a
//! migration, daily, restorable), owner-only files, and errors that never
//! show SQL.

use factdesk_core::audit;
use factdesk_core::backup::{self, Reason};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::{embedded_migrations, lock, ClaimId, DraftId, SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TEXT: &str = "Six workers were injured on Tuesday, the plant's manager said.\n\n\
                    The plant reopened on Friday after an inspection.\n";

struct Bench {
    tmp: tempfile::TempDir,
    db: PathBuf,
    store: SharedStore,
    review: Review,
    draft: DraftId,
}

impl Bench {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::write(folder.join("story.txt"), TEXT).expect("write");
        let db = tmp.path().join("data/factdesk.db");
        let store = Store::open(&db).expect("store").shared();
        let desk = Desk::open(store.clone(), &folder, Arc::new(SystemClock)).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let draft = desk.draft_by_path("story.txt").expect("query").expect("draft").id;
        let review = Review::new(store.clone(), Arc::new(SystemClock), "ana".into());
        Self { tmp, db, store, review, draft }
    }

    fn claim(&self, quote: &str) -> ClaimId {
        let quote = factdesk_core::anchor::TextQuoteSelector {
            exact: quote.into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        self.review.add_claim(self.draft, &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn raw(&self, sql: &str) {
        lock(&self.store).execute_raw_for_tests(sql).expect("raw sql");
    }

    fn verify(&self) -> audit::AuditReport {
        self.review.verify_audit().expect("verify")
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn the_head_file_follows_every_audited_change_and_is_owner_only() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.set_status(claim, ClaimStatus::Disputed).expect("status");
    let head_path = audit::head_path(&bench.db);
    let head = audit::read_head(&lock(&bench.store)).expect("read").expect("a head file");
    let newest = bench.review.audit_trail(None).expect("trail").pop().expect("an entry");
    assert_eq!((head.seq, head.hash), (newest.seq, newest.hash));
    #[cfg(unix)]
    {
        assert_eq!(mode(&head_path), 0o600, "the head file");
        assert_eq!(mode(&bench.db), 0o600, "the database");
    }
    let report = bench.verify();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.beyond_head, 0);
}

#[test]
fn deleting_the_newest_entries_is_detected() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    for status in [ClaimStatus::Disputed, ClaimStatus::Corroborated, ClaimStatus::Cleared] {
        bench.review.set_status(claim, status).expect("status");
    }
    // What someone hiding the last two changes would do: the chain that is
    // left is intact, so only the head file can tell.
    bench.raw("DELETE FROM audit_log WHERE seq > 2; UPDATE claims SET status = 'disputed'");
    let broken = bench.verify().broken.expect("broken");
    assert_eq!(broken.seq, Some(4));
    assert!(broken.reason.contains("newest entries were deleted"), "{}", broken.reason);
}

#[test]
fn rewriting_the_whole_chain_is_detected() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.set_status(claim, ClaimStatus::Disputed).expect("status");
    // Rewrite entry 2 to say "cleared" and re-hash the chain from there, as a
    // tool that knows the canonical hash can: the chain holds on its own.
    let mut trail = bench.review.audit_trail(None).expect("trail");
    trail[1].after = Some(r#"{"status":"cleared"}"#.into());
    trail[1].hash = audit::entry_hash(&trail[1]);
    bench.raw(&format!(
        "UPDATE audit_log SET after = '{}', hash = '{}' WHERE seq = 2; UPDATE claims SET status = 'cleared'",
        trail[1].after.as_deref().expect("after"),
        trail[1].hash
    ));
    let report = bench.verify();
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, Some(2));
    assert!(broken.reason.contains("chain was rewritten"), "{}", broken.reason);
}

#[test]
fn rows_edited_added_or_deleted_by_hand_disagree_with_the_trail() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let other = bench.claim("The plant reopened on Friday");
    let desk = lock(&bench.store).draft(bench.draft).expect("q").expect("draft").desk_id;
    let source = bench
        .review
        .add_source(
            desk,
            &factdesk_core::sourcing::source::NewSource {
                descriptor: "the plant's manager".into(),
                kind: factdesk_core::sourcing::source::SourceKind::NamedPerson,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    bench.review.link_source(claim, source, factdesk_core::sourcing::source::SourceRole::Attributed).expect("link");
    let note = bench
        .review
        .add_note(factdesk_core::sourcing::note::NoteTarget::Claim(claim), "Call the union", None)
        .expect("note");
    assert!(bench.verify().is_intact(), "{:?}", bench.verify());

    bench.raw(&format!(
        "UPDATE claims SET status = 'corroborated' WHERE id = {claim};
         UPDATE notes SET text = 'Nothing to check' WHERE id = {note};
         UPDATE claim_sources SET role = 'corroborates';
         DELETE FROM claims WHERE id = {other};
         INSERT INTO notes (claim_id, text, author, created_at) VALUES ({claim}, 'planted', 'mallory', '2099-01-01T00:00:00Z');"
    ));
    let report = bench.verify();
    assert!(report.broken.is_none(), "the chain itself holds: {report:?}");
    let found: Vec<(String, String)> =
        report.disagreements.iter().map(|d| (d.entity.clone(), d.field.clone())).collect();
    for expected in [
        (format!("claim:{claim}"), "status".to_owned()),
        (format!("note:{note}"), "text".to_owned()),
        (format!("link:{claim}/{source}"), "role".to_owned()),
        (format!("claim:{other}"), "row".to_owned()),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(
        found
            .iter()
            .any(|(entity, field)| entity.starts_with("note:") && entity != &format!("note:{note}") && field == "row"),
        "{found:?}"
    );
    assert!(!report.is_intact());
}

#[test]
fn errors_never_show_sql() {
    let bench = Bench::new();
    let error = lock(&bench.store).execute_raw_for_tests("SELEC secret_column FROM claims").expect_err("bad SQL");
    let message = error.to_string();
    assert!(!message.contains("secret_column FROM claims"), "{message}");
    assert!(message.contains("syntax error"), "{message}");
}

/// A database as an older Factdesk left it: every migration but the last.
fn older_database(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    let migrations = embedded_migrations();
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .expect("bookkeeping");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    for (version, name, sha) in &migrations[..migrations.len() - 1] {
        let sql = std::fs::read_to_string(dir.join(format!("{version:04}_{name}.sql"))).expect("migration file");
        conn.execute_batch(&sql).expect("apply");
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z')",
            rusqlite::params![version, name, sha],
        )
        .expect("record");
        conn.pragma_update(None, "user_version", version).expect("version");
    }
    conn.execute("INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/old', 'x', 'x')", []).expect("a desk");
}

#[test]
fn a_new_database_is_neither_backed_up_nor_announced_as_upgraded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    let store = Store::open(&db).expect("created");
    assert!(store.upgrade().is_none());
    assert!(!backup::folder(&db).exists(), "no backup of a database that did not exist");
}

#[test]
fn a_migration_is_preceded_by_an_owner_only_backup_of_the_old_database() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    older_database(&db);
    let store = Store::open(&db).expect("migrated");
    assert_eq!(store.schema_version().expect("v") as usize, embedded_migrations().len());
    let backups = backup::list(&db).expect("list");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].reason, Reason::BeforeMigration);
    let upgrade = store.upgrade().expect("the opening says it upgraded");
    let known = u32::try_from(embedded_migrations().len()).expect("count");
    assert_eq!((upgrade.from, upgrade.to), (known - 1, known));
    assert_eq!(upgrade.backup, backups[0].path, "it names the backup it took");
    assert!(upgrade.to_string().contains(&backups[0].path.display().to_string()), "{upgrade}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&backups[0].path), 0o600);
        assert_eq!(mode(&backup::folder(&db)), 0o700);
    }
    let old = rusqlite::Connection::open(&backups[0].path).expect("open backup");
    let version: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0)).expect("v");
    assert_eq!(
        usize::try_from(version).expect("version"),
        embedded_migrations().len() - 1,
        "the backup is the database before the migration"
    );
    let desks: i64 = old.query_row("SELECT COUNT(*) FROM desks", [], |r| r.get(0)).expect("count");
    assert_eq!(desks, 1);
    drop(store);
    let reopened = Store::open(&db).expect("reopen");
    assert_eq!(backup::list(&db).expect("list").len(), 1, "nothing to migrate, no new backup");
    assert!(reopened.upgrade().is_none(), "an up-to-date database is not announced as upgraded");
}

#[test]
fn daily_backups_rotate_and_one_restores_the_review() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let made = backup::create_if_due(&lock(&bench.store), backup::DAILY).expect("backup").expect("first is due");
    assert!(
        backup::create_if_due(&lock(&bench.store), backup::DAILY).expect("backup").is_none(),
        "not due again today"
    );
    for _ in 0..backup::KEEP + 2 {
        std::thread::sleep(std::time::Duration::from_millis(3));
        backup::create_if_due(&lock(&bench.store), std::time::Duration::ZERO).expect("backup");
    }
    let daily: Vec<_> =
        backup::list(&bench.db).expect("list").into_iter().filter(|b| b.reason == Reason::Daily).collect();
    assert_eq!(daily.len(), backup::KEEP, "only the newest are kept");
    assert!(!daily.iter().any(|b| b.path == made), "the oldest went first");

    // The review goes on after the last backup, then the backup is restored.
    let kept = daily.last().expect("newest").path.clone();
    bench.review.set_status(claim, ClaimStatus::Disputed).expect("status");
    let later = bench.claim("The plant reopened on Friday");
    let before_restore = backup::restore(&mut lock(&bench.store), &kept).expect("restore");
    assert!(before_restore.exists());
    let reopened = Review::new(Store::open(&bench.db).expect("reopen").shared(), Arc::new(SystemClock), "ana".into());
    assert_eq!(reopened.claim(claim).expect("claim").status, ClaimStatus::NeedsCorroboration);
    assert!(reopened.claim(later).is_err(), "the claim made after the backup is gone");
    // And the database as it was just before the restore was kept.
    let undo = Review::new(Store::open(&before_restore).expect("open").shared(), Arc::new(SystemClock), "ana".into());
    assert_eq!(undo.claim(claim).expect("claim").status, ClaimStatus::Disputed);
    drop(bench.tmp);
}

#[test]
fn restoring_something_that_is_not_a_backup_is_refused_and_changes_nothing() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let junk = bench.tmp.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").expect("write");
    let error = backup::restore(&mut lock(&bench.store), &junk).expect_err("refused");
    assert!(error.to_string().contains("not a Factdesk backup"), "{error}");
    assert!(bench.review.claim(claim).is_ok());
}

#[test]
fn every_report_model_carries_the_audit_head() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.set_status(claim, ClaimStatus::Disputed).expect("status");
    let options =
        factdesk_core::report::GatherOptions { profile: factdesk_core::report::Profile::Desk, include_text: false };
    let model = factdesk_core::report::gather(
        &bench.store,
        Arc::new(SystemClock),
        factdesk_core::report::Scope::Draft(bench.draft),
        &options,
    )
    .expect("gather");
    let head = audit::read_head(&lock(&bench.store)).expect("read").expect("head");
    assert_eq!(model.audit_head, Some(head));
    assert_eq!(model.audit_head.map(|h| h.seq), Some(2));
}
