//! `#/network`'s curves: the objective on each epoch's forward passes and on the held-out points (log scale), and the
//! fraction classified right, against the epoch.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{central, decade_ticks, forward, DrawResult, Frame, Line};
use super::Figure;
use crate::lab::network::EpochStats;
use crate::lab::Shared;

impl Figure for Shared<Vec<EpochStats>> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_training(root, self, px)
    }
}

/// Ticks at 1, 2 or 5 times a power of ten, about five of them from 0 to `max`.
fn epoch_ticks(max: usize) -> Vec<(f64, String)> {
    super::frame::round_ticks(0.0, max as f64, 1.0, &|v| {
        crate::base::num::fmt_count(v as u64)
    })
}

pub fn draw_training<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    history: &[EpochStats],
    px: f64,
) -> DrawResult<DB> {
    root.fill(&paper())?;
    let (w, h) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically((h as f64 * 0.58) as u32);
    let n = history.len();
    let xr = (0.0, n.max(1) as f64);
    let xt = epoch_ticks(n);
    // Plot at most ~600 points: every k-th epoch (and the last).
    let k = n.div_ceil(600).max(1);
    let idx: Vec<usize> = (0..n).filter(|i| i % k == 0 || i + 1 == n).collect();
    let series = |f: fn(&EpochStats) -> f64, log: bool| -> Vec<(f64, f64)> {
        idx.iter()
            .filter_map(|&i| {
                let v = f(&history[i]);
                let v = if log {
                    (v > 0.0).then(|| v.log10())
                } else {
                    Some(v)
                };
                v.filter(|v| v.is_finite()).map(|v| ((i + 1) as f64, v))
            })
            .collect()
    };
    // Loss, log scale.
    let train = series(|e| e.loss, true);
    let test = series(|e| e.test_loss, true);
    let (lo, hi) = train
        .iter()
        .chain(&test)
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (a, b) = if lo <= hi {
        (
            lo.floor() as i32,
            (hi.ceil() as i32).max(lo.floor() as i32 + 1),
        )
    } else {
        (-2, 1)
    };
    let f = Frame::new((w, h * 58 / 100), xr, (a as f64, b as f64), px, 2);
    f.axes(
        &top,
        &xt,
        &decade_ticks(a, b, if b - a > 6 { 2 } else { 1 }),
        "Training",
        "",
        "loss",
    )?;
    let mut legend = Vec::new();
    for (pts, c, name) in [
        (&train, forward(), "objective, training batches"),
        (&test, central(), "loss, held-out points"),
    ] {
        let pts: Vec<(f64, f64)> = pts.iter().copied().filter(|&p| f.contains(p)).collect();
        if pts.len() > 1 {
            f.line(&top, &pts, c, 2.4, Line::Solid)?;
        } else {
            f.dots(&top, &pts, c, 3.0)?;
        }
        if !pts.is_empty() {
            legend.push((name.to_string(), c, Line::Solid));
        }
    }
    f.legend(&top, &legend, &train)?;
    // Accuracy, linear.
    let g = Frame::new((w, h - h * 58 / 100), xr, (0.0, 1.0), px, 2);
    let yt: Vec<(f64, String)> = [0.0, 0.5, 1.0]
        .iter()
        .map(|&v| (v, format!("{}%", (v * 100.0) as u32)))
        .collect();
    g.axes(&bottom, &xt, &yt, "", "epoch", "accuracy")?;
    let mut legend = Vec::new();
    for (pts, c, name) in [
        (series(|e| e.accuracy, false), forward(), "training batches"),
        (
            series(|e| e.test_accuracy, false),
            central(),
            "held-out points",
        ),
    ] {
        if pts.len() > 1 {
            g.line(&bottom, &pts, c, 2.4, Line::Solid)?;
        } else {
            g.dots(&bottom, &pts, c, 3.0)?;
        }
        if !pts.is_empty() {
            legend.push((name.to_string(), c, Line::Solid));
        }
    }
    g.legend(&bottom, &legend, &[])?;
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            epoch_ticks(100).iter().map(|t| t.0).collect::<Vec<_>>(),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(epoch_ticks(0).len(), 1);
        assert_eq!(epoch_ticks(3).len(), 4);
    }
}
