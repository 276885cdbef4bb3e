//! The graph lab on a numpy program: the graph at array granularity (a node per numpy operation, with its shape),
//! forward mode along one input number and reverse mode from the output, node by node, with what each node's JVP and
//! VJP cost in multiplications and the bytes reverse mode keeps for it — so that Example 0's point (forward and
//! reverse cost of a chain) can be read off any program.

use super::Mode;
use std::cell::OnceCell;
use std::rc::Rc;

use crate::ad::nd;
use crate::base::aop::Costs;
use crate::base::array::{fmt_index, Array};
use crate::base::num::fmt_count;
use crate::lab::program::Traced;
use crate::lab::Shared;
use crate::lang::agraph::{AGraph, AOpNode};
use crate::lang::graph::NodeId;
use crate::layout::{edge_points, layout, Dag, Layout, MAX_POINTS};

/// Array graphs above this many nodes are not drawn.
pub const MAX_DRAWN: usize = 400;
/// Nor those whose edges would be routed through more points than this (every node is an HTML box, every edge a
/// path through its points: beyond this a new drawing takes the browser more than a tenth of a second to parse).
pub const MAX_EDGE_POINTS: usize = 10_000;

/// The reverse pass is written out as a program only while the program's constants hold at most this many numbers
/// (they are written into it as literals).
pub const MAX_CODE_NUMBERS: usize = 20_000;

/// Whether node `k` is a constant number: drawn inside the operations that use it (`** 2`, `0.5 *`), not as a node
/// of its own, and not a step.
fn folded(g: &AGraph, k: usize) -> bool {
    matches!(&g.nodes[k].op, AOpNode::Const(c) if c.shape.is_empty())
}

/// The nodes the drawing and the steps show, in evaluation order: all but constant numbers.
pub fn shown_nodes(g: &AGraph) -> Vec<usize> {
    (0..g.nodes.len()).filter(|&k| !folded(g, k)).collect()
}

/// The graph as drawn: the shown nodes, numbered in order, and the edges between them.
struct Shown<'a> {
    g: &'a AGraph,
    order: &'a [usize],
    /// Each node's number in the drawing.
    index: Vec<u32>,
    outputs: Vec<NodeId>,
}

impl Dag for Shown<'_> {
    fn size(&self) -> usize {
        self.order.len()
    }
    fn parents_of(&self, i: usize) -> Vec<NodeId> {
        self.g
            .parents_of(self.order[i])
            .into_iter()
            .filter(|p| !folded(self.g, p.index()))
            .map(|p| NodeId(self.index[p.index()]))
            .collect()
    }
    fn is_input(&self, i: usize) -> bool {
        self.g.is_input(self.order[i])
    }
    fn output_ids(&self) -> &[NodeId] {
        &self.outputs
    }
}

/// Everything [`layout`] reads of a drawing's graph, as numbers: each node's kind and parents, then the outputs. Two
/// programs with the same one have the same drawing (an edit of a number or a comment keeps it).
fn structure(d: &impl Dag) -> Vec<u32> {
    let mut key = Vec::new();
    for i in 0..d.size() {
        let parents = d.parents_of(i);
        key.push(d.is_input(i) as u32);
        key.push(parents.len() as u32);
        key.extend(parents.iter().map(|p| p.0));
    }
    key.extend(d.output_ids().iter().map(|o| o.0));
    key
}

/// An operation's name with the constant numbers it reads written in: `** 2`, `0.5 *`, `1 −`.
fn label(g: &AGraph, k: usize) -> String {
    match &g.nodes[k].op {
        AOpNode::Input(i) => g.inputs[*i as usize].name.clone(),
        AOpNode::Const(_) => "const".into(),
        AOpNode::Prim(op, args) => {
            let number = |p: &NodeId| match &g.nodes[p.index()].op {
                AOpNode::Const(c) if c.shape.is_empty() => {
                    Some(crate::base::num::fmt_compact(c.data[0]))
                }
                _ => None,
            };
            let name = op.label();
            match (args.first().and_then(number), args.get(1).and_then(number)) {
                (Some(a), None) if args.len() == 2 => format!("{a} {name}"),
                (None, Some(b)) => format!("{name} {b}"),
                _ => name,
            }
        }
    }
}

