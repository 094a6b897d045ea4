#!/usr/bin/env bash
# What the .deb installs beside the two binaries, made from the release
# `factdesk` itself so it matches its commands: the manual page and the bash,
# zsh and fish completions, in target/package-extras/ (see tauri.conf.json's
# bundle.linux.deb.files).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/factdesk
out=target/package-extras
rm -rf "$out" && mkdir -p "$out"
# gzip -n: no name or time stamp inside, so the same sources give the same bytes.
"$bin" manual | gzip -9n > "$out/factdesk.1.gz"
"$bin" completions bash > "$out/factdesk.bash"
"$bin" completions zsh > "$out/_factdesk"
"$bin" completions fish > "$out/factdesk.fish"
