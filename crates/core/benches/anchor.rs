//! Re-anchoring 1,000 claims on a generated ~100 KB draft after 1 %, 10 % and 30 % of its words were
//! edited (replaced, inserted, deleted at random, seeded), and, as a realistic workload, the project's
//! own sample and fixture drafts (`examples/drafts`, `../shared/fixtures/drafts`) each edited twelve
//! times with the operations editors make (a sentence reordered, a paragraph moved, a paragraph moved
//! and edited, words changed, a sentence deleted, a sentence duplicated), every claim's true place
//! known. Both workloads' placements are tallied against the truth (right, declined, wrong) on stderr.
//!
//! Run with `cargo bench -p factdesk-core --bench anchor`. With `FACTDESK_ANCHOR_WORKLOAD=DIR` set, the
//! workload is also written to DIR (old text, edited texts, anchors, where each claim truly went, and
//! Factdesk's placements and own timings) so that `scripts/bench-anchor.sh` can run the same inputs
//! through the Hypothesis-style baseline in `bench/hypothesis-baseline/` and compare.

// Test and bench code: a panic is the failure report, and sizes are far below u32::MAX.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use criterion::{BenchmarkId, Criterion, Throughput};
use factdesk_core::anchor::{describe, reanchor_all, Anchor, AnchorState, Placement, TextPositionSelector};
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

/// Edit rates of the three workloads, in percent of the draft's words.
const RATES: [u32; 3] = [1, 10, 30];
const CLAIMS: usize = 1_000;
const DRAFT_BYTES: usize = 100_000;

const TEMPLATES: &[&str] = &[
    "The {org} approved ${n} million for {thing} in a closed session in {month}, according to minutes reviewed by the {paper}.",
    "Sources tell the {paper} that {name} met officials from the {org} at least {n} times before the vote on the {thing}.",
    "{name}, a spokesperson for the {org}, said the figure was “wrong and misleading” and declined to elaborate.",
    "A worker at the {thing} site, who spoke on condition of anonymity, said {n} people had been told not to talk.",
    "Records show the {org} paid {name} {n} thousand euros for consulting work between {month} and June.",
    "“We waited {n} years for someone to listen,” said {name}, who lives near the {thing} in {place}.",
    "The {thing} project, first announced in {month}, is now expected to cost {n} percent more than planned.",
    "According to two people familiar with the talks, the {org} will cut {n} jobs by the end of {month}.",
    "{name} told reporters on {month} {n} that the {org} had never received a formal complaint about the {thing}.",
    "An audit by the {paper} found that {n} of the {org}’s contracts for the {thing} were never put out to tender.",
    "Residents of {place} packed the chamber for more than {n} hours as the {org} debated the {thing}.",
    "The {org} declined to comment on the {thing} when reached by the {paper} on {month} {n}.",
    "In a statement, {name} said the {org} “followed every rule” and would cooperate with any inquiry.",
    "Court filings show that {name} was paid ${n},000 by a company linked to the {thing} in {place}.",
    "It is not clear whether the {org} knew about the {thing} before {month}, two former officials said.",
    "Vaccination rates in {place} fell to {n} percent last year, according to data from the {org}.",
];
const ORGS: &[&str] = &[
    "Port Authority",
    "city council",
    "Ministry of Health",
    "water board",
    "Eastport Clinic",
    "state auditor",
    "transit agency",
    "school district",
    "Harlow & Finch Inc.",
    "planning commission",
    "county sheriff",
];
const THINGS: &[&str] = &[
    "harbor dredging",
    "bridge",
    "landfill",
    "school renovation",
    "pipeline",
    "stadium deal",
    "bus depot",
    "flood barrier",
    "housing tender",
    "ferry contract",
    "water treatment plant",
    "road resurfacing",
];
const MONTHS: &[&str] =
    &["January", "February", "March", "April", "May", "July", "August", "September", "October", "November"];
