//! Claims on a real desk: tagged, re-anchored by the watcher path when the
//! writer edits the file, statuses recorded with who and when.

mod engine;

use factdesk_core::anchor::{AnchorState, TextQuoteSelector};
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::store::lock;
use std::sync::Arc;

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() }
}

#[test]
fn claims_follow_the_draft_through_edits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("story.md");
    std::fs::write(
        &path,
        "# Fire at plant\n\nSix workers were injured on Tuesday, the fire department said.\n\n\
         The blaze started in a storage building at 9:40 p.m.\n\nNeighbors smelled smoke into Wednesday.",
    )
    .expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("story.md").expect("q").expect("draft").id;
    let review = Review::new(store.clone(), clock.clone(), "Ana Editor".into());

    let injured = review
        .add_claim(draft, &quote("Six workers were injured on Tuesday"), ClaimStatus::NeedsCorroboration)
        .expect("tag");
    let blaze = review
        .add_claim(draft, &quote("The blaze started in a storage building at 9:40 p.m."), ClaimStatus::Disputed)
        .expect("tag");
    let smoke =
        review.add_claim(draft, &quote("Neighbors smelled smoke into Wednesday."), ClaimStatus::Cleared).expect("tag");

    // The writer adds a paragraph on top, edits one claim, deletes another.
    std::fs::write(
        &path,
        "# Fire at plant\n\nA new first paragraph with context.\n\nSix workers were injured on Tuesday, the fire department said.\n\n\
         The blaze started in a storage shed at 9:40 p.m.",
    )
    .expect("edit");
    clock.advance(60);
    desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");

    let claims = review.claims(draft).expect("claims");
    let by_id = |id| claims.iter().find(|c| c.id == id).expect("claim");
    assert_eq!(by_id(injured).anchor.state, AnchorState::Anchored);
    assert_eq!(by_id(injured).quote, "Six workers were injured on Tuesday");
    assert_eq!(by_id(blaze).anchor.state, AnchorState::Fuzzy);
    assert_eq!(by_id(blaze).quote, "The blaze started in a storage shed at 9:40 p.m.");
    assert_eq!(by_id(blaze).original_quote, "The blaze started in a storage building at 9:40 p.m.");
    assert_eq!(by_id(smoke).anchor.state, AnchorState::Orphaned);
    assert_eq!(by_id(smoke).start, None);
    assert_eq!(by_id(smoke).status, ClaimStatus::Cleared, "notes and status stay on a detached claim");

    review.set_status(blaze, ClaimStatus::Corroborated).expect("status");
    let store = lock(&store);
    let history = store.claim_status_history(blaze).expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].previous.as_deref(), Some("disputed"));
    assert_eq!(history[1].status, "corroborated");
    assert_eq!(history[1].by, "Ana Editor");
    assert_eq!(store.claim_anchor_history(injured).expect("anchors").len(), 2, "one placement per version");
}

#[test]
fn after_a_revert_claims_follow_the_text_the_writer_edits_next() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("story.txt");
    let original = "Headline\n\nThe mayor said on Friday that 300 jobs would be cut.\n\nMore text follows here.";
    std::fs::write(&path, original).expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("story.txt").expect("q").expect("draft").id;
    let review = Review::new(store, clock.clone(), "Ana".into());
    let exact = "The mayor said on Friday that 300 jobs would be cut.";
    let claim = review.add_claim(draft, &quote(exact), ClaimStatus::NeedsCorroboration).expect("tag");

    let save = |text: &str| {
        std::fs::write(&path, text).expect("write");
        clock.advance(5);
        desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    };
    save(&original.replace("300 jobs", "250 jobs")); // an edit the writer then reverts
    save(original);
    save(&original.replace("Headline\n\n", "Headline\n\nA new first paragraph.\n\n"));

    let view = review.claim(claim).expect("claim");
    assert_eq!(view.anchor.state, AnchorState::Anchored, "{view:?}");
    assert_eq!(view.quote, exact);
}

