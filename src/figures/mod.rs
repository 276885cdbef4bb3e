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

    /// A background of `w × h` RGBA pixels, laid down before [`Figure::draw`] (a heatmap); `None` for none.
    fn pixels(&self, _w: u32, _h: u32) -> Option<Vec<u8>> {
        None
    }

    /// Height over width, when the figure needs its own (a square map); `None` for the usual shape.
    fn aspect(&self) -> Option<f64> {
        None
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
}
