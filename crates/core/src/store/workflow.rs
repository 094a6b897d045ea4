//! A draft's workflow: the `draft_workflow`, `draft_changes_since_ready`,
//! `rule_overrides` and `rule_override_findings` tables. Statuses, rule ids
//! and the list of changes are stored as text; the domain parses them.

use super::engine::{params, Optional};
use super::{ClaimId, DeskId, DraftId, OverrideId, SourceId, Store, StoreError, VersionId};
use crate::clock::to_rfc3339;
use chrono::{DateTime, Utc};

/// A draft's row in `draft_workflow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRow {
    pub status: String,
    pub changed_by: String,
    pub changed_at: String,
    /// The version the status was set on (unknown for statuses set before it was kept).
    pub version: Option<VersionId>,
}

/// A draft's row in `draft_changes_since_ready`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesSinceReadyRow {
    pub version: VersionId,
    pub status_was: String,
    /// JSON array of the changes.
    pub changes: String,
    pub reopened: bool,
    pub detected_at: String,
}

/// One finding covered by an override still standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideFindingRow {
    pub id: OverrideId,
    pub reason: String,
    pub by: String,
    pub at: String,
    pub rule: String,
    pub claim: Option<ClaimId>,
    pub source: Option<SourceId>,
}

/// A draft's saved editor's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedEditorNote {
    pub text: String,
    pub saved_by: String,
    pub saved_at: String,
    /// Counts its saves: the version a save is compared with (no silent overwrite).
    pub version: i64,
}

impl Store {
    /// A draft's workflow status as last set, when one was.
    pub fn draft_workflow(&self, draft: DraftId) -> Result<Option<WorkflowRow>, StoreError> {
        self.prepare_cached(
            "SELECT status, changed_by, changed_at, version_id FROM draft_workflow WHERE draft_id = ?1",
        )?
        .query_row([draft], |row| {
            Ok(WorkflowRow {
                status: row.get(0)?,
                changed_by: row.get(1)?,
                changed_at: row.get(2)?,
                version: row.get(3)?,
            })
        })
        .optional()
    }

