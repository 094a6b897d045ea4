//! Removal and restore on a real desk and a real SQLite file: a claim, an
//! evidence item, a source link, a source and a note removed leave every
//! list, report and verdict, are kept in the audit trail with what they were,
//! and come back exactly as they were; a claim moved to new text keeps its
//! id, status, sources and notes.

mod engine;

use factdesk_core::anchor::{AnchorError, TextQuoteSelector};
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::report::{self, Format, GatherOptions, Profile, Scope, WriteOptions};
use factdesk_core::review::{ClaimStatus, Review, ReviewError};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, ClaimId, DraftId, SharedStore, SourceId};
use std::path::PathBuf;
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The blaze started in a storage building, according to two firefighters.\n\n\
    The mayor said the plant would reopen in May.";

const INJURED: &str = "Six workers were injured on Tuesday";
const BLAZE: &str = "The blaze started in a storage building";

struct Bench {
    _tmp: tempfile::TempDir,
    folder: PathBuf,
    store: SharedStore,
    clock: Arc<FixedClock>,
    desk: Desk,
    review: Review,
}

impl Bench {
    fn new() -> Self {
        let engine::ScannedDesk { tmp, folder, store, clock, desk, review } =
            engine::ScannedDesk::new(&[("story.txt", STORY)], chrono::Utc::now());
        Self { _tmp: tmp, folder, store, clock, desk, review }
    }

    fn draft(&self) -> DraftId {
        self.desk.draft_by_path("story.txt").expect("q").expect("draft").id
    }

