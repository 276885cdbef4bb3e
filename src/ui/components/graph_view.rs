//! The computational graph as SVG: nodes from the layout, edges as curves, the step's values on both.
//!
//! Contract hooks: the `<svg data-testid="graph">`, and each node a `<g data-testid="graph-node" data-node="v1">`;
//! the active node carries `aria-current="step"`.

use web_sys::Element;
use yew::prelude::*;

use crate::ad::trace::{bar, dot};
use crate::base::num::{fmt_full, fmt_rounded, fmt_sig};
use crate::lab::graph::{Mode, Session, Sketch, StepView};
use crate::lab::Shared;
use crate::lang::graph::{NodeId, Op};
use crate::layout::{Edge, NODE_H, NODE_W};
use crate::ui::components::{class_list, esc, raw};
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
pub(crate) fn c(x: f64) -> String {
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

/// Bézier path through the points, leaving and entering horizontally. A run of points on one horizontal line (a long
/// edge routed through a row of empty layers) is one straight `H` segment: the same curve, in far fewer numbers.
pub(crate) fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(16 + 40 * points.len());
    d.push('M');
    push_c(&mut d, points[0].0);
    d.push(',');
    push_c(&mut d, points[0].1);
    let mut i = 0;
    while i + 1 < points.len() {
        let (x0, y0) = points[i];
        let mut j = i + 1;
        if points[j].1 == y0 {
            while j + 1 < points.len() && points[j + 1].1 == y0 {
                j += 1;
            }
            d.push_str(" H");
            push_c(&mut d, points[j].0);
        } else {
            let (x1, y1) = points[j];
            let k = (x1 - x0) * 0.5;
            for (n, v) in [x0 + k, y0, x1 - k, y1, x1, y1].into_iter().enumerate() {
                d.push_str([" C", ",", " ", ",", " ", ","][n]);
                push_c(&mut d, v);
            }
        }
        i = j;
    }
    d
}

/// [`c`] written onto `out`, without a string of its own (a long path has thousands of numbers).
fn push_c(out: &mut String, x: f64) {
    use std::fmt::Write;
    let n = (x * 10.0).round();
    if !(n.abs() < 1e15) {
        out.push_str(&c(x));
        return;
    }
    let n = n as i64;
    if n < 0 {
        out.push('-');
    }
    let (int, frac) = ((n / 10).abs(), (n % 10).abs());
    let _ = write!(out, "{int}");
    if frac != 0 {
        out.push('.');
        out.push((b'0' + frac as u8) as char);
    }
}

