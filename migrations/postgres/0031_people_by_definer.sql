-- People are added, re-roled and removed by the server's own functions (issue 13, review session 8, finding 10
-- and the second half of finding 2).
--
-- Until now every admin who added people did it with their own login, so every working admin held CREATEROLE.
-- Before PostgreSQL 16 (Debian 12 ships 15) CREATEROLE may grant membership in ANY role but a superuser: an
-- admin of one desk could `GRANT ana TO mallory; SET ROLE ana` (the tables' owner: no row-level security, and the
-- audit trigger took any member of the owner as the owner, so she appended entries in anyone's name with hashes
-- of her choosing), or `GRANT factdesk_standards_editor TO mallory` (a standards editor's reads on every desk).
--
-- Now no person needs CREATEROLE; only the store's owner (who ran `team init`, made the groups and owns these
-- functions) holds it. `factdesk_put_person` and `factdesk_remove_person` run with the owner's rights and decide
-- inside who may, as 0024 and 0028 decided for the `people` rows, asking `session_user` (the login that
-- connected: inside these functions `current_user` is the owner):
--
-- * the owner (or a superuser) may name anyone on any desk;
-- * everyone else must be in the admins' group or hold INSERT on `people` (a login the newsroom granted the
--   tables by hand; the groups themselves write `people` no more, below). Then
--   - an admin of the desk (in `people`) may name, re-role or remove another person of it, never themselves;
--   - on a desk without people, a login in none of Factdesk's groups (granted the tables by hand) may name
--     anyone, and a group's login that is no desk's person of this store yet may name itself as the desk's
--     first admin and no one else (how a desk starts, 0028's rule; one of a desk's people squats no other desk;
--     review session 9, finding 3).
-- * a login's group is the whole server's, so unless the owner asks, a person who has another role on a desk the
--   caller is no admin of is given no other role, and a login in another Factdesk group that is no person of
--   this store (another store's) is moved to no other group (review session 9, finding 2).
-- * each change is on the audit trail (`person.add`, `person.remove`, written here, in the session's login's
--   name, at the server's time; the core writes none of its own for them), and a person's `added_at` is the
--   server's time but for the owner (review session 9, finding 9).
--
-- The groups lose INSERT, UPDATE and DELETE on `people`: those two functions are the only way to change it, so
-- no admin takes themselves off (to squat desks without people) or empties a desk (review session 9, finding 3).
--
-- The person named is a login: created when missing (`CREATE ROLE … LOGIN PASSWORD` with the SCRAM-SHA-256
-- verifier the client computed, so the password itself is in no statement and no log; anything else given as a
-- verifier is refused), put in the group of its role and taken out of Factdesk's other groups, then its row of
-- `people` written. An existing role is named only when it is a plain login Factdesk can make a person of: no
-- superuser, no CREATEROLE, BYPASSRLS or REPLICATION, not the owner nor a member of it, not a group (NOLOGIN, or a
-- role others are members of), not `pg_…` nor `factdesk_…`. A login naming itself (the owner, or the first person
-- of a desk) is exempt: what it holds is its own already.
--
-- A removed person who is no longer on any desk of this store leaves Factdesk's groups (their login stays: it may
-- be someone's elsewhere on the server; groups are the whole server's, README says so).
--
-- For a store made before this: `team init` names every login of the server but superusers and the owner that
-- holds CREATEROLE (`factdesk_logins_with_createrole`: a person's, or one an old CREATEROLE admin made, nobody's
-- person; review session 9, finding 12) and the logins that are members of the owner's role
-- (`factdesk_members_of_owner`), with the statements to take them back; no migration changes another role.
--
-- The audit trail's `by_owner` (0023, 0027), the vault's keeper (0022) and the draft-version hash exemption (0022)
-- now ask "the session's login IS the tables' owner (or a superuser)" (`factdesk_session_is_owner`), not "a member
-- of the owner": a membership someone obtained no longer writes entries in anyone's name, keeps every desk's vault
-- or writes a version whose hash is not its text's (review session 9, finding 15).
--
-- Every function names this schema's tables, never a login's temporary look-alikes, and pg_catalog's built-ins
-- (search_path pinned, pg_temp last, as 0013, 0016, 0022, 0024 and 0028).

-- The role that owns the store's tables (the one `team init` ran as), by name.
CREATE FUNCTION factdesk_store_owner() RETURNS pg_catalog.text
LANGUAGE sql STABLE AS $$
    SELECT r.rolname::pg_catalog.text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles r ON r.oid = c.relowner
    WHERE c.oid = 'people'::pg_catalog.regclass
$$;

-- Whether the session's login acts as the store's owner: it is the owner, or a superuser (who may do anything
-- anyway). Membership in the owner's role is NOT enough.
CREATE FUNCTION factdesk_session_is_owner() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT session_user::pg_catalog.text = factdesk_store_owner()
        OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), FALSE)
