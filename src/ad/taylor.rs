//! Truncated Taylor series: forward mode of higher order ("Taylor mode"). A [`Taylor<K>`] carries the first `K`
//! Taylor coefficients `[f, f′, f″/2!, f‴/3!, …]` of a value along one input direction, and each elementary
//! function propagates all of them in one pass with the classic recurrences (Griewank & Walther, *Evaluating
//! Derivatives*, ch. 13). Every product in a recurrence is a structural-zero product ([`chain`]), as in the other
//! engines: a zero coefficient contributes nothing, even against an infinite one.
//!
//! The coefficients are `f64` by default and any [`Scalar`] in general: [`derivatives_along`] recomputes them as
//! [`Wide`] numbers when they overflow (the engines' overflow rule).
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

use super::wide::Wide;
use crate::base::op::{Binary, Unary};
use crate::base::scalar::{chain, Scalar};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Taylor<const K: usize, T = f64>(pub [T; K]);

impl<const K: usize, T: Scalar> Taylor<K, T> {
    pub fn constant(x: T) -> Self {
        let mut c = [T::zero(); K];
        c[0] = x;
        Taylor(c)
    }

    /// The input we expand along: `x + t`.
    pub fn variable(x: T) -> Self {
        let mut c = [T::zero(); K];
        c[0] = x;
        if K > 1 {
            c[1] = T::one();
        }
        Taylor(c)
    }

    /// `[f, f′, f″, …]`: the coefficients times k!.
    pub fn derivatives(&self) -> [T; K] {
        let mut d = self.0;
        let mut fact = 1.0;
        for (k, v) in d.iter_mut().enumerate().skip(1) {
            fact *= k as f64;
            *v = *v * fact;
        }
        d
    }

    /// The first-order coefficient set by the operation's own rule (`chain(partial, a′)`, as forward mode computes
    /// it), so that Taylor mode's first derivatives are forward mode's, bit for bit, singular points included; the
    /// higher coefficients come from the recurrences.
    fn first_order(mut self, d1: impl FnOnce() -> T) -> Self {
        if K > 1 {
            self.0[1] = d1();
        }
        self
    }

    /// No higher coefficient: a value that does not depend on the input we expand along.
    fn is_constant(&self) -> bool {
        self.0[1..].iter().all(|c| c.is_zero())
    }

    /// The series of `f(self)` from the function's value `f0`, given that `f′ = g · a′` where `g` is itself a series
    /// computed alongside (`g(f, k)` returns gₖ once f₀…fₖ are known).
    fn chain(self, f0: T, mut g: impl FnMut(&[T; K], usize) -> T) -> Self {
        let a = self.0;
        let mut f = [T::zero(); K];
        let mut gs = [T::zero(); K];
        f[0] = f0;
        gs[0] = g(&f, 0);
        for k in 1..K {
            let mut s = T::zero();
            for i in 1..=k {
                // A structural-zero product, as in every engine: 0·∞ contributes nothing.
                s = s + chain(a[i] * (i as f64), gs[k - i]);
            }
            f[k] = s / k as f64;
            gs[k] = g(&f, k);
        }
        Taylor(f)
    }

    fn exp_series(self) -> Self {
        // (eᵃ)′ = eᵃ · a′: g is f itself.
        self.chain(self.0[0].exp(), |f, k| f[k])
    }

    fn ln_series(self) -> Self {
        // (ln a)′ = a′ / a.
        let a = self.0;
        let mut l = [T::zero(); K];
        l[0] = a[0].ln();
        for k in 1..K {
            let mut s = T::zero();
            for i in 1..k {
                s = s + chain(l[i] * (i as f64), a[k - i]);
            }
            l[k] = (a[k] - s / k as f64) / a[0];
        }
        Taylor(l)
    }

    fn tan_series(self) -> Self {
        // (tan a)′ = (1 + tan²a) · a′.
        self.chain(self.0[0].tan(), |f, k| {
            let mut sq = T::zero();
            for i in 0..=k {
                sq = sq + chain(f[i], f[k - i]);
            }
            if k == 0 {
                sq + 1.0
            } else {
                sq
            }
        })
    }

    fn tanh_series(self) -> Self {
        // (tanh a)′ = (1 − tanh²a) · a′, with 1 − tanh²a₀ computed as 1/cosh²a₀ (accurate in the tails).
        let v = self.0[0].tanh();
        let g0 = Unary::Tanh.partial(self.0[0], v);
        self.chain(v, |f, k| {
            if k == 0 {
                return g0;
            }
            let mut sq = T::zero();
            for i in 0..=k {
                sq = sq + chain(f[i], f[k - i]);
            }
            -sq
        })
    }

