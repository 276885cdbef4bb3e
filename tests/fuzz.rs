//! The in-repo fuzzer: grammar-generated and mutated programs (deep chains, huge integers, unicode, bad indentation,
//! truncation, lists, loops) through every stage — compiling, evaluation, forward and reverse mode, both traces,
//! Taylor mode, the symbolic derivative, Hessians, the derivative programs generated and run, each chapter's model,
//! and the permalink parser — checking that nothing panics and that the engines agree (which entries are NaN or ±∞
//! exactly; finite entries closely).
//!
//! Each batch runs in a child process (this test binary again) with a memory limit, watched for progress: a hang or a
//! crash (a stack overflow aborts) is reported with the input that caused it, and the run goes on after it.
//!
//! - `cargo test --profile fuzz --test fuzz` runs the seeded smoke (20 000 inputs, optimised, overflow checks on;
//!   `scripts/test.sh` and so CI run it); plain `cargo test` runs 500 of them in the debug build.
//! - `FUZZ_COUNT=1000000 FUZZ_SEED=7 FUZZ_CHAPTERS=1 cargo test --profile fuzz --test fuzz -- --ignored fuzz_run
//!   --nocapture` runs a long one (`docs/robustness.md` has the figures).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use std::io::{BufRead, BufReader};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ad_lab::ad::dual::Dual;
use ad_lab::ad::eval;
use ad_lab::ad::hessian::{hessian, singular_diagonal};
use ad_lab::ad::taylor::derivatives_along;
use ad_lab::ad::taylor::Taylor;
use ad_lab::ad::trace::{forward_trace, reverse_trace};
use ad_lab::ad::wide::Wide;
use ad_lab::base::random::SplitMix64;
use ad_lab::base::url::Location;
use ad_lab::lab::program::ProgramAction;
use ad_lab::lab::{grad, graph, hyper, learn, memory, numeric, symbolic, ChapterModel};
use ad_lab::lang::compile::Compiled;
use ad_lab::lang::Limits;
use ad_lab::symbolic::dag::Dag;
use ad_lab::transform::{forward_program, reverse_program, run, run_structural};

// ----- inputs -----

const NAMES: [&str; 4] = ["x", "y", "z", "w"];
const CONSTS: [&str; 19] = [
    "0", "1", "2", "3", "0.5", "0.25", "-1", "1e-300", "1e300", "0.1", "2.5", "10", "1e-170",
    "0.0", "-0.0", "4", "True", "math.pi", "math.inf",
];
const FUNCS: [&str; 15] = [
    "log", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sqrt", "np.log", "math.exp",
    "np.sqrt", "relu", "abs", "np.abs",
];
const OPS: [&str; 5] = [" + ", " - ", " * ", " / ", "**"];

fn expr(r: &mut SplitMix64, depth: u32, names: &[&str]) -> String {
    if depth == 0 || r.chance(0.3) {
        return if r.chance(0.65) {
            r.pick(names).to_string()
        } else {
            r.pick(&CONSTS).to_string()
        };
    }
    match r.below(13) {
        0 => format!("-{}", expr(r, depth - 1, names)),
        10 => {
            // Python's max and min: of two or three numbers, or of a list.
            let f = r.pick(&["max", "min"]);
            let a = expr(r, depth - 1, names);
            let b = expr(r, depth - 1, names);
            match r.below(3) {
                0 => format!("{f}({a}, {b})"),
                1 => format!("{f}({a}, {b}, {})", expr(r, depth - 1, names)),
                _ => format!("{f}([{a}, {b}])"),
            }
        }
        11 => {
            // Subscript, slice and call chains on lists built in place.
            let a = expr(r, depth - 1, names);
            match r.below(6) {
                0 => format!(
                    "[{a}, {}][{}]",
                    expr(r, depth - 1, names),
                    r.pick(&["0", "-1", "1", "-2"])
                ),
                1 => format!("[{a}][0:1][0]"),
                2 => format!("([{a}] * 2 + [1.0])[{}]", r.pick(&["0", "1", "2", "-1"])),
                3 => format!("[[{a}]][0][0]"),
                4 => format!("list([{a}, 2])[::-1][-1]"),
                _ => {
                    // A long chain: `[[…[a]…]][0]…[0]` or `[a][0:1]…[0:1][0]`, sometimes past the nesting bound.
                    let long = r.chance(0.1);
                    let n = r.below(if long { 3000 } else { 40 }) as usize + 1;
                    if r.chance(0.5) {
                        format!("{}{a}{}{}", "[".repeat(n), "]".repeat(n), "[0]".repeat(n))
                    } else {
                        format!("[{a}]{}[0]", "[0:1]".repeat(n))
                    }
                }
            }
        }
        12 => format!(
            "{}({})",
            r.pick(&FUNCS),
            r.pick(&["(x)", "np.pi", "[x][0]", "(x, 1)[0]"])
        ),
        1 | 2 => format!("{}({})", r.pick(&FUNCS), expr(r, depth - 1, names)),
        3 => format!(
            "({})**{}",
            expr(r, depth - 1, names),
            r.pick(&["2", "3", "0", "-1", "0.5", "2.0"])
        ),
        4 => format!(
            "({} {} {})",
            r.pick(&CONSTS),
            r.pick(&["//", "%"]),
            r.pick(&["2", "0.1", "3.0", "7", "0"])
        ),
        5 if r.chance(0.05) => {
            // A long flat chain: `x + x + … + x`.
            let n = r.below(1200) + 2;
            let op = r.pick(&[" + ", " - ", " * ", " / "]);
            let leaf = r.pick(names);
            (0..n).map(|_| *leaf).collect::<Vec<_>>().join(op)
        }
        _ => format!(
            "({}{}{})",
            expr(r, depth - 1, names),
            r.pick(&OPS),
            expr(r, depth - 1, names)
        ),
    }
}

