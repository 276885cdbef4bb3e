//! Syntax trees back to source text, with the fewest parentheses Python's precedence needs. The parser reads the
//! text back to the same tree (comments aside): what the derivative-program generator shows is what the core runs.
//!
//! ```
//! use ad_lab::lang::{parser::parse, print::program};
//! let src = "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";
//! assert_eq!(program(&parse(src).unwrap()), src);
//! ```

use super::syntax::*;

const TUPLE: u8 = 0;
const COMPARE: u8 = 1;
const ARITH: u8 = 2;
const TERM: u8 = 3;
const FACTOR: u8 = 4;
const POWER: u8 = 5;
const PRIMARY: u8 = 6;

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Tuple(_) => TUPLE,
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => ARITH,
        ExprKind::Binary(op, ..) if op.is_comparison() => COMPARE,
        ExprKind::Binary(
            BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod | BinOp::MatMul,
            ..,
        ) => TERM,
        ExprKind::Unary(..) => FACTOR,
        ExprKind::Binary(BinOp::Pow, ..) => POWER,
        ExprKind::Int(i) if *i < 0 => FACTOR,
        ExprKind::Float(x) if x.is_sign_negative() && !x.is_nan() => FACTOR,
        _ => PRIMARY,
    }
}

/// A float as source that reads back as a float: `4.0`, `0.5`, `1e-07`… (`1e999` for ∞).
pub fn float(x: f64) -> String {
    if x.is_nan() {
        return "(1e999 - 1e999)".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "1e999".into()
        } else {
            "-1e999".into()
        };
    }
    let s = crate::base::num::fmt_compact(x);
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        s + ".0"
    }
}

/// `start:stop:step`, the parts given.
fn write_range(parts: &[Option<Box<Expr>>; 3], out: &mut String) {
    for (k, part) in parts.iter().enumerate() {
        if k > 0 && (k == 1 || part.is_some()) {
            out.push(':');
        }
        if let Some(p) = part {
            write_expr(p, ARITH, out);
        }
    }
}

/// An expression (a tuple without parentheses, as after `return` or `=`).
pub fn expr(e: &Expr) -> String {
    let mut s = String::new();
    write_expr(e, TUPLE, &mut s);
    s
}

fn write_expr(e: &Expr, min: u8, out: &mut String) {
    let p = prec(e);
    let paren = p < min;
    if paren {
        out.push('(');
    }
    match &e.kind {
        ExprKind::Int(i) => out.push_str(&i.to_string()),
        ExprKind::Float(x) => out.push_str(&float(*x)),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::Attr(base, attr) => {
            write_expr(base, PRIMARY, out);
            out.push('.');
            out.push_str(attr);
        }
        ExprKind::Unary(op, a) => {
            out.push(match op {
                UnOp::Neg => '-',
                UnOp::Pos => '+',
            });
            write_expr(a, FACTOR, out);
        }
        ExprKind::Binary(BinOp::Pow, a, b) => {
            write_expr(a, PRIMARY, out);
            out.push_str("**");
            write_expr(b, FACTOR, out);
        }
        ExprKind::Binary(op, a, b) => {
            // Comparisons do not chain: both operands are arithmetic.
            write_expr(a, if op.is_comparison() { p + 1 } else { p }, out);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr(b, p + 1, out);
        }
        ExprKind::Keyword(k, v) => {
            out.push_str(k);
            out.push('=');
            write_expr(v, COMPARE, out);
        }
        ExprKind::Call(f, args) => {
            write_expr(f, PRIMARY, out);
            out.push('(');
            write_list(args, out);
            out.push(')');
        }
        ExprKind::Tuple(items) => {
            if items.is_empty() && !paren {
                out.push_str("()");
            }
            write_list(items, out);
            if items.len() == 1 {
                out.push(',');
            }
        }
        ExprKind::List(items) => {
            out.push('[');
            write_list(items, out);
            out.push(']');
        }
        ExprKind::Index(base, index) => {
            write_expr(base, PRIMARY, out);
            out.push('[');
            match &index.kind {
                ExprKind::Tuple(items) if items.len() > 1 => {
                    for (k, i) in items.iter().enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        write_expr(i, COMPARE, out);
                    }
                }
                _ => write_expr(index, COMPARE, out),
            }
            out.push(']');
        }
        ExprKind::Slice(base, parts) => {
            write_expr(base, PRIMARY, out);
            out.push('[');
            write_range(parts, out);
            out.push(']');
        }
        ExprKind::Range(parts) => write_range(parts, out),
    }
    if paren {
        out.push(')');
    }
}

