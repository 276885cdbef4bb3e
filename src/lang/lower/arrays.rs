//! numpy programs to the array graph ([`AGraph`]): the function is run once at its point (its parameters'
//! defaults), as autograd traces it, and every operation on a value that depends on an input becomes a node of
//! numpy's granularity (`X @ W`, `np.tanh(…)`, `np.sum(…, axis=1)`), with its shape. Python's own numbers, lists,
//! `range` and `for` loops run as Python runs them; whole numbers stay exact.
//!
//! Every mistake is an error at its place in the program, in numpy's words where numpy has them; loops, nodes and
//! array sizes are bounded.

use std::rc::Rc;

use super::super::agraph::{AGraph, AInput, ANode, AOpNode};
use super::super::graph::NodeId;
use super::super::parser::parse;
use super::super::syntax::*;
use super::ints::{float_divmod, int_op};
use super::value::Val as ScalarVal;
use super::Limits;
use crate::base::aop::{AOp, Reduction};
use crate::base::array::{
    broadcast_index, broadcast_shapes, fmt_shape, size_of, Array, MAX_ELEMENTS,
};
use crate::base::math;
use crate::base::num::{fmt_count, fmt_full};
use crate::base::op::{Binary, Unary};
use crate::base::source::{Error, Result, Span};

/// Statements run while tracing, at most.
pub const MAX_STEPS: u64 = 1_000_000;
/// Nodes in the array graph, at most.
pub const MAX_NODES: usize = 100_000;
/// Numbers held by all the graph's values together, at most (128 MB of f64).
pub const MAX_NUMBERS: usize = 1 << 24;
/// Multiplications the whole trace may take ([`AOp::work`]), at most.
pub const MAX_WORK: u64 = 1_000_000_000;

#[derive(Clone, Debug)]
enum V {
    Int(i64),
    Float(f64),
    Node(NodeId),
    /// The outcome of a comparison, known at the point: the condition of `np.where`.
    Mask(Rc<(Vec<usize>, Vec<bool>)>),
    List(Rc<Vec<V>>),
    Tuple(Rc<Vec<V>>),
}

impl V {
    fn kind(&self) -> &'static str {
        match self {
            V::Int(_) => "an integer",
            V::Float(_) => "a number",
            V::Node(_) => "an array",
            V::Mask(_) => "a comparison",
            V::List(_) => "a list",
            V::Tuple(_) => "a tuple",
        }
    }

    fn number(&self) -> Option<f64> {
        match *self {
            V::Int(i) => Some(i as f64),
            V::Float(x) => Some(x),
            _ => None,
        }
    }
}

enum Flow {
    Next,
    Return(V, Span),
}

struct Tracer {
    g: AGraph,
    /// Each node's value at the point.
    vals: Vec<Array>,
    /// The variables in scope, the latest binding last.
    env: Vec<(String, V)>,
    steps: u64,
    numbers: usize,
    work: u64,
    /// The bounds on statements run and on the graph's operations.
    limits: Limits,
    /// Operations and inputs in the graph so far.
    ops: usize,
    /// Tracing a function's body (rather than a script or the lines before the function).
    in_def: bool,
    /// Loops being run, outermost first.
    loops: Vec<super::LoopAt>,
}

/// Parses a numpy program and traces it at its point; `ints` replace whole-number defaults (`T=5`).
pub fn lower_arrays(src: &str, ints: &[(String, i64)]) -> Result<AGraph> {
    lower_arrays_at(src, ints, &[])
}

/// [`lower_arrays`] with values for parameters (those without a default need one; a value given replaces a
/// default).
pub fn lower_arrays_at(
    src: &str,
    ints: &[(String, i64)],
    given: &[(String, Array)],
) -> Result<AGraph> {
    trace(&parse(src)?, ints, given)
}

/// Traces a parsed program (see [`lower_arrays_at`]) within AD Lab's largest bounds.
pub fn trace(
    program: &Program,
    ints: &[(String, i64)],
    given: &[(String, Array)],
) -> Result<AGraph> {
    let limits = Limits {
        max_nodes: MAX_NODES,
        max_steps: MAX_STEPS,
    };
    trace_with(program, ints, given, &limits)
}

/// What the lines after the function give a parameter: a number as written, or an array computed from its expression.
enum Called {
    Number(super::driver::Given),
    Array(Array, Span),
}

/// [`trace`] within a chapter's bounds: hitting one is an error at the outermost loop running, saying how far it got.
pub fn trace_with(
    program: &Program,
    ints: &[(String, i64)],
    given: &[(String, Array)],
    limits: &Limits,
) -> Result<AGraph> {
    let mut t = Tracer {
        limits: limits.clone(),
        ops: 0,
        in_def: false,
        loops: Vec::new(),
        g: AGraph::default(),
        vals: Vec::new(),
        env: Vec::new(),
        steps: 0,
        numbers: 0,
        work: 0,
    };
    let (params, body, span, called) = match program {
        Program::Def {
            name,
            params,
            body,
            span,
            before,
            after,
        } => {
            // The lines after the function first, as the scalar lowering reads them: the point they call it at.
            let called = super::driver::point_args(name, params, after)?;
            if let Flow::Return(_, at) = t.block(before)? {
                return Err(Error::new(at, "`return` outside a function"));
            }
            // An array a call gives (`g(np.array([2.0, 3.0]))`) is computed here, where only the lines before the
            // function are known: a constant, its input's value.
            let called = called
                .into_iter()
                .map(|a| match a {
                    Some(super::driver::Arg::Array(e)) => {
                        let v = t.expr(e)?;
                        Ok(Some(Called::Array(t.value_of(v, e.span)?, e.span)))
                    }
                    Some(super::driver::Arg::Number(x)) => Ok(Some(Called::Number(x))),
                    None => Ok(None),
                })
                .collect::<Result<Vec<_>>>()?;
            (params.as_slice(), body.as_slice(), *span, called)
        }
        // An expression such as `y * x**2`: its free names are the inputs, at the values given.
        Program::Script(stmts) => {
            for name in super::names::free_names(stmts) {
                let Some((_, value)) = given.iter().find(|(n, _)| *n == name) else {
                    return Err(Error::new(
                        Span::default(),
                        format!("give `{name}` a value"),
                    ));
                };
                let v = t.input(&name, value.clone(), Span::default())?;
                t.bind(&name, v);
            }
            let Some((last, rest)) = stmts.split_last() else {
                return Err(Error::new(Span::default(), "the program is empty"));
            };
            // As the scalar language reads a script: a `return` ends it, and so may an assignment, whose value it
            // returns.
            let (out, at) = match t.block(rest)? {
                Flow::Return(v, at) => (v, at),
                Flow::Next => match &last.kind {
                    StmtKind::Expr(e) | StmtKind::Return(e) => (t.expr(e)?, e.span),
                    StmtKind::Assign(targets, _) => {
                        t.block(std::slice::from_ref(last))?;
                        (t.name(&targets[targets.len() - 1].name, last.span)?, last.span)
                    }
                    StmtKind::AugAssign(target, ..) => {
                        t.block(std::slice::from_ref(last))?;
                        (t.name(&target.name, last.span)?, last.span)
                    }
                    _ => {
                        return Err(Error::new(
                            last.span,
                            "the program must end with the value to differentiate, e.g. a last line `v`",
                        ))
                    }
                },
            };
            t.g.outputs = t.outputs_of(&out, at)?;
            return Ok(prune(t.g));
        }
    };
    t.in_def = true;
    for (p, called) in params.iter().zip(called) {
        if let Some((_, value)) = given.iter().find(|(n, _)| *n == p.name) {
            let v = t.input(&p.name, value.clone(), p.span)?;
            t.bind(&p.name, v);
            continue;
        }
        // An array the lines after the function call it with is the input's value.
        let called = match called {
            Some(Called::Array(value, at)) => {
                if let Some(d) = &p.default {
                    if let V::Int(i) = t.expr(d)? {
                        return Err(Error::new(
                            at,
                            format!(
                                "`{}` counts (its default is {i}): give it a whole number",
                                p.name
                            ),
                        ));
                    }
                }
                let v = t.input(&p.name, value, p.span)?;
                t.bind(&p.name, v);
                continue;
            }
            Some(Called::Number(x)) => Some(x),
            None => None,
        };
        // A number the lines after the function call it with (`g(0.25)`) is a number input's value, or a count's.
        if let Some((x, whole, at)) = called {
            let v = match &p.default {
                Some(d) => match t.expr(d)? {
                    V::Int(i) => {
                        let i = match ints.iter().find(|(n, _)| *n == p.name) {
                            Some(o) => o.1,
                            None if whole => x as i64,
                            None => {
                                return Err(Error::new(
                                    at,
                                    format!(
                                        "`{}` counts (its default is {i}): give it a whole number",
                                        p.name
                                    ),
                                ))
                            }
                        };
                        t.g.int_params.push((p.name.clone(), i));
                        V::Int(i)
                    }
                    _ => t.input(&p.name, Array::scalar(x), p.span)?,
                },
                None => t.input(&p.name, Array::scalar(x), p.span)?,
            };
            t.bind(&p.name, v);
            continue;
        }
        // No default and no call: a number input at 1, as the scalar lowering has it (its field gives another value,
        // or an array).
        let Some(d) = &p.default else {
            let v = t.input(&p.name, Array::scalar(1.0), p.span)?;
            t.bind(&p.name, v);
            continue;
        };
        let v = match t.expr(d)? {
            V::Int(i) => {
                let i = ints.iter().find(|(n, _)| *n == p.name).map_or(i, |o| o.1);
                t.g.int_params.push((p.name.clone(), i));
                V::Int(i)
            }
            other => {
                let value = t.value_of(other, d.span)?;
                t.input(&p.name, value, p.span)?
            }
        };
        t.bind(&p.name, v);
    }
    let (out, at) = match t.block(body)? {
        Flow::Return(v, at) => (v, at),
        Flow::Next => {
            return Err(Error::new(
                Span::new(span.start as usize, span.start as usize + 3),
                "the function never returns a value: end it with `return …`",
            ))
        }
    };
    t.g.outputs = t.outputs_of(&out, at)?;
    Ok(prune(t.g))
}

