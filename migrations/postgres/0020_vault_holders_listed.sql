-- Who holds a desk's key, for the window's vault panel (issue 13): each login reads only its own
-- wrapping (0014), so the names of the others come from this function, which checks who asks
-- first: a holder, or a standards editor, editor or admin of the desk (those who give access or
-- take it back). Names only: no wrapping, salt or key material leaves it. Computers' wrappings
-- (their recipients start with the unit separator) are not people and are left out.
CREATE FUNCTION factdesk_vault_holder_names(desk BIGINT) RETURNS SETOF TEXT
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
BEGIN
    IF NOT (factdesk_vault_holder(desk)
            OR factdesk_vault_keeper(desk, ARRAY['standards-editor', 'editor', 'admin'])) THEN
        RAISE EXCEPTION 'only the vault''s holders, its editors and the desk''s admins see who holds its key'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT DISTINCT k.recipient FROM vault_keys k
        WHERE k.desk_id = desk AND k.kind = 'passphrase' AND left(k.recipient, 1) <> chr(31)
        ORDER BY k.recipient;
END;
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_vault_holder_names(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;

GRANT EXECUTE ON FUNCTION factdesk_vault_holder_names(BIGINT) TO PUBLIC;
