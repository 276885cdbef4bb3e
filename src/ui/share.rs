//! Sharing the page: its link (copied, and as a QR code for phones in the lecture hall) and the `<iframe>` that
//! embeds the chapter in a course page (`?embed=1`: the chapter alone). Opened by the header's Share button or `Q`,
//! anywhere, presenter mode included.

use yew::prelude::*;

use crate::base::qr::Qr;
use crate::base::url::{build, Location};
use crate::ui::components::{esc, raw};
use crate::ui::dom;

/// The page's address as it is now (chapters write their state into it), without `embed=1`; and the same with it.
pub fn links() -> (String, String) {
    let href = dom::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default().to_string();
    let mut loc = Location::parse(&dom::hash());
    loc.query.retain(|(k, _)| k != "embed");
    let link = page.clone() + &build(&loc.path, &loc.query);
    loc.query.push(("embed".into(), "1".into()));
    (link, page + &build(&loc.path, &loc.query))
}

/// Copies `text`; `false` where the browser has no clipboard here (an insecure page, a refused permission).
fn copy(text: &str) -> bool {
    let Some(clipboard) = dom::window().map(|w| w.navigator().clipboard()) else {
        return false;
    };
    if wasm_bindgen::JsValue::from(clipboard.clone()).is_undefined() {
        return false;
    }
    let _ = clipboard.write_text(text);
    true
}

/// The share dialog: link, QR code, embed code, each copied by its button (one handler for the plain markup).
/// `said` is the status line (what was copied); the shell focuses the first button when it opens.
pub fn panel(title: &str, close: Callback<()>, said: UseStateHandle<String>) -> Html {
    let (link, embedded) = links();
    let code = "<iframe src=\"".to_string()
        + &embedded
        + "\" title=\"AD Lab: "
        + title
        + "\" width=\"100%\" height=\"760\" style=\"border: 1px solid #ccc\" loading=\"lazy\"></iframe>";
    let status = (*said).clone();
    let onclick = {
        let (link, code) = (link.clone(), code.clone());
        Callback::from(move |e: MouseEvent| {
            let id = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| el.get_attribute("data-testid"));
            let (text, what) = match id.as_deref() {
                Some("share-link") => (&link, "The link is copied."),
                Some("embed-code") => (
                    &code,
                    "The embed code is copied: paste it into your course page's HTML.",
                ),
                Some("share-close") => return close.emit(()),
                _ => return,
            };
            said.set(if copy(text) {
                what.into()
            } else {
                "This browser does not allow copying here: select the text and copy it.".into()
            });
        })
    };
    let qr = match Qr::new(link.as_bytes()) {
        Some(q) => {
            "<div class=\"qr\" data-testid=\"share-qr\">".to_string()
                + &q.svg("QR code of this page's link")
                + "</div>"
        }
        None => {
            "<p class=\"hint\" data-testid=\"share-qr\">This link is too long for a QR code.</p>"
                .into()
        }
    };
    let body = "<h2 id=\"share-title\">Share this page</h2><div class=\"share-grid\">".to_string()
        + &qr
        + "<div><label for=\"share-url\">Link to this page, as it is now</label><input id=\"share-url\" readonly value=\""
        + &esc(&link)
        + "\"><button type=\"button\" data-testid=\"share-link\">Copy link</button><label for=\"share-embed\">Embed \
           this chapter in a course page</label><textarea id=\"share-embed\" readonly rows=\"4\">"
        + &esc(&code)
        + "</textarea><button type=\"button\" data-testid=\"embed-code\">Copy embed code</button></div></div>\
           <button type=\"button\" data-testid=\"share-close\">Close</button><p class=\"hint\" role=\"status\" \
           data-testid=\"share-status\">"
        + &esc(&status)
        + "</p>";
    html! {
        <div class="overlay" data-testid="share-overlay" role="dialog" aria-modal="true" aria-labelledby="share-title">
            <div class="overlay-box share" {onclick}>{ raw(body) }</div>
        </div>
    }
}
