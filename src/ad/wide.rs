//! Numbers with an f64 mantissa and a 64-bit exponent: the engines' overflow rule.
//!
//! A derivative can be far larger than any value the function computes: the logistic map at 0.25 stays at 0.75, but
//! its derivative doubles at every step, and past 2¹⁰²⁴ IEEE arithmetic turns `t − 3t` into `∞ − ∞ = NaN`. When a
//! tangent or an adjoint comes out NaN or infinite although the values it was computed from are finite, the engines
//! compute it again in `Wide` and round the results to f64 at the end: a derivative beyond the largest f64 is then
//! reported as ±∞ (which it is), not NaN, and every engine agrees on it.
//!
//! Within f64's range, `Wide` arithmetic gives the same bits as f64: a product or a sum of `m₁·2^e₁` and `m₂·2^e₂`
//! rounds the mantissas exactly as f64 would round the numbers (scaling by a power of two is exact).
//!
//! ```
//! use ad_lab::ad::wide::Wide;
//! let big = Wide::from(1e300) * Wide::from(1e300);
//! assert_eq!(f64::from(big), f64::INFINITY);
//! assert_eq!(f64::from(big / Wide::from(1e300)), 1e300);
//! ```

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::base::math;
use crate::base::op::{Binary, Unary};
use crate::base::scalar::Scalar;

/// `m · 2^e` with `1 ≤ |m| < 2`, or `m` zero, infinite or NaN (then `e = 0`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wide {
    m: f64,
    e: i64,
}

const LN_2: f64 = std::f64::consts::LN_2;
/// Exponents beyond ±2⁵⁰ are ±∞ or 0: far past any derivative a program can make, and sums of two stay in i64.
const E_MAX: i64 = 1 << 50;

impl Wide {
    fn new(m: f64, e: i64) -> Wide {
        if m == 0.0 || !m.is_finite() {
            return Wide { m, e: 0 };
        }
        let (mm, k) = split(m);
        let e = e.saturating_add(k);
        if e > E_MAX {
            return Wide {
                m: f64::INFINITY.copysign(m),
                e: 0,
            };
        }
        if e < -E_MAX {
            return Wide {
                m: 0.0f64.copysign(m),
                e: 0,
            };
        }
        Wide { m: mm, e }
    }

    /// A normal f64 (or zero, ±∞, NaN): elementary functions are then computed in f64, and kept unless their result
    /// overflows or underflows — so that `Wide` gives f64's bits wherever f64 can say them.
    fn in_range(self) -> bool {
        (-1022..=1023).contains(&self.e)
    }
}

/// `x = m · 2^k` with `1 ≤ |m| < 2` (x finite and nonzero).
fn split(x: f64) -> (f64, i64) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, k) = split(x * 2f64.powi(64));
        return (m, k - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    (m, exp - 1023)
}

impl From<f64> for Wide {
    fn from(x: f64) -> Wide {
        Wide::new(x, 0)
    }
}

impl From<Wide> for f64 {
    /// Rounded to the nearest f64: ±∞ beyond its range, 0 or a subnormal below it.
    fn from(w: Wide) -> f64 {
        if w.m == 0.0 || !w.m.is_finite() {
            return w.m;
        }
        libm::scalbn(w.m, w.e.clamp(-4000, 4000) as i32)
    }
}

impl Add for Wide {
    type Output = Wide;
    fn add(self, b: Wide) -> Wide {
        if self.m == 0.0 || !self.m.is_finite() || b.m == 0.0 || !b.m.is_finite() {
            if self.m.is_finite() && b.m.is_finite() {
                // One is zero (f64's rules for signed zeros).
                return if self.m == 0.0 {
                    if b.m == 0.0 {
                        Wide::from(self.m + b.m)
                    } else {
                        b
                    }
                } else {
                    self
                };
            }
            return Wide::from(f64::from(self) + f64::from(b));
        }
        let (hi, lo) = if self.e >= b.e { (self, b) } else { (b, self) };
        let d = hi.e - lo.e;
        if d > 60 {
            return hi;
        }
        Wide::new(hi.m + libm::scalbn(lo.m, -(d as i32)), hi.e)
    }
}

impl Neg for Wide {
    type Output = Wide;
    fn neg(self) -> Wide {
        Wide {
            m: -self.m,
            e: self.e,
        }
    }
}

impl Sub for Wide {
    type Output = Wide;
    fn sub(self, b: Wide) -> Wide {
        self + (-b)
    }
}

