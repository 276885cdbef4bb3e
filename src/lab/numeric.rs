//! Chapter "Not numerical differentiation" (`#/numeric`): the error of finite differences against the step h.
//!
//! The exact derivative comes from reverse mode; f″ and f‴ (for the truncation-error lines) from Taylor-mode AD. The
//! error model: forward differences err by ≈ h·|f″|/2 (truncation) + ε·|f|/h (round-off), central by
//! ≈ h²·|f‴|/6 + ε·|f|/h; the minimisers of those sums are the optimal steps marked on the plot.

use super::field::Field;
use super::grad::check_h;
use super::program::{Example, ProgramAction, ProgramState, LOGISTIC, LOG_RATIO};
use super::{ChapterModel, Shared};
use crate::ad::eval;
use crate::ad::fd::{self, Scheme};
use crate::ad::taylor::derivatives_along;
use crate::base::num::{agreeing_digits, fmt_compact, fmt_sig};
use crate::base::url::Location;
use crate::lang::compile::Compiled;
use crate::lang::Limits;
use crate::symbolic::dag::Dag;

pub const EXAMPLES: &[Example] = &[
    LOGISTIC,
    LOG_RATIO,
    Example {
        title: "exp(x) at 1",
        source: "exp(x)",
        inputs: &[("x", 1.0)],
    },
    Example {
        title: "sin(x) at 1",
        source: "sin(x)",
        inputs: &[("x", 1.0)],
    },
    Example {
        title: "f(x, y, z): three inputs",
        source: "def f(x, y, z):\n  return x * y * z + sin(x * y)\n",
        inputs: &[("x", 0.5), ("y", 2.0), ("z", 3.0)],
    },
];

pub const DEFAULT_H: f64 = 1e-7;
/// Machine epsilon of f64.
pub const EPS: f64 = f64::EPSILON;
/// Points per decade on the h axis, from 10⁻¹⁶ to 1.
pub const PER_DECADE: usize = 4;

