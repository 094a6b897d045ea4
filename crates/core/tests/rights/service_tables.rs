//! The tables every write touches on a team store (the search index, the count of writes) and the row versions:
//! no login's hand-written row stops another person's writes (migrations/postgres/0037). Always on a real
//! PostgreSQL server, whatever engine the run is for.

use crate::fixtures::*;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{NewSource, SourceKind, SourceUpdate};
use factdesk_core::store::{lock, Store};
use std::path::Path;

fn plain_source(descriptor: &str) -> NewSource {
    NewSource { descriptor: descriptor.into(), kind: SourceKind::Unnamed, notes: String::new(), confidential: None }
}

fn ledger() -> NewEvidence {
    NewEvidence::supporting(EvidenceKind::Document, "ledger.pdf", "The council's ledger", true)
}

/// Review session 10, finding 20: the search index's key (kind, item_id) is one for every desk, and every group
/// could write the index, so a reporter of desk A planted entries (under desk A) for the next ids of claims, notes,
/// evidence and sources, and every other desk's next one then failed on the key. Now only the server's own
/// functions write the index (definer rights): the plant is refused, the functions cannot be called by hand, and
/// desk B's people, as desk A's, add claims, notes, evidence and sources, each indexed.
#[test]
fn on_a_team_store_a_reporter_plants_no_search_entry_and_other_desks_still_write() {
    let team = TeamDesk::new();
    team.staff(&[]);
    let bea = unique("bea");
    let (_other_tmp, other, other_draft) = another_desk(&team, &[(&bea, Role::Editor)]);
    let mut reporter = team.connect(&team.bo);
    let a = team.desk.id().0;

    // (The index's entries changed or removed first: these would take the planted ones too.)
    let mut outcomes = Vec::new();
    for statement in [
        "UPDATE search_entries SET body = 'planted'".to_owned(),
        "DELETE FROM search_entries".to_owned(),
        format!("SELECT search_index_claim(id) FROM claims WHERE draft_id = {}", other_draft.0),
        format!("SELECT search_index_source(id) FROM sources WHERE desk_id = {}", other.id().0),
    ] {
        outcomes.push((statement.clone(), reporter.batch_execute(&statement)));
    }

    for (kind, sequence) in [
        ("claim", "claims_id_seq"),
        ("note", "notes_id_seq"),
        ("evidence", "evidence_id_seq"),
        ("source", "sources_id_seq"),
    ] {
        let plant = format!(
            "INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
             SELECT '{kind}', g, NULL, NULL, {a}, NULL, ''::tsvector
             FROM generate_series((SELECT last_value FROM {sequence}), (SELECT last_value FROM {sequence}) + 20) g"
        );
        outcomes.push((plant.clone(), reporter.batch_execute(&plant)));
    }
    // Desk B's editor, then desk A's reporter on their own draft, through Factdesk.
    for (review, draft, desk) in
        [(team.review_as(&bea), other_draft, other.id()), (team.review_as(&team.bo), team.own, team.desk.id())]
    {
        let claim = review.add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("a claim");
        review.add_note(NoteTarget::Claim(claim), "Ask the treasurer.", None).expect("a note");
        review.add_evidence(claim, &ledger()).expect("evidence");
        review.add_source(desk, &plain_source("a council official")).expect("a source");
        review.set_status(claim, ClaimStatus::Disputed).expect("a status");
    }
    for (statement, outcome) in outcomes {
        let error = outcome.expect_err(&statement);
        assert_eq!(sqlstate(&error), Some("42501"), "{statement}: {error}");
    }
    // Every entry is the one its row gives, none missing (desk B's four, desk A's four, the drafts).
    lock(&team.owner).check_search_index().expect("the index as its rows make it");
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    let per_desk: i64 = owner
        .query_one(
            "SELECT count(*) FROM search_entries WHERE desk_id = $1 AND kind IN ('claim', 'note', 'evidence', 'source')",
            &[&other.id().0],
        )
        .expect("count")
        .get(0);
    assert_eq!(per_desk, 4, "desk B's claim, note, evidence and source indexed");
}

