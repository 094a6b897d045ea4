//! A quote's edited text hidden behind other old text in the same region.
//!
//! [`myers::Matcher::best_matches`] returns only the matches at the best distance. When a paragraph moves next
//! to the quote's lookalike (the same template, a figure apart) and both land in the region the fuzzy
//! search looks at, the lookalike can be the region's best match (2 edits, say) while the quote's own
//! edited text is a little worse (3): the lookalike is rightly refused as other old text (foreign by the
//! diff, or a lookalike of old text that did not survive), and the quote's
//! text, never returned, is missed (the claim ends orphaned, or fuzzy on a scrap found elsewhere).
//! Here the region is searched again with the refused text masked, no further than a margin of edits
//! past it, so a match found this way is about as good as the best the region held.

use super::{myers, Spot, TextQuoteSelector, World};

/// Stands in the searched text for refused text, so that a search looks past it. A Unicode
/// noncharacter: no draft's text holds it as a character to match.
const MASK: char = '\u{FDD0}';

/// How many times the region is searched again past newly refused matches.
const ROUNDS: usize = 2;

/// One fuzzy search: the quote's old bytes, the new region searched (`from`, `to`, and the bytes at its
/// ends that are the quote's own words though the diff paired them elsewhere) and the first code point of
/// the window of new text searched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Searched {
    pub(super) old_span: (usize, usize),
    pub(super) region: (usize, usize, usize, usize),
    pub(super) window_start: u32,
    /// How many edits the diff suggests the quote's text in the region has at most (see
    /// [`Matcher::best_matches_expecting`](super::myers::Matcher::best_matches_expecting)).
    pub(super) expected: u32,
}

impl World<'_> {
    /// Called when every best match of the quote in `window` was `refused` as other old text and none
    /// was accepted: searches `window` again with the refused text masked, at most max(2, length/16)
    /// edits past the best refused match, adding what it accepts to `spots` (with the usual refusals).
    pub(super) fn search_past_refused(
        &self,
        quote: &TextQuoteSelector,
        pattern: &[char],
        searched: &Searched,
        mut window: Vec<char>,
        mut refused: Vec<myers::Match>,
        spots: &mut Vec<Spot>,
    ) {
        let Some(best_refused) = refused.iter().map(|m| m.errors).min() else { return };
        let length = super::to_u32(pattern.len());
        let bound = (length / 2).min(best_refused + (length / 16).max(2));
        for _ in 0..ROUNDS {
            for found in &refused {
                window[found.start..found.end].fill(MASK);
            }
            refused = self.accept_matches(quote, pattern, searched, &window, bound, spots);
            if !spots.is_empty() || refused.is_empty() {
                break;
            }
        }
    }
}
