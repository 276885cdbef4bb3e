//! `cargo bench --bench graph_lab`: what the graph lab recomputes when the program changes — build the graph, both
//! step-by-step traces and the layout — for the logistic map with n = 50, 500 and 2 500 steps (151, 1 501 and 7 501
//! nodes). Median of repeated runs, native, bench profile.

mod common;
use common::{median_time, ms};
use std::time::Duration;

use ad_lab::ad::trace::{forward_trace, reverse_trace};
use ad_lab::lab::graph::{GraphState, Mode};
use ad_lab::lab::program::ProgramState;
use ad_lab::lang::{lower_source_with, Limits};
use ad_lab::layout::layout;

fn main() {
    let limits = Limits {
        max_nodes: 20_000,
        max_steps: 1_000_000,
    };
    println!(
        "{:>6} {:>7} {:>11} {:>11} {:>11} {:>11} {:>12} {:>14}",
        "n", "nodes", "build", "forward", "reverse", "layout", "total", "whole session"
    );
    for n in [50usize, 500, 2500] {
        let src = format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n");
        let g = lower_source_with(&src, &limits).unwrap();
        let t_build = median_time(Duration::from_millis(1000), || {
            lower_source_with(&src, &limits).map(|g| g.len())
        });
        let t_fwd = median_time(Duration::from_millis(1000), || forward_trace(&g, &[0.3], 0));
        let t_rev = median_time(Duration::from_millis(1000), || reverse_trace(&g, &[0.3], 0));
        let t_layout = median_time(Duration::from_millis(1000), || layout(&g).unwrap());
        let total = t_build + t_fwd + t_rev + t_layout;
        // Everything the chapter computes on a keystroke: also the Jacobians, the generated programs (run back by the
        // core to check them) and the first step's view. The layout is skipped above 1 500 nodes (not drawn).
        let state = GraphState {
            program: ProgramState::new(&src, &[("x".into(), "0.3".into())], limits.clone()),
            mode: Mode::Reverse,
            wrt: 0,
            out: 0,
            step: 0,
            practice: Default::default(),
            exercise: None,
        };
        let t_session = median_time(Duration::from_millis(1000), || {
            let s = state.session().unwrap();
            s.view(Mode::Reverse, g.len() + 1).k
        });
        println!(
            "{n:>6} {:>7} {} {} {} {} {} {}",
            g.len(),
            ms(t_build),
            ms(t_fwd),
            ms(t_rev),
            ms(t_layout),
            ms(total),
            ms(t_session)
        );
    }
}
