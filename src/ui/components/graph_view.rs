//! The computational graph as SVG: nodes from the layout, edges as curves, the step's values on both.
//!
//! Contract hooks: the `<svg data-testid="graph">`, and each node a `<g data-testid="graph-node" data-node="v1">`;
//! the active node carries `aria-current="step"`.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::ad::graph::{NodeId, Op};
use crate::ad::trace::{bar, dot, op_expr};
use crate::lab::graph::{Mode, Session, StepView, MAX_DRAWN_NODES};
use crate::layout::{NODE_H, NODE_W};
use crate::num::{fmt_full, fmt_sig};
use crate::ui::dom;

#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    pub session: Rc<Session>,
    pub view: Rc<StepView>,
    pub mode: Mode,
}

const ZOOMS: [f64; 7] = [0.4, 0.55, 0.7, 0.85, 1.0, 1.25, 1.5];

/// A coordinate to one decimal, printed shortest (`12.5`, `40`).
fn c(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Bézier path through the points, leaving and entering horizontally.
fn path(points: &[(f64, f64)]) -> String {
    let mut d = format!("M{},{}", c(points[0].0), c(points[0].1));
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let k = (x1 - x0) * 0.5;
        d.push_str(&format!(
            " C{},{} {},{} {},{}",
            c(x0 + k),
            c(y0),
            c(x1 - k),
            c(y1),
            c(x1),
            c(y1)
        ));
    }
    d
}

