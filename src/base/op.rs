//! The elementary operations. For each one, in one place: its name, its value, and its local derivatives — both as
//! numbers (what the engines use) and as a formula (what traces, generated code and the symbolic differentiator
//! print). Every engine matches on these enums exhaustively, so a new operation does not compile until each handles
//! it.

use super::math;
use crate::base::formula::Expr;

/// Operations of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unary {
    Neg,
    Log,
    Exp,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sqrt,
}

/// Operations of two arguments. Either argument may be a constant folded into the operation (`4 * v`, `x ** 2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl Unary {
    pub const ALL: [Unary; 8] = [
        Unary::Neg,
        Unary::Log,
        Unary::Exp,
        Unary::Sin,
        Unary::Cos,
        Unary::Tan,
        Unary::Tanh,
        Unary::Sqrt,
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
            Unary::Tanh => "tanh",
            Unary::Sqrt => "sqrt",
        }
    }

    pub fn from_name(name: &str) -> Option<Unary> {
        Some(match name {
            "log" => Unary::Log,
            "exp" => Unary::Exp,
            "sin" => Unary::Sin,
            "cos" => Unary::Cos,
            "tan" => Unary::Tan,
            "tanh" => Unary::Tanh,
            "sqrt" => Unary::Sqrt,
            _ => return None,
        })
    }

    #[inline]
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Unary::Neg => -a,
            Unary::Log => math::log(a),
            Unary::Exp => math::exp(a),
            Unary::Sin => math::sin(a),
            Unary::Cos => math::cos(a),
            Unary::Tan => math::tan(a),
            Unary::Tanh => math::tanh(a),
            Unary::Sqrt => math::sqrt(a),
        }
    }

    /// ∂v/∂a where `v = self.apply(a)`.
    #[inline]
    pub fn partial(self, a: f64, v: f64) -> f64 {
        match self {
            Unary::Neg => -1.0,
            Unary::Log => 1.0 / a,
            Unary::Exp => v,
            Unary::Sin => math::cos(a),
            Unary::Cos => -math::sin(a),
            Unary::Tan => 1.0 + v * v,
            Unary::Tanh => 1.0 - v * v,
            Unary::Sqrt => 0.5 / v,
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
            Unary::Tan => Expr::num(1.0) + v.clone().powi(2),
            Unary::Tanh => Expr::num(1.0) - v.clone().powi(2),
            Unary::Sqrt => Expr::num(1.0) / (Expr::num(2.0) * v.clone()),
        }
    }

    /// What goes wrong when this operation turns finite input into NaN or ±∞.
    pub fn domain_note(self, a: f64) -> &'static str {
        match self {
            Unary::Log if a == 0.0 => "the logarithm of zero is −∞",
            Unary::Log if a < 0.0 => "the logarithm of a negative number is undefined",
            Unary::Sqrt if a < 0.0 => "the square root of a negative number is undefined",
            Unary::Exp => "the exponential overflows the largest f64 (about 1.8·10³⁰⁸)",
            Unary::Tan => "the tangent is infinite at odd multiples of π/2",
            Unary::Log | Unary::Sqrt | Unary::Neg | Unary::Sin | Unary::Cos | Unary::Tanh => {
                "the result is not a finite number"
            }
        }
    }
}

impl Binary {
    pub const ALL: [Binary; 5] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            Binary::Add => "+",
            Binary::Sub => "-",
            Binary::Mul => "*",
            Binary::Div => "/",
            Binary::Pow => "**",
        }
    }

    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            Binary::Pow => math::pow(a, b),
        }
    }

    /// (∂v/∂a, ∂v/∂b) where `v = self.apply(a, b)`.
    #[inline]
    pub fn partials(self, a: f64, b: f64, v: f64) -> (f64, f64) {
        match self {
            Binary::Add => (1.0, 1.0),
            Binary::Sub => (1.0, -1.0),
            Binary::Mul => (b, a),
            Binary::Div => (1.0 / b, -a / (b * b)),
            // b·a^(b−1), and log(a)·a^b; the second is only needed when b varies.
            Binary::Pow => (b * math::pow(a, b - 1.0), math::log(a) * v),
        }
    }

    /// The same derivatives as formulas in the arguments `a`, `b` and the result `v`.
    pub fn partial_formulas(self, a: &Expr, b: &Expr, v: &Expr) -> (Expr, Expr) {
        match self {
            Binary::Add => (Expr::num(1.0), Expr::num(1.0)),
            Binary::Sub => (Expr::num(1.0), Expr::num(-1.0)),
            Binary::Mul => (b.clone(), a.clone()),
            Binary::Div => (Expr::num(1.0) / b.clone(), -(a.clone() / b.clone().powi(2))),
            Binary::Pow => (
                b.clone() * a.clone().pow(b.clone() - Expr::num(1.0)),
                Expr::unary(Unary::Log, a.clone()) * v.clone(),
            ),
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
            Binary::Mul | Binary::Div | Binary::Pow => {
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
