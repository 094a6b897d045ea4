//! Removing a claim tagged by mistake, and bringing it back.
//!
//! A removed claim keeps its row and everything hanging from it (its anchor
//! history, status history, source links, evidence and notes), marked with
//! who removed it and when; every list of claims, the matrix, the rules,
//! the reports and the history leave it out. Restoring it brings all of it
//! back as it was, re-placed on the draft's current version if the text
//! changed meanwhile. The audit trail records both, with what was removed.

use super::{lock, ClaimStatus, ClaimView, Review, ReviewError, Subject};
use crate::audit::{self, Change};
use crate::audit::{AuditAction, Entity};
use crate::clock::to_rfc3339;
use crate::store::{ClaimId, DraftId, Store};
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
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Claim(claim), |store| {
            // What hangs from it as it is now: a link, evidence item or note added meanwhile from
            // another window is kept with the claim, so the audit trail names it too.
            let before = snapshot(store, &view)?;
            // Only if still there: removed meanwhile from another window, it is not removed twice.
            if !store.mark_claim_removed(claim, &to_rfc3339(now), &self.reviewer)? {
                return Err(ReviewError::ClaimNotFound(claim));
            }
            audit::record(
                store,
                &Change {
                    by: &self.reviewer,
                    at: now,
                    action: AuditAction::ClaimRemove,
                    entity: Entity::Claim(claim),
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
            let found = store.claim_removal_state(claim)?;
            let (draft, removed, quote) = found.ok_or(ReviewError::ClaimNotFound(claim))?;
            if !removed {
                return Err(ReviewError::NotRemoved(claim));
            }
            let now = self.clock.now();
            self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Draft(draft), |store| {
                // Only if still removed: restored meanwhile from another window, it is not restored twice.
                if !store.unmark_claim_removed(claim)? {
                    return Err(ReviewError::NotRemoved(claim));
                }
                audit::record(
                    store,
                    &Change {
                        by: &self.reviewer,
                        at: now,
                        action: AuditAction::ClaimRestore,
                        entity: Entity::Claim(claim),
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
        self.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
        let rows = store.removed_claims_of_draft(draft)?;
        rows.into_iter()
            .map(|(id, status, quote, removed_by, removed_at)| {
                Ok(RemovedClaim { id, draft, status: status.parse()?, quote, removed_by, removed_at })
            })
            .collect()
    }
}

/// What the audit trail keeps of a removed claim: where it was, what it
/// said, and what hangs from it (sources by id only).
fn snapshot(store: &Store, view: &ClaimView) -> Result<serde_json::Value, ReviewError> {
    let hanging = store.hanging_from_claim(view.id)?;
    let links = hanging.links;
    Ok(json!({
        "draft": view.draft,
        "status": view.status.as_str(),
        "quote": view.quote,
        "original-quote": view.original_quote,
        "start": view.start,
        "end": view.end,
        "attribution": view.attribution,
        "links": links.iter().map(|(source, role)| json!({ "source": source, "role": role })).collect::<Vec<_>>(),
        "evidence": hanging.evidence,
        "notes": hanging.notes,
    }))
}
