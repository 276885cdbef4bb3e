//! `#/grad` — What is automatic differentiation?

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::array::{fmt_shape, Array};
use crate::base::num::{fmt_compact, fmt_count, fmt_full, fmt_python, fmt_sig};
use crate::lab::grad::{
    Agreement, ArrayResults, GradAction, GradResults, GradState, SecondOrder, Timing, EXAMPLES,
};
use crate::lab::Shared;
use crate::lang::compile::Compiled;
use crate::ui::components::{
    array_table, esc, json, markup, math, num_str, number_field, program_panel, raw, url_notice,
};
use crate::ui::dom;

#[component]
pub fn GradChapter(props: &ChapterProps) -> Html {
    let (state, notices) = use_chapter::<GradState>(&props.location);

    let results = {
        let s = (*state).clone();
        use_memo(
            (s.program.compiled.clone(), s.program.values(), s.h.value),
            move |_| s.results(),
        )
    };
    let arrays = {
        let s = (*state).clone();
        let usable: Vec<bool> = s
            .program
            .inputs
            .iter()
            .map(|f| f.problem().is_none())
            .collect();
        use_memo(
            (
                s.program.traced.clone(),
                s.program.compiled.is_some(),
                usable,
                s.h.value,
            ),
            move |_| s.array_results(),
        )
    };
    let d = state.dispatcher();
    let program = &state.program;
    html! {
        <>
            { url_notice(&notices.1) }
            { markup("<p class=\"lead\">Automatic differentiation (AD) computes the derivative of a function given as a \
                program. It breaks the program into elementary operations (+, ×, log, …), differentiates each one with \
                the rules you know, and chains the results — so the derivative is exact, not an approximation. Type a \
                function below: an expression such as <code>y * x**2</code>, or Python like the lecture's.</p>") }
            <div class="two-col">
                <div class="col">
                    { program_panel(program, EXAMPLES, d.reform_action(GradAction::Program), "Evaluate at") }
                    <div class="h-field" data-part="h">
                        { number_field("fd-h", "Finite-difference step h =", &state.h, d.reform_action(GradAction::H), |h| fmt_compact(*h)) }
                    </div>
                </div>
                <div class="col">
                    { match (results.as_ref(), arrays.as_ref()) {
                        (Some(r), _) => view_results(r, &program.values().unwrap_or_default(), state.h.value, program.error.is_some()),
                        (None, Some(Ok(r))) => {
                            let mut q = program.query();
                            q.push(("mode".into(), "reverse".into()));
                            view_arrays(r, state.h.value, program.error.is_some(), &crate::base::url::build("/graph", &q))
                        }
                        (None, Some(Err(e))) => raw(format!("<p class=\"warning\" role=\"status\">{}</p>", esc(e))),
                        (None, None) if program.compiled.is_none() && program.traced.is_some() => html! {
                            <p class="hint">{ "Enter a number or an array for every input to see the results." }</p>
                        },
                        (None, None) if program.compiled.is_none() => html! {
                            <p class="hint">{ "Results appear once the program is complete." }</p>
                        },
                        _ => html! { <p class="hint">{ "Enter a number for every input to see the results." }</p> },
                    } }
                    if let Some(r) = results.as_ref() {
                        <TimingPanel compiled={r.compiled.clone()} values={program.values().unwrap_or_default()} />
                    }
                </div>
            </div>
            if let Some(so) = results.as_ref().as_ref().and_then(|r| r.second_order.as_ref().map(|so| (r, so))) {
                { second_order(so.0, so.1) }
            }
            if let Some(Ok(r)) = arrays.as_ref().as_ref().filter(|_| results.is_none()) {
                { array_hessian(r) }
            }
        </>
    }
}

