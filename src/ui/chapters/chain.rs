//! `#/chain` — Example 0: differentiating a sequence of transforms.

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::num::{fmt_count, fmt_full, fmt_rounded, fmt_sig};
use crate::lab::chain::{
    blocks, costs, jacobian_name, run, ChainAction, ChainState, Family, Merge, Order, Run, MAX_RUN,
};
use crate::lab::Shared;
use crate::ui::components::{
    figure_saves, markup, num_str, number_field, raw, select_field, step_controls, url_notice,
    use_stepper, Step,
};
use crate::ui::dom;

/// Runs cheaper than this (scalar multiplications, both modes) happen on every edit; others on request.
const AUTO_RUN: u64 = 30_000_000;

#[component]
pub fn ChainChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<ChainState>(&props.location);
    let d = state.dispatcher();
    let sizes = state.sizes.value.clone();
    let costs = use_memo(sizes.clone(), |s| costs(s));
    let ran = use_state(|| None::<Shared<Run>>);
    let key = (sizes.clone(), state.family, state.seed.value);
    let work = run_work(&sizes);
    let do_run = {
        let (ran, key) = (ran.setter(), key.clone());
        Callback::from(move |_: ()| {
            ran.set(Some(Shared::new(run(&key.0, key.1, key.2, &dom::now))))
        })
    };
    {
        // On arrival, and after each edit when it is cheap.
        let first = use_mut_ref(|| true);
        let (ran, do_run) = (ran.setter(), do_run.clone());
        use_effect_with(key.clone(), move |_| {
            if std::mem::take(&mut *first.borrow_mut()) || work <= AUTO_RUN {
                do_run.emit(());
            } else {
                ran.set(None);
            }
        });
    }
    let stepper = use_stepper(
        state.step,
        state.total(),
        d.reform_action(|s: Step| match s {
            Step::Next => ChainAction::Next,
            Step::Prev => ChainAction::Prev,
            Step::Reset => ChainAction::Reset,
            Step::End => ChainAction::End,
            Step::To(k) => ChainAction::Step(k),
        }),
    );
    let plan = state.plan();
    let l = state.maps();
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Start from x₀ = x and apply maps one after the other: x<sub>k+1</sub> = \
                g<sub>k</sub>(x<sub>k</sub>), with x<sub>k</sub> ∈ R<sup>n<sub>k</sub></sup>. The chain rule multiplies their \
                Jacobians: ∂x<sub>L</sub>/∂x = J<sub>L−1</sub>⋯J<sub>1</sub>J<sub>0</sub>, and for a scalar loss, ∇G(x) = \
                ∇ℓ(x<sub>L</sub>)·J<sub>L−1</sub>⋯J<sub>0</sub>. Will backprop give another formula? No — the same product, \
                in the other order. Forward mode multiplies from the right, carrying an n<sub>k</sub> × n<sub>0</sub> \
                matrix; reverse mode from the left, carrying n<sub>L</sub> rows: a single row when the output is a \
                scalar.</p>") }
            <div class="two-col">
                <div class="col" data-part="settings">
                    <fieldset class="inputs">
                        <legend>{ "The chain" }</legend>
                        { number_field("chain-sizes", "sizes n₀, n₁, …", &state.sizes, d.reform_action(ChainAction::Sizes), |s| fmt_sizes(s)) }
                        { select_field("chain-maps", "maps", Family::ALL.iter().map(|f| (f.name(), f.formula().to_string(), *f == state.family)).collect(),
                            d.reform_action(|v: String| ChainAction::Family(if v == "linear" { Family::Linear } else { Family::Tanh }))) }
                        { number_field("chain-seed", "seed", &state.seed, d.reform_action(ChainAction::Seed), |s| s.to_string()) }
                    </fieldset>
                    { markup("<p class=\"hint\">W<sub>k</sub> and b<sub>k</sub> are drawn from the seed (normal, W<sub>k</sub> \
                        scaled by 1/√n<sub>k</sub>), x from [−1, 1]. With n<sub>L</sub> = 1 the last map is the scalar loss.</p>") }
                </div>
                <div class="col">{ costs_table(&costs) }</div>
            </div>
            <h2>{ "The order of the products" }</h2>
            <div class="control-row" role="group" aria-label="Order of the products">
                { for Order::ALL.iter().map(|&o| {
                    let pressed = if state.order == o { "true" } else { "false" };
                    html! {
                        <button type="button" class={classes!("mode", order_class(o))} aria-pressed={pressed}
                            data-testid={format!("chain-order-{}", o.name())} onclick={d.on_click(ChainAction::Order(o))}>
                            { order_label(o) }
                        </button>
                    }
                }) }
            </div>
            { step_controls(&stepper) }
            { product_view(&state, &plan, l) }
            <div data-part="run">
                <h2>{ "Run by the AD core" }</h2>
                { run_view(&state, ran.as_ref(), work, do_run) }
                { raw(format!(
                    "<p>The same chain as a numpy program, <a href=\"#/graph?f={}&amp;mode=reverse\" \
                     data-testid=\"chain-graph-link\">in the graph lab</a>: a few array operations per map, each with what its \
                     JVP and VJP cost, and what the whole Jacobian costs each way.</p>",
                    crate::base::url::percent_encode(&state.numpy_program())
                )) }
            </div>
        </>
    }
}

