//! Desk integration tests on real temp folders and real SQLite files.

mod engine;

use factdesk_core::clock::{FixedClock, SystemClock};
use factdesk_core::desk::{Desk, DeskEvent, WatchPreference};
use factdesk_core::ingest::FileState;
use factdesk_core::store::{DraftId, SharedStore};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

fn shared_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

struct Bench {
    _tmp: tempfile::TempDir,
    folder: PathBuf,
    db: PathBuf,
}

impl Bench {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let folder = tmp.path().join("drafts");
        fs::create_dir(&folder).expect("mkdir");
        let db = tmp.path().join("factdesk.db");
        Self { _tmp: tmp, folder, db }
    }

    fn store(&self) -> SharedStore {
        engine::open(&self.db).expect("open store").shared()
    }

    fn desk(&self, store: SharedStore) -> Desk {
        Desk::open(store, &self.folder, Arc::new(FixedClock::new(chrono::Utc::now()))).expect("open desk")
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.folder.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, text).expect("write");
        path
    }
}

fn scan(desk: &Desk) -> (factdesk_core::desk::ScanReport, Vec<DeskEvent>) {
    let mut events = Vec::new();
    let report = desk.scan(&mut |_| {}, &mut |e| events.push(e)).expect("scan");
    (report, events)
}

fn version_count(store: &SharedStore, desk: &Desk, rel: &str) -> u32 {
    let draft = desk.draft_by_path(rel).expect("query").expect("draft");
    factdesk_core::store::lock(store).version_count(draft.id).expect("count")
}

#[test]
fn shared_drafts_are_all_ok() {
    let bench = Bench::new();
    let desk = Desk::open(bench.store(), &shared_fixtures().join("drafts"), Arc::new(SystemClock)).expect("desk");
    let (report, _) = scan(&desk);
    let names: Vec<(&str, FileState)> = report.files.iter().map(|f| (f.path.as_str(), f.state)).collect();
    assert_eq!(
        names,
        vec![
            ("factory-fire.txt", FileState::Ok),
            ("harbor-dredging.md", FileState::Ok),
            ("kabul-embassy.txt", FileState::Ok),
            ("school-board-audit.html", FileState::Ok),
        ]
    );
    let kabul = &report.files[2];
    assert_eq!(kabul.title, "Foreign Affairs Foreign Affairs");
    assert!(kabul.words > 500, "{}", kabul.words);
    assert_eq!(report.files[3].title, "Audit faults school district spending");
}

#[test]
fn every_hostile_fixture_gets_its_state_and_reason() {
    let bench = Bench::new();
    let hostile = shared_fixtures().join("hostile");
    let desk = Desk::open(bench.store(), &hostile, Arc::new(SystemClock)).expect("desk");
    let (report, _) = scan(&desk);
    let state_of = |name: &str| {
        let file = report.files.iter().find(|f| f.path == name).unwrap_or_else(|| panic!("{name} not reported"));
        (file.state, file.reason.clone().unwrap_or_default())
    };
    assert_eq!(state_of(".draft.md.swp"), (FileState::Ignored, "editor swap file".into()));
    assert_eq!(state_of(".~lock.draft.odt#"), (FileState::Ignored, "office lock file".into()));
    assert_eq!(state_of("draft.md~"), (FileState::Ignored, "editor backup file".into()));
    assert_eq!(state_of("bom-crlf.txt").0, FileState::Ok);
    let (state, reason) = state_of("empty.md");
    assert_eq!(state, FileState::Warning);
    assert!(reason.contains("empty"), "{reason}");
    let (state, reason) = state_of("latin1-not-utf8.txt");
    assert_eq!(state, FileState::Warning);
    assert!(reason.contains("UTF-8"), "{reason}");
    let (state, reason) = state_of("random-bytes.md");
    assert_eq!(state, FileState::Skipped);
    assert!(reason.contains("binary"), "{reason}");
    assert_eq!(state_of("markdown-injection.md").0, FileState::Ok);
    assert_eq!(state_of("script-injection.html").0, FileState::Ok);
    assert_eq!(report.files.len(), 9);

    let text_of = |name: &str| {
        let draft = desk.draft_by_path(name).expect("query").expect("stored");
        desk.draft(draft.id).expect("query").expect("draft").1.expect("version").text
    };
    // HTML is parsed: no script, style or attribute reaches the text.
    let html = text_of("script-injection.html");
    for needle in ["<", "alert", "onerror", "onload", "pwned", "javascript:", "document.cookie", "passwd", "track.png"]
    {
        assert!(!html.contains(needle), "script-injection.html text contains {needle}: {html}");
    }
    assert!(html.contains("The council approved a $12 million budget"), "{html}");
    // Markdown: what parses as markup (script, raw HTML blocks, link targets)
    // is dropped; what CommonMark leaves as literal characters (a malformed
    // image, a tag with an invalid attribute) stays as the writer's text and
    // is only ever rendered as text.
    let md = text_of("markdown-injection.md");
    for needle in ["<script", "md-script", "ontoggle", "javascript:", "md-link"] {
        assert!(!md.contains(needle), "markdown-injection.md text contains {needle}: {md}");
    }
    let bom = desk.draft_by_path("bom-crlf.txt").expect("query").expect("stored");
    let text = desk.draft(bom.id).expect("q").expect("d").1.expect("v").text;
    assert!(!text.contains('\r') && !text.starts_with('\u{feff}'), "{text:?}");
}

