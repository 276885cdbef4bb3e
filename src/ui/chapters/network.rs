//! `#/network` — Example 1: a neural network trained by stochastic gradients, backprop by the array engine (`ad::nd`), on the very graph its numpy program traces to.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{use_chapter, ChapterProps, Dispatch};
use crate::base::num::{fmt_count, fmt_full, fmt_rounded, fmt_sig};
use crate::base::url::percent_encode;
use crate::lab::network::data::Dataset;
use crate::lab::network::{grad_check, NetworkAction, NetworkState, Preset, Trainer};
use crate::lab::network::{Activation, Loss};
use crate::lab::Shared;
use crate::ui::canvas::{Plot, PlotCanvas};
use crate::ui::components::{markup, num_str, number_field, raw, select_field, url_notice};
use crate::ui::dom;
use crate::ui::keymap::{use_keys, Binding};

/// Points per side of the grid the map is computed on.
const GRID: usize = 64;
/// Training time per frame when playing fast (the rest of the frame draws).
const BUDGET_MS: f64 = 5.0;
/// Replaying a link's epochs: this much training per frame, then the page shows its progress.
const REPLAY_MS: f64 = 12.0;

/// What the animation loop reads each frame (written at each render).
#[derive(Clone, Copy)]
struct Control {
    ms_per_epoch: f64,
    at_end: bool,
    fast: bool,
}

