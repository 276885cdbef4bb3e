//! The browser around the app: location hash, history, local storage, the root element's classes. Everything here
//! fails soft — a missing `window` or a refused storage write leaves the page working.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Milliseconds from `performance.now()` (0 where there is no clock).
pub fn now() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The current `#…` (empty string if none).
pub fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Goes to another address (a `hashchange`: the router follows).
pub fn set_hash(hash: &str) {
    if let Some(w) = window() {
        let _ = w.location().set_hash(hash);
    }
}

/// Full screen on, or off if it is on (presenter mode's `F`).
pub fn toggle_fullscreen() {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(el) = doc.document_element() {
        let _ = el.request_fullscreen();
    }
}

/// Replaces the address's hash without a new history entry and without a `hashchange` event.
pub fn replace_hash(hash: &str) {
    if let Some(w) = window() {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(hash));
        }
    }
}

/// Saves `url`'s contents as the file `name` (a `data:` URL: no request leaves the page).
pub fn download(url: &str, name: &str) {
    if let Some(a) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(url);
        a.set_download(name);
        a.click();
    }
}

/// A canvas of `w × h` pixels that is not in the page, and its 2-d context: for making an image file.
pub fn off_screen(
    w: u32,
    h: u32,
) -> Option<(
    web_sys::HtmlCanvasElement,
    web_sys::CanvasRenderingContext2d,
)> {
    let c = window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    c.set_width(w);
    c.set_height(h);
    let ctx = c.get_context("2d").ok()??.dyn_into().ok()?;
    Some((c, ctx))
}

/// Saves the SVG document `svg` (`w × h` pixels) as `name`.png, drawn at twice that size on a white ground: the
/// browser draws it as an image (a separate document: the figure's own style, its light colours), then a canvas
/// encodes it.
pub fn save_svg_as_png(svg: &str, (w, h): (f64, f64), name: &str) {
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let (drawn, name) = (img.clone(), name.to_string() + ".png");
    // The same closure type as every `Listener`'s (no new glue); one per saved PNG, kept (it is small).
    let onload = Closure::wrap(Box::new(move |_: web_sys::Event| {
        if let Some((canvas, ctx)) = off_screen((w * 2.0) as u32, (h * 2.0) as u32) {
            ctx.set_fill_style_str("#fff");
            ctx.fill_rect(0.0, 0.0, w * 2.0, h * 2.0);
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &drawn,
                0.0,
                0.0,
                w * 2.0,
                h * 2.0,
            );
            if let Ok(url) = canvas.to_data_url() {
                download(&url, &name);
            }
        }
    }) as Box<dyn FnMut(web_sys::Event)>);
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(
        &("data:image/svg+xml;charset=utf-8,".to_string() + &crate::base::url::percent_encode(svg)),
    );
}

/// Saves `text` as the file `name` (UTF-8; the name's extension says what it is).
pub fn download_text(name: &str, text: &str) {
    download(
        &("data:text/plain;charset=utf-8,".to_string() + &crate::base::url::percent_encode(text)),
        name,
    );
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        let _ = s.set_item(key, value);
    }
}

/// Adds or removes a class on `<html>`.
pub fn set_root_class(class: &str, on: bool) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let list = el.class_list();
        let _ = if on {
            list.add_1(class)
        } else {
            list.remove_1(class)
        };
    }
}

/// Whether the root element has `class`.
pub fn root_has_class(class: &str) -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|el| el.class_list().contains(class))
}

/// The `<html>` element's attribute `name` (`data-theme`).
pub fn root_attr(name: &str) -> Option<String> {
    window()?
        .document()?
        .document_element()?
        .get_attribute(name)
}

pub fn set_root_attr(name: &str, value: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute(name, value);
    }
}

/// Tells size-dependent components (the figures) that the page's geometry changed without the window resizing.
pub fn notify_resize() {
    if let (Some(w), Ok(e)) = (window(), web_sys::Event::new("resize")) {
        let _ = w.dispatch_event(&e);
    }
}