    fn claim(&self, exact: &str) -> ClaimId {
        self.review.add_claim(self.draft(), &quote(exact), ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn source(&self, descriptor: &str, kind: SourceKind) -> SourceId {
        let new = NewSource { descriptor: descriptor.into(), kind, notes: String::new(), confidential: None };
        self.review.add_source(self.desk.id(), &new).expect("source")
    }

    fn claim_ids(&self) -> Vec<ClaimId> {
        self.review.claims(self.draft()).expect("claims").into_iter().map(|c| c.id).collect()
    }

    fn report_json(&self) -> String {
        let options = GatherOptions { profile: Profile::Internal, include_text: false };
        let model =
            report::gather(&self.store, self.clock.clone(), Scope::Draft(self.draft()), &options).expect("gather");
        String::from_utf8(report::render(&model, Format::Json, &WriteOptions::default()).expect("render"))
            .expect("utf8")
    }

    fn last_entry(&self, entity: &str) -> factdesk_core::audit::AuditEntry {
        self.review.audit_trail(Some(entity)).expect("trail").pop().expect("an entry")
    }

    fn rewrite(&self, text: &str) {
        std::fs::write(self.folder.join("story.txt"), text).expect("write");
        self.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    }
}

/// Whether the injured workers' sentence is offered as a suggestion.
fn offered_injured(bench: &Bench) -> bool {
    bench.review.suggestions(bench.draft()).expect("suggestions").suggestions.iter().any(|s| s.quote.contains(INJURED))
}

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

#[test]
fn a_removed_claim_leaves_every_list_and_verdict_and_comes_back_with_everything() {
    let bench = Bench::new();
    let (kept, removed) = (bench.claim(BLAZE), bench.claim(INJURED));
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.link_source(removed, manager, SourceRole::Attributed).expect("link");
    let evidence = bench
        .review
        .add_evidence(removed, &NewEvidence::supporting(EvidenceKind::Document, "roster.pdf", "Shift roster", true))
        .expect("evidence");
    let note = bench.review.add_note(NoteTarget::Claim(removed), "Call the hospital", None).expect("note");
    bench.review.set_status(removed, ClaimStatus::Disputed).expect("status");
    let statuses_before = lock(&bench.store).claim_status_history(removed).expect("history").len();
    assert!(bench.report_json().contains("Shift roster"));

    assert!(!offered_injured(&bench), "tagged, so not suggested");
    let gone = bench.review.remove_claim(removed).expect("remove");
    assert_eq!(gone.quote, INJURED);

    // Every surface leaves it out.
    assert_eq!(bench.claim_ids(), vec![kept]);
    let matrix = bench.review.sourcing_matrix(bench.draft()).expect("matrix");
    assert_eq!(matrix.rows.iter().map(|r| r.claim).collect::<Vec<_>>(), vec![kept]);
    assert!(matrix.sources.is_empty(), "the source only the removed claim cited leaves the matrix");
    let findings = bench.review.check(bench.draft()).expect("check");
    assert!(findings.iter().all(|f| f.claim != Some(removed)), "{findings:?}");
    let report = bench.report_json();
    assert!(!report.contains(INJURED) && !report.contains("Shift roster") && !report.contains("Call the hospital"));
    let history = bench.review.history(bench.draft()).expect("history");
    assert_eq!(history.last().expect("a version").claims.anchored, 1);
    // The drafts list counts only the claims still under review.
    let overview = bench.review.desk_overview(bench.desk.id()).expect("overview");
    assert_eq!(overview.iter().map(|o| o.claims.total).collect::<Vec<_>>(), vec![1]);
    // Its sentence, a suggestion of the engine, is offered again: it is no longer tagged.
    assert!(offered_injured(&bench));
    let removed_list = bench.review.removed_claims(bench.draft()).expect("removed");
    assert_eq!(removed_list.len(), 1);
    assert_eq!((removed_list[0].id, removed_list[0].quote.as_str()), (removed, INJURED));
    assert_eq!(removed_list[0].removed_by, "Ana Editor");

    // Nothing can be done to it while removed.
    assert!(matches!(bench.review.set_status(removed, ClaimStatus::Cleared), Err(ReviewError::ClaimNotFound(_))));
    assert!(matches!(
        bench.review.link_source(removed, manager, SourceRole::Corroborates),
        Err(SourcingError::ClaimNotFound(_))
    ));
    assert!(matches!(bench.review.notes(NoteTarget::Claim(removed)), Err(SourcingError::ClaimNotFound(_))));
    assert!(matches!(bench.review.set_opinion(removed, true), Err(SourcingError::ClaimNotFound(_))));
    assert!(matches!(bench.review.edit_note(note, "Changed"), Err(SourcingError::NoteNotFound(_))));
    assert!(matches!(bench.review.remove_evidence(evidence), Err(SourcingError::ClaimNotFound(_))));

    // The audit trail says who removed what, enough to restore it.
    let entry = bench.last_entry(&format!("claim:{removed}"));
    assert_eq!((entry.action.as_str(), entry.actor.as_str()), ("claim.remove", "Ana Editor"));
    let before: serde_json::Value = serde_json::from_str(entry.before.as_deref().expect("before")).expect("json");
    assert_eq!(before["quote"], INJURED);
    assert_eq!(before["status"], "disputed");
    assert_eq!(before["links"][0]["source"], manager.0);
    assert_eq!(before["evidence"][0], evidence.0);
    assert_eq!(before["notes"][0], note.0);

    // Restored: status, status history, links, evidence and notes as they were.
    bench.clock.advance(60);
    let back = bench.review.restore_claim(removed).expect("restore");
    assert_eq!((back.id, back.status, back.quote.as_str()), (removed, ClaimStatus::Disputed, INJURED));
    assert_eq!(bench.claim_ids(), vec![kept, removed]);
    assert_eq!(lock(&bench.store).claim_status_history(removed).expect("history").len(), statuses_before);
    assert_eq!(bench.review.claim_sources(removed).expect("links")[0].source.id, manager);
    assert_eq!(bench.review.evidence(removed).expect("evidence")[0].id, evidence);
    assert_eq!(bench.review.notes(NoteTarget::Claim(removed)).expect("notes")[0].id, note);
    assert!(bench.report_json().contains("Shift roster"));
    assert!(!offered_injured(&bench));
    assert_eq!(bench.last_entry(&format!("claim:{removed}")).action, "claim.restore");
    assert!(bench.review.removed_claims(bench.draft()).expect("removed").is_empty());
    assert!(matches!(bench.review.restore_claim(removed), Err(ReviewError::NotRemoved(_))));
    assert!(matches!(bench.review.remove_claim(ClaimId(999)), Err(ReviewError::ClaimNotFound(_))));
    assert!(bench.review.verify_audit().expect("verify").broken.is_none());
}

#[test]
fn a_claim_restored_after_its_text_changed_is_placed_on_the_current_version() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    bench.rewrite("Fire at the plant\n\nThe mayor said the plant would reopen in May.");
    let waiting = |id| bench.review.needing_attention(bench.desk.id()).expect("attention").iter().any(|c| c.id == id);
    assert!(waiting(claim), "its sentence was deleted: orphaned");
    bench.review.remove_claim(claim).expect("remove");
    assert!(!waiting(claim), "a removed orphan no longer waits for attention");
    let back = bench.review.restore_claim(claim).expect("restore");
    assert_eq!(back.anchor.state, factdesk_core::anchor::AnchorState::Orphaned);
    assert!(waiting(claim));
}

#[test]
fn removed_evidence_stops_counting_and_comes_back_as_it_was() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let photo = NewEvidence {
        obtained_at: Some("2021-09-27".into()),
        ..NewEvidence::supporting(EvidenceKind::PhotoVideo, "ward.jpg", "Photo of the ward", true)
    };
    let id = bench.review.add_evidence(claim, &photo).expect("evidence");
    let before = bench.review.evidence(claim).expect("list");
    assert_eq!(bench.review.corroboration(claim).expect("c").independent_corroborations, 1);

    bench.clock.advance(30);
    let removed = bench.review.remove_evidence(id).expect("remove");
    assert_eq!(removed, before[0]);
    assert!(bench.review.evidence(claim).expect("list").is_empty());
    assert_eq!(bench.review.corroboration(claim).expect("c").independent_corroborations, 0);
    let entry = bench.last_entry(&format!("evidence:{id}"));
    assert_eq!(entry.action, "evidence.remove");
    let kept: serde_json::Value = serde_json::from_str(entry.before.as_deref().expect("before")).expect("json");
    assert_eq!((kept["reference"].as_str(), kept["obtained-at"].as_str()), (Some("ward.jpg"), Some("2021-09-27")));
    assert!(matches!(bench.review.remove_evidence(id), Err(SourcingError::EvidenceNotFound(_))));

    // Evidence on a removed claim comes back only with its claim.
    bench.review.remove_claim(claim).expect("remove claim");
    assert!(matches!(bench.review.restore_evidence(id), Err(SourcingError::RestoreRefused(_))));
    bench.review.restore_claim(claim).expect("restore claim");

