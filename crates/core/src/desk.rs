//! A desk: a folder of drafts that Factdesk keeps in step with the store.
//!
//! [`Desk::scan`] walks the folder (recursively, with the ignore rules of
//! [`crate::ingest::classify_name`]) and reconciles the store with what is
//! on disk now; [`Desk::watch`] then follows changes through
//! notify-debouncer-full. Identity is the point: a save through a temporary
//! file and a rename is a new version of the same draft; a rename or move
//! keeps the draft (and so its future reviews); a deleted draft is marked
//! missing and kept, and found again when its file, or the same content under
//! another name, comes back.
//!
//! ```no_run
//! use factdesk_core::{clock::SystemClock, desk::{Desk, WatchPreference}, store::Store};
//! use std::sync::Arc;
//!
//! let store = Store::open(&Store::default_path())?.shared();
//! let desk = Desk::open(store, std::path::Path::new("drafts"), Arc::new(SystemClock))?;
//! desk.scan(&mut |p| eprintln!("{}/{}", p.seen, p.total), &mut |_| {})?;
//! let _watch = desk.watch(WatchPreference::Native, |event| println!("{event:?}"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::clock::Clock;
use crate::ingest::{classify_name, read_draft, DraftFormat, FileState};
use crate::store::{
    lock, DeskId, DraftId, DraftRecord, DraftUpdate, FileFingerprint, SharedStore, StoreError, VersionRecord,
};
use notify::event::{ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, new_debouncer_opt, DebounceEventResult, NoCache};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long the watcher waits for a burst of file events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often the polling fallback looks at the folder.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Errors from a desk.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("the folder {path} does not exist (was it moved or deleted?)")]
    FolderMissing { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot read the folder {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("cannot watch {path} for changes: {message}")]
    Watch { path: PathBuf, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("re-anchoring claims: {0}")]
    Review(#[from] Box<crate::review::ReviewError>),
}

impl From<crate::review::ReviewError> for DeskError {
    fn from(error: crate::review::ReviewError) -> Self {
        Self::Review(Box::new(error))
    }
}

/// Scan progress: files read so far of all the would-be drafts found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScanProgress {
    pub seen: u32,
    pub total: u32,
}

/// What happened to a draft, as the watcher or a scan saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum DeskEvent {
    /// A new draft file.
    Added { draft: DraftId, path: String },
    /// A draft's file changed (a new version, or a new state).
    Changed { draft: DraftId, path: String },
    /// A draft was renamed or moved inside the desk; it keeps its identity.
    Renamed { draft: DraftId, path: String, from: String },
    /// A draft's file is gone; the draft and its review are kept.
    Missing { draft: DraftId, path: String },
    /// A missing draft's file is back.
    Restored { draft: DraftId, path: String },
    /// Something the user should know: a file that cannot be read, a
    /// watcher that fell back to polling, a desk folder that vanished.
    Problem { path: Option<String>, message: String },
}

/// One file found by a scan, as the `scan --json` contract prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScannedFile {
    pub path: String,
    pub title: String,
    pub format: Option<DraftFormat>,
    pub words: u32,
    pub state: FileState,
    pub reason: Option<String>,
}

/// Everything a scan found, ignored files included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanReport {
    pub files: Vec<ScannedFile>,
}

/// Which watcher to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchPreference {
    /// inotify (or the platform's equivalent), polling if that fails.
    Native,
    /// Polling only: for network drives, or to test the fallback.
    Polling,
}

impl WatchPreference {
    /// `FACTDESK_WATCH=poll` forces polling.
    pub fn from_env() -> Self {
        match std::env::var("FACTDESK_WATCH") {
            Ok(value) if value.eq_ignore_ascii_case("poll") => Self::Polling,
            _ => Self::Native,
        }
    }
}

/// How a desk is being watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    Native,
    Polling,
}

/// A running watch; dropping it stops watching.
pub struct DeskWatch {
    _debouncer: Box<dyn Send>,
    pub mode: WatchMode,
    /// Why the watch is polling, when it fell back to it.
    pub notice: Option<String>,
}

/// A watched folder of drafts, bound to the store.
#[derive(Clone)]
pub struct Desk {
    id: DeskId,
    root: PathBuf,
    store: SharedStore,
    clock: Arc<dyn Clock>,
}