fn view_results(r: &GradResults, values: &[f64], h: f64, stale: bool) -> Html {
    let g = &r.compiled.graph;
    let call = values
        .iter()
        .map(|v| fmt_python(*v))
        .collect::<Vec<_>>()
        .join(", ");
    let names: Vec<&str> = g.inputs.iter().map(|i| i.name.as_str()).collect();
    let n = names.len();
    let f0 = r.outputs.first().copied().unwrap_or(f64::NAN);
    let multi = r.outputs.len() > 1;
    let mut o = format!(
        "<div class=\"results{}\" aria-live=\"polite\">",
        if stale { " stale" } else { "" }
    );
    if stale {
        o.push_str("<p class=\"hint\">Showing the last version of the program that worked.</p>");
    }
    o += &format!("<p class=\"big-result\">f({}) = ", esc(&names.join(", ")));
    if multi {
        let parts: Vec<String> = r
            .outputs
            .iter()
            .enumerate()
            .map(|(k, v)| num_str(*v, (k == 0).then_some("result-value"), None))
            .collect();
        o += &format!("({})", parts.join(", "));
    } else {
        o += &num_str(f0, Some("result-value"), None);
    }
    o.push_str("</p>");
    o += &warnings(r.domain.as_deref(), &g.notes);
    for note in r.derivative_notes.iter() {
        o += &format!(
            "<p class=\"warning\" data-testid=\"derivative-note\">{}</p>",
            esc(note)
        );
    }
    if multi {
        o += &format!(
            "<p class=\"hint\">f has {} outputs; the derivatives below are those of the first. The graph lab shows the \
             whole Jacobian.</p>",
            r.outputs.len()
        );
    }
    if n > 0 {
        o += &format!(
            "<div class=\"scroll-x\" tabindex=\"0\" role=\"region\" aria-label=\"The gradient, three ways\"><table \
             class=\"grad-table\"><caption>The gradient, three ways</caption><thead><tr><th scope=\"col\"></th>\
             <th scope=\"col\">reverse mode<br><small>1 backward pass</small></th><th scope=\"col\">forward mode<br>\
             <small>{n} pass{}</small></th><th scope=\"col\">forward difference<br><small>h = {}, {} evaluations</small>\
             </th><th scope=\"col\">its error<br><small>|difference − AD|</small></th></tr></thead><tbody>",
            if n == 1 { "" } else { "es" },
            fmt_compact(h),
            n + 1
        );
        for (j, name) in names.iter().enumerate() {
            let err = (r.fd[j] - r.reverse[j]).abs();
            o += &format!(
                "<tr><th scope=\"row\">{}</th><td data-label=\"reverse mode\">{}</td><td data-label=\"forward mode\">{}\
                 </td><td data-label=\"forward difference\">{}</td><td data-label=\"its error\">{}</td></tr>",
                math::partial("f", name),
                num_str(r.reverse[j], Some(&format!("result-grad-{name}")), None),
                num_str(r.forward[j], Some(&format!("result-fwd-{name}")), None),
                num_str(r.fd[j], Some(&format!("result-fd-{name}")), None),
                num_str(err, Some(&format!("result-fd-error-{name}")), Some(3)),
            );
        }
        o.push_str("</tbody></table></div>");
    }
    let mut console = format!(">>> f({call})\n{}\n", fmt_python(f0));
    if n == 1 && !multi {
        console += &format!(">>> grad(f)({call})\n{}", fmt_python(r.reverse[0]));
    }
    o += &format!(
        "<div class=\"console\" aria-label=\"The same in Python\"><pre>{}</pre></div><p class=\"cost\">The program \
         unrolls into {} elementary operation{} on {n} input{}. Reverse mode gets the whole gradient from one forward \
         and one backward sweep; forward mode needs one sweep per input ({n}); forward differences need {} evaluations \
         of f and are only approximate.</p></div>",
        esc(&console),
        fmt_count(g.intermediates() as u64),
        if g.intermediates() == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
        n + 1,
    );
    raw(o)
}

/// How close another way of computing the gradient came to reverse mode's (relative to max(1, |entry|)).
fn closeness(worst: f64) -> String {
    if worst == 0.0 {
        "agrees to the last bit".into()
    } else {
        format!("within {} of it", fmt_sig(worst, 2))
    }
}

