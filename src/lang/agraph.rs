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
    /// The node the function returns (a scalar for a gradient).
    pub output: NodeId,
    /// Whole-number parameters and the values used (`T` of `def f(rho, T=5)`).
    pub int_params: Vec<(String, i64)>,
}

impl AGraph {
    /// The operations that are not inputs or constants.
    pub fn operations(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n.op, AOpNode::Prim(..)))
            .count()
    }
}
