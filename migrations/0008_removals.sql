-- Removal is soft: a removed claim, evidence item, source link, source or
-- note keeps its row (and everything hanging from it: anchors, status
-- history, links, evidence, notes) with who removed it and when, so that
-- restoring it brings back exactly what was there. Every query that lists
-- these skips rows with `removed_at` set.
ALTER TABLE claims ADD COLUMN removed_at TEXT;
ALTER TABLE claims ADD COLUMN removed_by TEXT;
ALTER TABLE evidence ADD COLUMN removed_at TEXT;
ALTER TABLE evidence ADD COLUMN removed_by TEXT;
ALTER TABLE sources ADD COLUMN removed_at TEXT;
ALTER TABLE sources ADD COLUMN removed_by TEXT;
ALTER TABLE claim_sources ADD COLUMN removed_at TEXT;
ALTER TABLE claim_sources ADD COLUMN removed_by TEXT;
ALTER TABLE notes ADD COLUMN removed_at TEXT;
ALTER TABLE notes ADD COLUMN removed_by TEXT;
-- What a row was removed along with (`source:N` for a link removed with its
-- source, `note:N` for a reply removed with its thread): restoring that
-- brings back exactly these, and not what was removed on its own.
ALTER TABLE claim_sources ADD COLUMN removed_with TEXT;
ALTER TABLE notes ADD COLUMN removed_with TEXT;
