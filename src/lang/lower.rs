//! From syntax to graph: runs the program symbolically, unrolling `for` loops, folding integer and constant
//! arithmetic, and recording every operation on an input-dependent value as a graph node.
//!
//! Loop counts, the number of statements run and the size of the graph are bounded ([`Limits`]); hitting a bound is an
//! error that says which loop, not a hang.
//!
//! ```
//! let g = ad_lab::lang::lower_source("def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v").unwrap();
//! assert_eq!(g.intermediates(), 12); // three operations per step, four steps
//! ```

use super::graph::{Arg, Graph, Input, Node, NodeId, Note, Op};
use super::parser::parse;
use super::syntax::*;
use crate::base::num::fmt_count;
use crate::base::op::Unary;
use crate::base::source::{Error, Result, Span};

/// Bounds on what a program may make us do.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Operations in the unrolled graph.
    pub max_nodes: usize,
    /// Statements executed while unrolling (catches long loops that build nothing).
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_nodes: 1_000_000,
            max_steps: 10_000_000,
        }
    }
}

/// Parses and lowers with the default limits.
pub fn lower_source(src: &str) -> Result<Graph> {
    lower_source_with(src, &Limits::default())
}

pub fn lower_source_with(src: &str, limits: &Limits) -> Result<Graph> {
    let program = parse(src)?;
    lower(&program, limits)
}

/// A value while the program runs: numbers known now, graph nodes, and the containers the language allows.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(i64),
    Float(f64),
    Node(NodeId),
    Tuple(Vec<Val>),
    List(Vec<Val>),
    Range(i64, i64, i64),
    None,
}

impl Val {
    fn kind(&self) -> &'static str {
        match self {
            Val::Int(_) => "an integer",
            Val::Float(_) => "a number",
            Val::Node(_) => "a value that depends on the inputs",
            Val::Tuple(_) => "a tuple",
            Val::List(_) => "a list",
            Val::Range(..) => "a range",
            Val::None => "nothing (None)",
        }
    }

    fn as_arg(&self) -> Option<Arg> {
        match *self {
            Val::Int(i) => Some(Arg::Const(i as f64)),
            Val::Float(x) => Some(Arg::Const(x)),
            Val::Node(n) => Some(Arg::Node(n)),
            _ => None,
        }
    }
}

/// Variables in scope. Programs have a handful, so a vector searched linearly is as fast as a hash map, and
/// smaller in the shipped code.
#[derive(Default)]
struct Env(Vec<(String, Val)>);

impl Env {
    fn get(&self, name: &str) -> Option<&Val> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn insert(&mut self, name: String, v: Val) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = v,
            None => self.0.push((name, v)),
        }
    }
}

/// Module prefixes accepted before a function name (`np.sin`, `math.log`).
pub(crate) const MODULES: &[&str] = &["np", "numpy", "math", "jnp", "anp", "onp"];
const BUILTINS: &[&str] = &["range", "len", "reversed", "float", "int", "list", "pi"];

struct Lowerer<'a> {
    limits: &'a Limits,
    graph: Graph,
    env: Env,
    steps: u64,
    /// Loops being unrolled: (span of the `for`, repetitions, current repetition).
    loops: Vec<(Span, u64, u64)>,
    is_def: bool,
    /// Values for integer parameters, replacing their defaults (`n` of `def f(x, n=4)`).
    overrides: &'a [(String, i64)],
}

pub fn lower(program: &Program, limits: &Limits) -> Result<Graph> {
    lower_with(program, limits, &[])
}

/// Lowers with some integer parameters set to other values than their defaults.
pub fn lower_with(
    program: &Program,
    limits: &Limits,
    overrides: &[(String, i64)],
) -> Result<Graph> {
    let mut l = Lowerer {
        overrides,
        limits,
        graph: Graph::default(),
        env: Env::default(),
        steps: 0,
        loops: Vec::new(),
        is_def: false,
    };
    let (result, span) = match program {
        Program::Def {
            params, body, span, ..
        } => {
            l.is_def = true;
            for p in params {
                l.param(p)?;
            }
            match l.block(body)? {
                Flow::Return(v, s) => (v, s),
                Flow::Next => {
                    return Err(Error::new(
                        Span::new(span.start as usize, span.start as usize + 3),
                        "the function never returns a value: end it with `return …`",
                    ))
                }
            }
        }
        Program::Script(stmts) => {
            for name in free_names(stmts) {
                l.new_input(name, None, Span::default());
            }
            l.script(stmts)?
        }
    };
    l.set_outputs(result, span)?;
    Ok(prune(l.graph))
}

enum Flow {
    Next,
    Return(Val, Span),
}

