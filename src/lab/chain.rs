//! Example 0 of the lecture: a sequence of transforms x₀ = x, x_{k+1} = g_k(x_k), and the product of their Jacobians
//! ∂x_L/∂x = J_{L−1}⋯J₀. Forward mode multiplies from the right (carrying an n_k × n₀ matrix), reverse mode from the
//! left (carrying n_L rows: a vector when the output is a scalar loss); the matrix-chain dynamic programme finds the
//! cheapest bracketing, which neither reaches in general. The chain is also built and differentiated for real, by
//! the array engine ([`crate::ad::nd`]): n₀ JVPs against n_L VJPs, and the dense products in both orders.

use super::field::{whole_in, Field};
use super::ChapterModel;
use crate::ad::nd::Plan;
use crate::base::aop::AOp;
use crate::base::array::Array;
use crate::base::num::fmt_count;
use crate::base::op::{Binary, Unary};
use crate::base::random::SplitMix64;
use crate::base::url::Location;
use crate::lang::agraph::AGraph;
use crate::lang::graph::NodeId;

/// At most this many maps.
pub const MAX_MAPS: usize = 10;
/// Sizes up to this.
pub const MAX_SIZE: usize = 5000;
/// The maps' weights may hold at most this many numbers (with the dense Jacobians, twice as many: 32 MB).
pub const MAX_WEIGHTS: u64 = 2_000_000;
/// A mode is run live only up to this many scalar multiplications (about a second in the browser).
pub const MAX_RUN: u64 = 400_000_000;
pub const DEFAULT_SIZES: &str = "1000, 100, 10, 1";

/// The maps g_k.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// g(x) = tanh(W x + b).
    Tanh,
    /// g(x) = W x.
    Linear,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::Tanh, Family::Linear];
    pub fn name(self) -> &'static str {
        match self {
            Family::Tanh => "tanh",
            Family::Linear => "linear",
        }
    }
    pub fn formula(self) -> &'static str {
        match self {
            Family::Tanh => "gₖ(x) = tanh(Wₖx + bₖ)",
            Family::Linear => "gₖ(x) = Wₖx",
        }
    }
}

/// The order in which the Jacobians are multiplied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Forward,
    Reverse,
    Optimal,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Forward, Order::Reverse, Order::Optimal];
    pub fn name(self) -> &'static str {
        match self {
            Order::Forward => "forward",
            Order::Reverse => "reverse",
            Order::Optimal => "optimal",
        }
    }
    fn from_name(s: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|o| o.name() == s)
    }
}

/// Reads `1000, 100, 10, 1` (commas, arrows or spaces between): n₀ … n_L.
pub fn check_sizes(text: &str) -> Result<Vec<usize>, String> {
    let parts: Vec<&str> = text
        .split([',', ';', ' ', '→'])
        .flat_map(|p| p.split("->"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Err(format!(
            "type at least two sizes n₀, n₁, …, e.g. {DEFAULT_SIZES}"
        ));
    }
    if parts.len() > MAX_MAPS + 1 {
        return Err(format!("at most {} sizes ({MAX_MAPS} maps)", MAX_MAPS + 1));
    }
    let sizes = parts
        .iter()
        .map(|p| whole_in(p, 1, MAX_SIZE as i64, &format!("“{p}”")).map(|n| n as usize))
        .collect::<Result<Vec<_>, _>>()?;
    let weights: u64 = sizes.windows(2).map(|w| (w[0] * w[1]) as u64).sum();
    if weights > MAX_WEIGHTS {
        return Err(format!(
            "the maps would hold {} weights; AD Lab builds chains of up to {}",
            fmt_count(weights),
            fmt_count(MAX_WEIGHTS)
        ));
    }
    Ok(sizes)
}

/// Scalar multiplications of the dense products in each order, and the cheapest bracketing.
#[derive(Clone, Debug, PartialEq)]
pub struct Costs {
    pub forward: u64,
    pub reverse: u64,
    pub optimal: u64,
    /// The cheapest bracketing, e.g. `(J₂·J₁)·J₀`.
    pub optimal_order: String,
}

/// Two adjacent blocks multiplied: blocks are runs of the product J_{L−1}⋯J₀ written left to right, `(first, last)`
/// by position (position 0 is J_{L−1}).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    pub left: (usize, usize),
    pub right: (usize, usize),
    /// rows × inner × cols of this product.
    pub cost: u64,
}

