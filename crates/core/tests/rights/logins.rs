//! The logins `factdesk_put_person` makes (review session 10, finding 4; migrations/postgres/0036): an admin of one
//! desk names no existing login they did not make (its password may be theirs to know), a person leaving the
//! store's last desk leaves with no password, two adds granting one login one group at once both succeed, and the
//! server's functions take a wrapping of the desk key as the core does (finding 17).

use crate::fixtures::*;
use factdesk_core::rights::{self, Role};

const PUT_PERSON: &str = "SELECT factdesk_put_person($1, $2, $3, '2020-01-01T00:00:00Z', $4)";

fn password_cleared(store: &OwnedStore, login: &str) -> bool {
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .query_one("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = $1", &[&login])
        .expect("pg_authid")
        .get(0)
}

/// An admin of desk A makes `nina` (a password they chose) and takes her off again: B's admin names her no more,
/// by raw SQL or through Factdesk, nor a login made outside Factdesk; her password was cleared when she left, so
/// even the owner names her only with a new one.
#[test]
fn an_admin_names_no_existing_login_they_did_not_make_and_a_leaving_persons_password_is_cleared() {
    let store = OwnedStore::new();
    let (owner, adm) = (store.owner.clone(), store.adm.clone());
    let other = store.open_desk("b");
    let (bea, nina, outsider) = (unique("bea"), unique("nina"), unique("outsider"));
    store.put(&owner, other, &owner, Role::Admin).expect("the owner starts desk B");
    store.put(&owner, other, &bea, Role::Admin).expect("bea, B's admin");
    let chosen = rights::login_verifier(b"a password adm chose");
    let mut adm_client = store.connect(&adm);
    let created: bool = adm_client
        .query_one(PUT_PERSON, &[&store.desk.0, &nina, &"reporter", &chosen])
        .expect("adm makes nina on A")
        .get(0);
    assert!(created);
    assert!(!password_cleared(&store, &nina));
    let removed: bool = adm_client
        .query_one("SELECT factdesk_remove_person($1, $2)", &[&store.desk.0, &nina])
        .expect("and takes her off")
        .get(0);
    assert!(removed);
    assert!(password_cleared(&store, &nina), "on no desk of the store: no password");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{outsider}\" LOGIN")).expect("a login made outside Factdesk");

    let mut bea_client = store.connect(&bea);
    let fresh = rights::login_verifier(b"bea's own");
    for person in [&nina, &outsider] {
        let error = bea_client
            .query_one(PUT_PERSON, &[&other.0, person, &"standards-editor", &fresh])
            .expect_err("bea names a login she did not make");
        assert_eq!(sqlstate(&error), Some("42501"), "{person}: {error}");
        let refused = store.put(&bea, other, person, Role::StandardsEditor).expect_err("through Factdesk too");
        assert!(refused.to_string().contains("exists already"), "{refused}");
    }
    let error = store.put(&adm, store.desk, &outsider, Role::Reporter).expect_err("adm did not make it either");
    assert!(error.to_string().contains("outside Factdesk"), "{error}");
    assert!(store.groups_of(&nina).is_empty() && store.groups_of(&outsider).is_empty());
    assert!(store.people(other).iter().all(|(name, _)| *name != nina && *name != outsider));

    // The owner decides, but gives nina a new password: the one adm chose is gone.
    let owner_store = store.store_as(&owner);
    let owner_store = factdesk_core::store::lock(&owner_store);
    let without =
        rights::add_person(&owner_store, other, &nina, Role::StandardsEditor, &owner, chrono::Utc::now(), None);
    assert!(without.expect_err("no password given").to_string().contains("password"));
    drop(owner_store);
    let added = store.put(&owner, other, &nina, Role::StandardsEditor).expect("the owner adds nina with a password");
    assert!(added.login_created, "a password set anew");
    assert!(!password_cleared(&store, &nina));
    let maker = factdesk_core::store::lock(&store.store_as(&bea)).login_maker(&nina).expect("maker");
    assert_eq!(maker.map(|m| (m.made_by, m.desk)), Some((owner.clone(), other)));
    // On a second desk too, the owner names her: she is no person of A yet, and adm did not make her (P6).
    store.put(&owner, store.desk, &bea, Role::Admin).expect("bea, an admin of A too");
    store.put(&owner, store.desk, &nina, Role::StandardsEditor).expect("nina on A too, by the owner");
}

