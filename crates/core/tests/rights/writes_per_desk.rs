//! Writes per desk on a team store: a login of one desk changes nothing of another's.

use crate::engine;
use crate::fixtures::*;
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::Store;
use std::path::Path;

/// Issue 13, left by the last session: group roles are the whole server's, so to the server an editor of one desk
/// was an editor of every desk. As a login querying the tables directly they overwrote or planted the identities
/// of another desk's sources (`source_confidential`), edited its register, linked its claims, reset its vault's
/// slow-down, and marked its drafts ready or wrote its editor's notes and settings. Each write is now held to the
/// login's role on the desk concerned (migrations/postgres/0024); on their own desk nothing changes, and the other
/// desk's own people still write there. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_an_editor_of_one_desk_writes_nothing_of_another_desks_sources_or_workflow() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = TeamDesk::new();
    let (ed, zoe, ada) = (unique("ed"), unique("zoe"), unique("ada"));
    team.staff(&[(&ed, Role::Editor), (&ada, Role::Admin)]);
    // Another desk on the same server: its draft with a claim, an unnamed source whose identity is recorded (no
    // vault: in plain), linked to the claim, and one with nothing recorded yet; then its people, ed not among them.
    let (_other_tmp, other, other_draft) = another_desk_without_people(&team);
    let owner = team.owner_review();
    let secret = "Jane Roe, deputy clerk";
    let unnamed = |descriptor: &str, identity: Option<&str>| NewSource {
        descriptor: descriptor.into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: identity.map(|i| Confidential { identity: Some(i.into()), ..Confidential::default() }),
    };
    let recorded = owner.add_source(other.id(), &unnamed("a council clerk", Some(secret))).expect("source");
    let blank = owner.add_source(other.id(), &unnamed("a driver", None)).expect("source");
    let claim = owner.add_claim(other_draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    owner.link_source(claim, recorded, SourceRole::Attributed).expect("link");
    staff_desk(&team.owner, other.id(), &[(&zoe, Role::StandardsEditor)]);
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    superuser
        .execute("INSERT INTO vault_attempts (desk_id, failures, last_at) VALUES ($1, 5, 'x')", &[&other.id().0])
        .expect("attempts");

    let mut editor = team.connect(&ed);
    let (b, recorded_id, blank_id, claim_id, draft_id) = (other.id().0, recorded.0, blank.0, claim.0, other_draft.0);
    let none_changed = |client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| {
        assert_eq!(client.execute(sql, params).expect(sql), 0, "{sql}: changed another desk's rows");
    };
    let refused = |client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| {
        let error = client.execute(sql, params).expect_err(sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    };
    // The sealed side of another desk's sources: neither overwritten nor planted.
    none_changed(
        &mut editor,
        "UPDATE source_confidential SET identity = 'planted', editor_knows = $2 WHERE source_id = $1",
        &[&recorded_id, &ed],
    );
    refused(
        &mut editor,
        "INSERT INTO source_confidential (source_id, identity, editor_knows, updated_by, updated_at)
         VALUES ($1, 'planted', $2, $2, 'x')",
        &[&blank_id, &ed],
    );
    // Its register.
    none_changed(&mut editor, "UPDATE sources SET descriptor = 'renamed', removed_at = 'x' WHERE desk_id = $1", &[&b]);
    refused(
        &mut editor,
        "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
         VALUES ($1, 'planted', 'unnamed', $2, 'x', $2, 'x')",
        &[&b, &ed],
    );
    // Its claims' links.
    none_changed(&mut editor, "UPDATE claim_sources SET role = 'contradicts' WHERE claim_id = $1", &[&claim_id]);
    refused(
        &mut editor,
        "INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
         VALUES ($1, $2, 'corroborates', $3, 'x')",
        &[&claim_id, &blank_id, &ed],
    );
    // Its vault's slow-down of wrong passphrases.
    none_changed(&mut editor, "DELETE FROM vault_attempts WHERE desk_id = $1", &[&b]);
    none_changed(&mut editor, "UPDATE vault_attempts SET failures = 0 WHERE desk_id = $1", &[&b]);
    // Its drafts' workflow, editor's notes and settings.
    refused(
        &mut editor,
        "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at) VALUES ($1, 'ready', $2, 'x')",
        &[&draft_id, &ed],
    );
    refused(
        &mut editor,
        "INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) VALUES ($1, 'planted', $2, 'x')",
        &[&draft_id, &ed],
    );
    refused(&mut editor, "INSERT INTO settings (key, value) VALUES ($1, 'planted')", &[&format!("desk:{b}:rules")]);
    // Nor does an admin of one desk give themselves (or anyone) a role on another: its people are its admins'.
    let mut admin = team.connect(&ada);
    refused(
        &mut admin,
        "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, $2, 'standards-editor', $2, 'x')",
        &[&b, &ada],
    );
    // (Since 0031 the groups write no `people` row themselves: the server's functions do, and refuse it too.)
    refused(&mut admin, "UPDATE people SET role = 'reporter' WHERE desk_id = $1", &[&b]);
    refused(&mut admin, "DELETE FROM people WHERE desk_id = $1", &[&b]);
    let error = admin
        .query_one("SELECT factdesk_put_person($1, $2, 'standards-editor', 'x', NULL)", &[&b, &ada])
        .expect_err("an admin of A names themselves on B");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");

    let row = superuser
        .query_one(
            "SELECT c.identity, c.editor_knows, s.descriptor, s.removed_at IS NULL, l.role,
                    (SELECT failures FROM vault_attempts WHERE desk_id = s.desk_id),
                    (SELECT count(*) FROM source_confidential WHERE source_id = $2)
             FROM sources s JOIN source_confidential c ON c.source_id = s.id
                  JOIN claim_sources l ON l.source_id = s.id
             WHERE s.id = $1",
            &[&recorded_id, &blank_id],
        )
        .expect("the other desk's rows");
    let seen: (Option<String>, Option<String>, String, bool, String, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6));
    assert_eq!(
        seen,
        (Some(secret.to_owned()), None, "a council clerk".to_owned(), true, "attributed".to_owned(), 5, 0),
        "the other desk's sources, links and vault as they were"
    );

    // On their own desk the editor records an identity, links a source, edits the register and marks a draft
    // ready, through Factdesk as before; the other desk's standards editor records identities there.
    let own_desk = team.desk.id();
    let as_editor = team.review_as(&ed);
    let mut known_to_them = unnamed("a bus driver", Some("John Doe"));
    known_to_them.confidential = Some(Confidential {
        identity: Some("John Doe".into()),
        editor_knows: Some(ed.clone()),
        ..Confidential::default()
    });
    let own_source = as_editor.add_source(own_desk, &known_to_them).expect("own source");
    let own_claim = as_editor.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    as_editor.link_source(own_claim, own_source, SourceRole::Attributed).expect("link on their own desk");
    as_editor
        .set_confidential(own_source, &Confidential { contact: Some("0100 200".into()), ..Confidential::default() })
        .expect("record on their own desk");
    as_editor
        .set_draft_status(team.own, DraftStatus::Ready, Some("the desk's lawyer cleared it"))
        .expect("ready on their own desk, over its findings");
    // Their own desk's source stays on their own desk.
    denied(&mut editor, &format!("UPDATE sources SET desk_id = {b} WHERE id = {}", own_source.0));
    team.review_as(&zoe)
        .set_confidential(blank, &Confidential { identity: Some("Sam Poe".into()), ..Confidential::default() })
        .expect("the other desk's standards editor records there");
    assert_eq!(team.review_as(&zoe).reveal_source(blank).expect("reveal").identity.as_deref(), Some("Sam Poe"));
}

