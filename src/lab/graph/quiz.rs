//! Practice mode: the graph lab hides the number a step is about to compute — in forward mode the active node's
//! tangent, in the backward sweep the adjoint the active node gathers from the nodes that read it — and the student
//! types it in. A wrong answer is answered with the rule and its numbers (not the result); a right one moves on.
//! On a numpy program the number is an array (a node's tangent or adjoint), typed as a nested list.

use super::arrays::ArraySession;
use super::{Mode, Session, StepView};
use crate::ad::trace::{bar, dot, ReverseStep};
use crate::base::array::{fmt_index, fmt_shape, Array};
use crate::base::decimal;
use crate::base::num::fmt_compact;
use crate::lang::agraph::{AGraph, AOpNode};
use crate::lang::graph::NodeId;

/// An array answer is typed whole up to this many numbers (a bigger node is for the engine, not for a hand).
pub const MAX_ASKED: usize = 16;

/// What one step asks.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The step that asks it.
    pub step: usize,
    pub node: NodeId,
    /// `v̇2`, `x̄`.
    pub name: String,
    /// A number (rank 0) in a scalar program; the node's tangent or adjoint in a numpy program.
    pub answer: Array,
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
        let a = match text.map(|t| parse_array(t, &q.answer.shape)) {
            Some(Err(why)) => {
                self.verdict = Some((false, why));
                return false;
            }
            a => a.map(Result::ok).flatten(),
        };
        let wrong = a.as_ref().map(|a| wrong_entries(a, &q.answer));
        let right = wrong.as_ref().is_some_and(|(n, _)| *n == 0);
        if !self.tried.contains(&k) {
            self.tried.push(k);
            self.asked += 1;
            self.right += right as u32;
        }
        let shown = match a {
            Some(a) if !right => match (q.answer.shape.is_empty(), wrong.unwrap_or_default()) {
                (true, _) => format!("Not {}", fmt_compact(a.data[0])),
                (false, (n, first)) => format!(
                    "Not right: {n} of its {} numbers differ, the first at [{first}]",
                    q.answer.len()
                ),
            },
            _ => {
                self.settled.push(k);
                let r = if right { "Right: " } else { "" };
                format!("{r}{} = {}", q.name, show(&q.answer))
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

/// A typed array: a number, or numpy's nested list (`[[1, 2], [3, 4]]`, also inside `np.array(...)`) whose entries
/// are answers as [`parse_answer`] reads them; it must have `shape`, except that one number stands for an array of
/// it (numpy's broadcasting). The error says what is wrong with it, in a sentence.
pub fn parse_array(text: &str, shape: &[usize]) -> Result<Array, String> {
    let t = text.trim();
    let t = t
        .strip_prefix("np.array(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t);
    let size: usize = shape.iter().product();
    if !t.starts_with('[') {
        let x = parse_answer(t).ok_or_else(|| {
            "That is not a number: type one such as 2, -0.5, 1e-3 or 1/3.".to_string()
        })?;
        return Ok(Array::new(shape.to_vec(), vec![x; size]));
    }
    nested_list(t, size)
        .and_then(|(got, data)| match got == shape {
            true => Ok(Array::new(got, data)),
            false => Err(format!(
                "it has shape {}, the answer {}",
                fmt_shape(&got),
                fmt_shape(shape)
            )),
        })
        .map_err(|why| {
            let like = Array::new(shape.to_vec(), (1..=size).map(|i| i as f64).collect());
            match shape.is_empty() {
                true => {
                    format!("That is not one number: {why}. Type a number such as 2, -0.5 or 1/3.")
                }
                false => format!(
                "That is not an array of shape {}: {why}. Type it as a nested list, such as {}.",
                fmt_shape(shape),
                show(&like)
            ),
            }
        })
}

/// A nested list's shape (its depth and lengths) and numbers, row-major; at most `size` numbers are read (past
/// [`MAX_ASKED`]).
fn nested_list(t: &str, size: usize) -> Result<(Vec<usize>, Vec<f64>), String> {
    // Per depth: the length every list there has (the first one's), and the items counted in the open list.
    let (mut lens, mut open, mut data) =
        (Vec::<Option<usize>>::new(), Vec::<usize>::new(), Vec::new());
    let mut item = String::new();
    let mut closed = false;
    // The depth numbers stand at: one, the deepest (lists hold numbers or lists, never both).
    let mut numbers_at: Option<usize> = None;
    let mut flush =
        |item: &mut String, data: &mut Vec<f64>, open: &mut Vec<usize>| -> Result<(), String> {
            let s = item.trim();
            if !s.is_empty() {
                if *numbers_at.get_or_insert(open.len()) != open.len() {
                    return Err("its numbers stand at different depths".into());
                }
                data.push(parse_answer(s).ok_or_else(|| format!("`{s}` is not a number"))?);
                if let Some(n) = open.last_mut() {
                    *n += 1;
                }
            }
            item.clear();
            Ok(())
        };
    for ch in t.chars() {
        if closed && !ch.is_whitespace() {
            return Err("there is text after the list".into());
        }
        match ch {
            '[' => {
                if !item.trim().is_empty() {
                    return Err(format!("`{}` stands before a list", item.trim()));
                }
                if let Some(n) = open.last_mut() {
                    *n += 1;
                }
                open.push(0);
                if lens.len() < open.len() {
                    lens.push(None);
                }
            }
            ']' => {
                flush(&mut item, &mut data, &mut open)?;
                let n = open.pop().ok_or("a `]` closes no list")?;
                let at = &mut lens[open.len()];
                match *at {
                    None => *at = Some(n),
                    Some(m) if m != n => return Err("its lists differ in length".into()),
                    Some(_) => {}
                }
                closed = open.is_empty();
            }
            ',' => flush(&mut item, &mut data, &mut open)?,
            c => item.push(c),
        }
        if data.len() > size.max(MAX_ASKED) {
            return Err("it has more numbers than the answer".into());
        }
    }
    if !open.is_empty() {
        return Err("a `[` is not closed".into());
    }
    // A list of numbers is the deepest level: `[]` has shape (0,).
    if numbers_at.is_some_and(|d| d != lens.len()) {
        return Err("its numbers stand at different depths".into());
    }
    let shape: Vec<usize> = lens.into_iter().map(|n| n.unwrap_or(0)).collect();
    if data.len() != shape.iter().product::<usize>() {
        return Err("its lists nest unevenly".into());
    }
    Ok((shape, data))
}

/// How many entries of `a` are not right ([`is_right`]) against `want`, and the first one's index (`0,1`).
fn wrong_entries(a: &Array, want: &Array) -> (usize, String) {
    let mut wrong = (0..want.len()).filter(|&i| !is_right(a.data[i], want.data[i]));
    let first = wrong.next();
    let n = first.map_or(0, |_| 1 + wrong.count());
    (
        n,
        first.map_or(String::new(), |i| fmt_index(&want.shape, i)),
    )
}

/// A number, or an array as a nested list of short numbers (`[[1, 2], [3, 4]]`).
pub fn show(a: &Array) -> String {
    crate::base::array::nested_list(a, &fmt_compact)
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
                    answer: Array::scalar(s.tangent),
                    hint: s.sum(g),
                })
            }
            Mode::Reverse => match self.reverse.steps.get(i)? {
                ReverseStep::Adjoint { node, adjoint, .. } => Some(Question {
                    step: k,
                    node: *node,
                    name: bar(&g.label(*node)),
                    answer: Array::scalar(*adjoint),
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

impl ArraySession {
    /// What step `k` of `mode` asks on a numpy program: forward, the tangent of each operation; in the backward
    /// sweep, the adjoint of each node the sweep reaches, inputs included. A node of more than [`MAX_ASKED`]
    /// numbers asks nothing.
    pub fn question(&self, mode: Mode, k: usize) -> Option<Question> {
        let at = self.at(mode, k);
        let node = at.active?;
        let g = self.graph();
        let names = crate::transform::arrays::value_names(g);
        let (name, answer, hint) = match (mode, at.backward) {
            (Mode::Forward, _) if matches!(g.nodes[node].op, AOpNode::Prim(..)) => (
                dot(&names[node]),
                &self.tangents[node],
                crate::transform::arrays::tangent_rule(g, node, &self.moving),
            ),
            (Mode::Reverse, true) => {
                let reached: Vec<bool> = self.adjoints.iter().map(Option::is_some).collect();
                (
                    bar(&names[node]),
                    self.adjoints[node].as_ref()?,
                    crate::transform::arrays::adjoint_rule(g, node, &reached),
                )
            }
            _ => return None,
        };
        (answer.len() <= MAX_ASKED).then(|| Question {
            step: k,
            node: NodeId(node as u32),
            name,
            answer: answer.clone(),
            hint,
        })
    }

    /// The numbers the rule of question `q` reads, each named as the rule names it: forward, the arguments' values
    /// and tangents (the node's own value is shown with it); backward, each reader's adjoint, its value and its
    /// arguments' values.
    pub fn reads(&self, mode: Mode, q: &Question) -> Vec<(String, &Array)> {
        let g = self.graph();
        let names = crate::transform::arrays::value_names(g);
        let node = q.node.index();
        let args = |r: usize| match &g.nodes[r].op {
            AOpNode::Prim(_, args) => args.iter().map(|p| p.index()).collect(),
            _ => Vec::new(),
        };
        // Each number read once; constant numbers are written into the rule.
        fn pick<'a>(
            out: &mut Vec<(String, &'a Array)>,
            g: &AGraph,
            p: usize,
            name: String,
            a: Option<&'a Array>,
        ) {
            let folded = matches!(&g.nodes[p].op, AOpNode::Const(c) if c.shape.is_empty());
            if let (false, Some(a)) = (folded || out.iter().any(|(n, _)| *n == name), a) {
                out.push((name, a));
            }
        }
        let mut out = Vec::new();
        if mode == Mode::Forward {
            for p in args(node) {
                pick(&mut out, g, p, names[p].clone(), Some(&self.values[p]));
                if self.moving[p] {
                    pick(&mut out, g, p, dot(&names[p]), Some(&self.tangents[p]));
                }
            }
            return out;
        }
        for r in (node + 1..g.nodes.len()).rev() {
            let a = args(r);
            if self.adjoints[r].is_some() && a.contains(&node) {
                pick(&mut out, g, r, bar(&names[r]), self.adjoints[r].as_ref());
                pick(&mut out, g, r, names[r].clone(), Some(&self.values[r]));
                for p in a {
                    pick(&mut out, g, p, names[p].clone(), Some(&self.values[p]));
                }
            }
        }
        out
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
        assert_eq!((q.name.as_str(), q.answer.data[0]), ("v̄2", 1.0));
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
        assert_eq!(x.answer, Array::scalar(1.0));
        assert!(x.hint.contains("seed"), "{}", x.hint);
        let v2 = ses.question(Mode::Forward, 4).unwrap();
        assert_eq!((v2.name.as_str(), v2.answer.data[0]), ("v̇2", 2.0));
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

    /// Exercise 6 of set 3, a numpy program, in reverse mode: the backward sweep asks each adjoint as an array, with
    /// the rule in numpy and the numbers it reads; an answer of the wrong shape is explained and not counted.
    #[test]
    fn an_array_practice_session() {
        let s = GraphState::default()
            .apply(GraphAction::Mode(Mode::Reverse))
            .apply(GraphAction::Exercise(3, 6))
            .apply(GraphAction::Step(5));
        assert!(crate::lab::graph::exercise(3, 6)
            .contains("def f(W=np.array([[1.0, 3.0], [0.0, 2.0]]), x=np.array([3.0, 1.0])):\n  h = W @ x\n  return np.sum(h * h)"));
        let a = s.array_session().unwrap().unwrap();
        assert_eq!(
            a.question(Mode::Reverse, 5),
            None,
            "the forward sweep asks nothing"
        );
        let q = a.question(Mode::Reverse, 6).unwrap();
        assert_eq!(
            (q.name.as_str(), q.answer.clone(), q.hint.as_str()),
            ("v̄4", Array::scalar(1.0), "v̄4 = 1 (the seed)")
        );
        let q = a.question(Mode::Reverse, 8).unwrap();
        assert_eq!(
            (q.name.as_str(), q.hint.as_str()),
            ("v̄2", "v̄2 = v̄3 * v2 + v̄3 * v2")
        );
        assert_eq!(q.answer, Array::new(vec![2], vec![12.0, 4.0]));
        let reads: Vec<(String, Vec<f64>)> = a
            .reads(Mode::Reverse, &q)
            .into_iter()
            .map(|(n, v)| (n, v.data.clone()))
            .collect();
        assert!(
            reads.contains(&("v̄3".into(), vec![1.0, 1.0]))
                && reads.contains(&("v2".into(), vec![6.0, 2.0])),
            "{reads:?}"
        );
        let s = s
            .apply(GraphAction::Step(8))
            .apply(GraphAction::Answer(Some("[12, 5]".into()), q.clone()));
        let (right, text) = s.practice.verdict.clone().unwrap();
        assert!(!right && text.starts_with("Not right: 1 of its 2 numbers differ, the first at [1]. The rule: v̄2 = v̄3 * v2"), "{text}");
        let s = s.apply(GraphAction::Answer(Some("[12, 4".into()), q.clone()));
        assert!(s
            .practice
            .verdict
            .clone()
            .unwrap()
            .1
            .contains("a `[` is not closed"));
        let s = s.apply(GraphAction::Answer(Some(" np.array([12, 4.0]) ".into()), q));
        assert_eq!((s.step, s.practice.right, s.practice.asked), (9, 0, 1));
        assert_eq!(
            s.practice.verdict.clone().unwrap().1,
            "Right: v̄2 = [12, 4]. The rule: v̄2 = v̄3 * v2 + v̄3 * v2."
        );
        let q = a.question(Mode::Reverse, 9).unwrap();
        assert_eq!(
            (q.name.as_str(), q.hint.as_str()),
            ("x̄", "x̄ = np.transpose(W) @ v̄2")
        );
        let q = a.question(Mode::Reverse, 10).unwrap();
        assert_eq!(q.hint, "W̄ = np.outer(v̄2, x)");
        let s = s
            .apply(GraphAction::Step(10))
            .apply(GraphAction::Answer(Some("[[36, 12], [12, 4]]".into()), q));
        assert_eq!((s.practice.right, s.practice.asked), (1, 2));
        // Forward mode asks each operation's tangent along W[0,0].
        let f = s.apply(GraphAction::Mode(Mode::Forward));
        let a = f.array_session().unwrap().unwrap();
        let q = a.question(Mode::Forward, 3).unwrap();
        assert_eq!(
            (q.name.as_str(), q.hint.as_str()),
            ("v̇2", "v̇2 = W\u{307} @ x")
        );
        assert_eq!(q.answer.data, [3.0, 0.0]);
        assert_eq!(
            a.question(Mode::Forward, 1),
            None,
            "inputs are seeded, not asked"
        );
    }

    #[test]
    fn arrays_are_typed_as_nested_lists() {
        let ok = |t: &str, shape: &[usize]| parse_array(t, shape).unwrap();
        assert_eq!(
            ok("[[1, 2], [3, 1/4]]", &[2, 2]).data,
            [1.0, 2.0, 3.0, 0.25]
        );
        assert_eq!(ok("np.array([1, -2.5])", &[2]).data, [1.0, -2.5]);
        assert_eq!(
            ok("0", &[2, 2]).data,
            [0.0; 4],
            "a number stands for every entry"
        );
        for (t, why) in [
            ("[1, 2", "a `[` is not closed"),
            ("[[1, 2], [3]]", "its lists differ in length"),
            ("[1, 2, 3]", "it has shape (3,), the answer (2,)"),
            ("[1, [2]]", "its numbers stand at different depths"),
            ("[1, x]", "`x` is not a number"),
            ("[1, 2] 3", "there is text after the list"),
            ("two", "That is not a number"),
        ] {
            let e = parse_array(t, &[2]).unwrap_err();
            assert!(e.contains(why), "{t}: {e}");
        }
        assert!(parse_array(&format!("[{}]", "1, ".repeat(10_000)), &[2])
            .unwrap_err()
            .contains("more numbers"));
        // Mangled answers: never a panic, and what is read has the asked shape.
        let mut r = crate::base::random::SplitMix64::new(5);
        let pieces = [
            "[",
            "]",
            ",",
            " ",
            "1",
            "-2.5",
            "1/3",
            "x",
            "np.array(",
            ")",
            "[[",
            "]]",
            "e",
            ".",
        ];
        for _ in 0..20_000 {
            let text: String = (0..r.below(12))
                .map(|_| pieces[r.below(pieces.len() as u64) as usize])
                .collect();
            let shape: &[usize] = [&[][..], &[2], &[2, 2], &[1, 3]][r.below(4) as usize];
            if let Ok(a) = parse_array(&text, shape) {
                assert_eq!(a.shape.as_slice(), shape, "{text}");
                assert_eq!(a.len(), shape.iter().product::<usize>(), "{text}");
            }
        }
    }
}