#[component]
pub fn GraphView(props: &GraphViewProps) -> Html {
    let scroller = use_node_ref();
    let zoom = crate::ui::components::use_value(4usize);
    // Only the nodes in and around the scroller's view carry their numbers (a new input value changes every node's
    // numbers; on a long graph most are out of view). Before the first measurement: the top left of a wide screen.
    let drawn = use_state_eq(|| None::<Area>);
    let blocks = use_mut_ref(|| -> BlockCache { (None, Mode::Forward, Vec::new(), Vec::new()) });
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
        edges.iter().map(|e| path(&e.points)).collect::<Vec<_>>()
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
                        g.label(id),
                        // Placed by x and y rather than a transform: a transform on each of a thousand nodes makes
                        // the browser keep a thousand layers' worth of paint properties.
                        format!(
                            "x=\"{}\" y=\"{}\"",
                            c(x - NODE_W / 2.0),
                            c(y - NODE_H / 2.0)
                        ),
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
    // What each edge and node looks like at this step, in blocks: a block whose looks are those of the last render
    // is not rendered again (a new input value changes the numbers of the nodes in view only; a step, a node or two).
    let edge_looks: Vec<EdgeLook> = layout
        .edges
        .iter()
        .zip(edge_values)
        .map(|(e, value)| {
            let (mx, my) = mid(&e.points);
            EdgeLook {
                hot: is_hot(e.from, e.to),
                valued: value.is_some(),
                value: value
                    .filter(|_| meets(drawn, (mx, my, mx, my)))
                    .map(f64::to_bits),
            }
        })
        .collect();
    let node_looks: Vec<NodeLook> = g
        .ids()
        .map(|id| {
            let (x, y) = layout.pos[id.index()];
            let (left, top) = (x - NODE_W / 2.0, y - NODE_H / 2.0);
            let cells = view.cells[id.index()];
            let active = view.active == Some(id);
            let full = active || meets(drawn, (left, top, left + NODE_W, top + NODE_H));
            let derivative = match props.mode {
                Mode::Forward => cells.tangent,
                Mode::Reverse => cells.adjoint,
            };
            NodeLook {
                active,
                computed: cells.primal.is_some(),
                read: view.read.contains(&id),
                text: full.then(|| (cells.primal.map(f64::to_bits), derivative.map(f64::to_bits))),
            }
        })
        .collect();
    // Each block's markup, kept from the last render while its looks are the same: the browser then leaves it alone
    // too (Yew compares the strings), and a changed block is parsed anew, which costs less than diffing its elements.
    let mut cache = blocks.borrow_mut();
    if !cache.0.as_ref().is_some_and(|s| *s == session.sketch) || cache.1 != props.mode {
        *cache = (
            Some(session.sketch.clone()),
            props.mode,
            Vec::new(),
            Vec::new(),
        );
    }
    let (_, _, edge_cache, node_cache) = &mut *cache;
    let edges = cached(edge_cache, &edge_looks, |out, k, look| {
        edge_markup(out, &layout.edges[k], &paths[k], look)
    });
    let nodes = cached(node_cache, &node_looks, |out, k, look| {
        let (label, at) = &fixed[k];
        node_markup(out, session, props.mode, NodeId(k as u32), label, at, look)
    });
    drop(cache);
    let mut outputs = String::new();
    for (k, &o) in g.outputs.iter().enumerate() {
        let (x, y) = layout.pos[o.index()];
        let name = if g.outputs.len() == 1 {
            "f".to_string()
        } else {
            format!("f{}", k + 1)
        };
        let x = x + NODE_W / 2.0;
        outputs.push_str(&format!(
            "<g class=\"output-marker\"><path d=\"M{},{} h26\" marker-end=\"url(#arrow)\"/><text x=\"{}\" y=\"{}\">{name}</text></g>",
            c(x),
            c(y),
            c(x + 32.0),
            c(y + 6.0)
        ));
    }
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
                    { raw(ARROW.to_string()) }
                    <g class="edges">{ for edges.into_iter().map(Html::from_html_unchecked) }</g>
                    <g class="outputs">{ raw(outputs) }</g>
                    <g class="nodes">{ for nodes.into_iter().map(Html::from_html_unchecked) }</g>
                </svg>
            </div>
        </div>
    }
}

/// The edges' arrow head.
pub(crate) const ARROW: &str = "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>";

/// Nodes and edges are drawn by blocks of this many.
const BLOCK: usize = 8;

/// An edge's last segment's middle, where its number is written.
fn mid(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len();
    let ((ax, ay), (bx, by)) = (points[n - 2], points[n - 1]);
    ((ax + bx) / 2.0, (ay + by) / 2.0)
}

/// How an edge is drawn at one step: its number (as bits, so that NaN equals NaN) only when it is in view.
#[derive(Clone, Copy, PartialEq)]
struct EdgeLook {
    hot: bool,
    valued: bool,
    value: Option<u64>,
}

/// How a node is drawn at one step: its text (value and derivative, as bits) only when it is in view.
#[derive(Clone, Copy, PartialEq)]
struct NodeLook {
    active: bool,
    computed: bool,
    read: bool,
    text: Option<(Option<u64>, Option<u64>)>,
}

/// The blocks' markup of the last render with the looks it was made from, for one drawing in one mode.
type BlockCache = (
    Option<Shared<Sketch>>,
    Mode,
    Vec<(Vec<EdgeLook>, AttrValue)>,
    Vec<(Vec<NodeLook>, AttrValue)>,
);

