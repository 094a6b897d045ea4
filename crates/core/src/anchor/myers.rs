//! Approximate string matching with Myers' bit-parallel algorithm (Myers 1999), blockwise for patterns
//! longer than 64 code points (Hyyrö's block formulation, as in edlib).
//!
//! One 64-bit word holds the vertical deltas of 64 rows of the dynamic-programming matrix, so a column
//! costs a dozen word operations per block instead of a loop over the pattern: a 130-character quote in a
//! 300-character window is about a thousand word operations.

/// A pattern prepared for matching: per distinct character, a bit vector per block of where it occurs.
pub(crate) struct Pattern {
    /// Length in characters.
    len: usize,
    /// Number of 64-row blocks.
    blocks: usize,
    /// `peq[symbol * blocks + block]`: bit `r` set where the pattern's row `64 * block + r` is that symbol.
    peq: Vec<u64>,
    /// ASCII character → symbol + 1 (0: not in the pattern).
    ascii: [u32; 128],
    /// Other characters → symbol, sorted by character.
    other: Vec<(char, u32)>,
}

/// One approximate occurrence, in character offsets of the searched text (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) errors: u32,
}

impl Pattern {
    /// Prepares `chars` (not empty) for matching.
    pub(crate) fn new(chars: &[char]) -> Self {
        let blocks = chars.len().div_ceil(64).max(1);
        let mut ascii = [0u32; 128];
        let mut other: Vec<(char, u32)> = Vec::new();
        let mut symbols = 0u32;
        let mut peq: Vec<u64> = Vec::new();
        for (row, &c) in chars.iter().enumerate() {
            let symbol = if let Some(slot) = ascii.get_mut(c as usize) {
                if *slot == 0 {
                    symbols += 1;
                    *slot = symbols;
                    peq.resize(symbols as usize * blocks, 0);
                }
                *slot - 1
            } else if let Some(&(_, symbol)) = other.iter().find(|(known, _)| *known == c) {
                symbol
            } else {
                other.push((c, symbols));
                symbols += 1;
                peq.resize(symbols as usize * blocks, 0);
                symbols - 1
            };
            peq[symbol as usize * blocks + row / 64] |= 1u64 << (row % 64);
        }
        other.sort_unstable_by_key(|&(c, _)| c);
        Pattern { len: chars.len(), blocks, peq, ascii, other }
    }

    /// The match bits of character `c`, one word per block, or `None` if `c` is not in the pattern.
    fn eq_bits(&self, c: char) -> Option<&[u64]> {
        let symbol = match self.ascii.get(c as usize) {
            Some(0) => return None,
            Some(&slot) => slot - 1,
            None => self.other.binary_search_by_key(&c, |&(known, _)| known).ok().map(|i| self.other[i].1)?,
        };
        let from = symbol as usize * self.blocks;
        self.peq.get(from..from + self.blocks)
    }

    /// Distance of the whole pattern to the best substring of `text` ending after each character:
    /// `out[j]` is for a match ending at `j + 1`. With `anchored`, substrings must start at 0 (the
    /// top row of the matrix counts the skipped text) instead of anywhere (Sellers' free start).
    pub(crate) fn distances(&self, text: &[char], anchored: bool) -> Vec<u32> {
        let blocks = self.blocks;
        // Per block: vertical positive and negative delta bits, and the score at its last row (64 rows
        // down). The last block's real last row is read from its bits instead, because rows past the
        // pattern's end (padding) must not count.
        let mut state: Vec<(u64, u64, i32)> =
            (1..=blocks).map(|b| (!0u64, 0u64, i32::try_from(b * 64).unwrap_or(i32::MAX))).collect();
        let last_rows = self.len - 64 * (blocks - 1);
        let last_mask = if last_rows == 64 { !0u64 } else { (1u64 << last_rows) - 1 };
        let zeros = vec![0u64; blocks];
        let mut out = Vec::with_capacity(text.len());
        for (column, &c) in (1i32..).zip(text) {
            let eqs = self.eq_bits(c).unwrap_or(&zeros);
            let mut carry = i32::from(anchored);
            for ((pv, mv, bottom), &eq) in state.iter_mut().zip(eqs) {
                let (hout, new_pv, new_mv) = advance(*pv, *mv, eq, carry);
                *pv = new_pv;
                *mv = new_mv;
                *bottom += hout;
                carry = hout;
            }
            let top = match state.len().checked_sub(2).and_then(|i| state.get(i)) {
                Some(&(_, _, bottom)) => bottom,
                None if anchored => column,
                None => 0,
            };
            let (pv, mv, _) = state[blocks - 1];
            let delta = i32::try_from((pv & last_mask).count_ones()).unwrap_or(0)
                - i32::try_from((mv & last_mask).count_ones()).unwrap_or(0);
            out.push(u32::try_from(top + delta).unwrap_or(u32::MAX));
        }
        out
    }
}

