-- An override answers the findings of one move to ready. When the writer's
-- edit sends a ready draft back to needs work, the overrides given before it
-- lapse: the findings show as open again, and the override stays here and
-- in the audit trail as history. NULL while the override stands.
ALTER TABLE rule_overrides ADD COLUMN lapsed_at TEXT;
