//! A figure as an SVG document: a plotters `DrawingBackend` that writes each line, path, circle and text as an SVG
//! element, so that a figure downloads as the vector drawing the canvas shows (the same code draws both).
//!
//! Not plotters' own SVG backend: that one writes font sizes and opacities with `{}` of an `f64`, which would link the
//! standard library's float formatter into the site; here every number written is an integer (sizes in tenths of a
//! pixel, opacities in thousandths), as in our patched canvas backend. Text keeps the canvas's anchors: the same
//! alignment and baseline, the same font size.

use std::fmt::Write;

use plotters::prelude::DrawingBackend;
use plotters_backend::{
    text_anchor::{HPos, Pos, VPos},
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// Writes SVG into `out` as plotters draws; the document is closed when the drawing is dropped.
pub struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

type Drawn = Result<(), DrawingErrorKind<std::convert::Infallible>>;

impl<'a> Svg<'a> {
    /// A `w × h` drawing, shown at `css_w` CSS pixels wide (the canvas's size on the page); `background`, an image's
    /// URL laid under everything (a heatmap's pixels).
    pub fn new(
        out: &'a mut String,
        (w, h): (u32, u32),
        css_w: u32,
        background: Option<&str>,
    ) -> Svg<'a> {
        let css_h = (h as u64 * css_w as u64 / w.max(1) as u64) as u32;
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{css_w}\" height=\"{css_h}\" viewBox=\"0 0 {w} {h}\">\n"
        );
        if let Some(href) = background {
            let _ = writeln!(out, "<image width=\"{w}\" height=\"{h}\" href=\"{href}\"/>");
        }
        Svg { out, size: (w, h) }
    }

    /// ` fill="…"` or ` stroke="…" stroke-width="…"`, with an opacity when the colour is not opaque.
    fn paint(&mut self, color: BackendColor, stroke: Option<u32>) {
        let (r, g, b) = color.rgb;
        let what = if stroke.is_some() { "stroke" } else { "fill" };
        let _ = write!(self.out, " {what}=\"#{r:02x}{g:02x}{b:02x}\"");
        let a = (color.alpha.clamp(0.0, 1.0) * 1000.0).round() as u32;
        if a < 1000 {
            let _ = write!(self.out, " {what}-opacity=\"0.{a:03}\"");
        }
        if let Some(w) = stroke {
            let _ = write!(self.out, " stroke-width=\"{w}\" fill=\"none\"");
        }
    }

    fn shape(&mut self, open: &str, color: BackendColor, stroke: Option<u32>) {
        self.out.push_str(open);
        self.paint(color, stroke);
        self.out.push_str("/>\n");
    }

    // The drawing operations, not generic (one copy in the site, whatever styles the figures use): `stroke` is a
    // line's width, `None` for a filled shape.

    pub fn pixel(&mut self, (x, y): BackendCoord, color: BackendColor) {
        if color.alpha > 0.0 {
            let open = format!("<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"");
            self.shape(&open, color, None);
        }
    }

    pub fn line(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        color: BackendColor,
        width: u32,
    ) {
        if color.alpha > 0.0 {
            let open = format!("<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y1}\"");
            self.shape(&open, color, Some(width));
        }
    }

    pub fn rect(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        color: BackendColor,
        stroke: Option<u32>,
    ) {
        if color.alpha > 0.0 {
            let open = format!(
                "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\"",
                x1 - x0,
                y1 - y0
            );
            self.shape(&open, color, stroke);
        }
    }

    /// A polyline (`stroke`) or a filled polygon, its points given one by one to [`Svg::point`] and ended by
    /// [`Svg::end`] (so that the caller's iterator needs no collecting).
    pub fn begin(&mut self, stroke: Option<u32>) {
        self.out.push_str(if stroke.is_some() {
            "<polyline stroke-linejoin=\"round\" points=\""
        } else {
            "<polygon points=\""
        });
    }

    pub fn point(&mut self, (x, y): BackendCoord) {
        let _ = write!(self.out, "{x},{y} ");
    }

    pub fn end(&mut self, color: BackendColor, stroke: Option<u32>) {
        if self.out.ends_with(' ') {
            self.out.pop();
        }
        self.shape("\"", color, stroke);
    }

    pub fn circle(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        color: BackendColor,
        stroke: Option<u32>,
    ) {
        if color.alpha > 0.0 {
            let open = format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"{radius}\"");
            self.shape(&open, color, stroke);
        }
    }

    /// `text` at `(x, y)` with the canvas's anchors, `size` in pixels, turned by `turn` degrees.
    pub fn text(&mut self, text: &str, (x, y): BackendCoord, look: TextLook) {
        let TextLook {
            color,
            anchor,
            size,
            style,
            turn,
        } = look;
        if color.alpha == 0.0 {
            return;
        }
        let across = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        // The canvas's text baselines: the top, the middle or the bottom of the em box.
        let baseline = match anchor.v_pos {
            VPos::Top => "text-before-edge",
            VPos::Center => "central",
            VPos::Bottom => "text-after-edge",
        };
        let t = (size.max(0.0) * 10.0).round() as u64;
        let _ = write!(
            self.out,
            "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{across}\" dominant-baseline=\"{baseline}\" font-family=\"sans-serif\" font-size=\"{}.{}\"",
            t / 10,
            t % 10
        );
        match style {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(" font-weight=\"bold\""),
            _ => self.out.push_str(" font-style=\"italic\""),
        }
        if turn != 0 {
            let _ = write!(self.out, " transform=\"rotate({turn} {x} {y})\"");
        }
        self.paint(color, None);
        self.out.push('>');
        escape(self.out, text);
        self.out.push_str("</text>\n");
    }
}

