//! `#/learn` — Example 2: learning to learn (the step size ρ).

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::num::{fmt_count, fmt_full, fmt_sig};
use crate::base::url::percent_encode;
use crate::figures::curve::{learn_curve, Plane};
use crate::lab::learn::{self, LearnAction, LearnResults, LearnState, Problem};
use crate::lab::Shared;
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{
    count_str, esc, markup, num_str, number_field, player_row, program_section, raw, rel_diff,
    select_field, url_notice, use_player,
};

#[component]
pub fn LearnChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<LearnState>(&props.location);
    let d = state.dispatcher();
    let results = {
        let s = (*state).clone();
        use_memo(s.clone(), move |_| s.results().map(Shared::new))
    };
    let player = use_player(120, d.reform_action(|()| LearnAction::MetaStep(1)));
    let toy = state.problem == Problem::Toy;
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Ridge regression, ℓ(β) = ½‖Xβ − y‖² + (λ/2)‖β‖², by gradient descent with step ρ for \
                T steps: β<sub>0</sub> = 0, β<sub>t+1</sub> = β<sub>t</sub> − ρ(Xᵀ(Xβ<sub>t</sub> − y) + λβ<sub>t</sub>). \
                Seen as a function GD: ρ ↦ β<sub>T</sub>, it is a program — so AD differentiates through it. What is the best \
                ρ? Use gradient descent on it: ρ ← ρ − η·∇<sub>ρ</sub>ℓ(GD(ρ)), the gradient computed by AD.</p>") }
            <div class="two-col">
                <div class="col">
                    <fieldset class="inputs" data-part="settings">
                        <legend>{ "The problem and the descent" }</legend>
                        { select_field("learn-problem", "problem", vec![
                            ("toy", "toy: XᵀX = diag(1, 10), λ = 0".into(), toy),
                            ("diabetes", "diabetes (train), λ = 10".into(), !toy),
                        ], d.reform_action(|v: String| LearnAction::Problem(if v == "diabetes" { Problem::Diabetes } else { Problem::Toy }))) }
                        { number_field("learn-rho", "step ρ", &state.rho, d.reform_action(LearnAction::Rho), |v| crate::base::num::fmt_full(*v)) }
                        { number_field("learn-T", "steps T", &state.t, d.reform_action(LearnAction::T), |v| v.to_string()) }
                        { number_field("learn-eta", "meta step η", &state.eta, d.reform_action(LearnAction::Eta), |v| crate::base::num::fmt_full(*v)) }
                    </fieldset>
                    { player_row("Meta-descent on ρ", ("learn-meta-step", "one meta-step", d.on_click(LearnAction::MetaStep(1))),
                        "learn-meta-play", player, d.on_click(LearnAction::MetaReset),
                        html! { <span class="counter">{ format!("{} meta-steps", state.meta) }</span> }) }
                    if toy {
                        <p class="hint" data-part="link"><a data-testid="learn-graph-link" href={graph_link(&state)}>{ "Open the toy problem in the graph lab (T ≤ 3), to watch dL/dρ node by node" }</a></p>
                    }
                </div>
                <div class="col">
                    { match &*results {
                        Ok(r) => raw(numbers(r, &state)),
                        Err(e) => html! { <p class="warning">{ e }</p> },
                    } }
                </div>
            </div>
            if let Ok(r) = &*results {
                <PlotCanvas figure={Plot::new(Shared::new(learn_curve(r, &state)))} testid="learn-plot" filename="learning-rate.png"
                    label="L(ρ) = ℓ(GD(ρ)) against ρ, with the meta-iterates and the stability limit 2/a_max" />
                if toy {
                    <div class="figure-part" data-part="path">
                    <PlotCanvas figure={Plot::new(Shared::new(Plane { path: r.path.clone(), rho: r.rho_now }))} testid="learn-path" filename="descent-path.png"
                        label="The toy problem: gradient descent's path on the level sets of the loss" />
                    </div>
                }
                { raw(program_part(r, &state)) }
            }
        </>
    }
}

/// The graph lab draws the program with at most this many steps (each is a few array operations).
const GRAPH_T: usize = 10;

/// The problem as a numpy program, and the array engine's numbers for it beside the tape's.
fn program_part(r: &LearnResults, s: &LearnState) -> String {
    let t = s.t.value;
    let numbers = match &r.program {
        Ok(c) => format!(
            "<table class=\"numbers\"><caption>On the array engine: {ops} array operations, traced once for T = {t} and \
             run again at each ρ</caption><tr><th scope=\"row\">L(ρ)</th><td>{}</td></tr><tr><th scope=\"row\">dL/dρ by \
             reverse mode through its graph</th><td>{}</td></tr><tr><th scope=\"row\">largest relative difference from \
             the tape's L and dL/dρ</th><td>{}</td></tr></table>{fewer}",
            num_str(c.loss, Some("learn-program-loss"), Some(10)),
            num_str(c.grad, Some("learn-program-grad"), Some(10)),
            num_str(rel_diff(&[(c.loss, r.hyper.loss), (c.grad, r.hyper.reverse)]), Some("learn-program-agree"), Some(2)),
            ops = fmt_count(c.operations as u64),
            fewer = if t > GRAPH_T {
                format!(
                    "<p class=\"hint\">The graph lab's link draws its first {GRAPH_T} steps (T = {GRAPH_T}); all {t} are \
                     {} nodes.</p>",
                    fmt_count(c.operations as u64)
                )
            } else {
                String::new()
            },
        ),
        Err(e) => format!("<p class=\"warning\" data-testid=\"learn-program-error\">{}</p>", esc(e)),
    };
    program_section(
        "learn",
        "L(ρ) = ℓ(GD(ρ))",
        &r.source,
        &learn::program(s.problem, r.rho_now, t.min(GRAPH_T)),
        &numbers,
    )
}

