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

#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lecture_values() {
        assert_eq!(super::log(2.0), 0.6931471805599453);
        assert_eq!(super::pow(3.0, 2.0), 9.0);
        assert_eq!(super::pow(0.25, 2.0), 0.0625);
    }
}