fn fmt_sizes(s: &[usize]) -> String {
    s.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn order_class(o: Order) -> &'static str {
    match o {
        Order::Forward => "fwd",
        Order::Reverse => "rev",
        Order::Optimal => "opt",
    }
}

fn order_label(o: Order) -> &'static str {
    match o {
        Order::Forward => "Forward mode: from the right",
        Order::Reverse => "Reverse mode: from the left",
        Order::Optimal => "Cheapest bracketing",
    }
}

/// Scalar multiplications both matrix-free modes take: n₀ JVPs and n_L VJPs of one sweep each.
fn run_work(sizes: &[usize]) -> u64 {
    let sweep: u64 = sizes.windows(2).map(|w| (w[0] * w[1]) as u64).sum();
    (sizes[0] as u64 + *sizes.last().unwrap_or(&1) as u64) * sweep
}

fn costs_table(c: &crate::lab::chain::Costs) -> Html {
    let count = |v: u64, id: &str| {
        format!(
            "<td class=\"num\" data-testid=\"{id}\" data-value=\"{v}\">{}</td>",
            fmt_count(v)
        )
    };
    let verdict = match (c.forward, c.reverse) {
        (f, r) if f == r => "Both modes cost the same here.".to_string(),
        (f, r) if f > r => format!(
            "Reverse mode is {}× cheaper: the output is narrow.",
            fmt_sig(f as f64 / r.max(1) as f64, 3)
        ),
        (f, r) => format!(
            "Forward mode is {}× cheaper: the input is narrow.",
            fmt_sig(r as f64 / f.max(1) as f64, 3)
        ),
    };
    let neither = if c.optimal < c.forward.min(c.reverse) {
        " Neither mode finds the cheapest bracketing."
    } else {
        ""
    };
    raw(format!(
        "<div class=\"results\"><table class=\"numbers\"><caption>Scalar multiplications, multiplying the dense Jacobians</caption>\
         <tr><th scope=\"row\" class=\"fwd\">forward mode, from the right: Σ<sub>k≥2</sub> n<sub>k</sub>·n<sub>k−1</sub>·n<sub>0</sub></th>{}</tr>\
         <tr><th scope=\"row\" class=\"rev\">reverse mode, from the left: Σ<sub>k≤L−1</sub> n<sub>L</sub>·n<sub>k</sub>·n<sub>k−1</sub></th>{}</tr>\
         <tr><th scope=\"row\">cheapest bracketing (dynamic programme)</th>{}</tr>\
         <tr><th scope=\"row\">its order</th><td class=\"num\" data-testid=\"cost-optimal-order\">{}</td></tr></table>\
         <p class=\"hint\">{verdict}{neither}</p></div>",
        count(c.forward, "cost-forward"),
        count(c.reverse, "cost-reverse"),
        count(c.optimal, "cost-optimal"),
        c.optimal_order,
    ))
}

