//! A desk's people: who adds, re-roles and takes people off, on the record, through Factdesk and through the
//! server's functions (0031).

use crate::engine;
use crate::fixtures::*;
use factdesk_core::review::ClaimStatus;
use factdesk_core::rights::{self, Role};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{lock, DeskId, Store};
use std::path::Path;

#[test]
fn a_desk_without_people_lets_its_one_reviewer_do_everything() {
    let team = Team::new();
    let review = team.admin_review();
    let claim = review.add_claim(team.shared, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    review.set_status(claim, ClaimStatus::Corroborated).expect("status");
    review.set_draft_status(team.shared, DraftStatus::Ready, Some("test")).expect("ready");
    assert!(rights::people(&lock(&team.admin), team.desk).expect("people").is_empty());
}

/// The reviewer's name (on SQLite a setting, else the computer's login) is looked up only once the desk is
/// known to have people: a desk without lets anyone act. Asked once for a desk, it answers every draft.
#[test]
fn the_reviewers_name_is_looked_up_only_on_a_desk_with_people() {
    use rights::{check_as_reviewer, Action, ReviewerRights};
    let team = Team::new();
    let asked = std::cell::Cell::new(0);
    let reviewer = |name: &str| {
        asked.set(asked.get() + 1);
        name.to_owned()
    };
    {
        let store = lock(&team.admin);
        check_as_reviewer(&store, team.desk, || reviewer("a stranger"), Action::ManagePeople, None).expect("allowed");
        assert_eq!(asked.get(), 0, "a desk without people lets anyone act, whoever they are");
    }
    team.add(ADMIN, ADMIN, Role::Admin).expect("admin first");
    team.add(ADMIN, &team.reporter, Role::Reporter).expect("add");
    let store = lock(&team.admin);
    let refused = check_as_reviewer(&store, team.desk, || reviewer("a stranger"), Action::ReadClaims, None);
    refused_naming(refused, "editor, standards editor, lawyer or admin role, or to be the draft's reporter");
    assert_eq!(asked.get(), 1);
    let own = format!("{}/story.md", team.reporter);
    let others = format!("{}/story.md", team.other_reporter);
    let rights = ReviewerRights::on_desk(&store, team.desk, || reviewer(&team.reporter)).expect("rights");
    rights.check(Action::ReadClaims, Some(&own)).expect("their own draft");
    assert!(rights.check(Action::ReadClaims, Some(&others)).is_err(), "another reporter's");
    assert!(rights.check(Action::MarkReady, Some(&own)).is_err(), "an editor's action");
    assert_eq!(asked.get(), 2, "asked once for the desk's every draft");
}

#[test]
fn once_a_desk_has_people_only_its_admins_add_people_and_strangers_are_refused() {
    let team = Team::staffed();
    // Not even an admin changes their own role (to read identities as a standards editor, say).
    let own = team.add(ADMIN, ADMIN, Role::StandardsEditor).expect_err("refused").to_string();
    assert!(own.contains("cannot change their own role"), "{own}");
    let people = rights::people(&lock(&team.admin), team.desk).expect("people");
    assert_eq!(people.len(), 6);
    assert!(people.iter().any(|p| p.name == team.lawyer && p.role == Role::Lawyer));
    // An editor may not add people.
    refused_naming(team.add(&team.editor, &unique("zed"), Role::Reporter), "admin role");
    // The admin may change a role.
    let changed = team.add(ADMIN, &team.lawyer, Role::Lawyer).expect("same role");
    assert_eq!(changed.previous, Some(Role::Lawyer));
    // Someone who is not one of the desk's people.
    if !engine::on_postgres() {
        let stranger = team.as_person("Mallory");
        let err = stranger.claims(team.shared).expect_err("refused").to_string();
        assert!(err.contains("not one of this desk's people"), "{err}");
    }
}

/// The window's *Assign…* offers the desk's people and its header says the reviewer's role: both are the core's
/// list of names and roles, empty on a desk without people.
#[test]
fn the_window_is_told_the_desks_people_and_their_roles() {
    let team = Team::new();
    assert!(team.admin_review().desk_people(team.desk).expect("people").is_empty(), "a desk without people");
    let team = Team::staffed();
    let people = team.as_person(&team.reporter).desk_people(team.desk).expect("a reporter reads them too");
    let role_of = |name: &str| people.iter().find(|p| p.name == name).map(|p| p.role);
    assert_eq!(role_of(&team.reporter), Some(rights::Role::Reporter));
    assert_eq!(role_of(&team.editor), Some(rights::Role::Editor));
    assert_eq!(role_of(&team.standards), Some(rights::Role::StandardsEditor));
    assert_eq!(role_of(&team.lawyer), Some(rights::Role::Lawyer));
    assert_eq!(role_of("nobody"), None);
    let mut names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), "by name");
}

