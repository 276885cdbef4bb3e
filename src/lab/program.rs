//! The state every chapter with a program editor shares: the text, its compiled program (the last good one stays
//! while the user is mid-edit), the number fields of its inputs, and the actions that change them.

use super::Shared;
use crate::base::array::{fmt_literal, parse_literal, Array};
use crate::base::num::{fmt_full, parse_f64};
use crate::base::source::Error;
use crate::lang::agraph::AGraph;
use crate::lang::compile::Compiled;
use crate::lang::graph::Graph;
use crate::lang::lower::Limits;
use crate::lang::syntax::Program;

/// A ready example for the picker.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Example {
    pub title: &'static str,
    pub source: &'static str,
    pub inputs: &'static [(&'static str, f64)],
}

pub const SQUARE: Example = Example {
    title: "x ** 2 (the first slide)",
    source: "def f(x):\n  return x ** 2\n",
    inputs: &[("x", 1.0)],
};

pub const LOG_RATIO: Example = Example {
    title: "log(1 + x²) / x",
    source: "import autograd.numpy as np\nfrom autograd import grad\n\ndef f(x):\n  return np.log(1 + x ** 2) / x\n\ng = grad(f)\nprint(g(1.0))\n",
    inputs: &[("x", 1.0)],
};

pub const LOGISTIC: Example = Example {
    title: "logistic map, n = 4",
    source: "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n",
    inputs: &[("x", 0.25)],
};

pub const Y_X_SQUARED: Example = Example {
    title: "y · x² (the 2-d example)",
    source: "y * x**2",
    inputs: &[("x", 1.0), ("y", 1.0)],
};

/// One number field.
#[derive(Clone, Debug, PartialEq)]
pub struct InputField {
    pub name: String,
    pub text: String,
    pub value: Option<f64>,
    /// In a numpy program: the field read as an array literal (a number is the array of shape `()`), or why not.
    pub array: Option<Result<Array, String>>,
}

impl InputField {
    pub fn new(name: &str, text: &str) -> InputField {
        InputField {
            name: name.to_string(),
            text: text.to_string(),
            value: parse_f64(text),
            array: None,
        }
    }

    /// A field of a numpy program: a number or an array literal (`[[0.5, -0.3], [0.1, 0.4]]`).
    pub fn of_array(name: &str, text: &str) -> InputField {
        InputField {
            array: Some(parse_literal(text)),
            ..InputField::new(name, text)
        }
    }

    /// Why the field cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        match &self.array {
            Some(Err(e)) => Some(e.clone()),
            Some(Ok(_)) => None,
            None => self.value.is_none().then(|| "not a number".to_string()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProgramState {
    pub source: String,
    /// The current text's error, rendered `line L, column C: …`.
    pub error: Option<String>,
    /// The current text compiled (parsed once, lowered to a graph), or the last text that compiled.
    pub compiled: Option<Shared<Compiled>>,
    /// One field per input of the graph, in its order.
    pub inputs: Vec<InputField>,
    pub limits: Limits,
    /// The chapter reads numpy programs: a program the scalar lowering does not read is traced at array granularity.
    pub arrays: bool,
    /// The current numpy program traced at its fields' values (then `compiled` is `None`), or the last one that was.
    pub traced: Option<Shared<Traced>>,
}

/// A numpy program traced at a point: its syntax tree (traced again when a field changes), the graph at its fields'
/// values, and the values the program itself gives its inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Traced {
    pub source: String,
    pub syntax: Program,
    pub graph: AGraph,
    pub defaults: Vec<(String, Array)>,
}

impl Traced {
    /// Traces `syntax` with `given` values for its inputs (a script's free names are 1 unless given).
    fn trace(
        syntax: &Program,
        given: &[(String, Array)],
        limits: &Limits,
    ) -> Result<AGraph, Error> {
        let mut given = given.to_vec();
        if let Program::Script(stmts) = syntax {
            for name in crate::lang::lower::free_input_names(stmts) {
                if !given.iter().any(|(n, _)| *n == name) {
                    given.push((name, Array::scalar(1.0)));
                }
            }
        }
        crate::lang::lower::arrays::trace_with(syntax, &[], &given, limits)
    }
}

/// What every program chapter lets the user do to its program.
#[derive(Clone, Debug, PartialEq)]
pub enum ProgramAction {
    /// New text in the editor.
    Source(String),
    /// New text in an input's field: (name, text).
    Input(String, String),
    /// An example from the chapter's picker.
    Example(usize),
}

impl ProgramState {
    /// Compiles `source`; inputs take their values from `given` (name, text), else the program's default, else 1.
    pub fn new(source: &str, given: &[(String, String)], limits: Limits) -> ProgramState {
        ProgramState::new_in(source, given, limits, false)
    }

