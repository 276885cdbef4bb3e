//! Integer arithmetic on the numbers a program holds, as Python does it — and checked: every operation that could
//! overflow 64 bits reports it instead of wrapping or panicking. The one place where user integers are computed.

use super::value::Val;
use crate::base::source::{Error, Result, Span};
use crate::lang::syntax::BinOp;

pub(super) fn unreachable_range() -> (i64, i64, i64) {
    (0, 0, 1)
}

/// Integer arithmetic as Python does it; `None` when the result is a float (true division, negative powers).
pub(super) fn int_op(op: BinOp, i: i64, j: i64, span: Span) -> Result<Option<Val>> {
    let overflow = || Error::new(span, "integer overflow: the result does not fit in 64 bits");
    Ok(Some(Val::Int(match op {
        BinOp::Add => i.checked_add(j).ok_or_else(overflow)?,
        BinOp::Sub => i.checked_sub(j).ok_or_else(overflow)?,
        BinOp::Mul => i.checked_mul(j).ok_or_else(overflow)?,
        BinOp::Pow if j >= 0 => {
            let j = u32::try_from(j).map_err(|_| overflow())?;
            i.checked_pow(j).ok_or_else(overflow)?
        }
        BinOp::FloorDiv | BinOp::Mod if j == 0 => return Err(super::expr::zero_division(op, span)),
        BinOp::FloorDiv => {
            let q = i.checked_div(j).ok_or_else(overflow)?;
            if (i % j != 0) && ((i < 0) != (j < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod => {
            let r = i.checked_rem(j).ok_or_else(overflow)?;
            if r != 0 && ((r < 0) != (j < 0)) {
                r + j
            } else {
                r
            }
        }
        BinOp::Div => {
            return true_div(i, j)
                .map(|x| Some(Val::Float(x)))
                .ok_or_else(|| super::expr::zero_division(op, span))
        }
        BinOp::Pow if i == 0 => return Err(super::expr::zero_division(op, span)),
        BinOp::Pow => return Ok(None),
        _ => return Err(super::expr::not_arithmetic(op, span)),
    })))
}

/// `i / j` as Python computes it: the exact quotient rounded once to the nearest f64 (ties to even); dividing the
/// two rounded f64 values would round twice (`(2**62 + 513) / 3`).
fn true_div(i: i64, j: i64) -> Option<f64> {
    if j == 0 {
        return None;
    }
    let negative = (i < 0) != (j < 0);
    if i == 0 {
        return Some(sign(0.0, negative));
    }
    let (a, b) = (i.unsigned_abs() as u128, j.unsigned_abs() as u128);
    let bits = |v: u128| 128 - v.leading_zeros() as i32;
    // Scale so that the quotient has at least 55 bits: the 53 kept, the rounding bit, and more.
    let k = (55 + bits(b) - bits(a)).max(0);
    let (q, r) = ((a << k) / b, (a << k) % b);
    let shift = bits(q) - 53;
    let m = if shift > 0 {
        let m = q >> shift;
        let rest = q & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        m + u128::from(rest > half || (rest == half && (r != 0 || m & 1 == 1)))
    } else {
        q
    };
    // m ≤ 2⁵³ is exact as an f64, and so is the power of two (the result lies between 2⁻⁶³ and 2⁶³).
    Some(sign(m as f64 * 2f64.powi(shift.max(0) - k), negative))
}

fn sign(x: f64, negative: bool) -> f64 {
    if negative {
        -x
    } else {
        x
    }
}

/// Number of items of `range(start, stop, step)` (`step ≠ 0`), computed without overflow.
pub(super) fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let n = if step > 0 && stop > start {
        (stop - start + step - 1) / step
    } else if step < 0 && stop < start {
        (start - stop - step - 1) / -step
    } else {
        0
    };
    n as u64
}

/// Item `k` of `range(start, ·, step)`, for `k` below its length: between `start` and `stop`, so it fits.
pub(super) fn range_item(start: i64, step: i64, k: u64) -> i64 {
    (start as i128 + step as i128 * k as i128) as i64
}

/// Python's index `i` into a list of `n` (negative counts from the end), if it is in range.
pub(super) fn index_of(i: i64, n: usize) -> Option<usize> {
    let k = if i < 0 {
        i as i128 + n as i128
    } else {
        i as i128
    };
    (0..n as i128).contains(&k).then_some(k as usize)
}

/// Python's `items[start:stop:step]` (`step ≠ 0`), in 128-bit arithmetic so no bound or step overflows.
pub(super) fn slice(items: &[Val], start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<Val> {
    let n = items.len() as i128;
    let step = step as i128;
    let clamp = |i: i64, lo: i128, hi: i128| {
        let i = i as i128;
        if i < 0 {
            (i + n).max(lo)
        } else {
            i.min(hi)
        }
    };
    let mut out = Vec::new();
    if step > 0 {
        let (mut i, end) = (
            start.map_or(0, |s| clamp(s, 0, n)),
            stop.map_or(n, |s| clamp(s, 0, n)),
        );
        while i < end {
            out.push(items[i as usize].clone());
            i += step;
        }
    } else {
        let (mut i, end) = (
            start.map_or(n - 1, |s| clamp(s, -1, n - 1)),
            stop.map_or(-1, |s| clamp(s, -1, n - 1)),
        );
        while i > end {
            out.push(items[i as usize].clone());
            i += step;
        }
    }
    out
}

/// Python's `x // y` and `x % y` on floats (CPython's `float_divmod`): the remainder has the divisor's sign, and the
/// quotient is exact for the remainder — `5.0 // 0.1` is 49.0 and `5.0 % 0.1` is 0.09999999999999973, because 0.1 is
/// a little more than a tenth. `None` when y is 0 (Python raises).
pub fn float_divmod(x: f64, y: f64) -> Option<(f64, f64)> {
    if y == 0.0 {
        return None;
    }
    let mut m = libm::fmod(x, y);
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let q = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    Some((q, m))
}

#[cfg(test)]
mod tests {
    use super::true_div;

    /// Python's int / int, rounded once (values from CPython).
    #[test]
    fn true_division_rounds_once() {
        assert_eq!(true_div((1 << 62) + 513, 3), Some(1.5372286728091295e18));
        assert_eq!(
            true_div(9007199254740993, 9223372036854775807),
            Some(0.0009765625000000002)
        );
        assert_eq!(true_div(1, 3), Some(1.0 / 3.0));
        assert_eq!(true_div(-7, 2), Some(-3.5));
        assert_eq!(true_div(0, -3).map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(true_div(i64::MIN, -1), Some(9.223372036854776e18));
        assert_eq!(true_div(i64::MIN, 1), Some(-9.223372036854776e18));
        assert_eq!(true_div(1, i64::MAX), Some(1.0842021724855044e-19));
        assert_eq!(true_div(5, 0), None);
        for (a, b) in [
            (10i64, 4i64),
            (1 << 53, 3),
            (123456789, 1000),
            (-(1 << 60) - 1, 7),
        ] {
            if a.unsigned_abs() < 1 << 53 && b.unsigned_abs() < 1 << 53 {
                assert_eq!(true_div(a, b), Some(a as f64 / b as f64), "{a}/{b}");
            }
        }
    }

    use super::*;

    #[test]
    fn python_float_floor_division_and_remainder() {
        assert_eq!(float_divmod(5.0, 0.1), Some((49.0, 0.09999999999999973)));
        assert_eq!(float_divmod(1e308, 3.0).unwrap().1, 2.0);
        assert_eq!(float_divmod(-7.5, 2.0), Some((-4.0, 0.5)));
        assert_eq!(float_divmod(7.5, -2.0), Some((-4.0, -0.5)));
        assert_eq!(float_divmod(1.0, 0.0), None);
    }

    #[test]
    fn no_overflow_at_the_edges() {
        assert_eq!(range_len(i64::MIN, 7, 4611686018427387904), 3);
        assert_eq!(range_item(i64::MIN, 4611686018427387904, 2), 0);
        assert_eq!(range_len(7, i64::MIN, i64::MIN), 2);
        let items = vec![Val::Int(1), Val::Int(2)];
        assert_eq!(slice(&items, Some(1), None, i64::MAX), vec![Val::Int(2)]);
        assert_eq!(slice(&items, None, None, i64::MIN), vec![Val::Int(2)]);
        assert_eq!(index_of(i64::MIN, 2), None);
        assert_eq!(index_of(-2, 2), Some(0));
    }
}
