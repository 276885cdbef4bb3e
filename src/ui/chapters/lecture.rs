//! `#/lecture` — presenter mode: the lecture's slides, each a live chapter in the script's state, with the lecture's
//! words; keys for a clicker (→ ← PageDown PageUp), F full screen, B blank, D dark (the shell's), Esc to leave.
//!
//! The lecture's state is its address (`slide`, `sub`): moving to another slide writes it (the router re-renders);
//! the slide's chapter reports its steps, written into `sub` without re-rendering.

use yew::prelude::*;

use super::{embed, ChapterProps};
use crate::base::url::Location;
use crate::lab::lecture::{LectureAction, LectureState, SLIDES};
use crate::lab::ChapterModel;
use crate::ui::components::{url_notice, Pen};
use crate::ui::dom;
use crate::ui::keymap::{use_keys, Binding};
use crate::ui::registry;

thread_local! {
    /// Whether the pen is on, kept from one slide to the next (each slide's view starts afresh).
    static PEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn lecture_hash(s: &LectureState) -> String {
    crate::base::url::build("/lecture", &s.query())
}

#[component]
pub fn LectureChapter(props: &ChapterProps) -> Html {
    let mut notices = props.location.problems.clone();
    let state = LectureState::from_location(&props.location, &mut notices);
    let blank = use_state(|| false);
    // The pen stays on from slide to slide; its strokes belong to one slide (and `C` wipes them).
    let pen = use_state(|| PEN.get());
    {
        let on = *pen;
        use_effect_with(on, |&on| PEN.set(on));
    }
    let wipes = use_state(|| 0u32);
    let chapter = state.chapter_hash();
    let go = |a: LectureAction| {
        let next = lecture_hash(&state.apply(a));
        move || dom::set_hash(&next)
    };
    {
        // The slide's chapter registers its keys after these, so its steps come first: → moves on to the next slide
        // only once the chapter has no step left (and ← once it is at step 0).
        let (leave, b, p, w) = (chapter.clone(), blank.clone(), pen.clone(), wipes.clone());
        use_keys(vec![
            Binding::new(
                &["ArrowRight", "PageDown"],
                "→",
                "next step, then next slide",
                go(LectureAction::Next),
            ),
            Binding::new(
                &["ArrowLeft", "PageUp"],
                "←",
                "previous step, then previous slide",
                go(LectureAction::Prev),
            ),
            Binding::new(&["f", "F"], "F", "full screen", dom::toggle_fullscreen),
            Binding::new(
                &["b", "B", "."],
                "B",
                "blank the screen (again to come back)",
                move || b.set(!*b),
            ),
            Binding::new(
                &["p", "P"],
                "P",
                "pen: draw over the slide (again to stop)",
                move || p.set(!*p),
            ),
            Binding::new(&["c", "C"], "C", "wipe the pen's strokes", move || {
                w.set(*w + 1)
            }),
            Binding::new(
                &["Escape"],
                "Esc",
                "leave presenter mode (to this slide's chapter)",
                move || dom::set_hash(&leave),
            ),
        ]);
    }
    let slide = state.current();
    {
        let s = state.clone();
        embed(Some(Callback::from(move |q: Vec<(String, String)>| {
            let sub = q
                .iter()
                .find(|(k, _)| k == "step")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            // Only while the address is still this slide's (a chapter may report after the teacher moved on).
            let here = Location::parse(&dom::hash());
            if here.path == "/lecture" && here.get("slide") == Some(s.slide.to_string().as_str()) {
                dom::replace_hash(&lecture_hash(&s.apply(LectureAction::Sub(sub))));
            }
        })));
    }
    use_effect_with((), |_| || embed(None));
    let click = |a: LectureAction| {
        let f = go(a);
        Callback::from(move |_: MouseEvent| f())
    };
    // The chapter's parts the slide does not show are hidden (see `Slide::show`).
    let hide = slide
        .show
        .split_whitespace()
        .fold(".presenter [data-part]".to_string(), |sel, part| {
            sel + &format!(":not([data-part=\"{part}\"])")
        })
        + " { display: none; }";
    html! {
        <div class="presenter">
            <style>{ hide }</style>
            { url_notice(&notices) }
            <div class="slide-bar">
                <span class="counter" data-testid="slide-counter">{ format!("{} / {}", state.slide, SLIDES.len()) }</span>
                <p class="slide-caption" data-testid="slide-caption" data-key={slide.key.0} data-expect={slide.key.1} data-show={slide.show}>{ slide.caption }</p>
                <button type="button" data-testid="slide-prev" onclick={click(LectureAction::Prev)} aria-label="Previous slide">{ "◀" }</button>
                <button type="button" data-testid="slide-next" onclick={click(LectureAction::Next)} aria-label="Next slide">{ "▶" }</button>
                <button type="button" data-testid="pen-toggle" aria-pressed={if *pen { "true" } else { "false" }}
                    title="Draw over the slide (P); C wipes" onclick={{ let p = pen.clone(); Callback::from(move |_: MouseEvent| p.set(!*p)) }}>{ "✎ Pen" }</button>
                <a class="leave" href={chapter.clone()}>{ "Leave (Esc)" }</a>
            </div>
            if let Some(e) = registry::find(slide.route) {
                <h2 class="slide-title">{ e.title }</h2>
                { (e.view)(Location::parse(&chapter), format!("slide-{}", state.slide)) }
            }
            <Pen key={format!("{}-{}", state.slide, *wipes)} on={*pen} />
            if *blank {
                <div class="blank" data-testid="blank-screen" onclick={{ let b = blank.clone(); Callback::from(move |_: MouseEvent| b.set(false)) }}></div>
            }
        </div>
    }
}
