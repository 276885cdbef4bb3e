//! The Yew front end. It renders the chapter models of [`crate::lab`] and never differentiates anything itself.

pub mod canvas;
pub mod chapters;
pub mod components;
pub mod dom;

use yew::prelude::*;

use crate::base::url::Location;
use crate::lab::Chapter;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

const LARGE_TEXT_KEY: &str = "adlab.large-text";

#[component]
pub fn App() -> Html {
    let hash = use_state(dom::hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = dom::Listener::window("hashchange", move |_| hash.set(dom::hash()));
            move || drop(listener)
        });
    }
    let large = use_state(|| dom::storage_get(LARGE_TEXT_KEY).as_deref() == Some("1"));
    use_effect_with(*large, |&on| {
        dom::set_root_class("large-text", on);
        // The figures redraw for the new column width and type size.
        dom::notify_resize();
    });
    let toggle_large = {
        let large = large.clone();
        Callback::from(move |_: MouseEvent| {
            let on = !*large;
            dom::storage_set(LARGE_TEXT_KEY, if on { "1" } else { "0" });
            large.set(on);
        })
    };

    let location = Location::parse(&hash);
    let chapter = Chapter::from_path(&location.path);
    let body = match chapter {
        Some(c) => chapters::render(c, location.clone(), (*hash).clone()),
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

    html! {
        <>
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
                <nav aria-label="Chapters">
                    <ol class="chapter-nav">
                        { for Chapter::ALL.iter().map(|c| {
                            let current = Some(*c) == chapter;
                            html! {
                                <li>
                                    <a href={c.href()} aria-current={current.then_some("page")}>{ c.short_title() }</a>
                                </li>
                            }
                        }) }
                    </ol>
                </nav>
                <button class="toggle" type="button" aria-pressed={if *large { "true" } else { "false" }}
                    onclick={toggle_large} title="Larger type for projectors">
                    { "Large text" }
                </button>
            </header>
            <main id="main" tabindex="-1">{ body }</main>
            { components::markup("<footer class=\"site-footer\"><p>AD Lab follows the lecture <cite>An introduction to \
                automatic differentiation</cite> by Pierre Ablin. Every number on these pages is computed in your browser \
                by AD Lab's own engine.</p></footer>") }
        </>
    }
}
