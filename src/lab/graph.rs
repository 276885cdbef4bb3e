//! Chapter "The computational graph" (`#/graph`): forward (tangent) and reverse (adjoint) propagation, one node per
//! step, on the graph of the user's program.
//!
//! [`GraphState`] is what the user chose (program, inputs, mode, seed, step); [`Session`] is everything computed from
//! the program and inputs (layout, both traces, Jacobians, generated code); [`StepView`] is what one step shows.

use super::program::{Example, ProgramState, LOGISTIC, Y_X_SQUARED};
use super::{Chapter, ChapterModel, Shared};
use crate::ad::eval;
use crate::ad::trace::{
    bar, dot, forward_trace, op_expr, reverse_trace, ForwardTrace, ReverseStep, ReverseTrace,
};
use crate::base::num::{fmt_compact, fmt_count};
use crate::base::url::Location;
use crate::lang::graph::{Graph, NodeId, Op};
use crate::lang::Limits;
use crate::layout::{layout, Layout, MAX_POINTS};
use crate::transform::codegen::{forward_program, reverse_program};

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

/// Graphs above this many nodes are not drawn (the trace table and controls still work).
pub const MAX_DRAWN_NODES: usize = 1500;

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
}

#[derive(Clone, Debug, PartialEq)]
pub enum GraphAction {
    Source(String),
    Input(String, String),
    Example(usize),
    Mode(Mode),
    Wrt(usize),
    Out(usize),
    Step(usize),
    Next,
    Prev,
    Reset,
    End,
}

impl Default for GraphState {
    fn default() -> GraphState {
        GraphState::from_example(&EXAMPLES[0])
    }
}

impl GraphState {
    pub fn from_example(e: &Example) -> GraphState {
        let program = ProgramState::from_example(e, limits());
        let wrt = default_wrt(&program);
        GraphState {
            program,
            mode: Mode::Forward,
            wrt,
            out: 0,
            step: 0,
        }
    }

    /// Number of steps in the current mode: one per node forward; in reverse, one per node for the forward sweep and
    /// one per node for the backward sweep.
    pub fn total(&self) -> usize {
        let n = self.program.graph.as_ref().map_or(0, |g| g.len());
        match self.mode {
            Mode::Forward => n,
            Mode::Reverse => 2 * n,
        }
    }

    fn clamp(mut self) -> GraphState {
        let (ni, no) = self
            .program
            .graph
            .as_ref()
            .map_or((0, 0), |g| (g.inputs.len(), g.outputs.len()));
        self.wrt = self.wrt.min(ni.saturating_sub(1));
        self.out = self.out.min(no.saturating_sub(1));
        self.step = self.step.min(self.total());
        self
    }

    /// Everything computed from the program and its inputs, if both are valid.
    pub fn session(&self) -> Option<Session> {
        let sketch = Shared::new(Sketch::new(self.program.graph.as_ref()?));
        self.session_with(&sketch)
    }

    /// [`GraphState::session`] reusing the drawing of the same graph (it does not depend on the inputs).
    pub fn session_with(&self, sketch: &Shared<Sketch>) -> Option<Session> {
        let graph = self.program.graph.as_ref()?;
        let values = self.program.values()?;
        Some(Session::new(
            graph,
            sketch.clone(),
            &values,
            self.wrt,
            self.out,
            &self.program.compiled_source,
        ))
    }
}

impl ChapterModel for GraphState {
    type Action = GraphAction;
    const CHAPTER: Chapter = Chapter::Graph;

