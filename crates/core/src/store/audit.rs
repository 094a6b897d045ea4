//! The audit trail: the `audit_log` table, and the reads the trail's replay
//! compares with (see [`crate::audit`]). Hashing and checking the chain
//! happen above the store; it keeps the entries exactly as given.

use super::engine::{params, Optional, Row, ValueRef};
use super::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::ops::ControlFlow;

/// An entry of the trail as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    /// JSON of the state before, when there was one.
    pub before: Option<String>,
    /// JSON of the state after, when there is one.
    pub after: Option<String>,
    /// Empty when a team store keeps it from this login (see [`ChainLink::Unhashed`]).
    pub prev_hash: String,
    /// Empty when a team store keeps it from this login (see [`ChainLink::Unhashed`]).
    pub hash: String,
}

fn entry_from_row(row: &Row<'_>) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        entity: row.get(4)?,
        before: row.get(5)?,
        after: row.get(6)?,
        prev_hash: row.get(7)?,
        hash: row.get(8)?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, before, after, prev_hash, hash";

/// The entries a login reads on a team store, each with its hashes where the server gives them (the view
/// `audit_log_hashes`, migrations/postgres/0023: up to the first entry the login may not read, every later hash
/// depending on that one), empty where it does not; then whether it gave them.
const TEAM_ENTRIES: &str = "SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before, a.after,
            coalesce(h.prev_hash, ''), coalesce(h.hash, ''), h.seq IS NOT NULL
     FROM audit_log a LEFT JOIN audit_log_hashes h ON h.seq = a.seq";

/// One entry of the chain as a login walks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainLink {
    /// An entry this login reads, with its hashes.
    Read(AuditEntry),
    /// An entry this login reads whose hashes the server keeps from it (on a team store: it follows an entry
    /// the login may not read, and its hashes would let the login test guesses of that one). Its `prev_hash`
    /// and `hash` are empty.
    Unhashed(AuditEntry),
}

/// What the team store's server found walking the whole chain as its owner (`factdesk_audit_verdict()`,
/// migrations/postgres/0032), as far as this login may be told: no count of entries, and the number of the first
/// entry that does not hold only when this login reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerVerdict {
    Intact,
    /// The first entry that does not hold: its number when this login reads it (`None`: an entry it may not
    /// read), and why (for an entry it may not read, only that).
    Broken {
        seq: Option<i64>,
        reason: String,
    },
}

/// One entity kind of the trail and the table holding its rows.
pub struct AuditedTable {
    pub kind: &'static str,
    pub table: &'static str,
    pub created_column: &'static str,
    /// (key in the trail's `after`, SQL expression over the row, whether it is a boolean)
    pub fields: &'static [(&'static str, &'static str, bool)],
}

/// What the replay compares: every field the trail records a value for.
pub const AUDITED_TABLES: &[AuditedTable] = &[
    AuditedTable {
        kind: "claim",
        table: "claims",
        created_column: "created_at",
        fields: &[("status", "status", false), ("quote", "exact", false)],
    },
    AuditedTable {
        kind: "source",
        table: "sources",
        created_column: "created_at",
        fields: &[("descriptor", "descriptor", false), ("kind", "kind", false), ("notes", "notes", false)],
    },
    AuditedTable {
        kind: "evidence",
        table: "evidence",
        created_column: "added_at",
        fields: &[
            ("claim", "claim_id", false),
            ("kind", "kind", false),
            ("reference", "reference", false),
            ("summary", "summary", false),
            ("independent", "independent", true),
            ("stance", "stance", false),
        ],
    },
    AuditedTable {
        kind: "note",
        table: "notes",
        created_column: "created_at",
        fields: &[("text", "text", false), ("private", "private", true), ("resolved", "resolved_at IS NOT NULL", true)],
    },
];

/// One row of an audited table: its id, when it was made, and the values
/// of the table's audited fields in [`AuditedTable::fields`] order (JSON, a
/// boolean field as a boolean, NULL and blobs as null).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditedRow {
    pub id: i64,
    pub created: String,
    pub values: Vec<Value>,
}

/// A live link between a claim and a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveLink {
    pub claim: i64,
    pub source: i64,
    pub role: String,
    pub linked_at: String,
}