/// A numpy program's results: its value, each input's gradient by reverse mode in the input's shape, forward mode
/// and forward differences compared with it.
fn view_arrays(r: &ArrayResults, h: f64, stale: bool, graph_link: &str) -> Html {
    let g = &r.traced.graph;
    let names: Vec<&str> = g.inputs.iter().map(|i| i.name.as_str()).collect();
    let mut o = format!(
        "<div class=\"results{}\" aria-live=\"polite\">",
        if stale { " stale" } else { "" }
    );
    if stale {
        o.push_str("<p class=\"hint\">Showing the last version of the program that worked.</p>");
    }
    o += &format!(
        "<p class=\"big-result\">f({}) = {}</p>",
        esc(&names.join(", ")),
        num_str(r.value, Some("result-value"), None)
    );
    o += &warnings(r.domain.as_deref(), &g.notes);
    let passes = r.numbers;
    for (k, i) in g.inputs.iter().enumerate() {
        let name = i.name.as_str();
        let shape = &g.nodes[i.node.index()].shape;
        let rev = &r.reverse[k];
        let mut line = String::new();
        let mut other = |what: &str, id: &str, a: &Option<Vec<Array>>| {
            if let (Some(a), Some(worst)) = (a, r.closeness(a, k)) {
                let a = &a[k];
                line += &format!(
                    "{what}: <span data-testid=\"{id}-{name}\" data-value=\"{}\">{}</span>. ",
                    esc(&json(&a.shape, &a.data)),
                    closeness(worst)
                );
            }
        };
        other("Forward mode", "result-fwd", &r.forward);
        other(
            &format!("Forward difference (h = {})", fmt_compact(h)),
            "result-fd",
            &r.fd,
        );
        o += &format!(
            "<div class=\"array-grad\"><h3>{} <span class=\"shape\" title=\"its shape\">{}</span></h3>{}<p class=\"hint\">{line}</p></div>",
            math::partial("f", name),
            fmt_shape(shape),
            array_table(rev, &format!("result-grad-{name}"), &format!("∂f/∂{name} by reverse mode"))
        );
    }
    if r.forward.is_none() {
        o += &format!(
            "<p class=\"hint\">Forward mode and differences are not run here: {} passes of {} multiplications each is over              the page's bound of {}.</p>",
            fmt_count(passes as u64),
            fmt_count(r.work),
            fmt_count(crate::lab::grad::MAX_PASSES_WORK)
        );
    }
    o += &format!(
        "<p class=\"cost\">numpy's operations are the graph's nodes: {} array operation{} on {} input number{}. Reverse mode gets every derivative from one forward and one backward sweep; forward mode needs one sweep per input number ({}); forward differences need {} evaluations of f and are only approximate.</p>",
        fmt_count(g.operations() as u64),
        if g.operations() == 1 { "" } else { "s" },
        fmt_count(passes as u64),
        if passes == 1 { "" } else { "s" },
        fmt_count(passes as u64),
        fmt_count(passes as u64 + 1),
    );
    o += &format!(
        "<p><a href=\"{}\" data-testid=\"grad-graph-link\">The same program as a graph of array operations, stepped \
         both ways, in the graph lab</a></p></div>",
        esc(graph_link)
    );
    raw(o)
}

/// A numpy program's Hessian (forward over reverse) as blocks ∂²f/∂a∂b, one per pair of inputs, with central
/// differences of the gradient beside it.
fn array_hessian(r: &ArrayResults) -> Html {
    let (Some(hm), Some(worst)) = (r.hessian.as_ref(), r.hessian_agreement()) else {
        return html! {};
    };
    let g = &r.traced.graph;
    let inputs: Vec<(&str, usize, usize)> = {
        let mut at = 0;
        g.inputs
            .iter()
            .map(|i| {
                let n = g.nodes[i.node.index()].shape.iter().product::<usize>();
                at += n;
                (i.name.as_str(), at - n, n)
            })
            .collect()
    };
    let heads = math::d_dx_heads(inputs.iter().map(|(n, ..)| *n));
    let rows: String = inputs
        .iter()
        .map(|&(a, ra, na)| {
            let cells: String = inputs
                .iter()
                .map(|&(b, cb, nb)| {
                    let block = Array::new(
                        vec![na, nb],
                        (0..na)
                            .flat_map(|i| (0..nb).map(move |j| (i, j)))
                            .map(|(i, j)| hm[ra + i][cb + j])
                            .collect(),
                    );
                    format!(
                        "<td>{}</td>",
                        array_table(&block, &format!("hess-{a}-{b}"), &format!("∂²f/∂{a}∂{b}"))
                    )
                })
                .collect();
            format!("<tr><th scope=\"row\">{}</th>{cells}</tr>", math::d_dx(a))
        })
        .collect();
    raw(format!(
        "<div class=\"second-order\" data-testid=\"second-order\" data-part=\"hessian\"><h2>Second order: the Hessian by \
         nested AD</h2><p>The reverse sweep run on dual numbers, once per input number ({}): forward mode over reverse \
         mode. Each block holds ∂²f/∂a∂b, a row per number of a and a column per number of b.</p><div class=\"scroll-x\" \
         tabindex=\"0\" role=\"region\" aria-label=\"Hessian blocks\"><table class=\"jacobian hessian blocks\" \
         data-testid=\"hessian\"><thead><tr><th></th>{heads}</tr></thead><tbody>{rows}</tbody></table></div><p \
         class=\"hint\" data-testid=\"hessian-check\">Checked by central differences of the gradient, with steps {}·max(1, \
         |xᵢ|): {}.</p></div>",
        r.numbers,
        sci(crate::lab::grad::SECOND_ORDER_STEP),
        if worst == 0.0 {
            "they agree to the last bit".to_string()
        } else {
            format!("by at most {} — differences are inexact, AD is not", fmt_sig(worst, 2))
        }
    ))
}

