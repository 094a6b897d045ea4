//! A desk's vault on a real SQLite file (issue 10): existing plaintext is
//! sealed and scrubbed from the file, a locked vault writes nothing, a wrong
//! passphrase changes nothing, the recovery key opens it, a rotation
//! re-seals every field, a sealed value moved to another source does not
//! open, and an internal report's reveal names the reviewer.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::report::{self, GatherOptions, Profile, Scope};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, Role};
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, DeskId, SharedStore, Store};
use factdesk_core::vault::VaultError;
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\nSix workers were injured on Tuesday, a senior plant manager said.\n";
const IDENTITY: &str = "Ottoline Brackenridge-Vasquez";
const CONTACT: &str = "ottoline.vq@example.invalid";

struct Bench {
    tmp: tempfile::TempDir,
    store: SharedStore,
    clock: Arc<FixedClock>,
    desk: Desk,
    review: Review,
}

impl Bench {
    fn new() -> Self {
        let engine::ScannedDesk { tmp, store, clock, desk, review, .. } =
            engine::ScannedDesk::new(&[("story.txt", STORY)], chrono::Utc::now());
        Self { tmp, store, clock, desk, review }
    }

    fn db(&self) -> PathBuf {
        self.tmp.path().join("f.db")
    }

    fn unnamed(&self, identity: &str) -> factdesk_core::store::SourceId {
        let new = NewSource {
            descriptor: "a senior plant manager".into(),
            kind: SourceKind::Unnamed,
            notes: String::new(),
            confidential: Some(Confidential {
                identity: Some(identity.into()),
                contact: Some(CONTACT.into()),
                first_hand: Some(true),
                ..Confidential::default()
            }),
        };
        self.review.add_source(self.desk.id(), &new).expect("source")
    }

    /// A fresh review of the same store: nothing unlocked.
    fn locked_review(&self) -> Review {
        Review::new(self.store.clone(), self.clock.clone(), "Ana Editor".into())
    }

    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        factdesk_core::clock::Clock::now(self.clock.as_ref())
    }

    fn trail_len(&self) -> usize {
        self.review.audit_trail(None).expect("trail").len()
    }
}

fn is_locked<T>(result: Result<T, SourcingError>) -> bool {
    matches!(result, Err(SourcingError::Vault(VaultError::Locked(_))))
}

fn secret(text: &str) -> SecretString {
    SecretString::from(text)
}

fn file_holds(path: &Path, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

fn db_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut name = db.as_os_str().to_owned();
            name.push(s);
            PathBuf::from(name)
        })
        .collect()
}

#[test]
fn setting_up_the_vault_seals_existing_plaintext_and_leaves_none_in_the_file() {
    if engine::on_postgres() {
        return; // it reads the SQLite file's bytes
    }
    let bench = Bench::new();
    let source = bench.unnamed(IDENTITY);
    // Edited before the vault: the old value must not survive in a free page either.
    bench
        .review
        .set_confidential(source, &Confidential { identity: Some(format!("{IDENTITY} Jr")), ..Confidential::default() })
        .expect("edit");
    bench
        .review
        .set_confidential(source, &Confidential { identity: Some(IDENTITY.into()), ..Confidential::default() })
        .expect("edit back");
    assert!(db_files(&bench.db()).iter().any(|f| file_holds(f, IDENTITY.as_bytes())), "plain before the vault");

    let recovery = bench.review.init_vault(bench.desk.id(), &secret("correct horse battery")).expect("init");
    assert_eq!(recovery.expose().len(), 71, "eight groups of eight hex digits");
    for file in db_files(&bench.db()) {
        for needle in [IDENTITY.as_bytes(), CONTACT.as_bytes()] {
            assert!(!file_holds(&file, needle), "{} still holds a plain value", file.display());
        }
        let utf16: Vec<u8> = IDENTITY.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(!file_holds(&file, &utf16));
    }
    // The review that set it up holds the key; the fields read back exactly.
    let fields = bench.review.reveal_source(source).expect("reveal");
    assert_eq!(
        (fields.identity.as_deref(), fields.contact.as_deref(), fields.first_hand),
        (Some(IDENTITY), Some(CONTACT), Some(true))
    );
    // Still recorded (masked) for whoever has no key.
    let view = bench.locked_review().source(source).expect("view");
    assert!(view.confidential.identity && view.confidential.contact && view.confidential.first_hand);
}

#[test]
fn a_locked_vault_reveals_and_writes_nothing_and_a_wrong_passphrase_changes_nothing() {
    let bench = Bench::new();
    let source = bench.unnamed(IDENTITY);
    bench.review.init_vault(bench.desk.id(), &secret("correct horse battery")).expect("init");
    let locked = bench.locked_review();
    let entries = bench.trail_len();

    assert!(is_locked(locked.reveal_source(source)));
    assert!(is_locked(
        locked.set_confidential(source, &Confidential { identity: Some("x".into()), ..Confidential::default() })
    ));
    let new = NewSource {
        descriptor: "another".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential { identity: Some("Someone Else".into()), ..Confidential::default() }),
    };
    assert!(is_locked(locked.add_source(bench.desk.id(), &new).map(|_| ())));
    assert_eq!(locked.sources(bench.desk.id()).expect("sources").len(), 1, "nothing added");

    let wrong = locked.unlock_vault(bench.desk.id(), &secret("not the passphrase"));
    assert!(matches!(wrong, Err(SourcingError::Vault(VaultError::WrongPassphrase))), "{wrong:?}");
    assert_eq!(bench.trail_len(), entries, "a refused unlock or write records nothing");
    assert!(!locked.is_vault_unlocked(bench.desk.id()));

    locked.unlock_vault(bench.desk.id(), &secret("correct horse battery")).expect("unlock");
    assert_eq!(locked.reveal_source(source).expect("reveal").identity.as_deref(), Some(IDENTITY));
    let trail = locked.audit_trail(None).expect("trail");
    let actions: Vec<(&str, &str)> =
        trail.iter().skip(entries).map(|e| (e.action.as_str(), e.actor.as_str())).collect();
    assert_eq!(actions, [("vault.unlock", "Ana Editor"), ("source.reveal", "Ana Editor")]);
    assert!(trail.iter().all(|e| !format!("{e:?}").contains(IDENTITY)), "no identity in the trail");
}

