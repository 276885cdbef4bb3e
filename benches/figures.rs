//! `cargo bench --bench figures`: the numeric and symbolic chapters' computations, as they run on each edit.
//!
//! - expression swell: every row's sizes for N = 30 (logistic map), with the simplified column as far as its work
//!   budget allows (target ≤ 50 ms);
//! - the finite-difference sweep: 65 steps h × 2 schemes, plus AD, Taylor-mode f″ and f‴ and the symbolic derivative
//!   (target: within one 16 ms frame).
//!
//! Median of repeated runs, native, bench profile.

mod common;
use common::{median_time, ms};
use std::time::Duration;

use ad_lab::lab::numeric::{NumericAction, NumericState};
use ad_lab::lab::program::ProgramAction;
use ad_lab::lab::symbolic::{SymbolicAction, SymbolicState};
use ad_lab::lab::ChapterModel;

fn main() {
    for n in [12, 30] {
        let s = SymbolicState::default().apply(SymbolicAction::NMax(n.to_string()));
        let sw = s.swell().unwrap();
        let simplified = sw.rows.iter().filter(|r| r.df_simplified.is_some()).count();
        let t = median_time(Duration::from_millis(1000), || {
            s.swell().map(|sw| sw.rows.len())
        });
        println!(
            "expression swell, logistic map, N = {n:>2} ({simplified} rows simplified)   {}",
            ms(t)
        );
    }
    for (name, src) in [
        ("logistic map, n = 4", None),
        ("log(1 + x²)/x", Some("def f(x):\n  return np.log(1 + x ** 2) / x\n")),
        ("logistic map, n = 50", Some("def f(x, n=50):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n")),
    ] {
        let mut s = NumericState::default();
        if let Some(src) = src {
            s = s.apply(NumericAction::Program(ProgramAction::Source(src.into())));
        }
        let t = median_time(Duration::from_millis(1000), || s.results().map(|r| r.hs.len()));
        println!("finite-difference sweep and error model, {name:<22} {}", ms(t));
    }
}