impl Desk {
    /// Opens the folder at `path` as a desk, registering it in the store.
    pub fn open(store: SharedStore, path: &Path, clock: Arc<dyn Clock>) -> Result<Self, DeskError> {
        let root = check_folder(path)?;
        let id = lock(&store).open_desk(&root.to_string_lossy(), clock.now())?;
        Ok(Self { id, root, store, clock })
    }

    pub fn id(&self) -> DeskId {
        self.id
    }

    /// The desk's folder, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every draft of the desk, missing ones included, by path.
    pub fn drafts(&self) -> Result<Vec<DraftRecord>, DeskError> {
        Ok(lock(&self.store).drafts(self.id)?)
    }

    /// A draft of this desk and its current version.
    pub fn draft(&self, id: DraftId) -> Result<Option<(DraftRecord, Option<VersionRecord>)>, DeskError> {
        let store = lock(&self.store);
        let Some(draft) = store.draft(id)?.filter(|d| d.desk_id == self.id) else { return Ok(None) };
        let version = match draft.current_version {
            Some(version) => store.version(version)?,
            None => None,
        };
        Ok(Some((draft, version)))
    }

    /// The draft at `path` (relative to the desk).
    pub fn draft_by_path(&self, path: &str) -> Result<Option<DraftRecord>, DeskError> {
        Ok(lock(&self.store).draft_by_path(self.id, path)?)
    }