#[test]
fn atomic_save_through_a_temp_file_is_a_new_version_of_the_same_draft() {
    let bench = Bench::new();
    let store = bench.store();
    let desk = bench.desk(store.clone());
    let path = bench.write("story.md", "# Story\n\nFirst text.");
    scan(&desk);
    let before = desk.draft_by_path("story.md").expect("q").expect("draft");

    // How vim, VS Code and most editors save: write a temp file, rename it over.
    let temp = bench.write(".story.md.tmp1234", "# Story\n\nSecond text.");
    fs::rename(&temp, &path).expect("rename");
    let events = desk.apply_changes(&[temp.clone(), path.clone()], &[(temp, path)]).expect("apply");

    let after = desk.draft_by_path("story.md").expect("q").expect("draft");
    assert_eq!(before.id, after.id);
    assert_eq!(events, vec![DeskEvent::Changed { draft: before.id, path: "story.md".into() }]);
    assert_eq!(version_count(&store, &desk, "story.md"), 2);
    assert_eq!(desk.drafts().expect("drafts").len(), 1);
}

#[test]
fn saving_the_same_content_again_stores_no_new_version() {
    let bench = Bench::new();
    let store = bench.store();
    let desk = bench.desk(store.clone());
    let path = bench.write("story.txt", "Same words.\r\n");
    scan(&desk);
    fs::write(&path, "Same words.\n").expect("rewrite with other line endings");
    desk.apply_changes(&[path], &[]).expect("apply");
    assert_eq!(version_count(&store, &desk, "story.txt"), 1);
}

#[test]
fn rename_and_move_keep_the_draft_identity() {
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    let a = bench.write("a.md", "# A\n\nText of a.");
    scan(&desk);
    let id = desk.draft_by_path("a.md").expect("q").expect("draft").id;

    // A rename the watcher paired up.
    let b = bench.folder.join("b.md");
    fs::rename(&a, &b).expect("rename");
    let events = desk.apply_changes(&[], &[(a.clone(), b.clone())]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Renamed { draft: id, path: "b.md".into(), from: "a.md".into() }]);

    // A move into a sub-folder seen only as a removal and a creation (as a
    // polling watcher sees it): recognised by content.
    fs::create_dir(bench.folder.join("sub")).expect("mkdir");
    let c = bench.folder.join("sub/c.md");
    fs::rename(&b, &c).expect("move");
    let events = desk.apply_changes(&[b.clone(), c.clone()], &[]).expect("apply");
    // Told as what it is: a rename, not a missing draft and then a rename.
    assert_eq!(events, vec![DeskEvent::Renamed { draft: id, path: "sub/c.md".into(), from: "b.md".into() }]);
    let drafts = desk.drafts().expect("drafts");
    assert_eq!(drafts.len(), 1);
    assert!(!drafts[0].missing);

    // A whole folder renamed.
    let renamed_dir = bench.folder.join("moved");
    fs::rename(bench.folder.join("sub"), &renamed_dir).expect("rename dir");
    let events = desk.apply_changes(&[], &[(bench.folder.join("sub"), renamed_dir)]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Renamed { draft: id, path: "moved/c.md".into(), from: "sub/c.md".into() }]);
}