$$;

-- Refuses (insufficient_privilege) unless the session's login may write `person`'s row among `desk`'s people, with
-- `wanted_role` (NULL: taking it off).
CREATE FUNCTION factdesk_check_people_manager(desk BIGINT, person pg_catalog.text, wanted_role pg_catalog.text)
RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    caller   pg_catalog.text := session_user::pg_catalog.text;
    in_group BOOLEAN := FALSE;
    grp      pg_catalog.text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM desks d WHERE d.id = desk) THEN
        RAISE EXCEPTION 'there is no desk %', desk USING ERRCODE = 'no_data_found';
    END IF;
    IF factdesk_session_is_owner() THEN
        RETURN;
    END IF;
    -- The admins' group, or a login granted `people` by hand (in no group): the groups write no `people` row
    -- themselves any more (revoked below), so the admins' group is asked by name.
    IF NOT pg_catalog.pg_has_role(session_user, 'factdesk_admin'::pg_catalog.name, 'MEMBER'::pg_catalog.text)
       AND NOT pg_catalog.has_any_column_privilege(session_user, 'people'::pg_catalog.text, 'INSERT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not change who is on a desk: it needs the admin role', caller
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = caller AND p.role = 'admin') THEN
        IF person = caller THEN
            RAISE EXCEPTION 'login % cannot change their own role on desk %: another admin of the desk does',
                caller, desk USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk) THEN
        FOREACH grp IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                   'factdesk_lawyer', 'factdesk_admin']::pg_catalog.text[] LOOP
            in_group := in_group OR pg_catalog.pg_has_role(session_user, grp::pg_catalog.name, 'MEMBER'::pg_catalog.text);
        END LOOP;
        -- A login granted the tables by hand (in no group) names anyone; a group's login that is no desk's
        -- person of this store names only itself, as the desk's first admin (review session 9, finding 3).
        IF NOT in_group OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.name = caller)
                            AND person = caller AND wanted_role = 'admin') THEN
            RETURN;
        END IF;
    END IF;
    RAISE EXCEPTION 'login % may not change who is on desk %: it needs the admin role there', caller, desk
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Refuses (insufficient_privilege) an existing role Factdesk may not make a person of (see the top); nothing for
-- a name that is no role yet, nor for the session's own login.
CREATE FUNCTION factdesk_check_person_login(person pg_catalog.text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r pg_catalog.pg_roles%ROWTYPE;
BEGIN
    IF person IS NULL OR person = '' OR pg_catalog.octet_length(person) > 63 THEN
        RAISE EXCEPTION 'a person''s name is 1 to 63 bytes long' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF pg_catalog.lower(person) LIKE 'pg\_%' OR pg_catalog.lower(person) LIKE 'factdesk\_%' THEN
        RAISE EXCEPTION 'names starting with pg_ or factdesk_ are the server''s and Factdesk''s own: % is not a person',
            person USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF person = session_user::pg_catalog.text THEN
        RETURN;
    END IF;
    SELECT * INTO r FROM pg_catalog.pg_roles x WHERE x.rolname = person;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF r.rolsuper OR r.rolcreaterole OR r.rolbypassrls OR r.rolreplication OR NOT r.rolcanlogin
       OR person = factdesk_store_owner()
       OR pg_catalog.pg_has_role(person::pg_catalog.name, factdesk_store_owner()::pg_catalog.name,
                                 'MEMBER'::pg_catalog.text)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m WHERE m.roleid = r.oid) THEN
        RAISE EXCEPTION 'the server role % is not a login Factdesk makes a person of (a superuser, the store''s owner, a group, or a role that may create roles or bypass row security)',
            person USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- Refuses (insufficient_privilege) a change of `person`'s server-wide group (to `target`, for `wanted_role` on
