-- What 0007_people and 0012_team_tables_held left open on the server (issue 13), so that a login querying the
-- tables directly gets no more than Factdesk gives its role:
-- - The editor's note, sourcing overrides and the desk's settings are the editors' and standards editors'
--   (rights.rs: "the editor's note, desk settings", "override a finding"). A reporter's, lawyer's or admin's
--   Factdesk still lapses the overrides of a ready draft whose text changed when it scans the folder, so those
--   logins may set `lapsed_at`, and only to a time (never lift a lapse). Of the settings they write only what
--   is this computer's own (the reviewer's name, the vault's idle time, the desk the window opens at start),
--   never a desk's.
-- - A draft's text (its versions) stays readable by every login: it is the shared folder's, which every member's
--   Factdesk scans and records; a scan follows a draft through a rename by its text (the content hash matched
--   against the texts recorded so far). Hiding it broke that for a reporter's Factdesk scanning another
--   reporter's draft (a renamed draft became a new one, its review left behind).
--   The search index's entry for another reporter's draft is hidden (the search shows a reporter what they may
--   open in Factdesk), as are an edited note's earlier texts, read with the note.
-- Group membership is the whole server's: these rules ask the group, and, where a draft or desk is concerned,
-- the person's role on that desk (`people`), as 0007 does. The functions name their own schema's tables, never a
-- login's temporary look-alikes (search_path pinned, pg_temp last; 0016 does the same for 0003 to 0007's).

-- Whether the current login acts as an editor on `desk`: a desk without people (anyone, as before people
-- existed), a login in none of the restricted groups, or an editor or standards editor of that desk.
CREATE FUNCTION factdesk_may_change_desk(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
        OR NOT (pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                OR pg_has_role(current_user, 'factdesk_lawyer', 'MEMBER')
                OR pg_has_role(current_user, 'factdesk_admin', 'MEMBER'))
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = current_user AND p.role IN ('editor', 'standards-editor'))
$$;

-- Whether the current login may write setting `key`: this computer's own settings anyone may; a desk's
-- (`desk:N:…`) whoever may change that desk; any other only a login in none of the restricted groups.
CREATE FUNCTION factdesk_may_write_setting(key TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT key IN ('reviewer', 'vault_idle_minutes', 'last_desk')
        OR CASE WHEN key ~ '^desk:[0-9]{1,18}:' THEN factdesk_may_change_desk(split_part(key, ':', 2)::BIGINT)
                ELSE NOT (pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                          OR pg_has_role(current_user, 'factdesk_lawyer', 'MEMBER')
                          OR pg_has_role(current_user, 'factdesk_admin', 'MEMBER'))
           END
$$;

-- A login's temporary schema comes first on its search path unless named: these read `people` of this schema.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_may_change_desk(BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_may_write_setting(TEXT) SET search_path = %I, pg_temp', current_schema());
END;
$$;
GRANT EXECUTE ON FUNCTION factdesk_may_change_desk(BIGINT), factdesk_may_write_setting(TEXT)
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- The editor's note: 0007 took it from the lawyer and the admin; the reporter's too, and per desk.
REVOKE INSERT, UPDATE, DELETE ON editor_notes FROM factdesk_reporter;
ALTER TABLE editor_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY editor_notes_read ON editor_notes FOR SELECT USING (TRUE);
CREATE POLICY editor_notes_insert ON editor_notes FOR INSERT WITH CHECK (factdesk_may_mark_ready(draft_id));
CREATE POLICY editor_notes_update ON editor_notes FOR UPDATE
    USING (factdesk_may_mark_ready(draft_id)) WITH CHECK (factdesk_may_mark_ready(draft_id));
CREATE POLICY editor_notes_delete ON editor_notes FOR DELETE USING (factdesk_may_mark_ready(draft_id));

-- Overrides: made and taken away by the editors; lapsed by anyone's scan.
REVOKE INSERT, UPDATE, DELETE ON rule_overrides, rule_override_findings
    FROM factdesk_reporter, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (lapsed_at) ON rule_overrides TO factdesk_reporter, factdesk_lawyer, factdesk_admin;
