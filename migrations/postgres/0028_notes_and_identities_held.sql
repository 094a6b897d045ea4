-- Three holes a security review of the team store found (issue 13, review session 8), closed on the server:
--
-- 1. Notes (finding 11). Every group kept UPDATE on the whole of `notes`, and its row-level security only asks
--    whether the login may see the note. So a lawyer's login, or an editor's of any desk (both read private
--    notes), made every private note of the server public with `UPDATE notes SET private = FALSE WHERE private`,
--    and any login rewrote the notes it saw, their author too. Now the groups update only the columns Factdesk
--    updates (crates/core/src/store/notes.rs: the text and its edit, privacy, resolution, removal), and a
--    trigger holds a group login to what rights.rs allows: whether a note is private is changed only by an
--    editor or standards editor of the note's desk (0024's `factdesk_may_mark_ready`, as the core's
--    ChangeDesk); any other change only by one of the desk's people (anyone on a desk without people), the
--    author of the note too; and who wrote a note, and what it hangs from (`author`, `claim_id`, `draft_id`,
--    `reply_to`), never. Factdesk lets whoever may add notes on a draft edit any of its notes (the window's Edit,
--    with the conflict check when two people edit one note), so the server does not hold a note's text to its
--    author: it holds it to the desk's people.
--    The table's owner, and a login in none of Factdesk's groups (granted the tables by hand, as 0024 says),
--    keep what they were granted.
-- 2. Identities (finding 2, its first half). 0024 held the writing of `source_confidential` (a source's identity,
--    contact, the editor who knows it…) to the source's desk but kept reading as it was: every editor's and
--    standards editor's login, an editor of any desk, read the plain fields of every source of every desk of the
--    server (a desk without a vault). A login now reads a source's confidential row only where it may record it
--    (0024's `factdesk_may_record_identity`: an editor or standards editor of the source's desk, anyone on a desk
--    without people, a login in no group). The register's "which fields are recorded" comes from the view
--    `source_fields_recorded`, which runs as the table's owner and shows no value: it is unchanged for every login.
-- 3. People (finding 3). 0024 let an admin's login write the people of a desk it is an admin of, its own row
--    included (`UPDATE people SET role = 'standards-editor' WHERE name = current_user`, which Factdesk refuses:
--    nobody changes their own role, another admin does), and anyone the people of a desk without people: an admin's
--    login recorded a desk (every group records the desks it opens) or took one another login opened, and named
--    itself its admin, from then on deciding who joins. Now a group login never changes its own row, and writes the
--    people only of a desk it is an admin of: a desk's first people are added by a login in none of Factdesk's
--    groups (the store's owner, who ran `team init`, as README's set-up does), or by a login that is one of no
--    desk's people of this store yet (below).
--
-- Every function names this schema's tables, never a login's temporary look-alikes, and pg_catalog's built-ins
-- (search_path pinned, pg_temp last, as 0013, 0016, 0022 and 0024).

-- 1. ---------------------------------------------------------------------------------------------------------
REVOKE UPDATE ON notes
    FROM factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;
GRANT UPDATE (text, edited_at, version, private, resolved_by, resolved_at, removed_at, removed_by, removed_with)
    ON notes TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- Whether the current login is the owner of the table a trigger fires on (exempt, as from row-level security).
CREATE FUNCTION factdesk_owns_table(table_id pg_catalog.oid) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles r ON r.oid = c.relowner
                   WHERE c.oid = table_id AND r.rolname = current_user::pg_catalog.text)
$$;

-- Invoker's rights: the note's claim and draft are read as the login sees them, and a note whose desk the login
-- cannot tell (no such claim or draft for it) is one it may not change.
CREATE FUNCTION factdesk_hold_note_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    draft BIGINT;
BEGIN
    IF factdesk_owns_table(TG_RELID) OR NOT factdesk_in_any_group() THEN
        RETURN NEW;
    END IF;
    IF NEW.author IS DISTINCT FROM OLD.author OR NEW.claim_id IS DISTINCT FROM OLD.claim_id
       OR NEW.draft_id IS DISTINCT FROM OLD.draft_id OR NEW.reply_to IS DISTINCT FROM OLD.reply_to
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'login % may not change who wrote note % or what it is on', session_user, OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    draft := coalesce(OLD.draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = OLD.claim_id));
    IF NEW.private IS DISTINCT FROM OLD.private AND NOT factdesk_may_mark_ready(draft) THEN
        RAISE EXCEPTION 'login % may not make note % private or public: it needs the editor or standards editor role on its desk',
            session_user, OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM drafts d
                   WHERE d.id = draft
                     AND factdesk_acts_on_desk(d.desk_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer',
                                                                 'admin']::pg_catalog.text[])) THEN
        RAISE EXCEPTION 'login % may not change note %: it is not one of the people of its desk', session_user, OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER notes_held_to_their_desk BEFORE UPDATE ON notes
    FOR EACH ROW EXECUTE FUNCTION factdesk_hold_note_update();

-- 2. ---------------------------------------------------------------------------------------------------------
ALTER POLICY source_confidential_read ON source_confidential USING (factdesk_may_record_identity(source_id));

-- 3. ---------------------------------------------------------------------------------------------------------
-- Whether the current login may write `person`'s row among `desk`'s people: a login in none of Factdesk's groups
-- may (the store's owner; 0024's policies still hold the rest); a group login another person's row on a desk it
-- is an admin of; and the first person of a desk without people only while it is one of no desk's people of this
-- store. That last is how a login the newsroom granted the tables by hand starts a desk with `people add DIR
-- ITSELF --role admin` (Factdesk puts it in the admins' group just before it writes the row; groups are the whole
-- server's, so it may be in one from another database); one of a desk's people (every login `people add` made
-- is) claims no other desk. Invoker's rights: it reads
-- `people` (every group reads all of it) as the login.
CREATE FUNCTION factdesk_may_name_person(desk BIGINT, person TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT factdesk_in_any_group()
        OR (person IS DISTINCT FROM current_user::pg_catalog.text
            AND EXISTS (SELECT 1 FROM people p
                        WHERE p.desk_id = desk AND p.name = current_user::pg_catalog.text AND p.role = 'admin'))
        OR (NOT EXISTS (SELECT 1 FROM people p WHERE p.desk_id = desk)
            AND NOT EXISTS (SELECT 1 FROM people p WHERE p.name = current_user::pg_catalog.text))
$$;
-- Restrictive: on top of 0024's per-desk policies.
CREATE POLICY people_inserted_by_another_admin ON people AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_may_name_person(desk_id, name));
-- The row as changed is what is asked (its own row seen, as 0024's policy lets an admin, an admin's change of it
-- is refused rather than silently matching nothing).
CREATE POLICY people_changed_by_another_admin ON people AS RESTRICTIVE FOR UPDATE
    USING (TRUE) WITH CHECK (factdesk_may_name_person(desk_id, name));

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY['factdesk_owns_table(pg_catalog.oid)', 'factdesk_hold_note_update()',
                                         'factdesk_may_name_person(BIGINT, TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
-- Booleans about the login asking, asked by the trigger and the policies for every login (as 0024's).
GRANT EXECUTE ON FUNCTION factdesk_owns_table(pg_catalog.oid), factdesk_may_name_person(BIGINT, TEXT) TO PUBLIC;
