//! Two-class data sets in the plane, seeded: TensorFlow Playground's circle, XOR, spiral and Gaussian blobs (same
//! generators, same coordinates, ±6), the two moons, and micrograd's demo data made exactly reproducible.

use crate::base::math;
use crate::base::random::SplitMix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataset {
    Moons,
    Circle,
    Xor,
    Spiral,
    Blobs,
}

impl Dataset {
    pub const ALL: [Dataset; 5] = [
        Dataset::Moons,
        Dataset::Circle,
        Dataset::Xor,
        Dataset::Spiral,
        Dataset::Blobs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dataset::Moons => "moons",
            Dataset::Circle => "circle",
            Dataset::Xor => "xor",
            Dataset::Spiral => "spiral",
            Dataset::Blobs => "blobs",
        }
    }

    pub fn from_name(s: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.name() == s)
    }

    /// `n` points with their labels (±1), in the generator's order.
    pub fn generate(self, n: usize, r: &mut SplitMix64) -> Points {
        let mut p = Points::default();
        let uni = |r: &mut SplitMix64, a: f64, b: f64| a + (b - a) * r.uniform();
        let half = n / 2;
        match self {
            Dataset::Moons => return moons(n, 0.1, r),
            Dataset::Circle => {
                // Inside radius 2.5: +1; a ring from 3.5 to 5: −1.
                for (lo, hi, label) in [(0.0, 2.5, 1.0), (3.5, 5.0, -1.0)] {
                    for _ in 0..half {
                        let rad = uni(r, lo, hi);
                        let angle = uni(r, 0.0, 2.0 * std::f64::consts::PI);
                        p.push(rad * math::sin(angle), rad * math::cos(angle), label);
                    }
                }
            }
            Dataset::Xor => {
                for _ in 0..n {
                    let pad = |v: f64| v + if v > 0.0 { 0.3 } else { -0.3 };
                    let (x, y) = (pad(uni(r, -5.0, 5.0)), pad(uni(r, -5.0, 5.0)));
                    p.push(x, y, if x * y >= 0.0 { 1.0 } else { -1.0 });
                }
            }
            Dataset::Spiral => {
                for (delta, label) in [(0.0, 1.0), (std::f64::consts::PI, -1.0)] {
                    for i in 0..half {
                        let rad = i as f64 / half as f64 * 5.0;
                        let t = 1.75 * i as f64 / half as f64 * 2.0 * std::f64::consts::PI + delta;
                        p.push(rad * math::sin(t), rad * math::cos(t), label);
                    }
                }
            }
            Dataset::Blobs => {
                for (c, label) in [(2.0, 1.0), (-2.0, -1.0)] {
                    for _ in 0..half {
                        let (x, y) = (r.normal(), r.normal());
                        p.push(c + x * math::sqrt(0.5), c + y * math::sqrt(0.5), label);
                    }
                }
            }
        }
        p
    }
}

/// Points and labels, stored as the network reads them: `xs` row by row (x, y), `ys` one label each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

impl Points {
    pub fn len(&self) -> usize {
        self.ys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ys.is_empty()
    }

    fn push(&mut self, x: f64, y: f64, label: f64) {
        self.xs.extend([x, y]);
        self.ys.push(label);
    }

    pub fn point(&self, i: usize) -> (f64, f64, f64) {
        (self.xs[2 * i], self.xs[2 * i + 1], self.ys[i])
    }

    /// The points in a seeded random order (Fisher–Yates from the end).
    pub fn shuffled(&self, r: &mut SplitMix64) -> Points {
        let mut order: Vec<usize> = (0..self.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, r.below(i as u64 + 1) as usize);
        }
        let mut p = Points::default();
        for i in order {
            let (x, y, l) = self.point(i);
            p.push(x, y, l);
        }
        p
    }

    /// Points `range` of these.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Points {
        Points {
            xs: self.xs[2 * range.start..2 * range.end].to_vec(),
            ys: self.ys[range].to_vec(),
        }
    }

    /// The smallest square around the points, with a margin: the plot's domain ((x0, x1), (y0, y1)).
    pub fn domain(&self) -> ((f64, f64), (f64, f64)) {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for i in 0..self.len() {
            let (x, y, _) = self.point(i);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if self.is_empty() {
            return ((-1.0, 1.0), (-1.0, 1.0));
        }
        let half = (x1 - x0).max(y1 - y0) / 2.0 * 1.12 + 1e-9;
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        ((cx - half, cx + half), (cy - half, cy + half))
    }
}

/// Two interleaved half circles: the outer one (cos t, sin t) labelled −1, then the inner one (1 − cos t,
/// 1 − sin t − 0.5) labelled +1, for t = πi/(m − 1), m = n/2; then each point in that order gets `noise`·normal on
/// x, then on y.
pub fn moons(n: usize, noise: f64, r: &mut SplitMix64) -> Points {
    let m = n / 2;
    let mut p = Points::default();
    let step = std::f64::consts::PI / (m.max(2) - 1) as f64;
    for i in 0..m {
        let t = step * i as f64;
        p.push(math::cos(t), math::sin(t), -1.0);
    }
    for i in 0..m {
        let t = step * i as f64;
        p.push(1.0 - math::cos(t), 1.0 - math::sin(t) - 0.5, 1.0);
    }
    for v in p.xs.iter_mut() {
        *v += noise * r.normal();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// micrograd's data, reproducible: the first point of seed 42.
    #[test]
    fn micrograd_moons() {
        let mut r = SplitMix64::new(42);
        let p = moons(100, 0.1, &mut r);
        assert_eq!(p.len(), 100);
        assert_eq!(p.point(0), (1.088224890622227, -0.04508498757188601, -1.0));
        assert_eq!(p.ys[50], 1.0);
    }

    #[test]
    fn every_dataset_has_both_classes_in_its_domain() {
        for d in Dataset::ALL {
            let p = d.generate(500, &mut SplitMix64::new(1));
            assert_eq!(p.len(), 500, "{d:?}");
            let pos = p.ys.iter().filter(|&&y| y > 0.0).count();
            assert!(pos > 100 && pos < 400, "{d:?}: {pos}");
            let ((x0, x1), (y0, y1)) = p.domain();
            assert!((x1 - x0 - (y1 - y0)).abs() < 1e-9);
            for i in 0..p.len() {
                let (x, y, _) = p.point(i);
                assert!(x > x0 && x < x1 && y > y0 && y < y1);
            }
            assert_eq!(Dataset::from_name(d.name()), Some(d));
            let s = p.shuffled(&mut SplitMix64::new(2));
            assert_eq!(s.len(), 500);
            assert_ne!(s, p);
        }
    }
}
