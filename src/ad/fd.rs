//! Finite differences: the numerical approximations automatic differentiation is *not*.
//!
//! ```
//! use ad_lab::ad::fd;
//! let f = |x: f64| { let mut v = x; for _ in 0..4 { v = 4.0 * v * (1.0 - v); } v };
//! // The slide's formula (f(x + h) − f(x)) / h at x = 0.25, h = 1e-7:
//! assert_eq!(format!("{:.8}", fd::forward(f, 0.25, 1e-7)), "-16.00001599");
//! ```

/// Which difference quotient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `(f(x + h) − f(x)) / h`: error ≈ h·|f''|/2 + ε·|f|/h.
    Forward,
    /// `(f(x + h) − f(x − h)) / 2h`: error ≈ h²·|f'''|/6 + ε·|f|/h.
    Central,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Forward => "forward",
            Scheme::Central => "central",
        }
    }

    pub fn from_name(s: &str) -> Option<Scheme> {
        match s {
            "forward" => Some(Scheme::Forward),
            "central" => Some(Scheme::Central),
            _ => None,
        }
    }

    /// The estimate of f'(x) with step h.
    pub fn estimate(self, f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
        match self {
            Scheme::Forward => forward(f, x, h),
            Scheme::Central => central(f, x, h),
        }
    }
}

/// `(f(x + h) − f(x)) / h`, the formula on the slide.
pub fn forward(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x)) / h
}

/// `(f(x + h) − f(x − h)) / (2h)`.
pub fn central(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// The step actually taken: `(x + h) − x`, which differs from `h` because `x + h` is rounded.
pub fn representable_step(x: f64, h: f64) -> f64 {
    (x + h) - x
}

/// Forward difference divided by the step actually taken, as SciPy's `approx_fprime` (≥ 1.9) computes it.
pub fn forward_scipy(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x)) / representable_step(x, h)
}

/// The gradient of f: Rⁿ → R by forward differences: `n + 1` evaluations of f. Returns the estimate and the number of
/// evaluations used.
pub fn gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> (Vec<f64>, usize) {
    let f0 = f(x);
    let mut probe = x.to_vec();
    let g = (0..x.len())
        .map(|i| {
            probe[i] = x[i] + h;
            let d = (f(&probe) - f0) / h;
            probe[i] = x[i];
            d
        })
        .collect();
    (g, x.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logistic(x: f64) -> f64 {
        let mut v = x;
        for _ in 0..4 {
            v = 4.0 * v * (1.0 - v);
        }
        v
    }

    /// Python: `(f(0.25 + 1e-7) - f(0.25)) / 1e-7` and `scipy.optimize.approx_fprime(0.25, f, 1e-7)` (SciPy 1.14).
    #[test]
    fn lecture_value_to_the_last_bit() {
        assert_eq!(forward(logistic, 0.25, 1e-7), -16.000015992112537);
        assert_eq!(forward_scipy(logistic, 0.25, 1e-7), -16.000015991652447);
        assert_eq!(
            format!("{:.8}", forward(logistic, 0.25, 1e-7)),
            "-16.00001599"
        );
        assert_eq!(
            format!("{:.8}", forward_scipy(logistic, 0.25, 1e-7)),
            "-16.00001599"
        );
    }

    #[test]
    fn central_is_more_accurate_at_moderate_h() {
        let exact = -16.0;
        let e_fwd = (forward(logistic, 0.25, 1e-4) - exact).abs();
        let e_cen = (central(logistic, 0.25, 1e-4) - exact).abs();
        assert!(e_cen < e_fwd / 100.0, "{e_cen} vs {e_fwd}");
    }

    #[test]
    fn gradient_costs_n_plus_one_evaluations() {
        let (g, evals) = gradient(|x| x[1] * x[0] * x[0], &[1.0, 1.0], 1e-7);
        assert_eq!(evals, 3);
        assert!((g[0] - 2.0).abs() < 1e-6 && (g[1] - 1.0).abs() < 1e-6);
    }
}
