#!/usr/bin/env bash
# Trunk's post-build hook, for release builds:
# 1. minifies the wasm-bindgen JS glue with terser (trunk's own minifier cannot parse it; 8.3 → 6.5 KB gzip -9);
# 2. gives the wasm's ≈ 170 imports short names in both files (scripts/shorten-imports.mjs; ≈ 6 KB);
# 3. runs wasm-opt -Oz once more over the renamed wasm (0.5 KB less gzip -9);
# 4. ships the wasm LZMA-compressed (xz), decoded in the page by our own decoder appended to the glue
#    (scripts/unlzma.js, scripts/pack-wasm.mjs: the wasm is 20 % smaller than gzip -9 makes it);
# 5. names every content-hashed file after its final bytes again and rewrites the references (scripts/rehash.mjs):
#    the first steps change files trunk has already named by a hash of their content.
# A release build fails here if node, terser, wasm-opt or xz is missing (scripts/setup-lib.sh installs them): it never ships files
# that were silently left out of these steps. The page loads the glue and the wasm without subresource-integrity
# hashes (`data-integrity="none"` in index.html: trunk would compute them before this hook); both come from the page's
# own origin.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
HERE="$(cd "$(dirname "$0")" && pwd)"
for tool in node terser wasm-opt xz; do
  if ! command -v "$tool" >/dev/null; then
    echo "post-build: $tool not found; the release build needs it (scripts/serve.sh or scripts/test.sh installs it)" >&2
    exit 1
  fi
done
shopt -s nullglob
glue=("$TRUNK_STAGING_DIR"/*.js)
if [ "${#glue[@]}" -eq 0 ]; then
  echo "post-build: no JS glue in $TRUNK_STAGING_DIR" >&2
  exit 1
fi
for f in "${glue[@]}"; do
  # The decoder goes into the wasm-bindgen glue only (the one whose wasm is beside it), not into sw.js.
  [ -e "${f%.js}_bg.wasm" ] && cat "$HERE/unlzma.js" >> "$f"
  terser "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
node "$HERE/shorten-imports.mjs" "$TRUNK_STAGING_DIR"
# One more -Oz over the renamed wasm: its bytes barely change, but they compress 0.5 KB better (measured with gzip -9).
# The features are those Rust's wasm32 target enables (trunk's pass stripped the section that names them).
# (Not for scripts/profile-build.sh, whose wasm keeps its function names: wasm-opt would drop them.)
[ -n "${KEEP_NAMES:-}" ] || for w in "$TRUNK_STAGING_DIR"/*.wasm; do
  wasm-opt --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue -Oz "$w" -o "$w"
done
node "$HERE/pack-wasm.mjs" "$TRUNK_STAGING_DIR"
node "$HERE/rehash.mjs" "$TRUNK_STAGING_DIR"
