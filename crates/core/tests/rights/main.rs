//! People and rights (issue 13), one test per rule, on a real SQLite file
//! or, with `FACTDESK_TEST_ENGINE=postgres`, a real team store where each
//! person acts through their own database login (created by
//! `rights::add_person`, so the server's grants and row-level security
//! apply to them as well as the core's checks).

mod audit_appends;
mod audit_reads;
mod audit_verdicts;
mod drafts;
#[path = "../engine/mod.rs"]
mod engine;
mod fixtures;
mod notes_and_assignments;
mod people;
mod ready_and_overrides;
mod roles;
mod vault_and_sources;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, Role};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{lock, ClaimId, DraftId, Store};
use fixtures::*;
use std::path::Path;

/// The server's own guarantees (issue 13): a person's login querying the
/// tables directly, as with `psql`, gets no more than their role allows.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_the_server_itself_holds_each_login_to_its_role() {
    // The store's owner (who ran `team init`) sets the desk up while it has no people.
    let team = TeamDesk::new();
    let (desk, bo, cy, own, others) = (&team.desk, team.bo.clone(), team.cy.clone(), team.own, team.others);
    let (sue, lou) = (unique("sue"), unique("lou"));
    let review = team.owner_review();
    let own_claim = review.add_claim(own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let other_claim = review.add_claim(others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    for claim in [own_claim, other_claim] {
        review
            .add_evidence(claim, &NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Minutes", true))
            .expect("evidence");
        review.add_note(NoteTarget::Claim(claim), "Who else was there?", None).expect("note");
    }
    review
        .add_source(
            desk.id(),
            &NewSource {
                descriptor: "a council official".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Ottoline Vasquez".into()),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    review.set_draft_status(others, DraftStatus::NeedsWork, None).expect("needs work");
    // The other reporter's claim is handed to them: an assignment and an entry in their inbox.
    review.assign(factdesk_core::assignment::AssignmentTarget::Claim(other_claim), &cy, None).expect("assign");
    team.staff(&[(&sue, Role::StandardsEditor), (&lou, Role::Lawyer)]);
    let connect = |login: &str| team.connect(login);

    let mut reporter = connect(&bo);
    // No identity, plain or sealed.
    denied(&mut reporter, "SELECT identity FROM source_confidential");
    denied(&mut reporter, "SELECT * FROM source_sealed");
    // Only the claims (and their placements and history) of their own drafts.
    let drafts: Vec<i64> =
        reporter.query("SELECT draft_id FROM claims", &[]).expect("claims").iter().map(|r| r.get(0)).collect();
    assert_eq!(drafts, vec![own.0]);
    let placed: i64 = reporter
        .query_one("SELECT count(*) FROM claim_anchors a JOIN claims c ON c.id = a.claim_id", &[])
        .expect("anchors")
        .get(0);
    let all_placed: i64 = reporter.query_one("SELECT count(*) FROM claim_anchors", &[]).expect("anchors").get(0);
    assert_eq!((placed, all_placed), (1, 1));
    // Nor what hangs from the other reporter's claim: its evidence and notes.
    for table in ["evidence", "notes"] {
        let visible: Vec<i64> = reporter
            .query(&format!("SELECT claim_id FROM {table}"), &[])
            .expect(table)
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(visible, vec![own_claim.0], "{table}");
    }
    // Another reporter's claim cannot be changed (it is not there for them)…
    let changed =
        reporter.execute("UPDATE claims SET status = 'cleared' WHERE id = $1", &[&other_claim.0]).expect("update");
    assert_eq!(changed, 0);
    // …nor a draft moved to ready, nor the trail rewritten, nor people added.
    denied(&mut reporter, &format!("UPDATE draft_workflow SET status = 'ready' WHERE draft_id = {}", others.0));
    denied(
        &mut reporter,
        &format!(
            "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at) VALUES ({}, 'ready', 'x', 'x')",
            own.0
        ),
    );
    denied(&mut reporter, "UPDATE audit_log SET actor = 'someone else'");
    denied(
        &mut reporter,
        &format!(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ({}, 'x', 'admin', 'x', 'x')",
            desk.id().0
        ),
    );

    // Nor another person's inbox or the assignment of a claim they may not see; the published record is
    // written once, never changed.
    for table in ["inbox", "assignments"] {
        let seen: i64 = reporter.query_one(&format!("SELECT count(*) FROM {table}"), &[]).expect(table).get(0);
        assert_eq!(seen, 0, "{table}");
    }
    let indexed: Vec<Option<i64>> = reporter
        .query("SELECT DISTINCT draft_id FROM search_entries WHERE kind = 'claim'", &[])
        .expect("search index")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(indexed, vec![Some(own.0)], "the search index shows only their own draft's claims");
    denied(
        &mut reporter,
        &format!(
            "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at) VALUES ({}, 'published', 'x', 'x')",
            own.0
        ),
    );
    denied(&mut reporter, "UPDATE published_reviews SET record = 'rewritten'");
    denied(&mut reporter, "DELETE FROM published_reviews");
    // A login's temporary tables come first on its search path: the functions the policies call name their own
    // schema's `people` and `drafts`, never a look-alike the login made itself editor in (review finding 1).
    let mut forger = connect(&bo);
    forger
        .batch_execute(&format!(
            "CREATE TEMP TABLE people (desk_id BIGINT, name TEXT, role TEXT); \
             INSERT INTO people VALUES ({desk}, current_user, 'editor'); \
             CREATE TEMP TABLE drafts (id BIGINT, desk_id BIGINT, path TEXT); \
             INSERT INTO drafts VALUES ({others}, {desk}, current_user || '/story.md')",
            desk = desk.id().0,
            others = others.0
        ))
        .expect("temporary look-alikes");
    let seen: i64 =
        forger.query_one("SELECT count(*) FROM claims WHERE draft_id = $1", &[&others.0]).expect("claims").get(0);
    assert_eq!(seen, 0, "another reporter's claims stay hidden behind a temporary people table");
    denied(&mut forger, &format!("UPDATE draft_workflow SET status = 'ready' WHERE draft_id = {}", others.0));
    denied(
        &mut forger,
        &format!("INSERT INTO settings (key, value) VALUES ('desk:{}:reopen-when-changed', 'false')", desk.id().0),
    );
    drop(forger);

    let mut other_reporter = connect(&cy);
    let theirs: i64 = other_reporter.query_one("SELECT count(*) FROM inbox", &[]).expect("inbox").get(0);
    assert_eq!(theirs, 1, "the assignee reads their own inbox");

    // Which fields are recorded is theirs to know (the register shows it), not what they hold.
    let recorded: bool =
        reporter.query_one("SELECT identity FROM source_fields_recorded", &[]).expect("recorded").get(0);
    assert!(recorded);

    let mut lawyer = connect(&lou);
    let seen: i64 = lawyer.query_one("SELECT count(*) FROM claims", &[]).expect("claims").get(0);
    assert_eq!(seen, 2, "the lawyer reads every claim");
    denied(&mut lawyer, "SELECT identity FROM source_confidential");
    denied(&mut lawyer, &format!("UPDATE claims SET status = 'cleared' WHERE id = {}", other_claim.0));

    let mut standards = connect(&sue);
    let identity: String =
        standards.query_one("SELECT identity FROM source_confidential", &[]).expect("identity").get(0);
    assert_eq!(identity, "Ottoline Vasquez");
    let workflow_other = others.0;
    assert_eq!(
        standards
            .execute("UPDATE draft_workflow SET status = 'ready' WHERE draft_id = $1", &[&workflow_other])
            .expect("ready"),
        1
    );
}

/// Every function of the team store that reads or writes a table by its bare name looks it up in the store's own
/// schema, never in a login's temporary one (review finding 1; 0016): its search_path is pinned. A migration that
/// re-creates one (`CREATE OR REPLACE` resets its settings, as 0018 does) must pin it again.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_every_function_that_reads_a_table_has_its_search_path_pinned() {
    use factdesk_core::store::postgres::PgStore;
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let unpinned: Vec<String> = client
        .query(
            "SELECT p.oid::regprocedure::text FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND p.prosrc ~* '\\m(from|into|update|join)\\M'
               AND NOT coalesce(p.proconfig::text ~ 'search_path=', FALSE)
               -- Functions of set-returning functions (json, ts_parse), reading no table: the caller's path (0016).
               AND p.proname NOT IN ('search_words', 'search_vector', 'search_query')
             ORDER BY 1",
            &[],
        )
        .expect("functions")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(unpinned.is_empty(), "functions reading tables by the caller's search_path: {unpinned:?}");
    let re_created: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
             AND proname IN ('factdesk_may_mark_ready', 'factdesk_may_change_desk', 'factdesk_may_write_setting',
                             'factdesk_may_read_private_notes')
             AND proconfig::text ~ 'search_path='",
            &[],
        )
        .expect("functions")
        .get(0);
    assert_eq!(re_created, 4, "the functions 0018 re-creates are pinned again");
}

/// The people of the store `on_a_team_store_each_login_reads_the_rows_of_the_rule_asked_once_per_query` reads
/// through: each login's desk roles (desk 3 has no people) and its Factdesk group (none: a login granted the tables
/// directly, as before people existed).
struct RuleLogin {
    name: String,
    roles: Vec<(i64, &'static str)>,
    group: Option<&'static str>,
}

/// 0021's `factdesk_owner_folder`: the first folder of a path, after a deleted draft's `.factdesk-missing/<id>/`.
fn owner_folder(path: &str) -> &str {
    let stripped = path
        .strip_prefix(".factdesk-missing/")
        .and_then(|rest| {
            let (id, rest) = rest.split_once('/')?;
            (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
        })
        .unwrap_or(path);
    stripped.split_once('/').map_or("", |(folder, _)| folder)
}

/// Issue 13 (0025, 0033): the read policies ask a login's rights once per query, from the set of desks it reads
/// whole, instead of calling a function per row, and a login reads only the desks it is one of the people of. For
/// each role, logins of two desks with different roles, a login in a group but on no desk's people, and a login in
/// no group, every row of every table those policies hold is read as the login and compared with the rule, written
/// here from rights.rs and 0007/0017/0021/0022/0033: a login in no group sees everything; any other login sees the
/// claims (and what hangs from them) of every draft of a desk without people and of a desk where it holds another
/// role than reporter, and of the drafts in its own owner folder on a desk it is one of the people of, stepped aside
/// or not (review session 9, finding 10: not on a desk where it is no one); private notes and the replies in their
/// threads are read by a login in no group, on a desk without people, and on a desk where the login is an editor,
/// standards editor or lawyer; a draft's text (its versions), editor's note, rule overrides and workflow, and the
/// register of sources (and its search entries) are read on a desk without people and on the desks the login is
/// one of the people of, whatever its role (finding 4). The per-draft functions the policies called before are held
/// to the same rule, and a login's look-alike temporary tables change nothing. Always on a real PostgreSQL server,
/// whatever engine the run is for.
#[test]
fn on_a_team_store_each_login_reads_the_rows_of_the_rule_asked_once_per_query() {
    use factdesk_core::store::postgres::PgStore;
    use std::collections::BTreeSet;
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let mut owner = postgres::Client::connect(&db.url, postgres::NoTls).expect("owner");
    let login = |base: &str, roles: Vec<(i64, &'static str)>, group: Option<&'static str>| RuleLogin {
        name: unique(base),
        roles,
        group,
    };
    let logins = [
        // A reporter on desk 1, an editor on desk 2.
        login("bo", vec![(1, "reporter"), (2, "editor")], Some("factdesk_reporter")),
        login("cy", vec![(1, "reporter"), (2, "reporter")], Some("factdesk_reporter")),
        // An editor of desk 1 only: none of desk 2's claims, though the editors' group is the whole server's.
        login("ed", vec![(1, "editor")], Some("factdesk_editor")),
        login("sue", vec![(1, "standards-editor")], Some("factdesk_standards_editor")),
        // A lawyer on desk 1, a reporter on desk 2.
        login("lou", vec![(1, "lawyer"), (2, "reporter")], Some("factdesk_lawyer")),
        // The desk's admin, a lawyer on desk 2.
        login("ada", vec![(1, "admin"), (2, "lawyer")], Some("factdesk_admin")),
        // An editor of desk 1 and a lawyer of desk 2: both desks, their private notes too.
        login("eve", vec![(1, "editor"), (2, "lawyer")], Some("factdesk_editor")),
        // A standards editor of desk 2 only.
        login("sam", vec![(2, "standards-editor")], Some("factdesk_standards_editor")),
        // In the editors' group, on no desk's people (taken off every desk): the desk without people only.
        login("gil", vec![], Some("factdesk_editor")),
        // A login in no group, granted the tables directly (as before people existed).
        login("nog", vec![], None),
        // A reporter of desk 1 only, with an owner folder on desk 2 too (review session 9, finding 10).
        login("rey", vec![(1, "reporter")], Some("factdesk_reporter")),
    ];
    for person in &logins {
        match person.group {
            Some(group) => {
                owner.batch_execute(&format!("CREATE ROLE \"{}\" LOGIN IN ROLE {group}", person.name)).expect("login")
            }
            None => db.create_login(&person.name),
        }
    }
    let (bo, cy) = (&logins[0].name, &logins[1].name);
    let (ed, gil, rey) = (&logins[2].name, &logins[8].name, &logins[10].name);
    owner
        .batch_execute(
            "INSERT INTO desks (id, path, created_at, last_opened_at)
             VALUES (1, '/a', 'x', 'x'), (2, '/b', 'x', 'x'), (3, '/c', 'x', 'x')",
        )
        .expect("desks");
    for person in &logins {
        for (desk, role) in &person.roles {
            owner
                .execute(
                    "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, $2, $3, 'x', 'x')",
                    &[desk, &person.name, role],
                )
                .expect("person");
        }
    }
    let drafts: Vec<(i64, i64, String)> = vec![
        (1, 1, format!("{bo}/one.md")),
        (2, 1, format!("{cy}/one.md")),
        (3, 1, "shared.md".into()),
        (4, 1, format!(".factdesk-missing/4/{bo}/gone.md")),
        (5, 1, format!(".factdesk-missing/5/{cy}/gone.md")),
        (6, 1, format!("{bo}/deeper/two.md")),
        // A folder whose name starts with the login's, a stepped-aside draft of no folder, the login's name as a
        // file's.
        (7, 1, format!("{bo}x/one.md")),
        (8, 1, ".factdesk-missing/8/top.md".into()),
        (9, 1, bo.clone()),
        (10, 2, format!("{cy}/b.md")),
        (11, 2, "b.md".into()),
        (12, 2, format!("{bo}/b.md")),
        (13, 3, format!("{cy}/c.md")),
        (14, 3, "c.md".into()),
        // Owner folders on a desk where the login is no one: a reporter of desk 1, an editor of desk 1, a login on
        // no desk's people. Each reads its folder on desk 1 only.
        (15, 2, format!("{rey}/b.md")),
        (16, 2, format!("{ed}/b.md")),
        (17, 2, format!("{gil}/b.md")),
        (18, 1, format!("{rey}/a.md")),
    ];
    for (id, desk, path) in &drafts {
        owner
            .execute(
                "INSERT INTO drafts (id, desk_id, path, title, state, created_at, updated_at)
                 VALUES ($1, $2, $3, 'Story', 'ok', 'x', 'x')",
                &[id, desk, path],
            )
            .expect("draft");
    }
    // On every draft two claims, each with its placement, status change, evidence, attributed source, assignment,
    // a public and a private note and a reply to each; on every draft a public and a private note and a reply to
    // each, an assignment, a document comment, a change since ready and a published record; a private note's
    // earlier text. The search index follows by its triggers.
    owner
        .batch_execute(
            "INSERT INTO draft_versions (id, draft_id, content_hash, text, blocks, words, first_seen_at)
                 SELECT id, id, encode(sha256(convert_to('The mayor.', 'UTF8')), 'hex'), 'The mayor.', '[]', 2, 'x'
                 FROM drafts;
             UPDATE drafts SET current_version_id = id;
             INSERT INTO claims (id, draft_id, exact, prefix, suffix, start, \"end\", version_id, created_by,
                                 created_at, updated_by, updated_at)
                 SELECT d.id * 10 + n, d.id, 'The mayor spent ' || n, '', '', 0, 1, d.id, 'x', 'x', 'x', 'x'
                 FROM drafts d, generate_series(1, 2) n;
             INSERT INTO claim_anchors (claim_id, version_id, state, start, \"end\", confidence, candidates,
                                        computed_at)
                 SELECT id, version_id, 'anchored', 0, 1, 1.0, '[]', 'x' FROM claims;
             INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at)
                 SELECT id, 'disputed', 'x', 'x' FROM claims;
             INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at)
                 SELECT id, 'document', 'ledger ' || id, 'The ledger', TRUE, 'x', 'x' FROM claims;
             INSERT INTO sources (id, desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
                 SELECT id, id, 'a council official', 'unnamed', 'x', 'x', 'x', 'x' FROM desks;
             INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
                 SELECT c.id, d.desk_id, 'attributed', 'x', 'x' FROM claims c JOIN drafts d ON d.id = c.draft_id;
             INSERT INTO notes (claim_id, text, author, created_at, private)
                 SELECT id, 'Ask the treasurer.', 'x', 'x', p FROM claims, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (draft_id, text, author, created_at, private)
                 SELECT id, 'Hold until Friday.', 'x', 'x', p FROM drafts, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (claim_id, draft_id, reply_to, text, author, created_at)
                 SELECT claim_id, draft_id, id, 'Agreed.', 'x', 'x' FROM notes;
             INSERT INTO note_edits (note_id, text, edited_by, edited_at)
                 SELECT id, 'Before.', 'x', 'x' FROM notes WHERE private;
             INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM claims;
             INSERT INTO assignments (draft_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM drafts;
             INSERT INTO document_comments (draft_id, comment_key, author, body, quote_exact, quote_prefix,
                                            quote_suffix, first_seen_at)
                 SELECT id, 'k', 'x', 'Check this.', 'mayor', '', '', 'x' FROM drafts;
             INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, detected_at)
                 SELECT id, id, 'ready', '[]', 'x' FROM drafts;
             INSERT INTO published_reviews (draft_id, version_id, published_by, published_at, record)
                 SELECT id, id, 'x', 'x', '{}' FROM drafts;
             INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) SELECT id, 'Tighten.', 'x', 'x' FROM drafts;
             INSERT INTO rule_overrides (draft_id, reason, overridden_by, overridden_at)
                 SELECT id, 'The minutes say so.', 'x', 'x' FROM drafts;
             INSERT INTO rule_override_findings (override_id, rule) SELECT id, 'two-sources' FROM rule_overrides;
             INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at, version_id)
                 SELECT id, 'needs-work', 'x', 'x', id FROM drafts",
        )
        .expect("the rows");

    let desk_of = |draft: i64| drafts.iter().find(|(id, _, _)| *id == draft).map(|(_, desk, _)| *desk).expect("desk");
    let path_of = |draft: i64| drafts.iter().find(|(id, _, _)| *id == draft).map(|(_, _, path)| path).expect("path");
    let has_people = |desk: i64| logins.iter().any(|person| person.roles.iter().any(|(d, _)| *d == desk));
    let role_on = |person: &RuleLogin, desk: i64| person.roles.iter().find(|(d, _)| *d == desk).map(|(_, r)| *r);
    let sees = |person: &RuleLogin, draft: i64| {
        let desk = desk_of(draft);
        person.group.is_none()
            || !has_people(desk)
            || role_on(person, desk).is_some_and(|role| role != "reporter")
            || (role_on(person, desk).is_some() && owner_folder(path_of(draft)) == person.name)
    };
    // The draft's text and what hangs from the draft as a whole, and the register of sources: its desk's.
    let reads_desk =
        |person: &RuleLogin, desk: i64| person.group.is_none() || !has_people(desk) || role_on(person, desk).is_some();
    let reads_private = |person: &RuleLogin, draft: i64| {
        let desk = desk_of(draft);
        person.group.is_none()
            || !has_people(desk)
            || role_on(person, desk).is_some_and(|role| ["editor", "standards-editor", "lawyer"].contains(&role))
    };
    // Each table: the owner's query giving every row's key, its draft (none: seen by all) and whether it is in a
    // private thread; the login's query giving the keys it reads.
    let tables = [
        ("claims", "SELECT id::text, draft_id, FALSE FROM claims", "SELECT id::text FROM claims"),
        (
            "claim_anchors",
            "SELECT a.id::text, c.draft_id, FALSE FROM claim_anchors a JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM claim_anchors",
        ),
        (
            "claim_status_changes",
            "SELECT s.id::text, c.draft_id, FALSE FROM claim_status_changes s JOIN claims c ON c.id = s.claim_id",
            "SELECT id::text FROM claim_status_changes",
        ),
        (
            "evidence",
            "SELECT e.id::text, c.draft_id, FALSE FROM evidence e JOIN claims c ON c.id = e.claim_id",
            "SELECT id::text FROM evidence",
        ),
        (
            "claim_sources",
            "SELECT l.claim_id::text, c.draft_id, FALSE FROM claim_sources l JOIN claims c ON c.id = l.claim_id",
            "SELECT claim_id::text FROM claim_sources",
        ),
        (
            "notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id), n.private OR coalesce(t.private, FALSE)
             FROM notes n LEFT JOIN claims c ON c.id = n.claim_id LEFT JOIN notes t ON t.id = n.reply_to",
            "SELECT id::text FROM notes",
        ),
        (
            "note_edits",
            "SELECT e.id::text, coalesce(n.draft_id, c.draft_id), n.private
             FROM note_edits e JOIN notes n ON n.id = e.note_id LEFT JOIN claims c ON c.id = n.claim_id",
            "SELECT id::text FROM note_edits",
        ),
        (
            "assignments",
            "SELECT a.id::text, coalesce(a.draft_id, c.draft_id), FALSE
             FROM assignments a LEFT JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM assignments",
        ),
        (
            "search_entries",
            "SELECT kind || ':' || item_id, draft_id, FALSE FROM search_entries WHERE kind <> 'source'",
            "SELECT kind || ':' || item_id FROM search_entries WHERE kind <> 'source'",
        ),
        (
            "document_comments",
            "SELECT id::text, draft_id, FALSE FROM document_comments",
            "SELECT id::text FROM document_comments",
        ),
        (
            "draft_changes_since_ready",
            "SELECT draft_id::text, draft_id, FALSE FROM draft_changes_since_ready",
            "SELECT draft_id::text FROM draft_changes_since_ready",
        ),
        (
            "published_reviews",
            "SELECT id::text, draft_id, FALSE FROM published_reviews",
            "SELECT id::text FROM published_reviews",
        ),
    ];
    let every_draft: Vec<i64> = drafts.iter().map(|(id, _, _)| *id).collect();
    let keys = |client: &mut postgres::Client, sql: &str| -> BTreeSet<String> {
        client.query(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).iter().map(|row| row.get(0)).collect()
    };
    for person in &logins {
        let mut client = postgres::Client::connect(&db.url_as(&person.name), postgres::NoTls).expect("connect");
        // The per-draft functions (still asked by the writes' WITH CHECK and the audit trail) say the same.
        let drafts_by = |client: &mut postgres::Client, function: &str| -> Vec<i64> {
            let sql = format!("SELECT id FROM drafts WHERE {function}(id) ORDER BY id");
            client.query(&sql, &[]).expect("per draft").iter().map(|row| row.get(0)).collect()
        };
        let seen: Vec<i64> = every_draft.iter().copied().filter(|d| sees(person, *d)).collect();
        let private: Vec<i64> = every_draft.iter().copied().filter(|d| reads_private(person, *d)).collect();
        assert_eq!(drafts_by(&mut client, "factdesk_may_see_claims_of"), seen, "{}: the rule of claims", person.name);
        assert_eq!(
            drafts_by(&mut client, "factdesk_may_read_private_notes"),
            private,
            "{}: the rule of private notes",
            person.name
        );
        let mut listings = Vec::new();
        for (table, every_row, as_login) in tables {
            let expected: BTreeSet<String> = owner
                .query(every_row, &[])
                .expect("every row")
                .iter()
                .filter(|row| {
                    let draft: Option<i64> = row.get(1);
                    let in_private_thread: bool = row.get(2);
                    draft.is_none_or(|d| sees(person, d) && (!in_private_thread || reads_private(person, d)))
                })
                .map(|row| row.get(0))
                .collect();
            let read = keys(&mut client, as_login);
            assert_eq!(read, expected, "{} reading {table}", person.name);
            assert!(!expected.is_empty(), "{} reads some {table}: the comparison compares something", person.name);
            listings.push((as_login, read));
        }
        // Each table read by desk: the owner's query giving every row's key and its desk.
        let desk_tables = [
            (
                "draft_versions",
                "SELECT v.id::text, d.desk_id FROM draft_versions v JOIN drafts d ON d.id = v.draft_id",
                "SELECT id::text FROM draft_versions",
            ),
            (
                "editor_notes",
                "SELECT n.draft_id::text, d.desk_id FROM editor_notes n JOIN drafts d ON d.id = n.draft_id",
                "SELECT draft_id::text FROM editor_notes",
            ),
            (
                "rule_overrides",
                "SELECT o.id::text, d.desk_id FROM rule_overrides o JOIN drafts d ON d.id = o.draft_id",
                "SELECT id::text FROM rule_overrides",
            ),
            (
                "rule_override_findings",
                "SELECT f.override_id::text, d.desk_id FROM rule_override_findings f
                 JOIN rule_overrides o ON o.id = f.override_id JOIN drafts d ON d.id = o.draft_id",
                "SELECT override_id::text FROM rule_override_findings",
            ),
            (
                "draft_workflow",
                "SELECT w.draft_id::text, d.desk_id FROM draft_workflow w JOIN drafts d ON d.id = w.draft_id",
                "SELECT draft_id::text FROM draft_workflow",
            ),
            ("sources", "SELECT id::text, desk_id FROM sources", "SELECT id::text FROM sources"),
            (
                "search_entries of sources",
                "SELECT item_id::text, desk_id FROM search_entries WHERE kind = 'source'",
                "SELECT item_id::text FROM search_entries WHERE kind = 'source'",
            ),
        ];
        for (table, every_row, as_login) in desk_tables {
            let expected: BTreeSet<String> = owner
                .query(every_row, &[])
                .expect("every row")
                .iter()
                .filter(|row| reads_desk(person, row.get(1)))
                .map(|row| row.get(0))
                .collect();
            let read = keys(&mut client, as_login);
            assert_eq!(read, expected, "{} reading {table}", person.name);
            assert!(!expected.is_empty(), "{} reads some {table}: the comparison compares something", person.name);
            listings.push((as_login, read));
        }
        if person.group.is_some() {
            // Once per query: a login's listing of every claim, and of one draft's, asks its groups once (an
            // InitPlan of the inlined `pg_has_role` calls), the desks it reads whole once and the desks it is one of
            // the people of once (for the owner folder; InitPlans, never in a row's filter), then each row's draft by
            // its primary key, or every draft at once (a hashed sub-plan): no rights function per row but the owner
            // folder's, never the per-draft function.
            let explain = |client: &mut postgres::Client, query: &str| -> String {
                let plan: Vec<String> = client
                    .query(&format!("EXPLAIN (VERBOSE, COSTS OFF) {query}"), &[])
                    .expect("explain")
                    .iter()
                    .map(|row| row.get(0))
                    .collect();
                plan.join("\n")
            };
            for (query, draft_by) in [
                ("SELECT id FROM claims", "hashed SubPlan"),
                ("SELECT id FROM claims WHERE draft_id = 12", "drafts_pkey"),
            ] {
                let plan = explain(&mut client, query);
                // The functions called (a name followed by its arguments; the groups' names are quoted roles).
                let functions: BTreeSet<&str> = plan
                    .match_indices("factdesk_")
                    .filter_map(|(at, _)| {
                        let rest = &plan[at..];
                        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                        rest[end..].starts_with('(').then_some(&rest[..end])
                    })
                    .collect();
                assert!(
                    plan.contains("InitPlan")
                        && plan.contains("pg_has_role")
                        && plan.contains(draft_by)
                        && functions.contains("factdesk_desks_with_claims_seen")
                        && functions.contains("factdesk_desks_read")
                        && !plan.lines().any(|line| {
                            line.contains("Filter")
                                && (line.contains("factdesk_desks_with") || line.contains("factdesk_desks_read"))
                        })
                        && functions.iter().all(|name| {
                            ["factdesk_owner_folder", "factdesk_desks_with_claims_seen", "factdesk_desks_read"]
                                .contains(name)
                        }),
                    "{}: {query}\n{plan}",
                    person.name
                );
            }
            // Temporary look-alikes of the tables the set is read from come first on the login's search path, and
            // change nothing: the functions name the store's schema.
            client
                .batch_execute(&format!(
                    "CREATE TEMP TABLE desks (id BIGINT); INSERT INTO desks SELECT generate_series(1, 3);
                     CREATE TEMP TABLE people (desk_id BIGINT, name TEXT, role TEXT);
                     INSERT INTO people SELECT generate_series(1, 3), current_user, 'editor';
                     CREATE TEMP TABLE drafts (id BIGINT, desk_id BIGINT, path TEXT);
                     INSERT INTO drafts SELECT id, 1, '{name}/x.md' FROM generate_series(1, 18) id",
                    name = person.name
                ))
                .expect("temporary look-alikes");
            for (as_login, read) in &listings {
                assert_eq!(&keys(&mut client, as_login), read, "{}, look-alikes made: {as_login}", person.name);
            }
        }
    }
}

/// What 0007 and 0012 left open on the server (issue 13): a reporter's login querying directly writes no
/// editor's note, override or desk setting, and reads no other reporter's search entries or note edits; the
/// lawyer writes no editor's note or override either. The drafts' text is the shared folder's: every login
/// reads it, and a reporter's own Factdesk records a new version of another reporter's draft when it scans.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_the_server_holds_editors_notes_overrides_settings_search_entries_and_note_edits_to_each_role() {
    let team = TeamDesk::new();
    let (folder, desk, bo, cy, own, others) =
        (&team.folder, &team.desk, team.bo.clone(), team.cy.clone(), team.own, team.others);
    let (lou, ada) = (unique("lou"), unique("ada"));
    let review = team.owner_review();
    let mut notes = Vec::new();
    let mut claims = Vec::new();
    for draft in [own, others] {
        let claim = review.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        let note = review.add_note(NoteTarget::Claim(claim), "Who else was there?", None).expect("note");
        review.edit_note(note, "Who else was in the room?").expect("edit");
        notes.push(note);
        claims.push(claim);
    }
    // A private thread on the reporter's own draft (a claim's and the draft's), its reply and an edit of it.
    let private =
        review.add_private_note(NoteTarget::Claim(claims[0]), "The clerk is our source.", None).expect("private");
    review.edit_note(private, "The clerk is our source, twice.").expect("edit the private note");
    let private_reply =
        review.add_note(NoteTarget::Claim(claims[0]), "She confirmed it.", Some(private)).expect("reply");
    let on_draft = review.add_private_note(NoteTarget::Draft(own), "Hold until Friday.", None).expect("private");
    review.save_editor_note(others, "Sources were not named to protect them.").expect("editor's note");
    team.staff(&[(&lou, Role::Lawyer), (&ada, Role::Admin)]);
    let connect = |login: &str| team.connect(login);
    let override_row = |draft: DraftId| {
        format!(
            "INSERT INTO rule_overrides (draft_id, reason, overridden_by, overridden_at) VALUES ({}, 'x', 'x', 'x')",
            draft.0
        )
    };
    let reopen_setting = format!(
        "INSERT INTO settings (key, value) VALUES ('desk:{}:reopen-when-changed', 'false') \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        desk.id().0
    );

    let mut reporter = connect(&bo);
    // The editor's note, an override and the desk's settings are the editors'.
    denied(&mut reporter, &format!("UPDATE editor_notes SET text = 'rewritten' WHERE draft_id = {}", others.0));
    denied(
        &mut reporter,
        &format!("INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) VALUES ({}, 'x', 'x', 'x')", own.0),
    );
    denied(&mut reporter, &override_row(own));
    denied(&mut reporter, &reopen_setting);
    // Their own reviewer name on this computer is theirs to set.
    reporter
        .batch_execute(
            "INSERT INTO settings (key, value) VALUES ('reviewer', 'bo') \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .expect("the reviewer's name");
    // Every draft's text (the folder's, which their Factdesk scans), and only the edits of the notes they may see.
    let texts: Vec<i64> = reporter
        .query("SELECT DISTINCT draft_id FROM draft_versions ORDER BY draft_id", &[])
        .expect("versions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(texts, vec![own.0, others.0], "the drafts' text");
    let edited: Vec<i64> =
        reporter.query("SELECT note_id FROM note_edits", &[]).expect("note edits").iter().map(|r| r.get(0)).collect();
    assert_eq!(edited, vec![notes[0].0], "note edits");
    let indexed: Vec<Option<i64>> = reporter
        .query("SELECT DISTINCT draft_id FROM search_entries WHERE kind = 'draft'", &[])
        .expect("search index")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(indexed, vec![Some(own.0)], "the search index holds only their own draft's text for them");
    // Private notes (and the replies in their threads) are the editors' and the lawyer's: not the reporter's,
    // though on their own draft, nor the admin's; neither are their earlier texts.
    let ids = |client: &mut postgres::Client, sql: &str| -> Vec<i64> {
        client.query(sql, &[]).expect(sql).iter().map(|r| r.get(0)).collect()
    };
    assert_eq!(ids(&mut reporter, "SELECT id FROM notes ORDER BY id"), vec![notes[0].0], "the reporter's notes");
    let mut admin = connect(&ada);
    assert_eq!(ids(&mut admin, "SELECT id FROM notes ORDER BY id"), vec![notes[0].0, notes[1].0], "the admin's notes");
    assert_eq!(ids(&mut admin, "SELECT note_id FROM note_edits ORDER BY note_id"), vec![notes[0].0, notes[1].0]);
    // Nor may they write into a private thread, or write a private note, behind Factdesk's back.
    let reply_row = |author: &str| {
        format!(
            "INSERT INTO notes (claim_id, reply_to, text, author, created_at) VALUES ({}, {}, 'x', '{author}', 'x')",
            claims[0].0, private.0
        )
    };
    denied(&mut reporter, &reply_row(&bo));
    denied(&mut admin, &reply_row(&ada));
    denied(
        &mut reporter,
        &format!(
            "INSERT INTO notes (draft_id, text, author, created_at, private) VALUES ({}, 'x', '{bo}', 'x', TRUE)",
            own.0
        ),
    );
    denied(&mut reporter, &format!("UPDATE notes SET private = TRUE WHERE id = {}", notes[0].0));

    // The other reporter saves a new text; this reporter's Factdesk, scanning the shared folder, records it.
    std::fs::write(folder.join(&cy).join("story.md"), format!("{TEXT}\nA second paragraph.\n")).expect("write");
    let reporters_desk = team.desk_as(&bo);
    reporters_desk.scan(&mut |_| {}, &mut |_| {}).expect("the reporter's scan of the shared folder");
    let versions: i64 = connect(&cy)
        .query_one("SELECT count(*) FROM draft_versions WHERE draft_id = $1", &[&others.0])
        .expect("versions")
        .get(0);
    assert_eq!(versions, 2, "the new text is recorded");
    let found: i64 = connect(&cy)
        .query_one(
            "SELECT count(*) FROM search_entries WHERE kind = 'draft' AND item_id = $1 \
             AND words @@ to_tsquery('simple', 'paragraph')",
            &[&others.0],
        )
        .expect("search index")
        .get(0);
    assert_eq!(found, 1, "the search index holds the new text");

    let mut lawyer = connect(&lou);
    denied(&mut lawyer, &format!("UPDATE editor_notes SET text = 'rewritten' WHERE draft_id = {}", others.0));
    denied(&mut lawyer, &override_row(others));
    denied(&mut lawyer, &reopen_setting);
    let seen: i64 = lawyer.query_one("SELECT count(*) FROM draft_versions", &[]).expect("versions").get(0);
    assert_eq!(seen, 3, "the lawyer reads every draft's text");
    let mut everything = vec![notes[0].0, notes[1].0, private.0, private_reply.0, on_draft.0];
    everything.sort_unstable();
    assert_eq!(ids(&mut lawyer, "SELECT id FROM notes ORDER BY id"), everything, "the lawyer reads private notes");
    assert_eq!(
        ids(&mut lawyer, "SELECT note_id FROM note_edits ORDER BY note_id"),
        vec![notes[0].0, notes[1].0, private.0],
        "and their earlier texts"
    );
}

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
    let other_tmp = tempfile::tempdir().expect("tmp");
    let other_folder = other_tmp.path().join("other");
    std::fs::create_dir_all(other_folder.join("zed")).expect("mkdir");
    std::fs::write(other_folder.join("zed").join("story.md"), TEXT).expect("write");
    let other = Desk::open(team.owner.clone(), &other_folder, team.clock.clone()).expect("other desk");
    other.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let other_draft = other.draft_by_path("zed/story.md").expect("lookup").expect("draft").id;
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
    {
        let store = lock(&team.owner);
        let owner_login = store.team_actor().expect("login");
        let now = chrono::Utc::now();
        let verifier = rights::login_verifier(b"not asked by the test server");
        rights::add_person(&store, other.id(), &owner_login, Role::Admin, &owner_login, now, None).expect("admin");
        rights::add_person(&store, other.id(), &zoe, Role::StandardsEditor, &owner_login, now, Some(&verifier))
            .expect("add");
    }
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

/// Finding 2: on PostgreSQL 14 and older every login creates functions in `public`, and one whose argument types
/// match better than pg_catalog's is called from a rights function's body instead. No login but the owner creates
/// anything in the store's schema, and the rights functions name pg_catalog's.
#[test]
fn on_a_team_store_no_login_shadows_the_functions_the_rights_call() {
    use factdesk_core::store::postgres::PgStore;
    let db = test_postgres::database();
    let mut superuser = postgres::Client::connect(&db.url, postgres::NoTls).expect("superuser");
    // PostgreSQL 14's default, which 15 no longer has.
    superuser.batch_execute("GRANT CREATE ON SCHEMA public TO PUBLIC").expect("as PostgreSQL 14");
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let reporter = unique("bo");
    superuser.batch_execute(&format!("CREATE ROLE \"{reporter}\" LOGIN IN ROLE factdesk_reporter")).expect("login");
    let mut login = postgres::Client::connect(&db.url_as(&reporter), postgres::NoTls).expect("connect");
    denied(&mut login, "CREATE FUNCTION public.length(name) RETURNS integer LANGUAGE sql AS 'SELECT 0'");
    drop(login);

    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    // What a login could have made: text arguments match the literals better than pg_catalog's (name, name, text).
    superuser
        .batch_execute(
            "CREATE FUNCTION pg_has_role(name, text, text) RETURNS boolean LANGUAGE sql AS 'SELECT false';
             CREATE FUNCTION has_table_privilege(name, text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
        )
        .expect("shadows");
    let mut reporter = connect_as(&trail, &trail.reporter);
    let sees: bool =
        reporter.query_one("SELECT factdesk_may_see_claims_of($1)", &[&trail.others_draft.0]).expect("ask").get(0);
    assert!(!sees, "a shadowed pg_has_role made the reporter no reporter");
    let claims: i64 = reporter
        .query_one("SELECT count(*) FROM claims WHERE id = $1", &[&trail.others_claim.0])
        .expect("claims")
        .get(0);
    assert_eq!(claims, 0);
}

/// Finding 5: identity columns are `BY DEFAULT`, so a login gave ids of its own, taking one ahead of the sequence
/// (the next row Factdesk records fails on it). Factdesk never writes an id: the groups insert every other column.
#[test]
fn on_a_team_store_no_login_chooses_a_rows_id() {
    let trail = TeamTrail::new();
    let (mut reporter, own) = trail.reporter();
    for sql in [
        format!(
            "INSERT INTO notes (id, draft_id, text, author, created_at) VALUES (1000000, {own}, 'x', current_user, 'x')"
        ),
        "INSERT INTO note_edits (id, note_id, text, edited_by, edited_at) VALUES (1000000, 1, 'x', 'x', 'x')"
            .to_string(),
        format!(
            "INSERT INTO claim_status_changes (id, claim_id, status, changed_by, changed_at)
             VALUES (1000000, {}, 'cleared', 'x', 'x')",
            trail.own_claim.0
        ),
    ] {
        denied(&mut reporter, &sql);
    }
    let note: i64 = reporter
        .query_one(
            "INSERT INTO notes (draft_id, text, author, created_at) VALUES ($1, 'x', current_user, 'x') RETURNING id",
            &[&own],
        )
        .expect("a note as Factdesk adds it")
        .get(0);
    assert!(note > 0);
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
    {
        let store = lock(&trail.owner);
        let owner_login = store.team_actor().expect("login");
        let verifier = rights::login_verifier(b"not asked by the test server");
        let now = chrono::Utc::now();
        rights::add_person(&store, desk_a.id(), &owner_login, Role::Admin, &owner_login, now, None).expect("admin");
        rights::add_person(&store, desk_a.id(), &eve, Role::Editor, &owner_login, now, Some(&verifier)).expect("eve");
    }
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

/// Issue 13 (0033): reads per desk. An editor or a lawyer of one desk reads none of another desk's claims, nor what
/// hangs from them (their evidence, notes, private or not, assignments, status changes, placements, links), nor its
/// drafts' notes, assignments, Word comments, published records or search entries, with raw SQL, though their group
/// is the whole server's; a person of both desks reads both, each as their role there says (a lawyer reads private
/// notes, a reporter their own drafts' claims only). Always on a real PostgreSQL server, whatever engine the run is
/// for.
#[test]
fn on_a_team_store_a_login_reads_only_the_desks_it_is_one_of_the_people_of() {
    use std::collections::{BTreeMap, BTreeSet};
    let team = TeamDesk::new();
    let (ed, lou, eve, bea) = (unique("ed"), unique("lou"), unique("eve"), unique("bea"));
    // Desk A (the team's): ed its editor, lou its lawyer, eve its editor; desk B: eve its lawyer, bea its editor,
    // bo (a reporter of desk A) its reporter.
    team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer), (&eve, Role::Editor)]);
    let (_tmp, _desk_b, b_draft) =
        another_desk(&team, &[(&eve, Role::Lawyer), (&bea, Role::Editor), (&team.bo, Role::Reporter)]);
    let (a_draft, a_others) = (team.own.0, team.others.0);
    let b_draft = b_draft.0;
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    // On each draft of both desks: a claim with its status change, placement, evidence, link to its desk's source,
    // assignment, a public and a private note; a public and a private note on the draft, its assignment, a Word
    // comment, a change since ready and a published record. The search index follows by its triggers.
    owner
        .execute(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
                 SELECT DISTINCT desk_id, 'a council official', 'unnamed', 'x', 'x', 'x', 'x' FROM drafts
                 WHERE id = ANY($1)",
            &[&vec![a_draft, a_others, b_draft]],
        )
        .expect("sources");
    owner
        .batch_execute(&format!(
            "INSERT INTO claims (draft_id, exact, prefix, suffix, start, \"end\", version_id, created_by, created_at,
                                 updated_by, updated_at)
                 SELECT id, 'The mayor', '', '', 0, 9, current_version_id, 'x', 'x', 'x', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at)
                 SELECT id, 'disputed', 'x', 'x' FROM claims;
             INSERT INTO claim_anchors (claim_id, version_id, state, start, \"end\", confidence, candidates,
                                        computed_at)
                 SELECT id, version_id, 'anchored', 0, 9, 1.0, '[]', 'x' FROM claims
                 ON CONFLICT DO NOTHING;
             INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at)
                 SELECT id, 'document', 'ledger', 'The ledger', TRUE, 'x', 'x' FROM claims;
             INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
                 SELECT c.id, s.id, 'attributed', 'x', 'x'
                 FROM claims c JOIN drafts d ON d.id = c.draft_id JOIN sources s ON s.desk_id = d.desk_id;
             INSERT INTO notes (claim_id, text, author, created_at, private)
                 SELECT id, 'Ask the treasurer.', 'x', 'x', p FROM claims, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (draft_id, text, author, created_at, private)
                 SELECT id, 'Hold until Friday.', 'x', 'x', p FROM drafts, (VALUES (FALSE), (TRUE)) v(p)
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at) SELECT id, 'x', 'x', 'x' FROM claims;
             INSERT INTO assignments (draft_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM drafts WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO document_comments (draft_id, comment_key, author, body, quote_exact, quote_prefix,
                                            quote_suffix, first_seen_at)
                 SELECT id, 'k', 'x', 'Check this.', 'mayor', '', '', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, detected_at)
                 SELECT id, current_version_id, 'ready', '[]', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO published_reviews (draft_id, version_id, published_by, published_at, record)
                 SELECT id, current_version_id, 'x', 'x', '{{}}' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft})"
        ))
        .expect("the rows");
    // Each table: the owner's query giving every row's key and its draft; the login's giving the keys it reads.
    let tables = [
        ("claims", "SELECT id::text, draft_id FROM claims", "SELECT id::text FROM claims"),
        (
            "claim_status_changes",
            "SELECT s.id::text, c.draft_id FROM claim_status_changes s JOIN claims c ON c.id = s.claim_id",
            "SELECT id::text FROM claim_status_changes",
        ),
        (
            "claim_anchors",
            "SELECT a.id::text, c.draft_id FROM claim_anchors a JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM claim_anchors",
        ),
        (
            "evidence",
            "SELECT e.id::text, c.draft_id FROM evidence e JOIN claims c ON c.id = e.claim_id",
            "SELECT id::text FROM evidence",
        ),
        (
            "claim_sources",
            "SELECT l.claim_id::text, c.draft_id FROM claim_sources l JOIN claims c ON c.id = l.claim_id",
            "SELECT claim_id::text FROM claim_sources",
        ),
        (
            "public notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id) FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
             WHERE NOT n.private",
            "SELECT id::text FROM notes WHERE NOT private",
        ),
        (
            "private notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id) FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
             WHERE n.private",
            "SELECT id::text FROM notes WHERE private",
        ),
        (
            "assignments",
            "SELECT a.id::text, coalesce(a.draft_id, c.draft_id) FROM assignments a LEFT JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM assignments",
        ),
        (
            "document_comments",
            "SELECT id::text, draft_id FROM document_comments",
            "SELECT id::text FROM document_comments",
        ),
        (
            "draft_changes_since_ready",
            "SELECT draft_id::text, draft_id FROM draft_changes_since_ready",
            "SELECT draft_id::text FROM draft_changes_since_ready",
        ),
        (
            "published_reviews",
            "SELECT id::text, draft_id FROM published_reviews",
            "SELECT id::text FROM published_reviews",
        ),
        (
            "search_entries",
            "SELECT kind || ':' || item_id, draft_id FROM search_entries WHERE kind <> 'source'",
            "SELECT kind || ':' || item_id FROM search_entries WHERE kind <> 'source'",
        ),
    ];
    // Who reads which drafts' rows: (login, drafts whose claims it reads, drafts whose private notes it reads).
    let (bo, cy) = (team.bo.clone(), team.cy.clone());
    let every = BTreeSet::from([a_draft, a_others, b_draft]);
    let desk_a = BTreeSet::from([a_draft, a_others]);
    let cases: [(&str, BTreeSet<i64>, BTreeSet<i64>); 6] = [
        (&ed, desk_a.clone(), desk_a.clone()),
        (&lou, desk_a.clone(), desk_a.clone()),
        (&eve, every.clone(), every.clone()),
        (&bea, BTreeSet::from([b_draft]), BTreeSet::from([b_draft])),
        // bo's own draft on desk A (a reporter there and on desk B: no private notes).
        (&bo, BTreeSet::from([a_draft]), BTreeSet::new()),
        (&cy, BTreeSet::from([a_others]), BTreeSet::new()),
    ];
    for (login, claims_read, private_read) in cases {
        let mut client = team.connect(login);
        for (table, every_row, as_login) in tables {
            let drafts_of: BTreeMap<String, i64> =
                owner.query(every_row, &[]).expect("every row").iter().map(|row| (row.get(0), row.get(1))).collect();
            let expected_drafts = if table == "private notes" { &private_read } else { &claims_read };
            let expected: BTreeSet<String> = drafts_of
                .iter()
                .filter(|(_, draft)| expected_drafts.contains(draft))
                .map(|(key, _)| key.clone())
                .collect();
            let read: BTreeSet<String> =
                client.query(as_login, &[]).expect("as the login").iter().map(|row| row.get(0)).collect();
            assert_eq!(read, expected, "{login} reading {table}");
            assert!(
                drafts_of.values().filter(|draft| **draft == b_draft).count() > 0,
                "desk B has {table}: the comparison compares something"
            );
        }
    }
    // The per-draft rule the writes' checks and the audit trail ask says the same.
    let mut editor = team.connect(&ed);
    let sees: Vec<bool> = [a_draft, b_draft]
        .iter()
        .map(|draft| {
            editor.query_one("SELECT factdesk_may_see_claims_of($1)", &[draft]).expect("ask").get::<_, bool>(0)
        })
        .collect();
    assert_eq!(sees, [true, false], "desk A's editor sees desk A's claims, not desk B's");

    // Each opens their own desk's drafts through Factdesk as before.
    let mut claim_of = |draft: i64| -> i64 {
        owner.query_one("SELECT id FROM claims WHERE draft_id = $1", &[&draft]).expect("claim").get(0)
    };
    let (a_claim, b_claim) = (claim_of(a_draft), claim_of(b_draft));
    assert_eq!(team.review_as(&ed).claims(DraftId(a_draft)).expect("desk A's").len(), 1);
    // Factdesk itself refuses him desk B's (he is no one there), as the server now does.
    assert!(team.review_as(&ed).claims(DraftId(b_draft)).is_err(), "desk B's claims are refused to desk A's editor");
    let both = team.review_as(&eve);
    assert_eq!(both.claims(DraftId(a_draft)).expect("desk A's").len(), 1);
    assert_eq!(both.claims(DraftId(b_draft)).expect("desk B's").len(), 1);
    assert_eq!(both.notes(NoteTarget::Claim(ClaimId(b_claim))).expect("desk B's notes").len(), 2, "private too");
    assert_eq!(both.notes(NoteTarget::Claim(ClaimId(a_claim))).expect("desk A's notes").len(), 2, "private too");
}

