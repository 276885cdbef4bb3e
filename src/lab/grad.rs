//! Chapter "What is automatic differentiation?" (`#/grad`): a function, its value and gradient by reverse mode, by
//! forward mode, and by a forward difference, at a point.

use super::field::{positive_named, Field};
use super::program::{
    Example, ProgramAction, ProgramState, Traced, LOGISTIC, LOG_RATIO, SQUARE, Y_X_SQUARED,
};
use super::{ChapterModel, Shared};
use crate::ad::eval::{self, domain_issue};
use crate::ad::hessian::hessian;
use crate::ad::taylor::derivatives_along;
use crate::base::array::Array;
use crate::base::num::fmt_compact;
use crate::base::url::Location;
use crate::lang::compile::Compiled;
use crate::lang::Limits;

pub const EXAMPLES: &[Example] = &[
    SQUARE,
    LOG_RATIO,
    LOGISTIC,
    Y_X_SQUARED,
    Example {
        title: "sin(x)·exp(−x²/2)",
        source: "sin(x) * exp(-x**2 / 2)",
        inputs: &[("x", 0.5)],
    },
    Example {
        title: "two outputs: (x·y, x + y)",
        source: "def f(x, y):\n  return x * y, x + y\n",
        inputs: &[("x", 2.0), ("y", 3.0)],
    },
    Example {
        title: "second order: log(x1) + x1·x2 − sin(x2)",
        source: "log(x1) + x1*x2 - sin(x2)",
        inputs: &[("x1", 2.0), ("x2", 5.0)],
    },
    Example {
        title: "numpy: a tanh layer's least squares",
        source: "import autograd.numpy as np\nfrom autograd import grad\n\nX = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])\ny = np.array([1.0, -1.0, 0.5])\n\ndef loss(W=np.array([[0.5, -0.3], [0.1, 0.4]]), b=np.array([0.1, -0.2])):\n  h = np.tanh(X @ W + b)\n  return np.sum((h @ np.array([1.0, -1.0]) - y) ** 2)\n\ng = grad(loss)\n",
        inputs: &[],
    },
];

/// The second-order panel is shown for programs with at most this many inputs (n Hessian-vector products).
pub const MAX_HESSIAN_INPUTS: usize = 10;

pub const DEFAULT_H: f64 = 1e-7;

#[derive(Clone, Debug, PartialEq)]
pub struct GradState {
    pub program: ProgramState,
    /// The forward-difference step.
    pub h: Field<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GradAction {
    Program(ProgramAction),
    H(String),
}

impl Default for GradState {
    fn default() -> GradState {
        GradState::from_example(&EXAMPLES[2])
    }
}

impl GradState {
    pub fn from_example(e: &Example) -> GradState {
        GradState {
            program: ProgramState::from_example_in(e, Limits::default(), true),
            h: Field::new(DEFAULT_H, fmt_compact(DEFAULT_H)),
        }
    }

    /// Everything the page shows, computed from the current program and values (`None` without a program or while a
    /// field is not a number).
    pub fn results(&self) -> Option<GradResults> {
        let compiled = self.program.compiled.as_ref()?;
        let values = self.program.values()?;
        Some(GradResults::compute(compiled, &values, self.h.value))
    }

    /// The same for a numpy program (traced at array granularity): `None` while there is none or a field is not an
    /// array; an error for a function whose value is not one number.
    pub fn array_results(&self) -> Option<Result<ArrayResults, String>> {
        if self.program.compiled.is_some() {
            return None;
        }
        let t = self.program.traced.as_ref()?;
        if self.program.inputs.iter().any(|f| f.problem().is_some()) {
            return None;
        }
        Some(ArrayResults::compute(t, self.h.value))
    }
}

/// Forward mode and differences take one pass over the graph per input number: they are run while that is at most
/// this many multiplications (reverse mode and the value always are).
pub const MAX_PASSES_WORK: u64 = 200_000_000;

/// A numpy program's results: the value, the gradient in each input's shape by reverse mode (one backward sweep) and
/// by forward mode (one sweep per input number), forward differences, and the Hessian over up to
/// [`MAX_HESSIAN_INPUTS`] input numbers with central differences of the gradient beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrayResults {
    pub traced: Shared<Traced>,
    pub value: f64,
    pub reverse: Vec<Array>,
    /// `None` past [`MAX_PASSES_WORK`].
    pub forward: Option<Vec<Array>>,
    pub fd: Option<Vec<Array>>,
    /// Input numbers in all, and the multiplications of one evaluation.
    pub numbers: usize,
    pub work: u64,
    /// Where a NaN or infinity first came from finite numbers: `line L, column C: …`.
    pub domain: Option<String>,
    /// Over all input numbers (inputs in order, each row-major); `fd_step` as [`SecondOrder`]'s.
    pub hessian: Option<Vec<Vec<f64>>>,
    pub hessian_fd: Option<Vec<Vec<f64>>>,
}

