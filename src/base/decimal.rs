//! Decimal text to the nearest f64, correctly rounded (ties to even), without the 10 KB table of powers of five that
//! the standard library's fast parser ships: short inputs take Clinger's exact fast path, the rest an exact
//! big-integer computation (slower, but numbers are typed, not streamed). Checked against the standard parser bit for
//! bit (see the tests).
//!
//! And the other way, [`shortest`]: the fewest decimal digits that read back as the same f64, the closest of them
//! when there are several — what Rust's `{}` prints — by Steele and White's free-format algorithm in exact big
//! integers, as Burger and Dybvig give it (checked against `{}` digit for digit; the standard library's Grisu and
//! Dragon code, 13 KB of the site's wasm, is then not shipped).

/// A non-negative big integer, little-endian 32-bit limbs, no trailing zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn small(v: u32) -> Big {
        let mut b = Big(vec![v]);
        b.trim();
        b
    }

    /// A number of up to 128 bits.
    fn wide(v: u128) -> Big {
        let mut b = Big((0..4).map(|i| (v >> (32 * i)) as u32).collect());
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// self = self·m + a.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = a as u64;
        for limb in self.0.iter_mut() {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    /// self·10ᵏ.
    fn mul_pow10(&mut self, mut k: u32) {
        while k >= 9 {
            self.mul_add(1_000_000_000, 0);
            k -= 9;
        }
        if k > 0 {
            self.mul_add(10u32.pow(k), 0);
        }
    }

    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => 32 * self.0.len() as u64 - top.leading_zeros() as u64,
        }
    }

    fn bit(&self, i: u64) -> bool {
        let (w, b) = ((i / 32) as usize, i % 32);
        self.0.get(w).is_some_and(|v| v >> b & 1 == 1)
    }

    /// Any bit below position `i` set.
    fn any_below(&self, i: u64) -> bool {
        let (w, b) = ((i / 32) as usize, i % 32);
        self.0.iter().take(w.min(self.0.len())).any(|&v| v != 0)
            || (b > 0 && self.0.get(w).is_some_and(|v| v & ((1u32 << b) - 1) != 0))
    }

    fn shl(&self, s: u64) -> Big {
        let (w, b) = ((s / 32) as usize, (s % 32) as u32);
        let mut out = vec![0u32; w];
        let mut carry = 0u32;
        for &v in &self.0 {
            out.push(if b == 0 { v } else { (v << b) | carry });
            carry = if b == 0 { 0 } else { v >> (32 - b) };
        }
        if carry > 0 {
            out.push(carry);
        }
        let mut r = Big(out);
        r.trim();
        r
    }

    fn cmp(&self, o: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    /// self += o.
    fn add(&mut self, o: &Big) {
        let mut carry = 0u64;
        for i in 0..self.0.len().max(o.0.len()) {
            let v = self.0.get(i).copied().unwrap_or(0) as u64
                + o.0.get(i).copied().unwrap_or(0) as u64
                + carry;
            if i < self.0.len() {
                self.0[i] = v as u32;
            } else {
                self.0.push(v as u32);
            }
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// self −= o (self ≥ o).
    fn sub(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = self.0[i] as i64 - o.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            borrow = (v < 0) as i64;
            self.0[i] = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }
}

/// The f64 nearest to big·2^exp2 (plus a sticky amount below its last bit when `sticky`), ties to even.
fn round(big: &Big, exp2: i64, sticky: bool) -> f64 {
    let l = big.bits() as i64;
    let e = l - 1 + exp2; // big·2^exp2 ∈ [2^e, 2^(e+1))
    if e > 1023 {
        return f64::INFINITY;
    }
    let keep = if e >= -1022 { 53 } else { 1075 + e };
    if keep < 0 {
        return 0.0;
    }
    let mut m: u64 = 0;
    if l <= keep {
        // Fewer bits than the mantissa holds: exact.
        for i in (0..l as u64).rev() {
            m = m << 1 | big.bit(i) as u64;
        }
        m <<= keep - l;
    } else {
        let low = (l - keep) as u64; // bits below `low` are dropped
        for i in (low..l as u64).rev() {
            m = m << 1 | big.bit(i) as u64;
        }
        let round_bit = big.bit(low - 1);
        let rest = sticky || (low > 1 && big.any_below(low - 1));
        if round_bit && (rest || m & 1 == 1) {
            m += 1;
        }
    }
    if keep == 53 {
        let mut e = e;
        if m == 1 << 53 {
            m >>= 1;
            e += 1;
        }
        if e > 1023 {
            return f64::INFINITY;
        }
        f64::from_bits(((e + 1023) as u64) << 52 | (m & ((1 << 52) - 1)))
    } else {
        // Subnormal (m may have carried into the smallest normal: the bits say so by themselves).
        f64::from_bits(m)
    }
}

/// An optional sign at `b[*i]` (skipped): true for `-`.
fn sign(b: &[u8], i: &mut usize) -> bool {
    match b.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    }
}

/// Parses `[+-]digits[.digits][e[+-]digits]` (or `.digits`) to the nearest f64; `None` if the text is not that.
pub fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = sign(b, &mut i);
    // Significant digits (leading zeros dropped), at most MAX of them; the rest only as "something nonzero".
    const MAX: usize = 800;
    let mut digits: Vec<u8> = Vec::new();
    let (mut seen, mut sticky, mut exp10) = (false, false, 0i64);
    let mut dot = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen = true;
                let d = c - b'0';
                if digits.is_empty() && d == 0 {
                    if dot {
                        exp10 -= 1;
                    }
                } else if digits.len() < MAX {
                    digits.push(d);
                    if dot {
                        exp10 -= 1;
                    }
                } else {
                    sticky |= d != 0;
                    if !dot {
                        exp10 += 1;
                    }
                }
            }
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        i += 1;
        let eneg = sign(b, &mut i);
        if i >= b.len() {
            return None;
        }
        let mut e: i64 = 0;
        while i < b.len() {
            let c = b[i];
            if !c.is_ascii_digit() {
                return None;
            }
            e = (e * 10 + (c - b'0') as i64).min(1_000_000);
            i += 1;
        }
        exp10 += if eneg { -e } else { e };
    }
    let sign = if neg { -1.0 } else { 1.0 };
    if digits.is_empty() {
        return Some(sign * 0.0);
    }
    let n = digits.len() as i64;
    // value = D·10^exp10, D the digits as an integer, 10^(n−1+exp10) ≤ value < 10^(n+exp10).
    if n + exp10 > 310 {
        return Some(sign * f64::INFINITY);
    }
    if n + exp10 < -325 {
        return Some(sign * 0.0);
    }
    // Clinger's fast path: D and 10^|e| both exact, one rounding.
    if n <= 15 && !sticky && exp10.abs() <= 22 {
        let d = digits.iter().fold(0u64, |a, &v| a * 10 + v as u64) as f64;
        let p = POW10[exp10.unsigned_abs() as usize];
        return Some(sign * if exp10 >= 0 { d * p } else { d / p });
    }
    // Up to 19 digits and 10^±27 (full-precision literals such as 0.038075906433423026): exact in u128, one
    // rounding. D·10^e directly; D/10^k as D/5^k·2^−k, the quotient carrying at least 56 bits and the remainder as
    // sticky.
    if n <= 19 && !sticky && (-27..=19).contains(&exp10) {
        let d = digits.iter().fold(0u64, |a, &v| a * 10 + v as u64) as u128;
        let v = if exp10 >= 0 {
            round(&Big::wide(d * 10u128.pow(exp10 as u32)), 0, false)
        } else {
            let k = exp10.unsigned_abs() as u32;
            let p5 = 5u128.pow(k);
            let shift =
                (56 + 128 - p5.leading_zeros() as i64 - (128 - d.leading_zeros() as i64)).max(0);
            let num = d << shift;
            round(&Big::wide(num / p5), -(shift + k as i64), num % p5 != 0)
        };
        return Some(sign * v);
    }
    let mut big = Big(Vec::new());
    for &d in &digits {
        big.mul_add(10, d as u32);
    }
    let v = if exp10 >= 0 {
        big.mul_pow10(exp10 as u32);
        round(&big, 0, sticky)
    } else {
        // D / 10^k: a quotient of at least 66 bits by long division, the remainder as sticky.
        let mut den = Big::small(1);
        den.mul_pow10((-exp10) as u32);
        let s = (den.bits() as i64 - big.bits() as i64 + 66).max(0) as u64;
        let mut a = big.shl(s);
        let mut q = Big(Vec::new());
        let span = a.bits().saturating_sub(den.bits());
        for k in (0..=span).rev() {
            q = q.shl(1);
            let d = den.shl(k);
            if a.cmp(&d) != std::cmp::Ordering::Less {
                a.sub(&d);
                q.mul_add(1, 1);
            }
        }
        round(&q, -(s as i64), sticky || !a.is_zero())
    };
    Some(sign * v)
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// [`shortest`]'s digit loop in u128 (r, s, mp, mm < 2¹²⁰).
fn digits(mut r: u128, s: u128, mut mp: u128, mut mm: u128, even: bool) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        r *= 10;
        mp *= 10;
        mm *= 10;
        let d = (r / s) as u8;
        r %= s;
        let low = r < mm || (even && r == mm);
        let hi = r + mp > s || (even && r + mp == s);
        if low || hi {
            out.push(d + (hi && (!low || 2 * r >= s)) as u8);
            return out;
        }
        out.push(d);
    }
}

