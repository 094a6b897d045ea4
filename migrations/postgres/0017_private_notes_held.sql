-- Private notes, and the replies in their threads, held by the server (issue 13): rights.rs gives them to the
-- editors, standards editors and the lawyer ("read private notes (and the replies in their threads)"), and
-- `Review::notes` leaves them out for reporters and admins; but 0007's policy on `notes` let a reporter's login
-- read the private notes of their own drafts, and an admin's every one. A reply is as private as its thread (it
-- may quote or name what the private note said); threads are flat, a reply's `reply_to` is the thread's first
-- note. Writing a private note, or a reply in a private thread, is theirs as well (the core asks the same).
-- An edited note's earlier texts (`note_edits`) follow the note through 0013's policy, which reads `notes` as
-- the login asking; the search index never held them (0005, 0013).

-- Whether `note` is private or replies in a private thread. A policy on `notes` cannot read `notes` as the
-- login asking (its own policy would ask again, without end): this runs as the tables' owner, to whom row-level
-- security does not apply, and answers only this boolean. Its names are looked up in this schema, never in a
-- login's temporary one (pg_temp last, as 0013 and 0016).
CREATE FUNCTION factdesk_note_thread_private(note BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (SELECT 1 FROM notes n LEFT JOIN notes t ON t.id = n.reply_to
                   WHERE n.id = note AND (n.private OR coalesce(t.private, FALSE)))
$$;

-- Whether the current login may read the private notes of a draft: a login in neither the reporter nor the admin
-- group (the store's owner, the editors, standards editors and lawyers), a desk without people (as before people
-- existed), or an editor, standards editor or lawyer of the draft's desk (group membership is the whole server's;
-- the role on this desk comes from `people`, as 0007's functions do). Invoker's rights: it asks who is asking.
CREATE FUNCTION factdesk_may_read_private_notes(draft BIGINT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT NOT (pg_has_role(current_user, 'factdesk_reporter', 'MEMBER')
                OR pg_has_role(current_user, 'factdesk_admin', 'MEMBER'))
        OR factdesk_desk_without_people(draft)
        OR EXISTS (SELECT 1 FROM drafts d JOIN people p ON p.desk_id = d.desk_id
                   WHERE d.id = draft AND p.name = current_user
                     AND p.role IN ('editor', 'standards-editor', 'lawyer'))
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION factdesk_note_thread_private(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION factdesk_may_read_private_notes(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
END;
$$;
GRANT EXECUTE ON FUNCTION factdesk_note_thread_private(BIGINT), factdesk_may_read_private_notes(BIGINT)
    TO factdesk_reporter, factdesk_editor, factdesk_standards_editor, factdesk_lawyer, factdesk_admin;

-- On top of 0007's policy (the notes of the claims and drafts the login sees), which still decides alone for
-- public threads: restrictive, so both must pass, for reading and for writing (a private note, a reply in a
-- private thread, or making a note private). The draft of a claim's note is read as the login sees the claim;
-- a claim it does not see already hides the note through 0007's policy.
CREATE POLICY notes_private_to_their_readers ON notes AS RESTRICTIVE
    USING ((NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
           OR factdesk_may_read_private_notes(coalesce(draft_id, (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))))
    WITH CHECK ((NOT private AND (reply_to IS NULL OR NOT factdesk_note_thread_private(reply_to)))
                OR factdesk_may_read_private_notes(coalesce(draft_id,
                                                            (SELECT c.draft_id FROM claims c WHERE c.id = claim_id))));
