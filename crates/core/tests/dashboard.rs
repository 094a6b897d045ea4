//! The desk dashboard on a real desk: the numbers are the reports' and the drafts list's.

mod engine;

use factdesk_core::anchor::TextQuoteSelector;
use factdesk_core::assignment::AssignmentTarget;
use factdesk_core::clock::FixedClock;
use factdesk_core::dashboard::ClaimAssignees;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind, SourceRole};
use factdesk_core::sourcing::workflow::DraftStatus;
use std::sync::Arc;

#[test]
fn the_dashboard_counts_claims_blockers_and_statuses_per_draft_and_for_the_desk() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("desk");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("fire.txt"),
        "Fire\n\nSix workers were injured, sources said.\n\nThe mayor said the plant would reopen.",
    )
    .expect("write");
    std::fs::write(folder.join("budget.txt"), "Budget\n\nThe council approved the budget on Monday.").expect("write");
    let store = engine::open(&tmp.path().join("f.db")).expect("store").shared();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let desk = Desk::open(store.clone(), &folder, clock.clone()).expect("desk");
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let review = Review::new(store, clock, "Ana Editor".into());
    let fire = desk.draft_by_path("fire.txt").expect("q").expect("fire").id;
    let budget = desk.draft_by_path("budget.txt").expect("q").expect("budget").id;
    let quote = |exact: &str| TextQuoteSelector { exact: exact.into(), prefix: String::new(), suffix: String::new() };
    let injured =
        review.add_claim(fire, &quote("Six workers were injured"), ClaimStatus::NeedsCorroboration).expect("claim");
    let reopen = review.add_claim(fire, &quote("the plant would reopen"), ClaimStatus::Corroborated).expect("claim");
    let source = review
        .add_source(
            desk.id(),
            &NewSource {
                descriptor: "a plant worker".into(),
                kind: SourceKind::Unnamed,
                notes: String::new(),
                confidential: Some(Confidential {
                    identity: Some("Quetzalcoatl Okonkwo".into()),
                    ..Confidential::default()
                }),
            },
        )
        .expect("source");
    review.link_source(injured, source, SourceRole::Attributed).expect("link");
    review.set_draft_status(budget, DraftStatus::NeedsWork, None).expect("status");
    review.assign(AssignmentTarget::Draft(budget), "ben", None).expect("assign the draft");
    // A claim's assignment is not the draft's.
    review.assign(AssignmentTarget::Claim(injured), "carol", None).expect("assign a claim");
    review.assign(AssignmentTarget::Claim(reopen), "carol", None).expect("assign another claim");

    let dashboard = review.desk_dashboard(desk.id()).expect("dashboard");
    assert_eq!(dashboard.rows.len(), 2);
    let row = dashboard.rows.iter().find(|r| r.draft == fire).expect("fire row");
    assert_eq!(
        (row.path.as_str(), row.status, row.claims.total, row.claims.corroborated),
        ("fire.txt", DraftStatus::InReview, 2, 1)
    );
    assert!((row.unnamed_share - 0.5).abs() < 1e-9, "{}", row.unnamed_share);
    let rules: Vec<&str> = row.blockers.iter().map(|b| b.rule.as_str()).collect();
    assert!(rules.contains(&"unresolved-claim") && rules.contains(&"unnamed-needs-two-corroborations"), "{rules:?}");
    assert!(row.status_bar_svg.starts_with("<svg") && row.text_changed_at.is_some());
    let quiet = dashboard.rows.iter().find(|r| r.draft == budget).expect("budget row");
    assert_eq!((quiet.status, quiet.claims.total, quiet.blockers.len()), (DraftStatus::NeedsWork, 0, 0));
    assert_eq!((quiet.assignee.as_deref(), row.assignee.as_deref()), (Some("ben"), None));
    // teamtry P8: whose claims the draft's are assigned to, with how many, beside the whole draft's assignee.
    let carol = ClaimAssignees { person: "carol".into(), claims: 2 };
    assert_eq!((quiet.claim_assignees.as_slice(), row.claim_assignees.as_slice()), (&[][..], &[carol][..]));

    let totals = &dashboard.totals;
    assert_eq!(
        (totals.drafts, totals.claims.total, totals.claims.needs_corroboration, totals.blocked_drafts),
        (2, 2, 1, 1)
    );
    let in_status = |s: DraftStatus| totals.by_workflow.iter().find(|w| w.status == s).map(|w| w.drafts);
    assert_eq!(
        (in_status(DraftStatus::InReview), in_status(DraftStatus::NeedsWork), in_status(DraftStatus::Ready)),
        (Some(1), Some(1), Some(0))
    );
    assert!(dashboard.status_chart_svg.contains("<svg") && dashboard.sourcing_chart_svg.contains("<svg"));
    let everything = serde_json::to_string(&dashboard).expect("json");
    assert!(!everything.contains("Quetzalcoatl"), "nothing confidential on the dashboard");

    // The CSV: a header, then the rows asked for in the order asked, every cell quoted as RFC 4180 says.
    let csv = dashboard.to_csv(Some(&[budget, fire]));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], factdesk_core::dashboard::CSV_COLUMNS.join(","));
    assert!(lines[1].starts_with("budget.txt,Budget,needs-work,false,0,0,0,0,0,0,0,0.000,,"), "{}", lines[1]);
    assert!(
        lines[2]
            .starts_with("fire.txt,Fire,in-review,false,2,1,1,0,0,0,0,0.500,\"Unresolved claim (unresolved-claim): "),
        "{}",
        lines[2]
    );
    // Each blocker by the rule's name, as the "Blocked by" chips say it, then its id.
    assert!(
        csv.contains("\nTwo-source rule (unnamed-needs-two-corroborations): claim "),
        "each blocker on its own line of the cell: {csv}"
    );
    assert_eq!(dashboard.to_csv(Some(&[fire])).matches("fire.txt").count(), 1);
    assert_eq!(dashboard.to_csv(None).matches(".txt,").count(), 2);
    assert!(!csv.contains("Quetzalcoatl"), "nothing confidential in the CSV");
}
