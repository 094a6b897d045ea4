//! Anchoring: selectors, locating quotes sent by the UI, and re-anchoring claims through edits.
//!
//! The property tests write news-like drafts from sentence templates (figures, dates, named and unnamed
//! sources, curly quotes and accents), make a claim on one sentence, edit the draft the way a writer
//! would, and check where the claim ends up against where the edit actually put it.

// Test and bench code: a panic is the failure report, and sizes are far below u32::MAX.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use factdesk_core::anchor::{
    describe, locate, reanchor_all, Anchor, AnchorError, AnchorState, TextPositionSelector, TextQuoteSelector,
};
use proptest::prelude::*;

const TEMPLATES: &[&str] = &[
    "The {org} approved ${n} million for {thing} in a closed session in {month}, according to minutes reviewed by the {paper}.",
    "Sources tell the {paper} that {name} met officials from the {org} at least {n} times before the vote.",
    "{name}, a spokesperson for the {org}, said the figure was “wrong and misleading” and declined to elaborate.",
    "A worker at the {thing} site, who spoke on condition of anonymity, said {n} people had been told not to talk.",
    "Records show the {org} paid {name} {n} thousand euros for consulting work between {month} and June.",
    "“We waited {n} years for someone to listen,” said {name}, who lives near the {thing} in Saint-Étienne.",
    "The {thing} project, first announced in {month}, is now expected to cost {n} percent more than planned.",
    "According to two people familiar with the talks, the {org} will cut {n} jobs by the end of {month}.",
    "{name} told reporters on {month} {n} that the {org} had never received a formal complaint about the {thing}.",
    "An audit by the {paper} found that {n} of the {org}’s contracts for the {thing} were never put out to tender.",
];
const ORGS: &[&str] = &["Port Authority", "city council", "Ministry of Health", "water board", "Eastport Clinic"];
const THINGS: &[&str] = &["harbor dredging", "bridge", "landfill", "school renovation", "pipeline"];
const MONTHS: &[&str] = &["January", "March", "April", "September", "November"];
const PAPERS: &[&str] = &["Tribune", "Herald", "Strike Source", "Ledger"];
const NAMES: &[&str] = &["Dana Whitfield", "Omar Little", "Zoë Kraus", "Helen M. Ortiz", "José Núñez", "Rosa Ferrer"];
/// Words a writer adds: none of them occurs in the templates, so edits never recreate a template sentence.
const EDIT_WORDS: &[&str] = &["reportedly", "Tuesday’s", "quickly", "(updated)", "nearly", "allegedly", "—", "über"];

/// A tiny deterministic generator, so a failing case is reproduced from its seed alone.
struct Dice(u64);

