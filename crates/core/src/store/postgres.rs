//! The team store on PostgreSQL: a desk's review on a server its newsroom
//! runs and backs up, shared by several people at once.
//!
//! Reached through `--db postgres://USER@HOST:PORT/DB` (or `FACTDESK_DB`).
//! A password is never part of that URL (it would show in the process list,
//! shell history and logs): it comes from the `~/.pgpass` file, or the one
//! `PGPASSFILE` names, owner-only, as libpq's own tools read it. The schema
//! comes from `migrations/postgres/NNNN_name.sql`, embedded at build time,
//! applied by `factdesk team init` under the lock of `schema_migrations` (so two people
//! initialising at once apply each migration once), pinned by SHA-256 like
//! SQLite's; a database with a newer or an edited schema is refused.
//!
//! The connection is encrypted with TLS, the server's certificate verified,
//! as the URL's `sslmode` and `sslrootcert` ask; not writing `sslmode` is
//! `require` for a server on another machine (see [`tls`] for the rules).
//!
//! Who acts is the database login of the connection (`session_user`), not a
//! name the client claims: the server authenticated it.
//!
//! The audit trail is linked as each transaction commits, under a lock held
//! for the commit only (the row lock of a table no login may lock itself,
//! migrations/postgres/0032 and 0044; a writer waiting more than 5 seconds for
//! it gets [`StoreError::AuditBusy`]), so any number of writers on any number
//! of machines make one linear chain, in commit order,
//! with the same entry hashes as on SQLite (timestamps are stored as the
//! same RFC 3339 text). The server links each appended entry itself (its
//! number, the newest entry's hash, its own hash: migrations/postgres/0027),
//! so no login is given the hash of an entry it may not read; walking the
//! chain is [`crate::audit`]'s (`audit::record_on_team_store`,
//! `audit::verify_chain`).
//!
//! ```no_run
//! use factdesk_core::store::postgres::{PgLocation, PgStore};
//! let location: PgLocation = "postgres://ana@db.newsroom.example:5432/desk".parse()?;
//! let mut store = PgStore::init(&location)?; // `factdesk team init`
//! println!("schema {} as {}", store.schema_version()?, store.actor());
//! # Ok::<(), factdesk_core::store::StoreError>(())
//! ```

use super::audit::AuditEntry;
use super::{Migration, StoreError, POSTGRES_MIGRATIONS};
use crate::clock::to_rfc3339;
use postgres::config::Host;
use postgres::{Client, Config, NoTls};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;
use tls::{TlsMode, TlsSettings};

mod copy;
mod listener;
pub mod tls;
pub use copy::{migrate_from_sqlite, LoginGrant, MigrationReport, PersonLogin, TableCount};
pub use listener::StoreListener;

/// How long connecting may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a statement of Factdesk's waits for a lock another session holds (`lock_timeout`) before it is
/// refused with [`StoreError::Busy`], nothing of its change saved: a login with UPDATE on a table may `LOCK TABLE`
/// it and leave its transaction open, which would otherwise hang the window for as long as that session lasts.
/// Ten seconds: twice the audit lock's own 5 s wait (migrations/postgres/0032, which sets its own and is told
/// apart as [`StoreError::AuditBusy`]), and far above the waits of normal work (another person's write holds a
/// row for milliseconds). A migration waits as long for the tables it changes (see `PgStore::migrate`).
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Names and SHA-256 of every embedded PostgreSQL migration, in order.
pub fn embedded_migrations() -> Vec<(u32, &'static str, String)> {
    POSTGRES_MIGRATIONS.iter().map(|m| (m.version, m.name, crate::ingest::hex_sha256(m.sql.as_bytes()))).collect()
}

/// Whether `--db` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Where a team store lives: a PostgreSQL URL, checked, without a password.
#[derive(Clone)]
pub struct PgLocation {
    config: Config,
    tls: TlsSettings,
    /// The URL's parameters as written, `key=value` (`Display` keeps them:
    /// the window remembers a team store by that text, and connects again
    /// from it to the same place the same way).
    written_parameters: Vec<String>,
    /// How long a statement waits for another session's lock ([`LOCK_TIMEOUT`] unless a caller, a test, asks
    /// for less: [`PgLocation::with_lock_timeout`]). Not part of the text: a connection option of this process.
    lock_timeout: Duration,
}

impl FromStr for PgLocation {
    type Err = StoreError;

