//! The keyboard: one listener, owned by the app shell. Chapters register their shortcuts with [`use_keys`] on every
//! render (so a shortcut always sees the chapter's current state) and they are dropped when the chapter goes. Keys
//! never fire while the user types in a field; `?` shows them all.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// One shortcut: the keys (as `KeyboardEvent.key` names them), what it does (for the help), and the action. The
/// action says whether it did something: one that did not (→ at the last step) lets the key go on to the next
/// owner's shortcuts (the presenter's next slide).
#[derive(Clone)]
pub struct Binding {
    pub keys: &'static [&'static str],
    /// How the keys are written in the help, e.g. `← →`.
    pub shown: &'static str,
    pub does: &'static str,
    pub run: Rc<dyn Fn() -> bool>,
}

impl Binding {
    pub fn new(
        keys: &'static [&'static str],
        shown: &'static str,
        does: &'static str,
        run: impl Fn() + 'static,
    ) -> Binding {
        Binding::maybe(keys, shown, does, move || {
            run();
            true
        })
    }

    /// A shortcut that may decline (returns `false`), passing the key on.
    pub fn maybe(
        keys: &'static [&'static str],
        shown: &'static str,
        does: &'static str,
        run: impl Fn() -> bool + 'static,
    ) -> Binding {
        Binding {
            keys,
            shown,
            does,
            run: Rc::new(run),
        }
    }
}

/// The shortcuts in force: each owner's list (the shell's own, and the mounted chapter's).
/// The owner of a modal's keys (the keys help, the share box): offered keys before any chapter; while it is
/// registered, only it and the shell ([`SHELL`]) are offered keys, so that a clicker's keys do not move the slide
/// behind the box.
pub const MODAL: u32 = u32::MAX;

/// The owner of the shell's own keys (theme, large text, the boxes).
pub const SHELL: u32 = 0;

#[derive(Clone, Default)]
pub struct Keymap(Rc<RefCell<Vec<(u32, Vec<Binding>)>>>);

impl PartialEq for Keymap {
    fn eq(&self, other: &Keymap) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Keymap {
    pub fn set(&self, owner: u32, bindings: Vec<Binding>) {
        let mut map = self.0.borrow_mut();
        match map.iter_mut().find(|(o, _)| *o == owner) {
            Some(slot) => slot.1 = bindings,
            None => map.push((owner, bindings)),
        }
    }

    pub fn remove(&self, owner: u32) {
        self.0.borrow_mut().retain(|(o, _)| *o != owner);
    }

    /// Every binding, in the order keys are offered to them: a modal's ([`MODAL`]) first, then the latest owner's
    /// (a chapter's keys win over the shell's).
    pub fn all(&self) -> Vec<Binding> {
        self.of(|_| true)
    }

    /// The bindings of the owners `keep` keeps, in the order of [`Keymap::all`].
    fn of(&self, keep: impl Fn(u32) -> bool) -> Vec<Binding> {
        let map = self.0.borrow();
        let owners = || map.iter().rev().filter(|(o, _)| keep(*o));
        owners()
            .filter(|(o, _)| *o == MODAL)
            .chain(owners().filter(|(o, _)| *o != MODAL))
            .flat_map(|(_, b)| b.iter().cloned())
            .collect()
    }

    /// Runs the shortcut for `e`, if any; returns whether one ran.
    pub fn handle(&self, e: &KeyboardEvent) -> bool {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || e.is_composing() {
            return false;
        }
        let target = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok());
        let tag = target
            .as_ref()
            .map(|el| el.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(tag.as_str(), "input" | "textarea" | "select")
            || target.as_ref().is_some_and(|el| el.is_content_editable())
        {
            return false;
        }
        let key = e.key();
        // Space and Enter on a button press the button.
        if tag == "button" && matches!(key.as_str(), " " | "Enter") {
            return false;
        }
        let boxed = self.0.borrow().iter().any(|(o, _)| *o == MODAL);
        for b in self
            .of(|o| !boxed || o == MODAL || o == SHELL)
            .into_iter()
            .filter(|b| b.keys.contains(&key.as_str()))
        {
            if (b.run)() {
                e.prevent_default();
                return true;
            }
        }
        false
    }
}

thread_local! {
    static NEXT_OWNER: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// Registers a component's shortcuts for as long as it is mounted.
#[hook]
pub fn use_keys(bindings: Vec<Binding>) {
    let keymap = use_context::<Keymap>().unwrap_or_default();
    let owner = *use_state(|| {
        NEXT_OWNER.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        })
    });
    keymap.set(owner, bindings);
    crate::ui::components::use_mount(Box::new(move || Box::new(move || keymap.remove(owner))));
}
