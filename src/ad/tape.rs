//! A reverse-mode tape for Rust code (a Wengert list recorded while the code runs), with a `grad`-style entry point.
//!
//! Each operation on a [`Var`] appends one record — its parents' indices and the local derivatives from
//! [`super::op`] — so the backward pass is a single loop over the records in reverse. Nodes live in a `Vec` and refer
//! to parents by index, as in Rufflewind's `revad`.
//!
//! ```
//! use ad_lab::ad::tape::grad;
//! let (f, g) = grad(|x| x[1] * x[0] * x[0], &[1.0, 1.0]);
//! assert_eq!((f, g), (1.0, vec![2.0, 1.0]));
//! ```

use std::cell::RefCell;
use std::ops::{Add, Div, Mul, Neg, Sub};

use super::wide::Wide;
use crate::base::op::{Binary, Unary};
use crate::base::scalar::{chain, Scalar};

/// Index 0 is a sink: unary operations send their unused second partial there, so the backward loop has no branch.
const SINK: u32 = 0;

#[derive(Clone, Copy, Debug)]
struct Record {
    parents: [u32; 2],
    partials: [f64; 2],
}

#[derive(Debug)]
pub struct Tape {
    records: RefCell<Vec<Record>>,
}

impl Default for Tape {
    fn default() -> Tape {
        Tape::new()
    }
}

impl Tape {
    pub fn new() -> Tape {
        Tape::with_capacity(0)
    }

    pub fn with_capacity(n: usize) -> Tape {
        let mut v = Vec::with_capacity(n + 1);
        v.push(Record {
            parents: [SINK, SINK],
            partials: [0.0, 0.0],
        });
        Tape {
            records: RefCell::new(v),
        }
    }

    /// Forgets every record but keeps the memory, so a loop that differentiates again allocates nothing.
    pub fn clear(&mut self) {
        let records = self.records.get_mut();
        records.truncate(1);
    }