    let restored = bench.review.restore_evidence(id).expect("restore");
    assert_eq!(restored, before[0], "same id, who added it and when");
    assert_eq!(bench.review.evidence(claim).expect("list"), before);
    assert_eq!(bench.review.corroboration(claim).expect("c").independent_corroborations, 1);
    assert!(matches!(bench.review.restore_evidence(id), Err(SourcingError::NotRemoved(_))));
}

#[test]
fn an_unlinked_source_is_restored_with_its_role_and_who_linked_it() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    let linked = bench.review.claim_sources(claim).expect("links");

    bench.clock.advance(120);
    bench.review.unlink_source(claim, manager).expect("unlink");
    assert!(bench.review.claim_sources(claim).expect("links").is_empty());
    assert!(bench.review.unlink_source(claim, manager).is_err(), "not linked any more");
    let restored = bench.review.restore_source_link(claim, manager).expect("restore");
    assert_eq!(vec![restored], linked);
    assert_eq!(bench.last_entry(&format!("claim:{claim}")).action, "claim.link-restore");
    assert!(matches!(bench.review.restore_source_link(claim, manager), Err(SourcingError::NotRemoved(_))));

    // Linking again after an unlink is a new link, now.
    bench.review.unlink_source(claim, manager).expect("unlink");
    bench.review.link_source(claim, manager, SourceRole::Corroborates).expect("relink");
    let relinked = bench.review.claim_sources(claim).expect("links");
    assert_eq!(relinked.len(), 1);
    assert_eq!(relinked[0].role, SourceRole::Corroborates);
    assert_ne!(relinked[0].linked_at, linked[0].linked_at);
}

#[test]
fn a_source_in_use_is_removed_only_with_its_links_and_comes_back_with_them() {
    let bench = Bench::new();
    let (injured, blaze) = (bench.claim(INJURED), bench.claim(BLAZE));
    let secret = "Jane Roe, shift lead";
    let new = NewSource {
        descriptor: "a senior plant manager".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential { identity: Some(secret.into()), ..Confidential::default() }),
    };
    let manager = bench.review.add_source(bench.desk.id(), &new).expect("source");
    let other = bench.source("Fire brigade statement", SourceKind::OfficialStatement);
    bench.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    bench.review.link_source(blaze, manager, SourceRole::Corroborates).expect("link");
    bench.review.link_source(blaze, other, SourceRole::Attributed).expect("link");

    let refused = bench.review.remove_source(manager, false).expect_err("in use");
    let message = refused.to_string();
    assert!(matches!(refused, SourcingError::SourceInUse { .. }));
    assert!(message.contains(&format!("claims {injured}, {blaze}")), "{message}");
    assert_eq!(bench.review.sources(bench.desk.id()).expect("register").len(), 2, "nothing removed");

    // A link unlinked on its own before stays unlinked when the source comes back.
    bench.review.unlink_source(blaze, manager).expect("unlink");
    let removed = bench.review.remove_source(manager, true).expect("remove with links");
    assert_eq!(removed.id, manager);
    assert_eq!(
        bench.review.sources(bench.desk.id()).expect("register").iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![other]
    );
    assert!(bench.review.claim_sources(injured).expect("links").is_empty());
    let matrix = bench.review.sourcing_matrix(bench.draft()).expect("matrix");
    assert_eq!(matrix.sources.iter().map(|s| s.id).collect::<Vec<_>>(), vec![other]);
    assert!(matches!(
        bench.review.link_source(injured, manager, SourceRole::Attributed),
        Err(SourcingError::SourceNotFound(_))
    ));
    assert!(matches!(bench.review.restore_source_link(injured, manager), Err(SourcingError::RestoreRefused(_))));
    let entry = bench.last_entry(&format!("source:{manager}"));
    assert_eq!(entry.action, "source.remove");
    let before = entry.before.as_deref().expect("before");
    assert!(before.contains("a senior plant manager") && before.contains("identity"), "{before}");
    let trail = serde_json::to_string(&bench.review.audit_trail(None).expect("trail")).expect("json");
    assert!(!trail.contains(secret), "no confidential content in the audit trail");

    let back = bench.review.restore_source(manager).expect("restore");
    assert!(back.confidential.identity);
    assert_eq!(bench.review.claim_sources(injured).expect("links")[0].role, SourceRole::Attributed);
    assert!(bench.review.claim_sources(blaze).expect("links").iter().all(|l| l.source.id != manager));
    assert_eq!(bench.review.reveal_source(manager).expect("reveal").identity.as_deref(), Some(secret));
    assert!(matches!(bench.review.restore_source(manager), Err(SourcingError::NotRemoved(_))));

    // Each claim's own history shows its link going with the source and coming back with it, in entries
    // about the claim (the source's own entries name no claim: on a team store they are read by everyone
    // who reads the register, the claims' only by whom may see them); the blaze's link, unlinked on its own
    // before, neither went nor came back with the source.
    let actions = |claim: ClaimId| -> Vec<String> {
        bench.review.claim_history(claim).expect("history").into_iter().map(|e| e.action).collect()
    };
    let injured_history = actions(injured);
    assert_eq!(
        injured_history[injured_history.len() - 2..],
        ["claim.unlink", "claim.link-restore"],
        "{injured_history:?}"
    );
    let sentences: Vec<String> = factdesk_core::audit_labels::claim_changes(&bench.review, injured)
        .expect("sentences")
        .into_iter()
        .map(|change| change.sentence)
        .collect();
    assert!(
        sentences.iter().any(|s| s.starts_with("Link to a senior plant manager removed with the source by"))
            && sentences.iter().any(|s| s.starts_with("Link to a senior plant manager restored with the source by")),
        "{sentences:?}"
    );
    for action in ["source.remove", "source.restore"] {
        let entry = bench
            .review
            .audit_trail(None)
            .expect("trail")
            .into_iter()
            .rfind(|e| e.action == action)
            .expect("the source's entry");
        let sides = format!("{:?} {:?}", entry.before, entry.after);
        assert!(!sides.contains("claim") && !sides.contains("links"), "{action} names no claim: {sides}");
    }
    assert_eq!(actions(blaze).iter().filter(|a| a.as_str() == "claim.unlink").count(), 1, "{:?}", actions(blaze));
    assert!(!actions(blaze).iter().any(|a| a.starts_with("source.") || a == "claim.link-restore"));
    assert_eq!(factdesk_core::audit_labels::label("source.remove"), "Source removed from the register");
    let history = serde_json::to_string(&bench.review.claim_history(injured).expect("history")).expect("json");
    assert!(!history.contains(secret), "no confidential content in a claim's history");
    assert_eq!(bench.review.verify_audit().expect("verify").disagreements, vec![]);

    // An unused source goes without asking.
    bench.review.unlink_source(blaze, other).expect("unlink");
    bench.review.remove_source(other, false).expect("unused source");
}

