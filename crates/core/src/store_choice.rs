//! Which store the window works on: this computer's SQLite file, or a team
//! store on PostgreSQL (*Settings → Team store…*), and the app's settings
//! file that remembers that choice across restarts.
//!
//! The choice at start, first that applies: `--db PATH|URL`, then
//! `FACTDESK_DB` (as the command line reads them), then the team store the
//! settings file remembers, then this computer's file in the OS app-data
//! folder. The settings file (`~/.config/factdesk/settings.json`, owner-only)
//! holds the team store's URL without any password: a password comes from
//! `~/.pgpass` (or `PGPASSFILE`), or is typed in the dialog and kept in the
//! window's memory only ([`PgLocation::with_password`]).
//!
//! ```no_run
//! use factdesk_core::store_choice::{AppSettings, StoreChoice};
//! let settings = AppSettings::load(&AppSettings::default_path().expect("a config folder"))?;
//! let choice = StoreChoice::at_start(None, &settings)?;
//! println!("{}", choice.label());
//! let store = choice.open()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::store::postgres::{is_postgres_url, PgLocation, PgStore};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Errors from choosing a store: the store itself, or the settings file.
#[derive(Debug, thiserror::Error)]
pub enum StoreChoiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the settings file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot save the choice in the settings file {path}: {reason}; the store in use did not change")]
    Unsaved { path: PathBuf, reason: String },
    #[error("this computer has no folder for settings (no home folder?); the store in use did not change")]
    NoSettingsFolder,
}

/// The store the window works on.
#[derive(Debug, Clone)]
pub enum StoreChoice {
    /// A SQLite file on this computer.
    File(PathBuf),
    /// A team store on PostgreSQL (boxed: a connection's configuration is large).
    Team(Box<PgLocation>),
}

impl StoreChoice {
    /// What `--db` or `FACTDESK_DB` names: a team store for a `postgres://`
    /// URL (refused with a password in it), else a file.
    pub fn named(db: &str) -> Result<Self, StoreError> {
        if is_postgres_url(db) {
            Ok(Self::Team(Box::new(db.parse()?)))
        } else {
            Ok(Self::File(PathBuf::from(db)))
        }
    }

    /// The store to start on (see the module's documentation): `db` is the
    /// `--db` argument, if any.
    pub fn at_start(db: Option<&str>, settings: &AppSettings) -> Result<Self, StoreError> {
        if let Some(named) = db.map(str::to_owned).or_else(factdesk_db).filter(|db| !db.is_empty()) {
            return Self::named(&named);
        }
        match &settings.team_store {
            Some(url) => Ok(Self::Team(Box::new(url.parse()?))),
            None => Ok(Self::File(Store::default_file())),
        }
    }

    /// The file *Use this computer's file* goes back to: the one `--db` or
    /// `FACTDESK_DB` name when it is a file, else the OS app-data folder's.
    pub fn this_computers_file(db: Option<&str>) -> PathBuf {
        db.map(str::to_owned)
            .or_else(factdesk_db)
            .filter(|db| !db.is_empty() && !is_postgres_url(db))
            .map_or_else(Store::default_file, PathBuf::from)
    }

    /// What the window's header says about it, without any secret.
    pub fn label(&self) -> String {
        match self {
            Self::File(path) => format!("This computer · {}", path.display()),
            Self::Team(location) => location.label(),
        }
    }

    /// The team store's URL without a password; `None` for a file.
    pub fn team_url(&self) -> Option<String> {
        match self {
            Self::File(_) => None,
            Self::Team(location) => Some(location.to_string()),
        }
    }

    /// Opens it: a file is created and brought up to date if needed; a team
    /// store must be reachable, accept the login and have its schema
    /// (`factdesk team init`), or a clear error says which is wrong.
    pub fn open(&self) -> Result<Store, StoreError> {
        match self {
            Self::File(path) => Store::open(path),
            Self::Team(location) => Ok(Store::on_team_store(PgStore::connect(location)?)),
        }
    }
}

