#!/usr/bin/env bash
# Checks the .deb that `make package` built, without installing it: its file
# list and control fields, then both binaries run from a root it is extracted
# into (dpkg-deb -x). Exits non-zero naming the first thing that is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "package-check: $*" >&2; exit 1; }

shopt -s nullglob
debs=(target/release/bundle/deb/Factdesk_*.deb)
[ "${#debs[@]}" -eq 1 ] || fail "expected one target/release/bundle/deb/Factdesk_*.deb, found ${#debs[@]}"
deb=${debs[0]}
echo "package-check: $deb ($(du -h "$deb" | cut -f1))"

listing=$(dpkg-deb -c "$deb")
for path in usr/bin/factdesk usr/bin/factdesk-desktop usr/share/man/man1/factdesk.1.gz \
    usr/share/bash-completion/completions/factdesk usr/share/zsh/vendor-completions/_factdesk \
    usr/share/fish/vendor_completions.d/factdesk.fish usr/share/applications/Factdesk.desktop; do
  grep -Eq " (\./)?$path\$" <<<"$listing" || fail "the package lacks /$path"
done

recommends=$(dpkg-deb -f "$deb" Recommends)
depends=$(dpkg-deb -f "$deb" Depends)
grep -qw weasyprint <<<"$recommends" || fail "Recommends does not name weasyprint: '$recommends'"
grep -qw weasyprint <<<"$depends" && fail "weasyprint must be recommended, not a dependency: '$depends'"
grep -q libwebkit2gtk-4.1-0 <<<"$depends" || fail "Depends lacks libwebkit2gtk-4.1-0: '$depends'"
echo "package-check: Depends: $depends"
echo "package-check: Recommends: $recommends"

work=$(mktemp -d)
trap 'kill "${desktop:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
bin="$work/root/usr/bin"

# The command line links nothing beyond the C library's own family, so it
# needs no Depends of its own.
extra=$(ldd "$bin/factdesk" | awk '{print $1}' | grep -Ev '^(linux-vdso|/lib64/ld-linux|libc\.|libm\.|libgcc_s\.|libpthread\.|libdl\.)' || true)
[ -z "$extra" ] || fail "factdesk links libraries the package does not depend on: $extra"

version=$("$bin/factdesk" --version)
[[ "$version" =~ ^factdesk\ [0-9]+\.[0-9]+\.[0-9]+\ \(database\ schema\ [0-9]+\)$ ]] || fail "unexpected --version: $version"
echo "package-check: $version"

mkdir "$work/desk"
printf 'Officials said the embassy would close on Friday.\n' > "$work/desk/first.txt"
FACTDESK_DB="$work/data/factdesk.db" "$bin/factdesk" scan "$work/desk" --json > "$work/scan.json"
python3 - "$work/scan.json" <<'PY' || fail "scan --json from the package did not list the draft"
import json, sys
scan = json.load(open(sys.argv[1]))
assert [d["path"] for d in scan["drafts"]] == ["first.txt"], scan
assert scan["drafts"][0]["state"] == "ok", scan
PY
[ "$(stat -c %a "$work/data/factdesk.db")" = 600 ] || fail "the database is not owner-only"

zcat "$bin/../share/man/man1/factdesk.1.gz" | grep -q '^\.TH factdesk 1' || fail "the manual page has no .TH header"
bash -n "$bin/../share/bash-completion/completions/factdesk" || fail "the bash completion does not parse"

# The desktop app starts on the desk under a virtual display and stays up.
if command -v xvfb-run >/dev/null; then
  FACTDESK_DB="$work/data/desktop.db" WEBKIT_DISABLE_DMABUF_RENDERER=1 \
    xvfb-run -a "$bin/factdesk-desktop" "$work/desk" > "$work/desktop.log" 2>&1 &
  desktop=$!
  for _ in $(seq 1 60); do
    [ -s "$work/data/desktop.db" ] && break
    sleep 0.5
  done
  sleep 2
  kill -0 "$desktop" 2>/dev/null || { cat "$work/desktop.log" >&2; fail "factdesk-desktop exited at start"; }
  [ -s "$work/data/desktop.db" ] || fail "factdesk-desktop did not open its database"
  pkill -TERM -P "$desktop" 2>/dev/null || true
  kill "$desktop" 2>/dev/null || true
  wait "$desktop" 2>/dev/null || true
  echo "package-check: factdesk-desktop started on the desk and opened its database"
else
  fail "xvfb-run is missing (scripts/setup-system.sh installs it)"
fi
echo "package-check: ok"
