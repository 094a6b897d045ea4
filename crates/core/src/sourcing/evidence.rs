//! Evidence items on a claim: a document, a URL, an interview, a public
//! record, a photo or video, a dataset; each with a reference, a summary,
//! when it was obtained, who added it, and whether it is independent of the
//! source the claim is attributed to (a document the anonymous source handed
//! over is not).
//!
//! Removing an evidence item keeps its row, marked with who removed it and
//! when, so restoring it brings it back exactly as it was.

use super::{audit, desk_of_claim, kebab_enum, optional, required, SourcingError};
use crate::audit::{AuditAction, Entity};
use crate::clock::to_rfc3339;
use crate::review::{Review, Subject};
use crate::store::evidence::{EvidenceRow, NewEvidenceRecord};
use crate::store::{lock, ClaimId, EvidenceId, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;

kebab_enum!(
    /// What kind of evidence it is.
    EvidenceKind, "evidence kind" {
        Document => "document",
        Url => "url",
        Interview => "interview",
        PublicRecord => "public-record",
        PhotoVideo => "photo-video",
        Dataset => "dataset",
    }
);

kebab_enum!(
    /// Whether the evidence supports the claim or contradicts it.
    Stance, "stance" {
        Supports => "supports",
        Contradicts => "contradicts",
    }
);

/// Evidence to add to a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    /// A URL or a file path.
    pub reference: String,
    pub summary: String,
    /// When it was obtained: a date (`2021-09-27`) or an RFC 3339 time.
    pub obtained_at: Option<String>,
    /// Independent of the claim's attributed source.
    pub independent: bool,
    pub stance: Stance,
}

impl NewEvidence {
    /// Evidence that supports the claim, obtained at an unrecorded time.
    pub fn supporting(kind: EvidenceKind, reference: &str, summary: &str, independent: bool) -> Self {
        Self {
            kind,
            reference: reference.to_owned(),
            summary: summary.to_owned(),
            obtained_at: None,
            independent,
            stance: Stance::Supports,
        }
    }
}

/// An evidence item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EvidenceView {
    pub id: EvidenceId,
    pub claim: ClaimId,
    pub kind: EvidenceKind,
    pub reference: String,
    pub summary: String,
    pub obtained_at: Option<String>,
    pub independent: bool,
    pub stance: Stance,
    pub added_by: String,
    pub added_at: String,
}

/// A date or time the user typed, normalised: `YYYY-MM-DD` stays a date,
/// an RFC 3339 time becomes UTC.
fn obtained_at(given: Option<&str>) -> Result<Option<String>, SourcingError> {
    let Some(given) = optional(given) else { return Ok(None) };
    if chrono::NaiveDate::parse_from_str(&given, "%Y-%m-%d").is_ok() {
        return Ok(Some(given));
    }
    chrono::DateTime::parse_from_rfc3339(&given)
        .map(|at| Some(to_rfc3339(at.with_timezone(&chrono::Utc))))
        .map_err(|_| SourcingError::Invalid(format!("{given:?} is not a date (2021-09-27) or an RFC 3339 time")))
}

/// An evidence item from its row, and whether it is removed.
fn evidence_view(
    (id, claim, kind, reference, summary, obtained_at, independent, stance, added_by, added_at, removed): EvidenceRow,
) -> Result<(EvidenceView, bool), SourcingError> {
    let view = EvidenceView {
        id,
        claim,
        kind: kind.parse().map_err(|_| SourcingError::Malformed(format!("evidence kind {kind:?}")))?,
        reference,
        summary,
        obtained_at,
        independent,
        stance: stance.parse().map_err(|_| SourcingError::Malformed(format!("stance {stance:?}")))?,
        added_by,
        added_at,
    };
    Ok((view, removed))
}

/// A claim's evidence, oldest first.
pub(crate) fn evidence_of_claim(store: &Store, claim: ClaimId) -> Result<Vec<EvidenceView>, SourcingError> {
    store.evidence_of_claim(claim)?.into_iter().map(|row| evidence_view(row).map(|(view, _)| view)).collect()
}

