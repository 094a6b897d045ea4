//! Throughput of the suggestion engine over a generated corpus of news drafts.
//!
//! The corpus is made here from sentence templates (claims with figures and dates, anonymous, named and
//! document attributions, quotations spanning sentences, abbreviations, opinion and colour, subheads,
//! bylines and editor's notes), so nothing large is committed. Run with
//! `cargo bench -p factdesk-core --bench suggest`; the MB/s is one core's.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use factdesk_core::suggest::{profile, suggest};
use std::hint::black_box;

const HEADLINES: &[&str] = &[
    "Port authority quietly doubled dredging budget, documents show",
    "Shelling kills 9 in border town as ceasefire talks falter",
    "Council approves water rate increase despite lead pipe concerns",
    "Two hospital systems in talks to merge",
];

const SENTENCES: &[&str] = &[
    "The Eastport Port Authority approved $48 million for harbor dredging in a closed session in January, according to meeting minutes reviewed by the Tribune.",
    "Sources tell Strike Source that Taliban leaders meet at the Chinese embassy every day.",
    "A worker at the plant, who spoke on condition of anonymity because employees were told not to talk to the media, said a sprinkler system had been out of service for weeks.",
    "Fire Chief Omar Little said the blaze started in a storage building at about 9:40 p.m. and was under control by midnight.",
    "The meeting took place in Sirajuddin’s office, not the Chinese embassy.",
    "“We waited three years for someone to listen. Today somebody finally did,” said Rosa Ferrer, his sister.",
    "Since the U.S. exit from Afghanistan, the Chinese government has significantly increased its activities in Kabul.",
    "Harlow & Finch Inc. said Tuesday it will close 38 of its 212 stores by the end of March and eliminate about 1,900 jobs.",
    "Vaccination rates fell to 84.6 percent last year, well below the 95 percent needed to prevent outbreaks, according to state immunization data.",
    "Two people familiar with the negotiations said the combined company would have annual revenue of roughly $6.3 billion.",
    "The proposal came from Gov. Dana Whitfield's office on Wednesday, the people said.",
    "Judge Helen M. Ortiz sent the case back on Sept. 12 in a 2-1 decision.",
    "A study by the state attorney general's office found that prices rose 11 percent after a 2015 acquisition.",
    "That deal is still on the table, as sources say a delegation recently visited the mine, which has an estimated worth of 50 billion.",
    "The families deserve a full public accounting.",
    "It is time for both sides to stop posturing and do their jobs.",
    "Perhaps the real problem is that nobody in the Capitol wants to own a tax increase in an election year.",
    "Residents packed the chamber for more than three hours.",
    "The Commerce Department declined to comment.",
    "They asked not to be identified because the meeting was closed to the press.",
    "Is this the beginning of a new trade war?",
    "Dr. Anita Shah, a forensic pathologist hired by the families, testified that Luis Ferrer, 34, had gone without insulin for at least three days.",
];

const EXTRAS: &[&str] = &[
    "By Maria Chen, Staff Writer",
    "Image Credit: Screenshot, via Google Maps",
    "The Takeaway",
    "Editor’s Note: Sources for this report have not been named to protect their identity.",
];

/// Drafts of about 6 KB each, `total` bytes in all, picked by a small deterministic generator.
fn corpus(total: usize) -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap_or(0)
    };
    let mut drafts = Vec::new();
    let mut size = 0;
    while size < total {
        let mut draft = String::from(HEADLINES[next(HEADLINES.len())]);
        draft.push_str("\n\n");
        draft.push_str(EXTRAS[0]);
        while draft.len() < 6_000 {
            draft.push_str("\n\n");
            if next(10) == 0 {
                draft.push_str(EXTRAS[1 + next(2)]);
                draft.push_str("\n\n");
            }
            for i in 0..=next(3) {
                if i > 0 {
                    draft.push(' ');
                }
                draft.push_str(SENTENCES[next(SENTENCES.len())]);
            }
        }
        draft.push_str("\n\n");
        draft.push_str(EXTRAS[3]);
        size += draft.len();
        drafts.push(draft);
    }
    drafts
}

fn bench(c: &mut Criterion) {
    let drafts = corpus(4 << 20);
    let bytes: usize = drafts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("suggest");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("suggest_4MiB_of_drafts", |b| {
        b.iter(|| drafts.iter().map(|d| suggest(black_box(d)).len()).sum::<usize>());
    });
    group.bench_function("suggest_and_profile_4MiB_of_drafts", |b| {
        b.iter(|| {
            drafts
                .iter()
                .map(|d| {
                    let s = suggest(black_box(d));
                    profile(d, &s).claims
                })
                .sum::<usize>()
        });
    });
    let one = drafts.concat();
    group.throughput(Throughput::Bytes(one.len() as u64));
    group.bench_function("suggest_one_4MiB_text", |b| b.iter(|| suggest(black_box(&one)).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