fn statement(
    r: &mut SplitMix64,
    names: &[&str],
    vars: &mut Vec<String>,
    indent: &str,
    depth: u32,
) -> String {
    let all: Vec<String> = names
        .iter()
        .map(|s| s.to_string())
        .chain(vars.iter().filter(|v| *v != "m").cloned())
        .collect();
    let all: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
    let scalars: Vec<String> = vars.iter().filter(|v| *v != "m").cloned().collect();
    let target = if r.chance(0.5) && !scalars.is_empty() {
        r.pick(&scalars).clone()
    } else {
        let t = r
            .pick(&["a", "b", "v", "s", "t", "i2", "memory", "dv"])
            .to_string();
        if !vars.contains(&t) {
            vars.push(t.clone());
        }
        t
    };
    match r.below(11) {
        // Loops nest, sometimes deeply (short ranges down there, so the work stays bounded).
        0 if depth < 2 || (depth < 6 && r.chance(0.6)) => {
            let bound = r.pick(&[
                "n",
                "3",
                "2",
                "range_k",
                "0",
                "1, 5, 2",
                "5, 1, -1",
                "-9223372036854775807 - 1, 7, 4611686018427387904",
            ]);
            let bound = if *bound == "range_k" { "len(m)" } else { bound };
            let bound = if depth >= 2 {
                r.pick(&["2", "1, 3", "0"])
            } else {
                bound
            };
            let var = r.pick(&["i", "j", "k", "x"]);
            let mut body = String::new();
            let n = r.below(3) + 1;
            for _ in 0..n {
                body.push_str(&statement(
                    r,
                    names,
                    vars,
                    &format!("{indent}  "),
                    depth + 1,
                ));
            }
            if r.chance(0.1) {
                body.push_str(&format!("{indent}  import math\n"));
            }
            if r.chance(0.1) {
                body = format!("{indent}  pass\n");
            }
            format!("{indent}for {var} in range({bound}):\n{body}")
        }
        1 if !scalars.is_empty() => {
            let t = r.pick(&scalars).clone();
            format!("{indent}{t} += {}\n", expr(r, 2, &all))
        }
        2 if scalars.len() >= 2 => {
            let other = r.pick(&scalars).clone();
            format!(
                "{indent}{target}, {other} = {}, {}\n",
                expr(r, 2, &all),
                expr(r, 2, &all)
            )
        }
        3 if vars.iter().any(|v| v == "m") => format!("{indent}m.append({})\n", expr(r, 2, &all)),
        4 if vars.iter().any(|v| v == "m") => {
            format!(
                "{indent}{target} = m[{}]\n",
                r.pick(&["0", "-1", "len(m) - 1", "1::9223372036854775807][0"])
            )
        }
        9 if !scalars.is_empty() => {
            let t = r.pick(&scalars).clone();
            format!(
                "{indent}{t} {} {}\n",
                r.pick(&["%=", "*=", "-=", "//=", "**="]),
                expr(r, 1, &all)
            )
        }
        10 if vars.iter().any(|v| v == "m") => match r.below(8) {
            0..=3 => format!("{indent}m += [{}]\n", expr(r, 2, &all)),
            4..=6 => format!("{indent}m = m + [{}] * 2\n", expr(r, 1, &all)),
            _ => format!(
                "{indent}{target}, (u2, w2) = {}, ({}, 1)\n",
                expr(r, 1, &all),
                expr(r, 1, &all)
            ),
        },
        5 if r.chance(0.2) => format!(
            "{indent}{target} = {}, {}\n",
            expr(r, 1, &all),
            expr(r, 1, &all)
        ),
        _ => format!("{indent}{target} = {}\n", expr(r, 3, &all)),
    }
}

/// A program from the grammar: an expression, a function with loops and lists, or bare statements.
fn program(r: &mut SplitMix64) -> String {
    let k = r.below(3) as usize + 1;
    let names = &NAMES[..k];
    match r.below(4) {
        0 => expr(r, 4, names),
        1 => {
            let mut vars = Vec::new();
            let mut s = String::new();
            for _ in 0..r.below(4) + 1 {
                s.push_str(&statement(r, names, &mut vars, "", 1));
            }
            let mut all: Vec<&str> = names.to_vec();
            all.extend(vars.iter().map(|v| v.as_str()));
            s.push_str(&format!("{}\n", expr(r, 2, &all)));
            s
        }
        _ => {
            let params = names.join(", ");
            let n = r.pick(&["", ", n=3", ", n=2", ", p=2.0", ", n=-1"]);
            let mut s = format!("def f({params}{n}):\n  m = [{}]\n", names[0]);
            let mut vars = vec!["m".to_string()];
            for _ in 0..r.below(5) + 1 {
                s.push_str(&statement(r, names, &mut vars, "  ", 1));
            }
            let mut all: Vec<&str> = names.to_vec();
            all.extend(
                vars.iter()
                    .filter(|v| *v != "m" && *v != "i2")
                    .map(|v| v.as_str()),
            );
            if r.chance(0.3) {
                s.push_str(&format!(
                    "  return {}, {}\n",
                    expr(r, 2, &all),
                    expr(r, 2, &all)
                ));
            } else {
                s.push_str(&format!("  return {}\n", expr(r, 2, &all)));
            }
            // The lecture's lines after the function: a call giving the point, by position, by name or through a
            // named number; sometimes with too many or unknown arguments.
            if r.chance(0.4) {
                let point: Vec<String> =
                    names.iter().map(|_| r.pick(&CONSTS).to_string()).collect();
                let extra = r.pick(&["", ", n=5", ", 7", ", q=1.0", ", n=0.5", ", n=-2**70"]);
                let call = match r.below(4) {
                    0 => format!("g = grad(f)\nprint(g({}{extra}))\n", point.join(", ")),
                    1 => format!("x0 = {}\nprint(grad(f)(x0{extra}))\n", point[0]),
                    2 => format!(
                        "from scipy.optimize import approx_fprime\napprox_fprime({}, f, 1e-7)\n",
                        point[0]
                    ),
                    _ => format!(
                        "y = f({})\nprint(y, value_and_grad(f)({})[1])\n",
                        point.join(", "),
                        point.join(", ")
                    ),
                };
                s.push('\n');
                s.push_str(&call);
            }
            s
        }
    }
}

const NOISE: [&str; 20] = [
    "(",
    ")",
    ":",
    "\n",
    " ",
    "  ",
    "\t",
    "9223372036854775807",
    "**",
    "[::-1]",
    "λ",
    "∂",
    "é",
    "\u{0}",
    "#",
    "=",
    ",",
    "[",
    "def ",
    "\n    ",
];

