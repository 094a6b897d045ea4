//! Moving a draft to ready (and past it) and overriding a finding.

use crate::fixtures::*;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{ClaimId, DraftId};

#[test]
fn only_editors_and_standards_editors_move_a_draft_to_ready_or_override_a_finding() {
    let team = Team::staffed();
    for name in [&team.reporter, &team.lawyer, &ADMIN.to_owned()] {
        let review = team.as_person(name);
        refused_naming(
            review.set_draft_status(team.own, DraftStatus::Ready, Some("go")),
            "editor or standards editor role",
        );
        refused_naming(review.override_findings(team.own, "go", &[]), "editor or standards editor role");
    }
    team.as_person(&team.editor).set_draft_status(team.own, DraftStatus::Ready, Some("checked")).expect("editor");
    team.as_person(&team.standards)
        .set_draft_status(team.shared, DraftStatus::Ready, Some("checked"))
        .expect("standards editor");
}

/// A team store where another reporter's draft, ready with one claim, was renamed and then edited in the
/// shared folder, and a reporter's Factdesk scanned it first (review finding 4).
struct EditedReadyDraft {
    team: TeamDesk,
    draft: DraftId,
    claim: ClaimId,
    editor: String,
}

impl EditedReadyDraft {
    fn scanned_by_a_reporter() -> Self {
        let team = TeamDesk::new();
        let (folder, cy, draft, ed) = (&team.folder, team.cy.clone(), team.others, unique("ed"));
        let review = team.owner_review();
        let claim = review.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        review.set_draft_status(draft, DraftStatus::Ready, Some("checked by phone")).expect("ready");
        team.staff(&[(&ed, Role::Editor)]);
        let reporters_desk = team.desk_as(&team.bo);

        // Renamed: the same draft at its new path.
        std::fs::rename(folder.join(&cy).join("story.md"), folder.join(&cy).join("bridge.md")).expect("rename");
        reporters_desk.scan(&mut |_| {}, &mut |_| {}).expect("the reporter's scan after the rename");
        let renamed = reporters_desk.draft_by_path(&format!("{cy}/bridge.md")).expect("lookup").expect("renamed");
        assert_eq!(renamed.id, draft, "the rename keeps the draft (and its review)");

        // Edited: the claim's sentence reworded.
        std::fs::write(
            folder.join(&cy).join("bridge.md"),
            "# Story\n\nThe mayor spent nearly 5 million euros on the old bridge.\n",
        )
        .expect("edit");
        reporters_desk.scan(&mut |_| {}, &mut |_| {}).expect("the reporter's scan after the edit");
        let mut client = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("connect");
        let checked: i64 = client
            .query_one("SELECT count(*) FROM draft_changes_since_ready WHERE draft_id = $1", &[&draft.0])
            .expect("changes since ready")
            .get(0);
        assert_eq!(checked, 0, "the reporter, who sees none of its claims, does not record the version as checked");
        drop(client);
        Self { team, draft, claim, editor: ed }
    }

    fn editor(&self) -> Review {
        self.team.review_as(&self.editor)
    }
}

/// The editor, next to look at the draft's status, re-checks it: back to needs work, the claim found reworded
/// in the new text. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_reporter_scanning_another_reporters_ready_draft_leaves_its_recheck_to_those_who_see_its_claims() {
    let team = EditedReadyDraft::scanned_by_a_reporter();
    let editor = team.editor();
    let status = editor.draft_status(team.draft).expect("status");
    assert_eq!(status.status, DraftStatus::NeedsWork, "{status:?}");
    let changes = status.changed_since_ready.expect("what changed");
    assert!(changes.changes.iter().any(|c| c.claim == Some(team.claim)), "{changes:?}");
    let claims = editor.claims(team.draft).expect("claims");
    assert!(claims[0].start.is_some(), "the claim is placed on the new text: {:?}", claims[0]);
}

/// A ready draft whose new version nobody checked yet is checked before it moves: it cannot be published
/// on the strength of a text it was not marked ready on (review finding 11).
#[test]
fn on_a_team_store_a_ready_draft_whose_new_text_was_not_checked_is_checked_before_it_is_published() {
    let team = EditedReadyDraft::scanned_by_a_reporter();
    let editor = team.editor();
    let published = editor.set_draft_status(team.draft, DraftStatus::Published, None);
    let Err(SourcingError::Transition { from, .. }) = &published else { panic!("published: {published:?}") };
    assert_eq!(from, "needs-work");
    assert_eq!(editor.draft_status(team.draft).expect("status").status, DraftStatus::NeedsWork);
}
