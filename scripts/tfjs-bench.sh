#!/usr/bin/env bash
# Gradients against TensorFlow.js 4.22.0 (cpu and wasm backends), in one headless Chromium run: the 2-16-16-1 MLP's
# loss on 100 points, Example 2's unrolled ridge hypergradient on the diabetes data (T = 100), and the logistic map
# (n = 1000) — each computed by TF.js's tf.valueAndGrads and by AD Lab's engines (src/lab/tfjs_bench.rs), on the same
# numbers. TF.js is installed from npm into bench/tfjs/node_modules, never into the site.
# Usage: scripts/tfjs-bench.sh [runs] [minMs]   (prints the JSON; docs/performance.md quotes one run)
source "$(dirname "$0")/setup-lib.sh"
ensure_build_tools
ensure_chromium
ensure_e2e_deps
cd "$ROOT"
RUNS="${1:-5}"; MIN_MS="${2:-1000}"
OUT="$ROOT/target/tfjs-bench"
mkdir -p "$OUT"

say "AD Lab's benchmark bundle"
cargo build --quiet --release --target wasm32-unknown-unknown --bin tfjs_bench
wasm-bindgen --target no-modules --no-typescript --out-dir "$OUT" target/wasm32-unknown-unknown/release/tfjs_bench.wasm

say "TensorFlow.js 4.22.0 (npm ci in bench/tfjs, bundled by esbuild with its gradients registered)"
if [ ! -d bench/tfjs/node_modules/@tensorflow/tfjs-core ]; then
  (cd bench/tfjs && npm ci --no-audit --no-fund --silent)
fi
(cd bench/tfjs && ./node_modules/.bin/esbuild tf-entry.js --bundle --minify --format=iife --log-level=error \
  --outfile="$OUT/tf.js")
cp bench/tfjs/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm bench/tfjs/bench.js "$OUT/"
cat > "$OUT/bench.html" <<'HTML'
<!doctype html><meta charset="utf-8"><title>AD Lab and TensorFlow.js</title>
<script src="tf.js"></script><script>tfSetWasmPaths('./');</script>
<script src="tfjs_bench.js"></script><script src="bench.js"></script>
HTML

say "one run: TF.js cpu, TF.js wasm, AD Lab, per function"
node bench/tfjs/run.mjs "$OUT" "$RUNS" "$MIN_MS" | tee "$OUT/result.json"
