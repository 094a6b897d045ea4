//! Proposes the claims in a draft worth checking, and says how each one is attributed.
//!
//! Editors should not have to find every check-worthy sentence by hand. [`suggest`] reads a draft's
//! canonical text (blocks joined by `"\n\n"`, LF line endings), splits it into sentences in a way that
//! survives news copy ("U.S.", "Sept. 26", "9:40 p.m.", "Helen M. Ortiz", "$4.2 million", quotations
//! spanning sentences; headlines, bylines, credits, subheads and editor's notes are their own units and
//! never claims), scores each sentence for check-worthiness from 0 to 1 with the reasons that raised or
//! lowered the score, and attributes it:
//!
//! - [`AttributionKind::Anonymous`]: "sources tell", "according to sources", "people familiar with",
//!   "spoke on condition of anonymity", "who asked not to be named", "a senior official said";
//! - [`AttributionKind::Named`]: a named person or organisation said, told, confirmed, denied...;
//! - [`AttributionKind::Document`]: "records show", "according to meeting minutes", "an audit found";
//! - [`AttributionKind::None`]: no attribution at all.
//!
//! Unnamed groups count as unnamed sources: "U.S. officials said", "Western diplomats said", "analysts
//! said", "residents said" (no person is named and no body speaks on the record), while a spokesperson
//! of a named body or "the ministry said in a statement" is named. A named person relaying what unnamed
//! people told them ("Senator Grant said officials who asked not to be named had told her...") stays
//! the claim's attribution, with the inner anonymity given as a reason.
//!
//! A sentence that continues the previous one's account ("The meeting took place...", "..., the people
//! said") carries its attribution over; one that only sources the sentence before ("That is according
//! to two officials.") gives it its attribution. The harder kinds of copy are read for what they are:
//! hard-wrapped emailed copy is re-flowed into sentences (offsets still point into the original lines)
//! and its instructions to the desk ("EDS:", "Please hold...") are not claims; a live blog's time
//! stamps and housekeeping ("Welcome to our live coverage") are not claims; in a Q&A transcript the
//! questions are not claims and the answers are the interviewee's; bylines with dates, case captions,
//! photo captions with their credits and related-links lines are not claims; in a column the writer's
//! own voice and rhetoric count for less and the figures it cites do not. [`profile`] then sums a draft
//! up for the desk's sourcing rules:
//! counts by attribution, the unnamed share, figures without a unit or currency, unattributed claims,
//! and an existing editor's note.
//!
//! ```
//! use factdesk_core::suggest::{profile, suggest, AttributionKind};
//!
//! let text = "Port deal questioned\n\nThe authority approved $48 million in January, \
//!             according to meeting minutes. A board member, who asked not to be named, said the \
//!             company won because it submitted the lowest bid. The residents deserve better.";
//! let claims = suggest(text);
//! assert_eq!(claims.len(), 2);
//! assert_eq!(claims[0].attribution.kind, AttributionKind::Document);
//! assert_eq!(claims[1].attribution.kind, AttributionKind::Anonymous);
//! assert_eq!(claims[1].attribution.cue.as_deref(), Some("asked not to be named"));
//! // Offsets count Unicode code points, end exclusive.
//! let quote: String = text.chars().skip(claims[0].start).take(claims[0].end - claims[0].start).collect();
//! assert_eq!(quote, claims[0].quote);
//!
//! let sourcing = profile(text, &claims);
//! assert_eq!((sourcing.anonymous, sourcing.document), (1, 1));
//! ```
//!
//! The engine is rules over one Aho-Corasick pass and byte scans, with no model to load: it runs
//! offline, explains itself, and handles a long draft in well under a millisecond.

mod analyze;
mod lexicon;
mod segment;

use analyze::{analyze, Analysis};
use segment::{Unit, UnitKind};

/// One sentence proposed as a claim worth checking.
///
/// Offsets and counts are `usize` in Rust and `number` in the generated TypeScript (drafts are far
/// below 2^32 code points; the ingest refuses oversized files).
///
/// Serialised with serde it is exactly the `factdesk suggest --json` object:
/// `{"quote", "start", "end", "score", "attribution": {"kind", "cue"}, "reasons": [...]}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestion {
    /// The sentence exactly as it stands in the canonical text.
    pub quote: String,
    /// Start of the sentence in Unicode code points (the W3C TextPositionSelector unit).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub start: usize,
    /// End of the sentence in Unicode code points, exclusive.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub end: usize,
    /// Check-worthiness from 0 to 1; only sentences at or above 0.5 are proposed.
    pub score: f32,
    /// How the draft sources the claim.
    pub attribution: Attribution,
    /// What raised ("+ ...") or lowered ("- ...") the score, in the order applied.
    pub reasons: Vec<String>,
}

/// How a claim is sourced, with the words that say so.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attribution {
    /// Named, anonymous, document or none.
    pub kind: AttributionKind,
    /// The cue text ("according to sources", "Fire Chief Omar Little said"); when the attribution is
    /// carried over from the previous sentence, that sentence's cue. `None` for [`AttributionKind::None`].
    pub cue: Option<String>,
}

