//! Evaluation and the two modes of automatic differentiation on a [`Graph`], fast paths without traces.
//!
//! - [`evaluate`]: one pass in order, the primal of every node.
//! - [`jvp`]: forward mode — tangents pushed along with primals; one pass gives J·ẋ.
//! - [`vjp`]: reverse mode — adjoints pulled back from the outputs; one backward pass gives ȳᵀ·J.
//!
//! The step-by-step versions for teaching are in [`super::trace`]; they use the same rules from [`super::op`].

use super::wide::Wide;
use crate::base::scalar::{chain, Scalar};
use crate::lang::graph::{Arg, Graph, NodeId, Op};

/// Primal value of every node, given the inputs' values in order.
pub fn evaluate(g: &Graph, inputs: &[f64]) -> Vec<f64> {
    let mut v = Vec::new();
    evaluate_into(g, inputs, &mut v);
    v
}

/// [`evaluate`] into a buffer that is reused across calls (no allocation once it is large enough), over any
/// [`Scalar`] type — with [`Taylor`](super::taylor::Taylor) numbers this is higher-order forward mode, with
/// [`Dual`](super::dual::Dual) numbers forward mode along one direction.
pub fn evaluate_into<S: Scalar>(g: &Graph, inputs: &[S], v: &mut Vec<S>) {
    evaluate_with(g, inputs, v, |_, _| {});
}

/// The evaluation loop; `after(i, value)` may adjust node i's value before it is used.
#[inline]
fn evaluate_with<S: Scalar>(
    g: &Graph,
    inputs: &[S],
    v: &mut Vec<S>,
    after: impl Fn(usize, &mut S),
) {
    v.clear();
    v.reserve(g.nodes.len());
    for (i, node) in g.nodes.iter().enumerate() {
        let mut x = match node.op {
            Op::Input(k) => inputs
                .get(k as usize)
                .copied()
                .unwrap_or(S::from_f64(f64::NAN)),
            Op::Const(c) => S::from_f64(c),
            Op::Unary(op, a) => v[a.index()].unary(op),
            Op::Binary(op, a, b) => crate::base::scalar::binary(op, operand(a, v), operand(b, v)),
        };
        after(i, &mut x);
        v.push(x);
    }
}

/// [`evaluate_into`] with every node's value part pinned to the f64 value `primals` gives it (`pin` writes it in):
/// the overflow rule's second pass computes derivatives with a wide exponent, but around the values the program
/// computes — a value recomputed in [`Wide`] could differ in its last bits (or not underflow), and cos(10¹⁵⁰) of a
/// different last bit is a different number.
pub fn evaluate_pinned<S: Scalar>(
    g: &Graph,
    inputs: &[S],
    primals: &[f64],
    pin: impl Fn(&mut S, f64),
    v: &mut Vec<S>,
) {
    evaluate_with(g, inputs, v, |i, x| pin(x, primals[i]));
}

/// A node's value, or a constant kept as a constant.
#[inline]
fn operand<S: Scalar>(a: Arg, v: &[S]) -> Result<S, f64> {
    match a {
        Arg::Node(n) => Ok(v[n.index()]),
        Arg::Const(c) => Err(c),
    }
}

#[inline]
fn value<S: Scalar>(a: Arg, v: &[S]) -> S {
    match a {
        Arg::Node(n) => v[n.index()],
        Arg::Const(c) => S::from_f64(c),
    }
}

/// Evaluates the graph over any [`Scalar`] type.
pub fn evaluate_generic<S: Scalar>(g: &Graph, inputs: &[S]) -> Vec<S> {
    let mut v = Vec::new();
    evaluate_into(g, inputs, &mut v);
    v
}

/// [`evaluate`], except that a product with a zero factor is zero (the engines' structural zero, [`chain`]) where
/// IEEE arithmetic says 0·∞ = NaN. Used to explain why a generated derivative program, run with plain arithmetic,
/// can differ from the engines: only there.
pub fn evaluate_structural(g: &Graph, inputs: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = Vec::with_capacity(g.nodes.len());
    for node in &g.nodes {
        let x = match node.op {
            Op::Binary(crate::base::op::Binary::Mul, a, b) => chain(value(a, &v), value(b, &v)),
            Op::Input(k) => inputs.get(k as usize).copied().unwrap_or(f64::NAN),
            Op::Const(c) => c,
            Op::Unary(op, a) => v[a.index()].unary(op),
            Op::Binary(op, a, b) => crate::base::scalar::binary(op, operand(a, &v), operand(b, &v)),
        };
        v.push(x);
    }
    v
}

