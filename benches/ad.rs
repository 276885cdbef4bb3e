//! `cargo bench --bench ad`: the cost of a gradient relative to the cost of the function, for the logistic map with
//! n = 10⁶ steps (3·10⁶ elementary operations), by each engine. Timings are medians of repeated runs, native, bench
//! profile (opt-level 3).
//!
//! Each engine runs in a fresh process (this binary re-runs itself with `--engine NAME`): on the virtual machines
//! this was measured on, how fast a large buffer can be written depended on what the process had allocated and freed
//! before, which would measure the host rather than the engine. Buffers (tape, primals, adjoints) are reused between
//! runs, as in an optimiser's loop.
//!
//! The lecture's claim to check: reverse mode "takes about the same time to compute the gradient and the function".

use std::hint::black_box;

mod common;
use common::median_time;
use std::process::Command;
use std::time::Duration;

use ad_lab::ad::{dual, eval, tape};
use ad_lab::base::scalar::Scalar;
use ad_lab::lang::{lower_source_with, Limits};

const N: usize = 1_000_000;
const X: f64 = 0.3;

fn logistic<S: Scalar>(x: S, n: usize) -> S {
    let mut v = x;
    for _ in 0..n {
        v = v * 4.0 * (S::from_f64(1.0) - v);
    }
    v
}

/// The logistic map with `n` steps as the lecture's Python, and the limits that let it compile.
fn logistic_source(n: usize) -> String {
    format!(
        "def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n"
    )
}

fn logistic_limits(n: usize) -> Limits {
    Limits {
        max_nodes: 4 * n,
        max_steps: 4 * n as u64,
    }
}

fn logistic_graph(n: usize) -> ad_lab::lang::graph::Graph {
    lower_source_with(&logistic_source(n), &logistic_limits(n))
        .expect("the benchmark program compiles")
}

