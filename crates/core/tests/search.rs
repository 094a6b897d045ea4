//! Search on a real desk: a real folder scanned into a real SQLite file
//! (or, with `FACTDESK_TEST_ENGINE=postgres`, a team store on a real
//! PostgreSQL), reviewed through the same calls the window and the command
//! line make.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::assignment::AssignmentTarget;
use factdesk_core::attribution::AttributedTo;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::search::{HitKind, SearchError, SearchHit, SearchQuery, Span};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole, SourceUpdate};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::{lock, ClaimId, DraftId, SharedStore};
use std::path::PathBuf;
use std::sync::Arc;

const STORY: &str = "Fire at the plant in Zürich\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The repairs will cost $1.2bn, according to the ministry's figures.\n\n\
    The U.S. embassy sent No. 4 of its inspectors, sources said.\n\n\
    The mayor said the plant would reopen in May.";

const OTHER: &str = "Council budget\n\n\
    The council approved the budget on Monday, the finance director said.\n\n\
    Officials in the U S delegation were not present. No figures were given for 4 or 1 of the wards.";

struct Bench {
    tmp: tempfile::TempDir,
    store: SharedStore,
    desk: Desk,
    review: Review,
}

impl Bench {
    fn new() -> Self {
        let engine::ScannedDesk { tmp, store, desk, review, .. } =
            engine::ScannedDesk::new(&[("story.txt", STORY), ("other.txt", OTHER)], chrono::Utc::now());
        Self { tmp, store, desk, review }
    }

    fn folder(&self) -> PathBuf {
        self.tmp.path().join("desk")
    }

    fn draft(&self, path: &str) -> DraftId {
        self.desk.draft_by_path(path).expect("q").expect("draft").id
    }

