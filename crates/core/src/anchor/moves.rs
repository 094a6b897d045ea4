//! Paragraphs moved (and edited): which new paragraph an old one the diff lost went to.
//!
//! The token diff keeps one order of the text: when a paragraph is moved past others, either it or the
//! text it jumped over is left unpaired, usually the paragraph (it is the shorter side). An anchor in it
//! then has no region in the new text that holds it, and the in-place fuzzy search finds nothing. Here
//! the stretches of paragraphs the diff did not keep in place (between runs of at least [`SOLID`] bytes)
//! are indexed on each side by their word pairs; a quote whose old text is in such a stretch is looked
//! for in the new paragraph whose lost stretch holds clearly the most of the quote's word pairs (a
//! margin, so that of two lookalikes neither is picked), and only there.

use std::collections::HashMap;

use super::diff::Edit;

/// Runs at least this long are text the diff kept in place; shorter ones may be scraps (a space, a
/// "the", a phrase two template sentences share) paired across a move.
const SOLID: usize = 64;
/// Stretches shorter than this between kept runs are edits, not passages.
const SHORTEST: usize = 16;
/// The least share of a quote's word pairs a lost passage must hold to be where it went.
const SIMILAR: f64 = 0.5;
/// Quotes with fewer word pairs than this are too short to be recognised by their words.
const FEWEST_PAIRS: usize = 4;
/// How much more similar the best match must be than the runner-up.
const MARGIN: f64 = 0.15;
/// Word pairs in more lost passages than this are too common to suggest a match on their own.
const COMMON: usize = 8;

/// The lost passages of one side: stretches of a paragraph between runs the diff kept in place.
#[derive(Debug, Default)]
struct Side {
    /// Every paragraph, as byte ranges, in order.
    blocks: Vec<(usize, usize)>,
    /// The lost passages, as byte ranges, in order.
    units: Vec<(usize, usize)>,
    /// Per passage: its word pairs' hashes, sorted and deduplicated.
    pairs: Vec<Vec<u64>>,
    /// Word pair hash → the passages holding it.
    index: HashMap<u64, Vec<usize>>,
}

impl Side {
    /// The paragraphs of `text` and the stretches of them that the runs (`(start, len)` on this side,
    /// in order) leave out.
    fn new(text: &str, runs: &[(usize, usize)]) -> Self {
        let blocks = paragraphs(text);
        let solid: Vec<(usize, usize)> = runs.iter().copied().filter(|run| run.1 >= SOLID).collect();
        let mut units = Vec::new();
        let mut first = 0;
        for &(start, end) in &blocks {
            while first < solid.len() && solid[first].0 + solid[first].1 <= start {
                first += 1;
            }
            let mut at = start;
            for run in solid[first..].iter().take_while(|run| run.0 < end) {
                if run.0 >= at + SHORTEST {
                    units.push((at, run.0));
                }
                at = at.max(run.0 + run.1);
            }
            if end >= at + SHORTEST {
                units.push((at, end));
            }
        }
        let mut pairs = Vec::with_capacity(units.len());
        let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
        for (number, &(start, end)) in units.iter().enumerate() {
            let hashes = word_pairs(&text[start..end]);
            for &hash in &hashes {
                index.entry(hash).or_default().push(number);
            }
            pairs.push(hashes);
        }
        Side { blocks, units, pairs, index }
    }

    /// The paragraph holding bytes `start..end`, if one does.
    fn block_of(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let index = self.blocks.partition_point(|&(from, _)| from <= start).checked_sub(1)?;
        let (from, to) = self.blocks[index];
        (from <= start && end <= to).then_some((from, to))
    }

