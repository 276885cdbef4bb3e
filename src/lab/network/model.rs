//! A multilayer perceptron as an array program: x₀ = X, x_{k+1} = σ(x_k W_kᵀ + b_k), scores s = x_K, the objective
//! C(θ) = mean ℓ(s, y) + λ Σ p². [`Mlp::graph`] builds it from the primitives of [`crate::base::aop`] — the very nodes
//! the chapter's numpy program ([`super::Trainer::numpy_program`]) traces to — and a [`Plan`] of the array engine
//! runs it at every step: no hand-written backprop, and no operation of its own.

use crate::ad::nd::Plan;
use crate::base::aop::{AOp, Reduction};
use crate::base::array::Array;
use crate::base::math;
use crate::base::op::{Binary, Unary};
use crate::lang::agraph::AGraph;
use crate::lang::graph::NodeId;

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

    /// σ′(z), given a = σ(z): the scalar engines' rules (tanh′ = 1/cosh² and relu′ = step, 0 at 0).
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

    /// ℓ(s, y) of one example, for ranking examples (the objective itself is the graph's).
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
}

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

    /// How many parameter arrays: W₁, b₁, W₂, b₂, …
    pub fn arrays(&self) -> usize {
        2 * (self.sizes.len() - 1)
    }
}

/// The objective's graph for a batch of one size, run by a [`Plan`]. Its inputs are the parameters (W₁, b₁, W₂, …,
/// each W_k of shape n_{k+1} × n_k as the lecture's W x), then the batch X (B × n₀) and the labels y (B).
#[derive(Clone, Debug)]
pub struct Net {
    pub batch: usize,
    pub plan: Plan,
    pub nodes: Nodes,
}

/// The nodes of [`Mlp::graph`] the chapter reads.
#[derive(Clone, Debug)]
pub struct Nodes {
    /// Each layer's pre-activation and activation (the same node for a linear layer).
    pub layers: Vec<(NodeId, NodeId)>,
    pub scores: NodeId,
    pub data_loss: NodeId,
    /// The objective (data loss plus penalty).
    pub total: NodeId,
}

/// The network: its parameters live in the [`Net`] of the batch size last used; another batch size gets its own
/// graph (a numpy program traced at other shapes) and the parameters are handed over.
#[derive(Clone, Debug)]
pub struct Mlp {
    spec: Spec,
    nets: Vec<Net>,
    current: usize,
}

