//! The sourcing review of the seed draft done entirely on the command line:
//! the real binary, a real folder, a real database file, and the audit
//! trail altered by hand afterwards.

mod engine;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

struct Cli {
    db: PathBuf,
}

impl Cli {
    /// Runs factdesk; (success, stdout trimmed, stderr).
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        self.run_with(args, "")
    }

    /// Runs factdesk with `stdin` as its input (confidential fields given as `-`).
    fn run_with(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        engine::run_as_ana(&self.db, args, stdin)
    }

    /// Runs factdesk with `stdin`, which must succeed; its stdout.
    fn ok_with(&self, args: &[&str], stdin: &str) -> String {
        let (ok, out, err) = self.run_with(args, stdin);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    /// Runs factdesk, which must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    /// Runs factdesk, which must fail; its stderr.
    fn fails(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(!ok, "factdesk {args:?} should have failed: {out}");
        err
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json")
    }
}

fn findings(check: &Value) -> BTreeSet<(String, Option<u64>, Option<u64>)> {
    check
        .as_array()
        .expect("array of findings")
        .iter()
        .map(|f| (f["rule"].as_str().expect("rule").to_owned(), f["claim"].as_u64(), f["source"].as_u64()))
        .collect()
}

/// A desk folder `desk` in `dir` holding one draft, `name`, and the
/// command line on a store beside it: the command line and the desk's path.
fn desk_holding(dir: &Path, name: &str, text: &str) -> (Cli, String) {
    let desk = dir.join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join(name), text).expect("write");
    (Cli { db: dir.join("factdesk.db") }, desk.to_str().expect("utf-8 path").to_owned())
}

/// [`desk_holding`] a copy of the seed draft, `kabul-embassy.txt`.
fn seed_desk(dir: &Path) -> (Cli, String) {
    let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("seed draft");
    desk_holding(dir, "kabul-embassy.txt", &kabul)
}

