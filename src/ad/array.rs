//! Reverse mode one level up: operations on whole arrays, the lecture's "sequence of elementary operations" for a
//! neural network. Each operation has, side by side as the scalar operations of [`crate::base::op`] do, its value,
//! its tangent rule (forward mode: how a perturbation of the arguments moves the result) and its adjoint rule
//! (reverse mode: how the result's adjoint flows back to the arguments, accumulated with `+=`).
//!
//! A [`Tape`] is the Wengert list of such operations, built once for a model and evaluated again at every step:
//! [`Tape::forward`] recomputes every value in place (inputs and parameters are set from outside),
//! [`Tape::backward`] every adjoint, [`Tape::jvp`] a directional derivative. Nothing is allocated once the shapes
//! are known.
//!
//! ```
//! use ad_lab::ad::array::{Activation, Loss, Matrix, Tape};
//! // One neuron, tanh(w·x + b), squared loss against y = 1, at w = (0.5, −0.25), b = 0, x = (1, 2).
//! let mut t = Tape::default();
//! let x = t.input(1, 2);
//! let y = t.input(1, 1);
//! let w = t.param(Matrix::from_rows(1, 2, vec![0.5, -0.25]));
//! let b = t.param(Matrix::zeros(1, 1));
//! let z = t.matmul_t(x, w);
//! let z = t.add_row(z, b);
//! let s = t.act(Activation::Tanh, z);
//! let loss = t.loss(Loss::Squared, s, y);
//! t.set(x, &[1.0, 2.0]);
//! t.set(y, &[1.0]);
//! t.forward();
//! t.backward(loss);
//! assert_eq!(t.value(loss).data, vec![0.5]); // s = tanh(0) = 0: ½(0 − 1)²
//! assert_eq!(t.adjoint(w).data, vec![-1.0, -2.0]); // (s − y)·tanh′(0)·x
//! ```

use crate::base::math;
use crate::base::op::Unary;

/// A dense matrix, row-major.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn from_rows(rows: usize, cols: usize, data: Vec<f64>) -> Matrix {
        assert_eq!(data.len(), rows * cols, "matrix data of the wrong length");
        Matrix { rows, cols, data }
    }

    /// Entry (i, j).
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Row i.
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Gives the matrix this shape, keeping its storage (zeros where it grew).
    pub fn reshape(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }

    fn fill(&mut self, x: f64) {
        self.data.iter_mut().for_each(|v| *v = x);
    }

    /// The product `self · other` (dense, `rows × other.cols`).
    pub fn mul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "matrix product of mismatched shapes");
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            let o = &mut out.data[i * other.cols..(i + 1) * other.cols];
            for (k, &a) in self.row(i).iter().enumerate() {
                if a != 0.0 {
                    for (o, &b) in o.iter_mut().zip(other.row(k)) {
                        *o += a * b;
                    }
                }
            }
        }
        out
    }

    /// Σ of the entries' squares.
    pub fn sum_sq(&self) -> f64 {
        self.data.iter().map(|v| v * v).sum()
    }

    /// Largest |a − b| over the entries (∞ if the shapes differ).
    pub fn max_abs_diff(&self, other: &Matrix) -> f64 {
        if (self.rows, self.cols) != (other.rows, other.cols) {
            return f64::INFINITY;
        }
        self.data
            .iter()
            .zip(&other.data)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    }
}

/// The elementwise nonlinearity of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    Identity,
}

impl Activation {
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Identity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Identity => "linear",
        }
    }

    pub fn from_name(s: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.name() == s)
    }

    /// σ(z).
    #[inline]
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Relu => math::relu(z),
            Activation::Tanh => math::tanh(z),
            Activation::Sigmoid => 1.0 / (1.0 + math::exp(-z)),
            Activation::Identity => z,
        }
    }

    /// σ′(z), given a = σ(z): the scalar engines' own rules (tanh′ = 1/cosh² and relu′ = step, 0 at 0).
    #[inline]
    pub fn derivative(self, z: f64, a: f64) -> f64 {
        match self {
            Activation::Relu => Unary::Relu.partial(z, a),
            Activation::Tanh => Unary::Tanh.partial(z, a),
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Identity => 1.0,
        }
    }
}

