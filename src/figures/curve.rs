//! A function of one hyperparameter with points on it: `#/learn`'s L(ρ) with the meta-iterates and the stability
//! limit, `#/hyper`'s V(λ) (λ on a log axis) with the grid and the descent's iterates (or, one λ per feature, V along
//! the descent), `#/memory`'s evaluations against slots. And `#/learn`'s toy problem in the plane: the loss's level
//! sets, gradient descent's path on them. The chapters' curves are built here ([`learn_curve`], [`hyper_curve`],
//! [`memory_curve`]), so that the tests draw exactly what the pages draw.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::paper;
use super::frame::{
    central, decade_ticks, forward, ink, model, red, round_ticks, DrawResult, Entry, Frame, Key,
    Line,
};
use super::Figure;
use crate::base::num::{fmt_count, fmt_sig};
use crate::lab::hyper::{HyperResults, HyperState, Mode};
use crate::lab::learn::{LearnResults, LearnState};
use crate::lab::memory::{MemoryResults, MemoryState, Strategy};
use crate::lab::Shared;

/// What a curve figure shows. `x_log`: x values are log₁₀ of the quantity (ticks read 10ᵏ); `y_log`: y is drawn on a
/// log scale.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Curve {
    pub title: String,
    pub x_title: String,
    pub y_title: String,
    pub x_log: bool,
    pub y_log: bool,
    pub line: (String, Vec<(f64, f64)>),
    /// Series of points: (name, points, joined by a line?).
    pub points: Vec<(String, Vec<(f64, f64)>, bool)>,
    /// Single points named on the plot (as rings), with one legend entry for all of them.
    pub named: (String, Vec<(f64, f64, String)>),
    /// A vertical marker at x, with its name.
    pub mark: Option<(f64, String)>,
    /// Horizontal references at y, with their names.
    pub levels: Vec<(f64, String)>,
    /// The y range shown, when the curve's extremes would flatten what matters (the rest is cut at the frame and
    /// the title says so).
    pub y_window: Option<(f64, f64)>,
    /// The least x range shown (a descent of a few steps still gets an axis of steps).
    pub x_span: Option<(f64, f64)>,
}

impl Figure for Shared<Curve> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_curve(root, self, px)
    }
}

fn sig3(v: f64) -> String {
    fmt_sig(v, 3)
}

/// `#/learn`: L(ρ) = ℓ(GD(ρ)) by the closed form, the meta-iterates on it, the stability limit.
pub fn learn_curve(r: &LearnResults, s: &LearnState) -> Curve {
    // Past the stability limit L explodes: show one decade above its largest value before the limit, not the
    // explosion's hundreds.
    let before = r
        .curve
        .iter()
        .filter(|p| p.0 < r.stability && p.1.is_finite())
        .map(|p| p.1);
    let (lo, hi) = before.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let top = r
        .curve
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let window = (lo > 0.0 && top > 100.0 * hi).then(|| (lo / 2.0, hi * 10.0));
    Curve {
        y_window: window,
        title: format!("L(ρ) = ℓ(GD(ρ)), T = {}", s.t.value),
        x_title: "step ρ".into(),
        y_title: "L (log scale)".into(),
        y_log: true,
        line: ("L(ρ), closed form".into(), r.curve.clone()),
        points: vec![("meta-iterates ρ₀, ρ₁, …".into(), r.meta.clone(), true)],
        mark: Some((r.stability, "stability limit 2/a_max".into())),
        ..Curve::default()
    }
}

