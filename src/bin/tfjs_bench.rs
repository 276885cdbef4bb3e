//! AD Lab's side of the comparison with TensorFlow.js (`scripts/tfjs-bench.sh`): `ad_lab::lab::tfjs_bench`'s
//! workloads and timing, exported to the benchmark page, which runs TF.js on the same numbers in the same browser.
//! Not part of the site.

#[cfg(target_arch = "wasm32")]
mod web {
    use wasm_bindgen::prelude::*;

    /// `{"name", "gradsPerSec", "value", "grad", "gradLen"}` for one workload.
    #[wasm_bindgen]
    pub fn nd_run(name: &str, runs: usize, min_ms: f64) -> String {
        let perf = web_sys::window().and_then(|w| w.performance());
        let now = || perf.as_ref().map_or(0.0, |p| p.now());
        ad_lab::lab::tfjs_bench::run(name, runs, min_ms, &now)
    }

    /// The workload's parameters and data, for TF.js.
    #[wasm_bindgen]
    pub fn nd_tensors(name: &str) -> String {
        ad_lab::lab::tfjs_bench::workload(name)
            .map_or_else(|e| format!("{{\"error\": {e:?}}}"), |w| w.tensors)
    }
}

fn main() {}
