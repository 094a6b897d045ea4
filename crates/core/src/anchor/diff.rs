//! The edit between two versions of a draft, computed once, as the runs of text they share.
//!
//! Both texts are split into tokens (words, whitespace runs, single punctuation characters) and hashed.
//! Token windows that occur exactly once in each text pair up; the longest chain of pairs in order
//! (patience sorting) is the skeleton of the diff; each match is extended, and the small gaps left
//! between them are diffed again the same way on single tokens, then by an exact LCS once they are small.
//! The unique windows the chain could not keep in order are text that changed place: grown into runs of
//! their own (moves), they say where text the in-order diff calls inserted came from.
//! That keeps a 100 KB draft with thousands of edits in the low milliseconds, where a plain O(ND) diff
//! would not be. Runs are verified byte by byte, so a hash collision can cost a match, never invent one.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::text::to_u32;

/// Tokens per window when pairing unique windows: about four words with their spaces.
const WINDOW: usize = 8;
/// Gaps up to this many cells (tokens × tokens) are aligned exactly by LCS.
const LCS_CELLS: usize = 4096;
/// Gaps with no unique token are still aligned exactly up to this size; beyond it they count as replaced.
const LCS_FALLBACK_CELLS: usize = 1 << 18;
/// Bytes of unedited text past a span's edge that make the run there trustworthy (see
/// [`Edit::old_between`]): a context's worth.
const SOLID: usize = 32;
/// Recursion limit of the gap diff.
const MAX_DEPTH: u32 = 48;

/// Byte ranges `(from, to)`, in order.
type Intervals = Vec<(usize, usize)>;

/// Bytes `old[old..old + len]` and `new[new..new + len]` are the same, unedited text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) old: usize,
    pub(crate) new: usize,
    pub(crate) len: usize,
}

/// The shared runs of two texts, in order in both, with position mapping through them.
#[derive(Debug)]
pub(crate) struct Edit {
    runs: Vec<Run>,
    /// Unedited text that changed place: runs out of order with `runs` (see [`find_moves`]), sorted by
    /// their new start. Not used for mapping positions; they say where text the diff could not pair came
    /// from.
    moves: Vec<Run>,
    /// The same moves sorted by their old start, and the longest one's length: the checks that ask which
    /// moves touch some old text find them by binary search instead of scanning every move.
    moves_by_old: Vec<Run>,
    longest_move: usize,
    /// Shorter text out of order (a window's worth, under [`SOLID`] bytes): heavy editing can make such
    /// text anew, so it only says where to look for a moved passage (see [`Edit::moved_region`]).
    hints: Vec<Run>,
    old_len: usize,
    new_len: usize,
}

thread_local! {
    /// Buffers of [`Edit::may_hold_unkept`] (covered intervals, gaps), kept between calls: it runs for
    /// every side and place of every lookalike check, several times a claim, and two allocations per
    /// call showed in the profile. One pair per thread: claims are placed on several at once.
    static MAY_HOLD_UNKEPT_SCRATCH: std::cell::RefCell<(Intervals, Intervals)> = std::cell::RefCell::default();
}

impl Edit {
    /// Diffs `old` against `new`.
    pub(crate) fn new(old: &str, new: &str) -> Self {
        let a = tokenize(old);
        let b = tokenize(new);
        let mut token_runs = Vec::new();
        let mut differ = Differ {
            a: &a.hashes,
            b: &b.hashes,
            a_words: &a.words,
            b_words: &b.words,
            out: &mut token_runs,
            table: Vec::new(),
            windows: KeyTable::new(0, Seen { old_at: ABSENT, new_at: ABSENT }),
        };
        let (unique, middle) = differ.diff(0, a.hashes.len(), 0, b.hashes.len());
        merge_adjacent(&mut token_runs);
        slide(&mut token_runs, &a, old.as_bytes(), true);
        slide(&mut token_runs, &b, new.as_bytes(), false);
        let (mut moves, mut hints): (Vec<Run>, Vec<Run>) = find_moves(&mut token_runs, &unique, middle, &a, &b)
            .into_iter()
            .map(|(ai, bi, len)| Run { old: a.starts[ai], new: b.starts[bi], len: a.starts[ai + len] - a.starts[ai] })
            .filter(|run| {
                old.as_bytes().get(run.old..run.old + run.len) == new.as_bytes().get(run.new..run.new + run.len)
            })
            .partition(|run| run.len >= SOLID);
        moves.sort_unstable_by_key(|run| run.new);
        hints.sort_unstable_by_key(|run| run.new);
        let mut runs: Vec<Run> = Vec::with_capacity(token_runs.len());
        for (ai, bi, len) in token_runs {
            let run = Run { old: a.starts[ai], new: b.starts[bi], len: a.starts[ai + len] - a.starts[ai] };
            if run.len == 0
                || old.as_bytes().get(run.old..run.old + run.len) != new.as_bytes().get(run.new..run.new + run.len)
            {
                continue;
            }
            match runs.last_mut() {
                Some(last) if last.old + last.len == run.old && last.new + last.len == run.new => last.len += run.len,
                _ => runs.push(run),
            }
        }
        let mut moves_by_old = moves.clone();
        moves_by_old.sort_unstable_by_key(|run| run.old);
        let longest_move = moves.iter().map(|run| run.len).max().unwrap_or(0);
        Edit { runs, moves, moves_by_old, longest_move, hints, old_len: old.len(), new_len: new.len() }
    }

    /// The moves whose old text overlaps old `start..end`, in order of their old start. No move is longer
    /// than `longest_move`, so none starting `longest_move` or more bytes before `start` can reach it.
    fn moves_over_old(&self, start: usize, end: usize) -> impl Iterator<Item = &Run> {
        let first = self.moves_by_old.partition_point(|run| run.old + self.longest_move <= start);
        self.moves_by_old[first..]
            .iter()
            .take_while(move |run| run.old < end)
            .filter(move |run| start < run.old + run.len)
    }

    /// The moves whose new text overlaps new `start..end`, in order of their new start.
    fn moves_over_new(&self, start: usize, end: usize) -> impl Iterator<Item = &Run> {
        let first = self.moves.partition_point(|run| run.new + self.longest_move <= start);
        self.moves[first..].iter().take_while(move |run| run.new < end).filter(move |run| start < run.new + run.len)
    }

    /// The run holding old byte `at`, counting its end as inside when `end_inclusive`.
    fn run_at(runs: &[Run], at: usize, key: fn(&Run) -> usize, end_inclusive: bool) -> Option<&Run> {
        let index = runs.partition_point(|run| key(run) <= at);
        let candidates = [index.checked_sub(1), index.checked_sub(2)];
        candidates.into_iter().flatten().filter_map(|i| runs.get(i)).find(|run| {
            let from = key(run);
            if end_inclusive {
                from < at && at <= from + run.len
            } else {
                from <= at && at < from + run.len
            }
        })
    }

    /// Where old byte `at`, the start of a span, is in the new text, if that text was not edited.
    pub(crate) fn map_start(&self, at: usize) -> Option<usize> {
        Self::run_at(&self.runs, at, |run| run.old, false).map(|run| run.new + (at - run.old))
    }

    /// Where old byte `at`, the (exclusive) end of a span, is in the new text, if that text was not edited.
    pub(crate) fn map_end(&self, at: usize) -> Option<usize> {
        Self::run_at(&self.runs, at, |run| run.old, true).map(|run| run.new + (at - run.old))
    }

    /// Where new byte `at`, the start of a span, was in the old text.
    pub(crate) fn back_start(&self, at: usize) -> Option<usize> {
        Self::run_at(&self.runs, at, |run| run.new, false).map(|run| run.old + (at - run.new))
    }