/// The outputs' values.
pub fn outputs<S: Scalar>(g: &Graph, primals: &[S]) -> Vec<S> {
    g.outputs.iter().map(|o| primals[o.index()]).collect()
}

/// Forward mode: the tangent of every node when the inputs' tangents are `seed` (J·seed at the outputs), with the
/// overflow rule: when a tangent comes out NaN or infinite from finite primals and seed, all tangents are computed
/// again with a wider exponent ([`Wide`]) and rounded, so a tangent beyond the largest f64 is ±∞, not NaN.
pub fn jvp(g: &Graph, primals: &[f64], seed: &[f64]) -> Vec<f64> {
    let mut t = Vec::new();
    jvp_into(g, primals, seed, &mut t);
    if needs_wide(&t) {
        let mut w = Vec::new();
        jvp_into(g, &wide_primals(g, primals), &widen(seed), &mut w);
        t = narrow(&w);
    }
    t
}

/// Some derivative is NaN or infinite: the overflow rule applies (a NaN that is really NaN stays NaN in [`Wide`]).
pub fn needs_wide(derivatives: &[f64]) -> bool {
    derivatives.iter().any(|d| !d.is_finite())
}

/// The values the overflow rule's second pass differentiates around: each node's f64 value where f64 holds it (the
/// program's own bits), and where it overflowed — finite arguments, an infinite result — the value recomputed with a
/// wide exponent from its arguments', so that ∂(2**x)/∂x at 1024 is ln 2·2¹⁰²⁴ = 1.2460659279417838e308, not ∞.
/// (The value shown stays the program's: ∞.)
pub fn wide_primals(g: &Graph, primals: &[f64]) -> Vec<Wide> {
    // One step from the arguments' own values (not a second evaluation carried on in the wide exponent: later
    // operations see what the program computed, pow(−∞, −1.63) = 0 included).
    let own = |a: Arg| match a {
        Arg::Node(n) => Ok(Wide::from(primals[n.index()])),
        Arg::Const(c) => Err(c),
    };
    g.nodes
        .iter()
        .zip(primals)
        .map(|(node, &p)| match node.op {
            Op::Unary(op, a) if !p.is_finite() => Wide::from(primals[a.index()]).unary(op),
            Op::Binary(op, a, b) if !p.is_finite() => {
                crate::base::scalar::binary(op, own(a), own(b))
            }
            _ => Wide::from(p),
        })
        .collect()
}

pub fn widen(xs: &[f64]) -> Vec<Wide> {
    xs.iter().map(|&x| Wide::from(x)).collect()
}

pub fn narrow(xs: &[Wide]) -> Vec<f64> {
    xs.iter().map(|&x| f64::from(x)).collect()
}

/// [`jvp`] into a reused buffer, over any [`Scalar`] type. Each contribution is a [`chain`] product: a zero tangent
/// never meets an infinite partial.
pub fn jvp_into<S: Scalar>(g: &Graph, primals: &[S], seed: &[S], t: &mut Vec<S>) {
    t.clear();
    t.reserve(g.nodes.len());
    for (i, node) in g.nodes.iter().enumerate() {
        let x = match node.op {
            Op::Input(k) => seed.get(k as usize).copied().unwrap_or(S::zero()),
            Op::Const(_) => S::zero(),
            Op::Unary(op, a) => {
                let ta = t[a.index()];
                if ta.is_zero() {
                    S::zero()
                } else {
                    chain(op.partial(primals[a.index()], primals[i]), ta)
                }
            }
            Op::Binary(op, a, b) => {
                let (x, y, v) = (value(a, primals), value(b, primals), primals[i]);
                // A constant operand, or one whose tangent is zero, contributes nothing: its partial is not needed.
                let left = match a {
                    Arg::Node(p) if !t[p.index()].is_zero() => {
                        chain(op.partial_a(x, y, v), t[p.index()])
                    }
                    _ => S::zero(),
                };
                let right = match b {
                    Arg::Node(q) if !t[q.index()].is_zero() => {
                        chain(op.partial_b(x, y, v), t[q.index()])
                    }
                    _ => S::zero(),
                };
                left + right
            }
        };
        t.push(x);
    }
}

