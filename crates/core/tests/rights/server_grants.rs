//! The server's own guarantees on a team store: its grants, functions, ids, settings and migrations, as each
//! login querying the tables directly finds them.

use crate::fixtures::*;
use factdesk_core::desk::Desk;
use factdesk_core::review::ClaimStatus;
use factdesk_core::rights::Role;
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{lock, DraftId, Store};
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
    let db = team_store();
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
    staff_desk(&team.owner, other.id(), &[(&zoe, Role::Editor)]);
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

/// Review session 10, finding 17 (session 9's 15, half closed): the attribution trigger (0030) still let a member of
/// the owner's role write `author`, `created_by`… in anyone's name; it asks whether the session is the owner (0039),
/// so such a member's note is in its own name, and the owner's own write keeps the name it gives.
#[test]
fn on_a_team_store_a_member_of_the_owners_role_writes_in_its_own_name() {
    let store = OwnedStore::new();
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("GRANT \"{}\" TO \"{}\"", store.owner, store.adm))
        .expect("a membership from before 0031");
    let draft: i64 = {
        let folder = store.tmp.path().join("a");
        std::fs::write(folder.join("story.md"), TEXT).expect("write");
        let desk = Desk::open(store.store_as(&store.owner), &folder, store.clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk.draft_by_path("story.md").expect("lookup").expect("draft").id.0
    };
    let mut note_by = |login: &str, text: &str| -> String {
        store
            .connect(login)
            .execute(
                "INSERT INTO notes (draft_id, text, author, created_at) VALUES ($1, $2, 'someone else', 'x')",
                &[&draft, &text],
            )
            .expect("a note");
        superuser.query_one("SELECT author FROM notes WHERE text = $1", &[&text]).expect("the note").get(0)
    };
    assert_eq!(note_by(&store.adm, "By the member."), store.adm, "a member of the owner's role, in its own name");
    assert_eq!(note_by(&store.owner, "By the owner."), "someone else", "the owner (migrate-store) keeps the name");
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
