//! `#/graph` — the computational graph lab: forward and reverse mode, one node per step.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::{use_chapter, ChapterProps};
use crate::base::num::{fmt_count, fmt_full};
use crate::lab::graph::{GraphAction, GraphState, Mode, Session, Sketch, StepView, EXAMPLES};
use crate::lab::Shared;
use crate::lang::graph::Graph;
use crate::ui::components::{
    input_fields, markup, math, num, program_editor, url_notice, GraphView, TraceTable,
};
use crate::ui::dom;

const SPEEDS: [(u32, &str); 4] = [
    (2000, "slow"),
    (1000, "normal"),
    (500, "fast"),
    (200, "very fast"),
];

#[component]
pub fn GraphChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<GraphState>(&props.location);

    // The drawing depends on the graph only; values, traces and code on the graph and the inputs; a step's view on
    // those and the step. Each is shared, so the components below compare them by identity.
    let sketch = use_memo(state.program.graph.clone(), |g| {
        g.as_ref().map(|g| Shared::new(Sketch::new(g)))
    });
    let session: Rc<Option<Shared<Session>>> = {
        let s = (*state).clone();
        let sketch = (*sketch).clone();
        use_memo(
            (s.program.graph.clone(), s.program.values(), s.wrt, s.out),
            move |_| sketch.and_then(|sk| s.session_with(&sk)).map(Shared::new),
        )
    };
    let view: Option<Shared<StepView>> = {
        let session = (*session).clone();
        let memo = use_memo(
            (session.clone(), state.mode, state.step),
            move |&(_, mode, step)| session.map(|s| Shared::new(s.view(mode, step))),
        );
        (*memo).clone()
    };

    // Play / pause: one step per tick until the end. Play at the end starts again from step 0.
    let playing = use_state(|| false);
    let speed = use_state(|| 1000u32);
    let at_end = state.step >= state.total();
    {
        let dispatcher = state.dispatcher();
        let playing_handle = playing.clone();
        use_effect_with((*playing, *speed, at_end), move |&(on, ms, end)| {
            if on && end {
                playing_handle.set(false);
            }
            let interval = (on && !end)
                .then(|| dom::Interval::new(ms, move || dispatcher.dispatch(GraphAction::Next)))
                .flatten();
            move || drop(interval)
        });
    }
    let toggle_play: Rc<dyn Fn()> = {
        let (playing, on) = (playing.clone(), *playing);
        let d = state.dispatcher();
        Rc::new(move || {
            if !on && at_end {
                d.dispatch(GraphAction::Reset);
            }
            playing.set(!on)
        })
    };

    // Keyboard: ← → step, Home/End, space plays; ignored while typing in a field.
    {
        let dispatcher = state.dispatcher();
        let toggle_play = toggle_play.clone();
        // Registered again when what space does changes (the listener sees the state it was made with).
        use_effect_with((*playing, at_end), move |_| {
            let listener = dom::Listener::window("keydown", move |e| {
                let Some(e) = wasm_bindgen::JsCast::dyn_ref::<KeyboardEvent>(&e) else {
                    return;
                };
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let tag = e
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(t).ok())
                    .map(|el| el.tag_name().to_ascii_lowercase())
                    .unwrap_or_default();
                if matches!(tag.as_str(), "input" | "textarea" | "select") {
                    return;
                }
                let action = match e.key().as_str() {
                    "ArrowRight" => Some(GraphAction::Next),
                    "ArrowLeft" => Some(GraphAction::Prev),
                    "Home" => Some(GraphAction::Reset),
                    "End" => Some(GraphAction::End),
                    " " if tag != "button" => {
                        e.prevent_default();
                        toggle_play();
                        None
                    }
                    _ => None,
                };
                if let Some(a) = action {
                    e.prevent_default();
                    dispatcher.dispatch(a);
                }
            });
            move || drop(listener)
        });
    }

    let dispatch = |a: GraphAction| {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(a.clone()))
    };
    let on_source = {
        let d = state.dispatcher();
        Callback::from(move |src: String| d.dispatch(GraphAction::Source(src)))
    };
    let on_example = {
        let d = state.dispatcher();
        Callback::from(move |i: usize| d.dispatch(GraphAction::Example(i)))
    };
    let on_input = {
        let d = state.dispatcher();
        Callback::from(move |(n, t): (String, String)| d.dispatch(GraphAction::Input(n, t)))
    };
    let on_play = Callback::from(move |_: MouseEvent| toggle_play());
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(ms) = sel.value().parse() {
                speed.set(ms);
            }
        })
    };

    let program = &state.program;
    let graph = program.graph.clone();
    let mode = state.mode;
    html! {
        <section class="chapter graph-lab">
            <h1>{ "The computational graph" }</h1>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Each node is one elementary operation (v₁, v₂, … in evaluation order). \
                <strong class=\"fwd\">Forward mode</strong> carries a tangent — the derivative with respect to one \
                input — along with each value; <strong class=\"rev\">reverse mode</strong> stores every value, then \
                carries adjoints — derivatives of the output — backwards. Step with ← →.</p>") }
            <div class="two-col lab-top">
                <div class="col">
                    { program_editor(program, EXAMPLES, on_source, on_example) }
                    { input_fields(&program.inputs, on_input, "Evaluate at") }
                </div>
                <div class="col">
                    { controls(&state, graph.as_deref(), &dispatch, on_play, *playing, *speed, on_speed) }
                    <div class={format!("rule-panel mode-{}", mode.name())}
                        data-testid="step-rule">
                        { for view.iter().flat_map(|v| v.rule.iter()).map(|line| html! { <p>{ line }</p> }) }
                    </div>
                    <p class="sr-only" aria-live="polite" data-testid="step-announce">
                        { view.as_ref().map(|v| v.announce.clone()).unwrap_or_default() }
                    </p>
                </div>
            </div>
            { match (&*session, &view) {
                (Some(s), Some(v)) => html! {
                    <>
                        if let Some(d) = &s.domain {
                            <p class="warning" role="status">{ "Not a finite number: " }{ d }</p>
                        }
                        <GraphView session={s.clone()} view={v.clone()} {mode} />
                        <div class="two-col lab-bottom">
                            <div class="col">
                                <h2>{ "Evaluation trace" }</h2>
                                <TraceTable session={s.clone()} view={v.clone()} {mode} />
                            </div>
                            <div class="col">
                                { memory_panel(s, v, mode) }
                                { code_view(s, mode) }
                            </div>
                        </div>
                        { cost_panel(s) }
                    </>
                },
                _ if graph.is_none() => html! { <p class="hint">{ "The graph appears once the program is complete." }</p> },
                _ => html! { <p class="hint">{ "Enter a number for every input to see the graph's values." }</p> },
            } }
        </section>
    }
}

