//! `#/hyper` — Example 3: hyperparameter optimisation (the ridge penalty λ).

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::num::{fmt_count, fmt_sig};
use crate::figures::curve::hyper_curve;
use crate::lab::hyper::{feature, HyperAction, HyperResults, HyperState, Mode};
use crate::lab::ridge::CREDIT;
use crate::lab::Shared;
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{
    count_str, esc, markup, num_str, number_field, player_row, program_section, raw, rel_diff,
    select_field, url_notice, use_player,
};

#[component]
pub fn HyperChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<HyperState>(&props.location);
    let d = state.dispatcher();
    let results = {
        let s = (*state).clone();
        use_memo(s.clone(), move |_| s.results().map(Shared::new))
    };
    let player = use_player(60, d.reform_action(|()| HyperAction::Step(1)));
    let single = state.mode == Mode::Single;
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Ridge regression on the training set, β*(λ) = argmin ½‖Xβ − y‖² + (λ/2)‖β‖²; choose λ to \
                minimise the validation loss V(λ) = ½‖X<sub>val</sub>β*(λ) − y<sub>val</sub>‖². Grid search needs k points \
                per hyperparameter — k<sup>10</sup> for ten. Use first-order information instead: differentiate V through \
                the solve (implicitly) or through gradient descent (unrolled, by AD), and descend on λ.</p>") }
            <div class="two-col">
                <div class="col">
                    <fieldset class="inputs" data-part="settings">
                        <legend>{ "λ and its hypergradient" }</legend>
                        { number_field("hyper-lambda", "λ", &state.lambda, d.reform_action(HyperAction::Lambda), |v| crate::base::num::fmt_full(*v)) }
                        { number_field("hyper-T", "unrolled steps T", &state.t, d.reform_action(HyperAction::T), |v| v.to_string()) }
                        { number_field("hyper-grid-k", "grid points k", &state.k, d.reform_action(HyperAction::K), |v| v.to_string()) }
                        { select_field("hyper-mode", "hyperparameters", vec![
                            ("single", "one λ for every feature".into(), single),
                            ("per-feature", "one λ per feature (10)".into(), !single),
                        ], d.reform_action(|v: String| HyperAction::Mode(if v == "per-feature" { Mode::PerFeature } else { Mode::Single }))) }
                    </fieldset>
                    { player_row("Hypergradient descent", ("hyper-step", "one descent step", d.on_click(HyperAction::Step(1))),
                        "hyper-play", player, d.on_click(HyperAction::Reset), html! {}) }
                    <p class="hint" data-part="credit">{ CREDIT }</p>
                </div>
                <div class="col" data-part="numbers">
                    { match &*results {
                        Ok(r) => raw(numbers(r, &state)),
                        Err(e) => html! { <p class="warning">{ e }</p> },
                    } }
                </div>
            </div>
            if let Ok(r) = &*results {
                <PlotCanvas figure={Plot::new(Shared::new(hyper_curve(r, &state)))} testid="hyper-plot" filename="validation-loss.png"
                    label="The validation loss V against λ (log scale), with the grid's points and the descent's iterates" />
                { raw(tables(r, &state)) }
                { raw(program_part(r)) }
            }
        </>
    }
}

/// V as a numpy program, and the array engine's numbers for it beside the chapter's.
fn program_part(r: &HyperResults) -> String {
    let numbers = match &r.program {
        Ok(c) => format!(
            "<table class=\"numbers\"><caption>On the array engine: {} array operations</caption>\
             <tr><th scope=\"row\">V(λ)</th><td>{}</td></tr><tr><th scope=\"row\">dV/dλ by reverse mode through \
             <code>np.linalg.solve</code></th><td>{}</td></tr><tr><th scope=\"row\">largest relative difference from \
             V and the implicit dV/dλ above</th><td>{}</td></tr></table>",
            fmt_count(c.operations as u64),
            num_str(c.v, Some("hyper-program-loss"), Some(10)),
            num_str(c.grad, Some("hyper-program-grad"), Some(10)),
            num_str(rel_diff(&[(c.v, r.v), (c.grad, r.implicit)]), Some("hyper-program-agree"), Some(2)),
        ),
        Err(e) => format!("<p class=\"warning\" data-testid=\"hyper-program-error\">{}</p>", esc(e)),
    };
    program_section("hyper", "V(λ)", &r.source, &r.source, &numbers)
}

