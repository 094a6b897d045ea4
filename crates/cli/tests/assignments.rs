//! `factdesk assign`, `unassign` and `inbox` on the real binary, a real
//! folder and a real store (a SQLite file, or with
//! FACTDESK_TEST_ENGINE=postgres a team store where each person is a
//! database login): the command line contract of issue 13.

mod engine;

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The mayor said the plant would reopen in May.";

struct Desk {
    tmp: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(tmp.path().join("desk")).expect("mkdir");
        std::fs::write(tmp.path().join("desk/story.txt"), STORY).expect("write");
        Self { tmp }
    }

    fn db(&self) -> PathBuf {
        self.tmp.path().join("f.db")
    }

    fn folder(&self) -> String {
        self.tmp.path().join("desk").display().to_string()
    }

    /// Runs factdesk as `person` (the reviewer on SQLite, the login on PostgreSQL); (success, stdout, stderr).
    fn run_as(&self, person: &str, args: &[&str]) -> (bool, String, String) {
        let db = if person == engine::LOGIN { engine::db(&self.db()) } else { engine::db_as(&self.db(), person) };
        let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .arg("--db")
            .arg(db)
            .env_remove("FACTDESK_DB")
            .env("USER", person)
            .args(args)
            .output()
            .expect("run factdesk");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Runs factdesk as Ana, which must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run_as(engine::LOGIN, args);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    /// Runs factdesk as Ana, which must fail; its stderr.
    fn fails(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run_as(engine::LOGIN, args);
        assert!(!ok, "factdesk {args:?} should have failed: {out}");
        err
    }

    fn inbox_of(&self, person: &str) -> Value {
        let (ok, out, err) = self.run_as(person, &["inbox", "--json"]);
        assert!(ok, "inbox of {person}: {err}");
        serde_json::from_str(&out).expect("json")
    }
}

fn without_at(mut entries: Value) -> Value {
    for entry in entries.as_array_mut().expect("an array") {
        let at = entry.as_object_mut().expect("an object").remove("at").expect("at");
        let at = at.as_str().expect("at is text");
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    }
    entries
}

#[test]
fn an_assigned_claim_and_draft_and_a_mention_are_in_the_assignees_inbox() {
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.ok(&["claim", "add", &folder, "story.txt", "--quote", "Six workers were injured on Tuesday"]);
    let (ok, _, said) = desk.run_as(engine::LOGIN, &["assign", &claim, "--to", "ben", "--due", "2026-12-24"]);
    assert!(ok, "{said}");
    assert!(said.contains(&format!("claim {claim} assigned to ben, due 2026-12-24")), "{said}");
    desk.ok(&["assign", "--draft", &folder, "story.txt", "--to", "ben"]);
    desk.ok(&["note", "add", "--claim", &claim, "--text", "@ben the manager's name? cc @carol"]);

    let claim: u64 = claim.parse().expect("claim id");
    assert_eq!(
        without_at(desk.inbox_of("ben")),
        json!([
            {"kind": "mention", "claim": claim, "draft": "story.txt", "from": engine::LOGIN, "read": false},
            {"kind": "assignment", "claim": null, "draft": "story.txt", "from": engine::LOGIN, "read": false},
            {"kind": "assignment", "claim": claim, "draft": "story.txt", "from": engine::LOGIN, "read": false},
        ])
    );
    assert_eq!(without_at(desk.inbox_of("carol")).as_array().map(Vec::len), Some(1));
    assert_eq!(desk.inbox_of(engine::LOGIN), json!([]), "Ana assigned, she was not assigned");
    let (ok, text, _) = desk.run_as("ben", &["inbox"]);
    assert!(ok && text.lines().count() == 3 && text.starts_with("* mention"), "{text}");

    // Both assignments are on the audit trail.
    let log = desk.ok(&["audit", "log"]);
    assert_eq!(log.matches("Assigned").count(), 2, "{log}");
}

#[test]
fn reassigning_and_unassigning_from_the_command_line() {
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.ok(&["claim", "add", &folder, "story.txt", "--quote", "Six workers were injured on Tuesday"]);
    desk.ok(&["assign", &claim, "--to", "ben"]);
    desk.ok(&["assign", &claim, "--to", "carol"]);
    desk.ok(&["unassign", &claim]);
    let refused = desk.fails(&["unassign", &claim]);
    assert!(refused.contains(&format!("claim {claim} is not assigned to anyone")), "{refused}");
    assert_eq!(desk.inbox_of("ben").as_array().map(Vec::len), Some(1));
    assert_eq!(desk.inbox_of("carol").as_array().map(Vec::len), Some(1));
    let log = desk.ok(&["audit", "log"]);
    assert!(log.contains("Assignment ended"), "{log}");
}

#[test]
fn a_bad_assignment_says_what_is_wrong_and_changes_nothing() {
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.ok(&["claim", "add", &folder, "story.txt", "--quote", "Six workers were injured on Tuesday"]);
    let unknown = desk.fails(&["assign", "9999", "--to", "ben"]);
    assert!(unknown.contains("no claim 9999"), "{unknown}");
    for bad in ["2026-13-01", "next-friday", "2026-2-3"] {
        let refused = desk.fails(&["assign", &claim, "--to", "ben", "--due", bad]);
        assert!(refused.contains(bad) && refused.contains("YYYY-MM-DD"), "{refused}");
    }
    let blank = desk.fails(&["assign", &claim, "--to", " "]);
    assert!(blank.contains("not a person"), "{blank}");
    let no_draft = desk.fails(&["assign", "--draft", &folder, "nowhere.txt", "--to", "ben"]);
    assert!(no_draft.contains("no draft nowhere.txt"), "{no_draft}");
    let neither = desk.fails(&["assign", "--to", "ben"]);
    assert!(neither.contains("CLAIM_ID") || neither.contains("--draft"), "{neither}");
    let both = desk.fails(&["assign", &claim, "--draft", &folder, "story.txt", "--to", "ben"]);
    assert!(both.contains("cannot be used with"), "{both}");
    assert_eq!(desk.inbox_of("ben"), json!([]));
    assert!(!desk.ok(&["audit", "log"]).contains("Assigned"));
}
