-- The server holds the tables of 0009 and 0010 to what each login may see, as 0007 holds the claims, and takes
-- back 0011's default grant (a future table, confidential or not, is granted by its own migration).
-- - The published record is written once, with the move to published, and never changed: no login but the
--   owner updates or deletes it; a login reads only the records of drafts whose claims it may see.
-- - Each person's inbox is theirs: a login reads and marks read only its own entries, and sees those it sent
--   (anyone who mentions or assigns adds one for another person, and reads back what it added).
-- - An assignment is read and written only by whom may see that claim's or draft's claims.
-- - The search index holds claims, notes and evidence: an entry is seen with its draft's claims (drafts' text
--   and the register's descriptors are the desk's).
-- - A draft's workflow: 0007 held only *ready* to the editors; *published* and *updated* (and taking a status
--   row away) are theirs too. Anyone's Factdesk may still send a changed draft back to needs work.
DO $$
DECLARE
    group_name TEXT;
BEGIN
    FOREACH group_name IN ARRAY ARRAY['factdesk_reporter', 'factdesk_editor', 'factdesk_standards_editor',
                                      'factdesk_lawyer', 'factdesk_admin']
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE ON published_reviews FROM %I', group_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM %I',
                       current_schema(), group_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE USAGE, SELECT ON SEQUENCES FROM %I',
                       current_schema(), group_name);
    END LOOP;
END;
$$;

ALTER TABLE published_reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY published_reviews_seen ON published_reviews
    USING (factdesk_may_see_claims_of(draft_id))
    WITH CHECK (factdesk_may_mark_ready(draft_id));

ALTER TABLE inbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY inbox_own_read ON inbox FOR SELECT USING (person = current_user OR from_person = current_user);
CREATE POLICY inbox_own_update ON inbox FOR UPDATE USING (person = current_user);
CREATE POLICY inbox_own_delete ON inbox FOR DELETE USING (person = current_user);
CREATE POLICY inbox_add ON inbox FOR INSERT WITH CHECK (TRUE);

ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
-- A claim's assignment is seen with the claim (the claims' own row-level security decides), a draft's with
-- its claims.
CREATE POLICY assignments_seen ON assignments
    USING (CASE WHEN claim_id IS NULL THEN factdesk_may_see_claims_of(draft_id)
                ELSE EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id) END);

ALTER TABLE search_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY search_entries_seen ON search_entries
    USING (kind IN ('draft', 'source') OR draft_id IS NULL OR factdesk_may_see_claims_of(draft_id))
    WITH CHECK (TRUE);

DROP POLICY workflow_delete ON draft_workflow;
DROP POLICY workflow_insert ON draft_workflow;
DROP POLICY workflow_update ON draft_workflow;
CREATE POLICY workflow_delete ON draft_workflow FOR DELETE USING (factdesk_may_mark_ready(draft_id));
CREATE POLICY workflow_insert ON draft_workflow FOR INSERT
    WITH CHECK (status IN ('in-review', 'needs-work') OR factdesk_may_mark_ready(draft_id));
CREATE POLICY workflow_update ON draft_workflow FOR UPDATE
    USING (TRUE) WITH CHECK (status IN ('in-review', 'needs-work') OR factdesk_may_mark_ready(draft_id));
