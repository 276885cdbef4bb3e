//! The array engine against HIPS autograd itself: `tests/reference_arrays.json`, 60 numpy programs (least squares,
//! MLPs with logistic loss, Example 2's ridge descent, tanh chains, log-sum-exp, softmax, `np.linalg.solve`,
//! broadcasting, reductions along an axis, indexing, `np.where`, …) with their value, gradient and Hessian computed by
//! autograd 1.9.1 on numpy 2.4.6 (`scripts/reference_arrays.py`). Each program is traced into the array graph and
//! its value, its gradient by reverse mode and by forward mode, and its Hessian by forward over reverse must agree
//! to 1e-12 relative (numpy sums pairwise, so the last bits may differ).
#![cfg(not(target_arch = "wasm32"))]

use ad_lab::ad::nd;
use ad_lab::lang::lower::arrays::lower_arrays;
use ad_lab::transform::arrays::reverse_program;

/// Within 1e-12 of the larger of the two, or of the largest number of the quantity (`scale`) for entries that
/// cancel to almost nothing.
fn good(got: f64, want: f64, scale: f64) -> bool {
    got == want || (got - want).abs() <= 1e-12 * want.abs().max(got.abs()).max(1e-3 * scale)
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn every_array_engine_matches_autograd() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference_arrays.json"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let programs = json["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 60);
    let mut failures = Vec::new();
    let mut hessians = 0;
    for p in programs {
        let name = p["name"].as_str().unwrap();
        let source = p["source"].as_str().unwrap();
        let ints: Vec<(String, i64)> = p["ints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap().to_string(),
                    i["value"].as_i64().unwrap(),
                )
            })
            .collect();
        let g = match lower_arrays(source, &ints) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!(
                    "{name}: {} at {}",
                    e.message,
                    e.span.line_col(source)
                ));
                continue;
            }
        };
        // The inputs are the program's parameters with their defaults, as autograd saw them.
        for (input, want) in g.inputs.iter().zip(p["inputs"].as_array().unwrap()) {
            assert_eq!(input.name, want["name"].as_str().unwrap(), "{name}");
            assert_eq!(
                input.value.data,
                numbers(&want["value"]),
                "{name}: {}",
                input.name
            );
        }
        let (value, reverse) = match nd::gradient(&g) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let want = p["value"].as_f64().unwrap();
        if !good(value, want, want.abs()) {
            failures.push(format!("{name}: value {value} against autograd's {want}"));
        }
        let forward = nd::gradient_forward(&g).unwrap();
        let grads = p["grad"].as_array().unwrap();
        let scale = grads
            .iter()
            .flat_map(|g| numbers(&g["value"]))
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for ((r, f), want) in reverse.iter().zip(&forward).zip(grads) {
            let w = numbers(&want["value"]);
            assert_eq!(r.data.len(), w.len(), "{name}");
            for (k, w) in w.iter().enumerate() {
                if !good(r.data[k], *w, scale) {
                    failures.push(format!(
                        "{name}: reverse ∂/∂{}[{k}] = {} against {w}",
                        want["name"], r.data[k]
                    ));
                }
                if !good(f.data[k], *w, scale) {
                    failures.push(format!(
                        "{name}: forward ∂/∂{}[{k}] = {} against {w}",
                        want["name"], f.data[k]
                    ));
                }
            }
        }
        // The reverse pass written out as a numpy program, run again by the core: the same gradient.
        for (i, r) in reverse.iter().enumerate() {
            let text = reverse_program(&g, i);
            let run = lower_arrays(&text, &[]).and_then(|h| {
                nd::evaluate(&h, &nd::point(&h))
                    .map(|v| v[h.output().index()].clone())
                    .map_err(|m| ad_lab::base::source::Error::new(Default::default(), m))
            });
            match run {
                Ok(got) if got.shape == r.shape => {
                    for (k, (a, b)) in got.data.iter().zip(&r.data).enumerate() {
                        if !good(*a, *b, scale) {
                            failures.push(format!(
                                "{name}: generated ∂/∂{}[{k}] = {a} against the engine's {b}",
                                g.inputs[i].name
                            ));
                        }
                    }
                }
                Ok(got) => failures.push(format!(
                    "{name}: generated gradient of shape {:?}",
                    got.shape
                )),
                Err(e) => failures.push(format!(
                    "{name}: the generated program fails: {} at {}\n{text}",
                    e.message,
                    e.span.line_col(&text)
                )),
            }
        }
        if let Some(h) = p["hessian"].as_array() {
            hessians += 1;
            let got = nd::hessian(&g).unwrap();
            let rows: Vec<Vec<f64>> = h.iter().map(numbers).collect();
            let scale = rows.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
            for (i, (gr, wr)) in got.iter().zip(&rows).enumerate() {
                for (j, (a, b)) in gr.iter().zip(wr).enumerate() {
                    if !good(*a, *b, scale) {
                        failures.push(format!("{name}: Hessian [{i}][{j}] = {a} against {b}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(hessians, 57);
}

/// The `#/grad` page on the same 60 programs, pasted into its editor as they are: the numbers it shows are autograd's
/// (value, reverse and forward gradients in each input's shape, and the Hessian where it has at most 10 numbers).
#[test]
fn the_gradient_page_shows_autograds_numbers() {
    use ad_lab::lab::grad::{GradAction, GradState};
    use ad_lab::lab::program::ProgramAction;
    use ad_lab::lab::ChapterModel;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference_arrays.json"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let (mut arrays, mut hessians) = (0, 0);
    for p in json["programs"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let source = p["source"].as_str().unwrap();
        let s = GradState::default().apply(GradAction::Program(ProgramAction::Source(
            source.to_string(),
        )));
        if let Some(e) = &s.program.error {
            failures.push(format!("{name}: {e}"));
            continue;
        }
        let want_grads: Vec<Vec<f64>> = p["grad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| numbers(&g["value"]))
            .collect();
        let scale = want_grads
            .iter()
            .flatten()
            .fold(0.0f64, |m, x| m.max(x.abs()));
        let want = p["value"].as_f64().unwrap();
        // Programs of numbers only are the scalar engine's, as they always were.
        let (value, reverse, forward, hessian) = if let Some(r) = s.results() {
            let one = |v: &[f64]| v.iter().map(|x| vec![*x]).collect::<Vec<_>>();
            let h = r.second_order.as_ref().map(|so| so.matrix.clone());
            (r.outputs[0], one(&r.reverse), one(&r.forward), h)
        } else {
            arrays += 1;
            match s.array_results() {
                Some(Ok(r)) => {
                    let flat = |v: &[ad_lab::base::array::Array]| {
                        v.iter().map(|a| a.data.clone()).collect::<Vec<_>>()
                    };
                    let forward = r.forward.as_deref().map(flat).unwrap();
                    (r.value, flat(&r.reverse), forward, r.hessian.clone())
                }
                other => {
                    failures.push(format!("{name}: no results: {other:?}"));
                    continue;
                }
            }
        };
        if !good(value, want, want.abs()) {
            failures.push(format!("{name}: value {value} against {want}"));
        }
        for (k, (w, (r, f))) in want_grads
            .iter()
            .zip(reverse.iter().zip(&forward))
            .enumerate()
        {
            for (j, w) in w.iter().enumerate() {
                if !good(r[j], *w, scale) || !good(f[j], *w, scale) {
                    failures.push(format!(
                        "{name}: input {k}[{j}]: {} / {} against {w}",
                        r[j], f[j]
                    ));
                }
            }
        }
        if let (Some(h), Some(want)) = (hessian, p["hessian"].as_array()) {
            hessians += 1;
            let rows: Vec<Vec<f64>> = want.iter().map(numbers).collect();
            let scale = rows.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
            for (a, b) in h.iter().flatten().zip(rows.iter().flatten()) {
                if !good(*a, *b, scale) {
                    failures.push(format!("{name}: Hessian {a} against {b}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(arrays >= 50, "{arrays} array programs");
    assert!(hessians >= 40, "{hessians} Hessians");
}
