#!/usr/bin/env bash
# Issue 13: what the team store's row-level security costs a login listing a big desk's claims and notes, with
# the rights functions' search_path pinned (0016: `SET search_path = schema, pg_temp`, as shipped) against the
# same functions unpinned (what a schema-qualified body without a SET clause would cost). Runs on a throwaway
# cluster, niced: the machine is shared.
#
#   nice -n 10 scripts/pg-test-cluster.sh run scripts/bench-team-rls.sh [ROUNDS] [TRANSACTIONS]
#
# The desk: 200 drafts in 20 reporters' folders, 25 claims each (5,000), a note on every claim (5,000, one in ten
# private) and one on every draft (200), made by SQL as the store's owner after every migration in
# migrations/postgres/. Logins: a reporter (their own 10 drafts: 250 claims) and an editor (everything). Each
# round times, with pgbench, TRANSACTIONS listings of every claim and of every note as each login, once pinned and
# once unpinned (the order alternating round by round, so the machine's load falls on both alike), and prints the
# mean latency of each. Then EXPLAIN (ANALYZE, VERBOSE) of each listing, to show whether the planner inlined the
# rights functions (an inlined function's body appears in the plan's filter; a called one appears by name).
set -euo pipefail
cd "$(dirname "$0")/.."
base=${FACTDESK_TEST_POSTGRES:?run it through scripts/pg-test-cluster.sh run}
rounds=${1:-4}
transactions=${2:-20}
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -rV | head -1)
server=${base%/*}
url_as() { echo "${server/\/\/factdesk@/\/\/$1@}/bench_rls"; }
owner=$(url_as factdesk)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/psql" -qX -v ON_ERROR_STOP=1 "$base" -c "DROP DATABASE IF EXISTS bench_rls" -c "CREATE DATABASE bench_rls"
# The migrations as `team init` applies them (crates/core/src/store/postgres.rs), its bookkeeping table first.
"$bin/psql" -qX -v ON_ERROR_STOP=1 "$owner" -c "CREATE TABLE schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)"
for migration in migrations/postgres/[0-9]*.sql; do
  "$bin/psql" -qX -v ON_ERROR_STOP=1 -1 "$owner" -f "$migration" >/dev/null
done

"$bin/psql" -qX -v ON_ERROR_STOP=1 "$owner" <<'SQL'
INSERT INTO desks (id, path, created_at, last_opened_at) VALUES (1, '/desk', 'x', 'x');
INSERT INTO drafts (id, desk_id, path, title, state, created_at, updated_at)
    SELECT d, 1, 'r' || (d % 20) || '/story-' || d || '.md', 'Story ' || d, 'ok', 'x', 'x'
    FROM generate_series(1, 200) d;
INSERT INTO draft_versions (id, draft_id, content_hash, text, blocks, words, first_seen_at)
    SELECT d, d, md5(d::text), 'The mayor spent 5 million on the bridge.', '[]', 8, 'x' FROM generate_series(1, 200) d;
UPDATE drafts SET current_version_id = id;
INSERT INTO claims (draft_id, exact, prefix, suffix, start, "end", version_id, created_by, created_at,
                    updated_by, updated_at)
    SELECT d, 'The mayor spent ' || c || ' million', '', '', 0, 20, d, 'owner', 'x', 'owner', 'x'
    FROM generate_series(1, 200) d, generate_series(1, 25) c;
INSERT INTO notes (claim_id, text, author, created_at, private)
    SELECT id, 'Who else was there? ' || id, 'owner', 'x', id % 10 = 0 FROM claims;
INSERT INTO notes (draft_id, text, author, created_at) SELECT id, 'Hold until Friday.', 'owner', 'x' FROM drafts;
CREATE ROLE r0 LOGIN;
GRANT factdesk_reporter TO r0;
CREATE ROLE ed LOGIN;
GRANT factdesk_editor TO ed;
INSERT INTO people (desk_id, name, role, added_by, added_at)
    VALUES (1, 'factdesk', 'admin', 'x', 'x'), (1, 'r0', 'reporter', 'x', 'x'), (1, 'ed', 'editor', 'x', 'x');
ANALYZE;
SQL

# The rights functions the policies on claims and notes call (0007, 0017): pinned as shipped, or not at all.
functions="factdesk_desk_without_people(BIGINT) factdesk_may_see_claims_of(BIGINT) factdesk_may_mark_ready(BIGINT)
           factdesk_may_read_private_notes(BIGINT)"
set_variant() {
  local sql=""
  for f in $functions; do
    if [ "$1" = pinned ]; then
      sql+="ALTER FUNCTION $f SET search_path = public, pg_temp; "
    else
      sql+="ALTER FUNCTION $f RESET search_path; "
    fi
  done
  "$bin/psql" -qX -v ON_ERROR_STOP=1 "$owner" -c "$sql"
}

echo 'SELECT id, draft_id, status, exact FROM claims;' >"$work/claims.sql"
echo 'SELECT id, claim_id, draft_id, text FROM notes;' >"$work/notes.sql"
declare -A total
measure() { # variant login listing -> mean latency in ms
  "$bin/pgbench" -n -t "$transactions" -f "$work/$3.sql" "$(url_as "$2")" 2>/dev/null |
    awk '/latency average/ {print $4}'
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="pinned unpinned"; else order="unpinned pinned"; fi
  for variant in $order; do
    set_variant "$variant"
    for login in r0 ed; do
      for listing in claims notes; do
        ms=$(measure "$variant" "$login" "$listing")
        echo "round $round $variant $login $listing ${ms} ms"
        total[$variant/$login/$listing]+="$ms "
      done
    done
  done
done

echo
echo "mean latency per listing (ms), $rounds rounds x $transactions transactions, variants alternating:"
printf '%-8s %-7s %10s %10s %8s\n' login listing pinned unpinned change
for login in r0 ed; do
  for listing in claims notes; do
    pinned=$(echo "${total[pinned/$login/$listing]}" | awk '{for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF}')
    unpinned=$(echo "${total[unpinned/$login/$listing]}" | awk '{for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF}')
    change=$(awk -v a="$pinned" -v b="$unpinned" 'BEGIN {printf "%+.0f%%", (b - a) / a * 100}')
    printf '%-8s %-7s %10s %10s %8s\n' "$login" "$listing" "$pinned" "$unpinned" "$change"
  done
done

for variant in pinned unpinned; do
  set_variant "$variant"
  for login in r0 ed; do
    for listing in claims notes; do
      echo
      echo "== EXPLAIN, $variant, as $login, $listing"
      "$bin/psql" -qX "$(url_as "$login")" -c "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF) $(cat "$work/$listing.sql")" |
        grep -E 'Filter|SubPlan|Execution Time|Seq Scan|Index|rows=' | head -12
    done
  done
done
"$bin/psql" -qX "$base" -c "DROP DATABASE bench_rls"
