//! The desk at a glance: every draft with where it stands in the workflow,
//! its claims by status, its unnamed share, what blocks it from being
//! ready, and when its text last changed; desk totals and charts.
//!
//! Built from the same report model as the exports ([`crate::report::gather_as`]
//! under the desk profile, so nothing confidential is read) and the same
//! workflow overview as the drafts list, so every number is the one the
//! reports and the inspector give. The charts are the HTML report's SVG.

use crate::report::{self, chart, csv, DraftReport, GatherOptions, ReportError, Scope, Summary};
use crate::review::{ClaimStatus, Review};
use crate::sourcing::rules::RuleId;
use crate::sourcing::workflow::{ClaimCounts, DraftStatus};
use crate::store::assignments::AssignmentTarget;
use crate::store::{lock, ClaimId, DeskId, DraftId};
use serde::{Deserialize, Serialize};

/// A finding of the sourcing rules that stands between a draft and *ready* (not overridden).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Blocker {
    /// The rule's id, e.g. `unnamed-needs-two-corroborations`.
    pub rule: String,
    pub message: String,
    /// The claim it is about, if any.
    pub claim: Option<ClaimId>,
}

/// One draft on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DashboardRow {
    pub draft: DraftId,
    pub title: String,
    pub path: String,
    /// The file is gone; the review is kept.
    pub missing: bool,
    pub status: DraftStatus,
    pub changed_since_ready: bool,
    pub change_reason: Option<String>,
    pub claims: ClaimCounts,
    /// Claims that cannot be placed with certainty on the current text.
    pub needs_attention: u32,
    /// Claims attributed to unnamed sources over all claims (0 without claims).
    pub unnamed_share: f64,
    /// What blocks it from being marked ready.
    pub blockers: Vec<Blocker>,
    /// When Factdesk first read its current text (UTC RFC 3339), if it has one.
    pub text_changed_at: Option<String>,
    /// Its claims by status as a thin bar (the desk report's SVG, counts only).
    pub status_bar_svg: String,
    /// Who the whole draft is assigned to, if anyone.
    pub assignee: Option<String>,
    /// Who its live claims are assigned to, with how many each, by name: a draft whose claims are handed out
    /// is not unassigned.
    pub claim_assignees: Vec<ClaimAssignees>,
}

/// A person some of a draft's claims are assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimAssignees {
    pub person: String,
    pub claims: u32,
}

/// How many drafts are in one workflow status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WorkflowCount {
    pub status: DraftStatus,
    pub drafts: u32,
}

/// The desk's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeskTotals {
    pub drafts: u32,
    /// Every workflow status, in workflow order.
    pub by_workflow: Vec<WorkflowCount>,
    pub claims: ClaimCounts,
    pub needs_attention: u32,
    pub unnamed_share: f64,
    /// Drafts with at least one blocker.
    pub blocked_drafts: u32,
}

/// The dashboard: a row per draft, the totals and the desk's charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeskDashboard {
    pub rows: Vec<DashboardRow>,
    pub totals: DeskTotals,
    /// All claims by status, with a legend (the report's chart).
    pub status_chart_svg: String,
    /// All claims by attribution (the report's sourcing-mix chart).
    pub sourcing_chart_svg: String,
}

impl Review {
    /// The dashboard of a desk. Reads only (claims are placed as the reports place them).
    pub fn desk_dashboard(&self, desk: DeskId) -> Result<DeskDashboard, ReportError> {
        let report = report::gather_as(self, Scope::Desk(desk), &GatherOptions::default())?;
        let overview = self.desk_overview(desk).map_err(ReportError::from)?;
        let mut rows = Vec::with_capacity(report.drafts.len());
        for draft in &report.drafts {
            let summary = Summary::of(draft);
            let found = overview.iter().find(|o| o.draft == draft.id);
            // Both read under one lock of the store, let go here: a guard held by a temporary of the row's
            // expression would still hold it at the second `lock`.
            let (assignee, claim_assignees) = {
                let store = lock(self.store());
                let assignee = store.live_assignment(AssignmentTarget::Draft(draft.id))?.map(|a| a.assignee);
                let claim_assignees: Vec<ClaimAssignees> = store
                    .claim_assignees_of_draft(draft.id)?
                    .into_iter()
                    .map(|(person, claims)| ClaimAssignees {
                        person,
                        claims: u32::try_from(claims).unwrap_or(u32::MAX),
                    })
                    .collect();
                (assignee, claim_assignees)
            };
            rows.push(DashboardRow {
                draft: draft.id,
                title: draft.title.clone(),
                path: draft.file.clone(),
                missing: draft.missing,
                status: found.map_or(DraftStatus::InReview, |o| o.status),
                changed_since_ready: found.is_some_and(|o| o.changed_since_ready),
                change_reason: found.and_then(|o| o.change_reason.clone()),
                claims: found.map(|o| o.claims.clone()).unwrap_or_default(),
                needs_attention: count(summary.needs_attention),
                unnamed_share: summary.unnamed_share,
                blockers: draft
                    .findings
                    .iter()
                    .filter(|f| f.overridden.is_none())
                    .map(|f| Blocker { rule: f.rule.clone(), message: f.message.clone(), claim: f.claim })
                    .collect(),
                text_changed_at: draft.version.as_ref().map(|v| v.first_seen_at.clone()),
                status_bar_svg: chart::mini_status_bar(&summary),
                assignee,
                claim_assignees,
            });
        }
        let whole = whole_desk(&report.drafts);
        let totals = DeskTotals {
            drafts: count(rows.len()),
            by_workflow: DraftStatus::ALL
                .iter()
                .map(|status| WorkflowCount {
                    status: *status,
                    drafts: count(rows.iter().filter(|r| r.status == *status).count()),
                })
                .collect(),
            claims: ClaimCounts {
                total: count(whole.claims),
                needs_corroboration: count(whole.count(ClaimStatus::NeedsCorroboration)),
                corroborated: count(whole.count(ClaimStatus::Corroborated)),
                disputed: count(whole.count(ClaimStatus::Disputed)),
                unverifiable: count(whole.count(ClaimStatus::Unverifiable)),
                cleared: count(whole.count(ClaimStatus::Cleared)),
            },
            needs_attention: count(whole.needs_attention),
            unnamed_share: whole.unnamed_share,
            blocked_drafts: count(rows.iter().filter(|r| !r.blockers.is_empty()).count()),
        };
        Ok(DeskDashboard {
            rows,
            totals,
            status_chart_svg: chart::status_bar(&whole),
            sourcing_chart_svg: chart::sourcing_mix(&whole),
        })
    }
}

