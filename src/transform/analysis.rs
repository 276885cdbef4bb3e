//! What the generators need to know about a program before transforming it: the function it is (a plain expression
//! becomes its Wengert list), whether its loops can be transformed as loops, which statements matter for a result
//! (dead-code elimination, flow-sensitive through loops), which variables carry derivatives (activity), and names
//! for the new variables that collide with nothing.

use crate::base::op::Unary;
use crate::lang::compile::Compiled;
use crate::lang::graph::{Arg, Graph, Op};
use crate::lang::lower::{BUILTINS, MODULES};
use crate::lang::syntax::{self as ast, ExprKind, Param, Program, Stmt, StmtKind};

use super::bridge::{self, callee_name, expr, name, number, reads};
use super::Unsupported;

/// A set of names in order of insertion, with an index (a program may assign thousands of names in one tuple).
#[derive(Clone, Debug, Default)]
pub(crate) struct Names(Vec<String>, crate::base::hash::Map<String, usize>);

impl PartialEq for Names {
    fn eq(&self, other: &Names) -> bool {
        self.0 == other.0
    }
}

impl Names {
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.1.contains_key(name)
    }

    pub(crate) fn insert(&mut self, name: &str) {
        if !self.contains(name) {
            self.1.insert(name.to_string(), self.0.len());
            self.0.push(name.to_string());
        }
    }

    pub(crate) fn extend<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for n in names {
            self.insert(n);
        }
    }

    pub(crate) fn remove(&mut self, name: &str) {
        if self.1.remove(name).is_some() {
            self.0.retain(|n| n != name);
            for (i, n) in self.0.iter().enumerate() {
                self.1.insert(n.clone(), i);
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| s.as_str())
    }

    fn of_expr(e: &ast::Expr) -> Names {
        let mut n = Names::default();
        reads(e, &mut n);
        n
    }
}

/// The program as a function: parameters, the statements before the final `return`, and the returned values.
#[derive(Clone, Debug)]
pub(super) struct Func {
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub results: Vec<ast::Expr>,
    /// Made from the graph (one line per operation) rather than from the program's own statements.
    pub unrolled: bool,
}

impl Func {
    /// The parameters that are inputs (an integer default makes a parameter a fixed value instead).
    pub(super) fn inputs(&self, g: &Graph) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| g.input_index(&p.name).is_some())
            .map(|p| p.name.clone())
            .collect()
    }

    /// Every name the function uses or assigns.
    pub(super) fn names(&self) -> Names {
        let mut n = Names::default();
        n.extend(self.params.iter().map(|p| p.name.as_str()));
        collect_names(&self.body, &mut n);
        for r in &self.results {
            reads(r, &mut n);
        }
        n
    }
}

fn split_result(e: &ast::Expr) -> Vec<ast::Expr> {
    match &e.kind {
        ExprKind::Tuple(items) => items.clone(),
        _ => vec![e.clone()],
    }
}

/// The function a compiled program is, written as its own statements when they can be transformed as written, else
/// as its Wengert list (`Err` carries why the statements could not be used).
pub(super) fn function(c: &Compiled) -> Result<Func, String> {
    let structured = match &c.syntax {
        Program::Def { params, body, .. } => match body.split_last() {
            Some((
                Stmt {
                    kind: StmtKind::Return(e),
                    ..
                },
                init,
            )) => Func {
                params: params.clone(),
                body: init.to_vec(),
                results: split_result(e),
                unrolled: false,
            },
            _ => return Err("a `return` before the end of the function".into()),
        },
        Program::Script(stmts) => {
            let params = c
                .graph
                .inputs
                .iter()
                .map(|i| Param {
                    name: i.name.clone(),
                    default: None,
                    span: Default::default(),
                })
                .collect();
            let Some((last, init)) = stmts.split_last() else {
                return Err("an empty program".into());
            };
            let mut body = init.to_vec();
            let results = match &last.kind {
                // A plain expression is shown as its Wengert list: one line per elementary operation.
                StmtKind::Expr(_) if init.is_empty() => return Ok(wengert(&c.graph)),
                StmtKind::Expr(e) | StmtKind::Return(e) => split_result(e),
                StmtKind::Assign(targets, _) => {
                    body.push(last.clone());
                    vec![name(&targets[targets.len() - 1].name)]
                }
                StmtKind::AugAssign(t, ..) => {
                    body.push(last.clone());
                    vec![name(&t.name)]
                }
                StmtKind::For { .. } | StmtKind::Pass | StmtKind::Comment(_) => {
                    return Err("a program that does not end with its value".into())
                }
            };
            Func {
                params,
                body,
                results,
                unrolled: false,
            }
        }
    };
    check_structured(&structured)?;
    Ok(structured)
}

