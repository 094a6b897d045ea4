//! What each role may do on a draft through Factdesk, on both engines, and a role taken away while a change is
//! on its way.

use crate::engine;
use crate::fixtures::*;
use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::desk::Desk;
use factdesk_core::report::{self, GatherOptions, Profile, Scope};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{self, Role};
use factdesk_core::sourcing::evidence::{EvidenceKind, NewEvidence};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::sourcing::source::{NewSource, SourceKind};
use factdesk_core::sourcing::workflow::DraftStatus;
use factdesk_core::store::lock;
use factdesk_core::vault::KdfParams;
use secrecy::SecretString;
use std::sync::Arc;

#[test]
fn a_reporter_sees_and_answers_the_claims_of_their_own_drafts_only() {
    let team = Team::staffed();
    let own_claim = team.claim_on(team.own);
    let other_claim = team.claim_on(team.others);
    let bo = team.as_person(&team.reporter);
    assert_eq!(bo.claims(team.own).expect("own claims").len(), 1);
    bo.set_status(own_claim, ClaimStatus::Corroborated).expect("own status");
    bo.add_note(NoteTarget::Claim(own_claim), "Two documents back this.", None).expect("answer");
    bo.add_claim(team.own, &TextQuoteSelector { exact: "Story".into(), ..quote() }, ClaimStatus::NeedsCorroboration)
        .expect("tag on own draft");

    refused_naming(
        bo.claims(team.others),
        "editor, standards editor, lawyer or admin role, or to be the draft's reporter",
    );
    if engine::on_postgres() {
        // The server does not even show the reporter that claim (row-level security): it is not there for them.
        let err = bo.set_status(other_claim, ClaimStatus::Cleared).expect_err("refused").to_string();
        assert_eq!(err, format!("no claim {other_claim}"));
        let err = bo.add_note(NoteTarget::Claim(other_claim), "mine now", None).expect_err("refused").to_string();
        assert_eq!(err, format!("no claim {other_claim}"));
    } else {
        refused_naming(
            bo.set_status(other_claim, ClaimStatus::Cleared),
            "editor or standards editor role, or to be the draft's reporter",
        );
        refused_naming(
            bo.add_note(NoteTarget::Claim(other_claim), "mine now", None),
            "editor, standards editor, lawyer or admin role",
        );
    }
    // Nor the notes on them: editing, resolving or removing another reporter's thread is refused.
    let editors_note =
        team.as_person(&team.editor).add_note(NoteTarget::Claim(other_claim), "Who told us?", None).expect("note");
    if !engine::on_postgres() {
        let needed = "editor, standards editor, lawyer or admin role";
        refused_naming(bo.edit_note(editors_note, "nobody"), needed);
        refused_naming(bo.resolve_note(editors_note), needed);
        refused_naming(bo.remove_note(editors_note), needed);
        refused_naming(bo.set_note_private(editors_note, true), "editor or standards editor role");
    } else {
        // On the server the row is not even there for them.
        assert!(bo.edit_note(editors_note, "nobody").is_err() && bo.remove_note(editors_note).is_err());
    }
    // The dashboard (a desk report) is theirs to read, with their own drafts.
    let dashboard = bo.desk_dashboard(team.desk).expect("a reporter's dashboard");
    let rows: Vec<_> = dashboard.rows.iter().map(|row| row.draft).collect();
    assert!(rows.contains(&team.own) && !rows.contains(&team.others), "{rows:?}");
    // Nor found by searching the desk: only their own draft's claim and note come up.
    let found = bo.search(team.desk, &factdesk_core::search::SearchQuery::new("mayor bridge")).expect("search");
    let claims: Vec<_> = found.iter().filter_map(|hit| hit.claim).collect();
    assert!(claims.contains(&own_claim) && !claims.contains(&other_claim), "{claims:?}");
    // Nor what is built on them: the sourcing rules' findings and the matrix.
    let needed = "editor, standards editor, lawyer or admin role, or to be the draft's reporter";
    refused_naming(bo.check(team.others), needed);
    refused_naming(bo.published_review(team.others), needed);
    refused_naming(bo.changes_since_publication(team.others), needed);
    refused_naming(bo.sourcing_matrix(team.others), needed);
    bo.check(team.own).expect("own findings");
    let status = team.as_person(&team.editor).claim(other_claim).expect("editor reads").status;
    assert_eq!(status, ClaimStatus::NeedsCorroboration, "nothing changed");
}

