//! `#/numeric`'s figure: the error of forward and central differences against the step h (log–log), with the error
//! model and the optimal steps.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::paper;
use super::frame::{
    central, decade_ticks, decades, forward, ink, model, sci_label, DrawResult, Frame, Line,
};
use super::Figure;
use crate::lab::numeric::NumericResults;
use crate::lab::Shared;

impl Figure for Shared<NumericResults> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_fd(root, self, px)
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
    let f = Frame::new(
        root.dim_in_pixel(),
        (-16.0, 0.0),
        (ya as f64, yb as f64),
        px,
        5,
    );
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
    f.axes(
        root,
        &decade_ticks(-16, 0, if narrow { 4 } else { 2 }),
        &decade_ticks(ya, yb, if yb - ya > 12 { 2 } else { 1 }),
        &title,
        "step h",
        "|difference − AD|",
    )?;
    let at = |(h, v): (f64, f64)| (h.log10(), v.log10());

    let mut legend = Vec::new();
    let mut plotted: Vec<(f64, f64)> = Vec::new();
    // The model: truncation of each scheme, and round-off (the same for both).
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
            f.line(root, &pts, color, 1.6, Line::Dashed)?;
            legend.push((name.to_string(), color, Line::Dashed));
            plotted.extend(&pts);
        }
    }
    // Measured errors: one polyline per run of plottable points, dots at every point.
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
        let mut any = false;
        for run in runs.iter().filter(|run| !run.is_empty()) {
            f.line(root, run, color, 2.6, Line::Solid)?;
            f.dots(root, run, color, 3.0)?;
            plotted.extend(run);
            any = true;
        }
        if any {
            legend.push((name.to_string(), color, Line::Solid));
        }
    }
    // Optimal steps of the model, and the step chosen on the page; labels staggered from the top.
    let mut marks: Vec<(f64, RGBColor, String)> = Vec::new();
    if let Some(h) = r.h_opt_forward {
        marks.push((h, forward(), format!("forward h* ≈ {}", sci_label(h))));
    }
    if let Some(h) = r.h_opt_central {
        marks.push((h, central(), format!("central h* ≈ {}", sci_label(h))));
    }
    marks.push((r.h, ink(), format!("h = {}", sci_label(r.h))));
    for (i, (h, color, text)) in marks.into_iter().enumerate() {
        let x = h.log10();
        if !(x > f.x.0 && x < f.x.1) {
            continue;
        }
        let (px_x, _) = f.to_px((x, f.y.0));
        let w = if color == ink() { 2.0 } else { 1.2 };
        root.draw(&PathElement::new(
            vec![(px_x, f.top), (px_x, f.bottom)],
            f.stroke(color, w),
        ))?;
        let y = f.top + ((30.0 + 22.0 * i as f64) * px) as i32;
        // Labels on the right of their line, or on the left near the right edge.
        let right_side = if narrow {
            px_x < (f.left + f.right) / 2
        } else {
            px_x < (f.left + 2 * f.right) / 3
        };
        let (anchor, dx) = if right_side {
            (HPos::Left, 5.0)
        } else {
            (HPos::Right, -5.0)
        };
        let style = f
            .font(14.0)
            .color(&color)
            .pos(Pos::new(anchor, VPos::Center));
        root.draw(&Text::new(text, (px_x + (dx * px) as i32, y), style))?;
    }
    f.legend(root, &legend, &plotted)?;
    root.present()
}
