//! The one place that touches `<canvas>`: sizes it to its container at the screen's pixel density, draws any
//! [`Figure`] with plotters-canvas, redraws on resize, and saves it as a PNG or as SVG (the same drawing code writing
//! [`Svg`] instead: [`Surface`] is either, so that each figure is compiled once). A new figure needs no change here.

use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::figures::svg::Svg;
use crate::figures::Figure;
use crate::lab::Shared;
use crate::ui::dom;

/// Where a figure is drawn: the page's canvas, or an SVG document being written (one type, so that each figure's
/// drawing code is compiled once for both).
pub enum Surface<'a> {
    Canvas(CanvasBackend),
    Svg(Svg<'a>),
}

type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

/// An SVG drawing cannot fail.
fn never(e: DrawingErrorKind<std::convert::Infallible>) -> DrawingErrorKind<CanvasError> {
    match e {
        DrawingErrorKind::DrawingError(e) => match e {},
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

impl DrawingBackend for Surface<'_> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            Surface::Canvas(c) => c.get_size(),
            Surface::Svg(s) => s.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }
    fn present(&mut self) -> Drawn {
        Ok(())
    }
    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_pixel(p, color),
            Surface::Svg(s) => s.draw_pixel(p, color).map_err(never),
        }
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_line(a, b, style),
            Surface::Svg(s) => s.draw_line(a, b, style).map_err(never),
        }
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_rect(a, b, style, fill),
            Surface::Svg(s) => s.draw_rect(a, b, style, fill).map_err(never),
        }
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_path(path, style),
            Surface::Svg(s) => s.draw_path(path, style).map_err(never),
        }
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        match self {
            Surface::Canvas(c) => c.fill_polygon(path, style),
            Surface::Svg(s) => s.fill_polygon(path, style).map_err(never),
        }
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        at: BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_circle(at, r, style, fill),
            Surface::Svg(s) => s.draw_circle(at, r, style, fill).map_err(never),
        }
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, at: BackendCoord) -> Drawn {
        match self {
            Surface::Canvas(c) => c.draw_text(text, style, at),
            Surface::Svg(s) => s.draw_text(text, style, at).map_err(never),
        }
    }
}

/// Any [`Figure`] as the canvas draws it: one non-generic component serves every figure (a generic one would be
/// compiled once per figure type).
pub trait CanvasFigure {
    fn draw_on(&self, root: &DrawingArea<Surface, Shift>, px: f64) -> Result<(), String>;
    fn pixels(&self, w: u32, h: u32, px: f64) -> Option<Vec<u8>>;
    fn aspect(&self) -> Option<f64>;
    fn slide_aspect(&self) -> f64;
}

impl<F: Figure> CanvasFigure for F {
    fn draw_on(&self, root: &DrawingArea<Surface, Shift>, px: f64) -> Result<(), String> {
        self.draw(root, px).map_err(|e| e.to_string())
    }
    fn pixels(&self, w: u32, h: u32, px: f64) -> Option<Vec<u8>> {
        Figure::pixels(self, w, h, px)
    }
    fn aspect(&self) -> Option<f64> {
        Figure::aspect(self)
    }
    fn slide_aspect(&self) -> f64 {
        Figure::slide_aspect(self)
    }
}

/// A figure and the identity of its data (figures keep their data in `Shared` values: compared by identity, cheap).
#[derive(Clone)]
pub struct Plot(Rc<dyn CanvasFigure>, usize);

impl Plot {
    pub fn new<T: 'static>(data: Shared<T>) -> Plot
    where
        Shared<T>: Figure,
    {
        let id = Rc::as_ptr(&data.0) as *const () as usize;
        Plot(Rc::new(data), id)
    }
}

impl PartialEq for Plot {
    fn eq(&self, other: &Plot) -> bool {
        self.1 == other.1
    }
}

#[derive(Properties, PartialEq)]
pub struct PlotCanvasProps {
    pub figure: Plot,
    pub testid: AttrValue,
    /// Text alternative for the figure.
    pub label: AttrValue,
    /// File name for "Save as PNG".
    pub filename: AttrValue,
}

