-- The audit trail's lock and the server's word on time (issue 13; review session 8, findings 4 and 7).
--
-- 1. Every append to the trail was serialized on an advisory lock (0019-0027; `pg_advisory_xact_lock` of a key
--    written in the repository, 5071444006361457780). Advisory-lock functions are every login's, so any login
--    that may connect, in no group too, took `SELECT pg_advisory_lock(5071444006361457780)`, kept its session,
--    and every audited write (every claim, note, source and workflow change) waited for it forever. Appends are
--    now serialized on the row lock of a one-row table, `audit_append_lock`, that no group may read, write or
--    lock: only `factdesk_audit_take_lock()` below, with the owner's rights, locks it (`SELECT … FOR UPDATE`),
--    called by the append trigger and, through `factdesk_audit_lock()`, by Factdesk when it begins a write
--    transaction (`Store::write_transaction`: every writer waits for the one before, as SQLite's write lock makes
--    them). A login may take that lock only if it may append to the trail, which already let it hold the lock
--    (an append left open in its transaction). Waiting for it is bounded: after 5 seconds the writer is told
--    "the audit trail is busy: try again" (SQLSTATE 55P03, which the core reports as `StoreError::AuditBusy`)
--    instead of hanging. What bounds the holder: its own transaction; a login left idle in one is ended by
--    `idle_in_transaction_session_timeout` where the newsroom sets it (per login, `ALTER ROLE … SET`, or for the
--    server), a setting a login may still change for its own session: the holder is then a known login of the
--    desk, shown in `pg_stat_activity`, whom an administrator ends (`pg_terminate_backend`) and removes.
-- 2. The server linked and hashed a group login's entry (0027) but kept the `at` it sent: a login backdated an
--    entry, out of order with its neighbours, and the server hashed it as genuine. An entry of any login but the
--    tables' owner now carries the server's time (`clock_timestamp()`), in the core's form (`clock::to_rfc3339`:
--    UTC, whole seconds, `Z`, e.g. `2026-11-29T05:03:13Z`), so `audit verify` and a SQLite trail stay comparable.
--    The owner's entries keep their `at`: `migrate-store` copies a trail as it was written (see 0023).
--
-- Functions name this schema's tables, never a login's temporary look-alikes (pg_temp last, as 0013 and 0016),
-- and pg_catalog's built-ins by name (as 0022).

-- 1. ---------------------------------------------------------------------------------------------------------
-- One row, always there: its row lock is the audit trail's lock. Not copied by `migrate-store` (no data), not
-- seen by Factdesk's writes (no `note_store_write` trigger: nothing here changes).
CREATE TABLE audit_append_lock (
    held BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (held)
);
INSERT INTO audit_append_lock DEFAULT VALUES;
-- No group, and no login but the owner, reads, writes or locks it (LOCK TABLE needs a right on the table, and
-- `SELECT … FOR UPDATE`/`FOR SHARE` the right to read it).
REVOKE ALL ON audit_append_lock
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- Takes the audit lock for the rest of the transaction, waiting at most 5 seconds for a transaction holding it
-- (`lock_timeout`, set for this function only: the caller's other waits keep theirs). Taking it again in the same
-- transaction returns at once. The owner's rights: no login may lock the row itself. Called by the trigger and by
-- `factdesk_audit_lock()`, never by a login directly.
CREATE FUNCTION factdesk_audit_take_lock() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET lock_timeout = '5s' AS $$
BEGIN
    BEGIN
        PERFORM 1 FROM audit_append_lock l FOR UPDATE;
    EXCEPTION WHEN lock_not_available THEN
        RAISE EXCEPTION 'the audit trail is busy: try again'
            USING ERRCODE = 'lock_not_available',
                  DETAIL = 'another change has held the audit trail''s lock for more than 5 seconds';
    END;
END;
$$;

-- What Factdesk calls as it begins a write transaction. Only for a login that may append to the trail (its own
-- right on the table, through a Factdesk group or granted directly, as 0019's tail asked): a login in no group,
-- that may only connect, is refused rather than given a lock it could hold.
CREATE FUNCTION factdesk_audit_lock() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
BEGIN
    IF NOT pg_catalog.has_table_privilege(session_user, 'audit_log'::pg_catalog.text, 'INSERT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not append to the audit trail, so it may not take its lock', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM factdesk_audit_take_lock();
END;
$$;

-- 0027's trigger, holding the new lock instead of the advisory key, and (2.) setting a non-owner's `at` to the
-- server's time.
CREATE OR REPLACE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    newest_seq  BIGINT;
    newest_hash TEXT;
    by_owner    BOOLEAN;
BEGIN
    PERFORM factdesk_audit_take_lock();
    SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
    by_owner := pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                      WHERE c.oid = 'audit_log'::pg_catalog.regclass),
                                       'MEMBER'::pg_catalog.text);
    IF NEW.actor IS DISTINCT FROM session_user::pg_catalog.text AND NOT by_owner THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF newest_seq = 9223372036854775807 THEN  -- a forged entry numbered at the end of the numbers: none follows
        RAISE EXCEPTION 'the audit trail''s newest entry is numbered %: no entry follows it', newest_seq
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT by_owner THEN
        -- The server's time, as `clock::to_rfc3339` writes one: UTC, whole seconds (the fraction dropped, as
        -- chrono's `SecondsFormat::Secs`), `Z`.
        NEW.at := pg_catalog.to_char(pg_catalog.clock_timestamp() AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'::pg_catalog.text);
    END IF;
    IF NOT by_owner OR NEW.hash IS NULL THEN
        NEW.seq := coalesce(newest_seq, 0) + 1;
        NEW.prev_hash := coalesce(newest_hash, pg_catalog.repeat('0'::pg_catalog.text, 64));
        NEW.hash := factdesk_audit_hash(NEW.seq, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.before, NEW.after,
                                        NEW.prev_hash);
    ELSE
        -- The owner's copy, as 0023 held it: the next number, linked to the newest hash, a hash as the store
        -- writes one (its value as given).
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
    END IF;
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_audit_take_lock()', 'factdesk_audit_lock()', 'factdesk_audit_fill_subject()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

REVOKE ALL ON FUNCTION factdesk_audit_take_lock() FROM PUBLIC;
-- Every login, which the function asks whether it may append (a login in no group too: a desk without people).
GRANT EXECUTE ON FUNCTION factdesk_audit_lock() TO PUBLIC;
