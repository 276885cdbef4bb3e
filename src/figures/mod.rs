//! The chapters' figures, drawn with plotters onto any `DrawingBackend`: a canvas in the browser (only
//! `ui::canvas` touches one), an SVG string in native tests.
//!
//! The figures use plotters' drawing area and elements (paths, circles, text) with a small frame of our own for the
//! axes, ticks and legend — exactly the look we want for a projector (decade labels as `10⁻⁸`, a legend that never
//! covers data in the corner we pick), and much less code shipped than the general chart machinery.
//!
//! Every value is checked to be finite and inside the frame before it is drawn: bad data makes a gap, never a
//! panic.

pub mod boundary;
pub mod curve;
pub mod fd;
pub mod frame;
pub mod heatmap;
pub mod svg;
pub mod swell;
pub mod training;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use fd::draw_fd;
pub use frame::{sci_label, DrawResult};
pub use swell::draw_swell;

/// A figure: data that draws itself on any plotters backend. Each figure is one file implementing this for its data;
/// the canvas component draws any `Figure` without knowing which.
pub trait Figure {
    /// Draws on `root`; `px` is pixels per CSS pixel (fonts and strokes scale with it).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, px: f64) -> DrawResult<DB>;

    /// A background of `w × h` RGBA pixels, laid down before [`Figure::draw`] (a heatmap); `None` for none. `px` is
    /// as for `draw` (the background may fill the plot area of a frame only).
    fn pixels(&self, _w: u32, _h: u32, _px: f64) -> Option<Vec<u8>> {
        None
    }

    /// Height over width, when the figure needs its own (a square map); `None` for the usual shape.
    fn aspect(&self) -> Option<f64> {
        None
    }

    /// Height over width on a slide (fitted to the screen), for a figure without its own shape: a figure whose
    /// legend goes under its plot asks for more.
    fn slide_aspect(&self) -> f64 {
        0.56
    }
}

#[cfg(test)]
mod tests {
    use super::frame::dashes;
    use super::*;
    use crate::lab::numeric::NumericState;
    use crate::lab::program::ProgramAction;
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
            "AD trace, a graph",
            "f′ₙ by the rules, a tree",
            "f′ₙ simplified (expanded)",
            "fₙ as a graph",
            "fₙ as a tree",
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
            use crate::lab::numeric::NumericAction::Program;
            let s = NumericState::default().apply(Program(ProgramAction::Source(src.into())));
            let s = s.apply(Program(ProgramAction::Input("x".into(), "10".into())));
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

