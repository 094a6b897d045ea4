//! The command line's contracts, run as a user runs them: the real binary,
//! real folders, a real database file.

mod engine;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn factdesk(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.arg("--db").arg(engine::db(db)).env_remove("FACTDESK_DB");
    command
}

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

#[test]
fn scan_json_lists_the_four_shared_drafts_as_ok() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = shared("drafts");
    let output = factdesk(&tmp.path().join("f.db")).args(["scan", "--json"]).arg(&dir).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["desk"], dir.display().to_string());
    let drafts = json["drafts"].as_array().expect("drafts");
    assert_eq!(drafts.len(), 4);
    for draft in drafts {
        assert_eq!(draft["state"], "ok", "{draft}");
        for key in ["path", "title", "format", "words", "state", "reason"] {
            assert!(draft.get(key).is_some(), "{key} missing in {draft}");
        }
    }
    let kabul = drafts.iter().find(|d| d["path"] == "kabul-embassy.txt").expect("kabul");
    assert_eq!(kabul["format"], "text");
    assert!(kabul["reason"].is_null());
}

#[test]
fn scan_json_gives_every_hostile_file_a_state_and_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let output =
        factdesk(&tmp.path().join("f.db")).args(["scan", "--json"]).arg(shared("hostile")).output().expect("run");
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    let state = |path: &str| {
        let file = json["drafts"].as_array().expect("drafts").iter().find(|d| d["path"] == path).expect(path).clone();
        (file["state"].as_str().unwrap_or_default().to_owned(), file["reason"].is_string())
    };
    assert_eq!(state("random-bytes.md"), ("skipped".into(), true));
    assert_eq!(state("latin1-not-utf8.txt"), ("warning".into(), true));
    assert_eq!(state("empty.md"), ("warning".into(), true));
    assert_eq!(state(".draft.md.swp"), ("ignored".into(), true));
    assert_eq!(state("draft.md~"), ("ignored".into(), true));
    assert_eq!(state(".~lock.draft.odt#"), ("ignored".into(), true));
    assert_eq!(state("bom-crlf.txt"), ("ok".into(), false));
    assert_eq!(state("script-injection.html"), ("ok".into(), false));
    assert_eq!(state("markdown-injection.md"), ("ok".into(), false));
}

#[test]
fn rescanning_picks_up_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("a.md"), "# A\n\nOne two.").expect("write");
    let db = tmp.path().join("f.db");
    let scan = |db: &Path| -> Value {
        let out = factdesk(db).args(["scan", "--json"]).arg(&desk).output().expect("run");
        serde_json::from_slice(&out.stdout).expect("json")
    };
    assert_eq!(scan(&db)["drafts"][0]["words"], 3);
    std::fs::write(desk.join("a.md"), "# A\n\nOne two three four.").expect("write");
    std::fs::write(desk.join("b.txt"), "New.").expect("write");
    let json = scan(&db);
    assert_eq!(json["drafts"][0]["words"], 5);
    assert_eq!(json["drafts"][1]["path"], "b.txt");
}

#[test]
fn a_missing_folder_fails_with_a_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let output =
        factdesk(&tmp.path().join("f.db")).args(["scan", "--json"]).arg(tmp.path().join("nope")).output().expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_damaged_database_fails_with_a_message_and_is_left_alone() {
    if engine::on_postgres() {
        return; // about the SQLite file itself
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("f.db");
    std::fs::write(&db, b"not sqlite at all, but precious".repeat(200)).expect("write");
    let output = factdesk(&db).args(["scan", "--json"]).arg(shared("drafts")).output().expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("damaged"), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read(&db).expect("read"), b"not sqlite at all, but precious".repeat(200));
}

#[test]
fn the_database_path_comes_from_factdesk_db_too() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("from-env.db");
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .env("FACTDESK_DB", &db)
        .args(["scan", "--json"])
        .arg(shared("drafts"))
        .output()
        .expect("run");
    assert!(output.status.success());
    assert!(db.exists());
}