/// The dimensions of the product as written, d₀ × d₁, d₁ × d₂, …: d = (n_L, …, n₀).
fn dims(sizes: &[usize]) -> Vec<u64> {
    sizes.iter().rev().map(|&n| n as u64).collect()
}

/// The product's blocks merged in the given order.
pub fn plan(sizes: &[usize], order: Order) -> Vec<Merge> {
    let d = dims(sizes);
    let l = d.len() - 1; // number of matrices
    let merge = |a: usize, b: usize, c: usize| Merge {
        left: (a, b),
        right: (b + 1, c),
        cost: d[a] * d[b + 1] * d[c + 1],
    };
    match order {
        // J_{L−1}(⋯(J₁J₀)): the rightmost pair first, then each matrix to its left.
        Order::Forward => (0..l.saturating_sub(1))
            .rev()
            .map(|a| merge(a, a, l - 1))
            .collect(),
        // ((J_{L−1}J_{L−2})⋯)J₀: from the left.
        Order::Reverse => (1..l).map(|c| merge(0, c - 1, c)).collect(),
        Order::Optimal => {
            let split = chain_order(&d).1;
            let mut out = Vec::new();
            fn walk(
                split: &[Vec<usize>],
                i: usize,
                j: usize,
                out: &mut Vec<(usize, usize, usize)>,
            ) {
                if i < j {
                    let k = split[i][j];
                    walk(split, i, k, out);
                    walk(split, k + 1, j, out);
                    out.push((i, k, j));
                }
            }
            let mut steps = Vec::new();
            if l > 0 {
                walk(&split, 0, l - 1, &mut steps);
            }
            for (i, k, j) in steps {
                out.push(merge(i, k, j));
            }
            out
        }
    }
}

/// The matrix-chain dynamic programme on dimensions `d` (matrix i is d_i × d_{i+1}): the least cost of each run
/// and where to split it.
fn chain_order(d: &[u64]) -> (Vec<Vec<u64>>, Vec<Vec<usize>>) {
    let l = d.len() - 1;
    let mut cost = vec![vec![0u64; l]; l];
    let mut split = vec![vec![0usize; l]; l];
    for len in 2..=l {
        for i in 0..=l - len {
            let j = i + len - 1;
            cost[i][j] = u64::MAX;
            for k in i..j {
                let c = cost[i][k] + cost[k + 1][j] + d[i] * d[k + 1] * d[j + 1];
                if c < cost[i][j] {
                    cost[i][j] = c;
                    split[i][j] = k;
                }
            }
        }
    }
    (cost, split)
}

/// J with its index as the lecture writes it: position p of the product is J_{L−1−p}.
pub fn jacobian_name(l: usize, position: usize) -> String {
    format!("J{}", subscript(l - 1 - position))
}

fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

pub fn costs(sizes: &[usize]) -> Costs {
    let total = |o| plan(sizes, o).iter().map(|m| m.cost).sum::<u64>();
    let d = dims(sizes);
    let l = d.len() - 1;
    let (cost, split) = chain_order(&d);
    fn text(split: &[Vec<usize>], l: usize, i: usize, j: usize, top: bool) -> String {
        if i == j {
            return jacobian_name(l, i);
        }
        let k = split[i][j];
        let inner = format!(
            "{}·{}",
            text(split, l, i, k, false),
            text(split, l, k + 1, j, false)
        );
        if top {
            inner
        } else {
            format!("({inner})")
        }
    }
    Costs {
        forward: total(Order::Forward),
        reverse: total(Order::Reverse),
        optimal: cost[0][l - 1],
        optimal_order: text(&split, l, 0, l - 1, true),
    }
}

