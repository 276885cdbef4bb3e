//! The array primitives: for each one, in one place, its shape rule, its value, its JVP (forward mode: how tangents
//! of the arguments move the result) and its VJP (reverse mode: how the result's cotangent flows back to each
//! argument) — numpy's operations as autograd and JAX define them, over any [`Scalar`].
//!
//! Elementwise operations are the scalar table of [`super::op`] applied element by element, with broadcasting: their
//! rules are that table's partials, so a scalar program and its array version compute the same numbers. The VJP of
//! every primitive is the transpose of its JVP; the tests check it with the dot-product test
//! ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩, check the JVP against central differences, and check forward over reverse (the VJP run on
//! dual numbers) against differences of the gradient.
//!
//! ```
//! use ad_lab::base::aop::AOp;
//! use ad_lab::base::array::Array;
//! let a = Array::new(vec![2, 2], vec![1.0, 2.0, 3.0, 4.0]);
//! let x = Array::new(vec![2], vec![1.0, 1.0]);
//! let y = AOp::MatMul.value(&[&a, &x]).unwrap();
//! assert_eq!(y.data, [3.0, 7.0]);
//! // The cotangent of y flows back to a as g·xᵀ and to x as aᵀ·g.
//! let g = Array::new(vec![2], vec![1.0, 0.0]);
//! let back = AOp::MatMul.vjp(&[&a, &x], &y, &g);
//! assert_eq!((back[0].data.clone(), back[1].data.clone()), (vec![1.0, 1.0, 0.0, 0.0], vec![1.0, 2.0]));
//! ```

use super::array::{broadcast_index, broadcast_shapes, fmt_shape, size_of, Array};
use super::op::{Binary, Unary};
use super::scalar::{binary, chain, chain2, Scalar};

/// How [`AOp::Reduce`] combines the numbers along an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// `np.sum`.
    Sum,
    /// `np.max`: NaN if any number is NaN; the derivative is shared equally by the numbers equal to the maximum, as
    /// autograd shares it.
    Max,
    /// `np.min`, likewise.
    Min,
}

impl Reduction {
    /// numpy's name for it: `sum`, `max`, `min`.
    pub fn name(self) -> &'static str {
        match self {
            Reduction::Sum => "sum",
            Reduction::Max => "max",
            Reduction::Min => "min",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AOp {
    /// `np.exp(a)`, `-a`, …: a scalar operation on every element.
    Map(Unary),
    /// `a + b`, `a * b`, `np.maximum(a, b)`, …: a scalar operation on broadcast operands.
    Zip(Binary),
    /// `a @ b`, `np.dot(a, b)` for vectors and matrices, with numpy's rules for a 1-D operand.
    MatMul,
    /// `a @ b.T` for matrices a (n×k) and b (m×k): a layer's `X @ W.T` as one primitive, each entry a dot product
    /// of two rows. The tracer never writes it; a [`crate::ad::nd::Plan`] fuses a product with the transpose only it
    /// reads into it, which changes no number (the same products summed in the same order).
    MatMulT,
    /// `a.T`: the axes in reverse order.
    Transpose,
    /// `np.sum(a, axis)` (and max, min); `None` reduces every axis.
    Reduce(Reduction, Option<usize>),
    /// `a.reshape(shape)`.
    Reshape(Vec<usize>),
    /// Indexing and slicing (`X[i]`, `X[:, j]`, `z[1:]`): the result's elements are the argument's elements at these
    /// flat indices, in a result of this shape.
    Take {
        index: Vec<usize>,
        shape: Vec<usize>,
    },
    /// `np.array([a, b, …])` of arrays of one shape: a new first axis.
    Stack,
    /// `np.where(cond, a, b)` for a condition known when the program is read: `a` where `mask`, else `b`, both
    /// broadcast to `shape`.
    Select { mask: Vec<bool>, shape: Vec<usize> },
    /// `np.linalg.solve(A, b)`: x with A·x = b, for a square A and a vector or matrix b.
    Solve,
}

type Shape = Vec<usize>;

/// See [`AOp::costs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Costs {
    pub jvp: u64,
    pub vjp: u64,
    /// Bytes reverse mode keeps for the VJP.
    pub kept: u64,
}

/// (n, k, m) of a product and whether each operand is a vector (its axis dropped from the result).
fn matmul_dims(a: &[usize], b: &[usize]) -> Result<(usize, usize, usize, Shape), String> {
    let bad = || {
        format!(
            "matmul: the shapes {} and {} do not match (the last axis of the first must be the first of the second)",
            fmt_shape(a),
            fmt_shape(b)
        )
    };
    let (n, k, keep_n) = match a {
        [k] => (1, *k, false),
        [n, k] => (*n, *k, true),
        _ => {
            return Err(format!(
                "matmul takes vectors and matrices, not an array of shape {}",
                fmt_shape(a)
            ))
        }
    };
    let (k2, m, keep_m) = match b {
        [k] => (*k, 1, false),
        [k, m] => (*k, *m, true),
        _ => {
            return Err(format!(
                "matmul takes vectors and matrices, not an array of shape {}",
                fmt_shape(b)
            ))
        }
    };
    if k != k2 {
        return Err(bad());
    }
    let mut out = Vec::new();
    if keep_n {
        out.push(n);
    }
    if keep_m {
        out.push(m);
    }
    Ok((n, k, m, out))
}

/// [`mm_into`] into a new buffer.
fn mm<S: Scalar>(a: &[S], ta: bool, b: &[S], tb: bool, n: usize, k: usize, m: usize) -> Vec<S> {
    let mut c: Vec<S> = vec![S::zero(); n * m];
    mm_into(a, ta, b, tb, n, k, m, &mut c);
    c
}

/// (n, k, m) of a product whose shapes [`matmul_dims`] accepted, without building the result's shape.
fn mm_dims(a: &[usize], b: &[usize]) -> (usize, usize, usize) {
    let (n, k) = match a {
        [n, k] => (*n, *k),
        [k] => (1, *k),
        _ => (0, 0),
    };
    let m = match b {
        [_, m] => *m,
        _ => 1,
    };
    (n, k, m)
}

/// C (n×m) = op(A)·op(B) where op transposes when asked; A is n×k (or k×n transposed), B k×m (or m×k), into `c`
/// (every entry written). Each entry sums its k products in order, starting from the first (so no `0 +`), whichever
/// loop order reads memory in rows.
#[allow(clippy::too_many_arguments)]
fn mm_into<S: Scalar>(
    a: &[S],
    ta: bool,
    b: &[S],
    tb: bool,
    n: usize,
    k: usize,
    m: usize,
    c: &mut [S],
) {
    if k == 0 {
        c.iter_mut().for_each(|x| *x = S::zero());
        return;
    }
    let (sa_i, sa_l) = if ta { (1, n) } else { (k, 1) };
    // A single column is also a single row: dot products then read memory in order.
    if tb || m == 1 {
        for i in 0..n {
            for j in 0..m {
                let row = &b[j * k..j * k + k];
                c[i * m + j] = if ta {
                    let mut s = a[i] * row[0];
                    for l in 1..k {
                        s = s + a[i + l * n] * row[l];
                    }
                    s
                } else {
                    // Rows of both: slices zipped, no index checked in the loop.
                    let ai = &a[i * k..i * k + k];
                    let mut s = ai[0] * row[0];
                    for (x, y) in ai[1..].iter().zip(&row[1..]) {
                        s = s + *x * *y;
                    }
                    s
                };
            }
        }
        return;
    }
    // Row i of C accumulates a(i, l) · row l of B, for l in order (the first product starts it).
    for i in 0..n {
        let ci = &mut c[i * m..i * m + m];
        let x = a[i * sa_i];
        for (c, r) in ci.iter_mut().zip(&b[..m]) {
            *c = x * *r;
        }
        for l in 1..k {
            let x = a[i * sa_i + l * sa_l];
            for (c, r) in ci.iter_mut().zip(&b[l * m..l * m + m]) {
                *c = *c + x * *r;
            }
        }
    }
}

/// Where element i of a broadcast result reads an operand: the same place, always the one number, or a map.
enum Spread {
    Same,
    One,
    /// The operand is the result's trailing axes (a bias row added to every row of a matrix): it repeats.
    Cycle(usize),
    Map(Vec<usize>),
}

impl Spread {
    fn new(from: &[usize], to: &[usize]) -> Spread {
        // Shapes are a few numbers: compared in a loop here rather than by a call per operation.
        let same =
            |a: &[usize], b: &[usize]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y);
        if same(from, to) {
            Spread::Same
        } else if from.iter().all(|&d| d == 1) {
            Spread::One
        } else if let Some(tail) = from
            .iter()
            .position(|&d| d != 1)
            .map(|k| &from[k..])
            .filter(|t| t.len() <= to.len() && same(t, &to[to.len() - t.len()..]))
        {
            Spread::Cycle(tail.iter().product())
        } else {
            Spread::Map(broadcast_index(from, to))
        }
    }

