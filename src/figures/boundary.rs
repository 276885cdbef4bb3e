//! `#/network`'s map: the classifier's score over the plane as a heatmap (orange where it says −1, blue where it
//! says +1, paler near the boundary), with the training points on top.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::paper;
use super::frame::{round_ticks, DrawResult, Frame};
use super::Figure;
use crate::base::math;
use crate::base::num::fmt_sig;
use crate::lab::network::Boundary;
use crate::lab::Shared;

/// The two classes' colours: −1 orange, +1 blue.
pub const NEGATIVE: RGBColor = RGBColor(0xc2, 0x5e, 0x10);
pub const POSITIVE: RGBColor = RGBColor(0x1f, 0x5f, 0xae);

impl Figure for Shared<Boundary> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_points(root, self, px)
    }

    fn pixels(&self, w: u32, h: u32, px: f64) -> Option<Vec<u8>> {
        // The map fills the frame's plot area; the paper around it, for the axes.
        let f = map_frame(self, (w, h), px);
        let (pw, ph) = (
            (f.right - f.left).max(1) as usize,
            (f.bottom - f.top).max(1) as usize,
        );
        let inner = heatmap(self, pw, ph);
        let p = paper();
        let mut out = Vec::with_capacity((w * h * 4) as usize);
        for _ in 0..w * h {
            out.extend_from_slice(&[p.0, p.1, p.2, 255]);
        }
        for y in 0..ph {
            let (oy, ox) = (y as i32 + f.top, f.left);
            if oy < 0 || oy >= h as i32 || ox < 0 {
                continue;
            }
            let n = pw.min((w as i32 - ox).max(0) as usize);
            let dst = (oy as usize * w as usize + ox as usize) * 4;
            out[dst..dst + n * 4].copy_from_slice(&inner[y * pw * 4..(y * pw + n) * 4]);
        }
        Some(out)
    }

    fn aspect(&self) -> Option<f64> {
        Some(1.0)
    }
}

/// The background colour for t = tanh(score) ∈ [−1, 1]: the paper at 0, towards the class colour as |t| grows.
fn shade(t: f64) -> [u8; 3] {
    let (c, k) = if t >= 0.0 {
        (POSITIVE, t)
    } else {
        (NEGATIVE, -t)
    };
    let k = if k.is_finite() {
        0.55 * k.min(1.0)
    } else {
        0.0
    };
    let p = paper();
    let mix = |ch: u8, base: u8| (base as f64 + (ch as f64 - base as f64) * k).round() as u8;
    [mix(c.0, p.0), mix(c.1, p.1), mix(c.2, p.2)]
}

/// RGBA pixels of the score: tanh of each grid value, bilinear between the cells' centres, coloured through a
/// table (a pixel costs a few additions).
pub fn heatmap(b: &Boundary, w: usize, h: usize) -> Vec<u8> {
    const LEVELS: usize = 512;
    let g = b.grid.max(1);
    let mut out = vec![255u8; w * h * 4];
    if b.scores.len() < g * g || w == 0 || h == 0 {
        return out;
    }
    let lut: Vec<[u8; 3]> = (0..LEVELS)
        .map(|i| shade(2.0 * i as f64 / (LEVELS - 1) as f64 - 1.0))
        .collect();
    let t: Vec<f64> = b.scores[..g * g]
        .iter()
        .map(|&s| if s.is_nan() { 0.0 } else { math::tanh(s) })
        .collect();
    let at = |r: usize, c: usize| t[r.min(g - 1) * g + c.min(g - 1)];
    // Each column's cell and weight, computed once.
    let cols: Vec<(usize, f64)> = (0..w)
        .map(|p| {
            let f = ((p as f64 + 0.5) / w as f64 * g as f64 - 0.5).max(0.0);
            (f.floor() as usize, f.fract())
        })
        .collect();
    for py in 0..h {
        let fy = ((py as f64 + 0.5) / h as f64 * g as f64 - 0.5).max(0.0);
        let (r, ty) = (fy.floor() as usize, fy.fract());
        let row = &mut out[py * w * 4..(py + 1) * w * 4];
        for (px, &(c, tx)) in row.chunks_exact_mut(4).zip(&cols) {
            let top = at(r, c) * (1.0 - tx) + at(r, c + 1) * tx;
            let bottom = at(r + 1, c) * (1.0 - tx) + at(r + 1, c + 1) * tx;
            let v = top * (1.0 - ty) + bottom * ty;
            let i = (((v + 1.0) * 0.5 * (LEVELS - 1) as f64).round() as usize).min(LEVELS - 1);
            px[..3].copy_from_slice(&lut[i]);
        }
    }
    out
}

/// The map's frame: x₁ across, x₂ up, over the data's domain.
fn map_frame(b: &Boundary, area: (u32, u32), px: f64) -> Frame {
    let ((x0, x1), (y0, y1)) = b.domain;
    Frame::new(area, (x0, x1), (y0, y1), px, 0)
}

/// The axes, then the training points (filled) and the held-out ones (rings), over the heatmap.
pub fn draw_points<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    b: &Boundary,
    px: f64,
) -> DrawResult<DB> {
    let f = map_frame(b, root.dim_in_pixel(), px);
    let ticks = |(lo, hi): (f64, f64)| round_ticks(lo, hi, f64::MIN_POSITIVE, &|v| fmt_sig(v, 3));
    f.axes(root, &ticks(f.x), &ticks(f.y), "", "x₁", "x₂")?;
    let r = 4.5;
    for i in 0..b.test.len() {
        let (x, y, l) = b.test.point(i);
        if !f.contains((x, y)) {
            continue;
        }
        let c = if l > 0.0 { POSITIVE } else { NEGATIVE };
        f.ring(root, (x, y), c, r)?;
    }
    for i in 0..b.train.len() {
        let (x, y, l) = b.train.point(i);
        if !f.contains((x, y)) {
            continue;
        }
        let c = if l > 0.0 { POSITIVE } else { NEGATIVE };
        f.dots(root, &[(x, y)], c, r)?;
        root.draw(&Circle::new(
            f.to_px((x, y)),
            (r * px).round() as i32,
            paper().stroke_width(px.round().max(1.0) as u32),
        ))?;
    }
    root.present()
}
