//! The chapters' figures, drawn with plotters onto any `DrawingBackend`: a canvas in the browser (only
//! `ui::canvas` touches one), an SVG string in native tests.
//!
//! Every range is checked to be finite and non-empty and every point to be plottable before plotters sees it: bad
//! data makes a gap, never a panic.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::lab::numeric::NumericResults;
use crate::lab::symbolic::SwellRow;
use crate::num::{pow10_label, superscript_int};

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Colours shared with the stylesheet.
pub const FORWARD: RGBColor = RGBColor(0xb4, 0x53, 0x09);
pub const CENTRAL: RGBColor = RGBColor(0x1f, 0x5f, 0xae);
pub const MODEL: RGBColor = RGBColor(0x6b, 0x77, 0x83);
pub const RED: RGBColor = RGBColor(0xb4, 0x23, 0x18);
pub const PURPLE: RGBColor = RGBColor(0x6d, 0x28, 0xd9);
pub const INK: RGBColor = RGBColor(0x1b, 0x21, 0x28);
const GRID: RGBColor = RGBColor(0xe3, 0xe6, 0xea);

/// `3·10⁻⁸`: a number for an axis annotation.
pub fn sci_label(x: f64) -> String {
    if !(x.is_finite() && x > 0.0) {
        return crate::num::fmt_compact(x);
    }
    let k = x.log10().floor() as i32;
    let m = x / 10f64.powi(k);
    let m = (m * 10.0).round() / 10.0;
    if (m - 1.0).abs() < 1e-9 {
        pow10_label(k)
    } else {
        format!(
            "{}·10{}",
            crate::num::fmt_sig(m, 2),
            superscript_int(k as i64)
        )
    }
}

/// Decades covering `[lo, hi]` (both positive), as powers of ten.
fn decades(lo: f64, hi: f64) -> (i32, i32) {
    let a = lo.log10().floor() as i32;
    let b = (hi.log10().ceil() as i32).max(a + 1);
    (a, b)
}

/// Tick label of a log₁₀ coordinate: only whole decades are labelled.
fn decade_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        pow10_label(v.round() as i32)
    } else {
        String::new()
    }
}

/// Both figures draw on plain linear axes holding log₁₀ of the values: one chart type for the whole app (plotters
/// is generic over coordinates, and every extra coordinate type is extra code shipped) and ticks exactly on the
/// decades.
fn lg(v: f64) -> f64 {
    v.log10()
}

/// Error of forward and central differences against h, log–log, with the error model and the optimal steps.
pub fn draw_fd<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &NumericResults,
    px: f64,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let font = |s: f64| ("sans-serif", (s * px).round()).into_font();
    let (x_lo, x_hi) = (1e-16, 1.0);
    // y range: every measured error and the model's values, within reason.
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
    let (ya, yb) = (ya.max(yb - 24), yb);
    let (y_lo, y_hi) = (10f64.powi(ya), 10f64.powi(yb));
    let inside = |v: f64| v.is_finite() && v >= y_lo && v <= y_hi;

    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Error of finite differences for {} at {} = {}",
                "f′",
                r.variable,
                crate::num::fmt_compact(r.x)
            ),
            font(19.0),
        )
        .margin((14.0 * px) as u32)
        .x_label_area_size((48.0 * px) as u32)
        .y_label_area_size((70.0 * px) as u32)
        .build_cartesian_2d(lg(x_lo)..lg(x_hi), ya as f64..yb as f64)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_labels(9)
        .y_labels(((yb - ya) as usize + 1).min(13))
        .x_label_formatter(&decade_label)
        .y_label_formatter(&decade_label)
        .label_style(font(15.0))
        .axis_desc_style(font(16.0))
        .x_desc("step h")
        .y_desc("|difference − AD|")
        .draw()?;

    let stroke = |c: RGBColor, w: f64| c.stroke_width((w * px).round().max(1.0) as u32);
    let dash = (7.0 * px) as u32;
    // The model: truncation of each scheme, and round-off (the same for both).
    let model = |k: usize| {
        r.hs.iter()
            .map(move |&h| (h, [r.model(h).0, r.model(h).1, r.model(h).2][k]))
    };
    let at = |(h, v): (f64, f64)| (lg(h), lg(v));
    for (k, color, name) in [
        (0, FORWARD, "model: truncation h·|f″|/2"),
        (1, CENTRAL, "model: truncation h²·|f‴|/6"),
        (2, MODEL, "model: round-off ε·|f|/h"),
    ] {
        let pts: Vec<(f64, f64)> = model(k).filter(|p| inside(p.1)).map(at).collect();
        if pts.len() < 2 {
            continue;
        }
        let style = stroke(color, 1.5);
        chart
            .draw_series(DashedLineSeries::new(pts, dash, dash, style))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 10, y), (x + 14, y), (x + 24, y)], style)
            });
    }
    // Measured errors: one polyline per run of plottable points, dots at every point.
    for (errs, color, name) in [
        (&r.err_forward, FORWARD, "forward difference"),
        (&r.err_central, CENTRAL, "central difference"),
    ] {
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (&h, e) in r.hs.iter().zip(errs.iter()) {
            match e {
                Some(v) if inside(*v) => segments.last_mut().map_or((), |s| s.push(at((h, *v)))),
                _ => {
                    if !segments.last().is_some_and(Vec::is_empty) {
                        segments.push(Vec::new());
                    }
                }
            }
        }
        let style = stroke(color, 2.5);
        let mut labelled = false;
        for seg in segments.into_iter().filter(|s| !s.is_empty()) {
            let series = chart.draw_series(LineSeries::new(seg.clone(), style))?;
            if !labelled {
                series
                    .label(name)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
                labelled = true;
            }
            chart.draw_series(
                seg.into_iter()
                    .map(|p| Circle::new(p, (3.0 * px) as i32, color.filled())),
            )?;
        }
    }
    // Optimal steps of the model, and the step chosen on the page.
    let mut marks: Vec<(f64, RGBColor, String)> = Vec::new();
    if let Some(h) = r.h_opt_forward {
        marks.push((h, FORWARD, format!("forward optimum ≈ {}", sci_label(h))));
    }
    if let Some(h) = r.h_opt_central {
        marks.push((h, CENTRAL, format!("central optimum ≈ {}", sci_label(h))));
    }
    marks.push((r.h, INK, format!("h = {}", sci_label(r.h))));
    for (i, (h, color, text)) in marks.into_iter().enumerate() {
        if !(h > x_lo && h < x_hi) {
            continue;
        }
        let w = if color == INK { 1.5 } else { 1.0 };
        let x = lg(h);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, ya as f64), (x, yb as f64)],
            stroke(color, w),
        )))?;
        // Stagger the labels so they never overlap: one line each, from the top.
        let y = yb as f64 - (yb - ya) as f64 * (0.06 + 0.07 * i as f64);
        let label_style = font(14.0).color(&color);
        chart.draw_series(std::iter::once(Text::new(
            format!(" {text}"),
            (x, y),
            label_style,
        )))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.92))
        .border_style(MODEL)
        .label_font(font(14.0))
        .margin((10.0 * px) as u32)
        .draw()?;
    root.present()
}