#[test]
fn a_deleted_draft_is_kept_missing_and_found_again() {
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    let path = bench.write("gone.txt", "Soon gone.");
    scan(&desk);
    let id = desk.draft_by_path("gone.txt").expect("q").expect("draft").id;

    fs::remove_file(&path).expect("delete");
    let events = desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Missing { draft: id, path: "gone.txt".into() }]);
    let draft = desk.draft_by_path("gone.txt").expect("q").expect("kept");
    assert!(draft.missing);
    assert!(draft.current_version.is_some(), "its text is kept");

    fs::write(&path, "Back, and edited.").expect("restore");
    let events = desk.apply_changes(&[path], &[]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Restored { draft: id, path: "gone.txt".into() }]);
    assert!(!desk.draft_by_path("gone.txt").expect("q").expect("draft").missing);
}

#[test]
fn a_restart_reconciles_the_store_with_the_folder() {
    let bench = Bench::new();
    let (kept, moved, deleted) = {
        let desk = bench.desk(bench.store());
        bench.write("kept.md", "# Kept\n\nOriginal.");
        bench.write("moved.md", "# Moved\n\nWill move.");
        bench.write("deleted.md", "# Deleted\n\nWill go.");
        scan(&desk);
        let id = |p: &str| desk.draft_by_path(p).expect("q").expect("draft").id;
        (id("kept.md"), id("moved.md"), id("deleted.md"))
    };
    // While Factdesk is closed:
    fs::write(bench.folder.join("kept.md"), "# Kept\n\nEdited while closed.").expect("edit");
    fs::create_dir(bench.folder.join("archive")).expect("mkdir");
    fs::rename(bench.folder.join("moved.md"), bench.folder.join("archive/moved.md")).expect("move");
    fs::remove_file(bench.folder.join("deleted.md")).expect("delete");
    bench.write("new.md", "# New\n\nArrived while closed.");

    let store = bench.store();
    let desk = bench.desk(store.clone());
    let (_, mut events) = scan(&desk);
    events.sort_by_key(|e| format!("{e:?}"));
    let new = desk.draft_by_path("new.md").expect("q").expect("draft").id;
    let mut expected = vec![
        DeskEvent::Changed { draft: kept, path: "kept.md".into() },
        DeskEvent::Renamed { draft: moved, path: "archive/moved.md".into(), from: "moved.md".into() },
        DeskEvent::Missing { draft: deleted, path: "deleted.md".into() },
        DeskEvent::Added { draft: new, path: "new.md".into() },
    ];
    expected.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(events, expected);
    assert_eq!(version_count(&store, &desk, "kept.md"), 2);
    // A second scan with nothing changed reads nothing and reports nothing.
    let (_, events) = scan(&desk);
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let bench = Bench::new();
    let err = Desk::open(bench.store(), &bench.folder.join("nope"), Arc::new(SystemClock)).err().expect("error");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn a_deleted_desk_folder_marks_drafts_missing_and_says_so() {
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    bench.write("a.md", "# A");
    scan(&desk);
    fs::remove_dir_all(&bench.folder).expect("rm");
    let events = desk.apply_changes(std::slice::from_ref(&bench.folder), &[]).expect("apply");
    assert!(matches!(events[0], DeskEvent::Missing { .. }), "{events:?}");
    assert!(matches!(&events[1], DeskEvent::Problem { message, .. } if message.contains("deleted or moved")));
    assert_eq!(desk.drafts().expect("drafts").len(), 1, "kept");
}

fn expect_event(rx: &mpsc::Receiver<DeskEvent>, what: &str, matches: impl Fn(&DeskEvent) -> bool) -> DeskEvent {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(event) if matches(&event) => return event,
            Ok(event) => seen.push(event),
            Err(_) => break,
        }
    }
    panic!("no {what} event; saw {seen:?}");
}

