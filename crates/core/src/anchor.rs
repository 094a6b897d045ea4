//! Anchors claims to a draft's text and keeps them anchored while the writer edits it.
//!
//! A claim points at a span of a draft's canonical text (blocks joined by `"\n\n"`, LF line endings)
//! with both W3C Web Annotation selectors: a [`TextQuoteSelector`] (the exact text and 32 code points of
//! context each side) and a [`TextPositionSelector`] (start and end, end exclusive). All offsets count
//! Unicode code points, as the W3C model says, not bytes and not UTF-16 units.
//!
//! - [`describe`] makes both selectors for a span (what the core stores when a claim is made);
//! - [`locate`] finds the one place a quote sent by the UI refers to, or says why it cannot;
//! - [`reanchor_all`] carries every anchor made on one version of a draft onto the next, computing the
//!   edit between the two versions once, and says for each how it got there ([`AnchorState`]).
//!
//! ```
//! use factdesk_core::anchor::{describe, locate, reanchor_all, AnchorState, TextPositionSelector};
//!
//! let old = "The council met on Monday.\n\nIt approved a $4.2 million budget, records show.";
//! let start = old.chars().position(|c| c == 'I').unwrap() as u32;
//! let anchor = describe(old, TextPositionSelector { start, end: start + 33 })?;
//! assert_eq!(anchor.quote.exact, "It approved a $4.2 million budget");
//! assert_eq!(locate(old, &anchor.quote)?, anchor.position);
//!
//! // The writer adds a paragraph above the claim: it is still anchored, further down.
//! let new = format!("Updated on Tuesday.\n\n{old}");
//! let placed = &reanchor_all(old, &new, &[anchor.clone()])[0];
//! assert_eq!(placed.state, AnchorState::Anchored);
//! assert_eq!(placed.position.as_ref().unwrap().start, start + 21);
//!
//! // The writer corrects the figure: the claim is fuzzy, with what the text says now.
//! let fixed = old.replace("$4.2", "$4.3");
//! let placed = &reanchor_all(old, &fixed, &[anchor.clone()])[0];
//! assert_eq!(placed.state, AnchorState::Fuzzy);
//! assert_eq!(placed.quote_now.as_deref(), Some("It approved a $4.3 million budget"));
//!
//! // The writer pastes the whole paragraph twice: no silent pick between the two copies.
//! let twice = format!("{old}\n\n{old}");
//! assert_eq!(reanchor_all(old, &twice, &[anchor])[0].state, AnchorState::Ambiguous);
//! # Ok::<(), factdesk_core::anchor::AnchorError>(())
//! ```
//!
//! # How re-anchoring decides
//!
//! A review that silently points at the wrong sentence is worse than none, so every step prefers saying
//! "ambiguous" or "orphaned" to guessing:
//!
//! 1. The old and new texts are diffed once at token level (see `diff`); each anchor's old span is mapped
//!    through the unedited runs and the new text there is compared with the quote. If it is the quote and
//!    no *new* copy of it with context as good appeared elsewhere, the claim is [`AnchorState::Anchored`].
//!    Copies that were already in the old text are not rivals: the diff tells them apart.
//! 2. Otherwise every occurrence of the exact quote in the new text (all quotes found in one pass) that
//!    is not one of those pre-existing copies is a candidate: one, or one clearly best by context, is
//!    [`AnchorState::Moved`]; several equally good are [`AnchorState::Ambiguous`].
//! 3. Otherwise the quote was edited: the new text that replaced the old span (by the diff) is searched
//!    with Myers' bit-parallel approximate matching, at most half the quote's length in edits. The best
//!    match is [`AnchorState::Fuzzy`] with confidence `1 - edits / length`; equal matches that context
//!    cannot separate are ambiguous; nothing within the bound is [`AnchorState::Orphaned`]. Text the diff
//!    attributes to other parts of the old draft (in order, or moved: a passage out of order, found by
//!    windows of text unique in both) never counts as a match, which is how a lookalike
//!    sentence next door is kept from capturing a deleted claim; the one exception is text next to the
//!    region that the diff paired with a neighbour's words while the quote has the same words unpaired
//!    (an equally short diff) or paired only in scraps with inserted text (a longer one): the region is
//!    widened over it, as the quote's own. Any match is still refused if it fits other old text that
//!    did not survive at least as well as the quote: a neighbour (deleted text between the two aside),
//!    any old text the diff leaves between the unedited text around the match, or any old text the diff
//!    lost, wherever it was (a lookalike whose paragraph the quote's moved past; see `lost`). A match
//!    that an old lookalike fits better than the quote is weighed against the two pairings crossed (the
//!    quote where that lookalike's old text went, the lookalike at the match): fewer edits in all wins
//!    (see `crossed`). Matches refused as other old text do not hide the quote's own text at a few
//!    more edits: the region is searched again past them (see `hidden`).
//! 4. Otherwise, if text around the old span moved (a paragraph moved and edited inside), the same
//!    search, with the same refusals, runs where that text went: the moves' shift applied to the old
//!    span. Its own unedited words there are its own; anything else moved or paired is foreign.
//!    Failing that (the diff gave the passage's words to a lookalike, so nothing says where it went),
//!    the search runs over all the new text the diff paired with nothing, refusing as well any match
//!    that is word for word other old text (a duplicated sentence): a clear winner is fuzzy, places
//!    within a margin of it in edits make the claim ambiguous.

