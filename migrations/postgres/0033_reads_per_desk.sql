-- A login reads only the desks it is one of the people of (issue 13). Group roles are the whole server's: the read
-- policies 0025 wrote let every login outside the reporters' group (an editor, standards editor, lawyer or admin of
-- SOME desk) read the claims, notes, evidence, assignments, comments… of EVERY desk with psql, and every editor,
-- standards editor and lawyer the private notes of every desk. Writes went per desk in 0024 and 0029
-- (`factdesk_acts_on_desk`); here reads follow, with the same people:
--
-- - a login in none of Factdesk's groups (the store's owner, a login the newsroom granted the tables before people
--   existed) reads everything, as 0007 says and as it writes (0024);
-- - a desk WITHOUT people is read by every login that reads the tables, as before people existed, and as anyone
--   writes there (0024's `factdesk_acts_on_desk`): `team init` then `people add` keeps working, and a desk copied
--   to the server stays open to its one reviewer until it is given people;
-- - on a desk with people, a login with another role than reporter there (editor, standards editor, lawyer, admin)
--   reads the claims of every draft of that desk, and only of that desk;
-- - a reporter reads the claims of the drafts in their own owner folder (0021's `factdesk_owner_folder`), stepped
--   aside or not, on the desks it is one of the people of (0022 said on any desk: review session 9, finding 10);
-- - private notes (and the replies in their threads) are read, on a desk with people, by its editors, standards
--   editors and lawyers only (not its reporters nor its admins, as 0017), and on a desk without people by anyone.
-- - a draft's text (draft_versions), editor's note, rule overrides and workflow, and the register of sources, are
--   read by every person of the desk whatever their role, and on a desk without people by anyone (finding 4);
-- - writes to the search index go per desk too (finding 14).
-- A login in the groups but on no desk's people reads the desks without people only.
--
-- Shape (0025's, BENCHMARKS.md "Once per query" and "Reads per desk"): no rights function is called per row but the
-- owner folder's. Each read policy asks
-- 1. is the login in none of the groups? `factdesk_in_no_group()`, which reads no table and is inlined: an
--    uncorrelated sub-select of `pg_has_role` calls, run once per query (an InitPlan);
-- 2. else, of the row's draft by its primary key: is its desk among those the login reads whole? The desks come from
--    a PL/pgSQL function (planned once per connection) run once per query, an InitPlan giving a BIGINT[] of a few
--    desk ids however big the desks: those without people, and those where the login has a role that reads them.
--    Else, for claims, is the draft in the login's own owner folder (0021's `factdesk_owner_folder`; a reporter's)?
--    The planner answers it row by row (the window's reads of one draft) or for every draft at once (a hashed
--    sub-plan, for a listing of many rows), as it costs them.
-- Tried and left (scripts/bench-team-rls.sh, BENCHMARKS.md): 0025's sets of every visible draft, which for a login
-- reading whole desks (an editor now, where 0025 let them through at step 1) are every draft of their desks, built
-- again by every query, the window's reads of one draft too; and 2. asked of `people` in the policies themselves
-- (by its (desk_id, name) index, no function): the same rows, but each policy (and each policy it reaches through
-- `claims`) then planned several more sub-plans, and the window's six reads of one draft took about twice as long
-- to plan; likewise the owner folder asked in an EXISTS of its own (through 0025's index on it when asked of every
-- draft at once, which would spare a reporter listing every claim of the store ~100 ms of `factdesk_owner_folder`
-- calls on 10,000 other drafts, but gave every read of the window one more sub-plan to plan).
-- The per-draft functions (still asked by the writes' WITH CHECK, `Store::login_sees_claims_of` and the audit
-- trail's policy, 0019) are re-created on the same rule. crates/core/tests/rights.rs compares both with the rule
-- written in Rust, login by login, table by table. Reading `drafts` and `desks` is not changed here (the window
-- lists a login's desks and drafts through them, and every rights function reads them as the login asking).

-- Whether the current login is in none of Factdesk's groups (0024's `factdesk_in_any_group`, negated). It reads no
-- table and names only pg_catalog's function, so it needs no pinned search_path, and the planner inlines it into
-- the policies (as 0018's `factdesk_in_restricted_group`): a login's temporary schema is never searched for
-- functions.
CREATE FUNCTION factdesk_in_no_group() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT (pg_catalog.pg_has_role(current_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(current_user, 'factdesk_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(current_user, 'factdesk_standards_editor'::pg_catalog.text,
                                          'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(current_user, 'factdesk_lawyer'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(current_user, 'factdesk_admin'::pg_catalog.text, 'MEMBER'::pg_catalog.text))
$$;
-- Asked through the policies by every login, one in no group too: a boolean about the login asking.
GRANT EXECUTE ON FUNCTION factdesk_in_no_group() TO PUBLIC;

-- The desks where the current login reads the claims of every draft: every desk for a login in no group; a desk
-- without people; a desk where it holds another role than reporter.
CREATE FUNCTION factdesk_desks_with_claims_seen() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p
                 WHERE p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text
                 UNION ALL
                 SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
END;
$$;

-- The desks where the current login reads every private note: every desk for a login in no group; a desk without
-- people; a desk where it is an editor, standards editor or lawyer.
CREATE FUNCTION factdesk_desks_with_private_notes_read() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p
                 WHERE p.name = current_user::pg_catalog.text
                   AND p.role IN ('editor'::pg_catalog.text, 'standards-editor'::pg_catalog.text,
                                  'lawyer'::pg_catalog.text)
                 UNION ALL
                 SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
END;
$$;

-- The desks the current login is one of the people of, whatever its role, and the desks without people: every desk
-- for a login in no group. Their drafts' text, editors' notes, rule overrides and workflow, and their registers of
-- sources, are read there (the shared folder holds every draft of the desk for all its people anyway); and there
-- only a reporter's owner folder is its own (review session 9, finding 10: a login named like a folder of a desk
-- it is no one on, one any desk's admin may create, read that folder's claims on every desk). On a desk where the
-- login holds another role it reads every draft's claims anyway (above).
CREATE FUNCTION factdesk_desks_read() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p WHERE p.name = current_user::pg_catalog.text
                 UNION ALL
                 SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
END;
$$;

-- 0022's, on this rule.
CREATE OR REPLACE FUNCTION factdesk_may_see_claims_of(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR factdesk_desk_without_people(draft)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text
                     AND factdesk_owner_folder(d.path) = current_user::pg_catalog.text)
$$;

-- 0018's, on this rule.
CREATE OR REPLACE FUNCTION factdesk_may_read_private_notes(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR factdesk_desk_without_people(draft)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text
                     AND p.role IN ('editor'::pg_catalog.text, 'standards-editor'::pg_catalog.text,
                                    'lawyer'::pg_catalog.text))
$$;

-- CREATE OR REPLACE resets a function's settings: every one of these reads this schema's tables, never a login's
-- temporary look-alikes (pg_temp last), as 0016 and 0025 pinned them.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_desks_with_claims_seen()', 'factdesk_desks_with_private_notes_read()', 'factdesk_desks_read()',
        'factdesk_may_see_claims_of(BIGINT)', 'factdesk_may_read_private_notes(BIGINT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
-- Asked through the policies by every login reading these tables, one in no group too (a desk without people):
-- they answer only about the login asking, from tables it reads itself.
GRANT EXECUTE ON FUNCTION factdesk_desks_with_claims_seen(), factdesk_desks_with_private_notes_read(),
    factdesk_desks_read() TO PUBLIC;

-- 0025's.
DROP POLICY claims_of_visible_drafts ON claims;
CREATE POLICY claims_of_visible_drafts ON claims
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                           OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                               AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text))))
    WITH CHECK (factdesk_may_see_claims_of(draft_id));

-- 0025's: the claim's notes through the policy above, the draft's as a claim of that draft.
DROP POLICY notes_of_visible_claims_and_drafts ON notes;
CREATE POLICY notes_of_visible_claims_and_drafts ON notes
    USING ((claim_id IS NULL OR EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id))
           AND (draft_id IS NULL
                OR (SELECT factdesk_in_no_group())
                OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                           AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                                OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                                    AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text)))))
    WITH CHECK ((claim_id IS NULL OR EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id))
                AND (draft_id IS NULL OR factdesk_may_see_claims_of(draft_id)));

