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
use crate::ingest::{classify_name, hash_opened, read_opened, DraftFile, DraftFormat, FileState};
use crate::store::{
    lock, DeskId, DraftId, DraftPath, DraftRecord, DraftState, DraftUpdate, FileFingerprint, FileIdentity, SharedStore,
    Store, StoreError, UnreadFile, VersionRecord,
};
use notify::event::{ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, new_debouncer_opt, DebounceEventResult, NoCache};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod carry;
mod place;
pub use carry::{CarryHint, CarryTarget, ReviewCarry};
pub use place::OutsideDesk;

/// How long the watcher waits for a burst of file events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often a folder on a network file system is looked at: each look
/// lists the folder over the network, so less often than a local one.
pub const NETWORK_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// What the window says about a desk folder on a network file system.
pub const NETWORK_FOLDER_NOTICE: &str = "polled (network folder)";

/// Whether `folder` is on a file system whose changes inotify does not see
/// when another machine makes them: NFS, SMB/CIFS, FUSE mounts (sshfs, rclone,
/// sync clients), 9p, AFS, Ceph. Found by the file system's magic number
/// (`statfs`'s `f_type`); `false` when that cannot be told.
pub fn is_network_folder(folder: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        // f_type is an i64 here, an i32 or a u32 on other architectures.
        #[allow(clippy::useless_conversion)]
        rustix::fs::statfs(folder).is_ok_and(|fs| is_network_file_system(i64::from(fs.f_type)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = folder;
        false
    }
}

/// Whether a `statfs` `f_type` is a network (or userspace) file system's.
pub fn is_network_file_system(magic: i64) -> bool {
    const NFS: i64 = 0x6969;
    const SMB: i64 = 0x517B;
    const CIFS: i64 = 0xFF53_4D42;
    const SMB2: i64 = 0xFE53_4D42;
    const FUSE: i64 = 0x6573_5546;
    const NINE_P: i64 = 0x0102_1997;
    const AFS: i64 = 0x5346_414F;
    const CEPH: i64 = 0x00C3_6400;
    // f_type is a signed word on some architectures: CIFS's magic may come back negative.
    let magic = magic & 0xFFFF_FFFF;
    [NFS, SMB, CIFS, SMB2, FUSE, NINE_P, AFS, CEPH].contains(&magic)
}

/// How often the polling fallback looks at the folder.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Files read and applied per write transaction: large enough that a first
/// scan is not a commit per file, small enough that another process waiting
/// for the write lock (a command tagging a claim) waits well under a second.
const APPLY_CHUNK: usize = 256;
/// How much of a draft's text a file with the same identity must share with
/// it to be that draft (renamed, then saved): an inode number is reused once
/// its file is deleted, so the number alone is not enough.
const SAME_FILE_SIMILARITY: f64 = 0.5;
/// How much of a vanished draft's text a new file must share with it to be
/// that draft, edited, when nothing else ties them (another file identity).
const EDITED_SIMILARITY: f64 = 0.8;
/// How far ahead of the next candidate the best one must be: between two
/// lookalikes (copies of one text) Factdesk does not guess.
const SIMILARITY_MARGIN: f64 = 0.1;

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
    #[error(transparent)]
    Rights(#[from] crate::rights::RightsError),
    /// `draft move` asked for something it does not do; the message says what and why.
    #[error("{0}")]
    CannotCarry(String),
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
    /// So many drafts changed at once (a folder of them deleted, a large
    /// checkout) that they are told as one: reload the list once.
    Many { count: u32 },
    /// Another process (the command line) changed the review: a claim, its
    /// status or sourcing, a note, the editor's note or a draft's status.
    /// Which drafts it touched is not told (a source can touch many): the
    /// window reloads the open draft's review and the list's counts.
    Reviewed,
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
///
/// Beside the file watcher, a monitor thread looks twice a second for two
/// things file events cannot tell: versions another process (the command
/// line) recorded first, which the watcher then finds already stored, and
/// the desk folder coming back after it was deleted, which needs a new
/// watcher on the new folder. On a team store it asks the server only when
/// its listener ([`crate::store::postgres::StoreListener`]) says another
/// process committed, which wakes it at once (or twice a second while the
/// listener is connecting again).
pub struct DeskWatch {
    debouncer: Arc<Mutex<Option<Box<dyn Send>>>>,
    stop: Arc<AtomicBool>,
    monitor: Option<std::thread::JoinHandle<()>>,
    pub mode: WatchMode,
    /// Why the watch is polling, when it fell back to it.
    pub notice: Option<String>,
}

impl Drop for DeskWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(monitor) = self.monitor.take() {
            monitor.thread().unpark();
            // A monitor that panicked has nothing left to stop.
            let _ = monitor.join();
        }
        *guard(&self.debouncer) = None;
    }
}

/// What the watch last told about each draft, and the database's change
/// counters then: a change made by another process shows as a difference.
struct Told {
    data_version: i64,
    own_changes: u64,
    /// The audit trail's newest entry (on a team store, the newest this login reads): every review change adds one.
    newest_audit: Option<i64>,
    drafts: HashMap<DraftId, DraftState>,
}

impl Told {
    fn now(store: &Store, desk: DeskId) -> Result<Self, StoreError> {
        Ok(Self {
            data_version: store.data_version()?,
            own_changes: store.own_changes(),
            newest_audit: store.newest_audit_seq()?,
            drafts: store.draft_states(desk)?.into_iter().map(|d| (d.id, d)).collect(),
        })
    }

    /// Events for every difference between what was told and `now`.
    fn differences(&self, now: &Self) -> Vec<DeskEvent> {
        let mut events = Vec::new();
        for draft in now.drafts.values() {
            let (id, path) = (draft.id, draft.path.clone());
            let Some(before) = self.drafts.get(&id) else {
                events.push(DeskEvent::Added { draft: id, path });
                continue;
            };
            if before.path != draft.path {
                events.push(DeskEvent::Renamed { draft: id, path: path.clone(), from: before.path.clone() });
            }
            match (before.missing, draft.missing) {
                (false, true) => events.push(DeskEvent::Missing { draft: id, path }),
                (true, false) => events.push(DeskEvent::Restored { draft: id, path }),
                _ if before.version != draft.version => events.push(DeskEvent::Changed { draft: id, path }),
                _ => {}
            }
        }
        events
    }
}

/// A folder's device, inode and birth time (where the file system keeps
/// one), when it is a folder. The birth time matters: ext4 gives a folder
/// made just after another was deleted the same inode number.
fn folder_identity(path: &Path) -> Option<(u64, u64, Option<std::time::SystemTime>)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino(), m.created().ok()))
}

/// How often the watch's monitor looks for other processes' changes and
/// for a deleted desk folder coming back.
pub const MONITOR_INTERVAL: Duration = Duration::from_millis(500);
/// More draft events than this from one batch are told as one [`DeskEvent::Many`].
pub const MANY_EVENTS: usize = 64;

/// Sends a batch's events to `sink`: one by one, or as one `many` event
/// when there are too many for a window to reload its list for each.
fn emit_all(sink: &(dyn Fn(DeskEvent) + Send + Sync), events: Vec<DeskEvent>) {
    let (problems, drafts): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| matches!(e, DeskEvent::Problem { .. }));
    if drafts.len() > MANY_EVENTS {
        sink(DeskEvent::Many { count: u32::try_from(drafts.len()).unwrap_or(u32::MAX) });
    } else {
        drafts.into_iter().for_each(sink);
    }
    problems.into_iter().take(MANY_EVENTS).for_each(sink);
}