#[test]
fn removing_a_thread_takes_its_replies_and_restoring_it_brings_them_back() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let target = NoteTarget::Claim(claim);
    let thread = bench.review.add_note(target, "Who is the manager?", None).expect("note");
    let early = bench.review.add_note(target, "Asked the desk", Some(thread)).expect("reply");
    let late = bench.review.add_note(target, "Confirmed by phone", Some(thread)).expect("reply");
    let all = bench.review.notes(target).expect("notes");

    bench.review.remove_note(early).expect("remove reply");
    assert_eq!(bench.review.notes(target).expect("notes").len(), 2);
    bench.review.remove_note(thread).expect("remove thread");
    assert!(bench.review.notes(target).expect("notes").is_empty());
    let entry = bench.last_entry(&format!("note:{thread}"));
    assert_eq!(entry.action, "note.remove");
    assert!(entry.before.as_deref().expect("before").contains("Who is the manager?"));
    assert!(matches!(bench.review.resolve_note(thread), Err(SourcingError::NoteNotFound(_))));
    assert!(matches!(bench.review.restore_note(late), Err(SourcingError::RestoreRefused(_))));
    assert!(matches!(bench.review.restore_note(early), Err(SourcingError::RestoreRefused(_))));

    bench.review.remove_claim(claim).expect("remove claim");
    assert!(matches!(bench.review.restore_note(thread), Err(SourcingError::RestoreRefused(_))));
    bench.review.restore_claim(claim).expect("restore claim");
    assert!(bench.review.notes(target).expect("notes").is_empty(), "the removed thread stays removed");
    bench.review.restore_note(thread).expect("restore thread");
    let ids: Vec<_> = bench.review.notes(target).expect("notes").iter().map(|n| n.id).collect();
    assert_eq!(ids, vec![thread, late], "the reply removed on its own stays removed");
    bench.review.restore_note(early).expect("restore reply");
    assert_eq!(bench.review.notes(target).expect("notes"), all);
    assert!(matches!(bench.review.restore_note(early), Err(SourcingError::NotRemoved(_))));
}

#[test]
fn a_moved_claim_keeps_its_id_status_sources_and_notes_and_follows_later_edits() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    bench.review.set_status(claim, ClaimStatus::Corroborated).expect("status");
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    bench.review.add_note(NoteTarget::Claim(claim), "Check the number", None).expect("note");

    let wider = "Six workers were injured on Tuesday, a senior plant manager said.";
    let moved = bench.review.move_claim(claim, &quote(wider)).expect("move");
    assert_eq!((moved.id, moved.status), (claim, ClaimStatus::Corroborated));
    assert_eq!((moved.quote.as_str(), moved.original_quote.as_str()), (wider, wider));
    assert_eq!(moved.anchor.state, factdesk_core::anchor::AnchorState::Anchored);
    assert_eq!(bench.review.claim_sources(claim).expect("links").len(), 1);
    assert_eq!(bench.review.notes(NoteTarget::Claim(claim)).expect("notes").len(), 1);
    let entry = bench.last_entry(&format!("claim:{claim}"));
    assert_eq!(entry.action, "claim.move");
    assert!(entry.before.as_deref().expect("before").contains(&format!("\"quote\":\"{INJURED}\"")));
    assert!(entry.after.as_deref().expect("after").contains(wider));

    // Text not in the draft is refused, and nothing changes.
    let missing = bench.review.move_claim(claim, &quote("Seven workers")).expect_err("not found");
    assert!(matches!(missing, ReviewError::Anchor(AnchorError::NotFound { .. })), "{missing:?}");
    assert_eq!(bench.review.claim(claim).expect("claim").quote, wider);

    // The next edit re-anchors it from where it was moved to.
    bench.rewrite(&format!("Breaking.\n\n{STORY}"));
    let after = bench.review.claim(claim).expect("claim");
    assert_eq!(after.quote, wider);
    assert!(!after.needs_attention);

    // Undo: move it back.
    let back = bench.review.move_claim(claim, &quote(INJURED)).expect("move back");
    assert_eq!(back.quote, INJURED);
}