-- 0025's (restrictive): public threads pass as before; a private one by the desk of its draft (the note's, else
-- its claim's).
DROP POLICY notes_private_to_their_readers ON notes;
CREATE POLICY notes_private_to_their_readers ON notes AS RESTRICTIVE
    USING ((SELECT factdesk_in_no_group())
           OR (NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
           OR EXISTS (SELECT 1 FROM drafts seen
                      WHERE seen.id = coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))
                        AND seen.desk_id = ANY ((SELECT factdesk_desks_with_private_notes_read())::BIGINT[])))
    WITH CHECK ((NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
                OR factdesk_may_read_private_notes(coalesce(draft_id,
                                                            (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))));

-- 0025's: a claim's assignment with the claim, a draft's with its claims.
DROP POLICY assignments_seen ON assignments;
CREATE POLICY assignments_seen ON assignments
    USING (CASE WHEN claim_id IS NULL
                THEN (SELECT factdesk_in_no_group())
                     OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                                AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                                     OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                                         AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text)))
                ELSE EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id) END)
    WITH CHECK (CASE WHEN claim_id IS NULL THEN factdesk_may_see_claims_of(draft_id)
                     ELSE EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id) END);

-- 0025's.
DROP POLICY search_entries_seen ON search_entries;
CREATE POLICY search_entries_seen ON search_entries
    USING ((SELECT factdesk_in_no_group())
           OR ((kind = 'source' OR draft_id IS NULL)
               AND desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[]))
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                           OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                               AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text))))
    -- Review session 9, finding 14 (it was TRUE: any login planted hits in every desk's search): the entries of a
    -- desk the login is one of the people of (0024's rule for writes, any role: each role writes something the
    -- index follows), a draft's only if the login reads its claims and filed under the draft's own desk. The
    -- index's own functions that run as the owner (the draft's text, 0013) are not held by it.
    WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer',
                                                     'admin']::pg_catalog.text[])
                AND (draft_id IS NULL
                     OR (factdesk_may_see_claims_of(draft_id)
                         AND EXISTS (SELECT 1 FROM drafts filed
                                     WHERE filed.id = draft_id AND filed.desk_id = search_entries.desk_id))));