/// The columns of the dashboard's CSV, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "draft",
    "title",
    "workflow_status",
    "changed_since_ready",
    "claims",
    "needs_corroboration",
    "corroborated",
    "disputed",
    "unverifiable",
    "cleared",
    "needs_attention",
    "unnamed_share",
    "blocked_by",
    "text_changed_at",
    "file_missing",
    "assignee",
];

impl DeskDashboard {
    /// The dashboard as CSV (RFC 4180, formulas neutralised as in the CSV
    /// report): a header of [`CSV_COLUMNS`], then the rows of `drafts` in
    /// that order (the window passes the rows it shows, sorted and filtered
    /// as the editor left them), or every row when `drafts` is `None`. The
    /// blockers are the rules' labels, ids and messages, one per line of the
    /// cell ("Two-source rule (unnamed-needs-two-corroborations): claim 4 …").
    pub fn to_csv(&self, drafts: Option<&[DraftId]>) -> String {
        let rows: Vec<&DashboardRow> = match drafts {
            Some(ids) => ids.iter().filter_map(|id| self.rows.iter().find(|r| r.draft == *id)).collect(),
            None => self.rows.iter().collect(),
        };
        let mut out = CSV_COLUMNS.join(",");
        out.push_str("\r\n");
        for row in rows {
            let blocked_by: Vec<String> = row
                .blockers
                .iter()
                .map(|b| {
                    // A blocker's rule is always one of the desk's; an unknown id is still shown, as it is.
                    let rule = b.rule.parse::<RuleId>().map_or_else(|_| b.rule.clone(), RuleId::label_and_id);
                    format!("{rule}: {}", b.message)
                })
                .collect();
            let cells = [
                row.path.clone(),
                row.title.clone(),
                row.status.as_str().to_owned(),
                row.changed_since_ready.to_string(),
                row.claims.total.to_string(),
                row.claims.needs_corroboration.to_string(),
                row.claims.corroborated.to_string(),
                row.claims.disputed.to_string(),
                row.claims.unverifiable.to_string(),
                row.claims.cleared.to_string(),
                row.needs_attention.to_string(),
                format!("{:.3}", row.unnamed_share),
                blocked_by.join("\n"),
                row.text_changed_at.clone().unwrap_or_default(),
                row.missing.to_string(),
                row.assignee.clone().unwrap_or_default(),
            ];
            let cells: Vec<String> = cells.iter().map(|cell| csv::field(cell)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// The summary of every claim of the desk, as if one draft held them all.
fn whole_desk(drafts: &[DraftReport]) -> Summary {
    Summary::of(&DraftReport {
        claims: drafts.iter().flat_map(|d| d.claims.iter().cloned()).collect(),
        findings: drafts.iter().flat_map(|d| d.findings.iter().cloned()).collect(),
        ..empty_draft()
    })
}

fn empty_draft() -> DraftReport {
    DraftReport {
        id: DraftId(0),
        title: String::new(),
        file: String::new(),
        format: None,
        missing: false,
        version: None,
        reviewers: Vec::new(),
        workflow_status: None,
        editors_note: None,
        claims: Vec::new(),
        sources: Vec::new(),
        notes: Vec::new(),
        findings: Vec::new(),
        since_publication: None,
        text: None,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
