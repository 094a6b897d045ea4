//! Notes on claims and drafts: the `notes` and `note_edits` tables.

use super::engine::{params, Optional, Row};
use super::{ClaimId, DraftId, NoteId, Store, StoreError};
use serde::{Deserialize, Serialize};

/// What a thread is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "on", content = "id", rename_all = "kebab-case")]
pub enum NoteTarget {
    Claim(ClaimId),
    Draft(DraftId),
}

/// An earlier text of an edited note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteEdit {
    /// The text before this edit.
    pub text: String,
    pub edited_by: String,
    pub edited_at: String,
}

/// A note as stored, with its edit history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteView {
    pub id: NoteId,
    pub target: NoteTarget,
    /// The note that opened the thread, for a reply.
    pub reply_to: Option<NoteId>,
    pub text: String,
    pub author: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// Set on the note that opens a resolved thread.
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    /// Earlier texts, oldest first.
    pub history: Vec<NoteEdit>,
    /// Read by editors, standards editors and the lawyer only (rights: ReadPrivateNotes): never in a desk-profile
    /// report, nor are replies to it.
    pub private: bool,
    /// Counts its text's edits: the version an edit is compared with (no silent overwrite).
    pub version: i64,
}

const NOTE_COLUMNS: &str =
    "id, claim_id, draft_id, reply_to, text, author, created_at, edited_at, resolved_by, resolved_at, private, version";

fn note_from_row(row: &Row<'_>) -> Result<Option<NoteView>, StoreError> {
    let claim: Option<i64> = row.get(1)?;
    let draft: Option<i64> = row.get(2)?;
    let target = match (claim, draft) {
        (Some(claim), _) => NoteTarget::Claim(ClaimId(claim)),
        (None, Some(draft)) => NoteTarget::Draft(DraftId(draft)),
        (None, None) => return Ok(None),
    };
    Ok(Some(NoteView {
        id: NoteId(row.get(0)?),
        target,
        reply_to: row.get::<Option<i64>>(3)?.map(NoteId),
        text: row.get(4)?,
        author: row.get(5)?,
        created_at: row.get(6)?,
        edited_at: row.get(7)?,
        resolved_by: row.get(8)?,
        resolved_at: row.get(9)?,
        history: Vec::new(),
        private: row.get(10)?,
        version: row.get(11)?,
    }))
}

/// Whether a note is removed, and what decides whether it may be restored on its own.
pub struct NoteRemovalState {
    pub removed: bool,
    /// The thread it was removed with, if it went with one.
    pub removed_with: Option<String>,
    pub reply_to: Option<NoteId>,
    pub claim: Option<ClaimId>,
    /// The draft of a note on a draft (not on one of its claims).
    pub draft: Option<DraftId>,
}

impl Store {
    /// A note's earlier texts, oldest first.
    pub fn note_edits(&self, id: NoteId) -> Result<Vec<NoteEdit>, StoreError> {
        let mut stmt =
            self.prepare_cached("SELECT text, edited_by, edited_at FROM note_edits WHERE note_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([id], |row| {
            Ok(NoteEdit { text: row.get(0)?, edited_by: row.get(1)?, edited_at: row.get(2)? })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// A live note (without its history); a note on a removed claim goes and comes back with its claim.
    pub fn live_note(&self, id: NoteId) -> Result<Option<NoteView>, StoreError> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1 AND removed_at IS NULL
             AND (claim_id IS NULL OR claim_id IN (SELECT id FROM claims WHERE removed_at IS NULL))"
        );
        Ok(self.prepare_cached(&sql)?.query_row([id], note_from_row).optional()?.flatten())
    }

