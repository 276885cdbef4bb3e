#!/usr/bin/env bash
# A release build that keeps the wasm's function names (no wasm-opt), for `node e2e/profile.mjs cpu`:
#   scripts/profile-build.sh /tmp/dist-prof
set -euo pipefail
source "$(dirname "$0")/setup-lib.sh"
cd "$ROOT"
out="${1:?usage: scripts/profile-build.sh OUT_DIR}"
sed 's/data-wasm-opt="z" data-wasm-opt-params="[^"]*"/data-wasm-opt="0" data-keep-debug="true"/' index.html > index-profile.html
trap 'rm -f index-profile.html' EXIT
KEEP_NAMES=1 trunk build --release --offline --dist "$out" index-profile.html
