-- The read policies answer a login's rights once per query, not once per row (issue 13; BENCHMARKS.md "Row-level
-- security on a big desk"). The policies since 0007 called `factdesk_may_see_claims_of(draft_id)` (and 0017's
-- `factdesk_may_read_private_notes`) for every row a query read: SQL functions whose bodies hold sub-selects, with a
-- pinned search_path, are never inlined, so a reporter's login paid ~200 µs a row (~1.1 s to list a 5,000-claim
-- desk), an editor's ~25 µs. Each read policy below now asks:
-- 1. Is the login one whose answer does not hang on the draft (not a reporter, for claims; neither a reporter nor an
--    admin, for private notes)? An uncorrelated sub-select: PostgreSQL runs it once per query (an InitPlan), and for
--    such a login no row asks anything more.
-- 2. Else, for claims, is the row's draft in the login's own owner folder (0021's `factdesk_owner_folder`, on any
--    desk)? Asked of the row's draft by its primary key, in the policy: no function call but the owner folder's
--    (a reporter's window reads their own drafts: it stops here, and asks nothing of the rest of the store).
-- 3. Else, is the row's draft among those the login sees? The set comes from a function run once per query, the
--    first time a row asks (a hashed SubPlan), and read from the indexes: the drafts of the desks where the login
--    sees every draft (a desk without people, or one where it holds another role than reporter; for private notes
--    an editor, standards editor or lawyer) by `desk_id`, and, for claims, those of its owner folder by the index
--    made here. Measured on 10 desks × 1,000 drafts in BENCHMARKS.md. PL/pgSQL, so that a connection plans the
--    set's query once, not at every query.
-- Tried and left: the set written in the policies themselves, or step 3 as a correlated EXISTS on `drafts`: the
-- planner costs such a sub-plan's own InitPlans and hashed sub-plans at every row, so a listing of a few thousand
-- rows was costed in millions, over `jit_above_cost`, and JIT compiled (seconds on a loaded machine); a function's
-- set is costed as its ROWS.
-- Each set holds exactly the drafts for which the per-draft function answers yes, and a draft id naming no row (or
-- NULL) is in none, where the per-draft function answered no unless step 1 lets the login through, as before.
-- crates/core/tests/rights.rs compares both with the rule, login by login, table by table. WITH CHECK clauses
-- (writes, one row at a time) keep calling the per-draft functions, as before. audit_log's policy (0019) and
-- source_confidential's are not changed here.
--
-- Both functions have invoker's rights: they read `desks`, `drafts` and `people` (tables every Factdesk group reads,
-- without row-level security) as the login asking, and ask `current_user`, as the per-draft functions do. Their
-- names are looked up in this schema, never in a login's temporary one (search_path pinned, pg_temp last, as 0016);
-- their built-ins are named in pg_catalog (0022). A policy's own expression is stored parsed, its names resolved when
-- it is made.

CREATE INDEX drafts_by_owner_folder ON drafts (factdesk_owner_folder(path));

-- The drafts whose claims the current login sees: 0007's `factdesk_may_see_claims_of` (as 0021 and 0022 left it),
-- for every draft at once.
CREATE FUNCTION factdesk_drafts_with_claims_seen() RETURNS SETOF BIGINT
LANGUAGE plpgsql STABLE ROWS 1000 AS $$
BEGIN
    RETURN QUERY
        SELECT d.id FROM drafts d
        WHERE NOT pg_catalog.pg_has_role(current_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
        UNION ALL
        SELECT d.id FROM drafts d
        WHERE d.desk_id = ANY ((SELECT pg_catalog.array_agg(k.id) FROM desks k
                                WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id)
                                   OR EXISTS (SELECT 1 FROM people p
                                              WHERE p.desk_id = k.id AND p.name = current_user::pg_catalog.text
                                                AND p.role <> 'reporter'::pg_catalog.text))::BIGINT[])
        UNION ALL
        SELECT d.id FROM drafts d
        WHERE factdesk_owner_folder(d.path) = current_user::pg_catalog.text COLLATE pg_catalog."default";
END;
$$;

-- The drafts whose private notes the current login reads: 0017's `factdesk_may_read_private_notes` (as 0018 left
-- it), for every draft at once.
CREATE FUNCTION factdesk_drafts_with_private_notes_read() RETURNS SETOF BIGINT
LANGUAGE plpgsql STABLE ROWS 1000 AS $$
BEGIN
    RETURN QUERY
        SELECT d.id FROM drafts d WHERE NOT factdesk_in_restricted_group(lawyers_too => FALSE)
        UNION ALL
        SELECT d.id FROM drafts d
        WHERE d.desk_id = ANY ((SELECT pg_catalog.array_agg(k.id) FROM desks k
                                WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id)
                                   OR EXISTS (SELECT 1 FROM people p
                                              WHERE p.desk_id = k.id AND p.name = current_user::pg_catalog.text
                                                AND p.role IN ('editor'::pg_catalog.text,
                                                               'standards-editor'::pg_catalog.text,
                                                               'lawyer'::pg_catalog.text)))::BIGINT[]);