mod crossed;
mod diff;
mod hidden;
mod lost;
mod myers;
mod search;
mod text;

use diff::Edit;
use hidden::Searched;
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::collections::HashMap;
use text::{common_prefix, common_suffix, cp_len, to_u32, Chars};

/// Code points of context kept on each side of a quote.
pub const CONTEXT: u32 = 32;

/// How much better (in matching context code points) a candidate must be to win over another.
const CONTEXT_MARGIN: u32 = 4;

/// The quoted text with its context (W3C `TextQuoteSelector`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextQuoteSelector {
    /// The text of the span itself.
    pub exact: String,
    /// Up to [`CONTEXT`] code points just before it (fewer at the start of the text).
    pub prefix: String,
    /// Up to [`CONTEXT`] code points just after it (fewer at the end of the text).
    pub suffix: String,
}

/// Where a span is (W3C `TextPositionSelector`), in code points, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextPositionSelector {
    /// First code point of the span.
    pub start: u32,
    /// Code point just after the span.
    pub end: u32,
}

/// Both selectors of a span, as recorded against the draft version it was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Anchor {
    /// What the span says, with context.
    pub quote: TextQuoteSelector,
    /// Where it was.
    pub position: TextPositionSelector,
}

/// How an anchor was carried onto a new version of its draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum AnchorState {
    /// The same exact text, at the position mapped through the edit.
    Anchored,
    /// The exact text, found elsewhere: uniquely, or clearly best by its context.
    Moved,
    /// The text was edited; the best approximate match is taken, with a confidence.
    Fuzzy,
    /// Two or more places fit about equally; nothing was picked, the candidates are kept.
    Ambiguous,
    /// Nothing within the edit bound: the text was deleted or rewritten.
    Orphaned,
}

/// A place an ambiguous anchor could be, for the reviewer to choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Candidate {
    /// First code point.
    pub start: u32,
    /// Code point just after.
    pub end: u32,
    /// 0..1: how well quote and context fit (0.8 × quote similarity + 0.2 × context match).
    pub score: f32,
}

/// Where an anchor is in a new version of its draft, and how sure that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Placement {
    /// How it was placed.
    pub state: AnchorState,
    /// The span now; `None` when ambiguous or orphaned.
    pub position: Option<TextPositionSelector>,
    /// 0..1: 1 for anchored, high for moved, `1 - edits / length` for fuzzy, 0 when not placed.
    pub confidence: f32,
    /// The places to choose from when ambiguous (empty otherwise).
    pub candidates: Vec<Candidate>,
    /// The text now at `position` when fuzzy (the old quote stays in the anchor).
    pub quote_now: Option<String>,
}

/// Why a span could not be described or a quote located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    /// The span does not fit in the text.
    #[error("the span {start}..{end} is outside the text, which has {len} characters")]
    OutOfRange {
        /// Requested start.
        start: u32,
        /// Requested end.
        end: u32,
        /// Length of the text in code points.
        len: u32,
    },
    /// An empty span or quote anchors nothing.
    #[error("the quote is empty: select some text to anchor a claim")]
    Empty,
    /// The quote is not in the text.
    #[error("the quote \"{exact}\" is not in the draft")]
    NotFound {
        /// The quote looked for.
        exact: String,
    },
    /// The quote is in the text several times and its context does not say which one is meant.
    #[error("the quote \"{exact}\" occurs {count} times in the draft and its context does not say which one is meant")]
    Ambiguous {
        /// The quote looked for.
        exact: String,
        /// How many times it occurs.
        count: usize,
        /// The occurrences that fit best, equally.
        candidates: Vec<TextPositionSelector>,
    },
}

impl AnchorError {
    /// A stable code for the UI to react to (`out-of-range`, `empty`, `not-found`, `ambiguous`).
    pub fn code(&self) -> &'static str {
        match self {
            AnchorError::OutOfRange { .. } => "out-of-range",
            AnchorError::Empty => "empty",
            AnchorError::NotFound { .. } => "not-found",
            AnchorError::Ambiguous { .. } => "ambiguous",
        }
    }
}

/// Both selectors for the span `position` of `text`, with [`CONTEXT`] code points of context each side.
pub fn describe(text: &str, position: TextPositionSelector) -> Result<Anchor, AnchorError> {
    let chars = Chars::new(text);
    let TextPositionSelector { start, end } = position;
    let len = chars.len();
    if start > end || end > len {
        return Err(AnchorError::OutOfRange { start, end, len });
    }
    if start == end {
        return Err(AnchorError::Empty);
    }
    let piece = |from: u32, to: u32| chars.slice(from, to).unwrap_or_default().to_string();
    let quote = TextQuoteSelector {
        exact: piece(start, end),
        prefix: piece(start.saturating_sub(CONTEXT), start),
        suffix: piece(end, end.saturating_add(CONTEXT).min(len)),
    };
    Ok(Anchor { quote, position })
}

