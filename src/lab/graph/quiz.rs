//! Practice mode: the graph lab hides the number a step is about to compute — in forward mode the active node's
//! tangent, in the backward sweep the adjoint the active node gathers from the nodes that read it — and the student
//! types it in. A wrong answer is answered with the rule and its numbers (not the result); a right one moves on.

use super::{Mode, Session, StepView};
use crate::ad::trace::{bar, dot, ReverseStep};
use crate::base::decimal;
use crate::base::num::fmt_compact;
use crate::lang::graph::NodeId;

/// What one step asks.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The step that asks it.
    pub step: usize,
    pub node: NodeId,
    /// `v̇2`, `x̄`.
    pub name: String,
    pub answer: f64,
    /// The rule with its numbers filled in, without the result.
    pub hint: String,
}

/// The student's progress: the score, the steps already settled (answered right or revealed), the last verdict.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Practice {
    pub on: bool,
    /// Questions answered right at the first try.
    pub right: u32,
    /// Questions answered or revealed (each counts once).
    pub asked: u32,
    pub settled: Vec<usize>,
    pub tried: Vec<usize>,
    /// The last verdict: right or not, and what it says.
    pub verdict: Option<(bool, String)>,
}

impl Practice {
    /// Whether step `k`'s number is still for the student to find.
    pub fn open(&self, k: usize) -> bool {
        self.on && !self.settled.contains(&k)
    }

    /// Judges `text` as the answer to `q` (`None`: reveal it); true when it is right.
    pub fn answer(&mut self, text: Option<&str>, q: &Question) -> bool {
        let k = q.step;
        let a = text.map(parse_answer);
        if a == Some(None) {
            self.verdict = Some((
                false,
                "That is not a number: type one such as 2, -0.5, 1e-3 or 1/3.".into(),
            ));
            return false;
        }
        let a = a.flatten();
        if !self.tried.contains(&k) {
            self.tried.push(k);
            self.asked += 1;
            self.right += a.is_some_and(|a| is_right(a, q.answer)) as u32;
        }
        let right = a.is_some_and(|a| is_right(a, q.answer));
        let shown = match a {
            Some(a) if !right => format!("Not {}", fmt_compact(a)),
            _ => {
                self.settled.push(k);
                let r = if right { "Right: " } else { "" };
                format!("{r}{} = {}", q.name, fmt_compact(q.answer))
            }
        };
        let tail = if right {
            ""
        } else {
            " — try again, or reveal the answer"
        };
        self.verdict = Some((right, format!("{shown}. The rule: {}{tail}.", q.hint)));
        right
    }

    /// A new graph, mode or seed: the same steps ask other questions. The score stays.
    pub fn restart(&mut self) {
        self.settled.clear();
        self.tried.clear();
    }
}

/// A typed answer: a number (`2`, `-0.5`, `1e-3`, `−2`), a fraction of two (`1/3`), `inf`, `-inf` or `nan`.
pub fn parse_answer(text: &str) -> Option<f64> {
    let t = text.trim().replace('−', "-");
    if let Some((a, b)) = t.split_once('/') {
        return Some(parse_answer(a)? / parse_answer(b)?);
    }
    match t.to_ascii_lowercase().as_str() {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => decimal::parse(&t),
    }
}

/// Within 1e-9 relative of the answer (or 1e-12 absolute, for answers that are zero but for rounding); NaN is NaN
/// and an infinity is itself.
pub fn is_right(a: f64, want: f64) -> bool {
    if want.is_nan() || !want.is_finite() {
        return a.to_bits() == want.to_bits() || (a.is_nan() && want.is_nan());
    }
    let d = (a - want).abs();
    d <= 1e-9 * want.abs() || d <= 1e-12
}

