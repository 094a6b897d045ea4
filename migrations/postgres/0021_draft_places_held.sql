-- What the rights stand on, held by the server (security review of issue 13). Every policy since 0007 decides
-- from a draft's row: its desk (`drafts.desk_id`, whose `people` give each login its role there) and its owner
-- folder (the first folder of `drafts.path`: a reporter sees the claims of the drafts in the folder named after
-- them). Every Factdesk group could change both, create desks and delete rows, so a reporter's login could, in a
-- transaction it then rolled back:
-- - point another reporter's draft at a desk it had just created (a desk without people lets everyone see
--   everything), or prefix the draft's path with its own name, and read that draft's claims, notes and trail;
-- - delete the draft (or a claim, a note), after which the policies that found no row said yes.
-- Factdesk itself never deletes these rows (a claim is removed by `removed_at`, a draft whose file is gone is
-- `missing`, a deleted draft steps aside to `.factdesk-missing/<id>/…`), never changes a draft's desk, and
-- changes a desk only to note when it was last opened. So:
-- - no Factdesk group deletes desks, drafts, versions, claims, evidence or notes (cascades from the owner's
--   deletions still run as the owner);
-- - a draft's desk is the one it was recorded in: the groups update every column of `drafts` but `id` and
--   `desk_id`;
-- - a desk is opened by every Factdesk (`Store::open_desk` creates it on first use, an upsert that needs INSERT
--   even when the row is there): the groups insert a desk and update when it was last opened, nothing else. A
--   desk a reporter creates holds only drafts recorded in it, their own;
-- - a draft moves out of its owner folder (`bo/story.md` to `cy/story.md`, to a shared folder, from one)
--   only by a login that acts as an editor on its desk (0013's `factdesk_may_change_desk`: an editor or
--   standards editor of the desk, a login in no group, anyone on a desk without people). A rename inside the
--   owner folder is anyone's, as is a deleted draft stepping aside to `.factdesk-missing/<id>/<its path>` and
--   back (the folder after that prefix is its owner folder). No Factdesk's scan carries a review across owner
--   folders on a desk with people (`Desk::carries_review`): the file there is a new draft; this trigger holds
--   the rule for a login writing the rows itself.
-- - the functions that found no draft row answer no: 0007's "desk without people" is a desk with a draft.

REVOKE DELETE ON desks, drafts, draft_versions, claims, evidence, notes
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

REVOKE UPDATE ON drafts
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (path, title, format, state, reason, words, missing, current_version_id, file_size, file_modified_ns,
              created_at, updated_at, file_device, file_inode, file_born_ns, path_bytes, unread_hash)
    ON drafts TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

REVOKE INSERT, UPDATE ON desks
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT INSERT (path, created_at, last_opened_at), UPDATE (last_opened_at)
    ON desks TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- The owner folder of a draft's path: its first folder, after a deleted draft's `.factdesk-missing/<id>/`; none
-- (the empty string) for a draft at the desk's top.
CREATE FUNCTION factdesk_owner_folder(path TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN position('/' IN stripped) > 0 THEN split_part(stripped, '/', 1) ELSE '' END
    FROM (SELECT regexp_replace(path, '^\.factdesk-missing/[0-9]+/', '') AS stripped) s
$$;

-- Whether the current login may give `draft` the path `new_path`: inside its owner folder anyone may; across
-- owner folders whoever acts as an editor on its desk. Invoker's rights: it asks who is asking (0013's function
-- reads `people` as the login). No for a draft that is not there.
CREATE FUNCTION factdesk_may_move_draft(draft BIGINT, new_path TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d
                   WHERE d.id = draft
                     AND (factdesk_owner_folder(d.path) = factdesk_owner_folder(new_path)
                          OR factdesk_may_change_desk(d.desk_id)))
$$;

-- Refuses a change of a draft's path the login may not make. Invoker's rights, so the function above asks the
-- login that updates.
CREATE FUNCTION factdesk_draft_move_held() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.path IS DISTINCT FROM OLD.path AND NOT factdesk_may_move_draft(OLD.id, NEW.path) THEN
        RAISE EXCEPTION 'only an editor of the desk moves a draft out of its owner folder (% to %)', OLD.path, NEW.path
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER drafts_move_held BEFORE UPDATE OF path ON drafts
    FOR EACH ROW EXECUTE FUNCTION factdesk_draft_move_held();

-- 0007's function, for a draft that is there only: a draft id naming no row is no desk's, with people or without.
CREATE OR REPLACE FUNCTION factdesk_desk_without_people(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft
                   AND NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = d.desk_id))
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_owner_folder(TEXT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_may_move_draft(BIGINT, TEXT) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_draft_move_held() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_desk_without_people(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;
-- Asked by every login that renames a draft (through the trigger, and by Factdesk before it does), a login in no
-- group too (a desk without people): booleans about the login asking, like 0007's.
REVOKE ALL ON FUNCTION factdesk_draft_move_held() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION factdesk_owner_folder(TEXT), factdesk_may_move_draft(BIGINT, TEXT) TO PUBLIC;