fn watch_follows_the_folder(preference: WatchPreference) {
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    let story = bench.write("story.md", "# Story\n\nFirst.");
    scan(&desk);
    let id = desk.draft_by_path("story.md").expect("q").expect("draft").id;
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let _watch = desk
        .watch(preference, move |event| {
            let _ = tx.lock().map(|tx| tx.send(event));
        })
        .expect("watch");
    // Let the watcher (and the poller's first pass) settle.
    std::thread::sleep(Duration::from_millis(1500));

    bench.write("new.md", "# New\n\nHello.");
    expect_event(&rx, "added", |e| matches!(e, DeskEvent::Added { path, .. } if path == "new.md"));

    let temp = bench.write(".story.md.swp-save", "# Story\n\nSecond.");
    fs::rename(&temp, &story).expect("atomic save");
    expect_event(&rx, "changed", |e| matches!(e, DeskEvent::Changed { draft, .. } if *draft == id));

    fs::rename(&story, bench.folder.join("renamed.md")).expect("rename");
    expect_event(
        &rx,
        "renamed",
        |e| matches!(e, DeskEvent::Renamed { draft, path, .. } if *draft == id && path == "renamed.md"),
    );

    fs::remove_file(bench.folder.join("renamed.md")).expect("delete");
    expect_event(&rx, "missing", |e| matches!(e, DeskEvent::Missing { draft, .. } if *draft == id));
    assert_eq!(desk.drafts().expect("drafts").len(), 2);
}

#[test]
fn native_watch_follows_the_folder() {
    watch_follows_the_folder(WatchPreference::Native);
}

#[test]
fn polling_watch_follows_the_folder() {
    watch_follows_the_folder(WatchPreference::Polling);
}

#[test]
fn watch_limit_errors_become_actionable_messages() {
    use factdesk_core::desk::watch_limit_message;
    let enospc = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
    assert!(watch_limit_message(&enospc).expect("message").contains("max_user_watches"));
    let emfile = notify::Error::io(std::io::Error::from_raw_os_error(24));
    assert!(watch_limit_message(&emfile).expect("message").contains("max_user_instances"));
    let other = notify::Error::generic("boom");
    assert!(watch_limit_message(&other).is_none());
}

#[test]
fn symbolic_links_are_never_followed() {
    let bench = Bench::new();
    let outside = bench._tmp.path().join("outside");
    fs::create_dir(&outside).expect("mkdir");
    fs::write(outside.join("secret.txt"), "Not part of the desk.").expect("write");
    std::os::unix::fs::symlink(&outside, bench.folder.join("linked-folder")).expect("link dir");
    std::os::unix::fs::symlink(outside.join("secret.txt"), bench.folder.join("linked.txt")).expect("link file");
    let desk = bench.desk(bench.store());
    let (report, _) = scan(&desk);
    assert!(report.files.iter().all(|f| !f.path.contains("secret")), "{:?}", report.files);
    // Listed, with the reason, rather than silently left out.
    for name in ["linked-folder", "linked.txt"] {
        let link = report.files.iter().find(|f| f.path == name).unwrap_or_else(|| panic!("{name} not listed"));
        assert_eq!(link.state, FileState::Skipped);
        assert!(link.reason.as_deref().is_some_and(|r| r.contains("symbolic link")), "{link:?}");
    }
    let events =
        desk.apply_changes(&[bench.folder.join("linked-folder"), bench.folder.join("linked.txt")], &[]).expect("apply");
    assert!(events.is_empty(), "{events:?}");
    assert!(desk.drafts().expect("drafts").is_empty());
}

/// Two drafts of the same text, `story.md` and `story copy.md`, scanned by a
/// desk since closed: their ids.
fn identical_copies_scanned(bench: &Bench) -> (DraftId, DraftId) {
    let desk = bench.desk(bench.store());
    bench.write("story.md", "# Same\n\nSame text.");
    bench.write("story copy.md", "# Same\n\nSame text.");
    scan(&desk);
    let id = |p: &str| desk.draft_by_path(p).expect("q").expect("draft").id;
    (id("story.md"), id("story copy.md"))
}