#[test]
fn the_seed_draft_is_reviewed_for_sourcing_on_the_command_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) = seed_desk(tmp.path());
    let d = desk.as_str();
    let draft = "kabul-embassy.txt";

    // The claims that rest on unnamed sources, and one that does not.
    let tag = |quote: &str| cli.ok(&["claim", "add", d, draft, "--quote", quote]);
    let meet = tag("Taliban leaders meet at the Chinese embassy every day");
    let haqqani = tag("has met several times with China’s Intelligence Chief, Chen Wenqing, in Kabul");
    let support = tag(
        "the Chinese government is providing technological support for the Taliban’s growing intelligence operations",
    );
    let mine = tag("a Chinese and Taliban Delegation recently visited the mine");
    let muttaqi = tag("Amir Muttaqi, met with China’s Ambassador to Afghanistan, Wang Yu");

    // Sources, with what protects the unnamed ones.
    // Confidential fields come from stdin, one line each in the order --help lists them.
    let kabul_sources = cli.ok_with(
        &[
            "source",
            "add",
            d,
            "--descriptor",
            "sources in Kabul",
            "--kind",
            "Unnamed",
            "--identity",
            "-",
            "--contact",
            "-",
            "--reason",
            "-",
            "--how-known",
            "-",
            "--editor-knows",
            "-",
            "--approved-by",
            "-",
        ],
        "Name Withheld, ministry driver\n+93 700 000 000\ndrive officials to the embassy\ntheir lives would be at risk\nM. Editor\nManaging Editor\n",
    );
    let afghan_sources = cli.ok_with(
        &["source", "add", d, "--descriptor", "sources in Afghanistan", "--kind", "unnamed", "--reason", "-"],
        "fear of reprisals\n",
    );
    let statement = cli.ok(&[
        "source",
        "add",
        d,
        "--descriptor",
        "Taliban foreign ministry statement",
        "--kind",
        "official-statement",
    ]);
    let wire = cli.ok(&["source", "add", d, "--descriptor", "Reuters report", "--kind", "media-report"]);
    for (claim, source, role) in [
        (&meet, &kabul_sources, "attributed"),
        (&meet, &wire, "corroborates"),
        (&haqqani, &afghan_sources, "attributed"),
        (&support, &afghan_sources, "attributed"),
        (&mine, &kabul_sources, "attributed"),
        (&muttaqi, &statement, "attributed"),
    ] {
        cli.ok(&["claim", "link", claim, source, "--role", role]);
    }

    // Evidence.
    cli.ok(&[
        "evidence",
        "add",
        &meet,
        "--kind",
        "photo-video",
        "--reference",
        "embassy-gate.jpg",
        "--summary",
        "Taliban guards at the embassy gate",
        "--independent",
    ]);
    cli.ok(&[
        "evidence",
        "add",
        &mine,
        "--kind",
        "document",
        "--reference",
        "mes-aynak-visit.pdf",
        "--summary",
        "Mine visitor log",
        "--independent",
        "--obtained",
        "2021-09-28",
    ]);
    cli.ok(&[
        "evidence",
        "add",
        &mine,
        "--kind",
        "url",
        "--reference",
        "https://example.org/mes-aynak",
        "--summary",
        "Local report of the visit",
        "--independent",
    ]);
    cli.ok(&[
        "evidence",
        "add",
        &haqqani,
        "--kind",
        "interview",
        "--reference",
        "notes-2021-09-27.txt",
        "--summary",
        "The same source, again",
    ]);
    cli.ok(&["claim", "set", &support, "--opinion", "true"]);
    cli.ok(&["claim", "set", &mine, "--status", "corroborated"]);
    cli.ok(&["claim", "set", &muttaqi, "--status", "corroborated"]);
    cli.ok(&["note", "add", "--claim", &haqqani, "--text", "Can anyone else place Haqqani at these meetings?"]);
    cli.ok(&["note", "add", "--draft", d, draft, "--text", "Headline overstates what we can show."]);

    // Confidential fields stay out of the normal views.
    let sources = cli.ok(&["sources", d, "--json"]);
    assert!(!sources.contains("Name Withheld") && !sources.contains("+93"), "{sources}");
    assert!(sources.contains("sources in Kabul"));
    let shown = cli.ok(&["source", "show", &kabul_sources]);
    assert!(!shown.contains("Name Withheld"), "{shown}");
    let revealed = cli.json(&["source", "show", &kabul_sources, "--reveal"]);
    assert_eq!(revealed["revealed"]["identity"], "Name Withheld, ministry driver");

    // The Editor's Note is recognised in the text.
    let note = cli.json(&["editor-note", d, draft, "--json"]);
    assert_eq!(note["origin"], "from-draft");
    assert!(note["text"]
        .as_str()
        .expect("text")
        .starts_with("Editor’s Note: Sources for this report have not been named"));
    let proposal = cli.ok(&["editor-note", d, draft, "--propose"]);
    assert!(proposal.contains("relies on two sources who are not named"), "{proposal}");
    assert!(proposal.contains("their lives would be at risk") && !proposal.contains("Name Withheld"), "{proposal}");

    // The rules list what is still missing.
    let id = |text: &String| text.parse::<u64>().expect("id");
    let check = cli.json(&["check", d, draft, "--json"]);
    let expected: BTreeSet<(String, Option<u64>, Option<u64>)> = [
        ("unresolved-claim", Some(id(&meet)), None),
        ("unresolved-claim", Some(id(&haqqani)), None),
        ("unresolved-claim", Some(id(&support)), None),
        ("unnamed-needs-two-corroborations", Some(id(&haqqani)), None),
        ("unnamed-needs-two-corroborations", Some(id(&support)), None),
        ("unnamed-source-incomplete", None, Some(id(&afghan_sources))),
        ("anonymity-for-opinion", Some(id(&support)), None),
    ]
    .into_iter()
    .map(|(rule, claim, source)| (rule.to_owned(), claim, source))
    .collect();
    assert_eq!(findings(&check), expected, "{check:#}");
    for finding in check.as_array().expect("array") {
        assert_eq!(finding["overridden"], false);
        assert!(finding["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    // The text lists them by the rule's name, then its id (what `check --json` gives).
    let listed = cli.ok(&["check", d, draft]);
    assert_eq!(listed.lines().count(), expected.len(), "{listed}");
    assert!(
        listed.contains(&format!("Two-source rule (unnamed-needs-two-corroborations): claim {haqqani} ")),
        "{listed}"
    );
    assert!(listed.contains("\nUnnamed source incomplete (unnamed-source-incomplete): unnamed source "), "{listed}");
    assert!(!listed.contains('['), "no bare ids in brackets: {listed}");

    // Ready is refused with the findings; an override with a reason lets it through.
    let refused = cli.fails(&["status", d, draft, "ready"]);
    assert!(
        refused.contains("cannot be marked ready")
            && refused.contains(&format!("Anonymity for opinion (anonymity-for-opinion): claim {support} ")),
        "{refused}"
    );
    assert!(cli.fails(&["status", d, draft, "ready", "--override", "  "]).contains("must not be empty"));
    let moved = cli.ok(&["status", d, draft, "ready", "--override", "Publisher: public interest outweighs the gaps"]);
    assert_eq!(moved, "ready");
    let check = cli.json(&["check", d, draft, "--json"]);
    assert!(check.as_array().expect("array").iter().all(|f| f["overridden"] == true), "{check:#}");
    assert_eq!(check[0]["override"]["reason"], "Publisher: public interest outweighs the gaps");
    assert_eq!(check[0]["override"]["by"], "ana");
    let listed = cli.ok(&["check", d, draft]);
    assert!(
        listed.lines().all(|l| l.contains("  (overridden by ana at "))
            && listed.starts_with("Unresolved claim (unresolved-claim): "),
        "{listed}"
    );
    assert!(cli.fails(&["status", d, draft, "updated"]).contains("from ready it can go to"));

    // Every change is on the audit trail, and the chain holds.
    let log = cli.json(&["audit", "log", "--json"]);
    let actions: Vec<&str> = log.as_array().expect("array").iter().filter_map(|e| e["action"].as_str()).collect();
    for action in [
        "claim.add",
        "claim.status",
        "claim.opinion",
        "source.add",
        "claim.link",
        "evidence.add",
        "note.add",
        "source.reveal",
        "rules.override",
        "draft.status",
    ] {
        assert!(actions.contains(&action), "{action} is not audited: {actions:?}");
    }
    assert!(!log.to_string().contains("Name Withheld"), "identities stay out of the audit trail");
    assert!(cli.ok(&["audit", "verify"]).contains("intact"));

    // Someone edits the trail by hand: verify names the entry.
    let tampered = 5;
    let changed =
        engine::tamper(&cli.db, &format!("UPDATE audit_log SET actor = 'someone else' WHERE seq = {tampered}"));
    assert_eq!(changed, 1);
    let broken = cli.fails(&["audit", "verify"]);
    assert!(broken.contains(&format!("broken at entry {tampered}")), "{broken}");
}

#[test]
fn bad_sourcing_input_is_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    let other = tmp.path().join("other");
    for folder in [&desk, &other] {
        std::fs::create_dir(folder).expect("mkdir");
        std::fs::write(folder.join("story.txt"), "Title\n\nThe bridge will close in May, officials said.")
            .expect("write");
    }
    let cli = Cli { db: tmp.path().join("factdesk.db") };
    let d = desk.to_str().expect("utf-8");
    let o = other.to_str().expect("utf-8");
    let claim = cli.ok(&["claim", "add", d, "story.txt", "--quote", "The bridge will close in May"]);
    let foreign = cli.ok(&["source", "add", o, "--descriptor", "a clerk", "--kind", "unnamed"]);

    let err = cli.fails(&["source", "add", d, "--descriptor", "x", "--kind", "anonymous"]);
    assert!(err.contains("unknown source kind") && err.contains("named-person, unnamed, document"), "{err}");
    assert!(cli.fails(&["source", "add", d, "--descriptor", "  ", "--kind", "unnamed"]).contains("must not be empty"));
    let (ok, _, err) = cli
        .run_with(&["source", "add", d, "--descriptor", "the mayor", "--kind", "named-person", "--identity", "-"], "x");
    assert!(!ok && err.contains("only an unnamed source"), "{err}");
    // A confidential value typed in argv is refused, saying how to pass it; nothing is added.
    let err = cli.fails(&["source", "add", d, "--descriptor", "a clerk", "--kind", "unnamed", "--identity", "J. Doe"]);
    assert!(err.contains("must not be given on the command line") && err.contains("--identity -"), "{err}");
    assert!(cli.fails(&["claim", "link", &claim, &foreign, "--role", "attributed"]).contains("different desks"));
    assert!(cli.fails(&["claim", "link", "999", &foreign, "--role", "attributed"]).contains("no claim 999"));
    assert!(cli
        .fails(&["claim", "link", &claim, &foreign, "--role", "says"])
        .contains("attributed, corroborates, contradicts"));
    let err = cli.fails(&["evidence", "add", &claim, "--kind", "rumour", "--reference", "r", "--summary", "s"]);
    assert!(err.contains("photo-video"), "{err}");
    assert!(cli
        .fails(&["evidence", "add", "42", "--kind", "url", "--reference", "r", "--summary", "s"])
        .contains("no claim 42"));
    assert!(cli.fails(&["note", "add", "--claim", "42", "--text", "x"]).contains("no claim 42"));
    assert!(cli.fails(&["note", "add", "--draft", d, "nope.txt", "--text", "x"]).contains("no draft nope.txt"));
    assert!(cli
        .fails(&["status", d, "story.txt", "done"])
        .contains("in-review, needs-work, ready, published, updated"));
    assert!(cli.fails(&["editor-note", d, "story.txt", "--set", " "]).contains("must not be empty"));

    // A source stops being unnamed only with its confidential fields cleared, in the same command.
    let clerk = cli
        .ok_with(&["source", "add", o, "--descriptor", "a clerk", "--kind", "unnamed", "--identity", "-"], "J. Doe\n");
    assert!(cli.fails(&["source", "set", &clerk, "--kind", "named-person"]).contains("still has confidential fields"));
    cli.ok(&["source", "set", &clerk, "--kind", "named-person", "--descriptor", "J. Doe, clerk", "--identity", ""]);
    let shown = cli.json(&["source", "show", &clerk]);
    assert_eq!(
        (shown["kind"].as_str(), shown["confidential"]["identity"].as_bool()),
        (Some("named-person"), Some(false))
    );
    // Nothing was stored by the refused commands.
    assert_eq!(cli.json(&["sources", d, "--json"]), serde_json::json!([]));
    let log = cli.json(&["audit", "log", "--json"]);
    assert_eq!(log.as_array().expect("array").len(), 5, "the claim and the other desk's sources only: {log:#}");

    for command in [&["source", "add", "--help"][..], &["check", "--help"], &["evidence", "add", "--help"]] {
        let help = cli.ok(command);
        assert!(
            help.contains("unnamed") || help.contains("photo-video") || help.contains("anonymity-for-opinion"),
            "{help}"
        );
    }
}

#[test]
fn changes_from_processes_running_at_once_keep_one_intact_chain() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) = desk_holding(tmp.path(), "story.txt", "Title\n\nThe bridge will close in May, officials said.");
    let d = desk.as_str();
    let claim = cli.ok(&["claim", "add", d, "story.txt", "--quote", "The bridge will close in May"]);
    // As the window and a script would: several writers at the same moment.
    // Regression: a status change read, then wrote, in a deferred
    // transaction and failed with "database is locked" next to another writer.
    let children: Vec<_> = (0..12)
        .map(|n| {
            let text = format!("note {n}");
            let args: Vec<&str> = if n % 2 == 0 {
                vec!["note", "add", "--claim", &claim, "--text", &text]
            } else {
                vec!["claim", "set", &claim, "--status", "disputed"]
            };
            Command::new(env!("CARGO_BIN_EXE_factdesk"))
                .arg("--db")
                .arg(engine::db(&cli.db))
                .env_remove("FACTDESK_DB")
                .args(&args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("run");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(cli.ok(&["audit", "verify"]).contains("intact: 13 entries"));
}

#[test]
fn notes_added_while_new_drafts_arrive_are_all_saved() {
    // Regression (issue 11, item 1): every command catches up with the folder
    // first; two processes both saw a new file as unknown and both inserted
    // it, and about half of the runs failed with "UNIQUE constraint failed:
    // drafts.desk_id, drafts.path", the reviewer's note lost.
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) = desk_holding(tmp.path(), "story.txt", "Title\n\nThe bridge will close in May, officials said.");
    let d = desk.as_str();
    cli.ok(&["scan", d]);
    let spawn = |n: usize| {
        Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .arg("--db")
            .arg(engine::db(&cli.db))
            .env_remove("FACTDESK_DB")
            .args(["note", "add", "--draft", d, "story.txt", "--text", &format!("note {n}")])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let mut children = Vec::new();
    for n in 0..40 {
        // New drafts appear between the runs, as a writer's folder fills up.
        std::fs::write(
            Path::new(d).join(format!("new-{n:02}.txt")),
            format!("Title {n}\n\nArrived while commands ran."),
        )
        .expect("write");
        children.push(spawn(n));
    }
    let failures: Vec<String> = children
        .into_iter()
        .map(|child| child.wait_with_output().expect("run"))
        .filter(|output| !output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stderr).into_owned())
        .collect();
    assert!(failures.is_empty(), "{} of 40 runs failed: {failures:?}", failures.len());
    let notes = cli.json(&["note", "list", "--draft", d, "story.txt", "--json"]);
    assert_eq!(notes.as_array().map(Vec::len), Some(40), "{notes}");
    let scanned = cli.json(&["scan", d, "--json"]);
    assert_eq!(scanned["drafts"].as_array().map(Vec::len), Some(41));
}

/// Issue 19: one claim, attributed to one unnamed source and corroborated by
/// one independent photo, asked through every surface the command line has:
/// each gives the same two-source verdict and the same attribution.
#[test]
fn check_matrix_claims_and_every_report_give_one_answer_for_a_claim() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) = seed_desk(tmp.path());
    let d = desk.as_str();
    let draft = "kabul-embassy.txt";

    // Tagged by hand (no suggestion accepted): the attribution still comes from the wording.
    let claim: u64 = cli
        .ok(&["claim", "add", d, draft, "--quote", "Taliban leaders meet at the Chinese embassy every day"])
        .parse()
        .expect("claim id");
    let claims = cli.json(&["claims", d, draft, "--json"]);
    let attribution = &claims[0]["attribution"];
    assert_eq!(
        (attribution["kind"].as_str(), attribution["from"].as_str()),
        (Some("unnamed"), Some("wording")),
        "{claims:#}"
    );
    assert_eq!(attribution["cue"], "Sources tell");

    let source = cli.ok(&["source", "add", d, "--descriptor", "a senior Western diplomat", "--kind", "unnamed"]);
    cli.ok(&["claim", "link", &claim.to_string(), &source, "--role", "attributed"]);
    cli.ok(&[
        "evidence",
        "add",
        &claim.to_string(),
        "--kind",
        "photo-video",
        "--reference",
        "gate.jpg",
        "--summary",
        "Convoys at the embassy gate",
        "--independent",
    ]);
    let verdict = "Two-source rule not met: attributed only to unnamed sources and has 1 independent corroboration of the 2 needed";

    // claims --json: now from its sources.
    let claims = cli.json(&["claims", d, draft, "--json"]);
    assert_eq!(claims[0]["attribution"]["from"], "sources");
    assert_eq!(claims[0]["attribution"]["kind"], "unnamed");

    // matrix --json: the same verdict, the same attribution.
    let matrix = cli.json(&["matrix", d, draft, "--json"]);
    let row = &matrix["rows"][0];
    assert_eq!(row["claim"], claim);
    assert_eq!(row["corroboration"]["two_source_rule"], false, "{matrix:#}");
    assert_eq!(row["corroboration"]["blocks_ready"], true);
    assert_eq!(row["corroboration"]["verdict"], verdict);
    assert_eq!(row["attribution"], claims[0]["attribution"]);
    assert_eq!(row["corroboration"]["rule"], "not-met");
    // The text matrix: the window's marks, "1/2" for one independent corroboration of the two needed, and a
    // key that says what each mark means (never a bare "no", which read the same for a rule that does not apply).
    let text = cli.ok(&["matrix", d, draft]);
    let line = text.lines().find(|l| l.trim_start().starts_with(&claim.to_string())).expect("the claim's row");
    assert!(line.contains(" 1/2 "), "{text}");
    assert!(
        text.contains("2-src: met, 1/2 not met (independent corroborations of those needed), n/a does not apply"),
        "{text}"
    );

    // check --json: the rule reports the very shortfall the matrix states.
    let check = cli.json(&["check", d, draft, "--json"]);
    let finding = check
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "unnamed-needs-two-corroborations" && f["claim"] == claim)
        .expect("the rule reports the claim");
    let shortfall = verdict.trim_start_matches("Two-source rule not met: ");
    assert!(finding["message"].as_str().expect("message").ends_with(&format!("is {shortfall}")), "{finding:#}");

    // export --format json: the report carries the same verdict and attribution.
    let report = cli.json(&["export", d, draft, "--format", "json"]);
    let reported = &report["drafts"][0]["claims"][0];
    assert_eq!(reported["corroboration"]["verdict"], verdict, "{reported:#}");
    assert_eq!(reported["corroboration"]["two_source_rule"], false);
    assert_eq!(reported["corroboration"]["needed"], row["corroboration"]["needed"]);
    assert_eq!(reported["attribution"]["kind"], "unnamed");
    assert_eq!(reported["attribution"]["basis"], "sources");
    assert_eq!(report["drafts"][0]["summary"]["two_source_rule_holds"], 0);
    let reported_finding = report["drafts"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "unnamed-needs-two-corroborations")
        .expect("the report lists the finding");
    assert_eq!(reported_finding["message"], finding["message"]);

    // export --format md: the verdict word for word.
    let markdown = cli.ok(&["export", d, draft, "--format", "md"]);
    assert!(markdown.contains(&format!("- **Corroboration:** {verdict}")), "{markdown}");
    assert!(markdown.contains("the two-source rule is met for 0 of the 1 claim it applies to"), "{markdown}");

    // A second independent item: every surface turns together.
    cli.ok(&[
        "evidence",
        "add",
        &claim.to_string(),
        "--kind",
        "document",
        "--reference",
        "log.pdf",
        "--summary",
        "Visitor log",
        "--independent",
    ]);
    let matrix = cli.json(&["matrix", d, draft, "--json"]);
    assert_eq!(matrix["rows"][0]["corroboration"]["verdict"], "Two-source rule met");
    let text = cli.ok(&["matrix", d, draft]);
    assert!(text.lines().any(|l| l.trim_start().starts_with(&claim.to_string()) && l.contains(" met ")), "{text}");
    let check = cli.json(&["check", d, draft, "--json"]);
    assert!(!check.as_array().expect("findings").iter().any(|f| f["rule"] == "unnamed-needs-two-corroborations"));
    let report = cli.json(&["export", d, draft, "--format", "json"]);
    assert_eq!(report["drafts"][0]["claims"][0]["corroboration"]["verdict"], "Two-source rule met");
    assert_eq!(report["drafts"][0]["summary"]["two_source_rule_holds"], 1);
}

