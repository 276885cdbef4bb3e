//! Between the program's syntax and formulas: the derivative rules of [`crate::base::op`] are written on formula
//! trees, the generated program is a syntax tree. Parts of a program the rules do not see through (`i // 2`, an
//! index) travel inside formulas as *opaque leaves*: placeholders that refer back to the syntax they stand for, so
//! nothing is ever found again by searching text.
//!
//! Also the small builders the generators write syntax with.

use crate::base::formula::{Expr as Formula, Node};
use crate::base::op::{Binary, Unary};
use crate::base::source::Span;
use crate::lang::lower::MODULES;
use crate::lang::syntax::{self as ast, BinOp, ExprKind, Stmt, StmtKind, Target, UnOp};

use super::analysis::Names;

pub(super) fn expr(kind: ExprKind) -> ast::Expr {
    ast::Expr {
        kind,
        span: Span::default(),
    }
}

pub(super) fn name(n: &str) -> ast::Expr {
    expr(ExprKind::Name(n.to_string()))
}

/// A number as a literal: whole numbers as integers (`4`, as the lecture writes them), others (and zero, whose sign an
/// integer would lose) as floats, negative ones as a negation.
pub(super) fn number(x: f64) -> ast::Expr {
    if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
        return expr(ExprKind::Unary(UnOp::Neg, Box::new(number(-x))));
    }
    if x.fract() == 0.0 && x != 0.0 && x < 9.0e15 {
        expr(ExprKind::Int(x as i64))
    } else {
        expr(ExprKind::Float(x))
    }
}

/// A float literal (`0.0`, `1.0`): the values the generated code starts its tangents and adjoints at.
pub(super) fn float(x: f64) -> ast::Expr {
    expr(ExprKind::Float(x))
}

pub(super) fn call(f: &str, args: Vec<ast::Expr>) -> ast::Expr {
    expr(ExprKind::Call(Box::new(name(f)), args))
}

/// `obj.m(args)`.
pub(super) fn method(obj: &str, m: &str, args: Vec<ast::Expr>) -> ast::Expr {
    let callee = expr(ExprKind::Attr(Box::new(name(obj)), m.to_string()));
    expr(ExprKind::Call(Box::new(callee), args))
}

/// One expression, or several as a tuple.
pub(super) fn tuple(mut items: Vec<ast::Expr>) -> ast::Expr {
    if items.len() == 1 {
        items.pop().unwrap_or_else(|| float(0.0))
    } else {
        expr(ExprKind::Tuple(items))
    }
}

pub(super) fn target(n: &str) -> Target {
    Target {
        name: n.to_string(),
        span: Span::default(),
    }
}

pub(super) fn stmt(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::default(),
    }
}

/// `t1, t2 = e1, e2`.
pub(super) fn assign(targets: &[String], values: Vec<ast::Expr>) -> Stmt {
    stmt(StmtKind::Assign(
        targets.iter().map(|t| target(t)).collect(),
        tuple(values),
    ))
}

/// `t op= e`.
pub(super) fn augment(t: &str, op: BinOp, e: ast::Expr) -> Stmt {
    stmt(StmtKind::AugAssign(target(t), op, e))
}

pub(super) fn comment(text: impl Into<String>) -> Stmt {
    stmt(StmtKind::Comment(text.into()))
}

/// The names an expression reads (not function or module names).
pub(super) fn reads(e: &ast::Expr, out: &mut Names) {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) => {}
        ExprKind::Name(n) => out.insert(n),
        ExprKind::Attr(base, _) => {
            if !matches!(&base.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())) {
                reads(base, out)
            }
        }
        ExprKind::Unary(_, a) | ExprKind::Keyword(_, a) => reads(a, out),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            reads(a, out);
            reads(b, out);
        }
        ExprKind::Call(callee, args) => {
            if let ExprKind::Attr(base, _) = &callee.kind {
                reads(base, out);
            }
            args.iter().for_each(|a| reads(a, out));
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().for_each(|i| reads(i, out)),
        ExprKind::Slice(a, parts) => {
            reads(a, out);
            parts.iter().flatten().for_each(|p| reads(p, out));
        }
        ExprKind::Range(parts) => parts.iter().flatten().for_each(|p| reads(p, out)),
    }
}

/// `a op b` as syntax: an operator, or a call for `max` and `min`.
pub(super) fn binary(op: Binary, a: ast::Expr, b: ast::Expr) -> ast::Expr {
    let op = match op {
        Binary::Add => BinOp::Add,
        Binary::Sub => BinOp::Sub,
        Binary::Mul => BinOp::Mul,
        Binary::Div => BinOp::Div,
        Binary::Pow => BinOp::Pow,
        Binary::Max | Binary::Min => return call(op.symbol(), vec![a, b]),
    };
    expr(ExprKind::Binary(op, Box::new(a), Box::new(b)))
}

/// A function name as called: `log`, `np.log`.
pub(super) fn callee_name(callee: &ast::Expr) -> Option<&str> {
    match &callee.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Attr(b, a) if matches!(&b.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())) => {
            Some(a)
        }
        _ => None,
    }
}

