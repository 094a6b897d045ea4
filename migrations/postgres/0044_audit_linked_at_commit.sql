-- The audit trail linked at commit (review session 10, part 2, P1).
--
-- Until now the trail's lock (0032's row of `audit_append_lock`) was taken by `factdesk_audit_lock()`, which every
-- appending login could call, and by the BEFORE INSERT trigger that linked each entry, and it was held to the end
-- of the transaction. So a login running `BEGIN; SELECT factdesk_audit_lock(), pg_sleep(86400);`, or appending one
-- entry and then keeping a statement running (the idle-transaction bound of 0035 ends an idle session, not a
-- running statement), made every audited write of every desk "the audit trail is busy" for as long as it liked.
--
-- 1. An entry is linked when its transaction commits: a deferred constraint trigger (`DEFERRABLE INITIALLY
--    DEFERRED`) takes the lock, reads the newest linked entry and sets the new one's number, previous hash, hash
--    and (for any login but the tables' owner) the server's time, at COMMIT; the lock is then held for the
--    commit's few milliseconds only. The chain is in commit order, as it always was (an entry followed the
--    transaction that held the lock before it); a transaction appending several entries links them in the order
--    it appended them (deferred events fire in that order). What is hashed, and how, is unchanged (0023's
--    `factdesk_audit_hash`, pinned to the core's `entry_hash` by test vectors): entries linked before this
--    migration verify as they did, and a trail of old and new entries is one chain.
--    Until it commits, an entry carries a provisional number below 1 (minus a sequence's next value), a
--    provisional `prev_hash` (`pending:N`, unique as the column demands) and an empty hash; no other session
--    sees it before it is linked (it is not committed), and the walk (0032) reads only numbers from 1.
--    The link is written by an UPDATE with the owner's rights (the trigger below); the groups still hold no
--    UPDATE on the trail. That UPDATE is not a rewrite (0032's count, which makes the next walk start over):
--    only an UPDATE of an entry already linked (number 1 or more) counts.
--    The tables' owner copying a trail (`migrate-store`: an entry with its hash given) is linked as it is
--    inserted, under the lock, held to the number and the link as before (0023, 0027).
-- 2. `factdesk_audit_lock()` is the owner's only (`migrate-store` holds it while it copies a trail). Factdesk's
--    writers serialized on it from the start of each write transaction, so that a change's reads (a row's
--    version compared before it is changed, `conflict.rs`; what a scan finds already recorded) saw the newest
--    committed state. They now serialize per desk: `factdesk_desk_write_lock()` locks the row of each desk the
--    login is a person of (every desk for the owner; the desks without people for a login that is no person of
--    any), rows of a table no login may read or lock itself. A login may still keep its own desk's writers
--    waiting (each told "busy" after 5 seconds) as it may keep a row of its desk locked, but no other desk's.
--
-- What remains (README, limits): a login that forces its deferred constraints to run early (`SET CONSTRAINTS ALL
-- IMMEDIATE` after an append) links its entry then and holds the lock until its transaction ends; PostgreSQL gives
-- a trigger no way to tell that firing from the commit's. Only the server's superuser ends such a session.
--
-- Functions name this schema's tables, never a login's temporary look-alikes (pg_temp last, as 0013 and 0016),
-- and pg_catalog's built-ins by name (as 0022).

-- 1. ---------------------------------------------------------------------------------------------------------
-- Provisional numbers of entries not yet linked (negated). The owner's: only the trigger below draws from it.
CREATE SEQUENCE audit_pending_seq;
REVOKE ALL ON SEQUENCE audit_pending_seq
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- 0032's BEFORE INSERT trigger, without the lock for an entry to be linked at commit: it holds the actor to the
-- login appending (as 0019-0032), gives the entry its provisional number and link, and its draft and note.
CREATE OR REPLACE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    newest_seq  BIGINT;
    newest_hash TEXT;
    by_owner    BOOLEAN;
    pending     BIGINT;
BEGIN
    by_owner := factdesk_session_is_owner();
    IF NEW.actor IS DISTINCT FROM session_user::pg_catalog.text AND NOT by_owner THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF by_owner AND NEW.hash IS NOT NULL THEN
        -- The owner's copy, as 0023 held it: under the lock, the next number, linked to the newest hash, a hash
        -- as the store writes one (its value as given).
        PERFORM factdesk_audit_take_lock();
        SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a WHERE a.seq > 0
            ORDER BY a.seq DESC LIMIT 1;
        IF NEW.seq IS DISTINCT FROM coalesce(newest_seq, 0) + 1 THEN
            RAISE EXCEPTION 'an audit entry must follow the newest one: number % expected, % given',
                coalesce(newest_seq, 0) + 1, NEW.seq USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.prev_hash IS DISTINCT FROM coalesce(newest_hash, pg_catalog.repeat('0'::pg_catalog.text, 64)) THEN
            RAISE EXCEPTION 'an audit entry must link to the newest entry''s hash' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.hash !~ '^[0-9a-f]{64}$' THEN
            RAISE EXCEPTION 'an audit entry''s hash is 64 lowercase hexadecimal digits'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        -- Linked at commit (factdesk_audit_link below); whatever the login sent there is not kept.
        pending := pg_catalog.nextval('audit_pending_seq'::pg_catalog.regclass);
        NEW.seq := -pending;
        NEW.prev_hash := 'pending:' || pending::pg_catalog.text;
        NEW.hash := '';
    END IF;
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;

-- Links an entry at its transaction's commit: holding the audit lock (5 seconds at most, then "the audit trail is
-- busy", the whole transaction rolled back), after the newest linked entry; the server's time for any login but
-- the owner (whose entries keep theirs, as 0032), hashed over what the entry holds at commit. An entry the owner's
-- copy linked as it went in, or one deleted before its commit, has nothing to link.
CREATE FUNCTION factdesk_audit_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    entry       RECORD;
    newest_seq  BIGINT;
    newest_hash TEXT;
    linked_seq  BIGINT;
    linked_at   TEXT;
    linked_prev TEXT;
BEGIN
    IF NEW.seq > 0 THEN
        RETURN NULL;
    END IF;
    SELECT a.at, a.actor, a.action, a.entity, a.before, a.after INTO entry FROM audit_log a WHERE a.seq = NEW.seq;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM factdesk_audit_take_lock();
    SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a WHERE a.seq > 0 ORDER BY a.seq DESC LIMIT 1;
    IF newest_seq = 9223372036854775807 THEN  -- a forged entry numbered at the end of the numbers: none follows
        RAISE EXCEPTION 'the audit trail''s newest entry is numbered %: no entry follows it', newest_seq
            USING ERRCODE = 'check_violation';
    END IF;
    linked_seq := coalesce(newest_seq, 0) + 1;
    linked_prev := coalesce(newest_hash, pg_catalog.repeat('0'::pg_catalog.text, 64));
    linked_at := entry.at;
    IF NOT factdesk_session_is_owner() THEN
        -- The server's time, as `clock::to_rfc3339` writes one (0032): UTC, whole seconds, `Z`.
        linked_at := pg_catalog.to_char(pg_catalog.clock_timestamp() AT TIME ZONE 'UTC',
                                        'YYYY-MM-DD"T"HH24:MI:SS"Z"'::pg_catalog.text);
    END IF;
    UPDATE audit_log a
        SET seq = linked_seq, at = linked_at, prev_hash = linked_prev,
            hash = factdesk_audit_hash(linked_seq, linked_at, entry.actor, entry.action, entry.entity, entry.before,
                                       entry.after, linked_prev)
        WHERE a.seq = NEW.seq;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER audit_log_linked_at_commit AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_link();

-- 0032's count of rewrites, but for the link above: an UPDATE counts when it changed an entry already linked.
-- (A trigger with a transition table serves one event, so deletion and truncation keep one of their own.)
DROP TRIGGER audit_log_rewrite_counted ON audit_log;
CREATE TRIGGER audit_log_rewrite_counted AFTER DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION factdesk_audit_count_rewrite();
CREATE FUNCTION factdesk_audit_count_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rewritten r WHERE r.seq > 0) THEN
        INSERT INTO audit_rewrites DEFAULT VALUES;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_update_counted AFTER UPDATE ON audit_log
    REFERENCING OLD TABLE AS rewritten
    FOR EACH STATEMENT EXECUTE FUNCTION factdesk_audit_count_update();

-- 2. ---------------------------------------------------------------------------------------------------------
-- A row per desk: its lock is the desk's writers' lock. No login but the owner reads, writes or locks it. Not
-- copied by `migrate-store` (no data), not seen by Factdesk's writes (no `note_store_write` trigger).
CREATE TABLE desk_write_locks (
    desk_id BIGINT PRIMARY KEY REFERENCES desks(id) ON DELETE CASCADE
);
INSERT INTO desk_write_locks (desk_id) SELECT d.id FROM desks d;
REVOKE ALL ON desk_write_locks
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- Every desk gets its row as it is made (by any login that may make one).
CREATE FUNCTION factdesk_desk_write_lock_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO desk_write_locks (desk_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER desks_write_lock_added AFTER INSERT ON desks
    FOR EACH ROW EXECUTE FUNCTION factdesk_desk_write_lock_added();

-- What Factdesk calls as it begins a write transaction: the writers' lock of each desk the login is a person of
-- (every desk for the tables' owner; the desks without people, open to every login, for a login that is no person
-- of any), in the desks' order (two logins of several desks never wait for each other in a circle), for the rest
-- of the transaction, waiting at most 5 seconds for a transaction holding one ("this desk is busy"). Only for a
-- login that may append to the trail, as 0032's function asked.
CREATE FUNCTION factdesk_desk_write_lock() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET lock_timeout = '5s' AS $$
DECLARE
    every_desk BOOLEAN;
    own_desks  BIGINT[];
BEGIN
    IF NOT pg_catalog.has_table_privilege(session_user, 'audit_log'::pg_catalog.text, 'INSERT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not append to the audit trail, so it may not take a desk''s write lock',
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    every_desk := factdesk_session_is_owner();
    SELECT pg_catalog.array_agg(p.desk_id) INTO own_desks FROM people p
        WHERE p.name = session_user::pg_catalog.text;
    BEGIN
        PERFORM 1 FROM desk_write_locks l
            WHERE every_desk
               OR l.desk_id = ANY (own_desks)
               OR (own_desks IS NULL AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = l.desk_id))
            ORDER BY l.desk_id
            FOR UPDATE OF l;
    EXCEPTION WHEN lock_not_available THEN
        RAISE EXCEPTION 'this desk is busy: try again'
            USING ERRCODE = 'lock_not_available',
                  DETAIL = 'another change on this desk has held its write lock for more than 5 seconds';
    END;
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_audit_fill_subject()', 'factdesk_audit_link()', 'factdesk_audit_count_update()',
        'factdesk_desk_write_lock_added()', 'factdesk_desk_write_lock()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- Trigger functions are called by their triggers only.
REVOKE ALL ON FUNCTION factdesk_audit_link(), factdesk_audit_count_update(), factdesk_desk_write_lock_added()
    FROM PUBLIC;
-- Every login, which the function asks whether it may append (a login in no group too: a desk without people).
GRANT EXECUTE ON FUNCTION factdesk_desk_write_lock() TO PUBLIC;
-- The trail's own lock: the owner's only (`migrate-store`), no group's.
REVOKE ALL ON FUNCTION factdesk_audit_lock()
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
