//! People: the `people` table (a desk's people and their roles), and on a
//! team store the server's side of a person: their login and the group role
//! of their Factdesk role (see `migrations/postgres/0007_people.sql`).

use super::engine::{params, Optional};
use super::{DeskId, DraftId, Store, StoreError};

/// One person of a desk, with their role as stored (parsed by [`crate::rights`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub name: String,
    pub role: String,
    pub added_by: String,
    pub added_at: String,
}

/// The server-wide group roles every Factdesk role's logins belong to, as
/// `migrations/postgres/0007_people.sql` creates them.
pub const GROUP_ROLES: [&str; 5] =
    ["factdesk_reporter", "factdesk_editor", "factdesk_standards_editor", "factdesk_lawyer", "factdesk_admin"];

impl Store {
    /// The people of a desk, by name.
    pub fn people_of_desk(&self, desk: DeskId) -> Result<Vec<PersonRecord>, StoreError> {
        let mut stmt =
            self.prepare_cached("SELECT name, role, added_by, added_at FROM people WHERE desk_id = ?1 ORDER BY name")?;
        let rows = stmt.query_map([desk], |row| {
            Ok(PersonRecord { name: row.get(0)?, role: row.get(1)?, added_by: row.get(2)?, added_at: row.get(3)? })
        })?;
        rows.collect()
    }

    /// Whether a desk has any people (a desk without is one reviewer with every right).
    pub fn desk_has_people(&self, desk: DeskId) -> Result<bool, StoreError> {
        let found: Option<i64> = self
            .prepare_cached("SELECT 1 FROM people WHERE desk_id = ?1 LIMIT 1")?
            .query_row([desk], |row| row.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// The role of `name` on a desk, as stored; `None` when they are not one of its people.
    pub fn role_on_desk(&self, desk: DeskId, name: &str) -> Result<Option<String>, StoreError> {
        self.prepare_cached("SELECT role FROM people WHERE desk_id = ?1 AND name = ?2")?
            .query_row(params![desk, name], |row| row.get(0))
            .optional()
    }

    /// Whether this connection's login sees a draft's claims, so that what it writes from them (a re-check
    /// of a ready draft's new version) is not built on rows the server hid from it: always on SQLite (one
    /// file, no logins); on a team store what the server's row-level security asks of a scan's writes
    /// (`factdesk_scan_writes_claims_of`, migrations/postgres/0029: the login sees the claims, as 0007's
    /// `factdesk_may_see_claims_of`, and is one of the draft's desk's people), so a reporter's login is told
    /// no for another reporter's draft, and an editor of another desk for this desk's drafts.
    ///
    /// Not the question [`crate::rights::check`] with `Action::ReadClaims` answers: that asks whether
    /// the *reviewer* (a desk's person, by the role recorded for them) may see the claims, and is the
    /// core's rule on both engines; this asks what the *connection* will be shown, whoever the reviewer is.
    pub fn login_sees_claims_of(&self, draft: DraftId) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Ok(true);
        }
        self.prepare_cached("SELECT factdesk_scan_writes_claims_of(?1)")?.query_row([draft], |row| row.get(0))
    }

