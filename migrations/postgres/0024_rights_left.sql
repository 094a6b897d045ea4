-- What issue 13's last session left open on the server's rights (issue 13, "Left"). Group roles are the whole
-- server's: a login is in `factdesk_editor` because it is an editor of SOME desk. The functions since 0007 that
-- ask "is this login in none of the restricted groups (reporters, lawyers, admins)?" therefore let an editor of
-- desk A act as an editor on every other desk of the server, where `people` names them as no one; and the
-- tables of the register of sources had no row-level security at all. So, for writing, and only for writing
-- (what each login reads is as before; 0025 and later migrations may change how reads are decided):
--
-- 1. A source's confidential fields (`source_confidential`: identity, contact, the editor who knows the
--    source…) are inserted, changed or deleted only by a login that may record identities on the source's
--    desk: as rights.rs says for "reveal or record a source's identity", an editor or standards editor of that
--    desk (the core further limits an editor to the sources naming them, and to none while nothing is
--    recorded for a source they are not named on: the server cannot read a sealed field's name, so it holds
--    the desk, as 0022 holds `source_sealed`). Reading stays as it is (sealed fields are ciphertext; the plain
--    ones of a desk without a vault are read by the editors' groups, as before).
-- 2. The register itself (`sources`): a source is added, edited, removed or restored only by a login that may
--    "add or edit sources of the register" on its desk (a reporter, editor or standards editor there), and a
--    source stays on the desk it was added to (no group updates `id`, `desk_id` or who created it).
-- 3. A claim's link to a source (`claim_sources`) is written only by a login that may change claims on the
--    claim's desk (a reporter or editor or standards editor there: 0007's policy still holds a reporter to
--    their own drafts), and links a claim only to a source of the same desk (the core's "other desk" refusal).
-- 4. The slow-down of wrong vault passphrases (`vault_attempts`) is counted and cleared only by a login that
--    may unlock that desk's vault (an editor or standards editor there). `vaults`, `vault_keys` and
--    `source_sealed` already go by the desk's people (0014, 0022: `factdesk_vault_keeper`).
-- 5. 0007's `factdesk_may_mark_ready` and 0013's `factdesk_may_change_desk`, which decide *ready* and the other
--    editors' workflow moves, the editor's note, sourcing overrides, a desk's settings, the published record
--    and a draft's move across owner folders (0021), let in every login outside the restricted groups: an
--    editor of any desk. They now let in a login in none of Factdesk's groups (the store's owner, a login from
--    before people), a desk without people, or an editor or standards editor of that desk, as rights.rs says.
-- 6. A desk's people (`people`): only admins' logins write it (0007), but an admin of any desk, so an admin of desk
--    A could name themselves a standards editor of desk B and take every right above there. A desk's people are
--    added, changed and taken away only by a login that acts as an admin of that desk (anyone on a desk without
--    people: how a desk gets its first people, as rights.rs says).
-- 7. `factdesk_sync_document_comments` (0015, re-created by 0022) ran with its owner's rights for any login that
--    may write comments at all, so any login could overwrite or mark gone the Word and LibreOffice comments of
--    any draft. It now runs with the rights of the login calling it, and first refuses (insufficient_privilege)
--    a login that may not see the draft's claims; the core no longer calls it for such a draft (a reporter's
--    Factdesk scanning another reporter's document leaves its comments to a login that sees them, as it
--    leaves a ready draft's re-check, `Store::login_sees_claims_of`).
--
-- Every function names this schema's tables, never a login's temporary look-alikes, and pg_catalog's built-ins
-- with typed arguments (search_path pinned, pg_temp last, as 0013, 0016 and 0022).

