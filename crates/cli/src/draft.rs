//! `factdesk draft`: what is done to a draft as a whole, beyond its workflow status.

use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub(crate) enum DraftAction {
    /// Carry a missing draft's review (claims, notes, evidence, history) to a file at another place.
    ///
    /// On a desk with people a scan never carries a review from one owner folder to another: the file at
    /// its new place is recorded as a new draft and the old one stays missing with its review. An editor or
    /// standards editor carries it across with this command (anyone, on a desk without people). A draft
    /// already recorded at TO is retired (kept, missing) unless it has a review of its own, which refuses
    /// the move. The trail records `draft.move`.
    Move {
        /// The folder of drafts (a desk).
        desk: PathBuf,
        /// The missing draft's path relative to the desk, e.g. `bo/story.md`.
        from: String,
        /// The path relative to the desk of the file that is now that draft, e.g. `shared/story.md`.
        to: String,
    },
}

pub(crate) fn run(db: &Path, action: DraftAction) -> Result<(), String> {
    match action {
        DraftAction::Move { desk, from, to } => {
            // The scan first: a file moved by hand is seen gone from FROM and new at TO.
            let (desk, review) = crate::open_review(db, &desk)?;
            let draft = desk.carry_review(review.reviewer(), &from, &to).map_err(|e| e.to_string())?;
            println!("draft {draft} moved from {from} to {to} with its review");
            Ok(())
        }
    }
}