impl ArrayResults {
    pub fn compute(t: &Shared<Traced>, h: f64) -> Result<ArrayResults, String> {
        use crate::ad::nd;
        use crate::lang::agraph::AOpNode;
        let g = &t.graph;
        let x = nd::point(g);
        let values = nd::evaluate(g, &x)?;
        let out = &values[g.output().index()];
        if out.data.len() != 1 {
            return Err(format!(
                "a gradient needs a function that returns one number; this one returns an array of shape {}",
                crate::base::array::fmt_shape(&out.shape)
            ));
        }
        let value = out.data[0];
        let reverse = nd::vjp(g, &values, Array::scalar(1.0));
        let numbers: usize = x.iter().map(Array::len).sum();
        let work: u64 = g
            .nodes
            .iter()
            .map(|n| match &n.op {
                AOpNode::Prim(op, args) => {
                    let shapes: Vec<&[usize]> = args
                        .iter()
                        .map(|p| g.nodes[p.index()].shape.as_slice())
                        .collect();
                    op.work(&shapes)
                }
                _ => 0,
            })
            .sum();
        let passes = (numbers as u64).saturating_mul(work.max(1)) <= MAX_PASSES_WORK;
        let forward = if passes {
            Some(nd::gradient_forward(g)?)
        } else {
            None
        };
        // f at the point with one input number moved by `by`.
        let moved = |i: usize, j: usize, by: f64| -> Result<Vec<Array>, String> {
            let mut y = x.clone();
            y[i].data[j] += by;
            nd::evaluate(g, &y)
        };
        let fd = if passes {
            let mut fd: Vec<Array> = x.iter().map(|a| Array::zeros(&a.shape)).collect();
            for (i, a) in x.iter().enumerate() {
                for j in 0..a.len() {
                    let v = moved(i, j, h)?;
                    fd[i].data[j] = (v[g.output().index()].data[0] - value) / h;
                }
            }
            Some(fd)
        } else {
            None
        };
        let domain = g.nodes.iter().enumerate().find_map(|(k, n)| {
            let finite = |a: &Array| a.data.iter().all(|v| v.is_finite());
            let from_finite = match &n.op {
                AOpNode::Prim(_, args) => args.iter().all(|p| finite(&values[p.index()])),
                _ => true,
            };
            (!finite(&values[k]) && from_finite).then(|| {
                let what = match &n.op {
                    AOpNode::Input(_) => "this input holds a number that is not finite",
                    AOpNode::Const(_) => "the program's constant is not finite",
                    AOpNode::Prim(..) => "this operation gives NaN or ±∞ from finite numbers",
                };
                crate::base::source::Error::new(n.span, what).render(&t.source)
            })
        });
        let (hessian, hessian_fd) = if numbers > 0 && numbers <= MAX_HESSIAN_INPUTS {
            let step = SECOND_ORDER_STEP;
            let mut fdm = vec![vec![0.0; numbers]; numbers];
            let mut b = 0;
            for (i, a) in x.iter().enumerate() {
                for j in 0..a.len() {
                    let s = step * a.data[j].abs().max(1.0);
                    let grad_at = |by: f64| -> Result<Vec<f64>, String> {
                        let v = moved(i, j, by)?;
                        let gr = nd::vjp(g, &v, Array::scalar(1.0));
                        Ok(gr.into_iter().flat_map(|a| a.data).collect())
                    };
                    let (hi, lo) = (grad_at(s)?, grad_at(-s)?);
                    for (row, (p, q)) in fdm.iter_mut().zip(hi.iter().zip(&lo)) {
                        row[b] = (p - q) / (2.0 * s);
                    }
                    b += 1;
                }
            }
            (Some(nd::hessian(g)?), Some(fdm))
        } else {
            (None, None)
        };
        Ok(ArrayResults {
            traced: t.clone(),
            value,
            reverse,
            forward,
            fd,
            numbers,
            work,
            domain,
            hessian,
            hessian_fd,
        })
    }

