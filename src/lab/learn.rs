//! Example 2 of the lecture, learning to learn: gradient descent with step ρ for T steps is a function GD: ρ ↦ β_T,
//! and L(ρ) = ℓ(GD(ρ)) can itself be minimised by gradient descent, ρ ← ρ − η·dL/dρ, with dL/dρ from AD through the
//! T steps — here by reverse mode (the tape), by forward mode (one tangent carried along) and, to check both, by the
//! closed form from A's eigendecomposition.

use std::cell::RefCell;

use super::field::{positive_named, whole_in, Field};
use super::ridge::{descent, diabetes, eig_sym, Quad};
use super::ChapterModel;
use crate::ad::dual::Dual;
use crate::ad::nd::Plan;
use crate::ad::tape::{grad_recorded, Var};
use crate::base::num::{fmt_count, fmt_full, fmt_python};
use crate::base::url::Location;
use crate::lang::lower::arrays::lower_arrays;

pub const MAX_T: usize = 5000;
pub const MAX_META: usize = 1000;
/// The chapter's numpy program is traced and run for T up to this: every step is 7 array operations on the data, and
/// T = 1 000 is about 50 ms to trace natively and 7 ms to run again at each ρ.
pub const MAX_PROGRAM_T: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// X = diag(1, √10), y = (1, 1/√10), λ = 0: XᵀX = diag(1, 10), drawable in the plane.
    Toy,
    /// The diabetes training set, λ = 10.
    Diabetes,
}

impl Problem {
    pub fn name(self) -> &'static str {
        match self {
            Problem::Toy => "toy",
            Problem::Diabetes => "diabetes",
        }
    }

    /// ℓ as a quadratic: A = XᵀX + λI, b = Xᵀy, c = ½‖y‖².
    pub fn quad(self) -> Result<Quad, String> {
        match self {
            Problem::Toy => Ok(Quad {
                d: 2,
                a: vec![1.0, 0.0, 0.0, 10.0],
                b: vec![1.0, 1.0],
                c: 0.55,
            }),
            Problem::Diabetes => Ok(Quad::of(&diabetes()?.train).ridge(10.0)),
        }
    }

    /// ρ₀, T and η to start from.
    fn defaults(self) -> (f64, usize, f64) {
        match self {
            Problem::Toy => (0.02, 10, 0.01),
            Problem::Diabetes => (0.002, 100, 1e-6),
        }
    }
}

/// ℓ(β_T) and dL/dρ by each mode, and what each stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypergradient {
    pub loss: f64,
    pub reverse: f64,
    pub forward: f64,
    pub exact: f64,
    /// Numbers the tape stored (two partial derivatives per record), and forward mode's (β and its tangent).
    pub memory_reverse: usize,
    pub memory_forward: usize,
}

/// The problem's eigen-data for the closed form: L(ρ) = ℓ* + ½ Σ gᵢ²(1 − ρaᵢ)^{2T}/aᵢ, with A = Q diag(a) Qᵀ and
/// g = Qᵀb.
#[derive(Clone, Debug, PartialEq)]
pub struct Spectrum {
    pub a: Vec<f64>,
    pub g: Vec<f64>,
    pub best: f64,
}

impl Spectrum {
    pub fn of(q: &Quad) -> Spectrum {
        let (a, qm) = eig_sym(&q.a, q.d);
        let g: Vec<f64> = (0..q.d)
            .map(|k| (0..q.d).map(|i| qm[i * q.d + k] * q.b[i]).sum())
            .collect();
        let best = q.c - 0.5 * g.iter().zip(&a).map(|(g, a)| g * g / a).sum::<f64>();
        Spectrum { a, g, best }
    }

    pub fn max(&self) -> f64 {
        self.a.iter().cloned().fold(0.0, f64::max)
    }

