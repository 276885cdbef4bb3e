//! Presenter mode: the lecture as a script of slides, each a chapter in a prepared state with the lecture's own words.
//! The script is this one table; a slide's chapter stays live (the teacher can type into it) and the next slide
//! restores the script's state.

use super::ChapterModel;
use crate::base::url::Location;

/// One slide: the lecture's headline and words, the chapter it shows (route and permalink query), the number that
/// chapter must show (a CSS selector whose element carries `data-value`, and that value) once the slide's builds are
/// done, and the speaker's notes. Captions and notes write math as `$…$` in the lecture's TeX ([`crate::base::tex`]).
pub struct Slide {
    pub title: &'static str,
    pub route: &'static str,
    pub query: &'static str,
    pub caption: &'static str,
    /// The lecture's fuller text for this slide, for the speaker view.
    pub notes: &'static str,
    /// The chapter steps (graph lab, chain, memory): the slide's builds are its steps ([`builds`]).
    pub steps: bool,
    pub key: (&'static str, &'static str),
    /// The parts of the chapter the slide shows besides its main panels (space-separated `data-part` names: `trace`,
    /// `code`, …); the presenter hides the others, and the chapter's editing chrome.
    pub show: &'static str,
}

const BLANK: Slide = Slide {
    title: "",
    route: "/",
    query: "",
    caption: "",
    notes: "",
    steps: false,
    key: ("main h1", ""),
    show: "",
};

const LOGISTIC: &str = "f=def%20f(x%2C%20n%3D4)%3A%0A%20%20v%20%3D%20x%0A%20%20for%20i%20in%20range(n)%3A%0A%20%20%20%20v%20%3D%204%20*%20v%20*%20(1%20-%20v)%0A%20%20return%20v%0A&in.x=0.25";

const LOGISTIC_REVERSE: &str = "f=def%20f(x%2C%20n%3D4)%3A%0A%20%20v%20%3D%20x%0A%20%20for%20i%20in%20range(n)%3A%0A%20%20%20%20v%20%3D%204%20*%20v%20*%20(1%20-%20v)%0A%20%20return%20v%0A&in.x=0.25&mode=reverse";

const LOGISTIC_200: &str = "f=def%20f(x%2C%20n%3D200)%3A%0A%20%20v%20%3D%20x%0A%20%20for%20i%20in%20range(n)%3A%0A%20%20%20%20v%20%3D%204%20*%20v%20*%20(1%20-%20v)%0A%20%20return%20v%0A&in.x=0.25";

const THREE: &str = "f=def%20f(x1%2C%20x2%2C%20x3)%3A%0A%20%20return%20x1%20*%20x2%20%2B%20sin(x3)%0A&in.x1=1&in.x2=2&in.x3=0";

const GRAD_X: &str = "[data-testid=\"result-grad-x\"]";
const XY_V2_TANGENT: &str = "tr[data-node=\"v2\"] td[data-col=\"tangent\"] .num";
const X_ADJOINT: &str = "tr[data-node=\"x\"] td[data-col=\"adjoint\"] .num";
const X1_ADJOINT: &str = "tr[data-node=\"x1\"] td[data-col=\"adjoint\"] .num";

const NUMERIC: &str = "Automatic differentiation is not… numerical differentiation";
const SYMBOLIC: &str = "Automatic differentiation is not… symbolic differentiation";
const EXAMPLE0: &str = "Example 0: differentiating a sequence of transforms";
const EXAMPLE1: &str = "Example 1: computing stochastic gradients in neural networks";
const EXAMPLE2: &str = "Example 2: learning to learn";
const EXAMPLE3: &str = "Example 3: hyperparameter optimisation";

