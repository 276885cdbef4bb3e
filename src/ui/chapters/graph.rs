//! `#/graph` — the computational graph lab: forward and reverse mode, one node per step.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch, Model};
use crate::base::array::fmt_shape;
use crate::base::num::fmt_count;
use crate::lab::graph::arrays::ArraySession;
use crate::lab::graph::{
    export, GraphAction, GraphState, Mode, Practice, Question, Session, Sketch, StepView, EXAMPLES,
    KINDS,
};
use crate::lab::Shared;
use crate::lang::graph::Graph;
use crate::ui::components::{
    esc, markup, num_str, program_panel, raw, step_controls, url_notice, use_stepper, GraphView,
    Step, Stepper, TraceTable,
};

#[component]
pub fn GraphChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<GraphState>(&props.location);

    // The drawing depends on the graph only; values, traces and code on the graph and the inputs; a step's view on
    // those and the step. Each is shared, so the components below compare them by identity.
    let sketch = use_memo(state.program.compiled.clone(), |c| {
        c.as_ref().map(|c| Shared::new(Sketch::new(&c.graph)))
    });
    let programs = {
        let s = (*state).clone();
        use_memo((s.program.compiled.clone(), s.wrt, s.out), move |_| {
            s.programs().map(Shared::new)
        })
    };
    let session: Rc<Option<Shared<Session>>> = {
        let s = (*state).clone();
        let sketch = (*sketch).clone();
        let programs = (*programs).clone();
        use_memo(
            (s.program.compiled.clone(), s.program.values(), s.wrt, s.out),
            move |_| {
                sketch
                    .zip(programs)
                    .and_then(|(sk, p)| s.session_with(&sk, &p))
                    .map(Shared::new)
            },
        )
    };
    // A numpy program: the graph at array granularity; a new seed reuses what does not depend on it.
    let last = use_mut_ref(|| None::<Rc<Option<Result<ArraySession, String>>>>);
    let arrays = {
        let s = (*state).clone();
        let last = last.clone();
        use_memo(
            (
                s.program.traced.clone(),
                s.program.compiled.is_some(),
                s.wrt,
            ),
            move |_| {
                let previous = last.borrow().clone();
                s.array_session_after(previous.as_deref().and_then(|p| p.as_ref()?.as_ref().ok()))
            },
        )
    };
    *last.borrow_mut() = Some(arrays.clone());
    let shared: super::graph_arrays::Arrays = Shared(arrays.clone());
    let array = arrays.as_ref().as_ref().and_then(|r| r.as_ref().ok());
    // In practice mode the number the step computes stays hidden until it is answered.
    let open = state.practice.open(state.step);
    let practice = state.practice.on.then_some(open);
    let view: Option<Shared<StepView>> = {
        let session = (*session).clone();
        let memo = use_memo(
            (session.clone(), state.mode, state.step, practice),
            move |&(_, mode, step, practice)| {
                session.map(|s| Shared::new(s.practice_view(mode, step, practice)))
            },
        );
        (*memo).clone()
    };
    let answer = use_node_ref();
    {
        let answer = answer.clone();
        crate::ui::components::use_change(
            state.step,
            Box::new(move |_| {
                if let Some(i) = answer.cast::<HtmlInputElement>() {
                    i.set_value("");
                }
                None
            }),
        );
    }

    let d = state.dispatcher();
    let stepper = use_stepper(
        state.step,
        state.total(),
        d.reform_action(|s: Step| match s {
            Step::Next => GraphAction::Next,
            Step::Prev => GraphAction::Prev,
            Step::Reset => GraphAction::Reset,
            Step::End => GraphAction::End,
            Step::To(k) => GraphAction::Step(k),
        }),
    );

    let program = &state.program;
    let graph = program.graph();
    let mode = state.mode;
    // The question this step asks in practice mode, of the scalar graph or of the array graph.
    let question = state
        .practice
        .on
        .then(|| {
            (*session)
                .as_ref()
                .and_then(|s| s.question(mode, state.step))
                .or_else(|| array.and_then(|a| a.question(mode, state.step)))
        })
        .flatten();
    // A verdict that appears below the fold is scrolled into view: the answer field sits low on a projector.
    use_effect_with(
        (state.practice.asked, state.practice.verdict.clone()),
        |(_, verdict)| {
            if verdict.is_some() {
                crate::ui::dom::reveal("quiz-verdict");
            }
        },
    );
    // On a numpy program, the numbers the question's rule reads, shown beside it.
    let reads = array
        .zip(question.as_ref())
        .map(|(a, q)| super::graph_arrays::reads(a, mode, q))
        .unwrap_or_default();
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Each node is one elementary operation (v₁, v₂, … in evaluation order). \
                <strong class=\"fwd\">Forward mode</strong> carries a tangent — the derivative with respect to one \
                input — along with each value; <strong class=\"rev\">reverse mode</strong> stores every value, then \
                carries adjoints — derivatives of the output — backwards. Step with ← →.</p>") }
            <div class="two-col lab-top">
                <div class="col">
                    { program_panel(program, EXAMPLES, d.reform_action(GraphAction::Program), "Evaluate at") }
                </div>
                <div class="col">
                    { controls(&state, graph, array, &d, &stepper) }
                    <div class={format!("rule-panel mode-{}", mode.name())}
                        data-testid="step-rule">
                        { for view.iter().flat_map(|v| v.rule.iter()).map(|line| html! { <p>{ line }</p> }) }
                        if let Some(a) = array {
                            <p>{ a.narrate(mode, state.step) }</p>
                        }
                    </div>
                    if state.practice.on {
                        { practice_panel(&state.practice, state.exercise, question.clone(), open, array.is_some(), &d, &answer, reads) }
                    }
                    <p class="sr-only" aria-live="polite" data-testid="step-announce">
                        { view.as_ref().map(|v| v.announce.clone()).or_else(|| array.map(|a| match question.as_ref().filter(|_| open) {
                            Some(q) => format!("Step {}: your turn, type {}, shape {}.", state.step, q.name, fmt_shape(&q.answer.shape)),
                            None => a.narrate(mode, state.step),
                        })).unwrap_or_default() }
                    </p>
                </div>
            </div>
            { match (&*session, &view) {
                _ if array.is_some() => html! {
                    <>
                        { super::graph_arrays::array_lab(&shared, mode, state.step, question.as_ref().filter(|_| open)) }
                        if !super::is_embedded() {
                            { array_export_row(arrays.clone(), export::stem(&state)) }
                        }
                    </>
                },
                _ if graph.is_none() && arrays.is_some() => html! {
                    <p class="warning" role="status">{ arrays.as_ref().as_ref().and_then(|r| r.as_ref().err()).cloned().unwrap_or_default() }</p>
                },
                (Some(s), Some(v)) => html! {
                    <>
                        if let Some(d) = &s.domain {
                            <p class="warning" role="status">{ "Not a finite number: " }{ d }</p>
                        }
                        <GraphView session={s.clone()} view={v.clone()} {mode} presenting={super::is_embedded()} />
                        <div class="two-col lab-bottom">
                            <div class="col" data-part="trace">
                                <h2>{ "Evaluation trace" }</h2>
                                <TraceTable session={s.clone()} view={v.clone()} {mode} />
                            </div>
                            <div class="col">
                                { memory_panel(s, v, mode) }
                                { code_view(s, mode) }
                            </div>
                        </div>
                        { cost_panel(s) }
                        if !super::is_embedded() {
                            { export_row(s, export::stem(&state)) }
                        }
                    </>
                },
                _ if graph.is_none() && state.traced().is_none() => html! { <p class="hint">{ "The graph appears once the program is complete." }</p> },
                _ if graph.is_none() => html! { <p class="hint">{ "Enter a number or an array for every input to see the graph's values." }</p> },
                _ => html! { <p class="hint">{ "Enter a number for every input to see the graph's values." }</p> },
            } }
        </>
    }
}

