//! A quote's paragraph swapped with its lookalike's: the diff's pairings crossed.
//!
//! When two paragraphs that are lookalikes of each other (the same template, a figure or a name
//! apart) change places and one is edited, the in-order diff can pair each old paragraph with the
//! other's new text: the quote's old text with the lookalike's new text, and the lookalike's old text
//! with the quote's edited new text. The search where the diff put the quote then finds the lookalike;
//! nothing there is foreign, and the lookalike's old text, paired, looks as if it survived.
//!
//! A match found for the quote is weighed against each old lookalike of it (found through an index of
//! the old text's word windows, by the windows around the match's own edited words) that is word for
//! word the match (the lookalike's paragraph stayed unedited), so fits it better than the quote does. The pairings crossed only if, as well, the quote fits the new
//! text where that lookalike's old text went strictly better than the lookalike does, and the crossed
//! pairing costs strictly fewer edits in all: then the quote is placed there instead. Anything less
//! keeps the diff's pairing (it also keeps the order of the text): a lookalike that survived unedited
//! is its own text, whatever a heavily edited match near the quote looks like. (Weighing the sums of
//! edits alone placed 19 claims of the templated bench and one of the realistic workload on the wrong
//! text.)

use super::diff::KeyTable;
use super::lost::{window_key, words, MatchWords, Word, SLACK, WORDS};
use super::{myers, text::to_u32, World};

/// The old text's word windows (as in `lost`), chained by key in text order: where a match could be word
/// for word old text. Built once per draft when a claim first needs it, in one pass (no sort: this is
/// built for every draft a claim is edited in, and a sorted index cost more than all its look-ups).
pub(super) struct WordChains {
    /// Per key: how many windows have it, and the first and last of them (indices into `windows`).
    keys: KeyTable<(u32, u32, u32)>,
    /// Per window, in text order: the old byte offset of its first word, and the next window with the
    /// same key (`u32::MAX`: none).
    windows: Vec<(u32, u32)>,
}

/// [`WordChains::keys`] of a key no window has.
const NO_WINDOW: (u32, u32, u32) = (0, u32::MAX, u32::MAX);

impl WordChains {
    /// Chains the windows of all of `old`.
    pub(super) fn of(old: &str) -> Self {
        let words = words(old);
        let count = words.len().saturating_sub(WORDS - 1);
        // A key's first and last windows are never `u32::MAX`: `NO_WINDOW` marks an empty slot.
        let mut chains = WordChains { keys: KeyTable::new(count, NO_WINDOW), windows: Vec::with_capacity(count) };
        for window in words.windows(WORDS) {
            let index = to_u32(chains.windows.len());
            chains.windows.push((to_u32(window[0].0), u32::MAX));
            let entry = chains.keys.entry(window_key(window), (0, index, index));
            if entry.0 > 0 {
                chains.windows[entry.2 as usize].1 = index;
                entry.2 = index;
            }
            entry.0 += 1;
        }
        chains
    }

    /// Where a text (its `words`, see [`words`]) could be word for word in the old text: the places of
    /// its rarest window among those `wanted` accepts (given the window's first and last byte in the
    /// text), aligned with the text's start, in text order. An exact copy holds every window, so the
    /// rarest alone finds it. Ties go to the smaller key, then to the window first in the text (the order
    /// of the sorted index this replaces).
    pub(super) fn exact_candidates(&self, words: &[Word], wanted: impl Fn(usize, usize) -> bool) -> Vec<usize> {
        let rarest = words
            .windows(WORDS)
            .filter(|window| wanted(window[0].0, window[WORDS - 1].1))
            .map(|window| {
                let key = window_key(window);
                let (count, first, _) = self.keys.get(key).unwrap_or(NO_WINDOW);
                (count, key, window[0].0, first)
            })
            .min();
        // A window no old text has: nothing can be a copy.
        let Some((count @ 1.., _, offset, first)) = rarest else { return Vec::new() };
        let mut places = Vec::with_capacity(count as usize);
        let mut at = first;
        while let Some(&(start, next)) = self.windows.get(at as usize) {
            places.extend((start as usize).checked_sub(offset));
            at = next;
        }
        places
    }
}

