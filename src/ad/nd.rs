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
use crate::base::aop::AOp;
use crate::base::array::Array;
use crate::base::scalar::Scalar;
use crate::lang::agraph::{AGraph, AOpNode};
use crate::lang::graph::NodeId;

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
    live_for(g, &[])
}

/// Which nodes depend on an input marked in `wrt` (an input past its end counts as marked).
pub fn live_for(g: &AGraph, wrt: &[bool]) -> Vec<bool> {
    let mut live = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        let l = match &n.op {
            AOpNode::Input(i) => wrt.get(*i as usize).copied().unwrap_or(true),
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
    tangents_moving(g, values, tangents, &live(g))
        .into_iter()
        .zip(&g.nodes)
        .map(|(t, n)| t.unwrap_or_else(|| Array::zeros(&n.shape)))
        .collect()
}

/// Forward mode through the nodes marked in `moves` (those that depend on a moving input); the others' tangents are
/// zero and neither computed nor stored (`None`), and a moving input's tangent is all that is read of `tangents`.
fn tangents_moving<S: Scalar>(
    g: &AGraph,
    values: &[Array<S>],
    tangents: &[Array<S>],
    moves: &[bool],
) -> Vec<Option<Array<S>>> {
    let mut tan: Vec<Option<Array<S>>> = Vec::with_capacity(g.nodes.len());
    for (k, n) in g.nodes.iter().enumerate() {
        let t = match &n.op {
            AOpNode::Input(i) if moves[k] => Some(tangents[*i as usize].clone()),
            AOpNode::Prim(op, args) if moves[k] => {
                // A product or an elementwise operation skips a still argument; the others read zeros.
                let skips = matches!(op, AOp::MatMul | AOp::Zip(_));
                let still: Vec<Array<S>> = args
                    .iter()
                    .map(|p| match moves[p.index()] || skips {
                        true => Array {
                            shape: Vec::new(),
                            data: Vec::new(),
                        },
                        false => Array::zeros(&g.nodes[p.index()].shape),
                    })
                    .collect();
                let a: Vec<&Array<S>> = args.iter().map(|p| &values[p.index()]).collect();
                let t: Vec<&Array<S>> = args
                    .iter()
                    .zip(&still)
                    .map(|(p, z)| tan[p.index()].as_ref().unwrap_or(z))
                    .collect();
                let m: Vec<bool> = args.iter().map(|p| moves[p.index()]).collect();
                Some(op.jvp_moving(&a, &values[k], &t, &m))
            }
            _ => None,
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

/// Where input number `k` is, counting the numbers of arrays of lengths `lens` in order (each row-major): the array
/// and the entry in it; `None` past the last.
pub fn locate(lens: impl IntoIterator<Item = usize>, mut k: usize) -> Option<(usize, usize)> {
    for (i, n) in lens.into_iter().enumerate() {
        if k < n {
            return Some((i, k));
        }
        k -= n;
    }
    None
}

/// Tangents for inputs of these shapes that seed input number `k` with 1: the k-th unit vector, in their shapes.
pub fn unit_seeds<'a>(shapes: impl IntoIterator<Item = &'a [usize]>, k: usize) -> Vec<Array> {
    let mut seeds: Vec<Array> = shapes.into_iter().map(Array::zeros).collect();
    if let Some((i, j)) = locate(seeds.iter().map(Array::len), k) {
        seeds[i].data[j] = 1.0;
    }
    seeds
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

/// The array graph run again and again at inputs of the same shapes, as training runs it (a batch and the weights
/// set, then a sweep forward and one back, at every step): every node's value and cotangent, and the VJP's scratch,
/// are allocated once, and each step computes into them with the primitives' own rules ([`AOp::value_into`],
/// [`AOp::vjp_into`]) in the order [`evaluate`] and [`node_adjoints`] use, so its numbers are theirs to the bit.
///
/// [`AOp::value_into`]: crate::base::aop::AOp::value_into
/// [`AOp::vjp_into`]: crate::base::aop::AOp::vjp_into
///
/// ```
/// use ad_lab::ad::nd::Plan;
/// use ad_lab::base::aop::AOp;
/// use ad_lab::base::array::Array;
/// use ad_lab::base::op::Binary;
/// use ad_lab::lang::agraph::AGraph;
/// // sum(w * x) with x data: the gradient is x.
/// let mut g = AGraph::default();
/// let w = g.add_input("w", Array::new(vec![2], vec![1.0, 2.0]));
/// let x = g.add_input("x", Array::new(vec![2], vec![0.0, 0.0]));
/// let p = g.add(AOp::Zip(Binary::Mul), &[w, x]).unwrap();
/// let s = g.add(AOp::Reduce(ad_lab::base::aop::Reduction::Sum, None), &[p]).unwrap();
/// g.outputs.push(s);
/// let mut plan = Plan::new(g, &[true, false]).unwrap();
/// plan.input(1).copy_from_slice(&[3.0, 4.0]);
/// plan.forward().unwrap();
/// plan.backward(s, &[1.0]);
/// assert_eq!((plan.value(s).data[0], plan.gradient(0)), (11.0, &[3.0, 4.0][..]));
/// ```
#[derive(Clone, Debug)]
pub struct Plan {
    graph: AGraph,
    values: Vec<Array>,
    adjoints: Vec<Array>,
    /// Whether the last reverse sweep reached the node (its cotangent is then set).
    reached: Vec<bool>,
    /// For each node, a buffer per argument (of at most two) for the VJP's result: the first share of a cotangent is
    /// swapped in rather than copied.
    scratch: Vec<[Vec<f64>; 2]>,
    /// Depends on an input whose cotangent is wanted.
    live: Vec<bool>,
    /// An output depends on it: the others are not computed.
    needed: Vec<bool>,
    /// For each node, whether its first two arguments want a cotangent.
    wants: Vec<[bool; 2]>,
}

impl Plan {
    /// The plan for `graph`, evaluated once at the values its inputs hold (which checks it; the numbers then live in
    /// the plan, and the plan's graph keeps only the inputs' shapes); reverse mode gives the cotangents of the inputs
    /// marked in `wrt` (an input past its end counts as marked). A product with a transpose only it reads becomes one
    /// [`AOp::MatMulT`] (the same numbers), and a node no output depends on is not computed again.
    pub fn new(mut graph: AGraph, wrt: &[bool]) -> Result<Plan, String> {
        // The inputs' numbers move into the plan (the graph keeps their shapes): a chain's weights are held once.
        let inputs: Vec<Array> = graph
            .inputs
            .iter_mut()
            .map(|i| Array {
                shape: i.value.shape.clone(),
                data: std::mem::take(&mut i.value.data),
            })
            .collect();
        let values = evaluate(&graph, &inputs)?;
        drop(inputs);
        fuse(&mut graph);
        let mut needed = vec![false; graph.nodes.len()];
        for o in &graph.outputs {
            needed[o.index()] = true;
        }
        for k in (0..graph.nodes.len()).rev() {
            if let (true, AOpNode::Prim(_, args)) = (needed[k], &graph.nodes[k].op) {
                args.iter().for_each(|p| needed[p.index()] = true);
            }
        }
        let live = live_for(&graph, wrt);
        let adjoints = values.iter().map(|v| Array::zeros(&v.shape)).collect();
        let scratch = graph
            .nodes
            .iter()
            .map(|n| match &n.op {
                AOpNode::Prim(_, args) if args.len() <= 2 => {
                    let buf = |j: usize| {
                        args.get(j)
                            .map_or(Vec::new(), |p| vec![0.0; values[p.index()].len()])
                    };
                    [buf(0), buf(1)]
                }
                _ => [Vec::new(), Vec::new()],
            })
            .collect();
        let wants = graph
            .nodes
            .iter()
            .map(|n| match &n.op {
                AOpNode::Prim(_, args) => {
                    [0, 1].map(|j| args.get(j).is_some_and(|p| live[p.index()]))
                }
                _ => [false; 2],
            })
            .collect();
        Ok(Plan {
            reached: vec![false; graph.nodes.len()],
            wants,
            graph,
            values,
            adjoints,
            scratch,
            live,
            needed,
        })
    }

    pub fn graph(&self) -> &AGraph {
        &self.graph
    }

    /// Every node's value after the last [`Plan::forward`].
    pub fn values(&self) -> &[Array] {
        &self.values
    }

    pub fn value(&self, node: NodeId) -> &Array {
        &self.values[node.index()]
    }

    /// The numbers of input `i` (row-major), to set before a forward sweep.
    pub fn input(&mut self, i: usize) -> &mut [f64] {
        let node = self.graph.inputs[i].node.index();
        &mut self.values[node].data
    }

    /// Every node's value from the inputs' (an error only where a primitive can fail: a singular solve).
    pub fn forward(&mut self) -> Result<(), String> {
        for k in 0..self.values.len() {
            let AOpNode::Prim(op, args) = &self.graph.nodes[k].op else {
                continue;
            };
            if !self.needed[k] {
                continue;
            }
            let (done, rest) = self.values.split_at_mut(k);
            let out = &mut rest[0];
            match args[..] {
                [p] => op.value_into(&[&done[p.index()]], &out.shape, &mut out.data)?,
                [p, q] => op.value_into(
                    &[&done[p.index()], &done[q.index()]],
                    &out.shape,
                    &mut out.data,
                )?,
                _ => {
                    let a: Vec<&Array> = args.iter().map(|p| &done[p.index()]).collect();
                    op.value_into(&a, &out.shape, &mut out.data)?
                }
            }
        }
        Ok(())
    }

    /// Reverse mode from `root` with cotangent `seed` (its numbers, of the root's size), after a forward sweep.
    pub fn backward(&mut self, root: NodeId, seed: &[f64]) {
        self.reached.iter_mut().for_each(|r| *r = false);
        self.adjoints[root.index()].data.copy_from_slice(seed);
        self.reached[root.index()] = true;
        for k in (0..=root.index()).rev() {
            if !self.reached[k] || !self.live[k] {
                continue;
            }
            let AOpNode::Prim(op, args) = &self.graph.nodes[k].op else {
                continue;
            };
            let (lower, upper) = self.adjoints.split_at_mut(k);
            let g = &upper[0].data;
            let need = self.wants[k];
            let [s0, s1] = &mut self.scratch[k];
            if args.len() > 2 {
                // np.array of several arrays: the allocating rule, then the same accumulation.
                let a: Vec<&Array> = args.iter().map(|p| &self.values[p.index()]).collect();
                let need: Vec<bool> = args.iter().map(|p| self.live[p.index()]).collect();
                let g = Array {
                    shape: upper[0].shape.clone(),
                    data: g.clone(),
                };
                let parts = op.vjp_needed(&a, &self.values[k], &g, &need);
                for ((p, mut d), need) in args.iter().zip(parts).zip(need) {
                    if need {
                        accumulate(
                            &mut lower[p.index()].data,
                            &mut d.data,
                            &mut self.reached[p.index()],
                        );
                    }
                }
                continue;
            }
            if !op.vjp_writes_all() {
                for (s, &n) in [&mut *s0, &mut *s1].into_iter().zip(&need) {
                    if n {
                        s.iter_mut().for_each(|x| *x = 0.0);
                    }
                }
            }
            {
                let a0 = &self.values[args[0].index()];
                let mut dst = [
                    need[0].then_some(s0.as_mut_slice()),
                    need[1].then_some(s1.as_mut_slice()),
                ];
                match args[..] {
                    [_, q] => {
                        op.vjp_into(&[a0, &self.values[q.index()]], &self.values[k], g, &mut dst)
                    }
                    _ => op.vjp_into(&[a0], &self.values[k], g, &mut dst[..1]),
                }
            }
            for ((p, s), n) in args.iter().zip([s0, s1]).zip(need) {
                if n {
                    accumulate(&mut lower[p.index()].data, s, &mut self.reached[p.index()]);
                }
            }
        }
        // An input the sweep did not reach has a zero cotangent.
        for i in &self.graph.inputs {
            if !self.reached[i.node.index()] {
                self.adjoints[i.node.index()]
                    .data
                    .iter_mut()
                    .for_each(|x| *x = 0.0);
                self.reached[i.node.index()] = true;
            }
        }
    }

    /// The cotangent of `node` from the last reverse sweep, if the sweep reached it.
    pub fn adjoint(&self, node: NodeId) -> Option<&[f64]> {
        self.reached[node.index()].then(|| self.adjoints[node.index()].data.as_slice())
    }

    /// Forward mode at the last forward sweep's values: the tangent of `node` for the tangents of the inputs
    /// reverse mode is asked for (`tangents` has one array per input; the others' are not read and may be empty).
    pub fn tangent(&self, tangents: &[Array], node: NodeId) -> Array {
        let mut tan = tangents_moving(&self.graph, &self.values, tangents, &self.live);
        tan.swap_remove(node.index())
            .unwrap_or_else(|| Array::zeros(&self.graph.nodes[node.index()].shape))
    }

    /// Input `i`'s numbers to change and its cotangent from the last reverse sweep: a descent step in place.
    pub fn input_and_gradient(&mut self, i: usize) -> (&mut [f64], &[f64]) {
        let node = self.graph.inputs[i].node.index();
        (&mut self.values[node].data, &self.adjoints[node].data)
    }

    /// The cotangent of input `i` from the last reverse sweep (zeros if it does not reach the root).
    pub fn gradient(&self, i: usize) -> &[f64] {
        &self.adjoints[self.graph.inputs[i].node.index()].data
    }
}

/// A share `d` of a node's cotangent added to its `slot`; the first share is swapped in (`d` keeps the old buffer).
fn accumulate(slot: &mut Vec<f64>, d: &mut Vec<f64>, reached: &mut bool) {
    if *reached {
        for (x, y) in slot.iter_mut().zip(d.iter()) {
            *x += *y;
        }
    } else {
        std::mem::swap(slot, d);
        *reached = true;
    }
}

/// `a @ w.T` where the transpose has no other reader: one [`AOp::MatMulT`] on `w` (each entry the dot product of two
/// rows, the very products [`AOp::MatMul`] sums, in the same order), and the transpose is left unread.
fn fuse(graph: &mut AGraph) {
    let mut uses = vec![0usize; graph.nodes.len()];
    for n in &graph.nodes {
        if let AOpNode::Prim(_, args) = &n.op {
            args.iter().for_each(|p| uses[p.index()] += 1);
        }
    }
    for o in &graph.outputs {
        uses[o.index()] += 1;
    }
    for k in 0..graph.nodes.len() {
        let AOpNode::Prim(AOp::MatMul, args) = &graph.nodes[k].op else {
            continue;
        };
        let (a, t) = (args[0], args[1]);
        let AOpNode::Prim(AOp::Transpose, targs) = &graph.nodes[t.index()].op else {
            continue;
        };
        let w = targs[0];
        let matrix = |p: NodeId| graph.nodes[p.index()].shape.len() == 2;
        if uses[t.index()] == 1 && matrix(a) && matrix(w) {
            graph.nodes[k].op = AOpNode::Prim(AOp::MatMulT, vec![a, w]);
        }
    }
}
