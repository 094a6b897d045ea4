//! A draft's workflow, the rules' overrides and what changed since ready, on a team store (review session 10,
//! findings 2, 3 and 8; migrations/postgres/0040): each login writes them on its own desk only, and no more than
//! Factdesk itself writes for its role. Always on a real PostgreSQL server, whatever engine the run is for.

use crate::fixtures::*;
use factdesk_core::desk::Desk;
use factdesk_core::review::ClaimStatus;
use factdesk_core::rights::Role;
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{DraftId, OverrideId};

/// The claim's sentence reworded: a change that matters to a ready draft's review.
const REWORDED: &str = "# Story\n\nThe mayor spent nearly 5 million euros on the old bridge.\n";

/// Desk A (a [`TeamDesk`]: bo's draft ready with an override, cy's published) and desk B on the same server (its
/// draft ready with an override), each marked by the store's owner before the desks had people; then A's people
/// (the two reporters, `ed` an editor, `lou` a lawyer, `ada` an admin) and B's (`zoe`, its standards editor).
struct TwoDesks {
    team: TeamDesk,
    _other_tmp: tempfile::TempDir,
    other: Desk,
    other_draft: DraftId,
    overrides: [OverrideId; 2],
    ed: String,
    lou: String,
    ada: String,
}

impl TwoDesks {
    fn new() -> Self {
        let team = TeamDesk::new();
        let (_other_tmp, other, other_draft) = another_desk_without_people(&team);
        let owner = team.owner_review();
        let mut overrides = Vec::new();
        for draft in [team.own, other_draft] {
            owner.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
            let ready = owner.set_draft_status(draft, DraftStatus::Ready, Some("checked by phone")).expect("ready");
            overrides.push(ready.override_id.expect("the open finding is overridden"));
        }
        owner.set_draft_status(team.others, DraftStatus::Ready, Some("checked")).expect("ready");
        owner.set_draft_status(team.others, DraftStatus::Published, None).expect("published");
        let (ed, lou, ada, zoe) = (unique("ed"), unique("lou"), unique("ada"), unique("zoe"));
        team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer), (&ada, Role::Admin)]);
        staff_desk(&team.owner, other.id(), &[(&zoe, Role::StandardsEditor)]);
        Self { team, _other_tmp, other, other_draft, overrides: [overrides[0], overrides[1]], ed, lou, ada }
    }

    /// Every workflow row as the server holds it: draft, status, who set it.
    fn workflow(&self) -> Vec<(i64, String, String)> {
        let mut superuser = postgres::Client::connect(&self.team.db.url, postgres::NoTls).expect("superuser");
        superuser
            .query("SELECT draft_id, status, changed_by FROM draft_workflow ORDER BY draft_id", &[])
            .expect("workflow")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect()
    }

    /// Every override as the server holds it: id, draft, reason, who, whether it lapsed.
    fn overrides(&self) -> Vec<(i64, i64, String, String, bool)> {
        let mut superuser = postgres::Client::connect(&self.team.db.url, postgres::NoTls).expect("superuser");
        superuser
            .query(
                "SELECT id, draft_id, reason, overridden_by, lapsed_at IS NOT NULL FROM rule_overrides ORDER BY id",
                &[],
            )
            .expect("overrides")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)))
            .collect()
    }
}

/// Runs `sql` and asserts it changed no row: refused for want of a privilege (42501), or matching none.
fn moves_nothing(client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) {
    match client.execute(sql, params) {
        Ok(changed) => assert_eq!(changed, 0, "{sql}: changed rows"),
        Err(error) => assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}"),
    }
}

