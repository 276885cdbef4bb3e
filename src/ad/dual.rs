//! Dual numbers `a + b·ε` with `ε² = 0`: forward-mode AD for Rust code. The `ε` part carries the tangent; every
//! elementary function applies its rule from [`crate::base::op`], the same rule the graph engines use.
//!
//! `Dual<T>` is generic over any [`Scalar`], so duals nest: `Dual<Dual<f64>>` carries second derivatives, and
//! `Dual<Var>` runs forward mode over a reverse-mode tape (forward over reverse: Hessian-vector products).
//!
//! ```
//! use ad_lab::ad::dual::{derivative, second_derivative, Dual};
//! use ad_lab::base::scalar::Scalar;
//! let (f, df) = derivative(|x: Dual| (x * x + 1.0).ln() / x, 1.0);
//! assert_eq!((f, df), (0.6931471805599453, 0.3068528194400547));
//! // x³ at 2: f″ = 12.
//! assert_eq!(second_derivative(|x| x * x * x, 2.0), (8.0, 12.0, 12.0));
//! ```

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::base::op::{Binary, Unary};
use crate::base::scalar::{chain, chain2, Scalar};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual<T = f64> {
    /// The primal value.
    pub re: T,
    /// The tangent.
    pub eps: T,
}

impl<T: Scalar> Dual<T> {
    pub fn new(re: T, eps: T) -> Dual<T> {
        Dual { re, eps }
    }

    /// An input: its tangent is 1.
    pub fn variable(x: T) -> Dual<T> {
        Dual {
            re: x,
            eps: T::one(),
        }
    }

    pub fn constant(x: T) -> Dual<T> {
        Dual {
            re: x,
            eps: T::zero(),
        }
    }

    /// Both operands vary: ε-part `∂a·ȧ + ∂b·ḃ`.
    #[inline]
    fn binary(op: Binary, a: Dual<T>, b: Dual<T>, re: T) -> Dual<T> {
        let (da, db) = op.partials(a.re, b.re, re);
        Dual {
            re,
            eps: chain2(da, a.eps, db, b.eps),
        }
    }

    /// `self op c` for a constant `c`: the constant has no tangent.
    #[inline]
    fn with_const(op: Binary, a: Dual<T>, c: f64, re: T) -> Dual<T> {
        let da = op.partial_a(a.re, T::from_f64(c), re);
        Dual {
            re,
            eps: chain(da, a.eps),
        }
    }

    /// `c op self` for a constant `c`.
    #[inline]
    fn const_with(op: Binary, c: f64, b: Dual<T>, re: T) -> Dual<T> {
        let db = op.partial_b(T::from_f64(c), b.re, re);
        Dual {
            re,
            eps: chain(db, b.eps),
        }
    }
}

/// f(x) and f′(x) in one forward pass.
pub fn derivative(f: impl FnOnce(Dual) -> Dual, x: f64) -> (f64, f64) {
    let y = f(Dual::variable(x));
    (y.re, y.eps)
}

/// f(x), f′(x) and f″(x) by nested dual numbers (forward over forward).
pub fn second_derivative(f: impl FnOnce(Dual<Dual>) -> Dual<Dual>, x: f64) -> (f64, f64, f64) {
    let y = f(Dual::new(Dual::variable(x), Dual::constant(1.0)));
    (y.re.re, y.re.eps, y.eps.eps)
}

/// f(x) and the directional derivative ∇f(x)·v, in one forward pass.
pub fn jvp(f: impl FnOnce(&[Dual]) -> Dual, x: &[f64], v: &[f64]) -> (f64, f64) {
    let args: Vec<Dual> = x.iter().zip(v).map(|(&a, &b)| Dual::new(a, b)).collect();
    let y = f(&args);
    (y.re, y.eps)
}

/// f(x) and ∇f(x) by `n` forward passes (one per input) — what forward mode costs for f: Rⁿ → R.
pub fn gradient(f: impl Fn(&[Dual]) -> Dual, x: &[f64]) -> (f64, Vec<f64>) {
    let mut value = f64::NAN;
    let mut grad = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let args: Vec<Dual> = x
            .iter()
            .enumerate()
            .map(|(j, &a)| Dual::new(a, if i == j { 1.0 } else { 0.0 }))
            .collect();
        let y = f(&args);
        value = y.re;
        grad.push(y.eps);
    }
    if x.is_empty() {
        value = f(&[]).re;
    }
    (value, grad)
}

macro_rules! binary_ops {
    ($($trait:ident $method:ident $op:ident $sym:tt),*) => {$(
        impl<T: Scalar> $trait for Dual<T> {
            type Output = Dual<T>;
            #[inline]
            fn $method(self, b: Dual<T>) -> Dual<T> {
                Dual::binary(Binary::$op, self, b, self.re $sym b.re)
            }
        }
        impl<T: Scalar> $trait<f64> for Dual<T> {
            type Output = Dual<T>;
            #[inline]
            fn $method(self, c: f64) -> Dual<T> {
                Dual::with_const(Binary::$op, self, c, self.re $sym c)
            }
        }
        impl<T: Scalar> $trait<Dual<T>> for f64 {
            type Output = Dual<T>;
            #[inline]
            fn $method(self, b: Dual<T>) -> Dual<T> {
                Dual::const_with(Binary::$op, self, b, T::from_f64(self) $sym b.re)
            }
        }
    )*};
}

binary_ops!(Add add Add +, Sub sub Sub -, Mul mul Mul *, Div div Div /);