impl Dice {
    fn new(seed: u64) -> Self {
        Dice(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A draft as paragraphs of sentences; all sentences are distinct.
#[derive(Debug, Clone)]
struct Draft {
    paragraphs: Vec<Vec<String>>,
}

impl Draft {
    fn generate(dice: &mut Dice, sentences: usize) -> Self {
        let mut seen = std::collections::HashSet::new();
        let mut paragraphs = vec![Vec::new()];
        while seen.len() < sentences {
            let sentence = TEMPLATES[dice.below(TEMPLATES.len())]
                .replace("{org}", dice.pick(ORGS))
                .replace("{thing}", dice.pick(THINGS))
                .replace("{month}", dice.pick(MONTHS))
                .replace("{paper}", dice.pick(PAPERS))
                .replace("{name}", dice.pick(NAMES))
                .replace("{n}", &(2 + dice.below(97)).to_string());
            if !seen.insert(sentence.clone()) {
                continue;
            }
            if paragraphs.last().is_some_and(|p| p.len() >= 2 + dice.below(3)) {
                paragraphs.push(Vec::new());
            }
            paragraphs.last_mut().unwrap().push(sentence);
        }
        Draft { paragraphs }
    }

    fn text(&self) -> String {
        self.paragraphs.iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n")
    }

    /// Code point span of sentence `index` (counting across paragraphs).
    fn span(&self, index: usize) -> TextPositionSelector {
        let mut at = 0usize;
        let mut count = 0;
        for (p, paragraph) in self.paragraphs.iter().enumerate() {
            if p > 0 {
                at += 2;
            }
            for (s, sentence) in paragraph.iter().enumerate() {
                if s > 0 {
                    at += 1;
                }
                let len = sentence.chars().count();
                if count == index {
                    return TextPositionSelector { start: at as u32, end: (at + len) as u32 };
                }
                at += len;
                count += 1;
            }
        }
        panic!("no sentence {index}");
    }

    fn count(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    /// (paragraph, sentence) of sentence `index`.
    fn locate(&self, mut index: usize) -> (usize, usize) {
        for (p, paragraph) in self.paragraphs.iter().enumerate() {
            if index < paragraph.len() {
                return (p, index);
            }
            index -= paragraph.len();
        }
        panic!("no sentence {index}");
    }
}

fn slice(text: &str, span: TextPositionSelector) -> String {
    text.chars().skip(span.start as usize).take((span.end - span.start) as usize).collect()
}

fn anchor_on(text: &str, span: TextPositionSelector) -> Anchor {
    describe(text, span).expect("a span inside the text")
}

/// Edits every sentence but `keep`: words replaced, inserted, deleted; sentences added and removed;
/// paragraphs split. `keep` stays the same sentence (its index may change); returns its new index.
fn edit_around(draft: &mut Draft, keep: usize, dice: &mut Dice, edits: usize) -> usize {
    let marker = "\u{1}KEEP\u{1}";
    let (p, s) = draft.locate(keep);
    let kept = std::mem::replace(&mut draft.paragraphs[p][s], marker.to_string());
    for _ in 0..edits {
        let index = dice.below(draft.count());
        let (p, s) = draft.locate(index);
        if draft.paragraphs[p][s] == marker {
            continue;
        }
        match dice.below(6) {
            0..=2 => {
                let mut words: Vec<String> = draft.paragraphs[p][s].split(' ').map(String::from).collect();
                let at = dice.below(words.len());
                match dice.below(3) {
                    0 => words[at] = dice.pick(EDIT_WORDS).to_string(),
                    1 => words.insert(at, dice.pick(EDIT_WORDS).to_string()),
                    _ if words.len() > 2 => {
                        words.remove(at);
                    }
                    _ => {}
                }
                draft.paragraphs[p][s] = words.join(" ");
            }
            3 => draft.paragraphs[p]
                .insert(s, format!("Update {}: the {} responded.", dice.below(1000), dice.pick(EDIT_WORDS))),
            4 if draft.count() > 3 => {
                draft.paragraphs[p].remove(s);
                draft.paragraphs.retain(|paragraph| !paragraph.is_empty());
            }
            _ if s > 0 => {
                let tail = draft.paragraphs[p].split_off(s);
                draft.paragraphs.insert(p + 1, tail);
            }
            _ => {}
        }
    }
    let mut index = 0;
    for paragraph in &mut draft.paragraphs {
        for sentence in paragraph.iter_mut() {
            if sentence == marker {
                *sentence = kept;
                return index;
            }
            index += 1;
        }
    }
    panic!("the kept sentence was lost");
}

proptest! {
    // A fixed seed keeps CI deterministic; it passes. With PROPTEST_RNG_SEED=1..150 at 256 cases every
    // seed passes every rule, the moved-and-edited one included (checked on 2026-12-01, after the fixes
    // for its seeds 58, 61, 67, 73, 103, 104, 117, 127, 133, 138 and 143: eight `fuzzy` on a lookalike,
    // two orphaned, one span cut short); the failures other seeds used to find are the `regression_*`
    // tests below. Set PROPTEST_RNG_SEED to another number to explore; a new failure is a bug to fix
    // (keep its minimal case as a regression test).
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_seed: std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .map_or(proptest::test_runner::RngSeed::Fixed(0xfac7_de5c), proptest::test_runner::RngSeed::Fixed),
        ..ProptestConfig::default()
    })]

    /// Edits anywhere outside a quote, next to it included, leave it anchored exactly where they moved it.
    #[test]
    fn edits_outside_a_quote_keep_it_anchored_at_the_mapped_place(seed in any::<u64>(), edits in 1usize..40) {
        let (old, new, anchor, truth) = edits_outside_case(seed, edits);
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        prop_assert_eq!(placed.state, AnchorState::Anchored, "{:?}", placed);
        prop_assert_eq!(placed.position, Some(truth));
        prop_assert_eq!(placed.confidence, 1.0);
    }

    /// One to three characters changed inside a quote of 40 or more: fuzzy, confident, on the edited text.
    #[test]
    fn small_edits_inside_a_quote_give_a_confident_fuzzy_match(
        seed in any::<u64>(),
        changes in proptest::collection::vec((any::<u16>(), 0u8..3, proptest::char::range('a', 'z')), 1..=3),
        elsewhere in 0usize..10,
    ) {
        let case = small_edit_case(seed, &changes, elsewhere);
        prop_assume!(case.is_some());
        let (old, new, anchor, truth) = case.unwrap();
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        prop_assert_eq!(placed.state, AnchorState::Fuzzy, "{:?}", placed);
        prop_assert!(placed.confidence >= 0.7, "{:?}", placed);
        let position = placed.position.unwrap();
        prop_assert!(position.start < truth.end && truth.start < position.end, "{:?} vs {:?}", position, truth);
        prop_assert!(position.start.abs_diff(truth.start) <= 3 && position.end.abs_diff(truth.end) <= 3, "{:?} vs {:?}", position, truth);
        prop_assert_eq!(placed.quote_now.clone(), Some(slice(&new, position)));
    }

    /// The quoted sentence pasted again with its whole context: ambiguous, both places offered, no pick.
    #[test]
    fn duplicating_the_quoted_sentence_with_its_context_gives_ambiguous(seed in any::<u64>(), extra in 0u32..20) {
        let mut dice = Dice::new(seed);
        let size = 6 + dice.below(20);
        let draft = Draft::generate(&mut dice, size);
        let old = draft.text();
        let keep = dice.below(draft.count());
        let span = draft.span(keep);
        let anchor = anchor_on(&old, span);
        let len = old.chars().count() as u32;
        let from = span.start.saturating_sub(32 + extra);
        let to = (span.end + 32 + extra).min(len);
        let copy = slice(&old, TextPositionSelector { start: from, end: to });
        // Paste it as a new paragraph at a paragraph boundary (or at the very end).
        let boundaries: Vec<usize> = old.match_indices("\n\n").map(|(i, _)| i).chain([old.len()]).collect();
        let at = boundaries[dice.below(boundaries.len())];
        let new = format!("{}\n\n{copy}{}", &old[..at], &old[at..]);
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        prop_assert_eq!(placed.state, AnchorState::Ambiguous, "{:?}", placed);
        prop_assert_eq!(placed.position, None);
        prop_assert!(placed.candidates.len() >= 2);
        for candidate in &placed.candidates {
            prop_assert_eq!(slice(&new, TextPositionSelector { start: candidate.start, end: candidate.end }), anchor.quote.exact.clone());
        }
    }

    /// The quoted sentence deleted (with other edits around): orphaned, not captured by a neighbour.
    #[test]
    fn deleting_the_quoted_sentence_gives_orphaned(seed in any::<u64>(), edits in 0usize..20) {
        let (old, new, anchor) = deleted_case(seed, edits);
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        prop_assert_eq!(placed.state, AnchorState::Orphaned, "{:?}", placed);
        prop_assert_eq!(placed.position, None);
    }

    /// A paragraph moved elsewhere and edited inside (one to three characters of the quote changed, and
    /// perhaps a word of another of its sentences): fuzzy at its new place, or ambiguous between it and
    /// a lookalike, never elsewhere.
    #[test]
    fn a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous(
        seed in any::<u64>(),
        changes in proptest::collection::vec((any::<u16>(), 0u8..3, proptest::char::range('a', 'z')), 1..=3),
        neighbour_edited in any::<bool>(),
    ) {
        let case = moved_and_edited_case(seed, &changes, neighbour_edited);
        prop_assume!(case.is_some());
        let (old, new, anchor, truth) = case.unwrap();
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        let on_truth = |start: u32, end: u32| start < truth.end && truth.start < end;
        match placed.state {
            AnchorState::Fuzzy => {
                let position = placed.position.unwrap();
                prop_assert!(on_truth(position.start, position.end), "{:?} vs {:?}", placed, truth);
                prop_assert!(position.start.abs_diff(truth.start) <= 3 && position.end.abs_diff(truth.end) <= 3, "{:?} vs {:?}", position, truth);
                prop_assert_eq!(placed.quote_now.clone(), Some(slice(&new, position)));
            }
            AnchorState::Ambiguous => {
                prop_assert!(placed.candidates.iter().any(|c| on_truth(c.start, c.end)), "{:?} vs {:?}", placed, truth);
            }
            _ => prop_assert!(false, "{:?} vs {:?}", placed, truth),
        }
    }

    /// Many claims at once: each is placed as if it were alone.
    #[test]
    fn anchors_are_placed_independently_of_each_other(seed in any::<u64>(), edits in 0usize..30) {
        let mut dice = Dice::new(seed);
        let size = 10 + dice.below(20);
        let mut draft = Draft::generate(&mut dice, size);
        let old = draft.text();
        let anchors: Vec<Anchor> = (0..draft.count()).map(|i| anchor_on(&old, draft.span(i))).collect();
        let keep = dice.below(draft.count());
        edit_around(&mut draft, keep, &mut dice, edits);
        let new = draft.text();
        let all = reanchor_all(&old, &new, &anchors);
        for (anchor, placed) in anchors.iter().zip(&all) {
            prop_assert_eq!(placed, &reanchor_all(&old, &new, std::slice::from_ref(anchor))[0]);
        }
    }
}

/// The case of `edits_outside_a_quote_keep_it_anchored_at_the_mapped_place`: old text, new text, the
/// claim's anchor and where its (unedited) sentence is in the new text.
fn edits_outside_case(seed: u64, edits: usize) -> (String, String, Anchor, TextPositionSelector) {
    let mut dice = Dice::new(seed);
    let size = 12 + dice.below(30);
    let mut draft = Draft::generate(&mut dice, size);
    let old = draft.text();
    let keep = dice.below(draft.count());
    let anchor = anchor_on(&old, draft.span(keep));
    let kept = edit_around(&mut draft, keep, &mut dice, edits);
    let new = draft.text();
    let truth = draft.span(kept);
    (old, new, anchor, truth)
}

/// Prints a case proptest reported failing (`seed`, `edits`):
/// `CASE_SEED=… CASE_EDITS=… cargo test -p factdesk-core --test anchor dump_edits -- --ignored --nocapture`.
#[test]
#[ignore = "debugging aid"]
fn dump_edits_outside_case() {
    let seed: u64 = std::env::var("CASE_SEED").unwrap().parse().unwrap();
    let edits: usize = std::env::var("CASE_EDITS").unwrap().parse().unwrap();
    let (old, new, anchor, truth) = edits_outside_case(seed, edits);
    println!("OLD<<<{old}>>>\nNEW<<<{new}>>>\nANCHOR {anchor:?}\nTRUTH {truth:?} = {:?}", slice(&new, truth));
    println!("PLACED {:?}", reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0]);
}