    /// A new input.
    pub fn var(&self, value: f64) -> Var<'_> {
        let index = self.push(Record {
            parents: [SINK, SINK],
            partials: [0.0, 0.0],
        });
        Var {
            tape: Some(self),
            index,
            value,
        }
    }

    /// How many values the tape holds (its memory, in records).
    pub fn len(&self) -> usize {
        self.records.borrow().len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    fn push(&self, r: Record) -> u32 {
        let mut records = self.records.borrow_mut();
        records.push(r);
        (records.len() - 1) as u32
    }

    /// Adjoints of every recorded value with respect to `output` (one backward pass).
    pub fn gradient(&self, output: Var<'_>) -> Gradients {
        let mut g = Gradients {
            adjoints: Vec::new(),
        };
        self.gradient_into(output, &mut g);
        g
    }

    /// [`Tape::gradient`] into reused storage: the raw sweep, without the overflow rule of [`grad`].
    pub fn gradient_into(&self, output: Var<'_>, g: &mut Gradients) {
        self.sweep(&[(output, 1.0)], g);
    }

    /// The backward sweep from adjoints `seeds` on recorded values (a vector-Jacobian product).
    fn sweep(&self, seeds: &[(Var<'_>, f64)], g: &mut Gradients) {
        let records = self.records.borrow();
        let adj = &mut g.adjoints;
        adj.clear();
        adj.resize(records.len(), 0.0);
        for (v, a) in seeds {
            if v.tape.is_some() {
                adj[v.index as usize] += a;
            }
        }
        for i in (1..records.len()).rev() {
            let a = adj[i];
            let r = records[i];
            // The same parent twice (`x - x`): partials summed first, so that exact cancellation adds nothing.
            if r.parents[0] == r.parents[1] {
                adj[r.parents[0] as usize] += chain(r.partials[0] + r.partials[1], a);
            } else {
                adj[r.parents[0] as usize] += chain(r.partials[0], a);
                adj[r.parents[1] as usize] += chain(r.partials[1], a);
            }
        }
    }

    /// The same backward sweep with a wider exponent ([`Wide`]), rounded at the end: the overflow rule.
    fn sweep_wide(&self, seeds: &[(Var<'_>, f64)], g: &mut Gradients) {
        let seeds: Vec<(Var<'_>, Wide)> = seeds.iter().map(|&(v, a)| (v, Wide::from(a))).collect();
        g.adjoints = self
            .sweep_wide_raw(&seeds)
            .into_iter()
            .map(f64::from)
            .collect();
    }

    fn sweep_wide_raw(&self, seeds: &[(Var<'_>, Wide)]) -> Vec<Wide> {
        let records = self.records.borrow();
        let mut adj = vec![Wide::from(0.0); records.len()];
        for &(v, a) in seeds {
            if v.tape.is_some() {
                let i = v.index as usize;
                adj[i] = adj[i] + a;
            }
        }
        for i in (1..records.len()).rev() {
            let a = adj[i];
            let r = records[i];
            if r.parents[0] == r.parents[1] {
                let p = r.parents[0] as usize;
                let d = Wide::from(r.partials[0]) + Wide::from(r.partials[1]);
                adj[p] = adj[p] + chain(d, a);
                continue;
            }
            for k in 0..2 {
                let p = r.parents[k] as usize;
                adj[p] = adj[p] + chain(Wide::from(r.partials[k]), a);
            }
        }
        adj
    }
}

#[derive(Clone, Debug, Default)]
pub struct Gradients {
    adjoints: Vec<f64>,
}

impl Gradients {
    /// ∂output/∂var (0 for a constant).
    pub fn wrt(&self, var: Var<'_>) -> f64 {
        if var.tape.is_some() {
            self.adjoints[var.index as usize]
        } else {
            0.0
        }
    }
}

/// A value recorded on a tape (or a constant, which records nothing).
#[derive(Clone, Copy, Debug)]
pub struct Var<'t> {
    tape: Option<&'t Tape>,
    index: u32,
    value: f64,
}

impl<'t> Var<'t> {
    pub fn constant(value: f64) -> Var<'t> {
        Var {
            tape: None,
            index: SINK,
            value,
        }
    }

    #[inline]
    fn record_unary(self, op: Unary) -> Var<'t> {
        let v = op.apply(self.value);
        match self.tape {
            None => Var::constant(v),
            Some(tape) => {
                let d = op.partial(self.value, v);
                let index = tape.push(Record {
                    parents: [self.index, SINK],
                    partials: [d, 0.0],
                });
                Var {
                    tape: Some(tape),
                    index,
                    value: v,
                }
            }
        }
    }

    #[inline]
    fn binary(op: Binary, a: Var<'t>, b: Var<'t>) -> Var<'t> {
        let v = op.apply(a.value, b.value);
        let tape = match (a.tape, b.tape) {
            (None, None) => return Var::constant(v),
            (Some(t), _) | (None, Some(t)) => t,
        };
        // A constant operand has no adjoint: its partial is not even computed (log a for a constant exponent).
        let da = if a.tape.is_some() {
            op.partial_a(a.value, b.value, v)
        } else {
            0.0
        };
        let db = if b.tape.is_some() {
            op.partial_b(a.value, b.value, v)
        } else {
            0.0
        };
        let index = tape.push(Record {
            parents: [a.index, b.index],
            partials: [da, db],
        });
        Var {
            tape: Some(tape),
            index,
            value: v,
        }
    }
}

/// f(x) and ∇f(x): records f on a fresh tape, then one backward pass (with the engines' overflow rule).
pub fn grad<F>(f: F, x: &[f64]) -> (f64, Vec<f64>)
where
    F: for<'t> FnOnce(&[Var<'t>]) -> Var<'t>,
{
    let (y, g, _) = grad_recorded(f, x);
    (y, g)
}

/// [`grad`], and how many records the tape held (what reverse mode had to store).
pub fn grad_recorded<F>(f: F, x: &[f64]) -> (f64, Vec<f64>, usize)
where
    F: for<'t> FnOnce(&[Var<'t>]) -> Var<'t>,
{
    let (y, g, n) = vjp_recorded(|x| vec![f(x)], x, &[1.0]);
    (y[0], g, n)
}

