//! People and rights (issue 13), one test per rule, on a real SQLite file
//! or, with `FACTDESK_TEST_ENGINE=postgres`, a real team store where each
//! person acts through their own database login (created by
//! `rights::add_person`, so the server's grants and row-level security
//! apply to them as well as the core's checks).

mod drafts;
#[path = "../engine/mod.rs"]
mod engine;
mod fixtures;
mod notes_and_assignments;
mod people;
mod ready_and_overrides;
mod roles;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, RightsError, Role};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, ClaimId, DraftId, Store};
use factdesk_core::vault::KdfParams;
use fixtures::*;
use secrecy::SecretString;
use std::path::Path;
use std::sync::Arc;

#[test]
fn only_standards_editors_and_the_named_editor_reveal_an_identity() {
    let team = Team::staffed();
    let sue = team.as_person(&team.standards);
    let unnamed = |editor: &str, identity: &str| NewSource {
        descriptor: "a council official".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential {
            identity: Some(identity.into()),
            editor_knows: Some(editor.into()),
            ..Confidential::default()
        }),
    };
    let named_for_ed = sue.add_source(team.desk, &unnamed(&team.editor, "Ottoline Vasquez")).expect("source");
    let not_for_ed = sue.add_source(team.desk, &unnamed(&team.standards, "Ivo Brand")).expect("source");
    assert_eq!(sue.reveal_source(not_for_ed).expect("standards editor").identity.as_deref(), Some("Ivo Brand"));
    let ed = team.as_person(&team.editor);
    assert_eq!(ed.reveal_source(named_for_ed).expect("named editor").identity.as_deref(), Some("Ottoline Vasquez"));
    refused_naming(
        ed.reveal_source(not_for_ed),
        "standards editor role, or to be the editor named as knowing the source",
    );
    // Naming oneself as the editor who knows someone else's source is refused: it would reveal it next.
    let claim_it = Confidential { editor_knows: Some(team.editor.clone()), ..Confidential::default() };
    refused_naming(
        ed.set_confidential(not_for_ed, &claim_it),
        "standards editor role, or to be the editor named as knowing the source",
    );
    refused_naming(
        ed.reveal_source(not_for_ed),
        "standards editor role, or to be the editor named as knowing the source",
    );
    for name in [&team.reporter, &team.lawyer, &ADMIN.to_owned()] {
        let err = team.as_person(name).reveal_source(named_for_ed).expect_err("refused").to_string();
        assert!(err.contains("needs the standards editor role") && !err.contains("Ottoline"), "{err}");
    }
    // Everyone's register shows which fields are recorded, never what they hold.
    let listed = team.as_person(&team.reporter).sources(team.desk).expect("a reporter lists the register");
    assert!(listed.iter().all(|source| source.confidential.identity && source.confidential.editor_knows));
    // Recording an identity is the standards editor's and editors' too.
    let bo = team.as_person(&team.reporter);
    refused_naming(bo.add_source(team.desk, &unnamed(&team.reporter, "Someone")), "standards editor role");
    bo.add_source(team.desk, &NewSource { confidential: None, ..unnamed("", "") })
        .expect("a reporter adds a source by descriptor");
}

#[test]
fn only_standards_editors_and_the_named_editor_unlock_the_vault() {
    let team = Team::staffed();
    let sue = team.as_person(&team.standards);
    let kdf = KdfParams::DEFAULT;
    let passphrase = SecretString::from("correct horse battery");
    sue.init_vault_with(team.desk, &passphrase, kdf).expect("vault");
    for name in [&team.reporter, &team.lawyer, &ADMIN.to_owned()] {
        let err = team.as_person(name).unlock_vault(team.desk, &passphrase).expect_err("refused");
        assert!(matches!(err, SourcingError::Rights(RightsError::Refused(_))), "{err}");
        assert!(err.to_string().contains("needs the standards editor or editor role"), "{err}");
    }
    refused_naming(
        team.as_person(&team.reporter).init_vault_with(team.desk, &passphrase, kdf),
        "standards editor or editor role",
    );
    // An editor unlocks only once a source names them as the editor who knows it.
    let ed = team.as_person(&team.editor);
    refused_naming(
        ed.unlock_vault(team.desk, &passphrase),
        "standards editor role, or to be the editor named as knowing one of the desk's sources",
    );
    assert!(!ed.is_vault_unlocked(team.desk), "the key is dropped on a refusal");
    sue.add_source(
        team.desk,
        &NewSource {
            descriptor: "a council official".into(),
            kind: SourceKind::Unnamed,
            notes: String::new(),
            confidential: Some(Confidential { editor_knows: Some(team.editor.clone()), ..Confidential::default() }),
        },
    )
    .expect("a source naming the editor");
    // Named, but the desk key is wrapped only for whom a holder gave it: not yet for the editor.
    refused_naming(
        ed.unlock_vault(team.desk, &passphrase),
        "standards editor role, or to be the editor named as knowing one of the desk's sources",
    );
    let own = SecretString::from("the editor's own passphrase");
    sue.grant_vault(team.desk, &team.editor, &own).expect("the standards editor wraps the key for the editor");
    ed.unlock_vault(team.desk, &own).expect("the named editor unlocks with their own passphrase");
    sue.unlock_vault(team.desk, &passphrase).expect("the standards editor unlocks");
}

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

/// The audit trail held by the server (issue 13, migrations/postgres/0019): a reporter's login querying
/// `audit_log` directly reads no entry about another reporter's draft (its quotes, evidence, notes) and no
/// private note's text, not even with a temporary `people` table naming them an editor, nor by appending an
/// entry that claims to be about no draft; the editor and the lawyer read every entry, the admin every one but
/// the private note's. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_the_server_holds_the_audit_trail_to_each_role() {
    let trail = TeamTrail::new();
    let connect = |login: &str| postgres::Client::connect(&trail.db.url_as(login), postgres::NoTls).expect("connect");
    let entries = |client: &mut postgres::Client| -> Vec<(String, String)> {
        client
            .query("SELECT entity, coalesce(before, '') || coalesce(after, '') FROM audit_log ORDER BY seq", &[])
            .expect("audit_log")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let all = entries(&mut connect(&trail.editor));
    assert_eq!(all, entries(&mut postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner")));
    let about = |entries: &[(String, String)], needle: &str| {
        entries.iter().any(|(e, body)| e == needle || body.contains(needle))
    };
    for secret in [OTHERS_QUOTE, OTHERS_NOTE, OTHERS_EVIDENCE, PRIVATE_NOTE] {
        assert!(about(&all, secret), "the editor reads {secret}");
    }

    let mut reporter = connect(&trail.reporter);
    let seen = entries(&mut reporter);
    for secret in [OTHERS_QUOTE, OTHERS_NOTE, OTHERS_EVIDENCE, PRIVATE_NOTE] {
        assert!(!about(&seen, secret), "the reporter reads {secret}: {seen:?}");
    }
    for entity in trail.others_entities() {
        assert!(!seen.iter().any(|(e, _)| *e == entity), "the reporter reads an entry about {entity}");
    }
    assert!(about(&seen, OWN_QUOTE) && about(&seen, OWN_NOTE), "their own draft's entries: {seen:?}");
    assert!(seen.iter().any(|(e, _)| e.starts_with("source:")), "entries about no draft, as before");

    // The other reporter: the other way round.
    let theirs = entries(&mut connect(&trail.other_reporter));
    assert!(about(&theirs, OTHERS_QUOTE) && about(&theirs, OTHERS_NOTE) && !about(&theirs, OWN_QUOTE));
    assert!(!about(&theirs, PRIVATE_NOTE));

    // A temporary `people` naming the reporter an editor changes nothing (the policy's functions are pinned).
    let mut forger = connect(&trail.reporter);
    forger
        .batch_execute(&format!(
            "CREATE TEMP TABLE people (desk_id BIGINT, name TEXT, role TEXT); \
             INSERT INTO people VALUES ({}, current_user, 'editor')",
            trail.desk.0
        ))
        .expect("a temporary look-alike");
    assert_eq!(entries(&mut forger), seen);
    // An entry the reporter appends says whose it is by the server's reading, not theirs: one about another
    // reporter's claim, written claiming no draft, is still hidden from them (undone: it is no real change).
    let mut tx = forger.transaction().expect("transaction");
    let read = |tx: &mut postgres::Transaction<'_>| -> i64 {
        tx.query_one("SELECT count(*) FROM audit_log", &[]).expect("count").get(0)
    };
    let read_before = read(&mut tx);
    let appended = tx
        .execute(
            "INSERT INTO audit_log (at, actor, action, entity, before, after, draft_id, note_id)
             VALUES ('x', current_user, 'claim.status', $1, NULL, NULL, NULL, NULL)",
            &[&format!("claim:{}", trail.others_claim.0)],
        )
        .expect("append");
    assert_eq!((appended, read(&mut tx)), (1, read_before), "the entry is about the other reporter's draft");
    tx.rollback().expect("rollback");

    // The lawyer reads every entry; the admin every one but the private note's.
    assert_eq!(entries(&mut connect(&trail.lawyer)), all);
    let admins = entries(&mut connect(&trail.admin));
    assert!(about(&admins, OTHERS_NOTE) && about(&admins, OWN_NOTE) && !about(&admins, PRIVATE_NOTE), "{admins:?}");
    assert_eq!(admins.len(), all.len() - 2, "the private note's entries (added, then edited) are hidden");

    // The server's chain functions answer a login only what its own right on the trail allows: one the newsroom
    // never granted the table gets no verdict and no hash, and the tail is the owner's alone (0027).
    let stranger = unique("zed");
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN")).expect("a bare login");
    let mut stranger = connect(&stranger);
    // The verdict and the hashes are refused, not answered with none (a chain of none read as intact).
    for query in [
        "SELECT * FROM factdesk_audit_verdict()",
        "SELECT * FROM audit_log_hashes",
        "SELECT * FROM factdesk_audit_tail()",
    ] {
        let error = stranger.query(query, &[]).expect_err(query);
        assert_eq!(error.code().map(|c| c.code()), Some("42501"), "{query}: {error}");
    }
    for function in ["factdesk_audit_subject('claim:1')", "factdesk_audit_fill_subject()"] {
        let error = stranger.batch_execute(&format!("SELECT {function}")).expect_err(function);
        assert_eq!(error.code().map(|c| c.code()), Some("42501"), "{function}: {error}");
    }
}

/// The chain keeps working for every login (issue 13, migrations/postgres/0019): a reporter appends after a
/// newest entry they may not read, and `audit verify` passes for the reporter (every link checked, the entries
/// they may not read by their links only, and says so), the editor and the store's owner; a claim's history
/// shows the reporter their own claim's entries. Always on a real PostgreSQL server.
#[test]
fn on_a_team_store_every_login_appends_to_and_verifies_the_audit_trail_it_reads_only_part_of() {
    let trail = TeamTrail::new();
    // The newest entry is about the other reporter's claim: hidden from this reporter.
    trail
        .as_login(&trail.editor)
        .add_note(NoteTarget::Claim(trail.others_claim), "Call the clerk.", None)
        .expect("note");
    let reporter = trail.as_login(&trail.reporter);
    reporter.add_note(NoteTarget::Claim(trail.own_claim), "I called her twice.", None).expect("the reporter's append");
    reporter.set_status(trail.own_claim, ClaimStatus::Disputed).expect("and another");
    let total: i64 = postgres::Client::connect(&trail.db.url, postgres::NoTls)
        .expect("owner")
        .query_one("SELECT count(*) FROM audit_log", &[])
        .expect("count")
        .get(0);

    let report = reporter.verify_audit().expect("verify as the reporter");
    assert!(report.broken.is_none(), "{report:?}");
    assert_eq!(report.entries, u64::try_from(total).expect("count"), "the whole chain");
    assert!(report.entries_not_read > 0 && report.rows_not_compared, "{report:?}");
    for person in [&trail.editor, &trail.lawyer] {
        let report = trail.as_login(person).verify_audit().expect("verify");
        assert!(
            report.is_intact() && !report.rows_not_compared && report.entries_not_read == 0,
            "{person}: {report:?}"
        );
    }
    let owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into()).verify_audit().expect("verify");
    assert!(owner.is_intact() && !owner.rows_not_compared, "{owner:?}");
    assert_eq!(owner.entries, report.entries);

    let history = reporter.claim_history(trail.own_claim).expect("their own claim's history");
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["claim.add", "claim.status"], "{history:?}");
}

