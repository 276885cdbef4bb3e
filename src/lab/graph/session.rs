//! Everything the graph lab computes from one program: the drawing (from the graph alone, [`Sketch`]) and, at one
//! point, both traces, both Jacobians and both derivative programs with the verdict of running them ([`Session`]).

use super::Mode;
use crate::ad::eval;
use crate::ad::trace::{forward_trace, op_expr, reverse_trace, ForwardTrace, ReverseTrace};
use crate::base::num::{fmt_count, fmt_full};
use crate::lab::Shared;
use crate::lang::compile::Compiled;
use crate::lang::graph::{Graph, Op};
use crate::layout::{layout, Layout, MAX_POINTS};
use crate::transform::{
    forward_program, lower, reverse_program, run_graph, run_structural, Generated,
};

/// Graphs above this many nodes are not drawn (the trace table and controls still work).
pub const MAX_DRAWN_NODES: usize = 1500;

/// What the chapter draws from the graph alone, whatever the inputs: computed once per program.
#[derive(Debug)]
pub struct Sketch {
    /// The drawing, or why there is none (too many nodes, or edges that skip too many layers).
    pub layout: Result<Layout, String>,
    /// Each node's operation as text (`x²`, `v₁·y`), `input` for inputs.
    pub ops: Vec<String>,
}

impl Sketch {
    pub fn new(g: &Graph) -> Sketch {
        Sketch {
            layout: if g.len() > MAX_DRAWN_NODES {
                Err(format!(
                    "This graph has {} nodes; drawings stop at {MAX_DRAWN_NODES}.",
                    fmt_count(g.len() as u64)
                ))
            } else {
                layout(g).ok_or_else(|| {
                    format!(
                        "This graph's edges skip so many columns that its drawing would need more than {} points.",
                        fmt_count(MAX_POINTS as u64)
                    )
                })
            },
            ops: g
                .ids()
                .map(|id| match g.node(id).op {
                    Op::Input(_) => "input".to_string(),
                    _ => op_expr(g, id).to_math_text(),
                })
                .collect(),
        }
    }
}

/// The derivative programs, which depend on the program and the seeds but not on the inputs' values: made once per
/// program and seed, not on every new input value.
#[derive(Debug, PartialEq)]
pub struct Programs {
    pub forward: Result<Generated, String>,
    pub reverse: Result<Generated, String>,
    /// Each program as the core runs it (lowered once: a new input value only runs them again).
    runnable: [Option<Result<Graph, String>>; 2],
}

impl Programs {
    pub fn new(compiled: &Compiled, wrt: usize, out: usize) -> Programs {
        let (forward, reverse) = (
            forward_program(compiled, wrt),
            reverse_program(compiled, out),
        );
        let lowered =
            |code: &Result<Generated, String>| Some(lower(code.as_ref().ok()?, &super::limits()));
        Programs {
            runnable: [lowered(&forward), lowered(&reverse)],
            forward,
            reverse,
        }
    }

    /// What the program for `mode` returns at `values` (`None` when there is no program).
    fn run(&self, mode: Mode, values: &[f64]) -> Option<Result<Vec<f64>, String>> {
        let graph = self.runnable[mode as usize].as_ref()?;
        Some(
            graph
                .as_ref()
                .map(|g| run_graph(g, values))
                .map_err(Clone::clone),
        )
    }
}

/// Everything the chapter derives from one program at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub compiled: Shared<Compiled>,
    pub sketch: Shared<Sketch>,
    pub forward: ForwardTrace,
    pub reverse: ReverseTrace,
    /// The Jacobian (outputs × inputs) by forward passes and by reverse passes.
    pub jacobian_forward: Vec<Vec<f64>>,
    pub jacobian_reverse: Vec<Vec<f64>>,
    /// The derivative programs, or why there is none.
    pub programs: Shared<Programs>,
    /// What the generated programs return when the core runs them at the same inputs.
    pub forward_run: Option<Result<Vec<f64>, String>>,
    pub reverse_run: Option<Result<Vec<f64>, String>>,
    /// Where a NaN or infinity first appears, in words.
    pub domain: Option<String>,
    /// The inputs' values.
    pub values: Vec<f64>,
}