/// Issue 19: a ready draft whose claim's sentence is deleted on disk goes
/// back to needs-work; `status` and `check --json` say why; `overview` shows it.
#[test]
fn a_ready_draft_edited_on_disk_is_shown_changed_since_ready_on_the_command_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    let text = "Harbor\n\nThe port approved $48 million for dredging, the minutes show.\n\nThe mayor said work starts in May.\n";
    std::fs::write(desk.join("harbor.txt"), text).expect("write");
    let cli = Cli { db: tmp.path().join("factdesk.db") };
    let d = desk.to_str().expect("utf-8 path");
    let claim = cli.ok(&["claim", "add", d, "harbor.txt", "--quote", "The mayor said work starts in May."]);
    cli.ok(&["claim", "set", &claim, "--status", "corroborated"]);
    assert_eq!(cli.ok(&["status", d, "harbor.txt", "ready"]), "ready");
    assert!(cli.ok(&["status", d, "harbor.txt"]).starts_with("ready (set by ana"));
    let overview = cli.json(&["overview", d, "--json"]);
    assert_eq!(overview[0]["status"], "ready");
    assert_eq!(overview[0]["claims"]["corroborated"], 1);

    // The writer deletes the claim's sentence.
    std::fs::write(desk.join("harbor.txt"), text.replace("The mayor said work starts in May.\n", "")).expect("save");
    let shown = cli.ok(&["status", d, "harbor.txt"]);
    assert!(shown.starts_with("needs-work (set by factdesk"), "{shown}");
    assert!(shown.contains("changed since ready, sent back to needs-work"), "{shown}");
    assert!(shown.contains(&format!("claim {claim}")) && shown.contains("is no longer in the text"), "{shown}");
    assert!(shown.contains("\n  Changed since ready (changed-since-ready): "), "the rule's name, then its id: {shown}");
    let status = cli.json(&["status", d, "harbor.txt", "--json"]);
    assert_eq!(status["status"], "needs-work");
    assert_eq!(status["changed_since_ready"]["changes"][0]["kind"], "claim-orphaned");
    let check = cli.json(&["check", d, "harbor.txt", "--json"]);
    let changed =
        check.as_array().expect("findings").iter().find(|f| f["rule"] == "changed-since-ready").expect("reported");
    assert_eq!(changed["message"], status["changed_since_ready"]["reason"]);
    let overview = cli.json(&["overview", d, "--json"]);
    assert_eq!(
        (overview[0]["status"].as_str(), overview[0]["changed_since_ready"].as_bool()),
        (Some("needs-work"), Some(true))
    );
    let log = cli.ok(&["audit", "log"]);
    // On a team store the trail records the connection's login for Factdesk's own changes too.
    let system = if engine::on_postgres() { engine::LOGIN } else { "factdesk" };
    assert!(log.contains(system) && log.contains("Workflow status changed: ready \u{2192} needs-work"), "{log}");

    // The desk's setting: off, and it sticks.
    assert_eq!(cli.ok(&["settings", d]), "reopen-when-changed: true");
    assert_eq!(cli.ok(&["settings", d, "--reopen-when-changed", "false"]), "reopen-when-changed: false");
    assert_eq!(cli.ok(&["settings", d]), "reopen-when-changed: false");
    assert!(cli.fails(&["status", d, "harbor.txt", "--override", "why"]).contains("--override goes with a status"));
}

