//! Reverse mode needs memory: checkpointing. A chain of n steps x₀ → x₁ → … → x_n and a loss L(x_n); reverse mode
//! runs the adjoints from n down to 0, and the adjoint of step k needs x_k. With c slots (x₀ counts as one) a
//! schedule stores a few states and replays the rest forward from the nearest stored one.
//!
//! Conventions (Griewank & Walther's): "forward evaluations" count the steps replayed forward, not the evaluation of
//! step k inside its own adjoint. So storing everything costs n − 1 evaluations (x₀ … x_{n−1} stored), storing only
//! x₀ costs n(n − 1)/2, and binomial checkpointing (revolve) costs the least possible with c slots:
//! t(n, c) = r·n − β(c + 1, r − 1) where β(c, r) = C(c + r, c) and β(c, r − 1) < n ≤ β(c, r) — the longest chain
//! reversible with c slots and at most r replays of any step is β(c, r).
//!
//! Schedules are lists of [`Event`]s; [`execute`] runs one (checking that it never reads a state it does not hold and
//! never holds more than its slots), counting, or with real states and the AD core's per-step vector-Jacobian
//! products (the tape), so that every schedule's gradient can be compared bit for bit with storing everything.

use super::field::{whole_in, Field};
use super::ChapterModel;
use crate::ad::tape::{vjp_wide, Var};
use crate::ad::wide::Wide;
use crate::base::scalar::Scalar;
use crate::base::url::Location;

pub const MAX_N: usize = 10_000;
/// The time line is drawn up to this many steps.
pub const MAX_DRAWN: usize = 200;
/// The page runs a schedule with real states up to this many forward evaluations.
pub const MAX_RUN: u64 = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    StoreAll,
    StoreInput,
    Sqrt,
    Binomial,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::StoreAll,
        Strategy::StoreInput,
        Strategy::Sqrt,
        Strategy::Binomial,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::StoreAll => "store-all",
            Strategy::StoreInput => "store-input",
            Strategy::Sqrt => "sqrt",
            Strategy::Binomial => "binomial",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strategy::StoreAll => "store everything",
            Strategy::StoreInput => "store only x₀",
            Strategy::Sqrt => "every √n-th state",
            Strategy::Binomial => "binomial (revolve)",
        }
    }

    pub fn from_name(s: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|x| x.name() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Example {
    /// x ← 4x(1 − x) from x₀ = 0.25, L = x_n: dL/dx₀ = 2·(−2)ⁿ⁻¹ (the earlier chapters' −16 at n = 4).
    Logistic,
    /// x ← tanh(Wx + b), a network's layers on a 2-vector, L = ½‖x_n‖².
    Layers,
    /// β ← β − ρ(Aβ − b), gradient descent on ½βᵀAβ − bᵀβ with A = diag(1, 10), ρ = 0.1; L = that loss at β_n.
    Descent,
}

impl Example {
    pub const ALL: [Example; 3] = [Example::Logistic, Example::Layers, Example::Descent];

    pub fn name(self) -> &'static str {
        match self {
            Example::Logistic => "logistic",
            Example::Layers => "layers",
            Example::Descent => "descent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Example::Logistic => "logistic map: x ← 4x(1 − x), L = xₙ",
            Example::Layers => "network layers: x ← tanh(Wx + b), L = ½‖xₙ‖²",
            Example::Descent => "gradient descent: β ← β − ρ(Aβ − b), L = ℓ(βₙ)",
        }
    }

    pub fn x0(self) -> Vec<f64> {
        match self {
            Example::Logistic => vec![0.25],
            Example::Layers => vec![1.0, 0.5],
            Example::Descent => vec![0.0, 0.0],
        }
    }

    /// One step of the chain, over any scalar (f64 to run it, the tape's `Var` for its adjoint).
    pub fn step<S: Scalar>(self, x: &[S]) -> Vec<S> {
        match self {
            Example::Logistic => vec![x[0] * 4.0 * (S::one() - x[0])],
            Example::Layers => vec![
                (x[0] * 0.9 - x[1] * 0.5 + 0.1).tanh(),
                (x[0] * 0.5 + x[1] * 0.9 - 0.2).tanh(),
            ],
            Example::Descent => vec![x[0] - (x[0] - 1.0) * 0.1, x[1] - (x[1] * 10.0 - 1.0) * 0.1],
        }
    }

    pub fn loss<S: Scalar>(self, x: &[S]) -> S {
        match self {
            Example::Logistic => x[0],
            Example::Layers => (x[0] * x[0] + x[1] * x[1]) * 0.5,
            Example::Descent => (x[0] * x[0] + x[1] * x[1] * 10.0) * 0.5 - x[0] - x[1],
        }
    }
}

