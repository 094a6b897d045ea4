-- The published record held the draft's private notes, and the replies in their threads, marked `"private":true`
-- (review session 10, finding 15): the draft's reporter and the desk's admin read the record, and what it is kept
-- for, an update's changes since publication, never lists a private note. Factdesk writes none into it now; this
-- takes them out of the records written before. A note is an element of the record's `notes` (the draft's) or of a
-- claim's `notes`, the only arrays of that name; it leaves one per step until none is left. SQLite's JSON functions
-- keep the rest of the text as it was, byte for byte (the record is minified JSON; strings and numbers keep their
-- written form). Nothing hashes or signs the record: the audit trail records the move to published, not the record.
WITH RECURSIVE cleaned(id, record, private_note) AS (
    SELECT id, record,
           (SELECT t.fullkey FROM json_tree(record) t
            WHERE t.type = 'object' AND t.path LIKE '%.notes' AND json_extract(t.value, '$.private') = 1 LIMIT 1)
    FROM published_reviews
    UNION ALL
    SELECT id, json_remove(record, private_note),
           (SELECT t.fullkey FROM json_tree(json_remove(record, private_note)) t
            WHERE t.type = 'object' AND t.path LIKE '%.notes' AND json_extract(t.value, '$.private') = 1 LIMIT 1)
    FROM cleaned
    WHERE private_note IS NOT NULL
)
UPDATE published_reviews
SET record = (SELECT c.record FROM cleaned c WHERE c.id = published_reviews.id AND c.private_note IS NULL)
WHERE id IN (SELECT id FROM cleaned WHERE private_note IS NOT NULL);
