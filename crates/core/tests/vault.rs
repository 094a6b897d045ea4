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
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, SharedStore};
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
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::write(folder.join("story.txt"), STORY).expect("write");
        let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let review = Review::new(store.clone(), clock.clone(), "Ana Editor".into());
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
