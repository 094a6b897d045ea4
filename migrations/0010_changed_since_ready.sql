-- Verdicts follow the text: the version a draft was on when its workflow
-- status last changed, so an edit after it was marked ready can be checked.
-- NULL for statuses recorded before this migration.
ALTER TABLE draft_workflow ADD COLUMN version_id INTEGER REFERENCES draft_versions(id) ON DELETE SET NULL;

-- What the text changes since a draft was marked ready (or published) did to
-- its review: one row per draft, for the last version checked. `changes` is a
-- JSON array of {kind, claim, message}; an empty array means the version was
-- checked and nothing that matters changed. A reviewer marking the draft
-- ready (or published) again clears it.
CREATE TABLE draft_changes_since_ready (
    draft_id     INTEGER PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
    version_id   INTEGER NOT NULL REFERENCES draft_versions(id) ON DELETE CASCADE,
    status_was   TEXT NOT NULL CHECK (status_was IN ('ready', 'published', 'updated')),
    changes      TEXT NOT NULL,
    reopened     INTEGER NOT NULL DEFAULT 0 CHECK (reopened IN (0, 1)),
    detected_at  TEXT NOT NULL
);
