-- Watched folders. `path` is the canonical absolute path of the folder.
CREATE TABLE desks (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    last_opened_at  TEXT NOT NULL
);

-- One row per draft file a desk has seen. A draft keeps its id across
-- renames, moves and deletions (`missing`), so reviews attached to it follow.
CREATE TABLE drafts (
    id                  INTEGER PRIMARY KEY,
    desk_id             INTEGER NOT NULL REFERENCES desks(id) ON DELETE CASCADE,
    path                TEXT NOT NULL,           -- relative to the desk, '/' separated
    title               TEXT NOT NULL,
    format              TEXT,                    -- markdown | text | html
    state               TEXT NOT NULL CHECK (state IN ('ok', 'warning', 'skipped')),
    reason              TEXT,
    words               INTEGER NOT NULL DEFAULT 0,
    missing             INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
    current_version_id  INTEGER REFERENCES draft_versions(id),
    file_size           INTEGER,
    file_modified_ns    INTEGER,                 -- to skip re-reading unchanged files on a re-scan
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (desk_id, path)
);

-- Every distinct content a draft has had, once.
CREATE TABLE draft_versions (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    content_hash    TEXT NOT NULL,
    text            TEXT NOT NULL,
    blocks          TEXT NOT NULL,               -- JSON array of {kind, level, start, end}
    words           INTEGER NOT NULL,
    first_seen_at   TEXT NOT NULL,
    UNIQUE (draft_id, content_hash)
);

CREATE INDEX draft_versions_by_hash ON draft_versions(content_hash);

-- Small key/value settings (last opened desk, reviewer name).
CREATE TABLE settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