/// Reverse mode: the adjoint of every node when the outputs' adjoints are `seed` (seedᵀ·J at the inputs), with the
/// overflow rule of [`jvp`].
pub fn vjp(g: &Graph, primals: &[f64], seed: &[f64]) -> Vec<f64> {
    let mut adj = Vec::new();
    vjp_into(g, primals, seed, &mut adj);
    if needs_wide(&adj) {
        let mut w = Vec::new();
        vjp_into(g, &wide_primals(g, primals), &widen(seed), &mut w);
        adj = narrow(&w);
    }
    adj
}

/// [`vjp`] into a reused buffer, over any [`Scalar`] type (with dual numbers: forward over reverse, the
/// Hessian-vector product of [`super::hessian`]). A zero adjoint pushes nothing.
pub fn vjp_into<S: Scalar>(g: &Graph, primals: &[S], seed: &[S], adj: &mut Vec<S>) {
    let n = g.nodes.len();
    adj.clear();
    adj.resize(n, S::zero());
    // Exactly one primal and one adjoint per node: indexing by the node's own number needs no check.
    let (primals, adj) = (&primals[..n], &mut adj[..n]);
    for (o, &s) in g.outputs.iter().zip(seed) {
        adj[o.index()] = adj[o.index()] + s;
    }
    for i in (0..n).rev() {
        let a_i = adj[i];
        if !a_i.is_zero() {
            pull(g.nodes[i].op, i, a_i, primals, adj);
        }
    }
}

/// Node `i`'s adjoint `a_i` pulled back to its arguments' adjoints: the one step of every reverse sweep.
#[inline(always)]
fn pull<S: Scalar>(op: Op, i: usize, a_i: S, primals: &[S], adj: &mut [S]) {
    match op {
        Op::Input(_) | Op::Const(_) => {}
        Op::Unary(op, a) => {
            let d = op.partial(primals[a.index()], primals[i]);
            adj[a.index()] = adj[a.index()] + chain(d, a_i);
        }
        // Only the partials of arguments that are nodes, each read where it is needed.
        Op::Binary(op, Arg::Node(p), Arg::Node(q)) => {
            let (x, y, v) = (primals[p.index()], primals[q.index()], primals[i]);
            if p == q {
                // Both arguments the same node (`x - x`, `x * x`): its two partials are summed first, so that
                // uses that cancel exactly add exactly nothing (as in forward mode).
                let d = op.partial_a(x, y, v) + op.partial_b(x, y, v);
                adj[p.index()] = adj[p.index()] + chain(d, a_i);
            } else {
                let (da, db) = op.partials(x, y, v);
                adj[p.index()] = adj[p.index()] + chain(da, a_i);
                adj[q.index()] = adj[q.index()] + chain(db, a_i);
            }
        }
        Op::Binary(op, Arg::Node(p), Arg::Const(c)) => {
            let d = op.partial_a(primals[p.index()], S::from_f64(c), primals[i]);
            adj[p.index()] = adj[p.index()] + chain(d, a_i);
        }
        Op::Binary(op, Arg::Const(c), Arg::Node(q)) => {
            let d = op.partial_b(S::from_f64(c), primals[q.index()], primals[i]);
            adj[q.index()] = adj[q.index()] + chain(d, a_i);
        }
        Op::Binary(_, Arg::Const(_), Arg::Const(_)) => {}
    }
}

/// Buffers for repeated evaluation and differentiation of one graph (an optimiser's inner loop): after the first
/// call nothing is allocated. The raw sweeps, without the overflow rule of [`jvp`] (what the benchmarks time).
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub primals: Vec<f64>,
    /// All zeros between calls.
    adjoints: Vec<f64>,
}

impl Workspace {
    /// f and ∇f (of the first output) by one forward and one reverse sweep. The adjoints' buffer is all zeros
    /// between calls (each adjoint is cleared once pulled back), so no sweep clears it first.
    pub fn value_and_grad(&mut self, g: &Graph, inputs: &[f64], grad: &mut Vec<f64>) -> f64 {
        let n = g.nodes.len();
        evaluate_into(g, inputs, &mut self.primals);
        grad.clear();
        grad.resize(g.inputs.len(), 0.0);
        let Some(out) = g.outputs.first() else {
            return f64::NAN;
        };
        if self.adjoints.len() != n {
            self.adjoints.clear();
            self.adjoints.resize(n, 0.0);
        }
        let (primals, adj) = (&self.primals[..n], &mut self.adjoints[..n]);
        adj[out.index()] = 1.0;
        for i in (0..=out.index()).rev() {
            let a_i = std::mem::take(&mut adj[i]);
            if a_i.is_zero() {
                continue;
            }
            match g.nodes[i].op {
                Op::Input(k) => grad[k as usize] = a_i,
                op => pull(op, i, a_i, primals, adj),
            }
        }
        primals[out.index()]
    }
}

