//! Appending to the audit trail on a team store: who, when, linked and hashed by the server, and its lock.

use crate::fixtures::*;
use factdesk_core::clock::FixedClock;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::store::Store;
use std::path::Path;
use std::sync::Arc;

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

/// Review session 8, finding 4, and session 10, P1: appends make one chain (no fork), in commit order. An entry is
/// linked as its transaction commits (0044), so a login of a group with an entry appended in an open transaction
/// holds no other append up: the reporter's write commits at once, and the editor's entry, committed after it, is
/// linked after it.
#[test]
fn on_a_team_store_an_open_append_holds_no_other_up_and_is_linked_when_it_commits() {
    let trail = TeamTrail::new();
    let mut first = connect_as(&trail, &trail.editor);
    let mut open = first.transaction().expect("transaction");
    open.execute(PLAIN_APPEND, &[]).expect("the editor's append, not yet committed");

    let written = add_note_in_background(&trail, &trail.reporter, trail.own_claim, "Called her twice.");
    let outcome = written.recv_timeout(std::time::Duration::from_secs(4));
    assert!(matches!(outcome, Ok(Ok(()))), "the reporter's write does not wait for the editor's: {outcome:?}");
    open.commit().expect("commit");

    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let newest: Vec<(i64, String, String, String)> = owner
        .query("SELECT seq, actor, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 2", &[])
        .expect("newest")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let (editors, reporters) = (&newest[0], &newest[1]);
    assert_eq!((&reporters.1, &editors.1), (&trail.reporter, &trail.editor), "the reporter's first: {newest:?}");
    assert_eq!((editors.0, &editors.2), (reporters.0 + 1, &reporters.3), "linked after the reporter's: no fork");
    let by_owner = Review::new(trail.owner.clone(), trail.clock.clone(), "owner".into());
    assert!(by_owner.verify_audit().expect("verify").is_intact());
}

/// Review session 8, finding 4: a session holding the audit lock no longer stalls every other writer for good:
/// after the server's lock timeout (5 s) the writer is told the trail is busy, nothing of its change is saved, and
/// its next try, once the holder has gone, is. Since 0044 only the tables' owner takes the lock for longer than a
/// commit (`migrate-store`, copying a trail; `factdesk_audit_lock()` is no group's), and a writer waits for it as
/// its own transaction commits.
#[test]
fn on_a_team_store_a_writer_stuck_behind_a_held_audit_lock_is_told_the_trail_is_busy() {
    let trail = TeamTrail::new();
    let mut holder = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("the tables' owner");
    let mut open = holder.transaction().expect("transaction");
    open.batch_execute("SELECT factdesk_audit_lock()").expect("the owner's lock, left open");

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
    // Through the owner, a member of the desk's groups that is none of its people: since 0045 it appends nothing
    // about this desk, in its own name either, nor (0043) about a desk without people; about a desk it is one of
    // the people of, in its own name at the server's time.
    let in_its_own_name = "INSERT INTO audit_log (at, actor, action, entity, after)
                           VALUES ('2020-01-01T00:00:00Z', session_user, 'source.add', 'source:1', '{}')";
    assert_refused(&mut member, &[(in_its_own_name, &[])], "42501");
    let open_desk: i64 = superuser
        .query_one(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/elsewhere', 'x', 'x') RETURNING id",
            &[],
        )
        .expect("a desk without people")
        .get(0);
    let about_open_desk = "INSERT INTO audit_log (at, actor, action, entity, after)
                           VALUES ('2020-01-01T00:00:00Z', session_user, 'desk.setting', 'desk:' || $1::bigint, '{}')";
    assert_refused(&mut member, &[(about_open_desk, &[&open_desk])], "42501");
    superuser
        .execute(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, $2, 'editor', 'test', 'x')",
            &[&open_desk, &mallory],
        )
        .expect("mallory one of that desk's people");
    member
        .execute(
            "INSERT INTO audit_log (at, actor, action, entity, after)
                 VALUES ('2020-01-01T00:00:00Z', session_user, 'desk.setting', 'desk:' || $1::bigint, '{}')",
            &[&open_desk],
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