/// The lecture, one row a slide.
pub const SLIDES: &[Slide] = &[
    Slide {
        title: "Automatic differentiation?",
        route: "/grad",
        query: "f=x**2&in.x=1",
        key: (GRAD_X, "2"),
        caption: "A method to compute the differential of a function using a computer. $f(x) = x^2$: f(1) = 1.0, and g = grad(f) gives g(1) = 2.0.",
        notes: "Automatic differentiation: a method to compute the differential of a function using a computer. def f(x): return x ** 2 — f(1) prints 1. g = grad(f); g(1) prints 2.0.",
        ..BLANK
    },
    Slide {
        title: "Automatic differentiation?",
        route: "/grad",
        query: "f=log(1%2Bx**2)%2Fx&in.x=1",
        key: ("[data-testid=\"result-value\"]", "0.6931471805599453"),
        caption: "def f(x): return np.log(1 + x ** 2) / x gives 0.6931471805599453 at 1; g = grad(f) gives 0.3068528194400547.",
        notes: "The same for a less obvious function: f(x) = log(1 + x²)/x. f(1) = 0.6931471805599453 = log 2, and grad(f)(1) = 0.3068528194400547 = 1 − log 2, to the last digit.",
        ..BLANK
    },
    Slide {
        title: "Prototypical case",
        route: "/grad",
        query: LOGISTIC,
        key: (GRAD_X, "-16"),
        caption: "$f$ defined recursively: $f_0(x) = x$, $f_{k+1}(x) = 4 f_k(x)(1 - f_k(x))$. f(0.25) = 0.75, and grad(f) gives −16.0.",
        notes: "The prototypical case: f defined recursively by the logistic map, f₀(x) = x, fₖ₊₁(x) = 4fₖ(x)(1 − fₖ(x)), written as a loop: v = x; for i in range(n): v = 4 * v * (1 - v). With n = 4, f(0.25) = 0.75 and g = grad(f) gives −16.0.",
        ..BLANK
    },
    Slide {
        title: NUMERIC,
        route: "/numeric",
        key: ("[data-testid=\"fd-estimate\"]", "-16.000015992112537"),
        show: "plot",
        caption: "$f'(x) \\simeq \\frac{f(x + h) - f(x)}{h}$: an inexact method. How to choose h? Too large: truncation error; too small: round-off.",
        notes: "Numerical differentiation approximates f′(x) by (f(x + h) − f(x))/h. It is inexact, and the step h is a compromise: for large h the quotient is a different quantity (truncation error, about h·|f″|/2); for small h, f(x + h) and f(x) share most digits and the subtraction leaves rounding noise, magnified by 1/h. The plot shows the error against h: a V with its bottom near √ε ≈ 10⁻⁸.",
        ..BLANK
    },
    Slide {
        title: NUMERIC,
        route: "/grad",
        query: THREE,
        key: ("[data-testid=\"result-fd-x1\"]", "2.0000000011677344"),
        caption: "In higher dimension: $\\frac{\\partial f}{\\partial x_i}(\\mathbf{x}) \\simeq \\frac{f(\\mathbf{x} + h\\mathbf{e}_i) - f(\\mathbf{x})}{h}$. Computing $\\nabla f = [\\frac{\\partial f}{\\partial x_1}, \\dots, \\frac{\\partial f}{\\partial x_n}]$ takes n computations, each inexact.",
        notes: "In higher dimension each partial derivative needs its own difference along a basis vector eᵢ: for f: ℝⁿ → ℝ the gradient costs n + 1 evaluations of f (here 4 for 3 inputs), and every entry is only approximate — compare the forward-difference column with the exact reverse-mode column.",
        ..BLANK
    },
    Slide {
        title: NUMERIC,
        route: "/numeric",
        key: ("[data-testid=\"fd-estimate-scipy\"]", "-16.000015991652447"),
        show: "scipy plot",
        caption: "from scipy.optimize import approx_fprime — approx_fprime(0.25, f, 1e-7) gives −16.00001599, not −16.",
        notes: "SciPy's approx_fprime(0.25, f, 1e-7) prints −16.00001599. It divides by the step actually taken, (0.25 + h) − 0.25, which is not exactly 1e-7 once 0.25 + h is rounded; the textbook quotient gives −16.000015992112537. Either way, 8 digits, not 16.",
        ..BLANK
    },
    Slide {
        title: SYMBOLIC,
        route: "/symbolic",
        key: ("[data-testid=\"f4-derivative\"]", "8"),
        show: "f4",
        caption: "Takes the function as symbolic operations and applies the usual rules: $f_4(x) = 64x(1-x)(1-2x)^2(1-8x+8x^2)^2$, so $f'_4(x)$ is the long expression below. Then, evaluate $f'(x)$ (with $f_0(x) = x$, this formula is three steps of the map).",
        notes: "Symbolic differentiation takes a function specified as symbolic operations and applies the usual rules of differentiation to give the derivative as symbolic operations. For the logistic map, f₄(x) = 64x(1−x)(1−2x)²(1−8x+8x²)², and the product rule gives f′₄(x) = 128x(1−x)(−8+16x)(1−2x)²(1−8x+8x²) + 64(1−x)(1−2x)²(1−8x+8x²)² − 64x(1−2x)²(1−8x+8x²)² − 256x(1−x)(1−2x)(1−8x+8x²)². Then evaluate f′(x). Note: with f₀(x) = x, this formula is three steps of the map (64 = 4³), f₃; at 0.25 it gives f = 0.75 and f′ = 8, which AD of three steps confirms to the last digit — the program with n = 4 gives −16.",
        ..BLANK
    },
    Slide {
        title: SYMBOLIC,
        route: "/symbolic",
        query: "nmax=14",
        key: ("[data-testid=\"swell-table\"] tr[data-n=\"1\"] td[data-col=\"f\"]", "7"),
        show: "plot table",
        caption: "Exact, but expression swell: derivatives can have many more terms than the base function — $f_n$, $f'_n$ and $f'_n$ simplified, against the AD trace.",
        notes: "Symbolic differentiation is exact, but suffers from expression swell: the derivative of fₙ written out has many more terms than fₙ, and simplifying (expanding) does not save it. The AD trace stays linear in n: it keeps intermediate results instead of copying them.",
        ..BLANK
    },
    Slide {
        title: "Automatic differentiation",
        route: "/graph",
        query: LOGISTIC,
        steps: true,
        key: ("tr[data-node=\"v12\"] td[data-col=\"tangent\"] .num", "-16"),
        show: "code",
        caption: "Apply symbolic differentiation at the elementary operation level and keep intermediate numerical results, in lockstep with the evaluation of the main function: v, dv = 4v(1 − v), 4dv(1 − v) − 4v dv.",
        notes: "Automatic differentiation: the function is a graph of elementary operations; follow the graph and differentiate each operation with the usual rules (linearity, chain rule), keeping the numbers, not the expressions. The lecture's g(x, n=4) carries v and dv together: v, dv = 4 * v * (1 - v), 4 * dv * (1 - v) - 4 * v * dv, and returns −16.0. The program generated here does the same, one elementary operation per line.",
        ..BLANK
    },
    Slide {
        title: "Forward automatic differentiation",
        route: "/graph",
        query: THREE,
        steps: true,
        key: ("tr[data-node=\"v3\"] td[data-col=\"tangent\"] .num", "2"),
        show: "cost",
        caption: "If $f: \\mathbb{R} \\to \\mathbb{R}^m$: one pass computes all derivatives. If $f: \\mathbb{R}^n \\to \\mathbb{R}$: n passes — bad for ML.",
        notes: "Forward mode pushes one tangent through the graph: one pass gives the derivatives of every output with respect to one input. For f: ℝ → ℝᵐ that is everything; for f: ℝⁿ → ℝ — a loss of n parameters, as in machine learning — it takes n passes, one per input.",
        ..BLANK
    },
    Slide {
        title: "Reverse automatic differentiation: backprop",
        route: "/graph",
        query: LOGISTIC_REVERSE,
        steps: true,
        key: (X_ADJOINT, "-16"),
        show: "code",
        caption: "Compute the graph and its elements, then go through it backwards. (The lecture's g never appends v to memory; the program generated here does, before each step overwrites v.)",
        notes: "Reverse mode computes the graph and stores its values, then goes through it backwards, pushing adjoints (derivatives of the output) from each node to its parents. The lecture's code keeps a list memory but never appends to it, so its backward loop would read nothing; the generated program appends each v before the loop overwrites it and walks memory[::-1], returning −16.0.",
        ..BLANK
    },
    Slide {
        title: "Reverse automatic differentiation: backprop",
        route: "/graph",
        query: "f=def%20f(x1%2C%20x2%2C%20x3)%3A%0A%20%20return%20x1%20*%20x2%20%2B%20sin(x3)%0A&in.x1=1&in.x2=2&in.x3=0&mode=reverse",
        steps: true,
        key: (X1_ADJOINT, "2"),
        show: "cost",
        caption: "Only one pass to compute the gradient of a function $\\mathbb{R}^n \\to \\mathbb{R}$.",
        notes: "One backward pass gives the adjoint of every input: the whole gradient of f: ℝⁿ → ℝ, whatever n — which is why machine learning uses reverse mode (backprop).",
        ..BLANK
    },
    Slide {
        title: "Example on a 2d function: forward AD",
        route: "/graph",
        query: "f=y%20*%20x**2&in.y=1&in.x=1&mode=forward&wrt=x",
        steps: true,
        key: (XY_V2_TANGENT, "2"),
        show: "trace",
        caption: "$f(x, y) = yx^2$, $x = y = 1$; w.r.t. x: $\\frac{dx}{dx} = 1$, $\\frac{dy}{dx} = 0$, $\\frac{dv_1}{dx} = 2x\\frac{dx}{dx} = 2$, $\\frac{dv_2}{dx} = y\\frac{dv_1}{dx} + v_1\\frac{dy}{dx} = 2$.",
        notes: "f(x, y) = yx² at x = y = 1: v₁ = x² = 1, v₂ = yv₁ = 1, f = v₂ = 1. Forward AD with respect to x: dx/dx = 1, dy/dx = 0, dv₁/dx = 2x·dx/dx = 2, dv₂/dx = y·dv₁/dx + v₁·dy/dx = 2, so df/dx = 2.",
        ..BLANK
    },
    Slide {
        title: "Example on a 2d function: backprop",
        route: "/graph",
        query: "f=y%20*%20x**2&in.y=1&in.x=1&mode=reverse",
        steps: true,
        key: (X_ADJOINT, "2"),
        show: "trace",
        caption: "$\\frac{df}{dv_2} = 1$, $\\frac{df}{dy} = \\frac{df}{dv_2}v_1 = 1$, $\\frac{df}{dv_1} = y\\frac{df}{dv_2} = 1$, $\\frac{df}{dx} = 2x\\frac{df}{dv_1} = 2$.",
        notes: "Backprop on the same function: first the values (v₁ = 1, v₂ = 1), then backwards: df/dv₂ = 1, df/dy = df/dv₂ · v₁ = 1, df/dv₁ = y · df/dv₂ = 1, df/dx = 2x · df/dv₁ = 2. Both partial derivatives from one backward pass.",
        ..BLANK
    },
    Slide {
        title: "Automatic differentiation",
        route: "/grad",
        query: LOGISTIC_200,
        key: (GRAD_X, "-1606938044258990300000000000000000000000000000000000000000000"),
        show: "timing",
        caption: "Exact; takes about the same time to compute the gradient and the function (measured here, n = 200); requires memory; easy to use.",
        notes: "Automatic differentiation is exact; it takes about the same time to compute the gradient as the function (a small constant factor, measured live on this slide for 600 operations); it requires memory, to store intermediate variables; and it is easy to use.",
        ..BLANK
    },
    Slide {
        title: "Automatic differentiation",
        route: "/grad",
        query: LOGISTIC,
        key: (GRAD_X, "-16"),
        caption: "Available in PyTorch, TensorFlow, JAX, the package autograd with numpy: from autograd import grad; g = grad(f) gives −16.0 — and here.",
        notes: "Available in PyTorch, TensorFlow, JAX and the package autograd with numpy: from autograd import grad; g = grad(f); g(0.25) gives −16.0.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE0,
        route: "/chain",
        key: ("[data-testid=\"cost-forward\"]", "1010000"),
        caption: "$g_0, \\dots, g_{N-1}$ a sequence of functions: $x_0 = x$, $x_{n+1} = g_n(x_n)$, and a final cost $G(x) = \\ell(x_N)$. What is the gradient of G?",
        notes: "Let g₀, …, g_{N−1} be a sequence of functions and consider the transform starting from x: x₀ = x, x_{n+1} = gₙ(xₙ) for n = 0 … N−1. Consider a final cost G(x) = ℓ(x_N) with ℓ differentiable. What is the gradient of G?",
        ..BLANK
    },
    Slide {
        title: EXAMPLE0,
        route: "/chain",
        query: "mode=forward",
        steps: true,
        key: ("[data-testid=\"cost-forward\"]", "1010000"),
        caption: "Forward (classical chain rule): $\\frac{\\partial x_{n+1}}{\\partial x} = J_n \\times \\frac{\\partial x_n}{\\partial x}$, so $\\nabla G(x) = \\nabla \\ell(x_N) J_{N-1} \\times \\dots \\times J_0$, with $J_n$ the Jacobian of $g_n$ at $x_n$.",
        notes: "Forward differentiation: x_{n+1} = gₙ(xₙ), so ∂x_{n+1}/∂x = Jₙ × ∂xₙ/∂x. Iterating, ∂x_N/∂x = J_{N−1} × … × J₀, and ∇G(x) = ∇ℓ(x_N) J_{N−1} × … × J₀, where Jₙ is the Jacobian of gₙ at xₙ. Multiplied from the right: large matrix products.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE0,
        route: "/chain",
        query: "mode=reverse",
        steps: true,
        key: ("[data-testid=\"cost-reverse\"]", "101000"),
        caption: "Will backprop give us another formula? What is the difference? The same product $\\nabla \\ell(x_N) J_{N-1} \\times \\dots \\times J_0$, multiplied from the left: vector times matrix.",
        notes: "Backprop gives the same formula, ∇G(x) = ∇ℓ(x_N) J_{N−1} × … × J₀; the difference is the order. From the left, each product is a row vector times a Jacobian: 10× cheaper here, because the output is a scalar.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE0,
        route: "/chain",
        query: "sizes=10%2C1000%2C1%2C1000%2C10&mode=optimal",
        steps: true,
        key: ("[data-testid=\"cost-optimal\"]", "20100"),
        caption: "Neither order is always best: with narrow middles, the cheapest bracketing mixes both — the same product, other costs.",
        notes: "Forward and reverse are two bracketings of one matrix product. When widths vary, the cheapest bracketing (a small dynamic programme) can mix both; here it costs 20,100 scalar multiplications against 120,000 either way.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE1,
        route: "/network",
        query: "preset=micrograd",
        key: ("[data-testid=\"nn-epoch\"]", "0"),
        show: "map curves",
        caption: "A neural network with parameters θ: $x_0 = x$, $x_{k+1} = \\sigma(W_k x_k + b_k)$, $f_\\theta(x) = x_K$, with $\\theta = (W_0, b_0, \\dots, W_{K-1}, b_{K-1})$.",
        notes: "A neural network with parameters θ is a function f_θ(x), e.g. defined recursively: x₀ = x, x_{k+1} = σ(Wₖxₖ + bₖ), f_θ(x) = x_K, with θ = (W₀, b₀, …, W_{K−1}, b_{K−1}). It can have a much more complicated architecture. Here: micrograd's demo, 2-16-16-1, 337 parameters, untrained.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE1,
        route: "/network",
        query: "preset=micrograd&epoch=20",
        key: ("[data-testid=\"nn-epoch\"]", "20"),
        show: "map curves",
        caption: "Training: find θ minimising $C(\\theta) = \\frac1n\\sum_{i=1}^n \\ell(f_\\theta(x^i), y^i)$. How to compute $\\nabla C(\\theta)$? Autodiff: C(θ) is a sequence of elementary operations.",
        notes: "Supervised learning: we want f_θ(x) ≃ y, from a training set (x¹, y¹), …, (xⁿ, yⁿ). Training finds θ minimising C(θ) = (1/n) Σ ℓ(f_θ(xⁱ), yⁱ). How can we compute ∇C(θ)? Autodiff: C(θ) is obtained by a sequence of elementary operations. Autodiff is used everywhere in modern machine learning. Twenty epochs of training shown.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE1,
        route: "/network",
        query: "preset=micrograd&epoch=20",
        key: ("[data-testid=\"nn-cost-ratio\"]", ""),
        show: "example cost",
        caption: "Memory issues! To apply backward autodiff, we need to store all intermediate activations $x_k$: sometimes very costly. Much more expensive to train than to simply evaluate a neural network.",
        notes: "Memory issues: backward autodiff stores every intermediate activation xₖ of every example in the batch, which is sometimes very costly. And a training step (forward, backward, update) is much more expensive than an evaluation: the panel measures both in this browser.",
        ..BLANK
    },
    Slide {
        title: "Reverse mode needs memory: checkpointing",
        route: "/memory",
        query: "n=100&c=2",
        steps: true,
        key: ("[data-testid=\"ckpt-forward-evals\"]", "845"),
        caption: "Storing every state of a chain of n steps costs n slots; keeping only c checkpoints and replaying from them trades memory for time (binomial checkpointing: the fewest replays).",
        notes: "When storing all activations does not fit, keep a few checkpoints and recompute the rest during the backward sweep. With n = 100 steps and 2 slots, binomial checkpointing (revolve) needs 845 forward step evaluations instead of 99 — and the gradient is bit for bit the same.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE2,
        route: "/learn",
        key: ("[data-testid=\"learn-stability\"]", "0.2"),
        caption: "Ridge regression: minimise $\\ell(\\beta) = \\frac12\\|X\\beta - y\\|^2 + \\frac\\lambda2\\|\\beta\\|^2$. Gradient descent with step $\\rho > 0$ for T iterations, $\\beta_0 = 0$, $\\beta_{t+1} = \\beta_t - \\rho(X^\\top(X\\beta_t - y) + \\lambda\\beta_t)$, is a function $GD: \\rho \\to \\beta_T$. What is the best ρ?",
        notes: "Ridge regression: minimise ℓ(β) = ½‖Xβ − y‖² + (λ/2)‖β‖². Gradient descent with step ρ > 0 for T iterations: β₀ = 0, β_{t+1} = β_t − ρ(Xᵀ(Xβ_t − y) + λβ_t). We see it as a function GD: ρ → β_T. What is the best ρ? Too small: slow; above 2/a_max: divergence.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE2,
        route: "/learn",
        query: "problem=toy&meta=20",
        key: ("[data-testid=\"learn-memory-forward\"]", "4"),
        caption: "We want ρ minimising $\\ell(GD(\\rho))$: use gradient descent! $\\rho \\leftarrow \\rho - 0.01\\nabla_\\rho\\ell(GD(\\rho))$, with $\\nabla_\\rho\\ell(GD(\\rho))$ computed by automatic differentiation.",
        notes: "We want ρ that minimises ℓ(GD(ρ)): use gradient descent on ρ, ρ ← ρ − 0.01 ∇_ρ ℓ(GD(ρ)). The gradient goes through all T steps of the inner descent, and is computed by automatic differentiation (reverse mode on a tape, forward mode with one tangent, and the closed form agree).",
        ..BLANK
    },
    Slide {
        title: EXAMPLE2,
        route: "/learn",
        query: "problem=diabetes",
        key: ("[data-testid=\"learn-loss\"]", "209309.42155519756"),
        caption: "On real data: the diabetes set (442 patients, 10 features), λ = 10, T = 100 steps of gradient descent.",
        notes: "The same on real data: scikit-learn's diabetes set, 442 patients and 10 standardised features, λ = 10, T = 100. The meta-descent on ρ finds the step that makes the hundred inner steps most effective.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE3,
        route: "/hyper",
        key: ("[data-testid=\"hyper-grad-implicit\"]", "-613.3142512066648"),
        show: "numbers",
        caption: "Find λ minimising the test error $\\ell'(\\lambda) = \\frac12\\|X_\\text{test}\\beta^*(\\lambda) - y_\\text{test}\\|^2$, $\\beta^*(\\lambda) = \\arg\\min \\ell(\\beta, \\lambda)$. In this simple case β* has a closed form — not in general.",
        notes: "Ridge regression with a test set X_test, y_test: find λ that minimises the test error ℓ′(λ) = ½‖X_test β*(λ) − y_test‖² subject to β*(λ) = argmin ℓ(β, λ). In this simple case there is a closed-form solution for β (and so an implicit derivative), but not in general: then unroll gradient descent and differentiate through it.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE3,
        route: "/hyper",
        query: "mode=per-feature&k=10",
        key: ("[data-testid=\"hyper-grid-loss\"]", ""),
        show: "grid",
        caption: "Usual approach: grid search over candidates $\\lambda_1, \\dots, \\lambda_k$. To cover the space, k grows exponentially with the number of hyperparameters: useless beyond 10.",
        notes: "The usual approach is grid search: select candidates λ₁, …, λ_k and keep the one with the smallest test error. To cover the space, k grows exponentially with the number of hyperparameters: with one λ per feature (10 here), a grid of 10 values per axis is 10¹⁰ solves. Grid search is practically useless beyond 10 hyperparameters.",
        ..BLANK
    },
    Slide {
        title: EXAMPLE3,
        route: "/hyper",
        query: "mode=per-feature&k=10&steps=100",
        key: ("[data-testid=\"hyper-solves\"]", "390"),
        show: "numbers",
        caption: "Idea: use first-order information. $GD(\\lambda) \\simeq \\arg\\min_\\beta \\ell(\\beta, \\lambda)$; optimise $\\ell'(GD(\\lambda))$ by gradient descent, with autodiff for the gradient: better scaling with the number of hyperparameters.",
        notes: "Idea: use first-order information. Define GD: λ → β, the output of gradient descent, GD(λ) ≃ argmin_β ℓ(β, λ), and optimise ℓ′(GD(λ)) with gradient descent, using autodiff for the gradient. One gradient serves all ten λⱼ at once: better scaling with the number of hyperparameters than grid search.",
        ..BLANK
    },
    Slide {
        title: "Thanks for your attention!",
        route: "/",
        caption: "An introduction to automatic differentiation, by Pierre Ablin — every slide a live chapter of AD Lab.",
        notes: "Thanks for your attention. Every chapter of the lecture is in AD Lab: the contents page lists them.",
        ..BLANK
    },
];

