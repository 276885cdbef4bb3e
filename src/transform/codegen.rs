//! Derivative programs, generated as source in the program language (so the core can run them back).
//!
//! - [`forward_program`]: forward mode in the lecture's style — every assignment `v = e` becomes
//!   `v, dv = e, ė` in lock-step, loops stay loops, and the function returns the tangent.
//! - [`reverse_program`]: reverse mode — a forward sweep that pushes every value it is about to overwrite onto
//!   `memory`, then a backward sweep that walks the statements in reverse, restoring those values and accumulating
//!   adjoints (`dx += dv * …`). A loop whose body is one assignment reads, as on the slides,
//!   `for v in memory[::-1]: dv = …`.
//!
//! A plain expression is first written as its Wengert list (`v1 = x**2`, `v2 = y * v1`, one line per graph node);
//! a function is transformed statement by statement. Both rely on the partial-derivative formulas of [`super::op`].

use std::fmt::Write;

use crate::base::formula::Expr;
use crate::base::formula::Node;
use crate::base::op::Unary;
use crate::base::source::Span;
use crate::lang::graph::Graph;
use crate::lang::lower::MODULES;
use crate::lang::parser::parse;
use crate::lang::syntax::{self as ast, BinOp, ExprKind, Program, StmtKind, UnOp};

/// Why a program has no generated code (the message is shown in place of the code).
pub type Unsupported = String;

/// The function the generators work on: a `def` (a plain expression becomes its Wengert list).
struct Func {
    src: String,
    params: Vec<ast::Param>,
    body: Vec<ast::Stmt>,
}

fn func(src: &str, graph: &Graph) -> Result<Func, Unsupported> {
    let program = parse(src).map_err(|e| e.render(src))?;
    match program {
        Program::Def { params, body, .. } => Ok(Func {
            src: src.to_string(),
            params,
            body,
        }),
        Program::Script(stmts) => {
            let single_expr = matches!(
                &stmts[..],
                [ast::Stmt {
                    kind: StmtKind::Expr(_),
                    ..
                }]
            );
            let text = if single_expr {
                wengert(graph)
            } else {
                // Statements: wrap them in a function of the free names, returning the last value.
                let mut text = format!(
                    "def f({}):\n",
                    graph
                        .inputs
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let last = stmts.len() - 1;
                for (k, s) in stmts.iter().enumerate() {
                    let line = s.span.text(src);
                    match &s.kind {
                        StmtKind::Expr(e) if k == last => {
                            let _ = writeln!(text, "  return {}", e.span.text(src));
                        }
                        StmtKind::Assign(targets, _) if k == last => {
                            let _ = writeln!(
                                text,
                                "  {line}\n  return {}",
                                targets[targets.len() - 1].name
                            );
                        }
                        _ => {
                            for l in line.lines() {
                                let _ = writeln!(text, "  {l}");
                            }
                        }
                    }
                }
                text
            };
            match parse(&text).map_err(|e| e.render(&text))? {
                Program::Def { params, body, .. } => Ok(Func {
                    src: text,
                    params,
                    body,
                }),
                Program::Script(_) => Err("internal: the wrapped program is not a function".into()),
            }
        }
    }
}

/// The graph as a program, one assignment per node: the Wengert list.
pub fn wengert(g: &Graph) -> String {
    let mut s = format!(
        "def f({}):\n",
        g.inputs
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for id in g.ids().skip(g.inputs.len()) {
        let _ = writeln!(s, "  {} = {}", g.label(id), g.expr_text(id));
    }
    let outs: Vec<String> = g.outputs.iter().map(|&o| g.label(o)).collect();
    let _ = writeln!(s, "  return {}", outs.join(", "));
    s
}

// ----- analysis -----

/// A set of variable names, in order of insertion (few enough that a vector is the right set).
#[derive(Clone, Debug, Default)]
struct Names(Vec<String>);

impl Names {
    fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|n| n == name)
    }

    fn insert(&mut self, name: String) {
        if !self.contains(&name) {
            self.0.push(name);
        }
    }

    fn extend(&mut self, names: impl IntoIterator<Item = String>) {
        for n in names {
            self.insert(n);
        }
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn iter(&self) -> impl Iterator<Item = &String> {
        self.0.iter()
    }
}

struct Ctx<'a> {
    src: &'a str,
    active: Names,
    /// Prefix of tangent and adjoint names (`d`, or `d_` if `d…` names are taken).
    prefix: String,
}

impl Ctx<'_> {
    fn d(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn text(&self, span: Span) -> &str {
        span.text(self.src)
    }
}