/// A mutation of a program's text: characters deleted, repeated or inserted, the text cut short.
fn mutate(r: &mut SplitMix64, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..r.below(4) + 1 {
        if chars.is_empty() {
            break;
        }
        let at = r.below(chars.len() as u64) as usize;
        match r.below(5) {
            0 => {
                let end = (at + r.below(6) as usize + 1).min(chars.len());
                chars.drain(at..end);
            }
            1 => {
                let end = (at + r.below(8) as usize + 1).min(chars.len());
                let piece: Vec<char> = chars[at..end].to_vec();
                for (k, c) in piece.into_iter().enumerate() {
                    chars.insert(at + k, c);
                }
            }
            2 => chars.truncate(at),
            _ => {
                for (k, c) in r.pick(&NOISE).chars().enumerate() {
                    chars.insert(at + k, c);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn point(r: &mut SplitMix64, n: usize) -> Vec<f64> {
    const SPECIAL: [f64; 12] = [
        0.0, -0.0, 1.0, -1.0, 0.25, 1e-300, 1e300, 1e-170, 10.0, 20.0, 2.0, 0.5,
    ];
    (0..n)
        .map(|_| {
            if r.chance(0.35) {
                *r.pick(&SPECIAL)
            } else {
                (r.uniform() - 0.5) * 6.0
            }
        })
        .collect()
}

/// Input number `i` of a seeded run: a program (mutated a third of the time) and a point.
fn input(seed: u64, i: u64) -> (String, Vec<f64>) {
    let mut r = SplitMix64::new(seed.wrapping_mul(0x9E37_79B9).wrapping_add(i));
    let mut text = program(&mut r);
    if r.chance(0.33) {
        text = mutate(&mut r, &text);
    }
    let p = point(&mut r, 4);
    (text, p)
}

// ----- checks -----

#[derive(Default, Debug)]
struct Tally {
    inputs: u64,
    compiled: u64,
    errors: u64,
    jacobian_entries: u64,
    /// Entries with a non-finite value on a connecting path (see `eval::singular_entries`): not compared.
    singular: u64,
    disagreements: Vec<String>,
    /// Generated programs that differ from the engines only by IEEE's 0·∞ = NaN (explained on the page).
    zero_times_infinity: u64,
    /// Entries whose chain-rule terms overflowed and cancelled (see `overflowed`): not compared.
    overflow_noise: u64,
    generated_runs: u64,
    /// Hessian entries (dual over dual) not compared: a singular diagonal end.
    hessian_excluded: u64,
    /// Printed derivative programs that stop with Python's ZeroDivisionError because the source divides by zero.
    printed_zero_division: u64,
}

fn same_class(a: f64, b: f64) -> bool {
    if a.is_finite() && b.is_finite() {
        return true;
    }
    format!("{a}") == format!("{b}")
}

/// Finite values that both engines should compute to rounding: far apart only for ill-conditioned sums, which the
/// scale (the largest magnitude around) accounts for.
fn close(a: f64, b: f64, scale: f64, tol: f64) -> bool {
    !(a.is_finite() && b.is_finite()) || (a - b).abs() <= tol * (a.abs().max(b.abs()).max(scale))
}

/// The largest second-order term anywhere: each node's second Taylor coefficient along input `j` (with a wide
/// exponent, so that nothing overflows) and each node's second-order adjoint in nested AD. Round-off in a second
/// derivative is relative to it (the second derivative of `exp(log(s))` at s = 10¹⁷⁰ is 10¹⁷⁰-sized terms cancelling).
fn second_scale(g: &ad_lab::lang::graph::Graph, x: &[f64], j: usize) -> f64 {
    let t: Vec<Taylor<3, Wide>> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if i == j {
                Taylor::variable(Wide::from(v))
            } else {
                Taylor::constant(Wide::from(v))
            }
        })
        .collect();
    let taylor = eval::evaluate_generic(g, &t)
        .iter()
        .map(|c| f64::from(c.0[2]).abs() * 2.0)
        .filter(|m| !m.is_nan())
        .fold(1.0, f64::max);
    let duals: Vec<Dual> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| Dual::new(v, if i == j { 1.0 } else { 0.0 }))
        .collect();
    let primals = eval::evaluate_generic(g, &duals);
    let mut seed = vec![Dual::new(0.0, 0.0); g.outputs.len()];
    seed[0] = Dual::new(1.0, 0.0);
    let mut adj = Vec::new();
    eval::vjp_into(g, &primals, &seed, &mut adj);
    adj.iter()
        .map(|a| a.eps.abs())
        .filter(|m| !m.is_nan())
        .fold(taylor, f64::max)
}

/// The Hessian of the first output by dual numbers over dual numbers: entry (i, j) is the ε₁ε₂ part of f at
/// x + ε₁eᵢ + ε₂eⱼ (forward over forward; no reverse sweep anywhere).
fn hessian_dual_dual(g: &ad_lab::lang::graph::Graph, x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let p = eval::evaluate(g, x);
    let mut h = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            // With a wide exponent, as the engines' overflow rule: z·z^(z−1) at z = 10⁻¹⁷⁰ has derivative terms past
            // 10³⁰⁸ that cancel.
            let xs: Vec<Dual<Dual<Wide>>> = x
                .iter()
                .enumerate()
                .map(|(q, &v)| {
                    let one = |on: bool| Wide::from(if on { 1.0 } else { 0.0 });
                    Dual::new(
                        Dual::new(Wide::from(v), one(q == i)),
                        Dual::new(one(q == j), one(false)),
                    )
                })
                .collect();
            // Values pinned to the program's own, as nested AD pins them (a wide value would change what later
            // operations make of it: pow(−∞, −1.63) is 0, pow(−10¹²⁰⁰, −1.63) NaN).
            let mut v = Vec::new();
            eval::evaluate_pinned(g, &xs, &p, |d, pv| d.re.re = Wide::from(pv), &mut v);
            h[i][j] = f64::from(v[g.outputs[0].index()].eps.eps);
        }
    }
    h
}

