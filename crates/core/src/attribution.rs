//! How a claim is attributed: one answer for the claim inspector, the
//! claims × sources matrix and every report.
//!
//! From the sources the reviewer linked to the claim as *attributed* when
//! there are any (unnamed when every one of them is unnamed, else the kind of
//! the first one that is not); otherwise read from the draft's wording, by
//! the suggestion engine, in the sentence that holds the claim on the current
//! version (or, for a claim that cannot be placed, as read when it was
//! tagged). Each answer says which of the two it is, so a reader can tell a
//! reviewer's decision from a reading of the text.
//!
//! It sits under the claims ([`crate::review`]: each claim is shown with its
//! attribution) and the sourcing modules (which keep the register of sources,
//! whose [`SourceKind`] decides it), so both read the one answer.

use crate::names::kebab_enum;
use crate::store::{ClaimId, ClaimRecord, DraftId, Store, StoreError};
use crate::suggest::{self, AttributionKind as WordingKind, Suggestion};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

kebab_enum!(
    /// What kind of source it is.
    SourceKind, "source kind" {
        /// A person named in the draft.
        NamedPerson => "named-person",
        /// A person the draft does not name ("a senior Western diplomat").
        Unnamed => "unnamed",
        Document => "document",
        OfficialStatement => "official-statement",
        PublicRecord => "public-record",
        MediaReport => "media-report",
        /// Social media posts or video.
        SocialMedia => "social-media",
        Other => "other",
    }
);

kebab_enum!(
    /// Who or what a claim is attributed to.
    AttributedTo, "attribution" {
        /// A person named in the draft.
        Named => "named",
        /// People the draft does not name.
        Unnamed => "unnamed",
        Document => "document",
        OfficialStatement => "official-statement",
        PublicRecord => "public-record",
        MediaReport => "media-report",
        SocialMedia => "social-media",
        Other => "other",
        /// Not attributed: the draft states it.
        None => "none",
    }
);

impl AttributedTo {
    /// For people: "official statement", "not attributed".
    pub fn label(self) -> &'static str {
        match self {
            Self::Named => "named",
            Self::Unnamed => "unnamed",
            Self::Document => "document",
            Self::OfficialStatement => "official statement",
            Self::PublicRecord => "public record",
            Self::MediaReport => "media report",
            Self::SocialMedia => "social media",
            Self::Other => "other",
            Self::None => "not attributed",
        }
    }

    pub(crate) fn of_source(kind: SourceKind) -> Self {
        match kind {
            SourceKind::NamedPerson => Self::Named,
            SourceKind::Unnamed => Self::Unnamed,
            SourceKind::Document => Self::Document,
            SourceKind::OfficialStatement => Self::OfficialStatement,
            SourceKind::PublicRecord => Self::PublicRecord,
            SourceKind::MediaReport => Self::MediaReport,
            SourceKind::SocialMedia => Self::SocialMedia,
            SourceKind::Other => Self::Other,
        }
    }

    fn of_wording(kind: WordingKind) -> Self {
        match kind {
            WordingKind::Anonymous => Self::Unnamed,
            WordingKind::Named => Self::Named,
            WordingKind::Document => Self::Document,
            WordingKind::None => Self::None,
        }
    }
}

kebab_enum!(
    /// Where a claim's attribution comes from.
    AttributionFrom, "attribution basis" {
        /// The sources the reviewer linked to the claim as attributed.
        Sources => "sources",
        /// The draft's wording ("sources say", "according to the minutes"), as the suggestion engine reads it.
        Wording => "wording",
    }
);

/// A claim's attribution, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimAttribution {
    pub kind: AttributedTo,
    pub from: AttributionFrom,
    /// The words in the draft that attribute it, when the wording has any.
    pub cue: Option<String>,
}

impl ClaimAttribution {
    /// "unnamed (“Sources in”), read from the wording", as the reports and the CLI put it.
    pub fn describe(&self) -> String {
        let cue = self.cue.as_deref().map(|c| format!(" (\u{201c}{c}\u{201d})")).unwrap_or_default();
        let from = match self.from {
            AttributionFrom::Sources => "from its sources",
            AttributionFrom::Wording => "read from the wording",
        };
        format!("{}{cue}, {from}", self.kind.label())
    }
}

