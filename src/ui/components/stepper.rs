//! Stepping through a sequence (a trace, a schedule, a product order): the buttons, the counter, play/pause at a
//! chosen speed, and the keys (← → Home End, space), the same in every chapter that steps.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::dom;
use crate::ui::keymap::{use_keys, Binding};

/// What a step control asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Next,
    Prev,
    Reset,
    End,
    /// Straight to step k.
    To(usize),
}

const SPEEDS: [(u32, &str); 5] = [
    (2000, "slow"),
    (1000, "normal"),
    (500, "fast"),
    (200, "very fast"),
    (60, "fastest"),
];

/// The state of a stepper, for [`step_controls`].
pub struct Stepper {
    pub step: usize,
    pub total: usize,
    pub playing: bool,
    speed: UseStateHandle<u32>,
    toggle: Rc<dyn Fn()>,
    on: Callback<Step>,
}

/// What presenter mode sees of its slide's stepper (there is one at most): where it is, and how to move it — at once,
/// or played step by step up to a build.
#[derive(Clone)]
pub struct SlideSteps {
    pub step: usize,
    pub total: usize,
    /// The step a play towards a build is heading for, while it plays.
    pub heading: Option<usize>,
    pub go: Callback<usize>,
    pub play_to: Callback<usize>,
}

thread_local! {
    /// The slide's stepper and the stepper it came from (an old slide's, going, must not clear a new one's).
    static SLIDE_STEPS: std::cell::RefCell<Option<(SlideSteps, usize)>> = const { std::cell::RefCell::new(None) };
    static NEXT_STEPPER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The slide's stepper, as of its last render (`None` when the slide's chapter does not step).
pub fn slide_steps() -> Option<SlideSteps> {
    SLIDE_STEPS.with(|s| s.borrow().as_ref().map(|(x, _)| x.clone()))
}

/// Play/pause (one step per tick until the end; play at the end starts again from step 0) and the keys. On a lecture
/// slide the presenter owns → and ← (they walk the slide's builds, see [`SlideSteps`]).
#[hook]
pub fn use_stepper(step: usize, total: usize, on: Callback<Step>) -> Stepper {
    let playing = crate::ui::components::use_value(false);
    let speed = crate::ui::components::use_value(1000u32);
    // A play up to a step (a presenter's build), with its own pace.
    let goal = use_state(|| None::<(usize, u32)>);
    let embedded = crate::ui::chapters::is_embedded();
    let me = *use_state(|| {
        NEXT_STEPPER.with(|n| {
            n.set(n.get() + 1);
            n.get()
        })
    });
    let at_end = step >= total;
    let (running, ms, end) = match *goal {
        Some((t, ms)) => (true, ms, step >= t.min(total)),
        None => (*playing, *speed, at_end),
    };
    {
        let on = on.clone();
        let (playing_handle, goal_handle) = (playing.clone(), goal.clone());
        use_effect_with((running, ms, end), move |&(running, ms, end)| {
            if running && end {
                playing_handle.set(false);
                goal_handle.set(None);
            }
            let interval = (running && !end)
                .then(|| dom::Interval::new(ms, move || on.emit(Step::Next)))
                .flatten();
            move || drop(interval)
        });
    }
    if embedded {
        let g = goal.clone();
        let on = on.clone();
        let from = step;
        SLIDE_STEPS.with(|s| {
            *s.borrow_mut() = Some((
                SlideSteps {
                    step,
                    total,
                    heading: (*goal).map(|(t, _)| t).filter(|&t| t > step),
                    go: {
                        let (g, on) = (goal.clone(), on.clone());
                        Callback::from(move |k: usize| {
                            g.set(None);
                            on.emit(Step::To(k))
                        })
                    },
                    // About a second whatever the distance, never slower than 3 steps a second.
                    play_to: Callback::from(move |t: usize| {
                        let ms = (1000 / t.saturating_sub(from).max(1) as u32).clamp(40, 330);
                        g.set(Some((t, ms)))
                    }),
                },
                me,
            ))
        });
    }
    crate::ui::components::use_mount(Box::new(move || {
        Box::new(move || {
            SLIDE_STEPS.with(|s| {
                let mut s = s.borrow_mut();
                if s.as_ref().is_some_and(|(_, owner)| *owner == me) {
                    *s = None;
                }
            })
        })
    }));
    let toggle: Rc<dyn Fn()> = {
        let (playing, running) = (playing.clone(), *playing);
        let on = on.clone();
        Rc::new(move || {
            if !running && at_end {
                on.emit(Step::Reset);
            }
            playing.set(!running)
        })
    };
    {
        let (next, prev) = (on.clone(), on.clone());
        let (home, end) = (on.clone(), on.clone());
        let space = toggle.clone();
        use_keys(vec![
            // At the last step → declines, so the page's next owner (the presenter's next slide) gets it.
            Binding::maybe(&["ArrowRight", "PageDown"], "→", "next step", move || {
                let more = step < total && !embedded;
                if more {
                    next.emit(Step::Next);
                }
                more
            }),
            Binding::maybe(
                &["ArrowLeft", "PageUp"],
                "←",
                "previous step",
                move || {
                    let back = step > 0 && !embedded;
                    if back {
                        prev.emit(Step::Prev);
                    }
                    back
                },
            ),
            Binding::new(&["Home"], "Home", "back to step 0", move || {
                home.emit(Step::Reset)
            }),
            Binding::new(&["End"], "End", "last step", move || end.emit(Step::End)),
            Binding::new(&[" "], "space", "play or pause", move || space()),
        ]);
    }
    Stepper {
        step,
        total,
        playing: *playing,
        speed,
        toggle,
        on,
    }
}

fn pressed(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// The controls: |◀ ◀ play ▶ ▶|, the speed, and `step-counter` reading `k / K`.
pub fn step_controls(s: &Stepper) -> Html {
    let click = |step: Step| s.on.reform(move |_: MouseEvent| step);
    let toggle = s.toggle.clone();
    let on_play = Callback::from(move |_: MouseEvent| toggle());
    let on_speed = {
        let speed = s.speed.clone();
        Callback::from(move |e: Event| {
            if let Ok(ms) = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
            {
                speed.set(ms);
            }
        })
    };
    html! {
        <div class="control-row steps" role="group" aria-label="Steps">
            <button type="button" data-testid="step-reset" onclick={click(Step::Reset)} title="Back to step 0 (Home)" aria-label="Reset">{ "|◀" }</button>
            <button type="button" data-testid="step-prev" onclick={click(Step::Prev)} title="Previous step (←)" aria-label="Previous step">{ "◀" }</button>
            <button type="button" data-testid="step-play" onclick={on_play} aria-pressed={pressed(s.playing)}
                title="Play or pause (space)" aria-label="Play">
                { if s.playing { "❚❚ pause" } else { "▶ play" } }
            </button>
            <button type="button" data-testid="step-next" onclick={click(Step::Next)} title="Next step (→)" aria-label="Next step">{ "▶" }</button>
            <button type="button" data-testid="step-end" onclick={click(Step::End)} title="Last step (End)" aria-label="Last step">{ "▶|" }</button>
            <select aria-label="Speed" class="speed" onchange={on_speed}>
                { for SPEEDS.iter().map(|(ms, name)| html! {
                    <option value={ms.to_string()} selected={*ms == *s.speed}>{ *name }</option>
                }) }
            </select>
            <span class="counter" data-testid="step-counter">{ format!("{} / {}", s.step, s.total) }</span>
        </div>
    }
}
