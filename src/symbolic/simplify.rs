//! The simplifier: constant folding, neutral elements, like terms, and full expansion of polynomials into a canonical
//! form (a sum of monomials, by increasing degree). Whatever is not a polynomial — `sin(x)`, `1/(1 + x)` — is
//! simplified inside and then treated as an opaque factor ("atom") of the polynomial around it.
//!
//! Expansion can take time exponential in the size of the input (f′₃₀ of the logistic map has degree 2³⁰ − 1), so
//! the work is bounded by a budget of coefficient operations; past it, [`simplify`] gives up (`None`). The result
//! keeps its sharing (atoms nest: `sin(sin(x) + cos(x))`), so its tree size is counted without building the tree,
//! which is only built when asked for and small enough to print.
//!
//! ```
//! use ad_lab::symbolic::{dag::Dag, simplify::simplify};
//! let g = ad_lab::lang::lower_source("(1 - x) * (1 + x) + 2 * x").unwrap();
//! let (d, root) = Dag::from_graph(&g, 0);
//! let s = simplify(&d, root, &mut 1_000).unwrap();
//! assert_eq!(s.size(), 9);
//! assert_eq!(s.to_expr(100).unwrap().to_code(), "1 + 2 * x - x**2");
//! ```

use std::cmp::Ordering;
use std::rc::Rc;

use super::dag::{DNode, Dag, Id};
use crate::base::formula::Expr;
use crate::base::op::{Binary, Unary};

/// Largest exponent of an atom in a monomial; past it expansion gives up like past the budget.
const MAX_EXPONENT: u32 = 1 << 20;

/// A monomial: atoms with positive exponents, sorted by atom.
type Mono = Vec<(u32, u32)>;

/// Terms with non-zero coefficients, kept sorted by (total degree, monomial): canonical as built, so printing needs
/// no sort.
#[derive(Clone, Debug, Default, PartialEq)]
struct Poly(Vec<(Mono, f64)>);

fn order(a: &Mono, b: &Mono) -> Ordering {
    degree(a).cmp(&degree(b)).then_with(|| a.cmp(b))
}

/// Takes `cost` units of work from the budget, or fails when it has run out. A unit is a term written or an atom
/// of a monomial copied: the work — and the memory — grow with the terms' sizes, not just their number (a chain of
/// sines has few terms with many atoms each).
fn charge(budget: &mut u64, cost: usize) -> Option<()> {
    *budget = budget.checked_sub(cost as u64)?;
    Some(())
}

/// The work of copying a polynomial's terms.
fn weight(p: &Poly) -> usize {
    p.0.iter().map(|(m, _)| 1 + m.len()).sum()
}

/// An opaque factor: a variable, or an operation that is not polynomial applied to simplified operands.
enum Atom {
    Var(String),
    Unary(Unary, Rc<Poly>),
    Binary(Binary, Rc<Poly>, Rc<Poly>),
}

/// The atoms met so far, each with the tree size of its expression. An atom is identified by structure — its
/// operation and its operands' canonical terms — never by printed text (atoms nest, and their text can double at
/// each level): the operands are written into a hash-consed [`Dag`] whose variables are atom numbers, so equal
/// structures get the same key.
#[derive(Default)]
struct Atoms {
    list: Vec<(Atom, u64)>,
    keys: Dag,
    /// Atom number by key id.
    by_key: Vec<Option<u32>>,
}

impl Atoms {
    /// The polynomial `1·atom`, registering the atom the first time it is met.
    fn atom(&mut self, atom: Atom) -> Poly {
        let k = match &atom {
            Atom::Var(name) => self.keys.var(name),
            Atom::Unary(op, a) => {
                let ka = self.key(a);
                self.keys.unary(*op, ka)
            }
            Atom::Binary(op, a, b) => {
                let (ka, kb) = (self.key(a), self.key(b));
                self.keys.binary(*op, ka, kb)
            }
        } as usize;
        if self.by_key.len() <= k {
            self.by_key.resize(k + 1, None);
        }
        let n = match self.by_key[k] {
            Some(n) => n,
            None => {
                let n = self.push(atom);
                self.by_key[k] = Some(n);
                n
            }
        };
        Poly(vec![(vec![(n, 1)], 1.0)])
    }

