//! Removal and restore on the command line: the real binary, a real folder
//! and a real database file. What is removed leaves every list, check,
//! matrix and report, is kept in the audit trail, and comes back as it was.

mod engine;

use serde_json::Value;
use std::path::PathBuf;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The blaze started in a storage building, according to two firefighters.\n\n\
    The mayor said the plant would reopen in May.";

struct Cli {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    desk: String,
}

impl Cli {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let desk = tmp.path().join("desk");
        std::fs::create_dir(&desk).expect("mkdir");
        std::fs::write(desk.join("story.txt"), STORY).expect("write");
        let db = tmp.path().join("factdesk.db");
        let desk = desk.to_str().expect("utf-8 path").to_owned();
        Self { _tmp: tmp, db, desk }
    }

    /// Runs factdesk; (success, stdout trimmed, stderr).
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        engine::run_as_ana(&self.db, args, "")
    }

    fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    fn fails(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(!ok, "factdesk {args:?} should have failed: {out}");
        err
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json")
    }

    fn tag(&self, quote: &str) -> String {
        self.ok(&["claim", "add", &self.desk, "story.txt", "--quote", quote])
    }

    fn claim_ids(&self) -> Vec<u64> {
        let claims = self.json(&["claims", &self.desk, "story.txt", "--json"]);
        claims.as_array().expect("array").iter().map(|c| c["id"].as_u64().expect("id")).collect()
    }

    fn last_action(&self, entity: &str) -> String {
        let log = self.json(&["audit", "log", "--entity", entity, "--json"]);
        log.as_array().expect("array").last().expect("an entry")["action"].as_str().expect("action").to_owned()
    }

    fn source(&self, descriptor: &str, kind: &str) -> String {
        self.ok(&["source", "add", &self.desk, "--descriptor", descriptor, "--kind", kind])
    }
}

fn id(text: &str) -> u64 {
    text.parse().expect("an id")
}

