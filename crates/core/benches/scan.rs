//! A big desk: the first scan of 10,000 drafts (about 73 MB), eager and lazy; the background read
//! of every text a lazy scan left (`read_all_texts`); and a command's catch-up with the same desk
//! when nothing changed (open the database, open the desk, scan), as every `factdesk` command that
//! takes a desk does first.
//!
//! The desk is generated here (deterministic; 100 folders of 100 drafts, Markdown, plain text and
//! HTML, about 7.3 KB each) into `target/tmp/desk-10k` and kept there, so the same files can be
//! hashed by `b3sum` for comparison (see BENCHMARKS.md). Run with
//! `cargo bench -p factdesk-core --bench scan`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const DRAFTS: usize = 10_000;
const PER_FOLDER: usize = 100;
const DRAFT_BYTES: usize = 7_300;

const SENTENCES: &[&str] = &[
    "The Eastport Port Authority approved $48 million for harbor dredging in a closed session in January, according to meeting minutes reviewed by the Tribune.",
    "A worker at the plant, who spoke on condition of anonymity because employees were told not to talk to the media, said a sprinkler system had been out of service for weeks.",
    "Fire Chief Omar Little said the blaze started in a storage building at about 9:40 p.m. and was under control by midnight.",
    "Harlow & Finch Inc. said Tuesday it will close 38 of its 212 stores by the end of March and eliminate about 1,900 jobs.",
    "Vaccination rates fell to 84.6 percent last year, well below the 95 percent needed to prevent outbreaks, according to state immunization data.",
    "Two people familiar with the negotiations said the combined company would have annual revenue of roughly $6.3 billion.",
    "Judge Helen M. Ortiz sent the case back on Sept. 12 in a 2-1 decision.",
    "Residents packed the chamber for more than three hours.",
    "The Commerce Department declined to comment.",
    "“We waited three years for someone to listen. Today somebody finally did,” said Rosa Ferrer, his sister.",
];

/// The generated desk, made once and reused.
fn desk_10k() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("desk-10k");
    let done = root.join(".complete");
    if done.exists() {
        return root;
    }
    let _ = std::fs::remove_dir_all(&root);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap_or(0)
    };
    for index in 0..DRAFTS {
        let folder = root.join(format!("desk-{:02}", index / PER_FOLDER));
        std::fs::create_dir_all(&folder).expect("mkdir");
        let mut body = String::new();
        while body.len() < DRAFT_BYTES {
            let paragraph: Vec<&str> = (0..=next(3)).map(|_| SENTENCES[next(SENTENCES.len())]).collect();
            body.push_str(&paragraph.join(" "));
            body.push_str(&format!(" (Story {index}, paragraph {}.)\n\n", body.len()));
        }
        let (name, text) = match index % 20 {
            0 => (
                format!("story-{index:05}.html"),
                format!("<html><body><h1>Story {index}</h1><p>{}</p></body></html>", body.replace("\n\n", "</p><p>")),
            ),
            1..=5 => (format!("story-{index:05}.txt"), format!("Story {index}\n\n{body}")),
            _ => (format!("story-{index:05}.md"), format!("# Story {index}\n\n{body}")),
        };
        std::fs::write(folder.join(name), text).expect("write draft");
    }
    std::fs::write(&done, "").expect("mark complete");
    root
}

fn scan(desk: &Desk) {
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
}

fn bench(c: &mut Criterion) {
    let root = desk_10k();
    let mut group = c.benchmark_group("scan_10k_drafts");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(40));
    group.bench_function("first_scan", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tempdir"),
            |tmp| {
                let store = Store::open(&tmp.path().join("factdesk.db")).expect("store").shared();
                scan(&Desk::open(store, &root, Arc::new(SystemClock)).expect("desk"));
                tmp
            },
            BatchSize::PerIteration,
        );
    });
    // What the window and every command but `scan` do on a new desk: files
    // recorded with the hash of their bytes, texts read when first needed.
    group.bench_function("first_scan_lazily", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tempdir"),
            |tmp| {
                let store = Store::open(&tmp.path().join("factdesk.db")).expect("store").shared();
                let desk = Desk::open(store, &root, Arc::new(SystemClock)).expect("desk");
                desk.scan_lazily(&mut |_| {}, &mut |_| {}).expect("lazy scan");
                tmp
            },
            BatchSize::PerIteration,
        );
    });
    // What the window's background pass (and a desk's first search) does after a lazy first
    // scan: open and read every draft's file from its row, parse and store its text. Each
    // sample starts from a fresh lazy scan, which is not timed.
    group.bench_function("read_all_texts", |b| {
        b.iter_batched(
            || {
                let tmp = tempfile::tempdir().expect("tempdir");
                let store = Store::open(&tmp.path().join("factdesk.db")).expect("store").shared();
                let desk = Desk::open(store, &root, Arc::new(SystemClock)).expect("desk");
                desk.scan_lazily(&mut |_| {}, &mut |_| {}).expect("lazy scan");
                (tmp, desk)
            },
            |(tmp, desk)| {
                assert_eq!(desk.read_all_texts().expect("read").len(), DRAFTS);
                (tmp, desk)
            },
            BatchSize::PerIteration,
        );
    });
    group.measurement_time(Duration::from_secs(10));
    // The desk is scanned once, when this bench first runs: a run filtered to another
    // bench does not pay for it.
    let scanned = std::cell::OnceCell::new();
    group.bench_function("catch_up_unchanged", |b| {
        let (_tmp, db) = scanned.get_or_init(|| {
            let tmp = tempfile::tempdir().expect("tempdir");
            let db = tmp.path().join("factdesk.db");
            scan(&Desk::open(Store::open(&db).expect("store").shared(), &root, Arc::new(SystemClock)).expect("desk"));
            if let Ok(meta) = std::fs::metadata(&db) {
                eprintln!("database after the first scan of {DRAFTS} drafts: {} bytes", meta.len());
            }
            (tmp, db)
        });
        b.iter(|| {
            let store = Store::open(db).expect("store").shared();
            scan(&Desk::open(store, &root, Arc::new(SystemClock)).expect("desk"));
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