/// Everything the graph lab shows of a numpy program at its point, for one forward seed.
#[derive(Clone, Debug, PartialEq)]
pub struct ArraySession {
    pub traced: Shared<Traced>,
    /// The nodes drawn and stepped through (all but constant numbers), in evaluation order; the layout numbers them
    /// so.
    pub order: Vec<usize>,
    pub layout: Rc<Result<Layout, String>>,
    /// What the layout was made from ([`structure`]): a session after an edit that keeps it keeps the layout.
    structure: Rc<Vec<u32>>,
    /// Each node's name in the drawing: the input's name, `const`, or the operation (`@`, `tanh`, `sum`).
    pub labels: Vec<String>,
    pub values: Vec<Array>,
    /// Each node's tangent along input number `wrt` (forward mode).
    pub tangents: Vec<Array>,
    /// Whether each node's tangent moves (depends on the seeded input).
    pub moving: Vec<bool>,
    /// Each node's adjoint from the output (reverse mode; `None` where no path from an input to the output passes).
    pub adjoints: Vec<Option<Array>>,
    /// What each node's JVP and VJP cost, and what reverse mode keeps for it (zero for inputs and constants).
    pub costs: Vec<Costs>,
    /// The input number forward mode is seeded with (inputs in order, each row-major), and its name (`W[0,1]`).
    pub wrt: usize,
    pub wrt_name: String,
    /// Every input number's name, in the same order ([`number_names`]): the seed's choices.
    pub names: Rc<Vec<String>>,
    /// Whether the output is one number (otherwise reverse mode seeds every entry of it with 1).
    pub scalar_output: bool,
    /// The inputs' tangents forward mode starts from (one input number's is 1).
    seeds: Vec<Array>,
    /// Reverse and forward mode written out as numpy programs, each made when first asked for
    /// ([`ArraySession::code`], [`ArraySession::forward_code`]): a step shows one of them.
    code: OnceCell<Option<(String, CodeRun)>>,
    forward_code: OnceCell<(String, CodeRun)>,
}

/// What a generated numpy program returned when the core ran it.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeRun {
    /// It ran: whether it gives the engine's numbers (NaN and ±∞ alike), and the largest relative difference.
    Ran {
        matches: bool,
        worst: f64,
    },
    Failed(String),
    /// Not written: why (constants too large to write out).
    NotWritten(String),
}

/// Whether two arrays hold the same numbers within 1e-12 relative (numpy's sums and ours may round apart), NaN and
/// ±∞ in the same places.
fn compare(got: &Array, want: &Array) -> (bool, f64) {
    if got.shape != want.shape {
        return (false, f64::INFINITY);
    }
    let scale = want
        .data
        .iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    let mut worst = 0.0f64;
    let mut same = true;
    for (a, b) in got.data.iter().zip(&want.data) {
        if a.is_finite() && b.is_finite() {
            let d = (a - b).abs() / b.abs().max(1e-3 * scale).max(f64::MIN_POSITIVE);
            worst = worst.max(if a == b { 0.0 } else { d });
            same &= a == b || d <= 1e-12;
        } else {
            same &= a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        }
    }
    (same, worst)
}

/// The inputs' tangents with input number `wrt` seeded with 1, every node's tangent from them, and which nodes move.
fn seeded(g: &AGraph, values: &[Array], wrt: usize) -> (Vec<Array>, Vec<Array>, Vec<bool>) {
    let seeds = nd::unit_seeds(g.inputs.iter().map(|i| &i.value.shape[..]), wrt);
    let tangents = nd::node_tangents(g, values, &seeds);
    let moving = crate::transform::arrays::moving(g, &seeds);
    (seeds, tangents, moving)
}

/// Why a mode's program is not written out, when the graph's constants hold more than [`MAX_CODE_NUMBERS`] numbers
/// (the program and the reason as a [`CodeRun::NotWritten`]).
fn not_written(g: &AGraph, mode: &str) -> Option<(String, CodeRun)> {
    let constants: usize = g
        .nodes
        .iter()
        .map(|n| match &n.op {
            AOpNode::Const(c) => c.len(),
            _ => 0,
        })
        .sum();
    (constants > MAX_CODE_NUMBERS).then(|| {
        (
            String::new(),
            CodeRun::NotWritten(format!(
                "{mode} mode is not written out as a program here: the program's constants hold {} numbers, more \
                 than the {} a generated program writes out.",
                fmt_count(constants as u64),
                fmt_count(MAX_CODE_NUMBERS as u64)
            )),
        )
    })
}