    /// L(ρ) and dL/dρ = −T Σ gᵢ²(1 − ρaᵢ)^{2T−1}.
    pub fn closed(&self, rho: f64, t: usize) -> (f64, f64) {
        let mut l = self.best;
        let mut d = 0.0;
        for (a, g) in self.a.iter().zip(&self.g) {
            let r = 1.0 - rho * a;
            l += 0.5 * g * g * r.powi(2 * t as i32) / a;
            d -= t as f64 * g * g * r.powi(2 * t as i32 - 1);
        }
        (l, d)
    }
}

/// L(ρ) and dL/dρ by forward mode: ρ carries a tangent through the T steps.
pub fn forward(q: &Quad, rho: f64, t: usize) -> (f64, f64) {
    let beta = descent(q, Dual::constant(0.0), Dual::variable(rho), t);
    let l = q.value(&beta);
    (l.re, l.eps)
}

/// L(ρ), dL/dρ by reverse mode through the T steps, and the tape's record count.
pub fn reverse(q: &Quad, rho: f64, t: usize) -> (f64, f64, usize) {
    let (l, g, n) = grad_recorded(
        |x| {
            let beta = descent(q, Var::constant(0.0), x[0], t);
            q.value(&beta)
        },
        &[rho],
    );
    (l, g[0], n)
}

pub fn hypergradient(q: &Quad, spec: &Spectrum, rho: f64, t: usize) -> Hypergradient {
    let (loss, rev, records) = reverse(q, rho, t);
    let (_, fwd) = forward(q, rho, t);
    Hypergradient {
        loss,
        reverse: rev,
        forward: fwd,
        exact: spec.closed(rho, t).1,
        memory_reverse: 2 * records,
        memory_forward: 2 * q.d,
    }
}

/// The meta-iterates ρ₀, ρ₁, … (gradients by forward mode), with L at each; stops early if ρ leaves (0, ∞) or L
/// stops being a number.
pub fn meta_path(q: &Quad, rho0: f64, t: usize, eta: f64, steps: usize) -> Vec<(f64, f64)> {
    let mut rho = rho0;
    let mut out = Vec::new();
    for k in 0..=steps {
        let (l, d) = forward(q, rho, t);
        out.push((rho, l));
        if k == steps || !l.is_finite() || !d.is_finite() {
            break;
        }
        rho -= eta * d;
        if !(rho > 0.0 && rho.is_finite()) {
            break;
        }
    }
    out
}

/// The chapter's function as the lecture writes it with numpy and autograd: the data, T steps of gradient descent
/// from β = 0 as a function of ρ (Xᵀ computed once), ridge's loss at β_T, and `grad`. At ρ, T.
pub fn program(problem: Problem, rho: f64, t: usize) -> String {
    let (data, d) = match problem {
        Problem::Toy => (
            "# X = diag(1, √10), y = (1, 1/√10): XᵀX = diag(1, 10), and no penalty\n\
             X = np.array([[1.0, 0.0], [0.0, np.sqrt(10)]])\ny = np.array([1.0, 1 / np.sqrt(10)])\nlam = 0\n",
            2,
        ),
        Problem::Diabetes => (
            "from sklearn.datasets import load_diabetes\n\n\
             # the diabetes data: the first 150 patients, each feature standardised on them\n\
             X, y = load_diabetes(return_X_y=True, scaled=False)\n\
             X = (X - np.mean(X[:150], axis=0)) / np.std(X[:150], axis=0)\n\
             y = y - np.mean(y[:150])\nX, y = X[:150], y[:150]\nlam = 10\n",
            10,
        ),
    };
    let rho = fmt_python(rho);
    format!(
        "import autograd.numpy as np\nfrom autograd import grad\n{data}Xt = X.T\n\n\
         def L(rho={rho}, T={t}):\n  # T steps of gradient descent on the ridge loss, from beta = 0\n  beta = np.zeros({d})\n  \
         for _ in range(T):\n    beta = beta - rho * (Xt @ (X @ beta - y) + lam * beta)\n  \
         return 0.5 * np.sum((X @ beta - y) ** 2) + lam / 2 * np.sum(beta ** 2)\n\ng = grad(L)\nprint(g({rho}))\n"
    )
}