    /// Where new byte `at`, the end of a span, was in the old text.
    pub(crate) fn back_end(&self, at: usize) -> Option<usize> {
        Self::run_at(&self.runs, at, |run| run.new, true).map(|run| run.old + (at - run.new))
    }

    /// The new-text region that replaced old bytes `start..end`: from the end of the last unedited text
    /// before `start` to the start of the first unedited text after `end`. Everything outside it is text
    /// the edit says came from elsewhere in the old draft.
    pub(crate) fn region(&self, start: usize, end: usize) -> (usize, usize) {
        let from = match self.runs.partition_point(|run| run.old <= start).checked_sub(1) {
            Some(i) => {
                let run = self.runs[i];
                run.new + (start - run.old).min(run.len)
            }
            None => 0,
        };
        let index = self.runs.partition_point(|run| run.old + run.len < end);
        let to = match self.runs.get(index) {
            Some(run) if run.old <= end => run.new + (end - run.old),
            Some(run) => run.new,
            None => self.new_len,
        };
        (from, to.max(from))
    }

    /// [`Edit::region`] of old `start..end`, widened over the unedited text next to it that is a copy of
    /// the span's own text the diff left unpaired. Returns the widened region and by how many bytes each
    /// side was widened.
    ///
    /// That happens when a neighbour sharing the span's first or last words is deleted while the span is
    /// edited: "A worker at the site … 8 people … talk. A worker at the site … 88 people …" becoming
    /// "A worker Qt the site … 88 people …" can pair "A worker " with the deleted sentence's words or with
    /// the span's own, two common subsequences of the same length, and the diff picks one blindly. For
    /// the span the other pairing is the one to use: walking out from the region, each run whose text is
    /// found, in order, in the span's unpaired first (last) bytes is the span's own text; the walk stops
    /// at the first run that is not, taking the part of it that continues the span's first (last) bytes.
    /// On the left, when the span's own text is paired only in scraps with the region (a space, a "the",
    /// the full stop of an inserted sentence), the walk may cross them and use all of the span's bytes,
    /// if that re-pairs more bytes than it unpairs: a longer common subsequence than the diff's.
    pub(crate) fn widened_region(
        &self,
        old: &str,
        new: &str,
        start: usize,
        end: usize,
    ) -> (usize, usize, usize, usize) {
        let (from, to) = self.region(start, end);
        // Runs more than a span's length of inserted text away are not the span's.
        let reach = end - start;
        // Left: the span's start is in no run; its first bytes are unpaired up to the next run.
        let index = self.runs.partition_point(|run| run.old <= start);
        let mut bound = from;
        // The end of the span's bytes the left side took.
        let mut consumed = start;
        if index.checked_sub(1).is_none_or(|i| self.runs[i].old + self.runs[i].len <= start) {
            // Walks left from the region over runs found, in order, in the span's bytes before `cursor`:
            // how far it got, the end of the span's bytes it took, and how many bytes it re-paired.
            let walk = |mut cursor: usize| {
                let (mut bound, mut consumed, mut gained) = (from, start, 0);
                for run in self.runs[..index].iter().rev() {
                    let run_end = run.new + run.len;
                    if bound - run_end > reach || cursor == start {
                        break;
                    }
                    let piece = &new[run.new..run_end];
                    if let Some(at) = old[start..cursor].rfind(piece) {
                        cursor = start + at;
                        consumed = consumed.max(cursor + piece.len());
                        gained += piece.len();
                        bound = run.new;
                        continue;
                    }
                    let k = overlap(piece.as_bytes(), &old.as_bytes()[start..cursor]);
                    consumed = consumed.max(start + k);
                    gained += k;
                    bound = run_end - k;
                    break;
                }
                (bound, consumed, gained)
            };
            let paired = self.runs.get(index).map_or(end, |next| next.old.min(end));
            let (near_bound, near_consumed, near_gained) = walk(paired);
            (bound, consumed) = (near_bound, near_consumed);
            // The diff may also have paired the whole edited span with a deleted neighbour's words and
            // left the span's own old text paired only in scraps (a space, a "the", the full stop) with
            // inserted text. Walking over all of the span's bytes then re-pairs more than it unpairs (the
            // scraps it crosses): a longer common subsequence, so the span's own text too.
            if paired < end {
                let (far_bound, far_consumed, far_gained) = walk(end);
                let lost: usize = self.runs[index..]
                    .iter()
                    .take_while(|run| run.old < far_consumed)
                    .map(|run| (run.old + run.len).min(far_consumed) - run.old)
                    .sum();
                if far_bound < near_bound && far_gained > near_gained + lost {
                    (bound, consumed) = (far_bound, far_consumed);
                }
            }
        }
        let left = from - bound;
        // Right: the same for the span's end, its last bytes unpaired back to the previous run (and to
        // what the left side took).
        let index = self.runs.partition_point(|run| run.old + run.len < end);
        let mut bound = to;
        if self.runs.get(index).is_none_or(|run| run.old >= end) {
            let paired = index.checked_sub(1).map_or(start, |i| self.runs[i].old + self.runs[i].len);
            let mut cursor = paired.max(consumed).min(end);
            for run in &self.runs[index..] {
                if run.new - bound > reach || cursor == end {
                    break;
                }
                let piece = &new[run.new..run.new + run.len];
                if let Some(at) = old[cursor..end].find(piece) {
                    cursor += at + piece.len();
                    bound = run.new + run.len;
                    continue;
                }
                bound = run.new + overlap(&old.as_bytes()[cursor..end], piece.as_bytes());
                break;
            }
        }
        let right = bound - to;
        (from - left, to + right, left, right)
    }

    /// Where old `start..end`, in no unedited run, went if it moved with the text around it: the new
    /// bytes the moves of text within a span's length of it say it is now between, or `None` when no
    /// such text moved.
    ///
    /// A paragraph moved and edited inside leaves the edited sentence's unedited words, and its
    /// neighbours', as moves with about the same shift (new start minus old start); applied to the span
    /// they give where to look for it. The move covering most of the span (then the nearest) sets the
    /// shift; moves shifted within half a span's length of it widen the region (words deleted or typed
    /// between them).
    pub(crate) fn moved_region(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let reach = end - start;
        let near = |run: &Run| run.old < end + reach && start < (run.old + run.len) + reach;
        let covered = |run: &Run| (run.old + run.len).min(end).saturating_sub(run.old.max(start));
        let distance = |run: &Run| run.old.saturating_sub(end).max(start.saturating_sub(run.old + run.len));
        let best = self
            .moves
            .iter()
            .chain(&self.hints)
            .filter(|run| near(run))
            .max_by_key(|run| (covered(run), std::cmp::Reverse(distance(run))))?;
        let shift = |run: &Run| run.new as i128 - run.old as i128;
        let best_shift = shift(best);
        let half = (reach / 2) as i128;
        let (low, high) = self
            .moves
            .iter()
            .chain(&self.hints)
            .filter(|run| near(run) && shift(run).abs_diff(best_shift) <= half as u128)
            .fold((best_shift, best_shift), |(low, high), run| (low.min(shift(run)), high.max(shift(run))));
        let clamp = |at: i128| usize::try_from(at.max(0)).unwrap_or(0).min(self.new_len);
        let (from, to) = (clamp(start as i128 + low), clamp(end as i128 + high));
        (from < to).then_some((from, to))
    }

    /// The stretches of new text the in-order diff paired with nothing (typed, or moved here), at least
    /// `min_len` bytes long, as `(from, to)` byte ranges in order. Runs shorter than [`SOLID`] between
    /// two stretches are scraps (a space, a "the") and do not split them.
    pub(crate) fn unpaired_new(&self, min_len: usize) -> Vec<(usize, usize)> {
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        let ends = self.runs.iter().filter(|run| run.len >= SOLID).map(|run| (run.new, run.new + run.len));
        for (from, to) in ends.chain([(self.new_len, self.new_len)]) {
            if from > at && from - at >= min_len {
                stretches.push((at, from));
            }
            at = at.max(to);
        }
        stretches
    }