/// f and ∇f of a scalar function by one reverse pass (with the overflow rule); for several outputs, the gradient of
/// the first.
pub fn value_and_grad(g: &Graph, inputs: &[f64]) -> (f64, Vec<f64>) {
    let primals = evaluate(g, inputs);
    let mut seed = vec![0.0; g.outputs.len()];
    if let Some(s) = seed.first_mut() {
        *s = 1.0;
    }
    let adj = vjp(g, &primals, &seed);
    let f = g.outputs.first().map_or(f64::NAN, |o| primals[o.index()]);
    (f, g.inputs.iter().map(|i| adj[i.node.index()]).collect())
}

/// The full Jacobian (outputs × inputs), by `inputs.len()` forward passes.
pub fn jacobian_forward(g: &Graph, primals: &[f64]) -> Vec<Vec<f64>> {
    let n = g.inputs.len();
    let mut jac = vec![vec![0.0; n]; g.outputs.len()];
    for j in 0..n {
        let mut seed = vec![0.0; n];
        seed[j] = 1.0;
        let t = jvp(g, primals, &seed);
        for (row, o) in jac.iter_mut().zip(&g.outputs) {
            row[j] = t[o.index()];
        }
    }
    jac
}

/// The full Jacobian (outputs × inputs), by `outputs.len()` reverse passes.
pub fn jacobian_reverse(g: &Graph, primals: &[f64]) -> Vec<Vec<f64>> {
    let m = g.outputs.len();
    (0..m)
        .map(|k| {
            let mut seed = vec![0.0; m];
            seed[k] = 1.0;
            let adj = vjp(g, primals, &seed);
            g.inputs.iter().map(|i| adj[i.node.index()]).collect()
        })
        .collect()
}

/// Which Jacobian entries (outputs × inputs) the chain rule cannot determine: those with a non-finite value — a
/// primal, or a local derivative (∞ at `sqrt(0)`) — or a value that underflowed, on a path from the input to the
/// output. There the sum over paths
/// can be ∞ − ∞, and forward mode (which adds tangents before multiplying) and reverse mode (which multiplies first)
/// may legitimately say different things; everywhere else the engines agree. A value on no connecting path (an
/// unused `sqrt(y)` at 0, an input the output does not depend on) does not count: its zero contributes nothing.
pub fn singular_entries(g: &Graph, primals: &[f64]) -> Vec<Vec<bool>> {
    Singular::analyse(g, primals).entries()
}

/// Where the chain rule's inputs are not finite numbers, and which paths they lie on (see [`singular_entries`]).
pub struct Singular {
    bad_node: Vec<bool>,
    bad_edges: Vec<(usize, usize)>,
    /// `from[j][i]`: node i depends on input j.
    from: Vec<Vec<bool>>,
    /// `to[k][i]`: output k depends on node i.
    to: Vec<Vec<bool>>,
}

