//! Where a draft stands: in review → needs work → ready → published, and
//! updated after publication. Moving a draft to ready runs the sourcing
//! rules; it is refused with the findings unless they are overridden, with a
//! reason, in the same step.
//!
//! Verdicts follow the text. When a draft that is ready (or published) gets
//! a new version whose changes matter to the review (a claim's sentence
//! edited, a claim moved with low confidence, orphaned or ambiguous, a new
//! check-worthy sentence nobody has tagged or dismissed), `recheck_after_edit`
//! marks it *changed since ready* with those changes (and the rules are run
//! again wherever its status is shown) and, unless the desk turned the
//! setting off, moves a ready draft back to *needs work*. Nobody decided
//! that: the writer's edit did, so the audit trail records it under the
//! actor [`SYSTEM_ACTOR`], with the changes as the reason. A published
//! draft cannot go back; it is only marked. Marking the draft ready (or
//! published) again clears the mark. A draft sent back also loses its
//! overrides: they were given for the text marked ready, so its findings
//! are open again (the overrides stay in the audit trail).

use super::{audit, existing_draft, kebab_enum, write, SourcingError};
use crate::anchor::AnchorState;
use crate::audit::{AuditAction, Entity};
use crate::audit::{Change, SYSTEM_ACTOR};
use crate::clock::to_rfc3339;
use crate::review::{parse_state, Review, Subject, ATTENTION_CONFIDENCE};
use crate::rights::Action;
use crate::sourcing::rules::{check_draft, record_override, Finding};
use crate::store::workflow::{ChangesSinceReadyRow, WorkflowRow};
use crate::store::{lock, ClaimId, DeskId, DraftId, OverrideId, Store, VersionId};
use serde::{Deserialize, Serialize};
use serde_json::json;

kebab_enum!(
    /// A draft's place in the workflow.
    DraftStatus, "draft status" {
        InReview => "in-review",
        NeedsWork => "needs-work",
        Ready => "ready",
        Published => "published",
        /// Changed after publication.
        Updated => "updated",
    }
);

impl DraftStatus {
    /// Where a draft may go from here. Once published, a draft can only be
    /// marked updated (again, for each later update).
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::InReview => &[Self::NeedsWork, Self::Ready],
            Self::NeedsWork => &[Self::InReview, Self::Ready],
            Self::Ready => &[Self::InReview, Self::NeedsWork, Self::Published],
            Self::Published | Self::Updated => &[Self::Updated],
        }
    }
}

/// A draft's status, with who set it and when (nobody, for a draft still in
/// its first review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftStatusView {
    pub draft: DraftId,
    pub status: DraftStatus,
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
    /// The text changed, in ways that matter to the review, since the draft
    /// was marked ready or published; `null` otherwise.
    pub changed_since_ready: Option<ChangedSinceReady>,
}

/// The lowest score of a new suggestion that counts as a change to a ready draft.
pub const HIGH_SCORE: f32 = 0.8;

kebab_enum!(
    /// What changed in a ready draft's text, for its review.
    TextChangeKind, "text change" {
        /// The claim's sentence was reworded.
        ClaimEdited => "claim-edited",
        /// The claim was found elsewhere, with low confidence.
        ClaimMoved => "claim-moved",
        /// The claim's text is gone.
        ClaimOrphaned => "claim-orphaned",
        /// The claim's text is now in several places.
        ClaimAmbiguous => "claim-ambiguous",
        /// A new check-worthy sentence nobody tagged or dismissed.
        NewSuggestion => "new-suggestion",
    }
);

/// One change since ready.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextChange {
    pub kind: TextChangeKind,
    pub claim: Option<ClaimId>,
    /// For people: "claim 4 “…” was reworded".
    pub message: String,
}

/// A ready (or published) draft whose text changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChangedSinceReady {
    /// The last version checked.
    pub version: VersionId,
    /// The status the draft had when the change was found.
    pub status_was: DraftStatus,
    /// It was moved back to needs work (the desk's setting).
    pub reopened: bool,
    pub detected_at: String,
    /// What changed, claim by claim.
    pub changes: Vec<TextChange>,
    /// "The text changed since the draft was marked ready: …", for people.
    pub reason: String,
    /// The desk's sourcing rules on the draft as it is now.
    pub findings: Vec<Finding>,
}

