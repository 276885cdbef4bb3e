//! Chapter "Not symbolic differentiation" (`#/symbolic`): expression swell.
//!
//! For a one-variable program with an integer parameter (the logistic map's `n`), each row n measures, as node counts
//! of expression trees: f_n; f′_n by the textbook rules, unsimplified; f′_n simplified (expanded into canonical form,
//! as far as a work budget allows); and the AD trace — the same derivative with every intermediate result shared,
//! which is what automatic differentiation evaluates. Sizes are counted on a hash-consed DAG, so f′₃₀ (whose tree has
//! about 10¹¹ nodes) is measured without being built.

use super::field::{whole_in, Field};
use super::program::{Example, ProgramAction, ProgramState, LOGISTIC};
use super::{ChapterModel, Shared};
use crate::base::url::Location;
use crate::lang::compile::Compiled;
use crate::lang::graph::Graph;
use crate::lang::lower::{lower_with, Limits};
use crate::symbolic::dag::Dag;
use crate::symbolic::simplify::{simplify, Simplified};

pub const EXAMPLES: &[Example] = &[
    LOGISTIC,
    Example {
        title: "a chain of sines: v = sin(v)·v, n times",
        source: "def f(x, n=3):\n  v = x\n  for i in range(n):\n    v = sin(v) * v\n  return v\n",
        inputs: &[("x", 0.5)],
    },
    Example {
        title: "log(1 + x²)/x (no parameter: one row)",
        source: "def f(x):\n  return np.log(1 + x ** 2) / x\n",
        inputs: &[("x", 1.0)],
    },
];

/// Largest N accepted; the unsimplified sizes are computed for every row up to it.
pub const MAX_N: usize = 30;
pub const DEFAULT_N: usize = 12;
/// Work allowed for expanding the whole table's f′_n (units of [`crate::symbolic::simplify`]'s budget); past it the
/// row being expanded and all larger ones are skipped.
pub const SIMPLIFY_BUDGET: u64 = 4_000_000;
/// Expressions larger than this many nodes are not printed.
pub const MAX_SHOWN: u64 = 400;

/// The lecture's symbolic derivative, as it writes it: `f₄(x)` factored by hand, and `f′₄(x)` by the product rule.
/// Each is (Python, TeX). With the lecture's own f₀(x) = x this formula is three steps of the logistic map (64 = 4³),
/// f₃, not f₄: the page says so, and checks it against automatic differentiation of three steps.
pub const LECTURE_F4: (&str, &str) = (
    "64*x*(1 - x)*(1 - 2*x)**2*(1 - 8*x + 8*x**2)**2",
    "64x(1-x)(1-2x)^2(1-8x+8x^2)^2",
);
pub const LECTURE_DF4: (&str, &str) = (
    "128*x*(1 - x)*(-8 + 16*x)*(1 - 2*x)**2*(1 - 8*x + 8*x**2) + 64*(1 - x)*(1 - 2*x)**2*(1 - 8*x + 8*x**2)**2 \
     - 64*x*(1 - 2*x)**2*(1 - 8*x + 8*x**2)**2 - 256*x*(1 - x)*(1 - 2*x)*(1 - 8*x + 8*x**2)**2",
    "128x(1-x)(-8+16x)(1-2x)^2(1-8x+8x^2) + 64(1-x)(1-2x)^2(1-8x+8x^2)^2 - 64x(1-2x)^2(1-8x+8x^2)^2 - 256x(1-x)(1-2x)(1-8x+8x^2)^2",
);

/// The lecture's formulas evaluated at x, next to AD of the logistic map with 3 and with 4 steps.
#[derive(Clone, Debug, PartialEq)]
pub struct LectureFormulas {
    pub x: f64,
    pub f: f64,
    pub df: f64,
    /// f₃ and f′₃ by reverse mode on the loop (three steps).
    pub ad3: (f64, f64),
    /// f₄ and f′₄ (four steps: the program the lecture runs).
    pub ad4: (f64, f64),
    /// Nodes of the lecture's f′₄ written out as a tree.
    pub df_size: u64,
}

