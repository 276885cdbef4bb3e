//! The simplifier: constant folding, neutral elements, like terms, and full expansion of polynomials into a canonical
//! form (a sum of monomials, by increasing degree). Whatever is not a polynomial — `sin(x)`, `1/(1 + x)` — is
//! simplified inside and then treated as an opaque factor ("atom") of the polynomial around it.
//!
//! Expansion can take time exponential in the size of the input (f′₃₀ of the logistic map has degree 2³⁰ − 1), so
//! the work is bounded by a budget of coefficient multiplications; past it, [`simplify`] gives up (`None`).
//!
//! ```
//! use ad_lab::symbolic::{dag::Dag, simplify::simplify};
//! let g = ad_lab::ad::lower_source("(1 - x) * (1 + x) + 2 * x").unwrap();
//! let (d, root) = Dag::from_graph(&g, 0);
//! assert_eq!(simplify(&d, root, &mut 1_000).unwrap().to_code(), "1 + 2 * x - x**2");
//! ```

use std::cmp::Ordering;
use std::rc::Rc;

use super::dag::{DNode, Dag, Id};
use super::expr::Expr;
use crate::ad::op::{Binary, Unary};

/// A monomial: atoms with positive exponents, sorted by atom.
type Mono = Vec<(u32, u32)>;

/// Terms with non-zero coefficients, kept sorted by (total degree, monomial): canonical as built, so printing needs
/// no sort.
#[derive(Clone, Debug, Default, PartialEq)]
struct Poly(Vec<(Mono, f64)>);

fn order(a: &Mono, b: &Mono) -> Ordering {
    degree(a).cmp(&degree(b)).then_with(|| a.cmp(b))
}

/// The opaque factors met so far (few: variables and non-polynomial subexpressions).
struct Atoms(Vec<(String, Expr)>);

impl Atoms {
    fn atom(&mut self, e: Expr) -> Poly {
        let key = e.to_code();
        let k = match self.0.iter().position(|(k, _)| *k == key) {
            Some(k) => k,
            None => {
                self.0.push((key, e));
                self.0.len() - 1
            }
        };
        Poly(vec![(vec![(k as u32, 1)], 1.0)])
    }
}

impl Poly {
    fn constant(c: f64) -> Poly {
        Poly(if c != 0.0 {
            vec![(Vec::new(), c)]
        } else {
            Vec::new()
        })
    }

    fn as_const(&self) -> Option<f64> {
        match self.0.as_slice() {
            [] => Some(0.0),
            [(m, c)] if m.is_empty() => Some(*c),
            _ => None,
        }
    }

    fn add_term(&mut self, m: Mono, c: f64) {
        match self.0.binary_search_by(|(k, _)| order(k, &m)) {
            Ok(i) => {
                self.0[i].1 += c;
                // Like terms that cancel disappear.
                if self.0[i].1 == 0.0 {
                    self.0.remove(i);
                }
            }
            Err(i) => {
                if c != 0.0 {
                    self.0.insert(i, (m, c));
                }
            }
        }
    }

    fn add(&self, other: &Poly, sign: f64) -> Poly {
        let mut out = self.clone();
        for (m, c) in &other.0 {
            out.add_term(m.clone(), sign * c);
        }
        out
    }

    fn scale(&self, k: f64) -> Poly {
        if k == 0.0 {
            return Poly::default();
        }
        Poly(self.0.iter().map(|(m, c)| (m.clone(), c * k)).collect())
    }

    /// The single atom this polynomial is univariate in, if any (constants count as univariate in anything).
    fn single_atom(&self) -> Option<Option<u32>> {
        let mut atom = None;
        for (m, _) in &self.0 {
            match m.as_slice() {
                [] => {}
                [(a, _)] => match atom {
                    None => atom = Some(*a),
                    Some(b) if b == *a => {}
                    Some(_) => return None,
                },
                _ => return None,
            }
        }
        Some(atom)
    }