-- 0025's. (Reading; the write policies ask one row at a time and stay as they were.)
DROP POLICY document_comments_read ON document_comments;
CREATE POLICY document_comments_read ON document_comments FOR SELECT
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                           OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                               AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text))));

DROP POLICY draft_changes_since_ready_of_visible_drafts ON draft_changes_since_ready;
CREATE POLICY draft_changes_since_ready_of_visible_drafts ON draft_changes_since_ready
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                           OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                               AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text))))
    WITH CHECK (factdesk_may_see_claims_of(draft_id));

-- 0025's.
DROP POLICY published_reviews_seen ON published_reviews;
CREATE POLICY published_reviews_seen ON published_reviews
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND (seen.desk_id = ANY ((SELECT factdesk_desks_with_claims_seen())::BIGINT[])
                           OR (seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                               AND factdesk_owner_folder(seen.path) = CURRENT_USER::pg_catalog.text))))
    WITH CHECK (factdesk_may_mark_ready(draft_id));

-- 0025's sets of every visible draft, asked by no policy now (0025's index on the owner folder stays).
DROP FUNCTION factdesk_drafts_with_claims_seen();
DROP FUNCTION factdesk_drafts_with_private_notes_read();

-- Review session 9, finding 4: the draft's text and what hangs from a draft as a whole were still every desk's to
-- every login (draft_versions had no row security; editor_notes, rule_overrides, draft_workflow read TRUE since
-- 0007/0013, the register of sources since 0024): a reporter of desk A read desk B's articles, the editors' notes
-- on them, who overrode which rule and why, and B's unnamed sources' descriptors. Now they are read on the desks the
-- login is one of the people of and on desks without people (`factdesk_desks_read`, once per query), whatever its
-- role there: a desk's scan compares every draft's versions (a reporter's Factdesk scans the whole shared folder)
-- and its drafts list shows every draft's workflow. The writes keep their policies (0007-0029, per desk).
ALTER TABLE draft_versions ENABLE ROW LEVEL SECURITY;
-- Versions are written by a desk's scan (any role; INSERT, and UPDATE of first_seen_at since 0022), read by the
-- window and the search: all on the draft's desk.
CREATE POLICY draft_versions_of_the_desks_read ON draft_versions
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])))
    WITH CHECK (EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft_id
                        AND factdesk_acts_on_desk(d.desk_id, ARRAY['reporter', 'editor', 'standards-editor',
                                                                    'lawyer', 'admin']::pg_catalog.text[])));

DROP POLICY editor_notes_read ON editor_notes;
CREATE POLICY editor_notes_read ON editor_notes FOR SELECT
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])));

DROP POLICY rule_overrides_read ON rule_overrides;
CREATE POLICY rule_overrides_read ON rule_overrides FOR SELECT
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])));
-- An override's findings with it (0029's permissive policy reads every row).
CREATE POLICY rule_override_findings_read_with_their_override ON rule_override_findings AS RESTRICTIVE FOR SELECT
    USING (EXISTS (SELECT 1 FROM rule_overrides o WHERE o.id = override_id));

DROP POLICY workflow_read ON draft_workflow;
CREATE POLICY workflow_read ON draft_workflow FOR SELECT
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])));

DROP POLICY sources_read ON sources;
CREATE POLICY sources_read ON sources FOR SELECT
    USING ((SELECT factdesk_in_no_group()) OR desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[]));
