//! Entries a login files for others or about a desk (review session 10, findings 10, 11 and 13): inbox entries,
//! audit appends, and the "who" columns of a desk's review history (migrations/postgres/0045).

use crate::engine;
use crate::fixtures::*;
use factdesk_core::review::ClaimStatus;
use factdesk_core::rights::Role;
use factdesk_core::sourcing::note::NoteTarget;

/// Finding 10, the core's side: a `@mention` of a person of the desk who may not see the draft (a reporter, on
/// another reporter's draft) left them an inbox entry that opens only on a refusal, as assigning them did before
/// `assign` refused it. A mention is not a hand-off (`assign` is, and says so): the note is saved, the people who
/// may see the draft are told, and the others are not, as a name that is no one on the desk tells no one.
#[test]
fn a_mention_of_someone_who_may_not_see_the_draft_tells_no_one() {
    let team = Team::staffed();
    let claim = team.claim_on(team.own);
    let ed = team.as_person(&team.editor);
    let text = format!("@{} @{} @{} @nobody, which budget line?", team.other_reporter, team.reporter, team.standards);
    let note = ed.add_note(NoteTarget::Claim(claim), &text, None).expect("the note is saved");
    ed.add_note(NoteTarget::Draft(team.own), &format!("@{} see the photos", team.other_reporter), None)
        .expect("a note on the draft");
    ed.edit_note(note, &format!("{text} And @{}.", team.lawyer)).expect("an edit mentioning the lawyer");
    let mentions = |name: &str| -> Vec<(Option<factdesk_core::store::ClaimId>, String)> {
        team.as_person(name)
            .inbox(None)
            .expect("inbox")
            .into_iter()
            .map(|entry| (entry.claim, entry.draft_path))
            .collect()
    };
    let own_path = format!("{}/story.md", team.reporter);
    assert_eq!(mentions(&team.other_reporter), vec![], "told of a draft they may not open");
    assert_eq!(mentions(&team.reporter), vec![(Some(claim), own_path.clone())]);
    assert_eq!(mentions(&team.standards), vec![(Some(claim), own_path.clone())]);
    assert_eq!(mentions(&team.lawyer), vec![(Some(claim), own_path.clone())]);
    // On the shared draft (no one's folder) the other reporter is not told either; an editor is.
    let shared = team.claim_on(team.shared);
    ed.add_note(NoteTarget::Claim(shared), &format!("@{} @{}", team.other_reporter, team.standards), None)
        .expect("note");
    assert_eq!(mentions(&team.other_reporter), vec![]);
    assert_eq!(mentions(&team.standards).len(), 2);
    if engine::on_postgres() {
        // Nor is there a row the window does not list.
        let (url, _) = test_postgres::database_for(&team.db);
        let mut superuser = postgres::Client::connect(&url, postgres::NoTls).expect("superuser");
        let rows: i64 = superuser
            .query_one("SELECT count(*) FROM inbox WHERE person = $1", &[&team.other_reporter])
            .expect("count")
            .get(0);
        assert_eq!(rows, 0);
    }
}

