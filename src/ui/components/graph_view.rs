//! The computational graph as SVG: nodes from the layout, edges as curves, the step's values on both.
//!
//! Contract hooks: the `<svg data-testid="graph">`, and each node a `<g data-testid="graph-node" data-node="v1">`;
//! the active node carries `aria-current="step"`.

use web_sys::Element;
use yew::prelude::*;

use crate::ad::trace::{bar, dot};
use crate::base::num::{fmt_full, fmt_rounded, fmt_sig};
use crate::lab::graph::{Mode, Session, StepView};
use crate::lab::Shared;
use crate::lang::graph::{NodeId, Op};
use crate::layout::{NODE_H, NODE_W};
use crate::ui::components::class_list;
use crate::ui::dom;

#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    pub session: Shared<Session>,
    pub view: Shared<StepView>,
    pub mode: Mode,
    /// Shown on a slide: drawn at 100 % with the slide's large node text, never scrolled (the slide is fitted).
    #[prop_or_default]
    pub presenting: bool,
}

const ZOOMS: [f64; 7] = [0.4, 0.55, 0.7, 0.85, 1.0, 1.25, 1.5];

/// The largest zoom at which a drawing `width` wide fits in `avail` pixels, but not below `ZOOMS[floor]`.
fn fit_zoom(width: f64, avail: f64, floor: usize) -> usize {
    ZOOMS
        .iter()
        .rposition(|&z| width * z <= avail)
        .unwrap_or(0)
        .max(floor)
}

/// A coordinate to one decimal, printed shortest (`12.5`, `40`).
fn c(x: f64) -> String {
    fmt_rounded(x, 1)
}

/// A box in the drawing's coordinates: `(left, top, right, bottom)`.
type Area = (f64, f64, f64, f64);

/// The part of the drawing the scroller shows, in the drawing's coordinates.
fn shown(el: &Element, scale: f64) -> Area {
    let (x, y) = (el.scroll_left() as f64, el.scroll_top() as f64);
    let (w, h) = (el.client_width() as f64, el.client_height() as f64);
    (x / scale, y / scale, (x + w) / scale, (y + h) / scale)
}

/// The part drawn in full around what is shown: a screen more on every side, so that scrolling a little shows
/// nodes already drawn.
fn widen((l, t, r, b): Area) -> Area {
    let (w, h) = (r - l, b - t);
    (l - w, t - h, r + w, b + h)
}

fn contains(outer: Area, inner: Area) -> bool {
    outer.0 <= inner.0 && outer.1 <= inner.1 && inner.2 <= outer.2 && inner.3 <= outer.3
}