/// The blocks of the product after the first `step` merges of `plan`, left to right: (first, last) positions.
pub fn blocks(l: usize, plan: &[Merge], step: usize) -> Vec<(usize, usize)> {
    let mut b: Vec<(usize, usize)> = (0..l).map(|p| (p, p)).collect();
    for m in plan.iter().take(step) {
        if let Some(i) = b.iter().position(|&x| x == m.left) {
            b[i] = (m.left.0, m.right.1);
            b.retain(|&x| x != m.right);
        }
    }
    b
}

/// The chain built and differentiated by the AD core.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The Jacobian ∂x_L/∂x₀ (n_L × n₀) by n₀ JVPs (forward mode, matrix-free)…
    pub jvp: Array,
    /// … and by n_L VJPs (reverse mode, matrix-free).
    pub vjp: Array,
    /// Dense products of the Jacobians J_k = diag(σ′) W_k, from the right and from the left.
    pub dense_forward: Array,
    pub dense_reverse: Array,
    /// Milliseconds: n₀ JVPs, n_L VJPs, dense from the right, dense from the left (`None`: not run, too costly).
    pub ms: [Option<f64>; 4],
    /// max |forward − reverse| over the Jacobian's entries (matrix-free, and dense).
    pub agree: f64,
    pub dense_agree: f64,
}

/// The chain's maps with seeded weights, as a graph of array operations run by a [`Plan`]: x₀ is the input whose
/// derivatives are asked for; the weights and biases are inputs held fixed.
struct Built {
    plan: Plan,
    out: NodeId,
    /// (W_k, z_k = W_k x_k + b_k or W_k x_k, x_{k+1}) nodes.
    layers: Vec<(NodeId, NodeId, NodeId)>,
}

fn build(sizes: &[usize], family: Family, seed: u64) -> Built {
    let mut r = SplitMix64::new(seed);
    let mut g = AGraph::default();
    let x0: Vec<f64> = (0..sizes[0]).map(|_| 2.0 * r.uniform() - 1.0).collect();
    let x = g.add_input("x", Array::new(vec![sizes[0]], x0));
    let mut cur = x;
    let mut layers = Vec::new();
    // The sizes are checked (each at least 1), so every shape matches.
    let add = |g: &mut AGraph, op: AOp, args: &[NodeId]| {
        g.add(op, args)
            .unwrap_or_else(|e| unreachable!("a chain's shapes match: {e}"))
    };
    for (k, w) in sizes.windows(2).enumerate() {
        let (n, m) = (w[0], w[1]);
        let scale = 1.0 / (n as f64).sqrt();
        let data: Vec<f64> = (0..m * n).map(|_| r.normal() * scale).collect();
        let wk = g.add_input(&format!("W{}", k + 1), Array::new(vec![m, n], data));
        let z = add(&mut g, AOp::MatMul, &[wk, cur]);
        let (z, next) = match family {
            Family::Tanh => {
                let bias: Vec<f64> = (0..m).map(|_| 0.1 * r.normal()).collect();
                let b = g.add_input(&format!("b{}", k + 1), Array::new(vec![m], bias));
                let z = add(&mut g, AOp::Zip(Binary::Add), &[z, b]);
                (z, add(&mut g, AOp::Map(Unary::Tanh), &[z]))
            }
            Family::Linear => (z, z),
        };
        layers.push((wk, z, next));
        cur = next;
    }
    g.outputs.push(cur);
    // Derivatives with respect to x₀ only.
    let mut wrt = vec![false; g.inputs.len()];
    wrt[0] = true;
    let plan = Plan::new(g, &wrt)
        .unwrap_or_else(|e| unreachable!("a chain has no operation that fails: {e}"));
    Built {
        plan,
        out: cur,
        layers,
    }
}

/// The product a·b of two matrices.
fn product(a: &Array, b: &Array) -> Array {
    AOp::MatMul
        .value(&[a, b])
        .unwrap_or_else(|_| Array::zeros(&[a.shape[0], b.shape[1]]))
}

