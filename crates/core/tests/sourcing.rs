//! Sourcing on a real desk and a real SQLite file: the register of sources
//! and its confidential side, claim links, evidence and corroboration, notes,
//! the editor's note, the sourcing rules and the draft's workflow, each
//! change on the audit trail.

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::audit;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rules::RuleId;
use factdesk_core::sourcing::editor_note::EditorNoteOrigin;
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence, Stance};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole, SourceUpdate};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{lock, ClaimId, DeskId, DraftId, SharedStore, SourceId, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The blaze started in a storage building, according to two firefighters.\n\n\
    The owners are reckless people who never cared.\n\n\
    The mayor said the plant would reopen in May.";

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(path)
}

struct Bench {
    _tmp: tempfile::TempDir,
    store: SharedStore,
    desk: Desk,
    review: Review,
}

impl Bench {
    fn with(files: &[(&str, &str)]) -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let folder = tmp.path().join("desk");
        std::fs::create_dir(&folder).expect("mkdir");
        for (name, text) in files {
            std::fs::write(folder.join(name), text).expect("write");
        }
        let store = Store::open(&tmp.path().join("f.db")).expect("store").shared();
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        let review = Review::new(store.clone(), clock, "Ana Editor".into());
        Self { _tmp: tmp, store, desk, review }
    }

    fn story() -> Self {
        Self::with(&[("story.txt", STORY)])
    }

    fn draft(&self, path: &str) -> DraftId {
        self.desk.draft_by_path(path).expect("q").expect("draft").id
    }

    fn claim(&self, exact: &str) -> ClaimId {
        let quote = TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
        self.review.add_claim(self.draft("story.txt"), &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn unnamed(&self, descriptor: &str, confidential: Confidential) -> SourceId {
        self.source(descriptor, SourceKind::Unnamed, Some(confidential))
    }

    fn source(&self, descriptor: &str, kind: SourceKind, confidential: Option<Confidential>) -> SourceId {
        self.review
            .add_source(
                self.desk.id(),
                &NewSource { descriptor: descriptor.into(), kind, notes: String::new(), confidential },
            )
            .expect("source")
    }
}

fn complete() -> Confidential {
    Confidential {
        identity: Some("Jo Smith, shift manager".into()),
        contact: Some("+1 555 0100".into()),
        first_hand: Some(true),
        how_known: Some("was on shift that night".into()),
        anonymity_reason: Some("they fear losing their job".into()),
        editor_knows: Some("M. Editor".into()),
        approved_by: Some("M. Editor".into()),
    }
}

#[test]
fn kinds_roles_and_statuses_parse_case_insensitively_and_list_the_valid_ones() {
    assert_eq!("Named-Person".parse::<SourceKind>().expect("kind"), SourceKind::NamedPerson);
    assert_eq!("PHOTO_VIDEO".parse::<EvidenceKind>().expect("kind"), EvidenceKind::PhotoVideo);
    assert_eq!("Corroborates".parse::<SourceRole>().expect("role"), SourceRole::Corroborates);
    assert_eq!("needs work".parse::<DraftStatus>().expect("status"), DraftStatus::NeedsWork);
    let error = "anonymous".parse::<SourceKind>().expect_err("unknown");
    assert!(error.to_string().contains("unknown source kind \"anonymous\""), "{error}");
    assert!(error.to_string().contains("named-person, unnamed, document"), "{error}");
    assert_eq!(serde_json::to_string(&SourceKind::OfficialStatement).expect("json"), "\"official-statement\"");
}

#[test]
fn the_source_view_never_carries_confidential_content_and_a_reveal_is_audited() {
    let bench = Bench::story();
    let id = bench.unnamed("a senior plant manager", complete());
    let view = bench.review.source(id).expect("view");
    assert_eq!(view.descriptor, "a senior plant manager");
    assert!(view.confidential.identity && view.confidential.editor_knows);
    let json = serde_json::to_string(&bench.review.sources(bench.desk.id()).expect("sources")).expect("json");
    assert!(!json.contains("Jo Smith") && !json.contains("555 0100") && !json.contains("losing their job"), "{json}");
    let trail = serde_json::to_string(&bench.review.audit_trail(None).expect("trail")).expect("json");
    assert!(
        !trail.contains("Jo Smith") && !trail.contains("555 0100"),
        "identities stay out of the audit trail: {trail}"
    );

    let error = bench
        .review
        .update_source(id, &SourceUpdate { kind: Some(SourceKind::NamedPerson), ..SourceUpdate::default() })
        .expect_err("an identity would linger");
    assert!(error.to_string().contains("still has confidential fields"), "{error}");

    let revealed = bench.review.reveal_source(id).expect("reveal");
    assert_eq!(revealed.identity.as_deref(), Some("Jo Smith, shift manager"));
    let last = bench.review.audit_trail(Some(&format!("source:{id}"))).expect("trail").pop().expect("entry");
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("source.reveal", "Ana Editor"));

    // A partial update keeps the other fields; a blank one clears its field.
    let update =
        Confidential { contact: Some("  ".into()), identity: Some("Jo Smith".into()), ..Confidential::default() };
    let view = bench.review.set_confidential(id, &update).expect("update");
    assert!(!view.confidential.contact && view.confidential.how_known);
    assert_eq!(bench.review.reveal_source(id).expect("reveal").identity.as_deref(), Some("Jo Smith"));
}

