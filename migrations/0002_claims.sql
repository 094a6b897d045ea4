-- Claims: spans of a draft the reviewer tagged, anchored with W3C Web
-- Annotation selectors (TextQuoteSelector + TextPositionSelector, code points)
-- against the version they were made on.
CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'needs-corroboration'
                    CHECK (status IN ('needs-corroboration', 'corroborated', 'disputed', 'unverifiable', 'cleared')),
    exact           TEXT NOT NULL,
    prefix          TEXT NOT NULL,
    suffix          TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    version_id      INTEGER NOT NULL REFERENCES draft_versions(id),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX claims_by_draft ON claims(draft_id);

-- Every status a claim has had: who set it and when.
CREATE TABLE claim_status_changes (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    previous    TEXT,
    status      TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX claim_status_changes_by_claim ON claim_status_changes(claim_id);

-- Where a claim sits in each version of its draft: its anchor history.
CREATE TABLE claim_anchors (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    version_id  INTEGER NOT NULL REFERENCES draft_versions(id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('anchored', 'moved', 'fuzzy', 'ambiguous', 'orphaned')),
    start       INTEGER,
    end         INTEGER,
    confidence  REAL NOT NULL,
    candidates  TEXT NOT NULL,      -- JSON array of {start, end, score}
    quote_now   TEXT,               -- the text at start..end in this version
    computed_at TEXT NOT NULL,
    UNIQUE (claim_id, version_id)
);