/// A generated program run again by the core: what it returns against what the engine computed.
fn rerun(text: &str, want: &Array) -> CodeRun {
    let run = crate::lang::lower::arrays::lower_arrays(text, &[])
        .map_err(|e| e.render(text))
        .and_then(|h| {
            let v = nd::evaluate(&h, &nd::point(&h))?;
            Ok(v[h.output().index()].clone())
        });
    match run {
        Ok(got) => {
            let (matches, worst) = compare(&got, want);
            CodeRun::Ran { matches, worst }
        }
        Err(e) => CodeRun::Failed(e),
    }
}

/// The input that input number `wrt` (inputs in order, each row-major) belongs to.
fn input_of(g: &AGraph, wrt: usize) -> usize {
    nd::locate(g.inputs.iter().map(|i| i.value.len()), wrt).map_or(0, |(i, _)| i)
}

/// How many numbers the graph's inputs hold in all (the forward seed's choices).
pub fn number_count(g: &AGraph) -> usize {
    g.inputs.iter().map(|i| i.value.len()).sum()
}

/// The name of the `k`-th of the inputs' numbers (as in [`number_names`]), without naming the others.
pub fn number_name(g: &AGraph, k: usize) -> Option<String> {
    let (i, at) = nd::locate(g.inputs.iter().map(|i| i.value.len()), k)?;
    let input = &g.inputs[i];
    Some(match input.value.shape.is_empty() {
        true => input.name.clone(),
        false => format!("{}[{}]", input.name, fmt_index(&input.value.shape, at)),
    })
}

/// The names of a graph's input numbers: `b` for a number, `W[0,1]` for an entry of an array.
pub fn number_names(g: &AGraph) -> Vec<String> {
    (0..number_count(g))
        .filter_map(|k| number_name(g, k))
        .collect()
}

impl ArraySession {
    pub fn new(traced: &Shared<Traced>, wrt: usize) -> Result<ArraySession, String> {
        ArraySession::new_after(traced, wrt, None)
    }

    /// [`ArraySession::new`] after an edit of the program that `previous` showed: its drawing is kept when the graph
    /// drawn has the same structure (the layout of a few hundred array nodes takes longer than a keystroke's frame).
    pub fn new_after(
        traced: &Shared<Traced>,
        wrt: usize,
        previous: Option<&ArraySession>,
    ) -> Result<ArraySession, String> {
        let g = &traced.graph;
        let x = nd::point(g);
        let values = nd::evaluate(g, &x)?;
        let names = number_names(g);
        let wrt = wrt.min(names.len().saturating_sub(1));
        let (seeds, tangents, moving) = seeded(g, &values, wrt);
        let out = &values[g.output().index()];
        let scalar_output = out.len() == 1;
        let seed = Array::new(out.shape.clone(), vec![1.0; out.len()]);
        let adjoints = nd::node_adjoints(g, &values, seed);
        let shape_of = |p: &crate::lang::graph::NodeId| g.nodes[p.index()].shape.as_slice();
        let costs = g
            .nodes
            .iter()
            .map(|n| match &n.op {
                AOpNode::Prim(op, args) => op.costs(&args.iter().map(shape_of).collect::<Vec<_>>()),
                _ => Costs {
                    jvp: 0,
                    vjp: 0,
                    kept: 0,
                },
            })
            .collect();
        let labels = (0..g.nodes.len()).map(|k| label(g, k)).collect();
        let order = shown_nodes(g);
        let mut index = vec![0u32; g.nodes.len()];
        for (i, &k) in order.iter().enumerate() {
            index[k] = i as u32;
        }
        let shown = Shown {
            g,
            order: &order,
            outputs: g.outputs.iter().map(|o| NodeId(index[o.index()])).collect(),
            index,
        };
        let structure = structure(&shown);
        let layout = match previous {
            Some(p) if *p.structure == structure => p.layout.clone(),
            _ if order.len() > MAX_DRAWN => Rc::new(Err(format!(
                "This graph has {} array operations; drawings stop at {MAX_DRAWN}.",
                fmt_count(order.len() as u64)
            ))),
            _ => Rc::new(match edge_points(&shown) {
                n if n > MAX_EDGE_POINTS => Err(format!(
                    "This graph's edges skip so many columns (a value used all along a loop) that its drawing would \
                     route them through {} points, more than the {} drawn: the trace below has every node.",
                    fmt_count(n as u64),
                    fmt_count(MAX_EDGE_POINTS as u64)
                )),
                _ => layout(&shown).ok_or_else(|| {
                    format!(
                        "This graph's edges skip so many columns that its drawing would need more than {} points.",
                        fmt_count(MAX_POINTS as u64)
                    )
                }),
            }),
        };
        let structure = match previous {
            Some(p) if *p.structure == structure => p.structure.clone(),
            _ => Rc::new(structure),
        };
        Ok(ArraySession {
            code: OnceCell::new(),
            forward_code: OnceCell::new(),
            seeds,
            order,
            traced: traced.clone(),
            layout,
            structure,
            labels,
            values,
            tangents,
            moving,
            adjoints,
            costs,
            wrt_name: names.get(wrt).cloned().unwrap_or_default(),
            names: Rc::new(names),
            wrt,
            scalar_output,
        })
    }

