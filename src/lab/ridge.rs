//! Ridge regression and gradient descent on it, as the lecture's Examples 2 and 3 use them: the diabetes data,
//! quadratics q(β) = ½βᵀAβ − bᵀβ + c, their small linear algebra (a symmetric eigendecomposition, Cholesky), and
//! gradient descent written once over any [`Scalar`] — so forward mode (dual numbers) and reverse mode (the tape)
//! differentiate the very same loop.

use std::sync::OnceLock;

use crate::base::scalar::Scalar;

/// The diabetes features, in the files' column order.
pub const FEATURES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];
pub const CREDIT: &str = "Diabetes data: B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), “Least Angle \
                          Regression”, Annals of Statistics 32(2); as distributed with scikit-learn (BSD-3-Clause).";

/// Rows of standardised features (row-major, 10 per row) and centred targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Split {
    pub fn rows(&self) -> usize {
        self.y.len()
    }
}

/// Train (rows 0–149), validation (150–295) and test (296–441).
#[derive(Clone, Debug, PartialEq)]
pub struct Diabetes {
    pub train: Split,
    pub val: Split,
    pub test: Split,
}

pub use crate::base::diabetes::{decode, VARIABLES};

/// Splits the 442 patients and standardises every feature with the train mean and standard deviation (ddof = 0);
/// centres y by the train mean.
pub fn standardise(mut x: Vec<f64>, y: Vec<f64>) -> Diabetes {
    let (n, d) = (150, 10);
    for j in 0..d {
        let mean = (0..n).map(|i| x[i * d + j]).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (x[i * d + j] - mean).powi(2)).sum::<f64>() / n as f64;
        let sd = var.sqrt();
        for i in 0..442 {
            x[i * d + j] = (x[i * d + j] - mean) / sd;
        }
    }
    let ym = y[..n].iter().sum::<f64>() / n as f64;
    let split = |a: usize, b: usize| Split {
        x: x[a * d..b * d].to_vec(),
        y: y[a..b].iter().map(|v| v - ym).collect(),
    };
    Diabetes {
        train: split(0, 150),
        val: split(150, 296),
        test: split(296, 442),
    }
}

/// The shipped data, parsed once.
pub fn diabetes() -> Result<&'static Diabetes, String> {
    static DATA: OnceLock<Result<Diabetes, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        crate::base::diabetes::raw().map(|(x, y)| standardise(x.clone(), y.clone()))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// q(β) = ½βᵀAβ − bᵀβ + c, A symmetric d × d (row-major): ½‖Xβ − y‖² is A = XᵀX, b = Xᵀy, c = ½‖y‖².
#[derive(Clone, Debug, PartialEq)]
pub struct Quad {
    pub d: usize,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub c: f64,
}

impl Quad {
    /// ½‖Xβ − y‖² for the rows of a split.
    pub fn of(s: &Split) -> Quad {
        let d = s.x.len() / s.rows().max(1);
        let mut a = vec![0.0; d * d];
        let mut b = vec![0.0; d];
        for (row, &y) in s.x.chunks(d).zip(&s.y) {
            for i in 0..d {
                b[i] += row[i] * y;
                for j in 0..d {
                    a[i * d + j] += row[i] * row[j];
                }
            }
        }
        Quad {
            d,
            a,
            b,
            c: 0.5 * s.y.iter().map(|v| v * v).sum::<f64>(),
        }
    }

    /// The same plus (λ/2)‖β‖² (A + λI).
    pub fn ridge(&self, lambda: f64) -> Quad {
        let mut q = self.clone();
        for i in 0..q.d {
            q.a[i * q.d + i] += lambda;
        }
        q
    }

    /// q(β), at any scalar type.
    pub fn value<S: Scalar>(&self, beta: &[S]) -> S {
        let d = self.d;
        let mut v = S::from_f64(self.c);
        for i in 0..d {
            let mut ab = S::zero();
            for j in 0..d {
                ab = ab + beta[j] * self.a[i * d + j];
            }
            v = v + beta[i] * (ab * 0.5 - self.b[i]);
        }
        v
    }

