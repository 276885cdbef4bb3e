//! Chapter "The computational graph" (`#/graph`): forward (tangent) and reverse (adjoint) propagation, one node per
//! step, on the graph of the user's program.
//!
//! [`GraphState`] is what the user chose (program, inputs, mode, seed, step); [`Session`] is everything computed from
//! the program and inputs (layout, both traces, Jacobians, generated code); [`StepView`] is what one step shows
//! (in [`narrate`]).

pub mod arrays;
mod exercises;
pub mod export;
mod narrate;
mod quiz;
mod session;

pub use exercises::{exercise, KINDS};
pub use narrate::{Cells, StepView};
pub use quiz::{show, Practice, Question, MAX_ASKED};
pub use session::{CodeCheck, Programs, Session, Sketch, MAX_DRAWN_NODES};

use super::program::{Example, ProgramAction, ProgramState, LOGISTIC, Y_X_SQUARED};
use super::{ChapterModel, Shared};
use crate::base::url::Location;
use crate::lang::Limits;

pub const EXAMPLES: &[Example] = &[
    Y_X_SQUARED,
    LOGISTIC,
    Example {
        title: "fan-out: x feeds three operations",
        source: "def f(x, y):\n  a = x * y\n  b = sin(x)\n  c = x ** 2\n  return a + b + c\n",
        inputs: &[("x", 0.5), ("y", 2.0)],
    },
    Example {
        title: "Rⁿ → R: three inputs, one output",
        source: "def f(x, y, z):\n  return x * y * z + sin(x)\n",
        inputs: &[("x", 1.0), ("y", 2.0), ("z", 3.0)],
    },
    Example {
        title: "R → Rᵐ: one input, three outputs",
        source: "def f(t):\n  return cos(t), sin(t), t ** 2\n",
        inputs: &[("t", 0.5)],
    },
    Example {
        title: "logistic map, n = 50 (a big graph)",
        source:
            "def f(x, n=50):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n",
        inputs: &[("x", 0.25)],
    },
];

