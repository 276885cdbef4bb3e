//! The contents page: the chapters in the lecture's order.

use yew::prelude::*;

use crate::ui::registry::CHAPTERS;

/// The contents page (no state: a function, not a component): every chapter of the registry after this one.
pub fn contents() -> Html {
    html! {
        <>
            <p class="lead">
                { "A function written as a program is a graph of elementary operations. Automatic differentiation \
                   follows that graph and applies the chain rule to each operation — exactly, and at about the cost \
                   of evaluating the function. Each chapter below turns one part of the lecture into something you \
                   can type into and step through." }
            </p>
            <ol class="toc">
                { for CHAPTERS.iter().skip(1).map(|c| html! {
                    <li>
                        <a href={c.href()}>{ c.title }</a>
                        <p>{ c.summary }</p>
                    </li>
                }) }
            </ol>
        </>
    }
}
