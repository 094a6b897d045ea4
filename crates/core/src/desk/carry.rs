//! What the window offers on a missing draft that holds a review: the files
//! its review may be carried to, the likely one first, or why this person
//! may not carry it. The carrying itself is [`Desk::carry_review`], the one
//! `factdesk draft move` calls; on a desk with people no scan does it across
//! owner folders (see `Desk::carries_review`), so without this a reporter
//! sees their review stay behind on the missing draft.

use super::{file_name, Desk, DeskError};
use crate::rights::{owner_folder, Action, Refused, ReviewerRights};
use crate::store::{lock, DraftId};
use serde::Serialize;
use std::collections::HashSet;

/// Why a file is likely the one a missing draft became, told from what the
/// store has at hand (no file is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum CarryHint {
    /// Its text is the missing draft's last text (the same hash).
    SameText,
    /// It has the missing draft's file name, in another owner folder.
    SameName,
}

/// A file a missing draft's review may be carried to: a draft of the desk in
/// the folder with no review of its own (claims, notes, an editor's note or
/// an assignment), which the carry retires as a deleted draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CarryTarget {
    pub draft: DraftId,
    /// Relative to the desk, as `factdesk draft move` takes it.
    pub path: String,
    /// Why it is likely the missing draft's file; `None` for any other file.
    pub hint: Option<CarryHint>,
}

/// What may be done with a missing draft's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewCarry {
    /// The missing draft's path, relative to the desk.
    pub from: String,
    /// Where its review may go, the likely files first (same text, then same name), then by path; empty when
    /// the person may not carry it.
    pub targets: Vec<CarryTarget>,
    /// Why this person may not carry it, as a line for the missing draft (it says the role it needs); `None`
    /// when they may.
    pub refused: Option<String>,
}

impl Desk {
    /// What `person` may do with the review of the missing draft `draft`:
    /// `None` when it is not a missing draft of this desk with a review (there
    /// is nothing to carry). Refuses nothing and changes nothing.
    pub fn review_carry(&self, person: &str, draft: DraftId) -> Result<Option<ReviewCarry>, DeskError> {
        let store = lock(&self.store);
        let Some(missing) = store.draft(draft)?.filter(|d| d.desk_id == self.id && d.missing) else {
            return Ok(None);
        };
        if !store.draft_has_review(missing.id)? {
            return Ok(None);
        }
        let rights = ReviewerRights::on_desk(&store, self.id, || person.to_owned())?;
        if let Err(refusal) = rights.check(Action::CarryReview, None) {
            let refused = Some(refused_line(&missing.path, &refusal));
            return Ok(Some(ReviewCarry { from: missing.path, targets: Vec::new(), refused }));
        }
        let reviewed: HashSet<DraftId> = store.drafts_with_review(self.id)?.into_iter().collect();
        let (name, folder) = (file_name(&missing.path), owner_folder(&missing.path));
        let mut targets: Vec<CarryTarget> = store
            .drafts(self.id)?
            .into_iter()
            .filter(|d| !d.missing && !reviewed.contains(&d.id))
            .map(|d| {
                let hint = if missing.content_hash.is_some() && d.content_hash == missing.content_hash {
                    Some(CarryHint::SameText)
                } else if file_name(&d.path) == name && owner_folder(&d.path) != folder {
                    Some(CarryHint::SameName)
                } else {
                    None
                };
                CarryTarget { draft: d.id, path: d.path, hint }
            })
            .collect();
        // Stable: the drafts come by path, and stay so within each kind.
        targets.sort_by_key(|target| target.hint.map_or(2, |hint| hint as u8));
        Ok(Some(ReviewCarry { from: missing.path, targets, refused: None }))
    }
}

/// The line a person who may not carry a missing draft's review reads on it:
/// where it may have gone, and who may carry it (the refusal's own words for
/// the role it needs).
fn refused_line(from: &str, refusal: &Refused) -> String {
    let Some(needed) = refusal.needed() else { return refusal.to_string() };
    let place = match owner_folder(from) {
        "" => "the desk's top folder".to_owned(),
        folder => format!("{folder}/"),
    };
    format!(
        "Moved out of {place}? Its review stays with this missing draft: someone with the {needed} can carry it to \
         the new file."
    )
}
