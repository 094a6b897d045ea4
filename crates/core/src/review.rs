//! The review of a draft: claims the reviewer tagged, their statuses with
//! who set them and when, and where each claim sits as the draft changes.
//!
//! A claim is made from what the reviewer selected (a
//! [`TextQuoteSelector`]); the core finds it in the draft's current text
//! and stores both W3C selectors against that version. Every new version of
//! the draft re-anchors every claim ([`reanchor_draft`]), and each ends
//! `anchored`, `moved`, `fuzzy`, `ambiguous` or `orphaned`, never silently
//! on a lookalike.
//!
//! ```no_run
//! use factdesk_core::anchor::TextQuoteSelector;
//! use factdesk_core::review::{ClaimStatus, Review};
//! # fn demo(review: Review, draft: factdesk_core::store::DraftId) -> Result<(), factdesk_core::review::ReviewError> {
//! let quote = TextQuoteSelector { exact: "Taliban leaders meet at the Chinese embassy every day".into(),
//!                                 prefix: String::new(), suffix: String::new() };
//! let claim = review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration)?;
//! review.set_status(claim, ClaimStatus::Disputed)?;
//! for claim in review.claims(draft)? {
//!     println!("{} {:?} {:?}", claim.id, claim.status, claim.anchor.state);
//! }
//! # Ok(()) }
//! ```

use crate::anchor::{self, Anchor, AnchorError, AnchorState, Candidate, TextPositionSelector, TextQuoteSelector};
use crate::audit::{AuditAction, Entity};
use crate::clock::{to_rfc3339, Clock};
use crate::rights::{self, Action, RightsError};
use crate::store::claims::ClaimPlacement;
use crate::store::{lock, AnchorRecord, ClaimId, DraftId, NewClaim, SharedStore, Store, StoreError, VersionId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

mod removal;
mod suggestions;
mod trail;
pub use removal::RemovedClaim;
pub use suggestions::DraftSuggestions;

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum ClaimStatus {
    NeedsCorroboration,
    Corroborated,
    Disputed,
    Unverifiable,
    Cleared,
}

impl ClaimStatus {
    pub const ALL: [Self; 5] =
        [Self::NeedsCorroboration, Self::Corroborated, Self::Disputed, Self::Unverifiable, Self::Cleared];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsCorroboration => "needs-corroboration",
            Self::Corroborated => "corroborated",
            Self::Disputed => "disputed",
            Self::Unverifiable => "unverifiable",
            Self::Cleared => "cleared",
        }
    }
}

impl std::str::FromStr for ClaimStatus {
    type Err = ReviewError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|s| s.as_str() == name).ok_or_else(|| ReviewError::UnknownStatus(name.to_owned()))
    }
}

/// What a write acts on, whose rights [`Review::write_as`] checks: a draft, a
/// claim (on its draft) or a desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Draft(DraftId),
    Claim(ClaimId),
    Desk(crate::store::DeskId),
}

/// Errors from the review.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no draft {0} in the store")]
    DraftNotFound(DraftId),
    #[error("the draft {0} has no readable text to tag claims on")]
    NoText(DraftId),
    #[error("no claim {0}")]
    ClaimNotFound(ClaimId),
    #[error("unknown status {0:?}: use needs-corroboration, corroborated, disputed, unverifiable or cleared")]
    UnknownStatus(String),
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored data is malformed: {0}")]
    Malformed(String),
    #[error("{0}")]
    CannotResolve(String),
    #[error("{0}")]
    InvalidReviewerName(String),
    #[error("claim {0} is not removed: there is nothing to restore")]
    NotRemoved(ClaimId),
    #[error("version {version} is not a version of draft {draft}")]
    VersionNotFound { draft: DraftId, version: VersionId },
    #[error(transparent)]
    Rights(#[from] crate::rights::RightsError),
    /// Boxed: it carries both values, and every `Result` of the review would grow to its size.
    #[error(transparent)]
    Conflict(Box<crate::conflict::Conflict>),
}

impl From<crate::conflict::Conflict> for ReviewError {
    fn from(conflict: crate::conflict::Conflict) -> Self {
        Self::Conflict(Box::new(conflict))
    }
}

/// Where a claim sits in the draft's current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimAnchor {
    pub state: AnchorState,
    pub confidence: f32,
    pub candidates: Vec<Candidate>,
}