impl Review {
    /// Adds an evidence item to a claim and returns its id.
    pub fn add_evidence(&self, claim: ClaimId, new: &NewEvidence) -> Result<EvidenceId, SourcingError> {
        let reference = required(&new.reference, "evidence's reference")?;
        let summary = required(&new.summary, "evidence's summary")?;
        let obtained = obtained_at(new.obtained_at.as_deref())?;
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        let now = self.now();
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Claim(claim), |store| {
            let at = to_rfc3339(now);
            let id = store.insert_evidence(&NewEvidenceRecord {
                claim,
                kind: new.kind.as_str(),
                reference: &reference,
                summary: &summary,
                obtained_at: obtained.as_deref(),
                independent: new.independent,
                stance: new.stance.as_str(),
                by: self.reviewer(),
                at: &at,
            })?;
            audit(
                store,
                self,
                now,
                AuditAction::EvidenceAdd,
                Entity::Evidence(id),
                None,
                Some(json!({
                    "claim": claim, "kind": new.kind.as_str(), "reference": reference, "summary": summary,
                    "obtained-at": obtained, "independent": new.independent, "stance": new.stance.as_str(),
                })),
            )?;
            Ok(id)
        })
    }

    /// A claim's evidence, oldest first.
    pub fn evidence(&self, claim: ClaimId) -> Result<Vec<EvidenceView>, SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        self.require_on_claim(&store, claim, crate::rights::Action::ReadClaims)?;
        evidence_of_claim(&store, claim)
    }

    /// Removes an evidence item from its claim; kept in the audit trail with
    /// everything it said, and restorable with [`Review::restore_evidence`].
    pub fn remove_evidence(&self, id: EvidenceId) -> Result<EvidenceView, SourcingError> {
        let store = lock(self.store());
        let (view, removed) = evidence_item(&store, id)?;
        if removed {
            return Err(SourcingError::EvidenceNotFound(id));
        }
        // Evidence on a removed claim goes and comes back with its claim.
        desk_of_claim(&store, view.claim)?;
        let now = self.now();
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Claim(view.claim), |store| {
            // Only if still there: removed meanwhile from another window, it is not removed twice.
            if !store.remove_evidence(id, &to_rfc3339(now), self.reviewer())? {
                return Err(SourcingError::EvidenceNotFound(id));
            }
            audit(store, self, now, AuditAction::EvidenceRemove, Entity::Evidence(id), Some(snapshot(&view)), None)?;
            Ok(view)
        })
    }

    /// Brings back a removed evidence item, as it was.
    pub fn restore_evidence(&self, id: EvidenceId) -> Result<EvidenceView, SourcingError> {
        let store = lock(self.store());
        let (view, removed) = evidence_item(&store, id)?;
        if !removed {
            return Err(SourcingError::NotRemoved(format!("evidence {id}")));
        }
        desk_of_claim(&store, view.claim).map_err(|_| {
            SourcingError::RestoreRefused(format!(
                "evidence {id} is on claim {}, which was removed: restore the claim first",
                view.claim
            ))
        })?;
        let now = self.now();
        // Whom may change the claim's evidence (it had no check of its own: anyone restored a claim's evidence).
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Claim(view.claim), |store| {
            // Only if still removed: restored meanwhile from another window, it is not restored twice.
            if !store.restore_evidence(id)? {
                return Err(SourcingError::NotRemoved(format!("evidence {id}")));
            }
            audit(store, self, now, AuditAction::EvidenceRestore, Entity::Evidence(id), None, Some(snapshot(&view)))?;
            Ok(view)
        })
    }
}

/// What the audit trail keeps of an evidence item: all of it.
fn snapshot(view: &EvidenceView) -> serde_json::Value {
    json!({
        "claim": view.claim, "kind": view.kind.as_str(), "reference": view.reference, "summary": view.summary,
        "obtained-at": view.obtained_at, "independent": view.independent, "stance": view.stance.as_str(),
        "added-by": view.added_by, "added-at": view.added_at,
    })
}

/// One evidence item, removed or not, and whether it is removed.
fn evidence_item(store: &Store, id: EvidenceId) -> Result<(EvidenceView, bool), SourcingError> {
    let row = store.evidence_item(id)?;
    evidence_view(row.ok_or(SourcingError::EvidenceNotFound(id))?)
}
