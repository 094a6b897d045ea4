//! Paragraphs moved (and edited): the new paragraphs an anchor the diff lost may have gone to.
//!
//! The token diff keeps one order of the text: when a paragraph is moved past others, either it or the
//! text it jumped over is left unpaired, usually the paragraph (it is the shorter side). An anchor in it
//! then has no region in the new text that holds it, and the in-place fuzzy search finds nothing (or,
//! when the diff paired the quote's old text with a lookalike's, finds the lookalike). So when the
//! in-place search gives nothing, the new paragraphs are ranked by the share of the quote's word pairs
//! they hold (weighted by how few paragraphs hold each: names and figures, not a template's phrases;
//! and counted both over the whole paragraph and over its stretches the diff did not keep in place,
//! between runs of at least [`SOLID`] bytes), and
//! the best few (the best, and any within [`MARGIN`] of it) are where the quote is searched for. The
//! new paragraph is not required to be unpaired itself: landing where a lookalike was deleted, a moved
//! paragraph has the phrases it shares with it paired to the lookalike's. Which of those paragraphs
//! holds the quote, or whether none does, is decided by the search (see `World::moved_and_edited`).

use std::collections::HashMap;

use super::diff::Edit;

/// Runs at least this long are text the diff kept in place; shorter ones may be scraps (a space, a
/// "the", a phrase two template sentences share) paired across a move.
const SOLID: usize = 64;
/// Stretches shorter than this between kept runs are edits, not passages.
const SHORTEST: usize = 16;
/// The least share of a quote's word pairs a paragraph must hold to be searched.
const SIMILAR: f64 = 0.4;
/// Quotes with fewer word pairs than this are too short to be recognised by their words.
const FEWEST_PAIRS: usize = 4;
/// Paragraphs within this share of the best are searched too (three character edits can break six of
/// a sentence's twenty word pairs, the rarest among them, while a lookalike holds them).
const MARGIN: f64 = 0.35;
/// At most this many paragraphs are searched.
const MOST: usize = 6;
/// Word pairs in more paragraphs than this are too common to suggest a paragraph on their own.
const COMMON: usize = 8;

/// The new text's paragraphs, indexed by word pairs.
#[derive(Debug)]
pub(crate) struct Moves {
    /// The new text's paragraphs, as byte ranges, in order.
    blocks: Vec<(usize, usize)>,
    /// Per new paragraph: its word pairs' hashes, sorted and deduplicated.
    pairs: Vec<Vec<u64>>,
    /// Per new paragraph: the word pairs of its stretches the diff did not keep in place.
    lost_pairs: Vec<Vec<u64>>,
    /// Word pair hash → the new paragraphs holding it.
    index: HashMap<u64, Vec<usize>>,
}

impl Moves {
    /// Indexes `new`'s paragraphs, and their stretches `edit` did not keep in place.
    pub(crate) fn new(new: &str, edit: &Edit) -> Self {
        let new_runs: Vec<(usize, usize)> = edit.runs().iter().map(|run| (run.new, run.len)).collect();
        let blocks = paragraphs(new);
        let new_lost = lost_stretches(&blocks, &new_runs);
        let mut pairs = Vec::with_capacity(blocks.len());
        let mut lost_pairs = Vec::with_capacity(blocks.len());
        let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut stretch = 0;
        for (number, &(start, end)) in blocks.iter().enumerate() {
            let hashes = word_pairs(&new[start..end]);
            for &hash in &hashes {
                index.entry(hash).or_default().push(number);
            }
            pairs.push(hashes);
            let mut held_lost = Vec::new();
            while stretch < new_lost.len() && new_lost[stretch].1 <= end {
                let (from, to) = new_lost[stretch];
                held_lost.extend(word_pairs(&new[from..to]));
                stretch += 1;
            }
            held_lost.sort_unstable();
            held_lost.dedup();
            lost_pairs.push(held_lost);
        }
        Moves { blocks, pairs, lost_pairs, index }
    }