const PAPERS: &[&str] = &["Tribune", "Herald", "Strike Source", "Ledger", "Courier", "Gazette"];
const NAMES: &[&str] = &[
    "Dana Whitfield",
    "Omar Little",
    "Zoë Kraus",
    "Helen M. Ortiz",
    "José Núñez",
    "Rosa Ferrer",
    "Anita Shah",
    "Luis Ferrer",
    "Maria Chen",
    "Sirajuddin Haqqani",
    "Gov. Dana Whitfield",
    "Chief Omar Little",
];
const PLACES: &[&str] = &["Saint-Étienne", "Eastport", "Kabul", "the Lower Ward", "Millbrook", "North Bay", "Ashford"];
/// What a writer types when editing: some new words, some the draft already uses.
const EDIT_WORDS: &[&str] = &[
    "reportedly",
    "Tuesday’s",
    "quickly",
    "nearly",
    "allegedly",
    "officials",
    "said",
    "the",
    "council",
    "million",
    "last",
    "week",
    "about",
    "former",
    "senior",
    "(updated)",
    "however,",
    "also",
    "again.",
    "board",
    "new",
    "two",
    "percent",
    "contract",
    "Herald",
    "June",
    "people",
    "never",
    "had",
    "according",
];

/// A small deterministic generator (xorshift), so every run edits the same words.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n).unwrap()).unwrap()
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A word of the draft with what follows it, and which word of the original it is (None if added).
#[derive(Clone)]
struct Word {
    text: String,
    gap: &'static str,
    origin: Option<usize>,
}

fn render(words: &[Word]) -> (String, Vec<(u32, u32)>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(words.len());
    let mut at = 0u32;
    for word in words {
        let len = u32::try_from(word.text.chars().count()).unwrap();
        spans.push((at, at + len));
        text.push_str(&word.text);
        text.push_str(word.gap);
        at += len + u32::try_from(word.gap.len()).unwrap();
    }
    (text, spans)
}

/// The original draft as words, and the claims as word ranges (whole sentences, and some clauses).
fn draft() -> (Vec<Word>, Vec<(usize, usize)>) {
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let mut words: Vec<Word> = Vec::new();
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut bytes = 0;
    let mut in_paragraph = 0;
    while bytes < DRAFT_BYTES {
        let sentence = TEMPLATES[dice.below(TEMPLATES.len())]
            .replace("{org}", dice.pick(ORGS))
            .replace("{thing}", dice.pick(THINGS))
            .replace("{month}", dice.pick(MONTHS))
            .replace("{paper}", dice.pick(PAPERS))
            .replace("{name}", dice.pick(NAMES))
            .replace("{place}", dice.pick(PLACES))
            .replace("{n}", &(2 + dice.below(997)).to_string());
        bytes += sentence.len() + 1;
        let first = words.len();
        for piece in sentence.split(' ') {
            words.push(Word { text: piece.to_string(), gap: " ", origin: Some(words.len()) });
        }
        sentences.push((first, words.len()));
        in_paragraph += 1;
        if in_paragraph >= 2 + dice.below(4) {
            words.last_mut().unwrap().gap = "\n\n";
            in_paragraph = 0;
        }
    }
    words.last_mut().unwrap().gap = "";
    let mut claims: Vec<(usize, usize)> = sentences.clone();
    while claims.len() < CLAIMS {
        let (from, to) = sentences[dice.below(sentences.len())];
        let half = (to - from) / 2;
        claims.push(if dice.below(2) == 0 { (from, to - half) } else { (from + half, to) });
    }
    claims.truncate(CLAIMS);
    (words, claims)
}

/// Edits `rate` % of the words at random: a third replaced, a third inserted, a third deleted.
fn edit(words: &[Word], rate: u32, seed: u64) -> Vec<Word> {
    let mut dice = Dice(seed);
    let mut words = words.to_vec();
    let edits = words.len() * usize::try_from(rate).unwrap() / 100;
    for _ in 0..edits {
        let at = dice.below(words.len());
        match dice.below(3) {
            0 => {
                words[at].text = dice.pick(EDIT_WORDS).to_string();
                words[at].origin = None;
            }
            1 => words.insert(at, Word { text: dice.pick(EDIT_WORDS).to_string(), gap: " ", origin: None }),
            _ if at > 0 => {
                let removed = words.remove(at);
                if removed.gap != " " {
                    words[at - 1].gap = removed.gap;
                }
            }
            _ => {}
        }
    }
    words
}

/// An edited text: its edit rate, the text, and each claim's true span in it (None if all its words went).
type Edited = (u32, String, Vec<Option<(u32, u32)>>);

/// One workload: the texts, the anchors, and where each claim's surviving words are in the new text.
struct Workload {
    old: String,
    anchors: Vec<Anchor>,
    edited: Vec<Edited>,
}