#[test]
fn bad_source_input_is_refused_and_nothing_is_stored() {
    let bench = Bench::story();
    let desk = bench.desk.id();
    let empty =
        NewSource { descriptor: "  ".into(), kind: SourceKind::Unnamed, notes: String::new(), confidential: None };
    assert!(matches!(bench.review.add_source(desk, &empty), Err(SourcingError::Empty(_))));
    let named_with_identity = NewSource {
        descriptor: "the mayor".into(),
        kind: SourceKind::NamedPerson,
        notes: String::new(),
        confidential: Some(complete()),
    };
    let error = bench.review.add_source(desk, &named_with_identity).expect_err("refused");
    assert!(error.to_string().contains("only an unnamed source"), "{error}");
    assert!(bench.review.add_source(DeskId(999), &NewSource { descriptor: "x".into(), ..empty.clone() }).is_err());
    assert!(bench.review.sources(desk).expect("sources").is_empty());
    assert!(bench.review.audit_trail(None).expect("trail").is_empty());

    let claim = bench.claim("Six workers were injured on Tuesday");
    assert!(matches!(
        bench.review.link_source(claim, SourceId(42), SourceRole::Attributed),
        Err(SourcingError::SourceNotFound(_))
    ));
    let source = bench.source("the mayor", SourceKind::NamedPerson, None);
    assert!(matches!(
        bench.review.link_source(ClaimId(77), source, SourceRole::Attributed),
        Err(SourcingError::ClaimNotFound(_))
    ));
    let renamed = bench
        .review
        .update_source(source, &SourceUpdate { descriptor: Some("Mayor Ann Lee".into()), ..SourceUpdate::default() })
        .expect("update");
    assert_eq!((renamed.descriptor.as_str(), renamed.kind), ("Mayor Ann Lee", SourceKind::NamedPerson));
    assert!(bench
        .review
        .update_source(source, &SourceUpdate { descriptor: Some(String::new()), ..Default::default() })
        .is_err());
}

#[test]
fn a_claim_cannot_cite_another_desks_source() {
    let one = Bench::story();
    let claim = one.claim("Six workers were injured on Tuesday");
    // A second desk in the same database.
    let other_folder = one._tmp.path().join("other");
    std::fs::create_dir(&other_folder).expect("mkdir");
    let other =
        Desk::open(one.store.clone(), &other_folder, Arc::new(FixedClock::new(chrono::Utc::now()))).expect("desk");
    let foreign = one
        .review
        .add_source(
            other.id(),
            &NewSource {
                descriptor: "a clerk".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: None,
            },
        )
        .expect("source");
    let error = one.review.link_source(claim, foreign, SourceRole::Attributed).expect_err("refused");
    assert!(error.to_string().contains("different desks"), "{error}");
    assert!(one.review.claim_sources(claim).expect("links").is_empty());
}

