//! Expression trees over the same elementary operations as the graph ([`Unary`], [`Binary`]).
//!
//! Two ways to build: [`Expr::unary`]/[`Expr::binary`] keep exactly what they are given (what "the rules without
//! simplification" produce), while the operators `+ - * /` and [`Expr::pow`] fold constants and drop neutral elements
//! (`0 + a`, `1·a`, `a¹`) as they build — enough for readable rule formulas. The full simplifier lives in
//! [`super::simplify`].

use std::fmt::{self, Write};
use std::ops;
use std::rc::Rc;

use crate::base::num;
use crate::base::op::{Binary, Unary};

#[derive(Clone, PartialEq)]
pub struct Expr(Rc<Node>);

#[derive(Clone, PartialEq)]
pub enum Node {
    Num(f64),
    Var(Rc<str>),
    Unary(Unary, Expr),
    Binary(Binary, Expr, Expr),
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_code())
    }
}

impl Expr {
    pub fn num(x: f64) -> Expr {
        Expr(Rc::new(Node::Num(x)))
    }

    pub fn var(name: &str) -> Expr {
        Expr(Rc::new(Node::Var(name.into())))
    }

    /// `op(a)`, kept as given.
    pub fn unary(op: Unary, a: Expr) -> Expr {
        Expr(Rc::new(Node::Unary(op, a)))
    }

    /// `a op b`, kept as given.
    pub fn binary(op: Binary, a: Expr, b: Expr) -> Expr {
        Expr(Rc::new(Node::Binary(op, a, b)))
    }

    pub fn node(&self) -> &Node {
        &self.0
    }

    /// Pointer identity: the same shared subtree (used to count and memoise on a DAG).
    pub fn ptr(&self) -> *const Node {
        Rc::as_ptr(&self.0)
    }

    pub fn as_num(&self) -> Option<f64> {
        match *self.0 {
            Node::Num(x) => Some(x),
            _ => None,
        }
    }

    /// `self ** e`, folding constants and `a¹`, `a⁰`.
    pub fn pow(self, e: Expr) -> Expr {
        match (self.as_num(), e.as_num()) {
            (Some(a), Some(b)) => Expr::num(Binary::Pow.apply(a, b)),
            (_, Some(b)) if b == 1.0 => self,
            (_, Some(b)) if b == 0.0 => Expr::num(1.0),
            _ => Expr::binary(Binary::Pow, self, e),
        }
    }

    pub fn powi(self, k: i32) -> Expr {
        self.pow(Expr::num(k as f64))
    }

    /// Evaluates with the variables bound by `env`; `None` if a variable is unbound.
    pub fn eval(&self, env: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        Some(match self.node() {
            Node::Num(x) => *x,
            Node::Var(v) => env(v)?,
            Node::Unary(op, a) => op.apply(a.eval(env)?),
            Node::Binary(op, a, b) => op.apply(a.eval(env)?, b.eval(env)?),
        })
    }

    /// Replaces variables by expressions.
    pub fn substitute(&self, f: &dyn Fn(&str) -> Option<Expr>) -> Expr {
        match self.node() {
            Node::Num(_) => self.clone(),
            Node::Var(v) => f(v).unwrap_or_else(|| self.clone()),
            Node::Unary(op, a) => rebuild_unary(*op, a.substitute(f)),
            Node::Binary(op, a, b) => rebuild_binary(*op, a.substitute(f), b.substitute(f)),
        }
    }

    /// Python source, e.g. `4 * v * (1 - v)`; our parser reads it back.
    pub fn to_code(&self) -> String {
        let mut s = String::new();
        write_text(self, &CODE, &mut s);
        s
    }

    /// Math-style text, e.g. `4·v·(1 − v)`, `x²`.
    pub fn to_math_text(&self) -> String {
        let mut s = String::new();
        write_text(self, &MATH, &mut s);
        s
    }

    /// TeX for math mode, e.g. `4 \\cdot v_{1} \\cdot (1 - v_{1})`, `x^{2}`.
    pub fn to_tex(&self) -> String {
        let mut s = String::new();
        write_text(self, &TEX, &mut s);
        s
    }

