//! The store: the one place in Factdesk that knows SQL.
//!
//! # Shape
//!
//! [`Store`] is the interface the domain calls: every read and write of
//! review data is a method named for what it does (`insert_claim`,
//! `sources_of_desk`, `append_audit_entry`…), taking and returning typed
//! records and ID newtypes, never SQL, rows or a connection. The methods are
//! written in one module per group of tables:
//!
//! | module | tables |
//! |---|---|
//! | `ids` | (the ID newtypes, bound in SQL as integers) |
//! | `settings` | settings |
//! | `desks` | desks |
//! | `drafts` | drafts, draft_versions |
//! | `claims` | claims, claim_status_changes, claim_anchors (and what hangs from a claim, for its removal) |
//! | `suggestions` | suggestion_dismissals |
//! | `sources` | sources, source_confidential, source_sealed, claim_sources |
//! | `evidence` | evidence |
//! | `notes` | notes, note_edits |
//! | `workflow` | draft_workflow, draft_changes_since_ready, editor_notes, rule_overrides, rule_override_findings |
//! | `publications` | published_reviews |
//! | `audit` | audit_log (and the rows the trail's replay compares) |
//! | `vault` | vaults, vault_keys |
//! | `people` | people (and, on a team store, their logins and group roles) |
//! | `assignments` | assignments, inbox |
//!
//! Records come back with their enums as stored text (a status, a kind, a
//! role): parsing them into the domain's types, and refusing a malformed
//! one, is the domain's job. `tests/architecture.rs` fails on SQL written
//! anywhere else in the core. The SQLite file's copies (SQLite's backup
//! API: before a migration, and for [`crate::backup`]) are made here, in
//! [`backup`], so no connection leaves the store.
//!
//! # Two engines
//!
//! Domain code only sees `Store`'s methods, [`Store::write_transaction`]
//! (the unit of a change: all its reads and writes commit together, holding
//! the engine's write lock from the start) and [`StoreError`]. Underneath,
//! `Store` holds an `engine::Engine`: a rusqlite `Connection`, or a
//! PostgreSQL client (a team store, opened from a `postgres://` URL given
//! as `--db` or `FACTDESK_DB`, see [`postgres`]).
//!
//! Each method is written once, for both: its SQL is the text both
//! dialects read the same way (`"end"` quoted, flags compared with
//! `TRUE`/`FALSE`, `ON CONFLICT … DO …` upserts, `RETURNING`,
//! `octet_length`), and it runs through `engine::Stmt`, whose surface is
//! rusqlite's. On SQLite that is the cached rusqlite statement it always
//! was (`prepare_cached`, values bound in place); on PostgreSQL the text's
//! `?N` placeholders become `$N` once, the statement is prepared once per
//! connection and kept, and each value is converted to the type the server
//! expects for its parameter. One text per statement, not two, because the
//! statements Factdesk runs are plain (no engine-specific function but in
//! the full-text search and the file backup) and keeping two copies of ~140
//! statements in step is where the engines would drift apart; a statement
//! that must differ is written per engine where it is used, or refused on
//! the engine that cannot run it: search ([`search`], FTS5) and backups
//! ([`backup`], SQLite's backup API; a team store is backed up with
//! `pg_dump` on its server) say so on a team store. Migrations are per
//! engine (`migrations/` for SQLite, `migrations/postgres/`).
//!
//! Besides the table methods, an engine provides: [`Store::write_transaction`]
//! (on PostgreSQL, a transaction that takes the audit chain's lock first, so
//! appends stay one linear chain), [`Store::in_savepoint`] (a nested step
//! undone on its own), [`Store::own_changes`] and [`Store::data_version`]
//! (whether this process, or another, wrote since: the window's refresh), and
//! the schema checks of [`Store::open`] (migrations in order, pinned by hash,
//! a newer schema refused).
//!
//! # SQLite
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
use chrono::Utc;
use engine::{Engine, Optional, PgEngine, Stmt};
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