fn workload() -> Workload {
    let (words, claims) = draft();
    let (old, spans) = render(&words);
    let anchors: Vec<Anchor> = claims
        .iter()
        .map(|&(from, to)| {
            let position = TextPositionSelector { start: spans[from].0, end: spans[to - 1].1 };
            describe(&old, position).unwrap()
        })
        .collect();
    let edited = RATES
        .iter()
        .map(|&rate| {
            let new_words = edit(&words, rate, 0x9e37_79b9 + u64::from(rate));
            let (new, new_spans) = render(&new_words);
            let truth = claims
                .iter()
                .map(|&(from, to)| {
                    let survivors: Vec<usize> = new_words
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| w.origin.is_some_and(|o| (from..to).contains(&o)))
                        .map(|(i, _)| i)
                        .collect();
                    Some((new_spans[*survivors.first()?].0, new_spans[*survivors.last()?].1))
                })
                .collect();
            (rate, new, truth)
        })
        .collect();
    Workload { old, anchors, edited }
}

/// Median wall time of `runs` re-anchorings, in milliseconds.
fn median_ms(old: &str, new: &str, anchors: &[Anchor], runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(reanchor_all(old, new, anchors));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn write_workload(dir: &str, work: &Workload) {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("old.txt"), &work.old).unwrap();
    let anchors: Vec<_> = work
        .anchors
        .iter()
        .map(|a| {
            json!({"exact": a.quote.exact, "prefix": a.quote.prefix, "suffix": a.quote.suffix,
                   "start": a.position.start, "end": a.position.end})
        })
        .collect();
    std::fs::write(dir.join("anchors.json"), serde_json::to_string(&anchors).unwrap()).unwrap();
    let mut times = serde_json::Map::new();
    for (rate, new, truth) in &work.edited {
        std::fs::write(dir.join(format!("new-{rate}.txt")), new).unwrap();
        std::fs::write(dir.join(format!("truth-{rate}.json")), serde_json::to_string(truth).unwrap()).unwrap();
        let placements = reanchor_all(&work.old, new, &work.anchors);
        let out: Vec<_> = placements.iter().map(placement_json).collect();
        std::fs::write(dir.join(format!("factdesk-{rate}.json")), serde_json::to_string(&out).unwrap()).unwrap();
        times.insert(rate.to_string(), json!(median_ms(&work.old, new, &work.anchors, 31)));
        let mut counts = std::collections::BTreeMap::new();
        for placed in &placements {
            *counts.entry(format!("{:?}", placed.state).to_lowercase()).or_insert(0) += 1;
        }
        eprintln!("anchor workload {rate}%: {counts:?}");
    }
    std::fs::write(dir.join("factdesk-times.json"), serde_json::to_string(&times).unwrap()).unwrap();
    eprintln!("anchor workload written to {}", dir.display());
}

fn placement_json(placed: &Placement) -> serde_json::Value {
    let (start, end) = placed.position.map_or((None, None), |p| (Some(p.start), Some(p.end)));
    json!({
        "state": placed.state,
        "start": start,
        "end": end,
        "confidence": placed.confidence,
        "placed": !matches!(placed.state, AnchorState::Ambiguous | AnchorState::Orphaned),
    })
}

fn bench(c: &mut Criterion, work: &Workload) {
    let mut group = c.benchmark_group("reanchor_all");
    group.throughput(Throughput::Elements(u64::try_from(work.anchors.len()).unwrap()));
    for (rate, new, _) in &work.edited {
        group.bench_with_input(BenchmarkId::new("1000 claims, 100 KB, words edited %", rate), new, |b, new| {
            b.iter(|| reanchor_all(black_box(&work.old), black_box(new), black_box(&work.anchors)));
        });
    }
    group.finish();
}

fn main() {
    let work = workload();
    let cases = realistic_cases();
    if let Ok(file) = std::env::var("FACTDESK_ANCHOR_DUMP") {
        dump_placements(&file, &work, &cases);
        return;
    }
    if let Ok(dir) = std::env::var("FACTDESK_ANCHOR_WORKLOAD") {
        write_workload(&dir, &work);
        write_realistic(&dir, &cases);
    }
    report_tallies(&work, &cases);
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &work);
    bench_realistic(&mut criterion, &cases);
    criterion.final_summary();
}

