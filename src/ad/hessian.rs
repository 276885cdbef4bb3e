//! Second derivatives on a graph by nested AD: forward over reverse.
//!
//! The reverse sweep of [`super::eval::vjp_into`] is run on dual numbers whose tangent part is a direction `v`: the
//! adjoints' real parts are the gradient, their tangent parts the Hessian-vector product `H·v` — one forward and one
//! backward sweep, at about twice the cost of a gradient. The full Hessian takes `n` such products.
//!
//! ```
//! let g = ad_lab::lang::lower_source("log(x1) + x1*x2 - sin(x2)").unwrap();
//! let h = ad_lab::ad::hessian::hessian(&g, &[2.0, 5.0]);
//! assert_eq!(h.matrix, vec![vec![-0.25, 1.0], vec![1.0, -0.9589242746631385]]);
//! ```

use super::dual::Dual;
use super::eval::{evaluate_into, vjp_into};
use crate::lang::graph::Graph;

/// f, ∇f and H·v for the first output, at `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hvp {
    pub value: f64,
    pub gradient: Vec<f64>,
    pub hv: Vec<f64>,
}

/// Buffers for repeated Hessian-vector products on one graph.
#[derive(Clone, Debug, Default)]
pub struct HvpWorkspace {
    primals: Vec<Dual>,
    adjoints: Vec<Dual>,
    inputs: Vec<Dual>,
    seed: Vec<Dual>,
}

impl HvpWorkspace {
    /// Forward over reverse: primals carry the tangent `v`, the reverse sweep differentiates along it.
    pub fn hvp(&mut self, g: &Graph, x: &[f64], v: &[f64]) -> Hvp {
        self.inputs.clear();
        self.inputs.extend(
            x.iter()
                .enumerate()
                .map(|(i, &xi)| Dual::new(xi, v.get(i).copied().unwrap_or(0.0))),
        );
        evaluate_into(g, &self.inputs, &mut self.primals);
        self.seed.clear();
        self.seed.resize(g.outputs.len(), Dual::new(0.0, 0.0));
        if let Some(s) = self.seed.first_mut() {
            *s = Dual::new(1.0, 0.0);
        }
        vjp_into(g, &self.primals, &self.seed, &mut self.adjoints);
        let adj = |i: &crate::lang::graph::Input| self.adjoints[i.node.index()];
        Hvp {
            value: g
                .outputs
                .first()
                .map_or(f64::NAN, |o| self.primals[o.index()].re),
            gradient: g.inputs.iter().map(|i| adj(i).re).collect(),
            hv: g.inputs.iter().map(|i| adj(i).eps).collect(),
        }
    }
}

/// H·v of the first output at `x` (with f and ∇f).
pub fn hvp(g: &Graph, x: &[f64], v: &[f64]) -> Hvp {
    HvpWorkspace::default().hvp(g, x, v)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hessian {
    pub value: f64,
    pub gradient: Vec<f64>,
    /// `matrix[a][b]` = ∂²f/∂a∂b, inputs in the graph's order.
    pub matrix: Vec<Vec<f64>>,
}

/// The full Hessian of the first output: one Hessian-vector product per input (column `j` is `H·e_j`).
pub fn hessian(g: &Graph, x: &[f64]) -> Hessian {
    let n = g.inputs.len();
    let mut ws = HvpWorkspace::default();
    let mut matrix = vec![vec![0.0; n]; n];
    let mut value = f64::NAN;
    let mut gradient = vec![0.0; n];
    let mut e = vec![0.0; n];
    for j in 0..n {
        e.iter_mut().for_each(|c| *c = 0.0);
        e[j] = 1.0;
        let r = ws.hvp(g, x, &e);
        for (row, h) in matrix.iter_mut().zip(&r.hv) {
            row[j] = *h;
        }
        value = r.value;
        gradient = r.gradient;
    }
    if n == 0 {
        value = ws.hvp(g, x, &[]).value;
    }
    Hessian {
        value,
        gradient,
        matrix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower_source;

    /// The issue's example: log(x1) + x1·x2 − sin(x2) at (2, 5).
    #[test]
    fn the_worked_example() {
        let g = lower_source("log(x1) + x1*x2 - sin(x2)").unwrap();
        let h = hessian(&g, &[2.0, 5.0]);
        assert_eq!(h.matrix[0][0], -0.25);
        assert_eq!((h.matrix[0][1], h.matrix[1][0]), (1.0, 1.0));
        assert_eq!(h.matrix[1][1], crate::base::math::sin(5.0));
        assert_eq!(h.matrix[1][1], -0.9589242746631385);
    }

    #[test]
    fn diagonal_agrees_with_taylor_mode_and_off_diagonal_with_differences() {
        let g =
            lower_source("def f(x, y, z):\n  return exp(x*y) / (1 + z**2) + tanh(x - z) * sqrt(y)")
                .unwrap();
        let p = [0.3, 1.7, -0.4];
        let h = hessian(&g, &p);
        for i in 0..3 {
            let d2 = crate::ad::taylor::derivatives_along::<3>(&g, &p, i, 0)[2];
            assert!(
                (h.matrix[i][i] - d2).abs() <= 1e-12 * d2.abs().max(1.0),
                "{i}: {} vs {d2}",
                h.matrix[i][i]
            );
        }
        let step = 1e-5;
        for j in 0..3 {
            let mut hi = p;
            let mut lo = p;
            hi[j] += step;
            lo[j] -= step;
            let gh = crate::ad::eval::value_and_grad(&g, &hi).1;
            let gl = crate::ad::eval::value_and_grad(&g, &lo).1;
            for i in 0..3 {
                let fd = (gh[i] - gl[i]) / (2.0 * step);
                assert!(
                    (h.matrix[i][j] - fd).abs() < 1e-7,
                    "({i},{j}): {} vs {fd}",
                    h.matrix[i][j]
                );
            }
        }
    }
}
