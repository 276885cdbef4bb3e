//! TensorFlow Playground's training loop, done by AD Lab's network: the same work as `bench-core.ts` of the
//! comparison harness (`../shared/anchors/tfp-bench`) — circle data (500 points, noise 0, half for training), inputs
//! among x, y, x², y², xy, sin x, sin y, tanh everywhere, squared loss, learning rate 0.03, an update every 10
//! examples — and the same report, so that both run in one browser, back to back. The clock is passed in.

use super::data::{Dataset, Points};
use super::model::{Activation, Loss, Mlp, Spec};
use crate::base::math;
use crate::base::random::SplitMix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Feature {
    X,
    Y,
    XSquared,
    YSquared,
    XTimesY,
    SinX,
    SinY,
}

impl Feature {
    fn of(self, x: f64, y: f64) -> f64 {
        match self {
            Feature::X => x,
            Feature::Y => y,
            Feature::XSquared => x * x,
            Feature::YSquared => y * y,
            Feature::XTimesY => x * y,
            Feature::SinX => math::sin(x),
            Feature::SinY => math::sin(y),
        }
    }
}

use Feature::*;
const ALL: &[Feature] = &[X, Y, XSquared, YSquared, XTimesY, SinX, SinY];

pub struct Cfg {
    pub name: &'static str,
    features: &'static [Feature],
    pub hidden: &'static [usize],
}

/// The harness's configurations, with its names.
pub const CONFIGS: [Cfg; 5] = [
    Cfg {
        name: "default 2-4-2-1 (x1,x2)",
        features: &[X, Y],
        hidden: &[4, 2],
    },
    Cfg {
        name: "6in-4-2-1 (x1,x2,x1^2,x2^2,x1x2,sinx1)",
        features: &[X, Y, XSquared, YSquared, XTimesY, SinX],
        hidden: &[4, 2],
    },
    Cfg {
        name: "7in-4-2-1 (all features)",
        features: ALL,
        hidden: &[4, 2],
    },
    Cfg {
        name: "2-8-8-8-1",
        features: &[X, Y],
        hidden: &[8, 8, 8],
    },
    Cfg {
        name: "7in-8x6-1 (TFP max)",
        features: ALL,
        hidden: &[8, 8, 8, 8, 8, 8],
    },
];

const BATCH: usize = 10;
const LR: f64 = 0.03;
const DENSITY: usize = 100;

struct State {
    net: Mlp,
    grid: Mlp,
    train: (Vec<f64>, Vec<f64>),
    test: (Vec<f64>, Vec<f64>),
    grid_xs: Vec<f64>,
}

fn features(cfg: &Cfg, p: &Points) -> (Vec<f64>, Vec<f64>) {
    let mut xs = Vec::with_capacity(p.len() * cfg.features.len());
    for i in 0..p.len() {
        let (x, y, _) = p.point(i);
        xs.extend(cfg.features.iter().map(|f| f.of(x, y)));
    }
    (xs, p.ys.clone())
}

fn setup(cfg: &Cfg, seed: u64) -> State {
    let mut r = SplitMix64::new(seed);
    let data = Dataset::Circle.generate(500, &mut r).shuffled(&mut r);
    let mut sizes = vec![cfg.features.len()];
    sizes.extend(cfg.hidden);
    sizes.push(1);
    let spec = Spec {
        sizes,
        hidden: Activation::Tanh,
        output: Activation::Tanh,
        loss: Loss::Squared,
        l2: 0.0,
    };
    // nn.ts: weights Math.random() − 0.5, biases 0.1.
    let net = Mlp::new(&spec, || r.uniform() - 0.5, 0.1);
    let mut grid_xs = Vec::with_capacity(DENSITY * DENSITY * cfg.features.len());
    let coord = |k: usize| -6.0 + 12.0 * k as f64 / (DENSITY - 1) as f64;
    for i in 0..DENSITY {
        for j in 0..DENSITY {
            grid_xs.extend(
                cfg.features
                    .iter()
                    .map(|f| f.of(coord(i), coord(DENSITY - 1 - j))),
            );
        }
    }
    State {
        grid: net.clone(),
        net,
        train: features(cfg, &data.slice(0..250)),
        test: features(cfg, &data.slice(250..500)),
        grid_xs,
    }
}

fn train_epoch(st: &mut State) {
    let width = st.train.0.len() / st.train.1.len();
    for (xs, ys) in st
        .train
        .0
        .chunks(BATCH * width)
        .zip(st.train.1.chunks(BATCH))
    {
        st.net.set_batch(xs, ys);
        st.net.forward();
        st.net.backward();
        st.net.descend(LR);
    }
}

