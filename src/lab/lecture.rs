//! Presenter mode: the lecture as a script of slides, each a chapter in a prepared state with the lecture's own words.
//! The script is this one table; a slide's chapter stays live (the teacher can type into it) and the next slide
//! restores the script's state.

use super::ChapterModel;
use crate::base::url::Location;

/// One slide: a chapter (route and permalink query), the lecture's words, and the number it must show (a CSS
/// selector whose element carries `data-value`, and that value) once its steps are done.
pub struct Slide {
    pub route: &'static str,
    pub query: &'static str,
    pub caption: &'static str,
    /// The chapter steps (graph lab, chain, memory): the slide's steps are the chapter's, from `step=0`.
    pub steps: bool,
    pub key: (&'static str, &'static str),
    /// The parts of the chapter the slide shows besides its main panels (space-separated `data-part` names: `trace`,
    /// `code`, …); the presenter hides the others, and the chapter's editing chrome.
    pub show: &'static str,
}

const LOGISTIC: &str = "f=def%20f(x%2C%20n%3D4)%3A%0A%20%20v%20%3D%20x%0A%20%20for%20i%20in%20range(n)%3A%0A%20%20%20%20v%20%3D%204%20*%20v%20*%20(1%20-%20v)%0A%20%20return%20v%0A&in.x=0.25";

const LOGISTIC_REVERSE: &str = "f=def%20f(x%2C%20n%3D4)%3A%0A%20%20v%20%3D%20x%0A%20%20for%20i%20in%20range(n)%3A%0A%20%20%20%20v%20%3D%204%20*%20v%20*%20(1%20-%20v)%0A%20%20return%20v%0A&in.x=0.25&mode=reverse";

macro_rules! slide {
    ($route:expr, $query:expr, $steps:expr, ($sel:expr, $val:expr), $caption:expr) => {
        slide!($route, $query, $steps, ($sel, $val), $caption, "")
    };
    ($route:expr, $query:expr, $steps:expr, ($sel:expr, $val:expr), $caption:expr, $show:expr) => {
        Slide {
            route: $route,
            query: $query,
            caption: $caption,
            steps: $steps,
            key: ($sel, $val),
            show: $show,
        }
    };
}

const GRAD_X: &str = "[data-testid=\"result-grad-x\"]";
const XY_V2_TANGENT: &str = "tr[data-node=\"v2\"] td[data-col=\"tangent\"] .num";
const X_ADJOINT: &str = "tr[data-node=\"x\"] td[data-col=\"adjoint\"] .num";

