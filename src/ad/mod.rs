//! The automatic-differentiation engines: no web dependency, tested natively.
//!
//! On a [`Graph`](crate::lang::graph::Graph) (a Wengert list made by [`crate::lang`]): [`eval`] (primals, forward and
//! reverse mode, Jacobians) and [`trace`] (the same, step by step, for display). For Rust code: [`dual`] numbers and
//! a reverse-mode [`tape`], both generic through [`Scalar`](crate::base::scalar::Scalar); [`taylor`] for higher
//! orders. Finite differences in [`fd`]. Whole arrays (numpy programs, a network's layers, a chain of maps) in [`nd`].
//!
//! ```
//! let g = ad_lab::lang::lower_source("log(1 + x**2) / x").unwrap();
//! let (f, grad) = ad_lab::ad::eval::value_and_grad(&g, &[1.0]);
//! assert_eq!((f, grad[0]), (0.6931471805599453, 0.3068528194400547));
//! ```

pub mod dual;
pub mod eval;
pub mod fd;
pub mod hessian;
pub mod nd;
pub mod tape;
pub mod taylor;
pub mod trace;
pub mod wide;
