//! A function of one hyperparameter with points on it: `#/learn`'s L(ρ) with the meta-iterates and the stability
//! limit, `#/hyper`'s V(λ) (λ on a log axis) with the grid and the descent's iterates. And `#/learn`'s toy problem
//! in the plane: the loss's level sets, gradient descent's path on them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::paper;
use super::frame::{
    central, decade_ticks, forward, ink, model, red, round_ticks, DrawResult, Frame, Line,
};
use super::Figure;
use crate::base::num::fmt_sig;
use crate::lab::Shared;

/// What a curve figure shows. `x_log`: x values are log₁₀ of the quantity (ticks read 10ᵏ); `y_log`: y is drawn on a
/// log scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub title: String,
    pub x_title: String,
    pub y_title: String,
    pub x_log: bool,
    pub y_log: bool,
    pub line: (String, Vec<(f64, f64)>),
    /// Series of points: (name, points, joined by a line?).
    pub points: Vec<(String, Vec<(f64, f64)>, bool)>,
    /// A vertical marker at x, with its name.
    pub mark: Option<(f64, String)>,
    /// A horizontal reference at y, with its name.
    pub level: Option<(f64, String)>,
}

impl Figure for Shared<Curve> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        draw_curve(root, self, px)
    }
}

fn sig3(v: f64) -> String {
    fmt_sig(v, 3)
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
    let (mut x0, mut x1) = (f64::MAX, f64::MIN);
    let (mut y0, mut y1) = (f64::MAX, f64::MIN);
    for &(x, y) in line.iter().chain(c.points.iter().flat_map(|p| p.1.iter())) {
        if x.is_finite() {
            x0 = x0.min(x);
            x1 = x1.max(x);
        }
        if let Some(y) = ty(y).filter(|y| y.is_finite()) {
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if x0 >= x1 {
        (x0, x1) = (0.0, 1.0);
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
    let xt = if c.x_log {
        decade_ticks(x0.floor() as i32, x1.ceil() as i32, 1)
            .into_iter()
            .filter(|t| t.0 >= x0 - 1e-9 && t.0 <= x1 + 1e-9)
            .collect()
    } else {
        round_ticks(x0, x1, f64::MIN_POSITIVE, &sig3)
    };
    let rows = 1 + c.points.len() + usize::from(c.mark.is_some()) + usize::from(c.level.is_some());
    let f = Frame::new(root.dim_in_pixel(), (x0, x1), yr, px, rows);
    f.axes(root, &xt, &yt, &c.title, &c.x_title, &c.y_title)?;
    let mut legend = vec![(c.line.0.clone(), central(), Line::Solid)];
    let inside: Vec<(f64, f64)> = line.iter().copied().filter(|&p| f.contains(p)).collect();
    f.line(root, &inside, central(), 2.4, Line::Solid)?;
    if let Some((y, name)) = &c.level {
        if let Some(y) = ty(*y).filter(|y| *y >= yr.0 && *y <= yr.1) {
            f.line(root, &[(x0, y), (x1, y)], model(), 1.6, Line::Dashed)?;
            legend.push((name.clone(), model(), Line::Dashed));
        }
    }
    if let Some((x, name)) = &c.mark {
        if *x >= x0 && *x <= x1 {
            f.line(root, &[(*x, yr.0), (*x, yr.1)], red(), 1.6, Line::Dashed)?;
            legend.push((name.clone(), red(), Line::Dashed));
        }
    }
    let colours = [forward(), ink()];
    for (k, (name, p, joined)) in c.points.iter().enumerate() {
        let colour = colours[k % 2];
        let p: Vec<(f64, f64)> = pts(p).into_iter().filter(|&q| f.contains(q)).collect();
        if *joined && p.len() > 1 {
            f.line(root, &p, colour, 1.4, Line::Solid)?;
        }
        f.dots(root, &p, colour, if *joined { 4.0 } else { 3.5 })?;
        if let Some(&last) = p.last().filter(|_| *joined) {
            let (x, y) = f.to_px(last);
            root.draw(&Circle::new(
                (x, y),
                (7.0 * px) as i32,
                colour.stroke_width((2.0 * px) as u32),
            ))?;
        }
        legend.push((name.clone(), colour, Line::Solid));
    }
    f.legend(root, &legend, &inside)?;
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

impl Figure for Shared<Plane> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB> {
        let (w, h) = root.dim_in_pixel();
        let to = |(x, y): (f64, f64)| {
            (
                ((x - PLANE_X.0) / (PLANE_X.1 - PLANE_X.0) * w as f64) as i32,
                ((PLANE_Y.1 - y) / (PLANE_Y.1 - PLANE_Y.0) * h as f64) as i32,
            )
        };
        let inside: Vec<(i32, i32)> = self
            .path
            .iter()
            .copied()
            .take_while(|(x, y)| x.abs() < 10.0 && y.abs() < 10.0)
            .map(to)
            .collect();
        root.draw(&PathElement::new(
            inside.clone(),
            forward().stroke_width((2.0 * px) as u32),
        ))?;
        for p in &inside {
            root.draw(&Circle::new(*p, (3.0 * px) as i32, forward().filled()))?;
        }
        root.draw(&Circle::new(
            to((1.0, 0.1)),
            (6.0 * px) as i32,
            ink().stroke_width((2.0 * px) as u32),
        ))?;
        let font = super::frame::font(15.0 * px);
        root.draw(&Text::new(
            format!(
                "gradient descent, ρ = {}, on the level sets of ℓ; ○ marks β*",
                fmt_sig(self.rho, 4)
            ),
            ((8.0 * px) as i32, (8.0 * px) as i32),
            font.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        root.present()
    }

    /// The level sets as bands of log(ℓ − ℓ*).
    fn pixels(&self, w: u32, h: u32) -> Option<Vec<u8>> {
        let mut out = vec![255u8; (w * h * 4) as usize];
        // Two shades a little off the paper, alternating between level sets.
        let p = paper();
        let off = |d: i16| {
            [p.0, p.1, p.2].map(|c| (c as i16 + if p.0 > 128 { -d } else { d }).clamp(0, 255) as u8)
        };
        let bands = [off(30), off(16)];
        for py in 0..h {
            let y = PLANE_Y.1 - (py as f64 + 0.5) / h as f64 * (PLANE_Y.1 - PLANE_Y.0);
            for px in 0..w {
                let x = PLANE_X.0 + (px as f64 + 0.5) / w as f64 * (PLANE_X.1 - PLANE_X.0);
                let l = 0.5 * (x - 1.0).powi(2) + 5.0 * (y - 0.1).powi(2);
                let band = (l.max(1e-12).log10() * 2.0).floor() as i64;
                let i = ((py * w + px) * 4) as usize;
                out[i..i + 3].copy_from_slice(&bands[(band % 2 == 0) as usize]);
            }
        }
        Some(out)
    }

    fn aspect(&self) -> Option<f64> {
        Some(0.5)
    }
}