/// Expression sizes against n, log scale.
pub fn draw_swell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rows: &[SwellRow],
    px: f64,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let font = |s: f64| ("sans-serif", (s * px).round()).into_font();
    let n_of = |i: usize, r: &SwellRow| r.n.unwrap_or(i as i64 + 1) as f64;
    let max = rows
        .iter()
        .map(|r| r.df.max(r.f) as f64)
        .fold(10.0, f64::max);
    let (_, yb) = decades(1.0, max);
    let n_max = rows.len().max(2) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption("Expression size against n (log scale)", font(19.0))
        .margin((14.0 * px) as u32)
        .x_label_area_size((44.0 * px) as u32)
        .y_label_area_size((70.0 * px) as u32)
        .build_cartesian_2d(0.5..n_max + 0.5, 0.0..yb as f64)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_labels(rows.len().clamp(2, 16))
        .x_label_formatter(&|v: &f64| {
            if v.fract() == 0.0 {
                format!("{v}")
            } else {
                String::new()
            }
        })
        .y_labels((yb as usize + 1).min(13))
        .y_label_formatter(&decade_label)
        .label_style(font(15.0))
        .axis_desc_style(font(16.0))
        .x_desc("n")
        .y_desc("nodes")
        .draw()?;
    let stroke = |c: RGBColor| c.stroke_width((2.5 * px).round().max(1.0) as u32);
    type Pick = fn(&SwellRow) -> Option<f64>;
    let series: [(RGBColor, &str, Pick); 4] = [
        (MODEL, "fₙ", |r| Some(r.f as f64)),
        (RED, "f′ₙ by the rules, unsimplified", |r| {
            Some(r.df as f64)
        }),
        (FORWARD, "f′ₙ simplified (expanded)", |r| {
            r.df_simplified.map(|s| s as f64)
        }),
        (CENTRAL, "AD trace (shared intermediates)", |r| {
            Some(r.ad_trace as f64)
        }),
    ];
    let mut drawn = 0;
    for (k, (color, name, pick)) in series.into_iter().enumerate() {
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                pick(r)
                    .filter(|v| v.is_finite() && *v >= 1.0)
                    .map(|v| (n_of(i, r), lg(v)))
            })
            .collect();
        if pts.is_empty() {
            continue;
        }
        drawn += 1;
        if k == 0 {
            // fₙ dashed, so that a series lying on top of it stays distinguishable.
            let style = color.stroke_width((1.5 * px).round().max(1.0) as u32);
            let dash = (6.0 * px) as u32;
            chart
                .draw_series(DashedLineSeries::new(pts.clone(), dash, dash, style))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 10, y), (x + 14, y), (x + 24, y)], style)
                });
            chart.draw_series(
                pts.into_iter()
                    .map(|p| Cross::new(p, (4.0 * px) as i32, style)),
            )?;
            continue;
        }
        let style = stroke(color);
        chart
            .draw_series(LineSeries::new(pts.clone(), style))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
        chart.draw_series(
            pts.into_iter()
                .map(|p| Circle::new(p, (3.5 * px) as i32, color.filled())),
        )?;
    }
    if drawn == 0 {
        return root.present();
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.92))
        .border_style(MODEL)
        .label_font(font(14.0))
        .margin((10.0 * px) as u32)
        .draw()?;
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::numeric::NumericState;
    use crate::lab::symbolic::{SymbolicAction, SymbolicState};

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
            "optimum",
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
        for needle in ["AD trace", "unsimplified", "simplified", "nodes", "10⁶"] {
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
    }
}
