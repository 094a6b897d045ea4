//! A desk's vault: the `vaults` and `vault_keys` tables (the desk key,
//! wrapped once per passphrase and once for the recovery key). Wrapping and
//! unwrapping happen above the store; it keeps the bytes.

use super::engine::{params, Optional};
use super::{DeskId, Store, StoreError};

/// One wrapping of a desk key to store.
#[derive(Debug, Clone, Copy)]
pub struct NewWrappedKey<'a> {
    pub desk: DeskId,
    pub recipient: &'a str,
    /// `passphrase` or `recovery`.
    pub kind: &'a str,
    pub kdf: &'a str,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: &'a [u8],
    pub nonce: &'a [u8],
    pub wrapped: &'a [u8],
    pub by: &'a str,
    pub at: &'a str,
}

/// One stored wrapping of a desk key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKeyRow {
    pub recipient: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub wrapped: Vec<u8>,
}

impl Store {
    /// Stores a wrapping of a desk key, replacing the one for the same kind and recipient.
    pub fn put_wrapped_key(&self, key: &NewWrappedKey<'_>) -> Result<(), StoreError> {
        self.prepare_cached("INSERT INTO vault_keys (desk_id, recipient, kind, kdf, kdf_memory_kib, kdf_iterations, kdf_parallelism,
                                     salt, nonce, wrapped_key, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(desk_id, kind, recipient) DO UPDATE SET kdf = excluded.kdf,
                 kdf_memory_kib = excluded.kdf_memory_kib, kdf_iterations = excluded.kdf_iterations,
                 kdf_parallelism = excluded.kdf_parallelism, salt = excluded.salt, nonce = excluded.nonce,
                 wrapped_key = excluded.wrapped_key, created_by = excluded.created_by, created_at = excluded.created_at")?.execute(params![
                key.desk,
                key.recipient,
                key.kind,
                key.kdf,
                key.memory_kib,
                key.iterations,
                key.parallelism,
                key.salt,
                key.nonce,
                key.wrapped,
                key.by,
                key.at
            ],
        )?;
        Ok(())
    }

    /// A desk's wrappings of its key of one kind, oldest first.
    pub fn wrapped_keys(&self, desk: DeskId, kind: &str) -> Result<Vec<WrappedKeyRow>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT recipient, kdf_memory_kib, kdf_iterations, kdf_parallelism, salt, nonce, wrapped_key
             FROM vault_keys WHERE desk_id = ?1 AND kind = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![desk, kind], |row| {
            Ok(WrappedKeyRow {
                recipient: row.get(0)?,
                memory_kib: row.get(1)?,
                iterations: row.get(2)?,
                parallelism: row.get(3)?,
                salt: row.get(4)?,
                nonce: row.get(5)?,
                wrapped: row.get(6)?,
            })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Deletes one wrapping of a desk's key (a computer forgotten).
    pub fn delete_wrapped_key(&self, desk: DeskId, kind: &str, recipient: &str) -> Result<(), StoreError> {
        self.prepare_cached("DELETE FROM vault_keys WHERE desk_id = ?1 AND kind = ?2 AND recipient = ?3")?
            .execute(params![desk, kind, recipient])?;
        Ok(())
    }

    /// Forgets every wrapping of a desk's key (before a rotation stores new ones).
    ///
    /// On a team store each holder reads only their own rows (row-level
    /// security, `migrations/postgres/0014_vault_held.sql`), and a DELETE
    /// reaches only the rows its author may read: the server's function does
    /// it, after checking the login is one who may unlock the vault.
    pub fn delete_wrapped_keys(&self, desk: DeskId) -> Result<(), StoreError> {
        if self.is_team_store() {
            self.prepare_cached("SELECT factdesk_vault_forget_wrappings(?1)")?.query_row([desk], |_| Ok(()))?;
            return Ok(());
        }
        self.prepare_cached("DELETE FROM vault_keys WHERE desk_id = ?1")?.execute([desk])?;
        Ok(())
    }

    /// Deletes a person's wrapping of a desk's key (their role no longer
    /// allows it, or a holder took it back), with the wrappings of the
    /// computers they remembered the desk on; returns how many rows went.
    /// On a team store through the server's function (the rows are not the
    /// caller's to read), which refuses whom may not take them back.
    pub fn drop_person_vault_wrapping(&self, desk: DeskId, person: &str) -> Result<usize, StoreError> {
        if self.is_team_store() {
            let gone: i64 = self
                .prepare_cached("SELECT factdesk_vault_drop_wrapping(?1, ?2)")?
                .query_row(params![desk, person], |row| row.get(0))?;
            return Ok(usize::try_from(gone).unwrap_or(0));
        }
        let gone = self
            .prepare_cached(
                "DELETE FROM vault_keys WHERE desk_id = ?1 AND kind = 'passphrase'
                 AND (recipient = ?2 OR (substr(recipient, 1, 1) = char(31) AND created_by = ?2))",
            )?
            .execute(params![desk, person])?;
        Ok(gone)
    }

    /// The people a desk's key is wrapped for under a passphrase (not the
    /// computers that remember it, whose recipients start with the unit
    /// separator), by name. On a team store each login reads only its own
    /// wrapping (row-level security, `0014_vault_held.sql`): the server's
    /// function names them, to a holder or one of the desk's editors or
    /// admins only (`0020_vault_holders_listed.sql`).
    pub fn vault_holder_names(&self, desk: DeskId) -> Result<Vec<String>, StoreError> {
        let sql = if self.is_team_store() {
            "SELECT factdesk_vault_holder_names(?1)"
        } else {
            "SELECT DISTINCT recipient FROM vault_keys WHERE desk_id = ?1 AND kind = 'passphrase'
             AND substr(recipient, 1, 1) <> char(31) ORDER BY recipient"
        };
        let mut stmt = self.prepare_cached(sql)?;
        let rows = stmt.query_map([desk], |row| row.get(0))?;
        rows.collect()
    }

    /// The generation of a desk's vault, or `None` when the desk has none.
    pub fn vault_generation(&self, desk: DeskId) -> Result<Option<i64>, StoreError> {
        self.prepare_cached("SELECT generation FROM vaults WHERE desk_id = ?1")?
            .query_row([desk], |row| row.get(0))
            .optional()
    }

    /// Records a desk's new vault, generation 1.
    pub fn insert_vault(&self, desk: DeskId, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached("INSERT INTO vaults (desk_id, generation, created_by, created_at) VALUES (?1, 1, ?2, ?3)")?
            .execute(params![desk, by, at])?;
        Ok(())
    }

    /// Sets the generation of a desk's vault (a new key).
    pub fn set_vault_generation(&self, desk: DeskId, generation: i64) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE vaults SET generation = ?2 WHERE desk_id = ?1")?
            .execute(params![desk, generation])?;
        Ok(())
    }

    /// Clears what the database file still holds of overwritten values: a
    /// checkpoint writes the WAL into the database and truncates it; VACUUM
    /// rebuilds the file with no free page left.
    ///
    /// On a team store there is no file of Factdesk's to scrub: the server
    /// keeps old row versions until its own VACUUM reclaims them, which is
    /// the newsroom's database administration, not the reviewer's.
    pub fn scrub_free_pages(&self) -> Result<(), StoreError> {
        if self.is_team_store() {
            return Ok(());
        }
        self.batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
    }

    /// Failed unlock attempts on a desk's vault since the last success, and
    /// when the last one was made (RFC 3339 as stored).
    pub fn vault_attempts(&self, desk: DeskId) -> Result<Option<(u32, String)>, StoreError> {
        self.prepare_cached("SELECT failures, last_at FROM vault_attempts WHERE desk_id = ?1")?
            .query_row([desk], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
    }

    /// Counts one more unlock attempt as failed (until it is cleared on success).
    pub fn count_vault_attempt(&self, desk: DeskId, at: &str) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO vault_attempts (desk_id, failures, last_at) VALUES (?1, 1, ?2)
             ON CONFLICT(desk_id) DO UPDATE SET failures = vault_attempts.failures + 1, last_at = excluded.last_at",
        )?
        .execute(params![desk, at])?;
        Ok(())
    }

    /// Forgets a desk's failed unlock attempts (a right passphrase was given).
    pub fn clear_vault_attempts(&self, desk: DeskId) -> Result<(), StoreError> {
        self.prepare_cached("DELETE FROM vault_attempts WHERE desk_id = ?1")?.execute([desk])?;
        Ok(())
    }
}