/// The graph as a function, one assignment per operation: `v1 = x**2`, `v2 = y * v1`, `return v2`.
pub(super) fn wengert(g: &Graph) -> Func {
    let label = |a: Arg| match a {
        Arg::Node(n) => name(&g.label(n)),
        Arg::Const(c) => number(c),
    };
    let body = g
        .ids()
        .skip(g.inputs.len())
        .map(|id| {
            let value = match g.node(id).op {
                Op::Input(_) => name(&g.label(id)),
                Op::Const(c) => number(c),
                Op::Unary(Unary::Neg, a) => {
                    expr(ExprKind::Unary(ast::UnOp::Neg, Box::new(name(&g.label(a)))))
                }
                Op::Unary(op, a) => bridge::call(op.name(), vec![name(&g.label(a))]),
                Op::Binary(op, a, b) => bridge::binary(op, label(a), label(b)),
            };
            bridge::assign(&[g.label(id)], vec![value])
        })
        .collect();
    Func {
        params: g
            .inputs
            .iter()
            .map(|i| Param {
                name: i.name.clone(),
                default: None,
                span: Default::default(),
            })
            .collect(),
        body,
        results: g.outputs.iter().map(|&o| name(&g.label(o))).collect(),
        unrolled: true,
    }
}

fn collect_names(stmts: &[Stmt], out: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(t, e) => {
                out.extend(t.iter().map(|t| t.name.as_str()));
                reads(e, out);
            }
            StmtKind::AugAssign(t, _, e) => {
                out.insert(&t.name);
                reads(e, out);
            }
            StmtKind::For { var, iter, body } => {
                out.insert(&var.name);
                reads(iter, out);
                collect_names(body, out);
            }
            StmtKind::Return(e) | StmtKind::Expr(e) => reads(e, out),
            StmtKind::Pass | StmtKind::Comment(_) => {}
        }
    }
}

/// The names a block assigns (loop variables included).
pub(super) fn assigned(stmts: &[Stmt], out: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(t, _) => out.extend(t.iter().map(|t| t.name.as_str())),
            StmtKind::AugAssign(t, _, _) => out.insert(&t.name),
            StmtKind::For { var, body, .. } => {
                out.insert(&var.name);
                assigned(body, out);
            }
            StmtKind::Return(_) | StmtKind::Expr(_) | StmtKind::Pass | StmtKind::Comment(_) => {}
        }
    }
}

/// Can the statements be transformed as written (loops stay loops)? `Err` says what prevents it; the generators then
/// transform the Wengert list instead.
fn check_structured(f: &Func) -> Result<(), String> {
    let mut loop_vars = Names::default();
    loops(&f.body, &mut loop_vars);
    let mut assigned_outside = Names::default();
    non_loop_assignments(&f.body, &mut assigned_outside);
    for v in loop_vars.iter() {
        if f.params.iter().any(|p| p.name == v) || assigned_outside.contains(v) {
            return Err(format!(
                "the loop variable `{v}` is also assigned elsewhere"
            ));
        }
        let mut outside = Names::default();
        reads_outside_loops_over(&f.body, v, &mut outside);
        if outside.contains(v) || f.results.iter().any(|r| Names::of_expr(r).contains(v)) {
            return Err(format!("the loop variable `{v}` is read after its loop"));
        }
    }
    for r in &f.results {
        simple_expr(r)?;
    }
    block_supported(&f.body)
}