impl Mlp {
    /// The objective as array operations, in the order and with the constants of the chapter's numpy program:
    /// `h = np.tanh(X @ W1.T + b1)` …, `s = s[:, 0]`, `c = np.mean(…)`, `c = c + λ * np.sum(W1 ** 2)` ….
    pub fn graph(spec: &Spec, params: &[Array], batch: usize) -> Result<(AGraph, Nodes), String> {
        let mut g = AGraph::default();
        let ids: Vec<NodeId> = params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let name = format!("{}{}", if i % 2 == 0 { "W" } else { "b" }, i / 2 + 1);
                g.add_input(&name, p.clone())
            })
            .collect();
        let x = g.add_input("X", Array::zeros(&[batch, spec.sizes[0]]));
        let y = g.add_input("y", Array::zeros(&[batch]));
        let number = |g: &mut AGraph, v: f64| g.add_const(Array::scalar(v));
        let mut layers = Vec::new();
        let mut cur = x;
        let last = spec.sizes.len() - 2;
        for k in 0..=last {
            let wt = g.add(AOp::Transpose, &[ids[2 * k]])?;
            let z = g.add(AOp::MatMul, &[cur, wt])?;
            let z = g.add(AOp::Zip(Binary::Add), &[z, ids[2 * k + 1]])?;
            let a = match if k == last { spec.output } else { spec.hidden } {
                Activation::Relu => {
                    let zero = number(&mut g, 0.0);
                    g.add(AOp::Zip(Binary::Max), &[z, zero])?
                }
                Activation::Tanh => g.add(AOp::Map(Unary::Tanh), &[z])?,
                Activation::Sigmoid => {
                    let m = g.add(AOp::Map(Unary::Neg), &[z])?;
                    let e = g.add(AOp::Map(Unary::Exp), &[m])?;
                    let one = number(&mut g, 1.0);
                    let d = g.add(AOp::Zip(Binary::Add), &[one, e])?;
                    let one = number(&mut g, 1.0);
                    g.add(AOp::Zip(Binary::Div), &[one, d])?
                }
                Activation::Identity => z,
            };
            layers.push((z, a));
            cur = a;
        }
        let s = g.add(
            AOp::Take {
                index: (0..batch).collect(),
                shape: vec![batch],
            },
            &[cur],
        )?;
        let per = match spec.loss {
            Loss::Hinge => {
                let ys = g.add(AOp::Zip(Binary::Mul), &[y, s])?;
                let one = number(&mut g, 1.0);
                let m = g.add(AOp::Zip(Binary::Sub), &[one, ys])?;
                let zero = number(&mut g, 0.0);
                g.add(AOp::Zip(Binary::Max), &[m, zero])?
            }
            Loss::Logistic => {
                let ny = g.add(AOp::Map(Unary::Neg), &[y])?;
                let m = g.add(AOp::Zip(Binary::Mul), &[ny, s])?;
                let zero = number(&mut g, 0.0);
                let pos = g.add(AOp::Zip(Binary::Max), &[m, zero])?;
                let a = g.add(AOp::Map(Unary::Abs), &[m])?;
                let na = g.add(AOp::Map(Unary::Neg), &[a])?;
                let e = g.add(AOp::Map(Unary::Exp), &[na])?;
                let one = number(&mut g, 1.0);
                let d = g.add(AOp::Zip(Binary::Add), &[one, e])?;
                let l = g.add(AOp::Map(Unary::Log), &[d])?;
                g.add(AOp::Zip(Binary::Add), &[pos, l])?
            }
            Loss::Squared => {
                let d = g.add(AOp::Zip(Binary::Sub), &[s, y])?;
                let two = number(&mut g, 2.0);
                let sq = g.add(AOp::Zip(Binary::Pow), &[d, two])?;
                let half = number(&mut g, 0.5);
                g.add(AOp::Zip(Binary::Mul), &[half, sq])?
            }
        };
        let sum = g.add(AOp::Reduce(Reduction::Sum, None), &[per])?;
        let n = number(&mut g, batch as f64);
        let data_loss = g.add(AOp::Zip(Binary::Div), &[sum, n])?;
        let mut total = data_loss;
        if spec.l2 != 0.0 {
            for &p in &ids {
                let two = number(&mut g, 2.0);
                let sq = g.add(AOp::Zip(Binary::Pow), &[p, two])?;
                let sum = g.add(AOp::Reduce(Reduction::Sum, None), &[sq])?;
                let l2 = number(&mut g, spec.l2);
                let pen = g.add(AOp::Zip(Binary::Mul), &[l2, sum])?;
                total = g.add(AOp::Zip(Binary::Add), &[total, pen])?;
            }
        }
        g.outputs.push(total);
        let nodes = Nodes {
            layers,
            scores: s,
            data_loss,
            total,
        };
        Ok((g, nodes))
    }

    /// [`Mlp::graph`] ready to run.
    fn net(spec: &Spec, params: &[Array], batch: usize) -> Net {
        let (g, nodes) = Self::graph(spec, params, batch)
            .unwrap_or_else(|e| unreachable!("a network's shapes always match: {e}"));
        // Reverse mode for the parameters only: the data's cotangents are never read.
        let mut wrt = vec![true; params.len()];
        wrt.extend([false, false]);
        let plan = Plan::new(g, &wrt)
            .unwrap_or_else(|e| unreachable!("a network has no operation that fails: {e}"));
        Net { batch, plan, nodes }
    }

    /// The network with weights from `weight()` (layer by layer, neuron by neuron, input by input) and every bias
    /// `bias`.
    pub fn new(spec: &Spec, mut weight: impl FnMut() -> f64, bias: f64) -> Mlp {
        let mut params = Vec::new();
        for w in spec.sizes.windows(2) {
            let (n, m) = (w[0], w[1]);
            params.push(Array::new(
                vec![m, n],
                (0..m * n).map(|_| weight()).collect(),
            ));
            params.push(Array::full(&[m], bias));
        }
        let net = Self::net(spec, &params, 1);
        Mlp {
            spec: spec.clone(),
            nets: vec![net],
            current: 0,
        }
    }

    /// The graph of the batch size last set, and what was computed on it.
    pub fn current(&self) -> &Net {
        &self.nets[self.current]
    }

    /// Parameter array `i` (W₁, b₁, W₂, …).
    pub fn param(&self, i: usize) -> &Array {
        let net = self.current();
        net.plan.value(net.plan.graph().inputs[i].node)
    }

    /// Switches to the graph of batch size `b` (built the first time), handing the parameters over.
    fn use_batch(&mut self, b: usize) {
        if self.current().batch == b {
            return;
        }
        let params: Vec<Array> = (0..self.spec.arrays())
            .map(|i| self.param(i).clone())
            .collect();
        let at = match self.nets.iter().position(|n| n.batch == b) {
            Some(at) => at,
            None => {
                let net = Self::net(&self.spec, &params, b);
                self.nets.push(net);
                self.nets.len() - 1
            }
        };
        self.current = at;
        let plan = &mut self.nets[at].plan;
        for (i, p) in params.iter().enumerate() {
            plan.input(i).copy_from_slice(&p.data);
        }
    }

    /// Sets a batch: `xs` row by row, `ys` one label per row.
    pub fn set_batch(&mut self, xs: &[f64], ys: &[f64]) {
        self.use_batch(ys.len());
        let k = self.spec.arrays();
        let plan = &mut self.nets[self.current].plan;
        plan.input(k).copy_from_slice(xs);
        plan.input(k + 1).copy_from_slice(ys);
    }

    /// The objective on the batch (and every value on the way).
    pub fn forward(&mut self) -> f64 {
        let net = &mut self.nets[self.current];
        // A network has no operation that can fail (no solve).
        match net.plan.forward() {
            Ok(()) => net.plan.value(net.nodes.total).data[0],
            Err(_) => f64::NAN,
        }
    }

    /// ∇ of the objective, into every parameter's cotangent.
    pub fn backward(&mut self) {
        let net = &mut self.nets[self.current];
        net.plan.backward(net.nodes.total, &[1.0]);
    }

    /// The data loss's sweep back (no penalty), for following one example's adjoints layer by layer.
    pub fn backward_data(&mut self) {
        let net = &mut self.nets[self.current];
        net.plan.backward(net.nodes.data_loss, &[1.0]);
    }

    /// A node's value after the last forward sweep.
    pub fn value(&self, node: NodeId) -> &[f64] {
        &self.current().plan.value(node).data
    }

    /// A node's cotangent after the last reverse sweep (empty if the sweep did not reach it).
    pub fn adjoint(&self, node: NodeId) -> &[f64] {
        self.current().plan.adjoint(node).unwrap_or(&[])
    }

    /// p ← p − lr·∂C/∂p for every parameter.
    pub fn descend(&mut self, lr: f64) {
        let plan = &mut self.nets[self.current].plan;
        for i in 0..self.spec.arrays() {
            let (p, g) = plan.input_and_gradient(i);
            for (v, g) in p.iter_mut().zip(g) {
                *v -= lr * g;
            }
        }
    }

    /// Examples of the batch whose score has the label's sign (a score > 0 predicts +1).
    pub fn correct(&self) -> usize {
        let net = self.current();
        let y = net.plan.graph().inputs[self.spec.arrays() + 1].node;
        self.value(net.nodes.scores)
            .iter()
            .zip(self.value(y))
            .filter(|(s, y)| (**s > 0.0) == (**y > 0.0))
            .count()
    }

    /// The gradient, parameter by parameter, flattened.
    pub fn gradient(&self) -> Vec<f64> {
        (0..self.spec.arrays())
            .flat_map(|i| self.current().plan.gradient(i).iter().copied())
            .collect()
    }

    /// The parameters, flattened in the same order.
    pub fn flat(&self) -> Vec<f64> {
        (0..self.spec.arrays())
            .flat_map(|i| self.param(i).data.iter().copied())
            .collect()
    }

    /// Sets the parameters from a flat list (as [`Mlp::flat`] gives them).
    pub fn set_flat(&mut self, flat: &[f64]) {
        let plan = &mut self.nets[self.current].plan;
        let mut at = 0;
        for i in 0..self.spec.arrays() {
            let p = plan.input(i);
            let n = p.len();
            p.copy_from_slice(&flat[at..at + n]);
            at += n;
        }
    }

    /// Bytes reverse mode keeps from a forward pass over a batch of `b` examples for the backward pass: what each
    /// primitive's VJP reads ([`AOp::costs`]).
    pub fn stored_bytes(&self, b: usize) -> usize {
        let params: Vec<Array> = (0..self.spec.arrays())
            .map(|i| Array::zeros(&self.param(i).shape))
            .collect();
        let Ok((g, _)) = Self::graph(&self.spec, &params, b) else {
            return 0;
        };
        let live = crate::ad::nd::live(&g);
        g.nodes
            .iter()
            .enumerate()
            .filter_map(|(k, n)| match &n.op {
                crate::lang::agraph::AOpNode::Prim(op, args) if live[k] => {
                    let shapes: Vec<&[usize]> = args
                        .iter()
                        .map(|p| g.nodes[p.index()].shape.as_slice())
                        .collect();
                    Some(op.costs(&shapes).kept as usize)
                }
                _ => None,
            })
            .sum()
    }

    /// Copies another network's parameters (same shape).
    pub fn copy_params(&mut self, other: &Mlp) {
        let plan = &mut self.nets[self.current].plan;
        for i in 0..self.spec.arrays() {
            plan.input(i).copy_from_slice(&other.param(i).data);
        }
    }
}
