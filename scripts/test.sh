#!/usr/bin/env bash
# Installs whatever the tests need, then runs every test: native (core, property tests, doc tests, the fuzzer's smoke;
# the benchmarks compiled), wasm-bindgen-test in headless Chromium, the release build with its size budget, and end-to-end tests in Chromium.
source "$(dirname "$0")/setup-lib.sh"
ensure_build_tools
ensure_chromium
ensure_python_numpy
ensure_zbar
ensure_e2e_deps
cd "$ROOT"

# The path the site is served under (GitHub Pages: /<repository>/); the end-to-end tests serve the build under it.
export PUBLIC_URL="${PUBLIC_URL:-/}"

say "formatting"
cargo fmt --check

say "native tests"
cargo test --quiet

say "benchmarks compile (cargo bench runs them on demand)"
cargo check --quiet --benches

say "fuzz smoke (20 000 seeded inputs, optimised, integer overflow checks on)"
cargo test --quiet --profile fuzz --test fuzz

say "browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test browser

# The release site is built as on a fresh machine: from a copy of the sources (what a clean clone of them holds:
# tracked and new files, nothing ignored, no target/), with an empty, temporary cargo cache, so that the build cannot
# lean on anything an earlier build left in ~/.cargo or target/. The crates come from the registry (a minute or two).
say "release build from a clean copy with an empty cargo cache"
# Short paths: the wasm keeps the source paths of its panic messages, so a long temporary path costs bytes.
FRESH="$(mktemp -d /tmp/adlab.XXXX)"
trap 'rm -rf "$FRESH"' EXIT
mkdir "$FRESH/s" "$FRESH/h"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
  (cd "$ROOT" && xargs -0 -I{} sh -c '[ -e "$1" ] && cp --parents -P "$1" "$2" || true' _ {} "$FRESH/s")
(
  cd "$FRESH/s"
  export CARGO_HOME="$FRESH/h" CARGO_TARGET_DIR="$FRESH/target"
  cargo fetch --locked --quiet
  trunk build --release --offline --public-url "$PUBLIC_URL" --dist "$FRESH/dist" >/dev/null
)
rm -rf dist
cp -r "$FRESH/dist" dist
node scripts/rehash.mjs --check dist

say "size report"
scripts/size-report.sh dist

say "end-to-end tests (release build in Chromium)"
node --test e2e/

say "all tests passed"
