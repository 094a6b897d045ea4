//! Rotating backups of the database, made with SQLite's online backup API
//! (a consistent copy while other processes keep working): one before each
//! schema migration, and one a day while the app runs. They live in a
//! `backups/` folder beside the database (owner-only, like every file
//! holding review data), named `factdesk-20261201T031500Z-daily.db`; the
//! newest [`KEEP`] of each kind are kept.
//!
//! A backup is an ordinary Factdesk database: [`restore`] copies one back
//! over the live database (itself backed up first), and `factdesk --db
//! BACKUP …` reads one directly. Confidential source fields of a desk with a
//! vault are ciphertext inside it, as in the database.
//!
//! [`create_encrypted`] and [`restore_encrypted`] make and restore a backup
//! to take away: the whole database encrypted with age to a passphrase.
//!
//! ```no_run
//! # fn demo(store: &factdesk_core::store::Store) -> Result<(), factdesk_core::backup::BackupError> {
//! if let Some(made) = factdesk_core::backup::create_if_due(store, factdesk_core::backup::DAILY)? {
//!     println!("backed up to {}", made.display());
//! }
//! # Ok(()) }
//! ```

mod encrypted;

pub use encrypted::{create_encrypted, restore_encrypted};

use crate::store::Store;
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many backups of each kind are kept.
pub const KEEP: usize = 7;

/// How often the running app backs up.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a backup was made (part of its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    BeforeMigration,
    Daily,
    BeforeRestore,
    Manual,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BeforeMigration => "before-migration",
            Self::Daily => "daily",
            Self::BeforeRestore => "before-restore",
            Self::Manual => "manual",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::BeforeMigration, Self::Daily, Self::BeforeRestore, Self::Manual].into_iter().find(|r| r.as_str() == name)
    }
}

/// Errors from backing up or restoring.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the database is in memory: there is no file to back up")]
    InMemory,
    #[error("a team store is backed up on its server, not by Factdesk: use pg_dump")]
    TeamStore,
    #[error("cannot write the backup {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read the backups in {path}: {source}")]
    List { path: PathBuf, source: std::io::Error },
    #[error("the backup could not be copied: {}", crate::store::sqlite_message(.0))]
    Copy(#[from] rusqlite::Error),
    #[error("{path} is not a Factdesk backup: {reason}")]
    NotABackup { path: PathBuf, reason: String },
    #[error("the passphrase is too short: use at least {} characters", crate::vault::MIN_PASSPHRASE_CHARS)]
    WeakPassphrase,
    #[error("{} does not open with this passphrase; nothing was changed", .0.display())]
    WrongPassphrase(PathBuf),
    #[error("{} is the database or one of its files: choose another file for the backup", .0.display())]
    OverDatabase(PathBuf),
    #[error("the database at {} is in use (the window or another factdesk command has it open): close it and restore again; nothing was changed", .0.display())]
    InUse(PathBuf),
}

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub made_at: DateTime<Utc>,
    pub reason: Reason,
}

/// The folder holding the backups of the database at `db`.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem().map_or_else(|| "factdesk".to_owned(), |s| s.to_string_lossy().into_owned())
}

const TIME_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

/// Copies the database that `source` has open (at `db`) into a new backup
/// and drops the oldest ones of that kind beyond [`KEEP`].
pub(crate) fn create(source: &Connection, db: &Path, reason: Reason) -> Result<PathBuf, BackupError> {
    let dir = folder(db);
    crate::private_file::create_dir(&dir).map_err(|source| BackupError::Write { path: dir.clone(), source })?;
    let name = format!("{}-{}-{}.db", stem(db), Utc::now().format(TIME_FORMAT), reason.as_str());
    let target = dir.join(name);
    let temporary = crate::private_file::temporary_beside(&target);
    let write_error = |source: std::io::Error| BackupError::Write { path: target.clone(), source };
    // Created owner-only before SQLite writes a byte into it.
    drop(crate::private_file::create_new(&temporary).map_err(write_error)?);
    let copied = (|| {
        let mut destination = Connection::open(&temporary)?;
        rusqlite::backup::Backup::new(source, &mut destination)?.run_to_completion(256, Duration::ZERO, None)?;
        // A backup is one self-contained file, whatever the live database's journal.
        destination.pragma_update(None, "journal_mode", "DELETE")?;
        destination.close().map_err(|(_, e)| e)?;
        Ok::<_, BackupError>(())
    })();
    let finished = copied.and_then(|()| {
        std::fs::File::open(&temporary).and_then(|f| f.sync_all()).map_err(write_error)?;
        std::fs::rename(&temporary, &target).map_err(write_error)?;
        crate::private_file::sync_parent(&target).map_err(write_error)
    });
    if let Err(error) = finished {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    rotate(db, reason)?;
    Ok(target)
}

/// Every backup of the database at `db`, oldest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(BackupError::List { path: dir, source }),
    };
    let prefix = format!("{}-", stem(db));
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| BackupError::List { path: dir.clone(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".db")) else { continue };
        let Some((time, reason)) = rest.split_once('-') else { continue };
        let (Ok(time), Some(reason)) = (NaiveDateTime::parse_from_str(time, TIME_FORMAT), Reason::parse(reason)) else {
            continue;
        };
        found.push(BackupFile { path: entry.path(), made_at: time.and_utc(), reason });
    }
    found.sort_by(|a, b| a.made_at.cmp(&b.made_at).then_with(|| a.path.cmp(&b.path)));
    Ok(found)
}

