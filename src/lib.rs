//! AD Lab: automatic differentiation, taught visually.
//!
//! Layers, each importing only from those above it in this list (checked by `tests/architecture.rs`):
//!
//! 1. [`base`]: ops and their rules, formula trees, elementary math, number formatting, spans, the address.
//! 2. [`lang`]: lexer, parser, lowering to a graph.
//! 3. [`ad`]: evaluation, forward and reverse mode, traces, dual numbers, tape, Taylor mode, finite differences.
//! 4. [`symbolic`]: symbolic differentiation and simplification.
//! 5. [`transform`]: derivative programs.
//! 6. [`layout`]: graph drawing geometry.
//! 7. [`lab`]: the chapters' models.
//! 8. [`figures`]: the chapters' plots, on any plotters backend.
//! 9. `ui` (WebAssembly only): the Yew front end.

pub mod ad;
pub mod base;
pub mod figures;
pub mod lab;
pub mod lang;
pub mod layout;
pub mod symbolic;
pub mod transform;

#[cfg(target_arch = "wasm32")]
pub mod ui;
