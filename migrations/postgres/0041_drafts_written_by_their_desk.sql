-- Review session 10, finding 6: `drafts` and `desks` had no row-level security, so every Factdesk group login
-- rewrote the drafts rows of every desk (no current text, missing, skipped, its title, the file signs the scan goes
-- by, which could be staged to hand one reporter another's review) and planted phantom drafts in another desk's list
-- and folders; and it set when any desk was last opened. The grants (0021, 0022) stay as they were: which columns a
-- group writes. Row-level security now adds on whose desk:
-- - a draft's row is read by every login, as before (paths and titles are the desk's metadata, README's "Team
--   rights"; the rights functions and policies of every other table read `drafts`, the invoker's ones as the
--   login asking, and must keep finding every row);
-- - it is inserted and updated only by the people of its desk, whatever their role (every person's Factdesk scans
--   the shared folder: a new file, a changed one, a move or rename, a missing one, one set aside), a desk without
--   people by anyone, and by a login in no Factdesk group: 0024's `factdesk_acts_on_desk`, the rule
--   `draft_versions` is written by since 0033 and the one the core asks before it scans
--   (`Store::login_writes_drafts_of`), so a scan of another desk's folder writes nothing and is refused nothing.
--   An UPDATE of another desk's rows finds none; an INSERT there is refused (as is an upsert onto one of its rows).
--   No group deletes drafts (0021); a login the newsroom granted DELETE directly deletes only where it may write
--   (as 0024 does for identities);
-- - a desk's row is read by every login and inserted by every group as before (`Store::open_desk` creates the desk
--   of a folder on first use); when it was last opened (the only column a group updates, 0021) is set by its people
--   only, by the same rule, which also holds a login granted DELETE directly. The core's opening no longer upserts
--   (an upsert onto a row the UPDATE policy does not let through is an error, not a no-op): it inserts if the path
--   is new, then updates the opening time, which for a login that is not one of the desk's people changes no row.

ALTER TABLE drafts ENABLE ROW LEVEL SECURITY;
CREATE POLICY drafts_read ON drafts FOR SELECT USING (TRUE);
CREATE POLICY drafts_insert ON drafts FOR INSERT
    WITH CHECK (factdesk_acts_on_desk(desk_id,
                                      ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]));
CREATE POLICY drafts_update ON drafts FOR UPDATE
    USING (factdesk_acts_on_desk(desk_id,
                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]))
    WITH CHECK (factdesk_acts_on_desk(desk_id,
                                      ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]));
CREATE POLICY drafts_delete ON drafts FOR DELETE
    USING (factdesk_acts_on_desk(desk_id,
                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]));

ALTER TABLE desks ENABLE ROW LEVEL SECURITY;
CREATE POLICY desks_read ON desks FOR SELECT USING (TRUE);
CREATE POLICY desks_insert ON desks FOR INSERT WITH CHECK (TRUE);
CREATE POLICY desks_update ON desks FOR UPDATE
    USING (factdesk_acts_on_desk(id,
                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]))
    WITH CHECK (factdesk_acts_on_desk(id,
                                      ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]));
CREATE POLICY desks_delete ON desks FOR DELETE
    USING (factdesk_acts_on_desk(id,
                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']::pg_catalog.text[]));