#[test]
fn undoing_a_move_off_a_repeated_quote_moves_it_back_with_its_context_and_never_unplaces_it() {
    let bench = Bench::new();
    // "the plant" is twice in the story (the headline, the mayor): the claim is the mayor's, told apart by its context.
    let at_the_mayors = TextQuoteSelector {
        exact: "the plant".into(),
        prefix: "The mayor said ".into(),
        suffix: " would reopen in May.".into(),
    };
    let claim = bench.review.add_claim(bench.draft(), &at_the_mayors, ClaimStatus::Disputed).expect("claim");
    let tagged = bench.review.claim(claim).expect("claim");
    bench.review.move_claim(claim, &quote(BLAZE)).expect("move");

    // The quote alone is ambiguous: refused, and the claim stays where it was moved.
    let refused = bench.review.move_claim(claim, &quote("the plant")).expect_err("ambiguous");
    assert!(matches!(refused, ReviewError::Anchor(AnchorError::Ambiguous { count: 2, .. })), "{refused:?}");
    assert_eq!(bench.review.claim(claim).expect("claim").quote, BLAZE);

    // What the window's Undo sends: the old quote with its prefix and suffix.
    let back = bench.review.move_claim(claim, &at_the_mayors).expect("move back");
    assert_eq!((back.quote.as_str(), back.start, back.end), ("the plant", tagged.start, tagged.end));
    assert_eq!((back.status, back.needs_attention), (ClaimStatus::Disputed, false));
    let actions: Vec<String> =
        bench.review.claim_history(claim).expect("history").into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["claim.add", "claim.move", "claim.move"], "a move is undone by a move, never an unplace");
}

#[test]
fn a_source_created_while_linking_keeps_its_confidential_fields_as_the_register_does() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let fields = Confidential {
        identity: Some("Jane Roe".into()),
        anonymity_reason: Some("fears for her job".into()),
        how_known: Some("was on shift".into()),
        first_hand: Some(true),
        ..Confidential::default()
    };
    let new = NewSource {
        descriptor: "a senior plant manager".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(fields.clone()),
    };
    let source = bench.review.link_new_source(claim, &new, SourceRole::Attributed).expect("link new");
    let links = bench.review.claim_sources(claim).expect("links");
    assert_eq!((links[0].source.id, links[0].role), (source, SourceRole::Attributed));
    assert!(links[0].source.confidential.identity && links[0].source.confidential.anonymity_reason);
    assert_eq!(bench.review.reveal_source(source).expect("reveal"), fields);
    let trail = serde_json::to_string(&bench.review.audit_trail(None).expect("trail")).expect("json");
    assert!(!trail.contains("Jane Roe") && !trail.contains("fears for her job"));

    // A named source with confidential fields, or a removed claim: refused, nothing stored.
    let count = bench.review.sources(bench.desk.id()).expect("register").len();
    let named = NewSource { kind: SourceKind::NamedPerson, ..new.clone() };
    assert!(matches!(
        bench.review.link_new_source(claim, &named, SourceRole::Attributed),
        Err(SourcingError::NotUnnamed(_))
    ));
    bench.review.remove_claim(claim).expect("remove");
    assert!(matches!(
        bench.review.link_new_source(claim, &new, SourceRole::Attributed),
        Err(SourcingError::ClaimNotFound(_))
    ));
    assert_eq!(bench.review.sources(bench.desk.id()).expect("register").len(), count);
}

#[test]
fn a_dismissed_suggestion_can_be_offered_again() {
    let bench = Bench::new();
    let offered = bench.review.suggestions(bench.draft()).expect("suggestions");
    let first = offered.suggestions.first().expect("the story has a suggestion").clone();
    let span = factdesk_core::anchor::TextPositionSelector {
        start: u32::try_from(first.start).expect("small"),
        end: u32::try_from(first.end).expect("small"),
    };
    bench.review.dismiss_suggestion(bench.draft(), span).expect("dismiss");
    assert!(bench.review.suggestions(bench.draft()).expect("s").suggestions.iter().all(|s| s.quote != first.quote));
    bench.review.restore_suggestion(bench.draft(), &first.quote).expect("restore");
    assert_eq!(bench.review.suggestions(bench.draft()).expect("s").suggestions, offered.suggestions);
    assert_eq!(bench.last_entry(&format!("draft:{}", bench.draft())).action, "suggestion.restore");
    assert!(matches!(bench.review.restore_suggestion(bench.draft(), &first.quote), Err(ReviewError::CannotResolve(_))));
}