/// Review session 8, finding 3: an admin's login changed its own role (`UPDATE people SET role =
/// 'standards-editor' WHERE name = current_user`), which Factdesk refuses ("nobody changes their own role"), and
/// any admin's login named itself the first admin of a desk without people (one it created, or one another login
/// opened), so that from then on it decided who joins. Now (0028) no group login writes its own row of `people`,
/// and a desk's first people are added only by a login in none of Factdesk's groups (the store's owner, who ran
/// `team init`, as README's set-up does). Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_no_admin_changes_their_own_role_or_claims_a_desk_without_people() {
    let team = TeamDesk::new();
    let (ada, ed) = (unique("ada"), unique("ed"));
    team.staff(&[(&ada, Role::Admin), (&ed, Role::Editor)]);
    let desk = team.desk.id().0;
    let mut admin = team.connect(&ada);
    let refused = |client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| {
        let error = client.execute(sql, params).expect_err(sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    };
    refused(
        &mut admin,
        "UPDATE people SET role = 'standards-editor' WHERE desk_id = $1 AND name = current_user",
        &[&desk],
    );
    // A desk without people (the owner records it since 0043, before giving it people): not theirs to claim.
    let mut by_owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    let squatted: i64 = by_owner
        .query_one(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/news/investigations', 'x', 'x') RETURNING id",
            &[],
        )
        .expect("the owner records a desk")
        .get(0);
    refused(
        &mut admin,
        "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, current_user, 'admin', current_user, 'x')",
        &[&squatted],
    );
    refused(
        &mut admin,
        "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, $2, 'admin', current_user, 'x')",
        &[&squatted, &ed],
    );
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let people = |superuser: &mut postgres::Client| -> Vec<(i64, String, String)> {
        superuser
            .query("SELECT desk_id, name, role FROM people WHERE name IN ($1, $2) ORDER BY desk_id, name", &[&ada, &ed])
            .expect("people")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect()
    };
    let mut expected = vec![(desk, ada.clone(), "admin".to_owned()), (desk, ed.clone(), "editor".to_owned())];
    expected.sort();
    assert_eq!(people(&mut superuser), expected);
    // Another person's role is the admin's to change (through the server's function, since 0031); the store's
    // owner gives the new desk its first admin, as README's set-up does.
    admin
        .query_one("SELECT factdesk_put_person($1, $2, 'standards-editor', 'x', NULL)", &[&desk, &ed])
        .expect("an admin changes another person's role");
    assert!(people(&mut superuser).contains(&(desk, ed.clone(), "standards-editor".to_owned())));
    let owner = lock(&team.owner);
    let owner_login = owner.team_actor().expect("login");
    rights::add_person(&owner, DeskId(squatted), &owner_login, Role::Admin, &owner_login, chrono::Utc::now(), None)
        .expect("the owner adds a desk's first admin");
}

