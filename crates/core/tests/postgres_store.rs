//! The team store on a real PostgreSQL server (a throwaway cluster, one
//! database per test; see crates/test-postgres): its schema against
//! SQLite's, migrations pinned, newer and edited schemas refused, clear
//! errors for an unreachable server or a store not initialised, the audit
//! chain under concurrent writers with different logins, and a whole review
//! moved from SQLite with its hashes unchanged.

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::audit::{self, AuditAction, Change, Entity};
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, Role};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::postgres::{embedded_migrations, migrate_from_sqlite, LoginGrant, PgLocation, PgStore};
use factdesk_core::store::{lock, ClaimId, Store, StoreError};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

fn location(url: &str) -> PgLocation {
    url.parse().expect("test URL")
}

fn sql(url: &str, statements: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    client.batch_execute(statements).expect("sql");
}

#[test]
fn team_init_creates_the_same_tables_and_columns_as_sqlite() {
    let db = test_postgres::database();
    let mut store = PgStore::init(&location(&db.url)).expect("init");
    assert_eq!(store.schema_version().expect("version") as usize, embedded_migrations().len());
    assert_eq!(store.actor(), "factdesk", "the login is who acts");

    let tmp = tempfile::tempdir().expect("tmp");
    drop(Store::open(&tmp.path().join("f.db")).expect("sqlite"));
    let shape = rusqlite::Connection::open(tmp.path().join("f.db")).expect("open");
    let mut sqlite_columns: BTreeMap<(String, String), (String, bool)> = BTreeMap::new();
    let mut stmt = shape
        .prepare(
            "SELECT m.name, p.name, upper(p.type), p.\"notnull\" FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
               -- SQLite's full-text index (virtual tables and their shadow tables) is derived from the
               -- rows, as the server's search_entries is: each engine's own, compared by the search suite.
               AND m.name NOT LIKE 'search!_%' ESCAPE '!'",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })
        .expect("query");
    for row in rows {
        let (table, column, ty, not_null) = row.expect("row");
        sqlite_columns.insert((table, column), (ty, not_null == 1));
    }

    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let mut pg_columns: BTreeMap<(String, String), (String, bool)> = BTreeMap::new();
    for row in client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO'
             FROM information_schema.columns WHERE table_schema = 'public'
               -- The server's own count of who wrote (data_version's), no table of the review;
               -- its search index, derived from the rows as SQLite's FTS5 tables are.
               AND table_name NOT IN ('store_writes', 'search_entries')
               -- The trail's lock, one row the server's functions lock, and what its walks of the chain found
               -- (migrations/postgres/0032): no data of the review.
               AND table_name NOT IN ('audit_append_lock', 'audit_verified_head', 'audit_verdicts', 'audit_rewrites')
               -- Each desk's writers' lock, a row per desk the server's function locks (migrations/postgres/0044):
               -- SQLite's writers take turns on the file's own write lock.
               AND table_name <> 'desk_write_locks'
               -- Which server logins the people functions made (migrations/postgres/0036): SQLite has no logins.
               AND table_name <> 'factdesk_made_logins'
               -- The server's reading of whose an audit entry is, filled on append for its row-level security
               -- (migrations/postgres/0019_audit_log_held.sql; its desk since 0042): SQLite has no logins to hold
               -- to it.
               AND NOT (table_name = 'audit_log' AND column_name IN ('draft_id', 'note_id', 'desk_id'))
               -- Tables only, as on SQLite's side (a view such as source_fields_recorded is not data).
               AND table_name IN (SELECT table_name FROM information_schema.tables
                                  WHERE table_schema = 'public' AND table_type = 'BASE TABLE')",
            &[],
        )
        .expect("columns")
    {
        pg_columns.insert((row.get(0), row.get(1)), (row.get(2), row.get(3)));
    }
    let names = |m: &BTreeMap<(String, String), (String, bool)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&pg_columns), names(&sqlite_columns), "the same tables and columns on both engines");
    for (key, (sqlite_type, sqlite_not_null)) in &sqlite_columns {
        let (pg_type, pg_not_null) = &pg_columns[key];
        // A primary key is NOT NULL on PostgreSQL even where SQLite did not say so.
        assert!(pg_not_null >= sqlite_not_null, "{key:?}: NOT NULL on SQLite, nullable on PostgreSQL");
        let expected: &[&str] = match sqlite_type.as_str() {
            "INTEGER" => &["bigint", "boolean"],
            "TEXT" => &["text"],
            "REAL" => &["double precision"],
            "BLOB" => &["bytea"],
            other => panic!("{key:?}: SQLite type {other} not mapped"),
        };
        assert!(expected.contains(&pg_type.as_str()), "{key:?}: {sqlite_type} on SQLite, {pg_type} on PostgreSQL");
    }

    // Initialising again applies nothing and succeeds; connecting checks and succeeds.
    PgStore::init(&location(&db.url)).expect("init again");
    PgStore::connect(&location(&db.url)).expect("connect");
}