fn loss(st: &mut State, test: bool) -> f64 {
    let (xs, ys) = if test { &st.test } else { &st.train };
    st.grid.copy_params(&st.net);
    st.grid.set_batch(xs, ys);
    st.grid.forward()
}

fn boundary(st: &mut State) {
    st.grid.copy_params(&st.net);
    let zeros = vec![0.0; DENSITY * DENSITY];
    st.grid.set_batch(&st.grid_xs, &zeros);
    st.grid.forward();
}

fn frame(st: &mut State) {
    train_epoch(st);
    loss(st, false);
    loss(st, true);
    boundary(st);
}

fn time_loop(f: &mut dyn FnMut(), min_ms: f64, now: &dyn Fn() -> f64) -> (usize, f64) {
    let t0 = now();
    let mut n = 0;
    loop {
        f();
        n += 1;
        let t = now();
        if t - t0 >= min_ms {
            return (n, t - t0);
        }
    }
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

fn seed_of(run: usize) -> u64 {
    1000 + run as u64
}

/// `runAll({ runs, minMs })` of the harness, as its JSON.
pub fn run_all(runs: usize, min_ms: f64, now: &dyn Fn() -> f64) -> String {
    let runs = runs.max(1);
    let mut warm = setup(&CONFIGS[0], 7);
    time_loop(&mut || frame(&mut warm), 500f64.min(min_ms), now);
    let mut s = setup(&CONFIGS[0], 11);
    let l0 = loss(&mut s, false);
    for _ in 0..100 {
        train_epoch(&mut s);
    }
    let sanity = format!(
        "{{\"initialTrainLoss\":{:.4},\"trainLossAfter100Epochs\":{:.4},\"testLossAfter100Epochs\":{:.4}}}",
        l0,
        loss(&mut s, false),
        loss(&mut s, true)
    );
    let warm_ms = 300f64.min(min_ms);
    let train: Vec<String> = CONFIGS
        .iter()
        .map(|cfg| {
            let eps: Vec<f64> = (0..runs)
                .map(|r| {
                    let mut st = setup(cfg, seed_of(r));
                    time_loop(&mut || train_epoch(&mut st), warm_ms, now);
                    let (n, ms) = time_loop(&mut || train_epoch(&mut st), min_ms, now);
                    n as f64 * 250.0 / (ms / 1000.0)
                })
                .collect();
            let med = median(&eps);
            format!(
                "{{\"cfg\":{:?},\"examplesPerSec\":{},\"trainEpochsPerSec\":{},\"usPerExample\":{:.3},\"runs\":[{}]}}",
                cfg.name,
                med.round(),
                (med / 250.0).round(),
                1e6 / med,
                eps.iter().map(|e| format!("{}", e.round())).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    let frames: Vec<String> = [0, 3, 4]
        .iter()
        .map(|&i| {
            let cfg = &CONFIGS[i];
            let per: Vec<f64> = (0..runs)
                .map(|r| {
                    let mut st = setup(cfg, seed_of(r));
                    time_loop(&mut || frame(&mut st), warm_ms, now);
                    let (n, ms) = time_loop(&mut || frame(&mut st), min_ms, now);
                    ms / n as f64
                })
                .collect();
            let med = median(&per);
            format!(
                "{{\"cfg\":{:?},\"msPerFrameStep\":{:.3},\"uncappedEpochsPerSec\":{:.1},\"runs\":[{}]}}",
                cfg.name,
                med,
                1000.0 / med,
                per.iter().map(|p| format!("{p:.3}")).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    format!(
        "{{\"sanity\":{sanity},\"train\":[{}],\"frame\":[{}]}}",
        train.join(","),
        frames.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report has the harness's shape, and training learns the circle.
    #[test]
    fn report_shape() {
        let t = std::cell::Cell::new(0.0);
        let clock = || {
            t.set(t.get() + 1.0);
            t.get()
        };
        let json = run_all(1, 5.0, &clock);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["train"].as_array().unwrap().len(), 5);
        assert_eq!(v["frame"].as_array().unwrap().len(), 3);
        assert_eq!(v["train"][0]["cfg"], "default 2-4-2-1 (x1,x2)");
        let before = v["sanity"]["initialTrainLoss"].as_f64().unwrap();
        let after = v["sanity"]["trainLossAfter100Epochs"].as_f64().unwrap();
        assert!(after < before / 2.0, "{json}");
    }
}