/// Whether the program divides by zero at this point (a division whose divisor is 0).
fn divides_by_zero(g: &ad_lab::lang::graph::Graph, p: &[f64]) -> bool {
    use ad_lab::base::op::Binary;
    use ad_lab::lang::graph::{Arg, Op};
    let value = |a: Arg| match a {
        Arg::Const(c) => c,
        Arg::Node(n) => p[n.index()],
    };
    // A division by 0, or 0 to a negative power.
    g.ids().any(|id| match g.node(id).op {
        Op::Binary(Binary::Div, _, b) => value(b) == 0.0,
        Op::Binary(Binary::Pow, a, b) => value(a) == 0.0 && value(b) < 0.0,
        _ => false,
    })
}

/// Whether the terms the chain rule summed for ∂out_k/∂in_j went past the largest f64 (the overflow rule then
/// computed them with a wide exponent): when they cancel, the result is rounding noise that can land anywhere, ±∞
/// included (∂f/∂a of a function constant in a, through cos of 10³⁰¹).
fn overflowed(g: &ad_lab::lang::graph::Graph, p: &[f64], k: usize, j: usize) -> bool {
    let mut seed = vec![0.0; g.inputs.len()];
    seed[j] = 1.0;
    let s = eval::Singular::analyse(g, p);
    let mut out = vec![0.0; g.outputs.len()];
    out[k] = 1.0;
    eval::first_overflow(g, p, &seed).is_some_and(|id| s.connects(k, j, id.index()))
        || eval::plain_sweep_overflows(g, p, &out, true)
}

