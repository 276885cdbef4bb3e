//! Native MathML. Yew creates `<math>` and its children in the MathML namespace; expressions printed by the core
//! ([`crate::base::formula::Expr::to_mathml`]) are inserted as markup.

use yew::prelude::*;

use crate::base::formula::escape;

/// `∂f/∂x` as a fraction (markup).
pub fn partial(f: &str, x: &str) -> String {
    format!(
        "<math class=\"inline-math\"><mfrac><mrow><mo>∂</mo><mi>{}</mi></mrow><mrow><mo>∂</mo><mi>{}</mi></mrow></mfrac></math>",
        escape(f),
        escape(x)
    )
}

/// `∂/∂x` as a fraction, a column heading of a Jacobian (markup).
pub fn d_dx(x: &str) -> String {
    format!(
        "<math class=\"inline-math\"><mfrac><mo>∂</mo><mrow><mo>∂</mo><mi>{}</mi></mrow></mfrac></math>",
        escape(x)
    )
}

/// A row of column heads `∂/∂a`, `∂/∂b`, … (a Jacobian's or a Hessian's), as markup.
pub fn d_dx_heads<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|x| format!("<th scope=\"col\">{}</th>", d_dx(x)))
        .collect()
}

/// Wraps core-produced presentation MathML in a `<math>` element.
pub fn raw(mathml: &str, display_block: bool) -> Html {
    let display = if display_block {
        " display=\"block\""
    } else {
        ""
    };
    Html::from_html_unchecked(AttrValue::from(format!("<math{display}>{mathml}</math>")))
}

/// An identifier, with a subscript for `v12`-style labels.
pub fn ident(name: &str) -> Html {
    let e = crate::base::formula::Expr::var(name);
    raw(&e.to_mathml(), false)
}

/// Escaped text inside MathML.
pub fn text(s: &str) -> String {
    format!("<mtext>{}</mtext>", escape(s))
}
