-- Suggestions the reviewer dismissed: keyed by the sentence's text, so a
-- dismissed suggestion stays hidden across saves until its sentence changes.
CREATE TABLE suggestion_dismissals (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    sentence_hash   TEXT NOT NULL,
    sentence        TEXT NOT NULL,
    dismissed_by    TEXT NOT NULL,
    dismissed_at    TEXT NOT NULL,
    UNIQUE (draft_id, sentence_hash)
);

-- How the draft attributes a claim, pre-filled when a suggestion is accepted
-- (the cue is the draft's own words, e.g. "Sources tell Strike Source").
ALTER TABLE claims ADD COLUMN attribution TEXT
    CHECK (attribution IS NULL OR attribution IN ('anonymous', 'named', 'document', 'none'));
ALTER TABLE claims ADD COLUMN attribution_cue TEXT;