/// Finding 10, the server's side: `inbox_add` took any row (`WITH CHECK (TRUE)`), so any login flooded anyone's
/// inbox with mentions "from" anyone about any desk's drafts. Now a login files an entry only from itself, about a
/// draft whose claims it sees (the claim, note or assignment named being that draft's), for one of that draft's
/// desk's people who sees them too. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_login_files_inbox_entries_only_about_drafts_it_sees_for_people_who_see_them() {
    let team = TeamDesk::new();
    let (ed, lou, xed) = (unique("ed"), unique("lou"), unique("xed"));
    let owner = team.owner_review();
    let own_claim = owner.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = owner.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer)]);
    let (_other_tmp, _other, other_draft) = another_desk(&team, &[(&xed, Role::Editor)]);
    let (own, others, bo, cy) = (team.own.0, team.others.0, team.bo.clone(), team.cy.clone());
    let file =
        "INSERT INTO inbox (person, kind, draft_id, claim_id, from_person, at) VALUES ($1, 'mention', $2, $3, $4, 'x')";
    let none: Option<i64> = None;
    let (own_claim, others_claim) = (Some(own_claim.0), Some(others_claim.0));
    // The reporter, about the other reporter's draft (which they may not see), to the editor.
    assert_refused(&mut team.connect(&bo), &[(file, &[&ed, &others, &none, &bo])], "42501");
    let mut editor = team.connect(&ed);
    assert_refused(
        &mut editor,
        &[
            // For a reporter, about a draft that is not theirs (the draft, and a claim of it).
            (file, &[&bo, &others, &none, &ed]),
            (file, &[&bo, &others, &others_claim, &ed]),
            // For a login that is no one on this desk.
            (file, &[&xed, &own, &none, &ed]),
            (file, &[&"nobody", &own, &none, &ed]),
            // About another desk's draft (which the editor does not see), to its own editor.
            (file, &[&xed, &other_draft.0, &none, &ed]),
            // A claim of another draft than the one named.
            (file, &[&bo, &own, &others_claim, &ed]),
        ],
        "42501",
    );
    // The other desk's editor, about this desk's draft, to its reporter.
    assert_refused(&mut team.connect(&xed), &[(file, &[&bo, &own, &own_claim, &xed])], "42501");
    // What Factdesk files: the editor tells the reporter of their own draft, the lawyer tells the editor.
    editor.execute(file, &[&bo, &own, &own_claim, &ed]).expect("the editor tells the reporter");
    team.connect(&lou).execute(file, &[&ed, &others, &none, &lou]).expect("the lawyer tells the editor");
    team.connect(&cy).execute(file, &[&ed, &others, &others_claim, &cy]).expect("a reporter, on their own draft");
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let filed: Vec<(String, i64, String)> = superuser
        .query("SELECT person, draft_id, from_person FROM inbox ORDER BY id", &[])
        .expect("inbox")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    assert_eq!(filed, vec![(bo.clone(), own, ed.clone()), (ed.clone(), others, lou.clone()), (ed.clone(), others, cy)]);
}

