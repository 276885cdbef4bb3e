//! The elementary operations. For each one, in one place: its name, its value, and its local derivatives — as a
//! rule over any [`Scalar`] (what every engine uses: `f64` for the graph engines, dual numbers for nested AD) and as a
//! formula (what traces, generated code and the symbolic differentiator print). The two are the same computation:
//! evaluating the formula gives the rule's bits. Every engine matches on these enums exhaustively, so a new
//! operation does not compile until each handles it.

use super::formula::Expr;
use super::math;
use super::scalar::{chain, Scalar};

/// Operations of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unary {
    Neg,
    Log,
    Exp,
    Sin,
    Cos,
    Tan,
    Sinh,
    Cosh,
    Tanh,
    Sqrt,
    /// max(0, a), the neural networks' rectifier; its derivative is [`Unary::Step`] (0 at 0, by convention).
    Relu,
    /// 1 where a > 0, else 0: the rectifier's derivative (its own derivative is 0).
    Step,
    /// |a|, Python's `abs`; its derivative is −1 below 0, 1 above and 0 at 0 (`step(a) - step(-a)`).
    Abs,
}

/// Operations of two arguments. Either argument may be a constant folded into the operation (`4 * v`, `x ** 2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    /// Python's `max(a, b)`: `b if b > a else a` (a tie or a NaN in `b` gives `a`). The derivative goes whole to the
    /// argument returned: ∂/∂a = `1 - step(b - a)`, ∂/∂b = `step(b - a)`.
    Max,
    /// Python's `min(a, b)`: `b if b < a else a`; ∂/∂a = `1 - step(a - b)`, ∂/∂b = `step(a - b)`.
    Min,
}

impl Unary {
    pub const ALL: [Unary; 13] = [
        Unary::Neg,
        Unary::Log,
        Unary::Exp,
        Unary::Sin,
        Unary::Cos,
        Unary::Tan,
        Unary::Sinh,
        Unary::Cosh,
        Unary::Tanh,
        Unary::Sqrt,
        Unary::Relu,
        Unary::Step,
        Unary::Abs,
    ];