fn guard<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

    /// A draft of this desk and its current version, for whom may see its
    /// claims (its text is read with them: a reporter reads their own
    /// drafts). Who reads is the reviewer set in Factdesk (on a team store,
    /// the login, whom the server holds to the same rule).
    pub fn draft(&self, id: DraftId) -> Result<Option<(DraftRecord, Option<VersionRecord>)>, DeskError> {
        let draft = {
            let store = lock(&self.store);
            let Some(draft) = store.draft(id)?.filter(|d| d.desk_id == self.id) else { return Ok(None) };
            let reviewer = || crate::review::Review::reviewer_name(&store);
            crate::rights::check_as_reviewer(
                &store,
                self.id,
                reviewer,
                crate::rights::Action::ReadClaims,
                Some(&draft.path),
            )?;
            draft
        };
        // A draft a lazy scan left unread is read now, which changes its record (its title, its current version).
        let text_read_now = !self.read_text(&[id])?.is_empty();
        let store = lock(&self.store);
        let draft = if text_read_now {
            let Some(draft) = store.draft(id)?.filter(|d| d.desk_id == self.id) else { return Ok(None) };
            draft
        } else {
            draft
        };
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

    /// Whether this login records anything of this desk's folder: on a team store, a login that is not one of
    /// the desk's people (an editor of another desk who opened this folder) may write none of its drafts or
    /// versions (migrations/postgres/0033), so its scans, its watcher and its text reads leave the folder to the
    /// desk's own people instead of failing on the server's refusal.
    fn login_writes_here(&self) -> Result<bool, DeskError> {
        Ok(lock(&self.store).login_writes_drafts_of(self.id)?)
    }

    /// Reconciles the store with the folder as it is now: new files added,
    /// changed files versioned, moved files followed, vanished files marked
    /// missing. Unchanged files (same size, modification time and file
    /// identity) are not re-read, so catching up with an unchanged desk
    /// costs a listing and one `stat` per file.
    ///
    /// Files are read outside any lock, on every core, then applied in
    /// batches, each in one write transaction that re-reads the rows it
    /// decides on: another process scanning the same desk at the same time
    /// waits for it instead of inserting the same draft a second time.
    pub fn scan(
        &self,
        progress: &mut dyn FnMut(ScanProgress),
        events: &mut dyn FnMut(DeskEvent),
    ) -> Result<ScanReport, DeskError> {
        let mut report = self.scan_with(false, progress, events)?;
        // Drafts an earlier lazy scan left unread are read now: this scan's
        // report gives every draft's title and word count.
        let read = self.read_all_texts()?;
        if !read.is_empty() {
            let at: HashMap<String, usize> =
                report.files.iter().enumerate().map(|(index, file)| (file.path.clone(), index)).collect();
            let store = lock(&self.store);
            for id in read {
                let Some(draft) = store.draft(id)? else { continue };
                if let Some(&index) = at.get(&draft.path) {
                    report.files[index] = scanned_from_record(&draft);
                }
            }
        }
        Ok(report)
    }

    /// [`Desk::scan`], but a file first seen (at a path no draft has) is
    /// recorded without its text: its path, identity, size, modification
    /// time and the BLAKE3 hash of its bytes. Its text is read and stored
    /// when it is first needed, through [`Desk::read_text`]. Such a draft
    /// is listed with its file name as title and 0 words until then.
    ///
    /// Only while the desk has no missing draft: a new file may then be one
    /// of them, moved, and only its text can tell (see [`Desk::scan`]).
    /// Known drafts whose files changed are read as by [`Desk::scan`].
    pub fn scan_lazily(
        &self,
        progress: &mut dyn FnMut(ScanProgress),
        events: &mut dyn FnMut(DeskEvent),
    ) -> Result<ScanReport, DeskError> {
        self.scan_with(true, progress, events)
    }

    fn scan_with(
        &self,
        lazy: bool,
        progress: &mut dyn FnMut(ScanProgress),
        events: &mut dyn FnMut(DeskEvent),
    ) -> Result<ScanReport, DeskError> {
        check_folder(&self.root)?;
        if !self.login_writes_here()? {
            return Ok(ScanReport { files: Vec::new() });
        }
        let mut candidates = Vec::new();
        let mut files = Vec::new();
        collect_files(&self.root, &self.root, &mut candidates, &mut files)?;
        let total = u32::try_from(candidates.len()).unwrap_or(u32::MAX);
        progress(ScanProgress { seen: 0, total });

        let known = self.known_drafts()?;
        let on_disk: HashSet<&str> = candidates.iter().map(|c| c.rel.display.as_str()).collect();
        // Vanished drafts first, so a file that moved is recognised below (by
        // its identity or its text) instead of becoming a second draft.
        let vanished: Vec<&DraftRecord> =
            known.values().filter(|d| !d.missing && !on_disk.contains(d.path.as_str())).collect();
        // A new file can be a missing draft moved only if there is one.
        let lazy = lazy && vanished.is_empty() && known.values().all(|d| !d.missing);
        let mut batch = Batch::default();
        self.mark_vanished(vanished, &mut batch)?;
        let step = (total / 100).max(1);
        let mut seen = 0u32;
        self.reconcile(&candidates, &known, lazy, &mut batch, &mut |file, event| {
            if let Some(event) = event {
                events(event);
            }
            files.push(file);
            seen = seen.saturating_add(1);
            if seen.is_multiple_of(step) || seen == total {
                progress(ScanProgress { seen, total });
            }
        })?;
        batch.missing_events().into_iter().for_each(&mut *events);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(ScanReport { files })
    }

    /// Every draft of the desk by path, as last stored (without the hash of
    /// its text, which decisions re-read inside their transaction).
    fn known_drafts(&self) -> Result<HashMap<String, DraftRecord>, DeskError> {
        let drafts = lock(&self.store).drafts_without_hash(self.id)?;
        Ok(drafts.into_iter().map(|d| (d.path.clone(), d)).collect())
    }

    /// Marks drafts whose files are gone missing, in one write transaction,
    /// and remembers them: a file that appears in the same batch may be one
    /// of them, moved.
    fn mark_vanished<'d>(
        &self,
        drafts: impl IntoIterator<Item = &'d DraftRecord>,
        batch: &mut Batch,
    ) -> Result<(), DeskError> {
        let drafts: Vec<&DraftRecord> = drafts.into_iter().collect();
        if drafts.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        let store = lock(&self.store);
        crate::audit::write_transaction(&store, |store| {
            for draft in &drafts {
                store.set_missing(draft.id, true, now)?;
            }
            Ok::<_, DeskError>(())
        })?;
        batch.vanished.extend(drafts.iter().map(|d| (d.id, d.path.clone())));
        Ok(())
    }

    /// Brings `candidates` up to date in the store: files whose size,
    /// modification time and identity match `known` are taken as they are;
    /// the others are read (in parallel, without the store) and applied a
    /// chunk at a time, each chunk in one write transaction.
    ///
    /// Reading and writing overlap: a reader thread reads and parses the
    /// next chunk while this thread writes the one before, so on a first
    /// scan the cores parse while SQLite writes instead of taking turns.
    /// The reader stays at most one chunk ahead (a bounded channel), so the
    /// memory held is two chunks' text whatever the size of the desk.
    fn reconcile(
        &self,
        candidates: &[Candidate],
        known: &HashMap<String, DraftRecord>,
        lazy: bool,
        batch: &mut Batch,
        each: &mut dyn FnMut(ScannedFile, Option<DeskEvent>),
    ) -> Result<(), DeskError> {
        // Each chunk in order: the files taken as they are, then what was read.
        type Step = (Vec<ScannedFile>, Vec<Observed>);
        let plan = |chunk: &[Candidate]| -> Step {
            let mut unchanged = Vec::new();
            let mut to_read = Vec::new();
            for candidate in chunk {
                let fingerprint = candidate.fingerprint;
                match (known.get(&candidate.rel.display), fingerprint) {
                    (Some(draft), Some(fp)) if is_unchanged(draft, fp) => unchanged.push(scanned_from_record(draft)),
                    (None, _) => to_read.push((candidate, fingerprint, lazy)),
                    _ => to_read.push((candidate, fingerprint, false)),
                }
            }
            let observed = if to_read.is_empty() { Vec::new() } else { observe_all(&self.root, &to_read) };
            (unchanged, observed)
        };
        let mut apply = |(unchanged, observed): Step| -> Result<(), DeskError> {
            // Unchanged files come first within their chunk, as they always
            // have: only the order of progress reports depends on it.
            for file in unchanged {
                each(file, None);
            }
            if observed.is_empty() {
                return Ok(());
            }
            let results = {
                let store = lock(&self.store);
                crate::audit::write_transaction(&store, |store| {
                    observed.iter().map(|o| self.apply_observed(store, o, batch)).collect::<Result<Vec<_>, DeskError>>()
                })?
            };
            for (file, event) in results {
                each(file, event);
            }
            Ok(())
        };
        let needs_reading =
            candidates.iter().any(|candidate| match (known.get(&candidate.rel.display), candidate.fingerprint) {
                (Some(draft), Some(fp)) => !is_unchanged(draft, fp),
                _ => true,
            });
        if !needs_reading || candidates.len() <= APPLY_CHUNK {
            // A catch-up with nothing (or little) to read: no thread to start.
            for chunk in candidates.chunks(APPLY_CHUNK) {
                apply(plan(chunk))?;
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Step>(1);
            let reader = scope.spawn(move || {
                for chunk in candidates.chunks(APPLY_CHUNK) {
                    // The writer stopped (an error): nothing more to read.
                    if sender.send(plan(chunk)).is_err() {
                        break;
                    }
                }
            });
            let result = receiver.iter().try_for_each(&mut apply);
            // Dropping the receiver tells a reader still at work to stop.
            drop(receiver);
            if let Err(panic) = reader.join() {
                std::panic::resume_unwind(panic);
            }
            result
        })
    }

    /// Brings one would-be draft file, already read, up to date in the
    /// store. Runs inside a write transaction: what it reads here is what
    /// it decides on, and nobody else writes in between.
    fn apply_observed(
        &self,
        store: &Store,
        observed: &Observed,
        batch: &mut Batch,
    ) -> Result<(ScannedFile, Option<DeskEvent>), DeskError> {
        let rel = observed.rel.display.as_str();
        let fingerprint = observed.fingerprint;
        let now = self.clock.now();
        let existing = store.draft_by_path(self.id, rel)?;
        if let (Some(draft), Some(fp)) = (&existing, fingerprint) {
            if is_unchanged(draft, fp) {
                // Another process recorded this very file a moment ago.
                return Ok((scanned_from_record(draft), None));
            }
        }
        if observed.vanished {
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
        if let Some(hash) = &observed.unread {
            if existing.is_none() {
                let title = file_name(rel);
                let file = UnreadFile { title: &title, format: observed.file.format, fingerprint, hash };
                if let Some(id) = store.insert_unread_draft(self.id, &observed.rel.as_draft_path(), &file, now)? {
                    let scanned = ScannedFile {
                        path: rel.to_owned(),
                        title,
                        format: observed.file.format,
                        words: 0,
                        state: FileState::Ok,
                        reason: None,
                    };
                    return Ok((scanned, Some(DeskEvent::Added { draft: id, path: rel.to_owned() })));
                }
            }
            // Another process recorded a draft at this path since the listing:
            // this file is read as a known draft's is.
            let read = Observed {
                rel: observed.rel.clone(),
                abs: observed.abs.clone(),
                fingerprint,
                file: self.read_in_desk(&observed.abs),
                vanished: false,
                unread: None,
            };
            return self.apply_observed(store, &read, batch);
        }
        let file = &observed.file;
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
                        store.move_draft(draft.id, &DraftPath::text(&tombstone_path(&draft)), now)?;
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
                    re_anchor_quietly(store, draft.id, draft.current_version, now);
                }
                batch.found.insert(draft.id);
                if draft.missing {
                    Some(DeskEvent::Restored { draft: draft.id, path: rel.to_owned() })
                } else if new_version
                    || draft.state != file.state
                    || draft.reason != file.reason
                    // A document saved again with the same text may have had a
                    // comment resolved or its changes accepted: the reader reads
                    // its marks again.
                    || file.format.is_some_and(DraftFormat::is_document)
                {
                    Some(DeskEvent::Changed { draft: draft.id, path: rel.to_owned() })
                } else {
                    None
                }
            }
            None => match self.moved_here(store, observed, batch)? {
                // On a desk with people a review is never carried across owner folders by a scan: the rows it
                // would go by (missing, text hash, file identity) are any login's to write, so a reporter could
                // make any Factdesk, an editor's too, hand her another reporter's review. The file is a new
                // draft and the old one stays missing; an editor moves a review across explicitly.
                Some(draft) if !self.carries_review(store, &draft.path, rel)? => {
                    let id = store.insert_draft(self.id, &observed.rel.as_draft_path(), &update, now)?;
                    Some(DeskEvent::Added { draft: id, path: rel.to_owned() })
                }
                // A move this login may not make on a team store (the server refuses it,
                // migrations/postgres/0021) is left to one that may.
                Some(draft) if !store.may_move_draft(draft.id, &observed.rel.display)? => None,
                Some(draft) => {
                    store.move_draft(draft.id, &observed.rel.as_draft_path(), now)?;
                    if store.update_draft(draft.id, &update, now)? {
                        re_anchor_quietly(store, draft.id, draft.current_version, now);
                    }
                    batch.found.insert(draft.id);
                    Some(DeskEvent::Renamed { draft: draft.id, path: rel.to_owned(), from: draft.path })
                }
                None => {
                    let id = store.insert_draft(self.id, &observed.rel.as_draft_path(), &update, now)?;
                    Some(DeskEvent::Added { draft: id, path: rel.to_owned() })
                }
            },
        };
        let read_draft = event.as_ref().and_then(DeskEvent::draft);
        if let (Some(draft), Some(content)) = (read_draft, &observed.file.content) {
            if observed.file.format.is_some_and(DraftFormat::is_document) {
                let now = crate::clock::to_rfc3339(now);
                crate::document_comments::sync(store, draft, &content.text, &content.marks.comments, &now)?;
            }
        }
        Ok((scanned, event))
    }

    /// The draft a file new at its path was, before it was moved or renamed
    /// here: the draft last read from the same file (device and inode) whose
    /// path has gone, if the text is still recognisably its own; else the
    /// one missing draft with exactly this text; else the one draft that
    /// vanished in this same batch whose text this clearly is, edited.
    /// Never a pick between equals: two candidates alike are no answer.
    fn moved_here(&self, store: &Store, observed: &Observed, batch: &Batch) -> Result<Option<DraftRecord>, DeskError> {
        let Some(content) = observed.file.content.as_ref() else { return Ok(None) };
        let text_of = |draft: &DraftRecord| -> Result<String, DeskError> {
            Ok(match draft.current_version {
                Some(version) => store.version(version)?.map(|v| v.text).unwrap_or_default(),
                None => String::new(),
            })
        };
        if let Some(identity) = observed.fingerprint.and_then(|f| f.identity) {
            let mut same_file = Vec::new();
            for draft in store.drafts_with_file_identity(self.id, identity)? {
                if draft.path != observed.rel.display && !self.draft_file_exists(store, &draft)? {
                    same_file.push(draft);
                }
            }
            if let [draft] = same_file.as_slice() {
                // An inode is reused once its file is deleted: the same
                // number alone could pair a deleted draft with a newcomer.
                let same_text = draft.content_hash.as_deref() == Some(content.content_hash.as_str());
                if same_text
                    || self.is_unread_same_file(store, draft, identity, observed)?
                    || similarity(&text_of(draft)?, &content.text) >= SAME_FILE_SIMILARITY
                {
                    return Ok(Some(draft.clone()));
                }
            }
        }
        if let Some(draft) = store.missing_draft_with_hash(self.id, &content.content_hash)? {
            return Ok(Some(draft));
        }
        // A draft never read has only the hash of its bytes to be known by.
        if let Some(hash) = observed.file.format.and_then(|format| self.hash_in_desk(&observed.abs, format)) {
            if let Some(draft) = store.missing_unread_draft_with_hash(self.id, &hash)? {
                return Ok(Some(draft));
            }
        }
        let mut scored = Vec::new();
        for (id, _) in &batch.vanished {
            if batch.found.contains(id) {
                continue;
            }
            let Some(draft) = store.draft(*id)?.filter(|d| d.missing) else { continue };
            scored.push((similarity(&text_of(&draft)?, &content.text), draft));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(match scored.as_slice() {
            [(best, draft), rest @ ..]
                if *best >= EDITED_SIMILARITY
                    && rest.first().is_none_or(|(second, _)| *second < best - SIMILARITY_MARGIN) =>
            {
                Some(draft.clone())
            }
            _ => None,
        })
    }

    /// Whether a draft whose text was never read is the file just read
    /// under a new name: it has no text to compare, only the hash of its
    /// bytes and the file's identity. The identity is enough when both
    /// birth times are known (an inode reused by a new file is born later);
    /// else the bytes must be the same. Such a draft has no claims or notes
    /// (reviewing reads its text first), so a wrong pairing loses nothing.
    fn is_unread_same_file(
        &self,
        store: &Store,
        draft: &DraftRecord,
        identity: FileIdentity,
        observed: &Observed,
    ) -> Result<bool, DeskError> {
        let Some(first_hash) = store.unread_hash(draft.id)? else { return Ok(false) };
        let born_known = identity.born_ns.is_some() && draft.file_identity.is_some_and(|i| i.born_ns.is_some());
        Ok(born_known
            || observed.file.format.and_then(|format| self.hash_in_desk(&observed.abs, format)).as_deref()
                == Some(first_hash.as_str()))
    }

    /// Whether the file a draft was last read from is still at its path.
    /// A draft whose recorded path names no file of the desk, or goes through
    /// a symbolic link, is taken as there: it is never looked for outside the
    /// folder, nor followed.
    fn draft_file_exists(&self, store: &Store, draft: &DraftRecord) -> Result<bool, DeskError> {
        Ok(match self.file_path(store, draft)? {
            Ok(relative) => match place::Folder::open(&self.root).and_then(|folder| folder.has_entry(&relative)) {
                Ok(there) => there,
                Err(error) => place::is_link_on_the_way(&error),
            },
            Err(_) => true,
        })
    }

    /// Reads the draft file at `abs` (inside the desk), opened without
    /// following a link (see [`place::Folder::open_file`]).
    fn read_in_desk(&self, abs: &Path) -> DraftFile {
        let opened = place::Folder::open(&self.root).and_then(|folder| open_in(&folder, &self.root, abs));
        read_opened(opened, &os_file_name(abs), false).0
    }

    /// The BLAKE3 hash of the draft file at `abs` (inside the desk), opened
    /// without following a link (see [`place::Folder::open_file`]).
    fn hash_in_desk(&self, abs: &Path, format: DraftFormat) -> Option<String> {
        let folder = place::Folder::open(&self.root).ok()?;
        hash_opened(open_in(&folder, &self.root, abs).ok()?, format)
    }

    /// Applies one settled batch of file-system changes: `paths` that were
    /// touched and `renames` (from, to) the watcher could pair up. Decisions
    /// rest on what is on disk now, not on the event kinds, which differ
    /// between editors and platforms and are merged or lost in a burst: a
    /// path that vanished and one that appeared are matched up by file
    /// identity and by text (see [`Desk::scan`]).
    pub fn apply_changes(
        &self,
        paths: &[PathBuf],
        renames: &[(PathBuf, PathBuf)],
    ) -> Result<Vec<DeskEvent>, DeskError> {
        let mut events = Vec::new();
        if !self.login_writes_here()? {
            return Ok(events);
        }
        if !self.root.is_dir() {
            let gone: Vec<DraftRecord> = self.drafts()?.into_iter().filter(|d| !d.missing).collect();
            let mut batch = Batch::default();
            self.mark_vanished(&gone, &mut batch)?;
            let any = !gone.is_empty();
            events.extend(batch.missing_events());
            if any || !paths.is_empty() {
                events.push(DeskEvent::Problem { path: None, message: self.folder_gone_message() });
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
        // Symbolic links are never followed, as in a scan: nothing outside
        // the desk is read, and a link is neither a draft nor a folder of them.
        let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        let touched: BTreeSet<&PathBuf> = touched.into_iter().filter(|p| !is_link(p)).collect();
        let known = self.known_drafts()?;
        let mut vanished = Vec::new();
        for path in touched.iter().filter(|p| !p.exists()) {
            let Some(rel) = self.relative(path) else { continue };
            let prefix = format!("{}/", rel.display);
            vanished.extend(
                known.values().filter(|d| !d.missing && (d.path == rel.display || d.path.starts_with(&prefix))),
            );
        }
        let mut batch = Batch::default();
        self.mark_vanished(vanished, &mut batch)?;
        let mut candidates = Vec::new();
        let mut seen = HashSet::new();
        for path in touched.iter().filter(|p| p.exists()) {
            let Some(rel) = self.relative(path) else { continue };
            if path.is_dir() {
                let mut found = Vec::new();
                let mut ignored = Vec::new();
                if collect_files(&self.root, path, &mut found, &mut ignored).is_ok() {
                    candidates.extend(found.into_iter().filter(|c| seen.insert(c.abs.clone())));
                }
            } else if classify_name(&file_name(&rel.display)).is_ok() && seen.insert((*path).clone()) {
                candidates.push(Candidate { rel, abs: (*path).clone(), fingerprint: fingerprint(path) });
            }
        }
        self.reconcile(&candidates, &known, false, &mut batch, &mut |scanned, event| {
            let is_new_problem = scanned.state == FileState::Skipped && event.is_some();
            events.extend(event);
            if is_new_problem {
                events.push(DeskEvent::Problem {
                    path: Some(scanned.path),
                    message: scanned.reason.unwrap_or_else(|| "cannot be read".into()),
                });
            }
        })?;
        events.extend(batch.missing_events());
        Ok(events)
    }

    fn folder_gone_message(&self) -> String {
        format!(
            "The desk folder {} was deleted or moved. Its drafts and reviews are kept and will be found again if the folder comes back.",
            self.root.display()
        )
    }

    /// Moves the draft (or every draft under a folder) from `rel_from` to `rel_to`.
    fn follow_rename(&self, from: &RelPath, to: &RelPath, is_dir: bool) -> Result<Vec<DeskEvent>, DeskError> {
        let store = lock(&self.store);
        let now = self.clock.now();
        crate::audit::write_transaction(&store, |store| {
            let mut events = Vec::new();
            if is_dir {
                let prefix = format!("{}/", from.display);
                for draft in store.drafts(self.id)? {
                    let Some(rest) = draft.path.strip_prefix(&prefix) else { continue };
                    // A name that is not UTF-8 below the folder is left to the
                    // identity match, which knows its bytes.
                    if from.raw.is_some() || to.raw.is_some() || store.draft_path_bytes(draft.id)?.is_some() {
                        continue;
                    }
                    let new_path = format!("{}/{rest}", to.display);
                    // A move out of an owner folder is not followed on a desk with people (see
                    // `carries_review`); one this login may not make is left to one that may.
                    if store.draft_by_path(self.id, &new_path)?.is_none()
                        && self.carries_review(store, &draft.path, &new_path)?
                        && store.may_move_draft(draft.id, &new_path)?
                    {
                        store.move_draft(draft.id, &DraftPath::text(&new_path), now)?;
                        events.push(DeskEvent::Renamed { draft: draft.id, path: new_path, from: draft.path });
                    }
                }
            } else if let Some(draft) = store.draft_by_path(self.id, &from.display)? {
                let target_is_draft = classify_name(&file_name(&to.display)).is_ok() && !in_hidden_folder(&to.display);
                let target = store.draft_by_path(self.id, &to.display)?;
                if let Some(gone) = target.as_ref().filter(|t| t.missing) {
                    // A deleted draft's old name is taken by another draft: the
                    // deleted one steps aside rather than claim the newcomer's text.
                    store.move_draft(gone.id, &DraftPath::text(&tombstone_path(gone)), now)?;
                }
                if target_is_draft
                    && target.is_none_or(|t| t.missing)
                    && self.carries_review(store, &draft.path, &to.display)?
                    && store.may_move_draft(draft.id, &to.display)?
                {
                    store.move_draft(draft.id, &to.as_draft_path(), now)?;
                    events.push(DeskEvent::Renamed { draft: draft.id, path: to.display.clone(), from: draft.path });
                }
            }
            Ok::<_, DeskError>(events)
        })
    }

    /// Carries the review of the missing draft at `from` to the file at `to` (both relative to the desk), as
    /// `factdesk draft move` asks: what a scan never does across owner folders on a desk with people (see
    /// `Desk::carries_review`), done here by a person whose role allows it ([`Action::CarryReview`]).
    /// In one write transaction: a draft already recorded at `to` (a file moved by hand is recorded as a new
    /// draft) is retired, missing and moved aside, if it holds no review of its own; the missing draft takes
    /// the path `to`, the file's text becomes its new version and its claims are re-anchored on it, as a
    /// rename with an edit would; the trail records `draft.move` with both paths. Returns the draft carried.
    ///
    /// [`Action::CarryReview`]: crate::rights::Action::CarryReview
    pub fn carry_review(&self, person: &str, from: &str, to: &str) -> Result<DraftId, DeskError> {
        let cannot = |message: String| Err(DeskError::CannotCarry(message));
        // `to` is typed by a person: checked by name as a stored path is (no `..`, no absolute path), then
        // opened without going through a symbolic link (see `place`).
        let relative = match place::draft_file(to, None) {
            Ok(relative) if !in_hidden_folder(to) && classify_name(&file_name(to)).is_ok() => relative,
            _ => return cannot(format!("{to} is not the path of a draft file inside the desk")),
        };
        let rel = RelPath { display: to.to_owned(), raw: None };
        let opened = place::Folder::open(&self.root).and_then(|folder| folder.open_file(&relative));
        let (opened, meta) = match opened.and_then(|file| file.metadata().map(|meta| (file, meta))) {
            Ok((file, meta)) if meta.is_file() => (file, meta),
            _ => return cannot(format!("there is no file {to} in the desk {}", self.root.display())),
        };
        let file = read_opened(Ok(opened), &file_name(to), false).0;
        let print = fingerprint_of(&meta);
        let title = file.content.as_ref().map(|c| c.title.clone()).unwrap_or_else(|| file_name(to));
        let update = DraftUpdate {
            title: &title,
            format: file.format,
            state: file.state,
            reason: file.reason.as_deref(),
            content: file.content.as_ref(),
            fingerprint: print,
        };
        let store = lock(&self.store);
        let now = self.clock.now();
        crate::audit::write_transaction(&store, |store| {
            crate::rights::check(store, self.id, person, crate::rights::Action::CarryReview, None)?;
            let Some(draft) = store.draft_by_path(self.id, from)? else {
                return cannot(format!("no draft {from} in the desk {}", self.root.display()));
            };
            if !draft.missing {
                return cannot(format!(
                    "{from} is still in the folder: only a missing draft's review is carried (move the file first)"
                ));
            }
            if let Some(there) = store.draft_by_path(self.id, to)? {
                if store.draft_has_review(there.id)? {
                    return cannot(format!(
                        "the draft {to} has a review of its own (claims, notes or assignments): it is not replaced"
                    ));
                }
                // Retired as a draft whose file is gone: kept, missing, out of the way.
                store.set_missing(there.id, true, now)?;
                store.move_draft(there.id, &DraftPath::text(&tombstone_path(&there)), now)?;
            }
            store.move_draft(draft.id, &rel.as_draft_path(), now)?;
            if store.update_draft(draft.id, &update, now)? {
                re_anchor_quietly(store, draft.id, draft.current_version, now);
            }
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: person,
                    at: now,
                    action: crate::audit::AuditAction::DraftMove,
                    entity: crate::audit::Entity::Draft(draft.id),
                    before: Some(serde_json::json!({ "path": from })),
                    after: Some(serde_json::json!({ "path": to })),
                },
            )?;
            Ok(draft.id)
        })
    }

    /// Whether a scan or the watcher may carry a draft, with its review,
    /// from `from` to `to` on its own: always on a desk without people (one
    /// reviewer); on a desk with people only inside one owner folder (see
    /// [`crate::rights::owner_folder`]), whoever runs it.
    fn carries_review(&self, store: &Store, from: &str, to: &str) -> Result<bool, DeskError> {
        Ok(crate::rights::owner_folder(from) == crate::rights::owner_folder(to) || !store.desk_has_people(self.id)?)
    }

    /// The path relative to the desk; `None` outside the desk or inside a
    /// hidden folder.
    fn relative(&self, path: &Path) -> Option<RelPath> {
        let rel = rel_path(&self.root, path)?;
        (!in_hidden_folder(&rel.display)).then_some(rel)
    }

    /// Watches the desk and sends what changed to `sink`, from a background
    /// thread, until the returned [`DeskWatch`] is dropped. When the system's
    /// watch limits are reached, falls back to polling and says why.
    pub fn watch(
        &self,
        preference: WatchPreference,
        sink: impl Fn(DeskEvent) + Send + Sync + 'static,
    ) -> Result<DeskWatch, DeskError> {
        let sink: Arc<dyn Fn(DeskEvent) + Send + Sync> = Arc::new(sink);
        let told = Arc::new(Mutex::new(Told::now(&lock(&self.store), self.id)?));
        let watch_error = |e: notify::Error| DeskError::Watch { path: self.root.clone(), message: e.to_string() };
        let (debouncer, mode, notice) = if preference == WatchPreference::Native && is_network_folder(&self.root) {
            // inotify is not told of changes another machine makes on a network
            // file system (NFS, SMB, a FUSE mount): only looking finds them.
            let debouncer = self.watch_with(sink.clone(), told.clone(), true).map_err(watch_error)?;
            (debouncer, WatchMode::Polling, Some(NETWORK_FOLDER_NOTICE.to_owned()))
        } else if preference == WatchPreference::Native {
            match self.watch_with(sink.clone(), told.clone(), false) {
                Ok(debouncer) => (debouncer, WatchMode::Native, None),
                Err(error) => {
                    let Some(notice) = watch_limit_message(&error) else { return Err(watch_error(error)) };
                    sink(DeskEvent::Problem { path: None, message: notice.clone() });
                    let debouncer = self.watch_with(sink.clone(), told.clone(), true).map_err(watch_error)?;
                    (debouncer, WatchMode::Polling, Some(notice))
                }
            }
        } else {
            (self.watch_with(sink.clone(), told.clone(), true).map_err(watch_error)?, WatchMode::Polling, None)
        };
        let debouncer = Arc::new(Mutex::new(Some(debouncer)));
        let stop = Arc::new(AtomicBool::new(false));
        let monitor = {
            let (desk, debouncer, stop) = (self.clone(), debouncer.clone(), stop.clone());
            std::thread::Builder::new()
                .name("factdesk-desk-monitor".into())
                .spawn(move || desk.monitor(&sink, &told, &debouncer, &stop, mode == WatchMode::Polling))
                .map_err(|e| DeskError::Watch { path: self.root.clone(), message: e.to_string() })?
        };
        Ok(DeskWatch { debouncer, stop, monitor: Some(monitor), mode, notice })
    }

    /// The watch's monitor loop (see [`DeskWatch`]), until `stop`.
    fn monitor(
        &self,
        sink: &Arc<dyn Fn(DeskEvent) + Send + Sync>,
        told: &Arc<Mutex<Told>>,
        debouncer: &Mutex<Option<Box<dyn Send>>>,
        stop: &AtomicBool,
        polling: bool,
    ) {
        // The folder watched, by identity: a folder deleted and made again
        // between two looks is never seen missing, only as another folder
        // (another inode) under the same name, and its watch is just as dead.
        let mut watched = folder_identity(&self.root);
        // On a team store, another process's commit wakes this loop at once
        // (LISTEN/NOTIFY), and the server is asked only then.
        let monitor = std::thread::current();
        let listener = lock(&self.store).listen_for_other_writes(move || monitor.unpark());
        while !stop.load(Ordering::SeqCst) {
            std::thread::park_timeout(MONITOR_INTERVAL);
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let woken = listener.as_ref().map(|listener| listener.take_wake());
            let told_by_listener = listener.as_ref().is_some_and(|listener| listener.listening());
            let now = folder_identity(&self.root);
            if now.is_none() {
                watched = None;
                continue;
            }
            if now != watched {
                // The folder is back (deleted and made again, or moved back):
                // the old watch went with the old folder.
                watched = now;
                match self.watch_with(sink.clone(), told.clone(), polling) {
                    Ok(fresh) => *guard(debouncer) = Some(fresh),
                    Err(error) => sink(DeskEvent::Problem { path: None, message: error.to_string() }),
                }
                let mut told = guard(told);
                let mut events = Vec::new();
                match self.scan(&mut |_| {}, &mut |e| events.push(e)) {
                    Ok(_) => emit_all(sink.as_ref(), events),
                    Err(error) => sink(DeskEvent::Problem { path: None, message: error.to_string() }),
                }
                if let Ok(now) = Told::now(&lock(&self.store), self.id) {
                    *told = now;
                }
                continue;
            }
            if told_by_listener && woken == Some(false) {
                // Listening, and no other process committed since the last look.
                continue;
            }
            if let Err(error) = self.tell_other_processes_changes(sink.as_ref(), told) {
                sink(DeskEvent::Problem { path: None, message: error.to_string() });
            }
        }
    }

    /// Tells what other processes changed since the last look: SQLite's
    /// `data_version` moves only for their commits. Changes this process
    /// made itself were told when made, and are only taken note of.
    fn tell_other_processes_changes(
        &self,
        sink: &(dyn Fn(DeskEvent) + Send + Sync),
        told: &Mutex<Told>,
    ) -> Result<(), DeskError> {
        let mut told = guard(told);
        let now = {
            let store = lock(&self.store);
            let (data_version, own_changes) = (store.data_version()?, store.own_changes());
            if data_version == told.data_version && own_changes == told.own_changes {
                return Ok(());
            }
            Told::now(&store, self.id)?
        };
        if now.data_version != told.data_version {
            emit_all(sink, told.differences(&now));
            // The trail grew while another process committed: it changed the
            // review (this process's own changes were told when made; one of
            // them in the same look is only told once more, harmlessly). Told
            // apart from the draft events, which may collapse into `many`.
            if now.newest_audit != told.newest_audit {
                sink(DeskEvent::Reviewed);
            }
        }
        *told = now;
        Ok(())
    }

    fn watch_with(
        &self,
        sink: Arc<dyn Fn(DeskEvent) + Send + Sync>,
        told: Arc<Mutex<Told>>,
        polling: bool,
    ) -> Result<Box<dyn Send>, notify::Error> {
        let desk = self.clone();
        let handler = move |result: DebounceEventResult| match result {
            Ok(batch) => {
                // Applied and noted as told in one go, so the monitor does
                // not tell these changes a second time as another process's.
                let mut told = guard(&told);
                // The OS dropped events (its queue overflowed, e.g. during a
                // large checkout): only a full reconciliation is trustworthy.
                let result = if batch.iter().any(|event| event.need_rescan()) {
                    let mut events = Vec::new();
                    desk.scan(&mut |_| {}, &mut |e| events.push(e)).map(|_| events)
                } else {
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
                    desk.apply_changes(&paths, &renames)
                };
                match result {
                    Ok(events) => {
                        if let Ok(states) = lock(&desk.store).draft_states(desk.id) {
                            let changed: HashSet<DraftId> = events.iter().filter_map(DeskEvent::draft).collect();
                            let all = events.len() > MANY_EVENTS;
                            for state in states.into_iter().filter(|s| all || changed.contains(&s.id)) {
                                told.drafts.insert(state.id, state);
                            }
                        }
                        emit_all(sink.as_ref(), events);
                    }
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
            let interval = if is_network_folder(&self.root) { NETWORK_POLL_INTERVAL } else { POLL_INTERVAL };
            let config = notify::Config::default().with_poll_interval(interval);
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

impl DeskEvent {
    /// The draft the event is about, if it is about one.
    pub fn draft(&self) -> Option<DraftId> {
        match self {
            Self::Added { draft, .. }
            | Self::Changed { draft, .. }
            | Self::Renamed { draft, .. }
            | Self::Missing { draft, .. }
            | Self::Restored { draft, .. } => Some(*draft),
            Self::Problem { .. } | Self::Many { .. } | Self::Reviewed => None,
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
///
/// On a team store a login the server lets write none of the draft's claims
/// (an editor of another desk who opened this desk's folder, a reporter's
/// Factdesk scanning another reporter's draft) leaves them to the next
/// Factdesk that may (its scan, its listing of the claims), as the re-check
/// after an edit is left: asked first, since a write the server refuses
/// aborts the scan's whole transaction on PostgreSQL. Anything else that
/// fails is undone alone (a savepoint), the scan going on.
fn re_anchor_quietly(
    store: &crate::store::Store,
    draft: DraftId,
    previous: Option<crate::store::VersionId>,
    now: chrono::DateTime<chrono::Utc>,
) {
    match store.login_sees_claims_of(draft) {
        Ok(true) => {}
        Ok(false) => return,
        Err(error) => {
            eprintln!("factdesk: re-anchoring the claims of draft {draft}: {error}");
            return;
        }
    }
    let outcome =
        store.in_savepoint(|store| crate::sourcing::workflow::follow_new_version(store, draft, previous, now));
    if let Err(error) = outcome {
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
/// `candidates`, ignored files straight into `ignored` with their reason,
/// and so do symbolic links, which are listed as skipped and never followed
/// (no loops, nothing outside the desk). Hidden folders are skipped.
fn collect_files(
    root: &Path,
    dir: &Path,
    candidates: &mut Vec<Candidate>,
    ignored: &mut Vec<ScannedFile>,
) -> Result<(), DeskError> {
    let entries = std::fs::read_dir(dir).map_err(|source| DeskError::Unreadable { path: dir.to_owned(), source })?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let file_name = entry.file_name();
        let Ok(file_type) = entry.file_type() else { continue };
        let Some(rel) = rel_path(root, &path) else { continue };
        let name = self::file_name(&rel.display);
        if file_type.is_dir() {
            if !name.starts_with('.') {
                // An unreadable sub-folder must not stop the scan of the rest.
                let _ = collect_files(root, &path, candidates, ignored);
            }
        } else if file_type.is_symlink() {
            if !file_name.to_string_lossy().starts_with('.') {
                ignored.push(ScannedFile {
                    path: rel.display,
                    title: name,
                    format: None,
                    words: 0,
                    state: FileState::Skipped,
                    reason: Some(SYMLINK_REASON.into()),
                });
            }
        } else if file_type.is_file() {
            match classify_name(&name) {
                // Stat through the folder's entry, not the whole path again:
                // a big desk's catch-up is mostly these calls.
                Ok(_) => {
                    let fingerprint = entry.metadata().ok().and_then(|meta| fingerprint_of(&meta));
                    candidates.push(Candidate { rel, abs: path, fingerprint });
                }
                Err(reason) => ignored.push(ScannedFile {
                    path: rel.display,
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

/// Why a symbolic link in the desk is not a draft.
pub const SYMLINK_REASON: &str =
    "symbolic link: not followed, so that nothing outside the desk is read (open the file it points to instead)";

/// A would-be draft file found in the folder, with its size, modification
/// time and identity as they were when it was found (`None`: gone since).
#[derive(Debug, Clone)]
struct Candidate {
    rel: RelPath,
    abs: PathBuf,
    fingerprint: Option<FileFingerprint>,
}

/// A would-be draft file as read from disk, before the store decides what
/// it is.
struct Observed {
    rel: RelPath,
    abs: PathBuf,
    fingerprint: Option<FileFingerprint>,
    file: DraftFile,
    /// The file was gone by the time it was read.
    vanished: bool,
    /// A file first seen by a lazy scan: the BLAKE3 hash of its bytes, and
    /// `file` holds only its format (its text was not read).
    unread: Option<String>,
}

/// What one batch of changes (a scan, or a settled burst of file events)
/// has done so far: drafts it found gone, and drafts it found again.
#[derive(Default)]
struct Batch {
    vanished: Vec<(DraftId, String)>,
    found: HashSet<DraftId>,
}

impl Batch {
    /// A `missing` event for each draft that vanished and was not found
    /// again under another name: a rename is told as a rename, not as a
    /// missing draft and a new one.
    fn missing_events(&self) -> Vec<DeskEvent> {
        self.vanished
            .iter()
            .filter(|(id, _)| !self.found.contains(id))
            .map(|(id, path)| DeskEvent::Missing { draft: *id, path: path.clone() })
            .collect()
    }
}

/// A path relative to the desk, `/`-separated: the display form drafts are
/// keyed and shown by, and the raw bytes when a name is not valid UTF-8
/// (each undecodable byte is `\xNN` in the display form), so two such
/// names stay two drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelPath {
    display: String,
    raw: Option<Vec<u8>>,
}

impl RelPath {
    fn as_draft_path(&self) -> DraftPath<'_> {
        DraftPath { display: &self.display, raw: self.raw.as_deref() }
    }
}

fn rel_path(root: &Path, path: &Path) -> Option<RelPath> {
    let rel = path.strip_prefix(root).ok()?;
    let mut display = String::new();
    let mut lossless = true;
    for (index, component) in rel.components().enumerate() {
        if index > 0 {
            display.push('/');
        }
        let name = component.as_os_str();
        match name.to_str() {
            Some(text) => display.push_str(text),
            None => {
                lossless = false;
                push_escaped(&mut display, name);
            }
        }
    }
    if display.is_empty() {
        return None;
    }
    let raw = (!lossless).then(|| os_bytes(rel.as_os_str()));
    Some(RelPath { display, raw })
}

#[cfg(unix)]
fn os_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    name.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Writes a file name that is not valid UTF-8 with each undecodable byte as
/// `\xNN` (lower-case hex), the rest as it is.
fn push_escaped(out: &mut String, name: &std::ffi::OsStr) {
    use std::fmt::Write as _;
    let bytes = os_bytes(name);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
}

/// Whether a file still looks as the store last read it: same size,
/// modification time and file identity (a draft stored before identities
/// were recorded is read once more to learn its own).
fn is_unchanged(draft: &DraftRecord, fingerprint: FileFingerprint) -> bool {
    !draft.missing
        && draft.file_size == Some(fingerprint.size)
        && draft.file_modified_ns == Some(fingerprint.modified_ns)
        && draft.file_identity == fingerprint.identity
}

/// Reads every file of `items` (inside the desk folder `root`), on every
/// core when there are enough; each opened without following a link (see
/// [`place::Folder::open_file`]), so that a folder swapped for a link after
/// it was listed is not read through.
fn observe_all(root: &Path, items: &[(&Candidate, Option<FileFingerprint>, bool)]) -> Vec<Observed> {
    let folder = place::Folder::open(root);
    let open = |abs: &Path| match &folder {
        Ok(folder) => open_in(folder, root, abs),
        Err(error) => Err(std::io::Error::new(error.kind(), error.to_string())),
    };
    let observe = |(candidate, fingerprint, lazy): &(&Candidate, Option<FileFingerprint>, bool)| {
        let vanished = fingerprint.is_none() && std::fs::symlink_metadata(&candidate.abs).is_err();
        let name = os_file_name(&candidate.abs);
        let format = classify_name(&file_name(&candidate.rel.display)).ok();
        let unread = match format {
            Some(format) if *lazy && !vanished => open(&candidate.abs).ok().and_then(|file| hash_opened(file, format)),
            _ => None,
        };
        let file = if vanished {
            DraftFile { state: FileState::Skipped, reason: None, format: None, content: None }
        } else if unread.is_some() {
            DraftFile { state: FileState::Ok, reason: None, format, content: None }
        } else {
            read_opened(open(&candidate.abs), &name, false).0
        };
        Observed {
            rel: candidate.rel.clone(),
            abs: candidate.abs.clone(),
            fingerprint: *fingerprint,
            file,
            vanished,
            unread,
        }
    };
    map_in_parallel(items, observe)
}

/// Opens the file at `abs`, a path inside the desk folder `root`, through
/// `folder` (that folder, opened): never through a symbolic link.
fn open_in(folder: &place::Folder, root: &Path, abs: &Path) -> std::io::Result<std::fs::File> {
    let relative = abs
        .strip_prefix(root)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a path inside the desk folder"))?;
    folder.open_file(relative)
}

/// `items.iter().map(work)`, in order, split over the machine's cores (at
/// most 8) when there are enough items to be worth a thread: reading,
/// parsing and hashing files is most of a scan's time.
fn map_in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    if threads < 2 || items.len() < 4 {
        return items.iter().map(work).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(per_thread)
            .map(|part| scope.spawn(move || part.iter().map(work).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// How much of two texts is the same text, from 0 (nothing) to 1 (equal):
/// the share of both left untouched by the word-level edit re-anchoring
/// uses, so "the same draft, edited" means what it means for claims.
fn similarity(old: &str, new: &str) -> f64 {
    let (old_len, new_len) = (old.chars().count(), new.chars().count());
    let total = old_len + new_len;
    if total == 0 {
        return 1.0;
    }
    // The diff cannot keep more than the shorter text: skip it when that is
    // already too little.
    if 2 * old_len.min(new_len) < total / 2 {
        return 0.0;
    }
    let changes = crate::anchor::changes(old, new);
    let span = |s: &crate::anchor::TextPositionSelector| (s.end.saturating_sub(s.start)) as usize;
    let edited: usize = changes.removed.iter().chain(&changes.added).map(span).sum();
    let kept = total.saturating_sub(edited);
    #[allow(clippy::cast_precision_loss)] // text lengths are far below 2^52
    let share = kept as f64 / total as f64;
    share
}

/// Where a missing draft goes when another draft takes its path: a hidden
/// folder, which scans never enter, named so the user can still tell it.
fn tombstone_path(draft: &DraftRecord) -> String {
    format!("{SET_ASIDE}{}/{}", draft.id, draft.path)
}

/// The folder a draft whose path went to another is moved into (see [`tombstone_path`]).
const SET_ASIDE: &str = ".factdesk-missing/";

/// Whether `path` is that of a draft set aside (see [`tombstone_path`]).
fn is_set_aside(path: &str) -> bool {
    path.starts_with(SET_ASIDE)
}

fn in_hidden_folder(rel: &str) -> bool {
    rel.split('/').rev().skip(1).any(|part| part.starts_with('.'))
}

/// A path's file name as `read_draft` takes it (undecodable bytes replaced):
/// what decides the format and the title of a file with no heading.
fn os_file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_owned()
}

fn fingerprint(path: &Path) -> Option<FileFingerprint> {
    fingerprint_of(&std::fs::metadata(path).ok()?)
}

fn fingerprint_of(meta: &std::fs::Metadata) -> Option<FileFingerprint> {
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(FileFingerprint {
        size: meta.len(),
        modified_ns: i64::try_from(modified.as_nanos()).unwrap_or(i64::MAX),
        identity: file_identity(meta),
    })
}

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    let born_ns = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok());
    Some(FileIdentity { device: meta.dev(), inode: meta.ino(), born_ns })
}

#[cfg(not(unix))]
fn file_identity(_meta: &std::fs::Metadata) -> Option<FileIdentity> {
    None
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
    /// A .docx or .odt draft's tracked changes, comments and links, at
    /// offsets of the current version's text; `None` for other formats, or
    /// when the file no longer holds that version (the watcher catches up).
    pub marks: Option<crate::ingest::DocumentMarks>,
    /// A .docx or .odt draft's own comments, as read-only notes: those still
    /// in the document, and those a later save removed (shown resolved).
    pub comments: Vec<crate::document_comments::DocumentNote>,
}

impl Desk {
    /// Reads and stores the text of each of `ids` that a lazy scan (see
    /// [`Desk::scan_lazily`]) recorded without it and nobody has read since;
    /// the others are left as they are. Whatever uses a draft's text (the
    /// reader, a review, search, the dashboard, a report) calls this first.
    ///
    /// The file's bytes still hashing as when first seen: the version is
    /// dated when the draft was first seen. Changed since: the version is
    /// dated now, since the text first seen was never stored. A file gone
    /// meanwhile is left for the next catch-up to mark missing. Returns the
    /// drafts whose text was read.
    pub fn read_text(&self, ids: &[DraftId]) -> Result<Vec<DraftId>, DeskError> {
        let mut read = Vec::new();
        if ids.is_empty() || !self.login_writes_here()? {
            return Ok(read);
        }
        for chunk in ids.chunks(APPLY_CHUNK) {
            let mut refused = Vec::new();
            let unread: Vec<(DraftId, PathBuf)> = {
                let store = lock(&self.store);
                let mut unread = Vec::new();
                for &id in chunk {
                    if store.unread_hash(id)?.is_none() {
                        continue;
                    }
                    let Some(draft) = store.draft(id)?.filter(|d| d.desk_id == self.id && !d.missing) else {
                        continue;
                    };
                    match self.file_path(&store, &draft)? {
                        Ok(path) => unread.push((id, path)),
                        Err(outside) => refused.push((draft, outside)),
                    }
                }
                unread
            };
            if !refused.is_empty() {
                self.refuse_unreadable(&lock(&self.store), &refused)?;
            }
            if unread.is_empty() {
                continue;
            }
            let files = read_with_hashes(&self.root, &unread);
            let mut through_links = Vec::new();
            let mut files_read = Vec::new();
            for ((id, path), read) in unread.iter().zip(files) {
                match read {
                    Ok(read) => files_read.push(((*id, path), read)),
                    Err(outside) => through_links.push((*id, outside)),
                }
            }
            if !through_links.is_empty() {
                let store = lock(&self.store);
                let mut refused = Vec::new();
                for (id, outside) in through_links {
                    if let Some(draft) = store.draft(id)? {
                        let path = draft.path.clone();
                        refused.push((draft, OutsideDesk { path, why: outside.why }));
                    }
                }
                self.refuse_unreadable(&store, &refused)?;
            }
            let now = self.clock.now();
            let store = lock(&self.store);
            let done = crate::audit::write_transaction(&store, |store| {
                let mut done = Vec::new();
                for ((id, path), (fingerprint, file, hash)) in &files_read {
                    // Read by another process meanwhile, or gone.
                    let Some(first_hash) = store.unread_hash(*id)? else { continue };
                    if fingerprint.is_none() {
                        continue;
                    }
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let title = file.content.as_ref().map(|c| c.title.clone()).unwrap_or(name);
                    let update = DraftUpdate {
                        title: &title,
                        format: file.format,
                        state: file.state,
                        reason: file.reason.as_deref(),
                        content: file.content.as_ref(),
                        fingerprint: *fingerprint,
                    };
                    store.update_draft(*id, &update, now)?;
                    let version = store.draft(*id)?.and_then(|d| d.current_version);
                    if let (Some(version), Some(first_seen)) = (version, store.draft_created_at(*id)?) {
                        if hash.as_deref() == Some(first_hash.as_str()) {
                            store.set_version_first_seen(version, &first_seen)?;
                        }
                    }
                    if let Some(content) =
                        file.content.as_ref().filter(|_| file.format.is_some_and(DraftFormat::is_document))
                    {
                        let now = crate::clock::to_rfc3339(now);
                        crate::document_comments::sync(store, *id, &content.text, &content.marks.comments, &now)?;
                    }
                    done.push(*id);
                }
                Ok::<_, DeskError>(done)
            })?;
            read.extend(done);
        }
        Ok(read)
    }

    /// Records each of `refused`, drafts whose row names no file of the
    /// desk, as skipped with the reason and missing: nothing is read for
    /// them, the window shows why, and no background pass tries again.
    fn refuse_unreadable(&self, store: &Store, refused: &[(DraftRecord, OutsideDesk)]) -> Result<(), DeskError> {
        let now = self.clock.now();
        crate::audit::write_transaction(store, |store| {
            for (draft, outside) in refused {
                let reason = outside.to_string();
                let update = DraftUpdate {
                    title: &draft.title,
                    format: draft.format,
                    state: FileState::Skipped,
                    reason: Some(&reason),
                    content: None,
                    fingerprint: None,
                };
                store.update_draft(draft.id, &update, now)?;
                store.set_missing(draft.id, true, now)?;
            }
            Ok::<_, DeskError>(())
        })
    }

    /// Reads and stores the text of every draft of the desk a lazy scan
    /// left unread (see [`Desk::read_text`]): before searching the desk, or
    /// as the window's background pass after opening it.
    pub fn read_all_texts(&self) -> Result<Vec<DraftId>, DeskError> {
        self.read_text(&self.unread_drafts()?)
    }

    /// The drafts a lazy scan left unread (missing ones left out).
    pub fn unread_drafts(&self) -> Result<Vec<DraftId>, DeskError> {
        Ok(lock(&self.store).unread_drafts(self.id)?)
    }

    /// Where a draft's file is, relative to the desk folder (from its raw
    /// path bytes when its name is not UTF-8), or why its row names no file of
    /// the desk: every read of a draft's file from its row starts here, and
    /// opens it with [`place::Folder::open_file`].
    fn file_path(&self, store: &Store, draft: &DraftRecord) -> Result<Result<PathBuf, OutsideDesk>, DeskError> {
        let raw = store.draft_path_bytes(draft.id)?;
        Ok(place::draft_file(&draft.path, raw.as_deref()))
    }

    /// The drafts list: every draft of the desk the reader may open (see
    /// [`Desk::draft`]), skipped and missing ones included. On a desk with
    /// people a reporter's is their own drafts: another reporter's would
    /// only answer a click with a refusal.
    ///
    /// A draft set aside to give its path to another (a file moved by hand
    /// whose review `carry_review` brought to it, a rename onto a missing
    /// draft's path) is listed only while it holds a review of its own: an
    /// empty one has nothing to show or carry, and its file is the other's.
    pub fn summaries(&self) -> Result<Vec<DraftSummary>, DeskError> {
        let store = lock(&self.store);
        let mut drafts = store.drafts(self.id)?;
        if drafts.iter().any(|d| is_set_aside(&d.path)) {
            let reviewed: HashSet<DraftId> = store.drafts_with_review(self.id)?.into_iter().collect();
            drafts.retain(|d| !is_set_aside(&d.path) || reviewed.contains(&d.id));
        }
        let reader = crate::review::Review::reviewer_name(&store);
        let action = crate::rights::Action::ReadClaims;
        let readable = crate::rights::allowed_drafts(&store, self.id, &reader, action, drafts, |d| &d.path)?;
        Ok(readable.iter().map(DraftSummary::from).collect())
    }

    /// A draft and its current text split into blocks; `None` if the draft
    /// is not on this desk.
    pub fn document(&self, id: DraftId) -> Result<Option<DraftDocument>, DeskError> {
        let Some((draft, version)) = self.draft(id)? else { return Ok(None) };
        let versions = lock(&self.store).version_count(id)?;
        let blocks = version.as_ref().map(block_views).unwrap_or_default();
        let marks = match &version {
            Some(version) if draft.format.is_some_and(DraftFormat::is_document) && !draft.missing => {
                self.document_marks(&draft, version)?
            }
            _ => None,
        };
        let comments = if draft.format.is_some_and(DraftFormat::is_document) {
            let current = marks.as_ref().map(|m| m.comments.as_slice());
            if let (Some(comments), Some(version)) = (current, &version) {
                self.bring_comments_in_step(id, &version.text, comments)?;
            }
            crate::document_comments::list(&lock(&self.store), id, current)?
        } else {
            Vec::new()
        };
        Ok(Some(DraftDocument {
            draft: DraftSummary::from(&draft),
            version: version.map(|v| v.id),
            versions,
            blocks,
            marks,
            comments,
        }))
    }

    /// Records the comments of a document whose file holds its current
    /// version (`text`), when the stored ones are not those: a scan by a
    /// login that may not write them left them behind
    /// (`document_comments::sync`); a login that may not is left to another.
    fn bring_comments_in_step(
        &self,
        id: DraftId,
        text: &str,
        comments: &[crate::ingest::DocumentComment],
    ) -> Result<(), DeskError> {
        let store = lock(&self.store);
        if !store.login_sees_claims_of(id)? || crate::document_comments::in_step(&store, id, comments)? {
            return Ok(());
        }
        let now = crate::clock::to_rfc3339(self.clock.now());
        crate::audit::write_transaction(&store, |store| {
            crate::document_comments::sync(store, id, text, comments, &now).map_err(DeskError::from)
        })
    }

    /// A document's marks, re-read from its file rather than kept with the
    /// version: the file is the truth about which changes are still pending
    /// and which comments are resolved (accepting every change in Word, or
    /// resolving a comment, leaves the text, and so the version, as it was),
    /// and the names of the document's authors are not copied into the
    /// database. Only marks for the very text of `version` are given.
    fn document_marks(
        &self,
        draft: &DraftRecord,
        version: &VersionRecord,
    ) -> Result<Option<crate::ingest::DocumentMarks>, DeskError> {
        let Ok(relative) = self.file_path(&lock(&self.store), draft)? else { return Ok(None) };
        let opened = place::Folder::open(&self.root).and_then(|folder| folder.open_file(&relative));
        let (file, _) = read_opened(opened, &os_file_name(&relative), false);
        Ok(file.content.filter(|content| content.content_hash == version.content_hash).map(|content| content.marks))
    }
}

/// Reads each file of `files` (paths relative to the desk folder `root`)
/// with the hash of its bytes, on every core when there are enough: what
/// [`Desk::read_text`] stores. Each file is opened once, without following
/// a link (see [`place::Folder::open_file`]); its fingerprint is the open
/// file's, and the hash is of the very bytes the text was parsed from, so a
/// hash equal to the first-seen one means the text is what was first seen.
/// `Err`: a symbolic link stood on the way, and nothing was read.
fn read_with_hashes(root: &Path, files: &[(DraftId, PathBuf)]) -> Vec<Result<ReadFile, OutsideDesk>> {
    let folder = place::Folder::open(root);
    let read = |(_, relative): &(DraftId, PathBuf)| {
        let name = os_file_name(relative);
        let opened = match &folder {
            Ok(folder) => folder.open_file(relative),
            Err(error) => Err(std::io::Error::new(error.kind(), error.to_string())),
        };
        let opened = match opened {
            Err(error) if place::is_link_on_the_way(&error) => {
                let path = relative.to_string_lossy().into_owned();
                return Err(OutsideDesk { path, why: place::THROUGH_A_LINK });
            }
            opened => opened,
        };
        let fingerprint = opened.as_ref().ok().and_then(|file| fingerprint_of(&file.metadata().ok()?));
        let (file, hash) = read_opened(opened, &name, true);
        Ok((fingerprint, file, hash))
    };
    map_in_parallel(files, read)
}

/// A draft file as [`read_with_hashes`] read it: its fingerprint (`None`:
/// gone), what was read, and the BLAKE3 hash of its bytes.
type ReadFile = (Option<FileFingerprint>, DraftFile, Option<String>);

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
