//! Reverse mode written out as a numpy program: from an array graph ([`AGraph`]), a function with the same
//! parameters that runs the forward pass (one line per node) and then the backward pass (one line per cotangent
//! contribution, the rules of [`crate::base::aop`] written in numpy), and returns one input's gradient. The core runs
//! it again (`lower_arrays`) and checks it gives what the engine gives.
//!
//! Broadcasting's adjoint is written out (sums over the stretched axes, then a reshape); the conditions the graph
//! was traced with (`np.where`, the kinks of `abs`, `np.maximum`, `np.max`) are decided again at the same point.

use crate::base::aop::{AOp, Reduction};
use crate::base::array::Array;
use crate::base::op::{Binary, Unary};
use crate::lang::agraph::{AGraph, AOpNode};
use crate::lang::graph::NodeId;

/// A constant as numpy source: a number, or `np.array([...])` of its numbers at full precision.
fn literal(a: &Array) -> String {
    // As Python prints it (`1.0`, `1e+20`): never through core's float formatter.
    let body = crate::base::array::nested_list(a, &crate::base::num::fmt_python);
    if a.shape.is_empty() {
        // `(-1.0)` keeps a negative number whole next to an operator.
        if a.data[0] < 0.0 {
            format!("({body})")
        } else {
            body
        }
    } else {
        format!("np.array({body})")
    }
}

fn tuple(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `e`, of shape `from`, summed back to `to` (which broadcasts to `from`): the adjoint of broadcasting.
fn unbroadcast(e: String, from: &[usize], to: &[usize]) -> String {
    if from == to {
        return e;
    }
    if to.iter().product::<usize>() == 1 {
        return format!("np.reshape(np.sum({e}), {})", tuple(to));
    }
    let mut e = e;
    for _ in 0..from.len() - to.len() {
        e = format!("np.sum({e}, axis=0)");
    }
    let lead = &from[from.len() - to.len()..];
    for j in (0..to.len()).rev() {
        if to[j] == 1 && lead[j] != 1 {
            e = format!("np.sum({e}, axis={j})");
        }
    }
    format!("np.reshape({e}, {})", tuple(to))
}

/// The partial derivative of `u` at `x` (result `v`) in numpy: the rule of [`Unary::partial`].
fn map_partial(u: Unary, x: &str, v: &str) -> String {
    match u {
        Unary::Neg => "(-1.0)".to_string(),
        Unary::Log => format!("(1 / {x})"),
        Unary::Exp => v.to_string(),
        Unary::Sin => format!("np.cos({x})"),
        Unary::Cos => format!("(-np.sin({x}))"),
        Unary::Tan => format!("({v} ** 2 + 1)"),
        Unary::Sinh => format!("np.cosh({x})"),
        Unary::Cosh => format!("np.sinh({x})"),
        Unary::Tanh => format!("(1 / np.cosh({x}) ** 2)"),
        Unary::Sqrt => format!("(1 / ({v} * 2))"),
        Unary::Relu | Unary::Step => format!("np.where({x} > 0, 1.0, 0.0)"),
        Unary::Abs => format!("(np.where({x} > 0, 1.0, 0.0) - np.where({x} < 0, 1.0, 0.0))"),
    }
}

/// The partial derivatives of `x b y` (result `v`) in numpy, `None` for a partial that is 1: the rules of
/// [`Binary::partials`].
fn zip_partials(b: Binary, x: &str, y: &str, v: &str) -> (Option<String>, Option<String>) {
    match b {
        Binary::Add => (None, None),
        Binary::Sub => (None, Some("(-1.0)".to_string())),
        Binary::Mul => (Some(y.to_string()), Some(x.to_string())),
        Binary::Div => (Some(format!("(1 / {y})")), Some(format!("(-({v} / {y}))"))),
        Binary::Pow => (
            Some(format!("({y} * {x} ** ({y} - 1))")),
            Some(format!("(np.log({x}) * {v})")),
        ),
        Binary::Max => (
            Some(format!("np.where({y} > {x}, 0.0, 1.0)")),
            Some(format!("np.where({y} > {x}, 1.0, 0.0)")),
        ),
        Binary::Min => (
            Some(format!("np.where({x} > {y}, 0.0, 1.0)")),
            Some(format!("np.where({x} > {y}, 1.0, 0.0)")),
        ),
    }
}

/// A 0/1 mask of a shape, as a constant.
fn mask_literal(mask: &[bool], shape: &[usize]) -> String {
    literal(&Array::new(
        shape.to_vec(),
        mask.iter().map(|&m| if m { 1.0 } else { 0.0 }).collect(),
    ))
}

struct Writer<'a> {
    g: &'a AGraph,
    lines: Vec<String>,
    /// The name of each node's value in the program.
    names: Vec<String>,
    /// Whether a cotangent variable exists yet.
    has_adj: Vec<bool>,
}