#[test]
fn corroboration_counts_independent_sources_and_evidence_and_the_matrix_shows_it() {
    let bench = Bench::story();
    let injured = bench.claim("Six workers were injured on Tuesday");
    let blaze = bench.claim("The blaze started in a storage building");
    let manager = bench.unnamed("a senior plant manager", complete());
    let firefighters = bench.unnamed("two firefighters", complete());
    let hospital = bench.source("hospital records", SourceKind::PublicRecord, None);

    bench.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    let c = bench.review.corroboration(injured).expect("c");
    assert!(c.attributed_only_to_unnamed && !c.two_source_rule && c.independent_corroborations == 0);

    bench.review.link_source(injured, hospital, SourceRole::Corroborates).expect("link");
    bench
        .review
        .add_evidence(
            injured,
            &NewEvidence::supporting(EvidenceKind::Document, "memo.pdf", "Memo the manager gave us", false),
        )
        .expect("evidence");
    let mut contradicting = NewEvidence::supporting(EvidenceKind::Url, "https://example.org/x", "Says four", true);
    contradicting.stance = Stance::Contradicts;
    contradicting.obtained_at = Some("2026-11-02".into());
    bench.review.add_evidence(injured, &contradicting).expect("evidence");
    let c = bench.review.corroboration(injured).expect("c");
    assert_eq!((c.attributed, c.independent_corroborations, c.dependent_evidence, c.contradicting), (1, 1, 1, 1));
    assert!(c.two_source_rule);

    bench.review.link_source(blaze, firefighters, SourceRole::Attributed).expect("link");
    bench.review.link_source(blaze, manager, SourceRole::Contradicts).expect("link");
    let matrix = bench.review.sourcing_matrix(bench.draft("story.txt")).expect("matrix");
    let ids: Vec<_> = matrix.sources.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![manager, firefighters, hospital]);
    assert_eq!(matrix.rows[0].roles, vec![Some(SourceRole::Attributed), None, Some(SourceRole::Corroborates)]);
    assert_eq!(matrix.rows[1].roles, vec![Some(SourceRole::Contradicts), Some(SourceRole::Attributed), None]);
    assert_eq!(matrix.rows[0].evidence, 2);

    let bad_date = NewEvidence { obtained_at: Some("last Tuesday".into()), ..contradicting.clone() };
    assert!(bench.review.add_evidence(injured, &bad_date).expect_err("date").to_string().contains("not a date"));
    let blank = NewEvidence { summary: " ".into(), ..contradicting };
    assert!(matches!(bench.review.add_evidence(injured, &blank), Err(SourcingError::Empty(_))));
    assert!(matches!(
        bench.review.add_evidence(ClaimId(99), &NewEvidence::supporting(EvidenceKind::Url, "u", "s", true)),
        Err(SourcingError::ClaimNotFound(_))
    ));
    assert_eq!(bench.review.evidence(injured).expect("evidence").len(), 2);
}

