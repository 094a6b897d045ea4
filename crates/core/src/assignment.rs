//! Assignments: a claim, or a whole draft, given to one person to work on,
//! with an optional due date. Assigning again hands it to someone else (or
//! changes the date); unassigning ends it. Each is on the audit trail (on the
//! claim or the draft) in the same transaction, and the assignee finds it
//! in their [`crate::inbox`] and in their *Assigned to me* list, overdue
//! ones marked.
//!
//! ```no_run
//! # fn demo(review: factdesk_core::review::Review, claim: factdesk_core::store::ClaimId)
//! #     -> Result<(), factdesk_core::assignment::AssignmentError> {
//! use factdesk_core::assignment::AssignmentTarget;
//! review.assign(AssignmentTarget::Claim(claim), "ben", Some("2026-12-24"))?;
//! for work in review.assigned_to_me(None)? {
//!     println!("{} {:?} due {:?}{}", work.draft_path, work.quote, work.due, if work.overdue { " (overdue)" } else { "" });
//! }
//! # Ok(()) }
//! ```

use crate::audit::{self, AuditAction, Change, Entity};
use crate::clock::to_rfc3339;
use crate::inbox::{notify_assignment, person_on_desk};
use crate::review::{Review, Subject};
use crate::store::assignments::AssignedRow;
pub use crate::store::assignments::AssignmentTarget;
use crate::store::{lock, AssignmentId, ClaimId, DeskId, DraftId, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Errors from assigning work.
#[derive(Debug, thiserror::Error)]
pub enum AssignmentError {
    #[error("no claim {0}")]
    ClaimNotFound(ClaimId),
    #[error("no draft {0} in the store")]
    DraftNotFound(DraftId),
    #[error("{0:?} is not a person on this desk")]
    NotAPerson(String),
    #[error("the due date {0:?} is not a date: write it as YYYY-MM-DD, e.g. 2026-12-24")]
    BadDate(String),
    /// The assignee would be told of work they may not open (a reporter, of a draft outside their folder).
    #[error(
        "{assignee} ({role}) may not be assigned work on {draft_path}: they may not see its claims, which needs the \
         {needed}{hint}"
    )]
    AssigneeMayNotSee { assignee: String, role: &'static str, draft_path: String, needed: &'static str, hint: String },
    #[error("{0} is not assigned to anyone")]
    NotAssigned(String),
    #[error(transparent)]
    Rights(#[from] crate::rights::RightsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who a claim or a draft is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Assignment {
    pub id: AssignmentId,
    pub assignee: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    /// The due date has passed (by the review's clock, in UTC).
    pub overdue: bool,
    pub assigned_by: String,
    pub assigned_at: String,
}

/// One item of a person's *Assigned to me* list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AssignedWork {
    pub id: AssignmentId,
    /// The claim; `None` when the whole draft is assigned.
    pub claim: Option<ClaimId>,
    /// The draft assigned, or the claim's draft.
    pub draft: DraftId,
    pub draft_path: String,
    pub draft_title: String,
    /// The claim's words.
    pub quote: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub assigned_by: String,
    pub assigned_at: String,
}

/// A due date as given: `YYYY-MM-DD`, blank for none.
pub fn parse_due(given: Option<&str>) -> Result<Option<NaiveDate>, AssignmentError> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(None);
    };
    // Exactly ten characters: chrono alone would take "2026-1-5".
    if given.len() != 10 {
        return Err(AssignmentError::BadDate(given.to_owned()));
    }
    NaiveDate::parse_from_str(given, "%Y-%m-%d").map(Some).map_err(|_| AssignmentError::BadDate(given.to_owned()))
}

fn is_overdue(due: Option<&str>, today: NaiveDate) -> bool {
    due.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).is_some_and(|due| due < today)
}

fn entity(target: AssignmentTarget) -> Entity {
    match target {
        AssignmentTarget::Claim(claim) => Entity::Claim(claim),
        AssignmentTarget::Draft(draft) => Entity::Draft(draft),
    }
}

/// The desk, draft and the draft's path of a live claim or an existing draft.
fn place(store: &Store, target: AssignmentTarget) -> Result<(DeskId, DraftId, String), AssignmentError> {
    let draft = match target {
        AssignmentTarget::Claim(claim) => {
            store.draft_of_live_claim(claim)?.ok_or(AssignmentError::ClaimNotFound(claim))?
        }
        AssignmentTarget::Draft(draft) => draft,
    };
    let record = store.draft(draft)?.ok_or(AssignmentError::DraftNotFound(draft))?;
    Ok((record.desk_id, draft, record.path))
}

/// Refuses handing `assignee` work on the draft at `draft_path` that they may not see (on a desk with people,
/// a reporter sees only their own drafts): they would be told of work that opens only on a refusal.
fn require_assignee_sees(store: &Store, desk: DeskId, assignee: &str, draft_path: &str) -> Result<(), AssignmentError> {
    let rights = crate::rights::ReviewerRights::on_desk(store, desk, || assignee.to_owned())?;
    match rights.check(crate::rights::Action::ReadClaims, Some(draft_path)) {
        Ok(()) => Ok(()),
        Err(crate::rights::Refused::Role { role, needed, .. }) => Err(AssignmentError::AssigneeMayNotSee {
            assignee: assignee.to_owned(),
            role,
            draft_path: draft_path.to_owned(),
            needed,
            hint: if role == crate::rights::Role::Reporter.label() {
                format!(" (a reporter's own drafts are those under {assignee}/)")
            } else {
                String::new()
            },
        }),
        Err(other) => Err(crate::rights::RightsError::from(other).into()),
    }
}