/// The desk's setting: a ready draft whose text changes goes back to needs
/// work (on unless turned off).
fn reopen_setting_key(desk: DeskId) -> String {
    format!("desk:{desk}:reopen-when-changed")
}

pub(crate) fn reopens_when_changed(store: &Store, desk: DeskId) -> Result<bool, SourcingError> {
    Ok(store.setting(&reopen_setting_key(desk))?.as_deref() != Some("false"))
}

fn reason_of(changes: &[TextChange]) -> String {
    let listed: Vec<&str> = changes.iter().map(|c| c.message.as_str()).collect();
    format!("the text changed since the draft was marked ready: {}", listed.join("; "))
}

/// Why the draft is marked changed since ready, when it is (for the rule `changed-since-ready`).
pub(crate) fn pending_change_reason(store: &Store, draft: DraftId) -> Result<Option<String>, SourcingError> {
    let Some(changes) = store.changes_since_ready(draft)?.map(|row| row.changes) else { return Ok(None) };
    let changes: Vec<TextChange> =
        serde_json::from_str(&changes).map_err(|e| SourcingError::Malformed(format!("changes since ready: {e}")))?;
    Ok((!changes.is_empty()).then(|| reason_of(&changes)))
}

fn changed_since_ready_of(store: &Store, draft: DraftId) -> Result<Option<ChangedSinceReady>, SourcingError> {
    let Some(ChangesSinceReadyRow { version, status_was, changes, reopened, detected_at }) =
        store.changes_since_ready(draft)?
    else {
        return Ok(None);
    };
    let changes: Vec<TextChange> =
        serde_json::from_str(&changes).map_err(|e| SourcingError::Malformed(format!("changes since ready: {e}")))?;
    if changes.is_empty() {
        return Ok(None);
    }
    Ok(Some(ChangedSinceReady {
        version,
        status_was: status_was.parse().map_err(|_| SourcingError::Malformed(format!("draft status {status_was:?}")))?,
        reopened,
        detected_at,
        reason: reason_of(&changes),
        changes,
        findings: check_draft(store, draft)?,
    }))
}

/// What a status change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusChange {
    pub status: DraftStatusView,
    /// The override recorded to go ahead, if one was needed.
    pub override_id: Option<OverrideId>,
    /// The findings it covers.
    pub overridden: Vec<Finding>,
}

pub(crate) fn status_of(store: &Store, draft: DraftId) -> Result<DraftStatusView, SourcingError> {
    existing_draft(store, draft)?;
    Ok(match store.draft_workflow(draft)? {
        Some(WorkflowRow { status, changed_by: by, changed_at: at, .. }) => DraftStatusView {
            draft,
            status: status.parse().map_err(|_| SourcingError::Malformed(format!("draft status {status:?}")))?,
            changed_by: Some(by),
            changed_at: Some(at),
            changed_since_ready: changed_since_ready_of(store, draft)?,
        },
        None => DraftStatusView {
            draft,
            status: DraftStatus::InReview,
            changed_by: None,
            changed_at: None,
            changed_since_ready: None,
        },
    })
}

