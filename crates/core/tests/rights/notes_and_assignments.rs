//! Notes, private notes and their threads, and handing claims out.

use crate::engine;
use crate::fixtures::*;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::SourcingError;

/// Regression: the notes of a claim or draft listed private notes (and the replies in their threads) to
/// whoever could see the claim: a private note is for the editors (and the lawyer, who reads everything but
/// identities), not for the draft's reporter nor the admin.
#[test]
fn private_notes_and_their_replies_are_listed_only_to_those_who_may_read_them() {
    let team = Team::staffed();
    let claim = team.claim_on(team.own);
    let ed = team.as_person(&team.editor);
    let public = ed.add_note(NoteTarget::Claim(claim), "Which budget line?", None).expect("note");
    let private = ed.add_private_note(NoteTarget::Claim(claim), "The clerk is our source.", None).expect("private");
    let reply = ed.add_note(NoteTarget::Claim(claim), "She confirmed it twice.", Some(private)).expect("reply");
    let public_reply = team
        .as_person(&team.reporter)
        .add_note(NoteTarget::Claim(claim), "Line 7.", Some(public))
        .expect("the reporter answers");
    let on_draft = ed.add_private_note(NoteTarget::Draft(team.own), "Hold until Friday.", None).expect("private");
    let ids = |review: &Review, target: NoteTarget| -> Vec<_> {
        review.notes(target).expect("notes").into_iter().map(|n| n.id).collect()
    };
    for name in [&team.reporter, &ADMIN.to_owned()] {
        let review = team.as_person(name);
        assert_eq!(ids(&review, NoteTarget::Claim(claim)), vec![public, public_reply], "{name}");
        assert!(ids(&review, NoteTarget::Draft(team.own)).is_empty(), "{name}");
    }
    for name in [&team.editor, &team.standards, &team.lawyer] {
        let review = team.as_person(name);
        assert_eq!(ids(&review, NoteTarget::Claim(claim)), vec![public, public_reply, private, reply], "{name}");
        assert_eq!(ids(&review, NoteTarget::Draft(team.own)), vec![on_draft], "{name}");
    }
}

/// Regression: a reporter (or the admin) could reply in a private thread they may not read; and on a team store
/// their login reads only the notes Factdesk lists them, while their own drafts' notes still work for them.
#[test]
fn only_those_who_read_private_notes_reply_in_a_private_thread_or_write_a_private_note() {
    let team = Team::staffed();
    let claim = team.claim_on(team.own);
    let ed = team.as_person(&team.editor);
    let private = ed.add_private_note(NoteTarget::Claim(claim), "The clerk is our source.", None).expect("private");
    let reply = ed.add_note(NoteTarget::Claim(claim), "She confirmed it twice.", Some(private)).expect("reply");
    for name in [&team.reporter, &ADMIN.to_owned()] {
        let review = team.as_person(name);
        for parent in [private, reply] {
            refused_naming(
                review.add_note(NoteTarget::Claim(claim), "Who is she?", Some(parent)),
                "editor, standards editor or lawyer role",
            );
        }
        refused_naming(
            review.add_private_note(NoteTarget::Claim(claim), "Between us.", None),
            "editor, standards editor or lawyer role",
        );
        // Nor do they edit, resolve or remove what is in a private thread: on a team store the server hides it.
        for result in [
            review.edit_note(private, "Rewritten.").map(drop),
            review.edit_note(reply, "Rewritten.").map(drop),
            review.resolve_note(reply).map(drop),
            review.remove_note(reply).map(drop),
        ] {
            if engine::on_postgres() {
                assert!(matches!(result, Err(SourcingError::NoteNotFound(_))), "{name}: {result:?}");
            } else {
                refused_naming(result, "editor, standards editor or lawyer role");
            }
        }
    }
    // The reporter's own draft's notes still work for them: they add notes and replies and list them.
    let bo = team.as_person(&team.reporter);
    let question = bo.add_note(NoteTarget::Claim(claim), "Which budget line?", None).expect("the reporter's note");
    let answer = ed.add_note(NoteTarget::Claim(claim), "Line 7.", Some(question)).expect("the editor answers");
    let thanks = bo.add_note(NoteTarget::Claim(claim), "Thanks.", Some(answer)).expect("the reporter replies");
    let on_draft = bo.add_note(NoteTarget::Draft(team.own), "Photos on Friday.", None).expect("on the draft");
    bo.edit_note(question, "Which budget line, exactly?").expect("the reporter edits their note");
    let ids = |review: &Review, target: NoteTarget| -> Vec<_> {
        review.notes(target).expect("notes").into_iter().map(|n| n.id).collect()
    };
    assert_eq!(ids(&bo, NoteTarget::Claim(claim)), vec![question, answer, thanks]);
    assert_eq!(ids(&bo, NoteTarget::Draft(team.own)), vec![on_draft]);
    assert_eq!(ids(&ed, NoteTarget::Claim(claim)), vec![private, reply, question, answer, thanks]);
    // The lawyer reads private notes, and may answer in their threads.
    team.as_person(&team.lawyer).add_note(NoteTarget::Claim(claim), "Fine by me.", Some(reply)).expect("the lawyer");
}

