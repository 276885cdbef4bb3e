//! The reference audit's reproductions, each checked in every engine: the graph's forward and reverse mode (the
//! Jacobians), both step-by-step traces, the symbolic derivative evaluated, Taylor mode, and the generated derivative
//! programs run by the core. Every engine must give the same bits (NaN and ±∞ included), and the right ones.
#![cfg(not(target_arch = "wasm32"))]

use ad_lab::ad::eval;
use ad_lab::ad::taylor::derivatives_along;
use ad_lab::ad::trace::{forward_trace, reverse_trace};
use ad_lab::lang::compile::Compiled;
use ad_lab::lang::Limits;
use ad_lab::symbolic::dag::Dag;
use ad_lab::transform::{forward_program, reverse_program, run, run_structural, Generated};

/// A generated program's results: plain arithmetic, unless they differ from the engines only by 0·∞ (then the
/// run with the engines' structural zero, which the page also shows and explains).
fn run_generated(code: &Generated, x: &[f64], engines: &[f64]) -> Vec<f64> {
    let plain = run(code, x, &Limits::default()).unwrap();
    if format!("{plain:?}") == format!("{engines:?}") {
        return plain;
    }
    run_structural(code, x, &Limits::default()).unwrap()
}

/// Every engine's Jacobian (outputs × inputs) of `src` at `x`.
fn jacobians(src: &str, x: &[f64]) -> Vec<(&'static str, Vec<Vec<f64>>)> {
    let c = Compiled::new(src, &Limits::default()).unwrap_or_else(|e| panic!("{}", e.render(src)));
    let g = &c.graph;
    let (m, n) = (g.outputs.len(), g.inputs.len());
    let p = eval::evaluate(g, x);
    let mut out = vec![
        ("forward", eval::jacobian_forward(g, &p)),
        ("reverse", eval::jacobian_reverse(g, &p)),
    ];
    let mut tf = vec![vec![0.0; n]; m];
    for j in 0..n {
        let t = forward_trace(g, x, j);
        for (k, o) in g.outputs.iter().enumerate() {
            tf[k][j] = t.steps[o.index()].tangent;
        }
    }
    out.push(("forward trace", tf));
    let tr = (0..m)
        .map(|k| {
            let t = reverse_trace(g, x, k);
            g.inputs
                .iter()
                .map(|i| t.adjoints[i.node.index()])
                .collect()
        })
        .collect();
    out.push(("reverse trace", tr));
    let sym = (0..m)
        .map(|k| {
            let (mut d, root) = Dag::from_graph(g, k);
            g.inputs
                .iter()
                .map(|i| {
                    let dr = d.diff(root, &i.name);
                    d.eval(dr, &|name| x[g.input_index(name).unwrap()])
                })
                .collect()
        })
        .collect();
    out.push(("symbolic", sym));
    let fwd = out[0].1.clone();
    let mut gf = vec![vec![0.0; n]; m];
    for j in 0..n {
        let code = forward_program(&c, j).unwrap();
        let column: Vec<f64> = (0..m).map(|k| fwd[k][j]).collect();
        let got = run_generated(&code, x, &column);
        for k in 0..m {
            gf[k][j] = got[k];
        }
    }
    out.push(("generated forward program", gf));
    let rev = out[1].1.clone();
    let gr = (0..m)
        .map(|k| run_generated(&reverse_program(&c, k).unwrap(), x, &rev[k]))
        .collect();
    out.push(("generated reverse program", gr));
    out
}

/// Agreement between engines: the same non-finite entries (NaN, +∞, −∞ exactly), finite entries to 1e-12 relative
/// (forward and reverse mode sum the chain rule's products in different orders, so the last bit may differ).
fn agree(a: f64, b: f64) -> bool {
    if !a.is_finite() || !b.is_finite() {
        return format!("{a}") == format!("{b}");
    }
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// Within `ulps` units in the last place.
fn ulps_apart(a: f64, b: f64) -> u64 {
    if !a.is_finite() || !b.is_finite() {
        return if format!("{a}") == format!("{b}") {
            0
        } else {
            u64::MAX
        };
    }
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 {
            i64::MIN - bits
        } else {
            bits
        }
    };
    key(a).abs_diff(key(b))
}