#[test]
fn identical_copies_moved_while_closed_are_each_followed_by_their_own_file() {
    let bench = Bench::new();
    let (one, two) = identical_copies_scanned(&bench);
    fs::create_dir(bench.folder.join("sub")).expect("mkdir");
    fs::rename(bench.folder.join("story.md"), bench.folder.join("sub/story.md")).expect("move");
    fs::rename(bench.folder.join("story copy.md"), bench.folder.join("sub/story copy.md")).expect("move");
    let desk = bench.desk(bench.store());
    scan(&desk);
    // The text cannot tell them apart; the file identity (device and inode) can.
    assert_eq!(desk.draft_by_path("sub/story.md").expect("q").expect("draft").id, one);
    assert_eq!(desk.draft_by_path("sub/story copy.md").expect("q").expect("draft").id, two);
}

#[test]
fn identical_copies_replaced_by_new_files_are_not_given_each_others_reviews() {
    let bench = Bench::new();
    let (one, two) = identical_copies_scanned(&bench);
    // Copied (new files, new identities), then the originals deleted.
    fs::create_dir(bench.folder.join("sub")).expect("mkdir");
    for name in ["story.md", "story copy.md"] {
        fs::copy(bench.folder.join(name), bench.folder.join("sub").join(name)).expect("copy");
        fs::remove_file(bench.folder.join(name)).expect("delete");
    }
    let desk = bench.desk(bench.store());
    let (_, events) = scan(&desk);
    // Two equal candidates: no guess. Both old drafts are kept missing with their reviews.
    assert!(!events.iter().any(|e| matches!(e, DeskEvent::Renamed { .. })), "{events:?}");
    for id in [one, two] {
        assert!(desk.drafts().expect("drafts").iter().any(|d| d.id == id && d.missing));
    }
}

#[test]
fn a_draft_renamed_onto_a_deleted_drafts_name_keeps_its_own_review() {
    // Seen by the watcher as a paired rename, and by a scan after a restart.
    for paired in [true, false] {
        let bench = Bench::new();
        let desk = bench.desk(bench.store());
        let old = bench.write("budget.md", "# Budget\n\nThe first budget story.");
        let v2 = bench.write("budget-v2.md", "# Budget\n\nThe second budget story, rewritten.");
        scan(&desk);
        let id = |p: &str| desk.draft_by_path(p).expect("q").expect("draft").id;
        let (old_id, v2_id) = (id("budget.md"), id("budget-v2.md"));
        fs::remove_file(&old).expect("delete");
        desk.apply_changes(std::slice::from_ref(&old), &[]).expect("apply");

        fs::rename(&v2, &old).expect("rename onto the old name");
        if paired {
            desk.apply_changes(&[], &[(v2.clone(), old.clone())]).expect("apply");
        } else {
            scan(&desk);
        }
        let now = desk.draft_by_path("budget.md").expect("q").expect("draft");
        assert_eq!(now.id, v2_id, "paired={paired}");
        assert!(!now.missing);
        let gone = desk.drafts().expect("drafts").into_iter().find(|d| d.id == old_id).expect("kept");
        assert!(gone.missing, "paired={paired}");
    }
}

