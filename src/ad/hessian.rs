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
use super::eval::{evaluate_into, evaluate_pinned, vjp_into, Singular};
use super::wide::Wide;
use crate::base::scalar::Scalar;
use crate::lang::graph::{Arg, Graph, Op};

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
    primals: Vec<f64>,
    duals: Vec<Dual<Wide>>,
    adjoints: Vec<Dual<Wide>>,
    inputs: Vec<Dual<Wide>>,
    seed: Vec<Dual<Wide>>,
}

impl HvpWorkspace {
    /// Forward over reverse: primals carry the tangent `v`, the reverse sweep differentiates along it. The sweep
    /// runs on [`Wide`] numbers around the program's own f64 values (the overflow rule, always on: within f64's
    /// normal range a `Wide` result has the f64 result's bits, and beyond it a second derivative reads ±∞, not NaN).
    /// One number type instead of two keeps the shipped code small; this is not a hot loop.
    pub fn hvp(&mut self, g: &Graph, x: &[f64], v: &[f64]) -> Hvp {
        evaluate_into(g, x, &mut self.primals);
        self.inputs.clear();
        self.inputs.extend(x.iter().enumerate().map(|(i, &xi)| {
            Dual::new(Wide::from(xi), Wide::from(v.get(i).copied().unwrap_or(0.0)))
        }));
        evaluate_pinned(
            g,
            &self.inputs,
            &self.primals,
            // Every value pinned to the program's own f64 value, overflowed ones included: a wide value there would
            // change what later operations make of it (pow(−∞, −1.63) is 0, pow(−10¹²⁰⁰, −1.63) NaN).
            |d, p| d.re = Wide::from(p),
            &mut self.duals,
        );
        sweep(g, &self.duals, &mut self.seed, &mut self.adjoints);
        let adj = |i: &crate::lang::graph::Input| self.adjoints[i.node.index()];
        Hvp {
            value: g
                .outputs
                .first()
                .map_or(f64::NAN, |o| self.primals[o.index()]),
            gradient: g.inputs.iter().map(|i| f64::from(adj(i).re)).collect(),
            hv: g.inputs.iter().map(|i| f64::from(adj(i).eps)).collect(),
        }
    }
}

/// The reverse sweep over dual numbers from the first output.
fn sweep<S: Scalar>(
    g: &Graph,
    primals: &[Dual<S>],
    seed: &mut Vec<Dual<S>>,
    adjoints: &mut Vec<Dual<S>>,
) {
    seed.clear();
    seed.resize(g.outputs.len(), Dual::new(S::zero(), S::zero()));
    if let Some(s) = seed.first_mut() {
        *s = Dual::new(S::one(), S::zero());
    }
    vjp_into(g, primals, seed, adjoints);
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

/// Which diagonal entries ∂²f/∂xⱼ² of the first output the chain rule cannot determine: those singular at first
/// order (see [`super::eval::singular_entries`]), and those with a local second derivative that is not a finite
/// number on a path from the input to the output (∂²(aᵇ)/∂a² with an infinite exponent, or at a = 0). There nested AD
/// and Taylor mode (which expands aᵇ as exp(b·ln a)) may legitimately say different things, as forward and reverse
/// mode may at first order.
pub fn singular_diagonal(g: &Graph, primals: &[f64]) -> Vec<bool> {
    let first = Singular::analyse(g, primals);
    if g.outputs.is_empty() {
        return vec![false; g.inputs.len()];
    }
    // A node's local second derivatives, computed with a wide exponent: not finite, beyond f64, or underflowing it
    // (0 or subnormal in f64 but not really zero: ∂²(1/u)/∂u² at u = 10³⁰⁰): the chain rule's second-order terms
    // are not the true ones there.
    let bad: Vec<bool> = (0..g.nodes.len())
        .map(|i| {
            second_partials::<Wide>(g, primals, i).iter().any(|&w| {
                let p = f64::from(w);
                !p.is_finite() || (p.abs() < f64::MIN_POSITIVE && !w.is_zero())
            })
        })
        .collect();
    (0..g.inputs.len())
        .map(|j| {
            first.cause(0, j).is_some()
                || (0..g.nodes.len()).any(|i| bad[i] && first.connects(0, j, i))
        })
        .collect()
}

/// Node `i`'s local second derivatives (each partial differentiated along each operand that varies).
fn second_partials<S: Scalar>(g: &Graph, primals: &[f64], i: usize) -> Vec<S> {
    let v = S::from_f64(primals[i]);
    match g.nodes[i].op {
        Op::Input(_) | Op::Const(_) => Vec::new(),
        Op::Unary(op, a) => {
            let a0 = S::from_f64(primals[a.index()]);
            let p1 = op.partial(a0, v);
            vec![op.partial(Dual::new(a0, S::one()), Dual::new(v, p1)).eps]
        }
        Op::Binary(op, a, b) => {
            let (x, y) = (S::from_f64(arg(a, primals)), S::from_f64(arg(b, primals)));
            let (pa, pb) = op.partials(x, y, v);
            let mut out = Vec::new();
            for (moves, da, db, dv) in [
                (a.node().is_some(), S::one(), S::zero(), pa),
                (b.node().is_some(), S::zero(), S::one(), pb),
            ] {
                if moves {
                    let (qa, qb) =
                        op.partials(Dual::new(x, da), Dual::new(y, db), Dual::new(v, dv));
                    if a.node().is_some() {
                        out.push(qa.eps);
                    }
                    if b.node().is_some() {
                        out.push(qb.eps);
                    }
                }
            }
            out
        }
    }
}

fn arg(a: Arg, primals: &[f64]) -> f64 {
    match a {
        Arg::Node(n) => primals[n.index()],
        Arg::Const(c) => c,
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

    /// The logistic map at 0.25 for 1100 steps: f′ and f″ are beyond the largest f64; the overflow rule makes them
    /// −∞ (as Taylor mode says: f″ ≈ −(4/3)·4ⁿ), not NaN.
    #[test]
    fn second_derivatives_beyond_the_largest_f64_are_infinite() {
        let g = lower_source(
            "def f(x, n=1100):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n",
        )
        .unwrap();
        let h = hessian(&g, &[0.25]);
        let taylor = crate::ad::taylor::derivatives_along::<3>(&g, &[0.25], 0, 0);
        assert_eq!(h.gradient[0], f64::NEG_INFINITY);
        assert_eq!(taylor[1], f64::NEG_INFINITY);
        assert_eq!(h.matrix[0][0], f64::NEG_INFINITY);
        assert_eq!(h.matrix[0][0], taylor[2]);
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