/// The one place in `text` that `quote` refers to: its only occurrence, or the occurrence whose
/// surroundings match `prefix` and `suffix` strictly better than any other's.
pub fn locate(text: &str, quote: &TextQuoteSelector) -> Result<TextPositionSelector, AnchorError> {
    if quote.exact.is_empty() {
        return Err(AnchorError::Empty);
    }
    let found = search::find_all(text, &[quote.exact.as_str()]).of(0).to_vec();
    let chars = Chars::new(text);
    let span = |byte: usize| TextPositionSelector { start: chars.cp(byte), end: chars.cp(byte) + cp_len(&quote.exact) };
    match found.as_slice() {
        [] => Err(AnchorError::NotFound { exact: quote.exact.clone() }),
        [only] => Ok(span(*only)),
        many => {
            let scores: Vec<u32> =
                many.iter().map(|&at| context_score(text, at, at + quote.exact.len(), quote)).collect();
            let best = scores.iter().copied().max().unwrap_or(0);
            let winners: Vec<usize> = many.iter().zip(&scores).filter(|(_, &s)| s == best).map(|(&at, _)| at).collect();
            match winners.as_slice() {
                [one] => Ok(span(*one)),
                _ => Err(AnchorError::Ambiguous {
                    exact: quote.exact.clone(),
                    count: many.len(),
                    candidates: winners.into_iter().map(span).collect(),
                }),
            }
        }
    }
}

/// Re-anchors every anchor made on `old_text` onto `new_text`, one [`Placement`] per anchor, in order.
/// The edit between the texts is computed once and all quotes are searched for in one pass. A draft with
/// many claims ([`PARALLEL_FROM`] or more) has them placed on up to [`MAX_THREADS`] threads, with the
/// same placements as on one.
pub fn reanchor_all(old_text: &str, new_text: &str, anchors: &[Anchor]) -> Vec<Placement> {
    let threads = if anchors.len() >= PARALLEL_FROM {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(MAX_THREADS)
    } else {
        1
    };
    reanchor_on(old_text, new_text, anchors, threads)
}

/// Claims from which [`reanchor_all`] places them on several threads: below it (a draft of a few dozen
/// claims, the usual case) starting threads costs more than it saves.
pub const PARALLEL_FROM: usize = 256;

/// Threads [`reanchor_all`] uses at most: beyond a few, the diff (computed once, on one) dominates.
pub const MAX_THREADS: usize = 4;

/// [`reanchor_all`] on `threads` threads: the diff on this one while another finds every quote and
/// indexes both texts' code points, then each thread places a contiguous share of the claims. Placing a
/// claim reads the shared `World` only (its lazy indexes are built once, by whichever thread needs them
/// first), so the placements are the same on any number of threads.
fn reanchor_on(old_text: &str, new_text: &str, anchors: &[Anchor], threads: usize) -> Vec<Placement> {
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(anchors.len());
    let mut patterns: Vec<&str> = Vec::new();
    // Each anchor's pattern, kept here so that placing it needs no second look-up by its text.
    let anchor_ids: Vec<usize> = anchors
        .iter()
        .map(|anchor| {
            *ids.entry(anchor.quote.exact.as_str()).or_insert_with(|| {
                patterns.push(anchor.quote.exact.as_str());
                patterns.len() - 1
            })
        })
        .collect();
    let ((occurrences, old, new), edit) = if threads > 1 {
        std::thread::scope(|scope| {
            let found =
                scope.spawn(|| (search::find_all(new_text, &patterns), Chars::new(old_text), Chars::new(new_text)));
            let edit = Edit::new(old_text, new_text);
            (found.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), edit)
        })
    } else {
        (
            (search::find_all(new_text, &patterns), Chars::new(old_text), Chars::new(new_text)),
            Edit::new(old_text, new_text),
        )
    };
    let world = World { old, new, edit, lost: std::sync::OnceLock::new(), old_words: std::sync::OnceLock::new() };
    let place = |(anchor, &id): (&Anchor, &usize)| world.place(anchor, occurrences.of(id));
    if threads <= 1 {
        return anchors.iter().zip(&anchor_ids).map(place).collect();
    }
    let share = anchors.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let placing: Vec<_> = anchors
            .chunks(share)
            .zip(anchor_ids.chunks(share))
            .map(|(anchors, ids)| scope.spawn(move || anchors.iter().zip(ids).map(place).collect::<Vec<_>>()))
            .collect();
        placing
            .into_iter()
            .flat_map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Matching context code points around `start..end` (bytes) of `text`: the prefix's tail against the
/// text before, the suffix's head against the text after.
fn context_score(text: &str, start: usize, end: usize, quote: &TextQuoteSelector) -> u32 {
    common_suffix(&text[..start], &quote.prefix) + common_prefix(&text[end..], &quote.suffix)
}

/// Both texts and the edit between them.
struct World<'a> {
    old: Chars<'a>,
    new: Chars<'a>,
    edit: Edit,
    /// The old text the diff lost, indexed when a claim first needs it (see `lost`).
    lost: std::sync::OnceLock<lost::WordIndex>,
    /// All the old text, indexed when a claim first needs it (see `crossed`).
    old_words: std::sync::OnceLock<crossed::WordChains>,
}