    pub fn graph(&self) -> &AGraph {
        &self.traced.graph
    }

    /// The same program seeded along input number `wrt`: only what the seed changes is made again (the tangents,
    /// forward mode's program, and reverse mode's when the seed moves to another input).
    pub fn reseed(&self, wrt: usize) -> ArraySession {
        let g = self.graph();
        let wrt = wrt.min(self.names.len().saturating_sub(1));
        if wrt == self.wrt {
            return self.clone();
        }
        let (seeds, tangents, moving) = seeded(g, &self.values, wrt);
        let same_input = input_of(g, wrt) == self.code_input();
        ArraySession {
            seeds,
            tangents,
            moving,
            wrt,
            wrt_name: self.names[wrt].clone(),
            forward_code: OnceCell::new(),
            code: if same_input {
                self.code.clone()
            } else {
                OnceCell::new()
            },
            ..self.clone()
        }
    }

    /// Reverse mode written out as a numpy program for the gradient of the seed's input (`transform::arrays`), and
    /// what it returns when the core runs it, against the engine's adjoint (`None` when the output is an array).
    pub fn code(&self) -> Option<&(String, CodeRun)> {
        self.code
            .get_or_init(|| {
                let g = self.graph();
                if let Some(why) = not_written(g, "Reverse") {
                    return Some(why);
                }
                self.scalar_output.then(|| {
                    let input = self.code_input();
                    let text = crate::transform::arrays::reverse_program(g, input);
                    let want = self.adjoints[g.inputs[input].node.index()]
                        .clone()
                        .unwrap_or_else(|| Array::zeros(&g.inputs[input].value.shape));
                    let run = rerun(&text, &want);
                    (text, run)
                })
            })
            .as_ref()
    }

    /// Forward mode written out likewise: the output's tangent along the seed, against the engine's tangent.
    pub fn forward_code(&self) -> &(String, CodeRun) {
        self.forward_code.get_or_init(|| {
            let g = self.graph();
            not_written(g, "Forward").unwrap_or_else(|| {
                let text = crate::transform::arrays::forward_program(g, &self.seeds);
                let run = rerun(&text, &self.tangents[g.output().index()]);
                (text, run)
            })
        })
    }

    /// The input the seed's number is in: the one reverse mode's program returns the gradient of.
    pub fn code_input(&self) -> usize {
        input_of(self.graph(), self.wrt)
    }

    /// Steps in `mode`: one per node shown forward; in reverse, the forward sweep's then the backward sweep's.
    pub fn total(&self, mode: Mode) -> usize {
        let n = self.order.len();
        match mode {
            Mode::Forward => n,
            Mode::Reverse => 2 * n,
        }
    }

    /// What step `step` of `mode` shows: the node it computes, and which of each node's numbers are known by then.
    pub fn at(&self, mode: Mode, step: usize) -> ArrayStep {
        let n = self.order.len();
        let step = step.min(self.total(mode));
        let (place, backward) = match mode {
            Mode::Reverse if step > n => (Some(2 * n - step), true),
            _ => (step.checked_sub(1), false),
        };
        ArrayStep {
            active: place.map(|i| self.order[i]),
            place,
            backward,
            valued: if backward { n } else { step },
            adjoint_from: if backward { 2 * n - step } else { n },
        }
    }

    /// Multiplications of one forward pass (every node's JVP) and of the backward pass (every VJP), and the bytes
    /// reverse mode keeps.
    pub fn totals(&self) -> Costs {
        self.costs.iter().fold(
            Costs {
                jvp: 0,
                vjp: 0,
                kept: 0,
            },
            |t, c| Costs {
                jvp: t.jvp + c.jvp,
                vjp: t.vjp + c.vjp,
                kept: t.kept + c.kept,
            },
        )
    }

    /// Input numbers in all (forward mode's passes for the whole gradient).
    pub fn numbers(&self) -> usize {
        self.graph().inputs.iter().map(|i| i.value.len()).sum()
    }

