//! The engines on the array graph ([`AGraph`]): evaluation, forward mode (one JVP sweep), reverse mode (one VJP
//! sweep) and the Hessian by forward over reverse (the reverse sweep run on dual numbers, one pass per input
//! number). All are generic over [`Scalar`] and use only the rules of [`crate::base::aop`].
//!
//! ```
//! use ad_lab::ad::nd;
//! use ad_lab::lang::lower::arrays::lower_arrays;
//! let g = lower_arrays(
//!     "import autograd.numpy as np\ndef f(w=np.array([1.0, 2.0])):\n  return np.sum(w ** 2)\n",
//!     &[],
//! )
//! .unwrap();
//! let (value, grad) = nd::gradient(&g).unwrap();
//! assert_eq!((value, grad[0].data.clone()), (5.0, vec![2.0, 4.0]));
//! ```

use crate::ad::dual::Dual;
use crate::base::array::Array;
use crate::base::scalar::Scalar;
use crate::lang::agraph::{AGraph, AOpNode};

/// Every node's value, for the inputs given (one array per input, of its shape).
pub fn evaluate<S: Scalar>(g: &AGraph, inputs: &[Array<S>]) -> Result<Vec<Array<S>>, String> {
    let mut values: Vec<Array<S>> = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        let v = match &n.op {
            AOpNode::Input(i) => inputs[*i as usize].clone(),
            AOpNode::Const(c) => Array {
                shape: c.shape.clone(),
                data: c.data.iter().map(|&x| S::from_f64(x)).collect(),
            },
            AOpNode::Prim(op, args) => {
                let a: Vec<&Array<S>> = args.iter().map(|p| &values[p.index()]).collect();
                op.value(&a)?
            }
        };
        values.push(v);
    }
    Ok(values)
}

/// The inputs' values as the program gives them.
pub fn point(g: &AGraph) -> Vec<Array> {
    g.inputs.iter().map(|i| i.value.clone()).collect()
}

/// Which nodes depend on an input: only theirs are worth a cotangent.
pub fn live(g: &AGraph) -> Vec<bool> {
    let mut live = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        let l = match &n.op {
            AOpNode::Input(_) => true,
            AOpNode::Const(_) => false,
            AOpNode::Prim(_, args) => args.iter().any(|p| live[p.index()]),
        };
        live.push(l);
    }
    live
}

/// Reverse mode: the output's cotangent `seed` swept back through every node that depends on an input; returns each
/// input's cotangent.
pub fn vjp<S: Scalar>(g: &AGraph, values: &[Array<S>], seed: Array<S>) -> Vec<Array<S>> {
    let mut adj = node_adjoints(g, values, seed);
    g.inputs
        .iter()
        .map(|i| {
            adj[i.node.index()]
                .take()
                .unwrap_or_else(|| Array::zeros(&g.nodes[i.node.index()].shape))
        })
        .collect()
}

/// Every node's cotangent after the reverse sweep from the output's `seed` (`None` for a node that no path from an
/// input to the output crosses): what the graph lab shows node by node.
pub fn node_adjoints<S: Scalar>(
    g: &AGraph,
    values: &[Array<S>],
    seed: Array<S>,
) -> Vec<Option<Array<S>>> {
    let live = live(g);
    let mut adj: Vec<Option<Array<S>>> = vec![None; g.nodes.len()];
    adj[g.output().index()] = Some(seed);
    for (k, n) in g.nodes.iter().enumerate().rev() {
        let AOpNode::Prim(op, args) = &n.op else {
            continue;
        };
        let Some(gk) = adj[k].as_ref().filter(|_| live[k]) else {
            continue;
        };
        let a: Vec<&Array<S>> = args.iter().map(|p| &values[p.index()]).collect();
        let need: Vec<bool> = args.iter().map(|p| live[p.index()]).collect();
        let parts = op.vjp_needed(&a, &values[k], gk, &need);
        for ((p, d), need) in args.iter().zip(parts).zip(need) {
            if !need {
                continue;
            }
            let slot = &mut adj[p.index()];
            *slot = Some(match slot.take() {
                None => d,
                Some(mut acc) => {
                    for (x, y) in acc.data.iter_mut().zip(&d.data) {
                        *x = *x + *y;
                    }
                    acc
                }
            });
        }
    }
    adj
}

