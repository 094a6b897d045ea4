#!/usr/bin/env bash
# Issue 13: what the team store's row-level security costs a login reading a big store, before and after a
# migration of the read policies: BENCH_MIGRATION, by default migrations/postgres/0033_reads_per_desk.sql (reads per
# desk; BENCHMARKS.md's 0025 figures were taken with 0025_rights_per_query.sql, on the tree that ended there). Runs on
# a throwaway cluster, niced: the machine is shared.
#
#   nice -n 10 scripts/pg-test-cluster.sh run scripts/bench-team-rls.sh [ROUNDS] [TRANSACTIONS]
#
# Environment (optional): BENCH_DESKS (10), BENCH_DRAFTS per desk (1,000), BENCH_CLAIMS per draft (5);
# BENCH_CLIENT, a command prefix for the measured client (e.g. `chrt -f 50`: pgbench then takes a core ahead of
# other work on a shared machine; the server's backends are not raised).
#
# The store: BENCH_DESKS desks of BENCH_DRAFTS drafts each, in 20 reporters' folders (`r0/…` to `r19/…`), each
# draft with BENCH_CLAIMS claims (each placed on the draft's version), a note on every claim (one in ten private)
# and on every draft, the first claim of each draft attributed to a source; every desk has people: the store's
# owner (admin), the 20 reporters, an editor `ed` and a lawyer `lou`. Made by SQL as the owner after every
# migration but BENCH_MIGRATION (database `bench_rls_before`), then copied (`CREATE DATABASE … TEMPLATE`) and given
# it (`bench_rls_after`): the same rows in both. Logins: `r0` (a reporter: their drafts are 1 in 20 of each desk),
# `lou` (a lawyer: every claim, and private notes) and `ed` (an editor).
#
# Each round times with pgbench, in each database (the order alternating round by round, so the machine's load
# falls on both alike), as each login:
# - `window`: what the window reads to open one draft (crates/core/src/store: its text, `claims_of_draft`,
#   `anchors_at_version`, `attributed_source_kinds_of_draft`, the draft's notes, a claim's notes and evidence),
#   a draft the login may open chosen at random each transaction: TRANSACTIONS × 20 transactions;
# - `desk`: desk-wide reads of desk 1 (the dashboard's `claim_status_counts_of_desk`, a desk report's claims and
#   notes, a search for a word in every claim): TRANSACTIONS transactions;
# and prints the mean latency of each; then EXPLAIN (ANALYZE) of the claims listings as the reporter.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${FACTDESK_TEST_POSTGRES:?run it through scripts/pg-test-cluster.sh run}
rounds=${1:-3}
transactions=${2:-5}
desks=${BENCH_DESKS:-10}
drafts_per_desk=${BENCH_DRAFTS:-1000}
claims_per_draft=${BENCH_CLAIMS:-5}
client=${BENCH_CLIENT:-}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -rV | head -1)
server=${base%/*}
url_as() { echo "${server/\/\/factdesk@/\/\/$1@}/$2"; }
before=bench_rls_before
after=bench_rls_after
rights_migration=${BENCH_MIGRATION:-migrations/postgres/0033_reads_per_desk.sql}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_as() { "$bin/psql" -qX -v ON_ERROR_STOP=1 "$@"; }

psql_as "$base" -c "DROP DATABASE IF EXISTS $before" -c "DROP DATABASE IF EXISTS $after" -c "CREATE DATABASE $before"
owner=$(url_as factdesk $before)
# The migrations as `team init` applies them (crates/core/src/store/postgres.rs), its bookkeeping table first.
psql_as "$owner" -c "CREATE TABLE schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)"
for migration in migrations/postgres/[0-9]*.sql; do
  [ "$migration" = "$rights_migration" ] && continue
  psql_as -1 "$owner" -f "$migration" >/dev/null
done

started=$(date +%s)
psql_as "$owner" -v desks="$desks" -v per_desk="$drafts_per_desk" -v claims="$claims_per_draft" <<'SQL'
INSERT INTO desks (id, path, created_at, last_opened_at)
    SELECT k, '/desk' || k, 'x', 'x' FROM generate_series(1, :desks) k;
INSERT INTO drafts (id, desk_id, path, title, state, created_at, updated_at)
    SELECT d, (d - 1) / :per_desk + 1, 'r' || (d % 20) || '/story-' || d || '.md', 'Story ' || d, 'ok', 'x', 'x'
    FROM generate_series(1, :desks * :per_desk) d;
INSERT INTO draft_versions (id, draft_id, content_hash, text, blocks, words, first_seen_at)
    SELECT d, d, encode(sha256(convert_to('The mayor spent 5 million on the bridge.', 'UTF8')), 'hex'),
           'The mayor spent 5 million on the bridge.', '[]', 8, 'x'
    FROM generate_series(1, :desks * :per_desk) d;
UPDATE drafts SET current_version_id = id;
INSERT INTO claims (id, draft_id, exact, prefix, suffix, start, "end", version_id, created_by, created_at,
                    updated_by, updated_at)
    SELECT (d - 1) * :claims + c, d, 'The mayor spent ' || c || ' million', '', '', 0, 20, d, 'owner', 'x', 'owner', 'x'
    FROM generate_series(1, :desks * :per_desk) d, generate_series(1, :claims) c;
INSERT INTO claim_anchors (claim_id, version_id, state, start, "end", confidence, candidates, computed_at)
    SELECT id, version_id, 'anchored', 0, 20, 1.0, '[]', 'x' FROM claims;
INSERT INTO sources (id, desk_id, kind, descriptor, created_by, created_at, updated_by, updated_at)
    SELECT k, k, 'document', 'the council minutes', 'owner', 'x', 'owner', 'x' FROM generate_series(1, :desks) k;
INSERT INTO claim_sources (claim_id, source_id, role, linked_by, linked_at)
    SELECT c.id, d.desk_id, 'attributed', 'owner', 'x' FROM claims c JOIN drafts d ON d.id = c.draft_id
    WHERE (c.id - 1) % :claims = 0;
INSERT INTO notes (claim_id, text, author, created_at, private)
    SELECT id, 'Who else was there? ' || id, 'owner', 'x', id % 10 = 0 FROM claims;
INSERT INTO notes (draft_id, text, author, created_at) SELECT id, 'Hold until Friday.', 'owner', 'x' FROM drafts;
DO $$
BEGIN
    -- Logins are the whole server's: made once, kept by the second database.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'r0') THEN CREATE ROLE r0 LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lou') THEN CREATE ROLE lou LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ed') THEN CREATE ROLE ed LOGIN; END IF;
END;
$$;
GRANT factdesk_reporter TO r0;
GRANT factdesk_lawyer TO lou;
GRANT factdesk_editor TO ed;
INSERT INTO people (desk_id, name, role, added_by, added_at)
    SELECT k, p.name, p.role, 'x', 'x' FROM generate_series(1, :desks) k,
        (SELECT 'factdesk' AS name, 'admin' AS role UNION ALL SELECT 'ed', 'editor' UNION ALL SELECT 'lou', 'lawyer'
         UNION ALL SELECT 'r' || r, 'reporter' FROM generate_series(0, 19) r) p;
ANALYZE;
SQL
psql_as "$base" -c "CREATE DATABASE $after TEMPLATE $before"
# On a tree without the migration (main, for a baseline) both databases are the same: the figures then give the noise.
if [ -f "$rights_migration" ]; then
  psql_as -1 "$(url_as factdesk $after)" -f "$rights_migration" >/dev/null
  psql_as "$(url_as factdesk $after)" -c ANALYZE
fi
variants="$before $after"
echo "store made in $(($(date +%s) - started)) s: $desks desks x $drafts_per_desk drafts x $claims_per_draft claims"

drafts=$((desks * drafts_per_desk))
note_columns="id, claim_id, draft_id, reply_to, text, author, created_at, edited_at, resolved_by, resolved_at, private, version"
window_sql() { # first draft id expression -> the window's reads of one draft
  cat <<SQL
\\set d $1
\\set c (:d - 1) * $claims_per_draft + 1
SELECT id, draft_id, content_hash, text, blocks, words, first_seen_at FROM draft_versions WHERE id = :d;
SELECT id, draft_id, status, exact, prefix, suffix, start, "end", version_id, created_by, created_at, updated_by,
       updated_at, attribution, attribution_cue, version
    FROM claims WHERE draft_id = :d AND removed_at IS NULL ORDER BY id;
SELECT claim_id, version_id, state, start, "end", confidence, candidates, quote_now, computed_at, resolved_by,
       resolved_at
    FROM claim_anchors WHERE version_id = :d AND EXISTS
        (SELECT 1 FROM claims c WHERE c.id = claim_anchors.claim_id AND c.removed_at IS NULL) ORDER BY claim_id;
SELECT cs.claim_id, s.kind FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
    JOIN claims c ON c.id = cs.claim_id
    WHERE c.draft_id = :d AND c.removed_at IS NULL AND cs.role = 'attributed' AND cs.removed_at IS NULL
      AND s.removed_at IS NULL ORDER BY cs.claim_id, cs.linked_at, cs.source_id;
SELECT $note_columns FROM notes WHERE draft_id = :d AND removed_at IS NULL ORDER BY coalesce(reply_to, id), id;
SELECT $note_columns FROM notes WHERE claim_id = :c AND removed_at IS NULL ORDER BY coalesce(reply_to, id), id;
SELECT id, claim_id, kind, reference FROM evidence WHERE claim_id = :c AND removed_at IS NULL ORDER BY id;
SQL
}
# The reporter r0's drafts are those in folder r0/: ids that are multiples of 20.
window_sql "20 * random(1, $((drafts / 20)))" >"$work/window-r0.sql"
window_sql "random(1, $drafts)" >"$work/window-lou.sql"
cp "$work/window-lou.sql" "$work/window-ed.sql"
cat >"$work/desk.sql" <<SQL
SELECT c.draft_id, c.status, COUNT(*) FROM claims c JOIN drafts d ON d.id = c.draft_id
    WHERE d.desk_id = 1 AND c.removed_at IS NULL GROUP BY c.draft_id, c.status;
SELECT c.id, c.draft_id, c.status, c.exact FROM claims c JOIN drafts d ON d.id = c.draft_id
    WHERE d.desk_id = 1 AND c.removed_at IS NULL ORDER BY c.draft_id, c.id;
SELECT n.id, n.claim_id, n.draft_id, n.text FROM notes n LEFT JOIN claims c ON c.id = n.claim_id
    JOIN drafts d ON d.id = coalesce(n.draft_id, c.draft_id)
    WHERE d.desk_id = 1 AND n.removed_at IS NULL ORDER BY n.id;
WITH q AS (SELECT search_query('[{"text": "mayor", "prefix": false, "excluded": false}]') AS query)
SELECT e.kind, e.item_id, e.claim_id, e.draft_id, d.path, -ts_rank_cd(e.words, q.query) AS score
    FROM q JOIN search_entries e ON e.words @@ q.query
    LEFT JOIN claims c ON c.id = e.claim_id LEFT JOIN drafts d ON d.id = e.draft_id
    WHERE e.kind <> 'draft' AND e.desk_id = 1 ORDER BY score, e.kind, e.item_id LIMIT 50;
SQL
for login in r0 lou ed; do cp "$work/desk.sql" "$work/desk-$login.sql"; done

# Both databases must give each login the same rows, or the figures compare different work.
for login in r0 lou ed; do
  for table in claims notes claim_anchors claim_sources search_entries; do
    counts=""
    for db in $variants; do
      counts+="$("$bin/psql" -qXAt "$(url_as "$login" "$db")" -c "SELECT count(*) FROM $table") "
    done
    set -- $counts
    if [ "$1" != "$2" ]; then
      echo "rows differ for $login on $table: $before $1, $after $2" >&2
      exit 1
    fi
    echo "$login sees $1 rows of $table in both"
  done
done

declare -A total
measure() { # database login listing -> mean latency in ms
  local count=$transactions
  [ "$3" = window ] && count=$((transactions * 20))
  $client "$bin/pgbench" -n -t "$count" -f "$work/$3-$2.sql" "$(url_as "$2" "$1")" 2>/dev/null |
    awk '/latency average/ {print $4}'
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="$before $after"; else order="$after $before"; fi
  for db in $order; do
    for login in r0 lou ed; do
      for listing in window desk; do
        ms=$(measure "$db" "$login" "$listing")
        echo "round $round $db $login $listing ${ms} ms"
        total[$db/$login/$listing]+="$ms "
      done
    done
  done
done

echo
echo "mean latency per transaction (ms), $rounds rounds, databases alternating (load: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%-6s %-7s %12s %12s %8s\n' login listing before after change
for login in r0 lou ed; do
  for listing in window desk; do
    b=$(echo "${total[$before/$login/$listing]}" | awk '{for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF}')
    a=$(echo "${total[$after/$login/$listing]}" | awk '{for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF}')
    change=$(awk -v a="$b" -v b="$a" 'BEGIN {printf "%+.0f%%", (b - a) / a * 100}')
    printf '%-6s %-7s %12s %12s %8s\n' "$login" "$listing" "$b" "$a" "$change"
  done
done

for db in $variants; do
  echo
  echo "== EXPLAIN ANALYZE in $db, as r0: one draft's claims, then desk 1's claims"
  "$bin/psql" -qX "$(url_as r0 "$db")" \
    -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM claims WHERE draft_id = 20 AND removed_at IS NULL" \
    -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT c.id FROM claims c JOIN drafts d ON d.id = c.draft_id
        WHERE d.desk_id = 1 AND c.removed_at IS NULL" |
    grep -E 'Filter|SubPlan|InitPlan|Execution Time|Scan|rows=' | head -24
done
psql_as "$base" -c "DROP DATABASE $after" -c "DROP DATABASE $before"
