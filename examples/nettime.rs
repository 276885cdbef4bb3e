use ad_lab::lab::network::data::Dataset;
use ad_lab::lab::network::{Preset, Settings, Trainer};
use std::time::Instant;
fn main() {
    for (hidden, batch, ds) in [
        (vec![1usize; 8], 1usize, Dataset::Moons),
        (vec![3; 8], 1, Dataset::Spiral),
        (vec![16, 16], 100, Dataset::Moons),
        (vec![16, 16], 1, Dataset::Moons),
        (vec![100, 100], 1, Dataset::Moons),
        (vec![100, 100], 100, Dataset::Moons),
    ] {
        let mut s = Settings::micrograd();
        s.preset = Preset::Custom;
        s.hidden = hidden.clone();
        s.batch = batch;
        s.dataset = ds;
        let mut t = Trainer::new(&s);
        let t0 = Instant::now();
        for _ in 0..20 {
            t.train_epoch();
        }
        let per = t0.elapsed().as_secs_f64() / 20.0;
        let n = s.train_size();
        let p = s.spec().parameters();
        println!("{hidden:?} b={batch} n={n} p={p} max_epoch={} epoch {:.3} ms  ns per n*p {:.2}  per step {:.2} us", s.max_epoch(), per*1e3, per*1e9/(n*p) as f64, per*1e6/((n+batch-1)/batch) as f64);
    }
}
