//! Step-by-step forward and reverse mode, as plain records for the UI to show.
//!
//! A [`ForwardTrace`] has one step per node, in evaluation order: the node's primal and its tangent
//! `v̇ = Σ ∂v/∂p · ṗ` over its parents `p`. A [`ReverseTrace`] first has one step per node of the forward sweep (primals
//! computed and stored), then one step per intermediate in reverse order, each pushing `v̄ · ∂v/∂p` into each parent's
//! adjoint (`p̄ += …`), so fan-out shows up as several pushes adding up in one parent.
//!
//! Each record holds the rule's numbers, and its formula (in the nodes' labels) is made from the graph when a rule is
//! shown; the UI renders them and never recomputes a derivative.

use crate::base::formula::Expr;
use crate::base::num::fmt_compact;
use crate::base::op::{Binary, Unary};
use crate::base::scalar::{chain, Scalar};
use crate::lang::graph::{Arg, Graph, NodeId, Op};

/// ∂v/∂parent, as a number; [`Partial::formula`] gives it as a formula in the graph's labels (`y`, `2·x`, `1/v2`).
#[derive(Clone, Debug, PartialEq)]
pub struct Partial {
    pub parent: NodeId,
    pub value: f64,
    /// Which argument of v the parent is: 0 or 1, or [`BOTH`] when v reads it twice (`x * x`, one summed push).
    pub arg: u8,
}

/// [`Partial::arg`] of a parent read as both arguments.
pub const BOTH: u8 = 2;

impl Partial {
    /// ∂child/∂parent as a formula in the graph's labels. Made when a rule is shown, not with every trace: a new input
    /// value re-runs the traces of every node.
    pub fn formula(&self, g: &Graph, child: NodeId) -> Expr {
        let arg = |a: Arg| match a {
            Arg::Node(n) => Expr::var(&g.label(n)),
            Arg::Const(c) => Expr::num(c),
        };
        let me = Expr::var(&g.label(child));
        match g.node(child).op {
            Op::Input(_) | Op::Const(_) => Expr::num(0.0),
            Op::Unary(op, a) => op.partial_formula(&Expr::var(&g.label(a)), &me),
            Op::Binary(op, a, b) => {
                let (fa, fb) = op.partial_formulas(&arg(a), &arg(b), &me);
                match self.arg {
                    0 => fa,
                    1 => fb,
                    _ => Expr::binary(Binary::Add, fa, fb),
                }
            }
        }
    }
}

/// The local derivatives of a node with respect to each node it reads, in argument order.
pub fn partials(g: &Graph, primals: &[f64], id: NodeId) -> Vec<Partial> {
    let v = primals[id.index()];
    match g.node(id).op {
        Op::Input(_) | Op::Const(_) => Vec::new(),
        Op::Unary(op, a) => vec![Partial {
            parent: a,
            value: op.partial(primals[a.index()], v),
            arg: 0,
        }],
        Op::Binary(op, a, b) => {
            let (x, y) = (a.value(primals), b.value(primals));
            let mut out = Vec::with_capacity(2);
            if let Arg::Node(n) = a {
                out.push(Partial {
                    parent: n,
                    value: op.partial_a(x, y, v),
                    arg: 0,
                });
            }
            if let Arg::Node(n) = b {
                out.push(Partial {
                    parent: n,
                    value: op.partial_b(x, y, v),
                    arg: 1,
                });
            }
            out
        }
    }
}