fn describe(target: AssignmentTarget) -> String {
    match target {
        AssignmentTarget::Claim(claim) => format!("claim {claim}"),
        AssignmentTarget::Draft(draft) => format!("draft {draft}"),
    }
}

impl Review {
    /// Assigns a claim or a draft to `to`, due on `due` (YYYY-MM-DD) if
    /// given, replacing whoever had it; `to` finds it in their inbox.
    pub fn assign(&self, target: AssignmentTarget, to: &str, due: Option<&str>) -> Result<Assignment, AssignmentError> {
        let due = parse_due(due)?.map(|d| d.format("%Y-%m-%d").to_string());
        let store = lock(self.store());
        let (desk, draft, draft_path) = place(&store, target)?;
        // Handing out work is changing the review of that draft (a lawyer or another reporter may not).
        self.require_on_draft(&store, draft, crate::rights::Action::ChangeClaims)?;
        let assignee = person_on_desk(&store, desk, to)?.ok_or_else(|| AssignmentError::NotAPerson(to.to_owned()))?;
        require_assignee_sees(&store, desk, &assignee, &draft_path)?;
        let now = self.now();
        let at = to_rfc3339(now);
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Draft(draft), |store| {
            let before = store.live_assignment(target)?;
            if let Some(before) = &before {
                if before.assignee == assignee && before.due == due {
                    return Ok(self.assignment_of(before.id, &assignee, due.clone(), before));
                }
                store.end_assignment(before.id, self.reviewer(), &at)?;
            }
            let id = store.insert_assignment(target, &assignee, due.as_deref(), self.reviewer(), &at)?;
            // The same person with a new date is told again: the date is news.
            let claim = match target {
                AssignmentTarget::Claim(claim) => Some(claim),
                AssignmentTarget::Draft(_) => None,
            };
            notify_assignment(store, &assignee, draft, claim, id, self.reviewer(), &at)?;
            audit::record(
                store,
                &Change {
                    by: self.reviewer(),
                    at: now,
                    action: AuditAction::Assign,
                    entity: entity(target),
                    before: before.map(|b| json!({ "to": b.assignee, "due": b.due })),
                    after: Some(json!({ "to": assignee, "due": due })),
                },
            )?;
            Ok(Assignment {
                id,
                assignee: assignee.clone(),
                overdue: is_overdue(due.as_deref(), now.date_naive()),
                due: due.clone(),
                assigned_by: self.reviewer().to_owned(),
                assigned_at: at.clone(),
            })
        })
    }

    fn assignment_of(
        &self,
        id: AssignmentId,
        assignee: &str,
        due: Option<String>,
        record: &crate::store::assignments::AssignmentRecord,
    ) -> Assignment {
        Assignment {
            id,
            assignee: assignee.to_owned(),
            overdue: is_overdue(due.as_deref(), self.now().date_naive()),
            due,
            assigned_by: record.assigned_by.clone(),
            assigned_at: record.assigned_at.clone(),
        }
    }

    /// Ends the assignment of a claim or a draft.
    pub fn unassign(&self, target: AssignmentTarget) -> Result<(), AssignmentError> {
        let store = lock(self.store());
        let (_, draft, _) = place(&store, target)?;
        let now = self.now();
        self.write_as(&store, crate::rights::Action::ChangeClaims, Subject::Draft(draft), |store| {
            let before =
                store.live_assignment(target)?.ok_or_else(|| AssignmentError::NotAssigned(describe(target)))?;
            store.end_assignment(before.id, self.reviewer(), &to_rfc3339(now))?;
            audit::record(
                store,
                &Change {
                    by: self.reviewer(),
                    at: now,
                    action: AuditAction::Unassign,
                    entity: entity(target),
                    before: Some(json!({ "to": before.assignee, "due": before.due })),
                    after: None,
                },
            )?;
            Ok(())
        })
    }

    /// Who a claim or a draft is assigned to, if anyone.
    pub fn assignment(&self, target: AssignmentTarget) -> Result<Option<Assignment>, AssignmentError> {
        let store = lock(self.store());
        let (_, draft, _) = place(&store, target)?;
        self.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
        Ok(store
            .live_assignment(target)?
            .map(|record| self.assignment_of(record.id, &record.assignee.clone(), record.due.clone(), &record)))
    }

    /// What is assigned to the person acting, the soonest due first; with
    /// `desk`, only that desk's.
    pub fn assigned_to_me(&self, desk: Option<DeskId>) -> Result<Vec<AssignedWork>, AssignmentError> {
        let store = lock(self.store());
        let today = self.now().date_naive();
        let mut work = Vec::new();
        for row in store.assignments_of(self.reviewer(), desk)? {
            let AssignedRow { id, claim, draft, draft_path, draft_title, quote, due, assigned_by, assigned_at } = row;
            work.push(AssignedWork {
                id,
                claim,
                draft,
                draft_path,
                draft_title,
                quote,
                overdue: is_overdue(due.as_deref(), today),
                due,
                assigned_by,
                assigned_at,
            });
        }
        Ok(work)
    }
}
