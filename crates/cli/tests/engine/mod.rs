//! Which engine the command-line tests run on: a SQLite file, or, with
//! `FACTDESK_TEST_ENGINE=postgres`, a team store on the test server standing
//! in for that file (one fresh database per path, made with `factdesk team
//! init`, as a newsroom would). Tests about the file itself (its modes, WAL,
//! backups, power loss) are SQLite's by nature and skip on PostgreSQL.

#![allow(dead_code)]

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// Whether this run puts its stores on PostgreSQL.
pub fn on_postgres() -> bool {
    test_postgres::on_postgres()
}

/// The database login the tests' commands connect as on PostgreSQL: the
/// reviewer most of them name (`USER=ana`), since a team store records the
/// login, not the name a client claims.
pub const LOGIN: &str = "ana";

/// What `--db` is given for the store a test keeps at `path`.
pub fn db(path: &Path) -> OsString {
    if !on_postgres() {
        return path.as_os_str().to_owned();
    }
    let (url, fresh) = test_postgres::database_for(path);
    if fresh {
        let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .args(["team", "init", &url])
            .env_remove("FACTDESK_DB")
            .output()
            .expect("run factdesk team init");
        assert!(output.status.success(), "team init {url}: {}", String::from_utf8_lossy(&output.stderr));
        test_postgres::grant_login(&url, LOGIN);
    }
    test_postgres::url_as_login(&url, LOGIN).into()
}

/// Runs `sql` on the store a test keeps at `path` behind Factdesk's back (as
/// someone with the file, or the server's administrator, could); the rows
/// it changed.
pub fn tamper(path: &Path, sql: &str) -> u64 {
    if !on_postgres() {
        let conn = rusqlite::Connection::open(path).expect("open by hand");
        return conn.execute(sql, []).expect("alter by hand") as u64;
    }
    let (url, _) = test_postgres::database_for(path);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect by hand");
    client.execute(sql, &[]).expect("alter by hand")
}

/// What `--db` is given for the store at `path` to act as another person:
/// on SQLite the same file (the person is the reviewer name, `USER` for a
/// test), on PostgreSQL the database login `login`, created for the occasion.
pub fn db_as(path: &Path, login: &str) -> OsString {
    if !on_postgres() {
        return path.as_os_str().to_owned();
    }
    db(path);
    let (url, _) = test_postgres::database_for(path);
    test_postgres::grant_login(&url, login);
    test_postgres::url_as_login(&url, login).into()
}
