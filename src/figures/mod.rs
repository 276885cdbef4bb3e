//! The chapters' figures, drawn with plotters onto any `DrawingBackend`: a canvas in the browser (only
//! `ui::canvas` touches one), an SVG string in native tests.
//!
//! The figures use plotters' drawing area and elements (paths, circles, text) with a small frame of our own for the
//! axes, ticks and legend — exactly the look we want for a projector (decade labels as `10⁻⁸`, a legend that never
//! covers data in the corner we pick), and much less code shipped than the general chart machinery.
//!
//! Every value is checked to be finite and inside the frame before it is drawn: bad data makes a gap, never a
//! panic.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::base::num::{pow10_label, superscript_int};
use crate::lab::numeric::NumericResults;
use crate::lab::symbolic::SwellRow;

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Colours shared with the stylesheet.
pub const FORWARD: RGBColor = RGBColor(0xb4, 0x53, 0x09);
pub const CENTRAL: RGBColor = RGBColor(0x1f, 0x5f, 0xae);
pub const MODEL: RGBColor = RGBColor(0x6b, 0x77, 0x83);
pub const RED: RGBColor = RGBColor(0xb4, 0x23, 0x18);
pub const INK: RGBColor = RGBColor(0x1b, 0x21, 0x28);
const GRID: RGBColor = RGBColor(0xe3, 0xe6, 0xea);

/// `3·10⁻⁸`: a number for an axis annotation.
pub fn sci_label(x: f64) -> String {
    if !(x.is_finite() && x > 0.0) {
        return crate::base::num::fmt_compact(x);
    }
    let k = x.log10().floor() as i32;
    let m = (x / 10f64.powi(k) * 10.0).round() / 10.0;
    if (m - 1.0).abs() < 1e-9 {
        pow10_label(k)
    } else if (m - 10.0).abs() < 1e-9 {
        pow10_label(k + 1)
    } else {
        format!(
            "{}·10{}",
            crate::base::num::fmt_sig(m, 2),
            superscript_int(k as i64)
        )
    }
}

/// Decades covering `[lo, hi]` (both positive).
fn decades(lo: f64, hi: f64) -> (i32, i32) {
    let a = lo.log10().floor() as i32;
    let b = (hi.log10().ceil() as i32).max(a + 1);
    (a, b)
}

/// Ticks every `step` decades from 10^a to 10^b, labelled `10ᵏ`, at log₁₀ positions.
fn decade_ticks(a: i32, b: i32, step: i32) -> Vec<(f64, String)> {
    (a..=b)
        .filter(|k| (k - a) % step == 0)
        .map(|k| (k as f64, pow10_label(k)))
        .collect()
}

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq)]
enum Line {
    Solid,
    Dashed,
}

/// The plotting frame: a pixel box and the data ranges it shows (both axes linear; log plots pass log₁₀ values).
struct Frame {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
    x: (f64, f64),
    y: (f64, f64),
    /// Pixels per CSS pixel (fonts and strokes scale with it).
    px: f64,
}

impl Frame {
    /// On a narrow figure (a phone) `legend_rows` rows are reserved under the plot for the legend, which would
    /// otherwise cover the data.
    fn new(area: (u32, u32), x: (f64, f64), y: (f64, f64), px: f64, legend_rows: usize) -> Frame {
        let s = |v: f64| (v * px).round() as i32;
        let below = if Frame::narrow(area, px) {
            s(22.0 * legend_rows as f64 + 24.0)
        } else {
            0
        };
        Frame {
            left: s(86.0),
            top: s(66.0),
            right: area.0 as i32 - s(24.0),
            bottom: area.1 as i32 - s(58.0) - below,
            x,
            y,
            px,
        }
    }

    fn narrow(area: (u32, u32), px: f64) -> bool {
        (area.0 as f64) / px < 560.0
    }