/// Review session 8, finding 10: every admin who added people held CREATEROLE, which on PostgreSQL 15 joins any
/// role (`GRANT ana TO mallory; SET ROLE ana`: the tables' owner). The server's own functions (0031) now add,
/// re-role and remove people for an admin whose login has no CREATEROLE, and such a login joins no role itself.
#[test]
fn on_a_team_store_an_admin_without_createrole_adds_re_roles_and_removes_a_person_of_their_desk() {
    let store = OwnedStore::new();
    let adm = store.adm.clone();
    let mut client = store.connect(&adm);
    let createrole: bool = client
        .query_one("SELECT rolcreaterole FROM pg_roles WHERE rolname = session_user", &[])
        .expect("attributes")
        .get(0);
    assert!(!createrole, "people add made the admin a plain login");
    assert_eq!(store.groups_of(&adm), ["factdesk_admin"]);

    let bo = unique("bo");
    let added = store.put(&adm, store.desk, &bo, Role::Reporter).expect("the admin adds bo, creating his login");
    assert!(added.login_created && added.previous.is_none(), "{added:?}");
    assert_eq!(store.groups_of(&bo), ["factdesk_reporter"]);
    let added = store.put(&adm, store.desk, &bo, Role::Editor).expect("the admin makes bo an editor");
    assert_eq!((added.previous, added.login_created), (Some(Role::Reporter), false));
    assert_eq!(store.groups_of(&bo), ["factdesk_editor"], "out of the reporters' group, into the editors'");
    assert!(store.people(store.desk).contains(&(bo.clone(), Role::Editor)));
    let added_by: String = client
        .query_one("SELECT added_by FROM people WHERE desk_id = $1 AND name = $2", &[&store.desk.0, &bo])
        .expect("row")
        .get(0);
    assert_eq!(added_by, adm);
    // bo's new login works as himself.
    let mut bo_client = store.connect(&bo);
    let who: String = bo_client.query_one("SELECT session_user::text", &[]).expect("bo").get(0);
    assert_eq!(who, bo);

    let removed: bool = client
        .query_one("SELECT factdesk_remove_person($1, $2)", &[&store.desk.0, &bo])
        .expect("the admin removes bo")
        .get(0);
    assert!(removed);
    assert!(!store.people(store.desk).iter().any(|(name, _)| *name == bo));
    assert!(store.groups_of(&bo).is_empty(), "on no desk of this store: in no Factdesk group");

    // And the admin's own login joins no role by itself: not the owner's, not a group's.
    for sql in [
        format!("GRANT \"{}\" TO \"{adm}\"", store.owner),
        format!("GRANT factdesk_editor TO \"{adm}\""),
        format!("GRANT factdesk_standards_editor TO \"{bo}\""),
        format!("CREATE ROLE \"{}\" LOGIN", unique("mallory")),
    ] {
        let error = client.batch_execute(&sql).expect_err(&sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    }
    assert_eq!(store.groups_of(&adm), ["factdesk_admin"]);
}

/// Review session 8, finding 10 and 2: with the people's functions running as the owner, an admin is held by the
/// server to their own desk, never names themselves, and never makes a person of a role that is not one.
#[test]
fn on_a_team_store_an_admin_names_no_one_on_another_desk_nor_themselves_nor_a_role_that_is_not_a_person() {
    let store = OwnedStore::new();
    let (owner, adm) = (store.owner.clone(), store.adm.clone());
    let other = store.open_desk("b");
    let cy = unique("cy");
    store.put(&owner, other, &owner, Role::Admin).expect("the owner starts desk B");
    store.put(&owner, other, &cy, Role::Reporter).expect("cy on desk B");
    let empty = store.open_desk("c");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    let (creator, group) = (unique("creator"), unique("newsroom"));
    superuser
        .batch_execute(&format!(
            "CREATE ROLE \"{creator}\" LOGIN CREATEROLE; CREATE ROLE \"{group}\" NOLOGIN; GRANT \"{group}\" TO \"{cy}\""
        ))
        .expect("roles that are no person");

    let mut client = store.connect(&adm);
    let verifier = rights::login_verifier(b"a password");
    let newcomer = unique("eve");
    let mut refused = |desk: DeskId, person: &str, role: &str, verifier: &str, code: &str| {
        let error = client
            .query_one(
                "SELECT factdesk_put_person($1, $2, $3, '2026-12-02T00:00:00Z', $4)",
                &[&desk.0, &person, &role, &verifier],
            )
            .expect_err(person);
        assert_eq!(sqlstate(&error), Some(code), "{person} as {role} on desk {}: {error}", desk.0);
    };
    // Another desk: no one new, no one re-roled.
    refused(other, &newcomer, "reporter", &verifier, "42501");
    refused(other, &cy, "admin", &verifier, "42501");
    // Themselves: another role on their desk, the first admin of a desk without people.
    refused(store.desk, &adm, "standards-editor", &verifier, "42501");
    refused(empty, &adm, "admin", &verifier, "42501");
    // Roles that are no person: the owner, a group, the server's superuser, a login that creates roles, a role
    // others are members of.
    for role_name in [owner.as_str(), "factdesk_editor", "factdesk", creator.as_str(), group.as_str()] {
        refused(store.desk, role_name, "reporter", &verifier, "42501");
    }
    // A password in clear is no verifier: it would sit in the statement.
    refused(store.desk, &newcomer, "reporter", "correct horse battery staple", "22023");
    let error = client
        .query_one("SELECT factdesk_remove_person($1, $2)", &[&other.0, &cy])
        .expect_err("removing from another desk");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");

    // Nothing of it happened.
    assert_eq!(store.people(other), vec![(owner.clone(), Role::Admin), (cy.clone(), Role::Reporter)]);
    assert!(store.people(empty).is_empty());
    let exists: bool = superuser
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&newcomer])
        .expect("roles")
        .get(0);
    assert!(!exists, "no login made for a refused person");
    assert_eq!(store.groups_of(&adm), ["factdesk_admin"]);
    assert!(store.groups_of(&owner).iter().all(|g| g == "factdesk_admin"));
    assert!(store.groups_of(&creator).is_empty() && store.groups_of(&group).is_empty());
    assert_eq!(store.groups_of(&cy), ["factdesk_reporter"]);

    // The core says no first, in its own words, and the server's answer stands behind it.
    assert!(store.put(&adm, other, &newcomer, Role::Reporter).is_err());
}

