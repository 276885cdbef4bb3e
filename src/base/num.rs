//! How numbers are written for people and for machines.
//!
//! - [`fmt_full`] is Rust's `{}` (shortest text that reads back to the same `f64`): what `data-value` holds.
//! - [`fmt_compact`] is the same digits, switching to `1e-7` style outside `[1e-5, 1e16)` so nothing prints as
//!   three hundred zeros. Both are exact.
//! - [`fmt_sig`] rounds to a few significant digits, for labels.

use super::decimal;

/// Exactly Rust's `{}`: `-16`, `0.75`, `NaN`, `inf`, `-0` — from [`decimal::shortest`]'s digits, so the site
/// ships no second float formatter (no `f64` goes through `{}` in the site's code).
pub fn fmt_full(x: f64) -> String {
    let Some((sign, d, k)) = parts(x) else {
        return special(x).into();
    };
    let digits: String = d.iter().map(|&c| (b'0' + c) as char).collect();
    let n = d.len() as i32;
    let body = if k <= 0 {
        format!("0.{}{digits}", "0".repeat(-k as usize))
    } else if k < n {
        format!("{}.{}", &digits[..k as usize], &digits[k as usize..])
    } else {
        format!("{digits}{}", "0".repeat((k - n) as usize))
    };
    format!("{sign}{body}")
}

/// The sign, shortest digits and decimal exponent of a finite `x` (0.d₁d₂…·10ᵏ; zero is one digit 0, k = 1).
fn parts(x: f64) -> Option<(&'static str, Vec<u8>, i32)> {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if !x.is_finite() {
        None
    } else if x == 0.0 {
        Some((sign, vec![0], 1))
    } else {
        let (d, k) = decimal::shortest(x.abs());
        Some((sign, d, k))
    }
}

fn special(x: f64) -> &'static str {
    if x.is_nan() {
        "NaN"
    } else if x > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// Full precision, scientific notation for very large or very small magnitudes.
pub fn fmt_compact(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 || !a.is_finite() || (1e-5..1e16).contains(&a) {
        fmt_full(x)
    } else {
        fmt_exp(x)
    }
}

/// Exactly Rust's `{:e}` (`7.5e-1`, `1e-7`, `-0e0`, `inf`).
pub fn fmt_exp(x: f64) -> String {
    let Some((sign, d, k)) = parts(x) else {
        return special(x).into();
    };
    let rest: String = d[1..].iter().map(|&c| (b'0' + c) as char).collect();
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{sign}{}{dot}{rest}e{}", d[0], k - 1)
}

/// `x` rounded to `places` (≤ 4) decimal places, printed shortest (`12.3`, not `12.30`; `-0.04` to one place is
/// `0`), for CSS and SVG numbers: with integers, so drawing a large graph's thousands of coordinates stays cheap.
pub fn fmt_rounded(x: f64, places: usize) -> String {
    let p = [1, 10, 100, 1000, 10000][places.min(4)];
    let n = (x * p as f64).round();
    if !(n.abs() < 9007199254740992.0) {
        return fmt_full(x);
    }
    let n = n as i64;
    let (int, frac) = ((n / p).abs(), (n % p).abs());
    let sign = if n < 0 { "-" } else { "" };
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let mut f = format!("{frac:0w$}", w = places.min(4));
    while f.ends_with('0') {
        f.pop();
    }
    format!("{sign}{int}.{f}")
}