#[test]
fn a_reviewers_decision_on_a_claims_place_can_be_undone() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    bench.rewrite("Fire at the plant\n\nThe mayor said the plant would reopen in May.");
    let orphan = bench.review.claim(claim).expect("claim");
    assert!(orphan.needs_attention);
    assert!(matches!(bench.review.unresolve(claim), Err(ReviewError::CannotResolve(_))), "nothing settled yet");
    let kept = bench.review.resolve(claim, &factdesk_core::review::AnchorResolution::KeepDetached).expect("keep");
    assert!(!kept.needs_attention);
    let undone = bench.review.unresolve(claim).expect("unresolve");
    assert_eq!(undone, orphan, "placed as before the decision");
    assert_eq!(bench.last_entry(&format!("claim:{claim}")).action, "claim.unplace");
}

/// A clock that, read for the `nth` time, lets another window act on the
/// same database file through its own connection: what another process
/// does between a command's first look at the store and its write.
struct MeanwhileClock {
    at: chrono::DateTime<chrono::Utc>,
    reads_left: std::sync::atomic::AtomicUsize,
    meanwhile: std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl factdesk_core::clock::Clock for MeanwhileClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        if self.reads_left.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            if let Some(act) = self.meanwhile.lock().expect("lock").take() {
                act();
            }
        }
        self.at
    }
}

impl Bench {
    /// Another window on the same database file, with its own connection.
    fn other_window(&self) -> Review {
        let store = engine::open(&self._tmp.path().join("f.db")).expect("a second connection").shared();
        Review::new(store, self.clock.clone(), "Ben Editor".into())
    }

    /// Ana's review, during which `act` runs at the `nth` reading of the clock.
    fn meanwhile(&self, nth: usize, act: impl FnOnce() + Send + 'static) -> Review {
        let clock = MeanwhileClock {
            at: chrono::Utc::now(),
            reads_left: std::sync::atomic::AtomicUsize::new(nth),
            meanwhile: std::sync::Mutex::new(Some(Box::new(act))),
        };
        Review::new(self.store.clone(), Arc::new(clock), "Ana Editor".into())
    }
}

#[test]
fn a_source_linked_from_another_window_meanwhile_is_not_removed_alone() {
    let bench = Bench::new();
    let injured = bench.claim(INJURED);
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    let other_window = bench.other_window();
    let review = bench.meanwhile(1, move || {
        other_window.link_source(injured, manager, SourceRole::Attributed).expect("linked meanwhile");
    });

    let refused = review.remove_source(manager, false).expect_err("a claim cites it now");
    assert!(matches!(refused, SourcingError::SourceInUse { .. }), "{refused:?}");
    assert_eq!(bench.review.claim_sources(injured).expect("links")[0].source.id, manager);
    assert_eq!(bench.review.source(manager).expect("still in the register").id, manager);
}

/// The removal entries about `entity` in the audit trail, with who made them.
fn removals(bench: &Bench, entity: &str) -> Vec<(String, String)> {
    let trail = bench.review.audit_trail(Some(entity)).expect("trail");
    trail
        .into_iter()
        .filter(|e| e.action.ends_with("remove") || e.action == "claim.unlink")
        .map(|e| (e.action, e.actor))
        .collect()
}

#[test]
fn what_another_window_removed_meanwhile_is_not_removed_twice() {
    if engine::on_postgres() {
        return; // several reviewers here are several logins on a team store (the CLI's two-login test covers it)
    }
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let photo = NewEvidence::supporting(EvidenceKind::PhotoVideo, "ward.jpg", "Photo of the ward", true);
    let evidence = bench.review.add_evidence(claim, &photo).expect("evidence");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.remove_evidence(evidence).expect("removed meanwhile")));
    assert!(matches!(review.remove_evidence(evidence), Err(SourcingError::EvidenceNotFound(_))));
    let ben = ("evidence.remove".to_owned(), "Ben Editor".to_owned());
    assert_eq!(removals(&bench, &format!("evidence:{evidence}")), vec![ben]);

    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || other.unlink_source(claim, manager).expect("unlinked meanwhile"));
    assert!(review.unlink_source(claim, manager).is_err(), "not linked any more");
    assert_eq!(removals(&bench, &format!("claim:{claim}")).len(), 1);

    let note = bench.review.add_note(NoteTarget::Claim(claim), "Call the hospital", None).expect("note");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.remove_note(note).expect("removed meanwhile")));
    assert!(matches!(review.remove_note(note), Err(SourcingError::NoteNotFound(_))));
    assert_eq!(removals(&bench, &format!("note:{note}")).len(), 1);

    // Listing the claim reads the clock once before the removal's own reading.
    let other = bench.other_window();
    let review = bench.meanwhile(2, move || drop(other.remove_claim(claim).expect("removed meanwhile")));
    assert!(matches!(review.remove_claim(claim), Err(ReviewError::ClaimNotFound(_))));
    assert_eq!(removals(&bench, &format!("claim:{claim}")).len(), 2, "the unlink, then Ben's removal only");
    let removed = bench.review.removed_claims(bench.draft()).expect("removed");
    assert_eq!(removed[0].removed_by, "Ben Editor");
}

/// The restore entries about `entity` in the audit trail.
fn restores(bench: &Bench, entity: &str) -> usize {
    let trail = bench.review.audit_trail(Some(entity)).expect("trail");
    trail.iter().filter(|e| e.action.ends_with("restore")).count()
}