#[component]
pub fn GraphView(props: &GraphViewProps) -> Html {
    let scroller = use_node_ref();
    let zoom = use_state(|| 4usize);
    let session = &props.session;
    let g = &session.graph;
    let scale = ZOOMS[*zoom];

    // A new graph starts at the largest zoom that fits the width (at least 70%; wider graphs scroll).
    {
        let zoom = zoom.clone();
        let scroller = scroller.clone();
        let width = session.layout.as_ref().map_or(0.0, |l| l.width + 50.0);
        use_effect_with(width as i64, move |_| {
            let avail = scroller
                .cast::<Element>()
                .map_or(900.0, |e| e.client_width() as f64);
            let fit = ZOOMS
                .iter()
                .rposition(|&z| width * z <= avail)
                .unwrap_or(0)
                .max(2);
            zoom.set(fit);
        });
    }

    // Keep the active node in view as the steps advance.
    {
        let scroller = scroller.clone();
        let target = props
            .view
            .active
            .zip(session.layout.as_ref())
            .map(|(a, l)| l.pos[a.index()]);
        use_effect_with(
            (target.map(|(x, y)| (x as i64, y as i64)), *zoom),
            move |_| {
                if let (Some(el), Some((x, y))) = (scroller.cast::<Element>(), target) {
                    dom::scroll_into_view(
                        &el,
                        (x - NODE_W / 2.0) * scale,
                        (y - NODE_H / 2.0) * scale,
                        NODE_W * scale,
                        NODE_H * scale,
                    );
                }
            },
        );
    }
    let Some(layout) = &session.layout else {
        return html! {
            <p class="hint" data-testid="graph-too-big">
                { format!("This graph has {} nodes; drawings stop at {MAX_DRAWN_NODES}. The trace table below still steps through every node.", g.len()) }
            </p>
        };
    };

    let view = &props.view;
    let is_hot =
        |from: NodeId, to: NodeId| view.hot_edges.iter().any(|&(a, b)| a == from && b == to);
    let edge_value = |from: NodeId, to: NodeId| -> Option<f64> {
        let vals: Vec<f64> = view
            .edge_values
            .iter()
            .filter(|e| e.0 == from && e.1 == to)
            .map(|e| e.2)
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let mode_class = match props.mode {
        Mode::Forward => "mode-forward",
        Mode::Reverse => "mode-reverse",
    };
    let edges = layout.edges.iter().map(|e| {
        let hot = is_hot(e.from, e.to);
        let value = edge_value(e.from, e.to);
        let n = e.points.len();
        let (ax, ay) = e.points[n - 2];
        let (bx, by) = e.points[n - 1];
        let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
        html! {
            <g class={classes!("edge", hot.then_some("hot"), value.is_some().then_some("valued"))}>
                <path d={path(&e.points)} marker-end="url(#arrow)" />
                if let Some(v) = value {
                    <text x={c(mx).to_string()} y={c(my - 6.0).to_string()} class="edge-value" text-anchor="middle"
                        data-value={fmt_full(v)}>{ fmt_sig(v, 4) }</text>
                }
            </g>
        }
    });
    let nodes = g.ids().map(|id| {
        let (x, y) = layout.pos[id.index()];
        let label = g.label(id);
        let cells = view.cells[id.index()];
        let active = view.active == Some(id);
        let is_input = matches!(g.node(id).op, Op::Input(_));
        let is_output = g.outputs.contains(&id);
        let read = view.read.contains(&id);
        let op_text = if is_input { "input".to_string() } else { op_expr(g, id).to_math_text() };
        let derivative = match props.mode {
            Mode::Forward => cells.tangent.map(|t| (format!("{} = ", dot(&label)), t)),
            Mode::Reverse => cells.adjoint.map(|a| (format!("{} = ", bar(&label)), a)),
        };
        let class = classes!(
            "node",
            is_input.then_some("input"),
            is_output.then_some("output"),
            active.then_some("active"),
            cells.primal.is_some().then_some("computed"),
            read.then_some("read"),
        );
        let (left, top) = (x - NODE_W / 2.0, y - NODE_H / 2.0);
        html! {
            <g key={id.0} class={class} data-testid="graph-node" data-node={label.clone()}
                transform={format!("translate({},{})", c(left), c(top))}
                aria-current={active.then_some("step")}>
                <title>{ format!("{label} = {}", if is_input { "input".to_string() } else { g.expr_text(id) }) }</title>
                <rect width={NODE_W.to_string()} height={NODE_H.to_string()} rx="10" />
                <text x="10" y="19" class="node-head">
                    <tspan class="node-label">{ &label }</tspan>
                    <tspan class="node-op" dx="8">{ op_text }</tspan>
                </text>
                if let Some(p) = cells.primal {
                    <text x="10" y="37" class="node-primal" data-value={fmt_full(p)}>{ format!("= {}", fmt_sig(p, 5)) }</text>
                }
                if let Some((name, d)) = derivative {
                    <text x="10" y="55" class="node-derivative" data-value={fmt_full(d)}>{ format!("{name}{}", fmt_sig(d, 4)) }</text>
                }
            </g>
        }
    });
    let outputs = g.outputs.iter().enumerate().map(|(k, &o)| {
        let (x, y) = layout.pos[o.index()];
        let name = if g.outputs.len() == 1 { "f".to_string() } else { format!("f{}", k + 1) };
        html! {
            <g class="output-marker">
                <path d={format!("M{},{} h26", c(x + NODE_W / 2.0), c(y))} marker-end="url(#arrow)" />
                <text x={c(x + NODE_W / 2.0 + 32.0).to_string()} y={c(y + 6.0).to_string()}>{ name }</text>
            </g>
        }
    });
    let (w, h) = (layout.width + 50.0, layout.height);
    let zoom_out = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(zoom.saturating_sub(1)))
    };
    let zoom_in = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set((*zoom + 1).min(ZOOMS.len() - 1)))
    };
    let zoom_fit = {
        let zoom = zoom.clone();
        let scroller = scroller.clone();
        Callback::from(move |_: MouseEvent| {
            let avail = scroller
                .cast::<Element>()
                .map_or(900.0, |e| e.client_width() as f64);
            let fit = ZOOMS.iter().rposition(|&z| w * z <= avail).unwrap_or(0);
            zoom.set(fit);
        })
    };
    html! {
        <div class={classes!("graph-view", mode_class)}>
            <div class="zoom" role="group" aria-label="Zoom">
                <button type="button" class="small" onclick={zoom_out} aria-label="Zoom out">{ "−" }</button>
                <button type="button" class="small" onclick={zoom_fit}>{ "Fit" }</button>
                <button type="button" class="small" onclick={zoom_in} aria-label="Zoom in">{ "+" }</button>
                <span class="hint">{ format!("{}%", (scale * 100.0).round()) }</span>
            </div>
            <div class="graph-scroll" ref={scroller}>
                <svg data-testid="graph" role="img" aria-label={format!("Computational graph with {} nodes", g.len())}
                    viewBox={format!("0 0 {} {}", w.round(), h.round())} width={(w * scale).round().to_string()} height={(h * scale).round().to_string()}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" />
                        </marker>
                    </defs>
                    <g class="edges">{ for edges }</g>
                    <g class="outputs">{ for outputs }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
        </div>
    }
}