/// Python's `repr` of a float: `-16.0`, `0.75`, `1e-07`, `nan` — for the console lines that mirror the lecture.
pub fn fmt_python(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = fmt_exp(x);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if x == 0.0 || (-4..16).contains(&exp) {
        let s = fmt_full(x);
        if s.contains('.') {
            s
        } else {
            s + ".0"
        }
    } else {
        format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// A number as program source: exact, parenthesised when negative, and `1e999` (which reads back as ∞) for
/// infinities.
pub fn fmt_code(x: f64) -> String {
    if x.is_nan() {
        "(1e999 - 1e999)".into()
    } else if x == f64::INFINITY {
        "1e999".into()
    } else if x == f64::NEG_INFINITY {
        "(-1e999)".into()
    } else if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
        format!("({})", fmt_compact(x))
    } else {
        fmt_compact(x)
    }
}

/// `x` rounded to `digits` significant digits, without trailing zeros: `fmt_sig(0.000123456, 3)` → `0.000123`,
/// `fmt_sig(1.5e-9, 2)` → `1.5e-9`.
pub fn fmt_sig(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return fmt_full(x);
    }
    let digits = digits.clamp(1, 17);
    // Round the shortest decimal digits (no exact-precision formatting code is needed: smaller wasm).
    let sci = fmt_exp(x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mut exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if d.len() > digits {
        let up = d[digits] >= 5;
        d.truncate(digits);
        if up {
            let mut i = digits;
            loop {
                if i == 0 {
                    d.insert(0, 1);
                    d.pop();
                    exp += 1;
                    break;
                }
                i -= 1;
                if d[i] == 9 {
                    d[i] = 0;
                } else {
                    d[i] += 1;
                    break;
                }
            }
        }
    }
    while d.len() > 1 && d.last() == Some(&0) {
        d.pop();
    }
    let mut m: String = d.iter().map(|v| (b'0' + v) as char).collect();
    if m.len() > 1 {
        m.insert(1, '.');
    }
    let sign = if x < 0.0 { "-" } else { "" };
    if (-5..16).contains(&exp) {
        let v: f64 = super::decimal::parse(&format!("{m}e{exp}")).unwrap_or(x.abs());
        format!("{sign}{}", fmt_full(v))
    } else {
        format!("{sign}{m}e{exp}")
    }
}

/// `-12` → `⁻¹²`.
pub fn superscript_int(k: i64) -> String {
    k.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// `10⁻⁸`, for log-axis labels.
pub fn pow10_label(k: i32) -> String {
    format!("10{}", superscript_int(k as i64))
}

/// `1,000,000`, for counts in messages.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses a number as people type it: Rust/Python float syntax plus `inf`, `-inf`, `nan` and surrounding blanks.
/// `None` for anything else (so `1/0` typed in a field is an error, not a value).
pub fn parse_f64(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let t2 = t.replace('_', "").replace('−', "-");
    let lower = t2.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "+inf" | "infinity" => return Some(f64::INFINITY),
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    if !lower
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'-' | b'+'))
    {
        return None;
    }
    super::decimal::parse(&lower)
}

