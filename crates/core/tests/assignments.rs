//! Assignments, mentions and the inbox on a real desk and a real store (a
//! SQLite file, or with FACTDESK_TEST_ENGINE=postgres a team store where
//! each person is a database login): who is told, what they see, what the
//! audit trail keeps, and what is refused.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::assignment::{AssignmentError, AssignmentTarget};
use factdesk_core::audit;
use factdesk_core::audit_labels::claim_changes;
use factdesk_core::clock::FixedClock;
use factdesk_core::desk::Desk;
use factdesk_core::inbox::{InboxError, InboxKind};
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::store::{lock, ClaimId, DraftId, SharedStore};
use std::path::PathBuf;
use std::sync::Arc;

const STORY: &str = "Fire at the plant\n\n\
    Six workers were injured on Tuesday, a senior plant manager said.\n\n\
    The mayor said the plant would reopen in May.";

struct Bench {
    tmp: tempfile::TempDir,
    store: SharedStore,
    desk: Desk,
    clock: Arc<FixedClock>,
    /// Ana, the editor who hands out the work.
    review: Review,
}

impl Bench {
    fn new() -> Self {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z").expect("date").to_utc();
        let engine::ScannedDesk { tmp, store, clock, desk, review, .. } =
            engine::ScannedDesk::new(&[("story.txt", STORY)], at);
        Self { tmp, store, desk, clock, review }
    }

    /// Gives the desk people: "ada" its admin (added by Ana Editor), then
    /// each of `people`, added by ada.
    fn staff(&self, people: &[(&str, factdesk_core::rights::Role)]) {
        use factdesk_core::rights::{add_person, Role};
        let (desk, now) = (self.desk.id(), chrono::Utc::now());
        add_person(&lock(&self.store), desk, "ada", Role::Admin, "Ana Editor", now, None).expect("the admin");
        for (name, role) in people {
            add_person(&lock(&self.store), desk, name, *role, "ada", now, None).expect(name);
        }
    }

    fn db(tmp: &tempfile::TempDir) -> PathBuf {
        tmp.path().join("f.db")
    }

    /// The same desk as another person (their own connection on a team store).
    fn as_person(&self, name: &str) -> Review {
        let store = engine::open_as(&Self::db(&self.tmp), name).expect("store as person").shared();
        Review::new(store, self.clock.clone(), name.into())
    }

    fn draft(&self) -> DraftId {
        self.desk.draft_by_path("story.txt").expect("q").expect("draft").id
    }

    fn claim(&self, exact: &str) -> ClaimId {
        let quote = TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
        self.review.add_claim(self.draft(), &quote, ClaimStatus::NeedsCorroboration).expect("claim")
    }

    fn trail(&self) -> Vec<audit::AuditEntry> {
        audit::entries(&lock(&self.store), None).expect("trail")
    }
}

#[test]
fn an_assigned_claim_reaches_the_assignees_list_and_inbox_and_the_trail() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let assigned = bench.review.assign(AssignmentTarget::Claim(claim), "  ben ", Some("2026-12-03")).expect("assign");
    assert_eq!(
        (assigned.assignee.as_str(), assigned.due.as_deref(), assigned.overdue),
        ("ben", Some("2026-12-03"), false)
    );

    let ben = bench.as_person("ben");
    let work = ben.assigned_to_me(Some(bench.desk.id())).expect("ben's work");
    assert_eq!(work.len(), 1);
    assert_eq!(work[0].claim, Some(claim));
    assert_eq!(work[0].draft, bench.draft());
    assert_eq!(work[0].draft_path, "story.txt");
    assert_eq!(work[0].quote.as_deref(), Some("Six workers were injured on Tuesday"));
    assert_eq!(work[0].assigned_by, engine::recorded_as("Ana Editor"));
    assert!(bench.review.assigned_to_me(None).expect("ana's work").is_empty(), "Ana assigned it, Ben has it");

    let inbox = ben.inbox(None).expect("ben's inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, InboxKind::Assignment);
    assert_eq!((inbox[0].claim, inbox[0].draft, inbox[0].read), (Some(claim), bench.draft(), false));
    assert_eq!(inbox[0].from, engine::recorded_as("Ana Editor"));
    assert_eq!(inbox[0].due.as_deref(), Some("2026-12-03"));
    ben.mark_inbox_read(inbox[0].id).expect("read");
    assert!(ben.inbox(None).expect("inbox")[0].read);
    // Ana cannot read (or mark) Ben's entries.
    assert!(bench.review.inbox(None).expect("ana's inbox").is_empty());
    assert!(matches!(bench.review.mark_inbox_read(inbox[0].id), Err(InboxError::EntryNotFound { .. })));

    // Past the due date it is overdue, in the list and on the claim.
    bench.clock.advance(3 * 24 * 3600);
    assert!(ben.assigned_to_me(None).expect("work")[0].overdue);
    assert!(bench.review.assignment(AssignmentTarget::Claim(claim)).expect("a").expect("assigned").overdue);

    let last = bench.trail().pop().expect("an entry");
    assert_eq!((last.action.as_str(), last.entity.as_str()), ("assignment.assign", format!("claim:{claim}").as_str()));
    let history = claim_changes(&bench.review, claim).expect("history");
    let sentence = &history.last().expect("a change").sentence;
    assert!(sentence.starts_with("Assigned to ben, due 2026-12-03 by "), "{sentence}");
    assert!(audit::verify(&lock(&bench.store)).expect("verify").is_intact());
}

