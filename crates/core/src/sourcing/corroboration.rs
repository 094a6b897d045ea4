//! How well each claim is corroborated, and the claims × sources matrix of a
//! draft that shows it at a glance.
//!
//! Counting, as a standards desk does: each source linked to a claim is one
//! source; evidence counts as an independent source only when the reviewer
//! marked it independent of the attributed source, and an unnamed source
//! never vouches for itself. The two-source rule is the desk's rule
//! `unnamed-needs-two-corroborations` (AP, NYT): a claim attributed only to
//! unnamed sources needs two independent corroborations (corroborating
//! sources or independent evidence). It asks nothing of any other claim: one
//! with no source linked as attributed, or attributed to an on-the-record
//! source (named, a document, a statement…); there the verdict says the rule
//! does not apply and why, never "not met", which a reader of a report takes
//! for an open problem (usertest F9). The counts are kept for every claim
//! (`needed` still counts an on-the-record source as the first of two).
//!
//! `corroboration_of` is the one place this is decided: the claim
//! inspector, the claims × sources matrix, the rules (Draft review, `check`),
//! `matrix --json` and every report read its [`Corroboration`], verdict and
//! wording included, so no two surfaces can disagree.

use super::evidence::{evidence_of_claim, Stance};
use super::source::{is_opinion, links_of_claim, SourceKind, SourceRole, SourceView};
use super::{desk_of_claim, existing_draft, SourcingError};
use crate::attribution::{attributions_of_draft, AttributedTo, AttributionFrom, ClaimAttribution};
use crate::review::{ClaimStatus, Review};
use crate::sourcing::rules::RuleId;
use crate::store::{lock, ClaimId, DraftId, SourceId, Store};
use serde::{Deserialize, Serialize};

/// The sources the two-source rule asks for.
pub const TWO_SOURCES: u32 = 2;

/// Where a claim stands with the two-source rule: the three marks of the
/// matrix and the three kinds of sentence of [`Corroboration::verdict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum TwoSourceRule {
    /// Attributed only to unnamed sources, with the independent corroborations the rule asks.
    Met,
    /// Attributed only to unnamed sources, without them: the rule holds the draft back from ready.
    NotMet,
    /// Not attributed only to unnamed sources: the rule asks nothing of the claim.
    DoesNotApply,
}

/// A claim's corroboration, and the two-source verdict every surface shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Corroboration {
    pub claim: ClaimId,
    /// Sources the draft attributes the claim to.
    pub attributed: u32,
    /// Attributed to sources that are all unnamed (and at least one).
    pub attributed_only_to_unnamed: bool,
    /// Corroborating sources plus independent supporting evidence.
    pub independent_corroborations: u32,
    /// Supporting evidence not independent of the attributed source.
    pub dependent_evidence: u32,
    /// Contradicting sources and evidence.
    pub contradicting: u32,
    /// Independent corroborations that would make two sources: two, less
    /// one for each attributed source that is not unnamed (the rule asks
    /// them only where it applies).
    pub needed: u32,
    /// Where the claim stands with the two-source rule.
    pub rule: TwoSourceRule,
    /// The two-source rule applies and is met (`rule` is `Met`).
    pub two_source_rule: bool,
    /// The desk's rules hold the draft back from ready over it (the claim is
    /// attributed only to unnamed sources and the rule does not hold).
    pub blocks_ready: bool,
    /// The verdict in words, as every surface prints it.
    pub verdict: String,
}

impl Corroboration {
    /// "attributed only to unnamed sources and has 1 independent corroboration
    /// of the 2 needed": what is missing, as a predicate of the claim (the
    /// rule finding reads "claim 4 “…” is …").
    pub fn shortfall(&self) -> String {
        let has = format!(
            "{} independent corroboration{} of the {} needed",
            self.independent_corroborations,
            if self.independent_corroborations == 1 { "" } else { "s" },
            self.needed
        );
        if self.attributed_only_to_unnamed {
            format!("is attributed only to unnamed sources and has {has}")
        } else {
            format!("has {has}")
        }
    }
}

