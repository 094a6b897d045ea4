//! The desk's sourcing rules, run as checks on a draft. Each finding names
//! the rule and the claim or source it is about. An editor may override
//! findings with a reason; the override is recorded with who and when, and
//! a finding it covers is reported as `overridden`, until the writer's edit
//! sends the draft back to needs work: then the override lapses (see
//! [`crate::sourcing::workflow`]).
//!
//! | rule id | what it asks |
//! |---|---|
//! | `unresolved-claim` | no claim still needs corroboration or is disputed |
//! | `unnamed-needs-two-corroborations` | a claim attributed only to unnamed sources has two independent corroborations |
//! | `unnamed-source-incomplete` | every unnamed source has a reason for anonymity, how it knows, and the editor who knows its identity |
//! | `editor-note-required` | a draft relying on unnamed sources has an editor's note |
//! | `anonymity-for-opinion` | no claim marked as opinion or as an attack on a person is attributed to an unnamed source |
//! | `changed-since-ready` | the text has not changed, in ways that matter, since the draft was marked ready or published |
//!
//! `changed-since-ready` says what changed (see [`crate::sourcing::workflow`]);
//! it is not overridden: a reviewer marking the draft ready again, after
//! looking, is what clears it.

use crate::attribution::attributions_of_draft;
use crate::audit::{AuditAction, Entity};
use crate::review::{ClaimStatus, Review, Subject};
use crate::sourcing::corroboration::corroboration_of;
use crate::sourcing::editor_note::{editor_note_of, EditorNoteOrigin};
use crate::sourcing::source::{is_marked, is_opinion, links_of_claim, ClaimFlag, SourceKind, SourceRole, SourceView};
use crate::sourcing::{audit, existing_draft, kebab_enum, required, SourcingError};
use crate::store::{lock, ClaimId, DraftId, OverrideId, SourceId, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;

kebab_enum!(
    /// A sourcing rule.
    RuleId, "rule" {
        /// No claim is still needs-corroboration or disputed without a resolution.
        UnresolvedClaim => "unresolved-claim",
        /// A claim attributed only to unnamed sources needs two independent corroborations.
        UnnamedNeedsTwoCorroborations => "unnamed-needs-two-corroborations",
        /// An unnamed source needs a reason for anonymity, how it knows, and the editor who knows it.
        UnnamedSourceIncomplete => "unnamed-source-incomplete",
        /// A draft relying on unnamed sources needs an editor's note.
        EditorNoteRequired => "editor-note-required",
        /// Anonymity is not granted for opinion.
        AnonymityForOpinion => "anonymity-for-opinion",
        /// The text changed, in ways that matter, since the draft was marked ready or published.
        ChangedSinceReady => "changed-since-ready",
    }
);

impl RuleId {
    /// The rule's one name for people: Draft review's cards, the dashboard's
    /// "Blocked by" chips, the reports' rules tables and the two-source
    /// verdict ("Two-source rule met") all print it, so a rule is never
    /// called two things (usertest: "Two independent corroborations" beside
    /// "Two-source rule"). The window reads them from the generated bindings.
    pub fn label(self) -> &'static str {
        match self {
            Self::UnresolvedClaim => "Unresolved claim",
            Self::UnnamedNeedsTwoCorroborations => "Two-source rule",
            Self::UnnamedSourceIncomplete => "Unnamed source incomplete",
            Self::EditorNoteRequired => "Editor's note required",
            Self::AnonymityForOpinion => "Anonymity for opinion",
            Self::ChangedSinceReady => "Changed since ready",
        }
    }

    /// "Two-source rule (unnamed-needs-two-corroborations)": the label for
    /// people, then the id a user types or finds in `check --json`, as the
    /// Markdown rules table gives them. The command line's findings, the
    /// refusal to mark a draft ready and the dashboard's CSV name a rule so.
    pub fn label_and_id(self) -> String {
        format!("{} ({})", self.label(), self.as_str())
    }

    /// Every rule's label by its id (the window's `RULE_LABELS`).
    pub fn labels() -> std::collections::BTreeMap<Self, &'static str> {
        Self::ALL.iter().map(|rule| (*rule, rule.label())).collect()
    }
}