fn controls(
    state: &GraphState,
    graph: Option<&Graph>,
    array: Option<&crate::lab::graph::arrays::ArraySession>,
    d: &UseReducerDispatcher<Model<GraphState>>,
    stepper: &Stepper,
) -> Html {
    let mode = state.mode;
    let pressed = |on: bool| if on { "true" } else { "false" };
    let inputs = graph.map(|g| g.inputs.clone()).unwrap_or_default();
    let outputs = graph.map_or(0, |g| g.outputs.len());
    html! {
        <div class="controls">
            <div class="control-row">
                <div class="control-row" role="group" aria-label="Mode">
                    <button type="button" class="mode fwd" data-testid="mode-forward" aria-pressed={pressed(mode == Mode::Forward)}
                        onclick={d.on_click(GraphAction::Mode(Mode::Forward))}>{ "Forward mode" }</button>
                    <button type="button" class="mode rev" data-testid="mode-reverse" aria-pressed={pressed(mode == Mode::Reverse)}
                        onclick={d.on_click(GraphAction::Mode(Mode::Reverse))}>{ "Reverse mode" }</button>
                </div>
                // Not on a lecture slide: the slide shows the lecture's steps (and keeps its room for them).
                if !super::is_embedded() {
                    <button type="button" class="mode" data-testid="quiz-toggle" aria-pressed={pressed(state.practice.on)}
                        onclick={d.on_click(GraphAction::Quiz(!state.practice.on))}>{ "Practice" }</button>
                }
            </div>
            if let Some(a) = array {
                <div class="control-row seeds field">
                    <label for="wrt-select">{ "Forward seed: ∂/∂" }</label>
                    <select id="wrt-select" data-testid="wrt-select" onchange={d.reform_action(|e: Event| {
                        let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                        GraphAction::Wrt(v.parse().unwrap_or(0))
                    })}>
                        { super::graph_arrays::seed_options(a) }
                    </select>
                </div>
            }
            if array.is_none() {
            <div class="control-row seeds" role="group" aria-label="Seed">
                <span class="hint">{ "Forward seed:" }</span>
                { for inputs.iter().enumerate().map(|(i, input)| html! {
                    <button type="button" class="small" data-testid={format!("wrt-{}", input.name)}
                        aria-pressed={pressed(state.wrt == i)} title={format!("Differentiate with respect to {}", input.name)}
                        onclick={d.on_click(GraphAction::Wrt(i))}>{ format!("∂/∂{}", input.name) }</button>
                }) }
                if outputs > 1 {
                    <span class="hint">{ "Reverse seed:" }</span>
                    { for (0..outputs).map(|k| html! {
                        <button type="button" class="small" data-testid={format!("out-{}", k + 1)}
                            aria-pressed={pressed(state.out == k)} onclick={d.on_click(GraphAction::Out(k))}>
                            { format!("f{}", k + 1) }
                        </button>
                    }) }
                }
            </div>
            }
            { step_controls(stepper) }
        </div>
    }
}

