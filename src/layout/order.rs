//! Ordering each layer to reduce crossings: barycentre sweeps, alternately down and up, keeping the ordering with
//! the fewest crossings seen (counted for graphs up to a few thousand edges).

use super::route::Routed;

/// The rows in their final order, and their crossings when counted.
pub(super) fn order(r: &Routed) -> (Vec<Vec<usize>>, Option<usize>) {
    let mut rows = r.rows.clone();
    let nv = r.vlayer.len();
    let edge_count: usize = r.succ.iter().map(Vec::len).sum();
    let count = edge_count <= 3000;
    let mut index = vec![0usize; nv];
    reindex(&rows, &mut index);
    let mut best = rows.clone();
    let mut best_crossings = if count {
        crossings(&rows, &r.succ, &index)
    } else {
        usize::MAX
    };
    let iterations = if nv > 4000 { 2 } else { 6 };
    for it in 0..iterations {
        let down = it % 2 == 0;
        for l in sweep(r.layers, down) {
            // Inputs keep their order (the function's parameter order reads better than any heuristic).
            if l == 0 {
                continue;
            }
            let neighbours = if down { &r.pred } else { &r.succ };
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
            sort_keyed(&mut keyed);
            rows[l] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in rows[l].iter().enumerate() {
                index[v] = i;
            }
        }
        if count {
            let c = crossings(&rows, &r.succ, &index);
            if c < best_crossings {
                best_crossings = c;
                best = rows.clone();
            }
        } else {
            best = rows.clone();
        }
    }
    (best, count.then_some(best_crossings))
}

pub(super) fn reindex(rows: &[Vec<usize>], index: &mut [usize]) {
    for row in rows {
        for (i, &v) in row.iter().enumerate() {
            index[v] = i;
        }
    }
}

/// The layers a sweep visits: left to right from the second (`down`), or right to left from the one before last;
/// each is arranged against the layer it has just left.
pub(super) fn sweep(layers: usize, down: bool) -> Vec<usize> {
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

/// Sorts by (key, position): a heap sort. The order is total (positions differ), so any sort gives this result;
/// core's sort would ship 3 KB of code for this one call.
fn sort_keyed(v: &mut [(f64, usize, usize)]) {
    fn less(a: &(f64, usize, usize), b: &(f64, usize, usize)) -> bool {
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).is_lt()
    }
    fn sift(v: &mut [(f64, usize, usize)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && less(&v[child], &v[child + 1]) {
                child += 1;
            }
            if !less(&v[root], &v[child]) {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heap_sort_sorts_by_key_then_position() {
        let mut state = 7u64;
        for n in 0..60 {
            let mut v: Vec<(f64, usize, usize)> = (0..n)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (((state >> 33) % 7) as f64 - 3.0, i, n - i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            sort_keyed(&mut v);
            assert_eq!(v, want);
        }
    }
}
