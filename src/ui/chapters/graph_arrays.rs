//! `#/graph` on a numpy program: the graph at array granularity — a node per numpy operation with its shape — drawn
//! as markup, the step's node with its value and its tangent or adjoint as small matrices, and what each mode costs.
//!
//! Contract hooks: each node a `graph-node` with `data-node="v3"` and `data-shape="3x2"` (empty for a number); the
//! active node's numbers in `array-value`, `array-tangent`, `array-adjoint` (JSON in `data-value`).

use yew::prelude::*;

use crate::base::array::fmt_shape;
use crate::base::array::Array;
use crate::base::num::{fmt_count, fmt_full, fmt_sig};
use crate::lab::graph::arrays::{ArraySession, CodeRun};
use crate::lab::graph::{Mode, Question};
use crate::lab::Shared;
use crate::lang::agraph::AOpNode;
use crate::layout::{NODE_H, NODE_W};
use crate::ui::components::graph_view::{c, path, ARROW};
use crate::ui::components::{array_table, class_list, esc, json, raw, use_row_window};

/// The drawing, the step's node with its numbers, the costs of both modes, the evaluation trace and the derivative
/// program. In practice mode, `asked` is the step's open question: the number it asks for stays hidden until it is
/// answered.
pub fn array_lab(arrays: &Arrays, mode: Mode, step: usize, asked: Option<&Question>) -> Html {
    let Some(Ok(s)) = &*arrays.0 else {
        return Html::default();
    };
    let g = s.graph();
    let at = s.at(mode, step);
    let hidden = asked.is_some();
    let your_turn = asked.map_or(String::new(), |q| {
        format!(
            "<p class=\"your-turn\" data-testid=\"array-your-turn\">Your turn: {} = ? <span class=\"shape\">{}</span></p>",
            esc(&q.name),
            fmt_shape(&q.answer.shape)
        )
    });
    let hint = "<p class=\"hint\">A numpy program, drawn at array granularity: a node per numpy operation, with its \
                shape; the step's node shows its numbers below the drawing.</p>";
    let drawing = html! { <ArrayDrawing arrays={arrays.clone()} {mode} {step} /> };
    // The step's node: its value, and its tangent or adjoint once known.
    // Its own piece of markup, rewritten at each step; the costs, the trace's rows and the program's code are pieces
    // of their own that a step leaves alone (the code is made once per session and mode, by `ArrayCode`).
    let mut o = String::from("<div class=\"col\" data-testid=\"array-node\">");
    match at.active {
        Some(k) => {
            let node = &g.nodes[k];
            let c = s.costs[k];
            o += &format!(
                "<h2>v{k} = {} <span class=\"shape\">{}</span></h2><h3>Its value</h3>{}",
                esc(&s.labels[k]),
                fmt_shape(&node.shape),
                array_table(&s.values[k], "array-value", &format!("the value of v{k}"))
            );
            match (mode, at.backward) {
                _ if hidden => o += &your_turn,
                (Mode::Forward, _) => {
                    o += &format!(
                        "<h3>Its tangent, ∂v{k}/∂{}</h3>{}",
                        esc(&s.wrt_name),
                        array_table(&s.tangents[k], "array-tangent", &format!("the tangent of v{k}"))
                    )
                }
                (Mode::Reverse, true) => match &s.adjoints[k] {
                    Some(a) => {
                        o += &format!(
                            "<h3>Its adjoint, ∂f/∂v{k}</h3>{}",
                            array_table(a, "array-adjoint", &format!("the adjoint of v{k}"))
                        )
                    }
                    None => o.push_str(
                        "<p class=\"hint\">No path from an input to the output passes here: no adjoint.</p>",
                    ),
                },
                (Mode::Reverse, false) => {}
            }
            if matches!(node.op, AOpNode::Prim(..)) {
                o += &format!(
                    "<p class=\"cost\">Its JVP takes {} multiplications, its VJP {}; reverse mode keeps {} bytes for \
                     it.</p>",
                    fmt_count(c.jvp),
                    fmt_count(c.vjp),
                    fmt_count(c.kept)
                );
            }
        }
        None => o.push_str("<p class=\"hint\">Step with → to compute the first node.</p>"),
    }
    // What each mode costs on this program: Example 0's point, read off any program.
    let t = s.totals();
    let n = s.numbers() as u64;
    o.push_str("</div>");
    let costs = format!(
        "<div class=\"col cost-panel\" data-testid=\"array-costs\"><h2>What each mode costs here</h2><table \
         class=\"numbers\"><tr><th scope=\"row\">one forward pass (every node's JVP)</th><td>{}</td></tr><tr><th \
         scope=\"row\">the whole gradient by forward mode ({} passes, one per input number)</th><td \
         data-testid=\"array-cost-forward\" data-value=\"{}\">{}</td></tr><tr><th scope=\"row\">the whole gradient by \
         reverse mode (one backward pass, every VJP)</th><td data-testid=\"array-cost-reverse\" \
         data-value=\"{}\">{}</td></tr><tr><th scope=\"row\">bytes reverse mode keeps</th><td>{}</td></tr></table><p \
         class=\"hint\">Multiplications, counted from each operation's shapes. Forward mode pays its pass once per \
         input number; reverse mode pays the backward pass once, and the memory of the values it keeps.</p></div>",
        fmt_count(t.jvp),
        fmt_count(n),
        n * t.jvp,
        fmt_count(n * t.jvp),
        t.vjp,
        fmt_count(t.vjp),
        fmt_count(t.kept)
    );
    html! {
        <>
            { raw(hint.to_string()) }
            { drawing }
            <div class="two-col lab-bottom">
                { raw(o) }
                { raw(costs) }
            </div>
            <ArrayTrace arrays={arrays.clone()} {mode} {step} {hidden} />
            <ArrayCode arrays={arrays.clone()} {mode} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DrawingProps {
    arrays: Arrays,
    mode: Mode,
    step: usize,
}

/// The graph at array granularity. Its edges' paths and its nodes' places are written once per session (a loop
/// unrolled routes long edges through hundreds of points); a step writes each node and edge's markup again from them,
/// and Yew leaves alone those whose text has not changed.
#[component]
fn ArrayDrawing(p: &DrawingProps) -> Html {
    // Keyed by the layout itself: an edit that keeps the graph's structure keeps its layout, and these.
    let layout = match &*p.arrays.0 {
        Some(Ok(s)) => Some(Shared(s.layout.clone())),
        _ => None,
    };
    let fixed = use_memo(layout, |layout| match layout.as_ref().map(|l| &*l.0) {
        Some(Ok(l)) => (
            l.edges
                .iter()
                .map(|e| path(&e.points))
                .collect::<Vec<String>>(),
            l.pos
                .iter()
                .map(|&(x, y)| {
                    format!(
                        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                        c(x - NODE_W / 2.0),
                        c(y - NODE_H / 2.0),
                        fmt_full(NODE_W),
                        fmt_full(NODE_H)
                    )
                })
                .collect::<Vec<String>>(),
        ),
        _ => (Vec::new(), Vec::new()),
    });
    let (paths, places) = &*fixed;
    let Some(Ok(s)) = &*p.arrays.0 else {
        return Html::default();
    };
    let (g, mode) = (s.graph(), p.mode);
    let at = s.at(mode, p.step);
    // The drawing: edges and nodes as markup by blocks, so that a step re-parses only the one or two blocks whose
    // looks change (Yew compares each block's text with the last render's and leaves the same ones alone).
    match &*s.layout {
        Ok(l) => {
            let (w, h) = (fmt_full(l.width.ceil()), fmt_full(l.height.ceil()));
            let edges = l.edges.iter().zip(paths.iter()).map(|(e, d)| {
                let (from, to) = (s.order[e.from.index()], s.order[e.to.index()]);
                let hot =
                    at.active == Some(to) && !at.backward || at.active == Some(from) && at.backward;
                let class = match (hot, e.to.index() < at.valued) {
                    (true, _) => "edge hot",
                    (false, true) => "edge valued",
                    (false, false) => "edge",
                };
                format!("<g class=\"{class}\"><path d=\"{d}\" marker-end=\"url(#arrow)\"/></g>")
            });
            let nodes = (0..l.pos.len()).map(|i| {
                let k = s.order[i];
                let node = &g.nodes[k];
                let active = at.active == Some(k);
                let class = class_list(&[
                    ("node", true),
                    ("input", matches!(node.op, AOpNode::Input(_))),
                    ("output", g.outputs.iter().any(|p| p.index() == k)),
                    ("active", active),
                    ("computed", i < at.valued),
                    ("read", at.backward && i >= at.adjoint_from),
                ]);
                let shape: Vec<String> = node.shape.iter().map(|n| n.to_string()).collect();
                let pos = &places[i];
                format!(
                    "<g class=\"{class}\" data-testid=\"graph-node\" data-node=\"v{k}\" data-shape=\"{}\"{}><rect {pos} \
                     rx=\"10\"/><foreignObject {pos}><div xmlns=\"http://www.w3.org/1999/xhtml\" class=\"node-text\"><div>\
                     <b>v{k}</b> <span class=\"node-op\">{}</span></div><div class=\"node-shape\">{}</div></div>\
                     </foreignObject></g>",
                    shape.join("x"),
                    if active { " aria-current=\"step\"" } else { "" },
                    esc(&s.labels[k]),
                    if node.shape.is_empty() {
                        "a number".to_string()
                    } else {
                        shape.join(" × ")
                    }
                )
            });
            html! {
                <div class={format!("graph-view mode-{}", mode.name())}>
                    <div class="graph-scroll" tabindex="0" role="region" aria-label="The computational graph at array granularity">
                        <svg data-testid="graph" role="img" aria-label={format!("Computational graph with {} array operations", g.operations())}
                            viewBox={format!("0 0 {w} {h}")} width={w.clone()} height={h}>
                            { raw(ARROW.to_string()) }
                            <g class="edges">{ for blocks(edges) }</g>
                            <g class="nodes">{ for blocks(nodes) }</g>
                        </svg>
                    </div>
                </div>
            }
        }
        Err(why) => raw(format!("<p class=\"hint\">{}</p>", esc(why))),
    }
}

/// Pieces of markup by blocks of 16, each a piece of its own: a step changes a block or two (Yew compares each with
/// the last render's text), and a new drawing is parsed in a few dozen pieces rather than a thousand.
fn blocks(items: impl Iterator<Item = String>) -> impl Iterator<Item = Html> {
    let items: Vec<String> = items.collect();
    let blocks: Vec<Html> = items.chunks(16).map(|b| raw(b.concat())).collect();
    blocks.into_iter()
}

#[derive(Properties, PartialEq)]
struct ArrayCodeProps {
    arrays: Arrays,
    mode: Mode,
}

/// The mode's derivative program ([`array_code`]), made once per session and mode (a step does not change it), when
/// the typing pauses: 150 ms after the last edit, long after the frame that shows it (writing a network's program out
/// and running it again takes 5 ms, which a keystroke's frame has no room for). A component of its own, so that
/// showing it renders nothing else.
#[component]
fn ArrayCode(p: &ArrayCodeProps) -> Html {
    let key = (p.arrays.clone(), p.mode);
    let made = use_state(|| None::<((Arrays, Mode), Html)>);
    {
        let made = made.clone();
        let pending = use_mut_ref(|| None::<crate::ui::dom::Timeout>);
        use_effect_with(key.clone(), move |key| {
            let key = key.clone();
            *pending.borrow_mut() = match &*key.0 .0 {
                Some(Ok(_)) => Some(crate::ui::dom::Timeout::new(150, move || {
                    if let Some(Ok(a)) = &*key.0 .0 {
                        let html = array_code(a, key.1);
                        made.set(Some((key, html)));
                    }
                })),
                _ => None,
            };
        });
    }
    match &*made {
        Some((k, html)) if *k == key => html.clone(),
        _ => raw(
            "<div class=\"code-panel\" data-part=\"code\"><p class=\"hint\">Writing the derivative program out and \
             running it again…</p></div>"
                .to_string(),
        ),
    }
}

/// In practice mode, the numbers the step's rule reads (`v̄3`, `v2` for `v̄2 = v̄3 * v2 + v̄3 * v2`), beside the
/// question: what the student computes the answer from.
pub fn reads(s: &ArraySession, mode: Mode, q: &Question) -> Html {
    let mut o = String::from(
        "<div class=\"reads\" data-testid=\"array-reads\"><span class=\"hint\">Its rule reads</span>",
    );
    for (name, a) in s.reads(mode, q) {
        o += &format!(
            "<div class=\"read\"><span class=\"read-name\">{} =</span> {}</div>",
            esc(&name),
            array_table(a, "array-read", &name)
        );
    }
    raw(o + "</div>")
}

/// The mode's derivative program, written out and run again: forward mode's for the seed, reverse mode's for the
/// seed's input.
fn array_code(s: &ArraySession, mode: Mode) -> Html {
    let mut o = String::new();
    let (code, title, what) = match mode {
        Mode::Forward => (
            Some(s.forward_code()),
            "Forward mode, written out as a numpy program",
            "Each value's line, then its tangent's (one rule per line), returning the output's tangent along the seed.",
        ),
        Mode::Reverse => (
            s.code(),
            "Reverse mode, written out as a numpy program",
            "The forward pass, then one line per rule of the backward pass, returning the gradient of the seed's input.",
        ),
    };
    if let Some((_, CodeRun::NotWritten(why))) = code {
        o += &format!(
            "<p class=\"hint\" data-testid=\"code-check\">{}</p>",
            esc(why)
        );
    } else if let Some((text, run)) = code {
        let (matches, verdict) = match run {
            CodeRun::Ran { matches: true, worst } if *worst == 0.0 => {
                (true, "AD Lab ran it again: the same numbers as the engine's, to the last bit.".to_string())
            }
            CodeRun::Ran { matches: true, worst } => (
                true,
                format!(
                    "AD Lab ran it again: the engine's numbers, within {} (relative; sums in another order round \
                     apart).",
                    crate::base::num::fmt_sig(*worst, 2)
                ),
            ),
            CodeRun::Ran { .. } => (
                false,
                "AD Lab ran it again and it gives other numbers than the engine's.".to_string(),
            ),
            CodeRun::Failed(e) => (false, format!("AD Lab could not run it again: {e}")),
            CodeRun::NotWritten(why) => (false, why.clone()),
        };
        o += &format!(
            "<div class=\"code-panel\" data-part=\"code\"><h2>{title}</h2><p class=\"hint\">{what}</p><pre class=\"code\" \
             data-testid=\"code-view\" tabindex=\"0\" aria-label=\"{title}\">{}</pre><p class=\"hint\" \
             data-testid=\"code-check\" data-match=\"{matches}\">{}</p></div>",
            esc(text),
            esc(&verdict)
        );
    }
    if !s.scalar_output {
        o.push_str(
            "<p class=\"hint\">The function returns an array: reverse mode seeds every entry of it with 1 (the \
             gradient of their sum).</p>",
        );
    }
    raw(o)
}

#[derive(Properties, PartialEq)]
struct TraceProps {
    arrays: Arrays,
    mode: Mode,
    step: usize,
    hidden: bool,
}

/// The evaluation trace at array granularity: a row per node drawn — its operation, shape, value, tangent and adjoint
/// as far as the step has computed them (the step's own number hidden while practice asks for it). Each row is a
/// component of its own, so that a step renders only the rows whose looks it changes; a long trace draws the rows in
/// and around its view, as the scalar trace does.
#[component]
fn ArrayTrace(p: &TraceProps) -> Html {
    let (at, n) = match &*p.arrays.0 {
        Some(Ok(s)) => (Some(s.at(p.mode, p.step)), s.order.len()),
        _ => (None, 0),
    };
    let w = use_row_window(n, at.as_ref().and_then(|at| at.place));
    let (Some(Ok(s)), Some(at)) = (&*p.arrays.0, at) else {
        return Html::default();
    };
    let (mode, hidden) = (p.mode, p.hidden);
    let rows = (w.from..w.to).map(|i| {
        let k = s.order[i];
        let active = at.active == Some(k);
        let valued = i < at.valued;
        let look = RowLook {
            active,
            value: valued,
            tangent: mode == Mode::Forward && valued && !(active && hidden),
            adjoint: at.backward && i >= at.adjoint_from && !(active && hidden),
            index: i,
        };
        html! { <ArrayTraceRow key={k} arrays={p.arrays.clone()} {k} {look} /> }
    });
    let head = html! {
        <>
            <th scope="col">{ "node" }</th><th scope="col">{ "operation" }</th><th scope="col">{ "shape" }</th>
            <th scope="col">{ "value" }</th>
            <th scope="col" class="tangent-col">{ "tangent " }<span class="sub">{ format!("∂v/∂{}", s.wrt_name) }</span></th>
            <th scope="col" class="adjoint-col">{ "adjoint " }<span class="sub">{ "∂f/∂v" }</span></th>
        </>
    };
    html! {
        <div class="trace-part" data-part="trace">
            <h2>{ "Evaluation trace" }</h2>
            { w.table(format!("trace mode-{}", mode.name()), "array-trace", 6, head, rows) }
        </div>
    }
}

/// A numpy program's graph lab, shared: components compare it by identity.
pub type Arrays = Shared<Option<Result<ArraySession, String>>>;

/// Which of a trace row's numbers a step shows.
#[derive(Clone, Copy, PartialEq)]
struct RowLook {
    active: bool,
    value: bool,
    tangent: bool,
    adjoint: bool,
    /// The row's place in the trace (in evaluation order).
    index: usize,
}

#[derive(Properties, PartialEq)]
struct RowProps {
    arrays: Arrays,
    k: usize,
    look: RowLook,
}

/// One node's row of the trace. Arrays of up to four numbers are written out, larger ones by their first three
/// (row-major); `data-value` has every number (JSON).
#[component]
fn ArrayTraceRow(p: &RowProps) -> Html {
    let Some(Ok(s)) = &*p.arrays.0 else {
        return Html::default();
    };
    let (k, look) = (p.k, p.look);
    let cell = |a: Option<&Array>, col: &'static str| match a {
        None => html! { <td data-col={col}></td> },
        Some(a) => {
            let text = match a.len() > 4 {
                false => crate::base::array::nested_list(a, &|x| fmt_sig(x, 4)),
                true => {
                    let first: Vec<String> = a.data[..3].iter().map(|&x| fmt_sig(x, 4)).collect();
                    format!("{}, …", first.join(", "))
                }
            };
            html! { <td data-col={col} data-value={json(&a.shape, &a.data)}>{ text }</td> }
        }
    };
    let shape = &s.graph().nodes[k].shape;
    html! {
        <tr data-node={format!("v{k}")} class={look.active.then_some("active")} aria-current={look.active.then_some("step")}
            aria-rowindex={(look.index + 2).to_string()}>
            <th scope="row">{ format!("v{k}") }</th>
            <td class="expr">{ s.labels[k].clone() }</td>
            <td>{ if shape.is_empty() { "—".to_string() } else { fmt_shape(shape) } }</td>
            { cell(look.value.then(|| &s.values[k]), "value") }
            { cell(look.tangent.then(|| &s.tangents[k]), "tangent") }
            { cell(look.adjoint.then(|| s.adjoints[k].as_ref()).flatten(), "adjoint") }
        </tr>
    }
}

/// The forward seed's choices, every input number by name, as the options of a select: one piece of markup that a
/// step leaves alone (a network's weights are hundreds of options).
pub fn seed_options(s: &ArraySession) -> Html {
    let mut o = String::new();
    for (i, name) in s.names.iter().enumerate() {
        o += &format!(
            "<option value=\"{i}\"{}>{}</option>",
            if i == s.wrt { " selected" } else { "" },
            esc(name)
        );
    }
    raw(o)
}
