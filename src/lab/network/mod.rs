//! Example 1 of the lecture: a neural network trained by stochastic gradients, ∇C(θ) by reverse mode over the array
//! tape. The chapter's state is its settings and an epoch count; the [`Trainer`] recomputes everything else from them
//! deterministically, so a link with `epoch=k` retrains to the same numbers, bit for bit.

pub mod bench;
pub mod data;
pub mod model;

use super::field::{whole_in, Field};
use super::ChapterModel;
use crate::base::num::{fmt_count, fmt_full, parse_f64};
use crate::base::random::SplitMix64;
use crate::base::url::Location;
use data::{moons, Dataset, Points};
pub use model::{Activation, Loss};
use model::{Mlp, Spec};

/// At most this many hidden layers, of at most this many neurons, and this many parameters.
pub const MAX_LAYERS: usize = 8;
pub const MAX_WIDTH: usize = 256;
pub const MAX_PARAMS: usize = 20_000;
/// Retraining to an epoch costs [`Settings::epoch_work`] per epoch; the epoch count is bounded so that it stays
/// within this (one unit: one example through one parameter, forward and backward; 5·10⁸ are about two seconds in
/// the browser, which replays them a frame's worth at a time).
pub const MAX_WORK: f64 = 5e8;
/// The fixed cost of one optimiser step (the batch set up, the tape's layers, the update's loop), in the same units:
/// measured natively at ≈ 4 µs a step whatever the layers, and one unit is ≈ 2 ns.
const STEP_WORK: f64 = 2000.0;

/// micrograd's demo, made exactly reproducible; or the user's own settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    Micrograd,
    Custom,
}

/// Everything training depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub preset: Preset,
    pub dataset: Dataset,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub loss: Loss,
    pub lr: f64,
    pub batch: usize,
    pub l2: f64,
    pub seed: u64,
}

impl Settings {
    pub fn micrograd() -> Settings {
        Settings {
            preset: Preset::Micrograd,
            dataset: Dataset::Moons,
            hidden: vec![16, 16],
            activation: Activation::Relu,
            loss: Loss::Hinge,
            lr: 1.0,
            batch: 100,
            l2: 1e-4,
            seed: 42,
        }
    }

    pub fn spec(&self) -> Spec {
        let mut sizes = vec![2];
        sizes.extend(&self.hidden);
        sizes.push(1);
        Spec {
            sizes,
            hidden: self.activation,
            output: Activation::Identity,
            loss: self.loss,
            l2: self.l2,
        }
    }

    /// Training points (micrograd: its 100; otherwise half of 500, shuffled).
    pub fn train_size(&self) -> usize {
        match self.preset {
            Preset::Micrograd => 100,
            Preset::Custom => 250,
        }
    }

    /// The learning rate of step k: micrograd's 1 − 0.9·k/100, or the constant.
    pub fn lr_at(&self, step: usize) -> f64 {
        match self.preset {
            Preset::Micrograd => 1.0 - 0.9 * step as f64 / 100.0,
            Preset::Custom => self.lr,
        }
    }

    /// The last epoch training may reach: micrograd's 100 steps; otherwise what [`MAX_WORK`] allows.
    pub fn max_epoch(&self) -> usize {
        match self.preset {
            Preset::Micrograd => 100,
            Preset::Custom => ((MAX_WORK / self.epoch_work()) as usize).clamp(100, 20_000),
        }
    }

    /// What one epoch costs: every example through every parameter, and each step's fixed cost and update (at batch
    /// 1 the steps dominate: 250 updates of every parameter an epoch).
    pub fn epoch_work(&self) -> f64 {
        let n = self.train_size().max(1);
        let p = self.spec().parameters() as f64;
        let steps = n.div_ceil(self.batch.clamp(1, n)) as f64;
        n as f64 * p + steps * (STEP_WORK + 1.5 * p)
    }
}

/// One epoch's record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochStats {
    /// Mean of the objective over the epoch's forward passes, and the fraction classified right in them.
    pub loss: f64,
    pub accuracy: f64,
    /// On the held-out points after the epoch (NaN without them).
    pub test_loss: f64,
    pub test_accuracy: f64,
}

/// The network being trained, its data, and what training has recorded.
#[derive(Clone, Debug)]
pub struct Trainer {
    pub settings: Settings,
    pub mlp: Mlp,
    pub train: Points,
    pub test: Points,
    pub epoch: usize,
    pub step: usize,
    /// The objective and accuracy of the last step's forward pass (before its update).
    pub last: Option<(f64, f64)>,
    pub history: Vec<EpochStats>,
    /// A copy of the network for evaluating other points (the test set, the plot's grid).
    eval: Option<Mlp>,
}

