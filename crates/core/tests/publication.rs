//! Publication freezes the review (issue 13): moving a draft to published
//! keeps a snapshot of its review (claims and statuses, sources by
//! descriptor, evidence, notes, the editor's note) as the published record;
//! what changes after belongs to an update, which lists what changed since
//! publication, as a correction would. On a real SQLite file, or with
//! `FACTDESK_TEST_ENGINE=postgres` on a real PostgreSQL.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::desk::Desk;
use factdesk_core::report::{self, Format, GatherOptions, Profile, Scope, WriteOptions};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::publication::ReviewChange;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{ClaimId, DraftId, SourceId};

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The blaze started in a storage building, according to two firefighters.\n\n\
    The mayor said the plant would reopen in May.";

struct Newsroom {
    _tmp: tempfile::TempDir,
    desk: Desk,
    review: Review,
    draft: DraftId,
}

impl Newsroom {
    fn new() -> Self {
        let engine::ScannedDesk { tmp, desk, review, .. } =
            engine::ScannedDesk::new(&[("story.txt", STORY)], chrono::Utc::now());
        let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
        Self { _tmp: tmp, desk, review, draft }
    }

    fn claim(&self, exact: &str) -> ClaimId {
        let quote = TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
        self.review.add_claim(self.draft, &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn source(&self, descriptor: &str, kind: SourceKind, confidential: Option<Confidential>) -> SourceId {
        let new = NewSource { descriptor: descriptor.into(), kind, notes: String::new(), confidential };
        self.review.add_source(self.desk.id(), &new).expect("source")
    }

    fn publish(&self) {
        for status in [DraftStatus::Ready, DraftStatus::Published] {
            self.review.set_draft_status(self.draft, status, Some("checked by the managing editor")).expect("move");
        }
    }
}

#[test]
fn publishing_keeps_the_review_as_it_was_and_an_update_lists_what_changed_since() {
    let room = Newsroom::new();
    let injured = room.claim("Six workers were injured on Tuesday");
    let blaze = room.claim("The blaze started in a storage building");
    let manager = room.source(
        "a senior plant manager",
        SourceKind::Unnamed,
        Some(Confidential { identity: Some("J. Doe, shift manager".into()), ..Confidential::default() }),
    );
    room.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    room.review.set_status(injured, ClaimStatus::Corroborated).expect("status");
    room.review
        .add_evidence(
            injured,
            &NewEvidence::supporting(EvidenceKind::Document, "er-log.pdf", "Hospital admissions log", true),
        )
        .expect("evidence");
    room.review.add_note(NoteTarget::Claim(blaze), "Ask the fire brigade", None).expect("note");
    room.review.save_editor_note(room.draft, "Editor's Note: one source is not named.").expect("editor's note");
    assert!(room.review.published_review(room.draft).expect("read").is_none(), "nothing published yet");
    assert!(room.review.changes_since_publication(room.draft).expect("read").is_none());

    room.publish();
    let published = room.review.published_review(room.draft).expect("read").expect("a published record");
    assert_eq!(published.published_by, engine::recorded_as("Ana Editor"));
    assert_eq!(published.editor_note.as_deref(), Some("Editor's Note: one source is not named."));
    let first = published.claims.iter().find(|c| c.id == injured).expect("claim in the record");
    assert_eq!(first.status, ClaimStatus::Corroborated);
    assert_eq!(first.quote, "Six workers were injured on Tuesday");
    assert_eq!(first.sources.len(), 1);
    assert_eq!(
        (first.sources[0].descriptor.as_str(), first.sources[0].role),
        ("a senior plant manager", SourceRole::Attributed)
    );
    assert_eq!(first.evidence[0].summary, "Hospital admissions log");
    let second = published.claims.iter().find(|c| c.id == blaze).expect("claim in the record");
    assert_eq!(second.notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["Ask the fire brigade"]);
    // Sources by descriptor only: an identity never enters the record.
    let record = serde_json::to_string(&published).expect("json");
    assert!(!record.contains("J. Doe"), "{record}");
    assert_eq!(room.review.changes_since_publication(room.draft).expect("read").expect("published"), []);

    // After publication: an update.
    room.review.set_status(blaze, ClaimStatus::Disputed).expect("status");
    room.review.unlink_source(injured, manager).expect("unlink");
    let brigade = room.source("the fire brigade's report", SourceKind::Document, None);
    room.review.link_source(blaze, brigade, SourceRole::Contradicts).expect("link");
    let mayor = room.claim("the plant would reopen in May");
    room.review.save_editor_note(room.draft, "Editor's Note: corrected the cause of the fire.").expect("note");
    // For the editors only: not a change an update's report lists.
    room.review.add_private_note(NoteTarget::Draft(room.draft), "Lawyer read the correction", None).expect("note");
    room.review.set_draft_status(room.draft, DraftStatus::Updated, None).expect("updated");

    let changes = room.review.changes_since_publication(room.draft).expect("read").expect("published");
    let expected = [
        ReviewChange::SourceUnlinked {
            claim: injured,
            quote: "Six workers were injured on Tuesday".into(),
            descriptor: "a senior plant manager".into(),
            role: SourceRole::Attributed,
        },
        ReviewChange::StatusChanged {
            claim: blaze,
            quote: "The blaze started in a storage building".into(),
            from: ClaimStatus::NeedsCorroboration,
            to: ClaimStatus::Disputed,
        },
        ReviewChange::SourceLinked {
            claim: blaze,
            quote: "The blaze started in a storage building".into(),
            descriptor: "the fire brigade's report".into(),
            role: SourceRole::Contradicts,
        },
        ReviewChange::ClaimAdded {
            claim: mayor,
            quote: "the plant would reopen in May".into(),
            status: ClaimStatus::NeedsCorroboration,
        },
        ReviewChange::EditorNoteChanged {
            from: Some("Editor's Note: one source is not named.".into()),
            to: Some("Editor's Note: corrected the cause of the fire.".into()),
        },
    ];
    assert_eq!(changes, expected);
    // The published record itself did not move.
    assert_eq!(room.review.published_review(room.draft).expect("read").expect("record"), published);

    // The update's report lists what changed since publication.
    let options = GatherOptions { profile: Profile::Desk, include_text: false };
    let model = report::gather_as(&room.review, Scope::Draft(room.draft), &options).expect("gather");
    assert_eq!(model.drafts[0].since_publication.as_deref(), Some(&expected[..]));
    let markdown =
        String::from_utf8(report::render(&model, Format::Markdown, &WriteOptions::default()).expect("render"))
            .expect("utf-8");
    let section = &markdown[markdown.find("Changes since publication").expect("the section")..];
    assert!(section.contains("Needs corroboration → Disputed"), "{section}");
    assert!(section.contains("the fire brigade's report linked (contradicts)"), "{section}");
    assert!(!markdown.contains("Lawyer read"), "a private note never reaches a desk report");
}

#[test]
fn a_draft_never_published_has_no_changes_since_publication_in_its_report() {
    let room = Newsroom::new();
    room.claim("Six workers were injured on Tuesday");
    let options = GatherOptions { profile: Profile::Desk, include_text: false };
    let model = report::gather_as(&room.review, Scope::Draft(room.draft), &options).expect("gather");
    assert_eq!(model.drafts[0].since_publication, None);
    let json = String::from_utf8(report::render(&model, Format::Json, &WriteOptions::default()).expect("render"))
        .expect("utf-8");
    assert!(!json.contains("since_publication"), "the JSON report is as it was before publication existed");
}

/// Regression: the changes since publication listed an answer to a private note (a desk report showed it), though
/// a reply is as private as its thread.
#[test]
fn a_reply_to_a_private_note_is_no_change_since_publication_either() {
    let room = Newsroom::new();
    let blaze = room.claim("The blaze started in a storage building");
    room.publish();
    let thread = room
        .review
        .add_private_note(NoteTarget::Claim(blaze), "Is the second firefighter our cousin?", None)
        .expect("note");
    room.review.add_note(NoteTarget::Claim(blaze), "Yes: find a third source.", Some(thread)).expect("reply");
    room.review.add_note(NoteTarget::Draft(room.draft), "Corrected on Wednesday.", None).expect("public note");
    let changes = room.review.changes_since_publication(room.draft).expect("read").expect("published");
    let notes: Vec<&str> = changes
        .iter()
        .filter_map(|change| match change {
            ReviewChange::NoteAdded { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["Corrected on Wednesday."]);
}