#[test]
fn file_names_that_are_not_utf8_stay_distinct_drafts() {
    use std::os::unix::ffi::OsStrExt;
    let bench = Bench::new();
    let name = |byte: u8| std::ffi::OsStr::from_bytes(&[b'r', byte, b'.', b't', b'x', b't']).to_owned();
    fs::write(bench.folder.join(name(0xff)), "First\n\nThe first draft.").expect("write");
    fs::write(bench.folder.join(name(0xfe)), "Second\n\nThe second draft.").expect("write");
    let store = bench.store();
    let desk = bench.desk(store.clone());
    let (report, _) = scan(&desk);
    let paths: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["r\\xfe.txt", "r\\xff.txt"], "shown escaped, one each");
    let text_of = |path: &str| {
        let draft = desk.draft_by_path(path).expect("q").expect("draft");
        desk.draft(draft.id).expect("q").expect("draft").1.expect("version").text
    };
    assert!(text_of("r\\xff.txt").contains("The first draft."));
    assert!(text_of("r\\xfe.txt").contains("The second draft."));
    // Stored losslessly: the raw bytes of the name are kept beside its display form.
    let draft = desk.draft_by_path("r\\xff.txt").expect("q").expect("draft");
    let raw = factdesk_core::store::lock(&store).draft_path_bytes(draft.id).expect("q");
    assert_eq!(raw, Some(name(0xff).as_bytes().to_vec()));
    // An edit reaches the right one, and a rename to a valid name keeps it.
    fs::write(bench.folder.join(name(0xff)), "First\n\nThe first draft, edited.").expect("edit");
    let events = desk.apply_changes(&[bench.folder.join(name(0xff))], &[]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Changed { draft: draft.id, path: "r\\xff.txt".into() }]);
    fs::rename(bench.folder.join(name(0xff)), bench.folder.join("first.txt")).expect("rename");
    let events =
        desk.apply_changes(&[bench.folder.join(name(0xff)), bench.folder.join("first.txt")], &[]).expect("apply");
    assert_eq!(
        events,
        vec![DeskEvent::Renamed { draft: draft.id, path: "first.txt".into(), from: "r\\xff.txt".into() }]
    );
    assert_eq!(factdesk_core::store::lock(&store).draft_path_bytes(draft.id).expect("q"), None);
    assert_eq!(desk.drafts().expect("drafts").len(), 2);
}

fn collect_events(rx: &mpsc::Receiver<DeskEvent>, quiet: Duration) -> Vec<DeskEvent> {
    let mut events = Vec::new();
    while let Ok(event) = rx.recv_timeout(quiet) {
        events.push(event);
    }
    events
}

/// A desk holding one draft, `a.md`, scanned and watched natively: the
/// desk, its watch and the events it tells.
fn watching_one_draft(bench: &Bench) -> (Desk, factdesk_core::desk::DeskWatch, mpsc::Receiver<DeskEvent>) {
    let desk = bench.desk(bench.store());
    bench.write("a.md", "# A\n\nText.");
    scan(&desk);
    let (watch, rx) = watch_into_channel(&desk, WatchPreference::Native);
    (desk, watch, rx)
}

fn watch_into_channel(
    desk: &Desk,
    preference: WatchPreference,
) -> (factdesk_core::desk::DeskWatch, mpsc::Receiver<DeskEvent>) {
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let watch = desk
        .watch(preference, move |event| {
            let _ = tx.lock().map(|tx| tx.send(event));
        })
        .expect("watch");
    // Let the watcher (and the poller's first pass) settle.
    std::thread::sleep(Duration::from_millis(1500));
    (watch, rx)
}

#[test]
fn a_version_recorded_by_another_process_first_reaches_the_watch_as_changed() {
    // Regression (issue 11, item 4): the command line read the saved file
    // first; the window's watcher then found it already stored and said
    // nothing, and the window kept showing the older text.
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    let story = bench.write("story.md", "# Story\n\nFirst.");
    scan(&desk);
    let id = desk.draft_by_path("story.md").expect("q").expect("draft").id;
    let (_watch, rx) = watch_into_channel(&desk, WatchPreference::Polling);
    // Another process (its own connection to the same database file) sees
    // the save before the window's poller does.
    fs::write(&story, "# Story\n\nSecond, as the command line recorded it.").expect("save");
    let other = bench.desk(bench.store());
    scan(&other);
    expect_event(&rx, "changed", |e| matches!(e, DeskEvent::Changed { draft, .. } if *draft == id));
}