/// Largest |a − b| over the entries (∞ if the shapes differ).
pub fn max_abs_diff(a: &Array, b: &Array) -> f64 {
    if a.shape != b.shape {
        return f64::INFINITY;
    }
    a.data
        .iter()
        .zip(&b.data)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// Builds the chain and differentiates it both ways, timing each with `now` (milliseconds: the fastest of the runs
/// that fit in about 30 ms); a mode whose cost is past [`MAX_RUN`] is not run.
pub fn run(sizes: &[usize], family: Family, seed: u64, now: &dyn Fn() -> f64) -> Run {
    let mut b = build(sizes, family, seed);
    let (n0, nl) = (sizes[0], *sizes.last().unwrap_or(&1));
    let sweep: u64 = sizes.windows(2).map(|w| (w[0] * w[1]) as u64).sum();
    let c = costs(sizes);
    let mut ms = [None; 4];
    // The fastest of several runs within about 30 ms (a single run when it is slower than that).
    let timed = |f: &mut dyn FnMut(), slot: &mut Option<f64>| {
        let start = now();
        let mut best = f64::INFINITY;
        for _ in 0..50 {
            let t0 = now();
            f();
            let t1 = now();
            best = best.min(t1 - t0);
            if t1 - start >= 30.0 {
                break;
            }
        }
        *slot = Some(best);
    };
    let empty = Array::new(vec![0], Vec::new());
    // Matrix-free: n₀ JVPs give the Jacobian's columns, n_L VJPs its rows.
    let mut jvp = Array::zeros(&[nl, n0]);
    if n0 as u64 * sweep <= MAX_RUN {
        let plan = &b.plan;
        let mut tangents = vec![empty.clone(); plan.graph().inputs.len()];
        timed(
            &mut || {
                for j in 0..n0 {
                    let mut dir = Array::zeros(&[n0]);
                    dir.data[j] = 1.0;
                    tangents[0] = dir;
                    let col = plan.tangent(&tangents, b.out);
                    for (i, v) in col.data.iter().enumerate() {
                        jvp.data[i * n0 + j] = *v;
                    }
                }
            },
            &mut ms[0],
        );
    }
    let mut vjp = Array::zeros(&[nl, n0]);
    if nl as u64 * sweep <= MAX_RUN {
        let (plan, out) = (&mut b.plan, b.out);
        timed(
            &mut || {
                let mut seed = vec![0.0; nl];
                for i in 0..nl {
                    seed.iter_mut().for_each(|v| *v = 0.0);
                    seed[i] = 1.0;
                    plan.backward(out, &seed);
                    vjp.data[i * n0..(i + 1) * n0].copy_from_slice(plan.gradient(0));
                }
            },
            &mut ms[1],
        );
    }
    // Dense: J_k = diag(σ′(z_k)) W_k, then the product in each order.
    let jacobians: Vec<Array> = b
        .layers
        .iter()
        .map(|&(w, z, x)| {
            let (w, z, a) = (b.plan.value(w), b.plan.value(z), b.plan.value(x));
            let mut j = w.clone();
            if family == Family::Tanh {
                for (i, row) in j.data.chunks_mut(w.shape[1]).enumerate() {
                    let d = Unary::Tanh.partial(z.data[i], a.data[i]);
                    row.iter_mut().for_each(|v| *v *= d);
                }
            }
            j
        })
        .collect();
    let mut dense_forward = empty.clone();
    if c.forward <= MAX_RUN {
        timed(
            &mut || {
                let mut p = jacobians[0].clone();
                for j in &jacobians[1..] {
                    p = product(j, &p);
                }
                dense_forward = p;
            },
            &mut ms[2],
        );
    }
    let mut dense_reverse = empty;
    if c.reverse <= MAX_RUN {
        timed(
            &mut || {
                let mut p = jacobians[jacobians.len() - 1].clone();
                for j in jacobians[..jacobians.len() - 1].iter().rev() {
                    p = product(&p, j);
                }
                dense_reverse = p;
            },
            &mut ms[3],
        );
    }
    let both = |a: &Array, b: &Array, x: Option<f64>, y: Option<f64>| {
        if x.is_some() && y.is_some() {
            max_abs_diff(a, b)
        } else {
            f64::NAN
        }
    };
    Run {
        agree: both(&jvp, &vjp, ms[0], ms[1]),
        dense_agree: both(&dense_forward, &dense_reverse, ms[2], ms[3]),
        jvp,
        vjp,
        dense_forward,
        dense_reverse,
        ms,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChainState {
    pub sizes: Field<Vec<usize>>,
    pub family: Family,
    pub seed: Field<u64>,
    pub order: Order,
    pub step: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChainAction {
    Sizes(String),
    Family(Family),
    Seed(String),
    Order(Order),
    /// Go to step k (presenter mode's builds).
    Step(usize),
    Next,
    Prev,
    Reset,
    End,
}

pub fn check_seed(text: &str) -> Result<u64, String> {
    whole_in(text, 0, i64::MAX, "the seed").map(|n| n as u64)
}

impl Default for ChainState {
    fn default() -> ChainState {
        ChainState {
            sizes: Field::new(vec![1000, 100, 10, 1], DEFAULT_SIZES),
            family: Family::Tanh,
            seed: Field::new(1, "1"),
            order: Order::Forward,
            step: 0,
        }
    }
}

impl ChainState {
    /// The chain as a numpy program, for the graph lab: x ∈ R^{n₀} through the maps, a few array operations each; its
    /// weights made by a formula (the page's own are millions of random numbers, too many for a link). The graph
    /// lab's cost panel then shows forward mode's n₀ passes against reverse mode's n_L.
    pub fn numpy_program(&self) -> String {
        let s = &self.sizes.value;
        let sizes: Vec<String> = s.iter().map(|n| n.to_string()).collect();
        let mut out = format!(
            "import autograd.numpy as np\nfrom autograd import jacobian\n\n# Example 0: a chain of {} maps, sizes {}, \
             each {}\ndef f(x=np.linspace(-1, 1, {})):\n",
            s.len() - 1,
            sizes.join(" → "),
            self.family.formula(),
            s[0]
        );
        let mut cur = "x".to_string();
        for (k, w) in s.windows(2).enumerate() {
            let (n, m) = (w[0], w[1]);
            let k = k + 1;
            out += &format!(
                "  W{k} = np.sin(np.arange({})).reshape(({m}, {n})) / np.sqrt({n})\n",
                m * n
            );
            let next = format!("x{k}");
            out += &match self.family {
                Family::Tanh => format!(
                    "  b{k} = np.cos(np.arange({m})) / 10\n  {next} = np.tanh(W{k} @ {cur} + b{k})\n"
                ),
                Family::Linear => format!("  {next} = W{k} @ {cur}\n"),
            };
            cur = next;
        }
        out + &format!("  return {cur}\n")
    }

    pub fn maps(&self) -> usize {
        self.sizes.value.len() - 1
    }

    pub fn plan(&self) -> Vec<Merge> {
        plan(&self.sizes.value, self.order)
    }

    /// Steps of the animation: one per product.
    pub fn total(&self) -> usize {
        self.maps().saturating_sub(1)
    }
}

impl ChapterModel for ChainState {
    type Action = ChainAction;

    fn apply(&self, action: ChainAction) -> ChainState {
        let mut s = self.clone();
        match action {
            ChainAction::Sizes(t) => {
                s.sizes = self.sizes.edit(t, check_sizes);
                if s.sizes.value != self.sizes.value {
                    s.step = 0;
                }
            }
            ChainAction::Family(f) => s.family = f,
            ChainAction::Seed(t) => s.seed = self.seed.edit(t, check_seed),
            ChainAction::Order(o) => {
                s.order = o;
                s.step = 0;
            }
            ChainAction::Step(k) => s.step = k,
            ChainAction::Next => s.step += 1,
            ChainAction::Prev => s.step = s.step.saturating_sub(1),
            ChainAction::Reset => s.step = 0,
            ChainAction::End => s.step = usize::MAX,
        }
        s.step = s.step.min(s.total());
        s
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> ChainState {
        let d = ChainState::default();
        let mut s = ChainState {
            sizes: d.sizes.from_link(loc, "sizes", check_sizes, notices),
            seed: d.seed.from_link(loc, "seed", check_seed, notices),
            ..d
        };
        match loc.get("maps") {
            None => {}
            Some(m) => match Family::ALL.into_iter().find(|f| f.name() == m) {
                Some(f) => s.family = f,
                None => notices.push(format!(
                    "`maps={m}`: the maps are tanh or linear; using tanh"
                )),
            },
        }
        match loc.get("mode") {
            None => {}
            Some(m) => match Order::from_name(m) {
                Some(o) => s.order = o,
                None => notices.push(format!(
                    "`mode={m}`: the order is forward, reverse or optimal; using forward"
                )),
            },
        }
        s.step = super::step_from_link(loc, s.total(), notices);
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        vec![
            ("sizes".into(), self.sizes.text.clone()),
            ("maps".into(), self.family.name().into()),
            ("seed".into(), self.seed.text.clone()),
            ("mode".into(), self.order.name().into()),
            ("step".into(), self.step.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chain as a numpy program is a few array nodes per map, and its Jacobian by the array engine is the
    /// product of the maps' Jacobians.
    #[test]
    fn the_chain_as_a_numpy_program() {
        let s = ChainState::default().apply(ChainAction::Sizes("6, 4, 3, 1".into()));
        let src = s.numpy_program();
        let g = crate::lang::lower::arrays::lower_arrays(&src, &[]).unwrap();
        assert_eq!(g.inputs.len(), 1);
        assert_eq!(g.inputs[0].value.shape, [6]);
        assert!(g.operations() <= 3 * 3, "{}", g.operations());
        let (_, grad) = crate::ad::nd::gradient(&g).unwrap();
        // Differences of the program's value along each input number agree with reverse mode.
        let x = crate::ad::nd::point(&g);
        for j in 0..6 {
            let f = |d: f64| {
                let mut y = x.clone();
                y[0].data[j] += d;
                crate::ad::nd::evaluate(&g, &y).unwrap()[g.output().index()].data[0]
            };
            let fd = (f(1e-6) - f(-1e-6)) / 2e-6;
            assert!(
                (fd - grad[0].data[j]).abs() < 1e-8,
                "{j}: {fd} vs {}",
                grad[0].data[j]
            );
        }
        let linear = s.apply(ChainAction::Family(Family::Linear)).numpy_program();
        assert!(crate::lang::lower::arrays::lower_arrays(&linear, &[]).is_ok());
    }

    #[test]
    fn the_lecture_example_costs() {
        let c = costs(&[1000, 100, 10, 1]);
        assert_eq!(
            (c.forward, c.reverse, c.optimal),
            (1_010_000, 101_000, 101_000)
        );
        assert_eq!(c.optimal_order, "(J₂·J₁)·J₀");
        let c = costs(&[1, 10, 100, 1000]);
        assert_eq!(
            (c.forward, c.reverse, c.optimal),
            (101_000, 1_010_000, 101_000)
        );
        assert_eq!(c.optimal_order, "J₂·(J₁·J₀)");
    }

    /// A chain where the best bracketing is neither mode's: wide in the middle.
    #[test]
    fn neither_mode_is_optimal_in_general() {
        let c = costs(&[10, 1000, 1, 1000, 10]);
        assert!(c.optimal < c.forward.min(c.reverse), "{c:?}");
        assert_eq!(c.optimal_order, "(J₃·J₂)·(J₁·J₀)");
        assert_eq!(c.optimal, 10 * 1000 + 1000 * 10 + 10 * 10);
        // The DP agrees with brute force on small random chains.
        let mut r = SplitMix64::new(3);
        for _ in 0..200 {
            let len = 2 + r.below(6) as usize;
            let sizes: Vec<usize> = (0..len).map(|_| 1 + r.below(30) as usize).collect();
            let d = dims(&sizes);
            fn brute(d: &[u64], i: usize, j: usize) -> u64 {
                (i..j)
                    .map(|k| brute(d, i, k) + brute(d, k + 1, j) + d[i] * d[k + 1] * d[j + 1])
                    .min()
                    .unwrap_or(0)
            }
            let c = costs(&sizes);
            assert_eq!(c.optimal, brute(&d, 0, d.len() - 2), "{sizes:?}");
            assert_eq!(
                plan(&sizes, Order::Optimal)
                    .iter()
                    .map(|m| m.cost)
                    .sum::<u64>(),
                c.optimal
            );
            assert!(c.optimal <= c.forward.min(c.reverse));
        }
    }

    #[test]
    fn plans_merge_down_to_one_block() {
        let sizes = [6, 5, 4, 3, 2];
        for o in Order::ALL {
            let p = plan(&sizes, o);
            assert_eq!(p.len(), 3);
            assert_eq!(blocks(4, &p, 0).len(), 4);
            assert_eq!(blocks(4, &p, 3), vec![(0, 3)]);
        }
        // Forward merges from the right: J₁·J₀ first (positions 2 and 3 of J₃J₂J₁J₀).
        assert_eq!(plan(&sizes, Order::Forward)[0].left, (2, 2));
        assert_eq!(plan(&sizes, Order::Reverse)[0].left, (0, 0));
    }

    /// A clock that moves 20 ms a reading: every timing loop stops at its second run.
    fn clock() -> impl Fn() -> f64 {
        let t = std::cell::Cell::new(0.0);
        move || {
            t.set(t.get() + 20.0);
            t.get()
        }
    }

    /// Forward (n₀ JVPs) and reverse (n_L VJPs) give the same Jacobian, and so do the dense products, on random
    /// chains of both families.
    #[test]
    fn forward_and_reverse_agree_on_random_chains() {
        let mut r = SplitMix64::new(11);
        for family in Family::ALL {
            for _ in 0..20 {
                let len = 2 + r.below(4) as usize;
                let sizes: Vec<usize> = (0..len).map(|_| 1 + r.below(12) as usize).collect();
                let run = run(&sizes, family, r.next_u64(), &clock());
                assert!(run.agree <= 1e-13, "{sizes:?} {family:?}: {}", run.agree);
                assert!(run.dense_agree <= 1e-13, "{}", run.dense_agree);
                assert!(max_abs_diff(&run.jvp, &run.dense_forward) <= 1e-13);
            }
        }
        // Linear maps: the Jacobian is the product of the weights.
        let run1 = run(&[3, 2], Family::Linear, 5, &clock());
        let b = build(&[3, 2], Family::Linear, 5);
        assert!(max_abs_diff(&run1.jvp, b.plan.value(b.layers[0].0)) == 0.0);
    }

    #[test]
    fn sizes_as_typed() {
        assert_eq!(
            check_sizes("1000 → 100 → 10 → 1"),
            Ok(vec![1000, 100, 10, 1])
        );
        assert_eq!(check_sizes("3->2"), Ok(vec![3, 2]));
        for bad in [
            "",
            "5",
            "0, 1",
            "1000000000, 1",
            "a, b",
            "1,2,3,4,5,6,7,8,9,10,11,12",
            "5000, 5000",
        ] {
            assert!(check_sizes(bad).is_err(), "{bad}");
        }
        assert!(check_sizes("0, 1").unwrap_err().contains("at least 1"));
    }

    #[test]
    fn permalink_round_trip() {
        let s = ChainState::default()
            .apply(ChainAction::Sizes("5, 4, 3, 2".into()))
            .apply(ChainAction::Order(Order::Optimal))
            .apply(ChainAction::Next);
        let q = crate::base::url::build("/chain", &s.query());
        let mut notices = Vec::new();
        let back = ChainState::from_location(&Location::parse(&q), &mut notices);
        assert_eq!(back, s);
        assert!(notices.is_empty());
        let bad = Location::parse("/chain?sizes=x&mode=sideways&step=99");
        let mut notices = Vec::new();
        let s = ChainState::from_location(&bad, &mut notices);
        // A step past the end shows the last step (and says so).
        assert_eq!(s.step, s.total());
        assert_eq!(ChainState { step: 0, ..s }, ChainState::default());
        assert_eq!(notices.len(), 3);
    }
}
