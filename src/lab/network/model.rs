//! A multilayer perceptron written once over the array tape: x₀ = x, x_{k+1} = σ(W_k x_k + b_k), a score s = x_K,
//! the loss C(θ) = mean ℓ(s, y) + λ Σ p². No hand-written backprop: the tape's reverse sweep gives ∇C.

use crate::ad::array::{Activation, Id, Loss, Matrix, Tape};

/// The network's shape and objective.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Input features, hidden layers, one output: `[2, 16, 16, 1]`.
    pub sizes: Vec<usize>,
    pub hidden: Activation,
    pub output: Activation,
    pub loss: Loss,
    /// λ of the penalty λ Σ p² over every parameter (weights and biases).
    pub l2: f64,
}

impl Spec {
    pub fn parameters(&self) -> usize {
        self.sizes.windows(2).map(|w| w[1] * (w[0] + 1)).sum()
    }
}

/// The network on a tape: data in, loss out.
#[derive(Clone, Debug)]
pub struct Mlp {
    pub tape: Tape,
    pub x: Id,
    pub y: Id,
    /// W₀, b₀, W₁, b₁, … (each W_k is n_{k+1} × n_k, as the lecture's W x).
    pub params: Vec<Id>,
    /// Each layer's pre-activation and activation.
    pub layers: Vec<(Id, Id)>,
    pub scores: Id,
    pub data_loss: Id,
    /// The objective (data loss plus penalty).
    pub total: Id,
}

impl Mlp {
    /// The network with weights from `weight()` (layer by layer, neuron by neuron, input by input) and every bias
    /// `bias`.
    pub fn new(spec: &Spec, mut weight: impl FnMut() -> f64, bias: f64) -> Mlp {
        let mut t = Tape::default();
        let x = t.input(1, spec.sizes[0]);
        let y = t.input(1, 1);
        let mut params = Vec::new();
        let mut layers = Vec::new();
        let mut cur = x;
        let last = spec.sizes.len() - 2;
        for (k, w) in spec.sizes.windows(2).enumerate() {
            let (n, m) = (w[0], w[1]);
            let wk = t.param(Matrix::from_rows(
                m,
                n,
                (0..m * n).map(|_| weight()).collect(),
            ));
            let bk = t.param(Matrix::from_rows(1, m, vec![bias; m]));
            params.extend([wk, bk]);
            let z = t.matmul_t(cur, wk);
            let z = t.add_row(z, bk);
            let f = if k == last { spec.output } else { spec.hidden };
            let a = if f == Activation::Identity {
                z
            } else {
                t.act(f, z)
            };
            layers.push((z, a));
            cur = a;
        }
        let data_loss = t.loss(spec.loss, cur, y);
        let mut total = data_loss;
        if spec.l2 != 0.0 {
            for &p in &params {
                total = t.add_sum_sq(total, spec.l2, p);
            }
        }
        Mlp {
            tape: t,
            x,
            y,
            params,
            layers,
            scores: cur,
            data_loss,
            total,
        }
    }

    /// Sets a batch: `xs` row by row, `ys` one label per row.
    pub fn set_batch(&mut self, xs: &[f64], ys: &[f64]) {
        self.tape.set(self.x, xs);
        self.tape.set(self.y, ys);
    }

    /// The objective on the batch (and every value on the way).
    pub fn forward(&mut self) -> f64 {
        self.tape.forward();
        self.tape.value(self.total).data[0]
    }

    /// ∇ of the objective, into every parameter's adjoint.
    pub fn backward(&mut self) {
        self.tape.backward(self.total);
    }

    /// p ← p − lr·∂C/∂p for every parameter.
    pub fn descend(&mut self, lr: f64) {
        for &p in &self.params {
            let g = std::mem::take(&mut self.tape.adjoint_mut(p).data);
            for (v, g) in self.tape.value_mut(p).data.iter_mut().zip(&g) {
                *v -= lr * g;
            }
            self.tape.adjoint_mut(p).data = g;
        }
    }

    /// Examples of the batch whose score has the label's sign (a score > 0 predicts +1).
    pub fn correct(&self) -> usize {
        let (s, y) = (self.tape.value(self.scores), self.tape.value(self.y));
        s.data
            .iter()
            .zip(&y.data)
            .filter(|(s, y)| (**s > 0.0) == (**y > 0.0))
            .count()
    }

    /// The gradient, parameter by parameter, flattened.
    pub fn gradient(&self) -> Vec<f64> {
        self.params
            .iter()
            .flat_map(|&p| self.tape.adjoint(p).data.iter().copied())
            .collect()
    }

    /// The parameters, flattened in the same order.
    pub fn flat(&self) -> Vec<f64> {
        self.params
            .iter()
            .flat_map(|&p| self.tape.value(p).data.iter().copied())
            .collect()
    }

    /// Sets the parameters from a flat list (as [`Mlp::flat`] gives them).
    pub fn set_flat(&mut self, flat: &[f64]) {
        let mut at = 0;
        for &p in &self.params {
            let m = self.tape.value_mut(p);
            let n = m.data.len();
            m.data.copy_from_slice(&flat[at..at + n]);
            at += n;
        }
    }

    /// Bytes the tape keeps from a forward pass over a batch of `b` examples for the backward pass: every value but
    /// the parameters (inputs, pre-activations, activations, scores, losses).
    pub fn stored_bytes(&self, b: usize) -> usize {
        use crate::ad::array::Op;
        self.tape
            .ops()
            .iter()
            .enumerate()
            .map(|(i, op)| match op {
                Op::Param => 0,
                Op::Loss(..) | Op::AddSumSq(..) => 1,
                Op::Input | Op::MatMulT(..) | Op::AddRow(..) | Op::Act(..) => {
                    b * self.tape.value(i).cols
                }
            })
            .sum::<usize>()
            * std::mem::size_of::<f64>()
    }

    /// Copies another network's parameters (same shape).
    pub fn copy_params(&mut self, other: &Mlp) {
        for (&p, &q) in self.params.iter().zip(&other.params) {
            let (src, dst) = (other.tape.value(q), self.tape.value_mut(p));
            dst.data.copy_from_slice(&src.data);
        }
    }
}
