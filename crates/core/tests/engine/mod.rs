//! Which engine the core's tests run on: a SQLite file, or, with
//! `FACTDESK_TEST_ENGINE=postgres`, a team store on the test server standing
//! in for that file (one fresh database per path, its schema made as
//! `factdesk team init` makes it). Tests about the file itself (its modes,
//! WAL, backups, power loss) are SQLite's by nature and skip on PostgreSQL.

#![allow(dead_code)]

use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::Review;
use factdesk_core::store::postgres::PgStore;
use factdesk_core::store::{SharedStore, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether this run puts its stores on PostgreSQL.
pub fn on_postgres() -> bool {
    test_postgres::on_postgres()
}

/// The database login the tests connect as on PostgreSQL (a team store
/// records the login as who acted, whatever reviewer name a test gives).
pub const LOGIN: &str = "Ana Editor";

/// Opens the store a test keeps at `path`, on this run's engine.
pub fn open(path: &Path) -> Result<Store, StoreError> {
    if !on_postgres() {
        return Store::open(path);
    }
    let (url, fresh) = test_postgres::database_for(path);
    if fresh {
        drop(PgStore::init(&url.parse()?)?);
        test_postgres::grant_login(&url, LOGIN);
    }
    let as_login = test_postgres::url_as_login(&url, &LOGIN.replace(' ', "%20"));
    Store::open(Path::new(&as_login))
}

/// Who a test's reviewer `name` is recorded as on this run's engine.
pub fn recorded_as(name: &str) -> &str {
    if on_postgres() {
        LOGIN
    } else {
        name
    }
}

/// Opens the store a test keeps at `path` as another person: on SQLite the
/// same file (the person is the reviewer name the test gives its review), on
/// PostgreSQL as the database login `login`, created for the occasion.
pub fn open_as(path: &Path, login: &str) -> Result<Store, StoreError> {
    if !on_postgres() {
        return Store::open(path);
    }
    let (url, fresh) = test_postgres::database_for(path);
    assert!(!fresh, "open the store as its first person with `open` first");
    test_postgres::grant_login(&url, login);
    Store::open(Path::new(&test_postgres::url_as_login(&url, &login.replace(' ', "%20"))))
}

/// A desk most tests start from: a fresh folder `desk` holding `files`
/// (name, text), its store `f.db` beside it on this run's engine, scanned
/// once, and Ana Editor's review, all on a clock fixed at `at`.
pub struct ScannedDesk {
    pub tmp: tempfile::TempDir,
    pub folder: PathBuf,
    pub store: SharedStore,
    pub clock: Arc<FixedClock>,
    pub desk: Desk,
    pub review: Review,
}

impl ScannedDesk {
    pub fn new(files: &[(&str, &str)], at: chrono::DateTime<chrono::Utc>) -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        for (name, text) in files {
            std::fs::write(folder.join(name), text).expect("write");
        }
        let store = open(&tmp.path().join("f.db")).expect("store").shared();
        let clock = Arc::new(FixedClock::new(at));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let review = Review::new(store.clone(), clock.clone(), "Ana Editor".into());
        Self { tmp, folder, store, clock, desk, review }
    }
}
