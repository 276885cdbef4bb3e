//! QR codes (ISO/IEC 18004) for the page's link, drawn as SVG: byte mode, error correction level M (level L when the
//! text is too long for M), the smallest version that holds the text, the mask with the lowest penalty. After
//! Project Nayuki's QR code generator: Reed–Solomon over GF(256), the function patterns, the zigzag placement.
//!
//! ```
//! let q = ad_lab::base::qr::Qr::new(b"https://example.org/#/grad").unwrap();
//! assert_eq!((q.version, q.size), (2, 25));
//! ```

/// Error-correction codewords per block, for levels L and M, by version (index 0 unused).
const ECC_PER_BLOCK: [[u8; 41]; 2] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
];

/// Error-correction blocks, for levels L and M, by version.
const BLOCKS: [[u8; 41]; 2] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
];

/// A QR code: `size × size` modules, `true` dark.
#[derive(Clone, Debug, PartialEq)]
pub struct Qr {
    pub size: usize,
    pub version: usize,
    modules: Vec<bool>,
    function: Vec<bool>,
}

/// Modules that hold data (not function patterns) in a version.
fn raw_modules(ver: usize) -> usize {
    let mut n = (16 * ver + 128) * ver + 64;
    if ver >= 2 {
        let align = ver / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if ver >= 7 {
            n -= 36;
        }
    }
    n
}

/// Data codewords of version `ver` at level `l` (0 = L, 1 = M).
fn data_codewords(ver: usize, l: usize) -> usize {
    raw_modules(ver) / 8 - ECC_PER_BLOCK[l][ver] as usize * BLOCKS[l][ver] as usize
}

/// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.
fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u32 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= ((y as u32 >> i) & 1) * x as u32;
    }
    z as u8
}

/// The Reed–Solomon error-correction codewords of `data` (`degree` of them).
fn reed_solomon(data: &[u8], degree: usize) -> Vec<u8> {
    let mut divisor = vec![0u8; degree];
    divisor[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            divisor[j] = gf_mul(divisor[j], root);
            if j + 1 < degree {
                divisor[j] ^= divisor[j + 1];
            }
        }
        root = gf_mul(root, 2);
    }
    let mut rem = vec![0u8; degree];
    for &b in data {
        let factor = b ^ rem.remove(0);
        rem.push(0);
        for (r, &d) in rem.iter_mut().zip(&divisor) {
            *r ^= gf_mul(d, factor);
        }
    }
    rem
}

fn bit(x: u32, i: usize) -> bool {
    (x >> i) & 1 != 0
}