/// Finding 11: appending was held to the chain and the login's own name (0019, 0027, 0032), not to the desk: a
/// login of one desk put a real-looking status change into another desk's claim history, and an entry of any size
/// held the audit lock while the server escaped and hashed it. Now a group login appends only about a draft,
/// claim, evidence, note, source or desk of a desk it is one of the people of (or a desk without people), about
/// something that is there, and `before`/`after` of at most 1 MiB each. Always on a real PostgreSQL server.
#[test]
fn on_a_team_store_a_login_appends_only_about_its_own_desks_and_no_entry_over_the_limit() {
    let team = TeamDesk::new();
    let (ed, xed) = (unique("ed"), unique("xed"));
    let source = council_source(&team);
    let owner = team.owner_review();
    let claim = owner.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let note = owner.add_note(NoteTarget::Claim(claim), "Ask the treasurer.", None).expect("note");
    team.staff(&[(&ed, Role::Editor)]);
    let (_other_tmp, other, other_draft) = another_desk(&team, &[(&xed, Role::Editor)]);
    let append = "INSERT INTO audit_log (at, actor, action, entity, before, after) VALUES ('', $1, $2, $3, $4, $5)";
    let (status_was, status_now) =
        (Some(r#"{"status":"disputed"}"#.to_owned()), Some(r#"{"status":"cleared"}"#.to_owned()));
    let none: Option<String> = None;
    let about_this_desk = [
        ("claim.status", format!("claim:{}", claim.0)),
        ("note.edit", format!("note:{}", note.0)),
        ("draft.status", format!("draft:{}", team.own.0)),
        ("source.update", format!("source:{}", source.0)),
        ("desk.setting", format!("desk:{}", team.desk.id().0)),
    ];
    let mut stranger = team.connect(&xed);
    for (action, entity) in &about_this_desk {
        assert_refused(&mut stranger, &[(append, &[&xed, action, entity, &status_was, &status_now])], "42501");
    }
    let mut editor = team.connect(&ed);
    // About nothing that is there.
    for entity in ["claim:999999", "draft:999999", "source:999999", "desk:999999", "nothing"] {
        assert_refused(&mut editor, &[(append, &[&ed, &"claim.status", &entity, &none, &status_now])], "42501");
    }
    // Over the limit, either side.
    let huge = Some(format!(r#"{{"text":"{}"}}"#, "x".repeat(1024 * 1024)));
    let entity = format!("claim:{}", claim.0);
    assert_refused(
        &mut editor,
        &[
            (append, &[&ed, &"note.add", &entity, &none, &huge]),
            (append, &[&ed, &"note.edit", &entity, &huge, &status_now]),
        ],
        "54000",
    );
    // Each login on its own desk, and the other desk's editor on theirs, append as before.
    for (action, entity) in &about_this_desk {
        editor.execute(append, &[&ed, action, entity, &status_was, &status_now]).expect("the editor, on their desk");
    }
    let below = Some(format!(r#"{{"text":"{}"}}"#, "x".repeat(1024 * 1024 - 12)));
    editor.execute(append, &[&ed, &"note.add", &entity, &none, &below]).expect("up to the limit");
    stranger
        .execute(append, &[&xed, &"draft.status", &format!("draft:{}", other_draft.0), &status_was, &status_now])
        .expect("the other desk's editor, on theirs");
    stranger
        .execute(append, &[&xed, &"desk.setting", &format!("desk:{}", other.id().0), &none, &status_now])
        .expect("about their desk");
    assert!(team.review_as(&ed).verify_audit().expect("verify").is_intact());
}

/// Finding 13: within a desk, who changed a claim's status, placed it, overrode the rules, saved the editor's note,
/// assigned or unassigned, dismissed a suggestion, published, set a vault up, made a wrapping (which the wrappings'
/// read policy trusts) or mentioned someone was the client's word; and a claim's status history and a note's
/// earlier texts were rewritten or deleted by the desk's own logins. Now the server sets each of those columns to
/// the login writing it (0030's rule: the store's owner keeps what it writes), and no group updates or deletes
/// either history. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_who_did_it_is_the_login_and_the_histories_stay() {
    let team = TeamDesk::new();
    let (ed, sue) = (unique("ed"), unique("sue"));
    team.staff(&[(&ed, Role::Editor), (&sue, Role::StandardsEditor)]);
    let as_ed = team.review_as(&ed);
    let claim = as_ed.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    as_ed.set_status(claim, ClaimStatus::Disputed).expect("status");
    let note = as_ed.add_note(NoteTarget::Claim(claim), "Which line?", None).expect("note");
    as_ed.edit_note(note, "Which budget line?").expect("edit");
    let (c, d, n, desk) = (claim.0, team.own.0, note.0, team.desk.id().0);
    let mut editor = team.connect(&ed);
    let bo = &team.bo;
    let (salt, nonce) = ("00".repeat(16), "00".repeat(24));
    let sql = [
        format!(
            "INSERT INTO claim_status_changes (claim_id, previous, status, changed_by, changed_at)
             VALUES ({c}, 'disputed', 'cleared', '{sue}', 'x')"
        ),
        format!("UPDATE claim_anchors SET resolved_by = '{sue}', resolved_at = 'x' WHERE claim_id = {c}"),
        format!(
            "INSERT INTO rule_overrides (draft_id, reason, overridden_by, overridden_at)
             VALUES ({d}, 'checked by phone', '{sue}', 'x')"
        ),
        format!("INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) VALUES ({d}, 'Hold.', '{sue}', 'x')"),
        format!(
            "INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at) VALUES ({c}, '{bo}', '{sue}', 'x')"
        ),
        format!("UPDATE assignments SET ended_by = '{sue}', ended_at = 'x' WHERE claim_id = {c}"),
        format!(
            "INSERT INTO suggestion_dismissals (draft_id, sentence_hash, sentence, dismissed_by, dismissed_at)
             VALUES ({d}, 'h', 's', '{sue}', 'x')"
        ),
        format!(
            "INSERT INTO published_reviews (draft_id, published_by, published_at, record)
             VALUES ({d}, '{sue}', 'x', '{{}}')"
        ),
        format!(
            "INSERT INTO inbox (person, kind, draft_id, claim_id, from_person, at)
             VALUES ('{bo}', 'mention', {d}, {c}, '{sue}', 'x')"
        ),
        format!("INSERT INTO vaults (desk_id, generation, created_by, created_at) VALUES ({desk}, 1, '{sue}', 'x')"),
        format!(
            "INSERT INTO vault_keys (desk_id, recipient, kind, kdf, kdf_memory_kib, kdf_iterations, kdf_parallelism,
                                     salt, nonce, wrapped_key, created_by, created_at)
             VALUES ({desk}, '{ed}', 'passphrase', 'argon2id-v19', 65536, 3, 1, '\\x{salt}', '\\x{nonce}', '\\x00',
                     '{sue}', 'x')"
        ),
    ];
    for statement in &sql {
        editor.batch_execute(statement).expect(statement);
    }
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let who = |superuser: &mut postgres::Client, query: &str| -> Vec<String> {
        superuser.query(query, &[]).expect(query).iter().map(|row| row.get(0)).collect()
    };
    for query in [
        format!("SELECT changed_by FROM claim_status_changes WHERE claim_id = {c} AND status = 'cleared'"),
        format!("SELECT resolved_by FROM claim_anchors WHERE claim_id = {c}"),
        format!("SELECT overridden_by FROM rule_overrides WHERE draft_id = {d}"),
        format!("SELECT saved_by FROM editor_notes WHERE draft_id = {d}"),
        format!("SELECT assigned_by FROM assignments WHERE claim_id = {c}"),
        format!("SELECT ended_by FROM assignments WHERE claim_id = {c}"),
        format!("SELECT dismissed_by FROM suggestion_dismissals WHERE draft_id = {d}"),
        format!("SELECT published_by FROM published_reviews WHERE draft_id = {d}"),
        format!("SELECT from_person FROM inbox WHERE draft_id = {d}"),
        format!("SELECT created_by FROM vaults WHERE desk_id = {desk}"),
        format!("SELECT created_by FROM vault_keys WHERE desk_id = {desk}"),
    ] {
        assert_eq!(who(&mut superuser, &query), vec![ed.clone()], "{query}");
    }
    // The histories: neither rewritten nor deleted, by the editor or anyone of the desk.
    let history = |superuser: &mut postgres::Client| {
        who(
            superuser,
            &format!(
                "SELECT changed_by || ':' || status FROM claim_status_changes WHERE claim_id = {c}
             UNION ALL SELECT edited_by || ':' || text FROM note_edits WHERE note_id = {n}"
            ),
        )
    };
    let kept = history(&mut superuser);
    for login in [&ed, &sue, &team.bo] {
        let mut client = team.connect(login);
        for statement in [
            format!("UPDATE claim_status_changes SET status = 'cleared', changed_by = '{sue}' WHERE claim_id = {c}"),
            format!("DELETE FROM claim_status_changes WHERE claim_id = {c}"),
            format!("UPDATE note_edits SET text = 'rewritten' WHERE note_id = {n}"),
            format!("DELETE FROM note_edits WHERE note_id = {n}"),
        ] {
            assert_refused(&mut client, &[(statement.as_str(), &[])], "42501");
        }
    }
    assert_eq!(history(&mut superuser), kept);
    assert_eq!(kept.len(), 4, "{kept:?}");
}