    /// Presentation MathML (without the outer `<math>` element).
    pub fn to_mathml(&self) -> String {
        let mut s = String::new();
        write_mathml(self, &mut s);
        s
    }
}

/// Rebuilds with the folding constructors (used after substitution, so `b·a^(b−1)` with `b = 2` reads `2·a`).
pub fn rebuild_unary(op: Unary, a: Expr) -> Expr {
    match op {
        Unary::Neg => -a,
        _ => match a.as_num() {
            Some(x) => Expr::num(op.apply(x)),
            None => Expr::unary(op, a),
        },
    }
}

pub fn rebuild_binary(op: Binary, a: Expr, b: Expr) -> Expr {
    match op {
        Binary::Add => a + b,
        Binary::Sub => a - b,
        Binary::Mul => a * b,
        Binary::Div => a / b,
        Binary::Pow => a.pow(b),
        Binary::Max | Binary::Min => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Expr::num(op.apply(x, y)),
            _ => Expr::binary(op, a, b),
        },
    }
}

impl ops::Add for Expr {
    type Output = Expr;
    fn add(self, b: Expr) -> Expr {
        match (self.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Expr::num(x + y),
            (Some(x), _) if x == 0.0 => b,
            (_, Some(y)) if y == 0.0 => self,
            (_, Some(y)) if y < 0.0 => Expr::binary(Binary::Sub, self, Expr::num(-y)),
            _ => match b.node() {
                Node::Unary(Unary::Neg, x) => Expr::binary(Binary::Sub, self, x.clone()),
                _ => Expr::binary(Binary::Add, self, b),
            },
        }
    }
}

impl ops::Sub for Expr {
    type Output = Expr;
    fn sub(self, b: Expr) -> Expr {
        match (self.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Expr::num(x - y),
            (Some(x), _) if x == 0.0 => -b,
            (_, Some(y)) if y == 0.0 => self,
            _ => match b.node() {
                Node::Unary(Unary::Neg, x) => Expr::binary(Binary::Add, self, x.clone()),
                _ => Expr::binary(Binary::Sub, self, b),
            },
        }
    }
}

impl ops::Mul for Expr {
    type Output = Expr;
    fn mul(self, b: Expr) -> Expr {
        match (self.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Expr::num(x * y),
            (Some(x), _) if x == 0.0 => self,
            (_, Some(y)) if y == 0.0 => b,
            (Some(x), _) if x == 1.0 => b,
            (_, Some(y)) if y == 1.0 => self,
            (Some(x), _) if x == -1.0 => -b,
            (_, Some(y)) if y == -1.0 => -self,
            _ => Expr::binary(Binary::Mul, self, b),
        }
    }
}

impl ops::Div for Expr {
    type Output = Expr;
    fn div(self, b: Expr) -> Expr {
        match (self.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Expr::num(x / y),
            (_, Some(y)) if y == 1.0 => self,
            _ => Expr::binary(Binary::Div, self, b),
        }
    }
}

impl ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        match self.node() {
            Node::Num(x) => Expr::num(-x),
            Node::Unary(Unary::Neg, a) => a.clone(),
            _ => Expr::unary(Unary::Neg, self),
        }
    }
}

// ----- printing -----

struct Style {
    mul: &'static str,
    pow: &'static str,
    add: &'static str,
    sub: &'static str,
    div: &'static str,
    neg: &'static str,
    /// Small integer powers as superscripts (`x²`).
    superscripts: bool,
    /// TeX: `v_{1}`, `x^{y}`, `\\mathrm{log}(x)`, `\\infty`.
    tex: bool,
}

