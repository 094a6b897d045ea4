#!/usr/bin/env bash
# Anchoring benchmark: Factdesk's re-anchoring against a Hypothesis-style baseline, on the same inputs.
#
# 1. `cargo bench --bench anchor` generates the workload (a ~100 KB draft, 1,000 claims, the draft with
#    1 %, 10 % and 30 % of its words edited, and where each claim truly went), writes it with Factdesk's
#    placements and timings to $WORK, and runs the criterion benchmarks.
# 2. The Node baseline (bench/hypothesis-baseline, approx-string-match installed here, and only here)
#    re-anchors the same claims on the same texts, then prints both times and how the placements compare.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-${CARGO_TARGET_DIR:-$root/target}/bench-anchor}"
mkdir -p "$work"

cd "$root"
FACTDESK_ANCHOR_WORKLOAD="$work" cargo bench -p factdesk-core --bench anchor -- "$@"

cd "$root/bench/hypothesis-baseline"
if [ ! -d node_modules/approx-string-match ]; then
  npm install --no-audit --no-fund --silent
fi
node index.mjs "$work"