#[test]
fn reassigning_hands_the_claim_over_and_unassigning_ends_it_each_on_the_trail() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let target = AssignmentTarget::Claim(claim);
    bench.review.assign(target, "ben", None).expect("to ben");
    // The same again changes nothing and tells no one twice.
    let before = bench.trail().len();
    bench.review.assign(target, "ben", None).expect("again");
    assert_eq!(bench.trail().len(), before);
    bench.review.assign(target, "carol", Some("2026-12-24")).expect("to carol");
    let (ben, carol) = (bench.as_person("ben"), bench.as_person("carol"));
    assert!(ben.assigned_to_me(None).expect("ben").is_empty());
    assert_eq!(ben.inbox(None).expect("ben's inbox").len(), 1, "Ben was told once");
    assert_eq!(carol.assigned_to_me(None).expect("carol").len(), 1);
    assert_eq!(carol.inbox(None).expect("carol's inbox").len(), 1);

    bench.review.unassign(target).expect("unassign");
    assert!(carol.assigned_to_me(None).expect("carol").is_empty());
    assert_eq!(bench.review.assignment(target).expect("assignment"), None);
    let actions: Vec<String> = bench.trail().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "assignment.assign").count(), 2);
    assert_eq!(actions.last().map(String::as_str), Some("assignment.unassign"));
    assert!(matches!(bench.review.unassign(target), Err(AssignmentError::NotAssigned(_))));
    assert!(audit::verify(&lock(&bench.store)).expect("verify").is_intact());
}

#[test]
fn a_whole_draft_can_be_assigned() {
    let bench = Bench::new();
    bench.review.assign(AssignmentTarget::Draft(bench.draft()), "ben", Some("2026-12-02")).expect("assign draft");
    let ben = bench.as_person("ben");
    let work = ben.assigned_to_me(None).expect("work");
    assert_eq!((work.len(), work[0].claim, work[0].draft), (1, None, bench.draft()));
    assert_eq!(work[0].draft_title, "Fire at the plant");
    let inbox = ben.inbox(Some(bench.desk.id())).expect("inbox");
    assert_eq!((inbox[0].kind, inbox[0].claim, inbox[0].draft), (InboxKind::Assignment, None, bench.draft()));
    assert_eq!(bench.trail().pop().expect("entry").entity, format!("draft:{}", bench.draft()));
}

#[test]
fn a_bad_assignment_is_refused_with_nothing_written() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let before = bench.trail().len();
    let refused = |result: Result<_, AssignmentError>| result.expect_err("refused").to_string();
    assert_eq!(refused(bench.review.assign(AssignmentTarget::Claim(ClaimId(9999)), "ben", None)), "no claim 9999");
    for bad in ["2026-13-01", "tomorrow", "2026-2-3", "24/12/2026"] {
        let message = refused(bench.review.assign(AssignmentTarget::Claim(claim), "ben", Some(bad)));
        assert!(message.contains("YYYY-MM-DD") && message.contains(bad), "{message}");
    }
    assert!(refused(bench.review.assign(AssignmentTarget::Claim(claim), "  ", None)).contains("not a person"));
    assert!(matches!(
        bench.review.assign(AssignmentTarget::Draft(DraftId(777)), "ben", None),
        Err(AssignmentError::DraftNotFound(_))
    ));
    // A removed claim cannot be assigned.
    bench.review.remove_claim(claim).expect("remove");
    let after_removal = bench.trail().len();
    assert!(matches!(
        bench.review.assign(AssignmentTarget::Claim(claim), "ben", None),
        Err(AssignmentError::ClaimNotFound(_))
    ));
    assert_eq!(bench.trail().len(), after_removal);
    assert_eq!(after_removal, before + 1, "only the removal was recorded");
    assert!(bench.as_person("ben").inbox(None).expect("inbox").is_empty());
}