fn rotate(db: &Path, reason: Reason) -> Result<(), BackupError> {
    let mine: Vec<BackupFile> = list(db)?.into_iter().filter(|b| b.reason == reason).collect();
    for old in mine.iter().take(mine.len().saturating_sub(KEEP)) {
        std::fs::remove_file(&old.path).map_err(|source| BackupError::Write { path: old.path.clone(), source })?;
    }
    Ok(())
}

/// Backs the store's database up now.
pub fn create_now(store: &Store, reason: Reason) -> Result<PathBuf, BackupError> {
    let conn = store.conn().map_err(|_| BackupError::TeamStore)?;
    let db = store.path().ok_or(BackupError::InMemory)?;
    create(conn, &db, reason)
}

/// Backs the store's database up when its newest daily backup is older
/// than `interval` (or there is none); returns the new backup's path.
pub fn create_if_due(store: &Store, interval: Duration) -> Result<Option<PathBuf>, BackupError> {
    let conn = store.conn().map_err(|_| BackupError::TeamStore)?;
    let db = store.path().ok_or(BackupError::InMemory)?;
    let newest = list(&db)?.into_iter().filter(|b| b.reason == Reason::Daily).map(|b| b.made_at).max();
    let due = match newest {
        None => true,
        // A clock set back leaves a negative age: not due until it passes again.
        Some(made) => Utc::now().signed_duration_since(made).to_std().is_ok_and(|age| age >= interval),
    };
    if !due {
        return Ok(None);
    }
    create(conn, &db, Reason::Daily).map(Some)
}

/// Replaces the store's database with the backup at `backup`, through the
/// online backup API (other processes see the restored data on their next
/// read). The database as it was is backed up first; returns that backup.
pub fn restore(store: &mut Store, backup: &Path) -> Result<PathBuf, BackupError> {
    if store.is_team_store() {
        return Err(BackupError::TeamStore);
    }
    let not_a_backup = |reason: String| BackupError::NotABackup { path: backup.to_owned(), reason };
    let check = Connection::open_with_flags(backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(crate::store::sqlite_message(&e)))?;
    let version: u32 = check
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| not_a_backup(crate::store::sqlite_message(&e)))?;
    if version == 0 {
        return Err(not_a_backup("it holds no Factdesk schema".to_owned()));
    }
    let kept = create_now(store, Reason::BeforeRestore)?;
    rusqlite::backup::Backup::new(&check, store.conn_mut().map_err(|_| BackupError::TeamStore)?)?.run_to_completion(
        256,
        Duration::ZERO,
        None,
    )?;
    Ok(kept)
}

/// Backs the database at `db` up once a day from a background thread, for as
/// long as the process runs. A failure is reported through `problem` and tried
/// again an hour later; the thread never touches the caller's connection.
pub fn spawn_daily(db: PathBuf, problem: impl Fn(String) + Send + 'static) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || loop {
        match Store::open(&db) {
            Ok(store) => {
                if let Err(error) = create_if_due(&store, DAILY) {
                    problem(format!("daily backup failed: {error}"));
                }
            }
            Err(error) => problem(format!("daily backup failed: {error}")),
        }
        std::thread::sleep(Duration::from_secs(60 * 60));
    })
}