pub const SLIDES: &[Slide] = &[
    slide!("/grad", "f=x**2&in.x=1", false, (GRAD_X, "2"),
        "Automatic differentiation? A method to compute the differential of a function using a computer. f(x) = x², g = grad(f): g(1) = 2.0."),
    slide!("/grad", "f=log(1%2Bx**2)%2Fx&in.x=1", false, ("[data-testid=\"result-value\"]", "0.6931471805599453"),
        "f(x) = np.log(1 + x ** 2) / x gives 0.6931471805599453 at 1; grad(f) gives 0.3068528194400547."),
    slide!("/grad", LOGISTIC, false, (GRAD_X, "-16"),
        "Prototypical case: f defined recursively, f₀(x) = x, fₖ₊₁(x) = 4fₖ(x)(1 − fₖ(x)). f(0.25) = 0.75, and grad(f) gives −16.0."),
    slide!("/numeric", "", false, ("[data-testid=\"fd-estimate\"]", "-16.000015992112537"),
        "Automatic differentiation is not numerical differentiation: f′(x) ≃ (f(x + h) − f(x))/h. Computing ∇f takes n computations; an inexact method; how to choose h?"),
    slide!("/numeric", "scheme=central", false, ("[data-testid=\"fd-exact\"]", "-16"),
        "approx_fprime(0.25, f, 1e-7) gives −16.00001599: truncation for large h, round-off for small h."),
    slide!("/symbolic", "", false, ("[data-testid=\"swell-table\"] tr[data-n=\"3\"] td[data-col=\"f\"]", "43"),
        "Automatic differentiation is not symbolic differentiation: it takes the function as symbolic operations and applies the usual rules to give the derivative as symbolic operations."),
    slide!("/symbolic", "nmax=20", false, ("[data-testid=\"swell-table\"] tr[data-n=\"1\"] td[data-col=\"f\"]", "7"),
        "Symbolic differentiation is exact, but suffers expression swell: derivatives can have many more terms than the base function."),
    slide!("/graph", LOGISTIC_REVERSE, true, (X_ADJOINT, "-16"),
        "Automatic differentiation: apply symbolic differentiation at the elementary operation level and keep intermediate numerical results, in lockstep with the evaluation of the main function.", "trace memory"),
    slide!("/graph", LOGISTIC, true, ("tr[data-node=\"v12\"] td[data-col=\"tangent\"] .num", "-16"),
        "Forward automatic differentiation: follow the graph and differentiate each operation, v, dv = 4v(1 − v), 4dv(1 − v) − 4v dv — one pass gives f and f′ together.", "trace code"),
    slide!("/graph", "f=y%20*%20x**2&in.y=1&in.x=1&mode=forward&wrt=x", true, (XY_V2_TANGENT, "2"),
        "Forward automatic differentiation on f(x, y) = yx², x = y = 1: dx/dx = 1, dy/dx = 0, dv₁/dx = 2x = 2, dv₂/dx = y dv₁/dx + v₁ dy/dx = 2.", "trace code"),
    slide!("/graph", "f=y%20*%20x**2&in.y=1&in.x=1&mode=reverse", true, (X_ADJOINT, "2"),
        "Reverse automatic differentiation, backprop: compute the graph and its elements, then go through it backwards. df/dv₂ = 1, df/dy = v₁ = 1, df/dv₁ = y = 1, df/dx = 2x df/dv₁ = 2.", "trace code"),
    slide!("/graph", "f=def%20f(x1%2C%20x2%2C%20x3)%3A%0A%20%20return%20x1%20*%20x2%20%2B%20sin(x3)%0A&in.x1=1&in.x2=2&in.x3=0&mode=reverse", true,
        ("tr[data-node=\"x1\"] td[data-col=\"adjoint\"] .num", "2"),
        "Forward mode: for f: R → Rᵐ one pass computes all derivatives, for f: Rⁿ → R it needs n passes — bad for ML. Reverse mode: only one pass for the gradient of f: Rⁿ → R.", "trace cost"),
    slide!("/grad", "f=log(x1)%20%2B%20x1*x2%20-%20sin(x2)&in.x1=2&in.x2=5", false, ("[data-testid=\"result-grad-x1\"]", "5.5"),
        "Automatic differentiation: exact; takes about the same time to compute the gradient and the function; requires memory; easy to use."),
    slide!("/chain", "", true, ("[data-testid=\"cost-forward\"]", "1010000"),
        "Example 0: a sequence of transforms, xₙ₊₁ = gₙ(xₙ), G(x) = ℓ(x_N). Forward: ∇G(x) = ∇ℓ(x_N) J_{N−1} × … × J₀."),
    slide!("/chain", "mode=reverse", true, ("[data-testid=\"cost-reverse\"]", "101000"),
        "Will backprop give us another formula? What is the difference? The same product, multiplied from the left."),
    slide!("/chain", "sizes=10%2C1000%2C1%2C1000%2C10&mode=optimal", true, ("[data-testid=\"cost-optimal\"]", "20100"),
        "Neither order is always best: with narrow middles, the cheapest bracketing mixes both — the same product, other costs."),
    slide!("/network", "preset=micrograd", false, ("[data-testid=\"nn-epoch\"]", "0"),
        "Example 1: a neural network, x₀ = x, xₖ₊₁ = σ(Wₖxₖ + bₖ). Training: find θ minimising C(θ) = (1/n) Σ ℓ(f_θ(xⁱ), yⁱ). How to compute ∇C(θ)? Autodiff!"),
    slide!("/network", "preset=micrograd&epoch=20", false, ("[data-testid=\"nn-epoch\"]", "20"),
        "Autodiff is used everywhere in modern machine learning: C(θ) is a sequence of elementary operations, so its gradient comes from one backward pass."),
    slide!("/memory", "n=100&c=2", true, ("[data-testid=\"ckpt-forward-evals\"]", "845"),
        "Memory issues! To apply backward autodiff, we need to store all intermediate activations: sometimes very costly — or replay them from a few checkpoints."),
    slide!("/learn", "", false, ("[data-testid=\"learn-stability\"]", "0.2"),
        "Example 2: learning to learn. Gradient descent with step ρ for T iterations is a function GD: ρ → β_T. What is the best ρ?"),
    slide!("/learn", "problem=toy&meta=20", false, ("[data-testid=\"learn-memory-forward\"]", "4"),
        "Find ρ minimising ℓ(GD(ρ)): use gradient descent, ρ ← ρ − 0.01 ∇_ρ ℓ(GD(ρ)), computed by automatic differentiation."),
    slide!("/learn", "problem=diabetes", false, ("[data-testid=\"learn-loss\"]", "209309.42155519756"),
        "Ridge regression ℓ(β) = ½‖Xβ − y‖² + (λ/2)‖β‖² on real data (diabetes, λ = 10): β₀ = 0, βₜ₊₁ = βₜ − ρ(Xᵀ(Xβₜ − y) + λβₜ)."),
    slide!("/hyper", "", false, ("[data-testid=\"hyper-grad-implicit\"]", "-613.3142512066648"),
        "Example 3: hyperparameter optimisation. Find λ minimising ℓ′(λ) = ½‖X_test β*(λ) − y_test‖², β*(λ) = argmin ℓ(β, λ). Idea: use first-order information."),
    slide!("/hyper", "mode=per-feature&k=10&steps=100", false, ("[data-testid=\"hyper-solves\"]", "390"),
        "Grid search needs k points per hyperparameter: practically useless beyond 10 hyperparameters. Optimise ℓ′(GD(λ)) by gradient descent instead: better scaling.", "grid"),
    slide!("/grad", "", false, (GRAD_X, "-16"),
        "Automatic differentiation is exact, takes about the same time as the function, requires memory, and is easy to use: available in PyTorch, TensorFlow, JAX, autograd — and here."),
    slide!("/", "", false, ("main h1", ""), "Thanks for your attention! — Pierre Ablin's introduction to automatic differentiation, in AD Lab."),
];