#[test]
fn watch_json_prints_one_line_per_event() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("first.md"), "# First").expect("write");
    let mut child = factdesk(&tmp.path().join("f.db"))
        .args(["watch", "--json"])
        .arg(&desk)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The initial scan reports what it found; wait for the watcher to start.
    let stderr = child.stderr.take().expect("stderr");
    let mut ready = String::new();
    BufReader::new(stderr).read_line(&mut ready).expect("ready line");
    assert!(ready.contains("watching"), "{ready}");
    let next = |what: &str| -> Value {
        let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("no {what} line"));
        serde_json::from_str(&line).expect("one JSON object per line")
    };
    assert_eq!(next("added")["event"], "added");
    std::fs::write(desk.join("second.md"), "# Second").expect("write");
    let added = next("added");
    assert_eq!((added["event"].as_str(), added["path"].as_str()), (Some("added"), Some("second.md")));
    std::fs::rename(desk.join("second.md"), desk.join("renamed.md")).expect("rename");
    let renamed = next("renamed");
    assert_eq!(renamed["event"], "renamed");
    assert_eq!(renamed["from"], "second.md");
    assert_eq!(renamed["path"], "renamed.md");
    std::fs::remove_file(desk.join("renamed.md")).expect("delete");
    assert_eq!(next("missing")["event"], "missing");
    std::fs::write(desk.join("renamed.md"), "# Second").expect("write");
    assert_eq!(next("restored")["event"], "restored");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn help_describes_every_command() {
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk")).arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["scan", "watch", "suggest", "export", "--db"] {
        assert!(help.contains(command), "{command} not in --help:\n{help}");
    }
    for command in ["scan", "watch", "suggest"] {
        let output = Command::new(env!("CARGO_BIN_EXE_factdesk")).args([command, "--help"]).output().expect("run");
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("--json"));
    }
}

/// A desk folder `desk` in `dir` holding a copy of the seed draft as
/// `kabul.txt`: the folder and the draft's text.
fn kabul_desk(dir: &Path) -> (PathBuf, String) {
    let desk = dir.join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("seed draft");
    std::fs::write(desk.join("kabul.txt"), &kabul).expect("write");
    (desk, kabul)
}

#[test]
fn claims_are_tagged_and_reanchored_after_the_draft_is_edited() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (desk, kabul) = kabul_desk(tmp.path());
    let db = tmp.path().join("f.db");
    let run = |args: &[&str]| {
        let output = factdesk(&db).args(args).output().expect("run");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let desk_arg = desk.to_str().expect("utf-8 path");
    let quote = "Taliban leaders meet at the Chinese embassy every day";
    let (ok, id, err) = run(&["claim", "add", desk_arg, "kabul.txt", "--quote", quote]);
    assert!(ok, "{err}");
    let id: i64 = id.parse().expect("an id");

    let (ok, _, err) = run(&["claim", "add", desk_arg, "kabul.txt", "--quote", "Sources tell Strike Source that"]);
    assert!(!ok && err.contains("2 times"), "{err}");
    let (ok, _, err) = run(&["claim", "add", desk_arg, "kabul.txt", "--quote", "words nowhere in the draft"]);
    assert!(!ok && err.contains("not in the draft"), "{err}");
    let (ok, second, err) = run(&[
        "claim",
        "add",
        desk_arg,
        "kabul.txt",
        "--quote",
        "Sources tell Strike Source that",
        "--suffix",
        " a Chinese and Taliban Delegation",
    ]);
    assert!(ok, "{err}");

    let (_, json, _) = run(&["claims", desk_arg, "kabul.txt", "--json"]);
    let before: Value = serde_json::from_str(&json).expect("json");
    let start_before = before[0]["start"].as_u64().expect("start");

    // The writer inserts a paragraph above both claims.
    let inserted = "A paragraph the writer added above.\n\n";
    let edited = kabul.replacen("An Overview\n", &format!("An Overview\n\n{inserted}"), 1);
    std::fs::write(desk.join("kabul.txt"), &edited).expect("edit");
    let (ok, json, err) = run(&["claims", desk_arg, "kabul.txt", "--json"]);
    assert!(ok, "{err}");
    let claims: Value = serde_json::from_str(&json).expect("json");
    let first = &claims[0];
    assert_eq!(first["id"], id);
    assert_eq!(first["status"], "needs-corroboration");
    assert_eq!(first["anchor"]["state"], "anchored");
    assert_eq!(first["quote"], quote);
    let shift = inserted.chars().count() as u64;
    assert_eq!(first["start"].as_u64(), Some(start_before + shift));
    assert_eq!(first["end"].as_u64(), Some(start_before + shift + quote.chars().count() as u64));
    assert_eq!(claims[1]["id"].to_string(), second);
    assert!(first["anchor"]["confidence"].is_number() && first["anchor"]["candidates"].is_array());

    let (ok, _, err) = run(&["claim", "set", &id.to_string(), "--status", "corroborated"]);
    assert!(ok, "{err}");
    let (_, json, _) = run(&["claims", desk_arg, "kabul.txt", "--json"]);
    assert_eq!(serde_json::from_str::<Value>(&json).expect("json")[0]["status"], "corroborated");
    let (ok, _, err) = run(&["claim", "set", &id.to_string(), "--status", "true-ish"]);
    assert!(!ok && err.contains("unknown status"), "{err}");
}