impl Session {
    /// What step `k` of `mode` asks: none for step 0 and for the forward sweep of reverse mode (it stores values).
    pub fn question(&self, mode: Mode, k: usize) -> Option<Question> {
        let g = self.graph();
        let i = k.checked_sub(1)?;
        match mode {
            Mode::Forward => {
                let s = self.forward.steps.get(i)?;
                Some(Question {
                    step: k,
                    node: s.node,
                    name: dot(&g.label(s.node)),
                    answer: s.tangent,
                    hint: s.sum(g),
                })
            }
            Mode::Reverse => match self.reverse.steps.get(i)? {
                ReverseStep::Adjoint { node, adjoint, .. } => Some(Question {
                    step: k,
                    node: *node,
                    name: bar(&g.label(*node)),
                    answer: *adjoint,
                    hint: self.reverse.gather(g, *node),
                }),
                ReverseStep::Primal { .. } => None,
            },
        }
    }

    /// Step `k` as practice shows it (`practice`: `None` when it is off, else whether the step's question is still
    /// open): an open question's number is hidden; in the backward sweep the adjoints of the nodes not reached yet are
    /// hidden too (their partial sums would give later answers away).
    pub fn practice_view(&self, mode: Mode, k: usize, practice: Option<bool>) -> StepView {
        let mut v = self.view(mode, k);
        let (Some(open), Some(q)) = (practice, self.question(mode, k)) else {
            return v;
        };
        if mode == Mode::Reverse {
            for step in &self.reverse.steps[k - 1 + !open as usize..] {
                let node = step.node();
                v.cells[node.index()].adjoint = None;
                v.edge_values.retain(|e| e.0 != node);
            }
        }
        if open {
            v.cells[q.node.index()].tangent = None;
            v.rule.truncate((mode == Mode::Forward) as usize);
            v.rule.push(format!("Your turn: {} = ?", q.name));
            v.announce = format!("Step {k}: your turn, type {}.", q.name);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::super::{GraphAction, GraphState};
    use super::*;
    use crate::lab::ChapterModel;

    #[test]
    fn answers_are_numbers_fractions_and_the_special_values() {
        assert_eq!(parse_answer(" 2 "), Some(2.0));
        assert_eq!(parse_answer("−0.5"), Some(-0.5));
        assert_eq!(parse_answer("1/3"), Some(1.0 / 3.0));
        assert_eq!(parse_answer("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_answer("NaN").unwrap().is_nan());
        assert_eq!(parse_answer("two"), None);
        assert_eq!(parse_answer(""), None);
        assert!(is_right(0.333333333333, 1.0 / 3.0));
        assert!(!is_right(0.3333333, 1.0 / 3.0));
        assert!(is_right(0.0, 1e-17));
        assert!(!is_right(f64::INFINITY, f64::NEG_INFINITY));
        assert!(is_right(f64::NAN, f64::NAN));
    }

    /// The lecture's y·x² in reverse mode: the backward sweep asks v̄2, v̄1, ȳ, x̄ (1, 1, 1, 2).
    #[test]
    fn a_reverse_practice_session_on_y_x_squared() {
        let s = GraphState::default()
            .apply(GraphAction::Mode(Mode::Reverse))
            .apply(GraphAction::Quiz(true))
            .apply(GraphAction::Step(4));
        let ses = s.session().unwrap();
        let g = ses.graph();
        assert_eq!(
            ses.question(Mode::Reverse, 4),
            None,
            "the forward sweep asks nothing"
        );
        let s = s.apply(GraphAction::Next);
        let q = ses.question(Mode::Reverse, 5).unwrap();
        assert_eq!((q.name.as_str(), q.answer), ("v̄2", 1.0));
        // Hidden: this step's adjoint, and every partial sum below it.
        let v = ses.practice_view(Mode::Reverse, 5, Some(true));
        assert!(v.cells.iter().all(|c| c.adjoint.is_none()));
        assert_eq!(v.rule, vec!["Your turn: v̄2 = ?".to_string()]);
        let s = s.apply(GraphAction::Answer(Some("1".into()), q));
        assert_eq!(s.step, 6, "a right answer moves on");
        let q = ses.question(Mode::Reverse, 6).unwrap();
        assert_eq!(q.hint, "v̄1 = v̄2·y = 1·1");
        let v = ses.practice_view(Mode::Reverse, 6, Some(true));
        let shown = |l: &str| v.cells[g.find(l).unwrap().index()].adjoint;
        assert_eq!(
            (shown("v2"), shown("v1"), shown("y")),
            (Some(1.0), None, None)
        );
        let s = s.apply(GraphAction::Answer(Some("3".into()), q.clone()));
        let (right, text) = s.practice.verdict.clone().unwrap();
        assert!(!right);
        assert!(text.contains("Not 3. The rule: v̄1 = v̄2·y = 1·1"), "{text}");
        assert_eq!(s.step, 6);
        let s = s.apply(GraphAction::Answer(Some("1".into()), q));
        assert_eq!((s.step, s.practice.right, s.practice.asked), (7, 1, 2));
        let q = ses.question(Mode::Reverse, 7).unwrap();
        assert_eq!(
            (q.name.as_str(), q.hint.as_str()),
            ("x̄", "x̄ = v̄1·2·x = 1·2")
        );
        let s = s.apply(GraphAction::Answer(None, q));
        assert_eq!((s.step, s.practice.right, s.practice.asked), (7, 1, 3));
        assert!(!s.practice.open(7));
        let q = ses.question(Mode::Reverse, 8).unwrap();
        assert_eq!(
            (q.name.as_str(), q.hint.as_str()),
            ("y\u{304}", "y\u{304} = v̄2·v1 = 1·1")
        );
        let s = s
            .apply(GraphAction::Next)
            .apply(GraphAction::Answer(Some("1".into()), q));
        assert_eq!((s.step, s.practice.right, s.practice.asked), (8, 2, 4));
        assert_eq!(
            ses.practice_view(Mode::Reverse, 8, Some(false)),
            ses.view(Mode::Reverse, 8)
        );
        // Practice off: every number shown, the partial sums too.
        for k in 0..=8 {
            assert_eq!(
                ses.practice_view(Mode::Reverse, k, None),
                ses.view(Mode::Reverse, k)
            );
        }
        let v = ses.practice_view(Mode::Reverse, 6, Some(false));
        assert_eq!(
            v.cells[g.find("y").unwrap().index()].adjoint,
            None,
            "not reached yet"
        );
        assert!(s.query().contains(&("quiz".into(), "1".into())));
    }

    /// An answer reaches the model after a play moved on: it is judged for the step that asked, and the step stays.
    #[test]
    fn an_answer_belongs_to_the_step_that_asked() {
        let s = GraphState::default()
            .apply(GraphAction::Quiz(true))
            .apply(GraphAction::Step(3));
        let q = s.session().unwrap().question(Mode::Forward, 3).unwrap();
        let s = s
            .apply(GraphAction::Next)
            .apply(GraphAction::Answer(Some("2".into()), q));
        assert_eq!(s.step, 4);
        assert!(s.practice.settled.contains(&3) && !s.practice.settled.contains(&4));
        assert_eq!((s.practice.right, s.practice.asked), (1, 1));
    }

    #[test]
    fn forward_practice_hides_the_tangent_and_explains_seeds_and_sums() {
        let s = GraphState::default().apply(GraphAction::Quiz(true));
        let ses = s.session().unwrap();
        let g = ses.graph();
        let x = ses
            .question(Mode::Forward, 1 + g.find("x").unwrap().index())
            .unwrap();
        assert_eq!(x.answer, 1.0);
        assert!(x.hint.contains("seed"), "{}", x.hint);
        let v2 = ses.question(Mode::Forward, 4).unwrap();
        assert_eq!((v2.name.as_str(), v2.answer), ("v̇2", 2.0));
        assert!(
            v2.hint.ends_with("= 1·0 + 1·2") || v2.hint.ends_with("= 1·2 + 1·0"),
            "{}",
            v2.hint
        );
        let v = ses.practice_view(Mode::Forward, 4, Some(true));
        assert_eq!(v.cells[v2.node.index()].tangent, None);
        assert_eq!(v.cells[v2.node.index()].primal, Some(1.0));
        assert_eq!(v.rule[1], "Your turn: v̇2 = ?");
        // Not a number: said so, and not counted.
        let s = s
            .apply(GraphAction::Step(4))
            .apply(GraphAction::Answer(Some("two".into()), v2));
        assert_eq!(s.practice.asked, 0);
        assert!(s.practice.verdict.unwrap().1.contains("not a number"));
    }
}