#[test]
fn claim_rm_takes_a_claim_out_of_everything_and_claim_restore_brings_it_back() {
    let cli = Cli::new();
    let d = cli.desk.clone();
    let blaze = cli.tag("The blaze started in a storage building");
    let injured = cli.tag("Six workers were injured on Tuesday");
    let manager = cli.source("a senior plant manager", "unnamed");
    cli.ok(&["claim", "link", &injured, &manager, "--role", "attributed"]);
    cli.ok(&["claim", "set", &injured, "--status", "disputed"]);
    cli.ok(&[
        "evidence",
        "add",
        &injured,
        "--kind",
        "document",
        "--reference",
        "roster.pdf",
        "--summary",
        "Shift roster",
    ]);
    cli.ok(&["note", "add", "--claim", &injured, "--text", "Call the hospital"]);
    let before_findings = cli.json(&["check", &d, "story.txt", "--json"]);
    assert!(before_findings.as_array().expect("array").iter().any(|f| f["claim"].as_u64() == Some(id(&injured))));

    let (ok, out, err) = cli.run(&["claim", "rm", &injured]);
    assert!(ok && out.is_empty(), "{err}");
    assert!(err.contains(&format!("claim restore {injured}")), "{err}");

    assert_eq!(cli.claim_ids(), vec![id(&blaze)]);
    let matrix = cli.json(&["matrix", &d, "story.txt", "--json"]);
    let rows: Vec<u64> =
        matrix["rows"].as_array().expect("rows").iter().map(|r| r["claim"].as_u64().expect("id")).collect();
    assert_eq!(rows, vec![id(&blaze)]);
    let findings = cli.json(&["check", &d, "story.txt", "--json"]);
    assert!(findings.as_array().expect("array").iter().all(|f| f["claim"].as_u64() != Some(id(&injured))));
    let report = cli.ok(&["export", &d, "story.txt", "-f", "json", "--profile", "internal"]);
    assert!(!report.contains("Six workers were injured") && !report.contains("Shift roster"));
    let removed = cli.json(&["claims", &d, "story.txt", "--removed", "--json"]);
    assert_eq!(removed[0]["id"].as_u64(), Some(id(&injured)));
    assert_eq!((removed[0]["removed_by"].as_str(), removed[0]["status"].as_str()), (Some("ana"), Some("disputed")));
    assert!(cli.ok(&["claims", &d, "story.txt", "--removed"]).contains("Six workers were injured on Tuesday"));
    assert_eq!(cli.last_action(&format!("claim:{injured}")), "claim.remove");
    assert!(cli.fails(&["claim", "set", &injured, "--status", "cleared"]).contains(&format!("no claim {injured}")));
    assert!(cli.fails(&["note", "list", "--claim", &injured]).contains(&format!("no claim {injured}")));

    cli.ok(&["claim", "restore", &injured]);
    assert_eq!(cli.claim_ids(), vec![id(&blaze), id(&injured)]);
    let claims = cli.json(&["claims", &d, "story.txt", "--json"]);
    assert_eq!(claims[1]["status"].as_str(), Some("disputed"));
    assert_eq!(cli.json(&["evidence", "list", &injured, "--json"])[0]["reference"].as_str(), Some("roster.pdf"));
    assert_eq!(
        cli.json(&["note", "list", "--claim", &injured, "--json"])[0]["text"].as_str(),
        Some("Call the hospital")
    );
    let matrix = cli.json(&["matrix", &d, "story.txt", "--json"]);
    assert_eq!(matrix["sources"][0]["id"].as_u64(), Some(id(&manager)));
    assert_eq!(cli.last_action(&format!("claim:{injured}")), "claim.restore");
    assert!(cli.ok(&["claims", &d, "story.txt", "--removed"]).is_empty());

    assert!(cli.fails(&["claim", "restore", &injured]).contains("is not removed"));
    assert!(cli.fails(&["claim", "rm", "999"]).contains("no claim 999"));
    assert!(cli.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn evidence_rm_and_restore() {
    let cli = Cli::new();
    let claim = cli.tag("Six workers were injured on Tuesday");
    let evidence = cli.ok(&[
        "evidence",
        "add",
        &claim,
        "--kind",
        "photo-video",
        "--reference",
        "ward.jpg",
        "--summary",
        "Photo of the ward",
        "--independent",
        "--obtained",
        "2021-09-27",
    ]);
    let listed = cli.json(&["evidence", "list", &claim, "--json"]);
    cli.ok(&["evidence", "rm", &evidence]);
    assert_eq!(cli.json(&["evidence", "list", &claim, "--json"]), serde_json::json!([]));
    assert_eq!(cli.last_action(&format!("evidence:{evidence}")), "evidence.remove");
    assert!(cli.fails(&["evidence", "rm", &evidence]).contains(&format!("no evidence {evidence}")));
    cli.ok(&["evidence", "restore", &evidence]);
    assert_eq!(cli.json(&["evidence", "list", &claim, "--json"]), listed);
    assert!(cli.fails(&["evidence", "restore", &evidence]).contains("is not removed"));
}

#[test]
fn source_rm_is_refused_while_claims_cite_it_unless_with_links() {
    let cli = Cli::new();
    let d = cli.desk.clone();
    let injured = cli.tag("Six workers were injured on Tuesday");
    let blaze = cli.tag("The blaze started in a storage building");
    let manager = cli.source("a senior plant manager", "unnamed");
    let unused = cli.source("Fire brigade statement", "official-statement");
    cli.ok(&["claim", "link", &injured, &manager, "--role", "attributed"]);
    cli.ok(&["claim", "link", &blaze, &manager, "--role", "corroborates"]);
    let register = cli.json(&["sources", &d, "--json"]);

    let refusal = cli.fails(&["source", "rm", &manager]);
    assert!(refusal.contains(&format!("claims {injured}, {blaze}")) && refusal.contains("--with-links"), "{refusal}");
    assert_eq!(cli.json(&["sources", &d, "--json"]), register, "nothing was removed");

    cli.ok(&["source", "rm", &unused]);
    cli.ok(&["source", "rm", &manager, "--with-links"]);
    assert_eq!(cli.json(&["sources", &d, "--json"]), serde_json::json!([]));
    let matrix = cli.json(&["matrix", &d, "story.txt", "--json"]);
    assert_eq!(matrix["sources"], serde_json::json!([]));
    assert_eq!(cli.last_action(&format!("source:{manager}")), "source.remove");
    assert!(cli.fails(&["claim", "link", &injured, &manager, "--role", "attributed"]).contains("no source"));

    cli.ok(&["source", "restore", &manager]);
    cli.ok(&["source", "restore", &unused]);
    assert_eq!(cli.json(&["sources", &d, "--json"]), register);
    let matrix = cli.json(&["matrix", &d, "story.txt", "--json"]);
    let roles: Vec<&str> =
        matrix["rows"].as_array().expect("rows").iter().map(|r| r["roles"][0].as_str().expect("role")).collect();
    assert_eq!(roles, vec!["attributed", "corroborates"], "the links came back with the source");

    // A link removed on its own comes back with `claim relink`.
    cli.ok(&["claim", "unlink", &blaze, &manager]);
    cli.ok(&["claim", "relink", &blaze, &manager]);
    let matrix = cli.json(&["matrix", &d, "story.txt", "--json"]);
    assert_eq!(matrix["rows"][1]["roles"][0].as_str(), Some("corroborates"));
    assert!(cli.fails(&["claim", "relink", &blaze, &manager]).contains("is not removed"));
}

#[test]
fn note_rm_takes_a_thread_with_its_replies_and_note_restore_brings_them_back() {
    let cli = Cli::new();
    let claim = cli.tag("Six workers were injured on Tuesday");
    let thread = cli.ok(&["note", "add", "--claim", &claim, "--text", "Who is the manager?"]);
    let reply = cli.ok(&["note", "add", "--claim", &claim, "--text", "Asked the desk", "--reply-to", &thread]);
    let listed = cli.json(&["note", "list", "--claim", &claim, "--json"]);
    cli.ok(&["note", "rm", &thread]);
    assert_eq!(cli.json(&["note", "list", "--claim", &claim, "--json"]), serde_json::json!([]));
    let refusal = cli.fails(&["note", "restore", &reply]);
    assert!(refusal.contains(&format!("restore note {thread}")), "{refusal}");
    cli.ok(&["note", "restore", &thread]);
    assert_eq!(cli.json(&["note", "list", "--claim", &claim, "--json"]), listed);
    assert_eq!(cli.last_action(&format!("note:{thread}")), "note.restore");
}

#[test]
fn claim_move_places_a_claim_on_new_text_and_keeps_the_rest() {
    let cli = Cli::new();
    let d = cli.desk.clone();
    let claim = cli.tag("Six workers were injured");
    cli.ok(&["claim", "set", &claim, "--status", "corroborated"]);
    let wider = "Six workers were injured on Tuesday, a senior plant manager said.";
    cli.ok(&["claim", "move", &claim, "--quote", wider]);
    let claims = cli.json(&["claims", &d, "story.txt", "--json"]);
    assert_eq!(claims[0]["id"].as_u64(), Some(id(&claim)));
    assert_eq!((claims[0]["quote"].as_str(), claims[0]["status"].as_str()), (Some(wider), Some("corroborated")));
    assert_eq!(cli.last_action(&format!("claim:{claim}")), "claim.move");
    let refusal = cli.fails(&["claim", "move", &claim, "--quote", "Seven workers"]);
    assert!(refusal.contains("Seven workers"), "{refusal}");
    assert_eq!(cli.json(&["claims", &d, "story.txt", "--json"])[0]["quote"].as_str(), Some(wider));
}
