-- Placeholder for a parallel branch's 0044, only so this branch builds (migrations are numbered without gaps):
-- the lead drops this file and its line in applied.sha256 at the merge.
SELECT 1;
