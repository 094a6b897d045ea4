-- Every function that reads or writes a table by its bare name looks it up in the team store's own schema, never
-- in a login's temporary schema (review finding 1). PostgreSQL searches a session's temporary schema first
-- unless it is named, so a reporter who made `CREATE TEMP TABLE people (…)` with themselves as an editor would
-- have passed every policy built on these invoker-rights functions (0007), and could have fed the search index
-- from look-alike tables (0005), or counted writes in a look-alike `store_writes` (0003, 0006). Pinned to the
-- schema the migration runs in, with pg_temp last (pg_catalog is always searched first). Functions that read no
-- table (search_words, search_vector, search_query) keep the caller's path. 0013's and 0014's functions are
-- pinned where they are made.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'note_store_write()',
        'search_index_draft(BIGINT)', 'search_index_claim(BIGINT)', 'search_index_evidence(BIGINT)',
        'search_index_note(BIGINT)', 'search_index_source(BIGINT)',
        'search_follow_drafts()', 'search_follow_claims()', 'search_follow_evidence()', 'search_follow_notes()',
        'search_follow_sources()',
        'factdesk_desk_without_people(BIGINT)', 'factdesk_may_see_claims_of(BIGINT)', 'factdesk_may_mark_ready(BIGINT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