    /// The stretches of old text the diff paired with nothing, in order or moved (deleted, or typed over),
    /// at least `min_len` bytes long, as `(from, to)` byte ranges in order. As in [`Edit::unpaired_new`],
    /// runs shorter than [`SOLID`] between two stretches are scraps and do not split them.
    pub(crate) fn unpaired_old(&self, min_len: usize) -> Vec<(usize, usize)> {
        let mut paired: Vec<(usize, usize)> = self
            .runs
            .iter()
            .chain(&self.moves)
            .filter(|run| run.len >= SOLID)
            .map(|run| (run.old, run.old + run.len))
            .collect();
        paired.sort_unstable();
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        for (from, to) in paired.into_iter().chain([(self.old_len, self.old_len)]) {
            if from > at && from - at >= min_len {
                stretches.push((at, from));
            }
            at = at.max(to);
        }
        stretches
    }

    /// The new bytes of `start..end` that no run (in order or moved) pairs with old text, as `(from, to)`
    /// ranges in order.
    pub(crate) fn unpaired_new_within(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let first = self.runs.partition_point(|run| run.new + run.len <= start);
        let in_order = self.runs[first..].iter().take_while(|run| run.new < end);
        let moved = self.moves_over_new(start, end);
        let mut paired: Vec<(usize, usize)> = in_order.chain(moved).map(|run| (run.new, run.new + run.len)).collect();
        paired.sort_unstable();
        let mut unpaired = Vec::new();
        let mut at = start;
        for (from, to) in paired.into_iter().chain([(end, end)]) {
            if from > at {
                unpaired.push((at, from.min(end)));
            }
            at = at.max(to);
            if at >= end {
                break;
            }
        }
        unpaired
    }

