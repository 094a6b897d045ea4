//! Search on a big desk: 10,000 generated drafts (about 100 MB of text) scanned into a real database,
//! then the top 50 hits for one- and two-word queries and phrases, the index update when a draft is
//! saved, the index's size, and ripgrep over the same files for the ratio.
//!
//! The text is drawn from a 30,000-word vocabulary with Zipf frequencies (so a query word can be as
//! common as "the" or as rare as a name), with figures, accented names and a few stock phrases of news
//! copy mixed in. The desk and its database are generated under /tmp and deleted when the bench ends.
//! Run with `cargo bench -p factdesk-core --bench search`; besides criterion's figures it prints the
//! p95 of each class of query over many runs, the index size and ripgrep's times.

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::search::{search, SearchQuery};
use factdesk_core::store::{lock, DeskId, SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DRAFTS: usize = 10_000;
const PER_FOLDER: usize = 100;
const DRAFT_BYTES: usize = 10_000;
const VOCABULARY: usize = 30_000;

/// Words every news story has, most common first: the head of the Zipf curve.
const COMMON: &[&str] = &[
    "the",
    "of",
    "to",
    "and",
    "a",
    "in",
    "said",
    "for",
    "that",
    "on",
    "was",
    "with",
    "by",
    "is",
    "at",
    "from",
    "his",
    "it",
    "an",
    "as",
    "were",
    "have",
    "has",
    "be",
    "are",
    "not",
    "but",
    "its",
    "had",
    "been",
    "their",
    "minister",
    "government",
    "officials",
    "police",
    "council",
    "court",
    "report",
    "embassy",
    "ministry",
];

/// Stock phrases mixed into the copy, searched as phrases.
const PHRASES: &[&str] = &[
    "according to sources",
    "a senior Western diplomat",
    "declined to comment",
    "the ministry's own figures",
    "spoke on condition of anonymity",
];

/// Figures and accented names, as copy has them.
const EXTRAS: &[&str] =
    &["$1.2bn", "U.S.", "No. 4", "Zürich", "Ljubljana", "Gdańsk", "€40m", "3.5 percent", "São Paulo"];

struct Corpus {
    words: Vec<String>,
    /// Cumulative Zipf weights over `words`.
    cumulative: Vec<f64>,
    state: u64,
}

impl Corpus {
    fn new() -> Self {
        let syllables =
            ["ka", "lo", "mi", "ter", "san", "vo", "ri", "dek", "nu", "pal", "sho", "ben", "tra", "gi", "mor"];
        let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
        let mut n = 0usize;
        while words.len() < VOCABULARY {
            // Pronounceable made-up words: two to four syllables, each combination once.
            let mut word = String::new();
            let mut rest = n;
            loop {
                word.push_str(syllables[rest % syllables.len()]);
                rest /= syllables.len();
                if rest == 0 {
                    break;
                }
            }
            if word.len() > 3 {
                words.push(word);
            }
            n += 1;
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative, state: 0x9e37_79b9_7f4a_7c15 }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    fn word(&mut self) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let wanted = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let rank = self.cumulative.partition_point(|c| *c < wanted).min(self.words.len() - 1);
        &self.words[rank]
    }

    fn draft(&mut self, index: usize) -> String {
        let mut body = format!("# Story {index}\n\n");
        while body.len() < DRAFT_BYTES {
            let mut sentence = String::new();
            for position in 0..(8 + self.below(14)) {
                let roll = self.below(1000);
                let word = if roll < 4 {
                    PHRASES[self.below(PHRASES.len())].to_owned()
                } else if roll < 10 {
                    EXTRAS[self.below(EXTRAS.len())].to_owned()
                } else {
                    self.word().to_owned()
                };
                if position > 0 {
                    sentence.push(' ');
                }
                sentence.push_str(&word);
            }
            body.push_str(&sentence);
            body.push_str(if self.below(6) == 0 { ".\n\n" } else { ". " });
        }
        body
    }
}

struct BigDesk {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    db: PathBuf,
    store: SharedStore,
    desk: Desk,
    text_bytes: u64,
}

fn big_desk() -> BigDesk {
    let tmp = tempfile::Builder::new().prefix("factdesk-search-bench").tempdir_in("/tmp").expect("tmp");
    let root = tmp.path().join("desk");
    let mut corpus = Corpus::new();
    let mut text_bytes = 0u64;
    for index in 0..DRAFTS {
        let folder = root.join(format!("desk-{:02}", index / PER_FOLDER));
        std::fs::create_dir_all(&folder).expect("mkdir");
        let text = corpus.draft(index);
        text_bytes += text.len() as u64;
        std::fs::write(folder.join(format!("story-{index:05}.md")), text).expect("write draft");
    }
    let db = tmp.path().join("factdesk.db");
    let store = Store::open(&db).expect("store").shared();
    let desk = Desk::open(store.clone(), &root, Arc::new(SystemClock)).expect("desk");
    let started = Instant::now();
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    eprintln!(
        "desk: {DRAFTS} drafts, {:.1} MB of text; first scan (with the index) {:.1} s",
        mb(text_bytes),
        started.elapsed().as_secs_f64()
    );
    BigDesk { _tmp: tmp, root, db, store, desk, text_bytes }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn top50(store: &SharedStore, desk: DeskId, text: &str) -> usize {
    search(&lock(store), desk, &SearchQuery::new(text)).expect("search").len()
}

/// The query classes: one word at several frequencies, two words, phrases.
fn classes(corpus: &Corpus) -> Vec<(&'static str, Vec<String>)> {
    let at = |rank: usize| corpus.words[rank].clone();
    let one: Vec<String> =
        [0, 2, 6, 20, 35, 45, 100, 300, 1_000, 3_000, 10_000, 25_000].iter().map(|r| at(*r)).collect();
    let two: Vec<String> =
        [(0, 6), (20, 37), (38, 300), (45, 1_000), (100, 3_000), (1_000, 10_000), (31, 39), (6, 25_000)]
            .iter()
            .map(|(a, b)| format!("{} {}", at(*a), at(*b)))
            .collect();
    let mut phrases: Vec<String> = PHRASES.iter().map(|p| format!("\"{p}\"")).collect();
    phrases.extend(["$1.2bn", "U.S.", "\"No. 4\"", "zurich", "\"sao paulo\""].map(str::to_owned));
    vec![("one word", one), ("two words", two), ("phrase or figure", phrases)]
}

/// The `per_cent` percentile (nearest rank).
fn percentile(times: &mut [Duration], per_cent: usize) -> Duration {
    times.sort();
    let rank = (times.len() * per_cent).div_ceil(100);
    times[rank.saturating_sub(1).min(times.len() - 1)]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// ripgrep over the desk's files: case-insensitive, fixed strings (a phrase as one string), counting.
fn ripgrep(root: &Path, needle: &str) -> Option<Duration> {
    let mut best = None;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let output = std::process::Command::new("rg")
            .args(["-i", "-F", "-c", "--no-messages", needle])
            .arg(root)
            .output()
            .ok()?;
        times.push(started.elapsed());
        best = Some(output.status.code());
    }
    best?;
    Some(percentile(&mut times, 50))
}

fn report(big: &BigDesk, corpus: &Corpus) {
    let desk = big.desk.id();
    for (class, queries) in classes(corpus) {
        let mut times = Vec::new();
        let mut worst = (Duration::ZERO, String::new());
        for query in &queries {
            let hits = top50(&big.store, desk, query);
            let mut mine = Vec::new();
            for _ in 0..40 {
                let started = Instant::now();
                std::hint::black_box(top50(&big.store, desk, query));
                mine.push(started.elapsed());
            }
            let p95 = percentile(&mut mine.clone(), 95);
            if p95 > worst.0 {
                worst = (p95, query.clone());
            }
            let median = percentile(&mut mine.clone(), 50);
            let rg = ripgrep(&big.root, query.trim_matches('"'));
            eprintln!(
                "  {class:<16} {query:<32} {hits:>2} hits  median {:>7.2} ms  p95 {:>7.2} ms  ripgrep {}",
                ms(median),
                ms(p95),
                rg.map(|t| format!("{:>7.1} ms ({:.0}x)", ms(t), t.as_secs_f64() / median.as_secs_f64()))
                    .unwrap_or_else(|| "not installed".into())
            );
            times.extend(mine);
        }
        eprintln!(
            "{class}: p95 {:.2} ms, median {:.2} ms over {} runs of {} queries (slowest query's p95: {:.2} ms, {:?})",
            ms(percentile(&mut times.clone(), 95)),
            ms(percentile(&mut times, 50)),
            queries.len() * 40,
            queries.len(),
            ms(worst.0),
            worst.1
        );
    }
    let conn = rusqlite::Connection::open(&big.db).expect("open");
    let sizes: Vec<(String, i64)> = conn
        .prepare("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name ORDER BY name")
        .and_then(|mut stmt| stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect())
        .unwrap_or_default();
    let index: i64 = sizes.iter().map(|(_, size)| size).sum();
    let file = std::fs::metadata(&big.db).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "index size: {:.1} MB ({:.0} % of the {:.1} MB of text; database file {:.1} MB): {sizes:?}",
        mb(u64::try_from(index).unwrap_or(0)),
        index as f64 / big.text_bytes as f64 * 100.0,
        mb(big.text_bytes),
        mb(file)
    );
}

/// Two versions of one draft, for the index update: the stored one and an edit of it.
fn two_versions(big: &BigDesk) -> (i64, i64, i64, PathBuf, String, String) {
    let path = big.root.join("desk-42/story-04242.md");
    let before = std::fs::read_to_string(&path).expect("read");
    let after = before.replacen("the", "a fresh word", 3);
    std::fs::write(&path, &after).expect("save");
    big.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply the save");
    let conn = rusqlite::Connection::open(&big.db).expect("open");
    let (draft, current): (i64, i64) = conn
        .query_row("SELECT id, current_version_id FROM drafts WHERE path = 'desk-42/story-04242.md'", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("the draft");
    let other: i64 = conn
        .query_row("SELECT id FROM draft_versions WHERE draft_id = ?1 AND id != ?2", [draft, current], |row| row.get(0))
        .expect("its first version");
    (draft, current, other, path, before, after)
}

fn bench(c: &mut Criterion) {
    let big = big_desk();
    let corpus = Corpus::new();
    report(&big, &corpus);
    let desk = big.desk.id();

    let mut group = c.benchmark_group("search_10k_drafts_top50");
    group.sample_size(30).measurement_time(Duration::from_secs(5));
    let at = |rank: usize| corpus.words[rank].clone();
    for (name, query) in [
        ("one_word_in_every_draft", at(0)),
        ("one_word_in_a_third", at(300)),
        ("one_word_rare", at(10_000)),
        ("two_words", format!("{} {}", at(45), at(1_000))),
        ("phrase", "\"according to sources\"".to_owned()),
        ("figure", "$1.2bn".to_owned()),
    ] {
        group.bench_function(name, |b| b.iter(|| top50(&big.store, desk, &query)));
    }
    group.finish();

    // The index update when a draft's current version changes (what a save does to the index): the
    // triggers' delete of the old text and insert of the new, in a committed transaction with
    // synchronous=FULL, against the same commit of a change the index does not follow.
    let (draft, current, other, path, before, after) = two_versions(&big);
    let conn = rusqlite::Connection::open(&big.db).expect("open");
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").expect("pragmas");
    let mut group = c.benchmark_group("search_index_update");
    group.sample_size(30).measurement_time(Duration::from_secs(5));
    let mut flip = false;
    group.bench_function("save_switches_version_10kb_draft", |b| {
        b.iter(|| {
            flip = !flip;
            let version = if flip { other } else { current };
            conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
            conn.execute("UPDATE drafts SET current_version_id = ?2 WHERE id = ?1", [draft, version]).expect("update");
            conn.execute_batch("COMMIT").expect("commit");
        });
    });
    group.bench_function("same_commit_without_index_work", |b| {
        b.iter(|| {
            conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
            conn.execute("UPDATE drafts SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = ?1", [draft])
                .expect("update");
            conn.execute_batch("COMMIT").expect("commit");
        });
    });
    // The whole save as the watcher hands it over: read and parse the file, store the version,
    // re-anchor, and the index, for one 10 KB draft.
    let mut flip = false;
    group.bench_function("whole_save_through_the_desk", |b| {
        b.iter(|| {
            flip = !flip;
            std::fs::write(&path, if flip { &before } else { &after }).expect("save");
            big.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply")
        });
    });
    group.finish();
    factdesk_core::search::check_index(&lock(&big.store)).expect("the index still matches the drafts");
}

criterion_group!(benches, bench);
criterion_main!(benches);
