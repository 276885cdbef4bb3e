//! Step, play/pause and reset for an iteration a chapter drives (the meta-descent on ρ, the descent on λ).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::dom::Interval;

/// Whether playing, and the play/pause toggle. Playing calls `tick` every `ms` milliseconds from an interval owned
/// by the toggle (an effect could starve while renders keep coming); it stops on pause and when the chapter goes.
#[hook]
pub fn use_player(ms: u32, tick: Callback<()>) -> (bool, Callback<MouseEvent>) {
    let playing = crate::ui::components::use_value(false);
    let timer: Rc<RefCell<Option<Interval>>> = use_mut_ref(|| None);
    let toggle = {
        let playing = playing.clone();
        Callback::from(move |_: MouseEvent| {
            if *playing {
                timer.borrow_mut().take();
                playing.set(false);
            } else {
                let tick = tick.clone();
                *timer.borrow_mut() = Interval::new(ms, move || tick.emit(()));
                playing.set(true);
            }
        })
    };
    (*playing, toggle)
}

/// The buttons: `step` = (test id, label, click), play/pause (`play_id`), reset, then `extra` (a counter).
pub fn player_row(
    aria: &'static str,
    step: (&'static str, &'static str, Callback<MouseEvent>),
    play_id: &'static str,
    (playing, toggle): (bool, Callback<MouseEvent>),
    reset: Callback<MouseEvent>,
    extra: Html,
) -> Html {
    html! {
        <div class="control-row steps" role="group" aria-label={aria}>
            <button type="button" data-testid={step.0} onclick={step.2}>{ step.1 }</button>
            <button type="button" data-testid={play_id} aria-pressed={if playing { "true" } else { "false" }} onclick={toggle}>
                { if playing { "❚❚ pause" } else { "▶ play" } }
            </button>
            <button type="button" onclick={reset}>{ "reset" }</button>
            { extra }
        </div>
    }
}
