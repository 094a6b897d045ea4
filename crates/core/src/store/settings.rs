//! Settings: the `settings` key/value table.

use super::engine::Optional;
use super::{Store, StoreError};

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        stmt.query_row([key], |row| row.get(0)).optional()
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut stmt = self.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?;
        stmt.execute([key, value])?;
        Ok(())
    }
}