    #[inline(always)]
    fn at(&self, i: usize) -> usize {
        match self {
            Spread::Same => i,
            Spread::One => 0,
            Spread::Cycle(n) => i % n,
            Spread::Map(m) => m[i],
        }
    }
}

/// Runs `$body` for every element `$i` of a broadcast result of `$n` elements, with the index each operand reads
/// (`$ia`, `$ib`): a plain loop for each common pair of spreads (same shapes, one number, a repeated row), the map
/// otherwise. A macro, so that the body is compiled into each loop (the site is built for size, which does not
/// inline a closure called per element).
macro_rules! each_pair {
    ($sa:expr, $sb:expr, $n:expr, |$i:ident, $ia:ident, $ib:ident| $body:block) => {
        match ($sa, $sb) {
            (Spread::Same, Spread::Same) => {
                for $i in 0..$n {
                    let ($ia, $ib) = ($i, $i);
                    $body
                }
            }
            (Spread::Same, Spread::One) => {
                for $i in 0..$n {
                    let ($ia, $ib) = ($i, 0);
                    $body
                }
            }
            (Spread::One, Spread::Same) => {
                for $i in 0..$n {
                    let ($ia, $ib) = (0, $i);
                    $body
                }
            }
            (Spread::Same, Spread::Cycle(c)) if *c > 0 => {
                for r in (0..$n).step_by(*c) {
                    for j in 0..*c {
                        let ($i, $ia, $ib) = (r + j, r + j, j);
                        $body
                    }
                }
            }
            (sa, sb) => {
                for $i in 0..$n {
                    let ($ia, $ib) = (sa.at($i), sb.at($i));
                    $body
                }
            }
        }
    };
}

/// (outer, length, inner) around an axis: element (o, r, q) is at flat index (o·length + r)·inner + q.
fn around(shape: &[usize], axis: Option<usize>) -> (usize, usize, usize) {
    match axis {
        None => (1, shape.iter().product(), 1),
        Some(k) => (
            shape[..k].iter().product(),
            shape[k],
            shape[k + 1..].iter().product(),
        ),
    }
}

/// The reversed axes' flat index map: element i of the transpose is element `map[i]` of the argument.
fn transpose_map(shape: &[usize]) -> Vec<usize> {
    let rev: Vec<usize> = shape.iter().rev().copied().collect();
    let mut strides = vec![1usize; shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }
    let rs: Vec<usize> = strides.iter().rev().copied().collect();
    let total: usize = shape.iter().product();
    let mut map = Vec::with_capacity(total);
    let mut pos = vec![0usize; rev.len()];
    for _ in 0..total {
        map.push(pos.iter().zip(&rs).map(|(p, s)| p * s).sum());
        for k in (0..rev.len()).rev() {
            pos[k] += 1;
            if pos[k] < rev[k] {
                break;
            }
            pos[k] = 0;
        }
    }
    map
}

/// Solves op(A)·X = B (op = transpose when `t`) by Gaussian elimination with partial pivoting (by value); B is n×m.
fn solve<S: Scalar>(a: &[S], t: bool, b: &[S], n: usize, m: usize) -> Result<Vec<S>, String> {
    let mut lu: Vec<S> = (0..n * n)
        .map(|i| if t { a[(i % n) * n + i / n] } else { a[i] })
        .collect();
    let mut x = b.to_vec();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| {
                lu[i * n + c]
                    .value()
                    .abs()
                    .total_cmp(&lu[j * n + c].value().abs())
            })
            .unwrap_or(c);
        if lu[p * n + c].value() == 0.0 {
            return Err("np.linalg.solve: Singular matrix".into());
        }
        if p != c {
            for j in 0..n {
                lu.swap(c * n + j, p * n + j);
            }
            for j in 0..m {
                x.swap(c * m + j, p * m + j);
            }
        }
        for r in c + 1..n {
            let f = lu[r * n + c] / lu[c * n + c];
            for j in c..n {
                lu[r * n + j] = lu[r * n + j] - f * lu[c * n + j];
            }
            for j in 0..m {
                x[r * m + j] = x[r * m + j] - f * x[c * m + j];
            }
        }
    }
    for c in (0..n).rev() {
        for j in 0..m {
            let mut s = x[c * m + j];
            for l in c + 1..n {
                s = s - lu[c * n + l] * x[l * m + j];
            }
            x[c * m + j] = s / lu[c * n + c];
        }
    }
    Ok(x)
}

