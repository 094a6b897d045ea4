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
-- NOT VALID: a store whose rows are older keeps them (they are checked again when they change); new rows and
-- changed rows are held to it.
ALTER TABLE drafts ADD CONSTRAINT drafts_path_relative
    CHECK (path <> '' AND strpos(path, E'\\') = 0 AND path !~ '(^|/)\.{0,2}(/|$)') NOT VALID;
ALTER TABLE drafts ADD CONSTRAINT drafts_path_bytes_relative
    CHECK (path_bytes IS NULL
           OR (octet_length(path_bytes) > 0 AND position('\x5c'::bytea IN path_bytes) = 0
               AND encode(path_bytes, 'escape') !~ '(^|/)\.{0,2}(/|$)')) NOT VALID;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_may_see_claims_of(BIGINT)', 'factdesk_vault_keeper(BIGINT, TEXT[])', 'factdesk_owner_folder(TEXT)',
        'factdesk_version_hash_held()', 'factdesk_current_version_held()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION factdesk_version_hash_held(), factdesk_current_version_held() FROM PUBLIC;