fn collect_names(stmts: &[ast::Stmt], out: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(t, _) => out.extend(t.iter().map(|t| t.name.clone())),
            StmtKind::AugAssign(t, _, _) => {
                out.insert(t.name.clone());
            }
            StmtKind::For { var, body, .. } => {
                out.insert(var.name.clone());
                collect_names(body, out);
            }
            _ => {}
        }
    }
}

fn mentions(e: &ast::Expr, names: &Names) -> bool {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) => false,
        ExprKind::Name(n) => names.contains(n),
        ExprKind::Attr(b, _) => mentions(b, names),
        ExprKind::Unary(_, a) => mentions(a, names),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            mentions(a, names) || mentions(b, names)
        }
        ExprKind::Call(c, args) => mentions(c, names) || args.iter().any(|a| mentions(a, names)),
        ExprKind::Tuple(v) | ExprKind::List(v) => v.iter().any(|a| mentions(a, names)),
        ExprKind::Slice(a, parts) => {
            mentions(a, names) || parts.iter().flatten().any(|p| mentions(p, names))
        }
    }
}

/// Rejects what the generators do not transform (lists, returns inside loops, …).
fn check_supported(stmts: &[ast::Stmt], top: bool, n: usize) -> Result<(), Unsupported> {
    for (k, s) in stmts.iter().enumerate() {
        let uses_lists = |e: &ast::Expr| {
            fn walk(e: &ast::Expr) -> bool {
                match &e.kind {
                    ExprKind::List(_) | ExprKind::Index(..) | ExprKind::Slice(..) => true,
                    ExprKind::Call(c, args) => {
                        matches!(&c.kind, ExprKind::Attr(b, _) if !matches!(&b.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())))
                            || args.iter().any(walk)
                    }
                    ExprKind::Unary(_, a) | ExprKind::Attr(a, _) => walk(a),
                    ExprKind::Binary(_, a, b) => walk(a) || walk(b),
                    ExprKind::Tuple(v) => v.iter().any(walk),
                    _ => false,
                }
            }
            walk(e)
        };
        let bad = |what: &str| {
            Err(format!("the derivative program is generated for straight-line code and `for` loops; {what} is not transformed"))
        };
        match &s.kind {
            StmtKind::Assign(targets, e) => {
                if uses_lists(e) {
                    return bad("a program using lists");
                }
                if targets.len() > 1
                    && !matches!(&e.kind, ExprKind::Tuple(v) if v.len() == targets.len())
                {
                    return bad("this tuple assignment");
                }
            }
            StmtKind::AugAssign(_, op, e) => {
                if uses_lists(e) {
                    return bad("a program using lists");
                }
                if matches!(op, BinOp::FloorDiv | BinOp::Mod) {
                    return bad("`//=`");
                }
            }
            StmtKind::For { iter, body, .. } => {
                let is_range = matches!(&iter.kind, ExprKind::Call(c, _) if matches!(&c.kind, ExprKind::Name(n) if n == "range"));
                if !is_range {
                    return bad("a loop over a list");
                }
                check_supported(body, false, usize::MAX)?;
            }
            StmtKind::Return(e) => {
                if !top || k + 1 != n {
                    return bad("a `return` before the end of the function");
                }
                if uses_lists(e) {
                    return bad("a program using lists");
                }
            }
            StmtKind::Expr(e) => {
                if uses_lists(e) {
                    return bad("a program using lists");
                }
            }
            StmtKind::Pass => {}
        }
    }
    Ok(())
}

fn analyse<'a>(f: &'a Func, graph: &Graph) -> Result<Ctx<'a>, Unsupported> {
    check_supported(&f.body, true, f.body.len())?;
    if !matches!(f.body.last().map(|s| &s.kind), Some(StmtKind::Return(_))) {
        return Err("the function must end with `return`".into());
    }
    let mut active: Names = Names::default();
    // The inputs are what lowering made inputs (an integer default makes a fixed parameter instead).
    for p in &f.params {
        if graph.input_index(&p.name).is_some() {
            active.insert(p.name.clone());
        }
    }
    // Activity to a fixpoint: a variable is active if anything active is ever assigned to it.
    loop {
        let before = active.len();
        mark_active(&f.body, &mut active);
        if active.len() == before {
            break;
        }
    }
    let mut names = Names::default();
    names.extend(f.params.iter().map(|p| p.name.clone()));
    collect_names(&f.body, &mut names);
    let prefix = if names
        .iter()
        .any(|n| n.len() > 1 && n.starts_with('d') && names.contains(&n[1..]))
    {
        "d_".to_string()
    } else {
        "d".to_string()
    };
    Ok(Ctx {
        src: &f.src,
        active,
        prefix,
    })
}

