//! Durability and concurrency with the real binary: many `factdesk`
//! processes on one database at once, processes killed with SIGKILL
//! mid-write, and power cuts simulated from a trace of the writes and
//! fsyncs the binary really made. Each test says what it counts; the
//! counts are printed (`-- --nocapture`) for the issue notes.
//!
//! Sizes: the defaults are CI-sized; `make soak` raises them through
//! FACTDESK_STRESS_OPS, FACTDESK_STRESS_PROCESSES and FACTDESK_KILLS.

use factdesk_core::store::Store;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const STORY: &str = "Six workers were injured on Tuesday, the plant's manager said.\n\n\
                     The plant reopened on Friday after an inspection, officials said.\n\n\
                     Two of the workers remain in hospital, according to the union.\n";

/// The binary under test; FACTDESK_TEST_BIN runs these tests against
/// another build (e.g. an older one, to see them fail before a fix).
fn factdesk(db: &Path) -> Command {
    let binary = std::env::var_os("FACTDESK_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_factdesk").into());
    let mut command = Command::new(binary);
    command.arg("--db").arg(db).env_remove("FACTDESK_DB").env("USER", "ana");
    command
}

fn run(db: &Path, args: &[&str]) -> Output {
    factdesk(db).args(args).output().expect("run factdesk")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_owned()
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small deterministic generator: reproducible runs without a crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("FACTDESK_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_201)
}

struct Desk {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    dir: PathBuf,
}

impl Desk {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("desk");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(dir.join("story.txt"), STORY).expect("write");
        let db = tmp.path().join("data/factdesk.db");
        Self { _tmp: tmp, db, dir }
    }

    fn dir(&self) -> &str {
        self.dir.to_str().expect("UTF-8 temp path")
    }

    /// Every note's text in the database, read afresh.
    fn notes(&self) -> BTreeSet<String> {
        note_texts(&self.db)
    }

    fn audit_verify(&self) -> Output {
        run(&self.db, &["audit", "verify"])
    }
}

/// Every note's text in the database at `db` (opened as Factdesk opens it,
/// which recovers the WAL after a crash).
fn note_texts(db: &Path) -> BTreeSet<String> {
    drop(Store::open(db).expect("the database opens"));
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare("SELECT text FROM notes").expect("prepare");
    let texts = stmt.query_map([], |row| row.get(0)).expect("query").collect::<Result<_, _>>().expect("rows");
    texts
}

/// A long draft with many sentences worth a claim: re-anchoring takes a
/// while, so processes doing it at once really overlap.
fn long_story() -> String {
    (0..80)
        .map(|i| {
            format!("Paragraph {i}: {} workers were injured at plant {i} on Tuesday, its manager said.\n\n", i + 3)
        })
        .collect()
}

#[test]
fn forty_notes_on_a_draft_that_just_arrived_are_all_saved() {
    let desk = Desk::new();
    assert!(run(&desk.db, &["scan", desk.dir()]).status.success());
    for round in 0..3 {
        let name = format!("breaking-{round}.txt");
        std::fs::write(desk.dir.join(&name), "The minister resigned on Monday, aides said.\n").expect("write");
        let children: Vec<(String, Child)> = (0..40)
            .map(|i| {
                let note = format!("round {round} note {i}");
                let child = factdesk(&desk.db)
                    .args(["note", "add", "--draft", desk.dir(), &name, "--text", &note])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn");
                (note, child)
            })
            .collect();
        let mut failures = Vec::new();
        for (note, child) in children {
            let out = child.wait_with_output().expect("wait");
            if !out.status.success() {
                failures.push(text(&out.stderr));
            } else {
                assert!(desk.notes().contains(&note), "{note} acknowledged but not found");
            }
        }
        assert!(failures.is_empty(), "round {round}: {} of 40 failed, e.g. {:?}", failures.len(), failures.first());
    }
}