#[test]
fn the_recovery_key_opens_the_vault_and_a_rotation_reseals_every_field() {
    if engine::on_postgres() {
        return; // it reads the SQLite file by hand
    }
    let bench = Bench::new();
    let first = bench.unnamed(IDENTITY);
    let second = bench.unnamed("Second Person");
    let recovery = bench.review.init_vault(bench.desk.id(), &secret("correct horse battery")).expect("init");
    let typed = secret(&recovery.expose().to_uppercase().replace('-', " "));
    let other = bench.locked_review();
    other.unlock_vault_with_recovery(bench.desk.id(), &typed).expect("recovery opens it, however it is typed");
    assert_eq!(other.reveal_source(first).expect("reveal").identity.as_deref(), Some(IDENTITY));
    other.change_vault_passphrase(bench.desk.id(), &secret("a brand new passphrase")).expect("passwd");
    assert!(bench.locked_review().unlock_vault(bench.desk.id(), &secret("correct horse battery")).is_err());

    let before: Vec<Vec<u8>> = sealed(&bench.db());
    let rotated = other.rotate_vault_key(bench.desk.id(), &secret("a brand new passphrase")).expect("rotate");
    let after: Vec<Vec<u8>> = sealed(&bench.db());
    assert_eq!(before.len(), after.len());
    assert!(before.iter().all(|b| !after.contains(b)), "every field re-sealed");
    let fresh = bench.locked_review();
    assert!(fresh.unlock_vault_with_recovery(bench.desk.id(), &typed).is_err(), "the old recovery key opens nothing");
    fresh.unlock_vault_with_recovery(bench.desk.id(), &secret(rotated.expose())).expect("the new one does");
    assert_eq!(fresh.reveal_source(second).expect("reveal").identity.as_deref(), Some("Second Person"));
}

fn sealed(db: &Path) -> Vec<Vec<u8>> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare("SELECT ciphertext FROM source_sealed ORDER BY source_id, field").expect("q");
    stmt.query_map([], |row| row.get(0)).expect("rows").collect::<Result<_, _>>().expect("sealed")
}

#[test]
fn a_sealed_value_moved_to_another_source_does_not_open() {
    if engine::on_postgres() {
        return; // it edits the SQLite file by hand
    }
    let bench = Bench::new();
    let first = bench.unnamed(IDENTITY);
    let second = bench.unnamed("Second Person");
    bench.review.init_vault(bench.desk.id(), &secret("correct horse battery")).expect("init");
    {
        rusqlite::Connection::open(bench.db())
            .expect("open")
            .execute(
                "UPDATE source_sealed SET nonce = (SELECT nonce FROM source_sealed WHERE source_id = ?1 AND field = 'identity'),
                     ciphertext = (SELECT ciphertext FROM source_sealed WHERE source_id = ?1 AND field = 'identity')
                 WHERE source_id = ?2 AND field = 'identity'",
                [first.0, second.0],
            )
            .expect("swap by hand");
    }
    let moved = bench.review.reveal_source(second);
    assert!(matches!(moved, Err(SourcingError::Vault(VaultError::Tampered(_)))), "{moved:?}");
}

#[test]
fn an_internal_report_reveals_as_the_reviewer_set_in_factdesk() {
    let bench = Bench::new();
    Review::set_reviewer_name(&lock(&bench.store), "Ana Editor").expect("reviewer");
    let claim = bench
        .review
        .add_claim(
            bench.desk.draft_by_path("story.txt").expect("q").expect("draft").id,
            &TextQuoteSelector {
                exact: "Six workers were injured".into(),
                prefix: String::new(),
                suffix: String::new(),
            },
            ClaimStatus::NeedsCorroboration,
        )
        .expect("claim");
    let source = bench.unnamed(IDENTITY);
    bench.review.link_source(claim, source, SourceRole::Attributed).expect("link");
    bench.review.init_vault(bench.desk.id(), &secret("correct horse battery")).expect("init");
    let options = GatherOptions { profile: Profile::Internal, include_text: false };
    let locked = report::gather(&bench.store, bench.clock.clone(), Scope::Desk(bench.desk.id()), &options);
    assert!(locked.is_err(), "an internal report of a locked vault is refused");
    let model = report::gather_as(&bench.review, Scope::Desk(bench.desk.id()), &options).expect("gather");
    let json = String::from_utf8(report::render(&model, report::Format::Json, &Default::default()).expect("render"))
        .expect("utf8");
    assert!(json.contains(IDENTITY));
    let reveals: Vec<String> = bench
        .review
        .audit_trail(None)
        .expect("trail")
        .into_iter()
        .filter(|e| e.action == "source.reveal")
        .map(|e| e.actor)
        .collect();
    assert_eq!(reveals, ["Ana Editor"]);
}

