//! Symbolic differentiation: expression trees, the usual rules, simplification, and printing as text and MathML.

pub mod dag;
pub mod expr;
pub mod simplify;

pub use expr::Expr;
