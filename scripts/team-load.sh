#!/usr/bin/env bash
# Issue 13's load figures: 10 people x 200 mixed changes on one team store at once (crates/cli/benches/team_load.rs),
# on a throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh), niced: the machine is shared.
#
#   scripts/team-load.sh [--people N] [--changes N]
#
# Prints what was saved and refused, the problems found (exits 1 if any) and p50/p95/max of the time a change takes
# to reach another person's open session. Built with the dev profile unless FACTDESK_LOAD_PROFILE says otherwise
# (e.g. bench, an optimised build): what it measures is processes, connections and the server, but a release build
# of the binary each change runs is faster to start.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${FACTDESK_LOAD_PROFILE:-dev}
exec scripts/pg-test-cluster.sh run nice -n 10 cargo bench -q -p factdesk-cli --profile "$profile" --bench team_load -- "$@"