/// (n, m) of the right-hand side of a solve: a vector is one column.
fn solve_dims(a: &[usize], b: &[usize]) -> Result<(usize, usize), String> {
    let n = match a {
        [n, k] if n == k => *n,
        _ => {
            return Err(format!(
                "np.linalg.solve: the matrix must be square, not of shape {}",
                fmt_shape(a)
            ))
        }
    };
    match b {
        [r] if *r == n => Ok((n, 1)),
        [r, m] if *r == n => Ok((n, *m)),
        _ => Err(format!(
            "np.linalg.solve: a right-hand side of shape {} does not match a matrix of shape {}",
            fmt_shape(b),
            fmt_shape(a)
        )),
    }
}

impl AOp {
    /// A short name for a drawing's node: `@`, `tanh`, `+`, `sum axis=1`, `.T`.
    pub fn label(&self) -> String {
        match self {
            AOp::Map(Unary::Neg) => "−".into(),
            AOp::Map(u) => u.name().into(),
            AOp::Zip(Binary::Max) => "maximum".into(),
            AOp::Zip(Binary::Min) => "minimum".into(),
            AOp::Zip(b) => b.symbol().into(),
            AOp::MatMul => "@".into(),
            AOp::MatMulT => "@ .T".into(),
            AOp::Transpose => ".T".into(),
            AOp::Reduce(r, axis) => match axis {
                None => r.name().into(),
                Some(k) => format!("{} axis={k}", r.name()),
            },
            AOp::Reshape(_) => "reshape".into(),
            AOp::Take { .. } => "[…]".into(),
            AOp::Stack => "np.array".into(),
            AOp::Select { .. } => "where".into(),
            AOp::Solve => "solve".into(),
        }
    }

    /// How many arguments the primitive takes (`None`: any number, at least one).
    pub fn arity(&self) -> Option<usize> {
        match self {
            AOp::Map(_) | AOp::Transpose | AOp::Reduce(..) | AOp::Reshape(_) | AOp::Take { .. } => {
                Some(1)
            }
            AOp::Zip(_) | AOp::MatMul | AOp::MatMulT | AOp::Select { .. } | AOp::Solve => Some(2),
            AOp::Stack => None,
        }
    }

    /// Multiplications (or comparable steps) computing the value takes, for arguments of these shapes (valid for
    /// the primitive): what bounds a program's work, and the cost a graph shows for a node.
    pub fn work(&self, args: &[&[usize]]) -> u64 {
        let size = |s: &[usize]| s.iter().product::<usize>() as u64;
        match self {
            AOp::MatMul => {
                matmul_dims(args[0], args[1]).map_or(0, |(n, k, m, _)| (n * k) as u64 * m as u64)
            }
            AOp::MatMulT => match (args[0], args[1]) {
                ([n, k], [m, _]) => (n * k) as u64 * *m as u64,
                _ => 0,
            },
            AOp::Solve => solve_dims(args[0], args[1]).map_or(0, |(n, m)| {
                let n = n as u64;
                n * n * n / 3 + n * n * m as u64
            }),
            _ => args.iter().map(|s| size(s)).max().unwrap_or(0).max(1),
        }
    }

    /// What differentiating the node costs, for arguments of these shapes: multiplications of its JVP (one tangent
    /// through it) and of its VJP (one cotangent back to every argument), and the bytes of values reverse mode must
    /// keep from the forward pass for its VJP. The graph lab shows them per node, so that a chain's forward and
    /// reverse costs (Example 0) can be read off any program.
    pub fn costs(&self, args: &[&[usize]]) -> Costs {
        let size = |s: &[usize]| s.iter().product::<usize>() as u64;
        let out = self.shape(args).map_or(0, |s| size(&s));
        let bytes = |n: u64| 8 * n;
        let (jvp, vjp, kept) = match self {
            // One partial per element, times the tangent or the cotangent; the partial reads the argument (or the
            // result: exp, tan, sqrt).
            AOp::Map(Unary::Neg) => (0, 0, 0),
            AOp::Map(_) => (out, out, bytes(out)),
            AOp::Zip(Binary::Add | Binary::Sub) => (0, 0, 0),
            AOp::Zip(Binary::Mul) => (2 * out, 2 * out, bytes(size(args[0]) + size(args[1]))),
            AOp::Zip(_) => (3 * out, 3 * out, bytes(size(args[0]) + size(args[1]) + out)),
            // dA·B + A·dB; Ā = Ḡ·Bᵀ and B̄ = Aᵀ·Ḡ: both arguments kept.
            AOp::MatMul | AOp::MatMulT => {
                let w = self.work(args);
                (2 * w, 2 * w, bytes(size(args[0]) + size(args[1])))
            }
            // Linear and structural: moving numbers costs no multiplication and keeps nothing (np.where keeps its
            // condition, one byte an element).
            AOp::Transpose
            | AOp::Reshape(_)
            | AOp::Take { .. }
            | AOp::Stack
            | AOp::Reduce(Reduction::Sum, _) => (0, 0, 0),
            AOp::Select { .. } => (0, 0, out),
            AOp::Reduce(..) => (size(args[0]), size(args[0]), bytes(size(args[0]) + out)),
            // A solve with the factors again, and for Ā an outer product: A and x kept.
            AOp::Solve => {
                let w = self.work(args);
                (w + out * 2, w + out * 2, bytes(size(args[0]) + out))
            }
        };
        Costs { jvp, vjp, kept }
    }

