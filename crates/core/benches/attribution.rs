//! Opening claims one after another, as the window does: each opened claim
//! asks for its corroboration (`Review::corroboration`, the `claim_corroboration`
//! command), whose verdict needs the claim's attribution, read from the
//! draft's wording by the suggestion engine. And the desk's rules on the
//! draft (`Review::check`), which read every claim's attribution once.
//!
//! Two drafts: the Kabul piece (`../shared/fixtures/drafts/kabul-embassy.txt`,
//! 4 KB, every sentence the engine proposes tagged) and a generated 100 KB
//! draft (200 claims). 50 claims are opened in turn, spread over the draft.
//! Run with `cargo bench -p factdesk-core --bench attribution`.

// Bench code: a panic is the failure report, and sizes are far below u32::MAX.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::{ClaimId, DraftId, Store};
use factdesk_core::suggest::suggest;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const OPENED: usize = 50;
const MAX_CLAIMS: usize = 200;

const SENTENCES: &[&str] = &[
    "Sources tell the Ledger that the {org} paid {n} thousand euros to a consultant in {month}.",
    "The {org} approved {n} million for the bridge in a closed session, according to minutes seen by the Ledger.",
    "Minister Dana Whitfield said on {month} {n} that the {org} had “never received a complaint”.",
    "A worker who spoke on condition of anonymity said {n} people were told not to talk to the {org}.",
    "Court filings show the {org} owed {n} thousand dollars in unpaid fees as of {month}.",
    "Residents packed the chamber for more than {n} minutes.",
    "He said the {org} would answer {n} questions in {month}.",
    "The deal was signed on {month} {n}. That is according to two officials.",
];
const ORGS: &[&str] = &["Port Authority", "water board", "transit agency", "state auditor", "Eastport Clinic"];
const MONTHS: &[&str] = &["March", "April", "May", "June", "July"];

/// About `bytes` of news copy in paragraphs of four sentences.
fn generated(bytes: usize) -> String {
    let mut text = String::from("Where the bridge money went\n\nBy Maria Chen, Staff Writer\n\n");
    let mut i = 0;
    while text.len() < bytes {
        for _ in 0..4 {
            let sentence = SENTENCES[i % SENTENCES.len()]
                .replace("{org}", ORGS[(i / 7) % ORGS.len()])
                .replace("{month}", MONTHS[(i / 11) % MONTHS.len()])
                .replace("{n}", &(i + 2).to_string());
            text.push_str(&sentence);
            text.push(' ');
            i += 1;
        }
        text.push_str("\n\n");
    }
    text
}

/// A desk holding `text` as one draft, with the engine's proposals tagged as claims (at most `MAX_CLAIMS`).
struct Bench {
    _tmp: tempfile::TempDir,
    review: Review,
    draft: DraftId,
    claims: Vec<ClaimId>,
}

fn desk_with(name: &str, text: &str) -> Bench {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join(name), text).unwrap();
    let store = Store::open(&tmp.path().join("f.db")).unwrap().shared();
    let clock = Arc::new(FixedClock::new(chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z").unwrap().into()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).unwrap();
    desk.scan(&mut |_| {}, &mut |_| {}).unwrap();
    let draft = desk.draft_by_path(name).unwrap().unwrap().id;
    let canonical = desk.draft(draft).unwrap().unwrap().1.unwrap().text;
    let review = Review::new(store, clock, "Ana Editor".into());
    let chars: Vec<char> = canonical.chars().collect();
    let around = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut claims = Vec::new();
    let proposals = suggest(&canonical);
    let step = proposals.len().div_ceil(MAX_CLAIMS).max(1);
    for proposal in proposals.iter().step_by(step) {
        let quote = TextQuoteSelector {
            exact: proposal.quote.clone(),
            prefix: around(proposal.start.saturating_sub(32), proposal.start),
            suffix: around(proposal.end, (proposal.end + 32).min(chars.len())),
        };
        claims.push(review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration).unwrap());
    }
    Bench { _tmp: tmp, review, draft, claims }
}

fn open_claims(c: &mut Criterion) {
    let kabul = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/drafts/kabul-embassy.txt");
    let benches = [
        ("kabul", desk_with("kabul-embassy.txt", &std::fs::read_to_string(kabul).unwrap())),
        ("100KB", desk_with("bridge.txt", &generated(100 * 1024))),
    ];
    let mut group = c.benchmark_group("attribution");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    for (name, bench) in &benches {
        let claims = &bench.claims;
        // Spread over the draft, as a reviewer reading it opens them; round again where it has fewer.
        let opened: Vec<ClaimId> =
            (0..OPENED).map(|i| claims[(i * claims.len() / OPENED.min(claims.len())) % claims.len()]).collect();
        group.bench_function(format!("open_{OPENED}_claims_{name}_{}_claims", claims.len()), |b| {
            b.iter(|| {
                for claim in &opened {
                    black_box(bench.review.corroboration(*claim).unwrap());
                }
            });
        });
        group.bench_function(format!("check_draft_{name}"), |b| {
            b.iter(|| black_box(bench.review.check(bench.draft).unwrap()));
        });
    }
    group.finish();
}

criterion_group!(benches, open_claims);
criterion_main!(benches);
