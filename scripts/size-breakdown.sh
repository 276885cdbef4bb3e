#!/usr/bin/env bash
# What the shipped wasm is made of, by crate and by chapter: the release build, run through wasm-bindgen and wasm-opt
# as trunk does (-Oz --converge --low-memory-unused) but keeping function names (-g), then measured with twiggy (cargo install twiggy).
# Writes the tables docs/size.md quotes. Usage: scripts/size-breakdown.sh [out-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/target/size}"
mkdir -p "$OUT"
cd "$ROOT"
cargo build --release --target wasm32-unknown-unknown --bin ad-lab --quiet
wasm-bindgen --target web --no-typescript --out-dir "$OUT" target/wasm32-unknown-unknown/release/ad-lab.wasm
wasm-opt -Oz --converge --low-memory-unused --generate-global-effects -Oz --converge -g "$OUT/ad-lab_bg.wasm" -o "$OUT/named.wasm"
wasm-opt -Oz --converge --low-memory-unused --generate-global-effects -Oz --converge "$OUT/ad-lab_bg.wasm" -o "$OUT/shipped.wasm"
twiggy top -f csv "$OUT/named.wasm" > "$OUT/top.csv"
python3 "$ROOT/scripts/size-breakdown.py" "$OUT/top.csv" "$OUT/shipped.wasm"
