//! People: the `people` table (a desk's people and their roles), and on a
//! team store the server's side of a person: their login and the group role
//! of their Factdesk role (see `migrations/postgres/0007_people.sql`).

use super::engine::{params, quoted_identifier, Engine, Optional};
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

fn quoted_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

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

    /// Adds a person to a desk, or gives one already there `role`.
    pub fn put_person(&self, desk: DeskId, name: &str, role: &str, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(desk_id, name) DO UPDATE SET role = excluded.role",
        )?
        .execute(params![desk, name, role, by, at])?;
        Ok(())
    }

    /// On a team store: whether a login (a server role) named `name` exists.
    pub fn login_exists(&self, name: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = self
            .prepare("SELECT 1 FROM pg_roles WHERE rolname = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// On a team store: creates the login `name` with a password given as
    /// its SCRAM-SHA-256 verifier, so the password itself never reaches the
    /// server (nor its statement log). Refused on SQLite.
    pub fn create_login(&self, name: &str, scram_verifier: &str) -> Result<(), StoreError> {
        let Engine::Pg(pg) = &self.engine else { return Err(StoreError::NotOnTeamStore("a database login")) };
        // CREATE ROLE takes no parameters: the name is quoted as an identifier, the verifier as a literal.
        pg.batch(&format!("CREATE ROLE {} LOGIN PASSWORD {}", quoted_identifier(name), quoted_literal(scram_verifier)))
            .map_err(explain_role_error)
    }

    /// On a team store: makes login `name` a member of `group` (one of
    /// [`GROUP_ROLES`]) and of no other Factdesk group. Refused on SQLite.
    pub fn set_login_group(&self, name: &str, group: &str) -> Result<(), StoreError> {
        let Engine::Pg(pg) = &self.engine else { return Err(StoreError::NotOnTeamStore("a database login")) };
        if !GROUP_ROLES.contains(&group) {
            return Err(StoreError::Malformed(format!("{group} is not a Factdesk group role")));
        }
        let login = quoted_identifier(name);
        for other in GROUP_ROLES.iter().filter(|g| **g != group) {
            let member: Option<i64> = self
                .prepare(
                    "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                     JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ?1 AND u.rolname = ?2",
                )?
                .query_row(params![*other, name], |row| row.get(0))
                .optional()?;
            if member.is_some() {
                pg.batch(&format!("REVOKE {} FROM {login}", quoted_identifier(other))).map_err(explain_role_error)?;
            }
        }
        pg.batch(&format!("GRANT {} TO {login}", quoted_identifier(group))).map_err(explain_role_error)
    }
}

/// A refusal by the server to create or grant a role, said as what to do.
fn explain_role_error(error: StoreError) -> StoreError {
    match error {
        StoreError::Postgres(message) if message.contains("42501") => StoreError::Postgres(format!(
            "{message}: adding people on a team store needs a login with CREATEROLE (ALTER ROLE … CREATEROLE, by the server's administrator)"
        )),
        other => other,
    }
}
