//! Vertical placement: rows start evenly spaced; then each layer is fitted to its neighbours (least squares under a
//! minimum spacing, by isotonic regression), alternating directions, which straightens chains.

use super::order::sweep;
use super::route::Routed;
use super::ROW_GAP;

/// Each vertex's height.
pub(super) fn place(r: &Routed, rows: &[Vec<usize>]) -> Vec<f64> {
    let mut y = vec![0.0f64; r.vlayer.len()];
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(1);
    for row in rows {
        let offset = (tallest - row.len()) as f64 * ROW_GAP / 2.0;
        for (i, &v) in row.iter().enumerate() {
            y[v] = offset + i as f64 * ROW_GAP;
        }
    }
    for it in 0..8 {
        let down = it % 2 == 0;
        for l in sweep(r.layers, down) {
            let row = &rows[l];
            let desired: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let ns = if down { &r.pred[v] } else { &r.succ[v] };
                    let mean = |ns: &mut dyn Iterator<Item = &usize>, k: usize| {
                        ns.map(|&u| y[u]).sum::<f64>() / k as f64
                    };
                    let all = r.pred[v].len() + r.succ[v].len();
                    if !ns.is_empty() {
                        mean(&mut ns.iter(), ns.len())
                    } else if all > 0 {
                        mean(&mut r.pred[v].iter().chain(&r.succ[v]), all)
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
    y
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