    fn apply(&self, action: GraphAction) -> GraphState {
        let mut s = self.clone();
        match action {
            GraphAction::Source(src) => {
                // The seed follows its input by name while the program is edited.
                let seeded = self
                    .program
                    .graph
                    .as_ref()
                    .and_then(|g| g.inputs.get(self.wrt))
                    .map(|i| i.name.clone());
                s.program = self.program.with_source(&src);
                if let (Some(name), Some(g)) = (seeded, &s.program.graph) {
                    s.wrt = g.input_index(&name).unwrap_or(s.wrt);
                }
            }
            GraphAction::Input(name, text) => s.program = self.program.with_input(&name, &text),
            GraphAction::Example(i) => {
                if let Some(e) = EXAMPLES.get(i) {
                    s = GraphState {
                        mode: self.mode,
                        ..GraphState::from_example(e)
                    };
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
            GraphAction::Step(k) => s.step = k,
            GraphAction::Next => s.step += 1,
            GraphAction::Prev => s.step = s.step.saturating_sub(1),
            GraphAction::Reset => s.step = 0,
            GraphAction::End => s.step = usize::MAX,
        }
        s.clamp()
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = self.program.query();
        q.push(("mode".into(), self.mode.name().into()));
        if let Some(g) = &self.program.graph {
            if let Some(i) = g.inputs.get(self.wrt) {
                q.push(("wrt".into(), i.name.clone()));
            }
            if g.outputs.len() > 1 {
                q.push(("out".into(), (self.out + 1).to_string()));
            }
        }
        q.push(("step".into(), self.step.to_string()));
        q
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> GraphState {
        let program = ProgramState::from_query(loc, &EXAMPLES[0], limits(), notices);
        let wrt = default_wrt(&program);
        let mut s = GraphState {
            program,
            mode: Mode::Forward,
            wrt,
            out: 0,
            step: 0,
        };
        match loc.get("mode") {
            None | Some("forward") => {}
            Some("reverse") => s.mode = Mode::Reverse,
            Some(m) => notices.push(format!(
                "`mode={m}` is neither forward nor reverse; showing forward mode"
            )),
        }
        if let (Some(w), Some(g)) = (loc.get("wrt"), &s.program.graph) {
            match g.input_index(w) {
                Some(i) => s.wrt = i,
                None => notices.push(format!(
                    "`wrt={w}`: the program has no input `{w}`; seeding the first input"
                )),
            }
        }
        if let (Some(o), Some(g)) = (loc.get("out"), &s.program.graph) {
            match o.parse::<usize>() {
                Ok(k) if (1..=g.outputs.len()).contains(&k) => s.out = k - 1,
                _ => notices.push(format!(
                    "`out={o}` is not an output number (1 to {}); using 1",
                    g.outputs.len()
                )),
            }
        }
        if let Some(k) = loc.get("step") {
            match k.parse::<usize>() {
                Ok(k) if k <= s.total() => s.step = k,
                Ok(k) => {
                    notices.push(format!(
                        "`step={k}` is past the last step ({}); showing the last step",
                        s.total()
                    ));
                    s.step = s.total();
                }
                Err(_) => notices.push(format!(
                    "`step={k}` is not a step number; starting at step 0"
                )),
            }
        }
        s
    }
}

/// The input forward mode seeds by default: `x` if there is one (as on the slides), else the first.
fn default_wrt(p: &ProgramState) -> usize {
    p.graph
        .as_ref()
        .and_then(|g| g.input_index("x"))
        .unwrap_or(0)
}

/// What the chapter draws from the graph alone, whatever the inputs: computed once per program.
#[derive(Debug)]
pub struct Sketch {
    /// The drawing, or why there is none (too many nodes, or edges that skip too many layers).
    pub layout: Result<Layout, String>,
    /// Each node's operation as text (`x²`, `v₁·y`), `input` for inputs.
    pub ops: Vec<String>,
}

impl Sketch {
    pub fn new(g: &Graph) -> Sketch {
        Sketch {
            layout: if g.len() > MAX_DRAWN_NODES {
                Err(format!(
                    "This graph has {} nodes; drawings stop at {MAX_DRAWN_NODES}.",
                    fmt_count(g.len() as u64)
                ))
            } else {
                layout(g).ok_or_else(|| {
                    format!(
                        "This graph's edges skip so many columns that its drawing would need more than {} points.",
                        fmt_count(MAX_POINTS as u64)
                    )
                })
            },
            ops: g
                .ids()
                .map(|id| match g.node(id).op {
                    Op::Input(_) => "input".to_string(),
                    _ => op_expr(g, id).to_math_text(),
                })
                .collect(),
        }
    }
}

/// Everything the chapter derives from one program at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub graph: Shared<Graph>,
    pub sketch: Shared<Sketch>,
    pub forward: ForwardTrace,
    pub reverse: ReverseTrace,
    /// The Jacobian (outputs × inputs) by forward passes and by reverse passes.
    pub jacobian_forward: Vec<Vec<f64>>,
    pub jacobian_reverse: Vec<Vec<f64>>,
    pub forward_code: Result<String, String>,
    pub reverse_code: Result<String, String>,
    /// What the generated programs return when the core runs them at the same inputs.
    pub forward_run: Option<Vec<f64>>,
    pub reverse_run: Option<Vec<f64>>,
    /// Where a NaN or infinity first appears, in words.
    pub domain: Option<String>,
}

/// Runs a generated program with the core.
fn run(code: &Result<String, String>, values: &[f64]) -> Option<Vec<f64>> {
    let g = crate::lang::lower_source_with(code.as_ref().ok()?, &limits()).ok()?;
    Some(eval::outputs(&g, &eval::evaluate(&g, values)))
}

impl Session {
    pub fn new(
        graph: &Shared<Graph>,
        sketch: Shared<Sketch>,
        values: &[f64],
        wrt: usize,
        out: usize,
        source: &str,
    ) -> Session {
        let g: &Graph = graph;
        let primals = eval::evaluate(g, values);
        let forward_code = forward_program(source, g, wrt);
        let reverse_code = reverse_program(source, g, out);
        Session {
            graph: graph.clone(),
            sketch,
            forward: forward_trace(g, values, wrt),
            reverse: reverse_trace(g, values, out),
            jacobian_forward: eval::jacobian_forward(g, &primals),
            jacobian_reverse: eval::jacobian_reverse(g, &primals),
            domain: eval::domain_issue(g, &primals).map(|d| d.describe(g)),
            forward_run: run(&forward_code, values),
            reverse_run: run(&reverse_code, values),
            forward_code,
            reverse_code,
        }
    }

    /// What step `k` of `mode` shows.
    pub fn view(&self, mode: Mode, k: usize) -> StepView {
        match mode {
            Mode::Forward => self.forward_view(k),
            Mode::Reverse => self.reverse_view(k),
        }
    }

    fn forward_view(&self, k: usize) -> StepView {
        let g = &self.graph;
        let n = g.len();
        let k = k.min(n);
        let mut v = StepView::empty(k, n, n);
        for s in &self.forward.steps[..k] {
            let c = &mut v.cells[s.node.index()];
            c.primal = Some(s.primal);
            c.tangent = Some(s.tangent);
            for (p, _) in &s.terms {
                v.edge_values.push((p.parent, s.node, p.value));
            }
        }
        if k == 0 {
            let name = g
                .inputs
                .get(self.forward.wrt)
                .map_or("x", |i| i.name.as_str());
            v.rule = vec![format!(
                "Forward mode computes each value together with its tangent: its derivative with respect to {name}. \
                 Press → to start with the inputs."
            )];
            v.announce = "Step 0: nothing computed yet.".into();
            return v;
        }
        let s = &self.forward.steps[k - 1];
        let label = g.label(s.node);
        v.active = Some(s.node);
        v.hot_edges = s.terms.iter().map(|(p, _)| (p.parent, s.node)).collect();
        let primal_line = match g.node(s.node).op {
            Op::Input(_) => format!("{label} = {}", fmt_compact(s.primal)),
            _ => format!(
                "{label} = {} = {}",
                self.sketch.ops[s.node.index()],
                fmt_compact(s.primal)
            ),
        };
        v.rule = vec![primal_line, s.rule(g)];
        v.announce = format!(
            "Step {k} of {n}: {label} equals {}, its tangent {} equals {}.",
            fmt_compact(s.primal),
            dot(&label),
            fmt_compact(s.tangent)
        );
        if k == n {
            if let Some(&o) = g.outputs.first() {
                let wrt = g
                    .inputs
                    .get(self.forward.wrt)
                    .map_or(String::new(), |i| i.name.clone());
                v.rule.push(format!(
                    "Done: ∂f/∂{wrt} = {} = {}, from one forward pass.",
                    dot(&g.label(o)),
                    fmt_compact(self.forward.steps[o.index()].tangent)
                ));
            }
        }
        v
    }

    fn reverse_view(&self, k: usize) -> StepView {
        let g = &self.graph;
        let n = g.len();
        let total = 2 * n;
        let k = k.min(total);
        let mut v = StepView::empty(k, total, n);
        for step in &self.reverse.steps[..k] {
            if let ReverseStep::Primal { node, primal } = step {
                v.cells[node.index()].primal = Some(*primal);
            }
        }
        v.stored = k.min(n);
        for (c, a) in v.cells.iter_mut().zip(self.reverse.adjoints_at(k)) {
            c.adjoint = a;
        }
        for step in &self.reverse.steps[..k] {
            if let ReverseStep::Adjoint { node, pushes, .. } = step {
                for p in pushes {
                    v.edge_values
                        .push((p.partial.parent, *node, p.contribution));
                }
            }
        }
        if k == 0 {
            v.rule = vec![
                "Reverse mode first runs the function forward and stores every intermediate value; then it goes \
                 back from the output, pushing adjoints (derivatives of the output) to each node's parents."
                    .into(),
            ];
            v.announce = "Step 0: nothing computed yet.".into();
            return v;
        }
        let step = &self.reverse.steps[k - 1];
        let node = step.node();
        let label = g.label(node);
        v.active = Some(node);
        match step {
            ReverseStep::Primal { primal, .. } => {
                let line = match g.node(node).op {
                    Op::Input(_) => format!("{label} = {}", fmt_compact(*primal)),
                    _ => format!(
                        "{label} = {} = {}",
                        self.sketch.ops[node.index()],
                        fmt_compact(*primal)
                    ),
                };
                v.hot_edges = g.node(node).op.parents().map(|p| (p, node)).collect();
                v.rule = vec![
                    format!("Forward sweep: {line}"),
                    format!(
                        "Stored for the backward sweep: {} value{} ({} bytes).",
                        fmt_count(v.stored as u64),
                        if v.stored == 1 { "" } else { "s" },
                        fmt_count(8 * v.stored as u64)
                    ),
                ];
                v.announce = format!(
                    "Step {k} of {total}, forward sweep: {label} equals {}, stored.",
                    fmt_compact(*primal)
                );
            }
            ReverseStep::Adjoint {
                adjoint,
                seed,
                pushes,
                ..
            } => {
                let me = bar(&label);
                let mut lines = Vec::new();
                match (seed, g.node(node).op) {
                    (Some(_), _) => lines.push(format!(
                        "{me} = 1: the output f = {label} is what we differentiate."
                    )),
                    (None, Op::Input(_)) => lines.push(format!(
                        "{me} = {}: every contribution has arrived, so ∂f/∂{label} = {}.",
                        fmt_compact(*adjoint),
                        fmt_compact(*adjoint)
                    )),
                    (None, _) => lines.push(format!(
                        "{me} = {} is complete; push it to the parents:",
                        fmt_compact(*adjoint)
                    )),
                }
                for p in pushes {
                    let mut line = p.rule(g, node, *adjoint);
                    if p.before != 0.0 {
                        // Fan-out: this parent already had a contribution; show the sum growing.
                        line.push_str(&format!(
                            "   ({}: {} → {})",
                            bar(&g.label(p.partial.parent)),
                            fmt_compact(p.before),
                            fmt_compact(p.after)
                        ));
                    }
                    lines.push(line);
                }
                if !pushes.is_empty() {
                    // The stored values this step reads: its parents' (each once).
                    v.read = g.node(node).op.parents().collect();
                    v.read.dedup();
                }
                v.hot_edges = pushes.iter().map(|p| (p.partial.parent, node)).collect();
                v.rule = lines;
                v.announce = format!(
                    "Step {k} of {total}, backward sweep: the adjoint of {label} is {}{}.",
                    fmt_compact(*adjoint),
                    if pushes.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", pushed to {} parent{}",
                            pushes.len(),
                            if pushes.len() == 1 { "" } else { "s" }
                        )
                    }
                );
            }
        }
        if k == total {
            let grads: Vec<String> = g
                .inputs
                .iter()
                .map(|i| {
                    format!(
                        "∂f/∂{} = {}",
                        i.name,
                        fmt_compact(self.reverse.adjoints[i.node.index()])
                    )
                })
                .collect();
            v.rule.push(format!(
                "Done: {}, from one backward pass.",
                grads.join(", ")
            ));
        }
        v
    }
}

