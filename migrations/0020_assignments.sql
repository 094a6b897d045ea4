-- Assignments, mentions and the inbox (issue 13). A claim, or a whole draft, is assigned to one person at a time,
-- with an optional due date (YYYY-MM-DD); reassigning or unassigning marks the live row ended (who, when) rather
-- than deleting it, so who had it before stays readable. People are stored by name: the name a person reviews
-- under (on a team store, their database login).
CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    claim_id     INTEGER REFERENCES claims(id) ON DELETE CASCADE,
    draft_id     INTEGER REFERENCES drafts(id) ON DELETE CASCADE,
    assignee     TEXT NOT NULL CHECK (length(trim(assignee)) > 0),
    due          TEXT,
    assigned_by  TEXT NOT NULL,
    assigned_at  TEXT NOT NULL,
    ended_by     TEXT,
    ended_at     TEXT,
    CHECK ((claim_id IS NULL) <> (draft_id IS NULL))
);
-- One live assignment per claim and per draft.
CREATE UNIQUE INDEX assignments_live_claim ON assignments(claim_id) WHERE claim_id IS NOT NULL AND ended_at IS NULL;
CREATE UNIQUE INDEX assignments_live_draft ON assignments(draft_id) WHERE draft_id IS NOT NULL AND ended_at IS NULL;
CREATE INDEX assignments_by_assignee ON assignments(assignee) WHERE ended_at IS NULL;

-- A person's inbox: an assignment made to them, or a note that mentions them (`@name`). `draft_id` is the draft
-- the entry opens (a claim's own draft); `claim_id` is set when it is about one claim.
CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    person        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('assignment', 'mention')),
    draft_id      INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    claim_id      INTEGER REFERENCES claims(id) ON DELETE CASCADE,
    assignment_id INTEGER REFERENCES assignments(id) ON DELETE CASCADE,
    note_id       INTEGER REFERENCES notes(id) ON DELETE CASCADE,
    from_person   TEXT NOT NULL,
    at            TEXT NOT NULL,
    read_at       TEXT
);
CREATE INDEX inbox_by_person ON inbox(person, id);
