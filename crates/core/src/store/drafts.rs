//! Drafts and their versions: the `drafts` and `draft_versions` tables.

use super::engine::{params, Optional, Row};
use super::{DeskId, DraftId, Store, StoreError, VersionId};
use crate::clock::to_rfc3339;
use crate::ingest::{Block, DraftContent, DraftFormat, FileState};
use chrono::{DateTime, Utc};

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    pub id: DraftId,
    pub desk_id: DeskId,
    pub path: String,
    pub title: String,
    pub format: Option<DraftFormat>,
    pub state: FileState,
    pub reason: Option<String>,
    pub words: u32,
    pub missing: bool,
    pub current_version: Option<VersionId>,
    /// Hash of the current version's text, when there is one.
    pub content_hash: Option<String>,
    pub file_size: Option<u64>,
    pub file_modified_ns: Option<i64>,
    /// The file the draft was last read from, when the platform tells.
    pub file_identity: Option<FileIdentity>,
}

/// What is known about a file's bytes on disk without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFingerprint {
    pub size: u64,
    pub modified_ns: i64,
    /// `None` where the platform has no device and inode numbers.
    pub identity: Option<FileIdentity>,
}

/// Which file this is, whatever its name: device and inode on Unix, with
/// the file's birth time where the file system keeps one (an inode number
/// is given to a new file soon after its file is deleted). A rename keeps
/// it; a save through a temporary file and a rename does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
    pub born_ns: Option<i64>,
}

impl FileIdentity {
    /// Whether two identities are one file: the same device and inode, born
    /// at the same time when both birth times are known.
    pub fn same_file(self, other: Self) -> bool {
        self.device == other.device
            && self.inode == other.inode
            && match (self.born_ns, other.born_ns) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// SQLite integers are signed: the bits are kept, so every u64 round-trips.
    fn to_sql(self) -> (i64, i64) {
        (i64::from_ne_bytes(self.device.to_ne_bytes()), i64::from_ne_bytes(self.inode.to_ne_bytes()))
    }

    fn from_sql(device: Option<i64>, inode: Option<i64>, born_ns: Option<i64>) -> Option<Self> {
        Some(Self {
            device: u64::from_ne_bytes(device?.to_ne_bytes()),
            inode: u64::from_ne_bytes(inode?.to_ne_bytes()),
            born_ns,
        })
    }
}

/// A stored version of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub id: VersionId,
    pub draft_id: DraftId,
    pub content_hash: String,
    pub text: String,
    pub blocks: Vec<Block>,
    pub words: u32,
    pub first_seen_at: String,
}

/// A stored version of a draft, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMeta {
    pub id: VersionId,
    pub first_seen_at: String,
    pub words: u32,
    /// Length of the canonical text in code points.
    pub characters: u32,
    /// Length of the canonical text in UTF-8 bytes.
    pub bytes: u32,
}

/// What a file looks like now, to be written onto a draft row.
#[derive(Debug, Clone, Copy)]
pub struct DraftUpdate<'a> {
    pub title: &'a str,
    pub format: Option<DraftFormat>,
    pub state: FileState,
    pub reason: Option<&'a str>,
    pub content: Option<&'a DraftContent>,
    pub fingerprint: Option<FileFingerprint>,
}

/// A draft's place and version, and nothing else: cheap to list for a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftState {
    pub id: DraftId,
    pub path: String,
    pub version: Option<VersionId>,
    pub missing: bool,
}

/// A draft's path relative to its desk, `/`-separated: the display form the
/// store keys drafts by, and the raw bytes when the name is not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftPath<'a> {
    pub display: &'a str,
    pub raw: Option<&'a [u8]>,
}

impl<'a> DraftPath<'a> {
    /// A path whose name is valid UTF-8.
    pub fn text(display: &'a str) -> Self {
        Self { display, raw: None }
    }
}

const DRAFT_COLUMNS: &str = "d.id, d.desk_id, d.path, d.title, d.format, d.state, d.reason, d.words, d.missing, \
     d.current_version_id, v.content_hash, d.file_size, d.file_modified_ns, d.file_device, d.file_inode, \
     d.file_born_ns";