impl Writer<'_> {
    fn shape(&self, id: NodeId) -> &[usize] {
        &self.g.nodes[id.index()].shape
    }

    fn add(&mut self, to: NodeId, e: String) {
        let k = to.index();
        if self.has_adj[k] {
            self.lines.push(format!("  g{k} = g{k} + {e}"));
        } else {
            self.lines.push(format!("  g{k} = {e}"));
            self.has_adj[k] = true;
        }
    }

    fn forward(&self, op: &AOp, a: &[String]) -> String {
        match op {
            AOp::Map(Unary::Neg) => format!("-{}", a[0]),
            AOp::Map(u) => format!("np.{}({})", u.name(), a[0]),
            AOp::Zip(Binary::Max) => format!("np.maximum({}, {})", a[0], a[1]),
            AOp::Zip(Binary::Min) => format!("np.minimum({}, {})", a[0], a[1]),
            AOp::Zip(b) => format!("{} {} {}", a[0], b.symbol(), a[1]),
            AOp::MatMul => format!("{} @ {}", a[0], a[1]),
            AOp::MatMulT => format!("{} @ np.transpose({})", a[0], a[1]),
            AOp::Transpose => format!("np.transpose({})", a[0]),
            AOp::Reduce(r, axis) => {
                let f = r.name();
                match axis {
                    None => format!("np.{f}({})", a[0]),
                    Some(k) => format!("np.{f}({}, axis={k})", a[0]),
                }
            }
            AOp::Reshape(s) => format!("np.reshape({}, {})", a[0], tuple(s)),
            AOp::Take { index, shape } => {
                let items: Vec<String> = index
                    .iter()
                    .map(|i| format!("np.reshape({}, (-1,))[{i}]", a[0]))
                    .collect();
                format!(
                    "np.reshape(np.array([{}]), {})",
                    items.join(", "),
                    tuple(shape)
                )
            }
            AOp::Stack => format!("np.array([{}])", a.join(", ")),
            AOp::Select { mask, shape } => format!(
                "np.where({} > 0.5, {}, {})",
                mask_literal(mask, shape),
                a[0],
                a[1]
            ),
            AOp::Solve => format!("np.linalg.solve({}, {})", a[0], a[1]),
        }
    }

    /// The contributions of node `k`'s cotangent `g{k}` to its arguments.
    fn backward(&mut self, k: usize, op: &AOp, args: &[NodeId], live: &[bool]) {
        let contrib = self.contributions(k, op, args, &format!("g{k}"));
        for (p, c) in args.iter().zip(contrib) {
            if let (true, Some(c)) = (live[p.index()], c) {
                self.add(*p, c);
            }
        }
    }

    /// What node `k`'s cotangent, called `g`, sends each of its arguments: the VJP rules of [`crate::base::aop`].
    fn contributions(&self, k: usize, op: &AOp, args: &[NodeId], g: &str) -> Vec<Option<String>> {
        let v = self.names[k].clone();
        let out = self.g.nodes[k].shape.clone();
        let a: Vec<String> = args.iter().map(|p| self.names[p.index()].clone()).collect();
        let sa: Vec<Vec<usize>> = args.iter().map(|p| self.shape(*p).to_vec()).collect();
        let mut contrib: Vec<Option<String>> = vec![None; args.len()];
        match op {
            AOp::Map(u) => contrib[0] = Some(format!("{g} * {}", map_partial(*u, &a[0], &v))),
            AOp::Zip(b) => {
                let (pa, pb) = zip_partials(*b, &a[0], &a[1], &v);
                // `g` has the result's shape: a partial of 1 passes it on.
                let term = |p: Option<String>| match p {
                    None => g.to_string(),
                    Some(p) => format!("{g} * {p}"),
                };
                contrib[0] = Some(unbroadcast(term(pa), &out, &sa[0]));
                contrib[1] = Some(unbroadcast(term(pb), &out, &sa[1]));
            }
            AOp::MatMul => {
                let (x, y) = (&a[0], &a[1]);
                let (ga, gb) = match (sa[0].len(), sa[1].len()) {
                    (2, 2) => (
                        format!("{g} @ np.transpose({y})"),
                        format!("np.transpose({x}) @ {g}"),
                    ),
                    (1, 2) => (format!("{y} @ {g}"), format!("np.outer({x}, {g})")),
                    (2, 1) => (
                        format!("np.outer({g}, {y})"),
                        format!("np.transpose({x}) @ {g}"),
                    ),
                    _ => (format!("{g} * {y}"), format!("{g} * {x}")),
                };
                contrib[0] = Some(ga);
                contrib[1] = Some(gb);
            }
            AOp::MatMulT => {
                contrib[0] = Some(format!("{g} @ {}", a[1]));
                contrib[1] = Some(format!("np.transpose({g}) @ {}", a[0]));
            }
            AOp::Transpose => contrib[0] = Some(format!("np.transpose({g})")),
            AOp::Reshape(_) => contrib[0] = Some(format!("np.reshape({g}, {})", tuple(&sa[0]))),
            AOp::Reduce(r, axis) => {
                let keep: Vec<usize> = match axis {
                    None => vec![1; sa[0].len()],
                    Some(k) => sa[0]
                        .iter()
                        .enumerate()
                        .map(|(j, &d)| if j == *k { 1 } else { d })
                        .collect(),
                };
                // A sum of everything has one number: it spreads as it is.
                let spread = match axis {
                    None => format!("{g} * np.ones({})", tuple(&sa[0])),
                    Some(_) => format!(
                        "np.reshape({g}, {}) * np.ones({})",
                        tuple(&keep),
                        tuple(&sa[0])
                    ),
                };
                contrib[0] = Some(match r {
                    Reduction::Sum => spread,
                    _ => {
                        // Shared equally by the entries equal to the extremum, as autograd shares it.
                        let w = format!(
                            "np.where({} == np.reshape({v}, {}), 1.0, 0.0)",
                            a[0],
                            tuple(&keep)
                        );
                        let count = match axis {
                            None => format!("np.sum({w})"),
                            Some(k) => {
                                format!("np.reshape(np.sum({w}, axis={k}), {})", tuple(&keep))
                            }
                        };
                        format!("{spread} * {w} / {count}")
                    }
                });
            }
            AOp::Take { index, .. } => {
                let n: usize = sa[0].iter().product();
                let mut terms: Vec<Vec<usize>> = vec![Vec::new(); n];
                for (k, &i) in index.iter().enumerate() {
                    terms[i].push(k);
                }
                let items: Vec<String> = terms
                    .iter()
                    .map(|ks| match ks.as_slice() {
                        [] => "0.0".to_string(),
                        _ => ks
                            .iter()
                            .map(|k| format!("np.reshape({g}, (-1,))[{k}]"))
                            .collect::<Vec<_>>()
                            .join(" + "),
                    })
                    .collect();
                contrib[0] = Some(format!(
                    "np.reshape(np.array([{}]), {})",
                    items.join(", "),
                    tuple(&sa[0])
                ));
            }
            AOp::Stack => {
                for (j, c) in contrib.iter_mut().enumerate() {
                    *c = Some(format!("{g}[{j}]"));
                }
            }
            AOp::Select { mask, shape } => {
                let m = mask_literal(mask, shape);
                contrib[0] = Some(unbroadcast(
                    format!("np.where({m} > 0.5, {g}, 0.0)"),
                    &out,
                    &sa[0],
                ));
                contrib[1] = Some(unbroadcast(
                    format!("np.where({m} > 0.5, 0.0, {g})"),
                    &out,
                    &sa[1],
                ));
            }
            AOp::Solve => {
                let gb = format!("np.linalg.solve(np.transpose({}), {g})", a[0]);
                contrib[0] = Some(if sa[1].len() == 1 {
                    format!("-np.outer({gb}, {v})")
                } else {
                    format!("-({gb} @ np.transpose({v}))")
                });
                contrib[1] = Some(gb);
            }
        }
        contrib
    }
}

