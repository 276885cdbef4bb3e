//! `#/lecture` — presenter mode: the lecture's slides, each a live chapter in the script's state under the lecture's
//! words, fitted to one screen. Keys for a clicker (→ ← PageDown PageUp walk a slide's builds, then the slides), `N`
//! next slide, `End` the slide's last build, `S` the speaker view, F full screen, B blank, P pen, C wipe, D dark (the
//! shell's), Esc to the chapter as it is on screen. On a phone, swipe left or right.
//!
//! The lecture's state is its address (`slide`, `sub`): moving to another slide writes it (the router re-renders);
//! the slide's chapter reports its steps, written into `sub` without re-rendering the chapter. `speaker=1` is the
//! speaker view (current and next slide, notes, a timer), `preview=1` a slide as the speaker view shows it; the
//! windows talk through a `BroadcastChannel`.

use std::rc::Rc;

use yew::prelude::*;

use super::{embed, ChapterProps};
use crate::base::tex;
use crate::base::url::{build, Location};
use crate::lab::lecture::{builds, LectureAction, LectureState, Sub, SLIDES};
use crate::lab::ChapterModel;
use crate::ui::components::{esc, pen, raw, slide_steps, url_notice, Fit, Pen};
use crate::ui::dom;
use crate::ui::keymap::{use_keys, Binding};
use crate::ui::registry;

const CHANNEL: &str = "adlab-lecture";

thread_local! {
    /// Whether the pen is on, kept from one slide to the next (each slide's view starts afresh).
    static PEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The address of the slide's chapter as it is on screen (its last report): where Esc goes.
    static ON_SCREEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn lecture_hash(s: &LectureState) -> String {
    build("/lecture", &s.query())
}

#[component]
pub fn LectureChapter(props: &ChapterProps) -> Html {
    match props.location.get("speaker") {
        Some("1") => html! { <Speaker location={props.location.clone()} /> },
        _ => html! { <Presenter location={props.location.clone()} /> },
    }
}

/// What the presenter can be asked to do, by a key, a button, a swipe or the speaker view.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmd {
    Next,
    Prev,
    NextSlide,
    PrevSlide,
    First,
    Last,
    Go(usize),
}

impl Cmd {
    fn parse(s: &str) -> Option<Cmd> {
        Some(match s {
            "next" => Cmd::Next,
            "prev" => Cmd::Prev,
            "next-slide" => Cmd::NextSlide,
            "prev-slide" => Cmd::PrevSlide,
            "first" => Cmd::First,
            "last" => Cmd::Last,
            _ => Cmd::Go(s.strip_prefix("go ")?.parse().ok()?),
        })
    }

    fn name(self) -> String {
        match self {
            Cmd::Next => "next".into(),
            Cmd::Prev => "prev".into(),
            Cmd::NextSlide => "next-slide".into(),
            Cmd::PrevSlide => "prev-slide".into(),
            Cmd::First => "first".into(),
            Cmd::Last => "last".into(),
            Cmd::Go(k) => format!("go {k}"),
        }
    }
}

/// Carries out `cmd` on the lecture at `state`: builds first (played up to the next one), then slides.
fn run(state: &LectureState, cmd: Cmd) {
    let go = |a: LectureAction| dom::set_hash(&lecture_hash(&state.apply(a)));
    // Only a slide the script says steps has builds (a chapter may step without the slide using it).
    let steps = slide_steps().filter(|_| state.current().steps);
    match cmd {
        Cmd::Next => {
            if let Some(st) = steps {
                let b = builds(st.total);
                // A second press while a build plays finishes it at once and plays the next.
                let from = st.heading.unwrap_or(st.step);
                if let Some(&next) = b.iter().find(|&&k| k > from) {
                    if st.heading.is_some() {
                        st.go.emit(from);
                    }
                    st.play_to.emit(next);
                    return;
                }
                if st.heading.is_some() {
                    st.go.emit(from);
                    return;
                }
            }
            if state.slide < SLIDES.len() {
                go(LectureAction::Next)
            }
        }
        Cmd::Prev => match steps {
            Some(st) if st.step > 0 || st.heading.is_some() => {
                let back = builds(st.total)
                    .into_iter()
                    .rev()
                    .find(|&k| k < st.step)
                    .unwrap_or(0);
                st.go.emit(back);
            }
            _ if state.slide > 1 => go(LectureAction::Prev),
            _ => {}
        },
        Cmd::NextSlide if state.slide < SLIDES.len() => go(LectureAction::Next),
        Cmd::PrevSlide if state.slide > 1 => go(LectureAction::Go(state.slide - 1)),
        Cmd::NextSlide | Cmd::PrevSlide => {}
        Cmd::First => {
            if let Some(st) = steps {
                st.go.emit(0)
            }
        }
        Cmd::Last => {
            if let Some(st) = steps {
                st.go.emit(st.total)
            }
        }
        Cmd::Go(k) if (1..=SLIDES.len()).contains(&k) => go(LectureAction::Go(k)),
        Cmd::Go(_) => {}
    }
}

