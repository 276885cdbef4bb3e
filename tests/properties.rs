//! Property tests on random programs: forward mode = reverse mode (to 1e-12 relative), both ≈ central differences,
//! and the dual-number and tape engines agree with the graph.
#![cfg(not(target_arch = "wasm32"))]

use ad_lab::ad::{eval, fd};
use ad_lab::lang::lower_source;
use proptest::prelude::*;

/// Random expressions in x, y, z whose every operation stays in its domain for inputs in [-2, 2] (so the
/// derivative exists and finite differences are meaningful).
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("z".to_string()),
        (-20i32..20).prop_map(|k| format!("({})", k as f64 / 10.0)),
    ];
    leaf.prop_recursive(5, 48, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / (1.5 + sin({b})))")),
            inner.clone().prop_map(|a| format!("log(1 + ({a})**2)")),
            inner.clone().prop_map(|a| format!("np.sqrt(1 + ({a})**2)")),
            inner.clone().prop_map(|a| format!("exp(sin({a}))")),
            inner.clone().prop_map(|a| format!("cos({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            inner.clone().prop_map(|a| format!("tan(0.5 * sin({a}))")),
            inner.clone().prop_map(|a| format!("(-{a})")),
            inner.clone().prop_map(|a| format!("(({a})**3)")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("(2 + sin({a}))**cos({b})")),
        ]
    })
}

/// Programs: a plain expression, or a function with a loop that reuses intermediate values (fan-out), overwrites
/// variables, updates in place and assigns tuples.
fn program() -> impl Strategy<Value = String> {
    prop_oneof![
        expr(),
        (expr(), expr(), 1usize..4).prop_map(|(a, b, n)| format!(
            "def f(x, y, z, n={n}):\n  v = {a}\n  for i in range(n):\n    w = tanh(v) * 0.5\n    v = tanh(w + v) * cos(w) + {b}\n  return v * y + z\n"
        )),
        (expr(), expr(), 1usize..4).prop_map(|(a, b, n)| format!(
            "def f(x, y, z, n={n}):\n  s = x\n  t = {a}\n  for i in range(n):\n    s, t = tanh(t) * s + i, sin(s) * 0.5 + y\n    s += t * z\n  t = {b} * t\n  return s + t\n"
        )),
    ]
}