fn factdesk_db() -> Option<String> {
    std::env::var("FACTDESK_DB").ok()
}

/// The app's own settings (not a desk's): what the window remembers across
/// restarts. Unknown fields written by a newer Factdesk are dropped on save.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSettings {
    /// The team store the window works on, as a URL without a password;
    /// `None` for this computer's file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_store: Option<String>,
}

impl AppSettings {
    /// `settings.json` in the OS config folder's `factdesk` folder.
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|dir| dir.join("factdesk").join("settings.json"))
    }

    /// The settings in `path`; the defaults when there is no such file yet.
    pub fn load(path: &Path) -> Result<Self, StoreChoiceError> {
        let unreadable = |reason: String| StoreChoiceError::Unreadable { path: path.to_owned(), reason };
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| unreadable(e.to_string())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(unreadable(error.to_string())),
        }
    }

    /// Saves the settings in `path`, owner-only (0600), atomically: a crash
    /// leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> Result<(), StoreChoiceError> {
        let unsaved = |reason: String| StoreChoiceError::Unsaved { path: path.to_owned(), reason };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            crate::private_file::create_dir(parent).map_err(|e| unsaved(e.to_string()))?;
        }
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| unsaved(e.to_string()))?;
        json.push(b'\n');
        crate::private_file::write_atomically(path, &json).map_err(|e| unsaved(e.to_string()))
    }

    /// Remembers `choice` in the file at `path` (the other settings kept).
    pub fn remember(path: &Path, choice: &StoreChoice) -> Result<(), StoreChoiceError> {
        let mut settings = Self::load(path)?;
        settings.team_store = choice.team_url();
        settings.save(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_file_is_owner_only_and_holds_no_password() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("config").join("settings.json");
        assert_eq!(AppSettings::load(&path).expect("no file yet"), AppSettings::default());
        let location: PgLocation = "postgres://ana@db.example:5432/newsdesk".parse().expect("url");
        let choice = StoreChoice::Team(Box::new(location.with_password("s3cret-pw")));
        AppSettings::remember(&path, &choice).expect("save");
        let written = std::fs::read_to_string(&path).expect("read");
        assert!(written.contains("postgres://ana@db.example:5432/newsdesk"), "{written}");
        assert!(!written.contains("s3cret-pw"), "{written}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let loaded = AppSettings::load(&path).expect("load");
        assert_eq!(loaded.team_store.as_deref(), Some("postgres://ana@db.example:5432/newsdesk"));
        assert_eq!(choice.label(), "Team store · newsdesk on db.example");
        AppSettings::remember(&path, &StoreChoice::File(tmp.path().join("f.db"))).expect("back to the file");
        assert_eq!(AppSettings::load(&path).expect("load"), AppSettings::default());
    }

    #[test]
    fn a_damaged_settings_file_is_a_clear_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("settings.json");
        std::fs::write(&path, "{not json").expect("write");
        let error = AppSettings::load(&path).expect_err("refused");
        assert!(error.to_string().contains("cannot read the settings file"), "{error}");
    }

    #[test]
    fn the_remembered_team_store_is_used_unless_the_launch_names_another() {
        let settings = AppSettings { team_store: Some("postgres://ana@db.example/newsdesk".into()) };
        let chosen = StoreChoice::at_start(Some("/tmp/x.db"), &settings).expect("choice");
        assert!(matches!(chosen, StoreChoice::File(ref p) if p == Path::new("/tmp/x.db")), "{chosen:?}");
        let chosen = StoreChoice::at_start(Some("postgres://bo@db.example/other"), &settings).expect("choice");
        assert_eq!(chosen.label(), "Team store · other on db.example");
        assert!(StoreChoice::at_start(Some("postgres://bo:pw@db.example/other"), &settings).is_err());
        assert_eq!(
            StoreChoice::this_computers_file(Some("postgres://bo@db.example/other")),
            StoreChoice::this_computers_file(None)
        );
        assert_eq!(StoreChoice::this_computers_file(Some("/tmp/x.db")), PathBuf::from("/tmp/x.db"));
    }
}
