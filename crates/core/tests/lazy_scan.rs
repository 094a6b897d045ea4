//! The lazy first scan (issue 11): files first seen are recorded without
//! their text, which is read when first needed. On real folders and real
//! SQLite files, reviewed through the calls the window and the CLI make.

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::{Desk, DeskEvent};
use factdesk_core::history;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::search::SearchQuery;
use factdesk_core::store::{lock, DraftId, SharedStore, Store, VersionId};
use std::path::PathBuf;
use std::sync::Arc;

const STORY: &str = "# Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The repairs will cost $1.2bn, according to the ministry's figures.\n";

const BUDGET: &str = "Council budget\n\n\
    The council approved the budget on Monday, the finance director said.\n";

const PAGE: &str =
    "<html><body><h1>Harbour</h1><p>The port authority approved $48 million for dredging.</p></body></html>";

struct Bench {
    _tmp: tempfile::TempDir,
    folder: PathBuf,
    store: SharedStore,
    clock: Arc<FixedClock>,
    desk: Desk,
}

impl Bench {
    /// A desk of three drafts in a fresh database, scanned lazily or not.
    fn new(lazy: bool, at: chrono::DateTime<chrono::Utc>) -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir_all(folder.join("city")).expect("mkdir");
        std::fs::write(folder.join("story.md"), STORY).expect("write");
        std::fs::write(folder.join("city/budget.txt"), BUDGET).expect("write");
        std::fs::write(folder.join("harbour.html"), PAGE).expect("write");
        let store = Store::open(&tmp.path().join("f.db")).expect("store").shared();
        let clock = Arc::new(FixedClock::new(at));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        let bench = Self { _tmp: tmp, folder, store, clock, desk };
        bench.scan(lazy);
        bench
    }

    fn scan(&self, lazy: bool) -> Vec<DeskEvent> {
        let mut events = Vec::new();
        if lazy {
            self.desk.scan_lazily(&mut |_| {}, &mut |e| events.push(e)).expect("lazy scan");
        } else {
            self.desk.scan(&mut |_| {}, &mut |e| events.push(e)).expect("scan");
        }
        events
    }

    fn draft(&self, path: &str) -> DraftId {
        self.desk.draft_by_path(path).expect("query").expect("draft").id
    }

    fn review(&self) -> Review {
        Review::new(self.store.clone(), self.clock.clone(), "Ana Editor".into())
    }
}

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

#[test]
fn a_lazy_scan_stores_no_text_until_a_draft_is_needed() {
    let bench = Bench::new(true, chrono::Utc::now());
    let drafts = bench.desk.drafts().expect("drafts");
    assert_eq!(drafts.len(), 3);
    for draft in &drafts {
        assert_eq!(draft.current_version, None, "{} has no version yet", draft.path);
        assert_eq!(draft.words, 0, "{}", draft.path);
        assert!(draft.file_size.is_some() && draft.file_identity.is_some(), "{}: file recorded", draft.path);
        assert!(lock(&bench.store).unread_hash(draft.id).expect("q").is_some(), "{}", draft.path);
    }
    // Nothing to find before the texts are read; everything after.
    let review = bench.review();
    assert!(review.search(bench.desk.id(), &SearchQuery::new("dredging")).expect("search").is_empty());
    let read = bench.desk.read_all_texts().expect("read");
    assert_eq!(read.len(), 3);
    let hits = review.search(bench.desk.id(), &SearchQuery::new("dredging")).expect("search");
    assert_eq!(hits.iter().map(|h| h.draft_path.as_deref()).collect::<Vec<_>>(), vec![Some("harbour.html")]);
    factdesk_core::search::check_index(&lock(&bench.store)).expect("index exact");
    let story = bench.desk.draft_by_path("story.md").expect("q").expect("draft");
    assert_eq!(story.title, "Fire at the plant");
    assert!(story.words > 10);
    assert_eq!(lock(&bench.store).unread_hash(story.id).expect("q"), None);
    // Read once: a second pass reads nothing.
    assert!(bench.desk.read_all_texts().expect("read").is_empty());
}

