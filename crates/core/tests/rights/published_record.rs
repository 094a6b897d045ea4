//! The published record and private notes (review session 10, finding 15): the record held the draft's private
//! notes' text, and the draft's reporter and the desk's admin read it (through Factdesk, and with psql on a team
//! store), though neither may read a private note. The record now holds none, and the migrations (SQLite 0024,
//! PostgreSQL 0038) took them out of the records written before.

use crate::engine;
use crate::fixtures::*;
use factdesk_core::report::{self, Format, GatherOptions, Profile, Scope, WriteOptions};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::publication::{PublishedClaim, PublishedNote, PublishedReview, ReviewChange};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::postgres::PgStore;
use factdesk_core::store::{ClaimId, DraftId, Store};
use std::path::Path;

const PRIVATE_ON_CLAIM: &str = "The clerk is our source.";
const PRIVATE_REPLY: &str = "She confirmed it twice.";
const PRIVATE_ON_DRAFT: &str = "Hold until the lawyer reads it.";
const PUBLIC_ON_CLAIM: &str = "Which budget line?";
const PUBLIC_ON_DRAFT: &str = "Checked against the minutes.";

/// Every note text a record of the reporter's draft may hold, and every one it must not.
fn notes_seen(record: &PublishedReview) -> Vec<&str> {
    record.notes.iter().chain(record.claims.iter().flat_map(|c| &c.notes)).map(|n| n.text.as_str()).collect()
}

fn publish(editor: &Review, draft: DraftId) {
    for status in [DraftStatus::Ready, DraftStatus::Published] {
        editor.set_draft_status(draft, status, Some("checked by the managing editor")).expect("move");
    }
}

#[test]
fn the_published_record_holds_no_private_note_for_the_reporter_or_the_admin() {
    let team = Team::staffed();
    let claim: ClaimId = team.claim_on(team.own);
    let ed = team.as_person(&team.editor);
    ed.add_note(NoteTarget::Claim(claim), PUBLIC_ON_CLAIM, None).expect("note");
    let thread = ed.add_private_note(NoteTarget::Claim(claim), PRIVATE_ON_CLAIM, None).expect("private");
    ed.add_note(NoteTarget::Claim(claim), PRIVATE_REPLY, Some(thread)).expect("a reply in the private thread");
    ed.add_private_note(NoteTarget::Draft(team.own), PRIVATE_ON_DRAFT, None).expect("private");
    ed.add_note(NoteTarget::Draft(team.own), PUBLIC_ON_DRAFT, None).expect("note");
    publish(&ed, team.own);

    // Through Factdesk: the same record for everyone who reads it, the editors (and the lawyer) included, as the
    // record is not where they read private notes.
    let mut records = Vec::new();
    for name in [&team.reporter, &ADMIN.to_owned(), &team.editor, &team.lawyer] {
        let record = team.as_person(name).published_review(team.own).expect("read").expect("published");
        assert_eq!(notes_seen(&record), [PUBLIC_ON_DRAFT, PUBLIC_ON_CLAIM], "{name}");
        assert!(record.notes.iter().chain(&record.claims[0].notes).all(|n| !n.private), "{name}");
        records.push(record);
    }
    assert!(records.windows(2).all(|pair| pair[0] == pair[1]));

    // With psql, the reporter's and the admin's logins read the stored record itself.
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(&team.db);
        for login in [&team.reporter, &ADMIN.to_owned()] {
            let as_login = test_postgres::url_as_login(&url, &login.replace(' ', "%20"));
            let mut client = postgres::Client::connect(&as_login, postgres::NoTls).expect("login");
            let rows = client
                .query("SELECT record FROM published_reviews WHERE draft_id = $1", &[&team.own.0])
                .expect("the record");
            assert_eq!(rows.len(), 1, "{login} reads the record");
            let record: String = rows[0].get(0);
            assert!(record.contains(PUBLIC_ON_CLAIM) && record.contains(PUBLIC_ON_DRAFT), "{login}: {record}");
            for private in [PRIVATE_ON_CLAIM, PRIVATE_REPLY, PRIVATE_ON_DRAFT] {
                assert!(!record.contains(private), "{login} reads {private:?}: {record}");
            }
        }
    }

    // An update's changes still compare right against the record: a private note added since is none of them,
    // a public one is, and the notes the record left out are no change.
    assert_eq!(ed.changes_since_publication(team.own).expect("read").expect("published"), []);
    ed.add_private_note(NoteTarget::Claim(claim), "Another private word.", None).expect("private");
    ed.add_note(NoteTarget::Claim(claim), "Corrected on Wednesday.", None).expect("note");
    ed.set_status(claim, ClaimStatus::Cleared).expect("status");
    let changes = ed.changes_since_publication(team.own).expect("read").expect("published");
    assert_eq!(
        changes,
        [
            ReviewChange::StatusChanged {
                claim,
                quote: QUOTE.into(),
                from: ClaimStatus::NeedsCorroboration,
                to: ClaimStatus::Cleared,
            },
            ReviewChange::NoteAdded {
                claim: Some(claim),
                text: "Corrected on Wednesday.".into(),
                author: team.editor.clone(),
            },
        ]
    );

    // A record holding a private note all the same (one the migrations did not reach): Factdesk shows it to no one.
    let mut older = records.pop().expect("a record");
    older.claims[0].notes.push(PublishedNote { text: PRIVATE_ON_CLAIM.into(), author: "x".into(), private: true });
    let older = serde_json::to_string(&older).expect("json");
    let insert = format!(
        "INSERT INTO published_reviews (draft_id, published_by, published_at, record) VALUES ({}, 'x', 'x', '{}')",
        team.own.0,
        older.replace('\'', "''")
    );
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(&team.db);
        postgres::Client::connect(&url, postgres::NoTls).expect("owner").batch_execute(&insert).expect("insert");
    } else {
        rusqlite::Connection::open(&team.db).expect("open").execute_batch(&insert).expect("insert");
    }
    for name in [&team.reporter, &ADMIN.to_owned(), &team.editor] {
        let record = team.as_person(name).published_review(team.own).expect("read").expect("published");
        assert_eq!(notes_seen(&record), [PUBLIC_ON_DRAFT, PUBLIC_ON_CLAIM], "{name}");
    }
}

