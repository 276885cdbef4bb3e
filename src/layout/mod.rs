//! Layered drawing of a computational graph, left to right: inputs in the first column, outputs in the last.
//!
//! A small Sugiyama pipeline: longest-path layers; dummy points for edges that skip layers; barycentre sweeps to
//! reduce crossings (the best ordering seen is kept); then each layer's vertical positions are the least-squares fit
//! to its neighbours' positions under a minimum spacing (isotonic regression), which straightens chains.
//!
//! Pure geometry in abstract units; the UI scales it.

mod order;
mod place;
mod route;

use crate::lang::agraph::{AGraph, AOpNode};
use crate::lang::graph::{Graph, NodeId, Op};

/// What a drawing reads of a graph: its nodes in evaluation order (parents first), each node's parents in argument
/// order, which nodes are inputs, and the outputs. The scalar Wengert list is one, and so is the graph at array
/// granularity.
pub trait Dag {
    fn size(&self) -> usize;
    fn parents_of(&self, i: usize) -> Vec<NodeId>;
    fn is_input(&self, i: usize) -> bool;
    fn output_ids(&self) -> &[NodeId];
}

impl Dag for Graph {
    fn size(&self) -> usize {
        self.len()
    }
    fn parents_of(&self, i: usize) -> Vec<NodeId> {
        self.nodes[i].op.parents().collect()
    }
    fn is_input(&self, i: usize) -> bool {
        matches!(self.nodes[i].op, Op::Input(_))
    }
    fn output_ids(&self) -> &[NodeId] {
        &self.outputs
    }
}

impl Dag for AGraph {
    fn size(&self) -> usize {
        self.nodes.len()
    }
    fn parents_of(&self, i: usize) -> Vec<NodeId> {
        match &self.nodes[i].op {
            AOpNode::Prim(_, args) => args.clone(),
            _ => Vec::new(),
        }
    }
    fn is_input(&self, i: usize) -> bool {
        matches!(self.nodes[i].op, AOpNode::Input(_))
    }
    fn output_ids(&self) -> &[NodeId] {
        &self.outputs
    }
}

pub use place::spaced_fit;

/// Node box size and spacing, in drawing units.
pub const NODE_W: f64 = 134.0;
pub const NODE_H: f64 = 62.0;
pub const LAYER_GAP: f64 = 196.0;
pub const ROW_GAP: f64 = 92.0;
pub const MARGIN: f64 = 24.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    /// Which argument of `to` (0 or 1); both when a node reads the same parent twice (`v * v`).
    pub slots: Vec<u8>,
    /// From the parent's right side to the child's left side, through the points of skipped layers.
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Centre of each node.
    pub pos: Vec<(f64, f64)>,
    pub layer: Vec<u32>,
    /// Sorted by child (`to`), in graph order: the edges into a node are found by binary search.
    pub edges: Vec<Edge>,
    pub width: f64,
    pub height: f64,
    /// Edge crossings in the final ordering (counted for graphs up to a few thousand edges).
    pub crossings: Option<usize>,
}

/// Most points (nodes plus the points of edges that skip layers) a drawing is made of: an input read at every step
/// of a long loop makes edges that each skip hundreds of layers.
pub const MAX_POINTS: usize = 40_000;

/// The drawing, or `None` when it would need more than [`MAX_POINTS`] points. The pipeline's stages, each in its
/// own module: [`route`] (layers, and points for edges that skip layers), [`order`] (rows ordered to reduce
/// crossings), [`place`] (vertical positions), then the boxes and polylines.
pub fn layout(g: &impl Dag) -> Option<Layout> {
    if g.size() == 0 {
        return Some(Layout {
            pos: vec![],
            layer: vec![],
            edges: vec![],
            width: 0.0,
            height: 0.0,
            crossings: Some(0),
        });
    }
    let layer = route::layers(g);
    let routed = route::route(g, &layer)?;
    let (rows, crossings) = order::order(&routed);
    let y = place::place(&routed, &rows);
    Some(assemble(g, layer, &routed, &y, crossings))
}

/// How many points [`layout`]'s edges would have in all (their ends, and a point in each layer an edge skips), from
/// the layering alone: a drawing too large to be worth making is refused before its rows are ordered and placed.
pub fn edge_points(g: &impl Dag) -> usize {
    let layer = route::layers(g);
    (0..g.size())
        .flat_map(|i| g.parents_of(i).into_iter().map(move |p| (p, i)))
        .map(|(p, i)| 2 + (layer[i] - layer[p.index()]).saturating_sub(1) as usize)
        .sum()
}