-- `desk`)
-- that reaches beyond the desks the session's login manages (review session 9, finding 2). Factdesk's groups are
-- the whole server's: moving a login from one to another changes what it may do on every desk it is a person of
-- (and in every other store on the server). So, unless the session is the owner's, the login must have no other
-- role on a desk the caller is not an admin of, and a login already in another Factdesk group must be a person of
-- this store (else it is another store's person, or someone the server's administrator grouped by hand).
CREATE FUNCTION factdesk_check_group_change(desk BIGINT, person pg_catalog.text, wanted_role pg_catalog.text,
                                            target pg_catalog.text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    caller pg_catalog.text := session_user::pg_catalog.text;
    beyond BIGINT;
BEGIN
    IF factdesk_session_is_owner() THEN
        RETURN;
    END IF;
    SELECT p.desk_id INTO beyond FROM people p
    WHERE p.name = person AND p.desk_id <> desk AND p.role <> wanted_role
      AND NOT EXISTS (SELECT 1 FROM people a WHERE a.desk_id = p.desk_id AND a.name = caller AND a.role = 'admin')
    ORDER BY p.desk_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% has another role on desk %, which login % is no admin of: their login''s group is the whole server''s, so only an admin of every desk they are on (or the store''s owner) gives them another role',
            person, beyond, caller USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM people p WHERE p.name = person)
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                   JOIN pg_catalog.pg_roles u ON u.oid = m.member
                   WHERE u.rolname = person AND g.rolname <> target
                     AND g.rolname IN ('factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                       'factdesk_lawyer', 'factdesk_admin')) THEN
        RAISE EXCEPTION 'the login % is in another Factdesk group without being a person of this store (another store''s person?): only the store''s owner changes its group',
            person USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- The server's clock as the core writes times (RFC 3339, whole seconds, UTC).
CREATE FUNCTION factdesk_server_time() RETURNS pg_catalog.text
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- A person's audit entry side as the core writes it (`{"person":…,"role":…}`, serde_json's compact form); NULL
-- without a role.
CREATE FUNCTION factdesk_person_json(person pg_catalog.text, role pg_catalog.text) RETURNS pg_catalog.text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN role IS NULL THEN NULL
                ELSE '{"person":' || pg_catalog.to_json(person)::pg_catalog.text
                     || ',"role":' || pg_catalog.to_json(role)::pg_catalog.text || '}' END
$$;

-- Names `person` on `desk` with `role` (or gives them that role), as the session's login, at `added_at`;
-- creates their login first when there is none, from `scram_verifier` (a SCRAM-SHA-256 verifier, never a
-- password). True when it created the login.
CREATE FUNCTION factdesk_put_person(desk BIGINT, person pg_catalog.text, role pg_catalog.text,
                                    added_at pg_catalog.text, scram_verifier pg_catalog.text) RETURNS BOOLEAN
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

-- Takes `person` off `desk`'s people, as the session's login; when they are then on no desk of this store, their
-- login leaves Factdesk's groups. True when they were one of the desk's people.
CREATE FUNCTION factdesk_remove_person(desk BIGINT, person pg_catalog.text) RETURNS BOOLEAN
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
    END IF;
    RETURN TRUE;
END;
$$;

-- Every login of the server but superusers and the store's owner that holds CREATEROLE (review session 9, finding
-- 12): what `team init` tells the server's administrator to take back. Not only this store's people: before this
-- migration an admin holding CREATEROLE could make another login CREATEROLE (on PostgreSQL 15 a way back to any
-- role), one that is nobody's person. Another store's owner on the same server is listed too: `team init` says
-- so. Nothing secret (every login reads pg_roles): anyone running `team init` may ask.
CREATE FUNCTION factdesk_logins_with_createrole() RETURNS SETOF pg_catalog.text
LANGUAGE sql STABLE AS $$
    SELECT u.rolname::pg_catalog.text FROM pg_catalog.pg_roles u
    WHERE u.rolcreaterole AND u.rolcanlogin AND NOT u.rolsuper AND u.rolname::pg_catalog.text <> factdesk_store_owner()
    ORDER BY 1