/// Review session 10, P6: a login desk A's admin made and KEEPS on desk A is not B's admin's to name on desk B (A's
/// admin knows its password), by raw SQL or through Factdesk, with the same role or another; nor a person made
/// outside Factdesk. Its maker or the owner names it on B; a person is re-roled on their own desk as before.
#[test]
fn an_admin_names_no_person_of_another_desk_they_did_not_make() {
    let store = OwnedStore::new();
    let (owner, adm) = (store.owner.clone(), store.adm.clone());
    let other = store.open_desk("b");
    let (bea, nina, outsider) = (unique("bea"), unique("nina"), unique("outsider"));
    store.put(&owner, other, &owner, Role::Admin).expect("the owner starts desk B");
    store.put(&owner, other, &bea, Role::Admin).expect("bea, B's admin");
    let chosen = rights::login_verifier(b"a password adm chose");
    let mut adm_client = store.connect(&adm);
    adm_client
        .query_one(PUT_PERSON, &[&store.desk.0, &nina, &"standards-editor", &chosen])
        .expect("adm makes nina on A, and keeps her");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{outsider}\" LOGIN")).expect("a login made outside Factdesk");
    store.put(&owner, store.desk, &outsider, Role::StandardsEditor).expect("the owner names the outsider on A");

    let mut bea_client = store.connect(&bea);
    for (person, made) in
        [(&nina, format!("made by {adm} through Factdesk")), (&outsider, "made outside Factdesk".into())]
    {
        for role in ["standards-editor", "reporter"] {
            let error = bea_client
                .query_one(PUT_PERSON, &[&other.0, person, &role, &None::<String>])
                .expect_err("bea names a person of A she did not make");
            assert_eq!(sqlstate(&error), Some("42501"), "{person}: {error}");
        }
        let refused = store.put(&bea, other, person, Role::StandardsEditor).expect_err("through Factdesk too");
        let message = refused.to_string();
        assert!(message.contains(&made) && message.contains("the store's owner adds it"), "{message}");
    }
    assert!(store.people(other).iter().all(|(name, _)| *name != nina && *name != outsider));
    assert_eq!(store.groups_of(&nina), ["factdesk_standards_editor"]);

    // On their own desk, re-roled as before by its admin, whoever made the login.
    store.put(&adm, store.desk, &outsider, Role::Editor).expect("adm re-roles the outsider on A");
    store.put(&adm, store.desk, &nina, Role::Editor).expect("and nina");
    store.put(&owner, other, &adm, Role::Admin).expect("the owner makes adm an admin of B");
    // nina's maker names her on B; the outsider only the owner.
    store.put(&adm, other, &nina, Role::Editor).expect("her maker names nina on B");
    let refused = store.put(&adm, other, &outsider, Role::Editor).expect_err("not adm's login");
    assert!(refused.to_string().contains("outside Factdesk"), "{refused}");
    store.put(&owner, other, &outsider, Role::Editor).expect("the owner names the outsider on B");
    assert!(store.people(other).contains(&(nina.clone(), Role::Editor)));
    assert!(store.people(other).contains(&(outsider.clone(), Role::Editor)));
}

