-- A person's login leaving a transaction open is ended by the server after a minute (issue 13, what was left after
-- review session 9, finding 5).
--
-- Any writer holds the audit trail's lock (0032) until its transaction ends, as it holds the rows and tables it
-- wrote or locked: a login that opened a transaction (psql, a script that stopped half-way) and went idle in it held
-- every other person's writes up, each told "the audit trail is busy" after 5 seconds, for as long as that session
-- lasted. Every person's login now has `idle_in_transaction_session_timeout` set in this store's database
-- (`ALTER ROLE … IN DATABASE … SET`: the login's sessions in other databases of the server are not Factdesk's to
-- bound): the server ends a session left idle inside a transaction that long, rolling it back and releasing its
-- locks.
--
-- One minute: Factdesk's own transactions never sit idle for more than a moment (a change's statements follow each
-- other; the slowest step between two, a scan reading a large file or a passphrase's key derivation, takes seconds),
-- so only a transaction nobody is driving reaches it, while a person typing statements by hand in psql has time
-- between them. Until it is reached other writers are told the trail is busy and try again, nothing lost.
--
-- What it does not bound, said in README (the limits of a shared server): a login may change the setting for its
-- own session (`SET`), or its own default (`ALTER ROLE` of itself), as PostgreSQL lets every login; a statement
-- kept running (not idle) is not "idle in transaction". Those are for the server's administrator to see
-- (`pg_stat_activity`) and end (`pg_terminate_backend`); Factdesk's own waits are bounded on its side
-- (`lock_timeout`, crates/core/src/store/postgres.rs).
--
-- The setting is written by `factdesk_bound_idle_transactions(person)`, called by `factdesk_put_person` (0031,
-- replaced below with that one call added) for every login it creates or gives a role, by `migrate-store` for the
-- copied people's logins it puts in their groups, and below for every login that is a person already. It runs
-- with the owner's rights (the owner holds CREATEROLE, which may set a non-superuser's defaults). A superuser is
-- skipped: no setting binds one, and only a superuser may change a superuser's defaults. On a server where the
-- owner may not change a login's defaults (PostgreSQL 16 and later ask for ADMIN OPTION on that login, which the
-- owner has for the logins it created), the change is skipped with a WARNING naming the login and the statement
-- for the server's administrator: a person is not refused for it.

CREATE OR REPLACE FUNCTION factdesk_bound_idle_transactions(person pg_catalog.text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    statement pg_catalog.text := pg_catalog.format(
        'ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L',
        person, pg_catalog.current_database(), '60s');
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

-- 0031's function, with the login's idle transactions bounded once it has its group.
CREATE OR REPLACE FUNCTION factdesk_put_person(desk BIGINT, person pg_catalog.text, role pg_catalog.text,
                                               added_at pg_catalog.text, scram_verifier pg_catalog.text)
RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    target   pg_catalog.text;
    grp      pg_catalog.text;
    created  BOOLEAN := FALSE;
    previous pg_catalog.text;
    now_text pg_catalog.text := factdesk_server_time();
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
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = person) THEN
        IF scram_verifier IS NULL THEN
            RAISE EXCEPTION '% has no login on the server yet: a password is needed to create it', person
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF scram_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
            -- A plain password here would sit in the statement (and its log): only a verifier is taken.
            RAISE EXCEPTION 'a new login''s password is given as its SCRAM-SHA-256 verifier, never in clear'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN PASSWORD %L', person, scram_verifier);
        created := TRUE;
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
    EXECUTE pg_catalog.format('GRANT %I TO %I', target, person);
    PERFORM factdesk_bound_idle_transactions(person);
    SELECT p.role INTO previous FROM people p WHERE p.desk_id = desk AND p.name = person;
    -- The server's time, but for the owner (whose copies keep the history's); the audit entry the core wrote
    -- for `person.add` is written here, so a call by raw SQL is on the record too (review session 9, finding 9).
    INSERT INTO people (desk_id, name, role, added_by, added_at)
        VALUES (desk, person, role, session_user::pg_catalog.text,
                CASE WHEN factdesk_session_is_owner() THEN added_at ELSE now_text END)
        ON CONFLICT (desk_id, name) DO UPDATE SET role = excluded.role;
    INSERT INTO audit_log (at, actor, action, entity, before, after)
        VALUES (now_text, session_user::pg_catalog.text, 'person.add', 'desk:' || desk,
                factdesk_person_json(person, previous), factdesk_person_json(person, role));
    RETURN created;
END;
$$;

-- Every login that is a person of this store already.
DO $$
DECLARE
    person TEXT;
BEGIN
    FOR person IN SELECT DISTINCT p.name FROM people p ORDER BY p.name LOOP
        PERFORM factdesk_bound_idle_transactions(person);
    END LOOP;
END;
$$;

-- Replacing a function drops the settings `ALTER FUNCTION` gave it: pinned again, as 0031 pinned it.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY['factdesk_bound_idle_transactions(TEXT)',
                                         'factdesk_put_person(BIGINT, TEXT, TEXT, TEXT, TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- Called inside `factdesk_put_person` (the owner's rights) and by the owner's `migrate-store`: no one else's.
REVOKE ALL ON FUNCTION factdesk_bound_idle_transactions(TEXT) FROM PUBLIC;