fn check(text: &str, x: &[f64], t: &mut Tally) {
    t.inputs += 1;
    let limits = Limits {
        max_nodes: 20_000,
        max_steps: 200_000,
    };
    let c = match Compiled::new(text, &limits) {
        Ok(c) => c,
        Err(e) => {
            t.errors += 1;
            let shown = e.render(text);
            assert!(
                shown.starts_with("line "),
                "an error without its position: {shown}"
            );
            if std::env::var("FUZZ_SHOW_ERRORS").is_ok() {
                eprintln!("ERR {}", e.message);
            }
            return;
        }
    };
    t.compiled += 1;
    let g = &c.graph;
    let x: Vec<f64> = x.iter().copied().cycle().take(g.inputs.len()).collect();
    let (m, n) = (g.outputs.len(), g.inputs.len());
    let p = eval::evaluate(g, &x);
    let fwd = eval::jacobian_forward(g, &p);
    let rev = eval::jacobian_reverse(g, &p);
    let scale = fwd
        .iter()
        .flatten()
        .chain(p.iter())
        .filter(|v| v.is_finite())
        .fold(1.0f64, |s, v| s.max(v.abs()));
    let singular = eval::singular_entries(g, &p);
    // The largest product the chain rule summed for entry (k, j): round-off in a sum is relative to its largest
    // term, so finite entries are compared at that scale (x + x/x at 10⁻¹⁷⁰ sums ±10¹⁷⁰ to get 1 — or 0).
    let sum_scale = |k: usize, j: usize| -> f64 {
        let rt = reverse_trace(g, &x, k);
        let mut m: f64 = 1.0;
        for step in &rt.steps {
            if let ad_lab::ad::trace::ReverseStep::Adjoint { pushes, .. } = step {
                for push in pushes {
                    if push.contribution.is_finite() {
                        m = m.max(push.contribution.abs());
                    }
                }
            }
        }
        for s in &forward_trace(g, &x, j).steps {
            for (partial, t) in &s.terms {
                let c = partial.value * t;
                if c.is_finite() {
                    m = m.max(c.abs());
                }
            }
        }
        m
    };
    for row in &singular {
        t.jacobian_entries += row.len() as u64;
        t.singular += row.iter().filter(|s| **s).count() as u64;
    }
    let mut report = |what: &str, k: usize, j: usize, a: f64, b: f64| {
        if singular[k][j] || (same_class(a, b) && close(a, b, sum_scale(k, j), 1e-6)) {
            return;
        }
        // Overflowed terms that cancel: any finite or infinite result is noise (NaN would still be a defect).
        if !a.is_nan() && !b.is_nan() && a != b && overflowed(g, &p, k, j) {
            t.overflow_noise += 1;
            return;
        }
        t.disagreements.push(format!(
            "{what}: ∂out{k}/∂in{j} {a} against forward {b}\n  program: {text:?}\n  at {x:?}"
        ));
    };
    for k in 0..m {
        for j in 0..n {
            let (a, b) = (rev[k][j], fwd[k][j]);
            if !same_class(a, b) || !close(a, b, scale, 1e-6) {
                report("reverse mode", k, j, a, b);
            }
        }
    }
    let small = g.len() <= 3000;
    if small {
        for j in 0..n {
            let tr = forward_trace(g, &x, j);
            for (k, o) in g.outputs.iter().enumerate() {
                let a = tr.steps[o.index()].tangent;
                if format!("{a}") != format!("{}", fwd[k][j]) {
                    report("forward trace", k, j, a, fwd[k][j]);
                }
            }
        }
        for k in 0..m {
            let tr = reverse_trace(g, &x, k);
            for (j, i) in g.inputs.iter().enumerate() {
                let a = tr.adjoints[i.node.index()];
                if format!("{a}") != format!("{}", rev[k][j]) {
                    report("reverse trace", k, j, a, rev[k][j]);
                }
            }
        }
        for k in 0..m {
            for j in 0..n {
                let a = derivatives_along::<2>(g, &x, j, k)[1];
                if !same_class(a, fwd[k][j]) || !close(a, fwd[k][j], scale, 1e-6) {
                    report("Taylor mode", k, j, a, fwd[k][j]);
                }
            }
        }
    }
    if g.len() <= 400 {
        for k in 0..m {
            let (mut d, root) = Dag::from_graph(g, k);
            for (j, input) in g.inputs.iter().enumerate() {
                let dr = d.diff(root, &input.name);
                let a = d.eval(dr, &|name| g.input_index(name).map_or(f64::NAN, |q| x[q]));
                if !same_class(a, fwd[k][j]) || !close(a, fwd[k][j], scale, 1e-6) {
                    report("symbolic", k, j, a, fwd[k][j]);
                }
            }
        }
        if n > 0 && n <= 4 && m > 0 {
            // Nested AD (forward over reverse): its gradient is reverse mode's, its diagonal Taylor mode's.
            let h = hessian(g, &x);
            assert_eq!(h.matrix.len(), n);
            let singular2 = singular_diagonal(g, &p);
            for j in 0..n {
                if format!("{}", h.gradient[j]) != format!("{}", rev[0][j]) {
                    report("Hessian's gradient", 0, j, h.gradient[j], rev[0][j]);
                }
                let d2 = derivatives_along::<4>(g, &x, j, 0)[2];
                let hjj = h.matrix[j][j];
                if singular2[j]
                    || (same_class(hjj, d2) && close(hjj, d2, second_scale(g, &x, j), 1e-6))
                {
                    continue;
                }
                report("Hessian diagonal (against Taylor mode)", 0, j, hjj, d2);
            }
            // The full matrix, forward over reverse against dual over dual (forward over forward), entry by entry.
            // Not compared: entries whose diagonal ends are singular (a NaN or ∞ on a connecting path, as above),
            // and rounding at the scale of the largest second-order term.
            let dd = hessian_dual_dual(g, &x);
            for i in 0..n {
                for j in 0..n {
                    let (a, b) = (h.matrix[i][j], dd[i][j]);
                    if format!("{a}") == format!("{b}") {
                        continue;
                    }
                    if singular2[i] || singular2[j] {
                        t.hessian_excluded += 1;
                        continue;
                    }
                    let sc = second_scale(g, &x, i).max(second_scale(g, &x, j));
                    if same_class(a, b) && close(a, b, sc, 1e-6) {
                        continue;
                    }
                    report("Hessian (dual over dual)", 0, j, a, b);
                }
            }
        }
    }
    // The derivative programs: generated, run (plain arithmetic), and compared.
    if small {
        let mut compare = |what: &str,
                           code: &ad_lab::transform::Generated,
                           want: &[f64],
                           k_or_j: usize| {
            t.generated_runs += 1;
            let got = match run(code, &x, &limits) {
                Ok(v) => v,
                Err(e) => {
                    t.disagreements.push(format!(
                        "{what} does not run: {e}\n{}\n  program: {text:?}",
                        code.text
                    ));
                    return;
                }
            };
            let agrees = |got: &[f64]| {
                got.len() == want.len()
                    && got.iter().zip(want).enumerate().all(|(e, (a, b))| {
                        let (k, j) = if what.starts_with("forward") {
                            (e, k_or_j)
                        } else {
                            (k_or_j, e)
                        };
                        singular[k][j]
                            || (same_class(*a, *b) && close(*a, *b, scale, 1e-6))
                            || (same_class(*a, *b) && close(*a, *b, sum_scale(k, j), 1e-6))
                    })
            };
            // The printed program, parsed back as a student would paste it, runs and gives the same numbers.
            let room = Limits {
                max_nodes: 8 * limits.max_nodes,
                max_steps: 8 * limits.max_steps,
            };
            match Compiled::new(&code.text, &room) {
                Ok(pc) => {
                    let pv = eval::evaluate(&pc.graph, &x);
                    let mut printed = eval::outputs(&pc.graph, &pv);
                    if eval::needs_wide(&printed) {
                        let wide = eval::evaluate_generic(&pc.graph, &eval::widen(&x));
                        printed = eval::narrow(&eval::outputs(&pc.graph, &wide));
                    }
                    if format!("{printed:?}") != format!("{got:?}") {
                        t.disagreements.push(format!(
                            "{what} {k_or_j}, printed and parsed back, returns {printed:?}, as built {got:?}\n{}\n  program: {text:?}\n  at {x:?}",
                            code.text
                        ));
                    }
                }
                // The source itself divides by zero (AD Lab follows IEEE where the value depends on the inputs,
                // Python would stop there): its derivative program's constant `1 / 0` stops as Python's would.
                Err(e) if e.message.contains("ZeroDivisionError") && divides_by_zero(g, &p) => {
                    t.printed_zero_division += 1;
                }
                Err(e) => t.disagreements.push(format!(
                    "{what} {k_or_j}, printed, does not parse back: {}\n{}\n  program: {text:?}",
                    e.render(&code.text),
                    code.text
                )),
            }
            if agrees(&got) {
                return;
            }
            if run_structural(code, &x, &limits).is_ok_and(|s| agrees(&s)) {
                t.zero_times_infinity += 1;
                return;
            }
            // Plain arithmetic has no overflow rule: where the sweep's terms overflow, the program may say NaN or
            // ±∞ or keep a term the engines' sum absorbed (the page's code check says so).
            let overflows = got.len() == want.len()
                && got.iter().zip(want).enumerate().all(|(e, (a, b))| {
                    let (k, j) = if what.starts_with("forward") {
                        (e, k_or_j)
                    } else {
                        (k_or_j, e)
                    };
                    same_class(*a, *b) && close(*a, *b, scale, 1e-6)
                        || singular[k][j]
                        || overflowed(g, &p, k, j)
                });
            if overflows {
                t.overflow_noise += 1;
                return;
            }
            t.disagreements.push(format!(
                "{what} {k_or_j} returns {got:?}, the engines {want:?}\n{}\n  program: {text:?}\n  at {x:?}",
                code.text
            ));
        };
        for j in 0..n {
            if let Ok(code) = forward_program(&c, j) {
                let want: Vec<f64> = (0..m).map(|k| fwd[k][j]).collect();
                compare("forward program", &code, &want, j);
            }
        }
        for (k, row) in rev.iter().enumerate() {
            if let Ok(code) = reverse_program(&c, k) {
                compare("reverse program", &code, row, k);
            }
        }
    }
}

