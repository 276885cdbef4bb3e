//! The frame every figure is drawn in: colours, a pixel box with linear data ranges (log plots pass log₁₀
//! values), axes with readable tick labels (`10⁻⁸`, never `9.999e-5`), lines, dots, dashes and a legend placed where
//! it covers no data (under the plot on phones).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::base::num::{pow10_label, superscript_int};

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

thread_local! {
    static DARK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Draws the figures in the dark projector theme's colours from now on (the canvas sets it before each drawing).
pub fn set_dark(on: bool) {
    DARK.with(|d| d.set(on));
}

/// A colour of the light theme, or of the dark one (both shared with the stylesheet).
fn pick(light: (u8, u8, u8), dark: (u8, u8, u8)) -> RGBColor {
    let (r, g, b) = if DARK.with(|d| d.get()) { dark } else { light };
    RGBColor(r, g, b)
}

pub fn forward() -> RGBColor {
    pick((0xb4, 0x53, 0x09), (0xff, 0xb0, 0x66))
}
pub fn central() -> RGBColor {
    pick((0x1f, 0x5f, 0xae), (0x7f, 0xb6, 0xff))
}
pub fn model() -> RGBColor {
    pick((0x6b, 0x77, 0x83), (0xb8, 0xc2, 0xcc))
}
pub fn red() -> RGBColor {
    pick((0xb4, 0x23, 0x18), (0xff, 0x8a, 0x80))
}
pub fn ink() -> RGBColor {
    pick((0x1b, 0x21, 0x28), (0xf2, 0xf5, 0xf8))
}
pub(super) fn grid() -> RGBColor {
    pick((0xe3, 0xe6, 0xea), (0x3a, 0x46, 0x54))
}
/// The background.
pub fn paper() -> RGBColor {
    pick((0xff, 0xff, 0xff), (0x18, 0x20, 0x28))
}

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
pub(super) fn decades(lo: f64, hi: f64) -> (i32, i32) {
    let a = lo.log10().floor() as i32;
    let b = (hi.log10().ceil() as i32).max(a + 1);
    (a, b)
}

/// Ticks every `step` decades from 10^a to 10^b, labelled `10ᵏ`, at log₁₀ positions.
pub(super) fn decade_ticks(a: i32, b: i32, step: i32) -> Vec<(f64, String)> {
    (a..=b)
        .filter(|k| (k - a) % step == 0)
        .map(|k| (k as f64, pow10_label(k)))
        .collect()
}

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Line {
    Solid,
    Dashed,
}

/// The plotting frame: a pixel box and the data ranges it shows (both axes linear; log plots pass log₁₀ values).
pub(super) struct Frame {
    pub(super) left: i32,
    pub(super) top: i32,
    pub(super) right: i32,
    pub(super) bottom: i32,
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
    /// Pixels per CSS pixel (fonts and strokes scale with it).
    pub(super) px: f64,
}

impl Frame {
    /// On a narrow figure (a phone) `legend_rows` rows are reserved under the plot for the legend, which would
    /// otherwise cover the data.
    pub(super) fn new(
        area: (u32, u32),
        x: (f64, f64),
        y: (f64, f64),
        px: f64,
        legend_rows: usize,
    ) -> Frame {
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

    pub(super) fn narrow(area: (u32, u32), px: f64) -> bool {
        (area.0 as f64) / px < 560.0
    }

    pub(super) fn to_px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        let w = (self.right - self.left) as f64;
        let h = (self.bottom - self.top) as f64;
        (
            (self.left as f64 + fx * w).round() as i32,
            (self.bottom as f64 - fy * h).round() as i32,
        )
    }

    pub(super) fn contains(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite()
            && y.is_finite()
            && x >= self.x.0
            && x <= self.x.1
            && y >= self.y.0
            && y <= self.y.1
    }

    pub(super) fn font(&self, size: f64) -> TextStyle<'static> {
        font(size * self.px)
    }

    pub(super) fn stroke(&self, c: RGBColor, w: f64) -> ShapeStyle {
        c.stroke_width((w * self.px).round().max(1.0) as u32)
    }

    /// Grid, axes, tick labels and axis titles.
    pub(super) fn axes<DB: DrawingBackend>(
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
        let grid = self.stroke(grid(), 1.0);
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
        let axis = self.stroke(model(), 1.5);
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
    pub(super) fn line<DB: DrawingBackend>(
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

    pub(super) fn dots<DB: DrawingBackend>(
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
    pub(super) fn legend<DB: DrawingBackend>(
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
            paper().mix(0.94).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            self.stroke(model(), 1.0),
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
pub(super) fn dashes(pts: &[(i32, i32)], dash: f64) -> Vec<Vec<(i32, i32)>> {
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

/// The figures' one font: sans-serif of `size` device pixels, in ink.
pub(super) fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size.round()).into_font().color(&ink())
}

/// About five round ticks (1, 2 or 5 × 10ᵏ, at least `min_step` apart) across [lo, hi], labelled by `label`.
pub(super) fn round_ticks(
    lo: f64,
    hi: f64,
    min_step: f64,
    label: impl Fn(f64) -> String,
) -> Vec<(f64, String)> {
    let raw = ((hi - lo) / 5.0).max(min_step);
    let p = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p);
    let mut t = Vec::new();
    let mut v = (lo / step).ceil() * step;
    while v <= hi + step * 1e-9 {
        t.push((v, label(if v.abs() < step * 1e-9 { 0.0 } else { v })));
        v += step;
    }
    t
}
