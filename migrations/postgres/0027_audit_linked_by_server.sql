-- The audit trail's tail (issue 13): the server links every append itself.
--
-- 0023 kept every hash that depends on an entry a login may not read away from that login, but one: to append,
-- a login read the newest entry's number and hash from `factdesk_audit_tail()` (0019, the owner's rights), and
-- linked its entry to it. While an entry hidden from the login was the newest (another reporter's status change,
-- say), its hash reached the login, which could poll the tail and test guesses of each hidden entry offline.
--
-- Now the login sends the entry's content only. Holding the audit lock, the trigger below reads the newest entry
-- as the owner and sets the new one's number (the next), `prev_hash` (the newest entry's hash) and `hash` (of
-- its content, `factdesk_audit_hash`, 0023) over whatever the login sent: nothing it sends there is trusted, and
-- nothing of the link comes back to it (the groups still read no hash column of the trail: a login asking for
-- its own entry's `prev_hash`, the hidden entry's hash, is refused). So no login needs the tail any more, and
-- none but the tables' owner may call it.
--
-- The tables' owner still writes an entry as it gives it, hash included (`migrate-store` copies a trail entry by
-- entry as it is: see 0023), held to the number and the link as before; an owner's entry sent without a hash
-- (Factdesk's own appends, whoever connects) is linked by the server like anyone's. A SQLite trail's hash is
-- NOT NULL, so a copied entry never reads as one to link.

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
    IF NEW.actor IS DISTINCT FROM session_user::pg_catalog.text AND NOT by_owner THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF newest_seq = 9223372036854775807 THEN  -- a forged entry numbered at the end of the numbers: none follows
        RAISE EXCEPTION 'the audit trail''s newest entry is numbered %: no entry follows it', newest_seq
            USING ERRCODE = 'check_violation';
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
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_audit_fill_subject() SET search_path = %I, pg_temp', current_schema());
END;
$$;

-- No login appending needs the newest hash any more; 0019 granted it to PUBLIC, and through it to every group.
REVOKE ALL ON FUNCTION factdesk_audit_tail()
    FROM PUBLIC, factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
