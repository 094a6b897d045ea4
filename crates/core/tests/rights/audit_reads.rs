//! Which entries of the audit trail, and which of their hashes, each login reads on a team store.

use crate::fixtures::*;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{NewSource, SourceKind};
use factdesk_core::store::Store;
use factdesk_core::vault::KdfParams;
use secrecy::SecretString;
use std::path::Path;
use std::sync::Arc;

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
    let db = team_store();
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

/// Review session 10, finding 7 (migrations/postgres/0042): 0019 read every entry about a source or a desk (the
/// register's descriptors, reveals, confidential fields changed, people added, settings) for every login of every
/// desk. A reporter of desk A, querying `audit_log` directly, now reads none of desk B's; B's people read theirs,
/// its reveals and confidential changes only its editors and standards editors; A's people keep A's; and
/// `audit verify` holds for every login of both desks, and the owner.
#[test]
fn on_a_team_store_the_entries_about_a_desks_sources_and_people_are_read_on_that_desk_only() {
    let team = TeamDesk::new();
    let (ed, sam, bea, zoe, lee) = (unique("ed"), unique("sam"), unique("bea"), unique("zoe"), unique("lee"));
    let a_source = council_source(&team);
    team.staff(&[(&ed, Role::Editor), (&sam, Role::StandardsEditor)]);
    let (_tmp, desk_b, _) = another_desk(&team, &[(&bea, Role::Editor), (&zoe, Role::Reporter), (&lee, Role::Lawyer)]);
    const B_DESCRIPTOR: &str = "a clerk in desk B's harbour office";
    let new = NewSource {
        descriptor: B_DESCRIPTOR.into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: None,
    };
    let b_source = team.review_as(&bea).add_source(desk_b.id(), &new).expect("desk B's editor adds a source");
    // A reveal and a confidential change on desk B, and a setting of each desk, appended as the owner (raw SQL:
    // the server, not the entry, says which desk it is about).
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    let (a, b) = (team.desk.id().0, desk_b.id().0);
    owner
        .batch_execute(&format!(
            "INSERT INTO audit_log (at, actor, action, entity, before, after) VALUES
                 ('2026-01-01T00:00:00Z', '{bea}', 'source.reveal', 'source:{b_source}', NULL, NULL),
                 ('2026-01-01T00:00:00Z', '{bea}', 'source.confidential', 'source:{b_source}', NULL,
                  '{{\"fields\":[\"name\"]}}'),
                 ('2026-01-01T00:00:00Z', 'owner', 'desk.setting', 'desk:{a}', NULL, '{{\"key\":\"A\"}}'),
                 ('2026-01-01T00:00:00Z', 'owner', 'desk.setting', 'desk:{b}', NULL, '{{\"key\":\"B\"}}')",
            b_source = b_source.0
        ))
        .expect("entries");
    let b_entities = [format!("source:{}", b_source.0), format!("desk:{b}")];
    let a_entities = [format!("source:{}", a_source.0), format!("desk:{a}")];
    let read = |login: &str| -> Vec<(String, String, String)> {
        team.connect(login)
            .query(
                "SELECT entity, action, coalesce(before, '') || coalesce(after, '') FROM audit_log
                 WHERE entity LIKE 'source:%' OR entity LIKE 'desk:%' ORDER BY seq",
                &[],
            )
            .expect("audit_log")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    };
    let about = |seen: &[(String, String, String)], entity: &str, action: &str| {
        seen.iter().any(|(e, act, _)| e == entity && act == action)
    };

    // Desk A's people: A's entries, none of B's (its descriptor, its people, its setting, its reveal).
    for login in [&team.bo, &team.cy, &ed, &sam] {
        let seen = read(login);
        for entity in &b_entities {
            assert!(!seen.iter().any(|(e, _, _)| e == entity), "{login} reads desk B's {entity}: {seen:?}");
        }
        assert!(!seen.iter().any(|(_, _, body)| body.contains(B_DESCRIPTOR) || body.contains(&zoe)), "{seen:?}");
        assert!(about(&seen, &a_entities[0], "source.add"), "{login} reads desk A's source: {seen:?}");
        assert!(about(&seen, &a_entities[1], "person.add"), "{login} reads desk A's people: {seen:?}");
        assert!(about(&seen, &a_entities[1], "desk.setting"), "{login} reads desk A's setting: {seen:?}");
    }
    // Desk B's people: B's; the reveal and the confidential change only its editor.
    for login in [&bea, &zoe, &lee] {
        let seen = read(login);
        assert!(about(&seen, &b_entities[0], "source.add"), "{login}: {seen:?}");
        assert!(about(&seen, &b_entities[1], "person.add"), "{login}: {seen:?}");
        assert!(about(&seen, &b_entities[1], "desk.setting"), "{login}: {seen:?}");
        for entity in &a_entities {
            assert!(!seen.iter().any(|(e, _, _)| e == entity), "{login} reads desk A's {entity}: {seen:?}");
        }
        let secret =
            about(&seen, &b_entities[0], "source.reveal") || about(&seen, &b_entities[0], "source.confidential");
        assert_eq!(secret, *login == bea, "{login}: {seen:?}");
    }
    // A login the newsroom granted the trail directly cannot move an entry to another desk by rewriting it.
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("GRANT UPDATE ON audit_log TO \"{bea}\"")).expect("grant");
    let rewritten =
        team.connect(&bea).execute("UPDATE audit_log SET desk_id = $1 WHERE desk_id = $2", &[&a, &b]).expect("rewrite");
    assert!(rewritten > 0, "bea rewrote desk B's entries");
    assert!(!read(&team.bo).iter().any(|(e, _, _)| b_entities.contains(e)), "the rewrite moved B's entries to A");

    // `audit verify` holds for every login of both desks (what it may not read, by its links), and the owner.
    for login in [&team.bo, &team.cy, &ed, &sam, &bea, &zoe, &lee] {
        let report = team.review_as(login).verify_audit().expect("verify");
        assert!(report.broken.is_none(), "{login}: {report:?}");
        assert!(report.entries_not_read > 0 && report.rows_not_compared, "{login}: {report:?}");
    }
    let by_owner = team.owner_review().verify_audit().expect("verify as the owner");
    assert!(by_owner.is_intact() && !by_owner.rows_not_compared && by_owner.entries_not_read == 0, "{by_owner:?}");
}
