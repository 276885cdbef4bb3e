//! `#/memory` — reverse mode needs memory: checkpointing, animated.

use std::fmt::Write;

use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::num::{fmt_count, fmt_rounded};
use crate::figures::curve::memory_curve;
use crate::lab::memory::{
    snapshot, Event, Example, MemoryAction, MemoryResults, MemoryState, Strategy, MAX_DRAWN,
    MAX_RUN,
};
use crate::lab::Shared;
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{
    count_str, figure_saves, markup, num_str, number_field, raw, select_field, step_controls,
    url_notice, use_stepper, Step,
};

#[component]
pub fn MemoryChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<MemoryState>(&props.location);
    let d = state.dispatcher();
    let results = {
        let s = (*state).clone();
        let key = (s.example, s.n.value, s.c.value, s.strategy);
        use_memo(key, move |_| s.results().map(Shared::new))
    };
    let total = results.as_ref().as_ref().map_or(0, |r| r.events.len());
    let stepper = use_stepper(
        state.step.min(total),
        total,
        d.reform_action(|s: Step| match s {
            Step::Next => MemoryAction::Next,
            Step::Prev => MemoryAction::Prev,
            Step::Reset => MemoryAction::Reset,
            Step::End => MemoryAction::End,
            Step::To(k) => MemoryAction::Step(k),
        }),
    );
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">Reverse mode runs the adjoints backwards, from x<sub>n</sub> down to x<sub>0</sub>, \
                and the adjoint of step k needs x<sub>k</sub>: it “requires memory: need to store intermediate \
                variables”. Storing all n states is the fastest; with fewer slots, store some states \
                (<em>checkpoints</em>) and replay the others forward from the nearest one when the backward sweep \
                needs them. Binomial checkpointing (Griewank and Walther’s <em>revolve</em>) does it with the fewest \
                replays possible: with c slots and each step replayed at most r times, it reverses up to \
                β(c, r) = C(c + r, c) steps.</p>") }
            <div class="two-col">
                <div class="col">
                    <fieldset class="inputs" data-part="settings">
                        <legend>{ "The chain and the memory" }</legend>
                        { select_field("ckpt-example", "chain", Example::ALL.iter().map(|e| (e.name(), e.label().to_string(), *e == state.example)).collect(),
                            d.reform_action(|v: String| MemoryAction::Example(Example::ALL.into_iter().find(|e| e.name() == v).unwrap_or(Example::Logistic)))) }
                        { number_field("ckpt-n", "steps n", &state.n, d.reform_action(MemoryAction::N), |v| v.to_string()) }
                        { number_field("ckpt-slots", "slots c (x₀ is one)", &state.c, d.reform_action(MemoryAction::C), |v| v.to_string()) }
                        { select_field("ckpt-strategy", "strategy", Strategy::ALL.iter().map(|x| (x.name(), x.label().to_string(), *x == state.strategy)).collect(),
                            d.reform_action(|v: String| MemoryAction::Strategy(Strategy::from_name(&v).unwrap_or(Strategy::Binomial)))) }
                    </fieldset>
                    { step_controls(&stepper) }
                </div>
                <div class="col">
                    { match &*results {
                        Ok(r) => raw(summary(r, &state, stepper.step)),
                        Err(e) => html! { <p class="warning">{ e }</p> },
                    } }
                </div>
            </div>
            if let Ok(r) = &*results {
                { timeline(r, &state, stepper.step) }
                { raw(totals(r, &state)) }
                <div class="figure-part" data-part="plot">
                    <PlotCanvas figure={Plot::new(Shared::new(memory_curve(r, &state)))} testid="ckpt-plot" filename="checkpointing.png"
                        label="Forward evaluations against the slots used, for binomial checkpointing and the other strategies" />
                </div>
            }
        </>
    }
}