/// The case of `deleting_the_quoted_sentence_gives_orphaned`: old text, new text and the claim's anchor.
fn deleted_case(seed: u64, edits: usize) -> (String, String, Anchor) {
    let mut dice = Dice::new(seed);
    let size = 6 + dice.below(20);
    let mut draft = Draft::generate(&mut dice, size);
    let old = draft.text();
    let keep = dice.below(draft.count());
    let anchor = anchor_on(&old, draft.span(keep));
    let kept = edit_around(&mut draft, keep, &mut dice, edits);
    let (p, s) = draft.locate(kept);
    draft.paragraphs[p].remove(s);
    draft.paragraphs.retain(|paragraph| !paragraph.is_empty());
    (old, draft.text(), anchor)
}

/// Prints a case proptest reported failing (`seed`, `edits`):
/// `CASE_SEED=… CASE_EDITS=… cargo test -p factdesk-core --test anchor dump_deleted -- --ignored --nocapture`.
#[test]
#[ignore = "debugging aid"]
fn dump_deleted_case() {
    let seed: u64 = std::env::var("CASE_SEED").unwrap().parse().unwrap();
    let edits: usize = std::env::var("CASE_EDITS").unwrap().parse().unwrap();
    let (old, new, anchor) = deleted_case(seed, edits);
    println!("OLD<<<{old}>>>\nNEW<<<{new}>>>\nANCHOR {anchor:?}");
    println!("PLACED {:?}", reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0]);
}

/// A change inside the quote: where (modulo its length), what (0 replace, 1 insert, 2 delete), which letter.
type Change = (u16, u8, char);

/// The case of `small_edits_inside_a_quote_give_a_confident_fuzzy_match`: old text, new text, the claim's
/// anchor and the true span of its edited sentence; `None` when the case does not apply (a quote under
/// 40 code points, or changes that leave the quote intact).
fn small_edit_case(
    seed: u64,
    changes: &[Change],
    elsewhere: usize,
) -> Option<(String, String, Anchor, TextPositionSelector)> {
    let mut dice = Dice::new(seed);
    let size = 8 + dice.below(20);
    let mut draft = Draft::generate(&mut dice, size);
    let old = draft.text();
    let keep = dice.below(draft.count());
    let anchor = anchor_on(&old, draft.span(keep));
    if anchor.quote.exact.chars().count() < 40 {
        return None;
    }
    let kept = edit_around(&mut draft, keep, &mut dice, elsewhere);
    let (p, s) = draft.locate(kept);
    let mut chars: Vec<char> = draft.paragraphs[p][s].chars().collect();
    for &(at, kind, letter) in changes {
        let at = usize::from(at) % chars.len();
        match kind {
            0 if chars[at] != letter => chars[at] = letter,
            0 => chars[at] = 'Q',
            1 => chars.insert(at, letter),
            _ => {
                chars.remove(at);
            }
        }
    }
    let edited: String = chars.into_iter().collect();
    // An insertion at either end leaves the quote itself intact (then it is rightly anchored).
    if edited.contains(&anchor.quote.exact) {
        return None;
    }
    draft.paragraphs[p][s] = edited;
    let new = draft.text();
    let truth = draft.span(kept);
    Some((old, new, anchor, truth))
}

/// The case of `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous`: old text,
/// new text, the claim's anchor and the true span of its edited sentence; `None` when the case does not
/// apply (fewer than three paragraphs, a quote under 40 code points, or changes that leave it intact).
fn moved_and_edited_case(
    seed: u64,
    changes: &[Change],
    neighbour_edited: bool,
) -> Option<(String, String, Anchor, TextPositionSelector)> {
    let mut dice = Dice::new(seed);
    let size = 8 + dice.below(20);
    let mut draft = Draft::generate(&mut dice, size);
    if draft.paragraphs.len() < 3 {
        return None;
    }
    let old = draft.text();
    let keep = dice.below(draft.count());
    let anchor = anchor_on(&old, draft.span(keep));
    if anchor.quote.exact.chars().count() < 40 {
        return None;
    }
    let (p, s) = draft.locate(keep);
    let mut chars: Vec<char> = draft.paragraphs[p][s].chars().collect();
    for &(at, kind, letter) in changes {
        let at = usize::from(at) % chars.len();
        match kind {
            0 if chars[at] != letter => chars[at] = letter,
            0 => chars[at] = 'Q',
            1 => chars.insert(at, letter),
            _ => {
                chars.remove(at);
            }
        }
    }
    let edited: String = chars.into_iter().collect();
    if edited.contains(&anchor.quote.exact) {
        return None;
    }
    draft.paragraphs[p][s] = edited;
    let others: Vec<usize> = (0..draft.paragraphs[p].len()).filter(|&i| i != s).collect();
    if neighbour_edited && !others.is_empty() {
        let other = others[dice.below(others.len())];
        let mut words: Vec<String> = draft.paragraphs[p][other].split(' ').map(String::from).collect();
        let at = dice.below(words.len());
        words[at] = dice.pick(EDIT_WORDS).to_string();
        draft.paragraphs[p][other] = words.join(" ");
    }
    let paragraph = draft.paragraphs.remove(p);
    let mut to = dice.below(draft.paragraphs.len());
    if to >= p {
        to += 1;
    }
    draft.paragraphs.insert(to, paragraph);
    let index = draft.paragraphs[..to].iter().map(Vec::len).sum::<usize>() + s;
    Some((old, draft.text(), anchor, draft.span(index)))
}