impl Trainer {
    /// Data first, then the weights (2u − 1, layer by layer, neuron by neuron, input by input), from one seeded
    /// generator; biases 0.
    pub fn new(settings: &Settings) -> Trainer {
        let mut r = SplitMix64::new(settings.seed);
        let (train, test) = match settings.preset {
            Preset::Micrograd => (moons(100, 0.1, &mut r), Points::default()),
            Preset::Custom => {
                let all = settings.dataset.generate(500, &mut r).shuffled(&mut r);
                (all.slice(0..250), all.slice(250..500))
            }
        };
        let mlp = Mlp::new(&settings.spec(), || 2.0 * r.uniform() - 1.0, 0.0);
        Trainer {
            settings: settings.clone(),
            mlp,
            train,
            test,
            epoch: 0,
            step: 0,
            last: None,
            history: Vec::new(),
            eval: None,
        }
    }

    fn batch(&self) -> usize {
        self.settings.batch.clamp(1, self.train.len().max(1))
    }

    /// One pass over the training points in batches: forward, backward, update, for each.
    pub fn train_epoch(&mut self) {
        let (n, b) = (self.train.len(), self.batch());
        let (mut loss_sum, mut correct, mut passes) = (0.0, 0, 0);
        let mut start = 0;
        while start < n {
            let end = (start + b).min(n);
            self.mlp.set_batch(
                &self.train.xs[2 * start..2 * end],
                &self.train.ys[start..end],
            );
            let loss = self.mlp.forward();
            let right = self.mlp.correct();
            self.last = Some((loss, right as f64 / (end - start) as f64));
            loss_sum += loss;
            correct += right;
            passes += 1;
            self.mlp.backward();
            self.mlp.descend(self.settings.lr_at(self.step));
            self.step += 1;
            start = end;
        }
        self.epoch += 1;
        let (test_loss, test_accuracy) = if self.test.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            let test = self.test.clone();
            self.evaluate(&test)
        };
        self.history.push(EpochStats {
            loss: loss_sum / passes.max(1) as f64,
            accuracy: correct as f64 / n.max(1) as f64,
            test_loss,
            test_accuracy,
        });
    }

    /// Trains towards `epoch` (at most the settings' last epoch) while `more()` says so, at least one epoch; returns
    /// whether it got there. The page replays a long link this way, a frame's worth at a time.
    pub fn train_until(&mut self, epoch: usize, mut more: impl FnMut() -> bool) -> bool {
        let target = epoch.min(self.settings.max_epoch());
        let mut first = true;
        while self.epoch < target && (first || more()) {
            self.train_epoch();
            first = false;
        }
        self.epoch >= target
    }

    /// Trains until `epoch` (at most the settings' last epoch).
    pub fn train_to(&mut self, epoch: usize) {
        self.train_until(epoch, || true);
    }

    fn eval_net(&mut self) -> &mut Mlp {
        let eval = self.eval.get_or_insert_with(|| self.mlp.clone());
        eval.copy_params(&self.mlp);
        eval
    }

    /// The data loss (no penalty) and accuracy of the current network on `points`.
    pub fn evaluate(&mut self, points: &Points) -> (f64, f64) {
        let net = self.eval_net();
        net.set_batch(&points.xs, &points.ys);
        net.forward();
        let loss = net.value(net.current().nodes.data_loss)[0];
        (loss, net.correct() as f64 / points.len().max(1) as f64)
    }

    /// Scores of the current network at points given row by row (x, y).
    pub fn scores(&mut self, xs: &[f64]) -> Vec<f64> {
        let net = self.eval_net();
        let zeros = vec![0.0; xs.len() / 2];
        net.set_batch(xs, &zeros);
        net.forward();
        net.value(net.current().nodes.scores).to_vec()
    }

    /// The full-batch objective and its gradient at the current parameters.
    pub fn full_gradient(&mut self) -> (f64, Vec<f64>) {
        let train = self.train.clone();
        let net = self.eval_net();
        net.set_batch(&train.xs, &train.ys);
        let loss = net.forward();
        net.backward();
        (loss, net.gradient())
    }
}

/// What the decision-boundary figure shows: the score on a grid over the data's square, and the points.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub domain: ((f64, f64), (f64, f64)),
    /// `grid × grid` scores, row by row from the top (largest y), each row from the left.
    pub grid: usize,
    pub scores: Vec<f64>,
    pub train: Points,
    pub test: Points,
}

