-- Issue 14: the comments a .docx or .odt draft carries (Word comments, ODF annotations), kept as
-- read-only notes of the draft. The file stays the truth while it holds a comment; the row is what
-- lets a comment that a later save no longer holds show as resolved (removed) instead of vanishing.
-- A comment is known by its author, date and text (`comment_key`, SHA-256): Word renumbers its
-- comment ids on every save.
CREATE TABLE document_comments (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    comment_key     TEXT NOT NULL,
    author          TEXT NOT NULL,
    written_at      TEXT,                    -- as the document gives it
    body            TEXT NOT NULL,
    -- The span commented, as a claim's TextQuoteSelector: the exact text and up to 32 code points
    -- of context either side, on the version the comment was last seen in.
    quote_exact     TEXT NOT NULL,
    quote_prefix    TEXT NOT NULL,
    quote_suffix    TEXT NOT NULL,
    resolved        INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
    removed_at      TEXT,                    -- when a save of the document no longer held it
    first_seen_at   TEXT NOT NULL,
    UNIQUE (draft_id, comment_key)
);
