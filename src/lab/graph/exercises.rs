//! Exercise sets for practice mode: small programs of rising difficulty, drawn from a seed, so that "exercise 3 of set
//! 7" (`#/graph?set=7&ex=3`) is the same program for every student. Every tangent and adjoint they ask for is a short
//! decimal (the points are small whole numbers, written as floats so that they are inputs; divisions by 1, 2 or 4;
//! exp and log where they are 1 and 0). The last is a numpy program: its tangents and adjoints are small arrays.

use crate::base::random::SplitMix64;

/// Exercises in a set, and what each one practises.
pub const KINDS: [&str; 6] = [
    "a product",
    "fan-out: x feeds two operations",
    "a loop",
    "a division",
    "two inputs, exp and log",
    "arrays: a matrix times a vector, then a sum",
];

/// The largest set number a link may ask for.
pub const MAX_SET: u32 = 999_999;

/// The source of exercise `ex` (1 to [`KINDS`]`.len()`) of set `set`, its point given as the parameters' defaults.
pub fn exercise(set: u32, ex: u32) -> String {
    let mut r = SplitMix64::new(u64::from(set) << 8 | u64::from(ex));
    let mut pick = |from: &[u32]| from[r.below(from.len() as u64) as usize];
    let small = [1, 2, 3];
    match ex {
        1 => format!(
            "def f(x={}.0, y={}.0):\n  return {} * x * y\n",
            pick(&small),
            pick(&small),
            pick(&[2, 3, 5])
        ),
        2 => format!(
            "def f(x={}.0, y={}.0):\n  a = x * y\n  b = x + {}\n  return a * b\n",
            pick(&small),
            pick(&small),
            pick(&small)
        ),
        3 => format!(
            "def f(x={}.0, n={}):\n  v = x\n  for i in range(n):\n    v = v * x + {}\n  return v\n",
            pick(&[1, 2]),
            pick(&[2, 3]),
            pick(&small)
        ),
        4 => format!(
            "def f(x={}.0, y={}.0):\n  return (x + {}) / (x * y)\n",
            pick(&[1, 2, 4]),
            pick(&[1, 2]),
            pick(&small)
        ),
        5 => format!(
            "def f(x=0.0, y={}.0):\n  return exp({} * x) * y + log(x + 1) / y\n",
            pick(&[1, 2, 4]),
            pick(&[2, 3])
        ),
        _ => {
            let mut numbers = |n: usize, from: &[u32]| -> Vec<String> {
                (0..n).map(|_| format!("{}.0", pick(from))).collect()
            };
            let w = numbers(4, &[0, 1, 2, 3]);
            let w = format!("[[{}, {}], [{}, {}]]", w[0], w[1], w[2], w[3]);
            let x = numbers(2, &[1, 2, 3]).join(", ");
            let y = numbers(2, &[0, 1, 2]).join(", ");
            let head = format!(
                "import numpy as np\n\ndef f(W=np.array({w}), x=np.array([{x}])):\n  h = W @ x\n"
            );
            match pick(&[0, 1, 2]) {
                0 => head + "  return np.sum(h * h)\n",
                1 => format!(
                    "import numpy as np\n\ny = np.array([{y}])\n\ndef f(W=np.array({w}), x=np.array([{x}])):\n  \
                     r = W @ x - y\n  return np.sum(r ** 2) / 2\n"
                ),
                _ => head + "  return np.dot(h, x)\n",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{GraphAction, GraphState, Mode, Question};
    use super::*;
    use crate::lab::ChapterModel;

    #[test]
    fn a_link_names_the_exercise_and_a_bad_one_says_so() {
        use crate::base::url::Location;
        let mut notices = Vec::new();
        let s = GraphState::from_location(
            &Location::parse("#/graph?set=7&ex=3&mode=reverse"),
            &mut notices,
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (s.exercise, s.practice.on, s.mode),
            (Some((7, 3)), true, Mode::Reverse)
        );
        assert_eq!(s.program.source, exercise(7, 3));
        let q = s.query();
        assert!(q.contains(&("set".into(), "7".into())) && q.contains(&("ex".into(), "3".into())));
        assert!(
            !q.iter().any(|(k, _)| k == "f"),
            "the program is not in the link: the set and number make it"
        );
        // Edited, it is the student's own program again.
        let e = s.apply(GraphAction::Program(
            crate::lab::program::ProgramAction::Source("x * 3".into()),
        ));
        assert_eq!(e.exercise, None);
        assert!(e.query().iter().any(|(k, _)| k == "f"));
        for bad in [
            "#/graph?set=0&ex=1",
            "#/graph?set=2&ex=9",
            "#/graph?set=x",
            "#/graph?ex=2",
        ] {
            let mut notices = Vec::new();
            let s = GraphState::from_location(&Location::parse(bad), &mut notices);
            assert_eq!((s.exercise, notices.len()), (Some((1, 1)), 1), "{bad}");
        }
    }

    #[test]
    fn the_same_link_gives_the_same_program() {
        assert_eq!(exercise(7, 3), exercise(7, 3));
        let distinct: std::collections::HashSet<String> =
            (1..=20).map(|s| exercise(s, 1)).collect();
        assert!(distinct.len() > 5, "sets differ");
    }

    /// Every exercise of the first 200 sets compiles, and every number practice asks for, in both modes, is a short
    /// decimal (at most 6 places, below 10⁴): something to compute by hand.
    #[test]
    fn every_answer_is_a_short_decimal() {
        for set in 1..=200 {
            for ex in 1..=KINDS.len() as u32 {
                let s = GraphState::default().apply(GraphAction::Exercise(set, ex));
                assert_eq!(s.exercise, Some((set, ex)));
                assert!(s.practice.on);
                for mode in [Mode::Forward, Mode::Reverse] {
                    let s = s.apply(GraphAction::Mode(mode));
                    let program = exercise(set, ex);
                    let question: Box<dyn Fn(usize) -> Option<Question>> = match s.session() {
                        Some(ses) => Box::new(move |k| ses.question(mode, k)),
                        None => {
                            let a = s
                                .array_session()
                                .unwrap_or_else(|| panic!("{program}"))
                                .unwrap();
                            Box::new(move |k| a.question(mode, k))
                        }
                    };
                    let mut asked = 0;
                    for k in 1..=s.total() {
                        if let Some(q) = question(k) {
                            asked += 1;
                            assert!(
                                q.answer
                                    .data
                                    .iter()
                                    .all(|&x| x.abs() < 1e4 && x * 1e6 == (x * 1e6).round()),
                                "set {set} ex {ex} {mode:?} step {k}: {} = {:?}\n{program}",
                                q.name,
                                q.answer
                            );
                        }
                    }
                    assert!(
                        asked >= 2,
                        "set {set} ex {ex} {mode:?}: {asked} questions\n{program}"
                    );
                }
            }
        }
    }
}
