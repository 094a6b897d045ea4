-- Review session 10, findings 2, 3 and 8: a draft's workflow, the rules' overrides and what changed since ready
-- were written per group, not per desk, and not held to what Factdesk itself writes.
--
-- 2. `draft_workflow`: any login of any desk sent every ready or published draft of every desk back to needs work,
--    in anyone's name (0012's UPDATE policy read `USING (TRUE)`; `changed_by` was the client's word, 0030 left it).
--    Now a row is written only by the people of its draft's desk (RESTRICTIVE, as 0029 does for the claims), and a
--    trigger holds each change to what Factdesk does (crates/core/src/sourcing/workflow.rs):
--    * an editor or standards editor of the desk (`factdesk_may_mark_ready`) moves a draft as the workflow allows;
--      a published or updated draft only ever becomes *updated* (`DraftStatus::next`), and is not taken out of the
--      workflow (no DELETE of its row);
--    * anyone else's Factdesk (a reporter's, lawyer's or admin's scanning the shared folder) changes a row in two
--      ways only: the re-check's reopen (`recheck_after_edit`): *ready* to *needs work*, on the draft's current
--      version, which is not the one it was marked ready on, once that re-check has recorded the changes it found on
--      that version (`draft_changes_since_ready`, reopened, not empty); and the baseline of a status marked before
--      versions were kept (`version_id` from NULL to the current version, nothing else changed). Factdesk inserts a
--      row only when a person moves a draft, which is the editors' (INSERT: `factdesk_may_mark_ready`).
--    * `changed_by` is the login (`session_user`), or Factdesk's automatic actor `factdesk` (audit.rs'
--      `SYSTEM_ACTOR`) for the reopen, which nobody decided: the writer's edit did. The baseline leaves it as it was.
-- 3. `rule_overrides`: any login lapsed every override of every desk, and an editor of any desk moved every override
--    onto their own draft (reading them) or rewrote it (table-level UPDATE for the editors' groups, `USING (TRUE)`).
--    Factdesk's only UPDATE of the table is the reopen's lapse (store/workflow.rs `lapse_overrides`): now every group
--    updates `lapsed_at` only, from NULL to a time (never lifted), on its own desk, and a login that is not an editor
--    or standards editor there only for a draft the re-check just sent back (needs work by `factdesk` on its current
--    version, the changes found there reopened it).
-- 8. `draft_changes_since_ready`: a reporter rewrote the changes found on their own ready draft to none. A group
--    login that is not an editor or standards editor of the desk now changes the row only as the re-check does
--    (`put_changes_since_ready`): onto the draft's current version, keeping every change recorded so far, `reopened`
--    never turned off, `status_was` kept; and deletes it never (Factdesk clears it only when an editor marks the
--    draft ready or published again). What the server cannot tell is whether a first row, for a version no row was
--    recorded for yet, holds every change: the core records "checked, nothing changed" (`[]`) the same way.
--
-- The store's owner (and what it runs for a login: a cascade) and a login in none of Factdesk's groups keep what
-- they were granted, as 0007 says. Functions name this schema's tables (search_path pinned, pg_temp last).

-- Whether the current login acts as the store's owner or outside Factdesk's groups (see above). Invoker's rights.
CREATE FUNCTION factdesk_writes_as_granted() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT factdesk_session_is_owner()
        OR current_user::pg_catalog.text = factdesk_store_owner()
        OR NOT factdesk_in_any_group()
$$;

-- Whether `draft` was just sent back to needs work by a re-check (finding 3's lapse): its workflow row says so, on
-- its current version, and the changes found on that version reopened it. Read as the login sees the rows.
CREATE FUNCTION factdesk_draft_sent_back(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d
                   JOIN draft_workflow w ON w.draft_id = d.id
                   JOIN draft_changes_since_ready c ON c.draft_id = d.id
                   WHERE d.id = draft AND w.status = 'needs-work' AND w.changed_by = 'factdesk'
                     AND w.version_id = d.current_version_id AND c.version_id = d.current_version_id
                     AND c.reopened AND c.changes <> '[]')
$$;

-- 2. ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION factdesk_hold_workflow_change() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
    current_version BIGINT;
    reopen          BOOLEAN;
BEGIN
    IF factdesk_writes_as_granted() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('published', 'updated') THEN
            RAISE EXCEPTION 'draft % is published: it stays in the workflow', OLD.draft_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.changed_by := session_user;
        RETURN NEW;
    END IF;
    IF NEW.draft_id IS DISTINCT FROM OLD.draft_id THEN
        RAISE EXCEPTION 'a workflow status stays with its draft (%)', OLD.draft_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.status IN ('published', 'updated') AND NEW.status NOT IN (OLD.status, 'updated') THEN
        RAISE EXCEPTION 'draft % is published: it cannot go back to %', OLD.draft_id, NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT d.current_version_id INTO current_version FROM drafts d WHERE d.id = NEW.draft_id;
    reopen := OLD.status = 'ready' AND NEW.status = 'needs-work'
        AND current_version IS NOT NULL AND OLD.version_id IS DISTINCT FROM current_version
        AND NEW.version_id IS NOT DISTINCT FROM current_version
        AND EXISTS (SELECT 1 FROM draft_changes_since_ready c
                    WHERE c.draft_id = NEW.draft_id AND c.version_id = current_version AND c.reopened
                      AND c.changes <> '[]');
    IF NOT reopen AND NOT factdesk_may_mark_ready(NEW.draft_id) THEN
        -- The baseline of a status marked before versions were kept: nothing but the version, set once.
        IF NOT (NEW.status = OLD.status AND NEW.changed_by = OLD.changed_by AND NEW.changed_at = OLD.changed_at
                AND OLD.version_id IS NULL AND NEW.version_id IS NOT DISTINCT FROM current_version) THEN
            RAISE EXCEPTION 'login % may not change the workflow status of draft %: only an editor or standards editor of its desk moves a draft (anyone''s Factdesk sends a ready draft whose text changed back to needs work)',
                session_user, OLD.draft_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.changed_at IS DISTINCT FROM OLD.changed_at
       OR NEW.changed_by IS DISTINCT FROM OLD.changed_by THEN
        NEW.changed_by := CASE WHEN reopen AND NEW.changed_by = 'factdesk' THEN 'factdesk'
                               ELSE session_user::pg_catalog.text END;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER draft_workflow_held BEFORE INSERT OR UPDATE OR DELETE ON draft_workflow
    FOR EACH ROW EXECUTE FUNCTION factdesk_hold_workflow_change();

DROP POLICY workflow_insert ON draft_workflow;
CREATE POLICY workflow_insert ON draft_workflow FOR INSERT WITH CHECK (factdesk_may_mark_ready(draft_id));
CREATE POLICY workflow_written_on_their_desk ON draft_workflow AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY workflow_changed_on_their_desk ON draft_workflow AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']))
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY workflow_deleted_on_their_desk ON draft_workflow AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));

