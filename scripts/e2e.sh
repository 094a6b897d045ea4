#!/usr/bin/env bash
# End-to-end test: the real Factdesk binary in a real WebKitGTK window under
# Xvfb, driven through tauri-driver (which starts WebKitWebDriver).
# Screenshots land in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

app="$PWD/target/debug/factdesk-desktop"
[ -x "$app" ] || { echo "e2e: $app is not built (cargo build -p factdesk-desktop)" >&2; exit 1; }
driver="${TAURI_DRIVER:-$HOME/.cargo/bin/tauri-driver}"
artifacts="$PWD/target/e2e"
rm -rf "$artifacts" && mkdir -p "$artifacts"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  # Xvfb picks a free display itself and prints its number (-displayfd 1).
  display_file="$work/display"
  Xvfb -displayfd 1 -screen 0 1440x900x24 -nolisten tcp >"$display_file" 2>"$artifacts/xvfb.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$display_file" ] && break; sleep 0.1; done
  [ -s "$display_file" ] || { echo "e2e: Xvfb did not start (see $artifacts/xvfb.log)" >&2; exit 1; }
  export DISPLAY=":$(head -n1 "$display_file")"
fi

if (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null; then
  echo "e2e: port 4444 is already in use (another tauri-driver?); stop it first" >&2
  exit 1
fi
# The vault's idle lock after 15 s instead of 10 minutes (read by the core; the app inherits it from the driver).
export FACTDESK_VAULT_IDLE_SECONDS=15
# The app's settings file (the remembered team store) in the run's folder, never the user's (the app inherits it too).
export XDG_CONFIG_HOME="$work/config"
# Before the driver starts, so the app inherits it too: "Use this computer's file" goes back to this file, never the
# user's own database.
export FACTDESK_DB="$work/factdesk.db"
"$driver" --port 4444 >"$artifacts/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break
  sleep 0.1
done

export FACTDESK_E2E_APP="$app"
export FACTDESK_E2E_WORK="$work"
export FACTDESK_E2E_ARTIFACTS="$artifacts"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e "$@"