/// The trace, the graph and the programs as files for a course's own material, made when a button is pressed (one
/// handler for the row: the buttons are plain markup). The drawings are offered when the page draws the graph.
fn export_row(s: &Shared<Session>, stem: String) -> Html {
    let session = s.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.get_attribute("data-testid"));
        let (ext, text) = match id.as_deref() {
            Some("export-csv") => ("csv", export::csv(&session)),
            Some("export-latex") => ("tex", export::latex(&session)),
            Some("export-tikz") => ("tikz.tex", export::tikz(&session)),
            Some("export-svg") => ("svg", export::svg(&session)),
            Some("export-py") => ("py", export::python(&session)),
            _ => return,
        };
        crate::ui::dom::download_text(&(stem.clone() + "." + ext), &text);
    });
    let button = |id: &str, label: &str| {
        "<button type=\"button\" class=\"small\" data-testid=\"export-".to_string()
            + id
            + "\">"
            + label
            + "</button>"
    };
    let mut row = "<span class=\"hint\">Download:</span>".to_string()
        + &button("csv", "Trace as CSV")
        + &button("latex", "Trace as LaTeX");
    if s.sketch.layout.is_ok() {
        row += &button("tikz", "Graph as TikZ");
        row += &button("svg", "Graph as SVG");
    }
    row += &button("py", "Programs as Python");
    html! {
        <div class="control-row export-row" data-part="export" {onclick}>{ raw(row) }</div>
    }
}