#[test]
fn export_writes_each_format_of_a_draft_or_a_desk_after_catching_up_with_the_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (desk, _) = kabul_desk(tmp.path());
    let db = tmp.path().join("f.db");
    let run = |args: &[&str]| {
        let output = factdesk(&db).args(args).output().expect("run");
        (output.status.success(), output.stdout, String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let desk_arg = desk.to_str().expect("utf-8 path");
    let quote = "Taliban leaders meet at the Chinese embassy every day";
    let (ok, _, err) = run(&["claim", "add", desk_arg, "kabul.txt", "--quote", quote, "--status", "disputed"]);
    assert!(ok, "{err}");
    // A draft saved after the claim was tagged: export sees it without a separate scan.
    std::fs::write(desk.join("later.md"), "# Later\n\nThe council met on Monday.").expect("write");

    let (ok, md, err) = run(&["export", desk_arg, "kabul.txt", "--format", "md"]);
    assert!(ok, "{err}");
    let md = String::from_utf8(md).expect("utf-8");
    assert!(md.starts_with("# Review report: Foreign Affairs Foreign Affairs"), "{md}");
    assert!(md.contains(&format!("**{quote}**")) && md.contains("### C1: Disputed"));

    let (ok, json, err) = run(&["export", desk_arg, "--format", "json"]);
    assert!(ok, "{err}");
    let json: Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(json["schema_version"], "1.2");
    assert_eq!(json["scope"], "desk");
    let files: Vec<&str> =
        json["drafts"].as_array().expect("drafts").iter().filter_map(|d| d["file"].as_str()).collect();
    assert_eq!(files, ["kabul.txt", "later.md"]);

    for format in ["html", "csv", "annotation", "claimreview"] {
        let file = tmp.path().join(format!("report.{format}"));
        let (ok, stdout, err) = run(&[
            "export",
            desk_arg,
            "kabul.txt",
            "--format",
            format,
            "--profile",
            "internal",
            "-o",
            file.to_str().expect("p"),
        ]);
        assert!(ok, "{format}: {err}");
        assert!(stdout.is_empty(), "-o writes the file, not standard output");
        let written = std::fs::read_to_string(&file).expect("written");
        assert!(written.contains("Taliban leaders meet"), "{format}: {written}");
    }

    let (ok, _, err) = run(&["export", desk_arg, "kabul.txt", "--format", "pdf"]);
    assert!(!ok && err.contains("-o FILE"), "{err}");
    let (ok, _, err) = run(&["export", desk_arg, "--format", "docx"]);
    assert!(!ok && err.contains("unknown report format \"docx\""), "{err}");
    let (ok, _, err) = run(&["export", desk_arg, "--format", "md", "--profile", "everyone"]);
    assert!(!ok && err.contains("use desk or internal"), "{err}");
    let (ok, _, err) = run(&["export", desk_arg, "nowhere.txt", "--format", "md"]);
    assert!(!ok && err.contains("no draft nowhere.txt"), "{err}");
}

#[test]
fn export_writes_a_pdf_with_o() {
    if Command::new("weasyprint").arg("--version").output().is_err() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: WeasyPrint is not installed (scripts/setup-system.sh installs it)");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("story.md"), "# Fire at plant\n\nSix workers were injured on Tuesday.").expect("write");
    let pdf = tmp.path().join("out.pdf");
    let output = factdesk(&tmp.path().join("f.db"))
        .args(["export"])
        .arg(&desk)
        .args(["story.md", "--format", "pdf", "--with-text", "-o"])
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"));
}

#[test]
fn exporting_the_hostile_drafts_runs_nothing_and_fetches_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("f.db");
    for format in ["html", "md"] {
        let output = factdesk(&db)
            .args(["export"])
            .arg(shared("hostile"))
            .args(["--format", format, "--with-text"])
            .output()
            .expect("run");
        assert!(output.status.success(), "{format}: {}", String::from_utf8_lossy(&output.stderr));
        let report = String::from_utf8(output.stdout).expect("utf-8");
        assert!(report.contains("Budget vote"), "{format}: the Markdown draft is in the report");
        if format == "html" {
            for markup in ["<script", "<img", "<details", "<a "] {
                assert!(!report.contains(markup), "{format}: {markup} got through");
            }
        } else {
            // Markdown: every `<` and `]` of a draft is backslash-escaped, so none opens a tag or a link.
            let unescaped = report.replace("\\<", "").replace("\\]", "");
            assert!(!unescaped.contains('<'), "raw HTML got through:\n{report}");
            assert!(!unescaped.contains("]("), "a link got through:\n{report}");
        }
    }
}