/// A claim as the reviewer sees it on the current version of its draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimView {
    pub id: ClaimId,
    pub draft: DraftId,
    pub status: ClaimStatus,
    /// The text the claim covers now (what it was tagged on when it could not be placed).
    pub quote: String,
    /// The text as it was tagged.
    pub original_quote: String,
    /// Code points into the current text; `null` when ambiguous or orphaned.
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub anchor: ClaimAnchor,
    /// How the claim is attributed: from its attributed sources when linked,
    /// else read from the draft's wording (the same answer as the matrix and
    /// the reports).
    pub attribution: crate::attribution::ClaimAttribution,
    /// Ambiguous, orphaned, or fuzzy under [`ATTENTION_CONFIDENCE`], and not
    /// yet settled by the reviewer.
    pub needs_attention: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// The status's version: a status change carries it ([`Review::set_status_expecting`]).
    pub version: i64,
}

/// The longest reviewer name accepted, in characters.
pub const MAX_REVIEWER_NAME: usize = 80;

/// The setting that keeps the login changes were recorded under before the
/// reviewer's name was first set (see [`Review::login_before_name`]).
const UNNAMED_LOGIN: &str = "unnamed-login";

/// The computer's login: who changes are recorded as until a name is set.
fn computer_login() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| std::env::var("LOGNAME").ok().filter(|u| !u.is_empty()))
        .or_else(|| std::env::var("USERNAME").ok().filter(|u| !u.is_empty()))
        // Desktop launchers do not always pass USER on; the home folder is named after the user.
        .or_else(|| dirs::home_dir().and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned())))
        .unwrap_or_else(|| "reviewer".to_owned())
}

/// Fuzzy placements under this confidence are shown for the reviewer to check.
pub const ATTENTION_CONFIDENCE: f32 = 0.8;

/// What the reviewer decides about a claim re-anchoring could not place with certainty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum AnchorResolution {
    /// Take the proposed place (of a fuzzy or moved claim).
    Accept,
    /// Pick one of an ambiguous claim's candidates.
    Choose { start: u32, end: u32 },
    /// Attach the claim to a new selection.
    Reattach { quote: TextQuoteSelector },
    /// Leave it unplaced; its status and notes stay, and it is no longer flagged.
    KeepDetached,
}

/// The reviewer's actions on claims, bound to the store.
#[derive(Clone)]
pub struct Review {
    store: SharedStore,
    clock: Arc<dyn Clock>,
    reviewer: String,
    /// The desk keys this review unlocked, shared by its clones; wiped when dropped.
    vault_keys: crate::vault::UnlockedKeys,
}

impl Review {
    ///
    /// On a team store, `reviewer` gives way to the connection's database
    /// login: who the server authenticated is who every change is recorded as.
    pub fn new(store: SharedStore, clock: Arc<dyn Clock>, reviewer: String) -> Self {
        let reviewer = lock(&store).team_actor().unwrap_or(reviewer);
        Self { store, clock, reviewer, vault_keys: crate::vault::UnlockedKeys::default() }
    }

    /// This review holding `keys`: the window makes a review per command and
    /// keeps the keys unlocked across them (until they are locked or idle).
    #[must_use]
    pub fn with_unlocked_keys(mut self, keys: crate::vault::UnlockedKeys) -> Self {
        self.vault_keys = keys;
        self
    }

    /// The desk keys this review holds (shared with its clones).
    pub fn unlocked_keys(&self) -> crate::vault::UnlockedKeys {
        self.vault_keys.clone()
    }

    /// The unlocked key of a desk's vault, if this review holds one (its use counts as activity).
    pub(crate) fn vault_key(&self, desk: crate::store::DeskId) -> Option<crate::vault::DeskKey> {
        self.vault_keys.get(desk, self.now())
    }

    /// Keeps (or, with `None`, forgets) the unlocked key of a desk's vault.
    pub(crate) fn hold_vault_key(&self, desk: crate::store::DeskId, key: Option<crate::vault::DeskKey>) {
        self.vault_keys.hold(desk, key, self.now());
    }

    /// Whether a reviewer's name was saved in Factdesk (the window asks for one on first start).
    pub fn reviewer_is_set(store: &Store) -> bool {
        store.setting("reviewer").ok().flatten().is_some_and(|name| !name.trim().is_empty())
    }