#[test]
fn only_those_who_change_a_drafts_claims_hand_them_out() {
    use factdesk_core::assignment::AssignmentTarget;
    let team = Team::staffed();
    let claim = team.claim_on(team.shared);
    let needed = "editor or standards editor role";
    refused_naming(team.as_person(&team.lawyer).assign(AssignmentTarget::Claim(claim), &team.reporter, None), needed);
    refused_naming(team.as_person(&team.lawyer).unassign(AssignmentTarget::Claim(claim)), needed);
    // To someone who sees the shared draft's claims: a reporter sees only their own (assignments.rs's test).
    team.as_person(&team.editor)
        .assign(AssignmentTarget::Claim(claim), &team.standards, None)
        .expect("the editor assigns");
    let own = team.claim_on(team.own);
    team.as_person(&team.reporter).assign(AssignmentTarget::Claim(own), &team.editor, None).expect("on own draft");
}

/// Removing a claim marks none of its notes removed: they are left out with the claim and come back with it. So a
/// reporter removing a claim of their own draft that has a private note (which their login may not read, on a
/// team store not even see) leaves that note as it was, on both engines, and the trail still verifies.
#[test]
fn a_reporter_removing_and_restoring_their_claim_leaves_its_private_note_as_it_was() {
    let team = Team::staffed();
    let claim = team.claim_on(team.own);
    let editor = team.as_person(&team.editor);
    let private =
        editor.add_private_note(NoteTarget::Claim(claim), "The clerk is our source.", None).expect("private note");
    let reporter = team.as_person(&team.reporter);
    reporter.remove_claim(claim).expect("the reporter removes their claim");
    reporter.restore_claim(claim).expect("and brings it back");
    let notes = editor.notes(NoteTarget::Claim(claim)).expect("notes");
    let seen: Vec<(factdesk_core::store::NoteId, bool, &str)> =
        notes.iter().map(|n| (n.id, n.private, n.text.as_str())).collect();
    assert_eq!(seen, vec![(private, true, "The clerk is our source.")]);
    let report = editor.verify_audit().expect("verify");
    assert!(report.is_intact() && !report.rows_not_compared, "{report:?}");
}