    fn from_str(url: &str) -> Result<Self, StoreError> {
        if !is_postgres_url(url) {
            return Err(StoreError::BadUrl(
                "it must start with postgres:// (postgres://USER@HOST:PORT/DATABASE)".into(),
            ));
        }
        let split = tls::split_url(url)?;
        // The parser's own message could quote the URL, password and all: say what is wrong instead.
        let config = Config::from_str(&split.url).map_err(|_| {
            StoreError::BadUrl("it is not a valid PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)".into())
        })?;
        if config.get_password().is_some() {
            return Err(StoreError::PasswordInUrl);
        }
        if config.get_user().is_none() {
            return Err(StoreError::BadUrl("it names no user (postgres://USER@HOST:PORT/DATABASE)".into()));
        }
        if config.get_dbname().is_none() {
            return Err(StoreError::BadUrl("it names no database (postgres://USER@HOST:PORT/DATABASE)".into()));
        }
        if config.get_hosts().is_empty() {
            return Err(StoreError::BadUrl("it names no host (postgres://USER@HOST:PORT/DATABASE)".into()));
        }
        let tls = split.settings(config.get_hosts(), config.get_hostaddrs());
        let written_parameters = split.written();
        Ok(Self { config, tls, written_parameters, lock_timeout: LOCK_TIMEOUT })
    }
}

impl PgLocation {
    fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    fn host(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        }
    }

    fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    /// `host:port`, as the reviewer wrote it.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host(), self.port())
    }

    /// Every `host:port` the URL names, in order, comma-separated (as a URL
    /// writes them): the connection tries each in turn.
    fn servers(&self) -> String {
        let ports = self.config.get_ports();
        let servers: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(at, host)| {
                let name = match host {
                    Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
                    Host::Tcp(name) => name.clone(),
                    // A socket's folder, %-escaped as a URL's host must be ("/" included).
                    #[cfg(unix)]
                    Host::Unix(path) => path
                        .to_string_lossy()
                        .bytes()
                        .map(|byte| {
                            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                                char::from(byte).to_string()
                            } else {
                                format!("%{byte:02X}")
                            }
                        })
                        .collect(),
                };
                // One port for every host, or one each.
                let port = ports.get(at).or_else(|| ports.first()).copied().unwrap_or(5432);
                format!("{name}:{port}")
            })
            .collect();
        servers.join(",")
    }

    /// What the connection asks of TLS, the defaults applied.
    pub fn tls(&self) -> &TlsSettings {
        &self.tls
    }

    /// What the window's header says: "Team store · newsdesk on db.example".
    pub fn label(&self) -> String {
        format!("Team store · {} on {}", self.database(), self.host())
    }

    /// The location with a password typed by the reviewer (the window's
    /// team store dialog): kept in this process's memory only, used in
    /// place of the password file's, never shown (`Display` and `Debug`
    /// leave it out) nor written anywhere.
    #[must_use]
    pub fn with_password(mut self, password: &str) -> Self {
        self.config.password(password);
        self
    }

    /// The location with statements waiting at most `timeout` for another
    /// session's lock (instead of [`LOCK_TIMEOUT`]) before they are refused
    /// with [`StoreError::Busy`] (or, in `team init`, [`StoreError::MigrationBusy`]):
    /// how a test keeps its wait short. Whole milliseconds; zero waits forever,
    /// as PostgreSQL's `lock_timeout = 0` does.
    #[must_use]
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// `lock_timeout`'s value as a statement sets it.
    fn lock_timeout_setting(&self) -> String {
        format!("'{}ms'", self.lock_timeout.as_millis())
    }

    /// The password for this login from the password file, if it has one.
    fn password(&self) -> Result<Option<String>, StoreError> {
        let Some(path) = password_file() else { return Ok(None) };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(StoreError::PasswordFile { path, reason: error.to_string() });
            }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As libpq: a password file others can read is not used.
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode()).unwrap_or(0);
            if mode & 0o077 != 0 {
                return Err(StoreError::PasswordFile {
                    path,
                    reason: format!("it is readable by others (mode {:o}); make it 0600", mode & 0o777),
                });
            }
        }
        let port = self.port().to_string();
        let wanted = [self.host(), port, self.database().to_owned(), self.user().to_owned()];
        Ok(text.lines().find_map(|line| password_line_matches(line, &wanted)))
    }
}

/// `PGPASSFILE`, else `~/.pgpass`.
fn password_file() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|home| home.join(".pgpass")))
}

/// The password of a `hostname:port:database:username:password` line when
/// its first four fields match `wanted` (`*` matches anything; `\:` and `\\`
/// are a literal colon and backslash).
fn password_line_matches(line: &str, wanted: &[String; 4]) -> Option<String> {
    if line.trim_start().starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.push(chars.next().unwrap_or('\\')),
            ':' if fields.len() < 5 => fields.push(String::new()),
            other => fields.last_mut()?.push(other),
        }
    }
    if fields.len() != 5 {
        return None;
    }
    let matches = fields.iter().zip(wanted).all(|(field, want)| field == "*" || field == want);
    matches.then(|| fields.pop()).flatten()
}

impl fmt::Display for PgLocation {
    /// The URL without any secret: safe to show and log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://{}@{}/{}", self.user(), self.servers(), self.database())?;
        for (at, parameter) in self.written_parameters.iter().enumerate() {
            write!(f, "{}{parameter}", if at == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}

impl fmt::Debug for PgLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgLocation({self})")
    }
}

