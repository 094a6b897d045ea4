//! `factdesk migrate-store`: a desk's whole SQLite store copied into an
//! empty team store on PostgreSQL, row for row, ids unchanged, confidential
//! fields as stored (sealed ones stay sealed), the audit trail with its
//! hashes unchanged; then the rows counted on both sides (the command then
//! walks the copied chain with `audit::verify_chain`).
//!
//! Columns are matched by name and each value converted to the column's
//! type on the server (SQLite's 0/1 flags to BOOLEAN, and so on). A table or
//! a column the team store does not have is an error before anything is
//! written, never data left behind; the copy is one transaction, so a
//! failure leaves the target as empty as it was.

use super::PgStore;
use crate::store::engine::quoted_identifier;
use crate::store::people::GROUP_ROLES;
use crate::store::{Store, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;

/// Every table of the desk's data, each after the tables it refers to.
/// (`drafts.current_version_id` refers to a later table: it is set once the
/// versions are in.)
const TABLES: &[&str] = &[
    "desks",
    "people",
    "settings",
    "drafts",
    "draft_versions",
    "document_comments",
    "claims",
    "claim_status_changes",
    "claim_anchors",
    "suggestion_dismissals",
    "sources",
    "source_confidential",
    "claim_sources",
    "evidence",
    "notes",
    "note_edits",
    "editor_notes",
    "draft_workflow",
    "draft_changes_since_ready",
    "rule_overrides",
    "rule_override_findings",
    "published_reviews",
    "audit_log",
    "vaults",
    "vault_keys",
    "source_sealed",
    "assignments",
    "inbox",
];

/// Each engine's own bookkeeping, not the desk's data.
const NOT_COPIED: &[&str] = &[
    "schema_migrations",
    // This machine's count of wrong vault passphrases (the delay before the next try).
    "vault_attempts",
    // The team store's own count of who wrote (PostgreSQL only, see migrations/postgres/0003).
    "store_writes",
    // The team store's search index (PostgreSQL only, see migrations/postgres/0005): derived from the
    // copied rows, whose triggers fill it as they go in.
    "search_entries",
    // The team store's audit lock and what its walks of the chain found and counted (PostgreSQL only, see
    // migrations/postgres/0032): no data of the desk's.
    "audit_append_lock",
    "audit_verified_head",
    "audit_verdicts",
    "audit_rewrites",
    // Which logins the team store's `factdesk_put_person` made, by role oid (PostgreSQL only, see
    // migrations/postgres/0036): the server's roles, not the desk's data.
    "factdesk_made_logins",
    // Each desk's writers' lock (PostgreSQL only, see migrations/postgres/0044): no data, a row per desk made by
    // the server as the desk is.
    "desk_write_locks",
];

/// One table's rows on each side after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub source: u64,
    pub target: u64,
}

/// What `migrate-store` copied and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub tables: Vec<TableCount>,
    /// The newest entry's hash in the source's trail.
    pub source_last_hash: Option<String>,
    /// The newest entry's hash in the target's trail after the copy.
    pub target_last_hash: Option<String>,
    /// The copied people's logins on the server, by name.
    pub logins: Vec<PersonLogin>,
}

/// A copied person's login on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonLogin {
    pub name: String,
    /// Their roles in the copied desks (one, unless they held different roles on different desks).
    pub roles: Vec<String>,
    pub outcome: LoginGrant,
}

/// What the copy did for a person's login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGrant {
    /// Put in the group role of their role.
    Granted,
    /// The server has no such login: `people add` creates it (with a password) and puts it in its group.
    NoLogin,
    /// The login running the copy may not grant roles (it needs CREATEROLE).
    NotAllowed,
    /// Different roles on different desks, and a login holds one group on the whole server: left for `people
    /// add`, which gives the one chosen.
    RolesDiffer,
    /// The login running the copy, or a superuser: a name on a desk does not change such a login's server
    /// roles (a superuser passes every check anyway; the copying login would lose what it needs to copy).
    LeftAlone,
    /// A server role Factdesk makes no person of (0031's `factdesk_check_person_login`: a group, a `pg_…` or
    /// `factdesk_…` name, a login that may create roles or bypass row security, a member of the owner): put in no
    /// group (review session 10, finding 16).
    Refused,
}