fn controls(
    state: &GraphState,
    graph: Option<&Graph>,
    dispatch: &dyn Fn(GraphAction) -> Callback<MouseEvent>,
    on_play: Callback<MouseEvent>,
    playing: bool,
    speed: u32,
    on_speed: Callback<Event>,
) -> Html {
    let mode = state.mode;
    let pressed = |on: bool| if on { "true" } else { "false" };
    let inputs = graph.map(|g| g.inputs.clone()).unwrap_or_default();
    let outputs = graph.map_or(0, |g| g.outputs.len());
    html! {
        <div class="controls">
            <div class="control-row" role="group" aria-label="Mode">
                <button type="button" class="mode fwd" data-testid="mode-forward" aria-pressed={pressed(mode == Mode::Forward)}
                    onclick={dispatch(GraphAction::Mode(Mode::Forward))}>{ "Forward mode" }</button>
                <button type="button" class="mode rev" data-testid="mode-reverse" aria-pressed={pressed(mode == Mode::Reverse)}
                    onclick={dispatch(GraphAction::Mode(Mode::Reverse))}>{ "Reverse mode" }</button>
            </div>
            <div class="control-row seeds" role="group" aria-label="Seed">
                <span class="hint">{ "Forward seed:" }</span>
                { for inputs.iter().enumerate().map(|(i, input)| html! {
                    <button type="button" class="small" data-testid={format!("wrt-{}", input.name)}
                        aria-pressed={pressed(state.wrt == i)} title={format!("Differentiate with respect to {}", input.name)}
                        onclick={dispatch(GraphAction::Wrt(i))}>{ format!("∂/∂{}", input.name) }</button>
                }) }
                if outputs > 1 {
                    <span class="hint">{ "Reverse seed:" }</span>
                    { for (0..outputs).map(|k| html! {
                        <button type="button" class="small" data-testid={format!("out-{}", k + 1)}
                            aria-pressed={pressed(state.out == k)} onclick={dispatch(GraphAction::Out(k))}>
                            { format!("f{}", k + 1) }
                        </button>
                    }) }
                }
            </div>
            <div class="control-row steps" role="group" aria-label="Steps">
                <button type="button" data-testid="step-reset" onclick={dispatch(GraphAction::Reset)} title="Back to step 0 (Home)" aria-label="Reset">{ "|◀" }</button>
                <button type="button" data-testid="step-prev" onclick={dispatch(GraphAction::Prev)} title="Previous step (←)" aria-label="Previous step">{ "◀" }</button>
                <button type="button" data-testid="step-play" onclick={on_play} aria-pressed={pressed(playing)}
                    title="Play or pause (space)" aria-label="Play">
                    { if playing { "❚❚ pause" } else { "▶ play" } }
                </button>
                <button type="button" data-testid="step-next" onclick={dispatch(GraphAction::Next)} title="Next step (→)" aria-label="Next step">{ "▶" }</button>
                <button type="button" data-testid="step-end" onclick={dispatch(GraphAction::End)} title="Last step (End)" aria-label="Last step">{ "▶|" }</button>
                <select aria-label="Speed" class="speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|(ms, name)| html! {
                        <option value={ms.to_string()} selected={*ms == speed}>{ *name }</option>
                    }) }
                </select>
                <span class="counter" data-testid="step-counter">{ format!("{} / {}", state.step, state.total()) }</span>
            </div>
        </div>
    }
}