    /// The minimiser of q with (A + diag(λ)) in place of A: (A + diag λ)β = b, by Cholesky (`None` if not positive
    /// definite).
    pub fn solve(&self, lambda: &[f64]) -> Option<Vec<f64>> {
        let d = self.d;
        let mut a = self.a.clone();
        for (i, l) in lambda.iter().enumerate().take(d) {
            a[i * d + i] += l;
        }
        cholesky_solve(&mut a, d, &self.b)
    }
}

/// Solves Mx = r for symmetric positive definite M (overwritten by its Cholesky factor).
pub fn cholesky_solve(m: &mut [f64], d: usize, r: &[f64]) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = m[j * d + j];
        for k in 0..j {
            s -= m[j * d + k] * m[j * d + k];
        }
        if !(s > 0.0) {
            return None;
        }
        let l = s.sqrt();
        m[j * d + j] = l;
        for i in j + 1..d {
            let mut s = m[i * d + j];
            for k in 0..j {
                s -= m[i * d + k] * m[j * d + k];
            }
            m[i * d + j] = s / l;
        }
    }
    let mut x = r.to_vec();
    for i in 0..d {
        for k in 0..i {
            x[i] -= m[i * d + k] * x[k];
        }
        x[i] /= m[i * d + i];
    }
    for i in (0..d).rev() {
        for k in i + 1..d {
            x[i] -= m[k * d + i] * x[k];
        }
        x[i] /= m[i * d + i];
    }
    Some(x)
}

/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations: (values, Q row-major with the
/// eigenvectors as columns), A = Q diag(values) Qᵀ.
pub fn eig_sym(a: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut q = vec![0.0; d * d];
    for i in 0..d {
        q[i * d + i] = 1.0;
    }
    for _ in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * d + j] * m[i * d + j])
            .sum();
        let scale: f64 = m.iter().map(|v| v * v).sum();
        if off <= 1e-30 * scale || off == 0.0 {
            break;
        }
        for p in 0..d {
            for r in p + 1..d {
                let apr = m[p * d + r];
                if apr == 0.0 {
                    continue;
                }
                let theta = (m[r * d + r] - m[p * d + p]) / (2.0 * apr);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (mkp, mkr) = (m[k * d + p], m[k * d + r]);
                    m[k * d + p] = c * mkp - s * mkr;
                    m[k * d + r] = s * mkp + c * mkr;
                }
                for k in 0..d {
                    let (mpk, mrk) = (m[p * d + k], m[r * d + k]);
                    m[p * d + k] = c * mpk - s * mrk;
                    m[r * d + k] = s * mpk + c * mrk;
                }
                for k in 0..d {
                    let (qkp, qkr) = (q[k * d + p], q[k * d + r]);
                    q[k * d + p] = c * qkp - s * qkr;
                    q[k * d + r] = s * qkp + c * qkr;
                }
            }
        }
    }
    ((0..d).map(|i| m[i * d + i]).collect(), q)
}

