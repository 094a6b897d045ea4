//! Review session 10, finding 5: who makes a desk, whose a desk without people is, and the last admins of a desk.
//! Always on a real PostgreSQL server, whatever engine the run is for.

use crate::fixtures::*;
use factdesk_core::desk::Desk;
use factdesk_core::review::ClaimStatus;
use factdesk_core::rights::{self, Role};
use factdesk_core::store::Store;
use std::path::Path;

const PUT_PERSON: &str = "SELECT factdesk_put_person($1, $2, $3, '2020-01-01T00:00:00Z', $4)";
const REMOVE_PERSON: &str = "SELECT factdesk_remove_person($1, $2)";

/// A wrapping of `desk`'s key for `recipient`, written by the server's superuser (what a vault set up before the
/// desk had people, or one `migrate-store` copied, leaves).
fn wrapping(superuser: &mut postgres::Client, desk: i64, recipient: &str, kind: &str) {
    superuser
        .execute(
            "INSERT INTO vault_keys (desk_id, recipient, kind, kdf, kdf_memory_kib, kdf_iterations, kdf_parallelism,
                 salt, nonce, wrapped_key, created_by, created_at)
             VALUES ($1, $2, $3, 'argon2id-v19', 65536, 3, 1, $4, $5, $6, $2, '2020-01-01T00:00:00Z')",
            &[&desk, &recipient, &kind, &vec![7u8; 16], &vec![7u8; 24], &vec![7u8; 48]],
        )
        .expect("a wrapping");
}

/// A count as `client` reads it; none where its group may not read the table at all (42501).
fn count(client: &mut postgres::Client, sql: &str, desk: i64) -> i64 {
    match client.query_one(sql, &[&desk]) {
        Ok(row) => row.get(0),
        Err(error) if sqlstate(&error) == Some("42501") => 0,
        Err(error) => panic!("{sql}: {error}"),
    }
}

/// What a login reads of `desk`: its claims, drafts' text, sources, passphrase wrappings of its key, and whether the desk
/// is among those its reads go by.
fn reads_of(client: &mut postgres::Client, desk: i64) -> [i64; 5] {
    [
        count(client, "SELECT count(*) FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE d.desk_id = $1", desk),
        count(
            client,
            "SELECT count(*) FROM draft_versions v JOIN drafts d ON d.id = v.draft_id WHERE d.desk_id = $1",
            desk,
        ),
        count(client, "SELECT count(*) FROM sources WHERE desk_id = $1", desk),
        // The recovery key's wrapping is every holder's to read (0014: 256 random bits, not worth guessing).
        count(client, "SELECT count(*) FROM vault_keys WHERE desk_id = $1 AND kind = 'passphrase'", desk),
        count(client, "SELECT count(*) FROM unnest(factdesk_desks_read()) k WHERE k = $1", desk),
    ]
}