pub mod assignments;
pub mod audit;
pub mod backup;
pub mod claims;
mod desks;
pub mod document_comments;
pub mod drafts;
pub(crate) mod engine;
pub mod evidence;
pub mod ids;
pub mod notes;
pub mod people;
pub mod postgres;
pub mod publications;
pub mod search;
mod settings;
pub use settings::whose_setting;
pub mod sources;
mod suggestions;
pub mod vault;
pub mod workflow;

pub use claims::{AnchorRecord, ClaimRecord, NewClaim, StatusChangeRecord};
pub use drafts::{
    DraftPath, DraftRecord, DraftState, DraftUpdate, FileFingerprint, FileIdentity, UnreadFile, VersionMeta,
    VersionRecord,
};
pub use ids::{AssignmentId, ClaimId, DeskId, DraftId, EvidenceId, InboxId, NoteId, OverrideId, SourceId, VersionId};

pub(crate) struct Migration {
    pub(crate) version: u32,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

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
    #[error("the PostgreSQL server at {server} does not offer TLS, and this connection requires it (a server on another machine does by default); turn ssl on at the server, or write sslmode=disable in the URL to send everything, passwords included, in plaintext")]
    TlsNotOffered { server: String },
    #[error("refused the PostgreSQL server at {server}: {reason} (checked against {trusted}); if your newsroom runs its own certificate authority, name its CA file with sslrootcert=/path/ca.pem in the URL (or PGSSLROOTCERT)")]
    CertificateNotTrusted { server: String, reason: String, trusted: String },
    #[error("cannot use the CA file {path}: {reason}")]
    BadCaFile { path: PathBuf, reason: String },
    #[error("the TLS handshake with the PostgreSQL server at {server} failed: {reason}")]
    TlsHandshake { server: String, reason: String },
    #[error("cannot set up TLS: {0}")]
    TlsSetup(String),
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
    /// Another session has held the team store's audit lock for more than 5 seconds (migrations/postgres/0032)
    /// while this change committed (its entries are linked at commit, 0044): nothing of this change was saved.
    #[error("the audit trail is busy: try again (another change has held it for more than 5 seconds; nothing of this change was saved)")]
    AuditBusy,
    /// A statement waited longer than the team store connection's lock timeout
    /// ([`postgres::LOCK_TIMEOUT`]) for a lock another session holds (a login's `LOCK TABLE` in a transaction
    /// left open, a row it keeps locked): refused instead of hanging the window, nothing of its change saved.
    /// `held` says what is held ("the table claims") when the server told or still shows it.
    #[error("the team store is busy: another session holds {}: try again (nothing was saved)", .held.as_deref().unwrap_or("a lock this needs"))]
    Busy { held: Option<String> },
    /// `team init` waited longer than the lock timeout for a table a migration changes, held by another
    /// session (an open read is enough: changing a table needs it to itself). The migration's transaction was
    /// rolled back: the schema is as it was. `held` names the table and who holds it, when still shown.
    #[error("could not bring the team store's schema up to date (migration {version:04}_{name}): a session holds {}: try again when it ends; nothing of this migration was applied", .held.as_deref().unwrap_or("a table it changes"))]
    MigrationBusy { version: u32, name: String, held: Option<String> },
    /// On a team store, a folder that is no desk of the store yet, opened by a person's login: only the store's
    /// owner (or a login in no Factdesk group) records a desk (migrations/postgres/0043).
    #[error("the folder {path} is not a desk of this team store yet, and only the store's owner adds one: ask the store's owner to add this folder as a desk (`factdesk people add {path} NAME --role ROLE`, run by the owner, creates it)")]
    NotADeskYet { path: String },
    #[error("cannot copy the store: {0}")]
    CannotCopy(String),
    #[error("{0} is not available on a team store yet")]
    NotOnTeamStore(&'static str),
    #[error("a team store is backed up on its server (pg_dump), not by Factdesk; use pg_dump")]
    BackupOnTeamStore,
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

/// Switches the database file at `db` out of WAL mode (folding the WAL into
/// it) unless another connection has it open: `false` when one does. Leaving
/// WAL mode needs the database to itself, so this is also the test that
/// nothing else is using it (a restore must not pull it from under them).
pub fn leave_wal_unless_in_use(db: &Path) -> Result<bool, StoreError> {
    let probe = Connection::open(db).map_err(|source| StoreError::Open { path: db.to_owned(), source })?;
    probe.busy_timeout(std::time::Duration::ZERO)?;
    let Ok(mode) = probe.query_row("PRAGMA journal_mode=DELETE", [], |row| row.get::<_, String>(0)) else {
        return Ok(false);
    };
    probe.close().map_err(|(_, e)| e)?;
    Ok(mode.eq_ignore_ascii_case("delete"))
}

/// A connection to the Factdesk database.
pub struct Store {
    engine: Engine,
    upgrade: Option<SchemaUpgrade>,
}

/// What opening the database changed: it was made by an older Factdesk, so
/// its schema was brought up to date after a backup of it was taken. The
/// command line and the window say so once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaUpgrade {
    pub from: u32,
    pub to: u32,
    /// The backup of the database as it was before the upgrade.
    pub backup: PathBuf,
}

impl std::fmt::Display for SchemaUpgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this Factdesk upgraded the database from schema {} to {}; the database as it was is backed up at {}",
            self.from,
            self.to,
            self.backup.display()
        )
    }
}

