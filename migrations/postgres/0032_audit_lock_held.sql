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
--    `factdesk_audit_lock()` stays every appending login's (review session 9, finding 5 asked to take it away):
--    an append left open in a transaction holds the very same lock, since the trail is linked in commit order, so
--    taking the function away would refuse nothing, and Factdesk's writers need it from their first read.
-- 2. The server linked and hashed a group login's entry (0027) but kept the `at` it sent: a login backdated an
--    entry, out of order with its neighbours, and the server hashed it as genuine. An entry of any login but the
--    tables' owner now carries the server's time (`clock_timestamp()`), in the core's form (`clock::to_rfc3339`:
--    UTC, whole seconds, `Z`, e.g. `2026-11-29T05:03:13Z`), so `audit verify` and a SQLite trail stay comparable.
--    The owner's entries keep their `at`: `migrate-store` copies a trail as it was written (see 0023). The owner is
--    the owner's own login (or a superuser), never a member of its role (review session 9, finding 1: as 0031).
-- 3. `factdesk_audit_verdict()` (0023) answered how many entries the whole trail held and the number of a broken
--    entry hidden from the login asking: a reporter learnt how many entries it may not read (activity on other
--    desks) by comparing with the entries it reads. And it re-hashed the whole trail in PL/pgSQL at every call,
--    for any login: a free CPU sink on a shared server. It now answers intact, or broken at entry N where N is an
--    entry the login reads, or broken "at an entry you may not read": no count, no hidden number. The walk, with
--    the owner's rights, remembers the last verified head (number and hash, in `audit_verified_head`, which no
--    login reads), so a second call re-hashes only the entries appended since; a rewrite or deletion of any entry
--    (UPDATE, DELETE, TRUNCATE) makes the next walk start over, as does a head no longer in the trail as verified.
--    No walk waits for another (nor for a login keeping one open in its transaction), and each records the head
--    it verified as a row of its own, so a walk kept open holds no other walk to a full re-hash (review session
--    9, finding 6).
--    The walk is the owner's; which entry a login reads is asked with the login's own rights (a view, as 0023's
--    `audit_log_hashes`, that calls an invoker's function), so row-level security answers for it.
-- 4. 0025's expression index `drafts_by_owner_folder` stores `factdesk_owner_folder(path)`: a later migration
--    replacing that function must rebuild the index in the same file (see the comment on the function below, and
--    crates/core/tests/postgres_store.rs, which checks every migration for it).
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
    -- Acting as the owner is being its own login (or a superuser, who may do anything anyway): membership in the
    -- owner's role is not enough (review session 8, finding 10; 0031).
    by_owner := factdesk_session_is_owner();
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

-- 3. ---------------------------------------------------------------------------------------------------------
-- Heads of the trail verified by walks: each walk that got further than the head it started from records the
-- head it verified (its newest entry that holds, number and hash) and the count of rewrites of the trail it was
-- walked after (see `audit_rewrites`), as a row of its own. An insert waits for no other transaction (no key to
-- conflict on), so a walk kept open in a login's transaction holds nothing another walk needs: its row is unseen
-- until it commits, and the others record theirs (review session 9, finding 6: one row, locked to be updated,
-- left every other walk re-hashing the whole trail while a login kept it). The newest committed head is the one
-- trusted; those it supersedes are dropped as walks go. No login's.
CREATE TABLE audit_verified_head (
    seq      BIGINT NOT NULL,
    hash     TEXT NOT NULL,
    rewrites BIGINT NOT NULL
);
CREATE INDEX audit_verified_head_newest ON audit_verified_head (rewrites, seq);
-- A row for every statement that rewrote or deleted entries (the trigger below), counted once it commits: a head
-- verified before a rewrite committed is not trusted after it. An insert, which waits for no walk. (A sequence,
-- bumped when the rewrite ran rather than when it committed, let a walk run while a rewrite was still open read
-- the new count with the old entries, and its head was trusted after the rewrite committed: the altered entry was
-- never hashed again. Found in review session 9's round.)
CREATE TABLE audit_rewrites (
    at TIMESTAMPTZ NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
-- What each server process's last walk found, the first entry that does not hold and why, for the view below
-- to tell its login only what it may be told. A row per process, so no walk waits for another's.
CREATE TABLE audit_verdicts (
    backend    INTEGER PRIMARY KEY,
    broken_seq BIGINT,
    reason     TEXT
);
REVOKE ALL ON audit_verified_head, audit_verdicts, audit_rewrites
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- Walks the trail from the newest verified head, as the owner (every entry, hidden or not), with 0023's checks in
-- the core's words (`audit::verify`), and records what it found for this server process. Answers nothing itself:
-- a login is told what `audit_verdict` below lets it see. Only for a login that may read the trail (refused, not
-- answered, otherwise). It waits for nothing: it reads the heads committed, records its own as a new row and
-- drops only superseded heads no other transaction holds.
CREATE FUNCTION factdesk_audit_walk() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
    entry RECORD;
    started_seq BIGINT := 0;
    verified_seq BIGINT;
    verified_hash TEXT;
    rewrites_now BIGINT;
    expected_seq BIGINT;
    expected_prev TEXT;
    found_seq BIGINT;
    found_reason TEXT;
BEGIN
    IF NOT pg_catalog.has_any_column_privilege(session_user, 'audit_log'::pg_catalog.text, 'SELECT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not read the audit trail, so it is given no verdict on it', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- How many rewrites have committed so far.
    SELECT pg_catalog.count(*) INTO rewrites_now FROM audit_rewrites r;
    -- The newest head verified since the trail was last rewritten (a head verified before it is not trusted).
    SELECT h.seq, h.hash INTO verified_seq, verified_hash
        FROM audit_verified_head h WHERE h.rewrites = rewrites_now ORDER BY h.seq DESC LIMIT 1;
    -- None, a head no longer in the trail as verified, or an entry numbered before the first (written with the
    -- triggers off): walk it all again.
    IF NOT FOUND
       OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = verified_seq AND a.hash = verified_hash)
       OR EXISTS (SELECT 1 FROM audit_log a WHERE a.seq < 1) THEN
        verified_seq := 0;
        verified_hash := pg_catalog.repeat('0'::pg_catalog.text, 64);
    END IF;
    started_seq := verified_seq;
    expected_seq := verified_seq + 1;
    expected_prev := verified_hash;
    FOR entry IN SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before, a.after, a.prev_hash, a.hash
                 FROM audit_log a WHERE a.seq > verified_seq ORDER BY a.seq LOOP
        IF entry.seq IS DISTINCT FROM expected_seq THEN
            found_seq := entry.seq;
            found_reason := pg_catalog.format('entry %s is missing before entry %s', expected_seq, entry.seq);
        ELSIF entry.prev_hash IS DISTINCT FROM expected_prev THEN
            found_seq := entry.seq;
            found_reason := 'it does not link to the previous entry''s hash';
        ELSIF entry.hash IS DISTINCT FROM factdesk_audit_hash(entry.seq, entry.at, entry.actor, entry.action,
                                                              entry.entity, entry.before, entry.after,
                                                              entry.prev_hash) THEN
            found_seq := entry.seq;
            found_reason := 'its content does not match its hash (altered after it was written)';
        END IF;
        EXIT WHEN found_seq IS NOT NULL;
        expected_seq := expected_seq + 1;
        expected_prev := entry.hash;
    END LOOP;
    IF expected_seq - 1 > started_seq THEN
        INSERT INTO audit_verified_head (seq, hash, rewrites) VALUES (expected_seq - 1, expected_prev, rewrites_now);
        -- The heads this one supersedes, but for rows another walk is dropping in a transaction still open.
        DELETE FROM audit_verified_head h
            WHERE h.ctid IN (SELECT d.ctid FROM audit_verified_head d
                             WHERE d.rewrites < rewrites_now OR (d.rewrites = rewrites_now AND d.seq < expected_seq - 1)
                             FOR UPDATE SKIP LOCKED);
    END IF;
    -- This process's verdict; those of processes gone are dropped as it goes (their numbers are reused), but for
    -- rows another walk is dropping in a transaction still open: no walk waits for another.
    DELETE FROM audit_verdicts v
        WHERE v.backend IN (SELECT d.backend FROM audit_verdicts d
                            WHERE d.backend <> pg_catalog.pg_backend_pid()
                              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity s WHERE s.pid = d.backend)
                            FOR UPDATE SKIP LOCKED);
    INSERT INTO audit_verdicts (backend, broken_seq, reason)
        VALUES (pg_catalog.pg_backend_pid(), found_seq, found_reason)
        ON CONFLICT (backend) DO UPDATE SET broken_seq = EXCLUDED.broken_seq, reason = EXCLUDED.reason;
END;
$$;

-- A rewrite or deletion of entries (by a login the newsroom granted the trail directly, or the owner) counts, so
-- the next walk checks every entry again: an entry altered after it was verified is still found.
CREATE FUNCTION factdesk_audit_count_rewrite() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO audit_rewrites DEFAULT VALUES;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_rewrite_counted AFTER UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION factdesk_audit_count_rewrite();

-- Whether the login asking reads entry `entry_seq`. Invoker's rights, so that row-level security answers for the
-- login (its policy's functions ask `current_user`); PL/pgSQL, never inlined into the view below (where the
-- table would be read with the view owner's rights).
CREATE FUNCTION factdesk_audit_reads(entry_seq BIGINT) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = entry_seq);
END;
$$;

-- This process's last verdict as the login asking may be told it: intact, or broken at an entry it reads (its
-- number and why), or broken at an entry it may not read (neither). A view reads the verdicts with its owner's
-- rights and calls the function above with the login's; a barrier, so no function of the login's query sees the
-- row first. Nothing for a login that may not read the trail.
CREATE VIEW audit_verdict WITH (security_barrier) AS
    SELECT v.broken_seq IS NULL AS intact,
           CASE WHEN v.broken_seq IS NOT NULL AND factdesk_audit_reads(v.broken_seq) THEN v.broken_seq END
               AS broken_seq,
           CASE WHEN v.broken_seq IS NULL THEN NULL
                WHEN factdesk_audit_reads(v.broken_seq) THEN v.reason
                ELSE 'at an entry you may not read'
           END AS reason
    FROM audit_verdicts v
    WHERE v.backend = pg_catalog.pg_backend_pid()
      AND pg_catalog.has_any_column_privilege(session_user, 'audit_log'::pg_catalog.text, 'SELECT'::pg_catalog.text);

-- 0023's verdict, answering as above: the walk, then what the login may be told of it. Invoker's rights (the
-- walk and the view carry the owner's).
DROP FUNCTION factdesk_audit_verdict();
CREATE FUNCTION factdesk_audit_verdict(OUT intact BOOLEAN, OUT broken_seq BIGINT, OUT reason TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM factdesk_audit_walk();
    SELECT v.intact, v.broken_seq, v.reason INTO intact, broken_seq, reason FROM audit_verdict v;
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_audit_walk()', 'factdesk_audit_count_rewrite()', 'factdesk_audit_reads(BIGINT)',
        'factdesk_audit_verdict()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

REVOKE ALL ON FUNCTION factdesk_audit_count_rewrite() FROM PUBLIC;
-- The walk asks whether the login may read the trail and answers nothing; whether a login reads an entry is its
-- own to know; the verdict is every login's that may read the trail (a login in no group too: a desk without
-- people), as 0023's.
GRANT EXECUTE ON FUNCTION factdesk_audit_walk(), factdesk_audit_reads(BIGINT), factdesk_audit_verdict() TO PUBLIC;
-- Read only (a simple view writes through to its table with its owner's rights).
REVOKE ALL ON audit_verdict
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT SELECT ON audit_verdict TO PUBLIC;

-- 4. ---------------------------------------------------------------------------------------------------------
COMMENT ON FUNCTION factdesk_owner_folder(TEXT) IS
    'Stored by the expression index drafts_by_owner_folder (0025): a migration that replaces this function must '
    'run REINDEX INDEX drafts_by_owner_folder in the same file, or the index keeps the old values and the read '
    'policies'' owner-folder branch answers from them (crates/core/tests/postgres_store.rs checks every migration).';
