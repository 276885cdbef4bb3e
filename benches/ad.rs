//! `cargo bench`: the cost of a gradient relative to the cost of the function, for the logistic map with n = 10⁶
//! steps, by each engine. Timings are the median of repeated runs (native, release profile with opt-level 3).
//!
//! The lecture's claim to check: reverse mode "takes about the same time to compute the gradient and the function".

use std::hint::black_box;
use std::time::{Duration, Instant};

use ad_lab::ad::{dual, eval, lower_source_with, tape, Limits, Scalar};

const N: usize = 1_000_000;

fn logistic<S: Scalar>(x: S, n: usize) -> S {
    let mut v = x;
    for _ in 0..n {
        v = v * 4.0 * (S::from_f64(1.0) - v);
    }
    v
}

/// Median wall time of `f` over enough runs to fill about `budget`.
fn time<R>(budget: Duration, mut f: impl FnMut() -> R) -> Duration {
    let start = Instant::now();
    black_box(f());
    let once = start.elapsed().max(Duration::from_nanos(1));
    let runs = (budget.as_secs_f64() / once.as_secs_f64()).clamp(5.0, 200.0) as usize;
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:9.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let budget = Duration::from_millis(1500);
    let x = 0.3;
    println!("logistic map, n = {N} steps (3 elementary operations per step), at x = {x}\n");

    // Plain Rust f64: the function itself.
    let t_f = time(budget, || logistic(black_box(x), N));

    // Dual numbers: value and derivative in one forward pass.
    let t_dual = time(budget, || {
        dual::derivative(|v| logistic(v, N), black_box(x))
    });

    // Tape: record the evaluation, then one backward pass.
    let t_tape = time(budget, || {
        tape::grad(|v| logistic(v[0], N), &[black_box(x)])
    });
    let t_tape_record = time(budget, || {
        let t = tape::Tape::with_capacity(3 * N + 1);
        let v = t.var(black_box(x));
        logistic(v, N).value()
    });

    // The graph built from the lecture's Python, evaluated and differentiated by the interpreter.
    let src = format!(
        "def f(x, n={N}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n"
    );
    let limits = Limits {
        max_nodes: 4 * N,
        max_steps: 4 * N as u64,
    };
    let t_lower = time(budget, || lower_source_with(&src, &limits).map(|g| g.len()));
    let g = lower_source_with(&src, &limits).expect("the benchmark program compiles");
    let t_eval = time(budget, || eval::evaluate(&g, &[black_box(x)]));
    let t_rev = time(budget, || eval::value_and_grad(&g, &[black_box(x)]));
    let t_fwd = time(budget, || {
        let p = eval::evaluate(&g, &[black_box(x)]);
        eval::jvp(&g, &p, &[1.0])
    });

    // Sanity: all engines agree.
    let (fd, dd) = dual::derivative(|v| logistic(v, N), x);
    let (ft, dt) = tape::grad(|v| logistic(v[0], N), &[x]);
    let (fg, dg) = eval::value_and_grad(&g, &[x]);
    assert_eq!(
        (fd, ft, fg),
        (logistic(x, N), logistic(x, N), logistic(x, N))
    );
    assert!(dd == dt[0] && dt[0] == dg[0] || (dd.is_nan() && dt[0].is_nan() && dg[0].is_nan()));

    println!("{:<58} {}", "f in plain f64", ms(t_f));
    println!(
        "{:<58} {}   {:5.2}× f",
        "dual numbers: f and f' (forward mode)",
        ms(t_dual),
        t_dual.as_secs_f64() / t_f.as_secs_f64()
    );
    println!(
        "{:<58} {}   {:5.2}× f",
        "tape: record f (the forward sweep alone)",
        ms(t_tape_record),
        t_tape_record.as_secs_f64() / t_f.as_secs_f64()
    );
    println!(
        "{:<58} {}   {:5.2}× f,  {:4.2}× the recorded forward sweep",
        "tape: f and ∇f (record + backward pass)",
        ms(t_tape),
        t_tape.as_secs_f64() / t_f.as_secs_f64(),
        t_tape.as_secs_f64() / t_tape_record.as_secs_f64()
    );
    println!(
        "{:<58} {}",
        format!("graph: build from the Python program ({} nodes)", g.len()),
        ms(t_lower)
    );
    println!("{:<58} {}", "graph: evaluate f", ms(t_eval));
    println!(
        "{:<58} {}   {:5.2}× graph f",
        "graph: f and ∇f, reverse mode",
        ms(t_rev),
        t_rev.as_secs_f64() / t_eval.as_secs_f64()
    );
    println!(
        "{:<58} {}   {:5.2}× graph f",
        "graph: f and f', forward mode",
        ms(t_fwd),
        t_fwd.as_secs_f64() / t_eval.as_secs_f64()
    );
}
