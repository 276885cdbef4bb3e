//! Dead-code elimination on the graph: operations the outputs do not depend on are dropped.

use crate::lang::graph::{Arg, Graph, Input, Node, NodeId, Op};

/// Drops operations the outputs do not depend on (inputs always stay), renumbering the rest in order.
pub(super) fn prune(g: Graph) -> Graph {
    let mut live = vec![false; g.nodes.len()];
    for o in &g.outputs {
        live[o.index()] = true;
    }
    for i in (0..g.nodes.len()).rev() {
        if live[i] {
            for p in g.nodes[i].op.parents() {
                live[p.index()] = true;
            }
        }
    }
    for input in &g.inputs {
        live[input.node.index()] = true;
    }
    if live.iter().all(|&l| l) {
        return g;
    }
    let mut remap = vec![NodeId(u32::MAX); g.nodes.len()];
    let mut nodes = Vec::with_capacity(g.nodes.len());
    let map = |a: Arg, remap: &[NodeId]| match a {
        Arg::Node(n) => Arg::Node(remap[n.index()]),
        c => c,
    };
    for (i, node) in g.nodes.into_iter().enumerate() {
        if !live[i] {
            continue;
        }
        remap[i] = NodeId(nodes.len() as u32);
        let op = match node.op {
            Op::Unary(u, a) => Op::Unary(u, remap[a.index()]),
            Op::Binary(b, x, y) => Op::Binary(b, map(x, &remap), map(y, &remap)),
            op @ (Op::Input(_) | Op::Const(_)) => op,
        };
        nodes.push(Node {
            op,
            span: node.span,
        });
    }
    let inputs = g
        .inputs
        .into_iter()
        .map(|i| Input {
            node: remap[i.node.index()],
            ..i
        })
        .collect();
    let outputs = g.outputs.iter().map(|o| remap[o.index()]).collect();
    Graph {
        nodes,
        inputs,
        outputs,
        notes: g.notes,
        int_params: g.int_params,
        label_prefix: g.label_prefix,
    }
}
