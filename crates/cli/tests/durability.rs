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
                                let status = ["disputed", "corroborated", "needs-corroboration"]
                                    [usize::try_from(rng.below(3)).unwrap_or(0)];
                                tally.record("claim set", &run(&desk.db, &["claim", "set", claim, "--status", status]));
                            }
                            3 => {
                                tally.record("claims", &run(&desk.db, &["claims", desk.dir(), "story.txt", "--json"]));
                            }
                            4 => {
                                let role = ["attributed", "corroborates"][usize::try_from(rng.below(2)).unwrap_or(0)];
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
    // How long one command takes here: the kills land anywhere from its start
    // to a bit past its end, however fast or loaded the machine is.
    let timed = Instant::now();
    assert!(run(&desk.db, &["note", "add", "--draft", desk.dir(), "story.txt", "--text", "timing"]).status.success());
    let span = u64::try_from(timed.elapsed().as_micros() * 3 / 2).unwrap_or(u64::MAX);
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
        std::thread::sleep(Duration::from_micros(rng.below(span)));
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

/// One write the kernel accepted for a database file and had not yet been
/// told to make durable.
#[derive(Clone)]
enum Pending {
    Write { offset: usize, data: Vec<u8> },
    Truncate(usize),
}

fn apply(file: &mut Vec<u8>, op: &Pending) {
    match op {
        Pending::Write { offset, data } => {
            if file.len() < offset + data.len() {
                file.resize(offset + data.len(), 0);
            }
            file[*offset..offset + data.len()].copy_from_slice(data);
        }
        Pending::Truncate(len) => file.resize(*len, 0),
    }
}

/// What a power cut at one moment leaves on disk: every file as of its last
/// fsync, the writes since then lost (or, in the torn variant, a random
/// part of them kept), and which commands had said "saved" by then.
struct CrashPoint {
    durable: std::collections::BTreeMap<String, Vec<u8>>,
    pending: std::collections::BTreeMap<String, Vec<Pending>>,
    acknowledged: usize,
}

/// The database files' state, rebuilt from strace's record of the system
/// calls one command made (`-xx`: every string in hex). Only the database
/// and its WAL or journal are followed (the shared-memory index is rebuilt by
/// SQLite after a crash; the audit head file is not modelled, so `verify` on
/// a cut finds no head and checks the chain and the rows only). Simplified:
/// a file's name is durable with its first fsync, and an unlink at once.
struct Disk {
    prefix: String,
    current: std::collections::BTreeMap<String, Vec<u8>>,
    durable: std::collections::BTreeMap<String, Vec<u8>>,
    pending: std::collections::BTreeMap<String, Vec<Pending>>,
    fds: std::collections::BTreeMap<i64, String>,
}

fn unhex(quoted: &str) -> Vec<u8> {
    let inner = quoted.trim().trim_start_matches('"');
    let inner = inner.split('"').next().unwrap_or_default();
    inner.split("\\x").filter(|h| !h.is_empty()).map(|h| u8::from_str_radix(&h[..2], 16).expect("hex byte")).collect()
}

impl Disk {
    fn is_followed(&self, path: &str) -> bool {
        path.strip_prefix(&self.prefix).is_some_and(|suffix| ["", "-wal", "-journal"].contains(&suffix))
    }

    /// Replays one command's trace, calling `crash` after every fsync of a
    /// followed file (the moments a power cut leaves different states).
    fn replay(&mut self, trace: &str, mut crash: impl FnMut(&Self)) {
        self.fds.clear();
        for line in trace.lines() {
            // `name(args)   = result`, padded with spaces before the `=`.
            let Some((call, result)) = line.rsplit_once(" = ") else { continue };
            let Some(call) = call.trim_end().strip_suffix(')') else { continue };
            let Some((name, args)) = call.split_once('(') else { continue };
            let result: i64 = result.split_whitespace().next().and_then(|r| r.parse().ok()).unwrap_or(-1);
            let first_int = || args.split(',').next().and_then(|a| a.trim().parse::<i64>().ok());
            match name.trim() {
                "openat" if result >= 0 => {
                    let path =
                        String::from_utf8(unhex(args.split_once(", ").map_or("", |(_, rest)| rest))).expect("path");
                    if self.is_followed(&path) {
                        self.current.entry(path.clone()).or_default();
                        self.fds.insert(result, path);
                    }
                }
                "close" => drop(first_int().and_then(|fd| self.fds.remove(&fd))),
                "pwrite64" => {
                    let Some(path) = first_int().and_then(|fd| self.fds.get(&fd)).cloned() else { continue };
                    let data = unhex(args.split_once(", ").map_or("", |(_, rest)| rest));
                    let offset: usize = args.rsplit(", ").next().and_then(|o| o.trim().parse().ok()).expect("offset");
                    assert_eq!(data.len() as i64, result, "a short or truncated write in the trace: {line:.120}");
                    let op = Pending::Write { offset, data };
                    apply(self.current.entry(path.clone()).or_default(), &op);
                    self.pending.entry(path).or_default().push(op);
                }
                "ftruncate" => {
                    let Some(path) = first_int().and_then(|fd| self.fds.get(&fd)).cloned() else { continue };
                    let len: usize = args.rsplit(", ").next().and_then(|l| l.trim().parse().ok()).expect("length");
                    let op = Pending::Truncate(len);
                    apply(self.current.entry(path.clone()).or_default(), &op);
                    self.pending.entry(path).or_default().push(op);
                }
                "write" | "writev" | "pwritev" | "pwritev2" => {
                    let fd = first_int().unwrap_or(-1);
                    assert!(!self.fds.contains_key(&fd), "a write this simulation does not model: {line:.120}");
                }
                "fsync" | "fdatasync" if result == 0 => {
                    let Some(path) = first_int().and_then(|fd| self.fds.get(&fd)).cloned() else { continue };
                    self.durable.insert(path.clone(), self.current.get(&path).cloned().unwrap_or_default());
                    self.pending.remove(&path);
                    crash(self);
                }
                "unlink" if result == 0 => {
                    let path = String::from_utf8(unhex(args)).expect("path");
                    self.current.remove(&path);
                    self.durable.remove(&path);
                    self.pending.remove(&path);
                }
                _ => {}
            }
        }
    }

    fn crash_point(&self, acknowledged: usize) -> CrashPoint {
        CrashPoint { durable: self.durable.clone(), pending: self.pending.clone(), acknowledged }
    }
}

#[test]
fn a_power_cut_never_loses_an_acknowledged_note() {
    if Command::new("strace").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "strace is needed (scripts/setup-system.sh installs it)");
        eprintln!("skipped: strace is not installed");
        return;
    }
    let commands = env_number("FACTDESK_POWER_CUTS", 12);
    let desk = Desk::new();
    assert!(run(&desk.db, &["scan", desk.dir()]).status.success());
    let db = desk.db.to_str().expect("UTF-8").to_owned();
    // The window holding the database open, as it does all day: then a
    // command's commit is not followed by the checkpoint of the last
    // connection to close, and only its own fsyncs make it durable.
    let window = rusqlite::Connection::open(&desk.db).expect("window");
    let _: i64 = window.query_row("SELECT COUNT(*) FROM drafts", [], |row| row.get(0)).expect("read");
    let mut disk = Disk {
        prefix: db.clone(),
        current: Default::default(),
        durable: Default::default(),
        pending: Default::default(),
        fds: Default::default(),
    };
    for suffix in ["", "-wal"] {
        let path = format!("{db}{suffix}");
        if let Ok(bytes) = std::fs::read(&path) {
            std::fs::File::open(&path).and_then(|f| f.sync_all()).expect("sync the starting state");
            disk.current.insert(path.clone(), bytes.clone());
            disk.durable.insert(path, bytes);
        }
    }
    let mut points = Vec::new();
    let mut acknowledged = Vec::new();
    for index in 0..commands {
        let note = format!("note {index}");
        let trace = desk._tmp.path().join(format!("trace-{index}"));
        let binary = std::env::var_os("FACTDESK_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_factdesk").into());
        let out = Command::new("strace")
            .arg("-o")
            .arg(&trace)
            .args([
                "-s",
                "1000000",
                "-xx",
                "-e",
                "trace=openat,close,pwrite64,write,writev,pwritev,pwritev2,ftruncate,fsync,fdatasync,unlink",
            ])
            .arg(binary)
            .arg("--db")
            .arg(&desk.db)
            .env_remove("FACTDESK_DB")
            .env("USER", "ana")
            .args(["note", "add", "--draft", desk.dir(), "story.txt", "--text", &note])
            .output()
            .expect("strace factdesk");
        let before = acknowledged.len();
        disk.replay(&std::fs::read_to_string(&trace).expect("trace"), |disk| points.push(disk.crash_point(before)));
        if out.status.success() && !text(&out.stdout).is_empty() {
            acknowledged.push(note);
        }
        // The moment after "saved": the last chance to lose it.
        points.push(disk.crash_point(acknowledged.len()));
    }
    drop(window);
    let mut rng = Lcg(seed());
    let (mut checked, mut lost_total, mut acknowledged_checked) = (0, 0, 0);
    for (index, point) in points.iter().enumerate() {
        for torn in [false, true] {
            let dir = desk._tmp.path().join(format!("cut-{index}-{torn}"));
            std::fs::create_dir(&dir).expect("mkdir");
            for (path, bytes) in &point.durable {
                let mut bytes = bytes.clone();
                if torn {
                    // Some of the unsynced writes reached the platter, in any order.
                    for op in point.pending.get(path).into_iter().flatten() {
                        if rng.below(2) == 0 {
                            apply(&mut bytes, op);
                        }
                    }
                }
                let name = Path::new(path).file_name().expect("name");
                std::fs::write(dir.join(name), bytes).expect("write");
            }
            let crashed_db = dir.join(desk.db.file_name().expect("db name"));
            let found = note_texts(&crashed_db);
            let expected = &acknowledged[..point.acknowledged];
            let lost: Vec<&String> = expected.iter().filter(|n| !found.contains(*n)).collect();
            lost_total += lost.len();
            acknowledged_checked += expected.len();
            checked += 1;
            assert!(lost.is_empty(), "power cut {index} (torn: {torn}) lost acknowledged notes {lost:?}");
            let store = Store::open(&crashed_db).expect("opens after the cut");
            let report = factdesk_core::audit::verify(&store).expect("verify");
            assert!(report.is_intact(), "power cut {index}: {report:?}");
        }
    }
    println!(
        "power loss: {commands} commands traced, {} acknowledged, {checked} power cuts simulated ({} states), acknowledged notes checked {acknowledged_checked}, found {}, lost {lost_total}",
        acknowledged.len(),
        points.len(),
        acknowledged_checked - lost_total
    );
    assert_eq!(acknowledged.len(), commands, "every traced command should have succeeded");
}