/// Review session 8, finding 10 (and session 9, finding 12), for a store made before 0031: `team init` names every
/// login still holding CREATEROLE, a person's or not (never the owner nor a superuser), and the logins that are members of the owner's role, for the server's
/// administrator to take back; it changes no role itself.
#[test]
fn on_a_team_store_team_init_names_every_login_still_holding_createrole() {
    use factdesk_core::store::postgres::PgStore;
    let store = OwnedStore::new();
    let location = store.db.url_as(&store.owner).parse().expect("url");
    // The test server is shared: other tests' owners hold CREATEROLE too, so only this store's logins are asked.
    let named = |login: &str| {
        PgStore::init(&location).expect("init").logins_with_createrole().expect("asked").iter().any(|l| l == login)
    };
    assert!(!named(&store.adm) && !named(&store.owner), "the owner is never named");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser.batch_execute(&format!("ALTER ROLE \"{}\" CREATEROLE", store.adm)).expect("as the old README said");
    assert!(named(&store.adm));
    // Review session 9, finding 12: a login an old CREATEROLE admin made CREATEROLE, nobody's person, is named too.
    let sock = unique("sock");
    superuser.batch_execute(&format!("CREATE ROLE \"{sock}\" LOGIN CREATEROLE")).expect("a dormant login");
    assert!(named(&sock), "every CREATEROLE login but the owner and superusers");
    assert!(!named("factdesk"), "the server's superuser is not named");
    let still: bool = superuser
        .query_one("SELECT rolcreaterole FROM pg_roles WHERE rolname = $1", &[&store.adm])
        .expect("attributes")
        .get(0);
    assert!(still, "said, not changed");
    // And a login that made itself a member of the owner's role that way (GRANT ana TO adm) is named too.
    assert_eq!(
        PgStore::init(&location).expect("init").members_of_owner().expect("asked"),
        (store.owner.clone(), vec![])
    );
    superuser.batch_execute(&format!("GRANT \"{}\" TO \"{}\"", store.owner, store.adm)).expect("as finding 10 did");
    assert_eq!(
        PgStore::init(&location).expect("init").members_of_owner().expect("asked"),
        (store.owner.clone(), vec![store.adm.clone()])
    );
}