/// The kinds of attribution an editor weighs differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum AttributionKind {
    /// Unnamed people: "sources say", "a senior official", "who asked not to be named".
    Anonymous,
    /// A named person or organisation.
    Named,
    /// Records, filings, studies, reports, minutes, videos.
    Document,
    /// Stated by the draft itself.
    None,
}

impl AttributionKind {
    pub const ALL: [Self; 4] = [Self::Anonymous, Self::Named, Self::Document, Self::None];

    /// The name used in JSON and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Named => "named",
            Self::Document => "document",
            Self::None => "none",
        }
    }

    /// The kind called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// A piece of the text, in Unicode code points (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextSpan {
    /// The text itself.
    pub text: String,
    /// Start in code points.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub start: usize,
    /// End in code points, exclusive.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub end: usize,
}

/// Draft-level findings for the header and for the desk's sourcing rules.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourcingProfile {
    /// Suggested claims in all.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub claims: usize,
    /// Claims attributed to named people or organisations.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub named: usize,
    /// Claims resting on unnamed sources.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub anonymous: usize,
    /// Claims attributed to documents.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub document: usize,
    /// Claims the draft states without attribution.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub unattributed: usize,
    /// `anonymous / claims` (0 when there are no claims): how much of the draft rests on unnamed people.
    pub unnamed_share: f32,
    /// `named / anonymous`, the named : unnamed ratio; `None` when no claim is anonymous.
    pub named_per_unnamed: Option<f32>,
    /// Large figures with no unit or currency ("an estimated worth of 50 billion"): 50 billion what?
    pub figures_without_unit: Vec<TextSpan>,
    /// The claims stated without any attribution.
    pub unattributed_claims: Vec<TextSpan>,
    /// The draft's existing editor's note ("Editor's Note: ..."), if it has one.
    pub editors_note: Option<TextSpan>,
}

/// Proposes the sentences of `text` worth checking, in text order.
///
/// `text` is a draft's canonical text: blocks joined by `"\n\n"`, LF line endings. Offsets in the result
/// are Unicode code points, and each `quote` is exactly those code points of `text`.
#[must_use]
pub fn suggest(text: &str) -> Vec<Suggestion> {
    let (_, analyses, reasons) = analyze(text);
    let mut offsets = CodePoints::new(text);
    analyses
        .into_iter()
        .filter(Analysis::is_claim)
        .map(|a| {
            let start = offsets.at(a.start);
            let end = offsets.at(a.end);
            Suggestion {
                quote: text[a.start..a.end].to_string(),
                start,
                end,
                score: a.score,
                attribution: Attribution { kind: a.kind, cue: a.cue.map(|(s, e)| text[s..e].to_string()) },
                reasons: reasons[a.reasons.clone()]
                    .iter()
                    .copied()
                    .chain(a.explained_below.then_some(analyze::Reason::ExplainedBelow))
                    .chain(a.attributed_below.then_some(analyze::Reason::AttributedBelow(a.kind)))
                    .map(|r| r.render(text))
                    .collect(),
            }
        })
        .collect()
}

/// Sums up how a draft is sourced, from its text and the suggestions [`suggest`] made for it (or the
/// subset the editor kept).
#[must_use]
pub fn profile(text: &str, suggestions: &[Suggestion]) -> SourcingProfile {
    let count = |kind: AttributionKind| suggestions.iter().filter(|s| s.attribution.kind == kind).count();
    let (named, anonymous, document, unattributed) = (
        count(AttributionKind::Named),
        count(AttributionKind::Anonymous),
        count(AttributionKind::Document),
        count(AttributionKind::None),
    );
    #[allow(clippy::cast_precision_loss)] // claim counts are tiny
    let ratio = |a: usize, b: usize| a as f32 / b as f32;
    let units = segment::segment(text);
    let mut offsets = CodePoints::new(text);
    let mut figures_without_unit = Vec::new();
    let mut editors_note = None;
    for unit in &units {
        match unit.kind {
            UnitKind::Sentence => {
                for (s, e) in bare_figures(text, unit) {
                    figures_without_unit.push(TextSpan {
                        text: text[s..e].to_string(),
                        start: offsets.at(s),
                        end: offsets.at(e),
                    });
                }
            }
            UnitKind::EditorsNote if editors_note.is_none() => {
                editors_note = Some(TextSpan {
                    text: text[unit.start..unit.end].to_string(),
                    start: offsets.at(unit.start),
                    end: offsets.at(unit.end),
                });
            }
            _ => {}
        }
    }
    SourcingProfile {
        claims: suggestions.len(),
        named,
        anonymous,
        document,
        unattributed,
        unnamed_share: if suggestions.is_empty() { 0.0 } else { ratio(anonymous, suggestions.len()) },
        named_per_unnamed: (anonymous > 0).then(|| ratio(named, anonymous)),
        figures_without_unit,
        unattributed_claims: suggestions
            .iter()
            .filter(|s| s.attribution.kind == AttributionKind::None)
            .map(|s| TextSpan { text: s.quote.clone(), start: s.start, end: s.end })
            .collect(),
        editors_note,
    }
}