/// The two-source verdict from the counts: the one definition.
fn verdict(counts: Counts) -> Corroboration {
    let Counts {
        claim,
        attributed,
        attributed_not_unnamed,
        independent_corroborations,
        dependent_evidence,
        contradicting,
        wording_unnamed,
    } = counts;
    let attributed_only_to_unnamed = attributed > 0 && attributed_not_unnamed == 0;
    let needed = TWO_SOURCES.saturating_sub(attributed_not_unnamed.min(TWO_SOURCES));
    let rule = match (attributed_only_to_unnamed, independent_corroborations >= needed) {
        (false, _) => TwoSourceRule::DoesNotApply,
        (true, true) => TwoSourceRule::Met,
        (true, false) => TwoSourceRule::NotMet,
    };
    let mut corroboration = Corroboration {
        claim,
        attributed,
        attributed_only_to_unnamed,
        independent_corroborations,
        dependent_evidence,
        contradicting,
        needed,
        rule,
        two_source_rule: rule == TwoSourceRule::Met,
        blocks_ready: rule == TwoSourceRule::NotMet,
        verdict: String::new(),
    };
    let rule_name = RuleId::UnnamedNeedsTwoCorroborations.label();
    corroboration.verdict = match rule {
        TwoSourceRule::Met => format!("{rule_name} met"),
        TwoSourceRule::NotMet => {
            let shortfall = corroboration.shortfall();
            let shortfall = shortfall.strip_prefix("is ").unwrap_or(&shortfall);
            format!("{rule_name} not met: {shortfall}")
        }
        // The wording says "sources tell" and no source is linked yet: the rule will apply once the reviewer links
        // them, so the verdict says what to do, not a "does not apply" that reads as nothing to do (usertest).
        TwoSourceRule::DoesNotApply if attributed == 0 && wording_unnamed => {
            format!("{rule_name} does not apply yet: link the unnamed sources the wording names as attributed")
        }
        TwoSourceRule::DoesNotApply if attributed == 0 => {
            format!("{rule_name} does not apply: no source is linked as attributed")
        }
        TwoSourceRule::DoesNotApply => format!("{rule_name} does not apply: attributed to an on-the-record source"),
    };
    corroboration
}

#[derive(Debug, Clone, Copy)]
struct Counts {
    claim: ClaimId,
    attributed: u32,
    attributed_not_unnamed: u32,
    independent_corroborations: u32,
    dependent_evidence: u32,
    contradicting: u32,
    /// The draft's wording attributes the claim to unnamed sources ("sources tell"), as the suggestion engine reads it.
    wording_unnamed: bool,
}

/// One claim's row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MatrixRow {
    pub claim: ClaimId,
    pub status: ClaimStatus,
    pub opinion: bool,
    /// The claim's text as tagged.
    pub quote: String,
    /// The role of each of the matrix's sources for this claim, in the
    /// order of [`SourcingMatrix::sources`]; `null` where it has none.
    pub roles: Vec<Option<SourceRole>>,
    pub evidence: u32,
    /// How the claim is attributed (the same answer as the inspector and the reports).
    pub attribution: ClaimAttribution,
    pub corroboration: Corroboration,
}

/// Claims × sources for one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourcingMatrix {
    pub draft: DraftId,
    /// Every source linked to at least one of the draft's claims.
    pub sources: Vec<SourceView>,
    pub rows: Vec<MatrixRow>,
}

/// A claim's corroboration and two-source verdict: the one definition every
/// surface reads. `attribution` is the claim's (from
/// [`attributions_of_draft`]): where no source is linked, the wording decides
/// what the verdict tells the reviewer to do.
pub(crate) fn corroboration_of(
    store: &Store,
    claim: ClaimId,
    attribution: &ClaimAttribution,
) -> Result<Corroboration, SourcingError> {
    let links = links_of_claim(store, claim)?;
    let evidence = evidence_of_claim(store, claim)?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let attributed: Vec<_> = links.iter().filter(|l| l.role == SourceRole::Attributed).collect();
    let corroborating = links.iter().filter(|l| l.role == SourceRole::Corroborates).count();
    let contradicting_sources = links.iter().filter(|l| l.role == SourceRole::Contradicts).count();
    let supporting = evidence.iter().filter(|e| e.stance == Stance::Supports);
    let independent_evidence = supporting.clone().filter(|e| e.independent).count();
    let dependent_evidence = supporting.filter(|e| !e.independent).count();
    let contradicting_evidence = evidence.iter().filter(|e| e.stance == Stance::Contradicts).count();
    Ok(verdict(Counts {
        claim,
        attributed: count(attributed.len()),
        attributed_not_unnamed: count(attributed.iter().filter(|l| l.source.kind != SourceKind::Unnamed).count()),
        independent_corroborations: count(corroborating + independent_evidence),
        dependent_evidence: count(dependent_evidence),
        contradicting: count(contradicting_sources + contradicting_evidence),
        wording_unnamed: attribution.from == AttributionFrom::Wording && attribution.kind == AttributedTo::Unnamed,
    }))
}

/// One live claim's attribution (the engine's reading of its draft's text is kept per text).
pub(crate) fn attribution_of_claim(store: &Store, claim: ClaimId) -> Result<ClaimAttribution, SourcingError> {
    let record = store.claim(claim)?.ok_or(SourcingError::ClaimNotFound(claim))?;
    Ok(crate::attribution::attribution_of_claim(store, &record)?)
}