#[test]
fn what_another_window_restored_meanwhile_is_not_restored_twice() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let photo = NewEvidence::supporting(EvidenceKind::PhotoVideo, "ward.jpg", "Photo of the ward", true);
    let evidence = bench.review.add_evidence(claim, &photo).expect("evidence");
    bench.review.remove_evidence(evidence).expect("remove");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.restore_evidence(evidence).expect("restored meanwhile")));
    assert!(matches!(review.restore_evidence(evidence), Err(SourcingError::NotRemoved(_))));
    assert_eq!(restores(&bench, &format!("evidence:{evidence}")), 1);

    let note = bench.review.add_note(NoteTarget::Claim(claim), "Call the hospital", None).expect("note");
    bench.review.remove_note(note).expect("remove");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.restore_note(note).expect("restored meanwhile")));
    assert!(matches!(review.restore_note(note), Err(SourcingError::NotRemoved(_))));
    assert_eq!(restores(&bench, &format!("note:{note}")), 1);

    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.remove_source(manager, false).expect("remove");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.restore_source(manager).expect("restored meanwhile")));
    assert!(matches!(review.restore_source(manager), Err(SourcingError::NotRemoved(_))));
    assert_eq!(restores(&bench, &format!("source:{manager}")), 1);

    // Linked again meanwhile with another role: the undo of the unlink leaves that link as it is.
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    bench.review.unlink_source(claim, manager).expect("unlink");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || {
        other.link_source(claim, manager, SourceRole::Corroborates).expect("linked again meanwhile");
    });
    assert!(matches!(review.restore_source_link(claim, manager), Err(SourcingError::NotRemoved(_))));
    assert_eq!(restores(&bench, &format!("claim:{claim}")), 0);

    bench.review.remove_claim(claim).expect("remove");
    let other = bench.other_window();
    let review = bench.meanwhile(1, move || drop(other.restore_claim(claim).expect("restored meanwhile")));
    assert!(matches!(review.restore_claim(claim), Err(ReviewError::NotRemoved(_))));
    assert_eq!(restores(&bench, &format!("claim:{claim}")), 1);
}

#[test]
fn a_reply_added_from_another_window_meanwhile_is_named_with_the_thread_it_went_with() {
    let bench = Bench::new();
    let target = NoteTarget::Claim(bench.claim(INJURED));
    let thread = bench.review.add_note(target, "Who is the manager?", None).expect("note");
    let first = bench.review.add_note(target, "Asked the desk", Some(thread)).expect("reply");
    let other = bench.other_window();
    let (sender, added) = std::sync::mpsc::channel();
    let review = bench.meanwhile(1, move || {
        sender
            .send(other.add_note(target, "Confirmed by phone", Some(thread)).expect("reply meanwhile"))
            .expect("send");
    });

    review.remove_note(thread).expect("remove the thread");
    let late = added.recv().expect("the reply made meanwhile");
    assert!(bench.review.notes(target).expect("notes").is_empty(), "both replies went with the thread");
    let entry = bench.last_entry(&format!("note:{thread}"));
    let before: serde_json::Value = serde_json::from_str(entry.before.as_deref().expect("before")).expect("json");
    assert_eq!(before["replies"], serde_json::json!([first, late]));
}

#[test]
fn a_link_made_from_another_window_meanwhile_is_named_with_the_claim_it_went_with() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    let other = bench.other_window();
    // Listing the claim reads the clock once before the removal's own reading.
    let review = bench.meanwhile(2, move || {
        other.link_source(claim, manager, SourceRole::Attributed).expect("linked meanwhile");
    });

    review.remove_claim(claim).expect("remove");
    let entry = bench.last_entry(&format!("claim:{claim}"));
    let before: serde_json::Value = serde_json::from_str(entry.before.as_deref().expect("before")).expect("json");
    assert_eq!(before["links"], serde_json::json!([{ "source": manager, "role": "attributed" }]));
}

#[test]
fn a_claim_moved_while_the_writer_saves_from_another_window_lands_on_the_new_text() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let other_store = engine::open(&bench._tmp.path().join("f.db")).expect("a second connection").shared();
    let other_desk = Desk::open(other_store, &bench.folder, bench.clock.clone()).expect("other desk");
    let folder = bench.folder.clone();
    // Listing the claim reads the clock once before the move's own reading.
    let review = bench.meanwhile(2, move || {
        std::fs::write(folder.join("story.txt"), format!("Breaking.\n\n{STORY}")).expect("save");
        other_desk.scan(&mut |_| {}, &mut |_| {}).expect("the other window records the new version");
    });

    let wider = "Six workers were injured on Tuesday, a senior plant manager said.";
    let moved = review.move_claim(claim, &quote(wider)).expect("move");
    assert_eq!(moved.quote, wider, "on the text as it is now");
    assert!(!moved.needs_attention);
}

#[test]
fn a_claim_removed_from_another_window_meanwhile_is_not_moved() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let other = bench.other_window();
    let review = bench.meanwhile(2, move || drop(other.remove_claim(claim).expect("removed meanwhile")));

    let wider = "Six workers were injured on Tuesday, a senior plant manager said.";
    assert!(matches!(review.move_claim(claim, &quote(wider)), Err(ReviewError::ClaimNotFound(_))));
    assert_eq!(bench.last_entry(&format!("claim:{claim}")).action, "claim.remove");
    bench.review.restore_claim(claim).expect("restore");
    assert_eq!(bench.review.claim(claim).expect("claim").quote, INJURED, "as it was removed");
}