/// The numpy program computing the gradient of the graph's (scalar) output with respect to input `wrt`, by reverse
/// mode: `def grad_<name>(<the same parameters>): <forward> <backward> return g<input>`.
pub fn reverse_program(g: &AGraph, wrt: usize) -> String {
    let live = crate::ad::nd::live(g);
    let mut w = Writer {
        g,
        lines: Vec::new(),
        names: Vec::new(),
        has_adj: vec![false; g.nodes.len()],
    };
    let params = forward_lines(&mut w);
    let out = g.output().index();
    // Every cotangent has its node's shape, the seed too.
    let seed = match &g.nodes[out].shape[..] {
        [] => "1.0".to_string(),
        shape => format!("np.ones({})", tuple(shape)),
    };
    w.lines.push(format!("  g{out} = {seed}"));
    w.has_adj[out] = true;
    for k in (0..g.nodes.len()).rev() {
        if let AOpNode::Prim(op, args) = &g.nodes[k].op {
            if live[k] && w.has_adj[k] {
                w.backward(k, op, args, &live);
            }
        }
    }
    let input = &g.inputs[wrt];
    let k = input.node.index();
    let result = if w.has_adj[k] {
        format!("g{k}")
    } else {
        format!("np.zeros({})", tuple(&input.value.shape))
    };
    format!(
        "import numpy as np\n\ndef grad_{}({}):\n{}\n  return {result}\n",
        input.name,
        params.join(", "),
        w.lines.join("\n")
    )
}