/// The chapters' models on the same text (nothing may panic) and the permalink parser on a mangled address.
fn chapters(text: &str, x: &[f64], r: &mut SplitMix64) {
    let src = ProgramAction::Source(text.to_string());
    let gs = graph::GraphState::default().apply(graph::GraphAction::Program(src.clone()));
    if gs.program.graph().is_some_and(|g| g.len() <= 3000) {
        if let Some(s) = gs.session() {
            for mode in [graph::Mode::Forward, graph::Mode::Reverse] {
                let _ = s.view(mode, r.below(2 * s.graph().len() as u64 + 2) as usize);
                let _ = s.code_check(mode);
            }
        }
    }
    let gr = grad::GradState::default().apply(grad::GradAction::Program(src.clone()));
    let gr = gr.apply(grad::GradAction::Program(ProgramAction::Input(
        "x".into(),
        format!("{}", x[0]),
    )));
    let _ = gr.results();
    let nu = numeric::NumericState::default().apply(numeric::NumericAction::Program(src.clone()));
    let _ = nu.results();
    let sy = symbolic::SymbolicState::default().apply(symbolic::SymbolicAction::Program(src));
    if let Ok(sw) = sy.swell() {
        let _ = sw.expressions(3);
    }
    let url = format!(
        "#/graph?f={}&in.x={}&mode={}&step={}&wrt=%ZZ&out=-3",
        ad_lab::base::url::percent_encode(text),
        r.pick(&["1", "nan", "1e999", "-0", "abc", ""]),
        r.pick(&["forward", "reverse", "sideways", ""]),
        r.pick(&["3", "-1", "99999999999999999999", "x"])
    );
    let mangled = mutate(r, &url);
    // The applications' fields and permalinks take the same text.
    let _ = ad_lab::lab::chain::check_sizes(text);
    let _ = ad_lab::lab::network::check_layers(text);
    let app_url = format!(
        "#/network?preset={}&layers={}&lr={}&epoch={}&sizes={}",
        r.pick(&["custom", "micrograd", "x"]),
        ad_lab::base::url::percent_encode(text),
        r.pick(&["0.03", "NaN", "-1", "1e999"]),
        r.pick(&["3", "x", "99999999999999999999"]),
        ad_lab::base::url::percent_encode(text)
    );
    for u in [app_url.clone(), mutate(r, &app_url)] {
        let loc = Location::parse(&u);
        let mut notices = Vec::new();
        let _ = ad_lab::lab::chain::ChainState::from_location(&loc, &mut notices);
        let n = ad_lab::lab::network::NetworkState::from_location(&loc, &mut notices);
        if n.epoch <= 3 {
            let mut t = ad_lab::lab::network::Trainer::new(&n.settings());
            t.train_to(n.epoch);
        }
    }
    // Learning to learn and hyperparameter optimisation: fields and permalinks (results only when cheap: they run
    // gradient descent for T steps).
    let _ = (
        learn::check_rho(text),
        learn::check_t(text),
        learn::check_eta(text),
    );
    let _ = (
        hyper::check_lambda(text),
        hyper::check_t(text),
        hyper::check_k(text),
    );
    let ridge_url = format!(
        "#/learn?problem={}&rho={}&T={}&eta={}&meta={}&lambda={}&k={}&mode={}&steps={}",
        r.pick(&["toy", "diabetes", "x"]),
        r.pick(&["0.02", "0.25", "NaN", "-1", "1e999", "0.0032"]),
        r.pick(&["1", "10", "0", "99999999999999999999"]),
        r.pick(&["0.01", "1e300", "0"]),
        r.pick(&["2", "x", "1001"]),
        ad_lab::base::url::percent_encode(text),
        r.pick(&["1", "0", "1000000"]),
        r.pick(&["single", "per-feature", ""]),
        r.pick(&["0", "3", "-1"])
    );
    for u in [ridge_url.clone(), mutate(r, &ridge_url)] {
        let loc = Location::parse(&u);
        let mut notices = Vec::new();
        let l = learn::LearnState::from_location(&loc, &mut notices);
        if l.t.value <= 20 && l.meta <= 3 {
            let _ = l.results();
        }
        let h = hyper::HyperState::from_location(&loc, &mut notices);
        if r.below(200) == 0 && h.t.value <= 20 && h.k.value <= 20 && h.steps <= 3 {
            let _ = h.results();
        }
    }
    let _ = (memory::check_n(text), memory::check_c(text));
    let ckpt_url = format!(
        "#/memory?example={}&n={}&c={}&strategy={}&step={}",
        r.pick(&["logistic", "layers", "descent", "x"]),
        r.pick(&["1", "2", "37", "0", "10001", "x"]),
        ad_lab::base::url::percent_encode(text),
        r.pick(&["store-all", "store-input", "sqrt", "binomial", ""]),
        r.pick(&["0", "5", "99999999999999999999"])
    );
    for u in [ckpt_url.clone(), mutate(r, &ckpt_url)] {
        let loc = Location::parse(&u);
        let mut notices = Vec::new();
        let m = memory::MemoryState::from_location(&loc, &mut notices);
        if m.n.value <= 64 {
            if let Ok(res) = m.results() {
                let _ = memory::snapshot(&res.events, m.n.value, m.step);
            }
        }
    }
    for u in [url, mangled] {
        let loc = Location::parse(&u);
        let mut notices = Vec::new();
        let _ = graph::GraphState::from_location(&loc, &mut notices);
        let _ = grad::GradState::from_location(&loc, &mut notices);
        let _ = numeric::NumericState::from_location(&loc, &mut notices);
        let _ = symbolic::SymbolicState::from_location(&loc, &mut notices);
    }
}

// ----- the runner -----

/// Runs inputs `start..start + count` in this process, printing `<i>` before each (so that a parent watching the
/// output knows which input hung or crashed) and the tally at the end.
#[test]
#[ignore]
fn fuzz_worker() {
    if std::env::var("FUZZ_WORKER_SEED").is_err() {
        return;
    }
    // The app runs with an 8 MiB stack (`.cargo/config.toml`); so do the checks (a test thread has 2 MiB).
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(worker)
        .unwrap()
        .join()
        .unwrap();
}