    /// The function's name as written in programs (`Neg` is written as a prefix `-`).
    pub fn name(self) -> &'static str {
        match self {
            Unary::Neg => "-",
            Unary::Log => "log",
            Unary::Exp => "exp",
            Unary::Sin => "sin",
            Unary::Cos => "cos",
            Unary::Tan => "tan",
            Unary::Sinh => "sinh",
            Unary::Cosh => "cosh",
            Unary::Tanh => "tanh",
            Unary::Sqrt => "sqrt",
            Unary::Relu => "relu",
            Unary::Step => "step",
            Unary::Abs => "abs",
        }
    }

    pub fn from_name(name: &str) -> Option<Unary> {
        Some(match name {
            "log" => Unary::Log,
            "exp" => Unary::Exp,
            "sin" => Unary::Sin,
            "cos" => Unary::Cos,
            "tan" => Unary::Tan,
            "sinh" => Unary::Sinh,
            "cosh" => Unary::Cosh,
            "tanh" => Unary::Tanh,
            "sqrt" => Unary::Sqrt,
            "relu" => Unary::Relu,
            "step" => Unary::Step,
            "abs" => Unary::Abs,
            _ => return None,
        })
    }

    /// The value, in `f64` (other scalar types reach it through [`Scalar::unary`]).
    #[inline]
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Unary::Neg => -a,
            Unary::Log => math::log(a),
            Unary::Exp => math::exp(a),
            Unary::Sin => math::sin(a),
            Unary::Cos => math::cos(a),
            Unary::Tan => math::tan(a),
            Unary::Sinh => math::sinh(a),
            Unary::Cosh => math::cosh(a),
            Unary::Tanh => math::tanh(a),
            Unary::Sqrt => math::sqrt(a),
            Unary::Relu => math::relu(a),
            Unary::Step => math::step(a),
            Unary::Abs => a.abs(),
        }
    }

    /// ∂v/∂a where `v = op(a)`, at any scalar type. Written exactly as [`Unary::partial_formula`] reads, so that
    /// evaluating the printed rule (in a trace, in a generated program) gives the same bits.
    #[inline]
    pub fn partial<S: Scalar>(self, a: S, v: S) -> S {
        match self {
            Unary::Neg => S::from_f64(-1.0),
            Unary::Log => S::one() / a,
            Unary::Exp => v,
            Unary::Sin => a.cos(),
            Unary::Cos => -a.sin(),
            Unary::Tan => v.powf(2.0) + 1.0,
            Unary::Sinh => a.cosh(),
            Unary::Cosh => a.sinh(),
            // 1/cosh²: accurate in the tails, where 1 − tanh² cancels to nothing.
            Unary::Tanh => S::one() / a.cosh().powf(2.0),
            Unary::Sqrt => S::one() / (v * 2.0),
            Unary::Relu => a.unary(Unary::Step),
            Unary::Step => S::zero(),
            Unary::Abs => S::from_f64(math::step(a.value()) - math::step(-a.value())),
        }
    }

    /// The same derivative as a formula in the argument `a` and the result `v`.
    pub fn partial_formula(self, a: &Expr, v: &Expr) -> Expr {
        match self {
            Unary::Neg => Expr::num(-1.0),
            Unary::Log => Expr::num(1.0) / a.clone(),
            Unary::Exp => v.clone(),
            Unary::Sin => Expr::unary(Unary::Cos, a.clone()),
            Unary::Cos => -Expr::unary(Unary::Sin, a.clone()),
            Unary::Tan => v.clone().powi(2) + Expr::num(1.0),
            Unary::Sinh => Expr::unary(Unary::Cosh, a.clone()),
            Unary::Cosh => Expr::unary(Unary::Sinh, a.clone()),
            Unary::Tanh => Expr::num(1.0) / Expr::unary(Unary::Cosh, a.clone()).powi(2),
            Unary::Sqrt => Expr::num(1.0) / (v.clone() * Expr::num(2.0)),
            Unary::Relu => Expr::unary(Unary::Step, a.clone()),
            Unary::Step => Expr::num(0.0),
            Unary::Abs => {
                Expr::unary(Unary::Step, a.clone()) - Expr::unary(Unary::Step, -a.clone())
            }
        }
    }

    /// What goes wrong when this operation turns finite input into NaN or ±∞.
    pub fn domain_note(self, a: f64) -> &'static str {
        match self {
            Unary::Log if a == 0.0 => "the logarithm of zero is −∞",
            Unary::Log if a < 0.0 => "the logarithm of a negative number is undefined",
            Unary::Sqrt if a < 0.0 => "the square root of a negative number is undefined",
            Unary::Exp | Unary::Sinh | Unary::Cosh => {
                "the result overflows the largest f64 (about 1.8·10³⁰⁸)"
            }
            Unary::Tan => "the tangent is infinite at odd multiples of π/2",
            Unary::Log
            | Unary::Sqrt
            | Unary::Neg
            | Unary::Sin
            | Unary::Cos
            | Unary::Tanh
            | Unary::Relu
            | Unary::Step
            | Unary::Abs => "the result is not a finite number",
        }
    }
}

