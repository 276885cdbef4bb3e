//! `#/numeric` — Automatic differentiation is not numerical differentiation.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::ad::fd::Scheme;
use crate::base::num::{fmt_compact, fmt_sig};
use crate::figures::sci_label;
use crate::lab::numeric::{NumericAction, NumericResults, NumericState, EXAMPLES};
use crate::lab::program::ProgramAction;
use crate::lab::Shared;
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{
    esc, input_fields, markup, num_str, number_field, program_editor, raw, select_field, url_notice,
};

#[component]
pub fn NumericChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<NumericState>(&props.location);
    // The question "which h minimises the error?": the model's best steps stay hidden until it is answered, by a
    // click on the plot or the button (on a slide, which does not ask, they show).
    let asked = crate::ui::components::use_value(false);
    let hide_best = !*asked && !super::is_embedded();
    let results = {
        let s = (*state).clone();
        use_memo(
            (
                s.program.compiled.clone(),
                s.program.values(),
                s.h.value,
                s.scheme,
                hide_best,
            ),
            move |&(.., hide_best)| {
                s.results().map(|mut r| {
                    r.hide_best = hide_best;
                    Shared::new(r)
                })
            },
        )
    };

    let d = state.dispatcher();
    let program = &state.program;
    let first = program.inputs.first().cloned();
    let on_x = {
        let name = first.as_ref().map(|f| f.name.clone()).unwrap_or_default();
        d.reform_action(move |e: InputEvent| {
            NumericAction::Program(ProgramAction::Input(
                name.clone(),
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_program = d.reform_action(NumericAction::Program);
    let pick = {
        let (results, d, asked) = (results.clone(), d.clone(), asked.clone());
        Callback::from(move |e: MouseEvent| {
            use wasm_bindgen::JsCast;
            let Some(c) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            else {
                return;
            };
            // The click in the canvas's own pixels, where the figure was drawn.
            let x = e.offset_x() as f64 * c.width() as f64 / c.client_width().max(1) as f64;
            if let Some(h) = results.as_ref().as_ref().ok().and_then(|r| r.h_at(x)) {
                d.dispatch(NumericAction::H(h));
                asked.set(true);
            }
        })
    };
    let verdict = results
        .as_ref()
        .as_ref()
        .ok()
        .filter(|_| *asked)
        .map_or(String::new(), |r| r.pick_verdict().1);

    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Finite differences approximate f′(x) by <math><mfrac><mrow><mi>f</mi><mo>(</mo>\
                <mi>x</mi><mo>+</mo><mi>h</mi><mo>)</mo><mo>−</mo><mi>f</mi><mo>(</mo><mi>x</mi><mo>)</mo></mrow><mi>h</mi>\
                </mfrac></math>. The result is inexact, how inexact depends on h, and a gradient of f: Rⁿ → R costs \
                n + 1 evaluations. Below, the error against h for your function, next to the exact value from automatic \
                differentiation.</p>") }
            <div class="two-col">
                <div class="col" data-part="program">
                    { program_editor(program, EXAMPLES, on_program.reform(ProgramAction::Source), on_program.reform(ProgramAction::Example)) }
                    <fieldset class="inputs">
                        <legend>{ "Differentiate at" }</legend>
                        if let Some(f) = &first {
                            <div class="field">
                                <label for="fd-x">{ &f.name }{ " =" }</label>
                                <input id="fd-x" data-testid="fd-x" type="text" autocomplete="off" spellcheck="false"
                                    value={f.text.clone()} oninput={on_x}
                                    aria-invalid={if f.value.is_none() { "true" } else { "false" }}
                                    aria-describedby={f.value.is_none().then_some("fd-x-error")} />
                                if f.value.is_none() { <span class="field-error" id="fd-x-error">{ "not a number" }</span> }
                            </div>
                        }
                        { number_field("fd-h", "h =", &state.h, d.reform_action(NumericAction::H), |h| fmt_compact(*h)) }
                        { select_field("fd-scheme", "scheme", vec![
                            ("forward", "forward: (f(x+h) − f(x))/h".into(), state.scheme == Scheme::Forward),
                            ("central", "central: (f(x+h) − f(x−h))/2h".into(), state.scheme == Scheme::Central),
                        ], d.reform_action(|v: String| NumericAction::Scheme(Scheme::from_name(&v).unwrap_or(Scheme::Forward)))) }
                    </fieldset>
                    if program.inputs.len() > 1 {
                        { input_fields(&program.inputs[1..], on_program.reform(|(n, t)| ProgramAction::Input(n, t)), "Other inputs (held fixed)") }
                    }
                </div>
                <div class="col">
                    { match &*results {
                        Ok(r) => view_numbers(r),
                        Err(e) => html! { <p class="warning" data-testid="numeric-error">{ e }</p> },
                    } }
                </div>
            </div>
            if let Ok(r) = &*results {
                <div class="figure-part pick" data-part="plot" onclick={pick}>
                    <PlotCanvas figure={Plot::new(r.clone())} testid="fd-plot" filename="finite-differences.png"
                        label={format!("Log–log plot of the error of forward and central differences against h at {} = {}", r.variable, fmt_compact(r.x))} />
                </div>
                <div class="pick-question" data-part="pick">
                    { markup("<p><strong>Which h minimises the error here?</strong> Click the plot where you think it is, \
                        or type h above and check it.</p>") }
                    <button type="button" class="small" data-testid="fd-pick-check" onclick={move |_| asked.set(true)}>{ "Check my h" }</button>
                    <p role="status" data-testid="fd-pick-verdict">{ verdict }</p>
                </div>
                { explain(r) }
                { methods(r) }
            }
        </>
    }
}

fn view_numbers(r: &NumericResults) -> Html {
    let scheme = match r.scheme {
        Scheme::Forward => "forward",
        Scheme::Central => "central",
    };
    let scipy = if r.scheme == Scheme::Forward {
        format!(
            "<p class=\"hint\" data-part=\"scipy\">Python's <code>scipy.optimize.approx_fprime</code> divides instead by \
             the step actually taken, ({x} + h) − {x} = {} (x + h is rounded), and returns {}.</p>",
            num_str(r.step_taken, None, None),
            num_str(r.estimate_scipy, Some("fd-estimate-scipy"), None),
            x = fmt_compact(r.x)
        )
    } else {
        String::new()
    };
    let cost = if r.inputs == 1 {
        "One input: a forward difference costs 2 evaluations of f (central: 2 as well), and is inexact; reverse mode \
         gives the exact derivative from one forward and one backward sweep."
            .to_string()
    } else {
        format!(
            "This f has {n} inputs: its gradient by forward differences costs {} evaluations of f ({} for central), \
             each inexact. Reverse mode gives the whole exact gradient from one forward and one backward sweep.",
            r.inputs + 1,
            2 * r.inputs,
            n = r.inputs,
        )
    };
    raw(format!(
        "<div class=\"results\"><table class=\"numbers\"><tr><th scope=\"row\">{scheme} difference at h = {}</th><td>{}</td></tr>\
         <tr><th scope=\"row\">exact, by automatic differentiation</th><td>{}</td></tr>\
         <tr><th scope=\"row\">error |difference − exact|</th><td>{}</td></tr></table>{scipy}\
         <p class=\"cost\" data-testid=\"fd-cost\" data-part=\"cost\">{cost}</p></div>",
        fmt_compact(r.h),
        num_str(r.estimate, Some("fd-estimate"), None),
        num_str(r.d1, Some("fd-exact"), None),
        num_str(r.error, Some("fd-error"), Some(6)),
    ))
}

fn explain(r: &NumericResults) -> Html {
    let opt = |h: Option<f64>| h.map_or("none (no truncation error)".to_string(), sci_label);
    let best = if r.hide_best {
        "The model's best steps h* follow from these; they are drawn and named once you check your h.".to_string()
    } else {
        format!(
            "The model's best steps: forward h* = 2√(ε|f|/|f″|) ≈ {}, central h* = ∛(3ε|f|/|f‴|) ≈ {} — near √ε ≈ \
             1.5·10⁻⁸ and ∛ε ≈ 6·10⁻⁶ when f is well scaled.",
            opt(r.h_opt_forward),
            opt(r.h_opt_central)
        )
    };
    raw(format!(
        "<div class=\"explain\" data-part=\"explain\"><p><strong>Why a V? </strong>For large h the difference quotient is \
         simply a different quantity from the derivative: the error is truncation, ≈ h·|f″|/2 for forward differences \
         (h²·|f‴|/6 for central), and shrinks with h. For small h, f(x + h) and f(x) agree in most of their digits, so \
         subtracting them cancels those digits and leaves rounding noise of size ε·|f|, which dividing by h magnifies: \
         ≈ ε·|f|/h grows as h shrinks.</p><p class=\"hint\" data-testid=\"fd-optimal\">Here f = {}, f″ = {}, f‴ = {} (by \
         Taylor-mode automatic differentiation), ε = 2⁻⁵² ≈ 2.2·10⁻¹⁶. {best}</p></div>",
        fmt_sig(r.f, 6),
        fmt_sig(r.d2, 6),
        fmt_sig(r.d3, 6),
    ))
}

fn methods(r: &NumericResults) -> Html {
    let rows: String = r
        .methods()
        .into_iter()
        .map(|(name, value, digits)| {
            let name = if name.ends_with("at h") {
                format!("{name} = {}", fmt_compact(r.h))
            } else {
                name.to_string()
            };
            let shown = if digits >= 17 {
                "all".to_string()
            } else {
                digits.to_string()
            };
            format!(
                "<tr><th scope=\"row\" class=\"left\">{name}</th><td data-label=\"value\">{}</td>\
                 <td data-label=\"digits agreeing with AD\" data-value=\"{digits}\">{shown}</td></tr>",
                num_str(value, None, None)
            )
        })
        .collect();
    raw(format!(
        "<div class=\"methods\" data-part=\"methods\"><h2>Three ways to the same derivative</h2>\
         <table class=\"grad-table\" data-testid=\"methods-table\"><thead><tr><th scope=\"col\">method</th>\
         <th scope=\"col\">∂f/∂{} at {}</th><th scope=\"col\">digits agreeing with AD</th></tr></thead><tbody>{rows}\
         </tbody></table><p class=\"hint\">The symbolic derivative is exact too (it is the same rules applied to the \
         whole expression), but see the next chapter for its cost.</p></div>",
        esc(&r.variable),
        fmt_compact(r.x)
    ))
}