/// A place considered for an anchor, in new-text bytes.
#[derive(Debug, Clone, Copy)]
struct Spot {
    start: usize,
    end: usize,
    /// Edits from the quote (0 for exact occurrences).
    errors: u32,
    /// Matching context code points.
    context: u32,
}

impl World<'_> {
    /// Places one anchor; `found` are the byte offsets of its exact quote in the new text.
    fn place(&self, anchor: &Anchor, found: &[usize]) -> Placement {
        let quote = &anchor.quote;
        let exact = quote.exact.as_str();
        if exact.is_empty() {
            return self.unplaced(AnchorState::Orphaned, Vec::new(), quote);
        }
        let new_text = self.new.text;
        // The old span in bytes; a position past the old text is clamped (it then simply won't verify).
        let old_start = self.old.byte(anchor.position.start).unwrap_or(self.edit.old_len());
        let old_end = self.old.byte(anchor.position.end).unwrap_or(self.edit.old_len()).max(old_start);

        // 1. Through the edit, verified by direct comparison.
        let mapped = match (self.edit.map_start(old_start), self.edit.map_end(old_end)) {
            (Some(start), Some(end)) if new_text.get(start..end) == Some(exact) => Some(start),
            _ => None,
        };
        // Occurrences that are not the mapped one nor copies that were already in the old text.
        let spot = |start: usize, errors: u32| {
            let end = start + exact.len();
            Spot { start, end, errors, context: context_score(new_text, start, end, quote) }
        };
        let rivals: Vec<Spot> = found
            .iter()
            .filter(|&&at| Some(at) != mapped && !self.pre_existing(at, at + exact.len(), exact))
            .map(|&at| spot(at, 0))
            .collect();

        // The common case, an unedited quote alone in the text: nothing to weigh it against, so its
        // context (two scans of up to 64 chars, for each of a thousand claims) would never be read.
        if let (Some(start), true) = (mapped, rivals.is_empty()) {
            let only = Spot { start, end: start + exact.len(), errors: 0, context: 0 };
            return self.placed(AnchorState::Anchored, only, 1.0, quote);
        }

        // A token diff may pair a few words at the quote's edge with the same words of an edited
        // neighbour (a deleted sentence that also began "The council"): then the quote is not mapped
        // whole, but an exact occurrence lying mostly in the text that replaced its old span is still
        // the quote, where the edit put it.
        let ours = mapped.map(|at| spot(at, 0)).or_else(|| {
            if rivals.is_empty() {
                return None;
            }
            let (region_start, region_end, _, _) =
                self.edit.widened_region(self.old.text, new_text, old_start, old_end);
            let inside = |s: &Spot| s.end.min(region_end).saturating_sub(s.start.max(region_start));
            rivals.iter().copied().filter(|s| 2 * inside(s) > s.end - s.start).max_by_key(|s| inside(s))
        });
        if let Some(ours) = ours {
            let close: Vec<Spot> = rivals
                .iter()
                .copied()
                .filter(|r| r.start != ours.start && r.context + CONTEXT_MARGIN >= ours.context)
                .collect();
            if close.is_empty() {
                return self.placed(AnchorState::Anchored, ours, 1.0, quote);
            }
            let mut all = vec![ours];
            all.extend(close);
            return self.unplaced(AnchorState::Ambiguous, all, quote);
        }

        // 2. The exact quote elsewhere.
        if !rivals.is_empty() {
            return match self.clear_winner(&rivals) {
                Some(winner) => {
                    let confidence = 0.9 + 0.1 * context_fraction(winner.context, quote);
                    self.placed(AnchorState::Moved, winner, confidence, quote)
                }
                None => self.unplaced(AnchorState::Ambiguous, rivals, quote),
            };
        }

        // 3. Edited in place: approximate matches in the text that replaced the old span; failing that,
        // moved and edited: approximate matches where text around the old span moved to.
        let mut fuzzy = self.fuzzy(quote, old_start, old_end);
        if fuzzy.is_empty() {
            if let Some((from, to)) = self.edit.moved_region(old_start, old_end) {
                fuzzy = self.fuzzy_in(quote, old_start, old_end, (from, to, 0, 0));
            }
        }
        if fuzzy.is_empty() {
            fuzzy = self.fuzzy_unpaired(quote, old_start, old_end);
        }
        if fuzzy.is_empty() {
            return self.unplaced(AnchorState::Orphaned, Vec::new(), quote);
        }
        match self.clear_winner(&fuzzy) {
            Some(winner) => {
                let length = cp_len(exact).max(1);
                let confidence = 1.0 - ratio(winner.errors, length);
                self.placed(AnchorState::Fuzzy, winner, confidence, quote)
            }
            None => self.unplaced(AnchorState::Ambiguous, fuzzy, quote),
        }
    }

    /// Whether new `start..end` is unedited text that held the same quote in the old text already.
    fn pre_existing(&self, start: usize, end: usize, exact: &str) -> bool {
        match (self.edit.back_start(start), self.edit.back_end(end)) {
            (Some(from), Some(to)) => self.old.text.get(from..to) == Some(exact),
            _ => false,
        }
    }

    /// The only spot, or the one whose context beats every other's by the margin.
    fn clear_winner(&self, spots: &[Spot]) -> Option<Spot> {
        let mut sorted = spots.to_vec();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.context));
        match sorted.as_slice() {
            [only] => Some(*only),
            [first, second, ..] if first.context >= second.context + CONTEXT_MARGIN => Some(*first),
            _ => None,
        }
    }

    /// Approximate matches of the quote in the new text that replaced old bytes `old_start..old_end`,
    /// with at most half the quote's length in edits: the best, or several equally good.
    fn fuzzy(&self, quote: &TextQuoteSelector, old_start: usize, old_end: usize) -> Vec<Spot> {
        // The region, widened over the quote's own first or last words where the diff happened to pair
        // them with a deleted neighbour's (see `Edit::widened_region`).
        let region = self.edit.widened_region(self.old.text, self.new.text, old_start, old_end);
        self.fuzzy_in(quote, old_start, old_end, region)
    }

    /// Approximate matches of the quote at old bytes `old_start..old_end` in new bytes `from..to` of
    /// `region` (`left` and `right`: bytes at its ends that are the quote's own words though the diff
    /// paired them with other old text), with at most half the quote's length in edits.
    fn fuzzy_in(
        &self,
        quote: &TextQuoteSelector,
        old_start: usize,
        old_end: usize,
        region: (usize, usize, usize, usize),
    ) -> Vec<Spot> {
        // A little slack around the region absorbs token boundaries the diff drew differently.
        const SLACK: u32 = 8;
        let pattern: Vec<char> = quote.exact.chars().collect();
        let length = to_u32(pattern.len());
        let max_errors = length / 2;
        let (from, to, _, _) = region;
        let window_start = self.new.cp(from).saturating_sub(SLACK);
        let window_end = self.new.cp(to).saturating_add(SLACK).min(self.new.len());
        if window_end - window_start + max_errors < length {
            return Vec::new();
        }
        let Some(window) = self.new.slice(window_start, window_end) else { return Vec::new() };
        let window: Vec<char> = window.chars().collect();
        let mut spots: Vec<Spot> = Vec::new();
        // The quote's old text and the region hold at most as many edits as the bytes of the longer one
        // that the diff did not pair between them in order: how far the best match likely is.
        let paired = self.edit.paired_inside(from, to, old_start, old_end);
        let expected = to_u32((to - from).max(old_end - old_start).saturating_sub(paired));
        let searched = Searched { old_span: (old_start, old_end), region, window_start, expected };
        let refused = self.accept_matches(quote, &pattern, &searched, &window, max_errors, &mut spots);
        if spots.is_empty() && !refused.is_empty() {
            // The best matches were all other old text: they may hide the quote's own text (see `hidden`).
            self.search_past_refused(quote, &pattern, &searched, window, refused, &mut spots);
        }
        spots
    }

    /// Adds to `spots` the best matches of `pattern` (the quote's characters) with at most `bound` edits
    /// in `window` (the new text from code point `searched.window_start`) that are not other old text's,
    /// and returns the matches refused as other old text's (the edit says it was elsewhere in the old
    /// draft, or a lookalike fits it at least as well).
    fn accept_matches(
        &self,
        quote: &TextQuoteSelector,
        pattern: &[char],
        searched: &Searched,
        window: &[char],
        bound: u32,
        spots: &mut Vec<Spot>,
    ) -> Vec<myers::Match> {
        let Searched { old_span: (old_start, old_end), region: (from, to, left, right), window_start, expected } =
            *searched;
        let mut refused = Vec::new();
        let closeness = |s: &Spot| s.start.abs_diff(from) + s.end.abs_diff(to);
        for found in myers::Matcher::new(pattern).best_matches_expecting(window, bound, 16, expected) {
            let (Some(start), Some(end)) =
                (self.new.byte(window_start + to_u32(found.start)), self.new.byte(window_start + to_u32(found.end)))
            else {
                continue;
            };
            // Text that the edit says was elsewhere in the old draft cannot be this quote's, except the
            // quote's own words the region was widened over (they are the quote's by an equal diff).
            let foreign_in = |a: usize, b: usize| {
                let (a, b) = (a.max(start), b.min(end));
                if a < b {
                    self.edit.foreign_bytes(a, b, old_start, old_end)
                } else {
                    0
                }
            };
            let foreign = foreign_in(start, end) - foreign_in(from, from + left) - foreign_in(to - right, to);
            if foreign > (quote.exact.len() / 8).max(2) {
                refused.push(found);
                continue;
            }
            let spans = ((old_start, old_end), (start, end));
            let match_words = lost::MatchWords::new();
            // The match's text as a pattern, prepared for the first lookalike search that needs it (both
            // lookalike checks search for the same text).
            let found_text = &window[found.start..found.end];
            let lookalike_matcher = OnceCell::new();
            // A match overlapping a place already taken, and no closer to the region's bounds, is dropped
            // below whatever the lookalike checks say, unless the crossed check moves it elsewhere; and
            // what they would refuse matters only while no place is taken (see `search_past_refused`).
            // So such a match needs the crossed check alone, and is spared the two lookalike checks (a
            // search has 1.5 best ends on average, and ends a column or two apart overlap).
            let unchanged = Spot { start, end, errors: found.errors, context: 0 };
            let mut weighed = None;
            if spots
                .iter()
                .find(|s| s.start < end && start < s.end)
                .is_some_and(|known| closeness(&unchanged) >= closeness(known))
            {
                match self.weigh_crossed(pattern, found.errors, spans, &match_words) {
                    crossed::Crossed::Kept => continue,
                    swapped => weighed = Some(swapped),
                }
            }
            // A lookalike next door that the diff happened to pair with the old span is not the quote.
            if self.is_lookalike(found_text, &lookalike_matcher, found.errors, (old_start, old_end), (start, end)) {
                refused.push(found);
                continue;
            }
            // Nor a lookalike the diff lost track of, further away (see `lost`).
            if self.is_lost_lookalike(found_text, &lookalike_matcher, found.errors, spans, &match_words) {
                refused.push(found);
                continue;
            }
            // And the diff may have paired the quote with a lookalike crosswise (see `crossed`).
            let weighed = weighed.unwrap_or_else(|| self.weigh_crossed(pattern, found.errors, spans, &match_words));
            let (start, end, errors) = match weighed {
                crossed::Crossed::Kept => (start, end, found.errors),
                crossed::Crossed::Swapped { start, end, errors } => (start, end, errors),
            };
            let spot = Spot { start, end, errors, context: context_score(self.new.text, start, end, quote) };
            // Overlapping matches are one place: keep the one closest to the region's bounds.
            match spots.iter_mut().find(|s| s.start < spot.end && spot.start < s.end) {
                Some(known) if closeness(&spot) < closeness(known) => *known = spot,
                Some(_) => {}
                None => spots.push(spot),
            }
        }
        refused
    }

    /// Approximate matches of the quote anywhere in the new text the diff paired with nothing (with the
    /// same refusals as [`World::fuzzy_in`]): the best, and any other place within a margin of it in
    /// edits, which makes the claim ambiguous. For a passage moved and edited whose own words the diff
    /// gave to a lookalike (a sentence differing in a figure), so that no move says where it went.
    fn fuzzy_unpaired(&self, quote: &TextQuoteSelector, old_start: usize, old_end: usize) -> Vec<Spot> {
        let length = quote.exact.len();
        // At most an eighth of a match may be other text's, and it has at least half the quote's length.
        // The search costs the unpaired text's length for every claim that gets here. Where an edit left
        // more than an eighth of a long draft unpaired (words changed all over), that is most of the text
        // for each orphan, and a moved passage is not what the diff failed to see: no search.
        const BUDGET: usize = 4096;
        let stretches = self.edit.unpaired_new(length * 3 / 8);
        let unpaired: usize = stretches.iter().map(|(from, to)| to - from).sum();
        if unpaired > BUDGET.max(self.new.text.len() / 8) {
            return Vec::new();
        }
        let mut spots: Vec<Spot> = Vec::new();
        for (from, to) in stretches {
            spots.extend(self.fuzzy_in(quote, old_start, old_end, (from, to, 0, 0)));
        }
        // Text the diff paired with nothing may still be a copy of old text (a sentence duplicated: the
        // copy is unpaired); a match that is word for word other old text is that text.
        let old_text = self.old.text;
        spots.retain(|s| {
            let found = &self.new.text[s.start..s.end];
            !old_text.match_indices(found).any(|(at, _)| at + found.len() <= old_start || at >= old_end)
        });
        let Some(best) = spots.iter().map(|s| s.errors).min() else { return spots };
        let margin = (cp_len(&quote.exact) / 16).max(2);
        spots.retain(|s| s.errors <= best + margin);
        spots
    }

    /// Whether `found`, new text `span` matching the quote at old bytes `old_span` with `errors` edits,
    /// matches some other old text near the quote at least as well, text that did not survive
    /// elsewhere. Then `found` is most likely that text (a neighbour from the same template, say), which
    /// a token diff paired with the quote's words because a sentence between was deleted; taking it would
    /// be the silent mis-anchoring this module exists to avoid.
    fn is_lookalike<'f>(
        &self,
        found: &'f [char],
        matcher: &OnceCell<myers::Matcher<'f>>,
        errors: u32,
        old_span: (usize, usize),
        span: (usize, usize),
    ) -> bool {
        const SLACK: u32 = 8;
        let (quote_start, quote_end) = (self.old.cp(old_span.0), self.old.cp(old_span.1));
        let reach = to_u32(found.len()) + errors + SLACK;
        // Deleted text between the quote and a neighbour does not put the neighbour out of reach: the
        // reach counts from the unedited text nearest the quote on each side.
        let (deleted_from, deleted_to) = self.edit.deleted_around(old_span.0, old_span.1);
        // Nor does the diff's choice of which old words to pair with the match's: whatever old text lies
        // between the unedited runs around the match could be what it is (the diff may have paired a
        // lookalike's words with the quote's, leaving the lookalike's own old text far from the quote).
        let (between_from, between_to) = self.edit.old_between(span.0, span.1);
        let window_start = self.old.cp(deleted_from.min(between_from)).saturating_sub(reach);
        let window_end = self.old.cp(deleted_to.max(between_to)).saturating_add(reach).min(self.old.len());
        // A match within `errors` edits holds one of `errors + 1` pieces of `found` unedited
        // (pigeonhole): a side holding none of them needs no search. Most neighbours are not lookalikes.
        // The pieces are slices of the match's own new text (`found` is its characters).
        let found_text = &self.new.text[span.0..span.1];
        // Cut for the first side that may hold a lookalike: most hold none.
        let bounds = std::cell::OnceCell::new();
        // Only text on either side of the quote's own old text can be another passage; the two sides
        // are searched apart (a match straddling the quote would pay for every character of it).
        [(window_start, quote_start), (quote_end, window_end)].into_iter().any(|(from_cp, to_cp)| {
            let Some(side) = self.old.slice(from_cp, to_cp) else { return false };
            let Some(side_start) = self.old.byte(from_cp) else { return false };
            // Only text that did not survive counts, and most old text near a quote is unedited text
            // that went elsewhere: where no stretch can be that, no search.
            if !self.may_hold_unkept((side_start, side_start + side.len()), (old_span, span), found.len(), errors) {
                return false;
            }
            if !holds_a_piece(
                side,
                found_text,
                bounds.get_or_init(|| pigeonhole_pieces(found_text, found.len(), errors)),
            ) {
                return false;
            }
            let side: Vec<char> = side.chars().collect();
            if side.len() + (errors as usize) < found.len() {
                return false;
            }
            let matcher = matcher.get_or_init(|| myers::Matcher::new(found));
            // Searched within the match's own edits: a lookalike that close is rarely within a quarter of
            // its length too (at 30 % of words edited, most such searches that made the nearer first pass
            // had to make the second as well).
            matcher.best_matches_expecting(&side, errors, 4, errors).into_iter().any(|other| {
                let (Some(from), Some(to)) =
                    (self.old.byte(from_cp + to_u32(other.start)), self.old.byte(from_cp + to_u32(other.end)))
                else {
                    return false;
                };
                // It survived (edited or not) if most of it is still text of the new draft elsewhere.
                let survived = 2 * self.edit.kept_outside(from, to, span.0, span.1) >= to - from;
                !survived
            })
        })
    }

    /// Whether old bytes `side` may hold text outside the quote's (old bytes `old_span`), within `errors`
    /// edits of a match of `chars` code points (new bytes `span`), that did not survive outside the match
    /// ([`Edit::may_hold_unkept`]): such text has `chars - errors` to `chars + errors` code points, so at
    /// least as many bytes.
    fn may_hold_unkept(
        &self,
        side: (usize, usize),
        (old_span, span): ((usize, usize), (usize, usize)),
        chars: usize,
        errors: u32,
    ) -> bool {
        let most = to_u32(chars + errors as usize);
        let longest =
            |from: usize| self.old.byte(self.old.cp(from).saturating_add(most)).unwrap_or(self.old.text.len());
        self.edit.may_hold_unkept(side, span, old_span, chars.saturating_sub(errors as usize), longest)
    }

    /// A placement at `spot`.
    fn placed(&self, state: AnchorState, spot: Spot, confidence: f32, quote: &TextQuoteSelector) -> Placement {
        let position = self.position(spot);
        let quote_now = (state == AnchorState::Fuzzy).then(|| self.new.text[spot.start..spot.end].to_string());
        let _ = quote;
        Placement {
            state,
            position: Some(position),
            confidence: confidence.clamp(0.0, 1.0),
            candidates: Vec::new(),
            quote_now,
        }
    }

    /// An ambiguous or orphaned placement, with candidates best first.
    fn unplaced(&self, state: AnchorState, spots: Vec<Spot>, quote: &TextQuoteSelector) -> Placement {
        let length = cp_len(&quote.exact).max(1);
        let mut candidates: Vec<Candidate> = spots
            .into_iter()
            .map(|spot| {
                let position = self.position(spot);
                let similarity = 1.0 - ratio(spot.errors, length);
                let score = 0.8 * similarity + 0.2 * context_fraction(spot.context, quote);
                Candidate { start: position.start, end: position.end, score }
            })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
        Placement { state, position: None, confidence: 0.0, candidates, quote_now: None }
    }

    /// A spot in code points.
    fn position(&self, spot: Spot) -> TextPositionSelector {
        TextPositionSelector { start: self.new.cp(spot.start), end: self.new.cp(spot.end) }
    }
}

