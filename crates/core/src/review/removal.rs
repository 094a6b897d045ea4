//! Removing a claim tagged by mistake, and bringing it back.
//!
//! A removed claim keeps its row and everything hanging from it (its anchor
//! history, status history, source links, evidence and notes), marked with
//! who removed it and when; every list of claims, the matrix, the rules,
//! the reports and the history leave it out. Restoring it brings all of it
//! back as it was, re-placed on the draft's current version if the text
//! changed meanwhile. The audit trail records both, with what was removed.

use super::{lock, ClaimStatus, ClaimView, Review, ReviewError};
use crate::audit::{self, Change};
use crate::clock::to_rfc3339;
use crate::store::{ClaimId, DraftId, SourceId, Store, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A removed claim, as offered for restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RemovedClaim {
    pub id: ClaimId,
    pub draft: DraftId,
    pub status: ClaimStatus,
    /// The text as it was tagged.
    pub quote: String,
    pub removed_by: String,
    pub removed_at: String,
}

impl Review {
    /// Removes a claim (with its links, evidence and notes, which stay
    /// stored and come back with it). Kept in the audit trail with what it
    /// was: quote, place, status, attribution, links, evidence and notes.
    pub fn remove_claim(&self, claim: ClaimId) -> Result<ClaimView, ReviewError> {
        let view = self.claim(claim)?;
        let store = lock(&self.store);
        let now = self.clock.now();
        audit::write_transaction(&store, |store| {
            // What hangs from it as it is now: a link, evidence item or note added meanwhile from
            // another window is kept with the claim, so the audit trail names it too.
            let before = snapshot(store, &view)?;
            // Only if still there: removed meanwhile from another window, it is not removed twice.
            let removed = store
                .conn()
                .prepare_cached(
                    "UPDATE claims SET removed_at = ?2, removed_by = ?3 WHERE id = ?1 AND removed_at IS NULL",
                )
                .and_then(|mut stmt| stmt.execute(params![claim.0, to_rfc3339(now), self.reviewer]))
                .map_err(StoreError::from)?;
            if removed == 0 {
                return Err(ReviewError::ClaimNotFound(claim));
            }
            audit::record(
                store,
                &Change {
                    by: &self.reviewer,
                    at: now,
                    action: "claim.remove",
                    entity: format!("claim:{claim}"),
                    before: Some(before),
                    after: None,
                },
            )?;
            Ok::<_, ReviewError>(())
        })?;
        Ok(view)
    }

    /// Brings back a removed claim with its anchors, status history, links,
    /// evidence and notes, placed on the draft's current version.
    pub fn restore_claim(&self, claim: ClaimId) -> Result<ClaimView, ReviewError> {
        {
            let store = lock(&self.store);
            let found: Option<(i64, bool, String)> = store
                .conn()
                .prepare_cached("SELECT draft_id, removed_at IS NOT NULL, exact FROM claims WHERE id = ?1")
                .and_then(|mut stmt| {
                    stmt.query_row([claim.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).optional()
                })
                .map_err(StoreError::from)?;
            let (draft, removed, quote) = found.ok_or(ReviewError::ClaimNotFound(claim))?;
            if !removed {
                return Err(ReviewError::NotRemoved(claim));
            }
            let now = self.clock.now();
            audit::write_transaction(&store, |store| {
                // Only if still removed: restored meanwhile from another window, it is not restored twice.
                let restored = store
                    .conn()
                    .prepare_cached(
                        "UPDATE claims SET removed_at = NULL, removed_by = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
                    )
                    .and_then(|mut stmt| stmt.execute([claim.0]))
                    .map_err(StoreError::from)?;
                if restored == 0 {
                    return Err(ReviewError::NotRemoved(claim));
                }
                audit::record(
                    store,
                    &Change {
                        by: &self.reviewer,
                        at: now,
                        action: "claim.restore",
                        entity: format!("claim:{claim}"),
                        before: None,
                        after: Some(json!({ "draft": draft, "quote": quote })),
                    },
                )?;
                Ok::<_, ReviewError>(())
            })?;
        }
        self.claim(claim)
    }

    /// The claims removed from a draft, most recently removed first.
    pub fn removed_claims(&self, draft: DraftId) -> Result<Vec<RemovedClaim>, ReviewError> {
        let store = lock(&self.store);
        store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
        let rows: Vec<(i64, String, String, String, String)> = store
            .conn()
            .prepare_cached(
                "SELECT id, status, exact, removed_by, removed_at FROM claims
                 WHERE draft_id = ?1 AND removed_at IS NOT NULL ORDER BY removed_at DESC, id DESC",
            )
            .and_then(|mut stmt| {
                stmt.query_map([draft.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?
                    .collect()
            })
            .map_err(StoreError::from)?;
        rows.into_iter()
            .map(|(id, status, quote, removed_by, removed_at)| {
                Ok(RemovedClaim { id: ClaimId(id), draft, status: status.parse()?, quote, removed_by, removed_at })
            })
            .collect()
    }
}

/// What the audit trail keeps of a removed claim: where it was, what it
/// said, and what hangs from it (sources by id only).
fn snapshot(store: &Store, view: &ClaimView) -> Result<serde_json::Value, ReviewError> {
    let conn = store.conn();
    let ids = |sql: &str| -> Result<Vec<i64>, StoreError> {
        Ok(conn.prepare_cached(sql)?.query_map([view.id.0], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?)
    };
    let links: Vec<(SourceId, String)> = conn
        .prepare_cached(
            "SELECT source_id, role FROM claim_sources WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY source_id",
        )
        .and_then(|mut stmt| stmt.query_map([view.id.0], |row| Ok((SourceId(row.get(0)?), row.get(1)?)))?.collect())
        .map_err(StoreError::from)?;
    Ok(json!({
        "draft": view.draft,
        "status": view.status.as_str(),
        "quote": view.quote,
        "original-quote": view.original_quote,
        "start": view.start,
        "end": view.end,
        "attribution": view.attribution,
        "links": links.iter().map(|(source, role)| json!({ "source": source, "role": role })).collect::<Vec<_>>(),
        "evidence": ids("SELECT id FROM evidence WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY id")?,
        "notes": ids("SELECT id FROM notes WHERE claim_id = ?1 AND removed_at IS NULL ORDER BY id")?,
    }))
}