const CODE: Style = Style {
    mul: " * ",
    pow: "**",
    add: " + ",
    sub: " - ",
    div: " / ",
    neg: "-",
    superscripts: false,
    tex: false,
};
const MATH: Style = Style {
    mul: "·",
    pow: "^",
    add: " + ",
    sub: " − ",
    div: "/",
    neg: "−",
    superscripts: true,
    tex: false,
};
const TEX: Style = Style {
    mul: " \\cdot ",
    pow: "^{",
    add: " + ",
    sub: " - ",
    div: " / ",
    neg: "-",
    superscripts: false,
    tex: true,
};

const PREC_ADD: u8 = 1;
const PREC_MUL: u8 = 2;
const PREC_NEG: u8 = 3;
const PREC_POW: u8 = 4;
const PREC_ATOM: u8 = 5;

fn prec(e: &Expr) -> u8 {
    match e.node() {
        Node::Num(x) if *x < 0.0 || (*x == 0.0 && x.is_sign_negative()) => PREC_NEG,
        Node::Num(_) | Node::Var(_) => PREC_ATOM,
        Node::Unary(Unary::Neg, _) => PREC_NEG,
        Node::Unary(..) | Node::Binary(Binary::Max | Binary::Min, ..) => PREC_ATOM,
        Node::Binary(Binary::Add | Binary::Sub, ..) => PREC_ADD,
        Node::Binary(Binary::Mul | Binary::Div, ..) => PREC_MUL,
        Node::Binary(Binary::Pow, ..) => PREC_POW,
    }
}

fn write_operand(e: &Expr, min: u8, style: &Style, out: &mut String) {
    if prec(e) < min {
        out.push('(');
        write_text(e, style, out);
        out.push(')');
    } else {
        write_text(e, style, out);
    }
}

fn superscript(k: f64) -> Option<String> {
    if k.fract() != 0.0 || !(2.0..=99.0).contains(&k) {
        return None;
    }
    Some(num::superscript_int(k as i64))
}

fn write_text(e: &Expr, style: &Style, out: &mut String) {
    match e.node() {
        Node::Num(x) if !x.is_finite() && style.tex => out.push_str(&tex_num(*x)),
        Node::Num(x) if !x.is_finite() && style.neg == "-" => out.push_str(&num::fmt_code(*x)),
        Node::Num(x) => {
            let s = num::fmt_compact(*x);
            out.push_str(&if style.neg != "-" {
                s.replacen('-', style.neg, 1)
            } else {
                s
            });
        }
        Node::Var(v) if style.tex => out.push_str(&tex_name(v)),
        Node::Var(v) => out.push_str(v),
        Node::Unary(Unary::Neg, a) => {
            out.push_str(style.neg);
            write_operand(a, PREC_NEG, style, out);
        }
        Node::Unary(op, a) => {
            if style.tex {
                out.push_str("\\mathrm{");
            }
            out.push_str(op.name());
            if style.tex {
                out.push('}');
            }
            out.push('(');
            write_text(a, style, out);
            out.push(')');
        }
        Node::Binary(op @ (Binary::Max | Binary::Min), a, b) => {
            if style.tex {
                out.push('\\');
            }
            out.push_str(op.symbol());
            out.push('(');
            write_text(a, style, out);
            out.push_str(", ");
            write_text(b, style, out);
            out.push(')');
        }
        Node::Binary(op, a, b) => {
            let (sym, left, right) = match op {
                Binary::Add => (style.add, PREC_ADD, PREC_ADD),
                Binary::Sub => (style.sub, PREC_ADD, PREC_MUL),
                Binary::Mul => (style.mul, PREC_MUL, PREC_NEG),
                Binary::Div => (style.div, PREC_MUL, PREC_POW),
                Binary::Max | Binary::Min => unreachable!("written as calls above"),
                Binary::Pow => {
                    if style.superscripts {
                        if let Some(sup) = b.as_num().and_then(superscript) {
                            write_operand(a, PREC_ATOM, style, out);
                            out.push_str(&sup);
                            return;
                        }
                    }
                    (style.pow, PREC_ATOM, PREC_NEG)
                }
            };
            write_operand(a, left, style, out);
            out.push_str(sym);
            // In code, `a * -b` is valid but `a - -b` reads badly; parenthesise negative right operands of + and −.
            let right = if matches!(op, Binary::Add | Binary::Sub) && prec(b) == PREC_NEG {
                PREC_POW
            } else {
                right
            };
            // `a * (b * c)` keeps its shape when printed.
            let right = if matches!(op, Binary::Mul) && prec(b) == PREC_MUL {
                PREC_NEG
            } else {
                right
            };
            write_operand(b, right, style, out);
            if style.tex && matches!(op, Binary::Pow) {
                out.push('}');
            }
        }
    }
}