fn loops(stmts: &[Stmt], out: &mut Names) {
    for s in stmts {
        if let StmtKind::For { var, body, .. } = &s.kind {
            out.insert(&var.name);
            loops(body, out);
        }
    }
}

fn non_loop_assignments(stmts: &[Stmt], out: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(t, _) => out.extend(t.iter().map(|t| t.name.as_str())),
            StmtKind::AugAssign(t, _, _) => out.insert(&t.name),
            StmtKind::For { body, .. } => non_loop_assignments(body, out),
            _ => {}
        }
    }
}

/// Names read outside the bodies of loops over `var`.
fn reads_outside_loops_over(stmts: &[Stmt], var: &str, out: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::For {
                var: v, iter, body, ..
            } => {
                reads(iter, out);
                if v.name != var {
                    reads_outside_loops_over(body, var, out);
                }
            }
            StmtKind::Assign(_, e)
            | StmtKind::AugAssign(_, _, e)
            | StmtKind::Expr(e)
            | StmtKind::Return(e) => reads(e, out),
            StmtKind::Pass | StmtKind::Comment(_) => {}
        }
    }
}

/// Operations in an expression (its tree's size).
fn size(e: &ast::Expr) -> usize {
    1 + match &e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Name(_) => 0,
        ExprKind::Attr(b, _) | ExprKind::Unary(_, b) | ExprKind::Keyword(_, b) => size(b),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => size(a) + size(b),
        ExprKind::Call(c, args) => size(c) + args.iter().map(size).sum::<usize>(),
        ExprKind::Tuple(v) | ExprKind::List(v) => v.iter().map(size).sum(),
        ExprKind::Slice(a, parts) => {
            size(a) + parts.iter().flatten().map(|p| size(p)).sum::<usize>()
        }
        ExprKind::Range(parts) => parts.iter().flatten().map(|p| size(p)).sum::<usize>(),
    }
}

/// Longest expression transformed as written: the product rule turns a product of n factors into n terms of n
/// factors each, so longer ones are written as their elementary operations (linear in n).
const MAX_EXPRESSION: usize = 120;

/// Arithmetic and calls of the elementary functions (and `float`, `int`, `len` of numbers); no lists; not too long.
fn simple_expr(e: &ast::Expr) -> Result<(), String> {
    if size(e) > MAX_EXPRESSION {
        return Err(format!(
            "an expression of more than {MAX_EXPRESSION} operations"
        ));
    }
    simple_parts(e)
}

fn simple_parts(e: &ast::Expr) -> Result<(), String> {
    let lists = || Err("a program using lists".to_string());
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Name(_) => Ok(()),
        ExprKind::Attr(b, _) => match &b.kind {
            ExprKind::Name(m) if MODULES.contains(&m.as_str()) => Ok(()),
            _ => lists(),
        },
        ExprKind::Unary(_, a) => simple_parts(a),
        ExprKind::Binary(_, a, b) => {
            simple_parts(a)?;
            simple_parts(b)
        }
        ExprKind::Call(c, args) => {
            let known = callee_name(c).is_some_and(|n| {
                Unary::from_name(n).is_some()
                    || matches!(n, "float" | "int")
                    || (matches!(n, "max" | "min") && args.len() == 2)
            });
            if !known {
                return Err("a call other than an elementary function".into());
            }
            args.iter().try_for_each(simple_expr)
        }
        ExprKind::Tuple(_) => Err("a tuple kept in one variable".into()),
        ExprKind::Keyword(..) => Err("an argument given by name".into()),
        ExprKind::List(_) | ExprKind::Index(..) | ExprKind::Slice(..) | ExprKind::Range(_) => {
            lists()
        }
    }
}

