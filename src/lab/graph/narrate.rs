//! What one step of the graph lab shows: each node's cells, the step's rule with its numbers, the edges it uses, the
//! memory it reads, and the step in words for screen readers.

use super::session::Session;
use super::Mode;
use crate::ad::trace::{bar, dot, ReverseStep};
use crate::base::num::{fmt_compact, fmt_count};
use crate::lang::graph::{NodeId, Op};

impl Session {
    /// What step `k` of `mode` shows.
    pub fn view(&self, mode: Mode, k: usize) -> StepView {
        match mode {
            Mode::Forward => self.forward_view(k),
            Mode::Reverse => self.reverse_view(k),
        }
    }

    fn forward_view(&self, k: usize) -> StepView {
        let g = self.graph();
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
        let g = self.graph();
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