#[test]
fn the_lawyer_reads_and_adds_notes_and_changes_nothing_else() {
    let team = Team::staffed();
    let claim = team.claim_on(team.shared);
    let lou = team.as_person(&team.lawyer);
    assert_eq!(lou.claims(team.shared).expect("reads").len(), 1);
    lou.add_note(NoteTarget::Claim(claim), "Defamation risk: keep the wording.", None).expect("note");
    refused_naming(lou.set_status(claim, ClaimStatus::Cleared), "editor or standards editor role");
    refused_naming(
        lou.add_claim(team.shared, &TextQuoteSelector { exact: "Story".into(), ..quote() }, ClaimStatus::Cleared),
        "editor or standards editor role",
    );
    refused_naming(lou.save_editor_note(team.shared, "Nothing."), "editor or standards editor role");
    // Nor the suggestions' triage (part of the draft's claims).
    refused_naming(
        lou.restore_suggestion(team.shared, "The mayor spent 5 million on the bridge."),
        "editor or standards editor role",
    );
    // The desk report is theirs to read; the internal one carries identities.
    let desk_profile = GatherOptions { profile: Profile::Desk, include_text: false };
    report::gather_as(&lou, Scope::Draft(team.shared), &desk_profile).expect("desk report");
    let internal = GatherOptions { profile: Profile::Internal, include_text: false };
    refused_naming(report::gather_as(&lou, Scope::Draft(team.shared), &internal), "standards editor role");
}

/// Every role opens a desk in the window: the window scans it, then remembers it for the next start
/// (`last_desk`, src-tauri/session.rs's `Session::open`), a setting of this computer's that the server lets
/// every login write (review finding 5).
#[test]
fn every_role_opens_the_desk_and_the_window_remembers_it() {
    let team = Team::staffed();
    let folder = team._tmp.path().join("desk");
    for person in [&team.reporter, &team.editor, &team.standards, &team.lawyer] {
        let store = team.store_of(person);
        let desk = Desk::open(store.clone(), &folder, team.clock.clone()).expect("open");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        lock(&store)
            .set_setting("last_desk", &desk.root().to_string_lossy())
            .unwrap_or_else(|e| panic!("{person}: {e}"));
        let remembered = lock(&store).setting("last_desk").expect("read");
        assert_eq!(remembered.as_deref(), Some(&*desk.root().to_string_lossy()), "{person}");
    }
}

#[test]
fn a_claims_history_is_read_as_the_claim_is() {
    let team = Team::staffed();
    let others = team.claim_on(team.others);
    team.as_person(&team.editor).set_status(others, ClaimStatus::Disputed).expect("status");
    let bo = team.as_person(&team.reporter);
    if engine::on_postgres() {
        // The server does not even show the reporter that claim (row-level security): it is not there for them.
        let err = factdesk_core::audit_labels::claim_changes(&bo, others).expect_err("refused").to_string();
        assert_eq!(err, format!("no claim {others}"));
        assert_eq!(bo.claim_history(others).expect_err("refused").to_string(), format!("no claim {others}"));
    } else {
        let needed = "editor, standards editor, lawyer or admin role, or to be the draft's reporter";
        refused_naming(factdesk_core::audit_labels::claim_changes(&bo, others), needed);
        refused_naming(bo.claim_history(others), needed);
    }
    let history = factdesk_core::audit_labels::claim_changes(&team.as_person(&team.lawyer), others).expect("read");
    assert_eq!(history.len(), 2, "tagged, then disputed");
    let own = team.claim_on(team.own);
    assert_eq!(team.as_person(&team.reporter).claim_history(own).expect("their own").len(), 1);
}