#[test]
fn a_desk_scanned_lazily_then_reviewed_gives_what_an_eager_one_gives() {
    let at = chrono::Utc::now();
    let eager = Bench::new(false, at);
    let lazy = Bench::new(true, at);
    let mut outcomes = Vec::new();
    for bench in [&eager, &lazy] {
        // The window opens the draft (its text), then the reviewer tags a claim.
        let story = bench.draft("story.md");
        let (_, version) = bench.desk.draft(story).expect("open").expect("on the desk");
        let text = version.expect("a version once opened").text;
        let review = bench.review();
        review.add_claim(story, &quote("Six workers were injured"), ClaimStatus::NeedsCorroboration).expect("claim");
        // The writer edits it: the claim is re-anchored on the new version.
        std::fs::write(bench.folder.join("story.md"), STORY.replace("Six", "Seven workers, not six, and six"))
            .expect("edit");
        bench.clock.advance(60);
        bench.scan(true);
        bench.desk.read_all_texts().expect("read the rest");
        let claims = review.claims(story).expect("claims");
        // Version ids follow the order texts were read in: compared without them.
        let without_ids = |draft| -> Vec<history::VersionSummary> {
            let versions = history::versions(&lock(&bench.store), draft).expect("history");
            versions.into_iter().map(|v| history::VersionSummary { id: VersionId(0), ..v }).collect()
        };
        let versions = without_ids(story);
        let budget_versions = without_ids(bench.draft("city/budget.txt"));
        let hits: Vec<(Option<String>, String)> = review
            .search(bench.desk.id(), &SearchQuery::new("said OR dredging OR workers"))
            .expect("search")
            .into_iter()
            .map(|h| (h.draft_path, format!("{:?}", h.kind)))
            .collect();
        let summaries = bench.desk.summaries().expect("list");
        outcomes.push((text, claims, versions, budget_versions, hits, summaries));
    }
    let (eager, lazy) = (&outcomes[0], &outcomes[1]);
    assert_eq!(eager.0, lazy.0, "the text opened");
    assert_eq!(eager.1, lazy.1, "claims as placed after the edit");
    assert_eq!(eager.2, lazy.2, "the edited draft's history");
    assert_eq!(eager.3, lazy.3, "an unedited draft's history: dated when first seen");
    assert_eq!(eager.4, lazy.4, "search");
    assert_eq!(eager.5, lazy.5, "the drafts list");
    assert_eq!(lazy.2.len(), 2, "two versions: as first seen, then edited");
}

