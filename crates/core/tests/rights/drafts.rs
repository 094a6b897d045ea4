//! A draft's text, its place in the drafts list, its owner folder and path, its versions and its moves.

use crate::engine;
use crate::fixtures::*;
use factdesk_core::desk::Desk;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::Role;
use factdesk_core::store::{lock, DraftId};

/// The desk as `name`'s Factdesk opens it (not scanned): on one machine who reads is the reviewer name set in
/// Factdesk, on a team store the login.
fn desk_as(team: &Team, name: &str) -> Desk {
    let store = team.store_of(name);
    if !engine::on_postgres() {
        Review::set_reviewer_name(&lock(&store), name).expect("reviewer");
    }
    Desk::open(store, &team._tmp.path().join("desk"), team.clock.clone()).expect("the desk as a person")
}

/// Regression: on SQLite the desk gave any reader a draft's text (the window's `get_draft`), another
/// reporter's included. The text is read with the draft's claims, as the server does on a team store.
#[test]
fn a_reporter_reads_the_text_of_their_own_drafts_only() {
    let team = Team::staffed();
    let desk = desk_as(&team, &team.reporter);
    let (_, own) = desk.draft(team.own).expect("own draft").expect("on the desk");
    assert!(own.expect("its text").text.contains("The mayor"));
    let needed = "editor, standards editor, lawyer or admin role, or to be the draft's reporter";
    refused_naming(desk.draft(team.others), needed);
    refused_naming(desk.document(team.others), needed);
    assert!(desk.document(team.own).expect("own document").is_some());
}

/// Regression (issue 15): a reporter's drafts list (the window's `list_drafts`) held every draft of the desk, and
/// clicking another reporter's gave a refusal. The list holds the drafts whose claims the person may see, as the
/// dashboard does; everyone else's list is whole.
#[test]
fn a_drafts_list_holds_only_the_drafts_the_person_may_open() {
    let team = Team::staffed();
    let listed = |name: &str| {
        let desk = desk_as(&team, name);
        let mut drafts: Vec<DraftId> = desk.summaries().expect("drafts list").iter().map(|d| d.id).collect();
        drafts.sort();
        (desk, drafts)
    };
    let mut every = vec![team.own, team.others, team.shared];
    every.sort();
    let (desk, bo) = listed(&team.reporter);
    assert_eq!(bo, vec![team.own], "a reporter lists their own drafts only");
    for id in &bo {
        assert!(desk.document(*id).expect("opens").is_some(), "every listed draft opens");
    }
    assert_eq!(listed(&team.other_reporter).1, vec![team.others]);
    for name in [&team.editor, &team.standards, &team.lawyer] {
        assert_eq!(listed(name).1, every, "{name} lists every draft");
    }
    let dashboard = team.as_person(&team.reporter).desk_dashboard(team.desk).expect("dashboard");
    assert_eq!(dashboard.rows.iter().map(|r| r.draft).collect::<Vec<_>>(), vec![team.own], "the dashboard the same");
}