    /// Largest |other − reverse| relative to max(1, |reverse|) over input `k`'s finite entries, for forward mode's
    /// or the differences' gradient (`None` when it was not run).
    pub fn closeness(&self, other: &Option<Vec<Array>>, k: usize) -> Option<f64> {
        let (o, r) = (&other.as_ref()?[k], &self.reverse[k]);
        Some(
            o.data
                .iter()
                .zip(&r.data)
                .filter(|(a, r)| a.is_finite() && r.is_finite())
                .map(|(a, r)| (a - r).abs() / r.abs().max(1.0))
                .fold(0.0, f64::max),
        )
    }

    /// [`ArrayResults::closeness`] over every input: (forward mode, differences).
    pub fn agreement(&self) -> (Option<f64>, Option<f64>) {
        let worst = |other: &Option<Vec<Array>>| {
            (0..self.reverse.len())
                .map(|k| self.closeness(other, k))
                .try_fold(0.0, |m, c| c.map(|c| f64::max(m, c)))
        };
        (worst(&self.forward), worst(&self.fd))
    }

    /// Largest |H − differences| relative to max(1, |H|), over finite entries.
    pub fn hessian_agreement(&self) -> Option<f64> {
        let (h, d) = (self.hessian.as_ref()?, self.hessian_fd.as_ref()?);
        Some(
            h.iter()
                .flatten()
                .zip(d.iter().flatten())
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|(a, b)| (a - b).abs() / a.abs().max(1.0))
                .fold(0.0, f64::max),
        )
    }
}

/// The relative step of the central differences that check a Hessian.
pub const SECOND_ORDER_STEP: f64 = 1e-5;

impl ChapterModel for GradState {
    type Action = GradAction;

    /// The state a permalink describes; anything unusable falls back and is reported in `notices`.
    fn from_location(loc: &Location, notices: &mut Vec<String>) -> GradState {
        let d = GradState::default();
        GradState {
            program: ProgramState::from_query_in(
                loc,
                &EXAMPLES[2],
                Limits::default(),
                true,
                notices,
            ),
            h: d.h.from_link(loc, "h", check_h, notices),
        }
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = self.program.query();
        q.push(("h".into(), self.h.text.clone()));
        q
    }

    fn apply(&self, action: GradAction) -> GradState {
        let mut s = self.clone();
        match action {
            GradAction::Program(a) => s.program = self.program.apply(a, EXAMPLES),
            GradAction::H(text) => s.h = self.h.edit(text, check_h),
        }
        s
    }
}

/// Checks a step h typed by the user.
pub fn check_h(text: &str) -> Result<f64, String> {
    positive_named(text, "h", "1e-7")
}

/// Second derivatives of the first output: the Hessian by forward over reverse, checked two independent ways.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondOrder {
    /// `matrix[a][b]` = ∂²f/∂a∂b, inputs in the graph's order.
    pub matrix: Vec<Vec<f64>>,
    /// ∂²f/∂a² by Taylor mode (a second-order forward pass along each input).
    pub taylor_diagonal: Vec<f64>,
    /// Diagonal entries the chain rule does not determine (see `ad::hessian::singular_diagonal`): not compared.
    pub singular: Vec<bool>,
    /// The step of the central differences of the gradient.
    pub fd_step: f64,
    /// (∇f(x + h·e_b) − ∇f(x − h·e_b)) / 2h, column b: an approximation of the same matrix.
    pub fd_matrix: Vec<Vec<f64>>,
}

