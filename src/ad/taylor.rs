//! Truncated Taylor series: forward mode of higher order ("Taylor mode"). A [`Taylor<K>`] carries the first `K`
//! Taylor coefficients `[f, f′, f″/2!, f‴/3!, …]` of a value along one input direction, and each elementary
//! function propagates all of them in one pass with the classic recurrences (Griewank & Walther, *Evaluating
//! Derivatives*, ch. 13).
//!
//! ```
//! use ad_lab::ad::taylor::Taylor;
//! use ad_lab::base::scalar::Scalar;
//! // f(x) = x³ at 2: f = 8, f′ = 12, f″ = 12, f‴ = 6.
//! let x = Taylor::<4>::variable(2.0);
//! let y = x * x * x;
//! assert_eq!(y.derivatives(), [8.0, 12.0, 12.0, 6.0]);
//! ```

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::base::math;
use crate::base::op::Unary;
use crate::base::scalar::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Taylor<const K: usize>(pub [f64; K]);

impl<const K: usize> Taylor<K> {
    pub fn constant(x: f64) -> Self {
        let mut c = [0.0; K];
        c[0] = x;
        Taylor(c)
    }

    /// The input we expand along: `x + t`.
    pub fn variable(x: f64) -> Self {
        let mut c = [0.0; K];
        c[0] = x;
        if K > 1 {
            c[1] = 1.0;
        }
        Taylor(c)
    }

    /// `[f, f′, f″, …]`: the coefficients times k!.
    pub fn derivatives(&self) -> [f64; K] {
        let mut d = self.0;
        let mut fact = 1.0;
        for (k, v) in d.iter_mut().enumerate().skip(1) {
            fact *= k as f64;
            *v *= fact;
        }
        d
    }

    /// The series of `f(self)` from the function's value `f0`, given that `f′ = g · a′` where `g` is itself a series
    /// computed alongside (`next_g(k, f)` returns gₖ once f₀…fₖ are known).
    fn chain(self, f0: f64, mut g: impl FnMut(&[f64; K], usize) -> f64) -> Self {
        let a = self.0;
        let mut f = [0.0; K];
        let mut gs = [0.0; K];
        f[0] = f0;
        gs[0] = g(&f, 0);
        for k in 1..K {
            let mut s = 0.0;
            for i in 1..=k {
                s += i as f64 * a[i] * gs[k - i];
            }
            f[k] = s / k as f64;
            gs[k] = g(&f, k);
        }
        Taylor(f)
    }
}

/// `[f, f′, f″, …]` of output `output` of `g` along input `i` (the other inputs held at their values), by one
/// Taylor-mode pass.
pub fn derivatives_along<const K: usize>(
    g: &crate::lang::graph::Graph,
    values: &[f64],
    i: usize,
    output: usize,
) -> [f64; K] {
    let t: Vec<Taylor<K>> = values
        .iter()
        .enumerate()
        .map(|(j, &v)| {
            if j == i {
                Taylor::variable(v)
            } else {
                Taylor::constant(v)
            }
        })
        .collect();
    let out = g.outputs.get(output).map_or(0, |o| o.index());
    crate::ad::eval::evaluate_generic(g, &t)
        .get(out)
        .map_or([f64::NAN; K], |v| v.derivatives())
}

impl<const K: usize> Add for Taylor<K> {
    type Output = Self;
    fn add(self, b: Self) -> Self {
        let mut c = self.0;
        for (x, y) in c.iter_mut().zip(b.0) {
            *x += y;
        }
        Taylor(c)
    }
}

impl<const K: usize> Sub for Taylor<K> {
    type Output = Self;
    fn sub(self, b: Self) -> Self {
        let mut c = self.0;
        for (x, y) in c.iter_mut().zip(b.0) {
            *x -= y;
        }
        Taylor(c)
    }
}

impl<const K: usize> Mul for Taylor<K> {
    type Output = Self;
    fn mul(self, b: Self) -> Self {
        let (a, b) = (self.0, b.0);
        let mut c = [0.0; K];
        for k in 0..K {
            for i in 0..=k {
                c[k] += a[i] * b[k - i];
            }
        }
        Taylor(c)
    }
}

impl<const K: usize> Div for Taylor<K> {
    type Output = Self;
    fn div(self, b: Self) -> Self {
        let (a, b) = (self.0, b.0);
        let mut q = [0.0; K];
        for k in 0..K {
            let mut s = a[k];
            for i in 1..=k {
                s -= b[i] * q[k - i];
            }
            q[k] = s / b[0];
        }
        Taylor(q)
    }
}

impl<const K: usize> Neg for Taylor<K> {
    type Output = Self;
    fn neg(self) -> Self {
        Taylor(self.0.map(|x| -x))
    }
}

macro_rules! with_f64 {
    ($($trait:ident $method:ident),*) => {$(
        impl<const K: usize> $trait<f64> for Taylor<K> {
            type Output = Self;
            fn $method(self, c: f64) -> Self {
                self.$method(Taylor::constant(c))
            }
        }
    )*};
}

with_f64!(Add add, Sub sub, Mul mul, Div div);