/// Follows a draft to a new version: places its claims there
/// ([`crate::review::reanchor_draft`]), then checks a draft that was ready
/// or published against the text it was marked on (verdicts follow the
/// text). Returns how many claims were re-anchored.
pub fn follow_new_version(
    store: &Store,
    draft: DraftId,
    previous: Option<VersionId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, crate::review::ReviewError> {
    let placed = crate::review::reanchor_draft(store, draft, previous, now)?;
    recheck_quietly(store, draft, now);
    Ok(placed)
}

/// Re-checks a ready draft after re-anchoring, in a savepoint of its own: a
/// failure is reported and undone, never allowed to stop the desk from
/// following the folder, and the version stays unchecked so the next
/// version or the next look at the draft's status checks it again.
fn recheck_quietly(store: &Store, draft: DraftId, now: chrono::DateTime<chrono::Utc>) {
    let outcome = store.in_savepoint(|store| recheck_after_edit(store, draft, now));
    if let Err(error) = outcome {
        eprintln!("factdesk: re-checking draft {draft} after an edit: {error}");
    }
}

/// Whether [`recheck_after_edit`] has something to do, read without the
/// write lock: the draft is ready, published or updated, its current version
/// is neither the one it was marked on nor one already checked, and this
/// login sees its claims. Asked again under the lock by the re-check itself.
fn recheck_due(store: &Store, draft: DraftId) -> Result<bool, SourcingError> {
    let Some(WorkflowRow { status, version: marked_on, .. }) = store.draft_workflow(draft)? else { return Ok(false) };
    if !matches!(status.parse(), Ok(DraftStatus::Ready | DraftStatus::Published | DraftStatus::Updated)) {
        return Ok(false);
    }
    let Some(current) = existing_draft(store, draft)?.current_version else { return Ok(false) };
    if marked_on == Some(current) || store.changes_since_ready(draft)?.is_some_and(|row| row.version == current) {
        return Ok(false);
    }
    Ok(store.login_sees_claims_of(draft)?)
}

/// Checks a ready or published draft's new version against the version it
/// was marked on (see the module's doc). Runs after every re-anchoring;
/// does nothing unless the draft is ready, published or updated and its
/// current version was not checked yet. Returns what it found, when the
/// version brought changes that matter.
pub(crate) fn recheck_after_edit(
    store: &Store,
    draft: DraftId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<ChangedSinceReady>, SourcingError> {
    let Some(WorkflowRow { status, version: marked_on, .. }) = store.draft_workflow(draft)? else { return Ok(None) };
    let status: DraftStatus =
        status.parse().map_err(|_| SourcingError::Malformed(format!("draft status {status:?}")))?;
    if !matches!(status, DraftStatus::Ready | DraftStatus::Published | DraftStatus::Updated) {
        return Ok(None);
    }
    let record = existing_draft(store, draft)?;
    let Some(current) = record.current_version else { return Ok(None) };
    if !store.login_sees_claims_of(draft)? {
        // A login the server hides the draft's claims from (a reporter's Factdesk scanning another reporter's
        // draft) would find nothing changed and record the version as checked: it is left unchecked for the
        // next login that sees them (their scan, their look at the status, or their listing of the claims).
        return Ok(None);
    }
    let Some(marked_on) = marked_on else {
        // Marked before versions were recorded with the status (or with no
        // text): what it was marked on is unknown, so the current text
        // becomes the baseline rather than every old difference being news.
        store.set_draft_workflow_version(draft, current)?;
        return Ok(None);
    };
    let earlier: Option<(VersionId, String, String)> =
        store.changes_since_ready(draft)?.map(|row| (row.version, row.changes, row.status_was));
    if marked_on == current || earlier.as_ref().is_some_and(|(v, _, _)| *v == current) {
        return Ok(None);
    }
    let mut changes: Vec<TextChange> = match &earlier {
        Some((_, changes, _)) => {
            serde_json::from_str(changes).map_err(|e| SourcingError::Malformed(format!("changes since ready: {e}")))?
        }
        None => Vec::new(),
    };
    let before = changes.len();
    // The claims are compared where they sit in the current version: placed there first when the version was
    // recorded by a login that could not see them (it placed none).
    crate::review::reanchor_draft(store, draft, None, now)?;
    for change in changes_in(store, draft, marked_on, current)? {
        if !changes.iter().any(|c| c.kind == change.kind && c.claim == change.claim && c.message == change.message) {
            changes.push(change);
        }
    }
    let found_now = changes.len() > before;
    // A status the workflow may leave: a published draft cannot go back to needs work.
    let status_was = match &earlier {
        Some((_, _, was)) => was.clone(),
        None => status.as_str().to_owned(),
    };
    let reopen = found_now && status == DraftStatus::Ready && reopens_when_changed(store, record.desk_id)?;
    let changes_json = serde_json::to_string(&changes).map_err(|e| SourcingError::Malformed(e.to_string()))?;
    store.put_changes_since_ready(
        draft,
        &ChangesSinceReadyRow {
            version: current,
            status_was,
            changes: changes_json,
            reopened: reopen,
            detected_at: to_rfc3339(now),
        },
    )?;
    if !found_now {
        return Ok(None);
    }
    let reason = reason_of(&changes);
    let mut lapsed: Vec<OverrideId> = Vec::new();
    if reopen {
        store.update_draft_workflow(draft, DraftStatus::NeedsWork.as_str(), SYSTEM_ACTOR, now, current)?;
        // The overrides answered the findings of the text that was marked ready; on a reworded
        // text they no longer stand, so its findings are open again (the overrides stay as history).
        lapsed = store.lapse_overrides(draft, now)?;
        lapsed.sort();
    }
    crate::audit::record(
        store,
        &Change {
            by: SYSTEM_ACTOR,
            at: now,
            action: if reopen { AuditAction::DraftStatus } else { AuditAction::DraftChangedSinceReady },
            entity: Entity::Draft(draft),
            before: Some(json!({ "status": status.as_str() })),
            after: Some(json!({
                "status": if reopen { DraftStatus::NeedsWork.as_str() } else { status.as_str() },
                "reason": reason,
                "changes": changes,
                "version": current,
                "overrides-lapsed": lapsed,
            })),
        },
    )?;
    changed_since_ready_of(store, draft)
}

/// What the new version changed that matters to the review.
fn changes_in(
    store: &Store,
    draft: DraftId,
    marked_on: VersionId,
    current: VersionId,
) -> Result<Vec<TextChange>, SourcingError> {
    let mut changes = Vec::new();
    let mut placed: Vec<(u32, u32)> = Vec::new();
    for claim in store.claims_of_draft(draft)? {
        let Some(anchor) = store.claim_anchor(claim.id, current)? else { continue };
        if let Some(span) = anchor.start.zip(anchor.end) {
            placed.push(span);
        }
        if anchor.resolved_by.is_some() {
            continue;
        }
        // A claim already unplaced when the draft was marked ready is not news.
        if store.claim_anchor(claim.id, marked_on)?.is_some_and(|a| a.start.is_none()) {
            continue;
        }
        let quote = crate::sourcing::rules::short(&claim.exact);
        #[allow(clippy::cast_possible_truncation)] // confidence is 0..1
        let confidence = anchor.confidence as f32;
        let change = match parse_state(&anchor.state)? {
            AnchorState::Fuzzy => {
                Some((TextChangeKind::ClaimEdited, format!("claim {} {quote} was reworded", claim.id)))
            }
            AnchorState::Moved if confidence < ATTENTION_CONFIDENCE => Some((
                TextChangeKind::ClaimMoved,
                format!("claim {} {quote} moved and was found again with low confidence", claim.id),
            )),
            AnchorState::Orphaned => {
                Some((TextChangeKind::ClaimOrphaned, format!("claim {} {quote} is no longer in the text", claim.id)))
            }
            AnchorState::Ambiguous => {
                Some((TextChangeKind::ClaimAmbiguous, format!("claim {} {quote} now matches several places", claim.id)))
            }
            AnchorState::Anchored | AnchorState::Moved => None,
        };
        if let Some((kind, message)) = change {
            changes.push(TextChange { kind, claim: Some(claim.id), message });
        }
    }
    // New check-worthy sentences: those the text had when it was marked are not news.
    let text_of = |version: VersionId| -> Result<String, SourcingError> {
        Ok(store.version(version)?.map(|v| v.text).unwrap_or_default())
    };
    let (old, new) = (text_of(marked_on)?, text_of(current)?);
    let known: std::collections::HashSet<String> = crate::suggest::suggest(&old).into_iter().map(|s| s.quote).collect();
    let dismissed = store.dismissed_sentences(draft)?;
    for suggestion in crate::suggest::suggest(&new) {
        let tagged =
            placed.iter().any(|(start, end)| (*start as usize) < suggestion.end && suggestion.start < *end as usize);
        if suggestion.score >= HIGH_SCORE
            && !tagged
            && !known.contains(&suggestion.quote)
            && !dismissed.contains(&crate::ingest::hex_sha256(suggestion.quote.as_bytes()))
        {
            changes.push(TextChange {
                kind: TextChangeKind::NewSuggestion,
                claim: None,
                message: format!(
                    "new check-worthy sentence {} (score {:.2}) is neither tagged nor dismissed",
                    crate::sourcing::rules::short(&suggestion.quote),
                    suggestion.score
                ),
            });
        }
    }
    Ok(changes)
}

impl Review {
    /// Whether a ready draft whose text changes goes back to needs work on `desk` (on by default).
    pub fn reopens_when_changed(&self, desk: DeskId) -> Result<bool, SourcingError> {
        reopens_when_changed(&lock(self.store()), desk)
    }

    /// Turns the desk's setting on or off (recorded on the audit trail).
    pub fn set_reopens_when_changed(&self, desk: DeskId, on: bool) -> Result<bool, SourcingError> {
        let store = lock(self.store());
        let now = self.now();
        self.write_as(&store, crate::rights::Action::ChangeDesk, Subject::Desk(desk), |store| {
            let before = reopens_when_changed(store, desk)?;
            store.set_setting(&reopen_setting_key(desk), if on { "true" } else { "false" })?;
            audit(
                store,
                self,
                now,
                AuditAction::DeskSetting,
                Entity::Desk(desk),
                Some(json!({ "reopen_when_changed": before })),
                Some(json!({ "reopen_when_changed": on })),
            )?;
            Ok(on)
        })
    }

    /// A draft's workflow status. A version not checked when it arrived (its
    /// re-check failed, or the login that recorded it could not see the
    /// draft's claims) is checked here first; a status read otherwise takes
    /// no write lock.
    pub fn draft_status(&self, draft: DraftId) -> Result<DraftStatusView, SourcingError> {
        let mut store = lock(self.store());
        if recheck_due(&store, draft)? {
            let now = self.now();
            store.in_transaction(|store| {
                recheck_quietly(store, draft, now);
                Ok::<_, SourcingError>(())
            })?;
        }
        status_of(&store, draft)
    }

    /// Moves a draft to `status`. Moving to ready runs the sourcing rules:
    /// findings not yet overridden refuse the move
    /// ([`SourcingError::RulesFail`]) unless `override_reason` is given, in
    /// which case one override covering them is recorded with the move.
    pub fn set_draft_status(
        &self,
        draft: DraftId,
        status: DraftStatus,
        override_reason: Option<&str>,
    ) -> Result<StatusChange, SourcingError> {
        let store = lock(self.store());
        let now = self.now();
        // Checked under the write lock: nothing changes between the rules
        // passing and the draft becoming ready, nor the role allowing it.
        let needed = if status == DraftStatus::Ready { Action::MarkReady } else { Action::MoveDraft };
        write(&store, |store| {
            self.require_on_draft(store, draft, needed)?;
            if override_reason.is_some() {
                self.require_on_draft(store, draft, Action::OverrideFinding)?;
            }
            // A new version not checked yet is checked first: a ready draft is never moved on the strength of
            // a text it was not marked on.
            recheck_quietly(store, draft, now);
            let before = status_of(store, draft)?;
            if !before.status.next().contains(&status) {
                let allowed = before.status.next().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                return Err(SourcingError::Transition {
                    from: before.status.as_str().to_owned(),
                    to: status.as_str().to_owned(),
                    allowed,
                });
            }
            // Marking ready is how a reviewer answers a change since ready: it is not a finding to override.
            let open: Vec<Finding> = if status == DraftStatus::Ready {
                check_draft(store, draft)?
                    .into_iter()
                    .filter(|f| !f.overridden && f.rule != crate::sourcing::rules::RuleId::ChangedSinceReady)
                    .collect()
            } else {
                Vec::new()
            };
            if !open.is_empty() && override_reason.is_none() {
                return Err(SourcingError::RulesFail(open));
            }
            let override_id = match override_reason {
                Some(reason) if !open.is_empty() => Some(record_override(store, self, draft, reason, &open, now)?),
                _ => None,
            };
            let version = existing_draft(store, draft)?.current_version;
            store.put_draft_workflow(draft, status.as_str(), self.reviewer(), now, version)?;
            // Marked ready (or published) on this text: what changed before no longer stands.
            if matches!(status, DraftStatus::Ready | DraftStatus::Published) {
                store.clear_changes_since_ready(draft)?;
            }
            // Publication freezes the review: what changes after belongs to an update.
            if status == DraftStatus::Published {
                super::publication::record(store, self.reviewer(), draft, now)?;
            }
            audit(
                store,
                self,
                now,
                AuditAction::DraftStatus,
                Entity::Draft(draft),
                Some(json!({ "status": before.status.as_str() })),
                Some(json!({ "status": status.as_str(), "override": override_id })),
            )?;
            Ok(StatusChange { status: status_of(store, draft)?, override_id, overridden: open })
        })
    }
}

/// A draft's claims counted by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimCounts {
    pub total: u32,
    pub needs_corroboration: u32,
    pub corroborated: u32,
    pub disputed: u32,
    pub unverifiable: u32,
    pub cleared: u32,
}

/// One draft as the drafts list shows it: where it stands and how far its review is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DraftOverview {
    pub draft: DraftId,
    pub status: DraftStatus,
    /// Its text changed in ways that matter since it was marked ready or published.
    pub changed_since_ready: bool,
    /// Why, for people, when it did.
    pub change_reason: Option<String>,
    pub claims: ClaimCounts,
}

