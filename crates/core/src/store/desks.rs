//! Desks: the `desks` table (one row per watched folder).

use super::engine::{params, Optional};
use super::{DeskId, Store, StoreError};
use crate::clock::to_rfc3339;
use chrono::{DateTime, Utc};

impl Store {
    /// The desk for the folder at `path` (canonical), created on first use.
    pub fn open_desk(&self, path: &str, now: DateTime<Utc>) -> Result<DeskId, StoreError> {
        let now = to_rfc3339(now);
        let mut stmt = self.prepare_cached(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES (?1, ?2, ?2)
             ON CONFLICT(path) DO UPDATE SET last_opened_at = excluded.last_opened_at
             RETURNING id",
        )?;
        Ok(DeskId(stmt.query_row(params![path, now], |row| row.get(0))?))
    }

    pub fn desk_path(&self, desk: DeskId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT path FROM desks WHERE id = ?1")?;
        stmt.query_row([desk], |row| row.get(0)).optional()
    }
}