impl LectureFormulas {
    pub fn at(x: f64) -> Result<LectureFormulas, String> {
        let eval = |body: &str| -> Result<f64, String> {
            let g = crate::lang::lower::lower_source(&format!("def f(x):\n  return {body}\n"))
                .map_err(|e| e.message)?;
            Ok(crate::ad::eval::evaluate(&g, &[x])
                .last()
                .copied()
                .unwrap_or(f64::NAN))
        };
        let ad = |n: usize| -> Result<(f64, f64), String> {
            let g = crate::lang::lower::lower_source(&format!(
                "def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n"
            ))
            .map_err(|e| e.message)?;
            let (v, grad) = crate::ad::eval::value_and_grad(&g, &[x]);
            Ok((v, grad.first().copied().unwrap_or(f64::NAN)))
        };
        let df_graph =
            crate::lang::lower::lower_source(&format!("def f(x):\n  return {}\n", LECTURE_DF4.0))
                .map_err(|e| e.message)?;
        let (dag, root) = Dag::from_graph(&df_graph, 0);
        Ok(LectureFormulas {
            x,
            f: eval(LECTURE_F4.0)?,
            df: eval(LECTURE_DF4.0)?,
            ad3: ad(3)?,
            ad4: ad(4)?,
            df_size: dag.tree_size(root),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SymbolicState {
    pub program: ProgramState,
    /// The largest n of the table.
    pub nmax: Field<usize>,
    /// The row whose expressions are shown.
    pub shown: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SymbolicAction {
    Program(ProgramAction),
    NMax(String),
    Show(usize),
}

impl Default for SymbolicState {
    fn default() -> SymbolicState {
        SymbolicState::from_example(&EXAMPLES[0])
    }
}

pub fn limits() -> Limits {
    Limits {
        max_nodes: 100_000,
        max_steps: 1_000_000,
    }
}

/// Checks N as typed.
pub fn check_nmax(text: &str) -> Result<usize, String> {
    whole_in(text, 1, MAX_N as i64, "N")
        .map(|n| n as usize)
        .map_err(|e| {
            if e.contains("at most") {
                format!("{e}: beyond it even counting the unsimplified sizes is pointless")
            } else {
                e
            }
        })
}

impl SymbolicState {
    pub fn from_example(e: &Example) -> SymbolicState {
        SymbolicState {
            program: ProgramState::from_example(e, limits()),
            nmax: Field::new(DEFAULT_N, DEFAULT_N.to_string()),
            shown: 3,
        }
    }

    /// The table, or why there is none.
    pub fn swell(&self) -> Result<Swell, String> {
        let compiled = self
            .program
            .compiled
            .as_ref()
            .ok_or("the program does not compile yet")?;
        Swell::compute(compiled, self.nmax.value)
    }
}

impl ChapterModel for SymbolicState {
    type Action = SymbolicAction;

    fn apply(&self, action: SymbolicAction) -> SymbolicState {
        let mut s = self.clone();
        match action {
            SymbolicAction::Program(a) => s.program = self.program.apply(a, EXAMPLES),
            SymbolicAction::NMax(text) => s.nmax = self.nmax.edit(text, check_nmax),
            SymbolicAction::Show(n) => s.shown = n.clamp(1, MAX_N),
        }
        s
    }

    fn query(&self) -> Vec<(String, String)> {
        let mut q = self.program.query();
        q.push(("nmax".into(), self.nmax.text.clone()));
        q.push(("n".into(), self.shown.to_string()));
        q
    }

    fn from_location(loc: &Location, notices: &mut Vec<String>) -> SymbolicState {
        let d = SymbolicState::default();
        let mut s = SymbolicState {
            program: ProgramState::from_query(loc, &EXAMPLES[0], limits(), notices),
            nmax: d.nmax.from_link(loc, "nmax", check_nmax, notices),
            shown: d.shown,
        };
        if let Some(t) = loc.get("n") {
            match t.parse::<usize>() {
                Ok(n) if (1..=MAX_N).contains(&n) => s.shown = n,
                _ => notices.push(format!(
                    "`n={t}` is not a row number from 1 to {MAX_N}; showing n = 3"
                )),
            }
        }
        s
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SwellRow {
    /// The parameter's value (`None` when the program has no integer parameter: a single row).
    pub n: Option<i64>,
    pub f: u64,
    pub df: u64,
    /// `None`: skipped (over the work budget).
    pub df_simplified: Option<u64>,
    /// f′ₙ with every intermediate result stored once (f and f′ together, as a graph): what AD evaluates.
    pub ad_trace: usize,
    /// fₙ itself as a graph (each intermediate result once): the fair comparison for the AD trace, which is counted
    /// the same way; `f` counts fₙ written out as a tree.
    pub f_dag: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expressions {
    pub n: Option<i64>,
    /// MathML (without `<math>`), or `None` when too large to print.
    pub f: Option<String>,
    pub df: Option<String>,
    pub df_simplified: Option<String>,
    pub sizes: (u64, u64, Option<u64>),
}

/// The table: one row per value of the parameter.
#[derive(Clone, Debug)]
pub struct Swell {
    pub variable: String,
    /// The integer parameter swept, if any.
    pub parameter: Option<String>,
    /// Shared, so the figure drawn from them can tell cheaply that they have not changed.
    pub rows: Shared<Vec<SwellRow>>,
    /// Why the rows stop before N (the program does not lower for the next n), if they do.
    pub stopped: Option<String>,
    compiled: Shared<Compiled>,
}

/// One row: f, f′ by the rules, f′ simplified (within `budget`), and the DAG (AD trace) size. Also returns the
/// DAG and roots for printing.
fn measure(
    g: &Graph,
    var: &str,
    budget: Option<&mut u64>,
) -> (SwellRow, Dag, u32, u32, Option<Simplified>) {
    let (mut d, f) = Dag::from_graph(g, 0);
    let df = d.diff(f, var);
    let simplified = budget.and_then(|b| simplify(&d, df, b));
    let row = SwellRow {
        n: None,
        f: d.tree_size(f),
        df: d.tree_size(df),
        df_simplified: simplified.as_ref().map(Simplified::size),
        ad_trace: d.dag_size(&[f, df]),
        f_dag: d.dag_size(&[f]),
    };
    (row, d, f, df, simplified)
}

impl Swell {
    /// The rows for n = 1 … `nmax` (one row when the program has no integer parameter).
    pub fn compute(compiled: &Shared<Compiled>, nmax: usize) -> Result<Swell, String> {
        let graph = &compiled.graph;
        let names: Vec<&str> = graph.inputs.iter().map(|i| i.name.as_str()).collect();
        let variable = match names.as_slice() {
            [x] => x.to_string(),
            [] => return Err("this function has no input: there is nothing to differentiate".into()),
            more => {
                return Err(format!(
                    "symbolic differentiation here is of functions of one variable; this program has {} inputs ({})",
                    more.len(),
                    more.join(", ")
                ))
            }
        };
        let mut swell = Swell {
            variable,
            parameter: graph.int_params.first().map(|p| p.0.clone()),
            rows: Shared::new(Vec::new()),
            stopped: None,
            compiled: compiled.clone(),
        };
        let ns: Vec<Option<i64>> = match &swell.parameter {
            Some(_) => (1..=nmax as i64).map(Some).collect(),
            None => vec![None],
        };
        let mut rows = Vec::new();
        let mut budget_ok = true;
        // One budget for the whole table: the rows share it, so the table's work is bounded whatever N.
        let mut budget = SIMPLIFY_BUDGET;
        for n in ns {
            let (mut row, ..) = match swell.measure(n, budget_ok.then_some(&mut budget)) {
                Ok(m) => m,
                Err(e) if rows.is_empty() => return Err(e),
                Err(e) => {
                    swell.stopped = Some(e);
                    break;
                }
            };
            budget_ok = row.df_simplified.is_some();
            row.n = n;
            rows.push(row);
        }
        swell.rows = Shared::new(rows);
        Ok(swell)
    }

    /// Lowers the program for the parameter value `n` and measures it.
    fn measure(
        &self,
        n: Option<i64>,
        budget: Option<&mut u64>,
    ) -> Result<(SwellRow, Dag, u32, u32, Option<Simplified>), String> {
        let lowered;
        let c = &self.compiled;
        let g: &Graph = match (&self.parameter, n) {
            (Some(p), Some(n)) => {
                // The same syntax tree, lowered again with the parameter set: no parse.
                lowered = lower_with(&c.syntax, &limits(), &[(p.clone(), n)])
                    .map_err(|e| format!("n = {n}: {}", e.render(&c.source)))?;
                &lowered
            }
            _ => &c.graph,
        };
        Ok(measure(g, &self.variable, budget))
    }

    /// The expressions of row `n` (clamped to the rows there are), printed where small enough.
    pub fn expressions(&self, n: usize) -> Option<Expressions> {
        let row = self.rows.get(n.clamp(1, self.rows.len()) - 1)?;
        let mut budget = SIMPLIFY_BUDGET;
        let (_, d, f, df, simplified) = self
            .measure(row.n, row.df_simplified.is_some().then_some(&mut budget))
            .ok()?;
        let print = |size: u64, id: u32| (size <= MAX_SHOWN).then(|| d.to_expr(id).to_mathml());
        Some(Expressions {
            n: row.n,
            f: print(row.f, f),
            df: print(row.df, df),
            df_simplified: simplified
                .and_then(|s| s.to_expr(MAX_SHOWN))
                .map(|e| e.to_mathml()),
            sizes: (row.f, row.df, row.df_simplified),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lectures_f4_is_three_steps() {
        let l = LectureFormulas::at(0.25).unwrap();
        println!("{l:?}");
        assert_eq!((l.f, l.ad3.0, l.ad4), (0.75, 0.75, (0.75, -16.0)));
        assert_eq!(l.df, l.ad3.1);
        for x in [0.1, 0.3, 0.77] {
            let l = LectureFormulas::at(x).unwrap();
            assert!(
                (l.f - l.ad3.0).abs() < 1e-14 && (l.df - l.ad3.1).abs() < 1e-12,
                "{l:?}"
            );
        }
    }

    #[test]
    fn logistic_rows_to_thirty() {
        let s = SymbolicState::default().apply(SymbolicAction::NMax("30".into()));
        let sw = s.swell().unwrap();
        assert_eq!(sw.rows.len(), 30);
        assert_eq!(sw.parameter.as_deref(), Some("n"));
        let r = &sw.rows;
        assert_eq!((r[0].f, r[1].f, r[2].f), (7, 19, 43));
        for w in r.windows(2) {
            assert!(w[1].df > 2 * w[0].df, "unsimplified f′ more than doubles");
            assert_eq!(
                w[1].ad_trace - w[0].ad_trace,
                r[1].ad_trace - r[0].ad_trace,
                "AD trace grows by a constant"
            );
        }
        assert!(r[0].df_simplified.is_some() && r[5].df_simplified.is_some());
        assert!(r[29].df_simplified.is_none(), "f′₃₀ is not expanded");
        // Once skipped, every larger row is skipped too.
        let first_skip = r
            .iter()
            .position(|row| row.df_simplified.is_none())
            .unwrap();
        assert!(r[first_skip..]
            .iter()
            .all(|row| row.df_simplified.is_none()));
        let shown = sw.expressions(s.shown).unwrap();
        assert_eq!(shown.n, Some(3));
        assert!(shown.f.unwrap().contains("<mn>4</mn>"));
        assert!(shown.df_simplified.is_some());
    }

    #[test]
    fn not_one_variable_or_bad_n_is_explained() {
        let s = SymbolicState::default().apply(SymbolicAction::Program(ProgramAction::Source(
            "x * y".into(),
        )));
        assert!(s.swell().unwrap_err().contains("one variable"));
        let s = SymbolicState::default().apply(SymbolicAction::NMax("1000000".into()));
        assert!(s.nmax.error.as_deref().unwrap().contains("at most 30"));
        assert_eq!(s.nmax.value, DEFAULT_N);
        let s = s.apply(SymbolicAction::NMax("0".into()));
        assert!(s.nmax.error.is_some());
    }

    #[test]
    fn a_program_without_parameter_gives_one_row() {
        let s = SymbolicState::default().apply(SymbolicAction::Program(ProgramAction::Example(2)));
        let sw = s.swell().unwrap();
        assert_eq!(sw.rows.len(), 1);
        assert_eq!(sw.rows[0].n, None);
    }

    /// The expanded f′_n, evaluated, equals AD — to the accuracy the expanded form allows. Its coefficients grow
    /// fast (f′₄'s terms reach 10⁵ and cancel to about 10), so the bound scales with Σ|term|, the sum of the terms'
    /// magnitudes: the expanded form loses digits as n grows, which is part of the lesson.
    #[test]
    fn simplified_derivative_evaluates_like_ad() {
        use crate::base::formula::Expr;
        use crate::base::formula::Node;
        fn magnitude(e: &Expr, x: f64) -> f64 {
            match e.node() {
                Node::Num(c) => c.abs(),
                Node::Var(_) => x.abs(),
                Node::Unary(_, a) => magnitude(a, x),
                Node::Binary(crate::base::op::Binary::Pow, a, b) => {
                    magnitude(a, x).powf(b.as_num().unwrap_or(1.0))
                }
                Node::Binary(crate::base::op::Binary::Mul, a, b) => {
                    magnitude(a, x) * magnitude(b, x)
                }
                Node::Binary(_, a, b) => magnitude(a, x) + magnitude(b, x),
            }
        }
        for n in 1..=5 {
            let src = format!("def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n");
            let g = crate::lang::lower_source(&src).unwrap();
            let (_, _, _, _, simplified) = measure(&g, "x", Some(&mut SIMPLIFY_BUDGET.clone()));
            let e = simplified.unwrap().to_expr(u64::MAX).unwrap();
            for k in 1..10 {
                let x = k as f64 / 10.0 + 0.013;
                let sym = e.eval(&|_| Some(x)).unwrap();
                let (_, ad) = crate::ad::eval::value_and_grad(&g, &[x]);
                let bound = 64.0 * f64::EPSILON * magnitude(&e, x) + 1e-13 * ad[0].abs();
                assert!(
                    (sym - ad[0]).abs() <= bound,
                    "n={n} x={x}: {sym} vs {} (bound {bound})",
                    ad[0]
                );
            }
        }
    }
}
