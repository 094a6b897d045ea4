-- The audit trail held by the server (issue 13): 0007 let every Factdesk group read all of `audit_log`, so a
-- reporter's login read the quotes, evidence and note texts of every draft there (another reporter's drafts, and
-- private notes' texts), though Factdesk shows them only what their role may see. An entry now carries the draft
-- it is about (and the note, for a note's entries), filled by the server when it is appended, and is readable by
-- those who may see that draft's claims (0007's `factdesk_may_see_claims_of`), and, for a private note or a reply
-- in a private thread, by those who read private notes (0017's `factdesk_may_read_private_notes`). Entries about
-- no draft (sources, the desk, its people, the vault) are read as before.
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
CREATE FUNCTION factdesk_audit_fill_subject() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    SELECT s.draft, s.note INTO NEW.draft_id, NEW.note_id FROM factdesk_audit_subject(NEW.entity) s;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_subject BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_fill_subject();

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
CREATE FUNCTION factdesk_audit_links() RETURNS TABLE (seq BIGINT, prev_hash TEXT, hash TEXT)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT a.seq, a.prev_hash, a.hash FROM audit_log a
    WHERE has_table_privilege(session_user, 'audit_log', 'SELECT')
    ORDER BY a.seq
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_audit_subject(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_fill_subject() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_tail() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_links() SET search_path = %I, pg_temp', current_schema());
END;
$$;
REVOKE ALL ON FUNCTION factdesk_audit_subject(TEXT), factdesk_audit_fill_subject() FROM PUBLIC;
-- Every login that appends or verifies: the Factdesk groups, and the logins in none (a desk without people, as
-- before people existed; review finding 9). Each answers a login only what its own right on the table allows.
GRANT EXECUTE ON FUNCTION factdesk_audit_tail(), factdesk_audit_links() TO PUBLIC;

-- The entries written so far.
UPDATE audit_log a SET (draft_id, note_id) = (SELECT s.draft, s.note FROM factdesk_audit_subject(a.entity) s)
WHERE a.entity ~ '^(claim|evidence|note|draft):';

-- Row-level security: the table's owner (who ran `team init`) is not subject to it. An entry about a draft's
-- claim, evidence or note whose row was not found (none should be) is read only by a login outside the
-- reporters' group rather than by everyone. Appending stays every group's (0007's grant), of any entry: the
-- trigger, not the login, says whose it is. Rewriting an entry no group may (0007 took it away); a login the
-- newsroom granted it directly, before people existed, keeps it, for the entries it reads.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_held ON audit_log
    USING (CASE WHEN draft_id IS NOT NULL THEN factdesk_may_see_claims_of(draft_id)
                WHEN entity ~ '^(claim|evidence|note|draft):' THEN NOT pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                ELSE TRUE
           END
           AND (note_id IS NULL OR NOT factdesk_note_thread_private(note_id)
                OR (draft_id IS NOT NULL AND factdesk_may_read_private_notes(draft_id))))
    WITH CHECK (TRUE);
