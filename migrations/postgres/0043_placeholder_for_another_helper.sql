-- Placeholder (branch auditcommit): number 0043 belongs to another helper's migration, merged before this
-- branch's 0044; migrations must be numbered without gaps, so this stands in for it until the merge, which drops
-- this file (and its applied.sha256 line) for theirs. It changes nothing.
SELECT 1;
