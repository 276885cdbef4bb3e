//! A number on screen. Its `data-value` always holds the full `f64` (Rust's `{}`), whatever the displayed rounding.

use yew::prelude::*;

use crate::num::{fmt_compact, fmt_full, fmt_sig};

#[derive(Properties, PartialEq)]
pub struct NumProps {
    pub value: f64,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// Round the display to this many significant digits (the full value stays in `data-value` and the tooltip).
    #[prop_or_default]
    pub sig: Option<usize>,
}

#[component]
pub fn Num(props: &NumProps) -> Html {
    let v = props.value;
    let text = match props.sig {
        Some(d) => fmt_sig(v, d),
        None => fmt_compact(v),
    };
    let class = classes!("num", (!v.is_finite()).then_some("nonfinite"));
    html! {
        <span class={class} data-testid={props.testid.clone()} data-value={fmt_full(v)} title={fmt_full(v)}>{ text }</span>
    }
}