/// The shortest digits of `v` (finite, > 0) that read back as `v`, the closest to it when several do: `(d, k)`
/// with v ≈ 0.d₁d₂…dₙ · 10ᵏ (digits as numbers 0–9, no trailing zeros).
pub fn shortest(v: f64) -> (Vec<u8>, i32) {
    // Integers below 2⁵³ are their own shortest digits (a shorter decimal is at least 1 away, the gap at most 1).
    if v.fract() == 0.0 && v < 9007199254740992.0 {
        let mut n = v as u64;
        let mut d = Vec::new();
        while n > 0 {
            d.push((n % 10) as u8);
            n /= 10;
        }
        d.reverse();
        let k = d.len() as i32;
        while d.last() == Some(&0) {
            d.pop();
        }
        return (d, k);
    }
    let bits = v.to_bits();
    let be = (bits >> 52) as i32 & 0x7ff;
    let frac = bits & ((1 << 52) - 1);
    let (f, e) = if be == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, be - 1075)
    };
    // v = r/s; the halfway points to the neighbouring doubles are v − mm/s and v + mp/s (the gap below is half the
    // gap above at a power of two). Either end counts as reading back when f is even (ties round to even).
    let even = f % 2 == 0;
    let lopsided = f == 1 << 52 && be > 1;
    let big = |x: u64| {
        let mut b = Big(vec![x as u32, (x >> 32) as u32]);
        b.trim();
        b
    };
    let up = 1 + lopsided as u64;
    let (mut r, mut s, mut mp, mut mm) = if e >= 0 {
        let g = big(1).shl(e as u64);
        (
            big(f).shl((e + up as i32) as u64),
            big(2 * up),
            g.shl(up - 1),
            g,
        )
    } else {
        (
            big(f << up),
            big(1).shl((up as i32 - e) as u64),
            big(up),
            big(1),
        )
    };
    // k: the first power of ten above v + mp/s. The estimate from the binary exponent is never above it.
    let p = e + 64 - f.leading_zeros() as i32 - 1;
    let mut k = (p as f64 * std::f64::consts::LOG10_2).ceil() as i32;
    if k >= 0 {
        s.mul_pow10(k as u32);
    } else {
        for b in [&mut r, &mut mp, &mut mm] {
            b.mul_pow10(-k as u32);
        }
    }
    let high = |r: &Big, mp: &Big, s: &Big| {
        let mut t = r.clone();
        t.add(mp);
        let c = t.cmp(s);
        c.is_gt() || (even && c.is_eq())
    };
    while high(&r, &mp, &s) {
        s.mul_add(10, 0);
        k += 1;
    }
    // The digits: in u128 when every number fits with room for ×10 (numbers of everyday size), else in big integers.
    if s.bits() <= 120 {
        let w = |b: &Big| b.0.iter().rev().fold(0u128, |a, &l| a << 32 | l as u128);
        return (digits(w(&r), w(&s), w(&mp), w(&mm), even), k);
    }
    let mut digits = Vec::new();
    loop {
        for b in [&mut r, &mut mp, &mut mm] {
            b.mul_add(10, 0);
        }
        let mut d = 0u8;
        while r.cmp(&s).is_ge() {
            r.sub(&s);
            d += 1;
        }
        let c = r.cmp(&mm);
        let low = c.is_lt() || (even && c.is_eq());
        let hi = high(&r, &mp, &s);
        if !low && !hi {
            digits.push(d);
            continue;
        }
        // Both ends reachable: the nearer (a tie rounds up, as the standard library does).
        let round_up = hi && (!low || r.shl(1).cmp(&s).is_ge());
        digits.push(d + round_up as u8);
        break;
    }
    (digits, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::random::SplitMix64;

    fn same(s: &str) {
        let want: Option<f64> = s.parse().ok();
        let got = parse(s);
        assert_eq!(
            got.map(f64::to_bits),
            want.map(f64::to_bits),
            "{s}: {got:?} against the standard parser's {want:?}"
        );
    }

    #[test]
    fn hard_cases() {
        for s in [
            "0",
            "-0",
            "0.0",
            "1",
            "0.1",
            "0.3",
            "1e23",
            "8.98846567431158e307",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2e308",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "5e-324",
            "1e-400",
            "9007199254740993",
            "9007199254740992.5",
            "0.6931471805599453",
            "0.3068528194400547",
            "1.71150260041876",
            ".5",
            "5.",
            "1e5",
            "1E-5",
            "+3",
            "123456789012345678901234567890",
            "7.2057594037927933e16",
            "1448997445238699",
            "2.5e-11",
            "0.000001",
            "1e-7",
            "3.0e-8",
            "-613.3142512066",
            "1e22",
            "1e-22",
            "123e-25",
            "12345678901234567e-300",
        ] {
            same(s);
        }
        for bad in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "1x", "--1", "1 "] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        // Halfway between two doubles, written out in full (767 digits), and just above and below it.
        let half = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324";
        same(half);
        same(&format!("{}1e-1100", &half[..half.len() - 5]));
    }

    /// `{}`'s digits and exponent, read off its text.
    fn std_digits(x: f64) -> (Vec<u8>, i32) {
        let t = format!("{x:e}");
        let (m, e) = t.split_once('e').unwrap();
        let d: Vec<u8> = m
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        (d, e.parse::<i32>().unwrap() + 1)
    }

    #[test]
    fn shortest_digits_are_the_standard_library_s() {
        let mut r = SplitMix64::new(11);
        let mut xs: Vec<f64> = vec![
            5e-324,
            1e-323,
            f64::MIN_POSITIVE,
            f64::MAX,
            0.1,
            0.3,
            1.0 / 3.0,
            2.0f64.powi(-1022) * 1.5,
            9007199254740993.0,
            9007199254740992.0,
            1e23,
            9.999999999999999e22,
            0.6931471805599453,
            123456789012345680.0,
        ];
        for k in -1074..1024 {
            let p = 2f64.powi(k);
            xs.extend([
                p,
                f64::from_bits(p.to_bits() + 1),
                f64::from_bits(p.to_bits().saturating_sub(1)),
            ]);
        }
        for k in -324..309 {
            let p: f64 = format!("1e{k}").parse().unwrap();
            xs.extend([
                p,
                f64::from_bits(p.to_bits() + 1),
                f64::from_bits(p.to_bits().saturating_sub(1)),
            ]);
        }
        for _ in 0..60_000 {
            xs.push(f64::from_bits(r.next_u64() >> 1));
            // Short decimals, and numbers of every size.
            xs.push(r.below(1_000_000) as f64 / 1000.0);
            xs.push((r.next_u64() >> 11) as f64 * 2f64.powi(r.below(200) as i32 - 100));
        }
        for x in xs {
            if x.is_finite() && x > 0.0 {
                assert_eq!(shortest(x), std_digits(x), "{x:e} ({})", x.to_bits());
            }
        }
    }

    #[test]
    fn random_numbers_round_as_the_standard_parser_does() {
        let mut r = SplitMix64::new(9);
        for _ in 0..20000 {
            // The decimal forms of random doubles (shortest and longer), and random digit strings.
            let x = f64::from_bits(r.next_u64());
            if x.is_finite() {
                same(&format!("{x}"));
                same(&format!("{x:e}"));
                same(&format!("{:.25e}", x));
            }
            let n = 1 + r.below(30) as usize;
            let digits: String = (0..n).map(|_| (b'0' + r.below(10) as u8) as char).collect();
            let e = r.below(700) as i64 - 350;
            same(&format!("{digits}e{e}"));
            same(&format!("0.{digits}"));
            // The u128 path's range: up to 19 digits, exponents −27 to 19.
            let n = 1 + r.below(19) as usize;
            let digits: String = (0..n).map(|_| (b'0' + r.below(10) as u8) as char).collect();
            let e = r.below(47) as i64 - 27;
            same(&format!("{digits}e{e}"));
            same(&format!("0.{digits}"));
        }
        same("9999999999999999999e-27");
        same("1e-27");
        same("9999999999999999999e19");
        same("18446744073709551615");
        same("0.038075906433423026");
    }
}
