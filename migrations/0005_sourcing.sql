-- Sourcing, corroboration, notes, the editor's note, the draft's workflow and
-- the audit trail (issue 4).

-- The desk's register of sources, reusable across its drafts. Only what may
-- be seen by anyone with the review: the descriptor as published, the kind.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    desk_id     INTEGER NOT NULL REFERENCES desks(id) ON DELETE CASCADE,
    descriptor  TEXT NOT NULL CHECK (length(trim(descriptor)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('named-person', 'unnamed', 'document', 'official-statement',
                                              'public-record', 'media-report', 'social-media', 'other')),
    notes       TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX sources_by_desk ON sources(desk_id);

-- What protects an unnamed source, kept in this one table only so that
-- encryption at rest can wrap it later, and so nothing reads it by accident.
CREATE TABLE source_confidential (
    source_id         INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    identity          TEXT,
    contact           TEXT,
    first_hand        INTEGER CHECK (first_hand IN (0, 1)),
    how_known         TEXT,
    anonymity_reason  TEXT,
    editor_knows      TEXT,
    approved_by       TEXT,
    updated_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- A claim's sources, each with one role.
CREATE TABLE claim_sources (
    claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('attributed', 'corroborates', 'contradicts')),
    linked_by   TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (claim_id, source_id)
);
CREATE INDEX claim_sources_by_source ON claim_sources(source_id);

-- The reviewer marks a claim as opinion: anonymity is not granted for opinion.
ALTER TABLE claims ADD COLUMN opinion INTEGER NOT NULL DEFAULT 0 CHECK (opinion IN (0, 1));

-- Evidence on a claim.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    claim_id      INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('document', 'url', 'interview', 'public-record', 'photo-video', 'dataset')),
    reference     TEXT NOT NULL CHECK (length(trim(reference)) > 0),
    summary       TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    obtained_at   TEXT,
    independent   INTEGER NOT NULL CHECK (independent IN (0, 1)),
    stance        TEXT NOT NULL DEFAULT 'supports' CHECK (stance IN ('supports', 'contradicts')),
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL
);
CREATE INDEX evidence_by_claim ON evidence(claim_id);

-- Comment threads on a claim or on a draft: a note without `reply_to` opens
-- a thread, which is resolved and reopened as a whole.
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    claim_id     INTEGER REFERENCES claims(id) ON DELETE CASCADE,
    draft_id     INTEGER REFERENCES drafts(id) ON DELETE CASCADE,
    reply_to     INTEGER REFERENCES notes(id) ON DELETE CASCADE,
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    edited_at    TEXT,
    resolved_by  TEXT,
    resolved_at  TEXT,
    CHECK ((claim_id IS NULL) <> (draft_id IS NULL))
);
CREATE INDEX notes_by_claim ON notes(claim_id);
CREATE INDEX notes_by_draft ON notes(draft_id);

-- Earlier texts of an edited note.
CREATE TABLE note_edits (
    id          INTEGER PRIMARY KEY,
    note_id     INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    edited_by   TEXT NOT NULL,
    edited_at   TEXT NOT NULL
);
CREATE INDEX note_edits_by_note ON note_edits(note_id);

-- The editor's note the reviewer saved for a draft (one per draft).
CREATE TABLE editor_notes (
    draft_id    INTEGER PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TEXT NOT NULL
);

-- Where a draft stands in its workflow; a draft without a row is in review.
CREATE TABLE draft_workflow (
    draft_id    INTEGER PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('in-review', 'needs-work', 'ready', 'published', 'updated')),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);

-- An editor's decision to go ahead despite sourcing-rule findings, with the
-- findings it covers.
CREATE TABLE rule_overrides (
    id             INTEGER PRIMARY KEY,
    draft_id       INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    overridden_by  TEXT NOT NULL,
    overridden_at  TEXT NOT NULL
);
CREATE TABLE rule_override_findings (
    override_id  INTEGER NOT NULL REFERENCES rule_overrides(id) ON DELETE CASCADE,
    rule         TEXT NOT NULL,
    claim_id     INTEGER,
    source_id    INTEGER
);
CREATE INDEX rule_override_findings_by_override ON rule_override_findings(override_id);

-- The audit trail: every change, hash-chained. `hash` is SHA-256 over the
-- entry's content and `prev_hash`; UNIQUE(prev_hash) keeps the chain from forking.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    prev_hash  TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL
);
