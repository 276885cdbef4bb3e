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

pub mod arrays;
mod driver;
mod expr;
pub(crate) mod ints;
mod names;

/// A script's free names (`x`, `y` of `y * x**2`): its inputs, in order of appearance.
pub fn free_input_names(stmts: &[crate::lang::syntax::Stmt]) -> Vec<String> {
    names::free_names(stmts)
}
mod prune;
mod value;

use super::graph::{Graph, Input, Node, NodeId, Note, Op};
use super::parser::parse;
use super::syntax::*;
use crate::base::num::fmt_count;
use crate::base::op::Unary;
use crate::base::source::{Error, Result, Span};
use ints::{range_item, range_len};
pub(crate) use names::free_names;
use prune::prune;
use value::{Env, Val};

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
            max_steps: 1_000_000,
        }
    }
}

/// A note for the page, once per place and at most 20: the rule both lowerings follow.
pub(crate) fn add_note(notes: &mut Vec<Note>, span: Span, message: String) {
    if notes.len() < 20 && !notes.iter().any(|n| n.span == span) {
        notes.push(Note { span, message });
    }
}

/// A loop being unrolled: (span of the `for`, repetitions, repetitions done).
pub(crate) type LoopAt = (Span, u64, u64);

impl Limits {
    /// The error for a graph past `max_nodes`, at the outermost loop running (if any), saying how far it got.
    pub(crate) fn too_many_nodes(&self, loops: &[LoopAt], span: Span) -> Error {
        let mut msg = format!(
            "the unrolled graph would have more than {} operations, the most AD Lab builds",
            fmt_count(self.max_nodes as u64)
        );
        if let Some(&(_, total, done)) = loops.first() {
            msg.push_str(&format!(
                "; the loop here had run {} of its {} repetitions",
                fmt_count(done),
                fmt_count(total)
            ));
        }
        Error::new(loops.first().map_or(span, |l| l.0), msg)
    }

    /// The error for more than `max_steps` statements run, at the outermost loop running (if any).
    pub(crate) fn too_many_steps(&self, loops: &[LoopAt], span: Span) -> Error {
        Error::new(
            loops.first().map_or(span, |l| l.0),
            format!(
                "the program runs more than {} statements, the most AD Lab unrolls",
                fmt_count(self.max_steps)
            ),
        )
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

/// Module prefixes accepted before a function name (`np.sin`, `math.log`).
pub(crate) const MODULES: &[&str] = &["np", "numpy", "math", "jnp", "anp", "onp"];
pub(crate) const BUILTINS: &[&str] = &[
    "range", "len", "reversed", "float", "int", "list", "pi", "max", "min",
];

struct Lowerer<'a> {
    limits: &'a Limits,
    graph: Graph,
    env: Env,
    steps: u64,
    /// Loops being unrolled: (span of the `for`, repetitions, current repetition).
    loops: Vec<LoopAt>,
    is_def: bool,
    /// Values for integer parameters, replacing their defaults (`n` of `def f(x, n=4)`).
    overrides: &'a [(String, i64)],
    /// How a derivative program is run (see [`lower_generated`]); `None` for a user's program.
    generated: Option<Generated>,
}

/// Running a generated derivative program rather than a user's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Products of constants with a zero factor fold to zero (the engines' structural zero) rather than IEEE's
    /// 0·∞ = NaN.
    pub structural: bool,
}

pub fn lower(program: &Program, limits: &Limits) -> Result<Graph> {
    lower_with(program, limits, &[])
}

/// [`lower`] for a generated derivative program. Its whole-number literals are written as integers (`x**2` for the
/// source's `x**2.0`), so integer arithmetic that overflows 64 bits — where Python's integers would grow — goes on in
/// floats, as the source's float arithmetic did. With `structural`, a zero factor makes a product of constants zero
/// (0·∞ = 0): the rule every engine applies to the chain rule's products (the graph is then evaluated with
/// `eval::evaluate_structural`).
pub fn lower_generated(program: &Program, limits: &Limits, structural: bool) -> Result<Graph> {
    lower_inner(program, limits, &[], Some(Generated { structural }))
}

/// Lowers with some integer parameters set to other values than their defaults.
pub fn lower_with(
    program: &Program,
    limits: &Limits,
    overrides: &[(String, i64)],
) -> Result<Graph> {
    lower_inner(program, limits, overrides, None)
}

