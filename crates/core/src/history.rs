//! A draft's history: the versions the writer saved, what each edit did to
//! the claims, and a word-level comparison of any two versions with the
//! claims marked on both sides.
//!
//! A version is one distinct content of a draft (saving the same text twice,
//! or reverting to it, is not a new version). The edit shown between two
//! versions is the token diff re-anchoring itself uses, so what the reviewer
//! sees changed is what moved the claims.
//!
//! ```no_run
//! use factdesk_core::history;
//! # fn demo(store: &factdesk_core::store::Store, draft: factdesk_core::store::DraftId)
//! #     -> Result<(), factdesk_core::review::ReviewError> {
//! let versions = history::versions(store, draft)?;
//! if let [.., before, now] = versions.as_slice() {
//!     let diff = history::compare(store, draft, before.id, now.id)?;
//!     println!("{} spans removed, {} added", diff.from.changed.len(), diff.to.changed.len());
//! }
//! # Ok(()) }
//! ```

use crate::anchor::{self, AnchorState, TextPositionSelector};
use crate::review::{parse_state, ClaimStatus, ReviewError};
use crate::store::{lock, ClaimId, DraftId, Store, VersionId, VersionMeta};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the claims of a draft were placed on one version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlacementCounts {
    pub anchored: u32,
    pub moved: u32,
    pub fuzzy: u32,
    pub ambiguous: u32,
    pub orphaned: u32,
}

impl PlacementCounts {
    /// Claims the edit that made this version displaced: anything not left in place.
    pub fn displaced(&self) -> u32 {
        self.moved + self.fuzzy + self.ambiguous + self.orphaned
    }

    fn count(&mut self, state: AnchorState) {
        match state {
            AnchorState::Anchored => self.anchored += 1,
            AnchorState::Moved => self.moved += 1,
            AnchorState::Fuzzy => self.fuzzy += 1,
            AnchorState::Ambiguous => self.ambiguous += 1,
            AnchorState::Orphaned => self.orphaned += 1,
        }
    }
}

/// One version in a draft's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VersionSummary {
    pub id: VersionId,
    /// 1 for the first version seen, counting up.
    pub number: u32,
    /// When Factdesk first saw this content (RFC 3339, UTC).
    pub seen_at: String,
    pub words: u32,
    /// Length of the text in code points.
    pub characters: u32,
    /// Length of the text in UTF-8 bytes.
    pub bytes: u32,
    /// Whether this is the draft's current version.
    pub current: bool,
    /// How the claims were placed on this version; a claim settled by the
    /// reviewer counts where it was settled.
    pub claims: PlacementCounts,
    /// Claims moved, edited, ambiguous or lost by the edit that made this version.
    pub claims_displaced: u32,
}

/// A claim as placed on one side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimMark {
    pub claim: ClaimId,
    pub status: ClaimStatus,
    pub state: AnchorState,
    pub start: u32,
    pub end: u32,
}

/// One side of a comparison: a version's text, what changed in it, and its claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComparedVersion {
    pub version: VersionSummary,
    pub text: String,
    /// On the older side, what the edit removed; on the newer side, what it added.
    pub changed: Vec<TextPositionSelector>,
    /// Claims placed on this version, in text order.
    pub claims: Vec<ClaimMark>,
    /// Claims of the draft with no place on this version (not yet tagged then, or lost).
    pub unplaced: Vec<ClaimId>,
}

/// Two versions of a draft side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VersionComparison {
    pub draft: DraftId,
    pub from: ComparedVersion,
    pub to: ComparedVersion,
}

/// A draft's versions, oldest first, with how each placed the claims.
pub fn versions(store: &Store, draft: DraftId) -> Result<Vec<VersionSummary>, ReviewError> {
    let record = store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
    let metas = store.versions_of_draft(draft)?;
    let mut summaries = Vec::with_capacity(metas.len());
    for (index, meta) in metas.into_iter().enumerate() {
        let mut claims = PlacementCounts::default();
        for anchor in store.anchors_at_version(meta.id)? {
            claims.count(parse_state(&anchor.state)?);
        }
        summaries.push(summary(meta, index, record.current_version, claims));
    }
    Ok(summaries)
}