    fn mul(&self, other: &Poly, budget: &mut u64) -> Option<Poly> {
        let cost = (self.0.len() as u64).saturating_mul(other.0.len() as u64);
        *budget = budget.checked_sub(cost)?;
        // Dense convolution when both are polynomials in the same single atom: the logistic map's case.
        if let (Some(a), Some(b)) = (self.single_atom(), other.single_atom()) {
            if a.is_none() || b.is_none() || a == b {
                let atom = a.or(b);
                let dense = |p: &Poly| {
                    let deg = p.0.last().map_or(0, |(m, _)| degree(m)) as usize;
                    let mut v = vec![0.0; deg + 1];
                    for (m, c) in &p.0 {
                        v[degree(m) as usize] += c;
                    }
                    v
                };
                let (x, y) = (dense(self), dense(other));
                let mut z = vec![0.0; x.len() + y.len() - 1];
                for (i, xi) in x.iter().enumerate() {
                    if *xi == 0.0 {
                        continue;
                    }
                    for (j, yj) in y.iter().enumerate() {
                        z[i + j] += xi * yj;
                    }
                }
                let terms = z
                    .into_iter()
                    .enumerate()
                    .filter(|(_, c)| *c != 0.0)
                    .map(|(k, c)| match (k, atom) {
                        (0, _) | (_, None) => (Vec::new(), c),
                        (k, Some(a)) => (vec![(a, k as u32)], c),
                    })
                    .collect();
                return Some(Poly(terms));
            }
        }
        let mut out = Poly::default();
        for (m1, c1) in &self.0 {
            for (m2, c2) in &other.0 {
                out.add_term(mono_mul(m1, m2), c1 * c2);
            }
        }
        Some(out)
    }

    fn pow(&self, mut k: u32, budget: &mut u64) -> Option<Poly> {
        let mut result = Poly::constant(1.0);
        let mut base = self.clone();
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base, budget)?;
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base, budget)?;
            }
        }
        Some(result)
    }

    fn to_expr(&self, atoms: &Atoms) -> Expr {
        let mut acc: Option<Expr> = None;
        for (m, c) in &self.0 {
            let c = *c;
            let mut factor: Option<Expr> = None;
            for &(a, e) in m {
                let base = atoms.0[a as usize].1.clone();
                let f = if e == 1 {
                    base
                } else {
                    Expr::binary(Binary::Pow, base, Expr::num(e as f64))
                };
                factor = Some(match factor {
                    None => f,
                    Some(p) => Expr::binary(Binary::Mul, p, f),
                });
            }
            let magnitude = c.abs();
            let term = match factor {
                None => Expr::num(magnitude),
                Some(f) if magnitude == 1.0 => f,
                Some(f) => Expr::binary(Binary::Mul, Expr::num(magnitude), f),
            };
            acc = Some(match acc {
                None if c < 0.0 => match term.as_num() {
                    Some(x) => Expr::num(-x),
                    None => Expr::unary(Unary::Neg, term),
                },
                None => term,
                Some(prev) if c < 0.0 => Expr::binary(Binary::Sub, prev, term),
                Some(prev) => Expr::binary(Binary::Add, prev, term),
            });
        }
        acc.unwrap_or_else(|| Expr::num(0.0))
    }
}

fn degree(m: &Mono) -> u32 {
    m.iter().map(|t| t.1).sum()
}