#[test]
fn the_reviewer_settles_what_re_anchoring_could_not() {
    use factdesk_core::review::AnchorResolution;
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let story = folder.join("story.txt");
    let other = folder.join("other.txt");
    let original = "Headline of the story here\n\nThe council met on Monday.\n\nTaxes rose by 4 percent this year, officials said.";
    std::fs::write(&story, original).expect("write");
    std::fs::write(&other, "Other\n\nThe bridge will close in May.\n\nEnd of the other story.").expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let id = |p: &str| desk.draft_by_path(p).expect("q").expect("draft").id;
    let review = Review::new(store, clock.clone(), "Ana".into());
    let met =
        review.add_claim(id("story.txt"), &quote("The council met on Monday."), ClaimStatus::Cleared).expect("tag");
    let bridge =
        review.add_claim(id("other.txt"), &quote("The bridge will close in May."), ClaimStatus::Disputed).expect("tag");

    // The writer pastes the story again below itself (the claim now appears
    // twice with the same context) and deletes the other claim's sentence.
    std::fs::write(&story, format!("{original}\n\n{original}")).expect("edit");
    std::fs::write(&other, "Other\n\nEnd of the other story.").expect("edit");
    clock.advance(5);
    desk.apply_changes(&[story.clone(), other.clone()], &[]).expect("apply");
    let attention = review.needing_attention(desk.id()).expect("attention");
    let mut flagged: Vec<_> = attention.iter().map(|c| c.id).collect();
    flagged.sort();
    assert_eq!(flagged, vec![met, bridge]);
    let ambiguous = attention.iter().find(|c| c.id == met).expect("met");
    assert_eq!(ambiguous.anchor.state, AnchorState::Ambiguous);
    let second = ambiguous.anchor.candidates.last().expect("candidates").clone();

    let chosen =
        review.resolve(met, &AnchorResolution::Choose { start: second.start, end: second.end }).expect("choose");
    assert_eq!(
        (chosen.anchor.state, chosen.start, chosen.needs_attention),
        (AnchorState::Anchored, Some(second.start), false)
    );
    assert!(review.resolve(met, &AnchorResolution::Choose { start: 0, end: 3 }).is_err());

    let detached = review.resolve(bridge, &AnchorResolution::KeepDetached).expect("keep");
    assert_eq!(
        (detached.anchor.state, detached.needs_attention, detached.status),
        (AnchorState::Orphaned, false, ClaimStatus::Disputed)
    );
    assert!(review.needing_attention(desk.id()).expect("attention").is_empty());

    let reattached = review
        .resolve(bridge, &AnchorResolution::Reattach { quote: quote("End of the other story.") })
        .expect("reattach");
    assert_eq!(
        (reattached.anchor.state, reattached.quote.as_str()),
        (AnchorState::Anchored, "End of the other story.")
    );
}

