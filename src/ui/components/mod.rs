//! Components shared by the chapters.

pub mod editor;
pub mod field;
pub mod fit;
pub mod graph_view;
pub mod inputs;
pub mod markup;
pub mod math;
pub mod notice;
pub mod number;
pub mod pen;
pub mod player;
pub mod stepper;
pub mod trace_table;

pub use editor::{program_editor, program_panel};
pub use field::{number_field, select_field};
pub use fit::Fit;
pub use graph_view::GraphView;
pub use inputs::input_fields;
pub use markup::{
    array_table, class_list, count_str, esc, figure_saves, json, markup, num_str, program_section,
    raw, rel_diff,
};
pub use notice::url_notice;
pub use number::num;
pub use pen::Pen;
pub use player::{player_row, use_player};
pub use stepper::{slide_steps, step_controls, use_stepper, SlideSteps, Step, Stepper};
pub use trace_table::{use_row_window, TraceTable};

/// What a mount effect returns: run when the component goes.
pub type Teardown = Box<dyn FnOnce()>;

/// An effect run once, when the component is first drawn; the function it returns runs when the component goes.
/// Every such effect in the site goes through this one use of Yew's effect hook (each `use_effect_with((), closure)`
/// compiles Yew's effect machinery again for its own closure type).
#[yew::hook]
pub fn use_mount(effect: Box<dyn FnOnce() -> Teardown>) {
    yew::use_effect_with((), move |_| effect());
}

/// An effect run when `deps` change (and on mount), through one use of Yew's effect hook per type of `deps` rather
/// than one per closure; the effect returns what undoes it, `None` when there is nothing to undo.
#[yew::hook]
pub fn use_change<D: PartialEq + 'static>(
    deps: D,
    effect: Box<dyn FnOnce(&D) -> Option<Teardown>>,
) {
    yew::use_effect_with(deps, move |d| {
        let undo = effect(d);
        move || {
            if let Some(f) = undo {
                f()
            }
        }
    });
}

/// `use_state` with its initial value at hand (a constant, or one cheap to compute on every render): every call with
/// the same type goes through one use of Yew's state hook (a `use_state(|| …)` compiles its machinery again for each
/// closure, 0.5 KB of wasm each).
#[yew::hook]
pub fn use_value<T: 'static>(init: T) -> yew::UseStateHandle<T> {
    yew::use_state(move || init)
}