/// The product J_{L−1}⋯J₀ as its blocks after the current step, sides on a log scale (SVG markup).
fn product_view(s: &ChainState, plan: &[Merge], l: usize) -> Html {
    let d: Vec<usize> = s.sizes.value.iter().rev().copied().collect();
    let now = blocks(l, plan, s.step);
    let done: u64 = plan.iter().take(s.step).map(|m| m.cost).sum();
    let total: u64 = plan.iter().map(|m| m.cost).sum();
    let last = s.step.checked_sub(1).and_then(|k| plan.get(k));
    let next = plan.get(s.step);
    // Sides on a log scale: a size of 1 is 24 px and every factor of 10 adds the same length, up to 240 px for the
    // largest (sizes from 1 to 1000 in one picture, where a linear scale leaves a dot beside a bar). Each block gets
    // a slot wide enough for its labels.
    let max = (*d.iter().max().unwrap_or(&1)).max(10) as f64;
    let per_decade = (240.0 - 24.0) / max.log10();
    let px = |n: usize| 24.0 + per_decade * (n.max(1) as f64).log10();
    let name = |(a, b): (usize, usize)| -> String {
        match b - a {
            0 => jacobian_name(l, a),
            1 => format!("{}{}", jacobian_name(l, a), jacobian_name(l, b)),
            _ => format!("{}⋯{}", jacobian_name(l, a), jacobian_name(l, b)),
        }
    };
    let mut x = 8.0;
    let mut shapes = Vec::new();
    for &(a, b) in &now {
        let (h, w) = (px(d[a]), px(d[b + 1]));
        let slot = w.max(84.0);
        let produced = last.is_some_and(|m| (m.left.0, m.right.1) == (a, b));
        let upcoming = next.is_some_and(|m| m.left == (a, b) || m.right == (a, b));
        shapes.push((
            x + (slot - w) / 2.0,
            w,
            h,
            a,
            b,
            produced,
            upcoming,
            x + slot / 2.0,
        ));
        x += slot + 28.0;
    }
    let width = (x - 20.0).max(200.0);
    let caption = match last {
        None if plan.is_empty() => "A single map: its Jacobian is the whole product.".to_string(),
        None => format!(
            "{l} Jacobians: Jₖ is nₖ₊₁ × nₖ, its sides on a log scale (each factor of 10 adds the same length). Step \
             through the products."
        ),
        Some(m) => format!(
            "Step {} of {}: {} · {} — ({}×{})·({}×{}): {} multiplications; {} of {} so far.",
            s.step,
            plan.len(),
            name(m.left),
            name(m.right),
            d[m.left.0],
            d[m.left.1 + 1],
            d[m.right.0],
            d[m.right.1 + 1],
            fmt_count(m.cost),
            fmt_count(done),
            fmt_count(total)
        ),
    };
    let blocks: String = shapes
        .iter()
        .enumerate()
        .map(|(i, &(x, w, h, a, b, produced, upcoming, mid))| {
            let y = 30.0 + (240.0 - h) / 2.0;
            let slot = w.max(84.0);
            let class = match (produced, upcoming) {
                (true, _) => "block produced",
                (_, true) => "block upcoming",
                _ => "block",
            };
            let frame = if produced || upcoming {
                format!("<rect class=\"slot\" x=\"{}\" y=\"24\" width=\"{}\" height=\"252\" rx=\"6\"/>", tenth(mid - slot / 2.0 - 4.0), tenth(slot + 8.0))
            } else {
                String::new()
            };
            let dot = if i + 1 < shapes.len() {
                format!("<text class=\"dot\" x=\"{}\" y=\"158\" text-anchor=\"middle\">·</text>", tenth(mid + (w / 2.0).max(42.0) + 14.0))
            } else {
                String::new()
            };
            format!(
                "<g class=\"{class}\" data-testid=\"chain-block\">{frame}<rect class=\"m\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"/>\
                 <text x=\"{mid}\" y=\"292\" text-anchor=\"middle\">{}</text><text class=\"dims\" x=\"{mid}\" y=\"18\" text-anchor=\"middle\">{}×{}</text>{dot}</g>",
                tenth(x),
                tenth(y),
                tenth(w),
                tenth(h),
                name((a, b)),
                d[a],
                d[b + 1],
                mid = tenth(mid),
            )
        })
        .collect();
    let svg: std::rc::Rc<str> = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jp order-{order}\" width=\"{w}\" height=\"300\" viewBox=\"0 0 {w} 300\" \
         style=\"--w: {w}px\" role=\"img\" aria-label=\"{caption}\"><style>{PRODUCT_STYLE}</style>{blocks}</svg>",
        order = s.order.name(),
        w = fmt_full(width.round()),
    )
    .into();
    html! {
        <figure class="chain-view">
            { raw(format!(
                "<div class=\"chain-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The product of Jacobians, sides on \
                 a log scale\">{svg}</div><figcaption data-testid=\"chain-caption\">{caption}</figcaption>"
            )) }
            { figure_saves("jacobian-product", svg, (width.round(), 300.0)) }
        </figure>
    }
}