/// The loss of one example with score `s` and label `y` (±1 for the classifiers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// max(0, 1 − y·s).
    Hinge,
    /// log(1 + e^(−y·s)).
    Logistic,
    /// ½(s − y)².
    Squared,
}

impl Loss {
    pub const ALL: [Loss; 3] = [Loss::Hinge, Loss::Logistic, Loss::Squared];

    pub fn name(self) -> &'static str {
        match self {
            Loss::Hinge => "hinge",
            Loss::Logistic => "logistic",
            Loss::Squared => "squared",
        }
    }

    pub fn from_name(s: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.name() == s)
    }

    /// ℓ(s, y).
    #[inline]
    pub fn value(self, s: f64, y: f64) -> f64 {
        match self {
            Loss::Hinge => math::relu(1.0 - y * s),
            // log(1 + e^m) for m = −y·s, without overflow: max(m, 0) + log(1 + e^(−|m|)).
            Loss::Logistic => {
                let m = -y * s;
                math::relu(m) + math::log(1.0 + math::exp(-m.abs()))
            }
            Loss::Squared => 0.5 * (s - y) * (s - y),
        }
    }

    /// ∂ℓ/∂s.
    #[inline]
    pub fn derivative(self, s: f64, y: f64) -> f64 {
        match self {
            Loss::Hinge => -y * math::step(1.0 - y * s),
            Loss::Logistic => -y * Activation::Sigmoid.apply(-y * s),
            Loss::Squared => s - y,
        }
    }
}

/// A node of a [`Tape`].
pub type Id = usize;

/// The operations, with their shapes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// Data set from outside (a batch of examples, their labels).
    Input,
    /// A parameter: set from outside, and its adjoint is the gradient.
    Param,
    /// `X·Wᵀ`: a batch of rows `X` (B × n) through a layer's weights `W` (m × n, as the lecture's `W x`): B × m.
    MatMulT(Id, Id),
    /// `Z + 1·b`: the bias row `b` (1 × m) added to every row of `Z` (B × m).
    AddRow(Id, Id),
    /// `σ(Z)` elementwise.
    Act(Activation, Id),
    /// The mean over the rows of ℓ(sᵢ, yᵢ), scores `s` and labels `y` both B × 1: 1 × 1.
    Loss(Loss, Id, Id),
    /// `a + c·Σ b²` (a is 1 × 1): a penalty added to a loss.
    AddSumSq(Id, f64, Id),
}

impl Op {
    pub fn args(self) -> [Option<Id>; 2] {
        match self {
            Op::Input | Op::Param => [None, None],
            Op::Act(_, a) => [Some(a), None],
            Op::MatMulT(a, b) | Op::AddRow(a, b) | Op::Loss(_, a, b) | Op::AddSumSq(a, _, b) => {
                [Some(a), Some(b)]
            }
        }
    }

    /// The shape of the result from the arguments' shapes.
    fn shape(self, v: &[Matrix]) -> (usize, usize) {
        match self {
            Op::Input | Op::Param => unreachable!("leaves are set, not computed"),
            Op::MatMulT(x, w) => (v[x].rows, v[w].rows),
            Op::AddRow(z, _) | Op::Act(_, z) => (v[z].rows, v[z].cols),
            Op::Loss(..) | Op::AddSumSq(..) => (1, 1),
        }
    }

    /// The value, into `out` (already shaped).
    fn value(self, v: &[Matrix], out: &mut Matrix) {
        match self {
            Op::Input | Op::Param => {}
            Op::MatMulT(x, w) => {
                let (x, w) = (&v[x], &v[w]);
                for i in 0..x.rows {
                    let xi = x.row(i);
                    for (j, o) in out.data[i * w.rows..(i + 1) * w.rows]
                        .iter_mut()
                        .enumerate()
                    {
                        *o = dot(xi, w.row(j));
                    }
                }
            }
            Op::AddRow(z, b) => {
                let (z, b) = (&v[z], &v[b]);
                for (o, zi) in out.data.chunks_mut(z.cols).zip(z.data.chunks(z.cols)) {
                    for ((o, z), b) in o.iter_mut().zip(zi).zip(&b.data) {
                        *o = z + b;
                    }
                }
            }
            Op::Act(f, z) => {
                for (o, &z) in out.data.iter_mut().zip(&v[z].data) {
                    *o = f.apply(z);
                }
            }
            Op::Loss(l, s, y) => {
                let (s, y) = (&v[s], &v[y]);
                let total: f64 = s
                    .data
                    .iter()
                    .zip(&y.data)
                    .map(|(&s, &y)| l.value(s, y))
                    .sum();
                out.data[0] = total / s.rows.max(1) as f64;
            }
            Op::AddSumSq(a, c, b) => out.data[0] = v[a].data[0] + c * v[b].sum_sq(),
        }
    }

