//! Shaped values, as numpy has them: an [`Array`] is a shape and its numbers in row-major order; a scalar is the
//! array of shape `()`. Numbers are any [`Scalar`], so the one set of array rules ([`super::aop`]) runs on `f64`, on
//! dual numbers (forward mode, and forward over reverse for Hessian-vector products) and on any nesting of them.
//!
//! Broadcasting follows numpy: shapes are aligned on their last axis, and an axis of length 1 (or a missing one)
//! stretches to the other's length. Mismatches are reported as numpy reports them.
//!
//! ```
//! use ad_lab::base::array::{broadcast_shapes, Array};
//! assert_eq!(broadcast_shapes(&[3, 1], &[2]), Ok(vec![3, 2]));
//! assert_eq!(
//!     broadcast_shapes(&[3, 2], &[3]).unwrap_err(),
//!     "operands could not be broadcast together with shapes (3,2) (3,)"
//! );
//! let a = Array::new(vec![2, 2], vec![1.0, 2.0, 3.0, 4.0]);
//! assert_eq!(a.at(&[1, 0]), 3.0);
//! ```

use super::scalar::Scalar;

/// The most numbers one array may hold: a program that asks for more gets an error, not an allocation.
pub const MAX_ELEMENTS: usize = 1 << 22;

#[derive(Clone, Debug, PartialEq)]
pub struct Array<S = f64> {
    pub shape: Vec<usize>,
    pub data: Vec<S>,
}

/// numpy's spelling of a shape: `()`, `(3,)`, `(3,2)`.
pub fn fmt_shape(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
            format!("({})", parts.join(","))
        }
    }
}

/// An array's numbers as nested lists, as numpy prints them (`[[1, 2], [3, 4]]`; a number alone at rank 0), each
/// number written by `number`.
pub fn nested_list(a: &Array, number: &dyn Fn(f64) -> String) -> String {
    fn nested(data: &[f64], shape: &[usize], number: &dyn Fn(f64) -> String) -> String {
        match shape {
            [] => number(data[0]),
            [n, rest @ ..] => {
                let step: usize = rest.iter().product();
                let items: Vec<String> = (0..*n)
                    .map(|i| nested(&data[i * step..(i + 1) * step], rest, number))
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
    nested(&a.data, &a.shape, number)
}

/// Element `flat` (row-major) of an array of `shape` as numpy indexes it: `0,1`.
pub fn fmt_index(shape: &[usize], flat: usize) -> String {
    let (mut rest, mut index) = (flat, Vec::with_capacity(shape.len()));
    for d in shape.iter().rev() {
        index.push((rest % d).to_string());
        rest /= d;
    }
    index.reverse();
    index.join(",")
}

/// The number of elements of a shape, or `None` past [`MAX_ELEMENTS`].
pub fn size_of(shape: &[usize]) -> Option<usize> {
    shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS)
}

/// The shape two operands broadcast to, or numpy's message.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>, String> {
    let n = a.len().max(b.len());
    let dim = |s: &[usize], k: usize| {
        if k + s.len() < n {
            1
        } else {
            s[k + s.len() - n]
        }
    };
    (0..n)
        .map(|k| match (dim(a, k), dim(b, k)) {
            (x, y) if x == y || y == 1 => Ok(x),
            (1, y) => Ok(y),
            _ => Err(format!(
                "operands could not be broadcast together with shapes {} {}",
                fmt_shape(a),
                fmt_shape(b)
            )),
        })
        .collect()
}

/// Row-major strides of a shape.
fn strides(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        s[k] = s[k + 1] * shape[k + 1];
    }
    s
}

/// For each element of `out` (row-major), the index of the element of an operand of shape `from` that broadcasts
/// to it. `from` must broadcast to `out`.
pub fn broadcast_index(from: &[usize], out: &[usize]) -> Vec<usize> {
    let lead = out.len() - from.len();
    let fs = strides(from);
    // An axis the operand stretches along (missing, or of length 1) moves 0 in it.
    let step: Vec<usize> = (0..out.len())
        .map(|k| match k.checked_sub(lead) {
            Some(j) if from[j] != 1 => fs[j],
            _ => 0,
        })
        .collect();
    let total: usize = out.iter().product();
    let mut index = Vec::with_capacity(total);
    let mut pos = vec![0usize; out.len()];
    let mut at = 0usize;
    for _ in 0..total {
        index.push(at);
        for k in (0..out.len()).rev() {
            pos[k] += 1;
            at += step[k];
            if pos[k] < out[k] {
                break;
            }
            at -= step[k] * pos[k];
            pos[k] = 0;
        }
    }
    index
}

