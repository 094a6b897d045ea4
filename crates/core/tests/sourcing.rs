//! Sourcing on a real desk and a real SQLite file: the register of sources
//! and its confidential side, claim links, evidence and corroboration, notes,
//! the editor's note, the sourcing rules and the draft's workflow, each
//! change on the audit trail.

mod engine;

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
use factdesk_core::store::{lock, ClaimId, DeskId, DraftId, SharedStore, SourceId};
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
        let engine::ScannedDesk { tmp, store, desk, review, .. } = engine::ScannedDesk::new(files, chrono::Utc::now());
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
    // An unnamed source does not vouch for itself: one independent corroboration of the two needed.
    assert!(!c.two_source_rule && c.blocks_ready, "{c:?}");
    assert_eq!(c.needed, 2);
    assert_eq!(
        c.verdict,
        "Two-source rule not met: attributed only to unnamed sources and has 1 independent corroboration of the 2 needed"
    );
    let finding = bench.review.check(bench.draft("story.txt")).expect("check");
    let finding =
        finding.iter().find(|f| f.claim == Some(injured) && f.rule.as_str() == "unnamed-needs-two-corroborations");
    assert!(finding.is_some_and(|f| f.message.ends_with(c.shortfall().as_str())), "{finding:?}");
    bench
        .review
        .add_evidence(injured, &NewEvidence::supporting(EvidenceKind::PhotoVideo, "p.jpg", "Photo of the ward", true))
        .expect("evidence");
    let c = bench.review.corroboration(injured).expect("c");
    assert!(c.two_source_rule && !c.blocks_ready && c.verdict == "Two-source rule met", "{c:?}");

    bench.review.link_source(blaze, firefighters, SourceRole::Attributed).expect("link");
    bench.review.link_source(blaze, manager, SourceRole::Contradicts).expect("link");
    let matrix = bench.review.sourcing_matrix(bench.draft("story.txt")).expect("matrix");
    let ids: Vec<_> = matrix.sources.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![manager, firefighters, hospital]);
    assert_eq!(matrix.rows[0].roles, vec![Some(SourceRole::Attributed), None, Some(SourceRole::Corroborates)]);
    assert_eq!(matrix.rows[1].roles, vec![Some(SourceRole::Contradicts), Some(SourceRole::Attributed), None]);
    assert_eq!(matrix.rows[0].evidence, 3);
    assert_eq!(matrix.rows[0].corroboration, c);

    let bad_date = NewEvidence { obtained_at: Some("last Tuesday".into()), ..contradicting.clone() };
    assert!(bench.review.add_evidence(injured, &bad_date).expect_err("date").to_string().contains("not a date"));
    let blank = NewEvidence { summary: " ".into(), ..contradicting };
    assert!(matches!(bench.review.add_evidence(injured, &blank), Err(SourcingError::Empty(_))));
    assert!(matches!(
        bench.review.add_evidence(ClaimId(99), &NewEvidence::supporting(EvidenceKind::Url, "u", "s", true)),
        Err(SourcingError::ClaimNotFound(_))
    ));
    assert_eq!(bench.review.evidence(injured).expect("evidence").len(), 3);
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
    assert!(
        proposal.starts_with("Editor's Note: This report relies on one source who is not named (\u{201c}a senior plant manager\u{201d}); two statements in it are attributed to people who are not named."),
        "{proposal}"
    );
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
    // Each finding by the rule's name, then its id (what `check --json` gives).
    assert!(error.to_string().contains("\n  - Unresolved claim (unresolved-claim): claim "), "{error}");
    assert!(!error.to_string().contains("[unresolved-claim]"), "{error}");
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
    if !engine::on_postgres() {
        // A team store has no head file: the server keeps the trail.
        assert_eq!(report.head.map(|h| h.seq), Some(6), "the head file follows the newest entry");
    }
    assert!(report.disagreements.is_empty(), "{:?}", report.disagreements);

    lock(&bench.store)
        .execute_raw_for_tests(r#"UPDATE audit_log SET after = '{"status":"corroborated"}' WHERE seq = 2"#)
        .expect("tamper");
    let report = bench.review.verify_audit().expect("verify");
    let broken = report.broken.expect("broken");
    assert_eq!(broken.seq, Some(2));
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
    assert_eq!(broken.seq, Some(3));
    assert!(broken.reason.contains("entry 2 is missing"), "{}", broken.reason);
}