ALTER TABLE rule_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY rule_overrides_read ON rule_overrides FOR SELECT USING (TRUE);
CREATE POLICY rule_overrides_insert ON rule_overrides FOR INSERT WITH CHECK (factdesk_may_mark_ready(draft_id));
CREATE POLICY rule_overrides_update ON rule_overrides FOR UPDATE
    USING (TRUE) WITH CHECK (lapsed_at IS NOT NULL OR factdesk_may_mark_ready(draft_id));
CREATE POLICY rule_overrides_delete ON rule_overrides FOR DELETE USING (factdesk_may_mark_ready(draft_id));

-- Settings.
ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY settings_read ON settings FOR SELECT USING (TRUE);
CREATE POLICY settings_insert ON settings FOR INSERT WITH CHECK (factdesk_may_write_setting(key));
CREATE POLICY settings_update ON settings FOR UPDATE
    USING (factdesk_may_write_setting(key)) WITH CHECK (factdesk_may_write_setting(key));
CREATE POLICY settings_delete ON settings FOR DELETE USING (factdesk_may_write_setting(key));

-- The search index's entry for a draft holds its text: seen like the text.
DROP POLICY search_entries_seen ON search_entries;
CREATE POLICY search_entries_seen ON search_entries
    USING (kind = 'source' OR draft_id IS NULL OR factdesk_may_see_claims_of(draft_id))
    WITH CHECK (TRUE);

-- An edited note's earlier texts, with the note (whose own row-level security decides).
ALTER TABLE note_edits ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_edits_of_visible_notes ON note_edits
    USING (EXISTS (SELECT 1 FROM notes n WHERE n.id = note_id))
    WITH CHECK (EXISTS (SELECT 1 FROM notes n WHERE n.id = note_id));

-- The search index is derived from the rows, whoever wrote them: a reporter's scan that records another
-- reporter's new text still brings that draft's entry up to date, though the entry is not theirs to see (nor
-- to delete, as the function does first). The function writes only the entry the draft's own row gives.
ALTER FUNCTION search_index_draft(BIGINT) SECURITY DEFINER;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION search_index_draft(BIGINT) SET search_path = %I, pg_temp', current_schema());
END;
$$;

-- A reply is as private as its thread (it may quote or name what the private note said): the search index
-- (0005_search) left out private notes but indexed the replies to them. Threads are flat: a reply's `reply_to`
-- is the thread's first note. A change of a thread's privacy re-indexes its replies; the replies indexed so far
-- leave the index.
CREATE OR REPLACE FUNCTION search_index_note(note BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_entries WHERE kind = 'note' AND item_id = note;
    INSERT INTO search_entries (kind, item_id, claim_id, draft_id, desk_id, body, words)
        SELECT 'note', n.id, c.id, d.id, d.desk_id, n.text, search_vector(n.text)
        FROM notes n LEFT JOIN claims c ON c.id = n.claim_id JOIN drafts d ON d.id = coalesce(n.draft_id, c.draft_id)
        WHERE n.id = note AND n.removed_at IS NULL AND n.private = FALSE
          AND (n.claim_id IS NULL OR c.removed_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM notes t WHERE t.id = n.reply_to AND t.private);
$$;

CREATE OR REPLACE FUNCTION search_follow_notes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_entries WHERE kind = 'note' AND item_id = OLD.id;
    ELSE
        PERFORM search_index_note(NEW.id);
        IF TG_OP = 'UPDATE' AND OLD.private IS DISTINCT FROM NEW.private THEN
            PERFORM search_index_note(r.id) FROM notes r WHERE r.reply_to = NEW.id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

DELETE FROM search_entries
WHERE kind = 'note' AND item_id IN (SELECT r.id FROM notes r JOIN notes t ON t.id = r.reply_to WHERE t.private);
