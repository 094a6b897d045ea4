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
use crate::store::{ClaimId, ClaimRecord, DraftId, Store, StoreError, VersionId};
use crate::suggest::{self, AttributionKind as WordingKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

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
    // One query per kind for the whole draft, not one per claim (a round trip each on a team store).
    let mut attributed: HashMap<ClaimId, Vec<SourceKind>> = HashMap::new();
    for (claim, kind) in store.attributed_source_kinds_of_draft(draft)? {
        attributed.entry(claim).or_default().push(parse_kind(&kind)?);
    }
    let placements: HashMap<ClaimId, (u32, u32)> = match current {
        Some(version) => store
            .anchors_at_version(version)?
            .into_iter()
            .filter_map(|a| Some((a.claim_id, a.start.zip(a.end)?)))
            .collect(),
        None => HashMap::new(),
    };
    // The engine's reading of the text, fetched once per draft, and only when a claim needs it.
    let mut read: Option<Option<Arc<Reading>>> = None;
    let mut found = HashMap::new();
    for claim in store.claims_of_draft(draft)? {
        let wording = match (placements.get(&claim.id), current) {
            (Some(&(start, end)), Some(version)) => {
                if read.is_none() {
                    read = Some(reading_of_version(store, version)?);
                }
                read.as_ref().and_then(|r| r.as_ref()?.attribution_at(start, end))
            }
            _ => None,
        }
        .or_else(|| as_tagged(&claim));
        let kinds = attributed.remove(&claim.id).unwrap_or_default();
        found.insert(claim.id, attribution(&kinds, wording));
    }
    Ok(found)
}

/// One claim's attribution: the answer [`attributions_of_draft`] gives for
/// it, from that claim's sources and placement alone. The inspector asks it
/// of each claim opened; the engine's reading of the draft's text is kept
/// per text (see [`reading`]), found by the version's content hash, so
/// opening claims one after another reads the text once, not once per claim.
pub(crate) fn attribution_of_claim(store: &Store, claim: &ClaimRecord) -> Result<ClaimAttribution, StoreError> {
    let kinds: Vec<SourceKind> =
        store.attributed_source_kinds_of_claim(claim.id)?.iter().map(|k| parse_kind(k)).collect::<Result<_, _>>()?;
    let current = store.draft(claim.draft_id)?.and_then(|d| d.current_version);
    let placed = match current {
        Some(version) => store.claim_anchor(claim.id, version)?.and_then(|a| a.start.zip(a.end)).map(|p| (version, p)),
        None => None,
    };
    let wording = match placed {
        Some((version, (start, end))) => reading_of_version(store, version)?.and_then(|r| r.attribution_at(start, end)),
        None => None,
    }
    .or_else(|| as_tagged(claim));
    Ok(attribution(&kinds, wording))
}

fn parse_kind(kind: &str) -> Result<SourceKind, StoreError> {
    kind.parse().map_err(|_| StoreError::Malformed(format!("source kind {kind:?}")))
}

/// The engine's reading of one text: each sentence it proposes as a claim,
/// in code points, with its attribution.
struct Reading {
    sentences: Vec<(usize, usize, suggest::Attribution)>,
}

impl Reading {
    fn of(text: &str) -> Self {
        let sentences = suggest::suggest(text).into_iter().map(|s| (s.start, s.end, s.attribution)).collect();
        Self { sentences }
    }

    /// How the sentence holding a claim at `start..end` (code points) is
    /// attributed, if the engine read a sentence there.
    fn attribution_at(&self, start: u32, end: u32) -> Option<suggest::Attribution> {
        let (start, end) = (start as usize, end as usize);
        self.sentences
            .iter()
            .find(|(s_start, s_end, _)| *s_start < end.max(start + 1) && start < *s_end)
            .map(|(_, _, attribution)| attribution.clone())
    }
}

