//! Claims, their status changes and their placements: the `claims`,
//! `claim_status_changes` and `claim_anchors` tables.

use super::engine::{params, Optional, Row};
use super::{ClaimId, DeskId, DraftId, EvidenceId, NoteId, SourceId, Store, StoreError, VersionId};
use crate::clock::to_rfc3339;
use chrono::{DateTime, Utc};

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: ClaimId,
    pub draft_id: DraftId,
    pub status: String,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: u32,
    pub end: u32,
    /// The version the claim was made on.
    pub version_id: VersionId,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// How the draft attributes the claim (`anonymous`, `named`, `document`, `none`), when known.
    pub attribution: Option<String>,
    /// The draft's words that attribute it.
    pub attribution_cue: Option<String>,
    /// Counts its status changes: the version a status change is compared with (no silent overwrite).
    pub version: i64,
}

/// A claim to store.
#[derive(Debug, Clone, Copy)]
pub struct NewClaim<'a> {
    pub draft: DraftId,
    pub status: &'a str,
    pub exact: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    pub start: u32,
    pub end: u32,
    pub version: VersionId,
    pub by: &'a str,
    pub at: DateTime<Utc>,
}

/// One change of a claim's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChangeRecord {
    pub previous: Option<String>,
    pub status: String,
    pub by: String,
    pub at: String,
}

/// Where a claim sits in one version of its draft.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorRecord {
    pub claim_id: ClaimId,
    pub version_id: VersionId,
    pub state: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub confidence: f64,
    /// JSON array of candidates `{start, end, score}`.
    pub candidates: String,
    pub quote_now: Option<String>,
    pub computed_at: String,
    /// Who settled this placement by hand, when re-anchoring could not.
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

const CLAIM_COLUMNS: &str =
    "id, draft_id, status, exact, prefix, suffix, start, \"end\", version_id, created_by, created_at, updated_by, updated_at, \
     attribution, attribution_cue, version";
const ANCHOR_COLUMNS: &str =
    "claim_id, version_id, state, start, \"end\", confidence, candidates, quote_now, computed_at, resolved_by, resolved_at";

