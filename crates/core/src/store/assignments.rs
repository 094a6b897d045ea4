//! Assignments and each person's inbox: the `assignments` and `inbox` tables.

use super::engine::{params, Optional, Row};
use super::{AssignmentId, ClaimId, DeskId, DraftId, InboxId, NoteId, Store, StoreError};
use serde::{Deserialize, Serialize};

/// What is assigned: one claim, or a whole draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "on", content = "id", rename_all = "kebab-case")]
pub enum AssignmentTarget {
    Claim(ClaimId),
    Draft(DraftId),
}

impl AssignmentTarget {
    fn columns(self) -> (Option<ClaimId>, Option<DraftId>) {
        match self {
            Self::Claim(claim) => (Some(claim), None),
            Self::Draft(draft) => (None, Some(draft)),
        }
    }
}

/// A live assignment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRecord {
    pub id: AssignmentId,
    pub assignee: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub assigned_by: String,
    pub assigned_at: String,
}

/// A live assignment of a person, with what the list of their work shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedRow {
    pub id: AssignmentId,
    pub claim: Option<ClaimId>,
    /// The draft assigned, or the claim's draft.
    pub draft: DraftId,
    pub draft_path: String,
    pub draft_title: String,
    /// The claim's words, for a claim.
    pub quote: Option<String>,
    pub due: Option<String>,
    pub assigned_by: String,
    pub assigned_at: String,
}

/// An inbox entry to store.
#[derive(Debug, Clone, Copy)]
pub struct NewInboxEntry<'a> {
    pub person: &'a str,
    /// `assignment` or `mention`.
    pub kind: &'a str,
    pub draft: DraftId,
    pub claim: Option<ClaimId>,
    pub assignment: Option<AssignmentId>,
    pub note: Option<NoteId>,
    pub from: &'a str,
    pub at: &'a str,
}

/// An inbox entry as stored, with what the inbox shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: InboxId,
    pub kind: String,
    pub draft: DraftId,
    pub draft_path: String,
    pub draft_title: String,
    pub claim: Option<ClaimId>,
    pub quote: Option<String>,
    /// The mentioning note's text.
    pub note_text: Option<String>,
    /// The assignment's due date.
    pub due: Option<String>,
    pub from: String,
    pub at: String,
    pub read_at: Option<String>,
}

fn assigned_from_row(row: &Row<'_>) -> Result<AssignedRow, StoreError> {
    Ok(AssignedRow {
        id: row.get(0)?,
        claim: row.get(1)?,
        draft: row.get(2)?,
        draft_path: row.get(3)?,
        draft_title: row.get(4)?,
        quote: row.get(5)?,
        due: row.get(6)?,
        assigned_by: row.get(7)?,
        assigned_at: row.get(8)?,
    })
}

impl Store {
    /// The live assignment of a claim or a draft.
    pub fn live_assignment(&self, target: AssignmentTarget) -> Result<Option<AssignmentRecord>, StoreError> {
        let (claim, draft) = target.columns();
        self.prepare_cached(
            "SELECT id, assignee, due, assigned_by, assigned_at FROM assignments
             WHERE (claim_id = ?1 OR draft_id = ?2) AND ended_at IS NULL",
        )?
        .query_row(params![claim, draft], |row| {
            Ok(AssignmentRecord {
                id: row.get(0)?,
                assignee: row.get(1)?,
                due: row.get(2)?,
                assigned_by: row.get(3)?,
                assigned_at: row.get(4)?,
            })
        })
        .optional()
    }

