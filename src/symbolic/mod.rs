//! Symbolic differentiation: expression trees, the usual rules, simplification, and printing as text and MathML.

pub mod expr;

pub use expr::Expr;