impl Store {
    /// Stores a new claim and its first status.
    pub fn insert_claim(&self, claim: &NewClaim<'_>) -> Result<ClaimId, StoreError> {
        let at = to_rfc3339(claim.at);
        let mut stmt = self.prepare_cached(
            "INSERT INTO claims (draft_id, status, exact, prefix, suffix, start, \"end\", version_id,
                                 created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10) RETURNING id",
        )?;
        let id = ClaimId(stmt.query_row(
            params![
                claim.draft,
                claim.status,
                claim.exact,
                claim.prefix,
                claim.suffix,
                claim.start,
                claim.end,
                claim.version,
                claim.by,
                at
            ],
            |row| row.get(0),
        )?);
        self.prepare_cached(
            "INSERT INTO claim_status_changes (claim_id, previous, status, changed_by, changed_at)
                 VALUES (?1, NULL, ?2, ?3, ?4)",
        )?
        .execute(params![id, claim.status, claim.by, at])?;
        Ok(id)
    }

    fn claim_from_row(row: &Row<'_>) -> Result<ClaimRecord, StoreError> {
        Ok(ClaimRecord {
            id: row.get(0)?,
            draft_id: row.get(1)?,
            status: row.get(2)?,
            exact: row.get(3)?,
            prefix: row.get(4)?,
            suffix: row.get(5)?,
            start: row.get(6)?,
            end: row.get(7)?,
            version_id: row.get(8)?,
            created_by: row.get(9)?,
            created_at: row.get(10)?,
            updated_by: row.get(11)?,
            updated_at: row.get(12)?,
            attribution: row.get(13)?,
            attribution_cue: row.get(14)?,
            version: row.get(15)?,
        })
    }

    /// A claim, unless it was removed.
    pub fn claim(&self, id: ClaimId) -> Result<Option<ClaimRecord>, StoreError> {
        let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?1 AND removed_at IS NULL");
        let mut stmt = self.prepare_cached(&sql)?;
        stmt.query_row([id], Self::claim_from_row).optional()
    }

    /// A draft's claims, oldest first, less those removed.
    pub fn claims_of_draft(&self, draft: DraftId) -> Result<Vec<ClaimRecord>, StoreError> {
        let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE draft_id = ?1 AND removed_at IS NULL ORDER BY id");
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([draft], Self::claim_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Sets a claim's status, recording who changed it from what, and when.
    pub fn set_claim_status(&self, id: ClaimId, status: &str, by: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let at = to_rfc3339(at);
        let previous: String =
            self.prepare_cached("SELECT status FROM claims WHERE id = ?1")?.query_row([id], |row| row.get(0))?;
        self.prepare_cached(
            "UPDATE claims SET status = ?2, updated_by = ?3, updated_at = ?4, version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, status, by, at])?;
        self.prepare_cached(
            "INSERT INTO claim_status_changes (claim_id, previous, status, changed_by, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, previous, status, by, at])?;
        Ok(())
    }

    /// Records how the draft attributes a claim.
    pub fn set_claim_attribution(&self, id: ClaimId, kind: &str, cue: Option<&str>) -> Result<(), StoreError> {
        self.prepare_cached("UPDATE claims SET attribution = ?2, attribution_cue = ?3 WHERE id = ?1")?
            .execute(params![id, kind, cue])?;
        Ok(())
    }

    /// Every status change of a claim, oldest first.
    pub fn claim_status_history(&self, id: ClaimId) -> Result<Vec<StatusChangeRecord>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT previous, status, changed_by, changed_at FROM claim_status_changes WHERE claim_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |row| {
            Ok(StatusChangeRecord { previous: row.get(0)?, status: row.get(1)?, by: row.get(2)?, at: row.get(3)? })
        })?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Records where a claim sits in a version (replacing an earlier answer for that version).
    pub fn put_claim_anchor(&self, anchor: &AnchorRecord) -> Result<(), StoreError> {
        let mut stmt = self.prepare_cached(
            "INSERT INTO claim_anchors (claim_id, version_id, state, start, \"end\", confidence, candidates, quote_now,
                                        computed_at, resolved_by, resolved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(claim_id, version_id) DO UPDATE SET state = excluded.state, start = excluded.start,
                 \"end\" = excluded.\"end\", confidence = excluded.confidence, candidates = excluded.candidates,
                 quote_now = excluded.quote_now, computed_at = excluded.computed_at,
                 resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at",
        )?;
        stmt.execute(params![
            anchor.claim_id,
            anchor.version_id,
            anchor.state,
            anchor.start,
            anchor.end,
            anchor.confidence,
            anchor.candidates,
            anchor.quote_now,
            anchor.computed_at,
            anchor.resolved_by,
            anchor.resolved_at
        ])?;
        Ok(())
    }

    fn anchor_from_row(row: &Row<'_>) -> Result<AnchorRecord, StoreError> {
        Ok(AnchorRecord {
            claim_id: row.get(0)?,
            version_id: row.get(1)?,
            state: row.get(2)?,
            start: row.get(3)?,
            end: row.get(4)?,
            confidence: row.get(5)?,
            candidates: row.get(6)?,
            quote_now: row.get(7)?,
            computed_at: row.get(8)?,
            resolved_by: row.get(9)?,
            resolved_at: row.get(10)?,
        })
    }

    /// Where a claim sits in `version`, if that was computed.
    pub fn claim_anchor(&self, claim: ClaimId, version: VersionId) -> Result<Option<AnchorRecord>, StoreError> {
        let sql = format!("SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 AND version_id = ?2");
        let mut stmt = self.prepare_cached(&sql)?;
        stmt.query_row(params![claim, version], Self::anchor_from_row).optional()
    }

    /// The most recent placement of a claim that has a position: where to
    /// re-anchor it from.
    pub fn last_placed_anchor(&self, claim: ClaimId) -> Result<Option<AnchorRecord>, StoreError> {
        let sql = format!(
            "SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 AND start IS NOT NULL ORDER BY id DESC LIMIT 1"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        stmt.query_row([claim], Self::anchor_from_row).optional()
    }

    /// A claim's anchor history, oldest first.
    pub fn claim_anchor_history(&self, claim: ClaimId) -> Result<Vec<AnchorRecord>, StoreError> {
        let sql = format!("SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE claim_id = ?1 ORDER BY id");
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([claim], Self::anchor_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Every claim placement computed for `version`.
    pub fn anchors_at_version(&self, version: VersionId) -> Result<Vec<AnchorRecord>, StoreError> {
        // A removed claim's placements stay (for its restore) but are not counted.
        let sql = format!(
            "SELECT {ANCHOR_COLUMNS} FROM claim_anchors WHERE version_id = ?1 AND EXISTS
             (SELECT 1 FROM claims c WHERE c.id = claim_anchors.claim_id AND c.removed_at IS NULL) ORDER BY claim_id"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map([version], Self::anchor_from_row)?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// How many claims of each status each draft of a desk has, less those removed.
    pub fn claim_status_counts_of_desk(&self, desk: DeskId) -> Result<Vec<(DraftId, String, i64)>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT c.draft_id, c.status, COUNT(*) FROM claims c JOIN drafts d ON d.id = c.draft_id
             WHERE d.desk_id = ?1 AND c.removed_at IS NULL GROUP BY c.draft_id, c.status",
        )?;
        let rows = stmt.query_map([desk], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// Tags a live claim on a new span; returns whether the claim was live.
    pub fn move_claim(
        &self,
        claim: ClaimId,
        placement: &ClaimPlacement<'_>,
        by: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let moved = self
            .prepare_cached(
                "UPDATE claims SET exact = ?2, prefix = ?3, suffix = ?4, start = ?5, \"end\" = ?6, version_id = ?7,
                                   updated_by = ?8, updated_at = ?9 WHERE id = ?1 AND removed_at IS NULL",
            )?
            .execute(params![
                claim,
                placement.exact,
                placement.prefix,
                placement.suffix,
                placement.start,
                placement.end,
                placement.version,
                by,
                at
            ])?;
        Ok(moved > 0)
    }

    /// Forgets where a claim sits in a version (an undone placement).
    pub fn delete_claim_anchor(&self, claim: ClaimId, version: VersionId) -> Result<(), StoreError> {
        self.prepare_cached("DELETE FROM claim_anchors WHERE claim_id = ?1 AND version_id = ?2")?
            .execute(params![claim, version])?;
        Ok(())
    }

    /// Marks a live claim removed; returns whether it was live.
    pub fn mark_claim_removed(&self, claim: ClaimId, at: &str, by: &str) -> Result<bool, StoreError> {
        let removed = self
            .prepare_cached("UPDATE claims SET removed_at = ?2, removed_by = ?3 WHERE id = ?1 AND removed_at IS NULL")?
            .execute(params![claim, at, by])?;
        Ok(removed > 0)
    }

    /// Brings back a removed claim; returns whether it still was removed.
    pub fn unmark_claim_removed(&self, claim: ClaimId) -> Result<bool, StoreError> {
        let restored = self
            .prepare_cached(
                "UPDATE claims SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
            )?
            .execute([claim])?;
        Ok(restored > 0)
    }

    /// A claim's draft, whether it is removed, and its quote; `None` when there is no such claim.
    pub fn claim_removal_state(&self, claim: ClaimId) -> Result<Option<(DraftId, bool, String)>, StoreError> {
        self.prepare_cached("SELECT draft_id, removed_at IS NOT NULL, exact FROM claims WHERE id = ?1")?
            .query_row([claim], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()
    }

    /// The removed claims of a draft (id, status, quote, removed by, removed at), most recently removed first.
    #[allow(clippy::type_complexity)]
    pub fn removed_claims_of_draft(
        &self,
        draft: DraftId,
    ) -> Result<Vec<(ClaimId, String, String, String, String)>, StoreError> {
        let mut stmt = self.prepare_cached(
            "SELECT id, status, exact, removed_by, removed_at FROM claims
             WHERE draft_id = ?1 AND removed_at IS NOT NULL ORDER BY removed_at DESC, id DESC",
        )?;
        let rows =
            stmt.query_map([draft], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?;
        rows.collect::<Result<_, StoreError>>()
    }

    /// What hangs from a claim and is not removed.
    pub fn hanging_from_claim(&self, claim: ClaimId) -> Result<HangingFromClaim, StoreError> {
        let links = self.prepare_cached(
                "SELECT source_id, role FROM claim_sources WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY source_id",
            )?
            .query_map([claim], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, StoreError>>()?;
        let evidence = self
            .prepare_cached("SELECT id FROM evidence WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY id")?
            .query_map([claim], |row| row.get(0))?
            .collect::<Result<_, StoreError>>()?;
        let notes = self
            .prepare_cached("SELECT id FROM notes WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY id")?
            .query_map([claim], |row| row.get(0))?
            .collect::<Result<_, StoreError>>()?;
        Ok(HangingFromClaim { links, evidence, notes })
    }

    /// The desk of a claim (through its draft), unless the claim was removed.
    pub fn desk_of_live_claim(&self, claim: ClaimId) -> Result<Option<DeskId>, StoreError> {
        self.prepare_cached(
                "SELECT d.desk_id FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE c.id = ?1 AND c.removed_at IS NULL",
            )?
            .query_row([claim], |row| row.get(0))
            .optional()
    }

    /// Whether a claim carries `mark`; `None` when it is removed or unknown.
    pub fn claim_mark(&self, claim: ClaimId, mark: ClaimMark) -> Result<Option<bool>, StoreError> {
        // The column name comes from the enum, never from input.
        self.prepare_cached(&format!("SELECT {} FROM claims WHERE id = ?1 AND removed_at IS NULL", mark.column()))?
            .query_row([claim], |row| row.get(0))
            .optional()
    }

    /// Sets or clears a claim's mark, by whom and when.
    pub fn set_claim_mark(
        &self,
        claim: ClaimId,
        mark: ClaimMark,
        value: bool,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let column = mark.column();
        self.prepare_cached(&format!(
            "UPDATE claims SET {column} = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1"
        ))?
        .execute(params![claim, value, by, to_rfc3339(at)])?;
        Ok(())
    }
}

/// Where a claim is tagged: its quote and span on a version.
#[derive(Debug, Clone, Copy)]
pub struct ClaimPlacement<'a> {
    pub exact: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    pub start: u32,
    pub end: u32,
    pub version: VersionId,
}

/// What hangs from a claim and is not removed: its links (source and role),
/// evidence items and notes, each by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HangingFromClaim {
    pub links: Vec<(SourceId, String)>,
    pub evidence: Vec<EvidenceId>,
    pub notes: Vec<NoteId>,
}

/// What the reviewer can mark a claim as, each a column of `claims`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimMark {
    Opinion,
    PersonalAttack,
}

impl ClaimMark {
    fn column(self) -> &'static str {
        match self {
            Self::Opinion => "opinion",
            Self::PersonalAttack => "personal_attack",
        }
    }
}
