//! `#/numeric`'s figure: the error of forward and central differences against the step h (log–log), with the error
//! model and the optimal steps.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{
    central, decade_ticks, decades, forward, ink, model, sci_label, DrawResult, Entry, Frame, Key,
    Line,
};
use super::Figure;
use crate::lab::numeric::NumericResults;
use crate::lab::Shared;

impl Figure for Shared<NumericResults> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_fd(root, self, px)
    }

    /// Eight legend entries: under the plot, which keeps its height.
    fn slide_aspect(&self) -> f64 {
        0.75
    }
}

/// Error of forward and central differences against h, log–log, with the error model and the optimal steps.
pub fn draw_fd<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &NumericResults,
    px: f64,
) -> DrawResult<DB> {
    root.fill(&paper())?;
    // y range: every measured error and the model's values, within reason; log₁₀ coordinates on both axes.
    let mut values: Vec<f64> = r
        .err_forward
        .iter()
        .chain(&r.err_central)
        .flatten()
        .copied()
        .collect();
    for &h in &r.hs {
        let (tf, tc, ro) = r.model(h);
        values.extend(
            [tf, tc, ro]
                .into_iter()
                .filter(|v| v.is_finite() && *v > 0.0),
        );
    }
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(1e-20);
    let hi = values.iter().copied().fold(0.0, f64::max).min(1e12);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (1e-16, 1.0)
    };
    let (ya, yb) = decades(lo, hi);
    let ya = ya.max(yb - 24);
    let mut f = Frame::new(
        root.dim_in_pixel(),
        (-16.0, 0.0),
        (ya as f64, yb as f64),
        px,
        5,
    );
    // Where the plot is across the canvas: a click on it picks an h (`NumericResults::h_at`).
    r.plot_x.set((f.left, f.right));
    let narrow = Frame::narrow(root.dim_in_pixel(), px);
    let title = if narrow {
        format!(
            "Error against h at {} = {}",
            r.variable,
            crate::base::num::fmt_compact(r.x)
        )
    } else {
        format!(
            "Error of finite differences for ∂f/∂{} at {} = {}",
            r.variable,
            r.variable,
            crate::base::num::fmt_compact(r.x)
        )
    };
    let at = |(h, v): (f64, f64)| (h.log10(), v.log10());

    // The series first (the legend is placed clear of them), then the drawing.
    let mut legend = Vec::new();
    let mut models: Vec<(Vec<(f64, f64)>, RGBColor)> = Vec::new();
    for (k, color, name) in [
        (0, forward(), "model: truncation h·|f″|/2"),
        (1, central(), "model: truncation h²·|f‴|/6"),
        (2, model(), "model: round-off ε·|f|/h"),
    ] {
        let pts: Vec<(f64, f64)> =
            r.hs.iter()
                .map(|&h| {
                    let m = r.model(h);
                    at((h, [m.0, m.1, m.2][k]))
                })
                .filter(|&p| f.contains(p))
                .collect();
        if pts.len() >= 2 {
            legend.push(Entry::new(name, color, Key::Line(Line::Dashed)));
            models.push((pts, color));
        }
    }
    // Measured errors: one polyline per run of plottable points, dots at every point.
    let mut measured: Vec<(Vec<(f64, f64)>, RGBColor)> = Vec::new();
    for (errs, color, name) in [
        (&r.err_forward, forward(), "forward difference"),
        (&r.err_central, central(), "central difference"),
    ] {
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (&h, e) in r.hs.iter().zip(errs.iter()) {
            match e.map(|v| at((h, v))).filter(|&p| f.contains(p)) {
                Some(p) => runs.last_mut().map_or((), |run| run.push(p)),
                None => runs.push(Vec::new()),
            }
        }
        let runs: Vec<Vec<(f64, f64)>> = runs.into_iter().filter(|run| !run.is_empty()).collect();
        if !runs.is_empty() {
            legend.push(Entry::new(name, color, Key::Line(Line::Solid)));
        }
        measured.extend(runs.into_iter().map(|run| (run, color)));
    }
    // Optimal steps of the model, and the step chosen on the page: each a vertical line, named in the legend with its
    // value and tagged on the plot.
    let mut marks: Vec<(f64, RGBColor, &str, String)> = Vec::new();
    if let Some(h) = r.h_opt_forward.filter(|_| !r.hide_best) {
        marks.push((h, forward(), "h*", format!("forward h* ≈ {}", sci_label(h))));
    }
    if let Some(h) = r.h_opt_central.filter(|_| !r.hide_best) {
        marks.push((h, central(), "h*", format!("central h* ≈ {}", sci_label(h))));
    }
    marks.push((r.h, ink(), "h", format!("h = {}", sci_label(r.h))));
    marks.retain(|(h, _, _, _)| h.log10() > f.x.0 && h.log10() < f.x.1);
    for (_, color, _, name) in &marks {
        legend.push(Entry::new(name.clone(), *color, Key::Line(Line::Solid)));
    }
    let rules: Vec<[(f64, f64); 2]> = marks
        .iter()
        .map(|(h, _, _, _)| [(h.log10(), f.y.0), (h.log10(), f.y.1)])
        .collect();
    let lines: Vec<&[(f64, f64)]> = models
        .iter()
        .chain(&measured)
        .map(|(p, _)| p.as_slice())
        .chain(rules.iter().map(|r| r.as_slice()))
        .collect();
    let points: Vec<(f64, f64)> = measured
        .iter()
        .flat_map(|(p, _)| p.iter().copied())
        .collect();
    f.place_legend(&legend, &lines, &points);
    f.axes(
        root,
        &decade_ticks(-16, 0, f.decade_step(16, false)),
        &decade_ticks(ya, yb, f.decade_step(yb - ya, true)),
        &title,
        "step h",
        "|difference − AD|",
    )?;
    for (pts, color) in &models {
        f.line(root, pts, *color, 1.6, Line::Dashed)?;
    }
    for (run, color) in &measured {
        f.line(root, run, *color, 2.6, Line::Solid)?;
        f.dots(root, run, *color, 3.0)?;
    }
    // The lines first, then their tags, placed where they cross nothing.
    for (h, color, _, _) in &marks {
        let w = if *color == ink() { 2.0 } else { 1.2 };
        f.vrule(root, h.log10(), *color, w, Line::Solid)?;
    }
    for (h, color, tag, _) in &marks {
        let (x, _) = f.to_px((h.log10(), f.y.0));
        f.label(root, tag, (x, f.top), *color)?;
    }
    f.legend(root, &legend)?;
    root.present()
}
