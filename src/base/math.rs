//! Elementary functions, all from the `libm` crate so that native tests and the WebAssembly build compute the same
//! bits (the browser build would use `libm` anyway; the host's C library may round differently in the last place).

#[inline]
pub fn log(x: f64) -> f64 {
    libm::log(x)
}

#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[inline]
pub fn tan(x: f64) -> f64 {
    libm::tan(x)
}

#[inline]
pub fn sinh(x: f64) -> f64 {
    libm::sinh(x)
}

#[inline]
pub fn cosh(x: f64) -> f64 {
    libm::cosh(x)
}

#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// Square root is correctly rounded by IEEE 754 everywhere, so the hardware instruction is used.
#[inline]
pub fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// max(0, x), NaN staying NaN (and −0 giving 0).
#[inline]
pub fn relu(x: f64) -> f64 {
    if x > 0.0 || x.is_nan() {
        x
    } else {
        0.0
    }
}

/// 1 for x > 0, 0 for x ≤ 0, NaN for NaN.
#[inline]
pub fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

/// Python's `max(a, b)`: `b` if `b > a`, else `a` (the first of equals, and `a` against a NaN `b`).
#[inline]
pub fn max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Python's `min(a, b)`: `b` if `b < a`, else `a`.
#[inline]
pub fn min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// `libm`'s pow, whose first cases for y = 2 and y = 1 are `x * x` and `x` (NaN for NaN): taken here without its
/// tests on x, since squares are most of the powers programs raise (a squared loss, tanh's 1/cosh², `x**2`).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    if y == 2.0 {
        x * x
    } else if y == 1.0 {
        x
    } else {
        libm::pow(x, y)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lecture_values() {
        assert_eq!(super::log(2.0), 0.6931471805599453);
        assert_eq!(super::pow(3.0, 2.0), 9.0);
        assert_eq!(super::pow(0.25, 2.0), 0.0625);
        // The shortcuts give libm's bits.
        for x in [
            0.0,
            -0.0,
            1.5,
            -3.25,
            1e-200,
            -1e200,
            1e308,
            f64::INFINITY,
            -f64::INFINITY,
            0.1,
        ] {
            for y in [1.0, 2.0] {
                assert_eq!(
                    super::pow(x, y).to_bits(),
                    libm::pow(x, y).to_bits(),
                    "{x} ** {y}"
                );
            }
        }
        assert!(super::pow(f64::NAN, 2.0).is_nan() && super::pow(f64::NAN, 1.0).is_nan());
    }
}