#[test]
fn a_mention_in_a_note_tells_each_person_once() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    let note = bench
        .review
        .add_note(NoteTarget::Claim(claim), "@ben can you confirm? cc @carol. Mail desk@example.org", None)
        .expect("note");
    let (ben, carol, dave) = (bench.as_person("ben"), bench.as_person("carol"), bench.as_person("dave"));
    let inbox = ben.inbox(None).expect("ben's inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, InboxKind::Mention);
    assert_eq!((inbox[0].claim, inbox[0].draft), (Some(claim), bench.draft()));
    assert_eq!(inbox[0].note.as_deref(), Some("@ben can you confirm? cc @carol. Mail desk@example.org"));
    assert_eq!(carol.inbox(None).expect("carol's").len(), 1);
    assert!(bench.as_person("example.org").inbox(None).expect("nobody").is_empty());

    // An edit tells only the people it newly mentions.
    bench.review.edit_note(note, "@ben can you confirm? cc @carol and @dave").expect("edit");
    assert_eq!(ben.inbox(None).expect("ben's").len(), 1);
    assert_eq!(dave.inbox(None).expect("dave's").len(), 1);

    // A note on the draft mentions too; a removed note's mention leaves the inbox with it.
    let on_draft = bench.review.add_note(NoteTarget::Draft(bench.draft()), "@dave the headline", None).expect("note");
    let entries = dave.inbox(None).expect("dave's");
    assert_eq!((entries.len(), entries[0].claim), (2, None));
    bench.review.remove_note(on_draft).expect("remove");
    assert_eq!(dave.inbox(None).expect("dave's").len(), 1);
}

#[test]
fn on_a_desk_with_people_only_its_people_are_assigned() {
    if engine::on_postgres() {
        return; // people on a team store are logins made with a password: rights.rs's tests cover them
    }
    use factdesk_core::rights::{add_person, Role};
    let bench = Bench::new();
    let desk = bench.desk.id();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.staff(&[("Ana Editor", Role::Editor), ("ben", Role::Reporter)]);
    let now = chrono::Utc::now();
    assert!(matches!(
        bench.review.assign(AssignmentTarget::Claim(claim), "carol", None),
        Err(AssignmentError::NotAPerson(_))
    ));
    add_person(&lock(&bench.store), desk, "lou", Role::Lawyer, "ada", now, None).expect("lou");
    bench.review.assign(AssignmentTarget::Claim(claim), "lou", None).expect("lou is one of the desk's people");
}

#[test]
fn a_reporter_is_assigned_only_work_on_their_own_drafts_the_refusal_naming_why() {
    if engine::on_postgres() {
        return; // people on a team store are logins made with a password: rights.rs's tests cover them
    }
    use factdesk_core::rights::Role;
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.staff(&[("Ana Editor", Role::Editor), ("ben", Role::Reporter)]);
    let trail_before = bench.trail().len();

    // story.txt is at the desk's top: not ben's, so he would be told of work he may not open.
    for target in [AssignmentTarget::Claim(claim), AssignmentTarget::Draft(bench.draft())] {
        let refused = bench.review.assign(target, "ben", Some("2026-12-04")).expect_err("ben may not see story.txt");
        assert!(matches!(refused, AssignmentError::AssigneeMayNotSee { .. }), "{refused:?}");
        assert_eq!(
            refused.to_string(),
            "ben (reporter) may not be assigned work on story.txt: they may not see its claims, which needs the \
             editor, standards editor, lawyer or admin role, or to be the draft's reporter (a reporter's own drafts \
             are those under ben/)"
        );
    }
    let ben = bench.as_person("ben");
    assert!(ben.inbox(None).expect("inbox").is_empty(), "nothing reached ben's inbox");
    assert!(ben.assigned_to_me(None).expect("work").is_empty());
    assert_eq!(bench.trail().len(), trail_before, "nothing on the trail");

    // His own draft, under ben/, is his to be given.
    std::fs::create_dir(bench.tmp.path().join("desk/ben")).expect("mkdir");
    std::fs::write(bench.tmp.path().join("desk/ben/story.txt"), STORY).expect("write");
    bench.desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let his = bench.desk.draft_by_path("ben/story.txt").expect("q").expect("draft").id;
    let quote = TextQuoteSelector { exact: "The mayor said".into(), prefix: String::new(), suffix: String::new() };
    let his_claim = bench.review.add_claim(his, &quote, ClaimStatus::NeedsCorroboration).expect("claim");
    bench.review.assign(AssignmentTarget::Claim(his_claim), "ben", None).expect("ben's own draft");
    assert_eq!(ben.inbox(None).expect("inbox").len(), 1);
}