/// Where a NaN or infinity came from, and the program's notes.
fn warnings(domain: Option<&str>, notes: &[crate::lang::graph::Note]) -> String {
    let mut o = String::new();
    if let Some(d) = domain {
        o += &format!(
            "<p class=\"warning\" role=\"status\">Not a finite number: {}</p>",
            esc(d)
        );
    }
    for note in notes {
        o += &format!("<p class=\"warning\">Note: {}</p>", esc(&note.message));
    }
    o
}

/// What central differences of the gradient say about the Hessian (`entries` in all).
fn hessian_fd_check(a: &Agreement, step: f64, entries: usize) -> String {
    let steps = format!(
        "central differences of the gradient, with steps {}·max(1, |xᵢ|),",
        sci(step)
    );
    match a.not_compared {
        0 => format!(
            "{steps} by at most {} — differences are inexact, AD is not.",
            fmt_sig(a.fd, 2)
        ),
        k if k == entries => {
            format!(
                "{steps} cannot check it: differences of a NaN or infinite gradient mean nothing."
            )
        }
        1 => format!(
            "{steps} by at most {} (one entry is NaN or infinite and is not compared).",
            fmt_sig(a.fd, 2)
        ),
        k => format!(
            "{steps} by at most {} ({k} entries are NaN or infinite and are not compared).",
            fmt_sig(a.fd, 2)
        ),
    }
}

/// The Hessian of the first output (forward mode over reverse mode), with the two checks beside it.
fn second_order(r: &GradResults, so: &SecondOrder) -> Html {
    let g = &r.compiled.graph;
    let names: Vec<&str> = g.inputs.iter().map(|i| i.name.as_str()).collect();
    let agreement = so.agreement();
    let heads = math::d_dx_heads(names.iter().copied());
    let rows: String = names
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cells: String = names
                .iter()
                .enumerate()
                .map(|(j, b)| {
                    format!(
                        "<td>{}</td>",
                        num_str(so.matrix[i][j], Some(&format!("hess-{a}-{b}")), None)
                    )
                })
                .collect();
            format!("<tr><th scope=\"row\">{}</th>{cells}</tr>", math::d_dx(a))
        })
        .collect();
    let check = format!(
        "Checked two other ways: the diagonal by Taylor mode (a second-order forward pass along each input) {}{}; {}",
        if agreement.taylor == 0.0 {
            "agrees to the last bit".to_string()
        } else {
            format!(
                "differs by at most {} (relative)",
                fmt_sig(agreement.taylor, 2)
            )
        },
        match agreement.not_compared_taylor {
            0 => "",
            _ => " where the chain rule determines it (not at a kink, a pole or an underflow)",
        },
        hessian_fd_check(&agreement, so.fd_step, names.len() * names.len()),
    );
    raw(format!(
        "<div class=\"second-order\" data-testid=\"second-order\" data-part=\"hessian\"><h2>Second order: the Hessian by \
         nested AD</h2><p>Differentiate the gradient once more. The reverse sweep is run on dual numbers whose tangent is \
         a direction v: its adjoints are then ∇f and H·v together — forward mode over reverse mode. One such pass per \
         input gives the whole matrix <math><mi>H</mi><mo>=</mo><mo>[</mo><mfrac><mrow><msup><mo>∂</mo><mn>2</mn></msup>\
         <mi>f</mi></mrow><mrow><mo>∂</mo><mi>a</mi><mo>∂</mo><mi>b</mi></mrow></mfrac><mo>]</mo></math>.</p>\
         <div class=\"scroll-x\" tabindex=\"0\" role=\"region\" aria-label=\"Hessian matrix\"><table class=\"jacobian \
         hessian\" data-testid=\"hessian\"><thead><tr><th></th>{heads}</tr></thead><tbody>{rows}</tbody></table></div>\
         <p class=\"hint\" data-testid=\"hessian-check\">{check}</p></div>"
    ))
}