#[test]
fn applied_postgres_migrations_are_never_edited() {
    let list =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres/applied.sha256"))
            .expect("migrations/postgres/applied.sha256");
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
    assert_eq!(
        recorded, embedded,
        "a shipped migration was edited, or a new one is not in migrations/postgres/applied.sha256"
    );
}

#[test]
fn a_store_before_team_init_a_newer_one_and_an_edited_one_are_refused() {
    let db = test_postgres::database();
    let err = PgStore::connect(&location(&db.url)).err().expect("not initialised");
    assert!(matches!(err, StoreError::NotInitialised { .. }), "{err}");
    assert!(err.to_string().contains("factdesk team init"), "{err}");

    PgStore::init(&location(&db.url)).expect("init");
    sql(&db.url, "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1");
    let err = PgStore::connect(&location(&db.url)).err().expect("edited");
    assert!(matches!(err, StoreError::MigrationEdited { version: 1, .. }), "{err}");

    sql(&db.url, "INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')");
    let err = PgStore::connect(&location(&db.url)).err().expect("newer");
    assert!(matches!(err, StoreError::NewerSchema { found: 999, .. }), "{err}");
    let err = PgStore::init(&location(&db.url)).err().expect("newer, also for init");
    assert!(matches!(err, StoreError::NewerSchema { found: 999, .. }), "{err}");
}

#[test]
fn two_people_initialising_at_once_apply_the_schema_once() {
    let db = test_postgres::database();
    let url = db.url.clone();
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::init(&location(&url)).map(|_| ()))
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread").expect("init");
    }
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let applied: i64 = client.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).expect("count").get(0);
    assert_eq!(usize::try_from(applied).expect("count"), embedded_migrations().len());
}

/// A server of its own, on which no team store was ever made (the group roles of 0007 do not exist yet): the test
/// server is shared by every test of the run, and has them after its first `team init`. Stopped and deleted when this
/// test process exits (`scripts/pg-test-cluster.sh start`).
fn new_server() -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-test-cluster.sh");
    let output = std::process::Command::new(script)
        .arg("start")
        .arg(std::process::id().to_string())
        .output()
        .expect("run pg-test-cluster.sh");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Regression (session 10: `two_people_initialising_at_once_apply_the_schema_once` failed once under load): the
/// group roles are the whole server's, so two people running `team init` at once on two stores of a new server both
/// make them in their 0007. The second waited for the first's uncommitted roles only as long as the lock timeout,
/// then failed with `MigrationBusy` ("a session holds a table it changes"), though what it waited for was the other
/// `team init`, which it waits for without limit. Here the first is held inside its 0007 (its roles made, not yet
/// committed) until the second is seen waiting; the second then succeeds.
#[test]
fn two_people_initialising_two_stores_of_a_new_server_at_once_both_succeed() {
    let server = new_server();
    let url = |name: &str| format!("{}/{name}", server.rsplit_once('/').expect("a URL").0);
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("connect");
    admin.batch_execute("CREATE DATABASE first_store").expect("create");
    admin.batch_execute("CREATE DATABASE second_store").expect("create");
    // The first person's `team init`, inside its 0007: the group roles made, not committed yet.
    let mut first = postgres::Client::connect(&url("first_store"), postgres::NoTls).expect("connect");
    let mut first_0007 = first.transaction().expect("begin");
    for group in factdesk_core::store::people::GROUP_ROLES {
        first_0007.batch_execute(&format!("CREATE ROLE {group} NOLOGIN")).expect("the first init's roles");
    }
    // The second person's, with a lock timeout far shorter than the first takes.
    let second_url = url("second_store");
    let second = std::thread::spawn(move || {
        PgStore::init(&location(&second_url).with_lock_timeout(std::time::Duration::from_millis(200))).map(|_| ())
    });
    // The first commits once the second has waited for it five times its lock timeout, by the server's clock (or
    // once the second has given up, which the assertion reports).
    let waiting = "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                   WHERE NOT l.granted AND a.datname = 'second_store'
                     AND l.waitstart < pg_catalog.clock_timestamp() - interval '1 second')";
    while !second.is_finished() && !admin.query_one(waiting, &[]).expect("locks").get::<_, bool>(0) {
        std::thread::yield_now();
    }
    first_0007.commit().expect("the first init's 0007 ends");
    second.join().expect("thread").expect("the second team init waits for the first, then succeeds");
    PgStore::init(&location(&url("first_store"))).expect("the first team init goes on");
    let mut client = postgres::Client::connect(&url("second_store"), postgres::NoTls).expect("connect");
    let applied: i64 = client.query_one("SELECT COUNT(*) FROM schema_migrations", &[]).expect("count").get(0);
    assert_eq!(usize::try_from(applied).expect("count"), embedded_migrations().len());
}

