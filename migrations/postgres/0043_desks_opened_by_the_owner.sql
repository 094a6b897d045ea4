-- Desks are recorded by the store's owner, and a desk without people is nobody's but the owner's (review session
-- 10, finding 5).
--
-- Until now every Factdesk group inserted desks (`Store::open_desk` created a folder's desk on first use, 0021), and
-- a desk WITHOUT people was every login's (0024's `factdesk_acts_on_desk`, 0033's desk arrays, 0031's vault keeper
-- and first admin, 0014's wrappings): any group login of the server (an editor of another desk, another store's
-- person) could record the desk of a path the newsroom would use, then read and write there until its people were
-- added, keep a wrapping of a vault it set up on it, name itself its first admin, pre-set its settings; read every
-- wrapping of a desk `migrate-store` copied with its vault before its people were added, and delete them all; and
-- insert millions of desks, which every read of every login then carried in its desk arrays. So:
--
-- * Only the store's owner (or a superuser), and a login in none of Factdesk's groups the newsroom granted the
--   tables by hand, record a desk: the groups lose INSERT on `desks`, and its policy lets a login insert only where
--   it acts on a desk without people (below). A person's Factdesk opening a folder that is no desk yet is told to
--   ask the owner, whose `people add DIR …` records it (`Store::open_desk`); a desk that exists opens as before.
--   No owner's function records a desk for a group's login: whom may record one holds INSERT on `desks` itself,
--   and a function taking a path would only be a second way in (the simplest honest rule: the owner decides
--   which folders are the store's desks, as it decides who their first people are).
-- * A desk without people is acted on, read and kept (its vault) only by whom `factdesk_acts_without_people`
--   names: the owner (or a superuser), a login in no group, and, while no desk of the store has people at all, a
--   login that may record desks (granted the tables by hand, as before people existed: a fresh store used by one
--   reviewer). Another store's person on the same server is in the groups but holds no grant of its own on this
--   store's `desks`: it acts on none of them. Everyone else reads and writes nothing of a desk until the owner
--   gives it people; the owner (who is not held by row-level security anyway) sets it up, copies it, and names
--   its first admin. The rule replaces "no people: anyone" in `factdesk_acts_on_desk` (and so every write policy
--   and `Store::login_writes_drafts_of`), the three desk arrays of 0033, the per-draft read functions, 0018's
--   `factdesk_may_change_desk` (which also let an editor of ANY desk act as an editor of every desk: it now asks
--   `factdesk_acts_on_desk` like the others), 0031's vault keeper and first admin, 0014's wrappings' policies,
--   0028's `factdesk_may_name_person`, and 0034's setting and link-restoring rules.
-- * A desk's people are changed one call at a time: `factdesk_put_person` and `factdesk_remove_person` lock the
--   desk's row before they read who may change them, so the last two admins taking each other off (or re-roling
--   each other) at once are serialized: the second waits, then finds its caller no admin there and is refused.
--   And only the owner leaves a desk without an admin (its last person, or its last admin, taken off or re-roled).
--
-- Every function names this schema's tables and pg_catalog's built-ins (search_path pinned, pg_temp last).