    fn sqrt_series(self) -> Self {
        let a = self.0;
        let mut r = [T::zero(); K];
        r[0] = a[0].sqrt();
        for k in 1..K {
            let mut s = a[k];
            for i in 1..k {
                s = s - chain(r[i], r[k - i]);
            }
            r[k] = s / (r[0] * 2.0);
        }
        Taylor(r)
    }

    fn powf_series(self, p: f64) -> Self {
        let a = self.0;
        let mut y = [T::zero(); K];
        y[0] = a[0].powf(p);
        if a[0].is_zero() {
            // The recurrence divides by a₀. With a = O(tᵐ) (its first nonzero coefficient is the m-th), aᵖ =
            // O(t^(m·p)): the coefficients below m·p are 0 (x¹⁰⁰ is flat at 0, and so is (x³)^2.5 to order 7); whole
            // powers come from repeated products; past m·p a fractional power has no Taylor expansion.
            let m = (1..K).find(|&i| !a[i].is_zero()).unwrap_or(K) as f64;
            if m * p > (K - 1) as f64 {
                return Taylor::constant(y[0]);
            }
            if p.fract() == 0.0 && (0.0..=16.0).contains(&p) {
                let mut acc = Taylor::constant(T::one());
                for _ in 0..p as usize {
                    acc = acc * self;
                }
                return acc;
            }
            let mut out = [T::zero(); K];
            for (k, c) in out.iter_mut().enumerate() {
                if k as f64 >= m * p {
                    *c = T::from_f64(f64::NAN);
                }
            }
            out[0] = y[0];
            return Taylor(out);
        }
        for k in 1..K {
            let mut s = T::zero();
            for i in 1..=k {
                let c = T::from_f64(p * i as f64 - (k - i) as f64);
                s = s + chain(chain(a[i], c), y[k - i]);
            }
            y[k] = s / (a[0] * k as f64);
        }
        Taylor(y)
    }
}

/// `[f, f′, f″, …]` of output `output` of `g` along input `i` (the other inputs held at their values), by one
/// Taylor-mode pass — with the overflow rule, always on: the coefficients are computed as [`Wide`] numbers around the
/// program's own f64 values (see `eval::evaluate_pinned`) and rounded. Within f64's normal range that gives the f64
/// computation's bits; beyond it, a coefficient past the largest f64 reads ±∞, not NaN. (One number type instead of
/// two keeps the shipped code small; Taylor mode is not a hot loop here.)
pub fn derivatives_along<const K: usize>(
    g: &crate::lang::graph::Graph,
    values: &[f64],
    i: usize,
    output: usize,
) -> [f64; K] {
    let primals = crate::ad::eval::evaluate(g, values);
    along::<K, Wide>(g, values, i, output, Some(&primals)).map(f64::from)
}

fn along<const K: usize, T: Scalar>(
    g: &crate::lang::graph::Graph,
    values: &[f64],
    i: usize,
    output: usize,
    pinned: Option<&[f64]>,
) -> [T; K] {
    let t: Vec<Taylor<K, T>> = values
        .iter()
        .enumerate()
        .map(|(j, &v)| {
            let v = T::from_f64(v);
            if j == i {
                Taylor::variable(v)
            } else {
                Taylor::constant(v)
            }
        })
        .collect();
    let out = g.outputs.get(output).map_or(0, |o| o.index());
    let mut v = Vec::new();
    match pinned {
        Some(p) => {
            crate::ad::eval::evaluate_pinned(g, &t, p, |s, x| s.0[0] = T::from_f64(x), &mut v)
        }
        None => crate::ad::eval::evaluate_into(g, &t, &mut v),
    }
    v.get(out)
        .map_or([T::from_f64(f64::NAN); K], |v| v.derivatives())
}

impl<const K: usize, T: Scalar> Add for Taylor<K, T> {
    type Output = Self;
    fn add(self, b: Self) -> Self {
        let mut c = self.0;
        for (x, y) in c.iter_mut().zip(b.0) {
            *x = *x + y;
        }
        Taylor(c)
    }
}

impl<const K: usize, T: Scalar> Sub for Taylor<K, T> {
    type Output = Self;
    fn sub(self, b: Self) -> Self {
        let mut c = self.0;
        for (x, y) in c.iter_mut().zip(b.0) {
            *x = *x - y;
        }
        Taylor(c)
    }
}