pub fn limits() -> Limits {
    Limits {
        max_nodes: 200_000,
        max_steps: 1_000_000,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NumericState {
    pub program: ProgramState,
    pub h: Field<f64>,
    pub scheme: Scheme,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NumericAction {
    Program(ProgramAction),
    H(String),
    Scheme(Scheme),
}

impl Default for NumericState {
    fn default() -> NumericState {
        NumericState::from_example(&EXAMPLES[0])
    }
}

impl NumericState {
    pub fn from_example(e: &Example) -> NumericState {
        NumericState {
            program: ProgramState::from_example(e, limits()),
            h: Field::new(DEFAULT_H, fmt_compact(DEFAULT_H)),
            scheme: Scheme::Forward,
        }
    }

    pub fn results(&self) -> Result<NumericResults, String> {
        let compiled = self
            .program
            .compiled
            .as_ref()
            .ok_or("the program does not compile yet")?;
        let graph = &compiled.graph;
        if graph.inputs.is_empty() {
            return Err("this function has no input: there is nothing to differentiate".into());
        }
        let values = self
            .program
            .values()
            .ok_or("enter a number for every input")?;
        if !values[0].is_finite() {
            return Err(format!("{} must be a finite number", graph.inputs[0].name));
        }
        Ok(NumericResults::compute(
            compiled,
            &values,
            self.h.value,
            self.scheme,
        ))
    }
}

impl ChapterModel for NumericState {
    type Action = NumericAction;

    fn apply(&self, action: NumericAction) -> NumericState {
        let mut s = self.clone();
        match action {
            NumericAction::Program(a) => s.program = self.program.apply(a, EXAMPLES),
            NumericAction::H(text) => s.h = self.h.edit(text, check_h),
            NumericAction::Scheme(k) => s.scheme = k,
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = self.program.query();
        q.push(("h".into(), self.h.text.clone()));
        q.push(("scheme".into(), self.scheme.name().into()));
        q
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> NumericState {
        let d = NumericState::default();
        let mut s = NumericState {
            program: ProgramState::from_query(loc, &EXAMPLES[0], limits(), notices),
            h: d.h.from_link(loc, "h", check_h, notices),
            scheme: d.scheme,
        };
        if let Some(t) = loc.get("scheme") {
            match Scheme::from_name(t) {
                Some(k) => s.scheme = k,
                None => notices.push(format!(
                    "`scheme={t}` is neither forward nor central; using forward"
                )),
            }
        }
        s
    }
}

/// The error of one difference quotient at one h (`None` where it is not a positive finite number: not plotted).
fn positive(x: f64) -> Option<f64> {
    (x.is_finite() && x > 0.0).then_some(x)
}

#[derive(Clone, Debug, PartialEq)]
pub struct NumericResults {
    /// The differentiated input (the first) and its value.
    pub variable: String,
    pub x: f64,
    pub f: f64,
    /// f′, f″, f‴ along the first input (f′ by reverse mode, the others by Taylor mode).
    pub d1: f64,
    pub d2: f64,
    pub d3: f64,
    pub h: f64,
    pub scheme: Scheme,
    pub estimate: f64,
    pub error: f64,
    /// The forward difference divided by the step actually taken, `(x + h) − x` (what SciPy's `approx_fprime` does).
    pub step_taken: f64,
    pub estimate_scipy: f64,
    /// h values (log-spaced, 10⁻¹⁶ … 1) and the errors there.
    pub hs: Vec<f64>,
    pub err_forward: Vec<Option<f64>>,
    pub err_central: Vec<Option<f64>>,
    /// Optimal steps of the error model (`None` when the truncation term vanishes).
    pub h_opt_forward: Option<f64>,
    pub h_opt_central: Option<f64>,
    /// The symbolic derivative (textbook rules) evaluated at x.
    pub symbolic: f64,
    pub forward_at_h: f64,
    pub central_at_h: f64,
    /// Number of inputs n: a finite-difference gradient costs n + 1 evaluations of f (forward) or 2n (central).
    pub inputs: usize,
    /// The figure's plot area across, in the canvas's pixels (left, right), as last drawn: turns a click into an h.
    pub plot_x: std::cell::Cell<(i32, i32)>,
    /// While the page asks "which h minimises the error?", the model's best steps are not drawn (nor said).
    pub hide_best: bool,
}

impl NumericResults {
    pub fn compute(
        compiled: &Shared<Compiled>,
        values: &[f64],
        h: f64,
        scheme: Scheme,
    ) -> NumericResults {
        let g = &compiled.graph;
        let out = g.outputs.first().map_or(0, |o| o.index());
        let x = values[0];
        let along = |t: f64| {
            let mut v = values.to_vec();
            v[0] = t;
            eval::evaluate(g, &v)[out]
        };
        let (f, grad) = eval::value_and_grad(g, values);
        let d1 = grad[0];
        let t = derivatives_along::<4>(g, values, 0, 0);
        let (d2, d3) = (t[2], t[3]);

        let decades = 16;
        let hs: Vec<f64> = (0..=decades * PER_DECADE)
            .map(|k| crate::base::math::pow(10.0, -(decades as f64) + k as f64 / PER_DECADE as f64))
            .collect();
        let err_forward = hs
            .iter()
            .map(|&s| positive((fd::forward(along, x, s) - d1).abs()))
            .collect();
        let err_central = hs
            .iter()
            .map(|&s| positive((fd::central(along, x, s) - d1).abs()))
            .collect();
        let af = f.abs();
        let h_opt_forward = (d2 != 0.0 && af > 0.0).then(|| 2.0 * (EPS * af / d2.abs()).sqrt());
        // (∛ as a power: f64::cbrt would link a fused multiply-add of its own.)
        let h_opt_central = (d3 != 0.0 && af > 0.0)
            .then(|| crate::base::math::pow(3.0 * EPS * af / d3.abs(), 1.0 / 3.0));

        let forward_at_h = fd::forward(along, x, h);
        let central_at_h = fd::central(along, x, h);
        let estimate = match scheme {
            Scheme::Forward => forward_at_h,
            Scheme::Central => central_at_h,
        };
        let (mut dag, root) = Dag::from_graph(g, 0);
        let droot = dag.diff(root, &g.inputs[0].name);
        let names: Vec<String> = g.inputs.iter().map(|i| i.name.clone()).collect();
        let symbolic = dag.eval(droot, &|n| {
            names
                .iter()
                .position(|m| m == n)
                .map_or(f64::NAN, |k| values[k])
        });

        NumericResults {
            variable: g.inputs[0].name.clone(),
            x,
            f,
            d1,
            d2,
            d3,
            h,
            scheme,
            estimate,
            error: (estimate - d1).abs(),
            step_taken: fd::representable_step(x, h),
            estimate_scipy: fd::forward_scipy(along, x, h),
            hs,
            err_forward,
            err_central,
            h_opt_forward,
            h_opt_central,
            symbolic,
            forward_at_h,
            central_at_h,
            inputs: g.inputs.len(),
            plot_x: Default::default(),
            hide_best: false,
        }
    }

    /// The h a click at canvas pixel `x` picks on the figure (log scale, 10⁻¹⁶ … 1), as the h field's text with two
    /// significant digits (`1.6e-8`); `None` off the plot.
    pub fn h_at(&self, x: f64) -> Option<String> {
        let (l, r) = self.plot_x.get();
        let f = (x - l as f64) / (r - l) as f64;
        if r <= l || !(0.0..=1.0).contains(&f) {
            return None;
        }
        let e = -16.0 + 16.0 * f;
        let k = e.floor();
        let m = (crate::base::math::pow(10.0, e - k) * 10.0).round() / 10.0;
        let (m, k) = if m >= 10.0 { (1.0, k + 1.0) } else { (m, k) };
        Some(fmt_compact(m) + "e" + &fmt_compact(k))
    }

    /// "Which h minimises the error here?": how far h is from the error model's best step h* (the vertical h* line
    /// on the plot), in decades (positive too large, negative too small), and why, in words. The sampled curve's own
    /// lowest point is no answer: below h* it is round-off noise, and a lucky sample can sit anywhere there.
    pub fn pick_verdict(&self) -> (f64, String) {
        let (best, truncation) = match self.scheme {
            Scheme::Forward => (self.h_opt_forward, "h·|f″|/2"),
            Scheme::Central => (self.h_opt_central, "h²·|f‴|/6"),
        };
        let yours = "Your h = ".to_string()
            + &fmt_compact(self.h)
            + " gives an error of "
            + &fmt_sig(self.error, 3)
            + ". ";
        let Some(hb) = best.filter(|h| h.is_finite() && *h > 0.0) else {
            return (
                f64::NAN,
                yours
                    + "Here there is no V: the truncation term "
                    + truncation
                    + " is zero (or f is), so no step balances it against round-off.",
            );
        };
        let decades = crate::base::math::log(self.h / hb) / std::f64::consts::LN_10;
        let how = if decades.abs() <= 0.5 {
            "Yours is within half a decade of it: the bottom of the V.".to_string()
        } else {
            let far = "Yours is ".to_string() + &fmt_sig(decades.abs(), 2) + " decades too ";
            if decades > 0.0 {
                far + "large: truncation dominates there."
            } else {
                far + "small: round-off dominates there."
            }
        };
        (
            decades,
            yours
                + "The best step here is h* ≈ "
                + &fmt_sig(hb, 2)
                + ", where the model's truncation (≈ "
                + truncation
                + ") and round-off (≈ ε·|f|/h) balance. "
                + &how,
        )
    }

    /// Model errors at h: (forward truncation, central truncation, round-off).
    pub fn model(&self, h: f64) -> (f64, f64, f64) {
        (
            h * self.d2.abs() / 2.0,
            h * h * self.d3.abs() / 6.0,
            EPS * self.f.abs() / h,
        )
    }

    /// The three methods side by side: (name, value, digits agreeing with AD).
    pub fn methods(&self) -> Vec<(&'static str, f64, u32)> {
        vec![
            ("automatic differentiation (reverse mode)", self.d1, 17),
            (
                "symbolic derivative, evaluated",
                self.symbolic,
                agreeing_digits(self.symbolic, self.d1),
            ),
            (
                "forward difference at h",
                self.forward_at_h,
                agreeing_digits(self.forward_at_h, self.d1),
            ),
            (
                "central difference at h",
                self.central_at_h,
                agreeing_digits(self.central_at_h, self.d1),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lecture_forward_difference() {
        let r = NumericState::default().results().unwrap();
        assert_eq!((r.f, r.d1), (0.75, -16.0));
        assert_eq!(r.estimate, -16.000015992112537);
        assert_eq!(format!("{:.8}", r.estimate), "-16.00001599");
        assert_eq!(r.estimate_scipy, -16.000015991652447);
        assert_eq!(r.symbolic, -16.0);
        let m = r.methods();
        assert_eq!(m[2].2, 6, "a forward difference at 1e-7 agrees to 6 digits");
    }

    #[test]
    fn a_pick_on_the_plot_is_an_h_and_gets_a_verdict() {
        let s = NumericState::default();
        let r = s.results().unwrap();
        r.plot_x.set((100, 900));
        assert_eq!(r.h_at(100.0).as_deref(), Some("1e-16"));
        assert_eq!(r.h_at(900.0).as_deref(), Some("1e0"));
        assert_eq!(r.h_at(500.0).as_deref(), Some("1e-8"));
        assert_eq!(r.h_at(99.0), None);
        assert_eq!(r.h_at(901.0), None);
        // Far right: truncation; far left: round-off; the curve's own best: the bottom.
        let at = |h: &str| {
            s.apply(NumericAction::H(h.into()))
                .results()
                .unwrap()
                .pick_verdict()
        };
        let (d, text) = at("0.01");
        assert!(d > 4.0 && text.contains("too large: truncation"), "{text}");
        let (d, text) = at("1e-14");
        assert!(d < -4.0 && text.contains("too small: round-off"), "{text}");
        // At the step the verdict names as the best (the plot's h* line): the bottom.
        let (_, far) = at("0.01");
        let best = far
            .split("h* ≈ ")
            .nth(1)
            .unwrap()
            .split(", ")
            .next()
            .unwrap();
        assert_eq!(best, fmt_sig(r.h_opt_forward.unwrap(), 2));
        let (d, text) = at(best);
        assert!(
            d.abs() <= 0.5 && text.contains("bottom of the V"),
            "{d} {text}"
        );
        // A function without a V: f″ = 0, no truncation to balance.
        let line = s
            .apply(NumericAction::Program(ProgramAction::Source(
                "def f(x):\n  return 3 * x + 1\n".into(),
            )))
            .results()
            .unwrap()
            .pick_verdict();
        assert!(line.0.is_nan() && line.1.contains("no V"), "{}", line.1);
    }

    #[test]
    fn optimal_steps_near_the_classic_values() {
        // exp at 1 is well scaled (f = f″ = f‴ = e): h* ≈ 2√ε and ∛(3ε).
        let s = NumericState::default().apply(NumericAction::Program(ProgramAction::Example(2)));
        let r = s.results().unwrap();
        let (hf, hc) = (r.h_opt_forward.unwrap(), r.h_opt_central.unwrap());
        assert!((hf / EPS.sqrt() - 2.0).abs() < 1e-9, "{hf}");
        assert!((hc / EPS.cbrt() - 3f64.cbrt()).abs() < 1e-9, "{hc}");
        // The measured errors are smallest near those steps.
        let best = |errs: &[Option<f64>]| {
            let (k, _) = errs
                .iter()
                .enumerate()
                .filter_map(|(k, e)| e.map(|e| (k, e)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            r.hs[k]
        };
        let (bf, bc) = (best(&r.err_forward), best(&r.err_central));
        assert!(
            bf / hf < 100.0 && hf / bf < 100.0,
            "forward: best measured h {bf} vs model {hf}"
        );
        assert!(
            bc / hc < 100.0 && hc / bc < 100.0,
            "central: best measured h {bc} vs model {hc}"
        );
        // The V: tiny and large steps are both worse than the best.
        let e = |k: usize| r.err_forward[k].unwrap_or(f64::INFINITY);
        assert!(e(0) > 1e-3 && e(r.hs.len() - 1) > 1e-1);
    }

    #[test]
    fn bad_h_and_bad_programs_are_explained() {
        let s = NumericState::default().apply(NumericAction::H("0".into()));
        assert_eq!(s.h.error.as_deref(), Some("h must be positive"));
        let s = s.apply(NumericAction::H("-1e-3".into()));
        assert!(s.h.error.is_some());
        assert_eq!(s.h.value, DEFAULT_H);
        let s = NumericState::default()
            .apply(NumericAction::Program(ProgramAction::Source("3".into())));
        assert!(s.results().unwrap_err().contains("no input"));
    }

    #[test]
    fn several_inputs_are_counted_and_the_first_is_differentiated() {
        let s = NumericState::default().apply(NumericAction::Program(ProgramAction::Example(4)));
        let r = s.results().unwrap();
        assert_eq!(r.inputs, 3);
        assert!((r.d1 - (2.0 * 3.0 + 2.0 * crate::base::math::cos(1.0))).abs() < 1e-14);
    }
}
