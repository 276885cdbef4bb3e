//! The state every chapter with a program editor shares: the text, its compiled program (the last good one stays
//! while the user is mid-edit), the number fields of its inputs, and the actions that change them.

use super::Shared;
use crate::base::num::{fmt_full, parse_f64};
use crate::lang::compile::Compiled;
use crate::lang::graph::Graph;
use crate::lang::lower::Limits;

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
    /// `None` while the text is not a number.
    pub value: Option<f64>,
}

impl InputField {
    pub fn new(name: &str, text: &str) -> InputField {
        InputField {
            name: name.to_string(),
            text: text.to_string(),
            value: parse_f64(text),
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
        let mut s = ProgramState {
            source: String::new(),
            error: None,
            compiled: None,
            inputs: Vec::new(),
            limits,
        };
        s.compile(source, given);
        s
    }

    pub fn from_example(e: &Example, limits: Limits) -> ProgramState {
        let given: Vec<(String, String)> = e
            .inputs
            .iter()
            .map(|(n, v)| (n.to_string(), fmt_full(*v)))
            .collect();
        ProgramState::new(e.source, &given, limits)
    }

    fn compile(&mut self, source: &str, given: &[(String, String)]) {
        self.source = source.to_string();
        match Compiled::new(source, &self.limits) {
            Ok(c) => {
                self.error = None;
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
            Err(e) => self.error = Some(e.render(source)),
        }
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
                Some(e) => ProgramState::from_example(e, self.limits.clone()),
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
            *f = InputField::new(name, text);
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
        let mut given: Vec<(String, String)> = Vec::new();
        for (name, text) in loc.prefixed("in.") {
            if parse_f64(text).is_some() {
                given.push((name.to_string(), text.to_string()));
            } else {
                notices.push(format!(
                    "`in.{name}={text}` is not a number; using the default"
                ));
            }
        }
        let state = match loc.get("f") {
            Some(src) if !src.trim().is_empty() => ProgramState::new(src, &given, limits),
            Some(_) => {
                notices.push("the link's program is empty; showing the default example".into());
                ProgramState::from_example(fallback, limits)
            }
            None => {
                let mut s = ProgramState::from_example(fallback, limits);
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