impl Mul for Wide {
    type Output = Wide;
    fn mul(self, b: Wide) -> Wide {
        if !self.m.is_finite() || !b.m.is_finite() || self.m == 0.0 || b.m == 0.0 {
            return Wide::from(self.m * b.m);
        }
        Wide::new(self.m * b.m, self.e + b.e)
    }
}

impl Div for Wide {
    type Output = Wide;
    fn div(self, b: Wide) -> Wide {
        if !self.m.is_finite() || !b.m.is_finite() || self.m == 0.0 || b.m == 0.0 {
            return Wide::from(self.m / b.m);
        }
        Wide::new(self.m / b.m, self.e - b.e)
    }
}

macro_rules! with_f64 {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait<f64> for Wide {
            type Output = Wide;
            fn $method(self, c: f64) -> Wide {
                self.$method(Wide::from(c))
            }
        }
    )*};
}

with_f64!(Add add, Sub sub, Mul mul, Div div);

/// `eˣ` as a `Wide` for any finite x: 2ᵏ·eʳ with k = round(x / ln 2) and r = x − k·ln 2 computed in two parts
/// (Cody and Waite's reduction, as libm's exp does), so the result is as accurate as exp itself (a fractional power
/// of two from x / ln 2 would lose the rounding of that quotient times k: 3·10⁻¹⁴ at x = 710).
fn exp_wide(x: f64) -> Wide {
    if !x.is_finite() {
        return Wide::from(math::exp(x));
    }
    let t = x / LN_2;
    if t.abs() > E_MAX as f64 {
        return Wide::from(if t > 0.0 { f64::INFINITY } else { 0.0 });
    }
    // ln 2 = LN2_HI + LN2_LO, LN2_HI with its low 21 bits zero: k·LN2_HI is exact for |k| < 2²¹.
    const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    let k = t.round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    Wide::new(math::exp(r), k as i64)
}

/// `ln |w|` as an f64 (finite for every nonzero finite w).
fn ln_abs(w: Wide) -> f64 {
    math::log(w.m.abs()) + w.e as f64 * LN_2
}