#[test]
fn note_threads_keep_their_history_and_resolve_as_a_whole() {
    let bench = Bench::story();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let draft = bench.draft("story.txt");
    let first = bench.review.add_note(NoteTarget::Claim(claim), "Who counted six?", None).expect("note");
    let reply = bench.review.add_note(NoteTarget::Claim(claim), "The hospital did.", Some(first)).expect("reply");
    bench.review.add_note(NoteTarget::Draft(draft), "Headline needs work.", None).expect("note");
    assert!(bench.review.add_note(NoteTarget::Draft(draft), "wrong thread", Some(first)).is_err());
    assert!(matches!(bench.review.add_note(NoteTarget::Claim(claim), "", None), Err(SourcingError::Empty(_))));
    assert!(bench.review.add_note(NoteTarget::Claim(ClaimId(123)), "x", None).is_err());

    let edited = bench.review.edit_note(reply, "The county hospital did.").expect("edit");
    assert_eq!(edited.text, "The county hospital did.");
    assert_eq!(edited.history.len(), 1);
    assert_eq!(edited.history[0].text, "The hospital did.");
    assert_eq!(edited.history[0].edited_by, "Ana Editor");

    let resolved = bench.review.resolve_note(reply).expect("resolve through a reply");
    assert_eq!((resolved.id, resolved.resolved_by.as_deref()), (first, Some("Ana Editor")));
    assert!(matches!(bench.review.resolve_note(first), Err(SourcingError::AlreadyResolved(_))));
    let reopened = bench.review.reopen_note(first).expect("reopen");
    assert!(reopened.resolved_at.is_none());
    assert!(matches!(bench.review.reopen_note(first), Err(SourcingError::NotResolved(_))));

    let thread = bench.review.notes(NoteTarget::Claim(claim)).expect("notes");
    assert_eq!(thread.iter().map(|n| n.id).collect::<Vec<_>>(), vec![first, reply]);
    assert_eq!(thread[1].reply_to, Some(first));
    assert_eq!(bench.review.notes(NoteTarget::Draft(draft)).expect("notes").len(), 1);
    let actions: Vec<String> = bench.review.audit_trail(None).expect("trail").into_iter().map(|e| e.action).collect();
    for action in ["note.add", "note.edit", "note.resolve", "note.reopen"] {
        assert!(actions.iter().any(|a| a == action), "{action} not audited: {actions:?}");
    }
}

#[test]
fn the_seed_drafts_editors_note_is_recognised_until_the_reviewer_saves_one() {
    let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("seed draft");
    let bench = Bench::with(&[("kabul.txt", &kabul), ("story.txt", STORY)]);
    let draft = bench.draft("kabul.txt");
    let note = bench.review.editor_note(draft).expect("note");
    assert_eq!(note.origin, EditorNoteOrigin::FromDraft);
    let text = note.text.expect("text");
    assert!(text.starts_with("Editor’s Note: Sources for this report have not been named"), "{text}");
    assert_eq!(bench.review.editor_note(bench.draft("story.txt")).expect("note").origin, EditorNoteOrigin::None);

    let saved = bench.review.save_editor_note(draft, "Editor's Note: Our own words.").expect("save");
    assert_eq!((saved.origin, saved.saved_by.as_deref()), (EditorNoteOrigin::Saved, Some("Ana Editor")));
    assert_eq!(bench.review.editor_note(draft).expect("note").text.as_deref(), Some("Editor's Note: Our own words."));
    assert!(matches!(bench.review.save_editor_note(draft, "   "), Err(SourcingError::Empty(_))));
    let entry = bench.review.audit_trail(Some(&format!("draft:{draft}"))).expect("trail").pop().expect("entry");
    assert_eq!(entry.action, "editor-note.save");
    assert!(entry.before.as_deref().unwrap_or_default().contains("from-draft"), "{entry:?}");
}

#[test]
fn a_proposed_editors_note_says_why_sources_were_unnamed_and_what_was_not_verified() {
    let bench = Bench::story();
    let injured = bench.claim("Six workers were injured on Tuesday");
    let manager = bench.unnamed("a senior plant manager", complete());
    bench.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    let proposal = bench.review.propose_editor_note(bench.draft("story.txt")).expect("propose");
    assert!(proposal.starts_with("Editor's Note: This report relies on one source who is not named."), "{proposal}");
    assert!(proposal.contains("Reason for anonymity: they fear losing their job."), "{proposal}");
    assert!(proposal.contains("The editors know the source's identity."), "{proposal}");
    assert!(proposal.contains("One claim in this report could not be independently verified"), "{proposal}");
    assert!(!proposal.contains("Jo Smith"), "never the identity: {proposal}");
    assert_eq!(bench.review.editor_note(bench.draft("story.txt")).expect("note").origin, EditorNoteOrigin::None);
}

