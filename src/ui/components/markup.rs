//! Small builders shared by the chapters. Static prose goes in as markup strings (`markup`): the same DOM for a
//! fraction of the code that `html!` would generate for each element.

use yew::prelude::*;

/// Static markup, written by us (never user text).
pub fn markup(html: &'static str) -> Html {
    Html::from_html_unchecked(AttrValue::Static(html))
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
