//! The graph lab's exported Python file runs in CPython with numpy and prints the page's numbers, digit for digit
//! (`$PYTHON_NUMPY`, set by `scripts/test.sh`, or `python3`).

use ad_lab::lab::graph::{export, limits, GraphState, EXAMPLES};
use ad_lab::lab::program::ProgramState;
use std::process::Command;

fn run(py: &str) -> String {
    let python = std::env::var("PYTHON_NUMPY").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg("-c")
        .arg(py)
        .output()
        .unwrap_or_else(|e| panic!("{python} could not be run ({e}): scripts/test.sh installs it"));
    assert!(
        out.status.success(),
        "{python} failed:\n{}\n{py}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Each `print` line of the file ends with `# the page: <numbers>`; its output must be those numbers.
fn check(state: &GraphState) {
    let s = state.session().expect("a session");
    let py = export::python(&s);
    let expected: Vec<&str> = py
        .lines()
        .filter(|l| l.starts_with("print("))
        .map(|l| l.split("# the page: ").nth(1).unwrap())
        .collect();
    assert_eq!(expected.len(), 3, "{py}");
    let printed = run(&py);
    let got: Vec<&str> = printed
        .lines()
        .map(|l| l.rsplit_once(": ").map_or(l, |(_, v)| v))
        .collect();
    assert_eq!(got, expected, "{py}");
}

#[test]
fn every_example_prints_the_page_numbers() {
    for e in EXAMPLES {
        check(&GraphState::from_example(e));
    }
}

#[test]
fn the_lectures_programs_and_odd_ones_print_the_page_numbers() {
    for (src, given) in [
        ("def f(x):\n  return log(1 + x**2) / x\n", vec![("x", "1")]),
        ("y * x**2", vec![("x", "3"), ("y", "2")]),
        ("import numpy as np\ndef f(x, y):\n  return np.log(x) / y, math.sqrt(x) + abs(y)\n", vec![("x", "-1"), ("y", "0")]),
        ("def f(x, n=3):\n  s = 0.0\n  for i in range(n):\n    s = s + exp(x * i) + max(x, i) * relu(x - 1)\n  return s\n", vec![("x", "800")]),
        ("def f(x):\n  a = [x, 2 * x]\n  return a[0] * a[1] + tanh(x) / sinh(x) - step(x)\n", vec![("x", "0")]),
    ] {
        let given: Vec<(String, String)> = given.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let program = ProgramState::new(src, &given, limits());
        assert!(program.error.is_none(), "{src}: {:?}", program.error);
        check(&GraphState {
            program,
            wrt: 0,
            out: 0,
            ..GraphState::default()
        });
    }
}
