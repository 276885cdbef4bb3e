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

/// Whether the figures are being drawn in the dark theme's colours.
pub fn dark() -> bool {
    DARK.with(|d| d.get())
}

/// A colour of the light theme, or of the dark one (both shared with the stylesheet).
fn pick(light: (u8, u8, u8), dark: (u8, u8, u8)) -> RGBColor {
    let (r, g, b) = if self::dark() { dark } else { light };
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

/// Ticks on a log axis from 10^a to 10^b at log₁₀ positions: a grid line at every decade, labelled `10ᵏ` every
/// `step` decades; with three decades or fewer, minor lines at 2…9 × 10ᵏ as well (unlabelled), so that a short log
/// axis still reads as one.
pub(super) fn decade_ticks(a: i32, b: i32, step: i32) -> Vec<(f64, String)> {
    let mut t: Vec<(f64, String)> = (a..=b)
        .map(|k| {
            let label = if (k - a) % step.max(1) == 0 {
                pow10_label(k)
            } else {
                String::new()
            };
            (k as f64, label)
        })
        .collect();
    if b - a <= 3 {
        for k in a..b {
            for m in 2..=9 {
                t.push((k as f64 + (m as f64).log10(), String::new()));
            }
        }
    }
    t
}

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Line {
    Solid,
    Dashed,
}

/// How a legend entry shows its series: a line, a dot, a ring (an open circle).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Key {
    Line(Line),
    Dot,
    Ring,
}

/// A legend entry.
#[derive(Clone)]
pub(super) struct Entry {
    pub text: String,
    pub color: RGBColor,
    pub key: Key,
}

impl Entry {
    pub(super) fn new(text: impl Into<String>, color: RGBColor, key: Key) -> Entry {
        Entry {
            text: text.into(),
            color,
            key,
        }
    }
}

/// A box in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn grow(&self, d: i32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    pub fn contains_point(&self, (x, y): (i32, i32)) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }

    /// Whether the segment a–b crosses the box (or lies in it).
    pub fn meets_segment(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        if self.contains_point(a) || self.contains_point(b) {
            return true;
        }
        let (ax, ay, bx, by) = (a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
        // Clip the segment against the box (Liang–Barsky).
        let (dx, dy) = (bx - ax, by - ay);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, ax - self.x0 as f64),
            (dx, self.x1 as f64 - ax),
            (-dy, ay - self.y0 as f64),
            (dy, self.y1 as f64 - ay),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// What a figure drew, in pixels: enough to check it reads cleanly (no legend over data, no label over a line or
/// another label). Every frame keeps its own, to place its legend and labels clear of what is already there; tests
/// collect them with [`record`].
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// The plot area.
    Plot(Rect),
    /// Words: their box, and whether they sit inside the plot among the data (a label) or around it (titles, ticks).
    Text {
        rect: Rect,
        text: String,
        inside: bool,
    },
    /// The legend's box.
    Legend(Rect),
    /// A series, as a polyline.
    Data(Vec<(i32, i32)>),
    /// A reference line (a marker at a value).
    Rule(Vec<(i32, i32)>),
    /// A data point: centre and radius.
    Dot((i32, i32), i32),
}

impl Mark {
    /// Whether a box would cover this mark.
    pub fn under(&self, r: &Rect) -> bool {
        match self {
            Mark::Plot(_) => false,
            Mark::Text { rect, .. } | Mark::Legend(rect) => rect.intersects(r),
            Mark::Data(p) | Mark::Rule(p) => {
                p.len() == 1 && r.contains_point(p[0])
                    || p.windows(2).any(|w| r.meets_segment(w[0], w[1]))
            }
            Mark::Dot(c, rad) => r.grow(*rad).contains_point(*c),
        }
    }
}