/// A login in no Factdesk group (a team store from before people; review finding 9) keeps appending to and
/// verifying the whole trail of a desk without people, and reads every entry of it.
#[test]
fn on_a_team_store_a_login_in_no_group_keeps_the_audit_trail_of_a_desk_without_people() {
    use factdesk_core::store::postgres::PgStore;
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let legacy = unique("old");
    db.create_login(&legacy);
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("story.md"), TEXT).expect("write");
    let store = Store::open(Path::new(&db.url_as(&legacy))).expect("login").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("story.md").expect("lookup").expect("draft").id;
    let review = Review::new(store, clock, legacy.clone());
    let claim = review.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    review.add_private_note(NoteTarget::Claim(claim), PRIVATE_NOTE, None).expect("private note");
    review.set_status(claim, ClaimStatus::Disputed).expect("status");
    let report = review.verify_audit().expect("verify");
    assert!(report.is_intact() && !report.rows_not_compared && report.entries_not_read == 0, "{report:?}");
    assert_eq!(report.entries, 3);
    let mut client = postgres::Client::connect(&db.url_as(&legacy), postgres::NoTls).expect("connect");
    let seen: i64 = client.query_one("SELECT count(*) FROM audit_log", &[]).expect("read").get(0);
    assert_eq!(seen, 3, "every entry, the private note's too");
}

/// Security review of issue 13, finding 1: a reporter's login deleting rows inside a transaction it then rolls back
/// read the trail of what it deleted (0007's functions said yes for a draft they found no row of, 0017's said "not
/// private" for a note that was gone). Factdesk never deletes those rows: the server refuses it (0021); and for a
/// login the newsroom granted DELETE directly, the trail of a draft or note that is gone stays hidden (0019).
#[test]
fn on_a_team_store_a_reporter_deleting_rows_in_a_transaction_reads_no_more_of_the_trail() {
    let trail = TeamTrail::new();
    let connect = |login: &str| postgres::Client::connect(&trail.db.url_as(login), postgres::NoTls).expect("connect");
    let whole_trail = |tx: &mut postgres::Transaction<'_>| -> String {
        tx.query_one(
            "SELECT coalesce(string_agg(entity || coalesce(before, '') || coalesce(after, ''), ' '), '') FROM audit_log",
            &[],
        )
        .expect("audit_log")
        .get(0)
    };
    let mut reporter = connect(&trail.reporter);
    assert_refused(
        &mut reporter,
        &[
            ("DELETE FROM drafts WHERE id = $1", &[&trail.others_draft.0]),
            ("DELETE FROM claims WHERE id = $1", &[&trail.own_claim.0]),
            ("DELETE FROM desks WHERE id = $1", &[&trail.desk.0]),
        ],
        "42501",
    );

    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("GRANT DELETE ON drafts, claims TO \"{}\"", trail.reporter))
        .expect("a login granted DELETE directly");
    let mut tx = reporter.transaction().expect("transaction");
    assert_eq!(tx.execute("DELETE FROM drafts WHERE id = $1", &[&trail.others_draft.0]).expect("delete"), 1);
    // Their own claim, and with it (a cascade) the private note on it they may not read.
    assert_eq!(tx.execute("DELETE FROM claims WHERE id = $1", &[&trail.own_claim.0]).expect("delete"), 1);
    let seen = whole_trail(&mut tx);
    for secret in [OTHERS_QUOTE, OTHERS_NOTE, OTHERS_EVIDENCE, PRIVATE_NOTE] {
        assert!(!seen.contains(secret), "the reporter reads {secret} once its rows are gone: {seen}");
    }
    assert!(seen.contains(OWN_QUOTE), "their own draft's entries stay theirs: {seen}");
    tx.rollback().expect("rollback");
}

/// Finding 3: appending was every group's, of any entry. The server now takes an entry in the appending login's
/// name only, and links it itself (0027): whatever number, `prev_hash` and hash a login sends are replaced by the
/// next number, the newest entry's hash and the hash of the entry's content, not trusted (nor refused). So a
/// reporter forges no editor's entry, blocks no one's appends and breaks no one's verify, and their Factdesk still
/// appends and verifies.
#[test]
fn on_a_team_store_the_server_links_a_logins_append_whatever_it_sends() {
    use factdesk_core::audit::{entry_hash, verify_chain, AuditEntry};
    let trail = TeamTrail::new();
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let trail_now = |owner: &mut postgres::Client| -> Vec<AuditEntry> {
        owner
            .query(
                "SELECT seq, at, actor, action, entity, before, after, prev_hash, hash FROM audit_log ORDER BY seq",
                &[],
            )
            .expect("the whole trail")
            .iter()
            .map(|r| AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                entity: r.get(4),
                before: r.get(5),
                after: r.get(6),
                prev_hash: r.get(7),
                hash: r.get(8),
            })
            .collect()
    };
    let before = trail_now(&mut owner);
    let newest = before.last().expect("a trail");
    let (seq, hash) = (newest.seq, newest.hash.clone());
    let (mut reporter, _) = trail.reporter();
    let append = "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
                  VALUES ($1, '2026-01-01T00:00:00Z', $2, 'source.add', 'source:1', NULL, $3, $4, $5)";
    let (editor, bo) = (&trail.editor, &trail.reporter);
    let (well_formed, not_a_hash) = ("a".repeat(64), "not a hash".to_owned());
    let other_content = entry_hash(&AuditEntry { after: Some("{}".into()), ..newest.clone() });
    assert_refused(&mut reporter, &[(append, &[&(seq + 1), editor, &"{}", &hash, &well_formed])], "42501");
    // Each of these was refused before 0027 (wrong number, link or hash); now each is linked by the server.
    let sent: [(i64, &String, &String); 7] = [
        (-1, &hash, &well_formed),
        (i64::MAX, &hash, &well_formed),
        (seq + 2, &hash, &well_formed),
        (seq + 1, &well_formed, &well_formed),
        (seq + 1, &hash, &not_a_hash),
        (seq + 1, &hash, &other_content),
        (seq + 1, &hash, &hash),
    ];
    for (n, (seq, prev_hash, hash)) in sent.iter().enumerate() {
        let after = format!("{{\"n\":{n}}}");
        reporter.execute(append, &[seq, bo, &after, prev_hash, hash]).unwrap_or_else(|e| panic!("append {n}: {e}"));
    }
    let after = trail_now(&mut owner);
    assert_eq!(after.len(), before.len() + sent.len());
    assert_eq!(after[..before.len()], before[..], "the entries before are as they were");
    for (n, entry) in after[before.len()..].iter().enumerate() {
        assert_eq!(entry.seq, seq + 1 + i64::try_from(n).expect("small"), "numbered next: {entry:?}");
        assert_eq!(entry.after.as_deref(), Some(format!("{{\"n\":{n}}}").as_str()));
        assert_eq!(entry.hash, entry_hash(entry), "the hash of its content: {entry:?}");
    }
    let chain = verify_chain(&after);
    assert_eq!((chain.broken, chain.entries), (None, u64::try_from(after.len()).expect("count")));

    let review = trail.as_login(&trail.reporter);
    review.add_note(NoteTarget::Claim(trail.own_claim), "I called her twice.", None).expect("the reporter appends");
    assert!(review.verify_audit().expect("verify").broken.is_none());
    let editor = trail.as_login(&trail.editor);
    editor.set_status(trail.own_claim, ClaimStatus::Disputed).expect("the editor appends");
    assert!(editor.verify_audit().expect("verify").is_intact());
}

