-- As SQLite's 0023: a draft's placements are read by version (`Store::anchors_at_version`: opening a draft, its
-- history, its attribution), and claim_anchors was indexed only by its UNIQUE (claim_id, version_id), so each
-- such read scanned every placement of the store (under row-level security, each row asked its policy too).
CREATE INDEX claim_anchors_by_version ON claim_anchors(version_id);