    /// Whether this connection may write `desk`'s drafts and their versions: always on SQLite; on a team store
    /// whether the login is one of the desk's people (any role), or in no Factdesk group, or the desk has no people
    /// yet and the login is the store's owner (or, on a store without people, one granted the tables by hand,
    /// migrations/postgres/0043): `factdesk_acts_on_desk`, what the write policies of
    /// `draft_versions` ask since migrations/postgres/0033. An editor of another desk who opens this desk's
    /// folder is told no, and their Factdesk then records nothing of it instead of failing on a refused write.
    pub fn login_writes_drafts_of(&self, desk: DeskId) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Ok(true);
        }
        self.prepare_cached(
            "SELECT factdesk_acts_on_desk(?1, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin'])",
        )?
        .query_row([desk], |row| row.get(0))
    }

    /// Adds a person to a desk, or gives one already there `role`.
    pub fn put_person(&self, desk: DeskId, name: &str, role: &str, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(desk_id, name) DO UPDATE SET role = excluded.role",
        )?
        .execute(params![desk, name, role, by, at])?;
        Ok(())
    }

    /// Takes `name` off a desk's people (SQLite; a team store goes through [`Store::remove_person_on_server`]).
    pub fn delete_person(&self, desk: DeskId, name: &str) -> Result<bool, StoreError> {
        let gone =
            self.prepare_cached("DELETE FROM people WHERE desk_id = ?1 AND name = ?2")?.execute(params![desk, name])?;
        Ok(gone > 0)
    }

    /// On a team store: whether a login (a server role) named `name` exists.
    pub fn login_exists(&self, name: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = self
            .prepare("SELECT 1 FROM pg_roles WHERE rolname = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// On a team store: whether naming `name` on a desk needs a password (its SCRAM verifier): there is no such
    /// login yet, or it is one Factdesk made whose password was cleared when it left the store's last desk
    /// (migrations/postgres/0036).
    pub fn login_needs_password(&self, name: &str) -> Result<bool, StoreError> {
        self.prepare("SELECT factdesk_login_needs_password(?1)")?.query_row([name], |row| row.get(0))
    }

    /// On a team store: who made the existing login `name` through Factdesk, on which desk and when (None: no
    /// such login, or one made outside Factdesk; migrations/postgres/0036).
    pub fn login_maker(&self, name: &str) -> Result<Option<LoginMaker>, StoreError> {
        self.prepare(
            "SELECT m.made_by, m.made_on_desk, m.made_at FROM factdesk_made_logins m
                 JOIN pg_roles x ON x.oid = m.login_oid WHERE x.rolname = ?1",
        )?
        .query_row([name], |row| {
            Ok(LoginMaker { made_by: row.get(0)?, desk: DeskId(row.get(1)?), made_at: row.get(2)? })
        })
        .optional()
    }

    /// On a team store: names `name` on a desk with `role` (or gives them that role), through the server's
    /// own `factdesk_put_person` (migrations/postgres/0031), which runs with the tables' owner's rights and
    /// decides itself whether this login may (an admin of that desk, never about themselves; the owner; the
    /// first people of a desk without people). It creates the login when there is none, from the SCRAM-SHA-256
    /// verifier `scram_verifier` (the password never reaches the server), and puts it in the group of its role
    /// and no other Factdesk group: no person needs CREATEROLE. True when it created the login. Refused on SQLite.
    pub fn put_person_on_server(
        &self,
        desk: DeskId,
        name: &str,
        role: &str,
        at: &str,
        scram_verifier: Option<&str>,
    ) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Err(StoreError::NotOnTeamStore("a database login"));
        }
        self.prepare("SELECT factdesk_put_person(?1, ?2, ?3, ?4, ?5)")?
            .query_row(params![desk, name, role, at, scram_verifier], |row| row.get(0))
    }

    /// On a team store: takes `name` off a desk's people through the server's `factdesk_remove_person`
    /// (migrations/postgres/0031, the same rule as [`Store::put_person_on_server`]); a login then on no desk of
    /// this store leaves Factdesk's groups. True when they were one of the desk's people. Refused on SQLite.
    pub fn remove_person_on_server(&self, desk: DeskId, name: &str) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Err(StoreError::NotOnTeamStore("a database login"));
        }
        self.prepare("SELECT factdesk_remove_person(?1, ?2)")?.query_row(params![desk, name], |row| row.get(0))
    }
}

/// Who made a team store's login through Factdesk's `people add` (migrations/postgres/0036).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginMaker {
    /// The login that added them when the login was made (or its password given anew).
    pub made_by: String,
    /// The desk they were added to then.
    pub desk: DeskId,
    /// When (the server's time, RFC 3339).
    pub made_at: String,
}