    /// [`ProgramState::new`] for a chapter that reads numpy programs when `arrays`.
    pub fn new_in(
        source: &str,
        given: &[(String, String)],
        limits: Limits,
        arrays: bool,
    ) -> ProgramState {
        let mut s = ProgramState {
            source: String::new(),
            error: None,
            compiled: None,
            inputs: Vec::new(),
            limits,
            arrays,
            traced: None,
        };
        s.compile(source, given);
        s
    }

    pub fn from_example(e: &Example, limits: Limits) -> ProgramState {
        ProgramState::from_example_in(e, limits, false)
    }

    pub fn from_example_in(e: &Example, limits: Limits, arrays: bool) -> ProgramState {
        let given: Vec<(String, String)> = e
            .inputs
            .iter()
            .map(|(n, v)| (n.to_string(), fmt_full(*v)))
            .collect();
        ProgramState::new_in(e.source, &given, limits, arrays)
    }

    fn compile(&mut self, source: &str, given: &[(String, String)]) {
        self.source = source.to_string();
        let syntax = match crate::lang::parser::parse(source) {
            Ok(p) => p,
            Err(e) => {
                self.error = Some(e.render(source));
                return;
            }
        };
        let scalar = Compiled::from_syntax(source, syntax, &self.limits);
        let c = match scalar {
            Ok(c) => c,
            Err((syntax, e)) => {
                // A numpy program: traced at array granularity, where the chapter reads arrays. Its error is the
                // tracer's, which reads everything the scalar lowering reads and numpy besides.
                let traced = if self.arrays {
                    self.trace(syntax, given)
                } else {
                    Err(e)
                };
                if let Err(e) = traced {
                    self.error = Some(e.render(source));
                }
                return;
            }
        };
        {
            {
                self.error = None;
                self.traced = None;
                // A field keeps its text while the program's own value for it (`def f(x=0.5)`, `g(0.25)`) stays.
                let before = |name: &str| {
                    self.graph()
                        .and_then(|g| g.inputs.iter().find(|i| i.name == name))
                        .map(|i| i.default)
                };
                let given_text = |i: &crate::lang::graph::Input| {
                    given
                        .iter()
                        .rev()
                        .find(|(n, _)| *n == i.name)
                        .map(|(_, t)| t.clone())
                        .or_else(|| {
                            self.inputs
                                .iter()
                                .find(|f| f.name == i.name && before(&i.name) == Some(i.default))
                                .map(|f| f.text.clone())
                        })
                };
                self.inputs = c
                    .graph
                    .inputs
                    .iter()
                    .map(|i| {
                        let text =
                            given_text(i).unwrap_or_else(|| fmt_full(i.default.unwrap_or(1.0)));
                        InputField::new(&i.name, &text)
                    })
                    .collect();
                self.compiled = Some(Shared::new(c));
            }
        }
    }

