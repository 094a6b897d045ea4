//! The audit trail linked at commit on a team store (review session 10, part 2, P1): no login holds the trail's
//! lock across its own statements, so none holds up another desk's audited writes for as long as it likes.
//! Always on a real PostgreSQL server, whatever engine the run is for.

use crate::fixtures::*;
use factdesk_core::audit::{verify_chain, AuditEntry};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::store::postgres::PgStore;
use factdesk_core::store::{ClaimId, Store};
use std::time::{Duration, Instant};

/// Two desks on one server: `team`'s (its reporters bo and cy, a claim on each one's draft) and another whose only person (but its admin, the
/// owner) is `zoe`, an editor, with a claim on its draft.
struct TwoDesks {
    team: TeamDesk,
    _other_tmp: tempfile::TempDir,
    zoe: String,
    other_claim: ClaimId,
    own_claim: ClaimId,
    cys_claim: ClaimId,
    /// The entity `desk:N` of zoe's desk: since 0045 a login appends only about its own desks.
    zoes_desk: String,
}

impl TwoDesks {
    fn new() -> Self {
        let team = TeamDesk::new();
        let zoe = unique("zoe");
        let (other_tmp, other, other_draft) = another_desk_without_people(&team);
        let owner = team.owner_review();
        let other_claim = owner.add_claim(other_draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        let own_claim = owner.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        let cys_claim = owner.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        team.staff(&[]);
        staff_desk(&team.owner, other.id(), &[(&zoe, Role::Editor)]);
        let zoes_desk = format!("desk:{}", other.id().0);
        Self { team, _other_tmp: other_tmp, zoe, other_claim, own_claim, cys_claim, zoes_desk }
    }

    /// A review as `login` whose every wait for another session's lock is short (the audit lock keeps its 5 s).
    fn impatient(&self, login: &str) -> Review {
        let location = self.team.db.url_as(login).parse::<factdesk_core::store::postgres::PgLocation>().expect("url");
        let store = PgStore::connect(&location.with_lock_timeout(Duration::from_millis(500))).expect("connect");
        Review::new(Store::on_team_store(store).shared(), self.team.clock.clone(), login.into())
    }

    /// The whole trail as the owner reads it, and whether it is one intact chain.
    fn whole_trail(&self) -> Vec<AuditEntry> {
        let mut owner = postgres::Client::connect(&self.team.db.url, postgres::NoTls).expect("owner");
        let entries: Vec<AuditEntry> = owner
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
            .collect();
        assert_eq!(verify_chain(&entries).broken, None, "one intact chain");
        assert!(self.team.owner_review().verify_audit().expect("verify").is_intact(), "audit verify");
        entries
    }
}

/// zoe's note on her desk's claim, through Factdesk, in the background; how long it took and its outcome.
fn zoes_write(desks: &TwoDesks, text: &'static str) -> (Duration, Result<(), String>) {
    let review = desks.impatient(&desks.zoe);
    let claim = desks.other_claim;
    let started = Instant::now();
    let outcome = in_background(move || {
        review.add_note(NoteTarget::Claim(claim), text, None).map(|_| ()).map_err(|e| e.to_string())
    })
    .recv_timeout(Duration::from_secs(30))
    .unwrap_or_else(|_| Err("still waiting after 30 s".into()));
    (started.elapsed(), outcome)
}

/// P1: `factdesk_audit_lock()` was every appending login's (0032): `BEGIN; SELECT factdesk_audit_lock(),
/// pg_sleep(86400);` made every audited write of every desk "the audit trail is busy" for a day. It is no group's
/// now (only the tables' owner, who copies a trail with `migrate-store`, takes it), and another desk's write
/// commits while a reporter keeps a transaction open after asking for it.
#[test]
fn on_a_team_store_a_reporter_asking_for_the_audit_lock_holds_up_no_other_desks_write() {
    let desks = TwoDesks::new();
    let mut bo = desks.team.connect(&desks.team.bo);
    let mut open = bo.transaction().expect("transaction");
    let asked = open.batch_execute("SELECT factdesk_audit_lock()");

    let (waited, outcome) = zoes_write(&desks, "Asked the clerk.");
    drop(open);
    assert_eq!(outcome, Ok(()), "zoe's write on her desk, after {waited:?}");
    assert!(waited < Duration::from_secs(4), "it did not wait for the reporter: {waited:?}");
    let error = asked.expect_err("the audit lock is no group's to take");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
    // Nor is the link the groups': the entry waiting for its commit is written by the server's trigger only.
    assert_refused(
        &mut bo,
        &[
            ("UPDATE audit_log SET after = '{}' WHERE seq < 1", &[]),
            ("DELETE FROM audit_log WHERE seq < 1", &[]),
            ("SELECT nextval('audit_pending_seq')", &[]),
            ("SELECT * FROM desk_write_locks FOR UPDATE", &[]),
        ],
        "42501",
    );
    desks.whole_trail();
}

/// P1: the link was made in a BEFORE INSERT trigger holding the lock to the end of the transaction, so a login
/// that appended one entry and then kept a statement running (which the idle-transaction bound never ends) held
/// every audited write of every desk. The entry is linked at commit now: while the reporter's statement runs,
/// another desk's write commits (and a colleague's on the reporter's own desk), and the reporter's entry, committed
/// last, is linked after theirs in one intact chain.
#[test]
fn on_a_team_store_an_append_kept_open_in_a_running_statement_holds_up_no_other_write() {
    let desks = TwoDesks::new();
    let bo = desks.team.bo.clone();
    let mut client = desks.team.connect(&bo);
    let append = format!(
        "BEGIN; INSERT INTO audit_log (at, actor, action, entity, after)
             VALUES ('2020-01-01T00:00:00Z', current_user, 'note.add', 'claim:{}', '{{\"kept\":\"open\"}}')",
        desks.own_claim.0
    );
    client.batch_execute(&append).expect("the reporter's append, not committed");
    let sleeping =
        in_background(move || client.batch_execute("SELECT pg_sleep(8)").and_then(|()| client.batch_execute("COMMIT")));
    std::thread::sleep(Duration::from_millis(300));

    let (waited, outcome) = zoes_write(&desks, "Asked the clerk.");
    assert_eq!(outcome, Ok(()), "zoe's write on another desk, after {waited:?}");
    assert!(waited < Duration::from_secs(4), "it did not wait for the reporter's statement: {waited:?}");
    let colleague = desks.impatient(&desks.team.cy);
    colleague.add_note(NoteTarget::Claim(desks.cys_claim), "Same desk.", None).expect("cy's write on bo's desk");

    sleeping.recv_timeout(Duration::from_secs(30)).expect("the reporter's statement ends").expect("and commits");
    let entries = desks.whole_trail();
    let actors: Vec<&str> = entries.iter().rev().take(3).map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, [bo.as_str(), desks.team.cy.as_str(), desks.zoe.as_str()], "in commit order: {entries:?}");
    assert_ne!(entries.last().expect("bo's").at, "2020-01-01T00:00:00Z", "the server's time");
}

