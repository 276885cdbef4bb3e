//! The gradients of the comparison with TensorFlow.js (`scripts/tfjs-bench.sh`): the same three functions, written
//! once as numpy programs for AD Lab's engines and once in TF.js (`bench/tfjs/bench.js`), on the same numbers, timed
//! in one headless Chromium run.
//!
//! - `mlp`: the loss of a 2-16-16-1 tanh network with logistic loss on 100 points; the gradient for its six
//!   parameter arrays (array engine, reverse mode).
//! - `ridge`: Example 2's unrolled hypergradient on the diabetes data: T = 100 steps of gradient descent on the ridge
//!   objective over the 150 training patients, then the validation loss over 146; its derivative in λ and ρ (array
//!   engine, reverse mode through all 100 steps).
//! - `logistic`: the lecture's logistic map with n = 1000 (3 000 scalar operations); its derivative (the scalar
//!   engine, reverse mode).
//!
//! The clock is passed in, so the same code times natively and in the browser.

use super::ridge::diabetes;
use crate::ad::{eval, nd};
use crate::base::random::SplitMix64;
use crate::lang::agraph::AGraph;
use crate::lang::graph::Graph;
use crate::lang::lower::arrays::lower_arrays;
use crate::lang::lower::lower_source;

pub const NAMES: [&str; 3] = ["mlp", "ridge", "logistic"];

fn list(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|x| format!("{x:?}")).collect();
    format!("[{}]", parts.join(", "))
}

fn matrix(xs: &[f64], cols: usize) -> String {
    let rows: Vec<String> = xs.chunks(cols).map(list).collect();
    format!("np.array([{}])", rows.join(", "))
}

fn json_tensor(name: &str, shape: &[usize], xs: &[f64]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!(
        "\"{name}\": {{\"shape\": [{}], \"data\": {}}}",
        dims.join(", "),
        list(xs)
    )
}

/// One function to differentiate: its program (for AD Lab) and its numbers (for TF.js).
pub struct Workload {
    pub name: &'static str,
    pub source: String,
    /// `{"X": {"shape": […], "data": […]}, …}`: the parameters (first, in order) and the data.
    pub tensors: String,
}

/// The network's parameters and 100 points, seeded: the same every run.
pub fn mlp() -> Workload {
    let mut r = SplitMix64::new(20);
    let mut normal = |n: usize, s: f64| -> Vec<f64> { (0..n).map(|_| s * r.normal()).collect() };
    let (w1, b1, w2, b2, w3, b3) = (
        normal(32, 0.7),
        normal(16, 0.1),
        normal(256, 0.25),
        normal(16, 0.1),
        normal(16, 0.25),
        normal(1, 0.1),
    );
    let x = normal(200, 1.0);
    let y: Vec<f64> = x
        .chunks(2)
        .map(|p| {
            if p[0] * p[0] + p[1] * p[1] < 1.4 {
                1.0
            } else {
                -1.0
            }
        })
        .collect();
    let source = format!(
        "import autograd.numpy as np\n\ndef loss(W1={}, b1=np.array({}), W2={}, b2=np.array({}), W3={}, b3=np.array({})):\n  X = {}\n  y = np.array({})\n  h1 = np.tanh(X @ W1 + b1)\n  h2 = np.tanh(h1 @ W2 + b2)\n  s = (h2 @ W3 + b3).reshape(100)\n  return np.mean(np.log(1 + np.exp(-y * s)))\n",
        matrix(&w1, 16),
        list(&b1),
        matrix(&w2, 16),
        list(&b2),
        matrix(&w3, 1),
        list(&b3),
        matrix(&x, 2),
        list(&y)
    );
    let tensors = [
        json_tensor("W1", &[2, 16], &w1),
        json_tensor("b1", &[16], &b1),
        json_tensor("W2", &[16, 16], &w2),
        json_tensor("b2", &[16], &b2),
        json_tensor("W3", &[16, 1], &w3),
        json_tensor("b3", &[1], &b3),
        json_tensor("X", &[100, 2], &x),
        json_tensor("y", &[100], &y),
    ];
    Workload {
        name: "mlp",
        source,
        tensors: format!("{{{}}}", tensors.join(", ")),
    }
}

/// Example 2 on the diabetes data (standardised as `#/hyper` has it), λ = 0.1, ρ = 0.002 (a stable step for the
/// unnormalised objective ½‖Xβ − y‖² + ½λ‖β‖²).
pub fn ridge() -> Result<Workload, String> {
    let d = diabetes()?;
    let (lam, rho) = (0.1, 0.002);
    let source = format!(
        "import autograd.numpy as np\n\ndef val_loss(lam={lam:?}, rho={rho:?}, T=100):\n  X = {}\n  y = np.array({})\n  Xv = {}\n  yv = np.array({})\n  beta = np.zeros(10)\n  for t in range(T):\n    beta = beta - rho * (X.T @ (X @ beta - y) + lam * beta)\n  return 0.5 * np.mean((Xv @ beta - yv) ** 2)\n",
        matrix(&d.train.x, 10),
        list(&d.train.y),
        matrix(&d.val.x, 10),
        list(&d.val.y)
    );
    let tensors = [
        json_tensor("lam", &[], &[lam]),
        json_tensor("rho", &[], &[rho]),
        json_tensor("X", &[150, 10], &d.train.x),
        json_tensor("y", &[150], &d.train.y),
        json_tensor("Xv", &[146, 10], &d.val.x),
        json_tensor("yv", &[146], &d.val.y),
    ];
    Ok(Workload {
        name: "ridge",
        source,
        tensors: format!("{{{}}}", tensors.join(", ")),
    })
}

