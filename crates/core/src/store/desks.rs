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
    pub fn open_desk(&self, path: &str, now: DateTime<Utc>) -> Result<DeskId, StoreError> {
        let now = to_rfc3339(now);
        self.prepare_cached(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES (?1, ?2, ?2) ON CONFLICT(path) DO NOTHING",
        )?
        .execute(params![path, now])?;
        self.prepare_cached("UPDATE desks SET last_opened_at = ?2 WHERE path = ?1")?.execute(params![path, now])?;
        let mut stmt = self.prepare_cached("SELECT id FROM desks WHERE path = ?1")?;
        Ok(DeskId(stmt.query_row([path], |row| row.get(0))?))
    }

    pub fn desk_path(&self, desk: DeskId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT path FROM desks WHERE id = ?1")?;
        stmt.query_row([desk], |row| row.get(0)).optional()
    }
}
