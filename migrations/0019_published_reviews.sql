-- Publication freezes the review (issue 13): moving a draft to published keeps its review as it stood (claims and
-- statuses, sources by descriptor, evidence, notes, the editor's note) as the published record, one JSON document
-- written once and never changed. What changes afterwards belongs to an update, whose report compares the review
-- now with this record. Sources are kept by descriptor only: a confidential field never enters it.
CREATE TABLE published_reviews (
    id            INTEGER PRIMARY KEY,
    draft_id      INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    version_id    INTEGER REFERENCES draft_versions(id),
    published_by  TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    record        TEXT NOT NULL
);
CREATE INDEX published_reviews_by_draft ON published_reviews(draft_id);