impl Singular {
    pub fn analyse(g: &Graph, primals: &[f64]) -> Singular {
        let n = g.nodes.len();
        // Edges (parent, child) with their local derivatives, as the engines compute them.
        let mut bad_node = vec![false; n];
        let mut bad_edges: Vec<(usize, usize)> = Vec::new();
        // A value that underflowed (to 0 or a subnormal, from operands that are not 0) is not the value the program
        // means either: x·x at 10⁻¹⁷⁰ is 0, and x·x/x then has derivative 2.
        let underflowed = |v: f64, operands: &[f64]| {
            v.abs() < f64::MIN_POSITIVE && operands.iter().all(|o| *o != 0.0 && o.is_finite())
        };
        for (i, node) in g.nodes.iter().enumerate() {
            bad_node[i] = !primals[i].is_finite()
                || match node.op {
                    Op::Unary(crate::base::op::Unary::Exp, a) => {
                        underflowed(primals[i], &[primals[a.index()]])
                    }
                    Op::Binary(
                        crate::base::op::Binary::Mul
                        | crate::base::op::Binary::Div
                        | crate::base::op::Binary::Pow,
                        a,
                        b,
                    ) => underflowed(primals[i], &[value(a, primals), value(b, primals)]),
                    _ => false,
                };
            match node.op {
                Op::Input(_) | Op::Const(_) => {}
                Op::Unary(op, a) => {
                    if !op.partial(primals[a.index()], primals[i]).is_finite() {
                        bad_edges.push((a.index(), i));
                    }
                }
                Op::Binary(op, a, b) => {
                    let (x, y, v) = (value(a, primals), value(b, primals), primals[i]);
                    if let Arg::Node(p) = a {
                        if !op.partial_a(x, y, v).is_finite() {
                            bad_edges.push((p.index(), i));
                        }
                    }
                    if let Arg::Node(q) = b {
                        if !op.partial_b(x, y, v).is_finite() {
                            bad_edges.push((q.index(), i));
                        }
                    }
                }
            }
        }
        // Reachability: from each input forward, to each output backward.
        let from: Vec<Vec<bool>> = g
            .inputs
            .iter()
            .map(|inp| {
                let mut r = vec![false; n];
                r[inp.node.index()] = true;
                for (i, node) in g.nodes.iter().enumerate() {
                    if node.op.parents().any(|p| r[p.index()]) {
                        r[i] = true;
                    }
                }
                r
            })
            .collect();
        let to: Vec<Vec<bool>> = g
            .outputs
            .iter()
            .map(|o| {
                let mut r = vec![false; n];
                r[o.index()] = true;
                for i in (0..n).rev() {
                    if r[i] {
                        for p in g.nodes[i].op.parents() {
                            r[p.index()] = true;
                        }
                    }
                }
                r
            })
            .collect();
        Singular {
            bad_node,
            bad_edges,
            from,
            to,
        }
    }

    /// The node where entry (output `k`, input `j`) stops being determined: the first, in evaluation order, whose
    /// value is not a finite number (or underflowed) or whose local derivative is, on a path from the input to the
    /// output.
    pub fn cause(&self, k: usize, j: usize) -> Option<NodeId> {
        let (f, t) = (&self.from[j], &self.to[k]);
        let node = (0..self.bad_node.len()).find(|&i| self.bad_node[i] && f[i] && t[i]);
        let edge = self
            .bad_edges
            .iter()
            .filter(|&&(p, c)| f[p] && t[c])
            .map(|&(_, c)| c)
            .min();
        match (node, edge) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .map(|i| NodeId(i as u32))
    }

    /// Node `i` lies on a path from input `j` to output `k`.
    pub fn connects(&self, k: usize, j: usize, i: usize) -> bool {
        self.from[j][i] && self.to[k][i]
    }

    pub fn entries(&self) -> Vec<Vec<bool>> {
        (0..self.to.len())
            .map(|k| {
                (0..self.from.len())
                    .map(|j| self.cause(k, j).is_some())
                    .collect()
            })
            .collect()
    }
}

/// The first node whose tangent, along `seed`, is not a finite number although its parents' tangents and its local
/// derivatives are: where a derivative overflowed (the overflow rule then computes it with a wider exponent).
pub fn first_overflow(g: &Graph, primals: &[f64], seed: &[f64]) -> Option<NodeId> {
    let mut t = Vec::new();
    jvp_into(g, primals, seed, &mut t);
    g.ids().find(|&id| {
        let i = id.index();
        !t[i].is_finite()
            && primals[i].is_finite()
            && g.node(id).op.parents().all(|p| t[p.index()].is_finite())
    })
}

/// Whether a sweep in plain f64 arithmetic (forward along `seed` over the inputs, or reverse from `seed` over the
/// outputs) produces a derivative that is NaN or infinite at a node whose value is finite: there the overflow rule
/// takes over, and a program running plain arithmetic (a generated derivative program) can say NaN or ±∞ — or
/// lose a term a sum of huge ones absorbed differently.
pub fn plain_sweep_overflows(g: &Graph, primals: &[f64], seed: &[f64], reverse: bool) -> bool {
    let mut d = Vec::new();
    if reverse {
        vjp_into(g, primals, seed, &mut d);
    } else {
        jvp_into(g, primals, seed, &mut d);
    }
    d.iter()
        .zip(primals)
        .any(|(d, p)| !d.is_finite() && p.is_finite())
}

