//! `#/symbolic` — Automatic differentiation is not symbolic differentiation: expression swell.

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch, Model};
use crate::base::num::fmt_count;
use crate::lab::program::ProgramAction;
use crate::lab::symbolic::{
    Expressions, Swell, SymbolicAction, SymbolicState, EXAMPLES, MAX_SHOWN,
};
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{math, number_field, program_editor, url_notice};

#[component]
pub fn SymbolicChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<SymbolicState>(&props.location);
    // The rows depend on the program and N only; a click on a row measures that one row again to print it.
    let swell = {
        let s = (*state).clone();
        use_memo((s.program.compiled.clone(), s.nmax.value), move |_| {
            s.swell()
        })
    };
    let shown = {
        let sw = swell.clone();
        let rows = sw.as_ref().as_ref().ok().map(|sw| sw.rows.clone());
        use_memo((rows, state.shown), move |(_, n)| {
            sw.as_ref().as_ref().ok().and_then(|sw| sw.expressions(*n))
        })
    };

    let d = state.dispatcher();
    let on_program = d.reform_action(SymbolicAction::Program);
    let program = &state.program;
    html! {
        <>
            { url_notice(&initial.1) }
            <p class="lead">
                { "Symbolic differentiation applies the rules of calculus to the whole expression and returns the \
                   derivative as an expression — exact, but it can be much larger than the function (expression swell). \
                   Automatic differentiation applies the same rules one elementary operation at a time and keeps the \
                   intermediate results, so nothing is ever written twice." }
            </p>
            <div class="two-col">
                <div class="col">
                    { program_editor(program, EXAMPLES, on_program.reform(ProgramAction::Source), on_program.reform(ProgramAction::Example)) }
                    { number_field("swell-nmax", "rows n = 1 … N, N =", &state.nmax, d.reform_action(SymbolicAction::NMax), |n| format!("N = {n}")) }
                </div>
                <div class="col measure" data-part="measure">
                    <h2>{ "How size is measured" }</h2>
                    <p>
                        { "Each expression is counted as a tree: every operation, variable and constant occurrence is one node \
                           (4·x·(1 − x) has 7). f′ₙ is built by the textbook rules — sum, product, quotient, power, chain — \
                           without simplifying. Simplified means fully expanded and collected into a polynomial, as far as a \
                           fixed amount of work allows (then marked skipped). The AD trace counts the same derivative with \
                           every intermediate result stored once and reused: the operations automatic differentiation \
                           actually performs." }
                    </p>
                </div>
            </div>
            { match &*swell {
                Ok(sw) => html! {
                    <>
                        <PlotCanvas figure={Plot::new(sw.rows.clone())} testid="swell-plot" filename="expression-swell.png"
                            label="Sizes of f, of its unsimplified and simplified derivative, and of the AD trace, against n, on a log scale" />
                        if let Some(why) = &sw.stopped {
                            <p class="warning" data-testid="swell-stopped">{ format!("The rows stop at n = {}: {why}", sw.rows.len()) }</p>
                        }
                        { table(sw, shown.as_ref().as_ref().and_then(|e| e.n), &d) }
                        { shown.as_ref().as_ref().map(expressions).unwrap_or_default() }
                    </>
                },
                Err(e) => html! { <p class="warning" data-testid="symbolic-error">{ e }</p> },
            } }
        </>
    }
}

fn table(
    sw: &Swell,
    shown: Option<i64>,
    d: &yew::functional::UseReducerDispatcher<Model<SymbolicState>>,
) -> Html {
    let param = sw.parameter.clone().unwrap_or_else(|| "n".into());
    let label = |col: &str| match col {
        "f" => "f",
        "df" => "f′ by the rules",
        "df-simplified" => "f′ simplified",
        _ => "AD trace",
    };
    let size = |v: u64, col: &'static str| html! { <td data-col={col} data-label={label(col)} data-value={v.to_string()}>{ fmt_count(v) }</td> };
    html! {
        <div class="swell-wrap">
            if sw.parameter.is_none() {
                <p class="hint">{ "This program has no integer parameter to vary, so there is one row: the function itself." }</p>
            }
            <table class="grad-table swell" data-testid="swell-table">
                <caption>{ format!("Node counts as {param} grows (click a row to see its expressions)") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ param.clone() }</th>
                        <th scope="col">{ "f" }</th>
                        <th scope="col">{ "f′ by the rules" }</th>
                        <th scope="col">{ "f′ simplified" }</th>
                        <th scope="col">{ "AD trace" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for sw.rows.iter().enumerate().map(|(i, r)| {
                        let n = r.n.unwrap_or(i as i64 + 1);
                        let onclick = {
                            let d = d.clone();
                            Callback::from(move |_: MouseEvent| d.dispatch(SymbolicAction::Show(n as usize)))
                        };
                        let active = shown == r.n;
                        html! {
                            <tr key={n} data-n={n.to_string()} class={active.then_some("active")} {onclick}>
                                <th scope="row">
                                    <button type="button" class="row-pick" aria-pressed={active.to_string()}
                                        aria-label={format!("show the expressions for {param} = {n}")}>{ n }</button>
                                </th>
                                { size(r.f, "f") }
                                { size(r.df, "df") }
                                { match r.df_simplified {
                                    Some(v) => size(v, "df-simplified"),
                                    None => html! { <td data-col="df-simplified" data-label={label("df-simplified")} class="skipped">{ "skipped" }</td> },
                                } }
                                { size(r.ad_trace as u64, "ad-trace") }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn expressions(e: &Expressions) -> Html {
    let name = |base: &str| match e.n {
        Some(n) => format!("{base}{}", subscript(n)),
        None => base.to_string(),
    };
    let show = |title: String, m: &Option<String>, size: Option<u64>| {
        html! {
            <div class="expr-block">
                <h3>{ title.clone() }{ size.map(|s| format!(" — {} nodes", fmt_count(s))).unwrap_or_default() }</h3>
                { match (m, size) {
                    (Some(mathml), _) => html! {
                        // Focusable, so that a keyboard can scroll a long expression.
                        <div class="math-scroll" tabindex="0" role="region" aria-label={title.clone()}>{ math::raw(mathml, true) }</div>
                    },
                    (None, Some(s)) if s > MAX_SHOWN => html! { <p class="hint">{ format!("Too large to print ({} nodes; printing stops at {MAX_SHOWN}).", fmt_count(s)) }</p> },
                    (None, _) => html! { <p class="hint">{ "Skipped: expanding it would take more than the work budget." }</p> },
                } }
            </div>
        }
    };
    html! {
        <div class="expressions" data-testid="swell-expr" data-part="expressions">
            <h2>{ match e.n { Some(n) => format!("The expressions for n = {n}"), None => "The expressions".to_string() } }</h2>
            { show(name("f"), &e.f, Some(e.sizes.0)) }
            { show(format!("{} by the rules, unsimplified", name("f′")), &e.df, Some(e.sizes.1)) }
            { show(format!("{} simplified", name("f′")), &e.df_simplified, e.sizes.2) }
        </div>
    }
}

fn subscript(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}
