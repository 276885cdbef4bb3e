//! Expressions as a hash-consed DAG: every distinct subexpression is stored once, so an expression whose *tree* is
//! exponentially large (the logistic map's f₃₀) is held, differentiated and measured in linear space and time.
//!
//! - [`Dag::from_graph`] turns a computational graph into an expression DAG.
//! - [`Dag::diff`] differentiates by the textbook rules (sum, product, quotient, power, chain), applied as written and
//!   not simplified — the "expression swell" of symbolic differentiation.
//! - [`Dag::tree_size`] counts the nodes of the expression *as a tree* (every operation, variable and constant
//!   occurrence counts 1), without building it; [`Dag::dag_size`] counts distinct nodes (what remains when
//!   intermediate results are shared, as automatic differentiation does).

use crate::base::hash::Map as HashMap;

use crate::ad::wide::Wide;
use crate::base::formula::{Expr, Node};
use crate::base::op::{Binary, Unary};
use crate::base::scalar::{binary, chain, Scalar};
use crate::lang::graph::{Arg, Graph, Op};

pub type Id = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DNode {
    /// A constant, by its bits (so equal constants share a node).
    Num(u64),
    Var(u32),
    Unary(Unary, Id),
    Binary(Binary, Id, Id),
}

#[derive(Clone, Debug, Default)]
pub struct Dag {
    nodes: Vec<DNode>,
    index: HashMap<DNode, Id>,
    pub names: Vec<String>,
    /// Per node: the variable its derivative was taken with respect to, and that derivative.
    derivatives: Vec<Option<(u32, Id)>>,
    /// Nodes below this id are the function's own (made by [`Dag::from_graph`]): [`Dag::eval`] computes them in f64,
    /// as the program and every AD engine compute values.
    primal: Id,
}

impl Dag {
    pub fn new() -> Dag {
        Dag::default()
    }

    pub fn node(&self, id: Id) -> DNode {
        self.nodes[id as usize]
    }

    fn intern(&mut self, n: DNode) -> Id {
        if let Some(&id) = self.index.get(&n) {
            return id;
        }
        let id = self.nodes.len() as Id;
        self.nodes.push(n);
        self.index.insert(n, id);
        id
    }

    pub fn num(&mut self, x: f64) -> Id {
        // −0.0 keeps its sign (x / −0.0 is −∞): constants are told apart by their bits.
        self.intern(DNode::Num(x.to_bits()))
    }

    pub fn var(&mut self, name: &str) -> Id {
        let k = match self.names.iter().position(|n| n == name) {
            Some(k) => k,
            None => {
                self.names.push(name.to_string());
                self.names.len() - 1
            }
        };
        self.intern(DNode::Var(k as u32))
    }

    /// The variable numbered `k`, whatever its name (for DAGs used as keys).
    pub fn raw_var(&mut self, k: u32) -> Id {
        self.intern(DNode::Var(k))
    }

    pub fn unary(&mut self, op: Unary, a: Id) -> Id {
        self.intern(DNode::Unary(op, a))
    }

    pub fn binary(&mut self, op: Binary, a: Id, b: Id) -> Id {
        self.intern(DNode::Binary(op, a, b))
    }