/// A record as Factdesk wrote it before the fix: the draft's private notes (and a reply in a private thread) in
/// it, marked private, among public ones; strings JSON escapes and non-ASCII text, to see the rest kept exactly.
fn record_with_private_notes(draft: DraftId) -> (String, String) {
    let note =
        |text: &str, private: bool| PublishedNote { text: text.into(), author: "Ana \"Ed\" Núñez".into(), private };
    let claim = |id: i64, notes: Vec<PublishedNote>| PublishedClaim {
        id: ClaimId(id),
        quote: "The mayor said \"no\"\n\t— 5 million \\ €".into(),
        status: ClaimStatus::Corroborated,
        sources: vec![],
        evidence: vec![],
        notes,
    };
    let before = PublishedReview {
        draft,
        version: None,
        published_by: "Ana".into(),
        published_at: "2026-12-01T10:00:00Z".into(),
        claims: vec![
            claim(
                7,
                vec![
                    note(PRIVATE_ON_CLAIM, true),
                    note("{\"text\":\"a public note quoting JSON\",\"private\":true}", false),
                    note(PRIVATE_REPLY, true),
                ],
            ),
            claim(8, vec![note(PUBLIC_ON_CLAIM, false), note("Private, last: \\\" 😀", true)]),
            claim(9, vec![note("Only one, private.", true)]),
            claim(10, vec![]),
        ],
        editor_note: Some("Editor's Note: \"corrected\".".into()),
        notes: vec![note(PUBLIC_ON_DRAFT, false), note(PRIVATE_ON_DRAFT, true), note("Public, last.", false)],
    };
    let mut after = before.clone();
    after.notes.retain(|n| !n.private);
    for claim in &mut after.claims {
        claim.notes.retain(|n| !n.private);
    }
    let json = |review: &PublishedReview| serde_json::to_string(review).expect("json");
    (json(&before), json(&after))
}