    /// What the step does, in words (for the rule panel and screen readers).
    pub fn narrate(&self, mode: Mode, step: usize) -> String {
        let s = self.at(mode, step);
        let Some(k) = s.active else {
            return match mode {
                Mode::Forward => format!(
                    "Forward mode along {}: each node's value and its tangent, its derivative with respect to {}, \
                     node by node.",
                    self.wrt_name, self.wrt_name
                ),
                Mode::Reverse => "Reverse mode: the forward sweep computes and keeps every node's value; the \
                                  backward sweep then carries adjoints from the output back to the inputs."
                    .into(),
            };
        };
        let g = self.graph();
        let node = &g.nodes[k];
        let shape = crate::base::array::fmt_shape(&node.shape);
        let c = self.costs[k];
        // An operation is named by the code it comes from (`W @ x`), else by its drawing's label.
        let src = node.span.text(&self.traced.source).trim().to_string();
        let written = !src.is_empty() && src.len() <= 60;
        let what = match &node.op {
            AOpNode::Input(_) => format!("input {}", self.labels[k]),
            AOpNode::Const(_) => "a constant".into(),
            AOpNode::Prim(..) if written => src.clone(),
            AOpNode::Prim(..) => format!("the operation {}", self.labels[k]),
        };
        let from = match &node.op {
            AOpNode::Prim(..) => String::new(),
            _ if written => format!(" ({src})"),
            _ => String::new(),
        };
        match (mode, s.backward) {
            (Mode::Forward, _) => format!(
                "v{k} = {what}{from}, shape {shape}: its value, and its tangent along {} by the operation's JVP ({} \
                 multiplications).",
                self.wrt_name,
                fmt_count(c.jvp)
            ),
            (Mode::Reverse, false) => format!(
                "v{k} = {what}{from}, shape {shape}: its value, kept for the backward sweep ({} bytes for its VJP).",
                fmt_count(c.kept)
            ),
            (Mode::Reverse, true) => match &node.op {
                AOpNode::Prim(..) => format!(
                    "v{k} = {what}{from}: its adjoint, shape {shape}, goes back to its arguments by the operation's \
                     VJP ({} multiplications).",
                    fmt_count(c.vjp)
                ),
                AOpNode::Input(_) => format!(
                    "v{k} = {what}: its adjoint, shape {shape}, is complete: ∂f/∂{}, the gradient's part for it.",
                    self.labels[k]
                ),
                AOpNode::Const(_) => {
                    format!("v{k} = {what}: nothing to differentiate, so reverse mode sends it no adjoint.")
                }
            },
        }
    }
}

