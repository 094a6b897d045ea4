-- Review session 10, findings 10, 11 and 13: entries a login files for someone else or about a desk, and who did
-- what within a desk, were the client's word.
--
-- 10. `inbox`: 0012's `inbox_add` took any row (`WITH CHECK (TRUE)`): any login filed mentions for anyone, "from"
--     anyone, about any desk's drafts (each listed in that person's inbox, counted unread by their window). A group
--     login now files an entry only from itself (`from_person`, set to it by 13. below as well), about a draft
--     whose claims it sees (0033's `factdesk_may_see_claims_of`), for one of that draft's desk's people who sees
--     them too (a desk without people: whom 0043 lets act there, the owner or a login in no group); the
--     claim, note or assignment it names being that draft's (and the assignment the person's). Factdesk has no
--     automatic sender: a mention's and an assignment's entry are from the person acting (crates/core/src/inbox.rs),
--     and it files none for a person who may not open the draft (a mention of one tells no one; `assign` refuses).
-- 11. `audit_log`: a login appended entries about any desk's claims (in its own name, linked by the server), and
--     of any size: an `after` of hundreds of MB held the audit lock (0032) while the server escaped and hashed it,
--     every other writer "busy". A group login now appends only about a claim, evidence, note, draft, source or desk
--     that is there, of a desk it is one of the people of (any role; a desk without people: whom 0043 lets act there), and `before`
--     and `after` of at most 1 MiB each. A trigger of its own, named to fire before 0019/0032's (which take the
--     audit lock, link and hash; BEFORE triggers fire in name order), so an entry it refuses never waits for or
--     holds the lock; it reads the entry's draft and desk itself rather than from the columns those triggers fill.
--     1 MiB: the largest `before`/`after` Factdesk wrote across its core test suites (measured on this branch:
--     rights, sourcing, review, desk, vault, conflicts, publication, assignments, history, hostile rows, audit
--     trail; 1,237 entries) is 820 bytes (a rules override listing its findings); one grows with what a person
--     types (a note, the editor's note) or with a draft's claims (an override's findings, the changes since
--     ready), and 1 MiB is a note of some 150,000 words or thousands of claims. Hashing that much takes the server
--     milliseconds, so the lock is held no longer than by an ordinary write. The store's owner is held to
--     neither rule: `migrate-store` copies a trail (from SQLite, where nothing caps an entry) as it is.
-- 13. Who changed a claim's status, resolved where it sits, overrode the rules, saved the editor's note, assigned or
--     ended an assignment, dismissed a suggestion, published, set a vault up, made a wrapping of its key (which
--     0014's read policy trusts: a holder inserting a wrapping "created by" eve let eve read it, to guess its
--     passphrase offline) or sent an inbox entry is, for a group login, that login: 0030's trigger
--     (`factdesk_attribute_to_login`, 0039's version; the store's owner and a login in no group keep what they
--     write) on those columns too. None of them is ever Factdesk's automatic actor `factdesk`: only the workflow's
--     `changed_by` is, and 0040's trigger already holds that column (left to it). And a claim's status history and a
--     note's earlier texts are only ever added to by Factdesk: UPDATE and DELETE on `claim_status_changes` and
--     `note_edits` are taken from the groups (0007 and 0013 granted them; row-level security limited them to the
--     login's desk since 0029, where they rewrote a claim's history).
--
-- Functions name this schema's tables (search_path pinned, pg_temp last).

-- 10. --------------------------------------------------------------------------------------------------------
-- Whether `person` reads the claims of `draft`, as 0033's `factdesk_may_see_claims_of` answers it for the current
-- login: on a desk without people whom 0043's `factdesk_acts_without_people` names; else one of the desk's people with another role than reporter, or the
-- reporter whose owner folder holds the draft. No for a draft that is not there. Invoker's rights: it reads
-- `drafts` and `people`, which every group reads.
CREATE FUNCTION factdesk_person_sees_claims_of(draft BIGINT, person pg_catalog.text) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d
                   WHERE d.id = draft
                     AND ((NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = d.desk_id)
                           AND factdesk_acts_without_people(person::pg_catalog.name))
                          OR EXISTS (SELECT 1 FROM people p
                                     WHERE p.desk_id = d.desk_id AND p.name = person
                                       AND (p.role <> 'reporter'::pg_catalog.text
                                            OR factdesk_owner_folder(d.path) = person))))
$$;

DROP POLICY inbox_add ON inbox;
CREATE POLICY inbox_add ON inbox FOR INSERT WITH CHECK (
    factdesk_writes_as_granted()
    OR (from_person = session_user::pg_catalog.text
        AND factdesk_may_see_claims_of(draft_id)
        AND factdesk_person_sees_claims_of(draft_id, person)
        AND (claim_id IS NULL
             OR EXISTS (SELECT 1 FROM claims c WHERE c.id = inbox.claim_id AND c.draft_id = inbox.draft_id))
        AND (note_id IS NULL
             OR EXISTS (SELECT 1 FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
                        WHERE n.id = inbox.note_id AND coalesce(n.draft_id, c.draft_id) = inbox.draft_id))
        AND (assignment_id IS NULL
             OR EXISTS (SELECT 1 FROM assignments a LEFT JOIN claims c ON c.id = a.claim_id
                        WHERE a.id = inbox.assignment_id AND a.assignee = inbox.person
                          AND coalesce(a.draft_id, c.draft_id) = inbox.draft_id))));

