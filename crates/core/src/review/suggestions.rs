//! The suggestions a reviewer sees on a draft: what the [`suggest`](crate::suggest) engine proposes
//! for the current version, less what the reviewer already tagged or dismissed, with the draft's
//! sourcing profile. Accepting one tags it as a claim with its attribution pre-filled; dismissing
//! one hides it for that sentence, across saves, until the sentence changes.
//!
//! The UI names a suggestion by the span the core gave it for a version; the core checks that the
//! span is still a suggestion of the current version, so a save in between is an error the UI can
//! recover from (by reloading), never a claim on the wrong words.

use super::{lock, ClaimStatus, Review, ReviewError, Subject};
use crate::anchor::TextPositionSelector;
use crate::audit::{AuditAction, Entity};
use crate::ingest::hex_sha256;
use crate::store::{ClaimId, DraftId, Store, VersionId};
use crate::suggest::{self, SourcingProfile, Suggestion};
use serde::{Deserialize, Serialize};

/// What the reviewer is offered on the current version of a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftSuggestions {
    pub draft: DraftId,
    /// The version the offsets refer to; `null` for a draft with no readable text.
    pub version: Option<VersionId>,
    /// Proposed claims not yet tagged nor dismissed, in text order.
    pub suggestions: Vec<Suggestion>,
    /// How the draft's text is sourced, over every sentence the engine proposes (tagged and
    /// dismissed ones included): it describes the text, not the reviewer's triage.
    pub profile: SourcingProfile,
    /// How many suggestions the reviewer dismissed on this version (the triage, apart from the profile).
    pub dismissed: u32,
}

impl Review {
    /// The suggestions on the current version of `draft`.
    pub fn suggestions(&self, draft: DraftId) -> Result<DraftSuggestions, ReviewError> {
        let claims = self.claims(draft)?;
        let store = lock(&self.store);
        let (version, text) = current_text(&store, draft)?;
        let dismissed = store.dismissed_sentences(draft)?;
        let all = suggest::suggest(&text);
        // Dismissing hides a suggestion; the sentence and its attribution stay in the text.
        let profile = suggest::profile(&text, &all);
        let (hidden, kept): (Vec<Suggestion>, Vec<Suggestion>) =
            all.into_iter().partition(|s| dismissed.contains(&hex_sha256(s.quote.as_bytes())));
        let tagged = |s: &Suggestion| {
            claims.iter().any(|claim| match (claim.start, claim.end) {
                (Some(start), Some(end)) => overlaps(s, start, end),
                _ => false,
            })
        };
        let suggestions = kept.into_iter().filter(|s| !tagged(s)).collect();
        Ok(DraftSuggestions {
            draft,
            version,
            suggestions,
            profile,
            dismissed: u32::try_from(hidden.len()).unwrap_or(u32::MAX),
        })
    }

    /// Tags the suggestion at `span` of the current version as a claim, with its attribution.
    pub fn accept_suggestion(&self, draft: DraftId, span: TextPositionSelector) -> Result<ClaimId, ReviewError> {
        let (suggestion, text) = self.suggestion_at(draft, span)?;
        let made = crate::anchor::describe(&text, span)?;
        let claim = self.add_claim(draft, &made.quote, ClaimStatus::NeedsCorroboration)?;
        let store = lock(&self.store);
        let (kind, cue) = (suggestion.attribution.kind.as_str(), suggestion.attribution.cue.as_deref());
        crate::audit::write_transaction(&store, |store| {
            store.set_claim_attribution(claim, kind, cue)?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at: self.clock.now(),
                    action: AuditAction::ClaimAttribution,
                    entity: Entity::Claim(claim),
                    before: None,
                    after: Some(serde_json::json!({ "attribution": kind, "cue": cue, "from": "suggestion" })),
                },
            )?;
            Ok::<_, ReviewError>(())
        })?;
        Ok(claim)
    }

    /// Hides the suggestion at `span` of the current version until its sentence changes.
    pub fn dismiss_suggestion(&self, draft: DraftId, span: TextPositionSelector) -> Result<(), ReviewError> {
        let (suggestion, _) = self.suggestion_at(draft, span)?;
        let store = lock(&self.store);
        // Triage is part of a draft's claims: whom may tag them (a lawyer or another reporter may not).
        let now = self.clock.now();
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Draft(draft), |store| {
            store.dismiss_suggestion(draft, &suggestion.quote, &self.reviewer, now)?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at: now,
                    action: AuditAction::SuggestionDismiss,
                    entity: Entity::Draft(draft),
                    before: None,
                    after: Some(serde_json::json!({ "sentence": suggestion.quote })),
                },
            )?;
            Ok::<_, ReviewError>(())
        })
    }

    /// Offers again a suggestion the reviewer dismissed (the undo of a
    /// dismissal), named by its sentence as the suggestion quoted it.
    pub fn restore_suggestion(&self, draft: DraftId, sentence: &str) -> Result<(), ReviewError> {
        let store = lock(&self.store);
        store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
        let now = self.clock.now();
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Draft(draft), |store| {
            if !store.undismiss_suggestion(draft, sentence)? {
                return Err(ReviewError::CannotResolve(
                    "this suggestion is not dismissed on this draft: there is nothing to restore".to_owned(),
                ));
            }
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at: now,
                    action: AuditAction::SuggestionRestore,
                    entity: Entity::Draft(draft),
                    before: Some(serde_json::json!({ "sentence": sentence })),
                    after: None,
                },
            )?;
            Ok(())
        })
    }

    fn suggestion_at(&self, draft: DraftId, span: TextPositionSelector) -> Result<(Suggestion, String), ReviewError> {
        let (_, text) = current_text(&lock(&self.store), draft)?;
        let found = suggest::suggest(&text)
            .into_iter()
            .find(|s| s.start == span.start as usize && s.end == span.end as usize)
            .ok_or_else(|| {
                ReviewError::CannotResolve(format!(
                    "there is no suggestion at {}..{} in the current version (the draft may have changed: reload it)",
                    span.start, span.end
                ))
            })?;
        Ok((found, text))
    }
}

fn current_text(store: &Store, draft: DraftId) -> Result<(Option<VersionId>, String), ReviewError> {
    let record = store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
    let Some(version) = record.current_version else { return Ok((None, String::new())) };
    let text = store.version(version)?.map(|v| v.text).unwrap_or_default();
    Ok((Some(version), text))
}

fn overlaps(suggestion: &Suggestion, start: u32, end: u32) -> bool {
    (start as usize) < suggestion.end && suggestion.start < end as usize
}