impl Qr {
    /// The QR code of `text`, or `None` when it is longer than a QR code holds (2,953 bytes).
    pub fn new(text: &[u8]) -> Option<Qr> {
        // Level M if it fits in some version, else L; the smallest version.
        let (ver, l) = (0..2).rev().find_map(|l| {
            (1..=40)
                .find(|&v| {
                    4 + if v < 10 { 8 } else { 16 } + 8 * text.len() <= 8 * data_codewords(v, l)
                })
                .map(|v| (v, l))
        })?;
        // The bit stream: byte mode, the count, the bytes, the terminator, padding.
        let capacity = data_codewords(ver, l);
        let mut bits: Vec<bool> = Vec::with_capacity(capacity * 8);
        let mut push = |value: u32, n: usize| bits.extend((0..n).rev().map(|i| bit(value, i)));
        push(4, 4);
        push(text.len() as u32, if ver < 10 { 8 } else { 16 });
        for &b in text {
            push(b as u32, 8);
        }
        let mut data: Vec<u8> = Vec::with_capacity(capacity);
        let used = bits.len().min(capacity * 8 - 4) + 4;
        bits.resize(used.div_ceil(8) * 8, false);
        for byte in bits.chunks(8) {
            data.push(byte.iter().fold(0, |a, &b| a << 1 | b as u8));
        }
        for pad in [0xEC, 0x11].into_iter().cycle() {
            if data.len() >= capacity {
                break;
            }
            data.push(pad);
        }
        // Blocks, each with its error correction, interleaved.
        let blocks = BLOCKS[l][ver] as usize;
        let ecc = ECC_PER_BLOCK[l][ver] as usize;
        let raw = raw_modules(ver) / 8;
        let short = blocks - raw % blocks;
        let short_len = raw / blocks;
        let mut all: Vec<Vec<u8>> = Vec::with_capacity(blocks);
        let mut k = 0;
        for i in 0..blocks {
            let n = short_len - ecc + usize::from(i >= short);
            let mut block = data[k..k + n].to_vec();
            k += n;
            let e = reed_solomon(&block, ecc);
            if i < short {
                block.push(0);
            }
            block.extend(e);
            all.push(block);
        }
        let mut codewords = Vec::with_capacity(raw);
        for i in 0..all[0].len() {
            for (j, block) in all.iter().enumerate() {
                if i != short_len - ecc || j >= short {
                    codewords.push(block[i]);
                }
            }
        }

        let size = ver * 4 + 17;
        let mut q = Qr {
            size,
            version: ver,
            modules: vec![false; size * size],
            function: vec![false; size * size],
        };
        q.function_patterns();
        q.place(&codewords);
        // The mask with the lowest penalty.
        let mut best = (u32::MAX, 0);
        for mask in 0..8 {
            q.mask(mask);
            q.format(l, mask);
            let p = q.penalty();
            if p < best.0 {
                best = (p, mask);
            }
            q.mask(mask);
        }
        q.mask(best.1);
        q.format(l, best.1);
        Some(q)
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.size + x]
    }

    fn set(&mut self, x: usize, y: usize, dark: bool) {
        self.modules[y * self.size + x] = dark;
        self.function[y * self.size + x] = true;
    }

    fn function_patterns(&mut self) {
        let size = self.size;
        for i in 0..size {
            self.set(6, i, i % 2 == 0);
            self.set(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
                        let d = dx.abs().max(dy.abs());
                        self.set(x as usize, y as usize, d != 2 && d != 4);
                    }
                }
            }
        }
        // Alignment patterns.
        let ver = self.version;
        let mut pos = vec![6];
        if ver > 1 {
            let n = ver / 7 + 2;
            let step = if ver == 32 {
                26
            } else {
                (ver * 4 + n * 2 + 1) / (n * 2 - 2) * 2
            };
            let mut p = size - 7;
            for _ in 0..n - 1 {
                pos.insert(1, p);
                p = p.wrapping_sub(step);
            }
        }
        let last = pos.len() - 1;
        for i in 0..pos.len() {
            for j in 0..pos.len() {
                if pos.len() == 1
                    || (i == 0 && j == 0)
                    || (i == 0 && j == last)
                    || (i == last && j == 0)
                {
                    continue;
                }
                for dy in -2i32..=2 {
                    for dx in -2i32..=2 {
                        let d = dx.abs().max(dy.abs());
                        self.set(
                            (pos[i] as i32 + dx) as usize,
                            (pos[j] as i32 + dy) as usize,
                            d != 1,
                        );
                    }
                }
            }
        }
        self.format(0, 0);
        if ver >= 7 {
            let mut rem = ver as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
            }
            let bits = (ver as u32) << 12 | rem;
            for i in 0..18 {
                let (a, b) = (size - 11 + i % 3, i / 3);
                self.set(a, b, bit(bits, i));
                self.set(b, a, bit(bits, i));
            }
        }
    }

    /// The format information (level and mask) in both copies, and the dark module.
    fn format(&mut self, l: usize, mask: usize) {
        // Level bits: L = 01, M = 00.
        let data = u32::from(l == 0) << 3 | mask as u32;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = (data << 10 | rem) ^ 0x5412;
        let size = self.size;
        for i in 0..6 {
            self.set(8, i, bit(bits, i));
        }
        self.set(8, 7, bit(bits, 6));
        self.set(8, 8, bit(bits, 7));
        self.set(7, 8, bit(bits, 8));
        for i in 9..15 {
            self.set(14 - i, 8, bit(bits, i));
        }
        for i in 0..8 {
            self.set(size - 1 - i, 8, bit(bits, i));
        }
        for i in 8..15 {
            self.set(8, size - 15 + i, bit(bits, i));
        }
        self.set(8, size - 8, true);
    }

    /// The codewords in the zigzag order, two columns at a time from the right.
    fn place(&mut self, codewords: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size as i32 - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = (right - j) as usize;
                    let up = (right + 1) & 2 == 0;
                    let y = if up { size - 1 - vert } else { vert };
                    if !self.function[y * size + x] && i < codewords.len() * 8 {
                        self.modules[y * size + x] = bit(codewords[i >> 3] as u32, 7 - (i & 7));
                        i += 1;
                    }
                }
            }
            right -= 2;
        }
    }

    /// Flips the data modules under mask `m` (applying it twice undoes it).
    fn mask(&mut self, m: usize) {
        let size = self.size;
        for y in 0..size {
            for x in 0..size {
                let flip = match m {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                if flip && !self.function[y * size + x] {
                    self.modules[y * size + x] ^= true;
                }
            }
        }
    }

    /// The standard's penalty: runs of five or more, 2×2 blocks, finder-like patterns, imbalance of dark and light.
    fn penalty(&self) -> u32 {
        let n = self.size;
        let mut p = 0;
        for row in [true, false] {
            for a in 0..n {
                let at = |b: usize| if row { self.get(b, a) } else { self.get(a, b) };
                let mut run = 1;
                let mut window: u32 = 0;
                for b in 0..n {
                    if b > 0 && at(b) == at(b - 1) {
                        run += 1;
                    } else {
                        if run >= 5 {
                            p += run - 2;
                        }
                        run = 1;
                    }
                    window = (window << 1 | at(b) as u32) & 0x7FF;
                    if b >= 10 && (window == 0b000_0101_1101 || window == 0b101_1101_0000) {
                        p += 40;
                    }
                }
                if run >= 5 {
                    p += run - 2;
                }
            }
        }
        let mut dark = 0;
        for y in 0..n {
            for x in 0..n {
                dark += self.get(x, y) as i64;
                if x + 1 < n && y + 1 < n {
                    let c = self.get(x, y);
                    if c == self.get(x + 1, y)
                        && c == self.get(x, y + 1)
                        && c == self.get(x + 1, y + 1)
                    {
                        p += 3;
                    }
                }
            }
        }
        let total = (n * n) as i64;
        let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
        p + 10 * k as u32
    }

    /// The code as an SVG: one path of dark modules, a quiet zone of four modules, scaled to fit its box.
    pub fn svg(&self, label: &str) -> String {
        let w = self.size + 8;
        let mut d = String::new();
        for y in 0..self.size {
            for x in 0..self.size {
                if self.get(x, y) {
                    d += "M";
                    d += &(x + 4).to_string();
                    d += ",";
                    d += &(y + 4).to_string();
                    d += "h1v1h-1z";
                }
            }
        }
        let w = w.to_string();
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ".to_string()
            + &w
            + " "
            + &w
            + "\" role=\"img\" aria-label=\""
            + label
            + "\" shape-rendering=\"crispEdges\"><rect width=\""
            + &w
            + "\" height=\""
            + &w
            + "\" fill=\"#fff\"/><path fill=\"#000\" d=\""
            + &d
            + "\"/></svg>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_are_the_standards() {
        // Data codewords at M and L for a few versions (ISO/IEC 18004 table 7).
        assert_eq!((data_codewords(1, 1), data_codewords(1, 0)), (16, 19));
        assert_eq!((data_codewords(10, 1), data_codewords(10, 0)), (216, 274));
        assert_eq!((data_codewords(40, 1), data_codewords(40, 0)), (2334, 2956));
        assert!(Qr::new(&[b'a'; 2953]).is_some());
        assert!(Qr::new(&[b'a'; 2954]).is_none());
    }

    #[test]
    fn reed_solomon_matches_the_standards_example() {
        // ISO/IEC 18004 annex I: "01234567" at version 1-M.
        let data = [
            16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17,
        ];
        assert_eq!(
            reed_solomon(&data, 10),
            [165, 36, 212, 193, 237, 54, 199, 135, 44, 85]
        );
    }
}
