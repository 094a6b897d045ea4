//! SQLite's file copies of the database, made with its online backup API (a
//! consistent copy while other processes keep working): the store takes one
//! itself before a schema migration, and [`crate::backup`] asks for the
//! others (daily, before a restore, by hand, encrypted to take away). They
//! live in a `backups/` folder beside the database (owner-only, like every
//! file holding review data), named `factdesk-20261201T031500Z-daily.db`; the
//! newest [`KEEP`] of each kind are kept.
//!
//! The copy is the store's because it reads the store's own connection; the
//! policy (when, restoring, encrypting) is [`crate::backup`]'s.

use super::{sqlite_message, Engine, Store};
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, MAIN_DB};
use std::path::{Path, PathBuf};
use std::time::Duration;
use zeroize::Zeroizing;

/// How many backups of each kind are kept.
pub const KEEP: usize = 7;

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

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub made_at: DateTime<Utc>,
    pub reason: Reason,
}

/// Why a file copy of the database could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the database is in memory: there is no file to back up")]
    InMemory,
    #[error("a team store is backed up on its server, not by Factdesk: use pg_dump")]
    TeamStore,
    #[error("cannot write the backup {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read the backups in {path}: {source}")]
    List { path: PathBuf, source: std::io::Error },
    #[error("the backup could not be copied: {}", sqlite_message(.0))]
    Copy(#[from] rusqlite::Error),
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
pub(super) fn create(source: &Connection, db: &Path, reason: Reason) -> Result<PathBuf, CopyError> {
    let dir = folder(db);
    crate::private_file::create_dir(&dir).map_err(|source| CopyError::Write { path: dir.clone(), source })?;
    let name = format!("{}-{}-{}.db", stem(db), Utc::now().format(TIME_FORMAT), reason.as_str());
    let target = dir.join(name);
    let temporary = crate::private_file::temporary_beside(&target);
    let write_error = |source: std::io::Error| CopyError::Write { path: target.clone(), source };
    // Created owner-only before SQLite writes a byte into it.
    drop(crate::private_file::create_new(&temporary).map_err(write_error)?);
    let copied = (|| {
        let mut destination = Connection::open(&temporary)?;
        rusqlite::backup::Backup::new(source, &mut destination)?.run_to_completion(256, Duration::ZERO, None)?;
        // A backup is one self-contained file, whatever the live database's journal.
        destination.pragma_update(None, "journal_mode", "DELETE")?;
        destination.close().map_err(|(_, e)| e)?;
        Ok::<_, CopyError>(())
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
pub fn list(db: &Path) -> Result<Vec<BackupFile>, CopyError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(CopyError::List { path: dir, source }),
    };
    let prefix = format!("{}-", stem(db));
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| CopyError::List { path: dir.clone(), source })?;
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

fn rotate(db: &Path, reason: Reason) -> Result<(), CopyError> {
    let mine: Vec<BackupFile> = list(db)?.into_iter().filter(|b| b.reason == reason).collect();
    for old in mine.iter().take(mine.len().saturating_sub(KEEP)) {
        std::fs::remove_file(&old.path).map_err(|source| CopyError::Write { path: old.path.clone(), source })?;
    }
    Ok(())
}

impl Store {
    /// The SQLite connection and the file it has open; a team store is
    /// backed up on its server.
    fn backed_up_file(&self) -> Result<(&Connection, PathBuf), CopyError> {
        let Engine::Lite(conn) = &self.engine else { return Err(CopyError::TeamStore) };
        let db = self.path().ok_or(CopyError::InMemory)?;
        Ok((conn, db))
    }

    /// The database file's path, when it is one that can be backed up.
    pub(crate) fn backup_target(&self) -> Result<PathBuf, CopyError> {
        self.backed_up_file().map(|(_, db)| db)
    }

    /// Backs the database up now, beside it (see [`list`]).
    pub(crate) fn back_up(&self, reason: Reason) -> Result<PathBuf, CopyError> {
        let (conn, db) = self.backed_up_file()?;
        create(conn, &db, reason)
    }

    /// Replaces the whole database with the one `backup` has open, through
    /// the online backup API (other processes see it on their next read).
    pub(crate) fn replace_with_backup(&mut self, backup: &Connection) -> Result<(), CopyError> {
        let Engine::Lite(conn) = &mut self.engine else { return Err(CopyError::TeamStore) };
        rusqlite::backup::Backup::new(backup, conn)?.run_to_completion(256, Duration::ZERO, None)?;
        Ok(())
    }

    /// A consistent image of the whole database (an in-memory copy, then
    /// `VACUUM` so no free page travels along), for an encrypted backup.
    /// It never touches the disk, and is wiped when dropped: it is the
    /// plaintext of every review and unsealed identity. (The in-memory
    /// database it is copied from is freed by SQLite, which does not wipe.)
    pub(crate) fn snapshot_image(&self) -> Result<Zeroizing<Vec<u8>>, CopyError> {
        let Engine::Lite(conn) = &self.engine else { return Err(CopyError::TeamStore) };
        let mut memory = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(conn, &mut memory)?.run_to_completion(256, Duration::ZERO, None)?;
        memory.execute_batch("VACUUM")?;
        let image = Zeroizing::new(memory.serialize(MAIN_DB)?.to_vec());
        Ok(image)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plaintext image an encrypted backup is made from is wiped when dropped (review finding 14).
    #[test]
    fn the_snapshot_image_is_the_database_and_is_wiped_when_dropped() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("f.db")).expect("store");
        let image: Zeroizing<Vec<u8>> = store.snapshot_image().expect("image");
        assert!(image.starts_with(b"SQLite format 3\0"));
    }
}