    /// Where the unedited text of old `start..end` went, outside new `new_start..new_end`: the new bytes
    /// from the first to the last of it, or `None` if none of it is unedited text elsewhere.
    pub(crate) fn kept_region(
        &self,
        start: usize,
        end: usize,
        new_start: usize,
        new_end: usize,
    ) -> Option<(usize, usize)> {
        let first = self.runs.partition_point(|run| run.old + run.len <= start);
        let in_order = self.runs[first..].iter().take_while(|run| run.old < end);
        let moved = self.moves_over_old(start, end);
        let mut extent: Option<(usize, usize)> = None;
        for run in in_order.chain(moved) {
            let from = run.old.max(start);
            let to = (run.old + run.len).min(end);
            if to <= from {
                continue;
            }
            let (new_from, new_to) = (run.new + (from - run.old), run.new + (to - run.old));
            for (a, b) in [(new_from, new_to.min(new_start)), (new_from.max(new_end), new_to)] {
                if a < b {
                    extent = Some(extent.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
                }
            }
        }
        extent
    }

    /// The old text around `start..end` that was deleted or replaced: from the end of the last unedited
    /// text before `start` (or `start`, when that is unedited text) to the start of the first after `end`.
    pub(crate) fn deleted_around(&self, start: usize, end: usize) -> (usize, usize) {
        let before = self.runs.partition_point(|run| run.old + run.len <= start);
        let from = match self.runs.get(before) {
            Some(run) if run.old < start => start,
            _ => before.checked_sub(1).map_or(0, |i| self.runs[i].old + self.runs[i].len),
        };
        let after = self.runs.partition_point(|run| run.old + run.len <= end);
        let to = match self.runs.get(after) {
            Some(run) if run.old < end => end,
            Some(run) => run.old,
            None => self.old_len,
        };
        (from.min(start), to.max(end))
    }

    /// The old text that new `start..end` may have come from: from the end of the unedited text before
    /// `start` to the start of the unedited text after `end`, in the old text. Whatever the diff paired
    /// inside the span, any of that old text could be what the span is. A run reaching into the span
    /// counts as the unedited text around it (mapped at the span's edge) only if it goes on for at least
    /// [`SOLID`] bytes outside it: a scrap like the paragraph break after a lookalike, paired with the one
    /// after the quote, says nothing about where the span came from.
    pub(crate) fn old_between(&self, start: usize, end: usize) -> (usize, usize) {
        let before = self.runs.partition_point(|run| run.new + run.len <= start);
        let from = match self.runs.get(before) {
            Some(run) if run.new + SOLID <= start => run.old + (start - run.new),
            _ => before.checked_sub(1).map_or(0, |i| self.runs[i].old + self.runs[i].len),
        };
        let after = self.runs.partition_point(|run| run.new < end);
        let to = match after.checked_sub(1).map(|i| self.runs[i]) {
            Some(run) if end + SOLID <= run.new + run.len => run.old + (end - run.new),
            _ => self.runs.get(after).map_or(self.old_len, |run| run.old),
        };
        (from, to.max(from))
    }

    /// How many bytes of new `start..end` are unedited text from outside old `old_start..old_end`.
    pub(crate) fn foreign_bytes(&self, start: usize, end: usize, old_start: usize, old_end: usize) -> usize {
        let first = self.runs.partition_point(|run| run.new + run.len <= start);
        let mut foreign = 0;
        for run in self.runs[first..].iter().take_while(|run| run.new < end) {
            let from = run.new.max(start);
            let to = (run.new + run.len).min(end);
            let (old_from, old_to) = (run.old + (from - run.new), run.old + (to - run.new));
            let inside = old_to.min(old_end).saturating_sub(old_from.max(old_start));
            foreign += (to - from) - inside;
        }
        // Text that changed place counts the same: it is some other old text, moved (and perhaps edited
        // around), even though the diff could not pair it where it is now.
        let first = self.moves.partition_point(|run| run.new + run.len <= start);
        for run in self.moves[first..].iter().take_while(|run| run.new < end) {
            let from = run.new.max(start);
            let to = (run.new + run.len).min(end);
            if to <= from {
                continue;
            }
            let (old_from, old_to) = (run.old + (from - run.new), run.old + (to - run.new));
            let inside = old_to.min(old_end).saturating_sub(old_from.max(old_start));
            foreign += (to - from) - inside;
        }
        foreign
    }

    /// How many bytes of new `start..end` the diff paired in order with old `old_start..old_end`.
    pub(crate) fn paired_inside(&self, start: usize, end: usize, old_start: usize, old_end: usize) -> usize {
        let first = self.runs.partition_point(|run| run.new + run.len <= start);
        let mut paired = 0;
        for run in self.runs[first..].iter().take_while(|run| run.new < end) {
            let from = run.new.max(start);
            let to = (run.new + run.len).min(end);
            let (old_from, old_to) = (run.old + (from - run.new), run.old + (to - run.new));
            paired += old_to.min(old_end).saturating_sub(old_from.max(old_start));
        }
        paired
    }

    /// How many bytes of old `start..end` are unedited text now outside new `new_start..new_end`.
    pub(crate) fn kept_outside(&self, start: usize, end: usize, new_start: usize, new_end: usize) -> usize {
        let first = self.runs.partition_point(|run| run.old + run.len <= start);
        let mut kept = 0;
        for run in self.runs[first..].iter().take_while(|run| run.old < end) {
            let from = run.old.max(start);
            let to = (run.old + run.len).min(end);
            let (new_from, new_to) = (run.new + (from - run.old), run.new + (to - run.old));
            let inside = new_to.min(new_end).saturating_sub(new_from.max(new_start));
            kept += (to - from) - inside;
        }
        // Moved text survived too, wherever it went.
        for run in self.moves_over_old(start, end) {
            let from = run.old.max(start);
            let to = (run.old + run.len).min(end);
            let (new_from, new_to) = (run.new + (from - run.old), run.new + (to - run.old));
            let inside = new_to.min(new_end).saturating_sub(new_from.max(new_start));
            kept += (to - from) - inside;
        }
        kept
    }

    /// Whether old `start..end` may hold a stretch `from..to` of at least `shortest` bytes, ending at
    /// most at `longest(from)`, not overlapping old `excluded` (the quote's own text), that did not survive outside new `new_start..new_end`, i.e. with `2 *
    /// kept_outside(from, to, new_start, new_end) < to - from` (the lookalike checks' test). `false` is a
    /// proof that none does, so that a lookalike check can skip its approximate search there: most old
    /// text near a quote is unedited text that went elsewhere. `longest` must not decrease as `from`
    /// grows (a count of code points from `from`, in bytes).
    ///
    /// Why it is exact: every byte [`Edit::kept_outside`] counts is in a run (in order or moved) kept
    /// outside the span, so a stretch with fewer than half its bytes counted has more than half of them
    /// in no such run ("uncovered"), hence more than `shortest / 2`; and any such stretch lies in a
    /// window `s..longest(s)` starting at an uncovered byte `s` (moving the start right over covered
    /// bytes loses none of the uncovered ones, and moves the window's end right). Bytes of `excluded`
    /// count as covered: no stretch considered holds any of them.
    pub(crate) fn may_hold_unkept(
        &self,
        (start, end): (usize, usize),
        (new_start, new_end): (usize, usize),
        excluded: (usize, usize),
        shortest: usize,
        longest: impl Fn(usize) -> usize,
    ) -> bool {
        if end <= start || end - start < shortest.max(1) {
            return false;
        }
        MAY_HOLD_UNKEPT_SCRATCH.with_borrow_mut(|(covered, gaps)| {
            self.may_hold_unkept_in(covered, gaps, (start, end), (new_start, new_end), excluded, shortest, longest)
        })
    }

    /// [`Edit::may_hold_unkept`] with its buffers.
    #[allow(clippy::too_many_arguments)]
    fn may_hold_unkept_in(
        &self,
        covered: &mut Intervals,
        gaps: &mut Intervals,
        (start, end): (usize, usize),
        (new_start, new_end): (usize, usize),
        excluded: (usize, usize),
        shortest: usize,
        longest: impl Fn(usize) -> usize,
    ) -> bool {
        // The old bytes of `start..end` that runs keep outside the span, as sorted intervals.
        covered.clear();
        if excluded.0.max(start) < excluded.1.min(end) {
            covered.push((excluded.0.max(start), excluded.1.min(end)));
        }
        let first = self.runs.partition_point(|run| run.old + run.len <= start);
        let in_order = self.runs[first..].iter().take_while(|run| run.old < end);
        let moved = self.moves_over_old(start, end);
        for run in in_order.chain(moved) {
            let from = run.old.max(start);
            let to = (run.old + run.len).min(end);
            if to <= from {
                continue;
            }
            // The part mapped inside the span (a translation: one interval) is not kept outside it.
            let new_from = run.new + (from - run.old);
            let inside_from = new_from.max(new_start);
            let inside_to = (new_from + (to - from)).min(new_end);
            if inside_from < inside_to {
                let (cut_from, cut_to) = (run.old + (inside_from - run.new), run.old + (inside_to - run.new));
                covered.extend([(from, cut_from), (cut_to, to)].into_iter().filter(|(a, b)| a < b));
            } else {
                covered.push((from, to));
            }
        }
        covered.sort_unstable();
        // The uncovered intervals, in order.
        gaps.clear();
        let mut at = start;
        for &(from, to) in covered.iter().chain([(end, end)].iter()) {
            if from > at {
                gaps.push((at, from));
            }
            at = at.max(to);
        }
        // The most uncovered bytes in a window `s..longest(s)` starting at a gap (two pointers).
        let (mut most, mut sum, mut last) = (0, 0, 0);
        for (first, &(from, _)) in gaps.iter().enumerate() {
            let window_end = longest(from);
            while last < gaps.len() && gaps[last].1 <= window_end {
                sum += gaps[last].1 - gaps[last].0;
                last += 1;
            }
            let partial = gaps.get(last).map_or(0, |&(a, _)| window_end.saturating_sub(a));
            most = most.max(sum + partial);
            if 2 * most > shortest {
                return true;
            }
            if last > first {
                sum -= gaps[first].1 - gaps[first].0;
            } else {
                last = first + 1;
            }
        }
        false
    }

    /// Bytes of the old text.
    pub(crate) fn old_len(&self) -> usize {
        self.old_len
    }

    /// Bytes of the new text.
    pub(crate) fn new_len(&self) -> usize {
        self.new_len
    }

    /// The unedited runs, in order in both texts.
    pub(crate) fn runs(&self) -> &[Run] {
        &self.runs
    }
}

/// The length of the longest end of `before` that is also a start of `after`.
fn overlap(before: &[u8], after: &[u8]) -> usize {
    let most = before.len().min(after.len());
    let Some(&first) = after.first() else { return 0 };
    let tail = &before[before.len() - most..];
    // Candidates start where `after`'s first byte is; the earliest is the longest.
    tail.iter()
        .enumerate()
        .filter(|&(_, &byte)| byte == first)
        .map(|(at, _)| most - at)
        .find(|&k| before[before.len() - k..] == after[..k])
        .unwrap_or(0)
}

/// Joins runs that continue each other on both sides (the gap diff pushes a trimmed prefix, an LCS and a
/// trimmed suffix as separate runs), so that a run's length is the whole unedited stretch: `slide` may
/// only shift a hunk as far as the run next to it reaches.
fn merge_adjacent(runs: &mut Vec<(usize, usize, usize)>) {
    let mut merged: Vec<(usize, usize, usize)> = Vec::with_capacity(runs.len());
    for &(a, b, len) in runs.iter() {
        match merged.last_mut() {
            Some(last) if last.0 + last.2 == a && last.1 + last.2 == b => last.2 += len,
            _ if len > 0 => merged.push((a, b, len)),
            _ => {}
        }
    }
    *runs = merged;
}

/// Moves each pure deletion (`old_side`) or pure insertion to the best of its equivalent places.
///
/// When the deleted text repeats what surrounds it ("…the talks, the council will cut 42 jobs. According
/// to …the talks, the council will cut 78 jobs." losing its first sentence), every shift of the hunk
/// along the repetition is an equally short diff, and the one found first may pair the surviving
/// sentence's words with the deleted one's, so that an untouched claim no longer maps whole. Like git's
/// diff slider heuristics, this picks the shift whose ends fall on the strongest boundaries (text or
/// paragraph edges, then sentence ends, then spaces), nearest the original on ties.
fn slide(runs: &mut [(usize, usize, usize)], tokens: &Tokens, text: &[u8], old_side: bool) {
    // Side-neutral view of a run: (this side's start, other side's start, length).
    let side = |run: &(usize, usize, usize)| if old_side { run.0 } else { run.1 };
    let other = |run: &(usize, usize, usize)| if old_side { run.1 } else { run.0 };
    for index in 1..runs.len() {
        let (before, after) = (runs[index - 1], runs[index]);
        // A pure hunk on this side: nothing between the runs on the other side.
        if other(&before) + before.2 != other(&after) {
            continue;
        }
        let (start, end) = (side(&before) + before.2, side(&after));
        if start >= end {
            continue;
        }
        let hashes = &tokens.hashes;
        let mut up = 0;
        while up < before.2 && hashes[start - up - 1] == hashes[end - up - 1] {
            up += 1;
        }
        let mut down = 0;
        while down < after.2 && hashes[start + down] == hashes[end + down] {
            down += 1;
        }
        if up == 0 && down == 0 {
            continue;
        }
        let byte = |token: usize| tokens.starts[token];
        let score = |shift: isize| {
            let from = start.saturating_add_signed(shift);
            let to = end.saturating_add_signed(shift);
            boundary(text, byte(from)) + boundary(text, byte(to))
        };
        let mut best = (score(0), 0isize);
        for shift in (1..=up).map(|k| -(k as isize)).chain((1..=down).map(|k| k as isize)) {
            let candidate = score(shift);
            if candidate > best.0 || (candidate == best.0 && shift.unsigned_abs() < best.1.unsigned_abs()) {
                best = (candidate, shift);
            }
        }
        let shift = best.1;
        if shift == 0 {
            continue;
        }
        let k = shift.unsigned_abs();
        let (before, after) = runs[index - 1..=index].split_at_mut(1);
        let (before, after) = (&mut before[0], &mut after[0]);
        if shift < 0 {
            before.2 -= k;
            after.0 -= k;
            after.1 -= k;
            after.2 += k;
        } else {
            before.2 += k;
            after.0 += k;
            after.1 += k;
            after.2 -= k;
        }
    }
}

/// How good a place byte `at` of `text` is for a hunk to begin or end.
fn boundary(text: &[u8], at: usize) -> u32 {
    let before = &text[..at];
    let after = &text[at..];
    if before.is_empty() || after.is_empty() || before.ends_with(b"\n") || after.starts_with(b"\n") {
        return 3;
    }
    let sentence_end = |bytes: &[u8]| {
        // The bytes without their trailing spaces (a slice: this runs for every shift of every hunk).
        let spaces = bytes.iter().rev().take_while(|b| **b == b' ').count();
        let trimmed = &bytes[..bytes.len() - spaces];
        let last = trimmed.last().copied();
        let quote_closed = trimmed.len() >= 4
            && trimmed.ends_with(&[0xe2, 0x80, 0x9d])
            && b".!?".contains(&trimmed[trimmed.len() - 4]);
        matches!(last, Some(b'.' | b'!' | b'?' | b'"')) || quote_closed
    };
    let spaced = before.ends_with(b" ") || after.starts_with(b" ");
    if spaced && sentence_end(&before[before.len().saturating_sub(8)..]) {
        2
    } else {
        u32::from(spaced)
    }
}

/// A text's tokens: start byte of each (plus the text's end) and a hash of each.
struct Tokens {
    starts: Vec<usize>,
    hashes: Vec<u64>,
    words: Vec<bool>,
}

/// Splits into words (letters, digits and any non-ASCII), whitespace runs, and single ASCII symbols.
fn tokenize(text: &str) -> Tokens {
    let bytes = text.as_bytes();
    let class = |byte: u8| -> u8 {
        if byte.is_ascii_alphanumeric() || byte >= 0x80 {
            0
        } else if byte.is_ascii_whitespace() {
            1
        } else {
            2
        }
    };
    // Prose has a little more than one token per three bytes (a word, its space, some punctuation):
    // room for that without regrowing three draft-sized vectors (pages never written cost nothing).
    let capacity = bytes.len() / 2 + 1;
    let mut starts = Vec::with_capacity(capacity);
    let mut hashes = Vec::with_capacity(capacity);
    let mut words = Vec::with_capacity(capacity);
    let mut at = 0;
    while at < bytes.len() {
        let kind = class(bytes[at]);
        let mut end = at + 1;
        if kind != 2 {
            while end < bytes.len() && class(bytes[end]) == kind {
                end += 1;
            }
        }
        let hash = token_hash(bytes, at, end);
        starts.push(at);
        hashes.push(mix(hash));
        words.push(kind == 0);
        at = end;
    }
    starts.push(bytes.len());
    Tokens { starts, hashes, words }
}

/// The hash before [`mix`] of the token `bytes[at..end]`: eight bytes at a time (a multiplication per
/// word of the token, not per byte: tokenizing two 100 KB drafts is a fifth of the diff), each word read
/// whole from the text and masked to the token (copying the token's bytes out first stalled every
/// load), with the token's length, so that a shorter token padded with zeros is not a longer one.
fn token_hash(bytes: &[u8], at: usize, end: usize) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ ((end - at) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut from = at;
    while from < end {
        let taken = (end - from).min(8);
        let word = match bytes.get(from..from + 8) {
            Some(eight) => {
                let whole = u64::from_le_bytes(eight.try_into().unwrap_or_default());
                if taken == 8 {
                    whole
                } else {
                    whole & ((1u64 << (8 * taken)) - 1)
                }
            }
            // The text's last bytes: the same word, assembled byte by byte (little-endian).
            None => bytes[from..from + taken].iter().rev().fold(0u64, |word, &byte| (word << 8) | u64::from(byte)),
        };
        hash = (hash ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
        from += taken;
    }
    hash
}

/// Finalises a hash so that every bit depends on every input bit (the maps below use it as is).
fn mix(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash
}

/// Odd multiplier of the polynomial over a window's token hashes.
const WINDOW_BASE: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of a window of token hashes: a polynomial over them, mixed. A polynomial so that
/// [`window_keys`] can roll it along a text (two multiplications a token) instead of hashing every
/// window's tokens again (the diff keys every word of a 100 KB draft, twice).
fn window_key(hashes: &[u64]) -> u64 {
    mix(hashes.iter().fold(0u64, |acc, &h| acc.wrapping_mul(WINDOW_BASE).wrapping_add(h)))
}

/// [`window_key`] of every `width`-token window of `hashes[from..to]` that `wanted` accepts (given its
/// first token), with that token, in order.
fn window_keys(
    hashes: &[u64],
    width: usize,
    (from, to): (usize, usize),
    wanted: impl Fn(usize) -> bool,
) -> Vec<(u64, usize)> {
    let mut keys = Vec::with_capacity(to - from);
    // WINDOW_BASE^(width - 1): the weight of a window's first token, taken off as the window moves on.
    let first_weight = (1..width).fold(1u64, |power, _| power.wrapping_mul(WINDOW_BASE));
    let mut rolling =
        hashes[from..from + width].iter().fold(0u64, |acc, &h| acc.wrapping_mul(WINDOW_BASE).wrapping_add(h));
    for at in from..=to - width {
        if at > from {
            rolling = rolling
                .wrapping_sub(hashes[at - 1].wrapping_mul(first_weight))
                .wrapping_mul(WINDOW_BASE)
                .wrapping_add(hashes[at + width - 1]);
        }
        if wanted(at) {
            keys.push((mix(rolling), at));
        }
    }
    keys
}

/// Hashing for keys that are already good hashes.
#[derive(Default)]
pub(super) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub(super) type IdentityMap<V> = HashMap<u64, V, BuildHasherDefault<Identity>>;

/// Where a window key occurs on each side: a token index, [`ABSENT`] or [`MANY`] (`old_at` is never
/// [`ABSENT`] in a key's slot, so that marks an empty one).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Seen {
    old_at: u32,
    new_at: u32,
}

/// A map from keys that are already mixed hashes to small values: open addressing with linear
/// probing, each key stored in its slot beside its value (one cache line per look-up, where a general
/// map reads its control bytes, then the entry: the top-level pairing of a 100 KB draft looks up some
/// 50,000 windows, the crossed check's index of the old text inserts 16,000). A value no key is given
/// (`empty`) marks an empty slot.
pub(super) struct KeyTable<V> {
    slots: Vec<(u64, V)>,
    empty: V,
}

impl<V: Copy + PartialEq> KeyTable<V> {
    /// An empty table with room for `keys` keys at most half full (short probes, and a free slot always
    /// ends one).
    pub(super) fn new(keys: usize, empty: V) -> Self {
        let mut table = KeyTable { slots: Vec::new(), empty };
        table.reset(keys);
        table
    }

