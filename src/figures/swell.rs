//! `#/symbolic`'s figure: expression sizes against n (log scale) — f′ₙ by the rules, simplified, and the AD trace.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{
    central, decade_ticks, decades, forward, ink, model, red, DrawResult, Entry, Frame, Key, Line,
};
use super::Figure;
use crate::lab::symbolic::SwellRow;
use crate::lab::Shared;

impl Figure for Shared<Vec<SwellRow>> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_swell(root, self, px)
    }
}

/// Expression sizes against n, log scale.
pub fn draw_swell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[SwellRow],
    px: f64,
) -> DrawResult<DB> {
    root.fill(&paper())?;
    let n_of = |i: usize, r: &SwellRow| r.n.unwrap_or(i as i64 + 1) as f64;
    let max = rows
        .iter()
        .map(|r| r.df.max(r.f) as f64)
        .fold(10.0, f64::max);
    let (_, yb) = decades(1.0, max);
    let n_max = rows.len().max(2);
    let mut f = Frame::new(
        root.dim_in_pixel(),
        (0.5, n_max as f64 + 0.5),
        (0.0, yb as f64),
        px,
        5,
    );
    // About one tick label per 40 px of plot.
    let room = ((f.right - f.left) as f64 / (40.0 * px)).max(2.0) as usize;
    let step = n_max.div_ceil(room.min(15)).max(1);
    let xt: Vec<(f64, String)> = (1..=n_max)
        .filter(|n| (n - 1) % step == 0)
        .map(|n| (n as f64, n.to_string()))
        .collect();
    type Pick = fn(&SwellRow) -> Option<f64>;
    // Drawn in this order, so that fₙ as a tree (nearly the size of f′ₙ simplified for small n) stays visible on
    // top, as rings over a dashed line.
    let series: [(RGBColor, &str, Pick, Key); 5] = [
        (
            forward(),
            "f′ₙ simplified (expanded)",
            |r| r.df_simplified.map(|s| s as f64),
            Key::Line(Line::Solid),
        ),
        (
            red(),
            "f′ₙ by the rules, a tree",
            |r| Some(r.df as f64),
            Key::Line(Line::Solid),
        ),
        (
            central(),
            "AD trace, a graph (f and f′)",
            |r| Some(r.ad_trace as f64),
            Key::Line(Line::Solid),
        ),
        (
            ink(),
            "fₙ as a graph",
            |r| Some(r.f_dag as f64),
            Key::Line(Line::Dashed),
        ),
        (model(), "fₙ as a tree", |r| Some(r.f as f64), Key::Ring),
    ];
    let mut legend = Vec::new();
    let mut drawn: Vec<(Vec<(f64, f64)>, RGBColor, Key)> = Vec::new();
    for (color, name, pick, key) in series {
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                pick(r)
                    .filter(|v| *v >= 1.0)
                    .map(|v| (n_of(i, r), v.log10()))
            })
            .filter(|&p| f.contains(p))
            .collect();
        if pts.is_empty() {
            continue;
        }
        legend.push(Entry::new(name, color, key));
        drawn.push((pts, color, key));
    }
    let lines: Vec<&[(f64, f64)]> = drawn.iter().map(|(p, _, _)| p.as_slice()).collect();
    let points: Vec<(f64, f64)> = drawn
        .iter()
        .flat_map(|(p, _, _)| p.iter().copied())
        .collect();
    f.place_legend(&legend, &lines, &points);
    f.axes(
        root,
        &xt,
        &decade_ticks(0, yb, f.decade_step(yb, true)),
        "Expression size against n (log scale)",
        "n",
        "nodes",
    )?;
    for (pts, color, key) in &drawn {
        match key {
            Key::Ring => {
                f.line(root, pts, *color, 1.6, Line::Dashed)?;
                for &p in pts {
                    f.ring(root, p, *color, 5.0)?;
                }
            }
            Key::Line(kind) => {
                f.line(
                    root,
                    pts,
                    *color,
                    if *kind == Line::Solid { 2.6 } else { 1.8 },
                    *kind,
                )?;
                f.dots(
                    root,
                    pts,
                    *color,
                    if *kind == Line::Solid { 3.5 } else { 2.5 },
                )?;
            }
            Key::Dot => f.dots(root, pts, *color, 3.5)?,
        }
    }
    f.legend(root, &legend)?;
    root.present()
}
