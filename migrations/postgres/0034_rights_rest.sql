-- The rights issue 13's last session left (its closing note, "Left"), on the server's side:
--
-- 1. `settings`: 0013's `factdesk_may_write_setting` (re-created by 0018) let any login outside the reporters',
--    lawyers' and admins' groups write any key not of the form `desk:N:` — an editor of ANY desk, since group
--    roles are the whole server's. The keys Factdesk writes (grep `set_setting` in crates/core and src-tauri):
--      `desk:N:reopen-when-changed`  desk N's (sourcing/workflow.rs): its editors and standards editors, as
--                                    before (`factdesk_may_change_desk`, 0024, on `factdesk_acts_on_desk`);
--      `last_desk`                   the folder the window opens at start (src-tauri/session.rs): written by
--                                    every role's window when it opens a desk, so anyone's, as before;
--      `reviewer`                    the reviewer's name on a computer without a team store: on a team store the
--                                    login is the name and the setting is never read for it; anyone's, as before
--                                    (the window's first start may still save one);
--      `vault_idle_minutes`          how long an unused unlocked vault stays open: on a team store it is read by
--                                    every login's window, for every desk's vault, so it is the server's, not a
--                                    computer's: written by a login in none of Factdesk's groups (the store's
--                                    owner) or an admin of a desk; no longer by a reporter or an editor, who could
--                                    keep every colleague's vault open for hours;
--      `unnamed-login`               written on SQLite only (a team store's changes are its logins'): like any
--                                    other key, the owner's alone.
--    Any other key is written only by a login in none of Factdesk's groups (the store's owner, a login from
--    before people), never by a group's login.
--
-- Functions name this schema's tables (search_path pinned, pg_temp last, as 0016 and later).

-- 1. ---------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION factdesk_may_write_setting(key TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN key IN ('reviewer', 'last_desk') THEN TRUE
        WHEN key ~ '^desk:[0-9]{1,18}:' THEN factdesk_may_change_desk(pg_catalog.split_part(key, ':', 2)::BIGINT)
        WHEN key = 'vault_idle_minutes' THEN
            NOT factdesk_in_any_group()
            OR EXISTS (SELECT 1 FROM people p WHERE p.name = current_user::pg_catalog.text AND p.role = 'admin')
        ELSE NOT factdesk_in_any_group()
    END
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY['factdesk_may_write_setting(TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