-- Whether `login` acts on a desk without people (see above). Invoker's rights: it reads `people` (every group reads
-- it) as the login asking, or as the owner inside the owner's functions, which pass `session_user`.
CREATE FUNCTION factdesk_acts_without_people(login pg_catalog.name) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT login::pg_catalog.text = factdesk_store_owner()
        OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = login), FALSE)
        OR NOT (pg_catalog.pg_has_role(login, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(login, 'factdesk_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(login, 'factdesk_standards_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(login, 'factdesk_lawyer'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
                OR pg_catalog.pg_has_role(login, 'factdesk_admin'::pg_catalog.text, 'MEMBER'::pg_catalog.text))
        OR (NOT EXISTS (SELECT 1 FROM people)
            AND pg_catalog.has_any_column_privilege(login, 'desks'::pg_catalog.text, 'INSERT'::pg_catalog.text))
$$;

-- Desks: recorded by whom acts on a desk without people; the groups record none.
REVOKE INSERT ON desks
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
REVOKE INSERT (id, path, created_at, last_opened_at) ON desks
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
DROP POLICY desks_insert ON desks;
CREATE POLICY desks_insert ON desks FOR INSERT WITH CHECK (factdesk_acts_without_people(current_user));

-- 0024's, on this rule.
CREATE OR REPLACE FUNCTION factdesk_acts_on_desk(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = current_user::pg_catalog.text AND p.role = ANY (roles))
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk) AND factdesk_acts_without_people(current_user))
$$;

-- 0018's: an editor or standards editor of the desk, by 0024's rule (a login of the editors' group was one of
-- every desk).
CREATE OR REPLACE FUNCTION factdesk_may_change_desk(desk BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT factdesk_acts_on_desk(desk, ARRAY['editor', 'standards-editor']::pg_catalog.text[])
$$;

-- 0033's arrays: the desks without people only for whom acts on them (no scan of `desks` for anyone else).
CREATE OR REPLACE FUNCTION factdesk_desks_with_claims_seen() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    IF factdesk_acts_without_people(current_user) THEN
        RETURN ARRAY(SELECT p.desk_id FROM people p
                     WHERE p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text
                     UNION ALL
                     SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p
                 WHERE p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text);
END;
$$;

CREATE OR REPLACE FUNCTION factdesk_desks_with_private_notes_read() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    IF factdesk_acts_without_people(current_user) THEN
        RETURN ARRAY(SELECT p.desk_id FROM people p
                     WHERE p.name = current_user::pg_catalog.text
                       AND p.role IN ('editor'::pg_catalog.text, 'standards-editor'::pg_catalog.text,
                                      'lawyer'::pg_catalog.text)
                     UNION ALL
                     SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p
                 WHERE p.name = current_user::pg_catalog.text
                   AND p.role IN ('editor'::pg_catalog.text, 'standards-editor'::pg_catalog.text,
                                  'lawyer'::pg_catalog.text));
END;
$$;

CREATE OR REPLACE FUNCTION factdesk_desks_read() RETURNS BIGINT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF factdesk_in_no_group() THEN
        RETURN ARRAY(SELECT k.id FROM desks k);
    END IF;
    IF factdesk_acts_without_people(current_user) THEN
        RETURN ARRAY(SELECT p.desk_id FROM people p WHERE p.name = current_user::pg_catalog.text
                     UNION ALL
                     SELECT k.id FROM desks k WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = k.id));
    END IF;
    RETURN ARRAY(SELECT p.desk_id FROM people p WHERE p.name = current_user::pg_catalog.text);
END;
$$;

-- 0033's per-draft functions, on this rule.
CREATE OR REPLACE FUNCTION factdesk_may_see_claims_of(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR (factdesk_desk_without_people(draft) AND factdesk_acts_without_people(current_user))
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text AND p.role <> 'reporter'::pg_catalog.text)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text
                     AND factdesk_owner_folder(d.path) = current_user::pg_catalog.text)
$$;

CREATE OR REPLACE FUNCTION factdesk_may_read_private_notes(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR (factdesk_desk_without_people(draft) AND factdesk_acts_without_people(current_user))
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user::pg_catalog.text
                     AND p.role IN ('editor'::pg_catalog.text, 'standards-editor'::pg_catalog.text,
                                    'lawyer'::pg_catalog.text))
$$;

-- 0031's vault keeper: on a desk without people, a login with DELETE on `vault_keys` (an editor's or standards
-- editor's group has it) only if it acts on such a desk.
CREATE OR REPLACE FUNCTION factdesk_vault_keeper(desk BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT factdesk_session_is_owner()
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND pg_catalog.has_table_privilege(session_user, 'vault_keys'::pg_catalog.text, 'DELETE'::pg_catalog.text)
            AND factdesk_acts_without_people(session_user))
        OR EXISTS (SELECT 1 FROM people p
                   WHERE p.desk_id = desk AND p.name = session_user::pg_catalog.text AND p.role = ANY (roles))
$$;

-- 0014's wrappings: on a desk without people every row, for whom acts on it only.
DROP POLICY vault_keys_own_read ON vault_keys;
DROP POLICY vault_keys_own_update ON vault_keys;
DROP POLICY vault_keys_own_delete ON vault_keys;
CREATE POLICY vault_keys_own_read ON vault_keys FOR SELECT
    USING (recipient = current_user OR kind = 'recovery' OR created_by = current_user
           OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id)
               AND factdesk_acts_without_people(current_user)));
CREATE POLICY vault_keys_own_update ON vault_keys FOR UPDATE
    USING (kind = 'passphrase'
           AND (recipient = current_user OR created_by = current_user
                OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id)
                    AND factdesk_acts_without_people(current_user))))
    WITH CHECK (kind = 'passphrase' AND factdesk_vault_keeper(desk_id, ARRAY['standards-editor', 'editor']));
CREATE POLICY vault_keys_own_delete ON vault_keys FOR DELETE
    USING (recipient = current_user OR created_by = current_user
           OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = vault_keys.desk_id)
               AND factdesk_acts_without_people(current_user)));

-- 0028's (the restrictive policy on `people`, for a login granted it by hand): a desk's first person only by whom
-- acts on a desk without people.
CREATE OR REPLACE FUNCTION factdesk_may_name_person(desk BIGINT, person TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR (person IS DISTINCT FROM current_user::pg_catalog.text
            AND EXISTS (SELECT 1 FROM people p
                        WHERE p.desk_id = desk AND p.name = current_user::pg_catalog.text AND p.role = 'admin'))
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND NOT EXISTS (SELECT 1 FROM people p WHERE p.name = current_user::pg_catalog.text)
            AND factdesk_acts_without_people(current_user))
$$;

