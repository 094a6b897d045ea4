//! The SQLite store: the one place in Factdesk that knows SQL.
//!
//! Opened with WAL, `synchronous=FULL` (a commit is on disk before Factdesk
//! says it is saved), foreign keys and a busy timeout; the schema comes from
//! `migrations/NNNN_name.sql`, embedded at build time and applied in order,
//! each in one transaction that takes the write lock first, re-reads
//! `PRAGMA user_version` and sets it, so any number of processes opening a
//! new database at once apply each migration exactly once. A database
//! written by a newer Factdesk, or one whose applied migration no longer
//! matches the embedded SQL, is refused rather than guessed at.
//!
//! Every write that depends on what it read runs in
//! [`Store::write_transaction`] (`BEGIN IMMEDIATE`): with several processes
//! on one database (the window, the command line, scripts), a deferred
//! transaction that reads and then writes can fail at once with "database is
//! locked", where one that takes the write lock first waits its turn.
//!
//! ```no_run
//! let store = factdesk_core::store::Store::open(std::path::Path::new("/tmp/factdesk.db"))?;
//! println!("schema version {}", store.schema_version()?);
//! # Ok::<(), factdesk_core::store::StoreError>(())
//! ```

use crate::clock::to_rfc3339;
use crate::ingest::{Block, DraftContent, DraftFormat, FileState};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

pub(crate) struct Migration {
    pub(crate) version: u32,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

pub mod postgres;

/// Names and SHA-256 of every embedded migration, in order; tests compare
/// them with the committed list of applied migrations.
pub fn embedded_migrations() -> Vec<(u32, &'static str, String)> {
    MIGRATIONS.iter().map(|m| (m.version, m.name, crate::ingest::hex_sha256(m.sql.as_bytes()))).collect()
}

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot create the folder for the database at {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("cannot create the database file at {path}: {source}")]
    CreateFile { path: PathBuf, source: std::io::Error },
    #[error("the database at {path} is damaged or not a Factdesk database ({source}); it was left untouched")]
    NotADatabase { path: PathBuf, source: rusqlite::Error },
    #[error("the database was written by a newer Factdesk (schema {found}, this version knows up to {known}); update Factdesk to open it")]
    NewerSchema { found: u32, known: u32 },
    #[error(
        "migration {version:04}_{name} was edited after it was applied to this database; restore the original file"
    )]
    MigrationEdited { version: u32, name: String },
    #[error("could not bring the database's schema up to date (migration {version:04}_{name}): {message}; the database was left as it was")]
    Migration { version: u32, name: String, message: String },
    #[error("database error: {}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data is malformed: {0}")]
    Malformed(String),
    #[error("the database URL is not usable: {0}")]
    BadUrl(String),
    #[error("a password in the database URL is refused: it would show in the process list, shell history and logs; put it in ~/.pgpass (or the file PGPASSFILE names), owner-only (0600)")]
    PasswordInUrl,
    #[error("cannot use the password file {path}: {reason}")]
    PasswordFile { path: PathBuf, reason: String },
    #[error(
        "cannot reach the PostgreSQL server at {server}: {reason}; check that it is running and that the URL is right"
    )]
    Unreachable { server: String, reason: String },
    #[error("the PostgreSQL server at {server} refused the login: {reason}; a password goes in ~/.pgpass (or the file PGPASSFILE names)")]
    LoginRefused { server: String, reason: String },
    #[error("there is no database at {server}; create it on the server (createdb) first")]
    NoSuchDatabase { server: String },
    #[error("{server} is not a Factdesk team store yet: run `factdesk team init {server}` first")]
    NotInitialised { server: String },
    #[error("the team store at {server} has schema {found}, this Factdesk needs {known}: run `factdesk team init {server}` to bring it up to date")]
    SchemaBehind { server: String, found: u32, known: u32 },
    #[error("the connection to the PostgreSQL server was lost ({0}); the last change was not saved")]
    ConnectionLost(String),
    #[error("database error: {0}")]
    Postgres(String),
    #[error("cannot copy the store: {0}")]
    CannotCopy(String),
    #[error("the database is a team store on PostgreSQL, which this part of Factdesk does not open yet (the command line's `team init`, `migrate-store`, `audit verify` and `audit log` do); use a SQLite file here")]
    TeamStoreNotHere,
}

/// What SQLite said, without the SQL text it was running: an error shown to
/// the reviewer names the problem, never a statement of the schema.
pub(crate) fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(failure, Some(msg)) => format!("{msg} ({:?})", failure.code),
        other => other.to_string(),
    }
}