#[test]
fn a_change_from_the_command_line_on_a_version_someone_changed_since_is_refused_with_theirs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) =
        desk_holding(tmp.path(), "story.txt", "Six workers were injured on Tuesday, a plant manager said.");
    let d = desk.as_str();
    let claim = cli.ok(&["claim", "add", d, "story.txt", "--quote", "Six workers were injured"]);
    let version = |cli: &Cli| cli.json(&["claims", d, "story.txt", "--json"])[0]["version"].as_i64().expect("version");
    let seen = version(&cli).to_string();

    // Two scripts read the same version; the first change lands, the second is refused and changes nothing.
    cli.ok(&["claim", "set", &claim, "--status", "disputed", "--expect-version", &seen]);
    let err = cli.fails(&["claim", "set", &claim, "--status", "cleared", "--expect-version", &seen]);
    assert!(err.contains("disputed") && err.contains("since you saw it"), "{err}");
    assert_eq!(cli.json(&["claims", d, "story.txt", "--json"])[0]["status"], "disputed");
    // On the version now seen, it goes through; without a version, it lands over whatever is there.
    cli.ok(&["claim", "set", &claim, "--status", "cleared", "--expect-version", &version(&cli).to_string()]);
    cli.ok(&["claim", "set", &claim, "--status", "corroborated"]);

    // The editor's note: 0 before any save.
    cli.ok(&["editor-note", d, "story.txt", "--set", "Editor's Note: names withheld.", "--expect-version", "0"]);
    let err = cli.fails(&["editor-note", d, "story.txt", "--set", "Editor's Note: other.", "--expect-version", "0"]);
    assert!(err.contains("names withheld"), "{err}");
    let note = cli.json(&["editor-note", d, "story.txt", "--json"]);
    assert_eq!((note["text"].as_str(), note["version"].as_i64()), (Some("Editor's Note: names withheld."), Some(1)));

    // A note and a source.
    let note = cli.ok(&["note", "add", "--claim", &claim, "--text", "Call the brigade"]);
    cli.ok(&["note", "edit", &note, "--text", "Called the brigade", "--expect-version", "1"]);
    let err = cli.fails(&["note", "edit", &note, "--text", "Call the hospital", "--expect-version", "1"]);
    assert!(err.contains("Called the brigade"), "{err}");
    let source = cli.ok(&["source", "add", d, "--descriptor", "a plant manager", "--kind", "named-person"]);
    cli.ok(&["source", "set", &source, "--descriptor", "the plant manager", "--expect-version", "1"]);
    let err = cli.fails(&["source", "set", &source, "--descriptor", "a manager", "--expect-version", "1"]);
    assert!(err.contains("the plant manager"), "{err}");
    // A source's confidential fields too: the error names the fields, never what they hold.
    let (ok, unnamed, err) = cli.run_with(
        &["source", "add", d, "--descriptor", "a shift lead", "--kind", "unnamed", "--identity", "-"],
        "J. Doe",
    );
    assert!(ok, "{err}");
    let set_identity = |identity: &str| {
        cli.run_with(&["source", "set", unnamed.trim(), "--identity", "-", "--expect-version", "1"], identity)
    };
    let (ok, _, err) = set_identity("Jo Doe-Smith");
    assert!(ok, "{err}");
    let (ok, _, err) = set_identity("Jay Dee");
    assert!(!ok && err.contains("since you saw it") && err.contains("confidential fields: identity"), "{err}");
    assert!(!err.contains("Jo Doe") && !err.contains("Jay Dee"), "{err}");

    // Every refusal is on the trail, and the trail still agrees with the rows.
    let log = cli.ok(&["audit", "log"]);
    assert_eq!(log.matches("Change refused").count(), 5, "{log}");
    cli.ok(&["audit", "verify"]);
}