/// The product's drawing carries its style (so that the downloaded file is the drawing on the page): the page's
/// colours where it is shown, the light theme's (the fallbacks) in the file.
const PRODUCT_STYLE: &str = ".jp .m{fill:var(--block,#dfe5ec);stroke:var(--strong-line,#6b7783);stroke-width:1.2}\
.jp .slot{fill:none;stroke:var(--node-line,#aeb6bf);stroke-dasharray:5 4;stroke-width:1.5}\
.order-forward .produced .m{fill:var(--tangent,#a04a07);stroke:var(--tangent,#a04a07)}\
.order-reverse .produced .m{fill:var(--adjoint,#6d28d9);stroke:var(--adjoint,#6d28d9)}\
.order-optimal .produced .m{fill:var(--accent,#1f5fae);stroke:var(--accent,#1f5fae)}\
.order-forward .produced .slot{fill:var(--tangent-soft,#fdf0e1);stroke:var(--tangent,#a04a07);stroke-dasharray:none}\
.order-reverse .produced .slot{fill:var(--adjoint-soft,#efe9fb);stroke:var(--adjoint,#6d28d9);stroke-dasharray:none}\
.order-optimal .produced .slot{fill:var(--accent-soft,#e7eef8);stroke:var(--accent,#1f5fae);stroke-dasharray:none}\
.jp text{font-family:var(--mono,monospace);font-size:15px;fill:var(--ink,#1b2128)}\
.jp .dims{font-size:14px;fill:var(--muted,#56606b)}.jp .dot{font-size:30px;font-weight:700}";

/// A coordinate rounded to a tenth of a pixel.
fn tenth(v: f64) -> String {
    fmt_rounded(v, 1)
}

fn ms(v: Option<f64>, id: &str) -> String {
    match v {
        Some(t) if t < 0.1 => {
            format!(
                "<td class=\"num\" data-testid=\"{id}\" data-value=\"{}\">&lt; 0.1 ms</td>",
                fmt_full(t)
            )
        }
        Some(t) => format!(
            "<td class=\"num\" data-testid=\"{id}\" data-value=\"{}\">{} ms</td>",
            fmt_full(t),
            fmt_sig(t, 3)
        ),
        None => format!(
            "<td data-testid=\"{id}\">not run: over {} multiplications</td>",
            fmt_count(MAX_RUN)
        ),
    }
}

fn run_view(s: &ChainState, ran: Option<&Shared<Run>>, work: u64, do_run: Callback<()>) -> Html {
    let sizes = &s.sizes.value;
    let (n0, nl) = (sizes[0], *sizes.last().unwrap_or(&1));
    let onclick = do_run.reform(|_: MouseEvent| ());
    let label = if ran.is_some() {
        "Run again".to_string()
    } else {
        format!("Run both ({} multiplications)", fmt_count(work))
    };
    let button =
        html! { <button type="button" data-testid="chain-run" {onclick}>{ label }</button> };
    let Some(r) = ran else {
        return html! { <div class="results">{ button }<p class="hint">{ "This chain is large: the run waits for the button." }</p></div> };
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let weights: u64 = sizes.windows(2).map(|w| (w[0] * w[1]) as u64).sum();
    html! {
        <div class="results">
            { raw(format!(
                "<p>The chain is built with {} weights and differentiated by the array engine, matrix-free: forward mode needs \
                 one JVP per input ({n0}), reverse mode one VJP per output ({nl}).</p><table class=\"numbers\">\
                 <tr><th scope=\"row\" class=\"fwd\">forward mode: {n0} JVP{}</th>{}</tr>\
                 <tr><th scope=\"row\" class=\"rev\">reverse mode: {nl} VJP{}</th>{}</tr>\
                 <tr><th scope=\"row\">dense Jacobians multiplied from the right</th>{}</tr>\
                 <tr><th scope=\"row\">dense Jacobians multiplied from the left</th>{}</tr>\
                 <tr><th scope=\"row\">max |forward − reverse| over the Jacobian's entries</th><td>{}</td></tr></table>\
                 <p class=\"hint\">The same numbers either way, up to rounding: the two modes compute one product in two orders. \
                 Times are measured in this browser (the fastest of a few runs); run again to see them vary.</p>",
                fmt_count(weights),
                plural(n0),
                ms(r.ms[0], "chain-time-forward"),
                plural(nl),
                ms(r.ms[1], "chain-time-reverse"),
                ms(r.ms[2], "chain-time-dense-forward"),
                ms(r.ms[3], "chain-time-dense-reverse"),
                num_str(r.agree, Some("chain-agree"), Some(3)),
            )) }
            { button }
        </div>
    }
}