/// Issue 13, the last holes (migrations/postgres/0023), 1: the server checked an appended entry's hash for its
/// shape, not its value, so any login appended a correctly linked entry in its own name with a wrong hash, and
/// every later `audit verify` failed at it, for everyone. The server now hashes the entry itself (0027), as the
/// core does, hostile strings too, and Factdesk's own appends pass for every role. The tables' owner stays exempt
/// (`migrate-store` copies a trail as it is): an entry it writes with a wrong hash fails every login's verify.
#[test]
fn on_a_team_store_an_appended_entry_carries_the_hash_of_its_content() {
    use factdesk_core::audit::{entry_hash, AuditEntry};
    let trail = TeamTrail::new();
    let (mut reporter, _) = trail.reporter();
    let after = "{\"text\":\"Called the \\\"clerk\\\"\\n\u{1F4DE}\"}\u{7f}\u{2028}\t\u{1}";
    let at = "2026-12-01T09:00:00Z";
    let entity = format!("claim:{}", trail.own_claim.0);
    reporter
        .execute(
            "INSERT INTO audit_log (at, actor, action, entity, before, after, prev_hash, hash)
             VALUES ($1, current_user, 'note.add', $2, NULL, $3, '', repeat('0', 64))",
            &[&at, &entity, &after],
        )
        .expect("the entry, with a wrong hash replaced");
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let row = owner
        .query_one("SELECT seq, actor, prev_hash, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1", &[])
        .expect("the newest entry");
    let stored = AuditEntry {
        seq: row.get(0),
        // The server's time, not the one sent (0032).
        at: row.get(4),
        actor: row.get(1),
        action: "note.add".into(),
        entity,
        before: None,
        after: Some(after.into()),
        prev_hash: row.get(2),
        hash: row.get(3),
    };
    assert_eq!(stored.actor, trail.reporter);
    assert_eq!(stored.hash, entry_hash(&stored), "the core's hash of the content: {stored:?}");

    // Factdesk's own appends, for every role, the newest entry hidden from some of them or not.
    let own = NoteTarget::Claim(trail.own_claim);
    trail.as_login(&trail.editor).set_status(trail.own_claim, ClaimStatus::Disputed).expect("the editor");
    trail.as_login(&trail.reporter).add_note(own, "And the treasurer.", None).expect("the reporter");
    let theirs = NoteTarget::Claim(trail.others_claim);
    trail.as_login(&trail.other_reporter).add_note(theirs, "Minutes attached.", None).expect("the other reporter");
    trail.as_login(&trail.lawyer).add_note(own, "Check the wording.", None).expect("the lawyer");
    let everyone = [&trail.editor, &trail.lawyer, &trail.admin, &trail.reporter, &trail.other_reporter];
    for login in everyone {
        let report = trail.as_login(login).verify_audit().expect("verify");
        assert!(report.broken.is_none(), "{login}: {report:?}");
    }

    // The tables' owner writes an entry with a wrong hash (as `migrate-store` would copy one altered on disk):
    // taken, and every login's verify names it, checked here or by the server.
    let forged: i64 = owner
        .query_one(
            "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
             SELECT t.seq + 1, 'x', 'someone', 'source.add', 'source:1', NULL, NULL, t.hash, repeat('0', 64)
             FROM factdesk_audit_tail() t RETURNING seq",
            &[],
        )
        .expect("the owner is exempt")
        .get(0);
    for login in everyone {
        let report = trail.as_login(login).verify_audit().expect("verify");
        let broken = report.broken.unwrap_or_else(|| panic!("{login}: intact"));
        assert_eq!(broken.seq, Some(forged), "{login}: {broken:?}");
        assert!(broken.reason.contains("does not match its hash"), "{login}: {broken:?}");
    }
}

/// Issue 13, the tail (migrations/postgres/0027): 0019's `factdesk_audit_tail()` gave every appending login the
/// newest entry's number and hash, so a reporter polling it got the hash of each hidden entry while it was the
/// newest. No group may call it now, and a reporter appending after a hidden entry sends its content only: the
/// server links it to that entry's hash, which reaches the reporter neither through the tail nor the append (no
/// `RETURNING` of a hash column); the reporter's verify, the editor's and the owner's pass.
#[test]
fn on_a_team_store_a_reporter_appends_after_a_hidden_entry_without_being_given_its_hash() {
    let trail = TeamTrail::new();
    trail
        .as_login(&trail.editor)
        .add_note(NoteTarget::Claim(trail.others_claim), "Call the clerk.", None)
        .expect("the editor's note on the other reporter's claim: the newest entry, hidden from the reporter");
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let newest = |owner: &mut postgres::Client| -> (i64, String, String) {
        let row = owner
            .query_one("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &[])
            .expect("the newest entry");
        (row.get(0), row.get(1), row.get(2))
    };
    let (hidden_seq, _, hidden_hash) = newest(&mut owner);
    let (mut reporter, _) = trail.reporter();
    let hidden: i64 =
        reporter.query_one("SELECT count(*) FROM audit_log WHERE seq = $1", &[&hidden_seq]).expect("read").get(0);
    assert_eq!(hidden, 0, "the newest entry is hidden from the reporter");

    for login in [&trail.reporter, &trail.other_reporter, &trail.lawyer, &trail.admin, &trail.editor] {
        let error = connect_as(&trail, login).query("SELECT * FROM factdesk_audit_tail()", &[]).expect_err(login);
        assert_eq!(sqlstate(&error), Some("42501"), "{login}: {error}");
    }
    // The reporter's Factdesk is told of the entries it reads only.
    let store = Store::open(Path::new(&trail.db.url_as(&trail.reporter))).expect("login");
    assert!(store.newest_audit_seq().expect("newest").is_some_and(|seq| seq < hidden_seq));
    drop(store);
    // Its own entry's `prev_hash` is the hidden entry's hash: not read back with the append.
    for returning in ["prev_hash", "hash", "*"] {
        let append = format!(
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('x', current_user, 'source.add', 'source:1')
             RETURNING {returning}"
        );
        assert_refused(&mut reporter, &[(append.as_str(), &[])], "42501");
    }

    let review = trail.as_login(&trail.reporter);
    review.add_note(NoteTarget::Claim(trail.own_claim), "I called her twice.", None).expect("the reporter's append");
    let (seq, prev_hash, _) = newest(&mut owner);
    assert_eq!((seq, prev_hash), (hidden_seq + 1, hidden_hash), "linked to the hidden entry by the server");
    let report = review.verify_audit().expect("verify as the reporter");
    assert!(report.broken.is_none() && report.entries_not_read > 0, "{report:?}");
    assert!(trail.as_login(&trail.editor).verify_audit().expect("verify").is_intact());
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());
}

/// Issue 13, the last holes (migrations/postgres/0023), 2: 0019 gave every login the hashes of every entry, and
/// a readable entry's `prev_hash` is its hidden predecessor's hash, so a hidden entry of little entropy could be
/// guessed offline. A reporter now reads no hash column of the trail, the links are gone, and the hashes it is
/// given end before the first entry it may not read (every later one depends on it); the editor is given them
/// all. The reporter's verify still passes, the server answering for the rest.
#[test]
fn on_a_team_store_no_hash_of_an_entry_a_login_may_not_read_reaches_it() {
    let trail = TeamTrail::new();
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let links = |client: &mut postgres::Client, sql: &str| -> Vec<(i64, String, String)> {
        client.query(sql, &[]).expect(sql).iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect()
    };
    let all = links(&mut owner, "SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq");
    let (mut reporter, _) = trail.reporter();
    let readable: Vec<i64> =
        reporter.query("SELECT seq FROM audit_log ORDER BY seq", &[]).expect("seq").iter().map(|r| r.get(0)).collect();
    let first_hidden =
        (1..).zip(&readable).find(|(n, seq)| n != *seq).map(|(n, _)| n).expect("an entry hidden from the reporter");
    assert!(first_hidden > 1, "some entries come before it");

    for sql in ["SELECT hash FROM audit_log", "SELECT prev_hash FROM audit_log", "SELECT * FROM audit_log"] {
        let error = reporter.query(sql, &[]).expect_err(sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    }
    let error = reporter.query("SELECT * FROM factdesk_audit_links()", &[]).expect_err("0019's links");
    assert_eq!(sqlstate(&error), Some("42883"), "gone: {error}");
    let given = links(&mut reporter, "SELECT seq, prev_hash, hash FROM audit_log_hashes ORDER BY seq");
    let before_hidden = usize::try_from(first_hidden - 1).expect("index");
    assert_eq!(given, all[..before_hidden], "the hashes before the first hidden entry, and no other");
    assert_refused(
        &mut reporter,
        &[
            ("UPDATE audit_log_hashes SET hash = repeat('0', 64)", &[]),
            ("DELETE FROM audit_log_hashes", &[]),
            ("INSERT INTO audit_log_hashes VALUES (1000, '', '')", &[]),
        ],
        "42501",
    );
    assert_eq!(links(&mut connect_as(&trail, &trail.editor), "SELECT * FROM audit_log_hashes ORDER BY seq"), all);

    // What the reporter's Factdesk holds of the trail: no hash that depends on a hidden entry.
    let store = Store::open(Path::new(&trail.db.url_as(&trail.reporter))).expect("login");
    let entries = factdesk_core::audit::entries(&store, None).expect("entries");
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), readable);
    let depending: Vec<&String> = all[before_hidden..].iter().map(|(_, _, hash)| hash).collect();
    for entry in &entries {
        assert!(
            !depending.contains(&&entry.hash) && !depending.contains(&&entry.prev_hash),
            "entry {}: {entry:?}",
            entry.seq
        );
    }
    let report = trail.as_login(&trail.reporter).verify_audit().expect("verify");
    assert!(report.broken.is_none() && report.rows_not_compared, "{report:?}");
    // As many as the numbers it reads say there are (0032: the server no longer counts the others for it).
    assert_eq!(report.entries, u64::try_from(*readable.last().expect("some")).expect("count"));
    assert_eq!(report.entries_not_read, report.entries - u64::try_from(readable.len()).expect("count"));
    assert_eq!(report.entries_checked_by_server, report.entries - u64::try_from(before_hidden).expect("count"));
    let editors = trail.as_login(&trail.editor).verify_audit().expect("verify");
    assert!(editors.is_intact() && editors.entries_checked_by_server == 0, "{editors:?}");
}