/// The logistic map, n = 1000, at x = 0.25… the lecture's program with a longer loop (x slightly off 0.25, whose
/// orbit reaches the fixed point 0.75 and stays: a dull derivative).
pub fn logistic() -> Workload {
    let source = "def f(x=0.2, n=1000):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n".to_string();
    Workload {
        name: "logistic",
        source,
        tensors: format!("{{{}}}", json_tensor("x", &[], &[0.2])),
    }
}

pub fn workload(name: &str) -> Result<Workload, String> {
    match name {
        "mlp" => Ok(mlp()),
        "ridge" => ridge(),
        "logistic" => Ok(logistic()),
        _ => Err(format!("no workload `{name}`")),
    }
}

/// What is timed: one value and its gradient (every input), from a graph built once.
pub enum Prepared {
    Arrays(AGraph),
    Scalar(Graph, Vec<f64>),
}

impl Prepared {
    pub fn new(w: &Workload) -> Result<Prepared, String> {
        let err = |e: crate::base::source::Error| {
            format!(
                "{}: {} at {}",
                w.name,
                e.message,
                e.span.line_col(&w.source)
            )
        };
        if w.name == "logistic" {
            let g = lower_source(&w.source).map_err(err)?;
            let x = g.inputs.iter().map(|i| i.default.unwrap_or(0.0)).collect();
            return Ok(Prepared::Scalar(g, x));
        }
        lower_arrays(&w.source, &[])
            .map(Prepared::Arrays)
            .map_err(err)
    }

    /// The value and the gradient, flattened.
    pub fn value_and_grad(&self) -> (f64, Vec<f64>) {
        match self {
            Prepared::Arrays(g) => match nd::gradient(g) {
                Ok((f, grads)) => (f, grads.into_iter().flat_map(|a| a.data).collect()),
                Err(_) => (f64::NAN, Vec::new()),
            },
            Prepared::Scalar(g, x) => eval::value_and_grad(g, x),
        }
    }
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_unstable_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Times `value_and_grad` for at least `min_ms`, `runs` times; returns JSON `{"name", "gradsPerSec", "value",
/// "grad"}` (the median rate; the value and the gradient's first numbers, for checking against TF.js).
pub fn run(name: &str, runs: usize, min_ms: f64, now: &dyn Fn() -> f64) -> String {
    let prepared = match workload(name).and_then(|w| Prepared::new(&w)) {
        Ok(p) => p,
        Err(e) => return format!("{{\"name\": \"{name}\", \"error\": {e:?}}}"),
    };
    let (value, grad) = prepared.value_and_grad();
    let mut rates: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t0 = now();
            let mut n = 0u64;
            while now() - t0 < min_ms {
                std::hint::black_box(prepared.value_and_grad());
                n += 1;
            }
            n as f64 / ((now() - t0) / 1000.0)
        })
        .collect();
    let first: Vec<f64> = grad.iter().copied().take(4).collect();
    format!(
        "{{\"name\": \"{name}\", \"gradsPerSec\": {:.1}, \"value\": {value:?}, \"grad\": {}, \"gradLen\": {}}}",
        median(&mut rates),
        list(&first),
        grad.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each workload builds, and its gradient agrees with central differences of its value (array engine) or the
    /// lecture's closed form (the logistic map's derivative is the product of 4 − 8v along the orbit).
    #[test]
    fn the_workloads_compute_their_gradients() {
        for name in NAMES {
            let w = workload(name).unwrap();
            let p = Prepared::new(&w).unwrap();
            let (f, grad) = p.value_and_grad();
            assert!(f.is_finite(), "{name}: {f}");
            if let Prepared::Arrays(g) = &p {
                let n: usize = g.inputs.iter().map(|i| i.value.len()).sum();
                assert_eq!(grad.len(), n, "{name}");
                // A few entries against central differences.
                for j in [0, n / 2, n - 1] {
                    let at = |d: f64| {
                        let mut g2 = g.clone();
                        let mut k = 0;
                        for i in &mut g2.inputs {
                            for x in &mut i.value.data {
                                if k == j {
                                    *x += d;
                                }
                                k += 1;
                            }
                        }
                        nd::gradient(&g2).unwrap().0
                    };
                    let h = 1e-6;
                    let fd = (at(h) - at(-h)) / (2.0 * h);
                    assert!(
                        (fd - grad[j]).abs() <= 1e-6 * (1.0 + fd.abs()),
                        "{name} [{j}]: {} vs {fd}",
                        grad[j]
                    );
                }
            }
        }
        let json = run("logistic", 1, 0.0, &|| 0.0);
        assert!(json.contains("\"gradLen\": 1"), "{json}");
        assert!(mlp().tensors.contains("\"W1\": {\"shape\": [2, 16]"));
        assert_eq!(ridge().unwrap().tensors.matches("\"shape\"").count(), 6);
    }

    /// The native rates (`cargo test --release --lib tfjs_bench -- --ignored --nocapture`); the browser's are
    /// `scripts/tfjs-bench.sh`'s.
    #[test]
    #[ignore]
    fn native_rates() {
        let t0 = std::time::Instant::now();
        let now = || t0.elapsed().as_secs_f64() * 1000.0;
        for name in NAMES {
            println!("{}", run(name, 3, 500.0, &now));
        }
    }
}