#[derive(Properties, PartialEq)]
struct PresenterProps {
    location: Location,
}

#[component]
fn Presenter(props: &PresenterProps) -> Html {
    let preview = props.location.get("preview") == Some("1");
    let mut notices = props.location.problems.clone();
    let state = LectureState::from_location(&props.location, &mut notices);
    let blank = crate::ui::components::use_value(false);
    let pen_on = crate::ui::components::use_value(PEN.get() && !preview);
    {
        let on = *pen_on;
        crate::ui::components::use_change(
            on,
            Box::new(move |&on| {
                if !preview {
                    PEN.set(on)
                }
                None
            }),
        );
    }
    let wipes = crate::ui::components::use_value(0u32);
    // A new slide: its chapter has reported nothing yet (the first render of each slide's view).
    use_state(|| ON_SCREEN.with(|o| *o.borrow_mut() = None));
    // The step the slide's chapter last reported (its builds are drawn from it).
    let at = crate::ui::components::use_value(None::<usize>);
    let chapter = state.chapter_hash();
    let slide = state.current();
    let runner: Rc<dyn Fn(Cmd)> = {
        let s = state.clone();
        Rc::new(move |cmd| run(&s, cmd))
    };

    // The speaker view's window: it says where the lecture is, and sends its commands here.
    let channel = use_mut_ref(|| None::<dom::Channel>);
    {
        let (channel, runner) = (channel.clone(), runner.clone());
        let slide_no = state.slide;
        crate::ui::components::use_change(
            slide_no,
            Box::new(move |_| {
                if !preview {
                    let r = runner.clone();
                    let reply = Rc::new(std::cell::RefCell::new(None::<Rc<dyn Fn()>>));
                    let reply2 = reply.clone();
                    let c = dom::Channel::new(CHANNEL, move |m| {
                        if m == "hello" {
                            if let Some(f) = reply2.borrow().as_ref() {
                                f()
                            }
                        } else if let Some(cmd) = m.strip_prefix("cmd ").and_then(Cmd::parse) {
                            r(cmd)
                        }
                    });
                    if let Some(c) = &c {
                        c.post(&format!("at {slide_no} {}", step_now()));
                    }
                    *channel.borrow_mut() = c;
                    let ch = channel.clone();
                    *reply.borrow_mut() = Some(Rc::new(move || {
                        if let Some(c) = ch.borrow().as_ref() {
                            c.post(&format!("at {slide_no} {}", step_now()))
                        }
                    }));
                }
                None
            }),
        );
    }
    crate::ui::components::use_mount(Box::new(|| Box::new(|| embed(None))));
    {
        let (b, p, w, leave) = (
            blank.clone(),
            pen_on.clone(),
            wipes.clone(),
            chapter.clone(),
        );
        let slide_no = state.slide;
        let r = |cmd: Cmd| {
            let runner = runner.clone();
            move || runner(cmd)
        };
        let keys = vec![
            Binding::new(
                &["ArrowRight", "PageDown"],
                "→",
                "next build, then next slide",
                r(Cmd::Next),
            ),
            Binding::new(
                &["ArrowLeft", "PageUp"],
                "←",
                "previous build, then previous slide",
                r(Cmd::Prev),
            ),
            Binding::new(&["n", "N"], "N", "next slide now", r(Cmd::NextSlide)),
            Binding::new(&["End"], "End", "the slide's last build", r(Cmd::Last)),
            Binding::new(&["Home"], "Home", "the slide's first build", r(Cmd::First)),
            Binding::new(
                &["s", "S"],
                "S",
                "speaker view (a second window)",
                move || open_speaker(slide_no),
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
            Binding::new(
                &["c", "C"],
                "C",
                "wipe this slide's pen strokes",
                move || {
                    pen::wipe(slide_no);
                    w.set(*w + 1)
                },
            ),
            Binding::new(
                &["Escape"],
                "Esc",
                "leave presenter mode: this slide's chapter as it is on screen",
                move || dom::set_hash(&on_screen(&leave)),
            ),
        ];
        // A preview (in the speaker view) takes no keys.
        use_keys(if preview { Vec::new() } else { keys });
    }
    {
        let s = state.clone();
        let (channel, at) = (channel.clone(), at.clone());
        let route = slide.route;
        embed(Some(Callback::from(move |q: Vec<(String, String)>| {
            ON_SCREEN.with(|o| *o.borrow_mut() = Some(build(route, &q)));
            let sub = q
                .iter()
                .find(|(k, _)| k == "step")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            at.set(Some(sub));
            // Only while the address is still this slide's (a chapter may report after the teacher moved on).
            let here = Location::parse(&dom::hash());
            if here.path == "/lecture" && here.get("slide") == Some(s.slide.to_string().as_str()) {
                let mut q = s.apply(LectureAction::Sub(sub)).query();
                if preview {
                    q.push(("preview".into(), "1".into()));
                }
                dom::replace_hash(&build("/lecture", &q));
                if let Some(c) = channel.borrow().as_ref() {
                    c.post(&format!("at {} {sub}", s.slide));
                }
            }
        })));
    }
    let click = |cmd: Cmd| {
        let runner = runner.clone();
        Callback::from(move |_: MouseEvent| runner(cmd))
    };
    // A swipe on a phone (with the pen off): left for the next build or slide, right for the previous.
    let swipe_from = use_mut_ref(|| None::<(i32, i32)>);
    let (on_down, on_up) = {
        let (from, from2, runner) = (swipe_from.clone(), swipe_from.clone(), runner.clone());
        let pen = *pen_on;
        (
            Callback::from(move |e: PointerEvent| {
                if !pen && e.pointer_type() == "touch" {
                    *from.borrow_mut() = Some((e.client_x(), e.client_y()));
                }
            }),
            Callback::from(move |e: PointerEvent| {
                if let Some((x, y)) = from2.borrow_mut().take() {
                    let (dx, dy) = (e.client_x() - x, e.client_y() - y);
                    if dx.abs() > 60 && dx.abs() > 2 * dy.abs() {
                        runner(if dx < 0 { Cmd::Next } else { Cmd::Prev });
                    }
                }
            }),
        )
    };
    // The chapter's parts the slide does not show are hidden (see `Slide::show`).
    let hide = slide
        .show
        .split_whitespace()
        .fold(".presenter [data-part]".to_string(), |sel, part| {
            sel + &format!(":not([data-part=\"{part}\"])")
        })
        + " { display: none; }";
    let build_dots = slide_steps().filter(|_| slide.steps).map(|st| {
        let b = builds(st.total);
        let now = at.unwrap_or(st.step);
        let done = b.iter().filter(|&&k| k <= now).count();
        (done, b.len(), st.heading.is_some())
    });
    let leave = {
        let chapter = chapter.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            dom::set_hash(&on_screen(&chapter));
        })
    };
    let key = if preview {
        format!("slide-{}-{}", state.slide, sub_text(state.sub))
    } else {
        format!("slide-{}", state.slide)
    };
    html! {
        <div class={classes!("presenter", preview.then_some("preview"), (!matches!(slide.route, "/grad" | "/")).then_some("layout-grid"))} data-slide={state.slide.to_string()} data-route={slide.route}>
            <style>{ hide }</style>
            if !preview {
                { url_notice(&notices) }
            }
            <header class="slide-head">
                { raw(format!(
                    "<div class=\"slide-meta\"><span class=\"counter\" data-testid=\"slide-counter\">{} / {}</span>{}</div>",
                    state.slide,
                    SLIDES.len(),
                    build_dots.map_or(String::new(), |(done, all, busy)| format!(
                        "<span class=\"builds\" role=\"img\" data-testid=\"slide-builds\" data-done=\"{done}\" data-all=\"{all}\" \
                         data-busy=\"{busy}\" aria-label=\"build {done} of {all}\">{}</span>",
                        (1..=all).map(|i| if i <= done { "<span class=\"dot on\"></span>" } else { "<span class=\"dot\"></span>" }).collect::<String>()
                    )),
                )) }
                // The words apart: a build changes the dots above, not the slide's MathML.
                { raw(format!(
                    "<div class=\"slide-words\"><h2 class=\"slide-title\" data-testid=\"slide-title\">{}</h2><p class=\"slide-caption\" \
                     data-testid=\"slide-caption\" data-key=\"{}\" data-expect=\"{}\" data-show=\"{}\">{}</p></div>",
                    tex::to_html(slide.title),
                    esc(slide.key.0),
                    esc(slide.key.1),
                    slide.show,
                    tex::to_html(slide.caption),
                )) }
                if !preview {
                    <div class="slide-tools">
                        <button type="button" data-testid="slide-prev" onclick={click(Cmd::Prev)} aria-label="Back (←)" title="Back (←, PageUp)">{ "◀" }</button>
                        <button type="button" data-testid="slide-next" onclick={click(Cmd::Next)} aria-label="Next (→)" title="Next (→, PageDown)">{ "▶" }</button>
                        <button type="button" data-testid="pen-toggle" aria-pressed={if *pen_on { "true" } else { "false" }}
                            title="Draw over the slide (P); C wipes" onclick={{ let p = pen_on.clone(); Callback::from(move |_: MouseEvent| p.set(!*p)) }}>{ "✎" }<span class="label">{ " Pen" }</span></button>
                        <button type="button" data-testid="speaker-open" title="Speaker view in a second window (S)"
                            onclick={{ let k = state.slide; Callback::from(move |_: MouseEvent| open_speaker(k)) }}>{ "▤" }<span class="label">{ " Notes" }</span></button>
                        <a class="leave" href={chapter.clone()} onclick={leave} data-testid="slide-leave" title="Leave presenter mode (Esc)">{ "Leave" }</a>
                    </div>
                }
            </header>
            <div class="slide-stage" onpointerdown={on_down} onpointerup={on_up}>
                <Fit>
                    if let Some(e) = registry::find(slide.route) {
                        { (e.view)(Location::parse(&chapter), key) }
                    }
                </Fit>
                if !preview {
                    <Pen key={format!("{}-{}", state.slide, *wipes)} on={*pen_on} slide={state.slide} />
                }
            </div>
            if *blank {
                <div class="blank" data-testid="blank-screen" onclick={{ let b = blank.clone(); Callback::from(move |_: MouseEvent| b.set(false)) }}></div>
            }
        </div>
    }
}

