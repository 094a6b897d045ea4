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
    /// ASCII character → symbol + 1 (0: not in the pattern; [`IN_OTHER`]: a symbol too large for a byte,
    /// in `other`). Bytes, not words: the table is zeroed for every pattern, one per claim and more.
    ascii: [u8; 128],
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

/// [`Pattern::ascii`]: the character's symbol is in `other`.
const IN_OTHER: u8 = u8::MAX;

impl Pattern {
    /// Prepares `chars` (not empty) for matching.
    pub(crate) fn new(chars: &[char]) -> Self {
        let blocks = chars.len().div_ceil(64).max(1);
        let mut ascii = [0u8; 128];
        let mut other: Vec<(char, u32)> = Vec::new();
        let mut symbols = 0u32;
        // Room for a sentence's distinct characters, so that the table is not regrown symbol by symbol.
        let mut peq: Vec<u64> = Vec::with_capacity(48 * blocks);
        for (row, &c) in chars.iter().enumerate() {
            let slot = ascii.get_mut(c as usize);
            let symbol = if let Some(slot @ 0) = slot {
                symbols += 1;
                match u8::try_from(symbols) {
                    Ok(byte) if byte != IN_OTHER => *slot = byte,
                    _ => {
                        *slot = IN_OTHER;
                        other.push((c, symbols - 1));
                    }
                }
                peq.resize(symbols as usize * blocks, 0);
                symbols - 1
            } else if let Some(slot) = slot.filter(|slot| **slot != IN_OTHER) {
                u32::from(*slot) - 1
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

    /// The same pattern read backwards, derived from this one's bits (row `r` becomes row `len - 1 - r`)
    /// instead of prepared again from the reversed characters: the symbol tables are the same, only each
    /// symbol's rows are mirrored. Every fuzzy search that finds a match needs it.
    fn reversed(&self) -> Self {
        let blocks = self.blocks;
        // Mirroring all `64 * blocks` bits puts row `r` at `64 * blocks - 1 - r`: shifted down by the
        // padding, it lands at `len - 1 - r`.
        let shift = 64 * blocks - self.len;
        let mut peq = vec![0u64; self.peq.len()];
        for (bits, mirrored) in self.peq.chunks_exact(blocks).zip(peq.chunks_exact_mut(blocks)) {
            for (block, word) in mirrored.iter_mut().enumerate() {
                let low = bits[blocks - 1 - block].reverse_bits();
                let high = if block + 1 < blocks { bits[blocks - 2 - block].reverse_bits() } else { 0 };
                *word = if shift == 0 { low } else { (low >> shift) | (high << (64 - shift)) };
            }
        }
        Pattern { len: self.len, blocks, peq, ascii: self.ascii, other: self.other.clone() }
    }

    /// The match bits of character `c`, one word per block, or `None` if `c` is not in the pattern.
    fn eq_bits(&self, c: char) -> Option<&[u64]> {
        let symbol = match self.ascii.get(c as usize) {
            Some(0) => return None,
            Some(&slot) if slot != IN_OTHER => u32::from(slot) - 1,
            _ => self.other.binary_search_by_key(&c, |&(known, _)| known).ok().map(|i| self.other[i].1)?,
        };
        let from = symbol as usize * self.blocks;
        self.peq.get(from..from + self.blocks)
    }

    /// Distance of the whole pattern to the best substring of `text` ending after each character:
    /// `out[j]` is for a match ending at `j + 1`. With `anchored`, substrings must start at 0 (the
    /// top row of the matrix counts the skipped text) instead of anywhere (Sellers' free start).
    #[cfg(test)]
    pub(crate) fn distances(&self, text: &[char], anchored: bool) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len());
        self.scan(text.iter(), anchored, |_, distance| {
            out.push(distance);
            true
        });
        out
    }

    /// Calls `visit(j, distance)` for every character `j` of `text`, in order, with the distance of the
    /// whole pattern to the best substring ending after it (see [`Pattern::distances`]), until it returns
    /// `false`. Visiting instead of returning a vector spares the callers an allocation per search: they
    /// keep only the few columns they need.
    fn scan<'t>(
        &self,
        text: impl Iterator<Item = &'t char>,
        anchored: bool,
        mut visit: impl FnMut(usize, u32) -> bool,
    ) {
        // The score at the pattern's last row, row `len`: it starts at `len` (column 0) and each column
        // adds the horizontal delta leaving that row, read from the last block's bits before the shift
        // (rows past the pattern's end, padding, never count).
        let last_bit = (self.len - 64 * (self.blocks - 1)) - 1;
        let mut score = i64::try_from(self.len).unwrap_or(i64::MAX);
        if self.blocks == 1 {
            // One block (quotes up to 64 code points): no carry between blocks, everything in registers.
            let (mut pv, mut mv) = (!0u64, 0u64);
            let hin = i32::from(anchored);
            for (j, &c) in text.enumerate() {
                let eq = self.eq_bits(c).map_or(0, |bits| bits[0]);
                let (_, new_pv, new_mv, last) = advance(pv, mv, eq, hin, last_bit);
                (pv, mv) = (new_pv, new_mv);
                score += i64::from(last);
                if !visit(j, u32::try_from(score).unwrap_or(u32::MAX)) {
                    return;
                }
            }
            return;
        }
        match self.blocks {
            // Sentence-sized quotes: the blocks' state in an array the compiler keeps in registers.
            2 => self.scan_blocks([(!0u64, 0u64); 2], text, anchored, last_bit, score, visit),
            3 => self.scan_blocks([(!0u64, 0u64); 3], text, anchored, last_bit, score, visit),
            blocks => self.scan_blocks(vec![(!0u64, 0u64); blocks], text, anchored, last_bit, score, visit),
        }
    }