impl<const K: usize, T: Scalar> Mul for Taylor<K, T> {
    type Output = Self;
    fn mul(self, b: Self) -> Self {
        // By a constant: each coefficient scaled, a zero one staying zero (the structural zero: 0·∞ contributes
        // nothing).
        if let Some(r) = scale(self, b, |x, c| x * c) {
            return r;
        }
        let (a, b) = (self.0, b.0);
        let mut c = [T::zero(); K];
        for k in 0..K {
            for i in 0..=k {
                c[k] = c[k]
                    + if k == 0 {
                        a[i] * b[k - i]
                    } else {
                        chain(a[i], b[k - i])
                    };
            }
        }
        Taylor(c)
    }
}

impl<const K: usize, T: Scalar> Div for Taylor<K, T> {
    type Output = Self;
    fn div(self, b: Self) -> Self {
        let (a, b_series) = (self.0, b.0);
        let q = if b.is_constant() {
            let c = b_series[0];
            let mut q = a.map(|x| if x.is_zero() { T::zero() } else { x / c });
            q[0] = a[0] / c;
            Taylor(q)
        } else {
            let mut q = [T::zero(); K];
            for k in 0..K {
                let mut s = a[k];
                for i in 1..=k {
                    s = s - chain(b_series[i], q[k - i]);
                }
                q[k] = s / b_series[0];
            }
            Taylor(q)
        };
        let (a0, b0, v) = (a[0], b_series[0], q.0[0]);
        q.first_order(|| {
            chain(Binary::Div.partial_a(a0, b0, v), a[1])
                + chain(Binary::Div.partial_b(a0, b0, v), b_series[1])
        })
    }
}

/// `a op b` when one of them is a constant: the value combined plainly, the other's higher coefficients each
/// combined with the constant, a zero coefficient staying zero.
fn scale<const K: usize, T: Scalar>(
    a: Taylor<K, T>,
    b: Taylor<K, T>,
    op: impl Fn(T, T) -> T,
) -> Option<Taylor<K, T>> {
    let (series, c) = if b.is_constant() {
        (a, b.0[0])
    } else if a.is_constant() {
        (b, a.0[0])
    } else {
        return None;
    };
    let mut out = series
        .0
        .map(|x| if x.is_zero() { T::zero() } else { op(x, c) });
    out[0] = op(a.0[0], b.0[0]);
    Some(Taylor(out))
}

impl<const K: usize, T: Scalar> Neg for Taylor<K, T> {
    type Output = Self;
    fn neg(self) -> Self {
        Taylor(self.0.map(|x| -x))
    }
}

macro_rules! with_f64 {
    ($($trait:ident $method:ident),*) => {$(
        impl<const K: usize, T: Scalar> $trait<f64> for Taylor<K, T> {
            type Output = Self;
            fn $method(self, c: f64) -> Self {
                self.$method(Taylor::constant(T::from_f64(c)))
            }
        }
    )*};
}

with_f64!(Add add, Sub sub, Mul mul, Div div);

impl<const K: usize, T: Scalar> Scalar for Taylor<K, T> {
    fn from_f64(x: f64) -> Self {
        Taylor::constant(T::from_f64(x))
    }

    fn value(self) -> f64 {
        self.0[0].value()
    }

    fn is_zero(self) -> bool {
        self.0.iter().all(|c| c.is_zero())
    }

    fn is_nan(self) -> bool {
        self.0.iter().any(|c| c.is_nan())
    }

    fn unary(self, op: Unary) -> Self {
        // A constant stays a constant: its higher coefficients are exactly zero, whatever the function's derivative
        // (the structural zero: `sqrt` of a constant 0 has no NaN series).
        if self.is_constant() {
            return Taylor::constant(self.0[0].unary(op));
        }
        let series = match op {
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
            // Piecewise linear: the series itself where a > 0, zero where a ≤ 0 (at a kink, the derivative 0 that
            // every engine uses).
            Unary::Relu if self.0[0].value() > 0.0 => self,
            Unary::Relu | Unary::Step => Taylor::constant(self.0[0].unary(op)),
            // |a| is a or −a on either side of 0; at 0 the constant 0 (the derivative 0 of every engine).
            Unary::Abs if self.0[0].value() > 0.0 => self,
            Unary::Abs if self.0[0].value() < 0.0 => -self,
            Unary::Abs => Taylor::constant(self.0[0].unary(op)),
        };
        let v = series.0[0];
        series.first_order(|| chain(op.partial(self.0[0], v), self.0[1]))
    }