/// Writes every placement of the three templated workloads and the realistic one to `file`, one line
/// each (state, span, confidence, candidates, text now), so that two builds can be compared with `diff`:
/// a change meant to be faster only must leave this file byte for byte the same.
fn dump_placements(file: &str, work: &Workload, cases: &[Case]) {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut dump = |label: &str, placements: &[Placement]| {
        for (index, placed) in placements.iter().enumerate() {
            writeln!(out, "{label} {index} {placed:?}").unwrap();
        }
    };
    for (rate, new, _) in &work.edited {
        dump(&format!("templated-{rate}"), &reanchor_all(&work.old, new, &work.anchors));
    }
    for case in cases {
        dump(&case.name, &reanchor_all(&case.old, &case.new, &case.anchors));
    }
    std::fs::write(file, out).unwrap();
    eprintln!("placements written to {file}");
}

/// Prints, for both workloads, how Factdesk's placements compare with the truth: right, declined, wrong.
fn report_tallies(work: &Workload, cases: &[Case]) {
    for (rate, new, truth) in &work.edited {
        let placements = reanchor_all(&work.old, new, &work.anchors);
        let case = Case {
            name: String::new(),
            old: String::new(),
            new: String::new(),
            anchors: Vec::new(),
            truth: truth.iter().map(|t| t.iter().copied().collect()).collect(),
        };
        let (right, declined, wrong) = tally(&case, &placements);
        eprintln!("templated {rate}%: right {right}, declined {declined}, wrong {wrong}");
    }
    let (mut right, mut declined, mut wrong, mut claims) = (0, 0, 0, 0);
    let mut states = std::collections::BTreeMap::new();
    for case in cases {
        let placements = reanchor_all(&case.old, &case.new, &case.anchors);
        for placed in &placements {
            *states.entry(format!("{:?}", placed.state).to_lowercase()).or_insert(0) += 1;
        }
        let (r, d, w) = tally(case, &placements);
        if w > 0 {
            for ((anchor, placed), spans) in case.anchors.iter().zip(&placements).zip(&case.truth) {
                let Some(p) = placed.position else { continue };
                if !spans.iter().any(|&(s, e)| p.start < e && s < p.end) {
                    let now: String =
                        case.new.chars().skip(p.start as usize).take((p.end - p.start) as usize).collect();
                    eprintln!(
                        "realistic: {} placed {:?} on the wrong text: {:?} at {}..{} ({now:?}), truth {spans:?}",
                        case.name, anchor.quote.exact, placed.state, p.start, p.end
                    );
                }
            }
        }
        (right, declined, wrong, claims) = (right + r, declined + d, wrong + w, claims + placements.len());
    }
    eprintln!(
        "realistic ({} edited drafts, {claims} claims): right {right}, declined {declined}, wrong {wrong}; {states:?}",
        cases.len()
    );
}

fn bench_realistic(c: &mut Criterion, cases: &[Case]) {
    let claims: usize = cases.iter().map(|case| case.anchors.len()).sum();
    let mut group = c.benchmark_group("reanchor_realistic");
    group.throughput(Throughput::Elements(u64::try_from(claims).unwrap()));
    group.bench_function(format!("{} edited drafts, {claims} claims", cases.len()), |b| {
        b.iter(|| {
            for case in cases {
                black_box(reanchor_all(black_box(&case.old), black_box(&case.new), black_box(&case.anchors)));
            }
        });
    });
    group.finish();
}

