//! Values while a program runs symbolically: numbers known now, graph nodes, and the containers the language
//! allows; and the variables in scope.

use std::rc::Rc;

use crate::lang::graph::{Arg, NodeId};

/// Lists and tuples are shared, not copied: `a = [a, a]` doubles what the list means but not what it takes, and
/// appending to a list only this variable holds is O(1).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
    Int(i64),
    Float(f64),
    Node(NodeId),
    Tuple(Rc<Vec<Val>>),
    List(Rc<Vec<Val>>),
    Range(i64, i64, i64),
    None,
}

impl Val {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Val::Int(_) => "an integer",
            Val::Float(_) => "a number",
            Val::Node(_) => "a value that depends on the inputs",
            Val::Tuple(_) => "a tuple",
            Val::List(_) => "a list",
            Val::Range(..) => "a range",
            Val::None => "nothing (None)",
        }
    }

    pub(super) fn as_arg(&self) -> Option<Arg> {
        match *self {
            Val::Int(i) => Some(Arg::Const(i as f64)),
            Val::Float(x) => Some(Arg::Const(x)),
            Val::Node(n) => Some(Arg::Node(n)),
            _ => None,
        }
    }
}

/// Variables in scope, with an index by name (a program may assign thousands of names in one tuple).
#[derive(Default)]
pub(super) struct Env(Vec<(String, Val)>, crate::base::hash::Map<String, usize>);

impl Env {
    pub(super) fn get(&self, name: &str) -> Option<&Val> {
        self.1.get(name).map(|&i| &self.0[i].1)
    }

    /// Takes a variable's value out (leaving `None`), so that the caller holds the only reference to a list it is
    /// about to grow.
    pub(super) fn take(&mut self, name: &str) -> Option<Val> {
        let i = *self.1.get(name)?;
        Some(std::mem::replace(&mut self.0[i].1, Val::None))
    }

    pub(super) fn insert(&mut self, name: String, v: Val) {
        match self.1.get(&name) {
            Some(&i) => self.0[i].1 = v,
            None => {
                self.1.insert(name.clone(), self.0.len());
                self.0.push((name, v));
            }
        }
    }
}
