//! A draft keeps its identity (and so its claims) through fast renames and
//! saves, whatever the watcher made of the burst: real folders, the real
//! inotify and polling watchers, a real SQLite file (issue 11, item 3).

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::{Desk, DeskEvent, WatchPreference};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::{DraftId, SharedStore};
use std::fs;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Bench {
    _tmp: tempfile::TempDir,
    folder: PathBuf,
    store: SharedStore,
    desk: Desk,
}

impl Bench {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let folder = tmp.path().join("drafts");
        fs::create_dir(&folder).expect("mkdir");
        let store = engine::open(&tmp.path().join("factdesk.db")).expect("open store").shared();
        let desk = Desk::open(store.clone(), &folder, Arc::new(SystemClock)).expect("open desk");
        Self { _tmp: tmp, folder, store, desk }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.folder.join(rel)
    }

    fn review(&self) -> Review {
        Review::new(self.store.clone(), Arc::new(SystemClock), "ana".into())
    }

    /// Writes `rel`, scans, tags `quote` on it; the draft's id.
    fn draft_with_claim(&self, rel: &str, text: &str, quote: &str) -> DraftId {
        fs::write(self.path(rel), text).expect("write");
        self.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let id = self.desk.draft_by_path(rel).expect("query").expect("draft").id;
        let quote = TextQuoteSelector { exact: quote.into(), prefix: String::new(), suffix: String::new() };
        self.review().add_claim(id, &quote, ClaimStatus::NeedsCorroboration).expect("claim");
        id
    }

    fn watch(&self, preference: WatchPreference) -> factdesk_core::desk::DeskWatch {
        let watch = self.desk.watch(preference, |_: DeskEvent| {}).expect("watch");
        // Let the watcher (and the poller's first pass) settle.
        std::thread::sleep(Duration::from_millis(1500));
        watch
    }

    /// Waits (up to a generous deadline, as the watcher settles) until
    /// `done` holds; the last state seen is in the panic message otherwise.
    fn settle(&self, what: &str, done: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if done(self) {
                // Once more after a quiet spell: the state must be final, not a step on the way.
                std::thread::sleep(Duration::from_millis(1500));
                if done(self) {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let drafts: Vec<(DraftId, String, bool)> =
            self.desk.drafts().expect("drafts").into_iter().map(|d| (d.id, d.path, d.missing)).collect();
        panic!("{what}: not settled; drafts {drafts:?}");
    }

    /// The draft at `rel` is `id`, present, with its text containing `text`
    /// and its one claim on it; nothing is left listed at `old`.
    fn kept(&self, rel: &str, id: DraftId, text: &str, old: &str) -> bool {
        let Some(draft) = self.desk.draft_by_path(rel).expect("query") else { return false };
        let Some((_, Some(version))) = self.desk.draft(draft.id).expect("query") else { return false };
        let left_behind = self.desk.draft_by_path(old).expect("query").is_some_and(|d| !d.missing);
        let claims = self.review().claims(id).expect("claims");
        draft.id == id
            && !draft.missing
            && version.text.contains(text)
            && !left_behind
            && claims.len() == 1
            && claims[0].start.is_some()
    }
}

fn story(n: usize, edit: &str) -> String {
    format!(
        "Story {n}\n\nThe council approved a budget of {n} million on Monday, officials said.\n\n\
         Residents {edit} the plan at a public meeting that lasted four hours."
    )
}

const QUOTE: &str = "officials said";

fn rename_then_save_within_50_ms(preference: WatchPreference) {
    let bench = Bench::new();
    let id = bench.draft_with_claim("a.txt", &story(1, "opposed"), QUOTE);
    let _watch = bench.watch(preference);
    fs::rename(bench.path("a.txt"), bench.path("b.txt")).expect("rename");
    std::thread::sleep(Duration::from_millis(20));
    fs::write(bench.path("b.txt"), story(1, "welcomed")).expect("save");
    bench.settle("rename then save", |b| b.kept("b.txt", id, "welcomed", "a.txt"));
}

fn save_then_rename(preference: WatchPreference) {
    let bench = Bench::new();
    let id = bench.draft_with_claim("a.txt", &story(2, "opposed"), QUOTE);
    let _watch = bench.watch(preference);
    fs::write(bench.path("a.txt"), story(2, "welcomed")).expect("save");
    fs::rename(bench.path("a.txt"), bench.path("b.txt")).expect("rename");
    bench.settle("save then rename", |b| b.kept("b.txt", id, "welcomed", "a.txt"));
}

fn fifteen_renames_in_300_ms(preference: WatchPreference) {
    let bench = Bench::new();
    let ids: Vec<DraftId> =
        (0..15).map(|n| bench.draft_with_claim(&format!("r{n:02}.txt"), &story(n, "opposed"), QUOTE)).collect();
    let _watch = bench.watch(preference);
    // Renamed, and every other one saved again straight after, 20 ms apart.
    for n in 0..15 {
        let to = bench.path(&format!("s{n:02}.txt"));
        fs::rename(bench.path(&format!("r{n:02}.txt")), &to).expect("rename");
        if n % 2 == 1 {
            fs::write(&to, story(n, "welcomed")).expect("save");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    bench.settle("15 renames", |b| {
        ids.iter().enumerate().all(|(n, id)| {
            let text = if n % 2 == 1 { "welcomed" } else { "opposed" };
            b.kept(&format!("s{n:02}.txt"), *id, text, &format!("r{n:02}.txt"))
        })
    });
    assert_eq!(bench.desk.drafts().expect("drafts").len(), 15, "no draft was created twice");
}

#[test]
fn rename_then_save_keeps_the_draft_with_inotify() {
    rename_then_save_within_50_ms(WatchPreference::Native);
}

#[test]
fn rename_then_save_keeps_the_draft_with_polling() {
    rename_then_save_within_50_ms(WatchPreference::Polling);
}

#[test]
fn save_then_rename_keeps_the_draft_with_inotify() {
    save_then_rename(WatchPreference::Native);
}

#[test]
fn save_then_rename_keeps_the_draft_with_polling() {
    save_then_rename(WatchPreference::Polling);
}

#[test]
fn fifteen_fast_renames_keep_every_draft_with_inotify() {
    fifteen_renames_in_300_ms(WatchPreference::Native);
}

#[test]
fn fifteen_fast_renames_keep_every_draft_with_polling() {
    fifteen_renames_in_300_ms(WatchPreference::Polling);
}

#[test]
fn a_file_saved_under_a_new_name_and_the_old_one_deleted_is_the_same_draft_edited() {
    // An editor that writes a new file (new identity) and deletes the old:
    // only the text ties them, and it clearly does.
    let bench = Bench::new();
    let id = bench.draft_with_claim("a.txt", &story(3, "opposed"), QUOTE);
    fs::write(bench.path("b.txt"), story(3, "welcomed")).expect("write");
    fs::remove_file(bench.path("a.txt")).expect("delete");
    let events = bench.desk.apply_changes(&[bench.path("a.txt"), bench.path("b.txt")], &[]).expect("apply");
    assert_eq!(events, vec![DeskEvent::Renamed { draft: id, path: "b.txt".into(), from: "a.txt".into() }]);
    assert!(bench.kept("b.txt", id, "welcomed", "a.txt"));
}

#[test]
fn two_lookalike_drafts_gone_and_one_new_file_is_no_guess() {
    let bench = Bench::new();
    let one = bench.draft_with_claim("one.txt", &story(4, "opposed"), QUOTE);
    let two = bench.draft_with_claim("two.txt", &story(4, "disliked"), QUOTE);
    fs::write(bench.path("three.txt"), story(4, "welcomed")).expect("write");
    fs::remove_file(bench.path("one.txt")).expect("delete");
    fs::remove_file(bench.path("two.txt")).expect("delete");
    let events = bench
        .desk
        .apply_changes(&[bench.path("one.txt"), bench.path("two.txt"), bench.path("three.txt")], &[])
        .expect("apply");
    assert!(events.iter().any(|e| matches!(e, DeskEvent::Added { path, .. } if path == "three.txt")), "{events:?}");
    for id in [one, two] {
        assert!(events.contains(&DeskEvent::Missing {
            draft: id,
            path: if id == one { "one.txt".into() } else { "two.txt".into() }
        }));
    }
}

#[test]
fn a_deleted_drafts_inode_given_to_an_unrelated_file_is_not_that_draft() {
    // The file system hands a freed inode number to the next new file; the
    // birth time (or, without one, the text) tells them apart.
    let bench = Bench::new();
    let id = bench.draft_with_claim("old.txt", &story(5, "opposed"), QUOTE);
    fs::remove_file(bench.path("old.txt")).expect("delete");
    fs::write(bench.path("unrelated.txt"), "Another story\n\nNothing in common with the first one at all.")
        .expect("write");
    let events = bench.desk.apply_changes(&[bench.path("old.txt"), bench.path("unrelated.txt")], &[]).expect("apply");
    assert!(events.contains(&DeskEvent::Missing { draft: id, path: "old.txt".into() }), "{events:?}");
    assert!(events.iter().any(|e| matches!(e, DeskEvent::Added { path, .. } if path == "unrelated.txt")));
}
