//! A compiled program: the text, its syntax tree and its graph, made once per edit and shared by everything that
//! reads the program (the chapters' engines, the derivative-program generator, the symbolic chapter's sweep over a
//! parameter). Nothing downstream parses the text again.
//!
//! ```
//! use ad_lab::lang::compile::Compiled;
//! use ad_lab::lang::Limits;
//! let c = Compiled::new("y * x**2", &Limits::default()).unwrap();
//! assert_eq!(c.input_names(), ["y", "x"]);
//! assert_eq!(c.graph.intermediates(), 2);
//! ```

use super::graph::Graph;
use super::lower::{lower, Limits};
use super::parser::parse;
use super::syntax::Program;
use crate::base::source::Error;

#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    pub source: String,
    pub syntax: Program,
    pub graph: Graph,
}

impl Compiled {
    /// Parses and lowers `source`: the one parse an edit costs.
    pub fn new(source: &str, limits: &Limits) -> Result<Compiled, Error> {
        Compiled::from_syntax(source, parse(source)?, limits).map_err(|(_, e)| e)
    }

    /// Lowers a parsed program; on an error the syntax tree comes back with it (a chapter that reads numpy programs
    /// traces it instead).
    pub fn from_syntax(
        source: &str,
        syntax: Program,
        limits: &Limits,
    ) -> Result<Compiled, (Program, Error)> {
        match lower(&syntax, limits) {
            Ok(graph) => Ok(Compiled {
                source: source.to_string(),
                syntax,
                graph,
            }),
            Err(e) => Err((syntax, e)),
        }
    }

    /// The inputs' names, in the graph's order.
    pub fn input_names(&self) -> Vec<&str> {
        self.graph.inputs.iter().map(|i| i.name.as_str()).collect()
    }
}
