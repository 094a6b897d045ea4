//! Desks: the `desks` table (one row per watched folder).

use super::engine::{params, Optional};
use super::{DeskId, Store, StoreError};
use crate::clock::to_rfc3339;
use chrono::{DateTime, Utc};

impl Store {
    /// The desk for the folder at `path` (canonical), created on first use, and noted as opened now. Not an
    /// upsert: on a team store only a desk's people note when it was last opened (migrations/postgres/0041), and an
    /// upsert onto a row the server's UPDATE policy does not let through is refused, where a plain UPDATE changes
    /// nothing: a login that is not one of the desk's people still opens it (read-only, `Desk::login_writes_here`).
    /// A desk that exists is looked up first: on a team store only the store's owner (and a login in no group)
    /// records a new one (0043), and a person's login opening a folder that is no desk yet is refused
    /// ([`StoreError::NotADeskYet`]).
    pub fn open_desk(&self, path: &str, now: DateTime<Utc>) -> Result<DeskId, StoreError> {
        let now = to_rfc3339(now);
        if self.desk_by_path(path)?.is_none() {
            self.prepare_cached(
                "INSERT INTO desks (path, created_at, last_opened_at) VALUES (?1, ?2, ?2) ON CONFLICT(path) DO NOTHING",
            )?
            .execute(params![path, now])
            .map_err(|error| match error {
                StoreError::Postgres(message) if message.contains("42501") => {
                    StoreError::NotADeskYet { path: path.to_owned() }
                }
                other => other,
            })?;
        }
        self.prepare_cached("UPDATE desks SET last_opened_at = ?2 WHERE path = ?1")?.execute(params![path, now])?;
        self.desk_by_path(path)?.ok_or_else(|| StoreError::Malformed(format!("no desk recorded for {path}")))
    }

    fn desk_by_path(&self, path: &str) -> Result<Option<DeskId>, StoreError> {
        let id: Option<i64> = self
            .prepare_cached("SELECT id FROM desks WHERE path = ?1")?
            .query_row([path], |row| row.get(0))
            .optional()?;
        Ok(id.map(DeskId))
    }

    pub fn desk_path(&self, desk: DeskId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT path FROM desks WHERE id = ?1")?;
        stmt.query_row([desk], |row| row.get(0)).optional()
    }
}
