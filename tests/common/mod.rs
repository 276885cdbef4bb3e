//! Helpers shared by the test files that compare two lowerings of one program.

use ad_lab::ad::eval;
use ad_lab::lang::graph::Graph;

/// Every output's value, then every output's gradient (one reverse sweep each), at `x`.
pub fn every_output_and_gradient(g: &Graph, x: &[f64]) -> Vec<f64> {
    let p = eval::evaluate(g, x);
    let mut all = eval::outputs(g, &p);
    for k in 0..g.outputs.len() {
        let mut seed = vec![0.0; g.outputs.len()];
        seed[k] = 1.0;
        let adj = eval::vjp(g, &p, &seed);
        all.extend(g.inputs.iter().map(|i| adj[i.node.index()]));
    }
    all
}

/// The same numbers bit for bit (any NaN equals any NaN).
pub fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}