    /// Reconciles the store with the folder as it is now: new files added,
    /// changed files versioned, moved files followed, vanished files marked
    /// missing. Unchanged files (same size and modification time) are not re-read.
    pub fn scan(
        &self,
        progress: &mut dyn FnMut(ScanProgress),
        events: &mut dyn FnMut(DeskEvent),
    ) -> Result<ScanReport, DeskError> {
        check_folder(&self.root)?;
        let mut candidates = Vec::new();
        let mut files = Vec::new();
        collect_files(&self.root, &self.root, &mut candidates, &mut files)?;
        let total = u32::try_from(candidates.len()).unwrap_or(u32::MAX);
        progress(ScanProgress { seen: 0, total });

        let on_disk: BTreeSet<&str> = candidates.iter().map(|(rel, _)| rel.as_str()).collect();
        // Vanished drafts first, so a file that moved is recognised by its
        // content below instead of becoming a second draft.
        for draft in self.drafts()? {
            if !draft.missing && !on_disk.contains(draft.path.as_str()) {
                lock(&self.store).set_missing(draft.id, true, self.clock.now())?;
                events(DeskEvent::Missing { draft: draft.id, path: draft.path });
            }
        }
        let step = (total / 100).max(1);
        for (index, (rel, abs)) in candidates.iter().enumerate() {
            let (file, event) = self.apply_file(rel, abs)?;
            if let Some(event) = event {
                events(event);
            }
            files.push(file);
            let seen = u32::try_from(index + 1).unwrap_or(u32::MAX);
            if seen % step == 0 || seen == total {
                progress(ScanProgress { seen, total });
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(ScanReport { files })
    }

    /// Brings one would-be draft file up to date in the store.
    fn apply_file(&self, rel: &str, abs: &Path) -> Result<(ScannedFile, Option<DeskEvent>), DeskError> {
        let fingerprint = fingerprint(abs);
        let now = self.clock.now();
        let store = lock(&self.store);
        let existing = store.draft_by_path(self.id, rel)?;
        if let (Some(draft), Some(fp)) = (&existing, fingerprint) {
            let unchanged =
                !draft.missing && draft.file_size == Some(fp.size) && draft.file_modified_ns == Some(fp.modified_ns);
            if unchanged {
                return Ok((scanned_from_record(draft), None));
            }
        }
        if fingerprint.is_none() && std::fs::symlink_metadata(abs).is_err() {
            // Gone between listing and reading: missing, not "unreadable".
            let event = match &existing {
                Some(draft) if !draft.missing => {
                    store.set_missing(draft.id, true, now)?;
                    Some(DeskEvent::Missing { draft: draft.id, path: draft.path.clone() })
                }
                _ => None,
            };
            let scanned = existing.as_ref().map(scanned_from_record).unwrap_or_else(|| ScannedFile {
                path: rel.to_owned(),
                title: file_name(rel),
                format: None,
                words: 0,
                state: FileState::Skipped,
                reason: Some("the file vanished while it was being read".into()),
            });
            return Ok((scanned, event));
        }
        let file = read_draft(abs);
        let title = file.content.as_ref().map(|c| c.title.clone()).unwrap_or_else(|| file_name(rel));
        let scanned = ScannedFile {
            path: rel.to_owned(),
            title: title.clone(),
            format: file.format,
            words: file.content.as_ref().map_or(0, |c| c.words),
            state: file.state,
            reason: file.reason.clone(),
        };
        if file.state == FileState::Ignored {
            return Ok((scanned, None));
        }
        let update = DraftUpdate {
            title: &title,
            format: file.format,
            state: file.state,
            reason: file.reason.as_deref(),
            content: file.content.as_ref(),
            fingerprint,
        };
        // A missing draft at this path whose text this is not, while another
        // missing draft's text it is exactly: that other draft was renamed
        // onto this path (budget-v2.md → budget.md). Its review follows it;
        // the old draft stays missing, out of the way.
        let existing = match (existing, &file.content) {
            (Some(draft), Some(content))
                if draft.missing && draft.content_hash.as_deref() != Some(content.content_hash.as_str()) =>
            {
                match store.missing_draft_with_hash(self.id, &content.content_hash)? {
                    Some(renamed) if renamed.id != draft.id => {
                        store.move_draft(draft.id, &tombstone_path(&draft), now)?;
                        None
                    }
                    _ => Some(draft),
                }
            }
            (existing, _) => existing,
        };
        let event = match existing {
            Some(draft) => {
                let new_version = store.update_draft(draft.id, &update, now)?;
                if new_version {
                    // Every new version re-anchors the draft's claims, so a
                    // review never points at text that moved.
                    re_anchor_quietly(&store, draft.id, draft.current_version, now);
                }
                if draft.missing {
                    Some(DeskEvent::Restored { draft: draft.id, path: rel.to_owned() })
                } else if new_version || draft.state != file.state || draft.reason != file.reason {
                    Some(DeskEvent::Changed { draft: draft.id, path: rel.to_owned() })
                } else {
                    None
                }
            }
            None => {
                let moved = match &file.content {
                    Some(content) => store.missing_draft_with_hash(self.id, &content.content_hash)?,
                    None => None,
                };
                match moved {
                    Some(draft) => {
                        store.move_draft(draft.id, rel, now)?;
                        if store.update_draft(draft.id, &update, now)? {
                            re_anchor_quietly(&store, draft.id, draft.current_version, now);
                        }
                        Some(DeskEvent::Renamed { draft: draft.id, path: rel.to_owned(), from: draft.path })
                    }
                    None => {
                        let id = store.insert_draft(self.id, rel, &update, now)?;
                        Some(DeskEvent::Added { draft: id, path: rel.to_owned() })
                    }
                }
            }
        };
        Ok((scanned, event))
    }

    /// Applies one settled batch of file-system changes: `paths` that were
    /// touched and `renames` (from, to) the watcher could pair up. Decisions
    /// rest on what is on disk now, not on the event kinds, which differ
    /// between editors and platforms.
    pub fn apply_changes(
        &self,
        paths: &[PathBuf],
        renames: &[(PathBuf, PathBuf)],
    ) -> Result<Vec<DeskEvent>, DeskError> {
        let mut events = Vec::new();
        if !self.root.is_dir() {
            let now = self.clock.now();
            let mut any = false;
            for draft in self.drafts()?.into_iter().filter(|d| !d.missing) {
                lock(&self.store).set_missing(draft.id, true, now)?;
                events.push(DeskEvent::Missing { draft: draft.id, path: draft.path });
                any = true;
            }
            if any || !paths.is_empty() {
                events.push(DeskEvent::Problem {
                    path: None,
                    message: format!(
                        "The desk folder {} was deleted or moved. Its drafts and reviews are kept and will be found again if the folder comes back.",
                        self.root.display()
                    ),
                });
            }
            return Ok(events);
        }
        for (from, to) in renames {
            let (Some(rel_from), Some(rel_to)) = (self.relative(from), self.relative(to)) else { continue };
            if from.exists() || !to.exists() {
                continue;
            }
            events.extend(self.follow_rename(&rel_from, &rel_to, to.is_dir())?);
        }
        let mut touched: BTreeSet<&PathBuf> = paths.iter().collect();
        touched.extend(renames.iter().flat_map(|(from, to)| [from, to]));
        let now = self.clock.now();
        // Symbolic links are never followed, as in a scan: nothing outside
        // the desk is read, and a link is neither a draft nor a folder of them.
        let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        let touched: BTreeSet<&PathBuf> = touched.into_iter().filter(|p| !is_link(p)).collect();
        for path in touched.iter().filter(|p| !p.exists()) {
            let Some(rel) = self.relative(path) else { continue };
            let store = lock(&self.store);
            let prefix = format!("{rel}/");
            for draft in store.drafts(self.id)? {
                if !draft.missing && (draft.path == rel || draft.path.starts_with(&prefix)) {
                    store.set_missing(draft.id, true, now)?;
                    events.push(DeskEvent::Missing { draft: draft.id, path: draft.path });
                }
            }
        }
        for path in touched.iter().filter(|p| p.exists()) {
            let Some(rel) = self.relative(path) else { continue };
            if path.is_dir() {
                let mut candidates = Vec::new();
                let mut ignored = Vec::new();
                if collect_files(&self.root, path, &mut candidates, &mut ignored).is_ok() {
                    for (rel, abs) in candidates {
                        events.extend(self.apply_file(&rel, &abs)?.1);
                    }
                }
            } else if classify_name(&file_name(&rel)).is_ok() {
                let (scanned, event) = self.apply_file(&rel, path)?;
                let is_new_problem = scanned.state == FileState::Skipped && event.is_some();
                events.extend(event);
                if is_new_problem {
                    events.push(DeskEvent::Problem {
                        path: Some(rel),
                        message: scanned.reason.unwrap_or_else(|| "cannot be read".into()),
                    });
                }
            }
        }
        Ok(events)
    }

    /// Moves the draft (or every draft under a folder) from `rel_from` to `rel_to`.
    fn follow_rename(&self, rel_from: &str, rel_to: &str, is_dir: bool) -> Result<Vec<DeskEvent>, DeskError> {
        let store = lock(&self.store);
        let now = self.clock.now();
        let mut events = Vec::new();
        if is_dir {
            let prefix = format!("{rel_from}/");
            for draft in store.drafts(self.id)? {
                if let Some(rest) = draft.path.strip_prefix(&prefix) {
                    let new_path = format!("{rel_to}/{rest}");
                    if store.draft_by_path(self.id, &new_path)?.is_none() {
                        store.move_draft(draft.id, &new_path, now)?;
                        events.push(DeskEvent::Renamed { draft: draft.id, path: new_path, from: draft.path });
                    }
                }
            }
        } else if let Some(draft) = store.draft_by_path(self.id, rel_from)? {
            let target_is_draft = classify_name(&file_name(rel_to)).is_ok() && !in_hidden_folder(rel_to);
            let target = store.draft_by_path(self.id, rel_to)?;
            if let Some(gone) = target.as_ref().filter(|t| t.missing) {
                // A deleted draft's old name is taken by another draft: the
                // deleted one steps aside rather than claim the newcomer's text.
                store.move_draft(gone.id, &tombstone_path(gone), now)?;
            }
            if target_is_draft && target.is_none_or(|t| t.missing) {
                store.move_draft(draft.id, rel_to, now)?;
                events.push(DeskEvent::Renamed { draft: draft.id, path: rel_to.to_owned(), from: draft.path });
            }
        }
        Ok(events)
    }

    /// The path relative to the desk, `/`-separated; `None` outside the desk
    /// or inside a hidden folder.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.is_empty() {
            return None;
        }
        let rel = parts.join("/");
        (!in_hidden_folder(&rel)).then_some(rel)
    }