fn point() -> impl Strategy<Value = [f64; 3]> {
    [-2.0..2.0f64, -2.0..2.0f64, -2.0..2.0f64]
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn forward_equals_reverse_and_both_match_central_differences(src in program(), p in point()) {
        let g = lower_source(&src).map_err(|e| TestCaseError::fail(format!("{src}: {}", e.render(&src))))?;
        // Inputs in order of appearance; give each its coordinate by name.
        let values: Vec<f64> = g.inputs.iter().map(|i| match i.name.as_str() { "x" => p[0], "y" => p[1], _ => p[2] }).collect();
        let primals = eval::evaluate(&g, &values);
        let (f, grad) = eval::value_and_grad(&g, &values);
        prop_assert!(f.is_finite(), "{src} at {values:?} = {f}");
        for (j, &rev) in grad.iter().enumerate() {
            let mut seed = vec![0.0; values.len()];
            seed[j] = 1.0;
            let fwd = eval::jvp(&g, &primals, &seed)[g.outputs[0].index()];
            prop_assert!(close(fwd, rev, 1e-12), "{src}: ∂/∂{} forward {fwd} vs reverse {rev}", g.inputs[j].name);
            let along = |t: f64| {
                let mut v = values.clone();
                v[j] = t;
                eval::evaluate(&g, &v)[g.outputs[0].index()]
            };
            // Central differences only mean something where the function varies slowly at the scale of h: skip
            // programs whose intermediates grow large (sin of a large number oscillates faster than any h).
            if primals.iter().any(|v| v.abs() > 100.0) {
                continue;
            }
            // Central differences at h and h/2, Richardson-extrapolated; their disagreement bounds the truncation
            // error, which matters for steep functions such as (xy)⁹.
            let (c1, c2) = (fd::central(along, values[j], 1e-3), fd::central(along, values[j], 5e-4));
            let richardson = (4.0 * c2 - c1) / 3.0;
            let tolerance = 1e-6 * rev.abs().max(1.0) + (c2 - c1).abs();
            prop_assert!(
                (richardson - rev).abs() <= tolerance,
                "{src}: ∂/∂{} central differences {c1}, {c2} → {richardson} vs AD {rev}", g.inputs[j].name
            );
        }
    }

    /// The dot-product test: for random directions u (inputs) and w (outputs), wᵀ(J u) = (wᵀJ) u.
    #[test]
    fn dot_product_test_on_vector_functions(a in expr(), b in expr(), p in point(), u in point(), w in [-1.0..1.0f64, -1.0..1.0f64]) {
        let src = format!("def f(x, y, z):\n  return {a} + 0 * (x + y + z), {b} + 0 * (x + y + z)\n");
        let g = lower_source(&src).map_err(|e| TestCaseError::fail(e.render(&src)))?;
        let primals = eval::evaluate(&g, &p);
        let t = eval::jvp(&g, &primals, &u);
        let lhs: f64 = g.outputs.iter().zip(&w).map(|(o, wi)| wi * t[o.index()]).sum();
        let adj = eval::vjp(&g, &primals, &w);
        let rhs: f64 = g.inputs.iter().zip(&u).map(|(i, ui)| adj[i.node.index()] * ui).sum();
        prop_assert!(close(lhs, rhs, 1e-11), "{src}: {lhs} vs {rhs}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// The generated derivative programs, run by the core, give the same derivatives as the traces.
    #[test]
    fn generated_programs_compute_the_same_derivatives(src in program(), p in point()) {
        use ad_lab::lang::{compile::Compiled, Limits};
        use ad_lab::transform::{forward_program, reverse_program};
        let c = Compiled::new(&src, &Limits::default()).map_err(|e| TestCaseError::fail(e.render(&src)))?;
        let g = &c.graph;
        let values: Vec<f64> = g.inputs.iter().map(|i| match i.name.as_str() { "x" => p[0], "y" => p[1], _ => p[2] }).collect();
        let primals = eval::evaluate(g, &values);
        let run = |code: &str| -> Result<Vec<f64>, TestCaseError> {
            let h = lower_source(code).map_err(|e| TestCaseError::fail(format!("{}\n{code}", e.render(code))))?;
            Ok(eval::outputs(&h, &eval::evaluate(&h, &values)))
        };
        let (_, grad) = eval::value_and_grad(g, &values);
        if grad.is_empty() {
            return Ok(()); // a constant: nothing to differentiate
        }
        let rev = reverse_program(&c, 0).map_err(TestCaseError::fail)?.text;
        let got = run(&rev)?;
        prop_assert_eq!(got.len(), grad.len());
        for (a, b) in got.iter().zip(&grad) {
            prop_assert!(close(*a, *b, 1e-10), "reverse program:\n{rev}\n{got:?} vs {grad:?}");
        }
        for wrt in 0..values.len() {
            let fwd = forward_program(&c, wrt).map_err(TestCaseError::fail)?.text;
            let mut seed = vec![0.0; values.len()];
            seed[wrt] = 1.0;
            let want = eval::jvp(g, &primals, &seed)[g.outputs[0].index()];
            let got = run(&fwd)?[0];
            prop_assert!(close(got, want, 1e-10), "forward program:\n{fwd}\n{got} vs {want}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// The symbolic derivative (textbook rules on the expression DAG), evaluated, equals AD.
    #[test]
    fn symbolic_derivative_evaluated_equals_ad(src in program(), p in point()) {
        use ad_lab::symbolic::dag::Dag;
        let g = lower_source(&src).map_err(|e| TestCaseError::fail(e.render(&src)))?;
        let names: Vec<String> = g.inputs.iter().map(|i| i.name.clone()).collect();
        let value = |n: &str| match n { "x" => p[0], "y" => p[1], _ => p[2] };
        let values: Vec<f64> = names.iter().map(|n| value(n)).collect();
        let (_, grad) = eval::value_and_grad(&g, &values);
        let (mut d, root) = Dag::from_graph(&g, 0);
        for (name, ad) in names.iter().zip(&grad) {
            let droot = d.diff(root, name);
            let sym = d.eval(droot, &|n| value(n));
            prop_assert!(close(sym, *ad, 1e-10), "{src}: ∂/∂{name} symbolic {sym} vs AD {ad}");
        }
    }
}

/// The engines for Rust code agree with the graph on the lecture's logistic map for many n and x.
#[test]
fn dual_tape_and_graph_agree_on_the_logistic_map() {
    use ad_lab::ad::{dual, tape};
    use ad_lab::base::scalar::Scalar;
    fn logistic<S: Scalar>(x: S, n: usize) -> S {
        let mut v = x;
        for _ in 0..n {
            v = v * 4.0 * (S::from_f64(1.0) - v);
        }
        v
    }
    for n in [1, 2, 4, 7, 12] {
        let src = format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n");
        let g = lower_source(&src).unwrap();
        for k in 1..10 {
            let x = k as f64 / 10.0;
            let (fg, dg) = eval::value_and_grad(&g, &[x]);
            let (fd_, dd) = dual::derivative(|v| logistic(v, n), x);
            let (ft, dt) = tape::grad(|v| logistic(v[0], n), &[x]);
            assert_eq!(fg, fd_);
            assert_eq!(fg, ft);
            assert!(
                close(dg[0], dd, 1e-12) && close(dg[0], dt[0], 1e-12),
                "n={n} x={x}: {dg:?} {dd} {dt:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Second derivatives by nested AD: the Hessian (forward over the graph's reverse sweep) is symmetric; H·v equals
    /// the gradient of the directional derivative ∇f·v taken another way (dual numbers over the tape: reverse over
    /// forward); and each diagonal entry equals dual-of-dual numbers' and Taylor mode's second derivative.
    #[test]
    fn hessians_by_nested_ad(src in program(), p in point(), v in point()) {
        use ad_lab::ad::dual::Dual;
        use ad_lab::ad::hessian::{hessian, hvp};
        use ad_lab::ad::tape::{Tape, Var};
        use ad_lab::ad::taylor::derivatives_along;
        let g = lower_source(&src).map_err(|e| TestCaseError::fail(e.render(&src)))?;
        let x: Vec<f64> = g.inputs.iter().map(|i| match i.name.as_str() { "x" => p[0], "y" => p[1], _ => p[2] }).collect();
        let dir: Vec<f64> = g.inputs.iter().map(|i| match i.name.as_str() { "x" => v[0], "y" => v[1], _ => v[2] }).collect();
        let n = x.len();
        if eval::evaluate(&g, &x).iter().any(|t| t.abs() > 100.0) {
            return Ok(()); // steep programs: second derivatives of huge magnitude, compared below only where sane
        }
        let h = hessian(&g, &x).matrix;
        let scale = h.iter().flatten().fold(1.0f64, |m, e| m.max(e.abs()));
        for i in 0..n {
            for j in 0..n {
                prop_assert!((h[i][j] - h[j][i]).abs() <= 1e-10 * scale, "{src}: H[{i}][{j}] {} vs H[{j}][{i}] {}", h[i][j], h[j][i]);
            }
        }
        // Reverse over forward on the tape: the gradient of ε-part of f(x + ε v).
        let tape = Tape::new();
        let vars: Vec<Var<'_>> = x.iter().map(|&xi| tape.var(xi)).collect();
        let inputs: Vec<Dual<Var<'_>>> = vars.iter().zip(&dir).map(|(&xi, &vi)| Dual::new(xi, Var::constant(vi))).collect();
        let y = eval::evaluate_generic(&g, &inputs)[g.outputs[0].index()];
        let grads = tape.gradient(y.eps);
        let hv = hvp(&g, &x, &dir).hv;
        for (i, var) in vars.iter().enumerate() {
            let other = grads.wrt(*var);
            prop_assert!((hv[i] - other).abs() <= 1e-10 * hv[i].abs().max(other.abs()).max(scale), "{src}: (Hv)[{i}] {} vs {other}", hv[i]);
        }
        for i in 0..n {
            let inputs: Vec<Dual<Dual>> = x.iter().enumerate().map(|(j, &xj)| {
                let t = if i == j { 1.0 } else { 0.0 };
                Dual::new(Dual::new(xj, t), Dual::new(t, 0.0))
            }).collect();
            let d2 = eval::evaluate_generic(&g, &inputs)[g.outputs[0].index()].eps.eps;
            let taylor = derivatives_along::<3>(&g, &x, i, 0)[2];
            prop_assert!(close(d2, h[i][i], 1e-10) || (d2 - h[i][i]).abs() <= 1e-10 * scale, "{src}: dual² {d2} vs H {}", h[i][i]);
            prop_assert!(close(taylor, h[i][i], 1e-10) || (taylor - h[i][i]).abs() <= 1e-10 * scale, "{src}: Taylor {taylor} vs H {}", h[i][i]);
        }
    }
}