impl Scalar for Wide {
    fn from_f64(x: f64) -> Wide {
        Wide::from(x)
    }
    fn value(self) -> f64 {
        f64::from(self)
    }
    fn is_zero(self) -> bool {
        self.m == 0.0
    }
    fn is_nan(self) -> bool {
        self.m.is_nan()
    }
    fn unary(self, op: Unary) -> Wide {
        if self.in_range() || op == Unary::Neg {
            if op == Unary::Neg {
                return -self;
            }
            let x = f64::from(self);
            let y = op.apply(x);
            // An overflow, or an exponential that underflowed (eˣ is never 0): the value is still a Wide number.
            let lost = !y.is_finite() || (op == Unary::Exp && y < f64::MIN_POSITIVE);
            if !lost || !x.is_finite() {
                return Wide::from(y);
            }
        }
        // Out of f64's range (or a result that is): the functions that still mean something there.
        let x = f64::from(self); // ±∞ or ±0 when out of range
        match op {
            Unary::Neg => -self,
            Unary::Log if self.m > 0.0 => Wide::from(ln_abs(self)),
            Unary::Log => Wide::from(math::log(x)),
            Unary::Sqrt if self.m >= 0.0 => {
                let (m, e) = if self.e % 2 == 0 {
                    (self.m, self.e)
                } else {
                    (self.m * 2.0, self.e - 1)
                };
                Wide::new(math::sqrt(m), e / 2)
            }
            Unary::Sqrt => Wide::from(f64::NAN),
            Unary::Exp => {
                if self.in_range() {
                    exp_wide(x)
                } else {
                    Wide::from(math::exp(x))
                }
            }
            Unary::Sinh | Unary::Cosh => {
                if self.in_range() {
                    // e^|x|/2 dominates: the other term is far below an ulp.
                    let half = exp_wide(x.abs()) * 0.5;
                    match (op, x < 0.0) {
                        (Unary::Sinh, true) => -half,
                        _ => half,
                    }
                } else {
                    Wide::from(op.apply(x))
                }
            }
            // max(0, a) keeps a's own wide value; the step is 0 or 1.
            Unary::Relu if self.m > 0.0 => self,
            // |a| keeps a's own wide magnitude.
            Unary::Abs => Wide::new(self.m.abs(), self.e),
            Unary::Tanh | Unary::Sin | Unary::Cos | Unary::Tan | Unary::Relu | Unary::Step => {
                Wide::from(op.apply(x))
            }
        }
    }
    fn powf(self, p: f64) -> Wide {
        self.pow(Wide::from(p))
    }
    /// The argument [`Binary::apply`] would return, compared past f64's range too (`b > a` is `b − a > 0`).
    fn extremum(self, op: Binary, b: Wide) -> Wide {
        let picks_b = match op {
            Binary::Max => (b - self).m > 0.0,
            _ => (self - b).m > 0.0,
        };
        if picks_b {
            b
        } else {
            self
        }
    }
    fn pow(self, b: Wide) -> Wide {
        let (a, p) = (f64::from(self), f64::from(b));
        if self.in_range() && b.in_range() {
            let y = math::pow(a, p);
            // Accepted unless it overflowed or underflowed (a nonzero base to a finite power is not 0).
            let lost = !y.is_finite() || (y.abs() < f64::MIN_POSITIVE && a != 0.0);
            if !lost || !a.is_finite() || !p.is_finite() {
                return Wide::from(y);
            }
        }
        if self.m == 0.0 || !self.m.is_finite() || !p.is_finite() {
            return Wide::from(math::pow(a, p));
        }
        // Whole powers by repeated products: each rounded once, as f64 would round a square.
        if p.fract() == 0.0 && p.abs() <= 64.0 {
            let mut k = p.abs() as u32;
            let (mut base, mut acc) = (self, Wide::from(1.0));
            while k > 0 {
                if k & 1 == 1 {
                    acc = acc * base;
                }
                base = base * base;
                k >>= 1;
            }
            return if p < 0.0 { Wide::from(1.0) / acc } else { acc };
        }
        // |a|^p = e^(p·ln|a|), negative bases only to whole powers.
        let sign = if self.m < 0.0 {
            if p.fract() != 0.0 {
                return Wide::from(f64::NAN);
            }
            if (p / 2.0).fract() != 0.0 {
                -1.0
            } else {
                1.0
            }
        } else {
            1.0
        };
        // In powers of two: |a|ᵖ = 2^(p·(e + log₂|m|)), exact for a power-of-two base (2**1024 is 2¹⁰²⁴).
        let t = p * (self.e as f64 + math::log(self.m.abs()) / LN_2);
        if !t.is_finite() {
            return Wide::from(sign * math::exp(t));
        }
        if t.abs() > E_MAX as f64 {
            return Wide::from(if t > 0.0 {
                sign * f64::INFINITY
            } else {
                sign * 0.0
            });
        }
        let k = t.floor();
        Wide::new(math::pow(2.0, t - k), k as i64) * sign
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bits_as_f64_in_range() {
        let xs = [
            0.75,
            -16.0,
            1e-300,
            3.5e200,
            -2.25e-310,
            7.0,
            0.1,
            1.0 / 3.0,
        ];
        for &a in &xs {
            assert_eq!(f64::from(Wide::from(a)).to_bits(), a.to_bits());
            for &b in &xs {
                let (wa, wb) = (Wide::from(a), Wide::from(b));
                for (got, want) in [
                    (wa * wb, a * b),
                    (wa + wb, a + b),
                    (wa - wb, a - b),
                    (wa / wb, a / b),
                ] {
                    let want_normal = want == 0.0 || want.abs() >= f64::MIN_POSITIVE;
                    if want.is_finite() && want_normal {
                        assert_eq!(f64::from(got).to_bits(), want.to_bits(), "{a} {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn beyond_the_range_of_f64() {
        let t = Wide::from(2f64.powi(1000)) * Wide::from(2f64.powi(100));
        assert_eq!(f64::from(t), f64::INFINITY);
        assert_eq!(
            f64::from(t - t * 3.0),
            f64::NEG_INFINITY,
            "t − 3t is −∞, not NaN"
        );
        assert_eq!(f64::from((t * 3.0) / t), 3.0);
        assert_eq!(f64::from(t.ln()), 1100.0 * LN_2);
        assert_eq!(
            f64::from(t.sqrt() / Wide::from(2f64.powi(500))),
            2f64.powi(50)
        );
        assert!(
            (f64::from(Wide::from(800.0).exp() / Wide::from(799.0).exp()) - std::f64::consts::E)
                .abs()
                < 1e-12
        );
        assert!(f64::from(Wide::from(f64::NAN) + Wide::from(1.0)).is_nan());
    }
}