/// The byte bounds in `found_text` (of `chars` code points) of `errors + 1` pieces of about equal length,
/// or none when they would be shorter than 4 code points: a text within `errors` edits of `found_text`
/// holds one of them unedited (pigeonhole), so a text holding none needs no approximate search.
fn pigeonhole_pieces(found_text: &str, chars: usize, errors: u32) -> Vec<usize> {
    let parts = errors as usize + 1;
    let piece = chars / parts;
    let mut bounds: Vec<usize> = Vec::new();
    if piece >= 4 {
        let mut starts = found_text.char_indices().map(|(at, _)| at).chain([found_text.len()]);
        let mut previous = 0;
        bounds.extend((0..=parts).map(|i| {
            let index = if i == parts { chars } else { i * piece };
            let at = starts.nth(index - previous).unwrap_or(found_text.len());
            previous = index + 1;
            at
        }));
    }
    bounds
}

/// Whether `text` may be within the edits of [`pigeonhole_pieces`] of `found_text`: it holds one of the
/// pieces `bounds` cut (always, when there are none).
fn holds_a_piece(text: &str, found_text: &str, bounds: &[usize]) -> bool {
    bounds.is_empty() || bounds.windows(2).any(|piece| text.contains(&found_text[piece[0]..piece[1]]))
}