/// What weighing a match against its crossed pairings decided.
pub(super) enum Crossed {
    /// The diff's pairing stands: the match is the quote's.
    Kept,
    /// The quote is at new bytes `start..end` with `errors` edits: where a lookalike's old text went.
    Swapped { start: usize, end: usize, errors: u32 },
}

impl World<'_> {
    /// Weighs the match at new bytes `span` (matching the quote `pattern` at old bytes `old_span` with
    /// `errors` edits) against the crossed pairings of the old lookalikes that fit it strictly better.
    pub(super) fn weigh_crossed(
        &self,
        pattern: &[char],
        errors: u32,
        (old_span, span): ((usize, usize), (usize, usize)),
        match_words: &MatchWords,
    ) -> Crossed {
        if errors == 0 {
            return Crossed::Kept;
        }
        // Only the match's own edits can say it is another passage: the windows of its words that touch
        // text the diff did not pair with old text. A match the diff paired whole is the quote's.
        let unpaired = self.edit.unpaired_new_within(span.0, span.1);
        if unpaired.is_empty() {
            return Crossed::Kept;
        }
        let index = self.old_words.get_or_init(|| WordChains::of(self.old.text));
        let touches_edit = |first: usize, last: usize| {
            unpaired.iter().any(|&(from, to)| from <= span.0 + last && span.0 + first <= to)
        };
        let words = match_words.get_or_init(|| words(&self.new.text[span.0..span.1]));
        let places = index.exact_candidates(words, touches_edit);
        // Only a lookalike the match is word for word (the paragraph that stayed unedited) is weighed,
        // found by the rarest window alone: one a few edits from the match would need an approximate
        // search at every place it shares windows with, which on a templated draft is most claims (5×
        // slower at 10 % edits).
        let text = &self.new.text[span.0..span.1];
        for at in places {
            let (from, to) = (at, at + text.len());
            if self.old.text.get(from..to) != Some(text) || (from < old_span.1 && old_span.0 < to) {
                continue;
            }
            if let Some(swapped) = self.swapped(pattern, errors, (from, to), 0, span) {
                return swapped;
            }
        }
        Crossed::Kept
    }

    /// The quote's place where old lookalike `lookalike` (bytes; `lookalike_errors` edits from the match)
    /// went, if pairing the quote there and the lookalike at the match (new bytes `span`, `errors` edits
    /// from the quote) costs strictly fewer edits than the diff's pairing.
    fn swapped(
        &self,
        pattern: &[char],
        errors: u32,
        lookalike: (usize, usize),
        lookalike_errors: u32,
        span: (usize, usize),
    ) -> Option<Crossed> {
        let (went_from, went_to) = self.edit.kept_region(lookalike.0, lookalike.1, span.0, span.1)?;
        let text: Vec<char> = self.old.text[lookalike.0..lookalike.1].chars().collect();
        let bound = to_u32(pattern.len().max(text.len())) / 2;
        let window_start = self.new.cp(went_from).saturating_sub(SLACK + bound);
        let window_end = self.new.cp(went_to).saturating_add(SLACK + bound).min(self.new.len());
        let window: Vec<char> = self.new.slice(window_start, window_end)?.chars().collect();
        let there = myers::Matcher::new(pattern).best_matches(&window, bound, 1).into_iter().next()?;
        let kept = myers::Matcher::new(&text).best_matches(&window, bound, 1).into_iter().next()?;
        let (start, end) =
            (self.new.byte(window_start + to_u32(there.start))?, self.new.byte(window_start + to_u32(there.end))?);
        if start < span.1 && span.0 < end {
            return None;
        }
        // Crossed only if each new text fits the other's old text strictly better than its own (the
        // lookalike fits the match better than the quote does: asked by the caller), and the pairing
        // crossed costs strictly fewer edits in all. A lookalike that survived unedited stays its own.
        let diffs = errors + kept.errors;
        let crossed = there.errors + lookalike_errors;
        (there.errors < kept.errors && crossed < diffs).then_some(Crossed::Swapped { start, end, errors: there.errors })
    }
}