/// Writes the realistic workload as `realistic.json` ([{"name", "old", "new", "anchors", "truth"}]) with
/// Factdesk's placements and its median time for all cases, for the baseline script.
fn write_realistic(dir: &str, cases: &[Case]) {
    let dir = std::path::Path::new(dir);
    let out: Vec<_> = cases
        .iter()
        .map(|case| {
            let anchors: Vec<_> = case
                .anchors
                .iter()
                .map(|a| {
                    json!({"exact": a.quote.exact, "prefix": a.quote.prefix, "suffix": a.quote.suffix,
                           "start": a.position.start, "end": a.position.end})
                })
                .collect();
            let placements: Vec<_> =
                reanchor_all(&case.old, &case.new, &case.anchors).iter().map(placement_json).collect();
            json!({"name": case.name, "old": case.old, "new": case.new, "anchors": anchors, "truth": case.truth,
                   "factdesk": placements})
        })
        .collect();
    std::fs::write(dir.join("realistic.json"), serde_json::to_string(&out).unwrap()).unwrap();
    let mut times: Vec<f64> = (0..31)
        .map(|_| {
            let started = Instant::now();
            for case in cases {
                black_box(reanchor_all(&case.old, &case.new, &case.anchors));
            }
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    std::fs::write(dir.join("factdesk-realistic-time.json"), serde_json::to_string(&times[15]).unwrap()).unwrap();
}

// ---------------------------------------------------------------------------------------------------
// The realistic workload: the project's own sample and fixture drafts, edited the way editors edit.

/// Where the drafts are: the repository's examples and the shared fixtures beside the repository.
const DRAFT_DIRS: [&str; 2] = ["../../examples/drafts", "../../../shared/fixtures/drafts"];
/// Edited versions made of each draft, each with its own seed.
const ROUNDS: u64 = 12;
/// Editor operations per edited version.
const OPERATIONS: usize = 5;
/// Words an editor types in: plain news words, none of them a figure or a name.
const REWRITE_WORDS: &[&str] =
    &["reportedly", "officials", "about", "nearly", "also", "however,", "the", "said", "last", "week", "new", "former"];

/// A word of an edited draft and the claim sentence it came from (None for typed words).
#[derive(Clone)]
struct Piece {
    text: String,
    claim: Option<usize>,
}

/// A draft as paragraphs of sentences of words.
type Paragraphs = Vec<Vec<Vec<Piece>>>;

/// One edited draft: the texts, one anchor per claim sentence, and every span each claim's surviving
/// words are at in the new text (none: deleted; two: duplicated).
struct Case {
    name: String,
    old: String,
    new: String,
    anchors: Vec<Anchor>,
    truth: Vec<Vec<(u32, u32)>>,
}

/// Splits a draft's canonical text into paragraphs of sentences of words (sentences end at a word
/// ending in . ! ? or a closing quote after one).
fn split(text: &str) -> Vec<Vec<Vec<String>>> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|paragraph| {
            let mut sentences: Vec<Vec<String>> = vec![Vec::new()];
            for word in paragraph.split_whitespace() {
                sentences.last_mut().unwrap().push(word.to_string());
                let end = word.trim_end_matches(['"', '”', '’', '\'', ')']);
                if end.ends_with(['.', '!', '?']) {
                    sentences.push(Vec::new());
                }
            }
            sentences.retain(|s| !s.is_empty());
            sentences
        })
        .collect()
}

/// The text of `paragraphs` and, per claim, the spans of its words in it (one per sentence holding any).
fn render_case(paragraphs: &Paragraphs, claims: usize) -> (String, Vec<Vec<(u32, u32)>>) {
    let mut text = String::new();
    let mut at = 0u32;
    let mut spans: Vec<Vec<(u32, u32)>> = vec![Vec::new(); claims];
    for (p, paragraph) in paragraphs.iter().enumerate() {
        if p > 0 {
            text.push_str("\n\n");
            at += 2;
        }
        for (s, sentence) in paragraph.iter().enumerate() {
            if s > 0 {
                text.push(' ');
                at += 1;
            }
            let mut found: Vec<(usize, u32, u32)> = Vec::new();
            for (w, word) in sentence.iter().enumerate() {
                if w > 0 {
                    text.push(' ');
                    at += 1;
                }
                let len = word.text.chars().count() as u32;
                if let Some(claim) = word.claim {
                    match found.iter_mut().find(|(c, _, _)| *c == claim) {
                        Some(span) => span.2 = at + len,
                        None => found.push((claim, at, at + len)),
                    }
                }
                text.push_str(&word.text);
                at += len;
            }
            for (claim, start, end) in found {
                spans[claim].push((start, end));
            }
        }
    }
    (text, spans)
}

/// Changes one to three words of a sentence (replaced, inserted or deleted), keeping at least two.
fn change_words(sentence: &mut Vec<Piece>, dice: &mut Dice) {
    for _ in 0..=dice.below(3) {
        let at = dice.below(sentence.len());
        let typed = Piece { text: dice.pick(REWRITE_WORDS).to_string(), claim: None };
        match dice.below(3) {
            0 => sentence[at] = typed,
            1 => sentence.insert(at, typed),
            _ if sentence.len() > 2 => {
                sentence.remove(at);
            }
            _ => {}
        }
    }
}