fn mark_active(stmts: &[ast::Stmt], active: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign(targets, e) => {
                let parts: Vec<&ast::Expr> = match &e.kind {
                    ExprKind::Tuple(v) if targets.len() > 1 => v.iter().collect(),
                    _ => vec![e],
                };
                for (t, e) in targets.iter().zip(parts) {
                    if mentions(e, active) {
                        active.insert(t.name.clone());
                    }
                }
            }
            StmtKind::AugAssign(t, _, e) if mentions(e, active) => {
                active.insert(t.name.clone());
            }
            StmtKind::For { body, .. } => mark_active(body, active),
            _ => {}
        }
    }
}

// ----- expressions -----

/// The syntax tree of an expression as a symbolic expression; parts the rules do not see through (integer `//`)
/// stay as opaque text.
fn sym(ctx: &Ctx<'_>, e: &ast::Expr) -> Expr {
    let opaque = || Expr::var(&format!("({})", ctx.text(e.span)));
    match &e.kind {
        ExprKind::Int(i) => Expr::num(*i as f64),
        ExprKind::Float(x) => Expr::num(*x),
        ExprKind::Name(n) if n == "pi" => Expr::num(std::f64::consts::PI),
        ExprKind::Name(n) => Expr::var(n),
        ExprKind::Attr(b, a) if matches!(&b.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())) => {
            match a.as_str() {
                "pi" => Expr::num(std::f64::consts::PI),
                "e" => Expr::num(std::f64::consts::E),
                _ => opaque(),
            }
        }
        ExprKind::Unary(UnOp::Neg, a) => Expr::unary(Unary::Neg, sym(ctx, a)),
        ExprKind::Unary(UnOp::Pos, a) => sym(ctx, a),
        ExprKind::Binary(op, a, b) => {
            let Some(prim) = op.primitive() else {
                return opaque();
            };
            Expr::binary(prim, sym(ctx, a), sym(ctx, b))
        }
        ExprKind::Call(c, args) if args.len() == 1 => {
            let name = match &c.kind {
                ExprKind::Name(n) => Some(n.as_str()),
                ExprKind::Attr(b, a) if matches!(&b.kind, ExprKind::Name(m) if MODULES.contains(&m.as_str())) => {
                    Some(a.as_str())
                }
                _ => None,
            };
            match name.and_then(Unary::from_name) {
                Some(op) => Expr::unary(op, sym(ctx, &args[0])),
                None if name == Some("float") => sym(ctx, &args[0]),
                None => opaque(),
            }
        }
        _ => opaque(),
    }
}

fn is_zero(e: &Expr) -> bool {
    e.as_num() == Some(0.0)
}

/// `d · p`, written the way the slides write it: `4 * dv * v` rather than `dv * (4 * v)`.
fn mul_term(d: Expr, p: Expr) -> Expr {
    if let Node::Unary(Unary::Neg, inner) = d.node() {
        return -mul_term(inner.clone(), p);
    }
    match p.node() {
        Node::Num(c) if *c < 0.0 => -mul_term(d, Expr::num(-c)),
        Node::Num(c) if *c == 1.0 => d,
        Node::Num(_) => times(p, d),
        Node::Unary(Unary::Neg, q) => -mul_term(d, q.clone()),
        Node::Binary(crate::base::op::Binary::Mul, a, b) if a.as_num().is_some() => {
            times(times(a.clone(), d), b.clone())
        }
        _ => times(d, p),
    }
}

/// `a · b`, left-associated (`4 * dv * (1 - v)`, not `4 * (dv * (1 - v))`).
fn times(a: Expr, b: Expr) -> Expr {
    match b.node() {
        Node::Binary(crate::base::op::Binary::Mul, x, y)
            if a.as_num().is_none() || x.as_num().is_none() =>
        {
            times(times(a, x.clone()), y.clone())
        }
        _ => a * b,
    }
}

fn is_active_var(ctx: &Ctx<'_>, e: &Expr) -> Option<String> {
    match e.node() {
        Node::Var(v) if ctx.active.contains(v) => Some(v.to_string()),
        _ => None,
    }
}

