//! Chapter models: each chapter's state, the actions that change it, its permalink, and the results it shows — pure
//! Rust, so they are tested natively. The `ui` module renders them; its registry lists the chapters.
//!
//! Shared by every chapter: [`program::ProgramState`] (the editor, its compiled program and its inputs, with
//! [`program::ProgramAction`]), [`field::Field`] (a checked number field) and [`Shared`] (values compared by
//! identity).

pub mod chain;
pub mod field;
pub mod grad;
pub mod graph;
pub mod hyper;
pub mod learn;
pub mod lecture;
pub mod memory;
pub mod network;
pub mod numeric;
pub mod program;
pub mod ridge;
pub mod symbolic;
pub mod tfjs_bench;

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

/// A stepping chapter's `step=` from its permalink: a step number from 0 to `total`, or `end` for the last (presenter
/// mode goes back to a slide's last step this way). Anything else is said in `notices` and gives step 0; a number
/// past the end gives the last step.
pub fn step_from_link(loc: &Location, total: usize, notices: &mut Vec<String>) -> usize {
    match loc.get("step") {
        None => 0,
        Some("end") => total,
        Some(k) => match k.parse::<usize>() {
            Ok(k) if k <= total => k,
            Ok(_) => {
                notices.push(format!(
                    "`step={k}` is past the last step ({total}); showing the last step"
                ));
                total
            }
            Err(_) => {
                notices.push(format!(
                    "`step={k}` is not a step number (0 to {total}, or end); starting at step 0"
                ));
                0
            }
        },
    }
}

/// What a chapter's model gives the plumbing every chapter shares (the reducer, the permalink, the notices).
pub trait ChapterModel: Clone + PartialEq + 'static {
    type Action;
    fn apply(&self, action: Self::Action) -> Self;
    /// The state a permalink describes; what could not be used is said in `notices`.
    fn from_location(loc: &Location, notices: &mut Vec<String>) -> Self;
    /// The state as query pairs, for the permalink.
    fn query(&self) -> Vec<(String, String)>;
}

#[cfg(test)]
mod tests {
    use super::program::ProgramAction;
    use super::*;
    use crate::lang::parser::parse_count;

    /// One edit parses the program text once, whatever each chapter computes from it: the compiled program is
    /// shared by the engines, the derivative-program generator (which runs its programs from their syntax trees) and
    /// the symbolic chapter's sweep over n (which lowers the same tree again).
    #[test]
    fn one_parse_per_edit() {
        let src =
            "def f(x, n=3):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";
        let count = |f: &dyn Fn()| {
            let before = parse_count();
            f();
            parse_count() - before
        };
        let edit = || ProgramAction::Source(src.to_string());
        let (g, sy) = (
            graph::GraphState::default(),
            symbolic::SymbolicState::default(),
        );
        let (gr, nu) = (grad::GradState::default(), numeric::NumericState::default());
        assert_eq!(
            count(&|| {
                let s = g.apply(graph::GraphAction::Program(edit()));
                let ses = s.session().unwrap();
                for mode in [graph::Mode::Forward, graph::Mode::Reverse] {
                    assert!(ses.code_check(mode).unwrap().matches);
                    let _ = ses.view(mode, 3);
                }
            }),
            1,
            "graph lab"
        );
        assert_eq!(
            count(&|| {
                let s = sy.apply(symbolic::SymbolicAction::Program(edit()));
                let sw = s.swell().unwrap();
                assert_eq!(sw.rows.len(), 12);
                let _ = sw.expressions(3);
            }),
            1,
            "symbolic chapter"
        );
        assert_eq!(
            count(&|| {
                let s = gr.apply(grad::GradAction::Program(edit()));
                let _ = s.results().unwrap();
            }),
            1,
            "grad chapter"
        );
        assert_eq!(
            count(&|| {
                let s = nu.apply(numeric::NumericAction::Program(edit()));
                let _ = s.results().unwrap();
            }),
            1,
            "numeric chapter"
        );
    }
}