    /// The result's shape for arguments of these shapes, or what is wrong with them (numpy's words where it has
    /// them).
    pub fn shape(&self, args: &[&[usize]]) -> Result<Shape, String> {
        if self.arity().map_or(args.is_empty(), |n| n != args.len()) {
            return Err(format!(
                "{self:?} takes {:?} arguments, not {}",
                self.arity(),
                args.len()
            ));
        }
        let a = args[0];
        let out = match self {
            AOp::Map(_) => a.to_vec(),
            AOp::Zip(_) => broadcast_shapes(a, args[1])?,
            AOp::MatMul => matmul_dims(a, args[1])?.3,
            AOp::MatMulT => match (a, args[1]) {
                ([n, k], [m, k2]) if k == k2 => vec![*n, *m],
                _ => {
                    return Err(format!(
                        "a @ b.T: the shapes {} and {} do not match (two matrices with as many columns)",
                        fmt_shape(a),
                        fmt_shape(args[1])
                    ))
                }
            },
            AOp::Transpose => a.iter().rev().copied().collect(),
            AOp::Reduce(_, None) => Vec::new(),
            AOp::Reduce(r, Some(k)) => {
                if *k >= a.len() {
                    return Err(format!(
                        "axis {k} is out of bounds for array of dimension {}",
                        a.len()
                    ));
                }
                if a[*k] == 0 && *r != Reduction::Sum {
                    return Err(
                        "zero-size array to reduction operation which has no identity".into(),
                    );
                }
                let mut s = a.to_vec();
                s.remove(*k);
                s
            }
            AOp::Reshape(s) => {
                if size_of(s) != Some(a.iter().product()) {
                    return Err(format!(
                        "cannot reshape array of size {} into shape {}",
                        a.iter().product::<usize>(),
                        fmt_shape(s)
                    ));
                }
                s.clone()
            }
            AOp::Take { index, shape } => {
                let n: usize = a.iter().product();
                if index.iter().any(|&i| i >= n) || shape.iter().product::<usize>() != index.len() {
                    return Err(format!(
                        "an index is out of bounds for an array of shape {}",
                        fmt_shape(a)
                    ));
                }
                shape.clone()
            }
            AOp::Stack => {
                if args.iter().any(|s| *s != a) {
                    return Err("np.array: all the arrays listed must have the same shape".into());
                }
                let mut s = vec![args.len()];
                s.extend_from_slice(a);
                s
            }
            AOp::Select { mask, shape } => {
                for s in args {
                    if broadcast_shapes(s, shape)? != *shape {
                        return Err(format!(
                            "operands could not be broadcast together with shapes {} {}",
                            fmt_shape(shape),
                            fmt_shape(s)
                        ));
                    }
                }
                if mask.len() != shape.iter().product::<usize>() {
                    return Err("np.where: the condition's shape does not match".into());
                }
                shape.clone()
            }
            AOp::Solve => {
                solve_dims(a, args[1])?;
                args[1].to_vec()
            }
        };
        if size_of(&out).is_none() {
            return Err(format!(
                "the result would have shape {}, more than the {} numbers AD Lab holds in one array",
                fmt_shape(&out),
                super::array::MAX_ELEMENTS
            ));
        }
        Ok(out)
    }

    /// The result.
    pub fn value<S: Scalar>(&self, args: &[&Array<S>]) -> Result<Array<S>, String> {
        let shapes: Vec<&[usize]> = args.iter().map(|a| a.shape.as_slice()).collect();
        let shape = self.shape(&shapes)?;
        let mut data = vec![S::zero(); shape.iter().product()];
        self.value_into(args, &shape, &mut data)?;
        Ok(Array { shape, data })
    }

    /// The result into `out`, a buffer of the result's size whose shape is `shape` (what [`AOp::shape`] gives for
    /// these arguments, which must be valid): the one implementation of every primitive's value, which
    /// [`AOp::value`] calls with a new buffer and a [`crate::ad::nd::Plan`] with the same buffer step after step.
    pub fn value_into<S: Scalar>(
        &self,
        args: &[&Array<S>],
        shape: &[usize],
        out: &mut [S],
    ) -> Result<(), String> {
        let a = args[0];
        match self {
            AOp::Map(op) => {
                for (o, &x) in out.iter_mut().zip(&a.data) {
                    *o = x.unary(*op);
                }
            }
            AOp::Zip(op) => {
                let b = args[1];
                let (sa, sb) = (Spread::new(&a.shape, shape), Spread::new(&b.shape, shape));
                let (x, y) = (&a.data, &b.data);
                // The four arithmetic operations written out (what `binary` does for them), the rest through it.
                match op {
                    Binary::Add => each_pair!(&sa, &sb, out.len(), |i, ia, ib| {
                        out[i] = x[ia] + y[ib];
                    }),
                    Binary::Sub => each_pair!(&sa, &sb, out.len(), |i, ia, ib| {
                        out[i] = x[ia] - y[ib];
                    }),
                    Binary::Mul => each_pair!(&sa, &sb, out.len(), |i, ia, ib| {
                        out[i] = x[ia] * y[ib];
                    }),
                    _ => each_pair!(&sa, &sb, out.len(), |i, ia, ib| {
                        out[i] = binary(*op, Ok(x[ia]), Ok(y[ib]));
                    }),
                }
            }
            AOp::MatMul => {
                let (n, k, m) = mm_dims(&a.shape, &args[1].shape);
                mm_into(&a.data, false, &args[1].data, false, n, k, m, out);
            }
            AOp::MatMulT => {
                let (n, k, m) = (a.shape[0], a.shape[1], args[1].shape[0]);
                mm_into(&a.data, false, &args[1].data, true, n, k, m, out);
            }
            AOp::Transpose => match a.shape[..] {
                // A matrix: element (i, j) of the result is (j, i) of the argument.
                [r, c] => {
                    for i in 0..c {
                        for j in 0..r {
                            out[i * r + j] = a.data[j * c + i];
                        }
                    }
                }
                _ => {
                    for (o, i) in out.iter_mut().zip(transpose_map(&a.shape)) {
                        *o = a.data[i];
                    }
                }
            },
            AOp::Reduce(r, axis) => {
                let (outer, len, inner) = around(&a.shape, *axis);
                for o in 0..outer {
                    for q in 0..inner {
                        let mut it = (0..len).map(|l| a.data[(o * len + l) * inner + q]);
                        let first = it.next().unwrap_or_else(S::zero);
                        out[o * inner + q] = it.fold(first, |s, x| match r {
                            Reduction::Sum => s + x,
                            // NaN wins, as in numpy; otherwise the first of equal extremes stays.
                            _ if s.is_nan() => s,
                            _ if x.is_nan() => x,
                            Reduction::Max if x.value() <= s.value() => s,
                            Reduction::Min if x.value() >= s.value() => s,
                            _ => x,
                        });
                    }
                }
            }
            AOp::Reshape(_) => out.copy_from_slice(&a.data),
            AOp::Take { index, .. } => {
                for (o, &i) in out.iter_mut().zip(index) {
                    *o = a.data[i];
                }
            }
            AOp::Stack => {
                let n = a.len();
                for (j, x) in args.iter().enumerate() {
                    out[j * n..(j + 1) * n].copy_from_slice(&x.data);
                }
            }
            AOp::Select { mask, shape } => {
                let (x, y) = (a.broadcast_to(shape), args[1].broadcast_to(shape));
                for (i, &m) in mask.iter().enumerate() {
                    out[i] = if m { x.data[i] } else { y.data[i] };
                }
            }
            AOp::Solve => {
                let (n, m) = solve_dims(&a.shape, &args[1].shape)?;
                out.copy_from_slice(&solve(&a.data, false, &args[1].data, n, m)?);
            }
        }
        Ok(())
    }

