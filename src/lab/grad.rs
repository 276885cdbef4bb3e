//! Chapter "What is automatic differentiation?" (`#/grad`): a function, its value and gradient by reverse mode, by
//! forward mode, and by a forward difference, at a point.

use super::program::{Example, ProgramState, LOGISTIC, LOG_RATIO, SQUARE, Y_X_SQUARED};
use super::{Chapter, ChapterModel, Shared};
use crate::ad::eval::{self, domain_issue};
use crate::base::num::{fmt_compact, fmt_full, parse_f64};
use crate::base::url::Location;
use crate::lang::graph::Graph;
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
];

pub const DEFAULT_H: f64 = 1e-7;

#[derive(Clone, Debug, PartialEq)]
pub struct GradState {
    pub program: ProgramState,
    pub h_text: String,
    /// Set while `h_text` is not a positive number.
    pub h_error: Option<String>,
    pub h: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GradAction {
    Source(String),
    Input(String, String),
    H(String),
    Example(usize),
}

impl Default for GradState {
    fn default() -> GradState {
        GradState::from_example(&EXAMPLES[2])
    }
}

impl GradState {
    pub fn from_example(e: &Example) -> GradState {
        GradState {
            program: ProgramState::from_example(e, Limits::default()),
            h_text: fmt_compact(DEFAULT_H),
            h_error: None,
            h: DEFAULT_H,
        }
    }

    /// Everything the page shows, computed from the current graph and values (`None` without a graph or while a
    /// field is not a number).
    pub fn results(&self) -> Option<GradResults> {
        let graph = self.program.graph.as_ref()?;
        let values = self.program.values()?;
        Some(GradResults::compute(graph, &values, self.h))
    }
}

impl ChapterModel for GradState {
    type Action = GradAction;
    const CHAPTER: Chapter = Chapter::Grad;

    /// The state a permalink describes; anything unusable falls back and is reported in `notices`.
    fn from_location(loc: &Location, notices: &mut Vec<String>) -> GradState {
        let program = ProgramState::from_query(loc, &EXAMPLES[2], Limits::default(), notices);
        let mut s = GradState {
            program,
            ..GradState::default()
        };
        if let Some(h) = loc.get("h") {
            match check_h(h) {
                Ok(v) => {
                    s.h = v;
                    s.h_text = h.to_string();
                }
                Err(e) => notices.push(format!("`h={h}`: {e}; using {}", fmt_full(DEFAULT_H))),
            }
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = self.program.query();
        q.push(("h".into(), self.h_text.clone()));
        q
    }

    fn apply(&self, action: GradAction) -> GradState {
        let mut s = self.clone();
        match action {
            GradAction::Source(src) => s.program = self.program.with_source(&src),
            GradAction::Input(name, text) => s.program = self.program.with_input(&name, &text),
            GradAction::H(text) => {
                match check_h(&text) {
                    Ok(h) => {
                        s.h = h;
                        s.h_error = None;
                    }
                    Err(e) => s.h_error = Some(e),
                }
                s.h_text = text;
            }
            GradAction::Example(i) => {
                if let Some(e) = EXAMPLES.get(i) {
                    s.program = ProgramState::from_example(e, Limits::default());
                }
            }
        }
        s
    }
}

/// Checks a step h typed by the user.
pub fn check_h(text: &str) -> Result<f64, String> {
    match parse_f64(text) {
        None => Err("h must be a number, e.g. 1e-7".into()),
        Some(h) if h.is_nan() || h <= 0.0 => Err("h must be positive".into()),
        Some(h) if !h.is_finite() => Err("h must be finite".into()),
        Some(h) => Ok(h),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GradResults {
    pub graph: Shared<Graph>,
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
}

impl GradResults {
    pub fn compute(graph: &Shared<Graph>, values: &[f64], h: f64) -> GradResults {
        let g: &Graph = graph;
        let primals = eval::evaluate(g, values);
        let outputs = eval::outputs(g, &primals);
        let mut seed = vec![0.0; g.outputs.len()];
        if let Some(s) = seed.first_mut() {
            *s = 1.0;
        }
        let adj = eval::vjp(g, &primals, &seed);
        let reverse = g.inputs.iter().map(|i| adj[i.node.index()]).collect();
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
        GradResults {
            graph: graph.clone(),
            outputs,
            reverse,
            forward,
            fd,
            domain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results_for(example: usize) -> GradResults {
        GradState::default()
            .apply(GradAction::Example(example))
            .results()
            .unwrap()
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
        assert_eq!(s.h_error.as_deref(), Some("h must be positive"));
        assert_eq!(s.h, DEFAULT_H);
        let s = s.apply(GradAction::H("-1".into()));
        assert!(s.h_error.is_some());
        let s = s.apply(GradAction::H("1e-3".into()));
        assert_eq!((s.h, s.h_error.clone()), (1e-3, None));
    }

    #[test]
    fn domain_problems_are_explained() {
        let s = GradState::default().apply(GradAction::Source("log(x - 2)".into()));
        let r = s.results().unwrap();
        assert!(r.outputs[0].is_nan());
        assert_eq!(
            r.domain.as_deref(),
            Some("v2 = log(v1) gives NaN: the logarithm of a negative number is undefined")
        );
        let s = GradState::default()
            .apply(GradAction::Source("1/x".into()))
            .apply(GradAction::Input("x".into(), "0".into()));
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
            .apply(GradAction::Example(3))
            .apply(GradAction::H("0.001".into()));
        let url = crate::base::url::build("/grad", &s.query());
        let mut notices = Vec::new();
        let back = GradState::from_location(&Location::parse(&url), &mut notices);
        assert_eq!((back.query(), back.h), (s.query(), s.h));
        assert!(notices.is_empty());
        let back = GradState::from_location(&Location::parse("#/grad?h=-3"), &mut notices);
        assert_eq!(back.h, DEFAULT_H);
        assert_eq!(notices.len(), 1);
    }
}