/// A clock that, the first time it is asked after being armed, lets another person's change land: what happens
/// between a write's rights check and its transaction.
struct Meanwhile {
    at: chrono::DateTime<chrono::Utc>,
    change: std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl Meanwhile {
    /// Not armed yet: it tells the time and changes nothing.
    fn unarmed() -> Arc<Self> {
        Arc::new(Self { at: chrono::Utc::now(), change: std::sync::Mutex::new(None) })
    }

    /// Armed: the next time it is asked, the desk's admin makes `person` a lawyer.
    fn arm_to_make_a_lawyer_of(&self, team: &Team, person: &str) {
        let (admin, desk, person) = (team.admin.clone(), team.desk, person.to_owned());
        *self.change.lock().expect("clock") = Some(Box::new(move || {
            let store = lock(&admin);
            rights::add_person(&store, desk, &person, Role::Lawyer, ADMIN, chrono::Utc::now(), None)
                .unwrap_or_else(|e| panic!("the admin makes {person} a lawyer: {e}"));
        }));
    }
}

impl factdesk_core::clock::Clock for Meanwhile {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let change = self.change.lock().expect("clock").take();
        if let Some(change) = change {
            change();
        }
        self.at
    }
}

/// Regression: the role was checked before the write transaction, so a role taken away in between (an admin
/// making an editor a lawyer) still let the change land. The role is now read in the transaction that writes.
#[test]
fn a_role_taken_away_while_a_change_is_on_its_way_refuses_it() {
    let team = Team::staffed();
    let claim = team.claim_on(team.shared);
    let clock = Meanwhile::unarmed();
    clock.arm_to_make_a_lawyer_of(&team, &team.editor);
    let editor = Review::new(team.store_of(&team.editor), clock, team.editor.clone());
    refused_naming(
        editor.set_status(claim, ClaimStatus::Cleared),
        "editor or standards editor role, or to be the draft's reporter",
    );
    let status = team.admin_review().claim(claim).expect("read").status;
    assert_eq!(status, ClaimStatus::NeedsCorroboration, "nothing changed");
}

/// Issue 13, left by the last session: about 40 writes read the person's role before their write transaction, so
/// a role taken away in between (an admin making an editor a lawyer) still let the change land, on SQLite where no
/// server holds the rule. Every write now reads the role in the transaction that writes (`Review::write_as`); here
/// evidence, a link and an opinion mark, each refused naming the role needed, and nothing of them written.
#[test]
fn a_role_taken_away_between_the_check_and_the_write_refuses_each_kind_of_change() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = Team::staffed();
    let claim = team.claim_on(team.shared);
    let new_source =
        NewSource { descriptor: "a clerk".into(), kind: SourceKind::Unnamed, notes: String::new(), confidential: None };
    let source = team.as_person(&team.editor).add_source(team.desk, &new_source).expect("source");
    type Change = Box<dyn Fn(&Review) -> Result<(), String>>;
    let evidence = NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Minutes", true);
    let changes: [Change; 3] = [
        Box::new(move |r: &Review| r.add_evidence(claim, &evidence).map(drop).map_err(|e| e.to_string())),
        Box::new(move |r: &Review| r.link_source(claim, source, SourceRole::Attributed).map_err(|e| e.to_string())),
        Box::new(move |r: &Review| r.set_opinion(claim, true).map_err(|e| e.to_string())),
    ];
    for change in changes {
        let clock = Meanwhile::unarmed();
        clock.arm_to_make_a_lawyer_of(&team, &team.editor);
        let review = Review::new(team.store_of(&team.editor), clock, team.editor.clone());
        refused_naming(change(&review), "editor or standards editor role, or to be the draft's reporter");
        team.add(ADMIN, &team.editor, Role::Editor).expect("an editor again");
    }
    let admin = team.admin_review();
    assert!(admin.evidence(claim).expect("evidence").is_empty(), "no evidence landed");
    assert!(admin.claim_sources(claim).expect("links").is_empty(), "no link landed");
    let actions: Vec<String> = admin.audit_trail(None).expect("trail").into_iter().map(|e| e.action).collect();
    for refused in ["evidence.add", "claim.link", "claim.opinion"] {
        assert!(!actions.iter().any(|a| a == refused), "{refused} landed: {actions:?}");
    }
    vault_changes_are_refused_when_the_role_is_taken_away_meanwhile(&team);
}