#[test]
fn suggestions_can_be_accepted_with_their_attribution_or_dismissed_until_the_sentence_changes() {
    use factdesk_core::anchor::TextPositionSelector;
    use factdesk_core::suggest::AttributionKind;
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("kabul.txt");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/drafts/kabul-embassy.txt"),
        &path,
    )
    .expect("copy the seed draft");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let draft = desk.draft_by_path("kabul.txt").expect("q").expect("draft").id;
    let review = Review::new(store.clone(), clock.clone(), "Ana".into());

    let offered = review.suggestions(draft).expect("suggestions");
    assert!(offered.suggestions.len() >= 5, "{offered:?}");
    assert!(offered.profile.anonymous > offered.profile.named, "the seed rests on unnamed sources");
    let anonymous = offered
        .suggestions
        .iter()
        .find(|s| s.quote.contains("Taliban leaders meet at the Chinese embassy every day"))
        .expect("the embassy claim is suggested")
        .clone();
    assert_eq!(anonymous.attribution.kind, AttributionKind::Anonymous);
    let span = |s: &factdesk_core::suggest::Suggestion| TextPositionSelector {
        start: u32::try_from(s.start).expect("fits"),
        end: u32::try_from(s.end).expect("fits"),
    };

    // Accept: a claim on that sentence, its attribution pre-filled; no longer offered.
    let claim = review.accept_suggestion(draft, span(&anonymous)).expect("accept");
    let view = review.claim(claim).expect("view");
    assert_eq!(view.quote, anonymous.quote);
    let attribution = view.attribution;
    assert_eq!(attribution.kind, factdesk_core::attribution::AttributedTo::Unnamed);
    assert_eq!(attribution.from, factdesk_core::attribution::AttributionFrom::Wording);
    assert_eq!(attribution.cue, anonymous.attribution.cue);
    let after = review.suggestions(draft).expect("suggestions");
    assert_eq!(after.suggestions.len(), offered.suggestions.len() - 1);
    assert_eq!(after.profile.claims, offered.profile.claims, "a tagged suggestion still counts in the profile");
    // A claim tagged by hand on another unnamed sentence gets the same reading of the wording.
    let by_hand =
        after.suggestions.iter().find(|s| s.attribution.kind == AttributionKind::Anonymous).expect("another").clone();
    let hand = review
        .add_claim(
            draft,
            &factdesk_core::anchor::TextQuoteSelector {
                exact: by_hand.quote.clone(),
                prefix: String::new(),
                suffix: String::new(),
            },
            ClaimStatus::NeedsCorroboration,
        )
        .expect("tag by hand");
    let hand = review.claim(hand).expect("view").attribution;
    assert_eq!(
        (hand.kind.as_str(), hand.from.as_str(), hand.cue),
        ("unnamed", "wording", by_hand.attribution.cue.clone())
    );
    let after = review.suggestions(draft).expect("suggestions");

    // Dismiss: hidden, and still hidden after an unrelated save.
    let other = after.suggestions[0].clone();
    review.dismiss_suggestion(draft, span(&other)).expect("dismiss");
    let hidden = review.suggestions(draft).expect("suggestions");
    assert!(!hidden.suggestions.iter().any(|s| s.quote == other.quote));
    assert_eq!(hidden.dismissed, 1);
    // The sourcing summary describes the text: dismissing (triage) does not change it (issue 19).
    assert_eq!(hidden.profile, after.profile);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\n\nA closing line added by the writer.")).expect("save");
    clock.advance(30);
    desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let saved = review.suggestions(draft).expect("suggestions");
    assert!(!saved.suggestions.iter().any(|s| s.quote == other.quote), "dismissed stays dismissed across saves");

    // ...until the sentence itself changes.
    let edited = other.quote.replacen(' ', "  ", 1).replace("  ", " indeed ");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen(&other.quote, &edited, 1)).expect("save");
    clock.advance(30);
    desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let changed = review.suggestions(draft).expect("suggestions");
    assert!(changed.suggestions.iter().any(|s| s.quote.contains(" indeed ")), "an edited sentence is offered again");

    // Both decisions are on the audit trail, which still verifies.
    let actions: Vec<String> = review.audit_trail(None).expect("trail").into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"claim.attribution".to_owned()), "{actions:?}");
    assert!(actions.contains(&"suggestion.dismiss".to_owned()), "{actions:?}");
    assert_eq!(review.verify_audit().expect("verify").broken, None);

    // A span that is not a suggestion of the current version is refused, and tags nothing.
    let claims_before = review.claims(draft).expect("claims").len();
    let stale = review.accept_suggestion(draft, TextPositionSelector { start: 0, end: 3 }).expect_err("stale span");
    assert!(stale.to_string().contains("no suggestion"), "{stale}");
    assert_eq!(review.claims(draft).expect("claims").len(), claims_before);
}

#[test]
fn the_reviewer_name_is_saved_trimmed_and_refused_when_empty_or_odd() {
    if engine::on_postgres() {
        return; // on a team store the reviewer is the database login, not a setting
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let store = engine::open(&tmp.path().join("f.db")).expect("store");
    assert_eq!(Review::set_reviewer_name(&store, "  Amina Yusuf ").expect("save"), "Amina Yusuf");
    assert_eq!(Review::reviewer_name(&store), "Amina Yusuf");
    // "factdesk" is the automatic actor: a person of that name would read as the machine.
    for bad in ["", "   ", "two\nlines", &"x".repeat(81), "factdesk", " Factdesk "] {
        assert!(Review::set_reviewer_name(&store, bad).is_err(), "{bad:?} accepted");
    }
    assert_eq!(Review::reviewer_name(&store), "Amina Yusuf", "a refused name changes nothing");
}