impl Store {
    /// Where the database lives unless `--db` or `FACTDESK_DB` say otherwise:
    /// the OS app-data folder, e.g. `~/.local/share/factdesk/factdesk.db`.
    pub fn default_path() -> PathBuf {
        if let Some(path) = std::env::var_os("FACTDESK_DB").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        Self::default_file()
    }

    /// This computer's database file in the OS app-data folder, whatever
    /// `FACTDESK_DB` says.
    pub fn default_file() -> PathBuf {
        dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("factdesk").join("factdesk.db")
    }

    /// Opens the store `--db` names: a team store on PostgreSQL when it is a
    /// `postgres://` URL (its schema must be there: `factdesk team init`),
    /// else (creating if needed) the SQLite database at that path, its schema
    /// brought up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(url) = path.to_str().filter(|p| postgres::is_postgres_url(p)) {
            let location: postgres::PgLocation = url.parse()?;
            return Ok(Self::on_team_store(postgres::PgStore::connect(&location)?));
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
        let mut store = Self { engine: Engine::Lite(conn), upgrade: None };
        store.upgrade = store.migrate(path)?;
        Ok(store)
    }

    /// A store on a connected team store.
    pub fn on_team_store(store: postgres::PgStore) -> Self {
        Self { engine: Engine::Pg(Box::new(PgEngine::new(store))), upgrade: None }
    }

    /// Whether this is a team store on PostgreSQL.
    pub fn is_team_store(&self) -> bool {
        matches!(self.engine, Engine::Pg(_))
    }

    /// On a team store, the database login every change is recorded as
    /// (`current_user`): the server authenticated it, the client cannot
    /// claim another name. `None` on SQLite.
    pub fn team_actor(&self) -> Option<String> {
        match &self.engine {
            Engine::Lite(_) => None,
            Engine::Pg(pg) => Some(pg.store.borrow().actor().to_owned()),
        }
    }

    /// Where a team store lives (without secrets); `None` on SQLite.
    pub fn team_location(&self) -> Option<String> {
        match &self.engine {
            Engine::Lite(_) => None,
            Engine::Pg(pg) => Some(pg.store.borrow().location().to_string()),
        }
    }

    /// Whether a team store's connection is encrypted (TLS, the server's
    /// certificate verified); `None` on SQLite, where nothing travels.
    pub fn team_encrypted(&self) -> Option<bool> {
        match &self.engine {
            Engine::Lite(_) => None,
            Engine::Pg(pg) => Some(pg.store.borrow().encrypted()),
        }
    }

    /// A statement, prepared once per connection and kept.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>, StoreError> {
        Stmt::prepare(&self.engine, sql, true)
    }

    /// A statement run rarely, not kept in SQLite's statement cache.
    pub(crate) fn prepare(&self, sql: &str) -> Result<Stmt<'_>, StoreError> {
        Stmt::prepare(&self.engine, sql, false)
    }

    /// The SQLite connection, or `what` refused on a team store.
    pub(crate) fn sqlite_only(&self, what: &'static str) -> Result<&Connection, StoreError> {
        match &self.engine {
            Engine::Lite(conn) => Ok(conn),
            Engine::Pg(_) => Err(StoreError::NotOnTeamStore(what)),
        }
    }

    /// The SQLite connection (opening and migrating, which only SQLite does here).
    fn lite(&self) -> &Connection {
        match &self.engine {
            Engine::Lite(conn) => conn,
            Engine::Pg(_) => unreachable!("only a SQLite store is migrated by Store::open"),
        }
    }

    /// Statements without parameters or results, on either engine.
    fn batch(&self, sql: &str) -> Result<(), StoreError> {
        match &self.engine {
            Engine::Lite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Pg(pg) => pg.batch(sql),
        }
    }

    /// The database file, when the store is one (a report must never be written over it).
    pub fn file_path(&self) -> Option<PathBuf> {
        self.path()
    }

    /// Wraps the store for sharing between threads.
    pub fn shared(self) -> SharedStore {
        Arc::new(Mutex::new(self))
    }

    /// The upgrade this opening made, if the database came from an older Factdesk.
    pub fn upgrade(&self) -> Option<&SchemaUpgrade> {
        self.upgrade.as_ref()
    }

    /// The schema version (`PRAGMA user_version`; on a team store, its newest migration).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        match &self.engine {
            Engine::Lite(conn) => Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?),
            Engine::Pg(pg) => pg.store.borrow_mut().schema_version(),
        }
    }

    fn migrate(&self, path: &Path) -> Result<Option<SchemaUpgrade>, StoreError> {
        let known = u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX);
        let current = self.schema_version()?;
        if current > known {
            return Err(StoreError::NewerSchema { found: current, known });
        }
        let upgrade = if current < known { self.apply_pending_migrations(path, current, known)? } else { None };
        let current = self.schema_version()?;
        for migration in MIGRATIONS.iter().filter(|m| m.version <= current) {
            let stored: Option<String> = self
                .prepare("SELECT sha256 FROM schema_migrations WHERE version = ?1")?
                .query_row([migration.version], |row| row.get(0))
                .optional()?;
            let embedded = crate::ingest::hex_sha256(migration.sql.as_bytes());
            if stored.as_deref() != Some(embedded.as_str()) {
                return Err(StoreError::MigrationEdited {
                    version: migration.version,
                    name: migration.name.to_owned(),
                });
            }
        }
        Ok(upgrade)
    }

    /// Applies the migrations this database lacks, each in a transaction
    /// that holds the write lock from its first statement: another process
    /// doing the same waits, then re-reads the version inside its own
    /// transaction and finds nothing left to do. An existing database is
    /// backed up first (see [`crate::backup`]); the upgrade is returned when
    /// this process made it. `found` is the version when this opening began:
    /// a database this opening creates (0) is not backed up between its own
    /// first migrations, nor announced as upgraded.
    fn apply_pending_migrations(
        &self,
        path: &Path,
        found: u32,
        known: u32,
    ) -> Result<Option<SchemaUpgrade>, StoreError> {
        let mut upgrade: Option<SchemaUpgrade> = None;
        for migration in MIGRATIONS.iter() {
            let failed = |source: rusqlite::Error| StoreError::Migration {
                version: migration.version,
                name: migration.name.to_owned(),
                message: sqlite_message(&source),
            };
            let tx = rusqlite::Transaction::new_unchecked(self.lite(), rusqlite::TransactionBehavior::Immediate)
                .map_err(failed)?;
            let current: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(failed)?;
            if current > known {
                return Err(StoreError::NewerSchema { found: current, known });
            }
            if migration.version <= current {
                continue;
            }
            if found > 0 && upgrade.is_none() {
                // The data as it was before this Factdesk changed its schema,
                // read through a second connection: SQLite's backup cannot
                // read through one that holds the write lock.
                let source =
                    Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(failed)?;
                let backup = backup::create(&source, path, backup::Reason::BeforeMigration).map_err(|e| {
                    StoreError::Migration {
                        version: migration.version,
                        name: migration.name.to_owned(),
                        message: format!("the backup before it failed: {e}"),
                    }
                })?;
                upgrade = Some(SchemaUpgrade { from: current, to: known, backup });
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
        Ok(upgrade)
    }

    /// Runs `work` in one transaction that takes the database's write lock
    /// first (`BEGIN IMMEDIATE`), for every write that depends on what it
    /// reads: the reads see the latest committed state and nothing can
    /// change it before the writes land. Another process writing at the same
    /// time makes this one wait (up to [`BUSY_TIMEOUT`]) instead of failing
    /// with "database is locked", which a deferred transaction upgrading from
    /// a read to a write would. Rolled back when `work` fails.
    ///
    /// On a team store, the transaction takes its desk's write lock first
    /// (`factdesk_desk_write_lock()`: the row lock, in a table no login may
    /// lock itself, of each desk the login is a person of,
    /// migrations/postgres/0044): every writer of the desk, on any machine,
    /// waits for the one before (as SQLite's write lock makes them), so a
    /// change's reads see the newest committed state (a row's version
    /// compared before it is changed, what a scan finds recorded). A writer
    /// waiting for it more than 5 seconds is refused with [`StoreError::Busy`]
    /// ("this desk's write lock"), nothing of its change saved. Writers of
    /// other desks do not wait. The audit chain's own lock is taken only as
    /// the transaction commits, where the server links its entries (0044);
    /// waiting more than 5 seconds for it there is [`StoreError::AuditBusy`],
    /// the whole transaction rolled back.
    pub fn write_transaction<T, E: From<StoreError>>(&self, work: impl FnOnce(&Self) -> Result<T, E>) -> Result<T, E> {
        match &self.engine {
            Engine::Lite(conn) => {
                let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                    .map_err(StoreError::from)?;
                let value = work(self)?;
                tx.commit().map_err(StoreError::from)?;
                Ok(value)
            }
            Engine::Pg(pg) => {
                pg.batch("BEGIN; SELECT factdesk_desk_write_lock()").inspect_err(|_| {
                    // Refused or busy: the transaction begun is aborted; nothing was written in it.
                    let _ = pg.batch("ROLLBACK");
                })?;
                pg.in_transaction.set(true);
                let outcome = work(self);
                pg.in_transaction.set(false);
                match outcome {
                    Ok(value) => {
                        // A statement that failed inside the transaction (its
                        // error handled and not returned) has aborted it, and
                        // PostgreSQL answers COMMIT with a silent rollback:
                        // asking first makes that the error it is, never a
                        // change reported saved that was not.
                        if let Err(error) = pg.batch("SELECT 1") {
                            let _ = pg.batch("ROLLBACK");
                            return Err(error.into());
                        }
                        pg.batch("COMMIT")?;
                        Ok(value)
                    }
                    Err(error) => {
                        // Nothing of a failed change stays; a lost connection has rolled it back already.
                        let _ = pg.batch("ROLLBACK");
                        Err(error)
                    }
                }
            }
        }
    }

    /// Runs `work` in a write transaction unless one is open already: an
    /// audit append on a team store goes in with the change it records, and
    /// the server links it after the newest entry as that transaction commits
    /// (migrations/postgres/0044).
    pub(crate) fn in_audit_lock<T>(&self, work: impl FnOnce(&Self) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match &self.engine {
            Engine::Pg(pg) if !pg.in_transaction.get() => self.write_transaction(work),
            _ => work(self),
        }
    }

    /// Runs `work` in a savepoint inside the current transaction: undone
    /// when it fails (or cannot be released), leaving the rest of the
    /// transaction as it was. The error comes back as its message.
    pub fn in_savepoint<T, E: std::fmt::Display>(&self, work: impl FnOnce(&Self) -> Result<T, E>) -> Result<T, String> {
        self.batch("SAVEPOINT store_savepoint").map_err(|e| e.to_string())?;
        let outcome = work(self).map_err(|e| e.to_string()).and_then(|value| {
            self.batch("RELEASE store_savepoint").map_err(|e| e.to_string())?;
            Ok(value)
        });
        if outcome.is_err() {
            let _ = self.batch("ROLLBACK TO store_savepoint; RELEASE store_savepoint");
        }
        outcome
    }

    /// Runs `work` in one write transaction (see [`Store::write_transaction`]):
    /// a batch of watcher events is applied whole or not at all.
    pub fn in_transaction<T, E: From<StoreError>>(&mut self, work: impl FnOnce(&Self) -> Result<T, E>) -> Result<T, E> {
        self.write_transaction(work)
    }

    /// The database file this store was opened on (`None` in memory).
    pub fn path(&self) -> Option<PathBuf> {
        match &self.engine {
            Engine::Lite(conn) => conn.path().filter(|p| !p.is_empty()).map(PathBuf::from),
            Engine::Pg(_) => None,
        }
    }

    /// Rows changed through this connection since it opened (SQLite's
    /// `total_changes`): whether this process wrote anything since.
    pub fn own_changes(&self) -> u64 {
        match &self.engine {
            Engine::Lite(conn) => conn.total_changes(),
            Engine::Pg(pg) => pg.changes.get(),
        }
    }

    /// A number that changes when another connection (another process)
    /// commits a write, and not for this connection's own. On SQLite,
    /// `PRAGMA data_version`; on a team store, the writes counted for every
    /// other server process (`store_writes`, kept by a trigger on every
    /// table, see `migrations/postgres/0003_store_writes.sql`).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        match &self.engine {
            Engine::Lite(conn) => Ok(conn.pragma_query_value(None, "data_version", |row| row.get(0))?),
            Engine::Pg(_) => self
                .prepare_cached(
                    "SELECT CAST(coalesce(sum(writes), 0) AS BIGINT) FROM store_writes WHERE backend <> pg_backend_pid()",
                )?
                .query_row([], |row| row.get(0)),
        }
    }

    /// On a team store, a listener on a connection of its own that calls
    /// `wake` as soon as another process commits a write (PostgreSQL's
    /// `LISTEN/NOTIFY`, see [`postgres::StoreListener`]); `None` on SQLite,
    /// whose `data_version` is cheap to ask, or when no thread could be started
    /// for it (the caller then asks [`Store::data_version`] as on SQLite).
    pub fn listen_for_other_writes(&self, wake: impl Fn() + Send + 'static) -> Option<postgres::StoreListener> {
        match &self.engine {
            Engine::Lite(_) => None,
            Engine::Pg(pg) => {
                let store = pg.store.borrow();
                postgres::StoreListener::start(store.location().clone(), store.backend(), wake).ok()
            }
        }
    }

    /// The SQLite connection, for copying a desk to a team store
    /// ([`postgres::copy`]); a team store has none (its caller says the
    /// source must be a SQLite file).
    fn conn(&self) -> Result<&Connection, StoreError> {
        match &self.engine {
            Engine::Lite(conn) => Ok(conn),
            Engine::Pg(_) => Err(StoreError::CannotCopy("the source must be a SQLite file".into())),
        }
    }

    /// Test support: runs raw SQL, e.g. to simulate tampering or an old file.
    #[doc(hidden)]
    pub fn execute_raw_for_tests(&self, sql: &str) -> Result<(), StoreError> {
        self.batch(sql)
    }
}
