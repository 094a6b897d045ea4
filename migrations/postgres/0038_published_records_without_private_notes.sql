-- The team store's counterpart of SQLite's 0024_published_records_without_private_notes.sql: the published record
-- held the draft's private notes, and the replies in their threads, marked `"private":true` (review session 10,
-- finding 15). Every login that may see the draft's claims reads the record (0033's `published_reviews_seen`), the
-- draft's reporter and the desk's admin too, who may not read private notes (0028); what the record is kept for, an
-- update's changes since publication, never lists one. Factdesk writes none into it now; this takes them out of the
-- records written before. Run by the owner, whom the table's row-level security does not hold.
--
-- The record is `serde_json`'s minified text of crates/core/src/sourcing/publication.rs's `PublishedReview`, kept as
-- TEXT, and every other byte of it stays as it was: read through `jsonb` it would come back with its keys reordered
-- and spaces added. A note is always the object `{"text":"…","author":"…","private":…}`, in that order (the struct's
-- fields), and no other object of the record has those keys; a JSON string holds a `"` only escaped (`\"`), so a
-- match of the pattern below cannot begin or end inside a string. A private note is taken out with the comma that
-- joins it to the next note, else with the one joining it to the note before (the last of its array), else alone
-- (the only one). Nothing hashes or signs the record: the audit trail records the move to published, not the
-- record, and `note_store_write` only tells the other sessions something was written.
DO $$
DECLARE
    private_note CONSTANT TEXT := '\{"text":"(?:[^"\\]|\\.)*","author":"(?:[^"\\]|\\.)*","private":true\}';
BEGIN
    UPDATE published_reviews
    SET record = regexp_replace(
                     regexp_replace(regexp_replace(record, private_note || ',', '', 'g'), ',' || private_note, '', 'g'),
                     private_note, '', 'g')
    WHERE record ~ private_note;
END;
$$;