/// Issue 13, 2: an entry hidden from the reporter, altered on the server (as its superuser), fails the
/// reporter's verify naming it: the server's verdict, which walks every entry, answers for it.
#[test]
fn on_a_team_store_a_tampered_hidden_entry_fails_a_reporters_verify() {
    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let entity = format!("claim:{}", trail.others_claim.0);
    let hidden: i64 = superuser
        .query_one("SELECT seq FROM audit_log WHERE entity = $1 AND action = 'claim.status'", &[&entity])
        .expect("the other reporter's claim's status change")
        .get(0);
    let (mut reporter, _) = trail.reporter();
    let seen: i64 =
        reporter.query_one("SELECT count(*) FROM audit_log WHERE seq = $1", &[&hidden]).expect("read").get(0);
    assert_eq!(seen, 0, "hidden from the reporter");
    assert!(trail.as_login(&trail.reporter).verify_audit().expect("verify").broken.is_none());

    superuser.execute("UPDATE audit_log SET at = at || ' ' WHERE seq = $1", &[&hidden]).expect("tamper");
    // The editor, who reads it, is told which and why; the reporter that it is one it may not read (0032).
    let report = trail.as_login(&trail.editor).verify_audit().expect("verify");
    let broken = report.broken.expect("the editor's: broken");
    assert_eq!(broken.seq, Some(hidden), "{broken:?}");
    assert!(broken.reason.contains("does not match its hash"), "{broken:?}");
    let report = trail.as_login(&trail.reporter).verify_audit().expect("verify");
    let broken = report.broken.expect("the reporter's: broken");
    assert_eq!(broken.seq, None, "{broken:?}");
    assert!(broken.reason.contains("an entry this login may not read"), "{broken:?}");
}

/// Finding 4: the vault's entries (`vault.init`, `vault.unlock`, `vault.grant`, … about `desk:N`) name who holds
/// the desk's key; as 0020's list of holders they are read by its holders, editors and the desk's admins, not by
/// its reporters or lawyer, whose `audit verify` still walks them by their links.
#[test]
fn on_a_team_store_the_vaults_entries_are_read_by_its_holders_editors_and_admins_only() {
    let trail = TeamTrail::new();
    let ed = trail.as_login(&trail.editor);
    let passphrase = SecretString::from("correct horse battery");
    ed.init_vault_with(trail.desk, &passphrase, KdfParams::DEFAULT).expect("vault");
    let vault_entries = |login: &str| -> Vec<String> {
        postgres::Client::connect(&trail.db.url_as(login), postgres::NoTls)
            .expect("connect")
            .query("SELECT action FROM audit_log WHERE action LIKE 'vault.%' ORDER BY seq", &[])
            .expect("audit_log")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    let editors = vault_entries(&trail.editor);
    assert!(editors.iter().any(|a| a == "vault.init"), "{editors:?}");
    assert_eq!(vault_entries(&trail.admin), editors, "the desk's admin");
    for login in [&trail.reporter, &trail.other_reporter, &trail.lawyer] {
        assert_eq!(vault_entries(login), Vec::<String>::new(), "{login} reads the vault's entries");
    }
    let report = trail.as_login(&trail.reporter).verify_audit().expect("verify as the reporter");
    assert!(report.broken.is_none() && report.entries_not_read > 0, "{report:?}");
}

/// Finding 4: a login the newsroom granted UPDATE on the trail directly (no Factdesk group has it) rewrites an
/// entry it reads without changing whose it is: the lawyer, who reads private notes, cannot make a private note's
/// entries public (readable by the admin) by clearing the note and draft they are about.
#[test]
fn on_a_team_store_a_login_granted_the_trail_directly_changes_no_entrys_readers() {
    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("GRANT UPDATE ON audit_log TO \"{}\"", trail.lawyer)).expect("grant");
    let subjects = |client: &mut postgres::Client| -> Vec<(i64, Option<i64>, Option<i64>)> {
        client
            .query("SELECT seq, draft_id, note_id FROM audit_log ORDER BY seq", &[])
            .expect("audit_log")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect()
    };
    let before = subjects(&mut superuser);
    let mut lawyer = postgres::Client::connect(&trail.db.url_as(&trail.lawyer), postgres::NoTls).expect("connect");
    let changed = lawyer
        .execute("UPDATE audit_log SET draft_id = NULL, note_id = NULL WHERE note_id IS NOT NULL", &[])
        .expect("the granted update");
    assert!(changed > 0);
    assert_eq!(subjects(&mut superuser), before);
    let mut admin = postgres::Client::connect(&trail.db.url_as(&trail.admin), postgres::NoTls).expect("connect");
    let private: i64 = admin
        .query_one("SELECT count(*) FROM audit_log WHERE after LIKE '%' || $1 || '%'", &[&PRIVATE_NOTE])
        .expect("audit_log")
        .get(0);
    assert_eq!(private, 0, "the admin reads the private note's entries");
}

/// Finding 4: `audit verify` on a team store asks the server's verdict on every entry (0023; 0019 gave the links
/// of every entry); a server that gives no verdict (as 0019's function gave no links to a login reading through
/// SET ROLE) makes verify fail, never report the chain intact. (The verdict no longer counts the entries, 0032:
/// it walks every entry committed before it is asked, which `audit verify` does after its own walk.)
#[test]
fn on_a_team_store_verify_fails_when_the_server_gives_no_verdict() {
    let trail = TeamTrail::new();
    let editor = trail.as_login(&trail.editor);
    assert!(editor.verify_audit().expect("verify").is_intact());
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(
            "CREATE OR REPLACE FUNCTION factdesk_audit_verdict(OUT intact BOOLEAN, OUT broken_seq BIGINT, OUT reason TEXT)
             LANGUAGE sql VOLATILE AS $$ SELECT NULL::BOOLEAN, NULL::BIGINT, NULL::TEXT $$",
        )
        .expect("a server answering nothing");
    let error = editor.verify_audit().expect_err("no verdict");
    assert!(error.to_string().contains("the server gave no verdict"), "{error}");
}

/// Security review after 0021, finding 1: deleting a vault's row (or a source) cascaded as the tables' owner past
/// every rule, taking every wrapping of the desk's key, the recovery key's too, or a source's sealed identity and
/// its links to claims the login may not see. Factdesk never deletes those rows (0022): the server refuses it; a
/// vault's generation is changed only by whom may give its key, and sealed fields only on one's own desk.
#[test]
fn on_a_team_store_no_group_deletes_a_vault_a_source_or_what_cascades_from_them() {
    let trail = TeamTrail::new();
    // A standards editor sets the vault up and holds its key; the editor holds no wrapping of it.
    let standards = unique("sue");
    {
        let store = lock(&trail.owner);
        let owner_login = store.team_actor().expect("login");
        let verifier = rights::login_verifier(b"not asked by the test server");
        let now = chrono::Utc::now();
        rights::add_person(&store, trail.desk, &standards, Role::StandardsEditor, &owner_login, now, Some(&verifier))
            .expect("add");
    }
    let passphrase = SecretString::from("correct horse battery");
    let holder = trail.as_login(&standards);
    holder.init_vault_with(trail.desk, &passphrase, KdfParams::DEFAULT).expect("vault");
    let mut editor = connect_as(&trail, &trail.editor);
    for sql in [
        "DELETE FROM vaults",
        "UPDATE vaults SET created_by = 'ed'",
        "DELETE FROM sources",
        "DELETE FROM claim_sources",
        "DELETE FROM source_confidential",
    ] {
        denied(&mut editor, sql);
    }
    let mut reporter = connect_as(&trail, &trail.reporter);
    for sql in ["DELETE FROM sources", "DELETE FROM claim_sources", "DELETE FROM vaults"] {
        denied(&mut reporter, sql);
    }
    // The editor holds no wrapping of this vault's key: a new generation would lock every holder out.
    let moved = editor
        .execute("UPDATE vaults SET generation = generation + 1 WHERE desk_id = $1", &[&trail.desk.0])
        .expect("update");
    assert_eq!(moved, 0, "an editor without the key changed the vault's generation");
    // The holder's Factdesk still rotates the key (a new generation, after its wrappings were forgotten).
    holder.rotate_vault_key(trail.desk, &passphrase).expect("the holder rotates the key");
    let generation: i64 = editor
        .query_one("SELECT generation FROM vaults WHERE desk_id = $1", &[&trail.desk.0])
        .expect("generation")
        .get(0);
    assert_eq!(generation, 2);

    // Another desk's sealed fields, which this editor is not on.
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let other_desk: i64 = superuser
        .query_one("INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/other', 'x', 'x') RETURNING id", &[])
        .expect("desk")
        .get(0);
    superuser
        .execute(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, 'zoe', 'standards-editor', 'x', 'x')",
            &[&other_desk],
        )
        .expect("person");
    let source: i64 = superuser
        .query_one(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
             VALUES ($1, 'a clerk', 'unnamed', 'zoe', 'x', 'zoe', 'x') RETURNING id",
            &[&other_desk],
        )
        .expect("source")
        .get(0);
    superuser
        .execute(
            "INSERT INTO source_sealed (source_id, field, nonce, ciphertext)
             VALUES ($1, 'identity', decode(repeat('00', 24), 'hex'), '\\x01')",
            &[&source],
        )
        .expect("sealed");
    let gone = editor.execute("DELETE FROM source_sealed WHERE source_id = $1", &[&source]).expect("delete");
    assert_eq!(gone, 0, "an editor deleted another desk's sealed identity");
    let gone = editor
        .execute("UPDATE source_sealed SET ciphertext = '\\x02' WHERE source_id = $1", &[&source])
        .expect("update");
    assert_eq!(gone, 0, "an editor rewrote another desk's sealed identity");
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

