//! `factdesk backup`: the database's rotating online backups, and the
//! encrypted ones to take away (`backup -o FILE`, `restore FILE`).

use clap::Subcommand;
use factdesk_core::backup::{self, Reason};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub(crate) enum BackupAction {
    /// Back the database up now (kept beside it in backups/, owner-only) and print the file.
    Now,
    /// List the backups, oldest first: when, why, and the file.
    List,
    /// Replace the database with a backup; the database as it was is backed up first.
    ///
    /// Stop the window first: it keeps working on the restored data, but anything it had on screen is older.
    Restore {
        /// A backup file, as `backup list` prints it.
        file: PathBuf,
    },
}

pub(crate) fn run(db: &Path, action: BackupAction) -> Result<(), String> {
    match action {
        BackupAction::Now => {
            let store = crate::open_store(db)?;
            let made = backup::create_now(&store, Reason::Manual).map_err(|e| e.to_string())?;
            crate::print_out(&made.display().to_string())
        }
        BackupAction::List => {
            let lines: Vec<String> = backup::list(db)
                .map_err(|e| e.to_string())?
                .iter()
                .map(|b| {
                    format!(
                        "{}  {:<16}  {}",
                        b.made_at.format("%Y-%m-%d %H:%M:%S UTC"),
                        b.reason.as_str(),
                        b.path.display()
                    )
                })
                .collect();
            crate::print_out(&lines.join("\n"))
        }
        BackupAction::Restore { file } => {
            let mut store = crate::open_store(db)?;
            let kept = backup::restore(&mut store, &file).map_err(|e| e.to_string())?;
            crate::print_out(&format!("restored {}; the database as it was is in {}", file.display(), kept.display()))
        }
    }
}

/// `factdesk backup -o FILE`: the passphrase from FACTDESK_PASSPHRASE_FILE, or typed twice.
pub(crate) fn create_encrypted(db: &Path, output: &Path) -> Result<(), String> {
    let store = crate::open_store(db)?;
    if store.is_team_store() {
        // Said before asking for a passphrase that would not be used.
        return Err(backup::BackupError::TeamStore.to_string());
    }
    let passphrase = crate::vault::confirmed_passphrase()?;
    let size = backup::create_encrypted(&store, output, &passphrase).map_err(|e| e.to_string())?;
    crate::print_out(&format!("encrypted backup written to {} ({size} bytes)", output.display()))
}

/// `factdesk restore FILE`: the database at `db` replaced, the old one kept aside.
pub(crate) fn restore_encrypted(db: &Path, file: &Path) -> Result<(), String> {
    let passphrase = crate::vault::required_passphrase()?;
    match backup::restore_encrypted(file, db, &passphrase).map_err(|e| e.to_string())? {
        Some(kept) => crate::print_out(&format!(
            "restored {} as {}; the database as it was is in {}",
            file.display(),
            db.display(),
            kept.display()
        )),
        None => crate::print_out(&format!("restored {} as {}", file.display(), db.display())),
    }
}
