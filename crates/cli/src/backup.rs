//! `factdesk backup`: the database's rotating online backups.

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
