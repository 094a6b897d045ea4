-- The team store's counterpart of SQLite's 0016_unread_drafts.sql: a draft recorded by a lazy first scan holds
-- the BLAKE3 hash of its file's bytes until its text is first read and stored (see that migration).
ALTER TABLE drafts ADD COLUMN unread_hash TEXT;