/// Issue 13, left by the last session: a source's removal and restore entries listed the claims its links went
/// from and came back to, another reporter's among them, in entries about the source that every login reads. Each
/// such link now has its own entry about its claim (`claim.unlink` / `claim.link-restore`, `with` the source),
/// which the server holds to those who may see that claim; the source's entries name no claim, and undoing the
/// removal, each claim's history and `audit verify` work as before, for the editor and for the reporter.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_sources_removal_tells_a_reporter_nothing_of_the_claims_they_may_not_see() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = TeamDesk::new();
    let ed = unique("ed");
    team.staff(&[(&ed, Role::Editor)]);
    let editor = team.review_as(&ed);
    let own_claim = editor.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = editor.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let source = editor
        .add_source(
            team.desk.id(),
            &NewSource {
                descriptor: "a council clerk".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    editor.link_source(own_claim, source, SourceRole::Attributed).expect("link");
    editor.link_source(others_claim, source, SourceRole::Corroborates).expect("link");
    editor.remove_source(source, true).expect("remove with its links");
    editor.restore_source(source).expect("and undo it");
    assert_eq!(editor.claim_sources(others_claim).expect("links").len(), 1, "the link came back with the source");

    let reporter = team.review_as(&team.bo);
    let trail = reporter.audit_trail(None).expect("the trail the reporter reads");
    let hidden = others_claim.0.to_string();
    for entry in &trail {
        let side = |side: &Option<String>| side.clone().unwrap_or_default();
        let text = format!("{} {} {}", entry.entity, side(&entry.before), side(&entry.after));
        assert!(
            !text.contains(&format!("claim:{hidden}")) && !text.contains(&format!("\"claim\":{hidden}")),
            "entry {} ({}) names the other reporter's claim: {text}",
            entry.seq,
            entry.action
        );
    }
    let source_entity = format!("source:{}", source.0);
    let about_source: Vec<&str> =
        trail.iter().filter(|e| e.entity == source_entity).map(|e| e.action.as_str()).collect();
    assert_eq!(about_source, ["source.add", "source.remove", "source.restore"], "the register's entries");
    let history: Vec<String> = factdesk_core::audit_labels::claim_changes(&reporter, own_claim)
        .expect("their own claim's history")
        .into_iter()
        .map(|change| change.sentence)
        .collect();
    assert_eq!(
        history[history.len() - 2..],
        [
            format!("Link to a council clerk removed with the source by {ed}"),
            format!("Link to a council clerk restored with the source by {ed}")
        ],
        "{history:?}"
    );
    let others_history: Vec<String> = factdesk_core::audit_labels::claim_changes(&editor, others_claim)
        .expect("history")
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(others_history[others_history.len() - 2..], ["claim.unlink", "claim.link-restore"]);
    for (who, review) in [("editor", &editor), ("reporter", &reporter)] {
        let report = review.verify_audit().expect("verify");
        assert!(report.is_intact(), "{who}: {report:?}");
    }
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

/// Review session 8, finding 2 (its first half): `source_confidential` was read by every editor's and standards
/// editor's login, whatever desk they are on, so an editor of one desk read the plain identity and contact of
/// every unnamed source of every other desk of the server (a desk without a vault). Now (0028) a login reads a
/// source's confidential row only where it may record it: as an editor or standards editor of the source's desk.
/// The register's "which fields are recorded" (the view) and Factdesk's reveal work as before for the desk's
/// own people. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_an_editor_of_one_desk_reads_no_identity_of_another_desks_sources() {
    let team = TeamDesk::new();
    let (ed, sue, xed, xsue) = (unique("ed"), unique("sue"), unique("xed"), unique("xsue"));
    let secret = "Jane Roe, deputy clerk";
    let unnamed = NewSource {
        descriptor: "a council clerk".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential {
            identity: Some(secret.into()),
            contact: Some("0100 200".into()),
            editor_knows: Some(ed.clone()),
            ..Confidential::default()
        }),
    };
    let source = team.owner_review().add_source(team.desk.id(), &unnamed).expect("source");
    team.staff(&[(&ed, Role::Editor), (&sue, Role::StandardsEditor)]);
    // An editor and a standards editor of another desk of the server only.
    let (_other_tmp, _other, _other_draft) =
        another_desk(&team, &[(&xed, Role::Editor), (&xsue, Role::StandardsEditor)]);

    let identities_read = |login: &str| -> Vec<Option<String>> {
        team.connect(login)
            .query(
                "SELECT c.identity FROM source_confidential c JOIN sources s ON s.id = c.source_id
                 WHERE s.desk_id = $1",
                &[&team.desk.id().0],
            )
            .expect("read")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    for login in [&xed, &xsue] {
        assert_eq!(identities_read(login), Vec::<Option<String>>::new(), "{login} read another desk's identities");
    }
    assert_eq!(identities_read(&ed), vec![Some(secret.to_owned())]);
    assert_eq!(identities_read(&sue), vec![Some(secret.to_owned())]);
    // Factdesk's own reads on the source's desk: the named editor and the standards editor reveal it; the
    // register tells the reporter an identity is recorded (never what).
    assert_eq!(team.review_as(&ed).reveal_source(source).expect("reveal").identity.as_deref(), Some(secret));
    assert_eq!(team.review_as(&sue).reveal_source(source).expect("reveal").contact.as_deref(), Some("0100 200"));
    let seen_by_reporter = team.review_as(&team.bo).source(source).expect("the register");
    assert!(seen_by_reporter.confidential.identity && seen_by_reporter.confidential.contact);
    assert!(team.review_as(&xsue).reveal_source(source).is_err(), "another desk's standards editor reveals nothing");
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

/// Security review session 8, finding 5: a reporter's "in use" check counted only the links it sees, so it
/// removed a source other reporters' claims cite. The server refuses the removal while any live claim cites the
/// source (counted as the tables' owner), and Factdesk says so before trying, with counts and no ids; with its
/// links, a reporter cannot unlink claims it does not see either. The reporter who sees every citing claim does.
#[test]
fn on_a_team_store_a_reporter_cannot_remove_a_source_cited_by_claims_they_cannot_see() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = TeamDesk::new();
    let review = team.owner_review();
    let own_claim = review.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = review.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let source = council_source(&team);
    review.link_source(own_claim, source, SourceRole::Attributed).expect("link own");
    review.link_source(others_claim, source, SourceRole::Attributed).expect("link other's");
    team.staff(&[]);
    let bo = team.review_as(&team.bo);

    for with_links in [false, true] {
        let refused = bo.remove_source(source, with_links).expect_err("cited by a claim bo does not see");
        let message = refused.to_string();
        assert!(message.contains("cited by 2 claims, 1 of which you may not see"), "{message}");
        assert!(!message.contains(&format!("claim {others_claim}")), "no id of a hidden claim: {message}");
    }
    // Straight at the tables, as with psql: refused by the server, with counts and no ids.
    let mut reporter = team.connect(&team.bo);
    let error = reporter
        .execute("UPDATE sources SET removed_at = 'x', removed_by = 'x' WHERE id = $1", &[&source.0])
        .expect_err("the server refuses the removal");
    assert_eq!(sqlstate(&error), Some("23001"), "{error}");
    let message = error.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("cited by 2 claims, 1 of which you may not see"), "{message}");
    reporter
        .execute(
            "UPDATE claim_sources SET removed_at = 'x', removed_by = 'x' WHERE source_id = $1 AND claim_id = $2",
            &[&source.0, &own_claim.0],
        )
        .expect("bo unlinks their own claim");
    let error = reporter
        .execute("UPDATE sources SET removed_at = 'x', removed_by = 'x' WHERE id = $1", &[&source.0])
        .expect_err("still cited by the other reporter's claim");
    assert_eq!(sqlstate(&error), Some("23001"), "{error}");
    let message = error.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("cited by 1 claim, 1 of which you may not see"), "{message}");
    reporter
        .execute("UPDATE claim_sources SET removed_at = NULL, removed_by = NULL WHERE claim_id = $1", &[&own_claim.0])
        .expect("bo links their claim again");
    let live: i64 = team
        .connect(&team.cy)
        .query_one("SELECT count(*) FROM sources WHERE id = $1 AND removed_at IS NULL", &[&source.0])
        .expect("source")
        .get(0);
    assert_eq!(live, 1, "the source is still on the register");

    // The other reporter sees only their own citing claim too: refused the same way.
    let cy = team.review_as(&team.cy);
    let refused = cy.remove_source(source, true).expect_err("bo's claim is hidden from cy");
    assert!(refused.to_string().contains("cited by 2 claims, 1 of which you may not see"), "{refused}");
    // Once bo's claim no longer cites it, cy removes it with their link.
    bo.unlink_source(own_claim, source).expect("bo unlinks");
    let refused = cy.remove_source(source, false).expect_err("cy's own claim cites it");
    assert!(matches!(refused, SourcingError::SourceInUse { .. }), "{refused:?}");
    cy.remove_source(source, true).expect("cy sees every citing claim");
}

/// Security review session 8, finding 6: who added, changed or removed a row was the client's word, so a
/// reporter's login could write a change in the standards editor's name. For a login in Factdesk's groups the
/// server records the login itself; the store's owner (`migrate-store` copying history) keeps what it writes.
#[test]
fn on_a_team_store_a_login_writes_changes_only_in_its_own_name() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = TeamDesk::new();
    let review = team.owner_review();
    let own_claim = review.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let source = council_source(&team);
    team.staff(&[]);
    let mut reporter = team.connect(&team.bo);
    let desk = team.desk.id().0;
    let one = |client: &mut postgres::Client, sql: &str, id: i64| -> String {
        client.query_one(sql, &[&id]).expect(sql).get(0)
    };

    reporter
        .execute("UPDATE sources SET descriptor = 'a clerk', updated_by = 'standards-ed' WHERE id = $1", &[&source.0])
        .expect("bo edits the source");
    assert_eq!(one(&mut reporter, "SELECT updated_by FROM sources WHERE id = $1", source.0), team.bo);
    let added: i64 = reporter
        .query_one(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
                 VALUES ($1, 'a driver', 'other', 'editor', 'now', 'editor', 'now') RETURNING id",
            &[&desk],
        )
        .expect("bo adds a source")
        .get(0);
    let names = one(&mut reporter, "SELECT created_by || ' ' || updated_by FROM sources WHERE id = $1", added);
    assert_eq!(names, format!("{0} {0}", team.bo));
    reporter
        .execute(
            "INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at) VALUES ($1, $2, 'attributed', 'editor', 'now')",
            &[&own_claim.0, &added],
        )
        .expect("bo links their claim");
    assert_eq!(one(&mut reporter, "SELECT linked_by FROM claim_sources WHERE source_id = $1", added), team.bo);
    reporter
        .execute("UPDATE claim_sources SET removed_at = 'now', removed_by = 'editor' WHERE source_id = $1", &[&added])
        .expect("bo unlinks");
    let names =
        one(&mut reporter, "SELECT linked_by || ' ' || removed_by FROM claim_sources WHERE source_id = $1", added);
    assert_eq!(names, format!("{0} {0}", team.bo), "the link's adder is kept, its remover is bo");
    reporter
        .execute("UPDATE sources SET removed_at = 'now', removed_by = 'editor' WHERE id = $1", &[&added])
        .expect("bo removes the source no live claim cites");
    assert_eq!(one(&mut reporter, "SELECT removed_by FROM sources WHERE id = $1", added), team.bo);
    reporter
        .execute("UPDATE sources SET removed_at = NULL, removed_by = NULL WHERE id = $1", &[&added])
        .expect("bo restores it");
    let removed_by: Option<String> =
        reporter.query_one("SELECT removed_by FROM sources WHERE id = $1", &[&added]).expect("source").get(0);
    assert_eq!(removed_by, None, "a restore leaves no remover");
    reporter
        .execute(
            "INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at)
                 VALUES ($1, 'document', 'minutes.pdf', 'Minutes', TRUE, 'editor', 'now')",
            &[&own_claim.0],
        )
        .expect("bo adds evidence");
    assert_eq!(one(&mut reporter, "SELECT added_by FROM evidence WHERE claim_id = $1", own_claim.0), team.bo);
    reporter
        .execute(
            "INSERT INTO notes (claim_id, text, author, created_at) VALUES ($1, 'Checked.', 'editor', 'now')",
            &[&own_claim.0],
        )
        .expect("bo writes a note");
    assert_eq!(one(&mut reporter, "SELECT author FROM notes WHERE claim_id = $1", own_claim.0), team.bo);
    reporter
        .execute("UPDATE claims SET updated_by = 'editor', status = 'disputed' WHERE id = $1", &[&own_claim.0])
        .expect("bo changes their claim");
    assert_eq!(one(&mut reporter, "SELECT updated_by FROM claims WHERE id = $1", own_claim.0), team.bo);

    // Through Factdesk, each change is recorded as the login, the name every surface shows.
    team.review_as(&team.bo).link_source(own_claim, source, SourceRole::Attributed).expect("link");
    assert_eq!(one(&mut reporter, "SELECT linked_by FROM claim_sources WHERE source_id = $1", source.0), team.bo);
    // The owner's writes keep the name it gives (the history `migrate-store` copies).
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    owner
        .execute("UPDATE sources SET updated_by = 'a name from the copied history' WHERE id = $1", &[&source.0])
        .expect("owner");
    assert_eq!(
        one(&mut owner, "SELECT updated_by FROM sources WHERE id = $1", source.0),
        "a name from the copied history"
    );
}