    /// Watches the desk and sends what changed to `sink`, from a background
    /// thread, until the returned [`DeskWatch`] is dropped. When the system's
    /// watch limits are reached, falls back to polling and says why.
    pub fn watch(
        &self,
        preference: WatchPreference,
        sink: impl Fn(DeskEvent) + Send + Sync + 'static,
    ) -> Result<DeskWatch, DeskError> {
        let sink = Arc::new(sink);
        if preference == WatchPreference::Native {
            match self.watch_with(sink.clone(), false) {
                Ok(debouncer) => return Ok(DeskWatch { _debouncer: debouncer, mode: WatchMode::Native, notice: None }),
                Err(error) => {
                    let Some(notice) = watch_limit_message(&error) else {
                        return Err(DeskError::Watch { path: self.root.clone(), message: error.to_string() });
                    };
                    sink(DeskEvent::Problem { path: None, message: notice.clone() });
                    let debouncer = self
                        .watch_with(sink, true)
                        .map_err(|e| DeskError::Watch { path: self.root.clone(), message: e.to_string() })?;
                    return Ok(DeskWatch { _debouncer: debouncer, mode: WatchMode::Polling, notice: Some(notice) });
                }
            }
        }
        let debouncer = self
            .watch_with(sink, true)
            .map_err(|e| DeskError::Watch { path: self.root.clone(), message: e.to_string() })?;
        Ok(DeskWatch { _debouncer: debouncer, mode: WatchMode::Polling, notice: None })
    }

