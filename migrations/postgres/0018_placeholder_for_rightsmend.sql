-- Placeholder, on the auditlog branch only: another helper's branch (rightsmend) writes PostgreSQL migration 0018,
-- and build.rs refuses a gap in the numbers. Drop this file and its line in applied.sha256 at the merge.
SELECT 1;
