//! Every engine against an independent reference: `tests/reference.json`, values and gradients of ~100 programs
//! computed by sympy (symbolic differentiation) and mpmath at 50 significant digits (`scripts/reference.py`). Each
//! engine must agree to 1e-12 relative, or within 1 ulp — the programs are chosen well conditioned.
#![cfg(not(target_arch = "wasm32"))]

use ad_lab::ad::taylor::derivatives_along;
use ad_lab::ad::trace::{forward_trace, reverse_trace};
use ad_lab::ad::{eval, hessian};
use ad_lab::lang::compile::Compiled;
use ad_lab::lang::Limits;
use ad_lab::symbolic::dag::Dag;
use ad_lab::transform::{forward_program, reverse_program, run};

fn ulps(a: f64, b: f64) -> u64 {
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

fn good(got: f64, want: f64) -> bool {
    got == want || ulps(got, want) <= 1 || (got - want).abs() <= 1e-12 * want.abs()
}

#[test]
fn every_engine_matches_the_50_digit_reference() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference.json"))
            .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert!(cases.len() >= 100, "about a hundred programs");
    let mut checked = 0;
    let mut hessians = 0;
    let mut failures = Vec::new();
    for case in cases {
        let src = case["source"].as_str().unwrap();
        let names: Vec<&str> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let x: Vec<f64> = case["point"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let c =
            Compiled::new(src, &Limits::default()).unwrap_or_else(|e| panic!("{}", e.render(src)));
        let g = &c.graph;
        assert_eq!(
            c.input_names(),
            names,
            "{src}: inputs in the reference's order"
        );
        let p = eval::evaluate(g, &x);
        let fwd = eval::jacobian_forward(g, &p);
        let rev = eval::jacobian_reverse(g, &p);
        for (k, out) in case["outputs"].as_array().unwrap().iter().enumerate() {
            let value: f64 = out["value"].as_str().unwrap().parse().unwrap();
            let grad: Vec<f64> = out["gradient"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().parse().unwrap())
                .collect();
            let mut check = |engine: &str, got: f64, want: f64, what: &str| {
                checked += 1;
                if !good(got, want) {
                    failures.push(format!(
                        "{src:?} at {x:?}: {what} by {engine} is {got}, the reference {want}"
                    ));
                }
            };
            // Second derivatives: within 10⁻¹² relative or 2 ulps; an exact 0 that is a sum of terms of order 1
            // cancelling (cos² + sin²) within 10⁻¹⁴.
            let mut second = Vec::new();
            let mut check2 = |engine: &str, got: f64, want: f64, what: &str| {
                let ok = got == want
                    || ulps(got, want) <= 2
                    || (got - want).abs() <= 1e-12 * want.abs()
                    || (want == 0.0 && got.abs() <= 1e-14);
                if !ok {
                    second.push(format!(
                        "{src:?} at {x:?}: {what} by {engine} is {got}, the reference {want}"
                    ));
                }
            };
            check("evaluation", p[g.outputs[k].index()], value, "f");
            let (mut d, root) = Dag::from_graph(g, k);
            let rt = reverse_trace(g, &x, k);
            let rev_code = reverse_program(&c, k)
                .ok()
                .map(|code| run(&code, &x, &Limits::default()).unwrap());
            for (j, &want) in grad.iter().enumerate() {
                let what = format!("∂f{k}/∂{}", names[j]);
                check("forward mode", fwd[k][j], want, &what);
                check("reverse mode", rev[k][j], want, &what);
                check(
                    "forward trace",
                    forward_trace(g, &x, j).steps[g.outputs[k].index()].tangent,
                    want,
                    &what,
                );
                check(
                    "reverse trace",
                    rt.adjoints[g.inputs[j].node.index()],
                    want,
                    &what,
                );
                check(
                    "Taylor mode",
                    derivatives_along::<2>(g, &x, j, k)[1],
                    want,
                    &what,
                );
                let dr = d.diff(root, names[j]);
                check(
                    "symbolic",
                    d.eval(dr, &|n| x[names.iter().position(|m| *m == n).unwrap()]),
                    want,
                    &what,
                );
                let fwd_code = forward_program(&c, j).unwrap();
                check(
                    "generated forward program",
                    run(&fwd_code, &x, &Limits::default()).unwrap()[k],
                    want,
                    &what,
                );
                if let Some(r) = &rev_code {
                    check("generated reverse program", r[j], want, &what);
                }
                if k == 0 {
                    let h = hessian::hvp(g, &x, &vec![0.0; x.len()]);
                    check("forward over reverse", h.gradient[j], want, &what);
                }
            }
            // Second derivatives: the whole Hessian by nested AD (forward over reverse, first output), the diagonal
            // by Taylor mode (every output).
            let Some(rows) = out["hessian"].as_array() else {
                failures.append(&mut second);
                continue;
            };
            let want: Vec<Vec<f64>> = rows
                .iter()
                .map(|r| {
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().parse().unwrap())
                        .collect()
                })
                .collect();
            let nested = (k == 0).then(|| hessian::hessian(g, &x).matrix);
            for (a, row) in want.iter().enumerate() {
                for (b, &w) in row.iter().enumerate() {
                    let what = format!("∂²f{k}/∂{}∂{}", names[a], names[b]);
                    hessians += 1;
                    if let Some(h) = &nested {
                        check2("forward over reverse", h[a][b], w, &what);
                    }
                    if a == b {
                        check2(
                            "Taylor mode",
                            derivatives_along::<3>(g, &x, a, k)[2],
                            w,
                            &what,
                        );
                    }
                }
            }
            failures.append(&mut second);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks off:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1500, "{checked} checks");
    assert!(hessians > 300, "{hessians} second derivatives");
}