/// Drops the nodes the output does not need (a default's literal once its input is made, an unused intermediate);
/// inputs stay, in order.
fn prune(g: AGraph) -> AGraph {
    let mut keep = vec![false; g.nodes.len()];
    for o in &g.outputs {
        keep[o.index()] = true;
    }
    for (k, n) in g.nodes.iter().enumerate().rev() {
        match &n.op {
            AOpNode::Input(_) => keep[k] = true,
            AOpNode::Prim(_, args) if keep[k] => args.iter().for_each(|p| keep[p.index()] = true),
            _ => {}
        }
    }
    let mut new_id = vec![NodeId(0); g.nodes.len()];
    let mut out = AGraph {
        int_params: g.int_params,
        notes: g.notes,
        ..AGraph::default()
    };
    for (k, mut n) in g.nodes.into_iter().enumerate() {
        if !keep[k] {
            continue;
        }
        if let AOpNode::Prim(_, args) = &mut n.op {
            args.iter_mut().for_each(|p| *p = new_id[p.index()]);
        }
        new_id[k] = NodeId(out.nodes.len() as u32);
        out.nodes.push(n);
    }
    out.inputs = g
        .inputs
        .into_iter()
        .map(|mut i| {
            i.node = new_id[i.node.index()];
            i
        })
        .collect();
    out.outputs = g.outputs.iter().map(|o| new_id[o.index()]).collect();
    out
}

/// Python's `range(start, stop, step)` or slice bounds as indices into a sequence of `n`.
fn slice_indices(n: usize, start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<usize> {
    let n = n as i64;
    let clamp = |x: i64, lo: i64, hi: i64| if x < 0 { (x + n).max(lo) } else { x.min(hi) };
    let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
    let a = start.map_or(if step > 0 { 0 } else { n - 1 }, |s| clamp(s, lo, hi));
    let b = stop.map_or(if step > 0 { n } else { -1 }, |s| clamp(s, lo, hi));
    let mut out = Vec::new();
    let mut i = a;
    while (step > 0 && i < b) || (step < 0 && i > b) {
        out.push(i as usize);
        // A step past 64 bits (`[::2**62]`) ends the slice rather than wrapping round.
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    out
}

/// The innermost value a method is called on (`m` of `m.append(x)`).
fn callee_base(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Attr(b, _) => b,
        _ => e,
    }
}

/// Python's `max(a, b)` / `min(a, b)` on two known numbers.
fn math_extremum(op: Binary, a: f64, b: f64) -> f64 {
    op.apply(a, b)
}

/// How many positional arguments a numpy function takes (at least, at most); `axis=` aside.
fn np_arity(name: &str) -> (usize, usize) {
    match name {
        "zeros" | "ones" | "empty" | "eye" | "identity" | "array" | "asarray" | "transpose"
        | "exp" | "log" | "sin" | "cos" | "tan" | "sinh" | "cosh" | "tanh" | "sqrt" | "abs"
        | "absolute" | "negative" => (1, 1),
        "full" | "maximum" | "minimum" | "add" | "subtract" | "multiply" | "divide" | "power"
        | "dot" | "matmul" | "outer" | "reshape" | "linalg.solve" => (2, 2),
        "arange" => (1, 3),
        "linspace" => (2, 3),
        "sum" | "mean" | "std" | "max" | "amax" | "min" | "amin" => (1, 2),
        "where" => (3, 3),
        // Not a numpy function AD Lab knows: said where it is called.
        _ => (0, usize::MAX),
    }
}

/// numpy's module names, with or without `linalg`: the function's name after them.
fn np_function(callee: &Expr) -> Option<String> {
    fn path(e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Attr(b, n) => Some(format!("{}.{n}", path(b)?)),
            _ => None,
        }
    }
    let p = path(callee)?;
    let (module, name) = p.split_once('.')?;
    matches!(module, "np" | "numpy" | "anp" | "onp" | "jnp" | "math").then(|| name.to_string())
}

impl Tracer {
    /// What the function returns: a tuple is one output per item (`return x * y, x + y`), anything else one output.
    fn outputs_of(&mut self, v: &V, span: Span) -> Result<Vec<NodeId>> {
        match v {
            V::Tuple(items) if items.is_empty() => Err(Error::new(
                span,
                "the function returns an empty tuple: return a number or an array",
            )),
            V::Tuple(items) => items.iter().map(|x| self.node_of(x, span)).collect(),
            _ => Ok(vec![self.node_of(v, span)?]),
        }
    }

    fn note(&mut self, span: Span, message: String) {
        super::add_note(&mut self.g.notes, span, message);
    }

