-- The server's grants, tightened (security review of issue 13, after 0021). Each rule below names what a login
-- could do by querying the tables directly that Factdesk itself never does; the SQL Factdesk runs on each table
-- (crates/core/src/store/) was read first, so every workflow it has keeps working.
--
-- 1. Deletions whose cascades, run as the tables' owner, went past every rule: an editor deleting a desk's
--    `vaults` row took every wrapping of its key with it, the recovery key's too (the sealed identities lost for
--    good); a reporter deleting a source took its confidential fields, sealed fields and its links to claims
--    they may not see. Factdesk removes a source by `removed_at`, unlinks a claim's source by `removed_at`
--    (an UPDATE), never deletes a source's plain confidential row, nor a vault. It does delete a source's sealed
--    fields, before sealing them again (`Store::delete_sealed_fields`): writing them is left to those who act as
--    an editor on the source's desk (the vault's own keepers), no longer to an editor of any desk. A vault's row
--    is changed only in its generation, by a key rotation, after the holder's wrappings were forgotten
--    (0014's `factdesk_vault_forget_wrappings`, which checks it is a holder): 0014's `factdesk_vault_may_add`
--    asks the same of who sets the vault up or changes its generation.
-- 2. On PostgreSQL 14 and older every login may create functions in the `public` schema, and a function there
--    whose argument types match better than pg_catalog's is called instead of it from a function body (search
--    path or not). No login but the owner creates anything in the store's schema; the rights functions whose
--    bodies 0018 did not re-create name pg_catalog's functions and operators' argument types explicitly.
-- 3. A draft's versions are what editors review: the groups only note when a version was first seen; a new
--    version's content hash is the SHA-256 of its text (as `ingest::hex_sha256` computes it), and a draft's
--    current version is one of its own.
-- 4. A draft's path is relative inside its desk: no empty, `.` or `..` component, no backslash (the owner
--    folder rules of 0021 read the first component; `bo/../cy/x.md` is in cy's).
-- 5. Ids are the identity columns', never a login's.
-- 6. 0007's `factdesk_may_see_claims_of` read the owner folder from the path's start, so a reporter lost their
--    own draft once it stepped aside to `.factdesk-missing/<id>/…`: it reads 0021's `factdesk_owner_folder`.

-- 1. ---------------------------------------------------------------------------------------------------------
REVOKE DELETE ON sources, claim_sources, source_confidential, vaults
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
REVOKE UPDATE ON vaults
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (generation) ON vaults TO factdesk_editor, factdesk_standards_editor;

ALTER TABLE vaults ENABLE ROW LEVEL SECURITY;
CREATE POLICY vaults_read ON vaults FOR SELECT USING (TRUE);
CREATE POLICY vaults_set_up ON vaults FOR INSERT WITH CHECK (factdesk_vault_may_add(desk_id));
CREATE POLICY vaults_new_generation ON vaults FOR UPDATE
    USING (factdesk_vault_may_add(desk_id)) WITH CHECK (factdesk_vault_may_add(desk_id));

-- Sealed fields are read as before (ciphertext; the view `source_fields_recorded` runs as the owner); written
-- and deleted by whom keeps the source's desk's vault: its owner, its editors and standards editors, anyone on a
-- desk without people (as before people existed).
ALTER TABLE source_sealed ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_sealed_read ON source_sealed FOR SELECT USING (TRUE);
CREATE POLICY source_sealed_insert ON source_sealed FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id
                        AND factdesk_vault_keeper(s.desk_id, ARRAY['standards-editor', 'editor'])));
CREATE POLICY source_sealed_update ON source_sealed FOR UPDATE
    USING (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id
                   AND factdesk_vault_keeper(s.desk_id, ARRAY['standards-editor', 'editor'])))
    WITH CHECK (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id
                        AND factdesk_vault_keeper(s.desk_id, ARRAY['standards-editor', 'editor'])));
CREATE POLICY source_sealed_delete ON source_sealed FOR DELETE
    USING (EXISTS (SELECT 1 FROM sources s WHERE s.id = source_id
                   AND factdesk_vault_keeper(s.desk_id, ARRAY['standards-editor', 'editor'])));

-- 2. ---------------------------------------------------------------------------------------------------------
DO $$
BEGIN
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, '
                   'factdesk_lawyer, factdesk_admin', current_schema());
END;
$$;

