//! Presenter mode's pen: while it is on, the mouse, a pen or a finger draws over the page; the strokes are SVG
//! polylines in the layer's coordinates, so they stay on what they mark. Strokes are kept per slide for the session:
//! going back to a slide shows its strokes again, and `C` wipes the slide's.
//!
//! Contract hooks: `<svg data-testid="pen-layer">`, one `<polyline>` per stroke.

use std::rc::Rc;

use web_sys::{Element, PointerEvent};
use yew::prelude::*;

/// Most points kept over one slide, all strokes together (a pen left on a busy page must not grow without bound):
/// past it, further strokes are not recorded, and the page says so.
pub const MAX_POINTS: usize = 20_000;

#[derive(Properties, PartialEq)]
pub struct PenProps {
    pub on: bool,
    /// Whose strokes these are (the slide number).
    pub slide: usize,
}

thread_local! {
    /// Every slide's strokes, for the session (a few dozen slides: a list).
    static KEPT: std::cell::RefCell<Vec<Strokes>> = Default::default();
}

/// Wipes a slide's strokes (the next `Pen` for it starts clean).
pub fn wipe(slide: usize) {
    KEPT.with(|k| k.borrow_mut().retain(|s| s.slide != slide));
}

#[derive(Clone, Default, PartialEq)]
struct Strokes {
    lines: Vec<Vec<(i32, i32)>>,
    points: usize,
    drawing: bool,
    slide: usize,
}

enum Ink {
    Down(i32, i32),
    Move(i32, i32),
    Up,
}

impl Reducible for Strokes {
    type Action = Ink;

    fn reduce(self: Rc<Self>, action: Ink) -> Rc<Self> {
        let full = self.points >= MAX_POINTS;
        match action {
            Ink::Down(..) | Ink::Move(..) if full => self,
            Ink::Move(..) if !self.drawing => self,
            Ink::Down(x, y) => {
                let mut s = Rc::unwrap_or_clone(self);
                s.lines.push(vec![(x, y)]);
                s.points += 1;
                s.drawing = true;
                Rc::new(s)
            }
            Ink::Move(x, y) => {
                let mut s = Rc::unwrap_or_clone(self);
                if let Some(line) = s.lines.last_mut() {
                    if line.last() != Some(&(x, y)) {
                        line.push((x, y));
                        s.points += 1;
                    }
                }
                Rc::new(s)
            }
            Ink::Up if self.drawing => {
                let mut s = Rc::unwrap_or_clone(self);
                s.drawing = false;
                // A finished stroke is kept for the session.
                KEPT.with(|k| {
                    let mut k = k.borrow_mut();
                    k.retain(|t| t.slide != s.slide);
                    k.push(s.clone());
                });
                Rc::new(s)
            }
            Ink::Up => self,
        }
    }
}

#[component]
pub fn Pen(props: &PenProps) -> Html {
    let layer = use_node_ref();
    let slide = props.slide;
    let strokes = use_reducer(move || {
        KEPT.with(|k| k.borrow().iter().find(|s| s.slide == slide).cloned())
            .map(|s| Strokes {
                drawing: false,
                ..s
            })
            .unwrap_or(Strokes {
                slide,
                ..Strokes::default()
            })
    });

    // The pointer's position in the layer's coordinates (the layer covers the whole slide and scrolls with it).
    let at = {
        let layer = layer.clone();
        move |e: &PointerEvent| {
            let r = layer
                .cast::<Element>()
                .map(|el| el.get_bounding_client_rect());
            let (left, top) = r.map_or((0.0, 0.0), |r| (r.left(), r.top()));
            (
                (e.client_x() as f64 - left).round() as i32,
                (e.client_y() as f64 - top).round() as i32,
            )
        }
    };
    let down = {
        let (s, at) = (strokes.dispatcher(), at.clone());
        Callback::from(move |e: PointerEvent| {
            e.prevent_default();
            if let Some(el) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok())
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            let (x, y) = at(&e);
            s.dispatch(Ink::Down(x, y));
        })
    };
    let moved = {
        let (s, at) = (strokes.dispatcher(), at.clone());
        Callback::from(move |e: PointerEvent| {
            let (x, y) = at(&e);
            s.dispatch(Ink::Move(x, y));
        })
    };
    let up = {
        let s = strokes.dispatcher();
        Callback::from(move |_: PointerEvent| s.dispatch(Ink::Up))
    };
    let lines = strokes.lines.iter().map(|line| {
        let points = line
            .iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ");
        html! { <polyline {points} /> }
    });
    let class = classes!("pen-layer", props.on.then_some("on"));
    html! {
        <>
            <svg {class} ref={layer} data-testid="pen-layer" aria-hidden="true"
                onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up}>
                { for lines }
            </svg>
            if strokes.points >= MAX_POINTS {
                <p class="pen-full" role="status">{ format!("The pen keeps {MAX_POINTS} points per slide: this slide's are used up (C wipes them).") }</p>
            }
        </>
    }
}
