//! Many people on one team store at once (issue 13's load check), through
//! the real binary: `PEOPLE` logins made with `factdesk people add`, each a
//! thread running one `factdesk` process per change (as a person at the
//! command line would), `CHANGES` mixed changes each: a claim's status and a
//! note's text by compare-and-set (`--expect-version`, all of them on the same
//! claim and note, so they race), notes, sources, links and evidence. One
//! more person keeps a session open meanwhile: the core's desk watch (the
//! window's, woken by `LISTEN/NOTIFY` on PostgreSQL), which reads the newest
//! audit entry each time it is told of a change, as the window reloads then.
//!
//! Then it checks, and returns what it found rather than asserting, so the
//! benchmark (`benches/team_load.rs`, `scripts/team-load.sh`) prints the
//! figures and the test (`tests/team_load.rs`) asserts on the problems:
//! nothing lost (each saved change is in the trail, in order, by its
//! person, and in the rows, counted by kind), no silent overwrite (no two
//! saved compare-and-sets on the same version; each refusal has its
//! `change.refused` entry), `factdesk audit verify` intact, and how long each
//! change took to reach the open session.
//!
//! Used by a test and a bench of this crate (`#[path]`), each with its own
//! `CARGO_BIN_EXE_factdesk`.

#![allow(dead_code)]

use factdesk_core::desk::{Desk, DeskEvent, WatchPreference};
use factdesk_core::store::{lock, Store};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How big a run is.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub people: usize,
    pub changes: usize,
}

/// One kind of change a person makes; each makes exactly one audit entry
/// when saved (`change.refused` when a compare-and-set is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `claim set --status … --expect-version N` on the shared claim.
    Status,
    /// `note add` on the shared claim.
    NoteAdd,
    /// `note edit … --expect-version N` of the shared note.
    NoteEdit,
    /// `source add` to the desk's register.
    SourceAdd,
    /// `claim link` of the person's last source to the shared claim.
    Link,
    /// `evidence add` on the shared claim.
    Evidence,
}

const KINDS: [Kind; 6] = [Kind::Status, Kind::NoteAdd, Kind::NoteEdit, Kind::SourceAdd, Kind::Link, Kind::Evidence];
const STATUSES: [&str; 4] = ["corroborated", "disputed", "unverifiable", "needs-corroboration"];

impl Kind {
    /// The audit action a saved change of this kind records.
    fn action(self) -> &'static str {
        match self {
            Self::Status => "claim.status",
            Self::NoteAdd => "note.add",
            Self::NoteEdit => "note.edit",
            Self::SourceAdd => "source.add",
            Self::Link => "claim.link",
            Self::Evidence => "evidence.add",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Saved,
    /// Refused by compare-and-set: someone changed it since it was read.
    Refused,
    Failed(String),
}

/// One change a person made (the reads before a compare-and-set are not changes).
#[derive(Debug, Clone)]
struct Made {
    kind: Kind,
    outcome: Outcome,
    /// The version a compare-and-set expected.
    expected: Option<i64>,
    /// The note's text, for a note added.
    text: Option<String>,
    /// When the process was started and when it had exited.
    started: Instant,
    acknowledged: Instant,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub people: usize,
    pub changes_each: usize,
    /// Saved changes by kind, and compare-and-sets refused.
    pub saved: BTreeMap<String, usize>,
    pub refused: usize,
    /// Every way the run fell short of "nothing lost, nothing overwritten, trail intact".
    pub problems: Vec<String>,
    /// From a change's acknowledgement (its process exited) to the open session having read it, sorted.
    pub propagation: Vec<Duration>,
    /// Changes the session read before their process had even exited (counted as 0 above).
    pub seen_before_acknowledged: usize,
    /// From a change's process being started to the session having read it, sorted.
    pub propagation_from_start: Vec<Duration>,
    /// How many times the session was told of other people's changes.
    pub session_wakes: usize,
    pub wall: Duration,
    pub audit_verify: String,
}

impl Report {
    /// The nearest-rank `percent`th percentile.
    fn percentile(sorted: &[Duration], percent: usize) -> Duration {
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = (percent * sorted.len()).div_ceil(100).max(1);
        sorted[rank.min(sorted.len()) - 1]
    }