/// A numpy program's trace, graph and programs as files: the trace as CSV (each value, tangent and adjoint a numpy
/// literal) and as LaTeX (small arrays as matrices), the graph as TikZ and SVG when it is drawn, the program with its
/// derivative programs as a Python file.
fn array_export_row<
    T: AsRef<Option<Result<crate::lab::graph::arrays::ArraySession, String>>> + 'static,
>(
    arrays: T,
    stem: String,
) -> Html {
    let drawn = matches!(arrays.as_ref(), Some(Ok(a)) if a.layout.is_ok());
    let onclick = Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(Ok(a)) = arrays.as_ref() else { return };
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.get_attribute("data-testid"));
        let (ext, text) = match id.as_deref() {
            Some("export-csv") => ("csv", export::array_csv(a)),
            Some("export-latex") => ("tex", export::array_latex(a)),
            Some("export-tikz") => ("tikz.tex", export::array_tikz(a)),
            Some("export-svg") => ("svg", export::array_svg(a)),
            Some("export-py") => ("py", export::array_python(a)),
            _ => return,
        };
        crate::ui::dom::download_text(&(stem.clone() + "." + ext), &text);
    });
    html! {
        <div class="control-row export-row" data-part="export" {onclick}>
            { markup("<span class=\"hint\">Download:</span><button type=\"button\" class=\"small\" data-testid=\"export-csv\">\
                Trace as CSV</button><button type=\"button\" class=\"small\" data-testid=\"export-latex\">Trace as LaTeX</button>") }
            if drawn {
                { markup("<button type=\"button\" class=\"small\" data-testid=\"export-tikz\">Graph as TikZ</button>\
                    <button type=\"button\" class=\"small\" data-testid=\"export-svg\">Graph as SVG</button>") }
            }
            { markup("<button type=\"button\" class=\"small\" data-testid=\"export-py\">Programs as Python</button>") }
        </div>
    }
}