/// Prints a case proptest reported failing (`seed`, `changes`, `neighbour_edited`), changes as for
/// `dump_small_edit_case`: `CASE_SEED=… CASE_CHANGES='0,1,a' CASE_NEIGHBOUR=true cargo test -p
/// factdesk-core --test anchor dump_moved -- --ignored --nocapture`.
#[test]
#[ignore = "debugging aid"]
fn dump_moved_and_edited_case() {
    let seed: u64 = std::env::var("CASE_SEED").unwrap().parse().unwrap();
    let neighbour: bool = std::env::var("CASE_NEIGHBOUR").unwrap().parse().unwrap();
    let (old, new, anchor, truth) = moved_and_edited_case(seed, &case_changes(), neighbour).unwrap();
    println!("OLD<<<{old}>>>\nNEW<<<{new}>>>\nANCHOR {anchor:?}\nTRUTH {truth:?} = {:?}", slice(&new, truth));
    println!("PLACED {:?}", reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0]);
}

/// `CASE_CHANGES` as `at,kind,letter` separated by `;`.
fn case_changes() -> Vec<Change> {
    std::env::var("CASE_CHANGES")
        .unwrap()
        .split(';')
        .map(|c| {
            let f: Vec<&str> = c.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].chars().next().unwrap())
        })
        .collect()
}

/// Prints a case proptest reported failing (`seed`, `changes`, `elsewhere`), changes as `at,kind,letter`
/// separated by `;`: `CASE_SEED=… CASE_ELSEWHERE=… CASE_CHANGES='6331,0,a' cargo test -p factdesk-core
/// --test anchor dump_small -- --ignored --nocapture`.
#[test]
#[ignore = "debugging aid"]
fn dump_small_edit_case() {
    let seed: u64 = std::env::var("CASE_SEED").unwrap().parse().unwrap();
    let elsewhere: usize = std::env::var("CASE_ELSEWHERE").unwrap().parse().unwrap();
    let (old, new, anchor, truth) = small_edit_case(seed, &case_changes(), elsewhere).unwrap();
    println!("OLD<<<{old}>>>\nNEW<<<{new}>>>\nANCHOR {anchor:?}\nTRUTH {truth:?} = {:?}", slice(&new, truth));
    println!("PLACED {:?}", reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0]);
}

#[test]
fn offsets_count_code_points_with_emoji_accents_and_curly_quotes() {
    let text = "😀 Zoë said “the café’s 👩‍👩‍👧 menu costs €5” — Núñez agreed.";
    let quote = "“the café’s 👩‍👩‍👧 menu costs €5”";
    let start = text.chars().position(|c| c == '“').unwrap() as u32;
    let end = start + quote.chars().count() as u32;
    let anchor = describe(text, TextPositionSelector { start, end }).unwrap();
    assert_eq!(anchor.quote.exact, quote);
    assert_eq!(anchor.quote.prefix, "😀 Zoë said ");
    assert_eq!(anchor.quote.suffix, " — Núñez agreed.");
    assert_eq!(locate(text, &anchor.quote).unwrap(), anchor.position);

    let new = format!("🎉🎉 {text}");
    let placed = &reanchor_all(text, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Anchored);
    assert_eq!(placed.position, Some(TextPositionSelector { start: start + 3, end: end + 3 }));

    let edited = new.replace("€5", "€6");
    let placed = &reanchor_all(text, &edited, &[anchor])[0];
    assert_eq!(placed.state, AnchorState::Fuzzy);
    assert_eq!(placed.quote_now.as_deref(), Some("“the café’s 👩‍👩‍👧 menu costs €6”"));
    assert_eq!(slice(&edited, placed.position.unwrap()), "“the café’s 👩‍👩‍👧 menu costs €6”");
}

#[test]
fn context_is_32_code_points_and_shorter_at_the_edges() {
    let text = "First sentence here. ".repeat(5) + "Last one.";
    let len = text.chars().count() as u32;
    let at_start = describe(&text, TextPositionSelector { start: 0, end: 5 }).unwrap();
    assert_eq!(at_start.quote.prefix, "");
    assert_eq!(at_start.quote.suffix.chars().count(), 32);
    let at_end = describe(&text, TextPositionSelector { start: len - 9, end: len }).unwrap();
    assert_eq!(at_end.quote.exact, "Last one.");
    assert_eq!(at_end.quote.suffix, "");
    assert_eq!(at_end.quote.prefix.chars().count(), 32);
}

#[test]
fn quotes_at_the_start_and_end_of_the_text_survive_edits() {
    let old = "Mayor resigns. The council voted 7-2 on Monday to cut the budget. Turnout was 31 percent.";
    let first = describe(old, TextPositionSelector { start: 0, end: 14 }).unwrap();
    let len = old.chars().count() as u32;
    let last = describe(old, TextPositionSelector { start: len - 23, end: len }).unwrap();
    assert_eq!(last.quote.exact, "Turnout was 31 percent.");
    let new = old.replace("7-2 on Monday", "seven to two on Tuesday");
    let placed = reanchor_all(old, &new, &[first.clone(), last.clone()]);
    assert_eq!(placed[0].state, AnchorState::Anchored);
    assert_eq!(placed[0].position, Some(first.position));
    assert_eq!(placed[1].state, AnchorState::Anchored);
    let new_len = new.chars().count() as u32;
    assert_eq!(placed[1].position, Some(TextPositionSelector { start: new_len - 23, end: new_len }));

    let edited = new.replace("Mayor resigns.", "Mayor resigned.").replace("31 percent.", "31 per cent.");
    let placed = reanchor_all(old, &edited, &[first, last]);
    assert_eq!(placed[0].state, AnchorState::Fuzzy);
    assert_eq!(placed[0].quote_now.as_deref(), Some("Mayor resigned."));
    assert_eq!(placed[1].state, AnchorState::Fuzzy);
    assert_eq!(placed[1].quote_now.as_deref(), Some("Turnout was 31 per cent."));
}

