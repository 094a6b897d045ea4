-- Full-text search (issue 15): SQLite FTS5 over what a reviewer looks for. Triggers keep the index in
-- step with every change, inside the transaction that makes it, so the index can never lag behind or
-- drift from the rows (a crash rolls back both).
--
-- What is indexed: each draft's current text; each claim's quote; each note that is not private; each
-- evidence item's summary and reference; each source's descriptor. Never a confidential field (those
-- live in source_confidential and source_sealed, which no trigger here reads), never a private note.
-- What is removed (or hangs from a removed claim) leaves the index; restored, it comes back.
--
-- Tokenizer: unicode61 with its default separators and remove_diacritics 2, so "é" finds "e" and
-- punctuation splits tokens: "$1.2bn" is indexed as "1" "2bn", "U.S." as "u" "s", "No. 4" as "no" "4".
-- crates/core/src/search.rs turns a query term into a phrase of the same tokens, so the figure's parts
-- must be adjacent and in order. Why this tokenizer is said there.

-- Draft text: an external-content index over the current version of each draft, so the ~100 MB of a
-- big desk's text is not stored twice; rowid = the draft's id.
CREATE VIEW search_draft_text AS
    SELECT d.id AS draft_id, v.text AS body
    FROM drafts d JOIN draft_versions v ON v.id = d.current_version_id;