/// Draws `figure` on `canvas` whose CSS size is `css_w × css_h`; `large` scales the type up for projectors.
fn draw(
    canvas: &HtmlCanvasElement,
    figure: &dyn CanvasFigure,
    css_w: u32,
    css_h: u32,
    (large, dark): (bool, bool),
    drawn_px: &mut f64,
) -> Result<(), String> {
    crate::figures::frame::set_dark(dark);
    // On a slide the figure is shown scaled by the slide's fit: drawn at the size it is seen, so that it stays sharp
    // and its type is sized for the screen.
    let zoom = canvas
        .closest(".fit-inner")
        .ok()
        .flatten()
        .and_then(|f| f.get_attribute("data-scale"))
        .and_then(|s| crate::base::decimal::parse(&s))
        .filter(|z| z.is_finite() && *z > 0.0);
    let screen = dom::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0);
    let dpr = screen * zoom.unwrap_or(1.0);
    canvas.set_width((css_w as f64 * dpr).round() as u32);
    canvas.set_height((css_h as f64 * dpr).round() as u32);
    // The height follows the width at once (not only once the figure is drawn again): a slide being fitted to the
    // screen measures its figures at widths they have not been drawn at.
    let style = canvas.style();
    let _ = style.set_property("aspect-ratio", &format!("{css_w} / {css_h}"));
    let _ = style.set_property("height", "auto");
    // Fonts and strokes scale with the pixel density, a little with the width seen (projectors, phones), and with
    // the page's large-text mode.
    let seen = css_w as f64 * zoom.unwrap_or(1.0);
    // A slide scaled down to fit the screen keeps its figures' type at the screen's size (never shrunk with it).
    let px = screen
        * zoom.unwrap_or(1.0).max(1.0)
        * (seen / 900.0).clamp(0.9, 1.3)
        * if large && zoom.is_none() { 1.25 } else { 1.0 };
    *drawn_px = px;
    if let Some(rgba) = figure.pixels(canvas.width(), canvas.height(), px) {
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            .ok_or("no 2-d context")?;
        put_pixels(&ctx, &rgba, canvas.width(), canvas.height())
            .ok_or("the image could not be drawn")?;
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2-d context")?;
    let root = Surface::Canvas(backend).into_drawing_area();
    figure.draw_on(&root, px)
}

/// Puts `w × h` RGBA pixels on a canvas at its top left.
fn put_pixels(ctx: &web_sys::CanvasRenderingContext2d, rgba: &[u8], w: u32, h: u32) -> Option<()> {
    let image =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(rgba), w, h)
            .ok()?;
    ctx.put_image_data(&image, 0.0, 0.0).ok()
}

/// The figure drawn on `canvas` as an SVG document: the same size, type and strokes, shown at the canvas's width on
/// the page; a heatmap's pixels as an embedded PNG under the drawing. Always in the light theme's colours, as the
/// diagrams' files are: material for slides and handouts, whatever theme the page is shown in.
fn svg_of(canvas: &HtmlCanvasElement, figure: &dyn CanvasFigure, px: f64) -> Option<String> {
    let dark = crate::figures::frame::dark();
    crate::figures::frame::set_dark(false);
    let svg = light_svg_of(canvas, figure, px);
    crate::figures::frame::set_dark(dark);
    svg
}

fn light_svg_of(canvas: &HtmlCanvasElement, figure: &dyn CanvasFigure, px: f64) -> Option<String> {
    let (w, h) = (canvas.width(), canvas.height());
    let background = figure.pixels(w, h, px).and_then(|rgba| {
        let (c, ctx) = dom::off_screen(w, h)?;
        put_pixels(&ctx, &rgba, w, h)?;
        c.to_data_url().ok()
    });
    let mut out = String::new();
    {
        let css_w = canvas.client_width().max(1) as u32;
        let root = Surface::Svg(Svg::new(&mut out, (w, h), css_w, background.as_deref()))
            .into_drawing_area();
        figure.draw_on(&root, px).ok()?;
    }
    Some(out)
}