/// The counters at the current step, what the step did, and the gradient.
fn summary(r: &MemoryResults, s: &MemoryState, step: usize) -> String {
    let n = s.n.value;
    let snap = snapshot(&r.events, n, step);
    let chosen = r.totals.iter().find(|t| t.strategy == s.strategy);
    let (evals, peak) = chosen.map_or((0, 0), |t| (t.evals, t.peak));
    let held = snap.held.len();
    let mut out = format!(
        "<table class=\"numbers\"><caption>{}, n = {n}, c = {}: step {step} of {}</caption>\
         <tr><th scope=\"row\">forward evaluations so far</th><td>{}</td></tr>\
         <tr><th scope=\"row\">slots in use (peak so far)</th><td>{held} ({})</td></tr>\
         <tr><th scope=\"row\">adjoint steps done</th><td>{} of {n}</td></tr>\
         <tr><th scope=\"row\">forward evaluations, whole schedule</th><td>{}</td></tr>\
         <tr><th scope=\"row\">peak slots, whole schedule</th><td>{}</td></tr></table>",
        s.strategy.label(),
        s.slots(),
        r.events.len(),
        fmt_count(snap.evals),
        snap.peak,
        snap.reverses,
        count_str(evals, "ckpt-forward-evals"),
        count_str(peak as u64, "ckpt-peak-slots"),
    );
    if s.c.value > n {
        let _ = write!(
            out,
            "<p class=\"warning\" data-testid=\"ckpt-slots-note\">c = {} is more than the {n} states a schedule could \
             store (x<sub>0</sub> … x<sub>{}</sub>): using c = {n}, which stores everything.</p>",
            s.c.value,
            n - 1
        );
    }
    let _ = write!(
        out,
        "<p class=\"hint\" data-testid=\"ckpt-event\">{}</p>",
        narrate(r, step)
    );
    match &r.grad {
        Some((run, all)) => {
            let same = run
                .grad
                .iter()
                .zip(&all.grad)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            let _ = write!(
                out,
                "<table class=\"numbers\"><caption>The gradient, run on the AD core (per-step VJPs on the tape)</caption>\
                 <tr><th scope=\"row\">∂L/∂x<sub>0</sub>, this schedule</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">∂L/∂x<sub>0</sub>, storing everything</th><td>{}</td></tr></table>\
                 <p class=\"hint\">{}{}</p>",
                components(&run.grad, "ckpt-grad"),
                components(&all.grad, "ckpt-grad-exact"),
                if same { "The same bits: replaying a step forward recomputes exactly the stored state." } else { "They differ." },
                if s.example == Example::Logistic { " From x₀ = 0.25 the map sits at 0.75, so ∂L/∂x₀ = 2·(−2)ⁿ⁻¹ (−16 at n = 4); past n = 1024 it overflows." } else { "" },
            );
        }
        None => {
            let _ = write!(
                out,
                "<p class=\"hint\">The gradient is not run for this schedule: it needs {} forward evaluations, and the page \
                 runs at most {} (the counts above are exact).</p>",
                fmt_count(evals),
                fmt_count(MAX_RUN)
            );
        }
    }
    out
}

