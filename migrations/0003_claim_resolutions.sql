-- A reviewer's decision on a placement the re-anchoring could not make with
-- certainty (accepted, chosen among candidates, re-attached, kept detached).
ALTER TABLE claim_anchors ADD COLUMN resolved_by TEXT;
ALTER TABLE claim_anchors ADD COLUMN resolved_at TEXT;
