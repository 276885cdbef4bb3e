//! The program language: text → [`lexer`] → [`parser`] (syntax tree, errors with line and column) → [`lower`]
//! (unrolled into a [`Graph`](graph::Graph), a Wengert list).

pub mod agraph;
pub mod compile;
pub mod graph;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod print;
pub mod syntax;

pub use graph::{Arg, Graph, NodeId, Op};
pub use lower::{lower_source, lower_source_with, Limits};