/// The names of the nodes' values as a generated program writes them (an input's own name, a number inline, `c<k>` for
/// a constant array, `v<k>` for an operation), with the lines that define them, and the parameters.
fn forward_lines(w: &mut Writer) -> Vec<String> {
    let g = w.g;
    let mut params = Vec::new();
    w.names = value_names(g);
    for (k, n) in g.nodes.iter().enumerate() {
        match &n.op {
            AOpNode::Input(i) => {
                let input = &g.inputs[*i as usize];
                params.push(format!("{}={}", input.name, literal(&input.value)));
            }
            AOpNode::Const(c) if c.len() == 1 && c.shape.is_empty() => {}
            AOpNode::Const(c) => w.lines.push(format!("  c{k} = {}", literal(c))),
            AOpNode::Prim(op, args) => {
                let a: Vec<String> = args.iter().map(|p| w.names[p.index()].clone()).collect();
                w.lines.push(format!("  v{k} = {}", w.forward(op, &a)));
            }
        }
    }
    params
}

/// Each node's name in a generated program: an input's own name, a number written inline, `c<k>` for a constant
/// array, `v<k>` for an operation.
pub fn value_names(g: &AGraph) -> Vec<String> {
    g.nodes
        .iter()
        .enumerate()
        .map(|(k, n)| match &n.op {
            AOpNode::Input(i) => g.inputs[*i as usize].name.clone(),
            AOpNode::Const(c) if c.len() == 1 && c.shape.is_empty() => literal(c),
            AOpNode::Const(_) => format!("c{k}"),
            AOpNode::Prim(..) => format!("v{k}"),
        })
        .collect()
}

