//! Exporting the review of one draft with 200 claims: gathering the model
//! from a real store, then writing it in every format (the PDF through
//! WeasyPrint, when it is installed).
//!
//! Run with `cargo bench -p factdesk-core --bench report`. Each claim also
//! gets two sources, one evidence item and a note, as the review will
//! store them, so the writers have realistic work.

// Bench code: a panic is the failure report, and sizes are far below u32::MAX.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::report::{
    self, AttributedTo, ConfidentialSource, Evidence, Format, GatherOptions, Note, Profile, Report, Scope, Source,
    SourceLink, SourceRole, WriteOptions,
};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::{SharedStore, Store};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const CLAIMS: usize = 200;

const TEMPLATES: &[&str] = &[
    "Sources tell the Ledger that the {org} paid {n} thousand euros to a consultant in {month}.",
    "The {org} approved {n} million for the bridge in a closed session, according to minutes seen by the Ledger.",
    "Minister Dana Whitfield said on {month} {n} that the {org} had “never received a complaint”.",
    "A worker who spoke on condition of anonymity said {n} people were told not to talk to the {org}.",
    "Court filings show the {org} owed {n} thousand dollars in unpaid fees as of {month}.",
];
const ORGS: &[&str] = &["Port Authority", "water board", "transit agency", "state auditor", "Eastport Clinic"];
const MONTHS: &[&str] = &["March", "April", "May", "June", "July"];

/// A draft of `CLAIMS` distinct sentences in paragraphs of four, and the sentences.
fn draft() -> (String, Vec<String>) {
    let mut sentences = Vec::with_capacity(CLAIMS);
    for i in 0..CLAIMS {
        let sentence = TEMPLATES[i % TEMPLATES.len()]
            .replace("{org}", ORGS[(i / 5) % ORGS.len()])
            .replace("{month}", MONTHS[(i / 25) % MONTHS.len()])
            .replace("{n}", &(i + 2).to_string());
        sentences.push(sentence);
    }
    let mut text = String::from("Where the bridge money went\n\n");
    for paragraph in sentences.chunks(4) {
        text.push_str(&paragraph.join(" "));
        text.push_str("\n\n");
    }
    (text, sentences)
}

fn setup() -> (tempfile::TempDir, SharedStore, Arc<FixedClock>, Scope) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).unwrap();
    let (text, sentences) = draft();
    std::fs::write(folder.join("bridge.txt"), text).unwrap();
    let store = Store::open(&tmp.path().join("f.db")).unwrap().shared();
    let clock = Arc::new(FixedClock::new(chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z").unwrap().into()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).unwrap();
    desk.scan(&mut |_| {}, &mut |_| {}).unwrap();
    let draft = desk.draft_by_path("bridge.txt").unwrap().unwrap().id;
    let review = Review::new(store.clone(), clock.clone(), "Ana Editor".into());
    for (i, sentence) in sentences.iter().enumerate() {
        let quote = TextQuoteSelector { exact: sentence.clone(), prefix: String::new(), suffix: String::new() };
        let claim = review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration).unwrap();
        let status = ClaimStatus::ALL[i % ClaimStatus::ALL.len()];
        if status != ClaimStatus::NeedsCorroboration {
            review.set_status(claim, status).unwrap();
        }
    }
    (tmp, store, clock, Scope::Draft(draft))
}

/// What the review will add per claim: two sources, an evidence item, a note.
fn with_review_data(mut model: Report) -> Report {
    let draft = &mut model.drafts[0];
    draft.sources = (0..40)
        .map(|i| Source {
            id: factdesk_core::store::SourceId(i),
            descriptor: format!("source {i}, a person with knowledge of the contracts"),
            kind: if i % 2 == 0 { AttributedTo::Unnamed } else { AttributedTo::Document },
            confidential: (i % 2 == 0).then(|| ConfidentialSource {
                identity: format!("Identity {i}"),
                contact: "+1 555 0100".into(),
                how_known: "met at the council".into(),
                anonymity_reason: "fears losing their job".into(),
                editor_knows: "Marisol".into(),
                approved_by: "Ana Editor".into(),
            }),
        })
        .collect();
    for (i, claim) in draft.claims.iter_mut().enumerate() {
        let i = i as i64;
        claim.sources = vec![
            SourceLink { source: factdesk_core::store::SourceId(i % 40), role: SourceRole::Attributed },
            SourceLink { source: factdesk_core::store::SourceId((i + 1) % 40), role: SourceRole::Corroborates },
        ];
        claim.evidence = vec![Evidence {
            id: factdesk_core::store::EvidenceId(i),
            kind: "document".into(),
            reference: format!("minutes-{i}.pdf"),
            summary: "Minutes of the closed session".into(),
            obtained: Some("2026-11-18".into()),
            added_by: "Ana Editor".into(),
            independent: true,
            contradicts: false,
        }];
        claim.notes = vec![Note {
            id: factdesk_core::store::NoteId(i),
            reply_to: None,
            author: "Ana Editor".into(),
            at: "2026-11-20T10:00:00Z".into(),
            text: "Check the amount against the audit <table 4> & the minutes.".into(),
            private: i % 3 == 0,
        }];
    }
    model
}