fn sub_text(sub: Sub) -> String {
    match sub {
        Sub::Start => "0".into(),
        Sub::Step(k) => k.to_string(),
        Sub::End => "end".into(),
    }
}

/// The slide's chapter step now (for the speaker view).
fn step_now() -> String {
    slide_steps().map_or("0".into(), |s| s.step.to_string())
}

/// The chapter as it is on screen, or as the slide opened it.
fn on_screen(fallback: &str) -> String {
    ON_SCREEN
        .with(|o| o.borrow().clone())
        .unwrap_or_else(|| fallback.to_string())
}

fn open_speaker(slide: usize) {
    dom::open_window(
        &format!("#/lecture?slide={slide}&speaker=1"),
        "adlab-speaker",
        "popup,width=1280,height=800",
    );
}

#[derive(Properties, PartialEq)]
struct SpeakerProps {
    location: Location,
}

/// The speaker view: the slide on screen and the next one (as the audience sees them), the lecture's fuller words for
/// this slide, and a timer. Its keys and buttons drive the presenter's window.
#[component]
fn Speaker(props: &SpeakerProps) -> Html {
    let start = {
        let mut n = Vec::new();
        LectureState::from_location(&props.location, &mut n)
    };
    // Where the presenter's window is: (slide, step).
    let at = use_state(|| (start.slide, 0usize));
    let started = use_state(dom::now);
    let paused = use_state(|| None::<f64>);
    let tick = crate::ui::components::use_value(0u32);
    {
        let tick = tick.clone();
        crate::ui::components::use_mount(Box::new(move || {
            let i = dom::Interval::new(1000, move || tick.set(tick.wrapping_add(1)));
            Box::new(move || drop(i))
        }));
    }
    let channel = use_mut_ref(|| None::<dom::Channel>);
    {
        let (channel, at) = (channel.clone(), at.clone());
        crate::ui::components::use_mount(Box::new(move || {
            let c = dom::Channel::new(CHANNEL, move |m| {
                let mut parts = m.split_whitespace();
                if parts.next() == Some("at") {
                    let k = parts.next().and_then(|v| v.parse().ok());
                    let step = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
                    if let Some(k) = k {
                        at.set((k, step));
                    }
                }
            });
            if let Some(c) = &c {
                c.post("hello");
            }
            *channel.borrow_mut() = c;
            Box::new(|| {})
        }));
    }
    let send = {
        let channel = channel.clone();
        move |cmd: Cmd| {
            let channel = channel.clone();
            move || {
                if let Some(c) = channel.borrow().as_ref() {
                    c.post(&format!("cmd {}", cmd.name()))
                }
            }
        }
    };
    use_keys(vec![
        Binding::new(
            &["ArrowRight", "PageDown"],
            "→",
            "next build or slide (on the screen)",
            send(Cmd::Next),
        ),
        Binding::new(
            &["ArrowLeft", "PageUp"],
            "←",
            "previous build or slide",
            send(Cmd::Prev),
        ),
        Binding::new(&["n", "N"], "N", "next slide now", send(Cmd::NextSlide)),
    ]);
    let (k, step) = *at;
    let k = k.clamp(1, SLIDES.len());
    let here = LectureState {
        slide: k,
        sub: Sub::Start,
    };
    let slide = here.current();
    let elapsed = (paused.unwrap_or_else(dom::now) - *started).max(0.0) / 1000.0;
    let clock = format!(
        "{:02}:{:02}",
        (elapsed / 60.0) as u64,
        (elapsed as u64) % 60
    );
    let preview = |n: usize, sub: usize| {
        format!(
            "#/lecture?slide={n}{}&preview=1",
            if sub > 0 {
                format!("&sub={sub}")
            } else {
                String::new()
            }
        )
    };
    let button = |cmd: Cmd, text: &'static str, id: &'static str| {
        let f = send(cmd);
        html! { <button type="button" data-testid={id} onclick={Callback::from(move |_: MouseEvent| f())}>{ text }</button> }
    };
    let pause = {
        let (paused, started) = (paused.clone(), started.clone());
        Callback::from(move |_: MouseEvent| match *paused {
            Some(p) => {
                started.set(*started + (dom::now() - p));
                paused.set(None);
            }
            None => paused.set(Some(dom::now())),
        })
    };
    let reset = {
        let (paused, started) = (paused.clone(), started.clone());
        Callback::from(move |_: MouseEvent| {
            started.set(dom::now());
            if paused.is_some() {
                paused.set(Some(dom::now()));
            }
        })
    };
    html! {
        <div class="speaker" data-testid="speaker-view">
            <header class="speaker-head">
                <span class="counter" data-testid="speaker-slide">{ format!("slide {k} / {}", SLIDES.len()) }</span>
                <span class="timer" data-testid="speaker-timer" role="timer" aria-label="time since the start">{ clock }</span>
                <button type="button" onclick={pause}>{ if paused.is_some() { "▶ resume" } else { "❚❚ pause" } }</button>
                <button type="button" onclick={reset}>{ "reset" }</button>
                { button(Cmd::Prev, "◀ back", "speaker-prev") }
                { button(Cmd::Next, "next ▶", "speaker-next") }
            </header>
            <div class="speaker-grid">
                <section class="speaker-now" aria-label="On the screen">
                    <h2>{ raw(tex::to_html(slide.title)) }</h2>
                    <SlideFrame title="The slide on the screen" src={preview(k, step)} />
                </section>
                <section class="speaker-next" aria-label="Next slide">
                    { raw(format!("<h2>Next: {}</h2>", here.next().map_or("the end".to_string(), |s| tex::to_html(s.title)))) }
                    if k < SLIDES.len() {
                        <SlideFrame title="The next slide" src={preview(k + 1, 0)} />
                    }
                </section>
                { raw(format!(
                    "<section class=\"speaker-notes\" aria-label=\"Notes\"><h2>Notes</h2><p data-testid=\"speaker-notes\">{}</p></section>",
                    tex::to_html(slide.notes)
                )) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SlideFrameProps {
    title: AttrValue,
    src: String,
}

/// A slide as the audience sees it on a 1280 × 800 screen, scaled down to the frame's width.
#[component]
fn SlideFrame(props: &SlideFrameProps) -> Html {
    let frame = use_node_ref();
    {
        let frame = frame.clone();
        crate::ui::components::use_mount(Box::new(move || {
            let watch = frame.cast::<web_sys::HtmlElement>().and_then(|box_| {
                let b = box_.clone();
                dom::Resize::new(&box_, move || {
                    if let Some(iframe) = b.first_element_child() {
                        let s = b.client_width() as f64 / 1280.0;
                        let _ = iframe.set_attribute(
                            "style",
                            &format!("transform: scale({})", crate::base::num::fmt_rounded(s, 4)),
                        );
                    }
                })
            });
            Box::new(move || drop(watch))
        }));
    }
    html! {
        <div class="speaker-frame" ref={frame}>
            <iframe title={props.title.clone()} src={props.src.clone()} tabindex="-1"></iframe>
        </div>
    }
}
