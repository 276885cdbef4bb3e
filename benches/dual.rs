//! `cargo bench --bench dual`: AD Lab's `Dual<f64>` next to the num-dual crate's `Dual64`, on the same functions, in
//! the same run. Both compute f and f′ in one forward pass; the target is at most 1.1× num-dual's time.
//!
//! Our dual numbers pay for one thing num-dual's do not: the structural zero (a zero tangent times an infinite
//! partial is 0, not NaN), a compare per product.

use std::hint::black_box;
use std::time::Duration;

mod common;
use common::median_time;

use ad_lab::ad::dual::Dual;
use ad_lab::base::scalar::Scalar;
use num_dual::{Dual64, DualNum};

const N: usize = 1_000_000;
const M: usize = 100_000;

/// The lecture's f: the logistic map, n = 4 (products and differences only).
macro_rules! logistic {
    ($x:expr, $one:expr) => {{
        let mut v = $x;
        for _ in 0..4 {
            v = v * 4.0 * ($one - v);
        }
        v
    }};
}

/// Elementary functions: sin(x)·exp(−x²/2) + ln(1 + x²)/2 + sqrt(1 + x²)/4 − tanh(x)/3.
macro_rules! elementary {
    ($x:expr, $one:expr) => {{
        let v = $x;
        let s = v * v;
        v.sin() * (s * -0.5).exp() + (s + $one).ln() * 0.5 + (s + $one).sqrt() * 0.25
            - v.tanh() / 3.0
    }};
}

/// f and f′ at `count` points of [0, 1] (their sum, so nothing is optimised away): derivatives stay finite, as in a
/// plot of f′.
macro_rules! sweep {
    ($name:ident, $count:expr, $f:ident, $var:expr, $one:expr) => {
        fn $name(shift: f64) -> (f64, f64) {
            let (mut a, mut b) = (0.0, 0.0);
            for k in 0..$count {
                let x = shift + k as f64 / $count as f64;
                let y = $f!($var(x), $one);
                a += y.re;
                b += y.eps;
            }
            (a, b)
        }
    };
}

fn our_var(x: f64) -> Dual {
    Dual::variable(x)
}

fn their_var(x: f64) -> Dual64 {
    Dual64::from(x).derivative()
}

sweep!(ours_logistic, N, logistic, our_var, Dual::<f64>::one());
sweep!(theirs_logistic, N, logistic, their_var, Dual64::from(1.0));
sweep!(ours_elementary, M, elementary, our_var, Dual::<f64>::one());
sweep!(
    theirs_elementary,
    M,
    elementary,
    their_var,
    Dual64::from(1.0)
);

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // Same numbers first: the comparison is of the same computation.
    let (a, b) = (ours_logistic(0.0), theirs_logistic(0.0));
    assert_eq!(a, b);
    let (c, d) = (ours_elementary(0.0), theirs_elementary(0.0));
    assert!((c.0 - d.0).abs() < 1e-9 * d.0.abs() && (c.1 - d.1).abs() < 1e-9 * d.1.abs());

    let budget = Duration::from_millis(2000);
    println!("f and f′ by one forward pass, median times (same run)\n");
    for (name, ours, theirs) in [
        (
            "logistic map n = 4 at 10⁶ points",
            &(ours_logistic as fn(f64) -> (f64, f64)),
            &(theirs_logistic as fn(f64) -> (f64, f64)),
        ),
        (
            "sin·exp + ln + sqrt − tanh at 10⁵ points",
            &(ours_elementary as fn(f64) -> (f64, f64)),
            &(theirs_elementary as fn(f64) -> (f64, f64)),
        ),
    ] {
        // Alternate the two so that neither gets a warmer machine.
        let mut t_ours = Vec::new();
        let mut t_theirs = Vec::new();
        for _ in 0..3 {
            t_ours.push(median_time(budget / 3, || ours(black_box(0.0))));
            t_theirs.push(median_time(budget / 3, || theirs(black_box(0.0))));
        }
        t_ours.sort();
        t_theirs.sort();
        let (o, t) = (t_ours[1], t_theirs[1]);
        println!(
            "{name:<40} AD Lab Dual<f64> {:8.2} ms   num-dual Dual64 {:8.2} ms   ratio {:.2}",
            o.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3,
            o.as_secs_f64() / t.as_secs_f64()
        );
    }
}
