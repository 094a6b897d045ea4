//! Issue 13's load check in small, as a correctness test on PostgreSQL:
//! four people make fifty mixed changes each on one desk at once, racing
//! on one claim's status and one note by compare-and-set, while a fifth
//! keeps the desk open. Nothing may be lost or silently overwritten, each
//! refusal must be audited, the trail must verify, and every change must
//! reach the open session. No time is asserted: the figures are the
//! benchmark's (`scripts/team-load.sh`, BENCHMARKS.md "Team load").

mod load;

#[test]
fn four_people_make_fifty_racing_changes_each_and_nothing_is_lost_or_overwritten() {
    // A team store only: runs in the PostgreSQL pass of the suites (PG_CLI_SUITES in the Makefile).
    if !test_postgres::on_postgres() {
        return;
    }
    let report = load::run(std::path::Path::new(env!("CARGO_BIN_EXE_factdesk")), load::Plan { people: 4, changes: 50 });
    eprintln!("{}", report.summary());
    assert!(report.problems.is_empty(), "{}", report.summary());
    // The races happened: with four people on one claim and one note, some compare-and-sets are refused.
    assert!(report.refused > 0, "{}", report.summary());
    // Every change, saved or refused, reached the open session.
    assert_eq!(report.propagation.len(), 4 * 50, "{}", report.summary());
}
