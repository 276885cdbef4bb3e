#!/usr/bin/env bash
# Installs whatever the tests need, then runs every test: native (core, property tests, doc tests, the fuzzer's smoke),
# wasm-bindgen-test in headless Chromium, the release build with its size budget, and end-to-end tests in Chromium.
source "$(dirname "$0")/setup-lib.sh"
ensure_build_tools
ensure_chromium
ensure_e2e_deps
cd "$ROOT"

say "formatting"
cargo fmt --check

say "native tests"
cargo test --quiet

say "fuzz smoke (20 000 seeded inputs, optimised, integer overflow checks on)"
cargo test --quiet --profile fuzz --test fuzz

say "browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test browser

use_small_panics
say "release build"
trunk build --release --offline --dist dist >/dev/null

say "size report"
scripts/size-report.sh dist

say "end-to-end tests (release build in Chromium)"
node --test e2e/

say "all tests passed"