#[test]
fn a_mention_in_a_private_note_tells_the_person_without_quoting_it() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.add_private_note(NoteTarget::Claim(claim), "@ben the manager is our source", None).expect("note");
    let inbox = bench.as_person("ben").inbox(None).expect("inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].note, None, "a private note is for the editors only: not quoted in an inbox");
}

#[test]
fn a_desk_filter_keeps_only_that_desks_work_and_inbox() {
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    bench.review.assign(AssignmentTarget::Claim(claim), "ben", None).expect("assign");
    // A second desk in the same store, with work for Ben of its own.
    let other_folder = bench.tmp.path().join("other-desk");
    std::fs::create_dir(&other_folder).expect("mkdir");
    std::fs::write(other_folder.join("brief.txt"), "Council vote\n\nThe council voted nine to two on Monday.")
        .expect("write");
    let other = Desk::open(bench.store.clone(), &other_folder, bench.clock.clone()).expect("other desk");
    other.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let brief = other.draft_by_path("brief.txt").expect("q").expect("draft").id;
    bench.review.assign(AssignmentTarget::Draft(brief), "ben", None).expect("assign the brief");

    let ben = bench.as_person("ben");
    let drafts_of = |desk: Option<factdesk_core::store::DeskId>| {
        let work: Vec<DraftId> = ben.assigned_to_me(desk).expect("work").iter().map(|w| w.draft).collect();
        let inbox: Vec<DraftId> = ben.inbox(desk).expect("inbox").iter().map(|e| e.draft).collect();
        (work, inbox)
    };
    assert_eq!(drafts_of(Some(bench.desk.id())), (vec![bench.draft()], vec![bench.draft()]));
    assert_eq!(drafts_of(Some(other.id())), (vec![brief], vec![brief]));
    let (work, inbox) = drafts_of(None);
    assert_eq!((work.len(), inbox.len()), (2, 2), "without a desk, every desk's");
}

/// The claim inspector disables what the person may not do to a draft's claims (status, sources, evidence, marks,
/// removal, assigning) with the refusal each would get, naming the role (teamtry C4): the lawyer's window offered
/// them all, to refuse each after the click.
#[test]
fn the_window_is_told_who_may_not_change_a_drafts_claims_in_the_refusals_own_words() {
    if engine::on_postgres() {
        return; // people on a team store are logins made with a password: rights.rs's tests cover them
    }
    use factdesk_core::rights::Role;
    let bench = Bench::new();
    let claim = bench.claim("Six workers were injured on Tuesday");
    assert_eq!(bench.review.draft_refusals(bench.draft()).expect("refusals").change_claims, None, "no people yet");
    bench.staff(&[("Ana Editor", Role::Editor), ("lou", Role::Lawyer), ("ben", Role::Reporter)]);
    assert_eq!(bench.review.draft_refusals(bench.draft()).expect("refusals").change_claims, None, "the editor may");
    let lou = bench.as_person("lou");
    let refused = lou.set_status(claim, ClaimStatus::Cleared).expect_err("a lawyer changes no claim").to_string();
    assert_eq!(lou.draft_refusals(bench.draft()).expect("refusals").change_claims.as_deref(), Some(refused.as_str()));
    assert!(refused.starts_with("lou (lawyer) may not change claims here: it needs the editor"), "{refused}");
    let ben = bench.as_person("ben").draft_refusals(bench.draft()).expect("refusals");
    assert!(ben.change_claims.is_some_and(|r| r.contains("ben (reporter)")), "not ben's draft");
}
