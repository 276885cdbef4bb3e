#!/usr/bin/env bash
# Lists AD Lab's functions that format an f64 with core's `{}` (see scripts/f64-display-users.py). Needs wasm-dis
# (npm binaryen) and rustfilt (cargo install rustfilt). Usage: scripts/f64-display-users.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cargo build --target wasm32-unknown-unknown --bin ad-lab --quiet
wasm-dis target/wasm32-unknown-unknown/debug/ad-lab.wasm -o target/ad-lab-debug.wat 2>/dev/null
python3 scripts/f64-display-users.py target/ad-lab-debug.wat