/// The tangent ė of an expression, by the chain rule: Σ ∂e/∂u · u̇.
fn tangent(ctx: &Ctx<'_>, e: &Expr) -> Expr {
    match e.node() {
        Node::Num(_) => Expr::num(0.0),
        Node::Var(_) => match is_active_var(ctx, e) {
            Some(v) => Expr::var(&ctx.d(&v)),
            None => Expr::num(0.0),
        },
        Node::Unary(op, a) => {
            let ta = tangent(ctx, a);
            if is_zero(&ta) {
                return ta;
            }
            mul_term(ta, op.partial_formula(a, e))
        }
        Node::Binary(op, a, b) => {
            let (pa, pb) = op.partial_formulas(a, b, e);
            let (ta, tb) = (tangent(ctx, a), tangent(ctx, b));
            let left = if is_zero(&ta) { ta } else { mul_term(ta, pa) };
            let right = if is_zero(&tb) { tb } else { mul_term(tb, pb) };
            left + right
        }
    }
}

/// Reverse mode over one expression: each active variable's contribution `seed · ∂e/∂u`, in order of appearance.
fn adjoints(ctx: &Ctx<'_>, e: &Expr, seed: Expr, out: &mut Vec<(String, Expr)>) {
    match e.node() {
        Node::Num(_) => {}
        Node::Var(_) => {
            if let Some(v) = is_active_var(ctx, e) {
                match out.iter_mut().find(|(n, _)| *n == v) {
                    Some((_, acc)) => *acc = acc.clone() + seed,
                    None => out.push((v, seed)),
                }
            }
        }
        Node::Unary(op, a) => {
            if mentions_active(ctx, a) {
                adjoints(ctx, a, mul_term(seed, op.partial_formula(a, e)), out)
            }
        }
        Node::Binary(op, a, b) => {
            let (pa, pb) = op.partial_formulas(a, b, e);
            if mentions_active(ctx, a) {
                adjoints(ctx, a, mul_term(seed.clone(), pa), out);
            }
            if mentions_active(ctx, b) {
                adjoints(ctx, b, mul_term(seed, pb), out);
            }
        }
    }
}

fn mentions_active(ctx: &Ctx<'_>, e: &Expr) -> bool {
    match e.node() {
        Node::Num(_) => false,
        Node::Var(_) => is_active_var(ctx, e).is_some(),
        Node::Unary(_, a) => mentions_active(ctx, a),
        Node::Binary(_, a, b) => mentions_active(ctx, a) || mentions_active(ctx, b),
    }
}

fn code(e: &Expr) -> String {
    e.to_code()
}

fn zero_or(e: Expr) -> String {
    if is_zero(&e) {
        "0.0".into()
    } else {
        code(&e)
    }
}

/// `x: ast::Stmt` as `(targets, their expressions)`, with `t op= e` read as `t = t op (e)`.
fn assignment(ctx: &Ctx<'_>, s: &ast::Stmt) -> Option<(Vec<String>, Vec<Expr>, Vec<String>)> {
    match &s.kind {
        StmtKind::Assign(targets, e) => {
            let parts: Vec<&ast::Expr> = match &e.kind {
                ExprKind::Tuple(v) if targets.len() > 1 => v.iter().collect(),
                _ => vec![e],
            };
            Some((
                targets.iter().map(|t| t.name.clone()).collect(),
                parts.iter().map(|p| sym(ctx, p)).collect(),
                parts.iter().map(|p| ctx.text(p.span).to_string()).collect(),
            ))
        }
        StmtKind::AugAssign(t, op, e) => {
            let prim = op.primitive()?;
            let rhs = sym(ctx, e);
            let expr = Expr::binary(prim, Expr::var(&t.name), rhs);
            let text = format!("{} {} ({})", t.name, op.symbol(), ctx.text(e.span));
            Some((vec![t.name.clone()], vec![expr], vec![text]))
        }
        _ => None,
    }
}

fn indent(level: usize) -> String {
    "  ".repeat(level)
}

fn signature(f: &Func) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{}={}", p.name, d.span.text(&f.src)),
            None => p.name.clone(),
        })
        .collect();
    format!("def g({}):\n", params.join(", "))
}

fn inputs(ctx: &Ctx<'_>, f: &Func) -> Vec<String> {
    f.params
        .iter()
        .filter(|p| ctx.active.contains(&p.name))
        .map(|p| p.name.clone())
        .collect()
}

// ----- forward mode -----

