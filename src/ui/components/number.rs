//! A number on screen. Its `data-value` always holds the full `f64` (Rust's `{}`), whatever the displayed rounding.

use yew::prelude::*;

/// `<span class="num" data-value="…">` showing `value` in full precision, or rounded to `sig` significant digits
/// (the full value stays in `data-value`, and in the tooltip when rounded). A plain function rather than a component: it is used on
/// every page, and each component call site costs more code than a function call.
pub fn num(value: f64, testid: Option<&str>, sig: Option<usize>) -> Html {
    super::raw(super::num_str(value, testid, sig))
}
