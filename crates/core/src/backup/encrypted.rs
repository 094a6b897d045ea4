//! Encrypted backups: `factdesk backup -o FILE` and `factdesk restore FILE`.
//!
//! A consistent snapshot of the whole database (SQLite's online backup API
//! into memory, then `VACUUM` so no free page travels along) is encrypted
//! with [age](https://age-encryption.org) to a passphrase (its scrypt
//! recipient): one file anyone can open with `age -d`, and which holds
//! nothing readable without the passphrase. The snapshot never touches the
//! disk in plain; confidential source fields of a desk with a vault are
//! ciphertext inside it anyway.
//!
//! Restoring decrypts into a new owner-only file beside the database, checks
//! that it is a Factdesk database this version can open, refuses to replace
//! a database that is in use, keeps the old one aside and moves the new one
//! in.

use super::BackupError;
use crate::store::Store;
use chrono::Utc;
use rusqlite::{Connection, OpenFlags};
use secrecy::{ExposeSecret, SecretString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Writes an encrypted snapshot of the store's database to `output`
/// (owner-only; an existing file there is replaced atomically, never the
/// database itself). Returns the size written.
pub fn create_encrypted(store: &Store, output: &Path, passphrase: &SecretString) -> Result<u64, BackupError> {
    if store.is_team_store() {
        return Err(BackupError::TeamStore);
    }
    if passphrase.expose_secret().chars().count() < crate::vault::MIN_PASSPHRASE_CHARS {
        return Err(BackupError::WeakPassphrase);
    }
    if let Some(db) = store.file_path() {
        refuse_database_files(&db, output)?;
    }
    let image = store.snapshot_image()?;

    let write_error = |source: std::io::Error| BackupError::Write { path: output.to_owned(), source };
    let temporary = crate::private_file::temporary_beside(output);
    let written = (|| {
        let file = crate::private_file::create_new(&temporary).map_err(write_error)?;
        let encryptor = age::Encryptor::with_user_passphrase(passphrase.clone());
        let mut writer = encryptor.wrap_output(std::io::BufWriter::new(file)).map_err(write_error)?;
        writer.write_all(&image).map_err(write_error)?;
        let file = writer
            .finish()
            .and_then(|buffered| buffered.into_inner().map_err(std::io::IntoInnerError::into_error))
            .map_err(write_error)?;
        file.sync_all().map_err(write_error)?;
        let size = file.metadata().map_err(write_error)?.len();
        std::fs::rename(&temporary, output).map_err(write_error)?;
        crate::private_file::sync_parent(output).map_err(write_error)?;
        Ok(size)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The database, its -wal and -shm: never a backup's destination.
fn refuse_database_files(db: &Path, output: &Path) -> Result<(), BackupError> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        if same(Path::new(&name), output) {
            return Err(BackupError::OverDatabase(output.to_owned()));
        }
    }
    Ok(())
}

/// Restores the encrypted backup at `backup` as the database at `db`:
/// refused (with nothing changed) when the passphrase does not open it, when
/// it is not a Factdesk database, when its schema is newer than this
/// Factdesk knows, or when the database at `db` is open in another process
/// (the window, a running command). The database as it was is kept aside;
/// returns that path (`None` when there was none).
pub fn restore_encrypted(backup: &Path, db: &Path, passphrase: &SecretString) -> Result<Option<PathBuf>, BackupError> {
    let not_a_backup = |reason: String| BackupError::NotABackup { path: backup.to_owned(), reason };
    let encrypted = std::fs::read(backup).map_err(|e| not_a_backup(e.to_string()))?;
    let decryptor = age::Decryptor::new_buffered(encrypted.as_slice())
        .map_err(|_| not_a_backup("it is not an encrypted (age) backup".to_owned()))?;
    if !decryptor.is_scrypt() {
        return Err(not_a_backup("it is encrypted to a key, not to a passphrase".to_owned()));
    }
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|_| BackupError::WrongPassphrase(backup.to_owned()))?;
    let mut image = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut image).map_err(|e| not_a_backup(format!("it is damaged: {e}")))?;
    if !image.starts_with(b"SQLite format 3\0") {
        return Err(not_a_backup("it holds no SQLite database".to_owned()));
    }

    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        crate::private_file::create_dir(parent)
            .map_err(|source| BackupError::Write { path: parent.to_owned(), source })?;
    }
    let incoming = crate::private_file::temporary_beside(db);
    let placed = (|| {
        let write_error = |source: std::io::Error| BackupError::Write { path: incoming.clone(), source };
        let mut file = crate::private_file::create_new(&incoming).map_err(write_error)?;
        file.write_all(&image).map_err(write_error)?;
        file.sync_all().map_err(write_error)?;
        drop(file);
        check_schema(&incoming).map_err(not_a_backup)?;
        let kept = if db.exists() { Some(set_aside(db)?) } else { None };
        std::fs::rename(&incoming, db).map_err(|source| BackupError::Write { path: db.to_owned(), source })?;
        crate::private_file::sync_parent(db).map_err(|source| BackupError::Write { path: db.to_owned(), source })?;
        Ok(kept)
    })();
    if placed.is_err() {
        let _ = std::fs::remove_file(&incoming);
    }
    placed
}

/// A Factdesk schema this version can open (it migrates an older one on open).
fn check_schema(path: &Path) -> Result<(), String> {
    let message = |e: rusqlite::Error| crate::store::sqlite_message(&e);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(message)?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(message)?;
    let known = u32::try_from(crate::store::embedded_migrations().len()).unwrap_or(u32::MAX);
    if version == 0 {
        return Err("it holds no Factdesk schema".to_owned());
    }
    if version > known {
        return Err(format!(
            "it was written by a newer Factdesk (schema {version}, this version knows up to {known}); update Factdesk"
        ));
    }
    let check: String = conn.pragma_query_value(None, "quick_check", |row| row.get(0)).map_err(message)?;
    if check != "ok" {
        return Err(format!("it is damaged ({check})"));
    }
    Ok(())
}

/// Moves the database at `db` aside (`factdesk.db.before-restore-20261201T031500.000Z`),
/// refusing while any other connection has it open: leaving WAL mode needs
/// the database to itself, and it also folds the WAL into the file.
fn set_aside(db: &Path) -> Result<PathBuf, BackupError> {
    let in_use = || BackupError::InUse(db.to_owned());
    // An error opening it is as good as in use: nothing is moved.
    if !crate::store::leave_wal_unless_in_use(db).unwrap_or(false) {
        return Err(in_use());
    }
    let mut aside = db.as_os_str().to_owned();
    aside.push(format!(".before-restore-{}", Utc::now().format("%Y%m%dT%H%M%S%.3fZ")));
    let aside = PathBuf::from(aside);
    std::fs::rename(db, &aside).map_err(|source| BackupError::Write { path: aside.clone(), source })?;
    Ok(aside)
}