    /// What would make a figure read badly, from what it drew: a legend over data, a label over a line, a point,
    /// the legend or other words, two words over each other.
    fn overlaps(marks: &[frame::Mark], (w, h): (u32, u32)) -> Vec<String> {
        use frame::Mark;
        let mut out = Vec::new();
        for m in marks {
            if let Mark::Text { rect, text, .. } = m {
                if rect.x0 < 0 || rect.y0 < 0 || rect.x1 > w as i32 || rect.y1 > h as i32 {
                    out.push(format!(
                        "{text:?} {rect:?} is cut by the edge of the {w}×{h} figure"
                    ));
                }
            }
        }
        for (i, m) in marks.iter().enumerate() {
            match m {
                Mark::Legend(r) => {
                    for d in marks {
                        if matches!(d, Mark::Data(_) | Mark::Rule(_) | Mark::Dot(..)) && d.under(r)
                        {
                            out.push(format!("the legend {r:?} covers {d:?}"));
                        }
                    }
                }
                Mark::Text { rect, text, inside } => {
                    for (j, d) in marks.iter().enumerate() {
                        if i == j {
                            continue;
                        }
                        let bad = match d {
                            Mark::Text { rect: o, .. } => j > i && rect.intersects(o),
                            Mark::Legend(o) => rect.intersects(o),
                            Mark::Data(_) | Mark::Rule(_) | Mark::Dot(..) => {
                                *inside && d.under(rect)
                            }
                            Mark::Plot(_) => false,
                        };
                        if bad {
                            let what = match d {
                                Mark::Text { text, .. } => format!("the words {text:?}"),
                                other => format!("{other:?}").chars().take(80).collect(),
                            };
                            out.push(format!("{text:?} {rect:?} meets {what}"));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Every figure of every chapter, on a laptop, a phone (at 2× density) and a projected slide, in the states the
    /// chapters and the lecture show: nothing overlaps (see `overlaps`).
    #[test]
    fn no_figure_has_anything_over_anything() {
        use crate::figures::curve::{hyper_curve, learn_curve, memory_curve, Curve, Plane};
        use crate::lab::hyper::{HyperAction, HyperState, Mode};
        use crate::lab::learn::{LearnAction, LearnState, Problem};
        use crate::lab::memory::MemoryState;
        use crate::lab::network::{NetworkState, Trainer};
        use crate::lab::Shared;
        let sizes = [
            (960, 538, 1.0),
            (780, 1054, 1.8),
            (700, 392, 0.9),
            (1280, 717, 1.3),
            (600, 336, 0.9),
            (540, 405, 1.0),
        ];
        let mut problems = Vec::new();
        let mut check = |name: &str, draw: &dyn Fn(&DrawingArea<SVGBackend, Shift>, f64)| {
            for (w, h, px) in sizes {
                let mut s = String::new();
                let ((), marks) = frame::record(|| {
                    let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                    draw(&root, px);
                });
                assert!(
                    marks.iter().any(|m| matches!(m, frame::Mark::Plot(_))),
                    "{name}: recorded"
                );
                if let Ok(dir) = std::env::var("AD_LAB_PLOT_DIR") {
                    let file = format!("{dir}/{}-{w}.svg", name.replace([' ', '=', '&'], "_"));
                    let _ = std::fs::write(file, &s);
                }
                for p in overlaps(&marks, (w, h)) {
                    problems.push(format!("{name} at {w}×{h}: {p}"));
                }
            }
        };
        let numeric = NumericState::default().results().unwrap();
        check("numeric", &|r, px| draw_fd(r, &numeric, px).unwrap());
        for n in ["14", "20"] {
            let sw = SymbolicState::default()
                .apply(SymbolicAction::NMax(n.into()))
                .swell()
                .unwrap();
            check(&format!("symbolic N = {n}"), &|r, px| {
                draw_swell(r, &sw.rows, px).unwrap()
            });
        }
        let mut t = Trainer::new(&NetworkState::micrograd().settings());
        t.train_to(20);
        let history = Shared::new(t.history.clone());
        let boundary = Shared::new(t.boundary(40));
        check("network curves", &|r, px| history.draw(r, px).unwrap());
        check("network map", &|r, px| boundary.draw(r, px).unwrap());
        let learn = [
            LearnState::default(),
            LearnState::default().apply(LearnAction::MetaStep(36)),
            LearnState::default().apply(LearnAction::Problem(Problem::Diabetes)),
        ];
        for (k, s) in learn.iter().enumerate() {
            let r = s.results().unwrap();
            let c = Shared::new(learn_curve(&r, s));
            check(&format!("learn {k}"), &|root, px| c.draw(root, px).unwrap());
            let p = Shared::new(Plane {
                path: r.path.clone(),
                rho: r.rho_now,
            });
            check(&format!("learn path {k}"), &|root, px| {
                p.draw(root, px).unwrap()
            });
        }
        let hyper = [
            HyperState::default(),
            HyperState::default().apply(HyperAction::Step(20)),
            HyperState::default()
                .apply(HyperAction::Mode(Mode::PerFeature))
                .apply(HyperAction::Step(100)),
        ];
        for (k, s) in hyper.iter().enumerate() {
            let r = s.results().unwrap();
            let c: Shared<Curve> = Shared::new(hyper_curve(&r, s));
            check(&format!("hyper {k}"), &|root, px| c.draw(root, px).unwrap());
        }
        for q in ["n=100&c=2", "n=20&c=3", "n=1000&c=10"] {
            let mut notices = Vec::new();
            let s = <MemoryState as crate::lab::ChapterModel>::from_location(
                &crate::base::url::Location::parse(&format!("/memory?{q}")),
                &mut notices,
            );
            let r = s.results().unwrap();
            let c = Shared::new(memory_curve(&r, &s));
            check(&format!("memory {q}"), &|root, px| {
                c.draw(root, px).unwrap()
            });
        }
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}
