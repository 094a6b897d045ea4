-- Issue 13, review session 8 finding 1: a desk's claims are written only by that desk's people. Group roles are
-- the whole server's, and every write policy on a claim's tables asked 0007's read rule,
-- `factdesk_may_see_claims_of` (true for every login outside the reporters' group, on every desk): an editor of
-- desk A could change the status of desk B's claims, add evidence or notes there, hand B's claims out, or mark
-- B's document comments gone. 0024 closed this for the register of sources and `claim_sources`; here the same is
-- done for the claims' own tables, with RESTRICTIVE policies on top of the permissive ones (which still hold a
-- reporter to their own drafts). Reading is as before (0025); only INSERT, UPDATE (USING and WITH CHECK: a row of
-- another desk is neither changed nor moved there) and DELETE ask the row's desk, once per row written.
--
-- Who writes what, as crates/core/src/rights.rs says (`factdesk_acts_on_desk`: a desk without people lets
-- anyone, a login in none of Factdesk's groups keeps what it was granted):
-- - claims, claim_status_changes, evidence, assignments, suggestion_dismissals: "tag, set status, link,
--   evidence, move, remove claims" (and hand them out): a reporter, editor or standards editor of that desk.
-- - notes, note_edits: "add a note, answer one": any of the desk's people (lawyers and admins too).
-- - claim_anchors, document_comments, draft_changes_since_ready: written by whoever's Factdesk scans the folder
--   and re-checks a ready draft (a reporter's, a lawyer's too): any of the draft's desk's people. The permissive
--   policies still ask that the login sees the draft's claims; the core asks both before it writes
--   (`Store::login_sees_claims_of`), and leaves those rows of other desks to their people's scans.
-- - rule_override_findings: with the override, by an editor or standards editor of the override's desk.
-- `suggestion_dismissals` and `rule_override_findings` had no row-level security: a permissive policy letting
-- every row through is added with it, so that they are only restricted by the policies below.

-- Whether the current login writes the claims (or what hangs from them) of `draft` as one of `roles` on its desk.
-- No for a draft that is not there.
CREATE FUNCTION factdesk_writes_on_desk_of(draft BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM drafts d WHERE d.id = draft AND factdesk_acts_on_desk(d.desk_id, roles))
$$;

-- The same for `claim`'s draft (the claim read as the login sees it). No for a claim that is not there.
CREATE FUNCTION factdesk_writes_on_desk_of_claim(claim BIGINT, roles TEXT[]) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM claims c JOIN drafts d ON d.id = c.draft_id
                   WHERE c.id = claim AND factdesk_acts_on_desk(d.desk_id, roles))
$$;

-- Whether the current login's scan writes what it derives from `draft`'s text and claims (anchors, document
-- comments, the changes since ready): it sees the draft's claims, and is one of its desk's people.
CREATE FUNCTION factdesk_scan_writes_claims_of(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT factdesk_may_see_claims_of(draft)
       AND factdesk_writes_on_desk_of(draft, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer',
                                                   'admin']::pg_catalog.text[])
$$;

-- claims ------------------------------------------------------------------------------------------------------
CREATE POLICY claims_written_on_their_desk ON claims AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY claims_changed_on_their_desk ON claims AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']))
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY claims_deleted_on_their_desk ON claims AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));

-- A claim's status changes and evidence, with the claim ----------------------------------------------------------
CREATE POLICY status_changes_written_on_their_desk ON claim_status_changes AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY status_changes_changed_on_their_desk ON claim_status_changes AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']))
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY status_changes_deleted_on_their_desk ON claim_status_changes AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));

CREATE POLICY evidence_written_on_their_desk ON evidence AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY evidence_changed_on_their_desk ON evidence AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']))
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY evidence_deleted_on_their_desk ON evidence AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']));

-- Assignments: a claim's or a draft's ------------------------------------------------------------------------------
CREATE POLICY assignments_written_on_their_desk ON assignments AS RESTRICTIVE FOR INSERT
    WITH CHECK (CASE WHEN claim_id IS NULL
                     THEN factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor'])
                     ELSE factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor'])
                END);