/// A polyline (`stroke`) or a filled polygon through `path`; nothing when the colour is transparent.
pub fn poly(
    svg: &mut Svg,
    path: impl IntoIterator<Item = BackendCoord>,
    color: BackendColor,
    stroke: Option<u32>,
) {
    if color.alpha > 0.0 {
        svg.begin(stroke);
        for p in path {
            svg.point(p);
        }
        svg.end(color, stroke);
    }
}

/// `text` with XML's special characters escaped.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// How a text is drawn: what plotters' text style says, read once.
#[derive(Clone, Copy)]
pub struct TextLook {
    pub color: BackendColor,
    pub anchor: Pos,
    pub size: f64,
    pub style: FontStyle,
    pub turn: i32,
}

impl TextLook {
    pub fn of<S: BackendTextStyle>(style: &S) -> TextLook {
        TextLook {
            color: style.color(),
            anchor: style.anchor(),
            size: style.size(),
            style: style.style(),
            turn: match style.transform() {
                FontTransform::Rotate90 => 90,
                FontTransform::Rotate180 => 180,
                FontTransform::Rotate270 => 270,
                _ => 0,
            },
        }
    }
}

impl Drop for Svg<'_> {
    fn drop(&mut self) {
        self.out.push_str("</svg>\n");
    }
}

/// Plotters' calls turned into the operations above (thin and generic; the operations themselves are one copy).
impl DrawingBackend for Svg<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Drawn {
        self.pixel(p, color);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S) -> Drawn {
        self.line(a, b, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.rect(a, b, style.color(), (!fill).then(|| style.stroke_width()));
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        poly(self, path, style.color(), Some(style.stroke_width()));
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        poly(self, path, style.color(), None);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        at: BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.circle(at, r, style.color(), (!fill).then(|| style.stroke_width()));
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, at: BackendCoord) -> Drawn {
        self.text(text, at, TextLook::of(style));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::draw_fd;
    use crate::lab::numeric::NumericState;
    use plotters::prelude::{Color, IntoDrawingArea, IntoFont};

    /// The texts of an SVG document, in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                body.trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect()
    }

    #[test]
    fn a_figure_as_svg_has_the_texts_marks_and_size_of_plotters_own_svg() {
        let r = NumericState::default().results().unwrap();
        let mut ours = String::new();
        {
            let svg = Svg::new(&mut ours, (1920, 1120), 960, None);
            let root = svg.into_drawing_area();
            draw_fd(&root, &r, 2.0).unwrap();
        }
        let mut theirs = String::new();
        {
            let root = plotters::prelude::SVGBackend::with_string(&mut theirs, (1920, 1120))
                .into_drawing_area();
            draw_fd(&root, &r, 2.0).unwrap();
        }
        assert!(ours.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"560\" viewBox=\"0 0 1920 1120\">"
        ));
        assert!(ours.ends_with("</svg>\n"));
        assert_eq!(
            texts(&ours),
            texts(&theirs),
            "the same texts in the same order"
        );
        assert!(texts(&ours).iter().any(|t| t == "step h"));
        for tag in ["polyline", "circle", "line", "rect"] {
            assert_eq!(
                ours.matches(&format!("<{tag} ")).count(),
                theirs.matches(&format!("<{tag} ")).count(),
                "as many {tag}s"
            );
        }
        // Only integers: no float formatting anywhere in the document.
        for attr in ours.split('"').skip(1).step_by(2) {
            if let Some(frac) = attr.split('.').nth(1) {
                assert!(
                    frac.len() <= 3 && frac.bytes().all(|b| b.is_ascii_digit())
                        || attr.contains("www"),
                    "{attr}"
                );
            }
        }
        // Well formed: every element opened is closed.
        assert_eq!(
            ours.matches("<text").count(),
            ours.matches("</text>").count()
        );
        assert_eq!(ours.matches('<').count(), ours.matches('>').count());
    }

    #[test]
    fn text_is_escaped_and_colours_carry_their_opacity() {
        let mut out = String::new();
        {
            let mut svg = Svg::new(&mut out, (10, 10), 10, Some("data:image/png;base64,AAAA"));
            let red = plotters::style::RGBColor(255, 0, 16).mix(0.25);
            let style =
                plotters::style::TextStyle::from(("sans-serif", 12.0).into_font()).color(&red);
            svg.draw_text("a < b & c", &style, (1, 2)).unwrap();
            svg.draw_circle((5, 5), 3, &plotters::style::BLACK, true)
                .unwrap();
        }
        assert!(
            out.contains("<image width=\"10\" height=\"10\" href=\"data:image/png;base64,AAAA\"/>")
        );
        assert!(out.contains(">a &lt; b &amp; c</text>"), "{out}");
        assert!(
            out.contains("fill=\"#ff0010\" fill-opacity=\"0.250\""),
            "{out}"
        );
        assert!(
            out.contains("<circle cx=\"5\" cy=\"5\" r=\"3\" fill=\"#000000\"/>"),
            "{out}"
        );
        assert!(out.contains("font-size=\"12.0\""), "{out}");
    }
}