/// Every engine agrees with forward mode; `expect` gives some entries' right values (to 1 ulp).
fn check(src: &str, x: &[f64], expect: &[(usize, usize, f64)]) {
    let mut all = jacobians(src, x);
    let c = Compiled::new(src, &Limits::default()).unwrap();
    let taylor: Vec<Vec<f64>> = (0..c.graph.outputs.len())
        .map(|k| {
            (0..x.len())
                .map(|i| derivatives_along::<2>(&c.graph, x, i, k)[1])
                .collect()
        })
        .collect();
    all.push(("Taylor mode", taylor));
    let (_, first) = all[0].clone();
    for (name, j) in &all {
        for (k, row) in j.iter().enumerate() {
            for (i, &v) in row.iter().enumerate() {
                assert!(
                    agree(v, first[k][i]),
                    "{src} at {x:?}: ∂f{k}/∂x{i} by {name} is {v}, by forward mode {}",
                    first[k][i]
                );
            }
        }
    }
    for &(k, i, want) in expect {
        for (name, j) in &all {
            assert!(
                ulps_apart(j[k][i], want) <= 1,
                "{src} at {x:?}: ∂f{k}/∂x{i} by {name} is {}, should be {want}",
                j[k][i]
            );
        }
    }
}

#[test]
fn a_zero_tangent_or_adjoint_contributes_nothing() {
    // ∂/∂x of x + √y at (1, 0) is 1 in every mode (was NaN forward), ∂/∂y is ∞.
    check(
        "x + sqrt(y)",
        &[1.0, 0.0],
        &[(0, 0, 1.0), (0, 1, f64::INFINITY)],
    );
    // ∂/∂x of x/y at (1e-300, 1e-170) is 1e170 (was NaN forward).
    check("x / y", &[1e-300, 1e-170], &[(0, 0, 1e170)]);
    // The first output of (x, √x) at 0: [[1], [∞]] both ways (reverse said NaN).
    check(
        "def f(x):\n  return x, sqrt(x)\n",
        &[0.0],
        &[(0, 0, 1.0), (1, 0, f64::INFINITY)],
    );
}

#[test]
fn powers() {
    check("x ** 0", &[0.0], &[(0, 0, 0.0)]);
    check(
        "def f(x, p=2.0):\n  return x ** p\n",
        &[-1.0, 2.0],
        &[(0, 0, -2.0)],
    );
    check(
        "def f(x, p=2.0):\n  return x ** p\n",
        &[0.0, 2.0],
        &[(0, 0, 0.0), (0, 1, 0.0)],
    );
    check("x ** y", &[0.0, 2.0], &[(0, 1, 0.0)]);
}

#[test]
fn tanh_derivative_is_accurate_in_the_tails() {
    check("tanh(x)", &[10.0], &[(0, 0, 8.244614455767395e-9)]);
    check("tanh(x)", &[20.0], &[(0, 0, 1.6993417021166355e-17)]);
}

#[test]
fn division_partials_neither_overflow_nor_underflow() {
    check("x / y", &[1e300, 1e160], &[(0, 1, -1e-20)]);
    check("x / y", &[1e-300, 1e-170], &[(0, 1, -1e40)]);
}

#[test]
fn derivatives_beyond_the_largest_f64_are_infinite_not_nan() {
    let logistic = |n: u32| {
        format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n")
    };
    check(&logistic(1023), &[0.25], &[(0, 0, 8.98846567431158e307)]); // 2·(−2)¹⁰²²
    check(&logistic(1024), &[0.25], &[(0, 0, f64::NEG_INFINITY)]); // 2·(−2)¹⁰²³ = −2¹⁰²⁴
    check(&logistic(1100), &[0.25], &[(0, 0, f64::NEG_INFINITY)]);
}

#[test]
fn python_semantics_for_constants() {
    let value = |src: &str| {
        let g = ad_lab::lang::lower_source(src).unwrap();
        eval::outputs(&g, &eval::evaluate(&g, &[0.0]))[0]
    };
    assert_eq!(value("x + 5.0 // 0.1"), 49.0);
    assert_eq!(value("x + 5.0 % 0.1"), 0.09999999999999973);
    assert_eq!(value("x + 1e308 % 3.0"), 2.0);
    assert_eq!(value("x + -7 // 2 + -7 % 3"), -4.0 + 2.0);
}

#[test]
fn taylor_mode_computes_powers_as_evaluation_does() {
    let g = ad_lab::lang::lower_source("2.718281828459045**x").unwrap();
    let x = 22.937757492097028;
    let value = eval::evaluate(&g, &[x])[g.outputs[0].index()];
    assert_eq!(value, 9156753139.99367);
    assert_eq!(derivatives_along::<3>(&g, &[x], 0, 0)[0], value);
}

