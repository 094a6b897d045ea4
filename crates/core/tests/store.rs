//! Store tests on real SQLite files: migrations, refusal of newer or edited
//! schemas, and a damaged file left untouched.

use factdesk_core::store::{embedded_migrations, Store, StoreError};
use std::path::Path;

#[test]
fn a_new_database_gets_every_migration_with_wal() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("nested/folder/factdesk.db");
    let store = Store::open(&db).expect("open");
    assert_eq!(store.schema_version().expect("version") as usize, embedded_migrations().len());
    drop(store);
    assert!(tmp.path().join("nested/folder/factdesk.db-wal").exists() || db.exists());
    // Re-opening applies nothing and succeeds.
    Store::open(&db).expect("reopen");
}

#[test]
fn a_database_from_a_newer_factdesk_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    Store::open(&db).expect("open").execute_raw_for_tests("PRAGMA user_version = 999").expect("bump");
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, StoreError::NewerSchema { found: 999, .. }), "{err}");
    assert!(err.to_string().contains("newer Factdesk"));
}

#[test]
fn an_edited_applied_migration_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    // What the database remembers no longer matches the embedded SQL, as if
    // 0001 had been edited after this database applied it.
    Store::open(&db)
        .expect("open")
        .execute_raw_for_tests("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1")
        .expect("tamper");
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, StoreError::MigrationEdited { version: 1, .. }), "{err}");
}

#[test]
fn applied_migrations_are_never_edited() {
    // migrations/applied.sha256 records every migration that has shipped.
    // Editing one of them breaks every database that applied it: add a new
    // migration instead. A new migration is appended to the list.
    let list = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/applied.sha256"))
        .expect("migrations/applied.sha256");
    let recorded: Vec<(String, String)> = list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (hash, name) = l.split_once(char::is_whitespace).expect("'<sha256> <file>' lines");
            (name.trim().to_owned(), hash.to_owned())
        })
        .collect();
    let embedded: Vec<(String, String)> =
        embedded_migrations().into_iter().map(|(v, name, hash)| (format!("{v:04}_{name}.sql"), hash)).collect();
    assert_eq!(recorded, embedded, "a shipped migration was edited, or a new one is not in migrations/applied.sha256");
}

#[test]
fn a_damaged_database_is_a_clear_error_and_left_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    let junk = b"this is not a database, it is a very important file".repeat(100);
    std::fs::write(&db, &junk).expect("write");
    let err = Store::open(&db).err().expect("refused");
    assert!(err.to_string().contains("damaged or not a Factdesk database"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), junk);
}

#[test]
fn a_drafts_placements_are_read_by_an_index_on_their_version() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    drop(Store::open(&db).expect("open"));
    let conn = rusqlite::Connection::open(&db).expect("open");
    // The shape of `Store::anchors_at_version`'s statement, planned by SQLite on the store's schema.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT * FROM claim_anchors WHERE version_id = ?1 AND EXISTS
             (SELECT 1 FROM claims c WHERE c.id = claim_anchors.claim_id AND c.removed_at IS NULL) ORDER BY claim_id",
        )
        .expect("plan")
        .query_map([1], |row| row.get::<_, String>(3))
        .expect("plan")
        .collect::<Result<_, _>>()
        .expect("plan");
    assert!(
        plan.iter().any(|step| step.contains("claim_anchors") && step.contains("INDEX claim_anchors_by_version")),
        "a draft's placements scan every placement of the store: {plan:?}"
    );
}
