//! Layered drawing of a computational graph, left to right: inputs in the first column, outputs in the last.
//!
//! A small Sugiyama pipeline: longest-path layers; dummy points for edges that skip layers; barycentre sweeps to
//! reduce crossings (the best ordering seen is kept); then each layer's vertical positions are the least-squares fit
//! to its neighbours' positions under a minimum spacing (isotonic regression), which straightens chains.
//!
//! Pure geometry in abstract units; the UI scales it.

use crate::lang::graph::{Graph, NodeId, Op};

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

/// The drawing, or `None` when it would need more than [`MAX_POINTS`] points.
pub fn layout(g: &Graph) -> Option<Layout> {
    let n = g.len();
    if n == 0 {
        return Some(Layout {
            pos: vec![],
            layer: vec![],
            edges: vec![],
            width: 0.0,
            height: 0.0,
            crossings: Some(0),
        });
    }
    let consumers = g.consumers();

    // 1. Layers: inputs first; every other node one right of its rightmost parent; outputs nobody reads go last.
    let mut layer = vec![0u32; n];
    for id in g.ids() {
        layer[id.index()] = match g.node(id).op {
            Op::Input(_) => 0,
            _ => g
                .node(id)
                .op
                .parents()
                .map(|p| layer[p.index()] + 1)
                .max()
                .unwrap_or(1),
        };
    }
    let last = layer.iter().copied().max().unwrap_or(0).max(1);
    for &o in &g.outputs {
        if consumers[o.index()].is_empty() {
            layer[o.index()] = last;
        }
    }

    // 2. Vertices per layer, with dummies on long edges. `chains[e]` lists the vertices an edge passes through.
    let dummies: usize = g
        .ids()
        .flat_map(|id| g.node(id).op.parents().map(move |p| (p, id)))
        .map(|(p, id)| (layer[id.index()] - layer[p.index()]).saturating_sub(1) as usize)
        .sum();
    if n + dummies > MAX_POINTS {
        return None;
    }
    let layers_n = last as usize + 1;
    // Vertices 0..n are the nodes; dummies (points of edges that pass through a layer) follow.
    let mut nv = n;
    let mut vlayer: Vec<u32> = layer.clone();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut edges: Vec<(NodeId, NodeId, Vec<u8>, Vec<usize>)> = Vec::new();
    for id in g.ids() {
        let parents: Vec<NodeId> = g.node(id).op.parents().collect();
        for (slot, &p) in parents.iter().enumerate() {
            if let Some(e) = edges
                .iter_mut()
                .rev()
                .take(2)
                .find(|e| e.0 == p && e.1 == id)
            {
                e.2.push(slot as u8);
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
            edges.push((p, id, vec![slot as u8], chain));
        }
    }
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers_n];
    for (v, &l) in vlayer.iter().enumerate() {
        rows[l as usize].push(v);
    }

    // 3. Ordering by barycentre sweeps, keeping the ordering with fewest crossings.
    let edge_count: usize = succ.iter().map(Vec::len).sum();
    let count = edge_count <= 3000;
    let mut index = vec![0usize; nv];
    let reindex = |rows: &Vec<Vec<usize>>, index: &mut Vec<usize>| {
        for row in rows {
            for (i, &v) in row.iter().enumerate() {
                index[v] = i;
            }
        }
    };
    reindex(&rows, &mut index);
    let mut best = rows.clone();
    let mut best_crossings = if count {
        crossings(&rows, &succ, &index)
    } else {
        usize::MAX
    };
    let iterations = if nv > 4000 { 2 } else { 6 };
    for it in 0..iterations {
        let down = it % 2 == 0;
        let order = sweep(layers_n, down);
        for l in order {
            let neighbours = if down { &pred } else { &succ };
            let mut keyed: Vec<(f64, usize, usize)> = rows[l]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let ns = &neighbours[v];
                    let key = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&u| index[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, i, v)
                })
                .collect();
            // Inputs keep their order (the function's parameter order reads better than any heuristic).
            if l == 0 {
                continue;
            }
            keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in rows[l].iter().enumerate() {
                index[v] = i;
            }
        }
        if count {
            let c = crossings(&rows, &succ, &index);
            if c < best_crossings {
                best_crossings = c;
                best = rows.clone();
            }
        } else {
            best = rows.clone();
        }
    }
    let rows = best;
    reindex(&rows, &mut index);

    // 4. Vertical positions: start evenly spaced, then fit each layer to its neighbours, alternating directions.
    let mut y = vec![0.0f64; nv];
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(1);
    for row in &rows {
        let offset = (tallest - row.len()) as f64 * ROW_GAP / 2.0;
        for (i, &v) in row.iter().enumerate() {
            y[v] = offset + i as f64 * ROW_GAP;
        }
    }
    for it in 0..8 {
        let down = it % 2 == 0;
        let order = sweep(layers_n, down);
        for l in order {
            let row = &rows[l];
            let desired: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let ns = if down { &pred[v] } else { &succ[v] };
                    let mean = |ns: &mut dyn Iterator<Item = &usize>, k: usize| {
                        ns.map(|&u| y[u]).sum::<f64>() / k as f64
                    };
                    let all = pred[v].len() + succ[v].len();
                    if !ns.is_empty() {
                        mean(&mut ns.iter(), ns.len())
                    } else if all > 0 {
                        mean(&mut pred[v].iter().chain(&succ[v]), all)
                    } else {
                        y[v]
                    }
                })
                .collect();
            let placed = spaced_fit(&desired, ROW_GAP);
            for (&v, p) in row.iter().zip(placed) {
                y[v] = p;
            }
        }
    }
    let min_y = y.iter().copied().fold(f64::INFINITY, f64::min);
    let max_y = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let top = MARGIN + NODE_H / 2.0;
    let x_of = |l: u32| MARGIN + NODE_W / 2.0 + l as f64 * LAYER_GAP;
    let point = |v: usize| (x_of(vlayer[v]), y[v] - min_y + top);

    let pos: Vec<(f64, f64)> = (0..n).map(point).collect();
    let edges = edges
        .into_iter()
        .map(|(from, to, slots, chain)| {
            let mut points = Vec::with_capacity(chain.len());
            let (fx, fy) = pos[from.index()];
            points.push((fx + NODE_W / 2.0, fy));
            for &d in &chain[1..chain.len() - 1] {
                points.push(point(d));
            }
            let (tx, ty) = pos[to.index()];
            let arity = g.node(to).op.parents().count();
            let dy = if arity == 2 && slots.len() == 1 {
                if slots[0] == 0 {
                    -12.0
                } else {
                    12.0
                }
            } else {
                0.0
            };
            points.push((tx - NODE_W / 2.0, ty + dy));
            Edge {
                from,
                to,
                slots,
                points,
            }
        })
        .collect();
    Some(Layout {
        pos,
        layer,
        edges,
        width: x_of(last) + NODE_W / 2.0 + MARGIN,
        height: (max_y - min_y) + NODE_H + 2.0 * MARGIN,
        crossings: count.then_some(best_crossings),
    })
}