    /// The reviewer's name: the `reviewer` setting, else the OS user name.
    ///
    /// On a team store, the database login of the connection: the server
    /// authenticated it, and it is who every change is recorded as.
    pub fn reviewer_name(store: &Store) -> String {
        if let Some(login) = store.team_actor() {
            return login;
        }
        store.setting("reviewer").ok().flatten().filter(|name| !name.trim().is_empty()).unwrap_or_else(computer_login)
    }

    /// The name the changes made on this computer before a reviewer's name
    /// was set are recorded under (the computer's login), when it is not the
    /// name set now: a report says what that name is rather than show it as a
    /// reviewer's. The trail keeps it as recorded. `None` on a team store,
    /// where every change is the login the server authenticated.
    pub fn login_before_name(store: &Store) -> Option<String> {
        if store.team_actor().is_some() {
            return None;
        }
        // Kept when the name was first set; a store named before that was kept reads this computer's login now.
        let login = store.setting(UNNAMED_LOGIN).ok().flatten().unwrap_or_else(computer_login);
        let name = store.setting("reviewer").ok().flatten();
        (name.as_deref().map(str::trim) != Some(login.as_str())).then_some(login)
    }

    /// Saves the name recorded on every change the reviewer makes (the `reviewer` setting).
    pub fn set_reviewer_name(store: &Store, name: &str) -> Result<String, ReviewError> {
        let name = name.trim();
        let invalid = |why: &str| Err(ReviewError::InvalidReviewerName(why.to_owned()));
        if name.is_empty() {
            return invalid("the reviewer's name cannot be empty");
        }
        if name.chars().count() > MAX_REVIEWER_NAME {
            return invalid("the reviewer's name is too long (at most 80 characters)");
        }
        if name.chars().any(char::is_control) {
            return invalid("the reviewer's name cannot contain line breaks or control characters");
        }
        // The automatic changes (a ready draft sent back when its text moved) are recorded as this actor and shown
        // as "Factdesk (automatic)": a person of that name would read as the machine.
        if name.eq_ignore_ascii_case(crate::audit::SYSTEM_ACTOR) {
            return invalid("\"factdesk\" is the name of Factdesk's own automatic changes: choose another name");
        }
        // The login the changes so far were recorded under, for the reports to say what that name is.
        if store.team_actor().is_none() && !Self::reviewer_is_set(store) {
            store.set_setting(UNNAMED_LOGIN, &computer_login())?;
        }
        store.set_setting("reviewer", name)?;
        Ok(name.to_owned())
    }

    /// The store this review writes to (for the sourcing modules).
    pub(crate) fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Now, by the review's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Who this review records changes as.
    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    /// Refuses `action` on `draft` unless the reviewer's role on its desk
    /// allows it (see [`crate::rights`]); an unknown draft is the caller's to report.
    pub(crate) fn require_on_draft(&self, store: &Store, draft: DraftId, action: Action) -> Result<(), RightsError> {
        match store.draft(draft)? {
            Some(record) => rights::check(store, record.desk_id, &self.reviewer, action, Some(&record.path)),
            None => Ok(()),
        }
    }

    /// Refuses `action` on a claim (on its draft) unless the reviewer's role allows it.
    pub(crate) fn require_on_claim(&self, store: &Store, claim: ClaimId, action: Action) -> Result<(), RightsError> {
        match store.claim(claim)? {
            Some(record) => self.require_on_draft(store, record.draft_id, action),
            None => Ok(()),
        }
    }

    /// Refuses `action` on a desk unless the reviewer's role on it allows it.
    pub(crate) fn require_on_desk(
        &self,
        store: &Store,
        desk: crate::store::DeskId,
        action: Action,
    ) -> Result<(), RightsError> {
        rights::check(store, desk, &self.reviewer, action, None)
    }

    /// What the reviewer may not do on `draft`, each with the refusal it would
    /// get (see [`rights::DraftRefusals`]): for the window to disable what the
    /// person's role may not use, with the reason, rather than offer it to refuse it.
    pub fn draft_refusals(&self, draft: DraftId) -> Result<rights::DraftRefusals, ReviewError> {
        let store = lock(&self.store);
        let record = store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
        let rights = rights::ReviewerRights::on_desk(&store, record.desk_id, || self.reviewer.clone())?;
        Ok(rights.refusals_on_draft(&record.path))
    }

