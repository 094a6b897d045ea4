//! Which engine the command-line tests run on: a SQLite file, or, with
//! `FACTDESK_TEST_ENGINE=postgres`, a team store on the test server standing
//! in for that file (one fresh database per path, made with `factdesk team
//! init`, as a newsroom would). Tests about the file itself (its modes, WAL,
//! backups, power loss) are SQLite's by nature and skip on PostgreSQL.

#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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

/// (success, stdout, stderr) of a factdesk that has run.
pub fn outcome(output: &Output) -> (bool, String, String) {
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `command` (the factdesk binary, its arguments and environment set)
/// with `stdin` as its input: (success, stdout, stderr).
pub fn run_with_input(command: &mut Command, stdin: &str) -> (bool, String, String) {
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run factdesk");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    outcome(&child.wait_with_output().expect("run factdesk"))
}

/// Runs factdesk on the store a test keeps at `db` as the reviewer `ana`,
/// with no passphrase file and `stdin` as its input: (success, stdout
/// trimmed, stderr).
pub fn run_as_ana(db: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.arg("--db").arg(self::db(db)).env_remove("FACTDESK_DB").env_remove("FACTDESK_PASSPHRASE_FILE");
    let (ok, out, err) = run_with_input(command.env("USER", "ana").args(args), stdin);
    (ok, out.trim().to_owned(), err)
}