impl Store {
    fn draft_from_row(row: &Row<'_>) -> Result<DraftRecord, StoreError> {
        let format: Option<String> = row.get(4)?;
        let state: String = row.get(5)?;
        Ok(DraftRecord {
            id: row.get(0)?,
            desk_id: row.get(1)?,
            path: row.get(2)?,
            title: row.get(3)?,
            format: format.as_deref().and_then(DraftFormat::parse_name),
            state: FileState::parse_name(&state).unwrap_or(FileState::Skipped),
            reason: row.get(6)?,
            words: row.get(7)?,
            missing: row.get(8)?,
            current_version: row.get(9)?,
            content_hash: row.get(10)?,
            file_size: row.get::<Option<i64>>(11)?.and_then(|size| u64::try_from(size).ok()),
            file_modified_ns: row.get(12)?,
            file_identity: FileIdentity::from_sql(row.get(13)?, row.get(14)?, row.get(15)?),
        })
    }

    /// Every draft of a desk, missing ones included, ordered by path.
    pub fn drafts(&self, desk: DeskId) -> Result<Vec<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 ORDER BY d.path"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([desk], Self::draft_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Every draft of a desk as [`Store::drafts`] lists them, but without
    /// `content_hash` (`None`): the text of every current version is not
    /// visited, which is most of the cost of listing a big desk.
    pub fn drafts_without_hash(&self, desk: DeskId) -> Result<Vec<DraftRecord>, StoreError> {
        let columns = DRAFT_COLUMNS.replace("v.content_hash", "NULL");
        let sql = format!("SELECT {columns} FROM drafts d WHERE d.desk_id = ?1 ORDER BY d.path");
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([desk], Self::draft_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    pub fn draft(&self, id: DraftId) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id WHERE d.id = ?1"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        stmt.query_row([id], Self::draft_from_row).optional()
    }

    pub fn draft_by_path(&self, desk: DeskId, path: &str) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 AND d.path = ?2"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        stmt.query_row(params![desk, path], Self::draft_from_row).optional()
    }

