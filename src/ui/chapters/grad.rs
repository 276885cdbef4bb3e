//! `#/grad` — What is automatic differentiation?

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_chapter, ChapterProps};
use crate::base::num::{fmt_compact, fmt_count, fmt_python};
use crate::lab::grad::{GradAction, GradResults, GradState, EXAMPLES};
use crate::ui::components::{input_fields, markup, math, num, program_editor, url_notice};

#[component]
pub fn GradChapter(props: &ChapterProps) -> Html {
    let (state, notices) = use_chapter::<GradState>(&props.location);

    let results = {
        let s = (*state).clone();
        use_memo(
            (s.program.graph.clone(), s.program.values(), s.h),
            move |_| s.results(),
        )
    };

    let on_source = {
        let state = state.clone();
        Callback::from(move |src: String| state.dispatch(GradAction::Source(src)))
    };
    let on_example = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(GradAction::Example(i)))
    };
    let on_input = {
        let state = state.clone();
        Callback::from(move |(name, text): (String, String)| {
            state.dispatch(GradAction::Input(name, text))
        })
    };
    let on_h = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            state.dispatch(GradAction::H(el.value()))
        })
    };

    let program = &state.program;
    html! {
        <section class="chapter grad">
            <h1>{ "What is automatic differentiation?" }</h1>
            { url_notice(&notices.1) }
            { markup("<p class=\"lead\">Automatic differentiation (AD) computes the derivative of a function given as a \
                program. It breaks the program into elementary operations (+, ×, log, …), differentiates each one with \
                the rules you know, and chains the results — so the derivative is exact, not an approximation. Type a \
                function below: an expression such as <code>y * x**2</code>, or Python like the lecture's.</p>") }
            <div class="two-col">
                <div class="col">
                    { program_editor(program, EXAMPLES, on_source, on_example) }
                    { input_fields(&program.inputs, on_input, "Evaluate at") }
                    <div class="field h-field">
                        <label for="fd-h">{ "Finite-difference step h =" }</label>
                        <input id="fd-h" data-testid="fd-h" type="text" autocomplete="off" spellcheck="false"
                            value={state.h_text.clone()} oninput={on_h}
                            aria-invalid={if state.h_error.is_some() { "true" } else { "false" }} />
                        if let Some(e) = &state.h_error {
                            <span class="field-error">{ e }{ " (still using " }{ fmt_compact(state.h) }{ ")" }</span>
                        }
                    </div>
                </div>
                <div class="col">
                    { match results.as_ref() {
                        Some(r) => view_results(r, &program.values().unwrap_or_default(), state.h, program.error.is_some()),
                        None if program.graph.is_none() => html! {
                            <p class="hint">{ "Results appear once the program is complete." }</p>
                        },
                        None => html! { <p class="hint">{ "Enter a number for every input to see the results." }</p> },
                    } }
                </div>
            </div>
        </section>
    }
}

fn view_results(r: &GradResults, values: &[f64], h: f64, stale: bool) -> Html {
    let g = &r.graph;
    let call = values
        .iter()
        .map(|v| fmt_python(*v))
        .collect::<Vec<_>>()
        .join(", ");
    let names: Vec<&str> = g.inputs.iter().map(|i| i.name.as_str()).collect();
    let args = names.join(", ");
    let n = names.len();
    let f0 = r.outputs.first().copied().unwrap_or(f64::NAN);
    let multi = r.outputs.len() > 1;
    html! {
        <div class={if stale { "results stale" } else { "results" }} aria-live="polite">
            if stale {
                <p class="hint">{ "Showing the last version of the program that worked." }</p>
            }
            <p class="big-result">
                { format!("f({args}) = ") }
                if multi {
                    { "(" }
                    { for r.outputs.iter().enumerate().map(|(k, v)| html! {
                        <>{ if k > 0 { ", " } else { "" } }{ num(*v, (k == 0).then_some("result-value"), None) }</>
                    }) }
                    { ")" }
                } else {
                    { num(f0, Some("result-value"), None) }
                }
            </p>
            if let Some(d) = &r.domain {
                <p class="warning" role="status">{ "Not a finite number: " }{ d }</p>
            }
            for note in g.notes.iter() {
                <p class="warning">{ "Note: " }{ &note.message }</p>
            }
            if multi {
                <p class="hint">
                    { format!("f has {} outputs; the derivatives below are those of the first. The graph lab shows the whole Jacobian.", r.outputs.len()) }
                </p>
            }
            if n > 0 {
                <table class="grad-table">
                    <caption>{ "The gradient, three ways" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "" }</th>
                            <th scope="col">{ "reverse mode" }<br/><small>{ "1 backward pass" }</small></th>
                            <th scope="col">{ "forward mode" }<br/><small>{ format!("{n} pass{}", if n == 1 { "" } else { "es" }) }</small></th>
                            <th scope="col">{ "forward difference" }<br/><small>{ format!("h = {}, {} evaluations", fmt_compact(h), n + 1) }</small></th>
                            <th scope="col">{ "its error" }<br/><small>{ "|difference − AD|" }</small></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for names.iter().enumerate().map(|(j, name)| {
                            let err = (r.fd[j] - r.reverse[j]).abs();
                            html! {
                                <tr key={name.to_string()}>
                                    <th scope="row">{ math::partial("f", name) }</th>
                                    <td data-label="reverse mode">{ num(r.reverse[j], Some(&format!("result-grad-{name}")), None) }</td>
                                    <td data-label="forward mode">{ num(r.forward[j], Some(&format!("result-fwd-{name}")), None) }</td>
                                    <td data-label="forward difference">{ num(r.fd[j], Some(&format!("result-fd-{name}")), None) }</td>
                                    <td data-label="its error">{ num(err, Some(&format!("result-fd-error-{name}")), Some(3)) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <div class="console" aria-label="The same in Python">
                <pre>
                    { format!(">>> f({call})\n{}\n", fmt_python(f0)) }
                    if n == 1 && !multi {
                        { format!(">>> grad(f)({call})\n{}", fmt_python(r.reverse[0])) }
                    }
                </pre>
            </div>
            <p class="cost">
                { format!(
                    "The program unrolls into {} elementary operation{} on {} input{}. Reverse mode gets the whole \
                     gradient from one forward and one backward sweep; forward mode needs one sweep per input ({n}); \
                     forward differences need {} evaluations of f and are only approximate.",
                    fmt_count(g.intermediates() as u64),
                    if g.intermediates() == 1 { "" } else { "s" },
                    n,
                    if n == 1 { "" } else { "s" },
                    n + 1,
                ) }
            </p>
        </div>
    }
}