/// One column step of one block. `hin` is the horizontal delta entering the block's top row (-1, 0, +1);
/// returns the delta leaving its bottom row and the block's new vertical delta bits.
#[inline(always)]
fn advance(pv: u64, mv: u64, eq: u64, hin: i32) -> (i32, u64, u64) {
    let hin_negative = u64::from(hin < 0);
    let xv = eq | mv;
    let eq = eq | hin_negative;
    let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
    let mut ph = mv | !(xh | pv);
    let mut mh = pv & xh;
    let hout = i32::from(ph >> 63 != 0) - i32::from(mh >> 63 != 0);
    ph <<= 1;
    mh <<= 1;
    mh |= hin_negative;
    ph |= u64::from(hin > 0);
    (hout, mh | !(xv | ph), ph & xv)
}

/// The best approximate occurrences of `pattern` in `text` with at most `max_errors` edits: every match
/// end reaching the minimum distance, each with the start that makes its length closest to the pattern's
/// (found by matching the reversed pattern backwards from that end). At most `limit` are returned.
pub(crate) fn best_matches(pattern: &[char], text: &[char], max_errors: u32, limit: usize) -> Vec<Match> {
    if pattern.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let forward = Pattern::new(pattern);
    let ends = forward.distances(text, false);
    let Some(&best) = ends.iter().min() else { return Vec::new() };
    if best > max_errors {
        return Vec::new();
    }
    let reversed: Vec<char> = pattern.iter().rev().copied().collect();
    let backward = Pattern::new(&reversed);
    let span = pattern.len() + max_errors as usize;
    let mut matches = Vec::new();
    for (index, _) in ends.iter().enumerate().filter(|(_, &d)| d == best).take(limit) {
        let end = index + 1;
        let from = end.saturating_sub(span);
        let before: Vec<char> = text[from..end].iter().rev().copied().collect();
        let starts = backward.distances(&before, true);
        let start = starts
            .iter()
            .enumerate()
            .filter(|(_, &d)| d == best)
            .map(|(taken, _)| end - (taken + 1))
            .min_by_key(|&start| (end - start).abs_diff(pattern.len()));
        if let Some(start) = start {
            matches.push(Match { start, end, errors: best });
        }
    }
    matches
}

#[cfg(test)]
mod tests {
    #![allow(clippy::cast_possible_truncation)]
    use super::*;

    /// The textbook dynamic programme, for checking the bit-parallel one.
    fn naive(pattern: &[char], text: &[char], anchored: bool) -> Vec<u32> {
        let mut column: Vec<u32> = (0..=pattern.len() as u32).collect();
        let mut out = Vec::new();
        for (j, &c) in text.iter().enumerate() {
            let mut next = vec![if anchored { j as u32 + 1 } else { 0 }];
            for (i, &p) in pattern.iter().enumerate() {
                let substitute = column[i] + u32::from(p != c);
                next.push(substitute.min(column[i + 1] + 1).min(next[i] + 1));
            }
            out.push(next[pattern.len()]);
            column = next;
        }
        out
    }

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn agrees_with_the_textbook_programme_across_blocks() {
        let text = chars(&"the quick brown fox jumps over the lazy dog; “é” ".repeat(6));
        for len in [1, 5, 63, 64, 65, 100, 128, 129, 200] {
            let pattern: Vec<char> = text.iter().cycle().skip(7).take(len).copied().collect();
            let mut edited = pattern.clone();
            edited[len / 2] = 'Z';
            for anchored in [false, true] {
                assert_eq!(Pattern::new(&edited).distances(&text, anchored), naive(&edited, &text, anchored), "{len}");
            }
        }
    }

    #[test]
    fn finds_an_edited_occurrence_with_its_span() {
        let text = chars("Officials said the dam held. The port lost $48 milion in January. Then rain.");
        let found = best_matches(&chars("The port lost $48 million in January."), &text, 10, 8);
        assert_eq!(found.len(), 1);
        let hit: String = text[found[0].start..found[0].end].iter().collect();
        assert_eq!(hit, "The port lost $48 milion in January.");
        assert_eq!(found[0].errors, 1);
    }
}