/// Review session 8, finding 10: the audit trigger took any member of the owner's role for the owner (its own
/// numbering, its own hashes, any actor). A login granted the owner's role is now the login it is.
#[test]
fn on_a_team_store_a_member_of_the_owners_role_appends_no_audit_entry_in_anyones_name() {
    let store = OwnedStore::new();
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("GRANT \"{}\" TO \"{}\"", store.owner, store.adm))
        .expect("a membership from before 0031");
    let mut client = store.connect(&store.adm);
    let error = client
        .batch_execute(&format!(
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('2026-12-02T00:00:00Z', '{}', 'person.add', 'desk:{}')",
            store.owner, store.desk.0
        ))
        .expect_err("an entry in the owner's name");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
    // An entry of its own with a hash of its choosing: the server numbers, links and hashes it itself.
    let forged = "ab".repeat(32);
    client
        .batch_execute(&format!(
            "INSERT INTO audit_log (seq, at, actor, action, entity, prev_hash, hash)
             VALUES (1000000, '2026-12-02T00:00:00Z', '{}', 'person.add', 'desk:{}', '{forged}', '{forged}')",
            store.adm, store.desk.0
        ))
        .expect("an entry of its own");
    let (seq, hash): (i64, String) = superuser
        .query_one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &[])
        .map(|row| (row.get(0), row.get(1)))
        .expect("newest");
    assert!(seq < 1_000_000 && hash != forged, "linked by the server: {seq} {hash}");
    // The owner herself still appends (her `people add`s above) and copies as before.
    let entries =
        factdesk_core::store::postgres::PgStore::connect(&store.db.url_as(&store.owner).parse().expect("url"))
            .expect("owner")
            .audit_entries(None)
            .expect("trail");
    assert!(factdesk_core::audit::verify_chain(&entries).broken.is_none());
}

/// An entry appended by `client` in plain SQL, as any login of a group may: its content only (the server links it).
const PLAIN_APPEND: &str = "INSERT INTO audit_log (at, actor, action, entity, after)
     VALUES ('2020-01-01T00:00:00Z', current_user, 'source.add', 'source:1', '{}')";

/// Review session 8, finding 4: the audit trigger serialized appends on a public advisory key (0019-0027): any
/// login that may connect, in no group too, took `pg_advisory_lock(5071444006361457780)` and every audited write
/// waited forever. Appends are serialized on a row of a table no group may lock or read (0032): the old key
/// blocks nothing, and the lock's table is refused to the groups and to a bare login.
#[test]
fn on_a_team_store_a_login_holding_the_old_audit_lock_key_blocks_no_write() {
    let trail = TeamTrail::new();
    let stranger = unique("zed");
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN")).expect("a bare login");
    let mut holder = connect_as(&trail, &stranger);
    holder.batch_execute("SELECT pg_advisory_lock(5071444006361457780)").expect("any login takes the old key");

    let written = add_note_in_background(&trail, &trail.reporter, trail.own_claim, "Called her twice.");
    let outcome = written.recv_timeout(std::time::Duration::from_secs(30));
    drop(holder); // a write stuck behind the key (before 0032) ends with it
    assert!(matches!(outcome, Ok(Ok(()))), "the reporter's write, with the old key held: {outcome:?}");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());

    // The lock itself is no group's to take, nor a bare login's: only the server's functions lock its row.
    for login in [&stranger, &trail.reporter, &trail.editor, &trail.admin] {
        let mut client = connect_as(&trail, login);
        assert_refused(
            &mut client,
            &[
                ("SELECT * FROM audit_append_lock FOR UPDATE", &[]),
                ("SELECT * FROM audit_append_lock FOR KEY SHARE", &[]),
                ("LOCK TABLE audit_append_lock IN ACCESS EXCLUSIVE MODE", &[]),
                ("UPDATE audit_append_lock SET held = TRUE", &[]),
                ("DELETE FROM audit_append_lock", &[]),
            ],
            "42501",
        );
    }
    // A login that may not append is not given the lock either.
    let error = connect_as(&trail, &stranger).query("SELECT factdesk_audit_lock()", &[]).expect_err("a bare login");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
}

/// Review session 8, finding 4: appends still wait for each other (one chain, no fork). A login of a group with an
/// entry appended in an open transaction holds the next append until it ends; the second then links to it.
#[test]
fn on_a_team_store_an_append_waits_for_an_open_one_and_links_after_it() {
    let trail = TeamTrail::new();
    let mut first = connect_as(&trail, &trail.editor);
    let mut open = first.transaction().expect("transaction");
    open.execute(PLAIN_APPEND, &[]).expect("the editor's append, not yet committed");

    let written = add_note_in_background(&trail, &trail.reporter, trail.own_claim, "Called her twice.");
    let waited = written.recv_timeout(std::time::Duration::from_secs(2));
    assert!(waited.is_err(), "the reporter's write waits for the editor's open append: {waited:?}");
    open.commit().expect("commit");
    let outcome = written.recv_timeout(std::time::Duration::from_secs(30));
    assert!(matches!(outcome, Ok(Ok(()))), "{outcome:?}");

    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let newest: Vec<(i64, String, String, String)> = owner
        .query("SELECT seq, actor, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 2", &[])
        .expect("newest")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let (reporters, editors) = (&newest[0], &newest[1]);
    assert_eq!((&editors.1, &reporters.1), (&trail.editor, &trail.reporter), "the editor's first: {newest:?}");
    assert_eq!((reporters.0, &reporters.2), (editors.0 + 1, &editors.3), "linked after the editor's: no fork");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());
}

/// Review session 8, finding 4: a login of a group holding the audit lock (an append left open in its
/// transaction) no longer stalls every other writer for good: after the server's lock timeout (5 s) the writer
/// is told the trail is busy, nothing of its change is saved, and its next try, once the holder has gone, is.
#[test]
fn on_a_team_store_a_writer_stuck_behind_a_held_audit_lock_is_told_the_trail_is_busy() {
    let trail = TeamTrail::new();
    let mut holder = connect_as(&trail, &trail.editor);
    let mut open = holder.transaction().expect("transaction");
    open.execute(PLAIN_APPEND, &[]).expect("the editor's append, left open");

    let started = std::time::Instant::now();
    let written = add_note_in_background(&trail, &trail.reporter, trail.own_claim, "Called her twice.");
    let outcome = written.recv_timeout(std::time::Duration::from_secs(30));
    let waited = started.elapsed();
    open.rollback().expect("the holder goes");
    let error = match outcome {
        Ok(Err(error)) => error,
        other => panic!("the reporter's write behind a held lock: {other:?}"),
    };
    assert!(error.contains("the audit trail is busy") && error.contains("try again"), "{error}");
    assert!(waited >= std::time::Duration::from_secs(4), "it waited for the lock first: {waited:?}");
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let saved: i64 =
        owner.query_one("SELECT count(*) FROM notes WHERE text = 'Called her twice.'", &[]).expect("notes").get(0);
    assert_eq!(saved, 0, "nothing of the refused change was saved");

    let again = add_note_in_background(&trail, &trail.reporter, trail.own_claim, "Called her twice.");
    let outcome = again.recv_timeout(std::time::Duration::from_secs(30));
    assert!(matches!(outcome, Ok(Ok(()))), "{outcome:?}");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());
}