    /// [`Pattern::scan`] over several blocks, `state` holding each block's vertical positive and
    /// negative delta bits, and `score` the last row's score at column 0.
    fn scan_blocks<'t>(
        &self,
        mut state: impl AsMut<[(u64, u64)]>,
        text: impl Iterator<Item = &'t char>,
        anchored: bool,
        last_bit: usize,
        mut score: i64,
        mut visit: impl FnMut(usize, u32) -> bool,
    ) {
        for (j, &c) in text.enumerate() {
            let eqs = self.eq_bits(c);
            let mut carry = i32::from(anchored);
            let mut last = 0;
            for (block, (pv, mv)) in state.as_mut().iter_mut().enumerate() {
                let eq = eqs.map_or(0, |bits| bits[block]);
                let (hout, new_pv, new_mv, at_last) = advance(*pv, *mv, eq, carry, last_bit);
                *pv = new_pv;
                *mv = new_mv;
                carry = hout;
                last = at_last;
            }
            score += i64::from(last);
            if !visit(j, u32::try_from(score).unwrap_or(u32::MAX)) {
                return;
            }
        }
    }
}

impl Pattern {
    /// [`Pattern::scan`] where only distances up to `k` matter: each is exact when at most `k`, and any
    /// other is visited as `u32::MAX`. Ukkonen's cutoff as edlib applies it to blocks: a block whose
    /// every cell exceeds `k` is not computed until a cell at its top can come within `k` again (then it
    /// restarts from an over-estimate, which cells within `k` never depend on). For a quote of two or
    /// three blocks and a handful of edits that is mostly one block per column instead of all of them.
    /// `anchored`, a block is also dropped from the top once the text read is more than `k` characters
    /// longer than the rows down to its bottom: every cell of it is then above `k` for good (see below).
    /// Stops when `visit` returns `false`.
    fn scan_within<'t>(
        &self,
        text: impl Iterator<Item = &'t char>,
        anchored: bool,
        k: u32,
        mut visit: impl FnMut(usize, u32) -> bool,
    ) {
        if self.blocks == 1 {
            // One block is always computed whole: the plain scan is exact everywhere.
            return self.scan(text, anchored, |j, distance| visit(j, if distance <= k { distance } else { u32::MAX }));
        }
        let blocks = self.blocks;
        // Bits of the last block below the pattern's last row (padding), whose deltas the score at the
        // block's bottom includes and the last row's does not.
        let last_rows = self.len - 64 * (blocks - 1);
        let padding = if last_rows == 64 { 0 } else { !0u64 << last_rows };
        let limit = i64::from(k);
        // Per block: vertical positive and negative delta bits, and the score at its bottom row. On the
        // stack for sentence-sized quotes (this runs twice or more per claim: an allocation showed).
        let mut on_stack = [(!0u64, 0u64, 0i64); 4];
        let mut on_heap = Vec::new();
        let state: &mut [(u64, u64, i64)] = if blocks <= on_stack.len() {
            &mut on_stack[..blocks]
        } else {
            on_heap.resize(blocks, (!0u64, 0u64, 0i64));
            &mut on_heap
        };
        for (block, cell) in (1i64..).zip(state.iter_mut()) {
            cell.2 = block * 64;
        }
        // Blocks computed this column, from the first: those holding rows up to `k` at column 0.
        let mut active = (k as usize + 1).div_ceil(64).clamp(1, blocks);
        // The first block computed. Anchored, a cell at row `i` after `j` characters is at least `j - i`
        // edits (the characters past the pattern's rows are insertions): once `j` exceeds a block's
        // bottom row by more than `k`, the block's cells are all above `k` for good. The block below
        // then reads a horizontal delta of +1 from it every column, an over-estimate of its bottom row
        // (a delta is at most +1): cells within `k` never depend on cells above it, so they stay exact,
        // and no cell comes out under its true distance. This halves the backward pass's second block.
        let mut first = 0;
        for (j, &c) in text.enumerate() {
            let eqs = self.eq_bits(c);
            let eq_of = |block: usize| eqs.map_or(0, |bits| bits[block]);
            // Anchored, the top row's delta is +1 every column: the same as a dropped block's.
            let mut hout = i32::from(anchored);
            for (block, (pv, mv, bottom)) in
                state[first..active].iter_mut().enumerate().map(|(i, cell)| (first + i, cell))
            {
                let (h, new_pv, new_mv, _) = advance(*pv, *mv, eq_of(block), hout, 63);
                (*pv, *mv) = (new_pv, new_mv);
                *bottom += i64::from(h);
                hout = h;
            }
            let last_bottom = state[active - 1].2;
            if active < blocks && last_bottom - i64::from(hout) <= limit && (eq_of(active) & 1 != 0 || hout < 0) {
                // The next block's top cell may come within `k`: compute it from here on, its previous
                // column taken as the block above's bottom then plus one per row (an over-estimate).
                let (h, new_pv, new_mv, _) = advance(!0u64, 0, eq_of(active), hout, 63);
                state[active] = (new_pv, new_mv, last_bottom - i64::from(hout) + 64 + i64::from(h));
                active += 1;
            } else {
                // A block whose bottom is `k + 64` or more has every cell above `k`. The first block is
                // always computed: its top row is exact.
                while active > first + 1 && state[active - 1].2 >= limit + 64 {
                    active -= 1;
                }
            }
            while anchored && first + 1 < active && j + 1 > 64 * (first + 1) + k as usize {
                first += 1;
            }
            let distance = if active == blocks {
                let (pv, mv, bottom) = state[blocks - 1];
                bottom - i64::from((pv & padding).count_ones()) + i64::from((mv & padding).count_ones())
            } else {
                i64::MAX
            };
            if !visit(j, if distance <= limit { u32::try_from(distance).unwrap_or(u32::MAX) } else { u32::MAX }) {
                return;
            }
        }
    }
}