/// L(ρ) and dL/dρ of [`program`] by the array engine, and the size of its graph.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramCheck {
    pub loss: f64,
    pub grad: f64,
    /// Array operations in the traced graph (T steps of a few each).
    pub operations: usize,
}

/// [`program`] traced once for a problem and T (its loop unrolled), then run by an [`nd::Plan`] at each ρ — the
/// meta-descent moves ρ at every step, and the graph does not change with it.
pub fn program_check(problem: Problem, rho: f64, t: usize) -> Result<ProgramCheck, String> {
    if t > MAX_PROGRAM_T {
        return Err(format!(
            "With T = {} the program unrolls to about {} array operations: the page runs it on the array engine for \
             T up to {} (a step is 7 operations on the data; the numbers above are the tape's).",
            fmt_count(t as u64),
            fmt_count(7 * t as u64),
            fmt_count(MAX_PROGRAM_T as u64)
        ));
    }
    thread_local! {
        static PLAN: RefCell<Option<((Problem, usize), Plan)>> = const { RefCell::new(None) };
    }
    PLAN.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().map(|(k, _)| *k) != Some((problem, t)) {
            let src = program(problem, rho, t);
            let g = lower_arrays(&src, &[])
                .map_err(|e| format!("the program, {}: {}", e.span.line_col(&src), e.message))?;
            *cell = Some(((problem, t), Plan::new(g, &[true])?));
        }
        let Some((_, plan)) = cell.as_mut() else {
            unreachable!("the plan was just made")
        };
        plan.input(0)[0] = rho;
        plan.forward()?;
        let out = plan.graph().output();
        plan.backward(out, &[1.0]);
        Ok(ProgramCheck {
            loss: plan.value(out).data[0],
            grad: plan.gradient(0)[0],
            operations: plan.graph().operations(),
        })
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct LearnState {
    pub problem: Problem,
    pub rho: Field<f64>,
    pub t: Field<usize>,
    pub eta: Field<f64>,
    /// Meta-steps taken.
    pub meta: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LearnAction {
    Problem(Problem),
    Rho(String),
    T(String),
    Eta(String),
    MetaStep(usize),
    MetaReset,
}

pub fn check_rho(text: &str) -> Result<f64, String> {
    positive_named(text, "ρ", "0.02")
}

pub fn check_t(text: &str) -> Result<usize, String> {
    whole_in(text, 1, MAX_T as i64, "T").map(|n| n as usize)
}

pub fn check_eta(text: &str) -> Result<f64, String> {
    positive_named(text, "η", "0.01")
}

impl LearnState {
    pub fn for_problem(problem: Problem) -> LearnState {
        let (rho, t, eta) = problem.defaults();
        LearnState {
            problem,
            rho: Field::new(rho, fmt_full(rho)),
            t: Field::new(t, t.to_string()),
            eta: Field::new(eta, fmt_full(eta)),
            meta: 0,
        }
    }
}

impl Default for LearnState {
    fn default() -> LearnState {
        LearnState::for_problem(Problem::Toy)
    }
}

impl ChapterModel for LearnState {
    type Action = LearnAction;

    fn apply(&self, action: LearnAction) -> LearnState {
        let mut s = self.clone();
        match action {
            LearnAction::Problem(p) => return LearnState::for_problem(p),
            LearnAction::Rho(t) => s.rho = self.rho.edit(t, check_rho),
            LearnAction::T(t) => s.t = self.t.edit(t, check_t),
            LearnAction::Eta(t) => s.eta = self.eta.edit(t, check_eta),
            LearnAction::MetaStep(k) => s.meta = (s.meta + k).min(MAX_META),
            LearnAction::MetaReset => s.meta = 0,
        }
        if (s.rho.value, s.t.value, s.eta.value) != (self.rho.value, self.t.value, self.eta.value) {
            s.meta = 0;
        }
        s
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> LearnState {
        let problem = match loc.get("problem") {
            None | Some("toy") => Problem::Toy,
            Some("diabetes") => Problem::Diabetes,
            Some(p) => {
                notices.push(format!(
                    "`problem={p}`: the problems are toy and diabetes; using toy"
                ));
                Problem::Toy
            }
        };
        let d = LearnState::for_problem(problem);
        let mut s = LearnState {
            rho: d.rho.from_link(loc, "rho", check_rho, notices),
            t: d.t.from_link(loc, "T", check_t, notices),
            eta: d.eta.from_link(loc, "eta", check_eta, notices),
            ..d
        };
        if let Some(k) = loc.get("meta") {
            match k.parse::<usize>() {
                Ok(k) if k <= MAX_META => s.meta = k,
                _ => notices.push(format!(
                    "`meta={k}`: meta-steps go from 0 to {MAX_META}; using 0"
                )),
            }
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        vec![
            ("problem".into(), self.problem.name().into()),
            ("rho".into(), self.rho.text.clone()),
            ("T".into(), self.t.text.clone()),
            ("eta".into(), self.eta.text.clone()),
            ("meta".into(), self.meta.to_string()),
        ]
    }
}

/// Everything the chapter shows for a state.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnResults {
    pub hyper: Hypergradient,
    pub stability: f64,
    /// (ρ, L(ρ)) from 0 to past the stability limit, by the closed form.
    pub curve: Vec<(f64, f64)>,
    pub meta: Vec<(f64, f64)>,
    /// Where the meta-descent is now: the last meta-iterate (ρ itself before any meta-step). The numbers and the
    /// toy problem's path are at this ρ.
    pub rho_now: f64,
    /// The toy problem's iterates β₀ … β_T at `rho_now`.
    pub path: Vec<(f64, f64)>,
    /// The problem as a numpy program at `rho_now` and T, and the array engine's L and dL/dρ for it.
    pub source: String,
    pub program: Result<ProgramCheck, String>,
}

impl LearnState {
    pub fn results(&self) -> Result<LearnResults, String> {
        let q = self.problem.quad()?;
        let spec = Spectrum::of(&q);
        let t = self.t.value;
        let meta = meta_path(&q, self.rho.value, t, self.eta.value, self.meta);
        let rho = meta.last().map_or(self.rho.value, |m| m.0);
        let stability = 2.0 / spec.max();
        let hi = 1.15 * stability;
        let curve = (1..=300)
            .map(|i| {
                let r = hi * i as f64 / 300.0;
                (r, spec.closed(r, t).0)
            })
            .collect();
        let path = if q.d == 2 {
            (0..=t.min(200))
                .map(|k| {
                    let b = descent(&q, 0.0, rho, k);
                    (b[0], b[1])
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(LearnResults {
            source: program(self.problem, rho, t),
            program: program_check(self.problem, rho, t),
            hyper: hypergradient(&q, &spec, rho, t),
            stability,
            curve,
            meta,
            rho_now: rho,
            path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300)
    }

    /// The closed form against forward and reverse mode, on both problems, away from the stability limit.
    #[test]
    fn three_ways_agree() {
        for p in [Problem::Toy, Problem::Diabetes] {
            let q = p.quad().unwrap();
            let spec = Spectrum::of(&q);
            let lim = 2.0 / spec.max();
            // Away from the stability limit, and before β_T has converged to rounding (where dL/dρ is below it).
            for (frac, t) in [
                (0.1, 1),
                (0.3, 10),
                (0.5, 20),
                (0.02, 200),
                (0.005, 1000),
                (0.9, 5),
            ] {
                let rho = frac * lim;
                let h = hypergradient(&q, &spec, rho, t);
                let (l, _) = spec.closed(rho, t);
                // L near its minimum is a difference of O(c) terms: compared at that scale.
                assert!(
                    (h.loss - l).abs() <= 1e-12 * q.c,
                    "{p:?} {frac} {t}: {} vs {l}",
                    h.loss
                );
                assert!(
                    close(h.reverse, h.exact, 1e-10),
                    "{p:?} {frac} {t}: reverse {} vs {}",
                    h.reverse,
                    h.exact
                );
                assert!(
                    close(h.forward, h.exact, 1e-10),
                    "{p:?} {frac} {t}: forward {} vs {}",
                    h.forward,
                    h.exact
                );
                assert_eq!(h.memory_forward, 2 * q.d);
                assert!(
                    h.memory_reverse >= t * q.d,
                    "reverse stores every iterate at least"
                );
            }
        }
    }

    /// The chapter's function as a numpy program, traced once and run by the array engine at each ρ: the tape's L and
    /// dL/dρ, on both problems, at the defaults and after the plan is reused at other ρ and T.
    #[test]
    fn the_program_is_the_same_function() {
        for p in [Problem::Toy, Problem::Diabetes] {
            let q = p.quad().unwrap();
            let spec = Spectrum::of(&q);
            let (rho0, t0, _) = p.defaults();
            for (rho, t) in [
                (rho0, t0),
                (rho0 * 0.7, t0),
                (rho0 * 1.2, 3 * t0),
                (rho0, t0),
            ] {
                let c = program_check(p, rho, t).unwrap();
                let h = hypergradient(&q, &spec, rho, t);
                assert!(
                    close(c.loss, h.loss, 1e-12),
                    "{p:?} {rho} {t}: {} vs {}",
                    c.loss,
                    h.loss
                );
                assert!(
                    close(c.grad, h.reverse, 1e-9),
                    "{p:?} {rho} {t}: {} vs {}",
                    c.grad,
                    h.reverse
                );
                assert!(
                    c.operations >= 5 * t && c.operations <= 10 * t + 20,
                    "{}",
                    c.operations
                );
            }
            assert!(program_check(p, rho0, MAX_PROGRAM_T + 1)
                .unwrap_err()
                .contains("up to 1,000"));
            // What “What is AD?” reads: the same program, its point the print line's.
            let src = program(p, rho0, t0);
            let g = lower_arrays(&src, &[]).unwrap();
            let (l, grad) = crate::ad::nd::gradient(&g).unwrap();
            let c = program_check(p, rho0, t0).unwrap();
            assert_eq!(
                (l.to_bits(), grad[0].data[0].to_bits()),
                (c.loss.to_bits(), c.grad.to_bits())
            );
        }
    }

    /// For the toy problem the best ρ is 2/11 whatever T: dL/dρ vanishes there.
    #[test]
    fn the_toy_optimum() {
        let q = Problem::Toy.quad().unwrap();
        let spec = Spectrum::of(&q);
        for t in [1, 2, 5, 20, 100] {
            let (_, d) = spec.closed(2.0 / 11.0, t);
            assert!(d.abs() < 1e-12, "{t}: {d}");
        }
        assert!((2.0 / spec.max() - 0.2).abs() < 1e-15);
        // The meta-iterates approach it.
        let path = meta_path(&q, 0.02, 10, 0.01, 300);
        let last = path.last().unwrap().0;
        assert!((last - 2.0 / 11.0).abs() < 1e-3, "{last}");
    }

    #[test]
    fn permalinks_and_bad_input() {
        let s = LearnState::default()
            .apply(LearnAction::Rho("0.1".into()))
            .apply(LearnAction::MetaStep(3));
        let q = crate::base::url::build("/learn", &s.query());
        let mut n = Vec::new();
        assert_eq!(LearnState::from_location(&Location::parse(&q), &mut n), s);
        assert!(n.is_empty());
        for (f, bad) in [
            (check_rho as fn(&str) -> Result<f64, String>, "0"),
            (check_rho, "NaN"),
            (check_rho, "-1"),
            (check_eta, "x"),
        ] {
            assert!(f(bad).is_err(), "{bad}");
        }
        assert!(check_t("1000000000").is_err());
        let mut n = Vec::new();
        let s = LearnState::from_location(
            &Location::parse("/learn?problem=zz&rho=-1&T=1e9&meta=x"),
            &mut n,
        );
        assert_eq!(n.len(), 4, "{n:?}");
        assert_eq!(s, LearnState::default());
    }
}