fn block_supported(stmts: &[Stmt]) -> Result<(), String> {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(targets, _)
                if {
                    let mut seen = Names::default();
                    !targets.iter().all(|t| {
                        let new = !seen.contains(&t.name);
                        seen.insert(&t.name);
                        new
                    })
                } =>
            {
                return Err("an assignment to the same name twice".into())
            }
            StmtKind::Assign(targets, e) => match &e.kind {
                ExprKind::Tuple(items) if targets.len() > 1 && items.len() == targets.len() => {
                    items.iter().try_for_each(simple_expr)?
                }
                _ if targets.len() > 1 => return Err("this tuple assignment".into()),
                _ => simple_expr(e)?,
            },
            StmtKind::AugAssign(_, op, e) => {
                if op.primitive().is_none() {
                    return Err(format!("`{}=`", op.symbol()));
                }
                simple_expr(e)?
            }
            StmtKind::For { var, iter, body } => {
                let is_range = matches!(&iter.kind, ExprKind::Call(c, args)
                    if matches!(&c.kind, ExprKind::Name(n) if n == "range")
                        && args.iter().all(|a| simple_expr(a).is_ok()));
                if !is_range {
                    return Err("a loop over a list".into());
                }
                // The backward sweep runs the loop again (in reverse): its bounds must not change inside it.
                let mut changed = Names::default();
                assigned(body, &mut changed);
                let bounds = Names::of_expr(iter);
                if let Some(n) = bounds.iter().find(|n| changed.contains(n)) {
                    return Err(format!("a loop whose bound `{n}` changes inside it"));
                }
                if changed.contains(&var.name) {
                    return Err(format!(
                        "the loop variable `{}` is assigned inside its loop",
                        var.name
                    ));
                }
                block_supported(body)?;
            }
            StmtKind::Return(_) => return Err("a `return` before the end of the function".into()),
            StmtKind::Expr(e) => simple_expr(e)?,
            StmtKind::Pass | StmtKind::Comment(_) => {}
        }
    }
    Ok(())
}

// ----- dead code -----

/// The statements that can affect the names `live` after them (flow-sensitive, to a fixpoint through loops); the
/// others are dropped. Returns the kept statements and the names live before them.
pub(super) fn live_code(stmts: &[Stmt], live: &Names) -> (Vec<Stmt>, Names) {
    let mut live = live.clone();
    let mut kept: Vec<Stmt> = Vec::new();
    for s in stmts.iter().rev() {
        match &s.kind {
            StmtKind::Assign(targets, e) => {
                let parts: Vec<&ast::Expr> = match &e.kind {
                    ExprKind::Tuple(items) if targets.len() > 1 && items.len() == targets.len() => {
                        items.iter().collect()
                    }
                    _ => vec![e; targets.len()],
                };
                if !targets.iter().any(|t| live.contains(&t.name)) {
                    continue;
                }
                for t in targets {
                    live.remove(&t.name);
                }
                // The statement is kept whole, so every part of it is evaluated: all their names are read.
                for part in &parts {
                    reads(part, &mut live);
                }
                kept.push(s.clone());
            }
            StmtKind::AugAssign(t, _, e) => {
                if !live.contains(&t.name) {
                    continue;
                }
                reads(e, &mut live);
                kept.push(s.clone());
            }
            StmtKind::For { var, iter, body } => {
                // Live at the loop's head: live after it, or live at the start of the body (which comes back).
                let mut head = live.clone();
                let body_kept = loop {
                    let (kept_body, mut before) = live_code(body, &head);
                    before.remove(&var.name);
                    let mut next = live.clone();
                    next.extend(head.iter());
                    next.extend(before.iter());
                    if next.len() == head.len() {
                        break kept_body;
                    }
                    head = next;
                };
                if body_kept.is_empty() {
                    continue;
                }
                live = head;
                reads(iter, &mut live);
                kept.push(bridge::stmt(StmtKind::For {
                    var: var.clone(),
                    iter: iter.clone(),
                    body: body_kept,
                }));
            }
            StmtKind::Return(_) | StmtKind::Expr(_) | StmtKind::Pass | StmtKind::Comment(_) => {}
        }
    }
    kept.reverse();
    (kept, live)
}