    fn watch_with(
        &self,
        sink: Arc<dyn Fn(DeskEvent) + Send + Sync>,
        polling: bool,
    ) -> Result<Box<dyn Send>, notify::Error> {
        let desk = self.clone();
        let handler = move |result: DebounceEventResult| match result {
            Ok(batch) => {
                // The OS dropped events (its queue overflowed, e.g. during a
                // large checkout): only a full reconciliation is trustworthy.
                if batch.iter().any(|event| event.need_rescan()) {
                    if let Err(error) = desk.scan(&mut |_| {}, &mut |e| sink(e)) {
                        sink(DeskEvent::Problem { path: None, message: error.to_string() });
                    }
                    return;
                }
                let mut paths = Vec::new();
                let mut renames = Vec::new();
                for event in batch {
                    if let (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), [from, to]) =
                        (event.kind, event.paths.as_slice())
                    {
                        renames.push((from.clone(), to.clone()));
                    } else if !matches!(event.kind, EventKind::Access(_)) {
                        paths.extend(event.paths.iter().cloned());
                    }
                }
                match desk.apply_changes(&paths, &renames) {
                    Ok(events) => events.into_iter().for_each(|e| sink(e)),
                    Err(error) => sink(DeskEvent::Problem { path: None, message: error.to_string() }),
                }
            }
            Err(errors) => {
                for error in errors {
                    let message =
                        watch_limit_message(&error).unwrap_or_else(|| format!("watching the folder: {error}"));
                    sink(DeskEvent::Problem { path: None, message });
                }
            }
        };
        if polling {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            let mut debouncer =
                new_debouncer_opt::<_, notify::PollWatcher, NoCache>(DEBOUNCE, None, handler, NoCache, config)?;
            debouncer.watch(&self.root, RecursiveMode::Recursive)?;
            Ok(Box::new(debouncer))
        } else {
            let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
            debouncer.watch(&self.root, RecursiveMode::Recursive)?;
            Ok(Box::new(debouncer))
        }
    }
}

/// Turns the OS's watch-limit errors into a message a user can act on;
/// `None` for other errors.
pub fn watch_limit_message(error: &notify::Error) -> Option<String> {
    const ENOSPC: i32 = 28;
    const EMFILE: i32 = 24;
    let os_code = match &error.kind {
        notify::ErrorKind::MaxFilesWatch => Some(ENOSPC),
        notify::ErrorKind::Io(io) => io.raw_os_error(),
        _ => None,
    };
    match os_code {
        Some(ENOSPC) => Some(
            "The system's limit on watched folders is reached (inotify max_user_watches), so Factdesk now checks \
             this desk for changes every second instead. For instant updates raise the limit, e.g. \
             `sudo sysctl fs.inotify.max_user_watches=524288`."
                .to_owned(),
        ),
        Some(EMFILE) => Some(
            "Too many file watchers are open (inotify max_user_instances or the open-file limit), so Factdesk now \
             checks this desk for changes every second instead. Close other programs that watch files, or raise \
             the limit, e.g. `sudo sysctl fs.inotify.max_user_instances=512`."
                .to_owned(),
        ),
        _ => None,
    }
}

/// Re-anchors a draft's claims after a new version. A failure here must not
/// stop the desk from following the folder: the claims keep their last
/// placement and are placed again on the next version or listing.
fn re_anchor_quietly(
    store: &crate::store::Store,
    draft: DraftId,
    previous: Option<crate::store::VersionId>,
    now: chrono::DateTime<chrono::Utc>,
) {
    if let Err(error) = crate::review::reanchor_draft(store, draft, previous, now) {
        eprintln!("factdesk: re-anchoring the claims of draft {draft}: {error}");
    }
}

fn check_folder(path: &Path) -> Result<PathBuf, DeskError> {
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => DeskError::FolderMissing { path: path.to_owned() },
        _ => DeskError::Unreadable { path: path.to_owned(), source },
    })?;
    if !meta.is_dir() {
        return Err(DeskError::NotAFolder { path: path.to_owned() });
    }
    std::fs::read_dir(path).map_err(|source| DeskError::Unreadable { path: path.to_owned(), source })?;
    path.canonicalize().map_err(|source| DeskError::Unreadable { path: path.to_owned(), source })
}