#[test]
fn wrong_passphrases_are_slowed_down_per_desk_and_a_right_one_clears_the_count() {
    use factdesk_core::vault::{retry_delay, MAX_RETRY_DELAY};
    use std::time::Duration;
    assert_eq!(
        (1..=6).map(retry_delay).collect::<Vec<_>>(),
        [0, 0, 5, 10, 20, 40].map(Duration::from_secs),
        "two free, then 5 s doubling"
    );
    assert_eq!(retry_delay(40), MAX_RETRY_DELAY);

    let bench = Bench::new();
    let desk = bench.desk.id();
    bench.review.init_vault(desk, &secret("correct horse battery")).expect("init");
    let locked = bench.locked_review();
    let wrong = || locked.unlock_vault(desk, &secret("not the passphrase"));
    for _ in 0..3 {
        assert!(matches!(wrong(), Err(SourcingError::Vault(VaultError::WrongPassphrase))));
    }
    // The third wrong one makes the next attempt wait 5 s, even with the right passphrase.
    let refused = locked.unlock_vault(desk, &secret("correct horse battery"));
    match refused {
        Err(SourcingError::Vault(error @ VaultError::Throttled { seconds: 5 })) => {
            assert!(error.to_string().contains("try again in 5 s"), "{error}");
        }
        other => panic!("expected a 5 s wait, got {other:?}"),
    }
    assert!(!locked.is_vault_unlocked(desk));
    assert_eq!(locked.vault_status(desk).expect("status").retry_after_seconds, 5);
    // Another process (a second review on the same file) waits too.
    let other = Review::new(bench.store.clone(), bench.clock.clone(), "Someone Else".into());
    assert!(matches!(
        other.unlock_vault(desk, &secret("correct horse battery")),
        Err(SourcingError::Vault(VaultError::Throttled { .. }))
    ));

    bench.clock.advance(5);
    assert!(matches!(wrong(), Err(SourcingError::Vault(VaultError::WrongPassphrase))), "a fourth wrong one");
    bench.clock.advance(9);
    assert!(matches!(
        locked.unlock_vault(desk, &secret("correct horse battery")),
        Err(SourcingError::Vault(VaultError::Throttled { seconds: 1 }))
    ));
    bench.clock.advance(1);
    locked.unlock_vault(desk, &secret("correct horse battery")).expect("unlock once the 10 s passed");
    let status = locked.vault_status(desk).expect("status");
    assert!(status.has_vault && status.unlocked && status.retry_after_seconds == 0, "{status:?}");
    // Cleared: the next wrong one is free again.
    locked.lock_vault(desk);
    assert!(matches!(wrong(), Err(SourcingError::Vault(VaultError::WrongPassphrase))));
    locked.unlock_vault(desk, &secret("correct horse battery")).expect("no wait after one wrong passphrase");
}

/// The unlock dialog says why *Remember on this computer* is not offered: on a team store, because it is one
/// (it said "an in-memory database cannot be remembered" there: teamtry C6).
#[test]
fn why_a_vault_is_not_remembered_on_this_computer_names_the_team_store() {
    if !engine::on_postgres() {
        return; // a file: whether this computer's keyring answers is the machine's, not the store's
    }
    let bench = Bench::new();
    let desk = bench.desk.id();
    bench.review.init_vault(desk, &secret("correct horse battery")).expect("init");
    let why = bench.review.vault_status(desk).expect("status").keyring_unavailable.expect("not offered");
    assert!(!why.contains("in-memory"), "{why}");
    assert_eq!(
        why,
        "a team store's vault is not remembered on a computer: each person unlocks it with their own passphrase"
    );
}

#[test]
fn an_unlocked_vault_locks_itself_once_unused_for_the_idle_time() {
    use factdesk_core::vault::{idle_minutes, set_idle_minutes, UnlockedKeys, DEFAULT_IDLE_MINUTES};
    use std::time::Duration;
    let bench = Bench::new();
    let desk = bench.desk.id();
    let source = bench.unnamed(IDENTITY);
    bench.review.init_vault(desk, &secret("correct horse battery")).expect("init");

    // The window's commands each make a review; the keys they share outlive them.
    let keys = UnlockedKeys::default();
    let review = || bench.locked_review().with_unlocked_keys(keys.clone());
    review().unlock_vault(desk, &secret("correct horse battery")).expect("unlock");
    assert!(review().is_vault_unlocked(desk));
    assert_eq!(idle_minutes(&lock(&bench.store)), DEFAULT_IDLE_MINUTES);
    assert!(set_idle_minutes(&lock(&bench.store), 0).is_err());
    assert_eq!(set_idle_minutes(&lock(&bench.store), 2).expect("set"), 2);
    assert_eq!(review().vault_status(desk).expect("status").idle_minutes, 2);

    let idle = Duration::from_secs(120);
    bench.clock.advance(100);
    assert!(keys.lock_idle(bench.clock_now(), idle).is_empty(), "used 100 s ago: still open");
    // A reveal is a use: the idle time starts again from it.
    review().reveal_source(source).expect("reveal");
    bench.clock.advance(100);
    assert!(keys.lock_idle(bench.clock_now(), idle).is_empty());
    bench.clock.advance(20);
    assert_eq!(keys.lock_idle(bench.clock_now(), idle), [desk], "120 s unused");
    assert!(is_locked(review().reveal_source(source)));

    review().unlock_vault(desk, &secret("correct horse battery")).expect("unlock");
    assert_eq!(keys.lock_all(), [desk], "the window closing locks it");
    assert!(!review().is_vault_unlocked(desk));
}

