//! Where a draft stands: in review → needs work → ready → published, and
//! updated after publication. Moving a draft to ready runs the sourcing
//! rules; it is refused with the findings unless they are overridden, with a
//! reason, in the same step.

use super::{audit, existing_draft, kebab_enum, write, SourcingError};
use crate::clock::to_rfc3339;
use crate::review::Review;
use crate::rules::{check_draft, record_override, Finding};
use crate::store::{lock, DraftId, OverrideId, Store};
use rusqlite::{params, OptionalExtension};
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
    let row: Option<(String, String, String)> = store
        .conn()
        .prepare_cached("SELECT status, changed_by, changed_at FROM draft_workflow WHERE draft_id = ?1")?
        .query_row([draft.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    Ok(match row {
        Some((status, by, at)) => DraftStatusView {
            draft,
            status: status.parse().map_err(|_| SourcingError::Malformed(format!("draft status {status:?}")))?,
            changed_by: Some(by),
            changed_at: Some(at),
        },
        None => DraftStatusView { draft, status: DraftStatus::InReview, changed_by: None, changed_at: None },
    })
}

impl Review {
    /// A draft's workflow status.
    pub fn draft_status(&self, draft: DraftId) -> Result<DraftStatusView, SourcingError> {
        status_of(&lock(self.store()), draft)
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
        // passing and the draft becoming ready.
        write(&store, |store| {
            let before = status_of(store, draft)?;
            if !before.status.next().contains(&status) {
                let allowed = before.status.next().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                return Err(SourcingError::Transition {
                    from: before.status.as_str().to_owned(),
                    to: status.as_str().to_owned(),
                    allowed,
                });
            }
            let open: Vec<Finding> = if status == DraftStatus::Ready {
                check_draft(store, draft)?.into_iter().filter(|f| !f.overridden).collect()
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
            store
                .conn()
                .prepare_cached(
                    "INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(draft_id) DO UPDATE SET status = excluded.status, changed_by = excluded.changed_by,
                         changed_at = excluded.changed_at",
                )?
                .execute(params![draft.0, status.as_str(), self.reviewer(), to_rfc3339(now)])?;
            audit(
                store,
                self,
                now,
                "draft.status",
                format!("draft:{draft}"),
                Some(json!({ "status": before.status.as_str() })),
                Some(json!({ "status": status.as_str(), "override": override_id })),
            )?;
            Ok(StatusChange { status: status_of(store, draft)?, override_id, overridden: open })
        })
    }
}