    /// Forward mode: the result's tangent from the arguments' tangents `t` (values `v`, result `out`); `moves[k]`
    /// says whether argument k has a tangent at all (a term without one is not computed).
    fn tangent(
        self,
        v: &[Matrix],
        t: &[Matrix],
        out: &Matrix,
        dout: &mut Matrix,
        moves: [bool; 2],
    ) {
        match self {
            Op::Input | Op::Param => {}
            // d(X·Wᵀ) = dX·Wᵀ + X·dWᵀ
            Op::MatMulT(x, w) => {
                let (xv, wv, dx, dw) = (&v[x], &v[w], &t[x], &t[w]);
                for i in 0..xv.rows {
                    for j in 0..wv.rows {
                        let mut d = 0.0;
                        if moves[0] {
                            d += dot(dx.row(i), wv.row(j));
                        }
                        if moves[1] {
                            d += dot(xv.row(i), dw.row(j));
                        }
                        dout.data[i * wv.rows + j] = d;
                    }
                }
            }
            // d(Z + 1·b) = dZ + 1·db
            Op::AddRow(z, b) => {
                let (dz, db) = (&t[z], &t[b]);
                for (i, o) in dout.data.chunks_mut(v[z].cols.max(1)).enumerate() {
                    for (j, o) in o.iter_mut().enumerate() {
                        *o = if moves[0] { dz.at(i, j) } else { 0.0 }
                            + if moves[1] { db.data[j] } else { 0.0 };
                    }
                }
            }
            // dσ(Z) = σ′(Z) ⊙ dZ
            Op::Act(f, z) => {
                for ((o, (&z, &a)), &dz) in dout
                    .data
                    .iter_mut()
                    .zip(v[z].data.iter().zip(&out.data))
                    .zip(&t[z].data)
                {
                    *o = f.derivative(z, a) * dz;
                }
            }
            // d mean ℓ = mean ∂ℓ/∂s · ds (the labels are data)
            Op::Loss(l, s, y) => {
                let (sv, yv, ds) = (&v[s], &v[y], &t[s]);
                let total: f64 = (0..sv.data.len())
                    .map(|i| l.derivative(sv.data[i], yv.data[i]) * ds.data[i])
                    .sum();
                dout.data[0] = total / sv.rows.max(1) as f64;
            }
            // d(a + c·Σb²) = da + 2c·Σ b·db
            Op::AddSumSq(a, c, b) => {
                dout.data[0] = t[a].data[0] + 2.0 * c * dot(&v[b].data, &t[b].data)
            }
        }
    }