/// The attribution of every claim of `draft`, on its current version: the
/// one function the inspector's data, the matrix and the reports use.
pub(crate) fn attributions_of_draft(
    store: &Store,
    draft: DraftId,
) -> Result<HashMap<ClaimId, ClaimAttribution>, StoreError> {
    let current = store.draft(draft)?.and_then(|d| d.current_version);
    let text = match current {
        Some(version) => store.version(version)?.map(|v| v.text).unwrap_or_default(),
        None => String::new(),
    };
    // One query per kind for the whole draft, not one per claim (a round trip each on a team store).
    let mut attributed: HashMap<ClaimId, Vec<SourceKind>> = HashMap::new();
    for (claim, kind) in store.attributed_source_kinds_of_draft(draft)? {
        let kind = kind.parse().map_err(|_| StoreError::Malformed(format!("source kind {kind:?}")))?;
        attributed.entry(claim).or_default().push(kind);
    }
    let placements: HashMap<ClaimId, (u32, u32)> = match current {
        Some(version) => store
            .anchors_at_version(version)?
            .into_iter()
            .filter_map(|a| Some((a.claim_id, a.start.zip(a.end)?)))
            .collect(),
        None => HashMap::new(),
    };
    // The engine reads the text once per draft, and only when a claim needs it.
    let mut read: Option<Vec<Suggestion>> = None;
    let mut found = HashMap::new();
    for claim in store.claims_of_draft(draft)? {
        let wording = match placements.get(&claim.id) {
            Some(&(start, end)) if !text.is_empty() => {
                let sentences = read.get_or_insert_with(|| suggest::suggest(&text));
                sentence_at(sentences, start, end).map(|s| s.attribution.clone())
            }
            _ => None,
        }
        .or_else(|| as_tagged(&claim));
        let kinds = attributed.remove(&claim.id).unwrap_or_default();
        found.insert(claim.id, attribution(&kinds, wording));
    }
    Ok(found)
}

/// A claim's attribution from the kinds of its attributed sources (in the
/// order they were linked) and what the wording says.
fn attribution(attributed: &[SourceKind], wording: Option<suggest::Attribution>) -> ClaimAttribution {
    let cue = wording.as_ref().and_then(|w| w.cue.clone());
    let Some(first) = attributed.first() else {
        return ClaimAttribution {
            kind: wording.map_or(AttributedTo::None, |w| AttributedTo::of_wording(w.kind)),
            from: AttributionFrom::Wording,
            cue,
        };
    };
    let kind = if attributed.iter().all(|k| *k == SourceKind::Unnamed) {
        AttributedTo::Unnamed
    } else {
        AttributedTo::of_source(*attributed.iter().find(|k| **k != SourceKind::Unnamed).unwrap_or(first))
    };
    ClaimAttribution { kind, from: AttributionFrom::Sources, cue }
}

/// The attribution recorded when the claim was tagged from a suggestion.
fn as_tagged(claim: &ClaimRecord) -> Option<suggest::Attribution> {
    let kind = WordingKind::from_name(claim.attribution.as_deref()?)?;
    Some(suggest::Attribution { kind, cue: claim.attribution_cue.clone() })
}

/// The sentence holding a claim at `start..end` (code points), if the engine read one there.
fn sentence_at(sentences: &[Suggestion], start: u32, end: u32) -> Option<&Suggestion> {
    let (start, end) = (start as usize, end as usize);
    sentences.iter().find(|s| s.start < end.max(start + 1) && start < s.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SourceKind as Kind;

    fn wording(kind: WordingKind, cue: &str) -> Option<suggest::Attribution> {
        Some(suggest::Attribution { kind, cue: Some(cue.to_owned()) })
    }

    #[test]
    fn linked_sources_decide_and_the_wording_fills_in() {
        let unnamed = attribution(&[Kind::Unnamed], wording(WordingKind::Anonymous, "Sources in"));
        assert_eq!(
            (unnamed.kind, unnamed.from, unnamed.cue.as_deref()),
            (AttributedTo::Unnamed, AttributionFrom::Sources, Some("Sources in"))
        );
        let mixed = attribution(&[Kind::Unnamed, Kind::OfficialStatement], None);
        assert_eq!((mixed.kind, mixed.from), (AttributedTo::OfficialStatement, AttributionFrom::Sources));
        let read = attribution(&[], wording(WordingKind::Anonymous, "Sources in"));
        assert_eq!((read.kind, read.from), (AttributedTo::Unnamed, AttributionFrom::Wording));
        assert_eq!(read.describe(), "unnamed (\u{201c}Sources in\u{201d}), read from the wording");
        let nothing = attribution(&[], None);
        assert_eq!((nothing.kind, nothing.from, nothing.cue), (AttributedTo::None, AttributionFrom::Wording, None));
    }
}
