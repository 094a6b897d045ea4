//! Comment threads on a claim or on a draft. A note opens a thread; replies
//! join it; the thread is resolved and reopened as a whole. Editing a note
//! keeps its earlier text in its history. Removing a note keeps its row,
//! marked with who removed it and when (a thread's replies go with its first
//! note), so restoring it brings back exactly what was there.

use super::{audit, desk_of_claim, existing_draft, required, write, SourcingError};
use crate::clock::to_rfc3339;
use crate::review::Review;
use crate::store::{lock, ClaimId, DraftId, NoteId, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

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
    /// For the editors only: never in a desk-profile report, nor are replies to it.
    pub private: bool,
}

const NOTE_COLUMNS: &str =
    "id, claim_id, draft_id, reply_to, text, author, created_at, edited_at, resolved_by, resolved_at, private";

fn note_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<NoteView>> {
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
        reply_to: row.get::<_, Option<i64>>(3)?.map(NoteId),
        text: row.get(4)?,
        author: row.get(5)?,
        created_at: row.get(6)?,
        edited_at: row.get(7)?,
        resolved_by: row.get(8)?,
        resolved_at: row.get(9)?,
        history: Vec::new(),
        private: row.get(10)?,
    }))
}

fn with_history(store: &Store, mut note: NoteView) -> Result<NoteView, SourcingError> {
    let mut stmt = store
        .conn()
        .prepare_cached("SELECT text, edited_by, edited_at FROM note_edits WHERE note_id = ?1 ORDER BY id")?;
    note.history = stmt
        .query_map([note.id.0], |row| {
            Ok(NoteEdit { text: row.get(0)?, edited_by: row.get(1)?, edited_at: row.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(note)
}

fn note(store: &Store, id: NoteId) -> Result<NoteView, SourcingError> {
    // A note on a removed claim goes and comes back with its claim.
    let sql = format!(
        "SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1 AND removed_at IS NULL
         AND (claim_id IS NULL OR claim_id IN (SELECT id FROM claims WHERE removed_at IS NULL))"
    );
    let found = store.conn().prepare_cached(&sql)?.query_row([id.0], note_from_row).optional()?.flatten();
    with_history(store, found.ok_or(SourcingError::NoteNotFound(id))?)
}

fn check_target(store: &Store, target: NoteTarget) -> Result<(), SourcingError> {
    match target {
        NoteTarget::Claim(claim) => desk_of_claim(store, claim).map(drop),
        NoteTarget::Draft(draft) => existing_draft(store, draft).map(drop),
    }
}

fn entity(target: NoteTarget) -> serde_json::Value {
    match target {
        NoteTarget::Claim(claim) => json!({ "claim": claim }),
        NoteTarget::Draft(draft) => json!({ "draft": draft }),
    }
}

impl Review {
    /// Adds a note to a claim or a draft, opening a thread or, with
    /// `reply_to`, joining the thread of that note.
    pub fn add_note(&self, target: NoteTarget, text: &str, reply_to: Option<NoteId>) -> Result<NoteId, SourcingError> {
        self.insert_note(target, text, reply_to, false)
    }

    /// Adds a note for the editors only: it never appears in a desk-profile report.
    pub fn add_private_note(
        &self,
        target: NoteTarget,
        text: &str,
        reply_to: Option<NoteId>,
    ) -> Result<NoteId, SourcingError> {
        self.insert_note(target, text, reply_to, true)
    }

    fn insert_note(
        &self,
        target: NoteTarget,
        text: &str,
        reply_to: Option<NoteId>,
        private: bool,
    ) -> Result<NoteId, SourcingError> {
        let text = required(text, "note's text")?;
        let store = lock(self.store());
        check_target(&store, target)?;
        // A reply to a reply joins the thread's first note: threads stay flat.
        let thread = match reply_to {
            Some(parent) => {
                let parent = note(&store, parent)?;
                if parent.target != target {
                    return Err(SourcingError::Invalid(format!("note {} is on another claim or draft", parent.id)));
                }
                Some(parent.reply_to.unwrap_or(parent.id))
            }
            None => None,
        };
        let (claim, draft) = match target {
            NoteTarget::Claim(claim) => (Some(claim.0), None),
            NoteTarget::Draft(draft) => (None, Some(draft.0)),
        };
        let now = self.now();
        write(&store, |store| {
            let id = NoteId(
                store
                    .conn()
                    .prepare_cached(
                        "INSERT INTO notes (claim_id, draft_id, reply_to, text, author, created_at, private)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                    )?
                    .query_row(
                        params![claim, draft, thread.map(|t| t.0), text, self.reviewer(), to_rfc3339(now), private],
                        |row| row.get(0),
                    )?,
            );
            let mut after = entity(target);
            after["text"] = json!(text);
            after["reply-to"] = json!(thread);
            after["private"] = json!(private);
            audit(store, self, now, "note.add", format!("note:{id}"), None, Some(after))?;
            Ok(id)
        })
    }

    /// Replaces a note's text, keeping the earlier one in its history.
    pub fn edit_note(&self, id: NoteId, text: &str) -> Result<NoteView, SourcingError> {
        let text = required(text, "note's text")?;
        let store = lock(self.store());
        let before = note(&store, id)?;
        if before.text == text {
            return Ok(before);
        }
        let now = self.now();
        let at = to_rfc3339(now);
        write(&store, |store| {
            store
                .conn()
                .prepare_cached("INSERT INTO note_edits (note_id, text, edited_by, edited_at) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![id.0, before.text, self.reviewer(), at])?;
            store
                .conn()
                .prepare_cached("UPDATE notes SET text = ?2, edited_at = ?3 WHERE id = ?1")?
                .execute(params![id.0, text, at])?;
            audit(
                store,
                self,
                now,
                "note.edit",
                format!("note:{id}"),
                Some(json!({ "text": before.text })),
                Some(json!({ "text": text })),
            )?;
            note(store, id)
        })
    }

    /// Marks a note private (for the editors only) or not.
    pub fn set_note_private(&self, id: NoteId, private: bool) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let before = note(&store, id)?;
        if before.private == private {
            return Ok(before);
        }
        let now = self.now();
        write(&store, |store| {
            store
                .conn()
                .prepare_cached("UPDATE notes SET private = ?2 WHERE id = ?1")?
                .execute(params![id.0, private])?;
            audit(
                store,
                self,
                now,
                "note.private",
                format!("note:{id}"),
                Some(json!({ "private": before.private })),
                Some(json!({ "private": private })),
            )?;
            note(store, id)
        })
    }

    /// Resolves the thread the note belongs to.
    pub fn resolve_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        self.set_resolved(id, true)
    }

    /// Reopens a resolved thread.
    pub fn reopen_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        self.set_resolved(id, false)
    }

    fn set_resolved(&self, id: NoteId, resolved: bool) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let given = note(&store, id)?;
        let thread = given.reply_to.unwrap_or(given.id);
        let first = note(&store, thread)?;
        match (first.resolved_at.is_some(), resolved) {
            (true, true) => return Err(SourcingError::AlreadyResolved(thread)),
            (false, false) => return Err(SourcingError::NotResolved(thread)),
            _ => {}
        }
        let now = self.now();
        write(&store, |store| {
            let (by, at) = if resolved { (Some(self.reviewer()), Some(to_rfc3339(now))) } else { (None, None) };
            store
                .conn()
                .prepare_cached("UPDATE notes SET resolved_by = ?2, resolved_at = ?3 WHERE id = ?1")?
                .execute(params![thread.0, by, at])?;
            audit(
                store,
                self,
                now,
                if resolved { "note.resolve" } else { "note.reopen" },
                format!("note:{thread}"),
                Some(json!({ "resolved": !resolved })),
                Some(json!({ "resolved": resolved })),
            )?;
            note(store, thread)
        })
    }

    /// The notes on a claim or a draft, each thread's first note followed by
    /// its replies, threads oldest first.
    pub fn notes(&self, target: NoteTarget) -> Result<Vec<NoteView>, SourcingError> {
        let store = lock(self.store());
        check_target(&store, target)?;
        let (column, id) = match target {
            NoteTarget::Claim(claim) => ("claim_id", claim.0),
            NoteTarget::Draft(draft) => ("draft_id", draft.0),
        };
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE {column} = ?1 AND removed_at IS NULL ORDER BY coalesce(reply_to, id), id"
        );
        let mut stmt = store.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([id], note_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().flatten().map(|n| with_history(&store, n)).collect()
    }

    /// Removes a note; removing the note that opens a thread removes its
    /// replies with it. Kept in the audit trail (its text, author, thread)
    /// and restorable with [`Review::restore_note`].
    pub fn remove_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let view = note(&store, id)?;
        check_target(&store, view.target)?;
        let now = self.now();
        let at = to_rfc3339(now);
        write(&store, |store| {
            // Only if still there: removed meanwhile from another window, it is not removed twice.
            let removed = store
                .conn()
                .prepare_cached(
                    "UPDATE notes SET removed_at = ?2, removed_by = ?3, removed_with = NULL
                     WHERE id = ?1 AND removed_at IS NULL",
                )?
                .execute(params![id.0, at, self.reviewer()])?;
            if removed == 0 {
                return Err(SourcingError::NoteNotFound(id));
            }
            // The replies as they are now (one may have been added meanwhile from another window),
            // so the audit trail names every reply that goes with the thread.
            let mut replies: Vec<NoteId> = store
                .conn()
                .prepare_cached(
                    "UPDATE notes SET removed_at = ?2, removed_by = ?3, removed_with = ?4
                     WHERE reply_to = ?1 AND removed_at IS NULL RETURNING id",
                )?
                .query_map(params![id.0, at, self.reviewer(), format!("note:{id}")], |row| Ok(NoteId(row.get(0)?)))?
                .collect::<rusqlite::Result<_>>()?;
            replies.sort_unstable();
            let mut before = snapshot(&view);
            before["replies"] = json!(replies);
            audit(store, self, now, "note.remove", format!("note:{id}"), Some(before), None)?;
            Ok(view)
        })
    }

    /// Brings back a removed note (with the replies removed along with it).
    pub fn restore_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let state = store
            .conn()
            .prepare_cached("SELECT removed_at IS NOT NULL, removed_with, reply_to, claim_id FROM notes WHERE id = ?1")?
            .query_row([id.0], |row| {
                Ok(RemovalState {
                    removed: row.get(0)?,
                    removed_with: row.get(1)?,
                    reply_to: row.get::<_, Option<i64>>(2)?.map(NoteId),
                    claim: row.get::<_, Option<i64>>(3)?.map(ClaimId),
                })
            })
            .optional()?;
        let RemovalState { removed, removed_with, reply_to, claim } = state.ok_or(SourcingError::NoteNotFound(id))?;
        if !removed {
            return Err(SourcingError::NotRemoved(format!("note {id}")));
        }
        if let Some(with) = removed_with {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} was removed with its thread: restore {} instead",
                with.replace(':', " ")
            )));
        }
        if let Some(claim) = claim.filter(|c| desk_of_claim(&store, *c).is_err()) {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} is on claim {claim}, which was removed: restore the claim first"
            )));
        }
        if let Some(thread) = reply_to.filter(|t| note(&store, *t).is_err()) {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} replies to note {thread}, which was removed: restore note {thread} first"
            )));
        }
        let now = self.now();
        write(&store, |store| {
            // Only if still removed: restored meanwhile from another window, it is not restored twice.
            let restored = store
                .conn()
                .prepare_cached(
                    "UPDATE notes SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
                )?
                .execute([id.0])?;
            if restored == 0 {
                return Err(SourcingError::NotRemoved(format!("note {id}")));
            }
            let view = note(store, id)?;
            let replies: Vec<NoteId> = store
                .conn()
                .prepare_cached(
                    "UPDATE notes SET removed_at = NULL, removed_by = NULL, removed_with = NULL
                     WHERE removed_with = ?1 RETURNING id",
                )?
                .query_map([format!("note:{id}")], |row| Ok(NoteId(row.get(0)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut after = snapshot(&view);
            after["replies"] = json!(replies);
            audit(store, self, now, "note.restore", format!("note:{id}"), None, Some(after))?;
            Ok(view)
        })
    }
}

/// Whether a note is removed, and what decides whether it may be restored on its own.
struct RemovalState {
    removed: bool,
    /// The thread it was removed with, if it went with one.
    removed_with: Option<String>,
    reply_to: Option<NoteId>,
    claim: Option<ClaimId>,
}

/// What the audit trail keeps of a removed note.
fn snapshot(view: &NoteView) -> serde_json::Value {
    let mut value = entity(view.target);
    value["text"] = json!(view.text);
    value["reply-to"] = json!(view.reply_to);
    value["private"] = json!(view.private);
    value["author"] = json!(view.author);
    value["created-at"] = json!(view.created_at);
    value
}