/// The engine's reading of a version's text (`None` when it has none),
/// found by the version's content hash, so a reading kept is used without
/// reading the text again.
fn reading_of_version(store: &Store, version: VersionId) -> Result<Option<Arc<Reading>>, StoreError> {
    if let Some(found) = store.version_hash(version)?.and_then(|hash| kept_reading(&hash)) {
        return Ok(Some(found));
    }
    let text = store.version(version)?.map(|v| v.text).unwrap_or_default();
    Ok((!text.is_empty()).then(|| reading(&text)))
}

/// Readings kept, newest last: a few drafts' texts, so a reviewer moving
/// between drafts, or a team store's claims on several, still finds them.
const READINGS_KEPT: usize = 8;
/// ... and at most this much text in all (a draft may be up to 10 MB).
const READINGS_TEXT_BUDGET: usize = 32 * 1024 * 1024;

/// The engine's reading of texts read, by the SHA-256 of the text (as a
/// version's content hash is made): the reading is a function of the text
/// alone (the engine reads nothing else), so an entry is never stale,
/// whichever store, draft or version the text came from. With each entry,
/// its text's length, for the budget.
static READINGS: Mutex<Vec<(String, usize, Arc<Reading>)>> = Mutex::new(Vec::new());

/// The reading kept for the text of SHA-256 `hash`, made the newest.
fn kept_reading(hash: &str) -> Option<Arc<Reading>> {
    // A panic elsewhere while holding the lock leaves entries that are still whole: keep using them.
    let mut readings = READINGS.lock().unwrap_or_else(PoisonError::into_inner);
    let at = readings.iter().position(|(kept, _, _)| kept == hash)?;
    let entry = readings.remove(at);
    let found = entry.2.clone();
    readings.push(entry);
    Some(found)
}