/// A desk with one draft, its database, and a runner of the real binary on them.
struct ExportDesk {
    tmp: tempfile::TempDir,
    desk: PathBuf,
    db: PathBuf,
}

const DRAFT_TEXT: &str = "# Bridge closed\n\nThe county closed the bridge on Monday, officials said.\n";

impl ExportDesk {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let desk = tmp.path().join("desk");
        std::fs::create_dir_all(desk.join("sub")).expect("mkdir");
        std::fs::write(desk.join("draft.txt"), DRAFT_TEXT).expect("write");
        let db = tmp.path().join("f.db");
        Self { tmp, desk, db }
    }

    /// `factdesk export DESK draft.txt --format md [extra…]`: success and standard error.
    fn export(&self, extra: &[&std::ffi::OsStr]) -> (bool, String) {
        let output = factdesk(&self.db)
            .arg("export")
            .arg(&self.desk)
            .args(["draft.txt", "--format", "md"])
            .args(extra)
            .output()
            .expect("run");
        (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
    }

    fn draft(&self) -> String {
        std::fs::read_to_string(self.desk.join("draft.txt")).expect("the draft is still there")
    }
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

#[test]
fn export_o_onto_the_draft_itself_fails_and_leaves_the_draft_intact() {
    let d = ExportDesk::new();
    let target = d.desk.join("draft.txt");
    for force in [false, true] {
        let mut args = vec![os("-o"), target.as_os_str()];
        if force {
            args.push(os("--force"));
        }
        let (ok, err) = d.export(&args);
        assert!(!ok, "force={force}: export over the draft succeeded");
        assert!(err.contains("write it outside the desk"), "{err}");
        assert_eq!(d.draft(), DRAFT_TEXT);
    }
}

#[test]
fn export_o_inside_the_desk_is_refused_through_dots_and_linked_folders() {
    let d = ExportDesk::new();
    let outside = d.tmp.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    std::os::unix::fs::symlink(&d.desk, d.tmp.path().join("desk-link")).expect("link");
    for target in [
        d.desk.join("report.md"),
        d.desk.join("sub/report.md"),
        outside.join("../desk/draft.txt"),
        d.desk.join("sub/../draft.txt"),
        d.tmp.path().join("desk-link/draft.txt"),
        d.tmp.path().join("desk-link/sub/report.md"),
    ] {
        let (ok, err) = d.export(&[os("-o"), target.as_os_str(), os("--force")]);
        assert!(!ok, "{}: export inside the desk succeeded", target.display());
        assert!(err.contains("outside the desk"), "{}: {err}", target.display());
    }
    assert_eq!(d.draft(), DRAFT_TEXT);
    assert!(!d.desk.join("report.md").exists() && !d.desk.join("sub/report.md").exists());
    // Relative to the current folder, from inside the desk.
    let output = factdesk(&d.db)
        .current_dir(d.desk.join("sub"))
        .arg("export")
        .arg(&d.desk)
        .args(["draft.txt", "--format", "md", "-o", "../draft.txt", "--force"])
        .output()
        .expect("run");
    assert!(!output.status.success(), "a relative path into the desk was accepted");
    assert_eq!(d.draft(), DRAFT_TEXT);
}

#[test]
fn export_o_over_the_review_database_is_refused() {
    if engine::on_postgres() {
        return; // about the SQLite file itself
    }
    let d = ExportDesk::new();
    let (ok, err) = d.export(&[os("-o"), d.tmp.path().join("report.md").as_os_str()]);
    assert!(ok, "{err}");
    let (ok, err) = d.export(&[os("-o"), d.db.as_os_str(), os("--force")]);
    assert!(!ok && err.contains("outside the desk"), "{err}");
    let claims = factdesk(&d.db).arg("claims").arg(&d.desk).arg("draft.txt").output().expect("run");
    assert!(claims.status.success(), "the database still opens: {}", String::from_utf8_lossy(&claims.stderr));
}

#[test]
fn export_o_keeps_an_existing_file_unless_force() {
    let d = ExportDesk::new();
    let report = d.tmp.path().join("report.md");
    std::fs::write(&report, "a report the editor kept").expect("write");
    let (ok, err) = d.export(&[os("-o"), report.as_os_str()]);
    assert!(!ok && err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&report).expect("read"), "a report the editor kept");
    let (ok, err) = d.export(&[os("-o"), report.as_os_str(), os("--force")]);
    assert!(ok, "{err}");
    assert!(std::fs::read_to_string(&report).expect("read").contains("Bridge closed"));
    let left: Vec<_> = std::fs::read_dir(d.tmp.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("factdesk-tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    let (ok, err) = factdesk(&d.db)
        .arg("export")
        .arg(&d.desk)
        .args(["--format", "md", "--force"])
        .output()
        .map(|o| (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned()))
        .expect("run");
    assert!(!ok && err.contains("--output"), "--force without -o: {err}");
}

#[test]
fn export_o_does_not_write_through_a_symlink() {
    let d = ExportDesk::new();
    let elsewhere = d.tmp.path().join("notes.txt");
    std::fs::write(&elsewhere, "someone else's file").expect("write");
    let link = d.tmp.path().join("report.md");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("link");
    let (ok, err) = d.export(&[os("-o"), link.as_os_str()]);
    assert!(!ok && err.contains("symbolic link"), "{err}");
    let (ok, err) = d.export(&[os("-o"), link.as_os_str(), os("--force")]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::read_to_string(&elsewhere).expect("read"), "someone else's file");
    assert!(!std::fs::symlink_metadata(&link).expect("stat").file_type().is_symlink(), "the link was replaced");
    // A link at the target pointing at the draft: the draft is not written through either.
    let to_draft = d.tmp.path().join("to-draft.md");
    std::os::unix::fs::symlink(d.desk.join("draft.txt"), &to_draft).expect("link");
    let (ok, err) = d.export(&[os("-o"), to_draft.as_os_str(), os("--force")]);
    assert!(ok, "{err}");
    assert_eq!(d.draft(), DRAFT_TEXT);
}

#[test]
fn export_o_of_an_internal_report_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = ExportDesk::new();
    let internal = d.tmp.path().join("internal.md");
    let (ok, err) = d.export(&[os("--profile"), os("internal"), os("-o"), internal.as_os_str()]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::metadata(&internal).expect("stat").permissions().mode() & 0o777, 0o600);
    let desk_report = d.tmp.path().join("desk.md");
    let (ok, err) = d.export(&[os("-o"), desk_report.as_os_str()]);
    assert!(ok, "{err}");
    // A desk-profile report is created as any file is (the umask decides).
    let plain = d.tmp.path().join("plain.txt");
    std::fs::write(&plain, "x").expect("write");
    let mode = |path: &Path| std::fs::metadata(path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&desk_report), mode(&plain));
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

#[test]
fn scan_json_reads_word_and_libreoffice_documents() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    for name in ["harbor-dredging.docx", "school-board-audit.odt"] {
        std::fs::copy(repo("examples/drafts").join(name), desk.join(name)).expect("copy");
    }
    // Word's owner file and LibreOffice's lock file beside open documents.
    std::fs::write(desk.join("~$rbor-dredging.docx"), b"owner").expect("write");
    std::fs::write(desk.join(".~lock.school-board-audit.odt#"), b"lock").expect("write");
    let output = factdesk(&tmp.path().join("f.db")).args(["scan", "--json"]).arg(&desk).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    let file = |path: &str| json["drafts"].as_array().expect("drafts").iter().find(|d| d["path"] == path).cloned();
    let docx = file("harbor-dredging.docx").expect("docx");
    assert_eq!((docx["format"].as_str(), docx["state"].as_str()), (Some("docx"), Some("ok")), "{docx}");
    assert_eq!(docx["title"], "Port authority quietly doubled dredging budget, documents show");
    assert!(docx["words"].as_u64().unwrap_or(0) > 200, "{docx}");
    let odt = file("school-board-audit.odt").expect("odt");
    assert_eq!((odt["format"].as_str(), odt["state"].as_str()), (Some("odt"), Some("ok")), "{odt}");
    assert_eq!(file("~$rbor-dredging.docx").expect("lock")["state"], "ignored");
    assert_eq!(file(".~lock.school-board-audit.odt#").expect("lock")["state"], "ignored");

    // The review works on them as on any draft: suggestions, a claim tagged on the text.
    let suggest = factdesk(&tmp.path().join("f.db"))
        .args(["suggest", "--json"])
        .arg(desk.join("harbor-dredging.docx"))
        .output()
        .expect("run");
    assert!(suggest.status.success(), "{}", String::from_utf8_lossy(&suggest.stderr));
    let suggestions: Value = serde_json::from_slice(&suggest.stdout).expect("json");
    assert!(suggestions.as_array().is_some_and(|s| !s.is_empty()));
    let claim = factdesk(&tmp.path().join("f.db"))
        .args(["claim", "add"])
        .arg(&desk)
        .args(["harbor-dredging.docx", "--quote", "approved $48 million for harbor dredging"])
        .output()
        .expect("run");
    assert!(claim.status.success(), "{}", String::from_utf8_lossy(&claim.stderr));
    for format in ["md", "json", "csv"] {
        let export = factdesk(&tmp.path().join("f.db"))
            .arg("export")
            .arg(&desk)
            .args(["harbor-dredging.docx", "--format", format, "--with-text"])
            .output()
            .expect("run");
        assert!(export.status.success(), "{format}: {}", String::from_utf8_lossy(&export.stderr));
        let report = String::from_utf8_lossy(&export.stdout);
        assert!(report.contains("48 million for harbor dredging"), "{format}: {report}");
    }
}