/// Issue 13, left by the last session: a `settings` key not of the form `desk:N:` was writable by an editor of any
/// desk of the server (0013's rule let in every login outside the reporters', lawyers' and admins' groups). Each
/// key Factdesk writes now has an owner (migrations/postgres/0034): a desk's keys its editors (of a desk that exists
/// only), `last_desk` each login its own (every window remembers the desk it opened, under its login's name),
/// `reviewer` anyone, the vault's idle time, read by every login's window for every desk's vault, the store's owner
/// (not an admin of one desk), and any other key the owner alone. As the real logins, querying the table directly
/// and through Factdesk. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_each_setting_is_written_only_by_whom_it_belongs_to() {
    let team = TeamDesk::new();
    let (ed, zoe, ada) = (unique("ed"), unique("zoe"), unique("ada"));
    team.staff(&[(&ed, Role::Editor), (&ada, Role::Admin)]);
    // Another desk on the same server, zoe its editor, ed not one of its people.
    let other_tmp = tempfile::tempdir().expect("tmp");
    let other_folder = other_tmp.path().join("other");
    std::fs::create_dir_all(&other_folder).expect("mkdir");
    let other = Desk::open(team.owner.clone(), &other_folder, team.clock.clone()).expect("other desk");
    {
        let store = lock(&team.owner);
        let owner_login = store.team_actor().expect("login");
        let now = chrono::Utc::now();
        let verifier = rights::login_verifier(b"not asked by the test server");
        rights::add_person(&store, other.id(), &owner_login, Role::Admin, &owner_login, now, None).expect("admin");
        rights::add_person(&store, other.id(), &zoe, Role::Editor, &owner_login, now, Some(&verifier)).expect("add");
    }
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    owner
        .batch_execute(
            "INSERT INTO settings (key, value) VALUES ('newsroom-note', 'the owner''s'), ('unnamed-login', 'x')",
        )
        .expect("the owner writes any key");
    let (a, b) = (team.desk.id().0, other.id().0);
    let write = |login: &str, key: &str| -> Result<(), postgres::Error> {
        let mut client = team.connect(login);
        client
            .execute(
                "INSERT INTO settings (key, value) VALUES ($1, 'planted')
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key],
            )
            .map(drop)
    };
    let refused = |login: &str, key: &str| {
        let error = write(login, key).expect_err(&format!("{login} wrote {key}"));
        assert_eq!(sqlstate(&error), Some("42501"), "{login} {key}: {error}");
    };
    // An editor of desk A: none of the store's own keys, the vault's idle time or desk B's.
    for key in
        ["newsroom-note", "unnamed-login", "a-new-key", "vault_idle_minutes", &format!("desk:{b}:reopen-when-changed")]
    {
        refused(&ed, key);
    }
    let mut editor = team.connect(&ed);
    let cleared = editor.execute("DELETE FROM settings WHERE key = 'newsroom-note'", &[]).expect("delete");
    assert_eq!(cleared, 0, "the owner's key is not the editor's to delete");
    // A reporter, the other desk's editor and an admin of desk A: not the idle time either (it is every desk's).
    refused(&team.bo, "vault_idle_minutes");
    refused(&zoe, "vault_idle_minutes");
    refused(&ada, "vault_idle_minutes");
    refused(&zoe, &format!("desk:{a}:reopen-when-changed"));
    // A desk that does not exist (yet): its keys are no one's, not even of an editor on a desk without people.
    let next: i64 = owner.query_one("SELECT max(id) + 1000 FROM desks", &[]).expect("next").get(0);
    for login in [&ed, &zoe, &ada, &team.bo] {
        refused(login, &format!("desk:{next}:reopen-when-changed"));
    }
    // `last_desk`: each login's own, under its name; not the bare key, not another login's.
    refused(&ed, "last_desk");
    refused(&ed, &format!("login:{zoe}:last_desk"));
    refused(&zoe, &format!("login:{ed}:last_desk"));
    // Through Factdesk, the refusal says whose the setting is.
    let editors_store = Store::open(Path::new(&team.db.url_as(&ed))).expect("login");
    let message = factdesk_core::vault::set_idle_minutes(&editors_store, 480).expect_err("refused").to_string();
    assert!(
        message.contains("the server refused to change the setting vault_idle_minutes")
            && message.contains("the store's owner sets it"),
        "{message}"
    );

    // The window offers the idle time only to whom may set it: the others see why (the server's rule, asked).
    for login in [&ed, &ada, &team.bo] {
        let status = team.review_as(login).vault_status(team.desk.id()).expect("status");
        let why = status.idle_minutes_refused.unwrap_or_default();
        assert!(why.contains("the store's owner sets it"), "{login}: {why:?}");
    }
    let owners = team.owner_review().vault_status(team.desk.id()).expect("status");
    assert_eq!(owners.idle_minutes_refused, None, "the owner is offered the idle time");

    // What each one's own: a desk's keys its editors, the idle time the owner, the window's keys each login.
    write(&ed, &format!("desk:{a}:reopen-when-changed")).expect("ed on desk A");
    write(&zoe, &format!("desk:{b}:reopen-when-changed")).expect("zoe on desk B");
    let admins_store = Store::open(Path::new(&team.db.url_as(&ada))).expect("login");
    factdesk_core::vault::set_idle_minutes(&admins_store, 15).expect_err("an admin of one desk");
    factdesk_core::vault::set_idle_minutes(&lock(&team.owner), 15).expect("the owner sets the idle time");
    for login in [&ed, &zoe, &team.bo, &ada] {
        write(login, &format!("login:{login}:last_desk")).unwrap_or_else(|e| panic!("{login}: {e}"));
        write(login, "reviewer").unwrap_or_else(|e| panic!("{login}: {e}"));
    }
    // Through Factdesk, each window remembers its own login's desk.
    let zoes_store = Store::open(Path::new(&team.db.url_as(&zoe))).expect("login");
    editors_store.set_setting("last_desk", "/desks/a").expect("ed's window");
    zoes_store.set_setting("last_desk", "/desks/b").expect("zoe's window");
    assert_eq!(editors_store.setting("last_desk").expect("read").as_deref(), Some("/desks/a"));
    assert_eq!(zoes_store.setting("last_desk").expect("read").as_deref(), Some("/desks/b"));
    let values: Vec<(String, String)> = owner
        .query("SELECT key, value FROM settings WHERE key <> 'reviewer' AND key NOT LIKE 'login:%' ORDER BY key", &[])
        .expect("settings")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let mut expected = vec![
        (format!("desk:{a}:reopen-when-changed"), "planted".to_owned()),
        (format!("desk:{b}:reopen-when-changed"), "planted".to_owned()),
        ("newsroom-note".to_owned(), "the owner's".to_owned()),
        ("unnamed-login".to_owned(), "x".to_owned()),
        ("vault_idle_minutes".to_owned(), "15".to_owned()),
    ];
    expected.sort();
    assert_eq!(values, expected);
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
    let other_tmp = tempfile::tempdir().expect("tmp");
    let other_folder = other_tmp.path().join("other");
    std::fs::create_dir_all(other_folder.join("zed")).expect("mkdir");
    std::fs::write(other_folder.join("zed").join("story.md"), TEXT).expect("write");
    let other = Desk::open(team.owner.clone(), &other_folder, team.clock.clone()).expect("other desk");
    other.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = other.draft_by_path("zed/story.md").expect("lookup").expect("draft").id;
    {
        let store = lock(&team.owner);
        let owner_login = store.team_actor().expect("login");
        let now = chrono::Utc::now();
        let verifier = rights::login_verifier(b"not asked by the test server");
        rights::add_person(&store, other.id(), &owner_login, Role::Admin, &owner_login, now, None).expect("admin");
        rights::add_person(&store, other.id(), &zoe, Role::Editor, &owner_login, now, Some(&verifier)).expect("add");
    }
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

