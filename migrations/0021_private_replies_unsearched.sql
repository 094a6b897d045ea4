-- A reply is as private as its thread (it may quote or name what the private note said): the search index
-- (0014_search) left out private notes but indexed the replies to them. Threads are flat: a reply's `reply_to`
-- is the thread's first note. The note triggers are made again with that condition, the claim's restore too,
-- a change of a thread's privacy re-indexes its replies, and the replies indexed so far leave the index.
DROP TRIGGER search_notes_insert;
CREATE TRIGGER search_notes_insert AFTER INSERT ON notes
WHEN new.removed_at IS NULL AND new.private = 0
BEGIN
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 1, new.text, 'note', new.id, c.id, d.id, d.desk_id
        FROM drafts d LEFT JOIN claims c ON c.id = new.claim_id
        WHERE d.id = coalesce(new.draft_id, c.draft_id) AND (new.claim_id IS NULL OR c.removed_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM notes t WHERE t.id = new.reply_to AND t.private = 1);
END;

DROP TRIGGER search_notes_update;
CREATE TRIGGER search_notes_update AFTER UPDATE OF text, private, removed_at ON notes
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 1, new.text, 'note', new.id, c.id, d.id, d.desk_id
        FROM drafts d LEFT JOIN claims c ON c.id = new.claim_id
        WHERE d.id = coalesce(new.draft_id, c.draft_id) AND (new.claim_id IS NULL OR c.removed_at IS NULL)
          AND new.removed_at IS NULL AND new.private = 0
          AND NOT EXISTS (SELECT 1 FROM notes t WHERE t.id = new.reply_to AND t.private = 1);
END;

CREATE TRIGGER search_note_thread_privacy AFTER UPDATE OF private ON notes
WHEN old.private <> new.private
BEGIN
    DELETE FROM search_items WHERE rowid IN (SELECT r.id * 4 + 1 FROM notes r WHERE r.reply_to = new.id);
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT r.id * 4 + 1, r.text, 'note', r.id, c.id, d.id, d.desk_id
        FROM notes r LEFT JOIN claims c ON c.id = r.claim_id JOIN drafts d ON d.id = coalesce(r.draft_id, c.draft_id)
        WHERE r.reply_to = new.id AND new.private = 0 AND r.removed_at IS NULL AND r.private = 0
          AND (r.claim_id IS NULL OR c.removed_at IS NULL);
END;

DROP TRIGGER search_claims_removal;
CREATE TRIGGER search_claims_removal AFTER UPDATE OF removed_at ON claims
WHEN (old.removed_at IS NULL) <> (new.removed_at IS NULL)
BEGIN
    DELETE FROM search_items WHERE rowid IN (SELECT id * 4 + 2 FROM evidence WHERE claim_id = new.id);
    DELETE FROM search_items WHERE rowid IN (SELECT id * 4 + 1 FROM notes WHERE claim_id = new.id);
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT e.id * 4 + 2, e.summary || char(10) || e.reference, 'evidence', e.id, new.id, new.draft_id, d.desk_id
        FROM evidence e JOIN drafts d ON d.id = new.draft_id
        WHERE e.claim_id = new.id AND e.removed_at IS NULL AND new.removed_at IS NULL;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT n.id * 4 + 1, n.text, 'note', n.id, new.id, new.draft_id, d.desk_id
        FROM notes n JOIN drafts d ON d.id = new.draft_id
        WHERE n.claim_id = new.id AND n.removed_at IS NULL AND n.private = 0 AND new.removed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM notes t WHERE t.id = n.reply_to AND t.private = 1);
END;

DELETE FROM search_items
WHERE rowid IN (SELECT r.id * 4 + 1 FROM notes r JOIN notes t ON t.id = r.reply_to WHERE t.private = 1);
