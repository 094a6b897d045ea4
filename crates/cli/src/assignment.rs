//! `factdesk assign`, `unassign` and `inbox`: handing a claim or a draft to a
//! person, and what the person acting has been handed or mentioned in.

use crate::sourcing::review_of;
use crate::{find_draft, open_review, print_out};
use clap::{ArgGroup, Args};
use factdesk_core::assignment::{parse_due, AssignmentTarget};
use factdesk_core::inbox::{InboxEntry, InboxKind};
use factdesk_core::review::Review;
use factdesk_core::store::ClaimId;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A claim by its id, or a whole draft by its desk and path.
#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["claim", "draft"])))]
pub struct Target {
    /// The claim's id (as `factdesk claims` lists it).
    #[arg(value_name = "CLAIM_ID")]
    claim: Option<i64>,
    /// A whole draft instead: the folder of drafts (the desk) and the draft's path in it.
    #[arg(long, num_args = 2, value_names = ["DESK", "DRAFT"])]
    draft: Option<Vec<String>>,
}

#[derive(Args)]
pub struct AssignArgs {
    #[command(flatten)]
    target: Target,
    /// Who: a person on the desk (on a team store, their database login).
    #[arg(long, value_name = "NAME")]
    to: String,
    /// When it is due, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
}

fn resolve(db: &Path, target: &Target) -> Result<(Review, AssignmentTarget), String> {
    match (&target.claim, target.draft.as_deref()) {
        (Some(claim), _) => Ok((review_of(db)?, AssignmentTarget::Claim(ClaimId(*claim)))),
        (None, Some([desk, draft])) => {
            let (desk, review) = open_review(db, &PathBuf::from(desk))?;
            let draft = find_draft(&desk, draft)?;
            Ok((review, AssignmentTarget::Draft(draft)))
        }
        _ => Err("say what to assign: a CLAIM_ID, or --draft DESK DRAFT".into()),
    }
}

fn describe(target: AssignmentTarget, args: &Target) -> String {
    match (target, args.draft.as_deref()) {
        (AssignmentTarget::Draft(_), Some([_, path])) => format!("draft {path}"),
        (AssignmentTarget::Draft(draft), _) => format!("draft {draft}"),
        (AssignmentTarget::Claim(claim), _) => format!("claim {claim}"),
    }
}

pub fn assign(db: &Path, args: &AssignArgs) -> Result<(), String> {
    // The date first: a typo should not cost a scan of the folder.
    parse_due(args.due.as_deref()).map_err(|e| e.to_string())?;
    let (review, target) = resolve(db, &args.target)?;
    let assigned = review.assign(target, &args.to, args.due.as_deref()).map_err(|e| e.to_string())?;
    let due = assigned.due.map(|d| format!(", due {d}")).unwrap_or_default();
    eprintln!("factdesk: {} assigned to {}{due}", describe(target, &args.target), assigned.assignee);
    Ok(())
}

pub fn unassign(db: &Path, args: &Target) -> Result<(), String> {
    let (review, target) = resolve(db, args)?;
    review.unassign(target).map_err(|e| e.to_string())?;
    eprintln!("factdesk: {} is no longer assigned", describe(target, args));
    Ok(())
}

/// One entry of `inbox --json`: the command line contract.
#[derive(Serialize)]
struct InboxJson<'a> {
    kind: InboxKind,
    /// The claim's id; null for a whole draft.
    claim: Option<ClaimId>,
    /// The draft's path in its desk.
    draft: &'a str,
    from: &'a str,
    at: &'a str,
    read: bool,
}

impl<'a> From<&'a InboxEntry> for InboxJson<'a> {
    fn from(entry: &'a InboxEntry) -> Self {
        Self {
            kind: entry.kind,
            claim: entry.claim,
            draft: &entry.draft_path,
            from: &entry.from,
            at: &entry.at,
            read: entry.read,
        }
    }
}

pub fn inbox(db: &Path, json: bool) -> Result<(), String> {
    let review = review_of(db)?;
    let entries = review.inbox(None).map_err(|e| e.to_string())?;
    if json {
        let rows: Vec<InboxJson<'_>> = entries.iter().map(InboxJson::from).collect();
        return print_out(&serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?);
    }
    if entries.is_empty() {
        eprintln!("factdesk: nothing in the inbox of {}", review.reviewer());
        return Ok(());
    }
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            let what = e.claim.map_or_else(|| "the draft".to_owned(), |c| format!("claim {c}"));
            let due = e.due.as_deref().map(|d| format!(", due {d}")).unwrap_or_default();
            format!(
                "{} {:<10} {what} of {} from {} at {}{due}",
                if e.read { " " } else { "*" },
                e.kind.as_str(),
                e.draft_path,
                e.from,
                e.at
            )
        })
        .collect();
    print_out(&lines.join("\n"))
}