/// Why ∂(output k)/∂(input j) is not a finite number, in words (`None` when it is one): an overflow (with the node
/// where the tangent first overflows), or a point where the chain rule is not determined (with the node that makes it
/// so).
pub fn derivative_note(
    g: &Graph,
    primals: &[f64],
    k: usize,
    j: usize,
    value: f64,
) -> Option<String> {
    if value.is_finite() {
        return None;
    }
    let name = &g.inputs.get(j)?.name;
    let out = if g.outputs.len() > 1 {
        format!("f{}", k + 1)
    } else {
        "f".to_string()
    };
    let at = |id: NodeId| format!("{} = {}", g.label(id), g.expr_text(id));
    if let Some(id) = Singular::analyse(g, primals).cause(k, j) {
        let v = primals[id.index()];
        let why = if !v.is_finite() {
            format!("is {}", crate::base::num::fmt_compact(v))
        } else if v.abs() < f64::MIN_POSITIVE && v != 0.0 || v == 0.0 {
            "underflows to (nearly) 0".to_string()
        } else {
            "has an infinite or undefined local derivative here".to_string()
        };
        return Some(format!(
            "∂{out}/∂{name} is not determined at this point: {} {why}, on the way from {name} to {out}.",
            at(id)
        ));
    }
    let mut seed = vec![0.0; g.inputs.len()];
    seed[j] = 1.0;
    let id = first_overflow(g, primals, &seed)?;
    Some(format!(
        "∂{out}/∂{name} is beyond the largest f64 (about 1.8·10³⁰⁸): its tangent first overflows at {}. Computed with a \
         wider exponent and rounded, it is {} — an overflow, not an undefined value.",
        at(id),
        crate::base::num::fmt_compact(value)
    ))
}

/// Where a non-finite value first appears from finite operands, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainIssue {
    pub node: NodeId,
    pub value: f64,
    pub reason: &'static str,
}

impl DomainIssue {
    /// `v2 = log(v1) gives NaN: the logarithm of a negative number is undefined`.
    pub fn describe(&self, g: &Graph) -> String {
        format!(
            "{} = {} gives {}: {}",
            g.label(self.node),
            g.expr_text(self.node),
            crate::base::num::fmt_compact(self.value),
            self.reason
        )
    }
}

