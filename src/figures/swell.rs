//! `#/symbolic`'s figure: expression sizes against n (log scale) — f′ₙ by the rules, simplified, and the AD trace.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{central, decade_ticks, decades, forward, model, red, DrawResult, Frame, Line};
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
    let f = Frame::new(
        root.dim_in_pixel(),
        (0.5, n_max as f64 + 0.5),
        (0.0, yb as f64),
        px,
        4,
    );
    let step = n_max.div_ceil(15).max(1);
    let xt: Vec<(f64, String)> = (1..=n_max)
        .filter(|n| (n - 1) % step == 0 || *n == n_max)
        .map(|n| (n as f64, n.to_string()))
        .collect();
    f.axes(
        root,
        &xt,
        &decade_ticks(0, yb, if yb > 12 { 2 } else { 1 }),
        "Expression size against n (log scale)",
        "n",
        "nodes",
    )?;
    type Pick = fn(&SwellRow) -> Option<f64>;
    let series: [(RGBColor, &str, Pick, Line); 4] = [
        (model(), "fₙ", |r| Some(r.f as f64), Line::Dashed),
        (
            red(),
            "f′ₙ by the rules, unsimplified",
            |r| Some(r.df as f64),
            Line::Solid,
        ),
        (
            forward(),
            "f′ₙ simplified (expanded)",
            |r| r.df_simplified.map(|s| s as f64),
            Line::Solid,
        ),
        (
            central(),
            "AD trace (shared intermediates)",
            |r| Some(r.ad_trace as f64),
            Line::Solid,
        ),
    ];
    let mut legend = Vec::new();
    let mut plotted: Vec<(f64, f64)> = Vec::new();
    for (color, name, pick, kind) in series {
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
        f.line(
            root,
            &pts,
            color,
            if kind == Line::Solid { 2.6 } else { 1.6 },
            kind,
        )?;
        f.dots(
            root,
            &pts,
            color,
            if kind == Line::Solid { 3.5 } else { 2.5 },
        )?;
        legend.push((name.to_string(), color, kind));
        plotted.extend(pts);
    }
    f.legend(root, &legend, &plotted)?;
    root.present()
}