/// An editor's override, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverrideRecord {
    pub id: OverrideId,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    pub rule: RuleId,
    pub message: String,
    pub claim: Option<ClaimId>,
    pub source: Option<SourceId>,
    /// An editor went ahead despite it.
    pub overridden: bool,
    /// The override that covers it, when there is one.
    #[serde(rename = "override")]
    pub override_record: Option<OverrideRecord>,
}

impl Finding {
    fn new(rule: RuleId, message: String, claim: Option<ClaimId>, source: Option<SourceId>) -> Self {
        Self { rule, message, claim, source, overridden: false, override_record: None }
    }

    fn key(&self) -> (RuleId, Option<ClaimId>, Option<SourceId>) {
        (self.rule, self.claim, self.source)
    }
}

fn describe(source: &SourceView) -> String {
    format!("source {} (\u{201c}{}\u{201d})", source.id, source.descriptor)
}

pub(crate) fn short(quote: &str) -> String {
    let mut chars = quote.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("\u{201c}{head}\u{2026}\u{201d}")
    } else {
        format!("\u{201c}{head}\u{201d}")
    }
}

/// Runs every rule on a draft; findings in rule order, then by claim and source.
pub(crate) fn check_draft(store: &Store, draft: DraftId) -> Result<Vec<Finding>, SourcingError> {
    existing_draft(store, draft)?;
    let mut findings = Vec::new();
    let mut unnamed_sources: Vec<SourceView> = Vec::new();
    let mut relies_on_unnamed = false;
    let attributions = attributions_of_draft(store, draft)?;
    for claim in store.claims_of_draft(draft)? {
        let status: ClaimStatus = claim.status.parse()?;
        let quote = short(&claim.exact);
        // In words, not the status's key: the message is read in Draft review and the reports.
        let unresolved = match status {
            ClaimStatus::NeedsCorroboration => Some("still needs corroboration"),
            ClaimStatus::Disputed => Some("is still disputed"),
            ClaimStatus::Corroborated | ClaimStatus::Unverifiable | ClaimStatus::Cleared => None,
        };
        if let Some(unresolved) = unresolved {
            findings.push(Finding::new(
                RuleId::UnresolvedClaim,
                format!("claim {} {quote} {unresolved}", claim.id),
                Some(claim.id),
                None,
            ));
        }
        let links = links_of_claim(store, claim.id)?;
        let attributed_unnamed =
            links.iter().any(|l| l.role == SourceRole::Attributed && l.source.kind == SourceKind::Unnamed);
        relies_on_unnamed |= attributed_unnamed;
        for link in &links {
            if link.source.kind == SourceKind::Unnamed && !unnamed_sources.iter().any(|s| s.id == link.source.id) {
                unnamed_sources.push(link.source.clone());
            }
        }
        let attribution = attributions.get(&claim.id).ok_or(SourcingError::ClaimNotFound(claim.id))?;
        let corroboration = corroboration_of(store, claim.id, attribution)?;
        if corroboration.blocks_ready {
            findings.push(Finding::new(
                RuleId::UnnamedNeedsTwoCorroborations,
                format!("claim {} {quote} {}", claim.id, corroboration.shortfall()),
                Some(claim.id),
                None,
            ));
        }
        if attributed_unnamed {
            let marked = match (is_opinion(store, claim.id)?, is_marked(store, claim.id, ClaimFlag::PersonalAttack)?) {
                (true, true) => Some("opinion and as an attack on a person"),
                (true, false) => Some("opinion"),
                (false, true) => Some("an attack on a person"),
                (false, false) => None,
            };
            if let Some(marked) = marked {
                findings.push(Finding::new(
                    RuleId::AnonymityForOpinion,
                    format!("claim {} {quote} is marked as {marked} and attributed to an unnamed source", claim.id),
                    Some(claim.id),
                    None,
                ));
            }
        }
    }
    unnamed_sources.sort_by_key(|s| s.id);
    for source in &unnamed_sources {
        let recorded = source.confidential;
        let missing: Vec<&str> = [
            (!recorded.anonymity_reason, "the reason for anonymity"),
            (!recorded.how_known, "how it knows"),
            (!recorded.editor_knows, "the editor who knows its identity"),
        ]
        .into_iter()
        .filter_map(|(is_missing, what)| is_missing.then_some(what))
        .collect();
        if !missing.is_empty() {
            findings.push(Finding::new(
                RuleId::UnnamedSourceIncomplete,
                format!("unnamed {} lacks {}", describe(source), missing.join(", ")),
                None,
                Some(source.id),
            ));
        }
    }
    if relies_on_unnamed && editor_note_of(store, draft)?.origin == EditorNoteOrigin::None {
        findings.push(Finding::new(
            RuleId::EditorNoteRequired,
            "the draft relies on unnamed sources and has no editor's note explaining it".to_owned(),
            None,
            None,
        ));
    }
    if let Some(reason) = crate::sourcing::workflow::pending_change_reason(store, draft)? {
        findings.push(Finding::new(RuleId::ChangedSinceReady, reason, None, None));
    }
    findings.sort_by_key(|f| (f.rule, f.claim, f.source));
    mark_overridden(store, draft, &mut findings)?;
    Ok(findings)
}

