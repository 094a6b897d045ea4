-- No silent overwrite (issue 13): a version per row of what two people may change at once (a claim's status, a
-- note's text, a source's descriptor and fields, a draft's editor's note). Each such change carries the version the
-- person saw and is refused, with the current value and who changed it, when the row moved since: compare-and-set.
-- A claim's version counts its status changes only (its marks and placement are not compared), so toggling
-- "opinion" never refuses a status someone chose. Existing rows start at 1; a draft with no editor's note row is at 0.
ALTER TABLE claims ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE editor_notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