/// Boxes at their layers' columns and the fitted heights; edges as polylines through their skipped layers' points.
fn assemble(
    g: &impl Dag,
    layer: Vec<u32>,
    routed: &route::Routed,
    y: &[f64],
    crossings: Option<usize>,
) -> Layout {
    let n = g.size();
    let last = routed.layers as u32 - 1;
    let min_y = y.iter().copied().fold(f64::INFINITY, f64::min);
    let max_y = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let top = MARGIN + NODE_H / 2.0;
    let x_of = |l: u32| MARGIN + NODE_W / 2.0 + l as f64 * LAYER_GAP;
    let point = |v: usize| (x_of(routed.vlayer[v]), y[v] - min_y + top);

    let pos: Vec<(f64, f64)> = (0..n).map(point).collect();
    let edges = routed
        .edges
        .iter()
        .map(|e| {
            let mut points = Vec::with_capacity(e.chain.len());
            let (fx, fy) = pos[e.from.index()];
            points.push((fx + NODE_W / 2.0, fy));
            for &d in &e.chain[1..e.chain.len() - 1] {
                points.push(point(d));
            }
            let (tx, ty) = pos[e.to.index()];
            let arity = g.parents_of(e.to.index()).len();
            let dy = if arity == 2 && e.slots.len() == 1 {
                if e.slots[0] == 0 {
                    -12.0
                } else {
                    12.0
                }
            } else {
                0.0
            };
            points.push((tx - NODE_W / 2.0, ty + dy));
            Edge {
                from: e.from,
                to: e.to,
                slots: e.slots.clone(),
                points,
            }
        })
        .collect();
    Layout {
        pos,
        layer,
        edges,
        width: x_of(last) + NODE_W / 2.0 + MARGIN,
        height: (max_y - min_y) + NODE_H + 2.0 * MARGIN,
        crossings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::lower_source;

    #[test]
    fn lecture_example_reads_left_to_right() {
        let g = lower_source("y * x**2").unwrap();
        let l = layout(&g).unwrap();
        assert!(l.edges.windows(2).all(|w| w[0].to <= w[1].to));
        let x = |label: &str| l.pos[g.find(label).unwrap().index()].0;
        assert!(x("y") == x("x") && x("x") < x("v1") && x("v1") < x("v2"));
        assert_eq!(l.crossings, Some(0));
        assert_eq!(l.edges.len(), 3);
        // y → v2 skips a layer: its edge bends through one extra point.
        let e = l.edges.iter().find(|e| g.label(e.from) == "y").unwrap();
        assert_eq!(e.points.len(), 3);
    }

    /// What a drawing would cost, counted before it is made: the points its edges then have.
    #[test]
    fn edge_points_are_counted_before_the_layout() {
        for src in [
            "y * x**2",
            "def f(x, n=12):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v) + x\n  return v",
            "def f(x, y, z):\n  a = x * y\n  b = sin(x) + z * a\n  c = exp(b) / (a + y)\n  return c * x + a * b, c - z",
        ] {
            let g = lower_source(src).unwrap();
            let l = layout(&g).unwrap();
            let points: usize = l.edges.iter().map(|e| e.points.len()).sum();
            assert_eq!(edge_points(&g), points, "{src}");
        }
    }

    #[test]
    fn nodes_never_overlap() {
        for src in [
            "def f(x, n=12):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v",
            "def f(x, y, z):\n  a = x * y\n  b = sin(x) + z * a\n  c = exp(b) / (a + y)\n  return c * x + a * b, c - z",
        ] {
            let g = lower_source(src).unwrap();
            let l = layout(&g).unwrap();
            for i in 0..g.len() {
                for j in i + 1..g.len() {
                    let (a, b) = (l.pos[i], l.pos[j]);
                    let apart = (a.0 - b.0).abs() >= NODE_W || (a.1 - b.1).abs() >= NODE_H;
                    assert!(apart, "{src}: nodes {i} and {j} overlap at {a:?} {b:?}");
                }
            }
            assert!(l.pos.iter().all(|p| p.0 > 0.0 && p.1 > 0.0 && p.0 < l.width && p.1 < l.height));
        }
    }

    #[test]
    fn fitting_respects_spacing_and_order() {
        let y = spaced_fit(&[0.0, 0.0, 0.0], 10.0);
        assert_eq!(y, vec![-10.0, 0.0, 10.0]);
        let y = spaced_fit(&[0.0, 100.0], 10.0);
        assert_eq!(y, vec![0.0, 100.0]);
    }

    #[test]
    fn logistic_chain_has_no_crossings() {
        let g = lower_source(
            "def f(x, n=20):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v",
        )
        .unwrap();
        let l = layout(&g).unwrap();
        assert_eq!(l.crossings, Some(0));
    }
}
