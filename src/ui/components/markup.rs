//! Small builders shared by the chapters. Static prose goes in as markup strings (`markup`): the same DOM for a
//! fraction of the code that `html!` would generate for each element.

use yew::prelude::*;

/// Static markup, written by us (never user text).
pub fn markup(html: &'static str) -> Html {
    Html::from_html_unchecked(AttrValue::Static(html))
}

/// A `<button type="button">` with a test hook; `pressed` sets `aria-pressed`.
pub fn button(
    testid: String,
    class: &'static str,
    label: String,
    title: &'static str,
    pressed: Option<bool>,
    onclick: Callback<MouseEvent>,
) -> Html {
    let pressed = pressed.map(|p| if p { "true" } else { "false" });
    let title = (!title.is_empty()).then_some(title);
    html! {
        <button type="button" {class} data-testid={testid} aria-pressed={pressed} {title} {onclick}>{ label }</button>
    }
}

/// A class attribute from `(name, on)` pairs: `class_list(&[("node", true), ("active", is_active)])`.
pub fn class_list(parts: &[(&str, bool)]) -> AttrValue {
    let mut s = String::new();
    for (name, on) in parts {
        if *on {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(name);
        }
    }
    AttrValue::from(s)
}