impl Trainer {
    /// The current network's scores on a `grid × grid` lattice over the data's square (cell centres).
    pub fn boundary(&mut self, grid: usize) -> Boundary {
        let mut all = self.train.clone();
        all.xs.extend(&self.test.xs);
        all.ys.extend(&self.test.ys);
        let domain = all.domain();
        let ((x0, x1), (y0, y1)) = domain;
        let mut xs = Vec::with_capacity(2 * grid * grid);
        for r in 0..grid {
            let y = y1 - (r as f64 + 0.5) / grid as f64 * (y1 - y0);
            for c in 0..grid {
                xs.extend([x0 + (c as f64 + 0.5) / grid as f64 * (x1 - x0), y]);
            }
        }
        Boundary {
            domain,
            grid,
            scores: self.scores(&xs),
            train: self.train.clone(),
            test: self.test.clone(),
        }
    }
}

/// One example through the network: the input, each layer's activations on the way forward and their adjoints
/// ∂ℓ/∂x_k on the way back.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub example: usize,
    pub input: (f64, f64, f64),
    /// (activations x_k, adjoints ∂ℓ/∂x_k) for k = 1…K (the last is the score).
    pub layers: Vec<(Vec<f64>, Vec<f64>)>,
    pub loss: f64,
}

impl Trainer {
    /// The training example with the largest loss now (the one whose sweep has the most to show); when every loss is
    /// 0, the one nearest the margin.
    pub fn worst(&mut self) -> usize {
        let train = self.train.clone();
        let loss = self.settings.loss;
        let s = self.scores(&train.xs);
        let worst = (0..train.len())
            .max_by(|&a, &b| {
                loss.value(s[a], train.ys[a])
                    .total_cmp(&loss.value(s[b], train.ys[b]))
            })
            .unwrap_or(0);
        if train.len() == 0 || loss.value(s[worst], train.ys[worst]) > 0.0 {
            return worst;
        }
        // Every loss is 0 (the hinge's flat side): the example nearest the margin y·s = 1.
        (0..train.len())
            .min_by(|&a, &b| (s[a] * train.ys[a]).total_cmp(&(s[b] * train.ys[b])))
            .unwrap_or(0)
    }

    /// The forward and backward sweep of example `i`'s loss ℓ(f_θ(xⁱ), yⁱ) (no penalty).
    pub fn sweep(&mut self, i: usize) -> Sweep {
        let i = i.min(self.train.len().saturating_sub(1));
        let (x, y, l) = self.train.point(i);
        let net = self.eval_net();
        net.set_batch(&[x, y], &[l]);
        net.forward();
        net.backward_data();
        let nodes = &net.current().nodes;
        let layers = nodes
            .layers
            .iter()
            .map(|&(_, a)| (net.value(a).to_vec(), net.adjoint(a).to_vec()))
            .collect();
        Sweep {
            example: i,
            input: (x, y, l),
            layers,
            loss: net.value(nodes.data_loss)[0],
        }
    }

    /// Example `i`'s loss as a scalar program in the lecture's Python: the same network, one elementary operation at
    /// a time, for the graph lab (the weights written as numbers, the example's coordinates as the inputs).
    pub fn program(&self, i: usize) -> String {
        let i = i.min(self.train.len().saturating_sub(1));
        let (x, y, l) = self.train.point(i);
        let (x, y, l) = (fmt_full(x), fmt_full(y), fmt_full(l));
        let spec = self.settings.spec();
        let mut out = format!(
            "def f(x1={x}, x2={y}):\n  # example {i} (label {l}) through the {} network\n",
            spec.sizes
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("-")
        );
        let mut names: Vec<String> = vec!["x1".into(), "x2".into()];
        let last = spec.sizes.len() - 2;
        for k in 0..=last {
            let (w, b) = (self.mlp.param(2 * k), self.mlp.param(2 * k + 1));
            let f = if k == last { spec.output } else { spec.hidden };
            let mut next = Vec::new();
            let cols = w.shape[1];
            for j in 0..w.shape[0] {
                let mut z: Vec<String> = (0..cols)
                    .map(|c| format!("{}*{}", fmt_full(w.data[j * cols + c]), names[c]))
                    .collect();
                z.push(fmt_full(b.data[j]));
                let z = z.join(" + ");
                let name = if k == last {
                    "s".to_string()
                } else {
                    format!("h{}_{}", k + 1, j + 1)
                };
                let value = match f {
                    Activation::Relu => format!("relu({z})"),
                    Activation::Tanh => format!("tanh({z})"),
                    Activation::Sigmoid => format!("1 / (1 + exp(-({z})))"),
                    Activation::Identity => z,
                };
                out.push_str(&format!("  {name} = {value}\n"));
                next.push(name);
            }
            names = next;
        }
        out.push_str(&match spec.loss {
            Loss::Hinge => format!("  return relu(1 - {l}*s)\n"),
            Loss::Logistic => format!("  return log(1 + exp(-{l}*s))\n"),
            Loss::Squared => format!("  return 0.5*(s - {l})**2\n"),
        });
        out
    }
}

