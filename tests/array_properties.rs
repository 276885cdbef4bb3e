//! Property tests of the array engine on random numpy programs: random shapes, broadcasting, matrix products,
//! reductions along an axis, transposes, reshapes, indexing and `np.where`. For each program, traced at a random
//! point: the gradient by reverse mode equals the gradient by forward mode to 1e-12, the Hessian (forward over
//! reverse) is symmetric, and a Hessian-vector product matches central differences of the gradient. Seeded, so a
//! failure names a reproducible program.
#![cfg(not(target_arch = "wasm32"))]

use ad_lab::ad::nd;
use ad_lab::base::array::broadcast_shapes;
use ad_lab::base::random::SplitMix64;
use ad_lab::lang::lower::arrays::lower_arrays;
use ad_lab::transform::arrays::{forward_program, reverse_program};

type Shape = Vec<usize>;

const SHAPES: [&[usize]; 7] = [&[], &[2], &[3], &[2, 3], &[3, 1], &[1, 3], &[3, 2]];

fn literal(r: &mut SplitMix64, shape: &[usize]) -> String {
    match shape {
        [] => format!("{:.3}", 0.3 + r.uniform()),
        [n, rest @ ..] => {
            let items: Vec<String> = (0..*n).map(|_| literal(r, rest)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn array_literal(r: &mut SplitMix64, shape: &[usize]) -> String {
    if shape.is_empty() {
        literal(r, shape)
    } else {
        format!("np.array({})", literal(r, shape))
    }
}

/// A random expression over the variables (name, shape), with its shape.
fn expr(r: &mut SplitMix64, depth: u32, vars: &[(String, Shape)]) -> (String, Shape) {
    if depth == 0 || r.chance(0.25) {
        let (n, s) = r.pick(vars).clone();
        return (n, s);
    }
    let (a, sa) = expr(r, depth - 1, vars);
    match r.below(12) {
        0..=2 => {
            let (b, sb) = expr(r, depth - 1, vars);
            match broadcast_shapes(&sa, &sb) {
                Ok(s) => {
                    let op = *r.pick(&["+", "-", "*"]);
                    (format!("({a} {op} {b})"), s)
                }
                Err(_) => (a, sa),
            }
        }
        3 => (format!("({a} / (1.5 + np.sin({a})))"), sa),
        4 => {
            let f = *r.pick(&["np.tanh", "np.sin", "np.cos", "np.exp"]);
            (format!("{f}(0.5 * {a})"), sa)
        }
        5 => (format!("np.log(1 + {a} ** 2)"), sa),
        6 if !sa.is_empty() => {
            let axis = r.below(sa.len() as u64) as usize;
            let mut s = sa.clone();
            s.remove(axis);
            let f = *r.pick(&["np.sum", "np.mean"]);
            (format!("{f}({a}, axis={axis})"), s)
        }
        7 if sa.len() == 2 => (format!("{a}.T"), vec![sa[1], sa[0]]),
        8 if !sa.is_empty() => {
            // a product with a fresh constant matrix of a fitting shape
            let k = *sa.last().unwrap_or(&1);
            let m = r.below(3) as usize + 1;
            let mut s: Shape = sa[..sa.len() - 1].to_vec();
            s.push(m);
            (format!("({a} @ {})", array_literal(r, &[k, m])), s)
        }
        9 if !sa.is_empty() => (format!("{a}[{}]", r.below(sa[0] as u64)), sa[1..].to_vec()),
        10 => {
            let n: usize = sa.iter().product();
            (format!("np.reshape({a}, ({n},))"), vec![n])
        }
        11 => (format!("np.where({a} > 0.7, {a} ** 2, 0.5 * {a})"), sa),
        _ => (format!("np.sum({a})"), Vec::new()),
    }
}

fn program(r: &mut SplitMix64) -> String {
    let k = r.below(3) as usize + 1;
    let vars: Vec<(String, Shape)> = (0..k)
        .map(|i| (format!("x{i}"), r.pick(&SHAPES).to_vec()))
        .collect();
    let params: Vec<String> = vars
        .iter()
        .map(|(n, s)| format!("{n}={}", array_literal(r, s)))
        .collect();
    let mut body = String::new();
    let mut scope = vars.clone();
    for j in 0..r.below(3) {
        let (e, s) = expr(r, 3, &scope);
        body.push_str(&format!("  v{j} = {e}\n"));
        scope.push((format!("v{j}"), s));
    }
    let (e, _) = expr(r, 3, &scope);
    format!(
        "import autograd.numpy as np\n\ndef f({}):\n{body}  return np.sum({e})\n",
        params.join(", ")
    )
}

/// A generated program run again by the core: what it returns.
fn rerun(case: usize, text: &str) -> ad_lab::base::array::Array {
    let h = lower_arrays(text, &[]).unwrap_or_else(|e| {
        panic!(
            "case {case}: {} at {}\n{text}",
            e.message,
            e.span.line_col(text)
        )
    });
    nd::evaluate(&h, &nd::point(&h)).unwrap()[h.output().index()].clone()
}

fn close(a: f64, b: f64, scale: f64, tol: f64) -> bool {
    a == b || (a - b).abs() <= tol * a.abs().max(b.abs()).max(scale)
}

#[test]
fn forward_equals_reverse_and_hessians_are_symmetric_on_random_array_programs() {
    let mut r = SplitMix64::new(2026);
    let mut checked = 0;
    for case in 0..300 {
        let src = program(&mut r);
        let g = match lower_arrays(&src, &[]) {
            Ok(g) => g,
            Err(e) => panic!(
                "case {case}: the generator's program is refused: {} at {}\n{src}",
                e.message,
                e.span.line_col(&src)
            ),
        };
        let (value, reverse) = nd::gradient(&g).unwrap();
        // The plan training uses: the same numbers to the bit, run twice on its reused buffers.
        let mut plan = nd::Plan::new(g.clone(), &[]).unwrap();
        for _ in 0..2 {
            plan.forward().unwrap();
            plan.backward(g.output(), &[1.0]);
            assert_eq!(
                plan.value(g.output()).data[0].to_bits(),
                value.to_bits(),
                "case {case}\n{src}"
            );
            for (i, a) in reverse.iter().enumerate() {
                let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(plan.gradient(i)),
                    bits(&a.data),
                    "case {case} input {i}\n{src}"
                );
            }
        }
        let forward = nd::gradient_forward(&g).unwrap();
        let rev: Vec<f64> = reverse.iter().flat_map(|a| a.data.clone()).collect();
        let fwd: Vec<f64> = forward.iter().flat_map(|a| a.data.clone()).collect();
        let scale = rev.iter().fold(1e-300f64, |m, x| m.max(x.abs()));
        for (k, (a, b)) in rev.iter().zip(&fwd).enumerate() {
            assert!(
                close(*a, *b, scale, 1e-12),
                "case {case} [{k}]: reverse {a}, forward {b}\n{src}"
            );
        }
        // Forward mode as a numpy program, seeded with one input number, run again: that gradient entry.
        {
            let x = nd::point(&g);
            let n: usize = x.iter().map(|a| a.len()).sum();
            let j = case % n.max(1);
            let seeds = nd::unit_seeds(x.iter().map(|a| &a.shape[..]), j);
            let text = forward_program(&g, &seeds);
            let got = rerun(case, &text);
            assert!(
                close(got.data[0], fwd[j], scale, 1e-12),
                "case {case}: generated forward {} vs engine {}\n{text}",
                got.data[0],
                fwd[j]
            );
        }
        // The reverse pass as a numpy program, run again: the same gradient.
        for (i, r) in reverse.iter().enumerate() {
            let text = reverse_program(&g, i);
            let got = rerun(case, &text);
            assert_eq!(got.shape, r.shape, "case {case}\n{text}");
            for (a, b) in got.data.iter().zip(&r.data) {
                assert!(
                    close(*a, *b, scale, 1e-12),
                    "case {case}: generated {a}, engine {b}\n{text}"
                );
            }
        }
        let n = rev.len();
        if n <= 12 {
            let h = nd::hessian(&g).unwrap();
            let hs = h.iter().flatten().fold(1e-300f64, |m, x| m.max(x.abs()));
            for i in 0..n {
                for j in 0..i {
                    assert!(
                        close(h[i][j], h[j][i], hs, 1e-11),
                        "case {case}: H[{i}][{j}] {} vs {}\n{src}",
                        h[i][j],
                        h[j][i]
                    );
                }
            }
            // Row j of the Hessian against central differences of the gradient along e_j.
            let j = case % n;
            let grad_at = |d: f64| -> Vec<f64> {
                let mut g2 = g.clone();
                let mut k = 0;
                for input in &mut g2.inputs {
                    for x in &mut input.value.data {
                        if k == j {
                            *x += d;
                        }
                        k += 1;
                    }
                }
                nd::gradient(&g2)
                    .unwrap()
                    .1
                    .iter()
                    .flat_map(|a| a.data.clone())
                    .collect()
            };
            let (p, m) = (grad_at(1e-5), grad_at(-1e-5));
            for i in 0..n {
                let fd = (p[i] - m[i]) / 2e-5;
                assert!(
                    close(h[j][i], fd, hs, 1e-5),
                    "case {case}: H[{j}][{i}] {} vs differences {fd}\n{src}",
                    h[j][i]
                );
            }
        }
        if std::env::var("SHOW_ARRAY_PROGRAMS").is_ok() && case < 2 {
            eprintln!(
                "{src}-- {} operations\n{}",
                g.operations(),
                reverse_program(&g, 0)
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 300);
}

/// Broken and odd array programs — the generator's programs cut short, with characters dropped, swapped or
/// repeated, shapes changed — get an error with a position or a result, never a panic, in the tracer and in every
/// engine.
#[test]
fn mangled_array_programs_never_panic() {
    let mut r = SplitMix64::new(99);
    let odd = [
        "[",
        "]",
        "(",
        ")",
        ",",
        ":",
        "@",
        ".T",
        "-",
        "**",
        "np.sum(",
        "axis=",
        "[0]",
        "[:, 1]",
        "[::-1]",
        "1e308",
        "-0.0",
        "np.zeros((3, 0))",
        "np.linalg.solve(",
        ".reshape(-1, 2)",
        "range(10**9)",
        "np.eye(0)",
        "np.max(",
        "> 0",
        "\n",
        "  ",
        "x0",
        "len(",
        "0",
        "[]",
        "np.array([])",
    ];
    for case in 0..3000 {
        let src = program(&mut r);
        let chars: Vec<char> = src.chars().collect();
        let mut text: String;
        let at = r.below(chars.len() as u64) as usize;
        match r.below(4) {
            0 => text = chars[..at].iter().collect(),
            1 => {
                text = chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != at)
                    .map(|(_, c)| *c)
                    .collect();
            }
            2 => {
                text = chars[..at].iter().collect();
                let piece: &&str = r.pick(&odd[..]);
                text.push_str(piece);
                text.extend(&chars[at..]);
            }
            _ => {
                let b = r.below(chars.len() as u64) as usize;
                let mut c = chars.clone();
                c.swap(at, b);
                text = c.into_iter().collect();
            }
        }
        let result = std::panic::catch_unwind(|| match lower_arrays(&text, &[]) {
            Err(e) => {
                assert!(
                    e.span.start as usize <= text.len(),
                    "case {case}: a span past the end"
                );
                None
            }
            Ok(g) => {
                let grad = nd::gradient(&g).ok();
                let _ = nd::gradient_forward(&g);
                if g.inputs.iter().map(|i| i.value.len()).sum::<usize>() <= 12 {
                    let _ = nd::hessian(&g);
                }
                for i in 0..g.inputs.len() {
                    let _ = lower_arrays(&reverse_program(&g, i), &[]);
                }
                grad.map(|x| x.0)
            }
        });
        assert!(result.is_ok(), "case {case} panicked on:\n{text}");
    }
}

/// Odd numpy programs (empty arrays, 0-d arrays, reductions to a number of nothing, NaN and infinite values, singular
/// systems, out-of-bounds indexing, autograd's calls after the function) through everything the graph lab does with
/// one: its session, each step of both modes with its narration and practice question, both derivative programs run
/// again, every download, and a new seed. Each is traced or refused with a message; none panics.
#[test]
fn odd_programs_through_the_graph_lab_never_panic() {
    use ad_lab::base::url::{percent_encode, Location};
    use ad_lab::lab::graph::export::{array_csv, array_latex, array_python, array_svg, array_tikz};
    use ad_lab::lab::graph::{GraphState, Mode};
    use ad_lab::lab::ChapterModel;
    let run = |src: &str| -> Result<usize, String> {
        let loc = Location::parse(&format!("#/graph?f={}", percent_encode(src)));
        let s = GraphState::from_location(&loc, &mut Vec::new());
        let a = match s.array_session_after(None) {
            Some(r) => r?,
            None => {
                return Err(s
                    .program
                    .error
                    .clone()
                    .expect("a message when there is no session"))
            }
        };
        let _ = (a.code(), a.forward_code());
        for mode in [Mode::Forward, Mode::Reverse] {
            for k in 0..=a.total(mode) {
                let _ = (a.at(mode, k), a.narrate(mode, k));
                if let Some(q) = a.question(mode, k) {
                    let _ = a.reads(mode, &q);
                }
            }
        }
        let _ = (
            array_csv(&a),
            array_latex(&a),
            array_tikz(&a),
            array_svg(&a),
            array_python(&a),
        );
        for w in 0..a.names.len().min(4) {
            let b = a.reseed(w);
            let _ = (b.forward_code(), b.code());
        }
        Ok(a.graph().nodes.len())
    };
    let programs = [
        "import numpy as np\ndef f(x=np.zeros((0,))):\n  return np.sum(x)\n",
        "import numpy as np\ndef f(x=np.zeros((3, 0))):\n  return np.sum(x @ x.T)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return x\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0]])):\n  return x.T @ x\n",
        "import numpy as np\ndef f(x=1.0):\n  return np.ones(3) * x\n",
        "import numpy as np\ndef f(x=np.array([1.0, -2.0])):\n  return np.max(np.abs(x))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 1.0])):\n  return np.max(x)\n",
        "import numpy as np\ndef f(x=np.array([0.0, 1.0])):\n  return np.sum(np.log(x))\n",
        "import numpy as np\ndef f(x=np.array([1e308, 1e308])):\n  return np.sum(x * x)\n",
        "import numpy as np\ndef f(A=np.array([[1.0, 2.0], [2.0, 4.0]]), b=np.array([1.0, 1.0])):\n  return np.sum(np.linalg.solve(A, b))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  return x[::-1] @ x[1:]\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  return x[1:1].sum()\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  return np.sum(np.where(x > 2, x, -x))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  return np.mean(x.reshape(3, 1) * x)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  s = 0\n  for v in x:\n    s = s + v * v\n  return s\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.outer(x, x)[0, 1] / 0\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return 0 * x[0]\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return 3.0\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.eye(2) @ np.exp(x * 1000))\n",
        "import numpy as np\ndef f(x=np.array([[[1.0, 2.0], [3.0, 4.0]]])):\n  return np.sum(x ** 2)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.maximum(x, np.minimum(x, 1.5)))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.linspace(0, 1, 2) @ x + len(x) + x.shape[0]\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.full((2, 2), 3.0) @ x) ** 0.5\n",
        "import numpy as np\ndef f(x=np.array([-1.0, 2.0])):\n  return np.sum(np.sqrt(x))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0]), n=3):\n  for i in range(n):\n    x = np.tanh(x)\n  return np.sum(x)\n",
        "import numpy as np\ndef f(W=[np.eye(2), np.eye(2)], x=np.array([1.0, 2.0])):\n  for w in W:\n    x = w @ x\n  return np.sum(x)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(x, axis=0) + np.sum(np.arange(3))\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return np.sum(np.max(x, axis=1) - np.min(x, axis=0))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.dot(x, x) - x @ x\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(x / x)\n",
        "import numpy as np\ndef f(x=np.array([0.0, 0.0])):\n  return np.sum(np.abs(x)) + np.sum(x ** 0.5)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.zeros((10000, 1000)))\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  y = x\n  y = y + 1\n  return np.sum(y[-1:]) + x[-2]\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return x * 2, np.sum(x)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return x[None]\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(x[x > 1])\n",
        "import numpy as np\ndef f(x=np.array([1, 2])):\n  return np.sum(x * x)\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return np.sum(x, axis=-1) @ np.sum(x, axis=-2)\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return np.sum(x.reshape(-1) ** 2)\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return np.sum(x, axis=2)\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return x[5, 0]\n",
        "import numpy as np\ndef f(x=np.array([[1.0, 2.0], [3.0, 4.0]])):\n  return x[-3]\n",
        "import numpy as np\ndef f(x=np.array(1.0)):\n  return x * x\n",
        "import numpy as np\ndef f(x=np.array([])):\n  return np.sum(x)\n",
        "import numpy as np\ndef f(x=np.array([[]])):\n  return np.sum(x.T @ x)\n",
        "import numpy as np\ndef f(x=np.zeros((2, 0))):\n  return np.mean(x)\n",
        "import numpy as np\ndef f(x=np.zeros((2, 0))):\n  return np.max(x)\n",
        "import numpy as np\ndef f(x=np.ones(3)):\n  return np.sum(x.reshape(1, 3, 1, 1) * x.reshape(3, 1))\n",
        "import numpy as np\ndef f(x=np.ones(3)):\n  for i in range(len(x)):\n    x = x + x[i]\n  return np.sum(x)\n",
        "import numpy as np\ndef f(x=np.ones(3)):\n  return np.sum(np.exp(x) / np.sum(np.exp(x)) * np.log(np.exp(x) / np.sum(np.exp(x))))\n",
        "import numpy as np\ndef f(x=np.ones(3) * np.nan):\n  return np.sum(x)\n",
        "import numpy as np\ndef f(x=np.array([np.inf, 1.0])):\n  return np.sum(x * 0)\n",
        "import numpy as np\nfrom autograd import grad\ndef f(x=np.ones(2)):\n  return np.sum(x ** 3)\ng = grad(f)\nprint(g(np.array([2.0, 3.0])))\n",
        "import numpy as np\nfrom autograd import hessian\ndef f(x):\n  return np.sum(x ** 3)\nprint(hessian(f)(np.array([2.0, 3.0])))\n",
        "import numpy as np\ndef f(x):\n  return np.sum(x ** 3)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return x.T.T.T @ x\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.array([x, x, 2 * x]) @ x)\n",
        "import numpy as np\ndef f(x=np.array([1.0, 2.0])):\n  return np.sum(np.array([[x[0], 1.0], [x[1], x[0] * x[1]]]))\n",
    ];
    for src in programs {
        match std::panic::catch_unwind(|| run(src)) {
            Ok(Ok(_)) => {}
            Ok(Err(why)) => assert!(!why.is_empty(), "an empty message for:\n{src}"),
            Err(_) => panic!("the graph lab panicked on:\n{src}"),
        }
    }
    // The ones that were a panic once: a sum of an empty slice is 0, and autograd's array call gives the point.
    assert!(run(
        "import numpy as np\ndef f(x=np.array([1.0, 2.0, 3.0])):\n  return x[1:1].sum()\n"
    )
    .is_ok());
    assert!(run("import numpy as np\nfrom autograd import hessian\ndef f(x):\n  return np.sum(x ** 3)\nprint(hessian(f)(np.array([2.0, 3.0])))\n").is_ok());
}