/// T steps of gradient descent on q + (λ/2)‖β‖² from β = 0: β ← β − step·(Aβ + λβ − b). Generic, so that the same
/// loop runs on numbers, on dual numbers (forward mode) and on the tape (reverse mode).
pub fn descent<S: Scalar>(q: &Quad, lambda: S, step: S, t: usize) -> Vec<S> {
    let d = q.d;
    let mut beta = vec![S::zero(); d];
    let mut g = vec![S::zero(); d];
    for _ in 0..t {
        for i in 0..d {
            let mut s = beta[i] * lambda - q.b[i];
            for j in 0..d {
                s = s + beta[j] * q.a[i * d + j];
            }
            g[i] = s;
        }
        for i in 0..d {
            beta[i] = beta[i] - step * g[i];
        }
    }
    beta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_loads_standardised() {
        let d = diabetes().unwrap();
        assert_eq!(
            (d.train.rows(), d.val.rows(), d.test.rows()),
            (150, 146, 146)
        );
        for j in 0..10 {
            let col: Vec<f64> = d.train.x.chunks(10).map(|r| r[j]).collect();
            let mean = col.iter().sum::<f64>() / 150.0;
            let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 150.0;
            assert!(
                mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12,
                "{j}: {mean} {var}"
            );
        }
        assert!(d.train.y.iter().sum::<f64>().abs() < 1e-9);
        // Damaged data is an error, never a panic: cut short anywhere, or with an index past its table.
        let bin = include_bytes!("../../assets/diabetes/diabetes.bin");
        for cut in [0, 1, 5, 100, 700, bin.len() - 1] {
            assert!(
                decode(&bin[..cut]).unwrap_err().contains("damaged"),
                "{cut}"
            );
        }
        let mut overlong = bin.to_vec();
        overlong[1] = 0xff; // age's count becomes a LEB128 number that never ends within the header
        assert!(decode(&overlong).is_err());
    }

    /// A numpy program standardises the data as this module does, to the bit: `load_diabetes(return_X_y=True,
    /// scaled=False)` is the raw data, and `np.mean` and `np.std` along an axis sum in the same order.
    #[test]
    fn a_program_standardises_the_data_the_same_way() {
        let src = "import autograd.numpy as np\nfrom sklearn.datasets import load_diabetes\n\n\
                   X, y = load_diabetes(return_X_y=True, scaled=False)\n\
                   X = (X - np.mean(X[:150], axis=0)) / np.std(X[:150], axis=0)\n\
                   y = y - np.mean(y[:150])\n\
                   def f(w=np.zeros(10)):\n  return np.sum((X[:150] @ w - y[:150]) ** 2)\n";
        let g = crate::lang::lower::arrays::lower_arrays(src, &[]).unwrap();
        let d = diabetes().unwrap();
        // The data reaches the graph as constants: the product's left operand and the difference's right one.
        let consts: Vec<&crate::base::array::Array> = g
            .nodes
            .iter()
            .filter_map(|n| match &n.op {
                crate::lang::agraph::AOpNode::Const(c) => Some(c),
                _ => None,
            })
            .collect();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert!(consts.iter().any(|c| bits(&c.data) == bits(&d.train.x)));
        assert!(consts.iter().any(|c| bits(&c.data) == bits(&d.train.y)));
        for bad in [
            "load_diabetes()",
            "load_diabetes(return_X_y=True)",
            "load_diabetes(return_X_y=True, scaled=0.5)",
        ] {
            let src = format!("import numpy as np\nX, y = {bad}\ndef f(w=np.zeros(10)):\n  return np.sum(X @ w)\n");
            let e = crate::lang::lower::arrays::lower_arrays(&src, &[]).unwrap_err();
            assert!(e.message.contains("scaled=False"), "{bad}: {}", e.message);
        }
    }

    /// The shipped data is scikit-learn's two raw files (kept beside it in `assets/diabetes/`), number for number.
    #[test]
    fn the_shipped_data_is_the_raw_files() {
        let (x, y) = decode(include_bytes!("../../assets/diabetes/diabetes.bin")).unwrap();
        let raw: Vec<f64> = include_str!("../../assets/diabetes/diabetes_data_raw.txt")
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect();
        let target: Vec<f64> = include_str!("../../assets/diabetes/diabetes_target.txt")
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!((raw.len(), target.len()), (4420, 442));
        assert!(x.iter().zip(&raw).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(y
            .iter()
            .zip(&target)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!((x.len(), y.len()), (4420, 442));
    }

    #[test]
    fn linear_algebra() {
        let q = Quad::of(&diabetes().unwrap().train).ridge(1.0);
        let (vals, vecs) = eig_sym(&q.a, 10);
        // A q_k = a_k q_k for every eigenpair.
        for k in 0..10 {
            for i in 0..10 {
                let av: f64 = (0..10).map(|j| q.a[i * 10 + j] * vecs[j * 10 + k]).sum();
                assert!((av - vals[k] * vecs[i * 10 + k]).abs() < 1e-9 * vals[k].abs().max(1.0));
            }
        }
        let beta = q.solve(&[0.0; 10]).unwrap();
        for i in 0..10 {
            let r: f64 = (0..10).map(|j| q.a[i * 10 + j] * beta[j]).sum::<f64>() - q.b[i];
            assert!(r.abs() < 1e-9, "{r}");
        }
        // Gradient descent converges to the solution.
        let amax = vals.iter().cloned().fold(0.0, f64::max);
        let gd = descent(&q, 0.0, 1.0 / amax, 20000);
        for i in 0..10 {
            assert!((gd[i] - beta[i]).abs() < 1e-6 * beta[i].abs().max(1.0));
        }
    }
}
