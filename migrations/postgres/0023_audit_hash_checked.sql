-- The audit trail's last holes (issue 13).
--
-- 1. 0019's trigger checked an appended entry's hash for its shape (64 lowercase hex digits), not its value: any
--    login could append a correctly linked entry (the right number, the newest hash, itself as actor) with a
--    wrong hash, and from then on `audit verify` failed at that entry for everyone, for good. The server now
--    computes the hash as the core does (`crates/core/src/audit.rs::entry_hash`) and refuses a mismatch.
-- 2. 0019's `factdesk_audit_links()` gave every login the number, previous hash and hash of every entry, and a
--    readable entry's `prev_hash` is its hidden predecessor's hash: a hidden entry of little entropy (a status
--    change on a known claim, at a time bracketed by its neighbours) could be guessed offline by hashing
--    candidates. A login no longer reads a hash that depends on an entry it may not read: the hashes are read
--    through `audit_log_hashes`, which gives them only up to the first entry the login may not read, and
--    `factdesk_audit_verdict()` walks the whole chain as the owner and answers a verdict only (how many entries,
--    the first broken one, why). What remains: `factdesk_audit_tail()` still gives every appending login the
--    newest entry's hash (an append links to it), which is, while a hidden entry is the newest, that entry's hash.
--
-- Functions name this schema's tables, never a login's temporary look-alikes (pg_temp last, as 0013 and 0016),
-- and pg_catalog's built-ins by name (as 0022).

