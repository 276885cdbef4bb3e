//! One view per chapter. Each owns a reducer over its [`crate::lab`] model and mirrors its state into the address (so
//! a copied link restores the view). The shell renders the chapter's title from the registry.

pub mod chain;
pub mod contents;
pub mod grad;
pub mod graph;
mod graph_arrays;
pub mod hyper;
pub mod learn;
pub mod lecture;
pub mod memory;
pub mod network;
pub mod numeric;
pub mod symbolic;

use std::ops::Deref;
use std::rc::Rc;

use yew::prelude::*;

use crate::base::url::Location;
use crate::lab::ChapterModel;

thread_local! {
    /// The page is embedded (`?embed=1`): the address keeps saying so as the chapter writes its state.
    static EMBED_PAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the page as embedded in another (set by the shell from the address).
pub fn set_embed_page(on: bool) {
    EMBED_PAGE.with(|e| e.set(on));
}

/// Writes a chapter's state into the address bar without adding a history entry.
pub fn sync_url(path: &str, query: &[(String, String)]) {
    let mut query = query.to_vec();
    if EMBED_PAGE.with(|e| e.get()) {
        query.push(("embed".into(), "1".into()));
    }
    super::dom::replace_hash_soon(&crate::base::url::build(path, &query), 150);
}

#[derive(Properties, PartialEq)]
pub struct ChapterProps {
    pub location: Location,
}

/// A chapter model as a Yew reducer: an action that changes nothing keeps the same state, so nothing re-renders.
#[derive(Clone, PartialEq)]
pub struct Model<T>(pub T);

impl<T: ChapterModel> Reducible for Model<T> {
    type Action = T::Action;

    fn reduce(self: Rc<Self>, action: T::Action) -> Rc<Self> {
        let next = self.0.apply(action);
        if next == self.0 {
            self
        } else {
            Rc::new(Model(next))
        }
    }
}

impl<T> Deref for Model<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A chapter's state: read from its permalink once, then driven by actions, and mirrored into the address. Also
/// returns the notices about the permalink.
#[hook]
pub fn use_chapter<T: ChapterModel>(
    location: &Location,
) -> (UseReducerHandle<Model<T>>, Rc<(T, Vec<String>)>) {
    let initial = use_memo((), {
        let loc = location.clone();
        move |_| {
            let mut notices = loc.problems.clone();
            let state = T::from_location(&loc, &mut notices);
            (state, notices)
        }
    });
    let state = use_reducer({
        let s = initial.0.clone();
        move || Model(s)
    });
    let route = {
        let p = location.path.trim_end_matches('/');
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    };
    use_address(route, state.query());
    (state, initial)
}

thread_local! {
    /// Set by presenter mode while it shows a slide: the slide's chapter reports its permalink query here instead of
    /// writing the address (which is the lecture's).
    static EMBEDDED: std::cell::RefCell<Option<Callback<Vec<(String, String)>>>> = const { std::cell::RefCell::new(None) };
}

/// Presenter mode's hook into its slide's chapter (`None` when it goes).
pub fn embed(report: Option<Callback<Vec<(String, String)>>>) {
    EMBEDDED.with(|e| *e.borrow_mut() = report);
}

fn embedded() -> Option<Callback<Vec<(String, String)>>> {
    EMBEDDED.with(|e| e.borrow().clone())
}

/// Whether the chapter is shown on a lecture slide.
pub fn is_embedded() -> bool {
    EMBEDDED.with(|e| e.borrow().is_some())
}

/// Mirrors a chapter's query into the address (one copy for every chapter, not one per state type).
#[hook]
fn use_address(route: String, query: Vec<(String, String)>) {
    let outer = embedded().is_none();
    use_effect_with(query, move |q| match embedded() {
        Some(report) => report.emit(q.clone()),
        None => sync_url(&route, q),
    });
    // Leaving the chapter drops an address it has not written yet.
    crate::ui::components::use_mount(Box::new(move || {
        Box::new(move || {
            if outer {
                super::dom::cancel_pending_hash()
            }
        })
    }));
}

/// Turns a chapter's dispatcher into the callbacks its controls take: `d.reform_action(GradAction::H)`.
pub trait Dispatch<A> {
    fn reform_action<X: 'static>(&self, f: impl Fn(X) -> A + 'static) -> Callback<X>;
    /// A click that dispatches `action`.
    fn on_click(&self, action: A) -> Callback<MouseEvent>;
}

impl<T: ChapterModel> Dispatch<T::Action> for UseReducerDispatcher<Model<T>>
where
    T::Action: Clone + 'static,
{
    fn reform_action<X: 'static>(&self, f: impl Fn(X) -> T::Action + 'static) -> Callback<X> {
        let d = self.clone();
        Callback::from(move |x| d.dispatch(f(x)))
    }

    fn on_click(&self, action: T::Action) -> Callback<MouseEvent> {
        let d = self.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(action.clone()))
    }
}
