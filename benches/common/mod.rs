//! Shared by the benchmarks: a median timer and millisecond formatting.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median wall time of `f` over enough runs to fill about `budget` (at least 5, at most 500).
pub fn median_time<R>(budget: Duration, mut f: impl FnMut() -> R) -> Duration {
    let start = Instant::now();
    black_box(f());
    let once = start.elapsed().max(Duration::from_nanos(1));
    let runs = (budget.as_secs_f64() / once.as_secs_f64()).clamp(5.0, 500.0) as usize;
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

#[allow(dead_code)]
pub fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1e3)
}
