//! Chapter models: each chapter's state, the actions that change it, its permalink, and the results it shows — pure
//! Rust, so they are tested natively. The `ui` module renders them.

pub mod grad;
pub mod graph;
pub mod numeric;
pub mod program;
pub mod symbolic;

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use crate::base::url::Location;

/// A shared, immutable value compared by identity: two states hold "the same graph" when they hold the same
/// compilation, which is cheap to check on every update (comparing graphs node by node is not).
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Shared<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a chapter's model gives the plumbing every chapter shares.
pub trait ChapterModel: Clone + PartialEq + 'static {
    type Action;
    /// The chapter this is the model of (its route).
    const CHAPTER: Chapter;
    fn apply(&self, action: Self::Action) -> Self;
    /// The state a permalink describes; what could not be used is said in `notices`.
    fn from_location(loc: &Location, notices: &mut Vec<String>) -> Self;
    /// The state as query pairs, for the permalink.
    fn query(&self) -> Vec<(String, String)>;
}

/// The chapters, in the lecture's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chapter {
    Contents,
    Grad,
    Numeric,
    Symbolic,
    Graph,
}

impl Chapter {
    pub const ALL: &'static [Chapter] = &[
        Chapter::Contents,
        Chapter::Grad,
        Chapter::Numeric,
        Chapter::Symbolic,
        Chapter::Graph,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Chapter::Contents => "/",
            Chapter::Grad => "/grad",
            Chapter::Numeric => "/numeric",
            Chapter::Symbolic => "/symbolic",
            Chapter::Graph => "/graph",
        }
    }

    pub fn from_path(path: &str) -> Option<Chapter> {
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() { "/" } else { path };
        Chapter::ALL.iter().copied().find(|c| c.path() == path)
    }

    pub fn href(self) -> String {
        format!("#{}", self.path())
    }

    pub fn title(self) -> &'static str {
        match self {
            Chapter::Contents => "Contents",
            Chapter::Grad => "What is automatic differentiation?",
            Chapter::Numeric => "Not numerical differentiation: finite differences and the step h",
            Chapter::Symbolic => "Not symbolic differentiation: expression swell",
            Chapter::Graph => "The computational graph: forward and reverse mode",
        }
    }

    /// The navigation label.
    pub fn short_title(self) -> &'static str {
        match self {
            Chapter::Contents => "Contents",
            Chapter::Grad => "What is AD?",
            Chapter::Numeric => "Not numerical",
            Chapter::Symbolic => "Not symbolic",
            Chapter::Graph => "Graph lab",
        }
    }

    /// One sentence for the contents page.
    pub fn summary(self) -> &'static str {
        match self {
            Chapter::Contents => "The chapters of the lecture.",
            Chapter::Grad => {
                "Type a function — an expression or the lecture's Python — and get its value and exact gradient, \
                 by reverse mode and by forward mode, next to a finite-difference estimate."
            }
            Chapter::Numeric => {
                "Finite differences are inexact: see their error against the step h — truncation for large h, \
                 round-off for small h — and why a gradient costs n + 1 evaluations."
            }
            Chapter::Symbolic => {
                "Symbolic differentiation is exact but its expressions swell exponentially; automatic differentiation \
                 keeps intermediate results and grows linearly."
            }
            Chapter::Graph => {
                "Watch a function become a graph of elementary operations, then step through forward mode (tangents \
                 flow with the values) and reverse mode (values stored, then adjoints flow back), node by node."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        for &c in Chapter::ALL {
            assert_eq!(Chapter::from_path(c.path()), Some(c));
        }
        assert_eq!(Chapter::from_path(""), Some(Chapter::Contents));
        assert_eq!(Chapter::from_path("/grad/"), Some(Chapter::Grad));
        assert_eq!(Chapter::from_path("/nope"), None);
    }
}