/// Listens to a window event until the returned guard is dropped.
pub struct Listener {
    event: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub fn window(
        event: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Listener> {
        let closure = Closure::wrap(Box::new(f) as Box<dyn FnMut(web_sys::Event)>);
        window()?
            .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
            .ok()?;
        Some(Listener { event, closure })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(w) = window() {
            let _ = w.remove_event_listener_with_callback(
                self.event,
                self.closure.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Calls `f` on every animation frame (with the frame's time in ms) until dropped. Each frame's callback is a fresh
/// one-shot closure, so stopping from inside `f` is safe.
pub struct Frames {
    alive: std::rc::Rc<std::cell::Cell<bool>>,
}

impl Frames {
    pub fn new(f: impl FnMut(f64) + 'static) -> Frames {
        let alive = std::rc::Rc::new(std::cell::Cell::new(true));
        let f: std::rc::Rc<std::cell::RefCell<dyn FnMut(f64)>> =
            std::rc::Rc::new(std::cell::RefCell::new(f));
        next_frame(alive.clone(), f);
        Frames { alive }
    }
}

fn next_frame(
    alive: std::rc::Rc<std::cell::Cell<bool>>,
    f: std::rc::Rc<std::cell::RefCell<dyn FnMut(f64)>>,
) {
    let Some(w) = window() else { return };
    let cb = Closure::once_into_js(move |t: f64| {
        if !alive.get() {
            return;
        }
        if let Ok(mut g) = f.try_borrow_mut() {
            g(t);
        }
        if alive.get() {
            next_frame(alive, f);
        }
    });
    let _ = w.request_animation_frame(cb.unchecked_ref());
}

impl Drop for Frames {
    fn drop(&mut self) {
        self.alive.set(false);
    }
}

/// Calls `f` every `ms` milliseconds until dropped.
pub struct Interval {
    id: i32,
    _closure: Closure<dyn FnMut()>,
}

impl Interval {
    pub fn new(ms: u32, f: impl FnMut() + 'static) -> Option<Interval> {
        let closure = Closure::wrap(Box::new(f) as Box<dyn FnMut()>);
        let id = window()?
            .set_interval_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                ms as i32,
            )
            .ok()?;
        Some(Interval {
            id,
            _closure: closure,
        })
    }
}

impl Drop for Interval {
    fn drop(&mut self) {
        if let Some(w) = window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}

/// Scrolls `container` so that the rectangle (in its content coordinates) is in view, centring it when it is not.
pub fn scroll_into_view(container: &web_sys::Element, x: f64, y: f64, w: f64, h: f64) {
    let pad = 24.0;
    let (left, cw) = (
        container.scroll_left() as f64,
        container.client_width() as f64,
    );
    if x - pad < left || x + w + pad > left + cw {
        container.set_scroll_left((x + w / 2.0 - cw / 2.0).max(0.0) as i32);
    }
    scroll_y_into_view(container, y, h);
}

/// Scrolls the window just enough to show the element with `testid` whole (at most its own height, from its top):
/// a verdict that appears below the fold after an answer, for one.
pub fn reveal(testid: &str) {
    let Some(w) = window() else { return };
    let Some(el) = w.document().and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{testid}\"]"))
            .ok()
            .flatten()
    }) else {
        return;
    };
    let r = el.get_bounding_client_rect();
    let height = w
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let below = r.bottom() + 16.0 - height;
    if below > 0.0 && r.top() > 0.0 {
        w.scroll_by_with_x_and_y(0.0, below.min(r.top()));
    }
}

/// The vertical half of [`scroll_into_view`].
pub fn scroll_y_into_view(container: &web_sys::Element, y: f64, h: f64) {
    let pad = 24.0;
    let (top, ch) = (
        container.scroll_top() as f64,
        container.client_height() as f64,
    );
    if y - pad < top || y + h + pad > top + ch {
        container.set_scroll_top((y + h / 2.0 - ch / 2.0).max(0.0) as i32);
    }
}

thread_local! {
    /// The address waiting to be written, and the timer that will write it.
    static PENDING_HASH: std::cell::RefCell<Option<(String, Option<i32>, Closure<dyn FnMut()>)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`replace_hash`] once changes stop: the address is written `ms` after the last call, keeping only the last
/// address, and only if the address still names the same chapter. Writing the address costs the browser a few milliseconds (Chromium also fetches the page's icon again),
/// and typing or stepping calls this on every change: done later, in a task of its own, it never delays the frame
/// that shows the change.
pub fn replace_hash_soon(hash: &str, ms: i32) {
    PENDING_HASH.with(|p| {
        let mut p = p.borrow_mut();
        if let Some((_, Some(id), _closure)) = p.take() {
            if let Some(w) = window() {
                w.clear_timeout_with_handle(id);
            }
        }
        let closure = Closure::wrap(Box::new(|| {
            let last = PENDING_HASH
                .with(|p| p.borrow_mut().take())
                .map(|(h, _, _)| h);
            if let Some(h) = last {
                // Only while the address is still this page's: a link followed since (its `hashchange` not yet
                // handled on a busy page) must not be written over with the page being left.
                let now = self::hash();
                let path = |s: &str| {
                    let p = crate::base::url::Location::parse(s).path;
                    p.trim_end_matches('/').to_string()
                };
                if now != h && path(&now) == path(&h) {
                    replace_hash(&h);
                }
            }
        }) as Box<dyn FnMut()>);
        let id = window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                ms,
            )
            .ok()
        });
        *p = Some((hash.to_string(), id, closure));
    });
}