/// Practice mode: the question this step asks, the verdict on the last answer, the score.
fn practice_panel(
    p: &Practice,
    exercise: Option<(u32, u32)>,
    q: Option<Question>,
    open: bool,
    arrays: bool,
    d: &UseReducerDispatcher<Model<GraphState>>,
    answer: &NodeRef,
    reads: Html,
) -> Html {
    let verdict = p.verdict.as_ref().map_or(String::new(), |(right, text)| {
        format!(
            "<p class=\"verdict\" data-testid=\"quiz-verdict\" data-correct=\"{right}\">{}</p>",
            esc(text)
        )
    });
    let score = raw(format!(
        "<p class=\"hint\">Right first time / asked: <strong data-testid=\"quiz-score\">{} / {}</strong></p>",
        p.right, p.asked
    ));
    let form = match q.filter(|_| open) {
        Some(q) => {
            let submit = {
                let (d, q, answer) = (d.clone(), q.clone(), answer.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let text = answer.cast::<HtmlInputElement>().map(|i| i.value());
                    d.dispatch(GraphAction::Answer(Some(text.unwrap_or_default()), q.clone()));
                })
            };
            html! {
                <form class="quiz-form" onsubmit={submit}>
                    <label for="quiz-answer">{ format!("{} =", q.name) }</label>
                    <input id="quiz-answer" data-testid="quiz-answer" ref={answer.clone()} autocomplete="off" spellcheck="false"
                        placeholder={(!q.answer.shape.is_empty()).then(|| example_of(&q.answer.shape))}
                        aria-describedby={(!q.answer.shape.is_empty()).then_some("quiz-shape")} />
                    <button type="submit" data-testid="quiz-submit">{ "Check" }</button>
                    <button type="button" data-testid="quiz-reveal" onclick={d.on_click(GraphAction::Answer(None, q.clone()))}>{ "Reveal" }</button>
                    if !q.answer.shape.is_empty() {
                        <p class="hint" id="quiz-shape">{ format!("An array of shape {}: type it as numpy prints it, a nested list such as {}.", fmt_shape(&q.answer.shape), example_of(&q.answer.shape)) }</p>
                    }
                </form>
            }
        }
        None if arrays => raw(format!("<p class=\"hint\">Step with →: each operation's tangent, and each adjoint of the \
            backward sweep, is yours to compute (arrays of up to {} numbers).</p>", crate::lab::graph::MAX_ASKED)),
        None => markup("<p class=\"hint\">Step with →: each tangent, and each adjoint of the backward sweep, is yours to compute.</p>"),
    };
    let (set, current) = exercise.unwrap_or((1, 0));
    let said = exercise.map_or(String::new(), |(set, ex)| {
        format!(
            "<p class=\"hint\" data-testid=\"quiz-exercise\">Exercise {ex} of set {set}: {}.</p>",
            KINDS[ex as usize - 1]
        )
    });
    html! {
        <div class="quiz" data-testid="quiz-panel">
            <div class="control-row" role="group" aria-label="Exercises">
                <span class="hint">{ format!("Exercises, set {set}:") }</span>
                { for (1..=KINDS.len() as u32).map(|k| html! {
                    <button type="button" class="small" data-testid={format!("quiz-ex-{k}")} aria-pressed={(k == current).to_string()}
                        title={KINDS[k as usize - 1]} onclick={d.on_click(GraphAction::Exercise(set, k))}>{ k }</button>
                }) }
                <button type="button" class="small" data-testid="quiz-set-next" onclick={d.on_click(GraphAction::Exercise(set + 1, 1))}>{ "Next set" }</button>
            </div>
            { raw(said) }
            { reads }
            { form }
            <div role="status">{ raw(verdict) }</div>
            { score }
        </div>
    }
}

/// A nested list of the shape, for the answer field's example: `[[a, b], [c, d]]`.
fn example_of(shape: &[usize]) -> String {
    let n: usize = shape.iter().product();
    let letters: Vec<f64> = (1..=n).map(|i| i as f64).collect();
    crate::lab::graph::show(&crate::base::array::Array::new(shape.to_vec(), letters))
}

fn memory_panel(s: &Session, v: &StepView, mode: Mode) -> Html {
    let g = s.graph();
    raw(match mode {
        Mode::Forward => "<div class=\"memory\" data-testid=\"memory-panel\" data-part=\"memory\"><h2>Memory</h2><p>Forward mode keeps only \
            what it is computing: each tangent is computed together with its value, so nothing has to be stored for later. \
            But one pass gives the derivative with respect to one input only.</p></div>"
            .to_string(),
        Mode::Reverse => {
            const SHOWN: usize = 120;
            let mut cells: String = g
                .ids()
                .take(v.stored.min(SHOWN))
                .map(|id| {
                    let class = if v.read.contains(&id) { "cell read" } else { "cell" };
                    format!("<span class=\"{class}\">{}</span>", esc(&g.label(id)))
                })
                .collect();
            if v.stored > SHOWN {
                cells.push_str(&format!("<span class=\"cell more\">+{}</span>", v.stored - SHOWN));
            }
            format!(
                "<div class=\"memory\" data-testid=\"memory-panel\" data-part=\"memory\"><h2>Memory</h2><p>Stored for the backward sweep: \
                 <strong data-testid=\"memory-count\" data-value=\"{n}\">{}</strong> value{} = <strong \
                 data-testid=\"memory-bytes\" data-value=\"{b}\">{}</strong> bytes (8 per f64).</p>\
                 <div class=\"tape\" aria-hidden=\"true\">{cells}</div><p class=\"hint\">Reverse mode needs memory: every \
                 intermediate value is kept until the backward sweep reads it (highlighted: the values this step reads).</p></div>",
                fmt_count(v.stored as u64),
                if v.stored == 1 { "" } else { "s" },
                fmt_count(8 * v.stored as u64),
                n = v.stored,
                b = 8 * v.stored,
            )
        }
    })
}