-- 3. ---------------------------------------------------------------------------------------------------------
REVOKE UPDATE ON rule_overrides FROM factdesk_editor, factdesk_standards_editor;
GRANT UPDATE (lapsed_at) ON rule_overrides
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
DROP POLICY rule_overrides_update ON rule_overrides;
CREATE POLICY rule_overrides_update ON rule_overrides FOR UPDATE
    USING (lapsed_at IS NULL) WITH CHECK (lapsed_at IS NOT NULL);
CREATE POLICY rule_overrides_changed_on_their_desk ON rule_overrides AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin'])
           AND (factdesk_may_mark_ready(draft_id) OR factdesk_draft_sent_back(draft_id)))
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin'])
                AND (factdesk_may_mark_ready(draft_id) OR factdesk_draft_sent_back(draft_id)));

-- 8. ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION factdesk_hold_changes_since_ready() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
    IF factdesk_writes_as_granted() OR factdesk_may_mark_ready(OLD.draft_id) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'login % may not clear what changed in draft % since it was marked ready: marking it ready again does',
            session_user, OLD.draft_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.draft_id IS DISTINCT FROM OLD.draft_id OR NEW.status_was IS DISTINCT FROM OLD.status_was
       OR (OLD.reopened AND NOT NEW.reopened)
       OR NEW.version_id IS DISTINCT FROM (SELECT d.current_version_id FROM drafts d WHERE d.id = NEW.draft_id)
       OR NOT (NEW.changes::jsonb @> OLD.changes::jsonb) THEN
        RAISE EXCEPTION 'login % may only add to what changed in draft % since it was marked ready, on its current version',
            session_user, OLD.draft_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER draft_changes_since_ready_held BEFORE UPDATE OR DELETE ON draft_changes_since_ready
    FOR EACH ROW EXECUTE FUNCTION factdesk_hold_changes_since_ready();

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_writes_as_granted()', 'factdesk_draft_sent_back(BIGINT)', 'factdesk_hold_workflow_change()',
        'factdesk_hold_changes_since_ready()'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
-- Booleans about the login asking and the triggers' checks, asked for every login (a login in no group too).
GRANT EXECUTE ON FUNCTION factdesk_writes_as_granted(), factdesk_draft_sent_back(BIGINT),
    factdesk_hold_workflow_change(), factdesk_hold_changes_since_ready() TO PUBLIC;