-- 11. --------------------------------------------------------------------------------------------------------
-- With the owner's rights: the entry's claim, evidence or note may be one the login does not see (0019's
-- `factdesk_audit_subject` and 0042's `factdesk_audit_desk` read them as the owner). So it asks who appends by
-- `session_user`, never `current_user` (the owner, here), as 0032's trigger does. One refusal for an entity that
-- is not there and one of another desk, so that a login learns nothing of which ids exist elsewhere.
CREATE FUNCTION factdesk_audit_hold_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    largest CONSTANT BIGINT := 1048576;  -- 1 MiB: see 11. above
    subject BIGINT;
    desk    BIGINT;
BEGIN
    IF factdesk_session_is_owner() THEN
        RETURN NEW;
    END IF;
    IF pg_catalog.octet_length(NEW.before) > largest OR pg_catalog.octet_length(NEW.after) > largest THEN
        RAISE EXCEPTION 'an audit entry''s before and after hold at most % bytes each (% and % given)', largest,
            coalesce(pg_catalog.octet_length(NEW.before), 0), coalesce(pg_catalog.octet_length(NEW.after), 0)
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    -- A login in none of Factdesk's groups keeps what it was granted (0007, 0024).
    IF NOT (pg_catalog.pg_has_role(session_user, 'factdesk_reporter'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
            OR pg_catalog.pg_has_role(session_user, 'factdesk_editor'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
            OR pg_catalog.pg_has_role(session_user, 'factdesk_standards_editor'::pg_catalog.text,
                                      'MEMBER'::pg_catalog.text)
            OR pg_catalog.pg_has_role(session_user, 'factdesk_lawyer'::pg_catalog.text, 'MEMBER'::pg_catalog.text)
            OR pg_catalog.pg_has_role(session_user, 'factdesk_admin'::pg_catalog.text, 'MEMBER'::pg_catalog.text)) THEN
        RETURN NEW;
    END IF;
    SELECT s.draft INTO subject FROM factdesk_audit_subject(NEW.entity) s;
    IF subject IS NOT NULL THEN
        SELECT d.desk_id INTO desk FROM drafts d WHERE d.id = subject;
    ELSE
        desk := factdesk_audit_desk(NEW.entity);
    END IF;
    IF desk IS NULL OR NOT EXISTS (SELECT 1 FROM desks k WHERE k.id = desk)
       OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
           AND NOT factdesk_acts_without_people(session_user))
       OR (EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
           AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk AND p.name = session_user::pg_catalog.text)) THEN
        RAISE EXCEPTION 'login % appends to the audit trail only about the claims, evidence, notes, drafts, sources and '
                        'desks of a desk it is one of the people of: % is not one', session_user, NEW.entity
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_person_sees_claims_of(BIGINT, pg_catalog.text) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_audit_hold_append() SET search_path = %I, pg_temp', current_schema());
END;
$$;
-- Asked through the inbox's policy by every login that files an entry, a login in no group too.
GRANT EXECUTE ON FUNCTION factdesk_person_sees_claims_of(BIGINT, pg_catalog.text) TO PUBLIC;
-- A trigger function: PostgreSQL checks EXECUTE only when the trigger is made.
REVOKE ALL ON FUNCTION factdesk_audit_hold_append() FROM PUBLIC;

-- "append": before "audit_log_desk" (0042) and "audit_log_subject" (0019, 0032), which fire in name order.
CREATE TRIGGER audit_log_append_held BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION factdesk_audit_hold_append();

-- 13. --------------------------------------------------------------------------------------------------------
CREATE TRIGGER claim_status_changes_attributed_to_login BEFORE INSERT OR UPDATE ON claim_status_changes
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('changed_by');
CREATE TRIGGER claim_anchors_attributed_to_login BEFORE INSERT OR UPDATE ON claim_anchors
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('resolved_by');
CREATE TRIGGER rule_overrides_attributed_to_login BEFORE INSERT OR UPDATE ON rule_overrides
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('overridden_by');
CREATE TRIGGER editor_notes_attributed_to_login BEFORE INSERT OR UPDATE ON editor_notes
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('saved_by');
CREATE TRIGGER assignments_attributed_to_login BEFORE INSERT OR UPDATE ON assignments
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('assigned_by', 'ended_by');
CREATE TRIGGER suggestion_dismissals_attributed_to_login BEFORE INSERT OR UPDATE ON suggestion_dismissals
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('dismissed_by');
CREATE TRIGGER published_reviews_attributed_to_login BEFORE INSERT OR UPDATE ON published_reviews
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('published_by');
CREATE TRIGGER vaults_attributed_to_login BEFORE INSERT OR UPDATE ON vaults
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('created_by');
CREATE TRIGGER vault_keys_attributed_to_login BEFORE INSERT OR UPDATE ON vault_keys
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('created_by');
CREATE TRIGGER inbox_attributed_to_login BEFORE INSERT OR UPDATE ON inbox
    FOR EACH ROW EXECUTE FUNCTION factdesk_attribute_to_login('from_person');

DO $$
DECLARE
    group_name TEXT;
BEGIN
    FOREACH group_name IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                      'factdesk_lawyer', 'factdesk_admin']
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE ON claim_status_changes, note_edits FROM %I', group_name);
    END LOOP;
END;
$$;