impl<const K: usize> Scalar for Taylor<K> {
    fn from_f64(x: f64) -> Self {
        Taylor::constant(x)
    }

    fn value(self) -> f64 {
        self.0[0]
    }

    fn is_zero(self) -> bool {
        self.0.iter().all(|&c| c == 0.0)
    }

    fn is_nan(self) -> bool {
        self.0.iter().any(|c| c.is_nan())
    }

    fn unary(self, op: Unary) -> Self {
        // A constant stays a constant: its higher coefficients are exactly zero, whatever the function's derivative
        // (the structural zero: `sqrt` of a constant 0 has no NaN series).
        if self.is_constant() {
            return Taylor::constant(op.apply(self.0[0]));
        }
        match op {
            Unary::Neg => -self,
            Unary::Log => self.ln_series(),
            Unary::Exp => self.exp_series(),
            Unary::Sin => sin_cos(self).0,
            Unary::Cos => sin_cos(self).1,
            Unary::Tan => self.tan_series(),
            Unary::Sinh => sinh_cosh(self).0,
            Unary::Cosh => sinh_cosh(self).1,
            Unary::Tanh => self.tanh_series(),
            Unary::Sqrt => self.sqrt_series(),
        }
    }

    fn pow(self, b: Self) -> Self {
        if b.is_constant() {
            self.powf(b.0[0])
        } else if self.is_constant() {
            // cᵇ = exp(b·ln c) as a series, with the value itself computed as evaluation does (pow, not exp∘ln).
            let mut r = (b * math::log(self.0[0])).exp_series();
            r.0[0] = math::pow(self.0[0], b.0[0]);
            r
        } else {
            let mut r = (b * self.ln_series()).exp_series();
            r.0[0] = math::pow(self.0[0], b.0[0]);
            r
        }
    }

    fn powf(self, p: f64) -> Self {
        if self.is_constant() {
            return Taylor::constant(math::pow(self.0[0], p));
        }
        self.powf_series(p)
    }
}

impl<const K: usize> Taylor<K> {
    /// No higher coefficient: a value that does not depend on the input we expand along.
    fn is_constant(&self) -> bool {
        self.0[1..].iter().all(|&c| c == 0.0)
    }

    fn exp_series(self) -> Self {
        // (eᵃ)′ = eᵃ · a′: g is f itself.
        self.chain(math::exp(self.0[0]), |f, k| f[k])
    }

    fn ln_series(self) -> Self {
        // (ln a)′ = a′ / a.
        let a = self.0;
        let mut l = [0.0; K];
        l[0] = math::log(a[0]);
        for k in 1..K {
            let mut s = 0.0;
            for i in 1..k {
                s += i as f64 * l[i] * a[k - i];
            }
            l[k] = (a[k] - s / k as f64) / a[0];
        }
        Taylor(l)
    }

    fn tan_series(self) -> Self {
        // (tan a)′ = (1 + tan²a) · a′.
        self.chain(math::tan(self.0[0]), |f, k| {
            let mut sq = 0.0;
            for i in 0..=k {
                sq += f[i] * f[k - i];
            }
            if k == 0 {
                1.0 + sq
            } else {
                sq
            }
        })
    }

    fn tanh_series(self) -> Self {
        // (tanh a)′ = (1 − tanh²a) · a′.
        // (tanh a)′ = (1 − tanh²a) · a′, with 1 − tanh²a₀ computed as 1/cosh²a₀ (accurate in the tails).
        let g0 = Unary::Tanh.partial(self.0[0], math::tanh(self.0[0]));
        self.chain(math::tanh(self.0[0]), |f, k| {
            if k == 0 {
                return g0;
            }
            let mut sq = 0.0;
            for i in 0..=k {
                sq += f[i] * f[k - i];
            }
            -sq
        })
    }

    fn sqrt_series(self) -> Self {
        let a = self.0;
        let mut r = [0.0; K];
        r[0] = math::sqrt(a[0]);
        for k in 1..K {
            let mut s = a[k];
            for i in 1..k {
                s -= r[i] * r[k - i];
            }
            r[k] = s / (2.0 * r[0]);
        }
        Taylor(r)
    }

    fn powf_series(self, p: f64) -> Self {
        let a = self.0;
        let mut y = [0.0; K];
        y[0] = math::pow(a[0], p);
        if a[0] == 0.0 {
            // The recurrence divides by a₀; for integer powers fall back to repeated products.
            if p.fract() == 0.0 && (0.0..=16.0).contains(&p) {
                let mut acc = Taylor::constant(1.0);
                for _ in 0..p as usize {
                    acc = acc * self;
                }
                return acc;
            }
            let mut out = [f64::NAN; K];
            out[0] = y[0];
            return Taylor(out);
        }
        for k in 1..K {
            let mut s = 0.0;
            for i in 1..=k {
                s += (p * i as f64 - (k - i) as f64) * a[i] * y[k - i];
            }
            y[k] = s / (k as f64 * a[0]);
        }
        Taylor(y)
    }
}

