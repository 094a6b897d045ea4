//! No silent overwrite: compare-and-set on what two people may change at
//! once (a claim's status, a note's text, a source's public fields, a
//! draft's editor's note).
//!
//! Each of those rows has a version (migration `0018_row_versions.sql`),
//! raised by every change of what it guards. A change carries the version
//! the person saw; inside the change's write transaction (which holds the
//! store's write lock on both engines, so no other writer can slip in
//! between the read and the write) the row's current version is compared
//! with it. When the row moved since, the change is refused with a
//! [`Conflict`]: the current value, who set it and when, so the window can
//! offer to reapply the refused change or keep the other one. The refused
//! attempt is recorded in the audit trail as a `change.refused` entry (the
//! accepted one has its own entry), in a transaction that commits without
//! the change.
//!
//! A change that carries no version (a script's `factdesk status` without
//! `--expect-version`) reads and writes in one transaction: it is ordered
//! after whatever committed before it, and its audit entry says what it
//! replaced.

use crate::audit::{AuditAction, Change, Entity};
use crate::store::{ClaimId, DraftId, NoteId, SourceId, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a compare-and-set guards, and on which row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Guarded {
    ClaimStatus(ClaimId),
    Note(NoteId),
    Source(SourceId),
    EditorNote(DraftId),
}

impl Guarded {
    /// The audit trail's entity of the row.
    fn entity(self) -> Entity {
        match self {
            Self::ClaimStatus(claim) => Entity::Claim(claim),
            Self::Note(note) => Entity::Note(note),
            Self::Source(source) => Entity::Source(source),
            Self::EditorNote(draft) => Entity::Draft(draft),
        }
    }

    /// The action the refused change would have been recorded as.
    fn action(self) -> AuditAction {
        match self {
            Self::ClaimStatus(_) => AuditAction::ClaimStatus,
            Self::Note(_) => AuditAction::NoteEdit,
            Self::Source(_) => AuditAction::SourceUpdate,
            Self::EditorNote(_) => AuditAction::EditorNoteSave,
        }
    }

    /// The key of the value in the trail's before/after (as the accepted change's entry has it).
    fn field(self) -> &'static str {
        match self {
            Self::ClaimStatus(_) => "status",
            Self::Note(_) | Self::EditorNote(_) => "text",
            Self::Source(_) => "descriptor",
        }
    }
}

impl std::fmt::Display for Guarded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ClaimStatus(claim) => write!(f, "the status of claim {claim}"),
            Self::Note(note) => write!(f, "note {note}"),
            Self::Source(source) => write!(f, "source {source}"),
            Self::EditorNote(draft) => write!(f, "the editor's note of draft {draft}"),
        }
    }
}

/// A guarded row as it is now, read under the write lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub version: i64,
    /// The status key, the note's or editor's note's text, the source's descriptor ("" for no editor's note yet).
    pub value: String,
    /// Who set it, and when (empty for a draft with no saved editor's note).
    pub by: String,
    pub at: String,
}

/// A change refused because the row changed since the person saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error(
    "{what} was changed by {changed_by} at {changed_at} since you saw it (it is now {current:?}); your change \
     ({attempted:?}) was not saved: reapply it over theirs, or keep theirs"
)]
pub struct Conflict {
    pub what: Guarded,
    /// The version the refused change was made on.
    pub seen_version: i64,
    /// The row's version now: reapplying sends this one.
    pub current_version: i64,
    /// The value now (see [`Current::value`]).
    pub current: String,
    /// The value the refused change would have set.
    pub attempted: String,
    pub changed_by: String,
    pub changed_at: String,
}

/// Compares the version the person saw (`seen`; `None` when the change
/// carries none) with the row's `current` one, inside the change's write
/// transaction. On a mismatch the refused attempt is recorded in the trail
/// and the conflict returned: the caller commits that entry, not its change,
/// and returns the conflict as its error.
pub(crate) fn compare(
    store: &Store,
    by: &str,
    at: DateTime<Utc>,
    what: Guarded,
    seen: Option<i64>,
    current: Current,
    attempted: &str,
) -> Result<Option<Conflict>, StoreError> {
    let Some(seen) = seen.filter(|seen| *seen != current.version) else { return Ok(None) };
    let field = what.field();
    crate::audit::record(
        store,
        &Change {
            by,
            at,
            action: AuditAction::ChangeRefused,
            entity: what.entity(),
            before: Some(json!({
                field: current.value, "version": current.version, "changed-by": current.by, "changed-at": current.at,
            })),
            after: Some(json!({ field: attempted, "version": seen, "refused": what.action().key() })),
        },
    )?;
    Ok(Some(Conflict {
        what,
        seen_version: seen,
        current_version: current.version,
        current: current.value,
        attempted: attempted.to_owned(),
        changed_by: current.by,
        changed_at: current.at,
    }))
}

/// Runs a guarded change in one write transaction (see
/// [`crate::audit::write_transaction`]): `work` returns `Ok(Err(conflict))`
/// for a refused change, whose audit entry is committed before the conflict
/// comes back as the error.
pub(crate) fn write_or_refuse<T, E: From<StoreError> + From<Conflict>>(
    store: &Store,
    work: impl FnOnce(&Store) -> Result<Result<T, Conflict>, E>,
) -> Result<T, E> {
    crate::audit::write_transaction(store, work)?.map_err(E::from)
}