-- Whether the current login is in one of Factdesk's groups, whose rights hang on their role on a desk. A login
-- in none (the store's owner, a login the newsroom granted the tables before people existed) keeps the rights
-- it was granted, as 0007 says.
CREATE FUNCTION factdesk_in_any_group() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.pg_has_role(current_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
        OR pg_catalog.pg_has_role(current_user, 'factdesk_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
        OR pg_catalog.pg_has_role(current_user, 'factdesk_standards_editor'::pg_catalog.text,
                                  'MEMBER'::pg_catalog.text)
        OR pg_catalog.pg_has_role(current_user, 'factdesk_lawyer'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
        OR pg_catalog.pg_has_role(current_user, 'factdesk_admin'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
$$;

-- Whether the current login acts on `desk` with one of `roles`: a desk without people (anyone, as before people
-- existed), a login in none of Factdesk's groups, or one of the desk's people with one of `roles` there.
-- Invoker's rights: it asks who is asking, and reads `people` as them (every group reads it).
CREATE FUNCTION factdesk_acts_on_desk(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
        OR NOT factdesk_in_any_group()
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = current_user::pg_catalog.text AND p.role = ANY (roles))
$$;

-- Whether the current login may record the confidential fields of `source` (1.): on its desk, as an editor or
-- standards editor. No for a source that is not there.
CREATE FUNCTION factdesk_may_record_identity(source BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM sources s
                   WHERE s.id = source
                     AND factdesk_acts_on_desk(s.desk_id, ARRAY['editor', 'standards-editor']::pg_catalog.text[]))
$$;

-- Whether the current login may link `claim` to `source` (3.): both on one desk, where it may change claims.
-- The claim is read as the login sees it (0007's policy on `claims`).
CREATE FUNCTION factdesk_may_link(claim BIGINT, source BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM claims c JOIN drafts d ON d.id = c.draft_id JOIN sources s ON s.id = source
                   WHERE c.id = claim AND s.desk_id = d.desk_id
                     AND factdesk_acts_on_desk(d.desk_id,
                                               ARRAY['reporter', 'editor', 'standards-editor']::pg_catalog.text[]))
$$;

-- 1. ---------------------------------------------------------------------------------------------------------
ALTER TABLE source_confidential ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_confidential_read ON source_confidential FOR SELECT USING (TRUE);
CREATE POLICY source_confidential_insert ON source_confidential FOR INSERT
    WITH CHECK (factdesk_may_record_identity(source_id));
CREATE POLICY source_confidential_update ON source_confidential FOR UPDATE
    USING (factdesk_may_record_identity(source_id)) WITH CHECK (factdesk_may_record_identity(source_id));
-- No group deletes these rows (0022); a login granted DELETE directly deletes only where it may record them.
CREATE POLICY source_confidential_delete ON source_confidential FOR DELETE
    USING (factdesk_may_record_identity(source_id));

-- 2. ---------------------------------------------------------------------------------------------------------
ALTER TABLE sources ENABLE ROW LEVEL SECURITY;
CREATE POLICY sources_read ON sources FOR SELECT USING (TRUE);
CREATE POLICY sources_insert ON sources FOR INSERT
    WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY sources_update ON sources FOR UPDATE
    USING (factdesk_acts_on_desk(desk_id, ARRAY['reporter', 'editor', 'standards-editor']))
    WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY sources_delete ON sources FOR DELETE
    USING (factdesk_acts_on_desk(desk_id, ARRAY['reporter', 'editor', 'standards-editor']));
-- What Factdesk updates on a source (crates/core/src/store/sources.rs): its public fields, its row version, who
-- changed it when, and its removal. Never its id, desk or creation.
REVOKE UPDATE ON sources
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (descriptor, kind, notes, updated_by, updated_at, version, removed_at, removed_by)
    ON sources TO factdesk_reporter, factdesk_editor, factdesk_standards_editor;

-- 3. ---------------------------------------------------------------------------------------------------------
-- Restrictive: on top of 0007's policy (the links of the claims the login sees), for writing only.
CREATE POLICY claim_sources_written_on_their_desk ON claim_sources AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_may_link(claim_id, source_id));
CREATE POLICY claim_sources_changed_on_their_desk ON claim_sources AS RESTRICTIVE FOR UPDATE
    USING (factdesk_may_link(claim_id, source_id)) WITH CHECK (factdesk_may_link(claim_id, source_id));

-- 4. ---------------------------------------------------------------------------------------------------------
ALTER TABLE vault_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY vault_attempts_read ON vault_attempts FOR SELECT USING (TRUE);
CREATE POLICY vault_attempts_insert ON vault_attempts FOR INSERT
    WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['editor', 'standards-editor']));
CREATE POLICY vault_attempts_update ON vault_attempts FOR UPDATE
    USING (factdesk_acts_on_desk(desk_id, ARRAY['editor', 'standards-editor']))
    WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['editor', 'standards-editor']));
CREATE POLICY vault_attempts_delete ON vault_attempts FOR DELETE
    USING (factdesk_acts_on_desk(desk_id, ARRAY['editor', 'standards-editor']));

-- 5. ---------------------------------------------------------------------------------------------------------
-- 0018's: an editor or standards editor of the draft's desk, a login in none of Factdesk's groups, or anyone on a
-- desk without people (a draft that is not there is on no desk: no, as 0021 says).
CREATE OR REPLACE FUNCTION factdesk_may_mark_ready(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d
                   WHERE d.id = draft
                     AND factdesk_acts_on_desk(d.desk_id, ARRAY['editor', 'standards-editor']::pg_catalog.text[]))
$$;

-- 0018's: whether the current login acts as an editor on `desk`.
CREATE OR REPLACE FUNCTION factdesk_may_change_desk(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT factdesk_acts_on_desk(desk, ARRAY['editor', 'standards-editor']::pg_catalog.text[])
$$;

-- 6. ---------------------------------------------------------------------------------------------------------
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
CREATE POLICY people_read ON people FOR SELECT USING (TRUE);
CREATE POLICY people_insert ON people FOR INSERT WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['admin']));
CREATE POLICY people_update ON people FOR UPDATE
    USING (factdesk_acts_on_desk(desk_id, ARRAY['admin'])) WITH CHECK (factdesk_acts_on_desk(desk_id, ARRAY['admin']));