#[test]
fn describe_refuses_spans_outside_the_text_and_empty_ones() {
    let text = "Zoë";
    assert_eq!(
        describe(text, TextPositionSelector { start: 1, end: 4 }).unwrap_err(),
        AnchorError::OutOfRange { start: 1, end: 4, len: 3 }
    );
    assert_eq!(describe(text, TextPositionSelector { start: 2, end: 1 }).unwrap_err().code(), "out-of-range");
    assert_eq!(describe(text, TextPositionSelector { start: 1, end: 1 }).unwrap_err(), AnchorError::Empty);
    assert_eq!(describe(text, TextPositionSelector { start: 2, end: 3 }).unwrap().quote.exact, "ë");
}

fn quote(exact: &str, prefix: &str, suffix: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: prefix.into(), suffix: suffix.into() }
}

#[test]
fn locate_says_when_a_quote_is_missing_empty_or_ambiguous() {
    let text = "The minister said no. Later, the minister said yes. The minister said no.";
    let missing = locate(text, &quote("the mayor said", "", "")).unwrap_err();
    assert_eq!(missing.code(), "not-found");
    assert!(missing.to_string().contains("the mayor said"), "{missing}");
    assert_eq!(locate(text, &quote("", "", "")).unwrap_err(), AnchorError::Empty);

    match locate(text, &quote("The minister said no.", "", "")).unwrap_err() {
        AnchorError::Ambiguous { count, candidates, .. } => {
            assert_eq!(count, 2);
            assert_eq!(
                candidates,
                vec![TextPositionSelector { start: 0, end: 21 }, TextPositionSelector { start: 52, end: 73 }]
            );
        }
        other => panic!("{other:?}"),
    }
    let error = locate(text, &quote("minister said", "", "")).unwrap_err();
    assert!(error.to_string().contains("3 times"), "{error}");
    assert_eq!(locate(text, &quote("said yes", "", "")).unwrap(), TextPositionSelector { start: 42, end: 50 });
}

#[test]
fn locate_decides_between_occurrences_by_prefix_or_suffix() {
    let text = "The minister said no. Later, the minister said yes. The minister said no.";
    let by_prefix = locate(text, &quote("The minister said no.", "said yes. ", "")).unwrap();
    assert_eq!(by_prefix, TextPositionSelector { start: 52, end: 73 });
    let by_suffix = locate(text, &quote("The minister said no.", "", " Later")).unwrap();
    assert_eq!(by_suffix, TextPositionSelector { start: 0, end: 21 });
    // Overlapping occurrences count too.
    let overlapping = locate("aaaa", &quote("aa", "a", "a")).unwrap();
    assert_eq!(overlapping, TextPositionSelector { start: 1, end: 3 });
}

#[test]
fn a_moved_sentence_is_found_where_it_went() {
    let old = "Alpha opened the meeting. The water board paid Rosa Ferrer 40 thousand euros in March. Beta closed it.";
    let anchor = locate(old, &quote("The water board paid Rosa Ferrer 40 thousand euros in March.", "", "")).unwrap();
    let anchor = describe(old, anchor).unwrap();
    let new = "Beta closed it.\n\nAlpha opened the meeting, which ran late.\n\nThe water board paid Rosa Ferrer 40 thousand euros in March.";
    let placed = &reanchor_all(old, new, std::slice::from_ref(&anchor))[0];
    assert!(matches!(placed.state, AnchorState::Moved | AnchorState::Anchored), "{placed:?}");
    assert_eq!(slice(new, placed.position.unwrap()), anchor.quote.exact);
}

/// The failure Hypothesis users report: a claim's sentence is deleted and a lookalike next to it (one
/// figure different) captures the annotation. Here the lookalike was already in the draft, so it is
/// not the claim's text, and the claim is orphaned.
#[test]
fn regression_a_deleted_claim_is_not_captured_by_a_lookalike_sentence() {
    let old = "Officials met on Monday. The ministry paid 40 thousand euros to the firm in March. \
               Critics objected. The ministry paid 45 thousand euros to the firm in April. Nobody answered.";
    let start = old.find("The ministry paid 40").unwrap() as u32;
    let anchor = describe(old, TextPositionSelector { start, end: start + 57 }).unwrap();
    assert_eq!(anchor.quote.exact, "The ministry paid 40 thousand euros to the firm in March.");
    let new = old.replace("The ministry paid 40 thousand euros to the firm in March. ", "");
    let placed = &reanchor_all(old, &new, &[anchor])[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}");
}

/// Two identical sentences in the old draft, the claim on the second: an edit that leaves both keeps
/// the claim on the second (the diff tells them apart), and is no reason to call it ambiguous.
#[test]
fn a_copy_that_was_already_there_is_not_a_rival() {
    let old = "The board denied it. Then came March. The board denied it. Then came April.";
    let anchor = describe(old, TextPositionSelector { start: 38, end: 58 }).unwrap();
    assert_eq!(anchor.quote.exact, "The board denied it.");
    let new = "Update. The board denied it. Then came May. The board denied it. Then came April.";
    let placed = &reanchor_all(old, new, &[anchor])[0];
    assert_eq!(placed.state, AnchorState::Anchored);
    assert_eq!(placed.position, Some(TextPositionSelector { start: 44, end: 64 }));
}

#[test]
fn a_rewritten_sentence_is_orphaned_and_an_empty_edit_changes_nothing() {
    let old = "Intro. The council approved $48 million for dredging in January, minutes show. Outro.";
    let start = old.find("The council").unwrap() as u32;
    let anchor = describe(old, TextPositionSelector { start, end: start + 71 }).unwrap();
    let placed = &reanchor_all(old, old, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Anchored);
    assert_eq!(placed.position, Some(anchor.position));
    let new = old.replace(&anchor.quote.exact, "Nobody could say what had happened to the harbor after the storm.");
    let placed = &reanchor_all(old, &new, &[anchor])[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}");
}

#[test]
fn placements_serialise_with_lowercase_states() {
    let old = "One. Two three four. Five.";
    let anchor = describe(old, TextPositionSelector { start: 5, end: 20 }).unwrap();
    let placed = &reanchor_all(old, "Two three four. One. Five.", &[anchor])[0];
    let json = serde_json::to_value(placed).unwrap();
    assert!(matches!(json["state"].as_str(), Some("moved" | "anchored")), "{json}");
    assert_eq!(serde_json::to_value(AnchorState::Orphaned).unwrap(), "orphaned");
}

/// An unedited claim whose next sentences are deleted, the last of them ending with the claim's own last
/// words, among many other edits: anchored at the mapped place, not `moved` (the diff's runs had been
/// left in pieces, so the deletion could not slide to the sentence boundary and the claim's end was
/// paired with the deleted sentence's). The minimal case proptest found with `PROPTEST_RNG_SEED=115`.
#[test]
fn regression_an_unedited_claim_among_many_edits_stays_anchored() {
    let (old, new, anchor, truth) = edits_outside_case(9_143_077_034_327_393_914, 23);
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Anchored, "{placed:?}");
    assert_eq!(placed.position, Some(truth));
}