impl MigrationReport {
    /// Every table has as many rows on both sides, and the copied trail
    /// ends at the source's newest entry. (Whether the copied chain holds
    /// is `audit::verify_chain`'s to say.)
    pub fn is_complete(&self) -> bool {
        self.tables.iter().all(|t| t.source == t.target) && self.target_last_hash == self.source_last_hash
    }
}

fn cannot_copy(reason: String) -> StoreError {
    StoreError::CannotCopy(reason)
}

/// The tables of the SQLite store that hold data, checked against [`TABLES`].
fn source_tables(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table'")?;
    let tables: Vec<(String, String)> =
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    // Virtual tables (a full-text index) and their shadow tables are derived from the data and
    // rebuilt by the engine that has them; they are not the desk's data.
    let virtual_tables: Vec<&str> = tables
        .iter()
        .filter(|(_, sql)| sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE"))
        .map(|(name, _)| name.as_str())
        .collect();
    for (name, _) in &tables {
        let derived = name.starts_with("sqlite_")
            || virtual_tables.iter().any(|v| name == v || name.starts_with(&format!("{v}_")));
        if !derived && !TABLES.contains(&name.as_str()) && !NOT_COPIED.contains(&name.as_str()) {
            return Err(cannot_copy(format!(
                "the SQLite store has a table, {name}, that this Factdesk does not know how to copy; nothing was copied"
            )));
        }
    }
    Ok(())
}

/// A SQLite value as the parameter a column of type `ty` takes.
fn convert(value: Value, ty: &Type, table: &str, column: &str) -> Result<Box<dyn ToSql + Sync>, StoreError> {
    let mismatch = |found: &str| {
        cannot_copy(format!(
            "{table}.{column} holds {found} where the team store keeps {}; nothing was copied",
            ty.name()
        ))
    };
    Ok(match (value, ty) {
        (Value::Null, t) if *t == Type::INT8 => Box::new(None::<i64>),
        (Value::Null, t) if *t == Type::BOOL => Box::new(None::<bool>),
        (Value::Null, t) if *t == Type::TEXT => Box::new(None::<String>),
        (Value::Null, t) if *t == Type::FLOAT8 => Box::new(None::<f64>),
        (Value::Null, t) if *t == Type::BYTEA => Box::new(None::<Vec<u8>>),
        (Value::Integer(i), t) if *t == Type::INT8 => Box::new(i),
        (Value::Integer(i), t) if *t == Type::BOOL => match i {
            0 => Box::new(false),
            1 => Box::new(true),
            _ => return Err(mismatch("a number other than 0 or 1")),
        },
        // SQLite stores a whole REAL as an integer when it can.
        #[allow(clippy::cast_precision_loss)]
        (Value::Integer(i), t) if *t == Type::FLOAT8 => Box::new(i as f64),
        (Value::Real(f), t) if *t == Type::FLOAT8 => Box::new(f),
        (Value::Text(s), t) if *t == Type::TEXT => Box::new(s),
        (Value::Blob(b), t) if *t == Type::BYTEA => Box::new(b),
        (Value::Null, _) => return Err(mismatch("NULL")),
        (Value::Integer(_), _) => return Err(mismatch("an integer")),
        (Value::Real(_), _) => return Err(mismatch("a real number")),
        (Value::Text(_), _) => return Err(mismatch("text")),
        (Value::Blob(_), _) => return Err(mismatch("bytes")),
    })
}

fn count_sqlite(conn: &rusqlite::Connection, table: &str) -> Result<u64, StoreError> {
    let count: i64 =
        conn.query_row(&format!("SELECT COUNT(*) FROM {}", quoted_identifier(table)), [], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Copies everything in `source` into `target`, which must hold no desk and
/// no audit entry yet; then counts and walks the copy (see
/// [`MigrationReport::is_complete`]).
pub fn migrate_from_sqlite(source: &Store, target: &mut PgStore) -> Result<MigrationReport, StoreError> {
    let conn = source.conn()?;
    // One read transaction: a consistent snapshot even while someone writes.
    let snapshot = conn.unchecked_transaction()?;
    source_tables(conn)?;
    let mut source_counts = Vec::new();
    for table in TABLES {
        source_counts.push(count_sqlite(conn, table)?);
    }
    let source_last_hash: Option<String> = {
        use rusqlite::OptionalExtension;
        conn.query_row("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |row| row.get(0)).optional()?
    };

    let mut tx = target.client().transaction()?;
    // No one appends to the trail while it is copied in.
    tx.execute("SELECT factdesk_audit_lock()", &[])?;
    let occupied: i64 =
        tx.query_one("SELECT (SELECT COUNT(*) FROM desks) + (SELECT COUNT(*) FROM audit_log)", &[])?.get(0);
    if occupied > 0 {
        return Err(cannot_copy(
            "the team store already holds desks or audit entries; migrate-store copies into an empty one (a new database after `factdesk team init`)".into(),
        ));
    }
    let mut current_versions: Vec<(i64, i64)> = Vec::new();
    for table in TABLES {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let target_columns: Vec<String> = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1",
                &[table],
            )?
            .iter()
            .map(|row| row.get(0))
            .collect();
        if let Some(missing) = columns.iter().find(|c| !target_columns.contains(c)) {
            return Err(cannot_copy(format!(
                "the team store has no column {table}.{missing} (is its schema older than this store's?); nothing was copied"
            )));
        }
        let list: Vec<String> = columns.iter().map(|c| quoted_identifier(c)).collect();
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        // Prepared only for the server to say each column's type; the rows go in by COPY: one
        // stream per table, not a round trip per row (a 10,000-draft desk took minutes that way).
        let types = tx
            .prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                quoted_identifier(table),
                list.join(", "),
                placeholders.join(", ")
            ))?
            .params()
            .to_vec();
        // drafts' first column is its id; its current version is set once the versions are in.
        let version_column = (*table == "drafts").then(|| columns.iter().position(|c| c == "current_version_id"));
        let mut select =
            conn.prepare(&format!("SELECT {} FROM {} ORDER BY rowid", list.join(", "), quoted_identifier(table)))?;
        let mut rows = select.query([])?;
        let sink =
            tx.copy_in(&format!("COPY {} ({}) FROM STDIN (FORMAT binary)", quoted_identifier(table), list.join(", ")))?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        while let Some(row) = rows.next()? {
            let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(columns.len());
            for (index, (column, ty)) in columns.iter().zip(&types).enumerate() {
                let mut value: Value = row.get(index)?;
                if version_column.flatten() == Some(index) {
                    if let (Value::Integer(version), Value::Integer(id)) = (&value, row.get::<_, Value>(0)?) {
                        current_versions.push((id, *version));
                    }
                    value = Value::Null;
                }
                values.push(convert(value, ty, table, column)?);
            }
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(AsRef::as_ref).collect();
            writer.write(&params)?;
        }
        writer.finish()?;
        if *table == "draft_versions" {
            let (drafts, versions): (Vec<i64>, Vec<i64>) = current_versions.drain(..).unzip();
            tx.execute(
                "UPDATE drafts d SET current_version_id = v.version
                 FROM unnest($1::bigint[], $2::bigint[]) AS v(draft, version) WHERE d.id = v.draft",
                &[&drafts, &versions],
            )?;
        }
        // New rows on the server get ids after the copied ones.
        let sequence: Option<String> = if target_columns.iter().any(|c| c == "id") {
            tx.query_one("SELECT pg_get_serial_sequence($1, 'id')", &[&quoted_identifier(table)])?.get(0)
        } else {
            None
        };
        if let Some(sequence) = sequence {
            tx.execute(
                &format!(
                    "SELECT setval($1::text::regclass, (SELECT COALESCE(MAX(id), 0) + 1 FROM {}), false)",
                    quoted_identifier(table)
                ),
                &[&sequence],
            )?;
        }
    }
    let logins = grant_groups(&mut tx)?;
    tx.commit()?;
    drop(snapshot);

    let mut tables = Vec::new();
    for (table, source) in TABLES.iter().zip(source_counts) {
        let target_count: i64 =
            target.client().query_one(&format!("SELECT COUNT(*) FROM {}", quoted_identifier(table)), &[])?.get(0);
        tables.push(TableCount {
            table: (*table).to_owned(),
            source,
            target: u64::try_from(target_count).unwrap_or(0),
        });
    }
    let target_last_hash = target.audit_entries(None)?.pop().map(|entry| entry.hash);
    Ok(MigrationReport { tables, source_last_hash, target_last_hash, logins })
}

/// Puts each copied person's login, where the server has it, in the group role of their role and no other
/// Factdesk group (as `people add` does, see migrations/postgres/0007_people.sql): without it a migrated
/// reporter's login would hold no Factdesk rights on the server. In the copy's transaction (a GRANT is
/// transactional). A login that does not exist is left to `people add`, which needs its password.
/// Whether the server's `factdesk_check_person_login` (migrations/postgres/0031, the owner's) lets `name` be made a
/// person, as `factdesk_put_person` asks before its GRANT (review session 10, finding 16): the names come from a
/// SQLite file, so `factdesk_reporter` or any other login of the server may be among them. Asked in a savepoint,
/// so a refusal leaves the copy's transaction usable; a login that may not call it is refused too.
fn may_be_person(tx: &mut postgres::Transaction<'_>, name: &str) -> Result<bool, StoreError> {
    let mut savepoint = tx.transaction()?;
    match savepoint.execute("SELECT factdesk_check_person_login($1)", &[&name]) {
        Ok(_) => {
            savepoint.commit()?;
            Ok(true)
        }
        Err(error)
            if error.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
                || error.code() == Some(&postgres::error::SqlState::INVALID_PARAMETER_VALUE) =>
        {
            Ok(false)
        }
        Err(error) => Err(error.into()),
    }
}

fn grant_groups(tx: &mut postgres::Transaction<'_>) -> Result<Vec<PersonLogin>, StoreError> {
    let may_grant: bool =
        tx.query_one("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user", &[])?.get(0);
    // The store's owner (who ran `team init`) may; another login granting groups may not call it, and its
    // logins are then bounded by the next `people add` of them.
    let bounds_idle: bool = tx
        .query_one(
            "SELECT has_function_privilege(current_user, 'factdesk_bound_idle_transactions(text)', 'EXECUTE')",
            &[],
        )?
        .get(0);
    let mut roles: Vec<(String, Vec<String>)> = Vec::new();
    for row in tx.query("SELECT DISTINCT name, role FROM people ORDER BY name, role", &[])? {
        let (name, role): (String, String) = (row.get(0), row.get(1));
        match roles.last_mut() {
            Some((last, held)) if *last == name => held.push(role),
            _ => roles.push((name, vec![role])),
        }
    }
    let mut logins = Vec::new();
    for (name, held) in roles {
        let found =
            tx.query_opt("SELECT rolsuper OR rolname = current_user FROM pg_roles WHERE rolname = $1", &[&name])?;
        let (exists, left_alone) = match found {
            Some(row) => (true, row.get::<_, bool>(0)),
            None => (false, false),
        };
        let group = match held.as_slice() {
            [role] => GROUP_ROLES.iter().find(|g| g.strip_prefix("factdesk_") == Some(role.replace('-', "_").as_str())),
            _ => None,
        };
        let outcome = match group {
            _ if left_alone => LoginGrant::LeftAlone,
            _ if held.len() > 1 => LoginGrant::RolesDiffer,
            None => return Err(StoreError::Malformed(format!("role {held:?} of {name}"))),
            Some(_) if !exists => LoginGrant::NoLogin,
            Some(_) if !may_grant => LoginGrant::NotAllowed,
            Some(_) if !may_be_person(tx, &name)? => LoginGrant::Refused,
            Some(group) => {
                let login = quoted_identifier(&name);
                for other in GROUP_ROLES.iter().filter(|g| *g != group) {
                    // Revoking a membership the login does not have is a warning, not an error.
                    tx.batch_execute(&format!("REVOKE {} FROM {login}", quoted_identifier(other)))?;
                }
                tx.batch_execute(&format!("GRANT {} TO {login}", quoted_identifier(group)))?;
                if bounds_idle {
                    // As `people add` does (migrations/postgres/0035): its transactions left idle are ended.
                    tx.execute("SELECT factdesk_bound_idle_transactions($1)", &[&name])?;
                }
                LoginGrant::Granted
            }
        };
        logins.push(PersonLogin { name, roles: held, outcome });
    }
    Ok(logins)
}
