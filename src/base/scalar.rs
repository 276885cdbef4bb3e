//! A number type that models can be written against once and then run as plain `f64`, as [`Dual`] numbers
//! (forward mode), as tape [`Var`]s (reverse mode), or nested (`Dual<Var>`: forward over reverse).
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
//! [`Dual`]: crate::ad::dual::Dual
//! [`Var`]: crate::ad::tape::Var

use std::ops::{Add, Div, Mul, Neg, Sub};

use super::op::{Binary, Unary};

/// A number engines compute with: `f64`, a dual number, a tape variable, a Taylor series — or one of those over
/// another (`Dual<Dual<f64>>`, `Dual<Var>`: nested AD).
///
/// The elementary functions all go through [`Scalar::unary`], so a type implements one method and applies the one
/// rule of [`super::op`] there.
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
    /// Exactly zero, derivative parts included: a structural zero (see [`chain`]).
    fn is_zero(self) -> bool;
    /// NaN anywhere (value or derivative parts).
    fn is_nan(self) -> bool;
    /// `op(self)`.
    fn unary(self, op: Unary) -> Self;
    /// `self ** p` for a constant exponent.
    fn powf(self, p: f64) -> Self;
    /// `self ** b` with both operands variable.
    fn pow(self, b: Self) -> Self;
    /// `max` or `min` ([`Binary::Max`], [`Binary::Min`]): the value as [`Binary::apply`] picks it, the derivative by
    /// the operation's partials (as every other operation).
    fn extremum(self, op: Binary, b: Self) -> Self;

    fn ln(self) -> Self {
        self.unary(Unary::Log)
    }
    fn exp(self) -> Self {
        self.unary(Unary::Exp)
    }
    fn sin(self) -> Self {
        self.unary(Unary::Sin)
    }
    fn cos(self) -> Self {
        self.unary(Unary::Cos)
    }
    fn tan(self) -> Self {
        self.unary(Unary::Tan)
    }
    fn sinh(self) -> Self {
        self.unary(Unary::Sinh)
    }
    fn cosh(self) -> Self {
        self.unary(Unary::Cosh)
    }
    fn tanh(self) -> Self {
        self.unary(Unary::Tanh)
    }
    fn sqrt(self) -> Self {
        self.unary(Unary::Sqrt)
    }
    /// `partial · self` with the structural zero (see [`chain`]).
    #[inline]
    fn chain_from(self, partial: Self) -> Self {
        let r = partial * self;
        if r.is_nan() && (partial.is_zero() || self.is_zero()) {
            Self::zero()
        } else {
            r
        }
    }
    fn zero() -> Self {
        Self::from_f64(0.0)
    }
    fn one() -> Self {
        Self::from_f64(1.0)
    }
    /// `1 / (1 + e⁻ˣ)`, the logistic sigmoid used by the neural-network examples.
    fn sigmoid(self) -> Self {
        let one = Self::one();
        one / (one + (-self).exp())
    }
}

impl Scalar for f64 {
    #[inline]
    fn from_f64(x: f64) -> f64 {
        x
    }
    #[inline]
    fn value(self) -> f64 {
        self
    }
    #[inline]
    fn is_zero(self) -> bool {
        self == 0.0
    }
    #[inline]
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    #[inline]
    fn unary(self, op: Unary) -> f64 {
        op.apply(self)
    }
    #[inline]
    fn powf(self, p: f64) -> f64 {
        super::math::pow(self, p)
    }
    #[inline]
    fn pow(self, b: f64) -> f64 {
        super::math::pow(self, b)
    }
    #[inline]
    fn extremum(self, op: Binary, b: f64) -> f64 {
        op.apply(self, b)
    }
    /// The plain product unless it is NaN (nearly never): one compare, on a branch that is always predicted, and the
    /// structural zero is decided only then (a NaN product with a zero factor is `0·∞` or `0·NaN`).
    #[inline]
    fn chain_from(self, partial: f64) -> f64 {
        let r = partial * self;
        if r.is_nan() {
            structural(partial, self)
        } else {
            r
        }
    }
}

#[cold]
fn structural(partial: f64, t: f64) -> f64 {
    let r = partial * t;
    if r.is_nan() && (partial == 0.0 || t == 0.0) {
        0.0
    } else {
        r
    }
}

/// A local derivative times a tangent or an adjoint — the one product of the chain rule every engine makes — with the
/// **structural zero**: when either factor is exactly zero the product is zero, even if the other is infinite or NaN
/// (otherwise it is the plain IEEE product, signed zeros included).
/// A zero tangent means "this value does not depend on the seeded input", a zero adjoint "the output does not depend
/// on this value", and a zero partial "this operation does not pass changes on": only paths that connect input and
/// output count, so forward and reverse mode agree (`∂/∂x (x + sqrt(y))` at y = 0 is 1 both ways, not NaN).
#[inline]
pub fn chain<S: Scalar>(partial: S, t: S) -> S {
    t.chain_from(partial)
}

/// `pa·ta + pb·tb`, each product a [`chain`].
#[inline]
pub fn chain2<S: Scalar>(pa: S, ta: S, pb: S, tb: S) -> S {
    chain(pa, ta) + chain(pb, tb)
}

/// `op(a)` for any scalar type.
#[inline]
pub fn unary<S: Scalar>(op: Unary, a: S) -> S {
    a.unary(op)
}

/// `a op b` for any scalar type; a constant operand is given as `Err(c)` so it stays a constant.
#[inline]
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
        (Binary::Max | Binary::Min, Ok(a), Ok(b)) => a.extremum(op, b),
        (Binary::Max | Binary::Min, Ok(a), Err(c)) => a.extremum(op, S::from_f64(c)),
        (Binary::Max | Binary::Min, Err(c), Ok(b)) => S::from_f64(c).extremum(op, b),
        (op, Err(x), Err(y)) => S::from_f64(op.apply(x, y)),
    }
}