/// Review session 8, finding 7: the server linked and hashed a group login's entry but kept the `at` it sent, so
/// a reporter backdated an entry (out of order with its neighbours) and the server hashed it as genuine. An entry
/// a group login appends, in plain SQL or through Factdesk on a clock set back, carries the server's time, in the
/// core's form (`clock::to_rfc3339`: UTC, whole seconds, `Z`); the owner's entries keep theirs (`migrate-store`
/// copies a trail as it was written).
#[test]
fn on_a_team_store_a_backdated_entry_of_a_group_login_carries_the_servers_time() {
    let trail = TeamTrail::new();
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let server_now = |owner: &mut postgres::Client| -> chrono::DateTime<chrono::Utc> {
        let seconds: f64 =
            owner.query_one("SELECT CAST(extract(epoch FROM clock_timestamp()) AS float8)", &[]).expect("now").get(0);
        #[allow(clippy::cast_possible_truncation)]
        chrono::DateTime::from_timestamp(seconds.floor() as i64, 0).expect("a time")
    };
    let newest_at = |owner: &mut postgres::Client| -> (String, String) {
        let row = owner.query_one("SELECT actor, at FROM audit_log ORDER BY seq DESC LIMIT 1", &[]).expect("newest");
        (row.get(0), row.get(1))
    };
    let in_core_form = |at: &str| -> chrono::DateTime<chrono::Utc> {
        let parsed = chrono::DateTime::parse_from_rfc3339(at).expect(at).with_timezone(&chrono::Utc);
        assert_eq!(factdesk_core::clock::to_rfc3339(parsed), at, "the core's form");
        parsed
    };
    let long_ago =
        chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z").expect("time").with_timezone(&chrono::Utc);
    let second = chrono::Duration::seconds(1);

    let before = server_now(&mut owner);
    connect_as(&trail, &trail.reporter).execute(PLAIN_APPEND, &[]).expect("a plain append, backdated");
    let (actor, at) = newest_at(&mut owner);
    assert_eq!(actor, trail.reporter);
    let at = in_core_form(&at);
    assert!(at >= before - second && at <= server_now(&mut owner), "{at} is the server's time, not 2020");

    let store = Store::open(Path::new(&trail.db.url_as(&trail.reporter))).expect("login").shared();
    let backdated = Review::new(store, Arc::new(FixedClock::new(long_ago)), trail.reporter.clone());
    let before = server_now(&mut owner);
    backdated.add_note(NoteTarget::Claim(trail.own_claim), "Called her twice.", None).expect("note");
    let (actor, at) = newest_at(&mut owner);
    assert_eq!(actor, trail.reporter);
    let at = in_core_form(&at);
    assert!(at >= before - second && at <= server_now(&mut owner), "{at} is the server's time, not 2020");

    let owners = Review::new(trail.owner.clone(), Arc::new(FixedClock::new(long_ago)), "owner".into());
    owners.add_note(NoteTarget::Claim(trail.own_claim), "The owner's.", None).expect("note");
    assert_eq!(newest_at(&mut owner).1, "2020-01-01T00:00:00Z", "the owner's entry keeps its time");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact(), "hashed over the server's time");
}

/// The server's verdict as `client`'s login is told it: (intact, the broken entry's number, why).
fn server_verdict(client: &mut postgres::Client) -> (bool, Option<i64>, Option<String>) {
    let row =
        client.query_one("SELECT intact, broken_seq, reason FROM factdesk_audit_verdict()", &[]).expect("verdict");
    (row.get(0), row.get(1), row.get(2))
}

/// Review session 8, finding 8: `factdesk_audit_verdict()` told a login how many entries the whole trail held
/// (comparing with those it reads, how many it may not read: activity on other desks) and the number of a broken
/// entry it may not read. It now answers intact, or broken at an entry the login reads (its number and why), or
/// "at an entry you may not read": the answer is the same whatever is appended out of the login's sight, and the
/// tables it is kept in are no login's.
#[test]
fn on_a_team_store_the_servers_verdict_tells_a_login_nothing_of_the_entries_it_may_not_read() {
    let trail = TeamTrail::new();
    let (mut reporter, _) = trail.reporter();
    let mut editor = connect_as(&trail, &trail.editor);
    let columns: Vec<String> = reporter
        .prepare("SELECT * FROM factdesk_audit_verdict()")
        .expect("verdict")
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(columns, ["intact", "broken_seq", "reason"], "no count");
    assert_eq!(server_verdict(&mut reporter), (true, None, None));

    // Entries the reporter may not read, appended after the newest it reads: nothing it is told changes.
    for text in ["Call the clerk.", "And the treasurer."] {
        trail.as_login(&trail.editor).add_note(NoteTarget::Claim(trail.others_claim), text, None).expect("note");
        assert_eq!(server_verdict(&mut reporter), (true, None, None));
    }
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let hidden: i64 = superuser.query_one("SELECT max(seq) FROM audit_log", &[]).expect("newest").get(0);
    let seen: i64 =
        reporter.query_one("SELECT count(*) FROM audit_log WHERE seq = $1", &[&hidden]).expect("read").get(0);
    assert_eq!(seen, 0, "the newest entry is hidden from the reporter");

    // The newest entry, hidden from the reporter, altered: broken, at an entry it may not read, no number.
    superuser.execute("UPDATE audit_log SET at = at || ' ' WHERE seq = $1", &[&hidden]).expect("tamper");
    assert_eq!(server_verdict(&mut reporter), (false, None, Some("at an entry you may not read".to_owned())));
    let (intact, seq, reason) = server_verdict(&mut editor);
    assert_eq!((intact, seq), (false, Some(hidden)), "the editor reads it: {reason:?}");
    // An entry the reporter reads, before it, altered too: the first broken, told with its number and why.
    let readable: i64 = reporter.query_one("SELECT min(seq) FROM audit_log", &[]).expect("oldest").get(0);
    superuser.execute("UPDATE audit_log SET at = at || ' ' WHERE seq = $1", &[&readable]).expect("tamper");
    let (intact, seq, reason) = server_verdict(&mut reporter);
    assert_eq!((intact, seq), (false, Some(readable)));
    assert!(reason.is_some_and(|r| r.contains("does not match its hash")));

    // What the verdict is made from is the server's own.
    for login in [&trail.reporter, &trail.editor, &trail.admin] {
        assert_refused(
            &mut connect_as(&trail, login),
            &[
                ("SELECT * FROM audit_verified_head", &[]),
                ("SELECT * FROM audit_verdicts", &[]),
                ("UPDATE audit_verified_head SET seq = 0", &[]),
                ("INSERT INTO audit_verdicts (backend) VALUES (pg_backend_pid())", &[]),
                ("SELECT * FROM audit_rewrites", &[]),
                ("INSERT INTO audit_rewrites DEFAULT VALUES", &[]),
            ],
            "42501",
        );
    }
}

/// How many entries a verdict asked by `client` hashes, and whether it found the trail intact: the server's count
/// of calls of the hash, before and after it, in the transaction asking (PostgreSQL 15 keeps counts of earlier
/// transactions there until it reports them).
fn hashed_by_a_verdict(client: &mut postgres::Client) -> (i64, bool) {
    let mut tx = client.transaction().expect("transaction");
    tx.batch_execute("SET LOCAL track_functions = 'all'").expect("track functions");
    let calls = |tx: &mut postgres::Transaction<'_>| -> i64 {
        tx.query_one(
            "SELECT CAST(coalesce(sum(calls), 0) AS BIGINT) FROM pg_stat_xact_user_functions
             WHERE funcname = 'factdesk_audit_hash'",
            &[],
        )
        .expect("calls")
        .get(0)
    };
    let before = calls(&mut tx);
    let intact: bool = tx.query_one("SELECT intact FROM factdesk_audit_verdict()", &[]).expect("verdict").get(0);
    let after = calls(&mut tx);
    tx.commit().expect("commit");
    (after - before, intact)
}

/// Review session 8, finding 8: `SELECT factdesk_audit_verdict() FROM generate_series(1, 50)` re-hashed the whole
/// trail at every call, for any login: a CPU sink on a shared server. The server remembers the head it last
/// verified: a second call hashes only the entries appended since, and a rewrite of the trail makes the next walk
/// start over (so an entry altered after it was verified is still found).
#[test]
fn on_a_team_store_a_second_verdict_hashes_only_the_entries_appended_since() {
    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let count = |client: &mut postgres::Client| -> i64 {
        client.query_one("SELECT count(*) FROM audit_log", &[]).expect("count").get(0)
    };
    let entries = count(&mut superuser);
    assert!(entries > 5, "{entries}");
    let (first, intact) = hashed_by_a_verdict(&mut superuser);
    assert!(intact && first <= entries, "{first} of {entries}");
    assert_eq!(hashed_by_a_verdict(&mut superuser), (0, true), "nothing appended since: nothing hashed");

    let reporter = trail.as_login(&trail.reporter);
    reporter.add_note(NoteTarget::Claim(trail.own_claim), "Called her twice.", None).expect("note");
    reporter.add_note(NoteTarget::Claim(trail.own_claim), "And the treasurer.", None).expect("note");
    let appended = count(&mut superuser) - entries;
    assert_eq!(hashed_by_a_verdict(&mut superuser), (appended, true), "only those appended since");
    // From any login: the reporter's own verdicts hash nothing more.
    let (mut reporter_client, _) = trail.reporter();
    assert_eq!(server_verdict(&mut reporter_client), (true, None, None));
    assert_eq!(hashed_by_a_verdict(&mut superuser), (0, true));

    // An old entry rewritten: the next verdict walks the whole trail again and finds it.
    superuser.execute("UPDATE audit_log SET actor = actor || ' ' WHERE seq = 2", &[]).expect("tamper");
    let (calls, intact) = hashed_by_a_verdict(&mut superuser);
    assert!(!intact && calls == 2, "walked from the first entry to the altered one: {calls}");
}

