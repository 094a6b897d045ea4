//! People and rights (issue 13), one test per rule, on a real SQLite file
//! or, with `FACTDESK_TEST_ENGINE=postgres`, a real team store where each
//! person acts through their own database login (created by
//! `rights::add_person`, so the server's grants and row-level security
//! apply to them as well as the core's checks).
//!
//! One test binary (`--test rights`: one link, and what the Makefile's
//! `PG_CORE_SUITES` and CI run), its tests in a module per subject; the
//! set-ups they share are in `fixtures`.

#[path = "../engine/mod.rs"]
mod engine;
mod fixtures;

// Through Factdesk, on both engines (and on the server where a test says so).
mod drafts;
mod identities;
mod notes_and_assignments;
mod people;
mod published_record;
mod ready_and_overrides;
mod roles;
mod vault_and_sources;

// The audit trail on a team store.
mod audit_appends;
mod audit_commit;
mod audit_reads;
mod audit_verdicts;

// The server's own guarantees on a team store, as each login querying the tables directly finds them.
mod desks_open;
mod entries_held;
mod logins;
mod reads_per_desk;
mod server_grants;
mod service_tables;
mod workflow_held;
mod writes_per_desk;