fn sci(x: f64) -> String {
    crate::figures::sci_label(x)
}

#[derive(Properties, PartialEq)]
struct TimingProps {
    compiled: Shared<Compiled>,
    values: Vec<f64>,
}

/// "About the same time to compute the gradient and the function", measured in this browser on this program: on a
/// button press (it takes a few tens of milliseconds), and by itself on a lecture slide.
#[component]
fn TimingPanel(props: &TimingProps) -> Html {
    let timing = use_state(|| None::<Timing>);
    let run = {
        let (timing, c, v) = (timing.clone(), props.compiled.clone(), props.values.clone());
        move || timing.set(Some(Timing::measure(&c.graph, &v, &dom::now, 20.0)))
    };
    {
        // A new program or point: the old figures no longer apply.
        let timing = timing.clone();
        use_effect_with((props.compiled.clone(), props.values.clone()), move |_| {
            timing.set(None)
        });
    }
    let auto = super::is_embedded();
    let pending = use_mut_ref(|| None::<dom::Timeout>);
    if auto && timing.is_none() && pending.borrow().is_none() {
        let (run, pending2) = (run.clone(), pending.clone());
        *pending.borrow_mut() = Some(dom::Timeout::new(300, move || {
            run();
            pending2.borrow_mut().take();
        }));
    }
    let onclick = Callback::from(move |_: MouseEvent| run());
    let ops = props.compiled.graph.intermediates();
    html! {
        <div class="timing" data-part="timing" data-testid="timing-panel">
            <h2>{ "What the gradient costs" }</h2>
            // The rows are there before the measurement (a slide being fitted keeps its size).
            { raw(match *timing {
                Some(t) => format!(
                    "<table class=\"numbers\"><tr><th scope=\"row\">f alone</th><td>{}</td></tr><tr><th scope=\"row\">f and its \
                     whole gradient, reverse mode</th><td>{}</td></tr><tr><th scope=\"row\">ratio</th><td>{}×</td></tr></table>",
                    time_str(t.f_ms, "timing-f"),
                    time_str(t.grad_ms, "timing-grad"),
                    num_str(t.ratio(), Some("timing-ratio"), Some(3))
                ),
                None => "<table class=\"numbers\"><tr><th scope=\"row\">f alone</th><td>–</td></tr><tr><th scope=\"row\">f and its \
                         whole gradient, reverse mode</th><td>–</td></tr><tr><th scope=\"row\">ratio</th><td>–</td></tr></table>"
                    .to_string(),
            }) }
            <p class="hint">{ format!(
                "Measured in this browser, over the program's {} elementary operations: the whole gradient costs a small \
                 constant times the function, whatever the number of inputs.",
                fmt_count(ops as u64)
            ) }</p>
            <button type="button" class="small" data-testid="timing-run" {onclick}>{ if timing.is_some() { "Measure again" } else { "Measure f against its gradient" } }</button>
        </div>
    }
}

/// A duration for reading: µs below a millisecond, 3 significant digits; the full value in `data-value` (ms).
fn time_str(ms: f64, id: &str) -> String {
    let text = if ms < 1.0 {
        format!("{} µs", fmt_sig(ms * 1e3, 3))
    } else {
        format!("{} ms", fmt_sig(ms, 3))
    };
    format!(
        "<span class=\"num\" data-testid=\"{id}\" data-value=\"{}\">{text}</span>",
        fmt_full(ms)
    )
}