    fn push(&mut self, atom: Atom) -> u32 {
        let size = match &atom {
            Atom::Var(_) => 1,
            Atom::Unary(_, a) => 1u64.saturating_add(a.size(self)),
            Atom::Binary(_, a, b) => 1u64
                .saturating_add(a.size(self))
                .saturating_add(b.size(self)),
        };
        self.list.push((atom, size));
        (self.list.len() - 1) as u32
    }

    /// The key of a polynomial: its terms written into `keys`, atom `a` as the variable numbered `a` (a variable
    /// atom's own key is its name's variable node, which only ever appears there as a whole key, so the two never
    /// meet).
    fn key(&mut self, p: &Poly) -> Id {
        let d = &mut self.keys;
        let mut sum = None;
        for (m, c) in &p.0 {
            let mut term = d.num(*c);
            for &(a, e) in m {
                let (x, e) = (d.raw_var(a), d.num(e as f64));
                let f = d.binary(Binary::Pow, x, e);
                term = d.binary(Binary::Mul, term, f);
            }
            sum = Some(match sum {
                None => term,
                Some(s) => d.binary(Binary::Add, s, term),
            });
        }
        sum.unwrap_or_else(|| d.num(0.0))
    }
    fn size(&self, k: u32) -> u64 {
        self.list[k as usize].1
    }