/// Issue 13 (review session 8, finding 10): people are taken off a desk by an admin of it, never by themselves,
/// on the record; the person then acts on the desk no more. On a team store the server's own function removes
/// them (0031) and their login leaves Factdesk's groups once it is on no desk of the store.
#[test]
fn an_admin_takes_a_person_off_the_desk_on_the_record_and_no_one_takes_themselves_off() {
    let team = Team::staffed();
    let lawyer = team.lawyer.clone();
    refused_naming(
        rights::remove_person(
            &lock(&team.store_of(&team.reporter)),
            team.desk,
            &lawyer,
            &team.reporter,
            chrono::Utc::now(),
        ),
        "admin",
    );
    let admin = team.admin.clone();
    let err =
        rights::remove_person(&lock(&admin), team.desk, ADMIN, ADMIN, chrono::Utc::now()).expect_err("themselves");
    assert!(err.to_string().contains("another admin"), "{err}");
    let err = rights::remove_person(&lock(&admin), team.desk, "nobody", ADMIN, chrono::Utc::now()).expect_err("nobody");
    assert!(err.to_string().contains("not one of this desk's people"), "{err}");

    let previous =
        rights::remove_person(&lock(&admin), team.desk, &lawyer, ADMIN, chrono::Utc::now()).expect("removed");
    assert_eq!(previous, Role::Lawyer);
    assert!(!rights::people(&lock(&admin), team.desk).expect("people").iter().any(|p| p.name == lawyer));
    // The lawyer adds no note any more: one of no desk's people (on a team store, their login, in no Factdesk
    // group now, is not even let into the store's tables).
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(&team.db);
        let as_lawyer = test_postgres::url_as_login(&url, &lawyer);
        assert!(Store::open(Path::new(&as_lawyer)).is_err(), "the lawyer's login reads the store no more");
    } else {
        let refused = team.as_person(&lawyer).add_note(NoteTarget::Draft(team.shared), "Still here?", None);
        assert!(refused.is_err(), "the lawyer acts on the desk no more");
    }
    let entries = factdesk_core::audit::entries(&lock(&admin), None).expect("trail");
    let last = entries.iter().rev().find(|e| e.action == "person.remove").expect("on the record");
    assert!(last.before.as_deref().is_some_and(|b| b.contains(&lawyer) && b.contains("lawyer")), "{last:?}");
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(&team.db);
        let mut superuser = postgres::Client::connect(&url, postgres::NoTls).expect("superuser");
        let grouped: bool = superuser
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1 AND g.rolname LIKE 'factdesk\\_%')",
                &[&lawyer],
            )
            .expect("groups")
            .get(0);
        assert!(!grouped, "on no desk of the store: in no Factdesk group");
    }
}

