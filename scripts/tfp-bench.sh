#!/usr/bin/env bash
# Training speed against TensorFlow Playground, in one headless Chromium run on this machine:
#   1. the compute benchmark (../shared/anchors/tfp-bench): Playground's own nn.ts, then AD Lab's network (the same
#      work: circle data, tanh, squared loss, batch 10), back to back;
#   2. the pages: Playground's real page pressing Play (epochs/s from its counter), then #/network from dist/.
# Prints both sets of figures and the ratios. Needs the release site in dist/ (trunk build --release) for part 2.
# Usage: scripts/tfp-bench.sh [runs] [minMs]
source "$(dirname "$0")/setup-lib.sh"
ensure_build_tools
ensure_chromium
ensure_e2e_deps
cd "$ROOT"
RUNS="${1:-5}"; MIN_MS="${2:-1000}"
OUT="$ROOT/target/tfp-bench"
ANCHOR="$ROOT/../shared/anchors/tfp-bench"
WORK="$ROOT/target/tfp-anchor"
mkdir -p "$OUT"

say "AD Lab's benchmark bundle"
cargo build --quiet --release --target wasm32-unknown-unknown --bin tfp_bench
wasm-bindgen --target no-modules --no-typescript --out-dir "$OUT" target/wasm32-unknown-unknown/release/tfp_bench.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$OUT/tfp_bench_bg.wasm" -o "$OUT/tfp_bench_bg.wasm" 2>/dev/null || true
{
  cat "$OUT/tfp_bench.js"
  cat <<'JS'
(function () {
  const ready = wasm_bindgen({ module_or_path: 'tfp_bench_bg.wasm' });
  window.TFPBench = { build: 'AD Lab (Rust/WebAssembly, array tape)', bench: {
    async runAll(o = {}) { await ready; return JSON.parse(wasm_bindgen.tfp_run_all(o.runs || 7, o.minMs || 1000)); } } };
})();
JS
} > "$OUT/bundle.js"

say "Playground's harness (copied to target/, npm ci)"
if [ ! -d "$WORK/node_modules" ]; then
  rm -rf "$WORK" && cp -r "$ANCHOR" "$WORK"
  (cd "$WORK" && npm ci --no-audit --no-fund --silent && ./build.sh >/dev/null && ./build-app.sh >/dev/null)
fi

say "compute: Playground (es3 build, as deployed), then AD Lab"
(cd "$WORK" && node run-chromium.js es3 "$RUNS" "$MIN_MS") > "$OUT/tfp.json"
(cd "$WORK" && node run-chromium.js "$OUT/bundle.js" "$RUNS" "$MIN_MS") > "$OUT/adlab.json"

say "pages: Playground's, then #/network (default net)"
(cd "$WORK" && node run-ui.js 3 2000 5000) > "$OUT/tfp-ui.json"
node e2e/bench-epochs.mjs 3 2000 5000 > "$OUT/adlab-ui.json"

node - "$OUT" <<'JS'
const fs = require('fs'), out = process.argv[2];
const read = (f) => JSON.parse(fs.readFileSync(`${out}/${f}`, 'utf8').slice(fs.readFileSync(`${out}/${f}`, 'utf8').indexOf('{')));
const tfp = read('tfp.json'), ours = read('adlab.json');
console.log('training throughput (examples/s, median), same browser, back to back:');
for (const t of tfp.train) {
  const o = ours.train.find((x) => x.cfg === t.cfg);
  console.log(`  ${t.cfg.padEnd(42)} Playground ${String(t.examplesPerSec).padStart(9)}  AD Lab ${String(o.examplesPerSec).padStart(9)}  ratio ${(o.examplesPerSec / t.examplesPerSec).toFixed(2)}`);
}
console.log('one frame of compute (epoch + losses + 100×100 boundary), ms:');
for (const t of tfp.frame) {
  const o = ours.frame.find((x) => x.cfg === t.cfg);
  console.log(`  ${t.cfg.padEnd(42)} Playground ${t.msPerFrameStep}  AD Lab ${o.msPerFrameStep}  ratio ${(t.msPerFrameStep / o.msPerFrameStep).toFixed(2)}`);
}
const ui = read('tfp-ui.json'), page = read('adlab-ui.json');
console.log('pages, epochs/s:', JSON.stringify(ui).slice(0, 400));
console.log('  AD Lab #/network:', JSON.stringify(page));
JS