impl SecondOrder {
    pub fn compute(c: &Compiled, values: &[f64]) -> SecondOrder {
        let g = &c.graph;
        let n = values.len();
        let matrix = hessian(g, values).matrix;
        let taylor_diagonal = (0..n)
            .map(|i| derivatives_along::<4>(g, values, i, 0)[2])
            .collect();
        let singular = crate::ad::hessian::singular_diagonal(g, &eval::evaluate(g, values));
        let fd_step = SECOND_ORDER_STEP;
        let mut fd_matrix = vec![vec![0.0; n]; n];
        for b in 0..n {
            let shifted = |s: f64| {
                let mut v = values.to_vec();
                v[b] += s * fd_step * values[b].abs().max(1.0);
                eval::value_and_grad(g, &v).1
            };
            let (hi, lo) = (shifted(1.0), shifted(-1.0));
            let step = 2.0 * fd_step * values[b].abs().max(1.0);
            for a in 0..n {
                fd_matrix[a][b] = (hi[a] - lo[a]) / step;
            }
        }
        SecondOrder {
            matrix,
            taylor_diagonal,
            singular,
            fd_step,
            fd_matrix,
        }
    }

    /// How closely the two checks agree with the Hessian.
    pub fn agreement(&self) -> Agreement {
        let rel = |a: f64, b: f64| (a - b).abs() / a.abs().max(1.0);
        // Taylor mode follows the same rules: a non-finite entry must be the same NaN or ±∞ there.
        let taylor = self
            .matrix
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.singular[*i])
            .map(|(i, row)| {
                let (a, b) = (row[i], self.taylor_diagonal[i]);
                match (a.is_finite(), b.is_finite()) {
                    (true, true) => rel(a, b),
                    _ if a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()) => 0.0,
                    _ => f64::INFINITY,
                }
            })
            .fold(0.0, f64::max);
        // Differences of an infinite or undefined gradient mean nothing: only finite entries are compared.
        let pairs = || {
            self.matrix
                .iter()
                .zip(&self.fd_matrix)
                .flat_map(|(r, s)| r.iter().zip(s))
        };
        let fd = pairs()
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| rel(*a, *b))
            .fold(0.0, f64::max);
        let not_compared = pairs()
            .filter(|(a, b)| !(a.is_finite() && b.is_finite()))
            .count();
        let not_compared_taylor = self.singular.iter().filter(|s| **s).count();
        Agreement {
            taylor,
            fd,
            not_compared,
            not_compared_taylor,
        }
    }
}

/// [`SecondOrder`]'s checks: largest |H − Taylor| on the diagonal and |H − differences| anywhere, each relative to
/// max(1, |H|).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agreement {
    pub taylor: f64,
    pub fd: f64,
    /// Entries where H or its difference approximation is NaN or ±∞ (left out of `fd`).
    pub not_compared: usize,
    /// Diagonal entries the chain rule does not determine (left out of `taylor`).
    pub not_compared_taylor: usize,
}

/// What the gradient costs next to the function, measured: milliseconds per evaluation of f, and per evaluation of f
/// with its whole gradient by reverse mode (one forward and one backward sweep over the graph, buffers reused). Each
/// is repeated until `budget_ms` have passed on the clock `now` (in ms), at most a million times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub f_ms: f64,
    pub grad_ms: f64,
}

impl Timing {
    pub fn measure(
        graph: &crate::lang::graph::Graph,
        inputs: &[f64],
        now: &dyn Fn() -> f64,
        budget_ms: f64,
    ) -> Timing {
        use crate::ad::eval::{evaluate_into, Workspace};
        let time = |f: &mut dyn FnMut()| {
            // One call first: buffers grow to size outside the measurement.
            f();
            let t0 = now();
            let mut reps = 0u32;
            loop {
                f();
                reps += 1;
                let elapsed = now() - t0;
                if elapsed >= budget_ms || reps >= 1_000_000 {
                    return (elapsed / reps as f64).max(1e-9);
                }
            }
        };
        let mut values = Vec::new();
        let f_ms = time(&mut || evaluate_into(graph, inputs, &mut values));
        let (mut ws, mut grad) = (Workspace::default(), Vec::new());
        let grad_ms = time(&mut || {
            ws.value_and_grad(graph, inputs, &mut grad);
        });
        Timing { f_ms, grad_ms }
    }