/// The graph lab compiles at most this many nodes (each step keeps per-node records).
pub fn limits() -> Limits {
    Limits {
        max_nodes: 20_000,
        max_steps: 1_000_000,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Forward,
    Reverse,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Forward => "forward",
            Mode::Reverse => "reverse",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphState {
    pub program: ProgramState,
    pub mode: Mode,
    /// Index of the input seeded with tangent 1 (forward mode).
    pub wrt: usize,
    /// Index of the output seeded with adjoint 1 (reverse mode).
    pub out: usize,
    /// 0 = before the first step.
    pub step: usize,
    pub practice: Practice,
    /// The exercise shown, (set, number), while its program is not edited.
    pub exercise: Option<(u32, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GraphAction {
    Program(ProgramAction),
    Mode(Mode),
    Wrt(usize),
    Out(usize),
    Step(usize),
    Next,
    Prev,
    Reset,
    End,
    /// Practice mode on or off.
    Quiz(bool),
    /// An answer typed for the question this step asks (`None`: reveal it).
    Answer(Option<String>, Question),
    /// Exercise (set, number): its program, in practice mode.
    Exercise(u32, u32),
}

impl Default for GraphState {
    fn default() -> GraphState {
        GraphState::from_example(&EXAMPLES[0])
    }
}

impl GraphState {
    pub fn from_example(e: &Example) -> GraphState {
        GraphState::from_program(ProgramState::from_example_in(e, limits(), true))
    }

    fn from_program(program: ProgramState) -> GraphState {
        GraphState {
            wrt: default_wrt(&program),
            program,
            mode: Mode::Forward,
            out: 0,
            step: 0,
            practice: Practice::default(),
            exercise: None,
        }
    }

    /// Exercise `ex` of set `set` (each clamped to what exists), in practice mode.
    fn exercise(&self, set: u32, ex: u32) -> GraphState {
        let (set, ex) = (
            set.clamp(1, exercises::MAX_SET),
            ex.clamp(1, KINDS.len() as u32),
        );
        let program = ProgramState::new_in(&exercise(set, ex), &[], limits(), true);
        GraphState {
            mode: self.mode,
            practice: Practice {
                on: true,
                ..self.practice.clone()
            },
            exercise: Some((set, ex)),
            ..GraphState::from_program(program)
        }
    }

    /// Number of steps in the current mode: one per node forward; in reverse, one per node for the forward sweep and
    /// one per node for the backward sweep.
    pub fn total(&self) -> usize {
        let n = match (self.program.graph(), self.traced()) {
            (Some(g), _) => g.len(),
            (None, Some(t)) => arrays::shown_nodes(&t.graph).len(),
            (None, None) => 0,
        };
        match self.mode {
            Mode::Forward => n,
            Mode::Reverse => 2 * n,
        }
    }

    /// The numpy program, traced at array granularity (when the scalar lowering does not read it).
    pub fn traced(&self) -> Option<&Shared<crate::lab::program::Traced>> {
        self.program
            .traced
            .as_ref()
            .filter(|_| self.program.compiled.is_none())
    }

    /// The graph lab on a numpy program, seeded along input number `wrt`.
    pub fn array_session(&self) -> Option<Result<arrays::ArraySession, String>> {
        self.array_session_after(None)
    }

    /// [`GraphState::array_session`] from the `previous` one: of the same traced program, only what the seed changes
    /// is made again.
    pub fn array_session_after(
        &self,
        previous: Option<&arrays::ArraySession>,
    ) -> Option<Result<arrays::ArraySession, String>> {
        let traced = self.traced()?;
        Some(match previous {
            Some(p) if p.traced == *traced => Ok(p.reseed(self.wrt)),
            _ => arrays::ArraySession::new_after(traced, self.wrt, previous),
        })
    }

    fn clamp(mut self) -> GraphState {
        let (ni, no) = match (self.program.graph(), self.traced()) {
            (Some(g), _) => (g.inputs.len(), g.outputs.len()),
            (None, Some(t)) => (arrays::number_count(&t.graph), 1),
            (None, None) => (0, 0),
        };
        self.wrt = self.wrt.min(ni.saturating_sub(1));
        self.out = self.out.min(no.saturating_sub(1));
        self.step = self.step.min(self.total());
        self
    }

    /// Everything computed from the program and its inputs, if both are valid.
    pub fn session(&self) -> Option<Session> {
        let sketch = Shared::new(Sketch::new(self.program.graph()?));
        self.session_with(&sketch, &Shared::new(self.programs()?))
    }

    /// The derivative programs for this program and these seeds.
    pub fn programs(&self) -> Option<Programs> {
        let compiled = self.program.compiled.as_ref()?;
        Some(Programs::new(compiled, self.wrt, self.out))
    }

    /// [`GraphState::session`] reusing the drawing of the same graph and the derivative programs of the same program
    /// and seeds (neither depends on the inputs' values).
    pub fn session_with(
        &self,
        sketch: &Shared<Sketch>,
        programs: &Shared<Programs>,
    ) -> Option<Session> {
        let compiled = self.program.compiled.as_ref()?;
        let values = self.program.values()?;
        Some(Session::new(
            compiled,
            sketch.clone(),
            programs.clone(),
            &values,
            self.wrt,
            self.out,
        ))
    }
}

impl ChapterModel for GraphState {
    type Action = GraphAction;

    fn apply(&self, action: GraphAction) -> GraphState {
        let mut s = self.clone();
        // Only an answer keeps the verdict; only a step keeps the settled questions (a new program, input, mode or
        // seed asks other questions at the same steps).
        s.practice.verdict = None;
        if matches!(
            action,
            GraphAction::Program(_)
                | GraphAction::Mode(_)
                | GraphAction::Wrt(_)
                | GraphAction::Out(_)
                | GraphAction::Exercise(..)
        ) {
            s.practice.restart();
        }
        match action {
            GraphAction::Program(ProgramAction::Example(i)) => {
                if let Some(e) = EXAMPLES.get(i) {
                    s = GraphState {
                        mode: self.mode,
                        practice: s.practice.clone(),
                        ..GraphState::from_example(e)
                    };
                }
            }
            GraphAction::Exercise(set, ex) => s = s.exercise(set, ex),
            GraphAction::Program(a) => {
                s.exercise = None;
                // The seed follows its input by name while the program is edited.
                let seeded = self
                    .program
                    .graph()
                    .and_then(|g| g.inputs.get(self.wrt))
                    .map(|i| i.name.clone());
                s.program = self.program.apply(a, EXAMPLES);
                if let (Some(name), Some(g)) = (seeded, s.program.graph()) {
                    s.wrt = g.input_index(&name).unwrap_or(s.wrt);
                }
            }
            GraphAction::Mode(m) => {
                if m != s.mode {
                    s.mode = m;
                    s.step = 0;
                }
            }
            GraphAction::Wrt(i) => s.wrt = i,
            GraphAction::Out(i) => s.out = i,
            GraphAction::Quiz(on) => {
                s.practice = Practice {
                    on,
                    ..Practice::default()
                }
            }
            // Judged as the answer to the step that asked (a play may have moved on since); a right one moves on.
            GraphAction::Answer(text, q) => {
                if s.practice.answer(text.as_deref(), &q) && s.step == q.step {
                    s.step += 1;
                }
            }
            GraphAction::Step(k) => s.step = k,
            GraphAction::Next => s.step += 1,
            GraphAction::Prev => s.step = s.step.saturating_sub(1),
            GraphAction::Reset => s.step = 0,
            GraphAction::End => s.step = usize::MAX,
        }
        s.clamp()
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = match self.exercise {
            Some((set, ex)) => vec![
                ("set".into(), set.to_string()),
                ("ex".into(), ex.to_string()),
            ],
            None => self.program.query(),
        };
        q.push(("mode".into(), self.mode.name().into()));
        if let Some(t) = self.traced() {
            if let Some(name) = arrays::number_name(&t.graph, self.wrt) {
                q.push(("wrt".into(), name));
            }
        }
        if let Some(g) = self.program.graph() {
            if let Some(i) = g.inputs.get(self.wrt) {
                q.push(("wrt".into(), i.name.clone()));
            }
            if g.outputs.len() > 1 {
                q.push(("out".into(), (self.out + 1).to_string()));
            }
        }
        q.push(("step".into(), self.step.to_string()));
        if self.practice.on {
            q.push(("quiz".into(), "1".into()));
        }
        q
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> GraphState {
        let mut s = match (loc.get("set"), loc.get("ex")) {
            (None, None) => GraphState::from_program(ProgramState::from_query_in(
                loc,
                &EXAMPLES[0],
                limits(),
                true,
                notices,
            )),
            (set, ex) => {
                let n = |v: Option<&str>| v.and_then(|v| v.parse::<u32>().ok());
                match (n(set), n(ex)) {
                    (Some(set @ 1..=exercises::MAX_SET), Some(ex))
                        if (1..=KINDS.len() as u32).contains(&ex) =>
                    {
                        GraphState::default().exercise(set, ex)
                    }
                    _ => {
                        notices.push(format!(
                            "`set={}&ex={}` is not an exercise (sets 1 to {}, exercises 1 to {}); showing set 1, \
                             exercise 1",
                            set.unwrap_or(""),
                            ex.unwrap_or(""),
                            exercises::MAX_SET,
                            KINDS.len()
                        ));
                        GraphState::default().exercise(1, 1)
                    }
                }
            }
        };
        match loc.get("quiz") {
            None | Some("0") => {}
            Some("1") => s.practice.on = true,
            Some(q) => notices.push(format!("`quiz={q}` is neither 0 nor 1; practice is off")),
        }
        match loc.get("mode") {
            None | Some("forward") => {}
            Some("reverse") => s.mode = Mode::Reverse,
            Some(m) => notices.push(format!(
                "`mode={m}` is neither forward nor reverse; showing forward mode"
            )),
        }
        if let (Some(w), Some(t)) = (loc.get("wrt"), s.traced()) {
            match arrays::number_names(&t.graph).iter().position(|n| n == w) {
                Some(i) => s.wrt = i,
                None => notices.push(format!(
                    "`wrt={w}`: the program has no input number `{w}`; seeding the first"
                )),
            }
        }
        if let (Some(w), Some(g)) = (loc.get("wrt"), s.program.graph()) {
            match g.input_index(w) {
                Some(i) => s.wrt = i,
                None => notices.push(format!(
                    "`wrt={w}`: the program has no input `{w}`; seeding the first input"
                )),
            }
        }
        if let (Some(o), Some(g)) = (loc.get("out"), s.program.graph()) {
            match o.parse::<usize>() {
                Ok(k) if (1..=g.outputs.len()).contains(&k) => s.out = k - 1,
                _ => notices.push(format!(
                    "`out={o}` is not an output number (1 to {}); using 1",
                    g.outputs.len()
                )),
            }
        }
        s.step = super::step_from_link(loc, s.total(), notices);
        s
    }
}

/// The input forward mode seeds by default: `x` if there is one (as on the slides), else the first.
fn default_wrt(p: &ProgramState) -> usize {
    p.graph().and_then(|g| g.input_index("x")).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(s: &GraphState) -> Session {
        s.session().unwrap()
    }

    #[test]
    fn forward_steps_of_the_lecture_example() {
        let s = GraphState::default(); // y * x**2 at (1, 1), seeded on x as on the slides
        let g = s.program.compiled.clone().unwrap();
        let g = &g.graph;
        assert_eq!(s.wrt, g.input_index("x").unwrap());
        let ses = session(&s);
        assert_eq!(s.total(), 4);
        let at = |k: usize, label: &str| {
            ses.view(Mode::Forward, k).cells[g.find(label).unwrap().index()]
        };
        assert_eq!(at(0, "x").primal, None);
        assert_eq!(at(2, "x").tangent, Some(1.0));
        assert_eq!(at(2, "y").tangent, Some(0.0));
        assert_eq!(at(2, "v1").tangent, None);
        assert_eq!(at(3, "v1").tangent, Some(2.0));
        assert_eq!(at(4, "v2").tangent, Some(2.0));
        let v = ses.view(Mode::Forward, 4);
        assert_eq!(v.active, g.find("v2"));
        assert_eq!(v.hot_edges.len(), 2);
        assert!(v.rule[0].starts_with("v2 = y·v1 = 1"), "{:?}", v.rule);
    }

    #[test]
    fn reverse_steps_store_then_push() {
        let s = GraphState::default().apply(GraphAction::Mode(Mode::Reverse));
        let g = s.program.compiled.clone().unwrap();
        let g = &g.graph;
        let ses = session(&s);
        assert_eq!(s.total(), 8);
        let v = ses.view(Mode::Reverse, 4);
        assert_eq!(v.stored, 4);
        assert!(v
            .cells
            .iter()
            .all(|c| c.primal.is_some() && c.adjoint.is_none()));
        let adj = |k: usize, l: &str| {
            ses.view(Mode::Reverse, k).cells[g.find(l).unwrap().index()].adjoint
        };
        assert_eq!(adj(5, "v2"), Some(1.0));
        assert_eq!(adj(5, "y"), Some(1.0));
        assert_eq!(adj(5, "v1"), Some(1.0));
        assert_eq!(adj(5, "x"), None);
        assert_eq!(adj(6, "x"), Some(2.0));
        let done = ses.view(Mode::Reverse, 8);
        assert!(done.rule.last().unwrap().contains("∂f/∂x = 2"));
    }

    #[test]
    fn permalink_state_round_trips_and_bad_values_fall_back() {
        let s = GraphState::default()
            .apply(GraphAction::Mode(Mode::Reverse))
            .apply(GraphAction::Step(5));
        let url = crate::base::url::build("/graph", &s.query());
        let mut notices = Vec::new();
        let back = GraphState::from_location(&Location::parse(&url), &mut notices);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (back.mode, back.step, back.wrt, back.query()),
            (s.mode, s.step, s.wrt, s.query())
        );

        let loc = Location::parse("#/graph?mode=sideways&wrt=q&step=banana");
        let back = GraphState::from_location(&loc, &mut notices);
        assert_eq!((back.mode, back.step), (Mode::Forward, 0));
        assert_eq!(notices.len(), 3, "{notices:?}");
        let loc = Location::parse("#/graph?step=999");
        let back = GraphState::from_location(&loc, &mut notices);
        assert_eq!(back.step, 4);
    }

    #[test]
    fn jacobians_by_both_modes_agree_and_code_is_generated() {
        let s = GraphState::default().apply(GraphAction::Program(ProgramAction::Example(4))); // R → R³
        let ses = session(&s);
        assert_eq!(ses.jacobian_forward.len(), 3);
        assert_eq!(ses.jacobian_forward, ses.jacobian_reverse);
        assert!(ses
            .programs
            .forward
            .as_ref()
            .unwrap()
            .text
            .contains("return"));
        assert!(ses.programs.reverse.is_ok());
        // The generated programs, run by the core, agree with the traces.
        let g = ses.graph();
        let tangents: Vec<f64> = g
            .outputs
            .iter()
            .map(|o| ses.forward.steps[o.index()].tangent)
            .collect();
        assert_eq!(ses.forward_run.clone().unwrap().unwrap(), tangents);
        let grad: Vec<f64> = g
            .inputs
            .iter()
            .map(|i| ses.reverse.adjoints[i.node.index()])
            .collect();
        assert_eq!(ses.reverse_run.clone().unwrap().unwrap(), grad);
        assert!(ses.code_check(Mode::Forward).unwrap().matches);
        assert!(ses.code_check(Mode::Reverse).unwrap().matches);
    }

    #[test]
    fn steps_clamp_when_the_program_shrinks() {
        let s = GraphState::default()
            .apply(GraphAction::Program(ProgramAction::Example(1)))
            .apply(GraphAction::End);
        assert_eq!(s.step, 13);
        let s = s.apply(GraphAction::Program(ProgramAction::Source("x * 2".into())));
        assert_eq!(s.step, 2);
        let s = s.apply(GraphAction::Next).apply(GraphAction::Next);
        assert_eq!(s.step, 2);
    }

    /// An input read at every step of a long loop: few nodes, but edges that skip hundreds of columns. The drawing
    /// is declined with a reason; everything else works.
    #[test]
    fn edges_skipping_too_many_columns_are_not_drawn() {
        let src =
            "def f(x, n=700):\n  v = x\n  for i in range(n):\n    v = v * x + 1\n  return v\n";
        let s =
            GraphState::default().apply(GraphAction::Program(ProgramAction::Source(src.into())));
        let ses = session(&s);
        assert!(ses.graph().len() <= MAX_DRAWN_NODES);
        assert!(ses.sketch.layout.as_ref().unwrap_err().contains("columns"));
        let s = s.apply(GraphAction::End);
        assert_eq!(ses.view(s.mode, s.step).k, ses.graph().len());
    }
}