fn meets(a: Area, b: Area) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
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
    let zoom = crate::ui::components::use_value(4usize);
    // Only the nodes in and around the scroller's view carry their numbers (a new input value changes every node's
    // numbers; on a long graph most are out of view). Before the first measurement: the top left of a wide screen.
    let drawn = use_state_eq(|| None::<Area>);
    let session = &props.session;
    let g = session.graph();
    let layout = session.sketch.layout.as_ref().ok();
    let scale = ZOOMS[*zoom];
    // The drawing's size moves in coarse steps, so that an edit that adds a node or two does not resize the SVG (a
    // resize makes the browser lay out every node again).
    let (w, h) = layout.map_or((0.0, 0.0), |l| {
        (
            ((l.width + 50.0) / 400.0).ceil() * 400.0,
            (l.height / 120.0).ceil() * 120.0,
        )
    });

    // Fit the width when the graph changes scale (a new example), not on every keystroke: reading the container's
    // width forces a layout, and a zoom that jumps while typing is disorienting.
    let fitted_for = use_mut_ref(|| 0usize);
    {
        let zoom = zoom.clone();
        let scroller = scroller.clone();
        let nodes = g.len();
        let last = *fitted_for.borrow();
        let rescale = last == 0 || nodes > 2 * last || 2 * nodes < last;
        let fitted_for = fitted_for.clone();
        let presenting = props.presenting;
        super::use_change(
            rescale.then_some(nodes),
            Box::new(move |n| {
                if let Some(n) = n {
                    let avail = scroller
                        .cast::<Element>()
                        .map_or(900.0, |e| e.client_width() as f64);
                    // On a slide the drawing keeps its natural size: the slide itself is fitted to the screen.
                    // Never below 85 %: node text stays 12 px or more (a long graph scrolls instead).
                    zoom.set(if presenting { 4 } else { fit_zoom(w, avail, 3) });
                    *fitted_for.borrow_mut() = *n;
                }
                None
            }),
        );
    }
    // Keep the active node in view as the steps advance.
    {
        let scroller = scroller.clone();
        let target = props.view.active.zip(layout).map(|(a, l)| l.pos[a.index()]);
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
    // Measure what is shown once the graph or the zoom changes (scrolling measures it as it goes).
    {
        let scroller = scroller.clone();
        let drawn = drawn.clone();
        use_effect_with((session.sketch.clone(), *zoom), move |_| {
            if let Some(el) = scroller.cast::<Element>() {
                drawn.set(Some(widen(shown(&el, scale))));
            }
        });
    }
    let onscroll = {
        let scroller = scroller.clone();
        let drawn = drawn.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<Element>() {
                let now = shown(&el, scale);
                if !drawn.is_some_and(|d| contains(d, now)) {
                    drawn.set(Some(widen(now)));
                }
            }
        })
    };
    let drawn = drawn.unwrap_or_else(|| widen((0.0, 0.0, 1400.0 / scale, 900.0 / scale)));
    // Edge paths depend on the layout only: formatted once per graph, not on every step or input.
    let paths = use_memo(session.sketch.clone(), |sketch| {
        let edges = sketch.layout.as_ref().map_or(&[][..], |l| &l.edges[..]);
        edges
            .iter()
            .map(|e| AttrValue::from(path(&e.points)))
            .collect::<Vec<_>>()
    });
    // Each node's label and position, formatted once per graph.
    let fixed = {
        let session = session.clone();
        use_memo(session.sketch.clone(), move |sketch| {
            let g = session.graph();
            g.ids()
                .map(|id| {
                    let (x, y) = sketch
                        .layout
                        .as_ref()
                        .map_or((0.0, 0.0), |l| l.pos[id.index()]);
                    (
                        AttrValue::from(g.label(id)),
                        AttrValue::from(format!(
                            "translate({},{})",
                            c(x - NODE_W / 2.0),
                            c(y - NODE_H / 2.0)
                        )),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let layout = match &session.sketch.layout {
        Ok(l) => l,
        Err(why) => {
            return html! {
                <p class="hint" data-testid="graph-too-big">
                    { why }{ " The trace table below still steps through every node." }
                </p>
            }
        }
    };

    let view = &props.view;
    let is_hot =
        |from: NodeId, to: NodeId| view.hot_edges.iter().any(|&(a, b)| a == from && b == to);
    // An edge's number: the sum of what passed along it so far (a fan-out edge can carry several pushes). The
    // layout lists edges by child, so an edge is found by binary search.
    let mut edge_values: Vec<Option<f64>> = vec![None; layout.edges.len()];
    for &(from, to, x) in &view.edge_values {
        let first = layout.edges.partition_point(|e| e.to < to);
        if let Some(k) = (first..layout.edges.len())
            .take_while(|&k| layout.edges[k].to == to)
            .find(|&k| layout.edges[k].from == from)
        {
            edge_values[k] = Some(edge_values[k].unwrap_or(-0.0) + x);
        }
    }
    let edges = layout
        .edges
        .iter()
        .zip(paths.iter())
        .enumerate()
        .map(|(k, (e, d))| {
            let hot = is_hot(e.from, e.to);
            let value = edge_values[k];
            let n = e.points.len();
            let (ax, ay) = e.points[n - 2];
            let (bx, by) = e.points[n - 1];
            let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
            let class = match (hot, value.is_some()) {
                (true, _) => "edge hot",
                (false, true) => "edge valued",
                (false, false) => "edge",
            };
            let value = value.filter(|_| meets(drawn, (mx, my, mx, my)));
            html! {
                <g key={format!("{}-{}", e.from.0, e.to.0)} {class}>
                    <path d={d.clone()} marker-end="url(#arrow)" />
                    if let Some(v) = value {
                        <text x={c(mx)} y={c(my - 6.0)} class="edge-value" text-anchor="middle"
                            data-value={fmt_full(v)}>{ fmt_sig(v, 4) }</text>
                    }
                </g>
            }
        });
    let nodes = g.ids().map(|id| {
        let (x, y) = layout.pos[id.index()];
        let (left, top) = (x - NODE_W / 2.0, y - NODE_H / 2.0);
        let (label, transform) = &fixed[id.index()];
        let cells = view.cells[id.index()];
        let active = view.active == Some(id);
        let full = active || meets(drawn, (left, top, left + NODE_W, top + NODE_H));
        let class = class_list(&[
            ("node", true),
            ("input", matches!(g.node(id).op, Op::Input(_))),
            ("output", g.outputs.contains(&id)),
            ("active", active),
            ("computed", cells.primal.is_some()),
            ("read", view.read.contains(&id)),
        ]);
        // Text as HTML inside the SVG: the browser lays HTML text out incrementally, SVG text all over again on every
        // change, which made typing slow on graphs of a few hundred nodes.
        let text = || {
            let derivative = match props.mode {
                Mode::Forward => cells.tangent.map(|t| (dot(label), t)),
                Mode::Reverse => cells.adjoint.map(|a| (bar(label), a)),
            };
            html! {
                <foreignObject width={fmt_full(NODE_W)} height={fmt_full(NODE_H)}>
                    <div xmlns="http://www.w3.org/1999/xhtml" class="node-text">
                        <div><b>{ label.clone() }</b>{ " " }<span class="node-op">{ session.sketch.ops[id.index()].clone() }</span></div>
                        if let Some(p) = cells.primal {
                            <div class="node-primal" data-value={fmt_full(p)}>{ format!("= {}", fmt_sig(p, 5)) }</div>
                        }
                        if let Some((name, d)) = derivative {
                            <div class="node-derivative" data-value={fmt_full(d)}>{ format!("{name} = {}", fmt_sig(d, 4)) }</div>
                        }
                    </div>
                </foreignObject>
            }
        };
        html! {
            <g key={id.0} class={class} data-testid="graph-node" data-node={label.clone()}
                transform={transform.clone()} aria-current={active.then_some("step")}>
                <rect width={fmt_full(NODE_W)} height={fmt_full(NODE_H)} rx="10" />
                if full { { text() } }
            </g>
        }
    });
    let outputs = g.outputs.iter().enumerate().map(|(k, &o)| {
        let (x, y) = layout.pos[o.index()];
        let name = if g.outputs.len() == 1 { "f".to_string() } else { format!("f{}", k + 1) };
        html! {
            <g class="output-marker">
                <path d={format!("M{},{} h26", c(x + NODE_W / 2.0), c(y))} marker-end="url(#arrow)" />
                <text x={c(x + NODE_W / 2.0 + 32.0)} y={c(y + 6.0)}>{ name }</text>
            </g>
        }
    });
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
            zoom.set(fit_zoom(w, avail, 0));
        })
    };
    html! {
        <div class={format!("graph-view mode-{}", props.mode.name())} data-shape={if layout.width > 720.0 { "wide" } else { "compact" }}>
            <div class="zoom" role="group" aria-label="Zoom">
                <button type="button" class="small" onclick={zoom_out} aria-label="Zoom out">{ "−" }</button>
                <button type="button" class="small" onclick={zoom_fit}>{ "Fit" }</button>
                <button type="button" class="small" onclick={zoom_in} aria-label="Zoom in">{ "+" }</button>
                <span class="hint">{ format!("{}%", fmt_full((scale * 100.0).round())) }</span>
            </div>
            <div class="graph-scroll" ref={scroller} {onscroll} tabindex="0" role="region" aria-label="The computational graph">
                <svg data-testid="graph" role="img" aria-label={format!("Computational graph with {} nodes", g.len())}
                    viewBox={format!("0 0 {} {}", fmt_full(w.round()), fmt_full(h.round()))} width={fmt_full((w * scale).round())} height={fmt_full((h * scale).round())}>
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