fn mark_overridden(store: &Store, draft: DraftId, findings: &mut [Finding]) -> Result<(), SourcingError> {
    for row in store.standing_override_findings(draft)? {
        let record = OverrideRecord { id: row.id, reason: row.reason, by: row.by, at: row.at };
        let (rule, claim, source) = (row.rule, row.claim, row.source);
        // A rule id this version no longer knows covers nothing; nor is a
        // change since ready ever overridden (marking ready again clears it).
        let Ok(rule) = rule.parse::<RuleId>() else { continue };
        if rule == RuleId::ChangedSinceReady {
            continue;
        }
        for finding in findings.iter_mut().filter(|f| f.key() == (rule, claim, source)) {
            // The latest override of a finding is the one shown.
            finding.overridden = true;
            finding.override_record = Some(record.clone());
        }
    }
    Ok(())
}

/// Records one override covering `findings`, with the reason, who and when.
pub(crate) fn record_override(
    store: &Store,
    review: &Review,
    draft: DraftId,
    reason: &str,
    findings: &[Finding],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<OverrideId, SourcingError> {
    let reason = required(reason, "override's reason")?;
    if findings.is_empty() {
        return Err(SourcingError::Invalid("there are no findings to override".to_owned()));
    }
    let id = store.insert_override(draft, &reason, review.reviewer(), at)?;
    for finding in findings {
        store.insert_override_finding(id, finding.rule.as_str(), finding.claim, finding.source)?;
    }
    let covered: Vec<_> = findings
        .iter()
        .map(|f| json!({ "rule": f.rule.as_str(), "claim": f.claim, "source": f.source, "message": f.message }))
        .collect();
    audit(
        store,
        review,
        at,
        AuditAction::RulesOverride,
        Entity::Draft(draft),
        None,
        Some(json!({ "override": id, "reason": reason, "findings": covered })),
    )?;
    Ok(id)
}

impl Review {
    /// Runs the desk's sourcing rules on a draft.
    pub fn check(&self, draft: DraftId) -> Result<Vec<Finding>, SourcingError> {
        let store = lock(self.store());
        self.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
        check_draft(&store, draft)
    }

    /// Overrides findings of a draft with a reason (those the rules still
    /// report; others are refused), recorded with who and when.
    pub fn override_findings(
        &self,
        draft: DraftId,
        reason: &str,
        findings: &[Finding],
    ) -> Result<OverrideId, SourcingError> {
        let store = lock(self.store());
        let now = self.now();
        self.write_as(&store, crate::rights::Action::OverrideFinding, Subject::Draft(draft), |store| {
            if findings.iter().any(|f| f.rule == RuleId::ChangedSinceReady) {
                return Err(SourcingError::Invalid(
                    "a change since ready is not overridden: look at what changed, then mark the draft ready again"
                        .to_owned(),
                ));
            }
            let current = check_draft(store, draft)?;
            if let Some(stale) = findings.iter().find(|f| !current.iter().any(|c| c.key() == f.key())) {
                return Err(SourcingError::Invalid(format!(
                    "the rules no longer report [{}] {}; check again",
                    stale.rule.as_str(),
                    stale.message
                )));
            }
            record_override(store, self, draft, reason, findings, now)
        })
    }
}
