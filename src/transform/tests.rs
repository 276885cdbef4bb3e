use super::*;
use crate::ad::eval;

const LOGISTIC: &str =
    "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

fn compile(src: &str) -> Compiled {
    Compiled::new(src, &Limits::default()).unwrap_or_else(|e| panic!("{}\n{src}", e.render(src)))
}

fn run_text(code: &Generated, inputs: &[f64]) -> Vec<f64> {
    // The shown text, read back, runs to the same values as the tree.
    let from_text = crate::lang::lower_source(&code.text)
        .map(|g| eval::outputs(&g, &eval::evaluate(&g, inputs)))
        .unwrap_or_else(|e| panic!("{}\n{}", e.render(&code.text), code.text));
    let from_tree = run(code, inputs, &Limits::default()).unwrap();
    assert_eq!(
        format!("{from_text:?}"),
        format!("{from_tree:?}"),
        "{}",
        code.text
    );
    from_tree
}

/// Both generated programs at `x` against the engines: every forward program (one per input) and the reverse one.
fn check(src: &str, x: &[f64]) {
    let c = compile(src);
    let g = &c.graph;
    let p = eval::evaluate(g, x);
    let grad = eval::vjp(g, &p, &{
        let mut s = vec![0.0; g.outputs.len()];
        s[0] = 1.0;
        s
    });
    let grad: Vec<f64> = g.inputs.iter().map(|i| grad[i.node.index()]).collect();
    let rev = reverse_program(&c, 0).unwrap();
    let got = run_text(&rev, x);
    assert_eq!(
        format!("{got:?}"),
        format!("{grad:?}"),
        "reverse program of\n{src}\n{}",
        rev.text
    );
    for wrt in 0..x.len() {
        let mut seed = vec![0.0; x.len()];
        seed[wrt] = 1.0;
        let t = eval::jvp(g, &p, &seed);
        let want: Vec<f64> = g.outputs.iter().map(|o| t[o.index()]).collect();
        let fwd = forward_program(&c, wrt).unwrap();
        let got = run_text(&fwd, x);
        assert_eq!(
            format!("{got:?}"),
            format!("{want:?}"),
            "forward program (wrt {wrt}) of\n{src}\n{}",
            fwd.text
        );
    }
}

#[test]
fn the_lecture_programs() {
    let c = compile(LOGISTIC);
    let fwd = forward_program(&c, 0).unwrap();
    assert_eq!(
        fwd.text,
        "def g(x, n=4):\n  # forward mode: tangents seeded with dx = 1\n  dx = 1.0\n  v, dv = x, dx\n  for i in range(n):\n    v, dv = 4 * v * (1 - v), 4 * dv * (1 - v) - 4 * dv * v\n  return dv\n"
    );
    assert_eq!(run_text(&fwd, &[0.25]), vec![-16.0]);
    let rev = reverse_program(&c, 0).unwrap();
    assert!(
        rev.text
            .contains("  for i in range(n):\n    memory.append(v)\n    v = 4 * v * (1 - v)\n"),
        "{}",
        rev.text
    );
    assert!(
        rev.text
            .contains("  for v in memory[::-1]:\n    dv = 4 * dv * (1 - v) - 4 * dv * v\n"),
        "{}",
        rev.text
    );
    assert_eq!(run_text(&rev, &[0.25]), vec![-16.0]);
}

#[test]
fn plain_expressions_become_wengert_lists() {
    let c = compile("y * x**2");
    assert_eq!(
        wengert(&c.graph),
        "def f(y, x):\n  v1 = x**2\n  v2 = y * v1\n  return v2\n"
    );
    let fwd = forward_program(&c, 1).unwrap();
    assert!(
        fwd.text.contains("v1, dv1 = x**2, 2 * dx * x"),
        "{}",
        fwd.text
    );
    assert_eq!(run_text(&fwd, &[1.0, 1.0]), vec![2.0]);
    let rev = reverse_program(&c, 0).unwrap();
    assert_eq!(run_text(&rev, &[1.0, 1.0]), vec![1.0, 2.0]);
    assert!(
        !rev.text.contains("memory"),
        "no value is overwritten, so nothing is stored:\n{}",
        rev.text
    );
}

#[test]
fn overwrites_inside_and_outside_loops_are_restored() {
    let src = "def f(x, y, n=3):\n  a = x * y\n  for i in range(n):\n    w = tanh(a) * i\n    a = a * w + y\n  a += x\n  b, a = a * 2, sin(a)\n  return a * b\n";
    for x in [[0.3, 0.7], [-1.2, 0.4]] {
        check(src, &x);
    }
}

