//! One slide, one screen: lays its content out at the width that lets it fill the stage, then scales it (a CSS
//! transform) so that all of it shows, as slide software does. Refits whenever the stage or the content changes size
//! (a window resize, a figure drawn, a step that adds a line).
//!
//! Only where there is room for a slide (a window at least 700 × 450 CSS pixels); on a phone the content flows and
//! scrolls as an ordinary page.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::base::num::fmt_rounded;
use crate::ui::dom;

#[derive(Properties, PartialEq)]
pub struct FitProps {
    pub children: Html,
    /// Largest scale (a sparse slide is enlarged up to this).
    #[prop_or(1.2)]
    pub max: f64,
}

/// Whether the window is a screen to project on rather than a phone.
pub fn room_for_slides() -> bool {
    dom::window().is_some_and(|w| {
        let size =
            |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        size(w.inner_width()) >= 700.0 && size(w.inner_height()) >= 450.0
    })
}

/// The largest scale ≤ `max` at which `inner`, laid out `stage_w / scale` wide, fits the stage (to 0.3 %); sets width
/// and scale.
fn fit(stage: &HtmlElement, inner: &HtmlElement, max: f64) {
    let style = inner.style();
    if !room_for_slides() {
        let _ = style.remove_property("width");
        let _ = style.remove_property("transform");
        let _ = inner.remove_attribute("data-scale");
        return;
    }
    let (sw, sh) = (stage.client_width() as f64, stage.client_height() as f64);
    if sw < 10.0 || sh < 10.0 {
        return;
    }
    // Measured unscaled (nothing is painted in between). What overflows its box — a table or a program wider than
    // its column — counts too: the rightmost edge of the wide things.
    let _ = style.set_property("transform", "none");
    let wide = inner
        .query_selector_all("table, pre, svg, canvas, .graph-view, .num")
        .ok();
    let fits = |s: f64| {
        let _ = style.set_property("width", &format!("{}px", fmt_rounded(sw / s, 1)));
        let left = inner.get_bounding_client_rect().left();
        let mut w = inner.scroll_width().max(inner.offset_width()) as f64;
        if let Some(list) = &wide {
            for i in 0..list.length() {
                if let Some(e) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    w = w.max(e.get_bounding_client_rect().right() - left);
                }
            }
        }
        let h = inner.offset_height() as f64;
        h * s <= sh + 0.5 && w * s <= sw + 0.5
    };
    // The scale in use still fits and 3 % more would not: nothing to do (a step that changes a line, mostly).
    let current: f64 = inner
        .get_attribute("data-scale")
        .and_then(|v| crate::base::decimal::parse(&v))
        .unwrap_or(0.0);
    let s =
        if current > 0.0 && fits(current) && (current >= max || !fits((current * 1.03).min(max))) {
            current
        } else if fits(max) {
            max
        } else {
            // Wider is shorter, but not in proportion: search for the largest scale that fits.
            // Never below 0.3: a slide that does not fit even then is cut rather than made unreadable.
            let (mut lo, mut hi) = (0.3, max);
            for _ in 0..9 {
                let mid = (lo + hi) / 2.0;
                if fits(mid) {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            lo
        };
    let _ = style.set_property("width", &format!("{}px", fmt_rounded(sw / s, 1)));
    let _ = style.set_property("transform", &format!("scale({})", fmt_rounded(s, 4)));
    let _ = inner.set_attribute("data-scale", &fmt_rounded(s, 3));
}

#[component]
pub fn Fit(props: &FitProps) -> Html {
    let stage = use_node_ref();
    let inner = use_node_ref();
    {
        let (stage, inner, max) = (stage.clone(), inner.clone(), props.max);
        crate::ui::components::use_mount(Box::new(move || {
            let els = stage.cast::<HtmlElement>().zip(inner.cast::<HtmlElement>());
            let observer = els.as_ref().and_then(|(st, inn)| {
                let (st2, inn2) = (st.clone(), inn.clone());
                let busy = std::rc::Rc::new(std::cell::Cell::new(false));
                let o = dom::Resize::new(st, move || {
                    // Our own width change is a size change too: not a reason to fit again.
                    if !busy.replace(true) {
                        fit(&st2, &inn2, max);
                        busy.set(false);
                    }
                })?;
                o.watch(inn.unchecked_ref());
                Some(o)
            });
            Box::new(move || drop(observer))
        }));
    }
    html! {
        <div class="fit-stage" ref={stage}>
            <div class="fit-inner" ref={inner} data-testid="slide-fit">{ props.children.clone() }</div>
        </div>
    }
}
