//! Reads per desk on a team store (0025, 0033): every row each login reads, by the rule.

use crate::fixtures::*;
use factdesk_core::rights::Role;
use factdesk_core::sourcing::note::NoteTarget;
use factdesk_core::store::{ClaimId, DraftId};

/// The people of the store `on_a_team_store_each_login_reads_the_rows_of_the_rule_asked_once_per_query` reads
/// through: each login's desk roles (desk 3 has no people) and its Factdesk group (none: a login granted the tables
/// directly, as before people existed).
struct RuleLogin {
    name: String,
    roles: Vec<(i64, &'static str)>,
    group: Option<&'static str>,
}

/// 0021's `factdesk_owner_folder`: the first folder of a path, after a deleted draft's `.factdesk-missing/<id>/`.
fn owner_folder(path: &str) -> &str {
    let stripped = path
        .strip_prefix(".factdesk-missing/")
        .and_then(|rest| {
            let (id, rest) = rest.split_once('/')?;
            (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
        })
        .unwrap_or(path);
    stripped.split_once('/').map_or("", |(folder, _)| folder)
}

/// Issue 13 (0025, 0033): the read policies ask a login's rights once per query, from the set of desks it reads
/// whole, instead of calling a function per row, and a login reads only the desks it is one of the people of. For
/// each role, logins of two desks with different roles, a login in a group but on no desk's people, and a login in
/// no group, every row of every table those policies hold is read as the login and compared with the rule, written
/// here from src/rights.rs and 0007/0017/0021/0022/0033/0043: a login in no group sees everything; any other login
/// sees the claims (and what hangs from them) of every draft of a desk where it holds another role than reporter
/// (of a desk without people none, since 0043), and of the drafts in its own owner folder on a desk it is one of
/// the people of, stepped aside or not (review session 9, finding 10: not on a desk where it is no one); private
/// notes and the replies in their threads are read by a login in no group, and on a desk where the login is an
/// editor, standards editor or lawyer; a draft's text (its versions), editor's note, rule overrides and workflow,
/// and the register of sources (and its search entries) are read on the desks the login is one of the people of,
/// whatever its role (finding 4); so are the dismissed suggestions (review session 10, finding 9). The per-draft
/// functions the policies called before are held
/// to the same rule, and a login's look-alike temporary tables change nothing. Always on a real PostgreSQL server,
/// whatever engine the run is for.
#[test]
fn on_a_team_store_each_login_reads_the_rows_of_the_rule_asked_once_per_query() {
    use std::collections::BTreeSet;
    let db = team_store();
    let mut owner = postgres::Client::connect(&db.url, postgres::NoTls).expect("owner");
    let login = |base: &str, roles: Vec<(i64, &'static str)>, group: Option<&'static str>| RuleLogin {
        name: unique(base),
        roles,
        group,
    };
    let logins = [
        // A reporter on desk 1, an editor on desk 2.
        login("bo", vec![(1, "reporter"), (2, "editor")], Some("factdesk_reporter")),
        login("cy", vec![(1, "reporter"), (2, "reporter")], Some("factdesk_reporter")),
        // An editor of desk 1 only: none of desk 2's claims, though the editors' group is the whole server's.
        login("ed", vec![(1, "editor")], Some("factdesk_editor")),
        login("sue", vec![(1, "standards-editor")], Some("factdesk_standards_editor")),
        // A lawyer on desk 1, a reporter on desk 2.
        login("lou", vec![(1, "lawyer"), (2, "reporter")], Some("factdesk_lawyer")),
        // The desk's admin, a lawyer on desk 2.
        login("ada", vec![(1, "admin"), (2, "lawyer")], Some("factdesk_admin")),
        // An editor of desk 1 and a lawyer of desk 2: both desks, their private notes too.
        login("eve", vec![(1, "editor"), (2, "lawyer")], Some("factdesk_editor")),
        // A standards editor of desk 2 only.
        login("sam", vec![(2, "standards-editor")], Some("factdesk_standards_editor")),
        // In the editors' group, on no desk's people (taken off every desk): nothing (0043: not even the desk without
        // people).
        login("gil", vec![], Some("factdesk_editor")),
        // A login in no group, granted the tables directly (as before people existed).
        login("nog", vec![], None),
        // A reporter of desk 1 only, with an owner folder on desk 2 too (review session 9, finding 10).
        login("rey", vec![(1, "reporter")], Some("factdesk_reporter")),
    ];
    for person in &logins {
        match person.group {
            Some(group) => {
                owner.batch_execute(&format!("CREATE ROLE \"{}\" LOGIN IN ROLE {group}", person.name)).expect("login")
            }
            None => db.create_login(&person.name),
        }
    }
    let (bo, cy) = (&logins[0].name, &logins[1].name);
    let (ed, gil, rey) = (&logins[2].name, &logins[8].name, &logins[10].name);
    owner
        .batch_execute(
            "INSERT INTO desks (id, path, created_at, last_opened_at)
             VALUES (1, '/a', 'x', 'x'), (2, '/b', 'x', 'x'), (3, '/c', 'x', 'x')",
        )
        .expect("desks");
    for person in &logins {
        for (desk, role) in &person.roles {
            owner
                .execute(
                    "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, $2, $3, 'x', 'x')",
                    &[desk, &person.name, role],
                )
                .expect("person");
        }
    }
    let drafts: Vec<(i64, i64, String)> = vec![
        (1, 1, format!("{bo}/one.md")),
        (2, 1, format!("{cy}/one.md")),
        (3, 1, "shared.md".into()),
        (4, 1, format!(".factdesk-missing/4/{bo}/gone.md")),
        (5, 1, format!(".factdesk-missing/5/{cy}/gone.md")),
        (6, 1, format!("{bo}/deeper/two.md")),
        // A folder whose name starts with the login's, a stepped-aside draft of no folder, the login's name as a
        // file's.
        (7, 1, format!("{bo}x/one.md")),
        (8, 1, ".factdesk-missing/8/top.md".into()),
        (9, 1, bo.clone()),
        (10, 2, format!("{cy}/b.md")),
        (11, 2, "b.md".into()),
        (12, 2, format!("{bo}/b.md")),
        (13, 3, format!("{cy}/c.md")),
        (14, 3, "c.md".into()),
        // Owner folders on a desk where the login is no one: a reporter of desk 1, an editor of desk 1, a login on
        // no desk's people. Each reads its folder on desk 1 only.
        (15, 2, format!("{rey}/b.md")),
        (16, 2, format!("{ed}/b.md")),
        (17, 2, format!("{gil}/b.md")),
        (18, 1, format!("{rey}/a.md")),
    ];
    for (id, desk, path) in &drafts {
        owner
            .execute(
                "INSERT INTO drafts (id, desk_id, path, title, state, created_at, updated_at)
                 VALUES ($1, $2, $3, 'Story', 'ok', 'x', 'x')",
                &[id, desk, path],
            )
            .expect("draft");
    }
    // On every draft two claims, each with its placement, status change, evidence, attributed source, assignment,
    // a public and a private note and a reply to each; on every draft a public and a private note and a reply to
    // each, an assignment, a document comment, a change since ready and a published record; a private note's
    // earlier text. The search index follows by its triggers.
    owner
        .batch_execute(
            "INSERT INTO draft_versions (id, draft_id, content_hash, text, blocks, words, first_seen_at)
                 SELECT id, id, encode(sha256(convert_to('The mayor.', 'UTF8')), 'hex'), 'The mayor.', '[]', 2, 'x'
                 FROM drafts;
             UPDATE drafts SET current_version_id = id;
             INSERT INTO claims (id, draft_id, exact, prefix, suffix, start, \"end\", version_id, created_by,
                                 created_at, updated_by, updated_at)
                 SELECT d.id * 10 + n, d.id, 'The mayor spent ' || n, '', '', 0, 1, d.id, 'x', 'x', 'x', 'x'
                 FROM drafts d, generate_series(1, 2) n;
             INSERT INTO claim_anchors (claim_id, version_id, state, start, \"end\", confidence, candidates,
                                        computed_at)
                 SELECT id, version_id, 'anchored', 0, 1, 1.0, '[]', 'x' FROM claims;
             INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at)
                 SELECT id, 'disputed', 'x', 'x' FROM claims;
             INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at)
                 SELECT id, 'document', 'ledger ' || id, 'The ledger', TRUE, 'x', 'x' FROM claims;
             INSERT INTO sources (id, desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
                 SELECT id, id, 'a council official', 'unnamed', 'x', 'x', 'x', 'x' FROM desks;
             INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
                 SELECT c.id, d.desk_id, 'attributed', 'x', 'x' FROM claims c JOIN drafts d ON d.id = c.draft_id;
             INSERT INTO notes (claim_id, text, author, created_at, private)
                 SELECT id, 'Ask the treasurer.', 'x', 'x', p FROM claims, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (draft_id, text, author, created_at, private)
                 SELECT id, 'Hold until Friday.', 'x', 'x', p FROM drafts, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (claim_id, draft_id, reply_to, text, author, created_at)
                 SELECT claim_id, draft_id, id, 'Agreed.', 'x', 'x' FROM notes;
             INSERT INTO note_edits (note_id, text, edited_by, edited_at)
                 SELECT id, 'Before.', 'x', 'x' FROM notes WHERE private OR reply_to IS NULL;
             INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM claims;
             INSERT INTO assignments (draft_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM drafts;
             INSERT INTO document_comments (draft_id, comment_key, author, body, quote_exact, quote_prefix,
                                            quote_suffix, first_seen_at)
                 SELECT id, 'k', 'x', 'Check this.', 'mayor', '', '', 'x' FROM drafts;
             INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, detected_at)
                 SELECT id, id, 'ready', '[]', 'x' FROM drafts;
             INSERT INTO published_reviews (draft_id, version_id, published_by, published_at, record)
                 SELECT id, id, 'x', 'x', '{}' FROM drafts;
             INSERT INTO editor_notes (draft_id, text, saved_by, saved_at) SELECT id, 'Tighten.', 'x', 'x' FROM drafts;
             INSERT INTO rule_overrides (draft_id, reason, overridden_by, overridden_at)
                 SELECT id, 'The minutes say so.', 'x', 'x' FROM drafts;
             INSERT INTO suggestion_dismissals (draft_id, sentence_hash, sentence, dismissed_by, dismissed_at)
                 SELECT id, 'h', 'The mayor.', 'x', 'x' FROM drafts;
             INSERT INTO rule_override_findings (override_id, rule) SELECT id, 'two-sources' FROM rule_overrides;
             INSERT INTO draft_workflow (draft_id, status, changed_by, changed_at, version_id)
                 SELECT id, 'needs-work', 'x', 'x', id FROM drafts",
        )
        .expect("the rows");

    let desk_of = |draft: i64| drafts.iter().find(|(id, _, _)| *id == draft).map(|(_, desk, _)| *desk).expect("desk");
    let path_of = |draft: i64| drafts.iter().find(|(id, _, _)| *id == draft).map(|(_, _, path)| path).expect("path");
    // A desk without people (desk 3) is read by no login in a group since 0043 (review session 10, finding 5): the
    // store has people, and none of these logins is its owner.
    let role_on = |person: &RuleLogin, desk: i64| person.roles.iter().find(|(d, _)| *d == desk).map(|(_, r)| *r);
    let sees = |person: &RuleLogin, draft: i64| {
        let desk = desk_of(draft);
        person.group.is_none()
            || role_on(person, desk).is_some_and(|role| role != "reporter")
            || (role_on(person, desk).is_some() && owner_folder(path_of(draft)) == person.name)
    };
    // The draft's text and what hangs from the draft as a whole, and the register of sources: its desk's.
    let reads_desk = |person: &RuleLogin, desk: i64| person.group.is_none() || role_on(person, desk).is_some();
    let reads_private = |person: &RuleLogin, draft: i64| {
        let desk = desk_of(draft);
        person.group.is_none()
            || role_on(person, desk).is_some_and(|role| ["editor", "standards-editor", "lawyer"].contains(&role))
    };
    // Each table: the owner's query giving every row's key, its draft (none: seen by all) and whether it is in a
    // private thread; the login's query giving the keys it reads.
    let tables = [
        ("claims", "SELECT id::text, draft_id, FALSE FROM claims", "SELECT id::text FROM claims"),
        (
            "claim_anchors",
            "SELECT a.id::text, c.draft_id, FALSE FROM claim_anchors a JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM claim_anchors",
        ),
        (
            "claim_status_changes",
            "SELECT s.id::text, c.draft_id, FALSE FROM claim_status_changes s JOIN claims c ON c.id = s.claim_id",
            "SELECT id::text FROM claim_status_changes",
        ),
        (
            "evidence",
            "SELECT e.id::text, c.draft_id, FALSE FROM evidence e JOIN claims c ON c.id = e.claim_id",
            "SELECT id::text FROM evidence",
        ),
        (
            "claim_sources",
            "SELECT l.claim_id::text, c.draft_id, FALSE FROM claim_sources l JOIN claims c ON c.id = l.claim_id",
            "SELECT claim_id::text FROM claim_sources",
        ),
        (
            "notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id), n.private OR coalesce(t.private, FALSE)
             FROM notes n LEFT JOIN claims c ON c.id = n.claim_id LEFT JOIN notes t ON t.id = n.reply_to",
            "SELECT id::text FROM notes",
        ),
        (
            "note_edits",
            "SELECT e.id::text, coalesce(n.draft_id, c.draft_id), n.private
             FROM note_edits e JOIN notes n ON n.id = e.note_id LEFT JOIN claims c ON c.id = n.claim_id",
            "SELECT id::text FROM note_edits",
        ),
        (
            "assignments",
            "SELECT a.id::text, coalesce(a.draft_id, c.draft_id), FALSE
             FROM assignments a LEFT JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM assignments",
        ),
        (
            "search_entries",
            "SELECT kind || ':' || item_id, draft_id, FALSE FROM search_entries WHERE kind <> 'source'",
            "SELECT kind || ':' || item_id FROM search_entries WHERE kind <> 'source'",
        ),
        (
            "document_comments",
            "SELECT id::text, draft_id, FALSE FROM document_comments",
            "SELECT id::text FROM document_comments",
        ),
        (
            "draft_changes_since_ready",
            "SELECT draft_id::text, draft_id, FALSE FROM draft_changes_since_ready",
            "SELECT draft_id::text FROM draft_changes_since_ready",
        ),
        (
            "published_reviews",
            "SELECT id::text, draft_id, FALSE FROM published_reviews",
            "SELECT id::text FROM published_reviews",
        ),
    ];
    let every_draft: Vec<i64> = drafts.iter().map(|(id, _, _)| *id).collect();
    let keys = |client: &mut postgres::Client, sql: &str| -> BTreeSet<String> {
        client.query(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).iter().map(|row| row.get(0)).collect()
    };
    for person in &logins {
        let mut client = postgres::Client::connect(&db.url_as(&person.name), postgres::NoTls).expect("connect");
        // The per-draft functions (still asked by the writes' WITH CHECK and the audit trail) say the same.
        let drafts_by = |client: &mut postgres::Client, function: &str| -> Vec<i64> {
            let sql = format!("SELECT id FROM drafts WHERE {function}(id) ORDER BY id");
            client.query(&sql, &[]).expect("per draft").iter().map(|row| row.get(0)).collect()
        };
        let seen: Vec<i64> = every_draft.iter().copied().filter(|d| sees(person, *d)).collect();
        let private: Vec<i64> = every_draft.iter().copied().filter(|d| reads_private(person, *d)).collect();
        assert_eq!(drafts_by(&mut client, "factdesk_may_see_claims_of"), seen, "{}: the rule of claims", person.name);
        assert_eq!(
            drafts_by(&mut client, "factdesk_may_read_private_notes"),
            private,
            "{}: the rule of private notes",
            person.name
        );
        let mut listings = Vec::new();
        for (table, every_row, as_login) in tables {
            let expected: BTreeSet<String> = owner
                .query(every_row, &[])
                .expect("every row")
                .iter()
                .filter(|row| {
                    let draft: Option<i64> = row.get(1);
                    let in_private_thread: bool = row.get(2);
                    draft.is_none_or(|d| sees(person, d) && (!in_private_thread || reads_private(person, d)))
                })
                .map(|row| row.get(0))
                .collect();
            let read = keys(&mut client, as_login);
            assert_eq!(read, expected, "{} reading {table}", person.name);
            // A login in a group on no desk's people reads nothing (0043); every other compares something.
            assert_eq!(
                expected.is_empty(),
                person.group.is_some() && person.roles.is_empty(),
                "{} reads some {table}: the comparison compares something",
                person.name
            );
            listings.push((as_login, read));
        }
        // Each table read by desk: the owner's query giving every row's key and its desk.
        let desk_tables = [
            (
                "draft_versions",
                "SELECT v.id::text, d.desk_id FROM draft_versions v JOIN drafts d ON d.id = v.draft_id",
                "SELECT id::text FROM draft_versions",
            ),
            (
                "editor_notes",
                "SELECT n.draft_id::text, d.desk_id FROM editor_notes n JOIN drafts d ON d.id = n.draft_id",
                "SELECT draft_id::text FROM editor_notes",
            ),
            (
                "rule_overrides",
                "SELECT o.id::text, d.desk_id FROM rule_overrides o JOIN drafts d ON d.id = o.draft_id",
                "SELECT id::text FROM rule_overrides",
            ),
            (
                "rule_override_findings",
                "SELECT f.override_id::text, d.desk_id FROM rule_override_findings f
                 JOIN rule_overrides o ON o.id = f.override_id JOIN drafts d ON d.id = o.draft_id",
                "SELECT override_id::text FROM rule_override_findings",
            ),
            (
                "draft_workflow",
                "SELECT w.draft_id::text, d.desk_id FROM draft_workflow w JOIN drafts d ON d.id = w.draft_id",
                "SELECT draft_id::text FROM draft_workflow",
            ),
            (
                "suggestion_dismissals",
                "SELECT s.id::text, d.desk_id FROM suggestion_dismissals s JOIN drafts d ON d.id = s.draft_id",
                "SELECT id::text FROM suggestion_dismissals",
            ),
            ("sources", "SELECT id::text, desk_id FROM sources", "SELECT id::text FROM sources"),
            (
                "search_entries of sources",
                "SELECT item_id::text, desk_id FROM search_entries WHERE kind = 'source'",
                "SELECT item_id::text FROM search_entries WHERE kind = 'source'",
            ),
        ];
        for (table, every_row, as_login) in desk_tables {
            let expected: BTreeSet<String> = owner
                .query(every_row, &[])
                .expect("every row")
                .iter()
                .filter(|row| reads_desk(person, row.get(1)))
                .map(|row| row.get(0))
                .collect();
            let read = keys(&mut client, as_login);
            assert_eq!(read, expected, "{} reading {table}", person.name);
            // A login in a group on no desk's people reads nothing (0043); every other compares something.
            assert_eq!(
                expected.is_empty(),
                person.group.is_some() && person.roles.is_empty(),
                "{} reads some {table}: the comparison compares something",
                person.name
            );
            listings.push((as_login, read));
        }
        if person.group.is_some() {
            // Once per query: a login's listing of every claim, and of one draft's, asks its groups once (an
            // InitPlan of the inlined `pg_has_role` calls), the desks it reads whole once and the desks it is one of
            // the people of once (for the owner folder; InitPlans, never in a row's filter), then each row's draft by
            // its primary key, or every draft at once (a hashed sub-plan): no rights function per row but the owner
            // folder's, never the per-draft function.
            let explain = |client: &mut postgres::Client, query: &str| -> String {
                let plan: Vec<String> = client
                    .query(&format!("EXPLAIN (VERBOSE, COSTS OFF) {query}"), &[])
                    .expect("explain")
                    .iter()
                    .map(|row| row.get(0))
                    .collect();
                plan.join("\n")
            };
            for (query, draft_by) in [
                ("SELECT id FROM claims", "hashed SubPlan"),
                ("SELECT id FROM claims WHERE draft_id = 12", "drafts_pkey"),
            ] {
                let plan = explain(&mut client, query);
                // The functions called (a name followed by its arguments; the groups' names are quoted roles).
                let functions: BTreeSet<&str> = plan
                    .match_indices("factdesk_")
                    .filter_map(|(at, _)| {
                        let rest = &plan[at..];
                        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                        rest[end..].starts_with('(').then_some(&rest[..end])
                    })
                    .collect();
                assert!(
                    plan.contains("InitPlan")
                        && plan.contains("pg_has_role")
                        && plan.contains(draft_by)
                        && functions.contains("factdesk_desks_with_claims_seen")
                        && functions.contains("factdesk_desks_read")
                        && !plan.lines().any(|line| {
                            line.contains("Filter")
                                && (line.contains("factdesk_desks_with") || line.contains("factdesk_desks_read"))
                        })
                        && functions.iter().all(|name| {
                            ["factdesk_owner_folder", "factdesk_desks_with_claims_seen", "factdesk_desks_read"]
                                .contains(name)
                        }),
                    "{}: {query}\n{plan}",
                    person.name
                );
            }
            // Temporary look-alikes of the tables the set is read from come first on the login's search path, and
            // change nothing: the functions name the store's schema.
            client
                .batch_execute(&format!(
                    "CREATE TEMP TABLE desks (id BIGINT); INSERT INTO desks SELECT generate_series(1, 3);
                     CREATE TEMP TABLE people (desk_id BIGINT, name TEXT, role TEXT);
                     INSERT INTO people SELECT generate_series(1, 3), current_user, 'editor';
                     CREATE TEMP TABLE drafts (id BIGINT, desk_id BIGINT, path TEXT);
                     INSERT INTO drafts SELECT id, 1, '{name}/x.md' FROM generate_series(1, 18) id",
                    name = person.name
                ))
                .expect("temporary look-alikes");
            for (as_login, read) in &listings {
                assert_eq!(&keys(&mut client, as_login), read, "{}, look-alikes made: {as_login}", person.name);
            }
        }
    }
}

/// Issue 13 (0033): reads per desk. An editor or a lawyer of one desk reads none of another desk's claims, nor what
/// hangs from them (their evidence, notes, private or not, assignments, status changes, placements, links), nor its
/// drafts' notes, assignments, Word comments, published records or search entries, with raw SQL, though their group
/// is the whole server's; a person of both desks reads both, each as their role there says (a lawyer reads private
/// notes, a reporter their own drafts' claims only). Always on a real PostgreSQL server, whatever engine the run is
/// for.
#[test]
fn on_a_team_store_a_login_reads_only_the_desks_it_is_one_of_the_people_of() {
    use std::collections::{BTreeMap, BTreeSet};
    let team = TeamDesk::new();
    let (ed, lou, eve, bea) = (unique("ed"), unique("lou"), unique("eve"), unique("bea"));
    // Desk A (the team's): ed its editor, lou its lawyer, eve its editor; desk B: eve its lawyer, bea its editor,
    // bo (a reporter of desk A) its reporter.
    team.staff(&[(&ed, Role::Editor), (&lou, Role::Lawyer), (&eve, Role::Editor)]);
    let (_tmp, _desk_b, b_draft) =
        another_desk(&team, &[(&eve, Role::Lawyer), (&bea, Role::Editor), (&team.bo, Role::Reporter)]);
    let (a_draft, a_others) = (team.own.0, team.others.0);
    let b_draft = b_draft.0;
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    // On each draft of both desks: a claim with its status change, placement, evidence, link to its desk's source,
    // assignment, a public and a private note; a public and a private note on the draft, its assignment, a Word
    // comment, a change since ready and a published record. The search index follows by its triggers.
    owner
        .execute(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
                 SELECT DISTINCT desk_id, 'a council official', 'unnamed', 'x', 'x', 'x', 'x' FROM drafts
                 WHERE id = ANY($1)",
            &[&vec![a_draft, a_others, b_draft]],
        )
        .expect("sources");
    owner
        .batch_execute(&format!(
            "INSERT INTO claims (draft_id, exact, prefix, suffix, start, \"end\", version_id, created_by, created_at,
                                 updated_by, updated_at)
                 SELECT id, 'The mayor', '', '', 0, 9, current_version_id, 'x', 'x', 'x', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO claim_status_changes (claim_id, status, changed_by, changed_at)
                 SELECT id, 'disputed', 'x', 'x' FROM claims;
             INSERT INTO claim_anchors (claim_id, version_id, state, start, \"end\", confidence, candidates,
                                        computed_at)
                 SELECT id, version_id, 'anchored', 0, 9, 1.0, '[]', 'x' FROM claims
                 ON CONFLICT DO NOTHING;
             INSERT INTO evidence (claim_id, kind, reference, summary, independent, added_by, added_at)
                 SELECT id, 'document', 'ledger', 'The ledger', TRUE, 'x', 'x' FROM claims;
             INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
                 SELECT c.id, s.id, 'attributed', 'x', 'x'
                 FROM claims c JOIN drafts d ON d.id = c.draft_id JOIN sources s ON s.desk_id = d.desk_id;
             INSERT INTO notes (claim_id, text, author, created_at, private)
                 SELECT id, 'Ask the treasurer.', 'x', 'x', p FROM claims, (VALUES (FALSE), (TRUE)) v(p);
             INSERT INTO notes (draft_id, text, author, created_at, private)
                 SELECT id, 'Hold until Friday.', 'x', 'x', p FROM drafts, (VALUES (FALSE), (TRUE)) v(p)
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO assignments (claim_id, assignee, assigned_by, assigned_at) SELECT id, 'x', 'x', 'x' FROM claims;
             INSERT INTO assignments (draft_id, assignee, assigned_by, assigned_at)
                 SELECT id, 'x', 'x', 'x' FROM drafts WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO document_comments (draft_id, comment_key, author, body, quote_exact, quote_prefix,
                                            quote_suffix, first_seen_at)
                 SELECT id, 'k', 'x', 'Check this.', 'mayor', '', '', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO draft_changes_since_ready (draft_id, version_id, status_was, changes, detected_at)
                 SELECT id, current_version_id, 'ready', '[]', 'x' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft});
             INSERT INTO published_reviews (draft_id, version_id, published_by, published_at, record)
                 SELECT id, current_version_id, 'x', 'x', '{{}}' FROM drafts
                 WHERE id IN ({a_draft}, {a_others}, {b_draft})"
        ))
        .expect("the rows");
    // Each table: the owner's query giving every row's key and its draft; the login's giving the keys it reads.
    let tables = [
        ("claims", "SELECT id::text, draft_id FROM claims", "SELECT id::text FROM claims"),
        (
            "claim_status_changes",
            "SELECT s.id::text, c.draft_id FROM claim_status_changes s JOIN claims c ON c.id = s.claim_id",
            "SELECT id::text FROM claim_status_changes",
        ),
        (
            "claim_anchors",
            "SELECT a.id::text, c.draft_id FROM claim_anchors a JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM claim_anchors",
        ),
        (
            "evidence",
            "SELECT e.id::text, c.draft_id FROM evidence e JOIN claims c ON c.id = e.claim_id",
            "SELECT id::text FROM evidence",
        ),
        (
            "claim_sources",
            "SELECT l.claim_id::text, c.draft_id FROM claim_sources l JOIN claims c ON c.id = l.claim_id",
            "SELECT claim_id::text FROM claim_sources",
        ),
        (
            "public notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id) FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
             WHERE NOT n.private",
            "SELECT id::text FROM notes WHERE NOT private",
        ),
        (
            "private notes",
            "SELECT n.id::text, coalesce(n.draft_id, c.draft_id) FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
             WHERE n.private",
            "SELECT id::text FROM notes WHERE private",
        ),
        (
            "assignments",
            "SELECT a.id::text, coalesce(a.draft_id, c.draft_id) FROM assignments a LEFT JOIN claims c ON c.id = a.claim_id",
            "SELECT id::text FROM assignments",
        ),
        (
            "document_comments",
            "SELECT id::text, draft_id FROM document_comments",
            "SELECT id::text FROM document_comments",
        ),
        (
            "draft_changes_since_ready",
            "SELECT draft_id::text, draft_id FROM draft_changes_since_ready",
            "SELECT draft_id::text FROM draft_changes_since_ready",
        ),
        (
            "published_reviews",
            "SELECT id::text, draft_id FROM published_reviews",
            "SELECT id::text FROM published_reviews",
        ),
        (
            "search_entries",
            "SELECT kind || ':' || item_id, draft_id FROM search_entries WHERE kind <> 'source'",
            "SELECT kind || ':' || item_id FROM search_entries WHERE kind <> 'source'",
        ),
    ];
    // Who reads which drafts' rows: (login, drafts whose claims it reads, drafts whose private notes it reads).
    let (bo, cy) = (team.bo.clone(), team.cy.clone());
    let every = BTreeSet::from([a_draft, a_others, b_draft]);
    let desk_a = BTreeSet::from([a_draft, a_others]);
    let cases: [(&str, BTreeSet<i64>, BTreeSet<i64>); 6] = [
        (&ed, desk_a.clone(), desk_a.clone()),
        (&lou, desk_a.clone(), desk_a.clone()),
        (&eve, every.clone(), every.clone()),
        (&bea, BTreeSet::from([b_draft]), BTreeSet::from([b_draft])),
        // bo's own draft on desk A (a reporter there and on desk B: no private notes).
        (&bo, BTreeSet::from([a_draft]), BTreeSet::new()),
        (&cy, BTreeSet::from([a_others]), BTreeSet::new()),
    ];
    for (login, claims_read, private_read) in cases {
        let mut client = team.connect(login);
        for (table, every_row, as_login) in tables {
            let drafts_of: BTreeMap<String, i64> =
                owner.query(every_row, &[]).expect("every row").iter().map(|row| (row.get(0), row.get(1))).collect();
            let expected_drafts = if table == "private notes" { &private_read } else { &claims_read };
            let expected: BTreeSet<String> = drafts_of
                .iter()
                .filter(|(_, draft)| expected_drafts.contains(draft))
                .map(|(key, _)| key.clone())
                .collect();
            let read: BTreeSet<String> =
                client.query(as_login, &[]).expect("as the login").iter().map(|row| row.get(0)).collect();
            assert_eq!(read, expected, "{login} reading {table}");
            assert!(
                drafts_of.values().filter(|draft| **draft == b_draft).count() > 0,
                "desk B has {table}: the comparison compares something"
            );
        }
    }
    // The per-draft rule the writes' checks and the audit trail ask says the same.
    let mut editor = team.connect(&ed);
    let sees: Vec<bool> = [a_draft, b_draft]
        .iter()
        .map(|draft| {
            editor.query_one("SELECT factdesk_may_see_claims_of($1)", &[draft]).expect("ask").get::<_, bool>(0)
        })
        .collect();
    assert_eq!(sees, [true, false], "desk A's editor sees desk A's claims, not desk B's");

    // Each opens their own desk's drafts through Factdesk as before.
    let mut claim_of = |draft: i64| -> i64 {
        owner.query_one("SELECT id FROM claims WHERE draft_id = $1", &[&draft]).expect("claim").get(0)
    };
    let (a_claim, b_claim) = (claim_of(a_draft), claim_of(b_draft));
    assert_eq!(team.review_as(&ed).claims(DraftId(a_draft)).expect("desk A's").len(), 1);
    // Factdesk itself refuses him desk B's (he is no one there), as the server now does.
    assert!(team.review_as(&ed).claims(DraftId(b_draft)).is_err(), "desk B's claims are refused to desk A's editor");
    let both = team.review_as(&eve);
    assert_eq!(both.claims(DraftId(a_draft)).expect("desk A's").len(), 1);
    assert_eq!(both.claims(DraftId(b_draft)).expect("desk B's").len(), 1);
    assert_eq!(both.notes(NoteTarget::Claim(ClaimId(b_claim))).expect("desk B's notes").len(), 2, "private too");
    assert_eq!(both.notes(NoteTarget::Claim(ClaimId(a_claim))).expect("desk A's notes").len(), 2, "private too");
}
