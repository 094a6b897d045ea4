-- The logins Factdesk made, and by whom (review session 10, finding 4; the GRANT race the rights split found;
-- finding 17's wrapping part).
--
-- 0031 named an existing plain login on a desk without asking who made it or who knows its password: an admin of
-- desk A could `factdesk_put_person(A, 'nina', …, <a verifier of a password they chose>)` then remove her, and a
-- later `people add` of `nina` on desk B (by B's admin, or the owner) took that login, password and all: the
-- admin of A logged in as B's standards editor. So:
--
-- * `factdesk_made_logins` records each login `factdesk_put_person` created: its role's oid (a login dropped and
--   made again by someone else is another role), by which session's login, on which desk, when. Only the owner's
--   functions write it (no group holds a write); every login may read it (who made a login is no secret: `people`
--   says who added whom, and `people add` tells the admin whose login it is taking).
-- * An existing login is named on a desk it is no person of only by the owner (or a superuser), by the login
--   itself, or by the login that made it through Factdesk; anyone else is refused: its password is not theirs to
--   know, and a person of another desk is no exception (that desk's admin who made the login and kept it there
--   knows it: review session 10, P6). A login made outside Factdesk is named on a new desk by the owner alone. A
--   person re-roled on their own desk is as before.
-- * When a person whose login Factdesk made leaves the store's last desk, the login's password is cleared
--   (`ALTER ROLE … PASSWORD NULL`: it no longer logs in by password) and the next `factdesk_put_person` of it must
--   give a new verifier, which it sets: whoever chose the old password knows nothing of the new one.
--
-- Two calls granting the same login the same group at once (two admins adding one person to two desks) raced on
-- pg_auth_members' unique index: the second failed with 23505 after the first committed. A membership someone
-- else just granted is the one wanted: taken as done.
--
-- The desk key's wrapping for a person goes with a role that may not hold one, and with the person leaving the
-- desk, inside the two functions as the core did it beside them (rights.rs, `keeps_vault_wrapping`): a raw
-- `SELECT factdesk_remove_person(…)` in psql leaves no wrapping its person keeps reading with their passphrase.

CREATE TABLE factdesk_made_logins (
    login_oid    pg_catalog.oid PRIMARY KEY,
    login        TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    made_on_desk BIGINT NOT NULL,
    made_at      TEXT NOT NULL,
    -- When the password was cleared (the person left the store's last desk); NULL while the login has its own.
    password_cleared_at TEXT
);
REVOKE ALL ON factdesk_made_logins FROM PUBLIC;
GRANT SELECT ON factdesk_made_logins TO PUBLIC;

-- Whether `factdesk_put_person` must be given a verifier for `person`: no role of that name yet, or a login
-- Factdesk made whose password was cleared when it left the store's last desk.
CREATE FUNCTION factdesk_login_needs_password(person pg_catalog.text) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = person)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles x JOIN factdesk_made_logins m ON m.login_oid = x.oid
                   WHERE x.rolname = person AND m.password_cleared_at IS NOT NULL)
$$;

