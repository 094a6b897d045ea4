//! No silent overwrite (issue 13): two people changing the same claim
//! status, note, source or editor's note. Each change carries the version
//! its person saw; the second save is refused with the current value and
//! who set it, nothing of it is written, and both attempts are in the audit
//! trail. Two connections (two processes' worth) on one real SQLite file,
//! or, with `FACTDESK_TEST_ENGINE=postgres`, two logins on one real
//! PostgreSQL database, including threads racing on the same version.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::audit::{self, AuditAction};
use factdesk_core::audit_labels;
use factdesk_core::clock::FixedClock;
use factdesk_core::conflict::{Conflict, Guarded};
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review, ReviewError};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceUpdate};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, ClaimId, DraftId, SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The mayor said the plant would reopen in May.";

/// The second person's name, and on PostgreSQL their login.
const BEN: &str = "Ben Reporter";

struct Desk2 {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    store: SharedStore,
    draft: DraftId,
    ana: Review,
    ben: Review,
}

/// A second connection to the test's store, as Ben: another SQLite
/// connection on the same file, or Ben's own login on the same database.
fn open_as_ben(db: &Path) -> Store {
    if !engine::on_postgres() {
        return Store::open(db).expect("second connection");
    }
    let (url, _) = test_postgres::database_for(db);
    test_postgres::grant_login(&url, BEN);
    Store::open(Path::new(&test_postgres::url_as_login(&url, &BEN.replace(' ', "%20")))).expect("Ben's login")
}

fn review_as_ben(db: &Path) -> Review {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    Review::new(open_as_ben(db).shared(), clock, BEN.into())
}