#[test]
fn an_unreachable_server_is_a_clear_error_without_sql() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let err = PgStore::connect(&location(&format!("postgres://ana@127.0.0.1:{port}/desk"))).err().expect("refused");
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.contains("refused"), "says why: {message}");
    assert!(!message.contains("SELECT") && !message.contains("panicked"), "{message}");

    let db = test_postgres::database();
    let err = PgStore::connect(&location(&db.url_as("nobody_here"))).err().expect("no such login");
    assert!(matches!(err, StoreError::LoginRefused { .. }), "{err}");
    let err = PgStore::connect(&location(&test_postgres::url_of("factdesk", "no_such_db"))).err().expect("no db");
    assert!(matches!(err, StoreError::NoSuchDatabase { .. }), "{err}");
}

fn change(n: usize) -> Change<'static> {
    Change {
        by: "a name the client claims",
        at: chrono::Utc::now(),
        action: AuditAction::ClaimStatus,
        entity: Entity::Claim(ClaimId(i64::try_from(n).expect("small"))),
        before: Some(serde_json::json!({ "status": "needs-corroboration" })),
        after: Some(serde_json::json!({ "status": "corroborated", "n": n })),
    }
}

#[test]
fn concurrent_writers_with_different_logins_make_one_linear_chain() {
    const EACH: usize = 1000;
    let db = test_postgres::database();
    PgStore::init(&location(&db.url)).expect("init");
    db.create_login("alice");
    db.create_login("bob");
    let writers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|login| {
            let url = db.url_as(login);
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&location(&url)).expect("connect");
                let mut failures = 0;
                for n in 0..EACH {
                    if audit::record_on_team_store(&mut store, &change(n)).is_err() {
                        failures += 1;
                    }
                }
                failures
            })
        })
        .collect();
    let failures: usize = writers.into_iter().map(|w| w.join().expect("writer")).sum();
    assert_eq!(failures, 0);

    let mut store = PgStore::connect(&location(&db.url)).expect("connect");
    let report = audit::verify_chain(&store.audit_entries(None).expect("entries"));
    assert_eq!(report.broken, None, "one unbroken chain");
    assert_eq!(report.entries, 2 * EACH as u64, "nothing lost");
    let entries = store.audit_entries(None).expect("entries");
    let by = |login: &str| entries.iter().filter(|e| e.actor == login).count();
    assert_eq!((by("alice"), by("bob")), (EACH, EACH), "each recorded as its login, not the name it claims");
    // Interleaved, not one writer after the other: the lock was contended.
    let switches = entries.windows(2).filter(|w| w[0].actor != w[1].actor).count();
    println!("2 x {EACH} appends: {} entries, {switches} switches between writers", entries.len());
}

#[test]
fn a_tampered_entry_on_the_server_is_named() {
    let db = test_postgres::database();
    let mut store = PgStore::init(&location(&db.url)).expect("init");
    for n in 0..3 {
        audit::record_on_team_store(&mut store, &change(n)).expect("append");
    }
    sql(&db.url, "UPDATE audit_log SET after = '{\"status\":\"cleared\"}' WHERE seq = 2");
    let report = audit::verify_chain(&store.audit_entries(None).expect("entries"));
    assert_eq!(report.broken.and_then(|b| b.seq), Some(2));
}

const STORY: &str = "Embassy staff evacuated\n\n\
    Three diplomats left the city on Monday, a senior official said.\n\n\
    The convoy was attacked twice, according to two people who were there.\n\n\
    Editor's note: this story relies on unnamed sources.";