    /// Empties the table, keeping its memory, with room for `keys` keys as in [`KeyTable::new`].
    pub(super) fn reset(&mut self, keys: usize) {
        self.slots.clear();
        self.slots.resize(2 * keys + 1, (0, self.empty));
    }

    /// The slot holding `key` (`true`), or the empty slot where it would go (`false`).
    fn find(&self, key: u64) -> (usize, bool) {
        let len = self.slots.len();
        // The key is a mixed hash: its high bits scaled to the table's size spread keys evenly.
        let wide = (u128::from(key) * len as u128) >> 64;
        let mut slot = usize::try_from(wide).unwrap_or(0);
        loop {
            let (stored, value) = self.slots[slot];
            if value == self.empty {
                return (slot, false);
            }
            if stored == key {
                return (slot, true);
            }
            slot = if slot + 1 == len { 0 } else { slot + 1 };
        }
    }

    /// The value of `key`, if it has one.
    pub(super) fn get(&self, key: u64) -> Option<V> {
        match self.find(key) {
            (slot, true) => Some(self.slots[slot].1),
            _ => None,
        }
    }

    /// The value of `key`, given `value` first if it has none (which must not be `empty`); the table
    /// must not already hold as many keys as it was made for.
    pub(super) fn entry(&mut self, key: u64, value: V) -> &mut V {
        let (slot, found) = self.find(key);
        if !found {
            self.slots[slot] = (key, value);
        }
        &mut self.slots[slot].1
    }
}

/// [`Seen`]: no occurrence on that side.
const ABSENT: u32 = u32::MAX - 1;
/// [`Seen`]: more than one occurrence on that side.
const MANY: u32 = u32::MAX;

/// The token diff; pushes `(old token, new token, length)` runs in order.
struct Differ<'a> {
    a: &'a [u64],
    b: &'a [u64],
    /// Whether each token is a word (where multi-token windows start).
    a_words: &'a [bool],
    b_words: &'a [bool],
    out: &'a mut Vec<(usize, usize, usize)>,
    /// The LCS table, kept between gaps: a diff aligns hundreds of them, and a new table each
    /// time showed in the profile (an allocation and a free per gap).
    table: Vec<u32>,
    /// The unique-window pairing's table, kept between gaps likewise.
    windows: KeyTable<Seen>,
}