/// One column step of one block. `hin` is the horizontal delta entering the block's top row (-1, 0, +1);
/// returns the delta leaving its bottom row, the block's new vertical delta bits, and the horizontal
/// delta leaving its row `last_bit` (the pattern's last row, when this is the last block).
#[inline(always)]
fn advance(pv: u64, mv: u64, eq: u64, hin: i32, last_bit: usize) -> (i32, u64, u64, i32) {
    let hin_negative = u64::from(hin < 0);
    let xv = eq | mv;
    let eq = eq | hin_negative;
    let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
    let mut ph = mv | !(xh | pv);
    let mut mh = pv & xh;
    let hout = i32::from(ph >> 63 != 0) - i32::from(mh >> 63 != 0);
    let at_last = i32::from((ph >> last_bit) & 1 != 0) - i32::from((mh >> last_bit) & 1 != 0);
    ph <<= 1;
    mh <<= 1;
    mh |= hin_negative;
    ph |= u64::from(hin > 0);
    (hout, mh | !(xv | ph), ph & xv, at_last)
}

/// A pattern prepared once for several searches: forwards, and backwards (built at the first search
/// that finds a match) to find where each match starts.
pub(crate) struct Matcher<'p> {
    pattern: &'p [char],
    forward: Pattern,
    backward: std::cell::OnceCell<Pattern>,
}

impl<'p> Matcher<'p> {
    /// Prepares `pattern` (not empty).
    pub(crate) fn new(pattern: &'p [char]) -> Self {
        Matcher { pattern, forward: Pattern::new(pattern), backward: std::cell::OnceCell::new() }
    }

    /// The best approximate occurrences of the pattern in `text` with at most `max_errors` edits: every
    /// match end reaching the minimum distance, each with the start that makes its length closest to
    /// the pattern's (found by matching the reversed pattern backwards from that end). At most `limit`
    /// are returned.
    pub(crate) fn best_matches(&self, text: &[char], max_errors: u32, limit: usize) -> Vec<Match> {
        self.best_matches_expecting(text, max_errors, limit, 0)
    }