    /// The one missing draft of `desk` whose last content hashed to `hash`:
    /// the same file come back under another name. Two candidates (copies of
    /// one text) are a guess Factdesk does not make: the file is a new draft.
    pub fn missing_draft_with_hash(&self, desk: DeskId, hash: &str) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            // Versions by their hash first (an index), then each one's draft
            // by its key: joined the other way round, SQLite visited every
            // draft of the desk for each new file, quadratic on a first scan.
            "SELECT {DRAFT_COLUMNS} FROM draft_versions v CROSS JOIN drafts d ON d.id = v.draft_id
             WHERE v.content_hash = ?2 AND d.current_version_id = v.id AND d.desk_id = ?1 AND d.missing = TRUE
               AND v.text != '' LIMIT 2"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let mut found: Vec<DraftRecord> =
            stmt.query_map(params![desk, hash], Self::draft_from_row)?.collect::<Result<_, StoreError>>()?;
        Ok(if found.len() == 1 { found.pop() } else { None })
    }

    /// Creates a draft row for a file first seen at `path`.
    pub fn insert_draft(
        &self,
        desk: DeskId,
        path: &DraftPath<'_>,
        update: &DraftUpdate<'_>,
        now: DateTime<Utc>,
    ) -> Result<DraftId, StoreError> {
        let now_text = to_rfc3339(now);
        let mut stmt = self.prepare_cached(
            // Another process scanning the same folder may have created the
            // row since this one looked: then both write onto that one draft.
            "INSERT INTO drafts (desk_id, path, path_bytes, title, format, state, reason, words, created_at, updated_at)
             VALUES (?1, ?2, ?3, '', NULL, 'skipped', NULL, 0, ?4, ?4)
             ON CONFLICT(desk_id, path) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )?;
        let id = DraftId(stmt.query_row(params![desk, path.display, path.raw, now_text], |row| row.get(0))?);
        self.update_draft(id, update, now)?;
        Ok(id)
    }

    /// Writes what the file looks like now onto the draft, storing a new
    /// version if its content is new. Returns whether the current version changed.
    pub fn update_draft(&self, id: DraftId, update: &DraftUpdate<'_>, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let now_text = to_rfc3339(now);
        let previous: Option<i64> = self
            .prepare_cached("SELECT current_version_id FROM drafts WHERE id = ?1")?
            .query_row([id], |row| row.get(0))?;
        let version = match update.content {
            Some(content) => Some(self.record_version(id, content, &now_text)?),
            None => previous.map(VersionId),
        };
        let words = update.content.map_or(0, |c| c.words);
        let mut stmt = self.prepare_cached(
            "UPDATE drafts SET title = ?2, format = ?3, state = ?4, reason = ?5, words = ?6, missing = FALSE,
                 current_version_id = ?7, file_size = ?8, file_modified_ns = ?9, updated_at = ?10,
                 file_device = ?11, file_inode = ?12, file_born_ns = ?13, unread_hash = NULL
             WHERE id = ?1",
        )?;
        let identity = update.fingerprint.and_then(|f| f.identity).map(FileIdentity::to_sql);
        stmt.execute(params![
            id,
            update.title,
            update.format.map(DraftFormat::as_str),
            update.state.as_str(),
            update.reason,
            words,
            version,
            update.fingerprint.map(|f| i64::try_from(f.size).unwrap_or(i64::MAX)),
            update.fingerprint.map(|f| f.modified_ns),
            now_text,
            identity.map(|(device, _)| device),
            identity.map(|(_, inode)| inode),
            update.fingerprint.and_then(|f| f.identity).and_then(|i| i.born_ns)
        ])?;
        Ok(version.map(|v| v.0) != previous)
    }

    fn record_version(&self, draft: DraftId, content: &DraftContent, now: &str) -> Result<VersionId, StoreError> {
        let blocks = serde_json::to_string(&content.blocks).map_err(|e| StoreError::Malformed(e.to_string()))?;
        self.prepare_cached(
            "INSERT INTO draft_versions (draft_id, content_hash, text, blocks, words, first_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(draft_id, content_hash) DO NOTHING",
        )?
        .execute(params![draft, content.content_hash, content.text, blocks, content.words, now])?;
        let mut stmt =
            self.prepare_cached("SELECT id FROM draft_versions WHERE draft_id = ?1 AND content_hash = ?2")?;
        Ok(VersionId(stmt.query_row(params![draft, content.content_hash], |row| row.get(0))?))
    }

    /// Gives a draft a new path inside its desk (a rename or move).
    pub fn move_draft(&self, id: DraftId, path: &DraftPath<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut stmt =
            self.prepare_cached("UPDATE drafts SET path = ?2, path_bytes = ?3, updated_at = ?4 WHERE id = ?1")?;
        stmt.execute(params![id, path.display, path.raw, to_rfc3339(now)])?;
        Ok(())
    }

    /// Whether this connection's login may give a draft `path`: always on SQLite (one file, no logins); on a
    /// team store what the server asks before it takes the change (`factdesk_may_move_draft`,
    /// migrations/postgres/0021): a rename inside the draft's owner folder is anyone's, a move out of it an
    /// editor's of its desk. A scan that may not leaves the move to a Factdesk that may.
    pub fn may_move_draft(&self, id: DraftId, path: &str) -> Result<bool, StoreError> {
        if !self.is_team_store() {
            return Ok(true);
        }
        self.prepare_cached("SELECT factdesk_may_move_draft(?1, ?2)")?.query_row(params![id, path], |row| row.get(0))
    }

    /// The raw bytes of a draft's path relative to its desk, when its name
    /// is not valid UTF-8 (`path` is then only a display form).
    pub fn draft_path_bytes(&self, id: DraftId) -> Result<Option<Vec<u8>>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT path_bytes FROM drafts WHERE id = ?1")?;
        Ok(stmt.query_row([id], |row| row.get(0)).optional()?.flatten())
    }

    /// The drafts of `desk` last read from the file `identity`.
    pub fn drafts_with_file_identity(
        &self,
        desk: DeskId,
        identity: FileIdentity,
    ) -> Result<Vec<DraftRecord>, StoreError> {
        let (device, inode) = identity.to_sql();
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 AND d.file_device = ?2 AND d.file_inode = ?3"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![desk, device, inode], Self::draft_from_row)?;
        let drafts: Vec<DraftRecord> = rows.collect::<Result<_, StoreError>>()?;
        Ok(drafts.into_iter().filter(|d| d.file_identity.is_some_and(|i| i.same_file(identity))).collect())
    }

    /// Where each draft of `desk` is and which version it is at: what the
    /// window was told, to compare with what another process recorded.
    pub fn draft_states(&self, desk: DeskId) -> Result<Vec<DraftState>, StoreError> {
        let mut stmt =
            self.prepare_cached("SELECT id, path, current_version_id, missing FROM drafts WHERE desk_id = ?1")?;
        let rows = stmt.query_map([desk], |row| {
            Ok(DraftState { id: row.get(0)?, path: row.get(1)?, version: row.get(2)?, missing: row.get(3)? })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Whether a draft holds a review of its own: a claim (removed ones too, with their evidence and notes),
    /// a note on the draft, an editor's note or an assignment. Such a draft is never retired to make room for
    /// another draft's review (`Desk::carry_review`).
    pub fn draft_has_review(&self, draft: DraftId) -> Result<bool, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM claims WHERE draft_id = ?1)
                 OR EXISTS (SELECT 1 FROM notes WHERE draft_id = ?1)
                 OR EXISTS (SELECT 1 FROM editor_notes WHERE draft_id = ?1)
                 OR EXISTS (SELECT 1 FROM assignments WHERE draft_id = ?1)",
        )?;
        stmt.query_row(params![draft], |row| row.get(0))
    }

    /// The drafts of `desk` holding a review of their own, as [`Store::draft_has_review`] tells one, in one
    /// statement: the files a missing draft's review may be carried to are the others.
    pub fn drafts_with_review(&self, desk: DeskId) -> Result<Vec<DraftId>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT d.id FROM drafts d WHERE d.desk_id = ?1
                 AND (EXISTS (SELECT 1 FROM claims WHERE draft_id = d.id)
                   OR EXISTS (SELECT 1 FROM notes WHERE draft_id = d.id)
                   OR EXISTS (SELECT 1 FROM editor_notes WHERE draft_id = d.id)
                   OR EXISTS (SELECT 1 FROM assignments WHERE draft_id = d.id))
             ORDER BY d.id",
        )?;
        let rows = stmt.query_map([desk], |row| row.get(0))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Marks a draft missing (its file is gone) or found again.
    pub fn set_missing(&self, id: DraftId, missing: bool, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut stmt = self.prepare_cached("UPDATE drafts SET missing = ?2, updated_at = ?3 WHERE id = ?1")?;
        stmt.execute(params![id, missing, to_rfc3339(now)])?;
        Ok(())
    }

    pub fn version(&self, id: VersionId) -> Result<Option<VersionRecord>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT id, draft_id, content_hash, text, blocks, words, first_seen_at FROM draft_versions WHERE id = ?1",
        )?;
        let row = stmt
            .query_row([id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get::<String>(2)?,
                    row.get::<String>(3)?,
                    row.get::<String>(4)?,
                    row.get::<u32>(5)?,
                    row.get::<String>(6)?,
                ))
            })
            .optional()?;
        row.map(|(id, draft_id, content_hash, text, blocks, words, first_seen_at)| {
            let blocks = serde_json::from_str(&blocks).map_err(|e| StoreError::Malformed(e.to_string()))?;
            Ok(VersionRecord { id, draft_id, content_hash, text, blocks, words, first_seen_at })
        })
        .transpose()
    }

    /// A version's content hash (the SHA-256 of its text, as ingest made
    /// it), without reading the text.
    pub fn version_hash(&self, id: VersionId) -> Result<Option<String>, StoreError> {
        self.prepare_cached("SELECT content_hash FROM draft_versions WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()
    }

    /// A draft's versions, oldest first, without their text.
    pub fn versions_of_draft(&self, draft: DraftId) -> Result<Vec<VersionMeta>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT id, first_seen_at, words, length(text), octet_length(text)
             FROM draft_versions WHERE draft_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([draft], |row| {
            Ok(VersionMeta {
                id: row.get(0)?,
                first_seen_at: row.get(1)?,
                words: row.get(2)?,
                characters: row.get(3)?,
                bytes: row.get(4)?,
            })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// How many versions a draft has had.
    pub fn version_count(&self, draft: DraftId) -> Result<u32, StoreError> {
        let mut stmt = self.prepare_cached("SELECT COUNT(*) FROM draft_versions WHERE draft_id = ?1")?;
        stmt.query_row([draft], |row| row.get(0))
    }
}

/// A file first seen by a lazy scan, recorded without its text.
#[derive(Debug, Clone, Copy)]
pub struct UnreadFile<'a> {
    pub title: &'a str,
    pub format: Option<DraftFormat>,
    pub fingerprint: Option<FileFingerprint>,
    /// BLAKE3 of the file's bytes, hex.
    pub hash: &'a str,
}

impl Store {
    /// Records a draft first seen at `path` without its text (a lazy first
    /// scan): no version, the hash of its bytes in `unread_hash`. `None`
    /// when a draft already holds the path (another process recorded it a
    /// moment ago): the caller then reads the file as for a known draft.
    pub fn insert_unread_draft(
        &self,
        desk: DeskId,
        path: &DraftPath<'_>,
        file: &UnreadFile<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<DraftId>, StoreError> {
        let now_text = to_rfc3339(now);
        let identity = file.fingerprint.and_then(|f| f.identity);
        let sql_identity = identity.map(FileIdentity::to_sql);
        // Without RETURNING on SQLite: it runs a statement with RETURNING
        // through an ephemeral table, a fresh in-memory B-tree per execution
        // (about 150 KB allocated and freed per row, which on a first scan
        // made the heap shrink and grow again for every file). PostgreSQL has
        // no last-insert id: the id is read back by the unique path.
        let mut stmt = self.prepare_cached(
            "INSERT INTO drafts (desk_id, path, path_bytes, title, format, state, reason, words, created_at, updated_at,
                 file_size, file_modified_ns, file_device, file_inode, file_born_ns, unread_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, 'ok', NULL, 0, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(desk_id, path) DO NOTHING",
        )?;
        let inserted = stmt.execute(params![
            desk,
            path.display,
            path.raw,
            file.title,
            file.format.map(DraftFormat::as_str),
            now_text,
            file.fingerprint.map(|f| i64::try_from(f.size).unwrap_or(i64::MAX)),
            file.fingerprint.map(|f| f.modified_ns),
            sql_identity.map(|(device, _)| device),
            sql_identity.map(|(_, inode)| inode),
            identity.and_then(|i| i.born_ns),
            file.hash
        ])?;
        if inserted != 1 {
            return Ok(None);
        }
        match &self.engine {
            super::engine::Engine::Lite(conn) => Ok(Some(DraftId(conn.last_insert_rowid()))),
            super::engine::Engine::Pg(_) => self
                .prepare_cached("SELECT id FROM drafts WHERE desk_id = ?1 AND path = ?2")?
                .query_row(params![desk, path.display], |row| row.get(0))
                .map(Some),
        }
    }

    /// The hash of the bytes a draft was first seen with, while its text has
    /// not been read (`None` once it has, or for a draft that does not exist).
    pub fn unread_hash(&self, id: DraftId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT unread_hash FROM drafts WHERE id = ?1")?;
        Ok(stmt.query_row([id], |row| row.get(0)).optional()?.flatten())
    }

    /// The drafts of `desk` whose text has not been read yet, missing ones
    /// left out (their file is gone: there is nothing to read).
    pub fn unread_drafts(&self, desk: DeskId) -> Result<Vec<DraftId>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT id FROM drafts WHERE desk_id = ?1 AND unread_hash IS NOT NULL AND missing = FALSE ORDER BY id",
        )?;
        let rows = stmt.query_map([desk], |row| row.get(0).map(DraftId))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// The one missing, never read draft of `desk` whose file's bytes hashed
    /// to `hash`: the same file come back under another name. Two candidates
    /// (copies) are no answer, as for [`Store::missing_draft_with_hash`].
    pub fn missing_unread_draft_with_hash(&self, desk: DeskId, hash: &str) -> Result<Option<DraftRecord>, StoreError> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts d LEFT JOIN draft_versions v ON v.id = d.current_version_id
             WHERE d.desk_id = ?1 AND d.unread_hash = ?2 AND d.missing = TRUE LIMIT 2"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let mut found: Vec<DraftRecord> =
            stmt.query_map(params![desk, hash], Self::draft_from_row)?.collect::<Result<_, StoreError>>()?;
        Ok(if found.len() == 1 { found.pop() } else { None })
    }

    /// Dates a version as first seen at `at`: a draft's first version read
    /// later than the scan that first saw the same bytes.
    pub fn set_version_first_seen(&self, version: VersionId, at: &str) -> Result<(), StoreError> {
        let mut stmt = self.prepare_cached("UPDATE draft_versions SET first_seen_at = ?2 WHERE id = ?1")?;
        stmt.execute(params![version, at])?;
        Ok(())
    }

    /// When a draft was first recorded.
    pub fn draft_created_at(&self, id: DraftId) -> Result<Option<String>, StoreError> {
        let mut stmt = self.prepare_cached("SELECT created_at FROM drafts WHERE id = ?1")?;
        stmt.query_row([id], |row| row.get(0)).optional()
    }
}
