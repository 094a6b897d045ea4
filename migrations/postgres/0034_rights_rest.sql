-- The rights issue 13's last session left (its closing note, "Left"), on the server's side:
--
-- 1. `settings`: 0013's `factdesk_may_write_setting` (re-created by 0018) let any login outside the reporters',
--    lawyers' and admins' groups write any key not of the form `desk:N:` — an editor of ANY desk, since group
--    roles are the whole server's. The keys Factdesk writes (grep `set_setting` in crates/core and src-tauri):
--      `desk:N:reopen-when-changed`  desk N's (sourcing/workflow.rs): its editors and standards editors, as
--                                    before (`factdesk_may_change_desk`, 0024, on `factdesk_acts_on_desk`), and
--                                    only of a desk that exists: a key for a desk id not (yet) there is refused
--                                    (else anyone pre-sets the next desk's workflow before its editors exist);
--      `login:NAME:last_desk`        the folder the window opens at start (src-tauri/session.rs): each login's own,
--                                    written only by the login NAME (crates/core's store keeps `last_desk` under
--                                    the login's name on a team store); one login no longer chooses the desk every
--                                    other login's window opens at; the bare `last_desk` is the owner's, as any
--                                    other key;
--      `reviewer`                    the reviewer's name on a computer without a team store: on a team store the
--                                    login is the name and the setting is never read for it; anyone's, as before
--                                    (the window's first start may still save one);
--      `vault_idle_minutes`          how long an unused unlocked vault stays open: on a team store it is read by
--                                    every login's window, for every desk's vault, so it is the server's, not a
--                                    computer's or a desk's: written by the store's owner (a login in none of
--                                    Factdesk's groups) only; no longer by a reporter or an editor, who could keep
--                                    every colleague's vault open for hours, nor by an admin of one desk, who
--                                    would set it for every other desk's vault too;
--      `unnamed-login`               written on SQLite only (a team store's changes are its logins'): like any
--                                    other key, the owner's alone.
--    Any other key is written only by a login in none of Factdesk's groups (the store's owner, a login from
--    before people), never by a group's login. On a store no desk of which has people yet, any login writes any
--    key but a desk's, as it acts on a desk without people (a login's group is the whole server's: it may have
--    been given one on another store of the same server).
-- 2. A source's restore brought back only the links the restorer sees: removed "with its links" by an editor and
--    restored by a reporter, whose row security holds every UPDATE of `claim_sources` to their own claims, a source
--    came back on the register while other reporters' claims stayed unlinked from it. Factdesk restores the links
--    it sees as before, then asks `factdesk_restore_links_removed_with_source`, which, as the tables' owner,
--    brings back every other link the source's removal took (`removed_with = 'source:N'`) and records each one's
--    `claim.link-restore` entry about its claim, as the login (the audit trigger holds the actor to it and links
--    the entry, 0027), readable by whom may see that claim. It answers nothing, neither which claims nor how many
--    (the removal's refusal already counts the claims citing a source, 0030; the restore tells no more). Only a
--    login that may restore the source may ask: one holding the right to update a source's removal (0024's grant
--    to the reporters', editors' and standards editors' groups, or the owner's) AND allowed by 0024's per-desk
--    rule on `sources` (a reporter, editor or standards editor of its desk; any such login on a desk without
--    people) — not any login that may merely connect. Only a live source's links come back: the login's own
--    restore of the source, held by those policies, comes first, in the same transaction; the source's row is
--    read FOR SHARE, so a removal of it in another transaction waits for this one.
--
-- Functions name this schema's tables (search_path pinned, pg_temp last, as 0016 and later).

-- 1. ---------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION factdesk_may_write_setting(key TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN key = 'reviewer' THEN TRUE
        WHEN key = 'login:' || current_user::pg_catalog.text || ':last_desk' THEN TRUE
        -- Only of a desk that exists: a key pre-set for the next desk's id would be a choice its editors never made.
        WHEN key ~ '^desk:[0-9]{1,18}:' THEN
            EXISTS (SELECT 1 FROM desks d WHERE d.id = pg_catalog.split_part(key, ':', 2)::BIGINT)
            AND factdesk_may_change_desk(pg_catalog.split_part(key, ':', 2)::BIGINT)
        -- A store no desk of which has people yet: anyone, as on a desk without people (`factdesk_acts_on_desk`).
        WHEN NOT EXISTS (SELECT 1 FROM people) THEN TRUE
        ELSE NOT factdesk_in_any_group()
    END
$$;

-- 2. ---------------------------------------------------------------------------------------------------------
-- The links `source`'s removal took that are still removed, brought back now that it is live, each recorded at
-- `at` (the restore's time, as Factdesk records the rest of it) in the name of the login asking. Answers nothing.
CREATE FUNCTION factdesk_restore_links_removed_with_source(source BIGINT, at TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    desk        BIGINT;
    live        BOOLEAN;
    with_source TEXT := 'source:' || source;
    link        RECORD;
BEGIN
    SELECT s.desk_id, s.removed_at IS NULL INTO desk, live FROM sources s WHERE s.id = source FOR SHARE;
    -- Asked of the login (session_user: a definer function's current_user is the owner), as 0024's grant and
    -- `factdesk_acts_on_desk` ask it of the current user for restoring the source itself.
    IF desk IS NULL
       OR NOT pg_catalog.has_column_privilege(session_user, 'sources'::pg_catalog.text, 'removed_at'::pg_catalog.text,
                                              'UPDATE'::pg_catalog.text)
       OR NOT (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
               OR NOT (pg_catalog.pg_has_role(session_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                       OR pg_catalog.pg_has_role(session_user, 'factdesk_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                       OR pg_catalog.pg_has_role(session_user, 'factdesk_standards_editor'::pg_catalog.text,
                                                 'MEMBER'::pg_catalog.text)
                       OR pg_catalog.pg_has_role(session_user, 'factdesk_lawyer'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                       OR pg_catalog.pg_has_role(session_user, 'factdesk_admin'::pg_catalog.text, 'MEMBER'::pg_catalog.text))
               OR EXISTS (SELECT 1 FROM people p
                          WHERE p.desk_id = desk AND p.name = session_user::pg_catalog.text
                            AND p.role IN ('reporter', 'editor', 'standards-editor'))) THEN
        RAISE EXCEPTION 'login % may not restore source %, so it brings back none of its links', session_user, source
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT live THEN
        RETURN;
    END IF;
    FOR link IN
        UPDATE claim_sources l SET removed_at = NULL, removed_by = NULL, removed_with = NULL
            WHERE l.source_id = source AND l.removed_with = with_source
            RETURNING l.claim_id, l.role
    LOOP
        -- As the core writes it (sourcing/source.rs, `audit_links_with_source`): serde_json's text, keys sorted.
        INSERT INTO audit_log (at, actor, action, entity, before, after)
            VALUES (at, session_user::pg_catalog.text, 'claim.link-restore', 'claim:' || link.claim_id, NULL,
                    pg_catalog.format('{"role":%s,"source":%s,"with":%s}', pg_catalog.to_json(link.role)::pg_catalog.text,
                                      source, pg_catalog.to_json(with_source)::pg_catalog.text));
    END LOOP;
END;
$$;
-- Every login may call it (one in no group too: the store's owner, a login from before people); the function asks
-- the table right and the desk's rule of the login.
GRANT EXECUTE ON FUNCTION factdesk_restore_links_removed_with_source(BIGINT, TEXT) TO PUBLIC;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY['factdesk_may_write_setting(TEXT)',
                                         'factdesk_restore_links_removed_with_source(BIGINT, TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