/// Finding 5: a desk without people was every login's: any group login of the server (an editor of another desk,
/// another store's person) read its claims, text, register and every wrapping of its key, deleted those wrappings
/// (`factdesk_vault_forget_wrappings`: a holder by "no people and DELETE on vault_keys"), wrote its register and
/// settings, and a login in the admins' group that is nobody's person here named itself its first admin. Now, on
/// a store with people, a desk without people is the owner's (and a login's in no group) until the owner gives it
/// people; the owner still sets it up.
#[test]
fn on_a_team_store_a_desk_without_people_is_nobodys_but_the_owners() {
    let team = TeamDesk::new();
    let (ed, sue, ada, zed) = (unique("ed"), unique("sue"), unique("ada"), unique("zed"));
    team.staff(&[(&ed, Role::Editor), (&sue, Role::StandardsEditor), (&ada, Role::Admin)]);
    // The owner opens a second folder: a desk without people, with a claim, a source and a vault set up on it.
    let (_tmp, other, draft) = another_desk_without_people(&team);
    let b = other.id().0;
    team.owner_review().add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect("the owner's claim");
    council_source_on(&team, other.id());
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    superuser
        .execute(
            "INSERT INTO vaults (desk_id, created_by, created_at) VALUES ($1, 'owner', '2020-01-01T00:00:00Z')",
            &[&b],
        )
        .expect("a vault");
    wrapping(&mut superuser, b, "owner", "passphrase");
    wrapping(&mut superuser, b, "recovery", "recovery");
    // Another store's admin on the same server: in the admins' group, nobody's person here.
    superuser.batch_execute(&format!("CREATE ROLE \"{zed}\" LOGIN IN ROLE factdesk_admin")).expect("zed");

    for login in [&ed, &sue, &ada, &team.bo, &zed] {
        let mut client = team.connect(login);
        assert_eq!(reads_of(&mut client, b), [0; 5], "{login} reads the desk without people");
    }
    // The desk's own reads are as before for a person of the first desk.
    let mut editor = team.connect(&ed);
    assert_eq!(
        count(&mut editor, "SELECT count(*) FROM unnest(factdesk_desks_read()) k WHERE k = $1", team.desk.id().0),
        1
    );
    // Writes: its register, its drafts, its settings, its vault.
    let refused = |client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| {
        let error = client.execute(sql, params).expect_err(sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    };
    refused(
        &mut editor,
        "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
         VALUES ($1, 'planted', 'unnamed', 'x', 'x', 'x', 'x')",
        &[&b],
    );
    refused(&mut editor, "INSERT INTO settings (key, value) VALUES ($1, 'planted')", &[&format!("desk:{b}:rules")]);
    refused(&mut editor, "SELECT factdesk_vault_forget_wrappings($1)", &[&b]);
    let mut standards = team.connect(&sue);
    refused(&mut standards, "SELECT factdesk_vault_forget_wrappings($1)", &[&b]);
    assert_eq!(editor.execute("UPDATE drafts SET title = 'x' WHERE desk_id = $1", &[&b]).expect("update"), 0);
    let keys: i64 = superuser.query_one("SELECT count(*) FROM vault_keys WHERE desk_id = $1", &[&b]).expect("n").get(0);
    assert_eq!(keys, 2, "every wrapping of the copied key is there");
    // Its first admin: not another store's admin naming itself.
    let none: Option<&str> = None;
    let mut stranger = team.connect(&zed);
    let error = stranger.query_one(PUT_PERSON, &[&b, &zed, &"admin", &none]).expect_err("zed squats desk B");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
    // The core says it in its own words rather than fail on the server's refusals.
    let refusal =
        team.review_as(&ed).add_claim(draft, &quote(), ClaimStatus::NeedsCorroboration).expect_err("ed's claim");
    assert!(refusal.to_string().contains("not one of"), "{refusal}");
    // The owner still sets the desk up, and gives it people.
    let owner = team.owner_review();
    let claim = owner.claims(draft).expect("claims")[0].id;
    owner.set_status(claim, ClaimStatus::Disputed).expect("the owner acts on the desk without people");
    staff_desk(&team.owner, other.id(), &[(&ed, Role::Editor)]);
    let mut editor = team.connect(&ed);
    assert_eq!(reads_of(&mut editor, b)[..3], [1, 1, 1], "once its editor, ed reads it");
}

/// The same, on a store no desk of which has people yet (`team init`, the owner's copy of a desk with its vault,
/// before its people are added, README "set up the vault first"): another store's editor on the server reads
/// nothing of it and forgets no wrapping; a login granted the tables by hand (as before people existed) keeps
/// every right, its first admin included.
#[test]
fn on_a_team_store_without_people_only_the_owner_and_logins_granted_the_tables_act() {
    let team = TeamDesk::new();
    let b = team.desk.id().0;
    team.owner_review().add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    superuser
        .execute(
            "INSERT INTO vaults (desk_id, created_by, created_at) VALUES ($1, 'owner', '2020-01-01T00:00:00Z')",
            &[&b],
        )
        .expect("a vault");
    wrapping(&mut superuser, b, "owner", "passphrase");
    let (eve, nog) = (unique("eve"), unique("nog"));
    superuser.batch_execute(&format!("CREATE ROLE \"{eve}\" LOGIN IN ROLE factdesk_editor")).expect("eve");
    team.db.create_login(&nog);

    let mut other_stores_editor = team.connect(&eve);
    assert_eq!(reads_of(&mut other_stores_editor, b), [0; 5]);
    let error = other_stores_editor.execute("SELECT factdesk_vault_forget_wrappings($1)", &[&b]).expect_err("forget");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
    let none: Option<&str> = None;
    let error = other_stores_editor.query_one(PUT_PERSON, &[&b, &eve, &"admin", &none]).expect_err("squat");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");

    let mut granted = team.connect(&nog);
    assert_eq!(reads_of(&mut granted, b), [1, 2, 0, 1, 1], "a login granted the tables reads everything");
    granted.query_one(PUT_PERSON, &[&b, &nog, &"admin", &none]).expect("it starts the desk's people");
}

/// Finding 5: every group login inserted desks (a path squatted before the newsroom used it, or millions of rows
/// that every read's desk arrays then carried). Now only the store's owner (or a login in no group, granted the
/// tables by hand) records a new desk; a group login opening a folder that is no desk yet is told, in plain
/// words, to ask the owner, and one opening a desk that exists opens it as before.
#[test]
fn on_a_team_store_only_the_owner_records_a_new_desk() {
    let team = TeamDesk::new();
    let ada = unique("ada");
    team.staff(&[(&ada, Role::Admin)]);
    for login in [&team.bo, &ada] {
        let mut client = team.connect(login);
        let error = client
            .execute(
                "INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/news/investigations', 'x', 'x')",
                &[],
            )
            .expect_err("a group login records a desk");
        assert_eq!(sqlstate(&error), Some("42501"), "{login}: {error}");
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("investigations");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let as_admin = Store::open(Path::new(&team.db.url_as(&ada))).expect("login").shared();
    let Err(error) = Desk::open(as_admin, &folder, team.clock.clone()) else { panic!("an admin recorded a desk") };
    let message = error.to_string();
    assert!(message.contains("ask the store's owner to add this folder as a desk"), "{message}");
    assert!(message.contains("people add"), "{message}");
    // Its own desk opens as before; the owner records the new one, which the admin then opens (nobody's yet).
    team.desk_as(&ada);
    let desk = Desk::open(team.owner.clone(), &folder, team.clock.clone()).expect("the owner records it");
    let as_admin = Store::open(Path::new(&team.db.url_as(&ada))).expect("login").shared();
    assert_eq!(Desk::open(as_admin, &folder, team.clock.clone()).expect("opened").id(), desk.id());
}

/// Waits until the server shows `pid` waiting on a lock, or `done` has an outcome.
fn wait_for_lock_or_end<T>(
    superuser: &mut postgres::Client,
    pid: i32,
    done: &std::sync::mpsc::Receiver<T>,
) -> Option<T> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Ok(outcome) = done.try_recv() {
            return Some(outcome);
        }
        let waiting: bool = superuser
            .query_one(
                "SELECT coalesce(bool_or(wait_event_type = 'Lock'), FALSE) FROM pg_stat_activity WHERE pid = $1",
                &[&pid],
            )
            .expect("activity")
            .get(0);
        if waiting {
            return None;
        }
        assert!(std::time::Instant::now() < deadline, "the second change neither waited nor ended");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Finding 5, the race: the last two people of a desk, both admins, each took the other off at once (READ
/// COMMITTED: neither saw the other's uncommitted delete, and the admin check read without a lock), and the desk
/// fell open to every login; the same with each giving the other another role (a desk with no admin). Now each
/// change of a desk's people locks the desk's row first: the second waits, then is refused (its caller is no
/// admin there any more). Deterministic: the first holds its transaction open until the second waits or ends.
#[test]
fn when_the_last_two_admins_take_each_other_off_at_once_the_second_is_refused() {
    let store = OwnedStore::new();
    let owner = store.owner.clone();
    for change in ["remove", "re-role"] {
        let desk = store.open_desk(&unique("b"));
        let (adm, bea) = (unique("adm"), unique("bea"));
        // The owner names them through the server's function (Factdesk asks the owner to be one of the desk's
        // people first: here the two admins are its only people).
        let verifier = rights::login_verifier(b"unused");
        let mut by_owner = store.connect(&owner);
        for admin in [&adm, &bea] {
            by_owner.query_one(PUT_PERSON, &[&desk.0, admin, &"admin", &verifier]).expect("an admin");
        }
        let mut first = store.connect(&adm);
        let mut first_tx = first.transaction().expect("begin");
        change_of(&mut first_tx, change, desk.0, &bea).expect("adm's change");
        let mut second = store.connect(&bea);
        let second_pid: i32 = second.query_one("SELECT pg_backend_pid()", &[]).expect("pid").get(0);
        let adm2 = adm.clone();
        let outcome = in_background(move || {
            change_of(&mut second, change, desk.0, &adm2)
                .map_err(|e| e.code().map(|c| c.code().to_owned()).unwrap_or_default())
        });
        let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
        let ended_first = wait_for_lock_or_end(&mut superuser, second_pid, &outcome);
        first_tx.commit().expect("adm's change commits");
        let second_result = match ended_first {
            Some(result) => result,
            None => outcome.recv_timeout(std::time::Duration::from_secs(30)).expect("the second change ends"),
        };
        assert_eq!(second_result, Err("42501".to_owned()), "{change}: bea's change of adm went through");
        let admins: Vec<String> =
            store.people(desk).into_iter().filter(|(_, role)| *role == Role::Admin).map(|(name, _)| name).collect();
        assert_eq!(admins, [adm], "{change}: the desk keeps its admin");
    }
}

/// `other` taken off `desk` ("remove") or made its editor, through the server's functions.
fn change_of(
    client: &mut impl postgres::GenericClient,
    change: &str,
    desk: i64,
    other: &str,
) -> Result<(), postgres::Error> {
    let no_verifier: Option<&str> = None;
    match change {
        "remove" => client.query_one(REMOVE_PERSON, &[&desk, &other]).map(|_| ()),
        _ => client.query_one(PUT_PERSON, &[&desk, &other, &"editor", &no_verifier]).map(|_| ()),
    }
}

/// A source on `desk`, added by the store's owner while the desk has no people.
fn council_source_on(team: &TeamDesk, desk: factdesk_core::store::DeskId) {
    use factdesk_core::sourcing::source::{NewSource, SourceKind};
    let new = NewSource {
        descriptor: "a council official".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: None,
    };
    team.owner_review().add_source(desk, &new).expect("source");
}