thread_local! {
    static RECORD: std::cell::RefCell<Option<Vec<Mark>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `draw` and returns what every frame it made drew (a test's view of a figure).
pub fn record<T>(draw: impl FnOnce() -> T) -> (T, Vec<Mark>) {
    RECORD.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let out = draw();
    let marks = RECORD.with(|r| r.borrow_mut().take()).unwrap_or_default();
    (out, marks)
}

/// Notes a mark drawn outside any frame (a figure of its own geometry).
pub(super) fn note(m: Mark) {
    RECORD.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(m)
        }
    });
}

/// The box of `text` at `size` pixels anchored at `at` as plotters anchors it: widths estimated at 0.6 em per
/// character (generous for the sans-serif faces the figures use), the height one em.
pub(super) fn text_box(text: &str, size: f64, at: (i32, i32), pos: Pos) -> Rect {
    let w = (text.chars().count() as f64 * 0.6 * size).ceil() as i32;
    let h = size.ceil() as i32;
    let x0 = match pos.h_pos {
        HPos::Left => at.0,
        HPos::Center => at.0 - w / 2,
        HPos::Right => at.0 - w,
    };
    let y0 = match pos.v_pos {
        VPos::Top => at.1,
        VPos::Center => at.1 - h / 2,
        VPos::Bottom => at.1 - h,
    };
    Rect {
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + h,
    }
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
    /// The whole drawing area.
    area: (u32, u32),
    /// Where the legend goes (decided by [`Frame::place_legend`] before anything is drawn).
    legend_at: Option<(i32, i32)>,
    /// The legend's columns (more than one only under a wide plot).
    legend_cols: usize,
    /// What is drawn so far, in the drawing area's pixels.
    drawn: std::cell::RefCell<Vec<Mark>>,
    /// Where the drawing area is in the whole figure (a figure of two panels draws each in its own area).
    origin: std::cell::Cell<(i32, i32)>,
}