/// f(x) and the vector-Jacobian product ȳᵀ∂f/∂x: records f (any number of outputs) on a fresh tape, then one
/// backward pass seeded with ȳ (with the engines' overflow rule). Also returns how many records the tape held.
pub fn vjp_recorded<F>(f: F, x: &[f64], ybar: &[f64]) -> (Vec<f64>, Vec<f64>, usize)
where
    F: for<'t> FnOnce(&[Var<'t>]) -> Vec<Var<'t>>,
{
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = x.iter().map(|&v| tape.var(v)).collect();
    let y = f(&vars);
    let seeds: Vec<(Var<'_>, f64)> = y.iter().copied().zip(ybar.iter().copied()).collect();
    let mut g = Gradients::default();
    tape.sweep(&seeds, &mut g);
    let mut grad: Vec<f64> = vars.iter().map(|&v| g.wrt(v)).collect();
    // The overflow rule (see `eval::jvp`): a gradient beyond the largest f64 is ±∞, not NaN.
    if grad.iter().any(|d| !d.is_finite()) {
        tape.sweep_wide(&seeds, &mut g);
        grad = vars.iter().map(|&v| g.wrt(v)).collect();
    }
    (y.iter().map(|v| v.value).collect(), grad, tape.len())
}

/// f(x) and ȳᵀ∂f/∂x with the adjoints in the wide exponent: for chaining vector-Jacobian products step by step
/// (checkpointing), so that an adjoint beyond the largest f64 carries on to the next step instead of becoming ∞ and
/// then NaN — the overflow rule across steps. Rounded to f64, the chained result is what one tape over the whole
/// chain gives with [`grad`].
pub fn vjp_wide<F>(f: F, x: &[f64], ybar: &[Wide]) -> (Vec<f64>, Vec<Wide>)
where
    F: for<'t> FnOnce(&[Var<'t>]) -> Vec<Var<'t>>,
{
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = x.iter().map(|&v| tape.var(v)).collect();
    let y = f(&vars);
    let seeds: Vec<(Var<'_>, Wide)> = y.iter().copied().zip(ybar.iter().copied()).collect();
    let adj = tape.sweep_wide_raw(&seeds);
    let grad = vars
        .iter()
        .map(|v| {
            if v.tape.is_some() {
                adj[v.index as usize]
            } else {
                Wide::from(0.0)
            }
        })
        .collect();
    (y.iter().map(|v| v.value).collect(), grad)
}

macro_rules! binary_ops {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl<'t> $trait for Var<'t> {
            type Output = Var<'t>;
            #[inline]
            fn $method(self, b: Var<'t>) -> Var<'t> {
                Var::binary(Binary::$op, self, b)
            }
        }
        impl<'t> $trait<f64> for Var<'t> {
            type Output = Var<'t>;
            #[inline]
            fn $method(self, c: f64) -> Var<'t> {
                Var::binary(Binary::$op, self, Var::constant(c))
            }
        }
        impl<'t> $trait<Var<'t>> for f64 {
            type Output = Var<'t>;
            #[inline]
            fn $method(self, b: Var<'t>) -> Var<'t> {
                Var::binary(Binary::$op, Var::constant(self), b)
            }
        }
    )*};
}

binary_ops!(Add add Add, Sub sub Sub, Mul mul Mul, Div div Div);

impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        self.record_unary(Unary::Neg)
    }
}

impl<'t> Scalar for Var<'t> {
    fn from_f64(x: f64) -> Var<'t> {
        Var::constant(x)
    }
    fn value(self) -> f64 {
        self.value
    }
    /// A recorded value is a variable even when it is 0 (its adjoint is not known to be zero).
    fn is_zero(self) -> bool {
        self.tape.is_none() && self.value == 0.0
    }
    fn is_nan(self) -> bool {
        self.value.is_nan()
    }
    fn unary(self, op: Unary) -> Var<'t> {
        self.record_unary(op)
    }
    fn powf(self, p: f64) -> Var<'t> {
        Var::binary(Binary::Pow, self, Var::constant(p))
    }
    fn pow(self, b: Var<'t>) -> Var<'t> {
        Var::binary(Binary::Pow, self, b)
    }
    fn extremum(self, op: Binary, b: Var<'t>) -> Var<'t> {
        Var::binary(op, self, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_examples() {
        assert_eq!(grad(|x| x[0] * x[0], &[1.0]), (1.0, vec![2.0]));
        assert_eq!(
            grad(|x| (x[0] * x[0] + 1.0).ln() / x[0], &[1.0]),
            (0.6931471805599453, vec![0.3068528194400547])
        );
        fn logistic<'t>(x: &[Var<'t>]) -> Var<'t> {
            let mut v = x[0];
            for _ in 0..4 {
                v = 4.0 * v * (1.0 - v);
            }
            v
        }
        assert_eq!(grad(logistic, &[0.25]), (0.75, vec![-16.0]));
    }

    #[test]
    fn fan_out_and_constants() {
        // x used three times; constants record nothing.
        let tape = Tape::new();
        let x = tape.var(0.5);
        let c = Var::constant(3.0) * Var::constant(2.0);
        let y = x * x + x.sin() + c;
        assert_eq!(tape.len(), 5); // x, x*x, sin x, sum, + c
        let g = tape.gradient(y);
        assert!((g.wrt(x) - (1.0 + crate::base::math::cos(0.5))).abs() < 1e-15);
        assert_eq!(g.wrt(c), 0.0);
    }

    #[test]
    fn a_constant_factor_never_makes_nan() {
        // d/dx (sqrt(0)·x)… the constant sqrt(0) has an infinite partial that must not leak.
        let (_, g) = grad(|x| Var::constant(0.0).sqrt() + x[0], &[1.0]);
        assert_eq!(g, vec![1.0]);
    }
}
