#!/usr/bin/env bash
# Idle memory of Factdesk on the sample desk: starts the app under Xvfb, waits
# for it to settle, and sums the resident memory (RSS) of the app and every
# WebKit process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:-$PWD/target/release/factdesk-desktop}"
settle="${SETTLE_SECONDS:-15}"
work=$(mktemp -d)
display=":$((200 + RANDOM % 50))"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app_pid $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
DISPLAY="$display" FACTDESK_DB="$work/factdesk.db" "$app" "$PWD/examples/drafts" >/dev/null 2>&1 &
app_pid=$!
sleep "$settle"
tree() { echo "$1"; for child in $(pgrep -P "$1"); do tree "$child"; done; }
total=0
for pid in $(tree "$app_pid"); do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '%-8s %-28s %8s KiB\n' "$pid" "$(cat /proc/$pid/comm 2>/dev/null)" "$rss"
  total=$((total + ${rss:-0}))
done
echo "total RSS: $((total / 1024)) MiB"
