//! Old text the diff lost, indexed by word windows, for the lookalike check.
//!
//! A paragraph moved past its lookalike (the same template, a figure or a name apart) and edited can
//! make the in-order diff pair the quote's old text with the lookalike's new text and pair the
//! lookalike's own old text with nothing: it looks deleted, a paragraph or more from the quote, out of
//! the reach of [`World::is_lookalike`], which searches the quote's neighbourhood. The fuzzy search
//! where the diff put the quote then finds the lookalike, and nothing there says it is other text.
//!
//! A match found for a quote is refused if it fits some lost old text (other than the quote's own) at
//! least as well as it fits the quote, and that text did not survive elsewhere: the match is then most
//! likely that text. The lost text is found through an index of its word windows, built once per
//! draft when first needed and consulted by hash, so a claim pays for a few small searches around
//! the windows it shares with lost text, not for a search of all of it.

use super::{myers, text::to_u32, World};
use crate::anchor::diff::{Edit, IdentityMap};

/// Words per indexed window. A match within `e` edits of lost text keeps most of its three-word
/// windows whole when `e` is small (an edit breaks at most the few windows holding the words it
/// touches); a heavily edited match may share none, and is then left to the other checks.
pub(super) const WORDS: usize = 3;

/// Lost stretches shorter than this (bytes) are scraps of an edit, not a passage.
const SENTENCE: usize = 24;

/// Lost text indexed at most: max(this, an eighth of the old text). Beyond it, words were changed all
/// over and the lost text is scattered edits, not whole passages that lookalikes could be.
const BUDGET: usize = 4096;

/// Distinct places searched at most per match (those sharing the most windows first).
const PLACES: usize = 8;

/// Code points of slack around a place, beyond the match's edits.
pub(super) const SLACK: u32 = 8;

/// Word windows of some stretches of old text: (key, old byte offset of the window's first word, length
/// of its stretch in bytes), sorted by key.
#[derive(Default)]
pub(super) struct WordIndex {
    windows: Vec<(u64, usize, usize)>,
    /// Where each key's windows are in `windows` (first, end): a claim looks up a few dozen keys per
    /// match, and a hash look-up spares the binary searches over the whole index.
    ranges: IdentityMap<(u32, u32)>,
}

impl WordIndex {
    /// Indexes the lost stretches of `old` under `edit`; empty when they exceed the budget.
    pub(super) fn lost(old: &str, edit: &Edit) -> Self {
        let stretches = edit.unpaired_old(SENTENCE);
        let lost: usize = stretches.iter().map(|(from, to)| to - from).sum();
        if lost > BUDGET.max(old.len() / 8) {
            return WordIndex::default();
        }
        WordIndex::of(old, &stretches)
    }

    fn of(old: &str, stretches: &[(usize, usize)]) -> Self {
        let mut windows = Vec::new();
        for &(from, to) in stretches {
            let words = words(&old[from..to]);
            windows.extend(words.windows(WORDS).map(|window| (window_key(window), from + window[0].0, to - from)));
        }
        windows.sort_unstable();
        let mut ranges: IdentityMap<(u32, u32)> = IdentityMap::default();
        ranges.reserve(windows.len());
        let mut first = 0;
        for (at, &(key, _, _)) in windows.iter().enumerate() {
            if windows.get(at + 1).is_none_or(|&(next, _, _)| next != key) {
                ranges.insert(key, (to_u32(first), to_u32(at + 1)));
                first = at + 1;
            }
        }
        WordIndex { windows, ranges }
    }

    /// The range of `windows` holding `key`'s windows (an empty one when there are none).
    fn range(&self, key: u64) -> (usize, usize) {
        self.ranges.get(&key).map_or((0, 0), |&(first, end)| (first as usize, end as usize))
    }

    /// Whether nothing is indexed.
    pub(super) fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Old byte offsets of the indexed windows with this key in stretches of at least `shortest` bytes.
    fn find(&self, key: u64, shortest: usize) -> impl Iterator<Item = usize> + '_ {
        let (first, end) = self.range(key);
        self.windows[first..end].iter().filter(move |&&(_, _, len)| len >= shortest).map(|&(_, at, _)| at)
    }

    /// The places in the old text where indexed windows of a text's `words` (see [`words`]) are, aligned
    /// with the text's start (the window's offset in it taken off), for the windows `wanted` accepts
    /// (given the window's first and last byte in the text), in stretches of at least `shortest` bytes;
    /// places within `near` bytes are one. At most `limit`, those sharing the most windows first.
    pub(super) fn places(
        &self,
        words: &[Word],
        (near, shortest): (usize, usize),
        limit: usize,
        wanted: impl Fn(usize, usize) -> bool,
    ) -> Vec<usize> {
        let mut places: Vec<usize> = Vec::new();
        for window in words.windows(WORDS) {
            let (first, last) = (window[0].0, window[WORDS - 1].1);
            if wanted(first, last) {
                places.extend(self.find(window_key(window), shortest).map(|at| at.saturating_sub(first)));
            }
        }
        places.sort_unstable();
        let mut grouped: Vec<(usize, usize)> = Vec::new();
        for at in places {
            match grouped.last_mut() {
                Some((first, count)) if at - *first <= near => *count += 1,
                _ => grouped.push((at, 1)),
            }
        }
        grouped.sort_by_key(|&(at, count)| (std::cmp::Reverse(count), at));
        grouped.into_iter().take(limit).map(|(at, _)| at).collect()
    }
}