#[test]
fn source_set_with_public_and_confidential_changes_applies_both_or_neither() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (cli, desk) =
        desk_holding(tmp.path(), "story.txt", "Six workers were injured on Tuesday, a plant manager said.");
    let d = desk.as_str();
    let show = |id: &str| cli.json(&["source", "show", id]);

    // The confidential part refused after the public part was accepted: the public part is not kept either.
    let named = cli.ok(&["source", "add", d, "--descriptor", "a plant manager", "--kind", "named-person"]);
    let (ok, _, err) = cli.run_with(
        &["source", "set", &named, "--descriptor", "the plant manager", "--identity", "-", "--expect-version", "1"],
        "J. Doe",
    );
    assert!(!ok, "a named source takes no identity");
    assert!(!err.contains("J. Doe"), "{err}");
    let source = show(&named);
    assert_eq!((source["descriptor"].as_str(), source["version"].as_i64()), (Some("a plant manager"), Some(1)));

    // On a stale version, neither part lands, and the refusal names the fields, not their content.
    let (ok, unnamed, err) = cli.run_with(
        &["source", "add", d, "--descriptor", "a shift lead", "--kind", "unnamed", "--identity", "-"],
        "J. Doe",
    );
    assert!(ok, "{err}");
    let unnamed = unnamed.trim();
    cli.ok(&["source", "set", unnamed, "--notes", "met twice", "--expect-version", "1"]);
    let (ok, _, err) = cli.run_with(
        &["source", "set", unnamed, "--descriptor", "a night-shift lead", "--identity", "-", "--expect-version", "1"],
        "Jay Dee",
    );
    assert!(!ok && err.contains("since you saw it"), "{err}");
    assert!(!err.contains("Jay Dee"), "{err}");
    assert_eq!(show(unnamed)["descriptor"], "a shift lead");

    // On the version now, both land together: one change of version, one transaction.
    let (ok, _, err) = cli.run_with(
        &["source", "set", unnamed, "--descriptor", "a night-shift lead", "--identity", "-", "--expect-version", "2"],
        "Jay Dee",
    );
    assert!(ok, "{err}");
    let revealed = cli.json(&["source", "show", unnamed, "--reveal"]);
    assert_eq!(revealed["descriptor"], "a night-shift lead");
    assert_eq!(revealed["revealed"]["identity"], "Jay Dee");
    cli.ok(&["audit", "verify"]);
}