    /// Traces a numpy program at its fields' values: a field keeps its text while the program's own value for the
    /// input stays, and a link's value wins. A field that is not an array leaves the program traced at its defaults.
    fn trace(&mut self, syntax: Program, given: &[(String, String)]) -> Result<(), Error> {
        let at_defaults = Traced::trace(&syntax, &[], &self.limits)?;
        let defaults: Vec<(String, Array)> = at_defaults
            .inputs
            .iter()
            .map(|i| (i.name.clone(), i.value.clone()))
            .collect();
        let before = self.traced.as_ref().map(|t| t.defaults.clone());
        self.inputs = defaults
            .iter()
            .map(|(name, value)| {
                let kept = given
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| t.clone())
                    .or_else(|| {
                        let same = before
                            .as_ref()
                            .is_some_and(|b| b.iter().any(|(n, v)| n == name && v == value));
                        self.inputs
                            .iter()
                            .find(|f| same && f.name == *name)
                            .map(|f| f.text.clone())
                    });
                InputField::of_array(name, &kept.unwrap_or_else(|| fmt_literal(value)))
            })
            .collect();
        self.compiled = None;
        self.error = None;
        self.traced = Some(Shared::new(Traced {
            source: self.source.clone(),
            syntax,
            graph: at_defaults,
            defaults,
        }));
        self.retrace()
    }

    /// Traces the numpy program again at its fields' values (after a field changed).
    fn retrace(&mut self) -> Result<(), Error> {
        let Some(t) = self.traced.clone() else {
            return Ok(());
        };
        let given: Option<Vec<(String, Array)>> = self
            .inputs
            .iter()
            .map(|f| match &f.array {
                Some(Ok(a)) => Some((f.name.clone(), a.clone())),
                _ => None,
            })
            .collect();
        // A field that is not an array says so itself; the graph stays at the last point that worked.
        let Some(given) = given else {
            return Ok(());
        };
        let same = |(i, (n, v)): (&crate::lang::agraph::AInput, &(String, Array))| {
            i.name == *n && i.value == *v
        };
        if t.graph.inputs.len() == given.len() && t.graph.inputs.iter().zip(&given).all(same) {
            return Ok(());
        }
        let graph = Traced::trace(&t.syntax, &given, &self.limits)?;
        self.traced = Some(Shared::new(Traced {
            source: t.source.clone(),
            syntax: t.syntax.clone(),
            graph,
            defaults: t.defaults.clone(),
        }));
        Ok(())
    }

    /// The graph of the compiled program.
    pub fn graph(&self) -> Option<&Graph> {
        self.compiled.as_ref().map(|c| &c.graph)
    }

    /// The program after `action`; examples come from the chapter's list.
    pub fn apply(&self, action: ProgramAction, examples: &[Example]) -> ProgramState {
        match action {
            ProgramAction::Source(src) => self.with_source(&src),
            ProgramAction::Input(name, text) => self.with_input(&name, &text),
            ProgramAction::Example(i) => match examples.get(i) {
                Some(e) => ProgramState::from_example_in(e, self.limits.clone(), self.arrays),
                None => self.clone(),
            },
        }
    }

    /// New text: recompiles, keeping the values of inputs that keep their names.
    pub fn with_source(&self, source: &str) -> ProgramState {
        let mut s = self.clone();
        s.compile(source, &[]);
        s
    }

    pub fn with_input(&self, name: &str, text: &str) -> ProgramState {
        let mut s = self.clone();
        if let Some(f) = s.inputs.iter_mut().find(|f| f.name == name) {
            *f = if f.array.is_some() {
                InputField::of_array(name, text)
            } else {
                InputField::new(name, text)
            };
        }
        if s.traced.is_some() && s.compiled.is_none() {
            s.error = s.retrace().err().map(|e| e.render(&s.source));
        }
        s
    }

    /// The inputs' values, if every field holds a number.
    pub fn values(&self) -> Option<Vec<f64>> {
        self.inputs.iter().map(|f| f.value).collect()
    }

    /// Query pairs: `f` and `in.<name>`.
    pub fn query(&self) -> Vec<(String, String)> {
        let mut q = vec![("f".to_string(), self.source.clone())];
        q.extend(
            self.inputs
                .iter()
                .map(|f| (format!("in.{}", f.name), f.text.clone())),
        );
        q
    }

    /// Reads `f` and `in.<name>` from a permalink; problems are appended to `notices`.
    pub fn from_query(
        loc: &crate::base::url::Location,
        fallback: &Example,
        limits: Limits,
        notices: &mut Vec<String>,
    ) -> ProgramState {
        ProgramState::from_query_in(loc, fallback, limits, false, notices)
    }