#[test]
fn a_draft_changed_before_first_open_is_read_as_it_is_now_and_dated_then() {
    let first_seen = chrono::Utc::now();
    let bench = Bench::new(true, first_seen);
    let budget = bench.draft("city/budget.txt");
    // Changed in place (same name, same file) before anyone opened it, and
    // opened before any catch-up noticed.
    std::fs::write(bench.folder.join("city/budget.txt"), BUDGET.replace("Monday", "Friday")).expect("edit");
    bench.clock.advance(3600);
    let (draft, version) = bench.desk.draft(budget).expect("open").expect("on the desk");
    let version = version.expect("read on opening");
    assert!(version.text.contains("Friday") && !version.text.contains("Monday"), "{}", version.text);
    assert_eq!(draft.title, "Council budget");
    let versions = history::versions(&lock(&bench.store), budget).expect("history");
    assert_eq!(versions.len(), 1, "the text first seen was never stored: one version");
    assert_eq!(
        versions[0].seen_at,
        factdesk_core::clock::to_rfc3339(factdesk_core::clock::Clock::now(bench.clock.as_ref())),
        "dated when read, not when the scan first saw other bytes"
    );
    // An unchanged draft opened as late is dated when first seen.
    let story = bench.draft("story.md");
    bench.desk.draft(story).expect("open");
    let versions = history::versions(&lock(&bench.store), story).expect("history");
    assert_eq!(versions[0].seen_at, factdesk_core::clock::to_rfc3339(first_seen));
    // Nothing more for the catch-up to do: the file is as read.
    let events = bench.scan(true);
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn a_draft_changed_before_first_open_and_caught_up_is_one_changed_version() {
    let bench = Bench::new(true, chrono::Utc::now());
    let budget = bench.draft("city/budget.txt");
    std::fs::write(bench.folder.join("city/budget.txt"), BUDGET.replace("Monday", "Friday, after a long debate"))
        .expect("edit");
    bench.clock.advance(60);
    let events = bench.scan(true);
    assert!(events.iter().any(|e| matches!(e, DeskEvent::Changed { draft, .. } if *draft == budget)), "{events:?}");
    let (_, version) = bench.desk.draft(budget).expect("open").expect("on the desk");
    assert!(version.expect("text").text.contains("long debate"));
    assert_eq!(lock(&bench.store).version_count(budget).expect("count"), 1);
    assert_eq!(lock(&bench.store).unread_hash(budget).expect("q"), None);
}

#[test]
fn a_draft_deleted_before_first_open_is_missing_and_nothing_fails() {
    let bench = Bench::new(true, chrono::Utc::now());
    let harbour = bench.draft("harbour.html");
    std::fs::remove_file(bench.folder.join("harbour.html")).expect("delete");
    // Opened before the catch-up: no text to show, no error.
    let (draft, version) = bench.desk.draft(harbour).expect("open").expect("still on the desk");
    assert_eq!(version, None);
    assert!(!draft.missing, "not yet noticed");
    // Reviewing it is refused clearly, nothing is half-written.
    let refused = bench.review().add_claim(harbour, &quote("port authority"), ClaimStatus::NeedsCorroboration);
    assert!(refused.is_err(), "{refused:?}");
    let events = bench.scan(true);
    assert_eq!(events, vec![DeskEvent::Missing { draft: harbour, path: "harbour.html".into() }]);
    assert!(bench.desk.read_all_texts().expect("read").iter().all(|id| *id != harbour));
    // Back again: restored, and read when needed.
    std::fs::write(bench.folder.join("harbour.html"), PAGE).expect("back");
    let events = bench.scan(true);
    assert_eq!(events, vec![DeskEvent::Restored { draft: harbour, path: "harbour.html".into() }]);
    let (_, version) = bench.desk.draft(harbour).expect("open").expect("on the desk");
    assert!(version.expect("text").text.contains("dredging"));
}

#[test]
fn a_never_read_draft_renamed_keeps_its_identity() {
    let bench = Bench::new(true, chrono::Utc::now());
    let story = bench.draft("story.md");
    let budget = bench.draft("city/budget.txt");
    std::fs::rename(bench.folder.join("story.md"), bench.folder.join("fire.md")).expect("rename");
    // A copy then a delete: another file, the same bytes.
    std::fs::write(bench.folder.join("city/budget-2.txt"), BUDGET).expect("copy");
    std::fs::remove_file(bench.folder.join("city/budget.txt")).expect("delete");
    let events = bench.scan(true);
    assert!(
        events.contains(&DeskEvent::Renamed { draft: story, path: "fire.md".into(), from: "story.md".into() }),
        "{events:?}"
    );
    assert!(
        events.contains(&DeskEvent::Renamed {
            draft: budget,
            path: "city/budget-2.txt".into(),
            from: "city/budget.txt".into()
        }),
        "{events:?}"
    );
    assert_eq!(bench.desk.drafts().expect("drafts").len(), 3, "no draft left behind");
}

#[test]
fn the_first_sight_hash_is_blake3_of_the_bytes_and_never_follows_a_link() {
    use factdesk_core::ingest::{file_hash, DraftFormat};
    let tmp = tempfile::tempdir().expect("tmp");
    let draft = tmp.path().join("story.md");
    std::fs::write(&draft, STORY).expect("write");
    assert_eq!(file_hash(&draft, DraftFormat::Markdown), Some(blake3::hash(STORY.as_bytes()).to_hex().to_string()));
    // Larger than the read buffer: hashed whole, streamed.
    let long = STORY.repeat(2_000);
    std::fs::write(&draft, &long).expect("write");
    assert_eq!(file_hash(&draft, DraftFormat::Markdown), Some(blake3::hash(long.as_bytes()).to_hex().to_string()));
    // Too large to be a draft: no hash (the file is read to say why).
    std::fs::write(&draft, vec![b'a'; 10 * 1024 * 1024 + 1]).expect("write");
    assert_eq!(file_hash(&draft, DraftFormat::Markdown), None);
    #[cfg(unix)]
    {
        let outside = tmp.path().join("outside.md");
        std::fs::write(&outside, "secret").expect("write");
        let link = tmp.path().join("link.md");
        std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        assert_eq!(file_hash(&link, DraftFormat::Markdown), None);
    }
}
