//! Program transformations: derivative programs generated from a program (forward and reverse mode), as source the
//! core can run back.

pub mod codegen;