    /// The figures as BENCHMARKS.md gives them.
    pub fn summary(&self) -> String {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let line = |name: &str, sorted: &[Duration]| {
            format!(
                "{name}: p50 {}, p95 {}, max {} ({} changes)",
                ms(Self::percentile(sorted, 50)),
                ms(Self::percentile(sorted, 95)),
                ms(sorted.last().copied().unwrap_or_default()),
                sorted.len()
            )
        };
        let saved: Vec<String> = self.saved.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        format!(
            "team load: {} people x {} changes in {:.1} s\n\
             saved by kind: {}; refused by compare-and-set: {}\n\
             {}\n{}\n\
             seen by the session before the writer's process had exited: {}; session wakes: {}\n\
             audit verify: {}\n\
             problems: {}",
            self.people,
            self.changes_each,
            self.wall.as_secs_f64(),
            saved.join(", "),
            self.refused,
            line("propagation (acknowledged -> read by another person's open session)", &self.propagation),
            line("propagation (process started -> read by the session)", &self.propagation_from_start),
            self.seen_before_acknowledged,
            self.session_wakes,
            self.audit_verify,
            if self.problems.is_empty() { "none".to_owned() } else { self.problems.join("\n  ") }
        )
    }

    pub fn p95(&self) -> Duration {
        Self::percentile(&self.propagation, 95)
    }
}

static NEXT_RUN: AtomicU32 = AtomicU32::new(1);

/// The team: a database, its desk folder and the logins.
struct Team {
    bin: PathBuf,
    url: String,
    desk: String,
    admin: String,
    people: Vec<String>,
    password_file: PathBuf,
    _tmp: tempfile::TempDir,
    _db: test_postgres::TestDatabase,
}

impl Team {
    fn url_as(&self, login: &str) -> String {
        test_postgres::url_as_login(&self.url, login)
    }

    /// Runs factdesk as `login`: stdout, or the error (stderr).
    fn run(&self, login: &str, args: &[&str]) -> Result<String, String> {
        let output = Command::new(&self.bin)
            .arg("--db")
            .arg(self.url_as(login))
            .args(args)
            .env_remove("FACTDESK_DB")
            .env("USER", login)
            .env("FACTDESK_PASSWORD_FILE", &self.password_file)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run factdesk: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
    }

    fn ok(&self, login: &str, args: &[&str]) -> String {
        self.run(login, args).unwrap_or_else(|e| panic!("factdesk {args:?} as {login}: {e}"))
    }

