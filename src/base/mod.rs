//! Values every layer shares: the elementary operations and their rules ([`op`]), shaped values ([`array`]) and the
//! array primitives ([`aop`]), formula trees and their printers
//! ([`formula`]), elementary math ([`math`]), the number type engines are written against ([`scalar`]), number
//! formatting ([`num`]), the diabetes data the ridge examples use ([`diabetes`]), QR codes for the page's link ([`qr`]), source positions and errors ([`source`]), the lecture's TeX notation as MathML ([`tex`]), and the
//! address's query ([`url`]).
//!
//! This layer imports nothing else from the crate.

pub mod aop;
pub mod array;
pub mod decimal;
pub mod diabetes;
pub mod formula;
pub mod hash;
pub mod math;
pub mod num;
pub mod op;
pub mod qr;
pub mod random;
pub mod scalar;
pub mod source;
pub mod tex;
pub mod url;