/// `--help` says how a confidential field is given (`-`, then stdin), as the refusal of a value in argv does; it
/// said "Beware: command-line arguments stay in shell history" of a value that is refused anyway (teamtry P4).
#[test]
fn the_help_of_confidential_fields_says_to_give_them_on_stdin() {
    for sub in ["add", "set"] {
        let output =
            Command::new(env!("CARGO_BIN_EXE_factdesk")).args(["source", sub, "--help"]).output().expect("run");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{help}");
        assert!(!help.contains("Beware"), "{help}");
        for flag in ["--identity", "--contact", "--how-known", "--reason", "--editor-knows", "--approved-by"] {
            let line = help.lines().skip_while(|l| !l.trim_start().starts_with(flag)).take(3).collect::<String>();
            assert!(line.contains("`-`") && line.contains("stdin"), "{sub} {flag}: {line}");
        }
    }
}

/// teamtry P9: `note list` marks a private note, and the replies in its thread (private with it), as the window
/// does; a public note is not marked.
#[test]
fn note_list_marks_private_notes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("harbor.txt"), "Harbor\n\nThe port approved $48 million for dredging.\n").expect("write");
    let cli = Cli { db: tmp.path().join("factdesk.db") };
    let d = desk.to_str().expect("utf-8 path");
    let claim = cli.ok(&["claim", "add", d, "harbor.txt", "--quote", "The port approved $48 million for dredging."]);
    let open = cli.ok(&["note", "add", "--claim", &claim, "--text", "Ask the port for the minutes."]);
    let private = cli.ok(&["note", "add", "--claim", &claim, "--text", "Our man at the port says so.", "--private"]);
    cli.ok(&["note", "add", "--claim", &claim, "--text", "Does he have it first-hand?", "--reply-to", &private]);
    let listed = cli.ok(&["note", "list", "--claim", &claim]);
    let line_of = |text: &str| listed.lines().find(|line| line.contains(text)).unwrap_or_else(|| panic!("{listed}"));
    assert!(!line_of("Ask the port").contains("[private]"), "{listed}");
    assert!(line_of("Our man at the port").contains("[private]:"), "{listed}");
    assert!(line_of("first-hand?").contains("[private]:"), "a reply in a private thread: {listed}");
    assert!(line_of("Ask the port").trim_start().starts_with(&format!("{open}  ana")), "{listed}");
}