CREATE POLICY assignments_changed_on_their_desk ON assignments AS RESTRICTIVE FOR UPDATE
    USING (CASE WHEN claim_id IS NULL
                THEN factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor'])
                ELSE factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']) END)
    WITH CHECK (CASE WHEN claim_id IS NULL
                     THEN factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor'])
                     ELSE factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor'])
                END);
CREATE POLICY assignments_deleted_on_their_desk ON assignments AS RESTRICTIVE FOR DELETE
    USING (CASE WHEN claim_id IS NULL
                THEN factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor'])
                ELSE factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor']) END);

-- Dismissed suggestions (no row-level security until now) -------------------------------------------------------
ALTER TABLE suggestion_dismissals ENABLE ROW LEVEL SECURITY;
CREATE POLICY suggestion_dismissals_as_granted ON suggestion_dismissals USING (TRUE) WITH CHECK (TRUE);
CREATE POLICY suggestion_dismissals_written_on_their_desk ON suggestion_dismissals AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY suggestion_dismissals_changed_on_their_desk ON suggestion_dismissals AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']))
    WITH CHECK (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));
CREATE POLICY suggestion_dismissals_deleted_on_their_desk ON suggestion_dismissals AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of(draft_id, ARRAY['reporter', 'editor', 'standards-editor']));

-- Notes and their earlier texts: any of the desk's people --------------------------------------------------------
CREATE POLICY notes_written_on_their_desk ON notes AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of(coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id)),
                                           ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY notes_changed_on_their_desk ON notes AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of(coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id)),
                                      ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']))
    WITH CHECK (factdesk_writes_on_desk_of(coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id)),
                                           ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY notes_deleted_on_their_desk ON notes AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of(coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id)),
                                      ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));

-- An edit is written with its note, so on the note's desk (the note read as the login sees it).
CREATE FUNCTION factdesk_writes_on_desk_of_note(note BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM notes n
                   WHERE n.id = note
                     AND factdesk_writes_on_desk_of(coalesce(n.draft_id,
                                                             (SELECT c.draft_id FROM claims c WHERE c.id = n.claim_id)),
                                                    ARRAY['reporter', 'editor', 'standards-editor', 'lawyer',
                                                          'admin']::pg_catalog.text[]))
$$;
CREATE POLICY note_edits_written_on_their_desk ON note_edits AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of_note(note_id));
CREATE POLICY note_edits_changed_on_their_desk ON note_edits AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of_note(note_id)) WITH CHECK (factdesk_writes_on_desk_of_note(note_id));
CREATE POLICY note_edits_deleted_on_their_desk ON note_edits AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of_note(note_id));

-- What a scan derives from a draft: its claims' places, its document comments, what changed since ready --------
CREATE POLICY anchors_written_on_their_desk ON claim_anchors AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id,
                                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY anchors_changed_on_their_desk ON claim_anchors AS RESTRICTIVE FOR UPDATE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']))
    WITH CHECK (factdesk_writes_on_desk_of_claim(claim_id,
                                                 ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));
CREATE POLICY anchors_deleted_on_their_desk ON claim_anchors AS RESTRICTIVE FOR DELETE
    USING (factdesk_writes_on_desk_of_claim(claim_id, ARRAY['reporter', 'editor', 'standards-editor', 'lawyer', 'admin']));

CREATE POLICY document_comments_written_on_their_desk ON document_comments AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_scan_writes_claims_of(draft_id));
CREATE POLICY document_comments_changed_on_their_desk ON document_comments AS RESTRICTIVE FOR UPDATE
    USING (factdesk_scan_writes_claims_of(draft_id)) WITH CHECK (factdesk_scan_writes_claims_of(draft_id));
CREATE POLICY document_comments_deleted_on_their_desk ON document_comments AS RESTRICTIVE FOR DELETE
    USING (factdesk_scan_writes_claims_of(draft_id));

CREATE POLICY draft_changes_since_ready_written_on_their_desk ON draft_changes_since_ready AS RESTRICTIVE FOR INSERT
    WITH CHECK (factdesk_scan_writes_claims_of(draft_id));
CREATE POLICY draft_changes_since_ready_changed_on_their_desk ON draft_changes_since_ready AS RESTRICTIVE FOR UPDATE
    USING (factdesk_scan_writes_claims_of(draft_id)) WITH CHECK (factdesk_scan_writes_claims_of(draft_id));
CREATE POLICY draft_changes_since_ready_deleted_on_their_desk ON draft_changes_since_ready AS RESTRICTIVE FOR DELETE
    USING (factdesk_scan_writes_claims_of(draft_id));

