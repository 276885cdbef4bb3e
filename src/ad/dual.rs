//! Dual numbers `a + b·ε` with `ε² = 0`: forward-mode AD for Rust code. The `ε` part carries the tangent; every
//! elementary function applies its rule from [`super::op`], the same rule the graph engines use.
//!
//! ```
//! use ad_lab::ad::dual::{derivative, Dual};
//! use ad_lab::base::scalar::Scalar;
//! let (f, df) = derivative(|x: Dual| (x * x + 1.0).ln() / x, 1.0);
//! assert_eq!((f, df), (0.6931471805599453, 0.3068528194400547));
//! ```

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::base::op::{Binary, Unary};
use crate::base::scalar::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual {
    /// The primal value.
    pub re: f64,
    /// The tangent.
    pub eps: f64,
}

impl Dual {
    pub fn new(re: f64, eps: f64) -> Dual {
        Dual { re, eps }
    }

    /// An input: its tangent is 1.
    pub fn variable(x: f64) -> Dual {
        Dual { re: x, eps: 1.0 }
    }

    pub fn constant(x: f64) -> Dual {
        Dual { re: x, eps: 0.0 }
    }

    #[inline]
    fn unary(self, op: Unary) -> Dual {
        let v = op.apply(self.re);
        Dual {
            re: v,
            eps: op.partial(self.re, v) * self.eps,
        }
    }

    #[inline]
    fn binary(op: Binary, a: Dual, b: Dual) -> Dual {
        let v = op.apply(a.re, b.re);
        let (da, db) = op.partials(a.re, b.re, v);
        Dual {
            re: v,
            eps: da * a.eps + db * b.eps,
        }
    }

    /// `self` op a constant: the constant has no tangent (and must not turn an infinite partial into NaN).
    #[inline]
    fn with_const(op: Binary, a: Dual, c: f64) -> Dual {
        let v = op.apply(a.re, c);
        let (da, _) = op.partials(a.re, c, v);
        Dual {
            re: v,
            eps: da * a.eps,
        }
    }
}

/// f(x) and f'(x) in one forward pass.
pub fn derivative(f: impl FnOnce(Dual) -> Dual, x: f64) -> (f64, f64) {
    let y = f(Dual::variable(x));
    (y.re, y.eps)
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
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl $trait for Dual {
            type Output = Dual;
            #[inline]
            fn $method(self, b: Dual) -> Dual {
                Dual::binary(Binary::$op, self, b)
            }
        }
        impl $trait<f64> for Dual {
            type Output = Dual;
            #[inline]
            fn $method(self, c: f64) -> Dual {
                Dual::with_const(Binary::$op, self, c)
            }
        }
        impl $trait<Dual> for f64 {
            type Output = Dual;
            #[inline]
            fn $method(self, b: Dual) -> Dual {
                let v = Binary::$op.apply(self, b.re);
                let (_, db) = Binary::$op.partials(self, b.re, v);
                Dual { re: v, eps: db * b.eps }
            }
        }
    )*};
}

binary_ops!(Add add Add, Sub sub Sub, Mul mul Mul, Div div Div);

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        self.unary(Unary::Neg)
    }
}

impl Scalar for Dual {
    fn from_f64(x: f64) -> Dual {
        Dual::constant(x)
    }
    fn value(self) -> f64 {
        self.re
    }
    fn ln(self) -> Dual {
        self.unary(Unary::Log)
    }
    fn exp(self) -> Dual {
        self.unary(Unary::Exp)
    }
    fn sin(self) -> Dual {
        self.unary(Unary::Sin)
    }
    fn cos(self) -> Dual {
        self.unary(Unary::Cos)
    }
    fn tan(self) -> Dual {
        self.unary(Unary::Tan)
    }
    fn tanh(self) -> Dual {
        self.unary(Unary::Tanh)
    }
    fn sqrt(self) -> Dual {
        self.unary(Unary::Sqrt)
    }
    fn powf(self, p: f64) -> Dual {
        Dual::with_const(Binary::Pow, self, p)
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
}