/// Which nodes move when the inputs move along `seeds` (an input moves when its seed is not all zeros).
pub fn moving(g: &AGraph, seeds: &[Array]) -> Vec<bool> {
    let moves: Vec<bool> = seeds
        .iter()
        .map(|s| s.data.iter().any(|&x| x != 0.0))
        .collect();
    crate::ad::nd::live_for(g, &moves)
}

/// Node `k`'s tangent rule in the lecture's notation, `v̇4 = v̇3 * x`: forward mode's line for it (`moving` from
/// [`moving`]; a still argument's tangent is written as zeros).
pub fn tangent_rule(g: &AGraph, k: usize, moving: &[bool]) -> String {
    let w = Writer {
        g,
        lines: Vec::new(),
        names: value_names(g),
        has_adj: Vec::new(),
    };
    let name = |p: &NodeId| crate::ad::trace::dot(&w.names[p.index()]);
    match &g.nodes[k].op {
        AOpNode::Prim(op, args) => {
            format!(
                "{} = {}",
                name(&NodeId(k as u32)),
                w.tangent(k, op, args, moving, &name)
            )
        }
        _ => String::new(),
    }
}

/// Node `k`'s adjoint gathered from the nodes that read it, in the lecture's notation, `v̄2 = v̄3 * x + …`: the
/// backward sweep's contributions to it, from every reader `reached` says the sweep got to.
pub fn adjoint_rule(g: &AGraph, k: usize, reached: &[bool]) -> String {
    let w = Writer {
        g,
        lines: Vec::new(),
        names: value_names(g),
        has_adj: Vec::new(),
    };
    let bar = |p: usize| crate::ad::trace::bar(&w.names[p]);
    let mut terms = Vec::new();
    for r in (k + 1..g.nodes.len()).rev() {
        let AOpNode::Prim(op, args) = &g.nodes[r].op else {
            continue;
        };
        if !reached[r] || !args.iter().any(|p| p.index() == k) {
            continue;
        }
        let contrib = w.contributions(r, op, args, &bar(r));
        for (p, c) in args.iter().zip(contrib) {
            if let (true, Some(c)) = (p.index() == k, c) {
                terms.push(c);
            }
        }
    }
    if g.outputs.iter().any(|o| o.index() == k) {
        terms.push("1 (the seed)".into());
    }
    format!("{} = {}", bar(k), terms.join(" + "))
}