/// Drops the address [`replace_hash_soon`] is waiting to write (its page is gone: writing it would show an address
/// that no longer matches the page).
pub fn cancel_pending_hash() {
    if let Some((_, Some(id), _closure)) = PENDING_HASH.with(|p| p.borrow_mut().take()) {
        if let Some(w) = window() {
            w.clear_timeout_with_handle(id);
        }
    }
}

/// Calls `f` whenever `element`'s size changes (a `ResizeObserver`), and once at the start, until dropped.
pub struct Resize {
    observer: web_sys::ResizeObserver,
    _closure: Closure<dyn FnMut(JsValue)>,
}

impl Resize {
    pub fn new(element: &web_sys::Element, mut f: impl FnMut() + 'static) -> Option<Resize> {
        let closure =
            Closure::wrap(Box::new(move |_entries: JsValue| f()) as Box<dyn FnMut(JsValue)>);
        let observer = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()).ok()?;
        observer.observe(element);
        Some(Resize {
            observer,
            _closure: closure,
        })
    }

    /// Also watches `element`.
    pub fn watch(&self, element: &web_sys::Element) {
        self.observer.observe(element);
    }
}

impl Drop for Resize {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls `f` once, `ms` milliseconds from now, unless dropped first.
pub struct Timeout {
    id: Option<i32>,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let closure = Closure::wrap(Box::new(move || {
            if let Some(f) = f.take() {
                f()
            }
        }) as Box<dyn FnMut()>);
        let id = window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                ms as i32,
            )
            .ok()
        });
        Timeout {
            id,
            _closure: closure,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(w), Some(id)) = (window(), self.id) {
            w.clear_timeout_with_handle(id);
        }
    }
}

/// A `BroadcastChannel`: the windows of this site in one browser talk through it (presenter mode and its speaker
/// view). Messages are short strings; `f` gets each one from the other windows until the channel is dropped.
pub struct Channel {
    channel: web_sys::BroadcastChannel,
    _closure: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Channel {
    pub fn new(name: &str, mut f: impl FnMut(String) + 'static) -> Option<Channel> {
        let channel = web_sys::BroadcastChannel::new(name).ok()?;
        let closure = Closure::wrap(Box::new(move |e: web_sys::MessageEvent| {
            if let Some(s) = e.data().as_string() {
                f(s)
            }
        }) as Box<dyn FnMut(web_sys::MessageEvent)>);
        channel.set_onmessage(Some(closure.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _closure: closure,
        })
    }

    pub fn post(&self, message: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(message));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// Opens `url` in a window of its own named `name` (reusing it if it is open).
pub fn open_window(url: &str, name: &str, features: &str) {
    if let Some(w) = window() {
        let _ = w.open_with_url_and_target_and_features(url, name, features);
    }
}