/// The words of `text` (maximal runs of letters and digits): byte offsets of their start and end and
/// hash of each.
pub(super) fn words(text: &str) -> Vec<Word> {
    // About one word per six bytes of prose: room for most texts without regrowing.
    let mut words = Vec::with_capacity(text.len() / 5 + 1);
    let mut current: Option<(usize, u64)> = None;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // ASCII (most of a draft) is classified by its byte; other chars are decoded for Unicode's test.
        let (c, width) = if bytes[at] < 0x80 {
            (char::from(bytes[at]), 1)
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            (c, c.len_utf8())
        };
        if c.is_alphanumeric() {
            let (start, hash) = current.unwrap_or((at, 0xcbf2_9ce4_8422_2325));
            current = Some((start, (hash ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3)));
        } else if let Some((start, hash)) = current.take() {
            words.push((start, at, hash));
        }
        at += width;
    }
    words.extend(current.map(|(start, hash)| (start, text.len(), hash)));
    words
}

/// A word of a text: byte offsets of its start and end, and its hash.
pub(super) type Word = (usize, usize, u64);

/// A match's words, split when a check first needs them (the lost-text and crossed checks both do).
pub(super) type MatchWords = std::cell::OnceCell<Vec<Word>>;

/// The key of a window of words.
pub(super) fn window_key(window: &[Word]) -> u64 {
    window.iter().fold(0u64, |key, &(_, _, hash)| (key.rotate_left(21) ^ hash).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

impl World<'_> {
    /// Whether `found` (new bytes `span`, matching the quote at old bytes `old_span` with `errors` edits)
    /// matches old text the diff lost, other than the quote's, within `errors` edits, text that did not
    /// survive elsewhere: then it is most likely that text, not the quote.
    pub(super) fn is_lost_lookalike<'f>(
        &self,
        found: &'f [char],
        matcher: &std::cell::OnceCell<myers::Matcher<'f>>,
        errors: u32,
        (old_span, span): ((usize, usize), (usize, usize)),
        match_words: &MatchWords,
    ) -> bool {
        let index = self.lost.get_or_init(|| WordIndex::lost(self.old.text, &self.edit));
        if index.is_empty() {
            return false;
        }
        // Where the lost text sharing a window would begin, were it aligned with the match; places a
        // few bytes apart are one (edits shift the windows).
        let near = (span.1 - span.0) / 4;
        // Lost text that can match within `errors` edits has at least the match's length in code points
        // less them, so at least as many bytes: most stretches an edit spread over a draft leaves are
        // far shorter.
        let shortest = found.len().saturating_sub(errors as usize);
        let words = match_words.get_or_init(|| words(&self.new.text[span.0..span.1]));
        let places = index.places(words, (near, shortest), PLACES, |_, _| true);
        let length = to_u32(found.len());
        // A place holding none of the match's pigeonhole pieces cannot be within `errors` edits of it;
        // the pattern (`matcher`, shared with the neighbourhood check) is prepared once, for the first
        // search that needs it.
        let found_text = &self.new.text[span.0..span.1];
        let bounds = std::cell::OnceCell::new();
        places.into_iter().any(|at| {
            let start = self.old.cp(at);
            let from_cp = start.saturating_sub(errors + SLACK);
            let to_cp = start.saturating_add(length + errors + SLACK + to_u32(near)).min(self.old.len());
            let Some(side) = self.old.slice(from_cp, to_cp) else { return false };
            let Some(side_start) = self.old.byte(from_cp) else { return false };
            // Lost text the diff paired in scraps may still be mostly unedited text that went elsewhere, and
            // the quote's own old text (often lost too, when it was edited) is not another passage.
            if !self.may_hold_unkept((side_start, side_start + side.len()), (old_span, span), found.len(), errors) {
                return false;
            }
            let bounds = bounds.get_or_init(|| super::pigeonhole_pieces(found_text, found.len(), errors));
            if !super::holds_a_piece(side, found_text, bounds) {
                return false;
            }
            let side: Vec<char> = side.chars().collect();
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
                // The quote's own old text is not another passage.
                if from < old_span.1 && old_span.0 < to {
                    return false;
                }
                2 * self.edit.kept_outside(from, to, span.0, span.1) < to - from
            })
        })
    }
}