#[test]
fn a_review_changed_by_another_process_reaches_the_watch_as_reviewed() {
    // The gap: the command line changed a claim's status (no new version),
    // and the window kept showing the old status until a draft changed.
    use factdesk_core::anchor::TextQuoteSelector;
    use factdesk_core::review::{ClaimStatus, Review};
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    bench.write("story.md", "# Story\n\nThe council met on Monday.");
    scan(&desk);
    let id = desk.draft_by_path("story.md").expect("q").expect("draft").id;
    // Another process: its own connection to the same database file.
    let other = bench.store();
    let review = Review::new(other, Arc::new(FixedClock::new(chrono::Utc::now())), "Ada".into());
    let exact =
        TextQuoteSelector { exact: "The council met on Monday.".into(), prefix: String::new(), suffix: String::new() };
    let claim = review.add_claim(id, &exact, ClaimStatus::NeedsCorroboration).expect("tag");
    let (_watch, rx) = watch_into_channel(&desk, WatchPreference::Polling);
    review.set_status(claim, ClaimStatus::Cleared).expect("status");
    expect_event(&rx, "reviewed", |e| matches!(e, DeskEvent::Reviewed));
}

#[test]
fn a_review_changed_by_this_process_is_not_told_again_as_reviewed() {
    // The window tells its own changes when it makes them: the monitor must
    // not send each one back as another process's.
    use factdesk_core::anchor::TextQuoteSelector;
    use factdesk_core::review::{ClaimStatus, Review};
    let bench = Bench::new();
    let store = bench.store();
    let desk = bench.desk(store.clone());
    bench.write("story.md", "# Story\n\nThe council met on Monday.");
    scan(&desk);
    let id = desk.draft_by_path("story.md").expect("q").expect("draft").id;
    let (_watch, rx) = watch_into_channel(&desk, WatchPreference::Polling);
    let review = Review::new(store, Arc::new(FixedClock::new(chrono::Utc::now())), "Ada".into());
    let exact =
        TextQuoteSelector { exact: "The council met on Monday.".into(), prefix: String::new(), suffix: String::new() };
    review.add_claim(id, &exact, ClaimStatus::NeedsCorroboration).expect("tag");
    std::thread::sleep(Duration::from_millis(1500));
    let told: Vec<DeskEvent> = rx.try_iter().collect();
    assert!(!told.iter().any(|e| matches!(e, DeskEvent::Reviewed)), "told {told:?}");
}

#[test]
fn a_desk_folder_deleted_and_made_again_is_watched_again() {
    let bench = Bench::new();
    let (_desk, _watch, rx) = watching_one_draft(&bench);
    fs::remove_dir_all(&bench.folder).expect("rm");
    expect_event(&rx, "problem", |e| matches!(e, DeskEvent::Problem { message, .. } if message.contains("deleted")));
    fs::create_dir(&bench.folder).expect("mkdir again");
    // Give the monitor a moment to see the folder back before writing into it.
    std::thread::sleep(Duration::from_millis(1500));
    bench.write("a.md", "# A\n\nText.");
    expect_event(&rx, "restored", |e| matches!(e, DeskEvent::Restored { path, .. } if path == "a.md"));
    bench.write("b.md", "# B\n\nNew in the new folder.");
    expect_event(&rx, "added", |e| matches!(e, DeskEvent::Added { path, .. } if path == "b.md"));
}

#[test]
fn a_desk_folder_replaced_between_two_looks_is_watched_again() {
    // Regression: the monitor re-watched the folder only if one of its looks
    // (twice a second) found it missing; deleted and made again in between,
    // the new folder was never watched and its drafts never told.
    let bench = Bench::new();
    let (_desk, _watch, rx) = watching_one_draft(&bench);
    fs::remove_dir_all(&bench.folder).expect("rm");
    fs::create_dir(&bench.folder).expect("mkdir again at once");
    std::thread::sleep(Duration::from_millis(1500));
    bench.write("b.md", "# B\n\nNew in the new folder.");
    expect_event(&rx, "added", |e| matches!(e, DeskEvent::Added { path, .. } if path == "b.md"));
}

#[test]
fn deleting_a_folder_of_hundreds_of_drafts_is_told_once() {
    let bench = Bench::new();
    let desk = bench.desk(bench.store());
    for n in 0..300 {
        bench.write(&format!("archive/d{n:03}.md"), &format!("# Draft {n}\n\nText {n}."));
    }
    scan(&desk);
    let (_watch, rx) = watch_into_channel(&desk, WatchPreference::Native);
    fs::remove_dir_all(bench.folder.join("archive")).expect("rm");
    let events = collect_events(&rx, Duration::from_secs(3));
    let reloads: Vec<&DeskEvent> = events.iter().filter(|e| !matches!(e, DeskEvent::Problem { .. })).collect();
    assert_eq!(reloads, vec![&DeskEvent::Many { count: 300 }], "{} events", events.len());
    assert!(desk.drafts().expect("drafts").iter().all(|d| d.missing));
}