/// Walks `dir` (inside `root`) for files: would-be drafts go to
/// `candidates`, ignored files straight into `ignored` with their reason.
/// Hidden folders are skipped, symbolic links are not followed (no loops,
/// nothing outside the desk).
fn collect_files(
    root: &Path,
    dir: &Path,
    candidates: &mut Vec<(String, PathBuf)>,
    ignored: &mut Vec<ScannedFile>,
) -> Result<(), DeskError> {
    let entries = std::fs::read_dir(dir).map_err(|source| DeskError::Unreadable { path: dir.to_owned(), source })?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(file_type) = entry.file_type() else { continue };
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
        if file_type.is_dir() {
            if !name.starts_with('.') {
                // An unreadable sub-folder must not stop the scan of the rest.
                let _ = collect_files(root, &path, candidates, ignored);
            }
        } else if file_type.is_file() {
            match classify_name(&name) {
                Ok(_) => candidates.push((rel, path)),
                Err(reason) => ignored.push(ScannedFile {
                    path: rel,
                    title: name,
                    format: None,
                    words: 0,
                    state: FileState::Ignored,
                    reason: Some(reason),
                }),
            }
        }
    }
    Ok(())
}

/// Where a missing draft goes when another draft takes its path: a hidden
/// folder, which scans never enter, named so the user can still tell it.
fn tombstone_path(draft: &DraftRecord) -> String {
    format!(".factdesk-missing/{}/{}", draft.id, draft.path)
}

fn in_hidden_folder(rel: &str) -> bool {
    rel.split('/').rev().skip(1).any(|part| part.starts_with('.'))
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_owned()
}

fn fingerprint(path: &Path) -> Option<FileFingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(FileFingerprint { size: meta.len(), modified_ns: i64::try_from(modified.as_nanos()).unwrap_or(i64::MAX) })
}

fn scanned_from_record(draft: &DraftRecord) -> ScannedFile {
    ScannedFile {
        path: draft.path.clone(),
        title: draft.title.clone(),
        format: draft.format,
        words: draft.words,
        state: draft.state,
        reason: draft.reason.clone(),
    }
}

/// A draft as the drafts list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftSummary {
    pub id: DraftId,
    pub path: String,
    pub title: String,
    pub format: Option<DraftFormat>,
    pub words: u32,
    pub state: FileState,
    pub reason: Option<String>,
    pub missing: bool,
}

impl From<&DraftRecord> for DraftSummary {
    fn from(draft: &DraftRecord) -> Self {
        Self {
            id: draft.id,
            path: draft.path.clone(),
            title: draft.title.clone(),
            format: draft.format,
            words: draft.words,
            state: draft.state,
            reason: draft.reason.clone(),
            missing: draft.missing,
        }
    }
}

/// One block of a draft with its text, ready to render as text nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BlockView {
    pub kind: crate::ingest::BlockKind,
    pub level: u8,
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// A draft with its current text, for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftDocument {
    pub draft: DraftSummary,
    pub version: Option<crate::store::VersionId>,
    /// How many distinct versions of the draft Factdesk has seen.
    pub versions: u32,
    pub blocks: Vec<BlockView>,
}

impl Desk {
    /// Every draft of the desk for the drafts list.
    pub fn summaries(&self) -> Result<Vec<DraftSummary>, DeskError> {
        Ok(self.drafts()?.iter().map(DraftSummary::from).collect())
    }

    /// A draft and its current text split into blocks; `None` if the draft
    /// is not on this desk.
    pub fn document(&self, id: DraftId) -> Result<Option<DraftDocument>, DeskError> {
        let Some((draft, version)) = self.draft(id)? else { return Ok(None) };
        let versions = lock(&self.store).version_count(id)?;
        let blocks = version.as_ref().map(block_views).unwrap_or_default();
        Ok(Some(DraftDocument { draft: DraftSummary::from(&draft), version: version.map(|v| v.id), versions, blocks }))
    }
}

fn block_views(version: &VersionRecord) -> Vec<BlockView> {
    // Block offsets count code points; map them to byte offsets once.
    let text = &version.text;
    let byte_offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let byte = |code_point: u32| byte_offsets.get(code_point as usize).copied().unwrap_or(text.len());
    version
        .blocks
        .iter()
        .map(|block| BlockView {
            kind: block.kind,
            level: block.level,
            start: block.start,
            end: block.end,
            text: text.get(byte(block.start)..byte(block.end)).unwrap_or_default().to_owned(),
        })
        .collect()
}
