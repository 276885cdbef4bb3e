//! `#/network`'s training loop packaged for TensorFlow Playground's benchmark harness: `scripts/tfp-bench.sh` builds
//! this into a script that sets `window.TFPBench` and runs `ad_lab::lab::network::bench` in the same browser as
//! Playground's own code.

#[cfg(target_arch = "wasm32")]
mod web {
    use wasm_bindgen::prelude::*;

    /// The harness's `runAll({ runs, minMs })`, as JSON.
    #[wasm_bindgen]
    pub fn tfp_run_all(runs: usize, min_ms: f64) -> String {
        let perf = web_sys::window().and_then(|w| w.performance());
        let now = || perf.as_ref().map_or(0.0, |p| p.now());
        ad_lab::lab::network::bench::run_all(runs, min_ms, &now)
    }
}

fn main() {}