/// How many leading significant decimal digits two numbers share (0 … 17), the usual `−log₁₀ |relative error|`.
pub fn agreeing_digits(approx: f64, exact: f64) -> u32 {
    if approx == exact {
        return 17;
    }
    if !approx.is_finite() || !exact.is_finite() {
        return 0;
    }
    let scale = exact.abs().max(f64::MIN_POSITIVE);
    let rel = (approx - exact).abs() / scale;
    if rel >= 1.0 {
        0
    } else {
        (-rel.log10()).floor().clamp(0.0, 17.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::random::SplitMix64;

    #[test]
    fn exp_is_rust_lower_exp() {
        let mut special = vec![
            0.0,
            -0.0,
            1.0,
            0.75,
            -16.0,
            1e-7,
            1500.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            1e21,
            1e22,
            1e23,
            0.1,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut r = SplitMix64::new(5);
        for _ in 0..100_000 {
            special.push(f64::from_bits(r.next_u64()));
        }
        for k in -330..310 {
            special.push(10f64.powi(k));
            special.push(-2f64.powi(k * 3));
        }
        for x in special {
            assert_eq!(fmt_exp(x), format!("{x:e}"), "{}", x.to_bits());
        }
        assert_eq!(fmt_rounded(12.345, 1), "12.3");
        assert_eq!(fmt_rounded(0.06, 1), "0.1");
        assert_eq!(fmt_rounded(7.0, 1), "7");
        assert_eq!(fmt_rounded(0.123456, 4), "0.1235");
        assert_eq!(fmt_rounded(-0.5004, 3), "-0.5");
        assert_eq!(fmt_rounded(-0.04, 1), "0");
        let mut r = SplitMix64::new(8);
        for _ in 0..20_000 {
            let x = (r.below(2_000_000) as f64 - 1e6) / 997.0;
            for p in 0..=4 {
                let want = fmt_full(
                    (x * [1.0, 10.0, 100.0, 1e3, 1e4][p]).round() / [1.0, 10.0, 100.0, 1e3, 1e4][p],
                );
                let want = if want == "-0" { "0".to_string() } else { want };
                assert_eq!(fmt_rounded(x, p), want, "{x} {p}");
            }
        }
    }

    #[test]
    fn full_is_rust_display() {
        let mut r = SplitMix64::new(3);
        let mut xs = vec![
            0.0,
            -0.0,
            1e21,
            1e22,
            1e-7,
            5e-324,
            f64::MAX,
            0.1,
            100.0,
            1.5,
            -2.5e-300,
        ];
        for _ in 0..100_000 {
            xs.push(f64::from_bits(r.next_u64()));
            xs.push(r.below(100_000) as f64 / 100.0 - 300.0);
        }
        for x in xs {
            assert_eq!(fmt_full(x), format!("{x}"), "{}", x.to_bits());
        }
        assert_eq!(fmt_full(-16.0), "-16");
        assert_eq!(fmt_full(0.6931471805599453), "0.6931471805599453");
        assert_eq!(fmt_full(f64::NAN), "NaN");
        assert_eq!(fmt_full(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn compact_is_exact_and_short() {
        for x in [1e-7, 2.220446049250313e-16, 1e300, -3.5e20, 0.00012, 123.25] {
            assert_eq!(fmt_compact(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(fmt_compact(1e-7), "1e-7");
        assert_eq!(fmt_compact(0.75), "0.75");
    }

    #[test]
    fn python_repr() {
        assert_eq!(fmt_python(-16.0), "-16.0");
        assert_eq!(fmt_python(0.75), "0.75");
        assert_eq!(fmt_python(1e-7), "1e-07");
        assert_eq!(fmt_python(1.5e16), "1.5e+16");
        assert_eq!(fmt_python(1e15), "1000000000000000.0");
        assert_eq!(fmt_python(0.0001), "0.0001");
        assert_eq!(fmt_python(-0.0), "-0.0");
        assert_eq!(fmt_python(-16.000015992112537), "-16.000015992112537");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(fmt_sig(0.000123456, 3), "0.000123");
        assert_eq!(fmt_sig(1.5e-9, 2), "1.5e-9");
        assert_eq!(fmt_sig(-16.000015992112537, 4), "-16");
        assert_eq!(fmt_sig(1234.5, 2), "1200");
        assert_eq!(fmt_sig(9.999999e-5, 3), "0.0001");
        assert_eq!(fmt_sig(-0.0004499, 2), "-0.00045");
        assert_eq!(fmt_sig(9.96e20, 2), "1e21");
        assert_eq!(fmt_sig(1.25e-7, 2), "1.3e-7");
        assert_eq!(fmt_sig(123456.0, 3), "123000");
    }

    #[test]
    fn labels_and_parsing() {
        assert_eq!(pow10_label(-8), "10⁻⁸");
        assert_eq!(fmt_count(1_000_000), "1,000,000");
        assert_eq!(parse_f64(" 1e-7 "), Some(1e-7));
        assert_eq!(parse_f64("−2"), Some(-2.0));
        assert_eq!(parse_f64("1/0"), None);
        assert_eq!(parse_f64(""), None);
        assert_eq!(agreeing_digits(-16.000015992112537, -16.0), 6);
        assert_eq!(agreeing_digits(2.0, 2.0), 17);
    }
}
