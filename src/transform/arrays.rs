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
    fn nested(data: &[f64], shape: &[usize]) -> String {
        match shape {
            // As Python prints it (`1.0`, `1e+20`): never through core's float formatter.
            [] => crate::base::num::fmt_python(data[0]),
            [n, rest @ ..] => {
                let step: usize = rest.iter().product();
                let items: Vec<String> = (0..*n)
                    .map(|i| nested(&data[i * step..(i + 1) * step], rest))
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
    let body = nested(&a.data, &a.shape);
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
        let g = format!("g{k}");
        let v = self.names[k].clone();
        let out = self.g.nodes[k].shape.clone();
        let a: Vec<String> = args.iter().map(|p| self.names[p.index()].clone()).collect();
        let sa: Vec<Vec<usize>> = args.iter().map(|p| self.shape(*p).to_vec()).collect();
        let mut contrib: Vec<Option<String>> = vec![None; args.len()];
        match op {
            AOp::Map(u) => {
                let x = &a[0];
                let partial = match u {
                    Unary::Neg => "(-1.0)".to_string(),
                    Unary::Log => format!("(1 / {x})"),
                    Unary::Exp => v.clone(),
                    Unary::Sin => format!("np.cos({x})"),
                    Unary::Cos => format!("(-np.sin({x}))"),
                    Unary::Tan => format!("({v} ** 2 + 1)"),
                    Unary::Sinh => format!("np.cosh({x})"),
                    Unary::Cosh => format!("np.sinh({x})"),
                    Unary::Tanh => format!("(1 / np.cosh({x}) ** 2)"),
                    Unary::Sqrt => format!("(1 / ({v} * 2))"),
                    Unary::Relu | Unary::Step => format!("np.where({x} > 0, 1.0, 0.0)"),
                    Unary::Abs => {
                        format!("(np.where({x} > 0, 1.0, 0.0) - np.where({x} < 0, 1.0, 0.0))")
                    }
                };
                contrib[0] = Some(format!("{g} * {partial}"));
            }
            AOp::Zip(b) => {
                let (x, y) = (&a[0], &a[1]);
                let (pa, pb) = match b {
                    Binary::Add => (None, None),
                    Binary::Sub => (None, Some("(-1.0)".to_string())),
                    Binary::Mul => (Some(y.clone()), Some(x.clone())),
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
                };
                let term = |p: Option<String>| match p {
                    None => format!("{g} * np.ones({})", tuple(&out)),
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
                let spread = format!(
                    "np.reshape({g}, {}) * np.ones({})",
                    tuple(&keep),
                    tuple(&sa[0])
                );
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
        for (p, c) in args.iter().zip(contrib) {
            if let (true, Some(c)) = (live[p.index()], c) {
                self.add(*p, c);
            }
        }
    }
}

/// The numpy program computing the gradient of the graph's (scalar) output with respect to input `wrt`, by reverse
/// mode: `def grad_<name>(<the same parameters>): <forward> <backward> return g<input>`.
pub fn reverse_program(g: &AGraph, wrt: usize) -> String {
    let live: Vec<bool> = {
        let mut l = Vec::with_capacity(g.nodes.len());
        for n in &g.nodes {
            l.push(match &n.op {
                AOpNode::Input(_) => true,
                AOpNode::Const(_) => false,
                AOpNode::Prim(_, args) => args.iter().any(|p| l[p.index()]),
            });
        }
        l
    };
    let mut w = Writer {
        g,
        lines: Vec::new(),
        names: Vec::new(),
        has_adj: vec![false; g.nodes.len()],
    };
    let mut params = Vec::new();
    for (k, n) in g.nodes.iter().enumerate() {
        let name = match &n.op {
            AOpNode::Input(i) => {
                let input = &g.inputs[*i as usize];
                params.push(format!("{}={}", input.name, literal(&input.value)));
                input.name.clone()
            }
            AOpNode::Const(c) if c.len() == 1 && c.shape.is_empty() => literal(c),
            AOpNode::Const(c) => {
                w.lines.push(format!("  c{k} = {}", literal(c)));
                format!("c{k}")
            }
            AOpNode::Prim(op, args) => {
                let a: Vec<String> = args.iter().map(|p| w.names[p.index()].clone()).collect();
                w.lines.push(format!("  v{k} = {}", w.forward(op, &a)));
                format!("v{k}")
            }
        };
        w.names.push(name);
    }
    let out = g.output().index();
    w.lines.push(format!("  g{out} = 1.0"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::nd;
    use crate::lang::lower::arrays::lower_arrays;

    /// A small program's reverse pass reads as the rules it applies, and runs to the engine's gradient.
    #[test]
    fn the_reverse_program_reads_as_its_rules_and_reruns() {
        let src = "import numpy as np\ndef f(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  return np.sum(np.tanh(W @ x) * x)\n";
        let g = lower_arrays(src, &[]).unwrap();
        let text = reverse_program(&g, 0);
        assert_eq!(
            text,
            "import numpy as np\n\ndef grad_W(W=np.array([[0.5, -1.0], [2.0, 0.25]]), x=np.array([1.0, 2.0])):\n  v2 = W @ x\n  \
             v3 = np.tanh(v2)\n  v4 = v3 * x\n  v5 = np.sum(v4)\n  g5 = 1.0\n  g4 = np.reshape(g5, (1,)) * np.ones((2,))\n  \
             g3 = g4 * x\n  g1 = g4 * v3\n  g2 = g3 * (1 / np.cosh(v2) ** 2)\n  g0 = np.outer(g2, x)\n  g1 = g1 + np.transpose(W) @ g2\n  \
             return g0\n"
        );
        let h = lower_arrays(&text, &[]).unwrap();
        let got = nd::evaluate(&h, &nd::point(&h)).unwrap()[h.output().index()].clone();
        assert_eq!(got, nd::gradient(&g).unwrap().1[0]);
    }
}