    /// The lost passage holding the largest share of `hashes`, if it holds at least [`SIMILAR`] of
    /// them and clearly more than any other.
    fn best_holder(&self, hashes: &[u64]) -> Option<usize> {
        let mut hits: HashMap<usize, usize> = HashMap::new();
        for hash in hashes {
            if let Some(units) = self.index.get(hash).filter(|units| units.len() <= COMMON) {
                for &unit in units {
                    *hits.entry(unit).or_default() += 1;
                }
            }
        }
        let mut scored: Vec<(f64, usize)> =
            hits.into_keys().map(|unit| (held(hashes, &self.pairs[unit]), unit)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        match scored.as_slice() {
            [(best, unit)] if *best >= SIMILAR => Some(*unit),
            [(best, unit), (second, _), ..] if *best >= SIMILAR && *best >= second + MARGIN => Some(*unit),
            _ => None,
        }
    }
}

/// The lost passages of both texts, to pair on demand.
#[derive(Debug)]
pub(crate) struct Moves {
    old: Side,
    new: Side,
}

impl Moves {
    /// Finds the stretches of `old` and `new` that `edit` did not keep in place.
    pub(crate) fn new(old: &str, new: &str, edit: &Edit) -> Self {
        let old_runs: Vec<(usize, usize)> = edit.runs().iter().map(|run| (run.old, run.len)).collect();
        let new_runs: Vec<(usize, usize)> = edit.runs().iter().map(|run| (run.new, run.len)).collect();
        Moves { old: Side::new(old, &old_runs), new: Side::new(new, &new_runs) }
    }

    /// Where `quote`, old bytes `start..end`, may have gone if the diff lost it: its old paragraph, and
    /// the new paragraph holding the lost passage that holds clearly the most of its word pairs.
    pub(crate) fn destination(
        &self,
        quote: &str,
        start: usize,
        end: usize,
    ) -> Option<((usize, usize), (usize, usize))> {
        let first = self.old.units.partition_point(|&(_, to)| to <= start);
        if !self.old.units.get(first).is_some_and(|&(from, _)| from < end) {
            return None;
        }
        let hashes = word_pairs(quote);
        if hashes.len() < FEWEST_PAIRS {
            return None;
        }
        let (to_start, to_end) = self.new.units[self.new.best_holder(&hashes)?];
        Some((self.old.block_of(start, end)?, self.new.block_of(to_start, to_end)?))
    }
}

/// The paragraphs of `text` (separated by blank lines), as byte ranges without the line breaks.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut at = 0;
    for piece in text.split("\n\n") {
        let start = at + (piece.len() - piece.trim_start_matches('\n').len());
        let end = at + piece.trim_end_matches('\n').len();
        if start < end {
            blocks.push((start, end));
        }
        at += piece.len() + 2;
    }
    blocks
}

/// Hashes of each pair of consecutive words (runs of letters and digits), sorted and deduplicated.
fn word_pairs(text: &str) -> Vec<u64> {
    let mut hashes = Vec::new();
    let mut previous: Option<u64> = None;
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        let hash = word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |acc, byte| (acc ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
        if let Some(before) = previous {
            hashes.push(before.rotate_left(29) ^ hash);
        }
        previous = Some(hash);
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// The share of sorted set `part` that sorted set `whole` holds.
fn held(part: &[u64], whole: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < part.len() && j < whole.len() {
        match part[i].cmp(&whole[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    // Counts of word pairs in a passage: far below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let share = shared as f64 / part.len().max(1) as f64;
    share
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_and_edited_paragraph_is_paired_with_its_new_place() {
        let first = "The council met on Monday and approved the budget after a long debate.";
        let second = "Residents objected loudly, saying the tax rise would hurt small shops.";
        let third = "The port authority said dredging would resume in March at a cost of $4 million.";
        let fourth = "Turnout was 31 percent, the lowest since the district was created in 1990.";
        let fifth = "The mayor, who faces re-election in November, did not respond to requests for comment.";
        let old = [first, second, third, fourth, fifth].join("\n\n");
        let edited = third.replace("$4 million", "$4.5 million");
        let new = [first, second, fourth, fifth, &edited].join("\n\n");
        let edit = Edit::new(&old, &new);
        let moves = Moves::new(&old, &new, &edit);
        let at = old.find(third).unwrap();
        let (from, to) = moves.destination(third, at, at + third.len()).expect("paired");
        assert_eq!(&old[from.0..from.1], third);
        assert_eq!(&new[to.0..to.1], edited);
        // A paragraph that stayed has no destination.
        assert_eq!(moves.destination(first, 0, first.len()), None);
    }
}
