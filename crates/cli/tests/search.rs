//! `factdesk search` with the real binary on a real folder holding a copy of
//! the seed draft, and a real database file.

mod engine;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

struct Desk {
    tmp: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::copy(shared("drafts/kabul-embassy.txt"), folder.join("kabul-embassy.txt")).expect("seed draft");
        std::fs::write(
            folder.join("harbour.md"),
            "# Harbour works\n\nThe dredging will cost $1.2bn, the port authority said.\n\n\
             The café on the Zürich quay closes. The U.S. consul visited.\n",
        )
        .expect("write");
        std::fs::write(
            folder.join("loose.txt"),
            "Loose parts\n\nIn 1 ward the bill was 2bn. The us team and the s team met.\n",
        )
        .expect("write");
        Self { tmp }
    }

    fn folder(&self) -> String {
        self.tmp.path().join("desk").display().to_string()
    }

    fn run_with(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        engine::run_as_ana(&self.tmp.path().join("f.db"), args, stdin)
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, "")
    }

    fn ok_with(&self, args: &[&str], stdin: &str) -> String {
        let (ok, out, err) = self.run_with(args, stdin);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    fn fails(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run_with(args, "");
        assert!(!ok, "factdesk {args:?} should have failed: {out}");
        err
    }

    /// Tags the claim `quote` in the seed draft: its id.
    fn tag_in_kabul(&self, quote: &str) -> String {
        self.ok(&["claim", "add", &self.folder(), "kabul-embassy.txt", "--quote", quote])
    }

    /// `search DESK QUERY --json` with more arguments.
    fn search(&self, query: &str, more: &[&str]) -> Vec<Value> {
        let folder = self.folder();
        let mut args = vec!["search", folder.as_str(), query, "--json"];
        args.extend_from_slice(more);
        let out: Value = serde_json::from_str(&self.ok(&args)).expect("json");
        out.as_array().expect("an array of hits").clone()
    }

    /// (kind, draft) of each hit, as a set.
    fn found(&self, query: &str, more: &[&str]) -> BTreeSet<(String, String)> {
        self.search(query, more)
            .iter()
            .map(|h| (h["kind"].as_str().expect("kind").to_owned(), h["draft"].as_str().unwrap_or("-").to_owned()))
            .collect()
    }
}

fn pair(kind: &str, draft: &str) -> (String, String) {
    (kind.to_owned(), draft.to_owned())
}

/// The highlighted words of a hit's snippet.
fn highlighted(hit: &Value) -> Vec<String> {
    let text: Vec<char> = hit["snippet"]["text"].as_str().expect("snippet text").chars().collect();
    hit["snippet"]["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|s| {
            let offset = |key: &str| usize::try_from(s[key].as_u64().expect("offset")).expect("fits");
            let (start, end) = (offset("start"), offset("end"));
            text[start..end].iter().collect()
        })
        .collect()
}

#[test]
fn search_json_finds_a_claim_with_exactly_the_contract_keys_and_the_match_highlighted() {
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.tag_in_kabul("Taliban leaders meet at the Chinese embassy every day");
    let hits = desk.search("leaders", &[]);
    assert_eq!(hits.len(), 2, "the draft and the claim: {hits:?}");
    for hit in &hits {
        let keys: BTreeSet<&str> = hit.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["kind", "id", "draft", "snippet", "score"]));
        assert_eq!(hit["draft"], "kabul-embassy.txt");
        assert_eq!(highlighted(hit), vec!["leaders"]);
        assert!(hit["score"].as_f64().expect("score") > 0.0);
    }
    let claim_hit = hits.iter().find(|h| h["kind"] == "claim").expect("the claim");
    assert_eq!(claim_hit["id"].to_string(), claim);

    // Filters: kind, claim status, the draft, its workflow status, dates.
    assert_eq!(desk.found("embassy", &["--kind", "claim"]), BTreeSet::from([pair("claim", "kabul-embassy.txt")]));
    assert!(desk.search("embassy", &["--status", "disputed"]).is_empty());
    desk.ok(&["claim", "set", &claim, "--status", "disputed"]);
    assert_eq!(desk.found("embassy", &["--status", "disputed"]), BTreeSet::from([pair("claim", "kabul-embassy.txt")]));
    assert!(desk.search("embassy", &["--workflow", "ready"]).is_empty());
    assert_eq!(desk.search("embassy", &["--workflow", "in-review", "--draft", "kabul-embassy.txt"]).len(), 2);
    assert!(desk.search("consul", &["--draft", "kabul-embassy.txt"]).is_empty());
    assert!(desk.search("embassy", &["--until", "2000-01-01"]).is_empty());
    assert_eq!(desk.search("embassy", &["--since", "2000-01-01", "--kind", "draft,claim"]).len(), 2);
    assert_eq!(desk.search("embassy", &["--attribution", "unnamed"]).len(), 1, "Sources tell Strike Source");
    assert_eq!(desk.search("embassy", &["--limit", "1"]).len(), 1);

    let human = desk.ok(&["search", &folder, "leaders"]);
    assert!(human.contains("«leaders»") && human.contains("kabul-embassy.txt"), "{human}");
}