/// The verdict on a generated program: what it returned against what the trace computed.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeCheck {
    pub returned: Result<Vec<f64>, String>,
    pub expected: Vec<f64>,
    /// The same numbers (NaN and ±∞ included; zeros of either sign are the same number).
    pub matches: bool,
    /// When they differ: only because plain arithmetic makes 0·∞ = NaN where the engines take a zero factor as
    /// contributing nothing (the program run with that one rule gives the trace's numbers).
    pub zero_times_infinity: bool,
    /// When they differ otherwise: the trace's sweep overflows f64 (the engines then use a wider exponent, which the
    /// program's plain arithmetic does not have).
    pub overflow: bool,
}

impl Session {
    pub fn new(
        compiled: &Shared<Compiled>,
        sketch: Shared<Sketch>,
        programs: Shared<Programs>,
        values: &[f64],
        wrt: usize,
        out: usize,
    ) -> Session {
        let g = &compiled.graph;
        let primals = eval::evaluate(g, values);
        Session {
            compiled: compiled.clone(),
            sketch,
            forward: forward_trace(g, values, wrt),
            reverse: reverse_trace(g, values, out),
            jacobian_forward: eval::jacobian_forward(g, &primals),
            jacobian_reverse: eval::jacobian_reverse(g, &primals),
            domain: eval::domain_issue(g, &primals).map(|d| d.describe(g)),
            forward_run: programs.run(Mode::Forward, values),
            reverse_run: programs.run(Mode::Reverse, values),
            programs,
            values: values.to_vec(),
        }
    }

    pub fn graph(&self) -> &Graph {
        &self.compiled.graph
    }

    /// The derivative program for `mode`, or why there is none.
    pub fn code(&self, mode: Mode) -> &Result<Generated, String> {
        match mode {
            Mode::Forward => &self.programs.forward,
            Mode::Reverse => &self.programs.reverse,
        }
    }

    /// The program shown for `mode`, and the verdict of running it (`None` when there is no program).
    pub fn code_check(&self, mode: Mode) -> Option<CodeCheck> {
        let g = self.graph();
        let (run, expected): (&Option<Result<Vec<f64>, String>>, Vec<f64>) = match mode {
            Mode::Forward => (
                &self.forward_run,
                g.outputs
                    .iter()
                    .map(|o| self.forward.steps[o.index()].tangent)
                    .collect(),
            ),
            Mode::Reverse => (
                &self.reverse_run,
                g.inputs
                    .iter()
                    .map(|i| self.reverse.adjoints[i.node.index()])
                    .collect(),
            ),
        };
        let returned = run.clone()?;
        let same = |r: &[f64]| {
            r.len() == expected.len()
                && r.iter()
                    .zip(&expected)
                    .all(|(a, b)| a == b || fmt_full(*a) == fmt_full(*b))
        };
        let matches = returned.as_ref().is_ok_and(|r| same(r));
        let zero_times_infinity = !matches && returned.is_ok() && {
            let code = self.code(mode);
            code.as_ref().is_ok_and(|c| {
                run_structural(c, &self.values, &super::limits()).is_ok_and(|r| same(&r))
            })
        };
        let overflow = !matches && !zero_times_infinity && {
            let primals = eval::evaluate(g, &self.values);
            let (n, reverse, k) = match mode {
                Mode::Forward => (g.inputs.len(), false, self.forward.wrt),
                Mode::Reverse => (g.outputs.len(), true, self.reverse.output),
            };
            let mut seed = vec![0.0; n];
            if let Some(s) = seed.get_mut(k) {
                *s = 1.0;
            }
            eval::plain_sweep_overflows(g, &primals, &seed, reverse)
        };
        Some(CodeCheck {
            returned,
            expected,
            matches,
            zero_times_infinity,
            overflow,
        })
    }
}
