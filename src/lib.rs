//! AD Lab: automatic differentiation, taught visually.
//!
//! - [`ad`]: the AD core (parser, graph, evaluation, forward and reverse mode, dual numbers, tape, finite
//!   differences). Pure Rust.
//! - [`symbolic`]: expression trees, symbolic differentiation and simplification.
//! - [`num`]: number formatting shared by everything that prints.
//! - `ui` (WebAssembly only): the Yew front end.

pub mod ad;
pub mod lab;
pub mod layout;
pub mod num;
pub mod plot;
pub mod symbolic;
pub mod url;

#[cfg(target_arch = "wasm32")]
pub mod ui;