#[test]
fn audit_verify_shows_the_head_and_rows_edited_by_hand_and_a_backup_restores_them() {
    let desk = Desk::new();
    let add =
        run(&desk.db, &["claim", "add", desk.dir(), "story.txt", "--quote", "Six workers were injured on Tuesday"]);
    assert!(add.status.success(), "{}", text(&add.stderr));
    let claim = text(&add.stdout);
    assert!(run(&desk.db, &["claim", "set", &claim, "--status", "disputed"]).status.success());
    let verify = desk.audit_verify();
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    assert!(text(&verify.stdout).contains("head: entry 2 "), "{}", text(&verify.stdout));

    let made = run(&desk.db, &["backup", "now"]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let backup = text(&made.stdout);
    assert!(text(&run(&desk.db, &["backup", "list"]).stdout).contains(&backup));

    rusqlite::Connection::open(&desk.db)
        .expect("open")
        .execute("UPDATE claims SET status = 'corroborated'", [])
        .expect("edit by hand");
    let verify = desk.audit_verify();
    assert!(!verify.status.success());
    let said = text(&verify.stderr);
    assert!(said.contains(&format!("claim:{claim} status")) && said.contains("\"disputed\""), "{said}");

    let restored = run(&desk.db, &["backup", "restore", &backup]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(desk.audit_verify().status.success(), "the restored database agrees with its trail again");
    let junk = desk._tmp.path().join("junk.db");
    std::fs::write(&junk, "not a database").expect("write");
    let refused = run(&desk.db, &["backup", "restore", junk.to_str().expect("UTF-8")]);
    assert!(
        !refused.status.success() && text(&refused.stderr).contains("not a Factdesk backup"),
        "{}",
        text(&refused.stderr)
    );
}