impl Trainer {
    /// The whole objective as the lecture would write it with numpy and autograd: the training data before the
    /// function, the current weights as its parameters' defaults, one line per layer. The graph lab draws it as a
    /// dozen array operations and `#/grad` differentiates it: the same numbers as the tape's.
    pub fn numpy_program(&self) -> String {
        let spec = self.settings.spec();
        let literal = |rows: usize, cols: usize, data: &[f64]| {
            crate::base::array::fmt_literal(&crate::base::array::Array::new(
                if rows == 0 {
                    vec![cols]
                } else {
                    vec![rows, cols]
                },
                data.to_vec(),
            ))
        };
        let fmt = crate::base::array::fmt_literal;
        let sizes: Vec<String> = spec.sizes.iter().map(|n| n.to_string()).collect();
        let mut out = format!(
            "import autograd.numpy as np\nfrom autograd import grad\n\n# the {} network's training data: {} points \
             and their labels\nX = np.array({})\ny = np.array({})\n\n",
            sizes.join("-"),
            self.train.len(),
            literal(self.train.len(), spec.sizes[0], &self.train.xs),
            literal(0, self.train.len(), &self.train.ys),
        );
        let mut params = Vec::new();
        for k in 0..spec.sizes.len() - 1 {
            let (w, b) = (self.mlp.param(2 * k), self.mlp.param(2 * k + 1));
            params.push(format!("W{}=np.array({})", k + 1, fmt(w)));
            params.push(format!("b{}=np.array({})", k + 1, fmt(b)));
        }
        out += &format!("def loss({}):\n", params.join(", "));
        let last = spec.sizes.len() - 2;
        let mut cur = "X".to_string();
        for k in 0..=last {
            let z = format!("{cur} @ W{0}.T + b{0}", k + 1);
            let f = if k == last { spec.output } else { spec.hidden };
            let a = match f {
                Activation::Relu => format!("np.maximum({z}, 0)"),
                Activation::Tanh => format!("np.tanh({z})"),
                Activation::Sigmoid => format!("1 / (1 + np.exp(-({z})))"),
                Activation::Identity => z,
            };
            let name = if k == last {
                "s".to_string()
            } else {
                format!("h{}", k + 1)
            };
            out += &format!("  {name} = {a}\n");
            cur = name;
        }
        out += "  s = s[:, 0]\n";
        out += &match spec.loss {
            Loss::Hinge => "  c = np.mean(np.maximum(1 - y * s, 0))\n".to_string(),
            // log(1 + e^m), m = −y·s, as the tape computes it: without overflow.
            Loss::Logistic => {
                "  m = -y * s\n  c = np.mean(np.maximum(m, 0) + np.log(1 + np.exp(-np.abs(m))))\n"
                    .to_string()
            }
            Loss::Squared => "  c = np.mean(0.5 * (s - y) ** 2)\n".to_string(),
        };
        if spec.l2 != 0.0 {
            for k in 1..=last + 1 {
                for p in ["W", "b"] {
                    out += &format!("  c = c + {} * np.sum({p}{k} ** 2)\n", fmt_full(spec.l2));
                }
            }
        }
        out += "  return c\n\ng = grad(loss)\n";
        out
    }
}

/// The gradient check: for a few parameters, the tape's ∂C/∂p against forward mode (a JVP along e_p) and against
/// central differences of the full-batch objective.
#[derive(Clone, Debug, PartialEq)]
pub struct GradCheck {
    /// (parameter index, reverse mode, forward mode, central difference).
    pub rows: Vec<(usize, f64, f64, f64)>,
    /// max |reverse − difference| / max(|reverse|, |difference|, 10⁻⁸).
    pub max_rel: f64,
    pub max_rel_forward: f64,
}

