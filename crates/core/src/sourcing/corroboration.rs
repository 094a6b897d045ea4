//! How well each claim is corroborated, and the claims × sources matrix of a
//! draft that shows it at a glance.
//!
//! Counting, as a standards desk does: each source linked to a claim is one
//! source; evidence counts as an independent source only when the reviewer
//! marked it independent of the attributed source. The two-source rule holds
//! when at least two independent sources (attributed, corroborating, or
//! independent evidence) support the claim.

use super::evidence::{evidence_of_claim, Stance};
use super::source::{is_opinion, links_of_claim, SourceKind, SourceRole, SourceView};
use super::{desk_of_claim, existing_draft, SourcingError};
use crate::review::{ClaimStatus, Review};
use crate::store::{lock, ClaimId, DraftId, SourceId, Store};
use serde::{Deserialize, Serialize};

/// The sources the two-source rule asks for.
pub const TWO_SOURCES: u32 = 2;

/// A claim's corroboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Corroboration {
    pub claim: ClaimId,
    /// Sources the draft attributes the claim to.
    pub attributed: u32,
    /// Attributed to sources that are all unnamed (and at least one).
    pub attributed_only_to_unnamed: bool,
    /// Corroborating sources plus independent supporting evidence.
    pub independent_corroborations: u32,
    /// Supporting evidence not independent of the attributed source.
    pub dependent_evidence: u32,
    /// Contradicting sources and evidence.
    pub contradicting: u32,
    /// At least two independent sources support the claim.
    pub two_source_rule: bool,
}

/// One claim's row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MatrixRow {
    pub claim: ClaimId,
    pub status: ClaimStatus,
    pub opinion: bool,
    /// The claim's text as tagged.
    pub quote: String,
    /// The role of each of the matrix's sources for this claim, in the
    /// order of [`SourcingMatrix::sources`]; `null` where it has none.
    pub roles: Vec<Option<SourceRole>>,
    pub evidence: u32,
    pub corroboration: Corroboration,
}

/// Claims × sources for one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourcingMatrix {
    pub draft: DraftId,
    /// Every source linked to at least one of the draft's claims.
    pub sources: Vec<SourceView>,
    pub rows: Vec<MatrixRow>,
}

pub(crate) fn corroboration_of(store: &Store, claim: ClaimId) -> Result<Corroboration, SourcingError> {
    let links = links_of_claim(store, claim)?;
    let evidence = evidence_of_claim(store, claim)?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let attributed: Vec<_> = links.iter().filter(|l| l.role == SourceRole::Attributed).collect();
    let corroborating = links.iter().filter(|l| l.role == SourceRole::Corroborates).count();
    let contradicting_sources = links.iter().filter(|l| l.role == SourceRole::Contradicts).count();
    let supporting = evidence.iter().filter(|e| e.stance == Stance::Supports);
    let independent_evidence = supporting.clone().filter(|e| e.independent).count();
    let dependent_evidence = supporting.filter(|e| !e.independent).count();
    let contradicting_evidence = evidence.iter().filter(|e| e.stance == Stance::Contradicts).count();
    let independent_corroborations = count(corroborating + independent_evidence);
    Ok(Corroboration {
        claim,
        attributed: count(attributed.len()),
        attributed_only_to_unnamed: !attributed.is_empty()
            && attributed.iter().all(|l| l.source.kind == SourceKind::Unnamed),
        independent_corroborations,
        dependent_evidence: count(dependent_evidence),
        contradicting: count(contradicting_sources + contradicting_evidence),
        two_source_rule: count(attributed.len()) + independent_corroborations >= TWO_SOURCES,
    })
}

pub(crate) fn matrix_of(store: &Store, draft: DraftId) -> Result<SourcingMatrix, SourcingError> {
    existing_draft(store, draft)?;
    let mut sources: Vec<SourceView> = Vec::new();
    let mut rows = Vec::new();
    let mut links_by_claim = Vec::new();
    for claim in store.claims_of_draft(draft)? {
        let links = links_of_claim(store, claim.id)?;
        for link in &links {
            if !sources.iter().any(|s| s.id == link.source.id) {
                sources.push(link.source.clone());
            }
        }
        links_by_claim.push((claim, links));
    }
    sources.sort_by_key(|s| s.id);
    for (claim, links) in links_by_claim {
        let role_of = |source: SourceId| links.iter().find(|l| l.source.id == source).map(|l| l.role);
        rows.push(MatrixRow {
            claim: claim.id,
            status: claim.status.parse()?,
            opinion: is_opinion(store, claim.id)?,
            quote: claim.exact,
            roles: sources.iter().map(|s| role_of(s.id)).collect(),
            evidence: u32::try_from(evidence_of_claim(store, claim.id)?.len()).unwrap_or(u32::MAX),
            corroboration: corroboration_of(store, claim.id)?,
        });
    }
    Ok(SourcingMatrix { draft, sources, rows })
}

impl Review {
    /// How well a claim is corroborated.
    pub fn corroboration(&self, claim: ClaimId) -> Result<Corroboration, SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        corroboration_of(&store, claim)
    }

    /// The claims × sources matrix of a draft, claims in the order they were tagged.
    pub fn sourcing_matrix(&self, draft: DraftId) -> Result<SourcingMatrix, SourcingError> {
        matrix_of(&lock(self.store()), draft)
    }
}
