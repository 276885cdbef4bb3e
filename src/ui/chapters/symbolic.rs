//! `#/symbolic` — Automatic differentiation is not symbolic differentiation: expression swell.

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch, Model};
use crate::base::num::fmt_count;
use crate::base::num::fmt_sig;
use crate::base::tex;
use crate::lab::program::ProgramAction;
use crate::lab::symbolic::{
    Expressions, LectureFormulas, Swell, SymbolicAction, SymbolicState, EXAMPLES, LECTURE_DF4,
    LECTURE_F4, MAX_SHOWN,
};
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{num_str, number_field, program_editor, raw, url_notice};

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
                <div class="col" data-part="program">
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
                           every intermediate result stored once and reused (f and f′ together): the operations automatic \
                           differentiation actually performs. Counted that way f itself is small too — the f (graph) column — \
                           which is the fair comparison: written out as a tree, fₙ doubles with n, as a graph it grows by 3." }
                    </p>
                </div>
            </div>
            { match &*swell {
                Ok(sw) => html! {
                    <>
                        <div class="figure-part" data-part="plot">
                            <PlotCanvas figure={Plot::new(sw.rows.clone())} testid="swell-plot" filename="expression-swell.png"
                                label="Sizes of f, of its unsimplified and simplified derivative, and of the AD trace, against n, on a log scale" />
                        </div>
                        if let Some(why) = &sw.stopped {
                            <p class="warning" data-testid="swell-stopped">{ format!("The rows stop at n = {}: {why}", sw.rows.len()) }</p>
                        }
                        { table(sw, shown.as_ref().as_ref().and_then(|e| e.n), &d) }
                        { shown.as_ref().as_ref().map(expressions).unwrap_or_default() }
                        { lecture_formulas() }
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
        "f" => "f (tree)",
        "f-graph" => "f (graph)",
        "df" => "f′ by the rules",
        "df-simplified" => "f′ simplified",
        _ => "AD trace",
    };
    let size = |v: u64, col: &'static str| html! { <td data-col={col} data-label={label(col)} data-value={v.to_string()}>{ fmt_count(v) }</td> };
    html! {
        <div class="swell-wrap" data-part="table">
            if sw.parameter.is_none() {
                <p class="hint">{ "This program has no integer parameter to vary, so there is one row: the function itself." }</p>
            }
            <p class="hint">{ "Trees count every occurrence; graphs count each intermediate result once. The AD trace is a graph: \
                               compare it with f (graph), not with f (tree)." }</p>
            <table class="grad-table swell" data-testid="swell-table">
                <caption>{ format!("Node counts as {param} grows (click a row to see its expressions)") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ param.clone() }</th>
                        <th scope="col">{ "f (tree)" }</th>
                        <th scope="col">{ "f (graph)" }</th>
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
                                { size(r.f_dag as u64, "f-graph") }
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
        let body = match (m, size) {
            // Focusable, so that a keyboard can scroll a long expression.
            (Some(mathml), _) => format!(
                "<div class=\"math-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{title}\"><math display=\"block\">{mathml}</math></div>"
            ),
            (None, Some(s)) if s > MAX_SHOWN => format!(
                "<p class=\"hint\">Too large to print ({} nodes; printing stops at {MAX_SHOWN}).</p>",
                fmt_count(s)
            ),
            (None, _) => "<p class=\"hint\">Skipped: expanding it would take more than the work budget.</p>".to_string(),
        };
        format!(
            "<div class=\"expr-block\"><h3>{title}{}</h3>{body}</div>",
            size.map(|s| format!(" — {} nodes", fmt_count(s)))
                .unwrap_or_default()
        )
    };
    raw(format!(
        "<div class=\"expressions\" data-testid=\"swell-expr\" data-part=\"expressions\"><h2>{}</h2>{}{}{}</div>",
        match e.n {
            Some(n) => format!("The expressions for n = {n}"),
            None => "The expressions".to_string(),
        },
        show(name("f"), &e.f, Some(e.sizes.0)),
        show(format!("{} by the rules, unsimplified", name("f′")), &e.df, Some(e.sizes.1)),
        show(format!("{} simplified", name("f′")), &e.df_simplified, e.sizes.2),
    ))
}

fn subscript(n: i64) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// The lecture's own f₄ and f′₄, written by hand, evaluated at its point, next to automatic differentiation.
fn lecture_formulas() -> Html {
    let Ok(l) = LectureFormulas::at(0.25) else {
        return html! {};
    };
    let n = |v: f64, id: Option<&str>| num_str(v, id, None);
    raw(format!(
        "<div class=\"lecture-formulas\" data-part=\"f4\"><h2>The lecture's f₄ and f′₄, by the rules</h2>\
         <div class=\"math-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The lecture's f₄ and f′₄\">\
         <p class=\"formula\">{}</p><p class=\"formula\">{}</p></div><table class=\"numbers\"><thead><tr><th \
         scope=\"col\">at x = 0.25</th><th scope=\"col\">f</th><th scope=\"col\">f′</th></tr></thead>\
         <tr><th scope=\"row\">the formulas above</th><td>{}</td><td>{}</td></tr>\
         <tr><th scope=\"row\">AD, three steps of the map</th><td>{}</td><td>{}</td></tr>\
         <tr><th scope=\"row\">AD, four steps (the program, n = 4)</th><td>{}</td><td>{}</td></tr></table>\
         <p class=\"hint\">Written out, f′₄ is a tree of {} nodes, to be evaluated as it stands. With the lecture's \
         f₀(x) = x this formula is three steps of the map (64 = 4³): it agrees with AD of three steps to the last digit, \
         and its derivative at 0.25 is {}, where the program's four steps give {}.</p></div>",
        tex::to_html(&format!("$f_4(x) = {}$", LECTURE_F4.1)),
        tex::to_html(&format!("$f'_4(x) = {}$", LECTURE_DF4.1)),
        n(l.f, Some("f4-value")),
        n(l.df, Some("f4-derivative")),
        n(l.ad3.0, None),
        n(l.ad3.1, Some("f3-ad")),
        n(l.ad4.0, None),
        n(l.ad4.1, Some("f4-ad")),
        fmt_count(l.df_size),
        fmt_sig(l.df, 6),
        fmt_sig(l.ad4.1, 6)
    ))
}