// ----- activity -----

/// The variables that can depend on `seeds` (a fixpoint, regardless of order: a loop carries dependence back).
pub(super) fn varied(stmts: &[Stmt], seeds: &Names) -> Names {
    let mut v = seeds.clone();
    loop {
        let before = v.len();
        mark(stmts, &mut v);
        if v.len() == before {
            return v;
        }
    }
}

fn mark(stmts: &[Stmt], v: &mut Names) {
    let mentions = |e: &ast::Expr, v: &Names| Names::of_expr(e).iter().any(|n| v.contains(n));
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(targets, e) => {
                let parts: Vec<&ast::Expr> = match &e.kind {
                    ExprKind::Tuple(items) if targets.len() > 1 => items.iter().collect(),
                    _ => vec![e],
                };
                for (t, e) in targets.iter().zip(parts) {
                    if mentions(e, v) {
                        v.insert(&t.name);
                    }
                }
            }
            StmtKind::AugAssign(t, _, e) => {
                if mentions(e, v) {
                    v.insert(&t.name);
                }
            }
            StmtKind::For { body, .. } => mark(body, v),
            _ => {}
        }
    }
}

// ----- names -----

const KEYWORDS: &[&str] = &[
    "def", "for", "in", "return", "pass", "import", "from", "as", "None", "True", "False", "if",
    "elif", "else", "while", "lambda", "class", "try", "except", "with", "yield", "and", "or",
    "not", "global", "nonlocal", "del", "assert", "raise", "break", "continue", "async", "await",
    "is", "finally",
];

/// Whether a new variable may be called `n`: not a keyword, a function, a module or a name already used.
fn free(n: &str, taken: &Names) -> bool {
    !taken.contains(n)
        && !KEYWORDS.contains(&n)
        && !MODULES.contains(&n)
        && !BUILTINS.contains(&n)
        && Unary::from_name(n).is_none()
        && n != "reversed"
}

/// `base`, or `base_`, `base2`, … : the first that is free.
pub(super) fn fresh(base: &str, taken: &Names) -> String {
    if free(base, taken) {
        return base.to_string();
    }
    (2..)
        .map(|k| format!("{base}{k}"))
        .find(|n| free(n, taken))
        .unwrap_or_else(|| base.to_string())
}

/// The prefix of tangent and adjoint names (`d`, as in `dv`), chosen so that no prefixed name is taken, a keyword
/// (`ef` would make `def`) or a function.
pub(super) fn prefix(names: &Names) -> String {
    ["d", "d_", "dd_", "grad_", "tangent_"]
        .iter()
        .map(|p| p.to_string())
        .chain((2..).map(|k| format!("d{k}_")))
        .find(|p| names.iter().all(|n| free(&format!("{p}{n}"), names)))
        .unwrap_or_else(|| "d_".into())
}

/// `Err` for programs no generator can write (surfaced as the reason shown in place of the code).
pub(super) fn unrolled_size_ok(g: &Graph) -> Result<(), Unsupported> {
    const MAX_LINES: usize = 4000;
    if g.intermediates() > MAX_LINES {
        return Err(format!(
            "unrolled, the program would be {} lines long; the derivative program is shown for up to {} operations",
            crate::base::num::fmt_count(g.intermediates() as u64),
            crate::base::num::fmt_count(MAX_LINES as u64)
        ));
    }
    Ok(())
}
