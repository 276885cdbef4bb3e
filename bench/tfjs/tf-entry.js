// TF.js as the benchmark page uses it: the core with every gradient registered (the core's own bundle registers none)
// and the cpu and wasm backends; bundled by esbuild into target/tfjs-bench/tf.js (scripts/tfjs-bench.sh).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

window.tf = tf;
window.tfSetWasmPaths = setWasmPaths;