/// A name no other test uses: on PostgreSQL a login is the whole server's.
fn unique(base: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{base}{}x{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Makes `admin` the desk's first admin, then, as them, gives each of `people` their role (on a team store
/// each a new login, with a password the test server does not ask for).
fn add_people(store: &Store, desk: DeskId, admin: &str, people: &[(&str, Role)]) {
    let verifier = rights::login_verifier(b"a password the test server does not ask for");
    let now = chrono::Utc::now();
    rights::add_person(store, desk, admin, Role::Admin, admin, now, None).expect("admin first");
    for &(name, role) in people {
        rights::add_person(store, desk, name, role, admin, now, Some(&verifier)).expect("add");
    }
}

/// A team store and its owner (the login that ran `team init`), for the tests that hold logins to the
/// server's own rules. Always a real PostgreSQL server, whatever engine the run is for.
struct TeamStore {
    /// `db.url` is the server's superuser's.
    db: test_postgres::TestDatabase,
    tmp: tempfile::TempDir,
    owner: SharedStore,
    clock: Arc<FixedClock>,
}

impl TeamStore {
    /// The owner is a login of its own with CREATEROLE owning the database (README's set-up), never the
    /// superuser: the owner becomes a desk's admin ([`TeamStore::staff`]), a group membership is the whole
    /// server's, and the superuser left in `factdesk_admin` failed a later suite on the same cluster.
    fn new() -> Self {
        use factdesk_core::store::postgres::PgStore;
        let db = test_postgres::database();
        let owner_login = unique("own");
        let mut superuser = postgres::Client::connect(&db.url, postgres::NoTls).expect("superuser");
        superuser
            .batch_execute(&format!(
                "CREATE ROLE \"{owner_login}\" LOGIN CREATEROLE; ALTER DATABASE \"{}\" OWNER TO \"{owner_login}\"",
                db.name
            ))
            .expect("the server's administrator makes the owner");
        drop(PgStore::init(&db.url_as(&owner_login).parse().expect("url")).expect("team init as the owner"));
        let tmp = tempfile::tempdir().expect("tmp");
        let owner = Store::open(Path::new(&db.url_as(&owner_login))).expect("open").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        Self { db, tmp, owner, clock }
    }

    /// A desk of one story, in the folder `name`, opened and scanned by the owner.
    fn open_desk(&self, name: &str) -> DeskId {
        let folder = self.tmp.path().join(name);
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::write(folder.join("story.txt"), STORY).expect("write");
        let desk = Desk::open(self.owner.clone(), &folder, self.clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk.id()
    }

    fn owner_login(&self) -> String {
        lock(&self.owner).team_actor().expect("login")
    }

    /// The owner makes themselves the desk's first admin and adds `people`.
    fn staff(&self, desk: DeskId, people: &[(&str, Role)]) {
        let owner_login = self.owner_login();
        add_people(&lock(&self.owner), desk, &owner_login, people);
    }

    /// A review as `login`, through their own connection.
    fn review_as(&self, login: &str) -> Review {
        let store = Store::open(Path::new(&self.db.url_as(login))).expect("login").shared();
        Review::new(store, self.clock.clone(), login.into())
    }

    /// A connection as `login`, querying the tables directly as with `psql`.
    fn connect(&self, login: &str) -> postgres::Client {
        postgres::Client::connect(&self.db.url_as(login), postgres::NoTls).expect("connect")
    }
}

/// Runs `sql` as a login and asserts the server refused it for want of a privilege (42501).
fn denied(client: &mut postgres::Client, sql: &str) {
    let error = client.batch_execute(sql).expect_err(sql);
    assert_eq!(error.code().map(|c| c.code()), Some("42501"), "{sql}: {error}");
}

/// The bench's desk with people: its reviewer (the test login on
/// PostgreSQL) as admin, a standards editor, an editor and a reporter, each
/// acting through their own login on a team store.
struct Staffed {
    bench: Bench,
    admin: String,
    standards: String,
    editor: String,
    reporter: String,
}

impl Staffed {
    fn new() -> Self {
        let bench = Bench::new();
        let admin = engine::recorded_as("Ana Editor").to_owned();
        let team = Self { admin, standards: unique("sue"), editor: unique("ed"), reporter: unique("bo"), bench };
        add_people(
            &lock(&team.bench.store),
            team.bench.desk.id(),
            &team.admin,
            &[(&team.standards, Role::StandardsEditor), (&team.editor, Role::Editor), (&team.reporter, Role::Reporter)],
        );
        team
    }

    /// A review as `name` (on a team store, through their own login).
    fn as_person(&self, name: &str) -> Review {
        let store = if engine::on_postgres() {
            let (url, _) = test_postgres::database_for(&self.bench.db());
            let url = test_postgres::url_as_login(&url, name);
            Store::open(Path::new(&url)).expect("login")
        } else {
            Store::open(&self.bench.db()).expect("open")
        };
        Review::new(store.shared(), self.bench.clock.clone(), name.into())
    }

    fn set_role(&self, name: &str, role: Role) {
        let store = lock(&self.bench.store);
        rights::add_person(&store, self.bench.desk.id(), name, role, &self.admin, chrono::Utc::now(), None)
            .expect("role");
    }

    /// The standards editor sets the vault up with a source that names the editor as knowing it.
    fn with_vault(self) -> Self {
        let sue = self.as_person(&self.standards);
        sue.init_vault(self.bench.desk.id(), &secret("the standards editor's passphrase")).expect("init");
        let named = NewSource {
            descriptor: "a council official".into(),
            kind: SourceKind::Unnamed,
            notes: String::new(),
            confidential: Some(Confidential {
                identity: Some(IDENTITY.into()),
                editor_knows: Some(self.editor.clone()),
                ..Confidential::default()
            }),
        };
        sue.add_source(self.bench.desk.id(), &named).expect("source");
        self
    }
}

fn refused_for_want_of_a_wrapping(result: Result<(), SourcingError>) {
    let Err(error) = result else { panic!("unlocked without a wrapping of the desk key") };
    let message = error.to_string();
    assert!(
        matches!(error, SourcingError::Rights(_))
            && message.contains("holds no wrapping of this desk's key")
            && message.contains("needs the standards editor role, or to be the editor named as knowing"),
        "{message}"
    );
}

#[test]
fn on_a_desk_with_people_each_holder_unlocks_with_their_own_passphrase_only() {
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let (sue, ed) = (team.as_person(&team.standards), team.as_person(&team.editor));
    let sues = secret("the standards editor's passphrase");
    let eds = secret("the editor's own passphrase");

    // Named on a source, but no wrapping for the editor yet: refused before anything is tried
    // (no attempt counted), even with the standards editor's passphrase.
    for _ in 0..5 {
        refused_for_want_of_a_wrapping(ed.unlock_vault(desk, &sues));
    }
    assert_eq!(sue.vault_status(desk).expect("status").retry_after_seconds, 0, "no guess was counted");
    // A holder who has not unlocked cannot give the key.
    assert!(is_locked(sue.grant_vault(desk, &team.editor, &eds)));
    sue.unlock_vault(desk, &sues).expect("the standards editor unlocks with their passphrase");
    // The reporter's role does not allow a wrapping: granting them is refused.
    let refused = sue.grant_vault(desk, &team.reporter, &eds).expect_err("reporter").to_string();
    assert!(
        refused.contains("(reporter) may not unlock the vault") && refused.contains("needs the standards editor"),
        "{refused}"
    );
    sue.grant_vault(desk, &team.editor, &eds).expect("the standards editor wraps the key for the editor");

    // Each with their own passphrase, never another's.
    assert!(matches!(ed.unlock_vault(desk, &sues), Err(SourcingError::Vault(VaultError::WrongPassphrase))));
    ed.unlock_vault(desk, &eds).expect("the editor unlocks with their own passphrase");
    assert_eq!(
        ed.reveal_source(team.as_person(&team.standards).sources(desk).expect("register")[0].id)
            .expect("reveal")
            .identity
            .as_deref(),
        Some(IDENTITY)
    );
    let sue_again = team.as_person(&team.standards);
    assert!(matches!(sue_again.unlock_vault(desk, &eds), Err(SourcingError::Vault(VaultError::WrongPassphrase))));
    sue_again.unlock_vault(desk, &sues).expect("the standards editor's own still opens");

    // The editor changes the passphrase the standards editor chose for them: the old one no longer opens.
    let chosen = secret("only the editor knows this one");
    ed.change_vault_passphrase(desk, &chosen).expect("passwd");
    let ed_again = team.as_person(&team.editor);
    assert!(matches!(ed_again.unlock_vault(desk, &eds), Err(SourcingError::Vault(VaultError::WrongPassphrase))));
    ed_again.unlock_vault(desk, &chosen).expect("the new one opens");
    let audit: Vec<String> = sue.audit_trail(None).expect("trail").iter().map(|e| e.action.clone()).collect();
    assert!(audit.iter().any(|a| a == "vault.grant"), "{audit:?}");
}

#[test]
fn a_role_that_no_longer_allows_it_loses_its_wrapping_and_a_holder_may_take_one_back() {
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    let sues = secret("the standards editor's passphrase");
    let eds = secret("the editor's own passphrase");
    sue.unlock_vault(desk, &sues).expect("unlock");
    sue.grant_vault(desk, &team.editor, &eds).expect("grant");
    team.as_person(&team.editor).unlock_vault(desk, &eds).expect("the editor unlocks");

    // The editor becomes a reporter: the wrapping goes with the role, and coming back as an
    // editor does not bring it back (a holder grants it again).
    team.set_role(&team.editor, Role::Reporter);
    team.set_role(&team.editor, Role::Editor);
    refused_for_want_of_a_wrapping(team.as_person(&team.editor).unlock_vault(desk, &eds));
    sue.grant_vault(desk, &team.editor, &eds).expect("granted again");
    team.as_person(&team.editor).unlock_vault(desk, &eds).expect("unlocks again");

    // An editor who has not unlocked (so is not known to hold it) does not take the standards editor's back.
    assert!(is_locked(team.as_person(&team.editor).revoke_vault(desk, &team.standards)));
    // A holder takes it back.
    assert!(sue.revoke_vault(desk, &team.editor).expect("revoke"));
    refused_for_want_of_a_wrapping(team.as_person(&team.editor).unlock_vault(desk, &eds));

    // A standards editor made an editor loses it too (an editor holds it only once granted as one).
    let other = secret("the other holder's passphrase");
    sue.grant_vault(desk, &team.admin, &other).expect_err("an admin is never a holder");
    team.set_role(&team.standards, Role::Editor);
    refused_for_want_of_a_wrapping(team.as_person(&team.standards).unlock_vault(desk, &sues));
}

#[test]
fn a_desk_without_people_opens_with_any_of_its_passphrases_as_before() {
    let bench = Bench::new();
    let desk = bench.desk.id();
    bench.review.init_vault(desk, &secret("correct horse battery")).expect("init");
    bench.review.grant_vault(desk, "Bo Reporter", &secret("another passphrase")).expect("a second passphrase");
    let locked = bench.locked_review();
    locked.unlock_vault(desk, &secret("another passphrase")).expect("any passphrase of the vault opens it");
    assert!(bench.review.revoke_vault(desk, "Bo Reporter").expect("revoke"));
    let locked = bench.locked_review();
    assert!(matches!(
        locked.unlock_vault(desk, &secret("another passphrase")),
        Err(SourcingError::Vault(VaultError::WrongPassphrase))
    ));
}

/// The standards editor sets up the desk's vault under "the standards
/// editor's passphrase", records a source naming `editor` as the editor who
/// knows it, and grants them the key under "the editor's own passphrase".
fn vault_with_a_source_naming(standards: &Review, desk: DeskId, editor: &str) {
    standards.init_vault(desk, &secret("the standards editor's passphrase")).expect("init");
    let named = NewSource {
        descriptor: "a council official".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential { editor_knows: Some(editor.to_owned()), ..Confidential::default() }),
    };
    standards.add_source(desk, &named).expect("source");
    standards.grant_vault(desk, editor, &secret("the editor's own passphrase")).expect("grant");
}

/// The server's own guarantees for the vault (issue 13): a login querying
/// the tables directly, as with `psql`, may not copy the wrappings to guess
/// passphrases offline, nor reset the slow-down of wrong ones; a holder reads
/// their own wrapping and not another holder's. Always on a real PostgreSQL
/// server, whatever engine the run is for.
#[test]
fn on_a_team_store_only_holders_read_their_own_wrapping_and_no_one_else_resets_the_slow_down() {
    let team = TeamStore::new();
    let desk = team.open_desk("desk");
    let (sue, ed, bo, lou, adm) = (unique("sue"), unique("ed"), unique("bo"), unique("lou"), unique("adm"));
    team.staff(
        desk,
        &[
            (&sue, Role::StandardsEditor),
            (&ed, Role::Editor),
            (&bo, Role::Reporter),
            (&lou, Role::Lawyer),
            (&adm, Role::Admin),
        ],
    );
    let review_as = |login: &str| team.review_as(login);
    let standards = review_as(&sue);
    vault_with_a_source_naming(&standards, desk, &ed);
    // One wrong passphrase: the slow-down has a row to reset.
    assert!(review_as(&ed).unlock_vault(desk, &secret("a wrong guess here")).is_err());

    let connect = |login: &str| team.connect(login);
    for login in [&bo, &lou, &adm] {
        let mut client = connect(login);
        denied(&mut client, "SELECT salt, nonce, wrapped_key FROM vault_keys");
        denied(&mut client, "DELETE FROM vault_attempts");
        denied(&mut client, "UPDATE vault_attempts SET failures = 0");
        denied(
            &mut client,
            &format!("INSERT INTO vault_attempts (desk_id, failures, last_at) VALUES ({}, 0, 'x')", desk.0),
        );
        denied(&mut client, &format!("SELECT factdesk_vault_forget_wrappings({})", desk.0));
        // Whether the desk has a vault, and how long its unlock waits, are the window's status for everyone.
        let failures: i64 = client.query_one("SELECT failures FROM vault_attempts", &[]).expect("attempts").get(0);
        assert_eq!(failures, 1);
    }
    denied(&mut connect(&bo), &format!("SELECT factdesk_vault_drop_wrapping({}, '{sue}')", desk.0));

    // The editor reads their own wrapping and the recovery key's, not the standards editor's.
    let mut editor = connect(&ed);
    let mut seen: Vec<String> =
        editor.query("SELECT recipient FROM vault_keys", &[]).expect("own rows").iter().map(|row| row.get(0)).collect();
    seen.sort();
    let mut expected = vec![ed.clone(), "recovery".to_owned()];
    expected.sort();
    assert_eq!(seen, expected);
    // Nor can they delete it (a DELETE reaches only the rows one may read).
    editor.batch_execute(&format!("DELETE FROM vault_keys WHERE recipient = '{sue}'")).expect("delete");
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("connect");
    let rows: i64 = superuser.query_one("SELECT count(*) FROM vault_keys", &[]).expect("count").get(0);
    assert_eq!(rows, 3, "the standards editor's, the editor's and the recovery key's");
    // The standards editor still unlocks; the editor with their own passphrase too.
    review_as(&sue).unlock_vault(desk, &secret("the standards editor's passphrase")).expect("unlock");
    review_as(&ed).unlock_vault(desk, &secret("the editor's own passphrase")).expect("unlock");
    // An admin's role change takes a wrapping away on the server too (through its function).
    {
        let store = Store::open(Path::new(&team.db.url_as(&adm))).expect("admin login");
        rights::add_person(&store, desk, &ed, Role::Reporter, &adm, chrono::Utc::now(), None).expect("role");
    }
    let rows: i64 = superuser.query_one("SELECT count(*) FROM vault_keys", &[]).expect("count").get(0);
    assert_eq!(rows, 2, "the editor's wrapping went with the role");
}

/// Issue 13 review, finding 10: an editor holds the key only while a source
/// names them as the editor who knows it; once none does, their wrapping
/// goes (else they could still unwrap it offline with their passphrase).
#[test]
fn an_editor_no_source_names_any_more_loses_their_wrapping() {
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    let eds = secret("the editor's own passphrase");
    sue.unlock_vault(desk, &secret("the standards editor's passphrase")).expect("unlock");
    sue.grant_vault(desk, &team.editor, &eds).expect("grant");
    team.as_person(&team.editor).unlock_vault(desk, &eds).expect("the named editor unlocks");

    let source = sue.sources(desk).expect("register")[0].id;
    let others = Confidential { editor_knows: Some(team.standards.clone()), ..Confidential::default() };
    sue.set_confidential(source, &others).expect("the source now names the standards editor");
    refused_for_want_of_a_wrapping(team.as_person(&team.editor).unlock_vault(desk, &eds));
}

/// Issue 13 review, findings 2, 3, 6, 7 and 8: on a team store, as the
/// logins themselves (never the tables' owner, whom row-level security
/// does not hold), no one takes away or destroys a wrapping they may not:
/// not through a temporary `people` table shadowing the real one, not an
/// editor who holds no wrapping (the recovery key's row, every wrapping
/// before a rotation, another's), not a reporter on a desk without people.
/// An admin takes one back and is told when there was none.
#[test]
fn on_a_team_store_no_login_takes_away_or_destroys_a_wrapping_it_may_not() {
    let team = TeamStore::new();
    let (desk, bare) = (team.open_desk("staffed"), team.open_desk("without-people"));
    let (sue, ed, ned, bo, adm) = (unique("sue"), unique("ed"), unique("ned"), unique("bo"), unique("adm"));
    let owner_login = team.owner_login();
    team.staff(
        desk,
        &[
            (&sue, Role::StandardsEditor),
            (&ed, Role::Editor),
            (&ned, Role::Editor),
            (&bo, Role::Reporter),
            (&adm, Role::Admin),
        ],
    );
    let review_as = |login: &str| team.review_as(login);
    let standards = review_as(&sue);
    vault_with_a_source_naming(&standards, desk, &ed);
    // The tables' owner sets up the vault of a desk without people.
    Review::new(team.owner.clone(), team.clock.clone(), owner_login.clone())
        .init_vault(bare, &secret("the owner's passphrase"))
        .expect("init without people");

    let connect = |login: &str| team.connect(login);
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("connect");
    let mut rows_of = |desk: DeskId| -> Vec<(String, Vec<u8>)> {
        let rows = superuser
            .query("SELECT recipient, wrapped_key FROM vault_keys WHERE desk_id = $1 ORDER BY recipient", &[&desk.0])
            .expect("rows");
        rows.iter().map(|row| (row.get(0), row.get(1))).collect()
    };
    let (staffed_rows, bare_rows) = (rows_of(desk), rows_of(bare));
    assert_eq!(staffed_rows.len(), 3, "the standards editor's, the editor's and the recovery key's");

    // Finding 2: a temporary `people` naming the reporter an editor does not fool the server's functions.
    let mut reporter = connect(&bo);
    reporter
        .batch_execute(&format!(
            "CREATE TEMP TABLE people (desk_id BIGINT, name TEXT, role TEXT);
             INSERT INTO people VALUES ({d}, '{bo}', 'editor'), ({d}, '{bo}', 'standards-editor')",
            d = desk.0
        ))
        .expect("a reporter may create temporary tables");
    denied(&mut reporter, &format!("SELECT factdesk_vault_drop_wrapping({}, '{sue}')", desk.0));
    denied(&mut reporter, &format!("SELECT factdesk_vault_forget_wrappings({})", desk.0));
    // Finding 8: nor does a reporter take away a wrapping on a desk without people (no rights on vault_keys).
    denied(&mut connect(&bo), &format!("SELECT factdesk_vault_drop_wrapping({}, '{owner_login}')", bare.0));

    // Findings 3 and 7: an editor of the desk who holds no wrapping neither overwrites the recovery key's
    // row, nor forgets every wrapping, nor takes the named editor's away.
    let mut unnamed = connect(&ned);
    let updated = unnamed
        .execute("UPDATE vault_keys SET wrapped_key = '\\x00'::bytea WHERE kind = 'recovery'", &[])
        .expect("update");
    assert_eq!(updated, 0, "the recovery key's row is no editor's to overwrite");
    denied(&mut unnamed, &format!("SELECT factdesk_vault_forget_wrappings({})", desk.0));
    // Nor makes themselves a holder with a wrapping of their own (of no key) to then forget every other.
    denied(
        &mut unnamed,
        &format!(
            "INSERT INTO vault_keys (desk_id, recipient, kind, kdf, kdf_memory_kib, kdf_iterations, kdf_parallelism,
                                     salt, nonce, wrapped_key, created_by, created_at)
             VALUES ({}, '{ned}', 'passphrase', 'argon2id-v19', 65536, 3, 1, decode(repeat('00', 16), 'hex'),
                     decode(repeat('00', 24), 'hex'), decode(repeat('00', 48), 'hex'), '{ned}', 'x')",
            desk.0
        ),
    );
    denied(&mut unnamed, &format!("SELECT factdesk_vault_forget_wrappings({})", desk.0));
    denied(&mut unnamed, &format!("SELECT factdesk_vault_drop_wrapping({}, '{ed}')", desk.0));
    let unnamed_review = review_as(&ned);
    assert!(is_locked(unnamed_review.revoke_vault(desk, &ed)), "an editor must first show they hold the key");
    refused_for_want_of_a_wrapping(unnamed_review.unlock_vault(desk, &secret("the standards editor's passphrase")));
    assert_eq!(rows_of(desk), staffed_rows, "every wrapping as it was");
    assert_eq!(rows_of(bare), bare_rows, "every wrapping as it was");

    // Finding 6: an admin takes the editor's wrapping back, and is told when there was none.
    let admin = review_as(&adm);
    assert!(admin.revoke_vault(desk, &ed).expect("an admin takes a wrapping back"));
    assert!(!admin.revoke_vault(desk, &ed).expect("again"), "nothing was held any more");
    let revokes = admin.audit_trail(None).expect("trail").iter().filter(|e| e.action == "vault.revoke").count();
    assert_eq!(revokes, 1, "only what was taken back is recorded");
    assert_eq!(rows_of(desk).len(), 2);
}

/// Issue 13 review, finding 9: a login in no Factdesk group (a store from
/// before people) keeps the vault of a desk without people: set up,
/// passphrase changed, another's given and taken back, key rotated.
#[test]
fn on_a_team_store_a_login_in_no_group_keeps_the_vault_of_a_desk_without_people() {
    use factdesk_core::store::postgres::PgStore;
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    let legacy = unique("old");
    db.create_login(&legacy);
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("story.txt"), STORY).expect("write");
    let store = Store::open(Path::new(&db.url_as(&legacy))).expect("login").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let desk = desk.id();
    let review = Review::new(store, clock, legacy.clone());
    review.init_vault(desk, &secret("the first passphrase")).expect("init");
    review.change_vault_passphrase(desk, &secret("the second passphrase")).expect("passwd");
    review.grant_vault(desk, "a colleague", &secret("the colleague's passphrase")).expect("grant");
    assert!(review.revoke_vault(desk, "a colleague").expect("revoke"));
    review.rotate_vault_key(desk, &secret("the second passphrase")).expect("rotate");
}