    /// For `Reduce(Max | Min)`: each argument element's share of its result's derivative (1/count where it equals the
    /// extremum, else 0), row-major over the argument.
    fn extremum_weights<S: Scalar>(a: &Array<S>, out: &Array<S>, axis: Option<usize>) -> Vec<f64> {
        let (outer, len, inner) = around(&a.shape, axis);
        let mut w = vec![0.0; a.len()];
        for o in 0..outer {
            for q in 0..inner {
                let best = out.data[o * inner + q].value();
                let hits: Vec<usize> = (0..len)
                    .map(|l| (o * len + l) * inner + q)
                    .filter(|&i| a.data[i].value() == best)
                    .collect();
                for &i in &hits {
                    w[i] = 1.0 / hits.len() as f64;
                }
            }
        }
        w
    }

    /// The directional derivative: the result's tangent for the arguments' tangents `t` (of the arguments' shapes;
    /// a constant's tangent is zeros). `out` is the result [`AOp::value`] gave.
    pub fn jvp<S: Scalar>(&self, args: &[&Array<S>], out: &Array<S>, t: &[&Array<S>]) -> Array<S> {
        self.jvp_moving(args, out, t, &[true, true])
    }

    /// [`AOp::jvp`] where `moves[k]` says whether argument k has a tangent at all (a constant's has none): the term
    /// of a product or an elementwise operation for an argument that does not move is not computed (nor its tangent
    /// read: it may be empty) — it is zero, as reverse mode never sends a cotangent to a constant.
    pub fn jvp_moving<S: Scalar>(
        &self,
        args: &[&Array<S>],
        out: &Array<S>,
        t: &[&Array<S>],
        moves: &[bool],
    ) -> Array<S> {
        let a = args[0];
        let shape = out.shape.clone();
        let data = match self {
            AOp::Map(op) => (0..a.len())
                .map(|i| chain(op.partial(a.data[i], out.data[i]), t[0].data[i]))
                .collect(),
            AOp::Zip(op) => {
                let (sa, sb) = (
                    Spread::new(&a.shape, &shape),
                    Spread::new(&args[1].shape, &shape),
                );
                let b = args[1];
                let moves = |j: usize| moves.get(j).copied().unwrap_or(true);
                let (ma, mb) = (moves(0), moves(1));
                (0..out.len())
                    .map(|i| {
                        let (ia, ib) = (sa.at(i), sb.at(i));
                        let (pa, pb) = op.partials(a.data[ia], b.data[ib], out.data[i]);
                        match (ma, mb) {
                            (true, true) => chain2(pa, t[0].data[ia], pb, t[1].data[ib]),
                            (true, false) => chain(pa, t[0].data[ia]),
                            (false, true) => chain(pb, t[1].data[ib]),
                            (false, false) => S::zero(),
                        }
                    })
                    .collect()
            }
            AOp::MatMul | AOp::MatMulT => {
                let tb = *self == AOp::MatMulT;
                let (n, k, m) = match tb {
                    true => (a.shape[0], a.shape[1], args[1].shape[0]),
                    false => mm_dims(&a.shape, &args[1].shape),
                };
                let moves = |j: usize| moves.get(j).copied().unwrap_or(true);
                let l = moves(0).then(|| mm(&t[0].data, false, &args[1].data, tb, n, k, m));
                let r = moves(1).then(|| mm(&a.data, false, &t[1].data, tb, n, k, m));
                match (l, r) {
                    (Some(l), Some(r)) => l.into_iter().zip(r).map(|(l, r)| l + r).collect(),
                    (Some(d), None) | (None, Some(d)) => d,
                    (None, None) => vec![S::zero(); n * m],
                }
            }
            // Linear operations: their tangent is the operation applied to the tangent.
            AOp::Transpose
            | AOp::Reshape(_)
            | AOp::Take { .. }
            | AOp::Stack
            | AOp::Select { .. } => return self.value(t).unwrap_or_else(|_| Array::zeros(&shape)),
            AOp::Reduce(Reduction::Sum, _) => {
                return self.value(&[t[0]]).unwrap_or_else(|_| Array::zeros(&shape))
            }
            AOp::Reduce(_, axis) => {
                let w = AOp::extremum_weights(a, out, *axis);
                let (outer, len, inner) = around(&a.shape, *axis);
                let mut d = vec![S::zero(); out.len()];
                for o in 0..outer {
                    for q in 0..inner {
                        for l in 0..len {
                            let i = (o * len + l) * inner + q;
                            if w[i] != 0.0 {
                                d[o * inner + q] = d[o * inner + q] + t[0].data[i] * w[i];
                            }
                        }
                    }
                }
                d
            }
            AOp::Solve => {
                // A·x = b moves as A·dx = db − dA·x.
                let (n, m) = solve_dims(&a.shape, &args[1].shape).unwrap_or_default();
                let dax = mm(&t[0].data, false, &out.data, false, n, n, m);
                let rhs: Vec<S> = t[1].data.iter().zip(dax).map(|(&b, ax)| b - ax).collect();
                solve(&a.data, false, &rhs, n, m).unwrap_or_else(|_| vec![S::zero(); n * m])
            }
        };
        Array { shape, data }
    }

    /// The cotangent each argument receives from the result's cotangent `g`: the transpose of [`AOp::jvp`], in the
    /// arguments' shapes.
    pub fn vjp<S: Scalar>(
        &self,
        args: &[&Array<S>],
        out: &Array<S>,
        g: &Array<S>,
    ) -> Vec<Array<S>> {
        self.vjp_needed(args, out, g, &vec![true; args.len()])
    }

