-- The two bookkeeping tables every write touches are written only by the server's own functions (issue 13, review
-- session 10, findings 20 and 21): no person's login writes them by hand any more.
--
-- `search_entries` (0005) is derived from the rows it indexes, under one key (kind, item_id) for every desk. Every
-- group could write it, and the functions that keep it ran with the writer's rights: a person of one desk planted
-- entries for the next ids of claims, notes, evidence and sources, under their own desk (which the write policy
-- allows), and every other desk's next claim, note, evidence item or source then failed on the key (its trigger
-- deletes the entry it can see, none, and inserts). Now the functions that write it (`search_index_*`, and the
-- `search_follow_*` triggers, which delete an entry when its row goes) run with the owner's rights, pinned to this
-- schema (as `search_index_draft` is since 0013), and the groups keep only SELECT on it. The read policy (0033) is
-- unchanged: who sees an entry is still decided by its desk and draft. A `search_index_*` function writes only the
-- entry its row gives (it takes an id, reads the row, returns nothing); its EXECUTE is no longer PUBLIC's, so only
-- the triggers call it.
--
-- `store_writes` (0003) counts each server process's writes for the other windows' "changed elsewhere". Every
-- group could write it and it has no row-level security: a row planted at the largest BIGINT made the trigger's
-- `writes + 1` overflow, and every write statement of every login failed. Now `note_store_write` runs with the
-- owner's rights (pinned since 0016) and the groups keep only SELECT (the windows sum the others' counts). Without
-- UPDATE or DELETE on either table, a group's `LOCK TABLE` in a mode stronger than ACCESS SHARE is refused too.
-- Counts already planted are dropped (no server process makes 2^32 write statements), so the sum cannot overflow.
--
-- The same overflow, one row at a time: `version` of claims, notes, sources and editor's notes (0008), which
-- Factdesk only ever raises by one (crates/core/src/store/), set by hand to the largest BIGINT made that row
-- unchangeable. A trigger now holds a changed version to the old one plus one.

DO $$
DECLARE
    function_name TEXT;
    group_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'note_store_write()',
        'search_index_draft(BIGINT)', 'search_index_claim(BIGINT)', 'search_index_evidence(BIGINT)',
        'search_index_note(BIGINT)', 'search_index_source(BIGINT)',
        'search_follow_drafts()', 'search_follow_claims()', 'search_follow_evidence()', 'search_follow_notes()',
        'search_follow_sources()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp',
                       function_name, current_schema());
    END LOOP;
    FOREACH group_name IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                      'factdesk_lawyer', 'factdesk_admin']
    LOOP
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON search_entries, store_writes FROM %I',
                       group_name);
    END LOOP;
END;
$$;

REVOKE ALL ON FUNCTION search_index_draft(BIGINT), search_index_claim(BIGINT), search_index_evidence(BIGINT),
    search_index_note(BIGINT), search_index_source(BIGINT) FROM PUBLIC;

-- Entries planted before this migration: the index made again from its rows (what the triggers would have made).
DELETE FROM search_entries;
SELECT search_index_draft(id) FROM drafts;
SELECT search_index_claim(id) FROM claims;
SELECT search_index_evidence(id) FROM evidence;
SELECT search_index_note(id) FROM notes;
SELECT search_index_source(id) FROM sources;

DELETE FROM store_writes WHERE writes >= 4294967296;

CREATE FUNCTION factdesk_version_raised_by_one() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version IS DISTINCT FROM OLD.version AND NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION 'a row''s version only goes up by one (from % to %)', OLD.version, NEW.version
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
DO $$
DECLARE
    table_name TEXT;
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_version_raised_by_one() SET search_path = %I, pg_temp', current_schema());
    FOREACH table_name IN ARRAY ARRAY['claims', 'notes', 'sources', 'editor_notes'] LOOP
        EXECUTE format('CREATE TRIGGER version_raised_by_one BEFORE UPDATE OF version ON %I
                        FOR EACH ROW EXECUTE FUNCTION factdesk_version_raised_by_one()', table_name);
    END LOOP;
END;
$$;
