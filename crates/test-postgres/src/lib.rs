//! Test support: a real PostgreSQL server for the tests of the team store,
//! and a fresh database for each test. Never a mock.
//!
//! The server is the one `make test` started (`scripts/pg-test-cluster.sh run`
//! passes its URL in `FACTDESK_TEST_POSTGRES`), or else one this test process
//! starts on first use (`scripts/pg-test-cluster.sh start PID`), which stops
//! itself and deletes its folder once the process has exited, passed or failed.
//!
//! ```no_run
//! let db = test_postgres::database();
//! let mut client = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
//! client.batch_execute("CREATE TABLE t (x int)").expect("create");
//! ```
//!
//! This is test code: a server that cannot be started is a failed test, so
//! it panics with the reason rather than returning errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

pub mod tls;

/// The environment variable `make test` sets to the running test server's URL.
pub const SERVER_VARIABLE: &str = "FACTDESK_TEST_POSTGRES";

static SERVER: OnceLock<String> = OnceLock::new();
static NEXT_DATABASE: AtomicU32 = AtomicU32::new(1);

/// The URL of the test server's maintenance database (`…/postgres`), as its
/// superuser `factdesk`, trusted on 127.0.0.1 only.
///
/// # Panics
/// When no server is given and none can be started (PostgreSQL not installed).
pub fn server_url() -> &'static str {
    SERVER.get_or_init(|| {
        if let Some(url) = std::env::var(SERVER_VARIABLE).ok().filter(|url| !url.is_empty()) {
            return url;
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-test-cluster.sh");
        let output = Command::new(script)
            .arg("start")
            .arg(std::process::id().to_string())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {script}: {e:?}"));
        assert!(
            output.status.success(),
            "could not start a test PostgreSQL server: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    })
}

/// The URL of database `name` on the test server, as `user`.
pub fn url_of(user: &str, name: &str) -> String {
    let server = server_url();
    let (base, _) = server.rsplit_once('/').unwrap_or((server, ""));
    let (_, host) = base.split_once('@').unwrap_or(("", base.trim_start_matches("postgres://")));
    format!("postgres://{user}@{host}/{name}")
}

/// A fresh, empty database on the test server, dropped when this goes.
pub struct TestDatabase {
    /// The database's name.
    pub name: String,
    /// Its URL as the superuser `factdesk`.
    pub url: String,
}

impl TestDatabase {
    /// Its URL as another login (see [`TestDatabase::create_login`]).
    pub fn url_as(&self, user: &str) -> String {
        url_of(user, &self.name)
    }

    /// Creates login `user` (a cluster-wide role, kept if it exists) with
    /// every right on this database's schema: a second person of a team.
    ///
    /// # Panics
    /// When the server refuses.
    pub fn create_login(&self, user: &str) {
        let mut client = admin_client(&self.url);
        let role_exists = client
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&user])
            .unwrap_or_else(|e| panic!("look up role {user}: {e:?}"))
            .is_some();
        if !role_exists {
            // Two tests may create the same login at once: the loser's error is fine.
            let _ = client.batch_execute(&format!("CREATE ROLE \"{user}\" LOGIN"));
        }
        client
            .batch_execute(&format!(
                "GRANT ALL ON DATABASE \"{db}\" TO \"{user}\"; GRANT ALL ON SCHEMA public TO \"{user}\";
                 GRANT ALL ON ALL TABLES IN SCHEMA public TO \"{user}\";
                 GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO \"{user}\"",
                db = self.name
            ))
            .unwrap_or_else(|e| panic!("grant {user} on {}: {e}", self.name));
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Best effort: the whole cluster is thrown away at the end anyway.
        if let Ok(mut client) = postgres::Client::connect(server_url(), postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| panic!("connect to {url}: {e:?}"))
}

/// The environment variable that runs the store, core and command-line
/// suites on a team store: `FACTDESK_TEST_ENGINE=postgres` (`make test` runs
/// them once on SQLite, then once so).
pub const ENGINE_VARIABLE: &str = "FACTDESK_TEST_ENGINE";

/// Whether this run of the suites puts its stores on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(ENGINE_VARIABLE).is_ok_and(|engine| engine == "postgres")
}

static STORES: Mutex<Option<HashMap<PathBuf, TestDatabase>>> = Mutex::new(None);

/// The database standing in for the SQLite file a test would keep at
/// `path`: the same path gives the same database for the whole test
/// process (several commands of one test share their store), a new path a
/// fresh one. `true` with it when it was just created (its schema is the
/// caller's to make: `factdesk team init`). Kept until the cluster goes.
///
/// # Panics
/// When the server cannot be reached or refuses.
pub fn database_for(path: &Path) -> (String, bool) {
    let mut stores = STORES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let stores = stores.get_or_insert_with(HashMap::new);
    if let Some(db) = stores.get(path) {
        return (db.url.clone(), false);
    }
    let db = database();
    let url = db.url.clone();
    stores.insert(path.to_owned(), db);
    (url, true)
}

/// `url` (a test database's, as its superuser) as login `user`.
pub fn url_as_login(url: &str, user: &str) -> String {
    let name = url.rsplit('/').next().unwrap_or_default();
    url_of(user, name)
}

/// Creates login `user` with every right on the tables of the database at
/// `url` (a test database's, as its superuser), as [`TestDatabase::create_login`].
///
/// # Panics
/// When the server refuses.
pub fn grant_login(url: &str, user: &str) {
    let name = url.rsplit('/').next().unwrap_or_default().to_owned();
    let db = std::mem::ManuallyDrop::new(TestDatabase { name, url: url.to_owned() });
    db.create_login(user);
}

/// Creates a fresh database on the test server, named after this process and
/// a counter, so test binaries sharing one server never collide.
///
/// # Panics
/// When the server cannot be reached or refuses.
pub fn database() -> TestDatabase {
    let number = NEXT_DATABASE.fetch_add(1, Ordering::Relaxed);
    let name = format!("factdesk_test_{}_{number}", std::process::id());
    let mut client = admin_client(server_url());
    // One statement per call: several in one string run as one transaction, which CREATE DATABASE refuses.
    for statement in [format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"), format!("CREATE DATABASE \"{name}\"")]
    {
        client.batch_execute(&statement).unwrap_or_else(|e| panic!("create database {name}: {e:?}"));
    }
    TestDatabase { url: url_of("factdesk", &name), name }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_test_gets_its_own_database_on_a_real_server() {
        let first = super::database();
        let second = super::database();
        assert_ne!(first.name, second.name);
        let mut client = postgres::Client::connect(&first.url, postgres::NoTls).expect("connect");
        let row = client.query_one("SELECT current_database(), current_user, version()", &[]).expect("query");
        assert_eq!(row.get::<_, String>(0), first.name);
        assert_eq!(row.get::<_, String>(1), "factdesk");
        assert!(row.get::<_, String>(2).starts_with("PostgreSQL "));
    }
}