    pub fn ratio(&self) -> f64 {
        self.grad_ms / self.f_ms
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GradResults {
    pub compiled: Shared<Compiled>,
    /// One value per output.
    pub outputs: Vec<f64>,
    /// ∂f/∂input for the first output: reverse mode (one backward pass).
    pub reverse: Vec<f64>,
    /// The same by forward mode, one pass per input.
    pub forward: Vec<f64>,
    /// Forward differences at h, perturbing one input at a time.
    pub fd: Vec<f64>,
    /// Where a NaN or infinity first appeared, in words.
    pub domain: Option<String>,
    /// Why a derivative of the first output is not a finite number, in words: where it overflowed, or why it is not
    /// determined.
    pub derivative_notes: Vec<String>,
    /// The Hessian panel, for programs of up to [`MAX_HESSIAN_INPUTS`] inputs.
    pub second_order: Option<SecondOrder>,
}

impl GradResults {
    pub fn compute(compiled: &Shared<Compiled>, values: &[f64], h: f64) -> GradResults {
        let g = &compiled.graph;
        let primals = eval::evaluate(g, values);
        let outputs = eval::outputs(g, &primals);
        let mut seed = vec![0.0; g.outputs.len()];
        if let Some(s) = seed.first_mut() {
            *s = 1.0;
        }
        let adj = eval::vjp(g, &primals, &seed);
        let reverse: Vec<f64> = g.inputs.iter().map(|i| adj[i.node.index()]).collect();
        let out0 = g.outputs.first().map(|o| o.index());
        let forward = (0..g.inputs.len())
            .map(|j| {
                let mut s = vec![0.0; g.inputs.len()];
                s[j] = 1.0;
                out0.map_or(f64::NAN, |o| eval::jvp(g, &primals, &s)[o])
            })
            .collect();
        let f0 = outputs.first().copied().unwrap_or(f64::NAN);
        let fd = (0..g.inputs.len())
            .map(|j| {
                let mut shifted = values.to_vec();
                shifted[j] += h;
                let p = eval::evaluate(g, &shifted);
                (out0.map_or(f64::NAN, |o| p[o]) - f0) / h
            })
            .collect();
        let domain = domain_issue(g, &primals).map(|d| d.describe(g));
        let derivative_notes = if g.outputs.is_empty() {
            Vec::new()
        } else {
            (0..g.inputs.len())
                .filter_map(|j| eval::derivative_note(g, &primals, 0, j, reverse[j]))
                .collect()
        };
        let second_order = (!values.is_empty() && values.len() <= MAX_HESSIAN_INPUTS)
            .then(|| SecondOrder::compute(compiled, values));
        GradResults {
            compiled: compiled.clone(),
            outputs,
            reverse,
            forward,
            fd,
            domain,
            derivative_notes,
            second_order,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results_for(example: usize) -> GradResults {
        GradState::default()
            .apply(GradAction::Program(ProgramAction::Example(example)))
            .results()
            .unwrap()
    }

    /// The timing counts what it says: with a clock that advances 1 ms per reading, each loop stops at the budget.
    #[test]
    fn timing_repeats_within_its_budget() {
        let r = results_for(2);
        let clock = std::cell::Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 1.0);
            clock.get()
        };
        let t = Timing::measure(&r.compiled.graph, &[0.25], &now, 5.0);
        assert_eq!((t.f_ms, t.grad_ms), (1.0, 1.0));
        assert_eq!(t.ratio(), 1.0);
    }

    #[test]
    fn lecture_examples_on_the_page() {
        let r = results_for(0);
        assert_eq!((r.outputs[0], r.reverse[0], r.forward[0]), (1.0, 2.0, 2.0));
        let r = results_for(1);
        assert_eq!(r.outputs[0], 0.6931471805599453);
        assert_eq!(r.reverse[0], 0.3068528194400547);
        assert_eq!(r.forward[0], 0.3068528194400547);
        let r = results_for(2);
        assert_eq!(
            (r.outputs[0], r.reverse[0], r.forward[0]),
            (0.75, -16.0, -16.0)
        );
        assert_eq!(r.fd[0], -16.000015992112537);
        let r = results_for(3);
        assert_eq!(r.reverse, vec![1.0, 2.0]); // inputs in order of appearance: y, x
    }

    #[test]
    fn bad_h_is_reported_and_the_last_good_h_kept() {
        let s = GradState::default().apply(GradAction::H("0".into()));
        assert_eq!(s.h.error.as_deref(), Some("h must be positive"));
        assert_eq!(s.h.value, DEFAULT_H);
        let s = s.apply(GradAction::H("-1".into()));
        assert!(s.h.error.is_some());
        let s = s.apply(GradAction::H("1e-3".into()));
        assert_eq!((s.h.value, s.h.error.clone()), (1e-3, None));
    }

    #[test]
    fn domain_problems_are_explained() {
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(
            "log(x - 2)".into(),
        )));
        let r = s.results().unwrap();
        assert!(r.outputs[0].is_nan());
        assert_eq!(
            r.domain.as_deref(),
            Some("v2 = log(v1) gives NaN: the logarithm of a negative number is undefined")
        );
        let s = GradState::default()
            .apply(GradAction::Program(ProgramAction::Source("1/x".into())))
            .apply(GradAction::Program(ProgramAction::Input(
                "x".into(),
                "0".into(),
            )));
        assert!(s
            .results()
            .unwrap()
            .domain
            .unwrap()
            .contains("division by zero"));
    }