/// How long a write waits for another process's write to finish before it
/// gives up. Long, because failing loses the reviewer's change, while
/// waiting only delays it; writes are short, so this is rarely reached.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A watched folder.
    DeskId
);
id_type!(
    /// A draft; stable across renames, moves and deletions.
    DraftId
);
id_type!(
    /// One distinct content of a draft.
    VersionId
);
id_type!(
    /// A claim tagged on a draft.
    ClaimId
);
id_type!(
    /// A source in a desk's register.
    SourceId
);
id_type!(
    /// An evidence item on a claim.
    EvidenceId
);
id_type!(
    /// A note in a comment thread on a claim or a draft.
    NoteId
);
id_type!(
    /// An editor's override of sourcing-rule findings.
    OverrideId
);

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    pub id: DraftId,
    pub desk_id: DeskId,
    pub path: String,
    pub title: String,
    pub format: Option<DraftFormat>,
    pub state: FileState,
    pub reason: Option<String>,
    pub words: u32,
    pub missing: bool,
    pub current_version: Option<VersionId>,
    /// Hash of the current version's text, when there is one.
    pub content_hash: Option<String>,
    pub file_size: Option<u64>,
    pub file_modified_ns: Option<i64>,
    /// The file the draft was last read from, when the platform tells.
    pub file_identity: Option<FileIdentity>,
}

/// What is known about a file's bytes on disk without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFingerprint {
    pub size: u64,
    pub modified_ns: i64,
    /// `None` where the platform has no device and inode numbers.
    pub identity: Option<FileIdentity>,
}

/// Which file this is, whatever its name: device and inode on Unix, with
/// the file's birth time where the file system keeps one (an inode number
/// is given to a new file soon after its file is deleted). A rename keeps
/// it; a save through a temporary file and a rename does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
    pub born_ns: Option<i64>,
}

impl FileIdentity {
    /// Whether two identities are one file: the same device and inode, born
    /// at the same time when both birth times are known.
    pub fn same_file(self, other: Self) -> bool {
        self.device == other.device
            && self.inode == other.inode
            && match (self.born_ns, other.born_ns) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// SQLite integers are signed: the bits are kept, so every u64 round-trips.
    fn to_sql(self) -> (i64, i64) {
        (i64::from_ne_bytes(self.device.to_ne_bytes()), i64::from_ne_bytes(self.inode.to_ne_bytes()))
    }

    fn from_sql(device: Option<i64>, inode: Option<i64>, born_ns: Option<i64>) -> Option<Self> {
        Some(Self {
            device: u64::from_ne_bytes(device?.to_ne_bytes()),
            inode: u64::from_ne_bytes(inode?.to_ne_bytes()),
            born_ns,
        })
    }
}

/// A stored version of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub id: VersionId,
    pub draft_id: DraftId,
    pub content_hash: String,
    pub text: String,
    pub blocks: Vec<Block>,
    pub words: u32,
    pub first_seen_at: String,
}

/// A stored version of a draft, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMeta {
    pub id: VersionId,
    pub first_seen_at: String,
    pub words: u32,
    /// Length of the canonical text in code points.
    pub characters: u32,
    /// Length of the canonical text in UTF-8 bytes.
    pub bytes: u32,
}

/// What a file looks like now, to be written onto a draft row.
#[derive(Debug, Clone, Copy)]
pub struct DraftUpdate<'a> {
    pub title: &'a str,
    pub format: Option<DraftFormat>,
    pub state: FileState,
    pub reason: Option<&'a str>,
    pub content: Option<&'a DraftContent>,
    pub fingerprint: Option<FileFingerprint>,
}

/// A draft's place and version, and nothing else: cheap to list for a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftState {
    pub id: DraftId,
    pub path: String,
    pub version: Option<VersionId>,
    pub missing: bool,
}

/// A draft's path relative to its desk, `/`-separated: the display form the
/// store keys drafts by, and the raw bytes when the name is not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftPath<'a> {
    pub display: &'a str,
    pub raw: Option<&'a [u8]>,
}

impl<'a> DraftPath<'a> {
    /// A path whose name is valid UTF-8.
    pub fn text(display: &'a str) -> Self {
        Self { display, raw: None }
    }
}

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: ClaimId,
    pub draft_id: DraftId,
    pub status: String,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: u32,
    pub end: u32,
    /// The version the claim was made on.
    pub version_id: VersionId,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// How the draft attributes the claim (`anonymous`, `named`, `document`, `none`), when known.
    pub attribution: Option<String>,
    /// The draft's words that attribute it.
    pub attribution_cue: Option<String>,
}

