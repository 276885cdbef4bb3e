//! The contents page: the chapters in the lecture's order.

use yew::prelude::*;

use crate::lab::Chapter;

/// The contents page (no state: a function, not a component).
pub fn contents() -> Html {
    html! {
        <section class="chapter contents">
            <h1>{ "Automatic differentiation, step by step" }</h1>
            <p class="lead">
                { "A function written as a program is a graph of elementary operations. Automatic differentiation \
                   follows that graph and applies the chain rule to each operation — exactly, and at about the cost \
                   of evaluating the function. Each chapter below turns one part of the lecture into something you \
                   can type into and step through." }
            </p>
            <ol class="toc">
                { for Chapter::ALL.iter().filter(|c| **c != Chapter::Contents).map(|c| html! {
                    <li>
                        <a href={c.href()}>{ c.title() }</a>
                        <p>{ c.summary() }</p>
                    </li>
                }) }
            </ol>
        </section>
    }
}