/// What the server said, without any SQL text: a PostgreSQL error's own
/// message (which names the problem, e.g. a violated constraint), or the
/// innermost cause of a failure to talk to the server.
pub(crate) fn postgres_message(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        if error.is_closed() {
            return StoreError::ConnectionLost(postgres_message(&error));
        }
        // The audit lock's timeout (migrations/postgres/0032), told apart from any other lock a newsroom's own
        // `lock_timeout` may give up on by the server's words.
        if error.as_db_error().is_some_and(|db| {
            *db.code() == postgres::error::SqlState::LOCK_NOT_AVAILABLE
                && db.message().starts_with("the audit trail is busy")
        }) {
            return StoreError::AuditBusy;
        }
        // A desk's write lock (migrations/postgres/0044), held by another writer of the same desk.
        if error.as_db_error().is_some_and(|db| {
            *db.code() == postgres::error::SqlState::LOCK_NOT_AVAILABLE && db.message().starts_with("this desk is busy")
        }) {
            return StoreError::Busy { held: Some("this desk's write lock".to_owned()) };
        }
        // Any other wait the connection's `lock_timeout` gave up on. A row's lock is named by the server (the
        // error's context: `while updating tuple (0,1) in relation "claims"`); a table's is not, and the engine
        // asks the server who holds what (`PgStore::tables_held_by_others`) where it can.
        if is_lock_timeout(&error) {
            let held = error.as_db_error().and_then(|db| db.where_()).and_then(relation_in_context);
            return StoreError::Busy { held: held.map(|table| format!("a row of the table {table}")) };
        }
        StoreError::Postgres(postgres_message(&error))
    }
}

/// Whether the server gave up waiting for a lock (55P03, `lock_timeout`).
pub(crate) fn is_lock_timeout(error: &postgres::Error) -> bool {
    error.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE)
}

/// The table an error's context names as the one whose row was waited for (`… in relation "claims"`).
fn relation_in_context(context: &str) -> Option<String> {
    let (_, after) = context.split_once(" in relation \"")?;
    let (name, _) = after.split_once('"')?;
    Some(name.to_owned())
}

/// Who holds a table lock another session waits for: each table of the store another server process holds a lock
/// on, with that session's login and process (as `pg_locks` and `pg_stat_activity` show every login).
struct HeldTable {
    table: String,
    login: String,
    process: i32,
}

/// "the table claims", "the tables claims, notes" (with whose sessions hold them when `whose`); `None` for none.
fn describe_held(held: &[HeldTable], whose: bool) -> Option<String> {
    let mut tables: Vec<&str> = held.iter().map(|h| h.table.as_str()).collect();
    tables.dedup();
    let named = match tables.as_slice() {
        [] => return None,
        [one] => format!("the table {one}"),
        many => format!("the tables {}", many.join(", ")),
    };
    if !whose {
        return Some(named);
    }
    let mut sessions: Vec<String> =
        held.iter().map(|h| format!("login {}, server process {}", h.login, h.process)).collect();
    sessions.sort();
    sessions.dedup();
    // Only a superuser (or a login granted pg_signal_backend) ends another login's session: the store's owner
    // may not. The statement is printed for the server's administrator (review session 10, P2).
    let mut processes: Vec<i32> = held.iter().map(|h| h.process).collect();
    processes.sort_unstable();
    processes.dedup();
    let statements: Vec<String> = processes.iter().map(|p| format!("SELECT pg_terminate_backend({p});")).collect();
    Some(format!(
        "{named} ({}); the server's superuser (not the store's owner) ends it with: {}",
        sessions.join("; "),
        statements.join(" ")
    ))
}

/// Runs `call`, which talks to the server through the blocking client: that
/// client drives a runtime of its own, which tokio refuses to start on a
/// thread that is driving async tasks (the window's commands run on Tauri's
/// multi-threaded runtime) unless the thread first hands its tasks over
/// (`block_in_place`). Elsewhere (the command line, the watch's threads) it
/// just runs.
pub(crate) fn off_async_tasks<T>(call: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(call)
        }
        _ => call(),
    }
}

/// A connection to a team store on PostgreSQL.
pub struct PgStore {
    client: Client,
    location: PgLocation,
    /// The login the server authenticated: who every change is recorded as.
    actor: String,
    /// The server process serving this connection (`pg_backend_pid()`).
    backend: i32,
    /// Whether the connection is encrypted (TLS, the certificate verified).
    encrypted: bool,
}

