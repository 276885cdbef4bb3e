//! The chain rule on formulas, written the way the slides write it: the tangent of an expression
//! (`Σ ∂e/∂u · u̇` over the active variables u) and each active variable's adjoint contribution (`seed · ∂e/∂u`), from
//! the partial-derivative formulas of [`crate::base::op`].

use crate::base::formula::{Expr, Node};
use crate::base::op::{Binary, Unary};

use super::analysis::Names;

/// The variables that carry derivatives, and how their tangents/adjoints are named.
pub(super) struct Active<'a> {
    pub names: &'a Names,
    pub prefix: &'a str,
    /// Active variables whose tangent is, at this point of a forward program, the constant 0 (last assigned a value
    /// that does not depend on the seed): they carry nothing, and terms through them are not written (a term
    /// `0·log(x)` with x negative would make NaN of what is structurally 0).
    pub zero: std::cell::RefCell<crate::base::hash::Map<String, ()>>,
}

impl Active<'_> {
    pub(super) fn d(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    pub(super) fn var<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        match e.node() {
            Node::Var(v) if self.names.contains(v) && !self.zero.borrow().contains_key(&**v) => {
                Some(v)
            }
            _ => None,
        }
    }

    fn mentions(&self, e: &Expr) -> bool {
        match e.node() {
            Node::Num(_) => false,
            Node::Var(_) => self.var(e).is_some(),
            Node::Unary(_, a) => self.mentions(a),
            Node::Binary(_, a, b) => self.mentions(a) || self.mentions(b),
        }
    }

    /// The tangent ė of an expression, by the chain rule: Σ ∂e/∂u · u̇ (`0` when nothing active is read).
    pub(super) fn tangent(&self, e: &Expr) -> Expr {
        match e.node() {
            Node::Num(_) => Expr::num(0.0),
            Node::Var(_) => match self.var(e) {
                Some(v) => Expr::var(&self.d(v)),
                None => Expr::num(0.0),
            },
            Node::Unary(op, a) => {
                let ta = self.tangent(a);
                if is_zero(&ta) {
                    return ta;
                }
                mul_term(ta, op.partial_formula(a, e))
            }
            Node::Binary(op, a, b) => {
                let (pa, pb) = op.partial_formulas(a, b, e);
                let (ta, tb) = (self.tangent(a), self.tangent(b));
                let left = if is_zero(&ta) { ta } else { mul_term(ta, pa) };
                let right = if is_zero(&tb) { tb } else { mul_term(tb, pb) };
                left + right
            }
        }
    }

    /// Reverse mode over one expression: each active variable's contribution `seed · ∂e/∂u`, in order of appearance.
    pub(super) fn adjoints(&self, e: &Expr, seed: Expr, out: &mut Vec<(String, Expr)>) {
        match e.node() {
            Node::Num(_) => {}
            Node::Var(_) => {
                if let Some(v) = self.var(e) {
                    match out.iter_mut().find(|(n, _)| n == v) {
                        Some((_, acc)) => *acc = acc.clone() + seed,
                        None => out.push((v.to_string(), seed)),
                    }
                }
            }
            Node::Unary(op, a) => {
                if self.mentions(a) {
                    self.adjoints(a, mul_term(seed, op.partial_formula(a, e)), out)
                }
            }
            Node::Binary(op, a, b) => {
                let (pa, pb) = op.partial_formulas(a, b, e);
                if self.mentions(a) {
                    self.adjoints(a, mul_term(seed.clone(), pa), out);
                }
                if self.mentions(b) {
                    self.adjoints(b, mul_term(seed, pb), out);
                }
            }
        }
    }
}

pub(super) fn is_zero(e: &Expr) -> bool {
    e.as_num() == Some(0.0)
}

/// `d · p`, written the way the slides write it: `4 * dv * v` rather than `dv * (4 * v)`.
fn mul_term(d: Expr, p: Expr) -> Expr {
    if let Node::Unary(Unary::Neg, inner) = d.node() {
        return -mul_term(inner.clone(), p);
    }
    match p.node() {
        Node::Num(c) if *c < 0.0 => -mul_term(d, Expr::num(-c)),
        Node::Num(c) if *c == 1.0 => d,
        Node::Num(_) => times(p, d),
        Node::Unary(Unary::Neg, q) => -mul_term(d, q.clone()),
        Node::Binary(Binary::Mul, a, b) if a.as_num().is_some() => {
            times(times(a.clone(), d), b.clone())
        }
        _ => times(d, p),
    }
}

/// `a · b`, left-associated (`4 * dv * (1 - v)`, not `4 * (dv * (1 - v))`).
fn times(a: Expr, b: Expr) -> Expr {
    match b.node() {
        Node::Binary(Binary::Mul, x, y) if a.as_num().is_none() || x.as_num().is_none() => {
            times(times(a, x.clone()), y.clone())
        }
        _ => a * b,
    }
}