    /// [`Matcher::best_matches`], told that the best match is most likely `expected` edits away or
    /// closer (a guess: the result is the same whatever it is, only the work differs).
    pub(crate) fn best_matches_expecting(
        &self,
        text: &[char],
        max_errors: u32,
        limit: usize,
        expected: u32,
    ) -> Vec<Match> {
        let pattern = self.pattern;
        if pattern.is_empty() || text.is_empty() {
            return Vec::new();
        }
        // The minimum distance and the first `limit` ends reaching it, in one pass.
        let best_ends = |bound: u32| {
            let mut best = u32::MAX;
            let mut ends: Vec<usize> = Vec::new();
            self.forward.scan_within(text.iter(), false, bound, |j, distance| {
                if distance < best {
                    best = distance;
                    ends.clear();
                }
                if distance == best && ends.len() < limit {
                    ends.push(j + 1);
                }
                true
            });
            (best, ends)
        };
        // An edited quote is usually far closer than the bound (half its length): a first pass within a
        // quarter of its length computes fewer blocks, and finds the same best when it is that close.
        // Where the caller expects more edits than that, the first pass would most likely find nothing
        // and be paid for again in full (at 30 % of words edited, half the quotes).
        let near = u32::try_from(pattern.len() / 4).unwrap_or(u32::MAX);
        let (mut best, mut ends) = (u32::MAX, Vec::new());
        if self.forward.blocks > 1 && near < max_errors && expected <= near {
            (best, ends) = best_ends(near);
        }
        if best == u32::MAX {
            (best, ends) = best_ends(max_errors);
        }
        if best > max_errors {
            return Vec::new();
        }
        if best == 0 {
            // An exact occurrence is the pattern's length: every end's start is known without a pass.
            return ends.into_iter().map(|end| Match { start: end - pattern.len(), end, errors: 0 }).collect();
        }
        let backward = self.backward.get_or_init(|| self.forward.reversed());
        // A substring of `taken` characters is at least |taken - pattern length| edits from the pattern,
        // so a start at distance `best` lies within `best` characters of the pattern's length from the
        // end: the backward pass need not look further (every column it skips could only be worse).
        let span = pattern.len() + best as usize;
        let mut matches = Vec::with_capacity(ends.len());
        for end in ends {
            let from = end.saturating_sub(span);
            // Among starts at distance `best`, the one making the match's length closest to the
            // pattern's; on a tie the first found (the longest match), as a scan from the end meets them.
            let mut start: Option<(usize, usize)> = None;
            // Read backwards from the end, in place.
            backward.scan_within(text[from..end].iter().rev(), true, best, |taken, distance| {
                if distance == best {
                    let at = end - (taken + 1);
                    let off = (end - at).abs_diff(pattern.len());
                    if start.is_none_or(|(_, known)| off < known) {
                        start = Some((at, off));
                    }
                }
                // Longer matches only get further from the pattern's length: none can beat the start
                // found once the length read is that far past it.
                start.is_none_or(|(_, known)| taken + 1 < pattern.len() + known)
            });
            if let Some((start, _)) = start {
                matches.push(Match { start, end, errors: best });
            }
        }
        matches
    }
}