/// Review session 10, finding 21: every group could write `store_writes`, which has no row-level security, and a
/// row planted at the largest BIGINT for every server process made the trigger's `writes + 1` overflow: every write
/// of every login failed, and so did every window's count of others' writes. Now only the trigger (definer rights)
/// writes it: the plant, an update, a delete and a strong lock are refused, and a write by one person still counts
/// for another's window.
#[test]
fn on_a_team_store_no_login_writes_the_count_of_writes_and_every_write_still_counts() {
    let team = TeamDesk::new();
    team.staff(&[]);
    let open = |login: &str| Store::open(Path::new(&team.db.url_as(login))).expect("login").shared();
    let (bo_store, cy_store) = (open(&team.bo), open(&team.cy));
    let (bo, cy) = (
        Review::new(bo_store.clone(), team.clock.clone(), team.bo.clone()),
        Review::new(cy_store.clone(), team.clock.clone(), team.cy.clone()),
    );
    let mut reporter = team.connect(&team.bo);
    let mut outcomes = Vec::new();
    for statement in [
        "UPDATE store_writes SET writes = 9223372036854775807",
        "DELETE FROM store_writes",
        "BEGIN; LOCK TABLE store_writes IN ACCESS EXCLUSIVE MODE; COMMIT",
        // Last (the delete would take it): every server process's count at the largest BIGINT, the open windows'.
        "INSERT INTO store_writes (backend, writes) SELECT pid, 9223372036854775807 FROM pg_stat_activity
         ON CONFLICT (backend) DO UPDATE SET writes = 9223372036854775807",
    ] {
        let outcome = reporter.batch_execute(statement);
        if outcome.is_err() {
            reporter.batch_execute("ROLLBACK").expect("rollback");
        }
        outcomes.push((statement, outcome));
    }
    // Each reporter writes on their own draft; the other's window is woken and sees the count change.
    let (woken, wakes) = std::sync::mpsc::channel();
    let listener = lock(&cy_store).listen_for_other_writes(move || {
        let _ = woken.send(());
    });
    assert!(listener.is_some(), "cy's window listens");
    let cy_before = lock(&cy_store).data_version().expect("cy's count of others' writes");
    let claim = bo.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("bo's claim");
    let cy_after = lock(&cy_store).data_version().expect("cy's count of others' writes");
    assert_ne!(cy_before, cy_after, "bo's write counted for cy's window");
    wakes.recv_timeout(std::time::Duration::from_secs(10)).expect("bo's write woke cy's window");
    drop(listener);
    let bo_before = lock(&bo_store).data_version().expect("bo's count of others' writes");
    cy.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("cy's claim");
    assert_ne!(bo_before, lock(&bo_store).data_version().expect("count"), "cy's write counted for bo's window");
    bo.set_status(claim, ClaimStatus::Disputed).expect("bo writes again");
    for (statement, outcome) in outcomes {
        let error = outcome.expect_err(statement);
        assert_eq!(sqlstate(&error), Some("42501"), "{statement}: {error}");
    }
    // What every group may still do: read the counts (the windows sum them).
    let counted: i64 =
        reporter.query_one("SELECT count(*) FROM store_writes", &[]).expect("the groups read the counts").get(0);
    assert!(counted >= 2, "{counted}");
}

/// Review session 10, finding 21 (the small one): a claim's, note's or source's `version` set by hand to the largest
/// BIGINT made that row unchangeable (Factdesk raises it by one on every change). A changed version is now held to
/// the old one plus one; Factdesk's own changes go on.
#[test]
fn on_a_team_store_a_rows_version_only_goes_up_by_one() {
    let team = TeamDesk::new();
    let ed = unique("ed");
    team.staff(&[(&ed, Role::Editor)]);
    let bo = team.review_as(&team.bo);
    let claim = bo.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let note = bo.add_note(NoteTarget::Claim(claim), "Ask the treasurer.", None).expect("note");
    let editor = team.review_as(&ed);
    let source = editor.add_source(team.desk.id(), &plain_source("a council official")).expect("source");

    let mut outcomes = Vec::new();
    for (login, table, id) in [(&team.bo, "claims", claim.0), (&team.bo, "notes", note.0), (&ed, "sources", source.0)] {
        let mut client = team.connect(login);
        for version in ["version + 2", "version - 1", "9223372036854775807"] {
            let statement = format!("UPDATE {table} SET version = {version} WHERE id = {id}");
            let outcome = client.execute(statement.as_str(), &[]);
            outcomes.push((statement, outcome));
        }
    }
    bo.set_status(claim, ClaimStatus::Disputed).expect("the claim still changes");
    bo.edit_note(note, "Ask the treasurer again.").expect("the note still changes");
    let renamed = SourceUpdate { descriptor: Some("a council officer".into()), ..SourceUpdate::default() };
    editor.update_source(source, &renamed).expect("the source still changes");
    for (statement, outcome) in outcomes {
        let error = outcome.expect_err(&statement);
        assert_eq!(sqlstate(&error), Some("23514"), "{statement}: {error}");
    }
}