/// β(c, r) = C(c + r, c), saturating at u64::MAX.
pub fn beta(c: u64, r: u64) -> u64 {
    let k = c.min(r);
    // C(m, k) = Π_{i=1..k} (m − k + i)/i, each partial product an integer.
    let m = (c + r) as u128;
    let mut b: u128 = 1;
    for i in 1..=k as u128 {
        b = b * (m - k as u128 + i) / i;
        if b > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    b as u64
}

/// The fewest repetitions r with β(c, r) ≥ n: the most times any step is evaluated forward.
fn reps(n: u64, c: u64) -> u64 {
    let mut r = 0;
    while beta(c, r) < n {
        r += 1;
    }
    r
}

/// The least number of forward evaluations that reverses n steps with c slots (x₀ included): t(n, c).
pub fn binomial_evals(n: u64, c: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    if c == 1 {
        return n * (n - 1) / 2;
    }
    if c >= n {
        return n - 1;
    }
    let r = reps(n, c);
    r * n - beta(c + 1, r - 1)
}

/// One event of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// From x_from (the current state or a stored one) forward to x_to, storing the listed states on the way.
    Forward {
        from: usize,
        to: usize,
        store: Vec<usize>,
    },
    /// The adjoint of step k, x̄_{k+1} → x̄_k (it needs x_k); then x_k's slot is freed if `free`.
    Reverse { k: usize, free: bool },
}

/// The schedule of a strategy for n steps and c slots (c matters for binomial only).
pub fn schedule(strategy: Strategy, n: usize, c: usize) -> Vec<Event> {
    let mut ev = Vec::new();
    match strategy {
        Strategy::StoreAll => reverse(0, n, n.max(1), true, &mut ev),
        Strategy::StoreInput => reverse(0, n, 1, true, &mut ev),
        Strategy::Binomial => reverse(0, n, c.max(1), true, &mut ev),
        Strategy::Sqrt => {
            let k = (1..).find(|k| k * k >= n).unwrap_or(1).max(1);
            let starts: Vec<usize> = (0..n).step_by(k).collect();
            let last = starts.last().copied().unwrap_or(0);
            if last > 0 {
                ev.push(Event::Forward {
                    from: 0,
                    to: last,
                    store: starts[1..].to_vec(),
                });
            }
            for &a in starts.iter().rev() {
                let b = (a + k).min(n);
                reverse(a, b, b - a, true, &mut ev);
            }
        }
    }
    ev
}

/// Reverses steps a..b given x_a is held, with s slots (x_a's included); the last adjoint frees x_a if `free_base`.
fn reverse(a: usize, b: usize, s: usize, free_base: bool, ev: &mut Vec<Event>) {
    let l = b - a;
    if l == 0 {
        return;
    }
    if l == 1 {
        ev.push(Event::Reverse {
            k: a,
            free: free_base,
        });
    } else if s == 1 {
        for k in (a..b).rev() {
            if k > a {
                ev.push(Event::Forward {
                    from: a,
                    to: k,
                    store: Vec::new(),
                });
            }
            ev.push(Event::Reverse {
                k,
                free: k == a && free_base,
            });
        }
    } else if s >= l {
        ev.push(Event::Forward {
            from: a,
            to: b - 1,
            store: (a + 1..b).collect(),
        });
        for k in (a..b).rev() {
            ev.push(Event::Reverse {
                k,
                free: k > a || free_base,
            });
        }
    } else {
        // The first checkpoint: the right part (l − j steps) is reversed with s − 1 slots and at most r replays, so
        // l − j ≤ β(s − 1, r); the left part with s slots, and j ≥ β(s, r − 2) keeps it from being cheaper than needed.
        // (This choice is optimal: a test checks it against the exhaustive programme.)
        let (l64, s64) = (l as u64, s as u64);
        let r = reps(l64, s64);
        let left = if r >= 2 { beta(s64, r - 2) } else { 1 };
        let j = l64
            .saturating_sub(beta(s64 - 1, r))
            .max(left)
            .max(1)
            .min(l64 - 1) as usize;
        ev.push(Event::Forward {
            from: a,
            to: a + j,
            store: vec![a + j],
        });
        reverse(a + j, b, s - 1, true, ev);
        reverse(a, a + j, s, free_base, ev);
    }
}

