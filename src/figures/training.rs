//! `#/network`'s curves: the objective on each epoch's forward passes and on the held-out points (log scale), and the
//! fraction classified right, against the epoch.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{central, decade_ticks, forward, DrawResult, Entry, Frame, Key, Line};
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
    let mut f = Frame::new((w, h * 58 / 100), xr, (a as f64, b as f64), px, 2);
    // No axis title under the top panel, no title over the bottom one: their room goes to the plots.
    if !Frame::narrow((w, h), px) {
        f.bottom += (26.0 * px) as i32;
    }
    let losses: Vec<(Vec<(f64, f64)>, RGBColor, &str)> = [
        (&train, forward(), "objective, training batches"),
        (&test, central(), "loss, held-out points"),
    ]
    .into_iter()
    .map(|(pts, c, name)| {
        (
            pts.iter().copied().filter(|&p| f.contains(p)).collect(),
            c,
            name,
        )
    })
    .filter(|(pts, _, _): &(Vec<(f64, f64)>, _, _)| !pts.is_empty())
    .collect();
    series_panel(
        &top,
        &mut f,
        &losses,
        &xt,
        &decade_ticks(a, b, if b - a > 6 { 2 } else { 1 }),
        "Training",
        "",
        "loss",
    )?;
    // Accuracy, linear.
    let mut g = Frame::new((w, h - h * 58 / 100), xr, (0.0, 1.0), px, 0);
    g.top -= (26.0 * px) as i32;
    let yt: Vec<(f64, String)> = [0.0, 0.5, 1.0]
        .iter()
        .map(|&v| (v, format!("{}%", (v * 100.0) as u32)))
        .collect();
    let accuracy: Vec<(Vec<(f64, f64)>, RGBColor, &str)> = [
        (series(|e| e.accuracy, false), forward(), ""),
        (series(|e| e.test_accuracy, false), central(), ""),
    ]
    .into_iter()
    .filter(|(pts, _, _)| !pts.is_empty())
    .collect();
    series_panel(
        &bottom,
        &mut g,
        &accuracy,
        &xt,
        &yt,
        "",
        "epoch",
        if accuracy.len() > 1 {
            "accuracy (colours as above)"
        } else {
            "accuracy"
        },
    )?;
    root.present()
}

/// One panel: its series as lines (a single point as a dot), the legend placed clear of them.
#[allow(clippy::too_many_arguments)]
fn series_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &mut Frame,
    series: &[(Vec<(f64, f64)>, RGBColor, &str)],
    xt: &[(f64, String)],
    yt: &[(f64, String)],
    title: &str,
    x_title: &str,
    y_title: &str,
) -> DrawResult<DB> {
    let legend: Vec<Entry> = series
        .iter()
        .filter(|(_, _, name)| !name.is_empty())
        .map(|(pts, c, name)| {
            Entry::new(
                *name,
                *c,
                if pts.len() > 1 {
                    Key::Line(Line::Solid)
                } else {
                    Key::Dot
                },
            )
        })
        .collect();
    let lines: Vec<&[(f64, f64)]> = series.iter().map(|(p, _, _)| p.as_slice()).collect();
    let points: Vec<(f64, f64)> = series
        .iter()
        .filter(|(p, _, _)| p.len() == 1)
        .flat_map(|(p, _, _)| p.iter().copied())
        .collect();
    f.place_legend(&legend, &lines, &points);
    f.axes(area, xt, yt, title, x_title, y_title)?;
    for (pts, c, _) in series {
        if pts.len() > 1 {
            f.line(area, pts, *c, 2.4, Line::Solid)?;
        } else {
            f.dots(area, pts, *c, 3.0)?;
        }
    }
    f.legend(area, &legend)
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