/// The numpy program computing the directional derivative of the graph's output along `seeds` (one array per input,
/// of its shape; an input whose seed is all zeros does not move), by forward mode: `def jvp(<the same parameters>)`,
/// each value's line followed by its tangent's, the rules of [`crate::base::aop`] written in numpy; it returns the
/// output's tangent.
pub fn forward_program(g: &AGraph, seeds: &[Array]) -> String {
    let mut w = Writer {
        g,
        lines: Vec::new(),
        names: Vec::new(),
        has_adj: vec![false; g.nodes.len()],
    };
    let params = forward_lines(&mut w);
    let values = std::mem::take(&mut w.lines);
    // Each value's line, then its tangent's: written in one pass over the nodes.
    let moving = moving(g, seeds);
    let mut lines = Vec::new();
    let mut value_lines = values.into_iter().peekable();
    for (k, n) in g.nodes.iter().enumerate() {
        if !matches!(n.op, AOpNode::Input(_)) && w.names[k].starts_with(['c', 'v']) {
            lines.extend(value_lines.next());
        }
        let t = |p: &NodeId| format!("t{}", p.index());
        let tangent = match &n.op {
            _ if !moving[k] => None,
            AOpNode::Input(i) => Some(literal(&seeds[*i as usize])),
            AOpNode::Const(_) => None,
            AOpNode::Prim(op, args) => Some(w.tangent(k, op, args, &moving, &t)),
        };
        if let Some(e) = tangent {
            lines.push(format!("  t{k} = {e}"));
        }
    }
    let out = g.output().index();
    let result = if moving[out] {
        format!("t{out}")
    } else if g.nodes[out].shape.is_empty() {
        "0.0".to_string()
    } else {
        format!("np.zeros({})", tuple(&g.nodes[out].shape))
    };
    format!(
        "import numpy as np\n\ndef jvp({}):\n{}\n  return {result}\n",
        params.join(", "),
        lines.join("\n")
    )
}