fn code_view(s: &Session, mode: Mode) -> Html {
    let title = match mode {
        Mode::Forward => "Forward-mode program",
        Mode::Reverse => "Reverse-mode program",
    };
    let code = s.code(mode);
    let text = match code {
        Ok(c) => c.text.clone(),
        Err(e) => format!("# {e}"),
    };
    let check = s.code_check(mode).map_or(String::new(), |c| {
        let said = match &c.returned {
            Ok(values) => {
                let list: Vec<String> = values.iter().map(|x| num_str(*x, None, None)).collect();
                let verdict = if c.matches {
                    " — the same as the trace."
                } else if c.zero_times_infinity {
                    " — not the trace's numbers, only because plain arithmetic makes 0·∞ = NaN where AD takes a zero \
                     factor as contributing nothing (run with that rule, the program gives the trace's numbers)."
                } else if c.overflow {
                    " — not the trace's numbers, only because terms of this sweep overflow f64: plain arithmetic then \
                     gives ∞ − ∞ = NaN or loses a term, where AD Lab's engines carry a wider exponent (see the note on \
                     overflow above)."
                } else {
                    " — not the trace's numbers."
                };
                format!("Run by AD Lab at the same inputs, it returns {}{verdict}", list.join(", "))
            }
            Err(e) => format!("It does not run: {}", esc(e)),
        };
        format!(
            "<p class=\"hint\" data-testid=\"code-check\" data-match=\"{}\" data-zero-times-infinity=\"{}\" \
             data-overflow=\"{}\">{said}</p>",
            c.matches, c.zero_times_infinity, c.overflow
        )
    });
    // Two pieces of markup: the program stays the same while the inputs change, only the verdict is redrawn.
    html! {
        <div class="code-panel" data-part="code">
            { raw(format!(
                "<h2>{title}</h2><pre class=\"code\" data-testid=\"code-view\" tabindex=\"0\" aria-label=\"{title}\">{}</pre>",
                esc(&text)
            )) }
            { raw(check) }
        </div>
    }
}

fn cost_panel(s: &Session) -> Html {
    let g = s.graph();
    let (n, m) = (g.inputs.len(), g.outputs.len());
    if n == 0 {
        return html! {};
    }
    let heads = crate::ui::components::math::d_dx_heads(g.inputs.iter().map(|i| i.name.as_str()));
    let matrix = |j: &Vec<Vec<f64>>, id: &str| {
        let rows: String = j
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let cells: String = row
                    .iter()
                    .map(|x| format!("<td>{}</td>", num_str(*x, None, Some(6))))
                    .collect();
                let name = if m == 1 {
                    "f".to_string()
                } else {
                    format!("f{}", r + 1)
                };
                format!("<tr><th scope=\"row\">{name}</th>{cells}</tr>")
            })
            .collect();
        format!(
            "<table class=\"jacobian\" data-testid=\"{id}\"><thead><tr><th></th>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        )
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
    let es = |k: usize| if k == 1 { "" } else { "es" };
    raw(format!(
        "<div class=\"cost-panel\" data-testid=\"cost-panel\" data-part=\"cost\"><h2>The whole Jacobian: cost of each \
         mode</h2><p>{verdict}</p><div class=\"jacobians\"><div><h3>Forward mode: {n} pass{} (one per input)</h3>{}</div>\
         <div><h3>Reverse mode: {m} pass{} (one per output)</h3>{}</div></div></div>",
        es(n),
        matrix(&s.jacobian_forward, "jacobian-forward"),
        es(m),
        matrix(&s.jacobian_reverse, "jacobian-reverse"),
    ))
}

fn sup(k: usize) -> String {
    if k == 1 {
        String::new()
    } else {
        crate::base::num::superscript_int(k as i64)
    }
}