fn memory_panel(s: &Session, v: &StepView, mode: Mode) -> Html {
    let g = &s.graph;
    match mode {
        Mode::Forward => html! {
            <div class="memory" data-testid="memory-panel">
                <h2>{ "Memory" }</h2>
                <p>{ "Forward mode keeps only what it is computing: each tangent is computed together with its value, \
                      so nothing has to be stored for later. But one pass gives the derivative with respect to one \
                      input only." }</p>
            </div>
        },
        Mode::Reverse => {
            const SHOWN: usize = 120;
            html! {
                <div class="memory" data-testid="memory-panel">
                    <h2>{ "Memory" }</h2>
                    <p>
                        { "Stored for the backward sweep: " }
                        <strong data-testid="memory-count" data-value={v.stored.to_string()}>{ fmt_count(v.stored as u64) }</strong>
                        { format!(" value{} = ", if v.stored == 1 { "" } else { "s" }) }
                        <strong data-testid="memory-bytes" data-value={(8 * v.stored).to_string()}>{ fmt_count(8 * v.stored as u64) }</strong>
                        { " bytes (8 per f64)." }
                    </p>
                    <div class="tape" aria-hidden="true">
                        { for g.ids().take(v.stored.min(SHOWN)).map(|id| html! {
                            <span class={if v.read.contains(&id) { "cell read" } else { "cell" }}>{ g.label(id) }</span>
                        }) }
                        if v.stored > SHOWN { <span class="cell more">{ format!("+{}", v.stored - SHOWN) }</span> }
                    </div>
                    <p class="hint">{ "Reverse mode needs memory: every intermediate value is kept until the backward \
                                        sweep reads it (highlighted: the values this step reads)." }</p>
                </div>
            }
        }
    }
}

