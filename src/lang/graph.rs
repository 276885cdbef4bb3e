//! The computational graph: a Wengert list of elementary operations in evaluation order.
//!
//! Inputs come first (in the order of the function's parameters, or of first appearance for a plain expression),
//! then intermediates `v1, v2, …`. A node refers to its parents by index, and parents always come earlier, so a
//! single pass in order evaluates the graph and a pass in reverse order back-propagates.

use crate::base::op::{Binary, Unary};
use crate::base::source::Span;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An operand: another node, or a constant folded into the operation (the `4` in `4 * v`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arg {
    Node(NodeId),
    Const(f64),
}

impl Arg {
    pub fn node(self) -> Option<NodeId> {
        match self {
            Arg::Node(n) => Some(n),
            Arg::Const(_) => None,
        }
    }

    #[inline]
    pub fn value(self, primals: &[f64]) -> f64 {
        match self {
            Arg::Node(n) => primals[n.index()],
            Arg::Const(c) => c,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// The i-th input.
    Input(u32),
    /// A constant the program returns or uses on its own.
    Const(f64),
    Unary(Unary, NodeId),
    /// At least one of the two arguments is a node.
    Binary(Binary, Arg, Arg),
}

impl Op {
    /// The nodes this operation reads, in argument order (at most two; a node may appear twice, as in `v * v`).
    pub fn parents(&self) -> impl Iterator<Item = NodeId> {
        let (a, b) = match *self {
            Op::Input(_) | Op::Const(_) => (None, None),
            Op::Unary(_, a) => (Some(a), None),
            Op::Binary(_, a, b) => (a.node(), b.node()),
        };
        a.into_iter().chain(b)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub op: Op,
    /// Where in the program this operation was written.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub name: String,
    pub node: NodeId,
    /// The value given in the program, if any: its default (`def f(x, y=0.5)`), or the argument of a call after the
    /// function (`g(0.25)`, `print(f(1.0))`), which wins.
    pub default: Option<f64>,
}

/// Something the program does that is allowed but worth saying (a constant `1/0`, an unused input).
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<NodeId>,
    pub notes: Vec<Note>,
    /// Parameters whose default is an integer (`n` in `def f(x, n=4)`): they are not inputs but fixed values,
    /// here with the value used.
    pub int_params: Vec<(String, i64)>,
    /// The letter intermediates are named with: `v` (`v1`, `v2`, …), or another when an input is already called
    /// `v1` (see [`Graph::choose_label_prefix`]).
    pub label_prefix: String,
}

impl Graph {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn ids(&self) -> impl DoubleEndedIterator<Item = NodeId> + ExactSizeIterator {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// Number of intermediate (non-input) nodes: the `v`s.
    pub fn intermediates(&self) -> usize {
        self.nodes.len() - self.inputs.len()
    }

    /// `x` for an input, `v3` for the third intermediate.
    pub fn label(&self, id: NodeId) -> String {
        match self.node(id).op {
            Op::Input(i) => self.inputs[i as usize].name.clone(),
            _ => format!("{}{}", self.prefix(), id.index() + 1 - self.inputs.len()),
        }
    }

    fn prefix(&self) -> &str {
        if self.label_prefix.is_empty() {
            "v"
        } else {
            &self.label_prefix
        }
    }

    /// Picks the intermediates' letter: `v` unless an input is named like one (`v1`), then the first of `w`, `u`, `t`,
    /// … that no input name clashes with, so that every label names one node.
    pub fn choose_label_prefix(&mut self) {
        let clashes = |p: &str| {
            self.inputs.iter().any(|i| {
                i.name.strip_prefix(p).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                })
            })
        };
        self.label_prefix = ["v", "w", "u", "t", "z", "v_", "w_", "node_"]
            .into_iter()
            .find(|p| !clashes(p))
            .unwrap_or("node_")
            .to_string();
    }

    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|i| i.name == name)
    }

    /// The node of the given label (`x`, `v3`), if there is one.
    pub fn find(&self, label: &str) -> Option<NodeId> {
        if let Some(i) = self.input_index(label) {
            return Some(self.inputs[i].node);
        }
        let k: usize = label.strip_prefix(self.prefix())?.parse().ok()?;
        let index = self.inputs.len() + k.checked_sub(1)?;
        (index < self.nodes.len()).then_some(NodeId(index as u32))
    }

    /// For each node, the nodes that read it (its children), in evaluation order.
    pub fn consumers(&self) -> Vec<Vec<NodeId>> {
        let mut out = vec![Vec::new(); self.nodes.len()];
        for id in self.ids() {
            for p in self.node(id).op.parents() {
                if out[p.index()].last() != Some(&id) {
                    out[p.index()].push(id);
                }
            }
        }
        out
    }

    /// The operation as the program would write it, with labels for operands: `v1 = x**2` gives `x**2`. The text
    /// is valid program source (our parser reads it back).
    pub fn expr_text(&self, id: NodeId) -> String {
        let arg = |a: Arg| match a {
            Arg::Node(n) => self.label(n),
            Arg::Const(c) => crate::base::num::fmt_code(c),
        };
        match self.node(id).op {
            Op::Input(_) => "input".to_string(),
            Op::Const(c) => crate::base::num::fmt_code(c),
            Op::Unary(Unary::Neg, a) => format!("-{}", self.label(a)),
            Op::Unary(op, a) => format!("{}({})", op.name(), self.label(a)),
            Op::Binary(Binary::Pow, a, b) => format!("{}**{}", arg(a), arg(b)),
            Op::Binary(op @ (Binary::Max | Binary::Min), a, b) => {
                format!("{}({}, {})", op.symbol(), arg(a), arg(b))
            }
            Op::Binary(op, a, b) => format!("{} {} {}", arg(a), op.symbol(), arg(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower::lower_source;

    #[test]
    fn labels_follow_the_lecture() {
        let g = lower_source("y * x**2").unwrap();
        let labels: Vec<String> = g.ids().map(|id| g.label(id)).collect();
        assert_eq!(labels, ["y", "x", "v1", "v2"]);
        assert_eq!(g.expr_text(NodeId(2)), "x**2");
        assert_eq!(g.expr_text(NodeId(3)), "y * v1");
        assert_eq!(g.find("v2"), Some(NodeId(3)));
        assert_eq!(g.find("v3"), None);
        assert_eq!(g.find("v0"), None);
        assert_eq!(g.find("x"), Some(NodeId(1)));
    }
}