/// `part / whole` as a fraction clamped to 0..1.
fn ratio(part: u32, whole: u32) -> f32 {
    // Both are at most a draft's length; f64 holds them exactly and the result is in 0..1.
    #[allow(clippy::cast_possible_truncation)]
    let fraction = (f64::from(part) / f64::from(whole.max(1))).clamp(0.0, 1.0) as f32;
    fraction
}

/// Matching context as a fraction of the context the quote carries (1 when it carries none).
fn context_fraction(context: u32, quote: &TextQuoteSelector) -> f32 {
    let carried = cp_len(&quote.prefix) + cp_len(&quote.suffix);
    if carried == 0 {
        1.0
    } else {
        ratio(context, carried)
    }
}

/// What an edit removed from the old text and added to the new one, as code point spans of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextChanges {
    /// Spans of the old text that are not in the new one, in order.
    pub removed: Vec<TextPositionSelector>,
    /// Spans of the new text that were not in the old one, in order.
    pub added: Vec<TextPositionSelector>,
}

/// The word-level edit from `old_text` to `new_text`: the same token diff re-anchoring uses (words,
/// whitespace runs and punctuation), so what a reviewer sees changed is what moved the claims.
pub fn changes(old_text: &str, new_text: &str) -> TextChanges {
    let edit = Edit::new(old_text, new_text);
    let (old, new) = (Chars::new(old_text), Chars::new(new_text));
    let span =
        |chars: &Chars<'_>, from: usize, to: usize| TextPositionSelector { start: chars.cp(from), end: chars.cp(to) };
    let mut result = TextChanges::default();
    let (mut old_at, mut new_at) = (0, 0);
    let ends = edit.runs().iter().map(|run| (run.old, run.new, run.len)).chain([(edit.old_len(), edit.new_len(), 0)]);
    for (old_from, new_from, len) in ends {
        if old_from > old_at {
            result.removed.push(span(&old, old_at, old_from));
        }
        if new_from > new_at {
            result.added.push(span(&new, new_at, new_from));
        }
        old_at = old_from + len;
        new_at = new_from + len;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long draft of varied sentences (figures, names, repeated openings: lookalikes), an edited copy
    /// (words changed, sentences deleted, a paragraph moved), and an anchor on every sentence.
    fn long_edited_draft() -> (String, String, Vec<Anchor>) {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let openings = ["The council said", "Officials said", "A spokesman for the ministry said", "Records show"];
        let objects = ["the budget", "the contract", "the embassy", "the inquiry", "the port"];
        let paragraphs: Vec<String> = (0..90)
            .map(|_| {
                (0..4)
                    .map(|_| {
                        format!(
                            "{} {} grew by {}.{} million in {}.",
                            openings[usize::try_from(next(4)).unwrap_or(0)],
                            objects[usize::try_from(next(5)).unwrap_or(0)],
                            next(90) + 1,
                            next(10),
                            2000 + next(25)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let old = paragraphs.join("\n\n");
        let mut edited: Vec<String> = paragraphs
            .iter()
            .map(|paragraph| {
                paragraph
                    .split(' ')
                    .filter_map(|word| match next(80) {
                        0 | 1 => None,
                        2..=11 => Some(format!("{word}x")),
                        _ => Some(word.to_string()),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let moved = edited.remove(10);
        edited.insert(70, moved);
        let new = edited.join("\n\n");
        let mut anchors = Vec::new();
        let mut start = 0u32;
        for sentence in old.split_inclusive(['.', '\n']) {
            let length = cp_len(sentence);
            let exact = sentence.trim();
            if exact.len() > 10 {
                let lead = cp_len(&sentence[..sentence.find(exact).unwrap_or(0)]);
                let position = TextPositionSelector { start: start + lead, end: start + lead + cp_len(exact) };
                anchors.push(describe(&old, position).expect("a sentence of the text"));
            }
            start += length;
        }
        (old, new, anchors)
    }

    #[test]
    fn claims_are_placed_the_same_on_any_number_of_threads() {
        let (old, new, anchors) = long_edited_draft();
        assert!(anchors.len() >= PARALLEL_FROM, "the threaded path is taken: {} claims", anchors.len());
        let alone = reanchor_on(&old, &new, &anchors, 1);
        let states: std::collections::HashSet<AnchorState> = alone.iter().map(|placed| placed.state).collect();
        assert!(states.len() >= 3, "a workload with edits of several kinds: {states:?}");
        for threads in [2, 3, 4] {
            assert_eq!(reanchor_on(&old, &new, &anchors, threads), alone, "{threads} threads");
        }
        assert_eq!(reanchor_all(&old, &new, &anchors), alone);
    }
}
