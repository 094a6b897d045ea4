//! The server's verdict on the audit trail, and what each walk of it hashes.

use crate::fixtures::*;
use factdesk_core::sourcing::note::NoteTarget;

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