/// The SQLSTATE of `sql` (one row expected), refused on `client`'s connection.
fn refused_state(client: &mut postgres::Client, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> String {
    let error = client.query_one(sql, params).expect_err(sql);
    sqlstate(&error).unwrap_or_default().to_owned()
}

const PUT_PERSON: &str = "SELECT factdesk_put_person($1, $2, $3, '2020-01-01T00:00:00Z', $4)";

/// Review session 9, finding 2: a login's group is the whole server's, so an admin of one desk gives no other role
/// to a person of another desk they are no admin of (which would demote that desk's admin, or promote its
/// reporter), nor moves a login grouped by someone else (another store's person) into another group. The same
/// role is no change of group; the owner, and an admin of every desk the person is on, still may.
#[test]
fn on_a_team_store_an_admin_of_one_desk_changes_no_group_of_a_person_of_another_desk() {
    let store = OwnedStore::new();
    let (owner, adm) = (store.owner.clone(), store.adm.clone());
    let other = store.open_desk("b");
    let (bea, rita, stranger) = (unique("bea"), unique("rita"), unique("stranger"));
    store.put(&owner, other, &owner, Role::Admin).expect("the owner starts desk B");
    store.put(&owner, other, &bea, Role::Admin).expect("bea, B's admin");
    store.put(&owner, other, &rita, Role::Reporter).expect("rita, B's reporter");
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN; GRANT factdesk_editor TO \"{stranger}\""))
        .expect("another store's editor");
    let verifier = rights::login_verifier(b"a password");
    let mut client = store.connect(&adm);
    let desk = store.desk.0;
    for (person, role) in [(&bea, "reporter"), (&rita, "standards-editor"), (&stranger, "reporter")] {
        let state = refused_state(&mut client, PUT_PERSON, &[&desk, person, &role, &verifier]);
        assert_eq!(state, "42501", "{person} as {role}");
    }
    assert_eq!(store.groups_of(&bea), ["factdesk_admin"]);
    assert_eq!(store.groups_of(&rita), ["factdesk_reporter"]);
    assert_eq!(store.groups_of(&stranger), ["factdesk_editor"]);
    assert!(store.people(store.desk).iter().all(|(name, _)| *name != bea && *name != rita && *name != stranger));
    // The core says the server's no.
    assert!(store.put(&adm, store.desk, &rita, Role::StandardsEditor).is_err());

    // Her own role on desk A too: her group does not change. The owner names her there: adm did not make her login
    // (review session 10, P6), so adm may not, even with the same role.
    assert!(store.put(&adm, store.desk, &rita, Role::Reporter).is_err());
    store.put(&owner, store.desk, &rita, Role::Reporter).expect("rita, a reporter of A as of B");
    assert_eq!(store.groups_of(&rita), ["factdesk_reporter"]);
    // An admin of both desks re-roles her; so does the owner.
    store.put(&owner, other, &adm, Role::Admin).expect("adm, an admin of B too");
    store.put(&adm, store.desk, &rita, Role::Editor).expect("an admin of every desk rita is on");
    assert_eq!(store.groups_of(&rita), ["factdesk_editor"]);
    store.put(&owner, store.desk, &stranger, Role::Lawyer).expect("the owner decides");
    assert_eq!(store.groups_of(&stranger), ["factdesk_lawyer"]);
}

/// Review session 9, finding 3: the groups write `people` only through the server's functions. An admin's own
/// INSERT, UPDATE or DELETE is refused (taking themselves off to become no desk's person, emptying a desk, a role no
/// group matches), and a login in the admins' group that is no desk's person (another store's) names no one on a desk
/// without people, not even itself as its first admin (review session 10, finding 5: the owner does).
#[test]
fn on_a_team_store_no_login_but_the_owner_writes_people_but_through_the_servers_functions() {
    let store = OwnedStore::new();
    let (owner, adm) = (store.owner.clone(), store.adm.clone());
    let desk = store.desk.0;
    let mut client = store.connect(&adm);
    for sql in [
        format!("DELETE FROM people WHERE desk_id = {desk} AND name = current_user"),
        format!("DELETE FROM people WHERE desk_id = {desk}"),
        format!("UPDATE people SET role = 'lawyer' WHERE desk_id = {desk} AND name = '{owner}'"),
        format!(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ({desk}, '{}', 'editor', 'x', 'x')",
            unique("rita")
        ),
    ] {
        let error = client.batch_execute(&sql).expect_err(&sql);
        assert_eq!(sqlstate(&error), Some("42501"), "{sql}: {error}");
    }
    assert_eq!(store.people(store.desk).len(), 2, "nothing of it happened");

    // A login in the admins' group that is no desk's person (another store's admin on the server): on a desk
    // without people, not even itself as its first admin since 0043 (review session 10, finding 5): the owner
    // names a desk's first people.
    let empty = store.open_desk("c");
    let (zed, rita) = (unique("zed"), unique("rita"));
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    superuser
        .batch_execute(&format!("CREATE ROLE \"{zed}\" LOGIN; GRANT factdesk_admin TO \"{zed}\""))
        .expect("an admin of no desk yet");
    let verifier = rights::login_verifier(b"a password");
    let mut zed_client = store.connect(&zed);
    for (person, role) in [(&rita, "standards-editor"), (&zed, "standards-editor")] {
        let state = refused_state(&mut zed_client, PUT_PERSON, &[&empty.0, person, &role, &verifier]);
        assert_eq!(state, "42501", "{person} as {role}");
    }
    assert!(store.people(empty).is_empty());
    let none: Option<&str> = None;
    let state = refused_state(&mut zed_client, PUT_PERSON, &[&empty.0, &zed, &"admin", &none]);
    assert_eq!(state, "42501", "zed starts desk C");
    assert!(store.people(empty).is_empty());
}