pub(crate) fn overview_of(store: &Store, desk: DeskId) -> Result<Vec<DraftOverview>, SourcingError> {
    let mut found: Vec<DraftOverview> = store
        .drafts(desk)?
        .into_iter()
        .map(|d| DraftOverview {
            draft: d.id,
            status: DraftStatus::InReview,
            changed_since_ready: false,
            change_reason: None,
            claims: ClaimCounts::default(),
        })
        .collect();
    let index: std::collections::HashMap<DraftId, usize> =
        found.iter().enumerate().map(|(i, o)| (o.draft, i)).collect();
    for (draft, status) in store.draft_workflows_of_desk(desk)? {
        if let Some(overview) = index.get(&draft).and_then(|i| found.get_mut(*i)) {
            overview.status =
                status.parse().map_err(|_| SourcingError::Malformed(format!("draft status {status:?}")))?;
        }
    }
    for (draft, changes) in store.changes_since_ready_of_desk(desk)? {
        let changes: Vec<TextChange> = serde_json::from_str(&changes)
            .map_err(|e| SourcingError::Malformed(format!("changes since ready: {e}")))?;
        if let Some(overview) = index.get(&draft).and_then(|i| found.get_mut(*i)) {
            overview.changed_since_ready = !changes.is_empty();
            overview.change_reason = (!changes.is_empty()).then(|| reason_of(&changes));
        }
    }
    for (draft, status, count) in store.claim_status_counts_of_desk(desk)? {
        let Some(overview) = index.get(&draft).and_then(|i| found.get_mut(*i)) else { continue };
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let claims = &mut overview.claims;
        claims.total = claims.total.saturating_add(count);
        let slot = match status.parse::<crate::review::ClaimStatus>()? {
            crate::review::ClaimStatus::NeedsCorroboration => &mut claims.needs_corroboration,
            crate::review::ClaimStatus::Corroborated => &mut claims.corroborated,
            crate::review::ClaimStatus::Disputed => &mut claims.disputed,
            crate::review::ClaimStatus::Unverifiable => &mut claims.unverifiable,
            crate::review::ClaimStatus::Cleared => &mut claims.cleared,
        };
        *slot = slot.saturating_add(count);
    }
    Ok(found)
}

impl Review {
    /// Every draft of a desk with its workflow status, whether its text
    /// changed since it was marked ready, and its claims counted by status:
    /// what the drafts list shows. Reads only; nothing is re-anchored.
    pub fn desk_overview(&self, desk: DeskId) -> Result<Vec<DraftOverview>, SourcingError> {
        overview_of(&lock(self.store()), desk)
    }
}
