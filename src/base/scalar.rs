//! A number type that models can be written against once and then run as plain `f64`, as [`Dual`] numbers
//! (forward mode) or as tape [`Var`]s (reverse mode).
//!
//! ```
//! use ad_lab::ad::{dual, tape};
//! use ad_lab::base::scalar::Scalar;
//! fn logistic<S: Scalar>(x: S, n: usize) -> S {
//!     let mut v = x;
//!     for _ in 0..n {
//!         v = v * 4.0 * (S::from_f64(1.0) - v);
//!     }
//!     v
//! }
//! assert_eq!(logistic(0.25, 4), 0.75);
//! assert_eq!(dual::derivative(|x| logistic(x, 4), 0.25), (0.75, -16.0));
//! assert_eq!(tape::grad(|x| logistic(x[0], 4), &[0.25]), (0.75, vec![-16.0]));
//! ```
//!
//! [`Dual`]: super::dual::Dual
//! [`Var`]: super::tape::Var

use std::ops::{Add, Div, Mul, Neg, Sub};

use super::op::{Binary, Unary};

pub trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant (no derivative).
    fn from_f64(x: f64) -> Self;
    /// The primal value.
    fn value(self) -> f64;
    fn ln(self) -> Self;
    fn exp(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn tanh(self) -> Self;
    fn sqrt(self) -> Self;
    fn powf(self, p: f64) -> Self;
    /// `self ** b` with both operands variable; `exp(b·ln self)` unless the type knows better (a negative base
    /// with an exponent that does not vary is still a real power).
    fn pow(self, b: Self) -> Self {
        (b * self.ln()).exp()
    }
    /// `1 / (1 + e⁻ˣ)`, the logistic sigmoid used by the neural-network examples.
    fn sigmoid(self) -> Self {
        let one = Self::from_f64(1.0);
        one / (one + (-self).exp())
    }
}

impl Scalar for f64 {
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn value(self) -> f64 {
        self
    }
    fn ln(self) -> f64 {
        super::math::log(self)
    }
    fn exp(self) -> f64 {
        super::math::exp(self)
    }
    fn sin(self) -> f64 {
        super::math::sin(self)
    }
    fn cos(self) -> f64 {
        super::math::cos(self)
    }
    fn tan(self) -> f64 {
        super::math::tan(self)
    }
    fn tanh(self) -> f64 {
        super::math::tanh(self)
    }
    fn sqrt(self) -> f64 {
        super::math::sqrt(self)
    }
    fn powf(self, p: f64) -> f64 {
        super::math::pow(self, p)
    }
    fn pow(self, b: f64) -> f64 {
        super::math::pow(self, b)
    }
}

/// `op(a)` for any scalar type.
pub fn unary<S: Scalar>(op: Unary, a: S) -> S {
    match op {
        Unary::Neg => -a,
        Unary::Log => a.ln(),
        Unary::Exp => a.exp(),
        Unary::Sin => a.sin(),
        Unary::Cos => a.cos(),
        Unary::Tan => a.tan(),
        Unary::Tanh => a.tanh(),
        Unary::Sqrt => a.sqrt(),
    }
}

/// `a op b` for any scalar type; a constant operand is given as `Err(c)` so it stays a constant.
pub fn binary<S: Scalar>(op: Binary, a: Result<S, f64>, b: Result<S, f64>) -> S {
    match (op, a, b) {
        (Binary::Add, Ok(a), Ok(b)) => a + b,
        (Binary::Add, Ok(a), Err(c)) | (Binary::Add, Err(c), Ok(a)) => a + c,
        (Binary::Sub, Ok(a), Ok(b)) => a - b,
        (Binary::Sub, Ok(a), Err(c)) => a - c,
        (Binary::Sub, Err(c), Ok(b)) => -b + c,
        (Binary::Mul, Ok(a), Ok(b)) => a * b,
        (Binary::Mul, Ok(a), Err(c)) | (Binary::Mul, Err(c), Ok(a)) => a * c,
        (Binary::Div, Ok(a), Ok(b)) => a / b,
        (Binary::Div, Ok(a), Err(c)) => a / c,
        (Binary::Div, Err(c), Ok(b)) => S::from_f64(c) / b,
        (Binary::Pow, Ok(a), Err(c)) => a.powf(c),
        (Binary::Pow, Ok(a), Ok(b)) => a.pow(b),
        (Binary::Pow, Err(c), Ok(b)) => S::from_f64(c).pow(b),
        (op, Err(x), Err(y)) => S::from_f64(op.apply(x, y)),
    }
}