impl Binary {
    pub const ALL: [Binary; 7] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
        Binary::Max,
        Binary::Min,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            Binary::Add => "+",
            Binary::Sub => "-",
            Binary::Mul => "*",
            Binary::Div => "/",
            Binary::Pow => "**",
            Binary::Max => "max",
            Binary::Min => "min",
        }
    }

    /// The value, in `f64`.
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            Binary::Pow => math::pow(a, b),
            Binary::Max => math::max(a, b),
            Binary::Min => math::min(a, b),
        }
    }

    /// ∂v/∂a where `v = a op b`, at any scalar type (as [`Binary::partial_formulas`] reads).
    #[inline]
    pub fn partial_a<S: Scalar>(self, a: S, b: S, v: S) -> S {
        let _ = v;
        match self {
            Binary::Add | Binary::Sub => S::one(),
            Binary::Mul => b,
            Binary::Div => S::one() / b,
            // b·a^(b−1); an exponent 0 makes it 0 even where a^(−1) is infinite (d/dx x⁰ = 0 at 0).
            Binary::Pow => chain(b, a.pow(b - 1.0)),
            Binary::Max => S::one() - (b - a).unary(Unary::Step),
            Binary::Min => S::one() - (a - b).unary(Unary::Step),
        }
    }

    /// ∂v/∂b where `v = a op b`, at any scalar type. Only needed when b varies (a constant exponent never asks for
    /// log a).
    #[inline]
    pub fn partial_b<S: Scalar>(self, a: S, b: S, v: S) -> S {
        match self {
            Binary::Add => S::one(),
            Binary::Sub => S::from_f64(-1.0),
            Binary::Mul => a,
            // −(a/b)/b rather than −a/b²: b² overflows or underflows long before the quotient does.
            Binary::Div => -(v / b),
            // log(a)·aᵇ; zero when aᵇ is (∂/∂y of 0^y at y = 2 is 0, though log 0 = −∞).
            Binary::Pow => chain(a.ln(), v),
            Binary::Max => (b - a).unary(Unary::Step),
            Binary::Min => (a - b).unary(Unary::Step),
        }
    }

    /// (∂v/∂a, ∂v/∂b).
    #[inline]
    pub fn partials<S: Scalar>(self, a: S, b: S, v: S) -> (S, S) {
        (self.partial_a(a, b, v), self.partial_b(a, b, v))
    }

    /// The same derivatives as formulas in the arguments `a`, `b` and the result `v`.
    pub fn partial_formulas(self, a: &Expr, b: &Expr, v: &Expr) -> (Expr, Expr) {
        match self {
            Binary::Add => (Expr::num(1.0), Expr::num(1.0)),
            Binary::Sub => (Expr::num(1.0), Expr::num(-1.0)),
            Binary::Mul => (b.clone(), a.clone()),
            Binary::Div => (Expr::num(1.0) / b.clone(), -(v.clone() / b.clone())),
            Binary::Pow => (
                b.clone() * a.clone().pow(b.clone() - Expr::num(1.0)),
                Expr::unary(Unary::Log, a.clone()) * v.clone(),
            ),
            Binary::Max | Binary::Min => {
                let d = if self == Binary::Max {
                    b.clone() - a.clone()
                } else {
                    a.clone() - b.clone()
                };
                let s = Expr::unary(Unary::Step, d);
                (Expr::num(1.0) - s.clone(), s)
            }
        }
    }

    pub fn domain_note(self, a: f64, b: f64) -> &'static str {
        match self {
            Binary::Div if b == 0.0 && a == 0.0 => "0/0 is undefined",
            Binary::Div if b == 0.0 => "division by zero",
            Binary::Pow if a < 0.0 && b.fract() != 0.0 => {
                "a negative number to a fractional power is undefined"
            }
            Binary::Pow if a == 0.0 && b < 0.0 => "zero to a negative power is a division by zero",
            Binary::Add | Binary::Sub => "the result overflows the largest f64 (about 1.8·10³⁰⁸)",
            Binary::Mul | Binary::Div | Binary::Pow | Binary::Max | Binary::Min => {
                "the result is not a finite number (overflow or an undefined form)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn env<'a>(pairs: &'a [(&'a str, f64)]) -> impl Fn(&str) -> Option<f64> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    /// The numeric rule, the formula rule and a central difference agree for every operation.
    #[test]
    fn rules_agree_with_formulas_and_differences() {
        let (a, b, v) = (Expr::var("a"), Expr::var("b"), Expr::var("v"));
        for &x in &[0.3, 0.7, 1.3, 2.1] {
            for op in Unary::ALL {
                let out = op.apply(x);
                let d = op.partial(x, out);
                let f = op
                    .partial_formula(&a, &v)
                    .eval(&env(&[("a", x), ("v", out)]))
                    .unwrap();
                let h = 1e-6;
                let fd = (op.apply(x + h) - op.apply(x - h)) / (2.0 * h);
                assert!(
                    (d - f).abs() <= 1e-15 * d.abs().max(1.0),
                    "{op:?}: {d} vs formula {f}"
                );
                assert!(
                    (d - fd).abs() <= 1e-6 * d.abs().max(1.0),
                    "{op:?}: {d} vs fd {fd}"
                );
            }
            for op in Binary::ALL {
                let y = 1.7 - x / 3.0;
                let out = op.apply(x, y);
                let (da, db) = op.partials(x, y, out);
                let bound = [("a", x), ("b", y), ("v", out)];
                let e = env(&bound);
                let (fa, fb) = op.partial_formulas(&a, &b, &v);
                let (fa, fb) = (fa.eval(&e).unwrap(), fb.eval(&e).unwrap());
                assert!(
                    (da - fa).abs() <= 1e-14 * da.abs().max(1.0),
                    "{op:?} ∂a: {da} vs {fa}"
                );
                assert!(
                    (db - fb).abs() <= 1e-14 * db.abs().max(1.0),
                    "{op:?} ∂b: {db} vs {fb}"
                );
                let h = 1e-6;
                let fda = (op.apply(x + h, y) - op.apply(x - h, y)) / (2.0 * h);
                let fdb = (op.apply(x, y + h) - op.apply(x, y - h)) / (2.0 * h);
                assert!(
                    (da - fda).abs() <= 1e-6 * da.abs().max(1.0),
                    "{op:?} ∂a {da} vs {fda}"
                );
                assert!(
                    (db - fdb).abs() <= 1e-6 * db.abs().max(1.0),
                    "{op:?} ∂b {db} vs {fdb}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for op in Unary::ALL.into_iter().filter(|&u| u != Unary::Neg) {
            assert_eq!(Unary::from_name(op.name()), Some(op));
        }
    }
}