/// The gradient's components (the first carries the hook).
fn components(g: &[f64], id: &str) -> String {
    g.iter()
        .enumerate()
        .map(|(i, v)| num_str(*v, (i == 0).then_some(id), None))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What event `step` (1-based) did.
fn narrate(r: &MemoryResults, step: usize) -> String {
    match step.checked_sub(1).and_then(|i| r.events.get(i)) {
        None => "Step 0: x₀ is stored (it is the input). → starts the schedule.".into(),
        Some(Event::Forward { from, to, store }) => {
            let kept = if store.is_empty() {
                String::new()
            } else if store.len() <= 6 {
                format!(", storing {}", store.iter().map(|k| format!("x<sub>{k}</sub>")).collect::<Vec<_>>().join(", "))
            } else {
                format!(", storing {} states", store.len())
            };
            let what = if *from == 0 && step == 1 { "forward sweep" } else { "replay" };
            format!(
                "Step {step}: {what} from x<sub>{from}</sub> to x<sub>{to}</sub>: {} forward evaluation{}{kept}.",
                to - from,
                if to - from == 1 { "" } else { "s" }
            )
        }
        Some(Event::Reverse { k, free }) => format!(
            "Step {step}: the adjoint of step {k}, x̄<sub>{}</sub> → x̄<sub>{k}</sub>, using x<sub>{k}</sub>{}.",
            k + 1,
            if *free { " (then its slot is freed)" } else { "" }
        ),
    }
}

/// The time line: states 0 … n, the stored ones, the current one, the adjoints known, the forward runs as arcs.
fn timeline(r: &MemoryResults, s: &MemoryState, step: usize) -> Html {
    let n = s.n.value;
    if n > MAX_DRAWN {
        return raw(format!(
            "<p class=\"hint\" data-testid=\"ckpt-timeline\">The time line is drawn for n ≤ {MAX_DRAWN}; the counters and \
             totals hold for n = {}.</p>",
            fmt_count(n as u64)
        ));
    }
    let snap = snapshot(&r.events, n, step);
    let w = 940.0 / (n as f64 + 1.0);
    let x = |k: usize| 10.0 + (k as f64 + 0.5) * w;
    let mut svg = String::new();
    // Arcs: every forward run so far, the latest one emphasised.
    let runs: Vec<(usize, &Event)> = r.events[..step.min(r.events.len())]
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Forward { .. }))
        .collect();
    for (j, (i, e)) in runs.iter().enumerate() {
        if let Event::Forward { from, to, .. } = e {
            let (a, b) = (x(*from), x(*to));
            let h = ((b - a) * 0.35).clamp(8.0, 70.0);
            let class = if *i + 1 == step {
                "arc now"
            } else if j + 8 < runs.len() {
                "arc old"
            } else {
                "arc"
            };
            let _ = write!(
                svg,
                "<path class=\"{class}\" d=\"M{} 96 Q{} {} {} 96\"/>",
                fmt_rounded(a, 1),
                fmt_rounded((a + b) / 2.0, 1),
                fmt_rounded(96.0 - 2.0 * h, 1),
                fmt_rounded(b, 1)
            );
        }
    }
    for k in 0..=n {
        let mut class = String::from("st");
        if snap.held.contains(&k) {
            class.push_str(" held");
        }
        if k >= snap.frontier {
            class.push_str(" adj");
        }
        if k == snap.current {
            class.push_str(" cur");
        }
        let _ = write!(
            svg,
            "<rect class=\"{class}\" x=\"{}\" y=\"100\" width=\"{}\" height=\"26\" rx=\"2\"><title>x{k}</title></rect>",
            fmt_rounded(x(k) - w * 0.42, 1),
            fmt_rounded(w * 0.84, 1)
        );
    }
    let ticks = if n <= 20 {
        1
    } else if n <= 100 {
        10
    } else {
        20
    };
    for k in (0..=n).filter(|k| k % ticks == 0 || *k == n) {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"146\" text-anchor=\"middle\">{k}</text>",
            fmt_rounded(x(k), 1)
        );
    }
    let svg: std::rc::Rc<str> = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tl\" width=\"960\" height=\"156\" viewBox=\"0 0 960 156\" \
         role=\"img\" aria-label=\"States x0 to x{n}: {} stored, adjoints known from x{} on\"><style>{TIMELINE_STYLE}</style>\
         {svg}</svg>",
        snap.held.len(),
        snap.frontier.min(n)
    )
    .into();
    html! {
        <figure class="timeline" data-testid="ckpt-timeline" tabindex="0" role="region" aria-label="The time line">
            { raw(svg.to_string() + "<figcaption><span class=\"key held\"></span> stored (a slot) <span class=\"key adj\">\
                </span> adjoint known <span class=\"key cur\"></span> current state; arcs: forward runs (the latest bold).\
                </figcaption>") }
            { figure_saves("checkpointing-timeline", svg, (960.0, 156.0)) }
        </figure>
    }
}

/// The time line carries its style (so that the downloaded file is the drawing on the page): the page's colours
/// where it is shown, the light theme's (the fallbacks) in the file.
const TIMELINE_STYLE: &str = ".tl .st{fill:var(--panel,#fff);stroke:var(--muted,#56606b);stroke-width:1}\
.tl .st.adj{fill:var(--adjoint-soft,#efe9fb);stroke:var(--adjoint,#6d28d9)}\
.tl .st.held{fill:var(--accent,#1f5fae);stroke:var(--accent,#1f5fae)}\
.tl .st.held.adj{fill:var(--adjoint,#6d28d9);stroke:var(--adjoint,#6d28d9)}.tl .st.cur{stroke:var(--tangent,#a04a07);stroke-width:3}\
.tl .arc{fill:none;stroke:var(--tangent,#a04a07);stroke-width:1.5;opacity:.55}.tl .arc.old{opacity:.18}\
.tl .arc.now{stroke-width:3;opacity:1}.tl text{font-family:var(--sans,sans-serif);font-size:13px;fill:var(--muted,#56606b)}";

/// Every strategy's totals for this n and c.
fn totals(r: &MemoryResults, s: &MemoryState) -> String {
    let mut out = format!(
        "<div data-part=\"table\"><h2>Time against memory, n = {}</h2><table class=\"numbers cols\"><thead><tr><th scope=\"col\">strategy</th>\
         <th scope=\"col\">forward evaluations</th><th scope=\"col\">peak slots</th></tr></thead>",
        fmt_count(s.n.value as u64)
    );
    for t in &r.totals {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            t.strategy.label(),
            fmt_count(t.evals),
            fmt_count(t.peak as u64)
        );
    }
    out.push_str(
        "</table><p class=\"hint\">Forward evaluations count the steps replayed forward, not the evaluation of step k \
         inside its own adjoint: storing everything costs n − 1, storing only x₀ costs n(n − 1)/2, binomial \
         checkpointing r·n − β(c + 1, r − 1) where β(c, r − 1) &lt; n ≤ β(c, r).</p></div>",
    );
    out
}
