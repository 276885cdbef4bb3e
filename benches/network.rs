//! `cargo bench --bench network`: one epoch of `#/network`'s training (forward, backward and update for each batch
//! of 10 of the 250 training points, then the test loss), for TensorFlow Playground's default network and for
//! 2-8-8-8-1 — tanh, squared loss, learning rate 0.03, circle data, as `scripts/tfp-bench.sh` trains them. Median of
//! repeated runs of 100 epochs each, native, bench profile.

mod common;
use common::median_time;
use std::time::Duration;

use ad_lab::lab::network::data::Dataset;
use ad_lab::lab::network::{Activation, Loss, Preset, Settings, Trainer};

fn main() {
    const EPOCHS: usize = 100;
    println!("one epoch of #/network's training (250 points, batches of 10), median of runs of {EPOCHS} epochs\n");
    for hidden in [vec![4, 2], vec![8, 8, 8]] {
        let settings = Settings {
            preset: Preset::Custom,
            dataset: Dataset::Circle,
            hidden: hidden.clone(),
            activation: Activation::Tanh,
            loss: Loss::Squared,
            lr: 0.03,
            batch: 10,
            l2: 0.0,
            seed: 1,
        };
        let mut t = Trainer::new(&settings);
        let d = median_time(Duration::from_millis(3000), || {
            for _ in 0..EPOCHS {
                t.train_epoch();
            }
        });
        let sizes: Vec<String> = hidden.iter().map(|n| n.to_string()).collect();
        println!(
            "2-{}-1: {:.4} ms per epoch",
            sizes.join("-"),
            d.as_secs_f64() * 1e3 / EPOCHS as f64
        );
    }
}