/// Which of the nodes' numbers a step shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayStep {
    /// The node the step computes (`None` before the first step), by its index in the graph, and its place in
    /// [`ArraySession::order`].
    pub active: Option<usize>,
    pub place: Option<usize>,
    /// In the backward sweep of reverse mode.
    pub backward: bool,
    /// The shown nodes `0..valued` (in [`ArraySession::order`]) have their values (and, forward, their tangents).
    pub valued: usize,
    /// The shown nodes `adjoint_from..` have their adjoints.
    pub adjoint_from: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::program::ProgramState;

    fn session(src: &str, wrt: usize) -> ArraySession {
        let p = ProgramState::new_in(src, &[], super::super::limits(), true);
        assert_eq!(p.error, None);
        ArraySession::new(p.traced.as_ref().unwrap(), wrt).unwrap()
    }

    const MLP: &str = "import autograd.numpy as np\nX = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])\ny = \
                       np.array([1.0, -1.0, 0.5])\ndef loss(W=np.array([[0.5, -0.3], [0.1, 0.4]]), b=np.array([0.1, \
                       -0.2]), w=np.array([1.0, -1.0])):\n  h = np.tanh(X @ W + b)\n  return np.mean((h @ w - y) ** \
                       2)\n";

    /// An edit that keeps the graph's structure (a number, a comment) keeps the drawing; one that changes it does not.
    #[test]
    fn an_edit_keeps_the_layout_while_the_structure_stays() {
        let traced = |src: &str| {
            let p = ProgramState::new_in(src, &[], super::super::limits(), true);
            p.traced.clone().unwrap()
        };
        let a = ArraySession::new(&traced(MLP), 0).unwrap();
        let b = ArraySession::new_after(
            &traced(&MLP.replace("0.5, -0.3", "0.25, -0.3")),
            0,
            Some(&a),
        )
        .unwrap();
        assert!(Rc::ptr_eq(&a.layout, &b.layout));
        assert_ne!(a.values, b.values, "the numbers are the new program's");
        let fresh = ArraySession::new(&traced(&MLP.replace("0.5, -0.3", "0.25, -0.3")), 0).unwrap();
        assert_eq!(*b.layout, *fresh.layout);
        let c = ArraySession::new_after(
            &traced(&MLP.replace("np.tanh(X @ W + b)", "np.tanh(X @ W) + b")),
            0,
            Some(&a),
        )
        .unwrap();
        assert!(!Rc::ptr_eq(&a.layout, &c.layout));
    }

    /// A network's loss is a handful of array nodes; forward and reverse give one gradient; costs add up.
    #[test]
    fn a_network_at_array_granularity() {
        let s = session(MLP, 1);
        let g = s.graph();
        assert!(g.nodes.len() <= 16, "{}", g.nodes.len());
        assert_eq!(s.wrt_name, "W[0,1]");
        assert_eq!(
            number_names(g),
            ["W[0,0]", "W[0,1]", "W[1,0]", "W[1,1]", "b[0]", "b[1]", "w[0]", "w[1]"]
        );
        // One name at a time, as the permalink's `wrt` is written, gives the same names.
        assert_eq!(number_count(g), 8);
        let one: Vec<String> = (0..number_count(g))
            .filter_map(|k| number_name(g, k))
            .collect();
        assert_eq!(one, number_names(g));
        assert_eq!(number_name(g, 8), None);
        assert_eq!(*s.names, number_names(g));
        assert!(s.labels.contains(&"@".to_string()) && s.labels.contains(&"tanh".to_string()));
        // The tangent at the output along W[0,1] is the adjoint of W at [0,1]: one gradient, two ways.
        let (_, grad) = nd::gradient(g).unwrap();
        let out = g.output().index();
        let t = s.tangents[out].data[0];
        let a = s.adjoints[g.inputs[0].node.index()].as_ref().unwrap().data[1];
        assert!(
            (t - grad[0].data[1]).abs() <= 1e-15 * t.abs().max(1.0),
            "{t}"
        );
        assert_eq!(a, grad[0].data[1]);
        // Steps: forward one per node; reverse the forward sweep, then the backward sweep from the output.
        let n = s.order.len();
        assert!(
            n < g.nodes.len(),
            "constant numbers are not nodes of the drawing"
        );
        assert!(s.labels.contains(&"** 2".to_string()), "{:?}", s.labels);
        assert_eq!(s.total(Mode::Reverse), 2 * n);
        assert_eq!(s.at(Mode::Reverse, n + 1).active, Some(g.nodes.len() - 1));
        assert!(s.at(Mode::Reverse, n + 1).backward);
        assert_eq!(s.at(Mode::Reverse, 2 * n).active, Some(s.order[0]));
        assert_eq!(s.at(Mode::Forward, 0).active, None);
        let c = s.totals();
        assert!(c.jvp > 0 && c.vjp > 0 && c.kept > 0, "{c:?}");
        assert!(s.narrate(Mode::Reverse, n + 1).contains("VJP"));
        assert!(s.layout.is_ok());
        // Reverse mode as a numpy program for W's gradient, run again by the core: the engine's numbers.
        let (text, run) = s.code().unwrap();
        assert!(
            text.starts_with("import numpy as np\n\ndef grad_W("),
            "{text}"
        );
        assert!(matches!(run, CodeRun::Ran { matches: true, .. }), "{run:?}");
        // A seed past the last number is the last number.
        assert_eq!(session(MLP, 99).wrt_name, "w[1]");
    }

    /// A new seed from the last session gives what a new session gives: the tangents, both programs and checks.
    #[test]
    fn a_new_seed_reuses_the_rest() {
        let p = ProgramState::new_in(MLP, &[], super::super::limits(), true);
        let traced = p.traced.as_ref().unwrap();
        let first = ArraySession::new(traced, 0);
        let first = first.unwrap();
        assert!(first.code().is_some());
        for wrt in [1, 5, 7, 99] {
            let again = first.reseed(wrt);
            let fresh = ArraySession::new(traced, wrt).unwrap();
            assert_eq!(
                (&again.tangents, &again.moving, &again.wrt_name, again.wrt),
                (&fresh.tangents, &fresh.moving, &fresh.wrt_name, fresh.wrt)
            );
            assert_eq!(again.forward_code(), fresh.forward_code());
            assert_eq!(again.code(), fresh.code(), "seed {wrt}");
        }
    }
}