    /// The people of `desk` with their roles, by name; empty on a desk without people (anyone acts there). Only
    /// names and roles: every person of the desk may see whom they may assign and what they are.
    pub fn desk_people(&self, desk: crate::store::DeskId) -> Result<Vec<rights::DeskPerson>, ReviewError> {
        let store = lock(&self.store);
        Ok(rights::people(&store, desk)?
            .into_iter()
            .map(|person| rights::DeskPerson { name: person.name, role: person.role })
            .collect())
    }

    /// Refuses `action` on `subject` unless the reviewer's role allows it.
    pub(crate) fn require(&self, store: &Store, subject: Subject, action: Action) -> Result<(), RightsError> {
        match subject {
            Subject::Draft(draft) => self.require_on_draft(store, draft, action),
            Subject::Claim(claim) => self.require_on_claim(store, claim, action),
            Subject::Desk(desk) => self.require_on_desk(store, desk, action),
        }
    }

    /// Runs `work` in a write transaction (with the audit trail's head, as
    /// `audit::write_transaction`) once the reviewer's role, read in that
    /// transaction, allows `action` on `subject`. A role read before the
    /// transaction could be taken away by another person before the write
    /// lands, and on SQLite no server holds the rule: the transaction holds
    /// the write lock from its start, so the role read there is the one in
    /// force when the change is written. Every write of the review goes
    /// through here (or checks inside its own transaction, as a change that
    /// may be refused as a conflict does, see `conflict::write_or_refuse`).
    pub(crate) fn write_as<T, E: From<RightsError> + From<StoreError>>(
        &self,
        store: &Store,
        action: Action,
        subject: Subject,
        work: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        crate::audit::write_transaction(store, |store| {
            self.require(store, subject, action)?;
            work(store)
        })
    }