-- 1. ---------------------------------------------------------------------------------------------------------
-- The text an entry's hash is taken over: serde_json's compact text of the array
-- `[seq, at, actor, action, entity, before, after, prev_hash]` (before and after are JSON texts stored as TEXT,
-- so strings here, or null; NULL when another field is). Each text as serde_json 1.x writes one
-- (`format_escaped_str`): in double quotes, `"` and `\` escaped with a backslash, backspace, form feed, line
-- feed, carriage return and tab as \b \f \n \r \t, every other character below U+0020 as \u00XX (lowercase
-- hex), and nothing else: not U+007F, not U+2028, not non-ASCII (written as its UTF-8). U+0000 never reaches
-- here: PostgreSQL's text cannot hold it. Characters by code (chr), so the body reads the same whatever
-- `standard_conforming_strings` is. One function for all the fields (each call with a pinned search path costs).
CREATE FUNCTION factdesk_audit_canonical(seq BIGINT, at TEXT, actor TEXT, action TEXT, entity TEXT, before TEXT,
                                         after TEXT, prev_hash TEXT) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    fields TEXT[] := ARRAY[$2, $3, $4, $5, $6, $7, $8];
    canonical TEXT := '[' || $1::pg_catalog.text;
    field TEXT;
    field_number INTEGER;
    code INTEGER;
BEGIN
    IF $1 IS NULL THEN
        RETURN NULL;
    END IF;
    FOR field_number IN 1..7 LOOP
        field := fields[field_number];
        IF field IS NULL THEN
            IF field_number NOT IN (5, 6) THEN  -- before and after only
                RETURN NULL;
            END IF;
            canonical := canonical || ',null';
            CONTINUE;
        END IF;
        field := pg_catalog.replace(pg_catalog.replace(field, pg_catalog.chr(92), pg_catalog.chr(92) || pg_catalog.chr(92)),
                                    pg_catalog.chr(34), pg_catalog.chr(92) || pg_catalog.chr(34));
        IF field ~ ('[' || pg_catalog.chr(1) || '-' || pg_catalog.chr(31) || ']') THEN
            field := pg_catalog.replace(field, pg_catalog.chr(8), pg_catalog.chr(92) || 'b');
            field := pg_catalog.replace(field, pg_catalog.chr(9), pg_catalog.chr(92) || 't');
            field := pg_catalog.replace(field, pg_catalog.chr(10), pg_catalog.chr(92) || 'n');
            field := pg_catalog.replace(field, pg_catalog.chr(12), pg_catalog.chr(92) || 'f');
            field := pg_catalog.replace(field, pg_catalog.chr(13), pg_catalog.chr(92) || 'r');
            FOR code IN 1..31 LOOP
                field := pg_catalog.replace(field, pg_catalog.chr(code),
                                            pg_catalog.chr(92) || 'u00' || pg_catalog.lpad(pg_catalog.to_hex(code), 2, '0'));
            END LOOP;
        END IF;
        canonical := canonical || ',' || pg_catalog.chr(34) || field || pg_catalog.chr(34);
    END LOOP;
    RETURN canonical || ']';
END;
$$;

-- An entry's hash: SHA-256 (lowercase hex) of the canonical text's UTF-8, as `entry_hash`. The test vectors in
-- crates/core/tests/fixtures/audit-hash-vectors.json are checked against both, so the two cannot drift.
CREATE FUNCTION factdesk_audit_hash(seq BIGINT, at TEXT, actor TEXT, action TEXT, entity TEXT, before TEXT,
                                    after TEXT, prev_hash TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(factdesk_audit_canonical($1, $2, $3, $4, $5, $6,
                                                                                              $7, $8), 'UTF8')), 'hex')
$$;

-- 0022's trigger, which now also recomputes the hash. The tables' owner stays exempt from the hash, as from the
-- actor: `migrate-store` (the owner) copies a SQLite trail entry by entry as it is, and a trail altered on disk
-- before the copy must arrive altered, so that `audit verify` on the server names the same broken entry the
-- SQLite file's did, rather than the copy stopping halfway and the evidence staying behind. The copy is then
-- walked like any chain (`migrate-store` checks it with the core's `verify_chain`, and `audit verify` asks
-- `factdesk_audit_verdict()` below, which exempts no one).
CREATE OR REPLACE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    newest_seq  BIGINT;
    newest_hash TEXT;
    by_owner    BOOLEAN;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(5071444006361457780::BIGINT);  -- AUDIT_LOCK, 0x4661_6374_4175_6474
    SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
    by_owner := pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                      WHERE c.oid = 'audit_log'::pg_catalog.regclass),
                                       'MEMBER'::pg_catalog.text);
    IF NEW.seq IS DISTINCT FROM coalesce(newest_seq, 0) + 1 THEN
        RAISE EXCEPTION 'an audit entry must follow the newest one: number % expected, % given',
            coalesce(newest_seq, 0) + 1, NEW.seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM coalesce(newest_hash, pg_catalog.repeat('0'::pg_catalog.text, 64)) THEN
        RAISE EXCEPTION 'an audit entry must link to the newest entry''s hash' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'an audit entry''s hash is 64 lowercase hexadecimal digits' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT by_owner AND NEW.hash IS DISTINCT FROM factdesk_audit_hash(NEW.seq, NEW.at, NEW.actor, NEW.action,
                                                                      NEW.entity, NEW.before, NEW.after, NEW.prev_hash) THEN
        RAISE EXCEPTION 'audit entry %''s hash is not the SHA-256 of its content', NEW.seq
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.actor IS DISTINCT FROM session_user::pg_catalog.text AND NOT by_owner THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;

-- 2. ---------------------------------------------------------------------------------------------------------
-- The groups read every column of the entries they may read but the two hashes; a login the newsroom granted
-- the table directly (a desk without people) keeps what it was granted: it reads the whole trail anyway.
REVOKE SELECT ON audit_log
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT SELECT (seq, at, actor, action, entity, before, after, draft_id, note_id) ON audit_log
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- The number of the first entry the login asking may not read, or the one after its last when it reads them
-- all: the first place where the numbers it reads leave a gap. Invoker's rights, so that row-level security
-- answers for the login (its policy's functions ask `current_user`); a login that may not read the trail is
-- refused by the server, not answered.
CREATE FUNCTION factdesk_audit_first_unread() RETURNS BIGINT
LANGUAGE sql STABLE AS $$
    SELECT coalesce(min(r.position) FILTER (WHERE r.seq <> r.position), count(*) + 1)
    FROM (SELECT a.seq, pg_catalog.row_number() OVER (ORDER BY a.seq) AS position FROM audit_log a) r
$$;

-- The hashes a login may read: those of the entries before the first it may not read. Every later hash depends
-- on that entry (its successor's `prev_hash` is its hash, and each hash covers the one before), so it would let
-- the login test guesses of it. A view runs with its owner's rights on the table (the hashes, every row), and the
-- function above with the login's; a barrier, so no function of the login's query sees a row the view leaves
-- out. The whole trail for a login that reads it all (an editor, the owner).
CREATE VIEW audit_log_hashes WITH (security_barrier) AS
    SELECT a.seq, a.prev_hash, a.hash FROM audit_log a WHERE a.seq < (SELECT factdesk_audit_first_unread());

-- The server's verdict on the whole chain, walked as the owner (every entry, hidden or not) with the hash of 1.:
-- how many entries it checked, and the first that does not hold and why (in the core's words, see
-- `audit::verify`), none when it holds. Nothing else: no hash, no content. For a login that may read the trail;
-- one that may not is refused, not answered "intact: 0 entries".
CREATE FUNCTION factdesk_audit_verdict(OUT entries BIGINT, OUT broken_seq BIGINT, OUT reason TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
    entry RECORD;
    expected_seq BIGINT := 1;
    expected_prev TEXT := pg_catalog.repeat('0'::pg_catalog.text, 64);
BEGIN
    IF NOT pg_catalog.has_any_column_privilege(session_user, 'audit_log'::pg_catalog.text, 'SELECT'::pg_catalog.text) THEN
        RAISE EXCEPTION 'login % may not read the audit trail, so it is given no verdict on it', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    entries := 0;
    FOR entry IN SELECT a.seq, a.at, a.actor, a.action, a.entity, a.before, a.after, a.prev_hash, a.hash
                 FROM audit_log a ORDER BY a.seq LOOP
        entries := entries + 1;
        IF entry.seq IS DISTINCT FROM expected_seq THEN
            broken_seq := entry.seq;
            reason := pg_catalog.format('entry %s is missing before entry %s', expected_seq, entry.seq);
            RETURN;
        END IF;
        IF entry.prev_hash IS DISTINCT FROM expected_prev THEN
            broken_seq := entry.seq;
            reason := 'it does not link to the previous entry''s hash';
            RETURN;
        END IF;
        IF entry.hash IS DISTINCT FROM factdesk_audit_hash(entry.seq, entry.at, entry.actor, entry.action, entry.entity,
                                                           entry.before, entry.after, entry.prev_hash) THEN
            broken_seq := entry.seq;
            reason := 'its content does not match its hash (altered after it was written)';
            RETURN;
        END IF;
        expected_seq := expected_seq + 1;
        expected_prev := entry.hash;
    END LOOP;
END;
$$;

-- Gone: the hashes of every entry, to every login reading the trail. (`audit verify` asks the verdict above.)
DROP FUNCTION factdesk_audit_links();

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_audit_canonical(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)',
        'factdesk_audit_hash(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)',
        'factdesk_audit_fill_subject()', 'factdesk_audit_first_unread()', 'factdesk_audit_verdict()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;

-- The hash functions are of their arguments only, read no table and tell nothing a login could not compute
-- itself: every login may call them (to check an entry it reads, in psql too). The first unread entry answers a
-- login about itself, with its own rights. The verdict answers every login that may read the trail (checked
-- inside), a login in no group too (a desk without people, review finding 9). The view: every login, to read;
-- the function inside it refuses one that may not read the trail.
GRANT EXECUTE ON FUNCTION factdesk_audit_canonical(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT),
    factdesk_audit_hash(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT),
    factdesk_audit_first_unread(), factdesk_audit_verdict() TO PUBLIC;
-- Read only: 0011's default privileges gave the groups INSERT, UPDATE and DELETE on every new table, views too,
-- and a simple view writes through to its table with its owner's rights (past the grants and the policy).
REVOKE ALL ON audit_log_hashes
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT SELECT ON audit_log_hashes TO PUBLIC;