pub(crate) fn matrix_of(store: &Store, draft: DraftId) -> Result<SourcingMatrix, SourcingError> {
    existing_draft(store, draft)?;
    let mut sources: Vec<SourceView> = Vec::new();
    let mut rows = Vec::new();
    let mut links_by_claim = Vec::new();
    for claim in store.claims_of_draft(draft)? {
        let links = links_of_claim(store, claim.id)?;
        for link in &links {
            if !sources.iter().any(|s| s.id == link.source.id) {
                sources.push(link.source.clone());
            }
        }
        links_by_claim.push((claim, links));
    }
    sources.sort_by_key(|s| s.id);
    let mut attributions = attributions_of_draft(store, draft)?;
    for (claim, links) in links_by_claim {
        let role_of = |source: SourceId| links.iter().find(|l| l.source.id == source).map(|l| l.role);
        let attribution = attributions.remove(&claim.id).ok_or(SourcingError::ClaimNotFound(claim.id))?;
        rows.push(MatrixRow {
            claim: claim.id,
            status: claim.status.parse()?,
            opinion: is_opinion(store, claim.id)?,
            quote: claim.exact,
            roles: sources.iter().map(|s| role_of(s.id)).collect(),
            evidence: u32::try_from(evidence_of_claim(store, claim.id)?.len()).unwrap_or(u32::MAX),
            corroboration: corroboration_of(store, claim.id, &attribution)?,
            attribution,
        });
    }
    Ok(SourcingMatrix { draft, sources, rows })
}

impl Review {
    /// How well a claim is corroborated.
    pub fn corroboration(&self, claim: ClaimId) -> Result<Corroboration, SourcingError> {
        let store = lock(self.store());
        desk_of_claim(&store, claim)?;
        self.require_on_claim(&store, claim, crate::rights::Action::ReadClaims)?;
        corroboration_of(&store, claim, &attribution_of_claim(&store, claim)?)
    }

    /// The claims × sources matrix of a draft, claims in the order they were tagged.
    pub fn sourcing_matrix(&self, draft: DraftId) -> Result<SourcingMatrix, SourcingError> {
        let store = lock(self.store());
        self.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
        matrix_of(&store, draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(attributed: u32, attributed_not_unnamed: u32, independent: u32) -> Corroboration {
        verdict(raw(attributed, attributed_not_unnamed, independent))
    }

    #[test]
    fn an_unnamed_source_does_not_count_towards_its_own_corroboration() {
        // The case of issue 19: one unnamed source and one independent photo.
        let one_photo = counts(1, 0, 1);
        assert!(!one_photo.two_source_rule);
        assert!(one_photo.blocks_ready);
        assert_eq!(one_photo.needed, 2);
        assert_eq!(
            one_photo.verdict,
            "Two-source rule not met: attributed only to unnamed sources and has 1 independent corroboration of the 2 needed"
        );
        let two = counts(1, 0, 2);
        assert!(two.two_source_rule && !two.blocks_ready);
        assert_eq!((two.rule, two.verdict.as_str()), (TwoSourceRule::Met, "Two-source rule met"));
    }

    #[test]
    fn a_named_source_is_the_first_of_two() {
        let named_alone = counts(1, 1, 0);
        assert_eq!((named_alone.needed, named_alone.two_source_rule, named_alone.blocks_ready), (1, false, false));
        // The rule asks nothing of it: never "not met" (usertest F9).
        assert_eq!(named_alone.rule, TwoSourceRule::DoesNotApply);
        assert_eq!(named_alone.verdict, "Two-source rule does not apply: attributed to an on-the-record source");
        assert_eq!(counts(1, 1, 1).rule, TwoSourceRule::DoesNotApply);
        // A named and an unnamed source: not only unnamed, so the rule does not apply.
        assert_eq!(counts(2, 1, 0).rule, TwoSourceRule::DoesNotApply);
        // Unattributed: no rule blocks it, whatever its counts.
        let stated = counts(0, 0, 1);
        assert_eq!((stated.needed, stated.rule, stated.blocks_ready), (2, TwoSourceRule::DoesNotApply, false));
        assert_eq!(stated.verdict, "Two-source rule does not apply: no source is linked as attributed");
    }

    #[test]
    fn a_claim_the_wording_gives_to_unnamed_sources_says_to_link_them() {
        let read = verdict(Counts { wording_unnamed: true, ..raw(0, 0, 0) });
        assert_eq!((read.rule, read.blocks_ready), (TwoSourceRule::DoesNotApply, false));
        assert_eq!(
            read.verdict,
            "Two-source rule does not apply yet: link the unnamed sources the wording names as attributed"
        );
        // Once a source is linked, the links decide and the wording is not read.
        let linked = verdict(Counts { wording_unnamed: true, ..raw(1, 1, 0) });
        assert_eq!(linked.verdict, "Two-source rule does not apply: attributed to an on-the-record source");
    }

    fn raw(attributed: u32, attributed_not_unnamed: u32, independent: u32) -> Counts {
        Counts {
            claim: ClaimId(1),
            attributed,
            attributed_not_unnamed,
            independent_corroborations: independent,
            dependent_evidence: 0,
            contradicting: 0,
            wording_unnamed: false,
        }
    }
}