    /// [`AOp::vjp`] for the arguments marked in `need` only (a constant's cotangent is never used); the others'
    /// entries are empty arrays.
    pub fn vjp_needed<S: Scalar>(
        &self,
        args: &[&Array<S>],
        out: &Array<S>,
        g: &Array<S>,
        need: &[bool],
    ) -> Vec<Array<S>> {
        let mut parts: Vec<Array<S>> = args
            .iter()
            .zip(need)
            .map(|(a, &n)| match n {
                true => Array::zeros(&a.shape),
                false => Array {
                    shape: vec![0],
                    data: Vec::new(),
                },
            })
            .collect();
        let mut dst: Vec<Option<&mut [S]>> = parts
            .iter_mut()
            .zip(need)
            .map(|(p, &n)| n.then_some(p.data.as_mut_slice()))
            .collect();
        self.vjp_into(args, out, &g.data, &mut dst);
        parts
    }

    /// Whether [`AOp::vjp_into`] writes every entry of its buffers (else it adds to them, which must start at zero).
    pub fn vjp_writes_all(&self) -> bool {
        !matches!(self, AOp::Zip(_) | AOp::Take { .. })
    }

    /// The cotangents from the result's cotangent `g` into `dst`: for each argument, `Some` buffer of its size,
    /// **all zeros on entry** unless [`AOp::vjp_writes_all`], or `None` when that argument's cotangent is not wanted. The one implementation of
    /// every primitive's VJP, which [`AOp::vjp_needed`] calls with new buffers and a [`crate::ad::nd::Plan`] with the
    /// same buffers step after step.
    pub fn vjp_into<S: Scalar>(
        &self,
        args: &[&Array<S>],
        out: &Array<S>,
        g: &[S],
        dst: &mut [Option<&mut [S]>],
    ) {
        let a = args[0];
        let (first, rest) = dst.split_at_mut(1);
        let d0 = first[0].as_deref_mut();
        let mut d1 = rest.first_mut().and_then(|d| d.as_deref_mut());
        match self {
            AOp::Map(op) => {
                if let Some(d) = d0 {
                    for (i, d) in d.iter_mut().enumerate() {
                        *d = chain(op.partial(a.data[i], out.data[i]), g[i]);
                    }
                }
            }
            AOp::Zip(op) => {
                // Each cotangent summed back over the axes its argument was stretched along.
                let b = args[1];
                let (sa, sb) = (
                    Spread::new(&a.shape, &out.shape),
                    Spread::new(&b.shape, &out.shape),
                );
                // Only the partials asked for (a constant exponent never asks for log a).
                let (x, y, v) = (&a.data, &b.data, &out.data);
                match (d0, d1.as_deref_mut()) {
                    // A sum passes the cotangent on as it is (chain(1, g) is g, chain(−1, g) is −g, to the bit).
                    (Some(da), Some(db)) if *op == Binary::Add => {
                        each_pair!(&sa, &sb, g.len(), |i, ia, ib| {
                            da[ia] = da[ia] + g[i];
                            db[ib] = db[ib] + g[i];
                        })
                    }
                    (Some(d), None) if matches!(op, Binary::Add | Binary::Sub) => {
                        each_pair!(&sa, &sb, g.len(), |i, ia, ib| {
                            let _ = ib;
                            d[ia] = d[ia] + g[i];
                        })
                    }
                    (Some(d), None) => each_pair!(&sa, &sb, g.len(), |i, ia, ib| {
                        d[ia] = d[ia] + chain(op.partial_a(x[ia], y[ib], v[i]), g[i]);
                    }),
                    (None, Some(d)) => each_pair!(&sa, &sb, g.len(), |i, ia, ib| {
                        d[ib] = d[ib] + chain(op.partial_b(x[ia], y[ib], v[i]), g[i]);
                    }),
                    (Some(da), Some(db)) => each_pair!(&sa, &sb, g.len(), |i, ia, ib| {
                        let (pa, pb) = op.partials(x[ia], y[ib], v[i]);
                        da[ia] = da[ia] + chain(pa, g[i]);
                        db[ib] = db[ib] + chain(pb, g[i]);
                    }),
                    (None, None) => {}
                }
            }
            AOp::MatMul => {
                let b = args[1];
                let (n, k, m) = mm_dims(&a.shape, &b.shape);
                if let Some(d) = d0 {
                    mm_into(g, false, &b.data, true, n, m, k, d);
                }
                if let Some(d) = d1 {
                    mm_into(&a.data, true, g, false, k, n, m, d);
                }
            }
            AOp::MatMulT => {
                // ā = ḡ·b, b̄ = ḡᵀ·a.
                let b = args[1];
                let (n, k, m) = (a.shape[0], a.shape[1], b.shape[0]);
                if let Some(d) = d0 {
                    mm_into(g, false, &b.data, false, n, m, k, d);
                }
                if let Some(d) = d1 {
                    mm_into(g, true, &a.data, false, m, n, k, d);
                }
            }
            AOp::Transpose => {
                if let Some(d) = d0 {
                    match a.shape[..] {
                        [r, c] => {
                            for i in 0..c {
                                for j in 0..r {
                                    d[j * c + i] = g[i * r + j];
                                }
                            }
                        }
                        _ => {
                            for (k, i) in transpose_map(&a.shape).into_iter().enumerate() {
                                d[i] = g[k];
                            }
                        }
                    }
                }
            }
            AOp::Reshape(_) => {
                if let Some(d) = d0 {
                    d.copy_from_slice(g);
                }
            }
            AOp::Take { index, .. } => {
                if let Some(d) = d0 {
                    for (k, &i) in index.iter().enumerate() {
                        d[i] = d[i] + g[k];
                    }
                }
            }
            AOp::Stack => {
                let n = a.len();
                for (j, d) in dst.iter_mut().enumerate() {
                    if let Some(d) = d.as_deref_mut() {
                        d.copy_from_slice(&g[j * n..(j + 1) * n]);
                    }
                }
            }
            AOp::Select { mask, shape } => {
                let pick = |keep: bool, to: &[usize]| {
                    Array {
                        shape: shape.clone(),
                        data: mask
                            .iter()
                            .zip(g)
                            .map(|(&m, &x)| if m == keep { x } else { S::zero() })
                            .collect(),
                    }
                    .sum_to(to)
                    .data
                };
                if let Some(d) = d0 {
                    d.copy_from_slice(&pick(true, &a.shape));
                }
                if let Some(d) = d1 {
                    d.copy_from_slice(&pick(false, &args[1].shape));
                }
            }
            AOp::Reduce(r, axis) => {
                let Some(d) = d0 else { return };
                let (outer, len, inner) = around(&a.shape, *axis);
                let w = match r {
                    Reduction::Sum => Vec::new(),
                    _ => AOp::extremum_weights(a, out, *axis),
                };
                for o in 0..outer {
                    for q in 0..inner {
                        for l in 0..len {
                            let i = (o * len + l) * inner + q;
                            let gi = g[o * inner + q];
                            d[i] = match r {
                                Reduction::Sum => gi,
                                _ if w[i] == 0.0 => S::zero(),
                                _ => gi * w[i],
                            };
                        }
                    }
                }
            }
            AOp::Solve => {
                // b̄ = A⁻ᵀ·x̄, Ā = −b̄·xᵀ.
                let (n, m) = solve_dims(&a.shape, &args[1].shape).unwrap_or_default();
                let gb = solve(&a.data, true, g, n, m).unwrap_or_else(|_| vec![S::zero(); n * m]);
                if let Some(d) = d0 {
                    mm_into(&gb, false, &out.data, true, n, m, n, d);
                    for x in d.iter_mut() {
                        *x = -*x;
                    }
                }
                if let Some(d) = d1 {
                    d.copy_from_slice(&gb);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::dual::Dual;
    use crate::base::random::SplitMix64;

    fn random(rng: &mut SplitMix64, shape: &[usize], lo: f64, hi: f64) -> Array {
        let n = shape.iter().product();
        Array::new(
            shape.to_vec(),
            (0..n).map(|_| lo + (hi - lo) * rng.uniform()).collect(),
        )
    }

    /// Each primitive on arguments of the shapes given, with the range its arguments are drawn from (away from
    /// kinks and outside domains).
    fn cases(rng: &mut SplitMix64) -> Vec<(AOp, Vec<Array>)> {
        let mut r = |s: &[usize]| random(rng, s, 0.5, 2.0);
        let mut out = vec![
            (AOp::Map(Unary::Tanh), vec![r(&[3, 2])]),
            (AOp::Map(Unary::Log), vec![r(&[4])]),
            (AOp::Map(Unary::Sqrt), vec![r(&[])]),
            (AOp::Map(Unary::Exp), vec![r(&[2, 1, 3])]),
            (AOp::Zip(Binary::Mul), vec![r(&[3, 1]), r(&[2])]),
            (AOp::MatMulT, vec![r(&[3, 2]), r(&[4, 2])]),
            (AOp::Zip(Binary::Div), vec![r(&[]), r(&[2, 3])]),
            (AOp::Zip(Binary::Pow), vec![r(&[2, 3]), r(&[3])]),
            (AOp::Zip(Binary::Sub), vec![r(&[4, 1, 2]), r(&[3, 1])]),
            (AOp::MatMul, vec![r(&[3, 4]), r(&[4, 2])]),
            (AOp::MatMul, vec![r(&[4]), r(&[4, 2])]),
            (AOp::MatMul, vec![r(&[3, 4]), r(&[4])]),
            (AOp::MatMul, vec![r(&[5]), r(&[5])]),
            (AOp::Transpose, vec![r(&[2, 3, 4])]),
            (AOp::Reduce(Reduction::Sum, None), vec![r(&[3, 2])]),
            (AOp::Reduce(Reduction::Sum, Some(1)), vec![r(&[2, 3, 2])]),
            (AOp::Reduce(Reduction::Max, Some(0)), vec![r(&[3, 2])]),
            (AOp::Reduce(Reduction::Min, None), vec![r(&[5])]),
            (AOp::Reshape(vec![3, 2]), vec![r(&[2, 3])]),
            (
                AOp::Take {
                    index: vec![4, 1, 1, 0],
                    shape: vec![2, 2],
                },
                vec![r(&[2, 3])],
            ),
            (AOp::Stack, vec![r(&[2]), r(&[2]), r(&[2])]),
            (
                AOp::Select {
                    mask: vec![true, false, false, true, true, false],
                    shape: vec![2, 3],
                },
                vec![r(&[3]), r(&[2, 1])],
            ),
        ];
        // A well-conditioned system: the identity plus something small.
        let mut a = random(rng, &[3, 3], -0.3, 0.3);
        for i in 0..3 {
            a.data[i * 4] += 2.0;
        }
        out.push((AOp::Solve, vec![a.clone(), random(rng, &[3], -1.0, 1.0)]));
        out.push((AOp::Solve, vec![a, random(rng, &[3, 2], -1.0, 1.0)]));
        out
    }

    /// args + s·v, argument by argument.
    fn along(args: &[Array], v: &[Array], s: f64) -> Vec<Array> {
        args.iter()
            .zip(v)
            .map(|(a, v)| {
                Array::new(
                    a.shape.clone(),
                    a.data.iter().zip(&v.data).map(|(a, v)| a + s * v).collect(),
                )
            })
            .collect()
    }

    fn refs(v: &[Array]) -> Vec<&Array> {
        v.iter().collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
    }

    /// ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ for every primitive: the VJP is the JVP's transpose.
    #[test]
    fn vjp_is_the_transpose_of_jvp() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..5 {
            for (op, args) in cases(&mut rng) {
                let out = op.value(&refs(&args)).unwrap();
                let v: Vec<Array> = args
                    .iter()
                    .map(|a| random(&mut rng, &a.shape, -1.0, 1.0))
                    .collect();
                let w = random(&mut rng, &out.shape, -1.0, 1.0);
                let jv = op.jvp(&refs(&args), &out, &refs(&v));
                let jtw = op.vjp(&refs(&args), &out, &w);
                assert_eq!(jv.shape, out.shape, "{op:?}");
                let lhs = jv.dot(&w);
                let rhs: f64 = v.iter().zip(&jtw).map(|(v, g)| v.dot(g)).sum();
                assert!(close(lhs, rhs, 1e-13), "{op:?}: {lhs} vs {rhs}");
            }
        }
    }

    /// The JVP against central differences of the value.
    #[test]
    fn jvp_matches_central_differences() {
        let mut rng = SplitMix64::new(11);
        for (op, args) in cases(&mut rng) {
            let out = op.value(&refs(&args)).unwrap();
            let v: Vec<Array> = args
                .iter()
                .map(|a| random(&mut rng, &a.shape, -1.0, 1.0))
                .collect();
            let jv = op.jvp(&refs(&args), &out, &refs(&v));
            let h = 1e-6;
            let moved = |s: f64| -> Array {
                let a = along(&args, &v, s);
                op.value(&refs(&a)).unwrap()
            };
            let (p, m) = (moved(h), moved(-h));
            for i in 0..out.len() {
                let fd = (p.data[i] - m.data[i]) / (2.0 * h);
                assert!(
                    close(jv.data[i], fd, 1e-7),
                    "{op:?} [{i}]: {} vs {fd}",
                    jv.data[i]
                );
            }
        }
    }

    /// Forward over reverse: the VJP run on dual numbers gives the Hessian-vector product of L = ⟨w, op(args)⟩
    /// (with w a fixed weight), checked against differences of the gradient.
    #[test]
    fn vjp_on_dual_numbers_gives_hessian_vector_products() {
        let mut rng = SplitMix64::new(13);
        for (op, args) in cases(&mut rng) {
            let out = op.value(&refs(&args)).unwrap();
            let w = random(&mut rng, &out.shape, -1.0, 1.0);
            let v: Vec<Array> = args
                .iter()
                .map(|a| random(&mut rng, &a.shape, -1.0, 1.0))
                .collect();
            let grad_at = |s: f64| -> Vec<Array> {
                let a = along(&args, &v, s);
                let o = op.value(&refs(&a)).unwrap();
                op.vjp(&refs(&a), &o, &w)
            };
            let dual: Vec<Array<Dual>> = args
                .iter()
                .zip(&v)
                .map(|(a, v)| {
                    Array::new(
                        a.shape.clone(),
                        a.data
                            .iter()
                            .zip(&v.data)
                            .map(|(&a, &v)| Dual::new(a, v))
                            .collect(),
                    )
                })
                .collect();
            let dr: Vec<&Array<Dual>> = dual.iter().collect();
            let o = op.value(&dr).unwrap();
            let wd = Array::new(
                w.shape.clone(),
                w.data.iter().map(|&x| Dual::constant(x)).collect(),
            );
            let hv = op.vjp(&dr, &o, &wd);
            let h = 1e-5;
            let (p, m) = (grad_at(h), grad_at(-h));
            for (k, g) in hv.iter().enumerate() {
                for i in 0..g.len() {
                    let fd = (p[k].data[i] - m[k].data[i]) / (2.0 * h);
                    assert!(
                        close(g.data[i].eps, fd, 1e-6),
                        "{op:?} arg {k} [{i}]: {} vs {fd}",
                        g.data[i].eps
                    );
                    assert_eq!(
                        g.data[i].re,
                        grad_at(0.0)[k].data[i],
                        "{op:?}: the dual run's value part is the gradient"
                    );
                }
            }
        }
    }

    /// Example 0's point on costs: a product of a 100×100 matrix with a vector costs 10⁴ multiplications each way
    /// and keeps the matrix; addition costs nothing and keeps nothing.
    #[test]
    fn costs_count_multiplications_and_kept_bytes() {
        let c = AOp::MatMul.costs(&[&[100, 100], &[100]]);
        assert_eq!(
            c,
            Costs {
                jvp: 20_000,
                vjp: 20_000,
                kept: 8 * 10_100
            }
        );
        assert_eq!(
            AOp::Zip(Binary::Add).costs(&[&[3], &[3]]),
            Costs {
                jvp: 0,
                vjp: 0,
                kept: 0
            }
        );
        assert_eq!(AOp::Map(Unary::Tanh).costs(&[&[2, 5]]).kept, 80);
        assert_eq!(AOp::Reduce(Reduction::Sum, None).costs(&[&[2, 5]]).vjp, 0);
    }

    #[test]
    fn values_and_errors_read_as_numpy_reads_them() {
        let a = Array::new(vec![2, 3], vec![1.0, 5.0, 3.0, 4.0, 2.0, 6.0]);
        let r = |op: AOp| op.value(&[&a]).unwrap();
        assert_eq!(
            r(AOp::Reduce(Reduction::Sum, Some(0))).data,
            [5.0, 7.0, 9.0]
        );
        assert_eq!(r(AOp::Reduce(Reduction::Max, Some(1))).data, [5.0, 6.0]);
        assert_eq!(r(AOp::Reduce(Reduction::Min, None)).data, [1.0]);
        assert_eq!(r(AOp::Transpose).data, [1.0, 4.0, 5.0, 2.0, 3.0, 6.0]);
        assert_eq!(r(AOp::Transpose).shape, [3, 2]);
        let nan = Array::new(vec![3], vec![1.0, f64::NAN, 3.0]);
        assert!(AOp::Reduce(Reduction::Max, None)
            .value(&[&nan])
            .unwrap()
            .data[0]
            .is_nan());
        // Ties share the derivative, as autograd shares it.
        let tie = Array::new(vec![3], vec![2.0, 1.0, 2.0]);
        let top = AOp::Reduce(Reduction::Max, None);
        let o = top.value(&[&tie]).unwrap();
        assert_eq!(
            top.vjp(&[&tie], &o, &Array::scalar(1.0))[0].data,
            [0.5, 0.0, 0.5]
        );
        let err = |op: AOp, args: &[&Array]| op.value(args).unwrap_err();
        let b = Array::new(vec![3], vec![1.0, 2.0, 3.0]);
        assert_eq!(
            err(AOp::Zip(Binary::Add), &[&a, &Array::zeros(&[2])]),
            "operands could not be broadcast together with shapes (2,3) (2,)"
        );
        assert!(err(AOp::MatMul, &[&a, &Array::zeros(&[2])]).contains("(2,3) and (2,)"));
        assert_eq!(
            err(AOp::Reshape(vec![4]), &[&a]),
            "cannot reshape array of size 6 into shape (4,)"
        );
        assert!(
            err(AOp::Reduce(Reduction::Sum, Some(2)), &[&a]).contains("axis 2 is out of bounds")
        );
        let singular = Array::new(vec![2, 2], vec![1.0, 2.0, 2.0, 4.0]);
        assert_eq!(
            err(AOp::Solve, &[&singular, &Array::zeros(&[2])]),
            "np.linalg.solve: Singular matrix"
        );
        assert!(err(AOp::Solve, &[&a, &b]).contains("square"));
        assert!(err(
            AOp::Take {
                index: vec![6],
                shape: vec![]
            },
            &[&a]
        )
        .contains("out of bounds"));
        let huge = Array::zeros(&[2048, 1]);
        let row = Array::zeros(&[1, 4096]);
        assert!(err(AOp::Zip(Binary::Mul), &[&huge, &row]).contains("more than"));
        // Solve: x = A⁻¹b exactly for a permutation-free triangular case.
        let tri = Array::new(vec![2, 2], vec![2.0, 0.0, 1.0, 4.0]);
        let x = AOp::Solve
            .value(&[&tri, &Array::new(vec![2], vec![2.0, 9.0])])
            .unwrap();
        assert_eq!(x.data, [1.0, 2.0]);
    }
}
