#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Factdesk needs to build, run and test,
# only those missing, and says what it installs.
set -euo pipefail

packages=(
  build-essential pkg-config libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libxdo-dev
  xvfb xauth x11-utils webkit2gtk-driver
  python3-venv imagemagick
  # PDF review reports: WeasyPrint prints the HTML report offline with the DejaVu fonts;
  # the tests read the PDF's text back with pdftotext (poppler-utils).
  weasyprint fonts-dejavu-core poppler-utils
  # The power-loss test rebuilds the database files from strace's record of every write and fsync.
  strace
  # The search benchmark compares the desk's full-text search with ripgrep over the same files.
  ripgrep
  # The team store's tests run against a real PostgreSQL 15 (a throwaway cluster: scripts/pg-test-cluster.sh).
  postgresql
  # The window's team store over TLS (E2E) gets its CA and server certificate from the openssl command.
  openssl
  # "Remember on this computer" keeps a secret in the Secret Service (the OS keyring): the keyring
  # crate talks to it through libdbus; the tests start their own session bus and gnome-keyring.
  libdbus-1-dev dbus-daemon gnome-keyring
)
# The UI's toolchain (Vite 7) needs Node.js 20.19 or later; Debian 12's own is 18.
if ! command -v node >/dev/null; then
  echo "setup: Node.js 20.19+ is needed (https://nodejs.org or your distribution's nodejs 20+ package)" >&2
  exit 1
fi
node_version=$(node --version | tr -d v)
if [ "$(printf '%s\n' 20.19.0 "$node_version" | sort -V | head -n1)" != 20.19.0 ]; then
  echo "setup: Node.js $node_version is too old: the UI needs 20.19 or later" >&2
  exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: missing packages (${missing[*]}) and no apt-get here; install them by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup: missing packages (${missing[*]}): run as root, or install sudo" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "setup: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