#[component]
pub fn PlotCanvas(props: &PlotCanvasProps) -> Html {
    let canvas = use_node_ref();
    // The container's width, large text and the theme: what the drawing depends on besides the figure.
    let size = use_state_eq(|| (0u32, false, false));
    let error = use_state(|| None::<String>);
    // The type scale the figure was last drawn at (for its SVG).
    let drawn_px = use_mut_ref(|| 1.0);

    // Track the container's width; redraw when it changes.
    {
        let canvas = canvas.clone();
        let size = size.setter();
        crate::ui::components::use_mount(Box::new(move || {
            let box_of = canvas.clone();
            let measure = Rc::new(move || {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    let w = c
                        .parent_element()
                        .map_or(0, |p| p.client_width().max(0) as u32);
                    if w > 0 {
                        size.set((
                            w,
                            // Presenter mode's type is large too.
                            dom::root_has_class("large-text") || dom::root_has_class("presenting"),
                            dom::root_attr("data-theme").as_deref() == Some("dark"),
                        ));
                    }
                }
            });
            measure();
            // The box's own size, not the window's: presenter mode fits a slide by changing its width, and the
            // theme and large text (which change no size) call `dom::notify_resize`.
            let observed = box_of
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.parent_element())
                .and_then(|p| {
                    let m = measure.clone();
                    dom::Resize::new(&p, move || m())
                });
            let listener = dom::Listener::window("resize", move |_| measure());
            Box::new(move || drop((observed, listener)))
        }));
    }
    {
        let canvas = canvas.clone();
        let error = error.clone();
        let drawn_px = drawn_px.clone();
        use_effect_with(
            (props.figure.clone(), *size),
            move |(figure, (w, large, dark))| {
                if let (Some(c), true) = (canvas.cast::<HtmlCanvasElement>(), *w > 0) {
                    // Phones get a taller figure, with the legend under the plot.
                    let w_f = *w as f64;
                    // On a slide fitted to the screen (not on a phone, where a slide is an ordinary page).
                    let slide = dom::root_has_class("presenting")
                        && crate::ui::components::fit::room_for_slides();
                    let h = if let Some(r) = figure.0.aspect() {
                        if slide {
                            w_f * r
                        } else {
                            (w_f * r).min(640.0)
                        }
                    } else if slide {
                        // On a slide: a fixed shape, so that its height follows its width.
                        w_f * figure.0.slide_aspect()
                    } else if w_f < 560.0 {
                        (w_f * 1.35).clamp(420.0, 720.0)
                    } else {
                        (w_f * 0.56).clamp(300.0, 560.0)
                    } as u32;
                    let result = draw(
                        &c,
                        &*figure.0,
                        *w,
                        h,
                        (*large, *dark),
                        &mut drawn_px.borrow_mut(),
                    );
                    error.set(result.err());
                }
            },
        );
    }
    // The PNG is the SVG's drawing (light, whatever the page's theme) at twice the canvas's size: sharp on a slide.
    let save = {
        let (canvas, figure, drawn_px) = (canvas.clone(), props.figure.clone(), drawn_px.clone());
        let filename = props.filename.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if let Some(svg) = svg_of(&c, &*figure.0, *drawn_px.borrow()) {
                    let size = (c.width() as f64, c.height() as f64);
                    dom::save_svg_as_png(&svg, size, filename.trim_end_matches(".png"));
                }
            }
        })
    };
    let save_svg = {
        let (canvas, figure) = (canvas.clone(), props.figure.clone());
        let name = props.filename.trim_end_matches(".png").to_string() + ".svg";
        Callback::from(move |_: MouseEvent| {
            let px = *drawn_px.borrow();
            if let Some(svg) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| svg_of(&c, &*figure.0, px))
            {
                dom::download_text(&name, &svg);
            }
        })
    };
    html! {
        <figure class="plot">
            <div class="plot-box">
                <canvas ref={canvas} data-testid={props.testid.clone()} role="img" aria-label={props.label.clone()} />
            </div>
            if let Some(e) = &*error {
                <p class="warning">{ "The figure could not be drawn: " }{ e }</p>
            }
            <div class="plot-actions">
                <button type="button" class="small" data-testid="export-png" onclick={save}>{ "Save as PNG" }</button>
                <button type="button" class="small" data-testid="export-svg" onclick={save_svg}>{ "Save as SVG" }</button>
            </div>
        </figure>
    }
}