#[test]
fn migrate_store_copies_a_review_with_its_audit_hashes_unchanged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("story.txt"), STORY).expect("write");
    let db_path = tmp.path().join("f.db");
    let store = Store::open(&db_path).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
    let review = Review::new(store.clone(), clock, "Ana Editor".into());
    let quote = |exact: &str| TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
    let first = review
        .add_claim(draft, &quote("Three diplomats left the city on Monday"), ClaimStatus::NeedsCorroboration)
        .expect("claim");
    let second = review
        .add_claim(draft, &quote("The convoy was attacked twice"), ClaimStatus::NeedsCorroboration)
        .expect("claim");
    let source = review
        .add_source(
            desk.id(),
            &NewSource {
                descriptor: "a senior official".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Distinctive Identity 7Q".into()),
                    first_hand: Some(true),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    review.link_source(first, source, SourceRole::Attributed).expect("link");
    review
        .add_evidence(second, &NewEvidence::supporting(EvidenceKind::Document, "cable 12", "the cable says so", true))
        .expect("evidence");
    review.add_note(NoteTarget::Claim(first), "call them back", None).expect("note");
    review.add_private_note(NoteTarget::Draft(draft), "editors only", None).expect("private note");
    review.set_status(second, ClaimStatus::Corroborated).expect("status");
    review.save_editor_note(draft, "This story relies on unnamed sources.").expect("editor's note");
    review.set_draft_status(draft, DraftStatus::NeedsWork, None).expect("workflow");
    let sqlite_trail = audit::entries(&lock(&store), None).expect("trail");
    assert!(sqlite_trail.len() >= 8, "a reviewed desk: {} entries", sqlite_trail.len());

    let pg = test_postgres::database();
    let mut target = PgStore::init(&location(&pg.url)).expect("init");
    let report = migrate_from_sqlite(&lock(&store), &mut target).expect("migrate");
    assert!(report.is_complete(), "{report:#?}");
    for table in [
        "desks",
        "drafts",
        "draft_versions",
        "claims",
        "claim_anchors",
        "sources",
        "source_confidential",
        "claim_sources",
        "evidence",
        "notes",
        "editor_notes",
        "draft_workflow",
        "audit_log",
    ] {
        let count = report.tables.iter().find(|t| t.table == table).expect(table);
        assert!(count.target > 0 && count.target == count.source, "{count:?}");
    }
    assert_eq!(target.audit_entries(None).expect("entries"), sqlite_trail, "the same entries, the same hashes");

    // The server keeps numbering after the copied ids, and appends after the copied chain.
    let mut client = postgres::Client::connect(&pg.url, postgres::NoTls).expect("connect");
    // The copied rows are searchable there: the search index's triggers filled it as they went in.
    let mut found = |word: &str| -> Vec<String> {
        let terms = serde_json::json!([{ "text": word }]).to_string();
        client
            .query("SELECT kind FROM search_entries WHERE words @@ search_query($1) ORDER BY kind", &[&terms])
            .expect("search")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    assert_eq!(found("convoy"), ["claim", "draft"]);
    assert_eq!(found("official"), ["draft", "source"]);
    assert!(found("distinctive").is_empty(), "a confidential identity is never indexed");
    let max_claim: i64 = client.query_one("SELECT max(id) FROM claims", &[]).expect("max").get(0);
    let next: i64 = client
        .query_one(
            "INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at)
             VALUES ($1, 'disputed', 'x', 'y') RETURNING id",
            &[&max_claim],
        )
        .expect("insert")
        .get(0);
    assert!(next > 2, "identity moved on past the copied rows: {next}");
    audit::record_on_team_store(&mut target, &change(1)).expect("append after the copy");
    let chain = audit::verify_chain(&target.audit_entries(None).expect("entries"));
    assert_eq!((chain.broken, chain.entries), (None, sqlite_trail.len() as u64 + 1));

    // A second copy into a store that holds a desk is refused, and changes nothing.
    let err = migrate_from_sqlite(&lock(&store), &mut target).expect_err("refused");
    assert!(matches!(err, StoreError::CannotCopy(_)), "{err}");
    assert_eq!(target.audit_entries(None).expect("entries").len(), sqlite_trail.len() + 1);
}

/// Waits (bounded, measuring nothing) until `condition` holds.
fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !condition() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn woken(rx: &std::sync::mpsc::Receiver<()>, within: std::time::Duration) -> bool {
    let woke = rx.recv_timeout(within).is_ok();
    while rx.try_recv().is_ok() {}
    woke
}

/// A listener on `url`'s team store for the process holding `own`, its
/// wakes sent to the returned channel; waits until it listens.
fn listener_for(
    url: &str,
    own: &PgStore,
) -> (factdesk_core::store::postgres::StoreListener, std::sync::mpsc::Receiver<()>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let listener = factdesk_core::store::postgres::StoreListener::start(location(url), own.backend(), move || {
        let _ = tx.lock().map(|tx| tx.send(()));
    })
    .expect("listener thread");
    wait_until("the listener listens", || listener.listening());
    // Listening (again) wakes its owner once: what was committed meanwhile was told to no one.
    assert!(woken(&rx, std::time::Duration::from_secs(10)), "no wake on starting to listen");
    (listener, rx)
}

#[test]
fn another_processs_commit_wakes_the_listener_at_once_and_its_own_does_not() {
    let db = test_postgres::database();
    drop(PgStore::init(&location(&db.url)).expect("init"));
    let own = PgStore::connect(&location(&db.url)).expect("this process's connection");
    let (listener, rx) = listener_for(&db.url, &own);
    let own = Store::on_team_store(own);

    own.set_setting("who", "own again").expect("own write");
    assert!(!woken(&rx, std::time::Duration::from_millis(1500)), "woken by its own process's write");

    let other = Store::on_team_store(PgStore::connect(&location(&db.url)).expect("another process"));
    other.set_setting("who", "someone else").expect("other write");
    assert!(woken(&rx, std::time::Duration::from_secs(10)), "another process's commit did not wake the listener");

    // A transaction rolled back changed nothing: no one is woken.
    sql(&db.url, "BEGIN; INSERT INTO settings (key, value) VALUES ('x', 'y'); ROLLBACK;");
    assert!(!woken(&rx, std::time::Duration::from_millis(1500)), "woken by a rolled-back write");
    drop(listener);
}

#[test]
fn a_listener_whose_connection_is_lost_listens_again() {
    let db = test_postgres::database();
    let own = PgStore::init(&location(&db.url)).expect("init");
    let (listener, rx) = listener_for(&db.url, &own);
    // The server drops the listening connection (a restart, a network cut, an administrator).
    sql(
        &db.url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'factdesk-listener' AND datname = current_database()",
    );
    // Listening again wakes its owner once (nothing else was written meanwhile).
    assert!(woken(&rx, std::time::Duration::from_secs(15)), "no wake on listening again");
    assert!(listener.listening());
    let other = Store::on_team_store(PgStore::connect(&location(&db.url)).expect("another process"));
    other.set_setting("who", "someone else").expect("other write");
    assert!(woken(&rx, std::time::Duration::from_secs(10)), "a commit after the reconnection did not wake it");
}

/// Regression (issue 13): `migrate-store` copied the desk's people but not their logins' group roles, so a
/// migrated reporter's login held no Factdesk rights on the server. Logins the server has are put in their
/// role's group (and out of any other Factdesk group) by the copy; one it does not have is left to `people add`.
#[test]
fn migrate_store_puts_each_copied_persons_login_in_the_group_of_their_role() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let store = Store::open(&tmp.path().join("f.db")).expect("sqlite").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock).expect("desk");
    let run = std::process::id();
    let (bo, lou, zed, sup) = (format!("bo{run}m"), format!("lou{run}m"), format!("zed{run}m"), format!("sup{run}m"));
    let (maker, ana) = (format!("maker{run}m"), format!("ana{run}m"));
    let pg = test_postgres::database();
    let mut client = postgres::Client::connect(&pg.url, postgres::NoTls).expect("connect");
    // The copy runs as the store's owner, a login of this test's own (README's set-up: CREATEROLE, owning the
    // database), not as the cluster's superuser: a login is the whole server's, and another suite run earlier on
    // the same cluster may have left the superuser in a Factdesk group, which the check below would blame on the copy.
    let copying = format!("owner{run}m");
    client
        .batch_execute(&format!(
            "CREATE ROLE \"{copying}\" LOGIN CREATEROLE; ALTER DATABASE \"{}\" OWNER TO \"{copying}\"",
            pg.name
        ))
        .expect("the server's administrator makes the owner");
    {
        let store = lock(&store);
        let now = chrono::Utc::now();
        // The desk's admin, named for this run: the copy puts an existing login of a person's name in their group,
        // and a login called plainly "ana" is other suites' on a shared cluster (cli's two_writers makes one).
        rights::add_person(&store, desk.id(), &ana, Role::Admin, &ana, now, None).expect("admin");
        for (name, role) in [
            (&bo, Role::Reporter),
            (&lou, Role::Lawyer),
            (&zed, Role::Editor),
            (&sup, Role::Reporter),
            (&maker, Role::StandardsEditor),
            (&copying, Role::Editor),
        ] {
            rights::add_person(&store, desk.id(), name, role, &ana, now, None).expect("add");
        }
    }
    let mut target = PgStore::init(&location(&pg.url_as(&copying))).expect("init as the owner");
    // bo's login exists in no group; lou's is still in the editors' group from another desk; zed has none; sup
    // is a superuser of the server, and the login running the copy is named like a person of the desk.
    sql(
        &pg.url,
        &format!(
            "CREATE ROLE \"{bo}\" LOGIN; CREATE ROLE \"{lou}\" LOGIN IN ROLE factdesk_editor; \
             CREATE ROLE \"{sup}\" LOGIN SUPERUSER; CREATE ROLE \"{maker}\" LOGIN CREATEROLE;"
        ),
    );
    let report = migrate_from_sqlite(&lock(&store), &mut target).expect("migrate");
    assert!(report.is_complete(), "{report:#?}");
    let member = |client: &mut postgres::Client, login: &str, group: &str| -> bool {
        client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                                JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = $1 AND u.rolname = $2)",
                &[&group, &login],
            )
            .expect("membership")
            .get(0)
    };
    assert!(member(&mut client, &bo, "factdesk_reporter"), "the reporter's login is a reporter on the server");
    assert_eq!(idle_timeout_of(&pg, &bo), "5min", "its transactions left idle are ended, as people add's are");
    assert!(member(&mut client, &lou, "factdesk_lawyer") && !member(&mut client, &lou, "factdesk_editor"));
    let exists: bool =
        client.query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&zed]).expect("roles").get(0);
    assert!(!exists, "no login is made without its password");
    // Neither the login running the copy nor a superuser has its server roles changed by a name on a desk.
    for login in [&sup, &copying] {
        for group in factdesk_core::store::people::GROUP_ROLES {
            assert!(!member(&mut client, login, group), "{login} put in {group}");
        }
        let outcome = report.logins.iter().find(|p| p.name == *login).map(|p| p.outcome);
        assert_eq!(outcome, Some(LoginGrant::LeftAlone), "{login}");
    }
    // A login of the server that Factdesk makes no person of (here one that may create roles) is put in no group,
    // and the report names it (review session 10, finding 16: 0031's checks, asked before each GRANT).
    for group in factdesk_core::store::people::GROUP_ROLES {
        assert!(!member(&mut client, &maker, group), "{maker} put in {group}");
    }
    let outcome = report.logins.iter().find(|p| p.name == maker).map(|p| p.outcome);
    assert_eq!(outcome, Some(LoginGrant::Refused));
    assert!(member(&mut client, &bo, "factdesk_reporter"), "a refusal leaves the copy's other grants in place");
}

