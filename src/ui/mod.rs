//! The Yew front end. It renders the chapter models of [`crate::lab`] and never differentiates anything itself.
//!
//! - [`registry`]: the chapters, in order (routes, titles, views).
//! - [`keymap`]: the one keyboard listener; chapters register their shortcuts.
//! - [`chapters`]: one view per chapter; [`components`]: pieces they share; [`canvas`]: the one door to `<canvas>`;
//!   [`dom`]: the browser around the app; [`share`]: the link, its QR code and the embed code.

pub mod canvas;
pub mod chapters;
pub mod components;
pub mod dom;
pub mod keymap;
pub mod registry;
pub mod share;

use std::rc::Rc;

use yew::prelude::*;

use crate::base::url::Location;
use keymap::{Binding, Keymap};

/// Mounts the app on `<body>`.
pub fn start() {
    // The remembered theme, before the first paint.
    let dark = dom::storage_get(THEME_KEY).as_deref() == Some("dark");
    dom::set_root_attr("data-theme", if dark { "dark" } else { "light" });
    yew::Renderer::<App>::new().render();
}

const LARGE_TEXT_KEY: &str = "adlab.large-text";
const THEME_KEY: &str = "adlab.theme";

#[component]
pub fn App() -> Html {
    let hash = components::use_value(dom::hash());
    {
        let hash = hash.clone();
        crate::ui::components::use_mount(Box::new(move || {
            let listener = dom::Listener::window("hashchange", move |_| hash.set(dom::hash()));
            Box::new(move || drop(listener))
        }));
    }
    let large = components::use_value(dom::storage_get(LARGE_TEXT_KEY).as_deref() == Some("1"));
    components::use_change(
        *large,
        Box::new(|&on| {
            dom::set_root_class("large-text", on);
            // The figures redraw for the new column width and type size.
            dom::notify_resize();
            None
        }),
    );
    let toggle_large = {
        let large = large.clone();
        Callback::from(move |_: MouseEvent| {
            let on = !*large;
            dom::storage_set(LARGE_TEXT_KEY, if on { "1" } else { "0" });
            large.set(on);
        })
    };

    // The dark projector theme: on `<html data-theme>`, remembered; the figures redraw in its colours.
    let dark = components::use_value(dom::root_attr("data-theme").as_deref() == Some("dark"));
    components::use_change(
        *dark,
        Box::new(|&on| {
            dom::set_root_attr("data-theme", if on { "dark" } else { "light" });
            dom::notify_resize();
            None
        }),
    );
    let toggle_dark: Rc<dyn Fn()> = {
        let dark = dark.clone();
        Rc::new(move || {
            let on = !*dark;
            dom::storage_set(THEME_KEY, if on { "dark" } else { "light" });
            dark.set(on);
        })
    };

    // The keyboard: one listener for the whole app.
    let keymap = use_memo((), |_| Keymap::default());
    {
        let keymap = (*keymap).clone();
        crate::ui::components::use_mount(Box::new(move || {
            let listener = dom::Listener::window("keydown", move |e| {
                if let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(&e) {
                    keymap.handle(e);
                }
            });
            Box::new(move || drop(listener))
        }));
    }
    let help = crate::ui::components::use_value(false);
    let share = crate::ui::components::use_value(false);
    // What the share box last copied (its status line).
    let said = components::use_value(String::new());
    components::use_change(
        *share,
        Box::new(|&open| {
            // The box takes the focus when it opens (its first button).
            if let Some(b) = open
                .then(|| {
                    dom::window()?
                        .document()?
                        .query_selector(".overlay-box.share button")
                        .ok()?
                })
                .flatten()
                .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
            {
                let _ = b.focus();
            }
            None
        }),
    );
    {
        let shell = vec![
            {
                let share = share.clone();
                Binding::new(
                    &["q", "Q"],
                    "Q",
                    "share this page: link, QR code, embed code",
                    move || share.set(!*share),
                )
            },
            {
                let help = help.clone();
                Binding::new(&["?"], "?", "show or hide these keys", move || {
                    help.set(!*help)
                })
            },
            {
                let t = toggle_dark.clone();
                Binding::new(&["d", "D"], "D", "dark or light theme", move || t())
            },
        ];
        keymap.set(keymap::SHELL, shell);
        if *help || *share {
            let (help, share) = (help.clone(), share.clone());
            let close = Binding::new(&["Escape"], "Esc", "close this box", move || {
                help.set(false);
                share.set(false);
            });
            keymap.set(keymap::MODAL, vec![close]);
        } else {
            keymap.remove(keymap::MODAL);
        }
    }

    let location = Location::parse(&hash);
    let entry = registry::find(&location.path);
    // `?embed=1`: the chapter alone, for an `<iframe>` in a course page.
    let embed = location.get("embed") == Some("1");
    chapters::set_embed_page(embed);
    components::use_change(
        embed,
        Box::new(|&on| {
            dom::set_root_class("embedded", on);
            None
        }),
    );
    // Presenter mode: a clean page for the audience (no navigation, larger type).
    let presenting = entry.is_some_and(|e| e.route == "/lecture");
    components::use_change(
        presenting,
        Box::new(|&on| {
            dom::set_root_class("presenting", on);
            dom::notify_resize();
            None
        }),
    );
    use_effect_with(entry.map(|e| e.title), |title| {
        if let (Some(t), Some(doc)) = (title, dom::window().and_then(|w| w.document())) {
            doc.set_title(&format!("{t} — AD Lab"));
        }
    });
    let body = match entry {
        Some(e) => html! {
            <section class={format!("chapter {}", e.class)} aria-labelledby="chapter-title">
                <h1 id="chapter-title">{ e.title }</h1>
                { (e.view)(location.clone(), (*hash).clone()) }
            </section>
        },
        None => html! {
            <section class="chapter">
                <h1>{ "Page not found" }</h1>
                <p data-testid="url-notice" class="notice" role="status">
                    { format!("There is no chapter at “#{}”. ", location.path) }
                    <a href="#/">{ "See the contents" }</a>
                </p>
            </section>
        },
    };
    let close_help = {
        let help = help.clone();
        Callback::from(move |_: MouseEvent| help.set(false))
    };

    html! {
        <ContextProvider<Keymap> context={(*keymap).clone()}>
            if embed {
                <p class="embed-bar"><a data-testid="embed-open" href={share::links().0} target="_blank" rel="noopener"
                    onclick={Callback::from(|e: MouseEvent| {
                        // The chapter has written its state into the address since this was drawn.
                        if let Some(a) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlAnchorElement>(t).ok()) {
                            a.set_href(&share::links().0);
                        }
                    })}>{ "Open in AD Lab ↗" }</a></p>
            } else {
            <a class="skip" href="#main" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                if let Some(m) = dom::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
                    if let Some(m) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&m) {
                        let _ = m.focus();
                    }
                }
            })}>{ "Skip to content" }</a>
            <header class="site-header">
                <a class="brand" href="#/">{ "AD Lab" }</a>
                <button class="toggle" type="button" aria-pressed={if *large { "true" } else { "false" }}
                    onclick={toggle_large} title="Larger type for projectors">
                    { "Large text" }
                </button>
                <button class="toggle" type="button" data-testid="theme-toggle" aria-pressed={if *dark { "true" } else { "false" }}
                    onclick={{ let t = toggle_dark.clone(); Callback::from(move |_: MouseEvent| t()) }} title="Dark projector theme (D)">
                    { "Dark" }
                </button>
                <button class="toggle" type="button" data-testid="keys-help" aria-expanded={if *help { "true" } else { "false" }}
                    onclick={{ let help = help.clone(); Callback::from(move |_: MouseEvent| help.set(!*help)) }}
                    title="Keyboard shortcuts (?)">
                    { "Keys" }
                </button>
                <button class="toggle" type="button" data-testid="share-toggle" aria-expanded={if *share { "true" } else { "false" }}
                    onclick={{ let share = share.clone(); Callback::from(move |_: MouseEvent| share.set(!*share)) }}
                    title="Link, QR code and embed code (Q)">
                    { "Share" }
                </button>
                { components::raw(format!(
                    "<nav aria-label=\"Chapters\"><ol class=\"chapter-nav\">{}</ol></nav>",
                    registry::CHAPTERS
                        .iter()
                        .map(|c| format!(
                            "<li><a href=\"{}\"{}>{}</a></li>",
                            c.href(),
                            if entry.is_some_and(|e| std::ptr::eq(e, c)) { " aria-current=\"page\"" } else { "" },
                            c.nav
                        ))
                        .collect::<String>()
                )) }
            </header>
            }
            <main id="main" tabindex="-1">{ body }</main>
            if *help {
                { help_overlay(&keymap.all(), close_help) }
            }
            if *share {
                { share::panel(entry.map_or("", |e| e.title), { let share = share.clone(); Callback::from(move |_| share.set(false)) }, said.clone()) }
            }
            if !embed {
            { components::markup("<footer class=\"site-footer\"><p>AD Lab follows the lecture <cite>An introduction to \
                automatic differentiation</cite> by Pierre Ablin. Every number on these pages is computed in your browser \
                by AD Lab's own engine. <span class=\"offline-note\" data-testid=\"offline-note\">Saved in this browser: it works \
                offline.</span></p></footer>") }
            }
        </ContextProvider<Keymap>>
    }
}

/// The `?` overlay: every shortcut in force, the chapter's first.
fn help_overlay(bindings: &[Binding], close: Callback<MouseEvent>) -> Html {
    html! {
        <div class="overlay" data-testid="keys-overlay" role="dialog" aria-modal="true" aria-labelledby="keys-title">
            <div class="overlay-box">
                <h2 id="keys-title">{ "Keyboard shortcuts" }</h2>
                { components::raw(format!(
                    "<table class=\"keys\"><tbody>{}</tbody></table>",
                    bindings
                        .iter()
                        .map(|b| format!(
                            "<tr><th scope=\"row\"><kbd>{}</kbd></th><td>{}</td></tr>",
                            components::esc(b.shown),
                            components::esc(b.does)
                        ))
                        .collect::<String>()
                )) }
                <p class="hint">{ "Shortcuts do nothing while you type in a field." }</p>
                <button type="button" onclick={close} autofocus=true>{ "Close" }</button>
            </div>
        </div>
    }
}
