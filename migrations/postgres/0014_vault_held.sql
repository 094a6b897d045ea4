-- The vault on a team store: the desk key is wrapped per person, and only whom may unlock
-- the vault reads a wrapping (issue 13). Without this, any login could copy `vault_keys` and
-- guess the passphrases offline, and reset the slow-down of wrong ones in `vault_attempts`.

-- Reporters, lawyers and admins never unlock the vault: no wrapping read, no attempt counted
-- or cleared, no vault set up. They still see whether a desk has a vault and how long its
-- unlock waits (the window's status), which tells nothing of a key.
REVOKE ALL ON vault_keys FROM factdesk_reporter, factdesk_lawyer, factdesk_admin;
REVOKE INSERT, UPDATE, DELETE ON vault_attempts, vaults FROM factdesk_reporter, factdesk_lawyer, factdesk_admin;

-- Whether the login acting may take or give wrappings of a desk's key by who they are: the tables'
-- owner (who ran `team init`), on a desk without people a login with rights on `vault_keys` (as
-- before people existed: the groups that lost them above do not regain them here), else one of
-- `roles` on that desk. `session_user`: the functions below run with their owner's rights, where
-- `current_user` is the owner. Every name is looked up in the tables' schema, never in a
-- login's temporary one (`search_path`, set below with `pg_temp` last): a temporary `people` or
-- `pg_tables` would otherwise answer for the real ones. Anyone may ask (a boolean): the
-- policies below ask it for every login, those in no Factdesk group too.
CREATE FUNCTION factdesk_vault_keeper(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT pg_has_role(session_user, (SELECT tableowner FROM pg_catalog.pg_tables
                                      WHERE schemaname = current_schema() AND tablename = 'vault_keys'), 'MEMBER')
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND has_table_privilege(session_user, 'vault_keys', 'DELETE'))
        OR EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = session_user AND p.role = ANY (roles))
$$;

-- Whether the login acting holds the desk's key: a keeper by who they are, or a standards editor or
-- editor of the desk with a wrapping of their own (an editor no source names has none: the core
-- grants one only to the named editor, and takes it back when no source names them any more).
CREATE FUNCTION factdesk_vault_holder(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT factdesk_vault_keeper(desk, ARRAY[]::TEXT[])
        OR (factdesk_vault_keeper(desk, ARRAY['standards-editor', 'editor'])
            AND EXISTS (SELECT 1 FROM vault_keys k
                        WHERE k.desk_id = desk AND k.kind = 'passphrase' AND k.recipient = session_user))
$$;

-- Whether the login acting may add a wrapping of a desk's key: a holder (giving it to another, or
-- to a computer), or a standards editor or editor of the desk while it has none (setting the vault
-- up, or storing the new key's in the rotation that just forgot the old ones). An editor without a
-- wrapping does not make themselves a holder with one of their own (of no key) to then forget the
-- others'.
CREATE FUNCTION factdesk_vault_may_add(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT factdesk_vault_holder(desk)
        OR (factdesk_vault_keeper(desk, ARRAY['standards-editor', 'editor'])
            AND NOT EXISTS (SELECT 1 FROM vault_keys k WHERE k.desk_id = desk))
$$;

-- Each holder reads their own wrapping, the recovery key's (256 random bits: not worth
-- guessing) and the rows they made (this computer's, or a wrapping they just granted with a
-- passphrase they chose); on a desk without people every row, as before. The recovery key's
-- row is no one's to change: a rotation deletes it and inserts the new key's.
ALTER TABLE vault_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY vault_keys_own_read ON vault_keys FOR SELECT
    USING (recipient = current_user OR kind = 'recovery' OR created_by = current_user
           OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id));
CREATE POLICY vault_keys_own_update ON vault_keys FOR UPDATE
    USING (kind = 'passphrase'
           AND (recipient = current_user OR created_by = current_user
                OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id)))
    WITH CHECK (kind = 'passphrase' AND factdesk_vault_keeper(desk_id, ARRAY['standards-editor', 'editor']));
CREATE POLICY vault_keys_own_delete ON vault_keys FOR DELETE
    USING (recipient = current_user OR created_by = current_user
           OR NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id));
CREATE POLICY vault_keys_add ON vault_keys FOR INSERT WITH CHECK (factdesk_vault_may_add(desk_id));

-- A DELETE reaches only the rows its author may read: taking others' wrappings away goes
-- through these, which check who asks first.

-- Every wrapping of a desk's key, the recovery key's too, before a rotation stores the new
-- key's: only a holder (an editor of the desk without a wrapping would destroy the key).
CREATE FUNCTION factdesk_vault_forget_wrappings(desk BIGINT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    gone BIGINT;
BEGIN
    IF NOT factdesk_vault_holder(desk) THEN
        RAISE EXCEPTION 'only the vault''s holders replace its key' USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM vault_keys WHERE desk_id = desk;
    GET DIAGNOSTICS gone = ROW_COUNT;
    RETURN gone;
END;
$$;

-- One person's wrapping, and those of the computers they remembered the desk on; returns how
-- many rows went. A holder or an admin of the desk takes any back; anyone the wrapping of one of
-- the desk's people whose role does not allow one (that only enforces the rule, as an admin's
-- Factdesk does when a role changes: the first person added to a desk need not be its admin).
CREATE FUNCTION factdesk_vault_drop_wrapping(desk BIGINT, person TEXT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    gone BIGINT;
BEGIN
    IF NOT (factdesk_vault_holder(desk) OR factdesk_vault_keeper(desk, ARRAY['admin'])
            OR EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = person
                       AND p.role NOT IN ('standards-editor', 'editor'))) THEN
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

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_vault_keeper(BIGINT, TEXT[]) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_vault_holder(BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_vault_may_add(BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_vault_forget_wrappings(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_vault_drop_wrapping(BIGINT, TEXT) SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;

-- The two that delete check who asks themselves, and a login in no Factdesk group (a store from
-- before people) needs them on a desk without people: executable by all, like the booleans.
GRANT EXECUTE ON FUNCTION factdesk_vault_keeper(BIGINT, TEXT[]), factdesk_vault_holder(BIGINT),
    factdesk_vault_may_add(BIGINT),
    factdesk_vault_forget_wrappings(BIGINT), factdesk_vault_drop_wrapping(BIGINT, TEXT) TO PUBLIC;