/// The steps a slide's builds show, for a chapter with steps 0 to `total`: every step when there are at most 9,
/// otherwise 8 evenly spaced ones after 0 (→ plays the steps in between), so no slide takes more than 10 presses.
pub fn builds(total: usize) -> Vec<usize> {
    if total <= 9 {
        (0..=total).collect()
    } else {
        (0..=8).map(|i| (i * total + 4) / 8).collect()
    }
}

/// Where a slide's chapter is to start: a step, or its last step (coming back from the next slide).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sub {
    #[default]
    Start,
    Step(usize),
    End,
}

/// Where the lecture is: slide k (1-based) and where its chapter starts.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LectureState {
    pub slide: usize,
    pub sub: Sub,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LectureAction {
    /// The next slide, from its start.
    Next,
    /// The previous slide, at its last build.
    Prev,
    /// Slide k, from its start.
    Go(usize),
    /// The slide's chapter stepped (from its own permalink).
    Sub(usize),
}

impl LectureState {
    pub fn current(&self) -> &'static Slide {
        &SLIDES[self.slide.clamp(1, SLIDES.len()) - 1]
    }

    /// The slide after this one, if any.
    pub fn next(&self) -> Option<&'static Slide> {
        SLIDES.get(self.slide.clamp(1, SLIDES.len()))
    }

    /// The slide's chapter address: its route and query, at the lecture's step.
    pub fn chapter_hash(&self) -> String {
        let s = self.current();
        let step = match (s.steps, self.sub) {
            (true, Sub::Step(k)) => format!("step={k}"),
            (true, Sub::End) => "step=end".into(),
            _ => String::new(),
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
        let go = |k: usize, sub| LectureState {
            slide: k.clamp(1, SLIDES.len()),
            sub,
        };
        match action {
            LectureAction::Next => go(self.slide + 1, Sub::Start),
            LectureAction::Prev if self.slide <= 1 => go(1, Sub::Start),
            LectureAction::Prev => go(self.slide - 1, Sub::End),
            LectureAction::Go(k) => go(k, Sub::Start),
            LectureAction::Sub(k) => LectureState {
                sub: if k == 0 || !self.current().steps {
                    Sub::Start
                } else {
                    Sub::Step(k)
                },
                ..self.clone()
            },
        }
    }

    /// Only a link someone typed or pasted can hold what the presenter never writes; such parts get a notice.
    fn from_location(loc: &Location, notices: &mut Vec<String>) -> LectureState {
        let mut s = LectureState {
            slide: 1,
            sub: Sub::Start,
        };
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
            let steps = s.current().steps;
            match (v, v.parse::<usize>()) {
                (_, Ok(0)) => {}
                ("end", _) if steps => s.sub = Sub::End,
                (_, Ok(k)) if steps => s.sub = Sub::Step(k),
                _ if steps => notices.push(format!(
                    "`sub={v}`: a step number or `end`; starting at the slide's first step"
                )),
                _ => notices.push(format!(
                    "`sub={v}`: slide {} has no steps; showing it whole",
                    s.slide
                )),
            }
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = vec![("slide".into(), self.slide.to_string())];
        match if self.current().steps {
            self.sub
        } else {
            Sub::Start
        } {
            Sub::Start => {}
            Sub::Step(k) => q.push(("sub".into(), k.to_string())),
            Sub::End => q.push(("sub".into(), "end".into())),
        }
        q
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
                sub: Sub::Start,
            };
            let loc = Location::parse(&st.chapter_hash());
            assert_eq!(loc.path, s.route);
            assert!(
                loc.problems.is_empty(),
                "slide {}: {:?}",
                i + 1,
                loc.problems
            );
            assert!(!s.title.is_empty() && !s.caption.is_empty() && !s.notes.is_empty());
            // The captions' math is well formed: every `$` opens or closes a span.
            assert_eq!(s.caption.matches('$').count() % 2, 0, "slide {}", i + 1);
        }
        let mut notices = Vec::new();
        let s =
            LectureState::from_location(&Location::parse("#/lecture?slide=9&sub=3"), &mut notices);
        assert_eq!((s.slide, s.sub), (9, Sub::Step(3)));
        assert!(s.chapter_hash().ends_with("&step=3"));
        let s =
            LectureState::from_location(&Location::parse("#/lecture?slide=0&sub=x"), &mut notices);
        assert_eq!((s.slide, s.sub, notices.len()), (1, Sub::Start, 2));
    }

    /// Moving through the lecture writes only addresses that read back without a notice.
    #[test]
    fn navigation_never_makes_a_notice() {
        let mut s = LectureState::default().apply(LectureAction::Go(1));
        for _ in 0..SLIDES.len() + 2 {
            for st in [
                s.clone(),
                s.apply(LectureAction::Sub(3)),
                s.apply(LectureAction::Prev),
            ] {
                let mut notices = Vec::new();
                let back = LectureState::from_location(
                    &Location::parse(&crate::base::url::build("/lecture", &st.query())),
                    &mut notices,
                );
                assert!(notices.is_empty(), "{st:?}: {notices:?}");
                if st.current().steps || st.sub == Sub::Start {
                    assert_eq!(back, st);
                }
            }
            s = s.apply(LectureAction::Next);
        }
        assert_eq!(s.slide, SLIDES.len());
        assert_eq!(
            LectureState::default()
                .apply(LectureAction::Go(5))
                .apply(LectureAction::Prev)
                .sub,
            Sub::End
        );
    }

    #[test]
    fn builds_take_at_most_ten_presses() {
        for total in 0..500 {
            let b = builds(total);
            assert_eq!((b[0], *b.last().unwrap()), (0, total));
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{total}: {b:?}");
            assert!(b.len() <= 10, "{total}");
        }
        assert_eq!(builds(4), vec![0, 1, 2, 3, 4]);
        assert_eq!(builds(200), vec![0, 25, 50, 75, 100, 125, 150, 175, 200]);
    }
}
