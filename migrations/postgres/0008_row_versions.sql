-- The team store's counterpart of SQLite's 0018_row_versions.sql: a version per row for compare-and-set (see that
-- migration). On a team store two people saving at once is the everyday case this guards.
ALTER TABLE claims ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE notes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE editor_notes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