    /// Reverse mode: adds argument `k`'s share of the result's adjoint `g` to `acc` (values `v`, result `out`).
    fn adjoint(self, k: usize, v: &[Matrix], out: &Matrix, g: &Matrix, acc: &mut Matrix) {
        match (self, k) {
            (Op::Input | Op::Param, _) => {}
            // X̄ += Ȳ·W
            (Op::MatMulT(_, w), 0) => {
                let w = &v[w];
                for i in 0..g.rows {
                    let a = &mut acc.data[i * w.cols..(i + 1) * w.cols];
                    for (j, &gij) in g.row(i).iter().enumerate() {
                        if gij != 0.0 {
                            for (a, &wj) in a.iter_mut().zip(w.row(j)) {
                                *a += gij * wj;
                            }
                        }
                    }
                }
            }
            // W̄ += Ȳᵀ·X
            (Op::MatMulT(x, _), _) => {
                let x = &v[x];
                for i in 0..g.rows {
                    let xi = x.row(i);
                    for (j, &gij) in g.row(i).iter().enumerate() {
                        if gij != 0.0 {
                            for (a, &x) in acc.data[j * x.cols..(j + 1) * x.cols].iter_mut().zip(xi)
                            {
                                *a += gij * x;
                            }
                        }
                    }
                }
            }
            // Z̄ += Ȳ
            (Op::AddRow(..), 0) => add_into(acc, &g.data),
            // b̄ += Σ over rows of Ȳ
            (Op::AddRow(..), _) => {
                for gi in g.data.chunks(g.cols) {
                    for (a, g) in acc.data.iter_mut().zip(gi) {
                        *a += g;
                    }
                }
            }
            // Z̄ += σ′(Z) ⊙ Ȳ
            (Op::Act(f, z), _) => {
                for ((a, (&z, &y)), &g) in acc
                    .data
                    .iter_mut()
                    .zip(v[z].data.iter().zip(&out.data))
                    .zip(&g.data)
                {
                    *a += f.derivative(z, y) * g;
                }
            }
            // s̄ᵢ += ℓ̄ · ∂ℓ/∂sᵢ / B (no adjoint for the labels)
            (Op::Loss(l, s, y), 0) => {
                let (sv, yv) = (&v[s], &v[y]);
                let scale = g.data[0] / sv.rows.max(1) as f64;
                for ((a, &s), &y) in acc.data.iter_mut().zip(&sv.data).zip(&yv.data) {
                    *a += scale * l.derivative(s, y);
                }
            }
            (Op::Loss(..), _) => {}
            // ā += ḡ; b̄ += 2c·ḡ·b
            (Op::AddSumSq(..), 0) => acc.data[0] += g.data[0],
            (Op::AddSumSq(_, c, b), _) => {
                let scale = 2.0 * c * g.data[0];
                for (a, &b) in acc.data.iter_mut().zip(&v[b].data) {
                    *a += scale * b;
                }
            }
        }
    }
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn add_into(acc: &mut Matrix, g: &[f64]) {
    for (a, g) in acc.data.iter_mut().zip(g) {
        *a += g;
    }
}

/// A Wengert list of array operations with their values and adjoints.
#[derive(Clone, Debug, Default)]
pub struct Tape {
    ops: Vec<Op>,
    values: Vec<Matrix>,
    adjoints: Vec<Matrix>,
    /// Whether a node depends on a parameter (only those get adjoints).
    varies: Vec<bool>,
}

impl Tape {
    fn push(&mut self, op: Op, value: Matrix) -> Id {
        let varies = op == Op::Param || op.args().iter().flatten().any(|&a| self.varies[a]);
        self.ops.push(op);
        self.values.push(value);
        self.adjoints.push(Matrix::default());
        self.varies.push(varies);
        self.ops.len() - 1
    }

    fn computed(&mut self, op: Op) -> Id {
        let (r, c) = op.shape(&self.values);
        self.push(op, Matrix::zeros(r, c))
    }

    /// Data of shape `rows × cols` (set with [`Tape::set`]; the row count may change between steps).
    pub fn input(&mut self, rows: usize, cols: usize) -> Id {
        self.push(Op::Input, Matrix::zeros(rows, cols))
    }

    pub fn param(&mut self, value: Matrix) -> Id {
        self.push(Op::Param, value)
    }

    pub fn matmul_t(&mut self, x: Id, w: Id) -> Id {
        assert_eq!(
            self.values[x].cols, self.values[w].cols,
            "X·Wᵀ of mismatched shapes"
        );
        self.computed(Op::MatMulT(x, w))
    }

    pub fn add_row(&mut self, z: Id, b: Id) -> Id {
        assert_eq!(
            (1, self.values[z].cols),
            (self.values[b].rows, self.values[b].cols)
        );
        self.computed(Op::AddRow(z, b))
    }

    pub fn act(&mut self, f: Activation, z: Id) -> Id {
        self.computed(Op::Act(f, z))
    }

    pub fn loss(&mut self, l: Loss, s: Id, y: Id) -> Id {
        assert_eq!(self.values[s].cols, 1, "one score per example");
        self.computed(Op::Loss(l, s, y))
    }

    pub fn add_sum_sq(&mut self, a: Id, c: f64, b: Id) -> Id {
        self.computed(Op::AddSumSq(a, c, b))
    }

    /// Sets an input's or a parameter's entries, `data.len() / cols` rows of them.
    pub fn set(&mut self, id: Id, data: &[f64]) {
        let m = &mut self.values[id];
        let cols = m.cols.max(1);
        m.reshape(data.len() / cols, cols);
        m.data.copy_from_slice(data);
    }

