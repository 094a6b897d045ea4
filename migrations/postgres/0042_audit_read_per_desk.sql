-- The audit trail's entries about a desk's sources, its settings and its people read on that desk only (review
-- session 10, finding 7). 0019's policy read every entry about no draft (`source:N`, `desk:N`) for every login of
-- every desk: the register's descriptors, kinds and notes (`source.add`, `source.update`, removals and
-- restores), which source's identity a desk's standards editor looked at and when (`source.reveal`), which
-- confidential fields changed (`source.confidential`), who was added to or removed from a desk (`person.add`,
-- `person.remove`) and its settings (`desk.setting`): 0033 had made the register itself per desk.
--
-- An entry now carries the desk it is about, as it carries its draft (0019): filled by the server on every
-- append, whatever the login wrote there, and kept when an entry is rewritten. The desk is no part of an
-- entry's hash (0023's `factdesk_audit_hash`: number, time, actor, action, entity, before, after, previous
-- hash), so the entries written so far get theirs below without breaking the chain; that statement counts as a
-- rewrite of the trail (0032), so the next `audit verify` walks it all again.
--
-- Read: an entry about a source or a desk by the logins whose desks (0033's `factdesk_desks_read`, asked once
-- per query) include its desk; `source.reveal` and `source.confidential` entries only by those who act on the
-- desk as an editor or standards editor (as the identities themselves, 0024's `factdesk_may_record_identity`).
-- An entry whose desk is not known (a source that is not there) is read only by a login in no group. The owner
-- (no row-level security) and a login in no group read everything, as before. The vault's entries keep 0019's
-- rule (holders, keepers). `audit verify` walks the entries a login may not read by their links, as before.

ALTER TABLE audit_log ADD COLUMN desk_id BIGINT;

-- The desk an entry names (`desk:4`) or whose source it names (`source:9`). Invoker's rights, executed only by
-- the trigger below and this migration (both as the tables' owner, whom row-level security does not hold), so a
-- login cannot use it to learn the desk of a source it may not read.
CREATE FUNCTION factdesk_audit_desk(entity TEXT) RETURNS BIGINT
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF entity ~ '^desk:[0-9]{1,18}$' THEN
        RETURN pg_catalog.split_part(entity, ':', 2)::BIGINT;
    ELSIF entity ~ '^source:[0-9]{1,18}$' THEN
        RETURN (SELECT s.desk_id FROM sources s WHERE s.id = pg_catalog.split_part(entity, ':', 2)::BIGINT);
    END IF;
    RETURN NULL;
END;
$$;

-- Filled by the server on every append, whatever the login wrote; on a rewrite (a login the newsroom granted
-- UPDATE directly; no group has it) re-read from the entity when it changes, kept as it was otherwise, so that
-- no rewrite moves an entry out of its desk's reach. With the owner's rights: the login appending may not read
-- the source named. A trigger function of its own beside 0032's `factdesk_audit_fill_subject` (which links and
-- hashes the entry): the desk is no part of what it checks.
CREATE FUNCTION factdesk_audit_fill_desk() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entity IS NOT DISTINCT FROM OLD.entity THEN
        NEW.desk_id := OLD.desk_id;
    ELSE
        NEW.desk_id := factdesk_audit_desk(NEW.entity);
    END IF;
    RETURN NEW;
END;
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_audit_desk(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_fill_desk() SET search_path = %I, pg_temp', current_schema());
END;
$$;
REVOKE ALL ON FUNCTION factdesk_audit_desk(TEXT), factdesk_audit_fill_desk() FROM PUBLIC;

-- The entries written so far (before the trigger that keeps an entry's desk on a rewrite exists).
UPDATE audit_log a SET desk_id = factdesk_audit_desk(a.entity) WHERE a.entity ~ '^(source|desk):';

CREATE TRIGGER audit_log_desk BEFORE INSERT OR UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_fill_desk();

-- The groups read it as they read the draft an entry is about (0023).
GRANT SELECT (desk_id) ON audit_log
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- 0019's policy, its `ELSE TRUE` for entries about sources and desks replaced by the rule above.
ALTER POLICY audit_log_held ON audit_log
    USING (CASE WHEN draft_id IS NOT NULL AND EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft_id)
                    THEN factdesk_may_see_claims_of(draft_id)
                WHEN entity ~ '^(claim|evidence|note|draft):'
                    THEN NOT pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                WHEN action LIKE 'vault.%' AND entity ~ '^desk:[0-9]{1,18}$'
                    THEN factdesk_vault_holder(split_part(entity, ':', 2)::BIGINT)
                         OR factdesk_vault_keeper(split_part(entity, ':', 2)::BIGINT,
                                                  ARRAY['standards-editor', 'editor', 'admin'])
                WHEN entity ~ '^(source|desk):'
                    THEN (SELECT factdesk_in_no_group())
                         OR (desk_id = ANY ((SELECT factdesk_desks_read())::BIGINT[])
                             AND (action NOT IN ('source.reveal', 'source.confidential')
                                  OR factdesk_acts_on_desk(desk_id, ARRAY['editor', 'standards-editor'])))
                ELSE TRUE
           END
           AND (note_id IS NULL OR factdesk_note_public(note_id)
                OR (EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft_id)
                    AND factdesk_may_read_private_notes(draft_id))));
