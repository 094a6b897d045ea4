//! The audit trail's entries, byte for byte: a scenario touching every kind
//! of change, on a fixed clock, compared with `tests/golden/audit-trail.json`
//! (written before the actions and entities became typed). The stored keys,
//! the JSON before and after, and so every hash of an existing chain must
//! never change; `UPDATE_GOLDEN=1` rewrites the file, for a deliberate change only.

mod engine;

use factdesk_core::anchor::{TextPositionSelector, TextQuoteSelector};
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole, SourceUpdate};
use factdesk_core::sourcing::workflow::DraftStatus;
use std::path::Path;
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The blaze started in a storage building, according to two firefighters.\n\n\
    The owners are reckless people who never cared.\n\n\
    The mayor said the plant would reopen in May.";

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

/// Every entry of a trail written by one scenario of changes.
fn scenario_trail() -> String {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("story.txt"), STORY).expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:00:00Z").expect("time").with_timezone(&chrono::Utc);
    let clock = Arc::new(FixedClock::new(at));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let review = Review::new(store, clock.clone(), "Ana Editor".into());
    let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
    let tick = || clock.advance(60);

    let injured = review
        .add_claim(draft, &quote("Six workers were injured on Tuesday"), ClaimStatus::NeedsCorroboration)
        .expect("claim");
    tick();
    let reckless =
        review.add_claim(draft, &quote("The owners are reckless people"), ClaimStatus::NeedsCorroboration).expect("c");
    tick();
    review.set_status(injured, ClaimStatus::Disputed).expect("status");
    tick();
    let manager = review
        .link_new_source(
            injured,
            &NewSource {
                descriptor: "a senior plant manager".into(),
                kind: SourceKind::Unnamed,
                notes: "met twice".into(),
                confidential: Some(Confidential { identity: Some("R. Example".into()), ..Confidential::default() }),
            },
            SourceRole::Attributed,
        )
        .expect("link new");
    tick();
    let report = review
        .add_source(
            desk.id(),
            &NewSource {
                descriptor: "fire service report".into(),
                kind: SourceKind::Document,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    tick();
    review.link_source(injured, report, SourceRole::Corroborates).expect("link");
    tick();
    review.unlink_source(injured, report).expect("unlink");
    tick();
    review.restore_source_link(injured, report).expect("restore link");
    tick();
    review.update_source(report, &SourceUpdate { notes: Some("page 3".into()), ..SourceUpdate::default() }).expect("u");
    tick();
    review
        .set_confidential(manager, &Confidential { how_known: Some("was there".into()), ..Confidential::default() })
        .expect("confidential");
    tick();
    review.reveal_source(manager).expect("reveal");
    tick();
    review.set_opinion(reckless, true).expect("opinion");
    tick();
    review.set_personal_attack(reckless, true).expect("attack");
    tick();
    let photo = review
        .add_evidence(injured, &NewEvidence::supporting(EvidenceKind::PhotoVideo, "IMG_1.jpg", "the ward", true))
        .expect("evidence");
    tick();
    review.remove_evidence(photo).expect("remove evidence");
    tick();
    review.restore_evidence(photo).expect("restore evidence");
    tick();
    let note = review.add_note(NoteTarget::Claim(injured), "Call the hospital", None).expect("note");
    tick();
    let reply = review.add_note(NoteTarget::Claim(injured), "Done", Some(note)).expect("reply");
    tick();
    review.edit_note(reply, "Done: four, not six").expect("edit");
    tick();
    review.set_note_private(reply, true).expect("private");
    tick();
    review.resolve_note(note).expect("resolve");
    tick();
    review.reopen_note(note).expect("reopen");
    tick();
    review.remove_note(note).expect("remove note");
    tick();
    review.restore_note(note).expect("restore note");
    tick();
    review.add_note(NoteTarget::Draft(draft), "Check the mayor's quote", None).expect("draft note");
    tick();
    review.save_editor_note(draft, "The manager spoke on condition of anonymity.").expect("editor note");
    tick();
    review.remove_source(report, true).expect("remove source");
    tick();
    review.restore_source(report).expect("restore source");
    tick();
    review.set_reopens_when_changed(desk.id(), false).expect("setting");
    tick();
    review.set_draft_status(draft, DraftStatus::NeedsWork, None).expect("needs work");
    tick();
    review.set_draft_status(draft, DraftStatus::Ready, Some("the desk chief vouched")).expect("ready");
    tick();
    // The text changes after ready (the desk does not reopen drafts): recorded, not reopened.
    std::fs::write(folder.join("story.txt"), STORY.replace("injured on Tuesday", "injured on Monday")).expect("edit");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("rescan");
    review.claims(draft).expect("claims");
    tick();
    review.move_claim(injured, &quote("Six workers were injured")).expect("move");
    tick();
    review.remove_claim(reckless).expect("remove claim");
    tick();
    review.restore_claim(reckless).expect("restore claim");
    tick();
    let suggestions = review.suggestions(draft).expect("suggestions");
    if let Some(first) = suggestions.suggestions.first() {
        let span = TextPositionSelector {
            start: u32::try_from(first.start).expect("start"),
            end: u32::try_from(first.end).expect("end"),
        };
        review.dismiss_suggestion(draft, span).expect("dismiss");
        tick();
        review.restore_suggestion(draft, &first.quote).expect("restore suggestion");
    }

    let entries = review.audit_trail(None).expect("trail");
    let report = review.verify_audit().expect("verify");
    assert!(report.is_intact(), "{report:?}");
    let mut text = serde_json::to_string_pretty(&entries).expect("json");
    text.push('\n');
    text
}

#[test]
fn the_trail_is_written_exactly_as_before() {
    if engine::on_postgres() {
        return; // the golden trail records `factdesk` for Factdesk's own changes, a team store the login
    }
    let actual = scenario_trail();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/audit-trail.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    for (n, (want, got)) in expected.lines().zip(actual.lines()).enumerate() {
        assert_eq!(want, got, "the trail differs from the golden file at line {}", n + 1);
    }
    assert_eq!(expected.lines().count(), actual.lines().count(), "the trail has another number of lines");
}

/// The shared test vectors of the canonical hash (`tests/fixtures/audit-hash-vectors.json`: quotes, backslashes,
/// every control character, U+007F, emoji, right-to-left marks, U+2028, null before and after, the largest seq),
/// computed by the team store's `factdesk_audit_canonical` and `factdesk_audit_hash` (migrations/postgres/0023,
/// which recompute every appended entry's hash) on a real server, whatever engine the run is for: the same
/// vectors pin the core's `entry_hash` (its unit test), so the two cannot drift.
#[test]
fn the_servers_hash_matches_the_shared_test_vectors() {
    use factdesk_core::store::postgres::PgStore;
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/audit-hash-vectors.json")).expect("vectors");
    let mut checked = 0;
    for vector in vectors["entries"].as_array().expect("entries") {
        let text = |key: &str| vector[key].as_str().map(str::to_owned);
        let name = &vector["name"];
        let fields: (i64, _, _, _, _, _, _, _) = (
            vector["seq"].as_i64().expect("seq"),
            text("at"),
            text("actor"),
            text("action"),
            text("entity"),
            text("before"),
            text("after"),
            text("prev_hash"),
        );
        let (seq, at, actor, action, entity, before, after, prev_hash) = &fields;
        let params: [&(dyn postgres::types::ToSql + Sync); 8] =
            [seq, at, actor, action, entity, before, after, prev_hash];
        let sql = "SELECT factdesk_audit_canonical($1, $2, $3, $4, $5, $6, $7, $8),
                          factdesk_audit_hash($1, $2, $3, $4, $5, $6, $7, $8)";
        if vector["postgres"] == false {
            // U+0000: PostgreSQL's text cannot hold it, so no entry of a team store has it; only the core hashes it.
            client.query_one(sql, &params).expect_err("a text with U+0000 on PostgreSQL");
            continue;
        }
        let row = client.query_one(sql, &params).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Some(row.get::<_, String>(0)), text("canonical"), "{name}");
        assert_eq!(Some(row.get::<_, String>(1)), text("hash"), "{name}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked} vectors");
}