/// Review session 8, finding 11: a lawyer's login (or an editor's of any desk) made every private note of the
/// server public with one `UPDATE notes SET private = FALSE WHERE private`, and any login rewrote the notes it
/// saw, their author too. Now (0028) only an editor or standards editor of the note's desk changes whether it is
/// private, no group login changes who wrote a note or what it hangs from, and only the desk's own people change
/// its notes; while every note path of Factdesk still works for each role.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_only_an_editor_of_its_desk_unhides_a_private_note_and_no_login_rewrites_who_wrote_one() {
    let team = TeamDesk::new();
    let (ed, lou, ada, xed) = (unique("ed"), unique("lou"), unique("ada"), unique("xed"));
    team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer), (&ada, Role::Admin)]);
    // `xed` is an editor of another desk of the server only.
    let (_other_tmp, _other, _other_draft) = another_desk(&team, &[(&xed, Role::Editor)]);
    let as_ed = team.review_as(&ed);
    let claim = as_ed.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let private = as_ed.add_private_note(NoteTarget::Claim(claim), "The clerk is our source.", None).expect("private");
    let on_draft = as_ed.add_private_note(NoteTarget::Draft(team.own), "Hold until Friday.", None).expect("private");
    let as_bo = team.review_as(&team.bo);
    let question = as_bo.add_note(NoteTarget::Claim(claim), "Which budget line?", None).expect("bo's note");

    // Refused (0028's trigger), or filtered down to no row (0029's policies hold another desk's notes from an
    // UPDATE before any trigger runs): either way nothing changes, which the server's state below shows.
    let refused = |login: &str, sql: &str| match team.connect(login).execute(sql, &[]) {
        Ok(changed) => assert_eq!(changed, 0, "{login}: {sql}"),
        Err(error) => assert_eq!(sqlstate(&error), Some("42501"), "{login}: {sql}: {error}"),
    };
    for login in [&lou, &xed, &ada, &team.bo] {
        // (The admin and the reporter do not see the private notes; for them the statement changes nothing.)
        let changed = team.connect(login).execute("UPDATE notes SET private = FALSE WHERE private", &[]);
        assert!(matches!(changed, Ok(0) | Err(_)), "{login}: {changed:?}");
        if let Err(error) = changed {
            assert_eq!(sqlstate(&error), Some("42501"), "{login}: {error}");
        }
    }
    refused(&lou, "UPDATE notes SET private = FALSE WHERE private");
    refused(&xed, "UPDATE notes SET private = FALSE WHERE private");
    // The editor of the other desk rewrites nothing of this desk's notes, nor resolves or removes them.
    refused(&xed, &format!("UPDATE notes SET text = 'rewritten' WHERE id = {}", question.0));
    refused(&xed, &format!("UPDATE notes SET resolved_by = 'x', resolved_at = 'x' WHERE id = {}", question.0));
    // No one changes who wrote a note, nor what it hangs from (the reporter on their own draft's note included).
    for login in [&team.bo, &ed, &lou, &ada] {
        refused(login, &format!("UPDATE notes SET author = '{ed}' WHERE id = {}", question.0));
        refused(login, &format!("UPDATE notes SET reply_to = {} WHERE id = {}", private.0, question.0));
        refused(
            login,
            &format!("UPDATE notes SET draft_id = {}, claim_id = NULL WHERE id = {}", team.others.0, question.0),
        );
    }
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let state = |superuser: &mut postgres::Client| -> Vec<(i64, bool, String, String)> {
        superuser
            .query("SELECT id, private, text, author FROM notes ORDER BY id", &[])
            .expect("notes")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
            .collect()
    };
    assert_eq!(
        state(&mut superuser),
        vec![
            (private.0, true, "The clerk is our source.".to_owned(), ed.clone()),
            (on_draft.0, true, "Hold until Friday.".to_owned(), ed.clone()),
            (question.0, false, "Which budget line?".to_owned(), team.bo.clone()),
        ]
    );

    // Factdesk's own note paths, as each role: the reporter edits their note, the editor a colleague's (as the
    // window lets anyone who may add notes there) and decides what is private, the lawyer resolves, removes and
    // restores.
    as_bo.edit_note(question, "Which budget line, exactly?").expect("the reporter edits their note");
    as_ed.edit_note(question, "Which budget line? Line 7.").expect("the editor edits a colleague's note");
    as_ed.set_note_private(on_draft, false).expect("the editor makes a note public");
    as_ed.set_note_private(on_draft, true).expect("and private again");
    let as_lou = team.review_as(&lou);
    as_lou.edit_note(private, "The clerk is our source, twice.").expect("the lawyer edits a private note");
    as_lou.resolve_note(private).expect("resolve");
    as_lou.reopen_note(private).expect("reopen");
    as_lou.remove_note(question).expect("remove");
    as_lou.restore_note(question).expect("restore");
    let as_ada = team.review_as(&ada);
    as_ada.resolve_note(question).expect("the admin resolves");
    refused_naming(as_lou.set_note_private(private, false), "editor or standards editor");
    assert!(as_ed.notes(NoteTarget::Claim(claim)).expect("notes")[0].private, "still private");
}
