//! A hostile team store must not steer a teammate's Factdesk (issue 13,
//! security review): every login may write rows of `drafts`, so a draft's
//! row is input, not truth. Each test writes the hostile row itself (on a
//! real SQLite file through rusqlite, or on a real team store as a real
//! login with `FACTDESK_TEST_ENGINE=postgres`) and runs the real desk.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, Role};
use factdesk_core::store::{lock, DraftId, SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

const TEXT: &str = "# Story\n\nThe mayor spent 5 million on the bridge.\n";
const SECRET: &str = "The editor's private download: salaries of the masthead.";

static NEXT: AtomicU32 = AtomicU32::new(1);

/// A name no other test uses: on PostgreSQL a login is the whole server's.
fn unique(base: &str) -> String {
    format!("{base}{}x{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Runs `sql` on the store at `db` behind Factdesk's back: on SQLite through
/// rusqlite on the same file, on a team store as the database login `login`.
fn write_behind(db: &Path, login: &str, sql: &str) {
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(db);
        let url = test_postgres::url_as_login(&url, &login.replace(' ', "%20"));
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect as the login");
        client.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    } else {
        rusqlite::Connection::open(db).expect("open").execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// How many stored versions of any draft hold `text`, as the desk's owner sees them.
fn versions_holding(db: &Path, text: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM draft_versions WHERE text LIKE '%{text}%'");
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(db);
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect as superuser");
        client.query_one(&sql, &[]).expect("count").get(0)
    } else {
        rusqlite::Connection::open(db).expect("open").query_row(&sql, [], |row| row.get(0)).expect("count")
    }
}

/// A desk without people whose one draft a lazy scan left unread, and a file
/// outside the desk folder with something the editor keeps to themselves.
struct LazyDesk {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    outside: PathBuf,
    desk: Desk,
    store: SharedStore,
    draft: DraftId,
}

impl LazyDesk {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir_all(folder.join("bo")).expect("mkdir");
        std::fs::write(folder.join("bo").join("story.md"), TEXT).expect("write");
        let outside = tmp.path().join("Downloads").join("report.md");
        std::fs::create_dir_all(outside.parent().expect("parent")).expect("mkdir");
        std::fs::write(&outside, SECRET).expect("write");
        let db = tmp.path().join("f.db");
        let store = engine::open(&db).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(store.clone(), &folder, clock).expect("desk");
        desk.scan_lazily(&mut |_| {}, &mut |_| {}).expect("lazy scan");
        let draft = desk.draft_by_path("bo/story.md").expect("lookup").expect("draft").id;
        assert!(lock(&store).unread_hash(draft).expect("q").is_some(), "the lazy scan left it unread");
        Self { _tmp: tmp, db, outside, desk, store, draft }
    }

    /// Points the draft's row at `path` (and `path_bytes`, SQL), as any login could on a store without the
    /// server's own check. A team store refuses such a row since 0022 (`drafts_path_relative`,
    /// `drafts_path_bytes_relative`): that is checked here, then the checks are dropped as the superuser, so
    /// that what follows shows Factdesk itself refusing the row (a store from before 0022, or one whose owner
    /// took the checks off). A path the server accepts (a name inside the desk) is written as it is.
    fn point_at(&self, path: &str, path_bytes: &str) {
        let path = path.replace('\'', "''");
        let sql = format!("UPDATE drafts SET path = '{path}', path_bytes = {path_bytes} WHERE id = {}", self.draft.0);
        let inside = path_bytes == "NULL" && !path.starts_with('/') && !path.split('/').any(|part| part == "..");
        if engine::on_postgres() && !inside {
            let (url, _) = test_postgres::database_for(&self.db);
            let as_login = test_postgres::url_as_login(&url, &engine::LOGIN.replace(' ', "%20"));
            let mut login = postgres::Client::connect(&as_login, postgres::NoTls).expect("connect as the login");
            let refused = login.batch_execute(&sql).expect_err("the server refuses a path out of the desk");
            let code = refused.as_db_error().map(|e| e.code().code().to_owned());
            assert_eq!(code.as_deref(), Some("23514"), "a check violation: {refused}");
            let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("connect as superuser");
            owner
                .batch_execute(
                    "ALTER TABLE drafts DROP CONSTRAINT drafts_path_relative, DROP CONSTRAINT drafts_path_bytes_relative",
                )
                .expect("drop the server's checks");
        }
        write_behind(&self.db, engine::LOGIN, &sql);
    }

    /// The background pass reads no file outside the desk, stores none of its
    /// text, and shows the draft missing with the reason.
    fn reads_nothing_outside(&self) {
        let read = self.desk.read_all_texts().expect("the background pass does not fail");
        assert!(read.is_empty(), "read {read:?}");
        assert_eq!(versions_holding(&self.db, "salaries of the masthead"), 0, "the file outside was stored");
        let (draft, version) = self.desk.draft(self.draft).expect("lookup").expect("the draft is kept");
        assert!(version.is_none(), "{version:?}");
        assert!(draft.missing, "shown missing: {draft:?}");
        let reason = draft.reason.unwrap_or_default();
        assert!(reason.contains("does not name a file inside the desk folder"), "{reason}");
        assert_eq!(lock(&self.store).unread_hash(self.draft).expect("q"), None, "not tried again");
        // A later scan neither fails nor reads it.
        self.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        assert_eq!(versions_holding(&self.db, "salaries of the masthead"), 0);
    }
}

/// Regression (issue 13, path traversal): an absolute `path_bytes` replaced the desk folder in `root.join`.
#[cfg(unix)]
#[test]
fn a_draft_row_whose_raw_path_is_absolute_is_not_read() {
    let bench = LazyDesk::new();
    let absolute = bench.outside.to_str().expect("utf-8").replace('\'', "''");
    let hex: String = absolute.bytes().map(|b| format!("{b:02x}")).collect();
    let bytes = if engine::on_postgres() { format!("'\\x{hex}'::bytea") } else { format!("X'{hex}'") };
    bench.point_at("bo/story.md", &bytes);
    bench.reads_nothing_outside();
}

/// Regression (issue 13, path traversal): `..` in a stored path walked out of the desk folder.
#[test]
fn a_draft_row_whose_path_walks_out_of_the_desk_is_not_read() {
    let bench = LazyDesk::new();
    bench.point_at("bo/../../Downloads/report.md", "NULL");
    bench.reads_nothing_outside();
}

#[test]
fn a_draft_row_whose_path_is_absolute_is_not_read() {
    let bench = LazyDesk::new();
    bench.point_at(bench.outside.to_str().expect("utf-8"), "NULL");
    bench.reads_nothing_outside();
}

/// A symbolic link inside the folder is not a way out either: a scan records
/// it as skipped, and a row naming it as unread is not read through it.
#[cfg(unix)]
#[test]
fn a_draft_row_naming_a_symbolic_link_in_the_desk_is_not_read() {
    let bench = LazyDesk::new();
    let link = bench.desk.root().join("bo").join("link.md");
    std::os::unix::fs::symlink(&bench.outside, &link).expect("symlink");
    bench.point_at("bo/link.md", "NULL");
    bench.reads_nothing_outside();
}

/// A desk without people, scanned (its draft `bo/story.md` read), and beside
/// it, outside the desk, a folder `Downloads` with a `story.md` of the editor's own.
struct DeskBesideDownloads {
    tmp: tempfile::TempDir,
    db: PathBuf,
    desk: Desk,
}

impl DeskBesideDownloads {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir_all(folder.join("bo")).expect("mkdir");
        std::fs::write(folder.join("bo").join("story.md"), TEXT).expect("write");
        std::fs::create_dir_all(tmp.path().join("Downloads")).expect("mkdir");
        std::fs::write(tmp.path().join("Downloads").join("story.md"), SECRET).expect("write");
        let db = tmp.path().join("f.db");
        let store = engine::open(&db).expect("store").shared();
        let desk = Desk::open(store, &folder, Arc::new(FixedClock::new(chrono::Utc::now()))).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        assert!(desk.draft_by_path("bo/story.md").expect("lookup").is_some());
        Self { tmp, db, desk }
    }

    /// Puts a symbolic link to `Downloads` at `name` in the desk folder.
    #[cfg(unix)]
    fn link_to_downloads(&self, name: &str) {
        std::os::unix::fs::symlink(self.tmp.path().join("Downloads"), self.desk.root().join(name)).expect("symlink");
    }
}

/// Regression (issue 13, TOCTOU): a folder swapped for a symbolic link after
/// the watcher saw a file in it (another person on a shared network folder
/// can, in the 150 ms the watcher waits for a burst to settle; a scan has the
/// same gap between listing and reading) was read through: the path was
/// checked name by name, then opened whole.
#[cfg(unix)]
#[test]
fn the_watcher_does_not_read_through_a_folder_swapped_for_a_link() {
    let bench = DeskBesideDownloads::new();
    let root = bench.desk.root().to_path_buf();
    // bo/story.md was saved (the event is on its way), then bo is swapped.
    std::fs::rename(root.join("bo"), bench.tmp.path().join("bo-moved")).expect("move bo away");
    bench.link_to_downloads("bo");
    let events = bench.desk.apply_changes(&[root.join("bo").join("story.md")], &[]).expect("applied");
    assert_eq!(versions_holding(&bench.db, "salaries of the masthead"), 0, "read through the link: {events:?}");
    assert!(bench.desk.draft_by_path("bo/story.md").expect("lookup").is_some(), "the draft is kept");
}

/// Regression (issue 13): `factdesk draft move` opened the path it was given
/// whole, so a folder of the desk that is a link to one outside was read through.
#[cfg(unix)]
#[test]
fn draft_move_does_not_read_through_a_folder_that_is_a_link() {
    let bench = DeskBesideDownloads::new();
    std::fs::remove_file(bench.desk.root().join("bo").join("story.md")).expect("rm");
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    assert!(bench.desk.draft_by_path("bo/story.md").expect("lookup").expect("kept").missing);
    bench.link_to_downloads("shared");
    let refused = bench.desk.carry_review("ed", "bo/story.md", "shared/story.md").expect_err("not carried");
    assert!(refused.to_string().contains("there is no file shared/story.md in the desk"), "{refused}");
    assert_eq!(versions_holding(&bench.db, "salaries of the masthead"), 0, "read through the link");
    assert!(bench.desk.draft_by_path("bo/story.md").expect("lookup").expect("kept").missing, "nothing moved");
    // A file in a real folder of the desk is still carried to.
    std::fs::create_dir(bench.desk.root().join("cy")).expect("mkdir");
    std::fs::write(bench.desk.root().join("cy").join("story.md"), TEXT).expect("write");
    let carried = bench.desk.carry_review("ed", "bo/story.md", "cy/story.md").expect("carried");
    assert_eq!(bench.desk.draft_by_path("cy/story.md").expect("lookup").map(|d| d.id), Some(carried));
}

/// A row naming a file under a folder of the desk that is a link: the
/// background pass opens nothing through it.
#[cfg(unix)]
#[test]
fn a_draft_row_through_a_folder_that_is_a_link_is_not_read() {
    let bench = LazyDesk::new();
    std::os::unix::fs::symlink(bench.outside.parent().expect("Downloads"), bench.desk.root().join("dl"))
        .expect("symlink");
    bench.point_at("dl/report.md", "NULL");
    bench.reads_nothing_outside();
}

/// A desk with people: an admin, reporters bo and cy (each with `story.md`
/// in their folder, cy's with a claim) and an editor.
struct Team {
    _tmp: tempfile::TempDir,
    db: PathBuf,
    folder: PathBuf,
    clock: Arc<FixedClock>,
    bo: String,
    cy: String,
    editor: String,
    cys_draft: DraftId,
}

impl Team {
    fn staffed() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        let (bo, cy, editor) = (unique("bo"), unique("cy"), unique("ed"));
        std::fs::create_dir_all(folder.join(&bo)).expect("mkdir");
        std::fs::create_dir_all(folder.join(&cy)).expect("mkdir");
        std::fs::write(folder.join(&bo).join("notes.md"), "# Notes\n\nBo's own notes.\n").expect("write");
        std::fs::write(folder.join(&cy).join("story.md"), TEXT).expect("write");
        let db = tmp.path().join("f.db");
        let admin = engine::open(&db).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(admin.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let cys_draft = desk.draft_by_path(&format!("{cy}/story.md")).expect("lookup").expect("draft").id;
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        let add = |name: &str, role| {
            let store = lock(&admin);
            rights::add_person(&store, desk.id(), name, role, engine::LOGIN, chrono::Utc::now(), Some(&verifier))
                .expect("add");
        };
        add(engine::LOGIN, Role::Admin);
        add(&bo, Role::Reporter);
        add(&cy, Role::Reporter);
        add(&editor, Role::Editor);
        Self { _tmp: tmp, db, folder, clock, bo, cy, editor, cys_draft }
    }

    /// The store as `name` sees it: on SQLite the same file, on a team store their own login.
    fn store_of(&self, name: &str) -> SharedStore {
        let store = if engine::on_postgres() {
            let (url, _) = test_postgres::database_for(&self.db);
            Store::open(Path::new(&test_postgres::url_as_login(&url, &name.replace(' ', "%20")))).expect("login")
        } else {
            Store::open(&self.db).expect("open")
        };
        store.shared()
    }

    /// `name`'s Factdesk opening the desk and scanning it.
    fn scanned_by(&self, name: &str) -> Desk {
        let desk = Desk::open(self.store_of(name), &self.folder, self.clock.clone()).expect("open the desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk
    }

    /// cy's draft is where it was, missing, and no other draft has its id.
    fn cys_draft_stayed(&self, desk: &Desk, new_path: &str) {
        let cys = desk.draft_by_path(&format!("{}/story.md", self.cy)).expect("lookup").expect("cy's draft");
        assert!(cys.id == self.cys_draft && cys.missing, "cy's draft stays where it was, missing: {cys:?}");
        let new = desk.draft_by_path(new_path).expect("lookup").expect("the new file is a draft");
        assert_ne!(new.id, self.cys_draft, "the review was carried to {new_path}");
    }
}

/// Regression (issue 13, review carried across owner folders): a reporter sets another reporter's draft missing
/// and writes its text into a file of her own; the editor's scan took her file for that draft, moved, and gave
/// her its review.
#[test]
fn an_editors_scan_does_not_carry_a_review_to_a_file_with_its_text_in_another_owner_folder() {
    let team = Team::staffed();
    let mine = format!("{}/mine.md", team.bo);
    std::fs::write(team.folder.join(&mine), TEXT).expect("bo writes cy's text into her own file");
    std::fs::remove_file(team.folder.join(&team.cy).join("story.md")).expect("cy's file gone meanwhile");
    write_behind(&team.db, &team.bo, &format!("UPDATE drafts SET missing = TRUE WHERE id = {}", team.cys_draft.0));
    let desk = team.scanned_by(&team.editor);
    team.cys_draft_stayed(&desk, &mine);
}

/// The same by the file's identity (device and inode, which a reporter could also copy onto another's row):
/// here the very file moves across owner folders. Only an editor carries a review there, explicitly; a scan,
/// whoever runs it, records a new draft and leaves the old one missing.
#[test]
fn a_scan_does_not_carry_a_review_across_owner_folders_even_for_the_same_file() {
    let team = Team::staffed();
    let taken = format!("{}/taken.md", team.bo);
    std::fs::rename(team.folder.join(&team.cy).join("story.md"), team.folder.join(&taken)).expect("move");
    for who in [team.bo.clone(), team.editor.clone()] {
        let desk = team.scanned_by(&who);
        team.cys_draft_stayed(&desk, &taken);
    }
}

/// The watcher's path: a rename event from one owner folder to another is not followed with the review.
#[test]
fn the_watcher_does_not_follow_a_rename_across_owner_folders() {
    let team = Team::staffed();
    let desk = Desk::open(team.store_of(&team.editor), &team.folder, team.clock.clone()).expect("open");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let (from, to) = (team.folder.join(&team.cy).join("story.md"), team.folder.join(&team.bo).join("taken.md"));
    std::fs::rename(&from, &to).expect("move");
    desk.apply_changes(&[], &[(from, to)]).expect("apply");
    team.cys_draft_stayed(&desk, &format!("{}/taken.md", team.bo));
}

/// A rename inside an owner folder keeps its review, on a desk with people too.
#[test]
fn a_rename_inside_an_owner_folder_keeps_the_review() {
    let team = Team::staffed();
    let renamed = format!("{}/story-final.md", team.cy);
    std::fs::rename(team.folder.join(&team.cy).join("story.md"), team.folder.join(&renamed)).expect("rename");
    let desk = team.scanned_by(&team.editor);
    assert_eq!(desk.draft_by_path(&renamed).expect("lookup").map(|d| d.id), Some(team.cys_draft));
}

/// What the check lets through: a draft whose name is not UTF-8 (its row keeps the raw bytes, its display form
/// `\xNN` escapes) is read as before.
#[cfg(unix)]
#[test]
fn a_draft_whose_name_is_not_utf8_is_still_read() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir_all(folder.join("bo")).expect("mkdir");
    std::fs::write(folder.join("bo").join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")), TEXT).expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let desk = Desk::open(store, &folder, Arc::new(FixedClock::new(chrono::Utc::now()))).expect("desk");
    desk.scan_lazily(&mut |_| {}, &mut |_| {}).expect("lazy scan");
    let draft = desk.draft_by_path("bo/caf\\xe9.md").expect("lookup").expect("draft").id;
    assert_eq!(desk.read_all_texts().expect("read"), vec![draft]);
    let (_, version) = desk.draft(draft).expect("lookup").expect("draft");
    assert!(version.expect("its text").text.contains("5 million"));
}

/// Regression (issue 13): the client recorded `current_user` as who acts, the server's trigger checks
/// `session_user`. A login whose default role is its group (`ALTER ROLE … SET role`) had every write refused.
#[test]
fn on_a_team_store_the_actor_is_the_login_the_server_authenticated() {
    if !engine::on_postgres() {
        return;
    }
    let team = Team::staffed();
    let (url, _) = test_postgres::database_for(&team.db);
    let mut superuser = postgres::Client::connect(&url, postgres::NoTls).expect("connect as superuser");
    superuser.batch_execute(&format!("ALTER ROLE \"{}\" SET role = 'factdesk_editor'", team.editor)).expect("role");
    let review = Review::new(team.store_of(&team.editor), team.clock.clone(), team.editor.clone());
    let quote = TextQuoteSelector {
        exact: "The mayor spent 5 million on the bridge.".into(),
        prefix: String::new(),
        suffix: String::new(),
    };
    review.add_claim(team.cys_draft, &quote, ClaimStatus::NeedsCorroboration).expect("the editor tags a claim");
    let actor: String = superuser
        .query_one("SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1", &[])
        .expect("the newest entry")
        .get(0);
    assert_eq!(actor, team.editor);
}

/// Regression (issue 13): the CA file's mode and owner were read through a symbolic link, then the path opened
/// again. A link as the CA file's last name is refused; the file itself is still taken.
#[cfg(unix)]
#[test]
fn a_ca_file_named_through_a_symbolic_link_is_refused() {
    use factdesk_core::store::postgres::{PgLocation, PgStore};
    use factdesk_core::store::StoreError;
    let server = test_postgres::tls::server();
    let url = server.database();
    let tmp = tempfile::tempdir().expect("tmp");
    let link = tmp.path().join("ca.pem");
    std::os::unix::fs::symlink(&server.ca_file, &link).expect("symlink");
    let location = |ca: &Path| -> PgLocation {
        format!("{url}?sslmode=require&sslrootcert={}", ca.display()).parse().expect("test URL")
    };
    let Err(error) = PgStore::init(&location(&link)) else { panic!("a CA file named through a link was used") };
    assert!(matches!(error, StoreError::BadCaFile { .. }), "{error:?}");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(PgStore::init(&location(&server.ca_file)).expect("the file itself").encrypted());
}