/// What running a schedule took, and (with real states) the loss and its gradient with respect to x₀.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub evals: u64,
    pub peak: usize,
    pub reverses: usize,
    pub loss: f64,
    pub grad: Vec<f64>,
}

/// The state of a schedule part-way: after `upto` events.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Snapshot {
    pub evals: u64,
    pub held: Vec<usize>,
    pub peak: usize,
    pub reverses: usize,
    /// The state the forward computation is at, and the lowest index whose adjoint is known.
    pub current: usize,
    pub frontier: usize,
}

/// Runs `events` on a chain of n steps with at most `slots` slots: with `example`, on real states (the gradient by
/// per-step VJPs on the tape); without, only counting. Fails, saying where, if the schedule reads a state it does not
/// hold, holds more than `slots`, or does not end with every adjoint.
pub fn execute(
    events: &[Event],
    n: usize,
    slots: usize,
    example: Option<Example>,
) -> Result<Run, String> {
    let (s, loss, adj) = walk(events, n, slots, example)?;
    if s.frontier != 0 || n == 0 {
        return Err(format!(
            "the schedule stops with x̄{} known, not x̄0",
            s.frontier
        ));
    }
    Ok(Run {
        evals: s.evals,
        peak: s.peak,
        reverses: s.reverses,
        loss,
        grad: adj.into_iter().map(f64::from).collect(),
    })
}

/// Where a schedule stands after its first `upto` events (for the animation): counting only.
pub fn snapshot(events: &[Event], n: usize, upto: usize) -> Snapshot {
    walk(&events[..upto.min(events.len())], n, usize::MAX, None)
        .map_or_else(|_| Snapshot::default(), |w| w.0)
}

/// Runs events, checking them; returns where they leave the schedule, the loss and the adjoint of the first state.
fn walk(
    events: &[Event],
    n: usize,
    slots: usize,
    example: Option<Example>,
) -> Result<(Snapshot, f64, Vec<Wide>), String> {
    let mut s = Snapshot {
        current: 0,
        frontier: n,
        held: vec![0],
        peak: 1,
        ..Default::default()
    };
    let mut stored: Vec<Option<Vec<f64>>> = vec![None; n + 1];
    let x0 = example.map_or(Vec::new(), Example::x0);
    stored[0] = Some(x0.clone());
    let mut x = x0;
    let mut adj: Vec<Wide> = Vec::new();
    let mut loss = f64::NAN;
    for (i, e) in events.iter().enumerate() {
        let at = |what: String| format!("event {}: {what}", i + 1);
        match e {
            Event::Forward { from, to, store } => {
                if from > to || *to > n {
                    return Err(at(format!("cannot go from x{from} to x{to}")));
                }
                if s.current != *from {
                    x = stored[*from]
                        .clone()
                        .ok_or_else(|| at(format!("x{from} is not held")))?;
                }
                let mut keep = |k: usize, x: &Vec<f64>, s: &mut Snapshot| -> Result<(), String> {
                    if stored[k].is_none() {
                        stored[k] = Some(x.clone());
                        s.held.push(k);
                        s.peak = s.peak.max(s.held.len());
                        if s.held.len() > slots {
                            return Err(at(format!("storing x{k} needs more than {slots} slots")));
                        }
                    }
                    Ok(())
                };
                if store.first() == Some(from) {
                    keep(*from, &x, &mut s)?;
                }
                match example {
                    Some(ex) => {
                        let mut next = store.iter().filter(|k| *k > from).peekable();
                        for k in *from..*to {
                            x = ex.step(&x);
                            if next.peek() == Some(&&(k + 1)) {
                                next.next();
                                keep(k + 1, &x, &mut s)?;
                            }
                        }
                    }
                    None => {
                        for &k in store.iter().filter(|k| **k > *from && **k <= *to) {
                            keep(k, &x, &mut s)?;
                        }
                    }
                }
                s.evals += (to - from) as u64;
                s.current = *to;
            }
            Event::Reverse { k, free } => {
                let k = *k;
                if k + 1 != s.frontier {
                    return Err(at(format!(
                        "the adjoint of step {k} needs x̄{}, not yet known",
                        k + 1
                    )));
                }
                let xk = if s.current == k {
                    x.clone()
                } else {
                    stored[k].clone().ok_or_else(|| {
                        at(format!(
                            "the adjoint of step {k} needs x{k}, which is not held"
                        ))
                    })?
                };
                if let Some(ex) = example {
                    // The last step's adjoint evaluates it and the loss: one VJP of L ∘ step, seeded with 1.
                    let last = k + 1 == n;
                    if last {
                        adj = vec![Wide::from(1.0)];
                    }
                    let (y, g) = vjp_wide(
                        |v: &[Var]| {
                            if last {
                                vec![ex.loss(&ex.step(v))]
                            } else {
                                ex.step(v)
                            }
                        },
                        &xk,
                        &adj,
                    );
                    if last {
                        loss = y[0];
                    }
                    adj = g;
                }
                s.frontier = k;
                s.reverses += 1;
                s.current = usize::MAX;
                if *free {
                    if stored[k].take().is_none() {
                        return Err(at(format!("frees x{k}, which is not held")));
                    }
                    s.held.retain(|h| *h != k);
                }
            }
        }
    }
    Ok((s, loss, adj))
}