/// Review session 9, finding 15: a login made a member of the owner's role is not the owner for the vault (keeper
/// of every desk's) nor for a draft version's hash.
#[test]
fn on_a_team_store_a_member_of_the_owners_role_keeps_no_vault_and_writes_no_version_with_a_hash_not_its_texts() {
    let store = OwnedStore::new();
    let other = store.open_desk("b");
    store.put(&store.owner, other, &store.owner, Role::Admin).expect("the owner starts desk B");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("GRANT \"{}\" TO \"{}\"", store.owner, store.adm))
        .expect("a membership from before 0031");
    let mut client = store.connect(&store.adm);
    let draft: i64 = {
        let folder = store.tmp.path().join("a");
        std::fs::write(folder.join("story.md"), TEXT).expect("write");
        let desk = Desk::open(store.store_as(&store.owner), &folder, store.clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk.draft_by_path("story.md").expect("lookup").expect("draft").id.0
    };
    let error = client
        .batch_execute(&format!(
            "INSERT INTO draft_versions (draft_id, content_hash, text, blocks, words, first_seen_at)
             SELECT draft_id, '{}', text, blocks, words, first_seen_at FROM draft_versions WHERE draft_id = {draft} LIMIT 1",
            "0".repeat(64)
        ))
        .expect_err("a version whose hash is not its text's");
    assert_eq!(sqlstate(&error), Some("23514"), "{error}");
    let keeper: bool = client
        .query_one("SELECT factdesk_vault_keeper($1, ARRAY['standards-editor'])", &[&other.0])
        .expect("asked")
        .get(0);
    assert!(!keeper, "no keeper of desk B's vault by membership");
}

