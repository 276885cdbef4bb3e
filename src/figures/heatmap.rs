//! A matrix as a small image, for arrays too large to read as a table: one pixel per entry on a diverging scale
//! (blue below zero, white at zero, red above; grey for NaN), written as a 24-bit BMP so that the page shows it as a
//! plain `<img>` from a data URL (scaled up without smoothing) — no canvas, no script.

/// Colours of −1, 0 and +1 on the scale (ColorBrewer's RdBu ends and its middle), and of NaN.
const NEG: [u8; 3] = [33, 102, 172];
const MID: [u8; 3] = [247, 247, 247];
const POS: [u8; 3] = [178, 24, 43];
const NAN: [u8; 3] = [136, 136, 136];

/// The colour of `v` on a scale whose ends are ±`max`.
pub fn colour(v: f64, max: f64) -> [u8; 3] {
    if v.is_nan() {
        return NAN;
    }
    let t = if max > 0.0 {
        (v / max).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let end = if t < 0.0 { NEG } else { POS };
    let t = t.abs();
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    [
        mix(MID[0], end[0]),
        mix(MID[1], end[1]),
        mix(MID[2], end[2]),
    ]
}

/// The largest |entry| among the finite ones (the scale's end).
pub fn extent(data: &[f64]) -> f64 {
    data.iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()))
}

/// `rows × cols` entries (row-major) as a 24-bit BMP, row 0 at the top.
pub fn bmp(rows: usize, cols: usize, data: &[f64]) -> Vec<u8> {
    let max = extent(data);
    let stride = (3 * cols).div_ceil(4) * 4;
    let size = 54 + stride * rows;
    let mut out = Vec::with_capacity(size);
    let u32le = |out: &mut Vec<u8>, x: usize| out.extend_from_slice(&(x as u32).to_le_bytes());
    out.extend_from_slice(b"BM");
    u32le(&mut out, size);
    u32le(&mut out, 0);
    u32le(&mut out, 54);
    u32le(&mut out, 40);
    u32le(&mut out, cols);
    u32le(&mut out, rows);
    out.extend_from_slice(&[1, 0, 24, 0]);
    u32le(&mut out, 0);
    u32le(&mut out, stride * rows);
    for _ in 0..4 {
        u32le(&mut out, 0);
    }
    // Rows bottom-up, each pixel blue, green, red, each row padded to four bytes.
    for r in (0..rows).rev() {
        for c in 0..cols {
            let [red, green, blue] = colour(data[r * cols + c], max);
            out.extend_from_slice(&[blue, green, red]);
        }
        out.resize(out.len() + stride - 3 * cols, 0);
    }
    out
}

/// Standard base64 with padding, for a data URL.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_known_strings() {
        for (text, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(text.as_bytes()), want);
        }
    }

    /// The file is what a BMP reader expects: its size, its header, rows padded to four bytes, bottom row first.
    #[test]
    fn a_bmp_of_a_small_matrix() {
        let b = bmp(2, 3, &[1.0, 0.0, -1.0, f64::NAN, 0.5, -0.5]);
        assert_eq!(&b[..2], b"BM");
        assert_eq!(b.len(), 54 + 2 * 12);
        assert_eq!(
            u32::from_le_bytes([b[2], b[3], b[4], b[5]]) as usize,
            b.len()
        );
        assert_eq!(&b[18..26], &[3, 0, 0, 0, 2, 0, 0, 0]);
        // The bottom row (NaN, 0.5, −0.5) comes first, in blue-green-red order.
        assert_eq!(&b[54..57], &[136, 136, 136]);
        assert_eq!(
            &b[66..69],
            &[43, 24, 178],
            "the top row's first entry, +max, is red"
        );
        assert_eq!(colour(0.0, 1.0), MID);
        assert_eq!(colour(-2.0, 1.0), NEG);
    }
}