#[test]
fn scan_json_skips_every_hostile_document_with_its_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = repo("crates/core/tests/fixtures/hostile-documents");
    let output = factdesk(&tmp.path().join("f.db")).args(["scan", "--json"]).arg(&dir).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    let drafts = json["drafts"].as_array().expect("drafts");
    assert!(drafts.len() >= 12, "{json}");
    let reason = |path: &str| {
        let file = drafts.iter().find(|d| d["path"] == path).unwrap_or_else(|| panic!("{path} in {json}"));
        assert_eq!(file["state"], "skipped", "{file}");
        file["reason"].as_str().unwrap_or_default().to_owned()
    };
    assert!(reason("password-protected.docx").contains("password-protected"));
    assert!(reason("password-protected.odt").contains("password-protected"));
    assert!(reason("binary-word-97.docx").contains("(.doc)"));
    assert!(reason("path-traversal.docx").contains("outside"));
    assert!(reason("malformed-xml.docx").contains("not well-formed XML"));
    assert!(reason("billion-laughs.docx").contains("DTD"));
    assert!(reason("html-named.docx").contains("rename it to .html"));
    for draft in drafts {
        assert_eq!(draft["state"], "skipped", "{draft}");
        assert!(draft["reason"].as_str().is_some_and(|r| !r.is_empty()), "{draft}");
    }
}
