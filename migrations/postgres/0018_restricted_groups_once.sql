-- "Is the current login in one of the groups whose rights hang on their role on a desk?" asked in one place. 0007's
-- factdesk_may_mark_ready, 0013's factdesk_may_change_desk and factdesk_may_write_setting and 0017's
-- factdesk_may_read_private_notes each wrote the same `pg_has_role` block; they are re-created on this function,
-- each answering exactly as before.
--
-- The groups are the reporters, the lawyers and the admins: a login in none of them (the store's owner, the
-- editors, the standards editors, a login from before people) is decided without reading `people`. The lawyers
-- read private notes (rights.rs), so that question counts only the reporters and the admins (`lawyers_too`).
-- Group membership is the whole server's; the role on a desk comes from `people`, as 0007 says.
--
-- It reads no table and names only pg_catalog's function, so it needs no pinned search_path (which would keep the
-- planner from inlining it into its callers): a login's temporary schema is never searched for functions.
CREATE FUNCTION factdesk_in_restricted_group(lawyers_too BOOLEAN DEFAULT TRUE) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
        OR pg_catalog.pg_has_role(current_user, 'factdesk_admin', 'MEMBER')
        OR (lawyers_too AND pg_catalog.pg_has_role(current_user, 'factdesk_lawyer', 'MEMBER'))
$$;
GRANT EXECUTE ON FUNCTION factdesk_in_restricted_group(BOOLEAN)
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- 0007: an editor or standards editor of the draft's desk, or a login in none of the groups (a desk without people).
CREATE OR REPLACE FUNCTION factdesk_may_mark_ready(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT factdesk_desk_without_people(draft)
        OR NOT factdesk_in_restricted_group()
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user AND p.role IN ('editor', 'standards-editor'))
$$;

-- 0013: whether the current login acts as an editor on `desk`.
CREATE OR REPLACE FUNCTION factdesk_may_change_desk(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
        OR NOT factdesk_in_restricted_group()
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = current_user AND p.role IN ('editor', 'standards-editor'))
$$;

-- 0013: whether the current login may write setting `key`.
CREATE OR REPLACE FUNCTION factdesk_may_write_setting(key TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT key IN ('reviewer', 'vault_idle_minutes', 'last_desk')
        OR CASE WHEN key ~ '^desk:[0-9]{1,18}:' THEN factdesk_may_change_desk(split_part(key, ':', 2)::BIGINT)
                ELSE NOT factdesk_in_restricted_group()
           END
$$;

-- 0017: whether the current login may read the private notes of a draft.
CREATE OR REPLACE FUNCTION factdesk_may_read_private_notes(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_restricted_group(lawyers_too => FALSE)
        OR factdesk_desk_without_people(draft)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user
                     AND p.role IN ('editor', 'standards-editor', 'lawyer'))
$$;

-- CREATE OR REPLACE resets a function's settings: these read `people` and `drafts` of this schema, never a login's
-- temporary look-alikes (pg_temp last), as 0013, 0016 and 0017 pinned them.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_may_mark_ready(BIGINT)', 'factdesk_may_change_desk(BIGINT)', 'factdesk_may_write_setting(TEXT)',
        'factdesk_may_read_private_notes(BIGINT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