/// `#/hyper`: one λ — V(λ) on a log axis with the grid's points, the descent's iterates and λ, zoomed on V's valley;
/// one λ per feature — V along the descent, against the best single λ and the best of the grid.
pub fn hyper_curve(r: &HyperResults, s: &HyperState) -> Curve {
    if s.mode == Mode::PerFeature {
        let along: Vec<(f64, f64)> = r
            .descent
            .path
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (i as f64, *v))
            .collect();
        let best_single = r.curve.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let mut levels = vec![(best_single, "best single λ".to_string())];
        if r.grid_best.1.is_finite() {
            levels.push((
                r.grid_best.1,
                format!("best of the grid, k = {}", s.k.value),
            ));
        }
        return Curve {
            title: "Validation loss V along the descent, one λ per feature".into(),
            x_title: "descent step".into(),
            y_title: "V".into(),
            line: ("V, one λ per feature".into(), along.clone()),
            points: vec![("descent iterates".into(), along, false)],
            levels,
            x_span: Some((0.0, 10.0)),
            ..Curve::default()
        };
    }
    let iterates: Vec<(f64, f64)> = r
        .descent
        .path
        .iter()
        .map(|(l, v)| (l[0].log10(), *v))
        .collect();
    // V's valley is a few per cent deep on a curve that doubles: show from just under its minimum to a little above
    // its plateau at small λ, and say where the rest goes.
    let vals: Vec<f64> = r
        .curve
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let plateau = vals.first().copied().unwrap_or(lo);
    let top = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let depth = (plateau - lo).max(1e-9 * lo.abs().max(1.0));
    let window = (top > plateau + 4.0 * depth).then(|| (lo - 0.6 * depth, plateau + 1.6 * depth));
    let title = match window {
        Some(_) => format!(
            "Validation loss V(λ), near its minimum (it rises to {} at large λ)",
            fmt_count(top.round() as u64)
        ),
        None => "Validation loss V(λ)".into(),
    };
    Curve {
        title,
        x_title: "λ".into(),
        y_title: "V".into(),
        x_log: true,
        line: ("V(λ)".into(), r.curve.clone()),
        points: vec![
            (format!("grid, k = {}", s.k.value), r.grid.clone(), false),
            ("hypergradient descent".into(), iterates, true),
        ],
        mark: Some((
            s.lambda.value.log10(),
            format!("λ = {}", fmt_sig(s.lambda.value, 4)),
        )),
        y_window: window,
        ..Curve::default()
    }
}

/// `#/memory`: forward evaluations against the slots used, binomial checkpointing for every c, the other strategies
/// named, and the c in use.
pub fn memory_curve(r: &MemoryResults, s: &MemoryState) -> Curve {
    let named = [
        (Strategy::StoreInput, "store x₀ only"),
        (Strategy::Sqrt, "every √n-th"),
        (Strategy::StoreAll, "store everything"),
    ]
    .into_iter()
    .flat_map(|(st, name)| {
        r.totals
            .iter()
            .filter(move |t| t.strategy == st)
            .map(move |t| ((t.peak as f64).log10(), t.evals as f64, name.to_string()))
    })
    .collect();
    Curve {
        title: format!("Forward evaluations against memory, n = {}", s.n.value),
        x_title: "slots (states stored)".into(),
        y_title: "forward evaluations (log scale)".into(),
        x_log: true,
        y_log: true,
        line: (
            "binomial (revolve), c = 1, 2, …".into(),
            r.curve
                .iter()
                .map(|&(c, t)| ((c as f64).log10(), t as f64))
                .collect(),
        ),
        named: ("the other strategies".into(), named),
        mark: Some(((s.slots() as f64).log10(), format!("c = {}", s.slots()))),
        ..Curve::default()
    }
}