/// Two adds granting one existing login the same group at once (two desks): the second GRANT waited on the first's
/// uncommitted membership and failed with 23505 once it committed; now both succeed. Deterministic: the second is
/// let go only once the server shows it waiting on a lock.
#[test]
fn two_adds_granting_one_login_one_group_at_once_both_succeed() {
    let store = OwnedStore::new();
    let owner = store.owner.clone();
    let other = store.open_desk("b");
    store.put(&owner, other, &owner, Role::Admin).expect("the owner starts desk B");
    let rex = unique("rex");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("CREATE ROLE \"{rex}\" LOGIN")).expect("rex's login");
    let verifier = rights::login_verifier(b"unused");

    let mut first = store.connect(&owner);
    let mut first_tx = first.transaction().expect("begin");
    first_tx.query_one(PUT_PERSON, &[&store.desk.0, &rex, &"reporter", &verifier]).expect("first add");
    let mut second = store.connect(&owner);
    let second_pid: i32 = second.query_one("SELECT pg_backend_pid()", &[]).expect("pid").get(0);
    let (rex2, verifier2) = (rex.clone(), verifier.clone());
    let outcome = in_background(move || {
        second
            .query_one(PUT_PERSON, &[&other.0, &rex2, &"reporter", &verifier2])
            .map(|_| ())
            .map_err(|e| format!("{e} ({:?})", e.code()))
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let waiting: bool = superuser
            .query_one(
                "SELECT coalesce(bool_or(wait_event_type = 'Lock'), FALSE) FROM pg_stat_activity WHERE pid = $1",
                &[&second_pid],
            )
            .expect("activity")
            .get(0);
        if waiting {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the second add never waited on the first");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    first_tx.commit().expect("the first add commits");
    let second_result = outcome.recv_timeout(std::time::Duration::from_secs(30)).expect("the second add ends");
    assert_eq!(second_result, Ok(()), "the membership granted meanwhile is the one wanted");
    assert_eq!(store.groups_of(&rex), ["factdesk_reporter"]);
    assert!(store.people(other).contains(&(rex.clone(), Role::Reporter)));
}

/// Finding 17: an admin's raw `factdesk_remove_person`, or a re-role to a role that holds no wrapping, takes the
/// person's wrapping of the desk key with it, as the core's `add_person`/`remove_person` do.
#[test]
fn the_servers_people_functions_take_a_wrapping_the_role_may_not_hold() {
    let store = OwnedStore::new();
    let adm = store.adm.clone();
    let (sam, ed) = (unique("sam"), unique("ed"));
    store.put(&adm, store.desk, &sam, Role::StandardsEditor).expect("sam");
    store.put(&adm, store.desk, &ed, Role::Editor).expect("ed");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .execute(
            "INSERT INTO vaults (desk_id, created_by, created_at) VALUES ($1, $2, '2020-01-01T00:00:00Z')",
            &[&store.desk.0, &sam],
        )
        .expect("a vault");
    for person in [&sam, &ed] {
        superuser
            .execute(
                "INSERT INTO vault_keys (desk_id, recipient, kind, kdf, kdf_memory_kib, kdf_iterations,
                     kdf_parallelism, salt, nonce, wrapped_key, created_by, created_at)
                 VALUES ($1, $2, 'passphrase', 'argon2id-v19', 65536, 3, 1, $3, $4, $5, $2, '2020-01-01T00:00:00Z')",
                &[&store.desk.0, person, &vec![7u8; 16], &vec![7u8; 24], &vec![7u8; 48]],
            )
            .expect("a wrapping");
    }
    let wrappings = |superuser: &mut postgres::Client| -> Vec<String> {
        superuser
            .query("SELECT recipient FROM vault_keys WHERE desk_id = $1 ORDER BY recipient", &[&store.desk.0])
            .expect("wrappings")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    let mut client = store.connect(&adm);
    client
        .query_one(PUT_PERSON, &[&store.desk.0, &ed, &"reporter", &None::<String>])
        .expect("ed made a reporter by raw SQL");
    assert_eq!(wrappings(&mut superuser), vec![sam.clone()], "a reporter holds no wrapping");
    client
        .query_one("SELECT factdesk_remove_person($1, $2)", &[&store.desk.0, &sam])
        .expect("sam taken off by raw SQL");
    assert!(wrappings(&mut superuser).is_empty(), "off the desk: no wrapping");
}