fn bench(c: &mut Criterion) {
    let (_tmp, store, clock, scope) = setup();
    let options = GatherOptions { profile: Profile::Internal, include_text: true };
    c.bench_function("gather_200_claims", |b| {
        b.iter(|| black_box(report::gather(&store, clock.clone(), scope, &options).unwrap()));
    });
    let model = with_review_data(report::gather(&store, clock.clone(), scope, &options).unwrap());
    let mut desk_model = model.clone();
    desk_model.profile = Profile::Desk;
    let write = WriteOptions::default();
    for format in Format::ALL.into_iter().filter(|f| f.is_text()) {
        c.bench_function(&format!("write_200_claims_{}", format.as_str()), |b| {
            b.iter(|| black_box(report::render(&model, format, &write).unwrap()));
        });
    }
    // The desk profile redacts a copy first: what that costs.
    c.bench_function("write_200_claims_md_desk_profile", |b| {
        b.iter(|| black_box(report::render(&desk_model, Format::Markdown, &write).unwrap()));
    });
    if report::render(&model, Format::Pdf, &write).is_ok() {
        let mut group = c.benchmark_group("pdf");
        group.sample_size(10).measurement_time(Duration::from_secs(60));
        group.bench_function("write_200_claims_pdf", |b| {
            b.iter(|| black_box(report::render(&model, Format::Pdf, &write).unwrap()));
        });
        group.finish();
    } else {
        eprintln!("pdf: skipped, WeasyPrint is not installed");
    }
    for format in Format::ALL {
        if let Ok(bytes) = report::render(&model, format, &write) {
            eprintln!("size: {} {} bytes", format.as_str(), bytes.len());
        }
    }
}

/// A draft whose first 100 claims each cite their own unnamed source (identity, contact, reason for
/// anonymity, who knows, who approved): plain, or sealed by the desk's vault (then unlocked).
fn unnamed_sources(sealed: bool) -> (tempfile::TempDir, Review, Scope) {
    use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind as Kind, SourceRole as Role};
    let (tmp, store, clock, scope) = setup();
    let Scope::Draft(draft) = scope else { unreachable!() };
    let review = Review::new(store.clone(), clock.clone(), "Ana Editor".into());
    let desk = factdesk_core::store::lock(&store).draft(draft).unwrap().unwrap().desk_id;
    if sealed {
        review.init_vault(desk, &secrecy::SecretString::from("correct horse battery staple")).unwrap();
    }
    for (i, claim) in review.claims(draft).unwrap().iter().take(100).enumerate() {
        let source = review
            .add_source(
                desk,
                &NewSource {
                    descriptor: format!("a person with knowledge of contract {i}"),
                    kind: Kind::Unnamed,
                    notes: String::new(),
                    confidential: Some(Confidential {
                        identity: Some(format!("Person Number {i} of the Port Authority")),
                        contact: Some(format!("+1 555 01{i:02}")),
                        first_hand: Some(i % 2 == 0),
                        how_known: Some("sat in the closed session".into()),
                        anonymity_reason: Some("fears losing their job".into()),
                        editor_knows: Some("Marisol".into()),
                        approved_by: Some("Ana Editor".into()),
                    }),
                },
            )
            .unwrap();
        review.link_source(claim.id, source, Role::Attributed).unwrap();
    }
    (tmp, review, scope)
}

/// What sealing costs an internal report: gathering reads (and audits) 100 identities, plain or
/// opened with the desk key.
fn bench_sealed(c: &mut Criterion) {
    let options = GatherOptions { profile: Profile::Internal, include_text: false };
    for sealed in [false, true] {
        let (_tmp, review, scope) = unnamed_sources(sealed);
        let name = if sealed { "gather_internal_100_unnamed_sealed" } else { "gather_internal_100_unnamed_plain" };
        c.bench_function(name, |b| {
            b.iter(|| black_box(report::gather_as(&review, scope, &options).unwrap()));
        });
    }
}

criterion_group!(benches, bench, bench_sealed);
criterion_main!(benches);
