#!/usr/bin/env bash
# Trunk's post-build hook, for release builds: minifies the wasm-bindgen JS glue with terser (trunk's built-in
# minifier cannot parse it and leaves it as it is; 8.3 → 6.5 KB gzip -9), then gives the wasm's ≈ 200 imports short
# names in both files (scripts/shorten-imports.mjs). The page loads the glue and the wasm without subresource-integrity
# hashes (`data-integrity="none"` in index.html: they would be of the files before this step); both are served from the
# page's own origin. Without node and terser (a plain `trunk build`), the files ship as wasm-bindgen wrote them.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
if ! command -v terser >/dev/null || ! command -v node >/dev/null; then
  echo "post-build: node or terser not found: the JS glue is not minified" >&2
  exit 0
fi
for f in "$TRUNK_STAGING_DIR"/*.js; do
  terser "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
node "$(dirname "$0")/shorten-imports.mjs" "$TRUNK_STAGING_DIR"