    /// Sets a draft's workflow status, by whom, when and on which version.
    pub fn put_draft_workflow(
        &self,
        draft: DraftId,
        status: &str,
        by: &str,
        at: DateTime<Utc>,
        version: Option<VersionId>,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at, version_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(draft_id) DO UPDATE SET status = excluded.status, changed_by = excluded.changed_by,
                     changed_at = excluded.changed_at, version_id = excluded.version_id",
        )?
        .execute(params![draft, status, by, to_rfc3339(at), version])?;
        Ok(())
    }

    /// Records which version a draft's status stands on, leaving the status as it is.
    pub fn set_draft_workflow_version(&self, draft: DraftId, version: VersionId) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE draft_workflow SET version_id = ?2 WHERE draft_id = ?1")?
            .execute(params![draft, version])?;
        Ok(())
    }

    /// Sets an existing workflow row's status (the system sending a draft back).
    pub fn update_draft_workflow(
        &self,
        draft: DraftId,
        status: &str,
        by: &str,
        at: DateTime<Utc>,
        version: VersionId,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "UPDATE draft_workflow SET status = ?2, changed_by = ?3, changed_at = ?4, version_id = ?5
                 WHERE draft_id = ?1",
        )?
        .execute(params![draft, status, by, to_rfc3339(at), version])?;
        Ok(())
    }

    /// The workflow status of each draft of a desk that has one.
    pub fn draft_workflows_of_desk(&self, desk: DeskId) -> Result<Vec<(DraftId, String)>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT w.draft_id, w.status FROM draft_workflow w JOIN drafts d ON d.id = w.draft_id WHERE d.desk_id = ?1",
        )?;
        let rows = stmt.query_map([desk], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// What changed since a draft was marked ready, when something was recorded.
    pub fn changes_since_ready(&self, draft: DraftId) -> Result<Option<ChangesSinceReadyRow>, StoreError> {
        self.prepare_cached(
            "SELECT version_id, status_was, changes, reopened, detected_at FROM draft_changes_since_ready
                 WHERE draft_id = ?1",
        )?
        .query_row([draft], |row| {
            Ok(ChangesSinceReadyRow {
                version: row.get(0)?,
                status_was: row.get(1)?,
                changes: row.get(2)?,
                reopened: row.get(3)?,
                detected_at: row.get(4)?,
            })
        })
        .optional()
    }

    /// The changes (JSON) since ready of each draft of a desk that has some recorded.
    pub fn changes_since_ready_of_desk(&self, desk: DeskId) -> Result<Vec<(DraftId, String)>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT c.draft_id, c.changes FROM draft_changes_since_ready c JOIN drafts d ON d.id = c.draft_id
             WHERE d.desk_id = ?1",
        )?;
        let rows = stmt.query_map([desk], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Records the changes since ready found on `version`. `reopened` only
    /// ever turns on, and the time found is kept while the changes are the same.
    pub fn put_changes_since_ready(&self, draft: DraftId, row: &ChangesSinceReadyRow) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, reopened, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(draft_id) DO UPDATE SET version_id = excluded.version_id, changes = excluded.changes,
                     reopened = draft_changes_since_ready.reopened OR excluded.reopened,
                     detected_at = CASE WHEN excluded.changes = draft_changes_since_ready.changes THEN draft_changes_since_ready.detected_at ELSE excluded.detected_at END",
        )?
        .execute(params![draft, row.version, row.status_was, row.changes, row.reopened, row.detected_at])?;
        Ok(())
    }

    /// Forgets what changed since ready (the draft was marked ready again).
    pub fn clear_changes_since_ready(&self, draft: DraftId) -> Result<(), StoreError> {
        self.prepare_cached("DELETE FROM draft_changes_since_ready WHERE draft_id = ?1")?.execute([draft])?;
        Ok(())
    }

    /// The findings covered by a draft's overrides that have not lapsed, oldest override first.
    pub fn standing_override_findings(&self, draft: DraftId) -> Result<Vec<OverrideFindingRow>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT o.id, o.reason, o.overridden_by, o.overridden_at, f.rule, f.claim_id, f.source_id
             FROM rule_overrides o JOIN rule_override_findings f ON f.override_id = o.id
             WHERE o.draft_id = ?1 AND o.lapsed_at IS NULL ORDER BY o.id",
        )?;
        let rows = stmt.query_map([draft], |row| {
            Ok(OverrideFindingRow {
                id: row.get(0)?,
                reason: row.get(1)?,
                by: row.get(2)?,
                at: row.get(3)?,
                rule: row.get(4)?,
                claim: row.get(5)?,
                source: row.get(6)?,
            })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Records an override of findings on a draft (its findings follow with
    /// [`Store::insert_override_finding`]).
    pub fn insert_override(
        &self,
        draft: DraftId,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<OverrideId, StoreError> {
        self.prepare_cached(
            "INSERT INTO rule_overrides (draft_id, reason, overridden_by, overridden_at) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
        )?
        .query_row(params![draft, reason, by, to_rfc3339(at)], |row| row.get(0))
    }

    /// Records one finding an override covers.
    pub fn insert_override_finding(
        &self,
        id: OverrideId,
        rule: &str,
        claim: Option<ClaimId>,
        source: Option<SourceId>,
    ) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO rule_override_findings (override_id, rule, claim_id, source_id) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, rule, claim, source])?;
        Ok(())
    }

    /// Lapses every standing override of a draft; returns those it lapsed.
    pub fn lapse_overrides(&self, draft: DraftId, at: DateTime<Utc>) -> Result<Vec<OverrideId>, StoreError> {
        self.prepare_cached(
            "UPDATE rule_overrides SET lapsed_at = ?2 WHERE draft_id = ?1 AND lapsed_at IS NULL RETURNING id",
        )?
        .query_map(params![draft, to_rfc3339(at)], |row| row.get(0))?
        .collect::<Result<_, StoreError>>()
    }

    /// A draft's saved editor's note: its text, who saved it, when, and its version.
    pub fn saved_editor_note(&self, draft: DraftId) -> Result<Option<SavedEditorNote>, StoreError> {
        self.prepare_cached("SELECT text, saved_by, saved_at, version FROM editor_notes WHERE draft_id = ?1")?
            .query_row([draft], |row| {
                Ok(SavedEditorNote {
                    text: row.get(0)?,
                    saved_by: row.get(1)?,
                    saved_at: row.get(2)?,
                    version: row.get(3)?,
                })
            })
            .optional()
    }

    /// Saves a draft's editor's note, by whom and when.
    pub fn save_editor_note(&self, draft: DraftId, text: &str, by: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.prepare_cached(
            "INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(draft_id) DO UPDATE SET text = excluded.text, saved_by = excluded.saved_by,
                     saved_at = excluded.saved_at, version = editor_notes.version + 1",
        )?
        .execute(params![draft, text, by, to_rfc3339(at)])?;
        Ok(())
    }
}