    #[test]
    fn permalink_round_trip() {
        let s = GradState::default()
            .apply(GradAction::Program(ProgramAction::Example(3)))
            .apply(GradAction::H("0.001".into()));
        let url = crate::base::url::build("/grad", &s.query());
        let mut notices = Vec::new();
        let back = GradState::from_location(&Location::parse(&url), &mut notices);
        assert_eq!((back.query(), back.h.value), (s.query(), s.h.value));
        assert!(notices.is_empty());
        let back = GradState::from_location(&Location::parse("#/grad?h=-3"), &mut notices);
        assert_eq!(back.h.value, DEFAULT_H);
        assert_eq!(notices.len(), 1);
    }

    /// The second-order panel on the example: the exact Hessian, agreeing with Taylor mode and with differences.
    #[test]
    fn second_order_panel() {
        let r = results_for(6);
        let so = r.second_order.unwrap();
        assert_eq!(
            so.matrix,
            vec![vec![-0.25, 1.0], vec![1.0, -0.9589242746631385]]
        );
        let a = so.agreement();
        assert!(a.taylor <= 1e-15, "{a:?}");
        assert!(a.fd < 1e-8, "{a:?}");
        assert_eq!(a.not_compared, 0);
        // Too many inputs: no panel.
        let src = format!(
            "{}",
            (1..=11)
                .map(|k| format!("x{k}"))
                .collect::<Vec<_>>()
                .join(" * ")
        );
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(src)));
        assert!(s.results().unwrap().second_order.is_none());
    }

    /// A numpy program: traced at array granularity, its gradient in each input's shape by both modes, the fields
    /// and the permalink holding arrays, numpy's errors at their place.
    #[test]
    fn numpy_programs() {
        let src = "import autograd.numpy as np\ndef f(w=np.array([1.0, 2.0]), c=3.0):\n  return c * np.sum(w ** 2)\n";
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(src.into())));
        assert_eq!(s.program.error, None);
        assert!(s.results().is_none(), "not the scalar engine's");
        let r = s.array_results().unwrap().unwrap();
        assert_eq!(r.value, 15.0);
        assert_eq!(r.reverse[0].data, vec![6.0, 12.0]);
        assert_eq!(r.reverse[1].data, vec![5.0]);
        assert_eq!(r.forward.as_ref().unwrap()[0].data, vec![6.0, 12.0]);
        assert_eq!(r.agreement().0, Some(0.0));
        assert!(r.agreement().1.unwrap() < 1e-6);
        let h = r.hessian.as_ref().unwrap();
        assert_eq!(h[0], vec![6.0, 0.0, 2.0]);
        assert_eq!(h[2], vec![2.0, 4.0, 0.0]);
        assert!(r.hessian_agreement().unwrap() < 1e-8);
        let fields: Vec<&str> = s.program.inputs.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(fields, ["[1.0, 2.0]", "3.0"]);
        // A new value in a field traces the program again there; the permalink keeps it.
        let s = s.apply(GradAction::Program(ProgramAction::Input(
            "w".into(),
            "[[1, 2], [3, 4]]".into(),
        )));
        let r = s.array_results().unwrap().unwrap();
        assert_eq!((r.value, r.reverse[0].shape.clone()), (90.0, vec![2, 2]));
        let url = crate::base::url::build("/grad", &s.query());
        let mut notices = Vec::new();
        let back = GradState::from_location(&Location::parse(&url), &mut notices);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.array_results().unwrap().unwrap().value, 90.0);
        // The field keeps its value across an edit that leaves the program's own value alone.
        let s = s.apply(GradAction::Program(ProgramAction::Source(format!(
            "{src}# done\n"
        ))));
        assert_eq!(s.program.inputs[0].text, "[[1, 2], [3, 4]]");
        // Bad input: a field that is not an array, shapes that do not broadcast, an array returned.
        let bad = s.apply(GradAction::Program(ProgramAction::Input(
            "w".into(),
            "[1, [2]]".into(),
        )));
        assert!(bad.program.inputs[0].problem().unwrap().contains("rows"));
        assert!(bad.array_results().is_none());
        let src2 =
            "import numpy as np\ndef f(a=np.ones((3, 2)), b=np.ones(3)):\n  return np.sum(a + b)\n";
        let bad =
            GradState::default().apply(GradAction::Program(ProgramAction::Source(src2.into())));
        let e = bad.program.error.unwrap();
        assert!(e.starts_with("line 3, column"), "{e}");
        assert!(
            e.contains("could not be broadcast together with shapes (3,2) (3,)"),
            "{e}"
        );
        let src3 = "import numpy as np\ndef f(a=np.ones(3)):\n  return a * 2\n";
        let s3 =
            GradState::default().apply(GradAction::Program(ProgramAction::Source(src3.into())));
        assert!(s3
            .array_results()
            .unwrap()
            .unwrap_err()
            .contains("shape (3,)"));
        // np.log of a negative number: located.
        let src4 =
            "import numpy as np\ndef f(a=np.array([1.0, -1.0])):\n  return np.sum(np.log(a))\n";
        let s4 =
            GradState::default().apply(GradAction::Program(ProgramAction::Source(src4.into())));
        let d = s4.array_results().unwrap().unwrap().domain.unwrap();
        assert!(d.starts_with("line 3, column"), "{d}");
        // The example in the picker.
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Example(
            EXAMPLES.len() - 1,
        )));
        assert_eq!(s.program.error, None);
        let r = s.array_results().unwrap().unwrap();
        assert_eq!(
            r.reverse
                .iter()
                .map(|a| a.shape.clone())
                .collect::<Vec<_>>(),
            [vec![2, 2], vec![2]]
        );
        assert_eq!(r.hessian.as_ref().unwrap().len(), 6);
    }

    /// Where a derivative overflowed, and where one is not determined, are said in words.
    #[test]
    fn non_finite_derivatives_are_explained() {
        let logistic = "def f(x, n=1100):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";
        let s = GradState::default()
            .apply(GradAction::Program(ProgramAction::Source(logistic.into())))
            .apply(GradAction::Program(ProgramAction::Input(
                "x".into(),
                "0.25".into(),
            )));
        let r = s.results().unwrap();
        assert_eq!(
            (r.reverse[0], r.forward[0]),
            (f64::NEG_INFINITY, f64::NEG_INFINITY)
        );
        assert!(
            r.derivative_notes[0].contains("first overflows at v"),
            "{:?}",
            r.derivative_notes
        );
        // The second derivative overflows too: −∞ by nested AD and by Taylor mode; differences are not compared.
        let so = r.second_order.as_ref().unwrap();
        assert_eq!(so.matrix[0][0], f64::NEG_INFINITY);
        let a = so.agreement();
        assert_eq!((a.taylor, a.not_compared), (0.0, 1));
        // y − y: its two partials cancel before they meet sqrt's infinite one, in both modes: 0 by the structural
        // zero, no note. Through different nodes the cancellation is a sum of infinities: not determined.
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(
            "x + sqrt(y - y)".into(),
        )));
        let r = s.results().unwrap();
        assert_eq!((r.reverse[1], r.forward[1]), (0.0, 0.0));
        assert!(r.derivative_notes.is_empty(), "{:?}", r.derivative_notes);
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(
            "x + sqrt(y - 2*y + y)".into(),
        )));
        let r = s.results().unwrap();
        assert_eq!(r.reverse[0], 1.0);
        assert!(
            r.derivative_notes[0].contains("not determined"),
            "{:?}",
            r.derivative_notes
        );
        assert!(
            r.derivative_notes[0].contains("sqrt"),
            "{:?}",
            r.derivative_notes
        );
    }
}