/// The chapter's state: the chain, its length, the slots, the strategy shown and the event the animation is at.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryState {
    pub example: Example,
    pub n: Field<usize>,
    pub c: Field<usize>,
    pub strategy: Strategy,
    pub step: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MemoryAction {
    Example(Example),
    N(String),
    C(String),
    Strategy(Strategy),
    /// Go to step k (presenter mode's builds).
    Step(usize),
    Next,
    Prev,
    Reset,
    End,
}

pub fn check_n(text: &str) -> Result<usize, String> {
    whole_in(text, 1, MAX_N as i64, "n").map(|v| v as usize)
}

pub fn check_c(text: &str) -> Result<usize, String> {
    whole_in(text, 1, MAX_N as i64, "c").map(|v| v as usize)
}

impl Default for MemoryState {
    fn default() -> MemoryState {
        MemoryState {
            example: Example::Logistic,
            n: Field::new(20, "20"),
            c: Field::new(3, "3"),
            strategy: Strategy::Binomial,
            step: 0,
        }
    }
}

impl MemoryState {
    /// The slots in use: c, but never more than n (more would be storing everything).
    pub fn slots(&self) -> usize {
        self.c.value.min(self.n.value)
    }

    pub fn events(&self) -> Vec<Event> {
        schedule(self.strategy, self.n.value, self.slots())
    }

    /// The number of events of the schedule shown (the animation's last step).
    pub fn total(&self) -> usize {
        self.events().len()
    }
}

impl ChapterModel for MemoryState {
    type Action = MemoryAction;

    fn apply(&self, action: MemoryAction) -> MemoryState {
        let mut s = self.clone();
        match action {
            MemoryAction::Example(e) => s.example = e,
            MemoryAction::N(t) => s.n = self.n.edit(t, check_n),
            MemoryAction::C(t) => s.c = self.c.edit(t, check_c),
            MemoryAction::Strategy(x) => s.strategy = x,
            MemoryAction::Step(k) => s.step = k.min(self.total()),
            MemoryAction::Next => s.step = (s.step + 1).min(self.total()),
            MemoryAction::Prev => s.step = s.step.saturating_sub(1),
            MemoryAction::Reset => s.step = 0,
            MemoryAction::End => s.step = self.total(),
        }
        if (s.n.value, s.c.value, s.strategy) != (self.n.value, self.c.value, self.strategy) {
            s.step = 0;
        }
        s
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> MemoryState {
        let d = MemoryState::default();
        let mut s = MemoryState {
            n: d.n.from_link(loc, "n", check_n, notices),
            c: d.c.from_link(loc, "c", check_c, notices),
            ..d
        };
        if let Some(v) = loc.get("example") {
            match Example::ALL.into_iter().find(|e| e.name() == v) {
                Some(e) => s.example = e,
                None => notices.push(format!(
                    "`example={v}`: the chains are logistic, layers and descent; using logistic"
                )),
            }
        }
        if let Some(v) = loc.get("strategy") {
            match Strategy::from_name(v) {
                Some(x) => s.strategy = x,
                None => notices.push(format!(
                    "`strategy={v}`: the strategies are store-all, store-input, sqrt and binomial; using binomial"
                )),
            }
        }
        s.step = super::step_from_link(loc, s.total(), notices);
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        vec![
            ("example".into(), self.example.name().into()),
            ("n".into(), self.n.text.clone()),
            ("c".into(), self.c.text.clone()),
            ("strategy".into(), self.strategy.name().into()),
            ("step".into(), self.step.to_string()),
        ]
    }
}

/// One strategy's totals for the state's n and c.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    pub strategy: Strategy,
    pub evals: u64,
    pub peak: usize,
}

