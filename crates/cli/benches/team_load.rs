//! Issue 13's load figures: PEOPLE people (default 10) each make CHANGES
//! mixed changes (default 200) on one team store at once, through the real
//! binary, while another person's session keeps the desk open; prints what
//! was saved and refused, the problems found (none expected) and how long
//! changes took to reach the open session (p50, p95, max).
//!
//! `scripts/team-load.sh [--people N] [--changes N]` runs it on a throwaway
//! PostgreSQL cluster; the shared code is the correctness test's
//! (`tests/load/mod.rs`, asserted in `tests/team_load.rs` at 4 × 50).
//! Exits 1 when a problem was found.

#[path = "../tests/load/mod.rs"]
mod load;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut plan = load::Plan { people: 10, changes: 200 };
    // `cargo bench` adds `--bench`; anything else unknown is refused.
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next().and_then(|n| n.parse::<usize>().ok()).filter(|n| *n > 0).ok_or(format!("{name} takes a number"))
        };
        let parsed = match arg.as_str() {
            "--people" => number("--people").map(|n| plan.people = n),
            "--changes" => number("--changes").map(|n| plan.changes = n),
            "--bench" => Ok(()),
            other => Err(format!("unknown argument {other:?}; usage: team_load [--people N] [--changes N]")),
        };
        if let Err(message) = parsed {
            eprintln!("team_load: {message}");
            return ExitCode::from(2);
        }
    }
    let report = load::run(std::path::Path::new(env!("CARGO_BIN_EXE_factdesk")), plan);
    println!("{}", report.summary());
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