/// The claim's sentence and the one before it start with the same words; the one before is deleted and
/// the claim is edited. A token diff may pair "A worker " with the deleted sentence's (an equally short
/// diff); the claim is still fuzzy, on its whole sentence, not orphaned or cut short.
#[test]
fn regression_an_edited_claim_sharing_its_first_words_with_a_deleted_neighbour_is_fuzzy() {
    let old = "Dana Whitfield told reporters on Monday. A worker at the pipeline site, who spoke on condition \
               of anonymity, said 8 people had been told not to talk. A worker at the pipeline site, who spoke \
               on condition of anonymity, said 88 people had been told not to talk.\n\nThe Port Authority \
               approved $67 million for the landfill.";
    let exact =
        "A worker at the pipeline site, who spoke on condition of anonymity, said 88 people had been told not to talk.";
    let new = old.replace(
        "A worker at the pipeline site, who spoke on condition of anonymity, said 8 people had been told not to talk. A worker at",
        "A worker Qt",
    );
    let edited = exact.replace("A worker at", "A worker Qt");
    assert_fuzzy_on(old, &new, exact, &edited);
}

/// The same with the last words: the claim's sentence and the one after it end alike, the one after is
/// deleted, and the claim is edited (twice, once inside the words it shares with the deleted one).
#[test]
fn regression_an_edited_claim_sharing_its_last_words_with_a_deleted_neighbour_is_fuzzy() {
    let old = "The water board met on Monday. Zoë Kraus, a spokesperson for the water board, said the figure was \
               “wrong and misleading” and declined to elaborate. Dana Whitfield, a spokesperson for the city \
               council, said the figure was “wrong and misleading” and declined to elaborate.\n\nAccording to \
               two people familiar with the talks, the water board will cut 31 jobs.";
    let exact = "Zoë Kraus, a spokesperson for the water board, said the figure was “wrong and misleading” and declined to elaborate.";
    let edited = "Zoë Kraus, a spokesperson for the wateraboard,asaid the figure was “wrong and misleading” and declined to elaborate.";
    let deleted = " Dana Whitfield, a spokesperson for the city council, said the figure was “wrong and misleading” and declined to elaborate.";
    let new = old.replace(deleted, "").replace(exact, edited);
    assert_fuzzy_on(old, &new, exact, edited);
}

/// The minimal cases the property test found for the two regressions above (seeds 54, 16, 55, 38, 40 of
/// `PROPTEST_RNG_SEED`): orphaned, or fuzzy on a cut-short span, before the fix.
#[test]
fn regression_small_edits_next_to_a_deleted_lookalike_neighbour() {
    let cases: &[(u64, &[Change], usize)] = &[
        (4_857_401_321_046_767_217, &[(6331, 0, 'a')], 1),
        (7_093_498_223_828_612_778, &[(387, 0, 'a'), (162, 0, 'a')], 7),
        (4_629_302_845_569_993_338, &[(3724, 0, 'a')], 3),
        (1_583_828_490_464_358_009, &[(0, 2, 'a'), (22745, 0, 'a')], 3),
        // Seed 40 at 256 cases: the deleted neighbour took all of the claim's unedited words but four.
        (4_829_034_122_839_103_223, &[(12, 0, 'a'), (0, 0, 'a'), (0, 0, 'a')], 6),
    ];
    for &(seed, changes, elsewhere) in cases {
        let (old, new, anchor, truth) = small_edit_case(seed, changes, elsewhere).unwrap();
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        assert_eq!(placed.state, AnchorState::Fuzzy, "seed {seed}: {placed:?}");
        let position = placed.position.unwrap();
        assert!(
            position.start.abs_diff(truth.start) <= 3 && position.end.abs_diff(truth.end) <= 3,
            "seed {seed}: {position:?} vs {truth:?}"
        );
    }
}

fn assert_fuzzy_on(old: &str, new: &str, exact: &str, edited: &str) {
    let start = old.find(exact).unwrap();
    let start = old[..start].chars().count() as u32;
    let anchor = describe(old, TextPositionSelector { start, end: start + exact.chars().count() as u32 }).unwrap();
    let placed = &reanchor_all(old, new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Fuzzy, "{placed:?}");
    assert_eq!(placed.quote_now.as_deref(), Some(edited), "{placed:?}");
    let at = new[..new.find(edited).unwrap()].chars().count() as u32;
    assert_eq!(placed.position, Some(TextPositionSelector { start: at, end: at + edited.chars().count() as u32 }));
}

/// The other side of the widening above: a deleted claim whose neighbour, edited, keeps only words it
/// shares with the claim. Those words are the neighbour's; the claim is orphaned.
#[test]
fn regression_a_deleted_claim_is_not_captured_by_an_edited_neighbour_sharing_its_words() {
    let neighbour = "Dana Whitfield, a spokesperson for the water board, said the figure was “wrong and misleading” and declined to elaborate.";
    let exact = "Zoë Kraus, a spokesperson for the water board, said the figure was “wrong and misleading” and declined to elaborate.";
    let old = format!("The board met on Monday. {neighbour} {exact}\n\nThe vote is on Friday.");
    let start = old[..old.find(exact).unwrap()].chars().count() as u32;
    let anchor = describe(&old, TextPositionSelector { start, end: start + exact.chars().count() as u32 }).unwrap();
    for edited in [
        "Whitfield, a spokesperson for the water board, said the figure was “wrong and misleading” and declined to elaborate.",
        ", a spokesperson for the water board, said the figure was “wrong and misleading” and declined to elaborate.",
        "Dana Whitfield, a spokesperson for the water board, said the figure was “wrong” and declined to elaborate.",
        "Kraus, a spokesperson for the water board, said the figure was “wrong and misleading” and declined.",
    ] {
        let new = old.replace(&format!(" {exact}"), "").replace(neighbour, edited);
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        assert_eq!(placed.state, AnchorState::Orphaned, "{edited}: {placed:?}");
    }
}