/// Formulas made from one program's syntax, and the syntax their opaque leaves stand for.
#[derive(Default)]
pub(super) struct Bridge {
    opaque: Vec<ast::Expr>,
    /// The program's variables (so that `pi` is a variable when the program assigns it).
    variables: Names,
}

const OPAQUE: char = '\u{0}';

impl Bridge {
    pub(super) fn new(variables: Names) -> Bridge {
        Bridge {
            opaque: Vec::new(),
            variables,
        }
    }

    /// The expression as a formula; what the differentiation rules do not see through becomes an opaque leaf.
    pub(super) fn formula(&mut self, e: &ast::Expr) -> Formula {
        match &e.kind {
            ExprKind::Int(i) => Formula::num(*i as f64),
            ExprKind::Float(x) => Formula::num(*x),
            ExprKind::Name(n) if n == "pi" && !self.variables.contains(n) => {
                Formula::num(std::f64::consts::PI)
            }
            ExprKind::Name(n) => Formula::var(n),
            ExprKind::Attr(b, a) if matches!(&b.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())) => {
                match a.as_str() {
                    "pi" => Formula::num(std::f64::consts::PI),
                    "e" => Formula::num(std::f64::consts::E),
                    _ => self.opaque(e),
                }
            }
            ExprKind::Unary(UnOp::Neg, a) => -self.formula(a),
            ExprKind::Unary(UnOp::Pos, a) => self.formula(a),
            ExprKind::Binary(op, a, b) => match op.primitive() {
                Some(prim) => {
                    let (a, b) = (self.formula(a), self.formula(b));
                    Formula::binary(prim, a, b)
                }
                // `//` and `%` of known numbers are numbers (so that `1 / (0.0 // 0.1)` is printed `1 / 0.0` folded,
                // not a division by zero Python would stop at).
                None => {
                    // The operands' formulas are only wanted when both are numbers: any opaque leaves they made
                    // otherwise are dropped, and the whole expression is one leaf.
                    let mark = self.opaque.len();
                    let (x, y) = (self.formula(a).as_num(), self.formula(b).as_num());
                    // (Integers only where f64 holds them exactly.)
                    let folded = match (x, y) {
                        (Some(x), Some(y)) if x.abs().max(y.abs()) < 9007199254740992.0 => {
                            crate::lang::lower::ints::float_divmod(x, y)
                        }
                        _ => None,
                    };
                    match folded {
                        Some((q, r)) => Formula::num(if *op == BinOp::Mod { r } else { q }),
                        None => {
                            self.opaque.truncate(mark);
                            self.opaque(e)
                        }
                    }
                }
            },
            ExprKind::Call(c, args) if args.len() == 2 => match callee_name(c) {
                Some(f @ ("max" | "min")) if matches!(&c.kind, ExprKind::Name(_)) => {
                    let op = if f == "max" { Binary::Max } else { Binary::Min };
                    let (a, b) = (self.formula(&args[0]), self.formula(&args[1]));
                    Formula::binary(op, a, b)
                }
                _ => self.opaque(e),
            },
            ExprKind::Call(c, args) if args.len() == 1 => match callee_name(c) {
                Some("float") => self.formula(&args[0]),
                Some(f) => match Unary::from_name(f) {
                    Some(op) => Formula::unary(op, self.formula(&args[0])),
                    None => self.opaque(e),
                },
                None => self.opaque(e),
            },
            _ => self.opaque(e),
        }
    }

    fn opaque(&mut self, e: &ast::Expr) -> Formula {
        self.opaque.push(e.clone());
        Formula::var(&format!("{OPAQUE}{}", self.opaque.len() - 1))
    }

    fn leaf(&self, v: &str) -> Option<&ast::Expr> {
        let k: usize = v.strip_prefix(OPAQUE)?.parse().ok()?;
        self.opaque.get(k)
    }

    /// The formula as syntax (opaque leaves become the syntax they stand for).
    pub(super) fn syntax(&self, f: &Formula) -> ast::Expr {
        match f.node() {
            Node::Num(x) => number(*x),
            Node::Var(v) => match self.leaf(v) {
                Some(e) => e.clone(),
                None => name(v),
            },
            Node::Unary(Unary::Neg, a) => {
                expr(ExprKind::Unary(UnOp::Neg, Box::new(self.syntax(a))))
            }
            Node::Unary(op, a) => call(op.name(), vec![self.syntax(a)]),
            Node::Binary(op, a, b) => binary(*op, self.syntax(a), self.syntax(b)),
        }
    }

    /// Whether the formula reads `var` (inside opaque leaves too).
    pub(super) fn reads(&self, f: &Formula, var: &str) -> bool {
        match f.node() {
            Node::Num(_) => false,
            Node::Var(v) => match self.leaf(v) {
                Some(e) => {
                    let mut names = Names::default();
                    reads(e, &mut names);
                    names.contains(var)
                }
                None => &**v == var,
            },
            Node::Unary(_, a) => self.reads(a, var),
            Node::Binary(_, a, b) => self.reads(a, var) || self.reads(b, var),
        }
    }
}