-- 0007's, with 6. below: a reporter sees the claims of the drafts in their owner folder, stepped aside or not.
CREATE OR REPLACE FUNCTION factdesk_may_see_claims_of(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT pg_catalog.pg_has_role(current_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
        OR factdesk_desk_without_people(draft)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text)
        OR EXISTS (SELECT 1 FROM drafts d
                   WHERE d.id = draft AND factdesk_owner_folder(d.path) = current_user::pg_catalog.text)
$$;

-- 0014's, its built-ins named in pg_catalog.
CREATE OR REPLACE FUNCTION factdesk_vault_keeper(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT pg_catalog.pg_has_role(session_user,
                                  (SELECT t.tableowner FROM pg_catalog.pg_tables t
                                   WHERE t.schemaname = pg_catalog.current_schema() AND t.tablename = 'vault_keys'),
                                  'MEMBER'::pg_catalog.text)
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND pg_catalog.has_table_privilege(session_user, 'vault_keys'::pg_catalog.text, 'DELETE'::pg_catalog.text))
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = session_user::pg_catalog.text AND p.role = ANY (roles))
$$;

-- 0021's, its built-ins named in pg_catalog.
CREATE OR REPLACE FUNCTION factdesk_owner_folder(path TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN pg_catalog.strpos(stripped, '/'::pg_catalog.text) > 0
                THEN pg_catalog.split_part(stripped, '/'::pg_catalog.text, 1) ELSE ''::pg_catalog.text END
    FROM (SELECT pg_catalog.regexp_replace(path, '^\.factdesk-missing/[0-9]+/'::pg_catalog.text, ''::pg_catalog.text)
              AS stripped) s
$$;

-- 0015's, its built-ins named in pg_catalog; and, with 5. below (INSERT granted column by column), a login
-- "may write comments" when it may insert into some of the table's columns.
CREATE OR REPLACE FUNCTION factdesk_sync_document_comments(draft BIGINT, comments TEXT, seen_at TEXT) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    given JSONB := comments::jsonb;
    c JSONB;
BEGIN
    IF NOT (pg_catalog.has_any_column_privilege(session_user, 'document_comments'::pg_catalog.text,
                                                'INSERT'::pg_catalog.text)
            AND pg_catalog.has_table_privilege(session_user, 'document_comments'::pg_catalog.text,
                                               'UPDATE'::pg_catalog.text)) THEN
        RAISE EXCEPTION 'permission denied for table document_comments' USING ERRCODE = 'insufficient_privilege';
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

-- 0019's, their built-ins named in pg_catalog.
CREATE OR REPLACE FUNCTION factdesk_audit_tail() RETURNS TABLE (seq BIGINT, hash TEXT)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT a.seq, a.hash FROM audit_log a
    WHERE pg_catalog.has_table_privilege(session_user, 'audit_log'::pg_catalog.text, 'INSERT'::pg_catalog.text)
    ORDER BY a.seq DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION factdesk_audit_links() RETURNS TABLE (seq BIGINT, prev_hash TEXT, hash TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
BEGIN
    IF NOT pg_catalog.has_table_privilege(session_user, 'audit_log'::pg_catalog.text, 'SELECT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not read the audit trail, so it is not given its links', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT a.seq, a.prev_hash, a.hash FROM audit_log a ORDER BY a.seq;
END;
$$;

-- 0019's trigger (the owner's rights: a stand-in for a built-in would run as the owner), its built-ins named in
-- pg_catalog; what it checks is unchanged.
CREATE OR REPLACE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    newest_seq  BIGINT;
    newest_hash TEXT;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(5071444006361457780::BIGINT);  -- AUDIT_LOCK, 0x4661_6374_4175_6474
    SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
    IF NEW.seq IS DISTINCT FROM coalesce(newest_seq, 0) + 1 THEN
        RAISE EXCEPTION 'an audit entry must follow the newest one: number % expected, % given',
            coalesce(newest_seq, 0) + 1, NEW.seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM coalesce(newest_hash, pg_catalog.repeat('0'::pg_catalog.text, 64)) THEN
        RAISE EXCEPTION 'an audit entry must link to the newest entry''s hash' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'an audit entry''s hash is 64 lowercase hexadecimal digits' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.actor IS DISTINCT FROM session_user::pg_catalog.text
       AND NOT pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                     WHERE c.oid = 'audit_log'::pg_catalog.regclass),
                                      'MEMBER'::pg_catalog.text) THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;