/// Where the lecture is: slide k (1-based) and its step.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LectureState {
    pub slide: usize,
    pub sub: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LectureAction {
    Next,
    Prev,
    /// The slide's chapter stepped (from its own permalink).
    Sub(usize),
}

impl LectureState {
    pub fn current(&self) -> &'static Slide {
        &SLIDES[self.slide.clamp(1, SLIDES.len()) - 1]
    }

    /// The slide's chapter address: its route and query, at the lecture's step.
    pub fn chapter_hash(&self) -> String {
        let s = self.current();
        let step = if s.steps {
            format!("step={}", self.sub)
        } else {
            String::new()
        };
        let q = [s.query, &step]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        if q.is_empty() {
            format!("#{}", s.route)
        } else {
            format!("#{}?{q}", s.route)
        }
    }
}

impl ChapterModel for LectureState {
    type Action = LectureAction;

    fn apply(&self, action: LectureAction) -> LectureState {
        match action {
            LectureAction::Next => LectureState {
                slide: (self.slide + 1).min(SLIDES.len()),
                sub: 0,
            },
            LectureAction::Prev => LectureState {
                slide: self.slide.saturating_sub(1).max(1),
                sub: 0,
            },
            LectureAction::Sub(k) => LectureState {
                sub: k,
                ..self.clone()
            },
        }
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> LectureState {
        let mut s = LectureState { slide: 1, sub: 0 };
        if let Some(v) = loc.get("slide") {
            match v.parse::<usize>() {
                Ok(k) if (1..=SLIDES.len()).contains(&k) => s.slide = k,
                _ => notices.push(format!(
                    "`slide={v}`: the slides are 1 to {}; starting at 1",
                    SLIDES.len()
                )),
            }
        }
        if let Some(v) = loc.get("sub") {
            match v.parse::<usize>() {
                Ok(k) if s.current().steps => s.sub = k,
                _ => notices.push(format!(
                    "`sub={v}`: this slide has no steps of that number; using 0"
                )),
            }
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        vec![
            ("slide".into(), self.slide.to_string()),
            ("sub".into(), self.sub.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_its_addresses() {
        assert!((20..=40).contains(&SLIDES.len()));
        for (i, s) in SLIDES.iter().enumerate() {
            let st = LectureState {
                slide: i + 1,
                sub: 0,
            };
            let loc = Location::parse(&st.chapter_hash());
            assert_eq!(loc.path, s.route);
            assert!(
                loc.problems.is_empty(),
                "slide {}: {:?}",
                i + 1,
                loc.problems
            );
        }
        let s = LectureState::default().apply(LectureAction::Next);
        assert_eq!(s.slide, 1);
        let mut notices = Vec::new();
        let s =
            LectureState::from_location(&Location::parse("#/lecture?slide=9&sub=3"), &mut notices);
        assert_eq!((s.slide, s.sub), (9, 3));
        assert!(s.chapter_hash().ends_with("&step=3"));
        let s =
            LectureState::from_location(&Location::parse("#/lecture?slide=0&sub=x"), &mut notices);
        assert_eq!((s.slide, s.sub, notices.len()), (1, 0, 2));
    }
}