/// The first operation that turns finite numbers into NaN or ±∞, if any.
pub fn domain_issue(g: &Graph, primals: &[f64]) -> Option<DomainIssue> {
    for (i, node) in g.nodes.iter().enumerate() {
        let v = primals[i];
        if v.is_finite() {
            continue;
        }
        let reason = match node.op {
            Op::Input(_) => "this input is not a finite number",
            Op::Const(_) => "the program's constant is not a finite number",
            Op::Unary(op, a) => {
                let x = primals[a.index()];
                if !x.is_finite() {
                    continue;
                }
                op.domain_note(x)
            }
            Op::Binary(op, a, b) => {
                let (x, y) = (a.value(primals), b.value(primals));
                if !x.is_finite() || !y.is_finite() {
                    continue;
                }
                op.domain_note(x, y)
            }
        };
        return Some(DomainIssue {
            node: NodeId(i as u32),
            value: v,
            reason,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower::lower_source;

    const LOGISTIC: &str =
        "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

    /// The workspace's sweep (which clears each adjoint as it goes) gives the plain sweep's numbers, call after call
    /// and graph after graph: its buffer is all zeros between calls.
    #[test]
    fn the_workspace_gives_the_plain_sweeps_numbers_call_after_call() {
        let programs = [
            ("x * x - x / y + sin(x) ** 2", vec![0.7, -1.5]),
            (
                "def f(x, y):\n  a = x * y\n  return a, exp(a) + y\n",
                vec![0.5, 2.0],
            ),
            (LOGISTIC, vec![0.3]),
            ("x - x + y * 0", vec![1.0, f64::INFINITY]),
            ("log(x) * y", vec![-1.0, 2.0]),
        ];
        let mut ws = Workspace::default();
        let mut grad = Vec::new();
        for _ in 0..2 {
            for (src, x) in &programs {
                let g = lower_source(src).unwrap();
                let p = evaluate(&g, x);
                let mut seed = vec![0.0; g.outputs.len()];
                seed[0] = 1.0;
                let mut adj = Vec::new();
                vjp_into(&g, &p, &seed, &mut adj);
                let want: Vec<f64> = g.inputs.iter().map(|i| adj[i.node.index()]).collect();
                let f = ws.value_and_grad(&g, x, &mut grad);
                assert_eq!(f.to_bits(), p[g.outputs[0].index()].to_bits(), "{src}");
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&grad), bits(&want), "{src}");
                assert!(
                    ws.adjoints.iter().all(|&a| a.to_bits() == 0),
                    "{src}: cleared"
                );
            }
        }
    }

    /// The lecture's three examples, to the last digit.
    #[test]
    fn lecture_numbers() {
        let g = lower_source("x**2").unwrap();
        assert_eq!(value_and_grad(&g, &[1.0]), (1.0, vec![2.0]));
        let g = lower_source("def f(x):\n  return np.log(1 + x ** 2) / x").unwrap();
        assert_eq!(
            value_and_grad(&g, &[1.0]),
            (0.6931471805599453, vec![0.3068528194400547])
        );
        let g = lower_source(LOGISTIC).unwrap();
        assert_eq!(value_and_grad(&g, &[0.25]), (0.75, vec![-16.0]));
        let p = evaluate(&g, &[0.25]);
        assert_eq!(jvp(&g, &p, &[1.0])[g.outputs[0].index()], -16.0);
    }

    #[test]
    fn taylor_mode_on_the_graph() {
        use crate::ad::taylor::Taylor;
        // Logistic map, n = 4, at 0.25: f = 0.75, f′ = −16, and the higher derivatives agree with dual numbers
        // differentiated numerically.
        let g = lower_source(LOGISTIC).unwrap();
        let v = evaluate_generic(&g, &[Taylor::<4>::variable(0.25)]);
        let d = v[g.outputs[0].index()].derivatives();
        assert_eq!((d[0], d[1]), (0.75, -16.0));
        let g2 = lower_source("exp(sin(x)) / (1 + x**2)").unwrap();
        let x = 0.4;
        let d =
            evaluate_generic(&g2, &[Taylor::<3>::variable(x)])[g2.outputs[0].index()].derivatives();
        let h = 1e-4;
        let f = |t: f64| evaluate(&g2, &[t])[g2.outputs[0].index()];
        let second = (f(x + h) - 2.0 * f(x) + f(x - h)) / (h * h);
        assert!(
            (d[2] - second).abs() < 1e-5 * second.abs().max(1.0),
            "{} vs {second}",
            d[2]
        );
    }

    #[test]
    fn jacobians_agree() {
        let g = lower_source("def f(x, y):\n  return x * y, sin(x) + y**3, x / y").unwrap();
        let p = evaluate(&g, &[0.7, 1.3]);
        let jf = jacobian_forward(&g, &p);
        let jr = jacobian_reverse(&g, &p);
        assert_eq!(jf.len(), 3);
        for (a, b) in jf.iter().flatten().zip(jr.iter().flatten()) {
            assert!((a - b).abs() <= 1e-15 * a.abs().max(1.0));
        }
        assert_eq!(jf[0], vec![1.3, 0.7]);
    }

    #[test]
    fn domain_problems_are_located() {
        let g = lower_source("x * log(x - 2)").unwrap();
        let p = evaluate(&g, &[1.0]);
        let issue = domain_issue(&g, &p).unwrap();
        assert_eq!(g.label(issue.node), "v2");
        assert!(issue.value.is_nan());
        assert!(issue.reason.contains("negative"));
        let g = lower_source("1 / x").unwrap();
        let p = evaluate(&g, &[0.0]);
        let issue = domain_issue(&g, &p).unwrap();
        assert_eq!(issue.value, f64::INFINITY);
        assert_eq!(issue.reason, "division by zero");
    }

    #[test]
    fn constant_operands_do_not_poison_tangents() {
        // d/dx (x * inf-free constant) stays finite; the constant's zero tangent never meets an infinite partial.
        let g = lower_source("x ** 0.5").unwrap();
        let p = evaluate(&g, &[4.0]);
        assert_eq!(jvp(&g, &p, &[1.0])[1], 0.25);
        assert_eq!(value_and_grad(&g, &[4.0]).1, vec![0.25]);
    }
}