/// A Word document whose one paragraph is `text`, with one comment by `author` saying `comment` on its
/// first word: what a reporter's Word saves.
fn word_document(text: &str, author: &str, comment: &str) -> Vec<u8> {
    use std::io::Write;
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let (first, rest) = text.split_once(' ').expect("two words");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>{first}</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:t xml:space="preserve"> {rest}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W}><w:comment w:id="0" w:author="{author}" w:date="2026-11-30T10:05:00Z"><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let parts: [(&str, &[u8]); 5] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", document.as_bytes()),
        (
            "word/_rels/document.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#,
        ),
        ("word/comments.xml", comments.as_bytes()),
    ];
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(name, options).expect("start");
        out.write_all(bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Regression: on the team store a reporter's login read every draft's document comments (imported from
/// Word or LibreOffice, they quote and discuss the draft's text) and what changed in every ready draft since
/// it was marked (the claims' words). Both are now read with the draft's claims, as its text is; a reporter's
/// Factdesk still records the comments of another reporter's document it finds in the shared folder.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_drafts_document_comments_and_changes_since_ready_are_read_with_its_claims() {
    let story = |comment: &str| word_document("The mayor spent 5 million on the bridge.", "Lee Park", comment);
    let team = TeamDesk::with_stories(
        "story.docx",
        [story("Which budget line?"), story("Our source at the council says 6 million.")],
    );
    let (bo, cy, own, others) = (team.bo.clone(), team.cy.clone(), team.own, team.others);
    let (lou, ada) = (unique("lou"), unique("ada"));
    team.staff(&[(&lou, Role::Lawyer), (&ada, Role::Admin)]);
    // What changed since each draft was marked ready, as a scan records it (the claims' words, quoted).
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("connect");
    superuser
        .batch_execute(
            r#"INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, detected_at)
               SELECT id, current_version_id, 'ready',
                      '[{"kind": "claim-edited", "claim": null, "message": "claim 1 “The mayor spent” was reworded"}]', 'x'
               FROM drafts"#,
        )
        .expect("changes since ready");
    let connect = |login: &str| team.connect(login);
    let drafts_in = |client: &mut postgres::Client, table: &str| -> Vec<i64> {
        let sql = format!("SELECT DISTINCT draft_id FROM {table} ORDER BY draft_id");
        client.query(&sql, &[]).expect(table).iter().map(|r| r.get(0)).collect()
    };

    let mut reporter = connect(&bo);
    for table in ["document_comments", "draft_changes_since_ready"] {
        assert_eq!(drafts_in(&mut reporter, table), vec![own.0], "{table}: only their own draft's");
    }
    let changed = reporter
        .execute("UPDATE document_comments SET body = 'rewritten' WHERE draft_id = $1", &[&others.0])
        .expect("update");
    assert_eq!(changed, 0, "another reporter's comments are not there for them");
    let mut lawyer = connect(&lou);
    for table in ["document_comments", "draft_changes_since_ready"] {
        assert_eq!(drafts_in(&mut lawyer, table).len(), 2, "{table}: the lawyer reads every draft's");
    }

    // Nor does the server write them for the reporter (issue 13, left by the last session: its function ran with
    // its owner's rights for any login, which could mark any draft's comments gone or rewrite them).
    let refused = reporter
        .execute("SELECT factdesk_sync_document_comments($1, '[]', 'x')", &[&others.0])
        .expect_err("another reporter's draft's comments");
    assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");

    // The other reporter's Word adds a comment; this reporter's Factdesk, scanning the shared folder, records the
    // new version and leaves its comments, which it may not see, to a login that does: the scan goes on.
    std::fs::write(team.folder.join(&cy).join("story.docx"), story("Ask the clerk for the minutes.")).expect("write");
    let reporters_desk = team.desk_as(&bo);
    reporters_desk.scan(&mut |_| {}, &mut |_| {}).expect("the reporter's scan of the shared folder");
    let bodies = |client: &mut postgres::Client| -> Vec<(String, bool)> {
        client
            .query(
                "SELECT body, removed_at IS NOT NULL FROM document_comments WHERE draft_id = $1 ORDER BY id",
                &[&others.0],
            )
            .expect("comments")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let mut owner_of_draft = connect(&cy);
    assert_eq!(
        bodies(&mut owner_of_draft),
        vec![("Our source at the council says 6 million.".to_owned(), false)],
        "left as they were"
    );
    // Its own reporter's Factdesk finds the file as recorded (no scan reads it again) and, opening the draft,
    // brings its comments in step with it.
    let document = team.desk_as(&cy).document(others).expect("open").expect("the draft");
    assert_eq!(
        document.comments.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        ["Ask the clerk for the minutes.", "Our source at the council says 6 million."]
    );
    assert_eq!(
        bodies(&mut owner_of_draft),
        vec![
            ("Our source at the council says 6 million.".to_owned(), true),
            ("Ask the clerk for the minutes.".to_owned(), false)
        ],
        "the new comment is recorded, the one gone from the file marked so"
    );
}

/// Finding 2: the rights rest on a draft's desk and owner folder, which every group could change. A reporter's
/// login may still open a desk (every Factdesk does; the store's owner records a new one since 0043), but not move
/// a draft to it, nor into their own folder or out of another's, nor change a desk's folder; and asks the server
/// the same after trying.
#[test]
fn on_a_team_store_a_reporter_cannot_move_another_reporters_draft_within_their_reach() {
    let trail = TeamTrail::new();
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let desk: i64 = owner
        .query_one(
            "INSERT INTO desks (path, created_at, last_opened_at) VALUES ($1, 'x', 'x') RETURNING id",
            &[&format!("/elsewhere/{}", trail.reporter)],
        )
        .expect("the owner records a desk")
        .get(0);
    let mut reporter = postgres::Client::connect(&trail.db.url_as(&trail.reporter), postgres::NoTls).expect("connect");
    let mut tx = reporter.transaction().expect("transaction");
    let error = tx
        .execute("UPDATE drafts SET desk_id = $1 WHERE id = $2", &[&desk, &trail.others_draft.0])
        .expect_err("a draft moved to a desk without people");
    assert_eq!(sqlstate(&error), Some("42501"), "{error}");
    tx.rollback().expect("rollback");
    let others: &[&(dyn postgres::types::ToSql + Sync)] = &[&trail.others_draft.0];
    assert_refused(
        &mut reporter,
        &[
            ("UPDATE drafts SET path = current_user || '/' || path WHERE id = $1", others),
            (
                "UPDATE drafts SET path = '.factdesk-missing/' || id || '/' || current_user || '/story.md' WHERE id = $1",
                others,
            ),
            ("UPDATE drafts SET path = 'story.md' WHERE id = $1", others),
            ("UPDATE desks SET path = '/elsewhere' WHERE id = (SELECT desk_id FROM drafts WHERE id = $1)", others),
        ],
        "42501",
    );
    // Inside the owner folder, and a deleted draft stepping aside, anyone may (every Factdesk scans renames).
    let mut tx = reporter.transaction().expect("transaction");
    for sql in [
        "UPDATE drafts SET path = regexp_replace(path, 'story', 'story-final') WHERE id = $1",
        "UPDATE drafts SET path = '.factdesk-missing/' || id || '/' || path WHERE id = $1",
    ] {
        assert_eq!(tx.execute(sql, &[&trail.others_draft.0]).expect(sql), 1, "{sql}");
    }
    let sees: bool =
        tx.query_one("SELECT factdesk_may_see_claims_of($1)", &[&trail.others_draft.0]).expect("ask").get(0);
    assert!(!sees);
    tx.rollback().expect("rollback");
}

/// Finding 2, the legitimate side, on both engines: a reporter's Factdesk follows another reporter's rename inside
/// their folder; a move out of it is followed by no scan, the reporter's nor an editor's, and does not fail it.
#[test]
fn a_reporters_factdesk_follows_a_rename_in_an_owner_folder_and_no_scan_carries_a_move_out_of_it() {
    let team = Team::staffed();
    let folder = team._tmp.path().join("desk");
    let scanned = |login: &str| {
        let desk = Desk::open(team.store_of(login), &folder, team.clock.clone()).expect("open the desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk
    };
    let theirs = folder.join(&team.other_reporter);
    std::fs::rename(theirs.join("story.md"), theirs.join("story-final.md")).expect("rename");
    let desk = scanned(&team.reporter);
    let renamed = format!("{}/story-final.md", team.other_reporter);
    assert_eq!(desk.draft_by_path(&renamed).expect("lookup").map(|d| d.id), Some(team.others));

    let taken = format!("{}/taken.md", team.reporter);
    std::fs::rename(theirs.join("story-final.md"), folder.join(&taken)).expect("move");
    let desk = scanned(&team.reporter);
    // Across owner folders no scan carries the review (issue 13, crates/core/tests/hostile_rows.rs), an
    // editor's neither: the file is a new draft, the old one stays missing.
    for desk in [desk, scanned(&team.editor)] {
        let at_new_place = desk.draft_by_path(&taken).expect("lookup").expect("a new draft").id;
        assert_ne!(at_new_place, team.others, "the review was carried");
        let left = desk.draft_by_path(&renamed).expect("lookup").expect("the draft where it was");
        assert!(left.id == team.others && left.missing, "shown missing: {left:?}");
    }
}

/// Finding 3: a draft's versions are what editors review; any group could rewrite their text, add one under
/// another text's hash, or make another draft's version a draft's current one. Factdesk only notes when a
/// version was first seen.
#[test]
fn on_a_team_store_no_login_forges_a_drafts_versions() {
    let trail = TeamTrail::new();
    let (mut reporter, own) = trail.reporter();
    for sql in [
        "UPDATE draft_versions SET text = 'forged'",
        "UPDATE draft_versions SET content_hash = repeat('0', 64)",
        "UPDATE draft_versions SET draft_id = draft_id",
    ] {
        denied(&mut reporter, sql);
    }
    reporter
        .execute("UPDATE draft_versions SET first_seen_at = first_seen_at WHERE draft_id = $1", &[&own])
        .expect("every scan notes when a version was first seen");
    assert_refused(
        &mut reporter,
        &[
            // A version under another text's hash.
            (
                "INSERT INTO draft_versions (draft_id, content_hash, text, blocks, words, first_seen_at)
                 VALUES ($1, encode(sha256('The mayor resigned.'::bytea), 'hex'), 'The mayor stayed.', '[]', 3, 'x')",
                &[&own],
            ),
            // Another draft's version as this one's.
            (
                "UPDATE drafts SET current_version_id = (SELECT v.id FROM draft_versions v WHERE v.draft_id <> $1 LIMIT 1)
                 WHERE id = $1",
                &[&own],
            ),
        ],
        "23514",
    );
    let text = "The mayor stayed.";
    reporter
        .execute(
            "INSERT INTO draft_versions (draft_id, content_hash, text, blocks, words, first_seen_at)
             VALUES ($1, $2, $3, '[]', 3, 'x')",
            &[&own, &factdesk_core::ingest::hex_sha256(text.as_bytes()), &text],
        )
        .expect("a version as Factdesk records it");
}

/// Finding 4: a draft's path is relative inside its desk, its components neither empty, `.` nor `..`, with no
/// backslash: `bo/../cy/story.md` is in bo's owner folder by its first component and in cy's on disk.
#[test]
fn on_a_team_store_a_drafts_path_stays_inside_its_desk() {
    let trail = TeamTrail::new();
    let (mut reporter, own) = trail.reporter();
    let into_cy = format!("{}/../{}/story.md", trail.reporter, trail.other_reporter);
    assert_refused(&mut reporter, &[("UPDATE drafts SET path = $2 WHERE id = $1", &[&own, &into_cy])], "23514");
    // For every login, the tables' owner too, recording a draft.
    let mut owner = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("owner");
    let record = "INSERT INTO drafts (desk_id, path, title, state, created_at, updated_at)
                  VALUES ((SELECT desk_id FROM drafts WHERE id = $1), $2, 'x', 'ok', 'x', 'x')";
    let paths = [
        format!("{}/./story.md", trail.reporter),
        format!("{}//story.md", trail.reporter),
        format!("{}/story.md/", trail.reporter),
        format!("{}/a\\..\\story.md", trail.reporter),
        "/etc/story.md".into(),
        "..".into(),
        String::new(),
    ];
    let recorded: Vec<[&(dyn postgres::types::ToSql + Sync); 2]> = paths.iter().map(|p| [&own as _, p as _]).collect();
    let statements: Vec<Statement<'_>> = recorded.iter().map(|params| (record, params.as_slice())).collect();
    assert_refused(&mut owner, &statements, "23514");
    let bytes = [b"bo/../x.md".as_slice(), b"bo\\x.md", b"/x\xff.md", b""];
    let named: Vec<[&(dyn postgres::types::ToSql + Sync); 2]> = bytes.iter().map(|b| [&own as _, b as _]).collect();
    let statements: Vec<Statement<'_>> =
        named.iter().map(|params| ("UPDATE drafts SET path_bytes = $2 WHERE id = $1", params.as_slice())).collect();
    assert_refused(&mut owner, &statements, "23514");
    let renamed = format!("{}/.story-final.md", trail.reporter);
    reporter.execute("UPDATE drafts SET path = $2 WHERE id = $1", &[&own, &renamed]).expect("a rename");
    reporter
        .execute("UPDATE drafts SET path_bytes = $2 WHERE id = $1", &[&own, &b"bo/st\xffry.md".as_slice()])
        .expect("a name that is not UTF-8");
}

/// Finding 6: 0007 read a reporter's owner folder from the path's start, so a reporter lost their own deleted
/// draft once it stepped aside to `.factdesk-missing/<id>/bo/…`; 0021's owner folder skips that prefix.
#[test]
fn on_a_team_store_a_reporter_keeps_their_own_draft_once_it_steps_aside() {
    let trail = TeamTrail::new();
    let (mut reporter, own) = trail.reporter();
    reporter
        .execute(
            "UPDATE drafts SET path = '.factdesk-missing/' || id || '/' || path, missing = TRUE WHERE id = $1",
            &[&own],
        )
        .expect("a deleted draft steps aside");
    let sees: bool = reporter.query_one("SELECT factdesk_may_see_claims_of($1)", &[&own]).expect("ask").get(0);
    assert!(sees, "the reporter lost their own draft once it stepped aside");
    let claims: i64 =
        reporter.query_one("SELECT count(*) FROM claims WHERE id = $1", &[&trail.own_claim.0]).expect("claims").get(0);
    assert_eq!(claims, 1);
}

/// Issue 13, the window's side of `draft move`: a missing draft with a review offers an editor the files it may go
/// to (none with a review of its own; the same text first, then the same file name), and tells a reporter or the
/// lawyer in a line who may carry it; once carried, or with no review, there is nothing to offer.
#[test]
fn a_missing_drafts_review_is_offered_to_an_editor_with_the_likely_file_first_and_explained_to_others() {
    use factdesk_core::desk::{CarryHint, CarryTarget};
    let team = Team::staffed();
    let folder = team._tmp.path().join("desk");
    team.claim_on(team.own);
    team.claim_on(team.others);
    let own_path = format!("{}/story.md", team.reporter);
    std::fs::write(folder.join("shared.md"), "# Shared\n\nThe desk meets on Monday.\n").expect("write");
    for dir in ["inbox", "archive"] {
        std::fs::create_dir(folder.join(dir)).expect("mkdir");
    }
    std::fs::rename(folder.join(&own_path), folder.join("inbox/story.md")).expect("move");
    std::fs::write(folder.join("inbox/other.md"), "# Other\n\nThe bridge opens in May.\n").expect("write");
    std::fs::write(folder.join("archive/story.md"), "# Old\n\nThe bridge was planned in 1999.\n").expect("write");
    let desk_of = |login: &str| {
        let desk = Desk::open(team.store_of(login), &folder, team.clock.clone()).expect("open the desk");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
        desk
    };
    let desk = desk_of(&team.editor);
    let offer = desk.review_carry(&team.editor, team.own).expect("offer").expect("a missing draft with a review");
    let id = |path: &str| desk.draft_by_path(path).expect("lookup").expect("draft").id;
    let target = |path: &str, hint| CarryTarget { draft: id(path), path: path.to_owned(), hint };
    assert_eq!(offer.from, own_path);
    assert_eq!(offer.refused, None);
    assert_eq!(
        offer.targets,
        vec![
            target("inbox/story.md", Some(CarryHint::SameText)),
            target("archive/story.md", Some(CarryHint::SameName)),
            target("inbox/other.md", None),
            target("shared.md", None),
        ],
        "the other reporter's draft has a review of its own"
    );

    for login in [&team.reporter, &team.lawyer] {
        let told = desk_of(login).review_carry(login, team.own).expect("offer").expect("something to say");
        let line = told.refused.expect("refused");
        assert!(told.targets.is_empty(), "{login} is shown no other draft");
        assert_eq!(
            line,
            format!(
                "Moved out of {}/? Its review stays with this missing draft: someone with the editor or standards \
                 editor role can carry it to the new file.",
                team.reporter
            )
        );
    }

    desk.carry_review(&team.editor, &own_path, "inbox/story.md").expect("carried");
    assert_eq!(id("inbox/story.md"), team.own);
    assert_eq!(desk.review_carry(&team.editor, team.own).expect("offer"), None, "in the folder again");
    std::fs::remove_file(folder.join("inbox/other.md")).expect("rm");
    let desk = desk_of(&team.editor);
    let gone = desk.draft_by_path("inbox/other.md").expect("lookup").expect("missing");
    assert_eq!(desk.review_carry(&team.editor, gone.id).expect("offer"), None, "no review to carry");
}

/// Issue 13, the window: after *Move its review to…* (`Desk::carry_review`, as `factdesk draft move`), the empty
/// draft the scan had made of the moved file was set aside as missing and stayed in the drafts list beside the
/// review carried to its path. The moved review is now the only entry for that file, and the list shows nothing of
/// the draft set aside (no review of its own, its path given to the review), after a new scan too; a draft set aside
/// holding a review is still listed. Both engines.
#[test]
fn after_its_review_is_carried_to_a_moved_file_the_drafts_list_shows_that_file_once() {
    let team = Team::staffed();
    let folder = team._tmp.path().join("desk");
    team.claim_on(team.own);
    let own_path = format!("{}/story.md", team.reporter);
    std::fs::create_dir(folder.join("inbox")).expect("mkdir");
    std::fs::rename(folder.join(&own_path), folder.join("inbox/story.md")).expect("move");
    // The window lists what the reviewer set in Factdesk may open (on a team store, the login).
    let desk = desk_as(&team, &team.editor);
    desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    let empty = desk.draft_by_path("inbox/story.md").expect("lookup").expect("the scan's new draft").id;
    assert_ne!(empty, team.own, "a scan carries no review out of an owner folder");
    desk.carry_review(&team.editor, &own_path, "inbox/story.md").expect("carried");

    let listed = |desk: &Desk| -> Vec<(DraftId, String, bool)> {
        desk.summaries().expect("the drafts list").into_iter().map(|d| (d.id, d.path, d.missing)).collect()
    };
    for round in ["after the move", "after a new scan"] {
        let entries = listed(&desk);
        let at_new_path: Vec<DraftId> =
            entries.iter().filter(|(_, path, _)| path == "inbox/story.md").map(|(id, _, _)| *id).collect();
        assert_eq!(at_new_path, [team.own], "{round}: the moved review alone: {entries:?}");
        assert!(!entries.iter().any(|(id, _, _)| *id == empty), "{round}: the draft set aside is listed: {entries:?}");
        assert!(!entries.iter().any(|(_, _, missing)| *missing), "{round}: nothing missing: {entries:?}");
        desk.scan(&mut |_| {}, &mut |_| {}).expect("scan");
    }
    // It is kept, missing, out of the way: only the list leaves it out.
    let set_aside = desk.drafts().expect("drafts").into_iter().find(|d| d.id == empty).expect("kept");
    assert!(set_aside.missing && set_aside.path.starts_with(".factdesk-missing/"), "{set_aside:?}");
    // One set aside holding a review (a claim tagged on it before) is listed, missing, to be seen or carried.
    team.as_person(&team.editor).add_claim(empty, &quote(), ClaimStatus::NeedsCorroboration).expect("a claim on it");
    assert!(listed(&desk).contains(&(empty, set_aside.path.clone(), true)), "{:?}", listed(&desk));
}
