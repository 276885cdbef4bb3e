//! `cargo bench --bench hyper`: one hypergradient on the diabetes data (train set, T = 1000 steps of gradient
//! descent), by each mode, and the memory each keeps.
//!
//! - `#/learn`: dL/dρ of L(ρ) = ℓ(GD(ρ)) (λ = 10, ρ = 0.002): reverse mode through the T steps (the tape), forward
//!   mode (one tangent carried along), and the closed form from the eigendecomposition of XᵀX + λI;
//! - `#/hyper`: dV/dλ of the validation loss: unrolled (forward and reverse mode through T steps with step
//!   1/(a_max + λ)) and implicit (two Cholesky solves).
//!
//! Median of repeated runs, native, bench profile.

mod common;
use common::median_time;
use std::time::Duration;

use ad_lab::lab::hyper;
use ad_lab::lab::learn::{self, Problem, Spectrum};

fn us(d: Duration) -> String {
    format!("{:9.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    const T: usize = 1000;
    let budget = Duration::from_millis(1500);
    let q = Problem::Diabetes.quad().unwrap();
    let spec = Spectrum::of(&q);
    let rho = 0.002;
    let (_, _, records) = learn::reverse(&q, rho, T);
    let t_rev = median_time(budget, || learn::reverse(&q, rho, T));
    let t_fwd = median_time(budget, || learn::forward(&q, rho, T));
    let t_closed = median_time(budget, || spec.closed(rho, T));
    let t_spec = median_time(budget, || Spectrum::of(&q));
    let d = q.d;
    println!("#/learn, diabetes (d = {d}), T = {T}: dL/dρ");
    println!(
        "  reverse mode (tape)        {}   stores {} numbers ({records} records × 2 partials)",
        us(t_rev),
        2 * records
    );
    println!(
        "  forward mode (one tangent) {}   stores {} numbers (β and dβ/dρ)",
        us(t_fwd),
        2 * d
    );
    println!(
        "  closed form                {}   (+ {} once for the eigendecomposition)",
        us(t_closed),
        us(t_spec).trim()
    );

    let p = hyper::Problem::diabetes().unwrap();
    let (_, _, records) = p.unrolled_reverse(1.0, T);
    let t_rev = median_time(budget, || p.unrolled_reverse(1.0, T));
    let t_fwd = median_time(budget, || p.unrolled_forward(1.0, T));
    let t_imp = median_time(budget, || p.implicit(&[1.0; 10]));
    println!("#/hyper, diabetes, λ = 1, T = {T}: dV/dλ");
    println!(
        "  unrolled, reverse mode     {}   stores {} numbers ({records} records × 2 partials)",
        us(t_rev),
        2 * records
    );
    println!(
        "  unrolled, forward mode     {}   stores {} numbers",
        us(t_fwd),
        2 * d
    );
    println!(
        "  implicit (two solves)      {}   stores the 10 × 10 factor",
        us(t_imp)
    );
}