/// A claim to store.
#[derive(Debug, Clone, Copy)]
pub struct NewClaim<'a> {
    pub draft: DraftId,
    pub status: &'a str,
    pub exact: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    pub start: u32,
    pub end: u32,
    pub version: VersionId,
    pub by: &'a str,
    pub at: DateTime<Utc>,
}

/// One change of a claim's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChangeRecord {
    pub previous: Option<String>,
    pub status: String,
    pub by: String,
    pub at: String,
}

/// Where a claim sits in one version of its draft.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorRecord {
    pub claim_id: ClaimId,
    pub version_id: VersionId,
    pub state: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub confidence: f64,
    /// JSON array of candidates `{start, end, score}`.
    pub candidates: String,
    pub quote_now: Option<String>,
    pub computed_at: String,
    /// Who settled this placement by hand, when re-anchoring could not.
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

const CLAIM_COLUMNS: &str =
    "id, draft_id, status, exact, prefix, suffix, start, end, version_id, created_by, created_at, updated_by, updated_at, \
     attribution, attribution_cue";
const ANCHOR_COLUMNS: &str =
    "claim_id, version_id, state, start, end, confidence, candidates, quote_now, computed_at, resolved_by, resolved_at";

/// Makes the database and its -wal and -shm files owner-only (0600) where they exist.
fn tighten_modes(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = PathBuf::from(name);
            match std::fs::metadata(&file) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

/// The store shared between the watcher thread and commands.
pub type SharedStore = Arc<Mutex<Store>>;

/// Locks a shared store; a panic elsewhere must not make the data unreachable.
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A connection to the Factdesk database.
pub struct Store {
    conn: Connection,
}

const DRAFT_COLUMNS: &str = "d.id, d.desk_id, d.path, d.title, d.format, d.state, d.reason, d.words, d.missing, \
     d.current_version_id, v.content_hash, d.file_size, d.file_modified_ns, d.file_device, d.file_inode, \
     d.file_born_ns";

impl Store {
    /// Where the database lives unless `--db` or `FACTDESK_DB` say otherwise:
    /// the OS app-data folder, e.g. `~/.local/share/factdesk/factdesk.db`.
    pub fn default_path() -> PathBuf {
        if let Some(path) = std::env::var_os("FACTDESK_DB").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("factdesk").join("factdesk.db")
    }

    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // Never a file named after a server's URL (`FACTDESK_DB=postgres://…` where only SQLite is opened yet).
        if path.to_str().is_some_and(postgres::is_postgres_url) {
            return Err(StoreError::TeamStoreNotHere);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // A folder Factdesk creates for its data is its owner's only (0700).
            if !parent.exists() {
                crate::private_file::create_dir(parent)
                    .map_err(|source| StoreError::Folder { path: parent.to_owned(), source })?;
            }
        }
        if !path.exists() {
            // Owner-only from its first byte: it holds the review. SQLite
            // gives its -wal and -shm files the same permissions.
            match crate::private_file::create_new(path) {
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(StoreError::CreateFile { path: path.to_owned(), source }),
            }
        }
        // A database made by an older Factdesk (or copied in) may be readable
        // by others: the file and its -wal and -shm are made owner-only.
        tighten_modes(path).map_err(|source| StoreError::CreateFile { path: path.to_owned(), source })?;
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
        let not_a_database = |source: rusqlite::Error| StoreError::NotADatabase { path: path.to_owned(), source };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(not_a_database)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(not_a_database)?;
        // FULL: every commit fsyncs the WAL, so a change Factdesk reported
        // saved survives a power cut (NORMAL could lose the last ones).
        conn.pragma_update(None, "synchronous", "FULL").map_err(not_a_database)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(not_a_database)?;
        // A changed or cleared value (a source's identity) is overwritten with
        // zeros, not left readable in a free page.
        conn.pragma_update(None, "secure_delete", "ON").map_err(not_a_database)?;
        conn.set_prepared_statement_cache_capacity(64);
        // Query plans fixed at prepare time, not redone for each new bound
        // value: with SQLite's STAT4 built in, a cached statement comparing
        // an indexed column with a parameter was otherwise re-parsed and
        // re-planned on every run (three times per file on a first scan),
        // for no better plan (Factdesk never runs ANALYZE).
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(not_a_database)?;
        let store = Self { conn };
        store.migrate(path)?;
        Ok(store)
    }

    /// The database file, when the store is one (a report must never be written over it).
    pub fn file_path(&self) -> Option<PathBuf> {
        self.conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
    }

    /// Wraps the store for sharing between threads.
    pub fn shared(self) -> SharedStore {
        Arc::new(Mutex::new(self))
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    fn migrate(&self, path: &Path) -> Result<(), StoreError> {
        let known = u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX);
        let current = self.schema_version()?;
        if current > known {
            return Err(StoreError::NewerSchema { found: current, known });
        }
        if current < known {
            self.apply_pending_migrations(path, known)?;
        }
        let current = self.schema_version()?;
        for migration in MIGRATIONS.iter().filter(|m| m.version <= current) {
            let stored: Option<String> = self
                .conn
                .query_row("SELECT sha256 FROM schema_migrations WHERE version = ?1", [migration.version], |row| {
                    row.get(0)
                })
                .optional()?;
            let embedded = crate::ingest::hex_sha256(migration.sql.as_bytes());
            if stored.as_deref() != Some(embedded.as_str()) {
                return Err(StoreError::MigrationEdited {
                    version: migration.version,
                    name: migration.name.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Applies the migrations this database lacks, each in a transaction
    /// that holds the write lock from its first statement: another process
    /// doing the same waits, then re-reads the version inside its own
    /// transaction and finds nothing left to do. An existing database is
    /// backed up first (see [`crate::backup`]).
    fn apply_pending_migrations(&self, path: &Path, known: u32) -> Result<(), StoreError> {
        let mut backed_up = false;
        for migration in MIGRATIONS.iter() {
            let failed = |source: rusqlite::Error| StoreError::Migration {
                version: migration.version,
                name: migration.name.to_owned(),
                message: sqlite_message(&source),
            };
            let tx = rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(failed)?;
            let current: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(failed)?;
            if current > known {
                return Err(StoreError::NewerSchema { found: current, known });
            }
            if migration.version <= current {
                continue;
            }
            if current > 0 && !backed_up {
                // The data as it was before this Factdesk changed its schema,
                // read through a second connection: SQLite's backup cannot
                // read through one that holds the write lock.
                let source =
                    Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(failed)?;
                crate::backup::create(&source, path, crate::backup::Reason::BeforeMigration).map_err(|e| {
                    StoreError::Migration {
                        version: migration.version,
                        name: migration.name.to_owned(),
                        message: format!("the backup before it failed: {e}"),
                    }
                })?;
                backed_up = true;
            }
            // Bookkeeping for the edited-migration check; not part of the product's schema.
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .map_err(failed)?;
            tx.execute_batch(migration.sql).map_err(failed)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
                params![
                    migration.version,
                    migration.name,
                    crate::ingest::hex_sha256(migration.sql.as_bytes()),
                    to_rfc3339(Utc::now())
                ],
            )
            .map_err(failed)?;
            tx.pragma_update(None, "user_version", migration.version).map_err(failed)?;
            tx.commit().map_err(failed)?;
        }
        Ok(())
    }

    /// Runs `work` in one transaction that takes the database's write lock
    /// first (`BEGIN IMMEDIATE`), for every write that depends on what it
    /// reads: the reads see the latest committed state and nothing can
    /// change it before the writes land. Another process writing at the same
    /// time makes this one wait (up to [`BUSY_TIMEOUT`]) instead of failing
    /// with "database is locked", which a deferred transaction upgrading from
    /// a read to a write would. Rolled back when `work` fails.
    pub fn write_transaction<T, E: From<StoreError>>(&self, work: impl FnOnce(&Self) -> Result<T, E>) -> Result<T, E> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = work(self)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `work` in one write transaction (see [`Store::write_transaction`]):
    /// a batch of watcher events is applied whole or not at all.
    pub fn in_transaction<T, E: From<StoreError>>(&mut self, work: impl FnOnce(&Self) -> Result<T, E>) -> Result<T, E> {
        self.write_transaction(work)
    }

    /// The database file this store was opened on (`None` in memory).
    pub fn path(&self) -> Option<PathBuf> {
        self.conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
    }

    // ---- settings -------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        Ok(stmt.query_row([key], |row| row.get(0)).optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?;
        stmt.execute([key, value])?;
        Ok(())
    }

    // ---- desks ----------------------------------------------------------

    /// The desk for the folder at `path` (canonical), created on first use.
    pub fn open_desk(&self, path: &str, now: DateTime<Utc>) -> Result<DeskId, StoreError> {
        let now = to_rfc3339(now);
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES (?1, ?2, ?2)
             ON CONFLICT(path) DO UPDATE SET last_opened_at = excluded.last_opened_at
             RETURNING id",
        )?;
        Ok(DeskId(stmt.query_row(params![path, now], |row| row.get(0))?))
    }

    pub fn desk_path(&self, desk: DeskId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT path FROM desks WHERE id = ?1")?;
        Ok(stmt.query_row([desk.0], |row| row.get(0)).optional()?)
    }

    // ---- drafts ---------------------------------------------------------

    fn draft_from_row(row: &Row<'_>) -> rusqlite::Result<DraftRecord> {
        let format: Option<String> = row.get(4)?;
        let state: String = row.get(5)?;
        Ok(DraftRecord {
            id: DraftId(row.get(0)?),
            desk_id: DeskId(row.get(1)?),
            path: row.get(2)?,
            title: row.get(3)?,
            format: format.as_deref().and_then(DraftFormat::parse_name),
            state: FileState::parse_name(&state).unwrap_or(FileState::Skipped),
            reason: row.get(6)?,
            words: row.get(7)?,
            missing: row.get(8)?,
            current_version: row.get::<_, Option<i64>>(9)?.map(VersionId),
            content_hash: row.get(10)?,
            file_size: row.get::<_, Option<i64>>(11)?.and_then(|size| u64::try_from(size).ok()),
            file_modified_ns: row.get(12)?,
            file_identity: FileIdentity::from_sql(row.get(13)?, row.get(14)?, row.get(15)?),
        })
    }

    /// Every draft of a desk, missing ones included, ordered by path.
    pub fn drafts(&self, desk: DeskId) -> Result<Vec<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 ORDER BY d.path"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([desk.0], Self::draft_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every draft of a desk as [`Store::drafts`] lists them, but without
    /// `content_hash` (`None`): the text of every current version is not
    /// visited, which is most of the cost of listing a big desk.
    pub fn drafts_without_hash(&self, desk: DeskId) -> Result<Vec<DraftRecord>, StoreError> {
        let columns = DRAFT_COLUMNS.replace("v.content_hash", "NULL");
        let sql = format!("SELECT {columns} FROM drafts d WHERE d.desk_id = ?1 ORDER BY d.path");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([desk.0], Self::draft_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn draft(&self, id: DraftId) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id WHERE d.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([id.0], Self::draft_from_row).optional()?)
    }

    pub fn draft_by_path(&self, desk: DeskId, path: &str) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 AND d.path = ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params![desk.0, path], Self::draft_from_row).optional()?)
    }

    /// The one missing draft of `desk` whose last content hashed to `hash`:
    /// the same file come back under another name. Two candidates (copies of
    /// one text) are a guess Factdesk does not make: the file is a new draft.
    pub fn missing_draft_with_hash(&self, desk: DeskId, hash: &str) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            // Versions by their hash first (an index), then each one's draft
            // by its key: joined the other way round, SQLite visited every
            // draft of the desk for each new file, quadratic on a first scan.
            "SELECT {DRAFT_COLUMNS} FROM draft_versions v CROSS JOIN drafts d ON d.id = v.draft_id
             WHERE v.content_hash = ?2 AND d.current_version_id = v.id AND d.desk_id = ?1 AND d.missing = 1
               AND v.text != '' LIMIT 2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut found: Vec<DraftRecord> =
            stmt.query_map(params![desk.0, hash], Self::draft_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(if found.len() == 1 { found.pop() } else { None })
    }

    /// Creates a draft row for a file first seen at `path`.
    pub fn insert_draft(
        &self,
        desk: DeskId,
        path: &DraftPath<'_>,
        update: &DraftUpdate<'_>,
        now: DateTime<Utc>,
    ) -> Result<DraftId, StoreError> {
        let now_text = to_rfc3339(now);
        let mut stmt = self.conn.prepare_cached(
            // Another process scanning the same folder may have created the
            // row since this one looked: then both write onto that one draft.
            "INSERT INTO drafts (desk_id, path, path_bytes, title, format, state, reason, words, created_at, updated_at)
             VALUES (?1, ?2, ?3, '', NULL, 'skipped', NULL, 0, ?4, ?4)
             ON CONFLICT(desk_id, path) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )?;
        let id = DraftId(stmt.query_row(params![desk.0, path.display, path.raw, now_text], |row| row.get(0))?);
        self.update_draft(id, update, now)?;
        Ok(id)
    }

    /// Writes what the file looks like now onto the draft, storing a new
    /// version if its content is new. Returns whether the current version changed.
    pub fn update_draft(&self, id: DraftId, update: &DraftUpdate<'_>, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let now_text = to_rfc3339(now);
        let previous: Option<i64> = self
            .conn
            .prepare_cached("SELECT current_version_id FROM drafts WHERE id = ?1")?
            .query_row([id.0], |row| row.get(0))?;
        let version = match update.content {
            Some(content) => Some(self.record_version(id, content, &now_text)?),
            None => previous.map(VersionId),
        };
        let words = update.content.map_or(0, |c| c.words);
        let mut stmt = self.conn.prepare_cached(
            "UPDATE drafts SET title = ?2, format = ?3, state = ?4, reason = ?5, words = ?6, missing = 0,
                 current_version_id = ?7, file_size = ?8, file_modified_ns = ?9, updated_at = ?10,
                 file_device = ?11, file_inode = ?12, file_born_ns = ?13
             WHERE id = ?1",
        )?;
        let identity = update.fingerprint.and_then(|f| f.identity).map(FileIdentity::to_sql);
        stmt.execute(params![
            id.0,
            update.title,
            update.format.map(DraftFormat::as_str),
            update.state.as_str(),
            update.reason,
            words,
            version.map(|v| v.0),
            update.fingerprint.map(|f| i64::try_from(f.size).unwrap_or(i64::MAX)),
            update.fingerprint.map(|f| f.modified_ns),
            now_text,
            identity.map(|(device, _)| device),
            identity.map(|(_, inode)| inode),
            update.fingerprint.and_then(|f| f.identity).and_then(|i| i.born_ns)
        ])?;
        Ok(version.map(|v| v.0) != previous)
    }

    fn record_version(&self, draft: DraftId, content: &DraftContent, now: &str) -> Result<VersionId, StoreError> {
        let blocks = serde_json::to_string(&content.blocks).map_err(|e| StoreError::Malformed(e.to_string()))?;
        self.conn
            .prepare_cached(
                "INSERT INTO draft_versions (draft_id, content_hash, text, blocks, words, first_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(draft_id, content_hash) DO NOTHING",
            )?
            .execute(params![draft.0, content.content_hash, content.text, blocks, content.words, now])?;
        let mut stmt =
            self.conn.prepare_cached("SELECT id FROM draft_versions WHERE draft_id = ?1 AND content_hash = ?2")?;
        Ok(VersionId(stmt.query_row(params![draft.0, content.content_hash], |row| row.get(0))?))
    }

    /// Gives a draft a new path inside its desk (a rename or move).
    pub fn move_draft(&self, id: DraftId, path: &DraftPath<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut stmt =
            self.conn.prepare_cached("UPDATE drafts SET path = ?2, path_bytes = ?3, updated_at = ?4 WHERE id = ?1")?;
        stmt.execute(params![id.0, path.display, path.raw, to_rfc3339(now)])?;
        Ok(())
    }

    /// The raw bytes of a draft's path relative to its desk, when its name
    /// is not valid UTF-8 (`path` is then only a display form).
    pub fn draft_path_bytes(&self, id: DraftId) -> Result<Option<Vec<u8>>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT path_bytes FROM drafts WHERE id = ?1")?;
        Ok(stmt.query_row([id.0], |row| row.get(0)).optional()?.flatten())
    }

    /// The drafts of `desk` last read from the file `identity`.
    pub fn drafts_with_file_identity(
        &self,
        desk: DeskId,
        identity: FileIdentity,
    ) -> Result<Vec<DraftRecord>, StoreError> {
        let (device, inode) = identity.to_sql();
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 AND d.file_device = ?2 AND d.file_inode = ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![desk.0, device, inode], Self::draft_from_row)?;
        let drafts: Vec<DraftRecord> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(drafts.into_iter().filter(|d| d.file_identity.is_some_and(|i| i.same_file(identity))).collect())
    }

    /// Where each draft of `desk` is and which version it is at: what the
    /// window was told, to compare with what another process recorded.
    pub fn draft_states(&self, desk: DeskId) -> Result<Vec<DraftState>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id, path, current_version_id, missing FROM drafts WHERE desk_id = ?1")?;
        let rows = stmt.query_map([desk.0], |row| {
            Ok(DraftState {
                id: DraftId(row.get(0)?),
                path: row.get(1)?,
                version: row.get::<_, Option<i64>>(2)?.map(VersionId),
                missing: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Rows changed through this connection since it opened (SQLite's
    /// `total_changes`): whether this process wrote anything since.
    pub fn own_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// How many commits other connections (other processes) have made since
    /// this one opened: SQLite's `PRAGMA data_version`, which this
    /// connection's own commits do not change.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    /// Marks a draft missing (its file is gone) or found again.
    pub fn set_missing(&self, id: DraftId, missing: bool, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached("UPDATE drafts SET missing = ?2, updated_at = ?3 WHERE id = ?1")?;
        stmt.execute(params![id.0, missing, to_rfc3339(now)])?;
        Ok(())
    }

    pub fn version(&self, id: VersionId) -> Result<Option<VersionRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, draft_id, content_hash, text, blocks, words, first_seen_at FROM draft_versions WHERE id = ?1",
        )?;
        let row = stmt
            .query_row([id.0], |row| {
                Ok((
                    VersionId(row.get(0)?),
                    DraftId(row.get(1)?),
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, u32>(5)?,
                    row.get::<_, String>(6)?,
                ))
            })
            .optional()?;
        row.map(|(id, draft_id, content_hash, text, blocks, words, first_seen_at)| {
            let blocks = serde_json::from_str(&blocks).map_err(|e| StoreError::Malformed(e.to_string()))?;
            Ok(VersionRecord { id, draft_id, content_hash, text, blocks, words, first_seen_at })
        })
        .transpose()
    }

    /// A draft's versions, oldest first, without their text.
    pub fn versions_of_draft(&self, draft: DraftId) -> Result<Vec<VersionMeta>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, first_seen_at, words, length(text), length(CAST(text AS BLOB))
             FROM draft_versions WHERE draft_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([draft.0], |row| {
            Ok(VersionMeta {
                id: VersionId(row.get(0)?),
                first_seen_at: row.get(1)?,
                words: row.get(2)?,
                characters: row.get(3)?,
                bytes: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every claim placement computed for `version`.
    pub fn anchors_at_version(&self, version: VersionId) -> Result<Vec<AnchorRecord>, StoreError> {
        // A removed claim's placements stay (for its restore) but are not counted.
        let sql = format!(
            "SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE version_id = ?1 AND EXISTS
             (SELECT 1 FROM claims c WHERE c.id = claim_anchors.claim_id AND c.removed_at IS NULL) ORDER BY claim_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([version.0], Self::anchor_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many versions a draft has had.
    pub fn version_count(&self, draft: DraftId) -> Result<u32, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT COUNT(*) FROM draft_versions WHERE draft_id = ?1")?;
        Ok(stmt.query_row([draft.0], |row| row.get(0))?)
    }

    // ---- claims ---------------------------------------------------------

    /// Stores a new claim and its first status.
    pub fn insert_claim(&self, claim: &NewClaim<'_>) -> Result<ClaimId, StoreError> {
        let at = to_rfc3339(claim.at);
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO claims (draft_id, status, exact, prefix, suffix, start, end, version_id,
                                 created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10) RETURNING id",
        )?;
        let id = ClaimId(stmt.query_row(
            params![
                claim.draft.0,
                claim.status,
                claim.exact,
                claim.prefix,
                claim.suffix,
                claim.start,
                claim.end,
                claim.version.0,
                claim.by,
                at
            ],
            |row| row.get(0),
        )?);
        self.conn
            .prepare_cached(
                "INSERT INTO claim_status_changes (claim_id, previous, status, changed_by, changed_at)
                 VALUES (?1, NULL, ?2, ?3, ?4)",
            )?
            .execute(params![id.0, claim.status, claim.by, at])?;
        Ok(id)
    }

    fn claim_from_row(row: &Row<'_>) -> rusqlite::Result<ClaimRecord> {
        Ok(ClaimRecord {
            id: ClaimId(row.get(0)?),
            draft_id: DraftId(row.get(1)?),
            status: row.get(2)?,
            exact: row.get(3)?,
            prefix: row.get(4)?,
            suffix: row.get(5)?,
            start: row.get(6)?,
            end: row.get(7)?,
            version_id: VersionId(row.get(8)?),
            created_by: row.get(9)?,
            created_at: row.get(10)?,
            updated_by: row.get(11)?,
            updated_at: row.get(12)?,
            attribution: row.get(13)?,
            attribution_cue: row.get(14)?,
        })
    }

    /// A claim, unless it was removed.
    pub fn claim(&self, id: ClaimId) -> Result<Option<ClaimRecord>, StoreError> {
        let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?1 AND removed_at IS NULL");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([id.0], Self::claim_from_row).optional()?)
    }

    /// A draft's claims, oldest first, less those removed.
    pub fn claims_of_draft(&self, draft: DraftId) -> Result<Vec<ClaimRecord>, StoreError> {
        let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE draft_id = ?1 AND removed_at IS NULL ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([draft.0], Self::claim_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a claim's status, recording who changed it from what, and when.
    pub fn set_claim_status(&self, id: ClaimId, status: &str, by: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let at = to_rfc3339(at);
        let previous: String =
            self.conn.prepare_cached("SELECT status FROM claims WHERE id = ?1")?.query_row([id.0], |row| row.get(0))?;
        self.conn
            .prepare_cached("UPDATE claims SET status = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1")?
            .execute(params![id.0, status, by, at])?;
        self.conn
            .prepare_cached(
                "INSERT INTO claim_status_changes (claim_id, previous, status, changed_by, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id.0, previous, status, by, at])?;
        Ok(())
    }

    /// Records how the draft attributes a claim.
    pub fn set_claim_attribution(&self, id: ClaimId, kind: &str, cue: Option<&str>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE claims SET attribution = ?2, attribution_cue = ?3 WHERE id = ?1")?
            .execute(params![id.0, kind, cue])?;
        Ok(())
    }

    // ---- suggestions ----------------------------------------------------

    /// Hides the suggestion for `sentence` on a draft (until the sentence changes).
    pub fn dismiss_suggestion(
        &self,
        draft: DraftId,
        sentence: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO suggestion_dismissals (draft_id, sentence_hash, sentence, dismissed_by, dismissed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(draft_id, sentence_hash) DO NOTHING",
            )?
            .execute(params![draft.0, crate::ingest::hex_sha256(sentence.as_bytes()), sentence, by, to_rfc3339(at)])?;
        Ok(())
    }

    /// The hashes of the sentences whose suggestions were dismissed on a draft.
    pub fn dismissed_sentences(&self, draft: DraftId) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT sentence_hash FROM suggestion_dismissals WHERE draft_id = ?1")?;
        let rows = stmt.query_map([draft.0], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every status change of a claim, oldest first.
    pub fn claim_status_history(&self, id: ClaimId) -> Result<Vec<StatusChangeRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT previous, status, changed_by, changed_at FROM claim_status_changes WHERE claim_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id.0], |row| {
            Ok(StatusChangeRecord { previous: row.get(0)?, status: row.get(1)?, by: row.get(2)?, at: row.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records where a claim sits in a version (replacing an earlier answer for that version).
    pub fn put_claim_anchor(&self, anchor: &AnchorRecord) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO claim_anchors (claim_id, version_id, state, start, end, confidence, candidates, quote_now,
                                        computed_at, resolved_by, resolved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(claim_id, version_id) DO UPDATE SET state = excluded.state, start = excluded.start,
                 end = excluded.end, confidence = excluded.confidence, candidates = excluded.candidates,
                 quote_now = excluded.quote_now, computed_at = excluded.computed_at,
                 resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at",
        )?;
        stmt.execute(params![
            anchor.claim_id.0,
            anchor.version_id.0,
            anchor.state,
            anchor.start,
            anchor.end,
            anchor.confidence,
            anchor.candidates,
            anchor.quote_now,
            anchor.computed_at,
            anchor.resolved_by,
            anchor.resolved_at
        ])?;
        Ok(())
    }

    fn anchor_from_row(row: &Row<'_>) -> rusqlite::Result<AnchorRecord> {
        Ok(AnchorRecord {
            claim_id: ClaimId(row.get(0)?),
            version_id: VersionId(row.get(1)?),
            state: row.get(2)?,
            start: row.get(3)?,
            end: row.get(4)?,
            confidence: row.get(5)?,
            candidates: row.get(6)?,
            quote_now: row.get(7)?,
            computed_at: row.get(8)?,
            resolved_by: row.get(9)?,
            resolved_at: row.get(10)?,
        })
    }

    /// Where a claim sits in `version`, if that was computed.
    pub fn claim_anchor(&self, claim: ClaimId, version: VersionId) -> Result<Option<AnchorRecord>, StoreError> {
        let sql = format!("SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 AND version_id = ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params![claim.0, version.0], Self::anchor_from_row).optional()?)
    }

    /// The most recent placement of a claim that has a position: where to
    /// re-anchor it from.
    pub fn last_placed_anchor(&self, claim: ClaimId) -> Result<Option<AnchorRecord>, StoreError> {
        let sql = format!(
            "SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 AND start IS NOT NULL ORDER BY id DESC LIMIT 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([claim.0], Self::anchor_from_row).optional()?)
    }

    /// A claim's anchor history, oldest first.
    pub fn claim_anchor_history(&self, claim: ClaimId) -> Result<Vec<AnchorRecord>, StoreError> {
        let sql = format!("SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([claim.0], Self::anchor_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The connection, for the modules that keep their own domain's SQL
    /// (sourcing, rules, audit).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, writable as a whole (restoring a backup into it).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Test support: runs raw SQL, e.g. to simulate tampering or an old file.
    #[doc(hidden)]
    pub fn execute_raw_for_tests(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch(sql)?)
    }
}