/// The vault's part of the test above (issue 13, left by the last session: unlocking, changing a passphrase,
/// rotating the key and taking access back read the role before their transaction). The standards editor is made
/// a lawyer between each one's check and its write (which also takes her wrapping, as any role change that no
/// longer allows one does); each is refused naming the role needed, writes nothing and holds no key. A second
/// standards editor gives her access again between the cases.
fn vault_changes_are_refused_when_the_role_is_taken_away_meanwhile(team: &Team) {
    let passphrase = SecretString::from("correct horse battery");
    let sue = team.as_person(&team.standards);
    let recovery = sue.init_vault_with(team.desk, &passphrase, KdfParams::DEFAULT).expect("vault");
    let recovery = SecretString::from(recovery.expose().to_owned());
    let second = unique("tess");
    team.add(ADMIN, &second, Role::StandardsEditor).expect("a second standards editor");
    sue.grant_vault(team.desk, &second, &passphrase).expect("given the key");
    let tess = team.as_person(&second);
    tess.unlock_vault(team.desk, &passphrase).expect("she unlocks");
    let desk = team.desk;
    type VaultChange<'a> = (&'a str, bool, Box<dyn Fn(&Review) -> Result<(), String> + 'a>);
    let changes: [VaultChange<'_>; 5] = [
        ("unlock", false, Box::new(|r: &Review| r.unlock_vault(desk, &passphrase).map_err(|e| e.to_string()))),
        (
            "unlock with the recovery key",
            false,
            Box::new(|r: &Review| r.unlock_vault_with_recovery(desk, &recovery).map_err(|e| e.to_string())),
        ),
        (
            "change the passphrase",
            true,
            Box::new(|r: &Review| {
                r.change_vault_passphrase(desk, &SecretString::from("a lawyer's own passphrase"))
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "rotate",
            false,
            Box::new(|r: &Review| r.rotate_vault_key(desk, &passphrase).map(drop).map_err(|e| e.to_string())),
        ),
        (
            "take access back",
            true,
            Box::new(|r: &Review| r.revoke_vault(desk, &second).map(drop).map_err(|e| e.to_string())),
        ),
    ];
    for (what, unlocked_first, change) in changes {
        let clock = Meanwhile::unarmed();
        let review = Review::new(team.store_of(&team.standards), clock.clone(), team.standards.clone());
        if unlocked_first {
            review.unlock_vault(desk, &passphrase).expect("she unlocks first");
        }
        clock.arm_to_make_a_lawyer_of(team, &team.standards);
        let needed = if what == "take access back" {
            "admin role"
        } else {
            "standards editor role, or to be the editor named as knowing one of the desk's sources"
        };
        let outcome = change(&review);
        assert!(clock.change.lock().expect("clock").is_none(), "{what}: the role was taken away on the way");
        refused_naming(outcome, needed);
        if !unlocked_first {
            assert!(!review.is_vault_unlocked(desk), "{what}: no key held by a lawyer");
        }
        team.add(ADMIN, &team.standards, Role::StandardsEditor).expect("a standards editor again");
        tess.grant_vault(desk, &team.standards, &passphrase).expect("given the key again");
    }
    let actions: Vec<String> =
        team.admin_review().audit_trail(None).expect("trail").into_iter().map(|e| e.action).collect();
    for refused in ["vault.passwd", "vault.rotate", "vault.revoke"] {
        assert!(!actions.iter().any(|a| a == refused), "{refused} landed: {actions:?}");
    }
    // Her two unlocks before the changes that need the key, and the second standards editor's: no other.
    assert_eq!(actions.iter().filter(|a| *a == "vault.unlock").count(), 3, "{actions:?}");
    tess.unlock_vault(desk, &passphrase).expect("the passphrase still opens the key: nothing rotated");
    assert!(tess
        .vault_access(desk)
        .expect("access")
        .is_some_and(|access| access.holders.iter().any(|h| h.name == second)));
}

/// Found while moving the role checks into the write transactions: three writes read no role at all, so on
/// SQLite a reporter restored the evidence of another reporter's claim or a note on their draft, and linked a new
/// source to their claim. Each now needs the right to change that draft's review (on a team store the server
/// already hid those rows from the reporter's login).
#[test]
fn restoring_evidence_or_a_drafts_note_and_linking_a_new_source_need_the_right_to_change_that_draft() {
    use factdesk_core::sourcing::source::SourceRole;
    let team = Team::staffed();
    let claim = team.claim_on(team.others);
    let editor = team.as_person(&team.editor);
    let minutes = NewEvidence::supporting(EvidenceKind::Document, "minutes.pdf", "Minutes", true);
    let evidence = editor.add_evidence(claim, &minutes).expect("evidence");
    editor.remove_evidence(evidence).expect("removed");
    let note = editor.add_note(NoteTarget::Draft(team.others), "Check the date.", None).expect("note");
    editor.remove_note(note).expect("removed");
    let reporter = team.as_person(&team.reporter);
    assert!(reporter.restore_evidence(evidence).is_err(), "another reporter's evidence restored");
    assert!(reporter.restore_note(note).is_err(), "a note on another reporter's draft restored");
    let clerk =
        NewSource { descriptor: "a clerk".into(), kind: SourceKind::Unnamed, notes: String::new(), confidential: None };
    assert!(reporter.link_new_source(claim, &clerk, SourceRole::Attributed).is_err(), "linked to their claim");
    assert!(editor.evidence(claim).expect("evidence").is_empty(), "the evidence stays removed");
    assert!(editor.notes(NoteTarget::Draft(team.others)).expect("notes").is_empty(), "the note stays removed");
    assert!(editor.claim_sources(claim).expect("links").is_empty(), "no source linked");
}

/// Issue 13, the window's side: what a person may not do on a draft is the core's answer, each control's refusal
/// the very message the action would get (naming the role), so the window disables rather than offers to refuse.
#[test]
fn the_window_is_told_what_a_person_may_not_do_on_a_draft_in_the_refusals_own_words() {
    let team = Team::new();
    let everything = team.admin_review().draft_refusals(team.own).expect("refusals");
    assert_eq!(everything, rights::DraftRefusals::default(), "a desk without people refuses nothing");
    let team = Team::staffed();
    let reporter = team.as_person(&team.reporter);
    let theirs = reporter.draft_refusals(team.own).expect("refusals");
    let ready = reporter.set_draft_status(team.own, DraftStatus::Ready, None).expect_err("refused").to_string();
    assert_eq!(theirs.mark_ready.as_deref(), Some(ready.as_str()));
    assert!(
        ready.contains("(reporter) may not move a draft to ready") && ready.contains("editor or standards editor role")
    );
    let private = reporter.add_private_note(NoteTarget::Draft(team.own), "Between us.", None).expect_err("refused");
    assert_eq!(theirs.private_note.as_deref(), Some(private.to_string().as_str()));
    let note = reporter.add_note(NoteTarget::Draft(team.own), "Fixed the figure.", None);
    assert!(theirs.add_note.is_none() && note.is_ok(), "a reporter notes on their own draft");
    assert!(theirs.move_draft.is_some() && theirs.override_finding.is_some() && theirs.editor_note.is_some());

    assert_eq!(team.as_person(&team.editor).draft_refusals(team.own).expect("refusals"), Default::default());
    let lawyer = team.as_person(&team.lawyer).draft_refusals(team.own).expect("refusals");
    assert!(lawyer.add_note.is_none() && lawyer.private_note.is_none(), "{lawyer:?}");
    assert!(lawyer.mark_ready.as_deref().is_some_and(|m| m.contains("(lawyer)")), "{lawyer:?}");
    let admin = team.admin_review().draft_refusals(team.own).expect("refusals");
    assert!(admin.add_note.is_none() && admin.private_note.is_some() && admin.editor_note.is_some(), "{admin:?}");
}