impl Store {
    /// The newest entry's number and hash, when the trail has one: what a SQLite append links to and the head
    /// file records. A team store's server links each append itself ([`Store::insert_audit_entry_linked_by_server`])
    /// and gives a login in a Factdesk group no hash column of the trail: the core asks this on SQLite only.
    pub fn newest_audit_entry(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
    }

    /// The newest entry's number, when the trail has one; on a team store the newest of those this login reads
    /// (row-level security, migrations/postgres/0019): an entry it may not read changes nothing it is shown.
    pub fn newest_audit_seq(&self) -> Result<Option<i64>, StoreError> {
        self.prepare_cached("SELECT max(seq) FROM audit_log")?.query_row([], |row| row.get(0))
    }

    /// Appends an entry, exactly as given (its hash already computed): SQLite's append.
    pub fn insert_audit_entry(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.before,
            entry.after,
            entry.prev_hash,
            entry.hash
        ])?;
        Ok(())
    }

    /// Appends an entry's content to a team store's trail; the server links it (migrations/postgres/0027): its
    /// trigger, holding the audit lock, sets the number, `prev_hash` (the newest entry's hash, which may be one
    /// this login may not read) and `hash`. `entry`'s `seq`, `prev_hash` and `hash` are not sent, and nothing
    /// of the link is read back: a login that may not read the entry before its own must not be given its hash.
    pub fn insert_audit_entry_linked_by_server(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO audit_log (at, actor, action, entity, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![entry.at, entry.actor, entry.action, entry.entity, entry.before, entry.after])?;
        Ok(())
    }

    /// The trail, oldest first; only the entries about `entity` when given. On a team store, the entries this
    /// login reads, their `prev_hash` and `hash` empty where the server keeps them from it (see
    /// [`ChainLink::Unhashed`]).
    pub fn audit_entries(&self, entity: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = if self.is_team_store() {
            format!("{TEAM_ENTRIES} WHERE CAST(?1 AS TEXT) IS NULL OR a.entity = ?1 ORDER BY a.seq")
        } else {
            format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE CAST(?1 AS TEXT) IS NULL OR entity = ?1 ORDER BY seq")
        };
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([entity], entry_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// The entries about `entity`, and every source removal and restore
    /// (which may list the entity's links), oldest first. On a team store
    /// without their hashes (empty), which a history does not show.
    pub fn audit_entries_about_or_source_removals(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = if self.is_team_store() {
            // A claim's history shows what happened, not the chain: no hashes, so no read of the view
            // `audit_log_hashes`, whose cut-off walks every entry the login reads (row-level security on each)
            // and would make opening a claim cost as much as `audit verify` on a long trail.
            "SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before, a.after, '', ''
             FROM audit_log a
             WHERE a.entity = ?1 OR a.action IN ('source.remove', 'source.restore') ORDER BY a.seq"
                .to_string()
        } else {
            format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log
                 WHERE entity = ?1 OR action IN ('source.remove', 'source.restore') ORDER BY seq"
            )
        };
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([entity], entry_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Hands each entry of the chain this login reads, oldest first, to `visit`, one at a time (a long trail
    /// is not held in memory), until it breaks: with its hashes, or, on a team store, without them past the
    /// first entry the login may not read (see [`ChainLink::Unhashed`]). The entries it may not read are not
    /// there at all (row-level security, migrations/postgres/0019): [`Store::audit_server_verdict`] answers
    /// for them.
    pub fn visit_audit_chain(&self, mut visit: impl FnMut(ChainLink) -> ControlFlow<()>) -> Result<(), StoreError> {
        let sql = if self.is_team_store() {
            format!("{TEAM_ENTRIES} ORDER BY a.seq")
        } else {
            format!("SELECT {ENTRY_COLUMNS}, TRUE FROM audit_log ORDER BY seq")
        };
        let mut stmt = self.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let entry = entry_from_row(&row)?;
            let link = if row.get::<bool>(9)? { ChainLink::Read(entry) } else { ChainLink::Unhashed(entry) };
            if visit(link).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// On a team store, the server's verdict on the whole chain, every entry, those this login may not read
    /// too, walked by the server as the tables' owner with the same hash (`factdesk_audit_verdict()`,
    /// migrations/postgres/0032): a verdict only, no hash, no count, no number of an entry this login may not
    /// read. Every entry committed before it is asked is walked. `None` on SQLite, whose reader reads every entry.
    pub fn audit_server_verdict(&self) -> Result<Option<ServerVerdict>, StoreError> {
        if !self.is_team_store() {
            return Ok(None);
        }
        let (intact, seq, reason): (Option<bool>, Option<i64>, Option<String>) = self
            .prepare("SELECT intact, broken_seq, reason FROM factdesk_audit_verdict()")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        match intact {
            Some(true) => Ok(Some(ServerVerdict::Intact)),
            Some(false) => Ok(Some(ServerVerdict::Broken { seq, reason: reason.unwrap_or_default() })),
            // Never read as intact: a server that answers nothing has checked nothing.
            None => Err(StoreError::Malformed(
                "the server gave no verdict on the audit trail: the chain cannot be checked".to_owned(),
            )),
        }
    }

    /// When the trail began: rows made before it are not expected in it.
    pub fn audit_trail_began(&self) -> Option<String> {
        self.prepare("SELECT applied_at FROM schema_migrations WHERE version = 5")
            .ok()?
            .query_row([], |row| row.get(0))
            .ok()
    }

    /// Whether the rows this connection reads are only part of the review: on a team store, a login in the
    /// reporters' group is held to its own drafts by row-level security (migrations/postgres/0007_people.sql);
    /// every other login, and SQLite, reads every row.
    pub fn login_sees_part_of_review(&self) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Ok(false);
        }
        // A superuser is a member of every role, yet row-level security does not hold it (nor a login that
        // bypasses it): it reads every row.
        self.prepare_cached(
            "SELECT pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                                 WHERE r.rolname = current_user AND (r.rolsuper OR r.rolbypassrls))",
        )?
        .query_row([], |row| row.get(0))
    }

    /// The names of Factdesk's group roles (`factdesk_reporter`…) this connection's login is a member of, on a
    /// team store; none on SQLite, or for a superuser or a login that bypasses row-level security (it reads
    /// every row, as `login_sees_part_of_review` says).
    pub fn login_groups(&self) -> Result<Vec<String>, StoreError> {
        if !self.is_team_store() {
            return Ok(Vec::new());
        }
        self.prepare_cached(
            "SELECT g.rolname FROM pg_catalog.pg_roles g
              WHERE g.rolname IN ('factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                  'factdesk_lawyer', 'factdesk_admin')
                AND pg_has_role(current_user, g.oid, 'MEMBER')
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                                WHERE r.rolname = current_user AND (r.rolsuper OR r.rolbypassrls))
              ORDER BY g.rolname",
        )?
        .query_map([], |row| row.get(0))?
        .collect()
    }

    /// Every row of an audited table, removed or not.
    pub fn audited_rows(&self, table: &AuditedTable) -> Result<Vec<AuditedRow>, StoreError> {
        let columns: Vec<&str> = table.fields.iter().map(|(_, sql, _)| *sql).collect();
        let sql = format!("SELECT id, {}, {} FROM {}", table.created_column, columns.join(", "), table.table);
        let mut stmt = self.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(table.fields.len());
            for (index, (_, _, boolean)) in table.fields.iter().enumerate() {
                values.push(match row.get_ref(index + 2)? {
                    ValueRef::Int(n) if *boolean => Value::Bool(n != 0),
                    ValueRef::Int(n) => Value::from(n),
                    ValueRef::Text(t) => Value::String(t.to_owned()),
                    ValueRef::Real(r) => Value::from(r),
                    ValueRef::Null | ValueRef::Blob(_) => Value::Null,
                });
            }
            found.push(AuditedRow { id: row.get(0)?, created: row.get(1)?, values });
        }
        Ok(found)
    }

    /// Every live link between a claim and a source.
    pub fn live_links(&self) -> Result<Vec<LiveLink>, StoreError> {
        let mut stmt =
            self.prepare("SELECT claim_id, source_id, role, linked_at FROM claim_sources WHERE removed_at IS NULL")?;
        let rows = stmt.query_map([], |row| {
            Ok(LiveLink { claim: row.get(0)?, source: row.get(1)?, role: row.get(2)?, linked_at: row.get(3)? })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }
}