    /// Who the live claims of `draft` are assigned to, with how many each, by name.
    pub fn claim_assignees_of_draft(&self, draft: DraftId) -> Result<Vec<(String, i64)>, StoreError> {
        self.prepare_cached(
            "SELECT a.assignee, count(*) FROM assignments a JOIN claims c ON c.id = a.claim_id
             WHERE c.draft_id = ?1 AND c.removed_at IS NULL AND a.ended_at IS NULL
             GROUP BY a.assignee ORDER BY a.assignee",
        )?
        .query_map(params![draft], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
    }

    /// Stores a live assignment (the previous one ended first, see [`Store::end_assignment`]).
    pub fn insert_assignment(
        &self,
        target: AssignmentTarget,
        assignee: &str,
        due: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<AssignmentId, StoreError> {
        let (claim, draft) = target.columns();
        self.prepare_cached(
            "INSERT INTO assignments (claim_id, draft_id, assignee, due, assigned_by, assigned_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )?
        .query_row(params![claim, draft, assignee, due, by, at], |row| row.get(0))
    }

    /// Ends a live assignment; returns whether it still was live.
    pub fn end_assignment(&self, id: AssignmentId, by: &str, at: &str) -> Result<bool, StoreError> {
        let ended = self
            .prepare_cached("UPDATE assignments SET ended_by = ?2, ended_at = ?3 WHERE id = ?1 AND ended_at IS NULL")?
            .execute(params![id, by, at])?;
        Ok(ended > 0)
    }

    /// The live assignments of `person` on live claims and drafts (of `desk` only, when given), the soonest due
    /// first (undated last), then oldest.
    pub fn assignments_of(&self, person: &str, desk: Option<DeskId>) -> Result<Vec<AssignedRow>, StoreError> {
        self.prepare_cached(
            "SELECT a.id, a.claim_id, d.id, d.path, d.title, c.exact, a.due, a.assigned_by, a.assigned_at
             FROM assignments a
             LEFT JOIN claims c ON c.id = a.claim_id
             JOIN drafts d ON d.id = coalesce(a.draft_id, c.draft_id)
             WHERE a.assignee = ?1 AND a.ended_at IS NULL AND (a.claim_id IS NULL OR c.removed_at IS NULL)
               AND (CAST(?2 AS BIGINT) IS NULL OR d.desk_id = ?2)
             ORDER BY a.due IS NULL, a.due, a.id",
        )?
        .query_map(params![person, desk], assigned_from_row)?
        .collect()
    }

    /// Stores an inbox entry.
    pub fn insert_inbox_entry(&self, entry: &NewInboxEntry<'_>) -> Result<InboxId, StoreError> {
        self.prepare_cached(
            "INSERT INTO inbox (person, kind, draft_id, claim_id, assignment_id, note_id, from_person, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        )?
        .query_row(
            params![
                entry.person,
                entry.kind,
                entry.draft,
                entry.claim,
                entry.assignment,
                entry.note,
                entry.from,
                entry.at
            ],
            |row| row.get(0),
        )
    }

    /// `person`'s inbox (of `desk` only, when given), newest first; an entry about a removed claim or note is left
    /// out while it is removed.
    pub fn inbox_of(&self, person: &str, desk: Option<DeskId>) -> Result<Vec<InboxRow>, StoreError> {
        self.prepare_cached(
            // A private note (editors only) is never quoted in an inbox: the entry says who mentioned whom, where.
            "SELECT i.id, i.kind, d.id, d.path, d.title, i.claim_id, c.exact,
                    CASE WHEN n.private = TRUE THEN NULL ELSE n.text END, a.due, i.from_person, i.at, i.read_at
             FROM inbox i
             JOIN drafts d ON d.id = i.draft_id
             LEFT JOIN claims c ON c.id = i.claim_id
             LEFT JOIN notes n ON n.id = i.note_id
             LEFT JOIN assignments a ON a.id = i.assignment_id
             WHERE i.person = ?1 AND (i.claim_id IS NULL OR c.removed_at IS NULL)
               AND (i.note_id IS NULL OR n.removed_at IS NULL)
               AND (CAST(?2 AS BIGINT) IS NULL OR d.desk_id = ?2)
             ORDER BY i.id DESC",
        )?
        .query_map(params![person, desk], |row| {
            Ok(InboxRow {
                id: row.get(0)?,
                kind: row.get(1)?,
                draft: row.get(2)?,
                draft_path: row.get(3)?,
                draft_title: row.get(4)?,
                claim: row.get(5)?,
                quote: row.get(6)?,
                note_text: row.get(7)?,
                due: row.get(8)?,
                from: row.get(9)?,
                at: row.get(10)?,
                read_at: row.get(11)?,
            })
        })?
        .collect()
    }

    /// Marks `person`'s inbox entry read (once: the first time is kept); returns whether it is theirs.
    pub fn mark_inbox_read(&self, id: InboxId, person: &str, at: &str) -> Result<bool, StoreError> {
        let found = self
            .prepare_cached("UPDATE inbox SET read_at = coalesce(read_at, ?3) WHERE id = ?1 AND person = ?2")?
            .execute(params![id, person, at])?;
        Ok(found > 0)
    }

    /// The draft a live claim is on.
    pub fn draft_of_live_claim(&self, claim: ClaimId) -> Result<Option<DraftId>, StoreError> {
        self.prepare_cached("SELECT draft_id FROM claims WHERE id = ?1 AND removed_at IS NULL")?
            .query_row([claim], |row| row.get(0))
            .optional()
    }
}