/// A connection to the server at `location`, named `application` in the
/// server's list of sessions, and whether it is encrypted (TLS, the server's
/// certificate verified), or a clear error: unreachable, TLS required but
/// not offered, certificate not trusted, login refused, no such database.
fn open_client(location: &PgLocation, application: &str) -> Result<(Client, bool), StoreError> {
    let mut config = location.config.clone();
    config.application_name(application).connect_timeout(CONNECT_TIMEOUT).ssl_mode(location.tls.ssl_mode());
    if location.config.get_password().is_none() {
        if let Some(password) = location.password()? {
            config.password(password);
        }
    }
    let mut refused = None;
    let connected = if location.tls.mode == TlsMode::Disable {
        config.connect(NoTls).map(|client| (client, false))
    } else {
        let tls = location.tls.connector()?;
        let connected = config.connect(tls.clone()).map(|client| (client, tls.encrypted()));
        refused = tls.refused();
        connected
    };
    connected.map_err(|error| match (error.as_db_error(), &refused) {
        // A handshake refused on any attempt is why there is no connection, whatever the last attempt said.
        (_, Some(refusal)) => tls::handshake_failure(refusal, &location.to_string(), &location.host(), &location.tls),
        // 28P01 wrong password, 28000 no such login or not allowed from here.
        (Some(db), None) if db.code().code().starts_with("28") => {
            StoreError::LoginRefused { server: location.to_string(), reason: db.message().to_owned() }
        }
        (Some(db), None) if db.code().code() == "3D000" => StoreError::NoSuchDatabase { server: location.to_string() },
        _ => tls::tls_failure(&error, &location.to_string(), &location.host(), &location.tls).unwrap_or_else(|| {
            StoreError::Unreachable { server: location.to_string(), reason: postgres_message(&error) }
        }),
    })
}

impl PgStore {
    /// Connects to a team store whose schema `factdesk team init` created,
    /// refusing one that has none, or a newer or an edited one.
    pub fn connect(location: &PgLocation) -> Result<Self, StoreError> {
        off_async_tasks(|| {
            let mut store = Self::connect_only(location)?;
            store.check_schema(false)?;
            Ok(store)
        })
    }

    /// `factdesk team init`: connects and creates or completes the schema.
    pub fn init(location: &PgLocation) -> Result<Self, StoreError> {
        off_async_tasks(|| {
            let mut store = Self::connect_only(location)?;
            store.migrate()?;
            store.check_schema(false)?;
            Ok(store)
        })
    }

    /// Test support: `team init` stopping after migration `version`, as a
    /// store made by an older Factdesk is (the next `init` applies the rest).
    #[doc(hidden)]
    pub fn init_up_to_for_tests(location: &PgLocation, version: u32) -> Result<Self, StoreError> {
        off_async_tasks(|| {
            let mut store = Self::connect_only(location)?;
            store.migrate_up_to(version)?;
            Ok(store)
        })
    }

    fn connect_only(location: &PgLocation) -> Result<Self, StoreError> {
        let (mut client, encrypted) = open_client(location, "factdesk")?;
        // The login the server authenticated, which its triggers check an audit entry's actor against
        // (migrations/postgres/0019): `current_user` is another role after a `SET ROLE`, or a login's default
        // `role` setting, and entries recorded under it would be refused.
        let actor: String = client.query_one("SELECT session_user::text", &[])?.get(0);
        // And the rows a login reads and writes are asked of `current_user` (the policies since 0007): a login whose
        // default `role` setting is a group would act as no person at all (an editor refused on their own desk).
        // Factdesk acts as the login itself; a login may take no more this way than it has (SET ROLE NONE only
        // gives back the session's own identity).
        client.batch_execute("SET ROLE NONE")?;
        // A wait for another session's lock ends in `StoreError::Busy` rather than hanging the window (see
        // LOCK_TIMEOUT); the audit lock's own 5 s is set by its function and not changed by this.
        client.batch_execute(&format!("SET lock_timeout = {}", location.lock_timeout_setting()))?;
        let backend: i32 = client.query_one("SELECT pg_backend_pid()", &[])?.get(0);
        let mut location = location.clone();
        if encrypted {
            // The listener's connection and any made again from this store's location must be encrypted too:
            // under `prefer`, a later connection answered "no TLS" would be plain while the window says
            // "Encrypted (TLS)". The text shown and remembered stays as the reviewer wrote it.
            location.tls.mode = TlsMode::Require;
        }
        Ok(Self { client, location, actor, backend, encrypted })
    }

    /// Whether this connection is encrypted with TLS, the server's
    /// certificate verified: what this client did, not what a server says.
    pub fn encrypted(&self) -> bool {
        self.encrypted
    }

    /// The server process serving this connection: its own writes' notifications carry it.
    pub fn backend(&self) -> i32 {
        self.backend
    }

    /// Where this store lives (without secrets).
    pub fn location(&self) -> &PgLocation {
        &self.location
    }

    /// The database login every change is recorded as.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The newest migration applied, 0 before `team init`.
    pub fn schema_version(&mut self) -> Result<u32, StoreError> {
        off_async_tasks(|| self.read_schema_version())
    }

