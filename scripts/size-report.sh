#!/usr/bin/env bash
# Prints the gzip -9 size of every file the site ships (wasm, js, css, html, data, …) and fails over the budget.
set -euo pipefail
DIST="${1:-dist}"
BUDGET=$((420 * 1024))
total=0
printf '%-44s %10s %10s\n' "file" "bytes" "gzip -9"
for f in $(find "$DIST" -type f | sort); do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-44s %10d %10d\n' "${f#"$DIST"/}" "$raw" "$gz"
done
printf '%-44s %10s %10d  (%d.%d KB of %d KB)\n' "total" "" "$total" $((total / 1024)) $(((total % 1024) * 10 / 1024)) $((BUDGET / 1024))
if [ "$total" -gt "$BUDGET" ]; then
  echo "over the size budget" >&2
  exit 1
fi