    /// The live notes on a claim or a draft (without their history), each
    /// thread's first note followed by its replies, threads oldest first.
    pub fn notes_on(&self, target: NoteTarget) -> Result<Vec<NoteView>, StoreError> {
        // The id binds as itself: a claim's or a draft's, whichever the target is.
        let (column, id): (&str, &dyn super::engine::Param) = match &target {
            NoteTarget::Claim(claim) => ("claim_id", claim),
            NoteTarget::Draft(draft) => ("draft_id", draft),
        };
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE {column} = ?1 AND removed_at IS NULL ORDER BY coalesce(reply_to, id), id"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], note_from_row)?.collect::<Result<Vec<_>, StoreError>>()?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// Stores a note.
    pub fn insert_note(
        &self,
        target: NoteTarget,
        reply_to: Option<NoteId>,
        text: &str,
        by: &str,
        at: &str,
        private: bool,
    ) -> Result<NoteId, StoreError> {
        let (claim, draft) = match target {
            NoteTarget::Claim(claim) => (Some(claim), None),
            NoteTarget::Draft(draft) => (None, Some(draft)),
        };
        self.prepare_cached(
            "INSERT INTO notes (claim_id, draft_id, reply_to, text, author, created_at, private)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )?
        .query_row(params![claim, draft, reply_to, text, by, at, private], |row| row.get(0))
    }

    /// Replaces a note's text, keeping the one it had in its history.
    pub fn edit_note(&self, id: NoteId, before: &str, text: &str, by: &str, at: &str) -> Result<(), StoreError> {
        self.prepare_cached("INSERT INTO note_edits (note_id, text, edited_by, edited_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, before, by, at])?;
        self.prepare_cached("UPDATE notes SET text = ?2, edited_at = ?3, version = version + 1 WHERE id = ?1")?
            .execute(params![id, text, at])?;
        Ok(())
    }

    /// Marks a note private or not.
    pub fn set_note_private(&self, id: NoteId, private: bool) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE notes SET private = ?2 WHERE id = ?1")?.execute(params![id, private])?;
        Ok(())
    }

    /// Sets (or, with `None`, clears) who resolved a thread and when.
    pub fn set_note_resolved(&self, id: NoteId, by: Option<&str>, at: Option<&str>) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE notes SET resolved_by = ?2, resolved_at = ?3 WHERE id = ?1")?
            .execute(params![id, by, at])?;
        Ok(())
    }

    /// Marks a live note removed on its own; returns whether it was live.
    pub fn remove_note(&self, id: NoteId, at: &str, by: &str) -> Result<bool, StoreError> {
        let removed = self
            .prepare_cached(
                "UPDATE notes SET removed_at = ?2, removed_by = ?3, removed_with = NULL
                 WHERE id = ?1 AND removed_at IS NULL",
            )?
            .execute(params![id, at, by])?;
        Ok(removed > 0)
    }

    /// Marks the live replies to a note removed along with `with`; returns them.
    pub fn remove_replies(&self, id: NoteId, at: &str, by: &str, with: &str) -> Result<Vec<NoteId>, StoreError> {
        self.prepare_cached(
            "UPDATE notes SET removed_at = ?2, removed_by = ?3, removed_with = ?4
                 WHERE reply_to = ?1 AND removed_at IS NULL RETURNING id",
        )?
        .query_map(params![id, at, by, with], |row| row.get(0))?
        .collect::<Result<_, StoreError>>()
    }

    /// Whether a note is removed, and with what; `None` when there is no such note.
    pub fn note_removal_state(&self, id: NoteId) -> Result<Option<NoteRemovalState>, StoreError> {
        self.prepare_cached(
            "SELECT removed_at IS NOT NULL, removed_with, reply_to, claim_id, draft_id FROM notes WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok(NoteRemovalState {
                removed: row.get(0)?,
                removed_with: row.get(1)?,
                reply_to: row.get(2)?,
                claim: row.get(3)?,
                draft: row.get(4)?,
            })
        })
        .optional()
    }

    /// Brings back a removed note; returns whether it still was removed.
    pub fn restore_note(&self, id: NoteId) -> Result<bool, StoreError> {
        let restored = self
            .prepare_cached(
                "UPDATE notes SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
            )?
            .execute([id])?;
        Ok(restored > 0)
    }

    /// Brings back the notes removed along with `with`; returns them.
    pub fn restore_notes_removed_with(&self, with: &str) -> Result<Vec<NoteId>, StoreError> {
        self.prepare_cached(
            "UPDATE notes SET removed_at = NULL, removed_by = NULL, removed_with = NULL
                 WHERE removed_with = ?1 RETURNING id",
        )?
        .query_map([with], |row| row.get(0))?
        .collect::<Result<_, StoreError>>()
    }
}