#[test]
fn a_placement_decision_undone_from_another_window_meanwhile_is_not_undone_twice() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    bench.rewrite("Fire at the plant\n\nThe mayor said the plant would reopen in May.");
    bench.review.resolve(claim, &factdesk_core::review::AnchorResolution::KeepDetached).expect("keep");
    let other = bench.other_window();
    // Listing the claim reads the clock once before the undo's own reading.
    let review = bench.meanwhile(2, move || drop(other.unresolve(claim).expect("undone meanwhile")));

    assert!(matches!(review.unresolve(claim), Err(ReviewError::CannotResolve(_))));
    let trail = bench.review.audit_trail(Some(&format!("claim:{claim}"))).expect("trail");
    assert_eq!(trail.iter().filter(|e| e.action == "claim.unplace").count(), 1);
}

/// Every removal, restore, unlink, relink and move is what the audit trail
/// says happened: replaying the trail agrees with the rows afterwards (the
/// merge of soft removal with the replaying `audit verify`).
#[test]
fn audit_verify_agrees_with_the_rows_after_every_kind_of_removal_restore_and_move() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let other = bench.claim(BLAZE);
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    let firefighter = bench.source("a firefighter", SourceKind::Unnamed);
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    bench.review.link_source(other, firefighter, SourceRole::Attributed).expect("link");
    let evidence = bench
        .review
        .add_evidence(claim, &NewEvidence::supporting(EvidenceKind::Document, "roster.pdf", "Shift roster", true))
        .expect("evidence");
    let note = bench.review.add_note(NoteTarget::Claim(claim), "Call the hospital", None).expect("note");
    let intact = |step: &str| {
        let report = bench.review.verify_audit().expect("verify");
        assert!(report.is_intact(), "after {step}: {report:?}");
    };
    intact("adding");

    bench.review.unlink_source(claim, manager).expect("unlink");
    intact("unlink");
    bench.review.restore_source_link(claim, manager).expect("relink");
    intact("relink");
    bench.review.remove_evidence(evidence).expect("remove evidence");
    intact("evidence rm");
    bench.review.restore_evidence(evidence).expect("restore evidence");
    intact("evidence restore");
    bench.review.remove_note(note).expect("remove note");
    intact("note rm");
    bench.review.restore_note(note).expect("restore note");
    intact("note restore");
    bench.review.remove_source(firefighter, true).expect("remove source with links");
    intact("source rm --with-links");
    bench.review.restore_source(firefighter).expect("restore source");
    intact("source restore");
    bench.review.remove_claim(claim).expect("remove claim");
    intact("claim rm");
    bench.review.restore_claim(claim).expect("restore claim");
    intact("claim restore");
    bench
        .review
        .move_claim(claim, &quote("Six workers were injured on Tuesday, a senior plant manager said."))
        .expect("move");
    intact("claim move");
    bench.review.move_claim(claim, &quote(INJURED)).expect("move back");
    intact("move back");
}

#[test]
fn an_unlinked_or_removed_source_no_longer_decides_a_claims_attribution() {
    use factdesk_core::attribution::{AttributedTo, AttributionFrom};
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let attribution = |bench: &Bench| {
        let view = bench.review.claims(bench.draft()).expect("claims").into_iter().find(|c| c.id == claim);
        let attribution = view.expect("the claim").attribution;
        (attribution.kind, attribution.from)
    };
    // "…, a senior plant manager said.": unnamed, read from the wording.
    assert_eq!(attribution(&bench), (AttributedTo::Unnamed, AttributionFrom::Wording));
    let statement = bench.source("the company's statement", SourceKind::OfficialStatement);
    bench.review.link_source(claim, statement, SourceRole::Attributed).expect("link");
    assert_eq!(attribution(&bench), (AttributedTo::OfficialStatement, AttributionFrom::Sources));

    bench.review.unlink_source(claim, statement).expect("unlink");
    assert_eq!(
        attribution(&bench),
        (AttributedTo::Unnamed, AttributionFrom::Wording),
        "the unlinked source still decided"
    );
    bench.review.restore_source_link(claim, statement).expect("restore");
    assert_eq!(attribution(&bench), (AttributedTo::OfficialStatement, AttributionFrom::Sources));
    bench.review.remove_source(statement, true).expect("remove with its links");
    assert_eq!(
        attribution(&bench),
        (AttributedTo::Unnamed, AttributionFrom::Wording),
        "the removed source still decided"
    );
}

#[test]
fn a_claims_history_reads_as_sentences_naming_sources_and_who_did_it() {
    let bench = Bench::new();
    let claim = bench.claim(INJURED);
    let manager = bench.source("a senior plant manager", SourceKind::Unnamed);
    bench.review.link_source(claim, manager, SourceRole::Attributed).expect("link");
    bench.review.set_personal_attack(claim, true).expect("attack");
    let changes = factdesk_core::audit_labels::claim_changes(&bench.review, claim).expect("history");
    let sentences: Vec<&str> = changes.iter().map(|change| change.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        [
            "Tagged as a claim by Ana Editor",
            "Linked a senior plant manager (attributed) by Ana Editor",
            "Marked as an attack on a person by Ana Editor",
        ]
    );
    assert_eq!(changes[2].action, "claim.personal-attack");
}