/// Which parameters are inputs is the lowering's decision (`p=2**-1` is the float 0.5, an input; `n=-3` is an
/// integer); the generated code must agree with it.
#[test]
fn parameters_are_inputs_exactly_when_the_graph_says_so() {
    let src =
        "def f(x, p=2**-1, n=-3):\n  v = x * p\n  for i in range(-n):\n    v = v * p\n  return v\n";
    let c = compile(src);
    assert_eq!(c.graph.inputs.len(), 2);
    check(src, &[0.3, 0.5]);
}

#[test]
fn programs_with_lists_are_unrolled_and_say_so() {
    let src = "def f(x):\n  m = [x]\n  m.append(x * x)\n  return m[0] * m[1]\n";
    let fwd = forward_program(&compile(src), 0).unwrap();
    assert!(fwd.unrolled);
    assert!(fwd.text.contains("# unrolled"), "{}", fwd.text);
    assert!(fwd.text.contains("lists"), "{}", fwd.text);
    check(src, &[1.5]);
}

/// Each class of defect the reference audit found in generated programs, at a point it found it.
#[test]
fn the_audit_s_defects_are_fixed() {
    // Labels collide with input names: the intermediates are named otherwise.
    check("v2*v1 + v1", &[2.0, 3.0]);
    let c = compile("v2*v1 + v1");
    assert_eq!(
        run(
            &reverse_program(&c, 0).unwrap(),
            &[2.0, 3.0],
            &Limits::default()
        )
        .unwrap(),
        vec![3.0, 3.0]
    );
    // An empty loop body (nothing active in it).
    check(
        "def f(x):\n  for i in range(2):\n    a = 1.0\n  return x\n",
        &[0.7],
    );
    // The loop variable reassigned inside its loop.
    check(
        "def f(x):\n  for i in range(3):\n    s = i * x\n    i = x\n  return s\n",
        &[1.7],
    );
    // A tuple kept in one name.
    check("def f(x):\n  s = x, 2 * x\n  return s\n", &[0.4]);
    // The loop bound changed inside the loop.
    check(
        "def f(x, n=3):\n  v = x\n  for i in range(n):\n    v = v * x\n    n = n + 1\n  return v\n",
        &[1.1],
    );
    // Inputs named like the generated program's own variables.
    check(
        "def f(memory, x):\n  v = memory * x\n  v = v * x\n  return v\n",
        &[2.0, 3.0],
    );
    check(
        "def f(ef, el):\n  v = ef * el\n  v = v * ef\n  return v\n",
        &[2.0, 3.0],
    );
    // A loop variable that shadows an input.
    check(
        "def f(x):\n  for x in range(1, 10, 3):\n    pass\n  return x\n",
        &[0.5],
    );
    // Dead statements are not differentiated (√y at 0 has an infinite derivative, but nothing reads w).
    check("def f(x, y):\n  w = sqrt(y)\n  return x\n", &[1.0, 0.0]);
    check(
        "def f(x, y):\n  w = sqrt(y)\n  w = x * 2\n  return w\n",
        &[1.0, 0.0],
    );
}

#[test]
fn seeded_inputs_only_carry_tangents() {
    let c = compile("def f(x, y):\n  return x + sqrt(y)\n");
    let fwd = forward_program(&c, 0).unwrap();
    assert!(!fwd.text.contains("dy"), "{}", fwd.text);
    assert_eq!(
        run(&fwd, &[1.0, 0.0], &Limits::default()).unwrap(),
        vec![1.0]
    );
}

#[test]
fn several_outputs_and_tuple_swaps() {
    check("def f(t):\n  return cos(t), sin(t), t ** 2\n", &[0.5]);
    check(
        "def f(a, b, n=3):\n  for i in range(n):\n    a, b = b, a * b + 1\n  return a + b\n",
        &[0.3, 1.2],
    );
    check(
        "def f(x, y):\n  s = 0\n  for i in range(4):\n    s += x ** i * y\n  s *= s\n  return s\n",
        &[0.7, -0.4],
    );
}

#[test]
fn scripts_are_wrapped_in_a_function() {
    check("a = x * y\nb = sin(a)\nb * a + x", &[0.3, 0.9]);
    check("s = x\ns += y * s\n", &[0.3, 0.9]);
}