/// Markup for `looks` by blocks of [`BLOCK`], each taken from `cache` when its looks are those it was made from.
fn cached<L: Copy + PartialEq>(
    cache: &mut Vec<(Vec<L>, AttrValue)>,
    looks: &[L],
    write: impl Fn(&mut String, usize, &L),
) -> Vec<AttrValue> {
    cache.truncate(looks.len().div_ceil(BLOCK));
    looks
        .chunks(BLOCK)
        .enumerate()
        .map(|(b, block)| {
            if let Some((old, markup)) = cache.get(b) {
                if old[..] == *block {
                    return markup.clone();
                }
            }
            let mut out = String::new();
            for (k, look) in block.iter().enumerate() {
                write(&mut out, b * BLOCK + k, look);
            }
            let markup = AttrValue::from(out);
            let entry = (block.to_vec(), markup.clone());
            if b < cache.len() {
                cache[b] = entry;
            } else {
                cache.push(entry);
            }
            markup
        })
        .collect()
}

fn edge_markup(out: &mut String, e: &Edge, d: &str, look: &EdgeLook) {
    let class = match (look.hot, look.valued) {
        (true, _) => "edge hot",
        (false, true) => "edge valued",
        (false, false) => "edge",
    };
    out.push_str(&format!(
        "<g class=\"{class}\"><path d=\"{d}\" marker-end=\"url(#arrow)\"/>"
    ));
    if let Some(v) = look.value.map(f64::from_bits) {
        let (mx, my) = mid(&e.points);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" class=\"edge-value\" text-anchor=\"middle\" data-value=\"{}\">{}</text>",
            c(mx),
            c(my - 6.0),
            fmt_full(v),
            fmt_sig(v, 4)
        ));
    }
    out.push_str("</g>");
}

fn node_markup(
    out: &mut String,
    session: &Session,
    mode: Mode,
    id: NodeId,
    label: &str,
    at: &str,
    look: &NodeLook,
) {
    let g = session.graph();
    let class = class_list(&[
        ("node", true),
        ("input", matches!(g.node(id).op, Op::Input(_))),
        ("output", g.outputs.contains(&id)),
        ("active", look.active),
        ("computed", look.computed),
        ("read", look.read),
    ]);
    let (w, h) = (fmt_full(NODE_W), fmt_full(NODE_H));
    let label = esc(label);
    out.push_str(&format!(
        "<g class=\"{class}\" data-testid=\"graph-node\" data-node=\"{label}\"{}><rect {at} width=\"{w}\" height=\"{h}\" rx=\"10\"/>",
        if look.active { " aria-current=\"step\"" } else { "" }
    ));
    // Text as HTML inside the SVG: the browser lays HTML text out incrementally, SVG text all over again on every
    // change, which made typing slow on graphs of a few hundred nodes.
    if let Some((primal, derivative)) = look.text {
        out.push_str(&format!(
            "<foreignObject {at} width=\"{w}\" height=\"{h}\"><div xmlns=\"http://www.w3.org/1999/xhtml\" class=\"node-text\"><div><b>{label}</b> <span class=\"node-op\">{}</span></div>",
            esc(&session.sketch.ops[id.index()])
        ));
        if let Some(p) = primal.map(f64::from_bits) {
            out.push_str(&format!(
                "<div class=\"node-primal\" data-value=\"{}\">= {}</div>",
                fmt_full(p),
                fmt_sig(p, 5)
            ));
        }
        if let Some(d) = derivative.map(f64::from_bits) {
            let name = match mode {
                Mode::Forward => dot(&label),
                Mode::Reverse => bar(&label),
            };
            out.push_str(&format!(
                "<div class=\"node-derivative\" data-value=\"{}\">{name} = {}</div>",
                fmt_full(d),
                fmt_sig(d, 4)
            ));
        }
        out.push_str("</div></foreignObject>");
    }
    out.push_str("</g>");
}