impl Lowerer<'_> {
    fn new_input(&mut self, name: String, default: Option<f64>, span: Span) {
        let id = NodeId(self.graph.nodes.len() as u32);
        let index = self.graph.inputs.len() as u32;
        self.graph.nodes.push(Node {
            op: Op::Input(index),
            span,
        });
        self.graph.inputs.push(Input {
            name: name.clone(),
            node: id,
            default,
        });
        self.env.insert(name, Val::Node(id));
    }

    fn param(&mut self, p: &Param) -> Result<()> {
        match &p.default {
            None => self.new_input(p.name.clone(), None, p.span),
            Some(d) => match self.expr(d)? {
                Val::Int(i) => {
                    let i = self
                        .overrides
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map_or(i, |o| o.1);
                    self.graph.int_params.push((p.name.clone(), i));
                    self.env.insert(p.name.clone(), Val::Int(i));
                }
                Val::Float(x) => self.new_input(p.name.clone(), Some(x), p.span),
                other => {
                    return Err(Error::new(
                        d.span,
                        format!("a default must be a number, not {}", other.kind()),
                    ))
                }
            },
        }
        Ok(())
    }

    fn push(&mut self, op: Op, span: Span) -> Result<NodeId> {
        if self.graph.nodes.len() >= self.limits.max_nodes {
            let mut msg = format!(
                "the unrolled graph would have more than {} operations, the most AD Lab builds",
                fmt_count(self.limits.max_nodes as u64)
            );
            if let Some(&(_, total, done)) = self.loops.first() {
                msg.push_str(&format!(
                    "; the loop here had run {} of its {} repetitions",
                    fmt_count(done),
                    fmt_count(total)
                ));
            }
            let at = self.loops.first().map_or(span, |l| l.0);
            return Err(Error::new(at, msg));
        }
        let id = NodeId(self.graph.nodes.len() as u32);
        self.graph.nodes.push(Node { op, span });
        Ok(id)
    }

    fn step(&mut self, span: Span) -> Result<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            let at = self.loops.first().map_or(span, |l| l.0);
            return Err(Error::new(
                at,
                format!(
                    "the program runs more than {} statements, the most AD Lab unrolls",
                    fmt_count(self.limits.max_steps)
                ),
            ));
        }
        Ok(())
    }

    fn note(&mut self, span: Span, message: String) {
        if self.graph.notes.len() < 20 && !self.graph.notes.iter().any(|n| n.span == span) {
            self.graph.notes.push(Note { span, message });
        }
    }

    fn script(&mut self, stmts: &[Stmt]) -> Result<(Val, Span)> {
        let Some((last, init)) = stmts.split_last() else {
            return Err(Error::new(Span::default(), "the program is empty"));
        };
        if let Flow::Return(v, s) = self.block(init)? {
            return Ok((v, s));
        }
        self.step(last.span)?;
        match &last.kind {
            StmtKind::Expr(e) => Ok((self.expr(e)?, e.span)),
            StmtKind::Assign(targets, value) => {
                self.exec(last)?;
                let last_target = &targets[targets.len() - 1];
                Ok((
                    self.env
                        .get(&last_target.name)
                        .cloned()
                        .unwrap_or(Val::None),
                    value.span,
                ))
            }
            StmtKind::AugAssign(target, ..) => {
                self.exec(last)?;
                Ok((
                    self.env.get(&target.name).cloned().unwrap_or(Val::None),
                    last.span,
                ))
            }
            StmtKind::Return(e) => Ok((self.expr(e)?, e.span)),
            StmtKind::For { .. } | StmtKind::Pass => Err(Error::new(
                last.span,
                "the program must end with the value to differentiate, e.g. a last line `v`",
            )),
        }
    }

    fn block(&mut self, stmts: &[Stmt]) -> Result<Flow> {
        for s in stmts {
            self.step(s.span)?;
            if let Flow::Return(v, span) = self.exec(s)? {
                return Ok(Flow::Return(v, span));
            }
        }
        Ok(Flow::Next)
    }

    fn exec(&mut self, s: &Stmt) -> Result<Flow> {
        match &s.kind {
            StmtKind::Assign(targets, value) => {
                let v = self.expr(value)?;
                if targets.len() == 1 {
                    self.bind(&targets[0], v)?;
                } else {
                    let items = match v {
                        Val::Tuple(items) | Val::List(items) => items,
                        other => {
                            return Err(Error::new(
                                value.span,
                                format!(
                                    "{} names on the left but {} on the right",
                                    targets.len(),
                                    other.kind()
                                ),
                            ))
                        }
                    };
                    if items.len() != targets.len() {
                        return Err(Error::new(
                            value.span,
                            format!(
                                "{} names on the left but {} values on the right",
                                targets.len(),
                                items.len()
                            ),
                        ));
                    }
                    for (t, v) in targets.iter().zip(items) {
                        self.bind(t, v)?;
                    }
                }
            }
            StmtKind::AugAssign(target, op, value) => {
                let current = self.lookup(&target.name, target.span)?;
                let rhs = self.expr(value)?;
                let v = self.binop(*op, current, rhs, s.span)?;
                self.bind(target, v)?;
            }
            StmtKind::For { var, iter, body } => return self.for_loop(var, iter, body, s.span),
            StmtKind::Return(e) => return Ok(Flow::Return(self.expr(e)?, e.span)),
            StmtKind::Expr(e) => {
                self.expr(e)?;
            }
            StmtKind::Pass => {}
        }
        Ok(Flow::Next)
    }

    fn bind(&mut self, t: &Target, v: Val) -> Result<()> {
        if MODULES.contains(&t.name.as_str()) || Unary::from_name(&t.name).is_some() {
            return Err(Error::new(
                t.span,
                format!("`{}` names a function here; choose another name", t.name),
            ));
        }
        self.env.insert(t.name.clone(), v);
        Ok(())
    }

    fn for_loop(&mut self, var: &Target, iter: &Expr, body: &[Stmt], span: Span) -> Result<Flow> {
        let items = self.expr(iter)?;
        let count = match &items {
            Val::Range(start, stop, step) => range_len(*start, *stop, *step),
            Val::List(v) | Val::Tuple(v) => v.len() as u64,
            other => {
                return Err(Error::new(
                    iter.span,
                    format!(
                        "a `for` loop here runs over `range(…)` or a list, not {}",
                        other.kind()
                    ),
                ))
            }
        };
        if count.saturating_mul(body.len() as u64) > self.limits.max_steps {
            return Err(Error::new(
                iter.span,
                format!(
                    "this loop would repeat {} times, more than the {} steps AD Lab unrolls",
                    fmt_count(count),
                    fmt_count(self.limits.max_steps)
                ),
            ));
        }
        self.loops.push((span, count, 0));
        for k in 0..count {
            if let Some(l) = self.loops.last_mut() {
                l.2 = k;
            }
            let item = match &items {
                Val::Range(start, _, step) => Val::Int(start + step * k as i64),
                Val::List(v) | Val::Tuple(v) => v[k as usize].clone(),
                _ => Val::None,
            };
            self.bind(var, item)?;
            if let Flow::Return(v, s) = self.block(body)? {
                self.loops.pop();
                return Ok(Flow::Return(v, s));
            }
        }
        self.loops.pop();
        Ok(Flow::Next)
    }

    fn lookup(&self, name: &str, span: Span) -> Result<Val> {
        if let Some(v) = self.env.get(name) {
            return Ok(v.clone());
        }
        if name == "pi" {
            return Ok(Val::Float(std::f64::consts::PI));
        }
        if Unary::from_name(name).is_some() || BUILTINS.contains(&name) {
            return Err(Error::new(
                span,
                format!("`{name}` is a function: call it, e.g. `{name}(x)`"),
            ));
        }
        if MODULES.contains(&name) {
            return Err(Error::new(
                span,
                format!("`{name}` is a module: use one of its functions, e.g. `{name}.log(x)`"),
            ));
        }
        let hint = if self.is_def {
            " (it is neither a parameter nor assigned before this line)"
        } else {
            ""
        };
        Err(Error::new(span, format!("unknown name `{name}`{hint}")))
    }

    fn expr(&mut self, e: &Expr) -> Result<Val> {
        match &e.kind {
            ExprKind::Int(i) => Ok(Val::Int(*i)),
            ExprKind::Float(x) => Ok(Val::Float(*x)),
            ExprKind::Name(n) => self.lookup(n, e.span),
            ExprKind::Attr(base, attr) => match &base.kind {
                ExprKind::Name(m) if MODULES.contains(&m.as_str()) => match attr.as_str() {
                    "pi" => Ok(Val::Float(std::f64::consts::PI)),
                    "e" => Ok(Val::Float(std::f64::consts::E)),
                    _ if Unary::from_name(attr).is_some() => Err(Error::new(
                        e.span,
                        format!("`{m}.{attr}` is a function: call it, e.g. `{m}.{attr}(x)`"),
                    )),
                    _ => Err(Error::new(e.span, format!("`{m}.{attr}` is not available"))),
                },
                _ => Err(Error::new(
                    e.span,
                    format!("`.{attr}` is not available here"),
                )),
            },
            ExprKind::Unary(op, a) => {
                let v = self.expr(a)?;
                match op {
                    UnOp::Pos => match v {
                        Val::Int(_) | Val::Float(_) | Val::Node(_) => Ok(v),
                        other => Err(Error::new(
                            e.span,
                            format!("cannot apply `+` to {}", other.kind()),
                        )),
                    },
                    UnOp::Neg => self.unary(Unary::Neg, v, e.span),
                }
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                self.binop(*op, a, b, e.span)
            }
            ExprKind::Call(callee, args) => self.call(callee, args, e.span),
            ExprKind::Tuple(items) => Ok(Val::Tuple(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            )),
            ExprKind::List(items) => Ok(Val::List(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            )),
            ExprKind::Index(base, index) => {
                let items = self.sequence(base)?;
                let i = self.int(index, "an index")?;
                let n = items.len() as i64;
                let k = if i < 0 { i + n } else { i };
                if !(0..n).contains(&k) {
                    return Err(Error::new(
                        index.span,
                        format!("index {i} is out of range for a list of {n}"),
                    ));
                }
                Ok(items[k as usize].clone())
            }
            ExprKind::Slice(base, parts) => {
                let items = self.sequence(base)?;
                let mut p = [None, None, None];
                for (slot, part) in p.iter_mut().zip(parts) {
                    if let Some(x) = part {
                        *slot = Some(self.int(x, "a slice bound")?);
                    }
                }
                let step = p[2].unwrap_or(1);
                if step == 0 {
                    return Err(Error::new(e.span, "a slice step cannot be zero"));
                }
                Ok(Val::List(slice(&items, p[0], p[1], step)))
            }
        }
    }

    fn sequence(&mut self, e: &Expr) -> Result<Vec<Val>> {
        match self.expr(e)? {
            Val::List(v) | Val::Tuple(v) => Ok(v),
            Val::Range(a, b, s) => {
                let n = range_len(a, b, s);
                if n > self.limits.max_nodes as u64 {
                    return Err(Error::new(
                        e.span,
                        "this range is too long to make into a list",
                    ));
                }
                Ok((0..n).map(|k| Val::Int(a + s * k as i64)).collect())
            }
            other => Err(Error::new(
                e.span,
                format!("expected a list, found {}", other.kind()),
            )),
        }
    }

    fn int(&mut self, e: &Expr, what: &str) -> Result<i64> {
        match self.expr(e)? {
            Val::Int(i) => Ok(i),
            Val::Node(_) => Err(Error::new(
                e.span,
                format!("{what} must be a whole number known before the run, but this depends on the inputs"),
            )),
            other => Err(Error::new(e.span, format!("{what} must be a whole number (an int), not {}", other.kind()))),
        }
    }

    fn call(&mut self, callee: &Expr, args: &[Expr], span: Span) -> Result<Val> {
        let (module, name) = match &callee.kind {
            ExprKind::Name(n) => (None, n.as_str()),
            ExprKind::Attr(base, attr) => match &base.kind {
                ExprKind::Name(m) if MODULES.contains(&m.as_str()) => {
                    (Some(m.as_str()), attr.as_str())
                }
                ExprKind::Name(list) if matches!(attr.as_str(), "append" | "pop") => {
                    return self.list_method(list, base.span, attr, args, span)
                }
                _ => {
                    return Err(Error::new(
                        callee.span,
                        "only functions such as `log` or `np.exp` can be called",
                    ))
                }
            },
            _ => {
                return Err(Error::new(
                    callee.span,
                    "only functions such as `log` or `np.exp` can be called",
                ))
            }
        };
        let arity = |n: usize| -> Result<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(Error::new(
                    span,
                    format!(
                        "`{name}` takes {n} argument{}, got {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                ))
            }
        };
        if let Some(op) = Unary::from_name(name) {
            arity(1)?;
            let v = self.expr(&args[0])?;
            return self.unary(op, v, span);
        }
        if module.is_none() {
            match name {
                "range" => {
                    if args.is_empty() || args.len() > 3 {
                        return Err(Error::new(span, "`range` takes 1 to 3 whole numbers"));
                    }
                    let mut v = Vec::new();
                    for a in args {
                        v.push(self.int(a, "an argument of `range`")?);
                    }
                    let (start, stop, step) = match v[..] {
                        [stop] => (0, stop, 1),
                        [start, stop] => (start, stop, 1),
                        [start, stop, step] => (start, stop, step),
                        _ => unreachable_range(),
                    };
                    if step == 0 {
                        return Err(Error::new(span, "the step of `range` cannot be zero"));
                    }
                    return Ok(Val::Range(start, stop, step));
                }
                "len" => {
                    arity(1)?;
                    return Ok(Val::Int(self.sequence(&args[0])?.len() as i64));
                }
                "reversed" => {
                    arity(1)?;
                    let mut v = self.sequence(&args[0])?;
                    v.reverse();
                    return Ok(Val::List(v));
                }
                "list" => {
                    arity(1)?;
                    return Ok(Val::List(self.sequence(&args[0])?));
                }
                "float" => {
                    arity(1)?;
                    return match self.expr(&args[0])? {
                        Val::Int(i) => Ok(Val::Float(i as f64)),
                        v @ (Val::Float(_) | Val::Node(_)) => Ok(v),
                        other => Err(Error::new(span, format!("`float` of {}", other.kind()))),
                    };
                }
                "int" => {
                    arity(1)?;
                    return match self.expr(&args[0])? {
                        Val::Int(i) => Ok(Val::Int(i)),
                        Val::Float(x) if x.is_finite() && x.abs() < 9.2e18 => {
                            Ok(Val::Int(x.trunc() as i64))
                        }
                        other => Err(Error::new(
                            span,
                            format!(
                                "`int` needs a number known before the run, not {}",
                                other.kind()
                            ),
                        )),
                    };
                }
                _ => {}
            }
        }
        let full = module.map_or(name.to_string(), |m| format!("{m}.{name}"));
        Err(Error::new(
            callee.span,
            format!("unknown function `{full}`; available: log, exp, sin, cos, tan, tanh, sqrt (also as np.… or math.…)"),
        ))
    }

    fn list_method(
        &mut self,
        list: &str,
        list_span: Span,
        method: &str,
        args: &[Expr],
        span: Span,
    ) -> Result<Val> {
        let current = self.lookup(list, list_span)?;
        let Val::List(mut items) = current else {
            return Err(Error::new(
                list_span,
                format!("`{list}` is {}, not a list", current.kind()),
            ));
        };
        let out = if method == "append" {
            if args.len() != 1 {
                return Err(Error::new(span, "`append` takes one value"));
            }
            let v = self.expr(&args[0])?;
            if items.len() >= self.limits.max_nodes {
                return Err(Error::new(span, "this list grows beyond the size limit"));
            }
            items.push(v);
            Val::None
        } else {
            if !args.is_empty() {
                return Err(Error::new(span, "`pop` takes no argument here"));
            }
            items
                .pop()
                .ok_or_else(|| Error::new(span, format!("`{list}` is empty: nothing to pop")))?
        };
        self.env.insert(list.to_string(), Val::List(items));
        Ok(out)
    }

    fn unary(&mut self, op: Unary, v: Val, span: Span) -> Result<Val> {
        match v {
            Val::Node(n) => Ok(Val::Node(self.push(Op::Unary(op, n), span)?)),
            Val::Int(i) if op == Unary::Neg => i
                .checked_neg()
                .map(Val::Int)
                .ok_or_else(|| Error::new(span, "integer overflow")),
            Val::Int(_) | Val::Float(_) => {
                let x = match v {
                    Val::Int(i) => i as f64,
                    Val::Float(x) => x,
                    _ => 0.0,
                };
                let y = op.apply(x);
                if x.is_finite() && !y.is_finite() {
                    self.note(
                        span,
                        format!(
                            "gives {}: {}",
                            crate::base::num::fmt_full(y),
                            op.domain_note(x)
                        ),
                    );
                }
                Ok(Val::Float(y))
            }
            other => Err(Error::new(
                span,
                format!("cannot apply `{}` to {}", op.name(), other.kind()),
            )),
        }
    }

    fn binop(&mut self, op: BinOp, a: Val, b: Val, span: Span) -> Result<Val> {
        let (Some(x), Some(y)) = (a.as_arg(), b.as_arg()) else {
            let bad = if a.as_arg().is_none() { &a } else { &b };
            return Err(Error::new(
                span,
                format!("`{}` cannot be applied to {}", op.symbol(), bad.kind()),
            ));
        };
        if let (Val::Int(i), Val::Int(j)) = (&a, &b) {
            if let Some(v) = int_op(op, *i, *j, span)? {
                return Ok(v);
            }
        }
        let Some(prim) = op.primitive() else {
            return match (x, y) {
                (Arg::Const(x), Arg::Const(y)) => Ok(Val::Float(if op == BinOp::Mod {
                    x - y * (x / y).floor()
                } else {
                    (x / y).floor()
                })),
                _ => Err(Error::new(
                    span,
                    format!("`{}` is not differentiable, so it only works on numbers known before the run", op.symbol()),
                )),
            };
        };
        match (x, y) {
            (Arg::Const(x), Arg::Const(y)) => {
                let v = prim.apply(x, y);
                if x.is_finite() && y.is_finite() && !v.is_finite() {
                    self.note(
                        span,
                        format!(
                            "gives {}: {}",
                            crate::base::num::fmt_full(v),
                            prim.domain_note(x, y)
                        ),
                    );
                }
                Ok(Val::Float(v))
            }
            _ => Ok(Val::Node(self.push(Op::Binary(prim, x, y), span)?)),
        }
    }

    fn set_outputs(&mut self, v: Val, span: Span) -> Result<()> {
        let items = match v {
            Val::Tuple(items) | Val::List(items) => {
                if items.is_empty() {
                    return Err(Error::new(
                        span,
                        "the result is empty: return at least one value",
                    ));
                }
                items
            }
            other => vec![other],
        };
        for item in items {
            let id = match item {
                Val::Node(n) => n,
                Val::Int(i) => self.push(Op::Const(i as f64), span)?,
                Val::Float(x) => self.push(Op::Const(x), span)?,
                other => {
                    return Err(Error::new(
                        span,
                        format!("the result must be numbers, not {}", other.kind()),
                    ));
                }
            };
            self.graph.outputs.push(id);
        }
        Ok(())
    }
}