/// The values a node shows at a step (`None`: not computed yet, an empty cell).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cells {
    pub primal: Option<f64>,
    pub tangent: Option<f64>,
    pub adjoint: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepView {
    pub k: usize,
    pub total: usize,
    /// The node this step computes.
    pub active: Option<NodeId>,
    pub cells: Vec<Cells>,
    /// The step's rule with its numbers, one line per statement.
    pub rule: Vec<String>,
    /// Edges (parent, child) this step uses.
    pub hot_edges: Vec<(NodeId, NodeId)>,
    /// Numbers on edges: the local derivative (forward) or the contribution pushed (reverse).
    pub edge_values: Vec<(NodeId, NodeId, f64)>,
    /// Values stored for the backward sweep so far (reverse mode).
    pub stored: usize,
    /// Stored values this backward step reads.
    pub read: Vec<NodeId>,
    /// The step in words, for the live region.
    pub announce: String,
}

impl StepView {
    fn empty(k: usize, total: usize, nodes: usize) -> StepView {
        StepView {
            k,
            total,
            active: None,
            cells: vec![Cells::default(); nodes],
            rule: Vec::new(),
            hot_edges: Vec::new(),
            edge_values: Vec::new(),
            stored: 0,
            read: Vec::new(),
            announce: String::new(),
        }
    }
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
        let g = s.program.graph.clone().unwrap();
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
        let g = s.program.graph.clone().unwrap();
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
        let s = GraphState::default().apply(GraphAction::Example(4)); // R → R³
        let ses = session(&s);
        assert_eq!(ses.jacobian_forward.len(), 3);
        assert_eq!(ses.jacobian_forward, ses.jacobian_reverse);
        assert!(ses.forward_code.as_ref().unwrap().contains("return"));
        assert!(ses.reverse_code.is_ok());
        // The generated programs, run by the core, agree with the traces.
        let g = &ses.graph;
        let tangents: Vec<f64> = g
            .outputs
            .iter()
            .map(|o| ses.forward.steps[o.index()].tangent)
            .collect();
        assert_eq!(ses.forward_run.as_ref().unwrap(), &tangents);
        let grad: Vec<f64> = g
            .inputs
            .iter()
            .map(|i| ses.reverse.adjoints[i.node.index()])
            .collect();
        assert_eq!(ses.reverse_run.as_ref().unwrap(), &grad);
    }

    #[test]
    fn steps_clamp_when_the_program_shrinks() {
        let s = GraphState::default()
            .apply(GraphAction::Example(1))
            .apply(GraphAction::End);
        assert_eq!(s.step, 13);
        let s = s.apply(GraphAction::Source("x * 2".into()));
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
        let s = GraphState::default().apply(GraphAction::Source(src.into()));
        let ses = session(&s);
        assert!(ses.graph.len() <= MAX_DRAWN_NODES);
        assert!(ses.sketch.layout.as_ref().unwrap_err().contains("columns"));
        let s = s.apply(GraphAction::End);
        assert_eq!(ses.view(s.mode, s.step).k, ses.graph.len());
    }
}
