-- A source's identity is the server's to hold per source, not per desk (issue 13, review session 10, findings 1, 9
-- and 17).
--
-- 1. `source_confidential` (a desk without a vault keeps its sources' identities there in plain text) was read and
--    rewritten by every editor of the desk (0024, 0028: `factdesk_may_record_identity`), not only by the editor a
--    source names as the one who knows it: an editor named on no source read every identity of the desk with psql
--    and could name themselves on any. The core's rule (crates/core/src/rights.rs `check_named_editor`,
--    crates/core/src/sourcing/source.rs): a desk's standards editors reveal every identity, an editor those naming
--    them; "once anything confidential is recorded, only whom may reveal it may change it". Now:
--    - read: whom may reveal it (`factdesk_may_reveal_identity`: a standards editor of the desk, the editor the row
--      names, anyone on a desk without people or a login in no group, as 0024); and, for an editor of the desk, a
--      row with nothing recorded (what a desk with a vault keeps: the sealed fields are elsewhere) and the row the
--      login itself wrote last (`updated_by`, which 0030's trigger makes the login): reading back what one typed
--      tells nothing one did not know, and PostgreSQL asks a row written to be one the writer may read (an editor
--      adding a source that names another editor, as the core allows, writes a row they may not reveal);
--    - update: whom may reveal it, or an editor of the desk while nothing is recorded (the core's rule: naming any
--      editor, themselves or another, is an editor's only while nothing else is recorded); the row as written stays
--      on a desk where the login records identities;
--    - delete (no group holds DELETE since 0022; a login granted it by hand): whom may reveal it.
--    `source_sealed` (a desk with a vault): every editor of the desk (a keeper) could delete or overwrite every
--    sealed identity though holding no key, and the ciphertext is the only copy. Its UPDATE and DELETE are now a
--    holder's of the desk's key (`factdesk_vault_holder`: the standards editors and named editors with a wrapping of
--    their own, the owner, anyone on a desk without people): the core deletes and rewrites sealed fields only with
--    the key in hand (sealing a change, a rotation re-sealing the desk), which on a desk with people means a
--    wrapping of the login's. Its INSERT stays a keeper's (a new source's fields, sealed with the key in hand too).
--    The ciphertexts stay readable by every group (0022): without the key they say nothing, and an editor with a
--    wrapping opens every one of the desk's (review session 10, finding 19: one key per desk, said in README).
-- 9. `suggestion_dismissals` (the dismissed suggestions' sentences, the drafts' text) were read by every login on
--    every desk (0029's permissive policy `USING (TRUE)`): they are now read as the draft's text is (0033's
--    draft_versions): on the desks the login is one of the people of, and on desks without people. The permissive
--    policy is narrowed to the writes, which 0029's restrictive policies still hold to the draft's desk.
-- 17. 0030's attribution trigger still let any MEMBER of the tables' owner's role write `created_by`, `author`,
--    `linked_by`… in anyone's name; it asks `factdesk_session_is_owner()` (0031) as the others do.
--
-- Every function names this schema's tables and pg_catalog's built-ins (search_path pinned, pg_temp last).

-- 1. ---------------------------------------------------------------------------------------------------------
-- Whether the current login may reveal the identity of `source` whose row names `named` as the editor who knows
-- it: on the source's desk as a standards editor (or acting on it whatever its role: a desk without people, a login
-- in no group, as `factdesk_acts_on_desk` says), or as an editor there whom `named` is (trimmed, as the core
-- compares). No for a source that is not there. Invoker's rights: it reads `sources` and `people` as the login.
CREATE FUNCTION factdesk_may_reveal_identity(source BIGINT, named pg_catalog.text) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM sources s
                   WHERE s.id = source
                     AND (factdesk_acts_on_desk(s.desk_id, ARRAY['standards-editor']::pg_catalog.text[])
                          OR (pg_catalog.btrim(named) = session_user::pg_catalog.text
                              AND factdesk_acts_on_desk(s.desk_id, ARRAY['editor']::pg_catalog.text[]))))
$$;

ALTER POLICY source_confidential_read ON source_confidential
    USING (factdesk_may_reveal_identity(source_id, editor_knows)
           OR (factdesk_may_record_identity(source_id)
               AND (pg_catalog.num_nonnulls(identity, contact, first_hand, how_known, anonymity_reason, editor_knows,
                                            approved_by) = 0
                    OR updated_by = session_user::pg_catalog.text)));
ALTER POLICY source_confidential_update ON source_confidential
    USING (factdesk_may_reveal_identity(source_id, editor_knows)
           OR (factdesk_may_record_identity(source_id)
               AND pg_catalog.num_nonnulls(identity, contact, first_hand, how_known, anonymity_reason, editor_knows,
                                           approved_by) = 0))
    WITH CHECK (factdesk_may_record_identity(source_id));
ALTER POLICY source_confidential_delete ON source_confidential
    USING (factdesk_may_reveal_identity(source_id, editor_knows));

ALTER POLICY source_sealed_update ON source_sealed
    USING (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id AND factdesk_vault_holder(s.desk_id)))
    WITH CHECK (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id AND factdesk_vault_holder(s.desk_id)));
ALTER POLICY source_sealed_delete ON source_sealed
    USING (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id AND factdesk_vault_holder(s.desk_id)));

-- 9. ---------------------------------------------------------------------------------------------------------
DROP POLICY suggestion_dismissals_as_granted ON suggestion_dismissals;
CREATE POLICY suggestion_dismissals_of_the_desks_read ON suggestion_dismissals FOR SELECT
    USING ((SELECT factdesk_in_no_group())
           OR EXISTS (SELECT 1 FROM drafts seen WHERE seen.id = draft_id
                      AND seen.desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])));
-- The writes as 0029 let them (its restrictive policies hold them to the draft's desk).
CREATE POLICY suggestion_dismissals_inserted ON suggestion_dismissals FOR INSERT WITH CHECK (TRUE);
CREATE POLICY suggestion_dismissals_updated ON suggestion_dismissals FOR UPDATE USING (TRUE) WITH CHECK (TRUE);
CREATE POLICY suggestion_dismissals_deleted ON suggestion_dismissals FOR DELETE USING (TRUE);

-- 17. --------------------------------------------------------------------------------------------------------
-- 0030's, the owner asked as 0031 asks it.
CREATE OR REPLACE FUNCTION factdesk_attribute_to_login() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
    given   JSONB := pg_catalog.to_jsonb(NEW);
    before  JSONB;
    login   JSONB := pg_catalog.to_jsonb(session_user::pg_catalog.text);
    changed JSONB := '{}'::JSONB;
    col     TEXT;
BEGIN
    IF factdesk_session_is_owner() OR NOT factdesk_in_any_group() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        before := pg_catalog.to_jsonb(OLD);
    END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF given->col IS NOT NULL AND given->col <> 'null'::JSONB
           AND (before IS NULL OR given->col IS DISTINCT FROM before->col) THEN
            changed := changed || pg_catalog.jsonb_build_object(col, login);
        END IF;
    END LOOP;
    IF changed = '{}'::JSONB THEN
        RETURN NEW;
    END IF;
    RETURN pg_catalog.jsonb_populate_record(NEW, changed);
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_may_reveal_identity(BIGINT, pg_catalog.text)', 'factdesk_attribute_to_login()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
GRANT EXECUTE ON FUNCTION factdesk_may_reveal_identity(BIGINT, pg_catalog.text) TO PUBLIC;