impl<T: Scalar> Neg for Dual<T> {
    type Output = Dual<T>;
    #[inline]
    fn neg(self) -> Dual<T> {
        self.unary(Unary::Neg)
    }
}

impl<T: Scalar> Scalar for Dual<T> {
    #[inline]
    fn from_f64(x: f64) -> Dual<T> {
        Dual::constant(T::from_f64(x))
    }
    #[inline]
    fn value(self) -> f64 {
        self.re.value()
    }
    #[inline]
    fn is_zero(self) -> bool {
        self.re.is_zero() && self.eps.is_zero()
    }
    #[inline]
    fn is_nan(self) -> bool {
        self.re.is_nan() || self.eps.is_nan()
    }
    /// The structural-zero product part by part, `(p·t, p·t′ + p′·t)` with each product a [`chain`]: the value
    /// part is then exactly what the same product gives on `T` (nested AD's gradient is reverse mode's, bit for bit).
    #[inline]
    fn chain_from(self, partial: Dual<T>) -> Dual<T> {
        Dual {
            re: chain(partial.re, self.re),
            eps: chain(partial.re, self.eps) + chain(partial.eps, self.re),
        }
    }
    #[inline]
    fn unary(self, op: Unary) -> Dual<T> {
        let v = self.re.unary(op);
        Dual {
            re: v,
            eps: chain(op.partial(self.re, v), self.eps),
        }
    }
    #[inline]
    fn powf(self, p: f64) -> Dual<T> {
        Dual::with_const(Binary::Pow, self, p, self.re.powf(p))
    }
    #[inline]
    fn pow(self, b: Dual<T>) -> Dual<T> {
        Dual::binary(Binary::Pow, self, b, self.re.pow(b.re))
    }
    #[inline]
    fn extremum(self, op: Binary, b: Dual<T>) -> Dual<T> {
        Dual::binary(op, self, b, self.re.extremum(op, b.re))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_examples() {
        assert_eq!(derivative(|x| x * x, 1.0), (1.0, 2.0));
        assert_eq!(derivative(|x| x.powf(2.0), 1.0), (1.0, 2.0));
        let logistic = |x: Dual| {
            let mut v = x;
            for _ in 0..4 {
                v = 4.0 * v * (1.0 - v);
            }
            v
        };
        assert_eq!(derivative(logistic, 0.25), (0.75, -16.0));
    }

    #[test]
    fn gradient_takes_one_pass_per_input() {
        let (f, g) = gradient(|x| x[1] * x[0] * x[0], &[1.0, 1.0]);
        assert_eq!((f, g), (1.0, vec![2.0, 1.0]));
        assert_eq!(
            jvp(|x| x[1] * x[0] * x[0], &[1.0, 1.0], &[1.0, 0.0]),
            (1.0, 2.0)
        );
    }

    /// Duals of duals differentiate the rules themselves: second derivatives of every elementary function.
    #[test]
    fn nested_duals_give_second_derivatives() {
        let x = 0.7;
        let (s, c) = (x.sin(), x.cos());
        let cases: [(&str, fn(Dual<Dual>) -> Dual<Dual>, f64); 9] = [
            ("ln", |x| x.ln(), -1.0 / (0.7 * 0.7)),
            ("exp", |x| x.exp(), 0.7f64.exp()),
            ("sin", |x| x.sin(), -0.7f64.sin()),
            ("cos", |x| x.cos(), -0.7f64.cos()),
            ("sqrt", |x| x.sqrt(), -0.25 * 0.7f64.powf(-1.5)),
            ("tanh", |x| x.tanh(), {
                let t = 0.7f64.tanh();
                -2.0 * t * (1.0 - t * t)
            }),
            ("sinh", |x| x.sinh(), 0.7f64.sinh()),
            ("1/x", |x| 1.0 / x, 2.0 / 0.343),
            ("x^2.5", |x| x.powf(2.5), 3.75 * 0.7f64.sqrt()),
        ];
        for (name, f, want) in cases {
            let (_, _, d2) = second_derivative(f, x);
            assert!(
                (d2 - want).abs() <= 1e-14 * want.abs().max(1.0),
                "{name}: {d2} vs {want}"
            );
        }
        let _ = (s, c);
        // x^y in both arguments: d²/dx² of x^x at 1.5.
        let (_, _, d2) = second_derivative(|x| x.pow(x), 1.5);
        let f = 1.5f64.powf(1.5);
        let l = 1.5f64.ln() + 1.0;
        assert!((d2 - f * (l * l + 1.0 / 1.5)).abs() < 1e-13);
    }

    /// The structural zero: a tangent that is zero contributes nothing, even through an infinite partial.
    #[test]
    fn zero_tangents_never_meet_infinite_partials() {
        let (_, g) = gradient(|v| v[0] + v[1].sqrt(), &[1.0, 0.0]);
        assert_eq!(g[0], 1.0);
        assert_eq!(g[1], f64::INFINITY);
        // d/dx x⁰ at 0 is 0; d/dy x^y at (0, 2) is 0.
        assert_eq!(derivative(|x| x.powf(0.0), 0.0).1, 0.0);
        let (_, g) = gradient(|v| v[0].pow(v[1]), &[0.0, 2.0]);
        assert_eq!(g, vec![0.0, 0.0]);
        // x**p with p an input held at 2: ∂/∂x at −1 is −2 (log of a negative base is never needed).
        let (_, g) = gradient(|v| v[0].pow(v[1]), &[-1.0, 2.0]);
        assert_eq!(g[0], -2.0);
    }
}