/// The forward-mode program: returns the tangent of the result when input number `wrt` (in the function's
/// parameter order, counting only differentiable inputs) has tangent 1 and the others 0.
pub fn forward_program(src: &str, graph: &Graph, wrt: usize) -> Result<String, Unsupported> {
    let f = func(src, graph)?;
    let ctx = analyse(&f, graph)?;
    let ins = inputs(&ctx, &f);
    let mut out = signature(&f);
    if let Some(name) = ins.get(wrt) {
        let _ = writeln!(
            out,
            "  # forward mode: tangents seeded with {} = 1",
            ctx.d(name)
        );
    }
    if !ins.is_empty() {
        let names: Vec<String> = ins.iter().map(|n| ctx.d(n)).collect();
        let seeds: Vec<&str> = (0..ins.len())
            .map(|k| if k == wrt { "1.0" } else { "0.0" })
            .collect();
        let _ = writeln!(out, "  {} = {}", names.join(", "), seeds.join(", "));
    }
    forward_block(&ctx, &f.body, 1, &mut out);
    Ok(out)
}

fn forward_block(ctx: &Ctx<'_>, stmts: &[ast::Stmt], level: usize, out: &mut String) {
    let pad = indent(level);
    for s in stmts {
        if let Some((targets, exprs, texts)) = assignment(ctx, s) {
            let mut lhs = Vec::new();
            let mut rhs = Vec::new();
            for ((t, e), text) in targets.iter().zip(&exprs).zip(&texts) {
                lhs.push(t.clone());
                rhs.push(text.clone());
                if ctx.active.contains(t) {
                    lhs.push(ctx.d(t));
                    rhs.push(zero_or(tangent(ctx, e)));
                }
            }
            let _ = writeln!(out, "{pad}{} = {}", lhs.join(", "), rhs.join(", "));
            continue;
        }
        match &s.kind {
            StmtKind::For { var, iter, body } => {
                let _ = writeln!(out, "{pad}for {} in {}:", var.name, ctx.text(iter.span));
                forward_block(ctx, body, level + 1, out);
            }
            StmtKind::Return(e) => {
                let parts: Vec<String> = match &e.kind {
                    ExprKind::Tuple(v) => v
                        .iter()
                        .map(|p| zero_or(tangent(ctx, &sym(ctx, p))))
                        .collect(),
                    _ => vec![zero_or(tangent(ctx, &sym(ctx, e)))],
                };
                let _ = writeln!(out, "{pad}return {}", parts.join(", "));
            }
            StmtKind::Expr(e) => {
                let _ = writeln!(out, "{pad}{}", ctx.text(e.span));
            }
            StmtKind::Pass => {
                let _ = writeln!(out, "{pad}pass");
            }
            StmtKind::Assign(..) | StmtKind::AugAssign(..) => {}
        }
    }
}

// ----- reverse mode -----

/// What the backward sweep must undo, mirroring the forward sweep's structure.
enum Back {
    Assign {
        targets: Vec<String>,
        exprs: Vec<Expr>,
        pushed: Vec<bool>,
        redefined: Vec<bool>,
    },
    Loop {
        var: String,
        iter: String,
        body: Vec<Back>,
        lecture_form: bool,
    },
}

struct Sweep<'a, 'c> {
    ctx: &'a Ctx<'c>,
    defined: Names,
    pushes: usize,
    out: String,
}

impl Sweep<'_, '_> {
    fn block(&mut self, stmts: &[ast::Stmt], level: usize, in_loop: bool) -> Vec<Back> {
        let pad = indent(level);
        let mut back = Vec::new();
        for s in stmts {
            if let Some((targets, exprs, texts)) = assignment(self.ctx, s) {
                let mut pushed = Vec::new();
                let mut redefined = Vec::new();
                for t in &targets {
                    let before = self.defined.contains(t);
                    if before {
                        let _ = writeln!(self.out, "{pad}memory.append({t})");
                        self.pushes += 1;
                    }
                    pushed.push(before);
                    redefined.push(before || in_loop);
                }
                let _ = writeln!(
                    self.out,
                    "{pad}{} = {}",
                    targets.join(", "),
                    texts.join(", ")
                );
                self.defined.extend(targets.iter().cloned());
                back.push(Back::Assign {
                    targets,
                    exprs,
                    pushed,
                    redefined,
                });
                continue;
            }
            match &s.kind {
                StmtKind::For { var, iter, body } => {
                    // Variables first assigned inside the loop get a value before it, so that every iteration can
                    // push the value it overwrites.
                    let mut assigned = Names::default();
                    collect_names(body, &mut assigned);
                    // In order of first assignment.
                    let fresh: Vec<String> = assigned
                        .0
                        .into_iter()
                        .filter(|n| !self.defined.contains(n) && *n != var.name)
                        .collect();
                    for n in &fresh {
                        let _ = writeln!(self.out, "{pad}{n} = 0.0");
                        self.defined.insert(n.clone());
                    }
                    self.defined.insert(var.name.clone());
                    let _ = writeln!(
                        self.out,
                        "{pad}for {} in {}:",
                        var.name,
                        self.ctx.text(iter.span)
                    );
                    let pushes_before = self.pushes;
                    let body_back = self.block(body, level + 1, true);
                    let lecture_form = !in_loop
                        && pushes_before == 0
                        && matches!(&body_back[..], [Back::Assign { targets, pushed, exprs, .. }]
                            if targets.len() == 1 && pushed[0] && !uses_var(&exprs[0], &var.name));
                    back.push(Back::Loop {
                        var: var.name.clone(),
                        iter: self.ctx.text(iter.span).to_string(),
                        body: body_back,
                        lecture_form,
                    });
                }
                StmtKind::Expr(e) => {
                    let _ = writeln!(self.out, "{pad}{}", self.ctx.text(e.span));
                }
                StmtKind::Pass
                | StmtKind::Return(_)
                | StmtKind::Assign(..)
                | StmtKind::AugAssign(..) => {}
            }
        }
        back
    }
}