    /// The atom's expression, built once per atom (`memo`).
    fn expr(&self, k: u32, memo: &mut Vec<Option<Expr>>) -> Expr {
        if let Some(e) = &memo[k as usize] {
            return e.clone();
        }
        let e = match &self.list[k as usize].0 {
            Atom::Var(name) => Expr::var(name),
            Atom::Unary(op, a) => Expr::unary(*op, a.to_expr(self, memo)),
            Atom::Binary(op, a, b) => {
                Expr::binary(*op, a.to_expr(self, memo), b.to_expr(self, memo))
            }
        };
        memo[k as usize] = Some(e.clone());
        e
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

    /// `self + sign·other`, merging the two sorted term lists; like terms that cancel disappear.
    fn add(&self, other: &Poly, sign: f64, budget: &mut u64) -> Option<Poly> {
        charge(budget, weight(self) + weight(other))?;
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let next = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => order(&x.0, &y.0),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match next {
                Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                Ordering::Greater => {
                    out.push((b[j].0.clone(), sign * b[j].1));
                    j += 1;
                }
                Ordering::Equal => {
                    let c = a[i].1 + sign * b[j].1;
                    if c != 0.0 {
                        out.push((a[i].0.clone(), c));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        Some(Poly(out))
    }

    fn scale(&self, k: f64, budget: &mut u64) -> Option<Poly> {
        if k == 0.0 {
            return Some(Poly::default());
        }
        charge(budget, weight(self))?;
        Some(Poly(
            self.0.iter().map(|(m, c)| (m.clone(), c * k)).collect(),
        ))
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

    /// Number of dense coefficients (degree + 1) of a univariate polynomial.
    fn dense_len(&self) -> usize {
        self.0.last().map_or(0, |(m, _)| degree(m)) as usize + 1
    }

    fn mul(&self, other: &Poly, budget: &mut u64) -> Option<Poly> {
        // Dense convolution when both are polynomials in the same single atom: the logistic map's case.
        if let (Some(a), Some(b)) = (self.single_atom(), other.single_atom()) {
            if a.is_none() || b.is_none() || a == b {
                charge(budget, self.dense_len().saturating_mul(other.dense_len()))?;
                let atom = a.or(b);
                let dense = |p: &Poly| {
                    let mut v = vec![0.0; p.dense_len()];
                    for (m, c) in &p.0 {
                        v[degree(m) as usize] += c;
                    }
                    v
                };
                let (x, y) = (dense(self), dense(other));
                if x.len() + y.len() - 2 > MAX_EXPONENT as usize {
                    return None;
                }
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
        charge(budget, self.0.len().saturating_mul(other.0.len()))?;
        let mut out = Poly::default();
        for (m1, c1) in &self.0 {
            for (m2, c2) in &other.0 {
                // A new term costs its atoms, and shifts the ones after it: that work is charged too.
                charge(budget, m1.len() + m2.len())?;
                let shifted = out.add_term(mono_mul(m1, m2)?, c1 * c2);
                charge(budget, shifted)?;
            }
        }
        Some(out)
    }

    /// Adds `c·m`, keeping the terms sorted; like terms that cancel disappear. Returns how many terms were shifted.
    fn add_term(&mut self, m: Mono, c: f64) -> usize {
        match self.0.binary_search_by(|(k, _)| order(k, &m)) {
            Ok(i) => {
                self.0[i].1 += c;
                if self.0[i].1 == 0.0 {
                    self.0.remove(i);
                    return self.0.len() - i;
                }
                0
            }
            Err(i) if c != 0.0 => {
                self.0.insert(i, (m, c));
                self.0.len() - 1 - i
            }
            Err(_) => 0,
        }
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

    /// Tree size of [`Poly::to_expr`]'s result, without building it.
    fn size(&self, atoms: &Atoms) -> u64 {
        let mut total: u64 = 0;
        for (i, (m, c)) in self.0.iter().enumerate() {
            let factor = (!m.is_empty()).then(|| {
                m.iter().fold((m.len() - 1) as u64, |acc, &(a, e)| {
                    acc.saturating_add(atoms.size(a))
                        .saturating_add(if e == 1 { 0 } else { 2 })
                })
            });
            let term = match factor {
                None => 1,
                Some(f) if c.abs() == 1.0 => f,
                Some(f) => f.saturating_add(2),
            };
            let node = match (i, factor) {
                (0, None) => 1,
                (0, Some(_)) if *c < 0.0 => term.saturating_add(1),
                (0, Some(_)) => term,
                _ => term.saturating_add(1),
            };
            total = total.saturating_add(node);
        }
        total.max(1)
    }

    fn to_expr(&self, atoms: &Atoms, memo: &mut Vec<Option<Expr>>) -> Expr {
        let mut acc: Option<Expr> = None;
        for (m, c) in &self.0 {
            let c = *c;
            let mut factor: Option<Expr> = None;
            for &(a, e) in m {
                let base = atoms.expr(a, memo);
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

fn degree(m: &Mono) -> u64 {
    m.iter().map(|t| t.1 as u64).sum()
}

/// The product of two monomials, or `None` past [`MAX_EXPONENT`].
fn mono_mul(a: &Mono, b: &Mono) -> Option<Mono> {
    let mut out: Mono = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                let e = x.1 + y.1;
                if e > MAX_EXPONENT {
                    return None;
                }
                out.push((x.0, e));
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
    Some(out)
}

/// A simplified expression: a polynomial over atoms, which may nest and share.
pub struct Simplified {
    poly: Rc<Poly>,
    atoms: Atoms,
}

impl Simplified {
    /// Tree size of the expression (every operation, variable and constant occurrence counts 1), saturating.
    pub fn size(&self) -> u64 {
        self.poly.size(&self.atoms)
    }

    /// The expression, if its tree has at most `max_size` nodes.
    pub fn to_expr(&self, max_size: u64) -> Option<Expr> {
        (self.size() <= max_size).then(|| {
            self.poly
                .to_expr(&self.atoms, &mut vec![None; self.atoms.list.len()])
        })
    }
}

/// The canonical simplified form of the expression at `root`, or `None` when the expansion would cost more than
/// `budget` coefficient operations (the budget is decreased by what was used).
pub fn simplify(dag: &Dag, root: Id, budget: &mut u64) -> Option<Simplified> {
    let mut atoms = Atoms::default();
    let mut memo: Vec<Option<Rc<Poly>>> = vec![None; root as usize + 1];
    // Only the nodes the root needs, in id order (children first).
    let mut needed = vec![false; root as usize + 1];
    // How many needed nodes read each node: its polynomial is dropped after the last one (peak memory is the
    // polynomials alive at once, not all of them).
    let mut readers = vec![0u32; root as usize + 1];
    needed[root as usize] = true;
    for id in (0..=root).rev() {
        if needed[id as usize] {
            for c in dag.children(id) {
                needed[c as usize] = true;
                readers[c as usize] += 1;
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
            DNode::Var(k) => atoms.atom(Atom::Var(dag.names[k as usize].clone())),
            DNode::Unary(Unary::Neg, a) => p(a).scale(-1.0, budget)?,
            DNode::Unary(op, a) => {
                let pa = p(a);
                match pa.as_const() {
                    Some(c) => Poly::constant(op.apply(c)),
                    None => atoms.atom(Atom::Unary(op, pa)),
                }
            }
            DNode::Binary(op, a, b) => {
                let (pa, pb) = (p(a), p(b));
                let mut opaque = || atoms.atom(Atom::Binary(op, pa.clone(), pb.clone()));
                match op {
                    Binary::Add => pa.add(&pb, 1.0, budget)?,
                    Binary::Sub => pa.add(&pb, -1.0, budget)?,
                    Binary::Mul => pa.mul(&pb, budget)?,
                    Binary::Div => match pb.as_const() {
                        Some(c) if c != 0.0 => pa.scale(1.0 / c, budget)?,
                        _ => match pa.as_const() {
                            Some(0.0) => Poly::default(),
                            _ => opaque(),
                        },
                    },
                    Binary::Pow => match (pa.as_const(), pb.as_const()) {
                        (Some(x), Some(y)) => Poly::constant(Binary::Pow.apply(x, y)),
                        (_, Some(k)) if k.fract() == 0.0 && (0.0..=64.0).contains(&k) => {
                            pa.pow(k as u32, budget)?
                        }
                        _ => opaque(),
                    },
                    Binary::Max | Binary::Min => match (pa.as_const(), pb.as_const()) {
                        (Some(x), Some(y)) => Poly::constant(op.apply(x, y)),
                        _ => opaque(),
                    },
                }
            }
        };
        memo[id as usize] = Some(Rc::new(poly));
        for c in dag.children(id) {
            readers[c as usize] -= 1;
            if readers[c as usize] == 0 {
                memo[c as usize] = None;
            }
        }
    }
    let poly = memo[root as usize].take()?;
    Some(Simplified { poly, atoms })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower_source;

    fn simplified(src: &str) -> String {
        let g = lower_source(src).unwrap();
        let (d, root) = Dag::from_graph(&g, 0);
        let s = simplify(&d, root, &mut 1_000_000).unwrap();
        let e = s.to_expr(u64::MAX).unwrap();
        assert_eq!(s.size(), tree_size(&e), "{src}");
        e.to_code()
    }

    fn tree_size(e: &Expr) -> u64 {
        use crate::base::formula::Node;
        match e.node() {
            Node::Num(_) | Node::Var(_) => 1,
            Node::Unary(_, a) => 1 + tree_size(a),
            Node::Binary(_, a, b) => 1 + tree_size(a) + tree_size(b),
        }
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
            simplify(&d, df, &mut 1_000)
                .unwrap()
                .to_expr(100)
                .unwrap()
                .to_code(),
            "16 - 160 * x + 384 * x**2 - 256 * x**3"
        );
    }

    /// Atoms nest (each `sin` holds the previous two): their printed text doubles at every step, so they must be
    /// told apart by structure, and sizes counted with sharing.
    #[test]
    fn nested_atoms_stay_cheap() {
        let src =
            "def f(x, n=40):\n  v = x\n  for i in range(n):\n    v = sin(v) + cos(v)\n  return v\n";
        let g = lower_source(src).unwrap();
        let (d, root) = Dag::from_graph(&g, 0);
        let s = simplify(&d, root, &mut 1_000_000).unwrap();
        assert!(s.size() > 1 << 40);
        assert!(s.to_expr(400).is_none());
    }

    /// Dense products are charged for what they cost, and degrees stay bounded.
    #[test]
    fn huge_degrees_exhaust_the_budget() {
        for src in ["((x**64)**64)**64", "(((((x * y)**64)**64)**64)**64)**64"] {
            let g = lower_source(src).unwrap();
            let (d, root) = Dag::from_graph(&g, 0);
            assert!(simplify(&d, root, &mut 6_000_000).is_none(), "{src}");
        }
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