/// The toy problem for a few steps as the lecture's Python, for the graph lab.
fn graph_link(s: &LearnState) -> String {
    let t = s.t.value.min(3);
    let src = format!(
        "def f(rho={}, T={t}):\n  b1 = 0.0\n  b2 = 0.0\n  for t in range(T):\n    g1 = b1 - 1\n    g2 = 10*b2 - 1\n    \
         b1 = b1 - rho*g1\n    b2 = b2 - rho*g2\n  return 0.5*(b1 - 1)**2 + 0.5*(10**0.5*b2 - 10**-0.5)**2\n",
        fmt_full(s.rho.value)
    );
    format!("#/graph?f={}&mode=reverse", percent_encode(&src))
}

fn numbers(r: &LearnResults, s: &LearnState) -> String {
    let h = &r.hyper;
    let row = |name: &str, v: String| format!("<tr><th scope=\"row\">{name}</th><td>{v}</td></tr>");
    let past = r.rho_now >= r.stability;
    format!(
        "<table class=\"numbers\"><caption>At ρ = {rho}, T = {t}</caption>{}{}{}{}{}{}{}</table>\
         <p class=\"hint\" data-part=\"why\">{}</p><p class=\"hint\">Meta-iterates: ρ = {}{}.</p>",
        row(
            "L(ρ) = ℓ(β<sub>T</sub>)",
            num_str(h.loss, Some("learn-loss"), Some(6))
        ),
        row(
            "dL/dρ by reverse mode (the tape)",
            num_str(h.reverse, Some("learn-grad-reverse"), Some(10))
        ),
        row(
            "dL/dρ by forward mode (one tangent)",
            num_str(h.forward, Some("learn-grad-forward"), Some(10))
        ),
        row(
            "dL/dρ by the closed form (eigendecomposition)",
            num_str(h.exact, Some("learn-grad-exact"), Some(10))
        ),
        row(
            "stability limit 2/a<sub>max</sub>",
            num_str(r.stability, Some("learn-stability"), Some(6))
        ),
        row(
            &format!(
                "numbers stored, reverse mode (the iterates alone: T·d = {})",
                s.t.value * h.memory_forward / 2
            ),
            count_str(h.memory_reverse as u64, "learn-memory-reverse")
        ),
        row(
            "numbers stored, forward mode",
            count_str(h.memory_forward as u64, "learn-memory-forward")
        ),
        if past && h.loss.is_nan() {
            "ρ is so far past the stability limit that the descent overflows f64 within T steps: β<sub>T</sub> is ∞ − ∞ = NaN, \
             so the program's L is NaN and so are its derivatives by AD, which differentiate the program as computed. The \
             closed form, computed another way, says where L went: to ∞."
        } else if past {
            "ρ is past the stability limit: every step multiplies the error along the top eigenvector by |1 − ρa<sub>max</sub>| &gt; 1, \
             so L explodes with T, and so does its hypergradient."
        } else {
            "Reverse mode keeps every step's values for the backward sweep: at least the T iterates β<sub>t</sub>, and our \
             scalar tape keeps two partial derivatives for each multiplication and addition, so it grows with T. Forward \
             mode carries β and its tangent dβ/dρ along: 2d numbers, whatever T. One input (ρ), one output (L): forward \
             mode is the natural fit here."
        },
        {
            let all: Vec<String> = r.meta.iter().map(|(rho, _)| fmt_sig(*rho, 6)).collect();
            let last = r.meta.last().map_or(f64::NAN, |m| m.0);
            let shown = if all.len() > 6 {
                format!("{} → {} → … → ", all[0], all[1])
            } else {
                String::new()
            };
            let from = if all.len() > 6 { all.len() - 4 } else { 0 };
            format!(
                "{shown}{}{}",
                all[from..all.len() - 1]
                    .iter()
                    .map(|a| format!("{a} → "))
                    .collect::<String>(),
                num_str(last, Some("learn-meta-rho"), Some(6))
            )
        },
        if s.problem == Problem::Toy {
            "; the best ρ for the toy problem is 2/11 ≈ 0.1818, whatever T"
        } else {
            ""
        },
        rho = if s.meta > 0 {
            format!(
                "{} (after {} meta-step{} from ρ₀ = {})",
                fmt_sig(r.rho_now, 6),
                s.meta,
                if s.meta == 1 { "" } else { "s" },
                fmt_sig(s.rho.value, 6)
            )
        } else {
            fmt_sig(r.rho_now, 6)
        },
        t = s.t.value,
    )
}