/// One step of forward mode.
#[derive(Clone, Debug, PartialEq)]
pub struct TangentStep {
    pub node: NodeId,
    pub primal: f64,
    pub tangent: f64,
    /// For an input: its seed (1 for the input we differentiate with respect to, else 0). Empty otherwise.
    pub seed: Option<f64>,
    /// Each parent's contribution: the local derivative and the parent's tangent.
    pub terms: Vec<(Partial, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForwardTrace {
    /// Index of the input whose tangent is seeded to 1.
    pub wrt: usize,
    pub steps: Vec<TangentStep>,
}

pub fn forward_trace(g: &Graph, inputs: &[f64], wrt: usize) -> ForwardTrace {
    let primals = super::eval::evaluate(g, inputs);
    let mut seed = vec![0.0; g.inputs.len()];
    if let Some(s) = seed.get_mut(wrt) {
        *s = 1.0;
    }
    let tangents = super::eval::jvp(g, &primals, &seed);
    let steps = g
        .ids()
        .map(|id| {
            let seed = match g.node(id).op {
                Op::Input(k) => Some(seed[k as usize]),
                _ => None,
            };
            let terms = partials(g, &primals, id).into_iter().map(|p| {
                let t = tangents[p.parent.index()];
                (p, t)
            });
            TangentStep {
                node: id,
                primal: primals[id.index()],
                tangent: tangents[id.index()],
                seed,
                terms: terms.collect(),
            }
        })
        .collect();
    ForwardTrace { wrt, steps }
}

/// One push of reverse mode: `parent̄ += v̄ · ∂v/∂parent`.
#[derive(Clone, Debug, PartialEq)]
pub struct Push {
    pub partial: Partial,
    pub contribution: f64,
    pub before: f64,
    pub after: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReverseStep {
    /// Forward sweep: the node's primal is computed and stored for the backward sweep.
    Primal { node: NodeId, primal: f64 },
    /// Backward sweep: the node's adjoint is complete (`seed` is set for the output, whose adjoint starts at 1) and is
    /// pushed to its parents. For an input there is nothing to push: its adjoint is the derivative.
    Adjoint {
        node: NodeId,
        adjoint: f64,
        seed: Option<f64>,
        pushes: Vec<Push>,
    },
}

impl ReverseStep {
    pub fn node(&self) -> NodeId {
        match self {
            ReverseStep::Primal { node, .. } | ReverseStep::Adjoint { node, .. } => *node,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReverseTrace {
    /// Index of the output whose adjoint is seeded to 1.
    pub output: usize,
    pub steps: Vec<ReverseStep>,
    /// Final values, for convenience: primal and adjoint of every node.
    pub primals: Vec<f64>,
    pub adjoints: Vec<f64>,
}

pub fn reverse_trace(g: &Graph, inputs: &[f64], output: usize) -> ReverseTrace {
    let primals = super::eval::evaluate(g, inputs);
    let mut steps: Vec<ReverseStep> = g
        .ids()
        .map(|id| ReverseStep::Primal {
            node: id,
            primal: primals[id.index()],
        })
        .collect();
    let (mut back, mut adjoints) = backward::<f64>(g, &primals, output);
    // The overflow rule (see `eval::jvp`): adjoints beyond the largest f64 are computed with a wider exponent.
    if super::eval::needs_wide(&adjoints) {
        (back, adjoints) = backward(g, &super::eval::wide_primals(g, &primals), output);
    }
    steps.extend(back);
    ReverseTrace {
        output,
        steps,
        primals,
        adjoints,
    }
}

/// The backward sweep, step by step, computed in `S` and recorded in f64.
fn backward<S: Scalar>(g: &Graph, primals: &[S], output: usize) -> (Vec<ReverseStep>, Vec<f64>) {
    let f64_primals: Vec<f64> = primals.iter().map(|p| p.value()).collect();
    let mut adj = vec![S::zero(); g.len()];
    let out = g.outputs.get(output).copied();
    if let Some(o) = out {
        adj[o.index()] = S::one();
    }
    let mut steps = Vec::with_capacity(g.len());
    for id in g.ids().rev() {
        let adjoint = adj[id.index()];
        let mut local = partials_in(g, primals, &f64_primals, id);
        // Both arguments the same node (`x - x`): one push of the summed partials, so that exact cancellation adds
        // nothing (as in forward mode).
        if let [(p, d), (q, e)] = &local[..] {
            if p.parent == q.parent {
                let merged = Partial {
                    parent: p.parent,
                    value: p.value + q.value,
                    arg: BOTH,
                };
                local = vec![(merged, *d + *e)];
            }
        }
        let pushes = local
            .into_iter()
            .map(|(partial, d)| {
                let slot = partial.parent.index();
                let before = adj[slot];
                let contribution = chain(d, adjoint);
                adj[slot] = adj[slot] + contribution;
                Push {
                    partial,
                    contribution: contribution.value(),
                    before: before.value(),
                    after: adj[slot].value(),
                }
            })
            .collect();
        let seed = (Some(id) == out).then_some(1.0);
        steps.push(ReverseStep::Adjoint {
            node: id,
            adjoint: adjoint.value(),
            seed,
            pushes,
        });
    }
    (steps, adj.iter().map(|a| a.value()).collect())
}

/// [`partials`], with the local derivatives also computed in `S`.
fn partials_in<S: Scalar>(
    g: &Graph,
    primals: &[S],
    f64_primals: &[f64],
    id: NodeId,
) -> Vec<(Partial, S)> {
    let v = primals[id.index()];
    let value = |a: Arg| match a {
        Arg::Node(n) => primals[n.index()],
        Arg::Const(c) => S::from_f64(c),
    };
    let exact: Vec<S> = match g.node(id).op {
        Op::Input(_) | Op::Const(_) => Vec::new(),
        Op::Unary(op, a) => vec![op.partial(primals[a.index()], v)],
        Op::Binary(op, a, b) => {
            let (x, y) = (value(a), value(b));
            let mut out = Vec::with_capacity(2);
            if a.node().is_some() {
                out.push(op.partial_a(x, y, v));
            }
            if b.node().is_some() {
                out.push(op.partial_b(x, y, v));
            }
            out
        }
    };
    partials(g, f64_primals, id)
        .into_iter()
        .zip(exact)
        .collect()
}

impl ReverseTrace {
    /// Each node's adjoint as it stands after the first `k` steps (`None` while nothing has reached it).
    pub fn adjoints_at(&self, k: usize) -> Vec<Option<f64>> {
        let mut out = vec![None; self.primals.len()];
        for step in self.steps.iter().take(k) {
            if let ReverseStep::Adjoint {
                node,
                adjoint,
                pushes,
                ..
            } = step
            {
                out[node.index()] = Some(*adjoint);
                for p in pushes {
                    out[p.partial.parent.index()] = Some(p.after);
                }
            }
        }
        out
    }
}

/// The node's operation as an expression in its parents' labels (`y·v1`, `x²`), for display.
pub fn op_expr(g: &Graph, id: NodeId) -> Expr {
    let arg = |a: Arg| match a {
        Arg::Node(n) => Expr::var(&g.label(n)),
        Arg::Const(c) => Expr::num(c),
    };
    match g.node(id).op {
        Op::Input(_) => Expr::var(&g.label(id)),
        Op::Const(c) => Expr::num(c),
        Op::Unary(op, a) => Expr::unary(op, Expr::var(&g.label(a))),
        Op::Binary(op, a, b) => Expr::binary(op, arg(a), arg(b)),
    }
}

/// `ẋ`, `v̇2`: the tangent's name.
pub fn dot(label: &str) -> String {
    mark(label, '\u{307}')
}

/// `x̄`, `v̄2`: the adjoint's name.
pub fn bar(label: &str) -> String {
    mark(label, '\u{304}')
}

fn mark(label: &str, m: char) -> String {
    let split = label
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(label.len());
    format!("{}{m}{}", &label[..split], &label[split..])
}

/// Parenthesises a formula when it is a sum, a difference or a negation, so it reads as one factor.
fn factor(e: &Expr) -> String {
    use crate::base::formula::Node;
    let s = e.to_math_text();
    let compound = match e.node() {
        Node::Binary(Binary::Add | Binary::Sub, ..) | Node::Unary(Unary::Neg, _) => true,
        Node::Num(x) => *x < 0.0,
        _ => false,
    };
    if compound {
        format!("({s})")
    } else {
        s
    }
}

fn num(x: f64) -> String {
    let s = fmt_compact(x);
    if x < 0.0 {
        format!("({s})")
    } else {
        s
    }
}

impl TangentStep {
    /// The rule with its numbers, e.g. `v̇2 = v1·ẏ + y·v̇1 = 1·0 + 1·2 = 2`.
    pub fn rule(&self, g: &Graph) -> String {
        let me = dot(&g.label(self.node));
        if let Some(s) = self.seed {
            return format!("{me} = {} (seed)", fmt_compact(s));
        }
        if self.terms.is_empty() {
            return format!("{me} = 0 (a constant)");
        }
        format!("{} = {}", self.sum(g), fmt_compact(self.tangent))
    }

    /// The rule with its numbers filled in but not its result (`v̇2 = v1·ẏ + y·v̇1 = 1·0 + 1·2`): what practice mode
    /// shows after a wrong answer. For a seed or a constant, the reason for its value instead.
    pub fn sum(&self, g: &Graph) -> String {
        let me = dot(&g.label(self.node));
        if self.seed.is_some() {
            return format!("{me} is a seed: 1 for the input we differentiate with respect to, 0 for the others");
        }
        if self.terms.is_empty() {
            return format!("{me}: a constant does not change with the input");
        }
        let symbolic: Vec<String> = self
            .terms
            .iter()
            .map(|(p, _)| {
                format!(
                    "{}·{}",
                    factor(&p.formula(g, self.node)),
                    dot(&g.label(p.parent))
                )
            })
            .collect();
        let numeric: Vec<String> = self
            .terms
            .iter()
            .map(|(p, t)| format!("{}·{}", num(p.value), num(*t)))
            .collect();
        format!("{me} = {} = {}", symbolic.join(" + "), numeric.join(" + "))
    }
}

impl ReverseTrace {
    /// A node's adjoint gathered from the nodes that read it, with the numbers filled in but not the result
    /// (`x̄ = v̄1·2·x = 1·2`): the lecture's hand computation, and what practice mode shows after a wrong answer.
    pub fn gather(&self, g: &Graph, node: NodeId) -> String {
        let me = bar(&g.label(node));
        let seeded = g.outputs.get(self.output) == Some(&node);
        let (mut symbolic, mut numeric) = (Vec::new(), Vec::new());
        if seeded {
            symbolic.push("1".to_string());
            numeric.push("1".to_string());
        }
        for step in &self.steps {
            if let ReverseStep::Adjoint {
                node: c,
                adjoint,
                pushes,
                ..
            } = step
            {
                for p in pushes.iter().filter(|p| p.partial.parent == node) {
                    symbolic.push(format!(
                        "{}·{}",
                        bar(&g.label(*c)),
                        factor(&p.partial.formula(g, *c))
                    ));
                    numeric.push(format!("{}·{}", num(*adjoint), num(p.partial.value)));
                }
            }
        }
        match symbolic.len() {
            0 => return format!("{me}: nothing that reaches the output reads it"),
            1 if seeded => return format!("{me} is the seed: the output we differentiate, ∂f/∂f"),
            _ => {}
        }
        let seed = if seeded {
            " (the first 1: the output's seed)"
        } else {
            ""
        };
        format!(
            "{me} = {} = {}{seed}",
            symbolic.join(" + "),
            numeric.join(" + ")
        )
    }
}

impl Push {
    /// `v̄1 += v̄2·y = 1·1 = 1`.
    pub fn rule(&self, g: &Graph, from: NodeId, adjoint: f64) -> String {
        format!(
            "{} += {}·{} = {}·{} = {}",
            bar(&g.label(self.partial.parent)),
            bar(&g.label(from)),
            factor(&self.partial.formula(g, from)),
            num(adjoint),
            num(self.partial.value),
            fmt_compact(self.contribution)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower::lower_source;

    /// The lecture's worked example f(x, y) = y·x² at x = y = 1.
    #[test]
    fn forward_trace_of_y_x_squared() {
        let g = lower_source("y * x**2").unwrap();
        let x = g.input_index("x").unwrap();
        let t = forward_trace(&g, &[1.0, 1.0], x);
        let by_label = |l: &str| t.steps.iter().find(|s| g.label(s.node) == l).unwrap();
        assert_eq!(by_label("x").tangent, 1.0);
        assert_eq!(by_label("y").tangent, 0.0);
        assert_eq!(by_label("v1").tangent, 2.0);
        assert_eq!(by_label("v2").tangent, 2.0);
        let (xd, yd, v1d, v2d) = (dot("x"), dot("y"), dot("v1"), dot("v2"));
        assert_eq!(
            by_label("v1").rule(&g),
            format!("{v1d} = 2·x·{xd} = 2·1 = 2")
        );
        assert_eq!(
            by_label("v2").rule(&g),
            format!("{v2d} = v1·{yd} + y·{v1d} = 1·0 + 1·2 = 2")
        );
        assert_eq!(by_label("x").rule(&g), format!("{xd} = 1 (seed)"));
    }

    #[test]
    fn reverse_trace_of_y_x_squared() {
        let g = lower_source("y * x**2").unwrap();
        let t = reverse_trace(&g, &[1.0, 1.0], 0);
        let adj = |l: &str| t.adjoints[g.find(l).unwrap().index()];
        assert_eq!(
            (adj("v2"), adj("y"), adj("v1"), adj("x")),
            (1.0, 1.0, 1.0, 2.0)
        );
        // Four primal steps, then v2 and v1 push their adjoints back, and x and y hold their derivatives.
        assert_eq!(t.steps.len(), 8);
        let back: Vec<String> = t.steps[4..].iter().map(|s| g.label(s.node())).collect();
        assert_eq!(back, ["v2", "v1", "x", "y"]);
        let ReverseStep::Adjoint {
            node,
            adjoint,
            seed,
            pushes,
        } = &t.steps[4]
        else {
            panic!()
        };
        assert_eq!(
            (g.label(*node), *adjoint, *seed),
            ("v2".to_string(), 1.0, Some(1.0))
        );
        let (xb, yb, v1b, v2b) = (bar("x"), bar("y"), bar("v1"), bar("v2"));
        assert_eq!(
            pushes[0].rule(&g, *node, *adjoint),
            format!("{yb} += {v2b}·v1 = 1·1 = 1")
        );
        assert_eq!(
            pushes[1].rule(&g, *node, *adjoint),
            format!("{v1b} += {v2b}·y = 1·1 = 1")
        );
        let ReverseStep::Adjoint {
            pushes,
            node,
            adjoint,
            ..
        } = &t.steps[5]
        else {
            panic!()
        };
        assert_eq!(
            pushes[0].rule(&g, *node, *adjoint),
            format!("{xb} += {v1b}·2·x = 1·2 = 2")
        );
        assert_eq!(t.adjoints_at(4)[g.find("x").unwrap().index()], None);
        assert_eq!(t.adjoints_at(5)[g.find("v1").unwrap().index()], Some(1.0));
        assert_eq!(t.adjoints_at(6)[g.find("x").unwrap().index()], Some(2.0));
    }

    #[test]
    fn fan_out_accumulates() {
        // x feeds three operations; its adjoint is the sum of three pushes.
        let g = lower_source(
            "def f(x, y):\n  a = x * y\n  b = sin(x)\n  c = x ** 2\n  return a + b + c",
        )
        .unwrap();
        let t = reverse_trace(&g, &[0.5, 2.0], 0);
        let x = g.find("x").unwrap();
        let pushes: Vec<&Push> = t
            .steps
            .iter()
            .filter_map(|s| match s {
                ReverseStep::Adjoint { pushes, .. } => Some(pushes),
                _ => None,
            })
            .flatten()
            .filter(|p| p.partial.parent == x)
            .collect();
        assert_eq!(pushes.len(), 3);
        assert_eq!(pushes[0].before, 0.0);
        for w in pushes.windows(2) {
            assert_eq!(w[0].after, w[1].before);
        }
        let expected = 2.0 + crate::base::math::cos(0.5) + 2.0 * 0.5;
        assert!((t.adjoints[x.index()] - expected).abs() < 1e-15);
    }
}