/// [`Matcher::best_matches`] for a pattern searched once.
#[cfg(test)]
pub(crate) fn best_matches(pattern: &[char], text: &[char], max_errors: u32, limit: usize) -> Vec<Match> {
    if pattern.is_empty() {
        return Vec::new();
    }
    Matcher::new(pattern).best_matches(text, max_errors, limit)
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
    fn distances_within_a_bound_agree_with_the_textbook_programme() {
        let text = chars(&"The board paid 41 people. The board paid 75 people, “é” said Zoë. ".repeat(5));
        for len in [5, 64, 65, 100, 128, 129, 150, 200] {
            for skip in [0, 3, 17] {
                let mut pattern: Vec<char> = text.iter().skip(skip).take(len).copied().collect();
                pattern[len / 3] = 'Z';
                pattern.remove(len / 2);
                for k in [0, 1, 2, 5, 20, 64, 80] {
                    for anchored in [false, true] {
                        let mut within = Vec::new();
                        Pattern::new(&pattern).scan_within(text.iter(), anchored, k, |_, d| {
                            within.push(d);
                            true
                        });
                        let exact: Vec<u32> = naive(&pattern, &text, anchored)
                            .into_iter()
                            .map(|d| if d <= k { d } else { u32::MAX })
                            .collect();
                        assert_eq!(within, exact, "{len} {skip} {k} {anchored}");
                    }
                }
            }
        }
    }

    /// `best_matches` as first written, on the textbook programme: full distance vectors, the backward
    /// pass over the pattern's length plus `max_errors`.
    fn naive_best_matches(pattern: &[char], text: &[char], max_errors: u32, limit: usize) -> Vec<Match> {
        let ends = naive(pattern, text, false);
        let Some(&best) = ends.iter().min() else { return Vec::new() };
        if best > max_errors {
            return Vec::new();
        }
        let reversed: Vec<char> = pattern.iter().rev().copied().collect();
        let span = pattern.len() + max_errors as usize;
        let mut matches = Vec::new();
        for (index, _) in ends.iter().enumerate().filter(|(_, &d)| d == best).take(limit) {
            let end = index + 1;
            let before: Vec<char> = text[end.saturating_sub(span)..end].iter().rev().copied().collect();
            let start = naive(&reversed, &before, true)
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

    #[test]
    fn best_matches_agree_with_the_textbook_programme() {
        // Sentences from a few templates, so that patterns have lookalikes, ties and repeats.
        let text = chars(
            &"The board paid 41 people. The board paid 75 people, “é” said Zoë. The board paid 7 people. ".repeat(4),
        );
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut roll = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let len = 1 + roll(140);
            let from = roll(text.len() - len);
            let mut pattern: Vec<char> = text[from..from + len].to_vec();
            for _ in 0..roll(len / 4 + 1) {
                let at = roll(pattern.len());
                match roll(3) {
                    0 => pattern[at] = 'q',
                    1 => pattern.insert(at, 'e'),
                    _ if pattern.len() > 1 => {
                        pattern.remove(at);
                    }
                    _ => {}
                }
            }
            let window_from = roll(text.len() / 2);
            let window = &text[window_from..(window_from + len * 3 + roll(200)).min(text.len())];
            let max_errors = pattern.len() as u32 / 2;
            for limit in [1, 4, 16] {
                let expected = naive_best_matches(&pattern, window, max_errors, limit);
                assert_eq!(
                    best_matches(&pattern, window, max_errors, limit),
                    expected,
                    "{}",
                    pattern.iter().collect::<String>()
                );
                // Expecting a far match skips the first, nearer pass: the same matches.
                let far =
                    Matcher::new(&pattern).best_matches_expecting(window, max_errors, limit, pattern.len() as u32);
                assert_eq!(far, expected, "{}", pattern.iter().collect::<String>());
            }
        }
    }

    #[test]
    fn a_pattern_reversed_from_its_bits_is_the_reversed_characters_pattern() {
        let text: Vec<char> = "The board paid 41 people, “é” said Zoë; ".repeat(8).chars().collect();
        for len in [1, 2, 17, 63, 64, 65, 100, 127, 128, 129, 200, 300] {
            let pattern = &text[3..3 + len];
            let reversed: Vec<char> = pattern.iter().rev().copied().collect();
            let (derived, built) = (Pattern::new(pattern).reversed(), Pattern::new(&reversed));
            for c in text.iter().chain(['Q', '\u{4e00}'].iter()) {
                assert_eq!(derived.eq_bits(*c), built.eq_bits(*c), "{len} {c}");
            }
            for anchored in [false, true] {
                assert_eq!(derived.distances(&text, anchored), naive(&reversed, &text, anchored), "{len}");
            }
        }
    }

    #[test]
    fn patterns_with_more_symbols_than_a_byte_holds_agree_with_the_textbook_programme() {
        // 300 distinct non-ASCII characters first, so that the ASCII ones get symbols past 255.
        let mut pattern: Vec<char> = (0..300u32).filter_map(|i| char::from_u32(0x4e00 + i)).collect();
        pattern.extend("said the council, 42 people".chars());
        let mut text: Vec<char> = "x said the counci1, 42 peple; ".chars().collect();
        text.extend(pattern.iter().skip(3));
        text.extend(" and then".chars());
        for anchored in [false, true] {
            assert_eq!(Pattern::new(&pattern).distances(&text, anchored), naive(&pattern, &text, anchored));
            let reversed: Vec<char> = pattern.iter().rev().copied().collect();
            assert_eq!(Pattern::new(&pattern).reversed().distances(&text, anchored), naive(&reversed, &text, anchored));
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
