-- What 0013_rights_leftovers left open on the server (issue 13): two tables hold words of a draft's text and
-- are read as that text is, with the draft's claims (a reporter reads their own drafts'):
-- - `document_comments`, the comments of a Word or LibreOffice draft: they quote the words they comment on
--   and discuss them. Any reader's Factdesk still brings a document's comments in step with the file it finds
--   in the folder (it read the file), through `factdesk_sync_document_comments`, which tells it nothing back.
-- - `draft_changes_since_ready`, what changed in a ready draft's text since it was marked (its messages quote
--   the claims' words). It is written by the scan that re-checks a ready draft, which reads the draft's claims
--   and versions: a login that may not read those has nothing true to record there (the re-check runs in a
--   savepoint of its own, so a refusal undoes it alone and the scan goes on).

ALTER TABLE document_comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_comments_read ON document_comments FOR SELECT USING (factdesk_may_see_claims_of(draft_id));
CREATE POLICY document_comments_insert ON document_comments FOR INSERT
    WITH CHECK (factdesk_may_see_claims_of(draft_id));
CREATE POLICY document_comments_update ON document_comments FOR UPDATE
    USING (factdesk_may_see_claims_of(draft_id)) WITH CHECK (factdesk_may_see_claims_of(draft_id));
CREATE POLICY document_comments_delete ON document_comments FOR DELETE USING (factdesk_may_see_claims_of(draft_id));

-- Brings a draft's document comments in step with its file, as `document_comments::sync` does on SQLite:
-- `comments` is a JSON array of {key, author, date, body, quote_exact, quote_prefix, quote_suffix, resolved},
-- each recorded (again present if it was gone); the draft's others still present are marked gone at `seen_at`.
-- With its owner's rights, for a login that may write comments at all (its own rights on the table, as granted).
CREATE FUNCTION factdesk_sync_document_comments(draft BIGINT, comments TEXT, seen_at TEXT) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    given JSONB := comments::jsonb;
    c JSONB;
BEGIN
    IF NOT (has_table_privilege(session_user, 'document_comments', 'INSERT')
            AND has_table_privilege(session_user, 'document_comments', 'UPDATE')) THEN
        RAISE EXCEPTION 'permission denied for table document_comments' USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One at a time, in the document's order (the order first seen), as on SQLite: a document may hold the
    -- same comment twice, which one INSERT of them all could not upsert.
    FOR c IN SELECT value FROM jsonb_array_elements(given) WITH ORDINALITY ORDER BY ordinality LOOP
        INSERT INTO document_comments (draft_id, comment_key, author, written_at, body, quote_exact, quote_prefix,
                                       quote_suffix, resolved, removed_at, first_seen_at)
            VALUES (draft, c->>'key', c->>'author', c->>'date', c->>'body', c->>'quote_exact', c->>'quote_prefix',
                    c->>'quote_suffix', (c->>'resolved')::BOOLEAN, NULL, seen_at)
            ON CONFLICT (draft_id, comment_key) DO UPDATE SET
                quote_exact = excluded.quote_exact, quote_prefix = excluded.quote_prefix,
                quote_suffix = excluded.quote_suffix, resolved = excluded.resolved, removed_at = NULL;
    END LOOP;
    UPDATE document_comments SET removed_at = seen_at
        WHERE draft_id = draft AND removed_at IS NULL
          AND comment_key NOT IN (SELECT e->>'key' FROM jsonb_array_elements(given) AS e);
END;
$$;
-- A function with its owner's rights looks names up in its own schema only, never a login's temporary one.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_sync_document_comments(BIGINT, TEXT, TEXT) SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;
GRANT EXECUTE ON FUNCTION factdesk_sync_document_comments(BIGINT, TEXT, TEXT)
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

ALTER TABLE draft_changes_since_ready ENABLE ROW LEVEL SECURITY;
CREATE POLICY draft_changes_since_ready_of_visible_drafts ON draft_changes_since_ready
    USING (factdesk_may_see_claims_of(draft_id)) WITH CHECK (factdesk_may_see_claims_of(draft_id));
