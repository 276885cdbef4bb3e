//! Derivative programs: a program transformed into the program that computes its derivatives, as the lecture shows
//! them — forward mode (`v, dv = …` in lock-step) and reverse mode (a forward sweep that stores what it overwrites in
//! `memory`, then a backward sweep).
//!
//! The generators work on the compiled program's syntax tree and graph (never on its text) and produce a syntax tree;
//! the text shown is printed from that tree, and the core runs the tree itself to check it ([`run`]). Programs whose
//! statements cannot be transformed as written (lists, loops over lists, a loop bound changed inside its loop, …)
//! are transformed as their Wengert list instead, and say so in a comment.
//!
//! ```
//! use ad_lab::lang::{compile::Compiled, Limits};
//! use ad_lab::transform::{forward_program, run};
//! let c = Compiled::new("def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n", &Limits::default()).unwrap();
//! let g = forward_program(&c, 0).unwrap();
//! assert!(g.text.contains("v, dv = 4 * v * (1 - v), 4 * dv * (1 - v) - 4 * dv * v"));
//! assert_eq!(run(&g, &[0.25], &Limits::default()).unwrap(), vec![-16.0]);
//! ```

mod analysis;
pub mod arrays;
mod bridge;
mod forward;
mod reverse;
mod rules;

use crate::lang::compile::Compiled;
use crate::lang::graph::Graph;
use crate::lang::lower::{lower_generated, Limits};
use crate::lang::print;
use crate::lang::syntax::Program;

/// Why a program has no generated code (the message is shown in place of the code).
pub type Unsupported = String;

/// A generated program: the tree the core runs, and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Generated {
    pub program: Program,
    pub text: String,
    /// Transformed as its Wengert list (one line per elementary operation) rather than as written.
    pub unrolled: bool,
}

impl Generated {
    fn new(program: Program, unrolled: bool) -> Generated {
        Generated {
            text: print::program(&program),
            program,
            unrolled,
        }
    }
}

/// The function to transform, and a note when it had to be unrolled.
fn prepare(c: &Compiled) -> Result<(analysis::Func, Option<String>), Unsupported> {
    match analysis::function(c) {
        Ok(f) => Ok((f, None)),
        Err(why) => {
            analysis::unrolled_size_ok(&c.graph)?;
            Ok((
                analysis::wengert(&c.graph),
                Some(format!(
                    "unrolled into elementary operations ({why} is not transformed as written)"
                )),
            ))
        }
    }
}

/// The forward-mode program: returns the tangents of the results when input number `wrt` (in the graph's order)
/// has tangent 1 and the others 0.
pub fn forward_program(c: &Compiled, wrt: usize) -> Result<Generated, Unsupported> {
    if wrt >= c.graph.inputs.len() {
        return Err("this function has no input to differentiate with respect to".into());
    }
    let (f, note) = prepare(c)?;
    let inputs = f.inputs(&c.graph);
    let wrt = c
        .graph
        .inputs
        .get(wrt)
        .and_then(|i| inputs.iter().position(|n| *n == i.name))
        .unwrap_or(usize::MAX);
    Ok(Generated::new(
        forward::forward(&f, &inputs, wrt, note.as_deref()),
        f.unrolled,
    ))
}

/// The reverse-mode program: returns the gradient of result number `output` with respect to the inputs.
pub fn reverse_program(c: &Compiled, output: usize) -> Result<Generated, Unsupported> {
    if c.graph.inputs.is_empty() {
        return Err("this function has no input: there is no gradient".into());
    }
    if output >= c.graph.outputs.len() {
        return Err("no such output".into());
    }
    let (f, note) = prepare(c)?;
    let inputs = f.inputs(&c.graph);
    Ok(Generated::new(
        reverse::reverse(&f, &inputs, output, note.as_deref()),
        f.unrolled,
    ))
}

/// [`run`], with products that have a zero factor taken as zero, as every engine takes them (IEEE says 0·∞ = NaN):
/// when the plain run differs from the engines and this one does not, that product is the whole difference.
pub fn run_structural(g: &Generated, values: &[f64], limits: &Limits) -> Result<Vec<f64>, String> {
    use crate::ad::eval;
    let graph = lower_generated(&g.program, &room(limits), true).map_err(|e| e.render(&g.text))?;
    Ok(eval::outputs(
        &graph,
        &eval::evaluate_structural(&graph, values),
    ))
}

/// The graph as a program, one assignment per node: the Wengert list.
pub fn wengert(g: &Graph) -> String {
    let f = analysis::wengert(g);
    let mut body = f.body;
    body.push(bridge::stmt(crate::lang::syntax::StmtKind::Return(
        bridge::tuple(f.results),
    )));
    print::program(&Program::Def {
        name: "f".into(),
        params: f.params,
        body,
        span: Default::default(),
        after: Vec::new(),
        before: Vec::new(),
    })
}

/// A derivative program does a few times the work of its function (values, tangents or adjoints, the stores): it
/// gets that much more room than the limits the function was compiled with.
fn room(limits: &Limits) -> Limits {
    Limits {
        max_nodes: limits.max_nodes.saturating_mul(5),
        max_steps: limits.max_steps.saturating_mul(5),
    }
}

/// Runs a generated program with the core (from its tree: no parse): what it returns at `values`. Its results are
/// derivatives, so the engines' overflow rule applies: results that come out NaN or infinite are computed again with
/// a wider exponent ([`crate::ad::wide`]), so that a derivative beyond the largest f64 reads ±∞ here as in the traces.
pub fn run(g: &Generated, values: &[f64], limits: &Limits) -> Result<Vec<f64>, String> {
    Ok(run_graph(&lower(g, limits)?, values))
}

/// The generated program as a graph, made once to be run at many points by [`run_graph`].
pub fn lower(g: &Generated, limits: &Limits) -> Result<Graph, String> {
    lower_generated(&g.program, &room(limits), false).map_err(|e| e.render(&g.text))
}

/// [`run`] of a program already lowered.
pub fn run_graph(graph: &Graph, values: &[f64]) -> Vec<f64> {
    use crate::ad::eval;
    let out = eval::outputs(graph, &eval::evaluate(graph, values));
    if !eval::needs_wide(&out) {
        return out;
    }
    let wide = eval::evaluate_generic(graph, &eval::widen(values));
    eval::narrow(&eval::outputs(graph, &wide))
}

#[cfg(test)]
mod tests;
