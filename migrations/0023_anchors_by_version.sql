-- A draft's placements are read by version (`Store::anchors_at_version`: opening a draft, its history, its
-- attribution), but claim_anchors was indexed only by (claim_id, version_id), its UNIQUE constraint: every such
-- read scanned the placements of every claim of the store.
CREATE INDEX claim_anchors_by_version ON claim_anchors(version_id);