CREATE VIRTUAL TABLE search_drafts USING fts5(
    body,
    content = 'search_draft_text',
    content_rowid = 'draft_id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- External content: removing a document needs the exact text it was indexed with, which is the
-- version the draft pointed at (versions are never edited in place).
CREATE TRIGGER search_drafts_insert AFTER INSERT ON drafts
WHEN new.current_version_id IS NOT NULL
BEGIN
    INSERT INTO search_drafts (rowid, body)
        SELECT new.id, text FROM draft_versions WHERE id = new.current_version_id;
END;

CREATE TRIGGER search_drafts_update AFTER UPDATE OF current_version_id ON drafts
WHEN old.current_version_id IS NOT new.current_version_id
BEGIN
    INSERT INTO search_drafts (search_drafts, rowid, body)
        SELECT 'delete', old.id, text FROM draft_versions WHERE id = old.current_version_id;
    INSERT INTO search_drafts (rowid, body)
        SELECT new.id, text FROM draft_versions WHERE id = new.current_version_id;
END;

-- BEFORE: the draft's versions go with it (ON DELETE CASCADE), and their text is needed first.
CREATE TRIGGER search_drafts_delete BEFORE DELETE ON drafts
BEGIN
    INSERT INTO search_drafts (search_drafts, rowid, body)
        SELECT 'delete', old.id, text FROM draft_versions WHERE id = old.current_version_id;
END;

-- Claims, notes, evidence and sources: short texts, kept in one index so one query ranks them
-- together. rowid = id * 4 + kind (0 claim, 1 note, 2 evidence, 3 source), so a trigger finds an
-- item's entry without a lookup. claim_id and draft_id say what the item hangs from (for filters).
CREATE VIRTUAL TABLE search_items USING fts5(
    body,
    kind UNINDEXED,
    item_id UNINDEXED,
    claim_id UNINDEXED,
    draft_id UNINDEXED,
    desk_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER search_claims_insert AFTER INSERT ON claims
WHEN new.removed_at IS NULL
BEGIN
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4, new.exact, 'claim', new.id, new.id, new.draft_id, d.desk_id
        FROM drafts d WHERE d.id = new.draft_id;
END;

CREATE TRIGGER search_claims_update AFTER UPDATE OF exact, removed_at ON claims
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4, new.exact, 'claim', new.id, new.id, new.draft_id, d.desk_id
        FROM drafts d WHERE d.id = new.draft_id AND new.removed_at IS NULL;
END;

-- A removed claim keeps its evidence and notes (they come back with it): they leave the index with it.
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
        WHERE n.claim_id = new.id AND n.removed_at IS NULL AND n.private = 0 AND new.removed_at IS NULL;
END;

CREATE TRIGGER search_claims_delete AFTER DELETE ON claims
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4;
END;

CREATE TRIGGER search_evidence_insert AFTER INSERT ON evidence
WHEN new.removed_at IS NULL
BEGIN
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 2, new.summary || char(10) || new.reference, 'evidence', new.id, c.id, c.draft_id,
               d.desk_id
        FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE c.id = new.claim_id AND c.removed_at IS NULL;
END;

CREATE TRIGGER search_evidence_update AFTER UPDATE OF summary, reference, removed_at ON evidence
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 2;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 2, new.summary || char(10) || new.reference, 'evidence', new.id, c.id, c.draft_id,
               d.desk_id
        FROM claims c JOIN drafts d ON d.id = c.draft_id
        WHERE c.id = new.claim_id AND c.removed_at IS NULL AND new.removed_at IS NULL;
END;

CREATE TRIGGER search_evidence_delete AFTER DELETE ON evidence
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 2;
END;

-- A note is on a claim (then on that claim's draft) or on a draft.
CREATE TRIGGER search_notes_insert AFTER INSERT ON notes
WHEN new.removed_at IS NULL AND new.private = 0
BEGIN
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 1, new.text, 'note', new.id, c.id, d.id, d.desk_id
        FROM drafts d LEFT JOIN claims c ON c.id = new.claim_id
        WHERE d.id = coalesce(new.draft_id, c.draft_id) AND (new.claim_id IS NULL OR c.removed_at IS NULL);
END;

CREATE TRIGGER search_notes_update AFTER UPDATE OF text, private, removed_at ON notes
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 1, new.text, 'note', new.id, c.id, d.id, d.desk_id
        FROM drafts d LEFT JOIN claims c ON c.id = new.claim_id
        WHERE d.id = coalesce(new.draft_id, c.draft_id) AND (new.claim_id IS NULL OR c.removed_at IS NULL)
          AND new.removed_at IS NULL AND new.private = 0;
END;

CREATE TRIGGER search_notes_delete AFTER DELETE ON notes
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER search_sources_insert AFTER INSERT ON sources
WHEN new.removed_at IS NULL
BEGIN
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        VALUES (new.id * 4 + 3, new.descriptor, 'source', new.id, NULL, NULL, new.desk_id);
END;

CREATE TRIGGER search_sources_update AFTER UPDATE OF descriptor, removed_at ON sources
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 3;
    INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
        SELECT new.id * 4 + 3, new.descriptor, 'source', new.id, NULL, NULL, new.desk_id
        WHERE new.removed_at IS NULL;
END;

CREATE TRIGGER search_sources_delete AFTER DELETE ON sources
BEGIN
    DELETE FROM search_items WHERE rowid = old.id * 4 + 3;
END;

-- What a database from before this migration already holds.
INSERT INTO search_drafts (search_drafts) VALUES ('rebuild');

INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
    SELECT c.id * 4, c.exact, 'claim', c.id, c.id, c.draft_id, d.desk_id
    FROM claims c JOIN drafts d ON d.id = c.draft_id WHERE c.removed_at IS NULL;

INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
    SELECT e.id * 4 + 2, e.summary || char(10) || e.reference, 'evidence', e.id, c.id, c.draft_id, d.desk_id
    FROM evidence e JOIN claims c ON c.id = e.claim_id JOIN drafts d ON d.id = c.draft_id
    WHERE e.removed_at IS NULL AND c.removed_at IS NULL;

INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
    SELECT n.id * 4 + 1, n.text, 'note', n.id, c.id, d.id, d.desk_id
    FROM notes n LEFT JOIN claims c ON c.id = n.claim_id JOIN drafts d ON d.id = coalesce(n.draft_id, c.draft_id)
    WHERE n.removed_at IS NULL AND n.private = 0 AND (n.claim_id IS NULL OR c.removed_at IS NULL);

INSERT INTO search_items (rowid, body, kind, item_id, claim_id, draft_id, desk_id)
    SELECT s.id * 4 + 3, s.descriptor, 'source', s.id, NULL, NULL, s.desk_id
    FROM sources s WHERE s.removed_at IS NULL;