/// Review session 8, finding 8, the guard's own lock: a login that keeps a verdict open in its transaction (the
/// verified head's row locked to record it) holds no other login's verdict up, nor any write.
#[test]
fn on_a_team_store_a_verdict_left_open_holds_no_other_verdict_or_write_up() {
    let trail = TeamTrail::new();
    let (mut reporter, _) = trail.reporter();
    let mut open = reporter.transaction().expect("transaction");
    let intact: bool = open.query_one("SELECT intact FROM factdesk_audit_verdict()", &[]).expect("verdict").get(0);
    assert!(intact);

    let url = trail.db.url_as(&trail.editor);
    let editors = in_background(move || {
        let mut editor = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        server_verdict(&mut editor)
    });
    let outcome = editors.recv_timeout(std::time::Duration::from_secs(20));
    let written = add_note_in_background(&trail, &trail.editor, trail.own_claim, "Called her twice.");
    let write = written.recv_timeout(std::time::Duration::from_secs(20));
    open.rollback().expect("the reporter's verdict ends");
    assert_eq!(outcome.ok(), Some((true, None, None)), "the editor's verdict, the reporter's still open");
    assert!(matches!(write, Ok(Ok(()))), "{write:?}");
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

/// Issue 13, left by the last session: a source removed with its links by an editor and restored by a reporter came
/// back with the links the reporter sees only (the server's row security held the restore's UPDATE to their own
/// claims): another reporter's claim stayed unlinked from a source that was back on the register. The restore now
/// brings back every link the removal took (`factdesk_restore_links_removed_with_source`, migrations/postgres/0034,
/// as the tables' owner, recording each link's entry about its claim as the restorer), and tells the reporter
/// nothing of which claims: their restore, their trail and their view show only their own. Always on a real
/// PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_reporter_restoring_a_source_brings_back_every_link_its_removal_took() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = TeamDesk::new();
    let ed = unique("ed");
    team.staff(&[(&ed, Role::Editor)]);
    let editor = team.review_as(&ed);
    let own_claim = editor.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = editor.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let clerk = NewSource {
        descriptor: "a council clerk".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: None,
    };
    let source = editor.add_source(team.desk.id(), &clerk).expect("source");
    editor.link_source(own_claim, source, SourceRole::Attributed).expect("link");
    editor.link_source(others_claim, source, SourceRole::Corroborates).expect("link");
    // A link unlinked on its own before stays unlinked: only what the removal took comes back.
    let unlinked_claim = editor.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    editor.link_source(unlinked_claim, source, SourceRole::Attributed).expect("link");
    editor.unlink_source(unlinked_claim, source).expect("unlinked on its own");
    editor.remove_source(source, true).expect("the editor removes it with its links");

    let reporter = team.review_as(&team.bo);
    let view = reporter.restore_source(source).expect("the reporter restores it");
    assert_eq!(view.id, source);
    assert_eq!(reporter.claim_sources(own_claim).expect("links").len(), 1, "their own claim's link is back");
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let live: Vec<(i64, String)> = superuser
        .query(
            "SELECT claim_id, role FROM claim_sources WHERE source_id = $1 AND removed_at IS NULL ORDER BY claim_id",
            &[&source.0],
        )
        .expect("links")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        live,
        [(own_claim.0, "attributed".to_owned()), (others_claim.0, "corroborates".to_owned())],
        "every link the removal took is back, the other reporter's claim's too, and no other"
    );
    let removed_with: i64 = superuser
        .query_one("SELECT count(*) FROM claim_sources WHERE removed_with IS NOT NULL", &[])
        .expect("count")
        .get(0);
    assert_eq!(removed_with, 0);
    assert_eq!(editor.claim_sources(others_claim).expect("links").len(), 1, "the editor sees it linked again");

    // The reporter is told nothing of the other claim: not in their trail, yet the trail records its link's restore,
    // in the reporter's name, about that claim.
    let hidden = others_claim.0.to_string();
    for entry in reporter.audit_trail(None).expect("the reporter's trail") {
        let side = |side: &Option<String>| side.clone().unwrap_or_default();
        let text = format!("{} {} {}", entry.entity, side(&entry.before), side(&entry.after));
        assert!(!text.contains(&format!("claim:{hidden}")), "entry {} names the other claim: {text}", entry.seq);
    }
    let restored: Vec<(String, String)> = editor
        .audit_trail(Some(&format!("claim:{hidden}")))
        .expect("the editor's view of that claim's trail")
        .into_iter()
        .map(|entry| (entry.action, entry.actor))
        .collect();
    assert_eq!(restored.last(), Some(&("claim.link-restore".to_owned(), team.bo.clone())), "{restored:?}");
    let history: Vec<String> = factdesk_core::audit_labels::claim_changes(&editor, others_claim)
        .expect("history")
        .into_iter()
        .map(|change| change.sentence)
        .collect();
    assert_eq!(
        history.last(),
        Some(&format!("Link to a council clerk restored with the source by {}", team.bo)),
        "{history:?}"
    );
    for (who, review) in [("editor", &editor), ("reporter", &reporter), ("owner", &team.owner_review())] {
        let report = review.verify_audit().expect("verify");
        assert!(report.is_intact(), "{who}: {report:?}");
    }

    // Only a login that may restore the source has the server bring its links back; a live source is not "restored"
    // again by calling the function.
    let mut other_reporter = team.connect(&team.cy);
    other_reporter
        .execute("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect("a live source: nothing to bring back");
    // It answers nothing: not even how many claims (some hidden from the caller) it brought back.
    let answers: String = superuser
        .query_one(
            "SELECT prorettype::regtype::text FROM pg_proc WHERE proname = 'factdesk_restore_links_removed_with_source'",
            &[],
        )
        .expect("the function")
        .get(0);
    assert_eq!(answers, "void");
    editor.remove_source(source, true).expect("removed again");
    let lawyer = unique("lou");
    {
        let store = lock(&team.owner);
        let owner_login = store.team_actor().expect("login");
        let verifier = rights::login_verifier(b"not asked by the test server");
        rights::add_person(
            &store,
            team.desk.id(),
            &lawyer,
            Role::Lawyer,
            &owner_login,
            chrono::Utc::now(),
            Some(&verifier),
        )
        .expect("a lawyer");
    }
    let mut lawyers = team.connect(&lawyer);
    let refused = lawyers
        .query_one("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect_err("a removed source's links, by a lawyer");
    assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");
    // Nor any other login of the server that may connect, in no Factdesk group and with no right on the tables.
    let stranger = unique("stranger");
    superuser.batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN")).expect("a bare login");
    let refused = team
        .connect(&stranger)
        .execute("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect_err("a removed source's links, by a login with no right on the tables");
    assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");
    let still_removed: i64 = superuser
        .query_one("SELECT count(*) FROM claim_sources WHERE source_id = $1 AND removed_at IS NULL", &[&source.0])
        .expect("count")
        .get(0);
    assert_eq!(still_removed, 0, "nothing brought back by the lawyer's call");
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

/// Review session 9, finding 6: the verified head was one row, recorded under `FOR UPDATE SKIP LOCKED`: a login
/// keeping a verdict open in its transaction kept that row locked, and every other verdict re-hashed the whole
/// trail from the last committed head and recorded nothing (the CPU sink of session 8, finding 8, back). Each walk
/// now records the head it verified as a row of its own, which no other walk waits for: the next verdict, the
/// first still open, hashes only what was appended since.
#[test]
fn on_a_team_store_a_verdict_left_open_leaves_every_other_verdict_hashing_only_what_is_new() {
    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let (mut reporter, _) = trail.reporter();
    let mut open = reporter.transaction().expect("transaction");
    let intact: bool = open.query_one("SELECT intact FROM factdesk_audit_verdict()", &[]).expect("verdict").get(0);
    assert!(intact);

    // Another login's verdicts (the server's count of hash calls is a superuser's to switch on).
    let entries: i64 = superuser.query_one("SELECT count(*) FROM audit_log", &[]).expect("count").get(0);
    let first = hashed_by_a_verdict(&mut superuser);
    assert_eq!(first, (entries, true), "the first walks the trail (the reporter's head is not committed)");
    let second = hashed_by_a_verdict(&mut superuser);
    assert_eq!(second, (0, true), "the second, nothing appended since, hashes nothing");
    open.rollback().expect("the reporter's verdict ends");
    assert_eq!(hashed_by_a_verdict(&mut superuser), (0, true));
}

/// Review session 9, finding 1: the audit trigger (0027, re-created by 0032) let a login that is a MEMBER of the
/// tables' owner name any actor and keep the time it sent (a backdated entry in another's name), the hole 0031
/// closes (only the owner's own login, or a superuser, acts as the owner). 0032 asks the same question, so its
/// trigger, applied after 0031, does not undo it.
#[test]
fn on_a_team_store_a_member_of_the_owner_appends_only_in_its_own_name_at_the_servers_time() {
    let trail = TeamTrail::new();
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let owner: String = superuser
        .query_one("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'audit_log'::regclass", &[])
        .expect("owner")
        .get(0);
    let mallory = unique("mallory");
    superuser
        .batch_execute(&format!("CREATE ROLE \"{mallory}\" LOGIN; GRANT \"{owner}\" TO \"{mallory}\""))
        .expect("a member of the owner");
    let mut member = connect_as(&trail, &mallory);
    let in_anothers_name = format!(
        "INSERT INTO audit_log (at, actor, action, entity, after)
             VALUES ('2020-01-01T00:00:00Z', '{}', 'claim.status', 'claim:{}', '{{}}')",
        trail.editor, trail.own_claim.0
    );
    assert_refused(&mut member, &[(in_anothers_name.as_str(), &[])], "42501");
    member
        .execute(
            "INSERT INTO audit_log (at, actor, action, entity, after)
                 VALUES ('2020-01-01T00:00:00Z', session_user, 'source.add', 'source:1', '{}')",
            &[],
        )
        .expect("an entry in its own name");
    let at: String =
        superuser.query_one("SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1", &[]).expect("newest").get(0);
    assert_ne!(at, "2020-01-01T00:00:00Z", "the server's time, not the one sent");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());
    // And no function of the store asks membership of the owner for the trail's owner exemption any more.
    let sources: Vec<String> = superuser
        .query("SELECT prosrc FROM pg_proc WHERE proname = 'factdesk_audit_fill_subject'", &[])
        .expect("source")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(sources.len(), 1);
    assert!(!sources[0].contains("'MEMBER'"), "{}", sources[0]);
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

/// Found in round two (0032's own walk): the count of rewrites was a sequence, bumped when a rewrite ran, not when
/// it committed. A walk run while a rewrite was still open read the new count and the old entries, and recorded a
/// head trusted after the rewrite committed: the altered entry, under that head, was never hashed again and every
/// verdict said intact. The count is now of committed rewrites only, so the next walk starts over and finds it.
#[test]
fn on_a_team_store_a_rewrite_committed_after_a_walk_is_still_found() {
    let trail = TeamTrail::new();
    let mut rewriter = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let mut asker = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let mut open = rewriter.transaction().expect("transaction");
    open.execute("UPDATE audit_log SET actor = actor || ' ' WHERE seq = 2", &[]).expect("tamper, not committed");
    assert!(hashed_by_a_verdict(&mut asker).1, "the walk reads the entries as committed: intact");
    open.commit().expect("the rewrite commits");
    let (_, intact) = hashed_by_a_verdict(&mut asker);
    assert!(!intact, "the entry rewritten after the walk is found");
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