impl Differ<'_> {
    /// Top level: trims the common ends, then pairs unique windows. Returns those pairs (the ones the
    /// diff could not keep in order are where text moved) and the bounds of the middle they are unique
    /// in (old from, old to, new from, new to).
    fn diff(&mut self, a0: usize, a1: usize, b0: usize, b1: usize) -> (Vec<(usize, usize)>, [usize; 4]) {
        let (a0, b0, a1, b1, tail) = self.trim(a0, a1, b0, b1);
        let mut pairs = Vec::new();
        if a0 < a1 && b0 < b1 {
            pairs = self.unique_pairs(a0, a1, b0, b1, WINDOW);
            self.follow(&pairs, a0, a1, b0, b1, 0);
        }
        if let Some(run) = tail {
            self.out.push(run);
        }
        (pairs, [a0, a1.max(a0), b0, b1.max(b0)])
    }

    /// Pushes the common prefix of the two ranges and returns what is left, with the common suffix
    /// as a run to push once the middle is done.
    #[allow(clippy::type_complexity)]
    fn trim(
        &mut self,
        a0: usize,
        a1: usize,
        b0: usize,
        b1: usize,
    ) -> (usize, usize, usize, usize, Option<(usize, usize, usize)>) {
        let prefix = self.a[a0..a1].iter().zip(&self.b[b0..b1]).take_while(|(x, y)| x == y).count();
        if prefix > 0 {
            self.out.push((a0, b0, prefix));
        }
        let (a0, b0) = (a0 + prefix, b0 + prefix);
        let suffix = self.a[a0..a1].iter().rev().zip(self.b[b0..b1].iter().rev()).take_while(|(x, y)| x == y).count();
        let (a1, b1) = (a1 - suffix, b1 - suffix);
        (a0, b0, a1, b1, (suffix > 0).then_some((a1, b1, suffix)))
    }

    /// Pairs of positions whose `width`-token window occurs exactly once in each range, in new order.
    /// Windows of more than one token start only at words: the others add nothing but work.
    fn unique_pairs(&mut self, a0: usize, a1: usize, b0: usize, b1: usize, width: usize) -> Vec<(usize, usize)> {
        if a1 - a0 < width || b1 - b0 < width {
            return Vec::new();
        }
        let keys = |hashes: &[u64], words: &[bool], from: usize, to: usize| -> Vec<(u64, usize)> {
            window_keys(hashes, width, (from, to), |at| width == 1 || words[at])
        };
        let old_keys = keys(self.a, self.a_words, a0, a1);
        let new_keys = keys(self.b, self.b_words, b0, b1);
        let seen = &mut self.windows;
        seen.reset(old_keys.len());
        for &(key, at) in &old_keys {
            match seen.find(key) {
                (slot, true) => seen.slots[slot].1.old_at = MANY,
                (slot, false) => seen.slots[slot] = (key, Seen { old_at: to_u32(at), new_at: ABSENT }),
            }
        }
        for &(key, at) in &new_keys {
            if let (slot, true) = seen.find(key) {
                let entry = &mut seen.slots[slot].1;
                entry.new_at = if entry.new_at == ABSENT { to_u32(at) } else { MANY };
            }
        }
        new_keys
            .iter()
            .filter_map(|&(key, at)| {
                let entry = seen.get(key)?;
                (entry.old_at != MANY && entry.new_at as usize == at).then_some((entry.old_at as usize, at))
            })
            .collect()
    }

    /// Keeps the longest chain of `pairs` increasing on both sides, extends each into a run, and diffs
    /// the gaps between them.
    fn follow(&mut self, pairs: &[(usize, usize)], a0: usize, a1: usize, b0: usize, b1: usize, depth: u32) {
        let chain = longest_chain(pairs);
        let (mut at_a, mut at_b) = (a0, b0);
        for (pa, pb) in chain {
            if pa < at_a || pb < at_b || self.a[pa] != self.b[pb] {
                continue;
            }
            self.gap(at_a, pa, at_b, pb, depth + 1);
            let len = self.a[pa..a1].iter().zip(&self.b[pb..b1]).take_while(|(x, y)| x == y).count();
            self.out.push((pa, pb, len));
            at_a = pa + len;
            at_b = pb + len;
        }
        self.gap(at_a, a1, at_b, b1, depth + 1);
    }

    /// Diffs a gap between two matches: ends trimmed, then exact LCS when small, else unique tokens.
    fn gap(&mut self, a0: usize, a1: usize, b0: usize, b1: usize, depth: u32) {
        let (a0, b0, a1, b1, tail) = self.trim(a0, a1, b0, b1);
        if a0 < a1 && b0 < b1 {
            let cells = (a1 - a0) * (b1 - b0);
            if cells <= LCS_CELLS {
                self.lcs(a0, a1, b0, b1);
            } else {
                let pairs = if depth < MAX_DEPTH { self.unique_pairs(a0, a1, b0, b1, 1) } else { Vec::new() };
                if !pairs.is_empty() {
                    self.follow(&pairs, a0, a1, b0, b1, depth);
                } else if cells <= LCS_FALLBACK_CELLS {
                    self.lcs(a0, a1, b0, b1);
                }
                // Otherwise the gap is left as replaced text: anchors in it are found by search instead.
            }
        }
        if let Some(run) = tail {
            self.out.push(run);
        }
    }

    /// Exact longest common subsequence of two small ranges.
    fn lcs(&mut self, a0: usize, a1: usize, b0: usize, b1: usize) {
        let (n, m) = (a1 - a0, b1 - b0);
        let width = m + 1;
        // table[i * width + j]: LCS length of a[a0 + i..a1] and b[b0 + j..b1].
        // Every cell is written before it is read but the last row and column (empty suffixes: 0).
        let table = &mut self.table;
        table.clear();
        table.resize((n + 1) * width, 0);
        // Row by row on slices, so that the inner loop, run for every cell, has no index to check.
        let new_tokens = &self.b[b0..b1];
        for i in (0..n).rev() {
            let (row, below) = table[i * width..(i + 2) * width].split_at_mut(width);
            let token = self.a[a0 + i];
            for j in (0..m).rev() {
                row[j] = if token == new_tokens[j] { below[j + 1] + 1 } else { below[j].max(row[j + 1]) };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if self.a[a0 + i] == self.b[b0 + j] {
                match self.out.last_mut() {
                    Some(last) if last.0 + last.2 == a0 + i && last.1 + last.2 == b0 + j => last.2 += 1,
                    _ => self.out.push((a0 + i, b0 + j, 1)),
                }
                i += 1;
                j += 1;
            } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
}

/// Text that changed place: the unique windows (`pairs`, old token, new token) the in-order diff left
/// unpaired, each grown over the equal tokens around it, as `(old token, new token, length)`. Removes
/// from `runs` the short runs such a move crosses.
///
/// The in-order diff keeps one order of the shared text; a paragraph moved elsewhere leaves its words
/// unpaired, at its old place and at its new one, as if deleted there and typed here, or paired in
/// scraps (a space, "closed session") with whatever was deleted where it now stands. A window that
/// occurs once in each text is the same text in both, so these pairs say where such words came from,
/// and they outweigh a run shorter than a window: that run is the scrap, and is dropped.
fn find_moves(
    runs: &mut Vec<(usize, usize, usize)>,
    pairs: &[(usize, usize)],
    middle: [usize; 4],
    a: &Tokens,
    b: &Tokens,
) -> Vec<(usize, usize, usize)> {
    const NONE: u32 = u32::MAX;
    const STRONG: u32 = u32::MAX - 1;
    let (a_len, b_len) = (a.hashes.len(), b.hashes.len());
    // Per token: NONE when unpaired, STRONG when in a run of a window or more, else the short run's index.
    let mut a_owner = vec![NONE; a_len];
    let mut b_owner = vec![NONE; b_len];
    for (index, &(ai, bi, len)) in runs.iter().enumerate() {
        let owner = if len >= WINDOW { STRONG } else { to_u32(index) };
        a_owner[ai..ai + len].fill(owner);
        b_owner[bi..bi + len].fill(owner);
    }
    let free = |owner: u32| owner != STRONG;
    let seeds: Vec<(usize, usize)> =
        pairs.iter().copied().filter(|&(pa, pb)| free(a_owner[pa]) && free(b_owner[pb])).collect();
    if seeds.is_empty() {
        return Vec::new();
    }
    // The pairs are unique in the middle the common ends left; a copy in those ends (the quote's first
    // words, say, trimmed with a lookalike's) makes a window no evidence of where text went.
    let [a0, a1, b0, b1] = middle;
    let mut outside: std::collections::HashSet<u64, BuildHasherDefault<Identity>> = Default::default();
    for (tokens, from, to) in [(a, a0, a1), (b, b0, b1)] {
        let len = tokens.hashes.len();
        let ends = (0..from.min(len)).chain(to.saturating_sub(WINDOW - 1)..len);
        for at in ends.filter(|&at| at + WINDOW <= len && tokens.words[at]) {
            outside.insert(window_key(&tokens.hashes[at..at + WINDOW]));
        }
    }
    let mut dropped = vec![false; runs.len()];
    let mut moves = Vec::new();
    for (pa, pb) in seeds {
        let seed = &a.hashes[pa..(pa + WINDOW).min(a_len)];
        if !free(a_owner[pa]) || !free(b_owner[pb]) || a.hashes[pa] != b.hashes[pb] {
            continue;
        }
        if seed.len() == WINDOW && outside.contains(&window_key(seed)) {
            continue;
        }
        let mut back = 0;
        while back < pa.min(pb)
            && free(a_owner[pa - back - 1])
            && free(b_owner[pb - back - 1])
            && a.hashes[pa - back - 1] == b.hashes[pb - back - 1]
        {
            back += 1;
        }
        let mut len = 1;
        while pa + len < a_len
            && pb + len < b_len
            && free(a_owner[pa + len])
            && free(b_owner[pb + len])
            && a.hashes[pa + len] == b.hashes[pb + len]
        {
            len += 1;
        }
        // Heavy editing makes windows anew ("contract were never put " typed where the old text had it
        // in another sentence): a window alone is only a hint (kept apart by the caller), a context's
        // worth of text is a move, which outweighs the short runs it crosses.
        let (from_a, from_b, len) = (pa - back, pb - back, back + len);
        let crossed = a_owner[from_a..from_a + len].iter().chain(&b_owner[from_b..from_b + len]);
        if a.starts[from_a + len] - a.starts[from_a] < SOLID && crossed.clone().any(|&owner| owner != NONE) {
            continue;
        }
        for &owner in crossed {
            if owner != NONE {
                dropped[owner as usize] = true;
            }
        }
        a_owner[from_a..from_a + len].fill(STRONG);
        b_owner[from_b..from_b + len].fill(STRONG);
        moves.push((from_a, from_b, len));
    }
    if dropped.contains(&true) {
        let mut index = 0;
        runs.retain(|_| {
            index += 1;
            !dropped[index - 1]
        });
    }
    moves
}

/// The longest subsequence of `pairs` (sorted by their second item) that also increases in the first.
fn longest_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting: `tails[k]` is the index of the smallest last element of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (index, &(old, _)) in pairs.iter().enumerate() {
        let length = tails.partition_point(|&tail| pairs[tail].0 < old);
        previous[index] = length.checked_sub(1).map(|k| tails[k]);
        if length == tails.len() {
            tails.push(index);
        } else {
            tails[length] = index;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(index) = cursor {
        chain.push(pairs[index]);
        cursor = previous[index];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_hashes_the_same_at_the_end_of_the_text_as_anywhere() {
        for token in ["a", "council", "“quoted”", "extraordinarily", "x1234567", "123456789abcdefgh"] {
            let inside = format!(" {token} and more text after it");
            let at_end = format!("text before {token}");
            let (from, to) = (1, 1 + token.len());
            let end_from = at_end.len() - token.len();
            assert_eq!(
                token_hash(inside.as_bytes(), from, to),
                token_hash(at_end.as_bytes(), end_from, at_end.len()),
                "{token}"
            );
        }
        assert_ne!(token_hash(b"ab\0", 0, 2), token_hash(b"ab\0", 0, 3));
    }

    #[test]
    fn rolled_window_keys_are_the_keys_of_each_window() {
        let hashes: Vec<u64> = (0..40u64).map(|i| mix(i.wrapping_mul(0x1234_5678_9abc_def1) % 7)).collect();
        for width in [1, 3, WINDOW] {
            for (from, to) in [(0, 40), (5, 17), (3, 3 + width)] {
                let rolled = window_keys(&hashes, width, (from, to), |at| at % 3 != 1);
                let direct: Vec<(u64, usize)> = (from..=to - width)
                    .filter(|at| at % 3 != 1)
                    .map(|at| (window_key(&hashes[at..at + width]), at))
                    .collect();
                assert_eq!(rolled, direct, "{width} {from} {to}");
            }
        }
    }

    #[test]
    fn maps_positions_around_edits() {
        let old = "The council met on Monday. It approved the budget. Residents objected loudly.";
        let new = "Breaking: The council met on Tuesday. It approved the budget. Residents objected.";
        let edit = Edit::new(old, new);
        let at = old.find("It approved").unwrap();
        assert_eq!(edit.map_start(at), Some(new.find("It approved").unwrap()));
        let end = at + "It approved the budget.".len();
        assert_eq!(edit.map_end(end), Some(new.find("It approved").unwrap() + "It approved the budget.".len()));
        // "Monday" was replaced: it has no unedited counterpart, but a region.
        let monday = old.find("Monday").unwrap();
        assert_eq!(edit.map_start(monday), None);
        let (from, to) = edit.region(monday, monday + "Monday".len());
        assert_eq!(&new[from..to], "Tuesday");
        assert_eq!(edit.foreign_bytes(0, new.len(), 0, old.len()), 0);
        assert_eq!(edit.back_start(new.find("Residents").unwrap()), old.find("Residents"));
    }

    #[test]
    fn a_paragraph_moved_and_edited_is_a_move_and_outweighs_scraps_paired_in_order() {
        let moved = "Two people who attended the closed session said board members were told that a larger \
                     channel was needed.";
        let stayed = "State law requires public agencies to disclose budget amendments within 30 days.\n\nThe \
                      contract went to Bayline Marine, which has donated to three board members.";
        let old = format!("{moved}\n\n{stayed}\n\nMinutes of the January closed session");
        let new = format!("{stayed}\n\n{}", moved.replace("a larger", "a"));
        let edit = Edit::new(&old, &new);
        // The in-order diff keeps the two paragraphs that stayed; the moved one's text is a move from its
        // old place, not "closed session" paired with the deleted caption's.
        let at = new.find("Two people").unwrap();
        let old_end = old.find("\n\n").unwrap();
        assert_eq!(edit.foreign_bytes(at, at + 40, 0, old_end), 0);
        let caption = old.find("Minutes").unwrap();
        assert_eq!(edit.foreign_bytes(at, at + 40, caption, old.len()), 40);
        assert!(edit.runs.iter().all(|run| !old[run.old..run.old + run.len].contains("closed session")));
    }

    /// `may_hold_unkept` is a proof: whenever some stretch of the allowed lengths has fewer than half its
    /// bytes kept outside the span (the lookalike checks' test, by brute force), it must say it may.
    #[test]
    fn may_hold_unkept_never_misses_a_stretch_that_did_not_survive() {
        let sentences: Vec<String> =
            (0..40).map(|i| format!("The board paid {} people in {i} towns, said Zoë.", i * 7)).collect();
        let old = sentences.join(" ");
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut roll = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap()
        };
        let (mut checked, mut said_no) = (0, 0);
        for round in 0..12 {
            // Words replaced, deleted and moved, more of them each round.
            let mut words: Vec<String> = old.split(' ').map(str::to_string).collect();
            for _ in 0..(round + 1) * 6 {
                let at = roll(words.len());
                match roll(3) {
                    0 => words[at] = "lately".to_string(),
                    1 => {
                        words.remove(at);
                    }
                    _ => {
                        let word = words.remove(at);
                        let to = roll(words.len());
                        words.insert(to, word);
                    }
                }
            }
            let new = words.join(" ");
            let edit = Edit::new(&old, &new);
            for _ in 0..40 {
                let span_start = roll(new.len() - 60);
                let span_end = span_start + 20 + roll(40);
                let side_start = roll(old.len() - 200);
                let side_end = side_start + 40 + roll(160);
                let (shortest, longest) = (10 + roll(30), 40 + roll(40));
                let (side, span) = ((side_start, side_end), (span_start, span_end));
                let excluded_start = side_start + roll(200);
                let excluded = (excluded_start, excluded_start + roll(80));
                let unkept = (side_start..side_end).any(|from| {
                    (from + shortest..=(from + longest).min(side_end)).any(|to| {
                        let overlaps = from < excluded.1 && excluded.0 < to;
                        !overlaps && 2 * edit.kept_outside(from, to, span_start, span_end) < to - from
                    })
                });
                let may = edit.may_hold_unkept(side, span, excluded, shortest, |from| from + longest);
                assert!(may || !unkept, "round {round}: {side:?} {span:?} {excluded:?} {shortest}..={longest}");
                checked += 1;
                said_no += usize::from(!may);
            }
        }
        // The filter must also rule some sides out, or it is worth nothing.
        assert!(said_no * 4 > checked, "{said_no} of {checked}");
    }

    /// The binary searches over the moves find exactly the moves a scan of all of them finds, for any
    /// range, with moves of many lengths (the search's lower bound leans on the longest).
    #[test]
    fn moves_over_a_range_are_the_moves_a_full_scan_finds() {
        let sentences: Vec<String> = (0..120)
            .map(|i| {
                format!("Item {i} of the ledger{} was signed by {} clerks.", " and its annex".repeat(i % 4), i * 3)
            })
            .collect();
        let old = sentences.join(" ");
        let mut shuffled = sentences.clone();
        // Sentences and pairs of them moved far, so that moves of several lengths exist.
        for (from, to) in [(5, 90), (17, 60), (40, 3), (70, 110), (100, 20), (33, 80)] {
            let moved = shuffled.remove(from);
            shuffled.insert(to, moved);
        }
        let new = shuffled.join(" ");
        let edit = Edit::new(&old, &new);
        assert!(edit.moves.len() >= 4, "{} moves", edit.moves.len());
        let lengths: std::collections::BTreeSet<usize> = edit.moves.iter().map(|run| run.len).collect();
        assert!(lengths.len() >= 2, "{lengths:?}");
        let sorted = |mut runs: Vec<Run>| {
            runs.sort_unstable_by_key(|run| (run.old, run.new, run.len));
            runs
        };
        for start in (0..old.len().max(new.len())).step_by(7) {
            for len in [0, 1, 13, 64, 300, 2000] {
                let end = start + len;
                let by_old: Vec<Run> = edit.moves_over_old(start, end).copied().collect();
                let scan_old: Vec<Run> =
                    edit.moves.iter().filter(|run| run.old < end && start < run.old + run.len).copied().collect();
                assert_eq!(sorted(by_old), sorted(scan_old), "old {start}..{end}");
                let by_new: Vec<Run> = edit.moves_over_new(start, end).copied().collect();
                let scan_new: Vec<Run> =
                    edit.moves.iter().filter(|run| run.new < end && start < run.new + run.len).copied().collect();
                assert_eq!(by_new, scan_new, "new {start}..{end}");
            }
        }
    }

    #[test]
    fn a_long_shuffled_text_diffs_to_its_unedited_runs() {
        let sentences: Vec<String> =
            (0..400).map(|i| format!("Sentence number {i} says that {} people came.", i * 7)).collect();
        let old = sentences.join(" ");
        let mut edited = sentences.clone();
        edited.remove(10);
        edited.insert(200, "A brand new sentence.".to_string());
        edited[300] = edited[300].replace("people", "residents");
        let new = edited.join(" ");
        let edit = Edit::new(&old, &new);
        let shared: usize = edit.runs.iter().map(|run| run.len).sum();
        assert!(shared + 80 >= old.len(), "{shared} of {}", old.len());
        let at = old.find("Sentence number 399").unwrap();
        assert_eq!(edit.map_start(at), new.find("Sentence number 399"));
    }
}
