//! Layers and routing: each node's column (longest path from the inputs), and for every edge that skips columns a
//! chain of points (dummy vertices) through the columns it crosses.

use super::Dag;
use super::MAX_POINTS;
use crate::lang::graph::NodeId;

/// Inputs first; every other node one right of its rightmost parent; outputs nobody reads go last.
pub(super) fn layers(g: &impl Dag) -> Vec<u32> {
    let n = g.size();
    let mut read = vec![false; n];
    let mut layer = vec![0u32; n];
    for i in 0..n {
        layer[i] = if g.is_input(i) {
            0
        } else {
            let parents = g.parents_of(i);
            for p in &parents {
                read[p.index()] = true;
            }
            parents
                .iter()
                .map(|p| layer[p.index()] + 1)
                .max()
                .unwrap_or(1)
        };
    }
    let last = layer.iter().copied().max().unwrap_or(0).max(1);
    for o in g.output_ids() {
        if !read[o.index()] {
            layer[o.index()] = last;
        }
    }
    layer
}

/// One edge of the graph and the vertices it passes through (its parent, dummies, its child).
pub(super) struct RoutedEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub slots: Vec<u8>,
    pub chain: Vec<usize>,
}

/// Vertices 0..n are the nodes; dummies (points of edges that pass through a layer) follow.
pub(super) struct Routed {
    pub layers: usize,
    pub vlayer: Vec<u32>,
    pub succ: Vec<Vec<usize>>,
    pub pred: Vec<Vec<usize>>,
    pub edges: Vec<RoutedEdge>,
    /// Each layer's vertices, in creation order.
    pub rows: Vec<Vec<usize>>,
}

/// The routing, or `None` beyond [`MAX_POINTS`] vertices.
pub(super) fn route(g: &impl Dag, layer: &[u32]) -> Option<Routed> {
    let n = g.size();
    let dummies: usize = (0..n)
        .flat_map(|i| g.parents_of(i).into_iter().map(move |p| (p, i)))
        .map(|(p, i)| (layer[i] - layer[p.index()]).saturating_sub(1) as usize)
        .sum();
    if n + dummies > MAX_POINTS {
        return None;
    }
    let last = layer.iter().copied().max().unwrap_or(0).max(1);
    let layers = last as usize + 1;
    let mut nv = n;
    let mut vlayer: Vec<u32> = layer.to_vec();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut edges: Vec<RoutedEdge> = Vec::new();
    for id in (0..n).map(|i| NodeId(i as u32)) {
        let parents: Vec<NodeId> = g.parents_of(id.index());
        for (slot, &p) in parents.iter().enumerate() {
            if let Some(e) = edges
                .iter_mut()
                .rev()
                .take(2)
                .find(|e| e.from == p && e.to == id)
            {
                e.slots.push(slot as u8);
                continue;
            }
            let mut chain = vec![p.index()];
            let mut prev = p.index();
            for l in layer[p.index()] + 1..layer[id.index()] {
                let d = nv;
                nv += 1;
                vlayer.push(l);
                succ.push(Vec::new());
                pred.push(Vec::new());
                succ[prev].push(d);
                pred[d].push(prev);
                chain.push(d);
                prev = d;
            }
            succ[prev].push(id.index());
            pred[id.index()].push(prev);
            chain.push(id.index());
            edges.push(RoutedEdge {
                from: p,
                to: id,
                slots: vec![slot as u8],
                chain,
            });
        }
    }
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (v, &l) in vlayer.iter().enumerate() {
        rows[l as usize].push(v);
    }
    Some(Routed {
        layers,
        vlayer,
        succ,
        pred,
        edges,
        rows,
    })
}