fn lower_inner(
    program: &Program,
    limits: &Limits,
    overrides: &[(String, i64)],
    generated: Option<Generated>,
) -> Result<Graph> {
    let mut l = Lowerer {
        generated,
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
            name,
            params,
            body,
            span,
            after,
            before,
        } => {
            if let Some(first) = before.first() {
                return Err(Error::new(
                    first.span,
                    "statements outside the function are not run: remove them",
                ));
            }
            l.is_def = true;
            let given = driver::point(name, params, after)?;
            for (p, given) in params.iter().zip(given) {
                l.param(p, given)?;
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
    let mut g = prune(l.graph);
    g.choose_label_prefix();
    Ok(g)
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

    /// A parameter: an input, or a count (an integer default). `given` is the value a call after the function gives
    /// it (`g(0.25, n=5)`), which replaces the default.
    fn param(&mut self, p: &Param, given: Option<driver::Given>) -> Result<()> {
        let number = given.map(|g| g.0);
        match &p.default {
            None => self.new_input(p.name.clone(), number, p.span),
            Some(d) => match self.expr(d)? {
                Val::Int(i) => {
                    let i = match (self.overrides.iter().find(|(n, _)| *n == p.name), given) {
                        (Some(o), _) => o.1,
                        (None, Some((j, true, _))) => j as i64,
                        (None, Some((_, _, at))) => {
                            return Err(Error::new(
                                at,
                                format!(
                                    "`{}` counts (its default is {i}): give it a whole number",
                                    p.name
                                ),
                            ))
                        }
                        (None, None) => i,
                    };
                    self.graph.int_params.push((p.name.clone(), i));
                    self.env.insert(p.name.clone(), Val::Int(i));
                }
                Val::Float(x) => self.new_input(p.name.clone(), Some(number.unwrap_or(x)), p.span),
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
            return Err(self.limits.too_many_nodes(&self.loops, span));
        }
        let id = NodeId(self.graph.nodes.len() as u32);
        self.graph.nodes.push(Node { op, span });
        Ok(id)
    }

    fn step(&mut self, span: Span) -> Result<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.limits.too_many_steps(&self.loops, span));
        }
        Ok(())
    }

    fn note(&mut self, span: Span, message: String) {
        add_note(&mut self.graph.notes, span, message);
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
            StmtKind::For { .. } | StmtKind::Pass | StmtKind::Comment(_) => Err(Error::new(
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
                    for (t, v) in targets.iter().zip(items.iter()) {
                        self.bind(t, v.clone())?;
                    }
                }
            }
            StmtKind::AugAssign(target, op, value) => {
                let rhs = self.expr(value)?;
                let current = self.lookup(&target.name, target.span)?;
                // `m += …` changes a list in place in Python, for every holder: only a list held by this name alone
                // can follow (see `list_method`).
                if let Val::List(items) = &current {
                    if std::rc::Rc::strong_count(items) > 2 {
                        return Err(expr::shared_list(&target.name, s.span));
                    }
                }
                let v = self.binop(*op, current, rhs, s.span)?;
                self.bind(target, v)?;
            }
            StmtKind::For { var, iter, body } => return self.for_loop(var, iter, body, s.span),
            StmtKind::Return(e) => return Ok(Flow::Return(self.expr(e)?, e.span)),
            StmtKind::Expr(e) => {
                self.expr(e)?;
            }
            StmtKind::Pass | StmtKind::Comment(_) => {}
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
        // Every repetition counts as a step, even of a body with nothing to run (`import math` is dropped).
        if count.saturating_mul(body.len().max(1) as u64) > self.limits.max_steps {
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
                Val::Range(start, _, step) => Val::Int(range_item(*start, *step, k)),
                Val::List(v) | Val::Tuple(v) => v[k as usize].clone(),
                _ => Val::None,
            };
            self.bind(var, item)?;
            self.step(span)?;
            if let Flow::Return(v, s) = self.block(body)? {
                self.loops.pop();
                return Ok(Flow::Return(v, s));
            }
        }
        self.loops.pop();
        Ok(Flow::Next)
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
            other => std::rc::Rc::new(vec![other]),
        };
        for item in items.iter().cloned() {
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

#[cfg(test)]
mod tests {
    use super::*;

    pub const LOGISTIC: &str =
        "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

    /// The lecture's code as written: imports, the function, then `g = grad(f)` and a call giving the point.
    #[test]
    fn lines_after_the_function_give_the_point() {
        let lecture = format!(
            "import numpy as np\nfrom autograd import grad\n\n{LOGISTIC}\ng = grad(f)\nprint(g(0.25))\n"
        );
        let g = lower_source(&lecture).unwrap();
        assert_eq!(g.inputs[0].default, Some(0.25));
        assert_eq!(g.int_params, [("n".to_string(), 4)]);
        for (src, x, n) in [
            ("f(1.)", 1.0, 4),
            ("y = f(0.5)\nprint(y)", 0.5, 4),
            ("grad(f)(0.125, n=2)", 0.125, 2),
            ("print(autograd.value_and_grad(f)(x=-1, n=3)[1])", -1.0, 3),
            (
                "from scipy.optimize import approx_fprime\napprox_fprime(0.75, f, 1e-7)",
                0.75,
                4,
            ),
            ("h = jacobian(grad(f))\nh(0.3, 5)", 0.3, 5),
            ("g = grad(f)\nf(0.1); g(0.2)", 0.2, 4),
            ("x0 = 0.375\ng = grad(f)\nprint(g(x0))", 0.375, 4),
            (
                "x, k = 1.0, 2\nx = -0.5\nk = 3\nprint(grad(f)(x, n=k))\nx = 9.0",
                -0.5,
                3,
            ),
        ] {
            let g = lower_source(&format!("{LOGISTIC}{src}\n"))
                .unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert_eq!(g.inputs[0].default, Some(x), "{src}");
            assert_eq!(g.int_params[0].1, n, "{src}");
            assert_eq!(g.intermediates(), 3 * n as usize, "{src}");
        }
        // Mistakes are explained where they are.
        for (src, at, says) in [
            ("g(0.25)", "g(0.25)", "`g` is not defined here"),
            ("x = (1.0, 2.0)", "1.0", "reads only lines that use `f`"),
            // A list may be the point of a numpy program (the array tracer reads it); here it is refused.
            ("x = [3.0]\nf(x)", "[3.0]", "given by numbers"),
            ("x, n = 0.5, [2]\nf(x, n)", "[2]", "given by numbers"),
            ("print(f(x0))", "x0", "`x0` is not defined"),
            (
                "for i in range(3):\n  f(1.0)",
                "for",
                "reads only lines that use `f`",
            ),
            (
                "g = grad(f)\ng(0.25, axis=0)",
                "axis",
                "no parameter `axis`",
            ),
            ("f(0.25, 4, 5)", "5)", "takes 2 argument(s), but more"),
            ("f(0.25, m=4)", "m=4", "`f` has no parameter `m`"),
            ("f(0.25, x=1.0)", "x=1.0", "`x` is given twice"),
            ("f(0.25, 4.5)", "4.5", "give it a whole number"),
            ("f(n=3)", "f(n=3)", "gives `x` no value"),
            ("f([1.0])", "[1.0]", "given by numbers"),
            ("y = f(1.0)\ny(2.0)", "y(2.0)", "not a function"),
            ("grad(3)", "3", "reads only lines that use `f`"),
            ("grad(f(1.0))", "f(1.0)", "takes the function itself"),
        ] {
            let text = format!("{LOGISTIC}{src}\n");
            let e = lower_source(&text).expect_err(src);
            let start = LOGISTIC.len() + src.find(at).unwrap();
            assert_eq!(e.span.start as usize, start, "{src}: {e:?}");
            assert!(e.message.contains(says), "{src}: {}", e.message);
        }
    }

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
            ("range(2**100)[0] * x", 1, 7, "must be a whole number"),
            ("a, b = x\na", 1, 8, "2 names on the left"),
            ("log + x", 1, 1, "is a function"),
            ("y + (x == 1)", 1, 5, "comparisons (`==`) are not supported"),
            ("x @ y", 1, 1, "matrix products (`@`) are not supported"),
            (
                "a = [x, y]
a[0, 1]",
                2,
                3,
                "must be a whole number",
            ),
            (
                "a = [x, y]
a[0:1, 1]",
                2,
                3,
                "one index or slice",
            ),
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
            max_steps: 1_000_000,
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
        let g = lower_source("x + 10.0**400").unwrap();
        assert_eq!(g.notes.len(), 1);
        assert!(g.notes[0].message.contains("overflow"), "{:?}", g.notes);
        // Dividing a known number by zero stops the program, as in Python, whatever the operator and the types.
        for src in [
            "x + 1/0",
            "x + 1.0/0.0",
            "x + 0**-1",
            "x + 0.0**-2",
            "x + 7//0",
            "x + 7 % 0",
            "x + 7.0 // 0.0",
        ] {
            let e = lower_source(src).unwrap_err();
            assert!(
                e.message.contains("ZeroDivisionError"),
                "{src}: {}",
                e.message
            );
        }
        assert!(lower_source("x ^ 2")
            .unwrap_err()
            .message
            .contains("write `**`"));
    }

    #[test]
    fn python_integer_semantics() {
        let g = lower_source("x * (7 // 2) + x * (-7 % 3) + x * (1 / 2) + x * 2**-1").unwrap();
        let out = crate::ad::eval::evaluate(&g, &[1.0]);
        assert_eq!(out[g.outputs[0].index()], 3.0 + 2.0 + 0.5 + 0.5);
    }
}