/// Linked at commit, appends of several sessions at once, each transaction appending several entries, still
/// make one chain: each transaction's entries next to each other, in the order it appended them. A third
/// session keeps its own append open all along (which held every other append until 0044) and is linked last.
#[test]
fn on_a_team_store_concurrent_appends_make_one_chain_in_commit_order() {
    const TRANSACTIONS: usize = 40;
    const EACH: usize = 3;
    let desks = TwoDesks::new();
    let mut keeper = desks.team.connect(&desks.team.cy);
    keeper
        .batch_execute(
            "BEGIN; INSERT INTO audit_log (at, actor, action, entity, after)
                 VALUES ('x', current_user, 'source.add', 'desk:1', '{\"kept\":\"open\"}')",
        )
        .expect("cy's append, kept open");

    // Each writer about its own desk (0045): bo on cy's desk 1, zoe on hers.
    let writers: Vec<_> = [(desks.team.bo.clone(), "desk:1".to_string()), (desks.zoe.clone(), desks.zoes_desk.clone())]
        .into_iter()
        .map(|(login, entity)| {
            let url = desks.team.db.url_as(&login);
            std::thread::spawn(move || -> Result<(), String> {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).map_err(|e| e.to_string())?;
                for t in 0..TRANSACTIONS {
                    let mut tx = client.transaction().map_err(|e| e.to_string())?;
                    for k in 0..EACH {
                        tx.execute(
                            "INSERT INTO audit_log (at, actor, action, entity, after)
                                 VALUES ('x', current_user, 'source.add', $1, $2)",
                            &[&entity, &format!("{{\"t\":{t},\"k\":{k}}}")],
                        )
                        .map_err(|e| e.to_string())?;
                    }
                    tx.commit().map_err(|e| e.to_string())?;
                }
                Ok(())
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer").expect("every append committed");
    }
    keeper.batch_execute("COMMIT").expect("cy's append commits last");

    let entries = desks.whole_trail();
    let appended: Vec<&AuditEntry> = entries.iter().filter(|e| e.at == "x").collect();
    assert!(appended.is_empty(), "every entry carries the server's time: {appended:?}");
    let ours: Vec<&AuditEntry> = entries
        .iter()
        .filter(|e| (e.entity == "desk:1" || e.entity == desks.zoes_desk) && e.action == "source.add")
        .collect();
    assert_eq!(ours.len(), 2 * TRANSACTIONS * EACH + 1, "nothing lost");
    assert_eq!(ours.last().expect("cy's").actor, desks.team.cy, "the append kept open is linked when it commits");
    for group in ours[..ours.len() - 1].chunks(EACH) {
        let ks: Vec<String> = group.iter().map(|e| e.after.clone().unwrap_or_default()).collect();
        assert!(group.iter().all(|e| e.actor == group[0].actor), "one transaction's entries together: {ks:?}");
        let t = &ks[0][..ks[0].find(",\"k\"").expect("t")];
        let expected: Vec<String> = (0..EACH).map(|k| format!("{t},\"k\":{k}}}")).collect();
        assert_eq!(ks, expected, "in the order appended");
    }
}

/// The chain's definition is unchanged by linking at commit (0044): entries appended before it (linked by 0032's
/// trigger as they went in) keep their numbers and hashes, and those appended after it (linked at commit, by the
/// owner's Factdesk and by a login with the trail granted directly, one entry alone or several in one
/// transaction) follow them in one chain, which the core and the server's verdict (walking on from the head it
/// verified before the migration) both find intact.
#[test]
fn on_a_team_store_a_trail_appended_before_and_after_0044_is_one_intact_chain() {
    let db = test_postgres::database();
    let location: factdesk_core::store::postgres::PgLocation = db.url.parse().expect("url");
    let mut owner = PgStore::init_up_to_for_tests(&location, 43).expect("a store made before 0044");
    let alice = unique("alice");
    db.create_login(&alice);
    let appends = |login: &str, entries: usize| {
        let mut client = postgres::Client::connect(&db.url_as(login), postgres::NoTls).expect("connect");
        let mut tx = client.transaction().expect("transaction");
        for n in 0..entries {
            tx.execute(
                "INSERT INTO audit_log (at, actor, action, entity, after)
                     VALUES ('2020-01-01T00:00:00Z', current_user, 'desk.setting', 'desk:1', $1)",
                &[&format!("{{\"n\":{n}}}")],
            )
            .expect("append");
        }
        tx.commit().expect("commit");
    };
    let owners_append = |owner: &mut PgStore, n: usize| {
        let change = factdesk_core::audit::Change {
            by: "owner",
            at: chrono::Utc::now(),
            action: factdesk_core::audit::AuditAction::DeskSetting,
            entity: factdesk_core::audit::Entity::Desk(factdesk_core::store::DeskId(1)),
            before: None,
            after: Some(serde_json::json!({ "n": n })),
        };
        factdesk_core::audit::record_on_team_store(owner, &change).expect("the owner's append");
    };
    let verdict = |url: &str| -> bool {
        let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
        client.query_one("SELECT intact FROM factdesk_audit_verdict()", &[]).expect("verdict").get(0)
    };
    let links = |owner: &mut PgStore| -> Vec<(i64, String)> {
        owner.audit_entries(None).expect("entries").into_iter().map(|e| (e.seq, e.hash)).collect()
    };

    owners_append(&mut owner, 0);
    appends(&alice, 1);
    appends(&alice, 2);
    owners_append(&mut owner, 1);
    assert!(verdict(&db.url_as(&alice)), "intact before 0044");
    let before = links(&mut owner);
    assert_eq!(before.len(), 5);

    let mut owner = PgStore::init(&location).expect("the rest of the migrations, 0044 among them");
    appends(&alice, 1);
    owners_append(&mut owner, 2);
    appends(&alice, 3);
    let entries = owner.audit_entries(None).expect("entries");
    assert_eq!(verify_chain(&entries).broken, None, "one chain: {entries:?}");
    assert_eq!(entries.len(), 10, "nothing lost");
    assert_eq!(links(&mut owner)[..5], before[..], "the entries linked before 0044 are as they were");
    assert!(verdict(&db.url_as(&alice)), "the server's verdict, walking on from its head");
    assert!(verdict(&db.url), "and the owner's");
}

/// What the writers of a desk still share (0044): Factdesk's writes on one desk take turns on that desk's write
/// lock, as on a SQLite file, so a login may keep its own desk's writers waiting (each told the desk is busy after
/// 5 seconds, nothing of its change saved), but no other desk's: another desk's writer commits at once.
#[test]
fn on_a_team_store_a_desks_write_lock_holds_up_that_desk_only() {
    let desks = TwoDesks::new();
    let mut bo = desks.team.connect(&desks.team.bo);
    let mut open = bo.transaction().expect("transaction");
    open.batch_execute("SELECT factdesk_desk_write_lock()").expect("bo takes his desk's write lock");

    let (waited, outcome) = zoes_write(&desks, "Asked the clerk.");
    assert_eq!(outcome, Ok(()), "zoe's write on another desk, after {waited:?}");
    assert!(waited < Duration::from_secs(4), "it did not wait for bo's desk: {waited:?}");

    let colleague = desks.impatient(&desks.team.cy);
    let started = Instant::now();
    let refused = colleague.add_note(NoteTarget::Claim(desks.cys_claim), "Same desk.", None);
    let waited = started.elapsed();
    open.rollback().expect("bo goes");
    let message = refused.expect_err("cy's write waits for bo's desk").to_string();
    assert!(message.contains("another session holds this desk's write lock: try again"), "{message}");
    assert!(waited >= Duration::from_secs(4), "the lock's own 5 s: {waited:?}");
    let mut owner = postgres::Client::connect(&desks.team.db.url, postgres::NoTls).expect("owner");
    let saved: i64 = owner.query_one("SELECT count(*) FROM notes WHERE text = 'Same desk.'", &[]).expect("n").get(0);
    assert_eq!(saved, 0, "nothing of the refused change was saved");
    colleague.add_note(NoteTarget::Claim(desks.cys_claim), "Same desk.", None).expect("once bo has gone");
    desks.whole_trail();
}

/// What 0044 does not close, as README says: a login that forces its deferred constraints to run early has its
/// entry linked then, and holds the trail's lock until its transaction ends (PostgreSQL gives a deferred trigger
/// no way to tell that firing from the commit's). Another desk's writer is then told, at its commit, that the trail
/// is busy, nothing of its change saved; once the holder has gone it writes.
#[test]
fn on_a_team_store_an_append_linked_early_with_set_constraints_still_holds_the_trail() {
    let desks = TwoDesks::new();
    let mut bo = desks.team.connect(&desks.team.bo);
    let mut open = bo.transaction().expect("transaction");
    open.batch_execute(
        "INSERT INTO audit_log (at, actor, action, entity, after)
             VALUES ('x', current_user, 'desk.setting', 'desk:1', '{}');
         SET CONSTRAINTS ALL IMMEDIATE",
    )
    .expect("bo's append, linked at once");

    let (waited, outcome) = zoes_write(&desks, "Asked the clerk.");
    open.rollback().expect("bo goes");
    let error = outcome.expect_err("zoe's write waits for the trail's lock at its commit");
    assert!(error.starts_with("the audit trail is busy: try again"), "{error}");
    assert!(waited >= Duration::from_secs(4), "the lock's own 5 s: {waited:?}");
    let (_, outcome) = zoes_write(&desks, "Asked the clerk.");
    assert_eq!(outcome, Ok(()), "once bo has gone");
    desks.whole_trail();
}
