#!/usr/bin/env bash
# What each chapter costs in the shipped wasm: the release build without that chapter's registry entry (the linker
# then drops its model and view), against the full build; gzip -9 of the wasm after wasm-opt -Oz, as shipped.
# Slow (one release build per chapter). Usage: scripts/size-per-chapter.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export CARGO_TARGET_DIR="$ROOT/target/size-variants"
size_of() { # $1: source tree
  (cd "$1" && cargo build --release --target wasm32-unknown-unknown --bin ad-lab --quiet)
  wasm-bindgen --target web --no-typescript --out-dir "$WORK/out" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/ad-lab.wasm"
  wasm-opt -Oz --converge --low-memory-unused "$WORK/out/ad-lab_bg.wasm" -o "$WORK/out/o.wasm"
  gzip -9 -c "$WORK/out/o.wasm" | wc -c
}
cp -r "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$ROOT/src" "$ROOT/.cargo" "$ROOT/benches" "$WORK/"
full=$(size_of "$WORK")
printf '%-12s %10s %10s\n' chapter "gzip -9" "its cost"
printf '%-12s %10d\n' "(all)" "$full"
for route in $(grep -o 'route: "/[a-z]\+"' "$ROOT/src/ui/registry.rs" | grep -o '/[a-z]\+'); do
  cp "$ROOT/src/ui/registry.rs" "$WORK/src/ui/registry.rs"
  python3 - "$WORK/src/ui/registry.rs" "$route" <<'PY'
import re, sys
path, route = sys.argv[1], sys.argv[2]
s = open(path).read()
s = re.sub(r"\n    Entry \{\n        route: \"" + re.escape(route) + r"\",.*?\n    \},", "", s, count=1, flags=re.S)
open(path, "w").write(s)
PY
  without=$(size_of "$WORK")
  printf '%-12s %10d %10d\n' "$route" "$without" $((full - without))
done