/// A `person.*` audit entry as the server stored it: action, actor, at, before, after.
type PersonEntry = (String, String, String, Option<String>, Option<String>);

/// Review session 9, finding 9: a person added, re-roled or removed by raw SQL through the server's functions is on
/// the record as the login that asked, at the server's time (not the time the client gave); through Factdesk the
/// change is recorded once.
#[test]
fn on_a_team_store_people_changed_by_raw_sql_are_on_the_record_at_the_servers_time() {
    let store = OwnedStore::new();
    let adm = store.adm.clone();
    let entries_about = |person: &str| -> Vec<PersonEntry> {
        let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
        superuser
            .query(
                "SELECT action, actor, at, before, after FROM audit_log
                 WHERE action LIKE 'person.%' AND (before LIKE '%' || $1 || '%' OR after LIKE '%' || $1 || '%')
                 ORDER BY seq",
                &[&person],
            )
            .expect("trail")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)))
            .collect()
    };
    let sock = unique("sock");
    let verifier = rights::login_verifier(b"a password");
    let mut client = store.connect(&adm);
    client.query_one(PUT_PERSON, &[&store.desk.0, &sock, &"reporter", &verifier]).expect("added by raw SQL");
    let added_at: String = client
        .query_one("SELECT added_at FROM people WHERE desk_id = $1 AND name = $2", &[&store.desk.0, &sock])
        .expect("row")
        .get(0);
    assert!(!added_at.starts_with("2020"), "the server's time: {added_at}");
    client.query_one(PUT_PERSON, &[&store.desk.0, &sock, &"editor", &verifier]).expect("re-roled by raw SQL");
    client.query_one("SELECT factdesk_remove_person($1, $2)", &[&store.desk.0, &sock]).expect("removed by raw SQL");
    let entries = entries_about(&sock);
    let desk_entity = format!("desk:{}", store.desk.0);
    assert_eq!(entries.len(), 3, "{entries:?}");
    let json = |role: &str| format!("{{\"person\":\"{sock}\",\"role\":\"{role}\"}}");
    assert_eq!(
        (entries[0].0.as_str(), entries[0].3.clone(), entries[0].4.clone()),
        ("person.add", None, Some(json("reporter")))
    );
    assert_eq!(
        (entries[1].0.as_str(), entries[1].3.clone(), entries[1].4.clone()),
        ("person.add", Some(json("reporter")), Some(json("editor")))
    );
    assert_eq!(
        (entries[2].0.as_str(), entries[2].3.clone(), entries[2].4.clone()),
        ("person.remove", Some(json("editor")), None)
    );
    for (_, actor, at, _, _) in &entries {
        assert_eq!(actor, &adm);
        assert!(!at.starts_with("2020") && at.ends_with('Z'), "{at}");
    }
    let mut superuser = postgres::Client::connect(&store.db.url, postgres::NoTls).expect("superuser");
    let entity_count: i64 = superuser
        .query_one("SELECT count(*) FROM audit_log WHERE entity = $1 AND action LIKE 'person.%'", &[&desk_entity])
        .expect("count")
        .get(0);
    assert!(entity_count >= 3);

    // Through Factdesk (the core calls the same function): one entry per change, not two.
    let cy = unique("cy");
    store.put(&adm, store.desk, &cy, Role::Lawyer).expect("added through Factdesk");
    rights::remove_person(&lock(&store.store_as(&adm)), store.desk, &cy, &adm, chrono::Utc::now()).expect("removed");
    let entries = entries_about(&cy);
    assert_eq!(
        entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["person.add", "person.remove"],
        "{entries:?}"
    );
    let trail = factdesk_core::store::postgres::PgStore::connect(&store.db.url_as(&store.owner).parse().expect("url"))
        .expect("owner")
        .audit_entries(None)
        .expect("trail");
    assert!(factdesk_core::audit::verify_chain(&trail).broken.is_none());
}