#[test]
fn negative_zero_keeps_its_sign() {
    check("x / -0.0", &[1.0], &[(0, 0, f64::NEG_INFINITY)]);
}

/// What used to crash or freeze the page now answers, and fast enough to be a test.
#[test]
fn programs_that_crashed_or_froze() {
    let lower = |src: &str| ad_lab::lang::lower_source(src);
    // A 100 000-term chain: a clear message, not a stack overflow.
    let long = format!("x{}", " + x".repeat(100_000));
    let e = lower(&long).unwrap_err();
    assert!(
        e.message.contains("more than 1,000 operations in a row"),
        "{}",
        e.message
    );
    // A chain just under the bound goes through every stage.
    let chain = format!("x{}", " * x + 1".repeat(450));
    check(&chain, &[0.999], &[]);
    // Subscripts, slices, calls and attributes in a row count as operations in a row too (15 000 of them used to
    // overflow the stack in the parser's caller).
    for long in [
        format!("x{}", "[0]".repeat(15_000)),
        format!("[x]{}[0]", "[0:1]".repeat(20_000)),
        format!("x{}", ".real".repeat(15_000)),
        format!("f{}", "(x)".repeat(15_000)),
    ] {
        let e = lower(&long).unwrap_err();
        assert!(e.message.contains("operations in a row"), "{}", e.message);
    }
    // A 6 000-target tuple assignment (100 KB): names are indexed, so every stage is linear in the program.
    let n = 6000;
    let tuple = format!(
        "def f(x):\n  {} = {}\n  return a1 + a{}\n",
        (0..n)
            .map(|i| format!("a{i}"))
            .collect::<Vec<_>>()
            .join(", "),
        (0..n)
            .map(|i| format!("x*{i}"))
            .collect::<Vec<_>>()
            .join(", "),
        n - 1
    );
    check(&tuple, &[0.5], &[(0, 0, 6000.0)]);
    // Just under the bound, through every stage, on the page's 8 MiB stack (a test thread has 2 MiB).
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let under = format!("def f(x):\n  return [x]{}[0]\n", "[0:1]".repeat(990));
            check(&under, &[0.5], &[(0, 0, 1.0)]);
        })
        .unwrap()
        .join()
        .unwrap();
    // Slicing and ranges at the edges of 64-bit integers.
    let g = lower("[x,x][1::9223372036854775807][0]").unwrap();
    assert_eq!(eval::evaluate(&g, &[3.0])[g.outputs[0].index()], 3.0);
    let g = lower("def f(x):\n  s = x\n  for i in range(-9223372036854775807 - 1, 7, 4611686018427387904):\n    s = s * 2\n  return s\n")
        .unwrap();
    assert_eq!(eval::evaluate(&g, &[1.0])[g.outputs[0].index()], 8.0);
    // Lists that double: shared, not copied.
    let g =
        lower("def f(x):\n  a = [x]\n  for i in range(60):\n    a = [a, a]\n  return x * len(a)\n")
            .unwrap();
    assert_eq!(eval::evaluate(&g, &[1.5])[g.outputs[0].index()], 3.0);
    // A loop whose body is only an import still counts its repetitions.
    let e =
        lower("def f(x):\n  for k in range(2**62):\n    import math\n  return x\n").unwrap_err();
    assert!(e.message.contains("repeat"), "{}", e.message);
    // 64 000 appends, then a reversed walk: linear.
    let g = lower("def f(x):\n  m = []\n  for i in range(64000):\n    m.append(i)\n  s = x\n  for v in m[::-1]:\n    s = s + 0 * v\n  return s * len(m)\n").unwrap();
    assert_eq!(eval::evaluate(&g, &[1.0])[g.outputs[0].index()], 64000.0);
}

