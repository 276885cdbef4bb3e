//! The array engine on the scalar programs of `tests/reference.json` (values and gradients by sympy and mpmath at 50
//! digits): every program (112 of them, 9 with two or more outputs), traced as rank-0 arrays, must give the reference's values
//! and gradient (by reverse and by forward mode) and Hessian to 1e-12 relative — one engine for scalars and arrays
//! keeps every scalar number. Each traced graph, turned into the scalar Wengert list (`AGraph::to_scalar_graph`), gives
//! the scalar engine the same bits as today's lowering of the program.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use ad_lab::ad::{eval, nd};
use ad_lab::base::array::Array;
use ad_lab::lang::lower::arrays::lower_arrays_at;

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| v.as_str().and_then(|t| t.parse().ok()).unwrap_or(f64::NAN))
}

fn good(got: f64, want: f64) -> bool {
    got == want
        || (got.is_nan() && want.is_nan())
        || (got - want).abs() <= 1e-12 * want.abs().max(1e-300)
}

#[test]
fn the_array_engine_keeps_the_scalar_reference_numbers() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference.json"))
            .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut traced = 0;
    let mut hessians = 0;
    let mut converted = 0;
    let mut bitwise = 0;
    let mut refused = Vec::new();
    let mut failures = Vec::new();
    for c in json["cases"].as_array().unwrap() {
        let src = c["source"].as_str().unwrap();
        let names: Vec<&str> = c["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        let point: Vec<f64> = c["point"].as_array().unwrap().iter().map(num).collect();
        let outputs = c["outputs"].as_array().unwrap();
        let given: Vec<(String, Array)> = names
            .iter()
            .zip(&point)
            .map(|(n, x)| (n.to_string(), Array::scalar(*x)))
            .collect();
        let g = match lower_arrays_at(src, &[], &given) {
            Ok(g) => g,
            Err(e) => {
                refused.push(format!(
                    "{}: {}",
                    src.lines().last().unwrap_or(""),
                    e.message
                ));
                continue;
            }
        };
        traced += 1;
        if g.outputs.len() != outputs.len() {
            failures.push(format!("{src}: {} outputs traced", g.outputs.len()));
            continue;
        }
        let want_f = num(&outputs[0]["value"]);
        let want_g: Vec<f64> = outputs[0]["gradient"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        let (f, grad) = nd::gradient(&g).unwrap();
        if !good(f, want_f) {
            failures.push(format!("{src}: value {f} against {want_f}"));
        }
        // The same graph handed to the scalar engines: their numbers too.
        if let Some(sg) = g.to_scalar_graph() {
            converted += 1;
            let (f2, g2) = eval::value_and_grad(&sg, &point);
            if let Ok(today) = ad_lab::lang::lower_source(src) {
                // Every output's value and every output's gradient (one reverse sweep each), bit for bit.
                let (a, b) = (
                    common::every_output_and_gradient(&today, &point),
                    common::every_output_and_gradient(&sg, &point),
                );
                if common::same_bits(&a, &b) {
                    bitwise += 1;
                } else {
                    eprintln!("not bit for bit: {src} {a:?} vs {b:?}");
                }
                for (k, o) in outputs.iter().enumerate() {
                    if !good(b[k], num(&o["value"])) {
                        failures.push(format!(
                            "{src}: output {k} is {} against {}",
                            b[k],
                            num(&o["value"])
                        ));
                    }
                }
            }
            if !good(f2, want_f) || g2.iter().zip(&want_g).any(|(a, w)| !good(*a, *w)) {
                failures.push(format!(
                    "{src}: the scalar engine on the traced graph: {f2}, {g2:?}"
                ));
            }
        }
        let forward = nd::gradient_forward(&g).unwrap();
        for (k, ((a, b), w)) in grad.iter().zip(&forward).zip(&want_g).enumerate() {
            if !good(a.data[0], *w) || !good(b.data[0], *w) {
                failures.push(format!(
                    "{src}: ∂/∂{} = {} (reverse), {} (forward) against {w}",
                    names[k], a.data[0], b.data[0]
                ));
            }
        }
        if let Some(rows) = outputs[0]["hessian"].as_array() {
            hessians += 1;
            let h = nd::hessian(&g).unwrap();
            for (i, row) in rows.iter().enumerate() {
                for (j, w) in row.as_array().unwrap().iter().map(num).enumerate() {
                    if !good(h[i][j], w) {
                        failures.push(format!("{src}: H[{i}][{j}] = {} against {w}", h[i][j]));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "{traced} traced, {converted} handed to the scalar engine ({bitwise} bit for bit as today's lowering), {hessians} Hessians; refused:\n{}",
        refused.join("\n")
    );
    assert_eq!(
        (converted, bitwise),
        (112, 112),
        "the traced graphs, read by the scalar engine, give today's bits"
    );
    assert_eq!((traced, refused.len()), (112, 0), "every program is traced");
}
