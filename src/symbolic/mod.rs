//! Symbolic differentiation: the hash-consed expression DAG with the textbook rules ([`dag`]) and the simplifier
//! ([`simplify`]). Formula trees and their printers are in [`crate::base::formula`].

pub mod dag;
pub mod simplify;