/// Applies one of the six editor operations (`kind`) at random places.
fn operate(paragraphs: &mut Paragraphs, kind: usize, dice: &mut Dice) {
    let p = dice.below(paragraphs.len());
    match kind {
        // A sentence reordered within its paragraph.
        0 if paragraphs[p].len() > 1 => {
            let s = dice.below(paragraphs[p].len() - 1);
            paragraphs[p].swap(s, s + 1);
        }
        // A paragraph moved (and, for kind 2, edited inside: words of one or two of its sentences).
        1 | 2 if paragraphs.len() > 1 => {
            let mut paragraph = paragraphs.remove(p);
            if kind == 2 {
                for _ in 0..=dice.below(2) {
                    let s = dice.below(paragraph.len());
                    change_words(&mut paragraph[s], dice);
                }
            }
            let mut to = dice.below(paragraphs.len());
            if to >= p {
                to += 1;
            }
            paragraphs.insert(to, paragraph);
        }
        // Words changed in a sentence.
        3 => {
            let s = dice.below(paragraphs[p].len());
            change_words(&mut paragraphs[p][s], dice);
        }
        // A sentence deleted.
        4 if paragraphs.iter().map(Vec::len).sum::<usize>() > 2 => {
            let s = dice.below(paragraphs[p].len());
            paragraphs[p].remove(s);
            paragraphs.retain(|paragraph| !paragraph.is_empty());
        }
        // A sentence duplicated, right after itself or at the end of its paragraph.
        5 => {
            let s = dice.below(paragraphs[p].len());
            let copy = paragraphs[p][s].clone();
            let at = if dice.below(2) == 0 { s + 1 } else { paragraphs[p].len() };
            paragraphs[p].insert(at, copy);
        }
        _ => {}
    }
}

/// The project's drafts, each edited `ROUNDS` times with `OPERATIONS` operations.
fn realistic_cases() -> Vec<Case> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = DRAFT_DIRS
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}")))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let Some(content) = factdesk_core::ingest::read_draft(&file).content else { continue };
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let words = split(&content.text);
        let mut claims = 0;
        let original: Paragraphs = words
            .iter()
            .map(|paragraph| {
                paragraph
                    .iter()
                    .map(|sentence| {
                        claims += 1;
                        sentence.iter().map(|w| Piece { text: w.clone(), claim: Some(claims - 1) }).collect()
                    })
                    .collect()
            })
            .collect();
        let (old, old_spans) = render_case(&original, claims);
        let anchors: Vec<Anchor> = old_spans
            .iter()
            .map(|spans| describe(&old, TextPositionSelector { start: spans[0].0, end: spans[0].1 }).unwrap())
            .collect();
        for round in 0..ROUNDS {
            let mut dice = Dice(0x5851_f42d_4c95_7f2d ^ (round + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut edited = original.clone();
            for operation in 0..OPERATIONS {
                // Every case has a moved-and-edited paragraph; the other operations are drawn at random.
                let kind = if operation == 0 { 2 } else { dice.below(6) };
                operate(&mut edited, kind, &mut dice);
            }
            let (new, truth) = render_case(&edited, claims);
            cases.push(Case {
                name: format!("{name}#{round}"),
                old: old.clone(),
                new,
                anchors: anchors.clone(),
                truth,
            });
        }
    }
    cases
}

/// How the placements of `case` compare with the truth: (right, declined, wrong). Right: placed on one
/// of the claim's spans, or not placed when the claim was deleted, or ambiguous between its copies;
/// declined: not placed though it is there; wrong: placed on other text.
fn tally(case: &Case, placements: &[Placement]) -> (usize, usize, usize) {
    let overlaps = |start: u32, end: u32, spans: &[(u32, u32)]| spans.iter().any(|&(s, e)| start < e && s < end);
    let (mut right, mut declined, mut wrong) = (0, 0, 0);
    for (placed, spans) in placements.iter().zip(&case.truth) {
        match placed.position {
            Some(p) if overlaps(p.start, p.end, spans) => right += 1,
            Some(_) => wrong += 1,
            None if spans.is_empty() => right += 1,
            None if spans.len() > 1
                && placed.state == AnchorState::Ambiguous
                && placed.candidates.iter().all(|c| overlaps(c.start, c.end, spans)) =>
            {
                right += 1;
            }
            None => declined += 1,
        }
    }
    (right, declined, wrong)
}