/// A deleted claim, a lookalike (same template, same ending) two sentences up that was edited, and the
/// sentence between deleted too: the diff may pair the lookalike's ending with the claim's, and the
/// lookalike was out of the reach the check for lookalikes measured from the claim, past the deleted
/// sentence. Orphaned, not fuzzy on the lookalike.
#[test]
fn regression_a_deleted_claim_is_not_captured_by_an_edited_lookalike_across_a_deleted_sentence() {
    let lookalike = "An audit by the Tribune found that 58 of the Port Authority’s contracts for the school renovation were never put out to tender.";
    let between =
        "Records show the water board paid José Núñez 7 thousand euros for consulting work between April and June.";
    let exact = "An audit by the Ledger found that 48 of the Port Authority’s contracts for the school renovation were never put out to tender.";
    let after = "The school renovation project, first announced in November, is now expected to cost 84 percent more than planned.";
    let old = format!("{lookalike} {between} {exact}\n\n{after}");
    let start = old[..old.find(exact).unwrap()].chars().count() as u32;
    let anchor = describe(&old, TextPositionSelector { start, end: start + exact.chars().count() as u32 }).unwrap();
    let new = format!("{}\n\n{after}", lookalike.replace("Port", "quickly"));
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}");

    // The minimal case the property test found (PROPTEST_RNG_SEED=35, 256 cases).
    let (old, new, anchor) = deleted_case(12_917_642_990_148_910_722, 15);
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}");
}

/// A deleted claim and an edited lookalike (same template, same ending) four sentences down, the
/// sentences between deleted too: the diff paired the lookalike's words with the claim's own (the
/// lookalike is followed by the paragraph break and "Sources tell the" that followed the claim), so the
/// lookalike's old text was far from both the claim and the match, out of the lookalike check's reach.
/// The check now also searches all the old text between the unedited runs around the match. Orphaned,
/// not fuzzy on the lookalike. The minimal case the property test found (`PROPTEST_RNG_SEED=90`).
#[test]
fn regression_a_deleted_claim_is_not_captured_by_a_lookalike_the_diff_paired_with_it() {
    let (old, new, anchor) = deleted_case(12_494_009_739_840_298_498, 8);
    assert!(anchor.quote.exact.starts_with("“We waited 56 years"), "{anchor:?}");
    assert!(new.contains("“We waited 96 years someone to listen,” said Zoë Kraus"), "{new}");
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}");
    assert_eq!(placed.position, None);
}

/// An edited claim right after a deleted neighbour from the same template ("According to two people
/// familiar with the talks, the Port Authority will cut 40 jobs by the end of April." deleted, the claim's
/// "68 jobs by the end of January." edited to "a68 jobs byathe end of January."): the diff's common-prefix
/// trim paired the edited claim's words with the deleted neighbour's and left the claim's own old text
/// paired only in scraps (a space, " the ", the full stop) with an inserted sentence, so the fuzzy search
/// looked at that sentence alone and the claim was orphaned. Re-pairing the neighbour's runs with the
/// claim's text gives a longer common subsequence than the scraps, and the region is widened over them.
/// Fuzzy on the whole edited sentence. The minimal case the property test found (`PROPTEST_RNG_SEED=102`).
#[test]
fn regression_an_edited_claim_whose_words_the_diff_gave_to_a_deleted_neighbour_is_fuzzy() {
    let (old, new, anchor, truth) =
        small_edit_case(2_010_381_809_076_513_514, &[(53042, 1, 'a'), (16720, 0, 'a')], 3).unwrap();
    assert!(anchor.quote.exact.contains("cut 68 jobs by the end of January."), "{anchor:?}");
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Fuzzy, "{placed:?}");
    assert_eq!(placed.position, Some(truth));
    assert_eq!(
        placed.quote_now.as_deref(),
        Some("According to two people familiar with the talks, the Port Authority will cut a68 jobs byathe end of January.")
    );
}

/// A caption deleted while a paragraph holding "who attended the closed session" was moved into its
/// place and edited: the diff could not pair the moved paragraph (its order changed), so its words looked
/// inserted where the caption was, and the fuzzy search took "o attended the closed session" for the
/// caption "Minutes of the January closed session" at 16 edits of 37. That paragraph is old text from
/// elsewhere, moved, not the caption's. Orphaned. The case the realistic workload found
/// (harbor-dredging.docx, round 7: the caption was rewritten there), cut down to the paragraphs it needs.
#[test]
fn regression_a_deleted_caption_is_not_placed_on_a_paragraph_moved_into_its_place() {
    let caption = "Minutes of the January closed session";
    let moved = "Two people who attended the closed session said board members were told that a larger channel \
                 was needed to attract container ships from a competing port. They spoke on condition of \
                 anonymity because closed-session discussions are confidential under the authority’s rules.";
    let stayed = "State law requires public agencies to disclose budget amendments of more than 10 percent within \
                  30 days, according to the state comptroller’s office.\n\nThe contract went to Bayline Marine, \
                  which has donated $85,000 to the campaigns of three board members since 2018, state campaign \
                  finance records show.";
    let old = format!("{moved}\n\n{stayed}\n\n{caption}");
    let edited = moved.replace("of anonymity because", "of because").replace("confidential under ", "");
    let new = format!("{stayed}\n\n{edited}");
    let start = old[..old.find(caption).unwrap()].chars().count() as u32;
    let anchor = describe(&old, TextPositionSelector { start, end: start + caption.chars().count() as u32 }).unwrap();
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Orphaned, "{placed:?}: {:?}", placed.position.map(|p| slice(&new, p)));
}

/// A caption rewritten ("The published budget, December" became "The said") next to a sentence that was
/// duplicated ("The published budget, released in December, …"): the copy is text the diff pairs with
/// nothing, and a whole-text search took its first words for the caption. A match that is word for word
/// other old text is that text. Declined, not placed on the copy. The case the realistic workload found
/// (harbor-dredging.docx, round 10), cut down.
#[test]
fn regression_a_rewritten_caption_is_not_placed_on_a_duplicated_sentence() {
    let caption = "The published budget, December";
    let sentence = "The published budget, released in December, set aside $24 million for dredging over three years.";
    let moved = "Two people who attended the closed session said board members were told that a larger channel \
                 was needed to attract container ships from a competing port.";
    let closing = "A Bayline executive, who asked not to be named, said the company won the contract.";
    let old = format!("Port authority doubled dredging budget\n\n{sentence}\n\n{moved}\n\n{caption}\n\n{closing}");
    let new =
        format!("Port authority doubled dredging budget\n\n{sentence} {sentence}\n\nThe said\n\n{moved}\n\n{closing}");
    let start = old[..old.find(caption).unwrap()].chars().count() as u32;
    let anchor = describe(&old, TextPositionSelector { start, end: start + caption.chars().count() as u32 }).unwrap();
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert!(placed.position.is_none(), "{placed:?}: {:?}", placed.position.map(|p| slice(&new, p)));
}

/// A one-sentence paragraph moved up and edited ("According" became "Aacording"), its last words the same
/// as a lookalike's that stayed ("… the Eastport Clinic will cut 53 jobs by the end of April."): the
/// diff paired the quote's ending with the lookalike's and no window of the quote is left unique, so no
/// move says where it went. The search of all the text the diff paired with nothing finds it. The
/// minimal case of `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous` for
/// `PROPTEST_RNG_SEED=2`.
#[test]
fn regression_a_moved_and_edited_sentence_whose_words_went_to_a_lookalike_is_fuzzy() {
    let (old, new, anchor, truth) = moved_and_edited_case(10_961_449_646_625_624_732, &[(1, 0, 'a')], false).unwrap();
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Fuzzy, "{placed:?}");
    assert_eq!(placed.position, Some(truth));
}