fn mono_mul(a: &Mono, b: &Mono) -> Mono {
    let mut out: Mono = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The canonical simplified form of the expression at `root`, or `None` when the expansion would cost more than
/// `budget` coefficient multiplications (the budget is decreased by what was used).
pub fn simplify(dag: &Dag, root: Id, budget: &mut u64) -> Option<Expr> {
    let mut atoms = Atoms(Vec::new());
    let mut memo: Vec<Option<Rc<Poly>>> = vec![None; root as usize + 1];
    // Only the nodes the root needs, in id order (children first).
    let mut needed = vec![false; root as usize + 1];
    needed[root as usize] = true;
    for id in (0..=root).rev() {
        if needed[id as usize] {
            for c in dag.children(id) {
                needed[c as usize] = true;
            }
        }
    }
    for id in 0..=root {
        if !needed[id as usize] {
            continue;
        }
        let p = |x: Id| memo[x as usize].clone().unwrap_or_default();
        let poly = match dag.node(id) {
            DNode::Num(bits) => Poly::constant(f64::from_bits(bits)),
            DNode::Var(k) => atoms.atom(Expr::var(&dag.names[k as usize])),
            DNode::Unary(Unary::Neg, a) => p(a).scale(-1.0),
            DNode::Unary(op, a) => {
                let pa = p(a);
                match pa.as_const() {
                    Some(c) => Poly::constant(op.apply(c)),
                    None => atoms.atom(Expr::unary(op, pa.to_expr(&atoms))),
                }
            }
            DNode::Binary(op, a, b) => {
                let (pa, pb) = (p(a), p(b));
                match op {
                    Binary::Add => pa.add(&pb, 1.0),
                    Binary::Sub => pa.add(&pb, -1.0),
                    Binary::Mul => pa.mul(&pb, budget)?,
                    Binary::Div => match pb.as_const() {
                        Some(c) if c != 0.0 => pa.scale(1.0 / c),
                        _ => match pa.as_const() {
                            Some(0.0) => Poly::default(),
                            _ => atoms.atom(Expr::binary(
                                Binary::Div,
                                pa.to_expr(&atoms),
                                pb.to_expr(&atoms),
                            )),
                        },
                    },
                    Binary::Pow => match (pa.as_const(), pb.as_const()) {
                        (Some(x), Some(y)) => Poly::constant(Binary::Pow.apply(x, y)),
                        (_, Some(k)) if k.fract() == 0.0 && (0.0..=64.0).contains(&k) => {
                            pa.pow(k as u32, budget)?
                        }
                        _ => atoms.atom(Expr::binary(
                            Binary::Pow,
                            pa.to_expr(&atoms),
                            pb.to_expr(&atoms),
                        )),
                    },
                }
            }
        };
        memo[id as usize] = Some(Rc::new(poly));
    }
    Some(memo[root as usize].as_ref()?.to_expr(&atoms))
}

/// Tree size of an expression (every operation, variable and constant occurrence counts 1).
pub fn size(e: &Expr) -> u64 {
    use super::expr::Node;
    match e.node() {
        Node::Num(_) | Node::Var(_) => 1,
        Node::Unary(_, a) => 1 + size(a),
        Node::Binary(_, a, b) => 1 + size(a) + size(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::lower_source;

    fn simplified(src: &str) -> String {
        let g = lower_source(src).unwrap();
        let (d, root) = Dag::from_graph(&g, 0);
        simplify(&d, root, &mut 1_000_000).unwrap().to_code()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(simplified("x + x"), "2 * x");
        assert_eq!(simplified("x - x"), "0");
        assert_eq!(simplified("0 * y + 1 * x"), "x");
        assert_eq!(simplified("(x + 1)**2"), "1 + 2 * x + x**2");
        assert_eq!(simplified("2 * 3 + x * 0.5 * 4"), "6 + 2 * x");
        assert_eq!(simplified("sin(x) * (1 + x) - x * sin(x)"), "sin(x)");
        assert_eq!(simplified("(x * y - y * x) / (1 + x)"), "0");
        assert_eq!(simplified("log(2 * 1) + x"), "0.6931471805599453 + x");
        assert_eq!(simplified("x / (1 + x + 0)"), "x / (1 + x)");
    }

    /// The lecture's f₄ and its derivative, expanded.
    #[test]
    fn logistic_polynomials() {
        let src = |n: usize| {
            format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n")
        };
        assert_eq!(simplified(&src(1)), "4 * x - 4 * x**2");
        assert_eq!(
            simplified(&src(2)),
            "16 * x - 80 * x**2 + 128 * x**3 - 64 * x**4"
        );
        let g = lower_source(&src(2)).unwrap();
        let (mut d, f) = Dag::from_graph(&g, 0);
        let df = d.diff(f, "x");
        assert_eq!(
            simplify(&d, df, &mut 1_000).unwrap().to_code(),
            "16 - 160 * x + 384 * x**2 - 256 * x**3"
        );
    }

    #[test]
    fn the_budget_stops_expansion() {
        let src =
            "def f(x, n=12):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";
        let g = lower_source(src).unwrap();
        let (d, root) = Dag::from_graph(&g, 0);
        assert!(simplify(&d, root, &mut 100_000).is_none());
    }
}
