-- The audit trail held by the server (issue 13): 0007 let every Factdesk group read all of `audit_log`, so a
-- reporter's login read the quotes, evidence and note texts of every draft there (another reporter's drafts, and
-- private notes' texts), though Factdesk shows them only what their role may see. An entry now carries the draft
-- it is about (and the note, for a note's entries), filled by the server when it is appended, and is readable by
-- those who may see that draft's claims (0007's `factdesk_may_see_claims_of`), and, for a private note or a reply
-- in a private thread, by those who read private notes (0017's `factdesk_may_read_private_notes`). Entries about
-- no draft (sources, the desk, its people) are read as before; the vault's (who holds the desk's key) by those
-- who may list its holders (0020). A security review of this migration (issue 13) added: a draft or note that is
-- not there hides its entries from reporters; appends are held to the chain and the login's own name; an
-- entry's draft and note are kept when it is rewritten; the links are refused to a login that may not read them.
--
-- The chain still holds for every login: appending needs the newest entry's hash even when that entry is hidden
-- from the login appending, and `audit verify` walks the links of the entries a login cannot read. Two functions
-- with the owner's rights give those and nothing else: a sequence number and hashes, never an entry's content.
-- Functions name this schema's tables, never a login's temporary look-alikes (pg_temp last, as 0013 and 0016).

-- The draft and note an entry is about, read from the rows the entry names (`claim:12`, `evidence:3`, `note:7`,
-- `draft:2`). Invoker's rights, executed only by the trigger below and this migration (both as the tables'
-- owner, whom row-level security does not hold), so a login cannot use it to learn which draft a claim it may
-- not see belongs to.
CREATE FUNCTION factdesk_audit_subject(entity TEXT, OUT draft BIGINT, OUT note BIGINT)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    subject BIGINT;
BEGIN
    IF entity !~ '^(claim|evidence|note|draft):[0-9]{1,18}$' THEN
        RETURN;
    END IF;
    subject := split_part(entity, ':', 2)::BIGINT;
    CASE split_part(entity, ':', 1)
        WHEN 'draft' THEN
            draft := subject;
        WHEN 'claim' THEN
            draft := (SELECT c.draft_id FROM claims c WHERE c.id = subject);
        WHEN 'evidence' THEN
            draft := (SELECT c.draft_id FROM evidence e JOIN claims c ON c.id = e.claim_id WHERE e.id = subject);
        ELSE
            note := subject;
            draft := (SELECT coalesce(n.draft_id, c.draft_id) FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
                      WHERE n.id = subject);
    END CASE;
END;
$$;

ALTER TABLE audit_log ADD COLUMN draft_id BIGINT, ADD COLUMN note_id BIGINT;
CREATE INDEX audit_log_by_draft ON audit_log(draft_id);

-- Filled by the server on every append (whatever the login wrote there): the client cannot hide an entry from
-- the policy by naming no draft. With the owner's rights, because the login appending may not see the row named
-- (the policy on `claims` hides it), yet the entry must still say whose it is. A trigger function cannot be
-- called on its own; PostgreSQL checks EXECUTE only when the trigger is made, so PUBLIC's is taken away.
--
-- It also holds every login to an append the chain can take (security review, issue 13): appending is every
-- group's, so without this a reporter's login could write a well-formed entry saying the editor did something
-- (`audit verify` checks links, not who wrote them), or an entry numbered -1, or one linking to the hash the
-- next real entry will link to (every later append then fails on UNIQUE(prev_hash)), or one numbered at the
-- largest BIGINT (the next number overflows). So, holding the lock the store's own append holds
-- (`AUDIT_LOCK` in crates/core/src/store/postgres.rs, "FactAudt"), the new entry must follow the real newest
-- one (read as the owner, every row), link to its hash (GENESIS_HASH on an empty trail), carry a hash as the
-- store writes it (64 lowercase hex digits), and name the login appending as its actor. The tables' owner is
-- exempt from that last rule only: `migrate-store` copies a trail written by other people, in order.
CREATE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    newest_seq  BIGINT;
    newest_hash TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(5071444006361457780);  -- AUDIT_LOCK, 0x4661_6374_4175_6474
    SELECT a.seq, a.hash INTO newest_seq, newest_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
    IF NEW.seq IS DISTINCT FROM coalesce(newest_seq, 0) + 1 THEN
        RAISE EXCEPTION 'an audit entry must follow the newest one: number % expected, % given',
            coalesce(newest_seq, 0) + 1, NEW.seq USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM coalesce(newest_hash, repeat('0', 64)) THEN
        RAISE EXCEPTION 'an audit entry must link to the newest entry''s hash' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'an audit entry''s hash is 64 lowercase hexadecimal digits' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.actor IS DISTINCT FROM session_user::text
       AND NOT pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                          WHERE c.oid = 'audit_log'::regclass), 'MEMBER') THEN
        RAISE EXCEPTION 'an audit entry names the login appending it (%) as its actor', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_subject BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_fill_subject();

-- The draft and note an entry is about are the server's reading, also for a login the newsroom granted UPDATE on
-- the trail directly (before people existed; no Factdesk group has it): such a login rewriting an entry cannot
-- move it out of the policy's reach by naming another draft or none. Re-read from the entity when it changes,
-- kept as they were otherwise (the row it names may be gone by then).
CREATE FUNCTION factdesk_audit_keep_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF NEW.entity IS DISTINCT FROM OLD.entity THEN
        SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    ELSE
        NEW.draft_id := OLD.draft_id;
        NEW.note_id := OLD.note_id;
    END IF;
    RETURN NEW;