impl Writer<'_> {
    /// Node `k`'s tangent from its moving arguments' (`t(arg)`), as numpy: the JVP rules of [`crate::base::aop`].
    fn tangent(
        &self,
        k: usize,
        op: &AOp,
        args: &[NodeId],
        moving: &[bool],
        t: &dyn Fn(&NodeId) -> String,
    ) -> String {
        let v = &self.names[k];
        let out = &self.g.nodes[k].shape;
        let a: Vec<String> = args.iter().map(|p| self.names[p.index()].clone()).collect();
        let moves = |j: usize| moving[args[j].index()];
        // A still argument's tangent, where a rule needs one: zeros of its shape.
        let ta: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(j, p)| match moves(j) {
                true => t(p),
                false => format!("np.zeros({})", tuple(self.shape(*p))),
            })
            .collect();
        let sum = |terms: Vec<String>| terms.join(" + ");
        match op {
            AOp::Map(u) => format!("{} * {}", ta[0], map_partial(*u, &a[0], v)),
            AOp::Zip(b) => {
                let (pa, pb) = zip_partials(*b, &a[0], &a[1], v);
                let mut terms = Vec::new();
                for (j, p) in [pa, pb].into_iter().enumerate() {
                    if !moves(j) {
                        continue;
                    }
                    // A partial of 1 (or a constant) keeps the argument's shape: stretched to the result's.
                    let stretch = self.shape(args[j]) != out.as_slice();
                    terms.push(match p {
                        Some(p) if !p.starts_with("(-1") => format!("{} * {p}", ta[j]),
                        Some(p) if stretch => format!("{} * {p} * np.ones({})", ta[j], tuple(out)),
                        Some(p) => format!("{} * {p}", ta[j]),
                        None if stretch => format!("{} * np.ones({})", ta[j], tuple(out)),
                        None => ta[j].clone(),
                    });
                }
                sum(terms)
            }
            AOp::MatMul | AOp::MatMulT => {
                let tr = |e: &str| match op {
                    AOp::MatMulT => format!("np.transpose({e})"),
                    _ => e.to_string(),
                };
                let mut terms = Vec::new();
                if moves(0) {
                    terms.push(format!("{} @ {}", ta[0], tr(&a[1])));
                }
                if moves(1) {
                    terms.push(format!("{} @ {}", a[0], tr(&ta[1])));
                }
                sum(terms)
            }
            // Linear: the operation applied to the tangents.
            AOp::Transpose
            | AOp::Reshape(_)
            | AOp::Take { .. }
            | AOp::Stack
            | AOp::Select { .. }
            | AOp::Reduce(Reduction::Sum, _) => self.forward(op, &ta),
            AOp::Reduce(_, axis) => {
                // Shared equally by the entries equal to the extremum, as autograd shares it.
                let keep: Vec<usize> = match axis {
                    None => vec![1; self.shape(args[0]).len()],
                    Some(k) => self
                        .shape(args[0])
                        .iter()
                        .enumerate()
                        .map(|(j, &d)| if j == *k { 1 } else { d })
                        .collect(),
                };
                let w = format!(
                    "np.where({} == np.reshape({v}, {}), 1.0, 0.0)",
                    a[0],
                    tuple(&keep)
                );
                match axis {
                    None => format!("np.sum({} * {w}) / np.sum({w})", ta[0]),
                    Some(k) => format!("np.sum({} * {w}, axis={k}) / np.sum({w}, axis={k})", ta[0]),
                }
            }
            AOp::Solve => {
                // A·x = b moves as A·dx = db − dA·x.
                let rhs = match (moves(0), moves(1)) {
                    (true, true) => format!("{} - {} @ {v}", ta[1], ta[0]),
                    (true, false) => format!("-({} @ {v})", ta[0]),
                    _ => ta[1].clone(),
                };
                format!("np.linalg.solve({}, {rhs})", a[0])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::nd;
    use crate::lang::lower::arrays::lower_arrays;

    /// A small program's forward pass reads as the rules it applies (each value, then its tangent), and runs to the
    /// engine's tangent; a still input has none.
    #[test]
    fn the_forward_program_reads_as_its_rules_and_reruns() {
        let src = "import numpy as np\ndef f(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  return np.sum(np.tanh(W @ x) * x)\n";
        let g = lower_arrays(src, &[]).unwrap();
        let seeds = [
            Array::new(vec![2, 2], vec![0.0, 1.0, 0.0, 0.0]),
            Array::zeros(&[2]),
        ];
        let text = forward_program(&g, &seeds);
        assert_eq!(
            text,
            "import numpy as np\n\ndef jvp(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  \
             t0 = np.array([[0.0, 1.0], [0.0, 0.0]])\n  v2 = W @ x\n  t2 = t0 @ x\n  v3 = np.tanh(v2)\n  \
             t3 = t2 * (1 / np.cosh(v2) ** 2)\n  v4 = v3 * x\n  t4 = t3 * x\n  v5 = np.sum(v4)\n  t5 = np.sum(t4)\n  \
             return t5\n"
        );
        let h = lower_arrays(&text, &[]).unwrap();
        let got = nd::evaluate(&h, &nd::point(&h)).unwrap()[h.output().index()].clone();
        let values = nd::evaluate(&g, &nd::point(&g)).unwrap();
        let want = nd::node_tangents(&g, &values, &seeds)[g.output().index()].clone();
        assert_eq!(got, want);
        assert_eq!(got.data[0], nd::gradient(&g).unwrap().1[0].data[1]);
    }

    /// A small program's reverse pass reads as the rules it applies, and runs to the engine's gradient.
    #[test]
    fn the_reverse_program_reads_as_its_rules_and_reruns() {
        let src = "import numpy as np\ndef f(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  return np.sum(np.tanh(W @ x) * x)\n";
        let g = lower_arrays(src, &[]).unwrap();
        let text = reverse_program(&g, 0);
        assert_eq!(
            text,
            "import numpy as np\n\ndef grad_W(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  v2 = W @ x\n  \
             v3 = np.tanh(v2)\n  v4 = v3 * x\n  v5 = np.sum(v4)\n  g5 = 1.0\n  g4 = g5 * np.ones((2,))\n  \
             g3 = g4 * x\n  g1 = g4 * v3\n  g2 = g3 * (1 / np.cosh(v2) ** 2)\n  g0 = np.outer(g2, x)\n  g1 = g1 + np.transpose(W) @ g2\n  \
             return g0\n"
        );
        let h = lower_arrays(&text, &[]).unwrap();
        let got = nd::evaluate(&h, &nd::point(&h)).unwrap()[h.output().index()].clone();
        assert_eq!(got, nd::gradient(&g).unwrap().1[0]);
    }
}