/// Finding 2: a reporter, lawyer or admin of desk A, with an UPDATE without WHERE, sent every ready and published
/// draft of every desk back to needs work in someone else's name. Now they move nothing, of desk B or their own
/// desk; desk A's editor moves A's drafts (in their own name, whatever name they give) and nothing of B's, and a
/// published draft goes back for nobody.
#[test]
fn on_a_team_store_only_the_desks_editors_move_its_drafts_and_a_published_one_never_goes_back() {
    let desks = TwoDesks::new();
    let team = &desks.team;
    let before = desks.workflow();
    assert_eq!(before.len(), 3, "{before:?}");
    let (b, own, others) = (desks.other_draft.0, team.own.0, team.others.0);
    for login in [&team.bo, &desks.lou, &desks.ada] {
        let mut client = team.connect(login);
        moves_nothing(
            &mut client,
            "UPDATE draft_workflow SET status = 'needs-work', changed_by = 'sue', changed_at = 'x', version_id = NULL",
            &[],
        );
        moves_nothing(&mut client, "UPDATE draft_workflow SET status = 'needs-work' WHERE draft_id = $1", &[&b]);
        moves_nothing(&mut client, "UPDATE draft_workflow SET status = 'needs-work' WHERE draft_id = $1", &[&own]);
        moves_nothing(&mut client, "UPDATE draft_workflow SET changed_by = 'sue' WHERE draft_id = $1", &[&own]);
        moves_nothing(&mut client, "DELETE FROM draft_workflow", &[]);
        let refused = client
            .execute(
                "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at)
                 SELECT id, 'needs-work', 'sue', 'x' FROM drafts ON CONFLICT DO NOTHING",
                &[],
            )
            .expect_err("rows for other desks' drafts, and their own desk's");
        assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");
    }
    assert_eq!(desks.workflow(), before, "nothing moved");

    // A's editor: nothing of B's, and A's published draft stays published…
    let mut editor = team.connect(&desks.ed);
    moves_nothing(&mut editor, "UPDATE draft_workflow SET status = 'needs-work' WHERE draft_id = $1", &[&b]);
    moves_nothing(&mut editor, "DELETE FROM draft_workflow WHERE draft_id = $1", &[&b]);
    for sql in [
        "UPDATE draft_workflow SET status = 'needs-work' WHERE draft_id = $1",
        "UPDATE draft_workflow SET status = 'ready' WHERE draft_id = $1",
        "DELETE FROM draft_workflow WHERE draft_id = $1",
    ] {
        let refused = editor.execute(sql, &[&others]).expect_err(sql);
        assert_eq!(sqlstate(&refused), Some("42501"), "{sql}: {refused}");
    }
    assert_eq!(desks.workflow(), before, "nothing moved");
    // …and a move on A is theirs, in their own name.
    let moved = editor
        .execute("UPDATE draft_workflow SET status = 'in-review', changed_by = 'sue' WHERE draft_id = $1", &[&own])
        .expect("the editor moves their desk's draft");
    assert_eq!(moved, 1);
    let after = desks.workflow();
    assert!(after.contains(&(own, "in-review".to_owned(), desks.ed.clone())), "{after:?}");
    // Through Factdesk as before: A's editor marks the draft ready again, then publishes it.
    let review = team.review_as(&desks.ed);
    review.set_draft_status(team.own, DraftStatus::Ready, Some("checked again")).expect("ready");
    review.set_draft_status(team.own, DraftStatus::Published, None).expect("published");
    let status = review.draft_status(team.own).expect("status");
    assert_eq!((status.status, status.changed_by.as_deref()), (DraftStatus::Published, Some(desks.ed.as_str())));
    let of_b = |rows: Vec<(i64, String, String)>| rows.into_iter().filter(|row| row.0 == b).collect::<Vec<_>>();
    assert_eq!(of_b(desks.workflow()), of_b(before), "B's draft as it was");
}

/// Finding 3: any login lapsed every override of every desk, and an editor of any desk moved them onto their own
/// draft or rewrote them. Now a reporter, lawyer or admin lapses none (the re-check lapses them when it sends a
/// draft back); an editor lapses only their own desk's, and rewrites, moves or lifts none.
#[test]
fn on_a_team_store_no_login_lapses_moves_or_rewrites_another_desks_overrides() {
    let desks = TwoDesks::new();
    let team = &desks.team;
    let before = desks.overrides();
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(before.iter().all(|o| !o.4), "none lapsed yet: {before:?}");
    let (a_override, b_override) = (desks.overrides[0].0, desks.overrides[1].0);
    for login in [&team.bo, &desks.lou, &desks.ada] {
        let mut client = team.connect(login);
        moves_nothing(&mut client, "UPDATE rule_overrides SET lapsed_at = '2026-12-02T04:00:00Z'", &[]);
        moves_nothing(&mut client, "UPDATE rule_overrides SET lapsed_at = 'x' WHERE id = $1", &[&a_override]);
    }
    assert_eq!(desks.overrides(), before, "nothing lapsed");

    let mut editor = team.connect(&desks.ed);
    for sql in [
        "UPDATE rule_overrides SET draft_id = $1, lapsed_at = 'x'",
        "UPDATE rule_overrides SET reason = 'rewritten', overridden_by = 'sue', lapsed_at = 'x' WHERE draft_id <> $1",
    ] {
        let refused = editor.execute(sql, &[&team.own.0]).expect_err(sql);
        assert_eq!(sqlstate(&refused), Some("42501"), "{sql}: {refused}");
    }
    let lapsed = editor.execute("UPDATE rule_overrides SET lapsed_at = 'x'", &[]).expect("their own desk's");
    assert_eq!(lapsed, 1, "only desk A's override");
    moves_nothing(&mut editor, "UPDATE rule_overrides SET lapsed_at = NULL", &[]);
    moves_nothing(&mut editor, "UPDATE rule_overrides SET lapsed_at = 'x' WHERE id = $1", &[&b_override]);
    let after = desks.overrides();
    let states: Vec<(i64, bool)> = after.iter().map(|o| (o.0, o.4)).collect();
    assert_eq!(states, vec![(a_override, true), (b_override, false)], "{after:?}");
    assert_eq!((after[1].1, after[1].2.as_str()), (desks.other_draft.0, "checked by phone"), "B's as it was");
    let _ = &desks.other;
}

