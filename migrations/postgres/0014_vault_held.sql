-- The vault on a team store: the desk key is wrapped per person, and only whom may unlock
-- the vault reads a wrapping (issue 13). Without this, any login could copy `vault_keys` and
-- guess the passphrases offline, and reset the slow-down of wrong ones in `vault_attempts`.

-- Reporters, lawyers and admins never unlock the vault: no wrapping read, no attempt counted
-- or cleared, no vault set up. They still see whether a desk has a vault and how long its
-- unlock waits (the window's status), which tells nothing of a key.
REVOKE ALL ON vault_keys FROM factdesk_reporter, factdesk_lawyer, factdesk_admin;
REVOKE INSERT, UPDATE, DELETE ON vault_attempts, vaults FROM factdesk_reporter, factdesk_lawyer, factdesk_admin;

-- Whether the login acting may take or give wrappings of a desk's key: the tables' owner
-- (who ran `team init`), anyone on a desk without people (as before people existed), else a
-- standards editor or editor of that desk (the core checks the named editor with the key in
-- hand), or, to take a wrapping back, an admin (roles change). `session_user`: the functions
-- below run with their owner's rights, where `current_user` is the owner.
CREATE FUNCTION factdesk_vault_keeper(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                      WHERE schemaname = current_schema() AND tablename = 'vault_keys'), 'MEMBER')
        OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
        OR EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = session_user AND p.role = ANY (roles))
$$;

-- Each holder reads their own wrapping, the recovery key's (256 random bits: not worth
-- guessing) and the rows they made (this computer's, or a wrapping they just granted with a
-- passphrase they chose); on a desk without people every row, as before.
ALTER TABLE vault_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY vault_keys_own_read ON vault_keys FOR SELECT
    USING (recipient = current_user OR kind = 'recovery' OR created_by = current_user
           OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id));
CREATE POLICY vault_keys_own_update ON vault_keys FOR UPDATE
    USING (recipient = current_user OR kind = 'recovery' OR created_by = current_user
           OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id))
    WITH CHECK (factdesk_vault_keeper(desk_id, ARRAY['standards-editor', 'editor']));
CREATE POLICY vault_keys_own_delete ON vault_keys FOR DELETE
    USING (recipient = current_user OR created_by = current_user
           OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id));
CREATE POLICY vault_keys_add ON vault_keys FOR INSERT
    WITH CHECK (factdesk_vault_keeper(desk_id, ARRAY['standards-editor', 'editor']));

-- A DELETE reaches only the rows its author may read: taking others' wrappings away goes
-- through these, which check who asks first.

-- Every wrapping of a desk's key, before a rotation stores the new key's.
CREATE FUNCTION factdesk_vault_forget_wrappings(desk BIGINT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    gone BIGINT;
BEGIN
    IF NOT factdesk_vault_keeper(desk, ARRAY['standards-editor', 'editor']) THEN
        RAISE EXCEPTION 'only the vault''s holders replace its key' USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM vault_keys WHERE desk_id = desk;
    GET DIAGNOSTICS gone = ROW_COUNT;
    RETURN gone;
END;
$$;

-- One person's wrapping, and those of the computers they remembered the desk on. Anyone may
-- take away the wrapping of someone whose role on the desk does not allow one (that only
-- enforces the rule: the first person added to a desk may not be the login adding them);
-- only a holder or an admin the wrapping of a standards editor or editor.
CREATE FUNCTION factdesk_vault_drop_wrapping(desk BIGINT, person TEXT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    gone BIGINT;
BEGIN
    IF NOT (factdesk_vault_keeper(desk, ARRAY['standards-editor', 'editor', 'admin'])
            OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = person
                           AND p.role IN ('standards-editor', 'editor'))) THEN
        RAISE EXCEPTION 'only the vault''s holders and the desk''s admins take a wrapping back'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM vault_keys
    WHERE desk_id = desk AND kind = 'passphrase'
      AND (recipient = person OR (left(recipient, 1) = chr(31) AND created_by = person));
    GET DIAGNOSTICS gone = ROW_COUNT;
    RETURN gone;
END;
$$;

REVOKE ALL ON FUNCTION factdesk_vault_keeper(BIGINT, TEXT[]), factdesk_vault_forget_wrappings(BIGINT),
    factdesk_vault_drop_wrapping(BIGINT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION factdesk_vault_keeper(BIGINT, TEXT[])
    TO factdesk_editor, factdesk_standards_editor, factdesk_admin;
GRANT EXECUTE ON FUNCTION factdesk_vault_forget_wrappings(BIGINT) TO factdesk_editor, factdesk_standards_editor;
GRANT EXECUTE ON FUNCTION factdesk_vault_drop_wrapping(BIGINT, TEXT) TO PUBLIC;