    /// Tags a claim on the current version of `draft`, where `quote` is found
    /// (exactly once, or once given its context).
    pub fn add_claim(
        &self,
        draft: DraftId,
        quote: &TextQuoteSelector,
        status: ClaimStatus,
    ) -> Result<ClaimId, ReviewError> {
        let store = lock(&self.store);
        let record = store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?;
        // Asked first too, so that a quote not found is not what someone without the role is told.
        self.require_on_draft(&store, draft, Action::ChangeClaims)?;
        let version_id = record.current_version.ok_or(ReviewError::NoText(draft))?;
        let version = store.version(version_id)?.ok_or(ReviewError::NoText(draft))?;
        let position = anchor::locate(&version.text, quote)?;
        let made = anchor::describe(&version.text, position)?;
        let now = self.clock.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Draft(draft), |store| {
            let id = store.insert_claim(&NewClaim {
                draft,
                status: status.as_str(),
                exact: &made.quote.exact,
                prefix: &made.quote.prefix,
                suffix: &made.quote.suffix,
                start: made.position.start,
                end: made.position.end,
                version: version_id,
                by: &self.reviewer,
                at: now,
            })?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at: now,
                    action: AuditAction::ClaimAdd,
                    entity: Entity::Claim(id),
                    before: None,
                    after: Some(serde_json::json!({
                        "draft": draft, "status": status.as_str(), "quote": made.quote.exact,
                        "start": made.position.start, "end": made.position.end,
                    })),
                },
            )?;
            store.put_claim_anchor(&AnchorRecord {
                claim_id: id,
                version_id,
                state: state_name(AnchorState::Anchored).to_owned(),
                start: Some(made.position.start),
                end: Some(made.position.end),
                confidence: 1.0,
                candidates: "[]".to_owned(),
                quote_now: Some(made.quote.exact.clone()),
                computed_at: to_rfc3339(now),
                resolved_by: None,
                resolved_at: None,
            })?;
            Ok::<_, ReviewError>(id)
        })
    }

    /// Sets a claim's status, recording who and when, over whatever status
    /// it has when the change lands (see [`crate::conflict`]).
    pub fn set_status(&self, claim: ClaimId, status: ClaimStatus) -> Result<(), ReviewError> {
        self.change_status(claim, status, None)
    }

    /// Sets a claim's status if it is still at `seen`, the version the
    /// person saw ([`ClaimView::version`]); else refuses with
    /// [`ReviewError::Conflict`]: the status now and who set it.
    pub fn set_status_expecting(&self, claim: ClaimId, status: ClaimStatus, seen: i64) -> Result<(), ReviewError> {
        self.change_status(claim, status, Some(seen))
    }

    fn change_status(&self, claim: ClaimId, status: ClaimStatus, seen: Option<i64>) -> Result<(), ReviewError> {
        let store = lock(&self.store);
        let now = self.clock.now();
        crate::conflict::write_or_refuse(&store, |store| {
            // The role is read in the transaction that writes: one taken away meanwhile refuses the change.
            self.require_on_claim(store, claim, Action::ChangeClaims)?;
            // Read under the write lock: the trail's "before" is the status
            // this change replaced, even with another process writing too.
            let record = store.claim(claim)?.ok_or(ReviewError::ClaimNotFound(claim))?;
            // Who set the status, not who last marked the claim (a mark changes `updated_by` too).
            let (by, at) = store
                .claim_status_history(claim)?
                .pop()
                .map_or((record.updated_by, record.updated_at), |change| (change.by, change.at));
            let current = crate::conflict::Current { version: record.version, value: record.status.clone(), by, at };
            let what = crate::conflict::Guarded::ClaimStatus(claim);
            if let Some(conflict) =
                crate::conflict::compare(store, &self.reviewer, now, what, seen, current, status.as_str())?
            {
                return Ok(Err(conflict));
            }
            let previous = record.status;
            store.set_claim_status(claim, status.as_str(), &self.reviewer, now)?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at: now,
                    action: AuditAction::ClaimStatus,
                    entity: Entity::Claim(claim),
                    before: Some(serde_json::json!({ "status": previous })),
                    after: Some(serde_json::json!({ "status": status.as_str() })),
                },
            )?;
            Ok::<_, ReviewError>(Ok(()))
        })
    }

    /// The claims of a draft placed on its current version (re-anchoring
    /// first any claim not yet placed there).
    pub fn claims(&self, draft: DraftId) -> Result<Vec<ClaimView>, ReviewError> {
        let mut store = lock(&self.store);
        self.require_on_draft(&store, draft, Action::ReadClaims)?;
        let now = self.clock.now();
        store.in_transaction(|store| reanchor_draft(store, draft, None, now))?;
        claim_views(&store, draft)
    }

    /// Settles where a claim sits in its draft's current version, as the
    /// reviewer decided; recorded with who and when.
    pub fn resolve(&self, claim: ClaimId, resolution: &AnchorResolution) -> Result<ClaimView, ReviewError> {
        let current_view = self.claim(claim)?;
        let store = lock(&self.store);
        // Asked first too, so that a resolution refused is not what someone without the role is told.
        self.require_on_claim(&store, claim, Action::ChangeClaims)?;
        let version_id = store
            .draft(current_view.draft)?
            .and_then(|d| d.current_version)
            .ok_or(ReviewError::NoText(current_view.draft))?;
        let text = store.version(version_id)?.map(|v| v.text).unwrap_or_default();
        let placed = |start: u32, end: u32| (AnchorState::Anchored, Some(start), Some(end));
        let (state, start, end) = match resolution {
            AnchorResolution::Accept => match (current_view.start, current_view.end) {
                (Some(start), Some(end)) => placed(start, end),
                _ => return Err(ReviewError::CannotResolve("this claim has no proposed place to accept".into())),
            },
            AnchorResolution::Choose { start, end } => {
                if !current_view.anchor.candidates.iter().any(|c| c.start == *start && c.end == *end) {
                    return Err(ReviewError::CannotResolve(format!(
                        "{start}..{end} is not one of this claim's candidates"
                    )));
                }
                placed(*start, *end)
            }
            AnchorResolution::Reattach { quote } => {
                let position = anchor::locate(&text, quote)?;
                placed(position.start, position.end)
            }
            AnchorResolution::KeepDetached => (AnchorState::Orphaned, None, None),
        };
        let at = self.clock.now();
        let now = to_rfc3339(at);
        // The placement and its audit entry are stored together or not at all.
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            store.put_claim_anchor(&AnchorRecord {
                claim_id: claim,
                version_id,
                state: state_name(state).to_owned(),
                start,
                end,
                confidence: if start.is_some() { 1.0 } else { 0.0 },
                candidates: "[]".to_owned(),
                quote_now: start.zip(end).map(|(s, e)| slice_code_points(&text, s, e)),
                computed_at: now.clone(),
                resolved_by: Some(self.reviewer.clone()),
                resolved_at: Some(now),
            })?;
            let resolution = serde_json::to_value(resolution).map_err(|e| ReviewError::Malformed(e.to_string()))?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at,
                    action: AuditAction::ClaimPlace,
                    entity: Entity::Claim(claim),
                    before: Some(serde_json::json!({ "start": current_view.start, "end": current_view.end })),
                    after: Some(serde_json::json!({ "start": start, "end": end, "resolution": resolution })),
                },
            )?;
            Ok::<_, ReviewError>(())
        })?;
        drop(store);
        self.claim(claim)
    }

    /// Undoes [`Review::resolve`]: forgets the reviewer's decision on the
    /// current version and lets re-anchoring place the claim again, as it
    /// did before the decision (proposed place, candidates, or none).
    pub fn unresolve(&self, claim: ClaimId) -> Result<ClaimView, ReviewError> {
        let current_view = self.claim(claim)?;
        let store = lock(&self.store);
        let version_id = store
            .draft(current_view.draft)?
            .and_then(|d| d.current_version)
            .ok_or(ReviewError::NoText(current_view.draft))?;
        let at = self.clock.now();
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            // Read in the write: a decision undone (or changed) meanwhile from another window is
            // not undone a second time.
            let settled = store.claim_anchor(claim, version_id)?.filter(|a| a.resolved_by.is_some());
            let Some(settled) = settled else {
                return Err(ReviewError::CannotResolve(format!(
                    "claim {claim} was not settled by a reviewer on this version: there is nothing to undo"
                )));
            };
            store.delete_claim_anchor(claim, version_id)?;
            reanchor_draft(store, current_view.draft, None, at)?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at,
                    action: AuditAction::ClaimUnplace,
                    entity: Entity::Claim(claim),
                    before: Some(serde_json::json!({
                        "start": settled.start, "end": settled.end, "state": settled.state,
                        "resolved-by": settled.resolved_by,
                    })),
                    after: None,
                },
            )?;
            Ok::<_, ReviewError>(())
        })?;
        drop(store);
        self.claim(claim)
    }

    /// Moves a claim to a new span of its draft's current version (what the
    /// reviewer selected, located by the core). The claim keeps its id,
    /// status, sources, evidence and notes; it is now tagged on the new
    /// text, and the audit trail records the old and the new quote.
    pub fn move_claim(&self, claim: ClaimId, quote: &TextQuoteSelector) -> Result<ClaimView, ReviewError> {
        let before = self.claim(claim)?;
        let store = lock(&self.store);
        let at = self.clock.now();
        let now = to_rfc3339(at);
        self.write_as(&store, Action::ChangeClaims, Subject::Claim(claim), |store| {
            // The text as it is when the move is written: a version saved meanwhile (from another
            // window) is the one the claim is placed on, not the one the reviewer's view was built from.
            let version_id =
                store.draft(before.draft)?.and_then(|d| d.current_version).ok_or(ReviewError::NoText(before.draft))?;
            let text = store.version(version_id)?.map(|v| v.text).ok_or(ReviewError::NoText(before.draft))?;
            let made = anchor::describe(&text, anchor::locate(&text, quote)?)?;
            let (start, end) = (made.position.start, made.position.end);
            let unchanged = store.claim_anchor(claim, version_id)?.is_some_and(|a| {
                a.start == Some(start) && a.end == Some(end) && before.original_quote == made.quote.exact
            }) && !before.needs_attention;
            if unchanged {
                return Ok(());
            }
            let moved = store.move_claim(
                claim,
                &ClaimPlacement {
                    exact: &made.quote.exact,
                    prefix: &made.quote.prefix,
                    suffix: &made.quote.suffix,
                    start,
                    end,
                    version: version_id,
                },
                &self.reviewer,
                &now,
            )?;
            // Removed meanwhile from another window: it stays as it was removed.
            if !moved {
                return Err(ReviewError::ClaimNotFound(claim));
            }
            store.put_claim_anchor(&AnchorRecord {
                claim_id: claim,
                version_id,
                state: state_name(AnchorState::Anchored).to_owned(),
                start: Some(start),
                end: Some(end),
                confidence: 1.0,
                candidates: "[]".to_owned(),
                quote_now: Some(made.quote.exact.clone()),
                computed_at: now.clone(),
                resolved_by: Some(self.reviewer.clone()),
                resolved_at: Some(now.clone()),
            })?;
            crate::audit::record(
                store,
                &crate::audit::Change {
                    by: &self.reviewer,
                    at,
                    action: AuditAction::ClaimMove,
                    entity: Entity::Claim(claim),
                    before: Some(serde_json::json!({
                        "quote": before.quote, "start": before.start, "end": before.end,
                        "state": state_name(before.anchor.state),
                    })),
                    after: Some(serde_json::json!({ "quote": made.quote.exact, "start": start, "end": end })),
                },
            )?;
            Ok::<_, ReviewError>(())
        })?;
        drop(store);
        self.claim(claim)
    }

    /// Every claim of a desk that needs the reviewer's attention.
    pub fn needing_attention(&self, desk: crate::store::DeskId) -> Result<Vec<ClaimView>, ReviewError> {
        let (drafts, rights) = {
            let store = lock(&self.store);
            (store.drafts(desk)?, rights::ReviewerRights::on_desk(&store, desk, || self.reviewer.clone())?)
        };
        let mut found = Vec::new();
        for draft in drafts {
            // A reporter's attention goes to their own drafts: the others' claims are not theirs to see
            // (asked with the draft's record in hand, the role read once for the desk).
            if rights.check(Action::ReadClaims, Some(&draft.path)).is_err() {
                continue;
            }
            found.extend(self.claims(draft.id)?.into_iter().filter(|c| c.needs_attention));
        }
        Ok(found)
    }

    /// One claim as seen on the current version.
    pub fn claim(&self, claim: ClaimId) -> Result<ClaimView, ReviewError> {
        let draft = lock(&self.store).claim(claim)?.ok_or(ReviewError::ClaimNotFound(claim))?.draft_id;
        self.claims(draft)?.into_iter().find(|c| c.id == claim).ok_or(ReviewError::ClaimNotFound(claim))
    }
}