/// The engine's reading of `text`: the one kept when this text was read
/// before, else read now (outside the lock: two threads may read one text at
/// once, and either answer is the same) and kept.
fn reading(text: &str) -> Arc<Reading> {
    let hash = crate::ingest::hex_sha256(text.as_bytes());
    if let Some(found) = kept_reading(&hash) {
        return found;
    }
    let read = Arc::new(Reading::of(text));
    if text.len() <= READINGS_TEXT_BUDGET {
        let mut readings = READINGS.lock().unwrap_or_else(PoisonError::into_inner);
        if !readings.iter().any(|(kept, _, _)| *kept == hash) {
            readings.push((hash, text.len(), read.clone()));
            let mut total: usize = readings.iter().map(|(_, length, _)| length).sum();
            while readings.len() > READINGS_KEPT || total > READINGS_TEXT_BUDGET {
                total -= readings.remove(0).1;
            }
        }
    }
    read
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

#[cfg(test)]
mod tests {
    use super::*;
    use SourceKind as Kind;

    fn wording(kind: WordingKind, cue: &str) -> Option<suggest::Attribution> {
        Some(suggest::Attribution { kind, cue: Some(cue.to_owned()) })
    }

    /// The inspector's answer for one claim ([`attribution_of_claim`]) is the
    /// one the claims list, the matrix and the reports give it
    /// ([`attributions_of_draft`]), on every claim of every fixture draft:
    /// each sentence the engine proposes and each labelled claim (often part
    /// of a sentence), with and without linked sources, and again after an
    /// edit that moves some claims and leaves one unplaced.
    #[test]
    fn one_claims_attribution_is_the_whole_drafts_answer_for_it_on_every_fixture_claim() {
        use crate::anchor::TextQuoteSelector;
        use crate::clock::FixedClock;
        use crate::desk::Desk;
        use crate::review::{ClaimStatus, Review};
        use crate::sourcing::source::{NewSource, SourceRole};
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
        let labels: HashMap<String, Vec<serde_json::Value>> =
            serde_json::from_str(&std::fs::read_to_string(fixtures.join("claims.json")).expect("labels"))
                .expect("labels json");
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        let mut names: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(fixtures.join("drafts")).expect("drafts") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            std::fs::copy(&path, folder.join(&name)).expect("copy");
            names.push(name);
        }
        names.sort();
        assert_eq!(names.len(), 4, "{names:?}");
        let store = Store::open(&tmp.path().join("f.db")).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let review = Review::new(store.clone(), clock, "Ana Editor".into());
        let source = |kind: Kind| {
            let new = NewSource { descriptor: format!("a {kind:?}"), kind, notes: String::new(), confidential: None };
            review.add_source(desk.id(), &new).expect("source")
        };
        let (unnamed, document, named) = (source(Kind::Unnamed), source(Kind::Document), source(Kind::NamedPerson));

        let mut drafts = Vec::new();
        let mut tagged = 0;
        for name in &names {
            let draft = desk.draft_by_path(name).expect("query").expect("draft").id;
            let text = desk.draft(draft).expect("query").expect("draft").1.expect("version").text;
            let chars: Vec<char> = text.chars().collect();
            let around = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
            let mut quotes: Vec<TextQuoteSelector> = suggest::suggest(&text)
                .iter()
                .map(|s| TextQuoteSelector {
                    exact: s.quote.clone(),
                    prefix: around(s.start.saturating_sub(32), s.start),
                    suffix: around(s.end, (s.end + 32).min(chars.len())),
                })
                .collect();
            let keys = labels.get(name.as_str()).map(Vec::as_slice).unwrap_or_default();
            quotes.extend(
                keys.iter().filter_map(|k| k["key"].as_str()).filter(|k| text.matches(k).count() == 1).map(|key| {
                    TextQuoteSelector { exact: key.to_owned(), prefix: String::new(), suffix: String::new() }
                }),
            );
            for (i, quote) in quotes.iter().enumerate() {
                // A labelled key inside a proposed sentence is a second claim on that sentence, as a reviewer may tag.
                let claim = review.add_claim(draft, quote, ClaimStatus::NeedsCorroboration).expect("tag");
                tagged += 1;
                match i % 5 {
                    1 => review.link_source(claim, unnamed, SourceRole::Attributed).expect("link"),
                    2 => {
                        review.link_source(claim, unnamed, SourceRole::Attributed).expect("link");
                        review.link_source(claim, document, SourceRole::Attributed).expect("link");
                    }
                    3 => review.link_source(claim, named, SourceRole::Corroborates).expect("link"),
                    _ => {}
                }
            }
            drafts.push((draft, text));
        }
        assert!(tagged > 40, "{tagged} claims");

        let agree = |drafts: &[(DraftId, String)]| {
            let store = crate::store::lock(&store);
            let mut from_wording = 0;
            for (draft, _) in drafts {
                let whole = attributions_of_draft(&store, *draft).expect("whole draft");
                for claim in store.claims_of_draft(*draft).expect("claims") {
                    let one = attribution_of_claim(&store, &claim).expect("one claim");
                    assert_eq!(Some(&one), whole.get(&claim.id), "claim {} {:?}", claim.id, claim.exact);
                    from_wording += usize::from(one.from == AttributionFrom::Wording && one.kind != AttributedTo::None);
                }
            }
            from_wording
        };
        assert!(agree(&drafts) > 5, "some claims are attributed by their wording");

        // The writer edits each draft: a sentence goes, a paragraph comes first. Claims move, one is left unplaced
        // (read as it was tagged), and the new text is read afresh.
        for (draft, text) in &mut drafts {
            let path = desk.draft(*draft).expect("query").expect("draft").0.path;
            let first_claim = store_claim_text(&store, *draft);
            let edited = format!("A new first paragraph, sources said.\n\n{}", text.replacen(&first_claim, "", 1));
            std::fs::write(folder.join(&path), &edited).expect("edit");
            *text = edited;
        }
        desk.scan(&mut |_| {}, &mut |_| {}).expect("rescan");
        agree(&drafts);
    }

    /// The first claim tagged on `draft`, as tagged.
    fn store_claim_text(store: &crate::store::SharedStore, draft: DraftId) -> String {
        crate::store::lock(store).claims_of_draft(draft).expect("claims").remove(0).exact
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