#[test]
fn search_folds_diacritics_matches_phrases_figures_and_prefixes() {
    let desk = Desk::new();
    assert_eq!(desk.found("cafe zurich", &[]), BTreeSet::from([pair("draft", "harbour.md")]));
    assert_eq!(desk.found("CAFÉ", &[]), BTreeSet::from([pair("draft", "harbour.md")]));
    assert_eq!(desk.found("\"according to sources\"", &[]), BTreeSet::from([pair("draft", "kabul-embassy.txt")]));
    assert!(desk.search("\"sources according to\"", &[]).is_empty());
    // A figure matches as written: loose.txt holds a 1, a 2bn, a us and an s, apart.
    assert_eq!(desk.found("$1.2bn", &[]), BTreeSet::from([pair("draft", "harbour.md")]));
    assert!(desk.search("$1.3bn", &[]).is_empty());
    assert_eq!(
        desk.found("U.S.", &[]),
        BTreeSet::from([pair("draft", "harbour.md"), pair("draft", "kabul-embassy.txt")])
    );
    assert_eq!(desk.found("\"50 billion\"", &[]), BTreeSet::from([pair("draft", "kabul-embassy.txt")]));
    assert_eq!(desk.found("dredg*", &[]), BTreeSet::from([pair("draft", "harbour.md")]));
    assert!(desk.search("dredg", &[]).is_empty());
}

#[test]
fn a_confidential_value_and_a_private_note_are_never_found() {
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.tag_in_kabul("Taliban leaders meet at the Chinese embassy every day");
    let source = desk.ok_with(
        &[
            "source",
            "add",
            &folder,
            "--descriptor",
            "a Taliban commander in Kandahar",
            "--kind",
            "unnamed",
            "--identity",
            "-",
            "--contact",
            "-",
            "--reason",
            "-",
        ],
        "Zebediah Quartermaine\nzq@protonmail.example\nfears for his family\n",
    );
    desk.ok(&["claim", "link", &claim, &source, "--role", "attributed"]);
    desk.ok(&["note", "add", "--claim", &claim, "--text", "Met him at the Mirabelle guesthouse", "--private"]);
    desk.ok(&["note", "add", "--claim", &claim, "--text", "Ask the ministry about the meetings"]);

    assert_eq!(desk.found("kandahar", &[]), BTreeSet::from([pair("source", "-")]), "the descriptor is public");
    assert_eq!(desk.found("ministry", &[]), BTreeSet::from([pair("note", "kabul-embassy.txt")]));
    for secret in ["Zebediah", "Quartermaine", "protonmail", "zq", "family", "Mirabelle", "guesthouse"] {
        assert!(desk.search(secret, &[]).is_empty(), "{secret} was found");
        assert!(desk.search(&format!("{secret}*"), &[]).is_empty(), "{secret}* was found");
    }
}

#[test]
fn bad_search_input_gets_a_clear_error() {
    let desk = Desk::new();
    let folder = desk.folder();
    assert!(desk.fails(&["search", &folder, " $ "]).contains("type a word"));
    assert!(desk.fails(&["search", &folder, "x", "--kind", "drafts"]).contains("draft, claim, note, evidence, source"));
    assert!(desk.fails(&["search", &folder, "x", "--status", "maybe"]).contains("maybe"));
    assert!(desk.fails(&["search", &folder, "x", "--since", "2026-13-01"]).contains("YYYY-MM-DD"));
    assert!(desk
        .fails(&["search", &folder, "x", "--since", "2026-02-01", "--until", "2026-01-01"])
        .contains("before it starts"));
    assert!(desk.fails(&["search", &folder, "x", "--draft", "nope.txt"]).contains("nope.txt"));
    // Operators and column filters are only words.
    assert!(desk.search("NEAR(embassy) OR body:x", &[]).is_empty());
    assert_eq!(
        desk.found("embassy AND", &[]),
        BTreeSet::from([pair("draft", "kabul-embassy.txt")]),
        "a trailing AND is the word and, which the draft holds"
    );
}

#[test]
fn drafts_a_first_command_did_not_open_are_read_when_searched_or_scanned() {
    let desk = Desk::new();
    let folder = desk.folder();
    // The first command on this desk records the drafts without reading
    // them, and reads only the one it is given.
    let claims: Value = serde_json::from_str(&desk.ok(&["claims", &folder, "harbour.md", "--json"])).expect("json");
    assert_eq!(claims, Value::Array(Vec::new()));
    // A search reads the others first: a word only in loose.txt is found.
    assert_eq!(desk.found("ward", &[]), BTreeSet::from([pair("draft", "loose.txt")]));
    // `scan` lists every draft's words and title, read or not.
    let fresh = Desk::new();
    let fresh_folder = fresh.folder();
    fresh.ok(&["claims", &fresh_folder, "harbour.md"]);
    let scan: Value = serde_json::from_str(&fresh.ok(&["scan", &fresh_folder, "--json"])).expect("json");
    let loose = scan["drafts"].as_array().expect("drafts").iter().find(|d| d["path"] == "loose.txt").expect("listed");
    assert_eq!(loose["title"], "Loose parts", "{loose}");
    assert_eq!(loose["words"], 17, "{loose}");
}

#[test]
fn search_assignee_keeps_the_claims_and_drafts_assigned_to_that_person() {
    if engine::on_postgres() {
        return; // search is SQLite's FTS5; a team store refuses it with a clear error
    }
    let desk = Desk::new();
    let folder = desk.folder();
    let claim = desk.ok(&["claim", "add", &folder, "harbour.md", "--quote", "The dredging will cost $1.2bn"]);
    desk.ok(&["assign", &claim, "--to", "ben"]);
    desk.ok(&["assign", "--draft", &folder, "loose.txt", "--to", "ben"]);
    assert_eq!(desk.found("dredging", &["--assignee", "ben"]), BTreeSet::from([pair("claim", "harbour.md")]));
    assert_eq!(desk.found("parts", &["--assignee", "ben"]), BTreeSet::from([pair("draft", "loose.txt")]));
    assert!(desk.found("dredging", &["--assignee", "carol"]).is_empty());
    assert_eq!(desk.found("dredging", &[]).len(), 2, "without the filter, the draft too");
}