pub fn grad_check(t: &mut Trainer, count: usize) -> GradCheck {
    let (_, grad) = t.full_gradient();
    let theta = t.mlp.flat();
    let n = theta.len();
    let train = t.train.clone();
    let mut net = t.mlp.clone();
    net.set_batch(&train.xs, &train.ys);
    let picks: Vec<usize> = (0..count.min(n))
        .map(|k| k * n / count.min(n).max(1))
        .collect();
    let mut rows = Vec::new();
    for &i in &picks {
        let h = 1e-6 * theta[i].abs().max(1.0);
        let mut at = |v: f64| {
            let mut th = theta.clone();
            th[i] = v;
            net.set_flat(&th);
            net.forward()
        };
        let fd = (at(theta[i] + h) - at(theta[i] - h)) / (2.0 * h);
        net.set_flat(&theta);
        net.forward();
        // Forward mode: every input's tangent zero but parameter i's (the data's too).
        let plan = &net.current().plan;
        let mut left = i;
        let direction: Vec<crate::base::array::Array> = plan
            .graph()
            .inputs
            .iter()
            .map(|input| {
                let mut d = crate::base::array::Array::zeros(&input.value.shape);
                if left < d.data.len() {
                    d.data[left] = 1.0;
                    left = usize::MAX;
                } else if left != usize::MAX {
                    left -= d.data.len();
                }
                d
            })
            .collect();
        let tangents = crate::ad::nd::node_tangents(plan.graph(), plan.values(), &direction);
        let fwd = tangents[net.current().nodes.total.index()].data[0];
        rows.push((i, grad[i], fwd, fd));
    }
    let rel = |a: f64, b: f64| (a - b).abs() / a.abs().max(b.abs()).max(1e-8);
    GradCheck {
        max_rel: rows.iter().map(|r| rel(r.1, r.3)).fold(0.0, f64::max),
        max_rel_forward: rows.iter().map(|r| rel(r.1, r.2)).fold(0.0, f64::max),
        rows,
    }
}