#[test]
fn the_rules_list_what_is_missing_and_ready_needs_them_met_or_overridden() {
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    let reckless = bench.claim("The owners are reckless people who never cared.");
    let mayor_claim = bench.claim("The mayor said the plant would reopen in May.");
    let manager = bench.unnamed("a senior plant manager", Confidential::default());
    let mayor = bench.source("the mayor", SourceKind::NamedPerson, None);
    bench.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    bench.review.link_source(reckless, manager, SourceRole::Attributed).expect("link");
    bench.review.link_source(mayor_claim, mayor, SourceRole::Attributed).expect("link");
    bench.review.set_opinion(reckless, true).expect("opinion");
    bench.review.set_status(mayor_claim, ClaimStatus::Corroborated).expect("status");

    let findings = bench.review.check(draft).expect("check");
    let found: Vec<(RuleId, Option<ClaimId>, Option<SourceId>)> =
        findings.iter().map(|f| (f.rule, f.claim, f.source)).collect();
    assert_eq!(
        found,
        vec![
            (RuleId::UnresolvedClaim, Some(injured), None),
            (RuleId::UnresolvedClaim, Some(reckless), None),
            (RuleId::UnnamedNeedsTwoCorroborations, Some(injured), None),
            (RuleId::UnnamedNeedsTwoCorroborations, Some(reckless), None),
            (RuleId::UnnamedSourceIncomplete, None, Some(manager)),
            (RuleId::EditorNoteRequired, None, None),
            (RuleId::AnonymityForOpinion, Some(reckless), None),
        ]
    );
    assert!(findings[4].message.contains("the reason for anonymity, how it knows, the editor who knows its identity"));
    assert!(findings.iter().all(|f| !f.overridden));

    // Fixing things makes findings go away.
    bench.review.set_confidential(manager, &complete()).expect("confidential");
    bench.review.save_editor_note(draft, "Editor's Note: one source was not named.").expect("note");
    bench.review.set_opinion(reckless, false).expect("not opinion");
    let rules: Vec<RuleId> = bench.review.check(draft).expect("check").iter().map(|f| f.rule).collect();
    assert!(!rules.contains(&RuleId::UnnamedSourceIncomplete) && !rules.contains(&RuleId::EditorNoteRequired));
    assert!(!rules.contains(&RuleId::AnonymityForOpinion));

    // An attack on a person gets no anonymity either.
    bench.review.set_personal_attack(reckless, true).expect("attack");
    assert!(bench.review.is_personal_attack(reckless).expect("mark"));
    let attack = bench.review.check(draft).expect("check");
    let finding = attack.iter().find(|f| f.rule == RuleId::AnonymityForOpinion).expect("the attack is found");
    assert!(finding.message.contains("an attack on a person"), "{}", finding.message);
    bench.review.set_personal_attack(reckless, false).expect("not an attack");
    assert!(bench.review.audit_trail(None).expect("trail").iter().any(|e| e.action == "claim.personal-attack"));

    // Ready is refused with the findings, then allowed with an override.
    let error = bench.review.set_draft_status(draft, DraftStatus::Ready, None).expect_err("refused");
    let SourcingError::RulesFail(open) = &error else { panic!("{error}") };
    assert_eq!(open.len(), 4);
    assert!(error.to_string().contains("[unresolved-claim]"), "{error}");
    assert_eq!(bench.review.draft_status(draft).expect("status").status, DraftStatus::InReview);
    assert!(bench.review.set_draft_status(draft, DraftStatus::Ready, Some("  ")).is_err());
    let change = bench
        .review
        .set_draft_status(draft, DraftStatus::Ready, Some("Publisher approved: public interest"))
        .expect("ready");
    assert_eq!(change.status.status, DraftStatus::Ready);
    assert_eq!(change.overridden.len(), 4);
    let findings = bench.review.check(draft).expect("check");
    assert!(findings.iter().all(|f| f.overridden));
    let record = findings[0].override_record.clone().expect("override");
    assert_eq!((record.reason.as_str(), record.by.as_str()), ("Publisher approved: public interest", "Ana Editor"));

    // The workflow only goes where it may.
    let error = bench.review.set_draft_status(draft, DraftStatus::Updated, None).expect_err("not published yet");
    assert!(error.to_string().contains("from ready it can go to in-review, needs-work, published"), "{error}");
    bench.review.set_draft_status(draft, DraftStatus::Published, None).expect("publish");
    bench.review.set_draft_status(draft, DraftStatus::Updated, None).expect("update");
    assert!(bench.review.set_draft_status(draft, DraftStatus::InReview, None).is_err());
    let actions: Vec<String> = bench
        .review
        .audit_trail(Some(&format!("draft:{draft}")))
        .expect("trail")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, vec!["editor-note.save", "rules.override", "draft.status", "draft.status", "draft.status"]);
}