    pub fn as_num(&self, id: Id) -> Option<f64> {
        match self.node(id) {
            DNode::Num(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    fn is(&self, id: Id, x: f64) -> bool {
        self.as_num(id) == Some(x)
    }

    /// The expression computed by `g`'s output number `output`, in the graph's input names.
    pub fn from_graph(g: &Graph, output: usize) -> (Dag, Id) {
        let mut d = Dag::new();
        // Only the output's own ancestors: another output's values (x**2 that underflowed) must not be shared with
        // the nodes the derivative rules build (the quotient rule's v²).
        let mut needed = vec![false; g.len()];
        if let Some(o) = g.outputs.get(output) {
            needed[o.index()] = true;
        }
        for i in (0..g.len()).rev() {
            if needed[i] {
                for p in g.nodes[i].op.parents() {
                    needed[p.index()] = true;
                }
            }
        }
        let mut ids: Vec<Id> = Vec::with_capacity(g.len());
        for (i, node) in g.nodes.iter().enumerate() {
            if !needed[i] && !matches!(node.op, Op::Input(_)) {
                ids.push(Id::MAX);
                continue;
            }
            let id = match node.op {
                Op::Input(k) => d.var(&g.inputs[k as usize].name),
                Op::Const(c) => d.num(c),
                Op::Unary(op, a) => d.unary(op, ids[a.index()]),
                Op::Binary(op, a, b) => {
                    let mut arg = |x: Arg| match x {
                        Arg::Node(n) => ids[n.index()],
                        Arg::Const(c) => d.num(c),
                    };
                    let (a, b) = (arg(a), arg(b));
                    d.binary(op, a, b)
                }
            };
            ids.push(id);
        }
        let root = g
            .outputs
            .get(output)
            .map_or_else(|| d.num(f64::NAN), |o| ids[o.index()]);
        d.primal = d.nodes.len() as Id;
        (d, root)
    }

    /// A tree expression as a DAG node (placeholders `a`, `v` and friends are looked up in `bind`).
    fn intern_expr(&mut self, e: &Expr, bind: &dyn Fn(&str) -> Option<Id>) -> Id {
        match e.node() {
            Node::Num(x) => self.num(*x),
            Node::Var(v) => bind(v).unwrap_or_else(|| self.var(v)),
            Node::Unary(op, a) => {
                let a = self.intern_expr(a, bind);
                self.unary(*op, a)
            }
            Node::Binary(op, a, b) => {
                let (a, b) = (self.intern_expr(a, bind), self.intern_expr(b, bind));
                self.binary(*op, a, b)
            }
        }
    }

    /// `c · u` (or `u · c`): a number first, and a factor ±1 is not written.
    fn scale(&mut self, c: Id, u: Id) -> Id {
        // A negated factor goes in front: c·(−v) is written −(c·v).
        if let DNode::Unary(Unary::Neg, v) = self.node(u) {
            let inner = self.scale(c, v);
            return self.unary(Unary::Neg, inner);
        }
        if self.is(u, 1.0) {
            c
        } else if self.is(c, 1.0) {
            u
        } else if self.is(u, -1.0) {
            self.unary(Unary::Neg, c)
        } else if self.is(c, -1.0) {
            self.unary(Unary::Neg, u)
        } else if self.as_num(c).is_some() {
            self.binary(Binary::Mul, c, u)
        } else {
            // A number first when there is one; otherwise the derivative factor leads.
            self.binary(Binary::Mul, u, c)
        }
    }

    /// `a + b`, written `a − c` when `b` is `−c`, as by hand.
    fn plus(&mut self, a: Id, b: Id) -> Id {
        match self.node(b) {
            DNode::Unary(Unary::Neg, c) => self.binary(Binary::Sub, a, c),
            _ => self.binary(Binary::Add, a, b),
        }
    }

    /// `u · v`, not writing a factor 1 (the `dx/dx` of the chain rule).
    fn times(&mut self, u: Id, v: Id) -> Id {
        if self.is(v, 1.0) {
            u
        } else if self.is(u, 1.0) {
            v
        } else {
            self.binary(Binary::Mul, u, v)
        }
    }

    /// d(root)/d(var) by the textbook rules. A term whose derivative is the constant 0, and a factor `dx/dx = 1`, are
    /// not written; nothing else is simplified.
    pub fn diff(&mut self, root: Id, var: &str) -> Id {
        let v = self.var(var);
        let DNode::Var(k) = self.node(v) else {
            return v;
        };
        self.diff_by(root, k)
    }

    fn diff_by(&mut self, root: Id, var: u32) -> Id {
        // Iterative post-order (deep DAGs must not overflow the stack), memoised per node.
        let zero = self.num(0.0);
        let mut stack = vec![(root, false)];
        while let Some((id, ready)) = stack.pop() {
            if self.derivative_of(id, var).is_some() {
                continue;
            }
            let children = self.children(id);
            if !ready {
                stack.push((id, true));
                for c in children {
                    if self.derivative_of(c, var).is_none() {
                        stack.push((c, false));
                    }
                }
                continue;
            }
            let d = |s: &Self, x: Id| s.derivative_of(x, var).unwrap_or(zero);
            let result = match self.node(id) {
                DNode::Num(_) => zero,
                DNode::Var(k) => {
                    if k == var {
                        self.num(1.0)
                    } else {
                        zero
                    }
                }
                DNode::Unary(Unary::Neg, a) => {
                    let da = d(self, a);
                    if da == zero {
                        zero
                    } else {
                        self.unary(Unary::Neg, da)
                    }
                }
                DNode::Unary(op, a) => {
                    // Chain rule: f′(a) · a′.
                    let da = d(self, a);
                    if da == zero {
                        zero
                    } else {
                        let f1 = op.partial_formula(&Expr::var("\u{0}a"), &Expr::var("\u{0}v"));
                        let fp = self.intern_expr(&f1, &|n| match n {
                            "\u{0}a" => Some(a),
                            "\u{0}v" => Some(id),
                            _ => None,
                        });
                        if self.is(da, 1.0) {
                            fp
                        } else {
                            self.scale(fp, da)
                        }
                    }
                }
                DNode::Binary(op, a, b) => {
                    let (da, db) = (d(self, a), d(self, b));
                    self.binary_rule(op, a, b, da, db, id, zero)
                }
            };
            if self.derivatives.len() < self.nodes.len() {
                self.derivatives.resize(self.nodes.len(), None);
            }
            self.derivatives[id as usize] = Some((var, result));
        }
        self.derivative_of(root, var).unwrap_or(zero)
    }

    fn derivative_of(&self, id: Id, var: u32) -> Option<Id> {
        match self.derivatives.get(id as usize) {
            Some(&Some((v, d))) if v == var => Some(d),
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn binary_rule(&mut self, op: Binary, a: Id, b: Id, da: Id, db: Id, me: Id, zero: Id) -> Id {
        use Binary::*;
        match op {
            Add | Sub => match (da == zero, db == zero) {
                (true, true) => zero,
                (false, true) => da,
                (true, false) if op == Add => db,
                (true, false) => match self.as_num(db) {
                    Some(k) => self.num(-k),
                    None => self.unary(Unary::Neg, db),
                },
                (false, false) if op == Add => self.plus(da, db),
                (false, false) => self.binary(op, da, db),
            },
            Max | Min => {
                // The derivative of the argument returned: (1 − step(b − a))·a′ + step(b − a)·b′ for max (a − b for
                // min), each term written only when its factor is not the constant 0.
                let d = if op == Max {
                    self.binary(Sub, b, a)
                } else {
                    self.binary(Sub, a, b)
                };
                let s = self.unary(Unary::Step, d);
                let ta = if da == zero {
                    zero
                } else {
                    let one = self.num(1.0);
                    let c = self.binary(Sub, one, s);
                    self.times(c, da)
                };
                let tb = if db == zero { zero } else { self.times(s, db) };
                match (ta == zero, tb == zero) {
                    (true, true) => zero,
                    (false, true) => ta,
                    (true, false) => tb,
                    (false, false) => self.plus(ta, tb),
                }
            }
            Mul => {
                // Product rule u′v + uv′ (a constant factor just multiplies: (cu)′ = c·u′).
                let left = if da == zero { zero } else { self.scale(b, da) };
                let right = if db == zero { zero } else { self.scale(a, db) };
                match (left == zero, right == zero) {
                    (true, true) => zero,
                    (false, true) => left,
                    (true, false) => right,
                    (false, false) => self.plus(left, right),
                }
            }
            Div => {
                // Quotient rule (u′v − uv′)/v².
                if db == zero {
                    if da == zero {
                        zero
                    } else {
                        self.binary(Div, da, b)
                    }
                } else {
                    let two = self.num(2.0);
                    let v2 = self.binary(Pow, b, two);
                    let udv = self.times(a, db);
                    let top = if da == zero {
                        self.unary(Unary::Neg, udv)
                    } else {
                        let dav = self.times(da, b);
                        self.binary(Sub, dav, udv)
                    };
                    self.binary(Div, top, v2)
                }
            }
            Pow => match (self.as_num(a), self.as_num(b)) {
                (_, Some(c)) => {
                    // Power rule c·u^(c−1)·u′ (u⁰ is the constant 1: no term, even where u^(−1) is infinite).
                    if da == zero || c == 0.0 {
                        zero
                    } else {
                        let cm1 = self.num(c - 1.0);
                        let p = if c - 1.0 == 1.0 {
                            a
                        } else {
                            self.binary(Pow, a, cm1)
                        };
                        let cn = self.num(c);
                        let cp = self.scale(cn, p);
                        self.times(cp, da)
                    }
                }
                (Some(c), None) => {
                    // (cᵘ)′ = ln(c)·cᵘ·u′.
                    if db == zero {
                        zero
                    } else {
                        let lnc = self.num(crate::base::math::log(c));
                        let t = self.binary(Mul, lnc, me);
                        self.times(t, db)
                    }
                }
                (None, None) => {
                    // (uᵛ)′ = v·u^(v−1)·u′ + ln(u)·uᵛ·v′: the power operation's own rules (no u′/u, which is 0/0 at
                    // u = 0), each term written only when its factor u′ or v′ is not the constant 0.
                    let t1 = if da == zero {
                        zero
                    } else {
                        let one = self.num(1.0);
                        let vm1 = self.binary(Sub, b, one);
                        let p = self.binary(Pow, a, vm1);
                        let bp = self.binary(Mul, b, p);
                        self.times(bp, da)
                    };
                    let t2 = if db == zero {
                        zero
                    } else {
                        let lna = self.unary(Unary::Log, a);
                        let t = self.binary(Mul, lna, me);
                        self.times(t, db)
                    };
                    match (t1 == zero, t2 == zero) {
                        (true, true) => zero,
                        (false, true) => t1,
                        (true, false) => t2,
                        (false, false) => self.plus(t1, t2),
                    }
                }
            },
        }
    }

    /// Nodes of the expression *as a tree* (shared subexpressions counted every time they occur), saturating.
    pub fn tree_size(&self, root: Id) -> u64 {
        // Children always have smaller ids than their parents, so one pass in id order suffices.
        let mut size = vec![0u64; root as usize + 1];
        for id in 0..=root as usize {
            size[id] = match self.nodes[id] {
                DNode::Num(_) | DNode::Var(_) => 1,
                DNode::Unary(_, a) => size[a as usize].saturating_add(1),
                DNode::Binary(_, a, b) => size[a as usize]
                    .saturating_add(size[b as usize])
                    .saturating_add(1),
            };
        }
        size[root as usize]
    }

    /// Distinct nodes reachable from the roots: the size with every intermediate result shared.
    pub fn dag_size(&self, roots: &[Id]) -> usize {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<Id> = roots.to_vec();
        let mut count = 0;
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id as usize], true) {
                continue;
            }
            count += 1;
            match self.nodes[id as usize] {
                DNode::Num(_) | DNode::Var(_) => {}
                DNode::Unary(_, a) => stack.push(a),
                DNode::Binary(_, a, b) => stack.extend([a, b]),
            }
        }
        count
    }

    /// Evaluates every node up to `root` with the variables bound by name, with a wider exponent rounded at the end
    /// ([`crate::ad::wide`]; within f64's range the same bits as f64): the textbook rules square denominators and
    /// multiply large factors, which would overflow or underflow where the derivative itself does not (∂(x/y)/∂y at
    /// y = 10⁻¹⁷⁰ has y² = 10⁻³⁴⁰), and a derivative beyond the largest f64 is ±∞, as every AD engine says.
    pub fn eval(&self, root: Id, env: &dyn Fn(&str) -> f64) -> f64 {
        // The function's own values in f64 (they are what the program computes: 0 where it underflows), the
        // derivative's in `Wide`.
        let primal = (self.primal as usize).min(root as usize + 1);
        let mut p: Vec<f64> = Vec::with_capacity(primal);
        self.eval_from(&mut p, primal, &|n| env(n), false);
        // A value that overflowed is recomputed with a wide exponent from its arguments' own values, as in the graph
        // engines (`eval::wide_primals`).
        let mut v: Vec<Wide> = p
            .iter()
            .enumerate()
            .map(|(id, &f)| match self.nodes[id] {
                DNode::Unary(op, a) if !f.is_finite() => Wide::from(p[a as usize]).unary(op),
                DNode::Binary(op, a, b) if !f.is_finite() => binary(
                    op,
                    Ok(Wide::from(p[a as usize])),
                    Ok(Wide::from(p[b as usize])),
                ),
                _ => Wide::from(f),
            })
            .collect();
        self.eval_from(&mut v, root as usize + 1, &|n| Wide::from(env(n)), true);
        f64::from(v[root as usize])
    }

    /// Extends `v` (the values of the first nodes) up to node `end`; `structural`: products with a zero factor are
    /// zero (the derivative's rule), else IEEE (the function's values).
    fn eval_from<S: Scalar>(
        &self,
        v: &mut Vec<S>,
        end: usize,
        env: &dyn Fn(&str) -> S,
        structural: bool,
    ) {
        for id in v.len()..end {
            let x = match self.nodes[id] {
                DNode::Num(bits) => S::from_f64(f64::from_bits(bits)),
                DNode::Var(k) => env(&self.names[k as usize]),
                DNode::Unary(op, a) => v[a as usize].unary(op),
                // A product with a zero factor is zero (the structural zero of every AD engine: a derivative that is
                // zero contributes nothing, even times an infinite one).
                DNode::Binary(Binary::Mul, a, b) if structural => {
                    chain(v[a as usize], v[b as usize])
                }
                DNode::Binary(op, a, b) => binary(op, Ok(v[a as usize]), Ok(v[b as usize])),
            };
            v.push(x);
        }
    }

    /// The expression as an [`Expr`] (shared in memory; printing expands it, so check [`Dag::tree_size`] first).
    pub fn to_expr(&self, root: Id) -> Expr {
        // Ids are dense and children come first: one expression per id, in order.
        let mut memo: Vec<Expr> = Vec::with_capacity(root as usize + 1);
        for id in 0..=root as usize {
            let e = match self.nodes[id] {
                DNode::Num(bits) => Expr::num(f64::from_bits(bits)),
                DNode::Var(k) => Expr::var(&self.names[k as usize]),
                DNode::Unary(op, a) => Expr::unary(op, memo[a as usize].clone()),
                DNode::Binary(op, a, b) => {
                    Expr::binary(op, memo[a as usize].clone(), memo[b as usize].clone())
                }
            };
            memo.push(e);
        }
        memo.pop().unwrap_or_else(|| Expr::num(f64::NAN))
    }

    /// The child ids of a node.
    pub fn children(&self, id: Id) -> Vec<Id> {
        match self.node(id) {
            DNode::Num(_) | DNode::Var(_) => vec![],
            DNode::Unary(_, a) => vec![a],
            DNode::Binary(_, a, b) => vec![a, b],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower_source;

    fn logistic(n: usize) -> String {
        format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n")
    }

    #[test]
    fn logistic_sizes_swell_but_the_dag_grows_linearly() {
        let mut prev: Option<(u64, u64, usize)> = None;
        for n in 1..=30 {
            let g = lower_source(&logistic(n)).unwrap();
            let (mut d, f) = Dag::from_graph(&g, 0);
            let df = d.diff(f, "x");
            let (tf, tdf, ad) = (d.tree_size(f), d.tree_size(df), d.dag_size(&[f, df]));
            assert_eq!(
                tf,
                if n == 1 { 7 } else { 2 * prev.unwrap().0 + 5 },
                "f_{n}"
            );
            if let Some((_, pdf, pad)) = prev {
                assert!(
                    tdf > 2 * pdf,
                    "n={n}: the unsimplified derivative more than doubles ({pdf} → {tdf})"
                );
                assert_eq!(ad - pad, prev.map(|_| ad - pad).unwrap(), "constant growth");
            }
            prev = Some((tf, tdf, ad));
        }
        let (tf, tdf, _) = prev.unwrap();
        assert!(tf > 1_000_000_000 && tdf > tf);
    }

    #[test]
    fn ad_trace_grows_by_a_constant_per_step() {
        let sizes: Vec<usize> = (1..=8)
            .map(|n| {
                let g = lower_source(&logistic(n)).unwrap();
                let (mut d, f) = Dag::from_graph(&g, 0);
                let df = d.diff(f, "x");
                d.dag_size(&[f, df])
            })
            .collect();
        let steps: Vec<usize> = sizes.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
    }

    #[test]
    fn textbook_rules_print_as_expected() {
        let g = lower_source("y * x**2").unwrap();
        let (mut d, f) = Dag::from_graph(&g, 0);
        let df = d.diff(f, "x");
        assert_eq!(d.to_expr(df).to_code(), "2 * x * y");
        let g = lower_source("sin(x) / x").unwrap();
        let (mut d, f) = Dag::from_graph(&g, 0);
        let df = d.diff(f, "x");
        assert_eq!(d.to_expr(df).to_code(), "(cos(x) * x - sin(x)) / x**2");
        let df = d.diff(f, "y");
        assert_eq!(d.to_expr(df).to_code(), "0");
    }

    #[test]
    fn derivative_values_match_ad() {
        for src in [
            "log(1 + x**2) / x",
            "exp(sin(x)) * x**x",
            "tanh(x) - sqrt(1 + x**2) + 2**x",
            "tan(x) * cos(x)",
        ] {
            let g = lower_source(src).unwrap();
            let (mut d, f) = Dag::from_graph(&g, 0);
            let df = d.diff(f, "x");
            for x in [0.3, 0.9, 1.7] {
                let sym = d.eval(df, &|_| x);
                let (_, ad) = crate::ad::eval::value_and_grad(&g, &[x]);
                assert!(
                    (sym - ad[0]).abs() <= 1e-12 * ad[0].abs().max(1.0),
                    "{src} at {x}: {sym} vs {}",
                    ad[0]
                );
            }
        }
    }
}