/// Forward mode: the output's value and its tangent for the inputs' tangents.
pub fn jvp<S: Scalar>(
    g: &AGraph,
    inputs: &[Array<S>],
    tangents: &[Array<S>],
) -> Result<(Array<S>, Array<S>), String> {
    let values = evaluate(g, inputs)?;
    let tan = node_tangents(g, &values, tangents);
    let o = g.output().index();
    Ok((values[o].clone(), tan[o].clone()))
}

/// Every node's tangent for the inputs' `tangents`, the nodes' `values` given: forward mode node by node.
pub fn node_tangents<S: Scalar>(
    g: &AGraph,
    values: &[Array<S>],
    tangents: &[Array<S>],
) -> Vec<Array<S>> {
    let mut tan: Vec<Array<S>> = Vec::with_capacity(g.nodes.len());
    for (k, n) in g.nodes.iter().enumerate() {
        let t = match &n.op {
            AOpNode::Input(i) => tangents[*i as usize].clone(),
            AOpNode::Const(c) => Array::zeros(&c.shape),
            AOpNode::Prim(op, args) => {
                let a: Vec<&Array<S>> = args.iter().map(|p| &values[p.index()]).collect();
                let t: Vec<&Array<S>> = args.iter().map(|p| &tan[p.index()]).collect();
                op.jvp(&a, &values[k], &t)
            }
        };
        tan.push(t);
    }
    tan
}

fn scalar_output<S: Scalar>(g: &AGraph, values: &[Array<S>]) -> Result<S, String> {
    one_number(&values[g.output().index()])
}

fn one_number<S: Scalar>(out: &Array<S>) -> Result<S, String> {
    match out.data.as_slice() {
        [x] => Ok(*x),
        _ => Err(format!(
            "a gradient needs a function that returns one number; this one returns an array of shape {}",
            crate::base::array::fmt_shape(&out.shape)
        )),
    }
}

/// Reverse mode at the program's point: the value and the gradient for every input, in the inputs' shapes.
pub fn gradient(g: &AGraph) -> Result<(f64, Vec<Array>), String> {
    let values = evaluate(g, &point(g))?;
    let f = scalar_output(g, &values)?;
    Ok((f, vjp(g, &values, Array::scalar(1.0))))
}

/// Forward mode at the program's point: the gradient one input number at a time (n JVPs), in the inputs' shapes.
pub fn gradient_forward(g: &AGraph) -> Result<Vec<Array>, String> {
    let x = point(g);
    // The values once; each pass is then tangents only.
    let values = evaluate(g, &x)?;
    let o = g.output().index();
    one_number(&values[o])?;
    let mut grads: Vec<Array> = x.iter().map(|a| Array::zeros(&a.shape)).collect();
    for i in 0..x.len() {
        for j in 0..x[i].len() {
            let mut t: Vec<Array> = x.iter().map(|a| Array::zeros(&a.shape)).collect();
            t[i].data[j] = 1.0;
            grads[i].data[j] = node_tangents(g, &values, &t)[o].data[0];
        }
    }
    Ok(grads)
}

/// The Hessian over all input numbers (inputs in order, each row-major), by forward over reverse: row j is the
/// reverse sweep run on dual numbers whose tangent is the j-th unit vector.
pub fn hessian(g: &AGraph) -> Result<Vec<Vec<f64>>, String> {
    let x = point(g);
    let n: usize = x.iter().map(Array::len).sum();
    let mut rows = Vec::with_capacity(n);
    for j in 0..n {
        let mut k = 0;
        let dual: Vec<Array<Dual>> = x
            .iter()
            .map(|a| {
                let data = a
                    .data
                    .iter()
                    .map(|&v| {
                        k += 1;
                        Dual::new(v, if k - 1 == j { 1.0 } else { 0.0 })
                    })
                    .collect();
                Array {
                    shape: a.shape.clone(),
                    data,
                }
            })
            .collect();
        let values = evaluate(g, &dual)?;
        scalar_output(g, &values)?;
        let grads = vjp(g, &values, Array::scalar(Dual::constant(1.0)));
        rows.push(
            grads
                .iter()
                .flat_map(|a| a.data.iter().map(|d| d.eps))
                .collect(),
        );
    }
    Ok(rows)
}