fn write_list(items: &[Expr], out: &mut String) {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        write_expr(item, COMPARE, out);
    }
}

fn targets(ts: &[Target]) -> String {
    ts.iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Statements, each on its own line at `level` (two spaces per level); an empty block is `pass`.
pub fn block(stmts: &[Stmt], level: usize, out: &mut String) {
    let pad = "  ".repeat(level);
    if stmts.iter().all(|s| matches!(s.kind, StmtKind::Comment(_))) {
        for s in stmts {
            stmt(s, &pad, level, out);
        }
        out.push_str(&pad);
        out.push_str("pass\n");
        return;
    }
    for s in stmts {
        stmt(s, &pad, level, out);
    }
}

fn stmt(s: &Stmt, pad: &str, level: usize, out: &mut String) {
    out.push_str(pad);
    match &s.kind {
        StmtKind::Assign(ts, value) => {
            out.push_str(&targets(ts));
            out.push_str(" = ");
            out.push_str(&expr(value));
        }
        StmtKind::AugAssign(t, op, value) => {
            out.push_str(&t.name);
            out.push(' ');
            out.push_str(op.symbol());
            out.push_str("= ");
            out.push_str(&expr(value));
        }
        StmtKind::For { var, iter, body } => {
            out.push_str("for ");
            out.push_str(&var.name);
            out.push_str(" in ");
            out.push_str(&expr(iter));
            out.push_str(":\n");
            block(body, level + 1, out);
            return;
        }
        StmtKind::Return(e) => {
            out.push_str("return ");
            out.push_str(&expr(e));
        }
        StmtKind::Expr(e) => out.push_str(&expr(e)),
        StmtKind::Pass => out.push_str("pass"),
        StmtKind::Comment(text) => {
            out.push_str("# ");
            out.push_str(text);
        }
    }
    out.push('\n');
}

/// A whole program.
pub fn program(p: &Program) -> String {
    let mut out = String::new();
    match p {
        Program::Def {
            name,
            params,
            body,
            after,
            before,
            ..
        } => {
            if !before.is_empty() {
                block(before, 0, &mut out);
                out.push('\n');
            }
            let ps: Vec<String> = params
                .iter()
                .map(|p| match &p.default {
                    Some(d) => format!("{}={}", p.name, expr(d)),
                    None => p.name.clone(),
                })
                .collect();
            out.push_str(&format!("def {name}({}):\n", ps.join(", ")));
            block(body, 1, &mut out);
            if !after.is_empty() {
                out.push('\n');
                block(after, 0, &mut out);
            }
        }
        Program::Script(stmts) => block(stmts, 0, &mut out),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::parser::parse;

    /// Text → tree → text is the identity on canonical text, and tree → text → tree the identity on trees.
    #[test]
    fn round_trips() {
        for src in [
            "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n",
            "def g(x, y=0.5):\n  a, b = x * y, -x**2\n  a += (b - 1) / (y - (x - 2))\n  return a, b\n",
            "X = np.array([1.0, 2.0])\n\ndef f(w):\n  return np.sum(X * w)\n",
            "def g(x):\n  memory = []\n  memory.append(x)\n  for v in memory[::-1]:\n    x = v\n  return memory[0] + len(memory)\n",
            "x**-2 + (-x)**2 + x**y**2 + (x**y)**2 - -x\n",
            "np.log(1 + x**2) / x\n",
            "a = x, y\na[1] * 2.0 + a[0] // 3 % 2\n",
            "2.0**x + 1e-7 * x + 3.5e20\n",
            "def f(x, n=4):\n  return x**n\n\ng = grad(f)\nprint(g(-0.25, n=5))\n",
            "def f(X=np.eye(3)):\n  a = X[:, 1] @ X[0:2, ::2].T\n  return np.sum(np.where(a > 0, a, -a), axis=0)\n",
            "a < b + 1\nX[1, -1] * (x == y)\n",
        ] {
            let p = parse(src).unwrap();
            assert_eq!(program(&p), src, "{src:?}");
        }
    }

    #[test]
    fn floats_read_back_as_floats() {
        assert_eq!(float(4.0), "4.0");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(f64::INFINITY), "1e999");
        let p = parse(&format!("x * {}", float(1e300))).unwrap();
        assert!(program(&p).contains("1e300"));
    }
}