fn worker() {
    let Ok(seed) = std::env::var("FUZZ_WORKER_SEED") else {
        return;
    };
    let seed: u64 = seed.parse().unwrap();
    let start: u64 = std::env::var("FUZZ_WORKER_START").unwrap().parse().unwrap();
    let count: u64 = std::env::var("FUZZ_WORKER_COUNT").unwrap().parse().unwrap();
    let with_chapters = std::env::var("FUZZ_WORKER_CHAPTERS").is_ok();
    std::panic::set_hook(Box::new(|_| {}));
    let mut t = Tally::default();
    let mut panics = Vec::new();
    for i in start..start + count {
        println!("<{i}>");
        let (text, x) = input(seed, i);
        let ran = catch_unwind(AssertUnwindSafe(|| {
            check(&text, &x, &mut t);
            if with_chapters {
                let mut r = SplitMix64::new(i);
                chapters(&text, &x, &mut r);
            }
        }));
        if let Err(e) = ran {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panics.push(format!("panic at input {i}: {msg}\n  program: {text:?}"));
        }
    }
    println!(
        "TALLY {} {} {} {} {} {} {} {} {} {} {}",
        t.inputs,
        t.compiled,
        t.errors,
        t.jacobian_entries,
        t.generated_runs,
        t.zero_times_infinity,
        panics.len(),
        t.singular,
        t.overflow_noise,
        t.hessian_excluded,
        t.printed_zero_division
    );
    for d in t.disagreements.iter().take(200) {
        println!("DISAGREE {}", d.replace('\n', "\u{1}"));
    }
    println!("DISAGREEMENTS {}", t.disagreements.len());
    for p in panics.iter().take(20) {
        println!("PANIC {}", p.replace('\n', "\u{1}"));
    }
}

#[derive(Debug, Default)]
struct Report {
    inputs: u64,
    compiled: u64,
    errors: u64,
    jacobian_entries: u64,
    generated_runs: u64,
    zero_times_infinity: u64,
    singular: u64,
    overflow_noise: u64,
    hessian_excluded: u64,
    printed_zero_division: u64,
    panics: u64,
    disagreements: u64,
    hangs: Vec<String>,
    crashes: Vec<String>,
    details: Vec<String>,
}