    fn read_schema_version(&mut self) -> Result<u32, StoreError> {
        if !self.has_schema_migrations()? {
            return Ok(0);
        }
        let version: Option<i64> = self.client.query_one("SELECT max(version) FROM schema_migrations", &[])?.get(0);
        Ok(version.and_then(|v| u32::try_from(v).ok()).unwrap_or(0))
    }

    /// Whether the migrations' bookkeeping table is there (a store `team init` has begun).
    fn has_schema_migrations(&mut self) -> Result<bool, postgres::Error> {
        Ok(self.client.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?.get(0))
    }

    fn known_version() -> u32 {
        u32::try_from(POSTGRES_MIGRATIONS.len()).unwrap_or(u32::MAX)
    }

    /// Refuses a schema that is missing, behind (unless `allow_behind`), newer, or edited.
    fn check_schema(&mut self, allow_behind: bool) -> Result<(), StoreError> {
        let known = Self::known_version();
        let current = self.read_schema_version()?;
        if current == 0 {
            return Err(StoreError::NotInitialised { server: self.location.to_string() });
        }
        if current > known {
            return Err(StoreError::NewerSchema { found: current, known });
        }
        if current < known && !allow_behind {
            return Err(StoreError::SchemaBehind { server: self.location.to_string(), found: current, known });
        }
        let rows = self.client.query("SELECT version, sha256 FROM schema_migrations ORDER BY version", &[])?;
        for migration in POSTGRES_MIGRATIONS.iter().filter(|m| m.version <= current) {
            let stored = rows
                .iter()
                .find(|row| row.get::<_, i64>(0) == i64::from(migration.version))
                .map(|row| row.get::<_, String>(1));
            if stored.as_deref() != Some(crate::ingest::hex_sha256(migration.sql.as_bytes()).as_str()) {
                return Err(StoreError::MigrationEdited {
                    version: migration.version,
                    name: migration.name.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Applies the migrations the database lacks, each in its own
    /// transaction holding the migration lock: another process doing the
    /// same waits, then finds nothing left to do.
    ///
    /// The migration lock is `schema_migrations`' table lock in EXCLUSIVE
    /// mode, which only a login that may write that table takes or holds
    /// against it (the owner: the groups only read it, which does not
    /// conflict). An advisory key, which any login that may connect takes
    /// and keeps, let anyone hold the owner's migrations up for good (review
    /// session 9, finding 11).
    fn migrate(&mut self) -> Result<(), StoreError> {
        self.migrate_up_to(u32::MAX)
    }

    /// [`PgStore::migrate`], applying none after `last`.
    fn migrate_up_to(&mut self, last: u32) -> Result<(), StoreError> {
        let known = Self::known_version();
        let failed_first = |error: postgres::Error| StoreError::Migration {
            version: POSTGRES_MIGRATIONS.first().map_or(1, |m| m.version),
            name: POSTGRES_MIGRATIONS.first().map_or("", |m| m.name).to_owned(),
            message: postgres_message(&error),
        };
        // Bookkeeping for the edited-migration check; not part of the product's schema. Made before any lock, as
        // it is the lock: of two first inits at once, the second's CREATE fails once the first's commits, and the
        // table is there. How it fails depends on when the first commits: on the catalog's unique index while the
        // first's was not committed yet, or (committed between the second's look for the table and its look for the
        // table's row type) "type schema_migrations already exists", duplicate_object, which failed a `team init`
        // under load (postgres_store's `two_people_initialising_at_once_apply_the_schema_once`). Whichever, the
        // table is taken as made only if it is there now; else the error stands (a type of that name made by
        // someone else, say).
        if let Err(error) = self.client.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)",
        ) {
            let made_by_another = error.code().is_some_and(|code| {
                *code == postgres::error::SqlState::UNIQUE_VIOLATION
                    || *code == postgres::error::SqlState::DUPLICATE_TABLE
                    || *code == postgres::error::SqlState::DUPLICATE_OBJECT
            });
            if !made_by_another || !self.has_schema_migrations().map_err(failed_first)? {
                return Err(failed_first(error));
            }
        }
        for migration in POSTGRES_MIGRATIONS.iter().filter(|m| m.version <= last) {
            let failed = |error: postgres::Error| StoreError::Migration {
                version: migration.version,
                name: migration.name.to_owned(),
                message: postgres_message(&error),
            };
            let mut tx = self.client.transaction().map_err(failed)?;
            // The migration lock waits for another `team init` as long as it runs (only the owner takes it:
            // a login that reads the table does not conflict), then every table the migration changes is waited
            // for at most the connection's lock timeout: an open read of that table (any login's, in a
            // transaction left open) would otherwise hold `team init` up for as long as it lasts, and every
            // Factdesk reading the table behind `team init`'s own wait with it.
            tx.batch_execute("SET LOCAL lock_timeout = 0; LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .map_err(failed)?;
            tx.batch_execute(&format!("SET LOCAL lock_timeout = {}", self.location.lock_timeout_setting()))
                .map_err(failed)?;
            let current: Option<i64> =
                tx.query_one("SELECT max(version) FROM schema_migrations", &[]).map_err(failed)?.get(0);
            let current = current.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
            if current > known {
                return Err(StoreError::NewerSchema { found: current, known });
            }
            if migration.version <= current {
                continue;
            }
            if migration.version == GROUP_ROLES_MIGRATION {
                make_group_roles(&mut tx, &self.location).map_err(failed)?;
            }
            if let Err(error) = apply(&mut tx, migration) {
                drop(tx); // rolled back: nothing of this migration stays
                if is_lock_timeout(&error) {
                    let held = self.tables_held_by_others(false).ok().and_then(|held| describe_held(&held, true));
                    return Err(StoreError::MigrationBusy {
                        version: migration.version,
                        name: migration.name.to_owned(),
                        held,
                    });
                }
                return Err(failed(error));
            }
            tx.commit().map_err(failed)?;
        }
        Ok(())
    }

    /// Each table of this store another server process holds a lock on, with whose session it is (as every
    /// login may read `pg_locks` and `pg_stat_activity`): what a statement that gave up waiting was waiting for.
    /// `blocking_only`: only the modes that hold up reads or writes (SHARE and stronger; a writer's ROW
    /// EXCLUSIVE or a reader's ACCESS SHARE holds up only a change of the table itself, a migration's). The
    /// connection must not be in a failed transaction.
    fn tables_held_by_others(&mut self, blocking_only: bool) -> Result<Vec<HeldTable>, postgres::Error> {
        let rows = self.client.query(
            "SELECT DISTINCT c.relname::text, coalesce(a.usename::text, '?'), l.pid
             FROM pg_catalog.pg_locks l
             JOIN pg_catalog.pg_class c ON c.oid = l.relation
             LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_catalog.pg_backend_pid() AND l.pid <> $1
               AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                                 WHERE d.datname = pg_catalog.current_database())
               AND c.relnamespace = pg_catalog.current_schema()::pg_catalog.regnamespace
               AND c.relkind IN ('r', 'p')
               AND (NOT $2 OR l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'))
             ORDER BY 1, 3",
            &[&self.backend, &blocking_only],
        )?;
        Ok(rows.iter().map(|row| HeldTable { table: row.get(0), login: row.get(1), process: row.get(2) }).collect())
    }

    /// `error` (a [`StoreError::Busy`] the server named no table for) with the tables other sessions hold
    /// now, asked on this connection when it is in no transaction (`in_transaction`: false), else on a
    /// connection of its own (this one's transaction failed with the wait, and answers nothing until it is
    /// rolled back, which is its caller's to do). Any other error, and any failure to ask, as it was.
    pub(crate) fn name_what_is_held(&mut self, error: StoreError, in_transaction: bool) -> StoreError {
        if !matches!(error, StoreError::Busy { held: None }) {
            return error;
        }
        let held = if in_transaction {
            // `backend` stays this connection's, so its own locks (those its failed transaction still
            // holds) are left out as the asking connection's are.
            let backend = self.backend;
            open_client(&self.location, "factdesk").ok().and_then(|(client, encrypted)| {
                let mut asking =
                    Self { client, location: self.location.clone(), actor: self.actor.clone(), backend, encrypted };
                asking.tables_held_by_others(true).ok()
            })
        } else {
            self.tables_held_by_others(true).ok()
        };
        match held.as_deref().and_then(|held| describe_held(held, false)) {
            Some(held) => StoreError::Busy { held: Some(held) },
            None => error,
        }
    }

    /// Appends one entry's content to the audit trail, in its own
    /// transaction: the server links it (migrations/postgres/0027), holding
    /// the audit lock, after the newest entry, whoever else is writing, and
    /// sets its number, `prev_hash` and `hash`; `entry`'s are not sent, and
    /// nothing of the link is read back (the newest entry may be one this
    /// login may not read, whose hash it must not be given).
    pub fn append_audit_entry(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        off_async_tasks(|| {
            self.client.execute(
                "INSERT INTO audit_log (at, actor, action, entity, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&entry.at, &entry.actor, &entry.action, &entry.entity, &entry.before, &entry.after],
            )?;
            Ok(())
        })
    }

    /// The trail, oldest first; only the entries about `entity` when given.
    pub fn audit_entries(&mut self, entity: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = off_async_tasks(|| {
            self.client.query(
                "SELECT seq, at, actor, action, entity, before, after, prev_hash, hash FROM audit_log
                 WHERE $1::text IS NULL OR entity = $1 ORDER BY seq",
                &[&entity],
            )
        })?;
        Ok(rows.iter().map(entry_from_row).collect())
    }

    /// Every login of the server still holding CREATEROLE (the store's owner and superusers aside): since
    /// migrations/postgres/0031 no person needs it, and before PostgreSQL 16 it lets a login join any role,
    /// the tables' owner's included; a login made CREATEROLE by an old admin may be nobody's person. `team init`
    /// names them.
    pub fn logins_with_createrole(&mut self) -> Result<Vec<String>, StoreError> {
        let rows = off_async_tasks(|| self.client.query("SELECT factdesk_logins_with_createrole()", &[]))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    /// The people of this store whose login keeps a transaction it leaves idle open for good: no
    /// `idle_in_transaction_session_timeout` applies to its sessions in this database (the login's own in this
    /// database, else its own, else the database's, as PostgreSQL picks them), or a zero one. People added since
    /// migrations/postgres/0035 have one; a login may take its own away (`ALTER ROLE` of itself), and on
    /// PostgreSQL 16 and later the owner may not set it on a login it did not create. Superusers aside (no
    /// setting binds one). `team init` names them, with the statement to run; the server's own configuration
    /// file is not read (a server-wide setting there bounds them too). The database's name first.
    pub fn people_with_idle_transactions_unbounded(&mut self) -> Result<(String, Vec<String>), StoreError> {
        off_async_tasks(|| {
            let database: String = self.client.query_one("SELECT current_database()::text", &[])?.get(0);
            let rows = self.client.query(
                "WITH here AS (SELECT d.oid FROM pg_catalog.pg_database d
                               WHERE d.datname = pg_catalog.current_database()),
                      setting AS (SELECT s.setrole, s.setdatabase, o.option_value AS value
                                  FROM pg_catalog.pg_db_role_setting s,
                                       pg_catalog.pg_options_to_table(s.setconfig) o
                                  WHERE o.option_name = 'idle_in_transaction_session_timeout')
                 SELECT DISTINCT p.name::text FROM people p JOIN pg_catalog.pg_roles r ON r.rolname = p.name
                 WHERE NOT r.rolsuper
                   AND coalesce((SELECT t.value FROM setting t, here WHERE t.setrole = r.oid AND t.setdatabase = here.oid),
                                (SELECT t.value FROM setting t WHERE t.setrole = r.oid AND t.setdatabase = 0),
                                (SELECT t.value FROM setting t, here WHERE t.setrole = 0 AND t.setdatabase = here.oid),
                                '0') ~ '^0+[a-z]*$'
                 ORDER BY 1",
                &[],
            )?;
            Ok((database, rows.iter().map(|row| row.get(0)).collect()))
        })
    }

    /// The logins (superusers aside) that are members of the store's owner's role, directly or not: each may
    /// `SET ROLE` to the owner. Before migrations/postgres/0031 an admin holding CREATEROLE could have made
    /// themselves one on PostgreSQL 15. `team init` names them. The owner's name first.
    pub fn members_of_owner(&mut self) -> Result<(String, Vec<String>), StoreError> {
        off_async_tasks(|| {
            let owner: String = self
                .client
                .query_one(
                    "SELECT r.rolname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles r ON r.oid = c.relowner
                     WHERE c.oid = 'people'::regclass",
                    &[],
                )?
                .get(0);
            let rows = self.client.query("SELECT factdesk_members_of_owner()", &[])?;
            Ok((owner, rows.iter().map(|row| row.get(0)).collect()))
        })
    }

    /// The client, for the copy of a SQLite store into this one.
    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The migration that makes the server's group roles (`migrations/postgres/0007_people.sql`).
const GROUP_ROLES_MIGRATION: u32 = 7;

/// Makes the group roles 0007 makes that the server lacks, in `tx` (0007's), waiting for another session's
/// uncommitted ones without limit, before 0007 runs under the lock timeout.
///
/// A role is the whole server's, not one database's: two people running `team init` at once on two stores of a
/// server that has none yet both make them, and the second's `CREATE ROLE` waits for the first's transaction (the
/// role's name is unique server-wide). The migration lock does not order them (it is each store's own table), and
/// 0007 waited only the lock timeout, then failed with `MigrationBusy` though no table was held: a wait for another
/// `team init`, which `team init` waits for as long as it runs. Waited for here instead, the roles then exist and
/// 0007's own `CREATE ROLE` finds them at once (it takes them as made by another store).
fn make_group_roles(tx: &mut postgres::Transaction<'_>, location: &PgLocation) -> Result<(), postgres::Error> {
    let groups: Vec<String> = super::people::GROUP_ROLES.iter().map(|&group| group.to_owned()).collect();
    let missing = tx.query(
        "SELECT g FROM pg_catalog.unnest($1::text[]) g WHERE g NOT IN (SELECT rolname FROM pg_catalog.pg_roles)",
        &[&groups],
    )?;
    if missing.is_empty() {
        return Ok(());
    }
    tx.batch_execute("SET LOCAL lock_timeout = 0")?;
    for row in missing {
        let group: String = row.get(0);
        let mut attempt = tx.savepoint("group_role")?;
        // Refused, the savepoint is rolled back and 0007 goes on as before: the role was made by the other `team
        // init` meanwhile (committed while this waited on it: unique_violation), or this login may not make roles,
        // which 0007 reports.
        if attempt.batch_execute(&format!("CREATE ROLE \"{group}\" NOLOGIN")).is_ok() {
            attempt.commit()?;
        }
    }
    tx.batch_execute(&format!("SET LOCAL lock_timeout = {}", location.lock_timeout_setting()))
}

fn apply(tx: &mut postgres::Transaction<'_>, migration: &Migration) -> Result<(), postgres::Error> {
    tx.batch_execute(migration.sql)?;
    tx.execute(
        "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)",
        &[
            &i64::from(migration.version),
            &migration.name,
            &crate::ingest::hex_sha256(migration.sql.as_bytes()),
            &to_rfc3339(chrono::Utc::now()),
        ],
    )?;
    Ok(())
}

fn entry_from_row(row: &postgres::Row) -> AuditEntry {
    AuditEntry {
        seq: row.get(0),
        at: row.get(1),
        actor: row.get(2),
        action: row.get(3),
        entity: row.get(4),
        before: row.get(5),
        after: row.get(6),
        prev_hash: row.get(7),
        hash: row.get(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted() -> [String; 4] {
        ["db.example".into(), "5432".into(), "desk".into(), "ana".into()]
    }

    #[test]
    fn a_password_in_the_url_is_refused_and_never_repeated() {
        let err = "postgres://ana:s3cret-pw@db.example:5432/desk".parse::<PgLocation>().expect_err("refused");
        assert!(matches!(err, StoreError::PasswordInUrl), "{err}");
        assert!(!err.to_string().contains("s3cret-pw"));
        let err = "postgres://ana@db.example:5432/desk?password=s3cret-pw".parse::<PgLocation>().expect_err("refused");
        assert!(!err.to_string().contains("s3cret-pw"), "{err}");
    }

    #[test]
    fn a_url_shows_without_secrets_and_needs_user_and_database() {
        let location: PgLocation = "postgresql://ana@db.example:6000/desk".parse().expect("valid");
        assert_eq!(location.to_string(), "postgres://ana@db.example:6000/desk");
        assert!(matches!("postgres://db.example/desk".parse::<PgLocation>(), Err(StoreError::BadUrl(_))));
        assert!(matches!("postgres://ana@db.example".parse::<PgLocation>(), Err(StoreError::BadUrl(_))));
        assert!(matches!("/tmp/x.db".parse::<PgLocation>(), Err(StoreError::BadUrl(_))));
    }

    #[test]
    fn the_text_keeps_every_host_and_parameter_so_a_reconnection_goes_to_the_same_place() {
        let written = "postgres://ana@db.example:6000,db2.example:6001/desk?hostaddr=10.0.0.5,10.0.0.6\
                       &connect_timeout=3&channel_binding=require&sslmode=prefer";
        let location: PgLocation = written.parse().expect("valid");
        let text = location.to_string();
        assert_eq!(
            text,
            "postgres://ana@db.example:6000,db2.example:6001/desk?hostaddr=10.0.0.5,10.0.0.6\
             &connect_timeout=3&channel_binding=require&sslmode=prefer"
        );
        let again: PgLocation = text.parse().expect("the text parses again");
        assert_eq!(again.config.get_hostaddrs(), location.config.get_hostaddrs());
        assert_eq!(again.config.get_hosts(), location.config.get_hosts());
        assert_eq!(again.config.get_ports(), location.config.get_ports());
        assert_eq!(again.config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert_eq!(again.config.get_channel_binding(), postgres::config::ChannelBinding::Require);
        assert_eq!(again.tls().mode, TlsMode::Prefer);
        assert_eq!(again.to_string(), text);

        // A Unix socket's folder stays a folder.
        let socket: PgLocation = "postgres://ana@%2Fvar%2Frun%2Fpostgresql/desk".parse().expect("valid");
        let again: PgLocation = socket.to_string().parse().expect("the text parses again");
        assert_eq!(again.config.get_hosts(), socket.config.get_hosts());
        assert_eq!(again.config.get_hosts(), [Host::Unix(PathBuf::from("/var/run/postgresql"))]);
    }

    #[test]
    fn password_file_lines_match_as_libpq_reads_them() {
        assert_eq!(password_line_matches("db.example:5432:desk:ana:pw", &wanted()).as_deref(), Some("pw"));
        assert_eq!(password_line_matches("*:*:*:ana:p\\:w\\\\", &wanted()).as_deref(), Some("p:w\\"));
        assert_eq!(password_line_matches("*:*:*:bo:pw", &wanted()), None);
        assert_eq!(password_line_matches("# *:*:*:*:pw", &wanted()), None);
        assert_eq!(password_line_matches("*:*:*:ana", &wanted()), None);
    }
}