    fn bind(&mut self, name: &str, v: V) {
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => self.env.push((name.to_string(), v)),
        }
    }

    fn step(&mut self, span: Span) -> Result<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.limits.too_many_steps(&self.loops, span));
        }
        Ok(())
    }

    fn push(&mut self, op: AOpNode, value: Array, span: Span) -> Result<V> {
        // Operations and inputs count, as in the scalar lowering; constants are bounded by the numbers they hold.
        if !matches!(op, AOpNode::Const(_)) {
            self.ops += 1;
        }
        if self.ops > self.limits.max_nodes {
            return Err(self.limits.too_many_nodes(&self.loops, span));
        }
        self.numbers += value.len();
        if self.numbers > MAX_NUMBERS {
            return Err(Error::new(
                span,
                format!("the program's arrays would hold more than {} numbers in all, the most AD Lab keeps", fmt_count(MAX_NUMBERS as u64)),
            ));
        }
        let id = NodeId(self.g.nodes.len() as u32);
        self.g.nodes.push(ANode {
            op,
            shape: value.shape.clone(),
            span,
        });
        self.vals.push(value);
        Ok(V::Node(id))
    }

    fn input(&mut self, name: &str, value: Array, span: Span) -> Result<V> {
        let index = self.g.inputs.len() as u32;
        let v = self.push(AOpNode::Input(index), value.clone(), span)?;
        if let V::Node(node) = v {
            self.g.inputs.push(AInput {
                name: name.to_string(),
                node,
                value,
            });
        }
        Ok(v)
    }

    fn constant(&mut self, value: Array, span: Span) -> Result<V> {
        self.push(AOpNode::Const(value.clone()), value, span)
    }

    fn prim(&mut self, op: AOp, args: Vec<NodeId>, span: Span) -> Result<V> {
        let value = {
            let a: Vec<&Array> = args.iter().map(|p| &self.vals[p.index()]).collect();
            let shapes: Vec<&[usize]> = a.iter().map(|x| x.shape.as_slice()).collect();
            op.shape(&shapes).map_err(|m| Error::new(span, m))?;
            self.work = self.work.saturating_add(op.work(&shapes));
            if self.work > MAX_WORK {
                return Err(Error::new(
                    span,
                    format!("the program takes more than {} multiplications, the most AD Lab runs in one trace", fmt_count(MAX_WORK)),
                ));
            }
            op.value(&a).map_err(|m| Error::new(span, m))?
        };
        // An operation on constants only is a constant (`X.T` of a data matrix): computed once, here.
        if args
            .iter()
            .all(|p| matches!(self.g.nodes[p.index()].op, AOpNode::Const(_)))
        {
            // A number of numbers (`np.abs(10)`) is a number, as Python's own arithmetic on it is.
            if value.shape.is_empty() {
                // (Its arguments may be arrays, even empty ones: `np.sum(x[1:1])` is the number 0.)
                let x: Vec<f64> = args
                    .iter()
                    .filter_map(|p| match &self.vals[p.index()].data[..] {
                        [v] => Some(*v),
                        _ => None,
                    })
                    .collect();
                if x.len() == args.len()
                    && x.iter().all(|v| v.is_finite())
                    && !value.data[0].is_finite()
                {
                    let why = match (&op, x.as_slice()) {
                        (AOp::Map(u), [a]) => u.domain_note(*a),
                        (AOp::Zip(b), [a, c]) => b.domain_note(*a, *c),
                        _ => "",
                    };
                    if !why.is_empty() {
                        self.note(span, format!("gives {}: {why}", fmt_full(value.data[0])));
                    }
                }
                return Ok(V::Float(value.data[0]));
            }
            return self.constant(value, span);
        }
        self.push(AOpNode::Prim(op, args), value, span)
    }

    /// A value's numbers: a number's, or an array's (a list made one, as `np.array` would).
    fn value_of(&mut self, v: V, span: Span) -> Result<Array> {
        Ok(match v {
            V::Float(x) => Array::scalar(x),
            V::Int(i) => Array::scalar(i as f64),
            V::Node(id) => self.vals[id.index()].clone(),
            other => {
                let id = self.array_of(&other, span)?;
                self.vals[id.index()].clone()
            }
        })
    }

    fn node(&self, v: &V) -> Option<NodeId> {
        match v {
            V::Node(id) => Some(*id),
            _ => None,
        }
    }

    /// A value as a node: numbers become constants, lists arrays (as `np.array` makes them).
    fn node_of(&mut self, v: &V, span: Span) -> Result<NodeId> {
        match v {
            V::Node(id) => Ok(*id),
            V::Int(_) | V::Float(_) => {
                let x = v.number().unwrap_or_default();
                let c = self.constant(Array::scalar(x), span)?;
                Ok(self.node(&c).unwrap_or_default())
            }
            V::List(_) | V::Tuple(_) => self.array_of(v, span),
            V::Mask(_) => Err(Error::new(
                span,
                "a comparison is only a condition, for `np.where(cond, a, b)`",
            )),
        }
    }

    /// `np.array(v)`: numbers and nested lists of one shape; a constant when every number is known.
    fn array_of(&mut self, v: &V, span: Span) -> Result<NodeId> {
        fn shape_and_numbers(v: &V, out: &mut Vec<f64>) -> Option<Vec<usize>> {
            match v {
                V::Int(_) | V::Float(_) => {
                    out.push(v.number()?);
                    Some(Vec::new())
                }
                V::List(items) | V::Tuple(items) => {
                    let mut shape = None;
                    for i in items.iter() {
                        let s = shape_and_numbers(i, out)?;
                        if shape.get_or_insert_with(|| s.clone()) != &s {
                            return None;
                        }
                    }
                    let mut s = vec![items.len()];
                    s.extend(shape.unwrap_or_default());
                    Some(s)
                }
                _ => None,
            }
        }
        let mut numbers = Vec::new();
        if let Some(shape) = shape_and_numbers(v, &mut numbers) {
            if size_of(&shape).is_none() {
                return Err(Error::new(
                    span,
                    format!(
                        "an array of more than {} numbers",
                        fmt_count(MAX_ELEMENTS as u64)
                    ),
                ));
            }
            let c = self.constant(Array::new(shape, numbers), span)?;
            return Ok(self.node(&c).unwrap_or_default());
        }
        match v {
            V::List(items) | V::Tuple(items) if !items.is_empty() => {
                let ids = items
                    .iter()
                    .map(|i| self.node_of(i, span))
                    .collect::<Result<Vec<_>>>()?;
                let s = self.prim(AOp::Stack, ids, span)?;
                Ok(self.node(&s).unwrap_or_default())
            }
            _ => self.node_of(v, span),
        }
    }

    fn int(&mut self, e: &Expr, what: &str) -> Result<i64> {
        match self.expr(e)? {
            V::Int(i) => Ok(i),
            other => Err(Error::new(
                e.span,
                format!("{what} must be a whole number, not {}", other.kind()),
            )),
        }
    }

    /// A shape argument: `3`, `(2, 3)` or `[2, 3]`.
    fn shape_arg(&mut self, e: &Expr) -> Result<Vec<usize>> {
        let dims = match self.expr(e)? {
            V::Int(i) => vec![V::Int(i)],
            V::Tuple(items) | V::List(items) => items.to_vec(),
            other => {
                return Err(Error::new(
                    e.span,
                    format!(
                        "a shape is a whole number or a tuple of them, not {}",
                        other.kind()
                    ),
                ))
            }
        };
        let shape = dims
            .iter()
            .map(|d| match d {
                V::Int(i) if *i >= 0 => Ok(*i as usize),
                _ => Err(Error::new(
                    e.span,
                    "a shape's lengths are whole numbers, 0 or more",
                )),
            })
            .collect::<Result<Vec<usize>>>()?;
        if size_of(&shape).is_none() {
            return Err(Error::new(
                e.span,
                format!(
                    "an array of shape {} is more than the {} numbers AD Lab holds in one array",
                    fmt_shape(&shape),
                    fmt_count(MAX_ELEMENTS as u64)
                ),
            ));
        }
        Ok(shape)
    }

    fn block(&mut self, stmts: &[Stmt]) -> Result<Flow> {
        for s in stmts {
            self.step(s.span)?;
            match &s.kind {
                StmtKind::Assign(targets, e) => {
                    let v = self.expr(e)?;
                    if let [t] = targets.as_slice() {
                        self.bind(&t.name, v);
                    } else {
                        let items = match &v {
                            V::Tuple(items) | V::List(items) if items.len() == targets.len() => {
                                items.clone()
                            }
                            _ => {
                                return Err(Error::new(
                                    e.span,
                                    format!(
                                        "cannot unpack {} into {} names",
                                        v.kind(),
                                        targets.len()
                                    ),
                                ))
                            }
                        };
                        for (t, v) in targets.iter().zip(items.iter()) {
                            self.bind(&t.name, v.clone());
                        }
                    }
                }
                StmtKind::AugAssign(t, op, e) => {
                    let a = self.name(&t.name, t.span)?;
                    // `m += …` changes a list in place for every holder (see `append`).
                    if matches!(&a, V::List(items) if Rc::strong_count(items) > 2) {
                        return Err(super::expr::shared_list(&t.name, s.span));
                    }
                    let b = self.expr(e)?;
                    let v = self.binop(*op, a, b, s.span)?;
                    self.bind(&t.name, v);
                }
                StmtKind::For { var, iter, body } => {
                    let iterated = self.expr(iter)?;
                    // Held while the loop runs: a list it walks cannot be changed inside it (Python's loop would see
                    // the change).
                    let _held = iterated.clone();
                    let items: Vec<V> = match iterated {
                        V::List(items) | V::Tuple(items) => items.to_vec(),
                        V::Node(id) => {
                            let n = self.g.nodes[id.index()].shape.first().copied().unwrap_or(0);
                            let mut rows = Vec::with_capacity(n);
                            for i in 0..n {
                                rows.push(self.index(
                                    V::Node(id),
                                    &[V::Int(i as i64)],
                                    iter.span,
                                )?);
                            }
                            rows
                        }
                        other => {
                            return Err(Error::new(
                                iter.span,
                                format!("cannot loop over {}", other.kind()),
                            ))
                        }
                    };
                    self.loops.push((s.span, items.len() as u64, 0));
                    for item in items {
                        self.bind(&var.name, item);
                        if let Flow::Return(v, at) = self.block(body)? {
                            self.loops.pop();
                            return Ok(Flow::Return(v, at));
                        }
                        if let Some(l) = self.loops.last_mut() {
                            l.2 += 1;
                        }
                    }
                    self.loops.pop();
                }
                StmtKind::Return(e) => return Ok(Flow::Return(self.expr(e)?, e.span)),
                StmtKind::Expr(e) => {
                    self.expr(e)?;
                }
                StmtKind::Pass | StmtKind::Comment(_) => {}
            }
        }
        Ok(Flow::Next)
    }

    fn name(&self, n: &str, span: Span) -> Result<V> {
        match (self.env.iter().find(|(k, _)| k == n).map(|(_, v)| v), n) {
            (Some(v), _) => Ok(v.clone()),
            (None, "pi") => Ok(V::Float(std::f64::consts::PI)),
            _ => Err(super::expr::unknown_name(n, span, self.in_def)),
        }
    }

    fn expr(&mut self, e: &Expr) -> Result<V> {
        let span = e.span;
        match &e.kind {
            ExprKind::Int(i) => Ok(V::Int(*i)),
            ExprKind::Float(x) => Ok(V::Float(*x)),
            ExprKind::Name(n) => self.name(n, span),
            ExprKind::Attr(base, attr) => {
                if let Some(name) = np_function(e) {
                    return match name.as_str() {
                        "pi" => Ok(V::Float(std::f64::consts::PI)),
                        "e" => Ok(V::Float(std::f64::consts::E)),
                        "inf" => Ok(V::Float(f64::INFINITY)),
                        "nan" => Ok(V::Float(f64::NAN)),
                        _ => Err(Error::new(
                            span,
                            format!("`np.{name}` is a function: call it"),
                        )),
                    };
                }
                let v = self.expr(base)?;
                let Some(id) = self.node(&v) else {
                    return Err(Error::new(
                        span,
                        format!("{} has no attribute `{attr}`", v.kind()),
                    ));
                };
                let shape = self.g.nodes[id.index()].shape.clone();
                match attr.as_str() {
                    "T" => self.prim(AOp::Transpose, vec![id], span),
                    "shape" => Ok(V::Tuple(Rc::new(
                        shape.iter().map(|&d| V::Int(d as i64)).collect(),
                    ))),
                    "size" => Ok(V::Int(shape.iter().product::<usize>() as i64)),
                    "ndim" => Ok(V::Int(shape.len() as i64)),
                    _ => Err(Error::new(
                        span,
                        format!("arrays have no attribute `{attr}` in AD Lab"),
                    )),
                }
            }
            ExprKind::Unary(op, a) => {
                let v = self.expr(a)?;
                match (op, v) {
                    (UnOp::Pos, v) => Ok(v),
                    (UnOp::Neg, V::Int(i)) => i
                        .checked_neg()
                        .map(V::Int)
                        .ok_or_else(|| Error::new(span, "integer overflow")),
                    (UnOp::Neg, V::Float(x)) => Ok(V::Float(-x)),
                    (UnOp::Neg, v) => {
                        let id = self.node_of(&v, span)?;
                        self.prim(AOp::Map(Unary::Neg), vec![id], span)
                    }
                }
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                self.binop(*op, a, b, span)
            }
            ExprKind::Call(callee, args) => self.call(callee, args, span),
            ExprKind::Tuple(items) => Ok(V::Tuple(Rc::new(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            ))),
            ExprKind::List(items) => Ok(V::List(Rc::new(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            ))),
            ExprKind::Index(base, index) => {
                let v = self.expr(base)?;
                let items: Vec<V> = match &index.kind {
                    ExprKind::Tuple(items) => items
                        .iter()
                        .map(|i| self.subscript_item(i))
                        .collect::<Result<_>>()?,
                    _ => vec![self.subscript_item(index)?],
                };
                self.index(v, &items, span)
            }
            ExprKind::Slice(base, parts) => {
                let v = self.expr(base)?;
                let range = self.range_item(parts)?;
                self.index(v, &[range], span)
            }
            ExprKind::Range(_) => Err(Error::new(span, "`a:b` is only an index, inside `[ ]`")),
            ExprKind::Keyword(k, _) => {
                Err(Error::new(span, format!("`{k}=` is not expected here")))
            }
        }
    }

    /// A slice inside a subscript: kept as a tuple (start, stop, step) of optional whole numbers, tagged by a
    /// list so that [`Tracer::index`] tells it from an index.
    fn range_item(&mut self, parts: &[Option<Box<Expr>>; 3]) -> Result<V> {
        let mut out = Vec::with_capacity(3);
        for (k, p) in parts.iter().enumerate() {
            out.push(match p {
                Some(e) => V::Int(self.int(e, "a slice bound")?),
                None => V::Tuple(Rc::new(Vec::new())),
            });
            if k == 2 && matches!(out[2], V::Int(0)) {
                return Err(Error::new(
                    p.as_ref().map_or(Span::default(), |e| e.span),
                    "slice step cannot be zero",
                ));
            }
        }
        Ok(V::List(Rc::new(out)))
    }

    fn subscript_item(&mut self, e: &Expr) -> Result<V> {
        match &e.kind {
            ExprKind::Range(parts) => self.range_item(parts),
            _ => Ok(V::Int(self.int(e, "an index")?)),
        }
    }

    /// `v[items]`: Python indexing of lists and tuples, numpy's basic indexing of arrays (whole numbers and slices,
    /// one per axis from the first).
    fn index(&mut self, v: V, items: &[V], span: Span) -> Result<V> {
        let opt = |v: &V| match v {
            V::Int(i) => Some(*i),
            _ => None,
        };
        match &v {
            V::List(seq) | V::Tuple(seq) => {
                let n = seq.len();
                match items {
                    [V::Int(i)] => {
                        let k = if *i < 0 { i + n as i64 } else { *i };
                        seq.get(usize::try_from(k).unwrap_or(usize::MAX))
                            .cloned()
                            .ok_or_else(|| {
                                Error::new(
                                    span,
                                    format!("index {i} is out of range for a list of {n}"),
                                )
                            })
                    }
                    [V::List(r)] => {
                        let picked =
                            slice_indices(n, opt(&r[0]), opt(&r[1]), opt(&r[2]).unwrap_or(1));
                        let out: Vec<V> = picked.into_iter().map(|k| seq[k].clone()).collect();
                        Ok(if matches!(v, V::List(_)) {
                            V::List(Rc::new(out))
                        } else {
                            V::Tuple(Rc::new(out))
                        })
                    }
                    _ => Err(Error::new(span, "a list takes one index or slice")),
                }
            }
            V::Node(id) => {
                let shape = self.g.nodes[id.index()].shape.clone();
                if items.len() > shape.len() {
                    return Err(Error::new(
                        span,
                        format!("too many indices for array: array is {}-dimensional, but {} were indexed", shape.len(), items.len()),
                    ));
                }
                // For each axis, the positions taken and whether the axis stays.
                let mut axes: Vec<(Vec<usize>, bool)> = Vec::with_capacity(shape.len());
                for (k, &n) in shape.iter().enumerate() {
                    axes.push(match items.get(k) {
                        None => ((0..n).collect(), true),
                        Some(V::Int(i)) => {
                            let j = if *i < 0 { i + n as i64 } else { *i };
                            if j < 0 || j >= n as i64 {
                                return Err(Error::new(
                                    span,
                                    format!(
                                        "index {i} is out of bounds for axis {k} with size {n}"
                                    ),
                                ));
                            }
                            (vec![j as usize], false)
                        }
                        Some(V::List(r)) => (
                            slice_indices(n, opt(&r[0]), opt(&r[1]), opt(&r[2]).unwrap_or(1)),
                            true,
                        ),
                        Some(other) => {
                            return Err(Error::new(
                                span,
                                format!("an index cannot be {}", other.kind()),
                            ))
                        }
                    });
                }
                let mut strides = vec![1usize; shape.len()];
                for k in (0..shape.len().saturating_sub(1)).rev() {
                    strides[k] = strides[k + 1] * shape[k + 1];
                }
                let mut index = vec![0usize];
                for (k, (pos, _)) in axes.iter().enumerate() {
                    let s = strides[k];
                    index = index
                        .iter()
                        .flat_map(|&b| pos.iter().map(move |&p| b + p * s))
                        .collect();
                }
                let out_shape: Vec<usize> =
                    axes.iter().filter(|a| a.1).map(|a| a.0.len()).collect();
                self.prim(
                    AOp::Take {
                        index,
                        shape: out_shape,
                    },
                    vec![*id],
                    span,
                )
            }
            other => Err(Error::new(
                span,
                format!("{} cannot be indexed", other.kind()),
            )),
        }
    }

    fn binop(&mut self, op: BinOp, a: V, b: V, span: Span) -> Result<V> {
        if op.is_comparison() {
            return self.compare(op, &a, &b, span);
        }
        match (op, &a, &b) {
            (BinOp::Add, V::List(p), V::List(q)) => {
                return Ok(V::List(Rc::new(
                    p.iter().chain(q.iter()).cloned().collect(),
                )));
            }
            (BinOp::Mul, V::List(p), V::Int(k)) | (BinOp::Mul, V::Int(k), V::List(p)) => {
                let n = p.len().saturating_mul((*k).max(0) as usize);
                if n as u64 > MAX_STEPS {
                    return Err(Error::new(
                        span,
                        format!("a list of more than {} items", fmt_count(MAX_STEPS)),
                    ));
                }
                return Ok(V::List(Rc::new(
                    p.iter().cycle().take(n).cloned().collect(),
                )));
            }
            _ => {}
        }
        // Python's own numbers.
        if let (Some(x), Some(y)) = (a.number(), b.number()) {
            if let (V::Int(i), V::Int(j)) = (&a, &b) {
                match int_op(op, *i, *j, span) {
                    Ok(Some(v)) => {
                        return Ok(match v {
                            ScalarVal::Int(i) => V::Int(i),
                            ScalarVal::Float(x) => V::Float(x),
                            _ => V::Float(f64::NAN),
                        })
                    }
                    Ok(None) => {}
                    // Python's integers grow without bound; ours are 64 bits. Past them, go on in floats, and say so.
                    Err(e) if e.message.starts_with("integer overflow") => {
                        self.note(span, super::expr::int_overflow_note(*i, op, *j))
                    }
                    Err(e) => return Err(e),
                }
            }
            let zero = || super::expr::zero_division(op, span);
            let v = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div if y == 0.0 => return Err(zero()),
                BinOp::Div => x / y,
                BinOp::Pow if x == 0.0 && y < 0.0 => return Err(zero()),
                BinOp::Pow => math::pow(x, y),
                BinOp::FloorDiv | BinOp::Mod => {
                    let (q, r) = float_divmod(x, y).ok_or_else(zero)?;
                    if op == BinOp::Mod {
                        r
                    } else {
                        q
                    }
                }
                _ => return Err(Error::new(span, format!("`{}` takes arrays", op.symbol()))),
            };
            if let Some(p) = op
                .primitive()
                .filter(|_| x.is_finite() && y.is_finite() && !v.is_finite())
            {
                self.note(
                    span,
                    format!("gives {}: {}", fmt_full(v), p.domain_note(x, y)),
                );
            }
            return Ok(V::Float(v));
        }
        let (x, y) = (self.node_of(&a, span)?, self.node_of(&b, span)?);
        let prim = match op {
            BinOp::MatMul => AOp::MatMul,
            _ => match op.primitive() {
                Some(p) => AOp::Zip(p),
                None => {
                    return Err(Error::new(
                        span,
                        format!("`{}` is not differentiable, so it only works on numbers known before the run", op.symbol()),
                    ))
                }
            },
        };
        self.prim(prim, vec![x, y], span)
    }

    /// A comparison, decided now, element by element with broadcasting.
    fn compare(&mut self, op: BinOp, a: &V, b: &V, span: Span) -> Result<V> {
        let value = |t: &mut Tracer, v: &V| -> Result<Array> {
            match v {
                V::Node(id) => Ok(t.vals[id.index()].clone()),
                _ => match v.number() {
                    Some(x) => Ok(Array::scalar(x)),
                    None => Err(Error::new(span, format!("cannot compare {}", v.kind()))),
                },
            }
        };
        let (x, y) = (value(self, a)?, value(self, b)?);
        let shape = broadcast_shapes(&x.shape, &y.shape).map_err(|m| Error::new(span, m))?;
        let (x, y) = (x.broadcast_to(&shape), y.broadcast_to(&shape));
        let mask = x
            .data
            .iter()
            .zip(&y.data)
            .map(|(&p, &q)| match op {
                BinOp::Lt => p < q,
                BinOp::Le => p <= q,
                BinOp::Gt => p > q,
                BinOp::Ge => p >= q,
                BinOp::Eq => p == q,
                _ => p != q,
            })
            .collect();
        Ok(V::Mask(Rc::new((shape, mask))))
    }

    fn call(&mut self, callee: &Expr, args: &[Expr], span: Span) -> Result<V> {
        if matches!(&callee.kind, ExprKind::Name(n) if n == "load_diabetes") {
            return self.load_diabetes(args, span);
        }
        // Positional arguments, and `axis=` (the only keyword numpy programs here use).
        let mut pos: Vec<&Expr> = Vec::new();
        let mut axis: Option<&Expr> = None;
        for a in args {
            match &a.kind {
                ExprKind::Keyword(k, v) if k == "axis" => axis = Some(v),
                ExprKind::Keyword(k, _) => {
                    return Err(Error::new(
                        a.span,
                        format!("unexpected keyword argument `{k}`"),
                    ))
                }
                _ => pos.push(a),
            }
        }
        let arity = |n: std::ops::RangeInclusive<usize>, name: &str| -> Result<()> {
            if n.contains(&pos.len()) {
                Ok(())
            } else {
                Err(Error::new(
                    span,
                    format!(
                        "`{name}` takes {} argument(s), not {}",
                        n.start(),
                        pos.len()
                    ),
                ))
            }
        };
        if let Some(name) = np_function(callee) {
            return self.np_call(&name, &pos, axis, span);
        }
        if let (ExprKind::Attr(_, method), ExprKind::Name(var)) =
            (&callee.kind, &callee_base(callee).kind)
        {
            // A list's `append` and `pop`, on the list a variable holds.
            if let (Some(V::List(items)), "append" | "pop") = (
                self.env
                    .iter()
                    .find(|(k, _)| k == var)
                    .map(|(_, v)| v.clone()),
                method.as_str(),
            ) {
                // Python's lists are objects: a list another name, list or running loop holds would change for them
                // too, so it is refused, in the scalar lowering's words (one count is the environment's, one ours).
                if Rc::strong_count(&items) > 2 {
                    return Err(super::expr::shared_list(var, span));
                }
                let mut items = items.to_vec();
                let out = if method == "append" {
                    if pos.len() != 1 {
                        return Err(Error::new(span, "`append` takes one item"));
                    }
                    if items.len() as u64 >= MAX_STEPS {
                        return Err(Error::new(
                            span,
                            format!("a list of more than {} items", fmt_count(MAX_STEPS)),
                        ));
                    }
                    items.push(self.expr(pos[0])?);
                    V::Tuple(Rc::new(Vec::new()))
                } else {
                    items
                        .pop()
                        .ok_or_else(|| Error::new(span, "pop from empty list"))?
                };
                self.bind(var, V::List(Rc::new(items)));
                return Ok(out);
            }
        }
        if let ExprKind::Attr(base, method) = &callee.kind {
            // Methods of arrays: `.reshape`, `.sum`, `.dot`, …
            let mut with_self = vec![base.as_ref()];
            with_self.extend(pos.iter().copied());
            return match method.as_str() {
                "reshape" if pos.len() > 1 => {
                    let v = self.expr(base)?;
                    let id = self.node_of(&v, span)?;
                    let dims = pos
                        .iter()
                        .map(|e| self.int(e, "a length"))
                        .collect::<Result<Vec<i64>>>()?;
                    self.reshape(id, &dims, span)
                }
                "reshape" | "sum" | "mean" | "max" | "min" | "dot" | "transpose" => {
                    pos = with_self;
                    self.np_call(method, &pos, axis, span)
                }
                _ => Err(Error::new(
                    span,
                    format!("arrays have no method `{method}` in AD Lab"),
                )),
            };
        }
        let ExprKind::Name(name) = &callee.kind else {
            return Err(Error::new(callee.span, "only functions can be called"));
        };
        // `exp(x)`, `relu(x)`: the scalar language's elementary functions, element by element.
        if let Some(op) = Unary::from_name(name).filter(|_| pos.len() == 1) {
            let a = self.arg_node(pos[0])?;
            return self.prim(AOp::Map(op), vec![a], span);
        }
        match name.as_str() {
            // Python's `max(a, b, …)` (or of one list): `b if b > a else a`, left to right.
            "max" | "min" => {
                let items: Vec<V> = match pos.as_slice() {
                    [one] => match self.expr(one)? {
                        V::List(items) | V::Tuple(items) if !items.is_empty() => items.to_vec(),
                        other => {
                            return Err(Error::new(span, format!("`{name}` of {}", other.kind())))
                        }
                    },
                    _ => pos.iter().map(|e| self.expr(e)).collect::<Result<_>>()?,
                };
                let op = if name == "max" {
                    Binary::Max
                } else {
                    Binary::Min
                };
                let mut acc = items[0].clone();
                for b in &items[1..] {
                    acc = match (acc.number(), b.number()) {
                        (Some(x), Some(y)) => V::Float(math_extremum(op, x, y)),
                        _ => {
                            let (x, y) = (self.node_of(&acc, span)?, self.node_of(b, span)?);
                            self.prim(AOp::Zip(op), vec![x, y], span)?
                        }
                    };
                }
                Ok(acc)
            }
            "range" => {
                arity(1..=3, "range")?;
                let n = pos
                    .iter()
                    .map(|e| self.int(e, "a range bound"))
                    .collect::<Result<Vec<i64>>>()?;
                let (a, b, s) = match n.as_slice() {
                    [b] => (0, *b, 1),
                    [a, b] => (*a, *b, 1),
                    [a, b, s] => (*a, *b, *s),
                    _ => (0, 0, 1),
                };
                if s == 0 {
                    return Err(Error::new(span, "range() arg 3 must not be zero"));
                }
                let span_len = (b as i128 - a as i128).unsigned_abs();
                let count = if (s > 0 && b > a) || (s < 0 && b < a) {
                    (span_len - 1) / s.unsigned_abs() as u128 + 1
                } else {
                    0
                };
                let count = u64::try_from(count).unwrap_or(u64::MAX);
                let most = self.limits.max_steps.min(MAX_STEPS);
                if count > most {
                    return Err(Error::new(
                        span,
                        format!(
                            "this range holds {} numbers: a loop over it would repeat {0} times, more than the {} \
                             steps AD Lab unrolls",
                            fmt_count(count),
                            fmt_count(most)
                        ),
                    ));
                }
                Ok(V::List(Rc::new(
                    // Every item lies between a and b, but k·s alone may not fit 64 bits.
                    (0..count as i64)
                        .map(|k| V::Int((a as i128 + k as i128 * s as i128) as i64))
                        .collect(),
                )))
            }
            "len" => {
                arity(1..=1, "len")?;
                match self.expr(pos[0])? {
                    V::List(items) | V::Tuple(items) => Ok(V::Int(items.len() as i64)),
                    V::Node(id) => match self.g.nodes[id.index()].shape.first() {
                        Some(&n) => Ok(V::Int(n as i64)),
                        None => Err(Error::new(span, "len() of unsized object")),
                    },
                    other => Err(Error::new(span, format!("{} has no len()", other.kind()))),
                }
            }
            // A new list (changing it leaves the original alone), or the items last to first.
            "list" | "reversed" => {
                arity(1..=1, name)?;
                match self.expr(pos[0])? {
                    V::List(items) | V::Tuple(items) => {
                        let mut items = items.to_vec();
                        if name == "reversed" {
                            items.reverse();
                        }
                        Ok(V::List(Rc::new(items)))
                    }
                    other => Err(Error::new(
                        span,
                        format!("`{name}()` of {}: give it a list", other.kind()),
                    )),
                }
            }
            "float" | "int" | "abs" => {
                arity(1..=1, name)?;
                let v = self.expr(pos[0])?;
                match (name.as_str(), &v) {
                    ("float", _) if v.number().is_some() => {
                        Ok(V::Float(v.number().unwrap_or_default()))
                    }
                    ("int", V::Int(_)) => Ok(v),
                    ("int", V::Float(x)) if x.is_finite() && x.abs() < 9.2e18 => {
                        Ok(V::Int(x.trunc() as i64))
                    }
                    ("abs", V::Int(i)) => i
                        .checked_abs()
                        .map(V::Int)
                        .ok_or_else(|| Error::new(span, "integer overflow")),
                    ("abs", V::Float(x)) => Ok(V::Float(x.abs())),
                    ("abs", V::Node(id)) => self.prim(AOp::Map(Unary::Abs), vec![*id], span),
                    _ => Err(Error::new(
                        span,
                        format!("`{name}` cannot take {}", v.kind()),
                    )),
                }
            }
            _ => Err(Error::new(
                callee.span,
                format!("unknown function `{name}`; available: log, exp, sin, cos, tan, tanh, sqrt, abs, max, min, len, range, list, and numpy's as np.…"),
            )),
        }
    }

    #[inline(never)]
    fn arg_node(&mut self, e: &Expr) -> Result<NodeId> {
        let v = self.expr(e)?;
        self.node_of(&v, e.span)
    }

    /// `np.std(a, axis)` as numpy computes it: the square root of the mean of d·d, d = a − its mean along the axis.
    fn std(&mut self, a: NodeId, axis: Option<usize>, span: Span) -> Result<V> {
        let shape = self.g.nodes[a.index()].shape.clone();
        let count = axis.map_or(shape.iter().product(), |k| shape[k]) as f64;
        let c = self.constant(Array::scalar(count), span)?;
        let c = self.node(&c).unwrap_or_default();
        let mean = |me: &mut Self, x: NodeId| -> Result<NodeId> {
            let s = me.prim(AOp::Reduce(Reduction::Sum, axis), vec![x], span)?;
            let s = me.node_of(&s, span)?;
            let m = me.prim(AOp::Zip(Binary::Div), vec![s, c], span)?;
            me.node_of(&m, span)
        };
        let m = mean(self, a)?;
        // The mean kept as an axis of length 1, to broadcast back (`keepdims=True`).
        let m = match axis {
            Some(k) => {
                let mut keep: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
                keep[k] = 1;
                let r = self.reshape(m, &keep, span)?;
                self.node_of(&r, span)?
            }
            None => m,
        };
        let d = self.prim(AOp::Zip(Binary::Sub), vec![a, m], span)?;
        let d = self.node_of(&d, span)?;
        let sq = self.prim(AOp::Zip(Binary::Mul), vec![d, d], span)?;
        let sq = self.node_of(&sq, span)?;
        let var = mean(self, sq)?;
        self.prim(AOp::Map(Unary::Sqrt), vec![var], span)
    }

    fn reshape(&mut self, id: NodeId, dims: &[i64], span: Span) -> Result<V> {
        let size: usize = self.g.nodes[id.index()].shape.iter().product();
        let known: i64 = dims.iter().filter(|&&d| d != -1).product();
        let shape = dims
            .iter()
            .map(|&d| match d {
                -1 if known > 0 => Ok(size / known as usize),
                d if d >= 0 => Ok(d as usize),
                _ => Err(Error::new(
                    span,
                    "a reshape length must be 0 or more (or one -1)",
                )),
            })
            .collect::<Result<Vec<usize>>>()?;
        self.prim(AOp::Reshape(shape), vec![id], span)
    }

    /// scikit-learn's `load_diabetes(return_X_y=True, scaled=False)`: the raw features (442 × 10) and targets, as
    /// constants.
    fn load_diabetes(&mut self, args: &[Expr], span: Span) -> Result<V> {
        let usage = "AD Lab ships the diabetes data raw: `X, y = load_diabetes(return_X_y=True, scaled=False)`";
        let (mut xy, mut scaled) = (false, true);
        for a in args {
            // `True` and `False` are read as 1 and 0 (and Python takes any number as a flag).
            let flag = |v: &Expr| match &v.kind {
                ExprKind::Int(n) => Some(*n != 0),
                _ => None,
            };
            match &a.kind {
                ExprKind::Keyword(k, v) if k == "return_X_y" && flag(v).is_some() => {
                    xy = flag(v) == Some(true)
                }
                ExprKind::Keyword(k, v) if k == "scaled" && flag(v).is_some() => {
                    scaled = flag(v) == Some(true)
                }
                _ => return Err(Error::new(a.span, usage)),
            }
        }
        if !xy || scaled {
            return Err(Error::new(span, usage));
        }
        let (x, y) = crate::base::diabetes::raw().map_err(|m| Error::new(span, m))?;
        let rows = crate::base::diabetes::ROWS;
        let x = self.constant(Array::new(vec![rows, x.len() / rows], x.clone()), span)?;
        let y = self.constant(Array::new(vec![rows], y.clone()), span)?;
        Ok(V::Tuple(Rc::new(vec![x, y])))
    }

    fn np_call(&mut self, name: &str, pos: &[&Expr], axis: Option<&Expr>, span: Span) -> Result<V> {
        let (lo, hi) = np_arity(name);
        if pos.len() < lo || pos.len() > hi {
            return Err(Error::new(
                span,
                match lo == hi {
                    true => format!("`np.{name}` takes {lo} argument(s), not {}", pos.len()),
                    false => format!(
                        "`np.{name}` takes {lo} to {hi} arguments, not {}",
                        pos.len()
                    ),
                },
            ));
        }
        let unary = match name {
            "exp" => Some(Unary::Exp),
            "log" => Some(Unary::Log),
            "sin" => Some(Unary::Sin),
            "cos" => Some(Unary::Cos),
            "tan" => Some(Unary::Tan),
            "sinh" => Some(Unary::Sinh),
            "cosh" => Some(Unary::Cosh),
            "tanh" => Some(Unary::Tanh),
            "sqrt" => Some(Unary::Sqrt),
            "abs" | "absolute" => Some(Unary::Abs),
            "negative" => Some(Unary::Neg),
            _ => None,
        };
        let node = |t: &mut Tracer, k: usize| t.arg_node(pos[k]);
        if let Some(op) = unary {
            let a = node(self, 0)?;
            return self.prim(AOp::Map(op), vec![a], span);
        }
        match name {
            "array" | "asarray" => {
                let v = self.expr(pos[0])?;
                let id = self.array_of(&v, pos[0].span)?;
                Ok(V::Node(id))
            }
            "zeros" | "ones" | "empty" => {
                let shape = self.shape_arg(pos[0])?;
                self.constant(
                    Array::full(&shape, if name == "ones" { 1.0 } else { 0.0 }),
                    span,
                )
            }
            "full" => {
                let shape = self.shape_arg(pos[0])?;
                let x = self.expr(pos[1])?;
                match x.number() {
                    Some(x) => self.constant(Array::full(&shape, x), span),
                    None => {
                        let v = self.node_of(&x, span)?;
                        let zeros = self.constant(Array::zeros(&shape), span)?;
                        let z = self.node(&zeros).unwrap_or_default();
                        self.prim(AOp::Zip(Binary::Add), vec![z, v], span)
                    }
                }
            }
            "eye" | "identity" => {
                let n = self.int(pos[0], "the size")?.clamp(-1, 1 << 31);
                let n = self
                    .shape_arg(&Expr {
                        kind: ExprKind::Tuple(vec![pos[0].clone(), pos[0].clone()]),
                        span: pos[0].span,
                    })
                    .map(|_| n as usize)?;
                let data = (0..n * n)
                    .map(|i| if i % (n + 1) == 0 { 1.0 } else { 0.0 })
                    .collect();
                self.constant(Array::new(vec![n, n], data), span)
            }
            "arange" => {
                let n: Vec<f64> = pos
                    .iter()
                    .map(|e| {
                        self.expr(e)?
                            .number()
                            .ok_or_else(|| Error::new(e.span, "np.arange takes numbers"))
                    })
                    .collect::<Result<_>>()?;
                let (a, b, s) = match n.as_slice() {
                    [b] => (0.0, *b, 1.0),
                    [a, b] => (*a, *b, 1.0),
                    [a, b, s] => (*a, *b, *s),
                    _ => (0.0, 0.0, 1.0),
                };
                let count = ((b - a) / s).ceil();
                if s == 0.0 || count.is_nan() || count >= MAX_ELEMENTS as f64 {
                    return Err(Error::new(
                        span,
                        format!(
                            "np.arange: an empty step, or more than {} numbers",
                            fmt_count(MAX_ELEMENTS as u64)
                        ),
                    ));
                }
                let count = count.max(0.0) as usize;
                self.constant(
                    Array::new(vec![count], (0..count).map(|k| a + k as f64 * s).collect()),
                    span,
                )
            }
            "linspace" => {
                let a = self
                    .expr(pos[0])?
                    .number()
                    .ok_or_else(|| Error::new(pos[0].span, "np.linspace takes numbers"))?;
                let b = self
                    .expr(pos[1])?
                    .number()
                    .ok_or_else(|| Error::new(pos[1].span, "np.linspace takes numbers"))?;
                let n = match pos.get(2) {
                    Some(e) => self.int(e, "the number of points")?,
                    None => 50,
                };
                if !(0..=MAX_ELEMENTS as i64).contains(&n) {
                    return Err(Error::new(
                        span,
                        format!(
                            "np.linspace: between 0 and {} points",
                            fmt_count(MAX_ELEMENTS as u64)
                        ),
                    ));
                }
                let n = n as usize;
                // numpy: start + k·step, the last point exactly `stop`.
                let step = (b - a) / (n.max(2) - 1) as f64;
                let mut data: Vec<f64> = (0..n).map(|k| a + k as f64 * step).collect();
                if n > 1 {
                    data[n - 1] = b;
                }
                self.constant(Array::new(vec![n], data), span)
            }
            "maximum" | "minimum" | "add" | "subtract" | "multiply" | "divide" | "power" => {
                let (a, b) = (node(self, 0)?, node(self, 1)?);
                let op = match name {
                    "maximum" => Binary::Max,
                    "minimum" => Binary::Min,
                    "add" => Binary::Add,
                    "subtract" => Binary::Sub,
                    "multiply" => Binary::Mul,
                    "divide" => Binary::Div,
                    _ => Binary::Pow,
                };
                self.prim(AOp::Zip(op), vec![a, b], span)
            }
            "dot" | "matmul" => {
                let (a, b) = (node(self, 0)?, node(self, 1)?);
                let scalar = |t: &Tracer, id: NodeId| t.g.nodes[id.index()].shape.is_empty();
                let op = if scalar(self, a) || scalar(self, b) {
                    AOp::Zip(Binary::Mul)
                } else {
                    AOp::MatMul
                };
                self.prim(op, vec![a, b], span)
            }
            "outer" => {
                let (a, b) = (node(self, 0)?, node(self, 1)?);
                let (n, m) = (
                    self.g.nodes[a.index()].shape.iter().product(),
                    self.g.nodes[b.index()].shape.iter().product(),
                );
                let col = self.prim(AOp::Reshape(vec![n, 1]), vec![a], span)?;
                let row = self.prim(AOp::Reshape(vec![1, m]), vec![b], span)?;
                let (c, r) = (
                    self.node(&col).unwrap_or_default(),
                    self.node(&row).unwrap_or_default(),
                );
                self.prim(AOp::Zip(Binary::Mul), vec![c, r], span)
            }
            "transpose" => {
                let a = node(self, 0)?;
                self.prim(AOp::Transpose, vec![a], span)
            }
            "reshape" => {
                let a = node(self, 0)?;
                let dims = match self.expr(pos[1])? {
                    V::Int(i) => vec![i],
                    V::Tuple(items) | V::List(items) => items
                        .iter()
                        .map(|d| match d {
                            V::Int(i) => Ok(*i),
                            _ => Err(Error::new(
                                pos[1].span,
                                "a shape's lengths are whole numbers",
                            )),
                        })
                        .collect::<Result<_>>()?,
                    other => {
                        return Err(Error::new(
                            pos[1].span,
                            format!("a shape cannot be {}", other.kind()),
                        ))
                    }
                };
                self.reshape(a, &dims, span)
            }
            "sum" | "mean" | "std" | "max" | "amax" | "min" | "amin" => {
                let a = node(self, 0)?;
                let axis_expr = axis.or(pos.get(1).copied());
                let rank = self.g.nodes[a.index()].shape.len() as i64;
                let axis = match axis_expr {
                    None => None,
                    Some(e) => {
                        let k = self.int(e, "an axis")?;
                        let j = if k < 0 { k + rank } else { k };
                        if !(0..rank).contains(&j) {
                            return Err(Error::new(
                                e.span,
                                format!("axis {k} is out of bounds for array of dimension {rank}"),
                            ));
                        }
                        Some(j as usize)
                    }
                };
                if name == "std" {
                    return self.std(a, axis, span);
                }
                let r = match name {
                    "sum" | "mean" => Reduction::Sum,
                    "max" | "amax" => Reduction::Max,
                    _ => Reduction::Min,
                };
                let s = self.prim(AOp::Reduce(r, axis), vec![a], span)?;
                if name != "mean" {
                    return Ok(s);
                }
                let shape = &self.g.nodes[a.index()].shape;
                let count = axis.map_or(shape.iter().product(), |k| shape[k]) as f64;
                // The sum of a constant is a number (not a node): made a constant again.
                let s = self.node_of(&s, span)?;
                let c = self.constant(Array::scalar(count), span)?;
                let c = self.node(&c).unwrap_or_default();
                self.prim(AOp::Zip(Binary::Div), vec![s, c], span)
            }
            "where" => {
                let cond = self.expr(pos[0])?;
                let V::Mask(mask) = cond else {
                    return Err(Error::new(
                        pos[0].span,
                        "np.where's condition is a comparison, such as `x > 0`",
                    ));
                };
                let (a, b) = (node(self, 1)?, node(self, 2)?);
                let sa = &self.g.nodes[a.index()].shape;
                let sb = &self.g.nodes[b.index()].shape;
                let shape = broadcast_shapes(&mask.0, sa)
                    .and_then(|s| broadcast_shapes(&s, sb))
                    .map_err(|m| Error::new(span, m))?;
                let mask = broadcast_index(&mask.0, &shape)
                    .into_iter()
                    .map(|i| mask.1[i])
                    .collect();
                self.prim(AOp::Select { mask, shape }, vec![a, b], span)
            }
            "linalg.solve" => {
                let (a, b) = (node(self, 0)?, node(self, 1)?);
                self.prim(AOp::Solve, vec![a, b], span)
            }
            _ => Err(Error::new(
                span,
                format!("`np.{name}` is not one of the numpy functions AD Lab knows"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MLP: &str = "import autograd.numpy as np\n\ndef loss(W1=np.array([[0.5, -0.3], [0.1, 0.4]]), b1=np.array([0.1, 0.2]), w2=np.array([1.0, -1.0]), X=np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 1.0]]), y=np.array([1.0, -1.0, 1.0])):\n  h = np.tanh(X @ W1 + b1)\n  s = h @ w2\n  return np.mean(np.log(1 + np.exp(-y * s)))\n";

    /// The lecture's lines after the function give the point, as they do for the scalar lowering.
    #[test]
    fn the_lines_after_the_function_give_the_point() {
        let src = "import autograd.numpy as np\nfrom autograd import grad\n\ndef f(x, n=2):\n  return np.log(1 + x ** 2) / x * n\n\ng = grad(f)\nprint(g(1.0, n=1))\n";
        let g = lower_arrays(src, &[]).unwrap();
        assert_eq!(g.inputs[0].value.data, [1.0]);
        assert_eq!(g.int_params, [("n".to_string(), 1)]);
        let (f, grad) = crate::ad::nd::gradient(&g).unwrap();
        assert_eq!(
            (f, grad[0].data[0]),
            (0.6931471805599453, 0.3068528194400547)
        );
        let e = lower_arrays(&src.replace("n=1", "n=0.5"), &[]).unwrap_err();
        assert_eq!(
            e.message,
            "`n` counts (its default is 2): give it a whole number"
        );
    }

    /// autograd's own way of giving the point of a function of an array: the array in the call, written out or named
    /// first (`x0 = np.array([…])`), and computed from the data before the function.
    #[test]
    fn a_call_after_the_function_gives_arrays_too() {
        let f = "import autograd.numpy as np\nfrom autograd import grad, hessian\n\ndef f(x):\n  return np.sum(x ** 3)\n\n";
        for (after, want) in [
            ("print(grad(f)(np.array([2.0, 3.0])))\n", vec![2.0, 3.0]),
            (
                "x0 = np.array([1.0, -1.0, 0.5])\ng = grad(f)\nprint(g(x0))\n",
                vec![1.0, -1.0, 0.5],
            ),
            ("print(hessian(f)([2.0, 3.0]))\n", vec![2.0, 3.0]),
            ("print(grad(f)(np.ones(2) * 2))\n", vec![2.0, 2.0]),
            (
                "print(grad(f)(x=np.linspace(0, 1, 3)))\n",
                vec![0.0, 0.5, 1.0],
            ),
        ] {
            let g = lower_arrays(&(f.to_string() + after), &[]).unwrap();
            assert_eq!(g.inputs[0].value.data, want, "{after}");
            let (_, grad) = crate::ad::nd::gradient(&g).unwrap();
            let three_x2: Vec<f64> = want.iter().map(|x| 3.0 * x * x).collect();
            assert_eq!(grad[0].data, three_x2, "{after}");
        }
        // A count still wants a whole number; a name the lines do not define is said; the scalar lowering keeps
        // wanting numbers (the program then goes to the tracer).
        let counted = "import numpy as np\ndef f(x, n=2):\n  return np.sum(x) * n\nprint(f(1.0, np.ones(2)))\n";
        assert_eq!(
            lower_arrays(counted, &[]).unwrap_err().message,
            "`n` counts (its default is 2): give it a whole number"
        );
        let unknown = "import numpy as np\ndef f(x):\n  return np.sum(x)\nprint(f(x0))\n";
        assert!(lower_arrays(unknown, &[])
            .unwrap_err()
            .message
            .starts_with("`x0` is not defined"));
        let p = parse(&(f.to_string() + "print(grad(f)(np.array([2.0, 3.0])))\n")).unwrap();
        let limits = Limits {
            max_nodes: 1000,
            max_steps: 10_000,
        };
        assert!(crate::lang::lower::lower(&p, &limits).is_err());
    }

    /// A chapter's bounds, hit inside a loop: the same error, at the same place, as the scalar lowering gives.
    #[test]
    fn bounds_name_the_loop_as_the_scalar_lowering_does() {
        let limits = Limits {
            max_nodes: 1000,
            max_steps: 10_000,
        };
        for src in [
            "def f(x):\n  for i in range(5000):\n    x = x * 2\n  return x",
            "def f(x):\n  for i in range(5000):\n    for j in range(5000):\n      pass\n  return x",
            "def f(x, n=3):\n  v = x\n  for i in range(n):\n    for j in range(400):\n      v = 4 * v * (1 - v)\n  return v",
        ] {
            let p = parse(src).unwrap();
            let scalar = crate::lang::lower::lower(&p, &limits).unwrap_err();
            let traced = trace_with(&p, &[], &[("x".to_string(), Array::scalar(0.5))], &limits).unwrap_err();
            assert_eq!((traced.span, traced.message.as_str()), (scalar.span, scalar.message.as_str()), "{src}");
        }
    }

    /// Data defined before the function, as lecture code defines it, is read by the function like a default; the
    /// scalar lowering still refuses such statements with its own message.
    #[test]
    fn statements_before_the_function_define_its_data() {
        let before = "import autograd.numpy as np\nX = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 1.0]])\ny = np.array([1.0, -1.0, 1.0])\n\ndef loss(W1=np.array([[0.5, -0.3], [0.1, 0.4]]), b1=np.array([0.1, 0.2]), w2=np.array([1.0, -1.0])):\n  h = np.tanh(X @ W1 + b1)\n  s = h @ w2\n  return np.mean(np.log(1 + np.exp(-y * s)))\n";
        let a = lower_arrays(before, &[]).unwrap();
        let b = lower_arrays(MLP, &[]).unwrap();
        let (fa, ga) = crate::ad::nd::gradient(&a).unwrap();
        let (fb, gb) = crate::ad::nd::gradient(&b).unwrap();
        assert_eq!((fa, &ga[..3]), (fb, &gb[..3]));
        assert_eq!(a.inputs.len(), 3, "data is not an input");
        let e = crate::lang::lower_source(before).unwrap_err();
        assert_eq!(
            (e.span.line_col(before).line, e.message.as_str()),
            (
                2,
                "statements outside the function are not run: remove them"
            )
        );
        let e = lower_arrays("x = 1\nreturn x\ndef f(a=1.0):\n  return a\n", &[]).unwrap_err();
        assert_eq!(e.message, "`return` outside a function");
    }

    /// A network's loss is a graph of a dozen array operations, whatever the sizes: numpy's granularity.
    #[test]
    fn a_network_loss_is_a_few_array_nodes() {
        let g = lower_arrays(MLP, &[]).unwrap();
        assert_eq!(g.inputs.len(), 5);
        assert_eq!(g.inputs[0].value.shape, [2, 2]);
        let ops: Vec<String> = g
            .nodes
            .iter()
            .filter_map(|n| match &n.op {
                AOpNode::Prim(op, _) => Some(format!("{op:?}{:?}", n.shape)),
                _ => None,
            })
            .collect();
        assert_eq!(
            ops,
            [
                "MatMul[3, 2]",
                "Zip(Add)[3, 2]",
                "Map(Tanh)[3, 2]",
                "MatMul[3]",
                "Map(Neg)[3]",
                "Zip(Mul)[3]",
                "Map(Exp)[3]",
                "Zip(Add)[3]",
                "Map(Log)[3]",
                "Reduce(Sum, None)[]",
                "Zip(Div)[]",
            ]
        );
    }

    #[test]
    fn mistakes_are_numpy_errors_at_their_place() {
        let def = "import numpy as np\ndef f(A=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), v=np.array([1.0, 2.0, 3.0])):\n";
        for (body, line, column, says) in [
            (
                "  return np.sum(A + v)",
                3,
                17,
                "operands could not be broadcast together with shapes (3,2) (3,)",
            ),
            (
                "  return np.sum(A @ A)",
                3,
                17,
                "matmul: the shapes (3,2) and (3,2) do not match",
            ),
            (
                "  return np.sum(np.zeros(10**8))",
                3,
                26,
                "more than the 4,194,304 numbers",
            ),
            (
                "  s = 0.0\n  for i in range(10**9):\n    s = s + 1\n  return s",
                4,
                12,
                "more than the 1,000,000 steps",
            ),
            (
                "  return np.sum(np.linalg.solve(np.ones((2, 2)), v[:2]))",
                3,
                17,
                "Singular matrix",
            ),
            (
                "  return A[3, 0]",
                3,
                10,
                "index 3 is out of bounds for axis 0 with size 3",
            ),
            ("  return A[0, 0, 0]", 3, 10, "too many indices"),
            (
                "  return np.foo(A)",
                3,
                10,
                "`np.foo` is not one of the numpy functions",
            ),
            (
                "  return np.sum(A, axis=2)",
                3,
                25,
                "axis 2 is out of bounds",
            ),
            (
                "  return np.sum(A.reshape(4, 2))",
                3,
                17,
                "cannot reshape array of size 6 into shape (4,2)",
            ),
            (
                "  return np.sum(np.where(v, A, 0))",
                3,
                26,
                "condition is a comparison",
            ),
            (
                "  return B",
                3,
                10,
                "unknown name `B` (it is neither a parameter nor assigned before this line)",
            ),
            ("  return 1 / 0", 3, 10, "ZeroDivisionError"),
            (
                "  return np.sum(np.eye(100000))",
                3,
                24,
                "is more than the 4,194,304 numbers",
            ),
            (
                "  return np.sum(np.ones((2000, 2000)) @ np.ones((2000, 2000)))",
                3,
                17,
                "more than 1,000,000,000 multiplications",
            ),
            (
                "  s = 0.0\n  for i in range(100):\n    s = s + np.zeros((2000, 2000))\n  return s",
                5,
                13,
                "more than 16,777,216 numbers in all",
            ),
            ("  return [A] * 10**7", 3, 10, "a list of more than"),
            (
                "  return len(range(-2**62, 2**62, 3))",
                3,
                14,
                "more than the 1,000,000 steps",
            ),
            ("  return np.sum(np.arange(0, 1, 0))", 3, 17, "np.arange"),
        ] {
            let src = format!("{def}{body}\n");
            let e = lower_arrays(&src, &[]).expect_err(body);
            let at = e.span.line_col(&src);
            assert!(e.message.contains(says), "{body}: {}", e.message);
            assert_eq!(
                (at.line, at.column),
                (line, column),
                "{body}: {}",
                e.message
            );
        }
        // A parameter with no default and no call is a number input at 1, as in the scalar lowering (its field
        // gives it another value or an array).
        let g = lower_arrays("def f(W):\n  return W\n", &[]).unwrap();
        assert_eq!(g.inputs[0].value, Array::scalar(1.0));
    }

    /// Python's numbers, lists and loops run as Python runs them; only arrays become nodes.
    #[test]
    fn python_runs_as_python() {
        let src = "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0]), n=3):\n  total = 0\n  for k in range(1, n):\n    total += k\n  parts = [x[0], x[-1]] * 2\n  a, b = parts[1:3]\n  return (a * b + total) * np.sum(x[::2]) / len(x)\n";
        let g = lower_arrays(src, &[("n".into(), 4)]).unwrap();
        assert_eq!(g.int_params, [("n".to_string(), 4)]);
        let values = crate::ad::nd::evaluate(&g, &crate::ad::nd::point(&g)).unwrap();
        // total = 1 + 2 + 3, a·b = 3·1, Σ x[::2] = 4, len 3: (3 + 6)·4/3.
        assert_eq!(values[g.output().index()].data, [12.0]);
    }

    /// `np.mean` of a constant array is a number, and `np.std` is numpy's (a bug once read the mean of a constant
    /// as the graph's first node).
    #[test]
    fn mean_and_std_of_constants() {
        let src = "import numpy as np\nX = np.array([[1.0, 2.0], [3.0, 6.0]])\nm = np.mean(X)\ns = np.std(X, axis=0)\n\
                   t = np.std(X)\ndef f(w=np.zeros(2)):\n  return np.sum(X @ w) + m + np.sum(s) * 10 + t * 100\n";
        let g = lower_arrays(src, &[]).unwrap();
        let (value, _) = crate::ad::nd::gradient(&g).unwrap();
        // m = 3, std along axis 0 = (1, 2), std of all = sqrt(3.5).
        assert_eq!(value, 3.0 + 30.0 + 3.5f64.sqrt() * 100.0);
    }
}