fn numbers(r: &HyperResults, s: &HyperState) -> String {
    let row = |name: &str, v: String| format!("<tr><th scope=\"row\">{name}</th><td>{v}</td></tr>");
    format!(
        "<table class=\"numbers\"><caption>At λ = {lam}</caption>{}{}{}{}{}{}</table>\
         <p class=\"hint\">Unrolled: {t} steps of gradient descent from β = 0 with step 1/(a<sub>max</sub> + λ), then V; \
         its derivative by forward mode {} and by reverse mode {} (the tape held {} records). As T grows it converges to \
         the implicit value; stopped early, the descent is itself a regulariser.</p>",
        row("V(λ) = ½‖X<sub>val</sub>β* − y<sub>val</sub>‖²", num_str(r.v, Some("hyper-val-loss"), Some(6))),
        row("dV/dλ, implicit: −qᵀβ*", num_str(r.implicit, Some("hyper-grad-implicit"), Some(8))),
        row(&format!("dV/dλ, unrolled T = {}", s.t.value), num_str(r.unrolled_reverse, Some("hyper-grad-unrolled"), Some(8))),
        row("dV/dλ, central differences", num_str(r.fd, Some("hyper-grad-fd"), Some(8))),
        row("V after T unrolled steps", num_str(r.unrolled, None, Some(6))),
        row("ridge solves so far (descent)", count_str(r.descent.solves as u64, "hyper-solves")),
        num_str(r.unrolled_forward, None, Some(10)),
        num_str(r.unrolled_reverse, None, Some(10)),
        fmt_count(r.tape_records as u64),
        lam = fmt_sig(s.lambda.value, 6),
        t = s.t.value,
    )
}

fn tables(r: &HyperResults, s: &HyperState) -> String {
    let (last, v) = r
        .descent
        .path
        .last()
        .cloned()
        .unwrap_or((vec![f64::NAN], f64::NAN));
    let k = s.k.value as f64;
    let mut out = format!(
        "<div class=\"tables two-col\"><div class=\"col\" data-part=\"grid\"><h2>Grid search against hypergradient descent</h2><table class=\"numbers\">\
         <tr><th scope=\"row\">best of the {kk} grid points on [10⁻³, 10⁵]: λ</th><td>{}</td></tr>\
         <tr><th scope=\"row\">its V ({kk} solves)</th><td>{}</td></tr>\
         <tr><th scope=\"row\">descent from λ = 1, {} steps: λ{}</th><td>{}</td></tr>\
         <tr><th scope=\"row\">its V ({} solves)</th><td>{}</td></tr></table>\
         <p class=\"hint\">With one λ per feature, a grid of the same fineness needs k¹⁰ = {} solves; the descent's cost grows \
         with the number of steps, not with the number of hyperparameters.</p></div>",
        num_str(r.grid_best.0, Some("hyper-grid-best"), Some(6)),
        num_str(r.grid_best.1, Some("hyper-grid-loss"), Some(6)),
        r.descent.path.len() - 1,
        if s.mode == Mode::PerFeature { "<sub>age</sub>" } else { "" },
        num_str(last[0], Some("hyper-opt-lambda"), Some(8)),
        r.descent.solves,
        num_str(v, Some("hyper-opt-loss"), Some(6)),
        (s.k.value as u64).checked_pow(10).map_or_else(|| fmt_sig(k.powi(10), 3), fmt_count),
        kk = s.k.value,
    );
    out.push_str("<div class=\"col\" data-part=\"overfit\">");
    if s.mode == Mode::PerFeature {
        out.push_str("<h2>One λ per feature</h2><table class=\"numbers\">");
        for (j, l) in last.iter().enumerate() {
            out.push_str(&format!(
                "<tr><th scope=\"row\">λ<sub>{}</sub></th><td>{}</td></tr>",
                feature(j),
                num_str(
                    *l,
                    Some(&format!("hyper-opt-lambda-{}", feature(j))),
                    Some(6)
                )
            ));
        }
        out.push_str("</table>");
    }
    out.push_str("<h2>Does tuning overfit?</h2><table class=\"numbers cols\"><thead><tr><th scope=\"col\"></th><th scope=\"col\">validation MSE</th><th scope=\"col\">test MSE</th></tr></thead>");
    for (i, (name, v, t)) in r.mse.iter().enumerate() {
        let ids = if i == 0 {
            (Some("hyper-val-mse"), Some("hyper-test-mse"))
        } else {
            (None, None)
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td></tr>",
            num_str(*v, ids.0, Some(6)),
            num_str(*t, ids.1, Some(6))
        ));
    }
    out.push_str("</table><p class=\"hint\">The test rows (296–441) were never used to choose λ.</p></div></div>");
    out
}
