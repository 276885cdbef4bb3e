//! The evaluation trace as a table — one row per node (`tr[data-node]`), columns expression, primal, tangent and
//! adjoint (`td[data-col]`); a value not yet computed is an empty cell. The active row carries `aria-current="step"`.

use yew::prelude::*;

use crate::lab::graph::{Mode, Session, StepView};
use crate::lab::Shared;
use crate::ui::components::{class_list, num};

#[derive(Properties, PartialEq)]
pub struct TraceTableProps {
    pub session: Shared<Session>,
    pub view: Shared<StepView>,
    pub mode: Mode,
}

/// Tables longer than this show a window of rows around the active one.
const MAX_ROWS: usize = 400;

#[component]
pub fn TraceTable(props: &TraceTableProps) -> Html {
    let wrap = use_node_ref();
    let g = props.session.graph();
    let view = &props.view;
    // Keep the active row visible inside the table's own scroll area.
    {
        let wrap = wrap.clone();
        use_effect_with(view.active, move |_| {
            let Some(el) = wrap.cast::<web_sys::HtmlElement>() else {
                return;
            };
            let Ok(Some(row)) = el.query_selector("tr[aria-current=\"step\"]") else {
                return;
            };
            let Ok(row) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(row) else {
                return;
            };
            let (top, h) = (row.offset_top() as f64, row.offset_height() as f64);
            crate::ui::dom::scroll_y_into_view(&el, top, h);
        });
    }
    let n = g.len();
    let (from, to) = if n <= MAX_ROWS {
        (0, n)
    } else {
        let centre = view.active.map_or(0, |a| a.index());
        let from = centre.saturating_sub(MAX_ROWS / 2).min(n - MAX_ROWS);
        (from, from + MAX_ROWS)
    };
    let cell = |v: Option<f64>, col: &'static str| match v {
        Some(x) => html! { <td data-col={col}>{ num(x, None, None) }</td> },
        None => html! { <td data-col={col}></td> },
    };
    let rows = g.ids().skip(from).take(to - from).map(|id| {
        let label = g.label(id);
        let c = view.cells[id.index()];
        let active = view.active == Some(id);
        let expr = &props.session.sketch.ops[id.index()];
        html! {
            <tr key={id.0} data-node={label.clone()} aria-current={active.then_some("step")}
                class={class_list(&[("active", active), ("output", g.outputs.contains(&id))])}>
                <th scope="row">{ label }</th>
                <td data-col="expr" class="expr">{ expr }</td>
                { cell(c.primal, "primal") }
                { cell(c.tangent, "tangent") }
                { cell(c.adjoint, "adjoint") }
            </tr>
        }
    });
    let wrt = g
        .inputs
        .get(props.session.forward.wrt)
        .map_or("x".to_string(), |i| i.name.clone());
    html! {
        <div class="trace-wrap" ref={wrap} tabindex="0" role="region" aria-label="Evaluation trace">
            if n > MAX_ROWS {
                <p class="hint">{ format!("Rows {}–{} of {n}, following the active step.", from + 1, to) }</p>
            }
            <table class={format!("trace mode-{}", props.mode.name())}
                data-testid="trace-table">
                <thead>
                    <tr>
                        <th scope="col">{ "node" }</th>
                        <th scope="col">{ "operation" }</th>
                        <th scope="col">{ "primal " }<span class="sub">{ "value" }</span></th>
                        <th scope="col" class="tangent-col">{ "tangent " }<span class="sub">{ format!("∂v/∂{wrt}") }</span></th>
                        <th scope="col" class="adjoint-col">{ "adjoint " }<span class="sub">{ "∂f/∂v" }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