fn uses_var(e: &Expr, name: &str) -> bool {
    match e.node() {
        Node::Num(_) => false,
        // An opaque piece of source, e.g. `(i // 2)`: look for the name as a whole word.
        Node::Var(v) => {
            &**v == name
                || (v.starts_with('(')
                    && v.split(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                        .any(|w| w == name))
        }
        Node::Unary(_, a) => uses_var(a, name),
        Node::Binary(_, a, b) => uses_var(a, name) || uses_var(b, name),
    }
}

/// The reverse-mode program: returns the gradient of result number `output` with respect to the inputs.
pub fn reverse_program(src: &str, graph: &Graph, output: usize) -> Result<String, Unsupported> {
    let f = func(src, graph)?;
    let ctx = analyse(&f, graph)?;
    let ins = inputs(&ctx, &f);
    let Some(StmtKind::Return(ret)) = f.body.last().map(|s| &s.kind) else {
        return Err("the function must end with `return`".into());
    };
    let results: Vec<&ast::Expr> = match &ret.kind {
        ExprKind::Tuple(v) => v.iter().collect(),
        _ => vec![ret],
    };
    let result = results.get(output).ok_or("no such output")?;

    let mut sweep = Sweep {
        ctx: &ctx,
        defined: {
            let mut d = Names::default();
            d.extend(f.params.iter().map(|p| p.name.clone()));
            d
        },
        pushes: 0,
        out: String::new(),
    };
    let back = sweep.block(&f.body[..f.body.len() - 1], 1, false);
    // The slides' `for v in memory[::-1]` reads the whole of `memory`: only right when one loop stored everything.
    let lecture_loops = back
        .iter()
        .filter(|b| {
            matches!(
                b,
                Back::Loop {
                    lecture_form: true,
                    ..
                }
            )
        })
        .count();
    let lecture_only = lecture_loops == 1
        && back.iter().all(|b| match b {
            Back::Loop { lecture_form, .. } => *lecture_form,
            Back::Assign { pushed, .. } => pushed.iter().all(|p| !p),
        });

    let mut out = signature(&f);
    let _ = writeln!(out, "  # reverse mode: forward sweep, then backward sweep");
    if sweep.pushes > 0 {
        let _ = writeln!(out, "  memory = []");
    }
    out.push_str(&sweep.out);

    // Adjoints: the chosen result's is 1, every other starts at 0.
    let mut order = Names::default();
    order.extend(ins.iter().cloned());
    let mut assigned = Names::default();
    collect_names(&f.body, &mut assigned);
    order.extend(assigned.iter().filter(|n| ctx.active.contains(n)).cloned());
    let result_sym = sym(&ctx, result);
    let seeded = is_active_var(&ctx, &result_sym);
    if let Some(v) = &seeded {
        let _ = writeln!(out, "  {} = 1.0", ctx.d(v));
    }
    let zeros: Vec<String> = order
        .iter()
        .filter(|n| Some(*n) != seeded.as_ref())
        .map(|n| ctx.d(n))
        .collect();
    if !zeros.is_empty() {
        let _ = writeln!(
            out,
            "  {} = {}",
            zeros.join(", "),
            vec!["0.0"; zeros.len()].join(", ")
        );
    }
    if seeded.is_none() {
        let mut contrib = Vec::new();
        adjoints(&ctx, &result_sym, Expr::num(1.0), &mut contrib);
        for (u, c) in contrib {
            let _ = writeln!(out, "  {} += {}", ctx.d(&u), code(&c));
        }
    }
    backward(&ctx, &back, 1, lecture_only, &mut out);
    let grads: Vec<String> = ins.iter().map(|n| ctx.d(n)).collect();
    let _ = writeln!(
        out,
        "  return {}",
        if grads.is_empty() {
            "0.0".to_string()
        } else {
            grads.join(", ")
        }
    );
    Ok(out)
}

fn backward(ctx: &Ctx<'_>, back: &[Back], level: usize, lecture_only: bool, out: &mut String) {
    let pad = indent(level);
    for b in back.iter().rev() {
        match b {
            Back::Loop {
                var,
                iter,
                body,
                lecture_form,
            } => {
                if *lecture_form && lecture_only {
                    let Back::Assign {
                        targets,
                        exprs,
                        redefined,
                        ..
                    } = &body[0]
                    else {
                        continue;
                    };
                    let _ = writeln!(out, "{pad}for {} in memory[::-1]:", targets[0]);
                    adjoint_assign(ctx, targets, exprs, &[false], redefined, level + 1, out);
                } else {
                    let _ = writeln!(out, "{pad}for {var} in reversed({iter}):");
                    let before = out.len();
                    backward(ctx, body, level + 1, false, out);
                    if out.len() == before {
                        let _ = writeln!(out, "{pad}  pass");
                    }
                }
            }
            Back::Assign {
                targets,
                exprs,
                pushed,
                redefined,
            } => adjoint_assign(ctx, targets, exprs, pushed, redefined, level, out),
        }
    }
}

/// The backward counterpart of `t1, … = e1, …`: restore what was overwritten, then push the targets' adjoints into
/// the variables the expressions read.
fn adjoint_assign(
    ctx: &Ctx<'_>,
    targets: &[String],
    exprs: &[Expr],
    pushed: &[bool],
    redefined: &[bool],
    level: usize,
    out: &mut String,
) {
    let pad = indent(level);
    for (t, &p) in targets.iter().zip(pushed).rev() {
        if p {
            let _ = writeln!(out, "{pad}{t} = memory.pop()");
        }
    }
    let active: Vec<usize> = (0..targets.len())
        .filter(|&k| ctx.active.contains(&targets[k]))
        .collect();
    if active.is_empty() {
        return;
    }
    if targets.len() == 1 {
        let t = &targets[0];
        let dt = ctx.d(t);
        let mut contrib = Vec::new();
        adjoints(ctx, &exprs[0], Expr::var(&dt), &mut contrib);
        let mut own = None;
        for (u, c) in contrib {
            if u == *t {
                own = Some(c);
            } else {
                let _ = writeln!(out, "{pad}{} += {}", ctx.d(&u), code(&c));
            }
        }
        match own {
            Some(c) => {
                let _ = writeln!(out, "{pad}{dt} = {}", code(&c));
            }
            None if redefined[0] => {
                let _ = writeln!(out, "{pad}{dt} = 0.0");
            }
            None => {}
        }
        return;
    }
    // Several targets at once: read their adjoints into temporaries, reset them, then push.
    let temps: Vec<String> = active
        .iter()
        .map(|&k| format!("_{}", ctx.d(&targets[k])))
        .collect();
    let dts: Vec<String> = active.iter().map(|&k| ctx.d(&targets[k])).collect();
    let _ = writeln!(out, "{pad}{} = {}", temps.join(", "), dts.join(", "));
    let _ = writeln!(
        out,
        "{pad}{} = {}",
        dts.join(", "),
        vec!["0.0"; dts.len()].join(", ")
    );
    for (&k, tmp) in active.iter().zip(&temps) {
        let mut contrib = Vec::new();
        adjoints(ctx, &exprs[k], Expr::var(tmp), &mut contrib);
        for (u, c) in contrib {
            let _ = writeln!(out, "{pad}{} += {}", ctx.d(&u), code(&c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::eval;
    use crate::lang::lower_source;

    const LOGISTIC: &str =
        "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

    fn run(code: &str, inputs: &[f64]) -> Vec<f64> {
        let g = lower_source(code).unwrap_or_else(|e| panic!("{}\n{code}", e.render(code)));
        let p = eval::evaluate(&g, inputs);
        eval::outputs(&g, &p)
    }

    #[test]
    fn the_lecture_programs() {
        let g = lower_source(LOGISTIC).unwrap();
        let fwd = forward_program(LOGISTIC, &g, 0).unwrap();
        assert_eq!(
            fwd,
            "def g(x, n=4):\n  # forward mode: tangents seeded with dx = 1\n  dx = 1.0\n  v, dv = x, dx\n  for i in range(n):\n    v, dv = 4 * v * (1 - v), 4 * dv * (1 - v) - 4 * dv * v\n  return dv\n"
        );
        assert_eq!(run(&fwd, &[0.25]), vec![-16.0]);
        let rev = reverse_program(LOGISTIC, &g, 0).unwrap();
        assert!(
            rev.contains("  for i in range(n):\n    memory.append(v)\n    v = 4 * v * (1 - v)\n"),
            "{rev}"
        );
        assert!(
            rev.contains("  for v in memory[::-1]:\n    dv = 4 * dv * (1 - v) - 4 * dv * v\n"),
            "{rev}"
        );
        assert_eq!(run(&rev, &[0.25]), vec![-16.0]);
    }

    #[test]
    fn plain_expressions_become_wengert_lists() {
        let g = lower_source("y * x**2").unwrap();
        assert_eq!(
            wengert(&g),
            "def f(y, x):\n  v1 = x**2\n  v2 = y * v1\n  return v2\n"
        );
        let fwd = forward_program("y * x**2", &g, 1).unwrap();
        assert!(fwd.contains("v1, dv1 = x**2, 2 * dx * x"), "{fwd}");
        assert_eq!(run(&fwd, &[1.0, 1.0]), vec![2.0]);
        let rev = reverse_program("y * x**2", &g, 0).unwrap();
        assert_eq!(run(&rev, &[1.0, 1.0]), vec![1.0, 2.0]);
        assert!(
            !rev.contains("memory"),
            "no value is overwritten, so nothing is stored:\n{rev}"
        );
    }

    #[test]
    fn overwrites_inside_and_outside_loops_are_restored() {
        let src = "def f(x, y, n=3):\n  a = x * y\n  for i in range(n):\n    w = tanh(a) * i\n    a = a * w + y\n  a += x\n  b, a = a * 2, sin(a)\n  return a * b\n";
        let g = lower_source(src).unwrap();
        for &(x, y) in &[(0.3, 0.7), (-1.2, 0.4)] {
            let p = eval::evaluate(&g, &[x, y]);
            let grad = eval::value_and_grad(&g, &[x, y]).1;
            let rev = reverse_program(src, &g, 0).unwrap();
            let got = run(&rev, &[x, y]);
            for (a, b) in got.iter().zip(&grad) {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    "{rev}\n{got:?} vs {grad:?}"
                );
            }
            for wrt in 0..2 {
                let fwd = forward_program(src, &g, wrt).unwrap();
                let mut seed = [0.0, 0.0];
                seed[wrt] = 1.0;
                let t = eval::jvp(&g, &p, &seed)[g.outputs[0].index()];
                let got = run(&fwd, &[x, y])[0];
                assert!(
                    (got - t).abs() <= 1e-12 * t.abs().max(1.0),
                    "{fwd}\n{got} vs {t}"
                );
            }
        }
    }

    /// Which parameters are inputs is the lowering's decision (`p=2**-1` is the float 0.5, an input; `n=-3` is an
    /// integer); the generated code must agree with it.
    #[test]
    fn parameters_are_inputs_exactly_when_the_graph_says_so() {
        let src = "def f(x, p=2**-1, n=-3):\n  v = x * p\n  for i in range(-n):\n    v = v * p\n  return v\n";
        let g = lower_source(src).unwrap();
        assert_eq!(g.inputs.len(), 2);
        let (x, p) = (0.3, 0.5);
        let grad = eval::value_and_grad(&g, &[x, p]).1;
        assert_eq!(run(&reverse_program(src, &g, 0).unwrap(), &[x, p]), grad);
        for wrt in 0..2 {
            let got = run(&forward_program(src, &g, wrt).unwrap(), &[x, p])[0];
            assert!((got - grad[wrt]).abs() <= 1e-12, "{got} vs {}", grad[wrt]);
        }
    }

    #[test]
    fn unsupported_programs_say_why() {
        let src = "def f(x):\n  m = [x]\n  return m[0]\n";
        let g = lower_source(src).unwrap();
        assert!(forward_program(src, &g, 0).unwrap_err().contains("lists"));
    }
}
