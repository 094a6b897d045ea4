//! Settings: the `settings` key/value table.

use super::engine::Optional;
use super::{Store, StoreError};

/// Settings each login of a team store has its own of: the desk its window opens at start (src-tauri/session.rs).
/// Kept under `login:NAME:KEY` there, which the server lets only the login NAME write (migrations/postgres/0034);
/// under `KEY` on SQLite, the one reviewer's computer.
const PER_LOGIN: &[&str] = &["last_desk"];

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = self.stored_key(key);
        let mut stmt = self.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        stmt.query_row([key.as_str()], |row| row.get(0)).optional()
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let stored = self.stored_key(key);
        let mut stmt = self.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?;
        stmt.execute([stored.as_str(), value]).map_err(|error| refused_setting(key, error))?;
        Ok(())
    }

    /// Whether this login may change `key` (the server's rule, migrations/postgres/0034, asked as it stands: the
    /// window offers a setting only to whom may change it). The table's owner, to whom row security does not
    /// apply, changes any. Always on SQLite, one reviewer's computer.
    pub fn may_write_setting(&self, key: &str) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Ok(true);
        }
        let key = self.stored_key(key);
        self.prepare_cached("SELECT NOT pg_catalog.row_security_active('settings') OR factdesk_may_write_setting(?1)")?
            .query_row([key.as_str()], |row| row.get(0))
    }

    /// Where `key` is kept: a per-login key under this login's name on a team store.
    fn stored_key(&self, key: &str) -> String {
        match self.team_actor() {
            Some(login) if PER_LOGIN.contains(&key) => format!("login:{login}:{key}"),
            _ => key.to_owned(),
        }
    }
}

/// Whose `key` is on a team store, said to a login that may not change it (migrations/postgres/0034).
pub fn whose_setting(key: &str) -> &'static str {
    if key.starts_with("desk:") {
        "it is the desk's: its editors and standards editors set it"
    } else if key == "vault_idle_minutes" {
        "on a team store the vault's idle time is every desk's: the store's owner sets it"
    } else {
        "it is the team store's: its owner sets it"
    }
}

/// The team store's refusal (insufficient_privilege: row-level security, migrations/postgres/0034) said as whose
/// setting it is, rather than the server's words about a policy.
fn refused_setting(key: &str, error: StoreError) -> StoreError {
    let whose = whose_setting(key);
    match error {
        StoreError::Postgres(message) if message.contains("42501") => {
            StoreError::Postgres(format!("the server refused to change the setting {key}: {whose} ({message})"))
        }
        other => other,
    }
}