/// The re-check's reopen (README: "anyone's Factdesk sends a ready draft whose text changed back to needs work")
/// still works for every role that scans the folder and sees the draft's claims: back to needs work by Factdesk's
/// own actor, on the new version, its override lapsed.
#[test]
fn on_a_team_store_every_roles_scan_still_sends_a_changed_ready_draft_back_and_lapses_its_overrides() {
    for role in [Role::Reporter, Role::Lawyer, Role::Admin, Role::Editor] {
        let team = TeamDesk::new();
        let owner = team.owner_review();
        owner.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        let ready = owner.set_draft_status(team.own, DraftStatus::Ready, Some("checked by phone")).expect("ready");
        let override_id = ready.override_id.expect("overridden");
        let other = unique("pat");
        team.staff(&[(&other, role)]);
        let login = if role == Role::Reporter { team.bo.clone() } else { other };

        std::fs::write(team.folder.join(&team.bo).join("story.md"), REWORDED).expect("edit");
        team.desk_as(&login).scan(&mut |_| {}, &mut |_| {}).expect("the scan");

        let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
        let row = superuser
            .query_one(
                "SELECT w.status, w.changed_by, w.version_id = d.current_version_id,
                        (SELECT lapsed_at IS NOT NULL FROM rule_overrides WHERE id = $2)
                 FROM draft_workflow w JOIN drafts d ON d.id = w.draft_id WHERE w.draft_id = $1",
                &[&team.own.0, &override_id.0],
            )
            .expect("workflow");
        let seen: (String, String, bool, bool) = (row.get(0), row.get(1), row.get(2), row.get(3));
        assert_eq!(seen, ("needs-work".to_owned(), "factdesk".to_owned(), true, true), "{role:?}'s scan");
        let status = team.review_as(&login).draft_status(team.own).expect("status");
        assert_eq!(status.status, DraftStatus::NeedsWork, "{role:?}");
        assert!(status.changed_since_ready.is_some_and(|c| c.reopened), "{role:?}");
    }
}

/// Finding 8: a reporter rewrote what changed in their own ready draft since it was marked to nothing (the banner
/// and the rule's finding gone, the text unapproved). Now they only add to it, as the re-check does; it is cleared
/// by the desk's editor marking the draft ready again.
#[test]
fn on_a_team_store_a_reporter_does_not_silence_changed_since_ready_on_their_own_draft() {
    let team = TeamDesk::new();
    let owner = team.owner_review();
    owner.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    owner.set_draft_status(team.own, DraftStatus::Ready, Some("checked by phone")).expect("ready");
    owner.set_reopens_when_changed(team.desk.id(), false).expect("the desk keeps changed ready drafts ready");
    let ed = unique("ed");
    team.staff(&[(&ed, Role::Editor)]);
    std::fs::write(team.folder.join(&team.bo).join("story.md"), REWORDED).expect("edit");
    team.desk_as(&team.bo).scan(&mut |_| {}, &mut |_| {}).expect("the reporter's scan");
    let reporter = team.review_as(&team.bo);
    let marked = reporter.draft_status(team.own).expect("status");
    assert_eq!(marked.status, DraftStatus::Ready);
    assert!(marked.changed_since_ready.is_some(), "the scan recorded the change");

    let mut client = team.connect(&team.bo);
    let own = team.own.0;
    for sql in [
        "UPDATE draft_changes_since_ready SET changes = '[]' WHERE draft_id = $1",
        "UPDATE draft_changes_since_ready SET version_id = (SELECT min(id) FROM draft_versions WHERE draft_id = $1)
         WHERE draft_id = $1",
        "DELETE FROM draft_changes_since_ready WHERE draft_id = $1",
        "INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, reopened, detected_at)
         SELECT $1, current_version_id, 'ready', '[]', FALSE, 'x' FROM drafts WHERE id = $1
         ON CONFLICT (draft_id) DO UPDATE SET changes = '[]', reopened = FALSE",
    ] {
        let refused = client.execute(sql, &[&own]).expect_err(sql);
        assert_eq!(sqlstate(&refused), Some("42501"), "{sql}: {refused}");
    }
    assert!(reporter.draft_status(team.own).expect("status").changed_since_ready.is_some(), "still marked");

    // The desk's editor answers it by marking the draft ready again (through needs work), which clears it.
    let editor = team.review_as(&ed);
    editor.set_draft_status(team.own, DraftStatus::NeedsWork, None).expect("needs work");
    editor.set_draft_status(team.own, DraftStatus::Ready, Some("the new wording is checked")).expect("ready again");
    assert!(editor.draft_status(team.own).expect("status").changed_since_ready.is_none());
}