#[test]
fn a_single_finding_can_be_overridden_and_a_stale_one_cannot() {
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    let findings = bench.review.check(draft).expect("check");
    assert_eq!(findings.len(), 1);
    bench.review.override_findings(draft, "Confirmed by phone with the hospital", &findings).expect("override");
    assert!(bench.review.check(draft).expect("check")[0].overridden);
    bench.review.set_status(injured, ClaimStatus::Corroborated).expect("status");
    assert!(bench.review.check(draft).expect("check").is_empty());
    assert!(bench.review.override_findings(draft, "again", &findings).is_err(), "the finding is gone");
    bench.review.set_draft_status(draft, DraftStatus::Ready, None).expect("ready without findings");
}

#[test]
fn every_change_is_on_an_intact_audit_chain_and_tampering_names_the_entry() {
    let bench = Bench::story();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.set_status(claim, ClaimStatus::Disputed).expect("status");
    let source = bench.unnamed("a senior plant manager", complete());
    bench.review.link_source(claim, source, SourceRole::Attributed).expect("link");
    bench
        .review
        .add_evidence(claim, &NewEvidence::supporting(EvidenceKind::Url, "https://e.org", "page", true))
        .expect("ev");
    bench.review.resolve(claim, &factdesk_core::review::AnchorResolution::Accept).expect("place");
    let trail = bench.review.audit_trail(None).expect("trail");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["claim.add", "claim.status", "source.add", "claim.link", "evidence.add", "claim.place"]);
    assert_eq!(trail[1].before.as_deref(), Some(r#"{"status":"needs-corroboration"}"#));
    assert_eq!(trail[1].after.as_deref(), Some(r#"{"status":"disputed"}"#));
    assert_eq!(trail[0].prev_hash, audit::GENESIS_HASH);
    assert!(trail.windows(2).all(|pair| pair[1].prev_hash == pair[0].hash));
    let report = bench.review.verify_audit().expect("verify");
    assert_eq!((report.entries, report.broken, report.beyond_head), (6, None, 0));
    assert_eq!(report.head.map(|h| h.seq), Some(6), "the head file follows the newest entry");
    assert!(report.disagreements.is_empty(), "{:?}", report.disagreements);

    lock(&bench.store)
        .execute_raw_for_tests(r#"UPDATE audit_log SET after = '{"status":"corroborated"}' WHERE seq = 2"#)
        .expect("tamper");
    let report = bench.review.verify_audit().expect("verify");
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, 2);
    assert!(broken.reason.contains("does not match its hash"), "{}", broken.reason);
}

#[test]
fn a_removed_or_relinked_audit_entry_is_found() {
    let bench = Bench::story();
    let claim = bench.claim("Six workers were injured on Tuesday");
    for status in [ClaimStatus::Disputed, ClaimStatus::Corroborated, ClaimStatus::Cleared] {
        bench.review.set_status(claim, status).expect("status");
    }
    lock(&bench.store).execute_raw_for_tests("DELETE FROM audit_log WHERE seq = 2").expect("delete");
    let broken = bench.review.verify_audit().expect("verify").broken.expect("broken");
    assert_eq!(broken.seq, 3);
    assert!(broken.reason.contains("entry 2 is missing"), "{}", broken.reason);
}