    fn to_px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        let w = (self.right - self.left) as f64;
        let h = (self.bottom - self.top) as f64;
        (
            (self.left as f64 + fx * w).round() as i32,
            (self.bottom as f64 - fy * h).round() as i32,
        )
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite()
            && y.is_finite()
            && x >= self.x.0
            && x <= self.x.1
            && y >= self.y.0
            && y <= self.y.1
    }

    fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", (size * self.px).round())
            .into_font()
            .color(&INK)
    }

    fn stroke(&self, c: RGBColor, w: f64) -> ShapeStyle {
        c.stroke_width((w * self.px).round().max(1.0) as u32)
    }

    /// Grid, axes, tick labels and axis titles.
    fn axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        xt: &[(f64, String)],
        yt: &[(f64, String)],
        title: &str,
        x_title: &str,
        y_title: &str,
    ) -> DrawResult<DB> {
        root.draw(&Text::new(
            title.to_string(),
            ((self.left + self.right) / 2, (8.0 * self.px) as i32),
            self.font(18.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        let grid = self.stroke(GRID, 1.0);
        let label = self.font(15.0);
        let gap = (8.0 * self.px) as i32;
        for (v, text) in xt {
            let (x, _) = self.to_px((*v, self.y.0));
            root.draw(&PathElement::new(
                vec![(x, self.top), (x, self.bottom)],
                grid,
            ))?;
            root.draw(&Text::new(
                text.clone(),
                (x, self.bottom + gap),
                label.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        for (v, text) in yt {
            let (_, y) = self.to_px((self.x.0, *v));
            root.draw(&PathElement::new(
                vec![(self.left, y), (self.right, y)],
                grid,
            ))?;
            root.draw(&Text::new(
                text.clone(),
                (self.left - gap, y),
                label.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        let axis = self.stroke(MODEL, 1.5);
        root.draw(&PathElement::new(
            vec![
                (self.left, self.top),
                (self.left, self.bottom),
                (self.right, self.bottom),
            ],
            axis,
        ))?;
        let title = self.font(16.0);
        let mid_x = (self.left + self.right) / 2;
        root.draw(&Text::new(
            x_title.to_string(),
            (mid_x, self.bottom + (32.0 * self.px) as i32),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        // The y title sits above the axis, reading left to right (no rotated text to squint at).
        root.draw(&Text::new(
            y_title.to_string(),
            (
                self.left - (64.0 * self.px) as i32,
                self.top - (12.0 * self.px) as i32,
            ),
            title.pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
        Ok(())
    }

    /// A polyline through data points (all inside the frame).
    fn line<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        pts: &[(f64, f64)],
        c: RGBColor,
        w: f64,
        kind: Line,
    ) -> DrawResult<DB> {
        let px: Vec<(i32, i32)> = pts.iter().map(|&p| self.to_px(p)).collect();
        let style = self.stroke(c, w);
        match kind {
            Line::Solid => root.draw(&PathElement::new(px, style)),
            Line::Dashed => {
                for seg in dashes(&px, 7.0 * self.px) {
                    root.draw(&PathElement::new(seg, style))?;
                }
                Ok(())
            }
        }
    }

    fn dots<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        pts: &[(f64, f64)],
        c: RGBColor,
        r: f64,
    ) -> DrawResult<DB> {
        for &p in pts {
            root.draw(&Circle::new(
                self.to_px(p),
                (r * self.px).round() as i32,
                c.filled(),
            ))?;
        }
        Ok(())
    }

    /// A boxed legend in the corner of the frame where it covers the fewest `plotted` points.
    fn legend<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        items: &[(String, RGBColor, Line)],
        plotted: &[(f64, f64)],
    ) -> DrawResult<DB> {
        if items.is_empty() {
            return Ok(());
        }
        let font = self.font(14.0);
        let row = (22.0 * self.px) as i32;
        let pad = (10.0 * self.px) as i32;
        let sample = (28.0 * self.px) as i32;
        let widest = items
            .iter()
            .map(|(t, _, _)| root.estimate_text_size(t, &font).map_or(0, |s| s.0 as i32))
            .max()
            .unwrap_or(0);
        let (w, h) = (
            pad * 3 + sample + widest,
            pad * 2 + row * items.len() as i32 - (row - (16.0 * self.px) as i32),
        );
        let corners = [
            (self.left + pad * 2, self.top + pad * 2),
            (self.left + pad * 2, self.bottom - pad * 2 - h),
            (self.right - pad * 2 - w, self.bottom - pad * 2 - h),
            (self.right - pad * 2 - w, self.top + pad * 2),
        ];
        let covered = |&(x, y): &(i32, i32)| {
            plotted
                .iter()
                .map(|&p| self.to_px(p))
                .filter(|&(px, py)| {
                    px >= x - pad && px <= x + w + pad && py >= y - pad && py <= y + h + pad
                })
                .count()
        };
        let (x0, y0) = if Frame::narrow(root.dim_in_pixel(), self.px) {
            // Under the plot, in the room `Frame::new` kept for it.
            (self.left - pad * 4, self.bottom + (56.0 * self.px) as i32)
        } else {
            corners
                .iter()
                .copied()
                .min_by_key(covered)
                .unwrap_or(corners[0])
        };
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            WHITE.mix(0.94).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            self.stroke(MODEL, 1.0),
        ))?;
        for (i, (text, c, kind)) in items.iter().enumerate() {
            let y = y0 + pad + row * i as i32 + (8.0 * self.px) as i32;
            let seg = vec![(x0 + pad, y), (x0 + pad + sample, y)];
            let style = self.stroke(*c, if *kind == Line::Solid { 3.0 } else { 1.8 });
            match kind {
                Line::Solid => root.draw(&PathElement::new(seg, style))?,
                Line::Dashed => {
                    for s in dashes(&seg, 6.0 * self.px) {
                        root.draw(&PathElement::new(s, style))?;
                    }
                }
            }
            root.draw(&Text::new(
                text.clone(),
                (x0 + pad * 2 + sample, y),
                font.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// Splits a pixel polyline into dashes of length `dash` separated by gaps of the same length.
fn dashes(pts: &[(i32, i32)], dash: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    let (mut on, mut left) = (true, dash);
    for w in pts.windows(2) {
        let (a, b) = (
            (w[0].0 as f64, w[0].1 as f64),
            (w[1].0 as f64, w[1].1 as f64),
        );
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut t = 0.0;
        while t < len {
            let step = left.min(len - t);
            let p = |s: f64| {
                (
                    (a.0 + (b.0 - a.0) * s / len).round() as i32,
                    (a.1 + (b.1 - a.1) * s / len).round() as i32,
                )
            };
            if on {
                if current.is_empty() {
                    current.push(p(t));
                }
                current.push(p(t + step));
            }
            t += step;
            left -= step;
            if left <= 0.0 {
                if on && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                on = !on;
                left = dash;
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Error of forward and central differences against h, log–log, with the error model and the optimal steps.
pub fn draw_fd<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &NumericResults,
    px: f64,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
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
        (0, FORWARD, "model: truncation h·|f″|/2"),
        (1, CENTRAL, "model: truncation h²·|f‴|/6"),
        (2, MODEL, "model: round-off ε·|f|/h"),
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
        (&r.err_forward, FORWARD, "forward difference"),
        (&r.err_central, CENTRAL, "central difference"),
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
        marks.push((h, FORWARD, format!("forward h* ≈ {}", sci_label(h))));
    }
    if let Some(h) = r.h_opt_central {
        marks.push((h, CENTRAL, format!("central h* ≈ {}", sci_label(h))));
    }
    marks.push((r.h, INK, format!("h = {}", sci_label(r.h))));
    for (i, (h, color, text)) in marks.into_iter().enumerate() {
        let x = h.log10();
        if !(x > f.x.0 && x < f.x.1) {
            continue;
        }
        let (px_x, _) = f.to_px((x, f.y.0));
        let w = if color == INK { 2.0 } else { 1.2 };
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

/// Expression sizes against n, log scale.
pub fn draw_swell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[SwellRow],
    px: f64,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
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
        (MODEL, "fₙ", |r| Some(r.f as f64), Line::Dashed),
        (
            RED,
            "f′ₙ by the rules, unsimplified",
            |r| Some(r.df as f64),
            Line::Solid,
        ),
        (
            FORWARD,
            "f′ₙ simplified (expanded)",
            |r| r.df_simplified.map(|s| s as f64),
            Line::Solid,
        ),
        (
            CENTRAL,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::numeric::NumericState;
    use crate::lab::symbolic::{SymbolicAction, SymbolicState};
    use crate::lab::ChapterModel;

    /// Draws to an SVG string (also written to `$AD_LAB_PLOT_DIR/<name>.svg` when set, to look at).
    fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>)) -> String {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (960, 560)).into_drawing_area();
            draw(&root);
        }
        if let Ok(dir) = std::env::var("AD_LAB_PLOT_DIR") {
            let n = std::fs::read_dir(&dir).map_or(0, |d| d.count());
            let _ = std::fs::write(format!("{dir}/plot-{n}.svg"), &s);
        }
        s
    }

    #[test]
    fn fd_plot_has_readable_axes_legend_and_marks() {
        let r = NumericState::default().results().unwrap();
        let out = svg(|root| draw_fd(root, &r, 1.0).unwrap());
        for needle in [
            "10⁻⁸",
            "10⁻¹⁶",
            "step h",
            "forward difference",
            "central difference",
            "round-off",
            "h = 10⁻⁷",
            "h* ≈",
        ] {
            assert!(out.contains(needle), "missing {needle:?}");
        }
        assert!(!out.contains("0.0000"), "no unreadable decimal tick labels");
        assert!(
            out.matches("<circle").count() > 60,
            "measured points are drawn"
        );
    }

    #[test]
    fn swell_plot_draws_all_series() {
        let s = SymbolicState::default().apply(SymbolicAction::NMax("20".into()));
        let sw = s.swell().unwrap();
        let out = svg(|root| draw_swell(root, &sw.rows, 1.0).unwrap());
        for needle in [
            "AD trace",
            "f′ₙ by the rules, unsimplified",
            "f′ₙ simplified (expanded)",
            "nodes",
            "10⁶",
        ] {
            assert!(out.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn bad_data_draws_without_panicking() {
        // A constant function: every error is 0 and the model vanishes; an overflowing one: everything is infinite.
        for src in ["x * 0 + 3", "exp(exp(exp(x)))"] {
            let s = NumericState::default()
                .apply(crate::lab::numeric::NumericAction::Source(src.into()));
            let s = s.apply(crate::lab::numeric::NumericAction::Input(
                "x".into(),
                "10".into(),
            ));
            let r = s.results().unwrap();
            let _ = svg(|root| draw_fd(root, &r, 2.0).unwrap());
        }
        let _ = svg(|root| draw_swell(root, &[], 1.0).unwrap());
        assert_eq!(sci_label(3e-8), "3·10⁻⁸");
        assert_eq!(sci_label(1e-7), "10⁻⁷");
        assert_eq!(sci_label(9.99e-8), "10⁻⁷");
    }

    #[test]
    fn dashes_cover_half_the_line() {
        let d = dashes(&[(0, 0), (100, 0)], 10.0);
        assert_eq!(d.len(), 5);
        assert_eq!(d[0], vec![(0, 0), (10, 0)]);
    }
}