/// Runs each statement as a login in a transaction of its own, rolled back, and asserts it changed no row: an
/// UPDATE the server's row-level security filtered down to nothing, or a write it refused for want of a privilege.
fn assert_changes_nothing(client: &mut postgres::Client, statements: &[Statement<'_>]) {
    for (sql, params) in statements {
        let mut tx = client.transaction().expect("transaction");
        match tx.execute(*sql, params) {
            Ok(changed) => assert_eq!(changed, 0, "{sql} {params:?} changed rows"),
            Err(error) => assert_eq!(sqlstate(&error), Some("42501"), "{sql} {params:?}: {error}"),
        }
        tx.rollback().expect("rollback");
    }
}

/// Security review after 0024, finding 1: group roles are the whole server's, and every write policy on a claim's
/// tables asked the read rule (true for every login outside the reporters' group, on every desk), so an editor of
/// desk A set the status of desk B's claims, added evidence and notes there, handed them out and marked B's
/// document comments gone. 0029 holds every such write to the people of the row's desk; the editor still works
/// on their own desk.
#[test]
fn on_a_team_store_an_editor_of_another_desk_changes_nothing_of_this_desks_claims() {
    if !engine::on_postgres() {
        return;
    }
    let trail = TeamTrail::new();
    // Desk A, beside the trail's desk (B), with its own editor, eve, who is no one on desk B.
    let other_folder = trail._tmp.path().join("other desk");
    std::fs::create_dir_all(&other_folder).expect("mkdir");
    std::fs::write(other_folder.join("story.md"), TEXT).expect("write");
    let desk_a = Desk::open(trail.owner.clone(), &other_folder, trail.clock.clone()).expect("desk A");
    desk_a.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft_a = desk_a.draft_by_path("story.md").expect("lookup").expect("draft").id;
    let eve = unique("eve");
    staff_desk(&trail.owner, desk_a.id(), &[(&eve, Role::Editor)]);
    // Desk B's assignment and Word comment, as its owner records them.
    let b_claim = trail.others_claim.0;
    let b_draft = trail.others_draft.0;
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    owner
        .execute(
            "INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at) VALUES ($1, 'cy', 'owner', 'x')",
            &[&b_claim],
        )
        .expect("assignment");
    owner
        .execute(
            "INSERT INTO document_comments (draft_id, comment_key, author, body, quote_exact, quote_prefix, \
             quote_suffix, first_seen_at) VALUES ($1, 'k', 'cy', 'Check this.', 'q', '', '', 'x')",
            &[&b_draft],
        )
        .expect("document comment");

    let mut editor = connect_as(&trail, &eve);
    // She reads none of desk B's claims (0033: reads per desk, as writes), and writes none of it.
    let seen: i64 = editor.query_one("SELECT count(*) FROM claims WHERE id = $1", &[&b_claim]).expect("read").get(0);
    assert_eq!(seen, 0, "desk B's claims are not hers to read");
    assert_changes_nothing(
        &mut editor,
        &[
            ("UPDATE claims SET status = 'cleared' WHERE id = $1", &[&b_claim]),
            ("UPDATE claim_status_changes SET claim_id = claim_id WHERE claim_id = $1", &[&b_claim]),
            ("UPDATE claim_anchors SET claim_id = claim_id WHERE claim_id = $1", &[&b_claim]),
            ("UPDATE evidence SET removed_at = 'x', removed_by = 'x' WHERE claim_id = $1", &[&b_claim]),
            ("UPDATE notes SET resolved_at = 'x', resolved_by = 'x' WHERE claim_id = $1", &[&b_claim]),
            ("UPDATE assignments SET ended_at = 'x', ended_by = 'x' WHERE claim_id = $1", &[&b_claim]),
            ("UPDATE document_comments SET removed_at = 'x' WHERE draft_id = $1", &[&b_draft]),
            ("DELETE FROM claims WHERE id = $1", &[&b_claim]),
        ],
    );
    assert_refused(
        &mut editor,
        &[
            (
                "INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at) \
                 VALUES ($1, 'cleared', 'x', 'x')",
                &[&b_claim],
            ),
            (
                "INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at) \
                 VALUES ($1, 'document', 'r', 's', TRUE, 'x', 'x')",
                &[&b_claim],
            ),
            ("INSERT INTO notes (claim_id, text, author, created_at) VALUES ($1, 'x', 'x', 'x')", &[&b_claim]),
            (
                "INSERT INTO assignments (draft_id, assignee, assigned_by, assigned_at) VALUES ($1, 'x', 'x', 'x')",
                &[&b_draft],
            ),
            ("SELECT factdesk_sync_document_comments($1, '[]', 'x')", &[&b_draft]),
        ],
        "42501",
    );
    // Nothing of desk B changed.
    let (status, live_comments): (String, i64) = {
        let row = owner
            .query_one(
                "SELECT c.status, (SELECT count(*) FROM document_comments d WHERE d.draft_id = $2 AND removed_at IS NULL) \
                 FROM claims c WHERE c.id = $1",
                &[&b_claim, &b_draft],
            )
            .expect("as it was");
        (row.get(0), row.get(1))
    };
    assert_eq!((status.as_str(), live_comments), ("disputed", 1));

    // On her own desk the app's paths still work.
    let review = trail.as_login(&eve);
    let claim = review.add_claim(draft_a, &quote(), ClaimStatus::NeedsCorroboration).expect("her desk's claim");
    review.set_status(claim, ClaimStatus::Disputed).expect("status");
    review
        .add_evidence(claim, &NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Minutes", true))
        .expect("evidence");
    let note = review.add_note(NoteTarget::Claim(claim), "Who else?", None).expect("note");
    review.edit_note(note, "Who else was there?").expect("edit");
    review
        .assign(factdesk_core::assignment::AssignmentTarget::Claim(claim), &eve, None)
        .expect("her desk's assignment");
}

/// Issue 13, not tested by the last session: an editor of desk A opens desk B's folder on the same server (a
/// colleague's shared folder, a mistyped path). The server refuses every write on B's claims to them (0029); their
/// Factdesk must open the desk and follow its folder without an error, write nothing of its review, and say plainly
/// that they are not one of its people. B's own editor then finds the review in step with the new text.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_an_editor_of_another_desk_opens_this_desks_folder_read_only() {
    let team = TeamDesk::new();
    let (ed, zoe) = (unique("ed"), unique("zoe"));
    team.staff(&[(&ed, Role::Editor)]);
    let (_other_tmp, other, draft) = another_desk(&team, &[(&zoe, Role::Editor)]);
    let other_folder = other.root().to_path_buf();
    let zoes = team.review_as(&zoe);
    let claim = zoes.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("zoe's claim");
    zoes.set_draft_status(draft, DraftStatus::Ready, Some("checked by phone")).expect("ready");

    // Ed's Factdesk opens desk B's folder, scans it, and follows an edit of its draft there.
    let eds_store = Store::open(Path::new(&team.db.url_as(&ed))).expect("login").shared();
    let eds_desk = Desk::open(eds_store.clone(), &other_folder, team.clock.clone()).expect("ed opens desk B's folder");
    assert_eq!(eds_desk.id(), other.id(), "the same desk");
    let mut problems = Vec::new();
    eds_desk
        .scan(&mut |_| {}, &mut |event| {
            if let factdesk_core::desk::DeskEvent::Problem { message, .. } = event {
                problems.push(message)
            }
        })
        .expect("ed's scan of desk B");
    let edited = format!("# Story\n\nAn update first.\n\n{QUOTE}\n");
    std::fs::write(other_folder.join("zed").join("story.md"), &edited).expect("edit");
    eds_desk
        .scan(&mut |_| {}, &mut |event| {
            if let factdesk_core::desk::DeskEvent::Problem { message, .. } = event {
                problems.push(message)
            }
        })
        .expect("ed's scan follows the edit");
    assert!(problems.is_empty(), "{problems:?}");
    let ed_review = Review::new(eds_store.clone(), team.clock.clone(), ed.clone());
    // What the window loads on opening a desk answers without an error: no draft to open in the list (each would
    // only answer a click with a refusal), no claim on the dashboard, the register, the search, the inbox and the
    // vault's status; its header says "not one of this desk's people" (no role in `desk_people`).
    assert!(eds_desk.summaries().expect("the drafts list").is_empty(), "no draft ed may open");
    let dashboard = ed_review.desk_dashboard(other.id()).expect("the dashboard");
    assert!(dashboard.rows.is_empty() && dashboard.totals.drafts == 0, "{:?}", dashboard.totals);
    ed_review.sources(other.id()).expect("the register");
    let hits = ed_review.search(other.id(), &factdesk_core::search::SearchQuery::new("mayor")).expect("the search");
    assert!(hits.is_empty(), "{hits:?}");
    ed_review.inbox(Some(other.id())).expect("the inbox");
    ed_review.vault_status(other.id()).expect("the vault");
    let people = ed_review.desk_people(other.id()).expect("people");
    assert!(!people.iter().any(|p| p.name == ed), "ed is not one of them");
    // And asked for a draft, said plainly.
    let not_one = format!("{ed} is not one of this desk's people");
    let refused = eds_desk.document(draft).expect_err("a draft of desk B");
    assert!(refused.to_string().contains(&not_one), "{refused}");
    let refusals = ed_review.draft_refusals(draft).expect("what ed may not do there");
    for refusal in [&refusals.mark_ready, &refusals.add_note, &refusals.editor_note] {
        let refusal = refusal.as_deref().expect("refused");
        assert!(refusal.contains(&not_one), "{refusal}");
    }
    // Since 0033 ed reads none of desk B's claims either: the claim is not there for ed (no word of it), or, on
    // SQLite and before 0033, ed is told he is not one of the desk's people.
    let refused = ed_review.set_status(claim, ClaimStatus::Cleared).expect_err("ed changes nothing of B's claims");
    let said = refused.to_string();
    assert!(said.contains(&not_one) || said == format!("no claim {}", claim.0), "{said}");

    // Nothing of B was written by ed's Factdesk (since 0033 not even the new version of its text: a desk's drafts
    // are written by its people): B's editor's own Factdesk follows the edit and finds its claim placed on the new
    // text.
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let versions: i64 = superuser
        .query_one("SELECT count(*) FROM draft_versions WHERE draft_id = $1", &[&draft.0])
        .expect("count")
        .get(0);
    assert_eq!(versions, 1, "ed's Factdesk recorded no version of B's draft");
    let zoes_store = Store::open(Path::new(&team.db.url_as(&zoe))).expect("zoe's login").shared();
    let zoes_desk = Desk::open(zoes_store, &other_folder, team.clock.clone()).expect("zoe opens her desk");
    zoes_desk.scan(&mut |_| {}, &mut |_| {}).expect("zoe's scan follows the edit");
    let views = zoes.claims(draft).expect("zoe's claims");
    assert_eq!(views.len(), 1);
    assert_eq!((views[0].quote.as_str(), views[0].start.is_some()), (QUOTE, true), "placed on the new text");
    let placed: i64 = superuser
        .query_one(
            "SELECT count(*) FROM claim_anchors a JOIN drafts d ON d.current_version_id = a.version_id
             WHERE d.id = $1 AND a.start IS NOT NULL",
            &[&draft.0],
        )
        .expect("count")
        .get(0);
    assert_eq!(placed, 1, "by zoe's Factdesk");
    let report = zoes.verify_audit().expect("verify");
    assert!(report.is_intact(), "{report:?}");
}

/// Review session 9, finding 14: `search_entries` let any login write every desk's entries (`WITH CHECK (TRUE)`, and
/// the register's rows passed on every desk): a reporter of one desk deleted or rewrote another desk's search of its
/// sources and planted hits in its search. Now a login writes entries only of a desk it is one of the people of
/// (or one without people), a draft's only of a draft whose claims it reads and on that draft's own desk; while
/// Factdesk's own writes (a claim) still index themselves. Always on a real PostgreSQL server, whatever
/// engine the run is for.
#[test]
fn on_a_team_store_a_login_writes_search_entries_only_of_the_desks_it_is_one_of_the_people_of() {
    let team = TeamDesk::new();
    let bea = unique("bea");
    team.staff(&[]);
    let (_tmp, desk_b, b_draft) = another_desk(&team, &[(&bea, Role::Editor)]);
    let (desk_a, desk_b, b_draft) = (team.desk.id().0, desk_b.id().0, b_draft.0);
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    owner
        .execute(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
             VALUES ($1, 'a council official', 'unnamed', 'x', 'x', 'x', 'x'),
                    ($2, 'a council official', 'unnamed', 'x', 'x', 'x', 'x')",
            &[&desk_a, &desk_b],
        )
        .expect("a source on each desk");
    let entries_of_b = |owner: &mut postgres::Client| -> Vec<(String, i64, Option<String>)> {
        owner
            .query(
                "SELECT kind, item_id, body FROM search_entries WHERE desk_id = $1 ORDER BY kind, item_id",
                &[&desk_b],
            )
            .expect("desk B's entries")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect()
    };
    let before = entries_of_b(&mut owner);
    assert!(before.iter().any(|(kind, _, _)| kind == "source"), "desk B's source is in its search: {before:?}");

    // bo, a reporter of desk A only.
    let mut reporter = team.connect(&team.bo);
    let planted = |kind: &str, draft: Option<i64>, desk: i64| {
        format!(
            "INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
             VALUES ('{kind}', 987654, NULL, {draft}, {desk}, 'planted', to_tsvector('simple', 'planted'))",
            draft = draft.map_or("NULL".into(), |d| d.to_string())
        )
    };
    // A hit in desk B's search, for its draft, a source of B's, or B's draft filed under desk A.
    denied(&mut reporter, &planted("draft", Some(b_draft), desk_b));
    denied(&mut reporter, &planted("source", None, desk_b));
    denied(&mut reporter, &planted("draft", Some(b_draft), desk_a));
    // Another reporter's draft on its own desk: its claims are not bo's to read, its entries not bo's to write.
    denied(&mut reporter, &planted("claim", Some(team.others.0), desk_a));
    // Desk B's entries are neither read nor rewritten nor deleted (since 0037 no group writes the index at all:
    // the server's own functions derive it, see service_tables.rs).
    let read = reporter.query_one("SELECT count(*) FROM search_entries WHERE desk_id = $1", &[&desk_b]).expect("read");
    assert_eq!(read.get::<_, i64>(0), 0, "desk B's entries, its source's too, are not read by desk A's reporter");
    denied(
        &mut reporter,
        &format!("UPDATE search_entries SET body = 'rewritten' WHERE kind = 'source' OR desk_id = {desk_b}"),
    );
    denied(&mut reporter, &format!("DELETE FROM search_entries WHERE kind = 'source' OR desk_id = {desk_b}"));
    assert_eq!(entries_of_b(&mut owner), before, "desk B's search is as it was");

    // Factdesk's own writes on desk A still index themselves: bo's claim.
    let review = team.review_as(&team.bo);
    review
        .add_claim(team.own, &TextQuoteSelector { exact: "Story".into(), ..quote() }, ClaimStatus::NeedsCorroboration)
        .expect("bo's claim on bo's draft");
    let indexed: i64 = owner
        .query_one("SELECT count(*) FROM search_entries WHERE kind = 'claim' AND draft_id = $1", &[&team.own.0])
        .expect("count")
        .get(0);
    assert_eq!(indexed, 1, "bo's claim is in desk A's search");
}

/// Review session 10, finding 6: `drafts` (and `desks`) had no row-level security, so any group login rewrote the
/// drafts rows of every desk (no current text, missing, its title, the file signs the scan goes by) and planted
/// phantom drafts in another desk's list. Now a desk's drafts rows, and when it was last opened, are written by its
/// people only (migrations/postgres/0041), the rule the scan already asks before it writes; a reporter's own
/// Factdesk still records every change of their folder. Always on a real PostgreSQL server, whatever engine the run
/// is for.
#[test]
fn on_a_team_store_a_reporter_of_one_desk_writes_none_of_another_desks_drafts() {
    let team = TeamDesk::new();
    let (zoe, lee) = (unique("zoe"), unique("lee"));
    team.staff(&[(&lee, Role::Lawyer)]);
    let (_other_tmp, other, _) = another_desk(&team, &[(&zoe, Role::Editor)]);
    let b = other.id().0;
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let rows_of_b = |client: &mut postgres::Client| -> Vec<String> {
        client
            .query(
                "SELECT row_to_json(d)::text FROM drafts d WHERE d.desk_id = $1
                 UNION ALL SELECT row_to_json(k)::text FROM desks k WHERE k.id = $1 ORDER BY 1",
                &[&b],
            )
            .expect("desk B's rows")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    let before = rows_of_b(&mut superuser);

    // bo, a reporter of desk A only, with psql.
    let mut reporter = team.connect(&team.bo);
    team.clock.advance(60);
    for sql in [
        "UPDATE drafts SET current_version_id = NULL, missing = TRUE, state = 'skipped', reason = 'x', title = 'x'
         WHERE desk_id = $1",
        "UPDATE drafts SET file_size = 0, file_modified_ns = 0, unread_hash = NULL WHERE desk_id = $1",
        "UPDATE drafts SET path = 'zed/renamed.md' WHERE desk_id = $1",
        "UPDATE desks SET last_opened_at = 'x' WHERE id = $1",
    ] {
        assert_eq!(reporter.execute(sql, &[&b]).expect(sql), 0, "{sql}: changed desk B's rows");
    }
    for sql in [
        "INSERT INTO drafts (desk_id, path, title, state, created_at, updated_at)
         VALUES ($1, 'politics/leak.md', 'Leak', 'ok', 'x', 'x')",
        "INSERT INTO drafts (desk_id, path, title, state, created_at, updated_at)
         VALUES ($1, 'zed/story.md', 'Leak', 'ok', 'x', 'x')
         ON CONFLICT (desk_id, path) DO UPDATE SET title = 'x', missing = TRUE",
    ] {
        let error = reporter.execute(sql, &[&b]).expect_err(sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    }
    // Nor through Factdesk: bo's Factdesk opening desk B's folder records nothing of it, not even the opening.
    let bos_store = Store::open(Path::new(&team.db.url_as(&team.bo))).expect("bo's login").shared();
    let bos_view = Desk::open(bos_store, other.root(), team.clock.clone()).expect("bo opens desk B's folder");
    assert_eq!(bos_view.id(), other.id(), "the same desk");
    std::fs::write(other.root().join("zed").join("new.md"), "# New\n\nA new story.\n").expect("write");
    bos_view.scan(&mut |_| {}, &mut |_| {}).expect("bo's scan of desk B");
    assert_eq!(rows_of_b(&mut superuser), before, "desk B's drafts and its desk row as they were");

    // On desk A bo's own Factdesk records a new file, a changed one, a renamed one and a missing one, and its
    // opening; the raw writes of their own desk's rows still go through.
    let own_desk = team.desk.id().0;
    let bo_folder = team.folder.join(&team.bo);
    std::fs::write(bo_folder.join("second.md"), "# Second\n\nAnother story.\n").expect("write");
    std::fs::write(bo_folder.join("third.md"), "# Third\n\nA third story.\n").expect("write");
    let bos_desk = team.desk_as(&team.bo);
    bos_desk.scan(&mut |_| {}, &mut |_| {}).expect("bo's scan");
    std::fs::write(bo_folder.join("story.md"), format!("{TEXT}\nA line more.\n")).expect("edit");
    std::fs::rename(bo_folder.join("second.md"), bo_folder.join("renamed.md")).expect("rename");
    std::fs::remove_file(bo_folder.join("third.md")).expect("remove");
    bos_desk.scan(&mut |_| {}, &mut |_| {}).expect("bo's scan follows the changes");
    let recorded = |path: &str| bos_desk.draft_by_path(&format!("{}/{path}", team.bo)).expect("lookup");
    assert!(recorded("second.md").is_none(), "renamed");
    let renamed = recorded("renamed.md").expect("the renamed draft");
    assert!(!renamed.missing && renamed.current_version.is_some(), "{renamed:?}");
    assert!(recorded("third.md").expect("the removed draft").missing, "missing");
    let versions: i64 = superuser
        .query_one("SELECT count(*) FROM draft_versions WHERE draft_id = $1", &[&team.own.0])
        .expect("count")
        .get(0);
    assert_eq!(versions, 2, "bo's edit recorded");
    let opened: String =
        superuser.query_one("SELECT last_opened_at FROM desks WHERE id = $1", &[&own_desk]).expect("desk A").get(0);
    use factdesk_core::clock::Clock as _;
    assert_eq!(opened, factdesk_core::clock::to_rfc3339(team.clock.now()), "bo's opening of desk A recorded");
    // Any role of the desk's: its lawyer's Factdesk records an edit of cy's story.
    std::fs::write(team.folder.join(&team.cy).join("story.md"), format!("{TEXT}\nCy's line.\n")).expect("edit");
    team.desk_as(&lee).scan(&mut |_| {}, &mut |_| {}).expect("the lawyer's scan");
    let versions: i64 = superuser
        .query_one("SELECT count(*) FROM draft_versions WHERE draft_id = $1", &[&team.others.0])
        .expect("count")
        .get(0);
    assert_eq!(versions, 2, "the lawyer's scan recorded cy's edit");
    let mut tx = reporter.transaction().expect("transaction");
    let changed = tx.execute("UPDATE drafts SET title = 'Retitled' WHERE id = $1", &[&team.own.0]).expect("own");
    assert_eq!(changed, 1, "bo's own desk's draft");
    tx.rollback().expect("rollback");
}