impl<S: Scalar> Array<S> {
    /// An array of the given shape; the data must have its size.
    pub fn new(shape: Vec<usize>, data: Vec<S>) -> Array<S> {
        assert_eq!(
            shape.iter().product::<usize>(),
            data.len(),
            "array data of the wrong length"
        );
        Array { shape, data }
    }

    pub fn scalar(x: S) -> Array<S> {
        Array {
            shape: Vec::new(),
            data: vec![x],
        }
    }

    pub fn full(shape: &[usize], x: S) -> Array<S> {
        Array {
            shape: shape.to_vec(),
            data: vec![x; shape.iter().product()],
        }
    }

    pub fn zeros(shape: &[usize]) -> Array<S> {
        Array::full(shape, S::zero())
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// The element at a multi-index.
    pub fn at(&self, index: &[usize]) -> S {
        let i = index
            .iter()
            .zip(strides(&self.shape))
            .map(|(i, s)| i * s)
            .sum::<usize>();
        self.data[i]
    }

    pub fn map(&self, f: impl Fn(S) -> S) -> Array<S> {
        Array {
            shape: self.shape.clone(),
            data: self.data.iter().map(|&x| f(x)).collect(),
        }
    }

    /// The same numbers in another shape of the same size.
    pub fn reshaped(&self, shape: &[usize]) -> Array<S> {
        Array::new(shape.to_vec(), self.data.clone())
    }

    /// This array stretched to a shape it broadcasts to.
    pub fn broadcast_to(&self, shape: &[usize]) -> Array<S> {
        if self.shape == shape {
            return self.clone();
        }
        let data = broadcast_index(&self.shape, shape)
            .into_iter()
            .map(|i| self.data[i])
            .collect();
        Array {
            shape: shape.to_vec(),
            data,
        }
    }

    /// The adjoint of [`Array::broadcast_to`]: sums an array of a broadcast shape back to `shape`.
    pub fn sum_to(&self, shape: &[usize]) -> Array<S> {
        if self.shape == shape {
            return self.clone();
        }
        let mut out = Array::zeros(shape);
        for (k, i) in broadcast_index(shape, &self.shape).into_iter().enumerate() {
            out.data[i] = out.data[i] + self.data[k];
        }
        out
    }

    /// Σ aᵢ·bᵢ over two arrays of one size.
    pub fn dot(&self, other: &Array<S>) -> S {
        self.data
            .iter()
            .zip(&other.data)
            .fold(S::zero(), |s, (&a, &b)| s + a * b)
    }

    pub fn values(&self) -> Array<f64> {
        Array {
            shape: self.shape.clone(),
            data: self.data.iter().map(|x| x.value()).collect(),
        }
    }
}

/// An array typed as a Python literal: a number, or nested lists of numbers (`[[0.5, -0.3], [0.1, 0.4]]`), optionally
/// inside `np.array(…)`. Rows must have one length; at most [`MAX_ELEMENTS`] numbers.
pub fn parse_literal(text: &str) -> Result<Array, String> {
    let mut t = text.trim();
    for prefix in ["np.array(", "numpy.array(", "array("] {
        if let Some(rest) = t
            .strip_prefix(prefix)
            .and_then(|r| r.trim_end().strip_suffix(')'))
        {
            t = rest.trim();
            break;
        }
    }
    if let Some(x) = super::num::parse_f64(t) {
        return Ok(Array::scalar(x));
    }
    // Shapes by depth: the first list met at each depth fixes its length, every other must agree.
    let mut shape: Vec<Option<usize>> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut data = Vec::new();
    // The depth numbers are found at: every number at one depth, no list below it.
    let mut leaf_depth = None;
    let mut rest = t;
    let ragged =
        || "rows of different lengths: an array needs every row as long as the others".to_string();
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            break;
        };
        match c {
            '[' => {
                if counts.len() >= 8 {
                    return Err("lists nested more than 8 deep".into());
                }
                if let Some(n) = counts.last_mut() {
                    *n += 1;
                }
                counts.push(0);
                if leaf_depth.is_some_and(|d| counts.len() > d) {
                    return Err(ragged());
                }
                if shape.len() < counts.len() {
                    shape.push(None);
                }
                rest = &rest[1..];
            }
            ']' => {
                let Some(n) = counts.pop() else {
                    return Err("a `]` without its `[`".into());
                };
                let d = counts.len();
                match shape[d] {
                    None => shape[d] = Some(n),
                    Some(m) if m != n => return Err(ragged()),
                    _ => {}
                }
                rest = rest[1..].trim_start();
                if counts.is_empty() {
                    if !rest.is_empty() {
                        return Err(format!("unexpected `{rest}` after the array"));
                    }
                    break;
                }
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
            _ => {
                let end = rest.find([',', ']']).unwrap_or(rest.len());
                let word = rest[..end].trim();
                if counts.is_empty() {
                    return Err(format!("`{t}` is not a number or a list of numbers"));
                }
                if shape.len() > counts.len()
                    || *leaf_depth.get_or_insert(counts.len()) != counts.len()
                {
                    return Err(ragged());
                }
                let Some(x) = super::num::parse_f64(word) else {
                    return Err(format!("`{word}` is not a number"));
                };
                if data.len() >= MAX_ELEMENTS {
                    return Err(format!(
                        "more than {} numbers",
                        super::num::fmt_count(MAX_ELEMENTS as u64)
                    ));
                }
                data.push(x);
                *counts.last_mut().unwrap_or(&mut 0) += 1;
                rest = &rest[end..];
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
        }
    }
    if !counts.is_empty() || shape.is_empty() {
        return Err("a `[` without its `]`".into());
    }
    let shape: Vec<usize> = shape.into_iter().map(|n| n.unwrap_or(0)).collect();
    if shape.iter().product::<usize>() != data.len() {
        return Err(ragged());
    }
    Ok(Array { shape, data })
}

/// An array as the Python literal [`parse_literal`] reads back, every number as Python prints it (shortest
/// round-trip).
pub fn fmt_literal(a: &Array) -> String {
    fn rows(shape: &[usize], data: &[f64], out: &mut String) {
        match shape.split_first() {
            None => out.push_str(&super::num::fmt_python(data[0])),
            Some((&n, inner)) => {
                let step = inner.iter().product::<usize>();
                out.push('[');
                for k in 0..n {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    rows(inner, &data[k * step..(k + 1) * step], out);
                }
                out.push(']');
            }
        }
    }
    let mut out = String::new();
    rows(&a.shape, &a.data, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(broadcast_shapes(&[], &[2, 3]), Ok(vec![2, 3]));
        assert_eq!(broadcast_shapes(&[4, 1, 3], &[2, 1]), Ok(vec![4, 2, 3]));
        assert!(broadcast_shapes(&[2], &[3])
            .unwrap_err()
            .ends_with("(2,) (3,)"));
        assert_eq!(fmt_shape(&[]), "()");
        let row = Array::new(vec![3], vec![1.0, 2.0, 3.0]);
        let b = row.broadcast_to(&[2, 3]);
        assert_eq!(b.data, [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
        assert_eq!(b.sum_to(&[3]).data, [2.0, 4.0, 6.0]);
        assert_eq!(b.sum_to(&[2, 1]).data, [6.0, 6.0]);
        assert_eq!(b.sum_to(&[]).data, [12.0]);
        let col = Array::new(vec![2, 1], vec![10.0, 20.0]);
        assert_eq!(
            col.broadcast_to(&[2, 3]).data,
            [10.0, 10.0, 10.0, 20.0, 20.0, 20.0]
        );
        assert_eq!(size_of(&[1 << 20, 1 << 20]), None);
        assert_eq!(size_of(&[usize::MAX, 2]), None);
    }

    #[test]
    fn literals_read_back() {
        for text in [
            "[[0.5, -0.3], [0.1, 0.4]]",
            "[1.0, 2.0, 3.0]",
            "2.5",
            "[]",
            "[[1.0], [2.0]]",
            "[[[1.0, 2.0]]]",
        ] {
            assert_eq!(fmt_literal(&parse_literal(text).unwrap()), text);
        }
        let a = parse_literal(" np.array([[1, 2],[3,4e-3]]) ").unwrap();
        assert_eq!(
            (a.shape.clone(), a.data.clone()),
            (vec![2, 2], vec![1.0, 2.0, 3.0, 4e-3])
        );
        assert_eq!(parse_literal("[1, 2,]").unwrap().shape, vec![2]);
        for bad in [
            "[[1, 2], [3]]",
            "[[1, 2], 3]",
            "[1, [2]]",
            "[1, 2",
            "]",
            "[1, x]",
            "[1] 2",
            "",
            "[[1], [2, 3]]",
            "abc",
        ] {
            assert!(parse_literal(bad).is_err(), "{bad}");
        }
    }
}
