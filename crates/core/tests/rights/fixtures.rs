//! The set-ups the rights tests share: a desk on this run's engine with its people ([`Team`]), a team store's
//! desk as its owner sets it up ([`TeamDesk`]), one with a trail about two reporters' drafts ([`TeamTrail`]), a
//! store owned as README's set-up says ([`OwnedStore`]), and the assertions they share.

use crate::engine;
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, RightsError, Role};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::postgres::PgStore;
use factdesk_core::store::{lock, ClaimId, DeskId, DraftId, SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// The admin, who sets the desk's people up (on PostgreSQL, the tests' login).
pub const ADMIN: &str = engine::LOGIN;
pub const TEXT: &str = "# Story\n\nThe mayor spent 5 million on the bridge.\n";
pub const QUOTE: &str = "The mayor spent 5 million on the bridge.";

static NEXT: AtomicU32 = AtomicU32::new(1);

/// A name no other test uses: on PostgreSQL a login is the whole server's.
pub fn unique(base: &str) -> String {
    format!("{base}{}x{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A fresh database on the test server with the team store's schema, as `team init` makes it; its URL is the
/// store's owner's (the server's superuser).
pub fn team_store() -> test_postgres::TestDatabase {
    let db = test_postgres::database();
    drop(PgStore::init(&db.url.parse().expect("url")).expect("team init"));
    db
}

/// A fresh database owned by `owner`, a login of its own made here with CREATEROLE (README's set-up), with the team
/// store's schema made by `team init` as that owner. `db.url` stays the superuser's.
///
/// A store whose owner becomes a person of a desk is made this way: a group membership is the whole server's, and
/// the superuser made an admin of a desk stayed in `factdesk_admin` for every later suite on the same cluster
/// (`postgres_store`'s copy test found it there).
pub fn team_store_owned_by(owner: &str) -> test_postgres::TestDatabase {
    let db = test_postgres::database();
    let mut superuser = postgres::Client::connect(&db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!(
            "CREATE ROLE \"{owner}\" LOGIN CREATEROLE; ALTER DATABASE \"{}\" OWNER TO \"{owner}\"",
            db.name
        ))
        .expect("the server's administrator makes the owner");
    drop(PgStore::init(&db.url_as(owner).parse().expect("url")).expect("team init as the owner"));
    db
}

/// Held while a fixture adds a person. A login is the whole server's, and some are every test's (the store's
/// owner, `engine::LOGIN`): two tests making one of them a member of the same group at once race in the
/// server's GRANT, and the second fails on `pg_auth_members`' unique index (23505). Not what any test is about.
static ADDING_PEOPLE: Mutex<()> = Mutex::new(());

/// `rights::add_person`, one fixture at a time (see [`ADDING_PEOPLE`]).
pub fn add_person_alone(
    store: &Store,
    desk: DeskId,
    person: &str,
    role: Role,
    by: &str,
    verifier: Option<&str>,
) -> Result<rights::PersonAdded, RightsError> {
    let _alone = ADDING_PEOPLE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    rights::add_person(store, desk, person, role, by, chrono::Utc::now(), verifier)
}

/// The store's owner makes itself the first admin of `desk`, then adds `people`, each a new login.
pub fn staff_desk(owner: &SharedStore, desk: DeskId, people: &[(&str, Role)]) {
    {
        let store = lock(owner);
        let owner_login = store.team_actor().expect("login");
        add_person_alone(&store, desk, &owner_login, Role::Admin, &owner_login, None).expect("admin");
    }
    owner_adds(owner, desk, people);
}

/// The store's owner adds `people` to `desk`, each a new login.
pub fn owner_adds(owner: &SharedStore, desk: DeskId, people: &[(&str, Role)]) {
    let verifier = rights::login_verifier(b"not asked by the test server");
    let store = lock(owner);
    let owner_login = store.team_actor().expect("login");
    for &(name, role) in people {
        add_person_alone(&store, desk, name, role, &owner_login, Some(&verifier)).expect("add");
    }
}

pub struct Team {
    pub _tmp: tempfile::TempDir,
    pub db: PathBuf,
    pub clock: Arc<FixedClock>,
    pub admin: SharedStore,
    pub desk: DeskId,
    pub reporter: String,
    pub other_reporter: String,
    pub editor: String,
    pub standards: String,
    pub lawyer: String,
    /// The reporter's own draft (in their folder), the other reporter's, and one in no one's folder.
    pub own: DraftId,
    pub others: DraftId,
    pub shared: DraftId,
}

pub fn quote() -> TextQuoteSelector {
    TextQuoteSelector { exact: QUOTE.into(), prefix: String::new(), suffix: String::new() }
}

impl Team {
    /// A desk with three drafts and no people yet.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        let reporter = unique("bo");
        let other_reporter = unique("cy");
        for dir in [&reporter, &other_reporter] {
            std::fs::create_dir_all(folder.join(dir)).expect("mkdir");
            std::fs::write(folder.join(dir).join("story.md"), TEXT).expect("write");
        }
        std::fs::write(folder.join("shared.md"), TEXT).expect("write");
        let db = tmp.path().join("f.db");
        let admin = engine::open(&db).expect("store").shared();
        // On a team store the admin is a login granted the tables, with no CREATEROLE: the server's functions
        // make the people's logins (migrations/postgres/0031).
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(admin.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let draft = |path: &str| desk.draft_by_path(path).expect("lookup").expect("draft").id;
        let own = draft(&format!("{reporter}/story.md"));
        let others = draft(&format!("{other_reporter}/story.md"));
        let shared = draft("shared.md");
        Self {
            _tmp: tmp,
            db,
            clock,
            admin,
            desk: desk.id(),
            reporter,
            other_reporter,
            editor: unique("ed"),
            standards: unique("sue"),
            lawyer: unique("lou"),
            own,
            others,
            shared,
        }
    }

    /// The desk with its people: the admin, two reporters, an editor, a standards editor and a lawyer.
    pub fn staffed() -> Self {
        let team = Self::new();
        team.add(ADMIN, ADMIN, Role::Admin).expect("admin first");
        for (name, role) in [
            (&team.reporter, Role::Reporter),
            (&team.other_reporter, Role::Reporter),
            (&team.editor, Role::Editor),
            (&team.standards, Role::StandardsEditor),
            (&team.lawyer, Role::Lawyer),
        ] {
            team.add(ADMIN, name, role).expect("add");
        }
        team
    }

    pub fn admin_review(&self) -> Review {
        Review::new(self.admin.clone(), self.clock.clone(), ADMIN.into())
    }

    /// `by` adds `person` as `role` (creating their login on a team store).
    pub fn add(&self, by: &str, person: &str, role: Role) -> Result<rights::PersonAdded, RightsError> {
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        let store = self.store_of(by);
        let store = lock(&store);
        add_person_alone(&store, self.desk, person, role, by, Some(&verifier))
    }

    /// The store as `name` sees it: on SQLite the same file, on a team store
    /// a connection as their own login.
    pub fn store_of(&self, name: &str) -> SharedStore {
        if name == ADMIN {
            return self.admin.clone();
        }
        let store = if engine::on_postgres() {
            let (url, _) = test_postgres::database_for(&self.db);
            Store::open(Path::new(&test_postgres::url_as_login(&url, &name.replace(' ', "%20")))).expect("login")
        } else {
            Store::open(&self.db).expect("open")
        };
        store.shared()
    }

    /// A review as `name` (the reviewer name set in Factdesk; on a team store, their login).
    pub fn as_person(&self, name: &str) -> Review {
        Review::new(self.store_of(name), self.clock.clone(), name.into())
    }

    pub fn claim_on(&self, draft: DraftId) -> ClaimId {
        self.admin_review_before_people().add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("claim")
    }

    /// Claims are tagged by the editor once the desk has people.
    pub fn admin_review_before_people(&self) -> Review {
        self.as_person(&self.editor)
    }
}

/// Runs `sql` as a login and asserts the server refused it for want of a privilege (42501).
pub fn denied(client: &mut postgres::Client, sql: &str) {
    let error = client.batch_execute(sql).expect_err(sql);
    assert_eq!(error.code().map(|c| c.code()), Some("42501"), "{sql}: {error}");
}

pub fn refused_naming<T>(result: Result<T, impl std::fmt::Display>, needed: &str) {
    let Err(error) = result else { panic!("not refused (needs the {needed})") };
    let message = error.to_string();
    assert!(message.contains(&format!("needs the {needed}")), "{message}");
}

/// A team store's desk as its owner (the login that ran `team init`) sets it up: two reporters' folders
/// with a story each, scanned, and no people yet. Always on a real PostgreSQL server, whatever engine the
/// run is for.
pub struct TeamDesk {
    /// `db.url` is the server's superuser's; the store's owner (`owner`'s login) is one of its own, never the
    /// superuser (see [`team_store_owned_by`]).
    pub db: test_postgres::TestDatabase,
    pub _tmp: tempfile::TempDir,
    pub folder: PathBuf,
    pub clock: Arc<FixedClock>,
    pub owner: SharedStore,
    pub desk: Desk,
    /// The two reporters, and their stories (`bo/story.md`, `cy/story.md`).
    pub bo: String,
    pub cy: String,
    pub own: DraftId,
    pub others: DraftId,
}

impl TeamDesk {
    /// Each reporter's story is [`TEXT`] in `story.md`.
    pub fn new() -> Self {
        Self::with_stories("story.md", [TEXT.as_bytes().to_vec(), TEXT.as_bytes().to_vec()])
    }

    /// The reporters' stories (bo's, then cy's) as `file` in their folders.
    pub fn with_stories(file: &str, stories: [Vec<u8>; 2]) -> Self {
        let owner_login = unique("own");
        let db = team_store_owned_by(&owner_login);
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        let (bo, cy) = (unique("bo"), unique("cy"));
        for (dir, story) in [&bo, &cy].into_iter().zip(stories) {
            std::fs::create_dir_all(folder.join(dir)).expect("mkdir");
            std::fs::write(folder.join(dir).join(file), story).expect("write");
        }
        let owner = Store::open(Path::new(&db.url_as(&owner_login))).expect("open").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(owner.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let draft = |dir: &str| desk.draft_by_path(&format!("{dir}/{file}")).expect("lookup").expect("draft").id;
        let (own, others) = (draft(&bo), draft(&cy));
        Self { db, _tmp: tmp, folder, clock, owner, desk, bo, cy, own, others }
    }

    /// A review as the store's owner, who acts before the desk has people.
    pub fn owner_review(&self) -> Review {
        Review::new(self.owner.clone(), self.clock.clone(), "owner".into())
    }

    /// Gives the desk its people: the owner as its first admin, the two reporters, then `others`, each a new
    /// login.
    pub fn staff(&self, others: &[(&str, Role)]) {
        let reporters = [(self.bo.as_str(), Role::Reporter), (self.cy.as_str(), Role::Reporter)];
        staff_desk(&self.owner, self.desk.id(), &[&reporters[..], others].concat());
    }

    /// A connection as `login`, querying the tables directly as with `psql`.
    pub fn connect(&self, login: &str) -> postgres::Client {
        postgres::Client::connect(&self.db.url_as(login), postgres::NoTls).expect("connect")
    }

    /// A review as `login`, through their own connection.
    pub fn review_as(&self, login: &str) -> Review {
        let store = Store::open(Path::new(&self.db.url_as(login))).expect("login").shared();
        Review::new(store, self.clock.clone(), login.into())
    }

    /// The desk as `login`'s own Factdesk opens it (scanning the shared folder as them).
    pub fn desk_as(&self, login: &str) -> Desk {
        let store = Store::open(Path::new(&self.db.url_as(login))).expect("login").shared();
        Desk::open(store, &self.folder, self.clock.clone()).expect("the desk as a login")
    }
}

pub const OWN_QUOTE: &str = "The mayor spent 5 million on the bridge.";
pub const OTHERS_QUOTE: &str = "The council met in secret.";
pub const OWN_NOTE: &str = "Ask the treasurer.";
pub const OTHERS_NOTE: &str = "The whistleblower works in accounts.";
pub const OTHERS_EVIDENCE: &str = "leaked-ledger.xlsx";
pub const PRIVATE_NOTE: &str = "The clerk is our source.";

/// A team store whose trail is about two reporters' drafts: a claim on each (different quotes), evidence and a
/// note on each, a private note (then edited) on the first reporter's claim, and a source; then its people.
pub struct TeamTrail {
    pub db: test_postgres::TestDatabase,
    pub _tmp: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub owner: SharedStore,
    pub desk: DeskId,
    pub reporter: String,
    pub other_reporter: String,
    pub editor: String,
    pub lawyer: String,
    pub admin: String,
    pub own_claim: ClaimId,
    pub others_claim: ClaimId,
    pub others_draft: DraftId,
    pub others_evidence: Vec<String>,
}

impl TeamTrail {
    pub fn new() -> Self {
        let others_story = format!("# Other\n\n{OTHERS_QUOTE}\n");
        let team = TeamDesk::with_stories("story.md", [TEXT.as_bytes().to_vec(), others_story.into_bytes()]);
        let (ed, lou, ada) = (unique("ed"), unique("lou"), unique("ada"));
        let review = team.owner_review();
        let own_claim = review.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
        let others_quote =
            TextQuoteSelector { exact: OTHERS_QUOTE.into(), prefix: String::new(), suffix: String::new() };
        let others_claim =
            review.add_claim(team.others, &others_quote, ClaimStatus::NeedsCorroboration).expect("claim");
        review.set_status(others_claim, ClaimStatus::Disputed).expect("status");
        review
            .add_evidence(own_claim, &NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Minutes", true))
            .expect("evidence");
        let others_evidence = review
            .add_evidence(
                others_claim,
                &NewEvidence::supporting(EvidenceKind::Document, OTHERS_EVIDENCE, "The ledger", true),
            )
            .expect("evidence");
        review.add_note(NoteTarget::Claim(own_claim), OWN_NOTE, None).expect("note");
        let others_note = review.add_note(NoteTarget::Claim(others_claim), OTHERS_NOTE, None).expect("note");
        let private = review.add_private_note(NoteTarget::Claim(own_claim), "The clerk.", None).expect("private");
        review.edit_note(private, PRIVATE_NOTE).expect("edit the private note");
        review.set_draft_status(team.others, DraftStatus::NeedsWork, None).expect("needs work");
        review
            .add_source(
                team.desk.id(),
                &NewSource {
                    descriptor: "a council official".into(),
                    kind: SourceKind::Unnamed,
                    notes: String::new(),
                    confidential: None,
                },
            )
            .expect("source");
        team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer), (&ada, Role::Admin)]);
        let others_evidence = vec![format!("evidence:{others_evidence}"), format!("note:{others_note}")];
        let TeamDesk { db, _tmp, clock, owner, desk, bo, cy, others, .. } = team;
        Self {
            db,
            _tmp,
            clock,
            owner,
            desk: desk.id(),
            reporter: bo,
            other_reporter: cy,
            editor: ed,
            lawyer: lou,
            admin: ada,
            own_claim,
            others_claim,
            others_draft: others,
            others_evidence,
        }
    }

    /// What the trail says about the other reporter's draft, by entity.
    pub fn others_entities(&self) -> Vec<String> {
        let mut entities = self.others_evidence.clone();
        entities.push(format!("claim:{}", self.others_claim.0));
        entities.push(format!("draft:{}", self.others_draft.0));
        entities
    }

    /// A review as `login` on the team store.
    pub fn as_login(&self, login: &str) -> Review {
        let store = Store::open(Path::new(&self.db.url_as(login))).expect("login").shared();
        Review::new(store, self.clock.clone(), login.into())
    }

    /// The reporter's own connection to the team store, and the id of their own draft.
    pub fn reporter(&self) -> (postgres::Client, i64) {
        let mut client = connect_as(self, &self.reporter);
        let own =
            client.query_one("SELECT draft_id FROM claims WHERE id = $1", &[&self.own_claim.0]).expect("own").get(0);
        (client, own)
    }
}

/// A statement and its parameters.
pub type Statement<'a> = (&'a str, &'a [&'a (dyn postgres::types::ToSql + Sync)]);