END;
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_drafts_with_claims_seen() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_drafts_with_private_notes_read() SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;
-- Every login reading these tables asks them through the policies, a login in no group too (a desk without
-- people), as it asks the per-draft functions (whose EXECUTE PUBLIC kept from their creation). They answer only
-- about the login asking, from tables it reads itself.
GRANT EXECUTE ON FUNCTION factdesk_drafts_with_claims_seen(), factdesk_drafts_with_private_notes_read() TO PUBLIC;

-- 0007's.
DROP POLICY claims_of_visible_drafts ON claims;
CREATE POLICY claims_of_visible_drafts ON claims
    USING ((SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                              'MEMBER'::pg_catalog.text))
           OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                      AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
           OR draft_id IN (SELECT factdesk_drafts_with_claims_seen()))
    WITH CHECK (factdesk_may_see_claims_of(draft_id));

-- 0007's: the claim's notes through the policy above (now cheap), the draft's through the set.
DROP POLICY notes_of_visible_claims_and_drafts ON notes;
CREATE POLICY notes_of_visible_claims_and_drafts ON notes
    USING ((claim_id IS NULL OR EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id))
           AND (draft_id IS NULL
                OR (SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                                      'MEMBER'::pg_catalog.text))
                OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                           AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
                OR draft_id IN (SELECT factdesk_drafts_with_claims_seen())))
    WITH CHECK ((claim_id IS NULL OR EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id))
                AND (draft_id IS NULL OR factdesk_may_see_claims_of(draft_id)));

-- 0017's (restrictive): public threads pass as before; a private one by the login's group, else by its draft.
DROP POLICY notes_private_to_their_readers ON notes;
CREATE POLICY notes_private_to_their_readers ON notes AS RESTRICTIVE
    USING ((SELECT NOT factdesk_in_restricted_group(lawyers_too => FALSE))
           OR (NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
           OR coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))
              IN (SELECT factdesk_drafts_with_private_notes_read()))
    WITH CHECK ((NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
                OR factdesk_may_read_private_notes(coalesce(draft_id,
                                                            (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))));

-- 0012's: a claim's assignment with the claim, a draft's with its claims.
DROP POLICY assignments_seen ON assignments;
CREATE POLICY assignments_seen ON assignments
    USING (CASE WHEN claim_id IS NULL
                THEN (SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                                        'MEMBER'::pg_catalog.text))
                     OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                                AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
                     OR draft_id IN (SELECT factdesk_drafts_with_claims_seen())
                ELSE EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id) END)
    WITH CHECK (CASE WHEN claim_id IS NULL THEN factdesk_may_see_claims_of(draft_id)
                     ELSE EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id) END);

-- 0013's.
DROP POLICY search_entries_seen ON search_entries;
CREATE POLICY search_entries_seen ON search_entries
    USING (kind = 'source' OR draft_id IS NULL
           OR (SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                                 'MEMBER'::pg_catalog.text))
           OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                      AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
           OR draft_id IN (SELECT factdesk_drafts_with_claims_seen()))
    WITH CHECK (TRUE);

-- 0015's. (Reading; the write policies ask one row at a time and stay as they were.)
DROP POLICY document_comments_read ON document_comments;
CREATE POLICY document_comments_read ON document_comments FOR SELECT
    USING ((SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                              'MEMBER'::pg_catalog.text))
           OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                      AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
           OR draft_id IN (SELECT factdesk_drafts_with_claims_seen()));

DROP POLICY draft_changes_since_ready_of_visible_drafts ON draft_changes_since_ready;
CREATE POLICY draft_changes_since_ready_of_visible_drafts ON draft_changes_since_ready
    USING ((SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                              'MEMBER'::pg_catalog.text))
           OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                      AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
           OR draft_id IN (SELECT factdesk_drafts_with_claims_seen()))
    WITH CHECK (factdesk_may_see_claims_of(draft_id));

-- 0012's.
DROP POLICY published_reviews_seen ON published_reviews;
CREATE POLICY published_reviews_seen ON published_reviews
    USING ((SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'factdesk_reporter'::pg_catalog.text,
                                              'MEMBER'::pg_catalog.text))
           OR EXISTS (SELECT 1 FROM drafts own WHERE own.id = draft_id
                      AND factdesk_owner_folder(own.path) = CURRENT_USER::pg_catalog.text COLLATE pg_catalog."default")
           OR draft_id IN (SELECT factdesk_drafts_with_claims_seen()))
    WITH CHECK (factdesk_may_mark_ready(draft_id));