/// Runs `count` inputs from `seed` in child processes of `batch` inputs each, with a memory limit and `stall`
/// seconds allowed without progress.
fn fuzz(seed: u64, count: u64, batch: u64, stall: Duration, chapters: bool) -> Report {
    let exe = std::env::current_exe().unwrap();
    let mut rep = Report::default();
    let mut next = 0;
    while next < count {
        let n = batch.min(count - next);
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("ulimit -v 4000000; exec \"$0\" fuzz_worker --exact --ignored --nocapture --test-threads=1")
            .arg(&exe)
            .env("FUZZ_WORKER_SEED", seed.to_string())
            .env("FUZZ_WORKER_START", next.to_string())
            .env("FUZZ_WORKER_COUNT", n.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if chapters {
            cmd.env("FUZZ_WORKER_CHAPTERS", "1");
        }
        let mut child = cmd.spawn().expect("the fuzz worker starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut last = next;
        let mut finished = false;
        let mut last_progress = Instant::now();
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(i) = line.strip_prefix('<').and_then(|l| l.strip_suffix('>')) {
                        last = i.parse().unwrap();
                        last_progress = Instant::now();
                    } else if let Some(rest) = line.strip_prefix("TALLY ") {
                        let v: Vec<u64> = rest.split(' ').map(|x| x.parse().unwrap()).collect();
                        rep.inputs += v[0];
                        rep.compiled += v[1];
                        rep.errors += v[2];
                        rep.jacobian_entries += v[3];
                        rep.generated_runs += v[4];
                        rep.zero_times_infinity += v[5];
                        rep.panics += v[6];
                        rep.singular += v[7];
                        rep.overflow_noise += v[8];
                        rep.hessian_excluded += v[9];
                        rep.printed_zero_division += v[10];
                        finished = true;
                    } else if let Some(rest) = line.strip_prefix("DISAGREEMENTS ") {
                        rep.disagreements += rest.parse::<u64>().unwrap();
                    } else if line.starts_with("DISAGREE ") || line.starts_with("PANIC ") {
                        if rep.details.len() < 400 {
                            rep.details.push(line.replace('\u{1}', "\n"));
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if last_progress.elapsed() > stall {
                        let _ = child.kill();
                        let (text, x) = input(seed, last);
                        rep.hangs.push(format!(
                            "input {last} ({}s without progress): {text:?} at {x:?}",
                            stall.as_secs()
                        ));
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let status = child.wait().unwrap();
        if !finished
            && rep
                .hangs
                .last()
                .is_none_or(|h| !h.starts_with(&format!("input {last} ")))
        {
            let (text, x) = input(seed, last);
            rep.crashes
                .push(format!("input {last} ({status}): {text:?} at {x:?}"));
        }
        if finished {
            next += n;
        } else {
            rep.inputs += last - next + 1;
            next = last + 1; // go on after the input that hung or crashed
        }
    }
    rep
}

fn assert_clean(rep: &Report) {
    if let Ok(path) = std::env::var("FUZZ_REPORT") {
        let _ = std::fs::write(path, rep.details.join("\n----\n"));
    }
    println!(
        "inputs {} compiled {} errors {} jacobian entries {} (not compared: singular {}, overflowed terms cancelling {}) Hessian entries not compared {} generated runs {} (0·∞ only: {}; printed, stopping at the source's own division by zero: {}) panics {} disagreements {} hangs {} crashes {}",
        rep.inputs, rep.compiled, rep.errors, rep.jacobian_entries, rep.singular, rep.overflow_noise, rep.hessian_excluded, rep.generated_runs, rep.zero_times_infinity, rep.printed_zero_division,
        rep.panics, rep.disagreements, rep.hangs.len(), rep.crashes.len()
    );
    assert!(rep.crashes.is_empty(), "crashes: {:#?}", rep.crashes);
    assert!(rep.hangs.is_empty(), "hangs: {:#?}", rep.hangs);
    assert_eq!(rep.panics, 0, "panics:\n{}", rep.details.join("\n"));
    assert_eq!(
        rep.disagreements,
        0,
        "disagreements:\n{}",
        rep.details.join("\n")
    );
}

/// The seeded smoke that CI runs: a few thousand inputs through every stage and every chapter model.
#[test]
fn fuzz_smoke() {
    // Debug builds are ~20× slower: a short run there, the full smoke with `--profile fuzz` (scripts/test.sh).
    let count = std::env::var("FUZZ_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 500 } else { 20_000 });
    let rep = fuzz(20261127, count, 1500, Duration::from_secs(20), true);
    assert_eq!(rep.inputs, count);
    assert_clean(&rep);
}

/// The long run: `FUZZ_COUNT` inputs (default 10⁶) from `FUZZ_SEED`.
#[test]
#[ignore]
fn fuzz_run() {
    let count = std::env::var("FUZZ_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000_000);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(7);
    let chapters = std::env::var("FUZZ_CHAPTERS").is_ok();
    let t = Instant::now();
    let rep = fuzz(seed, count, 20_000, Duration::from_secs(30), chapters);
    println!("{count} inputs in {:.0} s", t.elapsed().as_secs_f64());
    assert_clean(&rep);
}

/// One lowering, measured: the fuzzer's programs read by the array tracer at their point and turned into the scalar
/// Wengert list give today's lowering's numbers bit for bit (every output's value and every output's gradient), and
/// the programs today's lowering reads that the tracer does not yet read are counted by message. Nothing panics.
#[test]
fn the_tracer_reads_the_fuzzers_programs_as_the_lowering_does() {
    use ad_lab::base::array::Array;
    use ad_lab::lang::lower::arrays::lower_arrays_at;
    let count = if cfg!(debug_assertions) { 400 } else { 4000 };
    let (mut both, mut same, mut point_dependent, mut with_notes) = (0, 0, 0, 0);
    let mut refused: std::collections::BTreeMap<String, u32> = Default::default();
    let mut differ = Vec::new();
    for i in 0..count {
        let (text, x) = input(20261204, i);
        let Ok(today) = ad_lab::lang::lower_source(&text) else {
            continue;
        };
        let x = &x[..today.inputs.len().min(x.len())];
        if x.len() < today.inputs.len() {
            continue;
        }
        let given: Vec<(String, Array)> = today
            .inputs
            .iter()
            .zip(x)
            .map(|(inp, v)| (inp.name.clone(), Array::scalar(*v)))
            .collect();
        let traced = match lower_arrays_at(&text, &today.int_params, &given) {
            Ok(g) => g,
            Err(e) => {
                let key: String = e.message.chars().take(60).collect();
                if std::env::var("SHOW_REFUSED").is_ok() {
                    eprintln!("{key}\n{text}\n");
                }
                *refused.entry(key).or_default() += 1;
                continue;
            }
        };
        let Some(sg) = traced.to_scalar_graph() else {
            point_dependent += 1;
            continue;
        };
        both += 1;
        let (a, b) = (
            common::every_output_and_gradient(&today, x),
            common::every_output_and_gradient(&sg, x),
        );
        with_notes += usize::from(!today.notes.is_empty());
        if common::same_bits(&a, &b) && today.notes == sg.notes {
            same += 1;
        } else {
            differ.push(format!(
                "{text:?} at {x:?}: {a:?} against {b:?}, notes {:?} against {:?}",
                today.notes, sg.notes
            ));
        }
    }
    // Tight bounds: where the scalar lowering stops at one, the tracer stops at the same place with the same words.
    let tight = ad_lab::lang::Limits {
        max_nodes: 60,
        max_steps: 400,
    };
    let (mut bounded, mut bounded_same) = (0, 0);
    for i in 0..count {
        let (text, x) = input(20261204, i);
        let Ok(program) = ad_lab::lang::parser::parse(&text) else {
            continue;
        };
        let Err(e) = ad_lab::lang::lower::lower(&program, &tight) else {
            continue;
        };
        if !e.message.contains(", the most AD Lab") {
            continue;
        }
        let Ok(roomy) = ad_lab::lang::lower_source(&text) else {
            continue;
        };
        bounded += 1;
        let given: Vec<(String, Array)> = roomy
            .inputs
            .iter()
            .zip(x.iter().chain(std::iter::repeat(&0.5)))
            .map(|(inp, v)| (inp.name.clone(), Array::scalar(*v)))
            .collect();
        match ad_lab::lang::lower::arrays::trace_with(&program, &roomy.int_params, &given, &tight) {
            Err(t) if (t.span, &t.message) == (e.span, &e.message) => bounded_same += 1,
            other => differ.push(format!(
                "{text:?} within {tight:?}: {e:?} against {other:?}"
            )),
        }
    }
    eprintln!("{bounded} stopped by a bound ({bounded_same} the same way)");
    // Programs both refuse: how many the tracer refuses at the same place, and in the same words.
    let (mut refused_by_both, mut same_place, mut same_words) = (0, 0, 0);
    let mut words: std::collections::BTreeMap<String, u32> = Default::default();
    for i in 0..count {
        let (text, _) = input(20261204, i);
        let Ok(program) = ad_lab::lang::parser::parse(&text) else {
            continue;
        };
        let Err(e) = ad_lab::lang::lower::lower(&program, &Default::default()) else {
            continue;
        };
        let given: Vec<(String, Array)> = NAMES
            .iter()
            .map(|n| (n.to_string(), Array::scalar(0.5)))
            .collect();
        let Err(t) = ad_lab::lang::lower::arrays::trace(&program, &[], &given) else {
            continue;
        };
        refused_by_both += 1;
        if t.span == e.span {
            same_place += 1;
        }
        if t.message == e.message {
            same_words += 1;
        } else {
            let key = format!(
                "{} | {}",
                e.message.chars().take(50).collect::<String>(),
                t.message.chars().take(50).collect::<String>()
            );
            *words.entry(key).or_default() += 1;
        }
    }
    eprintln!("{refused_by_both} refused by both: {same_place} at the same place, {same_words} in the same words");
    // A ratchet while the tracer takes over: the rest are mostly a script's names given no value here, and the two
    // readings' different words for `%` and `//` on what they cannot take.
    assert!(
        same_words * 5 >= refused_by_both * 4,
        "{same_words} of {refused_by_both} refusals in the same words"
    );
    let mut top: Vec<_> = words.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1));
    for (k, n) in top.iter().take(25) {
        eprintln!("{n:5} {k}");
    }
    eprintln!(
        "{both} read by both ({same} bit for bit and with the same notes, {with_notes} of them with notes), {point_dependent} not all numbers; refused by the tracer:\n{}",
        refused
            .iter()
            .map(|(m, n)| format!("{n:5} {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