#[component]
pub fn NetworkChapter(props: &ChapterProps) -> Html {
    let (state, initial) = use_chapter::<NetworkState>(&props.location);
    let d = state.dispatcher();
    let settings = state.settings();
    let max_epoch = settings.max_epoch();
    let playing = crate::ui::components::use_value(false);
    let fast = crate::ui::components::use_value(true);
    let control = use_mut_ref(|| Control {
        ms_per_epoch: 1.0,
        at_end: false,
        fast: true,
    });
    // The example whose sweep is shown; `None`: the one with the largest loss.
    let example = crate::ui::components::use_value(None::<usize>);

    // The trainer follows the state: rebuilt when a setting changes (or the epoch goes back), then trained to it.
    // A long replay (a link to epoch 20 000) runs a frame's worth at a time, the page redrawn in between with its
    // progress: never more than a frame of work in one go.
    let trainer = use_mut_ref(|| Trainer::new(&settings));
    let redraw = use_force_update();
    let replay = use_mut_ref(|| None::<dom::Timeout>);
    let replaying = {
        let mut t = trainer.borrow_mut();
        if t.settings != settings || t.epoch > state.epoch {
            *t = Trainer::new(&settings);
        }
        let (before, t0) = (t.epoch, dom::now());
        let there = t.train_until(state.epoch, || dom::now() - t0 < REPLAY_MS);
        if t.epoch > before {
            control.borrow_mut().ms_per_epoch =
                ((dom::now() - t0) / (t.epoch - before) as f64).max(0.01);
        }
        *replay.borrow_mut() =
            (!there).then(|| dom::Timeout::new(0, move || redraw.force_update()));
        (!there).then_some(t.epoch)
    };
    // The curves are redrawn at most ten times a second while training plays (the map every frame).
    let curves = use_mut_ref(|| (Shared::new(Vec::new()), f64::NEG_INFINITY));
    let (boundary, history, last, test_acc) = {
        let mut t = trainer.borrow_mut();
        let test_acc = t.history.last().map(|h| h.test_accuracy);
        let mut c = curves.borrow_mut();
        let now = dom::now();
        if !*playing || now - c.1 >= 100.0 || c.0.len() > t.history.len() {
            *c = (Shared::new(t.history.clone()), now);
        }
        (Shared::new(t.boundary(GRID)), c.0.clone(), t.last, test_acc)
    };

    // Play: every animation frame, as many epochs as fit in the budget (or one), until the last epoch. The loop is
    // started and stopped by the handlers themselves (not by an effect: effects wait while renders keep coming).
    let runner = use_mut_ref(|| None::<dom::Frames>);
    {
        let mut c = control.borrow_mut();
        c.at_end = state.epoch >= max_epoch;
        c.fast = *fast;
    }
    let stop = {
        let (runner, playing) = (runner.clone(), playing.setter());
        Rc::new(move || {
            runner.borrow_mut().take();
            playing.set(false);
        })
    };
    let toggle = {
        let (runner, playing_set, d) = (runner.clone(), playing.setter(), d.clone());
        let (control, stop) = (control.clone(), stop.clone());
        let (running, at_end) = (*playing, state.epoch >= max_epoch);
        Rc::new(move || {
            if running {
                stop();
                return;
            }
            if at_end {
                d.dispatch(NetworkAction::Reset);
                control.borrow_mut().at_end = false;
            }
            let (control, d, stop_inner) = (control.clone(), d.clone(), runner.clone());
            let set = playing_set.clone();
            *runner.borrow_mut() = Some(dom::Frames::new(move |_| {
                let c = *control.borrow();
                if c.at_end {
                    stop_inner.borrow_mut().take();
                    set.set(false);
                    return;
                }
                let k = if c.fast {
                    (BUDGET_MS / c.ms_per_epoch).floor().clamp(1.0, 200.0) as usize
                } else {
                    1
                };
                d.dispatch(NetworkAction::Advance(k));
            }));
            playing_set.set(true);
        })
    };
    {
        let (t, s, r) = (toggle.clone(), d.clone(), d.clone());
        let (stop1, stop2) = (stop.clone(), stop.clone());
        use_keys(vec![
            Binding::new(&[" "], "space", "train or pause", move || t()),
            // On a lecture slide → belongs to the presenter (train with space or the buttons there).
            Binding::maybe(&["ArrowRight"], "→", "train one epoch", move || {
                let own = !super::is_embedded();
                if own {
                    stop1();
                    s.dispatch(NetworkAction::Advance(1));
                }
                own
            }),
            Binding::new(&["Home"], "Home", "back to epoch 0", move || {
                stop2();
                r.dispatch(NetworkAction::Reset)
            }),
        ]);
    }

    let micro = state.preset == Preset::Micrograd;
    let on_play = {
        let t = toggle.clone();
        Callback::from(move |_: MouseEvent| t())
    };
    let on_step = {
        let (stop, d) = (stop.clone(), d.clone());
        Callback::from(move |_: MouseEvent| {
            stop();
            d.dispatch(NetworkAction::Advance(1));
        })
    };
    let on_reset = {
        let (stop, d) = (stop.clone(), d.clone());
        Callback::from(move |_: MouseEvent| {
            stop();
            d.dispatch(NetworkAction::Reset);
        })
    };
    let on_speed = {
        let fast = fast.clone();
        Callback::from(move |e: Event| {
            fast.set(e.target_unchecked_into::<HtmlSelectElement>().value() == "fast")
        })
    };
    let ((x0, x1), _) = boundary.domain;
    let panel = {
        let trainer = trainer.clone();
        let batch = state.batch.value;
        use_memo(
            (
                settings.clone(),
                state.epoch,
                *example,
                *playing || replaying.is_some(),
            ),
            move |(_, _, example, busy)| {
                (!*busy).then(|| Panel::compute(&mut trainer.borrow_mut(), *example, batch))
            },
        )
    };
    html! {
        <>
            { url_notice(&initial.1) }
            { markup("<p class=\"lead\">A neural network with parameters θ: x₀ = x, x<sub>k+1</sub> = σ(W<sub>k</sub>x<sub>k</sub> + \
                b<sub>k</sub>), f<sub>θ</sub>(x) = x<sub>K</sub>. Training looks for θ minimising C(θ) = (1/n) Σ<sub>i</sub> \
                ℓ(f<sub>θ</sub>(x<sup>i</sup>), y<sup>i</sup>). How to get ∇C(θ)? Autodiff: C(θ) is a sequence of elementary \
                operations — here on whole arrays (a matrix product, a bias, an activation, the loss), each with its \
                backward rule beside it. Nothing below is hand-written backprop.</p>") }
            <div class="two-col network">
                <div class="col">
                    <fieldset class="inputs" data-part="settings">
                        <legend>{ "The network and its training" }</legend>
                        { select_field("nn-preset", "recipe", vec![
                            ("micrograd", "micrograd's demo (reproducible)".to_string(), micro),
                            ("custom", "your own".to_string(), !micro),
                        ], d.reform_action(|v: String| NetworkAction::Preset(if v == "micrograd" { Preset::Micrograd } else { Preset::Custom }))) }
                        { select_field("nn-dataset", "data", Dataset::ALL.iter().map(|x| (x.name(), x.name().to_string(), *x == state.dataset)).collect(),
                            d.reform_action(|v: String| NetworkAction::Dataset(Dataset::from_name(&v).unwrap_or(Dataset::Moons)))) }
                        { number_field("nn-layers", "hidden layers", &state.layers, d.reform_action(NetworkAction::Layers), |v| v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")) }
                        { select_field("nn-activation", "activation σ", Activation::ALL.iter().map(|x| (x.name(), x.name().to_string(), *x == state.activation)).collect(),
                            d.reform_action(|v: String| NetworkAction::Activation(Activation::from_name(&v).unwrap_or(Activation::Relu)))) }
                        { select_field("nn-loss", "loss ℓ", Loss::ALL.iter().map(|x| (x.name(), loss_text(*x).to_string(), *x == state.loss)).collect(),
                            d.reform_action(|v: String| NetworkAction::Loss(Loss::from_name(&v).unwrap_or(Loss::Hinge)))) }
                        { number_field("nn-lr", "learning rate", &state.lr, d.reform_action(NetworkAction::Lr), |v| fmt_full(*v)) }
                        if micro { <p class="hint">{ "micrograd's schedule: 1 − 0.9·k/100 at step k, for 100 steps." }</p> }
                        { number_field("nn-batch", "batch size", &state.batch, d.reform_action(NetworkAction::Batch), |v| v.to_string()) }
                        { number_field("nn-l2", "L2 penalty λ", &state.l2, d.reform_action(NetworkAction::L2), |v| fmt_full(*v)) }
                        { number_field("nn-seed", "seed", &state.seed, d.reform_action(NetworkAction::Seed), |v| v.to_string()) }
                    </fieldset>
                    <p class="hint">{ format!(
                        "{} parameters, {} training points{}; batches of {}; C(θ) = mean ℓ + λ·Σ θ². Weights start at 2u − 1 (u uniform), biases at 0.",
                        fmt_count(settings.spec().parameters() as u64),
                        settings.train_size(),
                        if micro { "" } else { " (and 250 held out)" },
                        settings.batch.min(settings.train_size()),
                    ) }</p>
                </div>
                <div class="col">
                    <div class="control-row steps" role="group" aria-label="Training">
                        <button type="button" data-testid="nn-reset" onclick={on_reset} title="Back to epoch 0 (Home)">{ "|◀ reset" }</button>
                        <button type="button" data-testid="nn-play" onclick={on_play} aria-pressed={if *playing { "true" } else { "false" }} title="Train or pause (space)">
                            { if *playing { "❚❚ pause" } else { "▶ train" } }
                        </button>
                        <button type="button" data-testid="nn-step" onclick={on_step} title="One epoch (→)">{ "+1 epoch" }</button>
                        <select aria-label="Speed" class="speed" data-testid="nn-speed" onchange={on_speed}>
                            <option value="fast" selected={*fast}>{ "fast: epochs per frame" }</option>
                            <option value="slow" selected={!*fast}>{ "slow: one epoch per frame" }</option>
                        </select>
                    </div>
                    if let Some(k) = replaying {
                        <p class="notice" role="status" data-testid="nn-replay">{ format!(
                            "Retraining to epoch {} (training is deterministic: the same settings give the same numbers): {} done…",
                            fmt_count(state.epoch as u64), fmt_count(k as u64)) }</p>
                    } else {
                        { raw(numbers_text(state.epoch, max_epoch, last, test_acc)) }
                    }
                    <div class="map-box" data-part="map">
                        <PlotCanvas figure={Plot::new(boundary.clone())} testid="nn-boundary" filename="decision-boundary.png"
                            label={format!("The classifier's score over the plane at epoch {}: blue where it says +1, orange where it says −1; training points filled, held-out points as rings", state.epoch)} />
                    </div>
                    { raw(format!("<p class=\"hint legend-line\"><span class=\"swatch neg\"></span>label −1 <span class=\"swatch pos\">\
                        </span>label +1 — x and y from {} to {}</p>", fmt_sig(x0, 3), fmt_sig(x1, 3))) }
                </div>
            </div>
            <div class="figure-part" data-part="curves">
                <PlotCanvas figure={Plot::new(history)} testid="nn-loss-plot" filename="training.png"
                    label="The objective and the accuracy against the epoch" />
            </div>
            <div data-part="example">
                if let Some(p) = &*panel {
                    { panels(p, &state, example.setter()) }
                } else {
                    <p class="hint">{ "Pause to see one example's sweep, the memory and cost of a step, and the gradient check." }</p>
                }
            </div>
        </>
    }
}

/// Before the first step there is no batch to report on.
fn not_yet() -> String {
    "<span class=\"hint\">no step yet</span>".to_string()
}

/// Epoch, the last step's objective and accuracy, the held-out accuracy.
fn numbers_text(epoch: usize, max: usize, last: Option<(f64, f64)>, test: Option<f64>) -> String {
    let row = |name: &str, value: String| {
        format!("<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>")
    };
    let mut out = format!(
        "<table class=\"numbers nn-numbers\">{}{}{}",
        row("epoch", format!("<span class=\"num\" data-testid=\"nn-epoch\" data-value=\"{epoch}\">{} / {}</span>", fmt_count(epoch as u64), fmt_count(max as u64))),
        row("objective on the last step's batch", last.map_or_else(not_yet, |l| num_str(l.0, Some("nn-loss-value"), Some(6)))),
        row("accuracy on that batch", last.map_or_else(not_yet, |l| num_str(l.1, Some("nn-accuracy"), Some(4)))),
    );
    if let Some(a) = test.filter(|a| !a.is_nan()) {
        out.push_str(&row(
            "accuracy on the held-out points",
            num_str(a, Some("nn-test-accuracy"), Some(4)),
        ));
    }
    out.push_str("</table>");
    out
}

fn loss_text(l: Loss) -> &'static str {
    match l {
        Loss::Hinge => "hinge: max(0, 1 − y·s)",
        Loss::Logistic => "logistic: log(1 + e^(−y·s))",
        Loss::Squared => "squared: ½(s − y)²",
    }
}

/// What the panels show while paused: one example's sweep, memory, cost, gradient check.
struct Panel {
    sweep: crate::lab::network::Sweep,
    program: String,
    /// The whole objective as a numpy program (the data, the current weights).
    numpy: String,
    batch: usize,
    bytes: usize,
    full: usize,
    check: crate::lab::network::GradCheck,
    fwd_ms: f64,
    both_ms: f64,
    /// Training steps taken so far.
    steps: usize,
    /// Training points.
    sweep_n: usize,
}

impl Panel {
    fn compute(t: &mut Trainer, example: Option<usize>, batch: usize) -> Panel {
        let example = example.unwrap_or_else(|| t.worst());
        let sweep = t.sweep(example);
        let program = t.program(sweep.example);
        let numpy = t.numpy_program();
        let batch = batch.min(t.train.len());
        let (fwd_ms, both_ms) = measure(t, batch);
        Panel {
            program,
            numpy,
            batch,
            bytes: t.mlp.stored_bytes(batch),
            full: t.mlp.stored_bytes(t.train.len()),
            check: grad_check(t, 6),
            fwd_ms,
            both_ms,
            steps: t.step,
            sweep_n: t.train.len(),
            sweep,
        }
    }
}

fn panels(p: &Panel, state: &NetworkState, set_example: UseStateSetter<Option<usize>>) -> Html {
    let n = state.settings().train_size();
    let i = p.sweep.example;
    let prev = {
        let s = set_example.clone();
        Callback::from(move |_: MouseEvent| s.set(Some(i.saturating_sub(1))))
    };
    let next = Callback::from(move |_: MouseEvent| set_example.set(Some((i + 1).min(n - 1))));
    let (x, y, l) = p.sweep.input;
    html! {
        <>
            <h2>{ "One example, forward then backward" }</h2>
            <div class="control-row">
                <button type="button" class="small" onclick={prev} aria-label="Previous example">{ "◀" }</button>
                <span data-testid="nn-example">{ format!("example {i} of {n}: x = ({}, {}), label {}", fmt_sig(x, 4), fmt_sig(y, 4), fmt_full(l)) }</span>
                <button type="button" class="small" onclick={next} aria-label="Next example">{ "▶" }</button>
                { raw(format!("<a href=\"#/graph?f={}&amp;mode=reverse\" data-testid=\"nn-graph-link\">Open this example in the graph lab, as a \
                    scalar program</a>", percent_encode(&p.program))) }
            </div>
            { raw(format!(
                "<p>The whole objective, as the lecture would write it with numpy and autograd (the training data, the \
                 current weights): <a href=\"#/graph?f={0}&amp;mode=reverse\" data-testid=\"nn-numpy-graph-link\">a graph \
                 of array operations in the graph lab</a>, stepped back layer by layer; <a href=\"#/grad?f={0}\" \
                 data-testid=\"nn-numpy-grad-link\">its gradient on “What is AD?”</a>: training runs this very graph, so the numbers are training's to the bit.</p>",
                percent_encode(&p.numpy)
            )) }
            { raw(panel_text(p)) }
        </>
    }
}

/// The display-only part of the panels, as markup.
fn panel_text(p: &Panel) -> String {
    let strip = |v: &[f64]| {
        let scale = v.iter().fold(1e-12f64, |m, x| m.max(x.abs()));
        let cells: String = v
            .iter()
            .map(|x| {
                let a = (x / scale).clamp(-1.0, 1.0);
                let (rgb, a) = if a >= 0.0 {
                    ("31,95,174", a)
                } else {
                    ("194,94,16", -a)
                };
                format!(
                    "<span class=\"cell\" style=\"background:rgba({rgb},{})\" title=\"{}\"></span>",
                    fmt_rounded(a, 2),
                    fmt_full(*x)
                )
            })
            .collect();
        format!("<span class=\"strip\">{cells}</span>")
    };
    let k_last = p.sweep.layers.len();
    let rows: String = p
        .sweep
        .layers
        .iter()
        .enumerate()
        .map(|(k, (a, g))| {
            let name = if k + 1 == k_last {
                "score s".to_string()
            } else {
                format!("x{} ({})", k + 1, a.len())
            };
            format!(
                "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td></tr>",
                strip(a),
                strip(g)
            )
        })
        .collect();
    let ratio = p.both_ms / p.fwd_ms;
    let ms = |v: f64, id: &str| {
        format!(
            "<span class=\"num\" data-testid=\"{id}\" data-value=\"{}\">{} ms</span>",
            fmt_full(v),
            fmt_sig(v, 3)
        )
    };
    let bytes = |v: usize, id: &str| {
        format!(
            "<td class=\"num\"{id} data-value=\"{v}\">{} bytes</td>",
            fmt_count(v as u64)
        )
    };
    let checks: String = p
        .check
        .rows
        .iter()
        .map(|&(i, r, f, c)| {
            format!(
                "<tr><th scope=\"row\">θ{i}</th><td data-label=\"reverse mode\">{}</td><td data-label=\"forward mode\">{}</td>\
                 <td data-label=\"central difference\">{}</td></tr>",
                num_str(r, None, Some(10)),
                num_str(f, None, Some(10)),
                num_str(c, None, Some(10))
            )
        })
        .collect();
    format!(
        "<div data-part=\"sweep\"><div class=\"scroll-x\" tabindex=\"0\" role=\"region\" aria-label=\"Activations and adjoints, layer by layer\">\
         <table class=\"sweep\" data-testid=\"nn-sweep\"><thead><tr><th scope=\"col\">layer</th>\
         <th scope=\"col\" class=\"fwd\">activations xₖ (stored on the way forward)</th>\
         <th scope=\"col\" class=\"rev\">adjoints ∂ℓ/∂xₖ (on the way back)</th></tr></thead><tbody>{rows}</tbody></table></div>\
         <p class=\"hint\">ℓ = {loss} for this example.{zero} Blue positive, orange negative, each row scaled to its largest \
         entry; hover a cell for its value.</p></div>\
         <div data-part=\"cost\"><h2>Memory and cost of one step</h2><table class=\"numbers\">\
         <tr><th scope=\"row\">values the backward pass needs kept, batch of {batch}</th>{b1}</tr>\
         <tr><th scope=\"row\">the same for the full batch of {n}</th>{b2}</tr>\
         <tr><th scope=\"row\">forward pass, one batch (measured)</th><td>{f}</td></tr>\
         <tr><th scope=\"row\">forward + backward + update (measured)</th><td>{t}</td></tr>\
         <tr><th scope=\"row\">training step ÷ evaluation</th><td>{r}</td></tr></table>\
         <p class=\"hint\">Backward needs every intermediate activation of the batch kept: memory grows with the batch and \
         with the depth. A step costs {r2}× an evaluation (the gradient is cheap: a small multiple of the function), but \
         training repeats it for every batch of every epoch — {steps} steps so far, {evals} evaluations' worth: much more \
         expensive to train than to evaluate once.</p></div>\
         <div data-part=\"gradcheck\"><h2>Gradient check</h2><table class=\"numbers gradcheck\"><thead><tr><th scope=\"col\">parameter</th>\
         <th scope=\"col\" class=\"rev\">reverse mode (VJP)</th><th scope=\"col\" class=\"fwd\">forward mode (JVP)</th>\
         <th scope=\"col\">central difference</th></tr></thead><tbody>{checks}</tbody></table>\
         <p>Largest relative difference, reverse mode against central differences: {g1}; against forward mode: {g2}.</p></div>",
        loss = fmt_sig(p.sweep.loss, 6),
        zero = if p.sweep.loss == 0.0 {
            " Its adjoints are all zero: the loss is flat here (with the hinge loss, a point beyond the margin, y·s ≥ 1, \
             pushes nothing back). Every training point has loss 0 now; this is the one nearest the margin."
        } else {
            ""
        },
        batch = p.batch,
        b1 = bytes(p.bytes, " data-testid=\"nn-tape-bytes\""),
        n = fmt_count(p.sweep_n as u64),
        b2 = bytes(p.full, ""),
        f = ms(p.fwd_ms, "nn-cost-forward"),
        t = ms(p.both_ms, "nn-cost-train"),
        r = num_str(ratio, Some("nn-cost-ratio"), Some(3)),
        r2 = fmt_sig(ratio, 2),
        steps = fmt_count(p.steps as u64),
        evals = fmt_count((p.steps as f64 * ratio).round() as u64),
        g1 = num_str(p.check.max_rel, Some("nn-gradcheck"), Some(3)),
        g2 = num_str(p.check.max_rel_forward, Some("nn-gradcheck-forward"), Some(3)),
    )
}

/// Milliseconds of a forward pass and of a training step on one batch: repeated for ~15 ms each, then divided (a
/// single pass is shorter than the browser's clock resolution).
fn measure(t: &Trainer, batch: usize) -> (f64, f64) {
    let mut net = t.mlp.clone();
    net.set_batch(&t.train.xs[..2 * batch], &t.train.ys[..batch]);
    let time = |f: &mut dyn FnMut()| {
        let t0 = dom::now();
        let mut reps = 0u32;
        loop {
            f();
            reps += 1;
            let elapsed = dom::now() - t0;
            if elapsed >= 15.0 || reps >= 1_000_000 {
                return (elapsed / reps as f64).max(1e-6);
            }
        }
    };
    let fwd = time(&mut || {
        net.forward();
    });
    let both = time(&mut || {
        net.forward();
        net.backward();
        net.descend(0.0);
    });
    (fwd, both)
}