/// Everything the chapter shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryResults {
    pub events: Vec<Event>,
    pub totals: Vec<Totals>,
    /// The gradient by the chosen schedule and by storing everything (None past [`MAX_RUN`] evaluations).
    pub grad: Option<(Run, Run)>,
    /// (c, t(n, c)) for the plot.
    pub curve: Vec<(usize, u64)>,
}

impl MemoryState {
    pub fn results(&self) -> Result<MemoryResults, String> {
        let (n, c) = (self.n.value, self.slots());
        let mut totals = Vec::new();
        let mut events = Vec::new();
        for st in Strategy::ALL {
            let ev = schedule(st, n, c);
            let limit = if st == Strategy::Binomial { c } else { n };
            let run = execute(&ev, n, limit, None)?;
            totals.push(Totals {
                strategy: st,
                evals: run.evals,
                peak: run.peak,
            });
            if st == self.strategy {
                events = ev;
            }
        }
        let chosen = totals
            .iter()
            .find(|t| t.strategy == self.strategy)
            .map_or(0, |t| t.evals);
        let grad = if chosen <= MAX_RUN {
            let ex = Some(self.example);
            let run = execute(&events, n, n, ex)?;
            let all = execute(&schedule(Strategy::StoreAll, n, n), n, n, ex)?;
            Some((run, all))
        } else {
            None
        };
        let mut curve = Vec::new();
        let mut k = 1;
        while k <= n {
            curve.push((k, binomial_evals(n as u64, k as u64)));
            k = if k < 12 { k + 1 } else { k + k / 6 };
        }
        if curve.last().map(|p| p.0) != Some(n) {
            curve.push((n, binomial_evals(n as u64, n as u64)));
        }
        Ok(MemoryResults {
            events,
            totals,
            grad,
            curve,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// t(l, s) by the exhaustive dynamic programme: advance j, store, reverse the right part with s − 1 slots, the
    /// left part with s.
    fn dp(nmax: usize, smax: usize) -> Vec<Vec<u64>> {
        let mut t = vec![vec![0u64; smax + 1]; nmax + 1];
        for l in 2..=nmax {
            t[l][1] = (l * (l - 1) / 2) as u64;
            for s in 2..=smax {
                t[l][s] = (1..l)
                    .map(|j| j as u64 + t[l - j][s - 1] + t[j][s])
                    .min()
                    .unwrap();
            }
        }
        t
    }

    #[test]
    fn the_lecture_counts() {
        assert_eq!(binomial_evals(100, 1), 4950);
        assert_eq!(binomial_evals(100, 2), 845);
        for (st, evals, peak) in [
            (Strategy::StoreInput, 4950, 1),
            (Strategy::Binomial, 845, 2),
            (Strategy::StoreAll, 99, 100),
        ] {
            let r = execute(
                &schedule(st, 100, 2),
                100,
                if st == Strategy::StoreAll { 100 } else { 2 },
                None,
            )
            .unwrap();
            assert_eq!((r.evals, r.peak, r.reverses), (evals, peak, 100), "{st:?}");
        }
    }

    #[test]
    fn beta_identities() {
        for c in 0..12u64 {
            for r in 0..12u64 {
                assert_eq!(beta(c, r), beta(r, c));
                if c > 0 && r > 0 {
                    assert_eq!(beta(c, r), beta(c - 1, r) + beta(c, r - 1), "Pascal");
                }
            }
            assert_eq!(beta(c, 1), c + 1);
        }
        assert_eq!(beta(2, 12), 91);
        assert_eq!(beta(3, 12), 455);
        assert_eq!(beta(40, 60), u64::MAX, "saturates");
    }

    #[test]
    fn schedules_are_valid_and_optimal_against_the_dynamic_programme() {
        let t = dp(200, 8);
        for n in 1..=200usize {
            for c in 1..=8usize {
                let closed = binomial_evals(n as u64, c as u64);
                assert_eq!(closed, t[n][c], "closed form n = {n}, c = {c}");
                let run = execute(&schedule(Strategy::Binomial, n, c), n, c, None).unwrap();
                assert_eq!(run.evals, closed, "binomial schedule n = {n}, c = {c}");
                assert!(run.peak <= c);
                assert_eq!(run.reverses, n);
            }
            for st in [Strategy::StoreAll, Strategy::StoreInput, Strategy::Sqrt] {
                let run = execute(&schedule(st, n, n), n, n, None).unwrap();
                assert_eq!(run.reverses, n);
            }
        }
    }

    #[test]
    fn invalid_schedules_are_caught() {
        let read_missing = [Event::Forward {
            from: 3,
            to: 4,
            store: vec![],
        }];
        assert!(execute(&read_missing, 5, 5, None)
            .unwrap_err()
            .contains("x3 is not held"));
        let too_many = schedule(Strategy::StoreAll, 10, 10);
        assert!(execute(&too_many, 10, 3, None)
            .unwrap_err()
            .contains("more than 3 slots"));
        let early = [Event::Reverse { k: 0, free: false }];
        assert!(execute(&early, 2, 2, None).unwrap_err().contains("x̄1"));
        assert!(execute(&[], 2, 2, None).unwrap_err().contains("x̄2 known"));
    }

    #[test]
    fn every_schedule_gives_the_store_all_gradient_bit_for_bit() {
        for ex in Example::ALL {
            for n in [1usize, 2, 4, 17, 100] {
                let all = execute(&schedule(Strategy::StoreAll, n, n), n, n, Some(ex)).unwrap();
                for st in Strategy::ALL {
                    for c in [1usize, 2, 3, 5] {
                        let limit = if st == Strategy::Binomial { c } else { n };
                        let run = execute(&schedule(st, n, c), n, limit, Some(ex)).unwrap();
                        assert_eq!(
                            run.loss.to_bits(),
                            all.loss.to_bits(),
                            "{ex:?} {st:?} n = {n}"
                        );
                        assert!(
                            run.grad
                                .iter()
                                .zip(&all.grad)
                                .all(|(a, b)| a.to_bits() == b.to_bits()),
                            "{ex:?} {st:?}"
                        );
                    }
                }
            }
        }
        // Chaining per-step VJPs gives what one tape over the whole chain gives.
        for ex in Example::ALL {
            for n in [3usize, 50, 1100] {
                let whole = crate::ad::tape::grad(
                    |x| {
                        let mut v = x.to_vec();
                        for _ in 0..n {
                            v = ex.step(&v);
                        }
                        ex.loss(&v)
                    },
                    &ex.x0(),
                );
                let run = execute(&schedule(Strategy::Binomial, n, 3), n, 3, Some(ex)).unwrap();
                assert_eq!(run.loss.to_bits(), whole.0.to_bits(), "{ex:?} {n}");
                assert!(
                    run.grad
                        .iter()
                        .zip(&whole.1)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{ex:?} {n}: {:?} {:?}",
                    run.grad,
                    whole.1
                );
            }
        }
        // The logistic map from 0.25: x₁ = 0.75 is fixed, dL/dx₀ = 2·(−2)ⁿ⁻¹; n = 4 gives the lecture's −16.
        let g = |n: usize| {
            execute(
                &schedule(Strategy::Binomial, n, 2),
                n,
                2,
                Some(Example::Logistic),
            )
            .unwrap()
        };
        assert_eq!(g(4).grad, vec![-16.0]);
        assert_eq!(g(100).grad, vec![-(2f64.powi(100))]);
        assert_eq!(
            g(1100).grad[0],
            f64::NEG_INFINITY,
            "past 2¹⁰²⁴ the overflow rule gives −∞"
        );
    }

    #[test]
    fn state_and_permalink() {
        let s = MemoryState::default();
        let r = s.results().unwrap();
        let (run, all) = r.grad.clone().unwrap();
        assert_eq!(run.grad, all.grad);
        assert_eq!(r.totals.len(), 4);
        let mut notices = Vec::new();
        let loc = Location::parse("#/memory?n=100&c=2&strategy=store-input&example=layers&step=7");
        let s = MemoryState::from_location(&loc, &mut notices);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (s.n.value, s.c.value, s.strategy, s.example, s.step),
            (100, 2, Strategy::StoreInput, Example::Layers, 7)
        );
        assert_eq!(s.results().unwrap().totals[1].evals, 4950);
        let loc = Location::parse("#/memory?n=1000000000&c=0&strategy=x&example=y&step=z");
        let s = MemoryState::from_location(&loc, &mut notices);
        assert_eq!(notices.len(), 5);
        assert_eq!(s.n.value, 20);
        // n = 10 000 with c = 1 is counted, not run.
        let big = MemoryState::default()
            .apply(MemoryAction::N("10000".into()))
            .apply(MemoryAction::Strategy(Strategy::StoreInput));
        let r = big.results().unwrap();
        assert_eq!(r.totals[1].evals, 49_995_000);
        assert!(r.grad.is_none());
    }
}
