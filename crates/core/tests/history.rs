//! A draft's version history and the word-level comparison of two versions,
//! on a real desk folder and a real SQLite file.

mod engine;

use factdesk_core::anchor::{self, AnchorState, TextQuoteSelector};
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::history::ComparedVersion;
use factdesk_core::review::{ClaimStatus, Review, ReviewError};
use factdesk_core::store::VersionId;
use std::sync::Arc;

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

fn spans(side: &ComparedVersion) -> Vec<&str> {
    side.changed
        .iter()
        .map(|span| {
            let start = side.text.char_indices().nth(span.start as usize).map_or(side.text.len(), |(b, _)| b);
            let end = side.text.char_indices().nth(span.end as usize).map_or(side.text.len(), |(b, _)| b);
            &side.text[start..end]
        })
        .collect()
}

#[test]
fn the_history_counts_what_each_edit_did_to_the_claims_and_compares_any_two_versions() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("rates.txt");
    std::fs::write(
        &path,
        "Water rates rise\n\nThe utility will raise rates by 12 percent, two employees said.\n\n\
         The board meets on Thursday. Café owners oppose the plan.",
    )
    .expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("rates.txt").expect("q").expect("draft").id;
    let review = Review::new(store.clone(), clock.clone(), "Ana".into());
    let rise =
        review.add_claim(draft, &quote("raise rates by 12 percent"), ClaimStatus::NeedsCorroboration).expect("tag");
    let owners = review.add_claim(draft, &quote("Café owners oppose the plan."), ClaimStatus::Disputed).expect("tag");

    // Version 2: a paragraph above, a figure corrected, a sentence deleted.
    clock.advance(60);
    std::fs::write(
        &path,
        "Water rates rise\n\nUpdated with the board's agenda.\n\n\
         The utility will raise rates by 14 percent, two employees said.\n\nThe board meets on Thursday.",
    )
    .expect("edit");
    desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");

    let history = review.history(draft).expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].number, history[0].current), (1, false));
    assert_eq!((history[1].number, history[1].current), (2, true));
    assert_eq!(history[0].claims.anchored, 2, "both claims were tagged on version 1");
    assert_eq!(history[0].claims_displaced, 0);
    assert_eq!((history[1].claims.fuzzy, history[1].claims.orphaned), (1, 1));
    assert_eq!(history[1].claims_displaced, 2);
    let old_text = "Water rates rise\n\nThe utility will raise rates by 12 percent, two employees said.\n\n\
         The board meets on Thursday. Café owners oppose the plan.";
    assert_eq!(history[0].characters, u32::try_from(old_text.chars().count()).expect("fits"));
    assert_eq!(history[0].bytes, u32::try_from(old_text.len()).expect("fits"), "é is two bytes");
    assert!(history[1].seen_at > history[0].seen_at);

    let diff = review.compare(draft, history[0].id, history[1].id).expect("compare");
    assert_eq!(diff.from.text, old_text);
    assert!(spans(&diff.from).contains(&"12"), "removed: {:?}", spans(&diff.from));
    assert!(spans(&diff.from).iter().any(|s| s.contains("Café owners oppose the plan.")));
    assert!(spans(&diff.to).contains(&"14"), "added: {:?}", spans(&diff.to));
    assert!(spans(&diff.to).iter().any(|s| s.contains("Updated with the board's agenda.")));
    assert!(!spans(&diff.to).iter().any(|s| s.contains("utility")), "unchanged words are not marked");

    // Claims on both sides, at their own version's offsets.
    let on = |side: &ComparedVersion, id| side.claims.iter().find(|m| m.claim == id).cloned();
    let before = on(&diff.from, rise).expect("rise on version 1");
    assert_eq!(&diff.from.text[before.start as usize..before.end as usize], "raise rates by 12 percent");
    assert_eq!(before.state, AnchorState::Anchored);
    let after = on(&diff.to, rise).expect("rise on version 2");
    assert_eq!(after.state, AnchorState::Fuzzy);
    assert_eq!(&diff.to.text[after.start as usize..after.end as usize], "raise rates by 14 percent");
    assert_eq!(after.status, ClaimStatus::NeedsCorroboration);
    assert!(on(&diff.from, owners).is_some());
    assert!(on(&diff.to, owners).is_none());
    assert_eq!(diff.to.unplaced, vec![owners], "the deleted sentence's claim has no place on version 2");

    // Either order works: comparing back shows the inverse edit.
    let back = review.compare(draft, history[1].id, history[0].id).expect("compare back");
    assert_eq!(spans(&back.from), spans(&diff.to));

    // A version of another draft, or one that does not exist, is refused.
    let error = review.compare(draft, history[0].id, VersionId(9_999)).expect_err("unknown version");
    assert!(matches!(error, ReviewError::VersionNotFound { .. }), "{error}");
}

#[test]
fn word_changes_are_whole_tokens_in_code_points() {
    let old = "Zoë said 300 jobs — not 30 — would go.";
    let new = "Zoë said 310 jobs — not 30 — would go soon.";
    let changes = anchor::changes(old, new);
    let cut = |text: &str, s: u32, e: u32| text.chars().skip(s as usize).take((e - s) as usize).collect::<String>();
    let removed: Vec<String> = changes.removed.iter().map(|p| cut(old, p.start, p.end)).collect();
    let added: Vec<String> = changes.added.iter().map(|p| cut(new, p.start, p.end)).collect();
    assert_eq!(removed, vec!["300"]);
    assert_eq!(added, vec!["310", " soon"]);
    assert_eq!(anchor::changes(old, old), anchor::TextChanges::default());
    assert_eq!(anchor::changes("", "new").added.len(), 1);
}