/// The layers a sweep visits: left to right from the second (`down`), or right to left from the one before last;
/// each is arranged against the layer it has just left.
fn sweep(layers: usize, down: bool) -> Vec<usize> {
    if down {
        (1..layers).collect()
    } else {
        (0..layers.saturating_sub(1)).rev().collect()
    }
}

/// Crossings between consecutive layers, counted pairwise.
fn crossings(rows: &[Vec<usize>], succ: &[Vec<usize>], index: &[usize]) -> usize {
    let mut total = 0;
    for row in rows {
        let mut segs: Vec<(usize, usize)> = Vec::new();
        for &v in row {
            for &w in &succ[v] {
                segs.push((index[v], index[w]));
            }
        }
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                let (a, b) = (segs[i], segs[j]);
                if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Positions `y` closest to `desired` (least squares) with `y[i+1] − y[i] ≥ gap`: isotonic regression of
/// `desired[i] − i·gap` by pooling adjacent violators.
pub fn spaced_fit(desired: &[f64], gap: f64) -> Vec<f64> {
    let z: Vec<f64> = desired
        .iter()
        .enumerate()
        .map(|(i, d)| d - i as f64 * gap)
        .collect();
    // Blocks of (sum, count).
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(z.len());
    for &v in &z {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 > s2 / c2 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, c1 + c2);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(z.len());
    for (s, c) in blocks {
        for _ in 0..c {
            out.push(s / c as f64);
        }
    }
    out.iter()
        .enumerate()
        .map(|(i, v)| v + i as f64 * gap)
        .collect()
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