-- 3. ---------------------------------------------------------------------------------------------------------
REVOKE UPDATE ON draft_versions
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (first_seen_at) ON draft_versions
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- A version's hash is its text's, for every login but the tables' owner (`migrate-store` copies versions a
-- SQLite desk recorded over the years as they are).
CREATE FUNCTION factdesk_version_hash_held() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.content_hash IS DISTINCT FROM
           pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(NEW.text, 'UTF8')), 'hex')
       AND NOT pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                     WHERE c.oid = 'draft_versions'::pg_catalog.regclass), 'MEMBER') THEN
        RAISE EXCEPTION 'a draft version''s content hash is the SHA-256 of its text' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER draft_versions_hash_held BEFORE INSERT OR UPDATE ON draft_versions
    FOR EACH ROW EXECUTE FUNCTION factdesk_version_hash_held();

-- A draft's current version is one of its own versions.
CREATE FUNCTION factdesk_current_version_held() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.current_version_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM draft_versions v WHERE v.id = NEW.current_version_id AND v.draft_id = NEW.id) THEN
        RAISE EXCEPTION 'draft %''s current version % is not one of its versions', NEW.id, NEW.current_version_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER drafts_current_version_held BEFORE INSERT OR UPDATE OF current_version_id ON drafts
    FOR EACH ROW EXECUTE FUNCTION factdesk_current_version_held();

-- 4. ---------------------------------------------------------------------------------------------------------
-- A name that is not valid UTF-8 is shown in `path` with its undecodable bytes as `\xNN` (desk.rs): its real
-- bytes are `path_bytes`, held to the same rule, backslash included. NOT VALID: a store whose rows are older
-- keeps them (they are checked again when they change); new rows and changed rows are held to it.
ALTER TABLE drafts ADD CONSTRAINT drafts_path_relative
    CHECK (path <> '' AND path !~ '(^|/)\.{0,2}(/|$)' AND (path_bytes IS NOT NULL OR strpos(path, E'\\') = 0))
    NOT VALID;
ALTER TABLE drafts ADD CONSTRAINT drafts_path_bytes_relative
    CHECK (path_bytes IS NULL
           OR (octet_length(path_bytes) > 0 AND position('\x5c'::bytea IN path_bytes) = 0
               AND encode(path_bytes, 'escape') !~ '(^|/)\.{0,2}(/|$)')) NOT VALID;

-- 5. ---------------------------------------------------------------------------------------------------------
-- Ids come from the identity columns, never from a login: an id given explicitly is taken ahead of the sequence
-- (the next row Factdesk records then fails on it) or names a row in the audit trail before it exists. Factdesk
-- never writes an `id`: each group that inserts into a table with an identity `id` now inserts its other columns
-- only. (A column added later is granted by its own migration, as a new table is since 0012.)
DO $$
DECLARE
    group_role TEXT;
    held_table TEXT;
    other_columns TEXT;
BEGIN
    FOR held_table IN SELECT c.table_name FROM information_schema.columns c
                      WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND c.is_identity = 'YES'
                      ORDER BY c.table_name
    LOOP
        SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) INTO other_columns
            FROM information_schema.columns c
            WHERE c.table_schema = current_schema() AND c.table_name = held_table AND c.column_name <> 'id'
              AND c.is_generated = 'NEVER';
        FOREACH group_role IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                          'factdesk_lawyer', 'factdesk_admin']
        LOOP
            IF has_table_privilege(group_role, format('%I.%I', current_schema(), held_table), 'INSERT') THEN
                EXECUTE format('REVOKE INSERT ON %I FROM %I', held_table, group_role);
                EXECUTE format('GRANT INSERT (%s) ON %I TO %I', other_columns, held_table, group_role);
            END IF;
        END LOOP;
    END LOOP;
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_may_see_claims_of(BIGINT)', 'factdesk_vault_keeper(BIGINT, TEXT[])', 'factdesk_owner_folder(TEXT)',
        'factdesk_version_hash_held()', 'factdesk_current_version_held()',
        'factdesk_sync_document_comments(BIGINT, TEXT, TEXT)', 'factdesk_audit_tail()', 'factdesk_audit_links()',
        'factdesk_audit_fill_subject()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION factdesk_version_hash_held(), factdesk_current_version_held() FROM PUBLIC;