    fn claim(&self, exact: &str) -> ClaimId {
        let quote = TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
        self.review.add_claim(self.draft("story.txt"), &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn find(&self, text: &str) -> Vec<SearchHit> {
        self.search(&SearchQuery::new(text))
    }

    fn search(&self, query: &SearchQuery) -> Vec<SearchHit> {
        self.review.search(self.desk.id(), query).expect("search")
    }

    /// (kind, id) of every hit, best first.
    fn found(&self, text: &str) -> Vec<(HitKind, i64)> {
        self.find(text).iter().map(|h| (h.kind, h.id)).collect()
    }

    /// The engine's check that the index holds exactly what its rows say.
    fn index_is_exact(&self) {
        factdesk_core::search::check_index(&lock(&self.store)).expect("the search index matches its content");
    }
}

impl Bench {
    /// Every text the index's own tables hold, read behind Factdesk's back.
    fn indexed_text(&self) -> Vec<String> {
        let path = self.tmp.path().join("f.db");
        if engine::on_postgres() {
            let (url, _) = test_postgres::database_for(&path);
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect by hand");
            let rows = client
                .query("SELECT coalesce(body, '') || ' ' || words::text FROM search_entries", &[])
                .expect("read the index");
            return rows.iter().map(|row| row.get(0)).collect();
        }
        let db = rusqlite::Connection::open(path).expect("open");
        let mut stmt = db.prepare("SELECT body FROM search_items").expect("q");
        let rows = stmt.query_map([], |row| row.get(0)).expect("q");
        rows.collect::<Result<_, _>>().expect("rows")
    }
}

fn highlighted(hit: &SearchHit) -> Vec<String> {
    hit.snippet
        .highlights
        .iter()
        .map(|s| hit.snippet.text.chars().skip(s.start as usize).take((s.end - s.start) as usize).collect())
        .collect()
}

#[test]
fn finds_draft_text_with_the_match_highlighted_and_where_it_is() {
    let bench = Bench::new();
    let hits = bench.find("injured");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!((hit.kind, hit.draft_path.as_deref()), (HitKind::Draft, Some("story.txt")));
    assert_eq!(highlighted(hit), vec!["injured"]);
    assert!(hit.score > 0.0);
    let passage = hit.passage.expect("where the match is");
    let at: String = STORY.chars().skip(passage.start as usize).take((passage.end - passage.start) as usize).collect();
    assert_eq!(at, "injured");
}

#[test]
fn diacritics_case_phrases_prefixes_and_exclusions() {
    let bench = Bench::new();
    let story = bench.draft("story.txt").0;
    assert_eq!(bench.found("zurich"), vec![(HitKind::Draft, story)], "ü is folded");
    assert_eq!(bench.found("ZÜRICH"), vec![(HitKind::Draft, story)]);
    assert_eq!(bench.found("\"senior plant manager\""), vec![(HitKind::Draft, story)]);
    assert!(bench.found("\"plant senior manager\"").is_empty(), "a phrase keeps its order");
    assert_eq!(bench.found("minist*"), vec![(HitKind::Draft, story)]);
    assert_eq!(bench.found("minist"), vec![], "a word is whole without *");
    assert_eq!(bench.found("said -mayor").len(), 1, "only the council story says it without the mayor");
    assert_eq!(bench.found("said -mayor")[0].1, bench.draft("other.txt").0);
}

#[test]
fn figures_and_abbreviations_match_as_written_not_as_loose_parts() {
    let bench = Bench::new();
    let story = bench.draft("story.txt").0;
    // The other draft holds "1", "4", "No" and "U S" apart: only the adjacent forms match.
    assert_eq!(bench.found("$1.2bn"), vec![(HitKind::Draft, story)]);
    assert_eq!(bench.found("1.2bn"), vec![(HitKind::Draft, story)]);
    assert_eq!(bench.found("\"No. 4\""), vec![(HitKind::Draft, story)]);
    let us = bench.found("U.S.");
    assert_eq!(us.len(), 2, "U.S. and U S are the same tokens: {us:?}");
    assert!(bench.found("$1.3bn").is_empty());
    assert!(bench.found("1.2").is_empty(), "1.2 is not 1.2bn");
}

#[test]
fn claims_notes_evidence_and_sources_are_found_and_nothing_confidential_is() {
    let bench = Bench::new();
    let claim = bench.claim("The repairs will cost $1.2bn");
    let note = bench.review.add_note(NoteTarget::Claim(claim), "Ask the treasury about this", None).expect("note");
    let private = bench
        .review
        .add_private_note(NoteTarget::Claim(claim), "Whistleblower zanzibarite called", None)
        .expect("private note");
    let evidence = bench
        .review
        .add_evidence(
            claim,
            &NewEvidence::supporting(EvidenceKind::Document, "budget-annex.pdf", "Treasury annex", true),
        )
        .expect("evidence");
    let source = bench
        .review
        .add_source(
            bench.desk.id(),
            &NewSource {
                descriptor: "a treasury official".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Quetzalcoatl Okonkwo".into()),
                    contact: Some("quetzal@example.org".into()),
                    anonymity_reason: Some("fears dismissal".into()),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    bench.review.link_source(claim, source, SourceRole::Attributed).expect("link");

    let mut found = bench.found("treasury");
    found.sort();
    assert_eq!(
        found,
        vec![(HitKind::Note, note.0), (HitKind::Evidence, evidence.0), (HitKind::Source, source.0)],
        "the note, the evidence summary and the descriptor"
    );
    assert_eq!(bench.found("annex.pdf"), vec![(HitKind::Evidence, evidence.0)], "the reference");
    let repairs = bench.found("repairs");
    assert!(repairs.contains(&(HitKind::Claim, claim.0)) && repairs.len() == 2, "{repairs:?}");
    let claim_hit = bench.find("repairs").into_iter().find(|h| h.kind == HitKind::Claim).expect("claim hit");
    assert_eq!((claim_hit.claim, claim_hit.draft_path.as_deref()), (Some(claim), Some("story.txt")));
    let note_hit = bench.find("treasury").into_iter().find(|h| h.kind == HitKind::Note).expect("note hit");
    assert_eq!((note_hit.claim, note_hit.draft), (Some(claim), Some(bench.draft("story.txt"))));

    for secret in ["Quetzalcoatl", "Okonkwo", "quetzal", "example.org", "dismissal", "zanzibarite", "Whistleblower"] {
        assert!(bench.found(secret).is_empty(), "{secret} must not be found");
    }
    // Nor is it anywhere in the index's own tables.
    let indexed = bench.indexed_text();
    let lowered: Vec<String> = indexed.iter().map(|b| b.to_lowercase()).collect();
    assert!(lowered.iter().all(|b| !b.contains("quetzalcoatl") && !b.contains("zanzibarite")), "{indexed:?}");
    // A private note made public is found; made private again, it leaves.
    bench.review.set_note_private(private, false).expect("public");
    assert_eq!(bench.found("zanzibarite"), vec![(HitKind::Note, private.0)]);
    bench.review.set_note_private(private, true).expect("private");
    assert!(bench.found("zanzibarite").is_empty());
    bench.index_is_exact();
}

#[test]
fn the_index_follows_saves_removals_and_restores() {
    let bench = Bench::new();
    let claim = bench.claim("The mayor said the plant would reopen in May.");
    let note = bench.review.add_note(NoteTarget::Claim(claim), "Check with the mayor's office", None).expect("note");
    let evidence = bench
        .review
        .add_evidence(
            claim,
            &NewEvidence::supporting(EvidenceKind::Url, "https://city.example/pr", "Mayoral press release", true),
        )
        .expect("evidence");
    assert_eq!(bench.found("office"), vec![(HitKind::Note, note.0)]);

    // Removing the claim takes its note and evidence out of the index; restoring brings all back.
    bench.review.remove_claim(claim).expect("remove");
    assert!(bench.found("reopen").iter().all(|(kind, _)| *kind == HitKind::Draft));
    assert!(bench.found("office").is_empty());
    assert!(bench.found("press").is_empty());
    bench.index_is_exact();
    bench.review.restore_claim(claim).expect("restore");
    assert!(bench.found("reopen").contains(&(HitKind::Claim, claim.0)));
    assert_eq!(bench.found("office"), vec![(HitKind::Note, note.0)]);
    assert_eq!(bench.found("press"), vec![(HitKind::Evidence, evidence.0)]);

    bench.review.edit_note(note, "Call the city hall").expect("edit");
    assert!(bench.found("office").is_empty());
    assert_eq!(bench.found("hall"), vec![(HitKind::Note, note.0)]);
    bench.review.remove_note(note).expect("remove note");
    assert!(bench.found("hall").is_empty());
    bench.review.restore_note(note).expect("restore note");
    assert_eq!(bench.found("hall"), vec![(HitKind::Note, note.0)]);
    bench.review.remove_evidence(evidence).expect("remove evidence");
    assert!(bench.found("press").is_empty());
    bench.review.restore_evidence(evidence).expect("restore evidence");
    assert_eq!(bench.found("press"), vec![(HitKind::Evidence, evidence.0)]);

    let source = bench
        .review
        .add_source(
            bench.desk.id(),
            &NewSource {
                descriptor: "a city engineer".into(),
                kind: SourceKind::NamedPerson,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    bench
        .review
        .update_source(
            source,
            &SourceUpdate { descriptor: Some("the city's chief engineer".into()), ..SourceUpdate::default() },
        )
        .expect("rename");
    assert_eq!(bench.found("chief"), vec![(HitKind::Source, source.0)]);
    bench.review.remove_source(source, false).expect("remove source");
    assert!(bench.found("chief").is_empty());
    bench.review.restore_source(source).expect("restore source");
    assert_eq!(bench.found("chief"), vec![(HitKind::Source, source.0)]);

    // The writer saves: the old words leave with the old version, the new ones are found.
    let story = bench.draft("story.txt").0;
    std::fs::write(bench.folder().join("story.txt"), STORY.replace("Tuesday", "Wednesday")).expect("save");
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("rescan");
    assert!(bench.found("tuesday").is_empty());
    assert_eq!(bench.found("wednesday"), vec![(HitKind::Draft, story)]);
    // The claim moved to other text is found by its new quote only.
    let quote =
        TextQuoteSelector { exact: "Six workers were injured".into(), prefix: String::new(), suffix: String::new() };
    bench.review.move_claim(claim, &quote).expect("move");
    assert!(!bench.found("reopen").contains(&(HitKind::Claim, claim.0)));
    assert!(bench.found("workers").contains(&(HitKind::Claim, claim.0)));
    bench.index_is_exact();
}

#[test]
fn filters_narrow_by_kind_status_attribution_workflow_draft_and_date() {
    let bench = Bench::new();
    let injured = bench.claim("Six workers were injured on Tuesday, a senior plant manager said.");
    let cost = bench.claim("The repairs will cost $1.2bn, according to the ministry's figures.");
    bench.review.set_status(cost, ClaimStatus::Disputed).expect("status");
    bench.review.add_note(NoteTarget::Claim(cost), "plant owners dispute the cost", None).expect("note");
    let named = bench
        .review
        .add_source(
            bench.desk.id(),
            &NewSource {
                descriptor: "the plant's owner".into(),
                kind: SourceKind::NamedPerson,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    bench.review.link_source(injured, named, SourceRole::Attributed).expect("link");
    let story = bench.draft("story.txt");

    let kinds = |query: &SearchQuery| -> Vec<(HitKind, i64)> {
        let mut found: Vec<_> = bench.search(query).iter().map(|h| (h.kind, h.id)).collect();
        found.sort();
        found
    };
    let plant = SearchQuery::new("plant");
    assert_eq!(
        kinds(&plant),
        vec![(HitKind::Draft, story.0), (HitKind::Claim, injured.0), (HitKind::Note, 1), (HitKind::Source, named.0)],
        "the draft, a claim, the note and the source say plant"
    );
    assert_eq!(kinds(&SearchQuery { kinds: vec![HitKind::Source], ..plant.clone() }), vec![(HitKind::Source, named.0)]);
    assert_eq!(
        kinds(&SearchQuery { claim_statuses: vec![ClaimStatus::Disputed], ..plant.clone() }),
        vec![(HitKind::Note, 1)],
        "a status filter keeps what hangs from claims with that status"
    );
    let workers = SearchQuery::new("workers OR repairs");
    assert!(kinds(&workers).is_empty(), "OR is a word, and no text says it");
    let claims = SearchQuery { kinds: vec![HitKind::Claim], ..SearchQuery::new("s*") };
    assert_eq!(kinds(&claims), vec![(HitKind::Claim, injured.0), (HitKind::Claim, cost.0)]);
    assert_eq!(
        kinds(&SearchQuery { claim_statuses: vec![ClaimStatus::NeedsCorroboration], ..claims.clone() }),
        vec![(HitKind::Claim, injured.0)]
    );
    assert_eq!(
        kinds(&SearchQuery { attributions: vec![AttributedTo::Named], ..claims.clone() }),
        vec![(HitKind::Claim, injured.0)],
        "attributed to the named owner by its linked source"
    );
    // The other claim's attribution is read from its wording: the filter gives the inspector's answer.
    let wording = bench.review.claim(cost).expect("claim").attribution.kind;
    assert_ne!(wording, AttributedTo::Named);
    assert_eq!(kinds(&SearchQuery { attributions: vec![wording], ..claims.clone() }), vec![(HitKind::Claim, cost.0)]);
    assert!(kinds(&SearchQuery { attributions: vec![AttributedTo::SocialMedia], ..claims.clone() }).is_empty());

    let said = SearchQuery::new("said");
    let in_story = vec![(HitKind::Draft, story.0), (HitKind::Claim, injured.0)];
    assert_eq!(kinds(&SearchQuery { draft: Some(story), ..said.clone() }), in_story);
    bench.review.set_draft_status(story, DraftStatus::NeedsWork, None).expect("needs work");
    assert_eq!(kinds(&SearchQuery { workflow: vec![DraftStatus::NeedsWork], ..said.clone() }), in_story);
    assert_eq!(
        kinds(&SearchQuery { workflow: vec![DraftStatus::InReview], ..said.clone() }),
        vec![(HitKind::Draft, bench.draft("other.txt").0)],
        "a draft nobody moved is in review"
    );
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().expect("a day before");
    assert_eq!(kinds(&SearchQuery { since: Some(today), until: Some(today), ..said.clone() }).len(), 3);
    assert!(kinds(&SearchQuery { until: Some(yesterday), ..said.clone() }).is_empty());
    assert!(kinds(&SearchQuery { since: today.succ_opt(), ..said.clone() }).is_empty());
    assert!(matches!(
        bench.review.search(bench.desk.id(), &SearchQuery { since: Some(today), until: Some(yesterday), ..said }),
        Err(SearchError::BackwardsDates { .. })
    ));
    assert!(matches!(bench.review.search(bench.desk.id(), &SearchQuery::new(" -- ")), Err(SearchError::EmptyQuery)));
}

#[test]
fn a_limit_keeps_the_best_hits_first() {
    let bench = Bench::new();
    let hits = bench.search(&SearchQuery { limit: Some(1), ..SearchQuery::new("said") });
    assert_eq!(hits.len(), 1);
    let all = bench.find("said");
    assert_eq!(all.len(), 2);
    assert!(all[0].score >= all[1].score);
    assert_eq!(hits[0].id, all[0].id);
    assert_eq!(hits[0].passage.map(|p: Span| p.end - p.start), Some(4));
}

#[test]
fn the_index_check_fails_when_the_index_no_longer_matches_the_text() {
    let bench = Bench::new();
    bench.index_is_exact();
    // A version's text changed behind Factdesk's back (versions are never edited in place), so the
    // index no longer holds its words: the check must say so on either engine.
    let tamper = "UPDATE draft_versions SET text = 'words the index never saw'";
    let path = bench.tmp.path().join("f.db");
    if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(&path);
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect by hand");
        client.batch_execute(tamper).expect("tamper");
    } else {
        rusqlite::Connection::open(path).expect("open").execute_batch(tamper).expect("tamper");
    }
    assert!(factdesk_core::search::check_index(&lock(&bench.store)).is_err());
}

/// The best drafts are ranked before the filters apply (see
/// `Store::search_draft_hits`): when the filters leave out every draft of
/// the first ranked window, the window widens until one is kept.
#[test]
fn a_filter_that_leaves_out_the_best_ranked_drafts_still_finds_the_others() {
    let bench = Bench::new();
    let folder = bench.folder();
    for n in 0..150 {
        std::fs::write(folder.join(format!("harbour-{n:03}.txt")), "Harbour\n\nThe harbour, the harbour, the harbour.")
            .expect("write");
    }
    let long = format!("Budget\n\n{} The harbour is mentioned once.", "The council met again. ".repeat(40));
    std::fs::write(folder.join("zz-budget.txt"), long).expect("write");
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let budget = bench.draft("zz-budget.txt");
    bench.review.set_draft_status(budget, DraftStatus::NeedsWork, None).expect("needs work");

    let harbour = SearchQuery { limit: Some(1), ..SearchQuery::new("harbour") };
    let best = bench.search(&harbour);
    assert_eq!(best.len(), 1);
    assert_ne!(best[0].draft, Some(budget), "the short drafts say it three times: they rank first");
    let filtered = bench.search(&SearchQuery { workflow: vec![DraftStatus::NeedsWork], ..harbour.clone() });
    assert_eq!(filtered.iter().map(|h| h.draft).collect::<Vec<_>>(), vec![Some(budget)]);
    assert_eq!(highlighted(&filtered[0]), vec!["harbour"]);
    assert_eq!(bench.search(&SearchQuery { limit: None, ..harbour }).len(), 50);
}

#[test]
fn the_assignee_filter_keeps_what_is_assigned_to_that_person() {
    let bench = Bench::new();
    let injured = bench.claim("Six workers were injured on Tuesday, a senior plant manager said.");
    let cost = bench.claim("The repairs will cost $1.2bn, according to the ministry's figures.");
    bench.review.add_note(NoteTarget::Claim(cost), "plant owners dispute the cost", None).expect("note");
    bench.review.assign(AssignmentTarget::Claim(cost), "ben", None).expect("assign the claim");
    bench.review.assign(AssignmentTarget::Claim(injured), "carol", None).expect("assign the other");
    let other = bench.draft("other.txt");
    bench.review.assign(AssignmentTarget::Draft(other), "ben", None).expect("assign a draft");

    let kinds = |query: &SearchQuery| -> Vec<(HitKind, i64)> {
        let mut found: Vec<_> = bench.search(query).iter().map(|h| (h.kind, h.id)).collect();
        found.sort();
        found
    };
    let for_ben = |text: &str| SearchQuery { assignee: Some(" ben ".into()), ..SearchQuery::new(text) };
    assert_eq!(kinds(&for_ben("plant")), vec![(HitKind::Note, 1)], "the note on Ben's claim, not Carol's claim");
    assert_eq!(kinds(&for_ben("said")), vec![(HitKind::Draft, other.0)], "Ben's draft");
    assert_eq!(kinds(&for_ben("repairs")), vec![(HitKind::Claim, cost.0)]);
    let for_dave = SearchQuery { assignee: Some("dave".into()), ..SearchQuery::new("plant") };
    assert!(kinds(&for_dave).is_empty());
}

/// Regression (issue 13): the replies to a private note were indexed, though a reply is as private as its thread
/// (it may quote or name what the private note said).
#[test]
fn a_reply_to_a_private_note_is_not_indexed_while_its_thread_is_private() {
    let bench = Bench::new();
    let claim = bench.claim("The repairs will cost $1.2bn");
    let thread =
        bench.review.add_private_note(NoteTarget::Claim(claim), "Who tipped us off?", None).expect("private note");
    let reply = bench
        .review
        .add_note(NoteTarget::Claim(claim), "The quartermasterly clerk, again", Some(thread))
        .expect("reply");
    let unseen = |bench: &Bench| {
        assert_eq!(bench.found("quartermasterly"), vec![]);
        assert!(!bench.indexed_text().iter().any(|text| text.contains("quartermasterly")));
        bench.index_is_exact();
    };
    unseen(&bench);
    bench.review.set_note_private(thread, false).expect("public");
    assert_eq!(bench.found("quartermasterly"), vec![(HitKind::Note, reply.0)]);
    bench.index_is_exact();
    bench.review.set_note_private(thread, true).expect("private again");
    unseen(&bench);
    bench.review.remove_claim(claim).expect("remove");
    bench.review.restore_claim(claim).expect("restore");
    unseen(&bench);
}

/// A query matching most drafts of a big desk comes newest first (see
/// `DraftOrder::of` in the store): bm25 would read every draft's positions
/// to rank them by how often they repeat a word in all of them. A query
/// matching few drafts is still ranked by bm25.
#[test]
fn a_query_matching_most_drafts_of_a_big_desk_comes_newest_first() {
    if engine::on_postgres() {
        // A team store ranks by ts_rank_cd whatever the count (see crate::search).
        return;
    }
    let bench = Bench::new();
    let folder = bench.folder();
    let notes = usize::try_from(factdesk_core::store::search::NEWEST_FIRST_MIN_MATCHES).expect("small") + 20;
    for n in 0..notes {
        // The first ten say "filler" three times: bm25 would put them first.
        let body = if n < 10 { "filler filler filler" } else { "one filler among many other words of the note" };
        std::fs::write(folder.join(format!("note-{n:04}.txt")), format!("Note {n}\n\n{body}, harbour {}.", n % 7))
            .expect("write");
    }
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let mut ids: Vec<i64> = (0..notes).map(|n| bench.draft(&format!("note-{n:04}.txt")).0).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));

    let hits = bench.find("filler");
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), ids[..50].to_vec(), "the 50 drafts added last");
    assert!(hits.iter().all(|h| h.score == 0.0 && h.score.is_sign_positive()));
    assert_eq!(highlighted(&hits[0]), vec!["filler"]);
    // A filter that the newest drafts fail still finds older ones.
    let first_ten = bench.draft("note-0003.txt");
    bench.review.set_draft_status(first_ten, DraftStatus::NeedsWork, None).expect("needs work");
    let filtered = bench.search(&SearchQuery { workflow: vec![DraftStatus::NeedsWork], ..SearchQuery::new("filler") });
    assert_eq!(filtered.iter().map(|h| h.draft).collect::<Vec<_>>(), vec![Some(first_ten)]);

    // Fewer than half the drafts: bm25, the drafts saying it three times first.
    let ranked = bench.find("filler harbour 3");
    assert!(ranked.len() > 1 && ranked.iter().all(|h| h.score > 0.0), "{ranked:?}");
    assert_eq!(ranked[0].draft, Some(first_ten), "{:?}", ranked[0].draft_path);
}

/// Whether a query comes newest first is decided on the desk searched: another desk in the same store,
/// where the word is in every one of over a thousand drafts, does not switch this small desk's hits
/// from bm25 to newest first; and that desk's own hits still come newest first.
#[test]
fn the_order_is_decided_by_the_desk_searched_not_the_whole_store() {
    if engine::on_postgres() {
        // A team store ranks by ts_rank_cd whatever the count (see crate::search).
        return;
    }
    let bench = Bench::new();
    let folder = bench.folder();
    std::fs::write(folder.join("repeats.txt"), "Repeats\n\nfiller filler filler, and more filler.").expect("write");
    std::fs::write(folder.join("once.txt"), "Once\n\none filler among many other words here.").expect("write");
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");

    let crowded = bench.tmp.path().join("crowded");
    std::fs::create_dir(&crowded).expect("mkdir");
    let notes = usize::try_from(factdesk_core::store::search::NEWEST_FIRST_MIN_MATCHES).expect("small") + 20;
    for n in 0..notes {
        std::fs::write(crowded.join(format!("note-{n:04}.txt")), format!("Note {n}\n\na filler in each."))
            .expect("write");
    }
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let other = Desk::open(bench.store.clone(), &crowded, clock).expect("another desk in the same store");
    other.scan(&mut |_| {}, &mut |_| {}).expect("scan");

    let mine = bench.find("filler");
    assert_eq!(mine.len(), 2, "only this desk's drafts: {mine:?}");
    assert!(mine.iter().all(|h| h.score > 0.0), "ranked by bm25, not newest first: {mine:?}");
    assert_eq!(mine[0].draft, Some(bench.draft("repeats.txt")), "{:?}", mine[0].draft_path);

    let theirs = bench.review.search(other.id(), &SearchQuery::new("filler")).expect("search the other desk");
    let mut newest: Vec<i64> =
        (0..notes).map(|n| other.draft_by_path(&format!("note-{n:04}.txt")).expect("q").expect("draft").id.0).collect();
    newest.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(theirs.iter().map(|h| h.id).collect::<Vec<_>>(), newest[..50].to_vec(), "the other desk: newest first");
    assert!(theirs.iter().all(|h| h.score == 0.0));
}

/// With several desks in one store, whether a query is answered newest first counts the searched desk's drafts
/// that have a text (`DraftOrder::of`): that count must read an index alone (migration 0022), not every draft's
/// row (about 0.9 ms for a desk of 10,000 drafts; 0.2 ms on the index).
#[test]
fn the_count_of_a_desks_drafts_with_a_text_reads_an_index_alone() {
    if engine::on_postgres() {
        // A team store never counts: it ranks by ts_rank_cd whatever the count.
        return;
    }
    let bench = Bench::new();
    let db = rusqlite::Connection::open(bench.tmp.path().join("f.db")).expect("open");
    // The statement `DraftOrder::of` runs, planned by SQLite on the store's schema.
    let plan: Vec<String> = db
        .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM drafts WHERE desk_id = ?1 AND current_version_id IS NOT NULL")
        .expect("plan")
        .query_map([bench.desk.id()], |row| row.get::<_, String>(3))
        .expect("plan")
        .collect::<Result<_, _>>()
        .expect("plan");
    assert!(
        plan.iter().any(|step| step.contains("COVERING INDEX") && step.contains("current_version_id")),
        "the count reads the drafts' rows: {plan:?}"
    );
}