/// A paragraph moved down past a lookalike paragraph and edited ("with" became "aith"): the quote and the
/// lookalike begin alike ("According to two people familiar with the talks, the …"), the diff's common
/// prefix paired the quote's first words with the lookalike's now in its place, and a move paired the
/// lookalike's old first words with the quote's new ones: a window unique only once the common ends were
/// trimmed off. Such a window is no evidence of a move; fuzzy at the quote's new place. The minimal
/// case of `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous` for
/// `PROPTEST_RNG_SEED=10`.
#[test]
fn regression_a_moved_and_edited_paragraph_beginning_like_a_lookalike_is_fuzzy() {
    let (old, new, anchor, truth) =
        moved_and_edited_case(13_190_641_177_802_348_695, &[(22497, 0, 'a')], true).unwrap();
    let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
    assert_eq!(placed.state, AnchorState::Fuzzy, "{placed:?}");
    assert_eq!(placed.position, Some(truth));
}
/// Asserts that each moved-and-edited case (`seed`, `changes`, `neighbour_edited`) is placed as the
/// property wants: `fuzzy` on the quote's edited sentence (within three code points of its bounds), or,
/// unless `fuzzy_only`, `ambiguous` with the edited sentence among the candidates. Every case is checked
/// before failing, so that one message lists all those that fail.
fn assert_moved_and_edited_found(cases: &[(u64, &[Change], bool)], fuzzy_only: bool) {
    let mut failures = Vec::new();
    for &(seed, changes, neighbour_edited) in cases {
        let (old, new, anchor, truth) = moved_and_edited_case(seed, changes, neighbour_edited).unwrap();
        let placed = &reanchor_all(&old, &new, std::slice::from_ref(&anchor))[0];
        let found = match (placed.state, placed.position) {
            (AnchorState::Fuzzy, Some(position)) => {
                position.start.abs_diff(truth.start) <= 3 && position.end.abs_diff(truth.end) <= 3
            }
            (AnchorState::Ambiguous, None) if !fuzzy_only => {
                placed.candidates.iter().any(|c| c.start < truth.end && truth.start < c.end)
            }
            _ => false,
        };
        if !found {
            let placed_text = placed.position.map(|p| slice(&new, p));
            failures.push(format!("seed {seed}: {placed:?} {placed_text:?} vs {:?}", slice(&new, truth)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A paragraph moved past a lookalike paragraph (the same template, a figure or a name apart) and
/// edited: the in-order diff paired the quote's old text with the lookalike's new text, and the
/// lookalike's own old text with nothing (it looked deleted, a paragraph or more from the quote, out of
/// the lookalike check's reach). The search where the diff put the quote found the lookalike, nothing
/// there was foreign, and the claim was placed `fuzzy` on the lookalike at confidence 0.93–0.99: a wrong
/// placement. A match is now also refused when it fits old text the diff lost at least as well as the
/// quote (found through an index of the lost text's word windows); the quote is then found where its
/// paragraph went. The minimal cases of
/// `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous` for `PROPTEST_RNG_SEED`
/// 61, 67, 103, 117, 133 and 138, and seed 58's once the cut-short span below was fixed.
#[test]
fn regression_a_moved_and_edited_paragraph_is_not_placed_on_its_lost_lookalike() {
    assert_moved_and_edited_found(
        &[
            (14_502_893_123_997_294_137, &[(19812, 0, 'a'), (1308, 0, 'a')], false),
            (10_872_980_374_678_555_274, &[(14480, 0, 'a')], false),
            (18_113_648_429_798_640_134, &[(9675, 2, 'a'), (0, 0, 'a'), (0, 0, 'a')], false),
            (6_125_374_239_569_282_568, &[(0, 1, 'a'), (50795, 0, 'a')], false),
            (5_231_633_992_911_142_317, &[(23204, 0, 'a')], true),
            (5_785_217_444_339_102_277, &[(43943, 2, 'a')], false),
            (7_014_263_667_370_144_779, &[(10773, 0, 'a')], true),
        ],
        false,
    );
}

/// Two paragraphs, lookalikes of each other, swapped and one edited: the in-order diff paired each old
/// paragraph with the other's new text (the pairings crossed), so the quote's lookalike survived, as
/// far as the diff says, and the claim was placed `fuzzy` on it. A match is now weighed against the
/// crossed pairing of each old lookalike that fits it better than the quote (found through an index of
/// the old text's word windows, by the windows around the match's edited words): fewer edits in all
/// wins. The minimal cases of `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous`
/// for `PROPTEST_RNG_SEED` 73 and 127.
#[test]
fn regression_a_moved_and_edited_paragraph_is_not_placed_on_a_lookalike_paired_crosswise() {
    assert_moved_and_edited_found(
        &[(807_861_302_406_156_619, &[(1, 0, 'a')], false), (13_287_690_521_888_336_171, &[(6978, 0, 'a')], false)],
        false,
    );
}

/// A paragraph moved and edited next to a lookalike that moved too: the region where the diff put the
/// quote held the lookalike (a move: other old text, rightly refused) at fewer edits than the quote's
/// own edited sentence (or a lookalike refused as one), and the search returned only the best matches, so the claim ended `orphaned`
/// (seeds 104 and 143) or `fuzzy` on a span cut 30 code points short (seed 58). The search now looks
/// again past the refused text, no further than a margin of edits beyond it. The minimal cases of
/// `a_moved_and_edited_paragraph_is_found_fuzzy_at_its_new_place_or_ambiguous` for `PROPTEST_RNG_SEED`
/// 58, 104 and 143.
#[test]
fn regression_a_moved_and_edited_paragraph_hidden_by_a_moved_lookalike_is_found() {
    assert_moved_and_edited_found(
        &[
            (14_502_893_123_997_294_137, &[(38, 0, 'a'), (49, 0, 'a')], false),
            (16_724_258_578_407_435_528, &[(0, 0, 'a'), (1, 2, 'a'), (1, 0, 'a')], false),
            (16_270_543_442_690_859_852, &[(0, 0, 'a'), (8286, 0, 'a'), (3, 0, 'a')], false),
            // Seed 104's second minimal case: the lookalike was refused as a lookalike, not as foreign.
            (16_724_258_578_407_435_528, &[(3240, 0, 'a'), (1, 2, 'a'), (9595, 0, 'a')], false),
        ],
        true,
    );
}