$$;

-- The logins that are members of the store's owner's role (superusers aside), directly or through another role:
-- each may `SET ROLE` to the owner (no row-level security, and the tables' triggers theirs to drop). Before this
-- migration any admin holding CREATEROLE could have made themselves one (`GRANT ana TO mallory`); `team init`
-- names them with the REVOKE to run. Nothing secret (pg_auth_members is every login's to read).
CREATE FUNCTION factdesk_members_of_owner() RETURNS SETOF pg_catalog.text
LANGUAGE sql STABLE AS $$
    SELECT u.rolname::pg_catalog.text FROM pg_catalog.pg_roles u
    WHERE NOT u.rolsuper AND u.rolname::pg_catalog.text <> factdesk_store_owner()
      AND pg_catalog.pg_has_role(u.oid, factdesk_store_owner()::pg_catalog.name, 'MEMBER'::pg_catalog.text)
    ORDER BY 1
$$;

-- 0027's audit trigger asks `factdesk_session_is_owner()` from 0032 on (0032 re-creates it with its new lock).

-- 0022's vault keeper and draft-version hash check, with the owner asked as the audit trigger asks it (review
-- session 9, finding 15): a login made a member of the owner's role is no keeper of every desk's vault, nor
-- writes versions whose hash is not their text's.
CREATE OR REPLACE FUNCTION factdesk_vault_keeper(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT factdesk_session_is_owner()
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND pg_catalog.has_table_privilege(session_user, 'vault_keys'::pg_catalog.text, 'DELETE'::pg_catalog.text))
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = session_user::pg_catalog.text AND p.role = ANY (roles))
$$;

CREATE OR REPLACE FUNCTION factdesk_version_hash_held() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.content_hash IS DISTINCT FROM
           pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(NEW.text, 'UTF8')), 'hex')
       AND NOT factdesk_session_is_owner() THEN
        RAISE EXCEPTION 'a draft version''s content hash is the SHA-256 of its text' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- Only the two functions above write `people` (review session 9, finding 3): an admin's direct INSERT, UPDATE or
-- DELETE skipped their checks (a row whose role no group matches, an admin taking themselves off to become "no
-- desk's person", a desk emptied of its people and so open to every login). The last person of a desk is then
-- taken off by the owner only: an admin never takes themselves off.
REVOKE INSERT, UPDATE, DELETE ON people
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_store_owner()', 'factdesk_session_is_owner()',
        'factdesk_check_people_manager(BIGINT, TEXT, TEXT)', 'factdesk_check_person_login(TEXT)',
        'factdesk_check_group_change(BIGINT, TEXT, TEXT, TEXT)', 'factdesk_server_time()',
        'factdesk_person_json(TEXT, TEXT)', 'factdesk_put_person(BIGINT, TEXT, TEXT, TEXT, TEXT)',
        'factdesk_remove_person(BIGINT, TEXT)', 'factdesk_logins_with_createrole()', 'factdesk_members_of_owner()',
        'factdesk_vault_keeper(BIGINT, TEXT[])', 'factdesk_version_hash_held()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- A new function is executable by PUBLIC unless taken back. The two that change people are called by the admins'
-- logins and by a login the newsroom granted the tables by hand (in no group: it starts a desk's people), so
-- every login may call them and they decide inside, from the login's group, grants and `people`. The checks they
-- call run inside them, with the owner's rights; nobody else needs them. Whether the session is the owner's is
-- asked by the draft-version trigger, which runs as the login writing: every login may ask it (nothing secret).
REVOKE ALL ON FUNCTION factdesk_check_people_manager(BIGINT, TEXT, TEXT), factdesk_check_person_login(TEXT),
    factdesk_check_group_change(BIGINT, TEXT, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION factdesk_put_person(BIGINT, TEXT, TEXT, TEXT, TEXT), factdesk_remove_person(BIGINT, TEXT),
    factdesk_session_is_owner(), factdesk_store_owner() TO PUBLIC;