-- An override's findings (no row-level security until now), on the override's desk ------------------------------
ALTER TABLE rule_override_findings ENABLE ROW LEVEL SECURITY;
CREATE POLICY rule_override_findings_as_granted ON rule_override_findings USING (TRUE) WITH CHECK (TRUE);
CREATE POLICY rule_override_findings_written_on_their_desk ON rule_override_findings AS RESTRICTIVE FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM rule_overrides o WHERE o.id = override_id
                        AND factdesk_writes_on_desk_of(o.draft_id, ARRAY['editor', 'standards-editor'])));
CREATE POLICY rule_override_findings_changed_on_their_desk ON rule_override_findings AS RESTRICTIVE FOR UPDATE
    USING (EXISTS (SELECT 1 FROM rule_overrides o WHERE o.id = override_id
                   AND factdesk_writes_on_desk_of(o.draft_id, ARRAY['editor', 'standards-editor'])))
    WITH CHECK (EXISTS (SELECT 1 FROM rule_overrides o WHERE o.id = override_id
                        AND factdesk_writes_on_desk_of(o.draft_id, ARRAY['editor', 'standards-editor'])));
CREATE POLICY rule_override_findings_deleted_on_their_desk ON rule_override_findings AS RESTRICTIVE FOR DELETE
    USING (EXISTS (SELECT 1 FROM rule_overrides o WHERE o.id = override_id
                   AND factdesk_writes_on_desk_of(o.draft_id, ARRAY['editor', 'standards-editor'])));

-- 0024's sync of a document's comments refused a login that may not see the draft's claims; it now refuses, with
-- the same words, one that is not of the draft's desk either, rather than have its rows silently left out.
CREATE OR REPLACE FUNCTION factdesk_sync_document_comments(draft BIGINT, comments TEXT, seen_at TEXT) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    given JSONB := comments::jsonb;
    c JSONB;
BEGIN
    IF NOT factdesk_scan_writes_claims_of(draft) THEN
        RAISE EXCEPTION 'login % may not write the claims of draft % on its desk, so it does not write its document comments',
            session_user, draft USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One at a time, in the document's order (the order first seen), as on SQLite: a document may hold the
    -- same comment twice, which one INSERT of them all could not upsert.
    FOR c IN SELECT value FROM pg_catalog.jsonb_array_elements(given) WITH ORDINALITY ORDER BY ordinality LOOP
        INSERT INTO document_comments (draft_id, comment_key, author, written_at, body, quote_exact, quote_prefix,
                                       quote_suffix, resolved, removed_at, first_seen_at)
            VALUES (draft, c->>'key', c->>'author', c->>'date', c->>'body', c->>'quote_exact', c->>'quote_prefix',
                    c->>'quote_suffix', (c->>'resolved')::BOOLEAN, NULL, seen_at)
            ON CONFLICT (draft_id, comment_key) DO UPDATE SET
                quote_exact = excluded.quote_exact, quote_prefix = excluded.quote_prefix,
                quote_suffix = excluded.quote_suffix, resolved = excluded.resolved, removed_at = NULL;
    END LOOP;
    UPDATE document_comments SET removed_at = seen_at
        WHERE draft_id = draft AND removed_at IS NULL
          AND comment_key NOT IN (SELECT e->>'key' FROM pg_catalog.jsonb_array_elements(given) AS e);
END;
$$;

DO $$
DECLARE
    function_name TEXT;
BEGIN
    FOREACH function_name IN ARRAY ARRAY[
        'factdesk_writes_on_desk_of(BIGINT, TEXT[])', 'factdesk_writes_on_desk_of_claim(BIGINT, TEXT[])',
        'factdesk_scan_writes_claims_of(BIGINT)', 'factdesk_writes_on_desk_of_note(BIGINT)',
        'factdesk_sync_document_comments(BIGINT, TEXT, TEXT)'
    ]
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', function_name, current_schema());
    END LOOP;
END;
$$;
-- Booleans about the login asking, asked by the policies for every login (a login in no group too), as 0024's.
GRANT EXECUTE ON FUNCTION factdesk_writes_on_desk_of(BIGINT, TEXT[]), factdesk_writes_on_desk_of_claim(BIGINT, TEXT[]),
    factdesk_scan_writes_claims_of(BIGINT), factdesk_writes_on_desk_of_note(BIGINT) TO PUBLIC;