fn unreachable_range() -> (i64, i64, i64) {
    (0, 0, 1)
}

/// Integer arithmetic as Python does it; `None` when the result is a float (true division, negative powers).
fn int_op(op: BinOp, i: i64, j: i64, span: Span) -> Result<Option<Val>> {
    let overflow = || Error::new(span, "integer overflow: the result does not fit in 64 bits");
    Ok(Some(Val::Int(match op {
        BinOp::Add => i.checked_add(j).ok_or_else(overflow)?,
        BinOp::Sub => i.checked_sub(j).ok_or_else(overflow)?,
        BinOp::Mul => i.checked_mul(j).ok_or_else(overflow)?,
        BinOp::Pow if j >= 0 => {
            let j = u32::try_from(j).map_err(|_| overflow())?;
            i.checked_pow(j).ok_or_else(overflow)?
        }
        BinOp::FloorDiv | BinOp::Mod if j == 0 => {
            return Err(Error::new(span, "integer division by zero"))
        }
        BinOp::FloorDiv => {
            let q = i.checked_div(j).ok_or_else(overflow)?;
            if (i % j != 0) && ((i < 0) != (j < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod => {
            let r = i.checked_rem(j).ok_or_else(overflow)?;
            if r != 0 && ((r < 0) != (j < 0)) {
                r + j
            } else {
                r
            }
        }
        BinOp::Div | BinOp::Pow => return Ok(None),
    })))
}

fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    if step > 0 && stop > start {
        ((stop as i128 - start as i128 + step as i128 - 1) / step as i128) as u64
    } else if step < 0 && stop < start {
        ((start as i128 - stop as i128 - step as i128 - 1) / (-step as i128)) as u64
    } else {
        0
    }
}

/// Python's `items[start:stop:step]`.
fn slice(items: &[Val], start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<Val> {
    let n = items.len() as i64;
    let clamp = |i: i64, lo: i64, hi: i64| if i < 0 { (i + n).max(lo) } else { i.min(hi) };
    let mut out = Vec::new();
    if step > 0 {
        let (mut i, end) = (
            start.map_or(0, |s| clamp(s, 0, n)),
            stop.map_or(n, |s| clamp(s, 0, n)),
        );
        while i < end {
            out.push(items[i as usize].clone());
            i += step;
        }
    } else {
        let (mut i, end) = (
            start.map_or(n - 1, |s| clamp(s, -1, n - 1)),
            stop.map_or(-1, |s| clamp(s, -1, n - 1)),
        );
        while i > end {
            out.push(items[i as usize].clone());
            i += step;
        }
    }
    out
}

/// Names read before they are assigned, in order of first appearance: the inputs of a plain expression or script.
fn free_names(stmts: &[Stmt]) -> Vec<String> {
    fn expr(e: &Expr, assigned: &mut Vec<String>, free: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Float(_) => {}
            ExprKind::Name(n) => {
                let known = assigned.contains(n)
                    || free.contains(n)
                    || MODULES.contains(&n.as_str())
                    || BUILTINS.contains(&n.as_str())
                    || Unary::from_name(n).is_some();
                if !known {
                    free.push(n.clone());
                }
            }
            ExprKind::Attr(base, _) => expr(base, assigned, free),
            ExprKind::Unary(_, a) => expr(a, assigned, free),
            ExprKind::Binary(_, a, b) => {
                expr(a, assigned, free);
                expr(b, assigned, free);
            }
            ExprKind::Call(callee, args) => {
                if let ExprKind::Attr(base, _) = &callee.kind {
                    expr(base, assigned, free);
                }
                for a in args {
                    expr(a, assigned, free);
                }
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| expr(i, assigned, free))
            }
            ExprKind::Index(a, b) => {
                expr(a, assigned, free);
                expr(b, assigned, free);
            }
            ExprKind::Slice(a, parts) => {
                expr(a, assigned, free);
                parts.iter().flatten().for_each(|p| expr(p, assigned, free));
            }
        }
    }
    fn block(stmts: &[Stmt], assigned: &mut Vec<String>, free: &mut Vec<String>) {
        for s in stmts {
            match &s.kind {
                StmtKind::Assign(targets, value) => {
                    expr(value, assigned, free);
                    assigned.extend(targets.iter().map(|t| t.name.clone()));
                }
                StmtKind::AugAssign(t, _, value) => {
                    expr(
                        &Expr {
                            kind: ExprKind::Name(t.name.clone()),
                            span: t.span,
                        },
                        assigned,
                        free,
                    );
                    expr(value, assigned, free);
                    assigned.push(t.name.clone());
                }
                StmtKind::For { var, iter, body } => {
                    expr(iter, assigned, free);
                    assigned.push(var.name.clone());
                    block(body, assigned, free);
                }
                StmtKind::Return(e) | StmtKind::Expr(e) => expr(e, assigned, free),
                StmtKind::Pass => {}
            }
        }
    }
    let (mut assigned, mut free) = (Vec::new(), Vec::new());
    block(stmts, &mut assigned, &mut free);
    free
}

/// Drops operations the outputs do not depend on (inputs always stay), renumbering the rest in order.
fn prune(g: Graph) -> Graph {
    let mut live = vec![false; g.nodes.len()];
    for o in &g.outputs {
        live[o.index()] = true;
    }
    for i in (0..g.nodes.len()).rev() {
        if live[i] {
            for p in g.nodes[i].op.parents() {
                live[p.index()] = true;
            }
        }
    }
    for input in &g.inputs {
        live[input.node.index()] = true;
    }
    if live.iter().all(|&l| l) {
        return g;
    }
    let mut remap = vec![NodeId(u32::MAX); g.nodes.len()];
    let mut nodes = Vec::with_capacity(g.nodes.len());
    let map = |a: Arg, remap: &[NodeId]| match a {
        Arg::Node(n) => Arg::Node(remap[n.index()]),
        c => c,
    };
    for (i, node) in g.nodes.into_iter().enumerate() {
        if !live[i] {
            continue;
        }
        remap[i] = NodeId(nodes.len() as u32);
        let op = match node.op {
            Op::Unary(u, a) => Op::Unary(u, remap[a.index()]),
            Op::Binary(b, x, y) => Op::Binary(b, map(x, &remap), map(y, &remap)),
            op @ (Op::Input(_) | Op::Const(_)) => op,
        };
        nodes.push(Node {
            op,
            span: node.span,
        });
    }
    let inputs = g
        .inputs
        .into_iter()
        .map(|i| Input {
            node: remap[i.node.index()],
            ..i
        })
        .collect();
    let outputs = g.outputs.iter().map(|o| remap[o.index()]).collect();
    Graph {
        nodes,
        inputs,
        outputs,
        notes: g.notes,
        int_params: g.int_params,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const LOGISTIC: &str =
        "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

    #[test]
    fn logistic_unrolls_three_operations_per_step() {
        let g = lower_source(LOGISTIC).unwrap();
        assert_eq!(g.inputs.len(), 1);
        assert_eq!(g.inputs[0].name, "x");
        assert_eq!(g.intermediates(), 12);
        assert_eq!(g.expr_text(NodeId(1)), "4 * x");
        assert_eq!(g.expr_text(NodeId(2)), "1 - x");
        assert_eq!(g.expr_text(NodeId(3)), "v1 * v2");
        assert_eq!(g.outputs, vec![NodeId(12)]);
    }

    #[test]
    fn free_names_are_inputs_in_order_of_appearance() {
        let g = lower_source("y * x**2").unwrap();
        let names: Vec<_> = g.inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["y", "x"]);
        let g = lower_source("s = s + x\nfor i in range(3):\n  s = s * w\ns").unwrap();
        let names: Vec<_> = g.inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["s", "x", "w"]);
        let g = lower_source("np.log(1 + x**2) / x + pi").unwrap();
        assert_eq!(g.inputs.len(), 1);
    }

    #[test]
    fn defaults_and_tuples() {
        let g =
            lower_source("def f(x, y=0.5, n=2):\n  a, b = x * y, x + n\n  return a, b").unwrap();
        assert_eq!(g.inputs.len(), 2);
        assert_eq!(g.inputs[1].default, Some(0.5));
        assert_eq!(g.outputs.len(), 2);
    }

    #[test]
    fn tuple_assignment_reads_old_values() {
        // The lecture's forward-mode program: v and dv update together.
        let src = "def g(x, n=4):\n  v, dv = x, 1.\n  for i in range(n):\n    v, dv = 4 * v * (1 - v), 4 * dv * (1 - v) - 4 * v * dv\n  return dv\n";
        let g = lower_source(src).unwrap();
        let out = crate::ad::eval::evaluate(&g, &[0.25]);
        assert_eq!(out[g.outputs[0].index()], -16.0);
    }

    #[test]
    fn dead_code_is_pruned() {
        let g = lower_source("def f(x, y):\n  a = x * 3\n  b = sin(a)\n  return x * x").unwrap();
        assert_eq!(g.intermediates(), 1);
        assert_eq!(g.inputs.len(), 2);
    }

    #[test]
    fn lists_slices_and_memory() {
        let src = "def f(x):\n  memory = []\n  v = x\n  for i in range(3):\n    memory.append(v)\n    v = v * 2\n  s = 0\n  for m in memory[::-1]:\n    s = s + m\n  return s + len(memory) + memory[-1]";
        let g = lower_source(src).unwrap();
        let out = crate::ad::eval::evaluate(&g, &[1.0]);
        assert_eq!(out[g.outputs[0].index()], 1.0 + 2.0 + 4.0 + 3.0 + 4.0);
    }

    #[test]
    fn errors_name_the_problem_and_place() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("def f(x):\n  return x + z", 2, 14, "unknown name `z`"),
            (
                "def f(x):\n  for i in range(10**9):\n    x = x * 2\n  return x",
                2,
                12,
                "1,000,000,000 times",
            ),
            (
                "def f(x):\n  for i in range(x):\n    x = x * 2\n  return x",
                2,
                18,
                "depends on the inputs",
            ),
            (
                "def f(x):\n  for i in range(2.5):\n    x = x * 2\n  return x",
                2,
                18,
                "whole number",
            ),
            ("foo(x)", 1, 1, "unknown function `foo`"),
            ("np.foo(x)", 1, 1, "unknown function `np.foo`"),
            ("log(x, 2)", 1, 1, "takes 1 argument"),
            ("def f(x):\n  v = x", 1, 1, "never returns"),
            ("x // 2", 1, 1, "not differentiable"),
            ("2**100 * x", 1, 1, "integer overflow"),
            ("a, b = x\na", 1, 8, "2 names on the left"),
            ("log + x", 1, 1, "is a function"),
            (
                "def f(x):\n  v = x\n  for i in range(3):\n    v = v\n",
                1,
                1,
                "never returns",
            ),
        ];
        for (src, line, column, msg) in cases {
            let err = lower_source(src).expect_err(src);
            let at = err.span.line_col(src);
            assert!(
                err.message.contains(msg),
                "{src:?}: got {:?}, wanted {msg:?}",
                err.message
            );
            assert_eq!(
                (at.line, at.column),
                (*line, *column),
                "{src:?}: {}",
                err.message
            );
        }
    }

    #[test]
    fn the_node_limit_names_the_loop() {
        let limits = Limits {
            max_nodes: 1000,
            max_steps: 10_000_000,
        };
        let src = "def f(x):\n  for i in range(5000):\n    x = x * 2\n  return x";
        let err = lower_source_with(src, &limits).unwrap_err();
        assert!(
            err.message.contains("more than 1,000 operations"),
            "{}",
            err.message
        );
        assert_eq!(err.span.line_col(src).line, 2);
        // A long loop that builds nothing hits the step bound instead of hanging.
        let limits = Limits {
            max_nodes: 1000,
            max_steps: 10_000,
        };
        let src =
            "def f(x):\n  for i in range(5000):\n    for j in range(5000):\n      pass\n  return x";
        assert!(lower_source_with(src, &limits)
            .unwrap_err()
            .message
            .contains("statements"));
    }

    #[test]
    fn integer_parameters_can_be_overridden() {
        let program = parse(LOGISTIC).unwrap();
        let g = lower(&program, &Limits::default()).unwrap();
        assert_eq!(g.int_params, vec![("n".to_string(), 4)]);
        let g = lower_with(&program, &Limits::default(), &[("n".into(), 7)]).unwrap();
        assert_eq!(g.int_params, vec![("n".to_string(), 7)]);
        assert_eq!(g.intermediates(), 21);
    }

    #[test]
    fn constant_domain_problems_become_notes() {
        let g = lower_source("x + 1/0").unwrap();
        assert_eq!(g.notes.len(), 1);
        assert!(
            g.notes[0].message.contains("division by zero"),
            "{:?}",
            g.notes
        );
    }

    #[test]
    fn python_integer_semantics() {
        let g = lower_source("x * (7 // 2) + x * (-7 % 3) + x * (1 / 2) + x * 2**-1").unwrap();
        let out = crate::ad::eval::evaluate(&g, &[1.0]);
        assert_eq!(out[g.outputs[0].index()], 3.0 + 2.0 + 0.5 + 0.5);
    }
}
