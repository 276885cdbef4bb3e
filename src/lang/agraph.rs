//! The computational graph at array granularity: a Wengert list whose nodes are numpy operations on shaped values
//! (the primitives of [`crate::base::aop`]), each with its shape. Parents come before children, as in
//! [`super::graph`]; a scalar is the array of shape `()`.
//!
//! It is what [`super::lower::arrays`] builds from a numpy program, traced at a point: a condition such as the one
//! of `np.where(x > 0, …)` is decided at that point, as autograd decides it.

use super::graph::NodeId;
use crate::base::aop::AOp;
use crate::base::array::Array;
use crate::base::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum AOpNode {
    /// The i-th input.
    Input(u32),
    /// A constant array (numbers of the program, `np.eye(2)`, …).
    Const(Array),
    /// A primitive applied to earlier nodes.
    Prim(AOp, Vec<NodeId>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ANode {
    pub op: AOpNode,
    pub shape: Vec<usize>,
    /// Where in the program this operation was written.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AInput {
    pub name: String,
    pub node: NodeId,
    /// The value the program gives it (its default), at which the graph was traced.
    pub value: Array,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AGraph {
    pub nodes: Vec<ANode>,
    pub inputs: Vec<AInput>,
    /// The nodes the function returns: one, or each item of a tuple (`return x * y, x + y`). The first is the one a
    /// gradient is of.
    pub outputs: Vec<NodeId>,
    /// Whole-number parameters and the values used (`T` of `def f(rho, T=5)`).
    pub int_params: Vec<(String, i64)>,
    /// What the page should say about the program (a number of numbers that is not finite, integers past 64 bits).
    pub notes: Vec<super::graph::Note>,
}

impl AGraph {
    /// The (first) output: the node a gradient is of.
    pub fn output(&self) -> NodeId {
        self.outputs[0]
    }

    /// The operations that are not inputs or constants.
    pub fn operations(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n.op, AOpNode::Prim(..)))
            .count()
    }
}

/// Building a graph from Rust, as a chapter does for a model it also shows as a program (the network's loss): the
/// same nodes the tracer would make, without a span.
impl AGraph {
    /// A new input with this value (and its shape).
    pub fn add_input(&mut self, name: &str, value: Array) -> NodeId {
        let node = NodeId(self.nodes.len() as u32);
        self.nodes.push(ANode {
            op: AOpNode::Input(self.inputs.len() as u32),
            shape: value.shape.clone(),
            span: Span::default(),
        });
        self.inputs.push(AInput {
            name: name.to_string(),
            node,
            value,
        });
        node
    }

    /// A constant.
    pub fn add_const(&mut self, value: Array) -> NodeId {
        let node = NodeId(self.nodes.len() as u32);
        self.nodes.push(ANode {
            shape: value.shape.clone(),
            op: AOpNode::Const(value),
            span: Span::default(),
        });
        node
    }

    /// A primitive on earlier nodes, its shape checked by the primitive's rule.
    pub fn add(&mut self, op: AOp, args: &[NodeId]) -> Result<NodeId, String> {
        let shapes: Vec<&[usize]> = args
            .iter()
            .map(|p| self.nodes[p.index()].shape.as_slice())
            .collect();
        let shape = op.shape(&shapes)?;
        let node = NodeId(self.nodes.len() as u32);
        self.nodes.push(ANode {
            op: AOpNode::Prim(op, args.to_vec()),
            shape,
            span: Span::default(),
        });
        Ok(node)
    }
}

impl AGraph {
    /// The scalar Wengert list of a graph whose values are all numbers (shape `()`): the form the scalar engines,
    /// traces, generated programs and the graph lab read. Constants fold into the operations that use them, and
    /// operations that only move a number (a sum or reshape of one number) disappear. `None` if a value is an array.
    pub fn to_scalar_graph(&self) -> Option<super::graph::Graph> {
        use super::graph::{Arg, Graph, Input, Node, Op};
        use crate::base::aop::Reduction;
        let mut g = Graph {
            int_params: self.int_params.clone(),
            notes: self.notes.clone(),
            ..Graph::default()
        };
        // What each array node became: a scalar node, or a constant folded into its users.
        let mut map: Vec<Arg> = Vec::with_capacity(self.nodes.len());
        for n in &self.nodes {
            if !n.shape.is_empty() {
                return None;
            }
            let arg = |p: &NodeId| map[p.index()];
            let op = match &n.op {
                AOpNode::Const(c) => {
                    map.push(Arg::Const(c.data[0]));
                    continue;
                }
                AOpNode::Input(i) => Op::Input(*i),
                AOpNode::Prim(AOp::Map(u), a) => match arg(&a[0]) {
                    Arg::Node(id) => Op::Unary(*u, id),
                    Arg::Const(_) => return None,
                },
                AOpNode::Prim(AOp::Zip(b), a) => match (arg(&a[0]), arg(&a[1])) {
                    (Arg::Const(_), Arg::Const(_)) => return None,
                    (x, y) => Op::Binary(*b, x, y),
                },
                AOpNode::Prim(
                    AOp::Reduce(Reduction::Sum, _) | AOp::Reshape(_) | AOp::Transpose,
                    a,
                ) => {
                    map.push(arg(&a[0]));
                    continue;
                }
                AOpNode::Prim(..) => return None,
            };
            map.push(Arg::Node(NodeId(g.nodes.len() as u32)));
            g.nodes.push(Node { op, span: n.span });
        }
        g.inputs = self
            .inputs
            .iter()
            .map(|i| match map[i.node.index()] {
                Arg::Node(node) => Some(Input {
                    name: i.name.clone(),
                    node,
                    default: Some(i.value.data[0]),
                }),
                Arg::Const(_) => None,
            })
            .collect::<Option<_>>()?;
        // A number returned as such (`return 2.0`) is a node of its own, as the scalar lowering makes it.
        for o in &self.outputs {
            let node = match map[o.index()] {
                Arg::Node(id) => id,
                Arg::Const(c) => {
                    g.nodes.push(Node {
                        op: Op::Const(c),
                        span: self.nodes[o.index()].span,
                    });
                    NodeId(g.nodes.len() as u32 - 1)
                }
            };
            g.outputs.push(node);
        }
        g.choose_label_prefix();
        Some(g)
    }
}