END;
$$;

-- The newest entry's number and hash, whoever may read it: what an append links to. Only for a login that may
-- append to the trail (its own right on the table, through a Factdesk group or granted directly).
CREATE FUNCTION factdesk_audit_tail() RETURNS TABLE (seq BIGINT, hash TEXT)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT a.seq, a.hash FROM audit_log a
    WHERE has_table_privilege(session_user, 'audit_log', 'INSERT')
    ORDER BY a.seq DESC LIMIT 1
$$;

-- The links of the trail's entries (number, previous hash, own hash), so that a login that reads only some entries
-- still checks the chain end to end in `audit verify`: the store puts the entries it reads in their places and
-- checks the links of the rest. Every entry's links, not only the hidden ones': a function with the owner's rights
-- runs as the owner, who reads every row, so it cannot ask the policy below on the login's behalf (the policy's
-- functions ask `current_user`), and the links of an entry the login reads tell it nothing it does not read
-- already. Only for a login that may read the trail.
-- A login without that right is refused, not answered with no links: an empty answer read as "intact: 0
-- entries" for a login that reads the trail through SET ROLE (or a NOINHERIT membership), which the server
-- checks here as the login that connected.
CREATE FUNCTION factdesk_audit_links() RETURNS TABLE (seq BIGINT, prev_hash TEXT, hash TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
BEGIN
    IF NOT has_table_privilege(session_user, 'audit_log', 'SELECT') THEN
        RAISE EXCEPTION 'login % may not read the audit trail, so it is not given its links', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT a.seq, a.prev_hash, a.hash FROM audit_log a ORDER BY a.seq;
END;
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_audit_subject(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_fill_subject() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_keep_subject() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_tail() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_links() SET search_path = %I, pg_temp', current_schema());
END;
$$;
REVOKE ALL ON FUNCTION factdesk_audit_subject(TEXT), factdesk_audit_fill_subject(), factdesk_audit_keep_subject()
    FROM PUBLIC;
-- Every login that appends or verifies: the Factdesk groups, and the logins in none (a desk without people, as
-- before people existed; review finding 9). Each answers a login only what its own right on the table allows.
GRANT EXECUTE ON FUNCTION factdesk_audit_tail(), factdesk_audit_links() TO PUBLIC;

-- The entries written so far.
UPDATE audit_log a SET (draft_id, note_id) = (SELECT s.draft, s.note FROM factdesk_audit_subject(a.entity) s)
WHERE a.entity ~ '^(claim|evidence|note|draft):';
CREATE TRIGGER audit_log_subject_kept BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_keep_subject();

-- Whether a note is there and is public: neither private nor a reply in a private thread. With the owner's
-- rights, as 0017's `factdesk_note_thread_private` (a policy cannot read `notes` as the login asking), whose
-- "not private" a note that is gone also got: deleting a private note (or its draft, whose notes go with it)
-- inside a transaction then read its entries' texts before rolling back (security review, issue 13). A note
-- that is not there is not public. Answers only this boolean.
CREATE FUNCTION factdesk_note_public(note BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (SELECT 1 FROM notes n LEFT JOIN notes t ON t.id = n.reply_to
                   WHERE n.id = note AND NOT n.private AND NOT coalesce(t.private, FALSE))
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_note_public(BIGINT) SET search_path = %I, pg_temp', current_schema());
END;
$$;
-- Every login reading the trail asks it through the policy below, a login in no group too (a desk without
-- people, review finding 9), as it asks 0017's `factdesk_note_thread_private`.
GRANT EXECUTE ON FUNCTION factdesk_note_public(BIGINT) TO PUBLIC;

-- Row-level security: the table's owner (who ran `team init`) is not subject to it. An entry about a draft's
-- claim, evidence or note whose row was not found, or about a draft that is not there (any more), is read only
-- by a login outside the reporters' group rather than by everyone: 0007's functions say yes for a draft they
-- find no row of ("a desk without people"), and the rows were deletable inside a transaction (0021 takes that
-- away too). A private note's entries (or a reply's in a private thread, or a note's that is gone) are read by
-- those who read the draft's private notes, the draft being there. The vault's entries (`vault.grant`,
-- `vault.revoke`, `vault.unlock`, …, about `desk:N`) name who holds the desk's key: as 0020's list of holders,
-- they are read by its holders, its editors and standards editors, and the desk's admins. Appending stays every
-- group's (0007's grant), of any entry the trigger above lets through: it, not the login, says whose it is.
-- Rewriting an entry no group may (0007 took it away); a login the newsroom granted it directly, before people
-- existed, keeps it, for the entries it reads, without moving them (the UPDATE trigger above).
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_held ON audit_log
    USING (CASE WHEN draft_id IS NOT NULL AND EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft_id)
                    THEN factdesk_may_see_claims_of(draft_id)
                WHEN entity ~ '^(claim|evidence|note|draft):'
                    THEN NOT pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                WHEN action LIKE 'vault.%' AND entity ~ '^desk:[0-9]{1,18}$'
                    THEN factdesk_vault_holder(split_part(entity, ':', 2)::BIGINT)
                         OR factdesk_vault_keeper(split_part(entity, ':', 2)::BIGINT,
                                                  ARRAY['standards-editor', 'editor', 'admin'])
                ELSE TRUE
           END
           AND (note_id IS NULL OR factdesk_note_public(note_id)
                OR (EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft_id)
                    AND factdesk_may_read_private_notes(draft_id))))
    WITH CHECK (TRUE);