/// Converts byte offsets to code point offsets; cheap for offsets asked in ascending order.
struct CodePoints<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CodePoints<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, byte: 0, chars: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[rustfmt::skip]
const SCALES: &[&str] = &[
    "thousand", "million", "billion", "trillion",
];

#[rustfmt::skip]
const CURRENCY_WORDS: &[&str] = &[
    "dollars", "dollar", "euros", "euro", "pounds", "yuan", "renminbi", "rupees", "yen", "pesos", "rubles",
    "roubles", "francs", "afghanis", "usd", "eur", "gbp", "cny", "won", "rand", "naira", "shekels", "lira",
];

/// Words that follow a figure without naming what it counts ("50 billion in", "worth 300 to").
#[rustfmt::skip]
const NOT_A_UNIT: &[&str] = &[
    "in", "of", "for", "to", "from", "and", "or", "but", "which", "that", "by", "over", "a", "the", "as",
    "with", "on", "at", "since", "is", "was", "were", "are", "this", "last", "each", "per", "a year",
];

/// Words after which a bare number is a sum of money ("worth 300,000").
#[rustfmt::skip]
const MONEY_CONTEXT: &[&str] = &[
    "worth", "cost", "costs", "value", "valued", "price", "priced", "revenue", "salary", "fine", "fined",
    "paid", "spent", "budget", "estimated", "raised", "owed", "debt", "funding",
];

/// Figures in a sentence with no unit or currency: a scaled number ("50 billion") or a number after a
/// money word ("worth 300,000") that is followed by nothing that says what it counts.
fn bare_figures(text: &str, unit: &Unit) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let sentence = &text[unit.start..unit.end];
    let bytes = sentence.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (matches!(bytes[i], b',' | b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let mut end = i;
        let before = sentence[..start].trim_end();
        let currency_before =
            before.ends_with(['$', '€', '£', '¥']) || before.ends_with("US") || before.ends_with("Rs");
        let (mut next, mut next_end) = next_word(sentence, end);
        let scaled = SCALES.iter().any(|s| s.eq_ignore_ascii_case(next));
        if scaled {
            end = next_end;
            (next, next_end) = next_word(sentence, end);
        }
        let _ = next_end;
        let after = &sentence[end..];
        let unitless = next.is_empty() || NOT_A_UNIT.iter().any(|w| w.eq_ignore_ascii_case(next));
        let percent = after.starts_with('%') || after.trim_start().starts_with('%');
        let currency_after = CURRENCY_WORDS.iter().any(|w| w.eq_ignore_ascii_case(next));
        let money_context = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .any(|w| MONEY_CONTEXT.iter().any(|m| m.eq_ignore_ascii_case(w)));
        if !currency_before && !currency_after && !percent && unitless && (scaled || money_context) {
            found.push((unit.start + start, unit.start + end));
        }
        i = end.max(i);
    }
    found
}

/// The next word after byte `from` (skipping spaces only, so punctuation means "no word").
fn next_word(sentence: &str, from: usize) -> (&str, usize) {
    let rest = &sentence[from..];
    let skipped = rest.len() - rest.trim_start_matches(' ').len();
    let rest = &rest[skipped..];
    let len = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
    (&rest[..len], from + skipped + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_matches_the_cli_contract() {
        let text = "Head\n\nSources tell the Post that the minister met the envoy on Sunday, September 26, 2021.";
        let got = suggest(text);
        let json = serde_json::to_value(&got).expect("serialises");
        let object = json[0].as_object().expect("an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["attribution", "end", "quote", "reasons", "score", "start"]);
        assert_eq!(json[0]["attribution"]["kind"], "anonymous");
        assert_eq!(json[0]["attribution"]["cue"], "Sources tell");
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "Héadline “quoted”\n\nThe Taliban’s minister met China’s envoy in Kabul on Sunday, officials said.";
        let got = suggest(text);
        assert_eq!(got.len(), 1);
        let quote: String = text.chars().skip(got[0].start).take(got[0].end - got[0].start).collect();
        assert_eq!(quote, got[0].quote);
    }

    #[test]
    fn bare_figure_is_found_with_its_span() {
        let text = "Head\n\nDelegates visited the mine, which has an estimated worth of 50 billion. It cost $3 million to build and employs 2 million people.";
        let sourcing = profile(text, &suggest(text));
        let figures: Vec<&str> = sourcing.figures_without_unit.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(figures, ["50 billion"]);
        let f = &sourcing.figures_without_unit[0];
        assert_eq!(text.chars().skip(f.start).take(f.end - f.start).collect::<String>(), "50 billion");
    }

    #[test]
    fn editors_note_is_found_and_not_suggested() {
        let text = "Head\n\nThe army shelled the town on Monday, killing nine.\n\nEditor’s Note: Sources for this report have not been named.";
        let got = suggest(text);
        assert!(got.iter().all(|s| !s.quote.starts_with("Editor")));
        let note = profile(text, &got).editors_note.expect("a note");
        assert!(note.text.starts_with("Editor’s Note"));
    }
}
