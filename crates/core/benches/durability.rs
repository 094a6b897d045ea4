//! What durability costs per review write: one claim status change (its
//! write transaction, audit entry and head file) with `synchronous=FULL`,
//! Factdesk's setting, against `NORMAL`, the old one, on a real file on
//! the target folder's disk (not a tmpfs, where an fsync costs nothing).
//!
//! Run with `cargo bench -p factdesk-core --bench durability`.

// Bench code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::{lock, Store};
use std::sync::Arc;
use std::time::Duration;

fn status_write(c: &mut Criterion) {
    let mut group = c.benchmark_group("claim status write");
    group.measurement_time(Duration::from_secs(8)).sample_size(30);
    for synchronous in ["FULL", "NORMAL"] {
        let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("story.txt"), "Six workers were injured on Tuesday, the manager said.\n").unwrap();
        let store = Store::open(&tmp.path().join("factdesk.db")).unwrap().shared();
        if synchronous != "FULL" {
            lock(&store).execute_raw_for_tests(&format!("PRAGMA synchronous = {synchronous}")).unwrap();
        }
        let desk = Desk::open(store.clone(), &folder, Arc::new(SystemClock)).unwrap();
        desk.scan(&mut |_| {}, &mut |_| {}).unwrap();
        let draft = desk.draft_by_path("story.txt").unwrap().unwrap().id;
        let review = Review::new(store, Arc::new(SystemClock), "ana".into());
        let quote = TextQuoteSelector {
            exact: "Six workers were injured on Tuesday".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        let claim = review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration).unwrap();
        let statuses = [ClaimStatus::Disputed, ClaimStatus::Corroborated];
        let mut turn = 0;
        group.bench_function(synchronous, |b| {
            b.iter(|| {
                turn += 1;
                review.set_status(claim, statuses[turn % 2]).unwrap();
            });
        });
    }
    group.finish();
}

criterion_group!(benches, status_write);
criterion_main!(benches);