/// Runs one engine's measurements and prints `name seconds` lines.
fn engine(name: &str) {
    let report = |what: &str, d: Duration| println!("{what} {}", d.as_secs_f64());
    match name {
        "f" => report(
            "f",
            median_time(Duration::from_millis(1500), || logistic(black_box(X), N)),
        ),
        "dual" => report(
            "dual",
            median_time(Duration::from_millis(1500), || {
                dual::derivative(|v| logistic(v, N), black_box(X))
            }),
        ),
        "tape" => {
            let mut tp = tape::Tape::with_capacity(3 * N + 1);
            let mut grads = tape::Gradients::default();
            report(
                "tape_record",
                median_time(Duration::from_millis(1500), || {
                    tp.clear();
                    let v = tp.var(black_box(X));
                    logistic(v, N).value()
                }),
            );
            report(
                "tape_grad",
                median_time(Duration::from_millis(1500), || {
                    tp.clear();
                    let v = tp.var(black_box(X));
                    let y = logistic(v, N);
                    tp.gradient_into(y, &mut grads);
                    (y.value(), grads.wrt(v))
                }),
            );
        }
        "graph" => {
            let (src, limits) = (logistic_source(N), logistic_limits(N));
            let g = logistic_graph(N);
            let (mut primals, mut tangents, mut grad) = (Vec::new(), Vec::new(), Vec::new());
            let mut ws = eval::Workspace::default();
            report(
                "graph_eval",
                median_time(Duration::from_millis(1500), || {
                    eval::evaluate_into(&g, &[black_box(X)], &mut primals);
                    primals[primals.len() - 1]
                }),
            );
            report(
                "graph_reverse",
                median_time(Duration::from_millis(1500), || {
                    ws.value_and_grad(&g, &[black_box(X)], &mut grad)
                }),
            );
            report(
                "graph_forward",
                median_time(Duration::from_millis(1500), || {
                    eval::evaluate_into(&g, &[black_box(X)], &mut primals);
                    eval::jvp_into(&g, &primals, &[1.0], &mut tangents);
                    tangents[tangents.len() - 1]
                }),
            );
            report(
                "graph_build",
                median_time(Duration::from_millis(1500), || {
                    lower_source_with(&src, &limits).map(|g| g.len())
                }),
            );
        }
        // A program of the size the pages run (3·10⁴ nodes: values and adjoints stay in the cache).
        "graph_small" => {
            let g = logistic_graph(10_000);
            let (mut primals, mut grad) = (Vec::new(), Vec::new());
            let mut ws = eval::Workspace::default();
            report(
                "small_eval",
                median_time(Duration::from_millis(1500), || {
                    eval::evaluate_into(&g, &[black_box(X)], &mut primals);
                    primals[primals.len() - 1]
                }),
            );
            report(
                "small_reverse",
                median_time(Duration::from_millis(1500), || {
                    ws.value_and_grad(&g, &[black_box(X)], &mut grad)
                }),
            );
        }
        other => panic!("unknown engine {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--engine") {
        engine(&args[i + 1]);
        return;
    }
    // Sanity first: every engine gives the same numbers.
    let g = logistic_graph(N);
    let (fd, dd) = dual::derivative(|v| logistic(v, N), X);
    let tp = tape::Tape::new();
    let v = tp.var(X);
    let y = logistic(v, N);
    let (ft, dt) = (y.value(), vec![tp.gradient(y).wrt(v)]);
    let mut dg = Vec::new();
    let fg = eval::Workspace::default().value_and_grad(&g, &[X], &mut dg);
    assert!(fd == ft && ft == fg && fg == logistic(X, N));
    // After 10⁶ steps of a chaotic map the derivative has overflowed; the raw sweeps timed here (without the overflow
    // rule that the pages apply) must agree on that too (NaN: ∞ − ∞).
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    assert!(
        same(dd, dt[0]) && same(dt[0], dg[0]),
        "{dd} {} {}",
        dt[0],
        dg[0]
    );
    drop(g);

    let mut t = std::collections::HashMap::new();
    let exe = std::env::current_exe().expect("own path");
    for e in ["f", "dual", "tape", "graph", "graph_small"] {
        let out = Command::new(&exe)
            .args(["--engine", e])
            .output()
            .expect("engine run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some((k, v)) = line.split_once(' ') {
                t.insert(k.to_string(), v.parse::<f64>().unwrap_or(f64::NAN));
            }
        }
    }
    let ms = |k: &str| format!("{:9.2} ms", t[k] * 1e3);
    let ratio = |a: &str, b: &str| t[a] / t[b];
    println!("logistic map, n = {N} steps (3 elementary operations each), x = {X}; median times\n");
    println!("{:<52} {}", "f in plain f64", ms("f"));
    println!(
        "{:<52} {}  {:5.2}× f",
        "dual numbers: f and f′ (forward mode)",
        ms("dual"),
        ratio("dual", "f")
    );
    println!(
        "{:<52} {}  {:5.2}× f",
        "tape: record f (forward sweep)",
        ms("tape_record"),
        ratio("tape_record", "f")
    );
    println!(
        "{:<52} {}  {:5.2}× f, {:4.2}× the recorded sweep",
        "tape: f and ∇f (record + backward pass)",
        ms("tape_grad"),
        ratio("tape_grad", "f"),
        ratio("tape_grad", "tape_record")
    );
    println!(
        "{:<52} {}",
        "graph: build from the lecture's Python (3·10⁶ nodes)",
        ms("graph_build")
    );
    println!("{:<52} {}", "graph: evaluate f", ms("graph_eval"));
    println!(
        "{:<52} {}  {:5.2}× graph f",
        "graph: f and ∇f, reverse mode",
        ms("graph_reverse"),
        ratio("graph_reverse", "graph_eval")
    );
    println!(
        "{:<52} {}  {:5.2}× graph f",
        "graph: f and f′, forward mode",
        ms("graph_forward"),
        ratio("graph_forward", "graph_eval")
    );
    let us = |k: &str| format!("{:9.1} µs", t[k] * 1e6);
    println!(
        "{:<52} {}",
        "graph, n = 10⁴ (3·10⁴ nodes): evaluate f",
        us("small_eval")
    );
    println!(
        "{:<52} {}  {:5.2}× graph f",
        "graph, n = 10⁴: f and ∇f, reverse mode",
        us("small_reverse"),
        ratio("small_reverse", "small_eval")
    );
}