/// Regression for the records written before the fix: the migration takes their private notes out and leaves
/// every other byte as it was (the record `serde_json` writes without them), on SQLite (0024) and on a team store
/// (0038); Factdesk then reads the record as before.
#[test]
fn the_migration_takes_the_private_notes_out_of_a_record_published_before() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rows = "INSERT INTO desks (id, path, created_at, last_opened_at) VALUES (1, '/desk', 'x', 'x');
                INSERT INTO drafts (id, desk_id, path, title, state, created_at, updated_at)
                    VALUES (1, 1, 'story.md', 'Story', 'ok', 'x', 'x'), (2, 1, 'other.md', 'Other', 'ok', 'x', 'x');";
    let (before, after) = record_with_private_notes(DraftId(1));
    let untouched = serde_json::to_string(&PublishedReview {
        draft: DraftId(2),
        version: None,
        published_by: "Ana".into(),
        published_at: "2026-12-01T10:00:00Z".into(),
        claims: vec![],
        editor_note: None,
        notes: vec![PublishedNote { text: PUBLIC_ON_DRAFT.into(), author: "Ana".into(), private: false }],
    })
    .expect("json");
    let insert =
        "INSERT INTO published_reviews (draft_id, published_by, published_at, record) VALUES ($1, 'Ana', 'x', $2)";
    let stored: Vec<String> = if engine::on_postgres() {
        let db = test_postgres::database();
        drop(PgStore::init_up_to_for_tests(&db.url.parse().expect("url"), 37).expect("init up to 0037"));
        let mut owner = postgres::Client::connect(&db.url, postgres::NoTls).expect("owner");
        owner.batch_execute(rows).expect("a desk and its drafts");
        owner.execute(insert, &[&1_i64, &before]).expect("the old record");
        owner.execute(insert, &[&2_i64, &untouched]).expect("a record without private notes");
        drop(PgStore::init(&db.url.parse().expect("url")).expect("team init applies 0038"));
        let records = owner.query("SELECT record FROM published_reviews ORDER BY draft_id", &[]).expect("records");
        records.iter().map(|row| row.get(0)).collect()
    } else {
        let path = tmp.path().join("f.db");
        sqlite_up_to(&path, 23);
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(rows).expect("a desk and its drafts");
        let insert = insert.replace('$', "?");
        conn.execute(&insert, rusqlite::params![1, before]).expect("the old record");
        conn.execute(&insert, rusqlite::params![2, untouched]).expect("a record without private notes");
        drop(conn);
        let store = Store::open(&path).expect("Factdesk applies 0024");
        drop(store);
        let conn = rusqlite::Connection::open(&path).expect("open");
        let mut select = conn.prepare("SELECT record FROM published_reviews ORDER BY draft_id").expect("select");
        let records = select.query_map([], |row| row.get(0)).expect("records");
        records.collect::<Result<_, _>>().expect("records")
    };
    assert_eq!(stored, [after, untouched]);
}

/// A SQLite file as a Factdesk whose newest migration was `last` left it.
fn sqlite_up_to(path: &Path, last: u32) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL,
                                         applied_at TEXT NOT NULL)",
    )
    .expect("bookkeeping");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    for (version, name, sha) in factdesk_core::store::embedded_migrations().into_iter().filter(|m| m.0 <= last) {
        let sql = std::fs::read_to_string(dir.join(format!("{version:04}_{name}.sql"))).expect("migration file");
        conn.execute_batch(&sql).expect("apply");
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z')",
            rusqlite::params![version, name, sha],
        )
        .expect("record");
        conn.pragma_update(None, "user_version", version).expect("version");
    }
}

/// The other ways a reporter or an admin takes a published draft's review away: its reports. Under the desk profile
/// (every format that is text) none carries a private note, neither from the notes nor from the changes since
/// publication; the internal profile is refused to them (it is for those who may reveal an identity).
#[test]
fn a_reporters_or_admins_report_of_a_published_draft_carries_no_private_note() {
    let team = Team::staffed();
    let claim = team.claim_on(team.own);
    let ed = team.as_person(&team.editor);
    ed.add_note(NoteTarget::Claim(claim), PUBLIC_ON_CLAIM, None).expect("note");
    let thread = ed.add_private_note(NoteTarget::Claim(claim), PRIVATE_ON_CLAIM, None).expect("private");
    ed.add_note(NoteTarget::Claim(claim), PRIVATE_REPLY, Some(thread)).expect("a reply in the private thread");
    publish(&ed, team.own);
    ed.add_private_note(NoteTarget::Draft(team.own), PRIVATE_ON_DRAFT, None).expect("private, since publication");
    ed.add_note(NoteTarget::Draft(team.own), PUBLIC_ON_DRAFT, None).expect("public, since publication");
    for name in [&team.reporter, &ADMIN.to_owned()] {
        let review = team.as_person(name);
        let options = |profile| GatherOptions { profile, include_text: true };
        let model = report::gather_as(&review, Scope::Draft(team.own), &options(Profile::Desk)).expect("gather");
        let since = model.drafts[0].since_publication.as_deref().expect("published");
        assert!(matches!(since, [ReviewChange::NoteAdded { text, .. }] if text == PUBLIC_ON_DRAFT), "{since:?}");
        for format in Format::ALL.into_iter().filter(|f| *f != Format::Pdf) {
            let bytes = report::render(&model, format, &WriteOptions::default()).expect("render");
            let text = String::from_utf8(bytes).expect("utf-8");
            if matches!(format, Format::Json | Format::Markdown | Format::Html) {
                assert!(text.contains(PUBLIC_ON_CLAIM), "{name}, {format:?}: the notes are in it");
            }
            for private in [PRIVATE_ON_CLAIM, PRIVATE_REPLY, PRIVATE_ON_DRAFT] {
                assert!(!text.contains(private), "{name}, {format:?} carries {private:?}");
            }
        }
        let internal = report::gather_as(&review, Scope::Draft(team.own), &options(Profile::Internal));
        assert!(internal.is_err(), "{name} is refused an internal report");
    }
}