    /// [`ProgramState::from_query`] for a chapter that reads numpy programs when `arrays` (`in.W=[[1,2],[3,4]]`).
    pub fn from_query_in(
        loc: &crate::base::url::Location,
        fallback: &Example,
        limits: Limits,
        arrays: bool,
        notices: &mut Vec<String>,
    ) -> ProgramState {
        let mut given: Vec<(String, String)> = Vec::new();
        for (name, text) in loc.prefixed("in.") {
            if parse_f64(text).is_some() || (arrays && parse_literal(text).is_ok()) {
                given.push((name.to_string(), text.to_string()));
            } else {
                notices.push(format!(
                    "`in.{name}={text}` is not a number{}; using the default",
                    if arrays { " or an array" } else { "" }
                ));
            }
        }
        let state = match loc.get("f") {
            Some(src) if !src.trim().is_empty() => {
                ProgramState::new_in(src, &given, limits, arrays)
            }
            Some(_) => {
                notices.push("the link's program is empty; showing the default example".into());
                ProgramState::from_example_in(fallback, limits, arrays)
            }
            None => {
                let mut s = ProgramState::from_example_in(fallback, limits, arrays);
                for (n, v) in &given {
                    s = s.with_input(n, v);
                }
                s
            }
        };
        for (name, _) in &given {
            if !state.inputs.iter().any(|f| &f.name == name) {
                notices.push(format!(
                    "the link sets `in.{name}`, but the program has no input `{name}`"
                ));
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::url::Location;

    #[test]
    fn inputs_keep_their_values_across_edits() {
        let s = ProgramState::from_example(&LOGISTIC, Limits::default());
        assert_eq!(s.values(), Some(vec![0.25]));
        let s =
            s.with_source("def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - ");
        assert!(
            s.error.as_deref().unwrap().starts_with("line 4, column"),
            "{:?}",
            s.error
        );
        assert!(s.compiled.is_some(), "the last good graph stays");
        let s = s.with_source("x * y");
        assert_eq!(s.values(), Some(vec![0.25, 1.0]));
        let s = s.with_input("y", "abc");
        assert_eq!(s.values(), None);
    }

    /// The point a call after the function gives (`g(0.25)`) fills the field when the text changes it, and only then.
    #[test]
    fn a_call_after_the_function_sets_the_point() {
        let src = |x: &str| {
            format!(
                "import numpy as np\nfrom autograd import grad\n{}\ng = grad(f)\nprint(g({x}))\n",
                LOGISTIC.source
            )
        };
        let s = ProgramState::new(&src("0.5"), &[], Limits::default());
        assert_eq!(s.values(), Some(vec![0.5]));
        let s = s
            .with_input("x", "0.75")
            .with_source(&format!("{}  # a comment", src("0.5")));
        assert_eq!(
            s.values(),
            Some(vec![0.75]),
            "the student's value stays while the call's is unchanged"
        );
        let s = s.with_source(&src("0.125"));
        assert_eq!(
            s.values(),
            Some(vec![0.125]),
            "a new point in the text moves the field"
        );
        let given = [("x".to_string(), "2".to_string())];
        assert_eq!(
            ProgramState::new(&src("0.5"), &given, Limits::default()).values(),
            Some(vec![2.0]),
            "a permalink's value wins"
        );
    }

    #[test]
    fn permalinks_restore_and_mangled_ones_fall_back() {
        let s = ProgramState::from_example(&Y_X_SQUARED, Limits::default()).with_input("x", "2");
        let url = crate::base::url::build("/grad", &s.query());
        let mut notices = Vec::new();
        let back = ProgramState::from_query(
            &Location::parse(&url),
            &LOGISTIC,
            Limits::default(),
            &mut notices,
        );
        assert_eq!((back.query(), back.values()), (s.query(), s.values()));
        assert!(notices.is_empty());

        let loc = Location::parse("#/grad?f=x*y&in.x=banana&in.q=3");
        let s = ProgramState::from_query(&loc, &LOGISTIC, Limits::default(), &mut notices);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!(s.values(), Some(vec![1.0, 1.0]));
    }
}