#[test]
fn the_window_lists_who_holds_the_desk_key_and_whom_it_may_be_given_to() {
    use factdesk_core::rights::Role;
    use factdesk_core::vault_access::VaultHolder;
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    sue.unlock_vault(desk, &secret("the standards editor's passphrase")).expect("unlock");
    let holder = |name: &str, role| VaultHolder { name: name.to_owned(), role: Some(role) };

    let access = sue.vault_access(desk).expect("access").expect("a standards editor manages it");
    assert!(access.may_grant && access.may_revoke);
    assert_eq!(access.candidates, vec![holder(&team.editor, Role::Editor)]);
    // On a team store too, although each login reads only its own wrapping there (the server names them).
    assert_eq!(access.holders, vec![holder(&team.standards, Role::StandardsEditor)]);

    sue.grant_vault(desk, &team.editor, &secret("the editor's own passphrase")).expect("grant");
    sue.remember_vault(desk).ok(); // a computer's wrapping, where a keyring exists, is no person
    let access = sue.vault_access(desk).expect("access").expect("listed");
    assert!(access.candidates.is_empty(), "{:?}", access.candidates);
    let mut expected = vec![holder(&team.editor, Role::Editor), holder(&team.standards, Role::StandardsEditor)];
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(access.holders, expected);
    let _ = sue.forget_vault(desk);

    // The admin may take access back, not give it, and sees who holds it (through their own login on a team
    // store); the reporter sees nothing of it.
    let admin = team.as_person(&team.admin).vault_access(desk).expect("admin").expect("an admin revokes");
    assert!(!admin.may_grant && admin.may_revoke);
    assert_eq!(admin.holders, expected);
    assert_eq!(team.as_person(&team.reporter).vault_access(desk).expect("reporter"), None);
    assert!(sue.revoke_vault(desk, &team.editor).expect("revoke"));
    let access = sue.vault_access(desk).expect("access").expect("listed");
    assert_eq!(access.candidates, vec![holder(&team.editor, Role::Editor)]);
}