#[test]
fn a_ready_draft_whose_claims_change_on_disk_goes_back_to_needs_work_with_the_reason() {
    use factdesk_core::audit::SYSTEM_ACTOR;
    use factdesk_core::sourcing::workflow::TextChangeKind;
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    let blaze = bench.claim("The blaze started in a storage building");
    for claim in [injured, blaze] {
        bench.review.set_status(claim, ClaimStatus::Corroborated).expect("status");
    }
    let ready = bench.review.set_draft_status(draft, DraftStatus::Ready, Some("checked by phone")).expect("ready");
    assert_eq!(ready.status.changed_since_ready, None);
    let overview = bench.review.desk_overview(bench.desk.id()).expect("overview");
    assert_eq!(overview.len(), 1);
    assert_eq!((overview[0].status, overview[0].changed_since_ready), (DraftStatus::Ready, false));
    assert_eq!((overview[0].claims.total, overview[0].claims.corroborated), (2, 2));

    // An edit elsewhere that touches no claim changes nothing.
    let path = bench.desk.root().join("story.txt");
    std::fs::write(&path, STORY.replace("Fire at the plant", "Fire at the old plant")).expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!((status.status, status.changed_since_ready), (DraftStatus::Ready, None));

    // The writer rewords one claim and deletes the other's sentence.
    let edited = STORY
        .replace("Six workers were injured on Tuesday", "Six workers were badly injured on Tuesday")
        .replace("The blaze started in a storage building, according to two firefighters.\n\n", "");
    std::fs::write(&path, &edited).expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!(status.status, DraftStatus::NeedsWork, "{status:?}");
    assert_eq!(status.changed_by.as_deref(), Some(SYSTEM_ACTOR));
    let changed = status.changed_since_ready.expect("changed since ready");
    assert!(changed.reopened && changed.status_was == DraftStatus::Ready);
    let kinds: Vec<(TextChangeKind, Option<ClaimId>)> = changed.changes.iter().map(|c| (c.kind, c.claim)).collect();
    assert!(kinds.contains(&(TextChangeKind::ClaimEdited, Some(injured))), "{kinds:?}");
    assert!(kinds.contains(&(TextChangeKind::ClaimOrphaned, Some(blaze))), "{kinds:?}");
    assert!(changed.reason.contains("is no longer in the text"), "{}", changed.reason);
    // The rules ran again on the text as it is now.
    assert_eq!(changed.findings, bench.review.check(draft).expect("check"));
    let finding = changed.findings.iter().find(|f| f.rule == RuleId::ChangedSinceReady).expect("the rule reports it");
    assert_eq!((finding.message.as_str(), finding.overridden), (changed.reason.as_str(), false));
    let refused = bench.review.override_findings(draft, "fine", std::slice::from_ref(finding)).expect_err("refused");
    assert!(refused.to_string().contains("mark the draft ready again"), "{refused}");

    // On the audit trail, by the system, with the reason; the chain holds.
    let trail = bench.review.audit_trail(Some(&format!("draft:{draft}"))).expect("trail");
    let last = trail.last().expect("entry");
    assert_eq!((last.actor.as_str(), last.action.as_str()), (engine::recorded_as(SYSTEM_ACTOR), "draft.status"));
    assert!(last.after.as_deref().is_some_and(|a| a.contains("needs-work") && a.contains("no longer in the text")));
    assert_eq!(bench.review.verify_audit().expect("verify").broken, None);
    let overview = bench.review.desk_overview(bench.desk.id()).expect("overview");
    assert_eq!((overview[0].status, overview[0].changed_since_ready), (DraftStatus::NeedsWork, true));
    assert_eq!(overview[0].change_reason.as_deref(), Some(changed.reason.as_str()));

    // Listing again does not record it twice.
    bench.review.claims(draft).expect("claims");
    assert_eq!(bench.review.audit_trail(Some(&format!("draft:{draft}"))).expect("trail").len(), trail.len());

    // Marked ready again by a reviewer: the mark is cleared.
    let again =
        bench.review.set_draft_status(draft, DraftStatus::Ready, Some("orphan kept on purpose")).expect("ready");
    assert_eq!(again.status.changed_since_ready, None);
    assert!(!bench.review.check(draft).expect("check").iter().any(|f| f.rule == RuleId::ChangedSinceReady));

    // With the desk's setting off, a change only marks the draft.
    assert!(bench.review.reopens_when_changed(bench.desk.id()).expect("setting"));
    bench.review.set_reopens_when_changed(bench.desk.id(), false).expect("setting");
    std::fs::write(&path, edited.replace("badly injured", "seriously injured")).expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!(status.status, DraftStatus::Ready);
    let changed = status.changed_since_ready.expect("marked");
    assert!(!changed.reopened);
    assert_eq!(changed.changes.iter().map(|c| c.claim).collect::<Vec<_>>(), vec![Some(injured)]);
    let last = bench.review.audit_trail(Some(&format!("draft:{draft}"))).expect("trail");
    assert_eq!(last.last().map(|e| e.action.as_str()), Some("draft.changed-since-ready"));
}