/// Found by the fuzzer: nested AD (the Hessian) and Taylor mode agree on second derivatives at edge points — powers
/// with an infinite exponent or a zero base, a constant base of −∞, a tiny base (where e^(b·ln a) cancels).
#[test]
fn second_derivatives_agree_at_edge_points() {
    use ad_lab::ad::hessian::hessian;
    use ad_lab::ad::taylor::derivatives_along;
    let cases: [(&str, &[f64], f64); 8] = [
        // e³ to the power −∞ is 0 near y = 0: flat.
        ("exp(y + 3) ** -(z / x)", &[0.0, -0.7, -0.0], 0.0),
        // x¹⁰⁰ is flat at 0.
        ("x ** 100.0 + y", &[0.0, 1.0], 0.0),
        // x^(2^(2^x)) − 3x ≈ x²·x^(c·x) at 0: f″ = 2.
        ("x ** 2.0 ** (2 ** x) - 3 * x", &[0.0], 2.0),
        // (−∞)^(−y) is 0 for y near 2.
        ("log(sqrt(-0.0)) ** -y", &[1.99], 0.0),
        // y^cosh(y) at 10⁻¹⁷⁰: f″ = 3y·ln y + 2y (to the last bits).
        ("y ** cosh(y)", &[1e-170], -1.1723183974269634e-167),
        ("x ** (1 - x)", &[1e-300], 1379.5510557964274),
        ("x * x * x", &[2.0], 12.0),
        // The overflow rule's second pass keeps the program's own values: cos of √(2·10³⁰¹) is cos of the f64 that
        // sqrt and **0.5 both give, not of a value recomputed with a wide exponent (a different last bit there is
        // a different cosine).
        ("cos((y * 1e300) ** 0.5)", &[20.0], 4.7172185030905186e297),
    ];
    for (src, x, want) in cases {
        let g = ad_lab::lang::lower_source(src).unwrap();
        let h = hessian(&g, x).matrix[0][0];
        let t = derivatives_along::<4>(&g, x, 0, 0)[2];
        assert!(
            ulps_apart(h, want) <= 2 && (t - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{src} at {x:?}: Hessian {h}, Taylor {t}, want {want}"
        );
    }
}

/// Found by the fuzzer: a loop variable near −2⁶³ in `x**2.0`. The derivative programs write the exponent as `2`;
/// their integer arithmetic goes on in floats past 64 bits (as the source's float arithmetic did), so they run.
#[test]
fn generated_programs_with_huge_loop_variables_run() {
    let src = "def f(a):\n  for x in range(-9223372036854775807 - 1, 7, 4611686018427387904):\n    a = (x**2.0 - a) / 1e38\n  return a\n";
    check(src, &[0.5], &[]);
}

/// Found by the fuzzer: the symbolic derivative of one output does not share another output's underflowed values.
#[test]
fn symbolic_outputs_are_separate() {
    // ∂(x/y)/∂y at (10⁻¹⁷⁰, 10⁻¹⁷⁰) is −10¹⁷⁰: the quotient rule's y² must not be the first output's y**2, which
    // underflowed to 0 (the symbolic derivative said −∞).
    check(
        "def f(x, y):\n  return 1 / y**2, x / y\n",
        &[1e-170, 1e-170],
        &[(1, 1, -1e170)],
    );
}

/// Found by the fuzzer: nested AD's gradient is reverse mode's bit for bit, also where the overflow rule recomputes
/// its second-order part (a value that underflows to −0 in f64 must not become a negative number there).
#[test]
fn nested_gradient_is_reverse_mode() {
    let src = "a = ((np.sqrt(x) / -1e300)**x)\na = (((a / y) + (0.5)**2)**(exp(y) - -x))\n((a**y)**sin(z))\n";
    let g = ad_lab::lang::lower_source(src).unwrap();
    let x = [1e-170, 0.5, 0.0];
    let h = ad_lab::ad::hessian::hessian(&g, &x);
    assert_eq!(h.gradient, eval::value_and_grad(&g, &x).1);
    assert_eq!(h.gradient[2], -1.142806500315004);
    assert_eq!(h.matrix[2][2], 1.3060066971622275);
}

/// Found by the fuzzer: a local second derivative that underflows (∂²(1/u)/∂u² at u = 10³⁰⁰ is 10⁻⁹⁰⁰) makes the
/// Hessian's diagonal undetermined there, as an infinite one does; the page leaves it out of the Taylor check.
#[test]
fn underflowing_second_derivatives_are_singular() {
    let src = "v = np.log(((y)**0 + (y / 1e-300)))\nb = -(exp(v) / 0.5)\nb\n";
    let g = ad_lab::lang::lower_source(src).unwrap();
    let p = eval::evaluate(&g, &[1.0]);
    assert_eq!(ad_lab::ad::hessian::singular_diagonal(&g, &p), vec![true]);
    assert_eq!(
        ad_lab::ad::hessian::singular_diagonal(&g, &eval::evaluate(&g, &[1e-310])),
        vec![false]
    );
}

/// Found by the fuzzer: a derivative program whose terms overflow f64 (adjoints growing as 8.3ⁿ through 375
/// divisions) says NaN with plain arithmetic where the engines, with their wider exponent, say 0; the graph lab's
/// code check says why.
#[test]
fn generated_programs_explain_overflow() {
    use ad_lab::lab::graph::{GraphAction, GraphState, Mode};
    use ad_lab::lab::program::ProgramAction;
    use ad_lab::lab::ChapterModel;
    let src = format!("(x - x){}", " / 0.12".repeat(375));
    let s = GraphState::default()
        .apply(GraphAction::Program(ProgramAction::Source(src)))
        .apply(GraphAction::Program(ProgramAction::Input(
            "x".into(),
            "1".into(),
        )));
    let session = s.session().unwrap();
    let check = session.code_check(Mode::Reverse).unwrap();
    assert_eq!(check.expected, vec![0.0]);
    assert!(check.returned.as_ref().unwrap()[0].is_nan());
    assert!(!check.matches && !check.zero_times_infinity && check.overflow);
}

/// Found by an independent audit: the simplifier's size accounting saturates everywhere (it overflowed under overflow
/// checks on a formula whose size passes 2⁶⁴, and wrapped silently in the release build).
#[test]
fn simplifier_sizes_saturate() {
    use ad_lab::lab::program::ProgramAction;
    use ad_lab::lab::symbolic::{SymbolicAction, SymbolicState};
    use ad_lab::lab::ChapterModel;
    let src = "def f(t):\n  for j in range(4):\n    t = -3 ** t\n    for k in range(7):\n      t *= 1 + tanh(t)\n  return t\n";
    let s =
        SymbolicState::default().apply(SymbolicAction::Program(ProgramAction::Source(src.into())));
    let swell = s.swell();
    if let Ok(sw) = &swell {
        for row in sw.rows.iter() {
            assert!(row.df_simplified.is_none_or(|n| n >= 1));
        }
    }
}

/// Found by an independent audit: a link with a deep, thin network at batch 1 priced only examples × parameters and
/// froze the page for 12–15 s. Each step's fixed cost is priced too, so the last epoch such a link reaches is cheap.
#[test]
fn network_links_are_priced_by_their_steps() {
    use ad_lab::lab::network::{Preset, Settings, MAX_WORK};
    for hidden in [vec![1; 8], vec![3; 8], vec![16, 16], vec![256, 64]] {
        for batch in [1, 7, 100] {
            let mut s = Settings::micrograd();
            s.preset = Preset::Custom;
            s.hidden = hidden.clone();
            s.batch = batch;
            let work = s.epoch_work() * s.max_epoch() as f64;
            // At most the budget, or the 100 epochs every network may train.
            assert!(
                work <= MAX_WORK || s.max_epoch() == 100,
                "{hidden:?} at batch {batch}: {work}"
            );
        }
    }
    let mut s = Settings::micrograd();
    s.preset = Preset::Custom;
    s.hidden = vec![1; 8];
    s.batch = 1;
    assert!(s.max_epoch() < 1000, "{}", s.max_epoch());
}

/// Found by an independent audit: Python's lists are objects, changed for every name that holds them. A list held
/// elsewhere is not changed here with a different answer than Python's: it is refused, with the reason.
#[test]
fn lists_changed_through_two_names_are_refused() {
    let lower = |src: &str| ad_lab::lang::lower_source(src);
    for (src, what) in [
        (
            "def f(x):\n  m = [x]\n  a = m\n  a.append(2 * x)\n  return m[-1]\n",
            "also held elsewhere",
        ),
        (
            "def f(x):\n  m = [x]\n  for v in m:\n    m.append(v)\n  return m[0]\n",
            "never ends",
        ),
        (
            "def f(x):\n  m = [x]\n  t = [m, m]\n  m.pop()\n  return x\n",
            "another list",
        ),
    ] {
        let e = lower(src).unwrap_err();
        assert!(e.message.contains(what), "{src}: {}", e.message);
    }
    // A copy is a list of its own, as in Python.
    check(
        "def f(x):\n  m = [x]\n  a = list(m)\n  a.append(2 * x)\n  return m[-1] + a[-1]\n",
        &[1.5],
        &[(0, 0, 3.0)],
    );
    check(
        "def f(x):\n  m = [x]\n  a = m[:]\n  a.append(2 * x)\n  b = a\n  return b[-1]\n",
        &[1.5],
        &[(0, 0, 2.0)],
    );
}

/// Found by an independent audit: uses of a node that cancel exactly (`x - x`) add exactly nothing to its adjoint in
/// every reverse engine (the two partials are summed before they meet the adjoint, as in forward mode); the order of
/// the terms does not matter.
#[test]
fn cancelling_uses_add_nothing() {
    use ad_lab::ad::hessian::hessian;
    use ad_lab::ad::tape;
    let want = 4.000000000000001e-15;
    for src in ["(x - x) + x**4", "x**4 + (x - x)"] {
        check(src, &[1e-5], &[(0, 0, want)]);
        let g = ad_lab::lang::lower_source(src).unwrap();
        assert_eq!(eval::value_and_grad(&g, &[1e-5]).1[0], want, "{src}");
        let c = Compiled::new(src, &Limits::default()).unwrap();
        let h = hessian(&c.graph, &[1e-5]);
        assert_eq!(h.gradient[0], want, "{src}: the Hessian's gradient");
    }
    let (_, g) = tape::grad(|x| (x[0] - x[0]) + x[0] * x[0] * x[0] * x[0], &[1e-5]);
    assert_eq!(g[0], 4.0 * 1e-5f64 * 1e-5 * 1e-5, "the tape");
}

/// Found by an independent audit: Python divides two integers by rounding the exact quotient once.
#[test]
fn integer_true_division_rounds_once() {
    for (src, want) in [
        ("x + (2**62 + 513) / 3", 1.5372286728091295e18),
        (
            "x + 9007199254740993 / 9223372036854775807",
            0.0009765625000000002,
        ),
    ] {
        let g = ad_lab::lang::lower_source(src).unwrap();
        assert_eq!(
            eval::evaluate(&g, &[0.0])[g.outputs[0].index()],
            want,
            "{src}"
        );
    }
}

/// Found by an independent audit: `#/hyper`'s difference check at a tiny λ used a step of 10⁻⁴·λ, over which V does
/// not change in f64 (it said 0 against −1269.8 at λ = 10⁻³⁰⁰, NaN at 5·10⁻³²⁴).
#[test]
fn hyper_difference_check_at_tiny_lambda() {
    use ad_lab::lab::hyper::{HyperAction, HyperState};
    use ad_lab::lab::ChapterModel;
    for lambda in ["1e-300", "5e-324", "1"] {
        let s = HyperState::default().apply(HyperAction::Lambda(lambda.into()));
        let r = s.results().unwrap();
        assert!(
            (r.fd - r.implicit).abs() <= 1e-6 * r.implicit.abs(),
            "λ = {lambda}: differences {} against {}",
            r.fd,
            r.implicit
        );
    }
}

/// Found by an independent audit: integers past 64 bits (Python's grow) go on in floats with a note, never an
/// "overflow" error; a printed derivative program pasted back runs and gives the same numbers.
#[test]
fn integers_past_64_bits_go_on_in_floats() {
    for (src, want) in [
        ("x + 10**19", 1e19 + 2.0),
        (
            "def f(x):\n  u = 64\n  dv = 2.0 * 2**(1 * u)\n  return x * dv\n",
            2.0 * 2.0 * 2f64.powi(64),
        ),
    ] {
        let g = ad_lab::lang::lower_source(src).unwrap_or_else(|e| panic!("{src}: {}", e.message));
        assert_eq!(
            eval::evaluate(&g, &[2.0])[g.outputs[0].index()],
            want,
            "{src}"
        );
        assert!(
            g.notes.iter().any(|n| n.message.contains("64-bit")),
            "{src}: {:?}",
            g.notes
        );
    }
    check(
        "def f(x):\n  u = 64\n  v = x * 2.0 ** (1.0 * u)\n  return v\n",
        &[1.5],
        &[(0, 0, 2f64.powi(64))],
    );
}

/// Found by an independent audit: the sign of a zero derivative differs between engines (the structural zero and
/// reverse mode's sums are +0). What is compared is the number — zeros of either sign equal — as
/// docs/robustness.md states; the values keep their sign.
#[test]
fn zero_derivatives_agree_as_numbers() {
    check("x * -0.0", &[1.0], &[]);
    check("exp(-x*x)", &[30.0], &[]);
    let g = ad_lab::lang::lower_source("x * -0.0").unwrap();
    assert!(eval::evaluate(&g, &[1.0])[g.outputs[0].index()].is_sign_negative());
}

/// Audit item 13: `abs`, `max`, `min` as Python computes them — `max(a, b)` is `b if b > a else a`, so a tie or a
/// NaN second argument returns the first — and their derivatives in every engine: the derivative of the argument
/// returned, 0 for `abs` at 0 (the convention stated on the page).
#[test]
fn abs_max_min_follow_python_in_every_engine() {
    use ad_lab::ad::hessian::hessian;
    let value = |src: &str, x: &[f64]| {
        let g = ad_lab::lang::lower_source(src).unwrap();
        eval::evaluate(&g, x)[g.outputs[0].index()]
    };
    // Values: Python's, signed zeros included.
    assert_eq!(value("abs(x)", &[-2.5]), 2.5);
    assert_eq!(format!("{}", value("abs(x)", &[-0.0])), "0");
    assert_eq!(value("max(x, y)", &[1.0, 3.0]), 3.0);
    assert_eq!(value("min(x, y)", &[1.0, 3.0]), 1.0);
    assert_eq!(format!("{}", value("max(x, y)", &[0.0, -0.0])), "0");
    assert_eq!(format!("{}", value("max(x, y)", &[-0.0, 0.0])), "-0");
    assert!(value("max(x, y)", &[f64::NAN, 1.0]).is_nan());
    assert_eq!(value("max(x, y)", &[1.0, f64::NAN]), 1.0);
    assert_eq!(value("max(x, y, 2 * x, [y][0])", &[1.5, 2.5]), 3.0);
    assert_eq!(value("max([x, y, -x])", &[-4.0, 2.0]), 4.0);
    assert_eq!(value("min(range(3, 7)) * x", &[2.0]), 6.0);
    assert_eq!(value("max(3, 7.5) + abs(-4) + x", &[0.0]), 11.5);
    // Derivatives: the argument returned carries them; ties go to the first argument.
    check(
        "max(x, y) + min(x, y) * 2",
        &[1.0, 3.0],
        &[(0, 0, 2.0), (0, 1, 1.0)],
    );
    check("max(x, y)", &[2.0, 2.0], &[(0, 0, 1.0), (0, 1, 0.0)]);
    check("min(x, y)", &[2.0, 2.0], &[(0, 0, 1.0), (0, 1, 0.0)]);
    check("abs(x) * y", &[-3.0, 2.0], &[(0, 0, -2.0), (0, 1, 3.0)]);
    check("abs(x) + x", &[0.0], &[(0, 0, 1.0)]);
    check("max(x**2, 1 - x) * abs(sin(x))", &[0.3], &[]);
    check("def f(x, y):\n  m = x\n  for k in range(4):\n    m = max(m, y * k) - min(x, k)\n  return abs(m)\n", &[0.7, 0.4], &[]);
    check("max(x, 1e308) * 10", &[2.0], &[(0, 0, 0.0)]);
    // Second derivatives: the selected argument's.
    let g = ad_lab::lang::lower_source("max(x**3, y) + abs(x * y)").unwrap();
    let h = hessian(&g, &[2.0, 1.0]).matrix;
    assert_eq!(h, vec![vec![12.0, 1.0], vec![1.0, 0.0]]);
    // The derivative programs print the rule with `step` (a function the language reads back).
    let c = Compiled::new(
        "def f(x, y):\n  return max(x * y, abs(y))\n",
        &Limits::default(),
    )
    .unwrap();
    let code = forward_program(&c, 1).unwrap();
    assert!(code.text.contains("step(abs(y) - x * y)"), "{}", code.text);
    // Bad calls say why.
    for (src, says) in [
        ("max(x)", "expected a list"),
        ("max([])", "empty list"),
        ("max()", "two or more numbers"),
    ] {
        let e = Compiled::new(src, &Limits::default()).err().unwrap();
        assert!(e.message.contains(says), "{src}: {}", e.message);
    }
}

/// What students type, accepted with Python's meaning (an independent audit's list): booleans, `math.inf`, `%=`,
/// joined and repeated lists, `+=` on a list held by one name.
#[test]
fn python_a_student_types() {
    check(
        "def f(x):\n  m = [x]\n  m += [2*x]\n  return m[-1]\n",
        &[1.5],
        &[(0, 0, 2.0)],
    );
    check(
        "def f(x):\n  return ([x] + [x*x])[1]\n",
        &[1.5],
        &[(0, 0, 3.0)],
    );
    check(
        "def f(x):\n  return ([x] * 3)[2] * len(3 * [x, x])\n",
        &[1.5],
        &[(0, 0, 6.0)],
    );
    check(
        "def f(x):\n  y = 5\n  y %= 3\n  return x * y\n",
        &[1.5],
        &[(0, 0, 2.0)],
    );
    check(
        "def f(x):\n  return x * True + False\n",
        &[1.5],
        &[(0, 0, 1.0)],
    );
    check(
        "import math\ndef f(x):\n  return x + math.inf\n",
        &[1.5],
        &[(0, 0, 1.0)],
    );
    let e =
        ad_lab::lang::lower_source("def f(x):\n  m = [x]\n  a = m\n  m += [x]\n  return a[-1]\n")
            .unwrap_err();
    assert!(e.message.contains("also held elsewhere"), "{}", e.message);
    // Nested unpacking is explained, with the two steps that do it, at its place.
    let src = "def f(x):\n  a, (b, c) = x, (2 * x, 3)\n  return a * b * c\n";
    let e = ad_lab::lang::lower_source(src).unwrap_err();
    assert!(e.message.contains("two steps"), "{}", e.message);
    assert_eq!(
        e.render(src).lines().next().map(|l| l.contains("line 2")),
        Some(true),
        "{}",
        e.render(src)
    );
}

/// Audit item 8: a variable assigned a constant carries no tangent from there on, so the forward program writes no
/// term through it (`0·log(−2)` would be NaN where every engine says 0) — in straight code and around loops.
#[test]
fn dead_terms_are_not_written() {
    check(
        "def f(x):\n  x = -2.0\n  return x ** x\n",
        &[1.5],
        &[(0, 0, 0.0)],
    );
    let c = Compiled::new(
        "def f(x):\n  x = -2.0\n  return x ** x\n",
        &Limits::default(),
    )
    .unwrap();
    let code = forward_program(&c, 0).unwrap();
    assert!(!code.text.contains("log"), "{}", code.text);
    // Zero before a loop, active again inside it: the terms inside stay.
    check(
        "def f(x):\n  y = x\n  x = -2.0\n  for k in range(3):\n    z = x ** x\n    x = y * k\n  return x + z\n",
        &[1.5],
        &[],
    );
    // Another input, carried only from the seeded one on: zero until then.
    check(
        "def f(x, y):\n  z = y ** y\n  y = x\n  return z + y\n",
        &[1.5, -2.0],
        &[(0, 0, 1.0)],
    );
    check(
        "def f(x):\n  for k in range(3):\n    x = -2.0\n  return x ** x + x\n",
        &[1.5],
        &[(0, 0, 0.0)],
    );
    // Reverse mode too: no adjoint is pushed into a variable that holds a constant (found by the fuzzer: the dead
    // term `(-0.0)**(-1)` made the printed program stop where Python's would).
    let src = "def f(b, a):\n  b = -0.0\n  b **= -b\n  return 1e300 + b + a\n";
    check(src, &[1.5, 2.0], &[(0, 0, 0.0), (0, 1, 1.0)]);
    let c = Compiled::new(src, &Limits::default()).unwrap();
    let code = reverse_program(&c, 0).unwrap();
    assert!(!code.text.contains("**(-b - 1)"), "{}", code.text);
    Compiled::new(&code.text, &Limits::default())
        .unwrap_or_else(|e| panic!("{}", e.render(&code.text)));
}

/// Audit item 7: a value that overflows keeps, for its derivatives, its value with a wide exponent: ∂(2**x)/∂x at
/// 1024 is ln 2·2¹⁰²⁴ = 1.2460659279417838e308 in every engine (the value itself is ∞, as f64 says).
#[test]
fn overflowed_values_have_finite_derivatives() {
    use ad_lab::ad::hessian::hessian;
    check("2**x", &[1024.0], &[(0, 0, 1.2460659279417838e308)]);
    check("exp(x) * 0.5", &[710.0], &[(0, 0, 1.1169973830808555e308)]);
    check(
        "def f(x):\n  y = 2.0 ** x\n  return y / 4\n",
        &[1025.0],
        &[(0, 0, 6.230329639708919e307)],
    );
    let g = ad_lab::lang::lower_source("2**x").unwrap();
    assert_eq!(
        eval::evaluate(&g, &[1024.0])[g.outputs[0].index()],
        f64::INFINITY
    );
    // The second derivative (ln 2)²·2¹⁰²⁴ is finite too.
    let h = hessian(&g, &[1024.0]).matrix[0][0];
    assert!(ulps_apart(h, 8.637070847446594e307) <= 2, "{h}");
}