#[test]
fn giving_access_to_someone_who_already_holds_it_is_refused_and_keeps_their_passphrase() {
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    let eds = secret("the editor's own passphrase");
    sue.unlock_vault(desk, &secret("the standards editor's passphrase")).expect("unlock");
    sue.grant_vault(desk, &team.editor, &eds).expect("grant");

    let Err(error) = sue.grant_vault(desk, &team.editor, &secret("one the giver chose")) else {
        panic!("a holder's passphrase was replaced by the giver's")
    };
    let message = error.to_string();
    assert!(
        matches!(error, SourcingError::Vault(VaultError::AlreadyHolds(_)))
            && message.contains(&format!("{} already holds the desk key", team.editor))
            && message.contains("factdesk vault passwd"),
        "{message}"
    );
    let ed = team.as_person(&team.editor);
    assert!(matches!(
        ed.unlock_vault(desk, &secret("one the giver chose")),
        Err(SourcingError::Vault(VaultError::WrongPassphrase))
    ));
    ed.unlock_vault(desk, &eds).expect("their own passphrase still opens it");
    let grants = sue.audit_trail(None).expect("trail").iter().filter(|e| e.action == "vault.grant").count();
    assert_eq!(grants, 1, "the refusal recorded no grant");
}

#[test]
fn a_standards_editor_unlocked_with_the_recovery_key_is_told_what_to_do_to_give_or_take_access() {
    use factdesk_core::rights::{self, Role};
    let team = Staffed::new();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    let recovery = sue.init_vault(desk, &secret("the standards editor's passphrase")).expect("init");
    let (sam, kim) = (unique("sam"), unique("kim"));
    {
        let store = lock(&team.bench.store);
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        for name in [&sam, &kim] {
            let now = chrono::Utc::now();
            rights::add_person(&store, desk, name, Role::StandardsEditor, &team.admin, now, Some(&verifier))
                .expect("more standards editors, holding no wrapping");
        }
    }
    let sams = team.as_person(&sam);
    sams.unlock_vault_with_recovery(desk, &secret(recovery.expose())).expect("the recovery key opens it");
    let give = sams.grant_vault(desk, &kim, &secret("kim's own passphrase"));
    if !engine::on_postgres() {
        // One file, no server to require a holder's own wrapping: the recovery key is enough.
        give.expect("granted on SQLite");
        return;
    }
    // The team store gives and takes access back only for a holder of a wrapping of their own.
    for refused in [give.map(|()| true), sams.revoke_vault(desk, &team.standards)] {
        let Err(error) = refused else { panic!("the server allowed it") };
        let message = error.to_string();
        assert!(
            matches!(error, SourcingError::Vault(VaultError::NoWrappingOfYourOwn))
                && message.contains("recovery key")
                && message.contains("vault grant")
                && !message.contains("42501"),
            "{message}"
        );
    }
}