fn state_name(state: AnchorState) -> &'static str {
    match state {
        AnchorState::Anchored => "anchored",
        AnchorState::Moved => "moved",
        AnchorState::Fuzzy => "fuzzy",
        AnchorState::Ambiguous => "ambiguous",
        AnchorState::Orphaned => "orphaned",
    }
}

pub(crate) fn parse_state(name: &str) -> Result<AnchorState, ReviewError> {
    [AnchorState::Anchored, AnchorState::Moved, AnchorState::Fuzzy, AnchorState::Ambiguous, AnchorState::Orphaned]
        .into_iter()
        .find(|s| state_name(*s) == name)
        .ok_or_else(|| ReviewError::Malformed(format!("anchor state {name:?}")))
}

/// Places every claim of `draft` on its current version, from where each
/// was last placed; claims already placed there are left as they are.
/// Returns how many claims were re-anchored. The edit between two versions
/// is computed once per pair, whatever the number of claims.
///
/// `previous` is the version the draft had just before (when known): claims
/// are re-anchored from their place there, so after a revert and a new edit
/// they follow the text the writer actually edited.
///
/// Only the claims: what a new version means for a draft that was ready or
/// published (verdicts follow the text) is the workflow's, one layer up, and
/// [`crate::sourcing::workflow::follow_new_version`] runs both.
pub fn reanchor_draft(
    store: &Store,
    draft: DraftId,
    previous: Option<VersionId>,
    now: DateTime<Utc>,
) -> Result<usize, ReviewError> {
    let Some(current) = store.draft(draft)?.and_then(|d| d.current_version) else { return Ok(0) };
    let mut by_base: HashMap<VersionId, Vec<(ClaimId, Anchor)>> = HashMap::new();
    let mut texts: HashMap<VersionId, String> = HashMap::new();
    // Which claims are placed already, in one query for the whole draft (a listing re-anchors nothing, usually).
    let placed: HashSet<ClaimId> = store.anchors_at_version(current)?.into_iter().map(|a| a.claim_id).collect();
    for claim in store.claims_of_draft(draft)? {
        if placed.contains(&claim.id) {
            continue;
        }
        let from_previous = match previous {
            Some(version) => store.claim_anchor(claim.id, version)?.filter(|a| a.start.is_some()),
            None => None,
        };
        let (base, start, end) = match from_previous.or(store.last_placed_anchor(claim.id)?) {
            Some(AnchorRecord { version_id, start: Some(start), end: Some(end), .. }) => (version_id, start, end),
            _ => (claim.version_id, claim.start, claim.end),
        };
        let base_text = match texts.entry(base) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(store.version(base)?.map(|v| v.text).unwrap_or_default())
            }
        };
        let anchor = anchor::describe(base_text, TextPositionSelector { start, end })?;
        by_base.entry(base).or_default().push((claim.id, anchor));
    }
    if by_base.is_empty() {
        return Ok(0);
    }
    let new_text = store.version(current)?.map(|v| v.text).unwrap_or_default();
    let computed_at = to_rfc3339(now);
    let mut count = 0;
    for (base, claims) in by_base {
        let old_text = texts.get(&base).map(String::as_str).unwrap_or_default();
        let anchors: Vec<Anchor> = claims.iter().map(|(_, a)| a.clone()).collect();
        let placements = anchor::reanchor_all(old_text, &new_text, &anchors);
        for ((claim, _), placement) in claims.iter().zip(placements) {
            let candidates =
                serde_json::to_string(&placement.candidates).map_err(|e| ReviewError::Malformed(e.to_string()))?;
            store.put_claim_anchor(&AnchorRecord {
                claim_id: *claim,
                version_id: current,
                state: state_name(placement.state).to_owned(),
                start: placement.position.as_ref().map(|p| p.start),
                end: placement.position.as_ref().map(|p| p.end),
                confidence: f64::from(placement.confidence),
                candidates,
                quote_now: placement
                    .quote_now
                    .clone()
                    .or_else(|| placement.position.as_ref().map(|p| slice_code_points(&new_text, p.start, p.end))),
                computed_at: computed_at.clone(),
                resolved_by: None,
                resolved_at: None,
            })?;
            count += 1;
        }
    }
    Ok(count)
}