/// sinh and cosh together: (sinh a)′ = cosh a · a′, (cosh a)′ = sinh a · a′.
fn sinh_cosh<const K: usize>(a: Taylor<K>) -> (Taylor<K>, Taylor<K>) {
    let a = a.0;
    let (mut s, mut c) = ([0.0; K], [0.0; K]);
    s[0] = math::sinh(a[0]);
    c[0] = math::cosh(a[0]);
    for k in 1..K {
        let (mut ss, mut cc) = (0.0, 0.0);
        for i in 1..=k {
            ss += i as f64 * a[i] * c[k - i];
            cc += i as f64 * a[i] * s[k - i];
        }
        s[k] = ss / k as f64;
        c[k] = cc / k as f64;
    }
    (Taylor(s), Taylor(c))
}

fn sin_cos<const K: usize>(a: Taylor<K>) -> (Taylor<K>, Taylor<K>) {
    let a = a.0;
    let (mut s, mut c) = ([0.0; K], [0.0; K]);
    s[0] = math::sin(a[0]);
    c[0] = math::cos(a[0]);
    for k in 1..K {
        let (mut ss, mut cc) = (0.0, 0.0);
        for i in 1..=k {
            ss += i as f64 * a[i] * c[k - i];
            cc += i as f64 * a[i] * s[k - i];
        }
        s[k] = ss / k as f64;
        c[k] = -cc / k as f64;
    }
    (Taylor(s), Taylor(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    /// Each function's first three derivatives at a point, against closed forms.
    #[test]
    fn elementary_functions_to_third_order() {
        let x = 0.7;
        let t = Taylor::<4>::variable(x);
        let (s, c) = (x.sin(), x.cos());
        let cases: Vec<(&str, Taylor<4>, [f64; 4])> = vec![
            ("exp", t.exp(), [x.exp(); 4]),
            (
                "ln",
                t.ln(),
                [x.ln(), 1.0 / x, -1.0 / (x * x), 2.0 / (x * x * x)],
            ),
            ("sin", t.sin(), [s, c, -s, -c]),
            ("cos", t.cos(), [c, -s, -c, s]),
            (
                "sqrt",
                t.sqrt(),
                [
                    x.sqrt(),
                    0.5 / x.sqrt(),
                    -0.25 * x.powf(-1.5),
                    0.375 * x.powf(-2.5),
                ],
            ),
            (
                "x^2.5",
                t.powf(2.5),
                [
                    x.powf(2.5),
                    2.5 * x.powf(1.5),
                    3.75 * x.sqrt(),
                    1.875 / x.sqrt(),
                ],
            ),
            (
                "1/x",
                Taylor::constant(1.0) / t,
                [1.0 / x, -1.0 / (x * x), 2.0 / x.powi(3), -6.0 / x.powi(4)],
            ),
            ("tan", t.tan(), {
                let tn = x.tan();
                let sec2 = 1.0 + tn * tn;
                [
                    tn,
                    sec2,
                    2.0 * tn * sec2,
                    2.0 * sec2 * (sec2 + 2.0 * tn * tn),
                ]
            }),
            ("tanh", t.tanh(), {
                let th = x.tanh();
                let s2 = 1.0 - th * th;
                [th, s2, -2.0 * th * s2, -2.0 * s2 * (s2 - 2.0 * th * th)]
            }),
        ];
        for (name, got, want) in cases {
            let d = got.derivatives();
            for k in 0..4 {
                assert!(
                    close(d[k], want[k]),
                    "{name}: derivative {k}: {} vs {}",
                    d[k],
                    want[k]
                );
            }
        }
    }

    #[test]
    fn logistic_second_and_third_derivatives() {
        // f₂(x) = 16x − 80x² + 128x³ − 64x⁴: f″(x) = −160 + 768x − 768x², f‴ = 768 − 1536x.
        let x = 0.3;
        let mut v = Taylor::<4>::variable(x);
        for _ in 0..2 {
            v = v * 4.0 * (Taylor::constant(1.0) - v);
        }
        let d = v.derivatives();
        assert!(close(d[2], -160.0 + 768.0 * x - 768.0 * x * x));
        assert!(close(d[3], 768.0 - 1536.0 * x));
        let z = Taylor::<4>::variable(0.0).powf(3.0).derivatives();
        assert_eq!(z, [0.0, 0.0, 0.0, 6.0]);
    }

    /// `x**y` with y an input held fixed is a real power even for negative x (as `evaluate` computes it).
    #[test]
    fn powers_of_negative_bases() {
        let g = crate::lang::lower_source("x ** y").unwrap();
        let v = crate::ad::eval::evaluate_generic(
            &g,
            &[Taylor::<4>::variable(-2.0), Taylor::constant(2.0)],
        );
        assert_eq!(v[g.outputs[0].index()].derivatives(), [4.0, -4.0, 2.0, 0.0]);
        let g = crate::lang::lower_source("2 ** y").unwrap();
        let v = crate::ad::eval::evaluate_generic(&g, &[Taylor::<4>::constant(3.0)]);
        assert_eq!(v[g.outputs[0].index()].value(), 8.0);
    }
}