/// `vault recover` (and `vault passwd`) by a standards editor who holds no wrapping of their own: on a team store
/// the server refuses their new wrapping (only a holder gives the key); they are told so in the core's words and
/// what to do, never the server's raw refusal.
#[test]
fn a_standards_editor_without_a_wrapping_of_their_own_is_told_to_ask_a_holder_when_setting_a_passphrase() {
    use factdesk_core::rights::{self, Role};
    let team = Staffed::new();
    let desk = team.bench.desk.id();
    let sue = team.as_person(&team.standards);
    let recovery = sue.init_vault(desk, &secret("the standards editor's passphrase")).expect("init");
    let sam = unique("sam");
    {
        let store = lock(&team.bench.store);
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        rights::add_person(&store, desk, &sam, Role::StandardsEditor, &team.admin, chrono::Utc::now(), Some(&verifier))
            .expect("a standards editor holding no wrapping");
    }
    // `vault passwd`: their passphrase opens nothing of theirs; refused before anything is tried, in the core's words.
    let sams = team.as_person(&sam);
    let Err(error) = sams.unlock_vault(desk, &secret("a passphrase sam never had")) else { panic!("unlocked") };
    let message = error.to_string();
    assert!(
        message.contains("holds no wrapping") && message.contains("vault grant") && !message.contains("42501"),
        "{message}"
    );
    // `vault recover`: the recovery key opens the vault, then a passphrase of their own is set.
    sams.unlock_vault_with_recovery(desk, &secret(recovery.expose())).expect("the recovery key opens it");
    let set = sams.change_vault_passphrase(desk, &secret("sam's own new passphrase"));
    if !engine::on_postgres() {
        // One file, no server to require a holder: the recovery key is enough, and it now opens with theirs.
        set.expect("set on SQLite");
        team.as_person(&sam).unlock_vault(desk, &secret("sam's own new passphrase")).expect("their own passphrase");
        return;
    }
    let Err(error) = set else { panic!("the server let someone without a wrapping give themselves one") };
    let message = error.to_string();
    assert!(
        matches!(error, SourcingError::Vault(VaultError::NoWrappingOfYourOwn))
            && message.contains("recovery key")
            && message.contains("vault grant")
            && !message.contains("42501"),
        "{message}"
    );
    let passwds = sue.audit_trail(None).expect("trail").iter().filter(|e| e.action == "vault.passwd").count();
    assert_eq!(passwds, 0, "the refusal recorded no passphrase change");
}

#[test]
fn the_window_offers_nothing_to_an_editor_who_can_never_unlock() {
    use factdesk_core::rights::{self, Role};
    let team = Staffed::new().with_vault();
    let desk = team.bench.desk.id();
    let ned = unique("ned");
    {
        let store = lock(&team.bench.store);
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        rights::add_person(&store, desk, &ned, Role::Editor, &team.admin, chrono::Utc::now(), Some(&verifier))
            .expect("an editor no source names");
    }
    assert_eq!(team.as_person(&ned).vault_access(desk).expect("access"), None, "no Give or Take access back");
    // The named editor, once given the key, may give it and take it back.
    let sue = team.as_person(&team.standards);
    sue.unlock_vault(desk, &secret("the standards editor's passphrase")).expect("unlock");
    sue.grant_vault(desk, &team.editor, &secret("the editor's own passphrase")).expect("grant");
    let access = team.as_person(&team.editor).vault_access(desk).expect("access").expect("a holder manages it");
    assert!(access.may_grant && access.may_revoke);
}