/// Compares version `from` of a draft with version `to`, word by word, with
/// the claims as placed on each.
pub fn compare(
    store: &Store,
    draft: DraftId,
    from: VersionId,
    to: VersionId,
) -> Result<VersionComparison, ReviewError> {
    let history = versions(store, draft)?;
    let find = |id: VersionId| {
        history.iter().find(|v| v.id == id).cloned().ok_or_else(|| ReviewError::VersionNotFound { draft, version: id })
    };
    let (from_summary, to_summary) = (find(from)?, find(to)?);
    let text_of = |id: VersionId| -> Result<String, ReviewError> {
        Ok(store.version(id)?.ok_or(ReviewError::VersionNotFound { draft, version: id })?.text)
    };
    let (from_text, to_text) = (text_of(from)?, text_of(to)?);
    let changes = anchor::changes(&from_text, &to_text);
    let statuses: HashMap<ClaimId, ClaimStatus> = store
        .claims_of_draft(draft)?
        .into_iter()
        .map(|c| Ok((c.id, c.status.parse()?)))
        .collect::<Result<_, ReviewError>>()?;
    let side = |version: VersionSummary, text: String, changed: Vec<TextPositionSelector>| {
        let (claims, unplaced) = marks(store, version.id, &statuses)?;
        Ok::<_, ReviewError>(ComparedVersion { version, text, changed, claims, unplaced })
    };
    Ok(VersionComparison {
        draft,
        from: side(from_summary, from_text, changes.removed)?,
        to: side(to_summary, to_text, changes.added)?,
    })
}

fn summary(meta: VersionMeta, index: usize, current: Option<VersionId>, claims: PlacementCounts) -> VersionSummary {
    VersionSummary {
        id: meta.id,
        number: u32::try_from(index + 1).unwrap_or(u32::MAX),
        seen_at: meta.first_seen_at,
        words: meta.words,
        characters: meta.characters,
        bytes: meta.bytes,
        current: current == Some(meta.id),
        claims_displaced: claims.displaced(),
        claims,
    }
}

/// The claims placed on `version`, in text order, and those with no place there.
fn marks(
    store: &Store,
    version: VersionId,
    statuses: &HashMap<ClaimId, ClaimStatus>,
) -> Result<(Vec<ClaimMark>, Vec<ClaimId>), ReviewError> {
    let mut placed = Vec::new();
    for anchor in store.anchors_at_version(version)? {
        let (Some(start), Some(end), Some(status)) = (anchor.start, anchor.end, statuses.get(&anchor.claim_id)) else {
            continue;
        };
        placed.push(ClaimMark {
            claim: anchor.claim_id,
            status: *status,
            state: parse_state(&anchor.state)?,
            start,
            end,
        });
    }
    placed.sort_by_key(|mark| (mark.start, mark.end, mark.claim));
    let mut unplaced: Vec<ClaimId> =
        statuses.keys().filter(|id| !placed.iter().any(|mark| mark.claim == **id)).copied().collect();
    unplaced.sort();
    Ok((placed, unplaced))
}

impl crate::review::Review {
    /// The draft's versions, oldest first, with how each placed the claims.
    pub fn history(&self, draft: DraftId) -> Result<Vec<VersionSummary>, ReviewError> {
        let mut store = lock(self.store());
        let now = self.now();
        store.in_transaction(|store| crate::sourcing::workflow::follow_new_version(store, draft, None, now))?;
        versions(&store, draft)
    }

    /// Two versions of a draft side by side, word by word, with their claims.
    pub fn compare(&self, draft: DraftId, from: VersionId, to: VersionId) -> Result<VersionComparison, ReviewError> {
        let mut store = lock(self.store());
        let now = self.now();
        store.in_transaction(|store| crate::sourcing::workflow::follow_new_version(store, draft, None, now))?;
        compare(&store, draft, from, to)
    }
}
