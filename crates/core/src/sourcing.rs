//! How a draft's claims are sourced: the desk's register of sources (with
//! the confidential side of unnamed ones kept apart), evidence, each
//! claim's corroboration, comment threads, the editor's note and the
//! draft's workflow. The desk's sourcing rules live in [`rules`] and
//! every change here is written to the [`crate::audit`] trail in the same
//! transaction as the change itself.
//!
//! Everything is reached through [`Review`], which
//! already knows the store, the clock and the reviewer's name:
//!
//! ```no_run
//! use factdesk_core::review::Review;
//! use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
//! use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
//! # fn demo(review: Review, desk: factdesk_core::store::DeskId, claim: factdesk_core::store::ClaimId)
//! #     -> Result<(), factdesk_core::sourcing::SourcingError> {
//! let source = review.add_source(desk, &NewSource {
//!     descriptor: "a senior Western diplomat".into(),
//!     kind: SourceKind::Unnamed,
//!     notes: String::new(),
//!     confidential: Some(Confidential {
//!         anonymity_reason: Some("not authorised to speak publicly".into()),
//!         how_known: Some("attended the meetings".into()),
//!         editor_knows: Some("M. Editor".into()),
//!         ..Confidential::default()
//!     }),
//! })?;
//! review.link_source(claim, source, SourceRole::Attributed)?;
//! review.add_evidence(claim, &NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Meeting minutes", true))?;
//! println!("{:?}", review.corroboration(claim)?);
//! # Ok(()) }
//! ```

pub mod corroboration;
pub mod editor_note;
pub mod evidence;
pub mod note;
pub mod publication;
pub mod rules;
pub mod source;
pub mod workflow;

use crate::audit::{self, Change};
use crate::audit::{AuditAction, Entity};
use crate::review::{Review, ReviewError};
use crate::sourcing::rules::Finding;
use crate::store::{ClaimId, DeskId, DraftId, EvidenceId, NoteId, SourceId, Store, StoreError};

/// Errors from sourcing, the rules and the workflow.
#[derive(Debug, thiserror::Error)]
pub enum SourcingError {
    #[error("no draft {0} in the store")]
    DraftNotFound(DraftId),
    #[error("no claim {0}")]
    ClaimNotFound(ClaimId),
    #[error("no source {0}")]
    SourceNotFound(SourceId),
    #[error("no evidence {0}")]
    EvidenceNotFound(EvidenceId),
    #[error("no note {0}")]
    NoteNotFound(NoteId),
    #[error(transparent)]
    UnknownName(#[from] crate::names::UnknownName),
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "claim {claim} and source {source_id} belong to different desks; a claim can only cite its own desk's sources"
    )]
    OtherDesk { claim: ClaimId, source_id: SourceId },
    #[error(
        "only an unnamed source has confidential fields (identity, contact, how it knows, reason for anonymity, \
         the editor who knows it, approval); source kind is {0}"
    )]
    NotUnnamed(String),
    #[error(
        "source {source_id} is used by {}; unlink it from them first, or remove the source with its links",
        describe_claims(.claims)
    )]
    SourceInUse { source_id: SourceId, claims: Vec<ClaimId> },
    /// On a team store: claims the login may not see cite the source (a number, never their ids).
    #[error(
        "source {source_id} is cited by {claims} claim{}, {unseen} of which you may not see; it stays on the \
         register until no claim cites it",
        if *.claims == 1 { "" } else { "s" }
    )]
    SourceCitedUnseen { source_id: SourceId, claims: usize, unseen: usize },
    #[error("{0} is not removed: there is nothing to restore")]
    NotRemoved(String),
    #[error("{0}")]
    RestoreRefused(String),
    #[error("note {0} is already resolved")]
    AlreadyResolved(NoteId),
    #[error("note {0} is not resolved")]
    NotResolved(NoteId),
    #[error("a draft cannot go from {from} to {to}; from {from} it can go to {allowed}")]
    Transition { from: String, to: String, allowed: String },
    #[error("the draft cannot be marked ready: {}", describe_findings(.0))]
    RulesFail(Vec<Finding>),
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),
    #[error(transparent)]
    Rights(#[from] crate::rights::RightsError),
    #[error("stored data is malformed: {0}")]
    Malformed(String),
    /// Boxed, as [`ReviewError::Conflict`].
    #[error(transparent)]
    Conflict(Box<crate::conflict::Conflict>),
}

impl From<crate::conflict::Conflict> for SourcingError {
    fn from(conflict: crate::conflict::Conflict) -> Self {
        Self::Conflict(Box::new(conflict))
    }
}

impl From<rusqlite::Error> for SourcingError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(error))
    }
}

fn describe_claims(claims: &[ClaimId]) -> String {
    let ids: Vec<String> = claims.iter().map(ToString::to_string).collect();
    format!("claim{} {}", if ids.len() == 1 { "" } else { "s" }, ids.join(", "))
}

fn describe_findings(findings: &[Finding]) -> String {
    let mut text = format!(
        "{} sourcing finding{} still open; fix them or record an override with a reason",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" }
    );
    for finding in findings {
        text.push_str(&format!("\n  - {}: {}", finding.rule.label_and_id(), finding.message));
    }
    text
}

pub(crate) use crate::names::kebab_enum;

/// Trims `text`, refusing it when nothing is left.
pub(crate) fn required(text: &str, what: &'static str) -> Result<String, SourcingError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SourcingError::Empty(what));
    }
    Ok(trimmed.to_owned())
}

/// An optional text field: blank counts as absent.
pub(crate) fn optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// Writes a change to the audit trail as the review's reviewer, now.
pub(crate) fn audit(
    store: &Store,
    review: &Review,
    at: chrono::DateTime<chrono::Utc>,
    action: AuditAction,
    entity: Entity,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    audit::record(store, &Change { by: review.reviewer(), at, action, entity, before, after })
}

/// The desk a claim belongs to (through its draft); a removed claim is not found.
pub(crate) fn desk_of_claim(store: &Store, claim: ClaimId) -> Result<DeskId, SourcingError> {
    store.desk_of_live_claim(claim)?.ok_or(SourcingError::ClaimNotFound(claim))
}

/// Fails unless the draft exists.
pub(crate) fn existing_draft(store: &Store, draft: DraftId) -> Result<crate::store::DraftRecord, SourcingError> {
    store.draft(draft)?.ok_or(SourcingError::DraftNotFound(draft))
}

/// Runs `work` in one write transaction (see [`audit::write_transaction`]).
pub(crate) fn write<T>(
    store: &Store,
    work: impl FnOnce(&Store) -> Result<T, SourcingError>,
) -> Result<T, SourcingError> {
    audit::write_transaction(store, work)
}