fn claim_views(store: &Store, draft: DraftId) -> Result<Vec<ClaimView>, ReviewError> {
    use crate::attribution::{attributions_of_draft, AttributedTo, AttributionFrom, ClaimAttribution};
    let current = store.draft(draft)?.ok_or(ReviewError::DraftNotFound(draft))?.current_version;
    let mut attributions = attributions_of_draft(store, draft)?;
    // Every placement on the current version in one query, not one per claim.
    let mut anchors: HashMap<ClaimId, AnchorRecord> = match current {
        Some(version) => store.anchors_at_version(version)?.into_iter().map(|a| (a.claim_id, a)).collect(),
        None => HashMap::new(),
    };
    let mut views = Vec::new();
    for claim in store.claims_of_draft(draft)? {
        let anchor = anchors.remove(&claim.id);
        let resolved = anchor.as_ref().is_some_and(|a| a.resolved_by.is_some());
        let (anchor, start, end, quote) = match anchor {
            Some(record) => {
                let candidates: Vec<Candidate> =
                    serde_json::from_str(&record.candidates).map_err(|e| ReviewError::Malformed(e.to_string()))?;
                let quote = record.quote_now.clone().unwrap_or_else(|| claim.exact.clone());
                #[allow(clippy::cast_possible_truncation)] // confidence is 0..1
                let confidence = record.confidence as f32;
                (
                    ClaimAnchor { state: parse_state(&record.state)?, confidence, candidates },
                    record.start,
                    record.end,
                    quote,
                )
            }
            None => (
                ClaimAnchor { state: AnchorState::Orphaned, confidence: 0.0, candidates: Vec::new() },
                None,
                None,
                claim.exact.clone(),
            ),
        };
        let needs_attention = !resolved
            && match anchor.state {
                AnchorState::Ambiguous | AnchorState::Orphaned => true,
                AnchorState::Fuzzy => anchor.confidence < ATTENTION_CONFIDENCE,
                AnchorState::Anchored | AnchorState::Moved => false,
            };
        let attribution = attributions.remove(&claim.id).unwrap_or(ClaimAttribution {
            kind: AttributedTo::None,
            from: AttributionFrom::Wording,
            cue: None,
        });
        views.push(ClaimView {
            id: claim.id,
            draft,
            status: claim.status.parse()?,
            quote,
            original_quote: claim.exact,
            start,
            end,
            anchor,
            attribution,
            needs_attention,
            created_by: claim.created_by,
            created_at: claim.created_at,
            updated_by: claim.updated_by,
            updated_at: claim.updated_at,
            version: claim.version,
        });
    }
    Ok(views)
}

fn slice_code_points(text: &str, start: u32, end: u32) -> String {
    text.chars().skip(start as usize).take(end.saturating_sub(start) as usize).collect()
}