/// A desk of several write chunks (the next chunk is read while the last
/// is written): every file is reported once, in path order, and a second
/// scan after a move from the first chunk to the last, an edit and a
/// deletion tells exactly those, the move as a rename.
#[test]
fn a_desk_of_many_chunks_is_scanned_whole_and_caught_up_exactly() {
    let bench = Bench::new();
    let count = 700;
    for index in 0..count {
        bench.write(
            &format!("f{:02}/story-{index:04}.md", index / 50),
            &format!("# Story {index}\n\nBody of story {index}."),
        );
    }
    let store = bench.store();
    let desk = bench.desk(store.clone());
    let mut progress = Vec::new();
    let mut events = Vec::new();
    let report = desk.scan(&mut |p| progress.push((p.seen, p.total)), &mut |e| events.push(e)).expect("scan");
    assert_eq!(report.files.len(), count);
    assert!(report.files.windows(2).all(|pair| pair[0].path < pair[1].path), "listed in path order");
    assert!(report.files.iter().all(|f| f.state == FileState::Ok && f.words == 6), "every file read");
    assert_eq!(events.len(), count, "one added event per file");
    assert!(events.iter().all(|e| matches!(e, DeskEvent::Added { .. })));
    let total = u32::try_from(count).expect("count");
    assert_eq!(progress.last(), Some(&(total, total)));

    let id = |p: &str| desk.draft_by_path(p).expect("q").expect("draft").id;
    let (moved, edited, deleted) = (id("f00/story-0003.md"), id("f07/story-0351.md"), id("f13/story-0699.md"));
    fs::create_dir(bench.folder.join("z-archive")).expect("mkdir");
    fs::rename(bench.folder.join("f00/story-0003.md"), bench.folder.join("z-archive/story-0003.md")).expect("move");
    fs::write(bench.folder.join("f07/story-0351.md"), "# Story 351\n\nEdited.").expect("edit");
    fs::remove_file(bench.folder.join("f13/story-0699.md")).expect("delete");

    let desk = bench.desk(store.clone());
    let (report, mut events) = scan(&desk);
    assert_eq!(report.files.len(), count - 1);
    events.sort_by_key(|e| format!("{e:?}"));
    let mut expected = vec![
        DeskEvent::Renamed { draft: moved, path: "z-archive/story-0003.md".into(), from: "f00/story-0003.md".into() },
        DeskEvent::Changed { draft: edited, path: "f07/story-0351.md".into() },
        DeskEvent::Missing { draft: deleted, path: "f13/story-0699.md".into() },
    ];
    expected.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(events, expected);
    assert_eq!(version_count(&store, &desk, "f07/story-0351.md"), 2);
}

#[test]
fn network_file_systems_are_told_by_their_magic_number_and_a_local_folder_is_watched_natively() {
    use factdesk_core::desk::{is_network_file_system, is_network_folder, WatchMode};
    // statfs's f_type of NFS, SMB, CIFS (also as the negative number a signed word gives), SMB2 and FUSE.
    for magic in [0x6969_i64, 0x517B, 0xFF53_4D42, i64::from(0xFF53_4D42_u32 as i32), 0xFE53_4D42, 0x6573_5546] {
        assert!(is_network_file_system(magic), "{magic:#x}");
    }
    // ext4, tmpfs, btrfs, overlayfs: local.
    for magic in [0xEF53_i64, 0x0102_1994, 0x9123_683E, 0x794C_7630] {
        assert!(!is_network_file_system(magic), "{magic:#x}");
    }
    let bench = Bench::new();
    assert!(!is_network_folder(&bench.folder));
    let desk = bench.desk(bench.store());
    let watch = desk.watch(WatchPreference::Native, |_| {}).expect("watch");
    assert_eq!(watch.mode, WatchMode::Native);
    assert_eq!(watch.notice, None);
}