-- 0034's: a store without people lets whom acts on it write any setting (not every group login of the server).
CREATE OR REPLACE FUNCTION factdesk_may_write_setting(key TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN key = 'reviewer' THEN TRUE
        WHEN key = 'login:' || current_user::pg_catalog.text || ':last_desk' THEN TRUE
        -- Only of a desk that exists: a key pre-set for the next desk's id would be a choice its editors never made.
        WHEN key ~ '^desk:[0-9]{1,18}:' THEN
            EXISTS (SELECT 1 FROM desks d WHERE d.id = pg_catalog.split_part(key, ':', 2)::BIGINT)
            AND factdesk_may_change_desk(pg_catalog.split_part(key, ':', 2)::BIGINT)
        ELSE NOT factdesk_in_any_group()
             OR (NOT EXISTS (SELECT 1 FROM people) AND factdesk_acts_without_people(current_user))
    END
$$;

-- 0034's: a source's links restored, on this rule.
CREATE OR REPLACE FUNCTION factdesk_restore_links_removed_with_source(source BIGINT, at TEXT) RETURNS VOID
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
       OR NOT ((NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
                AND factdesk_acts_without_people(session_user))
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

-- 0031's check, on this rule.
CREATE OR REPLACE FUNCTION factdesk_check_people_manager(desk BIGINT, person pg_catalog.text, wanted_role pg_catalog.text)
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
        -- A login granted the tables by hand (in no group) names anyone; a group's login names only itself, as
        -- the desk's first admin, and only while it acts on a desk without people (0043: no desk of the store has
        -- people yet and it was granted `desks` by hand); another store's admin on the server names no one.
        IF factdesk_acts_without_people(session_user)
           AND (NOT in_group OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.name = caller)
                                 AND person = caller AND wanted_role = 'admin')) THEN
            RETURN;
        END IF;
    END IF;
    RAISE EXCEPTION 'login % may not change who is on desk %: it needs the admin role there', caller, desk
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- 0036's, with the desk's row locked first and no desk left without an admin but by the owner.
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
    -- One change of a desk's people at a time (0043): what the checks read, the caller's own admin row above
    -- all, is then what the change commits against; the last two admins taking each other off at once are
    -- serialized, and the second finds its caller no admin any more.
    PERFORM 1 FROM desks d WHERE d.id = desk FOR UPDATE;
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
    -- Only the owner takes a desk's last admin off, or gives them another role (0043).
    IF previous = 'admin' AND NOT factdesk_session_is_owner()
       AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.role = 'admin') THEN
        RAISE EXCEPTION 'only the store''s owner leaves desk % without an admin', desk
            USING ERRCODE = 'insufficient_privilege';
    END IF;
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

CREATE OR REPLACE FUNCTION factdesk_remove_person(desk BIGINT, person pg_catalog.text) RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    grp      pg_catalog.text;
    previous pg_catalog.text;
BEGIN
    -- One change of a desk's people at a time (0043): what the checks read, the caller's own admin row above
    -- all, is then what the change commits against; the last two admins taking each other off at once are
    -- serialized, and the second finds its caller no admin any more.
    PERFORM 1 FROM desks d WHERE d.id = desk FOR UPDATE;
    PERFORM factdesk_check_people_manager(desk, person, NULL);
    SELECT p.role INTO previous FROM people p WHERE p.desk_id = desk AND p.name = person;
    DELETE FROM people p WHERE p.desk_id = desk AND p.name = person;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    -- Only the owner takes a desk's last admin off, or gives them another role (0043).
    IF previous = 'admin' AND NOT factdesk_session_is_owner()
       AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.role = 'admin') THEN
        RAISE EXCEPTION 'only the store''s owner leaves desk % without an admin', desk
            USING ERRCODE = 'insufficient_privilege';
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

-- Replacing a function drops the settings `ALTER FUNCTION` gave it: pinned again.
DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_acts_without_people(NAME)', 'factdesk_acts_on_desk(BIGINT, TEXT[])', 'factdesk_may_change_desk(BIGINT)',
        'factdesk_desks_with_claims_seen()', 'factdesk_desks_with_private_notes_read()', 'factdesk_desks_read()',
        'factdesk_may_see_claims_of(BIGINT)', 'factdesk_may_read_private_notes(BIGINT)',
        'factdesk_vault_keeper(BIGINT, TEXT[])', 'factdesk_may_name_person(BIGINT, TEXT)',
        'factdesk_may_write_setting(TEXT)', 'factdesk_restore_links_removed_with_source(BIGINT, TEXT)',
        'factdesk_check_people_manager(BIGINT, TEXT, TEXT)', 'factdesk_put_person(BIGINT, TEXT, TEXT, TEXT, TEXT)',
        'factdesk_remove_person(BIGINT, TEXT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- Asked by the policies and functions above for every login, one in no group too: a boolean about the login named.
GRANT EXECUTE ON FUNCTION factdesk_acts_without_people(NAME) TO PUBLIC;