-- Refuses a `scram_verifier` that is none (missing, or not a SCRAM-SHA-256 verifier).
CREATE FUNCTION factdesk_check_verifier(person pg_catalog.text, scram_verifier pg_catalog.text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF scram_verifier IS NULL THEN
        RAISE EXCEPTION '% has no login (or no password) on the server: a password is needed to give it one', person
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF scram_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        -- A plain password here would sit in the statement (and its log): only a verifier is taken.
        RAISE EXCEPTION 'a new login''s password is given as its SCRAM-SHA-256 verifier, never in clear'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

-- 0035's function, with the login's maker asked and recorded, the GRANT race taken as done and the wrapping of a
-- role that may hold none dropped.
CREATE OR REPLACE FUNCTION factdesk_put_person(desk BIGINT, person pg_catalog.text, role pg_catalog.text,
                                               added_at pg_catalog.text, scram_verifier pg_catalog.text)
RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    target    pg_catalog.text;
    grp       pg_catalog.text;
    created   BOOLEAN := FALSE;
    previous  pg_catalog.text;
    now_text  pg_catalog.text := factdesk_server_time();
    role_oid  pg_catalog.oid;
    maker     pg_catalog.text;
    cleared   pg_catalog.text;
BEGIN
    target := CASE role WHEN 'reporter' THEN 'factdesk_reporter' WHEN 'editor' THEN 'factdesk_editor'
                        WHEN 'standards-editor' THEN 'factdesk_standards_editor' WHEN 'lawyer' THEN 'factdesk_lawyer'
                        WHEN 'admin' THEN 'factdesk_admin' END;
    IF target IS NULL THEN
        RAISE EXCEPTION '% is not a Factdesk role', role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM factdesk_check_people_manager(desk, person, role);
    PERFORM factdesk_check_person_login(person);
    PERFORM factdesk_check_group_change(desk, person, role, target);
    SELECT x.oid INTO role_oid FROM pg_catalog.pg_roles x WHERE x.rolname = person;
    IF role_oid IS NULL THEN
        PERFORM factdesk_check_verifier(person, scram_verifier);
        EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN PASSWORD %L', person, scram_verifier);
        SELECT x.oid INTO role_oid FROM pg_catalog.pg_roles x WHERE x.rolname = person;
        INSERT INTO factdesk_made_logins (login_oid, login, made_by, made_on_desk, made_at)
            VALUES (role_oid, person, session_user::pg_catalog.text, desk, now_text);
        created := TRUE;
    ELSE
        SELECT m.made_by, m.password_cleared_at INTO maker, cleared FROM factdesk_made_logins m
        WHERE m.login_oid = role_oid;
        -- An existing login named on a desk it is no person of: whoever knows its password may be anyone, another
        -- desk's admin who made it and keeps it there too (review session 10, finding 4 and P6). Only the owner,
        -- the login itself or the one who made it through Factdesk names it; a person is re-roled on their own
        -- desk as before.
        IF person <> session_user::pg_catalog.text AND NOT factdesk_session_is_owner()
           AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = person)
           AND maker IS DISTINCT FROM session_user::pg_catalog.text THEN
            RAISE EXCEPTION 'the login % exists already (made %) and is no person of this desk: its password is not yours to know; the store''s owner adds it here',
                person, coalesce('by ' || maker || ' through Factdesk', 'outside Factdesk')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF cleared IS NOT NULL THEN
            -- Cleared when the person left the store's last desk: a new password, which only this caller knows.
            PERFORM factdesk_check_verifier(person, scram_verifier);
            EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD %L', person, scram_verifier);
            UPDATE factdesk_made_logins m SET password_cleared_at = NULL, made_by = session_user::pg_catalog.text,
                                              made_on_desk = desk, made_at = now_text
            WHERE m.login_oid = role_oid;
            created := TRUE;
        END IF;
    END IF;
    FOREACH grp IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                               'factdesk_lawyer', 'factdesk_admin']::pg_catalog.text[] LOOP
        IF grp <> target AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                                     JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                                     JOIN pg_catalog.pg_roles u ON u.oid = m.member
                                     WHERE g.rolname = grp AND u.rolname = person) THEN
            EXECUTE pg_catalog.format('REVOKE %I FROM %I', grp, person);
        END IF;
    END LOOP;
    BEGIN
        EXECUTE pg_catalog.format('GRANT %I TO %I', target, person);
    EXCEPTION WHEN unique_violation THEN
        -- Another call granted this login this group meanwhile (committed while this GRANT waited on it): the
        -- membership wanted is there.
        NULL;
    END;
    PERFORM factdesk_bound_idle_transactions(person);
    SELECT p.role INTO previous FROM people p WHERE p.desk_id = desk AND p.name = person;
    -- The server's time, but for the owner (whose copies keep the history's); the audit entry the core wrote
    -- for `person.add` is written here, so a call by raw SQL is on the record too (review session 9, finding 9).
    INSERT INTO people (desk_id, name, role, added_by, added_at)
        VALUES (desk, person, role, session_user::pg_catalog.text,
                CASE WHEN factdesk_session_is_owner() THEN added_at ELSE now_text END)
        ON CONFLICT (desk_id, name) DO UPDATE SET role = excluded.role;
    -- The desk key is wrapped only for whom may unlock it (the core's `keeps_vault_wrapping`): a standards
    -- editor keeps theirs, an editor who was one, no one else.
    IF NOT (role = 'standards-editor' OR (role = 'editor' AND previous IS NOT DISTINCT FROM 'editor')) THEN
        DELETE FROM vault_keys k
        WHERE k.desk_id = desk AND k.kind = 'passphrase'
          AND (k.recipient = person OR (pg_catalog.left(k.recipient, 1) = pg_catalog.chr(31) AND k.created_by = person));
    END IF;
    INSERT INTO audit_log (at, actor, action, entity, before, after)
        VALUES (now_text, session_user::pg_catalog.text, 'person.add', 'desk:' || desk,
                factdesk_person_json(person, previous), factdesk_person_json(person, role));
    RETURN created;
END;
$$;

-- 0031's function, with the person's wrapping of the desk key dropped and, once they are on no desk of this store,
-- the password of a login Factdesk made cleared.
CREATE OR REPLACE FUNCTION factdesk_remove_person(desk BIGINT, person pg_catalog.text) RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    grp      pg_catalog.text;
    previous pg_catalog.text;
BEGIN
    PERFORM factdesk_check_people_manager(desk, person, NULL);
    SELECT p.role INTO previous FROM people p WHERE p.desk_id = desk AND p.name = person;
    DELETE FROM people p WHERE p.desk_id = desk AND p.name = person;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    DELETE FROM vault_keys k
    WHERE k.desk_id = desk AND k.kind = 'passphrase'
      AND (k.recipient = person OR (pg_catalog.left(k.recipient, 1) = pg_catalog.chr(31) AND k.created_by = person));
    INSERT INTO audit_log (at, actor, action, entity, before, after)
        VALUES (factdesk_server_time(), session_user::pg_catalog.text, 'person.remove', 'desk:' || desk,
                factdesk_person_json(person, previous), NULL);
    IF NOT EXISTS (SELECT 1 FROM people p WHERE p.name = person) THEN
        FOREACH grp IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                   'factdesk_lawyer', 'factdesk_admin']::pg_catalog.text[] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                       JOIN pg_catalog.pg_roles u ON u.oid = m.member WHERE g.rolname = grp AND u.rolname = person)
            THEN
                EXECUTE pg_catalog.format('REVOKE %I FROM %I', grp, person);
            END IF;
        END LOOP;
        -- A login Factdesk made leaves with no password: a later `people add` of it gives a new one, so whoever
        -- chose this one (another desk's admin, say) does not log in as that desk's new person.
        IF EXISTS (SELECT 1 FROM factdesk_made_logins m JOIN pg_catalog.pg_roles x ON x.oid = m.login_oid
                   WHERE x.rolname = person) THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD NULL', person);
            UPDATE factdesk_made_logins m SET password_cleared_at = factdesk_server_time()
            WHERE m.login_oid = (SELECT x.oid FROM pg_catalog.pg_roles x WHERE x.rolname = person);
        END IF;
    END IF;
    RETURN TRUE;
END;
$$;

-- 0035's bound on a login's transactions left idle, five minutes instead of one (review session 10, P4). 0035 took
-- Factdesk's own transactions never to sit idle for more than seconds; they do: a scan's write transaction reads a
-- file in full (a draft first recorded unread) or hashes one (a file moved into the desk) between two statements
-- (crates/core/src/desk.rs, `apply_observed`, `moved_here`), and a large document on a slow network share may take
-- longer than a minute, after which the server ended the whole session, not only the transaction. Five minutes
-- still ends a forgotten psql session; what it never bounded is a statement kept running (README).

CREATE OR REPLACE FUNCTION factdesk_bound_idle_transactions(person pg_catalog.text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    statement pg_catalog.text := pg_catalog.format(
        'ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L',
        person, pg_catalog.current_database(), '5min');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = person AND NOT r.rolsuper) THEN
        RETURN;
    END IF;
    BEGIN
        EXECUTE statement;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'the login % keeps transactions left idle open: the store''s owner may not change its defaults here; a superuser runs: %;',
            person, statement;
    END;
END;
$$;

DO $$
DECLARE
    person TEXT;
BEGIN
    FOR person IN SELECT DISTINCT p.name FROM people p ORDER BY p.name LOOP
        PERFORM factdesk_bound_idle_transactions(person);
    END LOOP;
END;
$$;

-- Replacing a function drops the settings `ALTER FUNCTION` gave it: pinned again, as 0031 pinned them.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY['factdesk_login_needs_password(TEXT)', 'factdesk_check_verifier(TEXT, TEXT)',
                                         'factdesk_bound_idle_transactions(TEXT)',
                                         'factdesk_put_person(BIGINT, TEXT, TEXT, TEXT, TEXT)',
                                         'factdesk_remove_person(BIGINT, TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- The verifier check runs inside `factdesk_put_person`; whether a password is needed is every login's to ask
-- (the CLI asks before prompting; nothing secret).
REVOKE ALL ON FUNCTION factdesk_check_verifier(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION factdesk_login_needs_password(TEXT) TO PUBLIC;