/// Review session 9, finding 11: the schema's migrations were serialized on a public advisory key
/// (`pg_advisory_xact_lock` of a key written in the repository): any login that may connect took it with
/// `pg_advisory_lock` and kept its session, and the owner's next `team init` hung with no end. The migration lock
/// is now the table lock of `schema_migrations`, in a mode no group and no bare login may take or hold against it.
#[test]
fn on_a_team_store_no_login_holds_the_owners_migrations_up() {
    use factdesk_core::store::postgres::PgStore;
    let trail = TeamTrail::new();
    let stranger = unique("zed");
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN")).expect("a bare login");
    let mut holder = connect_as(&trail, &stranger);
    holder.batch_execute("SELECT pg_advisory_lock(5071444006947615595)").expect("any login takes the old key");
    let mut reader = connect_as(&trail, &trail.reporter);
    let mut open = reader.transaction().expect("transaction");
    open.query("SELECT * FROM schema_migrations", &[]).expect("a reporter reads which migrations are applied");

    let url = trail.db.url.clone();
    let init = in_background(move || PgStore::init(&url.parse().expect("url")).map(|_| ()).map_err(|e| e.to_string()));
    let outcome = init.recv_timeout(std::time::Duration::from_secs(30));
    drop(holder); // an init stuck behind the key (before 0032) ends with it
    open.rollback().expect("rollback");
    assert!(matches!(outcome, Ok(Ok(()))), "the owner's init, the old key held: {outcome:?}");

    for login in [&stranger, &trail.reporter, &trail.editor, &trail.admin] {
        assert_refused(
            &mut connect_as(&trail, login),
            &[
                ("LOCK TABLE schema_migrations IN ROW SHARE MODE", &[]),
                ("LOCK TABLE schema_migrations IN EXCLUSIVE MODE", &[]),
                ("SELECT * FROM schema_migrations FOR KEY SHARE", &[]),
            ],
            "42501",
        );
    }
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
    // Desk B's entries are neither read nor rewritten nor deleted.
    let mut tx = reporter.transaction().expect("begin");
    let read = tx.query_one("SELECT count(*) FROM search_entries WHERE desk_id = $1", &[&desk_b]).expect("read");
    assert_eq!(read.get::<_, i64>(0), 0, "desk B's entries, its source's too, are not read by desk A's reporter");
    let updated =
        tx.execute("UPDATE search_entries SET body = 'rewritten' WHERE kind = 'source' OR desk_id = $1", &[&desk_b]);
    let deleted = tx.execute("DELETE FROM search_entries WHERE kind = 'source' OR desk_id = $1", &[&desk_b]);
    tx.commit().expect("commit");
    assert!(updated.is_ok() && deleted.is_ok(), "{updated:?} {deleted:?}");
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