    fn pow(self, b: Self) -> Self {
        let series = if b.is_constant() {
            self.powf_t(b.0[0])
        } else if self.is_constant() {
            // cᵇ = exp(b·ln c) as a series, with the value itself computed as evaluation does (pow, not exp∘ln).
            let c = self.0[0];
            let v = c.pow(b.0[0]);
            if v.is_zero() {
                // Every derivative is (ln c)ᵏ·cᵇ, and a zero cᵇ makes it zero (the structural zero: (−∞)ᵇ at b < 0).
                return Taylor::constant(v);
            }
            let mut r = (b * Taylor::constant(c.ln())).exp_series();
            r.0[0] = v;
            r
        } else if self.0[0].is_zero() {
            // aᵇ = a^b₀ · e^((b − b₀)·ln a) and the second factor is 1 + O(t·ln t): with a = O(tᵐ), the coefficients of
            // a^b₀ are those of aᵇ below t^(m·b₀+1); from there on aᵇ has no Taylor expansion (t³·ln t has no third
            // derivative at 0).
            let b0 = b.0[0].value();
            let m = (1..K).find(|&i| !self.0[i].is_zero()).unwrap_or(K) as f64;
            let mut r = self.powf_series(b0);
            for (k, c) in r.0.iter_mut().enumerate().skip(1) {
                if k as f64 >= m * b0 + 1.0 {
                    *c = T::from_f64(f64::NAN);
                }
            }
            r.0[0] = self.0[0].pow(b.0[0]);
            r
        } else {
            // aᵇ = a^b₀ · e^((b − b₀)·ln a): better conditioned than e^(b·ln a) when a₀ is tiny (ln a then has huge
            // coefficients that b₀ would multiply and the exponential cancel).
            let mut db = b;
            db.0[0] = T::zero();
            let mut r = self.powf_series(b.0[0].value()) * (db * self.ln_series()).exp_series();
            r.0[0] = self.0[0].pow(b.0[0]);
            r
        };
        let (a0, b0, v) = (self.0[0], b.0[0], series.0[0]);
        series.first_order(|| {
            let left = if self.is_constant() {
                T::zero()
            } else {
                chain(Binary::Pow.partial_a(a0, b0, v), self.0[1])
            };
            let right = if b.is_constant() {
                T::zero()
            } else {
                chain(Binary::Pow.partial_b(a0, b0, v), b.0[1])
            };
            left + right
        })
    }

    fn powf(self, p: f64) -> Self {
        self.powf_t(T::from_f64(p))
    }

    /// The series of the argument `max`/`min` returns (a piece of either), its value and first coefficient by the
    /// operation's rule (as every engine computes them).
    fn extremum(self, op: Binary, b: Self) -> Self {
        let (a0, b0) = (self.0[0], b.0[0]);
        let v = a0.extremum(op, b0);
        let picks_b = match op {
            Binary::Max => b0.value() > a0.value(),
            _ => b0.value() < a0.value(),
        };
        let mut series = if picks_b { b } else { self };
        series.0[0] = v;
        let (pa, pb) = op.partials(a0, b0, v);
        series.first_order(|| crate::base::scalar::chain2(pa, self.0[1], pb, b.0[1]))
    }
}

impl<const K: usize, T: Scalar> Taylor<K, T> {
    /// `self ** p` for an exponent that does not vary.
    fn powf_t(self, p: T) -> Self {
        if self.is_constant() {
            return Taylor::constant(self.0[0].pow(p));
        }
        let series = self.powf_series(p.value());
        let (a0, v) = (self.0[0], series.0[0]);
        series.first_order(|| chain(Binary::Pow.partial_a(a0, p, v), self.0[1]))
    }
}

/// sinh and cosh together: (sinh a)′ = cosh a · a′, (cosh a)′ = sinh a · a′.
fn sinh_cosh<const K: usize, T: Scalar>(a: Taylor<K, T>) -> (Taylor<K, T>, Taylor<K, T>) {
    let a = a.0;
    let (mut s, mut c) = ([T::zero(); K], [T::zero(); K]);
    s[0] = a[0].sinh();
    c[0] = a[0].cosh();
    for k in 1..K {
        let (mut ss, mut cc) = (T::zero(), T::zero());
        for i in 1..=k {
            ss = ss + chain(a[i] * (i as f64), c[k - i]);
            cc = cc + chain(a[i] * (i as f64), s[k - i]);
        }
        s[k] = ss / k as f64;
        c[k] = cc / k as f64;
    }
    (Taylor(s), Taylor(c))
}

fn sin_cos<const K: usize, T: Scalar>(a: Taylor<K, T>) -> (Taylor<K, T>, Taylor<K, T>) {
    let a = a.0;
    let (mut s, mut c) = ([T::zero(); K], [T::zero(); K]);
    s[0] = a[0].sin();
    c[0] = a[0].cos();
    for k in 1..K {
        let (mut ss, mut cc) = (T::zero(), T::zero());
        for i in 1..=k {
            ss = ss + chain(a[i] * (i as f64), c[k - i]);
            cc = cc + chain(a[i] * (i as f64), s[k - i]);
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