fn code_view(s: &Session, mode: Mode) -> Html {
    let (title, code, run) = match mode {
        Mode::Forward => ("Forward-mode program", &s.forward_code, &s.forward_run),
        Mode::Reverse => ("Reverse-mode program", &s.reverse_code, &s.reverse_run),
    };
    let g = &s.graph;
    let expected: Vec<f64> = match mode {
        Mode::Forward => g
            .outputs
            .iter()
            .map(|o| s.forward.steps[o.index()].tangent)
            .collect(),
        Mode::Reverse => g
            .inputs
            .iter()
            .map(|i| s.reverse.adjoints[i.node.index()])
            .collect(),
    };
    html! {
        <div class="code-panel">
            <h2>{ title }</h2>
            <pre class="code" data-testid="code-view">{ match code { Ok(c) => c.clone(), Err(e) => format!("# {e}") } }</pre>
            if let Some(values) = run {
                <p class="hint" data-testid="code-check">
                    { "Run by AD Lab at the same inputs, it returns " }
                    { for values.iter().enumerate().map(|(k, x)| html! { <>{ if k > 0 { ", " } else { "" } }{ num(*x, None, None) }</> }) }
                    { if bit_equal(values, &expected) { " — the same as the trace." } else { " — compare with the trace above." } }
                </p>
            }
        </div>
    }
}

fn bit_equal(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| fmt_full(*x) == fmt_full(*y))
}

fn cost_panel(s: &Session) -> Html {
    let g = &s.graph;
    let (n, m) = (g.inputs.len(), g.outputs.len());
    if n == 0 {
        return html! {};
    }
    let matrix = |j: &Vec<Vec<f64>>, id: &str| {
        html! {
            <table class="jacobian" data-testid={id.to_string()}>
                <thead><tr><th></th>{ for g.inputs.iter().map(|i| html! { <th scope="col">{ math::d_dx(&i.name) }</th> }) }</tr></thead>
                <tbody>
                    { for j.iter().enumerate().map(|(r, row)| html! {
                        <tr>
                            <th scope="row">{ if m == 1 { "f".to_string() } else { format!("f{}", r + 1) } }</th>
                            { for row.iter().map(|x| html! { <td>{ num(*x, None, Some(6)) }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    };
    let verdict = if n > m {
        format!("Here f: R{} → R{}: reverse mode needs fewer passes ({m} against {n}). This is why machine learning, with millions of parameters and one loss, uses reverse mode (backprop).", sup(n), sup(m))
    } else if m > n {
        format!(
            "Here f: R{} → R{}: forward mode needs fewer passes ({n} against {m}).",
            sup(n),
            sup(m)
        )
    } else {
        format!(
            "Here f: R{} → R{}: both modes need {n} pass{}.",
            sup(n),
            sup(m),
            if n == 1 { "" } else { "es" }
        )
    };
    html! {
        <div class="cost-panel" data-testid="cost-panel">
            <h2>{ "The whole Jacobian: cost of each mode" }</h2>
            <p>{ verdict }</p>
            <div class="jacobians">
                <div>
                    <h3>{ format!("Forward mode: {n} pass{} (one per input)", if n == 1 { "" } else { "es" }) }</h3>
                    { matrix(&s.jacobian_forward, "jacobian-forward") }
                </div>
                <div>
                    <h3>{ format!("Reverse mode: {m} pass{} (one per output)", if m == 1 { "" } else { "es" }) }</h3>
                    { matrix(&s.jacobian_reverse, "jacobian-reverse") }
                </div>
            </div>
        </div>
    }
}

fn sup(k: usize) -> String {
    if k == 1 {
        String::new()
    } else {
        crate::base::num::superscript_int(k as i64)
    }
}