pub fn draw_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Curve,
    px: f64,
) -> DrawResult<DB> {
    root.fill(&paper())?;
    let ty = |y: f64| {
        if c.y_log {
            (y > 0.0).then(|| y.log10())
        } else {
            Some(y)
        }
    };
    let pts = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
        v.iter()
            .filter_map(|&(x, y)| {
                ty(y)
                    .filter(|y| y.is_finite() && x.is_finite())
                    .map(|y| (x, y))
            })
            .collect()
    };
    let line = pts(&c.line.1);
    let named: Vec<(f64, f64, String)> = c
        .named
        .1
        .iter()
        .filter_map(|(x, y, n)| {
            ty(*y)
                .filter(|y| y.is_finite() && x.is_finite())
                .map(|y| (*x, y, n.clone()))
        })
        .collect();
    let (mut x0, mut x1) = (f64::MAX, f64::MIN);
    let (mut y0, mut y1) = (f64::MAX, f64::MIN);
    let all = line
        .iter()
        .copied()
        .chain(c.points.iter().flat_map(|p| pts(&p.1)))
        .chain(named.iter().map(|(x, y, _)| (*x, *y)))
        .chain(
            c.levels
                .iter()
                .filter_map(|(y, _)| ty(*y).map(|y| (f64::NAN, y))),
        );
    for (x, y) in all {
        if x.is_finite() {
            x0 = x0.min(x);
            x1 = x1.max(x);
        }
        if y.is_finite() {
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if let Some((a, b)) = c.y_window.and_then(|(a, b)| Some((ty(a)?, ty(b)?))) {
        (y0, y1) = (a, b);
    }
    if let Some((a, b)) = c.x_span {
        (x0, x1) = (x0.min(a), x1.max(b));
    }
    if x0 >= x1 {
        (x0, x1) = (x0.min(0.0) - 0.5, x0.max(0.0) + 0.5);
    }
    if y0 >= y1 {
        (y0, y1) = (y0.min(0.0) - 1.0, y0.max(0.0) + 1.0);
    }
    let (yt, yr) = if c.y_log {
        let (a, b) = (
            y0.floor() as i32,
            (y1.ceil() as i32).max(y0.floor() as i32 + 1),
        );
        (
            decade_ticks(a, b, ((b - a) / 6).max(1)),
            (a as f64, b as f64),
        )
    } else {
        let pad = (y1 - y0) * 0.05;
        (
            round_ticks(y0 - pad, y1 + pad, f64::MIN_POSITIVE, &sig3),
            (y0 - pad, y1 + pad),
        )
    };
    let xr = if c.x_log {
        (x0.floor(), x1.ceil().max(x0.floor() + 1.0))
    } else {
        (x0, x1)
    };
    let xt = if c.x_log {
        decade_ticks(xr.0 as i32, xr.1 as i32, 1)
    } else {
        round_ticks(x0, x1, f64::MIN_POSITIVE, &sig3)
    };
    let rows = 1
        + c.points.len()
        + usize::from(!named.is_empty())
        + usize::from(c.mark.is_some())
        + c.levels.len();
    let mut f = Frame::new(root.dim_in_pixel(), xr, yr, px, rows);

    // Every series, kept to the frame, before anything is drawn: the legend is placed clear of them.
    let inside: Vec<(f64, f64)> = line.iter().copied().filter(|&p| f.contains(p)).collect();
    let mut legend = vec![Entry::new(
        c.line.0.clone(),
        central(),
        Key::Line(Line::Solid),
    )];
    let colours = [forward(), ink()];
    let series: Vec<(Vec<(f64, f64)>, RGBColor, bool)> = c
        .points
        .iter()
        .enumerate()
        .map(|(k, (_, p, joined))| {
            (
                pts(p).into_iter().filter(|&q| f.contains(q)).collect(),
                colours[k % 2],
                *joined,
            )
        })
        .collect();
    for ((name, _, joined), (p, colour, _)) in c.points.iter().zip(&series) {
        if !p.is_empty() {
            legend.push(Entry::new(
                name.clone(),
                *colour,
                if *joined {
                    Key::Line(Line::Solid)
                } else {
                    Key::Dot
                },
            ));
        }
    }
    let named: Vec<(f64, f64, String)> = named
        .into_iter()
        .filter(|(x, y, _)| f.contains((*x, *y)))
        .collect();
    if !named.is_empty() {
        legend.push(Entry::new(c.named.0.clone(), red(), Key::Ring));
    }
    let levels: Vec<(f64, String)> = c
        .levels
        .iter()
        .filter_map(|(y, n)| {
            ty(*y)
                .filter(|y| *y >= yr.0 && *y <= yr.1)
                .map(|y| (y, n.clone()))
        })
        .collect();
    let level_colours = [model(), red()];
    for (k, (_, name)) in levels.iter().enumerate() {
        legend.push(Entry::new(
            name.clone(),
            level_colours[k % 2],
            Key::Line(Line::Dashed),
        ));
    }
    let mark = c.mark.as_ref().filter(|(x, _)| *x >= xr.0 && *x <= xr.1);
    if let Some((_, name)) = mark {
        legend.push(Entry::new(name.clone(), red(), Key::Line(Line::Dashed)));
    }
    let mut lines: Vec<&[(f64, f64)]> = vec![inside.as_slice()];
    lines.extend(series.iter().filter(|s| s.2).map(|s| s.0.as_slice()));
    let mut points: Vec<(f64, f64)> = series.iter().flat_map(|s| s.0.iter().copied()).collect();
    points.extend(named.iter().map(|(x, y, _)| (*x, *y)));
    let level_lines: Vec<[(f64, f64); 2]> = levels
        .iter()
        .map(|(y, _)| [(xr.0, *y), (xr.1, *y)])
        .collect();
    lines.extend(level_lines.iter().map(|l| l.as_slice()));
    let mark_line = mark.map(|(x, _)| [(*x, yr.0), (*x, yr.1)]);
    if let Some(l) = &mark_line {
        lines.push(l.as_slice());
    }
    f.place_legend(&legend, &lines, &points);

    f.axes(root, &xt, &yt, &c.title, &c.x_title, &c.y_title)?;
    f.line(root, &inside, central(), 2.4, Line::Solid)?;
    for (k, (y, _)) in levels.iter().enumerate() {
        f.hrule(root, *y, level_colours[k % 2], 1.6, Line::Dashed)?;
    }
    if let Some((x, _)) = mark {
        f.vrule(root, *x, red(), 1.6, Line::Dashed)?;
    }
    for (p, colour, joined) in &series {
        if *joined && p.len() > 1 {
            f.line(root, p, *colour, 1.4, Line::Solid)?;
        }
        f.dots(root, p, *colour, if *joined { 4.0 } else { 3.5 })?;
        if let Some(&last) = p.last().filter(|_| *joined) {
            f.ring(root, last, *colour, 7.0)?;
        }
    }
    for (x, y, _) in &named {
        f.ring(root, (*x, *y), red(), 6.0)?;
    }
    for (x, y, name) in &named {
        f.label(root, name, f.to_px((*x, *y)), ink())?;
    }
    f.legend(root, &legend)?;
    root.present()
}

/// Gradient descent on the toy problem ½(β₁ − 1)² + 5(β₂ − 0.1)² (up to a constant): its level sets and the path.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    pub path: Vec<(f64, f64)>,
    pub rho: f64,
}