    /// Where `quote` may have gone: the new paragraphs (byte ranges, in order) holding the largest
    /// shares of its word pairs.
    pub(crate) fn destinations(&self, quote: &str) -> Vec<(usize, usize)> {
        let hashes = word_pairs(quote);
        if hashes.len() < FEWEST_PAIRS {
            return Vec::new();
        }
        let mut candidates: Vec<usize> = hashes
            .iter()
            .filter_map(|hash| self.index.get(hash).filter(|blocks| blocks.len() <= COMMON))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        // A pair is worth more the fewer paragraphs hold it: what tells a sentence from its lookalikes
        // (names, figures) counts, the phrases of a template they share hardly do.
        #[allow(clippy::cast_precision_loss)]
        let weights: Vec<f64> = {
            let paragraphs = self.blocks.len() as f64;
            hashes
                .iter()
                .map(|hash| match self.index.get(hash) {
                    // A pair no paragraph holds any more (edited away) tells none of them apart.
                    None => 0.0,
                    Some(holders) => ((paragraphs + 1.0) / (holders.len() as f64 + 0.5)).ln(),
                })
                .collect()
        };
        // The best few by all their words, and the best few by the words the diff could not place (a
        // template's lookalikes kept in place hold many of the quote's words; the moved paragraph's own
        // are mostly unplaced).
        let mut chosen: Vec<usize> = Vec::new();
        for side in [&self.pairs, &self.lost_pairs] {
            let mut scored: Vec<(f64, usize)> =
                candidates.iter().map(|&block| (held(&hashes, &weights, &side[block]), block)).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let Some(&(best, _)) = scored.first() else { continue };
            if best >= SIMILAR {
                chosen
                    .extend(scored.iter().take_while(|(share, _)| *share + MARGIN >= best).take(MOST).map(|&(_, b)| b));
            }
        }
        chosen.sort_unstable();
        chosen.dedup();
        chosen.into_iter().map(|b| self.blocks[b]).collect()
    }
}

/// The stretches of `blocks` (byte ranges, in order) between runs (`(start, len)` on this side, in
/// order) of at least [`SOLID`] bytes, those of [`SHORTEST`] bytes or more.
fn lost_stretches(blocks: &[(usize, usize)], runs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let solid: Vec<(usize, usize)> = runs.iter().copied().filter(|run| run.1 >= SOLID).collect();
    let mut lost = Vec::new();
    let mut first = 0;
    for &(start, end) in blocks {
        while first < solid.len() && solid[first].0 + solid[first].1 <= start {
            first += 1;
        }
        let mut at = start;
        for run in solid[first..].iter().take_while(|run| run.0 < end) {
            if run.0 >= at + SHORTEST {
                lost.push((at, run.0));
            }
            at = at.max(run.0 + run.1);
        }
        if end >= at + SHORTEST {
            lost.push((at, end));
        }
    }
    lost
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
        let hash = word
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |acc, byte| (acc ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
        if let Some(before) = previous {
            hashes.push(before.rotate_left(29) ^ hash);
        }
        previous = Some(hash);
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// The weighted share of sorted set `part` (each item weighing `weights[i]`) that sorted set `whole` holds.
fn held(part: &[u64], weights: &[f64], whole: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0.0);
    while i < part.len() && j < whole.len() {
        match part[i].cmp(&whole[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += weights[i];
                i += 1;
                j += 1;
            }
        }
    }
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        shared / total
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_and_edited_paragraph_is_looked_for_where_its_words_went() {
        let first = "The council met on Monday and approved the budget after a long debate.";
        let second = "Residents objected loudly, saying the tax rise would hurt small shops.";
        let third = "The port authority said dredging would resume in March at a cost of $4 million.";
        let fourth = "Turnout was 31 percent, the lowest since the district was created in 1990.";
        let fifth = "The mayor, who faces re-election in November, did not respond to requests for comment.";
        let old = [first, second, third, fourth, fifth].join("\n\n");
        let edited = third.replace("$4 million", "$4.5 million");
        let new = [first, second, fourth, fifth, &edited].join("\n\n");
        let edit = Edit::new(&old, &new);
        let moves = Moves::new(&new, &edit);
        let found: Vec<&str> = moves.destinations(third).into_iter().map(|(from, to)| &new[from..to]).collect();
        assert_eq!(found, [edited.as_str()]);
        // A quote whose words are nowhere is looked for nowhere.
        assert_eq!(moves.destinations("Nothing like this was ever written in it, not a word."), []);
    }
}