/// Runs each statement in a transaction of its own, rolled back, and asserts the server refuses it with the
/// SQLSTATE `code`.
pub fn assert_refused(client: &mut postgres::Client, statements: &[Statement<'_>], code: &str) {
    for (sql, params) in statements {
        let mut tx = client.transaction().expect("transaction");
        let error = tx.execute(*sql, params).expect_err(sql);
        assert_eq!(sqlstate(&error), Some(code), "{sql} {params:?}: {error}");
        tx.rollback().expect("rollback");
    }
}

/// The SQLSTATE of a refused statement.
pub fn sqlstate(error: &postgres::Error) -> Option<&str> {
    error.code().map(|c| c.code())
}

/// A login's connection to the trail's team store.
pub fn connect_as(trail: &TeamTrail, login: &str) -> postgres::Client {
    postgres::Client::connect(&trail.db.url_as(login), postgres::NoTls).expect("connect")
}

/// Another desk on `team`'s server (`zed/story.md` in its folder, [`Desk::root`]), scanned by the owner, with no
/// people yet.
pub fn another_desk_without_people(team: &TeamDesk) -> (tempfile::TempDir, Desk, DraftId) {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("other");
    std::fs::create_dir_all(folder.join("zed")).expect("mkdir");
    std::fs::write(folder.join("zed").join("story.md"), TEXT).expect("write");
    let other = Desk::open(team.owner.clone(), &folder, team.clock.clone()).expect("other desk");
    other.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = other.draft_by_path("zed/story.md").expect("lookup").expect("draft").id;
    (tmp, other, draft)
}

/// [`another_desk_without_people`], whose people are then the owner as its admin and `people`: a login named on it
/// and not on `team`'s desk, or the other way round.
pub fn another_desk(team: &TeamDesk, people: &[(&str, Role)]) -> (tempfile::TempDir, Desk, DraftId) {
    let (tmp, other, draft) = another_desk_without_people(team);
    staff_desk(&team.owner, other.id(), people);
    (tmp, other, draft)
}

/// A source with an identity-free descriptor, added by the store's owner before the desk has people.
pub fn council_source(team: &TeamDesk) -> factdesk_core::store::SourceId {
    let new = NewSource {
        descriptor: "a council official".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: None,
    };
    team.owner_review().add_source(team.desk.id(), &new).expect("source")
}

/// A team store set up as README's *Setting up the server* says (issue 13, review session 8, finding 10): the
/// tables' owner is a login with CREATEROLE and no superuser, who ran `team init` and named herself the first
/// admin of desk A; `adm`, another admin of A, is a plain login her `people add` made.
pub struct OwnedStore {
    pub db: test_postgres::TestDatabase,
    pub tmp: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub owner: String,
    pub adm: String,
    pub desk: DeskId,
}

impl OwnedStore {
    pub fn new() -> Self {
        let owner = unique("ana");
        let db = team_store_owned_by(&owner);
        let mut store = Self {
            db,
            tmp: tempfile::tempdir().expect("tmp"),
            clock: Arc::new(FixedClock::new(chrono::Utc::now())),
            adm: unique("adm"),
            owner,
            desk: DeskId(0),
        };
        store.desk = store.open_desk("a");
        let owner = store.owner.clone();
        store.put(&owner, store.desk, &owner, Role::Admin).expect("the owner names herself first");
        store.put(&owner, store.desk, &store.adm.clone(), Role::Admin).expect("the owner adds another admin");
        store
    }

    pub fn store_as(&self, login: &str) -> SharedStore {
        Store::open(Path::new(&self.db.url_as(login))).expect("login").shared()
    }

    /// A new desk (a folder of its own), recorded by the owner; no people yet.
    pub fn open_desk(&self, name: &str) -> DeskId {
        let folder = self.tmp.path().join(name);
        std::fs::create_dir_all(&folder).expect("mkdir");
        Desk::open(self.store_as(&self.owner), &folder, self.clock.clone()).expect("desk").id()
    }

    /// `by`'s Factdesk runs `people add DESK person --role role` (a password given for a new login).
    pub fn put(&self, by: &str, desk: DeskId, person: &str, role: Role) -> Result<rights::PersonAdded, RightsError> {
        let verifier = rights::login_verifier(b"a password the test server does not ask for");
        let store = self.store_as(by);
        let store = lock(&store);
        rights::add_person(&store, desk, person, role, by, chrono::Utc::now(), Some(&verifier))
    }

    pub fn connect(&self, login: &str) -> postgres::Client {
        postgres::Client::connect(&self.db.url_as(login), postgres::NoTls).expect("connect")
    }

    /// The Factdesk groups `login` is a direct member of, by name.
    pub fn groups_of(&self, login: &str) -> Vec<String> {
        let mut client = postgres::Client::connect(&self.db.url, postgres::NoTls).expect("superuser");
        client
            .query(
                "SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1 AND g.rolname LIKE 'factdesk\\_%'
                 ORDER BY 1",
                &[&login],
            )
            .expect("groups")
            .iter()
            .map(|row| row.get(0))
            .collect()
    }

    pub fn people(&self, desk: DeskId) -> Vec<(String, Role)> {
        rights::people(&lock(&self.store_as(&self.owner)), desk)
            .expect("people")
            .into_iter()
            .map(|p| (p.name, p.role))
            .collect()
    }
}

/// Runs `work` on a thread of its own and hands back a receiver of its outcome: a test waits for it with a
/// timeout, so a write stuck behind a lock fails the test instead of hanging it.
pub fn in_background<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> std::sync::mpsc::Receiver<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver
}

/// A note added through Factdesk as `login` on the team store, in the background: its outcome as text.
pub fn add_note_in_background(
    trail: &TeamTrail,
    login: &str,
    claim: ClaimId,
    text: &'static str,
) -> std::sync::mpsc::Receiver<Result<(), String>> {
    let review = trail.as_login(login);
    in_background(move || review.add_note(NoteTarget::Claim(claim), text, None).map(|_| ()).map_err(|e| e.to_string()))
}