CREATE POLICY people_delete ON people FOR DELETE USING (factdesk_acts_on_desk(desk_id, ARRAY['admin']));

-- 7. ---------------------------------------------------------------------------------------------------------
-- 0022's, with the login's own rights (the policies on `document_comments` then hold each row it writes to the
-- drafts whose claims it sees) and that question asked first, so that a login that may not is told so rather
-- than have its rows silently filtered.
CREATE OR REPLACE FUNCTION factdesk_sync_document_comments(draft BIGINT, comments TEXT, seen_at TEXT) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    given JSONB := comments::jsonb;
    c JSONB;
BEGIN
    IF NOT factdesk_may_see_claims_of(draft) THEN
        RAISE EXCEPTION 'login % may not see the claims of draft %, so it does not write its document comments',
            session_user, draft USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One at a time, in the document's order (the order first seen), as on SQLite: a document may hold the
    -- same comment twice, which one INSERT of them all could not upsert.
    FOR c IN SELECT value FROM pg_catalog.jsonb_array_elements(given) WITH ORDINALITY ORDER BY ordinality LOOP
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
          AND comment_key NOT IN (SELECT e->>'key' FROM pg_catalog.jsonb_array_elements(given) AS e);
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_in_any_group()', 'factdesk_acts_on_desk(BIGINT, TEXT[])', 'factdesk_may_record_identity(BIGINT)',
        'factdesk_may_link(BIGINT, BIGINT)', 'factdesk_may_mark_ready(BIGINT)', 'factdesk_may_change_desk(BIGINT)',
        'factdesk_sync_document_comments(BIGINT, TEXT, TEXT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
-- Booleans about the login asking, asked by the policies for every login, those in no group too (a desk without
-- people), as 0021's.
GRANT EXECUTE ON FUNCTION factdesk_in_any_group(), factdesk_acts_on_desk(BIGINT, TEXT[]),
    factdesk_may_record_identity(BIGINT), factdesk_may_link(BIGINT, BIGINT) TO PUBLIC;