// ----- the chapter's state -----

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkState {
    pub preset: Preset,
    pub dataset: Dataset,
    pub layers: Field<Vec<usize>>,
    pub activation: Activation,
    pub loss: Loss,
    pub lr: Field<f64>,
    pub batch: Field<usize>,
    pub l2: Field<f64>,
    pub seed: Field<u64>,
    pub epoch: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NetworkAction {
    Preset(Preset),
    Dataset(Dataset),
    Layers(String),
    Activation(Activation),
    Loss(Loss),
    Lr(String),
    Batch(String),
    L2(String),
    Seed(String),
    /// Epochs trained (by play or step).
    Advance(usize),
    Reset,
}

pub fn check_layers(text: &str) -> Result<Vec<usize>, String> {
    let parts: Vec<&str> = text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > MAX_LAYERS {
        return Err(format!(
            "{} hidden layers: AD Lab trains at most {MAX_LAYERS}",
            fmt_count(parts.len() as u64)
        ));
    }
    let sizes = parts
        .iter()
        .map(|p| whole_in(p, 1, MAX_WIDTH as i64, "a layer").map(|n| n as usize))
        .collect::<Result<Vec<_>, _>>()?;
    let mut all = vec![2];
    all.extend(&sizes);
    all.push(1);
    let params: usize = all.windows(2).map(|w| w[1] * (w[0] + 1)).sum();
    if params > MAX_PARAMS {
        return Err(format!(
            "{} parameters: AD Lab trains networks of up to {} live",
            fmt_count(params as u64),
            fmt_count(MAX_PARAMS as u64)
        ));
    }
    Ok(sizes)
}

pub fn check_lr(text: &str) -> Result<f64, String> {
    match parse_f64(text) {
        Some(x) if x > 0.0 && x <= 100.0 => Ok(x),
        Some(x) if x.is_nan() => Err("the learning rate must be a number, e.g. 0.03".into()),
        Some(x) if x > 100.0 => Err("the learning rate is at most 100".into()),
        Some(_) => Err("the learning rate must be positive".into()),
        None => Err("the learning rate must be a number, e.g. 0.03".into()),
    }
}

pub fn check_batch(text: &str) -> Result<usize, String> {
    whole_in(text, 1, 1000, "the batch size").map(|n| n as usize)
}

pub fn check_l2(text: &str) -> Result<f64, String> {
    match parse_f64(text) {
        Some(x) if (0.0..=10.0).contains(&x) => Ok(x),
        Some(x) if x > 10.0 => Err("λ is at most 10".into()),
        _ => Err("λ must be a number from 0 to 10, e.g. 0.0001".into()),
    }
}

pub fn check_seed(text: &str) -> Result<u64, String> {
    whole_in(text, 0, i64::MAX, "the seed").map(|n| n as u64)
}

fn fmt_layers(v: &[usize]) -> String {
    v.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl NetworkState {
    pub fn micrograd() -> NetworkState {
        NetworkState::from_settings(&Settings::micrograd())
    }

    fn from_settings(s: &Settings) -> NetworkState {
        NetworkState {
            preset: s.preset,
            dataset: s.dataset,
            layers: Field::new(s.hidden.clone(), fmt_layers(&s.hidden)),
            activation: s.activation,
            loss: s.loss,
            lr: Field::new(s.lr, fmt_full(s.lr)),
            batch: Field::new(s.batch, s.batch.to_string()),
            l2: Field::new(s.l2, fmt_full(s.l2)),
            seed: Field::new(s.seed, s.seed.to_string()),
            epoch: 0,
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            preset: self.preset,
            dataset: self.dataset,
            hidden: self.layers.value.clone(),
            activation: self.activation,
            loss: self.loss,
            lr: self.lr.value,
            batch: self.batch.value,
            l2: self.l2.value,
            seed: self.seed.value,
        }
    }
}

impl Default for NetworkState {
    /// micrograd's recipe on the moons: the lecture's network, reproducible.
    fn default() -> NetworkState {
        NetworkState::micrograd()
    }
}

impl ChapterModel for NetworkState {
    type Action = NetworkAction;

    fn apply(&self, action: NetworkAction) -> NetworkState {
        let mut s = self.clone();
        let before = self.settings();
        match action {
            NetworkAction::Preset(Preset::Micrograd) => s = NetworkState::micrograd(),
            NetworkAction::Preset(Preset::Custom) => s.preset = Preset::Custom,
            NetworkAction::Dataset(d) => s.dataset = d,
            NetworkAction::Layers(t) => s.layers = self.layers.edit(t, check_layers),
            NetworkAction::Activation(a) => s.activation = a,
            NetworkAction::Loss(l) => s.loss = l,
            NetworkAction::Lr(t) => s.lr = self.lr.edit(t, check_lr),
            NetworkAction::Batch(t) => s.batch = self.batch.edit(t, check_batch),
            NetworkAction::L2(t) => s.l2 = self.l2.edit(t, check_l2),
            NetworkAction::Seed(t) => s.seed = self.seed.edit(t, check_seed),
            NetworkAction::Advance(k) => s.epoch = (s.epoch + k).min(before.max_epoch()),
            NetworkAction::Reset => s.epoch = 0,
        }
        // Any change of a setting leaves the recipe, and starts training again.
        let mut after = s.settings();
        if after.preset == Preset::Micrograd && after != Settings::micrograd() {
            s.preset = Preset::Custom;
            after.preset = Preset::Custom;
        }
        if after != before {
            s.epoch = 0;
        }
        s
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> NetworkState {
        let micro = loc.get("preset") == Some("micrograd");
        let mut s = if micro || loc.query.is_empty() {
            NetworkState::micrograd()
        } else {
            let mut s = NetworkState::micrograd();
            s.preset = Preset::Custom;
            s.dataset = Dataset::Circle;
            s.activation = Activation::Tanh;
            s.loss = Loss::Squared;
            s.layers = Field::new(vec![4, 2], "4, 2");
            s.lr = Field::new(0.03, "0.03");
            s.batch = Field::new(10, "10");
            s.l2 = Field::new(0.0, "0");
            s.seed = Field::new(1, "1");
            s
        };
        if let Some(p) = loc.get("preset") {
            if p != "micrograd" && p != "custom" {
                notices.push(format!("`preset={p}`: the preset is micrograd or custom"));
            }
        }
        if !micro {
            let pick = |key: &str, _: &mut Vec<String>| loc.get(key).map(str::to_string);
            if let Some(d) = pick("dataset", notices) {
                match Dataset::from_name(&d) {
                    Some(d) => s.dataset = d,
                    None => notices.push(format!(
                        "`dataset={d}`: the data sets are moons, circle, xor, spiral and blobs"
                    )),
                }
            }
            if let Some(a) = pick("act", notices) {
                match Activation::from_name(&a) {
                    Some(a) => s.activation = a,
                    None => notices.push(format!(
                        "`act={a}`: the activations are relu, tanh, sigmoid and linear"
                    )),
                }
            }
            if let Some(l) = pick("loss", notices) {
                match Loss::from_name(&l) {
                    Some(l) => s.loss = l,
                    None => notices.push(format!(
                        "`loss={l}`: the losses are hinge, logistic and squared"
                    )),
                }
            }
            s.layers = s.layers.from_link(loc, "layers", check_layers, notices);
            s.lr = s.lr.from_link(loc, "lr", check_lr, notices);
            s.batch = s.batch.from_link(loc, "batch", check_batch, notices);
            s.l2 = s.l2.from_link(loc, "l2", check_l2, notices);
            s.seed = s.seed.from_link(loc, "seed", check_seed, notices);
        }
        if let Some(e) = loc.get("epoch") {
            let max = s.settings().max_epoch();
            match e.parse::<usize>() {
                Ok(k) if k <= max => s.epoch = k,
                Ok(_) => {
                    notices.push(format!(
                        "`epoch={e}`: these settings train up to epoch {}; using it",
                        fmt_count(max as u64)
                    ));
                    s.epoch = max;
                }
                Err(_) => notices.push(format!("`epoch={e}`: not a whole number; using 0")),
            }
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if self.preset == Preset::Micrograd {
            q.push(("preset".into(), "micrograd".into()));
        } else {
            q.push(("preset".into(), "custom".into()));
            q.push(("dataset".into(), self.dataset.name().into()));
            q.push(("layers".into(), self.layers.text.clone()));
            q.push(("act".into(), self.activation.name().into()));
            q.push(("loss".into(), self.loss.name().into()));
            q.push(("lr".into(), self.lr.text.clone()));
            q.push(("batch".into(), self.batch.text.clone()));
            q.push(("l2".into(), self.l2.text.clone()));
            q.push(("seed".into(), self.seed.text.clone()));
        }
        q.push(("epoch".into(), self.epoch.to_string()));
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference recipe's step-0 numbers.
    #[test]
    fn micrograd_step_zero() {
        let mut t = Trainer::new(&Settings::micrograd());
        assert_eq!(t.mlp.flat().len(), 337);
        // The recipe states them to 15 significant digits.
        let sig15 = |x: f64| format!("{:.14e}", x);
        let (loss, grad) = t.full_gradient();
        assert_eq!(sig15(loss), sig15(1.71150260041876));
        let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        assert_eq!(sig15(norm), sig15(2.18610587223111));
        t.train_epoch();
        let (l, a) = t.last.unwrap();
        assert_eq!((l, a), (loss, 0.24));
    }

    /// Training is deterministic: the same settings give the same numbers to the bit, however the epochs are
    /// reached.
    #[test]
    fn training_is_deterministic() {
        let mut a = Trainer::new(&Settings::micrograd());
        a.train_to(100);
        let mut b = Trainer::new(&Settings::micrograd());
        for _ in 0..100 {
            b.train_epoch();
        }
        assert_eq!(a.mlp.flat(), b.mlp.flat());
        assert_eq!(a.last, b.last);
        let (loss, acc) = a.last.unwrap();
        assert!(
            loss < 0.05 && acc == 1.0,
            "micrograd's demo learns the moons: {loss} {acc}"
        );
        assert_eq!(a.epoch, 100);
        a.train_to(500);
        assert_eq!(a.epoch, 100, "the recipe stops at its 100 steps");
    }

    #[test]
    fn every_setting_trains() {
        for d in Dataset::ALL {
            for act in Activation::ALL {
                for loss in Loss::ALL {
                    let mut s = NetworkState::from_location(
                        &Location::parse("/network?preset=custom"),
                        &mut Vec::new(),
                    );
                    s = s
                        .apply(NetworkAction::Dataset(d))
                        .apply(NetworkAction::Activation(act))
                        .apply(NetworkAction::Loss(loss));
                    let mut t = Trainer::new(&s.settings());
                    t.train_to(3);
                    let (l, a) = t.last.unwrap();
                    assert!(
                        l.is_finite() && (0.0..=1.0).contains(&a),
                        "{d:?} {act:?} {loss:?}"
                    );
                    assert_eq!(t.history.len(), 3);
                    assert!(t.history[2].test_accuracy >= 0.0);
                }
            }
        }
    }

    /// The whole objective as a numpy program: traced at array granularity (a few dozen nodes), its value and its
    /// gradient by the array engine are the ones training computes, to the bit, for every activation and loss, with
    /// the penalty: training runs the very graph the program traces to.
    #[test]
    fn the_numpy_program_is_the_same_objective() {
        for (act, loss, l2) in [
            (Activation::Relu, Loss::Hinge, 1e-4),
            (Activation::Tanh, Loss::Logistic, 0.0),
            (Activation::Sigmoid, Loss::Squared, 1e-3),
            (Activation::Identity, Loss::Hinge, 0.0),
        ] {
            let mut settings = Settings::micrograd();
            settings.preset = Preset::Custom;
            settings.activation = act;
            settings.loss = loss;
            settings.l2 = l2;
            let mut t = Trainer::new(&settings);
            t.train_to(2);
            let (want, want_grad) = t.full_gradient();
            let src = t.numpy_program();
            let g = crate::lang::lower::arrays::lower_arrays(&src, &[]).unwrap();
            assert!(g.nodes.len() < 80, "{act:?}: {} nodes", g.nodes.len());
            let (value, grad) = crate::ad::nd::gradient(&g).unwrap();
            assert_eq!(
                value.to_bits(),
                want.to_bits(),
                "{act:?}: {value} vs {want}"
            );
            let flat: Vec<u64> = grad
                .iter()
                .flat_map(|a| a.data.iter().map(|x| x.to_bits()))
                .collect();
            let want: Vec<u64> = want_grad.iter().map(|x| x.to_bits()).collect();
            assert_eq!(flat, want, "{act:?} {loss:?}");
        }
    }

    /// The graph lab's scalar program of one example gives the network's loss and input adjoints.
    #[test]
    fn the_scalar_program_is_the_same_network() {
        for (act, loss) in [
            (Activation::Relu, Loss::Hinge),
            (Activation::Tanh, Loss::Logistic),
            (Activation::Sigmoid, Loss::Squared),
        ] {
            let mut settings = Settings::micrograd();
            settings.preset = Preset::Custom;
            settings.activation = act;
            settings.loss = loss;
            let mut t = Trainer::new(&settings);
            t.train_to(3);
            let sw = t.sweep(7);
            let src = t.program(7);
            let g = crate::lang::lower_source(&src).unwrap();
            let (x, y, _) = sw.input;
            let (value, grad) = crate::ad::eval::value_and_grad(&g, &[x, y]);
            assert!(
                (value - sw.loss).abs() <= 1e-12 * sw.loss.abs().max(1.0),
                "{act:?}: {value} vs {}",
                sw.loss
            );
            // ∂ℓ/∂x through the first layer: x̄ = W₀ᵀ z̄₀, from the tape's first pre-activation adjoints.
            let w0 = t.mlp.param(0).clone();
            let zbar: Vec<f64> = {
                let (a, abar) = &sw.layers[0];
                let z = {
                    let net = t.eval.as_ref().unwrap();
                    net.value(net.current().nodes.layers[0].0).to_vec()
                };
                abar.iter()
                    .zip(a)
                    .zip(&z)
                    .map(|((g, a), z)| g * act.derivative(*z, *a))
                    .collect()
            };
            for c in 0..2 {
                let want: f64 = (0..w0.shape[0]).map(|r| w0.data[r * 2 + c] * zbar[r]).sum();
                assert!(
                    (grad[c] - want).abs() <= 1e-12 * want.abs().max(1.0),
                    "{act:?} ∂/∂x{c}: {} vs {want}",
                    grad[c]
                );
            }
        }
    }

    #[test]
    fn the_gradient_check_passes() {
        let mut t = Trainer::new(&Settings::micrograd());
        t.train_to(5);
        let g = grad_check(&mut t, 6);
        assert_eq!(g.rows.len(), 6);
        assert!(g.max_rel < 1e-6, "{g:?}");
        assert!(g.max_rel_forward < 1e-12, "{g:?}");
    }

    #[test]
    fn settings_as_typed_and_linked() {
        for bad in ["1,1,1,1,1,1,1,1,1", "1000000", "0", "x", "256, 256, 256"] {
            assert!(check_layers(bad).is_err(), "{bad}");
        }
        assert_eq!(check_layers(""), Ok(vec![]));
        assert!(check_lr("NaN").is_err() && check_lr("0").is_err() && check_lr("inf").is_err());
        let s = NetworkState::micrograd().apply(NetworkAction::Advance(7));
        assert_eq!(s.epoch, 7);
        let s2 = s.apply(NetworkAction::Lr("0.5".into()));
        assert_eq!((s2.preset, s2.epoch), (Preset::Custom, 0));
        let q = crate::base::url::build("/network", &s2.apply(NetworkAction::Advance(3)).query());
        let mut notices = Vec::new();
        let back = NetworkState::from_location(&Location::parse(&q), &mut notices);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.settings(), s2.settings());
        assert_eq!(back.epoch, 3);
        let mut notices = Vec::new();
        let bad = NetworkState::from_location(
            &Location::parse("/network?preset=custom&layers=1e9&lr=NaN&dataset=moon&epoch=x"),
            &mut notices,
        );
        assert_eq!(notices.len(), 4, "{notices:?}");
        assert_eq!(bad.layers.value, vec![4, 2]);
    }
}