#[test]
fn a_draft_sent_back_by_an_edit_shows_its_findings_open_again_and_keeps_the_override_as_history() {
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    let refused = bench.review.set_draft_status(draft, DraftStatus::Ready, None).expect_err("a claim is open");
    assert!(matches!(refused, SourcingError::RulesFail(_)), "{refused}");
    let ready =
        bench.review.set_draft_status(draft, DraftStatus::Ready, Some("the desk checked by phone")).expect("ready");
    let override_id = ready.override_id.expect("an override covers the open claim");
    let covered = |findings: &[factdesk_core::rules::Finding]| {
        findings
            .iter()
            .find(|f| f.rule == RuleId::UnresolvedClaim && f.claim == Some(injured))
            .cloned()
            .expect("finding")
    };
    let before = covered(&bench.review.check(draft).expect("check"));
    assert!(before.message.ends_with("still needs corroboration"), "in words, not a key: {}", before.message);
    assert!(before.overridden && before.override_record.as_ref().is_some_and(|o| o.id == override_id));

    // The writer rewords the claim: the draft goes back, and what was overridden for the ready move is open again.
    let path = bench.desk.root().join("story.txt");
    std::fs::write(&path, STORY.replace("Six workers were injured", "Six workers were badly injured")).expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!(status.status, DraftStatus::NeedsWork);
    let after = covered(&bench.review.check(draft).expect("check"));
    assert!(!after.overridden && after.override_record.is_none(), "{after:?}");
    let shown = status.changed_since_ready.expect("changed since ready");
    assert!(!covered(&shown.findings).overridden, "Draft review shows the same open finding");

    // The override stays in the history, and the trail says it lapsed.
    let trail = bench.review.audit_trail(Some(&format!("draft:{draft}"))).expect("trail");
    assert!(trail
        .iter()
        .any(|e| e.action == "rules.override"
            && e.after.as_deref().is_some_and(|a| a.contains("the desk checked by phone"))));
    let sent_back = trail.last().expect("entry");
    assert_eq!(sent_back.action, "draft.status");
    let after_json: serde_json::Value = serde_json::from_str(sent_back.after.as_deref().expect("after")).expect("json");
    assert_eq!(after_json["overrides-lapsed"], serde_json::json!([override_id]));
    assert_eq!(bench.review.verify_audit().expect("verify").broken, None);

    // Ready again needs a new decision; the new override stands.
    let refused = bench.review.set_draft_status(draft, DraftStatus::Ready, None).expect_err("open again");
    assert!(matches!(refused, SourcingError::RulesFail(ref open) if open.iter().any(|f| f.claim == Some(injured))));
    let again = bench.review.set_draft_status(draft, DraftStatus::Ready, Some("reworded, still fine")).expect("ready");
    let renewed = covered(&bench.review.check(draft).expect("check"));
    assert_eq!(renewed.override_record.map(|o| o.id), again.override_id);
}