impl Drop for Frame {
    fn drop(&mut self) {
        let (dx, dy) = self.origin.get();
        let shift = |p: &(i32, i32)| (p.0 + dx, p.1 + dy);
        let rect = |r: &Rect| Rect {
            x0: r.x0 + dx,
            y0: r.y0 + dy,
            x1: r.x1 + dx,
            y1: r.y1 + dy,
        };
        for m in self.drawn.get_mut().drain(..) {
            note(match m {
                Mark::Plot(r) => Mark::Plot(rect(&r)),
                Mark::Text {
                    rect: r,
                    text,
                    inside,
                } => Mark::Text {
                    rect: rect(&r),
                    text,
                    inside,
                },
                Mark::Legend(r) => Mark::Legend(rect(&r)),
                Mark::Data(p) => Mark::Data(p.iter().map(shift).collect()),
                Mark::Rule(p) => Mark::Rule(p.iter().map(shift).collect()),
                Mark::Dot(c, r) => Mark::Dot(shift(&c), r),
            });
        }
    }
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
        let below = if Frame::narrow(area, px) && legend_rows > 0 {
            s(22.0 * legend_rows as f64 + 24.0)
        } else {
            0
        };
        // A phone's figure has room above the plot for a title on two lines.
        let title_room = if Frame::narrow(area, px) { 20.0 } else { 0.0 };
        Frame {
            left: s(86.0),
            top: s(66.0 + title_room),
            right: area.0 as i32 - s(24.0),
            bottom: area.1 as i32 - s(58.0) - below,
            x,
            y,
            px,
            area,
            legend_at: None,
            legend_cols: 1,
            drawn: Default::default(),
            origin: Default::default(),
        }
    }

    /// Every how many decades to label a log axis of `decades` decades so that labels stay apart: about 24 px a
    /// label up the y axis, 60 px across the x axis.
    pub(super) fn decade_step(&self, decades: i32, vertical: bool) -> i32 {
        let (len, per) = if vertical {
            (self.bottom - self.top, 24.0)
        } else {
            (self.right - self.left, 60.0)
        };
        let fit = (len as f64 / (per * self.px)).max(1.0);
        let mut step = 1;
        while (decades as f64 / step as f64) > fit {
            step = match step {
                1 => 2,
                2 => 4,
                4 => 5,
                _ => step * 2,
            };
        }
        step
    }

    pub(super) fn narrow(area: (u32, u32), px: f64) -> bool {
        (area.0 as f64) / px < 560.0
    }

    pub(super) fn plot_rect(&self) -> Rect {
        Rect {
            x0: self.left,
            y0: self.top,
            x1: self.right,
            y1: self.bottom,
        }
    }

    fn mark(&self, m: Mark) {
        self.drawn.borrow_mut().push(m);
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

    /// Draws words (`size` in CSS pixels) and keeps their box.
    pub(super) fn text<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        at: (i32, i32),
        size: f64,
        color: RGBColor,
        pos: Pos,
        inside: bool,
    ) -> DrawResult<DB> {
        if text.is_empty() {
            return Ok(());
        }
        root.draw(&Text::new(
            text.to_string(),
            at,
            self.font(size).color(&color).pos(pos),
        ))?;
        self.mark(Mark::Text {
            rect: text_box(text, size * self.px, at, pos),
            text: text.to_string(),
            inside,
        });
        Ok(())
    }

    /// Grid, axes, tick labels and axis titles. A tick with an empty label is a minor one: a lighter grid line.
    pub(super) fn axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        xt: &[(f64, String)],
        yt: &[(f64, String)],
        title: &str,
        x_title: &str,
        y_title: &str,
    ) -> DrawResult<DB> {
        self.origin.set(root.get_base_pixel());
        self.mark(Mark::Plot(self.plot_rect()));
        let ink = ink();
        // The title's type shrinks (down to 12 px) to fit the figure's width, then it takes two lines.
        let room = (self.area.0 as f64 - 16.0 * self.px) / self.px;
        let fit = |t: &str| (room / (0.6 * t.chars().count().max(1) as f64)).clamp(12.0, 18.0);
        let two = Frame::narrow(self.area, self.px);
        let lines: Vec<String> = if two && fit(title) < 16.0 {
            let chars: Vec<char> = title.chars().collect();
            let mid = chars.len() / 2;
            let cut = (0..mid)
                .flat_map(|d| [mid - d, mid + d])
                .find(|&i| i < chars.len() && chars[i] == ' ')
                .unwrap_or(mid);
            vec![
                chars[..cut].iter().collect(),
                chars[cut..].iter().collect::<String>().trim().to_string(),
            ]
        } else {
            vec![title.to_string()]
        };
        let size = lines.iter().map(|l| fit(l)).fold(18.0, f64::min);
        for (i, line) in lines.iter().enumerate() {
            self.text(
                root,
                line,
                (
                    self.area.0 as i32 / 2,
                    ((4.0 + (size + 2.0) * i as f64) * self.px) as i32 + (4.0 * self.px) as i32,
                ),
                size,
                ink,
                Pos::new(HPos::Center, VPos::Top),
                false,
            )?;
        }
        let major = self.stroke(grid(), 1.0);
        let minor = grid().mix(0.5).stroke_width(1);
        let gap = (8.0 * self.px) as i32;
        for (v, text) in xt {
            let (x, _) = self.to_px((*v, self.y.0));
            let style = if text.is_empty() { minor } else { major };
            root.draw(&PathElement::new(
                vec![(x, self.top), (x, self.bottom)],
                style,
            ))?;
            self.text(
                root,
                text,
                (x, self.bottom + gap),
                15.0,
                ink,
                Pos::new(HPos::Center, VPos::Top),
                false,
            )?;
        }
        for (v, text) in yt {
            let (_, y) = self.to_px((self.x.0, *v));
            let style = if text.is_empty() { minor } else { major };
            root.draw(&PathElement::new(
                vec![(self.left, y), (self.right, y)],
                style,
            ))?;
            self.text(
                root,
                text,
                (self.left - gap, y),
                15.0,
                ink,
                Pos::new(HPos::Right, VPos::Center),
                false,
            )?;
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
        self.text(
            root,
            x_title,
            (
                (self.left + self.right) / 2,
                self.bottom + (32.0 * self.px) as i32,
            ),
            16.0,
            ink,
            Pos::new(HPos::Center, VPos::Top),
            false,
        )?;
        // The y title sits above the axis, reading left to right (no rotated text to squint at).
        self.text(
            root,
            y_title,
            (
                self.left - (64.0 * self.px) as i32,
                self.top - (12.0 * self.px) as i32,
            ),
            16.0,
            ink,
            Pos::new(HPos::Left, VPos::Bottom),
            false,
        )
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
        self.mark(Mark::Data(px.clone()));
        self.polyline(root, px, c, w, kind)
    }

    fn polyline<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        px: Vec<(i32, i32)>,
        c: RGBColor,
        w: f64,
        kind: Line,
    ) -> DrawResult<DB> {
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

    /// A reference line at x = `x` (a marker), top to bottom of the plot.
    pub(super) fn vrule<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x: f64,
        c: RGBColor,
        w: f64,
        kind: Line,
    ) -> DrawResult<DB> {
        let (px_x, _) = self.to_px((x, self.y.0));
        let p = vec![(px_x, self.top), (px_x, self.bottom)];
        self.mark(Mark::Rule(p.clone()));
        self.polyline(root, p, c, w, kind)
    }

    /// A reference line at y = `y`, across the plot.
    pub(super) fn hrule<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        y: f64,
        c: RGBColor,
        w: f64,
        kind: Line,
    ) -> DrawResult<DB> {
        let (_, px_y) = self.to_px((self.x.0, y));
        let p = vec![(self.left, px_y), (self.right, px_y)];
        self.mark(Mark::Rule(p.clone()));
        self.polyline(root, p, c, w, kind)
    }

    pub(super) fn dots<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        pts: &[(f64, f64)],
        c: RGBColor,
        r: f64,
    ) -> DrawResult<DB> {
        let rad = (r * self.px).round() as i32;
        for &p in pts {
            let at = self.to_px(p);
            root.draw(&Circle::new(at, rad, c.filled()))?;
            self.mark(Mark::Dot(at, rad));
        }
        Ok(())
    }

    /// A ring around a data point (open circle).
    pub(super) fn ring<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        p: (f64, f64),
        c: RGBColor,
        r: f64,
    ) -> DrawResult<DB> {
        let rad = (r * self.px).round() as i32;
        let at = self.to_px(p);
        root.draw(&Circle::new(at, rad, self.stroke(c, 2.0)))?;
        self.mark(Mark::Dot(at, rad));
        Ok(())
    }

    /// The legend's size in pixels, and the width of one of its columns.
    fn legend_size(&self, items: &[Entry]) -> (i32, i32) {
        let (w, h, _) = self.legend_shape(items, self.legend_cols);
        (w, h)
    }

    /// The legend's width, height and column width in pixels when it has `cols` columns (filled column by column).
    fn legend_shape(&self, items: &[Entry], cols: usize) -> (i32, i32, i32) {
        let size = 14.0 * self.px;
        let row = (22.0 * self.px) as i32;
        let pad = (10.0 * self.px) as i32;
        let sample = (28.0 * self.px) as i32;
        let widest = items
            .iter()
            .map(|e| (e.text.chars().count() as f64 * 0.6 * size).ceil() as i32)
            .max()
            .unwrap_or(0);
        let cols = cols.clamp(1, items.len().max(1));
        let rows = items.len().div_ceil(cols) as i32;
        let cell = pad * 2 + sample + widest;
        (
            pad + cell * cols as i32,
            pad * 2 + row * rows - (row - (16.0 * self.px) as i32),
            cell,
        )
    }

    /// Decides where the legend goes before anything is drawn, from the data it must not cover (`lines` as
    /// polylines, `points` as dots, both in data coordinates): inside the plot where it covers nothing, else to the
    /// right of the plot (which narrows), else under it (which gets shorter). On a phone it goes under the plot.
    pub(super) fn place_legend(
        &mut self,
        items: &[Entry],
        lines: &[&[(f64, f64)]],
        points: &[(f64, f64)],
    ) {
        if items.is_empty() {
            return;
        }
        let (w, h) = self.legend_size(items);
        let pad = (10.0 * self.px) as i32;
        if Frame::narrow(self.area, self.px) {
            self.legend_under(items);
            return;
        }
        let clear = |f: &Frame, r: Rect| {
            let r = r.grow(pad / 2);
            let segs = lines.iter().any(|l| {
                let px: Vec<(i32, i32)> = l.iter().map(|&p| f.to_px(p)).collect();
                Mark::Data(px).under(&r)
            });
            !segs
                && !points
                    .iter()
                    .any(|&p| r.grow((4.0 * f.px) as i32).contains_point(f.to_px(p)))
        };
        let (l, t, rt, b) = (self.left, self.top, self.right, self.bottom);
        let cx = (l + rt - w) / 2;
        let cy = (t + b - h) / 2;
        let candidates = [
            (rt - pad * 2 - w, t + pad * 2),
            (l + pad * 2, t + pad * 2),
            (rt - pad * 2 - w, b - pad * 2 - h),
            (l + pad * 2, b - pad * 2 - h),
            (cx, t + pad * 2),
            (cx, b - pad * 2 - h),
            (l + pad * 2, cy),
            (rt - pad * 2 - w, cy),
        ];
        let fits_inside = |(x, y): (i32, i32)| x >= l && x + w <= rt && y >= t && y + h <= b;
        for &(x, y) in &candidates {
            let r = Rect {
                x0: x,
                y0: y,
                x1: x + w,
                y1: y + h,
            };
            if fits_inside((x, y)) && clear(self, r) {
                self.legend_at = Some((x, y));
                return;
            }
        }
        // Outside: on the right if the plot keeps most of its width, else under the plot.
        let room = self.area.0 as i32 - (8.0 * self.px) as i32;
        if (rt - l - w - pad * 2) as f64 >= 0.6 * (rt - l) as f64 {
            self.right = room - w - pad;
            self.legend_at = Some((self.right + pad * 2, t));
            self.right = self.right.min(rt);
        } else {
            self.legend_under(items);
        }
    }

    /// The legend under the plot, in as many columns as the figure's width holds; the plot ends where it begins.
    fn legend_under(&mut self, items: &[Entry]) {
        let pad = (10.0 * self.px) as i32;
        let wide = self.area.0 as i32 - pad * 2;
        let cols = (1..=items.len().min(4))
            .rev()
            .find(|&c| self.legend_shape(items, c).0 <= wide)
            .unwrap_or(1);
        self.legend_cols = cols;
        let (w, h) = self.legend_size(items);
        let gap = (56.0 * self.px) as i32;
        self.bottom = self.area.1 as i32 - (4.0 * self.px) as i32 - gap - h;
        let x =
            ((self.left + self.right - w) / 2).clamp(pad, (self.area.0 as i32 - pad - w).max(pad));
        self.legend_at = Some((x, self.bottom + gap));
    }

    /// Draws the legend where [`Frame::place_legend`] put it (top left of the plot if it was not called).
    pub(super) fn legend<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        items: &[Entry],
    ) -> DrawResult<DB> {
        if items.is_empty() {
            return Ok(());
        }
        let row = (22.0 * self.px) as i32;
        let pad = (10.0 * self.px) as i32;
        let sample = (28.0 * self.px) as i32;
        let (w, h) = self.legend_size(items);
        let (x0, y0) = self
            .legend_at
            .unwrap_or((self.left + pad * 2, self.top + pad * 2));
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            paper().mix(0.94).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            self.stroke(model(), 1.0),
        ))?;
        self.mark(Mark::Legend(Rect {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h,
        }));
        let (_, _, cell) = self.legend_shape(items, self.legend_cols);
        let rows = items.len().div_ceil(self.legend_cols.clamp(1, items.len()));
        for (i, e) in items.iter().enumerate() {
            let x0 = x0 + cell * (i / rows) as i32;
            let y = y0 + pad + row * (i % rows) as i32 + (8.0 * self.px) as i32;
            let seg = vec![(x0 + pad, y), (x0 + pad + sample, y)];
            let mid = (x0 + pad + sample / 2, y);
            match e.key {
                Key::Line(Line::Solid) => {
                    root.draw(&PathElement::new(seg, self.stroke(e.color, 3.0)))?
                }
                Key::Line(Line::Dashed) => {
                    for s in dashes(&seg, 6.0 * self.px) {
                        root.draw(&PathElement::new(s, self.stroke(e.color, 1.8)))?;
                    }
                }
                Key::Dot => {
                    root.draw(&Circle::new(mid, (4.5 * self.px) as i32, e.color.filled()))?
                }
                Key::Ring => root.draw(&Circle::new(
                    mid,
                    (6.0 * self.px) as i32,
                    self.stroke(e.color, 2.0),
                ))?,
            }
            root.draw(&Text::new(
                e.text.clone(),
                (x0 + pad * 2 + sample, y),
                self.font(14.0).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }

    /// A label for something at pixel `at` (a marker, a point), placed where it covers no data, no line and no other
    /// words: the nearest free spot around it, inside the plot. Returns whether it found one (if not, the label is
    /// not drawn: a figure must then say it elsewhere, in its legend).
    pub(super) fn label<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        at: (i32, i32),
        color: RGBColor,
    ) -> Result<bool, DrawingAreaErrorKind<DB::ErrorType>> {
        let size = 14.0;
        let gap = (6.0 * self.px) as i32;
        let step = (12.0 * self.px).max(1.0) as i32;
        let plot = self.plot_rect();
        let drawn = self.drawn.borrow().clone();
        let free = |r: &Rect| {
            r.x0 >= plot.x0
                && r.x1 <= plot.x1
                && r.y0 >= plot.y0
                && r.y1 <= plot.y1
                && !drawn.iter().any(|m| m.under(&r.grow(2)))
        };
        // Offsets on a grid around the point, nearest first; at each, the label to the right or left, above or below.
        let reach = ((plot.x1 - plot.x0).max(plot.y1 - plot.y0) / step).clamp(1, 60);
        let offsets = nearest_first(reach, step);
        let anchors = [
            (gap, -gap, HPos::Left, VPos::Bottom),
            (gap, gap, HPos::Left, VPos::Top),
            (-gap, -gap, HPos::Right, VPos::Bottom),
            (-gap, gap, HPos::Right, VPos::Top),
        ];
        for (dx, dy) in offsets {
            for (ax, ay, h, v) in anchors {
                let p = (at.0 + dx + ax, at.1 + dy + ay);
                let pos = Pos::new(h, v);
                if free(&text_box(text, size * self.px, p, pos)) {
                    self.text(root, text, p, size, color, pos, true)?;
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}

/// The offsets (dx, dy)·step with |dx|, |dy| ≤ reach, by |dx| + |dy|, then dx, then dy: made in that order rather
/// than sorted (no second sort is shipped).
fn nearest_first(reach: i32, step: i32) -> Vec<(i32, i32)> {
    let mut offsets = Vec::new();
    for d in 0..=2 * reach {
        for dx in -reach..=reach {
            let r = d - dx.abs();
            if (0..=reach).contains(&r) {
                offsets.push((dx * step, -r * step));
                if r > 0 {
                    offsets.push((dx * step, r * step));
                }
            }
        }
    }
    offsets
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
    (FontFamily::SansSerif, size.round())
        .into_font()
        .color(&ink())
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

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_are_made_nearest_first() {
        for (reach, step) in [(1i32, 1i32), (3, 7), (60, 4)] {
            let mut sorted = Vec::new();
            for dx in -reach..=reach {
                for dy in -reach..=reach {
                    sorted.push((dx * step, dy * step));
                }
            }
            sorted.sort_by_key(|&(dx, dy)| (dx.abs() + dy.abs(), dx, dy));
            assert_eq!(super::nearest_first(reach, step), sorted);
        }
    }
}