    pub fn value(&self, id: Id) -> &Matrix {
        &self.values[id]
    }

    pub fn value_mut(&mut self, id: Id) -> &mut Matrix {
        &mut self.values[id]
    }

    /// ∂root/∂node after [`Tape::backward`] (zero-sized for nodes that do not depend on a parameter).
    pub fn adjoint(&self, id: Id) -> &Matrix {
        &self.adjoints[id]
    }

    pub fn adjoint_mut(&mut self, id: Id) -> &mut Matrix {
        &mut self.adjoints[id]
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Recomputes every value from the inputs and parameters.
    pub fn forward(&mut self) {
        for i in 0..self.ops.len() {
            let op = self.ops[i];
            if matches!(op, Op::Input | Op::Param) {
                continue;
            }
            let (r, c) = op.shape(&self.values);
            let (before, rest) = self.values.split_at_mut(i);
            rest[0].reshape(r, c);
            op.value(before, &mut rest[0]);
        }
    }

    /// Reverse mode from `root` (1 × 1): the adjoint of every node that depends on a parameter.
    pub fn backward(&mut self, root: Id) {
        self.backward_from(root, &[1.0]);
    }

    /// Reverse mode from `root` with its adjoint set to `seed` (its entries, row-major): a vector–Jacobian product.
    pub fn backward_from(&mut self, root: Id, seed: &[f64]) {
        for i in 0..=root {
            let (r, c) = (self.values[i].rows, self.values[i].cols);
            let a = &mut self.adjoints[i];
            if self.varies[i] {
                a.reshape(r, c);
                a.fill(0.0);
            } else {
                a.reshape(0, 0);
            }
        }
        self.adjoints[root].data.copy_from_slice(seed);
        for i in (0..=root).rev() {
            if !self.varies[i] {
                continue;
            }
            let op = self.ops[i];
            for (k, arg) in op.args().into_iter().enumerate() {
                let Some(a) = arg.filter(|&a| self.varies[a]) else {
                    continue;
                };
                // The argument's adjoint (a < i), taken out while the node's own is read.
                let mut acc = std::mem::take(&mut self.adjoints[a]);
                op.adjoint(
                    k,
                    &self.values,
                    &self.values[i],
                    &self.adjoints[i],
                    &mut acc,
                );
                self.adjoints[a] = acc;
            }
        }
    }

    /// Forward mode: the tangent of `root` when the parameters move along `direction` (one matrix per parameter, in
    /// the order [`Tape::params`] lists them; inputs do not move).
    pub fn jvp(&self, root: Id, direction: &[Matrix]) -> Matrix {
        // Tangents only where something moves (a layer's constant weights have none).
        let mut t: Vec<Matrix> = self
            .values
            .iter()
            .zip(&self.varies)
            .map(|(v, &m)| {
                if m {
                    Matrix::zeros(v.rows, v.cols)
                } else {
                    Matrix::default()
                }
            })
            .collect();
        for (p, d) in self.params().into_iter().zip(direction) {
            t[p] = d.clone();
        }
        for i in 0..=root {
            let op = self.ops[i];
            if matches!(op, Op::Input | Op::Param) || !self.varies[i] {
                continue;
            }
            let moves = op.args().map(|a| a.is_some_and(|a| self.varies[a]));
            let (before, rest) = t.split_at_mut(i);
            op.tangent(&self.values, before, &self.values[i], &mut rest[0], moves);
        }
        t.swap_remove(root)
    }

    /// The parameters, in the order they were added.
    pub fn params(&self) -> Vec<Id> {
        (0..self.ops.len())
            .filter(|&i| self.ops[i] == Op::Param)
            .collect()
    }

    /// Bytes of the values a backward pass needs kept from the forward pass (everything but the parameters): the
    /// "memory issue" of reverse mode — it grows with the batch and the depth.
    pub fn stored_bytes(&self) -> usize {
        (0..self.ops.len())
            .filter(|&i| self.ops[i] != Op::Param)
            .map(|i| self.values[i].data.len() * std::mem::size_of::<f64>())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::random::SplitMix64;

    fn random(r: &mut SplitMix64, rows: usize, cols: usize) -> Matrix {
        Matrix::from_rows(
            rows,
            cols,
            (0..rows * cols).map(|_| r.uniform() * 2.0 - 1.0).collect(),
        )
    }

    /// A two-layer network with an L2 penalty: every operation appears.
    fn network(act: Activation, loss: Loss, r: &mut SplitMix64) -> (Tape, Id) {
        let mut t = Tape::default();
        let x = t.input(5, 3);
        let y = t.input(5, 1);
        let w1 = t.param(random(r, 4, 3));
        let b1 = t.param(random(r, 1, 4));
        let w2 = t.param(random(r, 1, 4));
        let b2 = t.param(random(r, 1, 1));
        let h = t.matmul_t(x, w1);
        let h = t.add_row(h, b1);
        let h = t.act(act, h);
        let s = t.matmul_t(h, w2);
        let s = t.add_row(s, b2);
        let l = t.loss(loss, s, y);
        let l = t.add_sum_sq(l, 0.01, w1);
        let xs = random(r, 5, 3);
        t.set(x, &xs.data);
        let ys: Vec<f64> = (0..5)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        t.set(y, &ys);
        t.forward();
        (t, l)
    }

    /// Every array operation's adjoint rule against its tangent rule (⟨∇L, v⟩ = L′·v, the dot-product test) and
    /// both against central differences, for each activation and loss.
    #[test]
    fn adjoints_agree_with_tangents_and_differences() {
        let mut r = SplitMix64::new(7);
        for act in Activation::ALL {
            for loss in Loss::ALL {
                let (mut t, l) = network(act, loss, &mut r);
                t.backward(l);
                let params = t.params();
                let dir: Vec<Matrix> = params
                    .iter()
                    .map(|&p| random(&mut r, t.value(p).rows, t.value(p).cols))
                    .collect();
                let reverse: f64 = params
                    .iter()
                    .zip(&dir)
                    .map(|(&p, d)| dot(&t.adjoint(p).data, &d.data))
                    .sum();
                let forward = t.jvp(l, &dir).data[0];
                assert!(
                    (reverse - forward).abs() <= 1e-12 * forward.abs().max(1.0),
                    "{act:?} {loss:?}: reverse {reverse}, forward {forward}"
                );
                let h = 1e-6;
                let at = |t: &mut Tape, s: f64| {
                    for (&p, d) in params.iter().zip(&dir) {
                        for (v, d) in t.value_mut(p).data.iter_mut().zip(&d.data) {
                            *v += s * d;
                        }
                    }
                    t.forward();
                    let v = t.value(l).data[0];
                    for (&p, d) in params.iter().zip(&dir) {
                        for (v, d) in t.value_mut(p).data.iter_mut().zip(&d.data) {
                            *v -= s * d;
                        }
                    }
                    v
                };
                let fd = (at(&mut t, h) - at(&mut t, -h)) / (2.0 * h);
                assert!(
                    (fd - forward).abs() <= 1e-6 * forward.abs().max(1.0),
                    "{act:?} {loss:?}: differences {fd}, forward {forward}"
                );
            }
        }
    }

    #[test]
    fn losses_and_activations() {
        assert_eq!(Loss::Hinge.value(0.5, 1.0), 0.5);
        assert_eq!(Loss::Hinge.derivative(2.0, 1.0), 0.0);
        assert_eq!(Loss::Logistic.value(0.0, 1.0), std::f64::consts::LN_2);
        assert_eq!(Loss::Logistic.value(-1000.0, 1.0), 1000.0);
        assert_eq!(Loss::Squared.derivative(0.25, 1.0), -0.75);
        assert_eq!(Activation::Relu.derivative(0.0, 0.0), 0.0);
        assert_eq!(Activation::Relu.derivative(1e-300, 1e-300), 1.0);
        for a in Activation::ALL {
            assert_eq!(Activation::from_name(a.name()), Some(a));
        }
    }

    #[test]
    fn shapes_follow_the_batch() {
        let mut r = SplitMix64::new(1);
        let (mut t, l) = network(Activation::Tanh, Loss::Squared, &mut r);
        let before = t.stored_bytes();
        let (x, y) = (0, 1);
        t.set(x, &random(&mut r, 2, 3).data);
        t.set(y, &[1.0, -1.0]);
        t.forward();
        t.backward(l);
        assert_eq!(t.value(5 + 1).rows, 2);
        assert!(t.stored_bytes() < before);
        assert_eq!(t.adjoint(x).data.len(), 0, "inputs get no adjoint");
    }
}