#[test]
fn the_proposed_note_on_the_seed_draft_counts_every_unnamed_attribution_and_what_corroborates_them() {
    let kabul = std::fs::read_to_string(shared("drafts/kabul-embassy.txt")).expect("seed draft");
    let bench = Bench::with(&[("kabul.txt", &kabul)]);
    let draft = bench.draft("kabul.txt");
    let unnamed_in_text = bench.review.suggestions(draft).expect("suggestions").profile.anonymous;
    assert!(unnamed_in_text >= 4, "the seed rests on several unnamed attributions: {unnamed_in_text}");
    let tag = |exact: &str| {
        let quote = TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
        bench.review.add_claim(draft, &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    };
    let embassy = tag("Taliban leaders meet at the Chinese embassy every day");
    let mine = tag("a Chinese and Taliban Delegation recently visited the mine");
    let diplomat = bench.unnamed("a senior Western diplomat", complete());
    let official = bench.unnamed(
        "an Afghan security official",
        Confidential {
            anonymity_reason: Some("not authorised to speak to the press".into()),
            editor_knows: Some("M. Editor".into()),
            how_known: Some("guards the compound".into()),
            ..Confidential::default()
        },
    );
    bench.review.link_source(embassy, diplomat, SourceRole::Attributed).expect("link");
    bench.review.link_source(mine, official, SourceRole::Attributed).expect("link");
    for (reference, kind) in [("gate.jpg", EvidenceKind::PhotoVideo), ("log.pdf", EvidenceKind::Document)] {
        bench
            .review
            .add_evidence(embassy, &NewEvidence::supporting(kind, reference, "Convoys at the gate", true))
            .expect("evidence");
    }
    bench
        .review
        .add_evidence(
            mine,
            &NewEvidence::supporting(EvidenceKind::PhotoVideo, "mine.jpg", "Delegation at the mine", true),
        )
        .expect("evidence");

    let proposal = bench.review.propose_editor_note(draft).expect("propose");
    let words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    let count = words.get(unnamed_in_text).map_or_else(|| unnamed_in_text.to_string(), |w| (*w).to_owned());
    assert!(
        proposal.contains(&format!("{count} statements in it are attributed to people who are not named")),
        "{proposal}"
    );
    assert!(proposal.contains("relies on two sources who are not named (\u{201c}a senior Western diplomat\u{201d} and \u{201c}an Afghan security official\u{201d})"), "{proposal}");
    assert!(
        proposal.contains("Reasons for anonymity: they fear losing their job; not authorised to speak to the press."),
        "{proposal}"
    );
    assert!(proposal.contains("The editors know the identity of each source."), "{proposal}");
    assert!(
        proposal.contains("One of the two claims resting only on unnamed sources was corroborated by two independent sources; what corroborates them so far: two photos or videos and one document."),
        "{proposal}"
    );
    assert!(!proposal.contains("relies on one source"), "{proposal}");
    println!("{proposal}");
    assert!(!proposal.contains("Jo Smith") && !proposal.contains("+1 555"), "never an identity: {proposal}");
}

/// Issue 19: the claim inspector's data (the claim view and its
/// corroboration), the matrix, Draft review's findings and the report model
/// give one answer for one claim: its attribution and its two-source verdict.
#[test]
fn one_claim_gets_the_same_verdict_and_attribution_from_every_surface() {
    use factdesk_core::attribution::{AttributedTo, AttributionFrom};
    use factdesk_core::report::{self, AttributionBasis, GatherOptions, Scope};
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    let manager = bench.unnamed("a senior plant manager", complete());
    bench.review.link_source(injured, manager, SourceRole::Attributed).expect("link");
    bench
        .review
        .add_evidence(injured, &NewEvidence::supporting(EvidenceKind::PhotoVideo, "ward.jpg", "The ward", true))
        .expect("evidence");

    let inspector = bench.review.corroboration(injured).expect("inspector");
    let view = bench.review.claim(injured).expect("claim view");
    let matrix = bench.review.sourcing_matrix(draft).expect("matrix");
    let row = matrix.rows.iter().find(|r| r.claim == injured).expect("row");
    let findings = bench.review.check(draft).expect("findings");
    let model = report::gather(
        &bench.store,
        Arc::new(FixedClock::new(chrono::Utc::now())),
        Scope::Draft(draft),
        &GatherOptions::default(),
    )
    .expect("report");
    let reported = model.drafts[0].claims.iter().find(|c| c.id == injured).expect("reported claim");

    // The verdict: not met, in the same words everywhere.
    assert!(!inspector.two_source_rule && inspector.blocks_ready);
    assert_eq!(row.corroboration, inspector);
    assert_eq!(
        (reported.corroboration.two_source_rule, reported.corroboration.blocks_ready, &reported.corroboration.verdict),
        (false, true, &inspector.verdict)
    );
    let finding = findings
        .iter()
        .find(|f| f.rule == RuleId::UnnamedNeedsTwoCorroborations && f.claim == Some(injured))
        .expect("Draft review blocks it");
    assert!(finding.message.ends_with(&inspector.shortfall()));
    assert!(model.drafts[0].findings.iter().any(|f| f.message == finding.message));

    // The attribution: from its sources, unnamed, with the wording's cue.
    assert_eq!((view.attribution.kind, view.attribution.from), (AttributedTo::Unnamed, AttributionFrom::Sources));
    assert_eq!(row.attribution, view.attribution);
    assert_eq!(reported.attribution.kind.as_str(), view.attribution.kind.as_str());
    assert_eq!(reported.attribution.basis, AttributionBasis::Sources);
    assert_eq!(reported.attribution.cue, view.attribution.cue);

    // A hand-tagged claim with no source: read from the wording, the same in the view, the matrix and the report.
    let blaze = bench.claim("The blaze started in a storage building");
    bench.review.link_source(blaze, manager, SourceRole::Contradicts).expect("in the matrix");
    let view = bench.review.claim(blaze).expect("view");
    assert_eq!((view.attribution.kind, view.attribution.from), (AttributedTo::Unnamed, AttributionFrom::Wording));
    let matrix = bench.review.sourcing_matrix(draft).expect("matrix");
    assert_eq!(matrix.rows.iter().find(|r| r.claim == blaze).expect("row").attribution, view.attribution);
    let model = report::gather(
        &bench.store,
        Arc::new(FixedClock::new(chrono::Utc::now())),
        Scope::Draft(draft),
        &GatherOptions::default(),
    )
    .expect("report");
    let reported = model.drafts[0].claims.iter().find(|c| c.id == blaze).expect("reported");
    assert_eq!(
        (reported.attribution.kind.as_str(), reported.attribution.basis),
        ("unnamed", AttributionBasis::Detected)
    );
    assert_eq!(reported.attribution.cue, view.attribution.cue);
}

#[test]
fn a_draft_marked_ready_before_versions_were_recorded_takes_its_current_text_as_the_baseline() {
    if engine::on_postgres() {
        return; // it edits the SQLite file by hand
    }
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    let injured = bench.claim("Six workers were injured on Tuesday");
    bench.review.set_status(injured, ClaimStatus::Corroborated).expect("status");
    bench.review.set_draft_status(draft, DraftStatus::Ready, None).expect("ready");
    // As a status recorded before migration 0008 reads: no version.
    let other = rusqlite::Connection::open(bench._tmp.path().join("f.db")).expect("second connection");
    other.execute("UPDATE draft_workflow SET version_id = NULL", []).expect("forget");
    drop(other);
    let path = bench.desk.root().join("story.txt");
    let first = STORY.replace("Six workers were injured on Tuesday", "Six workers were hurt on Tuesday");
    std::fs::write(&path, &first).expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!((status.status, status.changed_since_ready), (DraftStatus::Ready, None), "unknown baseline: no news");
    // From then on, edits are checked against that text.
    std::fs::write(&path, first.replace("Six workers were hurt on Tuesday, a senior plant manager said.\n\n", ""))
        .expect("save");
    bench.desk.apply_changes(std::slice::from_ref(&path), &[]).expect("apply");
    let status = bench.review.draft_status(draft).expect("status");
    assert_eq!(status.status, DraftStatus::NeedsWork);
    assert!(status.changed_since_ready.is_some_and(|c| c.changes.iter().any(|c| c.claim == Some(injured))));
}

/// Reading a draft's status takes no write lock when nothing is to be re-checked (review finding 11): another
/// process holding the database's write lock does not hold up (nor, after the busy timeout, fail) the read.
/// SQLite only: there the write lock is the file's.
#[test]
fn a_drafts_status_is_read_while_another_process_writes() {
    if engine::on_postgres() {
        return;
    }
    let bench = Bench::story();
    let draft = bench.draft("story.txt");
    bench.review.set_draft_status(draft, DraftStatus::Ready, Some("checked by phone")).expect("ready");
    let path = bench._tmp.path().join("f.db");
    let writer = factdesk_core::store::Store::open(&path).expect("another process");
    writer.execute_raw_for_tests("BEGIN IMMEDIATE").expect("the other process's write lock");
    let (sender, received) = std::sync::mpsc::channel();
    let review = bench.review.clone();
    std::thread::spawn(move || sender.send(review.draft_status(draft).map(|view| view.status)));
    let status = received.recv_timeout(std::time::Duration::from_secs(5)).expect("the status read waited on the lock");
    assert_eq!(status.expect("status"), DraftStatus::Ready);
    writer.execute_raw_for_tests("ROLLBACK").expect("rollback");
}
