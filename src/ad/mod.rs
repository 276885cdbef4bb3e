//! The automatic-differentiation core: no web dependency, tested natively.
//!
//! Pipeline: text → [`parser`] (syntax tree, errors with line and column) → [`lower`] (unrolled into a [`Graph`], a
//! Wengert list) → [`eval`] (primals, forward and reverse mode) and [`trace`] (the same, step by step, for display).
//! For Rust code: [`dual`] numbers and a reverse-mode [`tape`], both generic through [`Scalar`]. Finite differences in
//! [`fd`].
//!
//! ```
//! let g = ad_lab::ad::lower_source("log(1 + x**2) / x").unwrap();
//! let (f, grad) = ad_lab::ad::eval::value_and_grad(&g, &[1.0]);
//! assert_eq!((f, grad[0]), (0.6931471805599453, 0.3068528194400547));
//! ```

pub mod codegen;
pub mod dual;
pub mod eval;
pub mod fd;
pub mod graph;
pub mod lexer;
pub mod lower;
pub mod math;
pub mod op;
pub mod parser;
pub mod scalar;
pub mod source;
pub mod syntax;
pub mod tape;
pub mod taylor;
pub mod trace;

pub use graph::{Arg, Graph, NodeId, Op};
pub use lower::{lower_source, lower_source_with, Limits};
pub use scalar::Scalar;
pub use source::{Error, Span};