/// A number in TeX: `-\\infty`, `\\mathrm{NaN}`, digits as [`num::fmt_compact`] writes them.
pub fn tex_num(x: f64) -> String {
    if x.is_nan() {
        "\\mathrm{NaN}".into()
    } else if x.is_infinite() {
        if x > 0.0 { "\\infty" } else { "-\\infty" }.into()
    } else {
        num::fmt_full(x)
    }
}

/// A name in TeX: `v12` → `v_{12}`, `x_dot` → `x\\_dot`, `x̄`-style marks kept.
pub fn tex_name(name: &str) -> String {
    let (head, sub) = subscripted(name);
    let head = head.replace('_', "\\_");
    match sub {
        Some(k) => format!("{head}_{{{k}}}"),
        None => head,
    }
}

/// `v12` → (`v`, `12`): a name's trailing digits, shown as a subscript; `x_dot`-style names stay whole.
fn subscripted(name: &str) -> (&str, Option<&str>) {
    match name
        .find(|c: char| c.is_ascii_digit())
        .filter(|&i| i > 0 && name[i..].bytes().all(|b| b.is_ascii_digit()))
    {
        Some(i) => (&name[..i], Some(&name[i..])),
        None => (name, None),
    }
}

fn mathml_ident(name: &str, out: &mut String) {
    match subscripted(name) {
        (head, Some(k)) => {
            let _ = write!(out, "<msub><mi>{}</mi><mn>{k}</mn></msub>", escape(head));
        }
        (head, None) => {
            let _ = write!(out, "<mi>{}</mi>", escape(head));
        }
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn mathml_operand(e: &Expr, min: u8, out: &mut String) {
    if prec(e) < min {
        out.push_str("<mrow><mo>(</mo>");
        write_mathml(e, out);
        out.push_str("<mo>)</mo></mrow>");
    } else {
        write_mathml(e, out);
    }
}

fn write_mathml(e: &Expr, out: &mut String) {
    match e.node() {
        Node::Num(x) if *x < 0.0 => {
            let _ = write!(
                out,
                "<mrow><mo>−</mo><mn>{}</mn></mrow>",
                num::fmt_compact(-x)
            );
        }
        Node::Num(x) => {
            let _ = write!(out, "<mn>{}</mn>", num::fmt_compact(*x));
        }
        Node::Var(v) => mathml_ident(v, out),
        Node::Unary(Unary::Neg, a) => {
            out.push_str("<mrow><mo>−</mo>");
            mathml_operand(a, PREC_NEG, out);
            out.push_str("</mrow>");
        }
        Node::Unary(Unary::Sqrt, a) => {
            out.push_str("<msqrt>");
            write_mathml(a, out);
            out.push_str("</msqrt>");
        }
        Node::Unary(op, a) => {
            let _ = write!(
                out,
                "<mrow><mi>{}</mi><mo>&#x2061;</mo><mrow><mo>(</mo>",
                op.name()
            );
            write_mathml(a, out);
            out.push_str("<mo>)</mo></mrow></mrow>");
        }
        Node::Binary(op @ (Binary::Max | Binary::Min), a, b) => {
            let _ = write!(
                out,
                "<mrow><mi>{}</mi><mo>&#x2061;</mo><mrow><mo>(</mo>",
                op.symbol()
            );
            write_mathml(a, out);
            out.push_str("<mo>,</mo>");
            write_mathml(b, out);
            out.push_str("<mo>)</mo></mrow></mrow>");
        }
        Node::Binary(Binary::Div, a, b) => {
            out.push_str("<mfrac><mrow>");
            write_mathml(a, out);
            out.push_str("</mrow><mrow>");
            write_mathml(b, out);
            out.push_str("</mrow></mfrac>");
        }
        Node::Binary(Binary::Pow, a, b) => {
            out.push_str("<msup>");
            mathml_operand(a, PREC_ATOM, out);
            out.push_str("<mrow>");
            write_mathml(b, out);
            out.push_str("</mrow></msup>");
        }
        Node::Binary(op @ (Binary::Add | Binary::Sub | Binary::Mul), a, b) => {
            out.push_str("<mrow>");
            let (sym, left, right) = match op {
                Binary::Add => ("+", PREC_ADD, PREC_ADD),
                Binary::Sub => ("−", PREC_ADD, PREC_MUL),
                _ => {
                    // A number followed by a non-number multiplies silently: 4x, 2(1 − x).
                    let implicit = a.as_num().is_some_and(|x| x >= 0.0)
                        && b.as_num().is_none()
                        && prec(b) >= PREC_POW;
                    (if implicit { "&#x2062;" } else { "·" }, PREC_MUL, PREC_NEG)
                }
            };
            mathml_operand(a, left, out);
            let _ = write!(out, "<mo>{sym}</mo>");
            let right = if matches!(op, Binary::Add | Binary::Sub) && prec(b) == PREC_NEG {
                PREC_POW
            } else {
                right
            };
            let right = if matches!(op, Binary::Mul) && prec(b) == PREC_MUL {
                PREC_NEG
            } else {
                right
            };
            mathml_operand(b, right, out);
            out.push_str("</mrow>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_constructors_simplify_rule_formulas() {
        let (a, b) = (Expr::var("x"), Expr::num(2.0));
        let (da, _) = Binary::Pow.partial_formulas(&a, &b, &Expr::var("v1"));
        assert_eq!(da.to_math_text(), "2·x");
        let (da, db) =
            Binary::Mul.partial_formulas(&Expr::var("y"), &Expr::var("v1"), &Expr::var("v2"));
        assert_eq!(
            (da.to_code(), db.to_code()),
            ("v1".to_string(), "y".to_string())
        );
    }

    #[test]
    fn printing_respects_precedence() {
        let x = Expr::var("x");
        let v = Expr::var("v");
        let e = Expr::num(4.0) * v.clone() * (Expr::num(1.0) - v.clone());
        assert_eq!(e.to_code(), "4 * v * (1 - v)");
        assert_eq!(e.to_math_text(), "4·v·(1 − v)");
        let e = Expr::unary(Unary::Log, Expr::num(1.0) + x.clone().powi(2)) / x.clone();
        assert_eq!(e.to_code(), "log(1 + x**2) / x");
        assert_eq!(e.to_math_text(), "log(1 + x²)/x");
        let e = -(x.clone().powi(2));
        assert_eq!(e.to_code(), "-x**2");
        let e = Expr::binary(Binary::Pow, -x.clone(), Expr::num(2.0));
        assert_eq!(e.to_code(), "(-x)**2");
        let e = Expr::binary(
            Binary::Sub,
            x.clone(),
            Expr::binary(Binary::Sub, v.clone(), x.clone()),
        );
        assert_eq!(e.to_code(), "x - (v - x)");
        let e = Expr::binary(
            Binary::Div,
            x.clone(),
            Expr::binary(Binary::Mul, v.clone(), x.clone()),
        );
        assert_eq!(e.to_code(), "x / (v * x)");
    }

    #[test]
    fn mathml_has_fractions_powers_and_subscripts() {
        let e = Expr::var("v1") / Expr::var("x").powi(2);
        let m = e.to_mathml();
        assert!(m.starts_with("<mfrac>"), "{m}");
        assert!(m.contains("<msub><mi>v</mi><mn>1</mn></msub>"));
        assert!(m.contains("<msup><mi>x</mi><mrow><mn>2</mn></mrow></msup>"));
    }
}