#[test]
fn eighty_first_runs_at_once_all_succeed_and_show_no_sql() {
    let desk = Desk::new();
    let children: Vec<Child> = (0..80)
        .map(|_| {
            factdesk(&desk.db)
                .args(["scan", desk.dir()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut failures = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        if !out.status.success() {
            failures.push(text(&out.stderr));
        }
    }
    assert!(failures.is_empty(), "{} of 80 failed, e.g. {:?}", failures.len(), failures.first());
    let store = Store::open(&desk.db).expect("open");
    assert_eq!(store.schema_version().expect("v") as usize, factdesk_core::store::embedded_migrations().len());
    let drafts: Value = serde_json::from_slice(&run(&desk.db, &["scan", desk.dir(), "--json"]).stdout).expect("json");
    assert_eq!(drafts["drafts"].as_array().expect("drafts").len(), 1, "one draft, not one per process");
}

#[test]
fn processes_re_anchoring_at_once_wait_instead_of_failing() {
    let desk = Desk::new();
    std::fs::write(desk.dir.join("story.txt"), long_story()).expect("write");
    let claims = 40;
    for i in 0..claims {
        let quote = format!("Paragraph {i}: {} workers were injured at plant {i}", i + 3);
        let out = run(&desk.db, &["claim", "add", desk.dir(), "story.txt", "--quote", &quote]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    for round in 0..4 {
        // Every process finds a new version whose claims are not placed yet.
        let edited = format!("Update {round}: the union spoke.\n\n{}", long_story());
        std::fs::write(desk.dir.join("story.txt"), edited).expect("edit");
        let children: Vec<Child> = (0..12)
            .map(|_| {
                factdesk(&desk.db)
                    .args(["claims", desk.dir(), "story.txt", "--json"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "round {round}: {}", text(&out.stderr));
            let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
            assert_eq!(listed.as_array().expect("claims").len(), claims);
        }
    }
    assert!(desk.audit_verify().status.success());
}

/// What the stress run counts.
#[derive(Default)]
struct Tally {
    operations: AtomicUsize,
    failures: Mutex<Vec<String>>,
    acknowledged_notes: Mutex<BTreeSet<String>>,
}

impl Tally {
    fn record(&self, what: &str, out: &Output) -> bool {
        self.operations.fetch_add(1, Ordering::Relaxed);
        if !out.status.success() {
            self.failures.lock().expect("tally").push(format!("{what}: {}", text(&out.stderr)));
        }
        out.status.success()
    }
}

#[test]
fn many_processes_with_mixed_commands_and_churning_files_lose_nothing() {
    let processes = env_number("FACTDESK_STRESS_PROCESSES", 4);
    let per_process = env_number("FACTDESK_STRESS_OPS", 12);
    let desk = Desk::new();
    let setup = |args: &[&str]| {
        let out = run(&desk.db, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let claim = setup(&["claim", "add", desk.dir(), "story.txt", "--quote", "Six workers were injured on Tuesday"]);
    let source = setup(&["source", "add", desk.dir(), "--descriptor", "the plant's manager", "--kind", "named-person"]);
    // The window's part: a watcher following the folder while all this runs.
    let mut watcher = factdesk(&desk.db)
        .args(["watch", desk.dir(), "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn watch");
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    std::thread::scope(|scope| {
        // Writers' part: new drafts, saves, renames and deletions throughout.
        let churn = scope.spawn(|| {
            let mut rng = Lcg(seed());
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let name = format!("churn-{}.txt", rng.below(6));
                let path = desk.dir.join(&name);
                match rng.below(4) {
                    0 => drop(std::fs::write(&path, format!("Draft {round}. The mayor resigned, aides said.\n"))),
                    1 => drop(std::fs::rename(&path, desk.dir.join(format!("churn-{}.txt", rng.below(6))))),
                    2 => drop(std::fs::remove_file(&path)),
                    _ => drop(std::fs::write(
                        desk.dir.join("story.txt"),
                        format!("Edit {round}: the union spoke.\n\n{STORY}"),
                    )),
                }
                std::thread::sleep(Duration::from_millis(15));
            }
        });
        let workers: Vec<_> = (0..processes)
            .map(|worker| {
                let (tally, desk, claim, source) = (&tally, &desk, &claim, &source);
                scope.spawn(move || {
                    let mut rng = Lcg(seed() + worker as u64 + 1);
                    for op in 0..per_process {
                        let note = format!("note {worker}-{op}");
                        match rng.below(6) {
                            0 | 1 => {
                                let out = run(
                                    &desk.db,
                                    &["note", "add", "--draft", desk.dir(), "story.txt", "--text", &note],
                                );
                                if tally.record("note add", &out) && !text(&out.stdout).is_empty() {
                                    tally.acknowledged_notes.lock().expect("tally").insert(note);
                                }
                            }
                            2 => {
                                let status = ["disputed", "corroborated", "needs-corroboration"][rng.below(3) as usize];
                                tally.record("claim set", &run(&desk.db, &["claim", "set", claim, "--status", status]));
                            }
                            3 => {
                                tally.record("claims", &run(&desk.db, &["claims", desk.dir(), "story.txt", "--json"]));
                            }
                            4 => {
                                let role = ["attributed", "corroborates"][rng.below(2) as usize];
                                tally.record(
                                    "claim link",
                                    &run(&desk.db, &["claim", "link", claim, source, "--role", role]),
                                );
                            }
                            _ => {
                                let reference = format!("https://example.org/{worker}/{op}");
                                tally.record(
                                    "evidence add",
                                    &run(
                                        &desk.db,
                                        &[
                                            "evidence",
                                            "add",
                                            claim,
                                            "--kind",
                                            "url",
                                            "--reference",
                                            &reference,
                                            "--summary",
                                            "a page",
                                        ],
                                    ),
                                );
                            }
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker");
        }
        stop.store(true, Ordering::Relaxed);
        churn.join().expect("churn");
    });
    let _ = watcher.kill();
    let _ = watcher.wait();
    let found = desk.notes();
    let acknowledged = tally.acknowledged_notes.lock().expect("tally").clone();
    let lost: Vec<&String> = acknowledged.iter().filter(|n| !found.contains(*n)).collect();
    let failures = tally.failures.lock().expect("tally").clone();
    let verify = desk.audit_verify();
    println!(
        "stress: {processes} processes, {} operations in {:.1} s, {} failures, {} notes acknowledged, {} found, {} lost; audit verify: {}",
        tally.operations.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        failures.len(),
        acknowledged.len(),
        acknowledged.len() - lost.len(),
        lost.len(),
        text(&verify.stdout)
    );
    assert!(failures.is_empty(), "{} failures, e.g. {:?}", failures.len(), &failures[..failures.len().min(3)]);
    assert!(lost.is_empty(), "acknowledged notes lost: {lost:?}");
    assert!(verify.status.success(), "audit verify: {} {}", text(&verify.stdout), text(&verify.stderr));
}

#[test]
fn notes_acknowledged_before_a_kill_nine_are_all_found() {
    let kills = env_number("FACTDESK_KILLS", 60);
    let desk = Desk::new();
    assert!(run(&desk.db, &["scan", desk.dir()]).status.success());
    let mut rng = Lcg(seed());
    let mut acknowledged = BTreeSet::new();
    let mut killed = 0;
    for attempt in 0..kills {
        let note = format!("note {attempt}");
        let mut child = factdesk(&desk.db)
            .args(["note", "add", "--draft", desk.dir(), "story.txt", "--text", &note])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Somewhere in the command's life: opening, scanning, writing, exiting.
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
        if child.try_wait().expect("try_wait").is_none() {
            child.kill().expect("SIGKILL");
            killed += 1;
        }
        let out = child.wait_with_output().expect("wait");
        if out.status.success() && !text(&out.stdout).is_empty() {
            acknowledged.insert(note);
        }
    }
    let found = desk.notes();
    let lost: Vec<&String> = acknowledged.iter().filter(|n| !found.contains(*n)).collect();
    let verify = desk.audit_verify();
    println!(
        "kill -9: {kills} runs, {killed} killed mid-command, {} acknowledged, {} found, {} lost; audit verify: {}",
        acknowledged.len(),
        acknowledged.len() - lost.len(),
        lost.len(),
        text(&verify.stdout)
    );
    assert!(lost.is_empty(), "{lost:?}");
    assert!(verify.status.success(), "{} {}", text(&verify.stdout), text(&verify.stderr));
    assert!(killed > 0 && !acknowledged.is_empty(), "the harness must both kill and let some finish");
}
