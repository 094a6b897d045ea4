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

use crate::store::backup::CopyError;
use crate::store::Store;
use chrono::Utc;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::store::backup::{folder, BackupFile, Reason, KEEP};

/// How often the running app backs up.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

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

impl From<CopyError> for BackupError {
    fn from(error: CopyError) -> Self {
        match error {
            CopyError::InMemory => Self::InMemory,
            CopyError::TeamStore => Self::TeamStore,
            CopyError::Write { path, source } => Self::Write { path, source },
            CopyError::List { path, source } => Self::List { path, source },
            CopyError::Copy(error) => Self::Copy(error),
        }
    }
}

/// Every backup of the database at `db`, oldest first.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    Ok(crate::store::backup::list(db)?)
}

/// Backs the store's database up now.
pub fn create_now(store: &Store, reason: Reason) -> Result<PathBuf, BackupError> {
    Ok(store.back_up(reason)?)
}

/// Backs the store's database up when its newest daily backup is older
/// than `interval` (or there is none); returns the new backup's path.
pub fn create_if_due(store: &Store, interval: Duration) -> Result<Option<PathBuf>, BackupError> {
    let db = store.backup_target()?;
    let newest = list(&db)?.into_iter().filter(|b| b.reason == Reason::Daily).map(|b| b.made_at).max();
    let due = match newest {
        None => true,
        // A clock set back leaves a negative age: not due until it passes again.
        Some(made) => Utc::now().signed_duration_since(made).to_std().is_ok_and(|age| age >= interval),
    };
    if !due {
        return Ok(None);
    }
    Ok(Some(store.back_up(Reason::Daily)?))
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
    store.replace_with_backup(&check)?;
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