const PLANE_X: (f64, f64) = (-0.2, 1.3);
const PLANE_Y: (f64, f64) = (-0.15, 0.35);

/// The plane's frame: β₁ across, β₂ up, with room for the axes (the level sets are laid in its plot area).
fn plane_frame(area: (u32, u32), px: f64) -> Frame {
    Frame::new(area, PLANE_X, PLANE_Y, px, 0)
}

impl Figure for Shared<Plane> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        let f = plane_frame(root.dim_in_pixel(), px);
        let ticks = |lo: f64, hi: f64| round_ticks(lo, hi, f64::MIN_POSITIVE, &sig3);
        f.axes(
            root,
            &ticks(PLANE_X.0, PLANE_X.1),
            &ticks(PLANE_Y.0, PLANE_Y.1),
            &format!(
                "Gradient descent, ρ = {}, on the level sets of ℓ",
                fmt_sig(self.rho, 4)
            ),
            "β₁",
            "β₂",
        )?;
        let inside: Vec<(f64, f64)> = self
            .path
            .iter()
            .copied()
            .take_while(|p| f.contains(*p))
            .collect();
        f.line(root, &inside, forward(), 2.0, Line::Solid)?;
        f.dots(root, &inside, forward(), 3.0)?;
        f.ring(root, (1.0, 0.1), ink(), 6.0)?;
        f.label(root, "β*", f.to_px((1.0, 0.1)), ink())?;
        if let Some(&b0) = inside.first() {
            f.label(root, "β₀ = 0", f.to_px(b0), forward())?;
        }
        if inside.len() < self.path.len() {
            f.text(
                root,
                "the path leaves the picture: ρ is past the stability limit",
                (f.left + (8.0 * px) as i32, f.bottom - (8.0 * px) as i32),
                14.0,
                red(),
                Pos::new(HPos::Left, VPos::Bottom),
                true,
            )?;
        }
        root.present()
    }

    /// The level sets as bands of log(ℓ − ℓ*), laid in the plot area (the paper around it).
    fn pixels(&self, w: u32, h: u32, px: f64) -> Option<Vec<u8>> {
        let f = plane_frame((w, h), px);
        let p = paper();
        let mut out = Vec::with_capacity((w * h * 4) as usize);
        for _ in 0..w * h {
            out.extend_from_slice(&[p.0, p.1, p.2, 255]);
        }
        // Two shades a little off the paper, alternating between level sets.
        let off = |d: i16| {
            [p.0, p.1, p.2].map(|c| (c as i16 + if p.0 > 128 { -d } else { d }).clamp(0, 255) as u8)
        };
        let bands = [off(30), off(16)];
        let (l, t, r, b) = (
            f.left.max(0),
            f.top.max(0),
            f.right.min(w as i32),
            f.bottom.min(h as i32),
        );
        for py in t..b {
            let y = PLANE_Y.1
                - (py - f.top) as f64 / (f.bottom - f.top) as f64 * (PLANE_Y.1 - PLANE_Y.0);
            for qx in l..r {
                let x = PLANE_X.0
                    + (qx - f.left) as f64 / (f.right - f.left) as f64 * (PLANE_X.1 - PLANE_X.0);
                let loss = 0.5 * (x - 1.0).powi(2) + 5.0 * (y - 0.1).powi(2);
                let band = (loss.max(1e-12).log10() * 2.0).floor() as i64;
                let i = ((py as u32 * w + qx as u32) * 4) as usize;
                out[i..i + 3].copy_from_slice(&bands[(band % 2 == 0) as usize]);
            }
        }
        Some(out)
    }

    fn aspect(&self) -> Option<f64> {
        Some(0.5)
    }
}