    fn json(&self, login: &str, args: &[&str]) -> Result<Value, String> {
        serde_json::from_str(&self.run(login, args)?).map_err(|e| format!("{args:?}: {e}"))
    }
}

/// Sets up a team store with `people` people (editors and standards
/// editors: all may change the shared draft's claims) and the claim and
/// note they will race on.
fn team(bin: &Path, people: usize) -> (Team, String, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(
        desk.join("shared.md"),
        "# Shared\n\nAides said the minister resigned on Monday after 12 years in office.\n",
    )
    .expect("write");
    let password_file = tmp.path().join("password");
    std::fs::write(&password_file, "Tr0ub4dor&3\n").expect("write");
    // Logins are the whole server's: names no other run uses.
    let run = format!("{}x{}", std::process::id(), NEXT_RUN.fetch_add(1, Ordering::Relaxed));
    let db = test_postgres::database();
    let init = Command::new(bin).args(["team", "init", &db.url]).env_remove("FACTDESK_DB").output().expect("run");
    assert!(init.status.success(), "team init: {}", String::from_utf8_lossy(&init.stderr));
    let admin = format!("lead{run}");
    test_postgres::grant_login(&db.url, &admin);
    let team = Team {
        bin: bin.to_owned(),
        url: db.url.clone(),
        desk: desk.to_str().expect("utf-8").to_owned(),
        admin: admin.clone(),
        people: (0..people).map(|n| format!("p{n}r{run}")).collect(),
        password_file,
        _tmp: tmp,
        _db: db,
    };
    let d = team.desk.as_str();
    team.ok(&admin, &["people", "add", d, &admin, "--role", "admin"]);
    for (n, person) in team.people.iter().enumerate() {
        let role = if n % 5 == 4 { "standards-editor" } else { "editor" };
        team.ok(&admin, &["people", "add", d, person, "--role", role]);
    }
    // The first editor tags the claim and opens the note everyone will race on (an admin may not change claims).
    let first = &team.people[0];
    let claim = team.ok(first, &["claim", "add", d, "shared.md", "--quote", "the minister resigned on Monday"]);
    let note = team.ok(first, &["note", "add", "--claim", &claim, "--text", "Who confirmed the date?"]);
    (team, claim, note)
}

/// The shared claim's status and its version, as `claims --json` gives them.
fn status_now(team: &Team, login: &str, claim: &str) -> Result<(String, i64), String> {
    let claims = team.json(login, &["claims", &team.desk, "shared.md", "--json"])?;
    let row = claims
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"].as_i64() == claim.parse().ok()))
        .ok_or("the shared claim is not listed")?;
    Ok((row["status"].as_str().unwrap_or_default().to_owned(), row["version"].as_i64().unwrap_or(-1)))
}

/// The shared note's version, as `note list --json` gives it.
fn note_version(team: &Team, login: &str, claim: &str, note: &str) -> Result<i64, String> {
    let notes = team.json(login, &["note", "list", "--claim", claim, "--json"])?;
    notes
        .as_array()
        .and_then(|all| all.iter().find(|n| n["id"].as_i64() == note.parse().ok()))
        .and_then(|n| n["version"].as_i64())
        .ok_or_else(|| "the shared note is not listed".to_owned())
}

fn outcome(result: Result<String, String>) -> (Outcome, String) {
    match result {
        Ok(out) => (Outcome::Saved, out),
        Err(e) if e.contains("since you saw it") => (Outcome::Refused, String::new()),
        Err(e) => (Outcome::Failed(e), String::new()),
    }
}

/// One person's `changes` changes, in turn through the kinds.
fn person(team: &Team, n: usize, changes: usize, claim: &str, note: &str) -> Vec<Made> {
    let me = &team.people[n];
    let mut made = Vec::with_capacity(changes);
    let mut last_source: Option<String> = None;
    for i in 0..changes {
        let kind = KINDS[(i + n) % KINDS.len()];
        // A link needs a source of one's own first.
        let kind = if kind == Kind::Link && last_source.is_none() { Kind::SourceAdd } else { kind };
        let mut expected = None;
        let mut text = None;
        let result = match kind {
            Kind::Status => status_now(team, me, claim).map(|(now, version)| {
                expected = Some(version);
                // Always another status than the one read: a status set to what it is records nothing.
                let at = STATUSES.iter().position(|s| *s == now).unwrap_or(0);
                (STATUSES[(at + 1 + i % 3) % STATUSES.len()], version)
            }),
            Kind::NoteEdit => note_version(team, me, claim, note).map(|version| {
                expected = Some(version);
                ("", version)
            }),
            _ => Ok(("", 0)),
        };
        let started = Instant::now();
        let (outcome, out) = match result {
            Err(e) => (Outcome::Failed(format!("read before {kind:?}: {e}")), String::new()),
            Ok((status, version)) => {
                let version = version.to_string();
                let mine = format!("{me} change {i}");
                let args: Vec<&str> = match kind {
                    Kind::Status => vec!["claim", "set", claim, "--status", status, "--expect-version", &version],
                    Kind::NoteAdd => {
                        text = Some(mine.clone());
                        vec!["note", "add", "--claim", claim, "--text", &mine]
                    }
                    Kind::NoteEdit => vec!["note", "edit", note, "--text", &mine, "--expect-version", &version],
                    Kind::SourceAdd => vec!["source", "add", &team.desk, "--descriptor", &mine, "--kind", "document"],
                    Kind::Link => {
                        vec!["claim", "link", claim, last_source.as_deref().unwrap_or(""), "--role", "corroborates"]
                    }
                    Kind::Evidence => vec![
                        "evidence",
                        "add",
                        claim,
                        "--kind",
                        "document",
                        "--reference",
                        "minutes.pdf",
                        "--summary",
                        &mine,
                    ],
                };
                outcome(team.run(me, &args))
            }
        };
        let acknowledged = Instant::now();
        if outcome == Outcome::Saved {
            match kind {
                Kind::SourceAdd => last_source = Some(out),
                // Each source is linked once.
                Kind::Link => last_source = None,
                _ => {}
            }
        }
        made.push(Made { kind, outcome, expected, text, started, acknowledged });
    }
    made
}

/// What the open session read: when, and the newest audit entry it saw then.
struct Session {
    reads: Vec<(Instant, i64)>,
    wakes: usize,
}

/// Runs `plan` with the binary at `bin` on a fresh database of the test
/// server (`FACTDESK_TEST_POSTGRES`, or one started for this process).
pub fn run(bin: &Path, plan: Plan) -> Report {
    let (team, claim, note) = team(bin, plan.people);
    let mut report = Report { people: plan.people, changes_each: plan.changes, ..Report::default() };

    // Another person's open session: the desk's lead, with the desk open and watched as the window does.
    let store = Store::open(Path::new(&team.url_as(&team.admin))).expect("the session's store").shared();
    let desk = Desk::open(store.clone(), Path::new(&team.desk), Arc::new(factdesk_core::clock::SystemClock))
        .expect("the session's desk");
    let (told, wakes) = mpsc::channel::<()>();
    let watch = desk
        .watch(WatchPreference::Native, move |event| {
            if matches!(event, DeskEvent::Reviewed) {
                let _ = told.send(());
            }
        })
        .expect("watch");
    let baseline = lock(&store).newest_audit_seq().expect("newest").unwrap_or(0);
    let before = Versions {
        status: status_now(&team, &team.admin, &claim).expect("status").1,
        note: note_version(&team, &team.admin, &claim, &note).expect("note"),
    };
    let (stop_reader, stopped) = mpsc::channel::<()>();
    let reader = {
        let store = store.clone();
        std::thread::spawn(move || {
            let mut session = Session { reads: Vec::new(), wakes: 0 };
            loop {
                match wakes.recv_timeout(Duration::from_millis(50)) {
                    Ok(()) => {
                        session.wakes += 1;
                        // Several wakes waiting are one read, as the window's reload.
                        while wakes.try_recv().is_ok() {}
                        if let Ok(Some(seq)) = lock(&store).newest_audit_seq() {
                            session.reads.push((Instant::now(), seq));
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if stopped.try_recv().is_ok() {
                            return session;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return session,
                }
            }
        })
    };
    // Let the listener connect before the first change.
    std::thread::sleep(Duration::from_millis(500));

    let began = Instant::now();
    let made: Vec<Vec<Made>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..plan.people)
            .map(|n| {
                let (team, claim, note) = (&team, &claim, &note);
                scope.spawn(move || person(team, n, plan.changes, claim, note))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("person")).collect()
    });
    report.wall = began.elapsed();

    // The trail as it ends, read as the server's administrator.
    let admin_store = Store::open(Path::new(&team.url)).expect("admin store");
    let trail = factdesk_core::audit::entries(&admin_store, None).expect("trail");
    let last = trail.last().map_or(0, |e| e.seq);
    // Give the session a moment to read the last change; what it never reads is a problem below.
    let waited = Instant::now();
    while waited.elapsed() < Duration::from_secs(10) {
        let seen = lock(&store).newest_audit_seq().ok().flatten().unwrap_or(0);
        if seen >= last {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(watch);
    let _ = stop_reader.send(());
    let session = reader.join().expect("reader");
    report.session_wakes = session.wakes;

    check(&team, (&claim, &note), &made, &trail, (baseline, before), &session, &mut report);
    report.propagation.sort();
    report.propagation_from_start.sort();
    report
}

/// The shared claim's status version and the shared note's version before the run.
#[derive(Clone, Copy)]
struct Versions {
    status: i64,
    note: i64,
}

fn check(
    team: &Team,
    (claim, note): (&str, &str),
    made: &[Vec<Made>],
    trail: &[factdesk_core::audit::AuditEntry],
    (baseline, before): (i64, Versions),
    session: &Session,
    report: &mut Report,
) {
    let problems = &mut report.problems;
    // Only refusals by compare-and-set may fail.
    for (person, changes) in team.people.iter().zip(made) {
        let failed: Vec<&String> =
            changes.iter().filter_map(|m| if let Outcome::Failed(e) = &m.outcome { Some(e) } else { None }).collect();
        if let Some(first) = failed.first() {
            problems.push(format!("{person}: {} changes failed, e.g. {first}", failed.len()));
        }
    }
    for m in made.iter().flatten() {
        match m.outcome {
            Outcome::Saved => *report.saved.entry(m.kind.action().to_owned()).or_default() += 1,
            Outcome::Refused => report.refused += 1,
            Outcome::Failed(_) => {}
        }
    }

    // Each person's entries in the trail are their saved and refused changes, in order.
    for (person, changes) in team.people.iter().zip(made) {
        let entries: Vec<&factdesk_core::audit::AuditEntry> =
            trail.iter().filter(|e| e.seq > baseline && e.actor == *person).collect();
        let recorded: Vec<&Made> = changes.iter().filter(|m| !matches!(m.outcome, Outcome::Failed(_))).collect();
        if entries.len() != recorded.len() {
            problems.push(format!(
                "{person}: {} changes saved or refused, {} entries in the trail",
                recorded.len(),
                entries.len()
            ));
        }
        for (m, entry) in recorded.iter().zip(&entries) {
            let action = entry.action.as_str();
            let wanted = if m.outcome == Outcome::Refused { "change.refused" } else { m.kind.action() };
            if action != wanted {
                problems.push(format!("{person}: entry {} is {action}, the change was {wanted}", entry.seq));
                continue;
            }
            // When the open session first read a trail that held this entry.
            let at = session.reads.partition_point(|(_, seq)| *seq < entry.seq);
            match session.reads.get(at) {
                Some((seen, _)) => {
                    if *seen < m.acknowledged {
                        report.seen_before_acknowledged += 1;
                    }
                    report.propagation.push(seen.saturating_duration_since(m.acknowledged));
                    report.propagation_from_start.push(seen.saturating_duration_since(m.started));
                }
                None => problems.push(format!("{person}: entry {} never reached the open session", entry.seq)),
            }
        }
    }

    // No silent overwrite: two compare-and-sets saved on the same version would be one.
    for kind in [Kind::Status, Kind::NoteEdit] {
        let mut versions = HashSet::new();
        let saved: Vec<i64> = made
            .iter()
            .flatten()
            .filter(|m| m.kind == kind && m.outcome == Outcome::Saved)
            .filter_map(|m| m.expected)
            .collect();
        for version in &saved {
            if !versions.insert(*version) {
                problems.push(format!("{kind:?}: two changes saved on version {version}: one overwrote the other"));
            }
        }
    }
    let refusals = trail.iter().filter(|e| e.seq > baseline && e.action.as_str() == "change.refused").count();
    if refusals != report.refused {
        problems.push(format!("{} refusals, {refusals} change.refused entries", report.refused));
    }

    // Nothing lost, counted by kind in the rows as the lead reads them.
    let lead = team.admin.as_str();
    let count = |args: &[&str]| team.json(lead, args).map(|v| v.as_array().map_or(0, Vec::len));
    let saved = |kind: Kind| report.saved.get(kind.action()).copied().unwrap_or(0);
    match team.json(lead, &["note", "list", "--claim", claim, "--json"]) {
        Ok(notes) => {
            let texts: Vec<&str> =
                notes.as_array().map(|n| n.iter().filter_map(|n| n["text"].as_str()).collect()).unwrap_or_default();
            if texts.len() != 1 + saved(Kind::NoteAdd) {
                problems.push(format!("{} notes listed, {} added", texts.len(), 1 + saved(Kind::NoteAdd)));
            }
            for m in made.iter().flatten().filter(|m| m.outcome == Outcome::Saved) {
                if let Some(text) = &m.text {
                    if texts.iter().filter(|t| *t == text).count() != 1 {
                        problems.push(format!("note {text:?} not listed once"));
                    }
                }
            }
        }
        Err(e) => problems.push(e),
    }
    for (args, kind) in [
        (vec!["sources", team.desk.as_str(), "--json"], Kind::SourceAdd),
        (vec!["evidence", "list", claim, "--json"], Kind::Evidence),
    ] {
        match count(&args) {
            Ok(n) if n == saved(kind) => {}
            Ok(n) => problems.push(format!("{n} listed by {args:?}, {} saved", saved(kind))),
            Err(e) => problems.push(e),
        }
    }
    let links = trail.iter().filter(|e| e.action.as_str() == "claim.link").count();
    if links != saved(Kind::Link) {
        problems.push(format!("{links} links in the trail, {} saved", saved(Kind::Link)));
    }
    match status_now(team, lead, claim) {
        Ok((_, version)) if version == before.status + saved(Kind::Status) as i64 => {}
        Ok((_, version)) => problems
            .push(format!("the claim's status is at version {version} after {} saved changes", saved(Kind::Status))),
        Err(e) => problems.push(e),
    }
    match note_version(team, lead, claim, note) {
        Ok(version) if version == before.note + saved(Kind::NoteEdit) as i64 => {}
        Ok(version) => {
            problems.push(format!("the note is at version {version} after {} saved edits", saved(Kind::NoteEdit)))
        }
        Err(e) => problems.push(e),
    }

    report.audit_verify = match team.run(lead, &["audit", "verify"]) {
        Ok(out) => out.lines().next().unwrap_or_default().to_owned(),
        Err(e) => {
            problems.push(format!("audit verify: {e}"));
            e
        }
    };
    if !report.audit_verify.contains("intact") {
        problems.push(format!("audit verify: {}", report.audit_verify));
    }
}
