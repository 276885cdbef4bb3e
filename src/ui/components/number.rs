//! A number on screen. Its `data-value` always holds the full `f64` (Rust's `{}`), whatever the displayed rounding.

use yew::prelude::*;

use crate::base::num::{fmt_compact, fmt_full, fmt_sig};

/// `<span class="num" data-value="…">` showing `value` in full precision, or rounded to `sig` significant digits
/// (the full value stays in `data-value`, and in the tooltip when rounded). A plain function rather than a component: it is used on
/// every page, and each component call site costs more code than a function call.
pub fn num(value: f64, testid: Option<&str>, sig: Option<usize>) -> Html {
    let text = match sig {
        Some(d) => fmt_sig(value, d),
        None => fmt_compact(value),
    };
    let full = fmt_full(value);
    let class = if value.is_finite() {
        "num"
    } else {
        "num nonfinite"
    };
    // Rounded for reading: the full value on hover (title) and on keyboard focus (the stylesheet shows the title).
    let rounded = sig.is_some() && text != full;
    let title = rounded.then(|| full.clone());
    let tabindex = rounded.then_some("0");
    let testid = testid.map(|t| AttrValue::from(t.to_string()));
    html! {
        <span {class} data-testid={testid} data-value={full} {title} {tabindex}>{ text }</span>
    }
}