/// The PostgreSQL migrations, in order: (file name, text).
fn postgres_migration_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("migrations/postgres")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .map(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
            (name, std::fs::read_to_string(&path).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// A migration's SQL as the checks below read it: no `--` comments, lowercase, one space between words, none
/// before an opening parenthesis.
fn normalized_sql(sql: &str) -> String {
    let code: Vec<&str> = sql.lines().map(|line| line.split("--").next().unwrap_or("")).collect();
    code.join(" ").to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ").replace(" (", "(")
}

/// The migrations that replace `factdesk_owner_folder` once 0025's expression index `drafts_by_owner_folder` stores
/// its values, without rebuilding that index in the same file (review session 8, finding 9): the index would keep
/// the old function's values, and the read policies' owner-folder branch would answer from them.
fn owner_folder_replaced_without_reindex(files: &[(String, String)]) -> Vec<String> {
    let mut indexed = false;
    let mut stale = Vec::new();
    for (name, sql) in files {
        let sql = normalized_sql(sql);
        let replaced = ["create function factdesk_owner_folder(", "create or replace function factdesk_owner_folder("]
            .iter()
            .any(|statement| sql.contains(statement))
            || sql.contains("drop function factdesk_owner_folder");
        if indexed && replaced && !sql.contains("reindex index drafts_by_owner_folder") {
            stale.push(name.clone());
        }
        indexed |= sql.contains("create index drafts_by_owner_folder");
    }
    stale
}

/// Review session 8, finding 9: a later migration replacing `factdesk_owner_folder` must run `REINDEX INDEX
/// drafts_by_owner_folder` in the same file. None of the shipped ones do without it, and the check finds one that
/// would (and lets one that reindexes through).
#[test]
fn no_migration_replaces_the_owner_folder_function_without_rebuilding_its_index() {
    let files = postgres_migration_files();
    assert!(files.iter().any(|(name, _)| name.starts_with("0025_")), "0025 creates the index");
    assert_eq!(owner_folder_replaced_without_reindex(&files), Vec::<String>::new());
    assert!(
        files.iter().any(|(_, sql)| sql.contains("COMMENT ON FUNCTION factdesk_owner_folder(TEXT)")),
        "the function says so where it is defined"
    );

    let replacement = "CREATE OR REPLACE FUNCTION factdesk_owner_folder (path TEXT) RETURNS TEXT\n\
                       LANGUAGE sql IMMUTABLE AS $$ SELECT split_part(path, '/', 2) $$;\n";
    let mut later = files.clone();
    later.push(("9998_owner_folder_changed.sql".into(), replacement.into()));
    assert_eq!(owner_folder_replaced_without_reindex(&later), ["9998_owner_folder_changed.sql"]);
    later.pop();
    later.push((
        "9998_owner_folder_changed.sql".into(),
        format!("{replacement}-- REINDEX INDEX drafts_by_owner_folder; (a comment rebuilds nothing)\n"),
    ));
    assert_eq!(owner_folder_replaced_without_reindex(&later), ["9998_owner_folder_changed.sql"]);
    later.pop();
    later.push((
        "9998_owner_folder_changed.sql".into(),
        format!("{replacement}REINDEX INDEX drafts_by_owner_folder;\n"),
    ));
    assert_eq!(owner_folder_replaced_without_reindex(&later), Vec::<String>::new());
}

/// A login name no other test uses: on PostgreSQL a login is the whole server's.
fn unique_login(base: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    format!("{base}{}x{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// `idle_in_transaction_session_timeout` as a new session of `login` starts with it.
fn idle_timeout_of(db: &test_postgres::TestDatabase, login: &str) -> String {
    let mut client = postgres::Client::connect(&db.url_as(login), postgres::NoTls).expect(login);
    client.query_one("SHOW idle_in_transaction_session_timeout", &[]).expect("show").get(0)
}

/// Issue 13, what was left after review session 9 (finding 5): any writer holds the audit lock for its
/// transaction, so a login leaving one open (psql, a stuck script) held every other writer of the store up for as
/// long as its session lasted. Every person's login now has its idle transactions ended by the server after a
/// minute (migrations/postgres/0035): those named before it (the migration), a person added or re-roled since
/// (`factdesk_put_person`). The login may still change it for its own session (README, the limits).
#[test]
fn on_a_team_store_every_persons_login_has_a_transaction_left_idle_ended() {
    let db = test_postgres::database();
    // A store from before 0035, with people on a desk already.
    drop(PgStore::init_up_to_for_tests(&location(&db.url), 34).expect("init up to 0034"));
    let (old, new) = (unique_login("old"), unique_login("new"));
    let verifier = rights::login_verifier(b"not asked by the test server");
    let mut owner = postgres::Client::connect(&db.url, postgres::NoTls).expect("owner");
    let desk: i64 = owner
        .query_one("INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/desk', 'x', 'x') RETURNING id", &[])
        .expect("desk")
        .get(0);
    // As the owner, through the server's function `people add` calls (not the superuser named as a person: its
    // group would be the whole test server's).
    let mut put_person = |person: &str, role: &str, verifier: Option<&str>| {
        owner
            .query_one("SELECT factdesk_put_person($1, $2, $3, 'x', $4)", &[&desk, &person, &role, &verifier])
            .map(|_| ())
    };
    put_person(&old, "reporter", Some(&verifier)).expect("a person before 0035");
    assert_eq!(idle_timeout_of(&db, &old), "0", "before 0035 nothing ends an idle transaction of theirs");

    PgStore::init(&location(&db.url)).expect("team init applies 0035");
    assert_eq!(idle_timeout_of(&db, &old), "5min", "the migration bounds every existing person's login");

    put_person(&new, "editor", Some(&verifier)).expect("a new person");
    assert_eq!(idle_timeout_of(&db, &new), "5min", "a login people add creates");
    sql(&db.url, &format!("ALTER ROLE \"{old}\" IN DATABASE \"{}\" RESET ALL", db.name));
    put_person(&old, "lawyer", None).expect("re-role");
    assert_eq!(idle_timeout_of(&db, &old), "5min", "a login given another role");

    // Only in this store's database: the login's sessions elsewhere on the server are not Factdesk's to bound.
    let elsewhere: String = postgres::Client::connect(&test_postgres::url_of(&new, "postgres"), postgres::NoTls)
        .expect("the maintenance database")
        .query_one("SHOW idle_in_transaction_session_timeout", &[])
        .expect("show")
        .get(0);
    assert_eq!(elsewhere, "0");
    // What README says of it: the login may change it for its own session, and its own default; `team init` names
    // a person whose login did (`people_with_idle_transactions_unbounded`).
    let mut session = postgres::Client::connect(&db.url_as(&new), postgres::NoTls).expect("login");
    session.batch_execute("SET idle_in_transaction_session_timeout = 0").expect("its own session's");
    let own: String = session.query_one("SHOW idle_in_transaction_session_timeout", &[]).expect("show").get(0);
    assert_eq!(own, "0");
    let mut owners = PgStore::connect(&location(&db.url)).expect("the owner's");
    let mut unbounded = || owners.people_with_idle_transactions_unbounded().expect("unbounded");
    assert_eq!(unbounded(), (db.name.clone(), vec![]));
    session
        .batch_execute(&format!(
            "ALTER ROLE \"{new}\" IN DATABASE \"{}\" SET idle_in_transaction_session_timeout = 0",
            db.name
        ))
        .expect("its own default");
    assert_eq!(idle_timeout_of(&db, &new), "0");
    assert_eq!(unbounded(), (db.name.clone(), vec![new.clone()]));
}

/// The store's state as the owner reads it: each claim's status, and the number of status entries on the trail.
fn statuses_and_entries(url: &str) -> (Vec<String>, i64) {
    let mut owner = postgres::Client::connect(url, postgres::NoTls).expect("owner");
    let statuses = owner.query("SELECT status FROM claims ORDER BY id", &[]).expect("claims");
    let entries: i64 =
        owner.query_one("SELECT count(*) FROM audit_log WHERE action = 'claim.status'", &[]).expect("trail").get(0);
    (statuses.iter().map(|row| row.get(0)).collect(), entries)
}

/// Issue 13, what was left: a login with UPDATE on a table may `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` and leave
/// its transaction open; every Factdesk reading or writing that table then waited for as long as that session
/// lasted (the window hung). Factdesk's connection now gives up after its lock timeout (10 s; a test asks for
/// less): the reader and the writer are told the store is busy and which table another session holds, nothing of
/// the change is saved, and once the holder has gone the same change is.
#[test]
fn on_a_team_store_a_reader_and_a_writer_behind_a_held_table_are_told_the_store_is_busy() {
    let db = test_postgres::database();
    PgStore::init(&location(&db.url)).expect("init");
    let holder_login = unique_login("locker");
    db.create_login(&holder_login);
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("story.txt"), STORY).expect("write");
    let quick = location(&db.url).with_lock_timeout(std::time::Duration::from_millis(400));
    let store = Store::on_team_store(PgStore::connect(&quick).expect("connect")).shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
    let review = Review::new(store.clone(), clock, "Ana Editor".into());
    let quote = TextQuoteSelector {
        exact: "The convoy was attacked twice".into(),
        prefix: String::new(),
        suffix: String::new(),
    };
    let claim = review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration).expect("claim");
    let before = statuses_and_entries(&db.url);

    let mut holder = postgres::Client::connect(&db.url_as(&holder_login), postgres::NoTls).expect("holder");
    let mut open = holder.transaction().expect("transaction");
    open.batch_execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE").expect("a login with UPDATE takes it");
    let started = std::time::Instant::now();
    let read = review.claims(draft).map(|claims| claims.len());
    let written = review.set_status(claim, ClaimStatus::Corroborated);
    let waited = started.elapsed();
    open.rollback().expect("the holder goes");
    let after = statuses_and_entries(&db.url);

    for outcome in [read.map(|_| ()), written] {
        let message = outcome.expect_err("refused, not hung").to_string();
        assert!(
            message.starts_with("the team store is busy: another session holds the table claims: try again"),
            "{message}"
        );
        assert!(!message.contains("SELECT") && !message.contains("LOCK"), "no SQL: {message}");
    }
    assert!(waited < std::time::Duration::from_secs(5), "each waited the connection's lock timeout: {waited:?}");
    assert_eq!(after, before, "nothing of the refused change was saved");

    review.set_status(claim, ClaimStatus::Corroborated).expect("saved once the holder has gone");
    assert_eq!(review.claim(claim).expect("claim").status, ClaimStatus::Corroborated);

    // A row kept locked (`SELECT … FOR UPDATE` in a transaction left open): reading goes on, a change of that row
    // is refused the same way, the server naming the row's table.
    let mut open = holder.transaction().expect("transaction");
    open.query("SELECT id FROM claims FOR UPDATE", &[]).expect("a login with UPDATE locks the rows");
    assert_eq!(review.claims(draft).expect("reads wait for no row lock").len(), 1);
    let message = review.set_status(claim, ClaimStatus::Disputed).expect_err("refused, not hung").to_string();
    open.rollback().expect("the holder goes");
    assert!(
        message.starts_with("the team store is busy: another session holds a row of the table claims: try again"),
        "{message}"
    );
    assert_eq!(review.claim(claim).expect("claim").status, ClaimStatus::Corroborated, "nothing saved");
    assert!(review.verify_audit().expect("verify").is_intact());
}

/// Issue 13, what was left: `team init` waited behind an open read of a table a migration changes for as long as
/// that read's transaction lasted (changing a table needs it to itself). It now gives up after the lock timeout,
/// says which table a session holds (and whose session it is), and applies nothing of that migration; once the
/// reader has gone, `team init` applies it.
#[test]
fn team_init_behind_an_open_read_of_a_table_it_changes_says_so_and_applies_nothing() {
    let db = test_postgres::database();
    // 0033 replaces the policies of `claims` (DROP POLICY … ON claims takes the table to itself).
    drop(PgStore::init_up_to_for_tests(&location(&db.url), 32).expect("init up to 0032"));
    let reader_login = unique_login("reader");
    db.create_login(&reader_login);
    let mut reader = postgres::Client::connect(&db.url_as(&reader_login), postgres::NoTls).expect("reader");
    let reader_pid: i32 = reader.query_one("SELECT pg_backend_pid()", &[]).expect("pid").get(0);
    let mut open = reader.transaction().expect("transaction");
    open.query("SELECT count(*) FROM claims", &[]).expect("an open read");

    let quick = location(&db.url).with_lock_timeout(std::time::Duration::from_millis(400));
    let started = std::time::Instant::now();
    let error = PgStore::init(&quick).err().expect("refused, not hung");
    let waited = started.elapsed();
    let message = error.to_string();
    assert!(matches!(error, StoreError::MigrationBusy { version: 33, .. }), "{message}");
    // The read of `claims` holds the tables its row-level policies read too (drafts).
    assert!(message.contains("(migration 0033_reads_per_desk): a session holds the tables claims"), "{message}");
    assert!(message.contains(&format!("login {reader_login}")), "whose session it is: {message}");
    assert!(message.contains("try again when it ends"), "{message}");
    // What the server's administrator runs to end it (the owner cannot: review session 10, P2).
    assert!(
        message.contains(&format!(
            "superuser (not the store's owner) ends it with: SELECT pg_terminate_backend({reader_pid});"
        )),
        "{message}"
    );
    assert!(waited < std::time::Duration::from_secs(5), "{waited:?}");
    let mut owner = postgres::Client::connect(&db.url, postgres::NoTls).expect("owner");
    let state = owner
        .query_one("SELECT max(version), to_regprocedure('factdesk_desks_read()') IS NULL FROM schema_migrations", &[])
        .expect("state");
    assert_eq!((state.get::<_, i64>(0), state.get::<_, bool>(1)), (32, true), "nothing of 0033 applied");
    open.commit().expect("the reader goes");

    let mut store = PgStore::init(&quick).expect("applied once the read has ended");
    assert_eq!(store.schema_version().expect("version") as usize, embedded_migrations().len());
}