impl Desk2 {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::write(folder.join("story.txt"), STORY).expect("write");
        let db = tmp.path().join("f.db");
        let store = engine::open(&db).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
        let ana = Review::new(store.clone(), clock, "Ana Editor".into());
        let ben = review_as_ben(&db);
        Self { _tmp: tmp, db, store, draft, ana, ben }
    }

    fn claim(&self) -> ClaimId {
        let quote = TextQuoteSelector {
            exact: "Six workers were injured on Tuesday".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        self.ana.add_claim(self.draft, &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    /// The trail's entries about `entity` (`claim:3`), oldest first, as (action, actor, after).
    fn trail(&self, entity: &str) -> Vec<(String, String, serde_json::Value)> {
        audit::entries(&lock(&self.store), None)
            .expect("entries")
            .into_iter()
            .filter(|e| e.entity == entity)
            .map(|e| {
                let after =
                    e.after.as_deref().map_or(serde_json::Value::Null, |a| serde_json::from_str(a).expect("json"));
                (e.action, e.actor, after)
            })
            .collect()
    }

    fn verify(&self) {
        let report = audit::verify(&lock(&self.store)).expect("verify");
        assert!(report.is_intact(), "the trail holds and agrees with the rows: {report:?}");
    }
}

fn conflict_of_review(error: ReviewError) -> Conflict {
    match error {
        ReviewError::Conflict(conflict) => *conflict,
        other => panic!("expected a conflict, got {other}"),
    }
}

fn conflict_of_sourcing(error: SourcingError) -> Conflict {
    match error {
        SourcingError::Conflict(conflict) => *conflict,
        other => panic!("expected a conflict, got {other}"),
    }
}

#[test]
fn a_status_set_on_a_version_someone_changed_since_is_refused_with_theirs_and_both_are_in_the_trail() {
    let desk = Desk2::new();
    let claim = desk.claim();
    // Both open the claim and see the same version.
    let seen = desk.ana.claim(claim).expect("claim").version;
    assert_eq!(desk.ben.claim(claim).expect("claim").version, seen);

    desk.ben.set_status_expecting(claim, ClaimStatus::Disputed, seen).expect("Ben saves first");
    let refused = desk.ana.set_status_expecting(claim, ClaimStatus::Corroborated, seen).expect_err("Ana's is refused");
    let message = refused.to_string();
    let conflict = conflict_of_review(refused);
    assert_eq!(conflict.what, Guarded::ClaimStatus(claim));
    assert_eq!((conflict.seen_version, conflict.current_version), (seen, seen + 1));
    assert_eq!(conflict.current, "disputed");
    assert_eq!(conflict.attempted, "corroborated");
    assert_eq!(conflict.changed_by, BEN);
    assert!(message.contains(BEN) && message.contains("disputed"), "{message}");

    let now = desk.ana.claim(claim).expect("claim");
    assert_eq!(now.status, ClaimStatus::Disputed, "nothing of the refused change was written");
    assert_eq!(now.version, seen + 1);

    // Both attempts are on the trail: Ben's change, Ana's refusal.
    let trail = desk.trail(&format!("claim:{claim}"));
    let last_two: Vec<_> = trail.iter().rev().take(2).rev().collect();
    assert_eq!(last_two[0].0, AuditAction::ClaimStatus.key());
    assert_eq!(last_two[0].1, BEN);
    assert_eq!(last_two[1].0, AuditAction::ChangeRefused.key());
    assert_eq!(last_two[1].1, engine::recorded_as("Ana Editor"));
    assert_eq!(last_two[1].2["status"], "corroborated");
    assert_eq!(last_two[1].2["refused"], "claim.status");
    // The refusal replays as no change: the trail still agrees with the rows.
    desk.verify();
    let history = audit_labels::claim_changes(&desk.ana, claim).expect("history");
    let sentence = &history.last().expect("an entry").sentence;
    assert!(sentence.starts_with("Status Corroborated refused: Ben Reporter had set it to Disputed"), "{sentence}");

    // Reapplying: the same change on the version now seen goes through.
    desk.ana.set_status_expecting(claim, ClaimStatus::Corroborated, conflict.current_version).expect("reapplied");
    assert_eq!(desk.ben.claim(claim).expect("claim").status, ClaimStatus::Corroborated);
    desk.verify();
}

#[test]
fn a_change_without_a_version_lands_over_the_newest_and_marks_other_claims_do_not_move_the_status_version() {
    let desk = Desk2::new();
    let claim = desk.claim();
    let seen = desk.ana.claim(claim).expect("claim").version;
    // A mark on the claim is not its status: a status change on the version seen before it still goes through.
    desk.ben.set_opinion(claim, true).expect("mark");
    desk.ana.set_status_expecting(claim, ClaimStatus::Cleared, seen).expect("status");
    // A script's change that carries no version is ordered after the newest and says what it replaced.
    desk.ben.set_status(claim, ClaimStatus::Unverifiable).expect("unconditional");
    let trail = desk.trail(&format!("claim:{claim}"));
    assert_eq!(trail.last().expect("entry").0, AuditAction::ClaimStatus.key());
    assert_eq!(desk.ana.claim(claim).expect("claim").version, seen + 2);
}

#[test]
fn a_note_edited_on_a_stale_version_is_refused_and_keeps_the_other_text() {
    let desk = Desk2::new();
    let claim = desk.claim();
    let note = desk.ana.add_note(NoteTarget::Claim(claim), "Call the fire brigade", None).expect("note");
    let seen = desk.ben.notes(NoteTarget::Claim(claim)).expect("notes")[0].version;

    desk.ben.edit_note_expecting(note, "Called: two injured, not six", seen).expect("Ben's edit");
    let conflict = conflict_of_sourcing(
        desk.ana.edit_note_expecting(note, "Call the fire brigade and the hospital", seen).expect_err("refused"),
    );
    assert_eq!(conflict.what, Guarded::Note(note));
    assert_eq!(conflict.current, "Called: two injured, not six");
    assert_eq!(conflict.attempted, "Call the fire brigade and the hospital");
    assert_eq!(conflict.changed_by, BEN);
    let now = &desk.ana.notes(NoteTarget::Claim(claim)).expect("notes")[0];
    assert_eq!(now.text, "Called: two injured, not six");
    assert_eq!(now.history.len(), 1, "the refused text is not in the note's history");
    let trail = desk.trail(&format!("note:{note}"));
    let actions: Vec<&str> = trail.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(actions, ["note.add", "note.edit", "change.refused"]);
    desk.verify();
}

#[test]
fn a_source_edited_on_a_stale_version_is_refused_with_the_descriptor_now() {
    let desk = Desk2::new();
    let desk_id = lock(&desk.store).draft(desk.draft).expect("q").expect("draft").desk_id;
    let source = desk
        .ana
        .add_source(
            desk_id,
            &NewSource {
                descriptor: "a plant manager".into(),
                kind: SourceKind::NamedPerson,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    let seen = desk.ben.source(source).expect("source").version;
    let rename = |text: &str| SourceUpdate { descriptor: Some(text.into()), ..SourceUpdate::default() };
    desk.ben.update_source_expecting(source, &rename("the plant's senior manager"), seen).expect("Ben's edit");
    let conflict = conflict_of_sourcing(
        desk.ana.update_source_expecting(source, &rename("a manager at the plant"), seen).expect_err("refused"),
    );
    assert_eq!(conflict.what, Guarded::Source(source));
    assert_eq!(conflict.current, "the plant's senior manager");
    assert_eq!(conflict.changed_by, BEN);
    assert_eq!(desk.ana.source(source).expect("source").descriptor, "the plant's senior manager");
    assert_eq!(desk.trail(&format!("source:{source}")).last().expect("entry").0, "change.refused");
    desk.verify();
}

#[test]
fn a_sources_confidential_fields_changed_on_a_stale_version_are_refused_naming_fields_never_content() {
    let desk = Desk2::new();
    let desk_id = lock(&desk.store).draft(desk.draft).expect("q").expect("draft").desk_id;
    let source = desk
        .ana
        .add_source(
            desk_id,
            &NewSource {
                descriptor: "a senior plant manager".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Ottoline Vasquez".into()),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    let seen = desk.ben.source(source).expect("source").version;
    let identity = |text: &str| Confidential { identity: Some(text.into()), ..Confidential::default() };
    let landed = desk.ben.set_confidential_expecting(source, &identity("Otto Vasquez-Lind"), seen).expect("Ben's");
    assert_eq!(landed.version, seen + 1, "a confidential change raises the source's version");
    let conflict = conflict_of_sourcing(
        desk.ana.set_confidential_expecting(source, &identity("O. Brackenridge"), seen).expect_err("refused"),
    );
    assert_eq!(conflict.what, Guarded::Source(source));
    assert_eq!((conflict.seen_version, conflict.current_version), (seen, seen + 1));
    assert_eq!(conflict.changed_by, BEN);
    assert_eq!(conflict.attempted, "a senior plant manager (confidential fields: identity)");
    assert_eq!(desk.ana.reveal_source(source).expect("reveal").identity.as_deref(), Some("Otto Vasquez-Lind"));
    // Neither the conflict nor the trail holds an identity.
    let trail = desk.trail(&format!("source:{source}"));
    let (action, _, after) = trail.iter().rev().find(|(a, _, _)| a == "change.refused").expect("refused entry");
    assert_eq!(action, "change.refused");
    for text in [format!("{conflict}"), format!("{trail:?}")] {
        for name in ["Otto", "Brackenridge", "Ottoline"] {
            assert!(!text.contains(name), "{name} in {text}");
        }
    }
    assert_eq!(after["version"], seen);
    // A public edit made on the version before the confidential change is refused too: the source moved.
    let rename = SourceUpdate { descriptor: Some("a manager at the plant".into()), ..SourceUpdate::default() };
    conflict_of_sourcing(desk.ana.update_source_expecting(source, &rename, seen).expect_err("refused"));
    // Reapplied on the version now seen.
    desk.ana.set_confidential_expecting(source, &identity("O. Brackenridge"), seen + 1).expect("reapplied");
    desk.verify();
}

#[test]
fn the_first_editors_note_and_a_later_one_are_both_compared() {
    let desk = Desk2::new();
    // Nobody saved one yet: both see version 0.
    assert_eq!(desk.ana.editor_note(desk.draft).expect("note").version, 0);
    desk.ben.save_editor_note_expecting(desk.draft, "Editor's Note: names withheld.", 0).expect("Ben's");
    let conflict = conflict_of_sourcing(
        desk.ana.save_editor_note_expecting(desk.draft, "Editor's Note: sources unnamed.", 0).expect_err("refused"),
    );
    assert_eq!(conflict.what, Guarded::EditorNote(desk.draft));
    assert_eq!((conflict.seen_version, conflict.current_version), (0, 1));
    assert_eq!(conflict.current, "Editor's Note: names withheld.");
    assert_eq!(conflict.changed_by, BEN);
    // Reapplied on the version now seen.
    let saved = desk.ana.save_editor_note_expecting(desk.draft, "Editor's Note: sources unnamed.", 1).expect("saved");
    assert_eq!((saved.text.as_deref(), saved.version), (Some("Editor's Note: sources unnamed."), 2));
    let actions: Vec<String> =
        desk.trail(&format!("draft:{}", desk.draft)).into_iter().map(|(action, _, _)| action).collect();
    assert_eq!(actions, ["editor-note.save", "change.refused", "editor-note.save"]);
    desk.verify();
}

#[test]
fn people_racing_on_one_version_get_exactly_one_change_through_and_every_other_refused() {
    const PEOPLE: usize = 6;
    let desk = Desk2::new();
    let claim = desk.claim();
    let seen = desk.ana.claim(claim).expect("claim").version;
    let statuses = [ClaimStatus::Corroborated, ClaimStatus::Disputed, ClaimStatus::Unverifiable, ClaimStatus::Cleared];
    // Each thread its own connection (its own login on PostgreSQL), all starting together on the version seen.
    let start = Arc::new(std::sync::Barrier::new(PEOPLE));
    let racers: Vec<_> = (0..PEOPLE)
        .map(|n| {
            let review = review_as_ben(&desk.db);
            let start = start.clone();
            let status = statuses[n % statuses.len()];
            std::thread::spawn(move || {
                start.wait();
                review.set_status_expecting(claim, status, seen).map(|()| status)
            })
        })
        .collect();
    let outcomes: Vec<_> = racers.into_iter().map(|r| r.join().expect("racer")).collect();
    let through: Vec<ClaimStatus> = outcomes.iter().filter_map(|o| o.as_ref().ok().copied()).collect();
    assert_eq!(through.len(), 1, "exactly one change on version {seen} lands: {outcomes:?}");
    for outcome in outcomes.into_iter().filter_map(Result::err) {
        let conflict = conflict_of_review(outcome);
        assert_eq!(conflict.current, through[0].as_str(), "each refusal names the status that won");
    }
    let now = desk.ana.claim(claim).expect("claim");
    assert_eq!((now.status, now.version), (through[0], seen + 1));
    let refused = desk.trail(&format!("claim:{claim}")).iter().filter(|(a, _, _)| a == "change.refused").count();
    assert_eq!(refused, PEOPLE - 1, "every refused attempt is on the trail");
    desk.verify();
}

#[test]
fn a_sources_public_and_confidential_changes_land_together_or_not_at_all() {
    let desk = Desk2::new();
    let desk_id = lock(&desk.store).draft(desk.draft).expect("q").expect("draft").desk_id;
    let add = |descriptor: &str, kind, confidential| {
        let new = NewSource { descriptor: descriptor.into(), kind, notes: String::new(), confidential };
        desk.ana.add_source(desk_id, &new).expect("source")
    };
    let identity = |text: &str| Confidential { identity: Some(text.into()), ..Confidential::default() };
    let rename = |text: &str| SourceUpdate { descriptor: Some(text.into()), ..SourceUpdate::default() };

    // The confidential part refused after the public one was written: the public one goes too.
    let named = add("a plant manager", SourceKind::NamedPerson, None);
    let refused = desk.ana.edit_source(named, &rename("the plant manager"), &identity("Ottoline Vasquez"), Some(1));
    assert!(matches!(refused, Err(SourcingError::NotUnnamed(_))), "{refused:?}");
    let source = desk.ana.source(named).expect("source");
    assert_eq!((source.descriptor.as_str(), source.version), ("a plant manager", 1));

    // Someone changed it since: neither part lands; the refusal names the fields, never the content.
    let unnamed = add("a shift lead", SourceKind::Unnamed, Some(identity("Ottoline Vasquez")));
    let seen = desk.ben.source(unnamed).expect("source").version;
    let notes = SourceUpdate { notes: Some("met twice".into()), ..SourceUpdate::default() };
    desk.ben.update_source_expecting(unnamed, &notes, seen).expect("Ben's edit");
    let conflict = conflict_of_sourcing(
        desk.ana
            .edit_source(unnamed, &rename("a night-shift lead"), &identity("O. Brackenridge"), Some(seen))
            .expect_err("refused"),
    );
    assert_eq!((conflict.changed_by.as_str(), conflict.current.as_str()), (BEN, "a shift lead"));
    assert_eq!(conflict.attempted, "a night-shift lead (confidential fields: identity)");
    assert!(!format!("{conflict}").contains("Brackenridge"));
    assert_eq!(desk.ana.reveal_source(unnamed).expect("reveal").identity.as_deref(), Some("Ottoline Vasquez"));
    assert_eq!(desk.ana.source(unnamed).expect("source").descriptor, "a shift lead");

    // Reapplied on the version now: both land, and the answer is the source after both.
    let now = conflict.current_version;
    let after = desk
        .ana
        .edit_source(unnamed, &rename("a night-shift lead"), &identity("O. Brackenridge"), Some(now))
        .expect("both");
    assert_eq!((after.descriptor.as_str(), after.version), ("a night-shift lead", now + 1), "one version per edit");
    assert_eq!(desk.ana.reveal_source(unnamed).expect("reveal").identity.as_deref(), Some("O. Brackenridge"));

    // A public part the same as now is neither written again nor audited; the edit still counts once.
    let actions =
        |action: &str| desk.trail(&format!("source:{unnamed}")).iter().filter(|(a, _, _)| a == action).count();
    let updates = actions("source.update");
    let again = desk
        .ana
        .edit_source(unnamed, &rename("a night-shift lead"), &identity("Ottoline B."), Some(after.version))
        .expect("the confidential part only");
    assert_eq!(again.version, after.version + 1);
    assert_eq!(actions("source.update"), updates, "no source.update for a public part that changed nothing");
    assert_eq!(desk.ana.reveal_source(unnamed).expect("reveal").identity.as_deref(), Some("Ottoline B."));

    // A source ceasing to be unnamed (its confidential fields cleared first): one version too.
    let cleared = Confidential { identity: Some(String::new()), ..Confidential::default() };
    let named = SourceUpdate { kind: Some(SourceKind::NamedPerson), ..SourceUpdate::default() };
    let public = desk.ana.edit_source(unnamed, &named, &cleared, Some(again.version)).expect("named now");
    assert_eq!((public.kind, public.version), (SourceKind::NamedPerson, again.version + 1));
    desk.verify();
}
